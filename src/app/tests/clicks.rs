//! Mouse clicks: every target selects, opens or toggles what it shows, and nothing else.

use super::*;

/// `n` short articles, `a00` newest, so the list can scroll.
fn many(n: usize, w: u16, h: u16) -> App {
    let files = (0..n)
        .map(|i| {
            article_file(
                &format!("a{i:02}"),
                &format!("Article {i:02}"),
                "interviewing",
                &["general"],
                &["interview"],
                &format!("2025-01-{:02}", 28 - i),
                &[],
            )
        })
        .collect();
    let (lib, source) = load_memory(files, Vec::new(), LoadOptions::default());
    let lib = Arc::new(lib);
    let mut app = App::new(lib, source, Saved::default(), AppOptions::default());
    update_now(&mut app, Action::Resize(w, h));
    app
}

fn click(app: &mut App, column: u16, row: u16) -> Vec<Effect> {
    let action = action_for(app, &Input::Click { column, row }).expect("clicks always map");
    update_now(app, action)
}

fn selected_slug(app: &App) -> String {
    app.library
        .get(app.selected_article().unwrap())
        .slug
        .clone()
}

/// Everything a click could change, to compare before and after.
fn observable(app: &App) -> String {
    format!(
        "{:?} {:?}",
        (
            app.screen,
            app.focus,
            &app.overlay,
            (app.list.selected, app.list.offset),
            (app.facets.selected, app.facets.offset),
            &app.facets.active,
            &app.search.input,
        ),
        (
            app.reader.as_ref().map(|r| (r.id, r.scroll)),
            app.pending_open,
            &app.message,
            &app.history,
            &app.saved,
            app.quit,
        )
    )
}

/// Clicks each cell and asserts that nothing changes, not even the status message.
fn assert_clicks_do_nothing(app: &mut App, cells: &[(u16, u16)]) {
    app.message = Some("a message".into());
    for &(column, row) in cells {
        let before = observable(app);
        app.dirty = false;
        let fx = click(app, column, row);
        assert!(fx.is_empty(), "({column}, {row}): {fx:?}");
        assert_eq!(observable(app), before, "click at ({column}, {row})");
        assert!(!app.dirty, "({column}, {row}) asks for a redraw");
    }
}

#[test]
fn clicking_a_row_selects_it_with_the_list_scrolled() {
    // 20 articles, 8 list rows (rows 2–9): at the bottom the list shows articles 12–19.
    let mut app = many(20, 120, 12);
    assert_eq!(app.list_rows(), 8);
    run(&mut app, [Action::Bottom]);
    assert_eq!((app.list.selected, app.list.offset), (19, 12));
    let fx = click(&mut app, 10, 2);
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(selected_slug(&app), "a12");
    assert_eq!(
        app.list.offset, 12,
        "the list does not move under the pointer"
    );
    click(&mut app, 40, 5);
    assert_eq!(selected_slug(&app), "a15");
    assert_eq!(app.screen, Screen::Library);
    // Scrolled back to the top, the same cell is another article.
    run(&mut app, [Action::Top]);
    click(&mut app, 1, 5);
    assert_eq!(selected_slug(&app), "a03");
}

#[test]
fn clicking_the_selected_row_opens_it() {
    let mut app = many(20, 120, 12);
    run(&mut app, [Action::Bottom]);
    click(&mut app, 10, 6);
    assert_eq!(selected_slug(&app), "a16");
    assert_eq!(open_slug(&app), None);
    let fx = click(&mut app, 10, 6);
    assert!(fx.contains(&Effect::Persist), "{fx:?}");
    assert_eq!(open_slug(&app).as_deref(), Some("a16"));
    // Back returns to the list as it was.
    run(&mut app, [Action::Back]);
    assert_eq!(app.screen, Screen::Library);
    assert_eq!(selected_slug(&app), "a16");
}

#[test]
fn clicking_the_selection_while_typing_a_search_opens_it_as_enter_does() {
    let mut app = app();
    run(&mut app, typed("sql"));
    assert_eq!(app.mode(), Mode::TextInput);
    assert_eq!(visible_slugs(&app)[0], "sql");
    click(&mut app, 10, 2);
    assert_eq!(open_slug(&app).as_deref(), Some("sql"));
}

#[test]
fn clicking_another_row_while_typing_leaves_the_search_line() {
    let mut app = app();
    run(&mut app, typed("a"));
    click(&mut app, 10, 3);
    assert_eq!(app.focus, Focus::List);
    assert_eq!(app.search.input, "a", "the query stays");
    assert_eq!(app.list.selected, 1);
}

#[test]
fn clicking_a_related_entry_selects_then_follows_it() {
    let mut app = app();
    run(&mut app, [Action::Open, Action::ToggleRelated]);
    let Some(Overlay::Related { items, .. }) = app.overlay.clone() else {
        panic!("related open")
    };
    assert!(items.len() >= 2, "{items:?}");
    let drawn = geometry::overlay_list(Rect::new(0, 0, 120, 30), items.len(), 0, None);
    let row = drawn.inner.y + 1;
    click(&mut app, drawn.inner.x + 3, row);
    let Some(Overlay::Related { selected, .. }) = &app.overlay else {
        panic!("still open")
    };
    assert_eq!(*selected, 1);
    assert_eq!(open_slug(&app).as_deref(), Some("long"));
    // The second click on the highlighted entry follows it, like Enter.
    click(&mut app, drawn.inner.right() - 1, row);
    let target = app.library.get(items[1].id).slug.clone();
    assert_eq!(open_slug(&app), Some(target));
    assert!(app.overlay.is_none());
    run(&mut app, [Action::Back]);
    assert_eq!(open_slug(&app).as_deref(), Some("long"));
}

#[test]
fn a_long_overlay_list_stays_still_under_the_pointer() {
    // 20 bookmarks in a box with 8 rows: keys would centre entry 6 and move the list.
    let mut app = many(20, 120, 12);
    app.saved.bookmarks = (0..20).map(|i| format!("a{i:02}")).collect();
    run(&mut app, [Action::ShowBookmarks]);
    let area = Rect::new(0, 0, 120, 12);
    let drawn = geometry::overlay_list(area, 20, 0, None);
    assert_eq!(drawn.inner.height, 8);
    let row = drawn.inner.y + 6;
    click(&mut app, drawn.inner.x, row);
    assert_eq!(
        app.overlay,
        Some(Overlay::Bookmarks {
            selected: 6,
            top: Some(0)
        })
    );
    assert_eq!(geometry::overlay_list(area, 20, 6, Some(0)).first, 0);
    click(&mut app, drawn.inner.x, row);
    assert_eq!(open_slug(&app).as_deref(), Some("a06"));
}

#[test]
fn keys_after_a_click_centre_the_overlay_selection_again() {
    let mut app = many(20, 120, 12);
    app.saved.bookmarks = (0..20).map(|i| format!("a{i:02}")).collect();
    run(&mut app, [Action::ShowBookmarks]);
    let drawn = geometry::overlay_list(Rect::new(0, 0, 120, 12), 20, 0, None);
    click(&mut app, drawn.inner.x, drawn.inner.y + 6);
    run(&mut app, [Action::Down]);
    assert_eq!(
        app.overlay,
        Some(Overlay::Bookmarks {
            selected: 7,
            top: None
        })
    );
}

#[test]
fn clicking_a_toc_heading_twice_jumps_to_it() {
    let mut app = app();
    run(&mut app, [Action::Open, Action::ToggleToc]);
    let len = app.reader.as_ref().unwrap().layout.toc.len();
    let drawn = geometry::overlay_list(Rect::new(0, 0, 120, 30), len, 0, None);
    click(&mut app, drawn.inner.x + 2, drawn.inner.y + 2);
    assert!(matches!(
        app.overlay,
        Some(Overlay::Toc { selected: 2, .. })
    ));
    click(&mut app, drawn.inner.x + 2, drawn.inner.y + 2);
    let r = app.reader.as_ref().unwrap();
    assert_eq!(
        r.scroll,
        r.layout.toc[2]
            .line
            .min(r.layout.lines.len() - app.reader_rows())
    );
    assert!(app.overlay.is_none());
}

#[test]
fn clicking_a_facet_value_focuses_selects_then_toggles_it() {
    let mut app = app();
    // The panel is open but the list has the keyboard: its selection is not highlighted.
    run(&mut app, [Action::ToggleFacets, Action::NextPane]);
    assert_eq!(app.focus, Focus::List);
    // The panel spans columns 0–29; row 2 is the first facet's heading, values follow.
    let rows = app.facets.rows();
    assert_eq!(rows[0].facet, rows[1].facet, "two values under one heading");
    let value = |app: &App, i: usize| {
        let (f, v) = app.facets.pair(rows[i]);
        (f.to_owned(), v.value.clone())
    };
    let (facet, first) = value(&app, 0);
    assert_clicks_do_nothing(&mut app, &[(5, 2)]);
    // A click on the value under the hidden selection only focuses the panel.
    click(&mut app, 5, 3);
    assert_eq!(app.focus, Focus::Facets);
    assert_eq!(app.facets.selected, 0);
    assert!(app.facets.active.is_empty());
    // Now it is highlighted: a second click toggles it.
    click(&mut app, 5, 3);
    assert!(app.facets.is_active(&facet, &first));
    let (_, second) = value(&app, 1);
    click(&mut app, 20, 4);
    assert_eq!(app.facets.selected, 1);
    assert!(!app.facets.is_active(&facet, &second));
    click(&mut app, 20, 4);
    assert!(app.facets.is_active(&facet, &second));
    // A click in the list takes the focus back there.
    click(&mut app, 40, 2);
    assert_eq!(app.focus, Focus::List);
}

#[test]
fn clicks_on_borders_status_line_and_outside_change_nothing() {
    let mut app = many(20, 120, 12);
    run(&mut app, [Action::Down, Action::Down, Action::Down]);
    assert_clicks_do_nothing(
        &mut app,
        &[
            (0, 5),   // the list's left border
            (53, 5),  // its right border
            (10, 1),  // its top border
            (10, 10), // its bottom border
            (10, 11), // the status line
            (10, 0),  // the search line
            (80, 5),  // the preview
            (120, 5), // just past the right edge
            (10, 12), // just below the last row
            (u16::MAX, u16::MAX),
        ],
    );
    // Inside the list but below its last article.
    let mut short = self::app();
    assert_clicks_do_nothing(&mut short, &[(10, 6), (10, 27)]);
}

#[test]
fn clicks_on_the_reader_and_around_overlays_change_nothing() {
    let mut app = app();
    run(&mut app, [Action::Open]);
    assert_clicks_do_nothing(&mut app, &[(60, 0), (60, 1), (60, 10), (60, 29)]);
    // Help has no entries; nothing under an overlay can be clicked either.
    run(&mut app, [Action::ToggleHelp]);
    assert_clicks_do_nothing(&mut app, &[(60, 15), (1, 1), (60, 29)]);
    run(
        &mut app,
        [Action::ToggleHelp, Action::Quit, Action::ToggleRelated],
    );
    assert_eq!(app.screen, Screen::Library);
    let Some(Overlay::Related { items, .. }) = app.overlay.clone() else {
        panic!("related open")
    };
    let drawn = geometry::overlay_list(Rect::new(0, 0, 120, 30), items.len(), 0, None);
    assert_clicks_do_nothing(
        &mut app,
        &[
            // The list row under the box's left, outside the box.
            (drawn.rect.x - 1, drawn.inner.y + 1),
            // The box's borders.
            (drawn.rect.x, drawn.inner.y),
            (drawn.rect.right() - 1, drawn.inner.y),
            (drawn.inner.x + 3, drawn.rect.y),
            (drawn.inner.x + 3, drawn.rect.bottom() - 1),
            // The article list behind the box, and the status line.
            (2, 2),
            (10, 29),
        ],
    );
    // An empty overlay has nothing to click.
    run(&mut app, [Action::Cancel, Action::ShowBookmarks]);
    assert_clicks_do_nothing(&mut app, &[(60, 15)]);
}

#[test]
fn clicks_when_the_terminal_is_too_small_change_nothing() {
    let mut app = many(20, 120, 12);
    run(&mut app, [Action::Resize(39, 30)]);
    assert!(app.too_small());
    assert_clicks_do_nothing(&mut app, &[(10, 2), (10, 5), (0, 0)]);
    run(&mut app, [Action::Resize(120, 9)]);
    assert_clicks_do_nothing(&mut app, &[(10, 2), (10, 5)]);
    // Back to a usable size, the same cell is a row again.
    run(&mut app, [Action::Resize(120, 12)]);
    click(&mut app, 10, 5);
    assert_eq!(selected_slug(&app), "a03");
}

#[test]
fn clicking_a_facet_value_keeps_the_panel_still() {
    // Fourteen facet values under three headings in 8 rows (rows 2–9), scrolled to the last
    // value: headings take rows too, so the panel is further down than its offset in values.
    let files = (0..12)
        .map(|i| {
            article_file(
                &format!("a{i:02}"),
                &format!("Article {i:02}"),
                &format!("category-{}", i % 5),
                &[&format!("role-{}", i % 4)],
                &[&format!("intent-{}", i % 5)],
                "2025-01-01",
                &[],
            )
        })
        .collect();
    let (lib, source) = load_memory(files, Vec::new(), LoadOptions::default());
    let lib = Arc::new(lib);
    let mut app = App::new(lib, source, Saved::default(), AppOptions::default());
    run(
        &mut app,
        [
            Action::Resize(120, 12),
            Action::ToggleFacets,
            Action::Bottom,
        ],
    );
    assert_eq!(app.facets.rows().len(), 14);
    let scrolled = app.facets.clone();
    let drawn = geometry::facet_lines(&scrolled, 8).lines;
    for (k, line) in drawn.iter().enumerate() {
        // (A click on the selected value toggles it, which may reorder the values.)
        let &geometry::FacetLine::Value(index, _) = line else {
            continue;
        };
        if index == scrolled.selected {
            continue;
        }
        app.facets = scrolled.clone();
        click(&mut app, 5, 2 + k as u16);
        assert_eq!(app.facets.selected, index);
        assert_eq!(
            geometry::facet_lines(&app.facets, 8).lines,
            drawn,
            "clicking line {k} moved the panel"
        );
    }
}

// Clicks on links in the reader. At 120×30 the text is 96 columns wide, centred: it starts
// in column 12, on row 2 under the title bar and the progress rule.

/// Where the text column starts at 120×30.
const TEXT_X: u16 = 12;
const TEXT_Y: u16 = 2;

/// The cell `k` columns into the first place `needle` is drawn in the reader's text, found in
/// the layout (display columns, so wide characters before it count twice); it must be on
/// screen with the article scrolled as it is.
fn text_cell(app: &App, needle: &str, k: usize) -> (u16, u16) {
    use unicode_width::UnicodeWidthStr;
    let r = app.reader.as_ref().expect("an article is open");
    let (line, x) = r
        .layout
        .lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| {
            let text = l.text();
            text.find(needle).map(|b| (i, text[..b].width()))
        })
        .unwrap_or_else(|| panic!("{needle:?} not in the article"));
    let row = line
        .checked_sub(r.scroll)
        .filter(|&k| k < app.reader_rows())
        .unwrap_or_else(|| panic!("{needle:?} on line {line}, not on screen"));
    (TEXT_X + (x + k) as u16, TEXT_Y + row as u16)
}

/// Everything but the status message, which following a link sets.
fn observable_but_message(app: &mut App) -> String {
    let message = app.message.take();
    let seen = observable(app);
    app.message = message;
    seen
}

#[test]
fn clicking_a_library_link_in_the_text_opens_that_article() {
    let mut app = app();
    run(&mut app, [Action::Open]);
    assert_eq!(app.reader.as_ref().unwrap().layout.width, 96);
    // "See salary [1] and this [2] and that [3]." is the first line.
    let fx = click(&mut app, TEXT_X + 5, TEXT_Y);
    assert!(fx.contains(&Effect::Persist), "{fx:?}");
    assert_eq!(open_slug(&app).as_deref(), Some("salary"));
    run(&mut app, [Action::Back]);
    assert_eq!(open_slug(&app).as_deref(), Some("long"));
    // Its marker follows it too, on each of its cells.
    for k in 0..3 {
        let at = text_cell(&app, "[1]", k);
        click(&mut app, at.0, at.1);
        assert_eq!(open_slug(&app).as_deref(), Some("salary"), "[1] cell {k}");
        run(&mut app, [Action::Back]);
    }
    assert_eq!(open_slug(&app).as_deref(), Some("long"));
    run(&mut app, [Action::Forward]);
    assert_eq!(open_slug(&app).as_deref(), Some("salary"));
}

#[test]
fn clicking_an_external_link_does_what_its_number_key_does() {
    for can_open_browser in [true, false] {
        for (n, needle) in [(2, "this"), (2, "[2]"), (3, "that"), (3, "[3]")] {
            let mut keyed = app();
            keyed.options.can_open_browser = can_open_browser;
            run(&mut keyed, [Action::Open]);
            let mut clicked = app();
            clicked.options.can_open_browser = can_open_browser;
            run(&mut clicked, [Action::Open]);
            let before = observable_but_message(&mut clicked);
            let key_fx = run(&mut keyed, [Action::FollowLink(n)]);
            let at = text_cell(&clicked, needle, 1);
            let fx = click(&mut clicked, at.0, at.1);
            assert_eq!(fx, key_fx, "{needle} {can_open_browser}");
            assert_eq!(clicked.message, keyed.message);
            assert_eq!(observable_but_message(&mut clicked), before, "{needle}");
        }
    }
    // Locally a web link opens in the browser, and nothing else happens.
    let mut app = app();
    app.options.can_open_browser = true;
    run(&mut app, [Action::Open]);
    let at = text_cell(&app, "this", 0);
    let fx = click(&mut app, at.0, at.1);
    assert_eq!(
        fx,
        vec![Effect::OpenUrl("https://elsewhere.example/x".into())]
    );
    assert_eq!(
        app.message.as_deref(),
        Some("Opening https://elsewhere.example/x")
    );
    // A `file:` link never reaches the system opener, clicked or not.
    let at = text_cell(&app, "that", 0);
    let fx = click(&mut app, at.0, at.1);
    assert_eq!(fx, vec![Effect::Copy("file:///etc/passwd".into())]);
}

/// A library whose `many-links` article has thirteen links: eleven external ones, then
/// `resume` and `salary` after wide characters on the same line.
fn many_links_app() -> App {
    let external = (1..=11)
        .map(|k| format!("<a href=\"https://site{k}.example/\">site {k}</a>"))
        .collect::<Vec<_>>()
        .join(", ");
    let text = format!(
        "---\ntitle: Many Links\nslug: many-links\npubDate: 2025-10-01\ncategory: interviewing\n---\n\
         <p>{external}.</p>\
         <p>日本語の履歴書 <a href=\"https://careerhub.example/blog/resume\">履歴書の書き方</a> \
         and 👩\u{200D}💻 <a href=\"https://careerhub.example/blog/salary\">salary talk</a>.</p>"
    );
    let files = vec![
        SourceFile {
            path: "many-links.md".into(),
            bytes: text.into_bytes(),
        },
        article_file(
            "salary",
            "Negotiate Your Salary",
            "salary-negotiation",
            &["general"],
            &["salary"],
            "2025-03-01",
            &[],
        ),
        article_file(
            "resume",
            "Resume Keywords for Analysts",
            "resume-cover-letters",
            &["data-analyst"],
            &["resume"],
            "2025-02-01",
            &[],
        ),
    ];
    let (lib, source) = load_memory(files, Vec::new(), LoadOptions::default());
    let lib = Arc::new(lib);
    let id = lib.by_slug("many-links").unwrap().id;
    let mut app = App::new(
        lib,
        source,
        Saved::default(),
        AppOptions {
            can_open_browser: true,
            ..AppOptions::default()
        },
    );
    run(&mut app, [Action::Resize(120, 30), Action::OpenArticle(id)]);
    app
}

#[test]
fn links_numbered_above_nine_and_after_wide_characters_work_by_click() {
    let mut app = many_links_app();
    let lines: Vec<String> = app.reader.as_ref().unwrap().layout.lines[..4]
        .iter()
        .map(|l| l.text())
        .collect();
    assert!(lines[3].starts_with("日本語の履歴書 履歴書の書き方 [12] and 👩\u{200D}💻"));
    for (needle, url) in [
        ("site 10", "https://site10.example/"),
        ("[10]", "https://site10.example/"),
        ("[11]", "https://site11.example/"),
    ] {
        let at = text_cell(&app, needle, 1);
        let fx = click(&mut app, at.0, at.1);
        assert_eq!(fx, vec![Effect::OpenUrl(url.into())], "{needle}");
    }
    // The link text after seven wide characters, and its marker: columns, not chars or bytes.
    for (needle, k) in [("履歴書の書き方", 0), ("履歴書の書き方", 13), ("[12]", 2)] {
        let at = text_cell(&app, needle, k);
        click(&mut app, at.0, at.1);
        assert_eq!(open_slug(&app).as_deref(), Some("resume"), "{needle} {k}");
        run(&mut app, [Action::Back]);
    }
    // After the two-column emoji sequence (three chars, one of them zero-width).
    let at = text_cell(&app, "salary talk", 0);
    click(&mut app, at.0, at.1);
    assert_eq!(open_slug(&app).as_deref(), Some("salary"));
    run(&mut app, [Action::Back]);
    assert_eq!(open_slug(&app).as_deref(), Some("many-links"));
}

#[test]
fn clicks_on_plain_text_the_header_blank_lines_and_past_line_ends_change_nothing() {
    let mut app = many_links_app();
    let first = app.reader.as_ref().unwrap().layout.lines[0].text();
    let wide = text_cell(&app, "日本語", 0);
    let end = text_cell(&app, "salary talk [13].", "salary talk [13].".len());
    assert_clicks_do_nothing(
        &mut app,
        &[
            (TEXT_X, 0),                           // the title bar
            (TEXT_X + 20, 1),                      // the progress rule
            (TEXT_X + 10, TEXT_Y),                 // the comma after "site 1 [1]"
            (TEXT_X + 6, TEXT_Y),                  // the blank before "[1]"
            (TEXT_X, TEXT_Y + 2),                  // the blank line between the paragraphs
            (TEXT_X - 1, TEXT_Y),                  // the margin left of the text
            (TEXT_X + first.len() as u16, TEXT_Y), // just past the end of the first line
            (wide.0 + 1, wide.1),                  // the second half of a wide character
            (wide.0 + 14, wide.1),                 // the space after 日本語の履歴書 (14 columns)
            end,                                   // past the end of the paragraph
            (end.0, end.1 + 1),                    // below it
            (TEXT_X, 29),                          // the status line
        ],
    );
    // The same holds while a redraw is pending: a click on nothing does not cancel it.
    app.dirty = true;
    update(
        &mut app,
        Action::Click {
            column: TEXT_X,
            row: 0,
        },
    );
    assert!(app.dirty);
}

#[test]
fn a_click_after_scrolling_hits_the_link_drawn_there() {
    let mut app = app();
    run(&mut app, [Action::Open]);
    // Unscrolled, row 2 is the line of links.
    let cell = (TEXT_X + 5, TEXT_Y);
    run(&mut app, [Action::Scroll(1)]);
    // One line down, the blank line under it is there instead.
    assert_clicks_do_nothing(&mut app, &[cell]);
    // At the bottom, the related list and the list of links show: row by row, a cell on
    // each entry follows that entry's link.
    run(&mut app, [Action::Bottom]);
    let scroll = app.reader.as_ref().unwrap().scroll;
    assert!(scroll > 10, "{scroll}");
    for (needle, k, slug) in [
        ("• resume [4]", 3, "resume"),
        ("[1] https://careerhub.example/blog/salary", 1, "salary"),
        ("[4] https://careerhub.example/blog/resume", 10, "resume"),
        (
            "https://careerhub.example/blog/resume → resume",
            40,
            "resume",
        ),
    ] {
        let at = text_cell(&app, needle, k);
        click(&mut app, at.0, at.1);
        assert_eq!(open_slug(&app).as_deref(), Some(slug), "{needle}");
        run(&mut app, [Action::Back]);
        assert_eq!(
            app.reader.as_ref().unwrap().scroll,
            scroll,
            "back where it was"
        );
    }
    let at = text_cell(&app, "[2] https", 1);
    let fx = click(&mut app, at.0, at.1);
    assert_eq!(fx, vec![Effect::Copy("https://elsewhere.example/x".into())]);
}

//! Update tests: sequences of actions and the state they lead to.

use std::sync::Arc;

use ratatui::layout::Rect;

use super::geometry;
use super::keymap::{Input, Key, KeyCode, action_for};
use super::state::{Focus, Mode, Overlay, RelatedLabel, Screen};
use super::*;
use crate::content::index::tests::article_file;
use crate::content::load::source::SourceFile;
use crate::content::{LoadOptions, load_memory};

/// An article with several sections, long enough to scroll.
fn long_article(slug: &str, related: &[&str]) -> SourceFile {
    let para = "<p id=\"\">Prepare one sentence about the team, one about the problem and one about your result; then stop talking and let them ask.</p>".repeat(6);
    let sections: String = ["Before", "During", "After"]
        .iter()
        .map(|h| format!("<h2 id=\"\">{h} the interview</h2>{para}"))
        .collect();
    let links: String = related
        .iter()
        .map(|r| format!("- [{r}](https://careerhub.example/blog/{r})\n"))
        .collect();
    let text = format!(
        "---\ntitle: Long Read\nslug: {slug}\ncanonical: \"https://careerhub.example/blog/{slug}\"\npubDate: 2025-09-01\ncategory: interviewing\ntags:\n  role: [general]\n  intent: [interview]\n---\n<p>See <a href=\"https://careerhub.example/blog/salary\">salary</a> and <a href=\"https://elsewhere.example/x\">this</a> and <a href=\"file:///etc/passwd\">that</a>.</p>{sections}\n\n---\n\n## Related articles\n\n{links}"
    );
    SourceFile {
        path: format!("{slug}.md"),
        bytes: text.into_bytes(),
    }
}

fn app() -> App {
    let files = vec![
        long_article("long", &["resume"]),
        article_file(
            "salary",
            "Negotiate Your Salary",
            "salary-negotiation",
            &["general"],
            &["salary"],
            "2025-03-01",
            &["long"],
        ),
        article_file(
            "resume",
            "Resume Keywords for Analysts",
            "resume-cover-letters",
            &["data-analyst"],
            &["resume", "ats"],
            "2025-02-01",
            &[],
        ),
        article_file(
            "sql",
            "SQL Interview Questions",
            "interviewing",
            &["data-analyst"],
            &["interview"],
            "2025-04-01",
            &[],
        ),
    ];
    let (lib, source) = load_memory(files, Vec::new(), LoadOptions::default());
    let lib = Arc::new(lib);
    let mut app = App::new(
        lib,
        source,
        Saved::default(),
        AppOptions {
            color: true,
            ..AppOptions::default()
        },
    );
    update_now(&mut app, Action::Resize(120, 30));
    app
}

fn run(app: &mut App, actions: impl IntoIterator<Item = Action>) -> Vec<Effect> {
    actions
        .into_iter()
        .flat_map(|a| update_now(app, a))
        .collect()
}

fn typed(text: &str) -> Vec<Action> {
    std::iter::once(Action::StartSearch)
        .chain(text.chars().map(Action::Input))
        .collect()
}

fn visible_slugs(app: &App) -> Vec<String> {
    app.list
        .visible
        .iter()
        .map(|&i| app.library.get(app.list.results[i].id).slug.clone())
        .collect()
}

fn open_slug(app: &App) -> Option<String> {
    app.reader
        .as_ref()
        .filter(|_| app.screen == Screen::Reader)
        .map(|r| app.library.get(r.id).slug.clone())
}

#[test]
fn starts_on_the_library_newest_first() {
    let app = app();
    assert_eq!(visible_slugs(&app), vec!["long", "sql", "salary", "resume"]);
    assert_eq!(app.mode(), Mode::Library);
}

#[test]
fn typing_searches_and_enter_opens_the_best_hit() {
    let mut app = app();
    run(&mut app, typed("salry"));
    assert_eq!(app.mode(), Mode::TextInput);
    assert_eq!(app.search.input, "salry");
    assert_eq!(visible_slugs(&app)[0], "salary");
    assert!(!app.search.pending);
    run(&mut app, [Action::Open]);
    assert_eq!(open_slug(&app).as_deref(), Some("salary"));
}

#[test]
fn stale_search_results_are_dropped() {
    let mut app = app();
    let fx = update(&mut app, Action::StartSearch);
    assert!(fx.is_empty());
    let fx1 = update(&mut app, Action::Input('s'));
    let fx2 = update(&mut app, Action::Input('q'));
    assert!(matches!(fx1[..], [Effect::Search { generation: 1, .. }]));
    assert!(matches!(fx2[..], [Effect::Search { generation: 2, .. }]));
    app.dirty = false;
    update(
        &mut app,
        Action::SearchDone {
            generation: 1,
            hits: Vec::new(),
        },
    );
    assert!(!app.dirty, "stale answer changes nothing");
    assert_eq!(app.list.visible.len(), 4);
    assert!(app.search.pending);
}

#[test]
fn an_action_needing_no_redraw_keeps_the_redraw_an_earlier_one_asked_for() {
    let mut app = app();
    update(&mut app, Action::StartSearch);
    update(&mut app, Action::Input('s'));
    update(&mut app, Action::Input('q'));
    app.dirty = false; // drawn
    // One burst before the next frame: a key, then a stale answer and a click on nothing.
    update(&mut app, Action::Input('x'));
    update(
        &mut app,
        Action::SearchDone {
            generation: 1,
            hits: Vec::new(),
        },
    );
    update(&mut app, Action::Click { column: 0, row: 0 });
    assert!(app.dirty, "the typed `x` must still be drawn");
}

#[test]
fn query_filter_terms_work_in_the_search_line() {
    let mut app = app();
    run(&mut app, typed("role:data-analyst"));
    assert_eq!(visible_slugs(&app), vec!["sql", "resume"]);
}

#[test]
fn esc_clears_the_search_then_filters() {
    let mut app = app();
    run(&mut app, typed("sql"));
    run(&mut app, [Action::Cancel]);
    assert_eq!(app.focus, Focus::List);
    assert_eq!(app.search.input, "");
    assert_eq!(visible_slugs(&app).len(), 4);
}

#[test]
fn facet_filters_toggle_with_live_counts() {
    let mut app = app();
    run(&mut app, [Action::ToggleFacets]);
    assert_eq!(app.mode(), Mode::Facets);
    let rows = app.facets.rows();
    let idx = rows
        .iter()
        .position(|&r| {
            let (f, v) = app.facets.pair(r);
            f == "role" && v.value == "data-analyst"
        })
        .unwrap();
    assert_eq!(app.facets.pair(rows[idx]).1.count, 2);
    app.facets.selected = idx;
    run(&mut app, [Action::Open]);
    assert!(app.facets.is_active("role", "data-analyst"));
    assert_eq!(visible_slugs(&app), vec!["sql", "resume"]);
    // Other values of the same facet keep their counts so they can be added (OR).
    let general = app.facets.counts[0]
        .1
        .iter()
        .find(|c| c.value == "general")
        .unwrap();
    assert_eq!(general.count, 2);
    // Counts of other facets follow the filter.
    let intent = &app
        .facets
        .counts
        .iter()
        .find(|(n, _)| n == "intent")
        .unwrap()
        .1;
    // …and a value that fell to 0 stays in its place while the panel is open.
    assert!(
        intent.iter().any(|c| c.value == "salary" && c.count == 0),
        "{intent:?}"
    );
    run(&mut app, [Action::ClearFilters]);
    assert_eq!(visible_slugs(&app).len(), 4);
}

#[test]
fn open_back_forward_through_history() {
    let mut app = app();
    run(&mut app, [Action::Open]);
    assert_eq!(open_slug(&app).as_deref(), Some("long"));
    run(&mut app, [Action::FollowLink(1)]);
    assert_eq!(
        open_slug(&app).as_deref(),
        Some("salary"),
        "internal link opens in the reader"
    );
    run(&mut app, [Action::Back]);
    assert_eq!(open_slug(&app).as_deref(), Some("long"));
    run(&mut app, [Action::Forward]);
    assert_eq!(open_slug(&app).as_deref(), Some("salary"));
    run(&mut app, [Action::Back, Action::Back]);
    assert_eq!(app.screen, Screen::Library);
    run(&mut app, [Action::Forward]);
    assert_eq!(open_slug(&app).as_deref(), Some("long"));
}

#[test]
fn external_links_open_in_a_browser_locally_and_copy_over_ssh() {
    let mut app = app();
    app.options.can_open_browser = true;
    run(&mut app, [Action::Open]);
    let fx = run(&mut app, [Action::FollowLink(2)]);
    assert!(
        fx.contains(&Effect::OpenUrl("https://elsewhere.example/x".into())),
        "{fx:?}"
    );
    app.options.can_open_browser = false;
    let fx = run(&mut app, [Action::FollowLink(2)]);
    assert!(fx.contains(&Effect::Copy("https://elsewhere.example/x".into())));
    assert_eq!(
        app.message.as_deref(),
        Some("Copied https://elsewhere.example/x")
    );
    // Only web links reach the system opener; anything else is copied.
    app.options.can_open_browser = true;
    let fx = run(&mut app, [Action::FollowLink(3)]);
    assert_eq!(fx, vec![Effect::Copy("file:///etc/passwd".into())]);
    run(&mut app, [Action::FollowLink(99)]);
    assert_eq!(
        app.message.as_deref(),
        Some("This article has no link [99]")
    );
}

#[test]
fn related_panel_lists_kinds_and_links_then_opens() {
    let mut app = app();
    run(&mut app, [Action::Open, Action::ToggleRelated]);
    let Some(Overlay::Related { items, .. }) = &app.overlay else {
        panic!("related open")
    };
    let labels: Vec<(String, RelatedLabel)> = items
        .iter()
        .map(|i| (app.library.get(i.id).slug.clone(), i.label))
        .collect();
    assert_eq!(
        labels[0],
        (
            "resume".to_string(),
            RelatedLabel::Kind(crate::content::index::RelatedKind::Explicit)
        )
    );
    assert!(labels.iter().any(|(s, l)| s == "salary"
        && *l == RelatedLabel::Kind(crate::content::index::RelatedKind::Backlink)));
    run(&mut app, [Action::Down, Action::Up, Action::Open]);
    assert_eq!(open_slug(&app).as_deref(), Some("resume"));
    assert!(app.overlay.is_none());
    run(&mut app, [Action::Back]);
    assert_eq!(open_slug(&app).as_deref(), Some("long"));
}

#[test]
fn bookmarks_toggle_persist_and_list() {
    let mut app = app();
    let fx = run(&mut app, [Action::ToggleBookmark]);
    assert!(fx.contains(&Effect::Persist));
    assert_eq!(app.saved.bookmarks, vec!["long"]);
    run(
        &mut app,
        [Action::Down, Action::ToggleBookmark, Action::ShowBookmarks],
    );
    assert_eq!(app.bookmarked().len(), 2);
    run(&mut app, [Action::Open]);
    assert_eq!(open_slug(&app).as_deref(), Some("sql"));
    run(&mut app, [Action::ToggleBookmark]);
    assert_eq!(app.saved.bookmarks, vec!["long"]);
}

#[test]
fn reading_position_survives_reopen_and_rewrap() {
    let mut app = app();
    run(&mut app, [Action::Open]);
    run(&mut app, std::iter::repeat_n(Action::Down, 25));
    let scroll = app.reader.as_ref().unwrap().scroll;
    assert_eq!(scroll, 25);
    let top_line = app.reader.as_ref().unwrap().layout.lines[scroll].text();
    run(&mut app, [Action::Quit]);
    assert_eq!(app.screen, Screen::Library);
    let pos = app.saved.positions["long"].clone();
    assert!(pos.heading.is_some(), "{pos:?}");
    run(&mut app, [Action::Open]);
    assert_eq!(app.reader.as_ref().unwrap().scroll, 25, "restored");
    // A narrower terminal re-wraps; the position stays in the same section.
    run(&mut app, [Action::Resize(60, 30)]);
    let r = app.reader.as_ref().unwrap();
    let section = r.layout.lines[r.scroll]
        .section
        .map(|s| r.layout.toc[s].title.clone());
    assert_eq!(section, pos.heading);
    assert!(!top_line.is_empty());
    assert_eq!(app.saved.recent, vec!["long"]);
}

#[test]
fn find_in_article_jumps_between_hits() {
    let mut app = app();
    run(&mut app, [Action::Open, Action::StartSearch]);
    assert_eq!(app.mode(), Mode::TextInput);
    run(&mut app, "after".chars().map(Action::Input));
    let hits = app.reader.as_ref().unwrap().find.hits.len();
    assert!(hits >= 1);
    run(&mut app, [Action::Open]);
    assert_eq!(app.mode(), Mode::Reader);
    run(&mut app, [Action::FindNext]);
    let r = app.reader.as_ref().unwrap();
    let (line, _, _) = r.find.hits[r.find.current];
    assert!(line >= r.scroll && line < r.scroll + app.reader_rows());
    run(&mut app, [Action::Cancel]);
    assert!(app.reader.as_ref().unwrap().find.hits.is_empty());
}

#[test]
fn toc_jumps_to_a_heading() {
    let mut app = app();
    run(
        &mut app,
        [
            Action::Open,
            Action::ToggleToc,
            Action::Down,
            Action::Down,
            Action::Open,
        ],
    );
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
fn q_backs_out_then_quits_and_ctrl_c_always_quits() {
    let mut app = app();
    run(&mut app, [Action::Open, Action::ToggleHelp]);
    run(&mut app, [Action::Quit]);
    assert!(app.overlay.is_none() && app.screen == Screen::Reader);
    run(&mut app, [Action::Quit]);
    assert_eq!(app.screen, Screen::Library);
    assert!(!app.quit);
    run(&mut app, [Action::Quit]);
    assert!(app.quit);
    let mut app2 = self::app();
    run(&mut app2, typed("abc"));
    let a = action_for(&app2, &Input::Key(Key::ctrl('c'))).unwrap();
    run(&mut app2, [a]);
    assert!(app2.quit);
}

#[test]
fn keys_drive_the_app_headless() {
    let mut app = app();
    let keys = [
        Key::char('/'),
        Key::char('s'),
        Key::char('q'),
        Key::char('l'),
        Key::plain(KeyCode::Enter),
    ];
    for key in keys {
        if let Some(a) = action_for(&app, &Input::Key(key)) {
            update_now(&mut app, a);
        }
    }
    assert_eq!(open_slug(&app).as_deref(), Some("sql"));
}

#[test]
fn scrolling_is_clamped_and_resize_keeps_selection_visible() {
    let mut app = app();
    run(&mut app, [Action::Bottom]);
    assert_eq!(app.list.selected, 3);
    run(&mut app, [Action::Resize(50, 10)]);
    assert!(
        app.list.selected >= app.list.offset
            && app.list.selected < app.list.offset + app.list_rows()
    );
    run(&mut app, [Action::Top, Action::Open, Action::Bottom]);
    let r = app.reader.as_ref().unwrap();
    assert_eq!(r.scroll, r.layout.lines.len() - app.reader_rows());
    run(&mut app, [Action::Scroll(-1000)]);
    assert_eq!(app.reader.as_ref().unwrap().scroll, 0);
}

// Clicks. The cells below follow the layout at 120 columns (wide: list beside the preview):
// the search line is row 0, the list's top border row 1, its rows start on row 2 and the
// status line is the last row; the list spans columns 0–53 (45%), the preview the rest.

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

#[test]
fn typed_text_is_capped_and_find_rescans_once_per_burst() {
    use crate::app::update::MAX_INPUT_CHARS;
    let mut app = app();
    run(&mut app, [Action::Open, Action::StartSearch]);
    // A flood of typed keys, as one burst: the text stops at the cap and nothing is
    // rescanned until the burst is settled.
    for c in "after ".chars().cycle().take(64 * 1024) {
        update(&mut app, Action::Input(c));
    }
    let find = &app.reader.as_ref().unwrap().find;
    assert_eq!(find.input.chars().count(), MAX_INPUT_CHARS);
    assert!(find.stale && find.hits.is_empty(), "no rescan per key");
    crate::app::settle(&mut app);
    let find = &app.reader.as_ref().unwrap().find;
    assert!(!find.stale);
    // Backspace back to a word that is there: one settle finds it.
    for _ in 0..MAX_INPUT_CHARS - "after".len() {
        update(&mut app, Action::Backspace);
    }
    crate::app::settle(&mut app);
    assert!(!app.reader.as_ref().unwrap().find.hits.is_empty());
    // Any other action settles first, so n finds what was typed.
    update(&mut app, Action::Input('x'));
    update(&mut app, Action::Backspace);
    update(&mut app, Action::SubmitInput);
    assert!(!app.reader.as_ref().unwrap().find.stale);

    // The library search line is capped the same way.
    run(&mut app, [Action::Back, Action::Back, Action::StartSearch]);
    run(
        &mut app,
        "remote ".chars().cycle().take(5000).map(Action::Input),
    );
    assert_eq!(app.search.input.chars().count(), MAX_INPUT_CHARS);
}

/// An app with one article of `n` external links, opened in the reader.
fn many_links(n: usize) -> App {
    let body: String = (1..=n)
        .map(|i| format!("<p>Step {i}: <a href=\"https://links.example/p{i}\">page {i}</a>.</p>"))
        .collect();
    let text = format!(
        "---\ntitle: Many Links\nslug: many\npubDate: 2025-09-01\ncategory: interviewing\n---\n{body}\n"
    );
    let (lib, source) = load_memory(
        vec![SourceFile {
            path: "many.md".into(),
            bytes: text.into_bytes(),
        }],
        Vec::new(),
        LoadOptions::default(),
    );
    let lib = Arc::new(lib);
    let mut app = App::new(lib, source, Saved::default(), AppOptions::default());
    update_now(&mut app, Action::Resize(100, 30));
    run(&mut app, [Action::Open]);
    assert_eq!(app.reader.as_ref().unwrap().doc.links.len(), n);
    app
}

fn copied(fx: &[Effect]) -> Vec<String> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Copy(url) | Effect::OpenUrl(url) => Some(url.clone()),
            _ => None,
        })
        .collect()
}

fn keys(app: &mut App, text: &str) -> Vec<Effect> {
    let actions: Vec<Action> = text
        .chars()
        .filter_map(|c| {
            let code = match c {
                '\r' => KeyCode::Enter,
                '\x1b' => KeyCode::Esc,
                c => KeyCode::Char(c),
            };
            action_for(app, &Input::Key(Key::plain(code)))
        })
        .collect();
    run(app, actions)
}

#[test]
fn link_numbers_of_two_digits_are_reachable_by_keyboard() {
    let mut app = many_links(23);
    // No other link starts with 3: followed at once.
    assert_eq!(copied(&keys(&mut app, "3")), ["https://links.example/p3"]);
    // 1 could be 1 or 10–19: it waits, then 2 makes 12.
    assert!(copied(&keys(&mut app, "1")).is_empty());
    assert_eq!(app.reader.as_ref().unwrap().link_number, "1");
    assert_eq!(copied(&keys(&mut app, "2")), ["https://links.example/p12"]);
    // 2 could be 2 or 20–23: Enter takes it as 2.
    assert!(copied(&keys(&mut app, "2")).is_empty());
    assert_eq!(copied(&keys(&mut app, "\r")), ["https://links.example/p2"]);
    assert_eq!(copied(&keys(&mut app, "23")), ["https://links.example/p23"]);
    // Past the last link: said so.
    keys(&mut app, "27");
    assert_eq!(
        app.message.as_deref(),
        Some("This article has no link [27]")
    );
    // A leading 0 is nothing; Esc forgets a number; another key ends it.
    assert!(copied(&keys(&mut app, "0")).is_empty());
    assert!(copied(&keys(&mut app, "1\x1b")).is_empty());
    assert_eq!(app.reader.as_ref().unwrap().link_number, "");
    assert_eq!(app.screen, Screen::Reader, "Esc only forgot the number");
    assert!(copied(&keys(&mut app, "1j2")).is_empty());
    assert_eq!(app.reader.as_ref().unwrap().link_number, "2");
}

#[test]
fn with_nine_links_or_fewer_a_digit_follows_at_once() {
    let mut app = many_links(9);
    assert_eq!(copied(&keys(&mut app, "1")), ["https://links.example/p1"]);
    assert_eq!(copied(&keys(&mut app, "9")), ["https://links.example/p9"]);
}

/// The facet panel's rows as (facet, value, count).
fn facet_rows(app: &App) -> Vec<(String, String, usize)> {
    app.facets
        .rows()
        .into_iter()
        .map(|r| {
            let (name, v) = app.facets.pair(r);
            (name.to_owned(), v.value.clone(), v.count)
        })
        .collect()
}

#[test]
fn the_facet_panel_keeps_its_order_while_open_and_space_toggles_the_same_value() {
    let mut app = app();
    run(&mut app, [Action::ToggleFacets]);
    let before = facet_rows(&app);
    // Pick a value whose filter empties other values' counts.
    let target = before
        .iter()
        .position(|(n, v, _)| n == "role" && v == "data-analyst")
        .expect("fixture has role data-analyst");
    app.facets.selected = target;
    run(&mut app, [Action::Open]);
    let after = facet_rows(&app);
    let names = |rows: &[(String, String, usize)]| -> Vec<(String, String)> {
        rows.iter()
            .map(|(n, v, _)| (n.clone(), v.clone()))
            .collect()
    };
    assert_eq!(
        names(&after)[..before.len()],
        names(&before)[..],
        "same rows, same places"
    );
    assert!(
        after.iter().any(|(_, _, c)| *c == 0),
        "values that fell to 0 stay: {after:?}"
    );
    assert_eq!(app.facets.selected, target, "cursor stays on its value");
    assert!(app.facets.is_active("role", "data-analyst"));
    // The next Space toggles that same value back off.
    run(&mut app, [Action::Open]);
    assert!(app.facets.active.is_empty());
    // Closed and opened again, the panel is sorted afresh (by count).
    run(&mut app, [Action::ToggleFacets, Action::ToggleFacets]);
    assert_eq!(facet_rows(&app), before);
}

#[test]
fn esc_after_a_search_keeps_the_selected_article() {
    let mut app = app();
    run(&mut app, typed("sql"));
    let chosen = app.selected_article().unwrap();
    assert_eq!(app.library.get(chosen).slug, "sql");
    run(&mut app, [Action::Cancel]);
    assert!(app.search.input.is_empty());
    assert_eq!(app.list.visible.len(), 4, "the whole list again");
    assert_eq!(app.selected_article(), Some(chosen), "still on the article");
    // A new query starts at its best match.
    run(&mut app, typed("resume"));
    assert_eq!(app.list.selected, 0);
}

#[test]
fn capital_y_and_a_number_copy_that_link() {
    let mut app = many_links(23);
    let fx = keys(&mut app, "Y12");
    assert_eq!(fx, vec![Effect::Copy("https://links.example/p12".into())]);
    assert_eq!(
        app.message.as_deref(),
        Some("Copied link [12]: https://links.example/p12")
    );
    // Enter for a number that prefixes others; Esc forgets it; then digits follow again.
    let fx = keys(&mut app, "Y2\r");
    assert_eq!(fx, vec![Effect::Copy("https://links.example/p2".into())]);
    assert!(keys(&mut app, "Y\x1b").is_empty());
    assert!(!app.reader.as_ref().unwrap().copy_link);
    assert_eq!(app.screen, Screen::Reader);
    keys(&mut app, "Y27");
    assert_eq!(
        app.message.as_deref(),
        Some("This article has no link [27]")
    );
}

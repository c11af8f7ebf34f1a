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

mod clicks;

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

#[test]
fn backlinks_that_arrive_after_the_first_frame_join_an_open_related_panel() {
    use crate::content::index::RelatedKind;
    use crate::content::index::tests::{graph_of, index_without_links};
    use crate::content::load::source::Source;
    let files = vec![
        long_article("long", &["resume"]),
        article_file(
            "resume",
            "Resume Keywords",
            "resume-cover-letters",
            &["data-analyst"],
            &["resume"],
            "2025-02-01",
            &[],
        ),
    ];
    let lib = Arc::new(index_without_links(&files));
    let mut app = App::new(
        lib.clone(),
        Source::memory(files.clone()),
        Saved::default(),
        AppOptions::default(),
    );
    update_now(&mut app, Action::Resize(120, 30));
    let resume = lib.by_slug("resume").unwrap().id;
    let long = lib.by_slug("long").unwrap().id;
    run(
        &mut app,
        [Action::OpenArticle(resume), Action::ToggleRelated],
    );
    let backlinks = |app: &App| match &app.overlay {
        Some(Overlay::Related { items, .. }) => items
            .iter()
            .filter(|i| i.label == RelatedLabel::Kind(RelatedKind::Backlink))
            .map(|i| i.id)
            .collect::<Vec<_>>(),
        other => panic!("no related panel: {other:?}"),
    };
    assert!(backlinks(&app).is_empty());
    assert!(lib.set_link_graph(graph_of(&lib, &files)));
    app.dirty = false;
    update_now(&mut app, Action::LinksReady);
    assert_eq!(backlinks(&app), vec![long]);
    assert!(app.dirty);
}

/// An app over one article whose body is `body`, sized 120×30, and that article's id.
fn one_article_app(slug: &str, body: &str) -> (App, crate::content::ArticleId) {
    let files = vec![SourceFile {
        path: format!("{slug}.md"),
        bytes: format!("---\ntitle: Words\n---\n{body}\n").into_bytes(),
    }];
    let (lib, source) = load_memory(files, Vec::new(), LoadOptions::default());
    let mut app = App::new(
        Arc::new(lib),
        source,
        Saved::default(),
        AppOptions::default(),
    );
    update_now(&mut app, Action::Resize(120, 30));
    let id = app.library.by_slug(slug).unwrap().id;
    (app, id)
}

/// Opens `id`, finds `query` in it and gives the text of each hit, then closes find.
fn find_hits(app: &mut App, id: crate::content::ArticleId, query: &str) -> Vec<String> {
    run(app, [Action::OpenArticle(id), Action::StartSearch]);
    run(app, query.chars().map(Action::Input));
    let r = app.reader.as_ref().unwrap();
    let found = r
        .find
        .hits
        .iter()
        .map(|&(line, start, end)| {
            let text: String = r.layout.lines[line]
                .spans
                .iter()
                .map(|s| s.text.as_str())
                .collect();
            text.chars().skip(start).take(end - start).collect()
        })
        .collect();
    run(app, [Action::Cancel, Action::Cancel]);
    found
}

#[test]
fn find_in_article_folds_accents_and_decomposed_letters() {
    let (mut app, id) = one_article_app(
        "naive",
        "A Naïve plan, a Nai\u{308}ve hope and a NAIVE guess; naivety aside.",
    );
    for query in ["naïve", "naive", "NAI\u{308}VE"] {
        // Each whole word, its accent included; `naivety` holds `naive` too.
        assert_eq!(
            find_hits(&mut app, id, query),
            ["Naïve", "Nai\u{308}ve", "NAIVE", "naive"],
            "{query:?}"
        );
    }
}

#[test]
fn a_find_hit_covers_whole_graphemes_and_joiners_alone_find_nothing() {
    let (mut app, id) = one_article_app(
        "emoji",
        "The \u{1F469}\u{200D}\u{1F4BB} coder and the \u{1F1E9}\u{1F1EA} flag.",
    );
    for (query, want) in [
        ("\u{1F469}", vec!["\u{1F469}\u{200D}\u{1F4BB}"]),
        ("\u{1F1EA}", vec!["\u{1F1E9}\u{1F1EA}"]),
        ("\u{200D}", vec![]),
    ] {
        assert_eq!(find_hits(&mut app, id, query), want, "{query:?}");
    }
}

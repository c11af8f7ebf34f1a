//! Update tests: sequences of actions and the state they lead to.

use std::sync::Arc;

use super::keymap::{Input, Key, KeyCode, action_for};
use super::state::{Focus, Mode, Overlay, RelatedLabel, Screen};
use super::*;
use crate::content::library::tests::article_file;
use crate::content::source::SourceFile;
use crate::content::{Library, LoadOptions};

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
    let lib = Arc::new(Library::from_files(
        files,
        Vec::new(),
        LoadOptions::default(),
    ));
    let mut app = App::new(
        lib,
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
    assert!(intent.iter().all(|c| c.value != "salary"), "{intent:?}");
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
            RelatedLabel::Kind(crate::content::library::RelatedKind::Explicit)
        )
    );
    assert!(labels.iter().any(|(s, l)| s == "salary"
        && *l == RelatedLabel::Kind(crate::content::library::RelatedKind::Backlink)));
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

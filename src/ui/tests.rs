//! Snapshot tests of whole screens on a small fixed library, driven through actions.
//!
//! Each scenario renders at 80×24 and 140×40 into a `TestBackend`; the `.snap` files under
//! `src/ui/snapshots/` are what a reader sees.

use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};

use crate::app::keymap::{Input, action_for};
use crate::app::state::{Overlay, Position, Screen};
use crate::app::{Action, App, AppOptions, Saved, update_now};
use crate::content::index::tests::article_file;
use crate::content::load::source::SourceFile;
use crate::content::{Index, LoadOptions, load_memory};

pub(super) const SIZES: [(u16, u16); 4] = [(60, 20), (80, 24), (140, 40), (200, 60)];

/// An article with headings, a list, a table, a quote, code, and internal and external links.
fn guide_file() -> SourceFile {
    let mut body = String::from(
        "<h2>Before you start</h2>\
         <p>The first weeks in a new role set the tone. Read <a href=\"https://careerhub.example/blog/sql-skills\">SQL skills every analyst needs</a> \
         and keep <em>notes</em> of what you learn; the <strong>questions</strong> you ask now are cheap.</p>\
         <ul><li>Meet your manager in the first week</li><li>Map the people who depend on your work</li>\
         <li>Find one small win you can ship</li></ul>\
         <h3>A checklist</h3>\
         <table><tr><th>Week</th><th>Goal</th></tr><tr><td>1</td><td>Listen and take notes</td></tr>\
         <tr><td>4</td><td>Ship a small improvement</td></tr><tr><td>12</td><td>Own a project</td></tr></table>\
         <blockquote><p>Ask the question you are afraid to ask.</p></blockquote>\
         <p>Run <code>git log</code> on the team's main repository to see who works on what.</p>",
    );
    for week in 1..=6 {
        body.push_str(&format!(
            "<h2>Week {week}</h2><p>In week {week}, review what the team shipped and write down \
             one thing you would improve. Share it with your manager and ask what they would \
             change. See the <a href=\"https://careerhub.example/blog/data-analyst-interview\">interview guide</a> \
             or the <a href=\"https://example.org/onboarding\">onboarding handbook</a> for ideas.</p>"
        ));
    }
    let text = format!(
        "---\ntitle: \"Your First 90 Days in a New Role\"\nslug: first-90-days\n\
         description: A week-by-week plan for starting a new job well, from listening to owning a project.\n\
         canonical: \"https://careerhub.example/blog/first-90-days\"\npubDate: 2025-04-02\n\
         category: career-growth\ndraft: false\narchived: false\ntags:\n  role:\n    - general\n    - data-analyst\n\
         \x20 intent:\n    - grow\n  seniority:\n    - junior\n---\n{body}\n\n---\n\n## Related articles\n\n\
         - [Resume tips](https://careerhub.example/blog/resume-tips)\n"
    );
    SourceFile {
        path: "blog/first-90-days.md".into(),
        bytes: text.into_bytes(),
    }
}

fn library_files() -> Vec<SourceFile> {
    vec![
        article_file(
            "data-analyst-interview",
            "How to Ace a Data Analyst Interview",
            "interviewing",
            &["data-analyst"],
            &["interview"],
            "2025-03-10",
            &["sql-skills"],
        ),
        article_file(
            "sql-skills",
            "SQL Skills Every Analyst Needs",
            "skills",
            &["data-analyst", "software-engineer"],
            &["learn"],
            "2025-02-01",
            &[],
        ),
        article_file(
            "resume-tips",
            "Resume Tips for Career Changers",
            "resumes",
            &["general"],
            &["apply"],
            "2024-11-20",
            &[],
        ),
        article_file(
            "salary-negotiation",
            "Negotiating Your First Salary Offer Without Fear",
            "offers",
            &["general", "software-engineer"],
            &["negotiate"],
            "2024-09-05",
            &[],
        ),
        article_file(
            "remote-work",
            "Thriving in Remote Work",
            "workplace",
            &["general"],
            &["grow"],
            "2024-06-15",
            &[],
        ),
        article_file(
            "product-manager-path",
            "Becoming a Product Manager",
            "career-paths",
            &["product-manager"],
            &["explore"],
            "2024-04-01",
            &["remote-work"],
        ),
        guide_file(),
    ]
}

fn saved() -> Saved {
    let at = |permille| Position {
        heading: None,
        offset: 0,
        permille,
    };
    Saved {
        positions: [
            ("sql-skills".to_owned(), at(420)),
            ("resume-tips".to_owned(), at(980)),
        ]
        .into(),
        ..Saved::default()
    }
}

fn options(color: bool) -> AppOptions {
    AppOptions {
        color,
        ..AppOptions::default()
    }
}

/// A fresh app on the fixture library, sized `w`×`h`, after `actions`.
pub(super) fn app_after(w: u16, h: u16, color: bool, actions: &[Action]) -> App {
    let (library, source) = load_memory(library_files(), Vec::new(), LoadOptions::default());
    let mut app = App::new(Arc::new(library), source, saved(), options(color));
    update_now(&mut app, Action::Resize(w, h));
    for action in actions {
        update_now(&mut app, action.clone());
    }
    app
}

pub(super) fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|frame| super::render(app, frame)).unwrap();
    terminal
}

pub(super) fn id_of(slug: &str) -> crate::content::ArticleId {
    let library = Index::from_files(library_files(), Vec::new(), LoadOptions::default());
    library.by_slug(slug).unwrap().id
}

/// Actions that type `text` into the focused input.
fn typing(text: &str) -> Vec<Action> {
    text.chars().map(Action::Input).collect()
}

/// Snapshots a scenario at both sizes.
fn snapshot(name: &str, actions: &[Action]) {
    for (w, h) in SIZES {
        let app = app_after(w, h, true, actions);
        let terminal = draw(&app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

pub(super) fn reading(extra: &[Action]) -> Vec<Action> {
    let mut actions = vec![Action::OpenArticle(id_of("first-90-days"))];
    actions.extend_from_slice(extra);
    actions
}

/// A body hit shows its snippet under the title; Enter opens the article at the match, with
/// find set to the matched word; the status line shows indexing progress.
#[test]
fn body_hits_show_a_snippet_and_open_at_the_match() {
    use crate::content::search::fulltext::{BodyIndex, Corpus, tests::fixture_files};
    let (library, source) = load_memory(fixture_files(), Vec::new(), LoadOptions::default());
    let library = Arc::new(library);
    let corpus = Corpus {
        index: &library,
        source: &source,
    };
    let body = BodyIndex::open(&corpus, LoadOptions::default(), None).unwrap();
    body.update(&corpus).unwrap();
    let mut app = App::new(library.clone(), source, Saved::default(), options(true));
    app.body = Some(Arc::new(body));
    update_now(&mut app, Action::Resize(80, 24));
    update_now(
        &mut app,
        Action::IndexProgress {
            done: 4210,
            total: 10000,
            finished: false,
        },
    );
    update_now(&mut app, Action::StartSearch);
    for action in typing("negotiate") {
        update_now(&mut app, action);
    }
    let terminal = draw(&app, 80, 24);
    insta::assert_snapshot!("body_hit_snippet_80x24", terminal.backend());
    // The snippet row marks the matched word.
    let buffer = terminal.backend().buffer();
    let row: String = (0..80).map(|x| buffer[(x, 3)].symbol()).collect();
    assert!(row.contains("Negotiating calmly"), "{row}");
    let x = row.find("Negotiating").unwrap() as u16;
    assert!(
        buffer[(x, 3)].modifier.contains(Modifier::BOLD)
            || buffer[(x, 3)].fg != buffer[(x - 2, 3)].fg
    );
    update_now(&mut app, Action::SubmitInput);
    update_now(&mut app, Action::Open);
    let r = app.reader.as_ref().expect("opened");
    assert_eq!(r.find.input, "Negotiating");
    let &(line, _, _) = r.find.hits.first().expect("a find hit");
    assert!(r.scroll <= line && line < r.scroll + app.reader_rows());
    let terminal = draw(&app, 80, 24);
    insta::assert_snapshot!("body_hit_opened_80x24", terminal.backend());
    // n goes on from there (one match here: it stays).
    update_now(&mut app, Action::FindNext);
    assert_eq!(app.reader.as_ref().unwrap().find.current, 0);
    // Progress ends: the status line says nothing more about it.
    update_now(
        &mut app,
        Action::IndexProgress {
            done: 5,
            total: 5,
            finished: true,
        },
    );
    assert_eq!(app.indexing, None);
}

#[test]
fn library_initial() {
    snapshot("library_initial", &[]);
}

#[test]
fn library_with_query() {
    let mut actions = vec![Action::StartSearch];
    actions.extend(typing("analyst"));
    snapshot("library_query", &actions);
}

#[test]
fn matched_characters_are_highlighted() {
    let mut actions = vec![Action::StartSearch];
    actions.extend(typing("analyst"));
    let app = app_after(80, 24, true, &actions);
    assert!(!app.list.results.is_empty());
    let terminal = draw(&app, 80, 24);
    let buffer = terminal.backend().buffer();
    let highlighted = buffer
        .content()
        .iter()
        .filter(|c| c.modifier.contains(Modifier::BOLD) && c.fg == Color::Yellow)
        .count();
    assert!(highlighted >= "analyst".len(), "{highlighted} cells");
}

#[test]
fn facet_panel_with_an_active_filter() {
    // Open the panel, move to the `data-analyst` role and tick it.
    let probe = app_after(140, 40, true, &[Action::ToggleFacets]);
    let rows = probe.facets.rows();
    let index = rows
        .iter()
        .position(|&r| probe.facets.pair(r).1.value == "data-analyst")
        .unwrap();
    let mut actions = vec![Action::ToggleFacets];
    actions.extend(std::iter::repeat_n(Action::Down, index));
    actions.push(Action::Open);
    snapshot("facets_active", &actions);
}

#[test]
fn reading_scrolled() {
    snapshot("reader_scrolled", &reading(&[Action::Scroll(6)]));
}

#[test]
fn find_in_article() {
    let mut extra = vec![Action::StartSearch];
    extra.extend(typing("week"));
    extra.push(Action::FindNext);
    snapshot("reader_find", &reading(&extra));
}

#[test]
fn table_of_contents() {
    snapshot(
        "reader_toc",
        &reading(&[Action::Scroll(12), Action::ToggleToc]),
    );
}

#[test]
fn related_panel() {
    snapshot("reader_related", &reading(&[Action::ToggleRelated]));
}

#[test]
fn help() {
    snapshot("help", &[Action::ToggleHelp]);
}

#[test]
fn bookmarks_empty() {
    snapshot("bookmarks_empty", &[Action::ShowBookmarks]);
}

#[test]
fn bookmarks_with_entries() {
    snapshot(
        "bookmarks",
        &[
            Action::ToggleBookmark,
            Action::Down,
            Action::Down,
            Action::ToggleBookmark,
            Action::ShowBookmarks,
        ],
    );
}

#[test]
fn too_small() {
    let app = app_after(30, 8, true, &[]);
    let terminal = draw(&app, 30, 8);
    insta::assert_snapshot!("too_small_30x8", terminal.backend());
}

#[test]
fn no_color_means_no_colour_at_all() {
    let scenarios: Vec<Vec<Action>> = vec![
        vec![],
        vec![Action::StartSearch, Action::Input('a')],
        vec![Action::ToggleFacets, Action::Open],
        reading(&[Action::StartSearch, Action::Input('w')]),
        reading(&[Action::ToggleToc]),
        reading(&[Action::ToggleRelated]),
        vec![Action::ToggleBookmark, Action::ShowBookmarks],
        vec![Action::ToggleHelp],
    ];
    for actions in &scenarios {
        for (w, h) in SIZES {
            let app = app_after(w, h, false, actions);
            let terminal = draw(&app, w, h);
            for cell in terminal.backend().buffer().content() {
                assert_eq!(
                    (cell.fg, cell.bg),
                    (Color::Reset, Color::Reset),
                    "{actions:?} at {w}×{h}: {cell:?}"
                );
            }
        }
    }
}

#[test]
fn hostile_titles_are_cleaned() {
    let files = vec![article_file(
        "evil",
        "Evil \u{202e}title\\x1b[31m red",
        "tricks",
        &["general"],
        &["learn"],
        "2025-01-01",
        &[],
    )];
    let (library, source) = load_memory(files, Vec::new(), LoadOptions::default());
    let title = library.articles()[0].title.clone();
    let id = library.articles()[0].id;
    let mut app = App::new(Arc::new(library), source, Saved::default(), options(true));
    update_now(&mut app, Action::Resize(100, 20));
    let mut screens = vec![draw(&app, 100, 20)];
    update_now(&mut app, Action::OpenArticle(id));
    screens.push(draw(&app, 100, 20));
    update_now(&mut app, Action::ToggleRelated);
    screens.push(draw(&app, 100, 20));
    for terminal in screens {
        let text: String = terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        assert!(text.contains("Evil"), "{text}");
        assert!(
            !text.contains('\u{202e}') && !text.contains('\x1b'),
            "{title:?}"
        );
    }
}

#[test]
fn any_size_and_state_draws_without_panicking() {
    let scenarios: Vec<Vec<Action>> = vec![
        vec![],
        vec![Action::ToggleFacets, Action::Bottom, Action::Open],
        reading(&[Action::Bottom, Action::StartSearch, Action::Input('e')]),
        reading(&[Action::ToggleToc, Action::Bottom]),
        reading(&[Action::ToggleRelated]),
        vec![Action::ToggleHelp],
        vec![Action::StartSearch, Action::Input('z'), Action::Input('q')],
    ];
    for actions in &scenarios {
        for (w, h) in [
            (1, 1),
            (39, 9),
            (40, 10),
            (41, 11),
            (60, 15),
            (99, 30),
            (100, 12),
        ] {
            let app = app_after(w, h, true, actions);
            draw(&app, w, h);
            // A resize the app has not seen yet: the frame and `app.size` disagree.
            draw(&app, w / 2 + 1, h + 7);
        }
    }
}

#[test]
fn the_search_cursor_follows_the_query() {
    let mut actions = vec![Action::StartSearch];
    actions.extend(typing("sql"));
    let app = app_after(80, 24, true, &actions);
    let mut terminal = draw(&app, 80, 24);
    let cursor = terminal.get_cursor_position().unwrap();
    assert_eq!((cursor.x, cursor.y), (6, 0));
    assert_eq!(app.screen, Screen::Library);
}

#[test]
fn find_hits_are_highlighted_and_the_current_one_stronger() {
    let mut extra = vec![Action::StartSearch];
    extra.extend(typing("week"));
    extra.push(Action::FindNext);
    let app = app_after(80, 24, true, &reading(&extra));
    let terminal = draw(&app, 80, 24);
    let cells = terminal.backend().buffer().content();
    let current = cells.iter().filter(|c| c.bg == Color::LightRed).count();
    let others = cells.iter().filter(|c| c.bg == Color::Yellow).count();
    assert_eq!(current, "week".len());
    assert!(others >= "week".len(), "{others}");
}

#[test]
fn the_selected_facet_value_is_highlighted() {
    let app = app_after(80, 24, true, &[Action::ToggleFacets, Action::Down]);
    let terminal = draw(&app, 80, 24);
    let buffer = terminal.backend().buffer();
    // Row 2 is the first heading, row 3 the first value, row 4 the selected second value.
    let row = |y: u16| (1..79).map(|x| buffer[(x, y)].bg).collect::<Vec<_>>();
    assert!(row(4).iter().all(|&bg| bg == Color::Blue));
    assert!(row(3).iter().all(|&bg| bg == Color::Reset));
}

pub(super) fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let width = usize::from(buffer.area.width);
    let symbols: Vec<&str> = buffer.content().iter().map(|c| c.symbol()).collect();
    symbols
        .chunks(width)
        .map(|row| row.concat())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn an_empty_result_says_how_to_get_articles_back() {
    let mut actions = vec![Action::ToggleFacets, Action::Open, Action::StartSearch];
    actions.extend(typing("zzzz"));
    for (w, h) in SIZES {
        let app = app_after(w, h, true, &actions);
        assert!(app.list.visible.is_empty());
        let text = screen_text(&draw(&app, w, h));
        assert!(
            text.contains("No articles match “zzzz” with 1 filter(s)."),
            "{text}"
        );
        assert!(
            text.contains("Esc clears the search, x clears filters"),
            "{text}"
        );
    }
}

#[test]
fn narrow_terminals_show_one_pane_at_a_time() {
    let app = app_after(80, 24, true, &[Action::ToggleFacets]);
    let text = screen_text(&draw(&app, 80, 24));
    assert!(
        text.contains("Filters") && !text.contains("Articles"),
        "{text}"
    );
    let app = app_after(80, 24, true, &[Action::ToggleFacets, Action::NextPane]);
    let text = screen_text(&draw(&app, 80, 24));
    assert!(
        !text.contains("Filters") && text.contains("Articles"),
        "{text}"
    );
}

// Clicks land where things are drawn: `update` maps a click with `app::geometry`, the views
// draw with it; these tests click cells found in the rendered buffer.

/// Every cell where `needle` (ASCII) starts on screen, top to bottom.
fn cells_of(terminal: &Terminal<TestBackend>, needle: &str) -> Vec<(u16, u16)> {
    let buffer = terminal.backend().buffer();
    let area = buffer.area;
    let mut found = Vec::new();
    for y in area.top()..area.bottom() {
        let row: Vec<&str> = (area.left()..area.right())
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        for x in 0..row.len() {
            if row[x..]
                .iter()
                .take(needle.len())
                .copied()
                .collect::<String>()
                == needle
            {
                found.push((area.left() + x as u16, y));
            }
        }
    }
    found
}

/// The one cell where `needle` is drawn, a few columns in (so not on its first letter).
pub(super) fn cell_of(terminal: &Terminal<TestBackend>, needle: &str) -> (u16, u16) {
    let found = cells_of(terminal, needle);
    assert_eq!(
        found.len(),
        1,
        "{needle:?} drawn at {found:?}\n{}",
        screen_text(terminal)
    );
    let (x, y) = found[0];
    (x + 3, y)
}

/// Clicks as a terminal would report it: through the keymap, then `update`.
/// Where `title` is drawn in the article list: the leftmost pane, as the preview beside it
/// shows the selected article's title too.
fn list_cell_of(terminal: &Terminal<TestBackend>, title: &str) -> (u16, u16) {
    let (x, y) = cells_of(terminal, title)
        .into_iter()
        .min_by_key(|&(x, _)| x)
        .unwrap_or_else(|| panic!("{title:?} not drawn\n{}", screen_text(terminal)));
    (x + 3, y)
}

pub(super) fn click(app: &mut App, (column, row): (u16, u16)) {
    let action = action_for(app, &Input::Click { column, row }).unwrap();
    update_now(app, action);
}

pub(super) fn slug_of(app: &App, id: crate::content::ArticleId) -> String {
    app.library.get(id).slug.clone()
}

#[test]
fn clicking_a_drawn_title_selects_that_article() {
    for (w, h) in [(80, 10), (100, 12), (140, 40)] {
        // Scrolled to the bottom: at 10 rows the newest article is off screen.
        let mut app = app_after(w, h, true, &[Action::Bottom]);
        if h == 10 {
            assert!(app.list.offset > 0, "the list is scrolled");
            let terminal = draw(&app, w, h);
            assert!(cells_of(&terminal, "Your First 90").is_empty());
        }
        let drawn: Vec<_> = app.list.visible[app.list.offset..]
            .iter()
            .take(app.list_rows())
            .map(|&i| app.list.results[i].id)
            .collect();
        assert!(drawn.len() >= 5, "{w}×{h}");
        let selected = app.selected_article();
        for &id in drawn.iter().filter(|&&id| Some(id) != selected) {
            let title = app.library.get(id).title[..12].to_owned();
            let terminal = draw(&app, w, h);
            click(&mut app, list_cell_of(&terminal, &title));
            assert_eq!(app.selected_article(), Some(id), "{w}×{h}: {title}");
        }
        // A second click on the highlighted title opens it.
        let id = app.selected_article().unwrap();
        let title = app.library.get(id).title[..12].to_owned();
        let terminal = draw(&app, w, h);
        click(&mut app, list_cell_of(&terminal, &title));
        assert_eq!(app.screen, Screen::Reader);
        assert_eq!(app.reader.as_ref().map(|r| r.id), Some(id));
    }
}

#[test]
fn clicking_a_drawn_facet_value_selects_then_toggles_it() {
    for (w, h) in SIZES {
        let mut app = app_after(w, h, true, &[Action::ToggleFacets]);
        let terminal = draw(&app, w, h);
        let cell = cell_of(&terminal, "product-manager");
        click(&mut app, cell);
        let rows = app.facets.rows();
        let (facet, value) = app.facets.pair(rows[app.facets.selected]);
        assert_eq!((facet, value.value.as_str()), ("role", "product-manager"));
        assert!(app.facets.active.is_empty());
        click(&mut app, cell);
        assert!(app.facets.is_active("role", "product-manager"), "{w}×{h}");
    }
}

/// The text of row `y`.
fn row_text(terminal: &Terminal<TestBackend>, y: u16) -> String {
    let buffer = terminal.backend().buffer();
    (buffer.area.left()..buffer.area.right())
        .map(|x| buffer[(x, y)].symbol())
        .collect()
}

#[test]
fn every_clickable_cell_is_on_the_row_that_shows_its_entry() {
    use crate::app::geometry::{Target, target_at};
    let scenarios: Vec<Vec<Action>> = vec![
        vec![],
        vec![Action::Bottom],
        vec![Action::ToggleFacets],
        vec![Action::ToggleFacets, Action::Bottom],
        reading(&[Action::ToggleRelated]),
        reading(&[Action::ToggleToc, Action::Bottom]),
        vec![
            Action::ToggleBookmark,
            Action::Down,
            Action::ToggleBookmark,
            Action::ShowBookmarks,
        ],
    ];
    for actions in &scenarios {
        for (w, h) in [(40, 10), (80, 24), (100, 12), (140, 40)] {
            let app = app_after(w, h, true, actions);
            let terminal = draw(&app, w, h);
            let area = ratatui::layout::Rect::new(0, 0, w, h);
            let mut clickable = 0;
            for y in 0..h {
                let text = row_text(&terminal, y);
                for x in 0..w {
                    let Some(target) = target_at(&app, area, x, y) else {
                        continue;
                    };
                    clickable += 1;
                    let label = match target {
                        Target::Article { index, .. } => {
                            let id = app.list.results[app.list.visible[index]].id;
                            app.library.get(id).title.clone()
                        }
                        Target::FacetValue { index, .. } => {
                            let rows = app.facets.rows();
                            app.facets.pair(rows[index]).1.value.clone()
                        }
                        Target::OverlayEntry { index, .. } => match &app.overlay {
                            Some(Overlay::Related { items, .. }) => {
                                app.library.get(items[index].id).title.clone()
                            }
                            Some(Overlay::Toc { .. }) => {
                                app.reader.as_ref().unwrap().layout.toc[index].title.clone()
                            }
                            Some(Overlay::Bookmarks { .. }) => {
                                app.library.get(app.bookmarked()[index]).title.clone()
                            }
                            other => panic!("{other:?}"),
                        },
                        // Links are checked cell by cell in
                        // `every_drawn_link_cell_and_only_those_follow_their_link`, chips in
                        // `clicking_a_filter_chip_removes_that_filter`.
                        Target::Link { .. } | Target::Chip { .. } => continue,
                    };
                    // Six characters survive the narrowest columns (titles are cut with an ellipsis).
                    let prefix: String = label.chars().take(6).collect();
                    assert!(
                        text.contains(&prefix),
                        "{actions:?} at {w}×{h}: ({x}, {y}) is {target:?} ({label}) on {text:?}"
                    );
                }
            }
            assert!(clickable > 0, "{actions:?} at {w}×{h}");
        }
    }
}

// Links in the reader's text: the cells drawn for a link's text or its `[n]` marker follow
// that link when clicked, and no other cell does.

/// Clicks as a terminal would report it and returns the effects.
fn click_fx(app: &mut App, (column, row): (u16, u16)) -> Vec<crate::app::Effect> {
    let action = action_for(app, &Input::Click { column, row }).unwrap();
    update_now(app, action)
}

/// The article open in the reader.
fn reading_slug(app: &App) -> Option<String> {
    app.reader
        .as_ref()
        .filter(|_| app.screen == Screen::Reader)
        .map(|r| slug_of(app, r.id))
}

/// The guide, scrolled down a line at a time until `needle` is drawn; where it is.
fn scrolled_to(w: u16, h: u16, needle: &str) -> (App, (u16, u16)) {
    let mut app = app_after(w, h, true, &reading(&[]));
    loop {
        let found = cells_of(&draw(&app, w, h), needle);
        if let Some(&cell) = found.first() {
            return (app, cell);
        }
        let before = app.reader.as_ref().map(|r| r.scroll);
        update_now(&mut app, Action::Scroll(1));
        assert_ne!(
            app.reader.as_ref().map(|r| r.scroll),
            before,
            "{needle:?} never drawn at {w}×{h}"
        );
    }
}

#[test]
fn clicking_a_drawn_link_marker_follows_that_link() {
    // The guide's links: [1] and the even ones lead into the library, the odd ones from [3]
    // out of it; [12] and [13] cannot be reached by keys.
    let internal = [
        ("[1]", "sql-skills"),
        ("[2]", "data-analyst-interview"),
        ("[12]", "data-analyst-interview"),
    ];
    for (w, h) in [(80, 24), (140, 40), (200, 60)] {
        for (marker, slug) in internal {
            let (mut app, (x, y)) = scrolled_to(w, h, marker);
            let from = app.reader.as_ref().map(|r| r.scroll);
            click_fx(&mut app, (x + 1, y));
            assert_eq!(
                reading_slug(&app).as_deref(),
                Some(slug),
                "{marker} {w}×{h}"
            );
            update_now(&mut app, Action::Back);
            assert_eq!(reading_slug(&app).as_deref(), Some("first-90-days"));
            assert_eq!(app.reader.as_ref().map(|r| r.scroll), from);
        }
        for marker in ["[3]", "[13]"] {
            let (mut app, (x, y)) = scrolled_to(w, h, marker);
            // The last cell of the marker; copied, as the session cannot open a browser.
            let fx = click_fx(&mut app, (x + marker.len() as u16 - 1, y));
            assert_eq!(
                fx,
                [crate::app::Effect::Copy(
                    "https://example.org/onboarding".into()
                )],
                "{marker} {w}×{h}"
            );
            assert_eq!(reading_slug(&app).as_deref(), Some("first-90-days"));
        }
    }
}

#[test]
fn clicking_drawn_link_text_follows_that_link() {
    for (w, h) in [(80, 24), (140, 40), (200, 60)] {
        let (mut app, cell) = scrolled_to(w, h, "SQL skills every");
        click_fx(&mut app, cell);
        assert_eq!(reading_slug(&app).as_deref(), Some("sql-skills"), "{w}×{h}");
        // "handbook [13]": the `k` two cells before the marker.
        let (mut app, (x, y)) = scrolled_to(w, h, "[13]");
        let fx = click_fx(&mut app, (x - 2, y));
        assert_eq!(
            fx,
            [crate::app::Effect::Copy(
                "https://example.org/onboarding".into()
            )]
        );
        // The blank between the text and its marker is neither.
        let before = app.reader.as_ref().map(|r| r.scroll);
        app.dirty = false;
        assert!(click_fx(&mut app, (x - 1, y)).is_empty());
        assert!(!app.dirty);
        assert_eq!(app.reader.as_ref().map(|r| r.scroll), before);
    }
}

/// A library with an article whose links [10] and [11] come after wide characters
/// (Japanese, and emoji: a two-column sequence of three chars, one of them zero-width) on
/// their own line.
fn wide_app(w: u16, h: u16) -> App {
    let sites = (1..=9)
        .map(|k| format!("<a href=\"https://site{k}.example/\">site {k}</a>"))
        .collect::<Vec<_>>()
        .join(" ");
    let text = format!(
        "---\ntitle: 広い文字\nslug: wide\npubDate: 2025-05-01\ncategory: skills\n---\n\
         <p>{sites}</p>\
         <p>日本語の見出し 🎯 <a href=\"https://careerhub.example/blog/sql-skills\">SQLの基本</a> \
         と 👩\u{200D}💻 <a href=\"https://example.org/elsewhere\">外部リンク</a>。</p>"
    );
    let files = vec![
        SourceFile {
            path: "wide.md".into(),
            bytes: text.into_bytes(),
        },
        article_file(
            "sql-skills",
            "SQL Skills Every Analyst Needs",
            "skills",
            &["data-analyst"],
            &["learn"],
            "2025-02-01",
            &[],
        ),
    ];
    let (library, source) = load_memory(files, Vec::new(), LoadOptions::default());
    let library = Arc::new(library);
    let id = library.by_slug("wide").unwrap().id;
    let mut app = App::new(library, source, Saved::default(), options(true));
    update_now(&mut app, Action::Resize(w, h));
    update_now(&mut app, Action::OpenArticle(id));
    app
}

#[test]
fn links_after_wide_characters_are_clicked_where_they_are_drawn() {
    for (w, h) in SIZES {
        let app = wide_app(w, h);
        let terminal = draw(&app, w, h);
        let (x, y) = cells_of(&terminal, "SQL")[0];
        // Fourteen columns of 日本語の見出し, a space, 🎯 and a space before it.
        let row = row_text(&terminal, y);
        assert!(
            row.trim_start().starts_with("日 本 語 の 見 出 し  🎯"),
            "{row:?}"
        );
        // S, Q, L, then の and 基 and 本 two cells each: every cell of the text, both halves
        // of each wide character, and the marker after it follow link [10].
        let marker = cells_of(&terminal, "[10]")[0];
        assert_eq!(marker, (x + 10, y), "{row:?}");
        for cell in (x..x + 9).chain(marker.0..marker.0 + 4) {
            let mut app = wide_app(w, h);
            click_fx(&mut app, (cell, y));
            assert_eq!(
                reading_slug(&app).as_deref(),
                Some("sql-skills"),
                "column {cell} of {row:?}"
            );
        }
        // [11] after the emoji sequence: copied, as the session cannot open a browser.
        let (x, y) = cells_of(&terminal, "[11]")[0];
        let mut app = wide_app(w, h);
        let fx = click_fx(&mut app, (x + 2, y));
        assert_eq!(
            fx,
            [crate::app::Effect::Copy(
                "https://example.org/elsewhere".into()
            )]
        );
        // The second half of 外部リンク's last character, just before the marker's blank.
        let fx = click_fx(&mut app, (x - 2, y));
        assert_eq!(
            fx,
            [crate::app::Effect::Copy(
                "https://example.org/elsewhere".into()
            )]
        );
        // The 。 after the marker, and both halves of 日, are plain text.
        let buffer = terminal.backend().buffer();
        let first = (0..w)
            .map(|x| (x, y))
            .find(|&cell| buffer[cell].symbol() == "日")
            .unwrap();
        for cell in [(x + 4, y), (x + 5, y), first, (first.0 + 1, first.1)] {
            let mut app = wide_app(w, h);
            app.dirty = false;
            assert!(click_fx(&mut app, cell).is_empty(), "{cell:?}");
            assert!(!app.dirty, "{cell:?}");
        }
    }
}

/// The link number of each `[n]` marker drawn on row `y`, by cell.
fn markers_on(terminal: &Terminal<TestBackend>, y: u16) -> Vec<Option<usize>> {
    let buffer = terminal.backend().buffer();
    let w = buffer.area.width;
    let symbols: Vec<&str> = (0..w).map(|x| buffer[(x, y)].symbol()).collect();
    let mut out = vec![None; symbols.len()];
    for x in 0..symbols.len() {
        if symbols[x] != "[" {
            continue;
        }
        let digits: String = symbols[x + 1..]
            .iter()
            .take_while(|s| s.len() == 1 && s.as_bytes()[0].is_ascii_digit())
            .copied()
            .collect();
        let close = x + 1 + digits.len();
        if !digits.is_empty() && symbols.get(close) == Some(&"]") {
            let n: usize = digits.parse().unwrap();
            out[x..=close].fill(Some(n));
        }
    }
    out
}

#[test]
fn every_drawn_link_cell_and_only_those_follow_their_link() {
    use crate::app::geometry::{Target, target_at};
    use ratatui::style::Modifier;
    use unicode_width::UnicodeWidthStr;
    let mut apps: Vec<(App, u16, u16)> = Vec::new();
    for (w, h) in [(40, 10), (80, 24), (140, 40)] {
        for scroll in [0, 3, 6, 17, 30, 1000] {
            apps.push((
                app_after(w, h, true, &reading(&[Action::Scroll(scroll)])),
                w,
                h,
            ));
        }
        // Find marks split the drawn spans; links keep their cells.
        let mut find = vec![Action::StartSearch];
        find.extend(typing("ok ["));
        find.push(Action::SubmitInput);
        let found = app_after(w, h, true, &reading(&find));
        assert!(found.reader.as_ref().unwrap().find.hits.len() >= 5);
        apps.push((found, w, h));
        apps.push((wide_app(w, h), w, h));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (app, w, h) in &apps {
        let (w, h) = (*w, *h);
        let area = ratatui::layout::Rect::new(0, 0, w, h);
        let terminal = draw(app, w, h);
        let buffer = terminal.backend().buffer();
        // Continuation lines of a wrapped `Links` entry (no marker of their own) belong to it:
        // the layout line drawn on each row tells which are.
        let reader = app.reader.as_ref().unwrap();
        let lines = &reader.layout.lines;
        let list = lines
            .iter()
            .position(|l| l.text() == "Links")
            .unwrap_or(lines.len());
        let drawn = crate::app::geometry::screen(app, area)
            .map(|screen| crate::app::geometry::reader(reader, screen.body));
        let continued = |y: u16| -> Option<usize> {
            let drawn = drawn.as_ref()?;
            let k = drawn.scroll + usize::from(y.checked_sub(drawn.text.y)?);
            let line = lines.get(k).filter(|_| k > list)?;
            let first = line.spans.first()?;
            first.text.trim().is_empty().then_some(first.link? + 1)
        };
        // Link text waiting for the marker that ends it (possibly on a later row).
        let mut pending: Vec<(u16, u16, usize)> = Vec::new();
        for y in 0..h {
            let markers = markers_on(&terminal, y);
            let text = row_text(&terminal, y);
            // Only the `Links` list starts a line with a marker: the whole entry is its link.
            let entry = markers
                .iter()
                .zip(text.chars())
                .find(|(_, c)| *c != ' ')
                .and_then(|(m, _)| *m)
                .or_else(|| continued(y));
            let mut under = false;
            for x in 0..w {
                let cell = &buffer[(x, y)];
                let target = target_at(app, area, x, y);
                let index = match target {
                    None => None,
                    Some(Target::Link { index }) => Some(index),
                    Some(other) => panic!("({x}, {y}): {other:?}"),
                };
                // The hidden half of a wide character is what its first half is.
                let prev_wide = x > 0 && buffer[(x - 1, y)].symbol().width() == 2;
                if !prev_wide {
                    under = cell.modifier.contains(Modifier::UNDERLINED);
                }
                let expected = if let Some(n) = entry.filter(|_| y > 1 && y + 1 < h) {
                    (cell.symbol() != " " || prev_wide).then_some(n - 1)
                } else if let Some(n) = markers[usize::from(x)].filter(|_| y > 1) {
                    for (px, py, link) in pending.drain(..) {
                        assert_eq!(link, n - 1, "({px}, {py}) before [{n}] at ({x}, {y})");
                    }
                    Some(n - 1)
                } else if under {
                    let Some(link) = index else {
                        panic!("link text at ({x}, {y}) is not clickable: {text:?}")
                    };
                    pending.push((x, y, link));
                    Some(link)
                } else {
                    None
                };
                assert_eq!(
                    index,
                    expected,
                    "({x}, {y}) at {w}×{h} on {text:?}\n{}",
                    screen_text(&terminal)
                );
                if let Some(i) = index {
                    seen.insert(i);
                }
            }
        }
    }
    // Links before and after [9], in the text and in the list at the end.
    assert!(seen.contains(&0) && seen.contains(&12), "{seen:?}");
}

#[test]
fn a_link_number_being_typed_shows_in_the_status_line() {
    for (w, h) in [(60, 20), (80, 24), (200, 60)] {
        let mut app = app_after(w, h, false, &reading(&[]));
        app.reader.as_mut().unwrap().link_number = "1".into();
        let terminal = draw(&app, w, h);
        let last = terminal
            .backend()
            .buffer()
            .content()
            .chunks(usize::from(w))
            .last()
            .unwrap()
            .iter()
            .map(|c| c.symbol())
            .collect::<String>();
        assert!(last.contains("link 1_"), "{w}x{h}: {last:?}");
        assert!(last.contains("Enter follow"), "{w}x{h}: {last:?}");
    }
}

/// Every line of the help, as drawn while scrolling it from top to bottom at `w`×`h`.
fn help_seen_by_scrolling(w: u16, h: u16) -> (String, App) {
    let mut app = app_after(w, h, false, &[Action::ToggleHelp]);
    let mut seen = String::new();
    for _ in 0..200 {
        let terminal = draw(&app, w, h);
        seen.push_str(&format!("{:?}", terminal.backend()));
        let before = app.overlay.clone();
        update_now(&mut app, Action::Down);
        if app.overlay == before {
            break;
        }
    }
    (seen, app)
}

#[test]
fn help_scrolls_to_every_key_when_the_terminal_is_small() {
    use crate::app::keyhelp::KEYS;
    for (w, h) in [(60, 20), (79, 24), (80, 24), (200, 60)] {
        let (seen, _) = help_seen_by_scrolling(w, h);
        for k in KEYS {
            assert!(seen.contains(k.keys), "{w}x{h}: `{}` never shown", k.keys);
        }
    }
    // End goes to the last line at once, and the box says it scrolls.
    let app = app_after(60, 20, false, &[Action::ToggleHelp, Action::Bottom]);
    let shown = format!("{:?}", draw(&app, 60, 20).backend());
    let last = KEYS.last().unwrap();
    assert!(shown.contains(last.keys), "{shown}");
    assert!(shown.contains("↑↓ scroll"), "{shown}");
    // Where everything fits, nothing scrolls.
    let app = app_after(200, 60, false, &[Action::ToggleHelp, Action::Bottom]);
    assert_eq!(
        app.overlay,
        Some(crate::app::state::Overlay::Help { scroll: 0 })
    );
}

#[test]
fn help_scrolled_to_the_end() {
    for (w, h) in [(60, 20), (80, 24)] {
        let app = app_after(w, h, true, &[Action::ToggleHelp, Action::Bottom]);
        insta::assert_snapshot!(format!("help_end_{w}x{h}"), draw(&app, w, h).backend());
    }
}

#[test]
fn the_list_and_the_reader_show_the_same_progress() {
    let (w, h) = (120, 30);
    let mut actions = reading(&[]);
    actions.extend(std::iter::repeat_n(Action::Down, 7));
    let mut app = app_after(w, h, false, &actions);
    let reader = format!("{:?}", draw(&app, w, h).backend());
    let percent = reader
        .split(|c: char| !(c.is_ascii_digit() || c == '%'))
        .find(|t| t.ends_with('%') && t.len() > 1)
        .expect("a percentage in the reader")
        .to_owned();
    assert_ne!(percent, "0%");
    update_now(&mut app, Action::Back);
    let list = format!("{:?}", draw(&app, w, h).backend());
    assert!(
        list.contains(&percent),
        "reader says {percent}; list:\n{list}"
    );
}

#[test]
fn clicking_a_filter_chip_removes_that_filter() {
    for (w, h) in [(60, 20), (80, 24), (200, 60)] {
        let mut app = app_after(w, h, false, &[]);
        app.facets
            .active
            .insert(("role".into(), "data-analyst".into()));
        app.facets
            .active
            .insert(("intent".into(), "interview".into()));
        crate::app::update::refresh_list(&mut app);
        let narrowed = app.list.visible.len();
        let area = ratatui::layout::Rect::new(0, 0, w, h);
        let search = crate::app::geometry::library(
            &app,
            crate::app::geometry::screen(&app, area).unwrap().body,
        )
        .search;
        let chips = crate::app::geometry::filter_chips(&app, search);
        let drawn = format!("{:?}", draw(&app, w, h).backend());
        for chip in &chips {
            assert!(
                drawn.contains(&chip.text),
                "{w}x{h}: {} not drawn",
                chip.text
            );
        }
        // Click the middle of the first chip.
        let first = &chips[0];
        update_now(
            &mut app,
            Action::Click {
                column: first.rect.x + first.rect.width / 2,
                row: first.rect.y,
            },
        );
        match first.filter {
            Some(_) => assert_eq!(app.facets.active.len(), 1, "{w}x{h}"),
            None => assert!(app.facets.active.is_empty(), "{w}x{h}"),
        }
        assert!(app.list.visible.len() >= narrowed);
    }
}

#[test]
fn an_empty_folder_says_so_and_not_that_files_were_skipped() {
    let (library, source) = load_memory(Vec::new(), Vec::new(), LoadOptions::default());
    let mut app = App::new(Arc::new(library), source, Saved::default(), options(false));
    update_now(&mut app, Action::Resize(80, 24));
    let shown = format!("{:?}", draw(&app, 80, 24).backend());
    assert!(shown.contains("No articles in this folder."), "{shown}");
    assert!(!shown.contains("skipped"), "{shown}");
}

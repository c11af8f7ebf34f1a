//! `update(&mut App, Action) -> Vec<Effect>`: the only place app state changes.
//!
//! No I/O happens here. Whatever needs the outside world (running a search on the worker,
//! saving bookmarks, opening a browser, copying to the clipboard) is returned as an
//! [`Effect`] for the runtime to carry out.

use std::sync::Arc;

use ratatui::layout::Rect;

use super::action::Action;

use super::geometry::{self, Target, overlay_len, scroll_into_view};
use super::state::{
    App, Focus, Mode, Overlay, PendingOpen, Place, Position, RECENT_LIMIT, ReaderPane, RelatedItem,
    RelatedLabel, Screen, progress_permille,
};
use crate::content::ArticleId;
use crate::content::fold::{fold, fold_with_owners};
use crate::content::index::facets::FacetFilter;
use crate::content::index::{FacetCount, Related};
use crate::content::render::document::Document;
use crate::content::render::layout;
use crate::content::render::sanitize;
use crate::content::search::{Query, title_positions};
use unicode_segmentation::UnicodeSegmentation;

/// Something for the runtime to do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Run this query on the search worker and send back `Action::SearchDone`.
    Search { generation: u64, query: String },
    /// Save `app.saved` (bookmarks, positions, history).
    Persist,
    /// Open a URL in the system browser.
    OpenUrl(String),
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Read and render this article's body, then send `Action::DocumentReady`.
    LoadDocument(ArticleId),
    /// Rank this article's related list (similar by content when there is a body index, a
    /// scan of the whole library), then send `Action::RelatedReady`.
    FindRelated(ArticleId),
}

/// Applies one action. Sets `app.dirty` when the screen must be redrawn; the runner clears
/// it once it has drawn.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    // Typing into find only edits the text; every other action first brings the hits up to
    // date, so n/N/Enter and clicks see what was typed.
    if !is_edit(&action) {
        settle(app);
    }
    // The runners apply a burst of events and then draw once: an action that needs no
    // redraw (a stale search answer, a click on nothing) must not cancel the redraw an
    // earlier action of the same burst asked for.
    let pending = app.dirty;
    let fx = apply(app, action);
    app.dirty |= pending;
    fx
}

/// Finishes the work a burst of keystrokes left pending: the find hits of the article.
///
/// The runners call this once after each burst of input, before drawing, so typing N
/// characters into find rescans the article once per frame, not N times: one client pasting
/// or typing a flood of keys over SSH costs one rescan per burst.
pub fn settle(app: &mut App) {
    let rows = app.reader_rows();
    let Some(r) = app.reader.as_mut().filter(|r| r.find.stale) else {
        return;
    };
    r.find.stale = false;
    refresh_find(r);
    r.find.current = r
        .find
        .hits
        .iter()
        .position(|h| h.0 >= r.scroll)
        .unwrap_or(0);
    show_find_hit(r, rows);
    app.dirty = true;
}

fn is_edit(action: &Action) -> bool {
    matches!(
        action,
        Action::Input(_) | Action::Backspace | Action::DeleteWord | Action::ClearInput
    )
}

/// Longest text a user can type into any input (search, find): each keystroke is matched
/// against a whole article or the whole library, so the work per key must stay bounded.
pub const MAX_INPUT_CHARS: usize = 200;

/// Cuts typed text to [`MAX_INPUT_CHARS`].
fn cap_input(text: &mut String) {
    if let Some((cut, _)) = text.char_indices().nth(MAX_INPUT_CHARS) {
        text.truncate(cut);
    }
}

fn apply(app: &mut App, action: Action) -> Vec<Effect> {
    let mut fx = Vec::new();
    // A link number being typed lasts until a key that is not part of it.
    if !matches!(
        action,
        Action::LinkDigit(_)
            | Action::StartCopyLink
            | Action::Open
            | Action::Cancel
            | Action::SearchDone { .. }
            | Action::DocumentReady { .. }
            | Action::IndexProgress { .. }
            | Action::LinksReady
            | Action::Resize(..)
    ) && let Some(r) = app.reader.as_mut()
    {
        r.link_number.clear();
        r.copy_link = false;
    }
    if !matches!(
        action,
        Action::SearchDone { .. }
            | Action::DocumentReady { .. }
            | Action::IndexProgress { .. }
            | Action::LinksReady
            | Action::Notice(..)
            | Action::Resize(..)
            // A click that hits nothing must change nothing; `click` clears it on a hit.
            | Action::Click { .. }
    ) {
        app.message = None;
    }
    app.dirty = true;
    match action {
        Action::ForceQuit => {
            remember_position(app, &mut fx);
            app.quit = true;
        }
        Action::Quit => quit(app, &mut fx),
        Action::Cancel => cancel(app, &mut fx),
        Action::Resize(w, h) => resize(app, w, h),
        Action::Up => move_by(app, -1),
        Action::Down => move_by(app, 1),
        Action::PageUp => move_by(app, -(page(app) as isize)),
        Action::PageDown => move_by(app, page(app) as isize),
        Action::HalfPageUp => move_by(app, -(page(app) as isize / 2).max(1)),
        Action::HalfPageDown => move_by(app, (page(app) as isize / 2).max(1)),
        Action::Top => move_by(app, isize::MIN / 2),
        Action::Bottom => move_by(app, isize::MAX / 2),
        Action::Scroll(n) => move_by(app, n as isize),
        Action::Click { column, row } => click(app, column, row, &mut fx),
        Action::StartSearch => start_search(app),
        Action::Input(c) => edit_input(app, &mut fx, |s| s.push(c)),
        Action::Backspace => edit_input(app, &mut fx, |s| {
            s.pop();
        }),
        Action::DeleteWord => edit_input(app, &mut fx, |s| {
            let keep = s.trim_end().rfind(' ').map_or(0, |i| i + 1);
            s.truncate(keep);
        }),
        Action::ClearInput => edit_input(app, &mut fx, String::clear),
        Action::SubmitInput => submit_input(app),
        Action::SearchDone { generation, hits } => {
            if generation != app.search.generation {
                app.dirty = false; // a stale answer: a newer query is on its way
                return fx;
            }
            app.search.pending = false;
            // A cleared search (Esc) returns to the whole list on the article that was
            // selected; a query starts at its best match.
            let keep = app
                .search
                .input
                .trim()
                .is_empty()
                .then(|| app.selected_article())
                .flatten();
            app.list.results = hits;
            app.list.selected = 0;
            app.list.offset = 0;
            refresh_list(app);
            if let Some(i) = keep.and_then(|id| {
                app.list
                    .visible
                    .iter()
                    .position(|&i| app.list.results[i].id == id)
            }) {
                app.list.selected = i;
                clamp_list(app);
            }
        }
        Action::Open => open(app, &mut fx),
        Action::OpenArticle(id) => open_article(app, id, true, &mut fx),
        Action::DocumentReady { id, result } => document_ready(app, id, result, &mut fx),
        Action::LinksReady => {
            // Backlinks arrived: an open related list gains them (the preview's counts are
            // drawn from the index anyway).
            if let Some(Overlay::Related { article, .. }) = app.overlay {
                fx.push(Effect::FindRelated(article));
            }
        }
        Action::RelatedReady { id, related } => related_ready(app, id, related),
        Action::IndexProgress {
            done,
            total,
            finished,
        } => {
            app.indexing = (!finished && total > 0).then_some((done, total));
            // Once every body is indexed, the results of the current query may hold more.
            if finished && !app.search.input.trim().is_empty() {
                fx.push(request_search(app));
            }
        }
        Action::Notice(text) => app.message = Some(sanitize::line(&text).into_owned()),
        Action::Back => back(app, &mut fx),
        Action::Forward => forward(app, &mut fx),
        Action::FollowLink(n) => follow_link(app, n, &mut fx),
        Action::LinkDigit(d) => link_digit(app, d, &mut fx),
        Action::StartCopyLink => {
            if let Some(r) = app.reader.as_mut().filter(|_| app.screen == Screen::Reader) {
                r.link_number.clear();
                r.copy_link = true;
            }
        }
        Action::FindNext => step_find(app, 1),
        Action::FindPrev => step_find(app, -1),
        Action::ToggleFacets => toggle_facets(app),
        Action::ClearFilters => {
            app.facets.active.clear();
            refresh_list(app);
        }
        Action::NextPane => {
            app.focus = match app.focus {
                Focus::List if app.facets.open => Focus::Facets,
                _ => Focus::List,
            }
        }
        Action::ToggleRelated => toggle_related(app, &mut fx),
        Action::ToggleToc => toggle_overlay(
            app,
            Overlay::Toc {
                selected: current_section(app),
                top: None,
            },
        ),
        Action::ToggleHelp => toggle_overlay(app, Overlay::Help { scroll: 0 }),
        Action::ShowBookmarks => toggle_overlay(
            app,
            Overlay::Bookmarks {
                selected: 0,
                top: None,
            },
        ),
        Action::ShowHistory => toggle_overlay(
            app,
            Overlay::History {
                selected: 0,
                top: None,
            },
        ),
        Action::ToggleBookmark => toggle_bookmark(app, &mut fx),
        Action::OpenInBrowser => {
            if let Some(url) = current_url(app) {
                share_url(app, url, &mut fx);
            }
        }
        Action::CopyUrl => {
            if let Some(url) = current_url(app) {
                app.message = Some(format!("Copied {url}"));
                fx.push(Effect::Copy(url));
            }
        }
    }
    fx
}

/// Recomputes what the list shows and the facet counts after results or filters change.
pub fn refresh_list(app: &mut App) {
    let lib = app.library.clone();
    let filter = FacetFilter::new(
        &lib,
        app.facets
            .active
            .iter()
            .map(|(f, v)| (f.as_str(), v.as_str())),
    );
    let (visible, mut tally) =
        filter.filter_and_count(&lib, app.list.results.iter().map(|hit| hit.id));
    for (f, v) in &app.facets.active {
        tally.add_count(f, v, 0);
    }
    let fresh = tally.sorted();
    app.facets.counts = if app.facets.open {
        // While the panel is open its rows stay where they are under the cursor: counts
        // change in place, values that fell to 0 stay (dimmed), new ones go at the end.
        keep_order(&app.facets.counts, fresh)
    } else {
        fresh
    };
    app.list.visible = visible;
    let rows = app.facets.rows().len();
    app.facets.selected = app.facets.selected.min(rows.saturating_sub(1));
    clamp_list(app);
}

/// `fresh` counts in the order of `shown`: every facet and value of `shown` keeps its place
/// (with count 0 if it is gone), and what is new follows in `fresh`'s order.
fn keep_order(
    shown: &[(String, Vec<FacetCount>)],
    fresh: Vec<(String, Vec<FacetCount>)>,
) -> Vec<(String, Vec<FacetCount>)> {
    let mut fresh: Vec<(String, Vec<FacetCount>)> = fresh;
    let mut out = Vec::with_capacity(shown.len().max(fresh.len()));
    for (name, values) in shown {
        let new_values = fresh
            .iter_mut()
            .find(|(n, _)| n == name)
            .map(|(_, v)| std::mem::take(v))
            .unwrap_or_default();
        let mut kept: Vec<FacetCount> = values
            .iter()
            .map(|old| FacetCount {
                value: old.value.clone(),
                count: new_values
                    .iter()
                    .find(|v| v.value == old.value)
                    .map_or(0, |v| v.count),
            })
            .collect();
        kept.extend(
            new_values
                .into_iter()
                .filter(|v| !values.iter().any(|old| old.value == v.value)),
        );
        out.push((name.clone(), kept));
    }
    out.extend(
        fresh
            .into_iter()
            .filter(|(name, values)| !values.is_empty() && !shown.iter().any(|(n, _)| n == name)),
    );
    out
}

fn clamp_list(app: &mut App) {
    let len = app.list.visible.len();
    app.list.selected = app.list.selected.min(len.saturating_sub(1));
    app.list.offset = scroll_into_view(app.list.offset, app.list.selected, app.list_items());
    fill_positions(app);
}

/// Computes highlight positions for the rows on screen only: the search itself skips them,
/// as most hits are never shown.
fn fill_positions(app: &mut App) {
    let words = Query::parse(&app.search.input).words;
    if words.is_empty() {
        return;
    }
    let end = (app.list.offset + app.list_items()).min(app.list.visible.len());
    for &i in &app.list.visible[app.list.offset.min(end)..end] {
        let hit = &mut app.list.results[i];
        if hit.positions.is_empty() {
            hit.positions = title_positions(&app.library.get(hit.id).title, &words);
        }
    }
}

fn page(app: &App) -> usize {
    match app.mode() {
        Mode::Reader => app.reader_rows().saturating_sub(2).max(1),
        Mode::Library => app.list_items().saturating_sub(1).max(1),
        _ => app.list_rows().saturating_sub(1).max(1),
    }
}

/// Moves whatever has the focus: an overlay's selection, the reader's scroll, the facet
/// cursor or the list selection.
fn move_by(app: &mut App, delta: isize) {
    let step = |i: usize, len: usize| i.saturating_add_signed(delta).min(len.saturating_sub(1));
    if let Some(Overlay::Help { scroll }) = &mut app.overlay {
        let area = Rect::new(0, 0, app.size.0, app.size.1);
        *scroll = step(*scroll, geometry::help_box(area).max_scroll + 1);
        return;
    }
    if let Some(overlay) = &mut app.overlay {
        let len = overlay_len(&app.library, &app.saved, app.reader.as_ref(), overlay);
        if let Some((selected, top)) = overlay.list_mut() {
            *selected = step(*selected, len);
            // Keys centre the selection, as they always have; only clicks pin the list.
            *top = None;
        }
        return;
    }
    match (app.screen, app.focus) {
        (Screen::Reader, _) => {
            let rows = app.reader_rows();
            if let Some(r) = &mut app.reader {
                r.scroll = step(r.scroll, max_scroll(r, rows) + 1);
            }
        }
        (Screen::Library, Focus::Facets) => {
            let len = app.facets.rows().len();
            app.facets.selected = step(app.facets.selected, len);
            app.facets.offset =
                scroll_into_view(app.facets.offset, app.facets.selected, app.list_rows());
        }
        (Screen::Library, _) => {
            app.list.selected = step(app.list.selected, app.list.visible.len());
            clamp_list(app);
        }
    }
}

/// A left click at (`column`, `row`). What is under the pointer comes from the same layout the
/// views draw with ([`geometry::target_at`]). A click selects an entry; a click on the entry
/// already highlighted acts on it as Enter does (opens an article or a related entry, jumps to
/// a heading, toggles a filter). One rule with no timing, so `update` needs no clock and a
/// slow double click still works: the first click selects, the second opens.
/// A click on a link in the reader's text follows it at once, as its number key does.
/// A click on nothing changes nothing, not even the status message.
fn click(app: &mut App, column: u16, row: u16, fx: &mut Vec<Effect>) {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    let Some(target) = geometry::target_at(app, area, column, row) else {
        app.dirty = false;
        return;
    };
    app.message = None;
    match target {
        Target::Article { index, offset } => {
            // The list's selection is highlighted whatever has the focus, and Enter in the
            // search line opens it too, so a click on it opens it from anywhere.
            if index == app.list.selected {
                app.focus = Focus::List;
                if let Some(id) = app.selected_article() {
                    open_article(app, id, true, fx);
                }
                return;
            }
            app.focus = Focus::List;
            app.list.selected = index;
            // The offset the list was drawn with, so nothing moves under the pointer.
            app.list.offset = offset;
            clamp_list(app);
        }
        Target::FacetValue { index, offset } => {
            // The facet selection is highlighted only while the panel has the focus: a click
            // on an unfocused panel focuses it first and never toggles a value unseen.
            if app.focus == Focus::Facets && index == app.facets.selected {
                toggle_facet_value(app);
            } else {
                app.focus = Focus::Facets;
                app.facets.selected = index;
                // Drawn from its first visible value, the panel stays where it was.
                app.facets.offset = offset;
            }
        }
        Target::OverlayEntry { index, first } => {
            let Some(overlay) = &mut app.overlay else {
                return;
            };
            if let Some((selected, top)) = overlay.list_mut()
                && *selected != index
            {
                *selected = index;
                *top = Some(first);
                return;
            }
            let overlay = overlay.clone();
            open_overlay_item(app, &overlay, fx);
        }
        // A link is acted on at once, as its number key does: the text shows no selection
        // for a first click to set.
        Target::Link { index } => follow_link(app, index + 1, fx),
        // A chip's × is the chip: a click removes that filter (the counting chip, all).
        Target::Chip { filter } => {
            match filter {
                Some(i) => {
                    if let Some(f) = app.facets.active.iter().nth(i).cloned() {
                        app.facets.active.remove(&f);
                    }
                }
                None => app.facets.active.clear(),
            }
            refresh_list(app);
        }
    }
}

fn max_scroll(r: &ReaderPane, rows: usize) -> usize {
    r.layout.lines.len().saturating_sub(rows)
}

fn quit(app: &mut App, fx: &mut Vec<Effect>) {
    if app.overlay.take().is_some() {
        return;
    }
    match app.screen {
        Screen::Reader => go(app, Place::Library, fx),
        Screen::Library => {
            remember_position(app, fx);
            app.quit = true;
        }
    }
}

/// Esc: close the innermost thing.
fn cancel(app: &mut App, fx: &mut Vec<Effect>) {
    if app.overlay.take().is_some() {
        return;
    }
    if let Some(r) = app.reader.as_mut().filter(|_| app.screen == Screen::Reader) {
        if !r.link_number.is_empty() || r.copy_link {
            r.link_number.clear();
            r.copy_link = false;
        } else {
            r.find = Default::default();
        }
        return;
    }
    match app.focus {
        Focus::Search => {
            app.focus = Focus::List;
            if !app.search.input.is_empty() {
                app.search.input.clear();
                fx.push(request_search(app));
            }
        }
        Focus::Facets => app.focus = Focus::List,
        Focus::List if !app.search.input.is_empty() => {
            app.search.input.clear();
            fx.push(request_search(app));
        }
        Focus::List if !app.facets.active.is_empty() => {
            app.facets.active.clear();
            refresh_list(app);
        }
        Focus::List => app.dirty = false,
    }
}

fn resize(app: &mut App, w: u16, h: u16) {
    let old_rows = app.reader_rows();
    app.size = (w, h);
    let width = app.text_width();
    if let Some(r) = &mut app.reader
        && r.layout.width != width
    {
        let pos = position_of(r, old_rows);
        r.layout = layout::layout_for_screen(&r.doc, width);
        r.scroll = restore_scroll(r, &pos);
        refresh_find(r);
    }
    let rows = app.reader_rows();
    if let Some(r) = &mut app.reader {
        r.scroll = r.scroll.min(max_scroll(r, rows));
    }
    if !app.wide() && app.focus == Focus::Facets && !app.facets.open {
        app.focus = Focus::List;
    }
    clamp_list(app);
}

fn start_search(app: &mut App) {
    app.overlay = None;
    match app.screen {
        Screen::Library => app.focus = Focus::Search,
        Screen::Reader => {
            if let Some(r) = &mut app.reader {
                r.find = Default::default();
                r.find.editing = true;
            }
        }
    }
}

fn edit_input(app: &mut App, fx: &mut Vec<Effect>, edit: impl FnOnce(&mut String)) {
    if let Some(r) = app
        .reader
        .as_mut()
        .filter(|r| r.find.editing && app.screen == Screen::Reader)
    {
        let before = r.find.input.len();
        edit(&mut r.find.input);
        cap_input(&mut r.find.input);
        // At the cap a typed key changes nothing: no rescan for it.
        r.find.stale |= r.find.input.len() != before || r.find.input.is_empty();
        return;
    }
    if app.screen == Screen::Library {
        app.focus = Focus::Search;
        let before = app.search.input.clone();
        edit(&mut app.search.input);
        cap_input(&mut app.search.input);
        if app.search.input != before {
            fx.push(request_search(app));
        }
    }
}

fn request_search(app: &mut App) -> Effect {
    app.search.generation += 1;
    app.search.pending = true;
    Effect::Search {
        generation: app.search.generation,
        query: app.search.input.clone(),
    }
}

fn submit_input(app: &mut App) {
    if let Some(r) = app.reader.as_mut().filter(|_| app.screen == Screen::Reader) {
        r.find.editing = false;
    } else {
        app.focus = Focus::List;
    }
}

fn open(app: &mut App, fx: &mut Vec<Effect>) {
    if let Some(overlay) = app.overlay.clone() {
        open_overlay_item(app, &overlay, fx);
        return;
    }
    match (app.screen, app.focus) {
        (Screen::Reader, _) => {
            let (typed, copy) = app
                .reader
                .as_mut()
                .map(|r| {
                    (
                        std::mem::take(&mut r.link_number),
                        std::mem::take(&mut r.copy_link),
                    )
                })
                .unwrap_or_default();
            match typed.parse::<usize>() {
                Ok(n) => use_link(app, n, copy, fx),
                Err(_) => submit_input(app),
            }
        }
        (Screen::Library, Focus::Facets) => toggle_facet_value(app),
        (Screen::Library, _) => {
            if let Some(id) = app.selected_article() {
                app.focus = Focus::List;
                // A body hit opens at its match, with find set to the matched word.
                app.open_find = app
                    .list
                    .visible
                    .get(app.list.selected)
                    .and_then(|&i| app.list.results.get(i))
                    .and_then(|h| h.snippet.as_ref())
                    .and_then(|s| s.first_match())
                    .map(|word| (id, word));
                open_article(app, id, true, fx);
            }
        }
    }
}

fn open_overlay_item(app: &mut App, overlay: &Overlay, fx: &mut Vec<Effect>) {
    let target = match overlay {
        Overlay::Help { .. } => None,
        Overlay::Toc { selected, .. } => {
            let rows = app.reader_rows();
            if let Some(r) = &mut app.reader
                && let Some(entry) = r.layout.toc.get(*selected)
            {
                r.scroll = entry.line.min(max_scroll(r, rows));
            }
            None
        }
        Overlay::Related {
            items, selected, ..
        } => items.get(*selected).map(|i| i.id),
        Overlay::Bookmarks { selected, .. } => app.bookmarked().get(*selected).copied(),
        Overlay::History { selected, .. } => app.recent().get(*selected).copied(),
    };
    app.overlay = None;
    if let Some(id) = target {
        open_article(app, id, true, fx);
    }
}

/// Opens an article in the reader, restoring its saved position.
fn open_article(app: &mut App, id: ArticleId, record: bool, fx: &mut Vec<Effect>) {
    request_open(
        app,
        PendingOpen {
            id,
            record,
            scroll: None,
        },
        fx,
    );
}

/// Asks the runtime for the article's document; [`show_article`] runs when it arrives.
/// Reading and rendering a body is I/O and parsing, which `update` leaves to the worker.
fn request_open(app: &mut App, pending: PendingOpen, fx: &mut Vec<Effect>) {
    fx.push(Effect::LoadDocument(pending.id));
    app.pending_open = Some(pending);
    app.dirty = false;
}

/// The document asked for by the last open request arrived (or failed).
fn document_ready(
    app: &mut App,
    id: ArticleId,
    result: Result<Arc<Document>, String>,
    fx: &mut Vec<Effect>,
) {
    let Some(pending) = app.pending_open.take_if(|p| p.id == id) else {
        app.dirty = false; // an answer nobody waits for any more
        return;
    };
    match result {
        Ok(doc) => show_article(app, pending, doc, fx),
        Err(problem) => {
            app.message = Some(format!("Cannot show {problem} (run `careerhub check`)"))
        }
    }
}

/// Opens a rendered article in the reader, at its saved position (or the one asked for).
fn show_article(app: &mut App, pending: PendingOpen, doc: Arc<Document>, fx: &mut Vec<Effect>) {
    let id = pending.id;
    if pending.record {
        let here = current_place(app);
        app.history.back.push(here);
        app.history.forward.clear();
    }
    remember_position(app, fx);
    let layout = layout::layout_for_screen(&doc, app.text_width());
    let mut reader = ReaderPane {
        id,
        doc,
        layout,
        scroll: 0,
        find: Default::default(),
        link_number: String::new(),
        copy_link: false,
    };
    let slug = app.library.get(id).slug.clone();
    let rows = app.reader_rows();
    if let Some((_, word)) = app.open_find.take_if(|(f, _)| *f == id) {
        // Opened from a body hit: the first match, found by `settle` before the next frame.
        reader.find.input = word;
        reader.find.stale = true;
    } else if let Some(scroll) = pending.scroll {
        reader.scroll = scroll.min(max_scroll(&reader, rows));
    } else if let Some(pos) = app.saved.positions.get(&slug) {
        reader.scroll = restore_scroll(&reader, pos).min(max_scroll(&reader, rows));
    }
    app.reader = Some(reader);
    app.screen = Screen::Reader;
    app.overlay = None;
    app.saved.recent.retain(|s| *s != slug);
    app.saved.recent.insert(0, slug);
    app.saved.recent.truncate(RECENT_LIMIT);
    fx.push(Effect::Persist);
}

fn current_place(app: &App) -> Place {
    match (&app.screen, &app.reader) {
        (Screen::Reader, Some(r)) => Place::Article {
            id: r.id,
            scroll: r.scroll,
        },
        _ => Place::Library,
    }
}

/// Goes to a place without recording history.
fn go(app: &mut App, place: Place, fx: &mut Vec<Effect>) {
    match place {
        Place::Library => {
            remember_position(app, fx);
            app.reader = None;
            app.screen = Screen::Library;
            app.overlay = None;
        }
        Place::Article { id, scroll } => request_open(
            app,
            PendingOpen {
                id,
                record: false,
                scroll: Some(scroll),
            },
            fx,
        ),
    }
}

fn back(app: &mut App, fx: &mut Vec<Effect>) {
    let to = app.history.back.pop().unwrap_or(Place::Library);
    if to == current_place(app) {
        app.dirty = false;
        return;
    }
    let here = current_place(app);
    app.history.forward.push(here);
    go(app, to, fx);
}

fn forward(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(to) = app.history.forward.pop() else {
        app.message = Some("Nothing to go forward to".into());
        return;
    };
    let here = current_place(app);
    app.history.back.push(here);
    go(app, to, fx);
}

/// One more digit of a link number: follow it once no other link's number starts with it.
fn link_digit(app: &mut App, digit: u8, fx: &mut Vec<Effect>) {
    let Some(r) = app.reader.as_mut() else { return };
    if r.link_number.is_empty() && digit == 0 {
        app.dirty = false;
        return;
    }
    r.link_number.push(char::from(b'0' + digit));
    let links = r.doc.links.len();
    let Ok(n) = r.link_number.parse::<usize>() else {
        r.link_number.clear();
        return;
    };
    // Another link starts with these digits when n·10 is still a link number.
    if n > links || n.saturating_mul(10) > links {
        r.link_number.clear();
        let copy = std::mem::take(&mut r.copy_link);
        use_link(app, n, copy, fx);
    }
}

/// Follows link `[n]`, or copies its URL (OSC 52, so over SSH too) when `copy`.
fn use_link(app: &mut App, n: usize, copy: bool, fx: &mut Vec<Effect>) {
    if !copy {
        return follow_link(app, n, fx);
    }
    let Some(link) = app
        .reader
        .as_ref()
        .and_then(|r| r.doc.links.get(n.wrapping_sub(1)))
    else {
        app.message = Some(format!("This article has no link [{n}]"));
        return;
    };
    let url = sanitize::line(&link.url).into_owned();
    app.message = Some(format!("Copied link [{n}]: {url}"));
    fx.push(Effect::Copy(url));
}

fn follow_link(app: &mut App, n: usize, fx: &mut Vec<Effect>) {
    let Some(r) = &app.reader else { return };
    let Some(link) = r.doc.links.get(n.wrapping_sub(1)) else {
        app.message = Some(format!("This article has no link [{n}]"));
        return;
    };
    match link
        .internal
        .as_deref()
        .and_then(|slug| app.library.by_slug(slug))
    {
        Some(article) => {
            let id = article.id;
            open_article(app, id, true, fx);
        }
        None => {
            let url = link.url.clone();
            share_url(app, url, fx);
        }
    }
}

/// Opens a URL in a browser where we can, else copies it and shows it.
///
/// Only web and mail links go to the system opener: a link in an article must not be able to
/// start `file:` or custom-scheme handlers on the reader's machine. Others are copied.
fn share_url(app: &mut App, url: String, fx: &mut Vec<Effect>) {
    let url = sanitize::line(&url).into_owned();
    let lower = url.to_ascii_lowercase();
    let web = ["https://", "http://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s));
    if app.options.can_open_browser && web {
        app.message = Some(format!("Opening {url}"));
        fx.push(Effect::OpenUrl(url));
    } else {
        app.message = Some(format!("Copied {url}"));
        fx.push(Effect::Copy(url));
    }
}

/// The canonical URL of the article on screen.
fn current_url(app: &mut App) -> Option<String> {
    let Some(id) = app.current_article() else {
        app.message = Some("No article selected".into());
        return None;
    };
    let article = app.library.get(id);
    let url = article.canonical.clone();
    if url.is_none() {
        app.message = Some(format!("{} has no canonical URL", article.slug));
    }
    url
}

fn toggle_facets(app: &mut App) {
    if app.facets.open && app.focus == Focus::Facets {
        app.facets.open = false;
        app.focus = Focus::List;
    } else {
        app.facets.open = true;
        app.focus = Focus::Facets;
    }
}

fn toggle_facet_value(app: &mut App) {
    let rows = app.facets.rows();
    let Some(&row) = rows.get(app.facets.selected) else {
        return;
    };
    let (name, value) = app.facets.pair(row);
    let key = (name.to_owned(), value.value.clone());
    if !app.facets.active.remove(&key) {
        app.facets.active.insert(key.clone());
    }
    refresh_list(app);
    // Keep the cursor on the same value though counts may have reordered the rows.
    if let Some(i) = app.facets.rows().iter().position(|&r| {
        let (n, v) = app.facets.pair(r);
        n == key.0 && v.value == key.1
    }) {
        app.facets.selected = i;
    }
}

fn toggle_overlay(app: &mut App, overlay: Overlay) {
    let same =
        app.overlay.as_ref().map(std::mem::discriminant) == Some(std::mem::discriminant(&overlay));
    if same {
        app.overlay = None;
    } else if matches!(overlay, Overlay::Toc { .. }) && app.reader.is_none() {
        app.dirty = false;
    } else {
        app.overlay = Some(overlay);
    }
}

/// Opens the related panel at once with what costs nothing (related links, backlinks, the
/// text's links) and asks the worker to rank similar articles, which can take tens of
/// milliseconds at 10,000 articles: the input thread never waits for it.
fn toggle_related(app: &mut App, fx: &mut Vec<Effect>) {
    if matches!(app.overlay, Some(Overlay::Related { .. })) {
        app.overlay = None;
        return;
    }
    let Some(id) = app.current_article() else {
        return;
    };
    let items = related_items(app, id, app.library.related_with(id, []));
    app.overlay = Some(Overlay::Related {
        article: id,
        items,
        ranking: true,
        selected: 0,
        top: None,
    });
    fx.push(Effect::FindRelated(id));
}

/// The ranked related list of `id` arrived: an open panel for it shows it, keeping the
/// selected article selected.
fn related_ready(app: &mut App, id: ArticleId, related: Vec<Related>) {
    let chosen = match &app.overlay {
        Some(Overlay::Related {
            article,
            items,
            selected,
            ..
        }) if *article == id => items.get(*selected).map(|i| i.id),
        _ => return,
    };
    let items = related_items(app, id, related);
    let selected = chosen
        .and_then(|c| items.iter().position(|i| i.id == c))
        .unwrap_or(0);
    app.overlay = Some(Overlay::Related {
        article: id,
        items,
        ranking: false,
        selected,
        top: None,
    });
}

/// The panel's rows: `related` in its order, then the library articles the open text links
/// to that are not listed yet, by link number.
fn related_items(app: &App, id: ArticleId, related: Vec<Related>) -> Vec<RelatedItem> {
    let mut items: Vec<RelatedItem> = related
        .into_iter()
        .map(|r| RelatedItem {
            id: r.id,
            label: RelatedLabel::Kind(r.kind),
        })
        .collect();
    if let Some(r) = app.reader.as_ref().filter(|r| r.id == id) {
        for (i, link) in r.doc.links.iter().enumerate() {
            let Some(target) = link
                .internal
                .as_deref()
                .and_then(|s| app.library.by_slug(s))
            else {
                continue;
            };
            if target.id != id && !items.iter().any(|it| it.id == target.id) {
                items.push(RelatedItem {
                    id: target.id,
                    label: RelatedLabel::Link(i + 1),
                });
            }
        }
    }
    items
}

fn toggle_bookmark(app: &mut App, fx: &mut Vec<Effect>) {
    let target = match &app.overlay {
        Some(Overlay::Bookmarks { selected, .. }) => app.bookmarked().get(*selected).copied(),
        _ => app.current_article(),
    };
    let Some(id) = target else { return };
    let slug = app.library.get(id).slug.clone();
    if app.is_bookmarked(id) {
        app.saved.bookmarks.retain(|b| *b != slug);
        app.message = Some("Bookmark removed".into());
    } else {
        app.saved.bookmarks.insert(0, slug);
        app.message = Some("Bookmarked".into());
    }
    if let Some(Overlay::Bookmarks { selected, .. }) = &mut app.overlay {
        *selected = (*selected).min(app.saved.bookmarks.len().saturating_sub(1));
    }
    fx.push(Effect::Persist);
}

/// Index of the toc entry for the top line of the reader.
fn current_section(app: &App) -> usize {
    app.reader
        .as_ref()
        .and_then(|r| r.layout.lines.get(r.scroll).and_then(|l| l.section))
        .unwrap_or(0)
}

fn position_of(r: &ReaderPane, rows: usize) -> Position {
    let section = r.layout.lines.get(r.scroll).and_then(|l| l.section);
    let entry = section.and_then(|s| r.layout.toc.get(s));
    Position {
        heading: entry.map(|e| e.title.clone()),
        offset: r.scroll - entry.map_or(0, |e| e.line.min(r.scroll)),
        permille: progress_permille(r.scroll, r.layout.lines.len(), rows),
    }
}

fn restore_scroll(r: &ReaderPane, pos: &Position) -> usize {
    let base = pos
        .heading
        .as_ref()
        .and_then(|h| r.layout.toc.iter().find(|e| e.title == *h))
        .map_or(0, |e| e.line);
    (base + pos.offset).min(r.layout.lines.len().saturating_sub(1))
}

/// Saves the reading position of the open article.
fn remember_position(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(r) = app.reader.as_ref().filter(|_| app.screen == Screen::Reader) else {
        return;
    };
    let slug = app.library.get(r.id).slug.clone();
    let pos = position_of(r, app.reader_rows());
    if app.saved.positions.get(&slug) != Some(&pos) {
        app.saved.positions.insert(slug, pos);
        if !fx.contains(&Effect::Persist) {
            fx.push(Effect::Persist);
        }
    }
}

/// Recomputes find hits: case-insensitive matches of the find input on each layout line.
/// Finds the find text in the article as search matches titles: composed and decomposed
/// forms alike, accents off, lower case ([`crate::content::fold`]), so `naive` finds `Naïve`
/// and `Nai\u{308}ve`. Hits are ranges of the line's own chars, and a hit takes the accents
/// after its last letter with it, so a highlight never splits a letter from its accent.
fn refresh_find(r: &mut ReaderPane) {
    r.find.hits.clear();
    let needle: Vec<char> = fold(&r.find.input).chars().collect();
    // Nothing visible to find (empty, or only joiners and other format characters).
    let invisible = |c: &char| matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}');
    if needle.iter().all(invisible) {
        return;
    }
    let mut text = String::new();
    let mut hay: Vec<char> = Vec::new();
    for (i, line) in r.layout.lines.iter().enumerate() {
        text.clear();
        text.extend(line.spans.iter().map(|s| s.text.as_str()));
        let (folded, owner) = fold_with_owners(&text);
        hay.clear();
        hay.extend(folded.chars());
        let chars = text.chars().count();
        // Where each grapheme starts, in chars, when a line has more than plain letters: a
        // highlight covers whole graphemes, never half an emoji sequence or a flag.
        let graphemes: Option<Vec<usize>> = (!text.is_ascii()).then(|| {
            let mut at = 0;
            let mut starts: Vec<usize> = text
                .graphemes(true)
                .map(|g| {
                    let start = at;
                    at += g.chars().count();
                    start
                })
                .collect();
            starts.push(chars);
            starts
        });
        let mut start = 0;
        while start + needle.len() <= hay.len() {
            let end = start + needle.len();
            if hay[start..end] == needle[..] {
                let (mut from, mut to) = (owner[start], owner.get(end).copied().unwrap_or(chars));
                if let Some(starts) = &graphemes {
                    from = starts[starts.partition_point(|&b| b <= from) - 1];
                    to = starts[starts.partition_point(|&b| b < to)];
                }
                r.find.hits.push((i, from, to));
                start = end;
            } else {
                start += 1;
            }
        }
    }
    r.find.current = r.find.current.min(r.find.hits.len().saturating_sub(1));
}

fn step_find(app: &mut App, delta: isize) {
    let rows = app.reader_rows();
    let Some(r) = &mut app.reader else { return };
    let n = r.find.hits.len();
    if n == 0 {
        app.message = Some(if r.find.input.is_empty() {
            "Press / to find in the article".into()
        } else {
            format!("No match for “{}”", r.find.input)
        });
        return;
    }
    r.find.current = (r.find.current as isize + delta).rem_euclid(n as isize) as usize;
    show_find_hit(r, rows);
}

/// Scrolls so the current find hit is visible, a third of the way down the screen.
fn show_find_hit(r: &mut ReaderPane, rows: usize) {
    if let Some(&(line, _, _)) = r.find.hits.get(r.find.current)
        && (line < r.scroll || line >= r.scroll + rows)
    {
        r.scroll = line.saturating_sub(rows / 3).min(max_scroll(r, rows));
    }
}

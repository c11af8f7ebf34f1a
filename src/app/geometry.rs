//! Where each part of the screen is, as pure functions of the terminal area and the state.
//!
//! The views draw into these rectangles, and [`crate::app::update()`] asks [`target_at`] what
//! a click landed on, so what `update` thinks is under the pointer is exactly what was drawn.
//! Nothing is measured while drawing and written back into the state: views stay pure, and a
//! headless app (tests, SSH) knows its layout from `App::size` alone. A [`Rect`] is plain data,
//! so none of this needs a terminal.

use ratatui::buffer::CellWidth;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::widgets::Block;
use unicode_segmentation::UnicodeSegmentation;

use super::state::{
    App, FACET_PANEL_WIDTH, FacetPane, FacetRow, Focus, MIN_HEIGHT, MIN_WIDTH, Overlay, ReaderPane,
    Saved, Screen, WIDE_WIDTH,
};
use crate::content::render::layout::LayoutLine;
use crate::content::render::sanitize;

/// Share of the width (after the facet panel) the list takes beside the preview, at least and
/// at most: between them it takes what its titles and columns need.
const LIST_PERCENT: (u16, u16) = (45, 65);
/// Columns a list row needs beside its title: border and padding (4), star (2), date (12),
/// reading time (8), progress (4 and its gap).
const LIST_ROW_EXTRA: usize = 4 + 2 + 12 + 8 + 6;
/// The preview keeps at least this many columns.
const PREVIEW_MIN: u16 = 40;

/// The list's width beside the preview: what the longest title on screen needs with the
/// date and reading time, between 45% and 65% of `rest`, leaving the preview its minimum.
fn list_width(app: &App, rest: Rect) -> u16 {
    let lo = rest.width * LIST_PERCENT.0 / 100;
    let hi = (rest.width * LIST_PERCENT.1 / 100).min(rest.width.saturating_sub(PREVIEW_MIN));
    let rows = usize::from(rest.height);
    let first = app.list.offset.min(app.list.visible.len());
    let longest = app.list.visible[first..]
        .iter()
        .take(rows)
        .filter_map(|&i| app.list.results.get(i))
        .map(|hit| unicode_width::UnicodeWidthStr::width(app.library.get(hit.id).title.as_str()))
        .max()
        .unwrap_or(0);
    let wanted = u16::try_from(longest + LIST_ROW_EXTRA).unwrap_or(u16::MAX);
    wanted.clamp(lo, hi.max(lo))
}
/// Width of a list overlay (table of contents, related, bookmarks, history) on an ordinary
/// terminal, in columns inside its border; see [`overlay_list_width`].
pub const OVERLAY_LIST_WIDTH: usize = 72;

/// Content width of a list overlay in `area`: [`OVERLAY_LIST_WIDTH`] on an ordinary terminal,
/// growing with a wide one (to 70% of it, at most 140 columns) so long titles are not cut
/// while the room is there.
pub fn overlay_list_width(area: Rect) -> usize {
    (usize::from(area.width) * 7 / 10).clamp(OVERLAY_LIST_WIDTH, 140)
}

/// The whole screen: everything above the status line, and the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScreenAreas {
    /// The library or the reader.
    pub body: Rect,
    /// The one-line status bar at the bottom.
    pub status: Rect,
}

/// Splits `area` (the whole terminal); `None` when it is too small to draw the reader, which
/// then shows only a message. Both the frame's size and the size `update` last saw count, as
/// a resize may arrive between the two.
pub fn screen(app: &App, area: Rect) -> Option<ScreenAreas> {
    if app.too_small() || area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let [body, status] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas::<2>(area);
    Some(ScreenAreas { body, status })
}

/// The panes of the library screen; `None` for panes not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LibraryAreas {
    /// The search line at the top.
    pub search: Rect,
    /// The facet panel, bordered.
    pub facets: Option<Rect>,
    /// The article list, bordered.
    pub list: Option<Rect>,
    /// The preview of the selected article, bordered.
    pub preview: Option<Rect>,
}

/// Where the panes of the library screen go in `body` (everything above the status line).
/// Narrow terminals show the facet panel or the list, wide ones the list beside a preview,
/// with the facet panel on the left while it is open.
pub fn library(app: &App, body: Rect) -> LibraryAreas {
    let [search, middle] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(body);
    if !app.wide() || middle.width < WIDE_WIDTH {
        let facets_shown = app.focus == Focus::Facets;
        return LibraryAreas {
            search,
            facets: facets_shown.then_some(middle),
            list: (!facets_shown).then_some(middle),
            preview: None,
        };
    }
    let (facets, rest) = if app.facets.open {
        let [f, r] =
            Layout::horizontal([Constraint::Length(FACET_PANEL_WIDTH), Constraint::Fill(1)])
                .areas(middle);
        (Some(f), r)
    } else {
        (None, middle)
    };
    let [list, preview] = Layout::horizontal([
        Constraint::Length(list_width(app, rest)),
        Constraint::Fill(1),
    ])
    .areas(rest);
    LibraryAreas {
        search,
        facets,
        list: Some(list),
        preview: Some(preview),
    }
}

/// The area inside a pane's one-cell border.
pub fn inside_border(pane: Rect) -> Rect {
    Block::bordered().inner(pane)
}

/// One column of padding inside a border on each side.
pub fn padded(inner: Rect) -> Rect {
    Rect {
        x: inner.x.saturating_add(1),
        width: inner.width.saturating_sub(2),
        ..inner
    }
}

/// The rows of the article list as drawn in its bordered pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListArea {
    /// Inside the border: row `k` shows article `offset + k`; the selection bar spans it.
    pub inner: Rect,
    /// The first article shown (an index into `ListPane::visible`).
    pub offset: usize,
    /// How many articles are shown.
    pub shown: usize,
    /// Terminal rows each article takes (see [`App::list_row_height`]).
    pub row_height: usize,
}

/// The article list in `pane`: which articles show on which rows.
pub fn article_list(app: &App, pane: Rect) -> ListArea {
    let inner = inside_border(pane);
    let len = app.list.visible.len();
    let row_height = app.list_row_height();
    let rows = (usize::from(inner.height) / row_height).max(1);
    let offset = list_offset(app.list.offset, app.list.selected, rows, len);
    ListArea {
        inner,
        offset,
        shown: len.saturating_sub(offset).min(rows),
        row_height,
    }
}

/// The first row to show: the offset from `update`, moved only if the selection would be
/// off screen (the terminal may have been resized since).
pub fn list_offset(offset: usize, selected: usize, rows: usize, len: usize) -> usize {
    let rows = rows.max(1);
    let selected = selected.min(len.saturating_sub(1));
    let offset = offset.min(len.saturating_sub(1));
    scroll_into_view(offset, selected, rows)
}

/// One line of the facet panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacetLine {
    /// The name of facet `n`.
    Heading(usize),
    /// Selectable value row `n` (an index into [`FacetPane::rows`]).
    Value(usize, FacetRow),
}

/// The lines the facet panel shows in `rows` rows, and the selected value row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetLines {
    /// Top to bottom; a heading may be pinned above values whose own heading scrolled away.
    pub lines: Vec<FacetLine>,
    /// The selected value row, clamped to the rows there are.
    pub selected: usize,
}

/// What the facet panel shows in `rows` rows (inside its border).
///
/// `update` scrolls the panel in value rows ([`FacetPane::offset`]); headings take rows too,
/// so this turns that offset into a first line that keeps the selected value on screen, and
/// pins the heading of a facet whose first values scrolled away.
pub fn facet_lines(pane: &FacetPane, rows: usize) -> FacetLines {
    let entries = facet_entries(pane);
    let values = entries
        .iter()
        .filter(|e| matches!(e, FacetLine::Value(..)))
        .count();
    let selected = pane.selected.min(values.saturating_sub(1));
    if entries.is_empty() {
        return FacetLines {
            lines: Vec::new(),
            selected,
        };
    }
    let start = first_facet_line(&entries, pane.offset, selected, rows);
    let mut lines = Vec::with_capacity(rows);
    if let Some(FacetLine::Value(_, row)) = entries.get(start)
        && rows >= 3
    {
        lines.push(FacetLine::Heading(row.facet));
    }
    lines.extend(entries[start..].iter().take(rows - lines.len()));
    FacetLines { lines, selected }
}

/// Headings and value rows in display order.
fn facet_entries(pane: &FacetPane) -> Vec<FacetLine> {
    let mut out = Vec::new();
    let mut last = None;
    for (i, row) in pane.rows().into_iter().enumerate() {
        if last != Some(row.facet) {
            out.push(FacetLine::Heading(row.facet));
            last = Some(row.facet);
        }
        out.push(FacetLine::Value(i, row));
    }
    out
}

/// The first line to draw: where `update`'s offset (in value rows) points, moved just enough
/// to show the selected value below the pinned heading.
fn first_facet_line(entries: &[FacetLine], offset: usize, selected: usize, rows: usize) -> usize {
    let index_of = |n: usize| {
        let i = entries
            .iter()
            .position(|e| matches!(e, FacetLine::Value(v, _) if *v >= n))
            .unwrap_or(entries.len().saturating_sub(1));
        // Start at a facet's heading rather than just below it.
        if i > 0 && matches!(entries[i - 1], FacetLine::Heading(_)) {
            i - 1
        } else {
            i
        }
    };
    let sel = entries
        .iter()
        .position(|e| matches!(e, FacetLine::Value(v, _) if *v == selected))
        .unwrap_or(0);
    let pinned =
        |start: usize| rows >= 3 && matches!(entries.get(start), Some(FacetLine::Value(..)));
    let room = |start: usize| rows - usize::from(pinned(start));
    let mut start = index_of(offset);
    if sel < start {
        start = index_of(selected);
    } else if sel >= start + room(start) {
        start = sel + 1 - rows.saturating_sub(1).max(1);
        if sel >= start + room(start) {
            start += 1;
        }
    }
    // Too few rows for the heading and the value: show the value alone.
    if sel < start || sel >= start + room(start) {
        start = sel;
    }
    start.min(entries.len().saturating_sub(1))
}

/// A centred overlay box for `inner` (columns, rows) of content, padding and border
/// included; it never leaves `area`.
pub fn overlay_box(area: Rect, inner: (usize, usize)) -> Rect {
    let w = u16::try_from(inner.0.saturating_add(4)).unwrap_or(u16::MAX);
    let h = u16::try_from(inner.1.saturating_add(2)).unwrap_or(u16::MAX);
    let w = w.min(area.width.saturating_sub(2)).max(area.width.min(10));
    let h = h.min(area.height.saturating_sub(2)).max(area.height.min(3));
    area.centered(Constraint::Length(w), Constraint::Length(h))
        .intersection(area)
}

/// The content area of an overlay box: inside the border, one column of padding each side.
pub fn overlay_inner(rect: Rect) -> Rect {
    padded(inside_border(rect))
}

/// The help overlay as drawn: one or two columns, its box, and how far it can scroll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelpBox {
    /// Everywhere | Library and Reading side by side.
    pub two_columns: bool,
    /// Columns and lines of the whole content.
    pub content: (usize, usize),
    /// The box, border included.
    pub rect: Rect,
    /// The content's window.
    pub inner: Rect,
    /// The largest first line: 0 when everything fits.
    pub max_scroll: usize,
}

/// Where the help goes in `area` (the whole terminal): two columns when they fit side by
/// side, else one; a box too short for the content scrolls.
pub fn help_box(area: Rect) -> HelpBox {
    use super::keyhelp::{COLUMN_GAP, HELP_COLUMN, help_lines};
    let two_columns = usize::from(area.width).saturating_sub(4) >= 2 * HELP_COLUMN + COLUMN_GAP;
    let columns = if two_columns {
        2 * HELP_COLUMN + COLUMN_GAP
    } else {
        HELP_COLUMN
    };
    let lines = help_lines(two_columns);
    let rect = overlay_box(area, (columns, lines));
    let inner = overlay_inner(rect);
    HelpBox {
        two_columns,
        content: (columns, lines),
        rect,
        inner,
        max_scroll: lines.saturating_sub(usize::from(inner.height)),
    }
}

/// A list overlay as drawn: its box, its rows and which entry shows first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverlayList {
    /// The box, border included.
    pub rect: Rect,
    /// The rows: row `k` shows entry `first + k`; the selection bar also spans the padding.
    pub inner: Rect,
    /// The entry on the first row.
    pub first: usize,
}

/// Where a list overlay of `len` entries goes in `area` (the whole terminal), and which
/// entries it shows: from `top` when a click chose it and the selection is still in view,
/// else with the selection centred.
pub fn overlay_list(area: Rect, len: usize, selected: usize, top: Option<usize>) -> OverlayList {
    let rect = overlay_box(area, (overlay_list_width(area), len.max(1)));
    let inner = overlay_inner(rect);
    let rows = usize::from(inner.height);
    let first = match top {
        // Keep the list still under the pointer while the selection stays in view.
        Some(top)
            if top <= selected
                && selected < top.saturating_add(rows)
                && top <= len.saturating_sub(rows) =>
        {
            top
        }
        _ => window(selected, len, rows),
    };
    OverlayList { rect, inner, first }
}

/// The first row to show so `selected` stays visible, centred where the list allows;
/// computed from the selection alone.
pub fn window(selected: usize, len: usize, rows: usize) -> usize {
    if len <= rows {
        return 0;
    }
    selected
        .min(len - 1)
        .saturating_sub(rows / 2)
        .min(len - rows)
}

/// The parts of the reader screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReaderAreas {
    /// The title bar, lined up with the text.
    pub title: Rect,
    /// The progress rule under it, lined up with the text.
    pub rule: Rect,
    /// Where the article's lines are drawn: row `k` shows line `scroll + k`, from the left
    /// edge of this column.
    pub text: Rect,
    /// The first line shown.
    pub scroll: usize,
}

/// Where the reader draws in `body` (everything above the status line), and from which line.
pub fn reader(reader: &ReaderPane, body: Rect) -> ReaderAreas {
    let [title_row, rule_row, text_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(body);
    let width = reader.layout.width;
    let text = text_column(text_area, width);
    // Title and rule line up with the text, not with the terminal's edges.
    let above = |row: Rect| Rect {
        x: text.x,
        width: width.min(text.width),
        ..row
    };
    ReaderAreas {
        title: above(title_row),
        rule: above(rule_row),
        text,
        // Defensive: the scroll is kept by `update`, but a resize may not have reached it yet.
        scroll: reader
            .scroll
            .min(reader.layout.lines.len().saturating_sub(1)),
    }
}

/// The column the text is drawn in: `text_width` wide, centred; it runs on to the right edge
/// so the rare line longer than the width (a URL that cannot be broken) is not cut.
pub fn text_column(area: Rect, text_width: u16) -> Rect {
    let margin = area.width.saturating_sub(text_width) / 2;
    Rect {
        x: area.x + margin,
        width: area.width - margin,
        ..area
    }
}

/// The link drawn `column` cells into `line`, when the line is drawn from its first cell in
/// at most `max` columns, as the reader draws it.
///
/// Cells are counted as `Buffer::set_line` lays them out: the sanitized text of each span,
/// grapheme by grapheme, each as wide as ratatui makes it (so a CJK character or an emoji
/// takes two cells, a zero-width one none); at the first grapheme that does not fit, the rest
/// of its span is dropped and the next span is tried. Blanks that are not link text (the
/// space before a `[n]` marker) belong to no link.
pub fn link_at(line: &LayoutLine, column: u16, max: u16) -> Option<usize> {
    let mut x: u16 = 0;
    for span in &line.spans {
        let text = sanitize::line(&span.text);
        for g in text
            .graphemes(true)
            .filter(|g| !g.contains(char::is_control))
        {
            let w = g.cell_width();
            if w == 0 {
                continue;
            }
            let Some(end) = x.checked_add(w).filter(|&end| end <= max) else {
                break;
            };
            if column < end {
                let blank = g.trim().is_empty() && span.style.link.is_none();
                return span.link.filter(|_| !blank);
            }
            x = end;
        }
    }
    None
}

/// What a click can land on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Article `index` of the list (an index into `ListPane::visible`), drawn with `offset`
    /// as the first row.
    Article { index: usize, offset: usize },
    /// Value row `index` of the facet panel (an index into [`FacetPane::rows`]); `offset`
    /// is the first value drawn, an offset (in value rows) that draws the panel as it is.
    FacetValue { index: usize, offset: usize },
    /// Entry `index` of the open list overlay, drawn with `first` on its first row.
    OverlayEntry { index: usize, first: usize },
    /// Link `index` of the open article (an index into `Document::links`, so link `[index +
    /// 1]`): its text or its marker in the reader's text.
    Link { index: usize },
    /// A filter chip on the search line: the index of its filter in `FacetPane::active`
    /// (in its order), or `None` for the chip that stands for every active filter.
    Chip { filter: Option<usize> },
}

/// One filter chip as drawn on the search line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chip {
    /// `[role: data-analyst ×]`, or `[3 filters ×]` when the chips do not fit.
    pub text: String,
    /// Where it is drawn.
    pub rect: Rect,
    /// The filter a click removes (its index in `FacetPane::active`); `None` removes them all.
    pub filter: Option<usize>,
}

/// The `x clears` hint drawn after the chips.
pub const CHIPS_HINT: &str = "  x clears ";

/// The active filters' chips, right-aligned on the search line `line`, in at most half of it:
/// one chip each when they fit, else one chip counting them.
pub fn filter_chips(app: &App, line: Rect) -> Vec<Chip> {
    let active = &app.facets.active;
    if active.is_empty() {
        return Vec::new();
    }
    let room = usize::from(line.width) / 2;
    let hint = unicode_width::UnicodeWidthStr::width(CHIPS_HINT);
    let each: Vec<(String, Option<usize>)> = active
        .iter()
        .enumerate()
        .map(|(i, (facet, value))| {
            let text = format!("[{}: {} ×]", sanitize::line(facet), sanitize::line(value));
            (text, Some(i))
        })
        .collect();
    let w = |t: &str| unicode_width::UnicodeWidthStr::width(t);
    let total = each.iter().map(|(t, _)| w(t)).sum::<usize>() + each.len() - 1 + hint;
    let chips = if total <= room {
        each
    } else {
        let n = active.len();
        vec![(
            format!("[{n} filter{} ×]", if n == 1 { "" } else { "s" }),
            None,
        )]
    };
    let used = chips.iter().map(|(t, _)| w(t)).sum::<usize>() + chips.len() - 1 + hint;
    let mut x = usize::from(line.right()).saturating_sub(used);
    chips
        .into_iter()
        .map(|(text, filter)| {
            let width = w(&text);
            let rect = Rect::new(
                u16::try_from(x).unwrap_or(u16::MAX),
                line.y,
                u16::try_from(width).unwrap_or(u16::MAX),
                1,
            )
            .intersection(line);
            x += width + 1;
            Chip { text, rect, filter }
        })
        .collect()
}

/// What is drawn at (`column`, `row`), 0-based, in `area` (the whole terminal), if it is
/// something a click can select. Borders, headings, the search and status lines, the
/// preview, the reader's title, rule and text other than links, and a too-small terminal
/// are nothing. An open overlay takes every click: what is outside it is covered, not
/// clickable.
pub fn target_at(app: &App, area: Rect, column: u16, row: u16) -> Option<Target> {
    let screen = screen(app, area)?;
    let at = Position::new(column, row);
    if let Some(overlay) = &app.overlay {
        return overlay_target(app, overlay, area, at);
    }
    if let (Screen::Reader, Some(pane)) = (app.screen, &app.reader) {
        return reader_target(pane, screen.body, at);
    }
    let panes = library(app, screen.body);
    if let Some(chip) = filter_chips(app, panes.search)
        .into_iter()
        .find(|c| c.rect.contains(at))
    {
        return Some(Target::Chip {
            filter: chip.filter,
        });
    }
    if let Some(pane) = panes.list {
        let list = article_list(app, pane);
        let rows = Rect {
            height: u16::try_from(list.shown * list.row_height).unwrap_or(u16::MAX),
            ..list.inner
        }
        .intersection(list.inner);
        if rows.contains(at) {
            let index = list.offset + usize::from(at.y - rows.y) / list.row_height;
            return Some(Target::Article {
                index,
                offset: list.offset,
            });
        }
    }
    if let Some(pane) = panes.facets {
        let inner = inside_border(pane);
        if inner.contains(at) {
            let shown = facet_lines(&app.facets, usize::from(padded(inner).height));
            if let Some(&FacetLine::Value(index, _)) = shown.lines.get(usize::from(at.y - inner.y))
            {
                // Headings take rows too, so the panel may be scrolled further than
                // `FacetPane::offset` says; the first value drawn is where it really is.
                let offset = shown
                    .lines
                    .iter()
                    .find_map(|l| match l {
                        FacetLine::Value(v, _) => Some(*v),
                        FacetLine::Heading(_) => None,
                    })
                    .unwrap_or(index);
                return Some(Target::FacetValue { index, offset });
            }
        }
    }
    None
}

/// The link under `at` in the reader's text, if any.
fn reader_target(pane: &ReaderPane, body: Rect, at: Position) -> Option<Target> {
    let drawn = reader(pane, body);
    if !drawn.text.contains(at) {
        return None;
    }
    let line = pane
        .layout
        .lines
        .get(drawn.scroll + usize::from(at.y - drawn.text.y))?;
    let index = link_at(line, at.x - drawn.text.x, drawn.text.width)?;
    Some(Target::Link { index })
}

/// The entry of a list overlay under `at`; the help overlay has none.
fn overlay_target(app: &App, overlay: &Overlay, area: Rect, at: Position) -> Option<Target> {
    let (selected, top) = overlay.list()?;
    let len = overlay_len(&app.library, &app.saved, app.reader.as_ref(), overlay);
    let list = overlay_list(area, len, selected, top);
    // The selection bar spans the padding, so the padding belongs to the row too; the
    // padding only narrows the rows, so `inner` starts on the same line.
    if !inside_border(list.rect).contains(at) {
        return None;
    }
    let index = list.first + usize::from(at.y - list.inner.y);
    (index < len).then_some(Target::OverlayEntry {
        index,
        first: list.first,
    })
}

/// The first visible row that keeps `selected` on screen, moving as little as possible.
pub fn scroll_into_view(offset: usize, selected: usize, rows: usize) -> usize {
    if selected < offset {
        selected
    } else if selected >= offset + rows {
        selected + 1 - rows
    } else {
        offset
    }
}

/// Number of rows of an overlay's list.
pub fn overlay_len(
    lib: &crate::content::Index,
    saved: &Saved,
    reader: Option<&ReaderPane>,
    overlay: &Overlay,
) -> usize {
    match overlay {
        Overlay::Help { .. } => 0,
        Overlay::Toc { .. } => reader.map_or(0, |r| r.layout.toc.len()),
        Overlay::Related { items, .. } => items.len(),
        Overlay::Bookmarks { .. } => saved
            .bookmarks
            .iter()
            .filter(|s| lib.by_slug(s).is_some())
            .count(),
        Overlay::History { .. } => saved
            .recent
            .iter()
            .filter(|s| lib.by_slug(s).is_some())
            .count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::index::FacetCount;
    use crate::content::render::layout::{LayoutSpan, SpanStyle};

    fn pane(sizes: &[usize]) -> FacetPane {
        let counts = sizes
            .iter()
            .enumerate()
            .map(|(f, &n)| {
                let values = (0..n)
                    .map(|v| FacetCount {
                        value: format!("v{v}"),
                        count: 1,
                    })
                    .collect();
                (format!("f{f}"), values)
            })
            .collect();
        FacetPane {
            counts,
            ..FacetPane::default()
        }
    }

    #[test]
    fn the_selected_facet_value_is_always_on_screen() {
        let mut pane = pane(&[3, 7, 2, 9, 1]);
        let values = pane.rows().len();
        for rows in 1..12 {
            for selected in 0..values {
                for offset in 0..values {
                    pane.selected = selected;
                    pane.offset = offset;
                    let shown = facet_lines(&pane, rows);
                    assert!(shown.lines.len() <= rows);
                    assert!(
                        shown
                            .lines
                            .iter()
                            .any(|e| matches!(e, FacetLine::Value(v, _) if *v == selected)),
                        "rows {rows} selected {selected} offset {offset}"
                    );
                }
            }
        }
    }

    #[test]
    fn list_offset_keeps_the_selection_on_screen() {
        assert_eq!(list_offset(0, 5, 10, 50), 0);
        assert_eq!(list_offset(0, 30, 10, 50), 21);
        assert_eq!(list_offset(40, 3, 10, 50), 3);
        assert_eq!(list_offset(99, 99, 10, 5), 4);
    }

    #[test]
    fn window_keeps_the_selection_visible() {
        assert_eq!(window(0, 5, 10), 0);
        assert_eq!(window(0, 50, 10), 0);
        assert_eq!(window(20, 50, 10), 15);
        assert_eq!(window(49, 50, 10), 40);
        assert_eq!(window(99, 50, 10), 40);
        for sel in 0..50 {
            let first = window(sel, 50, 7);
            assert!(first <= sel && sel < first + 7);
        }
    }

    #[test]
    fn a_clicked_overlay_stays_put_while_its_selection_is_in_view() {
        let area = Rect::new(0, 0, 80, 24);
        let rows = usize::from(overlay_list(area, 50, 0, None).inner.height);
        assert_eq!(overlay_list(area, 50, 0, None).first, 0);
        // Without a pinned top row the selection is centred.
        assert_eq!(overlay_list(area, 50, 15, None).first, 15 - rows / 2);
        // Pinned at 0 while row 15 is on screen: no jump.
        assert_eq!(overlay_list(area, 50, 15, Some(0)).first, 0);
        // A pin that no longer shows the selection, or runs past the end, is dropped.
        assert_eq!(
            overlay_list(area, 50, 40, Some(0)).first,
            window(40, 50, rows)
        );
        assert_eq!(overlay_list(area, 10, 5, Some(7)).first, 0);
    }

    #[test]
    fn text_is_centred_and_never_leaves_the_area() {
        let area = Rect::new(0, 2, 140, 30);
        assert_eq!(text_column(area, 96).x, 22);
        let narrow = Rect::new(0, 2, 40, 30);
        assert_eq!(text_column(narrow, 96), narrow);
    }

    fn line(spans: &[(&str, Option<usize>, bool)]) -> LayoutLine {
        LayoutLine {
            spans: spans
                .iter()
                .map(|&(text, link, is_text)| LayoutSpan {
                    text: text.into(),
                    style: SpanStyle {
                        link: link.filter(|_| is_text),
                        decoration: !is_text,
                        ..SpanStyle::default()
                    },
                    link,
                })
                .collect(),
            section: None,
        }
    }

    /// The link under each of the first `n` cells of `line` drawn in `max` columns.
    fn cells(line: &LayoutLine, n: u16, max: u16) -> Vec<Option<usize>> {
        (0..n).map(|x| link_at(line, x, max)).collect()
    }

    #[test]
    fn links_are_found_by_display_width() {
        // 日本 takes four cells, the emoji two, the zero-width joiner between two emoji none.
        let line = line(&[
            ("日本 ", None, true),
            ("ab", Some(0), true),
            (" [1]", Some(0), false),
            (" 👩\u{200D}💻 ", None, true),
            ("c d", Some(11), true),
            (" [12]", Some(11), false),
        ]);
        let (a, m, n) = (Some(0), Some(11), None);
        assert_eq!(
            cells(&line, 25, 96),
            [
                n, n, n, n, n, // 日本 and a space
                a, a, // ab
                n, a, a, a, // the blank before [1], then [1]
                n, n, n, n, // a blank, the emoji sequence, a blank
                m, m, m, // "c d": a space inside link text is link text
                n, m, m, m, m, // [12]
                n, n // past the end of the line
            ]
        );
        assert_eq!(link_at(&line, u16::MAX, u16::MAX), None);
    }

    #[test]
    fn links_cut_off_at_the_right_edge_are_not_there() {
        // A wide character that does not fit is not drawn, nor is the rest of its span; the
        // next span is drawn in the room left, as `Buffer::set_line` does.
        let line = line(&[
            ("abc", None, true),
            ("漢x", Some(0), true),
            ("y", Some(1), true),
        ]);
        assert_eq!(cells(&line, 5, 4), [None, None, None, Some(1), None]);
        assert_eq!(cells(&line, 5, 5), [None, None, None, Some(0), Some(0)]);
    }

    #[test]
    fn control_and_unsafe_characters_take_no_cells() {
        // The view draws sanitized text: a bidi override or an escape is not drawn.
        let line = line(&[("a\u{202E}\u{1b}b", None, true), ("c", Some(3), true)]);
        assert_eq!(cells(&line, 4, 80), [None, None, Some(3), None]);
    }

    #[test]
    fn overlay_boxes_never_leave_the_area() {
        for (w, h) in [(1, 1), (10, 3), (40, 10), (80, 24), (500, 200)] {
            let area = Rect::new(0, 0, w, h);
            for len in [0, 1, 30, usize::MAX] {
                let list = overlay_list(area, len, len.saturating_sub(1), None);
                assert_eq!(list.rect.intersection(area), list.rect, "{w}×{h} {len}");
                assert_eq!(list.inner.intersection(list.rect), list.inner);
            }
        }
    }
}

//! The library screen: the search line, the article list, and beside it (wide terminals) the
//! facet panel and the preview; narrow terminals show one pane at a time.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::text::{clean, fit, fit_spans, fit_tail, marked, pad, runs, width};
use super::{View, facets, preview};
use crate::app::geometry;
use crate::app::state::{Focus, Mode};
use crate::content::search::Hit;

/// Widest category column; longer categories are cut.
const CATEGORY_MAX: usize = 18;
/// Width of the reading-progress column (`42%`, `✓`).
const PROGRESS_WIDTH: usize = 4;
/// Reading progress from which an article counts as read.
const READ_PERMILLE: u16 = 950;

/// Draws the library screen into `area` (everything above the status line), in the panes
/// [`geometry::library`] lays out.
pub fn render(view: &View, frame: &mut Frame, area: Rect) {
    let panes = geometry::library(view.app, area);
    search_line(view, frame, panes.search);
    if let Some(rect) = panes.facets {
        facets::render(view, frame, rect);
    }
    if let Some(rect) = panes.list {
        list(view, frame, rect);
    }
    if let Some(rect) = panes.preview {
        preview::render(view, frame, rect);
    }
}

/// `/ query` with the cursor while typing, a searching hint, and active filter chips.
fn search_line(view: &View, frame: &mut Frame, area: Rect) {
    let s = &view.styles;
    let app = view.app;
    let typing = app.mode() == Mode::TextInput;
    let room = usize::from(area.width);
    let chips = geometry::filter_chips(app, area);
    // From the first chip to the right edge: the chips and the `x clears` hint.
    let chips_width = chips
        .first()
        .map_or(0, |c| usize::from(area.right().saturating_sub(c.rect.x)));
    let pending = if app.search.pending {
        "  searching…"
    } else {
        ""
    };
    let query_room = room.saturating_sub(3 + width(pending) + chips_width + 2);
    let query = fit_tail(&clean(&app.search.input), query_room).into_owned();
    let mut left = vec![Span::styled(" / ", s.key)];
    let query_width = width(&query);
    if query.is_empty() && !typing {
        let long = "press / to search titles, descriptions and facets";
        let hint = if width(long) <= query_room {
            long
        } else {
            "press / to search"
        };
        left.push(Span::styled(fit(hint, query_room).into_owned(), s.dim));
    } else {
        left.push(Span::raw(query));
    }
    left.push(Span::styled(pending, s.dim));
    frame.render_widget(Paragraph::new(Line::from(left)), area);
    // The chips where geometry places them, so a click lands on the one drawn.
    for chip in &chips {
        frame.render_widget(
            Paragraph::new(Span::styled(chip.text.clone(), s.chip)),
            chip.rect,
        );
    }
    if let Some(last) = chips.last() {
        let x = last.rect.right();
        let hint = Rect::new(x, area.y, area.right().saturating_sub(x), 1);
        let spans = vec![
            Span::raw("  "),
            Span::styled("x", s.key),
            Span::styled(" clears ", s.dim),
        ];
        frame.render_widget(Paragraph::new(Line::from(spans)), hint);
    }
    if typing {
        let x = area.x + u16::try_from(3 + query_width).unwrap_or(u16::MAX);
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
    }
}

/// Which metadata columns fit beside the titles, and how wide they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    title: usize,
    category: usize,
    date: bool,
    minutes: bool,
}

impl Columns {
    /// Adds columns as the width allows, title first: the date while the title keeps 45% of
    /// the row (at least 24 columns); the reading time while it keeps what the longest title
    /// shown needs (`title_need`, up to 60% of the row); the category only beside whole titles.
    fn fit(row: usize, category: usize, title_need: usize) -> Columns {
        let fixed = 2 + PROGRESS_WIDTH;
        let min_title = (row * 9 / 20).max(24.min(row));
        let keep_for_minutes = title_need.min(row * 3 / 5).max(min_title);
        let mut cols = Columns {
            title: row.saturating_sub(fixed),
            category: 0,
            date: false,
            minutes: false,
        };
        if cols.title >= min_title + 12 {
            cols.date = true;
            cols.title -= 12;
        }
        if cols.title >= keep_for_minutes + 8 {
            cols.minutes = true;
            cols.title -= 8;
        }
        if category > 0 && cols.title >= title_need.max(min_title) + category + 2 {
            cols.category = category;
            cols.title -= category + 2;
        }
        cols
    }
}

/// The article list in a bordered box, or a helpful message when nothing matches. Columns
/// appear as the width allows, the title first (see [`Columns::fit`]).
fn list(view: &View, frame: &mut Frame, area: Rect) {
    let s = &view.styles;
    let app = view.app;
    let focused = app.focus == Focus::List;
    let inner = super::pane(view, frame, area, " Articles ", focused);
    // The selection bar spans the padding, the text stays inside it.
    let padded = super::padded(inner);
    if app.list.visible.is_empty() {
        empty_list(view, frame, inner);
        return;
    }
    // The rows `update` maps clicks to.
    let rows = geometry::article_list(app, area);
    let offset = rows.offset;
    let shown: Vec<&Hit> = app.list.visible[offset..]
        .iter()
        .take(rows.shown)
        .filter_map(|&i| app.list.results.get(i))
        .collect();
    let category = shown
        .iter()
        .map(|h| width(&clean(app.library.get(h.id).category().unwrap_or(""))))
        .max()
        .unwrap_or(0)
        .min(CATEGORY_MAX);
    let title_need = shown
        .iter()
        .map(|h| width(&clean(&app.library.get(h.id).title)))
        .max()
        .unwrap_or(0);
    let cols = Columns::fit(usize::from(padded.width), category, title_need);
    let selected_style = if focused {
        s.selected
    } else {
        s.selected_unfocused
    };
    let height = u16::try_from(rows.row_height).unwrap_or(1);
    for (k, hit) in shown.into_iter().enumerate() {
        let Some(y) = u16::try_from(k)
            .ok()
            .and_then(|k| k.checked_mul(height))
            .map(|dy| inner.y.saturating_add(dy))
            .filter(|&y| y < inner.bottom())
        else {
            break;
        };
        let row = Rect {
            y,
            height: 1,
            ..padded
        };
        let mut line = list_row(view, hit, cols);
        let mut snippet = (height > 1).then(|| snippet_row(view, hit, usize::from(padded.width)));
        if offset + k == app.list.selected {
            let bar = Rect {
                y,
                height: height.min(inner.bottom() - y),
                ..inner
            };
            frame.buffer_mut().set_style(bar, selected_style);
            line = line.patch_style(selected_style);
            snippet = snippet.map(|l| l.patch_style(selected_style));
        }
        frame.render_widget(Paragraph::new(line), row);
        if let Some(snippet) = snippet.filter(|_| y + 1 < inner.bottom()) {
            let below = Rect { y: y + 1, ..row };
            frame.render_widget(Paragraph::new(snippet), below);
        }
    }
}

/// The second row of a body hit: its snippet under the title, matched words highlighted;
/// empty for a title hit.
fn snippet_row<'a>(view: &View<'a>, hit: &'a Hit, room: usize) -> Line<'a> {
    let s = &view.styles;
    let Some(snippet) = hit.snippet.as_ref() else {
        return Line::default();
    };
    // Offsets are char ranges: expand them into the char positions `marked` highlights.
    let positions: Vec<usize> = snippet.offsets.iter().flat_map(|&(a, b)| a..b).collect();
    let text = marked(&snippet.text, s.dim, &runs(&positions, s.matched));
    let mut spans = vec![Span::raw("    ")];
    spans.extend(fit_spans(text, room.saturating_sub(4)));
    Line::from(spans)
}

/// One row: star, title with matched characters, category, date, reading time, progress.
fn list_row<'a>(view: &View<'a>, hit: &Hit, cols: Columns) -> Line<'a> {
    let s = &view.styles;
    let app = view.app;
    let article = app.library.get(hit.id);
    let star = if app.is_bookmarked(hit.id) {
        "★ "
    } else {
        "  "
    };
    let mut spans = vec![Span::styled(star, s.star)];
    let title = marked(&article.title, s.text, &runs(&hit.positions, s.matched));
    let title = fit_spans(title, cols.title);
    let title_width: usize = title.iter().map(Span::width).sum();
    spans.extend(title);
    spans.push(pad(cols.title - title_width.min(cols.title)));
    if cols.category > 0 {
        let category = clean(article.category().unwrap_or(""));
        let category = fit(&category, cols.category).into_owned();
        let gap = 2 + cols.category - width(&category).min(cols.category);
        spans.push(pad(gap));
        spans.push(Span::styled(category, s.dim));
    }
    if cols.date {
        let date = article.date.map(|d| d.to_string()).unwrap_or_default();
        spans.push(Span::styled(format!("  {date:>10}"), s.dim));
    }
    if cols.minutes {
        let minutes = format!("{} min", article.reading_minutes());
        spans.push(Span::styled(format!("  {minutes:>6}"), s.dim));
    }
    spans.push(progress(view, &article.slug));
    Line::from(spans)
}

/// `42%` while reading, `✓` once read, blank before.
fn progress(view: &View, slug: &str) -> Span<'static> {
    let permille = view.app.saved.positions.get(slug).map(|p| p.permille);
    let (text, style) = match permille {
        Some(p) if p >= READ_PERMILLE => ("✓".to_owned(), view.styles.accent),
        Some(p) if p > 0 => (format!("{}%", p / 10), view.styles.dim),
        _ => (String::new(), Style::new()),
    };
    Span::styled(format!("{text:>PROGRESS_WIDTH$}"), style)
}

/// What to say when the list is empty, and how to get articles back.
fn empty_list(view: &View, frame: &mut Frame, area: Rect) {
    let s = &view.styles;
    let app = view.app;
    let query = clean(&app.search.input);
    let filters = app.facets.active.len();
    let mut lines = Vec::new();
    if app.library.is_empty() {
        // Say why: nothing there to read, or files that could not be read.
        let skipped = app.library.skipped();
        if skipped == 0 {
            lines.push(Line::styled("No articles in this folder.", s.bold));
            lines.push(Line::styled(
                "careerhub reads .md, .markdown and .mdx files, in subfolders too.",
                s.dim,
            ));
        } else {
            let files = if skipped == 1 { "file" } else { "files" };
            lines.push(Line::styled(
                format!("{skipped} {files} could not be read, so there is nothing to show."),
                s.bold,
            ));
            lines.push(Line::styled(
                "Run careerhub check to see why they were skipped.",
                s.dim,
            ));
        }
    } else {
        let what = match (query.is_empty(), filters) {
            (false, 0) => format!("No articles match “{query}”."),
            (false, n) => format!("No articles match “{query}” with {n} filter(s)."),
            (true, _) => "No articles match these filters.".to_owned(),
        };
        lines.push(Line::styled(what, s.bold));
        lines.push(Line::default());
        let mut help = Vec::new();
        if !query.is_empty() {
            help.extend([Span::styled("Esc", s.key), Span::raw(" clears the search")]);
        }
        if filters > 0 {
            if !help.is_empty() {
                help.push(Span::raw(", "));
            }
            help.extend([Span::styled("x", s.key), Span::raw(" clears filters")]);
        }
        lines.push(Line::from(help));
    }
    let area = Rect {
        x: area.x.saturating_add(1),
        y: area.y.saturating_add(1),
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(1),
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_appear_as_the_width_allows_title_first() {
        // Room for everything: date, reading time, then category, the title whole.
        let wide = Columns::fit(100, 14, 40);
        assert!(wide.date && wide.minutes && wide.category == 14);
        assert!(wide.title >= 40);
        // Less room: the category goes first, then reading time; the date stays longest.
        let middle = Columns::fit(70, 14, 40);
        assert!(middle.date && middle.minutes && middle.category == 0);
        let tighter = Columns::fit(56, 14, 40);
        assert!(tighter.date && !tighter.minutes);
        // Narrow: the title keeps at least 24 columns before any other column.
        let narrow = Columns::fit(38, 14, 60);
        assert!(narrow.title >= 24 && !narrow.date);
    }
}

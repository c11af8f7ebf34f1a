//! The reader screen: a title bar, a progress rule, and the visible slice of the article.
//!
//! The article was wrapped once to the text width by [`crate::content::render::layout`]; this view
//! draws only `lines[scroll .. scroll + rows]` and never wraps again, so scrolling a long
//! article costs the same as scrolling a short one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::View;
use super::text::{Mark, clean, fit, marked, width};
use crate::app::geometry;
use crate::app::state::ReaderPane;
use crate::content::render::layout::LayoutLine;

/// Draws the reader into `area` (everything above the status line).
pub fn render(view: &View, reader: &ReaderPane, frame: &mut Frame, area: Rect) {
    // The same areas and first line `update` uses to tell which link a click hit.
    let drawn = geometry::reader(reader, area);
    let column = drawn.text;
    let scroll = drawn.scroll;
    let lines = &reader.layout.lines;
    let percent = progress(scroll, lines.len(), usize::from(column.height));
    title_bar(view, reader, percent, frame, drawn.title);
    progress_rule(view, percent, frame, drawn.rule);
    if lines.is_empty() {
        let note = Span::styled("This article has no text.", view.styles.dim);
        frame.render_widget(Paragraph::new(note), column);
        return;
    }
    let hits = &reader.find.hits;
    // Hits are in line order: walk them alongside the visible lines.
    let mut k = hits.partition_point(|h| h.0 < scroll);
    for (y, i) in (column.y..column.bottom()).zip(scroll..lines.len()) {
        let mut marks = Vec::new();
        while let Some(&(line, start, end)) = hits.get(k)
            && line <= i
        {
            let style = if k == reader.find.current {
                view.styles.current_hit
            } else {
                view.styles.hit
            };
            if line == i {
                marks.push(Mark { start, end, style });
            }
            k += 1;
        }
        let line = styled_line(view, &lines[i], &marks);
        frame
            .buffer_mut()
            .set_line(column.x, y, &line, column.width);
    }
}

/// How far through the article the top line is, 0–100; 100 when it all fits on screen (the
/// list shows the same figure: [`crate::app::state::progress_permille`]).
pub fn progress(scroll: usize, lines: usize, rows: usize) -> u16 {
    crate::app::state::progress_permille(scroll, lines, rows) / 10
}

/// Title, bookmark star and progress.
fn title_bar(view: &View, reader: &ReaderPane, percent: u16, frame: &mut Frame, row: Rect) {
    let s = &view.styles;
    let app = view.app;
    let star = if app.is_bookmarked(reader.id) {
        "★ "
    } else {
        ""
    };
    let right = format!("{percent:>3}%");
    let room = usize::from(row.width).saturating_sub(width(&right) + width(star) + 2);
    let title = clean(&app.library.get(reader.id).title);
    let left = Line::from(Span::styled(
        fit(&title, room).into_owned(),
        s.accent.patch(s.bold),
    ));
    let right = Line::from(vec![Span::styled(star, s.star), Span::styled(right, s.dim)]);
    frame.render_widget(Paragraph::new(left), row);
    frame.render_widget(Paragraph::new(right.right_aligned()), row);
}

/// A rule under the title bar, heavy for the part already read (visible without colour).
fn progress_rule(view: &View, percent: u16, frame: &mut Frame, row: Rect) {
    let total = usize::from(row.width);
    let done = total * usize::from(percent.min(100)) / 100;
    let line = Line::from(vec![
        Span::styled("━".repeat(done), view.styles.accent),
        Span::styled("─".repeat(total - done), view.styles.border),
    ]);
    frame.render_widget(Paragraph::new(line), row);
}

/// One wrapped line with its styles and find marks (char ranges in the line's text).
fn styled_line<'a>(view: &View, line: &'a LayoutLine, marks: &[Mark]) -> Line<'a> {
    let mut spans = Vec::with_capacity(line.spans.len());
    let mut offset = 0;
    for span in &line.spans {
        let chars = span.text.chars().count();
        let local: Vec<Mark> = marks
            .iter()
            .filter(|m| m.end > offset && m.start < offset + chars)
            .map(|m| Mark {
                start: m.start.saturating_sub(offset),
                end: m.end - offset,
                style: m.style,
            })
            .collect();
        spans.extend(marked(&span.text, view.styles.span(span.style), &local));
        offset += chars;
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_runs_from_zero_to_one_hundred() {
        assert_eq!(progress(0, 100, 20), 0);
        assert_eq!(progress(40, 100, 20), 50);
        assert_eq!(progress(80, 100, 20), 100);
        assert_eq!(progress(500, 100, 20), 100);
        assert_eq!(progress(0, 10, 20), 100);
    }
}

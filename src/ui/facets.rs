//! The facet panel: each facet as a heading, each value with a checkbox and a live count.
//!
//! `update` scrolls the panel in value rows ([`FacetPane::offset`]); headings take rows too,
//! so the view turns that offset into a first line of its own that keeps the selected value
//! on screen, and pins the heading of a facet whose first values scrolled away.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::View;
use super::text::{clean, fit, pad, width};
use crate::app::state::{FacetPane, FacetRow, Focus};

/// One line of the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    /// The name of facet `n`.
    Heading(usize),
    /// Selectable value row `n` (index into [`FacetPane::rows`]).
    Value(usize, FacetRow),
}

/// Draws the facet panel into `area`.
pub fn render(view: &View, frame: &mut Frame, area: Rect) {
    let s = &view.styles;
    let pane = &view.app.facets;
    let focused = view.app.focus == Focus::Facets;
    let inner = super::padded(super::pane(view, frame, area, " Filters ", focused));
    let entries = entries(pane);
    if entries.is_empty() {
        let note = Span::styled("No facets in these results.", s.dim);
        frame.render_widget(Paragraph::new(note), inner);
        return;
    }
    let rows = usize::from(inner.height);
    let value_rows = entries.len() - pane.counts.len();
    let selected = pane.selected.min(value_rows.saturating_sub(1));
    let start = first_line(&entries, pane.offset, selected, rows);
    let mut lines: Vec<Entry> = Vec::with_capacity(rows);
    if let Some(Entry::Value(_, row)) = entries.get(start)
        && rows >= 3
    {
        lines.push(Entry::Heading(row.facet));
    }
    lines.extend(entries[start..].iter().take(rows - lines.len()));
    let room = usize::from(inner.width);
    for (y, entry) in (inner.y..inner.bottom()).zip(lines) {
        let rect = Rect {
            y,
            height: 1,
            ..inner
        };
        let line = match entry {
            Entry::Heading(f) => heading(view, f, room),
            Entry::Value(i, row) => {
                let line = value(view, row, room);
                if focused && i == selected {
                    let bar = Rect {
                        x: rect.x.saturating_sub(1),
                        width: rect.width.saturating_add(2),
                        ..rect
                    }
                    .intersection(area);
                    frame.buffer_mut().set_style(bar, s.selected);
                    line.patch_style(s.selected)
                } else {
                    line
                }
            }
        };
        frame.render_widget(Paragraph::new(line), rect);
    }
}

/// Headings and value rows in display order.
fn entries(pane: &FacetPane) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut last = None;
    for (i, row) in pane.rows().into_iter().enumerate() {
        if last != Some(row.facet) {
            out.push(Entry::Heading(row.facet));
            last = Some(row.facet);
        }
        out.push(Entry::Value(i, row));
    }
    out
}

/// The first line to draw: where `update`'s offset (in value rows) points, moved just enough
/// to show the selected value below the pinned heading.
fn first_line(entries: &[Entry], offset: usize, selected: usize, rows: usize) -> usize {
    let index_of = |n: usize| {
        let i = entries
            .iter()
            .position(|e| matches!(e, Entry::Value(v, _) if *v >= n))
            .unwrap_or(entries.len().saturating_sub(1));
        // Start at a facet's heading rather than just below it.
        if i > 0 && matches!(entries[i - 1], Entry::Heading(_)) {
            i - 1
        } else {
            i
        }
    };
    let sel = entries
        .iter()
        .position(|e| matches!(e, Entry::Value(v, _) if *v == selected))
        .unwrap_or(0);
    let pinned = |start: usize| rows >= 3 && matches!(entries.get(start), Some(Entry::Value(..)));
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

fn heading<'a>(view: &View, facet: usize, room: usize) -> Line<'a> {
    let name = view
        .app
        .facets
        .counts
        .get(facet)
        .map_or("", |(name, _)| name.as_str());
    let s = &view.styles;
    Line::styled(
        fit(&capitalized(&clean(name)), room).into_owned(),
        s.accent.patch(s.bold),
    )
}

/// `role` → `Role`, so headings stand apart from values even without colour.
fn capitalized(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `[x] data-analyst      12`.
fn value<'a>(view: &View, row: FacetRow, room: usize) -> Line<'a> {
    let s = &view.styles;
    let pane = &view.app.facets;
    let Some((name, count)) = pane
        .counts
        .get(row.facet)
        .and_then(|(name, values)| Some((name, values.get(row.value)?)))
    else {
        return Line::default();
    };
    let active = pane.is_active(name, &count.value);
    let check = if active { "[x] " } else { "[ ] " };
    let number = count.count.to_string();
    let value_room = room.saturating_sub(4 + width(&number) + 1);
    let value = fit(&clean(&count.value), value_room).into_owned();
    let gap = room.saturating_sub(4 + width(&value) + width(&number));
    let value_style = if count.count == 0 { s.dim } else { s.text };
    Line::from(vec![
        Span::styled(check, if active { s.accent } else { s.dim }),
        Span::styled(value, value_style),
        pad(gap),
        Span::styled(number, s.dim),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::library::FacetCount;

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
    fn the_selected_value_is_always_on_screen() {
        let pane = pane(&[3, 7, 2, 9, 1]);
        let entries = entries(&pane);
        let values = pane.rows().len();
        for rows in 1..12 {
            for selected in 0..values {
                for offset in 0..values {
                    let start = first_line(&entries, offset, selected, rows);
                    let pinned = rows >= 3 && matches!(entries[start], Entry::Value(..));
                    let shown =
                        &entries[start..(start + rows - usize::from(pinned)).min(entries.len())];
                    assert!(
                        shown
                            .iter()
                            .any(|e| matches!(e, Entry::Value(v, _) if *v == selected)),
                        "rows {rows} selected {selected} offset {offset} start {start}"
                    );
                }
            }
        }
    }
}

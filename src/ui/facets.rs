//! The facet panel: each facet as a heading, each value with a checkbox and a live count.
//!
//! Which lines show ([`geometry::facet_lines`]) is shared with `update`, which maps clicks to
//! values with it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::View;
use super::text::{clean, fit, pad, width};
use crate::app::geometry::{self, FacetLine};
use crate::app::state::{FacetRow, Focus};

/// Draws the facet panel into `area`.
pub fn render(view: &View, frame: &mut Frame, area: Rect) {
    let s = &view.styles;
    let pane = &view.app.facets;
    let focused = view.app.focus == Focus::Facets;
    let inner = super::padded(super::pane(view, frame, area, " Filters ", focused));
    let shown = geometry::facet_lines(pane, usize::from(inner.height));
    if shown.lines.is_empty() {
        let note = Span::styled("No facets in these results.", s.dim);
        frame.render_widget(Paragraph::new(note), inner);
        return;
    }
    let selected = shown.selected;
    let room = usize::from(inner.width);
    for (y, entry) in (inner.y..inner.bottom()).zip(shown.lines) {
        let rect = Rect {
            y,
            height: 1,
            ..inner
        };
        let line = match entry {
            FacetLine::Heading(f) => heading(view, f, room),
            FacetLine::Value(i, row) => {
                let line = value(view, row, room);
                if focused && i == selected {
                    super::select_row(frame, rect, area, s.selected, line)
                } else {
                    line
                }
            }
        };
        frame.render_widget(Paragraph::new(line), rect);
    }
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

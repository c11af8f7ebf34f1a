//! The box every overlay is drawn in: cleared, bordered, titled, centred over the screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};

use super::View;
use super::text::{fit, width};
use crate::app::geometry;

/// Clears a centred box for `inner` (columns, rows) of content, draws its border and titles,
/// and returns the area inside. The box never leaves `area`.
pub fn open(
    view: &View,
    frame: &mut Frame,
    area: Rect,
    title: &str,
    inner: (usize, usize),
    footer: &str,
) -> Rect {
    draw_box(
        view,
        frame,
        geometry::overlay_box(area, inner),
        title,
        footer,
    )
}

/// Clears `rect`, draws its border and titles, and returns the area inside (padded).
pub fn draw_box(view: &View, frame: &mut Frame, rect: Rect, title: &str, footer: &str) -> Rect {
    frame.render_widget(Clear, rect);
    let s = &view.styles;
    let room = usize::from(rect.width.saturating_sub(2));
    let mut block = Block::bordered()
        .border_style(s.border_focused)
        .title(Span::styled(fit(title, room).into_owned(), s.bold));
    if width(footer) + 2 <= room {
        block =
            block.title_bottom(Line::from(Span::styled(footer.to_owned(), s.dim)).right_aligned());
    }
    frame.render_widget(block, rect);
    geometry::overlay_inner(rect)
}

//! Views: [`render`] draws an [`App`] into a ratatui [`Frame`]. Views read state and never
//! change it: scroll offsets and selections are kept by [`crate::app::update()`], and the views
//! only clamp them defensively (a resize may arrive between update and draw). Where each part
//! goes comes from [`crate::app::geometry`], which `update` also uses to tell what a click hit.
//!
//! One module per part of the screen: [`list`] (library screen: search line and article
//! list), [`preview`], [`facets`], [`reader`], [`overlay`] (table of contents, related,
//! bookmarks, history), [`help`] (the one table of key descriptions), [`status`], with
//! [`theme`] for every style and [`text`] for measuring and cutting text.

mod boxed;
pub mod facets;
pub mod help;
pub mod list;
pub mod overlay;
pub mod preview;
pub mod reader;
pub mod status;
pub mod text;
pub mod theme;

#[cfg(test)]
mod related_tests;
#[cfg(test)]
mod tests;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::App;
use crate::app::geometry;
use crate::app::state::{MIN_HEIGHT, MIN_WIDTH, Screen};
use theme::Styles;

pub use geometry::padded;

/// What every view needs: the state to draw and the styles to draw it with.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// The state to draw.
    pub app: &'a App,
    /// Styles for the session's theme and colour setting.
    pub styles: Styles,
}

/// Draws the whole reader for the current state.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let view = View {
        app,
        styles: Styles::new(&app.options),
    };
    let Some(screen) = geometry::screen(app, area) else {
        too_small(&view, frame, area);
        return;
    };
    match (app.screen, &app.reader) {
        (Screen::Reader, Some(reader)) => reader::render(&view, reader, frame, screen.body),
        _ => list::render(&view, frame, screen.body),
    }
    status::render(&view, frame, screen.status);
    if let Some(overlay) = &app.overlay {
        overlay::render(&view, overlay, frame, area);
    }
}

/// Draws a bordered pane titled `title` (highlighted when it has the focus) and returns the
/// area inside its border.
pub fn pane(view: &View, frame: &mut Frame, area: Rect, title: &str, focused: bool) -> Rect {
    let s = &view.styles;
    let block = ratatui::widgets::Block::bordered()
        .border_style(if focused { s.border_focused } else { s.border })
        .title(ratatui::text::Span::styled(title.to_owned(), s.bold));
    frame.render_widget(block, area);
    // The same inside as `update` computes for clicks.
    geometry::inside_border(area)
}

/// The only thing drawn when the terminal is smaller than the reader needs.
/// Paints the selection bar of a list row over its one-cell padding on each side too, so the
/// bar spans the box; clipped to `area`. Returns the row's line in the selected style.
pub fn select_row<'a>(
    frame: &mut Frame,
    row: Rect,
    area: Rect,
    style: ratatui::style::Style,
    line: ratatui::text::Line<'a>,
) -> ratatui::text::Line<'a> {
    let bar = Rect {
        x: row.x.saturating_sub(1),
        width: row.width.saturating_add(2),
        ..row
    }
    .intersection(area);
    frame.buffer_mut().set_style(bar, style);
    line.patch_style(style)
}

fn too_small(view: &View, frame: &mut Frame, area: Rect) {
    let message = format!(
        "Terminal too small: need at least {MIN_WIDTH}×{MIN_HEIGHT} (now {}×{})",
        area.width, area.height
    );
    let lines = u16::try_from(text::width(&message) / usize::from(area.width.max(1)) + 1)
        .unwrap_or(u16::MAX);
    let area = area.centered_vertically(Constraint::Length(lines));
    frame.render_widget(
        Paragraph::new(message)
            .style(view.styles.warning)
            .centered()
            .wrap(Wrap { trim: true }),
        area,
    );
}

//! A ratatui backend that writes escape sequences into a byte buffer.
//!
//! ratatui's stock backends ask the process's own terminal for its size and cursor position;
//! a server has no terminal (or worse, the operator's), so this backend never asks anything:
//! it reports the client's pty size it was given and remembers where it put the cursor. After
//! each draw the session takes the bytes and sends them down the SSH channel.
//!
//! It writes plain ANSI itself instead of going through crossterm, so no environment variable
//! of the server (such as `NO_COLOR`) changes what clients see, and cell symbols are filtered
//! once more for control characters as a last line of defence.

use std::convert::Infallible;
use std::fmt::Write as _;

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Rect, Size};
use ratatui::style::{Color, Modifier};
use ratatui::{Terminal, TerminalOptions, Viewport};

use crate::content::render::sanitize;

/// Escape sequences that put the client's terminal into reader mode: alternate screen,
/// hidden cursor, bracketed paste, wheel reports in SGR form, cleared screen.
pub const ENTER: &str = "\x1b[?1049h\x1b[?25l\x1b[?2004h\x1b[?1000h\x1b[?1006h\x1b[0m\x1b[H\x1b[2J";
/// Undoes [`ENTER`]: the client's shell gets its screen and cursor back.
pub const LEAVE: &str = "\x1b[0m\x1b[?1006l\x1b[?1000l\x1b[?2004l\x1b[?25h\x1b[?1049l";

/// Output buffer with a fixed, externally known size.
#[derive(Debug)]
pub struct ByteBackend {
    out: String,
    size: Size,
    cursor: Position,
}

impl ByteBackend {
    /// A backend for a terminal of `width` × `height` cells.
    pub fn new(width: u16, height: u16) -> ByteBackend {
        ByteBackend {
            out: String::with_capacity(16 * 1024),
            size: Size::new(width, height),
            cursor: Position::ORIGIN,
        }
    }

    /// Bytes written since the last call.
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out).into_bytes()
    }

    fn move_to(&mut self, x: u16, y: u16) {
        let _ = write!(self.out, "\x1b[{};{}H", y + 1, x + 1);
        self.cursor = Position::new(x, y);
    }
}

/// A terminal over a [`ByteBackend`] whose viewport is fixed to the client's size.
pub fn terminal(width: u16, height: u16) -> Terminal<ByteBackend> {
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
    };
    match Terminal::with_options(ByteBackend::new(width, height), options) {
        Ok(t) => t,
        Err(never) => match never {},
    }
}

/// Changes the size on both sides: the backend reports it, the viewport uses it.
pub fn resize(terminal: &mut Terminal<ByteBackend>, width: u16, height: u16) {
    terminal.backend_mut().size = Size::new(width, height);
    if let Err(never) = terminal.resize(Rect::new(0, 0, width, height)) {
        match never {}
    }
}

impl Backend for ByteBackend {
    type Error = Infallible;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Infallible>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut style: Option<(Color, Color, Modifier)> = None;
        let mut last: Option<Position> = None;
        for (x, y, cell) in content {
            if !matches!(last, Some(p) if p.y == y && p.x + 1 == x) {
                self.move_to(x, y);
            }
            last = Some(Position::new(x, y));
            let wanted = (cell.fg, cell.bg, cell.modifier);
            if style != Some(wanted) {
                write_style(&mut self.out, wanted);
                style = Some(wanted);
            }
            push_symbol(&mut self.out, cell.symbol());
        }
        self.out.push_str("\x1b[0m");
        Ok(())
    }

    fn hide_cursor(&mut self) -> Result<(), Infallible> {
        self.out.push_str("\x1b[?25l");
        Ok(())
    }

    fn show_cursor(&mut self) -> Result<(), Infallible> {
        self.out.push_str("\x1b[?25h");
        Ok(())
    }

    fn get_cursor_position(&mut self) -> Result<Position, Infallible> {
        Ok(self.cursor)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Infallible> {
        let p = position.into();
        self.move_to(p.x, p.y);
        Ok(())
    }

    fn clear(&mut self) -> Result<(), Infallible> {
        self.out.push_str("\x1b[0m\x1b[2J");
        Ok(())
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Infallible> {
        self.out.push_str("\x1b[0m");
        self.out.push_str(match clear_type {
            ClearType::All => "\x1b[2J",
            ClearType::AfterCursor => "\x1b[J",
            ClearType::BeforeCursor => "\x1b[1J",
            ClearType::CurrentLine => "\x1b[2K",
            ClearType::UntilNewLine => "\x1b[K",
        });
        Ok(())
    }

    fn size(&self) -> Result<Size, Infallible> {
        Ok(self.size)
    }

    fn window_size(&mut self) -> Result<WindowSize, Infallible> {
        // Pixel sizes are unknown (and unused by the reader).
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::new(0, 0),
        })
    }

    fn flush(&mut self) -> Result<(), Infallible> {
        Ok(())
    }
}

/// Writes one cell's text; control and bidi characters become spaces so no cell can move the
/// cursor or smuggle an escape sequence, whatever a widget put there.
fn push_symbol(out: &mut String, symbol: &str) {
    if symbol
        .chars()
        .any(|c| c.is_control() || sanitize::is_unsafe_char(c))
    {
        out.extend(symbol.chars().map(|c| {
            if c.is_control() || sanitize::is_unsafe_char(c) {
                ' '
            } else {
                c
            }
        }));
    } else {
        out.push_str(symbol);
    }
}

/// A full SGR for the style: reset, then attributes and colours. Longer than a diff, but it
/// can never leave an attribute behind.
fn write_style(out: &mut String, (fg, bg, modifier): (Color, Color, Modifier)) {
    out.push_str("\x1b[0");
    for (flag, code) in [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::SLOW_BLINK, "5"),
        (Modifier::RAPID_BLINK, "6"),
        (Modifier::REVERSED, "7"),
        (Modifier::HIDDEN, "8"),
        (Modifier::CROSSED_OUT, "9"),
    ] {
        if modifier.contains(flag) {
            out.push(';');
            out.push_str(code);
        }
    }
    write_color(out, fg, 30);
    write_color(out, bg, 40);
    out.push('m');
}

/// Appends `;code` for a colour; `base` is 30 for foreground, 40 for background.
fn write_color(out: &mut String, color: Color, base: u8) {
    let basic = |n: u8| Some(base + n);
    let bright = |n: u8| Some(base + 60 + n);
    let code = match color {
        Color::Reset => None,
        Color::Black => basic(0),
        Color::Red => basic(1),
        Color::Green => basic(2),
        Color::Yellow => basic(3),
        Color::Blue => basic(4),
        Color::Magenta => basic(5),
        Color::Cyan => basic(6),
        Color::Gray => basic(7),
        Color::DarkGray => bright(0),
        Color::LightRed => bright(1),
        Color::LightGreen => bright(2),
        Color::LightYellow => bright(3),
        Color::LightBlue => bright(4),
        Color::LightMagenta => bright(5),
        Color::LightCyan => bright(6),
        Color::White => bright(7),
        Color::Indexed(i) => {
            let _ = write!(out, ";{};5;{i}", base + 8);
            None
        }
        Color::Rgb(r, g, b) => {
            let _ = write!(out, ";{};2;{r};{g};{b}", base + 8);
            None
        }
    };
    if let Some(code) = code {
        let _ = write!(out, ";{code}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::text::Line;

    #[test]
    fn draws_at_the_given_size_without_asking_any_terminal() {
        let mut t = terminal(20, 3);
        t.draw(|f| f.render_widget(Line::from("hello"), f.area()))
            .unwrap();
        let bytes = t.backend_mut().take();
        let mut screen = vt100::Parser::new(3, 20, 0);
        screen.process(&bytes);
        assert_eq!(screen.screen().contents().lines().next(), Some("hello"));
        resize(&mut t, 30, 5);
        assert_eq!(t.size().unwrap(), Size::new(30, 5));
        t.draw(|f| f.render_widget(Line::from("wider"), f.area()))
            .unwrap();
        let mut screen = vt100::Parser::new(5, 30, 0);
        screen.process(&t.backend_mut().take());
        assert!(screen.screen().contents().starts_with("wider"));
    }

    #[test]
    fn styles_and_control_characters() {
        let mut out = String::new();
        write_style(
            &mut out,
            (
                Color::Rgb(1, 2, 3),
                Color::Blue,
                Modifier::BOLD | Modifier::REVERSED,
            ),
        );
        assert_eq!(out, "\x1b[0;1;7;38;2;1;2;3;44m");
        let mut out = String::new();
        push_symbol(&mut out, "a\x1b]52;c;x\x07\u{202e}");
        assert!(!out.contains('\x1b') && !out.contains('\u{202e}'));
    }
}

//! Every key the reader knows, described once: the help overlay and the status line's key
//! hints both read the tables here, so a key's description lives in one place.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::View;
use super::boxed;
use super::text::{fit, pad, width};
use crate::app::geometry;
pub use crate::app::keyhelp::*;

/// Draws the help overlay from line `scroll`: two columns (Everywhere | Library and Reading)
/// when they fit, else one; a box too short for all of it scrolls and says so.
pub fn render(view: &View, scroll: usize, frame: &mut Frame, area: Rect) {
    let help = geometry::help_box(area);
    let left = column_lines(view, &[Group::Everywhere]);
    let right = column_lines(view, &[Group::Library, Group::Reading]);
    let footer = if help.max_scroll > 0 {
        " ↑↓ scroll · ? or Esc closes "
    } else {
        " ? or Esc closes "
    };
    let inner = boxed::open(view, frame, area, " Keys ", help.content, footer);
    let lines: Vec<Line> = if help.two_columns {
        // Both columns run to the longer one's end.
        let rows = left.len().max(right.len());
        let blank = || std::iter::repeat(Line::default());
        left.into_iter()
            .chain(blank())
            .zip(right.into_iter().chain(blank()))
            .take(rows)
            .map(|(mut l, r)| {
                let gap = (HELP_COLUMN + COLUMN_GAP).saturating_sub(l.width());
                l.spans.push(pad(gap));
                l.spans.extend(r.spans);
                l
            })
            .collect()
    } else {
        left.into_iter()
            .chain(std::iter::once(Line::default()))
            .chain(right)
            .collect()
    };
    let first = scroll.min(help.max_scroll);
    let shown: Vec<Line> = lines.into_iter().skip(first).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

/// The lines of some groups: a heading, then one line per key.
fn column_lines(view: &View, groups: &[Group]) -> Vec<Line<'static>> {
    let s = &view.styles;
    let mut lines = Vec::new();
    for (i, &group) in groups.iter().enumerate() {
        if i > 0 {
            lines.push(Line::default());
        }
        lines.push(Line::from(Span::styled(
            group.title(),
            s.accent.patch(s.bold),
        )));
        for k in KEYS.iter().filter(|k| k.group == group) {
            lines.push(Line::from(vec![
                Span::styled(k.keys, s.key),
                pad(KEYS_WIDTH + 1 - width(k.keys).min(KEYS_WIDTH)),
                Span::raw(fit(k.action, ACTION_WIDTH).into_owned()),
            ]));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Action, update_now};
    use crate::ui::tests::{app_after, draw, screen_text};

    #[test]
    fn help_mentions_every_key() {
        let all: Vec<&str> = KEYS.iter().flat_map(|k| k.keys.split(' ')).collect();
        for key in [
            "?",
            "q",
            "Ctrl-C",
            "Esc",
            "/",
            "j",
            "k",
            "↑",
            "↓",
            "g",
            "G",
            "Home",
            "End",
            "PgUp",
            "PgDn",
            "Space",
            "b",
            "Ctrl-d",
            "Ctrl-u",
            "Enter",
            "f",
            "x",
            "Tab",
            "r",
            "t",
            "n",
            "N",
            "0-9",
            "h",
            "Bksp",
            "Ctrl-p",
            "Ctrl-n",
            "Ctrl-b",
            "Ctrl-f",
            "Ctrl-h",
            "Ctrl-w",
            "Shift-Tab",
            "l",
            "→",
            "←",
            "L",
            "m",
            "B",
            "H",
            "o",
            "y",
            "wheel",
            "click",
        ] {
            assert!(all.contains(&key), "help does not mention {key}");
        }
    }

    #[test]
    fn descriptions_fit_their_columns() {
        for k in KEYS {
            assert!(width(k.keys) <= KEYS_WIDTH, "{} is too wide", k.keys);
            assert!(width(k.action) <= ACTION_WIDTH, "{} is too wide", k.action);
        }
    }

    /// How the help overlay writes a key (`Ctrl-n`, `→`, `Bksp`, `Space`).
    fn help_name(code: crate::app::keymap::KeyCode, ctrl: bool) -> String {
        use crate::app::keymap::KeyCode::*;
        let name = match code {
            Char(' ') => "Space".to_owned(),
            Char(c) => c.to_string(),
            Enter => "Enter".to_owned(),
            Esc => "Esc".to_owned(),
            Backspace => "Bksp".to_owned(),
            Tab => "Tab".to_owned(),
            BackTab => "Shift-Tab".to_owned(),
            Up => "↑".to_owned(),
            Down => "↓".to_owned(),
            Left => "←".to_owned(),
            Right => "→".to_owned(),
            Home => "Home".to_owned(),
            End => "End".to_owned(),
            PageUp => "PgUp".to_owned(),
            PageDown => "PgDn".to_owned(),
            other => format!("{other:?}"),
        };
        if ctrl { format!("Ctrl-{name}") } else { name }
    }

    #[test]
    fn every_bound_key_is_named_in_a_whole_help_row_at_common_sizes() {
        use crate::app::keyhelp::KEYS_WIDTH;
        use crate::app::keymap::{BINDINGS, Mods};
        use crate::ui::text::width;
        for (w, h) in [(100, 30), (80, 24)] {
            // Every screen row the help shows, scrolled from top to bottom.
            let mut app = app_after(w, h, false, &[Action::ToggleHelp]);
            let mut lines: Vec<String> = Vec::new();
            for _ in 0..200 {
                lines.extend(screen_text(&draw(&app, w, h)).lines().map(str::to_owned));
                let before = app.overlay.clone();
                update_now(&mut app, Action::Down);
                if app.overlay == before {
                    break;
                }
            }
            for b in BINDINGS {
                let row = b.help;
                // Keys and description on one line, neither cut.
                let whole = format!(
                    "{}{}{}",
                    row.keys,
                    " ".repeat(KEYS_WIDTH + 1 - width(row.keys)),
                    row.action
                );
                assert!(
                    lines.iter().any(|l| l.contains(&whole)),
                    "{w}x{h}: the help row {whole:?} is not shown whole"
                );
                for &code in b.codes {
                    let name = help_name(code, b.mods == Mods::Ctrl);
                    let digit = name.len() == 1 && name.chars().all(|c| c.is_ascii_digit());
                    // Ctrl with a letter is one key whatever its case (`Ctrl-C`, `Ctrl-c`).
                    let named = row.keys.split(' ').any(|token| {
                        token == name
                            || (b.mods == Mods::Ctrl && token.eq_ignore_ascii_case(&name))
                            || (digit && token == "0-9")
                    });
                    assert!(
                        named,
                        "{w}x{h}: {name} ({:?}) is bound, but its help row {:?} does not name it",
                        b.action, row.keys
                    );
                }
            }
        }
    }
}

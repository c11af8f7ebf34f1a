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
}

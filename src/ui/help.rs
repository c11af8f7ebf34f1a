//! Every key the reader knows, described once: the help overlay and the status line's key
//! hints both read the tables here, so a key's description lives in one place.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::View;
use super::overlay;
use super::text::{fit, pad, width};
use crate::app::state::Mode;

/// Where a key works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Everywhere,
    Library,
    Reading,
}

impl Group {
    /// The heading shown above the group in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Group::Everywhere => "Everywhere",
            Group::Library => "Library",
            Group::Reading => "Reading",
        }
    }
}

/// One row of the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyHelp {
    /// Where the keys work.
    pub group: Group,
    /// The keys, as the reader types them.
    pub keys: &'static str,
    /// What they do, short enough for a two-column overlay at 80 columns.
    pub action: &'static str,
}

const fn key(group: Group, keys: &'static str, action: &'static str) -> KeyHelp {
    KeyHelp {
        group,
        keys,
        action,
    }
}

/// Columns of the keys column and the description column in the help overlay.
const KEYS_WIDTH: usize = 13;
const ACTION_WIDTH: usize = 23;
const COLUMN_GAP: usize = 2;

/// Every key, grouped; the single source of truth for key descriptions.
pub const KEYS: &[KeyHelp] = {
    use Group::*;
    &[
        key(Everywhere, "?", "show or hide this help"),
        key(Everywhere, "q", "back, or quit"),
        key(Everywhere, "Ctrl-C", "quit at once"),
        key(Everywhere, "Esc", "close, cancel, clear"),
        key(Everywhere, "j k ↑ ↓", "move or scroll a line"),
        key(Everywhere, "g G Home End", "go to the top / bottom"),
        key(Everywhere, "PgUp PgDn", "page up / down"),
        key(Everywhere, "Ctrl-u Ctrl-d", "half a page up / down"),
        key(Everywhere, "mouse wheel", "scroll"),
        // One rule for every list, with no timing: a click selects, and a click on the entry
        // already highlighted acts like Enter on it (see `update::click`).
        key(Everywhere, "click", "select, again to open"),
        key(Everywhere, "Enter", "open the selection"),
        key(Everywhere, "r", "related articles"),
        key(Everywhere, "m", "bookmark or unbookmark"),
        key(Everywhere, "B H", "bookmarks / history"),
        key(Everywhere, "L", "forward again"),
        key(Everywhere, "o y", "open in browser / copy"),
        key(Library, "/", "search the library"),
        key(Library, "Ctrl-w Ctrl-u", "delete word / query"),
        key(Library, "f", "show or hide filters"),
        key(Library, "Tab", "switch list / filters"),
        key(Library, "Space Enter", "toggle a filter"),
        key(Library, "x", "clear every filter"),
        key(Reading, "Space b", "page down / up"),
        key(Reading, "/", "find in the article"),
        key(Reading, "n N", "next / previous match"),
        key(Reading, "t", "table of contents"),
        key(Reading, "1-9", "follow link [n]"),
        key(Reading, "click a link", "follow it"),
        key(Reading, "h Backspace", "go back"),
        // Not a key but the one thing on the page a reader must know to read code right: long
        // code lines wrap (no horizontal scrolling), each continuation marked.
        key(Reading, "↪ (in code)", "code line continues"),
    ]
};

/// Key hints at the foot of the preview.
pub const PREVIEW_HINTS: &[(&str, &str)] =
    &[("Enter", "read"), ("r", "related"), ("m", "bookmark")];

/// Short key hints for the status line in a mode, most useful first.
pub fn hints(mode: Mode, finding: bool) -> &'static [(&'static str, &'static str)] {
    match mode {
        Mode::Library => &[
            ("Enter", "read"),
            ("/", "search"),
            ("f", "filters"),
            ("r", "related"),
            ("m", "bookmark"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Mode::Facets => &[
            ("Space", "toggle"),
            ("x", "clear"),
            ("Tab", "list"),
            ("f", "hide"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Mode::Reader => &[
            ("Space", "page"),
            ("/", "find"),
            ("t", "contents"),
            ("r", "related"),
            ("1-9", "links"),
            ("h", "back"),
            ("?", "help"),
        ],
        Mode::Overlay => &[("↑↓", "move"), ("Enter", "open"), ("Esc", "close")],
        Mode::TextInput if finding => &[("Enter", "done"), ("n N", "next/prev"), ("Esc", "stop")],
        Mode::TextInput => &[("Enter", "read"), ("Tab", "browse"), ("Esc", "clear")],
    }
}

/// Draws the help overlay: two columns (Everywhere | Library and Reading) when they fit,
/// else one.
pub fn render(view: &View, frame: &mut Frame, area: Rect) {
    let column = KEYS_WIDTH + 1 + ACTION_WIDTH;
    let left = column_lines(view, &[Group::Everywhere]);
    let right = column_lines(view, &[Group::Library, Group::Reading]);
    let two = usize::from(area.width).saturating_sub(4) >= 2 * column + COLUMN_GAP;
    let (inner_width, rows) = if two {
        (2 * column + COLUMN_GAP, left.len().max(right.len()))
    } else {
        (column, left.len() + 1 + right.len())
    };
    let inner = overlay::open(
        view,
        frame,
        area,
        " Keys ",
        (inner_width, rows),
        " ? or Esc closes ",
    );
    let lines: Vec<Line> = if two {
        left.into_iter()
            .zip(right.into_iter().chain(std::iter::repeat(Line::default())))
            .map(|(mut l, r)| {
                let gap = (column + COLUMN_GAP).saturating_sub(l.width());
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
    frame.render_widget(Paragraph::new(lines), inner);
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
            "1-9",
            "h",
            "Backspace",
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

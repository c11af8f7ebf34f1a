//! Every key the reader knows, described once: the help overlay and the status line's key
//! hints both read the tables here, so a key's description lives in one place. The app owns
//! it (not the views) because scrolling the help needs to know how long it is.

use super::state::Mode;

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
    /// Whether the row names keys (every one of them has a binding in
    /// [`crate::app::keymap`]) or the mouse or a sign on the page.
    pub kind: RowKind,
}

/// What a help row describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// Keys, each bound in the keymap's table to this row.
    Keys,
    /// The mouse: handled by `update::click`, not the keymap.
    Mouse,
    /// A sign on the page, not an input.
    Note,
}

const fn key(group: Group, keys: &'static str, action: &'static str) -> KeyHelp {
    KeyHelp {
        group,
        keys,
        action,
        kind: RowKind::Keys,
    }
}

const fn mouse(group: Group, keys: &'static str, action: &'static str) -> KeyHelp {
    KeyHelp {
        group,
        keys,
        action,
        kind: RowKind::Mouse,
    }
}

/// Columns of the keys column and the description column in the help overlay.
pub const KEYS_WIDTH: usize = 13;
pub const ACTION_WIDTH: usize = 23;
pub const COLUMN_GAP: usize = 2;

/// The help rows, one constant each, so the keymap's bindings can name the row that
/// describes them (see [`crate::app::keymap`]).
pub mod row {
    use super::Group::*;
    use super::{KeyHelp, RowKind, key, mouse};

    pub const HELP: KeyHelp = key(Everywhere, "?", "show or hide this help");
    pub const QUIT: KeyHelp = key(Everywhere, "q", "back, or quit");
    pub const FORCE_QUIT: KeyHelp = key(Everywhere, "Ctrl-C", "quit at once");
    pub const ESC: KeyHelp = key(Everywhere, "Esc", "close, cancel, clear");
    pub const LINE: KeyHelp = key(Everywhere, "j k ↑ ↓", "move or scroll a line");
    // Emacs and readline keys: they work while typing a search too, where j and k are text.
    pub const LINE_CTRL: KeyHelp = key(Everywhere, "Ctrl-p Ctrl-n", "a line, also in search");
    pub const ENDS: KeyHelp = key(Everywhere, "g G Home End", "go to the top / bottom");
    pub const PAGE: KeyHelp = key(Everywhere, "PgUp PgDn", "page up / down");
    pub const PAGE_CTRL: KeyHelp = key(Everywhere, "Ctrl-b Ctrl-f", "page up / down");
    pub const HALF_PAGE: KeyHelp = key(Everywhere, "Ctrl-u Ctrl-d", "half a page up / down");
    pub const WHEEL: KeyHelp = mouse(Everywhere, "mouse wheel", "scroll");
    // One rule for every list, with no timing: a click selects, and a click on the entry
    // already highlighted acts like Enter on it (see `update::click`).
    pub const CLICK: KeyHelp = mouse(Everywhere, "click", "select, again to open");
    pub const OPEN: KeyHelp = key(Everywhere, "Enter → l", "open the selection");
    pub const RELATED: KeyHelp = key(Everywhere, "r", "related articles");
    pub const BOOKMARK: KeyHelp = key(Everywhere, "m", "bookmark or unbookmark");
    pub const LISTS: KeyHelp = key(Everywhere, "B H", "bookmarks / history");
    pub const FORWARD: KeyHelp = key(Everywhere, "L", "forward again");
    pub const BROWSER: KeyHelp = key(Everywhere, "o y", "open in browser / copy");
    pub const SEARCH: KeyHelp = key(Library, "/", "search the library");
    // `Bksp`: the full name would not fit beside Ctrl-h (some terminals send Ctrl-h for it).
    pub const DELETE_CHAR: KeyHelp = key(Library, "Bksp Ctrl-h", "delete a character");
    pub const DELETE: KeyHelp = key(Library, "Ctrl-w Ctrl-u", "delete word / query");
    pub const FILTERS: KeyHelp = key(Library, "f", "show or hide filters");
    pub const PANES: KeyHelp = key(Library, "Tab Shift-Tab", "switch list / filters");
    pub const TOGGLE: KeyHelp = key(Library, "Space Enter", "toggle a filter");
    pub const CLEAR: KeyHelp = key(Library, "x", "clear every filter");
    pub const SPACE_PAGE: KeyHelp = key(Reading, "Space b", "page down / up");
    pub const FIND: KeyHelp = key(Reading, "/", "find in the article");
    pub const MATCHES: KeyHelp = key(Reading, "n N", "next / previous match");
    pub const TOC: KeyHelp = key(Reading, "t", "table of contents");
    pub const LINK: KeyHelp = key(Reading, "0-9", "link [n]; [12]: 1 2");
    pub const COPY_LINK: KeyHelp = key(Reading, "Y 0-9", "copy link [n]'s URL");
    pub const CLICK_LINK: KeyHelp = mouse(Reading, "click a link", "follow it");
    pub const BACK: KeyHelp = key(Reading, "h ← Bksp", "go back");
    // Not a key but the one thing on the page a reader must know to read code right: long
    // code lines wrap (no horizontal scrolling), each continuation marked.
    pub const CODE: KeyHelp = KeyHelp {
        group: Reading,
        keys: "↪ (in code)",
        action: "code line continues",
        kind: RowKind::Note,
    };
}

/// Every help row, grouped, in the overlay's order; the single source of truth for key
/// descriptions.
pub const KEYS: &[KeyHelp] = {
    use row::*;
    &[
        HELP,
        QUIT,
        FORCE_QUIT,
        ESC,
        LINE,
        LINE_CTRL,
        ENDS,
        PAGE,
        PAGE_CTRL,
        HALF_PAGE,
        WHEEL,
        CLICK,
        OPEN,
        RELATED,
        BOOKMARK,
        LISTS,
        FORWARD,
        BROWSER,
        SEARCH,
        DELETE_CHAR,
        DELETE,
        FILTERS,
        PANES,
        TOGGLE,
        CLEAR,
        SPACE_PAGE,
        FIND,
        MATCHES,
        TOC,
        LINK,
        COPY_LINK,
        CLICK_LINK,
        BACK,
        CODE,
    ]
};

/// Key hints at the foot of the preview.
pub const PREVIEW_HINTS: &[(&str, &str)] =
    &[("Enter", "read"), ("r", "related"), ("m", "bookmark")];

/// Status-line hints over the table of contents (its footer says the same).
pub const TOC_HINTS: &[(&str, &str)] = &[("↑↓", "move"), ("Enter", "jump"), ("Esc", "close")];
/// Status-line hints over the help, closing first; scrolling only where it scrolls.
pub const HELP_HINTS: &[(&str, &str)] = &[("? Esc", "close"), ("↑↓", "scroll")];

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
            ("0-9", "links"),
            ("h", "back"),
            ("?", "help"),
        ],
        Mode::Overlay => &[("↑↓", "move"), ("Enter", "open"), ("Esc", "close")],
        Mode::TextInput if finding => &[("Enter", "done"), ("n N", "next/prev"), ("Esc", "stop")],
        Mode::TextInput => &[("Enter", "read"), ("Tab", "browse"), ("Esc", "clear")],
    }
}

/// Width of one column of the help overlay: keys, a space, the description.
pub const HELP_COLUMN: usize = KEYS_WIDTH + 1 + ACTION_WIDTH;

/// Lines of the help overlay's content: with two columns (Everywhere | Library and Reading)
/// or one.
pub fn help_lines(two_columns: bool) -> usize {
    let count = |groups: &[Group]| {
        groups.len() * 2 - 1 + KEYS.iter().filter(|k| groups.contains(&k.group)).count()
    };
    let left = count(&[Group::Everywhere]);
    let right = count(&[Group::Library, Group::Reading]);
    if two_columns {
        left.max(right)
    } else {
        left + 1 + right
    }
}

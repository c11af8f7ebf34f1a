//! Our own key type, and the one table from keys to actions ([`BINDINGS`]), which also names
//! each key's help row, so the help overlay and the keymap cannot drift apart.
//!
//! Local terminals (crossterm events) and SSH sessions (raw bytes) both decode into [`Key`]
//! (and mouse [`Input`]s), so the mapping below is the same everywhere and tests can type and
//! click without a terminal.

use super::action::Action;
use super::keyhelp::{KeyHelp, row};
use super::state::{App, Mode};

/// A key, independent of the terminal library that read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Backspace,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Delete,
    Insert,
    F(u8),
}

/// A key with its modifiers. For `Char`, shift is already applied to the character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

impl Key {
    /// A key without modifiers.
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
            shift: false,
        }
    }

    /// A printable character.
    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    /// Ctrl + a letter.
    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
            shift: false,
        }
    }
}

/// An input event from any terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(Key),
    /// Mouse wheel: lines to scroll, negative is up.
    Wheel(i32),
    /// The left mouse button went down on this cell, 0-based from the top left.
    Click {
        column: u16,
        row: u16,
    },
    /// The terminal now has this many columns and rows.
    Resize(u16, u16),
    /// Bracketed paste.
    Paste(String),
}

/// The action an input asks for in the app's current mode, if any.
pub fn action_for(app: &App, input: &Input) -> Option<Action> {
    match input {
        Input::Resize(w, h) => Some(Action::Resize(*w, *h)),
        Input::Wheel(n) => Some(Action::Scroll(*n)),
        // Clicks mean the same in every mode: what they hit is decided by `update`.
        &Input::Click { column, row } => Some(Action::Click { column, row }),
        Input::Paste(_) => None,
        Input::Key(key) => key_action(app.mode(), *key),
    }
}

/// Actions for a pasted text: typed into the focused input, ignored elsewhere.
pub fn paste_actions(app: &App, text: &str) -> Vec<Action> {
    if app.mode() != Mode::TextInput {
        return Vec::new();
    }
    text.chars()
        .filter(|c| !c.is_control())
        .take(256)
        .map(Action::Input)
        .collect()
}

/// Which modifiers a binding accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mods {
    /// Any: arrows, Enter, Esc and the like work with a modifier held too.
    Any,
    /// Neither Ctrl nor Alt: a letter with Ctrl or Alt is another key.
    Plain,
    /// Ctrl held.
    Ctrl,
}

impl Mods {
    fn accept(self, key: Key) -> bool {
        match self {
            Mods::Any => true,
            Mods::Plain => !key.ctrl && !key.alt,
            Mods::Ctrl => key.ctrl,
        }
    }
}

/// One binding: in these modes, these keys (with these modifiers) ask for this action. Each
/// names the help row that describes it, so no key can be bound without a line in the help
/// (and a test checks every key a help row names is bound to it).
#[derive(Debug)]
pub struct Binding {
    pub modes: &'static [Mode],
    pub codes: &'static [KeyCode],
    pub mods: Mods,
    pub action: Action,
    pub help: KeyHelp,
}

const fn bind(
    modes: &'static [Mode],
    codes: &'static [KeyCode],
    mods: Mods,
    action: Action,
    help: KeyHelp,
) -> Binding {
    Binding {
        modes,
        codes,
        mods,
        action,
        help,
    }
}

const ALL: &[Mode] = &[
    Mode::Library,
    Mode::Facets,
    Mode::Reader,
    Mode::Overlay,
    Mode::TextInput,
];
/// Every mode but typing, where letters are text.
const BROWSING: &[Mode] = &[Mode::Library, Mode::Facets, Mode::Reader, Mode::Overlay];
const LIBRARY: &[Mode] = &[Mode::Library, Mode::Facets];
const READER: &[Mode] = &[Mode::Reader];
const TYPING: &[Mode] = &[Mode::TextInput];
const OVERLAY: &[Mode] = &[Mode::Overlay];

/// Every key binding. No two overlap (a test checks it), so their order does not matter.
/// Typing a character into the search or find line is the one input not listed: in text
/// input every plain character is text.
pub static BINDINGS: &[Binding] = {
    use Action as A;
    use KeyCode::*;
    use Mods::*;
    use row::*;
    &[
        bind(ALL, &[Char('c')], Ctrl, A::ForceQuit, FORCE_QUIT),
        // Moving and scrolling, in every mode; vim keys only outside text input.
        bind(ALL, &[Up], Any, A::Up, LINE),
        bind(ALL, &[Down], Any, A::Down, LINE),
        bind(ALL, &[Char('p')], Ctrl, A::Up, LINE_CTRL),
        bind(ALL, &[Char('n')], Ctrl, A::Down, LINE_CTRL),
        bind(BROWSING, &[Char('k')], Plain, A::Up, LINE),
        bind(BROWSING, &[Char('j')], Plain, A::Down, LINE),
        bind(ALL, &[PageUp], Any, A::PageUp, PAGE),
        bind(ALL, &[PageDown], Any, A::PageDown, PAGE),
        bind(ALL, &[Char('b')], Ctrl, A::PageUp, PAGE_CTRL),
        bind(ALL, &[Char('f')], Ctrl, A::PageDown, PAGE_CTRL),
        bind(BROWSING, &[Home], Any, A::Top, ENDS),
        bind(BROWSING, &[End], Any, A::Bottom, ENDS),
        bind(BROWSING, &[Char('g')], Plain, A::Top, ENDS),
        bind(BROWSING, &[Char('G')], Plain, A::Bottom, ENDS),
        bind(ALL, &[Char('d')], Ctrl, A::HalfPageDown, HALF_PAGE),
        bind(BROWSING, &[Char('u')], Ctrl, A::HalfPageUp, HALF_PAGE),
        bind(READER, &[Char(' ')], Plain, A::PageDown, SPACE_PAGE),
        bind(READER, &[Char('b')], Plain, A::PageUp, SPACE_PAGE),
        // The search and find line.
        bind(TYPING, &[Esc], Any, A::Cancel, ESC),
        bind(TYPING, &[Enter], Any, A::Open, OPEN),
        bind(TYPING, &[Tab], Any, A::SubmitInput, PANES),
        bind(TYPING, &[Backspace], Any, A::Backspace, DELETE_CHAR),
        bind(TYPING, &[Char('h')], Ctrl, A::Backspace, DELETE_CHAR),
        bind(TYPING, &[Char('w')], Ctrl, A::DeleteWord, DELETE),
        bind(TYPING, &[Char('u')], Ctrl, A::ClearInput, DELETE),
        // Everywhere but text input.
        bind(BROWSING, &[Char('?')], Plain, A::ToggleHelp, HELP),
        // Overlays: lists of related articles, bookmarks, history, contents, help.
        bind(OVERLAY, &[Esc], Any, A::Cancel, ESC),
        bind(OVERLAY, &[Char('q')], Plain, A::Cancel, QUIT),
        bind(OVERLAY, &[Enter, Right], Any, A::Open, OPEN),
        bind(OVERLAY, &[Char('l')], Plain, A::Open, OPEN),
        bind(OVERLAY, &[Char('m')], Plain, A::ToggleBookmark, BOOKMARK),
        // The library: its list and the facet panel.
        bind(LIBRARY, &[Char('/')], Plain, A::StartSearch, SEARCH),
        bind(LIBRARY, &[Char('f')], Plain, A::ToggleFacets, FILTERS),
        bind(LIBRARY, &[Char('x')], Plain, A::ClearFilters, CLEAR),
        bind(LIBRARY, &[Tab, BackTab], Any, A::NextPane, PANES),
        bind(LIBRARY, &[Char('B')], Plain, A::ShowBookmarks, LISTS),
        bind(LIBRARY, &[Char('H')], Plain, A::ShowHistory, LISTS),
        bind(LIBRARY, &[Char('L')], Plain, A::Forward, FORWARD),
        bind(LIBRARY, &[Char('q')], Plain, A::Quit, QUIT),
        bind(LIBRARY, &[Esc], Any, A::Cancel, ESC),
        bind(&[Mode::Facets], &[Enter], Any, A::Open, TOGGLE),
        bind(&[Mode::Facets], &[Char(' ')], Plain, A::Open, TOGGLE),
        bind(&[Mode::Library], &[Enter, Right], Any, A::Open, OPEN),
        bind(&[Mode::Library], &[Char('l')], Plain, A::Open, OPEN),
        bind(LIBRARY, &[Char('m')], Plain, A::ToggleBookmark, BOOKMARK),
        bind(LIBRARY, &[Char('r')], Plain, A::ToggleRelated, RELATED),
        bind(LIBRARY, &[Char('y')], Plain, A::CopyUrl, BROWSER),
        bind(LIBRARY, &[Char('o')], Plain, A::OpenInBrowser, BROWSER),
        // The reader.
        bind(READER, &[Char('/')], Plain, A::StartSearch, FIND),
        bind(READER, &[Char('n')], Plain, A::FindNext, MATCHES),
        bind(READER, &[Char('N')], Plain, A::FindPrev, MATCHES),
        bind(READER, &[Char('t')], Plain, A::ToggleToc, TOC),
        bind(READER, &[Char('r')], Plain, A::ToggleRelated, RELATED),
        bind(READER, &[Char('m')], Plain, A::ToggleBookmark, BOOKMARK),
        bind(READER, &[Char('B')], Plain, A::ShowBookmarks, LISTS),
        bind(READER, &[Char('H')], Plain, A::ShowHistory, LISTS),
        bind(READER, &[Char('o')], Plain, A::OpenInBrowser, BROWSER),
        bind(READER, &[Char('y')], Plain, A::CopyUrl, BROWSER),
        bind(READER, &[Char('Y')], Plain, A::StartCopyLink, COPY_LINK),
        bind(READER, &[Backspace, Left], Any, A::Back, BACK),
        bind(READER, &[Char('h')], Plain, A::Back, BACK),
        bind(READER, &[Char('L')], Plain, A::Forward, FORWARD),
        bind(READER, &[Char('0')], Plain, A::LinkDigit(0), LINK),
        bind(READER, &[Char('1')], Plain, A::LinkDigit(1), LINK),
        bind(READER, &[Char('2')], Plain, A::LinkDigit(2), LINK),
        bind(READER, &[Char('3')], Plain, A::LinkDigit(3), LINK),
        bind(READER, &[Char('4')], Plain, A::LinkDigit(4), LINK),
        bind(READER, &[Char('5')], Plain, A::LinkDigit(5), LINK),
        bind(READER, &[Char('6')], Plain, A::LinkDigit(6), LINK),
        bind(READER, &[Char('7')], Plain, A::LinkDigit(7), LINK),
        bind(READER, &[Char('8')], Plain, A::LinkDigit(8), LINK),
        bind(READER, &[Char('9')], Plain, A::LinkDigit(9), LINK),
        bind(READER, &[Enter], Any, A::Open, OPEN),
        bind(READER, &[Char('q')], Plain, A::Quit, QUIT),
        bind(READER, &[Esc], Any, A::Cancel, ESC),
    ]
};

/// The binding for `key` in `mode`, if any.
pub fn binding(mode: Mode, key: Key) -> Option<&'static Binding> {
    BINDINGS
        .iter()
        .find(|b| b.modes.contains(&mode) && b.codes.contains(&key.code) && b.mods.accept(key))
}

fn key_action(mode: Mode, key: Key) -> Option<Action> {
    if let Some(b) = binding(mode, key) {
        return Some(b.action.clone());
    }
    match key.code {
        // Text input: every plain character is text.
        KeyCode::Char(c) if mode == Mode::TextInput && Mods::Plain.accept(key) => {
            Some(Action::Input(c))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_keys_go_to_the_input() {
        assert_eq!(
            key_action(Mode::TextInput, Key::char('j')),
            Some(Action::Input('j'))
        );
        assert_eq!(
            key_action(Mode::TextInput, Key::char('q')),
            Some(Action::Input('q'))
        );
        assert_eq!(
            key_action(Mode::TextInput, Key::plain(KeyCode::Down)),
            Some(Action::Down)
        );
        assert_eq!(
            key_action(Mode::TextInput, Key::ctrl('n')),
            Some(Action::Down)
        );
        assert_eq!(
            key_action(Mode::TextInput, Key::ctrl('p')),
            Some(Action::Up)
        );
        assert_eq!(
            key_action(Mode::TextInput, Key::ctrl('u')),
            Some(Action::ClearInput)
        );
        assert_eq!(
            key_action(Mode::TextInput, Key::plain(KeyCode::Esc)),
            Some(Action::Cancel)
        );
    }

    #[test]
    fn vim_keys_and_arrows_both_move() {
        for mode in [Mode::Library, Mode::Reader, Mode::Overlay, Mode::Facets] {
            assert_eq!(key_action(mode, Key::char('j')), Some(Action::Down));
            assert_eq!(
                key_action(mode, Key::plain(KeyCode::Down)),
                Some(Action::Down)
            );
            assert_eq!(key_action(mode, Key::char('G')), Some(Action::Bottom));
            assert_eq!(
                key_action(mode, Key::plain(KeyCode::End)),
                Some(Action::Bottom)
            );
        }
        assert_eq!(
            key_action(Mode::Reader, Key::char(' ')),
            Some(Action::PageDown)
        );
        assert_eq!(
            key_action(Mode::Reader, Key::char('b')),
            Some(Action::PageUp)
        );
    }

    #[test]
    fn ctrl_c_always_quits() {
        for mode in [
            Mode::Library,
            Mode::Reader,
            Mode::Overlay,
            Mode::Facets,
            Mode::TextInput,
        ] {
            assert_eq!(key_action(mode, Key::ctrl('c')), Some(Action::ForceQuit));
        }
    }

    #[test]
    fn reader_keys() {
        assert_eq!(
            key_action(Mode::Reader, Key::char('3')),
            Some(Action::LinkDigit(3))
        );
        assert_eq!(
            key_action(Mode::Reader, Key::plain(KeyCode::Backspace)),
            Some(Action::Back)
        );
        assert_eq!(key_action(Mode::Reader, Key::char('h')), Some(Action::Back));
        assert_eq!(
            key_action(Mode::Reader, Key::char('L')),
            Some(Action::Forward)
        );
        assert_eq!(
            key_action(Mode::Reader, Key::char('t')),
            Some(Action::ToggleToc)
        );
        assert_eq!(key_action(Mode::Reader, Key::char('q')), Some(Action::Quit));
    }

    /// The keys a help row's `keys` text names, as key codes with their modifiers.
    fn named_keys(text: &str) -> Vec<(KeyCode, Mods)> {
        let mut out = Vec::new();
        for token in text.split(' ') {
            let code = match token {
                "↑" => KeyCode::Up,
                "↓" => KeyCode::Down,
                "Home" => KeyCode::Home,
                "End" => KeyCode::End,
                "PgUp" => KeyCode::PageUp,
                "PgDn" => KeyCode::PageDown,
                "Enter" => KeyCode::Enter,
                "Esc" => KeyCode::Esc,
                "Tab" => KeyCode::Tab,
                "Bksp" => KeyCode::Backspace,
                "Shift-Tab" => KeyCode::BackTab,
                "←" => KeyCode::Left,
                "→" => KeyCode::Right,
                "Space" => KeyCode::Char(' '),
                // `Y 0-9`: the digits after a key are the link number, bound under `0-9`.
                "0-9" if !out.is_empty() => continue,
                "0-9" => {
                    out.extend(('0'..='9').map(|d| (KeyCode::Char(d), Mods::Plain)));
                    continue;
                }
                t if t.starts_with("Ctrl-") => {
                    let c = t["Ctrl-".len()..].to_lowercase().chars().next().unwrap();
                    out.push((KeyCode::Char(c), Mods::Ctrl));
                    continue;
                }
                t if t.chars().count() == 1 => KeyCode::Char(t.chars().next().unwrap()),
                t => panic!("help names a key the test cannot read: {t:?}"),
            };
            out.push((code, Mods::Any));
        }
        out
    }

    #[test]
    fn every_key_a_help_row_names_is_bound_to_that_row() {
        use crate::app::keyhelp::{KEYS, RowKind};
        for row in KEYS {
            let bound = BINDINGS.iter().filter(|b| b.help == *row);
            if row.kind != RowKind::Keys {
                assert_eq!(bound.count(), 0, "{row:?} is not a key");
                continue;
            }
            for (code, mods) in named_keys(row.keys) {
                let key = match mods {
                    Mods::Ctrl => Key {
                        ctrl: true,
                        ..Key::plain(code)
                    },
                    _ => Key::plain(code),
                };
                assert!(
                    ALL.iter()
                        .any(|&m| binding(m, key).is_some_and(|b| b.help == *row)),
                    "{:?} names {key:?}, which no binding gives that row",
                    row.keys
                );
            }
        }
    }

    #[test]
    fn every_bound_key_is_named_by_its_help_row() {
        for b in BINDINGS {
            let named = named_keys(b.help.keys);
            for code in b.codes {
                let ctrl = b.mods == Mods::Ctrl;
                assert!(
                    named
                        .iter()
                        .any(|&(c, m)| c == *code && (m == Mods::Ctrl) == ctrl),
                    "{code:?} (ctrl: {ctrl}) is bound to {:?}, whose help row {:?} does not name it",
                    b.action,
                    b.help.keys
                );
            }
        }
    }

    #[test]
    fn every_binding_has_its_line_in_the_help() {
        use crate::app::keyhelp::{KEYS, RowKind};
        for b in BINDINGS {
            assert!(KEYS.contains(&b.help), "{b:?} has no help row");
            assert_eq!(b.help.kind, RowKind::Keys, "{b:?}");
        }
    }

    #[test]
    fn no_two_bindings_overlap() {
        let mods_overlap = |a: Mods, b: Mods| {
            !matches!(
                (a, b),
                (Mods::Plain, Mods::Ctrl) | (Mods::Ctrl, Mods::Plain)
            )
        };
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                let shared = a.modes.iter().any(|m| b.modes.contains(m))
                    && a.codes.iter().any(|c| b.codes.contains(c))
                    && mods_overlap(a.mods, b.mods);
                assert!(!shared, "{a:?} and {b:?} overlap");
            }
        }
    }
}

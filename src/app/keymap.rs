//! Our own key type, and the one table from keys to actions.
//!
//! Local terminals (crossterm events) and SSH sessions (raw bytes) both decode into [`Key`]
//! (and mouse [`Input`]s), so the mapping below is the same everywhere and tests can type and
//! click without a terminal.

use super::action::Action;
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

fn key_action(mode: Mode, key: Key) -> Option<Action> {
    use KeyCode::*;
    if key.ctrl && key.code == Char('c') {
        return Some(Action::ForceQuit);
    }
    if let Some(a) = movement(mode, key) {
        return Some(a);
    }
    let action = match (mode, key.code) {
        (Mode::TextInput, Esc) => Action::Cancel,
        (Mode::TextInput, Enter) => Action::Open,
        (Mode::TextInput, Tab) => Action::SubmitInput,
        (Mode::TextInput, Backspace) => Action::Backspace,
        (Mode::TextInput, Char('w')) if key.ctrl => Action::DeleteWord,
        (Mode::TextInput, Char('u')) if key.ctrl => Action::ClearInput,
        (Mode::TextInput, Char('h')) if key.ctrl => Action::Backspace,
        (Mode::TextInput, Char(c)) if !key.ctrl && !key.alt => Action::Input(c),
        (Mode::TextInput, _) => return None,

        (_, Char(_)) if key.ctrl || key.alt => return None,
        (_, Char('?')) => Action::ToggleHelp,
        (Mode::Overlay, Esc | Char('q')) => Action::Cancel,
        (Mode::Overlay, Enter | Char('l') | Right) => Action::Open,
        (Mode::Overlay, Char('m')) => Action::ToggleBookmark,
        (Mode::Overlay, _) => return None,

        (Mode::Library | Mode::Facets, Char('/')) => Action::StartSearch,
        (Mode::Library | Mode::Facets, Char('f')) => Action::ToggleFacets,
        (Mode::Library | Mode::Facets, Char('x')) => Action::ClearFilters,
        (Mode::Library | Mode::Facets, Tab | BackTab) => Action::NextPane,
        (Mode::Library | Mode::Facets, Char('B')) => Action::ShowBookmarks,
        (Mode::Library | Mode::Facets, Char('H')) => Action::ShowHistory,
        (Mode::Library | Mode::Facets, Char('L')) => Action::Forward,
        (Mode::Library | Mode::Facets, Char('q')) => Action::Quit,
        (Mode::Library | Mode::Facets, Esc) => Action::Cancel,
        (Mode::Facets, Enter | Char(' ')) => Action::Open,
        (Mode::Library, Enter | Char('l') | Right) => Action::Open,
        (Mode::Library | Mode::Facets, Char('m')) => Action::ToggleBookmark,
        (Mode::Library | Mode::Facets, Char('r')) => Action::ToggleRelated,
        (Mode::Library | Mode::Facets, Char('y')) => Action::CopyUrl,
        (Mode::Library | Mode::Facets, Char('o')) => Action::OpenInBrowser,

        (Mode::Reader, Char('/')) => Action::StartSearch,
        (Mode::Reader, Char('n')) => Action::FindNext,
        (Mode::Reader, Char('N')) => Action::FindPrev,
        (Mode::Reader, Char('t')) => Action::ToggleToc,
        (Mode::Reader, Char('r')) => Action::ToggleRelated,
        (Mode::Reader, Char('m')) => Action::ToggleBookmark,
        (Mode::Reader, Char('B')) => Action::ShowBookmarks,
        (Mode::Reader, Char('H')) => Action::ShowHistory,
        (Mode::Reader, Char('o')) => Action::OpenInBrowser,
        (Mode::Reader, Char('y')) => Action::CopyUrl,
        (Mode::Reader, Char('Y')) => Action::StartCopyLink,
        (Mode::Reader, Backspace | Char('h') | Left) => Action::Back,
        (Mode::Reader, Char('L')) => Action::Forward,
        (Mode::Reader, Char(d @ '0'..='9')) => Action::LinkDigit(d as u8 - b'0'),
        (Mode::Reader, Enter) => Action::Open,
        (Mode::Reader, Char('q')) => Action::Quit,
        (Mode::Reader, Esc) => Action::Cancel,
        _ => return None,
    };
    Some(action)
}

/// Keys that move a selection or scroll, shared by every mode (vim keys only outside inputs).
fn movement(mode: Mode, key: Key) -> Option<Action> {
    use KeyCode::*;
    let typing = mode == Mode::TextInput;
    let reading = mode == Mode::Reader;
    Some(match key.code {
        Up => Action::Up,
        Down => Action::Down,
        PageUp => Action::PageUp,
        PageDown => Action::PageDown,
        Home if !typing => Action::Top,
        End if !typing => Action::Bottom,
        Char('p') if key.ctrl => Action::Up,
        Char('n') if key.ctrl => Action::Down,
        Char('d') if key.ctrl => Action::HalfPageDown,
        Char('u') if key.ctrl && !typing => Action::HalfPageUp,
        Char('f') if key.ctrl => Action::PageDown,
        Char('b') if key.ctrl => Action::PageUp,
        _ if typing || key.ctrl || key.alt => return None,
        Char('k') => Action::Up,
        Char('j') => Action::Down,
        Char('g') => Action::Top,
        Char('G') => Action::Bottom,
        Char(' ') if reading => Action::PageDown,
        Char('b') if reading => Action::PageUp,
        _ => return None,
    })
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
}

//! The reader on the local terminal, through crossterm.
//!
//! The terminal is always restored: a guard undoes raw mode, the alternate screen, mouse
//! capture and the hidden cursor on normal exit and on error; a panic hook does the same
//! before the panic message prints; SIGTERM, SIGHUP and SIGINT end the loop cleanly.

use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, Sender};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event as CtEvent, KeyCode as CtKey, KeyEvent, KeyEventKind, KeyModifiers, MouseButton,
    MouseEventKind,
};
use ratatui::crossterm::{cursor, execute, terminal};

use super::session::Session;
use crate::app::keymap::{Input, Key, KeyCode};
use crate::app::{Action, App};
use crate::store::Store;
use crate::ui;

/// What wakes the loop.
enum Event {
    Input(Input),
    Action(Action),
    Terminate,
    InputError(io::Error),
}

/// Runs the reader until the user quits or a signal arrives.
pub fn run(app: App, store: Store) -> io::Result<()> {
    let (tx, rx) = mpsc::channel();
    spawn_signal_thread(tx.clone())?;
    let reply = tx.clone();
    let mut session = Session::new(app, store, move |a| reply.send(Event::Action(a)).is_ok());
    let guard = TerminalGuard::enter()?;
    install_panic_hook();
    spawn_input_thread(tx);
    let result = event_loop(&mut session, &rx);
    drop(guard);
    result
}

fn event_loop(session: &mut Session, rx: &Receiver<Event>) -> io::Result<()> {
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let size = terminal.size()?;
    session.apply(Action::Resize(size.width, size.height));
    loop {
        session.settle();
        if session.app.dirty {
            terminal.draw(|f| ui::render(&session.app, f))?;
            session.app.dirty = false;
        }
        // Block for one event, then take every event already queued before drawing again,
        // so a burst of keys costs one frame.
        let mut next = Some(
            rx.recv()
                .map_err(|_| io::Error::other("input thread stopped"))?,
        );
        while let Some(event) = next {
            let out = match event {
                Event::Input(input) => session.input(&input),
                Event::Action(action) => session.apply(action),
                Event::Terminate => session.apply(Action::ForceQuit),
                Event::InputError(e) => return Err(e),
            };
            if !out.is_empty() {
                let mut stdout = io::stdout();
                for seq in out {
                    stdout.write_all(seq.as_bytes())?;
                }
                stdout.flush()?;
            }
            if session.app.quit {
                return Ok(());
            }
            next = rx.try_recv().ok();
        }
    }
}

/// Puts the terminal into reader mode and restores it when dropped.
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        terminal::enable_raw_mode()?;
        let guard = TerminalGuard;
        execute!(
            io::stdout(),
            terminal::EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste,
            cursor::Hide
        )?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Undoes everything `TerminalGuard::enter` did; safe to call more than once.
fn restore_terminal() {
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
    let _ = terminal::disable_raw_mode();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
}

fn spawn_signal_thread(tx: Sender<Event>) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::Builder::new()
        .name("careerhub-signals".into())
        .spawn(move || {
            if signals.forever().next().is_some() {
                let _ = tx.send(Event::Terminate);
            }
        })?;
    Ok(())
}

fn spawn_input_thread(tx: Sender<Event>) {
    std::thread::Builder::new()
        .name("careerhub-input".into())
        .spawn(move || {
            loop {
                let event = match event::read() {
                    Ok(e) => e,
                    Err(e) => {
                        let _ = tx.send(Event::InputError(e));
                        return;
                    }
                };
                if let Some(input) = convert(event)
                    && tx.send(Event::Input(input)).is_err()
                {
                    return;
                }
            }
        })
        .expect("spawn input thread");
}

/// crossterm's event to ours.
fn convert(event: CtEvent) -> Option<Input> {
    match event {
        CtEvent::Key(key) if key.kind != KeyEventKind::Release => convert_key(key).map(Input::Key),
        CtEvent::Mouse(m) => match m.kind {
            MouseEventKind::ScrollUp => Some(Input::Wheel(-3)),
            MouseEventKind::ScrollDown => Some(Input::Wheel(3)),
            // The press alone is the click: releases, drags and other buttons do nothing.
            MouseEventKind::Down(MouseButton::Left) => Some(Input::Click {
                column: m.column,
                row: m.row,
            }),
            _ => None,
        },
        CtEvent::Resize(w, h) => Some(Input::Resize(w, h)),
        CtEvent::Paste(text) => Some(Input::Paste(text)),
        _ => None,
    }
}

fn convert_key(key: KeyEvent) -> Option<Key> {
    let code = match key.code {
        CtKey::Char(c) => KeyCode::Char(c),
        CtKey::Enter => KeyCode::Enter,
        CtKey::Esc => KeyCode::Esc,
        CtKey::Backspace => KeyCode::Backspace,
        CtKey::Tab => KeyCode::Tab,
        CtKey::BackTab => KeyCode::BackTab,
        CtKey::Up => KeyCode::Up,
        CtKey::Down => KeyCode::Down,
        CtKey::Left => KeyCode::Left,
        CtKey::Right => KeyCode::Right,
        CtKey::Home => KeyCode::Home,
        CtKey::End => KeyCode::End,
        CtKey::PageUp => KeyCode::PageUp,
        CtKey::PageDown => KeyCode::PageDown,
        CtKey::Delete => KeyCode::Delete,
        CtKey::Insert => KeyCode::Insert,
        CtKey::F(n) => KeyCode::F(n),
        _ => return None,
    };
    Some(Key {
        code,
        ctrl: key.modifiers.contains(KeyModifiers::CONTROL),
        alt: key.modifiers.contains(KeyModifiers::ALT),
        shift: key.modifiers.contains(KeyModifiers::SHIFT),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::MouseEvent;

    fn mouse(kind: MouseEventKind) -> CtEvent {
        CtEvent::Mouse(MouseEvent {
            kind,
            column: 7,
            row: 3,
            modifiers: KeyModifiers::NONE,
        })
    }

    #[test]
    fn a_left_press_is_a_click_and_the_wheel_scrolls() {
        assert_eq!(
            convert(mouse(MouseEventKind::Down(MouseButton::Left))),
            Some(Input::Click { column: 7, row: 3 })
        );
        assert_eq!(
            convert(mouse(MouseEventKind::ScrollDown)),
            Some(Input::Wheel(3))
        );
        for kind in [
            MouseEventKind::Up(MouseButton::Left),
            MouseEventKind::Drag(MouseButton::Left),
            MouseEventKind::Down(MouseButton::Right),
            MouseEventKind::Down(MouseButton::Middle),
            MouseEventKind::Moved,
        ] {
            assert_eq!(convert(mouse(kind)), None, "{kind:?}");
        }
    }
}

//! A line on the terminal while a slow load runs, before the reader takes the screen.
//!
//! The first start on a big folder parses every file (seconds at 100,000 articles); without
//! a word the terminal would just sit there. The line appears only if loading is still
//! running after a short delay, so ordinary starts show nothing, and it is erased when
//! loading ends, so it does not stay in the shell's scrollback once the reader quits.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long loading may run before the notice shows.
pub const DELAY: Duration = Duration::from_millis(400);

/// The notice for loading `dir` on a terminal `columns` wide: one line, terminal-safe, cut to
/// fit (a wrapped line could not be erased with the one line it ends on).
pub fn loading_message(dir: &std::path::Path, columns: u16) -> String {
    notice(dir, columns, |shown| {
        format!("careerhub: reading the articles in {shown}…")
    })
}

/// The notice while the index of `dir` is saved for the next start, after the reader closed
/// during a first start (see [`crate::content::load::Deferred`]).
pub fn saving_message(dir: &std::path::Path, columns: u16) -> String {
    notice(dir, columns, |shown| {
        format!("careerhub: saving the index of {shown} for a fast next start…")
    })
}

/// A one-line notice naming `dir`, terminal-safe and cut to `columns`.
fn notice(dir: &std::path::Path, columns: u16, say: impl Fn(&str) -> String) -> String {
    let shown = crate::content::render::sanitize::line(&dir.display().to_string()).into_owned();
    let room = usize::from(columns).saturating_sub(1).max(1);
    crate::ui::text::fit(&say(&shown), room).into_owned()
}

#[derive(PartialEq)]
enum State {
    Waiting,
    Shown,
    Finished,
}

struct Shared<W> {
    state: State,
    out: W,
}

/// A notice that shows a message if it is not finished within a delay. Dropping it
/// finishes it.
pub struct SlowNotice<W: Write + Send + 'static> {
    shared: Arc<(Mutex<Shared<W>>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl<W: Write + Send + 'static> SlowNotice<W> {
    /// Starts the clock: `message` (one line, already terminal-safe) is written to `out` if
    /// the notice is not finished after `delay`.
    pub fn start(message: String, delay: Duration, out: W) -> SlowNotice<W> {
        let shared = Arc::new((
            Mutex::new(Shared {
                state: State::Waiting,
                out,
            }),
            Condvar::new(),
        ));
        let waiting = shared.clone();
        let thread = std::thread::Builder::new()
            .name("careerhub-notice".into())
            .spawn(move || {
                let (lock, wake) = &*waiting;
                let Ok(guard) = lock.lock() else { return };
                // `finish` wakes this early; the state check covers spurious wake-ups.
                let Ok((mut shared, _)) =
                    wake.wait_timeout_while(guard, delay, |s| s.state == State::Waiting)
                else {
                    return;
                };
                if shared.state == State::Waiting {
                    let _ = write!(shared.out, "{message}");
                    let _ = shared.out.flush();
                    shared.state = State::Shown;
                }
            })
            .ok();
        SlowNotice { shared, thread }
    }

    /// Ends the notice at once (not waiting out the delay) and erases the line if it was
    /// shown.
    pub fn finish(mut self) {
        self.end();
    }

    fn end(&mut self) {
        let (lock, wake) = &*self.shared;
        if let Ok(mut shared) = lock.lock() {
            if shared.state == State::Shown {
                // Back to the start of the line, and clear it.
                let _ = write!(shared.out, "\r\x1b[2K");
                let _ = shared.out.flush();
            }
            shared.state = State::Finished;
        }
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl<W: Write + Send + 'static> Drop for SlowNotice<W> {
    fn drop(&mut self) {
        self.end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// A writer whose bytes the test can read afterwards.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    #[test]
    fn the_message_is_one_safe_line_that_fits() {
        let dir = std::path::Path::new("/srv/export/\u{1b}]52;c;x\u{7}/very/long/path/to/articles");
        for (columns, say) in [0, 1, 20, 40, 200]
            .into_iter()
            .flat_map(|c| [(c, loading_message as fn(_, _) -> _), (c, saving_message)])
        {
            let message = say(dir, columns);
            assert!(
                !message.contains('\u{1b}') && !message.contains('\u{7}'),
                "{message:?}"
            );
            let room = usize::from(columns).saturating_sub(1).max(1);
            assert!(
                crate::ui::text::width(&message) <= room,
                "{columns}: {message:?}"
            );
        }
        assert_eq!(
            loading_message(std::path::Path::new("/a"), 80),
            "careerhub: reading the articles in /a…"
        );
        assert_eq!(
            saving_message(std::path::Path::new("/a"), 80),
            "careerhub: saving the index of /a for a fast next start…"
        );
    }

    #[test]
    fn a_quick_load_shows_nothing_and_does_not_wait_out_the_delay() {
        let out = Shared::default();
        let started = Instant::now();
        let notice = SlowNotice::start("loading…".into(), Duration::from_secs(30), out.clone());
        notice.finish();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(out.text(), "");
    }

    #[test]
    fn a_slow_load_shows_the_line_then_erases_it() {
        let out = Shared::default();
        let notice = SlowNotice::start("careerhub: loading…".into(), Duration::ZERO, out.clone());
        let shown = Instant::now();
        while out.text().is_empty() {
            assert!(shown.elapsed() < Duration::from_secs(10), "never shown");
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(out.text(), "careerhub: loading…");
        drop(notice);
        assert_eq!(out.text(), "careerhub: loading…\r\x1b[2K");
    }
}

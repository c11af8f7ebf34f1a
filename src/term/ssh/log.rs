//! Logging for the server that can never block, panic or hold up shutdown.
//!
//! tracing-subscriber's `fmt` layer writes each event with one `write_all` on the writer we
//! give it, on whatever thread logged. Writing straight to stderr there is unsafe for a server:
//! a pipe whose reader stopped reading blocks the runtime's threads, and a pipe whose reader
//! died makes the write fail, which `fmt` reports with `eprintln!` — a panic. So the writer
//! here only queues the line for a logging thread (dropping it, and counting, when the queue
//! is full); the thread writes and ignores every error. Shutdown waits for the queue at most
//! [`FLUSH_TIMEOUT`].

use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Lines queued for the logging thread; beyond this, lines are dropped and counted.
pub const QUEUE_LINES: usize = 4096;
/// Longest wait for queued lines to be written when the server stops.
pub const FLUSH_TIMEOUT: Duration = Duration::from_millis(150);

enum Msg {
    Line(Vec<u8>),
    /// Written everything before this: answer on the channel.
    Flush(SyncSender<()>),
}

/// The writer handed to tracing-subscriber; cloning it is cheap.
#[derive(Clone)]
pub struct LogSink {
    tx: SyncSender<Msg>,
    dropped: Arc<AtomicU64>,
}

impl LogSink {
    /// Starts the logging thread writing to `out`. If the thread cannot start, lines are
    /// dropped (and counted) rather than written from the caller's thread.
    pub fn start<W: Write + Send + 'static>(out: W) -> LogSink {
        let (tx, rx) = sync_channel(QUEUE_LINES);
        let dropped = Arc::new(AtomicU64::new(0));
        let counter = dropped.clone();
        let _ = std::thread::Builder::new()
            .name("careerhub-log".into())
            .spawn(move || write_lines(rx, out, counter));
        LogSink { tx, dropped }
    }

    /// Lines dropped so far because the queue was full (the output is not being read).
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Waits until every line queued so far is written, or `timeout` passes.
    pub fn flush_for(&self, timeout: Duration) -> bool {
        let (ack_tx, ack_rx) = sync_channel(1);
        match self.tx.try_send(Msg::Flush(ack_tx)) {
            Ok(()) => ack_rx.recv_timeout(timeout).is_ok(),
            Err(_) => false,
        }
    }
}

impl Write for LogSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.tx.try_send(Msg::Line(buf.to_vec())) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
        // Always "written": an error here would make tracing-subscriber print to stderr.
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogSink {
    type Writer = LogSink;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// The logging thread: writes each line, says how many were dropped once the queue drains.
fn write_lines<W: Write>(rx: Receiver<Msg>, mut out: W, dropped: Arc<AtomicU64>) {
    let mut reported = 0;
    while let Ok(msg) = rx.recv() {
        match msg {
            Msg::Line(line) => {
                let _ = out.write_all(&line);
            }
            Msg::Flush(ack) => {
                let _ = out.flush();
                let _ = ack.try_send(());
            }
        }
        // Said once the thread catches up with a burst of drops, not once per drop.
        let now = dropped.load(Ordering::Relaxed);
        if now > reported {
            let _ = writeln!(
                out,
                "careerhub: {} log lines dropped: the log output was not being read",
                now - reported
            );
            reported = now;
        }
    }
}

/// A `Write` over a shared buffer, for tests that read what was logged.
#[derive(Clone, Default)]
pub struct Captured(pub Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Everything written so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that fails every write, like a pipe whose reader died.
    struct Broken;

    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
    }

    /// A writer that never returns, like a pipe whose reader stopped reading.
    struct Stuck;

    impl Write for Stuck {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            std::thread::park();
            Ok(0)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_reach_the_output_in_order() {
        let out = Captured::default();
        let mut sink = LogSink::start(out.clone());
        sink.write_all(b"one\n").unwrap();
        sink.write_all(b"two\n").unwrap();
        assert!(sink.flush_for(Duration::from_secs(5)));
        assert_eq!(out.text(), "one\ntwo\n");
    }

    #[test]
    fn a_failing_output_is_ignored() {
        let mut sink = LogSink::start(Broken);
        for _ in 0..100 {
            sink.write_all(b"line\n").unwrap();
        }
        assert!(sink.flush_for(Duration::from_secs(5)));
    }

    #[test]
    fn a_stuck_output_never_blocks_the_caller_and_drops_are_counted() {
        let mut sink = LogSink::start(Stuck);
        let started = std::time::Instant::now();
        for _ in 0..QUEUE_LINES + 100 {
            sink.write_all(b"line\n").unwrap();
        }
        assert!(started.elapsed() < Duration::from_secs(2));
        assert!(sink.dropped() >= 99, "dropped {}", sink.dropped());
        let waited = std::time::Instant::now();
        assert!(!sink.flush_for(Duration::from_millis(50)));
        assert!(waited.elapsed() < Duration::from_secs(1));
    }
}

//! One reader running on an SSH channel: input bytes in, frames out.
//!
//! The loop mirrors the local runner: wait for one event, take every event already queued,
//! then draw once if the app is dirty, so a burst of keys costs one frame. Frames are sent
//! with backpressure (the send waits for the client's window), and while a send waits, the
//! timers and shutdown still end the session.

use std::time::Duration;

use russh::ChannelWriteHalf;
use russh::server::Msg;
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, sleep_until};

use super::backend::{self, ByteBackend};
use super::keys::Decoder;
use crate::app::keymap::Input;
use crate::app::{Action, App};
use crate::content::render::sanitize;
use crate::store::Store;
use crate::term::Session;
use crate::ui;

/// Bytes from the client; `gap` says bytes were dropped before these (queue full or rate
/// cap), so a half-received sequence must be forgotten.
#[derive(Debug)]
pub struct Chunk {
    pub bytes: Vec<u8>,
    pub gap: bool,
}

/// What the session task receives from the connection.
pub struct Wiring {
    pub writer: ChannelWriteHalf<Msg>,
    pub input: mpsc::Receiver<Chunk>,
    /// Latest clamped pty size.
    pub size: watch::Receiver<(u16, u16)>,
    pub stops: Stops,
}

/// Signals that end a session from outside.
pub struct Stops {
    /// Becomes true when the client closes the channel or sends EOF.
    pub closed: watch::Receiver<bool>,
    /// Becomes true when the server shuts down.
    pub shutdown: watch::Receiver<bool>,
}

/// Session limits.
#[derive(Debug, Clone, Copy)]
pub struct Timers {
    pub idle: Option<Duration>,
    pub max_session: Option<Duration>,
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Quit,
    Idle,
    MaxSession,
    Shutdown,
    ClientClosed,
    /// The connection ended under the reader (the input side went away).
    Disconnected,
    WriteFailed,
}

impl End {
    /// Words for the log line.
    pub fn describe(self) -> &'static str {
        match self {
            End::Quit => "user quit",
            End::Idle => "idle timeout",
            End::MaxSession => "max session length",
            End::Shutdown => "server shutdown",
            End::ClientClosed => "client closed the channel",
            End::Disconnected => "client disconnected",
            End::WriteFailed => "connection lost while writing",
        }
    }

    /// What the user reads after the reader closes, if anything.
    fn farewell(self) -> Option<&'static str> {
        match self {
            End::Idle => Some("careerhub: closed after a while without keystrokes"),
            End::MaxSession => Some("careerhub: the session reached its time limit"),
            End::Shutdown => Some("careerhub: server is going away, see you soon"),
            _ => None,
        }
    }
}

/// Inputs handled between two yields to the runtime.
const INPUT_SLICE: usize = 64;

/// Shortest time between two resizes of a session's screen.
const RESIZE_GAP: Duration = Duration::from_millis(40);

/// Longest wait for the goodbye bytes to reach a client that stopped reading.
const GOODBYE_TIMEOUT: Duration = Duration::from_secs(2);

/// Runs the reader until it ends, then restores the client's terminal and closes the channel.
pub async fn run(app: App, store: Store, io: Wiring, timers: Timers) -> End {
    let Wiring {
        writer,
        mut input,
        mut size,
        mut stops,
    } = io;
    let (reply_tx, mut results) = mpsc::unbounded_channel();
    let mut session = Session::new(app, store, move |a| reply_tx.send(a).is_ok());
    let (w, h) = *size.borrow_and_update();
    let mut terminal = backend::terminal(w, h);
    session.apply(Action::Resize(w, h));
    let started = Instant::now();
    let max_deadline = timers.max_session.map(|d| started + d);
    let mut idle_deadline = timers.idle.map(|d| started + d);
    let mut decoder = Decoder::new();
    let mut decode_deadline: Option<Instant> = None;
    let mut resize_due: Option<Instant> = None;
    let mut last_resize: Option<Instant> = None;
    let mut out = backend::ENTER.as_bytes().to_vec();
    let end = loop {
        if session.app.quit {
            break End::Quit;
        }
        if session.app.dirty {
            draw(&mut terminal, &session.app, &mut out);
            session.app.dirty = false;
        }
        if !out.is_empty() {
            let frame = std::mem::take(&mut out);
            if let Some(end) = send(&writer, frame, &mut stops, idle_deadline, max_deadline).await {
                break end;
            }
        }
        let mut inputs = Vec::new();
        tokio::select! {
            chunk = input.recv() => {
                let Some(chunk) = chunk else { break End::Disconnected };
                feed(&mut decoder, chunk, &mut inputs);
                // Take what is already queued too: one frame for the whole burst.
                while let Ok(chunk) = input.try_recv() {
                    feed(&mut decoder, chunk, &mut inputs);
                }
                idle_deadline = timers.idle.map(|d| Instant::now() + d);
                decode_deadline = decoder.pending_timeout().map(|t| Instant::now() + t);
            }
            _ = sleep_until_opt(decode_deadline) => {
                decoder.flush(&mut inputs);
                decode_deadline = None;
            }
            // A resize re-wraps the open article: at most one per RESIZE_GAP, with the
            // newest size, however fast a client sends them.
            Ok(()) = size.changed(), if resize_due.is_none() => {
                resize_due = Some(last_resize.map_or(Instant::now(), |at| at + RESIZE_GAP));
            }
            _ = sleep_until_opt(resize_due) => {
                resize_due = None;
                last_resize = Some(Instant::now());
                let (w, h) = *size.borrow_and_update();
                backend::resize(&mut terminal, w, h);
                off_runtime(|| session.apply(Action::Resize(w, h)));
            }
            // A worker answer may be a whole article to lay out: off the runtime's threads.
            Some(action) = results.recv() => {
                out.extend(off_runtime(|| session.apply(action)).concat().into_bytes());
            }
            end = stop(&mut stops, idle_deadline, max_deadline) => break end,
        }
        // A burst is handled in slices with a yield between them, so one client pouring keys
        // in (up to its input rate) holds a runtime thread for one slice at a time.
        for (i, input) in inputs.iter().enumerate() {
            if i > 0 && i % INPUT_SLICE == 0 {
                tokio::task::yield_now().await;
            }
            out.extend(session.input(input).concat().into_bytes());
        }
        // Rescanning an article for find is proportional to its size: off the runtime's
        // threads, and only when a find edit is pending.
        if session.app.reader.as_ref().is_some_and(|r| r.find.stale) {
            off_runtime(|| session.settle());
        }
    };
    if !matches!(
        end,
        End::ClientClosed | End::Disconnected | End::WriteFailed
    ) {
        goodbye(&writer, end).await;
    }
    end
}

/// Runs work proportional to an article's size without holding a runtime thread: on the
/// multi-threaded runtime the thread becomes a blocking one for the call and another worker
/// carries on with the other sessions. (A current-thread runtime, as in tests, runs it inline.)
fn off_runtime<T>(work: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(work),
        _ => work(),
    }
}

/// Everything that ends a session other than the user.
async fn stop(stops: &mut Stops, idle: Option<Instant>, max: Option<Instant>) -> End {
    tokio::select! {
        _ = sleep_until_opt(idle) => End::Idle,
        _ = sleep_until_opt(max) => End::MaxSession,
        _ = wait_true(&mut stops.shutdown) => End::Shutdown,
        _ = wait_true(&mut stops.closed) => End::ClientClosed,
    }
}

/// Waits until the flag is true; a dropped sender means it never will be.
pub async fn wait_true(flag: &mut watch::Receiver<bool>) {
    if flag.wait_for(|v| *v).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Sends a frame, waiting for the client's window, unless the session must end meanwhile.
async fn send(
    writer: &ChannelWriteHalf<Msg>,
    frame: Vec<u8>,
    stops: &mut Stops,
    idle: Option<Instant>,
    max: Option<Instant>,
) -> Option<End> {
    tokio::select! {
        r = writer.data_bytes(frame) => r.err().map(|_| End::WriteFailed),
        end = stop(stops, idle, max) => Some(end),
    }
}

fn draw(terminal: &mut ratatui::Terminal<ByteBackend>, app: &App, out: &mut Vec<u8>) {
    if let Err(never) = terminal.draw(|f| ui::render(app, f)) {
        match never {}
    }
    out.extend(terminal.backend_mut().take());
}

fn feed(decoder: &mut Decoder, chunk: Chunk, inputs: &mut Vec<Input>) {
    if chunk.gap {
        decoder.reset();
    }
    decoder.feed(&chunk.bytes, inputs);
}

async fn sleep_until_opt(deadline: Option<Instant>) {
    match deadline {
        Some(at) => sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Leaves the alternate screen, shows the cursor, says why if the server ended it, then
/// exit-status 0, EOF and close.
async fn goodbye(writer: &ChannelWriteHalf<Msg>, end: End) {
    let mut bytes = backend::LEAVE.to_string();
    if let Some(text) = end.farewell() {
        bytes.push_str(&sanitize::line(text));
        bytes.push_str("\r\n");
    }
    let _ = tokio::time::timeout(GOODBYE_TIMEOUT, async {
        writer.data_bytes(bytes.into_bytes()).await?;
        writer.exit_status(0).await?;
        writer.eof().await?;
        writer.close().await
    })
    .await;
}

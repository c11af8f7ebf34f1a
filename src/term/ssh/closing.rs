//! How a connection ends, and the one closing log line each connection gets.
//!
//! Every connection task holds a [`Closing`] from its first moment. Whatever path the task
//! takes — a port scan's bare TCP close, a refused `exec`, a rejected key, a reader who quits,
//! a panic, or the task being cancelled at shutdown — the guard's `Drop` writes exactly one
//! `connection closed` line. The reason is a [`CloseReason`], so the log speaks a fixed
//! vocabulary that operators can count with `grep`.

use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use super::shell::End;
use crate::content::render::sanitize;

/// A channel request or channel type the server refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// `exec`: careerhub runs no commands.
    Exec,
    /// `subsystem`, e.g. sftp.
    Subsystem,
    /// A shell request without a pty first.
    ShellWithoutPty,
}

impl Refusal {
    fn describe(self) -> &'static str {
        match self {
            Refusal::Exec => "exec refused",
            Refusal::Subsystem => "subsystem refused",
            Refusal::ShellWithoutPty => "shell without a terminal",
        }
    }
}

/// Why a connection ended, in words fixed enough to count in a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// The client closed before the SSH handshake finished (port scans, health checks).
    HandshakeIncomplete,
    /// The client sent something that is not SSH, or the handshake failed.
    HandshakeFailed,
    /// The client offered keys or methods and none was accepted.
    AuthFailed,
    /// The client went away after authenticating but before the reader started.
    ClientGoneBeforeReader,
    /// The client went away while the reader ran (a killed `ssh`, a dropped network).
    ClientGone,
    /// The client stopped answering keepalives.
    KeepaliveTimeout,
    /// The connection asked only for something the server refuses.
    Refused(Refusal),
    /// The handshake and login did not finish within the login grace.
    LoginTimeout,
    /// The server is shutting down.
    Shutdown,
    /// The reader ran and ended this way.
    Session(End),
    /// The connection task panicked; the panic itself is logged separately.
    InternalError,
    /// A `--proxy-from` peer sent no usable PROXY header.
    ProxyHeader,
    /// The client named by a PROXY header was refused by a cap or a penalty.
    CapReached(Refused),
}

impl CloseReason {
    /// The words of the `reason` field.
    pub fn describe(self) -> &'static str {
        match self {
            CloseReason::HandshakeIncomplete => "client left during the handshake",
            CloseReason::HandshakeFailed => "handshake failed",
            CloseReason::AuthFailed => "auth failed",
            CloseReason::ClientGoneBeforeReader => "client disconnected before the reader started",
            CloseReason::ClientGone => "client disconnected",
            CloseReason::KeepaliveTimeout => "keepalive timeout",
            CloseReason::Refused(r) => r.describe(),
            CloseReason::LoginTimeout => "login grace expired",
            CloseReason::Shutdown => "server shutdown",
            CloseReason::Session(end) => end.describe(),
            CloseReason::InternalError => "internal error",
            CloseReason::ProxyHeader => "bad PROXY header",
            CloseReason::CapReached(why) => why.describe(),
        }
    }
}

impl fmt::Display for CloseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// What the handler learns about a connection while it runs, for its closing line.
#[derive(Debug, Default)]
pub struct ConnInfo {
    pub user: Option<String>,
    /// SHA-256 fingerprint of the key the client authenticated with.
    pub key: Option<String>,
    /// SHA-256 fingerprint of the last key the server refused, if auth never succeeded.
    pub rejected_key: Option<String>,
    pub authenticated: bool,
    /// The client got as far as asking to authenticate (key exchange finished).
    pub handshake_done: bool,
    pub term: Option<String>,
    pub size: Option<(u16, u16)>,
    pub client: Option<String>,
    /// A refusal that, if nothing else happens, is how the connection ends.
    pub refused: Option<Refusal>,
}

/// Shared between the russh handler and the connection task.
pub type Info = Arc<Mutex<ConnInfo>>;

/// Locks the info; a panicked holder leaves it usable (each update is one statement).
pub fn info(info: &Info) -> MutexGuard<'_, ConnInfo> {
    info.lock().unwrap_or_else(|e| e.into_inner())
}

/// Text from the client, made safe and short for the log.
pub fn loggable(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    sanitize::clip(&sanitize::line(&text), 80).into_owned()
}

/// Writes the connection's closing line when dropped, whatever ended it.
#[derive(Debug)]
pub struct Closing {
    peer: SocketAddr,
    started: Instant,
    info: Info,
    reason: Option<CloseReason>,
    /// Refused before admission: the refusal log speaks for it instead.
    silent: bool,
}

impl Closing {
    /// Starts the clock of a connection from `peer` and logs the connect at debug level.
    pub fn new(peer: SocketAddr) -> Closing {
        tracing::debug!(%peer, "connection accepted");
        Closing {
            peer,
            started: Instant::now(),
            info: Info::default(),
            reason: None,
            silent: false,
        }
    }

    /// The client a PROXY header named: the line speaks of it from now on (the clock keeps
    /// running from the balancer's connect).
    pub fn set_peer(&mut self, peer: SocketAddr) {
        self.peer = peer;
    }

    /// The connection was refused by a cap or a penalty before any SSH: it is counted in the
    /// refusal summary, not given a closing line.
    pub fn refused(mut self) {
        self.silent = true;
    }

    /// Who the line speaks of.
    pub fn peer(&self) -> SocketAddr {
        self.peer
    }

    /// The info the handler fills in.
    pub fn info(&self) -> Info {
        self.info.clone()
    }

    /// Records how the connection ended; the line is written on drop.
    pub fn set(&mut self, reason: CloseReason) {
        self.reason = Some(reason);
    }
}

impl Drop for Closing {
    fn drop(&mut self) {
        if self.silent {
            return;
        }
        // No reason set: the task unwound from a panic, or was cancelled.
        let reason = self.reason.unwrap_or(if std::thread::panicking() {
            CloseReason::InternalError
        } else {
            CloseReason::Shutdown
        });
        let i = info(&self.info);
        let key = i.key.as_deref().or(if reason == CloseReason::AuthFailed {
            i.rejected_key.as_deref()
        } else {
            None
        });
        let size = i.size.map(|(w, h)| format!("{w}x{h}"));
        tracing::info!(
            peer = %self.peer,
            user = i.user.as_deref().unwrap_or("-"),
            key = key.unwrap_or("-"),
            term = i.term.as_deref().unwrap_or("-"),
            size = size.as_deref().unwrap_or("-"),
            client = i.client.as_deref().unwrap_or("-"),
            duration_ms = self.started.elapsed().as_millis() as u64,
            reason = reason.describe(),
            "connection closed"
        );
    }
}

/// How a connection that never reached the reader ended, from what the handler saw.
/// `protocol_error` says the SSH layer failed on something other than the socket closing.
pub fn before_reader(i: &ConnInfo, protocol_error: bool) -> CloseReason {
    if let Some(refusal) = i.refused {
        CloseReason::Refused(refusal)
    } else if i.authenticated {
        CloseReason::ClientGoneBeforeReader
    } else if i.rejected_key.is_some() || i.handshake_done {
        CloseReason::AuthFailed
    } else if protocol_error {
        CloseReason::HandshakeFailed
    } else {
        CloseReason::HandshakeIncomplete
    }
}

/// Why a connection was refused before any SSH work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Refused {
    /// `--max-connections` reached.
    Total,
    /// `--max-per-ip` reached for this address.
    PerSource,
    /// `--max-unauthenticated` reached.
    Unauthenticated,
    /// This source holds its share of the connections still logging in.
    UnauthenticatedPerSource,
    /// The address is serving a penalty (`--penalties`).
    Penalized,
}

impl Refused {
    /// Words for the log.
    pub fn describe(self) -> &'static str {
        match self {
            Refused::Total => "too many connections",
            Refused::PerSource => "too many connections from this address",
            Refused::Unauthenticated => "too many unauthenticated connections",
            Refused::UnauthenticatedPerSource => {
                "too many unauthenticated connections from this address"
            }
            Refused::Penalized => "address penalized",
        }
    }

    /// What the client is told.
    pub fn client_message(self) -> &'static str {
        match self {
            Refused::Penalized => "too many failed connections from your address, try again later",
            _ => "server full, try again later",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::term::ssh::log::Captured;

    fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
        let out = Captured::default();
        let writer = out.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        (out, tracing::subscriber::set_default(subscriber))
    }

    fn peer() -> SocketAddr {
        "192.0.2.7:40000".parse().unwrap()
    }

    #[test]
    fn a_panic_in_the_task_becomes_its_closing_line() {
        let joined = std::thread::spawn(|| {
            let (log, _guard) = capture();
            let caught = std::panic::catch_unwind(|| {
                let _closing = Closing::new(peer());
                panic!("boom");
            });
            assert!(caught.is_err());
            log.text()
        })
        .join()
        .unwrap();
        let lines: Vec<_> = joined
            .lines()
            .filter(|l| l.contains("connection closed"))
            .collect();
        assert_eq!(lines.len(), 1, "{joined}");
        assert!(lines[0].contains("reason=\"internal error\""), "{joined}");
    }

    #[test]
    fn a_cancelled_task_logs_shutdown_and_a_set_reason_wins() {
        let (log, _guard) = capture();
        drop(Closing::new(peer()));
        let mut closing = Closing::new(peer());
        closing.set(CloseReason::Refused(Refusal::Subsystem));
        drop(closing);
        let text = log.text();
        let lines: Vec<_> = text
            .lines()
            .filter(|l| l.contains("connection closed"))
            .collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[0].contains("reason=\"server shutdown\""), "{text}");
        assert!(lines[1].contains("reason=\"subsystem refused\""), "{text}");
    }

    #[test]
    fn reasons_before_the_reader_follow_what_the_handler_saw() {
        let mut i = ConnInfo::default();
        assert_eq!(before_reader(&i, false), CloseReason::HandshakeIncomplete);
        assert_eq!(before_reader(&i, true), CloseReason::HandshakeFailed);
        i.handshake_done = true;
        assert_eq!(before_reader(&i, false), CloseReason::AuthFailed);
        i.rejected_key = Some("SHA256:x".into());
        assert_eq!(before_reader(&i, true), CloseReason::AuthFailed);
        i.authenticated = true;
        assert_eq!(
            before_reader(&i, false),
            CloseReason::ClientGoneBeforeReader
        );
        i.refused = Some(Refusal::Exec);
        assert_eq!(
            before_reader(&i, false),
            CloseReason::Refused(Refusal::Exec)
        );
    }
}

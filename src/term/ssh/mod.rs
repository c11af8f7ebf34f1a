//! `careerhub serve`: the reader over SSH, one reader per connection, nothing to install.
//!
//! - [`config`]: the flags, with humane durations.
//! - [`server`]: accept loop, connection caps, timers, the russh handler.
//! - [`shell`]: one reader on a channel: bytes in, frames out, with backpressure.
//! - [`keys`]: raw terminal bytes into our own key type.
//! - [`backend`]: a ratatui backend over a byte buffer that never asks a terminal anything.
//! - [`hostkey`], [`users`]: the host key, the allowlist and per-key state.
//!
//! The library is loaded once and shared (`Arc`); each session has its own app, size and
//! state. Everything a client sees is either rendered by ratatui from sanitized text or one of
//! our own messages passed through [`crate::content::render::sanitize::line`].

pub mod backend;
pub mod closing;
pub mod config;
pub mod hostkey;
pub mod keys;
pub mod limits;
pub mod log;
pub mod proxy;
pub mod server;
pub mod shell;
pub mod units;
pub mod users;

use std::sync::Arc;

pub use config::ServeConfig;
pub use server::{Server, ShutdownHandle};

use crate::content::search::fulltext::BodyIndex;
use crate::content::{Index, Source};

/// Why the server could not start or run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Something in the setup is wrong (host key, listen address, allowlist, state
    /// database): the message says what and what to do.
    #[error("{0}")]
    Setup(String),
    /// The async runtime could not start (out of threads or memory).
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[from] std::io::Error),
}

impl ServeError {
    /// The process exit code: 2 for a setup the user can fix, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            ServeError::Setup(_) => 2,
            ServeError::Runtime(_) => 1,
        }
    }
}

/// The server's log for as long as it lives: started by [`Logging::start`], flushed (for a
/// moment, never longer) when dropped.
pub struct Logging(Option<log::LogSink>);

impl Logging {
    /// Sends logs to stderr through a [`log::LogSink`] (see [`init_logging`]).
    pub fn start() -> Logging {
        Logging(init_logging())
    }
}

impl Drop for Logging {
    fn drop(&mut self) {
        // Whatever is still queued gets a moment to reach the log, never longer.
        if let Some(sink) = &self.0 {
            sink.flush_for(log::FLUSH_TIMEOUT);
        }
    }
}

/// Serves `library` (bodies read from `source`, searched through `body` when there is a body
/// index) over SSH until SIGTERM or Ctrl-C. Logging should be started first
/// ([`Logging::start`]).
pub fn run(
    library: Arc<Index>,
    source: Source,
    body: Option<Arc<BodyIndex>>,
    args: &ServeConfig,
) -> Result<(), ServeError> {
    let fail = ServeError::Setup;
    let key_path = hostkey::default_path(args.host_key.as_deref()).map_err(fail)?;
    let (key, created) = hostkey::load_or_create(&key_path).map_err(fail)?;
    tracing::info!(
        path = %key_path.display(),
        fingerprint = %hostkey::fingerprint(&key),
        created,
        "host key"
    );
    tracing::info!(articles = library.len(), "library loaded");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let server = Server::bind_with_body(library, source, body, args, key)
            .await
            .map_err(fail)?;
        let addr = server.local_addr().map_err(|e| fail(e.to_string()))?;
        match &args.authorized_keys {
            Some(file) => {
                tracing::info!(authorized_keys = %file.display(), "public-key logins only")
            }
            None => tracing::info!(
                "open server: anyone may connect; a client's SSH key keeps its bookmarks and places"
            ),
        }
        match (server.state_database(), server.users_dir()) {
            (Some(db), _) => tracing::info!(state = %db, "per-key state in PostgreSQL"),
            (None, Some(dir)) => tracing::info!(state = %dir.display(), "per-key state"),
            (None, None) => tracing::warn!(
                "no data dir for per-key state (set HOME or --users-dir): state lasts one session"
            ),
        }
        tracing::info!(%addr, "listening: connect with `ssh -p {} {}`", addr.port(), addr.ip());
        spawn_signal_watch(server.shutdown_handle());
        server.run().await;
        tracing::info!("server stopped");
        Ok(())
    })
}

/// Logs go to stderr through a [`log::LogSink`]; `RUST_LOG` picks the level (default `info`,
/// russh's own at `warn`). A panic anywhere is logged as one line instead of a backtrace on
/// stderr; in a connection task it also becomes that connection's closing reason.
///
/// The writer is a duplicate of the stderr descriptor rather than `std::io::stderr()`: the
/// binary's `main` holds the `Stderr` lock while a command runs.
fn init_logging() -> Option<log::LogSink> {
    use std::io::IsTerminal;
    use std::os::fd::AsFd;
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,russh=warn,tokio_postgres=warn"));
    let fd = std::io::stderr().as_fd().try_clone_to_owned().ok()?;
    let sink = log::LogSink::start(std::fs::File::from(fd));
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(sink.clone())
        .log_internal_errors(false)
        .try_init()
        .is_ok();
    if installed {
        std::panic::set_hook(Box::new(|panic| {
            let location = panic
                .location()
                .map_or_else(|| "unknown".to_string(), ToString::to_string);
            tracing::error!(%location, message = %panic_message(panic), "internal error");
        }));
    }
    Some(sink)
}

/// The text a panic was raised with.
fn panic_message(panic: &std::panic::PanicHookInfo<'_>) -> String {
    let payload = panic.payload();
    let text = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    crate::content::render::sanitize::line(text).into_owned()
}

/// SIGTERM or Ctrl-C start the graceful shutdown.
fn spawn_signal_watch(handle: ShutdownHandle) {
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            match signal(SignalKind::terminate()) {
                Ok(mut term) => {
                    // SIGHUP (a closed controlling terminal, `kill -HUP`) would end the
                    // process with no goodbye; it is noted and ignored.
                    let mut hup = signal(SignalKind::hangup()).ok();
                    loop {
                        tokio::select! {
                            _ = tokio::signal::ctrl_c() => break,
                            _ = term.recv() => break,
                            Some(()) = async { match hup.as_mut() { Some(h) => h.recv().await, None => std::future::pending().await } } => {
                                tracing::info!("SIGHUP ignored; SIGTERM or Ctrl-C stops the server");
                            }
                        }
                    }
                }
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down: telling readers the server is going away");
        handle.shutdown();
    });
}

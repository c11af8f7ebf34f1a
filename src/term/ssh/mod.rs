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
//! our own messages passed through [`crate::content::sanitize::line`].

pub mod backend;
pub mod config;
pub mod hostkey;
pub mod keys;
pub mod server;
pub mod shell;
pub mod users;

use std::sync::Arc;

pub use config::ServeArgs;
pub use server::{Server, ShutdownHandle};

use crate::cli::{CliError, GlobalArgs};

/// Runs the SSH server until SIGTERM or Ctrl-C.
pub fn run(global: &GlobalArgs, args: &ServeArgs) -> Result<u8, CliError> {
    init_logging();
    let fail = |message: String| CliError { code: 2, message };
    let key_path = hostkey::default_path(args.host_key.as_deref()).map_err(fail)?;
    let (key, created) = hostkey::load_or_create(&key_path).map_err(fail)?;
    tracing::info!(
        path = %key_path.display(),
        fingerprint = %hostkey::fingerprint(&key),
        created,
        "host key"
    );
    let library = Arc::new(crate::cli::load(global, global.load_options())?);
    // The server runs for days: give back what loading freed.
    crate::content::cache::release_freed_memory();
    tracing::info!(articles = library.len(), "library loaded");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError {
            code: 1,
            message: format!("cannot start the async runtime: {e}"),
        })?;
    runtime.block_on(async {
        let server = Server::bind(library, args, key).await.map_err(fail)?;
        let addr = server.local_addr().map_err(|e| fail(e.to_string()))?;
        match (&args.authorized_keys, server.users_dir()) {
            (Some(file), Some(dir)) => tracing::info!(
                authorized_keys = %file.display(), state = %dir.display(), "public-key logins only"
            ),
            (Some(file), None) => tracing::warn!(
                authorized_keys = %file.display(),
                "no data dir for per-key state (set HOME or --users-dir): state lasts one session"
            ),
            (None, _) => tracing::info!("open server: anyone may connect, state lasts one session"),
        }
        tracing::info!(%addr, "listening: connect with `ssh -p {} {}`", addr.port(), addr.ip());
        spawn_signal_watch(server.shutdown_handle());
        server.run().await;
        tracing::info!("server stopped");
        Ok(0)
    })
}

/// Logs go to stderr; `RUST_LOG` picks the level (default `info`, russh's own at `warn`).
///
/// The writer is a duplicate of the stderr descriptor rather than `std::io::stderr()`: the
/// binary's `main` holds the `Stderr` lock while a command runs, and log lines written from
/// the runtime's worker threads through that lock would wait forever.
fn init_logging() {
    use std::io::IsTerminal;
    use std::os::fd::AsFd;
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,russh=warn"));
    let Ok(fd) = std::io::stderr().as_fd().try_clone_to_owned() else {
        return;
    };
    let writer = std::sync::Mutex::new(std::fs::File::from(fd));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(writer)
        .try_init();
}

/// SIGTERM or Ctrl-C start the graceful shutdown.
fn spawn_signal_watch(handle: ShutdownHandle) {
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            match signal(SignalKind::terminate()) {
                Ok(mut term) => {
                    tokio::select! {
                        _ = tokio::signal::ctrl_c() => {}
                        _ = term.recv() => {}
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

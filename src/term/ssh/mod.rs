//! `careerhub serve`: the reader over SSH. (Being built: see the SSH issue.)

use crate::cli::{CliError, GlobalArgs};

/// Flags of `careerhub serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:2222")]
    pub listen: std::net::SocketAddr,
}

/// Runs the SSH server until SIGTERM or Ctrl-C.
pub fn run(global: &GlobalArgs, args: &ServeArgs) -> Result<u8, CliError> {
    let _ = (global, args);
    Err(CliError {
        code: 2,
        message: "serve is not available yet".into(),
    })
}

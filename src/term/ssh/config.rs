//! Settings of `careerhub serve` ([`ServeConfig`]) and the parsers of their humane forms
//! (`20s`, `15m`, `4h`, `1h30m`, `off`); the command line itself is `crate::cli`'s.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use super::units::parse_duration;
use crate::app::Theme;

/// Defaults of [`ServeConfig`], written as a person types them on the command line; the CLI
/// shows and parses these same texts, so the defaults live here once.
pub mod defaults {
    /// [`super::ServeConfig::listen`].
    pub const LISTEN: &str = "127.0.0.1:2222";
    /// [`super::ServeConfig::login_grace`].
    pub const LOGIN_GRACE: &str = "20s";
    /// [`super::ServeConfig::idle_timeout`].
    pub const IDLE_TIMEOUT: &str = "15m";
    /// [`super::ServeConfig::max_session`].
    pub const MAX_SESSION: &str = "4h";
    /// [`super::ServeConfig::keepalive`].
    pub const KEEPALIVE: &str = "30s";
    /// [`super::ServeConfig::keepalive_max`].
    pub const KEEPALIVE_MAX: usize = 3;
    /// [`super::ServeConfig::max_connections`].
    pub const MAX_CONNECTIONS: usize = 256;
    /// [`super::ServeConfig::max_per_ip`].
    pub const MAX_PER_IP: usize = 8;
    /// [`super::ServeConfig::max_unauthenticated`].
    pub const MAX_UNAUTHENTICATED: usize = 32;
    /// [`super::ServeConfig::penalties`].
    pub const PENALTIES: &str = "noauth:1s,authfail:5s,crash:90s,min:15s,max:10m";
    /// [`super::ServeConfig::input_rate`], in bytes per second.
    pub const INPUT_RATE: u32 = 16 * 1024;
}

/// How `careerhub serve` runs. Every hardening control of the SSH server is one of these
/// fields; the command line fills them (see `careerhub serve --help`), the server only reads
/// them.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to listen on (port 0: any free port).
    pub listen: SocketAddr,
    /// Host key file (OpenSSH format); `None`: `ssh_host_ed25519_key` in the data dir. An
    /// ed25519 key is generated there on first start.
    pub host_key: Option<PathBuf>,
    /// OpenSSH `authorized_keys` file of the only keys admitted; `None`: an open server.
    pub authorized_keys: Option<PathBuf>,
    /// Folder of each key's bookmarks, places and history; `None`: `users/` in the data dir.
    pub users_dir: Option<PathBuf>,
    /// PostgreSQL database holding each key's state instead of files.
    pub state: Option<crate::store::postgres::StateUrl>,
    /// Longest time from TCP accept to a running reader (never zero).
    pub login_grace: Duration,
    /// Longest time without a keystroke before the session ends; `None`: no limit.
    pub idle_timeout: OptionalDuration,
    /// Longest a session may last; `None`: no limit.
    pub max_session: OptionalDuration,
    /// Silence from the client after which an SSH keepalive is sent (never zero).
    pub keepalive: Duration,
    /// Unanswered keepalives after which the connection is closed.
    pub keepalive_max: usize,
    /// Connections open at once, in total (at least 1).
    pub max_connections: usize,
    /// Connections open at once from one IP address (at least 1).
    pub max_per_ip: usize,
    /// Connections open at once that have not authenticated yet (at least 1).
    pub max_unauthenticated: usize,
    /// Per-source penalties, as OpenSSH's `PerSourcePenalties`.
    pub penalties: PenaltySetting,
    /// Load balancers whose connections start with a PROXY protocol header.
    pub proxy_from: Option<super::proxy::ProxyFrom>,
    /// Input a session may send, in bytes per second (bursts of 4 s worth allowed).
    pub input_rate: u32,
    /// Colour theme of the readers.
    pub theme: Theme,
    /// Send no colours.
    pub no_color: bool,
}

/// `--penalties`, or `None` when switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PenaltySetting(pub Option<super::limits::Penalties>);

/// Parses `--penalties` (see [`super::limits::parse_penalties`]).
pub fn parse_penalty_setting(text: &str) -> Result<PenaltySetting, String> {
    super::limits::parse_penalties(text).map(PenaltySetting)
}

/// A duration that may be switched off (`off`, `none` or `0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionalDuration(pub Option<Duration>);

/// A duration that must not be zero (a zero timer would refuse everyone).
pub fn parse_positive_duration(text: &str) -> Result<Duration, String> {
    let d = parse_duration(text)?;
    if d.is_zero() {
        return Err("must be more than zero: write e.g. 20s".into());
    }
    Ok(d)
}

/// A cap that must admit at least one connection.
pub fn at_least_one(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("0 would refuse every connection: give at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{text}` is not a number")),
    }
}

/// Like [`parse_duration`], but `off`, `none` and `0` mean no limit.
pub fn parse_optional_duration(text: &str) -> Result<OptionalDuration, String> {
    match text.trim() {
        "off" | "none" | "0" => Ok(OptionalDuration(None)),
        other => parse_duration(other).map(|d| OptionalDuration((!d.is_zero()).then_some(d))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(parse_duration("20s"), Ok(Duration::from_secs(20)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("4h"), Ok(Duration::from_secs(14_400)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("45"), Ok(Duration::from_secs(45)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5y").is_err());
        assert!(parse_duration("").is_err());
        assert_eq!(parse_optional_duration("off"), Ok(OptionalDuration(None)));
        assert_eq!(
            parse_optional_duration("2m"),
            Ok(OptionalDuration(Some(Duration::from_secs(120))))
        );
    }
}

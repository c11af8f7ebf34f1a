//! Flags of `careerhub serve`, with humane durations (`20s`, `15m`, `4h`, `1h30m`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use super::units::parse_duration;
use crate::app::Theme;

/// Flags of `careerhub serve`. Every hardening control of the SSH server is one of them.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (`0.0.0.0:2222` to accept connections from other machines).
    #[arg(long, default_value = "127.0.0.1:2222", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Host key file (OpenSSH format); an ed25519 key is generated there on first start.
    /// Default: `ssh_host_ed25519_key` in the data dir.
    #[arg(long, value_name = "PATH")]
    pub host_key: Option<PathBuf>,
    /// Only admit the keys in this OpenSSH `authorized_keys` file. Without it the server is
    /// open: any key gets in (and keeps its state), clients without keys too (state for the
    /// session). Key options (`from=`, `command=`, …) are refused: careerhub cannot honour them.
    #[arg(long, value_name = "FILE")]
    pub authorized_keys: Option<PathBuf>,
    /// Where each key's bookmarks, places and history are kept. Default: `users/` in the data
    /// dir.
    #[arg(long, value_name = "DIR")]
    pub users_dir: Option<PathBuf>,
    /// Keep each key's state in PostgreSQL instead of files (`postgres://USER@HOST:PORT/DB`),
    /// so that several servers behind one balancer share it. Plain connection, no TLS: use
    /// loopback, a Unix socket (`postgres://USER@%2Frun%2Fpostgresql/DB`) or a private network.
    #[arg(long, env = "CAREERHUB_STATE", value_name = "URL", value_parser = crate::store::postgres::StateUrl::parse)]
    pub state: Option<crate::store::postgres::StateUrl>,
    /// Time from TCP accept to a running reader; slower clients are disconnected.
    #[arg(long, default_value = "20s", value_parser = parse_positive_duration, value_name = "DURATION")]
    pub login_grace: Duration,
    /// Disconnect after this long without a keystroke (`off` never does).
    #[arg(long, default_value = "15m", value_parser = parse_optional_duration, value_name = "DURATION")]
    pub idle_timeout: OptionalDuration,
    /// Longest a session may last (`off` for no limit).
    #[arg(long, default_value = "4h", value_parser = parse_optional_duration, value_name = "DURATION")]
    pub max_session: OptionalDuration,
    /// Send an SSH keepalive after this long without hearing from the client.
    #[arg(long, default_value = "30s", value_parser = parse_positive_duration, value_name = "DURATION")]
    pub keepalive: Duration,
    /// Disconnect after this many unanswered keepalives.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub keepalive_max: usize,
    /// Connections open at once, in total.
    #[arg(long, default_value_t = 256, value_name = "N", value_parser = at_least_one)]
    pub max_connections: usize,
    /// Connections open at once from one IP address.
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = at_least_one)]
    pub max_per_ip: usize,
    /// Connections open at once that have not authenticated yet.
    #[arg(long, default_value_t = 32, value_name = "N", value_parser = at_least_one)]
    pub max_unauthenticated: usize,
    /// Per-source penalties, as OpenSSH's `PerSourcePenalties`: time added to an address for
    /// each connection that ends before logging in (`noauth`), with failed logins
    /// (`authfail`) or in an internal error (`crash`); while an address's penalty exceeds
    /// `min`, its new connections are refused; it never exceeds `max`. `off` disables.
    #[arg(
        long,
        default_value = "noauth:1s,authfail:5s,crash:90s,min:15s,max:10m",
        value_parser = parse_penalty_setting,
        value_name = "LIST"
    )]
    pub penalties: PenaltySetting,
    /// Load balancers that send a PROXY protocol header (v1 or v2), as `CIDR[,CIDR…]`:
    /// connections from them must start with one, and limits, logs and per-key state use the
    /// client address it names. Connections from elsewhere are plain SSH.
    #[arg(long, value_name = "CIDRS")]
    pub proxy_from: Option<super::proxy::ProxyFrom>,
    /// Input bytes per second a session may send (bursts of 4 s worth are allowed); more is
    /// dropped.
    #[arg(long, default_value_t = 16 * 1024, value_name = "BYTES")]
    pub input_rate: u32,
    /// Colour theme of the readers.
    #[arg(long, value_enum, default_value_t = Theme::Dark)]
    pub theme: Theme,
    /// Send no colours.
    #[arg(long)]
    pub no_color: bool,
}

impl ServeArgs {
    /// Parses `serve` flags from words, as on the command line (for tests and benches).
    pub fn from_flags<I, S>(flags: I) -> Result<ServeArgs, clap::Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<std::ffi::OsString> + Clone,
    {
        use clap::{FromArgMatches, Parser};
        #[derive(Parser)]
        struct Wrapper {
            #[command(flatten)]
            serve: ServeArgs,
        }
        let words = std::iter::once(std::ffi::OsString::from("serve"))
            .chain(flags.into_iter().map(Into::into));
        let matches = <Wrapper as clap::CommandFactory>::command().try_get_matches_from(words)?;
        Ok(Wrapper::from_arg_matches(&matches)?.serve)
    }
}

/// `--penalties`, or `None` when switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PenaltySetting(pub Option<super::limits::Penalties>);

fn parse_penalty_setting(text: &str) -> Result<PenaltySetting, String> {
    super::limits::parse_penalties(text).map(PenaltySetting)
}

/// A duration that may be switched off (`off`, `none` or `0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionalDuration(pub Option<Duration>);

/// A duration that must not be zero (a zero timer would refuse everyone).
fn parse_positive_duration(text: &str) -> Result<Duration, String> {
    let d = parse_duration(text)?;
    if d.is_zero() {
        return Err("must be more than zero: write e.g. 20s".into());
    }
    Ok(d)
}

/// A cap that must admit at least one connection.
fn at_least_one(text: &str) -> Result<usize, String> {
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

    #[test]
    fn settings_that_would_refuse_everyone_are_errors() {
        for flags in [
            ["--keepalive", "0s"],
            ["--login-grace", "0"],
            ["--max-per-ip", "0"],
            ["--max-connections", "0"],
            ["--max-unauthenticated", "0"],
        ] {
            let e = ServeArgs::from_flags(flags).unwrap_err().to_string();
            assert!(
                e.contains("zero") || e.contains("at least 1"),
                "{flags:?}: {e}"
            );
        }
    }

    #[test]
    fn defaults_match_the_hardening_table() {
        let args = ServeArgs::from_flags(Vec::<String>::new()).unwrap();
        assert_eq!(args.login_grace, Duration::from_secs(20));
        assert_eq!(
            args.idle_timeout,
            OptionalDuration(Some(Duration::from_secs(900)))
        );
        assert_eq!(
            args.max_session,
            OptionalDuration(Some(Duration::from_secs(4 * 3600)))
        );
        assert_eq!(
            (args.keepalive, args.keepalive_max),
            (Duration::from_secs(30), 3)
        );
        assert_eq!(
            (
                args.max_connections,
                args.max_per_ip,
                args.max_unauthenticated
            ),
            (256, 8, 32)
        );
        assert_eq!(
            args.penalties,
            PenaltySetting(Some(super::super::limits::Penalties::DEFAULT))
        );
    }
}

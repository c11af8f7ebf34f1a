//! Who may connect: caps on open connections, per-source penalties, and how refusals are
//! logged and told to the client.
//!
//! - [`Tracker`] counts open connections (in total, per address, not yet authenticated) and
//!   keeps per-source penalties in the manner of OpenSSH's `PerSourcePenalties`: a
//!   connection that ends without authenticating, with a failed login, or in an internal
//!   error adds time to its address's penalty; while the penalty exceeds a threshold, new
//!   connections from that address are refused. Handshake loops from one address (the cheap
//!   way to burn a server's CPU) are stopped after a few tries.
//! - [`RefusalLog`] logs the first refusal at once and then one summary per interval with
//!   counts, so a flood cannot fill the disk with log lines.
//! - [`disconnect_packet`] is what a refused client reads: our SSH banner and a plain
//!   `SSH_MSG_DISCONNECT` ("server full, try again later"), instead of a bare reset.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::closing::CloseReason;
pub use super::closing::Refused;
use super::units::parse_duration;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// Penalty time added to a source per kind of bad ending, and when it takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Penalties {
    /// A connection that ended before asking to log in (probe, handshake loop, timeout).
    pub noauth: Duration,
    /// A connection whose login attempts all failed.
    pub authfail: Duration,
    /// A connection that ended in an internal error.
    pub crash: Duration,
    /// Connections are refused only while the accrued penalty exceeds this.
    pub min: Duration,
    /// The accrued penalty never exceeds this.
    pub max: Duration,
}

impl Penalties {
    /// OpenSSH 9.8's defaults.
    pub const DEFAULT: Penalties = Penalties {
        noauth: Duration::from_secs(1),
        authfail: Duration::from_secs(5),
        crash: Duration::from_secs(90),
        min: Duration::from_secs(15),
        max: Duration::from_secs(600),
    };

    fn for_reason(&self, reason: CloseReason) -> Duration {
        match reason {
            CloseReason::HandshakeIncomplete
            | CloseReason::HandshakeFailed
            | CloseReason::LoginTimeout => self.noauth,
            CloseReason::AuthFailed => self.authfail,
            CloseReason::InternalError => self.crash,
            _ => Duration::ZERO,
        }
    }
}

/// Parses `--penalties`: `off`, or `key:duration` pairs separated by commas or spaces, keys
/// `noauth`, `authfail`, `crash`, `min`, `max`; unnamed keys keep their defaults.
pub fn parse_penalties(text: &str) -> Result<Option<Penalties>, String> {
    let text = text.trim();
    if matches!(text, "off" | "none" | "no") {
        return Ok(None);
    }
    let mut p = Penalties::DEFAULT;
    for item in text.split([',', ' ']).filter(|s| !s.is_empty()) {
        let (key, value) = item.split_once([':', '=']).ok_or_else(|| {
            format!("`{item}` in --penalties is not key:duration (e.g. authfail:5s)")
        })?;
        let d = parse_duration(value)?;
        let slot = match key {
            "noauth" => &mut p.noauth,
            "authfail" => &mut p.authfail,
            "crash" => &mut p.crash,
            "min" => &mut p.min,
            "max" => &mut p.max,
            _ => {
                return Err(format!(
                    "unknown penalty `{key}`: use noauth, authfail, crash, min or max, or `off`"
                ));
            }
        };
        *slot = d;
    }
    Ok(Some(p))
}

/// The source a connection counts against: an IPv4 address (IPv4-mapped IPv6 included), or
/// the /64 an IPv6 address is in — one host usually holds a whole /64, so counting single
/// IPv6 addresses would let it walk past every per-source cap and penalty (OpenSSH's
/// `PerSourceNetBlockSize` makes the same choice).
pub fn source_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(std::net::Ipv6Addr::from(prefix))
            }
        },
    }
}

/// Limits of the tracker, taken from the flags.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    pub max_total: usize,
    pub max_per_source: usize,
    pub max_unauthenticated: usize,
    pub penalties: Option<Penalties>,
}

/// Counts open connections, in total, per IP and not yet authenticated, and keeps penalties.
#[derive(Debug)]
pub struct Tracker {
    caps: Caps,
    counts: Mutex<Counts>,
}

/// More penalized addresses than this and the expired ones are swept before adding another.
const PENALTY_TABLE: usize = 65_536;

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    unauthenticated: usize,
    per_ip: HashMap<IpAddr, usize>,
    /// Connections not yet logged in, per source.
    unauth_per_ip: HashMap<IpAddr, usize>,
    /// Until when each penalized address's penalty runs.
    penalty_until: HashMap<IpAddr, Instant>,
}

impl Counts {
    fn release_unauthenticated(&mut self, ip: IpAddr) {
        if let Some(n) = self.unauth_per_ip.get_mut(&ip) {
            *n -= 1;
            if *n == 0 {
                self.unauth_per_ip.remove(&ip);
            }
        }
    }
}

/// One admitted connection; dropping it frees its place.
#[derive(Debug)]
pub struct Permit {
    tracker: Arc<Tracker>,
    ip: IpAddr,
    authenticated: AtomicBool,
}

impl Tracker {
    pub fn new(caps: Caps) -> Tracker {
        Tracker {
            caps,
            counts: Mutex::new(Counts::default()),
        }
    }

    fn counts(&self) -> MutexGuard<'_, Counts> {
        // The counts stay consistent even if a holder panicked: every update is one statement.
        self.counts.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Admits a connection from `ip`, or says which cap refuses it.
    pub fn admit(self: &Arc<Self>, ip: IpAddr) -> Result<Arc<Permit>, Refused> {
        self.admit_at(ip, Instant::now())
    }

    fn admit_at(self: &Arc<Self>, ip: IpAddr, now: Instant) -> Result<Arc<Permit>, Refused> {
        let ip = source_of(ip);
        let mut c = self.counts();
        if let (Some(p), Some(until)) = (self.caps.penalties, c.penalty_until.get(&ip).copied())
            && until > now + p.min
        {
            return Err(Refused::Penalized);
        }
        let from_ip = c.per_ip.get(&ip).copied().unwrap_or(0);
        if c.total >= self.caps.max_total {
            return Err(Refused::Total);
        }
        if from_ip >= self.caps.max_per_source {
            return Err(Refused::PerSource);
        }
        if c.unauthenticated >= self.caps.max_unauthenticated {
            return Err(Refused::Unauthenticated);
        }
        let unauth_from_ip = c.unauth_per_ip.get(&ip).copied().unwrap_or(0);
        if unauth_from_ip >= self.unauthenticated_per_source() {
            return Err(Refused::UnauthenticatedPerSource);
        }
        c.total += 1;
        c.unauthenticated += 1;
        c.per_ip.insert(ip, from_ip + 1);
        c.unauth_per_ip.insert(ip, unauth_from_ip + 1);
        Ok(Arc::new(Permit {
            tracker: self.clone(),
            ip,
            authenticated: AtomicBool::new(false),
        }))
    }

    /// Connections one source may have logging in at once: an eighth of
    /// `--max-unauthenticated` (4 of 32), so a few addresses holding silent sockets cannot
    /// take every place a new reader needs.
    fn unauthenticated_per_source(&self) -> usize {
        (self.caps.max_unauthenticated / 8).max(1)
    }

    /// Adds the penalty a connection from `ip` earned by ending this way.
    pub fn penalize(&self, ip: IpAddr, reason: CloseReason) {
        self.penalize_at(ip, reason, Instant::now());
    }

    fn penalize_at(&self, ip: IpAddr, reason: CloseReason, now: Instant) {
        let ip = source_of(ip);
        let Some(p) = self.caps.penalties else { return };
        let add = p.for_reason(reason);
        if add.is_zero() {
            return;
        }
        let mut c = self.counts();
        if c.penalty_until.len() >= PENALTY_TABLE && !c.penalty_until.contains_key(&ip) {
            c.penalty_until.retain(|_, until| *until > now);
            if c.penalty_until.len() >= PENALTY_TABLE {
                // Still full of live penalties: the oldest-ending one makes room.
                if let Some(victim) = c.penalty_until.iter().min_by_key(|e| *e.1).map(|e| *e.0) {
                    c.penalty_until.remove(&victim);
                }
            }
        }
        let until = c.penalty_until.entry(ip).or_insert(now);
        let from = (*until).max(now);
        *until = (from + add).min(now + p.max);
        if *until > now + p.min {
            tracing::debug!(%ip, seconds = (*until - now).as_secs(), "address penalized");
        }
    }
}

impl Permit {
    /// The connection authenticated: it no longer counts against `--max-unauthenticated`.
    pub fn authenticated(&self) {
        if !self.authenticated.swap(true, Ordering::SeqCst) {
            let mut c = self.tracker.counts();
            c.unauthenticated = c.unauthenticated.saturating_sub(1);
            c.release_unauthenticated(self.ip);
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut c = self.tracker.counts();
        c.total = c.total.saturating_sub(1);
        if !*self.authenticated.get_mut() {
            c.unauthenticated = c.unauthenticated.saturating_sub(1);
            c.release_unauthenticated(self.ip);
        }
        if let Some(n) = c.per_ip.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                c.per_ip.remove(&self.ip);
            }
        }
    }
}

/// Refusals logged at most once an interval: the first at once, then counts.
#[derive(Debug)]
pub struct RefusalLog {
    interval: Duration,
    last_line: Option<Instant>,
    counts: BTreeMap<Refused, u64>,
    /// Refusals per source this interval, so the summary can name who is knocking.
    sources: HashMap<IpAddr, u64>,
}

/// Sources remembered per interval for the summary; a flood from more is still counted.
const SOURCES_TRACKED: usize = 4096;

impl RefusalLog {
    /// Time between two refusal lines.
    pub const INTERVAL: Duration = Duration::from_secs(10);

    pub fn new(interval: Duration) -> RefusalLog {
        RefusalLog {
            interval,
            last_line: None,
            counts: BTreeMap::new(),
            sources: HashMap::new(),
        }
    }

    /// Notes a refusal; logs it at once if no refusal line was written this interval.
    pub fn refused(&mut self, peer: std::net::SocketAddr, why: Refused) {
        let now = Instant::now();
        if self.counts.is_empty() && self.quiet_since(now) {
            tracing::info!(%peer, reason = why.describe(), "connection refused");
            self.last_line = Some(now);
        } else {
            *self.counts.entry(why).or_default() += 1;
            let source = source_of(peer.ip());
            if self.sources.len() < SOURCES_TRACKED || self.sources.contains_key(&source) {
                *self.sources.entry(source).or_default() += 1;
            }
        }
    }

    /// Writes the summary line if the interval is over and there is anything to say.
    pub fn tick(&mut self) {
        if self.quiet_since(Instant::now()) {
            self.flush();
        }
    }

    /// Writes the summary line now if there is anything to say (at shutdown).
    pub fn flush(&mut self) {
        let now = Instant::now();
        if self.counts.is_empty() {
            return;
        }
        let total: u64 = self.counts.values().sum();
        let by_reason = self
            .counts
            .iter()
            .map(|(why, n)| format!("{why}: {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut sources: Vec<(IpAddr, u64)> = self.sources.drain().collect();
        sources.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let top = sources
            .iter()
            .take(3)
            .map(|(ip, n)| format!("{ip}: {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        tracing::info!(
            refused = total,
            seconds = self.interval.as_secs(),
            by_reason = %by_reason,
            top_sources = %top,
            "connections refused"
        );
        self.counts.clear();
        self.last_line = Some(now);
    }

    fn quiet_since(&self, now: Instant) -> bool {
        self.last_line
            .is_none_or(|at| now.duration_since(at) >= self.interval)
    }
}

/// SSH_MSG_DISCONNECT.
const MSG_DISCONNECT: u8 = 1;
/// SSH_DISCONNECT_TOO_MANY_CONNECTIONS (RFC 4253, section 11.1).
const TOO_MANY_CONNECTIONS: u32 = 12;

/// Our banner and an unencrypted `SSH_MSG_DISCONNECT` packet (RFC 4253 sections 4.2, 6 and
/// 11.1): allowed before key exchange, and OpenSSH prints its text ("Received disconnect
/// from …: 12: server full, try again later").
pub fn disconnect_packet(banner: &str, message: &str) -> Vec<u8> {
    let mut payload = vec![MSG_DISCONNECT];
    payload.extend_from_slice(&TOO_MANY_CONNECTIONS.to_be_bytes());
    payload.extend_from_slice(&(message.len() as u32).to_be_bytes());
    payload.extend_from_slice(message.as_bytes());
    payload.extend_from_slice(&0u32.to_be_bytes()); // language tag: empty
    // packet_length (4) + padding_length (1) + payload + padding is a multiple of 8, with at
    // least 4 bytes of padding.
    let unpadded = 4 + 1 + payload.len();
    let mut padding = 8 - unpadded % 8;
    if padding < 4 {
        padding += 8;
    }
    let packet_length = (1 + payload.len() + padding) as u32;
    let mut out = format!("{banner}\r\n").into_bytes();
    out.extend_from_slice(&packet_length.to_be_bytes());
    out.push(padding as u8);
    out.extend_from_slice(&payload);
    out.extend(std::iter::repeat_n(0u8, padding));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(penalties: Option<Penalties>) -> Caps {
        Caps {
            max_total: 2,
            max_per_source: 1,
            max_unauthenticated: 32,
            penalties,
        }
    }

    #[test]
    fn a_source_holds_only_its_share_of_the_logins_in_progress() {
        let t = Arc::new(Tracker::new(Caps {
            max_total: 100,
            max_per_source: 100,
            max_unauthenticated: 32,
            penalties: None,
        }));
        let attacker: IpAddr = "203.0.113.66".parse().unwrap();
        let held: Vec<_> = (0..4).map(|_| t.admit(attacker).unwrap()).collect();
        assert_eq!(
            t.admit(attacker).unwrap_err(),
            Refused::UnauthenticatedPerSource
        );
        assert!(
            t.admit("198.51.100.1".parse().unwrap()).is_ok(),
            "others get in"
        );
        // Logged in, a connection no longer counts against the share.
        held[0].authenticated();
        assert!(t.admit(attacker).is_ok());
    }

    #[test]
    fn tracker_caps_per_ip_and_frees_on_drop() {
        let t = Arc::new(Tracker::new(caps(None)));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let first = t.admit(a).unwrap();
        assert_eq!(t.admit(a).unwrap_err(), Refused::PerSource);
        let second = t.admit(b).unwrap();
        second.authenticated();
        assert_eq!(
            t.admit("10.0.0.3".parse().unwrap()).unwrap_err(),
            Refused::Total
        );
        drop(first);
        assert!(t.admit(a).is_ok());
        drop(second);
        assert_eq!(t.counts().unauthenticated, 0);
        assert!(t.counts().per_ip.is_empty());
    }

    #[test]
    fn penalties_accrue_refuse_past_the_threshold_and_expire() {
        let t = Arc::new(Tracker::new(caps(Some(Penalties::DEFAULT))));
        let ip: IpAddr = "203.0.113.9".parse().unwrap();
        let other: IpAddr = "203.0.113.10".parse().unwrap();
        let now = Instant::now();
        // Three failed logins: 15 s, not over the 15 s threshold yet.
        for _ in 0..3 {
            t.penalize_at(ip, CloseReason::AuthFailed, now);
        }
        assert!(t.admit_at(ip, now).is_ok());
        // One more probe tips it over.
        t.penalize_at(ip, CloseReason::HandshakeIncomplete, now);
        assert_eq!(t.admit_at(ip, now).unwrap_err(), Refused::Penalized);
        assert!(t.admit_at(other, now).is_ok(), "only that address");
        // A user who quits earns nothing.
        t.penalize_at(
            other,
            CloseReason::Session(super::super::shell::End::Quit),
            now,
        );
        assert!(!t.counts().penalty_until.contains_key(&other));
        // Served: 16 s accrued, refused while more than 15 s remain.
        assert!(t.admit_at(ip, now + Duration::from_secs(2)).is_ok());
        // Capped at max.
        for _ in 0..1000 {
            t.penalize_at(ip, CloseReason::InternalError, now);
        }
        let until = t.counts().penalty_until[&ip];
        assert_eq!(until, now + Duration::from_secs(600));
    }

    #[test]
    fn an_ipv6_slash_64_is_one_source_and_mapped_ipv4_is_ipv4() {
        let t = Arc::new(Tracker::new(caps(None)));
        let held = t.admit("2001:db8::1".parse().unwrap()).unwrap();
        assert_eq!(
            t.admit("2001:db8::2".parse().unwrap()).unwrap_err(),
            Refused::PerSource,
            "same /64"
        );
        assert!(
            t.admit("2001:db8:0:1::1".parse().unwrap()).is_ok(),
            "another /64"
        );
        drop(held);
        assert_eq!(
            source_of("::ffff:198.51.100.22".parse().unwrap()),
            "198.51.100.22".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn penalties_off_never_refuse() {
        let t = Arc::new(Tracker::new(caps(None)));
        let ip: IpAddr = "203.0.113.9".parse().unwrap();
        for _ in 0..100 {
            t.penalize(ip, CloseReason::AuthFailed);
        }
        assert!(t.admit(ip).is_ok());
    }

    #[test]
    fn the_penalty_table_is_bounded() {
        let t = Arc::new(Tracker::new(caps(Some(Penalties::DEFAULT))));
        let now = Instant::now();
        for i in 0..(PENALTY_TABLE as u32 + 10) {
            let ip = IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + i));
            t.penalize_at(ip, CloseReason::AuthFailed, now);
        }
        assert!(t.counts().penalty_until.len() <= PENALTY_TABLE);
    }

    #[test]
    fn penalties_parse_like_openssh_and_errors_say_what_to_write() {
        assert_eq!(parse_penalties("off"), Ok(None));
        let p = parse_penalties("authfail:10s,max:1h").unwrap().unwrap();
        assert_eq!(p.authfail, Duration::from_secs(10));
        assert_eq!(p.max, Duration::from_secs(3600));
        assert_eq!(p.noauth, Penalties::DEFAULT.noauth);
        assert_eq!(
            parse_penalties("noauth:2s min:30s").unwrap().unwrap().min,
            Duration::from_secs(30)
        );
        let e = parse_penalties("bogus:1s").unwrap_err();
        assert!(e.contains("unknown penalty `bogus`"), "{e}");
        let e = parse_penalties("authfail").unwrap_err();
        assert!(e.contains("key:duration"), "{e}");
    }

    #[test]
    fn refusals_are_logged_once_then_summarised_per_interval() {
        let out = crate::term::ssh::log::Captured::default();
        let writer = out.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let mut log = RefusalLog::new(Duration::from_millis(100));
        let peer: std::net::SocketAddr = "198.51.100.4:5000".parse().unwrap();
        for _ in 0..1000 {
            log.refused(peer, Refused::PerSource);
        }
        log.refused(peer, Refused::Penalized);
        log.tick(); // too early: nothing
        assert_eq!(out.text().lines().count(), 1, "{}", out.text());
        std::thread::sleep(Duration::from_millis(120));
        log.tick();
        log.tick(); // nothing new
        let text = out.text();
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[0].contains("connection refused"), "{text}");
        assert!(lines[1].contains("refused=1000"), "{text}");
        assert!(
            lines[1].contains("too many connections from this address: 999, address penalized: 1"),
            "{text}"
        );
        assert!(lines[1].contains("198.51.100.4: 1000"), "{text}");
    }

    #[test]
    fn the_disconnect_packet_is_well_formed() {
        let bytes = disconnect_packet("SSH-2.0-careerhub_0", "server full, try again later");
        let banner_end = bytes.windows(2).position(|w| w == b"\r\n").unwrap() + 2;
        assert_eq!(&bytes[..banner_end], b"SSH-2.0-careerhub_0\r\n");
        let packet = &bytes[banner_end..];
        let len = u32::from_be_bytes(packet[..4].try_into().unwrap()) as usize;
        assert_eq!(packet.len(), 4 + len);
        assert_eq!(packet.len() % 8, 0);
        let padding = packet[4] as usize;
        assert!(padding >= 4);
        assert_eq!(packet[5], MSG_DISCONNECT);
        assert_eq!(u32::from_be_bytes(packet[6..10].try_into().unwrap()), 12);
        let n = u32::from_be_bytes(packet[10..14].try_into().unwrap()) as usize;
        assert_eq!(&packet[14..14 + n], b"server full, try again later");
    }
}

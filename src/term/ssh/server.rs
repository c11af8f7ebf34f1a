//! The SSH server: our own accept loop, connection caps, timers, and the russh handler.
//!
//! We run our own accept loop instead of russh's `run_on_socket` because it lets us set
//! TCP_NODELAY ourselves (russh applies its setting only in its own loop; without it the first
//! frame waits ~40 ms for Nagle), refuse connections over the caps before any SSH work, and
//! keep a way to close each socket from a timer: `run_stream` waits for the client's banner
//! and ignores disconnects during key exchange, so the login grace shuts the socket down
//! underneath it instead of asking politely.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::keys::{HashAlg, PrivateKey, PublicKey};
use russh::server::{Auth, Msg, PublicKeyOffer, Session as SshSession, VerifiedPublicKey};
use russh::{Channel, ChannelId, ChannelOpenFailure, ChannelWriteHalf, MethodKind, MethodSet, Pty};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinSet;

use super::closing::{self, CloseReason, Closing, Info, Refusal, info, loggable};
use super::config::ServeConfig;
use super::limits::{self, Caps, Permit, RefusalLog, Refused, Tracker};
use super::proxy::{self, ProxyFrom};
use super::shell::{self, Chunk, End, Stops, Timers, Wiring};
use super::users::{self, Allowlist};
use crate::app::{App, AppOptions};
use crate::content::render::sanitize;
use crate::content::search::fulltext::BodyIndex;
use crate::content::{Index, Source};
use crate::store::Store;
use crate::store::postgres::PgState;

/// Printed to a client that asked for a shell without a terminal.
pub const NEED_PTY: &str = "careerhub needs a terminal: connect with ssh -t";
/// Size used when the client reports 0×0 (`ssh -tt` without a local terminal).
const DEFAULT_SIZE: (u16, u16) = (80, 24);
/// Sizes are clamped to this: ratatui allocates two buffers of the whole screen, and
/// 65535×65535 cells would abort the process.
const COLS: (u16, u16) = (20, 500);
const ROWS: (u16, u16) = (5, 200);
/// Input chunks queued for a session; more are dropped (a person never gets near this).
const INPUT_QUEUE: usize = 64;
/// Bursts of input allowed, in seconds of the `--input-rate`.
const BURST_SECONDS: u32 = 4;
/// Time given to connections to say goodbye when the server stops.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// Refused clients told why at the same time; a flood beyond this gets bare closes.
const REFUSALS_TOLD: usize = 64;
/// How long a refused client is given to read why.
const REFUSAL_LINGER: Duration = Duration::from_millis(500);
/// Time a finished connection gets to hang up by itself before its socket is shut.
const HANGUP_GRACE: Duration = Duration::from_secs(2);

/// What every connection shares: the library (loaded once), settings, caps.
struct Shared {
    library: Arc<Index>,
    /// Where article bodies are read from.
    source: Source,
    /// The body index all sessions search (built once, in the background).
    body: Option<Arc<BodyIndex>>,
    config: Arc<russh::server::Config>,
    login_grace: Duration,
    timers: Timers,
    input_rate: u32,
    app_options: AppOptions,
    allowlist: Option<Allowlist>,
    users_dir: Option<PathBuf>,
    /// `--state`: per-key state in PostgreSQL instead of `users_dir`.
    state: Option<Arc<PgState>>,
    tracker: Arc<Tracker>,
    /// Refused clients being told why; beyond [`REFUSALS_TOLD`] at once they are just closed.
    refusals: Arc<tokio::sync::Semaphore>,
    /// Refusals, logged once an interval.
    refusal_log: Mutex<RefusalLog>,
    /// Balancers whose connections start with a PROXY header.
    proxy_from: Option<ProxyFrom>,
    shutdown: watch::Receiver<bool>,
}

/// A bound server, ready to [`Server::run`].
pub struct Server {
    listener: TcpListener,
    shared: Arc<Shared>,
    shutdown: ShutdownHandle,
}

/// Asks a running server to stop: readers are told the server is going away, then closed.
#[derive(Debug, Clone)]
pub struct ShutdownHandle(Arc<watch::Sender<bool>>);

impl ShutdownHandle {
    /// Starts the graceful shutdown; [`Server::run`] returns when it is done.
    pub fn shutdown(&self) {
        self.0.send_replace(true);
    }
}

impl Server {
    /// Binds the listening socket with this host key. The library is shared by all sessions;
    /// each session reads bodies from `source` through a [`Bodies`](crate::content::Bodies) of
    /// its own.
    pub async fn bind(
        library: Arc<Index>,
        source: Source,
        args: &ServeConfig,
        host_key: PrivateKey,
    ) -> Result<Server, String> {
        Self::bind_with_body(library, source, None, args, host_key).await
    }

    /// Like [`Server::bind`], with a body index that every session searches.
    pub async fn bind_with_body(
        library: Arc<Index>,
        source: Source,
        body: Option<Arc<BodyIndex>>,
        args: &ServeConfig,
        host_key: PrivateKey,
    ) -> Result<Server, String> {
        let allowlist = args
            .authorized_keys
            .as_deref()
            .map(Allowlist::load)
            .transpose()?;
        // Open or not, a key is an identity: its state is kept under its fingerprint.
        let users_dir = users::users_dir(args.users_dir.as_deref());
        let state = match &args.state {
            Some(url) => Some(PgState::start(url).await?),
            None => None,
        };
        let listener = TcpListener::bind(args.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        let (tx, rx) = watch::channel(false);
        let shared = Shared {
            library,
            source,
            body,
            config: Arc::new(russh_config(args, host_key, allowlist.is_some())),
            login_grace: args.login_grace,
            timers: Timers {
                idle: args.idle_timeout.0,
                max_session: args.max_session.0,
            },
            input_rate: args.input_rate.max(1),
            app_options: AppOptions {
                theme: args.theme,
                color: !args.no_color,
                can_open_browser: false,
            },
            allowlist,
            users_dir,
            state,
            tracker: Arc::new(Tracker::new(Caps {
                max_total: args.max_connections,
                max_per_source: args.max_per_ip,
                max_unauthenticated: args.max_unauthenticated,
                penalties: args.penalties.0,
            })),
            refusals: Arc::new(tokio::sync::Semaphore::new(REFUSALS_TOLD)),
            refusal_log: Mutex::new(RefusalLog::new(RefusalLog::INTERVAL)),
            proxy_from: args.proxy_from.clone(),
            shutdown: rx,
        };
        Ok(Server {
            listener,
            shared: Arc::new(shared),
            shutdown: ShutdownHandle(Arc::new(tx)),
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// A handle that stops the server.
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        self.shutdown.clone()
    }

    /// Where users' state is kept, if per-key state is on in files.
    pub fn users_dir(&self) -> Option<&std::path::Path> {
        self.shared.users_dir.as_deref()
    }

    /// The state database (`--state`), described for logs.
    pub fn state_database(&self) -> Option<&str> {
        self.shared.state.as_ref().map(|s| s.describe())
    }

    /// Accepts connections until shutdown, then gives readers time to say goodbye.
    pub async fn run(self) {
        let mut tasks = JoinSet::new();
        let mut shutdown = self.shared.shutdown.clone();
        // Checked every second, so a summary follows the previous refusal line by the
        // interval and not by up to twice it.
        let mut summary = tokio::time::interval(Duration::from_secs(1));
        summary.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = shell::wait_true(&mut shutdown) => break,
                Some(_) = tasks.join_next() => {}
                _ = summary.tick() => self.shared.refusal_log().tick(),
                accepted = self.listener.accept() => match accepted {
                    Ok((socket, peer)) => self.admit(&mut tasks, socket, peer),
                    Err(e) => {
                        // Usually out of file descriptors: back off instead of spinning.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
            }
        }
        drop(self.listener);
        self.shared.refusal_log().flush();
        let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
            while tasks.join_next().await.is_some() {}
        });
        if drained.await.is_err() {
            tracing::warn!(
                left = tasks.len(),
                "connections still open after the shutdown grace; closing them"
            );
            tasks.shutdown().await;
        }
        // Sessions queued their last changes as they ended: give them to the database.
        if let Some(state) = &self.shared.state {
            state.flush(SHUTDOWN_GRACE).await;
        }
    }

    fn admit(&self, tasks: &mut JoinSet<()>, socket: TcpStream, peer: SocketAddr) {
        if self
            .shared
            .proxy_from
            .as_ref()
            .is_some_and(|p| p.trusts(peer.ip()))
        {
            tasks.spawn(proxied(self.shared.clone(), socket, peer));
            return;
        }
        match self.shared.tracker.admit(peer.ip()) {
            Ok(permit) => {
                let closing = Closing::new(peer);
                tasks.spawn(connection(self.shared.clone(), socket, permit, closing));
            }
            Err(why) => {
                self.shared.refusal_log().refused(peer, why);
                tell_refused(&self.shared, socket, why);
            }
        }
    }
}

impl Shared {
    fn refusal_log(&self) -> std::sync::MutexGuard<'_, RefusalLog> {
        self.refusal_log.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A connection from a `--proxy-from` balancer: the PROXY header first, then the caps for
/// the client it names, then SSH as from that client.
async fn proxied(shared: Arc<Shared>, mut socket: TcpStream, balancer: SocketAddr) {
    let mut closing = Closing::new(balancer);
    let header = tokio::time::timeout(shared.login_grace, proxy::read_header(&mut socket)).await;
    let client = match header {
        Ok(Ok(Some(client))) => client,
        // A health check (v2 LOCAL, v1 UNKNOWN): the balancer's own connection, not a reader.
        Ok(Ok(None)) => balancer,
        Ok(Err(e)) => {
            tracing::debug!(peer = %balancer, error = %e, "PROXY header");
            closing.set(CloseReason::ProxyHeader);
            return;
        }
        Err(_) => {
            closing.set(CloseReason::LoginTimeout);
            return;
        }
    };
    closing.set_peer(client);
    match shared.tracker.admit(client.ip()) {
        Ok(permit) => connection(shared, socket, permit, closing).await,
        Err(why) => {
            closing.refused();
            shared.refusal_log().refused(client, why);
            tell_refused(&shared, socket, why);
        }
    }
}

/// Sends a refused client an SSH disconnect with the reason, then closes, all in a task
/// of bounded life; past [`REFUSALS_TOLD`] at once, the socket is just closed.
fn tell_refused(shared: &Shared, mut socket: TcpStream, why: Refused) {
    let Ok(permit) = shared.refusals.clone().try_acquire_owned() else {
        return;
    };
    let banner = server_banner();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let _permit = permit;
        let bytes = limits::disconnect_packet(&banner, why.client_message());
        let _ = tokio::time::timeout(REFUSAL_LINGER, async {
            socket.write_all(&bytes).await?;
            socket.shutdown().await?;
            // Read what the client sends until it closes: closing with unread data
            // would reset the connection and could lose the message on its way.
            let mut sink = [0u8; 1024];
            while socket.read(&mut sink).await? > 0 {}
            Ok::<(), std::io::Error>(())
        })
        .await;
    });
}

/// Key exchanges offered: only the cheap modern ones. A finite-field Diffie-Hellman
/// handshake costs the server 96 ms (group16) to 750+ ms (group18) of CPU against about 1 ms
/// for curve25519, so offering them lets one address burn the server's cores with handshake
/// loops (the "DHEat" attack). Every OpenSSH since 6.5 (2014) and PuTTY since 0.68 speaks
/// curve25519. The last four names are protocol extensions, not exchanges.
pub const KEX: &[russh::kex::Name] = &[
    russh::kex::MLKEM768X25519_SHA256,
    russh::kex::CURVE25519,
    russh::kex::CURVE25519_PRE_RFC_8731,
    russh::kex::EXTENSION_SUPPORT_AS_CLIENT,
    russh::kex::EXTENSION_SUPPORT_AS_SERVER,
    russh::kex::EXTENSION_OPENSSH_STRICT_KEX_AS_CLIENT,
    russh::kex::EXTENSION_OPENSSH_STRICT_KEX_AS_SERVER,
];

/// The SSH identification string the server sends.
fn server_banner() -> String {
    format!("SSH-2.0-careerhub_{}", env!("CARGO_PKG_VERSION"))
}

/// Login methods. With an allowlist, public keys only. Open, any public key is accepted (it
/// becomes the reader's identity) and a client without keys gets in by keyboard-interactive
/// with no questions; `none` is refused so that clients go on to offer their keys (OpenSSH
/// offers none if `none` succeeds).
fn methods(allowlist: bool) -> MethodSet {
    if allowlist {
        MethodSet::from(&[MethodKind::PublicKey][..])
    } else {
        MethodSet::from(&[MethodKind::PublicKey, MethodKind::KeyboardInteractive][..])
    }
}

fn russh_config(args: &ServeConfig, key: PrivateKey, allowlist: bool) -> russh::server::Config {
    russh::server::Config {
        server_id: russh::SshId::Standard(server_banner().into()),
        methods: methods(allowlist),
        // OpenSSH probes with `none` first: answer that at once, keep failures slow.
        auth_rejection_time_initial: Some(Duration::ZERO),
        max_auth_attempts: 6,
        keys: vec![key],
        // russh's inactivity timer is reset by our own output, so it cannot measure idleness;
        // the session measures that from keystrokes, and the login grace covers handshakes.
        inactivity_timeout: None,
        keepalive_interval: Some(args.keepalive),
        keepalive_max: args.keepalive_max,
        nodelay: true,
        preferred: russh::Preferred {
            kex: std::borrow::Cow::Borrowed(KEX),
            compression: std::borrow::Cow::Borrowed(&[russh::compression::NONE]),
            ..Default::default()
        },
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------------------
// One connection

/// Sent by the handler when the client asks for a shell.
enum Start {
    /// Run the reader on this channel.
    Reader(Box<ReaderStart>),
    /// The shell was refused (no pty); the client has been told.
    Refused,
}

/// What the reader needs from the handler.
struct ReaderStart {
    writer: ChannelWriteHalf<Msg>,
    key: Option<PublicKey>,
}

/// Shuts a socket down from outside while russh owns it.
struct Killer(std::net::TcpStream);

impl Killer {
    /// Splits off a duplicate of the socket's descriptor: `shutdown(2)` on it ends the
    /// connection for whoever holds the other one.
    fn split(socket: TcpStream) -> std::io::Result<(TcpStream, Killer)> {
        let std = socket.into_std()?;
        let dup = std.try_clone()?;
        Ok((TcpStream::from_std(std)?, Killer(dup)))
    }

    fn kill(&self) {
        let _ = self.0.shutdown(std::net::Shutdown::Both);
    }
}

/// One connection from accept to close. Its [`Closing`] guard writes the closing line on
/// every path, panics and cancellation included.
async fn connection(
    shared: Arc<Shared>,
    socket: TcpStream,
    permit: Arc<Permit>,
    mut closing: Closing,
) {
    let peer = closing.peer();
    let reason = serve_connection(&shared, socket, peer, permit, closing.info()).await;
    // A balancer's own connections (health checks) earn it no penalty.
    if !shared
        .proxy_from
        .as_ref()
        .is_some_and(|p| p.trusts(peer.ip()))
    {
        shared.tracker.penalize(peer.ip(), reason);
    }
    closing.set(reason);
}

/// Runs the SSH session and, once a client asks for a shell, the reader; says why it ended.
async fn serve_connection(
    shared: &Arc<Shared>,
    socket: TcpStream,
    peer: SocketAddr,
    permit: Arc<Permit>,
    conn_info: Info,
) -> CloseReason {
    // Without NODELAY, Nagle holds the first frame back until the client's delayed ACK.
    let _ = socket.set_nodelay(true);
    let (socket, killer) = match Killer::split(socket) {
        Ok(pair) => pair,
        Err(e) => {
            tracing::warn!(%peer, error = %e, "cannot set up connection");
            return CloseReason::ClientGone;
        }
    };
    let (start_tx, start_rx) = oneshot::channel();
    let (input_tx, input_rx) = mpsc::channel(INPUT_QUEUE);
    let (size_tx, size_rx) = watch::channel(DEFAULT_SIZE);
    let (closed_tx, closed_rx) = watch::channel(false);
    let handler = Handler {
        shared: shared.clone(),
        info: conn_info.clone(),
        permit,
        key: None,
        channel: None,
        writer: None,
        pty: false,
        start: Some(start_tx),
        input: input_tx,
        size: size_tx,
        closed: closed_tx,
        bucket: Bucket::new(shared.input_rate),
        gap: false,
    };
    let config = shared.config.clone();
    let mut conn = SshConn::new(async move {
        let running = russh::server::run_stream(config, socket, handler).await?;
        running.await
    });
    let mut shutdown = shared.shutdown.clone();
    let grace = tokio::time::sleep(shared.login_grace);
    let start = tokio::select! {
        r = conn.wait() => Err(match r {
            Err(russh::Error::Join(_)) => CloseReason::InternalError,
            r => closing::before_reader(&info(&conn_info), r.is_err_and(|e| protocol_error(&e))),
        }),
        s = start_rx => Ok(s),
        _ = grace => Err(CloseReason::LoginTimeout),
        _ = shell::wait_true(&mut shutdown) => Err(CloseReason::Shutdown),
    };
    let reason = match start {
        // Timers and shutdown before the shell: nothing to say goodbye to, close at once.
        Err(reason) => {
            killer.kill();
            reason
        }
        Ok(Ok(Start::Reader(start))) => {
            let ReaderStart { writer, key } = *start;
            let wiring = Wiring {
                writer,
                input: input_rx,
                size: size_rx,
                stops: Stops {
                    closed: closed_rx,
                    shutdown: shared.shutdown.clone(),
                },
            };
            let session = reader(shared, key.as_ref(), wiring);
            tokio::select! {
                // The channel is closed. The client hangs up by itself (a DISCONNECT from us
                // would make OpenSSH exit with 255 instead of the exit status); the hang-up
                // grace below makes sure.
                end = session => match end {
                    End::Disconnected => CloseReason::ClientGone,
                    end => CloseReason::Session(end),
                },
                r = conn.wait() => match r {
                    // Keepalives went unanswered: the client is gone, and this says how.
                    Err(russh::Error::KeepaliveTimeout) => CloseReason::KeepaliveTimeout,
                    _ => CloseReason::ClientGone,
                },
            }
        }
        Ok(Ok(Start::Refused)) => CloseReason::Refused(Refusal::ShellWithoutPty),
        Ok(Err(_)) => closing::before_reader(&info(&conn_info), false),
    };
    if tokio::time::timeout(HANGUP_GRACE, conn.wait())
        .await
        .is_err()
    {
        killer.kill();
        let _ = tokio::time::timeout(HANGUP_GRACE, conn.wait()).await;
    }
    reason
}

/// Errors that mean the client spoke something other than SSH, not that it went away.
fn protocol_error(e: &russh::Error) -> bool {
    !matches!(
        e,
        russh::Error::IO(_)
            | russh::Error::Disconnect
            | russh::Error::HUP
            | russh::Error::ConnectionTimeout
            | russh::Error::KeepaliveTimeout
            | russh::Error::InactivityTimeout
    )
}

/// The russh side of a connection, awaited from several places in turn. It remembers that it
/// finished: polling a finished `async` block again panics ("resumed after completion"),
/// which is what every refused or aborted connection used to do.
struct SshConn<F: Future> {
    future: std::pin::Pin<Box<F>>,
    done: bool,
}

impl<F: Future<Output = Result<(), russh::Error>>> SshConn<F> {
    fn new(future: F) -> Self {
        SshConn {
            future: Box::pin(future),
            done: false,
        }
    }

    /// Waits for the session to end; once it has, returns `Ok` at once every time after.
    async fn wait(&mut self) -> Result<(), russh::Error> {
        if self.done {
            return Ok(());
        }
        let r = self.future.as_mut().await;
        self.done = true;
        r
    }
}

/// Tells a reader whether their bookmarks and places outlive the session.
pub fn identity_message(has_key: bool, can_keep: bool) -> &'static str {
    match (has_key, can_keep) {
        (true, true) => "Your place and bookmarks are remembered for this SSH key",
        (false, _) => "Connect with an SSH key to keep bookmarks and places between visits",
        (true, false) => "Bookmarks and places last this session only (the server keeps no state)",
    }
}

/// Builds the app with the user's saved state and runs it.
async fn reader(shared: &Shared, key: Option<&PublicKey>, wiring: Wiring) -> End {
    let (store, notice) = match (key, &shared.state, &shared.users_dir) {
        (Some(key), Some(db), _) => db.open(&users::key_hex(key)).await,
        (Some(key), None, Some(dir)) => (users::store_for(dir, key), None),
        _ => (Store::memory(), None),
    };
    let (saved, warning) = store.load();
    let mut app = App::new(
        shared.library.clone(),
        shared.source.clone(),
        saved,
        shared.app_options,
    );
    app.body = shared.body.clone();
    let can_keep = shared.state.is_some() || shared.users_dir.is_some();
    app.message = Some(
        notice
            .unwrap_or(identity_message(key.is_some(), can_keep))
            .into(),
    );
    // The details name the server's files: they go to the log, the reader gets the gist.
    if let Some(detail) = warning {
        tracing::warn!(detail = %crate::content::render::sanitize::line(&detail), "saved reader state");
        app.message = Some("Your saved bookmarks could not be read; starting afresh".into());
    }
    shell::run(app, store, wiring, shared.timers).await
}

// ---------------------------------------------------------------------------------------
// Input rate cap

/// A token bucket over input bytes: `rate` a second, bursts of `BURST_SECONDS` worth.
#[derive(Debug)]
struct Bucket {
    rate: f64,
    capacity: f64,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    fn new(rate: u32) -> Bucket {
        let capacity = f64::from(rate) * f64::from(BURST_SECONDS);
        Bucket {
            rate: f64::from(rate),
            capacity,
            tokens: capacity,
            last: Instant::now(),
        }
    }

    /// Takes `n` bytes' worth if available.
    fn take(&mut self, n: usize) -> bool {
        let now = Instant::now();
        let refill = now.duration_since(self.last).as_secs_f64() * self.rate;
        self.tokens = (self.tokens + refill).min(self.capacity);
        self.last = now;
        if self.tokens >= n as f64 {
            self.tokens -= n as f64;
            true
        } else {
            false
        }
    }
}

// ---------------------------------------------------------------------------------------
// The russh handler

/// Most cells a session draws. ratatui keeps two buffers of ~48 bytes a cell, so this bounds
/// a session's screen memory at about 3.8 MB (a 500×200 terminal would take 9.6 MB, and 2.4
/// GB at the connection cap). A bigger terminal gets the reader in its top-left part.
pub const MAX_CELLS: u32 = 40_000;

/// Clamps a pty size; 0 means "unknown" (`ssh -tt` without a local terminal). Beyond
/// [`MAX_CELLS`], columns give way first (prose is read at ≤ 100 columns anyway), down to 80.
pub fn clamp_size(cols: u32, rows: u32) -> (u16, u16) {
    let pick = |v: u32, default: u16, (lo, hi): (u16, u16)| {
        if v == 0 {
            default
        } else {
            v.clamp(u32::from(lo), u32::from(hi)) as u16
        }
    };
    let (mut c, mut r) = (
        pick(cols, DEFAULT_SIZE.0, COLS),
        pick(rows, DEFAULT_SIZE.1, ROWS),
    );
    if u32::from(c) * u32::from(r) > MAX_CELLS {
        c = c.min((MAX_CELLS / u32::from(r)).max(80) as u16);
        r = r.min((MAX_CELLS / u32::from(c)) as u16);
    }
    (c, r)
}

struct Handler {
    shared: Arc<Shared>,
    info: Info,
    permit: Arc<Permit>,
    /// The verified key, with `--authorized-keys`.
    key: Option<PublicKey>,
    /// The one session channel.
    channel: Option<ChannelId>,
    writer: Option<ChannelWriteHalf<Msg>>,
    pty: bool,
    start: Option<oneshot::Sender<Start>>,
    input: mpsc::Sender<Chunk>,
    size: watch::Sender<(u16, u16)>,
    closed: watch::Sender<bool>,
    bucket: Bucket,
    /// Input was dropped since the last chunk delivered.
    gap: bool,
}

impl Handler {
    fn ours(&self, channel: ChannelId) -> bool {
        self.channel == Some(channel)
    }

    fn started(&self) -> bool {
        self.start.is_none()
    }

    /// Open, every key gets in; with an allowlist, the listed ones.
    fn admitted(&self, key: &PublicKey) -> bool {
        self.shared
            .allowlist
            .as_ref()
            .is_none_or(|list| list.admits(key))
    }

    /// Any auth request means key exchange is over; the user name goes to the closing line.
    fn note_user(&self, user: &str) {
        let mut i = info(&self.info);
        i.user = Some(loggable(user.as_bytes()));
        i.handshake_done = true;
    }

    /// Remembers a refused key: if no other gets in, the closing line names it.
    fn note_rejected(&self, key: &PublicKey) {
        tracing::debug!(key = %key.fingerprint(HashAlg::Sha256), "key refused");
        info(&self.info).rejected_key = Some(key.fingerprint(HashAlg::Sha256).to_string());
    }

    /// Refuses a channel request with an explicit failure, so the client never hangs.
    fn refuse(
        &self,
        channel: ChannelId,
        session: &mut SshSession,
        what: &str,
    ) -> Result<(), russh::Error> {
        tracing::debug!(request = what, "refused");
        let refusal = match what {
            "exec" => Some(Refusal::Exec),
            "subsystem" => Some(Refusal::Subsystem),
            _ => None,
        };
        if refusal.is_some() && !self.started() {
            info(&self.info).refused = refusal;
        }
        session.channel_failure(channel)
    }

    /// Tells a client without a pty why, and ends the channel with exit status 1.
    fn refuse_shell(
        &mut self,
        channel: ChannelId,
        session: &mut SshSession,
    ) -> Result<(), russh::Error> {
        session.channel_success(channel)?;
        let text = format!("{}\r\n", sanitize::line(NEED_PTY));
        session.data(channel, text.into_bytes())?;
        session.exit_status_request(channel, 1)?;
        session.eof(channel)?;
        session.close(channel)?;
        info(&self.info).refused = Some(Refusal::ShellWithoutPty);
        if let Some(tx) = self.start.take() {
            let _ = tx.send(Start::Refused);
        }
        Ok(())
    }
}

/// Every channel type but `session` is refused the same way.
async fn reject_open(
    reply: russh::server::ChannelOpenHandle,
    what: &str,
) -> Result<(), russh::Error> {
    tracing::debug!(channel = what, "channel refused");
    reply
        .reject(ChannelOpenFailure::AdministrativelyProhibited)
        .await;
    Ok(())
}

impl russh::server::Handler for Handler {
    type Error = russh::Error;

    async fn auth_none(&mut self, user: &str) -> Result<Auth, Self::Error> {
        self.note_user(user);
        Ok(Auth::Reject {
            proceed_with_methods: Some(methods(self.shared.allowlist.is_some())),
            partial_success: false,
        })
    }

    /// Open server, client without keys: in, with no questions and state for the session.
    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        user: &str,
        _submethods: &str,
        _response: Option<russh::server::Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        self.note_user(user);
        Ok(if self.shared.allowlist.is_none() {
            Auth::Accept
        } else {
            Auth::reject()
        })
    }

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        self.note_user(user);
        Ok(if self.admitted(offer.public_key) {
            Auth::Accept
        } else {
            self.note_rejected(offer.public_key);
            Auth::reject()
        })
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        self.note_user(user);
        if !self.admitted(key.public_key) {
            self.note_rejected(key.public_key);
            return Ok(Auth::reject());
        }
        info(&self.info).key = Some(key.public_key.fingerprint(HashAlg::Sha256).to_string());
        self.key = Some(key.public_key.clone());
        Ok(Auth::Accept)
    }

    async fn auth_succeeded(&mut self, session: &mut SshSession) -> Result<(), Self::Error> {
        self.permit.authenticated();
        let mut i = info(&self.info);
        i.authenticated = true;
        i.client = Some(loggable(session.remote_sshid()));
        tracing::debug!(
            user = i.user.as_deref().unwrap_or("-"),
            key = i.key.as_deref().unwrap_or("-"),
            "authenticated"
        );
        Ok(())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        if self.channel.is_some() {
            return reject_open(reply, "second session").await;
        }
        self.channel = Some(channel.id());
        // Input arrives through `data` below; the read half would only buffer copies.
        let (_read, write) = channel.split();
        self.writer = Some(write);
        reply.accept().await;
        Ok(())
    }

    async fn channel_open_x11(
        &mut self,
        _channel: Channel<Msg>,
        _address: &str,
        _port: u32,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        reject_open(reply, "x11").await
    }

    async fn channel_open_direct_tcpip(
        &mut self,
        _channel: Channel<Msg>,
        _host: &str,
        _port: u32,
        _from: &str,
        _from_port: u32,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        reject_open(reply, "direct-tcpip").await
    }

    async fn channel_open_forwarded_tcpip(
        &mut self,
        _channel: Channel<Msg>,
        _host: &str,
        _port: u32,
        _from: &str,
        _from_port: u32,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        reject_open(reply, "forwarded-tcpip").await
    }

    async fn channel_open_direct_streamlocal(
        &mut self,
        _channel: Channel<Msg>,
        _path: &str,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        reject_open(reply, "direct-streamlocal").await
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        if !self.ours(channel) || self.pty || self.started() {
            return self.refuse(channel, session, "pty-req");
        }
        self.pty = true;
        let size = clamp_size(cols, rows);
        self.size.send_replace(size);
        let mut i = info(&self.info);
        i.term = Some(loggable(term.as_bytes()));
        i.size = Some(size);
        drop(i);
        session.channel_success(channel)
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        if !self.ours(channel) || !self.pty {
            return self.refuse(channel, session, "window-change");
        }
        let size = clamp_size(cols, rows);
        self.size.send_replace(size);
        info(&self.info).size = Some(size);
        session.channel_success(channel)
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        if !self.ours(channel) || self.started() {
            return self.refuse(channel, session, "shell");
        }
        if !self.pty {
            return self.refuse_shell(channel, session);
        }
        let (Some(writer), Some(tx)) = (self.writer.take(), self.start.take()) else {
            return self.refuse(channel, session, "shell");
        };
        session.channel_success(channel)?;
        // An earlier refused request does not describe how this connection ends.
        info(&self.info).refused = None;
        let start = ReaderStart {
            writer,
            key: self.key.clone(),
        };
        let _ = tx.send(Start::Reader(Box::new(start)));
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        self.refuse(channel, session, "exec")
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        self.refuse(channel, session, "subsystem")
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        _value: &str,
        session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        self.refuse(channel, session, "env")
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single: bool,
        _protocol: &str,
        _cookie: &str,
        _screen: u32,
        session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        self.refuse(channel, session, "x11-req")
    }

    /// russh sends the failure reply itself when this returns false.
    async fn agent_request(
        &mut self,
        _channel: ChannelId,
        _session: &mut SshSession,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    /// Global requests: russh replies with REQUEST_FAILURE when these return false.
    async fn tcpip_forward(
        &mut self,
        _address: &str,
        _port: &mut u32,
        _session: &mut SshSession,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn cancel_tcpip_forward(
        &mut self,
        _address: &str,
        _port: u32,
        _session: &mut SshSession,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn streamlocal_forward(
        &mut self,
        _path: &str,
        _session: &mut SshSession,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn cancel_streamlocal_forward(
        &mut self,
        _path: &str,
        _session: &mut SshSession,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        if !self.ours(channel) || !self.started() || data.is_empty() {
            return Ok(());
        }
        // Never wait here: this runs on the connection's SSH loop, and a blocked loop could
        // not send the frames the session is waiting to write. Excess input is dropped.
        if !self.bucket.take(data.len()) {
            self.gap = true;
            return Ok(());
        }
        let chunk = Chunk {
            bytes: data.to_vec(),
            gap: self.gap,
        };
        self.gap = self.input.try_send(chunk).is_err();
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut SshSession,
    ) -> Result<(), Self::Error> {
        if self.ours(channel) {
            self.closed.send_replace(true);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_clamped_and_zero_means_default() {
        assert_eq!(clamp_size(0, 0), (80, 24));
        assert_eq!(clamp_size(65535, 65535), (200, 200));
        assert_eq!(clamp_size(1, 1), (20, 5));
        assert_eq!(clamp_size(120, 40), (120, 40));
        assert_eq!(clamp_size(u32::MAX, 0), (500, 24));
        assert_eq!(clamp_size(500, 200), (200, 200));
        assert_eq!(clamp_size(300, 150), (266, 150));
        assert_eq!(clamp_size(100, 10_000), (100, 200));
        for (c, r) in [(500, 200), (499, 199), (81, 200), (500, 81), (333, 121)] {
            let (c, r) = clamp_size(c, r);
            assert!(u32::from(c) * u32::from(r) <= MAX_CELLS, "{c}x{r}");
        }
    }

    #[test]
    fn bucket_allows_bursts_then_the_rate() {
        let mut b = Bucket::new(100);
        assert!(b.take(400));
        assert!(!b.take(50));
    }
}

//! Shared by the SSH test files: an in-process server on 127.0.0.1:0, a russh client and a
//! `vt100` screen. Not every file uses every helper.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use careerhub::cli::ServeArgs;
use careerhub::content::load::source::Source;
use careerhub::content::{Index, LoadOptions, Loader};
use careerhub::term::ssh::{Server, ShutdownHandle, hostkey};
use russh::keys::{Algorithm, PrivateKey, PrivateKeyWithHashAlg};
use russh::{ChannelMsg, client};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout};

/// The embedded library, loaded once for the whole file (as the server does).
pub static LIBRARY: LazyLock<Arc<Index>> = LazyLock::new(|| {
    Arc::new(
        Loader::new(Source::Embedded, LoadOptions::default())
            .load()
            .expect("embedded library"),
    )
});

pub const WAIT: Duration = Duration::from_secs(10);

pub struct TestServer {
    pub addr: SocketAddr,
    pub shutdown: ShutdownHandle,
    pub task: tokio::task::JoinHandle<()>,
    pub _dir: tempfile::TempDir,
}

pub async fn start(flags: &[&str]) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = hostkey::load_or_create(&dir.path().join("host_key")).unwrap();
    let users = dir.path().join("users").to_string_lossy().into_owned();
    let mut words = vec!["--listen", "127.0.0.1:0"];
    // Per-key state goes to the test's own folder unless the test names one.
    if !flags.contains(&"--users-dir") {
        words.extend_from_slice(&["--users-dir", &users]);
    }
    // Every test connects from 127.0.0.1, many times: penalties only where a test asks.
    if !flags.contains(&"--penalties") {
        words.extend_from_slice(&["--penalties", "off"]);
    }
    words.extend_from_slice(flags);
    let args = ServeArgs::from_flags(words).unwrap().config();
    let server = Server::bind(LIBRARY.clone(), Source::Embedded, &args, key)
        .await
        .unwrap();
    let addr = server.local_addr().unwrap();
    let shutdown = server.shutdown_handle();
    let task = tokio::spawn(server.run());
    TestServer {
        addr,
        shutdown,
        task,
        _dir: dir,
    }
}

pub struct Client;

impl client::Handler for Client {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

pub async fn connect(addr: SocketAddr) -> client::Handle<Client> {
    connect_from(addr).await.0
}

/// Connects and also returns the client's own address (what the server logs as `peer`) and
/// a duplicate of the socket, to cut the connection the way a killed client does.
pub async fn connect_from(
    addr: SocketAddr,
) -> (client::Handle<Client>, SocketAddr, std::net::TcpStream) {
    let config = Arc::new(client::Config::default());
    let stream = TcpStream::connect(addr).await.expect("tcp connect");
    let local = stream.local_addr().unwrap();
    let std = stream.into_std().unwrap();
    let dup = std.try_clone().unwrap();
    let stream = TcpStream::from_std(std).unwrap();
    let handle = timeout(WAIT, client::connect_stream(config, stream, Client))
        .await
        .expect("connect in time")
        .expect("connect");
    (handle, local, dup)
}

pub async fn connect_open(addr: std::net::SocketAddr) -> client::Handle<Client> {
    let mut handle = connect(addr).await;
    login_without_key(&mut handle).await;
    handle
}

/// Logs in to an open server as a client without keys does (keyboard-interactive, no
/// questions asked).
pub async fn login_without_key(handle: &mut client::Handle<Client>) {
    let none = handle.authenticate_none("reader").await.unwrap();
    assert!(
        !none.success(),
        "`none` is refused so clients offer their keys"
    );
    let auth = handle
        .authenticate_keyboard_interactive_start("reader", None)
        .await
        .unwrap();
    assert!(
        matches!(auth, client::KeyboardInteractiveAuthResponse::Success),
        "open server admits a client without keys"
    );
}

/// A reader session as the client sees it.
pub struct Term {
    pub channel: russh::Channel<client::Msg>,
    pub screen: vt100::Parser,
    pub exit: Option<u32>,
    pub closed: bool,
    pub replies: Vec<bool>,
}

impl Term {
    pub async fn open(handle: &client::Handle<Client>, cols: u32, rows: u32) -> Term {
        let channel = handle.channel_open_session().await.unwrap();
        channel
            .request_pty(true, "xterm-256color", cols, rows, 0, 0, &[])
            .await
            .unwrap();
        channel.request_shell(true).await.unwrap();
        let (c, r) = (cols.clamp(20, 500) as u16, rows.clamp(5, 200) as u16);
        let (c, r) = if cols == 0 { (80, 24) } else { (c, r) };
        Term {
            channel,
            screen: vt100::Parser::new(r, c, 0),
            exit: None,
            closed: false,
            replies: Vec::new(),
        }
    }

    pub fn text(&self) -> String {
        self.screen.screen().contents()
    }

    pub async fn send(&self, bytes: &[u8]) {
        self.channel.data(bytes).await.unwrap();
    }

    /// Reads channel messages until `done` holds, or panics after the deadline.
    pub async fn until(&mut self, what: &str, done: impl Fn(&Term) -> bool) {
        let deadline = Instant::now() + WAIT;
        while !done(self) {
            let left = deadline.saturating_duration_since(Instant::now());
            match timeout(left, self.channel.wait()).await {
                Ok(Some(msg)) => self.handle(msg),
                Ok(None) => {
                    self.closed = true;
                    assert!(
                        done(self),
                        "channel ended before {what}; screen:\n{}",
                        self.text()
                    );
                    return;
                }
                Err(_) => panic!("timed out waiting for {what}; screen:\n{}", self.text()),
            }
        }
    }

    pub fn handle(&mut self, msg: ChannelMsg) {
        match msg {
            ChannelMsg::Data { data } => self.screen.process(&data),
            ChannelMsg::ExitStatus { exit_status } => self.exit = Some(exit_status),
            ChannelMsg::Close => self.closed = true,
            ChannelMsg::Success => self.replies.push(true),
            ChannelMsg::Failure => self.replies.push(false),
            _ => {}
        }
    }

    pub async fn shows(&mut self, text: &str) {
        self.until(&format!("`{text}` on screen"), |t| t.text().contains(text))
            .await;
    }

    pub async fn ends_with_status(&mut self, status: u32) {
        self.until("exit status and close", |t| t.exit.is_some() && t.closed)
            .await;
        assert_eq!(self.exit, Some(status));
    }
}

pub fn client_key() -> PrivateKey {
    PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).unwrap()
}

pub async fn auth_with(
    addr: std::net::SocketAddr,
    key: &PrivateKey,
) -> (client::Handle<Client>, bool) {
    let mut handle = connect(addr).await;
    let none = handle.authenticate_none("reader").await.unwrap();
    assert!(!none.success(), "`none` is never accepted");
    let key = PrivateKeyWithHashAlg::new(Arc::new(key.clone()), None);
    let ok = handle
        .authenticate_publickey("reader", key)
        .await
        .unwrap()
        .success();
    (handle, ok)
}

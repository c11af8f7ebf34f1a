//! Every connection to `careerhub serve` ends with exactly one `connection closed` log line
//! and a typed reason, whatever the client did: a bare TCP probe, a non-SSH client, `exec`,
//! sftp, a refused key, a killed client, a quit, the login timer, a shutdown. The server's log
//! is captured (each `#[tokio::test]` runs on one thread, so a thread-local subscriber sees
//! the whole server) and read line by line for the client's own address.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use careerhub::term::ssh::log::Captured;
use russh::keys::{HashAlg, PrivateKeyWithHashAlg};
use russh::{ChannelMsg, Disconnect};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tracing::subscriber::DefaultGuard;

mod ssh_support;
use ssh_support::*;

/// Captures the log of everything this test's runtime does.
fn capture() -> (Captured, DefaultGuard) {
    let out = Captured::default();
    let writer = out.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_env_filter("info,russh=off")
        .with_writer(move || writer.clone())
        .finish();
    (out, tracing::subscriber::set_default(subscriber))
}

/// The closing lines logged for connections from `peer`.
fn closing_lines(log: &Captured, peer: SocketAddr) -> Vec<String> {
    let needle = format!("peer={peer} ");
    log.text()
        .lines()
        .filter(|l| l.contains("connection closed") && l.contains(&needle))
        .map(str::to_string)
        .collect()
}

/// Waits for the closing line of `peer`, then a little more to catch a second one, and
/// returns the only line there is. Fails if there is none, more than one, or a panic.
async fn the_closing_line(log: &Captured, peer: SocketAddr) -> String {
    let deadline = Instant::now() + WAIT;
    while closing_lines(log, peer).is_empty() {
        assert!(
            Instant::now() < deadline,
            "no closing line for {peer}; log:\n{}",
            log.text()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The hang-up grace is 2 s: a second line would come within it.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let lines = closing_lines(log, peer);
    assert_eq!(lines.len(), 1, "one closing line for {peer}: {lines:#?}");
    assert!(!log.text().contains("internal error"), "{}", log.text());
    lines.into_iter().next().unwrap()
}

fn assert_reason(line: &str, reason: &str) {
    assert!(
        line.contains(&format!("reason=\"{reason}\""))
            || line.contains(&format!("reason={reason}")),
        "expected reason `{reason}` in: {line}"
    );
}

#[tokio::test]
async fn tcp_probes_each_get_one_closing_line() {
    let (log, _guard) = capture();
    let server = start(&[]).await;
    for _ in 0..20 {
        let stream = TcpStream::connect(server.addr).await.unwrap();
        let peer = stream.local_addr().unwrap();
        drop(stream);
        let line = the_closing_line(&log, peer).await;
        assert_reason(&line, "client left during the handshake");
    }
    server.shutdown.shutdown();
}

#[tokio::test]
async fn a_client_that_is_not_ssh_is_logged_as_a_failed_handshake() {
    let (log, _guard) = capture();
    let server = start(&[]).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let peer = stream.local_addr().unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(WAIT, stream.read_to_end(&mut buf)).await;
    let line = the_closing_line(&log, peer).await;
    assert!(
        line.contains("handshake failed") || line.contains("client left during the handshake"),
        "{line}"
    );
    server.shutdown.shutdown();
}

/// Opens a session channel on an authenticated connection.
async fn session(
    server: &TestServer,
) -> (
    russh::client::Handle<Client>,
    russh::Channel<russh::client::Msg>,
    SocketAddr,
) {
    let (mut handle, peer, _) = connect_from(server.addr).await;
    login_without_key(&mut handle).await;
    let channel = handle.channel_open_session().await.unwrap();
    (handle, channel, peer)
}

/// Waits for the reply to a request that wants one.
async fn reply(channel: &mut russh::Channel<russh::client::Msg>) -> bool {
    loop {
        match tokio::time::timeout(WAIT, channel.wait())
            .await
            .expect("a reply")
        {
            Some(ChannelMsg::Success) => return true,
            Some(ChannelMsg::Failure) => return false,
            Some(_) => {}
            None => panic!("channel closed without a reply"),
        }
    }
}

#[tokio::test]
async fn exec_and_sftp_are_refused_and_logged_as_such() {
    let (log, _guard) = capture();
    let server = start(&[]).await;
    for _ in 0..5 {
        let (handle, mut channel, peer) = session(&server).await;
        channel.exec(true, "id").await.unwrap();
        assert!(!reply(&mut channel).await, "exec refused");
        let _ = handle.disconnect(Disconnect::ByApplication, "", "en").await;
        drop(handle);
        let line = the_closing_line(&log, peer).await;
        assert_reason(&line, "exec refused");
    }
    for _ in 0..5 {
        let (handle, mut channel, peer) = session(&server).await;
        channel.request_subsystem(true, "sftp").await.unwrap();
        assert!(!reply(&mut channel).await, "sftp refused");
        // As OpenSSH's sftp does when refused: just drop the connection.
        drop(channel);
        drop(handle);
        let line = the_closing_line(&log, peer).await;
        assert_reason(&line, "subsystem refused");
    }
    server.shutdown.shutdown();
}

#[tokio::test]
async fn a_refused_key_is_named_in_the_closing_line() {
    let (log, _guard) = capture();
    let dir = tempfile::tempdir().unwrap();
    let (alice, mallory) = (client_key(), client_key());
    let file = dir.path().join("authorized_keys");
    std::fs::write(&file, alice.public_key().to_openssh().unwrap()).unwrap();
    let server = start(&["--authorized-keys", file.to_str().unwrap()]).await;
    let (mut handle, peer, _) = connect_from(server.addr).await;
    let key = PrivateKeyWithHashAlg::new(Arc::new(mallory.clone()), None);
    let auth = handle.authenticate_publickey("reader", key).await.unwrap();
    assert!(!auth.success());
    drop(handle);
    let line = the_closing_line(&log, peer).await;
    assert_reason(&line, "auth failed");
    let fingerprint = mallory
        .public_key()
        .fingerprint(HashAlg::Sha256)
        .to_string();
    assert!(line.contains(&fingerprint), "{line}");
    server.shutdown.shutdown();
}

#[tokio::test]
async fn a_killed_client_a_quit_and_a_shutdown_each_log_once() {
    let (log, _guard) = capture();
    let server = start(&[]).await;

    // Killed: the TCP connection goes away under a running reader.
    let (mut handle, peer, socket) = connect_from(server.addr).await;
    login_without_key(&mut handle).await;
    let mut term = Term::open(&handle, 80, 24).await;
    term.until("first frame", |t| !t.text().trim().is_empty())
        .await;
    socket.shutdown(std::net::Shutdown::Both).unwrap();
    let line = the_closing_line(&log, peer).await;
    assert_reason(&line, "client disconnected");

    // Quit.
    let (mut handle, peer, _socket) = connect_from(server.addr).await;
    login_without_key(&mut handle).await;
    let mut term = Term::open(&handle, 80, 24).await;
    term.until("first frame", |t| !t.text().trim().is_empty())
        .await;
    term.send(b"\x03").await;
    term.ends_with_status(0).await;
    let line = the_closing_line(&log, peer).await;
    assert_reason(&line, "user quit");
    assert!(line.contains("80x24"), "{line}");

    // Shutdown, with one reader open and one half-open TCP connection.
    let (mut handle, peer, _socket) = connect_from(server.addr).await;
    login_without_key(&mut handle).await;
    let mut term = Term::open(&handle, 80, 24).await;
    term.until("first frame", |t| !t.text().trim().is_empty())
        .await;
    let probe = TcpStream::connect(server.addr).await.unwrap();
    let probe_peer = probe.local_addr().unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    server.shutdown.shutdown();
    term.ends_with_status(0).await;
    assert_reason(&the_closing_line(&log, peer).await, "server shutdown");
    assert_reason(&the_closing_line(&log, probe_peer).await, "server shutdown");
    drop(probe);
}

#[tokio::test]
async fn the_login_timer_is_a_reason_of_its_own() {
    let (log, _guard) = capture();
    let server = start(&["--login-grace", "300ms"]).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let peer = stream.local_addr().unwrap();
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(WAIT, stream.read_to_end(&mut buf)).await;
    let line = the_closing_line(&log, peer).await;
    assert_reason(&line, "login grace expired");
    server.shutdown.shutdown();
}

/// Connects offering only these key exchanges.
async fn connect_with_kex(
    addr: SocketAddr,
    kex: &'static [russh::kex::Name],
) -> Result<russh::client::Handle<Client>, russh::Error> {
    let config = russh::client::Config {
        preferred: russh::Preferred {
            kex: std::borrow::Cow::Borrowed(kex),
            ..Default::default()
        },
        ..Default::default()
    };
    tokio::time::timeout(WAIT, russh::client::connect(Arc::new(config), addr, Client))
        .await
        .expect("an answer in time")
}

#[tokio::test]
async fn only_cheap_key_exchanges_are_offered() {
    let (_log, _guard) = capture();
    let server = start(&[]).await;
    for expensive in [
        russh::kex::DH_G18_SHA512,
        russh::kex::DH_G16_SHA512,
        russh::kex::DH_G14_SHA256,
        russh::kex::DH_GEX_SHA256,
    ] {
        let only: &'static [russh::kex::Name] = Box::leak(Box::new([expensive]));
        assert!(
            connect_with_kex(server.addr, only).await.is_err(),
            "{expensive:?} must not be offered"
        );
    }
    for cheap in [russh::kex::CURVE25519, russh::kex::MLKEM768X25519_SHA256] {
        let only: &'static [russh::kex::Name] = Box::leak(Box::new([cheap]));
        let mut handle = connect_with_kex(server.addr, only)
            .await
            .expect("cheap kex");
        login_without_key(&mut handle).await;
    }
    server.shutdown.shutdown();
}

#[tokio::test]
async fn a_handshake_loop_from_one_address_is_penalized() {
    let (log, _guard) = capture();
    let server = start(&["--penalties", "noauth:5s,min:10s"]).await;
    // Three connections that never log in: 15 s of penalty, over the 10 s threshold.
    for _ in 0..3 {
        let stream = TcpStream::connect(server.addr).await.unwrap();
        let peer = stream.local_addr().unwrap();
        drop(stream);
        the_closing_line(&log, peer).await;
    }
    let mut next = TcpStream::connect(server.addr).await.unwrap();
    next.write_all(b"SSH-2.0-probe\r\n").await.unwrap();
    let mut got = Vec::new();
    let _ = tokio::time::timeout(WAIT, next.read_to_end(&mut got)).await;
    let text = String::from_utf8_lossy(&got);
    assert!(text.contains("too many failed connections"), "{text:?}");
    assert!(log.text().contains("address penalized"), "{}", log.text());
    server.shutdown.shutdown();
}

/// Connects through a pretend balancer: a PROXY v2 header naming `client`, then SSH.
async fn connect_proxied(
    addr: SocketAddr,
    client: SocketAddr,
) -> Result<russh::client::Handle<Client>, russh::Error> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let (SocketAddr::V4(src), SocketAddr::V4(dst)) = (client, addr) else {
        unreachable!("IPv4 in this test")
    };
    let header = ppp::v2::Builder::with_addresses(
        ppp::v2::Version::Two | ppp::v2::Command::Proxy,
        ppp::v2::Protocol::Stream,
        ppp::v2::IPv4::new(*src.ip(), *dst.ip(), src.port(), dst.port()),
    )
    .build()
    .unwrap();
    stream.write_all(&header).await.unwrap();
    let config = Arc::new(russh::client::Config::default());
    tokio::time::timeout(WAIT, russh::client::connect_stream(config, stream, Client))
        .await
        .expect("an answer in time")
}

#[tokio::test]
async fn behind_a_balancer_limits_and_logs_use_the_proxy_header() {
    let (log, _guard) = capture();
    let server = start(&["--proxy-from", "127.0.0.0/8", "--max-per-ip", "1"]).await;
    let alice: SocketAddr = "203.0.113.5:4444".parse().unwrap();
    let bob: SocketAddr = "198.51.100.6:5555".parse().unwrap();

    // Two clients through the same balancer: both in, though the cap is one per address.
    let mut a = connect_proxied(server.addr, alice).await.expect("alice");
    login_without_key(&mut a).await;
    let mut b = connect_proxied(server.addr, bob).await.expect("bob");
    login_without_key(&mut b).await;
    // A second connection from alice's address is over her cap.
    let again: SocketAddr = "203.0.113.5:4445".parse().unwrap();
    assert!(connect_proxied(server.addr, again).await.is_err());
    drop(a);
    let line = the_closing_line(&log, alice).await;
    assert_reason(&line, "client disconnected before the reader started");
    assert!(
        log.text().contains("peer=203.0.113.5:4445"),
        "{}",
        log.text()
    );

    // From a --proxy-from address, a connection without the header is refused.
    let mut plain = TcpStream::connect(server.addr).await.unwrap();
    let peer = plain.local_addr().unwrap();
    plain.write_all(b"SSH-2.0-OpenSSH_9.2\r\n").await.unwrap();
    let mut sink = Vec::new();
    let _ = tokio::time::timeout(WAIT, plain.read_to_end(&mut sink)).await;
    assert_reason(&the_closing_line(&log, peer).await, "bad PROXY header");
    drop(b);
    server.shutdown.shutdown();
}

#[tokio::test]
async fn a_proxy_header_from_anywhere_else_is_not_believed() {
    let (log, _guard) = capture();
    // 192.0.2.1 is the balancer; this client (127.0.0.1) is not it.
    let server = start(&["--proxy-from", "192.0.2.1"]).await;
    let claimed: SocketAddr = "203.0.113.5:4444".parse().unwrap();
    assert!(connect_proxied(server.addr, claimed).await.is_err());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let text = log.text();
    assert!(!text.contains("peer=203.0.113.5"), "{text}");
    assert!(text.contains("handshake failed"), "{text}");
    server.shutdown.shutdown();
}

#[tokio::test]
async fn a_flood_of_silent_sockets_writes_a_bounded_log() {
    let (log, _guard) = capture();
    let server = start(&["--max-per-ip", "8", "--login-grace", "300ms"]).await;
    let mut held = Vec::new();
    for _ in 0..300 {
        if let Ok(s) = TcpStream::connect(server.addr).await {
            held.push(s);
        }
    }
    // Every admitted socket times out; the refused ones are summarised, not logged one by one.
    tokio::time::sleep(Duration::from_millis(800)).await;
    drop(held);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let text = log.text();
    let closed = text
        .lines()
        .filter(|l| l.contains("connection closed"))
        .count();
    let refused = text.lines().filter(|l| l.contains("refused")).count();
    assert!(closed <= 8 + 8, "{closed} closing lines:\n{text}");
    assert_eq!(
        refused, 1,
        "one refusal line, then a summary per interval:\n{text}"
    );
    server.shutdown.shutdown();
}

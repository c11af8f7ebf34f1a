//! `careerhub serve` as a process, with its stderr a pipe whose reader goes away (a crashed
//! log shipper): logging must never block, panic or stop shutdown.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the server if the test fails before it stops it.
struct Reap(std::process::Child);

impl Drop for Reap {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Sends a signal the way an init system or a closing terminal does.
fn signal(pid: u32, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

#[test]
fn a_dead_log_reader_neither_crashes_nor_wedges_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_careerhub"))
        .args(["serve", "--listen", "127.0.0.1:0", "--max-per-ip", "1"])
        .arg("--host-key")
        .arg(dir.path().join("host_key"))
        .env("HOME", dir.path())
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut child = Reap(child);
    let child = &mut child.0;
    let mut log = BufReader::new(child.stderr.take().unwrap());
    let mut addr: Option<SocketAddr> = None;
    let mut line = String::new();
    while addr.is_none() {
        line.clear();
        assert!(log.read_line(&mut line).unwrap() > 0, "server exited early");
        addr = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("addr="))
            .and_then(|a| a.parse().ok());
    }
    let addr = addr.unwrap();
    // The log reader dies: every later write to stderr fails with EPIPE.
    drop(log);

    // One connection held, then refusals over the per-address cap (each one logged or
    // counted), then a probe that is admitted and ends (a closing line).
    let mut held = TcpStream::connect(addr).unwrap();
    let mut banner = [0u8; 8];
    held.read_exact(&mut banner).unwrap();
    for _ in 0..20 {
        let mut extra = TcpStream::connect(addr).unwrap();
        let _ = extra.write_all(b"SSH-2.0-probe\r\n");
        let mut sink = Vec::new();
        let _ = extra.set_read_timeout(Some(Duration::from_secs(5)));
        let _ = extra.read_to_end(&mut sink);
    }
    drop(held);
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the server survives logging into a dead pipe"
    );

    // SIGHUP (the terminal it was started from closed) is not the end of it.
    signal(child.id(), "HUP");
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "SIGHUP is ignored");
    assert!(TcpStream::connect(addr).is_ok(), "still accepting");

    // SIGTERM still stops it, promptly and cleanly.
    let asked = Instant::now();
    signal(child.id(), "TERM");
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            asked.elapsed() < Duration::from_secs(10),
            "SIGTERM ignored with a dead log reader"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(status.code(), Some(0), "clean exit, not a panic");
}

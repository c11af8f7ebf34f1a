//! Load bench for `careerhub serve`: 200 concurrent SSH sessions that type.
//!
//! Reports the server's RSS per session and p50/p99 keystroke → frame latency. The server runs
//! in this process (so `/proc/self/status` is the server's memory); the clients run in a child
//! process (this same binary, started with `CAREERHUB_BENCH_CLIENT`), so their memory does not
//! count. Run with `cargo bench --bench ssh_load`; `SESSIONS=50` and `KEYS=40` change the load,
//! `SESSIONS=200,500,1000` runs each size in a fresh server process, one after the other.
//!
//! The profile printed with the figures comes from `/proc`: CPU time of the server's threads
//! by name (tokio runtime workers: SSH, input, drawing; `careerhub-wk*`, the worker pool: search, documents,
//! saving) and of the client process, over the typing phase, and the server's thread count.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use careerhub::cli::ServeArgs;
use careerhub::content::load::source::Source;
use careerhub::content::{LoadOptions, Loader};
use careerhub::term::ssh::{Server, hostkey};
use russh::{ChannelMsg, client};

const CLIENT_ENV: &str = "CAREERHUB_BENCH_CLIENT";

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    raise_fd_limit();
    if let Ok(list) = std::env::var("SESSIONS")
        && list.contains(',')
        && std::env::var(CLIENT_ENV).is_err()
    {
        for n in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            println!("---- {n} sessions");
            let status = Command::new(std::env::current_exe().expect("exe"))
                .env("SESSIONS", n)
                .status()
                .expect("bench run");
            assert!(status.success(), "run with {n} sessions failed");
        }
        return;
    }
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    match std::env::var(CLIENT_ENV) {
        Ok(addr) => runtime.block_on(clients(addr.parse().expect("address"))),
        Err(_) => runtime.block_on(server()),
    }
}

/// Each session holds two descriptors in the server and one in the client: 1,000 sessions
/// need more than the usual soft limit of 1,024.
fn raise_fd_limit() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// CPU seconds (user + system) of each of this process's threads, summed by thread name.
fn thread_cpu() -> std::collections::BTreeMap<String, (usize, f64)> {
    let mut by_name = std::collections::BTreeMap::new();
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return by_name;
    };
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        if let Some((name, secs)) = parse_stat(&stat) {
            let entry = by_name.entry(name).or_insert((0, 0.0));
            entry.0 += 1;
            entry.1 += secs;
        }
    }
    by_name
}

/// The name and CPU seconds in a `/proc/.../stat` line (clock ticks of 1/100 s).
fn parse_stat(stat: &str) -> Option<(String, f64)> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let name = stat[open + 1..close].to_string();
    let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
    // After the name: state is field 3, utime 14 and stime 15 (1-based, whole line).
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((name, (utime + stime) / 100.0))
}

fn process_cpu(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| parse_stat(&s))
        .map_or(0.0, |(_, secs)| secs)
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

async fn server() {
    let sessions = env_number("SESSIONS", 200);
    let dir = tempfile::tempdir().expect("tempdir");
    let (key, _) = hostkey::load_or_create(&dir.path().join("host_key")).expect("host key");
    let library = Arc::new(
        Loader::new(Source::Embedded, LoadOptions::default())
            .load()
            .unwrap(),
    );
    let cap = (sessions * 2).to_string();
    // Every client comes from 127.0.0.1, and one source may hold an eighth of the logins in
    // progress: make room for all of them at once.
    let unauthenticated = (sessions * 8).to_string();
    let args = ServeArgs::from_flags([
        "--listen",
        "127.0.0.1:0",
        "--max-connections",
        &cap,
        "--max-per-ip",
        &cap,
        "--max-unauthenticated",
        &unauthenticated,
        "--penalties",
        "off",
    ])
    .expect("flags")
    .config();
    let server = Server::bind(library, Source::Embedded, &args, key)
        .await
        .expect("bind");
    let addr = server.local_addr().expect("addr");
    let shutdown = server.shutdown_handle();
    let task = tokio::spawn(server.run());
    let before = rss_kib();

    let mut child = Command::new(std::env::current_exe().expect("exe"))
        .env(CLIENT_ENV, addr.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("client process");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut first_frames = Vec::new();
    let mut latencies = Vec::new();
    let mut rss_open = 0;
    let mut threads_open = 0;
    let child_pid = child.id();
    let mut cpu_start = (thread_cpu(), 0.0, Instant::now());
    // Blocking reads are fine here: the server runs on the runtime's other threads.
    let report = tokio::task::block_in_place(|| {
        for line in lines.by_ref() {
            let line = line.expect("client output");
            if let Some(v) = line.strip_prefix("first ") {
                first_frames.push(v.parse::<f64>().unwrap());
            } else if let Some(v) = line.strip_prefix("key ") {
                latencies.push(v.parse::<f64>().unwrap());
            } else if line == "open" {
                rss_open = rss_kib();
                threads_open = thread_cpu().values().map(|(n, _)| n).sum::<usize>();
                cpu_start = (thread_cpu(), process_cpu(child_pid), Instant::now());
                writeln!(stdin, "type").expect("tell client");
            } else if line == "done" {
                break;
            }
        }
        let cpu_end = (thread_cpu(), process_cpu(child_pid), Instant::now());
        (child.wait(), cpu_end)
    });
    let (report, cpu_end) = report;
    report.expect("client exit");
    let rss_after = rss_kib();
    shutdown.shutdown();
    let _ = tokio::time::timeout(Duration::from_secs(10), task).await;

    let per_session = (rss_open.saturating_sub(before)) as f64 / 1024.0 / sessions as f64;
    println!("sessions:                 {sessions} (all open at once, each typing)");
    println!(
        "server RSS:               {:.1} MB before, {:.1} MB with all open, {:.1} MB after they quit",
        before as f64 / 1024.0,
        rss_open as f64 / 1024.0,
        rss_after as f64 / 1024.0
    );
    println!("RSS per session:          {per_session:.2} MB");
    println!(
        "first frame (ms):         p50 {:.1}  p99 {:.1}",
        percentile(&mut first_frames, 0.5),
        percentile(&mut first_frames, 0.99)
    );
    println!(
        "keystroke -> frame (ms):  p50 {:.2}  p99 {:.2}  ({} keys)",
        percentile(&mut latencies, 0.5),
        percentile(&mut latencies, 0.99),
        latencies.len()
    );
    let wall = cpu_end.2.duration_since(cpu_start.2).as_secs_f64();
    println!("server threads:           {threads_open} with all open");
    println!("typing phase:             {wall:.1} s wall; CPU seconds by thread (count):");
    for (name, (count, secs)) in &cpu_end.0 {
        let before = cpu_start.0.get(name).map_or(0.0, |(_, s)| *s);
        if secs - before >= 0.01 {
            println!("    {name:<24} {:>6.2} s  ({count})", secs - before);
        }
    }
    let server: f64 = cpu_end.0.values().map(|(_, s)| s).sum::<f64>()
        - cpu_start.0.values().map(|(_, s)| s).sum::<f64>();
    println!(
        "    server total             {server:>6.2} s  ({:.0}% of 2 cores), {:.0} µs a keystroke",
        server / wall / 2.0 * 100.0,
        server * 1e6 / latencies.len().max(1) as f64
    );
    println!(
        "    client process           {:>6.2} s",
        cpu_end.1 - cpu_start.1
    );
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let i = ((values.len() - 1) as f64 * p).round() as usize;
    values[i]
}

struct Client;

impl client::Handler for Client {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// Child process: opens every session, waits for "type", then types and reports.
async fn clients(addr: std::net::SocketAddr) {
    let sessions = env_number("SESSIONS", 200);
    let keys = env_number("KEYS", 20);
    let config = Arc::new(client::Config::default());
    let (go_tx, _) = tokio::sync::broadcast::channel::<()>(1);
    let (out_tx, mut out_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let mut tasks = Vec::new();
    let (open_tx, mut open_rx) = tokio::sync::mpsc::channel::<()>(sessions);
    for _ in 0..sessions {
        let (config, out, open) = (config.clone(), out_tx.clone(), open_tx.clone());
        let mut go = go_tx.subscribe();
        tasks.push(tokio::spawn(async move {
            let mut s = Session::open(config, addr).await;
            let _ = out.send(format!("first {:.3}", s.first_ms));
            let _ = open.send(()).await;
            let _ = go.recv().await;
            for i in 0..keys {
                let key: &[u8] = if i % 2 == 0 { b"j" } else { b"k" };
                let ms = s.keystroke(key).await;
                let _ = out.send(format!("key {ms:.3}"));
                // A fast typist: about 30 keys a second.
                tokio::time::sleep(Duration::from_millis(30)).await;
            }
            s.quit().await;
        }));
    }
    drop(out_tx);
    for _ in 0..sessions {
        open_rx.recv().await.expect("session open");
    }
    let printer = tokio::spawn(async move {
        let mut stdout = std::io::stdout();
        while let Some(line) = out_rx.recv().await {
            let _ = writeln!(stdout, "{line}");
        }
    });
    println!("open");
    let mut line = String::new();
    tokio::task::block_in_place(|| std::io::stdin().read_line(&mut line)).expect("go");
    let _ = go_tx.send(());
    for t in tasks {
        t.await.expect("session task");
    }
    printer.await.expect("printer");
    println!("done");
}

struct Session {
    _handle: client::Handle<Client>,
    channel: russh::Channel<client::Msg>,
    first_ms: f64,
}

impl Session {
    async fn open(config: Arc<client::Config>, addr: std::net::SocketAddr) -> Session {
        let mut handle = client::connect(config, addr, Client)
            .await
            .expect("connect");
        // A client without keys, as most load clients are: keyboard-interactive, no prompts.
        let auth = handle
            .authenticate_keyboard_interactive_start("bench", None)
            .await
            .expect("auth");
        assert!(matches!(
            auth,
            client::KeyboardInteractiveAuthResponse::Success
        ));
        let channel = handle.channel_open_session().await.expect("channel");
        channel
            .request_pty(false, "xterm", 100, 30, 0, 0, &[])
            .await
            .expect("pty");
        let start = Instant::now();
        channel.request_shell(false).await.expect("shell");
        let mut s = Session {
            _handle: handle,
            channel,
            first_ms: 0.0,
        };
        s.next_frame().await;
        s.first_ms = start.elapsed().as_secs_f64() * 1000.0;
        // The first frame may span several packets: take them all before timing keys.
        while tokio::time::timeout(Duration::from_millis(100), s.next_frame())
            .await
            .is_ok()
        {}
        s
    }

    /// Waits for the next data message (one frame, or its first packet).
    async fn next_frame(&mut self) {
        loop {
            match self.channel.wait().await {
                Some(ChannelMsg::Data { .. }) => return,
                Some(_) => {}
                None => panic!("channel closed"),
            }
        }
    }

    async fn keystroke(&mut self, key: &[u8]) -> f64 {
        let start = Instant::now();
        self.channel.data(key).await.expect("send");
        self.next_frame().await;
        start.elapsed().as_secs_f64() * 1000.0
    }

    async fn quit(mut self) {
        let _ = self.channel.data(&b"\x03"[..]).await;
        while let Some(msg) = self.channel.wait().await {
            if matches!(msg, ChannelMsg::Close) {
                break;
            }
        }
    }
}

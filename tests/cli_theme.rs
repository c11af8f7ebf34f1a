//! `careerhub read` on a terminal prints in the colours of the theme asked for, given after
//! `read` or before it: the real binary in a pseudo-terminal (through a pipe it prints no
//! colours at all, see `tests/cli.rs`).

use std::io::Read;
use std::time::{Duration, Instant};

use careerhub::app::{AppOptions, Theme};
use careerhub::cli::article_header;
use careerhub::content::load::source::Source;
use careerhub::content::render::layout;
use careerhub::content::{LoadOptions, Loader};
use careerhub::ui::theme::{Styles, sgr};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const TIMEOUT: Duration = Duration::from_secs(20);

const ARTICLE: &str = "---\ntitle: Planning a Week of Applications\nslug: week-plan\npubDate: 2025-03-04\ncategory: finding-a-job\ntags:\n  role: [general]\n---\n<h2>Monday</h2>\n<p>Pick five openings and read each posting twice.</p>\n";

/// Everything `careerhub ARGS` wrote to a 100×30 pseudo-terminal until it exited.
fn on_a_terminal(args: &[&str]) -> String {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open pty");
    let home = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_careerhub"));
    cmd.args(args);
    cmd.env("HOME", home.path());
    cmd.env("XDG_CACHE_HOME", home.path().join("cache"));
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("NO_COLOR");
    let mut child = pair.slave.spawn_command(cmd).expect("spawn careerhub");
    // Only the child holds the terminal now: the reader sees the end when it exits.
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut out = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        let _ = tx.send(out);
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("careerhub {args:?} did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "careerhub {args:?}: {status:?}");
    let out = rx.recv_timeout(TIMEOUT).expect("output read to the end");
    String::from_utf8(out).unwrap().replace("\r\n", "\n")
}

/// The title line as the reader styles it in `theme`.
fn styled_title(dir: &std::path::Path, theme: Theme) -> String {
    let lib = Loader::new(Source::Dir(dir.to_path_buf()), LoadOptions::default())
        .load()
        .unwrap();
    let article = lib.by_slug("week-plan").unwrap();
    let header = layout::layout(&article_header(article), 80);
    let styles = Styles::new(&AppOptions {
        theme,
        color: true,
        ..AppOptions::default()
    });
    header.lines[0]
        .spans
        .iter()
        .map(|span| sgr(&span.text, styles.span(span.style)))
        .collect()
}

#[test]
fn read_on_a_terminal_prints_in_the_theme_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("week-plan.md"), ARTICLE).unwrap();
    let content = dir.path().to_str().unwrap();
    let light = styled_title(dir.path(), Theme::Light);
    let dark = styled_title(dir.path(), Theme::Dark);
    assert!(light.contains("\u{1b}["), "the title is styled: {light:?}");
    assert_ne!(light, dark, "the themes differ in the title's colour");

    let read = |args: &[&str]| {
        let mut all = vec!["--content", content];
        all.extend_from_slice(args);
        on_a_terminal(&all)
    };
    for (args, title) in [
        (&["read", "week-plan", "--width", "80"][..], &dark),
        (
            &["read", "week-plan", "--width", "80", "--theme", "dark"],
            &dark,
        ),
        (
            &["read", "week-plan", "--width", "80", "--theme", "light"],
            &light,
        ),
        (
            &["--theme", "light", "read", "week-plan", "--width", "80"],
            &light,
        ),
        // Given in both places, the one after `read` is the one meant for it.
        (
            &["--theme", "dark", "read", "week-plan", "--theme", "light"],
            &light,
        ),
    ] {
        let out = read(args);
        let first = out.lines().next().unwrap_or_default();
        assert_eq!(first, title.as_str(), "{args:?}:\n{out}");
        assert!(out.contains("Pick five openings"), "{args:?}:\n{out}");
    }
}

//! The real binary in a pseudo-terminal: type, read, follow, go back, quit; and check that the
//! terminal is restored afterwards (alternate screen left, cursor shown, raw mode off).

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::sys::termios::LocalFlags;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const COLS: u16 = 120;
const ROWS: u16 = 36;
const TIMEOUT: Duration = Duration::from_secs(20);

/// A running `careerhub` in a pty, with a vt100 screen fed by a reader thread.
struct Tui {
    pair: portable_pty::PtyPair,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    _home: tempfile::TempDir,
}

impl Tui {
    fn start(args: &[&str]) -> Tui {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open pty");
        let home = tempfile::tempdir().unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_careerhub"));
        cmd.args(args);
        cmd.env("HOME", home.path());
        cmd.env("XDG_DATA_HOME", home.path().join("data"));
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).expect("spawn careerhub");
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (s, r) = (screen.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Tui {
            pair,
            child,
            writer,
            screen,
            raw,
            _home: home,
        }
    }

    fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, needle: &str) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if self.text().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {needle:?}; screen:\n{}", self.text());
    }

    fn wait_until_gone(&self, needle: &str) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if !self.text().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "timed out waiting for {needle:?} to go; screen:\n{}",
            self.text()
        );
    }

    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("careerhub did not exit; screen:\n{}", self.text());
    }

    /// Checks that the app left the terminal as it found it.
    fn assert_restored(&self) {
        // Give the reader thread a moment to drain the last bytes.
        std::thread::sleep(Duration::from_millis(200));
        let raw = String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned();
        let tail = &raw[raw
            .rfind("\x1b[?1049h")
            .expect("entered the alternate screen")..];
        assert!(tail.contains("\x1b[?1049l"), "left the alternate screen");
        assert!(tail.contains("\x1b[?25h"), "showed the cursor");
        let screen = self.screen.lock().unwrap();
        assert!(!screen.screen().alternate_screen());
        assert!(!screen.screen().hide_cursor());
        let termios = self.pair.master.get_termios().expect("termios");
        assert!(
            termios
                .local_flags
                .contains(LocalFlags::ICANON | LocalFlags::ECHO),
            "raw mode is off"
        );
    }
}

#[test]
fn search_open_follow_related_back_and_quit() {
    let mut tui = Tui::start(&[]);
    tui.wait_for("Networking Messages That Get Replies");
    tui.send("/");
    tui.send("folow up email");
    tui.wait_for("folow up email");
    tui.wait_until_gone("Networking Messages That Get Replies");
    tui.send("\r");
    tui.wait_for("When to send what");
    // The related panel lists the article's own related articles first.
    tui.send("r");
    tui.wait_for("links here");
    tui.send("\r");
    tui.wait_until_gone("When to send what");
    let related_screen = tui.text();
    // Back returns to the first article.
    tui.send("\x7f");
    tui.wait_for("When to send what");
    assert_ne!(related_screen, tui.text());
    tui.send("q");
    tui.wait_for("folow up email");
    tui.send("q");
    let status = tui.wait_exit();
    assert!(status.success(), "{status:?}");
    tui.assert_restored();
}

#[test]
fn a_click_selects_an_article_and_a_second_click_opens_it() {
    let mut tui = Tui::start(&[]);
    tui.wait_for("Networking Messages That Get Replies");
    let title = "Switching Careers into Business";
    // The first frame may still be arriving (the body index is built beside it).
    tui.wait_for(title);
    // Where the list drew the title: a 1-based cell for the SGR mouse report.
    let (row, column) = {
        let parser = tui.screen.lock().unwrap();
        let rows: Vec<String> = parser.screen().rows(0, COLS).collect();
        let row = rows
            .iter()
            .position(|r| r.contains(title))
            .expect("title on screen");
        let column = rows[row][..rows[row].find(title).unwrap()].chars().count();
        (row + 1, column + 2)
    };
    // Only the list shows it before the click; once selected, the preview shows it too.
    let shown = |tui: &Tui| tui.text().matches(title).count();
    assert_eq!(shown(&tui), 1);
    let click = format!("\x1b[<0;{column};{row}M\x1b[<0;{column};{row}m");
    tui.send(&click);
    let start = Instant::now();
    while shown(&tui) < 2 {
        assert!(
            start.elapsed() < TIMEOUT,
            "not selected; screen:\n{}",
            tui.text()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    tui.send(&click);
    tui.wait_for("Business analysis is one of the most common second careers");
    tui.send("q");
    tui.wait_for("Networking Messages That Get Re");
    tui.send("q");
    assert!(tui.wait_exit().success());
    tui.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut tui = Tui::start(&[]);
    tui.wait_for("Networking Messages That Get Replies");
    let pid = tui.child.process_id().expect("pid");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    tui.wait_exit();
    tui.assert_restored();
}

#[test]
fn ctrl_c_quits_from_the_search_line() {
    let mut tui = Tui::start(&[]);
    tui.wait_for("Networking Messages That Get Replies");
    tui.send("/abc");
    tui.send("\x03");
    assert!(tui.wait_exit().success());
    tui.assert_restored();
}

#[test]
fn resize_reflows_at_once() {
    let mut tui = Tui::start(&[]);
    tui.wait_for("Networking Messages That Get Replies");
    // Resize the screen model first, so every byte drawn after the resize is read at the new
    // size (the other order races with the reader thread).
    tui.screen.lock().unwrap().screen_mut().set_size(8, 30);
    tui.pair
        .master
        .resize(PtySize {
            rows: 8,
            cols: 30,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    tui.wait_for("too small");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

/// A folder with a hub article whose 15 links lead to 15 other articles.
fn many_links_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen",
    ];
    let mut links = String::new();
    for (i, name) in names.iter().enumerate() {
        let slug = format!("step-{name}");
        std::fs::write(
            dir.path().join(format!("{slug}.md")),
            format!(
                "---\ntitle: \"Step {name} of the plan\"\nslug: {slug}\ncanonical: https://careerhub.example/blog/{slug}\npubDate: 2025-01-{:02}\ncategory: job-search\n---\n<p>This is step {name}.</p>\n",
                i + 1
            ),
        )
        .unwrap();
        links.push_str(&format!(
            "<li><a href=\"https://careerhub.example/blog/{slug}\">Step {name}</a></li>"
        ));
    }
    std::fs::write(
        dir.path().join("hub.md"),
        format!(
            "---\ntitle: \"The whole plan\"\nslug: hub\npubDate: 2025-02-01\ncategory: job-search\n---\n<p>Fifteen steps.</p><ul>{links}</ul>\n"
        ),
    )
    .unwrap();
    dir
}

#[test]
fn link_twelve_is_followed_by_typing_1_then_2() {
    let folder = many_links_folder();
    let mut tui = Tui::start(&["--content", folder.path().to_str().unwrap()]);
    tui.wait_for("The whole plan");
    tui.send("\r");
    tui.wait_for("Fifteen steps");
    tui.send("1");
    tui.wait_for("link 1_");
    tui.send("2");
    tui.wait_for("This is step twelve");
    tui.send("q");
    tui.send("\x03");
    tui.wait_exit();
    tui.assert_restored();
}

/// A first start reads the bodies' links beside the first frame: the preview's backlink
/// count appears once they are read, without a key.
#[test]
fn backlinks_appear_on_a_first_start_without_a_key() {
    let folder = many_links_folder();
    let mut tui = Tui::start(&["--content", folder.path().to_str().unwrap()]);
    tui.wait_for("The whole plan");
    // Newest first: the hub, then step fifteen, which the hub links to.
    tui.send("j");
    tui.wait_for("2025-01-15 · job-search");
    tui.wait_for("linked from 1 article");
    tui.send("\x03");
    tui.wait_exit();
    tui.assert_restored();
}

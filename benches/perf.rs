//! careerhub's performance figures: `cargo bench --bench perf` prints the table that
//! README.md's performance section quotes. A bench binary, not criterion: each figure is a
//! median or p99 over repeated runs of the real code paths, on deterministic synthetic
//! libraries (`careerhub::content::synth`).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use careerhub::app::{Action, App, AppOptions, Saved, update_now};
use careerhub::content::load::parse;
use careerhub::content::load::source::Source;
use careerhub::content::render::{document, layout};
use careerhub::content::search::{Query, Searcher};
use careerhub::content::{Index, LoadOptions, Loader, synth};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const QUERY: &str = "remote job";

/// The bench's own cache folder, away from the user's; child processes get it through
/// `XDG_CACHE_HOME`.
fn bench_cache() -> PathBuf {
    std::env::temp_dir().join("careerhub-bench/cache")
}

/// Loads a folder as the binary does, with the bench's cache folder.
fn load_dir(dir: &Path) -> Index {
    Loader::new(Source::Dir(dir.to_path_buf()), LoadOptions::default())
        .with_cache_dir(Some(bench_cache()))
        .load()
        .unwrap()
}

fn main() {
    let work = std::env::temp_dir().join("careerhub-bench");
    std::fs::create_dir_all(&work).unwrap();
    // Keep the index cache of the bench away from the user's.
    let cache = bench_cache();
    println!("| measure | size | figure |\n|---|---|---|");
    // Processes first, while this one is small: spawning from a process holding a big
    // library costs tens of milliseconds of page-table copying that are not careerhub's.
    startup_rows(&work, &cache);
    fzf_rows(&work);
    for n in [1_000, 10_000] {
        let dir = synthetic_dir(&work, n);
        let _ = std::fs::remove_dir_all(&cache);
        // The reader's first load leaves the bodies' links for after its first frame.
        let started = Instant::now();
        let (index, deferred) = Loader::new(Source::Dir(dir.to_path_buf()), LoadOptions::default())
            .with_cache_dir(Some(bench_cache()))
            .load_for_reader()
            .unwrap();
        let reader_cold = started.elapsed();
        let index = Arc::new(index);
        // Then, beside the reader: the bodies' links, the index cache and the snapshot.
        let link_pass = time(|| deferred.spawn(index.clone()).map(|p| p.finish()));
        assert!(index.links_ready());
        drop(index);
        let _ = std::fs::remove_dir_all(&cache);
        let cold = time(|| load_dir(&dir));
        let warm = median(7, || time(|| load_dir(&dir)));
        row(
            "load + index for the reader, cold (links after the first frame)",
            n,
            ms(reader_cold),
        );
        row(
            "then the link pass beside the reader (links, index cache, snapshot)",
            n,
            ms(link_pass),
        );
        row("load + index, cold (no cache)", n, ms(cold));
        row("load + index, unchanged (index cache)", n, ms(warm));
        let lib = load_dir(&dir);
        search_rows(&lib, n);
        if n == 10_000 {
            open_and_draw_rows(&lib);
        }
    }
    if std::env::var_os("CAREERHUB_BENCH_DISK_100K").is_some() {
        disk_100k_rows(&work, &cache);
    }
    let files = synth::library_with_bodies(100_000, 42, 1..3);
    let t = Instant::now();
    let lib = Index::from_files(files, Vec::new(), LoadOptions::default());
    row(
        "load + index from memory, 1–3 KB bodies",
        100_000,
        ms(t.elapsed()),
    );
    search_rows(&lib, 100_000);
    refresh_row(lib);
}

/// Opt-in (`CAREERHUB_BENCH_DISK_100K=1`): a 100,000-article folder on disk, 1.6 GB, written
/// once under the bench folder. In process, as `careerhub --content DIR list` loads it.
fn disk_100k_rows(work: &Path, cache: &Path) {
    let dir = synthetic_dir(work, 100_000);
    let load = || load_dir(&dir);
    let _ = std::fs::remove_dir_all(cache);
    drop(load()); // a first pass puts the files in the OS page cache, as for the 10k figures
    let _ = std::fs::remove_dir_all(cache);
    let cold = time(load);
    let warm = median(3, || time(load));
    row(
        "load + index, folder on disk, cold (no cache)",
        100_000,
        ms(cold),
    );
    row(
        "load + index, folder on disk, unchanged (snapshot)",
        100_000,
        ms(warm),
    );
}

/// What the UI thread does when search results arrive: the visible list and the facet counts
/// over every hit (here all 100k, the worst case), with one facet filter active.
fn refresh_row(lib: Index) {
    let lib = Arc::new(lib);
    let mut app = App::new(
        lib.clone(),
        Source::Embedded,
        Saved::default(),
        AppOptions::default(),
    );
    let (name, value) = lib.facet_pair(0);
    app.facets
        .active
        .insert((name.to_owned(), value.to_owned()));
    let refresh = median(21, || {
        time(|| careerhub::app::update::refresh_list(&mut app))
    });
    row(
        "list and facet counts after a search (UI thread), every article a hit",
        lib.len(),
        ms(refresh),
    );
}

fn row(what: &str, n: impl std::fmt::Display, figure: String) {
    println!("| {what} | {n} | {figure} |");
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn time<T>(f: impl FnOnce() -> T) -> Duration {
    let t = Instant::now();
    std::hint::black_box(f());
    t.elapsed()
}

fn median(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut v: Vec<Duration> = (0..runs).map(|_| f()).collect();
    v.sort();
    v[runs / 2]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn synthetic_dir(work: &Path, n: usize) -> PathBuf {
    let dir = work.join(format!("synth-{n}"));
    if !dir.join("blog").exists() {
        synth::write_library(&dir, n, 42).unwrap();
    }
    dir
}

/// Typing QUERY one character at a time, as the worker sees it: one searcher that narrows.
fn search_rows(lib: &Index, n: usize) {
    // The folded search text is built on a library's first search and shared by its
    // searchers (the reader's worker keeps one for the session): build it here, untimed, and
    // keep it for the fresh searcher of each round.
    let (_keeper, build) = {
        let mut keeper = Searcher::default();
        let t = Instant::now();
        keeper.search(lib, &Query::parse(""), lib.by_date());
        (keeper, t.elapsed())
    };
    row(
        "search text buffer, built once per library on the first search",
        n,
        ms(build),
    );
    let mut samples = Vec::new();
    for _ in 0..10 {
        let mut searcher = Searcher::default();
        for i in 1..=QUERY.len() {
            let q = Query::parse(&QUERY[..i]);
            samples.push(time(|| searcher.search(lib, &q, lib.by_date())));
        }
    }
    samples.sort();
    let figure = format!(
        "p50 {} · p99 {}",
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.99))
    );
    row(
        &format!("search per keystroke, typing `{QUERY}`"),
        n,
        figure,
    );
}

fn open_and_draw_rows(lib: &Index) {
    // The largest synthetic article is seed-sized (about 18 KB).
    let article = lib.articles().iter().max_by_key(|a| a.words).unwrap();
    let source = Source::Dir(std::env::temp_dir().join("careerhub-bench/synth-10000"));
    let open = median(21, || {
        time(|| {
            let body = parse::read_body(&source, &article.path).unwrap();
            layout::layout(&document::parse(&body).unwrap(), 96)
        })
    });
    row(
        &format!(
            "open an article (read, render, wrap; {} words)",
            article.words
        ),
        "1",
        ms(open),
    );
    let lib = Arc::new(
        Loader::new(source.clone(), LoadOptions::default())
            .with_cache_dir(Some(bench_cache()))
            .load()
            .unwrap(),
    );
    let mut app = App::new(
        lib.clone(),
        source,
        Saved::default(),
        AppOptions {
            color: true,
            ..AppOptions::default()
        },
    );
    update_now(&mut app, Action::Resize(200, 60));
    let views: [(&str, Vec<Action>); 4] = [
        ("library", vec![]),
        ("facet panel", vec![Action::ToggleFacets]),
        ("reader", vec![Action::Cancel, Action::Open]),
        ("help over reader", vec![Action::ToggleHelp]),
    ];
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    for (name, actions) in views {
        for a in actions {
            update_now(&mut app, a);
        }
        let draw = median(51, || {
            // A fresh buffer each time so every frame draws every cell, as after a resize.
            terminal.clear().unwrap();
            time(|| terminal.draw(|f| careerhub::ui::render(&app, f)).unwrap())
        });
        row(&format!("frame draw at 200×60: {name}"), "10000", ms(draw));
    }
}

/// Launch → first frame of the real binary in a pseudo-terminal, and its memory then.
fn startup_rows(work: &Path, cache: &Path) {
    let dir = synthetic_dir(work, 10_000);
    let embedded = median(5, || first_frame(&[]).0);
    row("launch → first frame, built-in library", "38", ms(embedded));
    let cold = median(3, || {
        let _ = std::fs::remove_dir_all(cache);
        first_frame(&["--content", dir.to_str().unwrap()]).0
    });
    row("launch → first frame, cold (no cache)", "10000", ms(cold));
    let mut rss = 0;
    let warm = median(7, || {
        let (t, r) = first_frame(&["--content", dir.to_str().unwrap()]);
        rss = r;
        t
    });
    row(
        "launch → first frame, unchanged (index cache)",
        "10000",
        ms(warm),
    );
    row(
        "resident memory with the library open",
        "10000",
        format!("{:.1} MB", rss as f64 / 1024.0),
    );
}

/// Whether `screen` shows the status line's "M articles" (a number, then the word).
fn counted_articles(screen: &str) -> bool {
    screen
        .match_indices(" articles")
        .any(|(i, _)| screen[..i].ends_with(|c: char| c.is_ascii_digit()))
}

/// Starts careerhub in a pty; returns the time to the first frame and its VmRSS (kB).
fn first_frame(args: &[&str]) -> (Duration, u64) {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_careerhub"));
    cmd.args(args);
    let home = std::env::temp_dir().join("careerhub-bench/home");
    std::fs::create_dir_all(&home).unwrap();
    cmd.cwd(&home);
    cmd.env("HOME", &home);
    cmd.env("XDG_CACHE_HOME", bench_cache());
    let start = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    let mut reader = pair.master.try_clone_reader().unwrap();
    let seen = Arc::new(Mutex::new(String::new()));
    let s = seen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            s.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    // The status line, drawn last, ends with "N of M articles" (the slow-start notice,
    // "reading the articles in …", must not count as a frame).
    while !counted_articles(&seen.lock().unwrap()) {
        assert!(start.elapsed() < Duration::from_secs(30), "no first frame");
        std::thread::sleep(Duration::from_micros(200));
    }
    let elapsed = start.elapsed();
    let pid = child.process_id().unwrap();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    // Quit as a user would (Ctrl-C), so the snapshot written beside the first frame
    // completes, as it does for a real reader; kill only if it does not exit.
    if let Ok(mut writer) = pair.master.take_writer() {
        let _ = writer.write_all(b"\x03");
        let _ = writer.flush();
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().ok().flatten().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.wait();
    (elapsed, rss)
}

/// The same strings through `fzf --filter`, whole process, if fzf is installed.
fn fzf_rows(work: &Path) {
    let Ok(status) = std::process::Command::new("fzf").arg("--version").output() else {
        row(
            "fzf --filter (not installed: apt-get install fzf)",
            "10000",
            "-".into(),
        );
        return;
    };
    let version = String::from_utf8_lossy(&status.stdout)
        .split_whitespace()
        .next()
        .unwrap_or("?")
        .to_owned();
    let dir = synthetic_dir(work, 10_000);
    let lib = load_dir(&dir);
    let lines: String = lib
        .articles()
        .iter()
        .map(|a| format!("{} {} {}\n", a.title, a.facet_text(), a.description))
        .collect();
    let file = work.join("fzf-input.txt");
    std::fs::write(&file, lines).unwrap();
    let fzf = median(5, || {
        time(|| {
            std::process::Command::new("fzf")
                .args(["--filter", QUERY])
                .stdin(std::fs::File::open(&file).unwrap())
                .output()
                .unwrap()
        })
    });
    let ours = median(5, || {
        let q = Query::parse(QUERY);
        time(|| Searcher::default().search(&lib, &q, lib.by_date()))
    });
    let dir = work.join("synth-10000");
    let ours_process = median(5, || {
        time(|| {
            std::process::Command::new(env!("CARGO_BIN_EXE_careerhub"))
                .env("XDG_CACHE_HOME", bench_cache())
                .arg("--content")
                .arg(&dir)
                .args(["search", QUERY])
                .output()
                .unwrap()
        })
    });
    row(
        &format!("fzf {version} --filter `{QUERY}`, whole process"),
        "10000",
        ms(fzf),
    );
    row(
        &format!("careerhub search `{QUERY}`, one query, in process"),
        "10000",
        ms(ours),
    );
    row(
        &format!("careerhub search `{QUERY}`, whole process (unchanged folder)"),
        "10000",
        ms(ours_process),
    );
}

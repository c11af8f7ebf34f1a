//! The body index's figures (`cargo bench --bench fulltext`): build and re-index of a 10,000
//! article folder, keystroke → ranked results with body hits at 10k (and 100k with
//! `CAREERHUB_BENCH_FULLTEXT_100K=1`), memory with the index open, and `careerhub search
//! PHRASE` against `rg -il PHRASE` over the same folder, whole processes, side by side.
//! Prints rows of the README's performance table.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use careerhub::content::search::fulltext::Corpus;
use careerhub::content::search::fulltext::{BodyIndex, READER_BODY_HITS, READER_SNIPPETS};
use careerhub::content::search::{Query, Searcher, with_body_hits};
use careerhub::content::{Index, LoadOptions, Loader, Source, load_memory, synth};

/// Typed one character at a time: the last word is half-typed most of the way.
const QUERY: &str = "remote job";
/// A phrase the synthetic bodies hold (one of their sentences), for the rg comparison.
const PHRASE: &str = "ninety days";

/// Loads a folder as the binary does, with the bench's cache folder.
fn load(dir: &std::path::Path, options: LoadOptions, cache: &std::path::Path) -> (Index, Source) {
    let source = Source::Dir(dir.to_path_buf());
    let index = Loader::new(source.clone(), options)
        .with_cache_dir(Some(cache.to_path_buf()))
        .load()
        .unwrap();
    (index, source)
}

fn main() {
    let work = std::env::temp_dir().join("careerhub-bench");
    std::fs::create_dir_all(&work).unwrap();
    let cache = work.join("cache");
    println!("| measure | size | figure |\n|---|---|---|");
    let dir = synthetic_dir(&work, 10_000);
    let options = LoadOptions::default();
    let changed = {
        let (lib, source) = load(&dir, options, &cache);
        let lib = Corpus {
            index: &lib,
            source: &source,
        };
        let index_dir = careerhub::content::search::fulltext::source::index_dir(
            &lib,
            options,
            Some(cache.clone()),
        )
        .unwrap();
        let _ = std::fs::remove_dir_all(&index_dir);
        let t = Instant::now();
        let index = BodyIndex::open(&lib, options, Some(cache.clone())).unwrap();
        index.update(&lib).unwrap();
        row("body index build (every core)", 10_000, secs(t.elapsed()));
        dir.join(&lib.articles()[0].path)
    };
    careerhub::os::release_freed_memory();

    // One file changed: the library reloads from its caches, the index updates one doc.
    let text = std::fs::read_to_string(&changed).unwrap();
    std::fs::write(&changed, text.replace("</p>", " Freshly edited.</p>")).unwrap();
    let (lib, source) = load(&dir, options, &cache);
    let lib = Corpus {
        index: &lib,
        source: &source,
    };
    let t = Instant::now();
    let index = BodyIndex::open(&lib, options, Some(cache.clone())).unwrap();
    let stats = index.update(&lib).unwrap();
    assert_eq!(stats.indexed, 1, "{stats:?}");
    row("re-index after one file changed", 10_000, ms(t.elapsed()));
    drop(index);
    std::fs::write(&changed, text).unwrap();
    let (lib, source) = load(&dir, options, &cache);
    let lib = Corpus {
        index: &lib,
        source: &source,
    };
    BodyIndex::open(&lib, options, Some(cache.clone()))
        .unwrap()
        .update(&lib)
        .unwrap(); // the file changed back
    let t = Instant::now();
    let index = BodyIndex::open(&lib, options, Some(cache.clone())).unwrap();
    index.update(&lib).unwrap();
    row("open + update, nothing changed", 10_000, ms(t.elapsed()));
    index.release_writer(); // as the reader does once its update is done

    keystroke_rows(lib.index, &index, 10_000);
    row(
        "resident memory, 10k library + body index open, after searches",
        10_000,
        format!("{:.1} MB", rss_kb() as f64 / 1024.0),
    );
    drop(index);

    cli_vs_rg(&dir);

    if std::env::var_os("CAREERHUB_BENCH_FULLTEXT_100K").is_some() {
        let files = synth::library_with_bodies(100_000, 42, 1..3);
        let (lib, source) = load_memory(files, Vec::new(), options);
        let lib = Corpus {
            index: &lib,
            source: &source,
        };
        let t = Instant::now();
        let index = BodyIndex::open(&lib, options, None).unwrap();
        index.update(&lib).unwrap();
        row(
            "body index build in memory, 1–3 KB bodies",
            100_000,
            secs(t.elapsed()),
        );
        keystroke_rows(lib.index, &index, 100_000);
    }
}

/// Typing QUERY as the reader's worker answers it: titles (one narrowing searcher) and
/// bodies, merged.
fn keystroke_rows(lib: &Index, index: &BodyIndex, n: usize) {
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
            samples.push(time(|| {
                let hits = searcher.search(lib, &q, lib.by_date());
                with_body_hits(
                    hits,
                    index.search(lib, &q, READER_BODY_HITS, READER_SNIPPETS),
                )
            }));
        }
    }
    samples.sort();
    let figure = format!(
        "p50 {} · p99 {}",
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.99))
    );
    row(
        &format!("keystroke → results incl. body hits, typing `{QUERY}`"),
        n,
        figure,
    );
}

/// `careerhub search "PHRASE"` (index warm) and `rg -il PHRASE`, whole processes, medians
/// of alternating runs.
fn cli_vs_rg(dir: &Path) {
    let careerhub = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_careerhub"));
        c.arg("--content")
            .arg(dir)
            .args(["search", "--in", "body", &format!("\"{PHRASE}\"")]);
        c
    };
    let rg = || {
        let mut c = Command::new("rg");
        c.args(["-il", PHRASE]).arg(dir);
        c
    };
    let ok = |mut c: Command| {
        c.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    assert!(ok(careerhub()), "careerhub search failed"); // also warms the index
    if !ok(rg()) {
        row(
            "rg -il PHRASE (not installed: apt-get install ripgrep)",
            10_000,
            "-".into(),
        );
        return;
    }
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        ours.push(time(|| ok(careerhub())));
        theirs.push(time(|| ok(rg())));
    }
    ours.sort();
    theirs.sort();
    let (a, b) = (ours[3], theirs[3]);
    row(
        &format!("`careerhub search \"{PHRASE}\"` (index warm), whole process"),
        10_000,
        ms(a),
    );
    row(
        &format!("`rg -il \"{PHRASE}\"` over the same folder"),
        10_000,
        ms(b),
    );
    row(
        "careerhub ÷ rg",
        10_000,
        format!("{:.2}×", a.as_secs_f64() / b.as_secs_f64()),
    );
}

fn synthetic_dir(work: &Path, n: usize) -> PathBuf {
    let dir = work.join(format!("synth-{n}"));
    if !dir.join("blog").exists() {
        synth::write_library(&dir, n, 42).unwrap();
    }
    dir
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn row(what: &str, n: impl std::fmt::Display, figure: String) {
    println!("| {what} | {n} | {figure} |");
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn time<T>(f: impl FnOnce() -> T) -> Duration {
    let t = Instant::now();
    std::hint::black_box(f());
    t.elapsed()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

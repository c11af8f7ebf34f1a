//! The body index on disk: per-document updates and rebuilding a damaged index. One test
//! function, because it points `XDG_CACHE_HOME` (read by the library's own caches) at a
//! temporary folder for the whole process.

use std::path::Path;
use std::time::{Duration, SystemTime};

use careerhub::content::search::Query;
use careerhub::content::search::fulltext::Corpus;
use careerhub::content::search::fulltext::{BodyIndex, UpdateStats};
use careerhub::content::{Index, LoadOptions, Loader, Source};

fn copy_fixture(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bodies");
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn update(content: &Path, cache: &Path) -> (Index, BodyIndex, UpdateStats) {
    let source = Source::Dir(content.into());
    let lib = Loader::new(source.clone(), LoadOptions::default())
        .load()
        .unwrap();
    let corpus = Corpus {
        index: &lib,
        source: &source,
    };
    let index = BodyIndex::open(&corpus, LoadOptions::default(), Some(cache.into())).unwrap();
    let stats = index.update(&corpus).unwrap();
    (lib, index, stats)
}

fn found(lib: &Index, index: &BodyIndex, q: &str) -> Vec<String> {
    index
        .search(lib, &Query::parse(q), 10, 0)
        .iter()
        .map(|h| lib.get(h.id).slug.clone())
        .collect()
}

/// Sets a file's modification time into the future, as an editor's save would.
fn touch(path: &Path, secs: u64) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() + Duration::from_secs(secs))
        .unwrap();
}

#[test]
fn the_index_updates_per_document_and_rebuilds_when_damaged() {
    let cache = tempfile::tempdir().unwrap();
    // SAFETY: the only test of this process, set before any other thread runs.
    unsafe { std::env::set_var("XDG_CACHE_HOME", cache.path().join("xdg")) };
    let content = tempfile::tempdir().unwrap();
    copy_fixture(content.path());
    let cache = cache.path().join("fulltext");

    let (_, index, stats) = update(content.path(), &cache);
    assert_eq!(stats.indexed, 5);
    assert!(index.dir().unwrap().starts_with(&cache));
    drop(index);

    // Nothing changed: nothing is rendered again.
    let (_, index, stats) = update(content.path(), &cache);
    assert!(!index.was_rebuilt());
    assert_eq!((stats.indexed, stats.unchanged), (0, 5));
    drop(index);

    // One file changed, one touched, one removed, one added.
    let money = content.path().join("talking-money.md");
    let text = std::fs::read_to_string(&money).unwrap();
    std::fs::write(
        &money,
        text.replace("Negotiating calmly", "Bargaining calmly"),
    )
    .unwrap();
    touch(&content.path().join("working-from-home.md"), 60);
    std::fs::remove_file(content.path().join("interview-stories.md")).unwrap();
    std::fs::write(
        content.path().join("new-one.md"),
        "---\ntitle: A New Arrival\n---\n<p>Apprenticeships open doors too.</p>\n",
    )
    .unwrap();
    let (lib, index, stats) = update(content.path(), &cache);
    assert_eq!(
        stats,
        UpdateStats {
            indexed: 2,
            touched: 1,
            removed: 1,
            unchanged: 2,
        }
    );
    assert_eq!(found(&lib, &index, "bargaining"), vec!["talking-money"]);
    assert!(found(&lib, &index, "negotiating").is_empty());
    assert!(found(&lib, &index, "afterwards").is_empty(), "removed file");
    assert_eq!(found(&lib, &index, "apprenticeships"), vec!["new-one"]);
    // The touched document kept its text, and its prefix field.
    assert_eq!(found(&lib, &index, "asynchro"), vec!["working-from-home"]);
    assert_eq!(index.num_docs(), 5);
    let dir = index.dir().unwrap().to_path_buf();
    drop(index);

    // Damage every data file of the index: it is not trusted, it is built again.
    let mut damaged = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".idx") || name.ends_with(".store") {
            let mut bytes = std::fs::read(&path).unwrap();
            let mid = bytes.len() / 2;
            bytes[mid] ^= 0xff;
            std::fs::write(&path, bytes).unwrap();
            damaged += 1;
        }
    }
    assert!(damaged > 0);
    let (lib, index, stats) = update(content.path(), &cache);
    assert!(index.was_rebuilt());
    assert_eq!(stats.indexed, 5);
    assert_eq!(found(&lib, &index, "bargaining"), vec!["talking-money"]);
    drop(index);

    // A stale key (another build, folder or options) is not trusted either.
    std::fs::write(dir.join("careerhub-key"), "careerhub fulltext 0\n").unwrap();
    let (_, index, stats) = update(content.path(), &cache);
    assert!(index.was_rebuilt());
    assert_eq!(stats.indexed, 5);
    drop(index);

    // A meta.json that is not JSON: rebuilt.
    std::fs::write(dir.join("meta.json"), "{ not json").unwrap();
    let (_, index, stats) = update(content.path(), &cache);
    assert!(index.was_rebuilt());
    assert_eq!(stats.indexed, 5);
    drop(index);

    // Segment files gone (a disk cleaner, a hand): rebuilt, and bodies are found again.
    let mut removed = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "idx") {
            std::fs::remove_file(&path).unwrap();
            removed += 1;
        }
    }
    assert!(removed > 0);
    // As `careerhub search` opens it.
    let source = Source::Dir(content.path().into());
    let lib = Loader::new(source.clone(), LoadOptions::default())
        .load()
        .unwrap();
    let corpus = Corpus {
        index: &lib,
        source: &source,
    };
    let index = BodyIndex::ensure(&corpus, LoadOptions::default(), Some(cache.clone())).unwrap();
    assert_eq!(found(&lib, &index, "bargaining"), vec!["talking-money"]);
}

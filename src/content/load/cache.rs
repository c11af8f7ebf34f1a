//! The on-disk caches: a library folder that has not changed starts without reparsing.
//!
//! Two files per content folder in the cache folder the [`Loader`](super::Loader) is given
//! (`$XDG_CACHE_HOME/careerhub/` for the binary):
//! - the index cache (`index-<hash>.bin`) holds each file's parse result keyed by path, size
//!   and modification time, so after an edit only the changed files are parsed again;
//! - the snapshot (`library-<hash>-<options>.bin`) holds the linked index, valid only for
//!   exactly the files it was made from, so an unchanged folder neither parses nor links.
//!
//! Both are keyed by the format, the program version and the running executable (its size
//! and modification time), so a rebuilt careerhub never trusts a cache an older build wrote.
//! Both are sequences of frames (a little-endian `u64` length, then that many bytes of
//! postcard), split into chunks that are encoded and decoded on every core. A cache that is
//! missing, stale, corrupt or unreadable is ignored and rebuilt, never trusted. File names and
//! digests use xxh3, which is the same on every build (std's `DefaultHasher` is not).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use super::options::LoadOptions;
use super::parse::ParsedFile;
use super::source::Entry;
use crate::content::article::Article;
use crate::content::index::{Index, LinkGraph, Links, LoadReport};
use crate::os::{WriteMode, write_atomically};

/// Bumped whenever the cached types or the file layout change shape. 6: postcard frames.
const FORMAT: u32 = 7;
/// Files (or articles) per independently decodable chunk, so a big cache is written and
/// decoded on every core; also the unit of parallel parsing.
pub const CHUNK_ROWS: usize = 128;
/// Snapshot chunks read and decoded together: enough for every core, little memory.
const DECODE_BATCH: u64 = 16;
/// A cache file larger than this is not read (it cannot be ours for a sane library).
const MAX_CACHE_BYTES: u64 = 2 << 30;

#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    build: String,
    root: String,
}

struct CachedEntry {
    size: u64,
    mtime_ns: u128,
    parsed: ParsedFile,
}

/// Encodes `value` as one frame onto `out`.
fn put_frame(out: &mut impl Write, value: &impl Serialize) -> std::io::Result<()> {
    let bytes = postcard::to_allocvec(value).map_err(std::io::Error::other)?;
    put_bytes(out, &bytes)
}

/// Writes already-encoded bytes as one frame.
fn put_bytes(out: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    out.write_all(&(bytes.len() as u64).to_le_bytes())?;
    out.write_all(bytes)
}

/// Reads one frame's bytes, or `None` when the length is damaged (more than `max`) or the
/// input ends early.
fn get_bytes(input: &mut impl Read, max: u64) -> Option<Vec<u8>> {
    let mut len = [0; 8];
    input.read_exact(&mut len).ok()?;
    let len = u64::from_le_bytes(len);
    if len > max {
        return None;
    }
    let mut bytes = vec![0; usize::try_from(len).ok()?];
    input.read_exact(&mut bytes).ok()?;
    Some(bytes)
}

/// Reads and decodes one frame; the whole frame must be the value.
fn get_frame<T: DeserializeOwned>(input: &mut impl Read, max: u64) -> Option<T> {
    decode(&get_bytes(input, max)?)
}

/// Decodes a whole frame, or `None` when it is not exactly one `T`.
fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    match postcard::take_from_bytes(bytes) {
        Ok((value, [])) => Some(value),
        _ => None,
    }
}

/// Parse results from the last run over one folder.
#[derive(Default)]
pub struct IndexCache {
    file: Option<PathBuf>,
    root: String,
    entries: HashMap<String, CachedEntry>,
}

impl IndexCache {
    /// The cache for the folder `root` kept in `dir`, loaded if it is valid; empty otherwise
    /// (and with no file at all when `dir` is `None`).
    pub fn open(dir: Option<&Path>, root: &Path) -> IndexCache {
        let root = folder_key(root);
        let Some(dir) = dir else {
            return IndexCache {
                root,
                ..IndexCache::default()
            };
        };
        let file = dir.join(format!("index-{:016x}.bin", folder_hash(&root)));
        let entries = read(&file, &root).unwrap_or_default();
        IndexCache {
            file: Some(file),
            root,
            entries,
        }
    }

    /// Takes the cached parse of `entry` if the file is unchanged since it was cached.
    pub fn take(&mut self, entry: &Entry) -> Option<ParsedFile> {
        let cached = self.entries.get(&entry.path)?;
        let unchanged =
            entry.mtime_ns != 0 && cached.size == entry.size && cached.mtime_ns == entry.mtime_ns;
        unchanged
            .then(|| self.entries.remove(&entry.path))
            .flatten()
            .map(|c| c.parsed)
    }

    /// True when the cache held files this run did not take (deleted or changed since), so
    /// it should be rewritten even if nothing new was parsed.
    pub fn has_leftovers(&self) -> bool {
        !self.entries.is_empty()
    }

    /// Whether [`IndexCache::save_chunks`] writes anywhere (there is a cache dir).
    pub fn is_stored(&self) -> bool {
        self.file.is_some()
    }

    /// Writes the cache for these files in one go (loading encodes its chunks while parsing
    /// instead, see [`encode_chunk`]).
    #[cfg(test)]
    fn save(&self, entries: &[Entry], parsed: &[ParsedFile]) -> std::io::Result<()> {
        let chunks: Vec<Vec<u8>> = entries
            .par_chunks(CHUNK_ROWS)
            .zip(parsed.par_chunks(CHUNK_ROWS))
            .map(|(e, p)| encode_chunk(e.iter().zip(p)))
            .collect::<std::io::Result<_>>()?;
        self.save_chunks(&chunks)
    }

    /// Writes chunks made by [`encode_chunk`] as the cache, atomically. Errors are returned
    /// for the caller to ignore: a cache is an optimisation, never a reason to fail.
    pub fn save_chunks(&self, chunks: &[Vec<u8>]) -> std::io::Result<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let header = Header {
            format: FORMAT,
            build: build_id(),
            root: self.root.clone(),
        };
        write_atomically(file, "index", WriteMode::default(), |out| {
            put_frame(out, &header)?;
            put_frame(out, &(chunks.len() as u64))?;
            for chunk in chunks {
                put_bytes(out, chunk)?;
            }
            Ok(())
        })
    }
}

/// One row of the index cache: path, size, modification time, parse result.
type Row = (String, u64, u128, ParsedFile);

/// Encodes one chunk of the index cache: the rows of files that have a modification time
/// (others could change unseen). Loading calls this on the files of each parallel task as it
/// parses them, so the cache costs no pass of its own.
pub fn encode_chunk<'a>(
    rows: impl Iterator<Item = (&'a Entry, &'a ParsedFile)>,
) -> std::io::Result<Vec<u8>> {
    let rows: Vec<(&String, u64, u128, &ParsedFile)> = rows
        .filter(|(e, _)| e.mtime_ns != 0)
        .map(|(e, p)| (&e.path, e.size, e.mtime_ns, p))
        .collect();
    postcard::to_allocvec(&rows).map_err(std::io::Error::other)
}

/// Reads a cache file, or `None` when it is missing, from another build or folder, or corrupt.
fn read(file: &Path, root: &str) -> Option<HashMap<String, CachedEntry>> {
    let len = std::fs::metadata(file).ok()?.len();
    if len > MAX_CACHE_BYTES {
        return None;
    }
    let bytes = std::fs::read(file).ok()?;
    let mut reader = bytes.as_slice();
    let header: Header = get_frame(&mut reader, len)?;
    if header.format != FORMAT || header.build != build_id() || header.root != root {
        return None;
    }
    // Split the chunks out sequentially, then decode them in parallel; any bad length or bad
    // chunk drops the whole cache.
    let count: u64 = get_frame(&mut reader, len)?;
    let mut chunks = Vec::new();
    for _ in 0..count {
        chunks.push(split_frame(&mut reader)?);
    }
    let decoded: Vec<Vec<Row>> = chunks
        .par_iter()
        .map(|c| decode(c))
        .collect::<Option<_>>()?;
    let mut entries = HashMap::with_capacity(decoded.iter().map(Vec::len).sum());
    for (path, size, mtime_ns, parsed) in decoded.into_iter().flatten() {
        entries.insert(
            path,
            CachedEntry {
                size,
                mtime_ns,
                parsed,
            },
        );
    }
    Some(entries)
}

/// Splits one frame off a byte slice without copying it.
fn split_frame<'a>(reader: &mut &'a [u8]) -> Option<&'a [u8]> {
    let (len, rest) = reader.split_first_chunk::<8>()?;
    let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
    if len > rest.len() {
        return None;
    }
    let (frame, rest) = rest.split_at(len);
    *reader = rest;
    Some(frame)
}

/// What a library snapshot is valid for: this build, folder and load options, and exactly
/// the files it was built from. The files are compared by count and a 128-bit digest of every
/// path, size and modification time, so checking a snapshot decodes no file list.
#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct SnapshotKey {
    format: u32,
    build: String,
    root: String,
    drafts: bool,
    archived: bool,
    files: u64,
    digest: u128,
}

fn snapshot_key(root: &Path, options: LoadOptions, entries: &[Entry]) -> Option<SnapshotKey> {
    // A file without a modification time could change unseen: no snapshot then.
    if entries.iter().any(|e| e.mtime_ns == 0) {
        return None;
    }
    Some(SnapshotKey {
        format: FORMAT,
        build: build_id(),
        root: folder_key(root),
        drafts: options.drafts,
        archived: options.archived,
        files: entries.len() as u64,
        digest: listing_digest(entries),
    })
}

/// The content folder as both caches record it: its canonical path, so `./x` and `/abs/x`
/// share a cache.
pub(crate) fn folder_key(root: &Path) -> String {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    root.display().to_string()
}

/// A short name for a folder's cache files, the same on every build and platform.
pub(crate) fn folder_hash(key: &str) -> u64 {
    xxh3_64(key.as_bytes())
}

/// A 128-bit xxh3 digest of the listing: every path, size and modification time.
fn listing_digest(entries: &[Entry]) -> u128 {
    let mut hasher = Xxh3::new();
    for e in entries {
        // The path's length first, so no two listings run together into the same bytes.
        hasher.update(&(e.path.len() as u64).to_le_bytes());
        hasher.update(e.path.as_bytes());
        hasher.update(&e.size.to_le_bytes());
        hasher.update(&e.mtime_ns.to_le_bytes());
    }
    hasher.digest128()
}

fn snapshot_file(dir: Option<&Path>, root: &Path, options: LoadOptions) -> Option<PathBuf> {
    let name = format!(
        "library-{:016x}-{}{}.bin",
        folder_hash(&folder_key(root)),
        u8::from(options.drafts),
        u8::from(options.archived)
    );
    Some(dir?.join(name))
}

/// A snapshot read from disk and decoded, not yet checked against the folder: reading it does
/// not need the folder's listing, so the two run side by side.
pub struct Snapshot {
    key: SnapshotKey,
    index: Index,
}

impl Snapshot {
    /// The snapshot of `root` loaded with `options` from the cache folder `dir`, decoded, if
    /// there is one and it is whole; `None` when there is none, it is from another build, or
    /// it is damaged.
    pub fn read(dir: Option<&Path>, root: &Path, options: LoadOptions) -> Option<Snapshot> {
        let file = snapshot_file(dir, root, options)?;
        let len = std::fs::metadata(&file).ok()?.len();
        if len > MAX_CACHE_BYTES {
            return None;
        }
        let mut reader = std::io::BufReader::new(std::fs::File::open(&file).ok()?);
        let key: SnapshotKey = get_frame(&mut reader, len)?;
        if key.format != FORMAT || key.build != build_id() {
            return None;
        }
        let (links, graph, report): (Links, Option<LinkGraph>, LoadReport) =
            get_frame(&mut reader, len)?;
        // Written only once the graph is there, but a snapshot is never trusted.
        let graph = graph?;
        let count: u64 = get_frame(&mut reader, len)?;
        // Articles are most of a snapshot and decoding them is allocation-bound: one chunk
        // per task, on every core. Chunks are read a batch at a time, so the file is never
        // in memory whole beside the index it decodes to (167 MB at 100,000 articles).
        let mut articles = Vec::new();
        let mut left = count;
        while left > 0 {
            let batch = left.min(DECODE_BATCH);
            left -= batch;
            let chunks: Vec<Vec<u8>> = (0..batch)
                .map(|_| get_bytes(&mut reader, len))
                .collect::<Option<_>>()?;
            let decoded: Vec<Vec<Article>> = chunks
                .par_iter()
                .map(|c| decode(c))
                .collect::<Option<_>>()?;
            articles.extend(decoded.into_iter().flatten());
        }
        let index = Index::from_parts(articles, links, graph, report)?;
        Some(Snapshot { key, index })
    }

    /// The index, if the snapshot was made from exactly these files of `root` with these
    /// options.
    pub fn check(self, root: &Path, options: LoadOptions, entries: &[Entry]) -> Option<Index> {
        (Some(&self.key) == snapshot_key(root, options, entries).as_ref()).then_some(self.index)
    }
}

/// Writes an index's snapshot for the next start. Made while loading, used once the index
/// is built, possibly on another thread (see [`SnapshotWriter::spawn`]).
#[derive(Debug)]
pub struct SnapshotWriter {
    file: PathBuf,
    key: SnapshotKey,
}

impl SnapshotWriter {
    /// A writer for the snapshot of `root` as listed in `entries`, into the cache folder
    /// `dir`; `None` when there is no cache folder or a file has no modification time.
    pub fn new(
        dir: Option<&Path>,
        root: &Path,
        options: LoadOptions,
        entries: &[Entry],
    ) -> Option<SnapshotWriter> {
        Some(SnapshotWriter {
            file: snapshot_file(dir, root, options)?,
            key: snapshot_key(root, options, entries)?,
        })
    }

    /// Writes the snapshot atomically; errors are the caller's to ignore, as for the index
    /// cache. Articles are written a chunk at a time, so writing holds no second copy of the
    /// index.
    pub fn write(&self, index: &Index) -> std::io::Result<()> {
        if !index.links_ready() {
            // A snapshot is a whole index: without its link graph it would start readers
            // with no backlinks, for good.
            return Err(std::io::Error::other("the index has no link graph yet"));
        }
        write_atomically(&self.file, "library", WriteMode::default(), |out| {
            let articles = index.articles().chunks(CHUNK_ROWS);
            put_frame(out, &self.key)?;
            put_frame(out, &index.parts())?;
            put_frame(out, &(articles.len() as u64))?;
            for chunk in articles {
                put_frame(out, &chunk)?;
            }
            Ok(())
        })
    }

    /// Writes the snapshot on a thread of its own, so the first frame does not wait for it.
    /// The returned handle waits for the write when dropped: a process that quits early
    /// still leaves a whole snapshot (or none), never a stray temporary file.
    pub fn spawn(self, index: Arc<Index>) -> PendingWrite {
        let handle = std::thread::Builder::new()
            .name("careerhub-snapshot".into())
            .spawn(move || {
                let _ = self.write(&index);
            })
            .ok();
        PendingWrite(handle)
    }
}

/// A cache write in progress; dropping it waits for the write to finish.
#[derive(Debug)]
pub struct PendingWrite(Option<std::thread::JoinHandle<()>>);

impl PendingWrite {
    /// The write running on `thread`.
    pub(crate) fn new(thread: std::thread::JoinHandle<()>) -> PendingWrite {
        PendingWrite(Some(thread))
    }

    /// Whether the write is over (or never started).
    pub fn is_finished(&self) -> bool {
        self.0.as_ref().is_none_or(|h| h.is_finished())
    }

    /// Waits for the write.
    pub fn finish(mut self) {
        self.join();
    }

    fn join(&mut self) {
        if let Some(handle) = self.0.take() {
            let _ = handle.join();
        }
    }
}

impl Drop for PendingWrite {
    fn drop(&mut self) {
        self.join();
    }
}

/// Identifies this build: version plus the executable's size and modification time.
pub(crate) fn build_id() -> String {
    let exe = std::env::current_exe().and_then(std::fs::metadata);
    let (size, mtime) = exe.map_or((0, 0), |m| {
        let t = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        (m.len(), t.map_or(0, |d| d.as_nanos()))
    });
    format!("{}-{size}-{mtime}", env!("CARGO_PKG_VERSION"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::load::parse::parse_file;
    use crate::content::load::source::Source;

    fn parse_all(source: &Source, entries: &[Entry]) -> Vec<ParsedFile> {
        entries
            .iter()
            .map(|e| parse_file(&e.path, &source.read(&e.path).unwrap()))
            .collect()
    }

    #[test]
    fn unchanged_files_come_from_the_cache_and_changed_ones_do_not() {
        let content = tempfile::tempdir().unwrap();
        let cache_dir = tempfile::tempdir().unwrap();
        std::fs::write(content.path().join("a.md"), "---\ntitle: A\n---\nbody").unwrap();
        std::fs::write(content.path().join("b.md"), "---\ntitle: B\n---\nbody").unwrap();
        let source = Source::Dir(content.path().to_path_buf());
        let (entries, _) = source.list().unwrap();
        let mut cache = IndexCache::open(Some(cache_dir.path()), content.path());
        assert!(cache.take(&entries[0]).is_none(), "empty at first");
        cache.save(&entries, &parse_all(&source, &entries)).unwrap();

        let mut cache = IndexCache::open(Some(cache_dir.path()), content.path());
        let hit = cache.take(&entries[0]).expect("cached").unwrap();
        assert_eq!(hit.article.title, "A");
        // Rewrite b.md with a different size: its cached parse must not be used.
        std::fs::write(
            content.path().join("b.md"),
            "---\ntitle: B changed\n---\nbody",
        )
        .unwrap();
        let (entries, _) = source.list().unwrap();
        assert!(cache.take(&entries[1]).is_none());
    }

    /// A folder of two linked articles, its listing and its library.
    fn linked_folder() -> (tempfile::TempDir, Vec<Entry>, Index) {
        let content = tempfile::tempdir().unwrap();
        std::fs::write(
            content.path().join("a.md"),
            "---\ntitle: A\n---\n<a href=\"/blog/b\">B</a>",
        )
        .unwrap();
        std::fs::write(content.path().join("b.md"), "---\ntitle: B\n---\nbody").unwrap();
        let source = Source::Dir(content.path().to_path_buf());
        let (entries, _) = source.list().unwrap();
        let library = Index::from_files(
            entries
                .iter()
                .map(|e| crate::content::load::source::SourceFile {
                    path: e.path.clone(),
                    bytes: source.read(&e.path).unwrap().into_owned(),
                })
                .collect(),
            Vec::new(),
            LoadOptions::default(),
        );
        (content, entries, library)
    }

    #[test]
    fn a_snapshot_is_used_only_for_the_files_it_was_made_from() {
        let (content, entries, library) = linked_folder();
        let cache_dir = tempfile::tempdir().unwrap();
        let dir = || Some(cache_dir.path());
        let options = LoadOptions::default();
        SnapshotWriter::new(dir(), content.path(), options, &entries)
            .unwrap()
            .write(&library)
            .unwrap();
        let read = || Snapshot::read(dir(), content.path(), options).expect("decodes");
        let back = read()
            .check(content.path(), options, &entries)
            .expect("valid");
        assert_eq!(back.len(), 2);
        assert_eq!(back.articles()[0].title, "A");
        assert_eq!(
            back.backlinks(back.articles()[1].id),
            &[back.articles()[0].id]
        );
        // Another size, mtime or file, or other options: not valid.
        let mut changed = entries.clone();
        changed[1].size += 1;
        assert!(read().check(content.path(), options, &changed).is_none());
        let mut touched = entries.clone();
        touched[0].mtime_ns += 1;
        assert!(read().check(content.path(), options, &touched).is_none());
        assert!(
            read()
                .check(content.path(), options, &entries[..1])
                .is_none()
        );
        let drafts = LoadOptions {
            drafts: true,
            ..options
        };
        assert!(Snapshot::read(dir(), content.path(), drafts).is_none());
    }

    #[test]
    fn temporaries_left_by_a_killed_run_are_swept_once_old() {
        let (content, entries, library) = linked_folder();
        let cache_dir = tempfile::tempdir().unwrap();
        let old = cache_dir.path().join(".library.1.ThreadId(2).tmp");
        let recent = cache_dir.path().join(".index.3.tmp");
        let unrelated = cache_dir.path().join("notes.tmp");
        for f in [&old, &recent, &unrelated] {
            std::fs::write(f, b"partial").unwrap();
        }
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        for f in [&old, &unrelated] {
            std::fs::File::options()
                .write(true)
                .open(f)
                .unwrap()
                .set_modified(two_hours_ago)
                .unwrap();
        }
        SnapshotWriter::new(
            Some(cache_dir.path()),
            content.path(),
            LoadOptions::default(),
            &entries,
        )
        .unwrap()
        .write(&library)
        .unwrap();
        assert!(!old.exists(), "an old temporary is removed");
        assert!(recent.exists(), "a recent one may be another run's write");
        assert!(unrelated.exists(), "files that are not ours stay");
    }

    #[test]
    fn damaged_snapshots_are_ignored() {
        let (content, entries, library) = linked_folder();
        let cache_dir = tempfile::tempdir().unwrap();
        let dir = || Some(cache_dir.path());
        let options = LoadOptions::default();
        let writer = SnapshotWriter::new(dir(), content.path(), options, &entries).unwrap();
        writer.write(&library).unwrap();
        let bytes = std::fs::read(&writer.file).unwrap();
        for cut in [0, 1, bytes.len() / 3, bytes.len() / 2, bytes.len() - 1] {
            std::fs::write(&writer.file, &bytes[..cut]).unwrap();
            assert!(
                Snapshot::read(dir(), content.path(), options).is_none(),
                "cut at {cut}"
            );
        }
        // Flipping any single byte either fails to decode, fails the consistency check or
        // gives a library that is still safe to use (a changed letter in a title).
        for at in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x5a;
            std::fs::write(&writer.file, &flipped).unwrap();
            if let Some(s) = Snapshot::read(dir(), content.path(), options) {
                let lib = s.index;
                assert!(lib.is_consistent());
                for a in lib.articles() {
                    let _ = lib.related(a.id);
                }
            }
        }
    }

    #[test]
    fn a_snapshot_written_on_its_own_thread_is_whole_once_the_handle_drops() {
        let (content, entries, library) = linked_folder();
        let cache_dir = tempfile::tempdir().unwrap();
        let dir = || Some(cache_dir.path());
        let writer =
            SnapshotWriter::new(dir(), content.path(), LoadOptions::default(), &entries).unwrap();
        drop(writer.spawn(Arc::new(library)));
        let snapshot = Snapshot::read(dir(), content.path(), LoadOptions::default());
        assert!(snapshot.is_some());
        let leftovers: Vec<_> = std::fs::read_dir(cache_dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn corrupt_or_foreign_caches_are_ignored() {
        let content = tempfile::tempdir().unwrap();
        let cache_dir = tempfile::tempdir().unwrap();
        std::fs::write(content.path().join("a.md"), "---\ntitle: A\n---\n").unwrap();
        let source = Source::Dir(content.path().to_path_buf());
        let (entries, _) = source.list().unwrap();
        let cache = IndexCache::open(Some(cache_dir.path()), content.path());
        cache.save(&entries, &parse_all(&source, &entries)).unwrap();
        let file = std::fs::read_dir(cache_dir.path())
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        // Flip bytes in the middle: the cache must be dropped, not half-trusted.
        let mut bytes = std::fs::read(&file).unwrap();
        let mid = bytes.len() / 2;
        bytes.truncate(mid);
        std::fs::write(&file, &bytes).unwrap();
        let mut cache = IndexCache::open(Some(cache_dir.path()), content.path());
        assert!(cache.take(&entries[0]).is_none());
        std::fs::write(&file, vec![0xff; 4096]).unwrap();
        let mut cache = IndexCache::open(Some(cache_dir.path()), content.path());
        assert!(cache.take(&entries[0]).is_none());
        // A cache written for another folder is not used for this one.
        let other = tempfile::tempdir().unwrap();
        let cache = IndexCache::open(Some(cache_dir.path()), other.path());
        assert!(cache.entries.is_empty());
    }
}

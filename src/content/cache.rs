//! The on-disk index cache: a library folder that has not changed loads without reparsing.
//!
//! One file per content folder in the XDG cache dir
//! (`$XDG_CACHE_HOME/careerhub/index-<hash>.bin`, by default under `~/.cache`), holding each
//! file's parse result keyed by path, size and modification time. The whole cache is also
//! keyed by the format, the program version and the running executable (its size and
//! modification time), so a rebuilt careerhub never trusts a cache an older build wrote. A
//! cache that is missing, stale, corrupt or unreadable is ignored and rebuilt, never trusted.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

use bincode::Options;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::library::{Library, LoadOptions};
use super::parse::ParsedFile;
use super::source::Entry;

/// Bumped whenever the cached types change shape.
const FORMAT: u32 = 3;
/// Rows per independently decodable chunk, so a big cache decodes on every core.
const CHUNK_ROWS: usize = 512;
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

/// Parse results from the last run over one folder.
#[derive(Default)]
pub struct IndexCache {
    file: Option<PathBuf>,
    root: String,
    entries: HashMap<String, CachedEntry>,
}

impl IndexCache {
    /// The cache for the folder `root`, loaded if it is valid; empty otherwise (and with no
    /// file at all when there is no cache dir).
    pub fn open(root: &Path) -> IndexCache {
        Self::open_in(cache_dir(), root)
    }

    /// Like [`IndexCache::open`] with an explicit cache folder (`None`: no cache file).
    pub fn open_in(dir: Option<PathBuf>, root: &Path) -> IndexCache {
        let root_key = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let root = root_key.display().to_string();
        let Some(dir) = dir else {
            return IndexCache {
                root,
                ..IndexCache::default()
            };
        };
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        root.hash(&mut hasher);
        let file = dir.join(format!("index-{:016x}.bin", hasher.finish()));
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

    /// Writes the cache for this run's files, atomically. Errors are returned for the caller
    /// to ignore: a cache is an optimisation, never a reason to fail.
    pub fn save(&self, entries: &[Entry], parsed: &[ParsedFile]) -> std::io::Result<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let dir = file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let header = Header {
            format: FORMAT,
            build: build_id(),
            root: self.root.clone(),
        };
        let rows: Vec<(&Entry, &ParsedFile)> = entries
            .iter()
            .zip(parsed)
            .filter(|(e, _)| e.mtime_ns != 0)
            .collect();
        let opts = options_with_limit(u64::MAX);
        let chunks: Vec<Vec<u8>> = rows
            .par_chunks(CHUNK_ROWS)
            .map(|chunk| {
                let chunk: Vec<(&String, u64, u128, &ParsedFile)> = chunk
                    .iter()
                    .map(|(e, p)| (&e.path, e.size, e.mtime_ns, *p))
                    .collect();
                opts.serialize(&chunk).map_err(std::io::Error::other)
            })
            .collect::<std::io::Result<_>>()?;
        let tmp = dir.join(format!(".index.{}.tmp", std::process::id()));
        let result = (|| {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            opts.serialize_into(&mut out, &header)
                .map_err(std::io::Error::other)?;
            opts.serialize_into(&mut out, &(chunks.len() as u64))
                .map_err(std::io::Error::other)?;
            for chunk in &chunks {
                opts.serialize_into(&mut out, &(chunk.len() as u64))
                    .map_err(std::io::Error::other)?;
                out.write_all(chunk)?;
            }
            out.flush()?;
            std::fs::rename(&tmp, file)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}

fn options_with_limit(limit: u64) -> impl Options + Copy {
    bincode::DefaultOptions::new().with_limit(limit)
}

/// Reads a cache file, or `None` when it is missing, from another build or folder, or corrupt.
fn read(file: &Path, root: &str) -> Option<HashMap<String, CachedEntry>> {
    let len = std::fs::metadata(file).ok()?.len();
    if len > MAX_CACHE_BYTES {
        return None;
    }
    let bytes = std::fs::read(file).ok()?;
    // The limit stops a corrupt length prefix from asking for more memory than the file holds.
    let opts = options_with_limit(len * 4 + 1024);
    let mut reader = bytes.as_slice();
    let header: Header = opts.deserialize_from(&mut reader).ok()?;
    if header.format != FORMAT || header.build != build_id() || header.root != root {
        return None;
    }
    // Split the chunks out sequentially (each is length-prefixed), then decode them in
    // parallel; any bad length or bad chunk drops the whole cache.
    let count: u64 = opts.deserialize_from(&mut reader).ok()?;
    let mut chunks = Vec::new();
    for _ in 0..count {
        let len: u64 = opts.deserialize_from(&mut reader).ok()?;
        let len = usize::try_from(len).ok().filter(|&l| l <= reader.len())?;
        let (chunk, rest) = reader.split_at(len);
        chunks.push(chunk);
        reader = rest;
    }
    type Row = (String, u64, u128, ParsedFile);
    let decoded: Vec<Vec<Row>> = chunks
        .par_iter()
        .map(|c| opts.deserialize(c).ok())
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

/// What a library snapshot is valid for: this build, folder and load options, and exactly
/// these files with these sizes and modification times.
#[derive(Serialize, Deserialize, PartialEq)]
struct SnapshotKey {
    format: u32,
    build: String,
    root: String,
    drafts: bool,
    archived: bool,
    files: Vec<(String, u64, u128)>,
}

fn snapshot_key(root: &Path, options: LoadOptions, entries: &[Entry]) -> Option<SnapshotKey> {
    // A file without a modification time could change unseen: no snapshot then.
    if entries.iter().any(|e| e.mtime_ns == 0) {
        return None;
    }
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    Some(SnapshotKey {
        format: FORMAT,
        build: build_id(),
        root: root.display().to_string(),
        drafts: options.drafts,
        archived: options.archived,
        files: entries
            .iter()
            .map(|e| (e.path.clone(), e.size, e.mtime_ns))
            .collect(),
    })
}

fn snapshot_file(root: &Path, options: LoadOptions) -> Option<PathBuf> {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    root.display().to_string().hash(&mut hasher);
    let name = format!(
        "library-{:016x}-{}{}.bin",
        hasher.finish(),
        u8::from(options.drafts),
        u8::from(options.archived)
    );
    Some(cache_dir()?.join(name))
}

/// The linked library as it was after the last load of `root`, if nothing has changed since:
/// an unchanged folder then starts without parsing or linking. `None` when there is no
/// snapshot, or it is stale, from another build, or damaged.
pub fn load_snapshot(root: &Path, options: LoadOptions, entries: &[Entry]) -> Option<Library> {
    let file = snapshot_file(root, options)?;
    let len = std::fs::metadata(&file).ok()?.len();
    if len > MAX_CACHE_BYTES {
        return None;
    }
    let bytes = std::fs::read(&file).ok()?;
    let opts = options_with_limit(len * 4 + 1024);
    let mut reader = bytes.as_slice();
    let key: SnapshotKey = opts.deserialize_from(&mut reader).ok()?;
    if Some(key) != snapshot_key(root, options, entries) {
        return None;
    }
    opts.deserialize_from(&mut reader).ok()
}

/// Writes the snapshot of a freshly loaded library, atomically; errors are the caller's to
/// ignore, as for the index cache.
pub fn save_snapshot(
    root: &Path,
    options: LoadOptions,
    entries: &[Entry],
    library: &Library,
) -> std::io::Result<()> {
    let (Some(file), Some(key)) = (
        snapshot_file(root, options),
        snapshot_key(root, options, entries),
    ) else {
        return Ok(());
    };
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".library.{}.tmp", std::process::id()));
    let result = (|| {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        let opts = options_with_limit(u64::MAX);
        opts.serialize_into(&mut out, &key)
            .map_err(std::io::Error::other)?;
        opts.serialize_into(&mut out, library)
            .map_err(std::io::Error::other)?;
        out.flush()?;
        std::fs::rename(&tmp, &file)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Identifies this build: version plus the executable's size and modification time.
fn build_id() -> String {
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

/// `$XDG_CACHE_HOME/careerhub`, else `$HOME/.cache/careerhub`.
pub fn cache_dir() -> Option<PathBuf> {
    crate::xdg::careerhub_dir("XDG_CACHE_HOME", ".cache")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse::parse_file;
    use crate::content::source::Source;

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
        let mut cache = IndexCache::open_in(Some(cache_dir.path().into()), content.path());
        assert!(cache.take(&entries[0]).is_none(), "empty at first");
        cache.save(&entries, &parse_all(&source, &entries)).unwrap();

        let mut cache = IndexCache::open_in(Some(cache_dir.path().into()), content.path());
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

    #[test]
    fn corrupt_or_foreign_caches_are_ignored() {
        let content = tempfile::tempdir().unwrap();
        let cache_dir = tempfile::tempdir().unwrap();
        std::fs::write(content.path().join("a.md"), "---\ntitle: A\n---\n").unwrap();
        let source = Source::Dir(content.path().to_path_buf());
        let (entries, _) = source.list().unwrap();
        let cache = IndexCache::open_in(Some(cache_dir.path().into()), content.path());
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
        let mut cache = IndexCache::open_in(Some(cache_dir.path().into()), content.path());
        assert!(cache.take(&entries[0]).is_none());
        std::fs::write(&file, vec![0xff; 4096]).unwrap();
        let mut cache = IndexCache::open_in(Some(cache_dir.path().into()), content.path());
        assert!(cache.take(&entries[0]).is_none());
        // A cache written for another folder is not used for this one.
        let other = tempfile::tempdir().unwrap();
        let cache = IndexCache::open_in(Some(cache_dir.path().into()), other.path());
        assert!(cache.entries.is_empty());
    }
}

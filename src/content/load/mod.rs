//! Loading a content folder into an [`Index`], in phases as in zola's content library:
//! [`source`] lists and reads the files, [`split`] decodes each and cuts it into frontmatter and
//! body, [`frontmatter`] turns YAML, TOML or JSON into one neutral value and validates it,
//! [`repair`] fixes mis-decoded text, [`templates`] turns other generators' template tags into
//! Markdown, [`parse`] makes one article of each file; [`Index::link`] then links them. The
//! [`cache`] lets an unchanged folder start without parsing or linking again.
//!
//! [`Loader`] is the one entry point. It is told where its cache lives: nothing here reads the
//! environment.

pub mod cache;
pub mod frontmatter;
mod options;
pub mod parse;
pub mod repair;
pub mod source;
pub mod split;
pub mod templates;

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::index::{Index, LoadReport, Parsed};
use super::problem::Problem;
use cache::{IndexCache, PendingWrite, Snapshot, SnapshotWriter};
pub use options::LoadOptions;
use parse::{BodyLinks, ParsedFile};
use source::{Entry, Source, SourceError, SourceFile};

/// Loads one content source into an [`Index`]. Broken files become problems; the rest load.
#[derive(Debug, Clone)]
pub struct Loader {
    source: Source,
    options: LoadOptions,
    /// Where the index cache and snapshots live; `None` loads without caches.
    cache_dir: Option<PathBuf>,
}

impl Loader {
    /// A loader for `source` with no cache folder.
    pub fn new(source: Source, options: LoadOptions) -> Loader {
        Loader {
            source,
            options,
            cache_dir: None,
        }
    }

    /// Keeps the caches of a folder source in `dir` (`None`: no caches).
    pub fn with_cache_dir(mut self, dir: Option<PathBuf>) -> Loader {
        self.cache_dir = dir;
        self
    }

    /// Where article bodies are read from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// Loads every article. A folder starts from its snapshot when nothing changed, else
    /// through the index cache, so unchanged files are not parsed again; both are written for
    /// the next start.
    pub fn load(&self) -> Result<Index, SourceError> {
        let (index, snapshot) = self.load_with(BodyLinks::Read)?;
        if let Some(snapshot) = snapshot {
            // A cache is only an optimisation: failing to write it changes nothing else.
            let _ = snapshot.write(&index);
        }
        Ok(index)
    }

    /// Loads for the reader, whose first frame needs no backlinks: files not in the index
    /// cache are parsed without reading their bodies' links (half the cost of a first
    /// load), and the index comes without its link graph. [`Deferred::spawn`] then finishes
    /// the work beside the reader: the links, the index cache and the snapshot.
    pub fn load_for_reader(&self) -> Result<(Index, Deferred), SourceError> {
        let (index, snapshot) = self.load_with(BodyLinks::Later)?;
        let deferred = match snapshot {
            _ if !index.links_ready() => Deferred::Links {
                loader: self.clone(),
                snapshot,
            },
            Some(writer) => Deferred::Snapshot(writer),
            None => Deferred::Nothing,
        };
        Ok((index, deferred))
    }

    /// Loads from the snapshot, else parses (reading bodies' links as `links` says); gives
    /// the snapshot to write when it was not used.
    fn load_with(&self, links: BodyLinks) -> Result<(Index, Option<SnapshotWriter>), SourceError> {
        let Source::Dir(root) = &self.source else {
            let (entries, problems) = self.source.list()?;
            let index = self.parse_and_link(&entries, problems, BodyLinks::Read);
            return Ok((index, None));
        };
        let dir = self.cache_dir.as_deref();
        // The snapshot is read and decoded while the folder is listed: listing waits on
        // the file system, decoding on memory.
        let (listing, snapshot) = rayon::join(
            || self.source.list(),
            || Snapshot::read(dir, root, self.options),
        );
        let (entries, problems) = listing?;
        if let Some(index) = snapshot.and_then(|s| s.check(root, self.options, &entries)) {
            return Ok((index, None));
        }
        let index = self.parse_and_link(&entries, problems, links);
        Ok((
            index,
            SnapshotWriter::new(dir, root, self.options, &entries),
        ))
    }

    /// Parses listed files (through the index cache for a folder), keeps what the options
    /// show and links them. With [`BodyLinks::Later`], files not in the index cache are
    /// parsed without their bodies' links, and the index cache is left as it is (its rows
    /// hold whole files).
    fn parse_and_link(&self, entries: &[Entry], problems: Vec<Problem>, links: BodyLinks) -> Index {
        let (entries, sections) = article_entries(entries);
        let parsed = self.parse_entries(&entries, links, |_, parsed| parsed);
        let report = LoadReport {
            problems,
            sections,
            ..LoadReport::default()
        };
        assemble(parsed, self.options, report)
    }

    /// The links of every body of `index` (an index of this loader's folder built with
    /// [`BodyLinks::Later`]), by article id: the folder is listed again, unchanged files'
    /// links come from the index cache, the others are parsed again, and the index cache is
    /// brought up to date on the way. Only the links are kept, never a second index.
    fn body_links(&self, index: &Index) -> Vec<Vec<String>> {
        let mut outgoing = vec![Vec::new(); index.len()];
        let Ok((entries, _)) = self.source.list() else {
            return outgoing;
        };
        let (entries, _) = article_entries(&entries);
        let found = self.parse_entries(&entries, BodyLinks::Read, |entry, parsed| {
            let id = index.id_of_path(&entry.path)?;
            Some((id, parsed.ok()?.outgoing?))
        });
        for (id, urls) in found.into_iter().flatten() {
            outgoing[id.idx()] = urls;
        }
        outgoing
    }

    /// Parses `entries` on every core, through the index cache for a folder: unchanged files
    /// come from it, and with [`BodyLinks::Read`] it is rewritten when anything changed.
    /// Files are read inside the parallel tasks and dropped once parsed, so a big folder never
    /// sits in memory whole; each task also encodes its files' cache rows, and hands each
    /// parsed file to `keep`.
    fn parse_entries<T: Send>(
        &self,
        entries: &[Entry],
        links: BodyLinks,
        keep: impl Fn(&Entry, ParsedFile) -> T + Sync,
    ) -> Vec<T> {
        let mut cache = match &self.source {
            Source::Dir(root) => IndexCache::open(self.cache_dir.as_deref(), root),
            _ => IndexCache::default(),
        };
        let mut cached: Vec<Option<ParsedFile>> = entries.iter().map(|e| cache.take(e)).collect();
        let fresh = cached.iter().filter(|c| c.is_none()).count();
        let write_cache =
            links == BodyLinks::Read && cache.is_stored() && (fresh > 0 || cache.has_leftovers());
        let chunks: Vec<(Vec<T>, Option<Vec<u8>>)> = entries
            .par_chunks(cache::CHUNK_ROWS)
            .zip(cached.par_chunks_mut(cache::CHUNK_ROWS))
            .map(|(entries, cached)| {
                let parsed: Vec<ParsedFile> = entries
                    .iter()
                    .zip(cached)
                    .map(|(entry, cached)| {
                        cached
                            .take()
                            .unwrap_or_else(|| self.parse_entry(entry, links))
                    })
                    .collect();
                let rows = write_cache
                    .then(|| cache::encode_chunk(entries.iter().zip(&parsed)).ok())
                    .flatten();
                let kept = entries
                    .iter()
                    .zip(parsed)
                    .map(|(e, p)| keep(e, p))
                    .collect();
                (kept, rows)
            })
            .collect();
        let mut kept = Vec::with_capacity(entries.len());
        let mut rows = Vec::with_capacity(chunks.len());
        for (k, r) in chunks {
            kept.extend(k);
            rows.extend(r);
        }
        if write_cache && rows.len() == entries.len().div_ceil(cache::CHUNK_ROWS) {
            // A cache is only an optimisation: failing to write it changes nothing else.
            let _ = cache.save_chunks(&rows);
        }
        kept
    }

    fn parse_entry(&self, entry: &Entry, links: BodyLinks) -> ParsedFile {
        match self.source.read(&entry.path) {
            Ok(bytes) => parse::parse_file_with(&entry.path, &bytes, links),
            Err(e) => Err(vec![Problem::error(
                &entry.path,
                1,
                format!("cannot read file: {e}"),
            )]),
        }
    }
}

/// What [`Loader::load_for_reader`] leaves to do once the reader is up.
#[derive(Debug)]
pub enum Deferred {
    /// Nothing: the index came whole from its snapshot.
    Nothing,
    /// Write the snapshot for the next start.
    Snapshot(SnapshotWriter),
    /// Read every body's links (from the index cache where a file is unchanged, bringing it
    /// up to date), set the link graph, then write the snapshot.
    Links {
        loader: Loader,
        snapshot: Option<SnapshotWriter>,
    },
}

impl Deferred {
    /// Starts the deferred work on a thread of its own; the returned handle waits for it
    /// when dropped, so a process that quits early still leaves whole caches for the next
    /// start (or none), never a stray temporary file.
    pub fn spawn(self, index: Arc<Index>) -> Option<PendingWrite> {
        match self {
            Deferred::Nothing => None,
            Deferred::Snapshot(writer) => Some(writer.spawn(index)),
            Deferred::Links { loader, snapshot } => {
                let pass = move || {
                    let outgoing = loader.body_links(&index);
                    index.set_link_graph(index.link_graph(&outgoing));
                    if let Some(snapshot) = snapshot {
                        // A cache is only an optimisation: failing to write it changes nothing.
                        let _ = snapshot.write(&index);
                    }
                    crate::os::release_freed_memory();
                };
                // No thread (the system refused one): the reader goes on without backlinks.
                std::thread::Builder::new()
                    .name("careerhub-links".into())
                    .spawn(pass)
                    .ok()
                    .map(PendingWrite::new)
            }
        }
    }
}

/// The listed files that are articles (section pages left out), and how many were left out.
fn article_entries(entries: &[Entry]) -> (std::borrow::Cow<'_, [Entry]>, usize) {
    use std::borrow::Cow;
    if !entries.iter().any(|e| source::is_section_page(&e.path)) {
        return (Cow::Borrowed(entries), 0);
    }
    let articles: Vec<Entry> = entries
        .iter()
        .filter(|e| !source::is_section_page(&e.path))
        .cloned()
        .collect();
    let sections = entries.len() - articles.len();
    (Cow::Owned(articles), sections)
}

/// Keeps what the options show, then links the articles. The report gets the load's counts
/// and every problem, sorted by path and line.
fn assemble(parsed: Vec<ParsedFile>, options: LoadOptions, mut report: LoadReport) -> Index {
    let mut kept: Vec<Parsed> = Vec::with_capacity(parsed.len());
    for result in parsed {
        match result {
            Ok(p)
                if (options.drafts || !p.article.draft)
                    && (options.archived || !p.article.archived) =>
            {
                kept.push(p)
            }
            Ok(p) => {
                // A hidden article's warnings still count: `check` reports them.
                report.hidden += 1;
                report.problems.extend(p.warnings);
            }
            Err(errors) => {
                report.skipped += 1;
                report.problems.extend(errors);
            }
        }
    }
    let (mut index, problems) = Index::link(kept);
    report.problems.extend(problems);
    report
        .problems
        .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    index.set_report(report);
    index
}

/// Loads files held in memory (tests, benches, synthetic libraries), with `problems` found
/// before loading; returns the source too, for [`crate::content::bodies::Bodies`].
pub fn load_memory(
    files: Vec<SourceFile>,
    problems: Vec<Problem>,
    options: LoadOptions,
) -> (Index, Source) {
    let loader = Loader::new(Source::memory(files), options);
    // Listing memory never fails; an empty list would only hide articles, never invent any.
    let (entries, mut listed) = loader.source.list().unwrap_or_default();
    listed.extend(problems);
    let index = loader.parse_and_link(&entries, listed, BodyLinks::Read);
    (index, loader.source)
}

impl Index {
    /// An index of files held in memory, with `problems` found before loading (tests,
    /// benches, synthetic libraries). [`load_memory`] also gives the source, for bodies.
    pub fn from_files(
        files: Vec<SourceFile>,
        problems: Vec<Problem>,
        options: LoadOptions,
    ) -> Index {
        load_memory(files, problems, options).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn write(dir: &std::path::Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    /// Waits until `index` has its link graph, at most a few seconds.
    fn wait_for_links(index: &Index) {
        let started = Instant::now();
        while !index.links_ready() {
            assert!(started.elapsed() < Duration::from_secs(20), "no link graph");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    #[test]
    fn the_reader_starts_without_backlinks_and_gets_them_with_the_caches_beside_it() {
        let content = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        write(content.path(), "to.md", "---\ntitle: To\n---\nplain body");
        write(
            content.path(),
            "from.md",
            "---\ntitle: From\n---\n<p>Read <a href=\"https://site.example/blog/to\">this</a>.</p>",
        );
        let loader = Loader::new(Source::Dir(content.path().into()), LoadOptions::default())
            .with_cache_dir(Some(cache.path().into()));

        let (index, deferred) = loader.load_for_reader().unwrap();
        let to = index.by_slug("to").unwrap().id;
        let from = index.by_slug("from").unwrap().id;
        assert!(!index.links_ready());
        assert!(index.backlinks(to).is_empty());
        assert!(matches!(deferred, Deferred::Links { .. }));
        let index = Arc::new(index);
        let pending = deferred.spawn(index.clone()).expect("a link pass");
        // The handle waits for the pass: a reader closed at once still leaves the caches.
        pending.finish();
        assert!(index.links_ready());
        assert_eq!(index.backlinks(to), &[from]);
        // The pass wrote the index cache, whole files with their links.
        let (entries, _) = loader.source.list().unwrap();
        let mut rows = IndexCache::open(Some(cache.path()), content.path());
        for entry in &entries {
            let row = rows.take(entry).expect("cached").unwrap();
            assert!(row.outgoing.is_some(), "{}", entry.path);
        }

        // The pass wrote the snapshot: the next start is whole from it, nothing left to do.
        let (again, deferred) = loader.load_for_reader().unwrap();
        assert!(again.links_ready());
        assert!(matches!(deferred, Deferred::Nothing));
        assert_eq!(again.backlinks(to), &[from]);

        // One file changed: the other comes whole from the index cache, the changed one
        // without its links, so the graph waits for the pass again.
        write(
            content.path(),
            "to.md",
            "---\ntitle: To, changed\n---\nplain body",
        );
        let (changed, deferred) = loader.load_for_reader().unwrap();
        assert!(!changed.links_ready());
        assert_eq!(changed.by_slug("to").unwrap().title, "To, changed");
        let changed = Arc::new(changed);
        let _pending = deferred.spawn(changed.clone());
        wait_for_links(&changed);
        assert_eq!(changed.backlinks(to), &[from]);

        // Only the link-reading pass is left out: `load` (the CLI's) is whole at once.
        write(
            content.path(),
            "to.md",
            "---\ntitle: To, again\n---\nplain body",
        );
        let whole = loader.load().unwrap();
        assert_eq!(whole.backlinks(to), &[from]);
    }

    #[test]
    fn a_snapshot_is_never_written_without_the_link_graph() {
        let content = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        write(content.path(), "a.md", "---\ntitle: A\n---\nbody");
        let loader = Loader::new(Source::Dir(content.path().into()), LoadOptions::default())
            .with_cache_dir(Some(cache.path().into()));
        let (index, _) = loader.load_with(BodyLinks::Later).unwrap();
        let (entries, _) = loader.source.list().unwrap();
        let writer =
            SnapshotWriter::new(Some(cache.path()), content.path(), loader.options, &entries)
                .unwrap();
        assert!(writer.write(&index).is_err());
        assert!(Snapshot::read(Some(cache.path()), content.path(), loader.options).is_none());
    }
}

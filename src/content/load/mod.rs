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

use rayon::prelude::*;

use super::index::{Index, LoadReport, Parsed};
use super::problem::Problem;
use cache::{IndexCache, Snapshot, SnapshotWriter};
pub use options::LoadOptions;
use parse::ParsedFile;
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
        let (index, snapshot) = self.load_deferred()?;
        if let Some(snapshot) = snapshot {
            // A cache is only an optimisation: failing to write it changes nothing else.
            let _ = snapshot.write(&index);
        }
        Ok(index)
    }

    /// Like [`Loader::load`], but leaves the snapshot for the caller to write, on another
    /// thread once the index is shared (see [`SnapshotWriter::spawn`]), so the reader's first
    /// frame does not wait for it. `None` when there is nothing to write.
    pub fn load_deferred(&self) -> Result<(Index, Option<SnapshotWriter>), SourceError> {
        let Source::Dir(root) = &self.source else {
            let (entries, problems) = self.source.list()?;
            return Ok((self.parse_and_link(&entries, problems), None));
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
        let index = self.parse_and_link(&entries, problems);
        Ok((
            index,
            SnapshotWriter::new(dir, root, self.options, &entries),
        ))
    }

    /// Parses listed files (through the index cache for a folder), keeps what the options
    /// show and links them.
    fn parse_and_link(&self, entries: &[Entry], problems: Vec<Problem>) -> Index {
        let all = entries.len();
        let articles: Vec<Entry>;
        let entries = if entries.iter().any(|e| source::is_section_page(&e.path)) {
            articles = entries
                .iter()
                .filter(|e| !source::is_section_page(&e.path))
                .cloned()
                .collect();
            &articles[..]
        } else {
            entries
        };
        let sections = all - entries.len();
        let mut cache = match &self.source {
            Source::Dir(root) => IndexCache::open(self.cache_dir.as_deref(), root),
            _ => IndexCache::default(),
        };
        let mut cached: Vec<Option<ParsedFile>> = entries.iter().map(|e| cache.take(e)).collect();
        let fresh = cached.iter().filter(|c| c.is_none()).count();
        let write_cache = cache.is_stored() && (fresh > 0 || cache.has_leftovers());
        // Files are read inside the parallel tasks and dropped once parsed, so a big folder
        // never sits in memory whole; each task also encodes its files' cache rows.
        let chunks: Vec<(Vec<ParsedFile>, Option<Vec<u8>>)> = entries
            .par_chunks(cache::CHUNK_ROWS)
            .zip(cached.par_chunks_mut(cache::CHUNK_ROWS))
            .map(|(entries, cached)| {
                let parsed: Vec<ParsedFile> = entries
                    .iter()
                    .zip(cached)
                    .map(|(entry, cached)| cached.take().unwrap_or_else(|| self.parse_entry(entry)))
                    .collect();
                let rows = write_cache
                    .then(|| cache::encode_chunk(entries.iter().zip(&parsed)).ok())
                    .flatten();
                (parsed, rows)
            })
            .collect();
        let mut parsed = Vec::with_capacity(entries.len());
        let mut rows = Vec::with_capacity(chunks.len());
        for (p, r) in chunks {
            parsed.extend(p);
            rows.extend(r);
        }
        if write_cache && rows.len() == entries.len().div_ceil(cache::CHUNK_ROWS) {
            // A cache is only an optimisation: failing to write it changes nothing else.
            let _ = cache.save_chunks(&rows);
        }
        drop(rows);
        let report = LoadReport {
            problems,
            sections,
            ..LoadReport::default()
        };
        assemble(parsed, self.options, report)
    }

    fn parse_entry(&self, entry: &Entry) -> ParsedFile {
        match self.source.read(&entry.path) {
            Ok(bytes) => parse::parse_file(&entry.path, &bytes),
            Err(e) => Err(vec![Problem::error(
                &entry.path,
                1,
                format!("cannot read file: {e}"),
            )]),
        }
    }
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
    let index = loader.parse_and_link(&entries, listed);
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

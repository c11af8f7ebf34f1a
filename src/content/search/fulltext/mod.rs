//! Full-text search inside article bodies, with tantivy.
//!
//! One index per content folder lives in the XDG cache dir beside the other caches, in
//! `fulltext-<folder hash>-<options>/`, with a key file naming the build, folder and options
//! it was made for (as the other caches are keyed). An index whose key differs, that does
//! not open, whose schema is not ours or whose checksums fail is deleted and built again:
//! never trusted. A library that is not a folder (the built-in one, or files in memory) gets
//! an index in memory.
//!
//! Each document stores its file's stamp (size and modification time) and a digest of its
//! bytes: [`BodyIndex::update`] skips unchanged files, re-stamps touched ones without
//! rendering them again, renders changed and new ones, and deletes the documents of removed
//! files. It commits every [`COMMIT_EVERY`] documents, so a search made while a big folder
//! is indexed returns body hits from what is indexed so far.
//!
//! Fields: `slug`, `title` (boosted), `description`, `facets` (for filters), `body` (the
//! text the reader shows, see [`source::body_text`], so hidden markup is never matched),
//! all stemmed, and `words`, the same text unstemmed, to complete the word being typed.
//! Everything the index needs from the library goes through [`source`].

pub mod analysis;
pub mod query;
pub mod snippet;
pub mod source;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, MoreLikeThisQuery, Occur, PhraseQuery, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, OwnedValue, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::content::article::ArticleId;
use crate::content::index::Index as LibIndex;
use crate::content::index::Related;
use crate::content::load::LoadOptions;
use crate::content::load::source::Source;
use crate::content::search::query::Query;
pub use query::BodyQuery;
pub use snippet::Snippet;
pub use source::Corpus;

/// Bumped whenever the schema or the analyzers change.
const FORMAT: u32 = 2;
/// Name of the key file inside the index folder.
const KEY_FILE: &str = "careerhub-key";
/// Name, size and modification time of every index file when careerhub last checked or
/// wrote them (see [`dir_stamp`]).
const CHECKED_FILE: &str = "careerhub-checked";
/// Documents added between two commits while indexing (each commit makes them searchable).
pub const COMMIT_EVERY: usize = 1000;
/// Bodies rendered together on every core before they are added.
const RENDER_BATCH: usize = 64;
/// Memory tantivy's writer may buffer before it writes a segment (its minimum is 15 MB).
const WRITER_HEAP: usize = 24_000_000;
/// Words the typed prefix may expand to.
const MAX_PREFIX_TERMS: usize = 32;
/// A hit in the title counts this much more than one in the body.
const TITLE_BOOST: f32 = 3.0;
const DESCRIPTION_BOOST: f32 = 1.5;
/// A word completed from a prefix counts less than the word typed whole.
const PREFIX_BOOST: f32 = 0.5;
/// Separates facet name and value in the `facets` field.
const FACET_SEP: char = '\u{1f}';
/// Body hits the reader's search returns, and how many carry a snippet (the list shows a
/// screenful; a snippet costs reading and analysing one body).
pub const READER_BODY_HITS: usize = 100;
pub const READER_SNIPPETS: usize = 40;
/// Candidates more-like-this proposes for the similar list, before they are ranked.
const SIMILAR_CANDIDATES: usize = 25;
/// An article counts as similar when its score is at least this share of the closest one's.
const MIN_RELATIVE_SIMILARITY: f32 = 0.6;
/// Articles listed as similar by content.
pub const SIMILAR_LIMIT: usize = 5;

struct Fields {
    path: Field,
    slug: Field,
    title: Field,
    description: Field,
    facets: Field,
    body: Field,
    words: Field,
    stamp: Field,
    digest: Field,
    /// Bytes of `body` before its trailer sections (calls to action, link lists): what
    /// similarity compares, as every article's trailer looks alike.
    main_len: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stemmed = |stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analysis::STEMMED)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored { o.set_stored() } else { o }
    };
    let fields = Fields {
        path: b.add_text_field("path", STRING | STORED | FAST),
        slug: b.add_text_field("slug", STRING | STORED),
        title: b.add_text_field("title", stemmed(true)),
        description: b.add_text_field("description", stemmed(true)),
        facets: b.add_text_field("facets", STRING | STORED),
        body: b.add_text_field("body", stemmed(true)),
        words: b.add_text_field(
            "words",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analysis::WORDS)
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        ),
        stamp: b.add_u64_field("stamp", INDEXED | STORED | FAST),
        digest: b.add_u64_field("digest", STORED | FAST),
        main_len: b.add_u64_field("main_len", STORED),
    };
    (b.build(), fields)
}

/// Why the index could not be used at all (the reader and CLI then search titles only).
#[derive(Debug, thiserror::Error)]
pub enum FulltextError {
    #[error("body index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("body index folder {0}: {1}")]
    Io(String, std::io::Error),
    /// Another careerhub kept the index to itself (writing it) for longer than
    /// [`WRITER_WAIT`].
    #[error("body index: another careerhub is still writing it")]
    Busy,
}

/// How long [`BodyIndex::ensure`] waits for another careerhub that is writing the same index.
pub const WRITER_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// How far indexing has got, readable from any thread.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
    finished: AtomicBool,
}

impl Progress {
    /// `(indexed, total)` articles.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    /// Whether the last update has finished.
    pub fn finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }
}

/// What an update did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct UpdateStats {
    /// Documents rendered and (re)added.
    pub indexed: usize,
    /// Documents re-stamped without rendering (touched, unchanged).
    pub touched: usize,
    /// Documents deleted (their file is gone or no longer shown).
    pub removed: usize,
    /// Documents left as they were.
    pub unchanged: usize,
}

/// A body hit: an article and how well its text matches.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyHit {
    pub id: ArticleId,
    /// BM25 score.
    pub score: f32,
    /// The best line of body text, for the first hits (see [`BodyIndex::search`]).
    pub snippet: Option<Snippet>,
}

/// The body index of one library.
pub struct BodyIndex {
    reader: IndexReader,
    fields: Fields,
    /// `None` when another careerhub is writing this index: it is then searched as it is.
    writer: Mutex<Option<IndexWriter>>,
    by_path: HashMap<String, ArticleId>,
    progress: Progress,
    /// Where the index lives; `None` in memory.
    dir: Option<PathBuf>,
    /// Whether the index was found damaged or stale and started again.
    rebuilt: AtomicBool,
    /// Whether the files of the index have been checked against their checksums (done by
    /// the first update, off the first frame's path).
    validated: AtomicBool,
}

impl std::fmt::Debug for BodyIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BodyIndex")
            .field("dir", &self.dir)
            .field("progress", &self.progress)
            .finish()
    }
}

impl BodyIndex {
    /// Opens the index of `lib` in `cache_dir` and brings it up to date, waiting (at most
    /// [`WRITER_WAIT`]) for another careerhub that is writing it.
    pub fn ensure(
        lib: &Corpus,
        options: LoadOptions,
        cache_dir: Option<PathBuf>,
    ) -> Result<BodyIndex, FulltextError> {
        // Another careerhub may be writing this index (the lock is tantivy's): searching it
        // half-written would silently miss bodies, so wait for it, then bring it up to date.
        let deadline = std::time::Instant::now() + WRITER_WAIT;
        let mut retried = false;
        loop {
            let index = match Self::open(lib, options, cache_dir.clone()) {
                Ok(index) => index,
                // An index that cannot even be opened (a segment file gone) is damaged:
                // it is built again once, never trusted.
                Err(_) if !retried => {
                    retried = true;
                    if let Some(dir) = source::index_dir(lib, options, cache_dir.clone()) {
                        let _ = std::fs::remove_dir_all(dir);
                    }
                    continue;
                }
                Err(e) => return Err(e),
            };
            let has_writer = index
                .writer
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .is_some();
            if has_writer {
                match index.update(lib) {
                    Ok(_) => return Ok(index),
                    Err(_) if !retried => {
                        retried = true;
                        let dir = index.dir().map(Path::to_path_buf);
                        drop(index);
                        if let Some(dir) = dir {
                            let _ = std::fs::remove_dir_all(dir);
                        }
                        continue;
                    }
                    Err(e) => return Err(e),
                }
            }
            if std::time::Instant::now() >= deadline {
                return Err(FulltextError::Busy);
            }
            drop(index);
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    /// Opens (or creates) the index of `lib` under `cache_dir` without indexing anything:
    /// cheap, so the reader can start at once and call [`BodyIndex::update`] on a thread.
    pub fn open(
        lib: &Corpus,
        options: LoadOptions,
        cache_dir: Option<PathBuf>,
    ) -> Result<BodyIndex, FulltextError> {
        let (schema, fields) = schema();
        let dir = source::index_dir(lib, options, cache_dir);
        let key = source::index_key(lib, options, FORMAT);
        let (index, dir, rebuilt) = match &dir {
            Some(d) => match open_trusted(d, &key, &schema) {
                Some(index) => (index, dir, false),
                None => match create_in(d, &key, &schema) {
                    Ok(index) => (index, dir, true),
                    // A cache folder we cannot write: index in memory instead.
                    Err(_) => (Index::create_in_ram(schema.clone()), None, true),
                },
            },
            None => (Index::create_in_ram(schema.clone()), None, false),
        };
        register_tokenizers(&index);
        let writer = index
            .writer_with_num_threads(1, WRITER_HEAP)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => None,
                e => Some(e),
            });
        let writer = match writer {
            Ok(w) => Some(w),
            Err(None) => None,
            Err(Some(e)) => return Err(e.into()),
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let by_path = lib
            .articles()
            .iter()
            .map(|a| (a.path.clone(), a.id))
            .collect();
        Ok(BodyIndex {
            reader,
            fields,
            writer: Mutex::new(writer),
            by_path,
            progress: Progress::default(),
            dir,
            rebuilt: AtomicBool::new(rebuilt),
            validated: AtomicBool::new(rebuilt),
        })
    }

    /// Drops the writer: the index stays searchable, [`BodyIndex::update`] no longer
    /// changes it.
    pub fn release_writer(&self) {
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner()).take();
        drop(writer);
    }

    /// How far indexing has got.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Whether the index on disk was found damaged or stale and started again.
    pub fn was_rebuilt(&self) -> bool {
        self.rebuilt.load(Ordering::Relaxed)
    }

    /// Where the index lives; `None` when it is in memory.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Articles the index holds right now.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Brings the index up to date with `lib`: only changed, added and removed files are
    /// touched. Without the writer (another careerhub holds it) the index stays as it is.
    pub fn update(&self, lib: &Corpus) -> Result<UpdateStats, FulltextError> {
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let mut stats = UpdateStats::default();
        let docs = source::articles(lib);
        self.progress.total.store(docs.len(), Ordering::Relaxed);
        self.progress.done.store(0, Ordering::Relaxed);
        self.progress.finished.store(false, Ordering::Release);
        let Some(writer) = guard.as_mut() else {
            self.progress.done.store(docs.len(), Ordering::Relaxed);
            self.progress.finished.store(true, Ordering::Release);
            return Ok(stats);
        };
        // Every file of the last commit is checked against its checksum, unless no file of
        // the index changed (name, size, modification time) since careerhub last checked or
        // wrote it: a damaged index would give wrong answers, or none. A damaged one is
        // emptied and filled again.
        let unchanged = self
            .dir
            .as_deref()
            .is_some_and(|d| std::fs::read_to_string(d.join(CHECKED_FILE)).ok() == dir_stamp(d));
        if !self.validated.swap(true, Ordering::AcqRel) && !unchanged {
            let damaged = !matches!(
                self.reader.searcher().index().validate_checksum(),
                Ok(bad) if bad.is_empty()
            );
            if damaged {
                writer.delete_all_documents()?;
                writer.commit()?;
                self.reader.reload()?;
                self.rebuilt.store(true, Ordering::Relaxed);
            }
        }
        let known = self.stamps()?;
        let f = &self.fields;
        let mut pending = 0;
        let wanted: std::collections::HashSet<&str> =
            docs.iter().map(|d| String::as_str(&d.path)).collect();
        for path in known.keys().filter(|p| !wanted.contains(String::as_str(p))) {
            writer.delete_term(Term::from_field_text(f.path, path));
            stats.removed += 1;
            pending += 1;
        }
        let mut fresh = Vec::new();
        for doc in &docs {
            match known.get(&doc.path) {
                Some(&(stamp, _)) if stamp == doc.stamp && stamp != 0 => stats.unchanged += 1,
                Some(&(_, digest)) => {
                    let now = source::file_digest(lib, &doc.path);
                    match self.stored(&doc.path).filter(|_| now == Some(digest)) {
                        Some(mut old) => {
                            // Touched, not changed: the same document with the new stamp.
                            writer.delete_term(Term::from_field_text(f.path, &doc.path));
                            self.restamp(&mut old, doc.stamp);
                            writer.add_document(old)?;
                            stats.touched += 1;
                            pending += 1;
                        }
                        None => fresh.push(doc),
                    }
                }
                None => fresh.push(doc),
            }
        }
        let skipped = docs.len() - fresh.len();
        self.progress.done.store(skipped, Ordering::Relaxed);
        for batch in fresh.chunks(RENDER_BATCH) {
            let built: Vec<TantivyDocument> =
                batch.par_iter().map(|d| self.document(lib, d)).collect();
            for (d, doc) in batch.iter().zip(built) {
                writer.delete_term(Term::from_field_text(f.path, &d.path));
                writer.add_document(doc)?;
            }
            stats.indexed += batch.len();
            pending += batch.len();
            if pending >= COMMIT_EVERY {
                writer.commit()?;
                self.reader.reload()?;
                pending = 0;
            }
            self.progress
                .done
                .store(skipped + stats.indexed, Ordering::Relaxed);
        }
        if pending > 0 {
            writer.commit()?;
            self.reader.reload()?;
        }
        if let Some((dir, stamp)) = self.dir.as_deref().and_then(|d| Some((d, dir_stamp(d)?))) {
            // What was checked or written just now; failing to record it costs a check.
            let _ = std::fs::write(dir.join(CHECKED_FILE), stamp);
        }
        self.progress.done.store(docs.len(), Ordering::Relaxed);
        self.progress.finished.store(true, Ordering::Release);
        Ok(stats)
    }

    /// `path → (stamp, digest)` of every live document.
    fn stamps(&self) -> Result<HashMap<String, (u64, u64)>, FulltextError> {
        let searcher = self.reader.searcher();
        let mut out = HashMap::new();
        let mut path = String::new();
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            let (Some(paths), stamps, digests) =
                (ff.str("path")?, ff.u64("stamp")?, ff.u64("digest")?)
            else {
                continue;
            };
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| a.is_deleted(doc)) {
                    continue;
                }
                let Some(ord) = paths.term_ords(doc).next() else {
                    continue;
                };
                path.clear();
                if paths
                    .ord_to_str(ord, &mut path)
                    .map_err(|e| FulltextError::Io("path column".into(), e))?
                {
                    let stamp = stamps.first(doc).unwrap_or(0);
                    let digest = digests.first(doc).unwrap_or(0);
                    out.insert(path.clone(), (stamp, digest));
                }
            }
        }
        Ok(out)
    }

    /// A stored document with a new stamp, and its unstored `words` field filled again from
    /// the stored text (a stored document keeps only stored fields).
    fn restamp(&self, doc: &mut TantivyDocument, stamp: u64) {
        let f = &self.fields;
        let mut kept = TantivyDocument::default();
        for (field, v) in doc.field_values() {
            if field != f.stamp {
                kept.add_field_value(field, &OwnedValue::from(v));
            }
        }
        for field in [f.title, f.description, f.body] {
            if let Some(text) = doc.get_first(field).and_then(|v| v.as_str()) {
                kept.add_text(f.words, text);
            }
        }
        kept.add_u64(f.stamp, stamp);
        *doc = kept;
    }

    /// The stored document of `path`, if the index holds it.
    fn stored(&self, path: &str) -> Option<TantivyDocument> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.fields.path, path),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&q, &TopDocs::with_limit(1)).ok()?;
        let (_, addr) = top.first()?;
        searcher.doc(*addr).ok()
    }

    /// The index document of one article: its fields, its body as the reader renders it.
    fn document(&self, lib: &Corpus, d: &source::DocSource) -> TantivyDocument {
        let f = &self.fields;
        let a = lib.get(d.id);
        let mut doc = TantivyDocument::default();
        doc.add_text(f.path, &a.path);
        doc.add_text(f.slug, &a.slug);
        let title = analysis::nfc(&a.title);
        let description = analysis::nfc(&a.description);
        doc.add_text(f.title, &title);
        doc.add_text(f.description, &description);
        for (name, values) in &a.facets {
            for v in values {
                doc.add_text(f.facets, facet_term(name, v));
            }
        }
        let (body, main_len) = source::body_text(lib, d.id).unwrap_or_default();
        for text in [&*title, &*description, &body] {
            doc.add_text(f.words, text);
        }
        doc.add_text(f.body, &body);
        doc.add_u64(f.stamp, d.stamp);
        doc.add_u64(f.main_len, main_len as u64);
        doc.add_u64(f.digest, source::file_digest(lib, &a.path).unwrap_or(0));
        doc
    }

    /// Body hits for `query`, best first, at most `limit`; the first `snippets` carry a
    /// snippet. Articles that fail the query's filters are left out. A query with no words
    /// finds nothing here (filters alone are the title search's business).
    pub fn search(
        &self,
        lib: &LibIndex,
        query: &Query,
        limit: usize,
        snippets: usize,
    ) -> Vec<BodyHit> {
        let (mut stemmed, mut words) = (analysis::stemmed(), analysis::words());
        let bq = BodyQuery::new(query, &mut stemmed, &mut words);
        if bq.is_empty() || limit == 0 {
            return Vec::new();
        }
        let searcher = self.reader.searcher();
        let tq = self.tantivy_query(&bq, &searcher);
        // No more hits than documents: the collector sizes its heap by the limit, and a
        // `--limit` as large as a count can be must not become an allocation that large.
        let limit = limit.min(
            usize::try_from(searcher.num_docs())
                .unwrap_or(usize::MAX)
                .max(1),
        );
        let Ok(top) = searcher.search(&tq, &TopDocs::with_limit(limit)) else {
            return Vec::new();
        };
        let filter = query.facet_filter(lib);
        let found: Vec<(ArticleId, f32, DocAddress)> = top
            .into_iter()
            .filter_map(|(score, addr)| Some((self.article_at(&searcher, addr)?, score, addr)))
            .filter(|&(id, _, _)| filter.passes(lib, id))
            .collect();
        // Snippets are most of a keystroke's body search (reading and analysing a body each):
        // made on every core, each thread with analyzers of its own, in hit order.
        let snippets: Vec<Option<Snippet>> = found[..snippets.min(found.len())]
            .par_iter()
            .map_init(
                || (analysis::stemmed(), analysis::words()),
                |(stemmed, words), &(_, _, addr)| {
                    let doc: TantivyDocument = searcher.doc(addr).ok()?;
                    let body = doc.get_first(self.fields.body)?.as_str()?;
                    snippet::snippet(body, &bq, stemmed, words)
                },
            )
            .collect();
        found
            .into_iter()
            .zip(snippets.into_iter().chain(std::iter::repeat(None)))
            .map(|((id, score, _), snippet)| BodyHit { id, score, snippet })
            .collect()
    }

    /// The snippet of one article's body for `query` (for a hit that had none).
    pub fn snippet(&self, id: ArticleId, lib: &LibIndex, query: &Query) -> Option<Snippet> {
        let (mut stemmed, mut words) = (analysis::stemmed(), analysis::words());
        let bq = BodyQuery::new(query, &mut stemmed, &mut words);
        let doc = self.stored(&lib.get(id).path)?;
        let body = doc.get_first(self.fields.body)?.as_str()?.to_owned();
        snippet::snippet(&body, &bq, &mut stemmed, &mut words)
    }

    /// The article a document stands for, through its path.
    fn article_at(&self, searcher: &tantivy::Searcher, addr: DocAddress) -> Option<ArticleId> {
        let segment = searcher.segment_reader(addr.segment_ord);
        let paths = segment.fast_fields().str("path").ok()??;
        let ord = paths.term_ords(addr.doc_id).next()?;
        let mut path = String::new();
        paths.ord_to_str(ord, &mut path).ok()?;
        self.by_path.get(&path).copied()
    }

    fn tantivy_query(&self, bq: &BodyQuery, searcher: &tantivy::Searcher) -> BooleanQuery {
        let f = &self.fields;
        let mut words: Vec<(Occur, Box<dyn tantivy::query::Query>)> = Vec::new();
        for unit in &bq.units {
            let mut should: Vec<(Occur, Box<dyn tantivy::query::Query>)> = Vec::new();
            for (field, boost) in [
                (f.title, TITLE_BOOST),
                (f.description, DESCRIPTION_BOOST),
                (f.body, 1.0),
            ] {
                let terms: Vec<Term> = unit
                    .terms
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect();
                let q: Box<dyn tantivy::query::Query> = if terms.len() == 1 {
                    Box::new(TermQuery::new(
                        terms[0].clone(),
                        IndexRecordOption::WithFreqs,
                    ))
                } else {
                    Box::new(PhraseQuery::new(terms))
                };
                should.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
            }
            if let Some(prefix) = &unit.prefix {
                for term in expand_prefix(searcher, f.words, prefix) {
                    let q = TermQuery::new(
                        Term::from_field_text(f.words, &term),
                        IndexRecordOption::WithFreqs,
                    );
                    should.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(q), PREFIX_BOOST)),
                    ));
                }
            }
            let occur = if unit.stop {
                Occur::Should
            } else {
                Occur::Must
            };
            words.push((occur, Box::new(BooleanQuery::new(should))));
        }
        let content = bq.units.iter().filter(|u| !u.stop).count();
        let mut must: Vec<(Occur, Box<dyn tantivy::query::Query>)> = Vec::new();
        if content > query::required(content) {
            // Many words: enough of them must match, not all (stop words stay optional).
            let (required, optional): (Vec<_>, Vec<_>) =
                words.into_iter().zip(&bq.units).partition(|(_, u)| !u.stop);
            let required: Vec<Box<dyn tantivy::query::Query>> =
                required.into_iter().map(|((_, q), _)| q).collect();
            must.push((
                Occur::Must,
                Box::new(BooleanQuery::union_with_minimum_required_clauses(
                    required,
                    query::required(content),
                )),
            ));
            must.extend(optional.into_iter().map(|((_, q), _)| (Occur::Should, q)));
        } else {
            must.extend(words);
        }
        let mut names: Vec<&str> = bq.filters.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            let any: Vec<(Occur, Box<dyn tantivy::query::Query>)> = bq
                .filters
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(n, v)| {
                    let q = TermQuery::new(
                        Term::from_field_text(f.facets, &facet_term(n, v)),
                        IndexRecordOption::Basic,
                    );
                    (Occur::Should, Box::new(q) as Box<dyn tantivy::query::Query>)
                })
                .collect();
            must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        BooleanQuery::new(must)
    }

    /// Articles whose text is most like `id`'s, best first, at most `limit`, with their
    /// scores: tantivy's more-like-this over title and body (the terms that are frequent in
    /// this article and rare in the library).
    pub fn similar(&self, lib: &LibIndex, id: ArticleId, limit: usize) -> Vec<(ArticleId, f32)> {
        let Some(doc) = self.stored(&lib.get(id).path) else {
            return Vec::new();
        };
        let title = doc
            .get_first(self.fields.title)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned();
        let main = self.main_text(&doc);
        let text = |s: &str| vec![OwnedValue::Str(s.to_owned())];
        let searcher = self.reader.searcher();
        let docs = searcher.num_docs().max(1);
        let q = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(2)
            // A word in nearly every article says nothing about this one.
            .with_max_doc_frequency((docs * 4 / 5).max(2))
            .with_min_term_frequency(2)
            .with_max_query_terms(40)
            .with_min_word_length(3)
            .with_document_fields(vec![
                (self.fields.title, text(&title)),
                (self.fields.body, text(&main)),
            ]);
        // More-like-this finds the candidates; BM25 favours long articles that share many
        // words, so they are ranked by the cosine of their tf-idf vectors instead.
        let Ok(top) = searcher.search(&q, &TopDocs::with_limit(SIMILAR_CANDIDATES)) else {
            return Vec::new();
        };
        let mut analyzer = analysis::stemmed();
        let mut idf = HashMap::new();
        let own_text = format!("{title}\n{main}");
        let own = self.tfidf(&searcher, &mut analyzer, &mut idf, &own_text, docs);
        let mut ranked: Vec<(ArticleId, f32)> = top
            .into_iter()
            .filter_map(|(_, addr)| {
                let o = self.article_at(&searcher, addr)?;
                let doc: TantivyDocument = searcher.doc(addr).ok()?;
                let title = doc.get_first(self.fields.title).and_then(|v| v.as_str());
                let other = format!("{}\n{}", title.unwrap_or(""), self.main_text(&doc));
                let v = self.tfidf(&searcher, &mut analyzer, &mut idf, &other, docs);
                Some((o, cosine(&own, &v)))
            })
            .filter(|&(o, _)| o != id)
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        ranked.truncate(limit);
        ranked
    }

    /// A stored document's body without its trailer sections.
    fn main_text(&self, doc: &TantivyDocument) -> String {
        let body = doc
            .get_first(self.fields.body)
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let len = doc
            .get_first(self.fields.main_len)
            .and_then(|v| v.as_u64())
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(body.len());
        body.get(..len).unwrap_or(body).to_owned()
    }

    /// The tf-idf vector of `text` (stemmed terms, log tf, idf from the body field), with
    /// words in nearly every article left out.
    fn tfidf(
        &self,
        searcher: &tantivy::Searcher,
        analyzer: &mut tantivy::tokenizer::TextAnalyzer,
        idf: &mut HashMap<String, f32>,
        text: &str,
        docs: u64,
    ) -> HashMap<String, f32> {
        let mut tf: HashMap<String, u32> = HashMap::new();
        for t in analysis::tokens(analyzer, text) {
            if t.term.len() >= 3 {
                *tf.entry(t.term).or_default() += 1;
            }
        }
        tf.into_iter()
            .filter_map(|(term, n)| {
                let w = *idf.entry(term.clone()).or_insert_with(|| {
                    let df = searcher
                        .doc_freq(&Term::from_field_text(self.fields.body, &term))
                        .unwrap_or(0)
                        .max(1);
                    if df * 5 > docs * 4 {
                        0.0
                    } else {
                        ((docs as f32 + 1.0) / df as f32).ln()
                    }
                });
                (w > 0.0).then(|| (term, (1.0 + (n as f32).ln()) * w))
            })
            .collect()
    }

    /// [`LibIndex::related`] with the similar articles chosen by content: explicit links
    /// first, then articles similar by text (shared facets break ties), then backlinks; each
    /// article once (assembled by [`LibIndex::related_with`]). Falls back to the library's own
    /// list when the article is not indexed (yet).
    pub fn related(&self, lib: &LibIndex, id: ArticleId) -> Vec<Related> {
        let similar = self.similar(lib, id, SIMILAR_LIMIT * 3);
        let Some(&(_, best)) = similar.first() else {
            return lib.related(id);
        };
        let own: BTreeSet<u32> = lib.value_ids(id).iter().copied().collect();
        let shared = |o: ArticleId| lib.value_ids(o).iter().filter(|v| own.contains(v)).count();
        // Scores within about 10% of each other are a tie: shared facets decide.
        let mut ranked: Vec<(i64, usize, ArticleId)> = similar
            .into_iter()
            // Far below the closest article (listed or not) is not similar, only nearby.
            .filter(|(_, s)| *s > 0.0 && *s >= best * MIN_RELATIVE_SIMILARITY)
            .map(|(o, s)| ((s.ln() / 0.1).round() as i64, shared(o), o))
            .collect();
        ranked.sort_by_key(|&(s, f, _)| (std::cmp::Reverse(s), std::cmp::Reverse(f)));
        lib.related_with(id, ranked.into_iter().map(|(_, _, o)| o))
    }
}

/// Brings `index` up to date on a thread of its own, at low priority (the reader's input
/// and drawing come first), rendering bodies on a pool of its own as well. Progress is in
/// [`BodyIndex::progress`]; the handle may be dropped (the thread then runs detached).
pub fn spawn_update(
    index: std::sync::Arc<BodyIndex>,
    library: std::sync::Arc<LibIndex>,
    source: Source,
) -> Option<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("careerhub-index".into())
        .spawn(move || {
            lower_priority();
            let lib = Corpus {
                index: &library,
                source: &source,
            };
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(std::thread::available_parallelism().map_or(1, |n| n.get()))
                .thread_name(|i| format!("careerhub-index-{i}"))
                .start_handler(|_| lower_priority())
                .build();
            let result = match pool {
                Ok(pool) => pool.install(|| index.update(&lib)),
                Err(_) => index.update(&lib),
            };
            if result.is_err() {
                // Titles are still searched; say the body index is done so nobody waits.
                index.progress.finished.store(true, Ordering::Release);
            }
            // Up to date: the writer's memory and its lock (another careerhub may want to
            // update the same index) are given back.
            index.release_writer();
        })
        .ok()
}

/// Lowers the calling thread's scheduling priority (Linux: a thread's nice value is its
/// own), so indexing never competes with the reader for a core.
fn lower_priority() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: setpriority with who = 0 changes only the calling thread; it has no memory
    // effects, and failing leaves the priority as it was.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

/// Cosine of two sparse vectors (0 when either is empty).
fn cosine(a: &HashMap<String, f32>, b: &HashMap<String, f32>) -> f32 {
    let dot: f32 = a.iter().filter_map(|(k, x)| b.get(k).map(|y| x * y)).sum();
    let norm = |v: &HashMap<String, f32>| v.values().map(|x| x * x).sum::<f32>().sqrt();
    let d = norm(a) * norm(b);
    if d > 0.0 { dot / d } else { 0.0 }
}

/// The `facets` term of a (facet, value) pair.
fn facet_term(name: &str, value: &str) -> String {
    format!("{}{FACET_SEP}{}", name.to_lowercase(), value.to_lowercase())
}

/// Words of `field` that start with `prefix`, at most [`MAX_PREFIX_TERMS`], over every
/// segment.
fn expand_prefix(searcher: &tantivy::Searcher, field: Field, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream() else {
            continue;
        };
        while stream.advance() && out.len() < MAX_PREFIX_TERMS {
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            if let Ok(word) = std::str::from_utf8(key) {
                out.insert(word.to_owned());
            }
        }
    }
    out
}

fn register_tokenizers(index: &Index) {
    index
        .tokenizers()
        .register(analysis::STEMMED, analysis::stemmed());
    index
        .tokenizers()
        .register(analysis::WORDS, analysis::words());
}

/// Every file of the index folder (ours and lock files aside) with its size and modification
/// time, one a line, sorted; `None` when the folder cannot be listed.
fn dir_stamp(dir: &Path) -> Option<String> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("careerhub-") || name.ends_with(".lock") {
            continue;
        }
        let meta = entry.metadata().ok()?;
        let mtime = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        files.push(format!("{name} {} {mtime}\n", meta.len()));
    }
    files.sort();
    Some(files.concat())
}

/// The index in `dir` if it was made for `key` with our schema.
fn open_trusted(dir: &Path, key: &str, schema: &Schema) -> Option<Index> {
    let stored = std::fs::read_to_string(dir.join(KEY_FILE)).ok()?;
    if stored != key {
        return None;
    }
    let index = Index::open_in_dir(dir).ok()?;
    if index.schema() != *schema {
        return None;
    }
    Some(index)
}

/// A new, empty index in `dir` for `key`, replacing whatever was there.
fn create_in(dir: &Path, key: &str, schema: &Schema) -> Result<Index, FulltextError> {
    let io = |e| FulltextError::Io(dir.display().to_string(), e);
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(io)?;
    }
    std::fs::create_dir_all(dir).map_err(io)?;
    let index = Index::create_in_dir(dir, schema.clone())?;
    // The key is written last: an index without it is never trusted.
    std::fs::write(dir.join(KEY_FILE), key).map_err(io)?;
    Ok(index)
}

#[cfg(test)]
pub(crate) mod tests;

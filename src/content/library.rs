//! The store: every article by id, with facets, slugs, related articles and backlinks.
//!
//! Articles refer to each other by [`ArticleId`] only. Loading runs in phases: read files
//! (parallel), parse each file on its own (parallel), then link them (sequential): ids, slug
//! and canonical maps, duplicate detection, related links and backlinks.

use std::collections::{BTreeMap, HashSet};

// Fx hashing: linking a big library does hundreds of thousands of lookups, and the keys are
// the library's own slugs and URLs, loaded by the person who runs careerhub.
use rustc_hash::FxHashMap as HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::cache::{self, IndexCache, Snapshot, SnapshotWriter};
use super::document::{self, Document, DocumentError};
use super::frontmatter::Date;
use super::parse::{self, ParsedFile};
use super::problem::Problem;
use super::source::{self, Entry, Source, SourceError, SourceFile};

/// Average adult reading speed used for reading-time estimates.
const WORDS_PER_MINUTE: usize = 230;
/// Rendered documents kept in memory; opening an article renders it once.
const DOCUMENT_CACHE: usize = 32;
/// Least similarity (see [`similarity`]) for an article to count as similar: the same
/// category and one more shared value, or three shared values.
const MIN_SIMILARITY: usize = 3;
/// Similar articles listed by [`Library::related`].
const SIMILAR_LIMIT: usize = 5;

/// Which hidden articles to include.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Include drafts (`draft: true`).
    pub drafts: bool,
    /// Include archived articles (`archived: true`).
    pub archived: bool,
}

/// Index of an article in its [`Library`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ArticleId(pub u32);

impl ArticleId {
    fn idx(self) -> usize {
        self.0 as usize
    }
}

/// One loaded article: what lists, search and related links need. The body is not kept: it
/// is read again from the source and rendered when the article is opened.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Article {
    pub id: ArticleId,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    /// Facet name → values, including `category`.
    pub facets: BTreeMap<String, Vec<String>>,
    pub canonical: Option<String>,
    pub draft: bool,
    pub archived: bool,
    /// Path relative to the content folder.
    pub path: String,
    pub words: usize,
    /// Links from the `## Related articles` section, resolved where they name a library article.
    pub related_links: Vec<RelatedLink>,
    /// Library articles this one links to anywhere (related section or body).
    pub links_to: Vec<ArticleId>,
    /// File line where the body starts, for problems found when rendering it.
    pub body_line: usize,
    /// Facet values joined by spaces: the facets field for search. Derived, but cached:
    /// decoding it is cheaper than rebuilding it at start-up.
    pub(crate) facet_text: Box<str>,
    /// Title, facets and description lower-cased: the text search prefilters on.
    pub(crate) haystack: Box<str>,
}

/// A link from an article's `## Related articles` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedLink {
    pub title: String,
    pub url: String,
    /// The article it names, when it is in this library.
    pub target: Option<ArticleId>,
    pub line: usize,
}

impl Article {
    /// The primary category, if any.
    pub fn category(&self) -> Option<&str> {
        self.facets
            .get("category")
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    /// Values of one facet (empty when the article has none).
    pub fn facet(&self, name: &str) -> &[String] {
        self.facets.get(name).map_or(&[], Vec::as_slice)
    }

    /// Estimated reading time, at least one minute.
    pub fn reading_minutes(&self) -> usize {
        self.words.div_ceil(WORDS_PER_MINUTE).max(1)
    }

    /// Recomputes the derived search fields from title, facets and description.
    pub(crate) fn refresh_search_text(&mut self) {
        let facet_text: String = self
            .facets
            .values()
            .flatten()
            .map(|v| format!("{v} "))
            .collect();
        // Titles and descriptions are single lines (sanitized): newlines separate the fields.
        // Folded (see `search::fold`) as the query words are, so any form of a letter matches.
        self.haystack = super::search::fold(&format!(
            "{}\n{facet_text}\n{}",
            self.title, self.description
        ))
        .into();
        self.facet_text = facet_text.into();
    }

    /// Facet values joined by spaces, for matching.
    pub fn facet_text(&self) -> &str {
        &self.facet_text
    }

    /// Folded (lower-cased, accents off) title, facets and description, separated by newlines (which no query
    /// word contains, so a match never spans two fields), for the search prefilter.
    pub fn haystack(&self) -> &str {
        &self.haystack
    }

    /// Folded title, facets and description as three slices of the haystack.
    pub fn lower_fields(&self) -> [&str; 3] {
        let mut parts = self.haystack.splitn(3, '\n');
        [(); 3].map(|_| parts.next().unwrap_or_default())
    }

    /// Whether the article has value `value` for facet `name` (case-insensitive).
    pub fn has_facet(&self, name: &str, value: &str) -> bool {
        self.facet(name)
            .iter()
            .any(|v| v.eq_ignore_ascii_case(value))
    }
}

/// How a related article is related.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RelatedKind {
    /// Listed in the article's own "Related articles" section.
    Explicit,
    /// Shares facets and category.
    Similar,
    /// Links to the article.
    Backlink,
}

impl RelatedKind {
    /// A label for lists.
    pub fn label(self) -> &'static str {
        match self {
            RelatedKind::Explicit => "related",
            RelatedKind::Similar => "similar",
            RelatedKind::Backlink => "links here",
        }
    }
}

/// One entry of [`Library::related`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Related {
    pub id: ArticleId,
    pub kind: RelatedKind,
}

/// Counts of facet values by name, to be sorted for display.
#[derive(Debug, Default)]
pub struct FacetTally<'a> {
    counts: HashMap<(&'a str, &'a str), usize>,
}

impl<'a> FacetTally<'a> {
    /// Adds `count` to (name, value).
    pub fn add_count(&mut self, name: &'a str, value: &'a str, count: usize) {
        *self.counts.entry((name, value)).or_default() += count;
    }

    /// Facets with `role`, `intent`, `category` first then by name; values by count then name.
    pub fn sorted(self) -> Vec<(String, Vec<FacetCount>)> {
        let mut by_facet: BTreeMap<&str, Vec<FacetCount>> = BTreeMap::new();
        for ((name, value), count) in self.counts {
            by_facet.entry(name).or_default().push(FacetCount {
                value: value.to_owned(),
                count,
            });
        }
        let mut out: Vec<(String, Vec<FacetCount>)> = by_facet
            .into_iter()
            .map(|(name, mut values)| {
                values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
                (name.to_owned(), values)
            })
            .collect();
        out.sort_by_key(|(name, _)| (facet_rank(name), name.clone()));
        out
    }
}

/// A facet value with how many visible articles carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    pub value: String,
    pub count: usize,
}

/// All loaded articles and what links them.
///
/// Serializable (less what is cheap to rebuild) so that an unchanged folder can start from a
/// snapshot of the linked library; see [`crate::content::cache`].
#[derive(Debug, Serialize, Deserialize)]
pub struct Library {
    /// Where the articles came from; bodies are read from it again when opened.
    #[serde(skip, default = "unset_source")]
    source: Source,
    /// Written and read by the snapshot in chunks of their own, decoded in parallel.
    #[serde(skip)]
    articles: Vec<Article>,
    /// Ids sorted newest first (undated last, then by title).
    by_date: Vec<ArticleId>,
    #[serde(skip)]
    by_slug: HashMap<String, ArticleId>,
    #[serde(skip)]
    by_canonical: HashMap<String, ArticleId>,
    /// Articles whose `slug:` differs from the one their file name gives, by the latter: a
    /// Hugo `ref` or Liquid `post_url` names the file, and still reaches the article. Kept
    /// in the snapshot (usually empty), so an unchanged start does not rebuild it.
    by_file: HashMap<String, ArticleId>,
    backlinks: Vec<Vec<ArticleId>>,
    /// Every (facet, value) pair, numbered: counting facets over a result set is then array
    /// arithmetic, not string hashing (it runs after every search).
    facet_pairs: Vec<(String, String)>,
    /// Each article's facet value numbers, indexed by article.
    value_ids: Vec<Box<[u32]>>,
    /// Facet value number → articles carrying it, for similar articles.
    postings: Vec<Vec<ArticleId>>,
    /// Each article's place in `by_date`, to order equals newest first.
    date_rank: Vec<u32>,
    problems: Vec<Problem>,
    /// Files that could not be loaded at all.
    skipped: usize,
    /// Articles left out because they are drafts or archived.
    hidden: usize,
    /// Section pages (`_index.md`) left out: they list a folder, they are not articles.
    sections: usize,
    #[serde(skip)]
    documents: Mutex<Vec<(ArticleId, Arc<Document>)>>,
}

/// A placeholder until [`Library::from_snapshot`] sets the real source.
fn unset_source() -> Source {
    Source::Memory(Arc::default())
}

impl Library {
    /// Loads every article of `source`. Broken files become problems; the rest load. A
    /// folder starts from its snapshot when nothing changed, else through the index cache,
    /// so unchanged files are not parsed again; both are written for the next start.
    pub fn load(source: &Source, options: LoadOptions) -> Result<Library, SourceError> {
        let (lib, snapshot) = Self::load_deferred(source, options)?;
        if let Some(snapshot) = snapshot {
            // A cache is only an optimisation: failing to write it changes nothing else.
            let _ = snapshot.write(&lib);
        }
        Ok(lib)
    }

    /// Like [`Library::load`], but leaves the snapshot for the caller to write, on another
    /// thread once the library is shared (see [`SnapshotWriter::spawn`]), so the reader's
    /// first frame does not wait for it. `None` when there is nothing to write.
    pub fn load_deferred(
        source: &Source,
        options: LoadOptions,
    ) -> Result<(Library, Option<SnapshotWriter>), SourceError> {
        let Source::Dir(root) = source else {
            let (entries, problems) = source.list()?;
            return Ok((
                Self::parse_and_link(source, &entries, problems, options),
                None,
            ));
        };
        // The snapshot is read and decoded while the folder is listed: listing waits on
        // the file system, decoding on memory.
        let (listing, snapshot) = rayon::join(|| source.list(), || Snapshot::read(root, options));
        let (entries, problems) = listing?;
        if let Some(lib) = snapshot.and_then(|s| s.check(root, options, &entries)) {
            return Ok((Self::from_snapshot(lib, source.clone()), None));
        }
        let lib = Self::parse_and_link(source, &entries, problems, options);
        Ok((lib, SnapshotWriter::new(root, options, &entries)))
    }

    /// Phases 2 to 4 for listed files: parse (through the index cache for a folder), keep
    /// what the options show, link.
    fn parse_and_link(
        source: &Source,
        entries: &[Entry],
        problems: Vec<Problem>,
        options: LoadOptions,
    ) -> Library {
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
        let mut cache = match source {
            Source::Dir(root) => IndexCache::open(root),
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
                    .map(|(entry, cached)| {
                        cached
                            .take()
                            .unwrap_or_else(|| Self::parse_entry(source, entry))
                    })
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
        let mut lib = Self::assemble(source.clone(), parsed, problems, options);
        lib.sections = sections;
        lib
    }

    fn parse_entry(source: &Source, entry: &Entry) -> ParsedFile {
        match source.read(&entry.path) {
            Ok(bytes) => parse::parse_file(&entry.path, &bytes),
            Err(e) => Err(vec![Problem::error(
                &entry.path,
                1,
                format!("cannot read file: {e}"),
            )]),
        }
    }

    /// A library decoded from a snapshot: rebuilds what the snapshot leaves out.
    fn from_snapshot(mut lib: Library, source: Source) -> Library {
        lib.source = source;
        let mut buf = String::new();
        for article in &lib.articles {
            lib.by_slug.insert(article.slug.clone(), article.id);
            if let Some(c) = &article.canonical {
                normalize_into(c, &mut buf);
                lib.by_canonical.insert(buf.clone(), article.id);
            }
        }
        lib
    }

    /// Puts back the articles a snapshot stores apart from the rest.
    pub(crate) fn set_articles(&mut self, articles: Vec<Article>) {
        self.articles = articles;
    }

    /// Whether every id and number refers to something that exists: a snapshot that decodes
    /// but fails this is damaged, and using it would index out of bounds.
    pub(crate) fn is_consistent(&self) -> bool {
        let n = self.articles.len();
        let ok = |id: &ArticleId| id.idx() < n;
        let pairs = self.facet_pairs.len();
        self.articles.iter().enumerate().all(|(i, a)| {
            a.id.idx() == i
                && a.links_to.iter().all(ok)
                && a.related_links
                    .iter()
                    .filter_map(|l| l.target.as_ref())
                    .all(ok)
        }) && self.by_date.len() == n
            && self.date_rank.len() == n
            && self
                .by_date
                .iter()
                .enumerate()
                .all(|(rank, id)| ok(id) && self.date_rank[id.idx()] as usize == rank)
            && self.backlinks.len() == n
            && self.backlinks.iter().flatten().all(ok)
            && self.value_ids.len() == n
            && self
                .value_ids
                .iter()
                .flat_map(|v| v.iter())
                .all(|&v| (v as usize) < pairs)
            && self.postings.len() == pairs
            && self.postings.iter().flatten().all(ok)
            && self.by_file.values().all(ok)
    }

    /// Builds a library from files in memory (tests, benches, synthetic libraries), with
    /// `problems` found before loading.
    pub fn from_files(
        files: Vec<SourceFile>,
        problems: Vec<Problem>,
        options: LoadOptions,
    ) -> Library {
        let source = Source::memory(files);
        let mut lib = Self::load(&source, options).expect("memory sources always list");
        lib.problems.extend(problems);
        lib.problems
            .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        lib
    }

    /// Phases 3 and 4: keep what the options show, then link the articles.
    fn assemble(
        source: Source,
        parsed: Vec<ParsedFile>,
        mut problems: Vec<Problem>,
        options: LoadOptions,
    ) -> Library {
        let mut articles = Vec::with_capacity(parsed.len());
        let mut skipped = 0;
        for result in parsed {
            match result {
                Ok(p) => {
                    problems.extend(p.warnings);
                    articles.push((p.article, p.outgoing));
                }
                Err(errors) => {
                    skipped += 1;
                    problems.extend(errors);
                }
            }
        }
        let before = articles.len();
        articles.retain(|(a, _)| (options.drafts || !a.draft) && (options.archived || !a.archived));
        let hidden = before - articles.len();
        let mut lib = Library {
            source,
            articles: Vec::new(),
            by_date: Vec::new(),
            by_slug: HashMap::default(),
            by_canonical: HashMap::default(),
            by_file: HashMap::default(),
            backlinks: Vec::new(),
            postings: Vec::new(),
            facet_pairs: Vec::new(),
            value_ids: Vec::new(),
            date_rank: Vec::new(),
            problems: Vec::new(),
            skipped,
            hidden,
            sections: 0,
            documents: Mutex::new(Vec::new()),
        };
        lib.link(articles, &mut problems);
        problems.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        lib.problems = problems;
        lib
    }

    /// Phase 3: ids, slug maps, duplicates, related links, backlinks, date order.
    fn link(&mut self, mut articles: Vec<(Article, Vec<String>)>, problems: &mut Vec<Problem>) {
        // Path order makes ids and "which duplicate wins" independent of thread timing.
        articles.sort_by(|a, b| a.0.path.cmp(&b.0.path));
        // Normalizing canonical URLs needs no map: do it on every core first.
        let canonicals: Vec<Option<String>> = articles
            .par_iter()
            .map(|(a, _)| a.canonical.as_deref().map(normalize_url))
            .collect();
        self.by_slug.reserve(articles.len());
        self.by_canonical.reserve(articles.len());
        let mut outgoing = Vec::with_capacity(articles.len());
        // Every slug the files ask for, so a disambiguated one never takes a slug that a
        // later file asks for: `slug-2` stays the same whatever else the folder holds.
        let wanted: HashSet<String> = articles.iter().map(|(a, _)| a.slug.clone()).collect();
        for ((mut article, links), canonical) in articles.into_iter().zip(canonicals) {
            if let Some(&first) = self.by_slug.get(&article.slug) {
                // Both articles stay: the first in path order keeps the slug (links to it
                // resolve there), this one gets the first free `slug-N`.
                let taken = article.slug.clone();
                let free = (2..)
                    .map(|n| format!("{taken}-{n}"))
                    .find(|s| !wanted.contains(s) && !self.by_slug.contains_key(s))
                    .unwrap_or_default();
                problems.push(Problem::warning(
                    &article.path,
                    1,
                    format!(
                        "duplicate slug `{taken}`: {} already uses it, so this article is `{free}`; give one of them a different `slug`",
                        self.articles[first.idx()].path
                    ),
                ));
                article.slug = free;
            }
            article.id = ArticleId(self.articles.len() as u32);
            self.by_slug.insert(article.slug.clone(), article.id);
            // Most files are named after their slug: only the others need a second name.
            let name = article.path.rsplit('/').next().unwrap_or_default();
            let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
            if stem != article.slug {
                let from_file = parse::file_slug(&article.path);
                if from_file != article.slug {
                    self.by_file.entry(from_file).or_insert(article.id);
                }
            }
            if let Some(c) = canonical {
                self.by_canonical.insert(c, article.id);
            }
            self.articles.push(article);
            outgoing.push(links);
        }
        // Resolving every link is read-only work on the maps: spread it over the cores, then
        // write the results back in order.
        let resolved: Vec<(Vec<Option<ArticleId>>, Vec<ArticleId>)> = outgoing
            .par_iter()
            .enumerate()
            .map_init(String::new, |buf, (i, urls)| {
                self.resolve_links(ArticleId(i as u32), urls, buf)
            })
            .collect();
        self.backlinks = vec![Vec::new(); self.articles.len()];
        for (i, (targets, links_to)) in resolved.into_iter().enumerate() {
            for &t in &links_to {
                self.backlinks[t.idx()].push(ArticleId(i as u32));
            }
            let article = &mut self.articles[i];
            for (link, target) in article.related_links.iter_mut().zip(targets) {
                link.target = target;
            }
            article.links_to = links_to;
        }
        let mut by_date: Vec<ArticleId> = self.articles.iter().map(|a| a.id).collect();
        by_date.sort_by(|&a, &b| {
            let (a, b) = (&self.articles[a.idx()], &self.articles[b.idx()]);
            b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title))
        });
        self.date_rank = vec![0; by_date.len()];
        for (rank, id) in by_date.iter().enumerate() {
            self.date_rank[id.idx()] = rank as u32;
        }
        self.by_date = by_date;
        let mut numbers: HashMap<(&str, &str), u32> = HashMap::default();
        let mut pairs = Vec::new();
        let mut value_ids = Vec::with_capacity(self.articles.len());
        for article in &self.articles {
            let ids: Box<[u32]> = article
                .facets
                .iter()
                .flat_map(|(name, values)| values.iter().map(move |v| (name.as_str(), v.as_str())))
                .map(|pair| {
                    *numbers.entry(pair).or_insert_with(|| {
                        pairs.push((pair.0.to_owned(), pair.1.to_owned()));
                        (pairs.len() - 1) as u32
                    })
                })
                .collect();
            value_ids.push(ids);
        }
        drop(numbers);
        self.facet_pairs = pairs;
        self.value_ids = value_ids;
        self.postings = vec![Vec::new(); self.facet_pairs.len()];
        for (i, ids) in self.value_ids.iter().enumerate() {
            for &v in ids.iter() {
                let articles = &mut self.postings[v as usize];
                // A value listed twice by one article counts once.
                if articles.last() != Some(&ArticleId(i as u32)) {
                    articles.push(ArticleId(i as u32));
                }
            }
        }
    }

    /// The targets of article `id`'s related links, and every library article it links to
    /// (related section first, then the body, without repeats or itself).
    fn resolve_links(
        &self,
        id: ArticleId,
        urls: &[String],
        buf: &mut String,
    ) -> (Vec<Option<ArticleId>>, Vec<ArticleId>) {
        let related = &self.get(id).related_links;
        let targets: Vec<Option<ArticleId>> = related
            .iter()
            .map(|l| self.resolve_with(&l.url, buf))
            .collect();
        let mut links_to: Vec<ArticleId> = targets.iter().flatten().copied().collect();
        links_to.extend(urls.iter().filter_map(|u| self.resolve_with(u, buf)));
        links_to.retain(|&t| t != id);
        // Keep first-mention order while dropping repeats; lists are short.
        let mut seen = Vec::with_capacity(links_to.len());
        links_to.retain(|t| {
            let new = !seen.contains(t);
            seen.push(*t);
            new
        });
        (targets, links_to)
    }

    /// Every article, in id order.
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// Ids newest first.
    pub fn by_date(&self) -> &[ArticleId] {
        &self.by_date
    }

    /// The article with this id.
    pub fn get(&self, id: ArticleId) -> &Article {
        &self.articles[id.idx()]
    }

    /// Looks an article up by slug.
    pub fn by_slug(&self, slug: &str) -> Option<&Article> {
        self.by_slug.get(slug).map(|&id| self.get(id))
    }

    /// Number of articles.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// True when nothing loaded.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// Every problem found while loading, sorted by path and line.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Files that could not be loaded (errors).
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Section pages (`_index.md`) left out: they are not articles.
    pub fn sections(&self) -> usize {
        self.sections
    }

    /// Drafts and archived articles left out by the load options.
    pub fn hidden(&self) -> usize {
        self.hidden
    }

    /// The library article a URL points to: by canonical URL, else by the URL's last path
    /// segment as a slug.
    pub fn resolve_url(&self, url: &str) -> Option<ArticleId> {
        self.resolve_with(url, &mut String::new())
    }

    /// [`Library::resolve_url`] with a scratch buffer, so linking a big library does not
    /// allocate for each of its links.
    fn resolve_with(&self, url: &str, buf: &mut String) -> Option<ArticleId> {
        if !(url.starts_with("http://") || url.starts_with("https://") || url.starts_with('/')) {
            return None;
        }
        normalize_into(url, buf);
        if let Some(&id) = self.by_canonical.get(buf.as_str()) {
            return Some(id);
        }
        let last = buf.rsplit('/').next().unwrap_or_default();
        let last = last.strip_suffix(".html").unwrap_or(last);
        self.by_slug
            .get(last)
            .or_else(|| self.by_file.get(last))
            .copied()
    }

    /// Articles that link to `id`.
    pub fn backlinks(&self, id: ArticleId) -> &[ArticleId] {
        &self.backlinks[id.idx()]
    }

    /// Related articles of `id`: explicit links first, then similar articles by shared facets
    /// and category, then backlinks; each article once, under its first kind.
    pub fn related(&self, id: ArticleId) -> Vec<Related> {
        let article = self.get(id);
        let mut seen = HashSet::from([id]);
        let mut out = Vec::new();
        for link in &article.related_links {
            if let Some(t) = link.target
                && seen.insert(t)
            {
                out.push(Related {
                    id: t,
                    kind: RelatedKind::Explicit,
                });
            }
        }
        // Similarity: 2 for a shared category, 1 for each other shared facet value, counted
        // through the facet index so only articles sharing something are visited.
        let mut scores: HashMap<ArticleId, usize> = HashMap::default();
        for &v in self.value_ids(id) {
            let weight = if self.facet_pair(v).0 == "category" {
                2
            } else {
                1
            };
            for &o in &self.postings[v as usize] {
                *scores.entry(o).or_default() += weight;
            }
        }
        let mut similar: Vec<(usize, ArticleId)> = scores
            .into_iter()
            .filter(|&(o, score)| score >= MIN_SIMILARITY && !seen.contains(&o))
            .map(|(o, score)| (score, o))
            .collect();
        // Best first; newest first among equals.
        similar.sort_by_key(|&(score, o)| (std::cmp::Reverse(score), self.date_rank[o.idx()]));
        for (_, o) in similar.into_iter().take(SIMILAR_LIMIT) {
            seen.insert(o);
            out.push(Related {
                id: o,
                kind: RelatedKind::Similar,
            });
        }
        for &b in self.backlinks(id) {
            if seen.insert(b) {
                out.push(Related {
                    id: b,
                    kind: RelatedKind::Backlink,
                });
            }
        }
        out
    }

    /// Every facet with its values and counts over `ids`, in display order (see
    /// [`FacetTally::sorted`]).
    pub fn facet_counts(&self, ids: &[ArticleId]) -> Vec<(String, Vec<FacetCount>)> {
        let mut counts = vec![0; self.facet_pairs.len()];
        for &id in ids {
            for &v in self.value_ids(id) {
                counts[v as usize] += 1;
            }
        }
        let mut tally = FacetTally::default();
        for (v, &count) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
            let (name, value) = self.facet_pair(v as u32);
            tally.add_count(name, value, count);
        }
        tally.sorted()
    }

    /// Number of distinct (facet, value) pairs.
    pub fn facet_pair_count(&self) -> usize {
        self.facet_pairs.len()
    }

    /// The (facet, value) pair numbered `v`.
    pub fn facet_pair(&self, v: u32) -> (&str, &str) {
        let (name, value) = &self.facet_pairs[v as usize];
        (name, value)
    }

    /// The facet value numbers of an article.
    pub fn value_ids(&self, id: ArticleId) -> &[u32] {
        &self.value_ids[id.idx()]
    }

    /// The rendered body of `id`, cached. Internal links are resolved to slugs.
    /// The body is read again from the source, so a file that broke since loading gives a
    /// problem here rather than stale text.
    pub fn document(&self, id: ArticleId) -> Result<Arc<Document>, Problem> {
        if let Some(doc) = self.cached_document(id) {
            return Ok(doc);
        }
        let article = self.get(id);
        let mut doc = self.render(article)?;
        doc.resolve_links(|url| self.resolve_url(url).map(|t| self.get(t).slug.clone()));
        let doc = Arc::new(doc);
        let mut cache = self.documents.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= DOCUMENT_CACHE {
            cache.remove(0);
        }
        cache.push((id, doc.clone()));
        Ok(doc)
    }

    /// The rendered body of `id` without touching the document cache: indexing every body
    /// must not evict the few documents the reader has open. Links are left unresolved.
    pub fn render_uncached(&self, id: ArticleId) -> Result<Document, Problem> {
        self.render(self.get(id))
    }

    /// Where the articles were loaded from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    fn cached_document(&self, id: ArticleId) -> Option<Arc<Document>> {
        let mut cache = self.documents.lock().unwrap_or_else(|p| p.into_inner());
        let pos = cache.iter().position(|(i, _)| *i == id)?;
        // Move to the back: the cache evicts from the front (least recently used).
        let entry = cache.remove(pos);
        let doc = entry.1.clone();
        cache.push(entry);
        Some(doc)
    }

    /// Renders every article and reports the ones whose body cannot be rendered; `check` uses
    /// this so that broken bodies are found before a reader opens them.
    pub fn check_bodies(&self) -> Vec<Problem> {
        self.articles
            .par_iter()
            .filter_map(|a| self.render(a).err())
            .collect()
    }

    /// Reads and parses an article's body; problems point into the file.
    fn render(&self, article: &Article) -> Result<Document, Problem> {
        let body = parse::read_body(&self.source, &article.path)?;
        document::parse(&body).map_err(|e: DocumentError| {
            Problem::error(
                &article.path,
                article.body_line + e.line().saturating_sub(1),
                e.to_string(),
            )
        })
    }

    /// Warnings for related links that name no article of this library.
    pub fn unresolved_related(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        for a in &self.articles {
            for l in a.related_links.iter().filter(|l| l.target.is_none()) {
                out.push(Problem::warning(
                    &a.path,
                    a.body_line + l.line - 1,
                    format!("related article `{}` is not in this library: it will open as an external link", l.url),
                ));
            }
        }
        out
    }

    /// Warnings for canonical URLs on another host than the one most of the library uses:
    /// usually a typo, which would send "open in browser" and shared links astray. Only
    /// when one host clearly dominates (at least three articles and more than half).
    pub fn canonical_outliers(&self) -> Vec<Problem> {
        let hosts: Vec<(&Article, String)> = self
            .articles
            .iter()
            .filter_map(|a| {
                // Only absolute URLs have a host (a relative one is already warned about).
                let canonical = a.canonical.as_deref().filter(|c| c.contains("://"))?;
                let normalized = normalize_url(canonical);
                let host = normalized.split('/').next().filter(|h| !h.is_empty())?;
                Some((a, host.to_owned()))
            })
            .collect();
        let mut counts: HashMap<&str, usize> = HashMap::default();
        for (_, host) in &hosts {
            *counts.entry(host.as_str()).or_default() += 1;
        }
        let Some((&common, &uses)) = counts.iter().max_by_key(|(host, n)| (**n, *host)) else {
            return Vec::new();
        };
        if uses < 3 || uses * 2 <= hosts.len() {
            return Vec::new();
        }
        hosts
            .iter()
            .filter(|(_, host)| host != common)
            .map(|(a, host)| {
                Problem::warning(
                    &a.path,
                    1,
                    format!(
                        "`canonical` is on `{host}` while {uses} articles use `{common}`: check it for a typo"
                    ),
                )
            })
            .collect()
    }
}

/// Sort key putting the publisher's main facets first: role, intent, category, then the rest.
pub fn facet_rank(name: &str) -> u8 {
    match name {
        "role" => 0,
        "intent" => 1,
        "category" => 2,
        _ => 3,
    }
}

/// Lower-cases scheme and host and drops `www.`, query, fragment and trailing slash, so that
/// the same page written two ways compares equal.
fn normalize_url(url: &str) -> String {
    let mut out = String::new();
    normalize_into(url, &mut out);
    out
}

/// [`normalize_url`] into a reused buffer.
fn normalize_into(url: &str, out: &mut String) {
    // Byte searches rather than pattern splits: linking runs this for every link.
    let end = memchr::memchr2(b'#', b'?', url.as_bytes()).unwrap_or(url.len());
    let url = url[..end].trim_end_matches('/');
    let rest = memchr::memmem::find(url.as_bytes(), b"://").map_or(url, |i| &url[i + 3..]);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    // `get` rather than slicing: a host can hold multi-byte characters.
    let host = match host.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("www.") => &host[4..],
        _ => host,
    };
    out.clear();
    out.push_str(host);
    out.make_ascii_lowercase();
    out.push('/');
    out.push_str(path);
}

#[cfg(test)]
pub(crate) mod tests;

//! The store: every article by id, with facets, slugs, related articles and backlinks.
//!
//! Articles refer to each other by [`ArticleId`] only. Loading runs in phases: read files
//! (parallel), parse each file on its own (parallel), then link them (sequential): ids, slug
//! and canonical maps, duplicate detection, related links and backlinks.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::document::{self, Document, DocumentError};
use super::frontmatter::{self, Date};
use super::problem::Problem;
use super::source::{Source, SourceError, SourceFile};
use super::{repair, split};

/// Average adult reading speed used for reading-time estimates.
const WORDS_PER_MINUTE: usize = 230;
/// Rendered documents kept in memory; opening an article renders it once.
const DOCUMENT_CACHE: usize = 32;
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticleId(pub u32);

impl ArticleId {
    fn idx(self) -> usize {
        self.0 as usize
    }
}

/// One loaded article: metadata for lists and search, plus the body source for rendering.
#[derive(Debug, Clone)]
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
    /// The body (HTML and Markdown), repaired; rendered on demand.
    body: String,
    body_line: usize,
    /// Every URL the body links to, before resolution.
    outgoing: Vec<String>,
}

/// A link from an article's `## Related articles` section.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// A facet value with how many visible articles carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    pub value: String,
    pub count: usize,
}

/// All loaded articles and what links them.
#[derive(Debug)]
pub struct Library {
    articles: Vec<Article>,
    /// Ids sorted newest first (undated last, then by title).
    by_date: Vec<ArticleId>,
    by_slug: HashMap<String, ArticleId>,
    by_canonical: HashMap<String, ArticleId>,
    backlinks: Vec<Vec<ArticleId>>,
    problems: Vec<Problem>,
    /// Files that could not be loaded at all.
    skipped: usize,
    /// Articles left out because they are drafts or archived.
    hidden: usize,
    documents: Mutex<Vec<(ArticleId, Arc<Document>)>>,
}

impl Library {
    /// Loads every article of `source`. Broken files become problems; the rest load.
    pub fn load(source: &Source, options: LoadOptions) -> Result<Library, SourceError> {
        let (files, problems) = source.read()?;
        Ok(Self::from_files(files, problems, options))
    }

    /// Builds a library from files already read (used by tests and benches).
    pub fn from_files(
        files: Vec<SourceFile>,
        mut problems: Vec<Problem>,
        options: LoadOptions,
    ) -> Library {
        let parsed: Vec<ParsedFile> = files.par_iter().map(parse_file).collect();
        let mut articles = Vec::with_capacity(parsed.len());
        let mut skipped = 0;
        for result in parsed {
            match result {
                Ok((article, warnings)) => {
                    problems.extend(warnings);
                    articles.push(article);
                }
                Err(errors) => {
                    skipped += 1;
                    problems.extend(errors);
                }
            }
        }
        let hidden_before = articles.len();
        articles.retain(|a| (options.drafts || !a.draft) && (options.archived || !a.archived));
        let hidden = hidden_before - articles.len();
        let mut lib = Library {
            articles: Vec::new(),
            by_date: Vec::new(),
            by_slug: HashMap::new(),
            by_canonical: HashMap::new(),
            backlinks: Vec::new(),
            problems: Vec::new(),
            skipped,
            hidden,
            documents: Mutex::new(Vec::new()),
        };
        lib.link(articles, &mut problems);
        problems.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        lib.problems = problems;
        lib
    }

    /// Phase 3: ids, slug maps, duplicates, related links, backlinks, date order.
    fn link(&mut self, mut articles: Vec<Article>, problems: &mut Vec<Problem>) {
        // Path order makes ids and "which duplicate wins" independent of thread timing.
        articles.sort_by(|a, b| a.path.cmp(&b.path));
        for mut article in articles {
            if let Some(&first) = self.by_slug.get(&article.slug) {
                problems.push(Problem::error(
                    &article.path,
                    1,
                    format!(
                        "duplicate slug `{}`: {} already uses it; give one of them a different `slug`",
                        article.slug, self.articles[first.idx()].path
                    ),
                ));
                self.skipped += 1;
                continue;
            }
            article.id = ArticleId(self.articles.len() as u32);
            self.by_slug.insert(article.slug.clone(), article.id);
            if let Some(c) = &article.canonical {
                self.by_canonical.insert(normalize_url(c), article.id);
            }
            self.articles.push(article);
        }
        self.backlinks = vec![Vec::new(); self.articles.len()];
        for i in 0..self.articles.len() {
            let id = ArticleId(i as u32);
            let mut related = std::mem::take(&mut self.articles[i].related_links);
            for link in &mut related {
                link.target = self.resolve_url(&link.url);
            }
            let mut links_to: Vec<ArticleId> = related.iter().filter_map(|l| l.target).collect();
            links_to.extend(
                self.articles[i]
                    .outgoing
                    .iter()
                    .filter_map(|u| self.resolve_url(u)),
            );
            links_to.retain(|&t| t != id);
            let mut seen = HashSet::new();
            links_to.retain(|t| seen.insert(*t));
            for &t in &links_to {
                self.backlinks[t.idx()].push(id);
            }
            let article = &mut self.articles[i];
            article.related_links = related;
            article.links_to = links_to;
        }
        let mut by_date: Vec<ArticleId> = self.articles.iter().map(|a| a.id).collect();
        by_date.sort_by(|&a, &b| {
            let (a, b) = (&self.articles[a.idx()], &self.articles[b.idx()]);
            b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title))
        });
        self.by_date = by_date;
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

    /// Drafts and archived articles left out by the load options.
    pub fn hidden(&self) -> usize {
        self.hidden
    }

    /// The library article a URL points to: by canonical URL, else by the URL's last path
    /// segment as a slug.
    pub fn resolve_url(&self, url: &str) -> Option<ArticleId> {
        if !(url.starts_with("http://") || url.starts_with("https://") || url.starts_with('/')) {
            return None;
        }
        let normal = normalize_url(url);
        if let Some(&id) = self.by_canonical.get(&normal) {
            return Some(id);
        }
        let last = normal.rsplit('/').next().unwrap_or_default();
        let last = last.strip_suffix(".html").unwrap_or(last);
        self.by_slug.get(last).copied()
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
        let mut similar: Vec<(usize, ArticleId)> = self
            .by_date
            .iter()
            .filter(|o| !seen.contains(o))
            .map(|&o| (similarity(article, self.get(o)), o))
            .filter(|&(score, _)| score >= 2)
            .collect();
        // Stable sort keeps newest first among equal scores.
        similar.sort_by_key(|&(score, _)| std::cmp::Reverse(score));
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

    /// Every facet with its values and counts over `ids`, facets by name with `role`,
    /// `intent`, `category` first; values by count then name.
    pub fn facet_counts(&self, ids: &[ArticleId]) -> Vec<(String, Vec<FacetCount>)> {
        let mut counts: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
        for &id in ids {
            for (name, values) in &self.get(id).facets {
                let facet = counts.entry(name).or_default();
                for v in values {
                    *facet.entry(v).or_default() += 1;
                }
            }
        }
        let mut out: Vec<(String, Vec<FacetCount>)> = counts
            .into_iter()
            .map(|(name, values)| {
                let mut values: Vec<FacetCount> = values
                    .into_iter()
                    .map(|(v, count)| FacetCount {
                        value: v.to_owned(),
                        count,
                    })
                    .collect();
                values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
                (name.to_owned(), values)
            })
            .collect();
        out.sort_by_key(|(name, _)| (facet_rank(name), name.clone()));
        out
    }

    /// The rendered body of `id`, cached. Internal links are resolved to slugs.
    pub fn document(&self, id: ArticleId) -> Result<Arc<Document>, DocumentError> {
        if let Some(doc) = self.cached_document(id) {
            return Ok(doc);
        }
        let article = self.get(id);
        let mut doc = document::parse(&article.body)?;
        doc.resolve_links(|url| self.resolve_url(url).map(|t| self.get(t).slug.clone()));
        let doc = Arc::new(doc);
        let mut cache = self.documents.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= DOCUMENT_CACHE {
            cache.remove(0);
        }
        cache.push((id, doc.clone()));
        Ok(doc)
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
            .filter_map(|a| {
                document::parse(&a.body).err().map(|e| {
                    Problem::error(
                        &a.path,
                        a.body_line + e.line().saturating_sub(1),
                        e.to_string(),
                    )
                })
            })
            .collect()
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

/// How alike two articles are: 2 for a shared category, 1 for each other shared facet value.
fn similarity(a: &Article, b: &Article) -> usize {
    let mut score = 0;
    for (name, values) in &a.facets {
        let weight = if name == "category" { 2 } else { 1 };
        for v in values {
            if b.has_facet(name, v) {
                score += weight;
            }
        }
    }
    score
}

/// Lower-cases scheme and host and drops `www.`, query, fragment and trailing slash, so that
/// the same page written two ways compares equal.
fn normalize_url(url: &str) -> String {
    let url = url
        .split(['#', '?'])
        .next()
        .unwrap_or_default()
        .trim_end_matches('/');
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    format!("{host}/{path}")
}

/// An article with its warnings, or the errors that kept it out.
type ParsedFile = Result<(Article, Vec<Problem>), Vec<Problem>>;

/// Phase 2 for one file: decode, repair, split, parse frontmatter, scan the body.
fn parse_file(file: &SourceFile) -> ParsedFile {
    let path = file.path.as_str();
    let text = split::decode(path, &file.bytes).map_err(|p| vec![p])?;
    let (text, repaired) = repair::repair_report(&text);
    let parts = split::split(path, &text).map_err(|p| vec![p])?;
    let (fm, mut warnings) = frontmatter::parse(path, parts.frontmatter, parts.frontmatter_line)?;
    if repaired > 0 {
        warnings.push(Problem::warning(
            path,
            1,
            format!("repaired {repaired} mis-decoded characters (mojibake): re-export the file as UTF-8 to silence this"),
        ));
    }
    let slug = fm.slug.clone().unwrap_or_else(|| file_stem(path));
    let scan = scan_body(parts.body);
    let related_links = split::related_links(parts.body)
        .into_iter()
        .map(|l| RelatedLink {
            title: l.title,
            url: l.url,
            target: None,
            line: l.line,
        })
        .collect();
    let article = Article {
        id: ArticleId(0),
        slug,
        title: fm.title,
        description: fm.description,
        date: fm.date,
        updated: fm.updated,
        facets: fm.facets,
        canonical: fm.canonical,
        draft: fm.draft,
        archived: fm.archived,
        path: path.to_owned(),
        words: scan.words,
        related_links,
        links_to: Vec::new(),
        body: parts.body.to_owned(),
        body_line: parts.body_line,
        outgoing: scan.links,
    };
    Ok((article, warnings))
}

fn file_stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .map_or(name, |(stem, _)| stem)
        .to_owned()
}

struct BodyScan {
    words: usize,
    links: Vec<String>,
}

/// One cheap pass over the body: words outside tags (for reading time) and link targets (for
/// backlinks), without a full HTML parse, so loading stays fast on big libraries.
fn scan_body(body: &str) -> BodyScan {
    let mut words = 0;
    let mut in_word = false;
    let mut in_tag = false;
    let mut links = Vec::new();
    for (i, c) in body.char_indices() {
        match c {
            '<' => {
                in_tag = true;
                in_word = false;
                if let Some(href) = tag_href(&body[i..]) {
                    links.push(href.to_owned());
                }
            }
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            c if c.is_whitespace() || c == '\u{200d}' => in_word = false,
            _ => {
                if !in_word {
                    words += 1;
                }
                in_word = true;
            }
        }
    }
    // Markdown links, as in the trailer's related list: `[title](url)`.
    links.extend(
        body.split("](")
            .skip(1)
            .filter_map(|s| s.split([')', ' ']).next())
            .map(str::to_owned),
    );
    BodyScan { words, links }
}

/// The `href` of an `<a ...>` tag starting at `s`.
fn tag_href(s: &str) -> Option<&str> {
    let tag = &s[..s.find('>')?];
    if !tag.starts_with("<a ") {
        return None;
    }
    let start = tag.find("href=\"")? + 6;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

#[cfg(test)]
pub(crate) mod tests;

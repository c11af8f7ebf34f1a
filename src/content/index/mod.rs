//! The index: every article by id, with slugs, canonical URLs, backlinks, date order and
//! facet value numbers. Built once by [`Index::link`] from parsed articles, then immutable and
//! shared as `Arc<Index>` by the CLI, the reader and every SSH session. It does no I/O: bodies
//! are read and rendered by [`crate::content::bodies::Bodies`].
//!
//! The one part that may come later is the [`LinkGraph`] (which article links to which): it
//! needs every body's links, the costliest part of a first load, so the reader shows its first
//! frame without it and a write-once cell takes it when the loader has read the bodies (see
//! [`crate::content::load::Loader::load_for_reader`]).
//!
//! [`facets`] holds the facet table and the one filter-and-count, [`related`] the related
//! articles, [`check`] the lint pass of `careerhub check`.

pub mod check;
pub mod facets;
pub mod related;
mod urls;

#[cfg(test)]
pub(crate) mod tests;

use std::collections::HashSet;
use std::sync::OnceLock;

// Fx hashing: linking a big library does hundreds of thousands of lookups, and the keys are
// the library's own slugs and URLs, loaded by the person who runs careerhub.
use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::article::{Article, ArticleId};
use super::problem::Problem;

pub use facets::{FacetCount, FacetTally, facet_rank};
pub use related::{Related, RelatedKind};
use urls::{normalize_into, normalize_url};

/// One parsed file, as the loader hands it to [`Index::link`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Parsed {
    pub article: Article,
    /// Every URL the body links to, before resolution (needed only to link the library);
    /// `None` when the body's links were not read (see [`Index::link`]).
    pub outgoing: Option<Vec<String>>,
    /// The slug the file's name gives, when the frontmatter chose another one: a Hugo `ref`
    /// or Liquid `post_url` names the file, and must still reach the article.
    pub file_slug: Option<String>,
    pub warnings: Vec<Problem>,
}

/// What loading left out or found wrong, kept beside the index for `check` and the status
/// line.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LoadReport {
    /// Every problem found while loading, sorted by path and line.
    pub problems: Vec<Problem>,
    /// Files that could not be loaded at all.
    pub skipped: usize,
    /// Articles left out because they are drafts or archived.
    pub hidden: usize,
    /// Section pages (`_index.md`) left out: they list a folder, they are not articles.
    pub sections: usize,
}

/// The linked tables of an index: everything but the articles and the maps rebuilt from them.
/// A snapshot stores these as they are (see `load::cache`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Links {
    /// Ids sorted newest first (undated last, then by title).
    by_date: Vec<ArticleId>,
    /// Each article's place in `by_date`, to order equals newest first.
    date_rank: Vec<u32>,
    /// Articles whose `slug:` differs from the one their file name gives, by the latter.
    by_file: HashMap<String, ArticleId>,
    /// Every (facet, value) pair, numbered: counting facets over a result set is then array
    /// arithmetic, not string hashing (it runs after every search).
    facet_pairs: Vec<(String, String)>,
    /// Each article's facet value numbers, indexed by article.
    value_ids: Vec<Box<[u32]>>,
    /// Facet value number → articles carrying it, for similar articles.
    postings: Vec<Vec<ArticleId>>,
}

/// Which library articles each article links to, and is linked from, by id. A snapshot
/// stores it as it is.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LinkGraph {
    /// Articles each one links to (related section first, then the body; no repeats, never
    /// itself).
    links_to: Vec<Vec<ArticleId>>,
    /// Articles that link to each one, in id order.
    backlinks: Vec<Vec<ArticleId>>,
}

/// All loaded articles and what links them. Immutable once built, except that the link graph
/// may be set once, later (see [`Index::set_link_graph`]).
#[derive(Debug, Default)]
pub struct Index {
    articles: Vec<Article>,
    by_slug: HashMap<String, ArticleId>,
    by_canonical: HashMap<String, ArticleId>,
    /// The hosts of the canonical URLs, lower-cased: the library's own site(s).
    site_hosts: HashSet<String>,
    /// Slugs and file-name slugs with capitals, lower-cased (the lowest id on a tie): a link
    /// finds its article in any letter case.
    by_folded_name: HashMap<String, ArticleId>,
    links: Links,
    /// Set once: by [`Index::link`] when every body's links were read, else by
    /// [`Index::set_link_graph`]. Until then there are no backlinks.
    graph: OnceLock<LinkGraph>,
    report: LoadReport,
}

impl Index {
    /// Links parsed articles into an index: ids in path order, slug and canonical maps,
    /// duplicate slugs made unique (a warning each), related links and backlinks resolved,
    /// date order, facet value numbers. Pure: no I/O, the same input gives the same index.
    /// Returns the parse warnings and what linking found, unsorted. When some article's body
    /// links were not read (`outgoing: None`), the link graph is left unset.
    pub fn link(parsed: Vec<Parsed>) -> (Index, Vec<Problem>) {
        let mut problems = Vec::new();
        let mut articles = Vec::with_capacity(parsed.len());
        for p in parsed {
            problems.extend(p.warnings);
            articles.push((p.article, p.outgoing, p.file_slug));
        }
        let mut index = Index::default();
        index.link_articles(articles, &mut problems);
        (index, problems)
    }

    fn link_articles(
        &mut self,
        mut articles: Vec<(Article, Option<Vec<String>>, Option<String>)>,
        problems: &mut Vec<Problem>,
    ) {
        // Path order makes ids and "which duplicate wins" independent of thread timing.
        articles.sort_by(|a, b| a.0.path.cmp(&b.0.path));
        // Normalizing canonical URLs needs no map: do it on every core first.
        let canonicals: Vec<Option<String>> = articles
            .par_iter()
            .map(|(a, _, _)| a.canonical.as_deref().map(normalize_url))
            .collect();
        self.by_slug.reserve(articles.len());
        self.by_canonical.reserve(articles.len());
        let mut outgoing = Vec::with_capacity(articles.len());
        // Every slug the files ask for, so a disambiguated one never takes a slug that a
        // later file asks for: `slug-2` stays the same whatever else the folder holds.
        let wanted: HashSet<String> = articles.iter().map(|(a, _, _)| a.slug.clone()).collect();
        for ((mut article, links, from_file), canonical) in articles.into_iter().zip(canonicals) {
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
            // Most files are named after their slug: the loader gives a second name only for
            // the others.
            if let Some(from_file) = from_file
                && from_file != article.slug
            {
                self.links.by_file.entry(from_file).or_insert(article.id);
            }
            if let Some(c) = canonical {
                self.by_canonical.insert(c, article.id);
            }
            self.articles.push(article);
            outgoing.push(links);
        }
        self.site_hosts = site_hosts(&self.by_canonical);
        self.by_folded_name = folded_names(&self.by_slug, &self.links.by_file);
        // Resolving every link is read-only work on the maps: spread it over the cores, then
        // write the results back in order.
        let targets: Vec<Vec<Option<ArticleId>>> = self
            .articles
            .par_iter()
            .map_init(String::new, |buf, article| {
                article
                    .related_links
                    .iter()
                    .map(|l| self.resolve_with(&l.url, buf))
                    .collect()
            })
            .collect();
        for (article, targets) in self.articles.iter_mut().zip(targets) {
            for (link, target) in article.related_links.iter_mut().zip(targets) {
                link.target = target;
            }
        }
        if let Some(outgoing) = outgoing.into_iter().collect::<Option<Vec<_>>>() {
            let graph = self.link_graph(&outgoing);
            let _ = self.graph.set(graph);
        }
        let mut by_date: Vec<ArticleId> = self.articles.iter().map(|a| a.id).collect();
        by_date.sort_by(|&a, &b| {
            let (a, b) = (&self.articles[a.idx()], &self.articles[b.idx()]);
            b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title))
        });
        self.links.date_rank = vec![0; by_date.len()];
        for (rank, id) in by_date.iter().enumerate() {
            self.links.date_rank[id.idx()] = rank as u32;
        }
        self.links.by_date = by_date;
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
        self.links.facet_pairs = pairs;
        self.links.value_ids = value_ids;
        self.links.postings = vec![Vec::new(); self.links.facet_pairs.len()];
        for (i, ids) in self.links.value_ids.iter().enumerate() {
            for &v in ids.iter() {
                let articles = &mut self.links.postings[v as usize];
                // A value listed twice by one article counts once.
                if articles.last() != Some(&ArticleId(i as u32)) {
                    articles.push(ArticleId(i as u32));
                }
            }
        }
    }

    /// The link graph, from the URLs each article's body links to (`outgoing`, by id):
    /// resolved related links first, then the body's, without repeats or the article itself.
    pub fn link_graph(&self, outgoing: &[Vec<String>]) -> LinkGraph {
        let links_to: Vec<Vec<ArticleId>> = self
            .articles
            .par_iter()
            .zip(outgoing.par_iter())
            .map_init(String::new, |buf, (article, urls)| {
                let related = article.related_links.iter().filter_map(|l| l.target);
                let body = urls.iter().filter_map(|u| self.resolve_with(u, buf));
                let mut seen = Vec::new();
                // First-mention order; lists are short.
                for t in related.chain(body) {
                    if t != article.id && !seen.contains(&t) {
                        seen.push(t);
                    }
                }
                seen
            })
            .collect();
        let mut backlinks = vec![Vec::new(); self.articles.len()];
        for (i, targets) in links_to.iter().enumerate() {
            for &t in targets {
                backlinks[t.idx()].push(ArticleId(i as u32));
            }
        }
        LinkGraph {
            links_to,
            backlinks,
        }
    }

    /// Sets the link graph of an index built without it (see [`Index::link`]); the first
    /// graph set stays. False when `graph` does not fit this index (then nothing changes).
    pub fn set_link_graph(&self, graph: LinkGraph) -> bool {
        self.graph_fits(&graph) && self.graph.set(graph).is_ok()
    }

    /// The article loaded from `path` (relative to the content folder): ids are in path
    /// order.
    pub fn id_of_path(&self, path: &str) -> Option<ArticleId> {
        self.articles
            .binary_search_by(|a| a.path.as_str().cmp(path))
            .ok()
            .map(|i| ArticleId(i as u32))
    }

    /// Whether the link graph is there (backlinks and links are empty until it is).
    pub fn links_ready(&self) -> bool {
        self.graph.get().is_some()
    }

    /// The link graph, once it is there.
    pub fn graph(&self) -> Option<&LinkGraph> {
        self.graph.get()
    }

    /// An index rebuilt from a snapshot's parts, or `None` when they do not fit together (a
    /// damaged snapshot that still decodes).
    pub fn from_parts(
        articles: Vec<Article>,
        links: Links,
        graph: LinkGraph,
        report: LoadReport,
    ) -> Option<Index> {
        let mut index = Index {
            articles,
            links,
            report,
            ..Index::default()
        };
        if !index.is_consistent() || !index.set_link_graph(graph) {
            return None;
        }
        let mut buf = String::new();
        for article in &index.articles {
            index.by_slug.insert(article.slug.clone(), article.id);
            if let Some(c) = &article.canonical {
                normalize_into(c, &mut buf);
                index.by_canonical.insert(buf.clone(), article.id);
            }
        }
        index.site_hosts = site_hosts(&index.by_canonical);
        index.by_folded_name = folded_names(&index.by_slug, &index.links.by_file);
        Some(index)
    }

    /// The parts a snapshot stores: the linked tables, the link graph (when it is there) and
    /// the load report (the articles are stored apart, in chunks, see [`Index::articles`]).
    pub fn parts(&self) -> (&Links, Option<&LinkGraph>, &LoadReport) {
        (&self.links, self.graph.get(), &self.report)
    }

    /// Sets what loading found; the loader calls this once, before sharing the index.
    pub fn set_report(&mut self, report: LoadReport) {
        self.report = report;
    }

    /// Whether every id and number refers to something that exists: a snapshot that decodes
    /// but fails this is damaged, and using it would index out of bounds.
    pub(crate) fn is_consistent(&self) -> bool {
        let n = self.articles.len();
        let ok = |id: &ArticleId| id.idx() < n;
        let pairs = self.links.facet_pairs.len();
        self.articles.iter().enumerate().all(|(i, a)| {
            a.id.idx() == i
                && a.related_links
                    .iter()
                    .filter_map(|l| l.target.as_ref())
                    .all(ok)
        }) && self.links.by_date.len() == n
            && self.links.date_rank.len() == n
            && self
                .links
                .by_date
                .iter()
                .enumerate()
                .all(|(rank, id)| ok(id) && self.links.date_rank[id.idx()] as usize == rank)
            && self.links.value_ids.len() == n
            && self
                .links
                .value_ids
                .iter()
                .flat_map(|v| v.iter())
                .all(|&v| (v as usize) < pairs)
            && self.links.postings.len() == pairs
            && self.links.postings.iter().flatten().all(ok)
            && self.links.by_file.values().all(ok)
    }

    /// Every article, in id order.
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// Ids newest first.
    pub fn by_date(&self) -> &[ArticleId] {
        &self.links.by_date
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
        &self.report.problems
    }

    /// Files that could not be loaded (errors).
    pub fn skipped(&self) -> usize {
        self.report.skipped
    }

    /// Section pages (`_index.md`) left out: they are not articles.
    pub fn sections(&self) -> usize {
        self.report.sections
    }

    /// Drafts and archived articles left out by the load options.
    pub fn hidden(&self) -> usize {
        self.report.hidden
    }

    /// The library article a URL points to: by canonical URL, else by the name its path ends
    /// with (slug or file name; `.md`/`.html`, `index.md`, a Jekyll date, `%` escapes, letter
    /// case and a query or fragment aside), for a path of this site (rooted or relative) or a
    /// URL on the host of that article's canonical URL (any of the library's hosts for an
    /// article without one). Other schemes (`mailto:`) and other sites' pages never resolve
    /// by name.
    pub fn resolve_url(&self, url: &str) -> Option<ArticleId> {
        self.resolve_with(url, &mut String::new())
    }

    /// [`Index::resolve_url`] with a scratch buffer, so linking a big library does not
    /// allocate for each of its links.
    fn resolve_with(&self, url: &str, buf: &mut String) -> Option<ArticleId> {
        let url = url.trim();
        let place = urls::link_place(url)?;
        if let urls::LinkPlace::Web { .. } = place {
            // `//host/path` (protocol-relative) normalizes as `host/path`.
            normalize_into(url.strip_prefix("//").unwrap_or(url), buf);
            if let Some(&id) = self.by_canonical.get(buf.as_str()) {
                return Some(id);
            }
        }
        let id = urls::find_by_name(url, |name| {
            self.by_slug
                .get(name)
                .or_else(|| self.links.by_file.get(name))
                .or_else(|| self.by_folded_name.get(name))
                .copied()
        })?;
        match place {
            urls::LinkPlace::Site => Some(id),
            // Only on the library's own site: another site's page of the same name is not
            // this article. An article with a canonical URL names its site; for one without,
            // the site is any host of the library's canonical URLs, and a library that names
            // no site at all (no canonical URLs, as many Hugo or Jekyll exports) takes any
            // host: a link to its own site must not be lost for want of knowing it.
            urls::LinkPlace::Web { host } => {
                let on_site = match self.get(id).canonical.as_deref().and_then(urls::url_host) {
                    Some(own) => own.eq_ignore_ascii_case(host),
                    None => {
                        self.site_hosts.is_empty()
                            || self.site_hosts.contains(&host.to_ascii_lowercase())
                    }
                };
                on_site.then_some(id)
            }
        }
    }

    /// Articles that link to `id` (none until the link graph is there).
    pub fn backlinks(&self, id: ArticleId) -> &[ArticleId] {
        self.graph.get().map_or(&[], |g| &g.backlinks[id.idx()])
    }

    /// Library articles `id` links to, related section first, then its body (none until the
    /// link graph is there).
    pub fn links_to(&self, id: ArticleId) -> &[ArticleId] {
        self.graph.get().map_or(&[], |g| &g.links_to[id.idx()])
    }

    /// Whether `graph` has one entry per article and only ids of this index.
    fn graph_fits(&self, graph: &LinkGraph) -> bool {
        let n = self.articles.len();
        let ok = |id: &ArticleId| id.idx() < n;
        graph.links_to.len() == n
            && graph.backlinks.len() == n
            && graph.links_to.iter().flatten().all(ok)
            && graph.backlinks.iter().flatten().all(ok)
    }
}

/// The hosts of canonical URL keys (`host/path`, see `urls::normalize_into`), lower-cased.
fn site_hosts(by_canonical: &HashMap<String, ArticleId>) -> HashSet<String> {
    by_canonical
        .keys()
        .map(|key| {
            key.split('/')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase()
        })
        .collect()
}

/// Slugs and file-name slugs that have capitals, lower-cased, each to the lowest id that has
/// it: the names a lower-cased link can still mean.
fn folded_names(
    by_slug: &HashMap<String, ArticleId>,
    by_file: &HashMap<String, ArticleId>,
) -> HashMap<String, ArticleId> {
    let mut out: HashMap<String, ArticleId> = HashMap::default();
    for (name, &id) in by_slug.iter().chain(by_file) {
        // Most slugs are lower-case already: no allocation for them at start-up.
        if !name.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
            continue;
        }
        let lower = name.to_lowercase();
        if lower != *name {
            out.entry(lower)
                .and_modify(|e| *e = (*e).min(id))
                .or_insert(id);
        }
    }
    out
}

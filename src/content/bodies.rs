//! Article bodies on demand: read again from the source, rendered, kept in a small LRU.
//!
//! The [`Index`] holds no bodies: a 100,000-article library would not fit in memory, and a
//! file that broke since loading must show its problem rather than stale text. Each worker
//! owns its [`Bodies`], so the cache needs no lock.

use std::sync::Arc;

use rayon::prelude::*;

use super::article::{Article, ArticleId};
use super::index::Index;
use super::load::parse;
use super::load::source::Source;
use super::problem::Problem;
use super::render::document::{self, Document, DocumentError};

/// Rendered documents a reader keeps by default: going back to an article does not render
/// it again.
pub const DEFAULT_CAPACITY: usize = 32;

/// Reads and renders article bodies, keeping the last few.
#[derive(Debug, Clone)]
pub struct Bodies {
    source: Source,
    capacity: usize,
    /// Least recently used first.
    lru: Vec<(ArticleId, Arc<Document>)>,
}

impl Bodies {
    /// Bodies read from `source`, keeping [`DEFAULT_CAPACITY`] documents.
    pub fn new(source: Source) -> Bodies {
        Bodies::with_capacity(source, DEFAULT_CAPACITY)
    }

    /// Bodies keeping at most `capacity` rendered documents (at least one).
    pub fn with_capacity(source: Source, capacity: usize) -> Bodies {
        Bodies {
            source,
            capacity: capacity.max(1),
            lru: Vec::new(),
        }
    }

    /// Where bodies are read from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The rendered body of `id`, cached. Internal links are resolved to slugs. The body is
    /// read again from the source, so a file that broke since loading gives a problem here
    /// rather than stale text.
    pub fn document(&mut self, index: &Index, id: ArticleId) -> Result<Arc<Document>, Problem> {
        if let Some(pos) = self.lru.iter().position(|(i, _)| *i == id) {
            // Move to the back: the cache evicts from the front (least recently used).
            let entry = self.lru.remove(pos);
            let doc = entry.1.clone();
            self.lru.push(entry);
            return Ok(doc);
        }
        let mut doc = render(&self.source, index.get(id))?;
        doc.resolve_links(|url| index.resolve_url(url).map(|t| index.get(t).slug.clone()));
        let doc = Arc::new(doc);
        if self.lru.len() >= self.capacity {
            self.lru.remove(0);
        }
        self.lru.push((id, doc.clone()));
        Ok(doc)
    }

    /// The rendered body of `id`, read and rendered afresh without touching the cache:
    /// indexing every body must not evict the few documents a reader has open. Links are left
    /// unresolved.
    pub fn render_uncached(&self, index: &Index, id: ArticleId) -> Result<Document, Problem> {
        render(&self.source, index.get(id))
    }

    /// Renders every article and reports the ones whose body cannot be rendered; `check` uses
    /// this so that broken bodies are found before a reader opens them.
    pub fn check(&self, index: &Index) -> Vec<Problem> {
        index
            .articles()
            .par_iter()
            .filter_map(|a| render(&self.source, a).err())
            .collect()
    }
}

/// Reads and parses an article's body; problems point into the file.
fn render(source: &Source, article: &Article) -> Result<Document, Problem> {
    let body = parse::read_body(source, &article.path)?;
    document::parse(&body).map_err(|e: DocumentError| {
        Problem::error(
            &article.path,
            article.body_line + e.line().saturating_sub(1),
            e.to_string(),
        )
    })
}

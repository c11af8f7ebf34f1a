//! The article model: what the loader produces and the index links, by id.
//!
//! A leaf module: it imports nothing else of careerhub but the date type and text folding, so
//! every layer
//! (loading, the index, search, the reader) can share it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use super::date::Date;
use super::fold::fold;

/// The facet of an article's category, the one facet the model itself knows (the others are
/// in [`crate::content::index::facets::FACETS`]).
pub const CATEGORY: &str = "category";

/// Average adult reading speed used for reading-time estimates.
const WORDS_PER_MINUTE: usize = 230;

/// Number of an article in its [`Index`](crate::content::Index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ArticleId(pub u32);

impl ArticleId {
    /// The id as an index into per-article tables.
    pub(crate) fn idx(self) -> usize {
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
            .get(CATEGORY)
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
        // Folded (see `fold`) as the query words are, so any form of a letter matches.
        self.haystack = fold(&format!(
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

    /// Folded (lower-cased, accents off) title, facets and description, separated by
    /// newlines (which no query word contains, so a match never spans two fields), for the
    /// search prefilter.
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

//! Related articles: the article's own related links, then similar articles by shared facets,
//! then backlinks.

use std::collections::HashSet;

use rustc_hash::FxHashMap as HashMap;

use super::Index;
use crate::content::article::ArticleId;

/// Least similarity for an article to count as similar: the same category and one more
/// shared value, or three shared values.
const MIN_SIMILARITY: usize = 3;
/// Similar articles listed by [`Index::related_with`].
const SIMILAR_LIMIT: usize = 5;

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

/// One entry of [`Index::related`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Related {
    pub id: ArticleId,
    pub kind: RelatedKind,
}

impl Index {
    /// Related articles of `id`: explicit links first, then similar articles by shared facets
    /// and category, then backlinks; each article once (see [`Index::related_with`]).
    pub fn related(&self, id: ArticleId) -> Vec<Related> {
        // Similarity: each shared facet value counts its facet's weight (2 for the category, 1
        // for the others; see `facets::FACETS`), counted through the facet index so only
        // articles sharing something are visited.
        let mut scores: HashMap<ArticleId, usize> = HashMap::default();
        for &v in self.value_ids(id) {
            let weight = super::facets::spec(self.facet_pair(v).0).similarity;
            for &o in &self.links.postings[v as usize] {
                *scores.entry(o).or_default() += weight;
            }
        }
        let mut similar: Vec<(usize, ArticleId)> = scores
            .into_iter()
            .filter(|&(_, score)| score >= MIN_SIMILARITY)
            .map(|(o, score)| (score, o))
            .collect();
        // Best first; newest first among equals.
        similar
            .sort_by_key(|&(score, o)| (std::cmp::Reverse(score), self.links.date_rank[o.idx()]));
        self.related_with(id, similar.into_iter().map(|(_, o)| o))
    }

    /// The related list of `id` with `similar` (best first) as its similar articles, however
    /// they were ranked: explicit links first, then the first [`SIMILAR_LIMIT`] of `similar`
    /// that are not listed already and do not link here (a link says more than likeness),
    /// then backlinks; each article once.
    pub fn related_with(
        &self,
        id: ArticleId,
        similar: impl IntoIterator<Item = ArticleId>,
    ) -> Vec<Related> {
        let mut seen = HashSet::from([id]);
        let mut out = Vec::new();
        let explicit = self.get(id).related_links.iter().filter_map(|l| l.target);
        for t in explicit {
            if seen.insert(t) {
                out.push(Related {
                    id: t,
                    kind: RelatedKind::Explicit,
                });
            }
        }
        let backlinks = self.backlinks(id);
        let similar: Vec<ArticleId> = similar
            .into_iter()
            .filter(|o| !backlinks.contains(o) && seen.insert(*o))
            .take(SIMILAR_LIMIT)
            .collect();
        out.extend(similar.into_iter().map(|o| Related {
            id: o,
            kind: RelatedKind::Similar,
        }));
        for &b in backlinks {
            if seen.insert(b) {
                out.push(Related {
                    id: b,
                    kind: RelatedKind::Backlink,
                });
            }
        }
        out
    }
}

//! Facets: counting facet values over a set of articles, and their display order.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use super::Index;
use crate::content::article::ArticleId;

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

impl Index {
    /// Every facet with its values and counts over `ids`, in display order (see
    /// [`FacetTally::sorted`]).
    pub fn facet_counts(&self, ids: &[ArticleId]) -> Vec<(String, Vec<FacetCount>)> {
        let mut counts = vec![0; self.links.facet_pairs.len()];
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
        self.links.facet_pairs.len()
    }

    /// The (facet, value) pair numbered `v`.
    pub fn facet_pair(&self, v: u32) -> (&str, &str) {
        let (name, value) = &self.links.facet_pairs[v as usize];
        (name, value)
    }

    /// The facet value numbers of an article.
    pub fn value_ids(&self, id: ArticleId) -> &[u32] {
        &self.links.value_ids[id.idx()]
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

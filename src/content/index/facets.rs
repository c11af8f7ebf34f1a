//! Facets, written once: the table of facets the publisher's format names ([`FACETS`]), the
//! one filter rule (values of one facet are alternatives, every filtered facet must hold) with
//! the one count over a result set ([`FacetFilter`]), and the display order. The loader, the
//! CLI, search and the reader all use these.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use super::Index;
use crate::content::article::ArticleId;

/// A frontmatter key that holds a facet's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FacetKey {
    /// The key at the top of the frontmatter.
    pub key: &'static str,
    /// Whether the key is a list by nature (`categories`): a single text there is split into
    /// values (`categories: a, b`, as Jekyll allows); under a singular key it is one value.
    pub plural: bool,
}

/// One facet the format knows by name. Any other facet an article brings (under `tags:`)
/// works the same way, with the defaults of [`spec`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FacetSpec {
    /// The facet's name in queries (`role:data-analyst`) and lists.
    pub name: &'static str,
    /// Top-level frontmatter keys holding it, besides a `tags:` map entry of its name.
    pub keys: &'static [FacetKey],
    /// Its plural as a taxonomy name (Zola's `taxonomies`, a `tags:` map), if it has one.
    pub plural: Option<&'static str>,
    /// Sort key: the publisher's main facets come first in lists and panels.
    pub rank: u8,
    /// How much a shared value counts towards "similar articles".
    pub similarity: usize,
    /// The `list` flag that filters on it (`careerhub list --role X`), if any.
    pub cli_flag: Option<&'static str>,
}

const fn facet(
    name: &'static str,
    keys: &'static [FacetKey],
    plural: Option<&'static str>,
    rank: u8,
    similarity: usize,
    cli_flag: Option<&'static str>,
) -> FacetSpec {
    FacetSpec {
        name,
        keys,
        plural,
        rank,
        similarity,
        cli_flag,
    }
}

pub use crate::content::article::CATEGORY;

/// Every facet the format names, most important first.
pub const FACETS: &[FacetSpec] = &[
    facet("role", &[], None, 0, 1, Some("role")),
    facet("intent", &[], None, 1, 1, Some("intent")),
    facet(
        CATEGORY,
        &[
            FacetKey {
                key: "category",
                plural: false,
            },
            FacetKey {
                key: "categories",
                plural: true,
            },
        ],
        Some("categories"),
        2,
        2,
        Some("category"),
    ),
    facet(
        "topic",
        &[FacetKey {
            key: "topics",
            plural: true,
        }],
        Some("topics"),
        3,
        1,
        None,
    ),
    facet("tag", &[], Some("tags"), 3, 1, None),
];

/// What the table says of facet `name`; a facet it does not name ranks after the others and
/// counts 1 towards similarity.
pub fn spec(name: &str) -> FacetSpec {
    FACETS
        .iter()
        .find(|f| f.name == name)
        .copied()
        .unwrap_or(facet("", &[], None, 3, 1, None))
}

/// The facet a taxonomy name stands for: `categories` → `category`; others are themselves.
pub fn singular(taxonomy: &str) -> &str {
    FACETS
        .iter()
        .find(|f| f.plural == Some(taxonomy))
        .map_or(taxonomy, |f| f.name)
}

/// Active facet filters as bit masks over the index's numbered facet values: one bit per
/// filtered facet. This is the one place the filter rule lives: values of one facet are
/// alternatives (OR), every filtered facet must hold (AND). It runs after every search, over
/// every hit, so it avoids strings and hashing.
#[derive(Debug, Clone)]
pub struct FacetFilter {
    /// The bit of the filtered facet each value satisfies, or 0.
    accepts: Vec<u64>,
    /// The bit of each value's own facet if that facet is filtered, or 0.
    facet_bit: Vec<u64>,
    /// Every filtered facet's bit.
    all: u64,
}

impl FacetFilter {
    /// The filter for `(facet, value)` pairs (facet names lower-case, values compared without
    /// regard to ASCII case). At most 64 facets are filtered at once; a library has a handful.
    pub fn new<'a>(index: &Index, active: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let active: Vec<(&str, &str)> = active.into_iter().collect();
        let mut facets: Vec<&str> = Vec::new();
        for (f, _) in &active {
            if !facets.contains(f) {
                facets.push(f);
            }
        }
        facets.truncate(64);
        let n = index.facet_pair_count();
        let (mut accepts, mut facet_bit) = (vec![0; n], vec![0; n]);
        for v in 0..n {
            let (name, value) = index.facet_pair(v as u32);
            if let Some(bit) = facets.iter().position(|f| *f == name) {
                facet_bit[v] = 1 << bit;
                if active
                    .iter()
                    .any(|(f, a)| *f == name && a.eq_ignore_ascii_case(value))
                {
                    accepts[v] = 1 << bit;
                }
            }
        }
        let all = u64::MAX.checked_shr(64 - facets.len() as u32).unwrap_or(0);
        FacetFilter {
            accepts,
            facet_bit,
            all,
        }
    }

    /// The filtered facets article `id` satisfies, as bits.
    fn satisfied(&self, index: &Index, id: ArticleId) -> u64 {
        index
            .value_ids(id)
            .iter()
            .fold(0, |m, &v| m | self.accepts[v as usize])
    }

    /// Whether article `id` passes the filter.
    pub fn passes(&self, index: &Index, id: ArticleId) -> bool {
        self.satisfied(index, id) == self.all
    }

    /// Which of `ids` pass (their places in `ids`), and every facet value's count over them.
    /// A value's count ignores its own facet's filter, so the alternatives to a chosen value
    /// keep their counts (the panel can offer them).
    pub fn filter_and_count<'i>(
        &self,
        index: &'i Index,
        ids: impl IntoIterator<Item = ArticleId>,
    ) -> (Vec<usize>, FacetTally<'i>) {
        let mut counts = vec![0usize; index.facet_pair_count()];
        let mut passing = Vec::new();
        for (i, id) in ids.into_iter().enumerate() {
            let satisfied = self.satisfied(index, id);
            for &v in index.value_ids(id) {
                let required = self.all & !self.facet_bit[v as usize];
                if satisfied & required == required {
                    counts[v as usize] += 1;
                }
            }
            if satisfied == self.all {
                passing.push(i);
            }
        }
        let mut tally = FacetTally::default();
        for (v, &count) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
            let (name, value) = index.facet_pair(v as u32);
            tally.add_count(name, value, count);
        }
        (passing, tally)
    }
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

impl Index {
    /// Every facet with its values and counts over `ids`, in display order (see
    /// [`FacetTally::sorted`]).
    pub fn facet_counts(&self, ids: &[ArticleId]) -> Vec<(String, Vec<FacetCount>)> {
        let unfiltered = FacetFilter::new(self, []);
        unfiltered
            .filter_and_count(self, ids.iter().copied())
            .1
            .sorted()
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
    spec(name).rank
}

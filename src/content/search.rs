//! Fuzzy search over the library with facet filters in the query.
//!
//! A query mixes filter terms and words: `role:data-analyst intent:interview follow up`.
//! Filters on the same facet are alternatives (OR), filters on different facets all apply
//! (AND). Every word must match some field, fuzzily (a subsequence, as fzf does); a word that
//! matches nowhere gets one more chance with one character dropped, which forgives most
//! single typos (`intreview`, `interveiw`).
//!
//! [`Searcher`] is the one interface to the matcher, so it can move to a worker thread.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::library::{Article, ArticleId, Library};

/// Field weights: a hit in the title counts most.
const TITLE_WEIGHT: i64 = 3;
const FACET_WEIGHT: i64 = 2;
const DESCRIPTION_WEIGHT: i64 = 1;
/// A match found only after forgiving a typo counts for this fraction (1/n) of its score.
const TYPO_DIVISOR: i64 = 2;
/// A field match must score at least this much per query character. Skim accepts any
/// subsequence, so a long description "matches" almost any short word with scattered letters;
/// those weak matches are noise, not results.
const MIN_SCORE_PER_CHAR: i64 = 15;
/// Words shorter than this are not typo-corrected: dropping a letter would match anything.
const TYPO_MIN_LEN: usize = 4;

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// `(facet, value)` filter terms, facet names lower-cased.
    pub filters: Vec<(String, String)>,
    /// Free words to match fuzzily.
    pub words: Vec<String>,
}

impl Query {
    /// Splits a query into filter terms (`name:value`) and words.
    pub fn parse(input: &str) -> Query {
        let mut q = Query::default();
        for token in input.split_whitespace() {
            match token.split_once(':') {
                Some((name, value))
                    if !name.is_empty()
                        && !value.is_empty()
                        && !value.starts_with('/')
                        && name
                            .chars()
                            .all(|c| c.is_alphanumeric() || c == '-' || c == '_') =>
                {
                    q.filters.push((name.to_lowercase(), value.to_owned()))
                }
                _ => q.words.push(token.to_owned()),
            }
        }
        q
    }

    /// True when the query neither filters nor searches.
    pub fn is_empty(&self) -> bool {
        self.filters.is_empty() && self.words.is_empty()
    }

    /// Whether `article` passes every filter.
    pub fn accepts(&self, article: &Article) -> bool {
        let mut facets: Vec<&str> = self.filters.iter().map(|(n, _)| n.as_str()).collect();
        facets.dedup();
        facets.iter().all(|facet| {
            self.filters
                .iter()
                .filter(|(n, _)| n == facet)
                .any(|(n, v)| article.has_facet(n, v))
        })
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub id: ArticleId,
    /// Higher is better; 0 when the query had no words.
    pub score: i64,
    /// Char indices of matched characters in the title, sorted, for highlighting.
    pub positions: Vec<usize>,
}

/// Fuzzy matcher over titles, facets, categories and descriptions.
pub struct Searcher {
    matcher: SkimMatcherV2,
}

impl Default for Searcher {
    fn default() -> Self {
        Searcher {
            matcher: SkimMatcherV2::default().smart_case(),
        }
    }
}

impl std::fmt::Debug for Searcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Searcher(skim)")
    }
}

impl Searcher {
    /// Ranks the articles among `candidates` that pass the query, best first. Ties keep
    /// candidate order, so date-ordered candidates give newest first.
    pub fn search(&self, library: &Library, query: &Query, candidates: &[ArticleId]) -> Vec<Hit> {
        let mut hits: Vec<Hit> = candidates
            .iter()
            .map(|&id| library.get(id))
            .filter(|a| query.accepts(a))
            .filter_map(|a| self.score(a, &query.words))
            .collect();
        hits.sort_by_key(|h| std::cmp::Reverse(h.score));
        hits
    }

    /// Scores one article against every word; `None` when some word matches nowhere.
    fn score(&self, article: &Article, words: &[String]) -> Option<Hit> {
        let mut total = 0;
        let mut positions = Vec::new();
        if !words.is_empty() {
            let facets = facet_text(article);
            for word in words {
                let (score, title_pos) = self
                    .best_field(article, &facets, word)
                    .or_else(|| self.forgiving_typo(article, &facets, word))?;
                total += score;
                positions.extend(title_pos);
            }
            positions.sort_unstable();
            positions.dedup();
        }
        Some(Hit {
            id: article.id,
            score: total,
            positions,
        })
    }

    /// The best weighted score of `word` over the fields, with title positions when the title
    /// took part.
    fn best_field(&self, article: &Article, facets: &str, word: &str) -> Option<(i64, Vec<usize>)> {
        let min = MIN_SCORE_PER_CHAR * word.chars().count() as i64;
        let title = self
            .matcher
            .fuzzy_indices(&article.title, word)
            .filter(|(s, _)| *s >= min)
            .map(|(s, pos)| (s * TITLE_WEIGHT, pos));
        let strong = |s: &i64| *s >= min;
        let facet = self
            .matcher
            .fuzzy_match(facets, word)
            .filter(strong)
            .map(|s| (s * FACET_WEIGHT, Vec::new()));
        let desc = self
            .matcher
            .fuzzy_match(&article.description, word)
            .filter(strong)
            .map(|s| (s * DESCRIPTION_WEIGHT, Vec::new()));
        [title, facet, desc]
            .into_iter()
            .flatten()
            .max_by_key(|(s, _)| *s)
    }

    fn forgiving_typo(
        &self,
        article: &Article,
        facets: &str,
        word: &str,
    ) -> Option<(i64, Vec<usize>)> {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() < TYPO_MIN_LEN {
            return None;
        }
        (0..chars.len())
            .filter_map(|skip| {
                let shorter: String = chars
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != skip)
                    .map(|(_, c)| c)
                    .collect();
                self.best_field(article, facets, &shorter)
            })
            .max_by_key(|(s, _)| *s)
            .map(|(s, pos)| (s / TYPO_DIVISOR, pos))
    }
}

/// Facet values and category as one searchable string.
fn facet_text(article: &Article) -> String {
    let mut out = String::new();
    for values in article.facets.values() {
        for v in values {
            out.push_str(v);
            out.push(' ');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::library::tests::library_of;

    #[test]
    fn query_syntax() {
        let q = Query::parse("role:data-analyst  intent:interview follow up https://x");
        assert_eq!(
            q.filters,
            vec![
                ("role".into(), "data-analyst".into()),
                ("intent".into(), "interview".into())
            ]
        );
        assert_eq!(q.words, vec!["follow", "up", "https://x"]);
        assert!(Query::parse("  ").is_empty());
        assert_eq!(Query::parse("a: :b").words, vec!["a:", ":b"]);
    }

    fn lib() -> Library {
        library_of(&[
            (
                "a",
                "How to Follow Up After an Interview",
                "interviewing",
                &["data-analyst"],
                &["interview"],
                "2025-01-02",
            ),
            (
                "b",
                "Negotiate Your Salary",
                "salary-negotiation",
                &["general"],
                &["salary"],
                "2025-03-01",
            ),
            (
                "c",
                "Resume Keywords for Analysts",
                "resume-cover-letters",
                &["data-analyst"],
                &["resume", "ats"],
                "2025-02-01",
            ),
            (
                "d",
                "Interview Questions for Engineers",
                "interviewing",
                &["software-engineer"],
                &["interview"],
                "2025-04-01",
            ),
        ])
    }

    fn slugs(lib: &Library, q: &str) -> Vec<String> {
        Searcher::default()
            .search(lib, &Query::parse(q), lib.by_date())
            .iter()
            .map(|h| lib.get(h.id).slug.clone())
            .collect()
    }

    #[test]
    fn empty_query_lists_everything_newest_first() {
        assert_eq!(slugs(&lib(), ""), vec!["d", "b", "c", "a"]);
    }

    #[test]
    fn filters_and_words_combine() {
        let lib = lib();
        assert_eq!(slugs(&lib, "role:data-analyst"), vec!["c", "a"]);
        assert_eq!(slugs(&lib, "intent:interview role:data-analyst"), vec!["a"]);
        assert_eq!(
            slugs(&lib, "role:data-analyst role:general"),
            vec!["b", "c", "a"]
        );
        assert_eq!(slugs(&lib, "category:interviewing follow"), vec!["a"]);
        assert_eq!(slugs(&lib, "role:nobody"), Vec::<String>::new());
        assert_eq!(slugs(&lib, "ROLE:Data-Analyst intent:ats"), vec!["c"]);
    }

    #[test]
    fn title_matches_outrank_description_and_carry_positions() {
        let lib = lib();
        let hits = Searcher::default().search(&lib, &Query::parse("folup"), lib.by_date());
        assert_eq!(hits.len(), 1);
        let title: Vec<char> = lib.get(hits[0].id).title.chars().collect();
        let matched: String = hits[0].positions.iter().map(|&i| title[i]).collect();
        assert_eq!(matched.to_lowercase(), "folup");
    }

    #[test]
    fn every_word_must_match() {
        assert_eq!(slugs(&lib(), "interview salary"), Vec::<String>::new());
        assert_eq!(slugs(&lib(), "interview engineers"), vec!["d"]);
    }

    #[test]
    fn single_typos_are_forgiven_but_rank_lower() {
        let lib = lib();
        let typo = slugs(&lib, "interveiw");
        assert!(
            typo.contains(&"a".to_string()) && typo.contains(&"d".to_string()),
            "{typo:?}"
        );
        assert_eq!(slugs(&lib, "slaary"), vec!["b"]);
        assert!(slugs(&lib, "xqz").is_empty());
    }

    #[test]
    fn facet_values_are_searchable() {
        assert_eq!(slugs(&lib(), "negotiation"), vec!["b"]);
    }
}

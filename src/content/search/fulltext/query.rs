//! The search line's query, read for the body index: the same words and `facet:value`
//! filters as the title search ([`crate::content::search::Query`]), with words in double
//! quotes taken as one phrase and the last word also completed as a prefix (it is usually
//! still being typed).

use tantivy::tokenizer::TextAnalyzer;

use super::analysis;
use crate::content::search::query::Query;

/// Shortest last word completed as a prefix: shorter ones expand to words of every kind.
pub const MIN_PREFIX_CHARS: usize = 3;

/// One thing every body hit must contain: a word (one term) or a phrase (terms in order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Stemmed terms, in order.
    pub terms: Vec<String>,
    /// Unstemmed (folded) form of a single word that may be a prefix of the real word.
    pub prefix: Option<String>,
    /// A function word typed as part of a question (`how`, `to`, `the`): it helps the
    /// ranking but is not required, and is not marked in snippets.
    pub stop: bool,
}

/// Function words that questions are made of: alone they say nothing about an article.
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "an", "and", "are", "as", "at", "be", "before", "can", "do", "does",
    "for", "from", "how", "i", "if", "in", "is", "it", "me", "my", "of", "on", "or", "should",
    "so", "the", "to", "up", "what", "when", "where", "which", "who", "why", "will", "with", "you",
    "your",
];

/// Of `n` required words, how many an article must contain: all of one or two, two thirds
/// of more (a question typed in full rarely has every one of its words in the answer).
pub fn required(n: usize) -> usize {
    if n <= 2 { n } else { (2 * n).div_ceil(3) }
}

/// A query as the body index reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyQuery {
    pub units: Vec<Unit>,
    /// `(facet, value)` filters, lower-cased.
    pub filters: Vec<(String, String)>,
}

impl BodyQuery {
    /// Reads `query` with the index's analyzers. Words that are only punctuation drop out.
    pub fn new(query: &Query, stemmed: &mut TextAnalyzer, words: &mut TextAnalyzer) -> BodyQuery {
        let groups = group_phrases(&query.words);
        let last = groups.len().saturating_sub(1);
        let groups_len = groups.len();
        let units = groups
            .into_iter()
            .enumerate()
            .filter_map(|(i, (text, quoted))| {
                let terms = analysis::terms(stemmed, &text);
                if terms.is_empty() {
                    return None;
                }
                let prefix = if i == last && !quoted && terms.len() == 1 {
                    analysis::terms(words, &text)
                        .pop()
                        .filter(|p| p.chars().count() >= MIN_PREFIX_CHARS)
                } else {
                    None
                };
                let stop = !quoted
                    && terms.len() == 1
                    && groups_len > 1
                    && STOP_WORDS.contains(&text.to_lowercase().as_str());
                Some(Unit {
                    terms,
                    // A function word is whole: "to" is not the start of "today".
                    prefix: prefix.filter(|_| !stop),
                    stop,
                })
            })
            .collect::<Vec<Unit>>();
        let mut units = units;
        if units.iter().all(|u| u.stop) {
            // Only function words: then they are what was asked for.
            units.iter_mut().for_each(|u| u.stop = false);
        }
        BodyQuery {
            units,
            filters: query
                .filters
                .iter()
                .map(|(n, v)| (n.to_lowercase(), v.to_lowercase()))
                .collect(),
        }
    }

    /// True when there is nothing to look for in bodies (no words, or filters only).
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Every stemmed term, for highlighting.
    pub fn all_terms(&self) -> impl Iterator<Item = &str> {
        self.units
            .iter()
            .flat_map(|u| u.terms.iter().map(String::as_str))
    }
}

/// Groups words into `(text, quoted)`: a word opening with `"` starts a phrase that runs to
/// the word closing with `"` (or to the end when it is never closed).
pub fn group_phrases(words: &[String]) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut open: Option<String> = None;
    for word in words {
        match open.as_mut() {
            Some(phrase) => {
                phrase.push(' ');
                phrase.push_str(word);
                if word.ends_with('"') {
                    out.push((phrase.trim_matches('"').to_owned(), true));
                    open = None;
                }
            }
            None if word.starts_with('"') => {
                if word.len() > 1 && word.ends_with('"') {
                    out.push((word.trim_matches('"').to_owned(), true));
                } else {
                    open = Some(word.clone());
                }
            }
            None => out.push((word.clone(), false)),
        }
    }
    if let Some(phrase) = open {
        out.push((phrase.trim_matches('"').to_owned(), true));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_make_phrases_and_the_last_word_a_prefix() {
        let q = Query::parse(r#"role:general "Following up" after interv"#);
        let bq = BodyQuery::new(&q, &mut analysis::stemmed(), &mut analysis::words());
        assert_eq!(bq.filters, vec![("role".to_owned(), "general".to_owned())]);
        let terms: Vec<Vec<&str>> = bq
            .units
            .iter()
            .map(|u| u.terms.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(
            terms,
            vec![vec!["follow", "up"], vec!["after"], vec!["interv"]]
        );
        assert_eq!(bq.units[2].prefix.as_deref(), Some("interv"));
        assert_eq!(bq.units[1].prefix, None);
        // An unclosed quote runs to the end, and a phrase is never a prefix.
        let q = Query::parse(r#""how long to wa"#);
        let bq = BodyQuery::new(&q, &mut analysis::stemmed(), &mut analysis::words());
        assert_eq!(bq.units.len(), 1);
        assert_eq!(bq.units[0].terms.len(), 4);
        assert_eq!(bq.units[0].prefix, None);
        assert!(
            BodyQuery::new(
                &Query::parse("-- !!"),
                &mut analysis::stemmed(),
                &mut analysis::words()
            )
            .is_empty()
        );
    }
}

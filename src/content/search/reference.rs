//! The matcher as it was before the keystroke work (per-article scoring over every
//! candidate, `str` searches, byte-loop subsequence tests), kept only for tests: the
//! differential test checks that [`super::Searcher`] returns the same hits, scores and order.

use std::collections::HashSet;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::{
    DESCRIPTION_WEIGHT, FACET_WEIGHT, FUZZY_MIN_LEN, Hit, MIN_SCORE_PER_CHAR, Query,
    SUBSTRING_CHAR_SCORE, TITLE_WEIGHT, TYPO_DIVISOR, TYPO_MIN_LEN, TYPO_RESCUE_BELOW,
    WORD_START_BONUS, fold, unquoted,
};
use crate::content::article::{Article, ArticleId};
use crate::content::index::Index;

/// The hits the old searcher returned for `query`, best first, ties in candidate order.
pub(crate) fn search(library: &Index, query: &Query, candidates: &[ArticleId]) -> Vec<Hit> {
    let matcher = SkimMatcherV2::default().smart_case();
    let words: Vec<Word> = query
        .words
        .iter()
        .filter_map(|w| unquoted(w))
        .map(Word::new)
        .collect();
    let filter = query.facet_filter(library);
    let survivors: Vec<ArticleId> = candidates
        .iter()
        .copied()
        .filter(|&id| {
            filter.passes(library, id)
                && words
                    .iter()
                    .all(|w| prefilter(w.lower.as_bytes(), library.get(id).haystack().as_bytes()))
        })
        .collect();
    let score_all = |ids: &[ArticleId], typos: bool| -> Vec<Hit> {
        ids.iter()
            .filter_map(|&id| score(&matcher, library.get(id), &words, typos))
            .collect()
    };
    let mut hits = score_all(&survivors, false);
    if hits.len() < TYPO_RESCUE_BELOW && words.iter().any(|w| !w.typos.is_empty()) {
        let matched: HashSet<ArticleId> = hits.iter().map(|h| h.id).collect();
        let rest: Vec<ArticleId> = survivors
            .iter()
            .copied()
            .filter(|id| !matched.contains(id))
            .collect();
        hits.extend(score_all(&rest, true));
    }
    hits.sort_by_key(|h| std::cmp::Reverse(h.score));
    hits
}

fn score(matcher: &SkimMatcherV2, article: &Article, words: &[Word], typos: bool) -> Option<Hit> {
    let mut total = 0;
    for word in words {
        total += substring_score(article, &word.lower)
            .or_else(|| fuzzy_score(matcher, article, word))
            .or_else(|| typos.then(|| typo_score(matcher, article, word)).flatten())?;
    }
    Some(Hit::title(article.id, total))
}

fn fuzzy_score(matcher: &SkimMatcherV2, article: &Article, word: &Word) -> Option<i64> {
    if word.chars < FUZZY_MIN_LEN {
        return None;
    }
    let min = MIN_SCORE_PER_CHAR * word.typed.chars().count() as i64;
    let [title, facets, _] = article.lower_fields();
    [
        (article.title.as_str(), title, TITLE_WEIGHT),
        (article.facet_text(), facets, FACET_WEIGHT),
    ]
    .into_iter()
    .filter(|(_, lower, _)| is_subsequence(word.lower.as_bytes(), lower.as_bytes()))
    .filter_map(|(field, _, weight)| {
        matcher
            .fuzzy_match(field, &word.typed)
            .filter(|&s| s >= min)
            .map(|s| s * weight)
    })
    .max()
}

fn typo_score(matcher: &SkimMatcherV2, article: &Article, word: &Word) -> Option<i64> {
    word.typos
        .iter()
        .filter_map(|w| fuzzy_score(matcher, article, w))
        .max()
        .map(|s| s / TYPO_DIVISOR)
}

fn substring_score(article: &Article, lower_word: &str) -> Option<i64> {
    let len = lower_word.chars().count() as i64;
    let weights = [TITLE_WEIGHT, FACET_WEIGHT, DESCRIPTION_WEIGHT];
    article
        .lower_fields()
        .into_iter()
        .zip(weights)
        .find_map(|(field, weight)| {
            let mut found = false;
            for (at, _) in field.match_indices(lower_word) {
                found = true;
                if at == 0 || !field.as_bytes()[at - 1].is_ascii_alphanumeric() {
                    return Some((SUBSTRING_CHAR_SCORE * len + WORD_START_BONUS) * weight);
                }
            }
            found.then_some(SUBSTRING_CHAR_SCORE * len * weight)
        })
}

struct Word {
    typed: String,
    lower: String,
    chars: usize,
    typos: Vec<Word>,
}

impl Word {
    fn new(typed: &str) -> Word {
        let n = typed.chars().count();
        let typos = (0..if n >= TYPO_MIN_LEN { n } else { 0 })
            .map(|skip| {
                let v: String = typed
                    .chars()
                    .enumerate()
                    .filter(|&(i, _)| i != skip)
                    .map(|(_, c)| c)
                    .collect();
                Word::plain(&v)
            })
            .collect();
        Word {
            typos,
            ..Word::plain(typed)
        }
    }

    fn plain(typed: &str) -> Word {
        Word {
            typed: typed.to_owned(),
            lower: fold(typed),
            chars: typed.chars().count(),
            typos: Vec::new(),
        }
    }
}

/// Brute force: the word, or the word with any one byte left out (for long enough words).
fn prefilter(word: &[u8], hay: &[u8]) -> bool {
    is_subsequence(word, hay)
        || (word.len() >= TYPO_MIN_LEN
            && (word.len() > super::PREFILTER_MAX
                || (0..word.len()).any(|skip| {
                    let shorter: Vec<u8> = word
                        .iter()
                        .enumerate()
                        .filter(|&(i, _)| i != skip)
                        .map(|(_, &b)| b)
                        .collect();
                    is_subsequence(&shorter, hay)
                })))
}

fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut rest = hay;
    for &b in needle {
        match rest.iter().position(|&h| h == b) {
            Some(i) => rest = &rest[i + 1..],
            None => return false,
        }
    }
    true
}

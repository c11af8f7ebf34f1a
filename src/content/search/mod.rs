//! Fuzzy search over the library with facet filters in the query.
//!
//! A query mixes filter terms and words: `role:data-analyst intent:interview follow up`.
//! Filters on the same facet are alternatives (OR), filters on different facets all apply
//! (AND). Every word must match some field, fuzzily (a subsequence, as fzf does); a word that
//! matches nowhere gets one more chance with one character dropped, which forgives most
//! single typos (`intreview`, `interveiw`).
//!
//! [`Searcher`] is the one interface to the matcher, so it can move to a worker thread.

pub mod fulltext;
pub mod query;
#[cfg(test)]
mod reference;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use std::sync::{Arc, LazyLock, Mutex, OnceLock, Weak};

use unicode_normalization::char::is_combining_mark;

use rayon::prelude::*;

use crate::content::article::{Article, ArticleId};
pub use crate::content::fold::fold;
use crate::content::fold::fold_with_owners;
use crate::content::index::Index;
use fulltext::{BodyHit, Snippet};
pub use query::{MAX_QUERY_WORDS, Query, cap_words};

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
/// Longer words (in bytes) are not prefiltered: the one-skip check tracks them on the stack.
const PREFILTER_MAX: usize = 64;
/// Typo forgiveness runs only when the exact and fuzzy passes found fewer hits than this.
const TYPO_RESCUE_BELOW: usize = 10;
/// Shorter words match only as substrings: scattered matches of one or two letters are noise.
const FUZZY_MIN_LEN: usize = 3;
/// Substring matches score this much a character, about what skim gives a contiguous run.
const SUBSTRING_CHAR_SCORE: i64 = 20;
/// Extra for a substring match that starts a word.
const WORD_START_BONUS: i64 = 10;
/// Words shorter than this are not typo-corrected: dropping a letter would match anything.
const TYPO_MIN_LEN: usize = 6;

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub id: ArticleId,
    /// Higher is better; 0 when the query had no words.
    pub score: i64,
    /// Char indices of matched characters in the title, sorted, for highlighting.
    pub positions: Vec<usize>,
    /// Where the words matched: title, facets and description, or only the body.
    pub matched: Matched,
    /// For a body hit, the line of body text around the match.
    pub snippet: Option<Snippet>,
}

impl Hit {
    /// A hit on the title side (title, facets, description).
    pub fn title(id: ArticleId, score: i64) -> Hit {
        Hit {
            id,
            score,
            positions: Vec::new(),
            matched: Matched::Title,
            snippet: None,
        }
    }
}

/// Which side of the search found a hit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Matched {
    /// Title, facets or description (fuzzy).
    #[default]
    Title,
    /// Only the body (full text).
    Body,
}

/// Title hits first (they keep their order), then the body hits of articles that matched
/// nowhere else, best first. A body hit's score is its BM25 score times 100.
pub fn with_body_hits(mut hits: Vec<Hit>, body: Vec<BodyHit>) -> Vec<Hit> {
    let seen: std::collections::HashSet<ArticleId> = hits.iter().map(|h| h.id).collect();
    hits.extend(
        body.into_iter()
            .filter(|b| !seen.contains(&b.id))
            .map(|b| Hit {
                id: b.id,
                score: (b.score * 100.0).round() as i64,
                positions: Vec::new(),
                matched: Matched::Body,
                snippet: b.snippet,
            }),
    );
    hits
}

/// A query word as the fuzzy side sees it: the double quotes that make a phrase for the
/// body search are not part of any title.
fn unquoted(word: &str) -> Option<&str> {
    Some(word.trim_matches('"')).filter(|w| !w.is_empty())
}

/// Fuzzy matcher over titles, facets, categories and descriptions.
///
/// It remembers the previous search, which makes typing cheap: when a query only extends the
/// last one, only the last one's survivors are looked at (see [`Narrowing`]), and a word that
/// was in the last query keeps the scores it got there (see [`WordMemo`]), so each keystroke
/// scores only the word being typed.
pub struct Searcher {
    matcher: SkimMatcherV2,
    texts: Option<Arc<Texts>>,
    last: Option<Narrowing>,
    memos: Vec<WordMemo>,
}

impl Default for Searcher {
    fn default() -> Self {
        Searcher {
            matcher: SkimMatcherV2::default().smart_case(),
            texts: None,
            last: None,
            memos: Vec::new(),
        }
    }
}

impl std::fmt::Debug for Searcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Searcher(skim)")
    }
}

/// What the previous search left for the next one: the articles that passed its filters and
/// prefilter. When the next query only extends the words, the answer lies within these.
/// Positions are places in the candidate list of the searcher's [`Texts`]: when that changes,
/// this is dropped.
struct Narrowing {
    filters: Vec<(String, String)>,
    words: Vec<String>,
    survivors: Vec<u32>,
}

/// One word's score in each article it was scored against, kept from one search to the next.
/// A word's score in an article depends on nothing else in the query, so while the word stays
/// (the user types the next one, or deletes back to it) its scores stay right.
struct WordMemo {
    /// The word as typed: skim's smart case tells `Job` from `job`.
    typed: String,
    /// By candidate position: [`UNSCORED`], [`NO_MATCH`] or the score (without typo forgiveness).
    scores: Vec<i64>,
    /// By facet group ([`Texts::groups`]): the word's weighted fuzzy score in that facet text.
    facets: Vec<OnceLock<Option<i64>>>,
}

/// [`WordMemo::scores`] for an article the word was not scored against yet.
const UNSCORED: i64 = i64::MIN;
/// [`WordMemo::scores`] for an article the word does not match (before typo forgiveness).
const NO_MATCH: i64 = i64::MIN + 1;

/// Candidate lists longer than this are scored on every core.
const PARALLEL_FROM: usize = 512;

/// `f` over `items` in order, on every core when there are many.
fn map_items<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    if items.len() >= PARALLEL_FROM {
        items.par_iter().map(f).collect()
    } else {
        items.iter().map(f).collect()
    }
}

impl Searcher {
    /// Ranks the articles among `candidates` that pass the query, best first. Ties keep
    /// candidate order, so date-ordered candidates give newest first. Title positions are
    /// left empty: fill them with [`title_positions`] for the rows that are shown.
    pub fn search(&mut self, library: &Index, query: &Query, candidates: &[ArticleId]) -> Vec<Hit> {
        let key = (library as *const Index as usize, candidates.len());
        if !self
            .texts
            .as_ref()
            .is_some_and(|t| t.is_for(key, library, candidates))
        {
            self.texts = Some(Texts::shared(key, library, candidates));
            self.last = None;
            self.memos.clear();
        }
        let words: Vec<Word> = query
            .words
            .iter()
            .filter_map(|w| unquoted(w))
            .map(Word::new)
            .collect();
        let groups = self.texts.as_ref().map_or(0, |t| t.group_count);
        let mut memos = self.memos_for(&words, candidates.len(), groups);
        let texts = &**self.texts.as_ref().expect("built above");
        let lower: Vec<String> = words.iter().map(|w| w.lower.clone()).collect();
        let narrowed = self
            .last
            .take()
            .filter(|n| n.narrows_to(&query.filters, &lower));
        let all: Vec<u32>;
        let (pool, known): (&[u32], &[String]) = match &narrowed {
            // Words the previous search already prefiltered its survivors with pass again.
            Some(n) => (&n.survivors, &n.words),
            None => {
                all = (0..candidates.len() as u32).collect();
                (&all, &[])
            }
        };
        let to_check: Vec<&Word> = words
            .iter()
            .enumerate()
            .filter(|&(i, w)| known.get(i) != Some(&w.lower))
            .map(|(_, w)| w)
            .collect();
        let filter = (!query.filters.is_empty()).then(|| query.facet_filter(library));
        let passes = |&at: &u32| {
            let hay = texts.haystack(at);
            filter
                .as_ref()
                .is_none_or(|f| f.passes(library, texts.ids[at as usize]))
                && to_check.iter().all(|w| w.prefilter(hay))
        };
        let survivors: Vec<u32> = if pool.len() >= PARALLEL_FROM {
            pool.par_iter().copied().filter(passes).collect()
        } else {
            pool.iter().copied().filter(passes).collect()
        };
        // Word by word over a shrinking list: an article out after one word is not scored for
        // the rest. Sums do not depend on the order, so the result is the per-article one.
        let mut scored: Vec<(u32, i64)> = survivors.iter().map(|&at| (at, 0)).collect();
        for (word, memo) in words.iter().zip(&mut memos) {
            let found = map_items(&scored, |&(at, _)| match memo.scores[at as usize] {
                UNSCORED => self.exact_score(library, texts, at, word, memo),
                NO_MATCH => None,
                s => Some(s),
            });
            let mut kept = 0;
            for i in 0..scored.len() {
                let (at, total) = scored[i];
                memo.scores[at as usize] = found[i].unwrap_or(NO_MATCH);
                if let Some(s) = found[i] {
                    scored[kept] = (at, total + s);
                    kept += 1;
                }
            }
            scored.truncate(kept);
        }
        if scored.len() < TYPO_RESCUE_BELOW && words.iter().any(|w| !w.typos.is_empty()) {
            // Too few exact or fuzzy hits: maybe a typo. Forgiving one is costly, so it only
            // runs when it can help, over the articles that did not match already.
            let matched: std::collections::HashSet<u32> =
                scored.iter().map(|&(at, _)| at).collect();
            let rest: Vec<u32> = survivors
                .iter()
                .copied()
                .filter(|at| !matched.contains(at))
                .collect();
            let rescued = map_items(&rest, |&at| {
                let mut total = 0;
                for (word, memo) in words.iter().zip(&memos) {
                    let exact = match memo.scores[at as usize] {
                        UNSCORED => self.exact_score(library, texts, at, word, memo),
                        NO_MATCH => None,
                        s => Some(s),
                    };
                    total += exact.or_else(|| self.typo_score(library, texts, at, word))?;
                }
                Some((at, total))
            });
            scored.extend(rescued.into_iter().flatten());
        }
        // Stable: equal scores keep candidate order. Sorting the small pairs, not the hits.
        scored.sort_by_key(|&(_, score)| std::cmp::Reverse(score));
        let hits = scored
            .into_iter()
            .map(|(at, score)| Hit::title(texts.ids[at as usize], score))
            .collect();
        self.memos = memos;
        self.last = Some(Narrowing {
            filters: query.filters.clone(),
            words: lower,
            survivors,
        });
        hits
    }

    /// One memo per query word, in query order: the previous search's for a word it had too,
    /// a fresh one for a new word.
    fn memos_for(&mut self, words: &[Word], candidates: usize, groups: usize) -> Vec<WordMemo> {
        let mut old = std::mem::take(&mut self.memos);
        words
            .iter()
            .map(|w| match old.iter().position(|m| m.typed == w.typed) {
                Some(i) => old.swap_remove(i),
                None => WordMemo {
                    typed: w.typed.clone(),
                    scores: vec![UNSCORED; candidates],
                    facets: (0..groups).map(|_| OnceLock::new()).collect(),
                },
            })
            .collect()
    }

    /// The score of one word in one article without typo forgiveness; `None` when it matches
    /// nowhere.
    ///
    /// Tried from cheapest to dearest: as a substring of a field (most typing is a prefix of a
    /// real word, and a contiguous match is the best a fuzzy match can be), then fuzzily with
    /// skim on the fields that hold its letters in order. Skim, the costly step, only runs for
    /// the few articles that need it.
    fn exact_score(
        &self,
        library: &Index,
        texts: &Texts,
        at: u32,
        word: &Word,
        memo: &WordMemo,
    ) -> Option<i64> {
        let fields = texts.fields(at);
        substring_score(&fields, word).or_else(|| {
            let article = library.get(texts.ids[at as usize]);
            let group = &memo.facets[texts.groups[at as usize] as usize];
            self.fuzzy_score(article, &fields, word, Some(group))
        })
    }

    /// The best weighted skim score of `word` over the title and facets that can match it.
    /// Descriptions are long enough for almost any short word to turn up scattered in them,
    /// so they only match by substring. Many articles share their facets: with `facets`, the
    /// facet score is computed once for each distinct facet text (see [`Texts::groups`]).
    fn fuzzy_score(
        &self,
        article: &Article,
        fields: &[&[u8]; 3],
        word: &Word,
        facets: Option<&OnceLock<Option<i64>>>,
    ) -> Option<i64> {
        if word.chars < FUZZY_MIN_LEN {
            return None;
        }
        let min = min_score(&word.typed);
        let skim = |field: &str, lower_field: &[u8], weight: i64| {
            if !is_subsequence(word.lower.as_bytes(), lower_field) {
                return None;
            }
            self.matcher
                .fuzzy_match(field, &word.typed)
                .filter(|&s| s >= min)
                .map(|s| s * weight)
        };
        let title = skim(&article.title, fields[0], TITLE_WEIGHT);
        let facet_score = || skim(article.facet_text(), fields[1], FACET_WEIGHT);
        let facets = match facets {
            Some(once) => *once.get_or_init(facet_score),
            None => facet_score(),
        };
        // `None` orders below any score: the better of the fields that matched.
        title.max(facets)
    }

    fn typo_score(&self, library: &Index, texts: &Texts, at: u32, word: &Word) -> Option<i64> {
        let fields = texts.fields(at);
        let article = library.get(texts.ids[at as usize]);
        word.typos
            .iter()
            .filter_map(|w| self.fuzzy_score(article, &fields, w, None))
            .max()
            .map(|s| s / TYPO_DIVISOR)
    }
}

/// The folded search text of every candidate (see [`Article::haystack`]), in candidate
/// order, in one buffer. A keystroke reads every candidate's text; read from the articles
/// themselves, in date order, that is a cache miss or more an article (most of the time of a
/// one-letter query at 100,000 articles), read from here it is one sequential pass. Built on
/// the first search of a library (a copy of the text: about 250 bytes an article).
struct Texts {
    /// Identifies the library and candidate list, as [`Searcher::search`] computes it.
    key: (usize, usize),
    /// The candidates, in order: a search position's article.
    ids: Vec<ArticleId>,
    bytes: Vec<u8>,
    /// For each position: where its text starts, where its title and facets end, where it ends.
    spans: Vec<[usize; 4]>,
    /// For each position, its facet group: articles with the same facet text (as written and
    /// folded) are in one group, so a word's fuzzy facet score is computed once per group.
    groups: Vec<u32>,
    group_count: usize,
}

impl Texts {
    fn new(key: (usize, usize), library: &Index, candidates: &[ArticleId]) -> Texts {
        let size = candidates
            .iter()
            .map(|&id| library.get(id).haystack().len())
            .sum();
        let mut bytes = Vec::with_capacity(size);
        let spans = candidates
            .iter()
            .map(|&id| {
                let hay = library.get(id).haystack().as_bytes();
                let start = bytes.len();
                bytes.extend_from_slice(hay);
                // Fields as `Article::lower_fields` splits them: at the first two newlines.
                let title_end = memchr::memchr(b'\n', hay).map_or(hay.len(), |i| start + i);
                let facets_end = match bytes.get(title_end + 1..) {
                    Some(rest) => {
                        memchr::memchr(b'\n', rest).map_or(bytes.len(), |i| title_end + 1 + i)
                    }
                    None => bytes.len(),
                };
                [start, title_end, facets_end, bytes.len()]
            })
            .collect();
        let mut texts = Texts {
            key,
            ids: candidates.to_vec(),
            bytes,
            spans,
            groups: Vec::new(),
            group_count: 0,
        };
        let mut seen: rustc_hash::FxHashMap<(&str, &[u8]), u32> = Default::default();
        let groups = (0..candidates.len() as u32)
            .map(|at| {
                let facet_text = library.get(candidates[at as usize]).facet_text();
                let next = seen.len() as u32;
                *seen
                    .entry((facet_text, texts.fields(at)[1]))
                    .or_insert(next)
            })
            .collect();
        texts.group_count = seen.len();
        texts.groups = groups;
        texts
    }

    /// The texts of `candidates` of `library`: built once and shared by every searcher of the
    /// library that holds them (the SSH server's sessions share one library), rebuilt when all
    /// have let go.
    fn shared(key: (usize, usize), library: &Index, candidates: &[ArticleId]) -> Arc<Texts> {
        static SHARED: Mutex<Vec<Weak<Texts>>> = Mutex::new(Vec::new());
        // Building under the lock: a second searcher of the same library waits for this build
        // instead of making its own.
        let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
        shared.retain(|t| t.strong_count() > 0);
        if let Some(texts) = shared
            .iter()
            .filter_map(Weak::upgrade)
            .find(|t| t.is_for(key, library, candidates))
        {
            return texts;
        }
        let texts = Arc::new(Texts::new(key, library, candidates));
        shared.push(Arc::downgrade(&texts));
        texts
    }

    /// Whether this holds the text of `candidates` of `library`. The key is the library's
    /// address; a sample of the texts is compared too, in case another library took the
    /// address of one that is gone.
    fn is_for(&self, key: (usize, usize), library: &Index, candidates: &[ArticleId]) -> bool {
        const SAMPLES: usize = 64;
        self.key == key
            && self.ids == candidates
            && (0..candidates.len())
                .step_by((candidates.len() / SAMPLES).max(1))
                .all(|at| {
                    library.get(candidates[at]).haystack().as_bytes() == self.haystack(at as u32)
                })
    }

    /// The whole folded search text at a position.
    fn haystack(&self, at: u32) -> &[u8] {
        let [start, _, _, end] = self.spans[at as usize];
        &self.bytes[start..end]
    }

    /// Folded title, facets and description at a position (empty where missing).
    fn fields(&self, at: u32) -> [&[u8]; 3] {
        let [start, title_end, facets_end, end] = self.spans[at as usize];
        let after = |i: usize| (i + 1).min(end);
        [
            &self.bytes[start..title_end],
            &self.bytes[after(title_end)..facets_end.max(after(title_end))],
            &self.bytes[after(facets_end)..end.max(after(facets_end))],
        ]
    }
}

/// Char indices of `title` matched by the query words, for highlighting. Computed only for
/// the rows that are shown, not for every hit.
///
/// A word is matched against the title as written, else against its folded form (see
/// [`fold`]), whose matches are mapped back to the title's own characters: `Naïve` then
/// marks a decomposed `Nai\u{308}ve` whole, the combining mark with its letter.
pub fn title_positions(title: &str, words: &[String]) -> Vec<usize> {
    static MATCHER: LazyLock<SkimMatcherV2> =
        LazyLock::new(|| SkimMatcherV2::default().smart_case());
    let (folded, owner) = fold_with_owners(title);
    let mut positions = Vec::new();
    for word in words.iter().filter_map(|w| unquoted(w)) {
        let matched = |hay: &str, w: &str| {
            MATCHER
                .fuzzy_indices(hay, w)
                .filter(|(s, _)| *s >= min_score(w))
                .map(|(_, p)| p)
        };
        let raw =
            matched(title, word).or_else(|| typo_variants(word).find_map(|w| matched(title, &w)));
        let found = raw.or_else(|| {
            let word = fold(word);
            matched(&folded, &word)
                .or_else(|| typo_variants(&word).find_map(|w| matched(&folded, &w)))
                .map(|p| {
                    p.into_iter()
                        .filter_map(|i| owner.get(i).copied())
                        .collect()
                })
        });
        if let Some(p) = found {
            positions.extend(p);
        }
    }
    // A combining mark belongs to the letter before it: mark them together.
    let chars: Vec<char> = title.chars().collect();
    let mut marks = Vec::new();
    for &p in &positions {
        let mut i = p + 1;
        while chars.get(i).is_some_and(|&c| is_combining_mark(c)) {
            marks.push(i);
            i += 1;
        }
    }
    positions.extend(marks);
    positions.sort_unstable();
    positions.dedup();
    positions
}

impl Narrowing {
    /// Whether a query with these filters and (lower-cased) words can only match a subset of
    /// what this one matched: same filters, and every old word is a prefix of the new word in
    /// its place (more words only narrow further).
    ///
    /// The prefilter is monotone only while a word stays on one side of its rules: a word
    /// that grows past [`TYPO_MIN_LEN`] starts to forgive a letter (so its prefix may have
    /// dropped an article the longer word keeps), and one past [`PREFILTER_MAX`] always
    /// passes. Such a step searches the whole candidate list again.
    fn narrows_to(&self, filters: &[(String, String)], words: &[String]) -> bool {
        let same_rules = |old: &str, new: &str| {
            (old.len() >= TYPO_MIN_LEN || new.len() < TYPO_MIN_LEN) && new.len() <= PREFILTER_MAX
        };
        self.filters == filters
            && words.len() >= self.words.len()
            && self
                .words
                .iter()
                .zip(words)
                .all(|(old, new)| new.starts_with(old.as_str()) && same_rules(old, new))
    }
}

/// A query word as typed (skim's smart case needs the capitals) and lower-cased, with its
/// one-letter-short variants for typo forgiveness, all prepared once per query.
struct Word {
    typed: String,
    lower: String,
    chars: usize,
    /// Finds `lower` in a field (SIMD, built once per query).
    finder: memchr::memmem::Finder<'static>,
    typos: Vec<Word>,
}

impl Word {
    fn new(typed: &str) -> Word {
        let typos = typo_variants(typed).map(|v| Word::plain(&v)).collect();
        Word {
            typos,
            ..Word::plain(typed)
        }
    }

    fn plain(typed: &str) -> Word {
        let lower = fold(typed);
        Word {
            typed: typed.to_owned(),
            finder: memchr::memmem::Finder::new(lower.as_bytes()).into_owned(),
            lower,
            chars: typed.chars().count(),
            typos: Vec::new(),
        }
    }

    /// [`prefilter`] for this word.
    fn prefilter(&self, haystack: &[u8]) -> bool {
        prefilter(self.lower.as_bytes(), haystack)
    }
}

/// Score of a contiguous, case-insensitive match: in line with skim's for a contiguous run
/// (about 20 a character), with a bonus when it starts a word, weighted by field. Fields are
/// tried in weight order and the first that matches wins: with these weights a match in a
/// heavier field always outscores one in a lighter field. Occurrences are looked at left to
/// right, without overlaps, as `str::match_indices` gives them.
fn substring_score(fields: &[&[u8]; 3], word: &Word) -> Option<i64> {
    let len = word.lower.chars().count() as i64;
    let weights = [TITLE_WEIGHT, FACET_WEIGHT, DESCRIPTION_WEIGHT];
    fields.iter().zip(weights).find_map(|(&field, weight)| {
        let mut found = false;
        for at in word.finder.find_iter(field) {
            found = true;
            if at == 0 || !field[at - 1].is_ascii_alphanumeric() {
                return Some((SUBSTRING_CHAR_SCORE * len + WORD_START_BONUS) * weight);
            }
        }
        found.then_some(SUBSTRING_CHAR_SCORE * len * weight)
    })
}

fn min_score(word: &str) -> i64 {
    MIN_SCORE_PER_CHAR * word.chars().count() as i64
}

/// `word` with one character left out, for each position; nothing for short words.
fn typo_variants(word: &str) -> impl Iterator<Item = String> + '_ {
    let n = word.chars().count();
    let range = if n >= TYPO_MIN_LEN { 0..n } else { 0..0 };
    range.map(move |skip| {
        word.chars()
            .enumerate()
            .filter(|&(i, _)| i != skip)
            .map(|(_, c)| c)
            .collect()
    })
}

/// A cheap necessary condition for a word to match an article: its bytes appear in order in
/// the article's lower-cased search text, allowing one byte to be missing for words long
/// enough to be typo-corrected. Every field is a part of that text, so an article failing this
/// cannot match; and a longer word never passes where its prefix failed, which is what makes
/// narrowing exact.
pub fn prefilter(word: &[u8], haystack: &[u8]) -> bool {
    if is_subsequence(word, haystack) {
        return true;
    }
    word.len() >= TYPO_MIN_LEN && is_subsequence_but_one(word, haystack)
}

/// Whether the bytes of `needle` occur in order in `hay`; memchr finds each next byte.
fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut rest = hay;
    for &b in needle {
        match memchr::memchr(b, rest) {
            Some(i) => rest = &rest[i + 1..],
            None => return false,
        }
    }
    true
}

/// Whether `needle` with some one byte removed is a subsequence of `hay`, in linear time:
/// match prefixes as early as possible and suffixes as late as possible, then look for a gap
/// where the prefix before a byte ends before the suffix after it starts.
fn is_subsequence_but_one(needle: &[u8], hay: &[u8]) -> bool {
    const MAX: usize = PREFILTER_MAX;
    let n = needle.len();
    if n > MAX {
        // Too long to track on the stack; passing is always safe for a prefilter.
        return true;
    }
    // prefix_end[i]: hay position just after greedily matching needle[..i]; usize::MAX when
    // that prefix does not match. A fixed array: this runs for every article on a keystroke.
    let mut prefix_end = [usize::MAX; MAX + 1];
    prefix_end[0] = 0;
    let mut pos = 0;
    for i in 0..n {
        match memchr::memchr(needle[i], &hay[pos..]) {
            Some(j) => {
                pos += j + 1;
                prefix_end[i + 1] = pos;
            }
            None => break,
        }
    }
    // Walk suffixes from the end: suffix_start = latest hay position where needle[k..] starts.
    let mut suffix_start = hay.len();
    for k in (0..n).rev() {
        // Skip needle[k]: needle[..k] must end at or before where needle[k+1..] starts.
        if prefix_end[k] <= suffix_start {
            return true;
        }
        match memchr::memrchr(needle[k], &hay[..suffix_start]) {
            Some(j) => suffix_start = j,
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::index::tests::library_of;

    #[test]
    fn quoted_facet_values_hold_spaces() {
        let q = Query::parse(r#"tag:"how we work" remote  role:"data analyst" intent:"open"#);
        assert_eq!(
            q.filters,
            vec![
                ("tag".into(), "how we work".into()),
                ("role".into(), "data analyst".into()),
                ("intent".into(), "open".into()),
            ]
        );
        assert_eq!(q.words, vec!["remote"]);
        let files = vec![crate::content::load::source::SourceFile {
            path: "a.md".into(),
            bytes: b"---\ntitle: A\ntags: [how we work, remote]\n---\nx\n".to_vec(),
        }];
        let lib = Index::from_files(files, Vec::new(), Default::default());
        let hits =
            Searcher::default().search(&lib, &Query::parse(r#"tag:"How We Work""#), lib.by_date());
        assert_eq!(hits.len(), 1);
        assert!(Query::parse(r#"tag:"""#).filters.is_empty());
    }

    #[test]
    fn composed_decomposed_and_plain_forms_find_each_other() {
        let lib = library_of(&[
            (
                "d",
                "A Nai\u{308}ve Start",
                "x",
                &["general"],
                &["salary"],
                "2025-01-01",
            ),
            (
                "c",
                "Cafés and Résumés",
                "x",
                &["general"],
                &["salary"],
                "2025-01-02",
            ),
        ]);
        for (q, slug) in [
            ("Naïve", "d"),
            ("Nai\u{308}ve", "d"),
            ("naive", "d"),
            ("resumes", "c"),
            ("Re\u{301}sume\u{301}s", "c"),
            ("CAFÉS", "c"),
        ] {
            assert_eq!(slugs(&lib, q), vec![slug], "{q}");
        }
        // Highlights cover whole letters: the decomposed ï is two chars, both marked.
        let title = "A Nai\u{308}ve Start";
        let marked = |q: &str| -> String {
            let chars: Vec<char> = title.chars().collect();
            title_positions(title, &[q.to_owned()])
                .iter()
                .map(|&i| chars[i])
                .collect()
        };
        assert_eq!(marked("Naïve"), "Nai\u{308}ve");
        assert_eq!(marked("naive"), "Nai\u{308}ve");
        let composed = "Naïve";
        let p = title_positions(composed, &["Nai\u{308}ve".to_owned()]);
        assert_eq!(p, vec![0, 1, 2, 3, 4]);
    }

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

    fn lib() -> Index {
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

    fn slugs(lib: &Index, q: &str) -> Vec<String> {
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
        let query = Query::parse("folup");
        let hits = Searcher::default().search(&lib, &query, lib.by_date());
        assert_eq!(hits.len(), 1);
        let title = &lib.get(hits[0].id).title;
        let positions = title_positions(title, &query.words);
        let title: Vec<char> = title.chars().collect();
        let matched: String = positions.iter().map(|&i| title[i]).collect();
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

    #[test]
    fn one_skip_subsequence_agrees_with_brute_force() {
        let brute = |needle: &[u8], hay: &[u8]| {
            is_subsequence(needle, hay)
                || (0..needle.len()).any(|skip| {
                    let shorter: Vec<u8> = needle
                        .iter()
                        .enumerate()
                        .filter(|&(i, _)| i != skip)
                        .map(|(_, &b)| b)
                        .collect();
                    is_subsequence(&shorter, hay)
                })
        };
        // Every needle and haystack over a two-letter alphabet up to length 6 and 7.
        let all = |len: usize| {
            (0..1u32 << len).map(move |bits| {
                (0..len)
                    .map(|i| if bits >> i & 1 == 1 { b'a' } else { b'b' })
                    .collect::<Vec<u8>>()
            })
        };
        for nl in 1..=6 {
            for needle in all(nl) {
                for hl in 0..=7 {
                    for hay in all(hl) {
                        assert_eq!(
                            is_subsequence_but_one(&needle, &hay) || is_subsequence(&needle, &hay),
                            brute(&needle, &hay),
                            "{needle:?} in {hay:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn narrowing_gives_the_same_results_as_a_fresh_search() {
        let lib = lib();
        let mut narrowing = Searcher::default();
        for q in [
            "i",
            "itn",
            "itner",
            "itnerv",
            "itnervi",
            "itnerview",
            "in",
            "int",
            "inte",
            "interv",
            "interview",
            "interview e",
            "interview en",
        ] {
            let narrowed = narrowing.search(&lib, &Query::parse(q), lib.by_date());
            let fresh = Searcher::default().search(&lib, &Query::parse(q), lib.by_date());
            assert_eq!(narrowed, fresh, "{q}");
        }
        // Typing a misspelt word letter by letter still ends with its typo forgiven.
        let mut typing = Searcher::default();
        let mut last = Vec::new();
        for n in 1..="itnerview".len() {
            last = typing.search(&lib, &Query::parse(&"itnerview"[..n]), lib.by_date());
        }
        assert!(!last.is_empty());
    }

    /// Typing each query letter by letter through one searcher (narrowing and remembered word
    /// scores at work), then jumping between queries, gives exactly what the old per-article
    /// matcher gives: same hits, scores and order.
    fn same_as_reference(lib: &Index, queries: &[&str]) {
        let mut typing = Searcher::default();
        for q in queries {
            let chars: Vec<char> = q.chars().collect();
            for n in (0..=chars.len()).chain((0..chars.len()).rev()) {
                let prefix: String = chars[..n].iter().collect();
                let query = Query::parse(&prefix);
                let ours = typing.search(lib, &query, lib.by_date());
                let old = reference::search(lib, &query, lib.by_date());
                assert_eq!(ours, old, "query {prefix:?}");
            }
        }
    }

    #[test]
    fn ranking_matches_the_reference_matcher_on_a_synthetic_library() {
        // More articles than PARALLEL_FROM, so the parallel paths run.
        let files = crate::content::synth::library_with_bodies(600, 7, 1..2);
        let lib = Index::from_files(files, Vec::new(), Default::default());
        // A long query (past the prefilter's limit), once rather than letter by letter.
        let long = Query::parse(&"remotejob ".repeat(30));
        assert_eq!(
            Searcher::default().search(&lib, &long, lib.by_date()),
            reference::search(&lib, &long, lib.by_date())
        );
        same_as_reference(
            &lib,
            &[
                "remote job",
                "Remote Job offers",
                "intreview questoins",
                "negotiat salry",
                "role:data-analyst remote",
                "intent:salary role:software-engineer negotiate",
                "\"phone screen\" recruiter",
                "sql system design",
                "rsm bllt",
                "xq",
                "job remote job",
                "naïve café",
                "remotejobsforremoteworkersinremotejobs salary",
            ],
        );
    }

    #[test]
    fn ranking_matches_the_reference_matcher_on_accented_and_decomposed_titles() {
        let lib = library_of(&[
            (
                "a",
                "A Nai\u{308}ve Start",
                "x",
                &["general"],
                &["salary"],
                "2025-01-01",
            ),
            (
                "b",
                "Cafés and Résumés",
                "x",
                &["general"],
                &["salary"],
                "2025-01-02",
            ),
            (
                "c",
                "Re\u{301}sume\u{301} Rewrites",
                "x",
                &["data-analyst"],
                &["resume"],
                "2025-01-03",
            ),
            (
                "d",
                "Entretien d’embauche: ÇA VA",
                "x",
                &["general"],
                &["interview"],
                "2025-01-04",
            ),
            (
                "e",
                "面接の準備 and Follow-up",
                "x",
                &["general"],
                &["interview"],
                "2025-01-05",
            ),
            (
                "f",
                "Straße und Maße 🚀 Résumé",
                "x",
                &["general"],
                &["resume"],
                "2025-01-06",
            ),
        ]);
        same_as_reference(
            &lib,
            &[
                "Naïve",
                "nai\u{308}ve start",
                "résumé",
                "Re\u{301}sume\u{301}",
                "resumes",
                "ÇA va",
                "面接",
                "follow-up 準備",
                "strasse",
                "straße maße",
                "🚀",
                "",
            ],
        );
    }

    #[test]
    fn one_searcher_over_libraries_in_turn_answers_for_each() {
        let a = lib();
        let b = library_of(&[
            (
                "x",
                "Remote Salary Talks",
                "salary-negotiation",
                &["general"],
                &["salary"],
                "2025-01-01",
            ),
            (
                "y",
                "Interview Follow Up",
                "interviewing",
                &["general"],
                &["interview"],
                "2025-01-02",
            ),
            (
                "z",
                "Quiet Offers",
                "salary-negotiation",
                &["general"],
                &["salary"],
                "2025-01-03",
            ),
            (
                "w",
                "Remote Interviews",
                "interviewing",
                &["general"],
                &["interview"],
                "2025-01-04",
            ),
        ]);
        let mut searcher = Searcher::default();
        for round in 0..2 {
            for (lib, q) in [
                (&a, "interview"),
                (&b, "interview"),
                (&a, "interview f"),
                (&b, "remote"),
            ] {
                let ours = searcher.search(lib, &Query::parse(q), lib.by_date());
                let fresh = reference::search(lib, &Query::parse(q), lib.by_date());
                assert_eq!(ours, fresh, "round {round}, {q}");
            }
        }
    }
}

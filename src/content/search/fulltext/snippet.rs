//! One line of body text around the best match, with the matched words marked.
//!
//! Tantivy's own snippet generator only knows exact terms; ours is built from the same
//! analyzers as the index, so stemmed words (`negotiated` for `negotiating`) and the word
//! being typed (`interv…`) are marked as well.

use std::collections::HashSet;

use serde::Serialize;
use tantivy::tokenizer::TextAnalyzer;

use super::analysis;
use super::query::BodyQuery;
use crate::content::render::sanitize;

/// Characters of body text in a snippet.
pub const SNIPPET_CHARS: usize = 160;
/// Characters shown before the first match, so it is read in context.
const LEAD_CHARS: usize = 30;

/// A line of body text with its matches, safe for a terminal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// Plain text, one line, control characters removed.
    pub text: String,
    /// `[start, end)` char offsets of each matched word in `text`, in order.
    pub offsets: Vec<(usize, usize)>,
}

impl Snippet {
    /// The text of the first matched word, as written in the article.
    pub fn first_match(&self) -> Option<String> {
        let &(start, end) = self.offsets.first()?;
        Some(self.text.chars().skip(start).take(end - start).collect())
    }
}

/// Byte ranges of the words of `body` that match `query`, with the query word (unit) each
/// is for.
///
/// Stemming every word of a long body costs about a millisecond; the body is cut into
/// folded words (cheap) and only a word that starts like some query term (English stemming
/// changes endings, not beginnings) is stemmed and compared.
pub fn matches(
    body: &str,
    query: &BodyQuery,
    stemmed: &mut TextAnalyzer,
    words: &mut TextAnalyzer,
) -> Vec<(usize, usize, usize)> {
    let heads: Vec<String> = query
        .units
        .iter()
        .filter(|u| !u.stop)
        .flat_map(|u| u.terms.iter().map(|t| t.chars().take(STEM_HEAD).collect()))
        .collect();
    analysis::tokens(words, body)
        .into_iter()
        .filter_map(|t| {
            let by_prefix = query.units.iter().position(|u| {
                !u.stop
                    && u.prefix
                        .as_deref()
                        .is_some_and(|prefix| t.term.starts_with(prefix))
            });
            let unit = by_prefix.or_else(|| {
                if !heads.iter().any(|h| t.term.starts_with(h.as_str())) {
                    return None;
                }
                let stem = analysis::terms(stemmed, &t.term).pop()?;
                query
                    .units
                    .iter()
                    .position(|u| !u.stop && u.terms.contains(&stem))
            })?;
            Some((t.from, t.to, unit))
        })
        .collect()
}

/// Letters a word must share with a query term's stem before it is stemmed itself.
const STEM_HEAD: usize = 3;

/// The snippet of `body` for `query`: the window of [`SNIPPET_CHARS`] that holds the most
/// different query words, earliest first; `None` when nothing in the body matches.
pub fn snippet(
    body: &str,
    query: &BodyQuery,
    stemmed: &mut TextAnalyzer,
    words: &mut TextAnalyzer,
) -> Option<Snippet> {
    let found = matches(body, query, stemmed, words);
    let window_bytes = SNIPPET_CHARS * 2;
    let mut best = (0usize, 0usize);
    for (i, &(from, _, _)) in found.iter().enumerate() {
        let units: HashSet<usize> = found[i..]
            .iter()
            .take_while(|m| m.1 <= from + window_bytes)
            .map(|m| m.2)
            .collect();
        if units.len() > best.0 {
            best = (units.len(), i);
        }
    }
    let &(first, _, _) = found.get(best.1)?;
    // Start a little before the first match, at a word boundary.
    let lead_start = body[..first]
        .char_indices()
        .rev()
        .nth(LEAD_CHARS)
        .map_or(0, |(i, _)| i);
    // Start at a sentence or line that begins in the lead, else at a word.
    let lead = &body[lead_start..first];
    let sentence = lead
        .rfind(['\n', '.', '?', '!'])
        .map(|i| lead_start + i + 1)
        .filter(|&i| i > 0);
    let start = match sentence {
        Some(i) => i,
        None if lead_start == 0 => 0,
        None => lead
            .find(char::is_whitespace)
            .map_or(first, |i| lead_start + i),
    };
    let end = body[start..]
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(body.len(), |(i, _)| start + i);
    // Do not cut the last word in half.
    let end = if end < body.len() {
        body[start..end]
            .rfind(char::is_whitespace)
            .map_or(end, |i| start + i)
            .max(found[best.1].1.min(end))
    } else {
        end
    };
    let mut text = String::new();
    let mut offsets = Vec::new();
    let mut at = start;
    let mut chars = 0;
    let push = |piece: &str, text: &mut String, chars: &mut usize| {
        let clean = one_line(piece);
        *chars += clean.chars().count();
        text.push_str(&clean);
    };
    for &(from, to, _) in found.iter().filter(|m| m.0 >= start && m.1 <= end) {
        push(&body[at..from], &mut text, &mut chars);
        let before = chars;
        push(&body[from..to], &mut text, &mut chars);
        if chars > before {
            offsets.push((before, chars));
        }
        at = to;
    }
    push(&body[at..end], &mut text, &mut chars);
    // Trim the ends; offsets move with a trimmed start.
    let lead = text.chars().take_while(|c| c.is_whitespace()).count();
    let text: String = text.trim().to_owned();
    let offsets = offsets
        .into_iter()
        .map(|(s, e)| (s - lead, e - lead))
        .collect();
    Some(Snippet { text, offsets })
}

/// A piece of body text on one line: line breaks become spaces, runs of spaces one space,
/// unsafe characters are dropped.
fn one_line(piece: &str) -> String {
    let safe = sanitize::line(piece);
    let mut out = String::with_capacity(safe.len());
    let mut space = false;
    for c in safe.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::search::fulltext::tests::marked;
    use crate::content::search::query::Query;

    fn snip(body: &str, q: &str) -> Option<Snippet> {
        let (mut s, mut w) = (analysis::stemmed(), analysis::words());
        let query = BodyQuery::new(&Query::parse(q), &mut s, &mut w);
        snippet(body, &query, &mut s, &mut w)
    }

    #[test]
    fn marks_stems_prefixes_and_only_matches() {
        let body = "Opening lines.\nWhen they negotiated, the team waited two weeks.\n\
                    Nothing else here mentions money.";
        let s = snip(body, "negotiating wee").unwrap();
        assert_eq!(marked(&s), vec!["negotiated", "weeks"]);
        assert!(!s.text.contains('\n'));
        assert!(snip(body, "salary").is_none());
    }

    #[test]
    fn offsets_are_chars_on_the_right_graphemes() {
        let body = "Le café naïve, « déjà vu » and a Nai\u{308}ve idea.";
        let body: String = analysis::nfc(body).into_owned();
        let s = snip(&body, "naive").unwrap();
        assert_eq!(marked(&s), vec!["naïve", "Naïve"]);
    }

    #[test]
    fn the_window_holds_the_most_query_words() {
        let filler = "Unrelated words fill this part of the article. ".repeat(20);
        let body = format!("Salary early on. {filler} Ask for the salary range in the first call.");
        let s = snip(&body, "salary range").unwrap();
        assert_eq!(marked(&s), vec!["salary", "range"]);
        assert!(s.text.chars().count() <= SNIPPET_CHARS);
    }

    #[test]
    fn control_characters_never_reach_the_snippet() {
        let s = snip("Ask \u{1b}]52;c;x\u{7} about the salary.", "salary").unwrap();
        assert!(!s.text.contains('\u{1b}') && !s.text.contains('\u{7}'));
        assert_eq!(marked(&s), vec!["salary"]);
    }
}

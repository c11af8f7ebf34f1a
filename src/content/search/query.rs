//! The query syntax, one for titles and bodies: words, `"quoted phrases"` and `facet:value`
//! filters (values of one facet are alternatives, every filtered facet must hold).

use crate::content::index::Index;
use crate::content::index::facets::FacetFilter;

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// `(facet, value)` filter terms, facet names lower-cased.
    pub filters: Vec<(String, String)>,
    /// Free words to match fuzzily.
    pub words: Vec<String>,
}

impl Query {
    /// Splits a query into filter terms (`name:value`) and words. A filter value with spaces
    /// is written in double quotes, `tag:"how we work"`, as facet values may hold spaces.
    pub fn parse(input: &str) -> Query {
        let mut q = Query::default();
        for token in tokens(input) {
            match token.split_once(':') {
                Some((name, value))
                    if !name.is_empty()
                        && !value.is_empty()
                        && !value.starts_with('/')
                        && name
                            .chars()
                            .all(|c| c.is_alphanumeric() || c == '-' || c == '_') =>
                {
                    let value = unquote(value);
                    if value.trim().is_empty() {
                        continue; // `tag:""` filters on nothing
                    }
                    q.filters
                        .push((name.to_lowercase(), value.trim().to_owned()))
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

    /// The query's facet filters over `index` (see [`FacetFilter`]: values of one facet are
    /// alternatives, every filtered facet must hold).
    pub fn facet_filter(&self, index: &Index) -> FacetFilter {
        FacetFilter::new(
            index,
            self.filters.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        )
    }
}

/// Whitespace-separated tokens, where a `name:"..."` token runs to its closing quote (or the
/// end of the input), spaces included.
fn tokens(input: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = input.trim_start();
    while !rest.is_empty() {
        let mut end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        if let Some(open) = rest[..end].find(":\"") {
            // The quote may close in this token or a later one.
            let after = open + 2;
            end = match rest[after..].find('"') {
                Some(close) => {
                    let close = after + close + 1;
                    close
                        + rest[close..]
                            .find(char::is_whitespace)
                            .unwrap_or(rest.len() - close)
                }
                None => rest.len(),
            };
        }
        out.push(&rest[..end]);
        rest = rest[end..].trim_start();
    }
    out
}

/// A filter value without its surrounding double quotes.
fn unquote(value: &str) -> &str {
    let inner = value.strip_prefix('"').unwrap_or(value);
    inner.strip_suffix('"').unwrap_or(inner)
}

/// Words of a query beyond this many are dropped: each word is matched against every
/// article, and no question needs more.
pub const MAX_QUERY_WORDS: usize = 32;

/// `text` cut to [`MAX_QUERY_WORDS`] whitespace-separated words, when it has more.
pub fn cap_words(text: &str) -> Option<String> {
    let mut words = text.split_whitespace();
    let kept: Vec<&str> = words.by_ref().take(MAX_QUERY_WORDS).collect();
    words.next().map(|_| kept.join(" "))
}

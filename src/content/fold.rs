//! Text as matching compares it: Unicode composed and decomposed forms alike, accents off,
//! lower case. Titles, facets and descriptions are folded once when an article is parsed;
//! queries as they are typed. A leaf module, so the article model can use it.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Text as search compares it: composed and decomposed forms alike (NFD, combining marks
/// dropped, so `Naïve`, `Nai\u{308}ve` and `naive` are one word) and lower-cased. Both the
/// query and the articles' search text go through it.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_lowercase();
    }
    text.nfd()
        .filter(|&c| !is_combining_mark(c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// [`fold`], with the index in `text` of the char each folded char came from.
pub fn fold_with_owners(text: &str) -> (String, Vec<usize>) {
    // Find in an article folds every line on each burst of keys: most lines are ASCII.
    if text.is_ascii() {
        return (text.to_ascii_lowercase(), (0..text.len()).collect());
    }
    let mut folded = String::with_capacity(text.len());
    let mut owner = Vec::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        for f in std::iter::once(c)
            .nfd()
            .filter(|&c| !is_combining_mark(c))
            .flat_map(char::to_lowercase)
        {
            folded.push(f);
            owner.push(i);
        }
    }
    (folded, owner)
}

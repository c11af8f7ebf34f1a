//! How text becomes terms, on both sides of the index: the same analyzers index bodies,
//! parse queries and place highlights, so a highlight lands exactly where a match was.
//!
//! Text is NFC-normalized first (a decomposed `Nai\u{308}ve` would otherwise split at the
//! combining mark), then cut into words, lower-cased and folded to ASCII (`naïve` → `naive`),
//! and for the stemmed fields reduced to English stems (`negotiating` → `negoti`).

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenStream,
};
use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

/// Name of the stemmed English analyzer in the index's tokenizer manager.
pub const STEMMED: &str = "careerhub_en";
/// Name of the unstemmed analyzer (whole words, for completing the word being typed).
pub const WORDS: &str = "careerhub_words";
/// Longer tokens are dropped: no real word is this long, and they bloat the dictionary.
const MAX_TOKEN_BYTES: usize = 40;

/// The stemmed analyzer: words, lower-cased, ASCII-folded, English stems.
pub fn stemmed() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The unstemmed analyzer: words, lower-cased, ASCII-folded.
pub fn words() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// `text` in NFC, borrowed when it already is (the common case).
pub fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    if is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfc().collect())
    }
}

/// One analyzed word: its term and where it sits in the text (byte offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub from: usize,
    pub to: usize,
}

/// The tokens of `text` (which should be NFC) through `analyzer`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        out.push(Token {
            term: t.text.clone(),
            from: t.offset_from,
            to: t.offset_to,
        });
    }
    out
}

/// The terms of `text` through `analyzer`.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    tokens(analyzer, &nfc(text))
        .into_iter()
        .map(|t| t.term)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_fold_and_normalize() {
        let mut en = stemmed();
        assert_eq!(terms(&mut en, "Negotiating"), terms(&mut en, "negotiate"));
        assert_eq!(terms(&mut en, "Nai\u{308}ve"), vec!["naiv"]);
        assert_eq!(terms(&mut en, "Naïve"), terms(&mut en, "naive"));
        let mut w = words();
        assert_eq!(terms(&mut w, "Nai\u{308}ve café"), vec!["naive", "cafe"]);
    }
}

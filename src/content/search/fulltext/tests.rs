use super::*;
use crate::content::load::source::SourceFile;
use crate::content::load_memory;

/// The fixture library of `tests/fixtures/bodies`: each answer lives only in a body.
pub(crate) fn fixture_files() -> Vec<SourceFile> {
    macro_rules! file {
        ($name:literal) => {
            SourceFile {
                path: $name.into(),
                bytes: include_bytes!(concat!("../../../../tests/fixtures/bodies/", $name))
                    .to_vec(),
            }
        };
    }
    vec![
        file!("interview-stories.md"),
        file!("keeping-in-touch.md"),
        file!("naive-plan.md"),
        file!("talking-money.md"),
        file!("working-from-home.md"),
    ]
}

pub(crate) fn fixture() -> (LibIndex, BodyIndex) {
    let (lib, source) = load_memory(fixture_files(), Vec::new(), LoadOptions::default());
    let corpus = Corpus {
        index: &lib,
        source: &source,
    };
    let index = BodyIndex::open(&corpus, LoadOptions::default(), None).unwrap();
    let stats = index.update(&corpus).unwrap();
    assert_eq!(stats.indexed, lib.len());
    (lib, index)
}

fn slugs(lib: &LibIndex, index: &BodyIndex, q: &str) -> Vec<String> {
    index
        .search(lib, &Query::parse(q), 10, 0)
        .iter()
        .map(|h| lib.get(h.id).slug.clone())
        .collect()
}

/// The text each offset of a snippet marks.
pub(super) fn marked(s: &Snippet) -> Vec<String> {
    s.offsets
        .iter()
        .map(|&(a, b)| s.text.chars().skip(a).take(b - a).collect())
        .collect()
}

#[test]
fn phrases_stems_and_half_typed_words_find_the_body() {
    let (lib, index) = fixture();
    let first = |q: &str| slugs(&lib, &index, q).first().cloned();
    assert_eq!(
        first(r#""wait five business days""#).as_deref(),
        Some("keeping-in-touch")
    );
    // The words of a phrase out of order are not the phrase.
    assert!(slugs(&lib, &index, r#""days business five wait""#).is_empty());
    assert_eq!(first("negotiate").as_deref(), Some("talking-money"));
    assert_eq!(first("expectation").as_deref(), Some("talking-money"));
    assert_eq!(first("asynchro").as_deref(), Some("working-from-home"));
    assert_eq!(
        first("colleagues asynch").as_deref(),
        Some("working-from-home")
    );
    // Every word must be somewhere in the article.
    assert!(slugs(&lib, &index, "asynchronous salary").is_empty());
}

#[test]
fn hidden_markup_is_never_matched() {
    let (lib, index) = fixture();
    assert!(slugs(&lib, &index, "bonusformula").is_empty());
    assert!(slugs(&lib, &index, "hidden markup").is_empty());
}

#[test]
fn filters_apply_to_body_hits() {
    let (lib, index) = fixture();
    assert_eq!(
        slugs(&lib, &index, "intent:salary range"),
        vec!["talking-money"]
    );
    assert!(slugs(&lib, &index, "intent:interview range").is_empty());
}

#[test]
fn snippets_mark_the_matched_words() {
    let (lib, index) = fixture();
    let hits = index.search(&lib, &Query::parse(r#""wait five business days""#), 10, 10);
    let s = hits[0].snippet.as_ref().unwrap();
    assert_eq!(marked(s), vec!["wait", "five", "business", "days"]);
    let hits = index.search(&lib, &Query::parse("negotiate"), 10, 10);
    assert_eq!(
        marked(hits[0].snippet.as_ref().unwrap()),
        vec!["Negotiating"]
    );
    assert_eq!(
        hits[0].snippet.as_ref().unwrap().first_match().as_deref(),
        Some("Negotiating")
    );
}

#[test]
fn composed_and_decomposed_forms_find_each_other() {
    let (lib, index) = fixture();
    // The title is stored decomposed, the body composed: both forms and the folded one
    // find the article, and the marks cover whole characters.
    for q in ["Naïve", "Nai\u{308}ve", "naive", "CAFÉ", "cafe"] {
        assert_eq!(slugs(&lib, &index, q), vec!["naive-plan"], "{q}");
    }
    let hits = index.search(&lib, &Query::parse("naive"), 10, 10);
    assert_eq!(marked(hits[0].snippet.as_ref().unwrap()), vec!["naïve"]);
}

#[test]
fn similar_articles_share_words() {
    let (lib, index) = fixture();
    let id = lib.by_slug("keeping-in-touch").unwrap().id;
    for (other, score) in index.similar(&lib, id, 3) {
        assert_ne!(other, id);
        assert!(score > 0.0);
    }
    // The related list keeps explicit links and backlinks and lists no article twice.
    let related = index.related(&lib, id);
    let mut ids: Vec<ArticleId> = related.iter().map(|r| r.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), related.len());
}

//! Phase 2 of loading: one file into an article, on its own, so files parse in parallel and
//! a broken one never affects the others.

use serde::{Deserialize, Serialize};

use super::library::{Article, ArticleId, RelatedLink};
use super::problem::Problem;
use super::source::Source;
use super::{frontmatter, repair, sanitize, split};

/// What one file became: an article with its outgoing links and warnings.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Parsed {
    pub article: Article,
    /// Every URL the body links to, before resolution (needed only to link the library).
    pub outgoing: Vec<String>,
    pub warnings: Vec<Problem>,
}

/// A parsed file, or the errors that keep it out of the library.
pub type ParsedFile = Result<Parsed, Vec<Problem>>;

/// Decodes, repairs, splits and validates one file and scans its body.
pub fn parse_file(path: &str, bytes: &[u8]) -> ParsedFile {
    let text = split::decode(path, bytes).map_err(|p| vec![p])?;
    let (text, repaired) = repair::repair_report(&text);
    let parts = split::split(path, &text).map_err(|p| vec![p])?;
    let (fm, mut warnings) = frontmatter::parse(path, parts.frontmatter, parts.frontmatter_line)?;
    if repaired > 0 {
        warnings.push(Problem::warning(
            path,
            1,
            format!("repaired {repaired} mis-decoded characters (mojibake): re-export the file as UTF-8 to silence this"),
        ));
    }
    let slug = match fm.slug.clone() {
        Some(slug) => slug,
        None => slug_from_file_name(path, &mut warnings).map_err(|p| vec![p])?,
    };
    let scan = scan_body(parts.body);
    let related_links: Vec<RelatedLink> = split::related_links(parts.body)
        .into_iter()
        .map(|l| RelatedLink {
            title: l.title,
            url: l.url,
            target: None,
            line: l.line,
        })
        .collect();
    // Each URL once, and not those of the related section (linked anyway): this list is
    // stored in the index cache and resolved on every start.
    let mut outgoing: Vec<String> = Vec::with_capacity(scan.links.len());
    for url in scan.links {
        if !outgoing.contains(&url) && !related_links.iter().any(|l| l.url == url) {
            outgoing.push(url);
        }
    }
    let mut article = Article {
        id: ArticleId(0),
        slug,
        title: fm.title,
        description: fm.description,
        date: fm.date,
        updated: fm.updated,
        facets: fm.facets,
        canonical: fm.canonical,
        draft: fm.draft,
        archived: fm.archived,
        path: path.to_owned(),
        words: scan.words,
        related_links,
        links_to: Vec::new(),
        body_line: parts.body_line,
        facet_text: Box::default(),
        haystack: Box::default(),
    };
    article.refresh_search_text();
    Ok(Parsed {
        article,
        outgoing,
        warnings,
    })
}

/// Reads an article's body again from its source, repaired, for rendering.
pub fn read_body(source: &Source, path: &str) -> Result<String, Problem> {
    let bytes = source
        .read(path)
        .map_err(|e| Problem::error(path, 1, format!("cannot read file: {e}")))?;
    let text = split::decode(path, &bytes)?;
    let text = repair::repair_mojibake(&text);
    let parts = split::split(path, &text)?;
    Ok(parts.body.to_owned())
}

/// The default slug: the file name without extension, which can hold anything (spaces,
/// control characters), so it is cleaned the way a `slug:` key is validated, with a warning
/// when that changed it.
fn slug_from_file_name(path: &str, warnings: &mut Vec<Problem>) -> Result<String, Problem> {
    let stem = file_stem(path);
    let cleaned: String = sanitize::line(&stem)
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | '\\' | '?' | '#'))
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if cleaned.is_empty() {
        return Err(Problem::error(
            path,
            1,
            "the file name gives no usable slug: add `slug: ...` to the frontmatter",
        ));
    }
    if cleaned != stem {
        let shown = sanitize::line(&stem);
        warnings.push(Problem::warning(
            path,
            1,
            format!("file name `{shown}` is not a usable slug; using `{cleaned}` (add `slug:` to choose one)"),
        ));
    }
    Ok(cleaned)
}

fn file_stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .map_or(name, |(stem, _)| stem)
        .to_owned()
}

struct BodyScan {
    words: usize,
    links: Vec<String>,
}

/// One cheap pass over the body: words outside tags (for reading time) and link targets (for
/// backlinks), without a full HTML parse, so loading stays fast on big libraries. The scan
/// jumps from tag to tag with memchr and counts the words of the text between them.
fn scan_body(body: &str) -> BodyScan {
    let bytes = body.as_bytes();
    let mut words = 0;
    let mut links = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let tag = memchr::memchr(b'<', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        words += count_words(&body[pos..tag]);
        if tag == bytes.len() {
            break;
        }
        let end = memchr::memchr(b'>', &bytes[tag..]).map_or(bytes.len(), |i| tag + i);
        if let Some(href) = tag_href(&body[tag..end]) {
            links.push(href.to_owned());
        }
        pos = end + 1;
    }
    // Markdown links, as in the trailer's related list: `[title](url)`. The URL runs to `)`
    // or a space, and never past the next `](`.
    let starts: Vec<usize> = memchr::memmem::find_iter(bytes, b"](")
        .map(|i| i + 2)
        .collect();
    for (k, &start) in starts.iter().enumerate() {
        let piece = &body[start..starts.get(k + 1).map_or(body.len(), |&next| next - 2)];
        let end = memchr::memchr2(b')', b' ', piece.as_bytes()).unwrap_or(piece.len());
        links.push(piece[..end].to_owned());
    }
    BodyScan { words, links }
}

/// Words in a run of text: `&nbsp;` separates words, a lone zero-width joiner is not one.
/// This is the hottest loop of loading a folder, so the text is cut at the only bytes that
/// need a closer look (`&` and the first byte of a ZWJ) and the runs between are counted
/// without branches.
fn count_words(text: &str) -> usize {
    const NBSP: &[u8] = b"&nbsp;";
    const ZWJ: &[u8] = "\u{200d}".as_bytes();
    let bytes = text.as_bytes();
    let (mut words, mut in_word, mut pos) = (0, false, 0);
    for special in memchr::memchr2_iter(b'&', ZWJ[0], bytes) {
        if special < pos {
            continue; // inside an entity already stepped over
        }
        words += count_plain_words(&bytes[pos..special], &mut in_word);
        let rest = &bytes[special..];
        if rest.starts_with(NBSP) {
            in_word = false;
            pos = special + NBSP.len();
        } else if rest.starts_with(ZWJ) {
            pos = special + ZWJ.len();
        } else {
            words += usize::from(!in_word);
            in_word = true;
            pos = special + 1;
        }
    }
    words + count_plain_words(&bytes[pos..], &mut in_word)
}

/// Words starting in `run` (ASCII whitespace separates words), given whether the text before
/// it ended inside a word; updates that for the text after.
fn count_plain_words(run: &[u8], in_word: &mut bool) -> usize {
    let (Some(&first), Some(&last)) = (run.first(), run.last()) else {
        return 0;
    };
    let starts_word = !first.is_ascii_whitespace() && !*in_word;
    // A word starts wherever whitespace is followed by anything else. Written as arithmetic
    // over byte pairs, with no branches, and summed in u8 lanes (255 pairs at a time, so a
    // lane cannot overflow), so the compiler can use wide vector instructions.
    let mut inner = 0;
    for (before, after) in run.chunks(255).zip(run[1..].chunks(255)) {
        let starts = before
            .iter()
            .zip(after)
            .fold(0u8, |n, (&a, &b)| n + u8::from(is_space(a) & !is_space(b)));
        inner += usize::from(starts);
    }
    *in_word = !last.is_ascii_whitespace();
    usize::from(starts_word) + inner
}

/// `u8::is_ascii_whitespace` (space, tab, LF, FF, CR) without branches.
fn is_space(b: u8) -> bool {
    (b == b' ') | ((b.wrapping_sub(b'\t') < 5) & (b != 0x0b))
}

/// The `href` of an `<a ...` tag (the text from `<` to before `>`).
fn tag_href(tag: &str) -> Option<&str> {
    if !tag.starts_with("<a ") {
        return None;
    }
    let start = tag.find("href=\"")? + 6;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_file_names_are_cleaned_or_refused() {
        let ok = parse_file("blog/has space.md", b"---\ntitle: T\n---\n").unwrap();
        assert_eq!(ok.article.slug, "has-space");
        assert!(
            ok.warnings[0].message.contains("using `has-space`"),
            "{:?}",
            ok.warnings
        );
        let plain = parse_file("blog/plain-name.md", b"---\ntitle: T\n---\n").unwrap();
        assert_eq!(plain.article.slug, "plain-name");
        assert!(plain.warnings.is_empty());
        let errors = parse_file("\u{1}\u{2}.md", b"---\ntitle: T\n---\n").unwrap_err();
        assert!(errors[0].message.contains("no usable slug"), "{errors:?}");
    }

    /// The straightforward byte loop `count_words` must agree with.
    fn count_words_by_bytes(text: &str) -> usize {
        let bytes = text.as_bytes();
        let (mut words, mut in_word, mut i) = (0, false, 0);
        while i < bytes.len() {
            if bytes[i].is_ascii_whitespace() {
                in_word = false;
            } else if bytes[i..].starts_with(b"&nbsp;") {
                in_word = false;
                i += 5;
            } else if bytes[i..].starts_with("\u{200d}".as_bytes()) {
                i += 2;
            } else if !in_word {
                words += 1;
                in_word = true;
            }
            i += 1;
        }
        words
    }

    #[test]
    fn word_counts_agree_with_a_byte_by_byte_count() {
        let pieces = [
            "a", " ", "\n", "&nbsp;", "&amp;", "&", "nbsp;", "\u{200d}", "\u{2019}", "é", "\t",
            "word", "&nbsp", "\u{2014}",
        ];
        // Every sequence of up to four pieces, so each piece meets each other at both ends.
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(longer);
            texts.dedup();
        }
        for text in &texts {
            assert_eq!(count_words(text), count_words_by_bytes(text), "{text:?}");
        }
        // Long runs too, which are counted in blocks.
        for len in [254, 255, 256, 257, 511, 512, 1000] {
            let text: String = texts.iter().flat_map(|t| t.chars()).take(len).collect();
            assert_eq!(count_words(&text), count_words_by_bytes(&text), "{text:?}");
            let spaced = "a ".repeat(len);
            assert_eq!(count_words(&spaced), len);
        }
    }

    #[test]
    fn is_space_is_ascii_whitespace() {
        for b in 0..=u8::MAX {
            assert_eq!(is_space(b), b.is_ascii_whitespace(), "{b}");
        }
    }

    #[test]
    fn markdown_links_stop_at_a_paren_a_space_or_the_next_link() {
        let scan = scan_body("[a](x) [b](y \"t\") [c](z](w) [d](");
        assert_eq!(scan.links, vec!["x", "y", "z", "w", ""]);
    }

    #[test]
    fn scan_counts_words_outside_tags_and_finds_links() {
        let scan = scan_body(
            "<p id=\"\">One two&nbsp;three</p><p>\u{200d}</p><a href=\"https://x/a\" id=\"\">four</a>\n- [Five](https://x/b)\n",
        );
        assert_eq!(scan.words, 6, "One, two, three, four, -, [Five](…)");
        assert_eq!(scan.links, vec!["https://x/a", "https://x/b"]);
    }
}

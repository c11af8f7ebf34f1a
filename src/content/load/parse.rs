//! Phase 2 of loading: one file into an article, on its own, so files parse in parallel and
//! a broken one never affects the others.

use std::borrow::Cow;

use super::frontmatter::{Date, Frontmatter};
use super::source::Source;
use super::split::RawFrontmatter;
use super::{frontmatter, repair, split, templates};
use crate::content::article::{Article, ArticleId, RelatedLink};
pub use crate::content::index::Parsed;
use crate::content::problem::Problem;
use crate::content::render::document::link_targets;
use crate::content::render::sanitize;

/// A parsed file, or the errors that keep it out of the library.
pub type ParsedFile = Result<Parsed, Vec<Problem>>;

/// Whether [`parse_file_with`] reads the links of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyLinks {
    /// Read them (for backlinks): about half the cost of parsing a file.
    Read,
    /// Leave them for later: `outgoing` is `None`.
    Later,
}

/// Decodes, repairs, splits and validates one file and scans its body. Only a file that
/// cannot be read at all (over a size cap) is an error; everything else about it is a
/// warning, and the article loads with what could be read.
pub fn parse_file(path: &str, bytes: &[u8]) -> ParsedFile {
    parse_file_with(path, bytes, BodyLinks::Read)
}

/// [`parse_file`], reading the body's links only when `links` says so.
pub fn parse_file_with(path: &str, bytes: &[u8], links: BodyLinks) -> ParsedFile {
    let (text, encoding) = split::decode(path, bytes).map_err(|p| vec![p])?;
    let (text, repaired) = repair::repair_report(&text);
    let (parts, unclosed) = split::split(path, &text).map_err(|p| vec![p])?;
    // An unclosed fence already says why there is no frontmatter: one warning is enough.
    let fence_warned = unclosed.is_some();
    let mut warnings: Vec<Problem> = encoding.into_iter().chain(unclosed).collect();
    let name = FileName::of(path);
    let mdx = is_mdx(path);
    // MDX blogs (Next.js) keep their metadata in `export const meta = {…}` instead.
    let (raw, raw_line) = match parts.frontmatter {
        None if mdx => match frontmatter::js::exported_meta(parts.body) {
            Some((object, line)) => (Some(RawFrontmatter::Js(object)), parts.body_line + line),
            None => (None, parts.frontmatter_line),
        },
        raw => (raw, parts.frontmatter_line),
    };
    let (fm, fm_warnings) = match &raw {
        Some(raw) => frontmatter::parse(path, raw, raw_line, name.date).map_err(|p| vec![p])?,
        None => (
            Frontmatter {
                date: name.date,
                ..Frontmatter::default()
            },
            Vec::new(),
        ),
    };
    warnings.extend(fm_warnings);
    if repaired > 0 {
        warnings.push(Problem::warning(
            path,
            1,
            format!("repaired {repaired} mis-decoded characters (mojibake): re-export the file as UTF-8 to silence this"),
        ));
    }
    let body = prepare_body(path, parts.body);
    let title = if fm.title.is_empty() {
        let (title, from) = match first_heading(&body) {
            Some(h) => {
                let shown = format!("the first heading `{}`", sanitize::clip(&h, 60));
                (h, shown)
            }
            None => (name.title(), "the file name".to_owned()),
        };
        let msg = match raw {
            None => format!(
                "no frontmatter: the title is {from}; start the file with `---`, `title: ...`, `---` to set it"
            ),
            Some(_) => format!(
                "no `title`: the title is {from}; add `title: ...` to the frontmatter to set it"
            ),
        };
        if !fence_warned {
            warnings.push(Problem::warning(path, raw_line, msg));
        }
        title
    } else {
        fm.title
    };
    let slug = match fm.slug.clone() {
        Some(slug) => slug,
        None => slug_from_file_name(path, &name, &mut warnings),
    };
    let related_links: Vec<RelatedLink> = split::related_links(&body)
        .into_iter()
        .map(|l| RelatedLink {
            title: l.title,
            url: l.url,
            target: None,
            line: l.line,
        })
        .collect();
    // The same link rules as the reader's document, so backlinks and links agree. Each URL
    // once, and not those of the related section (linked anyway): this list is stored in
    // the index cache and resolved on every start.
    let outgoing = (links == BodyLinks::Read).then(|| {
        let mut outgoing: Vec<String> = Vec::new();
        for url in link_targets(&body) {
            if !outgoing.contains(&url) && !related_links.iter().any(|l| l.url == url) {
                outgoing.push(url);
            }
        }
        outgoing
    });
    let mut article = Article {
        id: ArticleId(0),
        slug,
        title,
        description: fm.description,
        date: fm.date,
        updated: fm.updated,
        facets: fm.facets,
        canonical: fm.canonical,
        draft: fm.draft,
        archived: fm.archived,
        path: path.to_owned(),
        words: body_words(&body),
        related_links,
        body_line: parts.body_line,
        facet_text: Box::default(),
        haystack: Box::default(),
    };
    article.refresh_search_text();
    // Most files are named after their slug: only the others need a second name.
    let from_file = frontmatter::clean_slug(&name.name);
    let file_slug = (from_file != article.slug).then_some(from_file);
    Ok(Parsed {
        article,
        outgoing,
        file_slug,
        warnings,
    })
}

/// Reads an article's body again from its source, repaired and with other generators'
/// template syntax turned into Markdown, for rendering.
pub fn read_body(source: &Source, path: &str) -> Result<String, Problem> {
    let bytes = source
        .read(path)
        .map_err(|e| Problem::error(path, 1, format!("cannot read file: {e}")))?;
    let (text, _) = split::decode(path, &bytes)?;
    let text = repair::repair_mojibake(&text);
    let (parts, _) = split::split(path, &text)?;
    Ok(prepare_body(path, parts.body).into_owned())
}

/// A body as the reader gets it: MDX's JSX lines dropped, template tags turned into
/// Markdown. Line numbers stay those of the file.
fn prepare_body<'a>(path: &str, body: &'a str) -> Cow<'a, str> {
    let body = if path
        .rsplit('.')
        .next()
        .is_some_and(|x| x.eq_ignore_ascii_case("mdx"))
    {
        Cow::Owned(strip_jsx(body))
    } else {
        Cow::Borrowed(body)
    };
    match body {
        Cow::Borrowed(b) => templates::neutralize(b),
        Cow::Owned(b) => Cow::Owned(templates::neutralize(&b).into_owned()),
    }
}

fn is_mdx(path: &str) -> bool {
    path.rsplit('.')
        .next()
        .is_some_and(|x| x.eq_ignore_ascii_case("mdx"))
}

/// MDX without its JavaScript: `import`/`export` statements, `{/* comments */}` and lines of
/// JSX components (`<Chart ... />`, `<Callout>`, `</Callout>`) are blanked, outside code
/// fences. The text inside a component stays.
fn strip_jsx(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut fence: Option<&str> = None;
    // Lines still to drop: inside a multi-line statement or tag.
    let mut depth: i32 = 0;
    let mut open_tag = false;
    for line in body.split_inclusive('\n') {
        let t = line.trim();
        let newline = if line.ends_with('\n') { "\n" } else { "" };
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            out.push_str(line);
            continue;
        }
        let component = |t: &str| {
            let tag = t.strip_prefix("</").or_else(|| t.strip_prefix('<'));
            tag.is_some_and(|x| {
                x.starts_with(|c: char| c.is_ascii_uppercase()) || x.starts_with('>')
            })
        };
        let drop = if depth > 0 {
            depth += brace_balance(t);
            true
        } else if open_tag {
            open_tag = !t.ends_with('>');
            true
        } else if t.starts_with("import ") || t.starts_with("export ") {
            depth = brace_balance(t).max(0);
            true
        } else if t.starts_with("{/*") && t.ends_with("*/}") {
            true
        } else if component(t) {
            open_tag = !t.ends_with('>');
            true
        } else {
            false
        };
        if drop {
            // `<Aside type="tip">Text.</Aside>` on one line keeps its text.
            if let Some(inner) = component_text(t) {
                out.push_str(inner);
            }
            out.push_str(newline);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// The text inside a component opened and closed on one line, if any.
fn component_text(t: &str) -> Option<&str> {
    let open_end = t.find('>')?;
    let close = t.rfind("</")?;
    (close > open_end && !t[..open_end].ends_with('/'))
        .then(|| t[open_end + 1..close].trim())
        .filter(|inner| !inner.is_empty())
}

/// Opening minus closing brackets on a line.
fn brace_balance(t: &str) -> i32 {
    t.chars()
        .map(|c| match c {
            '{' | '(' | '[' => 1,
            '}' | ')' | ']' => -1,
            _ => 0,
        })
        .sum()
}

/// The text of the first `# heading` (or a `Title` line underlined with `===`, or `<h1>`) of
/// a body, outside code fences.
fn first_heading(body: &str) -> Option<String> {
    let mut in_fence = false;
    let mut previous = "";
    for line in body.lines() {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let text = if let Some(h) = t.strip_prefix("# ") {
            h.trim_end_matches('#').to_owned()
        } else if !t.is_empty() && t.bytes().all(|b| b == b'=') && !previous.is_empty() {
            previous.to_owned()
        } else if let Some(i) = t
            .find("<h1")
            .filter(|&i| t[i + 3..].starts_with(['>', ' ']))
        {
            let after = &t[i..];
            let inner = after.find('>').map_or("", |o| &after[o + 1..]);
            inner.split("</h1").next().unwrap_or_default().to_owned()
        } else {
            previous = t;
            continue;
        };
        let text = frontmatter::plain_text(&text);
        if !text.is_empty() {
            return Some(text);
        }
        previous = t;
    }
    None
}

/// What a file's path says about its article: the name that gives the slug (a page bundle's
/// folder for `name/index.md`; without a `YYYY-MM-DD-` date prefix) and that date.
struct FileName {
    name: String,
    date: Option<Date>,
}

impl FileName {
    fn of(path: &str) -> FileName {
        let mut parts = path.rsplit('/');
        let file = parts.next().unwrap_or(path);
        let mut stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
        // `index.md`, `index.en.md`: a page bundle, named by its folder; so is a Next.js
        // `page.mdx`.
        if (stem == "index" || stem.starts_with("index.") || (stem == "page" && is_mdx(path)))
            && let Some(folder) = parts.next()
        {
            stem = folder;
        }
        match Date::from_name_prefix(stem) {
            Some((date, rest)) => FileName {
                name: rest.to_owned(),
                date: Some(date),
            },
            None => FileName {
                name: stem.to_owned(),
                date: None,
            },
        }
    }

    /// A title made from the name: `first-week_notes` → `first week notes`.
    fn title(&self) -> String {
        let t = self.name.replace(['-', '_'], " ");
        let t = sanitize::line(t.trim()).into_owned();
        if t.is_empty() {
            "Untitled".to_owned()
        } else {
            t
        }
    }
}

/// The default slug: the file name without extension (or date prefix, or a bundle's folder
/// name), which can hold anything (spaces, control characters), so it is cleaned the way a
/// `slug:` key is, with a warning when that changed it.
fn slug_from_file_name(path: &str, name: &FileName, warnings: &mut Vec<Problem>) -> String {
    let cleaned = frontmatter::clean_slug(&name.name);
    if cleaned.is_empty() {
        warnings.push(Problem::warning(
            path,
            1,
            "the file name gives no usable slug: using `untitled`; add `slug: ...` to the frontmatter",
        ));
        return "untitled".to_owned();
    }
    if cleaned != name.name {
        let shown = sanitize::line(&name.name);
        warnings.push(Problem::warning(
            path,
            1,
            format!("file name `{shown}` is not a usable slug; using `{cleaned}` (add `slug:` to choose one)"),
        ));
    }
    cleaned
}

/// Words outside tags (for reading time), without a full HTML parse, so loading stays fast
/// on big libraries: the count jumps from tag to tag with memchr and counts the words of the
/// text between them.
fn body_words(body: &str) -> usize {
    let bytes = body.as_bytes();
    let mut words = 0;
    let mut pos = 0;
    while pos < bytes.len() {
        let tag = memchr::memchr(b'<', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        words += count_words(&body[pos..tag]);
        if tag == bytes.len() {
            break;
        }
        pos = memchr::memchr(b'>', &bytes[tag..]).map_or(bytes.len(), |i| tag + i) + 1;
    }
    words
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_file_names_are_cleaned_or_replaced() {
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
        let odd = parse_file("\u{1}\u{2}.md", b"---\ntitle: T\n---\n").unwrap();
        assert_eq!(odd.article.slug, "untitled");
        assert!(
            odd.warnings[0].message.contains("no usable slug"),
            "{:?}",
            odd.warnings
        );
    }

    #[test]
    fn bundles_and_dated_file_names_give_slug_and_date() {
        let p = |path: &str, text: &str| parse_file(path, text.as_bytes()).unwrap().article;
        let a = p(
            "_posts/2019-01-05-first-week.markdown",
            "---\ntitle: T\n---\n",
        );
        assert_eq!(
            (a.slug.as_str(), a.date.unwrap().to_string()),
            ("first-week", "2019-01-05".into())
        );
        let a = p("blog/my-post/index.md", "+++\ntitle = \"T\"\n+++\n");
        assert_eq!((a.slug.as_str(), a.date), ("my-post", None));
        let a = p("blog/2020-02-02-bundle/index.en.md", "---\ntitle: T\n---\n");
        assert_eq!(
            (a.slug.as_str(), a.date.unwrap().to_string()),
            ("bundle", "2020-02-02".into())
        );
        // A date key wins over the file name's date; the slug still drops the prefix.
        let a = p("2019-01-05-x.md", "---\ntitle: T\ndate: 2019-01-06\n---\n");
        assert_eq!(
            (a.slug.as_str(), a.date.unwrap().to_string()),
            ("x", "2019-01-06".into())
        );
    }

    #[test]
    fn files_without_frontmatter_or_title_take_a_heading_or_the_file_name() {
        let f = parse_file(
            "notes/meeting-notes.md",
            b"Some text\n\n# Weekly &amp; <em>sync</em>\n",
        )
        .unwrap();
        assert_eq!(f.article.title, "Weekly & sync");
        assert_eq!(
            f.warnings[0].to_string(),
            "notes/meeting-notes.md:1: warning: no frontmatter: the title is the first heading `Weekly & sync`; start the file with `---`, `title: ...`, `---` to set it"
        );
        let f = parse_file("notes/2021-03-04-plain_notes.md", b"just text\n").unwrap();
        assert_eq!(
            (f.article.title.as_str(), f.article.slug.as_str()),
            ("plain notes", "plain_notes")
        );
        assert_eq!(f.article.date.unwrap().to_string(), "2021-03-04");
        let f = parse_file("n.md", b"Quarterly goals\n===============\n\ntext\n").unwrap();
        assert_eq!(f.article.title, "Quarterly goals");
        let f = parse_file(
            "a.md",
            b"---\ndescription: D\n---\n```\n# not this\n```\n<h1 class=\"x\">This one</h1>\n",
        )
        .unwrap();
        assert_eq!(f.article.title, "This one");
        assert!(
            f.warnings[0].message.starts_with("no `title`"),
            "{:?}",
            f.warnings
        );
    }

    #[test]
    fn mutated_files_of_every_format_never_panic() {
        // Pieces each format and template language cares about, inserted, deleted and
        // replaced at pseudo-random places of small files of every shape.
        const SPECIAL: &[&str] = &[
            "\n",
            "---",
            "+++",
            "{",
            "}",
            "{{<",
            ">}}",
            "{{%",
            "%}}",
            "{%",
            "%}",
            "{{",
            "}}",
            "{#",
            "#}",
            "\"",
            "'",
            ":",
            "=",
            "[",
            "]",
            "<",
            ">",
            "/",
            "é",
            "\u{2028}",
            "\t",
            " ",
            "-",
            "2020-09-09 9:00:00 -0500",
            "# ",
            "export const meta = {",
            "import x from 'y'",
            "<Chart",
            "\\",
            "`",
            "&amp;",
            "&",
            ",",
        ];
        let seeds = [
            "---\ntitle: \"A &amp; B\"\ndate: 2020-01-02\ntags: [a, b]\n---\nText {{< ref \"x.md\" >}}\n",
            "+++\ntitle = \"T\"\ndate = 2021-03-04T09:30:00Z\n[taxonomies]\ntags = [\"x\"]\n+++\n{% post_url 2019-01-01-a %}\n",
            "{\n  \"title\": \"J\",\n  \"tags\": [\"a\"]\n}\nBody {{ \"/p/\" | url }}\n",
            "import A from 'a'\nexport const meta = {\n  title: 'M',\n  date: '2022-01-01',\n}\n<A>hi</A>\n# Head\n",
            "plain notes\n=====\n{% raw %}{{ x }}{% endraw %}\n",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for round in 0..3000 {
            let mut text: Vec<char> = seeds[round % seeds.len()].chars().collect();
            for _ in 0..1 + next(4) {
                let at = next(text.len() + 1);
                let piece: Vec<char> = SPECIAL[next(SPECIAL.len())].chars().collect();
                let end = match next(3) {
                    0 => at,
                    1 => {
                        let end = (at + 1 + next(3)).min(text.len());
                        text.drain(at..end);
                        continue;
                    }
                    _ => (at + 1).min(text.len()),
                };
                text.splice(at..end, piece);
            }
            let text: String = text.into_iter().collect();
            for path in ["a/2020-01-02-x.md", "b/index.mdx", "c/page.mdx"] {
                let parsed =
                    parse_file(path, text.as_bytes()).expect("only capped files are errors");
                assert!(!parsed.article.title.is_empty(), "{text:?}");
                let _ = prepare_body(path, &text);
            }
        }
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
    fn markdown_links_are_read_as_markdown_reads_them() {
        // The load-time scan once cut `[c](z](w)` into two links and kept `[d](`; it now
        // follows the document's rules (see `render::document::scan`).
        let links = link_targets("[a](x) [b](y \"t\") [c](z) [d](");
        assert_eq!(links, vec!["x", "y", "z"]);
    }

    #[test]
    fn scan_counts_words_outside_tags_and_finds_links() {
        let body = "<p id=\"\">One two&nbsp;three</p><p>\u{200d}</p><a href=\"https://x/a\" id=\"\">four</a>\n- [Five](https://x/b)\n";
        assert_eq!(body_words(body), 6, "One, two, three, four, -, [Five](…)");
        assert_eq!(link_targets(body), vec!["https://x/a", "https://x/b"]);
    }
}

//! Cutting a file into frontmatter and body, before any parsing.
//!
//! Works on raw bytes first so that size caps, encoding and framing problems are reported with
//! a line number and never reach the YAML or HTML parsers.

use crate::content::problem::Problem;

/// Largest article file accepted. The publisher's longest article is about 40 KB.
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;
/// Largest frontmatter accepted. The YAML parser can spend seconds on large alias-heavy input.
pub const MAX_FRONTMATTER_BYTES: usize = 64 * 1024;

/// The frontmatter text of a file, by format; the text excludes the fences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawFrontmatter<'a> {
    /// Between `---` lines (`...` may close it).
    Yaml(&'a str),
    /// Between `+++` lines (Hugo, Zola).
    Toml(&'a str),
    /// One JSON object at the top of the file, braces included (Hugo).
    Json(&'a str),
    /// A JavaScript object literal: Eleventy's `---js`, an MDX `export const meta = {…}`.
    Js(&'a str),
}

impl RawFrontmatter<'_> {
    /// The frontmatter text.
    pub fn text(&self) -> &str {
        match self {
            RawFrontmatter::Yaml(s)
            | RawFrontmatter::Toml(s)
            | RawFrontmatter::Json(s)
            | RawFrontmatter::Js(s) => s,
        }
    }
}

/// A file cut into its two parts. Line numbers are 1-based lines of the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The frontmatter, when the file has one (plain Markdown notes have none).
    pub frontmatter: Option<RawFrontmatter<'a>>,
    /// File line of the first frontmatter line.
    pub frontmatter_line: usize,
    /// Everything after the closing fence (the whole text without frontmatter).
    pub body: &'a str,
    /// File line of the first body line.
    pub body_line: usize,
}

/// Decodes file bytes: size cap, encoding, BOM removal, CRLF to LF. UTF-8 is expected; a
/// UTF-16 file with a BOM is decoded as such, and bytes that are not UTF-8 are read as
/// Windows-1252 (a superset of Latin-1, what older editors wrote) with a warning. Only a file
/// over the size cap is refused.
pub fn decode(path: &str, bytes: &[u8]) -> Result<(String, Option<Problem>), Problem> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Problem::error(
            path,
            1,
            format!(
                "file is {} KiB, over the {} KiB limit for one article: split it or remove embedded data",
                bytes.len() / 1024,
                MAX_FILE_BYTES / 1024
            ),
        ));
    }
    let mut warning = None;
    let text: std::borrow::Cow<str> = if let Some((encoding, bom)) =
        encoding_rs::Encoding::for_bom(bytes).filter(|(e, _)| *e != encoding_rs::UTF_8)
    {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        text
    } else {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(text) => text.into(),
            Err(e) => {
                let at = e.valid_up_to();
                let line = 1 + memchr::memchr_iter(b'\n', &bytes[..at]).count();
                warning = Some(Problem::warning(
                    path,
                    line,
                    format!(
                        "not valid UTF-8 (byte {at}): read as Windows-1252; save the file as UTF-8 to silence this"
                    ),
                ));
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
            }
        }
    };
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.into_owned()
    };
    Ok((text, warning))
}

/// Splits decoded text into frontmatter and body. Blank lines before the opening fence are
/// allowed. A file that does not open with `---`, `+++` or `{` has no frontmatter: all of it
/// is body. Frontmatter that is never closed is a warning, and the file is read as body.
/// Only frontmatter over [`MAX_FRONTMATTER_BYTES`] is an error.
pub fn split<'a>(path: &str, text: &'a str) -> Result<(Split<'a>, Option<Problem>), Problem> {
    let no_frontmatter = |warning| Ok((body_only(text), warning));
    let too_big = |line| {
        Problem::error(
            path,
            line,
            format!(
                "frontmatter is over {} KiB: keep only metadata between the `---` lines",
                MAX_FRONTMATTER_BYTES / 1024
            ),
        )
    };
    let mut offset = 0;
    let mut line_no = 1;
    let mut lines = text.split_inclusive('\n');
    // Find the opening fence, skipping blank lines.
    let (fence, fence_len) = loop {
        let Some(line) = lines.next() else {
            return no_frontmatter(None);
        };
        if line.trim().is_empty() {
            offset += line.len();
            line_no += 1;
            continue;
        }
        match line.trim_end() {
            "---" | "---yaml" => break ("---", line.len()),
            "+++" => break ("+++", line.len()),
            // Eleventy names the language after the fence: `---json`, `---js`.
            "---json" => break ("---json", line.len()),
            "---js" | "---javascript" => break ("---js", line.len()),
            // `{` then a key or nothing: a JSON object, not a `{{< shortcode >}}` line.
            l if l.starts_with('{')
                && l[1..]
                    .trim_start()
                    .chars()
                    .next()
                    .is_none_or(|c| c == '"' || c == '}') =>
            {
                return split_json(path, text, offset, line_no);
            }
            _ => return no_frontmatter(None),
        }
    };
    let open_line = line_no;
    offset += fence_len;
    let fm_start = offset;
    for (fm_line, line) in (open_line + 1..).zip(lines) {
        let trimmed = line.trim_end();
        let closing = if fence == "+++" { "+++" } else { "---" };
        if trimmed == closing || (fence == "---" && trimmed == "...") {
            let frontmatter = &text[fm_start..offset];
            if frontmatter.len() > MAX_FRONTMATTER_BYTES {
                return Err(too_big(open_line));
            }
            let (frontmatter, warning) = match fence {
                "+++" => (Some(RawFrontmatter::Toml(frontmatter)), None),
                "---json" => (Some(RawFrontmatter::Json(frontmatter.trim())), None),
                "---js" => (Some(RawFrontmatter::Js(frontmatter)), None),
                _ => (Some(RawFrontmatter::Yaml(frontmatter)), None),
            };
            return Ok((
                Split {
                    frontmatter,
                    frontmatter_line: open_line + 1,
                    body: &text[offset + line.len()..],
                    body_line: fm_line + 1,
                },
                warning,
            ));
        }
        offset += line.len();
        if offset - fm_start > MAX_FRONTMATTER_BYTES {
            return Err(too_big(open_line));
        }
    }
    no_frontmatter(Some(Problem::warning(
        path,
        open_line,
        format!(
            "frontmatter opened here is never closed: the file is read as Markdown; add a line `{fence}` after the last key"
        ),
    )))
}

/// A JSON object from `start` (the `{` line): its end is the brace that closes it, found by
/// counting braces outside strings.
fn split_json<'a>(
    path: &str,
    text: &'a str,
    start: usize,
    line: usize,
) -> Result<(Split<'a>, Option<Problem>), Problem> {
    let bytes = text.as_bytes();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in bytes[start..].iter().enumerate() {
        if i > MAX_FRONTMATTER_BYTES {
            return Err(Problem::error(
                path,
                line,
                format!(
                    "frontmatter is over {} KiB: keep only metadata in the JSON object",
                    MAX_FRONTMATTER_BYTES / 1024
                ),
            ));
        }
        match b {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            b'{' if !in_string => depth += 1,
            b'}' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    let end = start + i + 1;
                    // The body starts on the line after the closing brace.
                    let body_start = text[end..].find('\n').map_or(text.len(), |n| end + n + 1);
                    let body_line = 1 + memchr::memchr_iter(b'\n', &bytes[..body_start]).count();
                    return Ok((
                        Split {
                            frontmatter: Some(RawFrontmatter::Json(&text[start..end])),
                            frontmatter_line: line,
                            body: &text[body_start..],
                            body_line,
                        },
                        None,
                    ));
                }
            }
            _ => {}
        }
    }
    Ok((
        body_only(text),
        Some(Problem::warning(
            path,
            line,
            "a JSON frontmatter object opens here and is never closed: the file is read as Markdown",
        )),
    ))
}

/// A file read as body only, from its first line.
fn body_only(text: &str) -> Split<'_> {
    Split {
        frontmatter: None,
        frontmatter_line: 1,
        body: text,
        body_line: 1,
    }
}

/// A link listed under the body's `## Related articles` heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedLink {
    pub title: String,
    pub url: String,
    /// Line within the body (1-based).
    pub line: usize,
}

/// Collects `- [Title](URL)` items from the `## Related articles` section of a body.
pub fn related_links(body: &str) -> Vec<RelatedLink> {
    let mut out = Vec::new();
    // Nothing before the first "Related articles" heading can be in the section: start there
    // rather than trimming every line of the body.
    let Some(start) = first_related_heading(body) else {
        return out;
    };
    let first_line = memchr::memchr_iter(b'\n', &body.as_bytes()[..start]).count();
    let mut in_section = false;
    for (i, line) in body[start..].lines().enumerate() {
        let i = first_line + i;
        let t = line.trim();
        if let Some(heading) = t.strip_prefix("## ") {
            in_section = heading.trim().eq_ignore_ascii_case("related articles");
            continue;
        }
        if t == "---" {
            in_section = false;
            continue;
        }
        if !in_section {
            continue;
        }
        let item = t.strip_prefix("- ").or_else(|| t.strip_prefix("* "));
        if let Some((title, url)) = item.and_then(markdown_link) {
            out.push(RelatedLink {
                title,
                url,
                line: i + 1,
            });
        }
    }
    out
}

/// Where the line of the first `## Related articles` heading starts, if there is one. Each
/// line holding a `## ` is looked at once, then the search goes on from the next line, so a
/// long line full of `## ` stays linear.
fn first_related_heading(body: &str) -> Option<usize> {
    let bytes = body.as_bytes();
    let finder = memchr::memmem::Finder::new(b"## ");
    let mut from = 0;
    while let Some(found) = finder.find(&bytes[from..]) {
        let at = from + found;
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |nl| nl + 1);
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |nl| at + nl);
        let heading = body[start..end].trim().strip_prefix("## ");
        if heading.is_some_and(|h| h.trim().eq_ignore_ascii_case("related articles")) {
            return Some(start);
        }
        from = end;
    }
    None
}

/// Parses `[text](url)` filling a whole string.
fn markdown_link(s: &str) -> Option<(String, String)> {
    let rest = s.strip_prefix('[')?;
    let close = rest.rfind("](")?;
    let url = rest[close + 2..].strip_suffix(')')?;
    let url = url.split_whitespace().next()?; // drop an optional "title"
    Some((rest[..close].trim().to_owned(), url.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Split<'_> {
        let (split, warning) = split("a.md", text).expect("split");
        assert_eq!(warning, None);
        split
    }

    fn yaml<'a>(s: &Split<'a>) -> &'a str {
        match s.frontmatter {
            Some(RawFrontmatter::Yaml(y)) => y,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn splits_frontmatter_and_body_with_lines() {
        let s = ok("---\ntitle: A\nslug: a\n---\n<p>x</p>\n");
        assert_eq!(yaml(&s), "title: A\nslug: a\n");
        assert_eq!(s.frontmatter_line, 2);
        assert_eq!(s.body, "<p>x</p>\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn blank_lines_before_fence_are_allowed() {
        let s = ok("\n  \n---\ntitle: A\n---\nbody");
        assert_eq!(yaml(&s), "title: A\n");
        assert_eq!(s.frontmatter_line, 4);
        assert_eq!(s.body_line, 6);
    }

    #[test]
    fn toml_and_json_frontmatter() {
        let s = ok("+++\ntitle = \"A\"\n+++\nbody\n");
        assert_eq!(s.frontmatter, Some(RawFrontmatter::Toml("title = \"A\"\n")));
        assert_eq!((s.frontmatter_line, s.body, s.body_line), (2, "body\n", 4));
        let s = ok("{\n  \"title\": \"A {b}\",\n  \"x\": \"\\\"}\"\n}\nbody\n");
        assert_eq!(
            s.frontmatter,
            Some(RawFrontmatter::Json(
                "{\n  \"title\": \"A {b}\",\n  \"x\": \"\\\"}\"\n}"
            ))
        );
        assert_eq!((s.frontmatter_line, s.body, s.body_line), (1, "body\n", 5));
        let s = ok("---json\n{\"title\": \"A\"}\n---\nbody\n");
        assert_eq!(
            s.frontmatter,
            Some(RawFrontmatter::Json("{\"title\": \"A\"}"))
        );
        assert_eq!(s.body, "body\n");
        // A body that opens with a shortcode is not JSON.
        let s = ok("{{< youtube x >}}\ntext\n");
        assert_eq!(s.frontmatter, None);
    }

    #[test]
    fn trailer_rules_stay_in_body() {
        let s = ok("---\ntitle: A\n---\n<p>x</p>\n\n---\n\n## Related articles\n");
        assert!(s.body.contains("\n---\n"));
    }

    #[test]
    fn a_file_without_frontmatter_is_all_body() {
        let s = ok("\n# Just markdown\n");
        assert_eq!(
            (s.frontmatter, s.body, s.body_line),
            (None, "\n# Just markdown\n", 1)
        );
        assert_eq!(ok("").frontmatter, None);
    }

    #[test]
    fn unclosed_frontmatter_is_a_warning_and_the_file_is_body() {
        let (s, warning) = split("a.md", "---\ntitle: A\n<p>body</p>\n").unwrap();
        assert_eq!(s.frontmatter, None);
        assert_eq!(
            warning.unwrap().to_string(),
            "a.md:1: warning: frontmatter opened here is never closed: the file is read as Markdown; add a line `---` after the last key"
        );
    }

    #[test]
    fn oversized_frontmatter_is_refused() {
        let big = format!(
            "---\ntitle: A\nx: \"{}\"\n---\nbody",
            "y".repeat(MAX_FRONTMATTER_BYTES)
        );
        let err = |t: &str| split("a.md", t).expect_err("too big");
        assert!(err(&big).message.contains("frontmatter is over 64 KiB"));
        let unclosed = format!("---\n{}", "k: v\n".repeat(MAX_FRONTMATTER_BYTES));
        assert!(err(&unclosed).message.contains("over 64 KiB"));
    }

    #[test]
    fn decode_strips_bom_and_crlf() {
        let (t, w) = decode("a.md", b"\xEF\xBB\xBF---\r\ntitle: A\r\n---\r\nx\r\n").unwrap();
        assert_eq!(t, "---\ntitle: A\n---\nx\n");
        assert_eq!(w, None);
    }

    #[test]
    fn invalid_utf8_is_read_as_windows_1252_with_a_warning() {
        let (t, w) = decode("a.md", b"---\ntitle: caf\xE9 \x93quoted\x94\n---\n").unwrap();
        assert_eq!(t, "---\ntitle: café “quoted”\n---\n");
        let w = w.unwrap();
        assert_eq!(w.line, 2);
        assert!(w.message.contains("read as Windows-1252"), "{}", w.message);
    }

    #[test]
    fn utf16_with_a_bom_is_decoded() {
        let text = "---\ntitle: Zürich\n---\nbody\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        for bytes in [le, be] {
            assert_eq!(decode("a.md", &bytes).unwrap(), (text.to_owned(), None));
        }
    }

    #[test]
    fn decode_rejects_huge_files() {
        let p = decode("a.md", &vec![b'a'; MAX_FILE_BYTES + 1]).unwrap_err();
        assert!(
            p.message.contains("over the 2048 KiB limit"),
            "{}",
            p.message
        );
    }

    #[test]
    fn a_long_line_full_of_hashes_is_scanned_once() {
        // Found by review: looking back and forth from every `## ` of one line was quadratic
        // (seconds for a line of half a megabyte).
        let line = "a ## ".repeat(400_000);
        let body = format!("{line}\n\n## Related articles\n\n- [A](https://x/a)\n");
        // (No timing here: the quadratic scan made this test take minutes, which is noticed.)
        let links = related_links(&body);
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].line, 5);
    }

    #[test]
    fn related_links_come_only_from_their_section() {
        let body = "<p><a href=\"https://x/blog/no\">no</a></p>\n\n---\n\n## Related career guidance\n\n- [Hub](https://x/hub)\n\n---\n\n## Related articles\n\n- [One: A](https://x/blog/one)\n- [Two](https://x/blog/two \"t\")\n- not a link\n";
        let links = related_links(body);
        assert_eq!(
            links,
            vec![
                RelatedLink {
                    title: "One: A".into(),
                    url: "https://x/blog/one".into(),
                    line: 13
                },
                RelatedLink {
                    title: "Two".into(),
                    url: "https://x/blog/two".into(),
                    line: 14
                },
            ]
        );
    }
}

//! Cutting a file into frontmatter and body, before any parsing.
//!
//! Works on raw bytes first so that size caps, encoding and framing problems are reported with
//! a line number and never reach the YAML or HTML parsers.

use super::problem::Problem;

/// Largest article file accepted. The publisher's longest article is about 40 KB.
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;
/// Largest frontmatter accepted. serde_yaml can spend seconds on large alias-heavy input.
pub const MAX_FRONTMATTER_BYTES: usize = 64 * 1024;

/// A file cut into its two parts. Line numbers are 1-based lines of the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` fences.
    pub frontmatter: &'a str,
    /// File line of the first frontmatter line.
    pub frontmatter_line: usize,
    /// Everything after the closing fence.
    pub body: &'a str,
    /// File line of the first body line.
    pub body_line: usize,
}

/// Decodes file bytes: size cap, UTF-8 check, BOM removal, CRLF to LF.
pub fn decode(path: &str, bytes: &[u8]) -> Result<String, Problem> {
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
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        Problem::error(
            path,
            line,
            format!("not valid UTF-8 (byte {at}): save the file as UTF-8"),
        )
    })?;
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    })
}

/// Splits decoded text at its `---` fences. Blank lines before the opening fence are allowed.
pub fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Problem> {
    let mut offset = 0;
    let mut line_no = 1;
    let mut lines = text.split_inclusive('\n');
    // Find the opening fence, skipping blank lines.
    loop {
        let Some(line) = lines.next() else {
            return Err(Problem::error(
                path,
                1,
                "no frontmatter: start the file with a line `---`, then `title: ...`, then `---`",
            ));
        };
        offset += line.len();
        if line.trim().is_empty() {
            line_no += 1;
            continue;
        }
        if line.trim_end() == "---" {
            break;
        }
        return Err(Problem::error(
            path,
            line_no,
            "no frontmatter: the first line must be `---` followed by YAML keys and a closing `---`",
        ));
    }
    let open_line = line_no;
    let fm_start = offset;
    for (fm_line, line) in (open_line + 1..).zip(lines) {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let frontmatter = &text[fm_start..offset];
            if frontmatter.len() > MAX_FRONTMATTER_BYTES {
                break;
            }
            return Ok(Split {
                frontmatter,
                frontmatter_line: open_line + 1,
                body: &text[offset + line.len()..],
                body_line: fm_line + 1,
            });
        }
        offset += line.len();
        if offset - fm_start > MAX_FRONTMATTER_BYTES {
            return Err(Problem::error(
                path,
                open_line,
                format!(
                    "frontmatter is over {} KiB: keep only metadata between the `---` lines",
                    MAX_FRONTMATTER_BYTES / 1024
                ),
            ));
        }
    }
    if offset - fm_start > MAX_FRONTMATTER_BYTES {
        return Err(Problem::error(
            path,
            open_line,
            format!(
                "frontmatter is over {} KiB: keep only metadata between the `---` lines",
                MAX_FRONTMATTER_BYTES / 1024
            ),
        ));
    }
    Err(Problem::error(
        path,
        open_line,
        "frontmatter opened here is never closed: add a line `---` after the last key",
    ))
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
        split("a.md", text).expect("split")
    }

    fn err(text: &str) -> Problem {
        split("a.md", text).expect_err("should fail")
    }

    #[test]
    fn splits_frontmatter_and_body_with_lines() {
        let s = ok("---\ntitle: A\nslug: a\n---\n<p>x</p>\n");
        assert_eq!(s.frontmatter, "title: A\nslug: a\n");
        assert_eq!(s.frontmatter_line, 2);
        assert_eq!(s.body, "<p>x</p>\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn blank_lines_before_fence_are_allowed() {
        let s = ok("\n  \n---\ntitle: A\n---\nbody");
        assert_eq!(s.frontmatter, "title: A\n");
        assert_eq!(s.frontmatter_line, 4);
        assert_eq!(s.body_line, 6);
    }

    #[test]
    fn trailer_rules_stay_in_body() {
        let s = ok("---\ntitle: A\n---\n<p>x</p>\n\n---\n\n## Related articles\n");
        assert!(s.body.contains("\n---\n"));
    }

    #[test]
    fn missing_frontmatter_is_an_error_on_its_line() {
        let p = err("\n# Just markdown\n");
        assert_eq!(p.line, 2);
        assert!(p.message.contains("no frontmatter"), "{}", p.message);
        assert!(err("").message.contains("no frontmatter"));
    }

    #[test]
    fn unclosed_frontmatter_is_an_error_not_a_reparse() {
        let p = err("---\ntitle: A\n<p>body</p>\n");
        assert_eq!(
            p.to_string(),
            "a.md:1: error: frontmatter opened here is never closed: add a line `---` after the last key"
        );
    }

    #[test]
    fn oversized_frontmatter_is_refused() {
        let big = format!(
            "---\ntitle: A\nx: \"{}\"\n---\nbody",
            "y".repeat(MAX_FRONTMATTER_BYTES)
        );
        assert!(err(&big).message.contains("frontmatter is over 64 KiB"));
        let unclosed = format!("---\n{}", "k: v\n".repeat(MAX_FRONTMATTER_BYTES));
        assert!(err(&unclosed).message.contains("over 64 KiB"));
    }

    #[test]
    fn decode_strips_bom_and_crlf() {
        let t = decode("a.md", b"\xEF\xBB\xBF---\r\ntitle: A\r\n---\r\nx\r\n").unwrap();
        assert_eq!(t, "---\ntitle: A\n---\nx\n");
    }

    #[test]
    fn decode_rejects_invalid_utf8_with_line() {
        let p = decode("a.md", b"---\ntitle: caf\xE9\n---\n").unwrap_err();
        assert_eq!(p.line, 2);
        assert!(p.message.contains("not valid UTF-8"));
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

//! The load-time link scan: every link target a body's document will have, without building
//! the document. Loading needs the targets of every article (for backlinks) but renders none,
//! so this runs the same Markdown step as rendering and then jumps from tag to tag, following
//! the DOM walk's rules (see [`super::walk`]): the `href` of an `<a>` (any quoting or letter
//! case, entities decoded) when it has text, inside `<pre>` too; the `src` of an `<iframe>`
//! outside `<pre>`; bare `http(s)://` URLs in text outside links, code and `<pre>`; nothing
//! inside comments or the elements the walk drops (script, style, svg...).

use super::markdown::html_pieces;
use super::walk::DROPPED;
use crate::content::render::links::{absolute_url, bare_urls, clean_url, is_followable};

/// Every link target of `body` in reading order, cleaned, repeats included.
pub fn link_targets(body: &str) -> Vec<String> {
    let mut scan = Scan::default();
    for piece in html_pieces(body) {
        scan.piece(&piece);
    }
    scan.out
}

impl Scan {
    /// Scans one piece of the body's HTML; a tag never spans two pieces.
    fn piece(&mut self, html: &str) {
        let scan = self;
        let bytes = html.as_bytes();
        let mut pos = 0;
        while pos < bytes.len() {
            let lt = memchr::memchr(b'<', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
            scan.text(&html[pos..lt]);
            if lt == bytes.len() {
                break;
            }
            if html[lt..].starts_with("<!--") {
                pos = memchr::memmem::find(&bytes[lt + 4..], b"-->")
                    .map_or(bytes.len(), |i| lt + 7 + i);
                continue;
            }
            let end = tag_end(bytes, lt);
            scan.tag(&html[lt..end]);
            pos = end;
        }
    }
}

/// Where the tag starting at `lt` ends (one past its `>`), quotes respected.
fn tag_end(bytes: &[u8], lt: usize) -> usize {
    let mut i = lt + 1;
    while let Some(k) = memchr::memchr3(b'>', b'"', b'\'', &bytes[i..]) {
        let at = i + k;
        match bytes[at] {
            b'>' => return at + 1,
            quote => match memchr::memchr(quote, &bytes[at + 1..]) {
                Some(close) => i = at + 2 + close,
                None => return bytes.len(),
            },
        }
    }
    bytes.len()
}

/// The code elements, whose text the walk styles as code (see [`super::walk`]).
const CODE: [&[u8]; 4] = [b"code", b"kbd", b"samp", b"tt"];

#[derive(Default)]
struct Scan {
    out: Vec<String>,
    /// Open `<a>` elements: the link each one made, if any.
    anchors: Vec<Option<String>>,
    /// An element whose content is skipped (dropped, or a frame), with its nesting.
    skipping: Option<(String, usize)>,
    /// Open `<pre>` elements: their text is literal, only their `<a>` links.
    pre: usize,
    /// Open code elements (`code`, `kbd`, `samp`, `tt`): their text is literal too.
    code: usize,
}

impl Scan {
    /// The link the text is inside, if any.
    fn in_link(&self) -> bool {
        self.anchors.iter().any(Option::is_some)
    }

    fn text(&mut self, raw: &str) {
        if self.skipping.is_some() || raw.trim().is_empty() {
            return;
        }
        if self.in_link() {
            // The innermost open link has text, so the document keeps it.
            if let Some(slot) = self.anchors.iter_mut().rev().find(|a| a.is_some())
                && let Some(url) = slot.take()
            {
                self.out.push(url);
                // Still inside a link: keep a marker so its text is not scanned for URLs.
                *slot = Some(String::new());
            }
            return;
        }
        if self.pre > 0 || self.code > 0 || !raw.contains("http") {
            return;
        }
        let text = html_escape::decode_html_entities(raw);
        for (start, end) in bare_urls(&text) {
            self.out.push(clean_url(&text[start..end]));
        }
    }

    fn tag(&mut self, tag: &str) {
        let closing = tag.starts_with("</");
        let from = if closing { 2 } else { 1 };
        let len = tag.as_bytes()[from..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        let name = &tag[from..from + len];
        let self_closing = tag.ends_with("/>");
        if let Some((skipped, depth)) = &mut self.skipping {
            if skipped.eq_ignore_ascii_case(name) && !self_closing {
                if closing {
                    *depth -= 1;
                } else {
                    *depth += 1;
                }
                if *depth == 0 {
                    self.skipping = None;
                }
            }
            return;
        }
        // Tag names are short: lower-cased on the stack, then one match.
        let mut buf = [0u8; 12];
        let lower = match name.len() {
            n @ 1..=12 => {
                buf[..n].copy_from_slice(name.as_bytes());
                buf[..n].make_ascii_lowercase();
                &buf[..n]
            }
            _ => return,
        };
        if closing {
            match lower {
                b"a" => {
                    self.anchors.pop();
                }
                b"pre" => self.pre = self.pre.saturating_sub(1),
                _ if CODE.contains(&lower) => self.code = self.code.saturating_sub(1),
                _ => {}
            }
            return;
        }
        match lower {
            b"a" => {
                // An `<a>` inside another closes it, as the HTML parser does.
                self.anchors.pop();
                let url = attribute(tag, "href")
                    .map(|href| clean_url(&href))
                    .filter(|url| is_followable(url));
                self.anchors.push(url);
            }
            b"iframe" => {
                // In `<pre>` a frame's content is text of the block and no link.
                if self.pre == 0
                    && let Some(src) = attribute(tag, "src").map(|s| clean_url(&absolute_url(&s)))
                    && is_followable(&src)
                {
                    self.out.push(src);
                }
                if !self_closing {
                    self.skipping = Some((name.to_ascii_lowercase(), 1));
                }
            }
            _ if self_closing => {}
            b"pre" => self.pre += 1,
            _ if CODE.contains(&lower) => self.code += 1,
            _ if DROPPED.iter().any(|d| d.as_bytes() == lower) => {
                self.skipping = Some((name.to_ascii_lowercase(), 1))
            }
            _ => {}
        }
    }
}

/// The value of attribute `name` in a start tag, entities decoded; the first one wins, as in
/// HTML.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let b = tag.as_bytes();
    // Past `<` and the tag name.
    let mut i = 1 + b[1..]
        .iter()
        .position(|c| c.is_ascii_whitespace() || *c == b'/' || *c == b'>')?;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return None;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let key = &tag[start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = None;
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (from, to) = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = memchr::memchr(q, &b[i + 1..]).map_or(b.len(), |e| i + 1 + e);
                    (i + 1, end)
                }
                _ => {
                    let end = b[i..]
                        .iter()
                        .position(|c| c.is_ascii_whitespace() || *c == b'>')
                        .map_or(b.len(), |e| i + e);
                    (i, end)
                }
            };
            value = Some(&tag[from..to]);
            i = (to + 1).min(b.len());
        }
        if key.eq_ignore_ascii_case(name) {
            return value.map(|v| html_escape::decode_html_entities(v).into_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_in_any_quoting_or_case_and_never_data_href() {
        let body = "<p><a data-href=\"/no\" href='/blog/single'>one</a> \
                    <A HREF=\"/blog/upper\">two</A> <a href=/blog/bare>three</a> \
                    <a href=\"/blog/x?a=1&amp;b=2\">four</a></p>";
        assert_eq!(
            link_targets(body),
            [
                "/blog/single",
                "/blog/upper",
                "/blog/bare",
                "/blog/x?a=1&b=2"
            ]
        );
    }

    #[test]
    fn bare_urls_count_outside_links_code_blocks_and_dropped_elements() {
        let body = "<p>See https://x.example/blog/a. Or <a href=\"/blog/b\">https://x.example/blog/c</a>.</p>\
                    <pre>https://x.example/blog/in-pre</pre>\
                    <script>var u = \"https://x.example/blog/in-script\";</script>\
                    <!-- https://x.example/blog/in-comment -->\
                    <p><a href=\"javascript:void(0)\">https://x.example/blog/d</a></p>";
        assert_eq!(
            link_targets(body),
            [
                "https://x.example/blog/a",
                "/blog/b",
                "https://x.example/blog/d"
            ]
        );
    }

    #[test]
    fn markdown_links_autolinks_and_fenced_code() {
        let body = "A [note](/blog/note \"title\") and <https://x.example/blog/auto>.\n\n\
                    ```\nhttps://x.example/blog/in-fence\n```\n\n[ref]: /blog/unused\n";
        assert_eq!(
            link_targets(body),
            ["/blog/note", "https://x.example/blog/auto"]
        );
    }

    #[test]
    fn links_in_pre_count_and_urls_in_code_do_not() {
        let body = "<pre>open <a href=\"/blog/first-week\">the guide</a> https://x.example/in-pre \
                    <iframe src=\"https://video.example/v\"></iframe></pre>\
                    <p><code>https://x.example/in-code</code> <KBD>https://x.example/k</KBD> \
                    after https://x.example/after</p>\
                    <a href=\"/blog/whole\"><pre>all of it</pre></a>\
                    <pre><a href=\"/blog/blank\"> </a></pre>\n\n\
                    A `https://x.example/span` span and https://x.example/last\n";
        assert_eq!(
            link_targets(body),
            [
                "/blog/first-week",
                "https://x.example/after",
                "/blog/whole",
                "https://x.example/last"
            ]
        );
    }

    #[test]
    fn an_empty_anchor_is_no_link_and_an_iframe_is_one() {
        let body =
            "<p><a href=\"/blog/empty\"></a><iframe src=\"//video.example/v/1\"></iframe></p>";
        assert_eq!(link_targets(body), ["https://video.example/v/1"]);
    }
}

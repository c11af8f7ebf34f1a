//! The nesting pre-scan: a linear pass that drops tags nested deeper than
//! [`MAX_HTML_DEPTH`](super::MAX_HTML_DEPTH) before html5ever sees them, keeping their text.

use super::model::MAX_HTML_DEPTH;
use super::walk::DROPPED;

/// Elements that never have a closing tag.
pub(super) const VOID: &[&str] = &[
    "br", "img", "hr", "input", "meta", "link", "wbr", "source", "col", "area", "base", "embed",
    "param", "track", "keygen", "frame",
];
/// Elements the parser closes by itself when a sibling opens, so unclosed runs do not nest.
/// `a` is here because html5ever closes an open `<a>` when another one starts.
pub(super) const AUTO_CLOSING: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot",
    "colgroup", "a",
];
/// Elements whose content is raw text up to their closing tag (no tags inside).
pub(super) const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// A linear estimate of how deep html5ever will nest elements (open minus close tags,
/// ignoring void and self-closing-by-sibling elements, skipping comments and raw-text
/// contents) that flattens what would nest deeper than [`MAX_HTML_DEPTH`]: such an open tag is
/// dropped, and so is the closing tag that matches it, while the text between stays. An
/// element that is dropped with its content anyway ([`DROPPED`], such as `<svg>`) is removed
/// whole past the limit, so flattening never reveals what it hid. State carries across chunks
/// because a Markdown HTML block arrives one line at a time.
#[derive(Default)]
pub(super) struct TagScan {
    pub(super) depth: usize,
    /// Names of the open elements counted in `depth`, innermost last: an end tag closes every
    /// element opened after its own (as an HTML5 parser does), so an unknown `<x … />` or an
    /// unclosed `<p>` inside a `<div>` ends with the `</div>`.
    pub(super) names: NameStack,
    /// Open Markdown containers (quotes, lists, emphasis), counted apart from HTML.
    pub(super) markdown_depth: usize,
    /// Open `<pre>` elements, where a line at column 0 is still text of the element.
    pub(super) pre: usize,
    /// Inside `<svg>`/`<math>`, where `<x/>` really is self-closed.
    pub(super) foreign: usize,
    pub(super) in_comment: bool,
    pub(super) raw: Option<&'static str>,
    /// Open tags dropped past the limit, by lower-case name, so their closing tags go too.
    pub(super) dropped: Vec<(Vec<u8>, usize)>,
    /// Inside a dropped tag that continues past the end of the chunk (with its open quote).
    pub(super) dropping_tag: Option<Option<u8>>,
    /// Inside an element removed with its content: its name and how deep it nests in itself.
    pub(super) skipping: Option<(Vec<u8>, usize)>,
    /// Track the state only and write nothing (region splitting needs no copy).
    pub(super) discard: bool,
}

/// Where [`TagScan::scan`] writes what it keeps.
pub(super) trait Sink {
    fn push_str(&mut self, text: &str);
}

impl Sink for String {
    fn push_str(&mut self, text: &str) {
        String::push_str(self, text);
    }
}

/// Keeps nothing.
struct Discard;

impl Sink for Discard {
    fn push_str(&mut self, _: &str) {}
}

/// What to do with a tag.
pub(super) enum TagAction {
    Keep,
    /// Drop the tag, keep what follows.
    Drop,
    /// Drop the tag and everything up to its matching closing tag.
    Skip,
}

impl TagScan {
    /// A Markdown container opens; false when it would pass the limit (it is then flattened).
    /// Markdown containers have a budget of their own, so that HTML left unclosed above them
    /// (a CMS export's `<div>`s) does not flatten the Markdown trailer.
    pub(super) fn open_markdown(&mut self) -> bool {
        if self.markdown_depth >= MAX_HTML_DEPTH {
            return false;
        }
        self.markdown_depth += 1;
        true
    }

    pub(super) fn close_markdown(&mut self) {
        self.markdown_depth = self.markdown_depth.saturating_sub(1);
    }

    /// Copies a chunk of raw HTML to `out`, minus the tags flattened away (with `discard`,
    /// only follows it).
    pub(super) fn scan(&mut self, html: &str, out: &mut String) {
        if self.discard {
            let mut sink = Discard;
            return self.scan_into(html, &mut sink);
        }
        self.scan_into(html, out)
    }

    fn scan_into(&mut self, html: &str, out: &mut impl Sink) {
        let b = html.as_bytes();
        // `html[copied..i]` is still to be written; dropped ranges move `copied` past them.
        let mut copied = 0;
        let mut skip_from = self.skipping.as_ref().map(|_| 0);
        let mut i = 0;
        while i < b.len() {
            if let Some(quote) = self.dropping_tag {
                let end = match tag_end_from(b, i, quote) {
                    Ok(e) => {
                        self.dropping_tag = None;
                        e + 1
                    }
                    Err(q) => {
                        self.dropping_tag = Some(q);
                        b.len()
                    }
                };
                if skip_from.is_none() {
                    out.push_str(&html[copied..i]);
                    copied = end;
                }
                i = end;
                continue;
            }
            if self.in_comment {
                i = self.skip_comment(b, i);
                continue;
            }
            if let Some(raw) = self.raw {
                i = self.skip_raw(b, i, raw);
                continue;
            }
            let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|p| i + p) else {
                break;
            };
            let (next, action) = self.tag(b, lt + 1);
            match action {
                TagAction::Keep => {}
                TagAction::Drop if skip_from.is_some() => {}
                TagAction::Drop => {
                    out.push_str(&html[copied..lt]);
                    copied = next;
                }
                TagAction::Skip => {
                    out.push_str(&html[copied..lt]);
                    copied = lt;
                    skip_from = Some(lt);
                }
            }
            if self.skipping.is_none()
                && let Some(from) = skip_from.take()
            {
                // The skipped element ended in this chunk.
                debug_assert!(from >= copied);
                copied = next;
            }
            i = next;
        }
        if skip_from.is_none() {
            out.push_str(&html[copied..]);
        }
    }

    pub(super) fn skip_comment(&mut self, b: &[u8], i: usize) -> usize {
        match find(b, i, b"-->") {
            Some(p) => {
                self.in_comment = false;
                p + 3
            }
            None => b.len(),
        }
    }

    pub(super) fn skip_raw(&mut self, b: &[u8], mut i: usize, raw: &str) -> usize {
        while let Some(p) = find(b, i, b"</") {
            let name = tag_name(b, p + 2);
            if name.eq_ignore_ascii_case(raw.as_bytes()) {
                self.raw = None;
                return p + 2;
            }
            i = p + 2;
        }
        b.len()
    }

    /// Handles the markup after a `<` at `i`: where scanning continues and what becomes of
    /// the tag. A tag that does not end in this chunk continues in the next one.
    pub(super) fn tag(&mut self, b: &[u8], i: usize) -> (usize, TagAction) {
        if self.skipping.is_none() && b[i..].starts_with(b"!--") {
            self.in_comment = true;
            return (i + 3, TagAction::Keep);
        }
        let end = |this: &mut TagScan, action: TagAction| match tag_end_from(b, i, None) {
            Ok(e) => (e + 1, action),
            Err(quote) => {
                if matches!(action, TagAction::Drop | TagAction::Skip) {
                    this.dropping_tag = Some(quote);
                }
                (b.len(), action)
            }
        };
        match b.get(i) {
            Some(b'!' | b'?') => end(self, TagAction::Keep),
            Some(b'/') => {
                let name = lower(tag_name(b, i + 1));
                let action = self.close(&name);
                end(self, action)
            }
            // A tag whose name runs into `=` lost a space (`<imgsrc="x.svg" alt />` for
            // `<img src=…>`): an HTML5 parser makes it an unknown element that shows nothing
            // and, never closed, would swallow what follows. It is dropped.
            Some(c)
                if c.is_ascii_alphabetic() && b.get(i + tag_name(b, i).len()) == Some(&b'=') =>
            {
                end(self, TagAction::Drop)
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let name = lower(tag_name(b, i));
                let close = tag_end_from(b, i, None);
                let self_closing = close.is_ok_and(|e| e > i && b[e - 1] == b'/');
                let action = self.open(&name, self_closing);
                match close {
                    Ok(e) => (e + 1, action),
                    Err(quote) => {
                        if matches!(action, TagAction::Drop | TagAction::Skip) {
                            self.dropping_tag = Some(quote);
                        }
                        (b.len(), action)
                    }
                }
            }
            _ => (i, TagAction::Keep),
        }
    }

    pub(super) fn open(&mut self, name: &[u8], self_closing: bool) -> TagAction {
        if let Some((skip, nesting)) = &mut self.skipping {
            if name == skip.as_slice() && !self_closing {
                *nesting += 1;
            }
            return TagAction::Drop;
        }
        if is_one_of(name, VOID)
            || is_one_of(name, AUTO_CLOSING)
            || (self_closing && self.foreign > 0)
        {
            return TagAction::Keep;
        }
        if let Some(raw) = RAW_TEXT.iter().find(|r| name == r.as_bytes()) {
            // Raw-text elements hold no markup; their content is skipped, not counted.
            self.raw = Some(raw);
            return TagAction::Keep;
        }
        if self.depth >= MAX_HTML_DEPTH {
            if is_one_of(name, DROPPED) && !self_closing {
                self.skipping = Some((name.to_vec(), 1));
                return TagAction::Skip;
            }
            match self.dropped.iter_mut().find(|(n, _)| n == name) {
                Some((_, count)) => *count += 1,
                None => self.dropped.push((name.to_vec(), 1)),
            }
            return TagAction::Drop;
        }
        if is_one_of(name, &["svg", "math"]) {
            self.foreign += 1;
        }
        if is_one_of(name, &["pre", "listing"]) {
            self.pre += 1;
        }
        self.depth += 1;
        self.names.push(name);
        TagAction::Keep
    }

    pub(super) fn close(&mut self, name: &[u8]) -> TagAction {
        if let Some((skip, nesting)) = &mut self.skipping {
            if name == skip.as_slice() {
                *nesting -= 1;
                if *nesting == 0 {
                    self.skipping = None;
                }
            }
            return TagAction::Drop;
        }
        if name.is_empty() || is_one_of(name, VOID) || is_one_of(name, AUTO_CLOSING) {
            return TagAction::Keep;
        }
        if let Some((_, count)) = self.dropped.iter_mut().find(|(n, c)| n == name && *c > 0) {
            // The innermost open tags were the dropped ones, so they close first.
            *count -= 1;
            return TagAction::Drop;
        }
        if is_one_of(name, &["svg", "math"]) {
            self.foreign = self.foreign.saturating_sub(1);
        }
        if is_one_of(name, &["pre", "listing"]) {
            self.pre = self.pre.saturating_sub(1);
        }
        // It closes itself and whatever was left open inside it; a stray end tag (nothing of
        // that name is open) changes nothing, as in HTML.
        if let Some(at) = self.names.rposition(name) {
            self.names.truncate(at);
            self.depth = self.names.len();
        }
        TagAction::Keep
    }
}

/// A tag name in lower case, copied only when it has upper-case letters (rare): every tag of
/// every body passes here.
fn lower(name: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if name.iter().any(u8::is_ascii_uppercase) {
        std::borrow::Cow::Owned(name.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}

/// The names of the open tags, innermost last, in one buffer: pushing a tag allocates
/// nothing once the buffers have grown.
#[derive(Debug, Default, Clone)]
pub(super) struct NameStack {
    bytes: Vec<u8>,
    /// Where each name ends in `bytes`.
    ends: Vec<usize>,
}

impl NameStack {
    pub(super) fn push(&mut self, name: &[u8]) {
        self.bytes.extend_from_slice(name);
        self.ends.push(self.bytes.len());
    }

    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The place of the innermost open tag called `name`.
    pub(super) fn rposition(&self, name: &[u8]) -> Option<usize> {
        (0..self.ends.len()).rev().find(|&k| {
            let start = if k == 0 { 0 } else { self.ends[k - 1] };
            &self.bytes[start..self.ends[k]] == name
        })
    }

    /// Keeps the first `n` names.
    pub(super) fn truncate(&mut self, n: usize) {
        self.ends.truncate(n);
        self.bytes.truncate(self.ends.last().copied().unwrap_or(0));
    }
}

pub(super) fn is_one_of(name: &[u8], set: &[&str]) -> bool {
    set.iter().any(|s| name.eq_ignore_ascii_case(s.as_bytes()))
}

pub(super) fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(b.get(from..)?, needle).map(|p| from + p)
}

/// The tag name starting at `i` (letters, digits, `-`).
pub(super) fn tag_name(b: &[u8], i: usize) -> &[u8] {
    let rest = b.get(i..).unwrap_or(&[]);
    let len = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
        .count();
    &rest[..len]
}

/// The `>` that ends the tag whose text continues at `i`, skipping quoted attribute values;
/// `quote` is the quote open at `i`. `Err` holds the quote still open at the end of `b`.
pub(super) fn tag_end_from(b: &[u8], i: usize, mut quote: Option<u8>) -> Result<usize, Option<u8>> {
    // Jumps between the only bytes that matter: quotes and `>` (every tag of every body
    // passes here).
    let mut k = i.min(b.len());
    loop {
        match quote {
            Some(q) => match memchr::memchr(q, &b[k..]) {
                Some(p) => {
                    quote = None;
                    k += p + 1;
                }
                None => return Err(quote),
            },
            None => match memchr::memchr3(b'>', b'"', b'\'', &b[k..]) {
                Some(p) if b[k + p] == b'>' => return Ok(k + p),
                Some(p) => {
                    quote = Some(b[k + p]);
                    k += p + 1;
                }
                None => return Err(None),
            },
        }
    }
}

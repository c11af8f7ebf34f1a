//! Step 1: Markdown to HTML. HTML regions of a CMS export pass through untouched; the rest
//! goes through pulldown-cmark.

use super::depth::{TagScan, tag_name};

/// Inserts a blank line between a raw HTML line and a `---` line right below it. Without it the
/// `---` that opens the Markdown trailer would be swallowed by the HTML block (which only ends
/// at a blank line) and show up as literal text.
pub(super) fn separate_trailer(body: &str) -> std::borrow::Cow<'_, str> {
    let mut out = String::with_capacity(body.len() + 16);
    let mut inserted = false;
    let mut prev_is_html = false;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim();
        if prev_is_html && trimmed == "---" {
            out.push('\n');
            inserted = true;
        }
        out.push_str(line);
        prev_is_html = trimmed.starts_with('<');
    }
    if inserted {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(body)
    }
}

/// Converts a body to one HTML fragment, flattening nesting on the way.
///
/// A CMS export (its first line is an HTML tag) is cut into HTML regions and Markdown between
/// them ([`html_regions`]): the regions go to the HTML parser as they are, whatever their
/// indentation or blank lines, as a browser would read them; only the rest is Markdown. Any
/// other body is Markdown, where CommonMark decides what is HTML.
pub(super) fn body_to_html(body: &str) -> String {
    let mut emitter = Emitter {
        out: String::with_capacity(body.len() + body.len() / 8),
        ..Emitter::default()
    };
    if starts_an_html_region(body.trim_start()) {
        for (is_html, text) in html_regions(body) {
            if is_html {
                emitter.scan.scan(text, &mut emitter.out);
                emitter.out.push('\n');
            } else {
                emitter.markdown(text);
            }
        }
    } else {
        emitter.markdown(&separate_trailer(body));
    }
    emitter.finish_footnotes();
    emitter.out
}

/// The body as the HTML parser will get it, in pieces, for the link scan: a CMS export's
/// HTML regions as they are (the depth pre-scan only drops tags of pathological nesting, so
/// the scan can skip it and the copy), Markdown through the same emitter as
/// [`body_to_html`].
pub(super) fn html_pieces(body: &str) -> Vec<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    if !starts_an_html_region(body.trim_start()) {
        return vec![Cow::Owned(body_to_html(body))];
    }
    let mut pieces = Vec::new();
    let mut emitter = Emitter::default();
    for (is_html, text) in html_regions(body) {
        if is_html {
            pieces.push(Cow::Borrowed(text));
        } else {
            emitter.out.clear();
            emitter.markdown(text);
            pieces.push(Cow::Owned(std::mem::take(&mut emitter.out)));
        }
    }
    emitter.out.clear();
    emitter.finish_footnotes();
    pieces.push(Cow::Owned(emitter.out));
    pieces
}

/// Whether a line (without its indentation) opens raw HTML: a start tag whose name ends at
/// a space, `>`, `/` or the end of the line, a closing tag, or a comment or declaration.
/// `<https://…>` (a Markdown autolink) does not.
pub(super) fn starts_an_html_region(line: &str) -> bool {
    let b = line.as_bytes();
    match b.get(1) {
        _ if b.first() != Some(&b'<') => false,
        Some(b'!') => true,
        Some(b'/') => b.get(2).is_some_and(u8::is_ascii_alphabetic),
        Some(c) if c.is_ascii_alphabetic() => {
            let name = tag_name(b, 1);
            // `=` too: an export that lost the space in `<img src=…>` wrote `<imgsrc=…>`,
            // which an HTML5 parser reads as an (unknown) element, never as text.
            matches!(
                b.get(1 + name.len()),
                None | Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/' | b'=')
            )
        }
        _ => false,
    }
}

/// Cuts a CMS export into `(is_html, text)` parts. An HTML region starts at a line that
/// opens raw HTML ([`starts_an_html_region`]) and takes every following line, indented or
/// blank or a broken tag alike, until a line at column 0 that is Markdown again: one that
/// does not start with `<` once the region's tags are closed, or a `---` rule or `#` heading
/// (the trailer's own lines, which also end a region whose `<div>`s were never closed).
/// Lines inside `<pre>`, `<style>`, `<script>` or a comment never end a region.
pub(super) fn html_regions(body: &str) -> Vec<(bool, &str)> {
    let mut parts = Vec::new();
    let fresh = || TagScan {
        discard: true,
        ..TagScan::default()
    };
    let mut scan = fresh();
    let mut sink = String::new();
    let mut in_html = false;
    let mut fence: Option<&str> = None;
    let mut start = 0;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let text = line.trim_end();
        if in_html {
            let shielded = scan.raw.is_some() || scan.in_comment || scan.pre > 0;
            let markdown_again = !shielded
                && !text.is_empty()
                && !line.starts_with([' ', '\t', '<'])
                && (scan.depth == 0 || text == "---" || text.starts_with('#'));
            if markdown_again {
                parts.push((true, &body[start..offset]));
                start = offset;
                in_html = false;
                scan = fresh();
            }
        }
        if in_html {
        } else if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
        } else if starts_an_html_region(trimmed) {
            if start < offset {
                parts.push((false, &body[start..offset]));
            }
            start = offset;
            in_html = true;
        }
        if in_html {
            sink.clear();
            scan.scan(line, &mut sink);
        }
        offset += line.len();
    }
    if start < body.len() {
        parts.push((in_html, &body[start..]));
    }
    parts
}

/// Whether a Markdown element can nest in itself without bound (quotes, lists, emphasis) and
/// so counts towards [`MAX_HTML_DEPTH`]. Paragraphs, headings, links, tables, code and
/// images cannot, and are always written.
pub(super) fn nests(tag: &pulldown_cmark::Tag<'_>) -> bool {
    use pulldown_cmark::Tag;
    matches!(
        tag,
        Tag::BlockQuote(_)
            | Tag::List(_)
            | Tag::Item
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
    )
}

/// An image being collected: pulldown-cmark sends its alt text as events between start and end.
pub(super) struct PendingImage {
    src: String,
    alt: String,
    nesting: usize,
}

/// Writes HTML for pulldown-cmark events.
#[derive(Default)]
pub(super) struct Emitter {
    out: String,
    scan: TagScan,
    in_table_head: bool,
    /// For each open Markdown element: whether its tags were written (false past the
    /// nesting limit, where the element is flattened into its parent) and whether it counts
    /// towards that limit.
    open: Vec<(bool, bool)>,
    /// Footnote labels in the order they are numbered (first reference, or definition).
    footnote_order: Vec<String>,
    /// Footnote definitions written so far: label and HTML.
    footnotes: Vec<(String, String)>,
    /// Inside a footnote definition: its label and the output it interrupted.
    footnote: Option<(String, String)>,
    /// Column alignments of the Markdown table being written, and the next cell's column.
    table_align: Vec<pulldown_cmark::Alignment>,
    table_cell: usize,
    image: Option<PendingImage>,
}

impl Emitter {
    /// Writes a piece of Markdown.
    fn markdown(&mut self, text: &str) {
        use pulldown_cmark::{Options, Parser};
        let options =
            Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
        for event in Parser::new_ext(text, options) {
            self.event(event);
        }
        // A region cut short (an unclosed quote, say) must not leave elements open for the next.
        while !self.open.is_empty() {
            self.close_markdown();
        }
    }

    /// Handles one event.
    fn event(&mut self, event: pulldown_cmark::Event<'_>) {
        use pulldown_cmark::Event;
        if self.image.is_some() {
            return self.image_event(event);
        }
        match event {
            Event::Start(tag) => {
                let counted = nests(&tag) && self.scan.open_markdown();
                let written = counted || !nests(&tag);
                self.open.push((written, counted));
                if written || matches!(tag, pulldown_cmark::Tag::Image { .. }) {
                    self.start(tag);
                }
            }
            Event::End(tag) => {
                if self.close_markdown() {
                    self.end(tag);
                }
            }
            Event::Text(t) => escape_text(&t, &mut self.out),
            Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.out.push_str("<code>");
                escape_text(&t, &mut self.out);
                self.out.push_str("</code>");
            }
            Event::Html(t) | Event::InlineHtml(t) => self.scan.scan(&t, &mut self.out),
            Event::FootnoteReference(label) => {
                let n = self.footnote_number(&label);
                self.out.push_str(&format!("<sup>[^{n}]</sup>"));
            }
            Event::SoftBreak => self.out.push('\n'),
            Event::HardBreak => self.out.push_str("<br>\n"),
            Event::Rule => self.out.push_str("<hr>\n"),
            Event::TaskListMarker(done) => self.out.push_str(if done { "[x] " } else { "[ ] " }),
        }
    }

    /// The number of a footnote: numbered in order of first reference, like links.
    fn footnote_number(&mut self, label: &str) -> usize {
        match self.footnote_order.iter().position(|l| l == label) {
            Some(i) => i + 1,
            None => {
                self.footnote_order.push(label.to_owned());
                self.footnote_order.len()
            }
        }
    }

    /// Lists the footnotes at the end of the body under a `Notes` heading, in number order,
    /// each as `[^n] text`.
    fn finish_footnotes(&mut self) {
        if self.footnotes.is_empty() {
            return;
        }
        self.out.push_str("\n<h2>Notes</h2>\n");
        let mut notes = std::mem::take(&mut self.footnotes);
        notes.sort_by_key(|(label, _)| self.footnote_order.iter().position(|l| l == label));
        for (label, html) in notes {
            let n = self.footnote_number(&label);
            let html = html.trim_start();
            let rest = html.strip_prefix("<p>").unwrap_or(html);
            self.out.push_str(&format!("<p>[^{n}] {rest}"));
            if rest.len() == html.len() {
                self.out.push_str("</p>");
            }
            self.out.push('\n');
        }
    }

    /// Ends the innermost open Markdown element; whether its tags were written.
    fn close_markdown(&mut self) -> bool {
        let (written, counted) = self.open.pop().unwrap_or((false, false));
        if counted {
            self.scan.close_markdown();
        }
        written
    }

    /// Inside `![alt](src)`: text becomes the alt attribute, markup inside it is dropped.
    fn image_event(&mut self, event: pulldown_cmark::Event<'_>) {
        use pulldown_cmark::Event;
        let Some(image) = self.image.as_mut() else {
            return;
        };
        match event {
            Event::Start(_) => image.nesting += 1,
            Event::End(_) if image.nesting > 0 => image.nesting -= 1,
            Event::End(_) => {
                self.close_markdown();
                if let Some(image) = self.image.take() {
                    self.out.push_str("<img src=\"");
                    escape_attr(&image.src, &mut self.out);
                    self.out.push_str("\" alt=\"");
                    escape_attr(&image.alt, &mut self.out);
                    self.out.push_str("\">");
                }
            }
            Event::Text(t) | Event::Code(t) => image.alt.push_str(&t),
            Event::SoftBreak | Event::HardBreak => image.alt.push(' '),
            _ => {}
        }
    }

    fn start(&mut self, tag: pulldown_cmark::Tag<'_>) {
        use pulldown_cmark::Tag;
        let out = &mut self.out;
        match tag {
            Tag::Paragraph => out.push_str("<p>"),
            Tag::Heading { level, .. } => out.push_str(&format!("<h{}>", level as u8)),
            Tag::BlockQuote(_) => out.push_str("<blockquote>\n"),
            Tag::CodeBlock(_) => out.push_str("<pre><code>"),
            Tag::List(Some(start)) => out.push_str(&format!("<ol start=\"{start}\">\n")),
            Tag::List(None) => out.push_str("<ul>\n"),
            Tag::Item => out.push_str("<li>"),
            Tag::Table(align) => {
                self.table_align = align;
                out.push_str("<table>");
            }
            Tag::TableHead => {
                self.in_table_head = true;
                self.table_cell = 0;
                out.push_str("<thead><tr>");
            }
            Tag::TableRow => {
                self.table_cell = 0;
                out.push_str("<tr>");
            }
            Tag::TableCell => {
                use pulldown_cmark::Alignment;
                out.push_str(if self.in_table_head { "<th" } else { "<td" });
                match self.table_align.get(self.table_cell) {
                    Some(Alignment::Center) => out.push_str(" align=\"center\""),
                    Some(Alignment::Right) => out.push_str(" align=\"right\""),
                    _ => {}
                }
                out.push('>');
                self.table_cell += 1;
            }
            Tag::Emphasis => out.push_str("<em>"),
            Tag::Strong => out.push_str("<strong>"),
            Tag::Strikethrough => out.push_str("<del>"),
            Tag::Superscript => out.push_str("<sup>"),
            Tag::Subscript => out.push_str("<sub>"),
            Tag::Link { dest_url, .. } => {
                out.push_str("<a href=\"");
                escape_attr(&dest_url, out);
                out.push_str("\">");
            }
            Tag::Image { dest_url, .. } => {
                self.image = Some(PendingImage {
                    src: dest_url.to_string(),
                    alt: String::new(),
                    nesting: 0,
                });
            }
            Tag::DefinitionList => out.push_str("<dl>"),
            Tag::DefinitionListTitle => out.push_str("<dt>"),
            Tag::DefinitionListDefinition => out.push_str("<dd>"),
            Tag::FootnoteDefinition(label) => {
                // The definition is written aside and listed at the end of the body.
                let saved = std::mem::take(&mut self.out);
                self.footnote = Some((label.to_string(), saved));
            }
            Tag::HtmlBlock | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: pulldown_cmark::TagEnd) {
        use pulldown_cmark::TagEnd;
        let close = match tag {
            TagEnd::Paragraph => "</p>\n".to_owned(),
            TagEnd::Heading(level) => format!("</h{}>\n", level as u8),
            TagEnd::BlockQuote(_) => "</blockquote>\n".to_owned(),
            TagEnd::CodeBlock => "</code></pre>\n".to_owned(),
            TagEnd::List(true) => "</ol>\n".to_owned(),
            TagEnd::List(false) => "</ul>\n".to_owned(),
            TagEnd::Item => "</li>\n".to_owned(),
            TagEnd::Table => "</tbody></table>\n".to_owned(),
            TagEnd::TableHead => {
                self.in_table_head = false;
                "</tr></thead><tbody>".to_owned()
            }
            TagEnd::TableRow => "</tr>".to_owned(),
            TagEnd::TableCell => if self.in_table_head { "</th>" } else { "</td>" }.to_owned(),
            TagEnd::Emphasis => "</em>".to_owned(),
            TagEnd::Strong => "</strong>".to_owned(),
            TagEnd::Strikethrough => "</del>".to_owned(),
            TagEnd::Superscript => "</sup>".to_owned(),
            TagEnd::Subscript => "</sub>".to_owned(),
            TagEnd::Link => "</a>".to_owned(),
            TagEnd::DefinitionList => "</dl>".to_owned(),
            TagEnd::DefinitionListTitle => "</dt>".to_owned(),
            TagEnd::DefinitionListDefinition => "</dd>".to_owned(),
            TagEnd::FootnoteDefinition => {
                if let Some((label, saved)) = self.footnote.take() {
                    let text = std::mem::replace(&mut self.out, saved);
                    self.footnote_number(&label);
                    self.footnotes.push((label, text));
                }
                String::new()
            }
            TagEnd::Image | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_) => String::new(),
        };
        self.out.push_str(&close);
    }
}

pub(super) fn escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

pub(super) fn escape_attr(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("&quot;"),
            _ => escape_text(c.encode_utf8(&mut [0; 4]), out),
        }
    }
}

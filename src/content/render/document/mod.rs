//! One rendering pipeline for article bodies.
//!
//! A body is CMS-exported HTML followed by Markdown trailer sections, or plain Markdown from
//! another static-site generator. Both go through the same steps:
//!
//! 1. Markdown is turned into HTML with pulldown-cmark; raw HTML passes through untouched,
//!    so a Webflow body and its Markdown trailer become one HTML fragment. In a CMS export the
//!    HTML regions (the body, widgets in the trailer) skip Markdown altogether, whatever their
//!    indentation. Footnotes are numbered and listed at the end.
//! 2. That fragment is parsed by html2text's html5ever front end into a DOM, after a cheap
//!    linear pre-scan that flattens pathological nesting (html5ever is quadratic on it): the
//!    tags past [`MAX_HTML_DEPTH`] go, their text stays.
//! 3. The DOM is walked into a width-independent [`Document`]: blocks with inline spans, links
//!    numbered in reading order.
//!
//! Wrapping to a width lives in [`crate::content::render::layout`].

/// A rendered article body, independent of any width.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Top-level blocks in reading order.
    pub blocks: Vec<Block>,
    /// Every link in reading order; `Inline::link` indexes into this (link `[n]` is `links[n-1]`).
    pub links: Vec<Link>,
}

/// A block-level element.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading; `level` is 1..=6 as in HTML.
    Heading { level: u8, text: Vec<Inline> },
    /// A paragraph of inline text. Hard line breaks are `Inline` spans holding `"\n"`.
    Paragraph(Vec<Inline>),
    /// A list. `start` is `Some(n)` for an ordered list numbered from `n`, `None` for bullets.
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    /// A block quote.
    Quote(Vec<Block>),
    /// A table: the header row (may be empty) and body rows of cells, placed on a grid
    /// (`colspan` and `rowspan` already resolved into each cell's column).
    Table {
        header: Vec<Cell>,
        rows: Vec<Vec<Cell>>,
    },
    /// A horizontal rule (a `---` between trailer sections, or `<hr>`).
    Rule,
    /// An image alone in its paragraph, shown as `[image: alt]` (images inside text are inline
    /// spans, see [`InlineStyle::image`]).
    Image { alt: String, src: String },
    /// Preformatted text (`<pre>`, fenced code), kept line for line.
    Code(String),
}

/// One table cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// The cell's content as one run of inline text.
    pub text: Vec<Inline>,
    /// The first grid column the cell occupies: cells of a row are in column order, and a
    /// `rowspan` from a row above moves the cells of the rows it covers to the right.
    pub column: usize,
    /// How many grid columns the cell spans (`colspan`), at least 1.
    pub colspan: usize,
    /// Horizontal alignment (`align`, `style="text-align: …"`, or Markdown `:--:`/`--:`).
    pub align: Align,
}

/// Horizontal alignment of a table cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Flush left (the default).
    #[default]
    Left,
    /// Centred in the column.
    Center,
    /// Flush right (numbers, usually).
    Right,
}

impl Cell {
    /// A one-column cell at `column` holding `text`, aligned left.
    pub fn new(text: Vec<Inline>, column: usize) -> Cell {
        Cell {
            text,
            column,
            colspan: 1,
            align: Align::Left,
        }
    }
}

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Inline {
    pub text: String,
    pub style: InlineStyle,
    /// Index into [`Document::links`] when this span is (part of) a link's text.
    pub link: Option<usize>,
}

/// Emphasis carried by an inline span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InlineStyle {
    pub bold: bool,
    pub italic: bool,
    pub code: bool,
    /// Struck out (`<del>`, `<s>`, `~~text~~`): the meaning is "not this", so it must stay
    /// visibly struck.
    pub strike: bool,
    /// An image inside running text (or inside a link): the span's text is its alt text, or
    /// its file name when it has none.
    pub image: bool,
}

/// A link target found in the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub url: String,
    /// The slug of the library article this URL points to, filled in by
    /// [`Document::resolve_links`]; `None` for external links.
    pub internal: Option<String>,
}

impl Document {
    /// Marks links that point into the library. `resolve` maps a URL to a known slug.
    pub fn resolve_links(&mut self, resolve: impl Fn(&str) -> Option<String>) {
        for link in &mut self.links {
            link.internal = resolve(&link.url);
        }
    }
}

impl Inline {
    /// A hard line break (`<br>`): a span holding exactly `"\n"`.
    pub fn line_break() -> Inline {
        Inline {
            text: "\n".to_owned(),
            ..Inline::default()
        }
    }

    /// Whether this span is a hard line break.
    pub fn is_break(&self) -> bool {
        self.text == "\n"
    }
}

/// Deepest tag nesting rendered as written. html5ever's tree builder is quadratic in nesting
/// depth (16k nested `<div>` take about two seconds), so tags that would nest deeper are
/// dropped before parsing and their text is kept: the article is flattened, never refused.
pub const MAX_HTML_DEPTH: usize = 200;

/// Why a body could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentError {
    /// The HTML parser itself failed (it reads from memory, so this should not happen).
    Html { message: String },
}

impl DocumentError {
    /// The 1-based line of the body the error points at (1 when it has no position).
    pub fn line(&self) -> usize {
        match self {
            DocumentError::Html { .. } => 1,
        }
    }
}

impl std::fmt::Display for DocumentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DocumentError::Html { message } => write!(
                f,
                "the body's HTML could not be parsed ({message}); re-export the article or fix \
                 its markup"
            ),
        }
    }
}

impl std::error::Error for DocumentError {}

/// Renders an article body (everything after the frontmatter) into a [`Document`].
///
/// Never panics and never refuses a body for its shape: nesting deeper than
/// [`MAX_HTML_DEPTH`] is flattened.
pub fn parse(body: &str) -> Result<Document, DocumentError> {
    let html = body_to_html(body);
    let dom = html2text::config::plain()
        .parse_html(html.as_bytes())
        .map_err(|e| DocumentError::Html {
            message: e.to_string(),
        })?;
    let mut builder = Builder::default();
    let mut sink = Sink::default();
    builder.node(&dom.document, Ctx::default(), &mut sink);
    let mut blocks = sink.finish();
    let links = renumber_links(&mut blocks, &builder.links);
    Ok(Document { blocks, links })
}

// ---------------------------------------------------------------------------------------------
// Step 1: Markdown to HTML
// ---------------------------------------------------------------------------------------------

/// Inserts a blank line between a raw HTML line and a `---` line right below it. Without it the
/// `---` that opens the Markdown trailer would be swallowed by the HTML block (which only ends
/// at a blank line) and show up as literal text.
fn separate_trailer(body: &str) -> std::borrow::Cow<'_, str> {
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
fn body_to_html(body: &str) -> String {
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

/// Whether a line (without its indentation) opens raw HTML: a start tag whose name ends at
/// a space, `>`, `/` or the end of the line, a closing tag, or a comment or declaration.
/// `<https://…>` (a Markdown autolink) does not.
fn starts_an_html_region(line: &str) -> bool {
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
fn html_regions(body: &str) -> Vec<(bool, &str)> {
    let mut parts = Vec::new();
    let mut scan = TagScan::default();
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
                scan = TagScan::default();
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
fn nests(tag: &pulldown_cmark::Tag<'_>) -> bool {
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
struct PendingImage {
    src: String,
    alt: String,
    nesting: usize,
}

/// Writes HTML for pulldown-cmark events.
#[derive(Default)]
struct Emitter {
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

fn escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

fn escape_attr(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("&quot;"),
            _ => escape_text(c.encode_utf8(&mut [0; 4]), out),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The nesting pre-scan
// ---------------------------------------------------------------------------------------------

/// Elements that never have a closing tag.
const VOID: &[&str] = &[
    "br", "img", "hr", "input", "meta", "link", "wbr", "source", "col", "area", "base", "embed",
    "param", "track", "keygen", "frame",
];
/// Elements the parser closes by itself when a sibling opens, so unclosed runs do not nest.
/// `a` is here because html5ever closes an open `<a>` when another one starts.
const AUTO_CLOSING: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot",
    "colgroup", "a",
];
/// Elements whose content is raw text up to their closing tag (no tags inside).
const RAW_TEXT: &[&str] = &[
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
struct TagScan {
    depth: usize,
    /// Names of the open elements counted in `depth`, innermost last: an end tag closes every
    /// element opened after its own (as an HTML5 parser does), so an unknown `<x … />` or an
    /// unclosed `<p>` inside a `<div>` ends with the `</div>`.
    names: Vec<Vec<u8>>,
    /// Open Markdown containers (quotes, lists, emphasis), counted apart from HTML.
    markdown_depth: usize,
    /// Open `<pre>` elements, where a line at column 0 is still text of the element.
    pre: usize,
    /// Inside `<svg>`/`<math>`, where `<x/>` really is self-closed.
    foreign: usize,
    in_comment: bool,
    raw: Option<&'static str>,
    /// Open tags dropped past the limit, by lower-case name, so their closing tags go too.
    dropped: Vec<(Vec<u8>, usize)>,
    /// Inside a dropped tag that continues past the end of the chunk (with its open quote).
    dropping_tag: Option<Option<u8>>,
    /// Inside an element removed with its content: its name and how deep it nests in itself.
    skipping: Option<(Vec<u8>, usize)>,
}

/// What to do with a tag.
enum TagAction {
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
    fn open_markdown(&mut self) -> bool {
        if self.markdown_depth >= MAX_HTML_DEPTH {
            return false;
        }
        self.markdown_depth += 1;
        true
    }

    fn close_markdown(&mut self) {
        self.markdown_depth = self.markdown_depth.saturating_sub(1);
    }

    /// Copies a chunk of raw HTML to `out`, minus the tags flattened away.
    fn scan(&mut self, html: &str, out: &mut String) {
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

    fn skip_comment(&mut self, b: &[u8], i: usize) -> usize {
        match find(b, i, b"-->") {
            Some(p) => {
                self.in_comment = false;
                p + 3
            }
            None => b.len(),
        }
    }

    fn skip_raw(&mut self, b: &[u8], mut i: usize, raw: &str) -> usize {
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
    fn tag(&mut self, b: &[u8], i: usize) -> (usize, TagAction) {
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
                let name = tag_name(b, i + 1).to_ascii_lowercase();
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
                let name = tag_name(b, i).to_ascii_lowercase();
                let self_closing =
                    tag_end_from(b, i, None).is_ok_and(|e| e > i && b[e - 1] == b'/');
                let action = self.open(&name, self_closing);
                end(self, action)
            }
            _ => (i, TagAction::Keep),
        }
    }

    fn open(&mut self, name: &[u8], self_closing: bool) -> TagAction {
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
        self.names.push(name.to_vec());
        TagAction::Keep
    }

    fn close(&mut self, name: &[u8]) -> TagAction {
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
        if let Some(at) = self.names.iter().rposition(|n| n.as_slice() == name) {
            self.names.truncate(at);
            self.depth = self.names.len();
        }
        TagAction::Keep
    }
}

fn is_one_of(name: &[u8], set: &[&str]) -> bool {
    set.iter().any(|s| name.eq_ignore_ascii_case(s.as_bytes()))
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// The tag name starting at `i` (letters, digits, `-`).
fn tag_name(b: &[u8], i: usize) -> &[u8] {
    let rest = b.get(i..).unwrap_or(&[]);
    let len = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
        .count();
    &rest[..len]
}

/// The `>` that ends the tag whose text continues at `i`, skipping quoted attribute values;
/// `quote` is the quote open at `i`. `Err` holds the quote still open at the end of `b`.
fn tag_end_from(b: &[u8], i: usize, mut quote: Option<u8>) -> Result<usize, Option<u8>> {
    for (k, &c) in b.iter().enumerate().skip(i) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, b'>') => return Ok(k),
            _ => {}
        }
    }
    Err(quote)
}

// ---------------------------------------------------------------------------------------------
// Step 3: walking the DOM
// ---------------------------------------------------------------------------------------------

/// How deep the walk descends. The pre-scan keeps real bodies far below this; it only guards
/// the recursion against trees the scan under-estimated.
const MAX_WALK_DEPTH: usize = 2 * MAX_HTML_DEPTH + 50;

/// Elements dropped together with everything inside them.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "form", "button", "input", "select",
    "textarea", "object", "embed", "canvas", "math", "audio", "video", "title", "noembed",
    "noframes", "frameset", "map", "dialog",
];
/// Elements that start and end a paragraph but are otherwise transparent.
const BLOCKISH: &[&str] = &[
    "p", "div", "section", "article", "header", "footer", "main", "nav", "aside", "figure",
    "center", "address", "details", "summary", "dl", "dt", "dd", "fieldset", "legend", "hgroup",
    "html", "body", "li", "caption", "menu", "dir", "search",
];

/// Inline elements: their boundaries are not word boundaries.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time",
    "tt", "u", "var",
];

/// Inherited inline state.
#[derive(Clone, Copy, Default)]
struct Ctx {
    style: InlineStyle,
    link: Option<usize>,
    depth: usize,
}

impl Ctx {
    fn deeper(self) -> Ctx {
        Ctx {
            depth: self.depth + 1,
            ..self
        }
    }
}

/// Where walked content goes: finished blocks plus the paragraph being collected.
#[derive(Default)]
struct Sink {
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
    /// The source of the last image added to `inlines`.
    image_src: Option<String>,
}

impl Sink {
    /// Ends the current paragraph (dropping it when nothing visible is left after clean-up).
    /// A paragraph that is one image and nothing else, outside any link, is an image block.
    fn flush(&mut self) {
        let mut spans = clean_inlines(std::mem::take(&mut self.inlines), true);
        let src = self.image_src.take();
        match spans.as_mut_slice() {
            [] => {}
            [only] if only.style.image && only.link.is_none() => {
                self.blocks.push(Block::Image {
                    alt: std::mem::take(&mut only.text),
                    src: src.unwrap_or_default(),
                });
            }
            _ => self.blocks.push(Block::Paragraph(spans)),
        }
    }

    fn push_block(&mut self, block: Block) {
        self.flush();
        self.blocks.push(block);
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush();
        self.blocks
    }
}

#[derive(Default)]
struct Builder {
    links: Vec<Link>,
}

type Handle = html2text::Handle;

/// The element name of `node`, if it is an element.
fn element_name(node: &Handle) -> Option<&str> {
    match &node.data {
        html2text::Element { name, .. } => Some(&name.local),
        _ => None,
    }
}

/// An attribute value of `node`.
fn attr(node: &Handle, key: &str) -> Option<String> {
    match &node.data {
        html2text::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == key)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

/// The text of a text node.
///
/// html2text re-exports only the `Element`, `Document` and `Comment` variants of its node type,
/// so a text node cannot be matched by name. Serializing the node instead gives its text as
/// html5ever writes it outside attributes: it escapes exactly `&` (`&amp;`), U+00A0 (`&nbsp;`),
/// `<` (`&lt;`) and `>` (`&gt;`), and nothing else, so undoing those four restores the text.
/// Doctypes and processing instructions, the other unnamed variants, serialize as `<!…`/`<?…`,
/// which escaped text never starts with, so they are told apart and skipped.
fn node_text(node: &Handle) -> Option<String> {
    let mut buf = Vec::new();
    node.serialize(&mut buf).ok()?;
    let text = String::from_utf8(buf).ok()?;
    if text.starts_with("<!") || text.starts_with("<?") {
        return None;
    }
    Some(unescape_serialized(&text))
}

/// Undoes html5ever's text escaping (see [`node_text`]) in one pass, so `&amp;lt;` correctly
/// becomes `&lt;` rather than `<`.
fn unescape_serialized(text: &str) -> String {
    const ENTITIES: [(&str, char); 4] = [
        ("&amp;", '&'),
        ("&nbsp;", '\u{A0}'),
        ("&lt;", '<'),
        ("&gt;", '>'),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
            Some((e, c)) => {
                out.push(*c);
                rest = &rest[e.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

impl Builder {
    fn children(&mut self, node: &Handle, ctx: Ctx, sink: &mut Sink) {
        if ctx.depth >= MAX_WALK_DEPTH {
            // Deeper than the walk recurses: the text is kept, flattened, without markup.
            let text = descendant_text(node);
            self.text(&text, ctx, sink);
            return;
        }
        for child in node.children.borrow().iter() {
            self.node(child, ctx.deeper(), sink);
        }
    }

    fn node(&mut self, node: &Handle, ctx: Ctx, sink: &mut Sink) {
        match &node.data {
            html2text::Element { name, .. } => self.element(&name.local, node, ctx, sink),
            html2text::Document => self.children(node, ctx, sink),
            html2text::Comment { .. } => {}
            _ => {
                if let Some(text) = node_text(node) {
                    self.text(&text, ctx, sink);
                }
            }
        }
    }

    fn element(&mut self, tag: &str, node: &Handle, ctx: Ctx, sink: &mut Sink) {
        let styled = |f: fn(&mut InlineStyle)| {
            let mut c = ctx;
            f(&mut c.style);
            c
        };
        match tag {
            _ if DROPPED.contains(&tag) => {}
            "br" => sink.inlines.push(Inline::line_break()),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = tag.as_bytes()[1] - b'0';
                self.heading(level, node, ctx, sink);
            }
            "ul" => self.list(node, None, ctx, sink),
            "ol" => self.list(
                node,
                Some(parse_start(attr(node, "start").as_deref())),
                ctx,
                sink,
            ),
            "blockquote" => self.quote(node, ctx, sink),
            "table" => self.table(node, ctx, sink),
            "hr" => sink.push_block(Block::Rule),
            "img" => image(node, ctx, sink),
            "iframe" => self.iframe(node, sink),
            "pre" => pre(node, sink),
            "figcaption" => self.caption(node, ctx, sink),
            "strong" | "b" => self.children(node, styled(|s| s.bold = true), sink),
            "em" | "i" => self.children(node, styled(|s| s.italic = true), sink),
            "code" | "kbd" | "samp" | "tt" => self.children(node, styled(|s| s.code = true), sink),
            "del" | "s" | "strike" => self.children(node, styled(|s| s.strike = true), sink),
            "a" => self.anchor(node, ctx, sink),
            _ if BLOCKISH.contains(&tag) => {
                sink.flush();
                self.children(node, ctx, sink);
                sink.flush();
            }
            _ => self.children(node, ctx, sink),
        }
    }

    /// Text goes into the current paragraph; bare `http(s)://` URLs outside links become links.
    fn text(&mut self, text: &str, ctx: Ctx, sink: &mut Sink) {
        // A text node of just a newline is a soft break, not the `<br>` marker it would look
        // like (a span of exactly "\n").
        let text = if text == "\n" { " " } else { text };
        if ctx.link.is_some() {
            sink.inlines.push(Inline {
                text: text.to_owned(),
                style: ctx.style,
                link: ctx.link,
            });
            return;
        }
        let mut last = 0;
        for (start, end) in bare_urls(text) {
            if start > last {
                sink.inlines.push(Inline {
                    text: text[last..start].to_owned(),
                    style: ctx.style,
                    link: None,
                });
            }
            let url = &text[start..end];
            let link = self.add_link(url);
            sink.inlines.push(Inline {
                text: url.to_owned(),
                style: ctx.style,
                link,
            });
            last = end;
        }
        if last < text.len() {
            sink.inlines.push(Inline {
                text: text[last..].to_owned(),
                style: ctx.style,
                link: None,
            });
        }
    }

    /// Registers a link target; `None` for targets not worth following (empty, `javascript:`,
    /// `data:`).
    fn add_link(&mut self, raw: &str) -> Option<usize> {
        let url = clean_url(raw);
        let lower = url.to_ascii_lowercase();
        if url.is_empty() || lower.starts_with("javascript:") || lower.starts_with("data:") {
            return None;
        }
        self.links.push(Link {
            url,
            internal: None,
        });
        Some(self.links.len() - 1)
    }

    fn anchor(&mut self, node: &Handle, ctx: Ctx, sink: &mut Sink) {
        let link = attr(node, "href").and_then(|href| self.add_link(&href));
        let ctx = Ctx {
            link: link.or(ctx.link),
            ..ctx
        };
        self.children(node, ctx, sink);
    }

    /// Collects an element's content as one run of inline text (for headings, captions and
    /// table cells, which hold no blocks in the model).
    fn inline_content(&mut self, node: &Handle, ctx: Ctx) -> Vec<Inline> {
        let mut inner = Sink::default();
        self.children(node, ctx, &mut inner);
        flatten(inner.finish())
    }

    fn heading(&mut self, level: u8, node: &Handle, ctx: Ctx, sink: &mut Sink) {
        sink.flush();
        let mut text = self.inline_content(node, ctx);
        // Heading style already implies bold; `<h2><strong>…</strong></h2>` must not double it.
        for span in &mut text {
            span.style.bold = false;
        }
        let text = merge_spans(text);
        if !text.is_empty() {
            sink.push_block(Block::Heading { level, text });
        }
    }

    fn caption(&mut self, node: &Handle, ctx: Ctx, sink: &mut Sink) {
        sink.flush();
        let mut text = self.inline_content(node, ctx);
        for span in &mut text {
            span.style.italic = true;
        }
        if !text.is_empty() {
            sink.push_block(Block::Paragraph(merge_spans(text)));
        }
    }

    fn list(&mut self, node: &Handle, start: Option<u64>, ctx: Ctx, sink: &mut Sink) {
        sink.flush();
        let ctx = ctx.deeper();
        let mut items = Vec::new();
        let mut loose = Sink::default();
        for child in node.children.borrow().iter() {
            if element_name(child) == Some("li") {
                push_item(&mut items, std::mem::take(&mut loose));
                let mut item = Sink::default();
                self.children(child, ctx, &mut item);
                push_item(&mut items, item);
            } else if ctx.depth < MAX_WALK_DEPTH {
                // Stray content between items (text, a nested list) becomes an item of its own.
                self.node(child, ctx, &mut loose);
            }
        }
        push_item(&mut items, loose);
        if !items.is_empty() {
            sink.push_block(Block::List { start, items });
        }
    }

    fn quote(&mut self, node: &Handle, ctx: Ctx, sink: &mut Sink) {
        sink.flush();
        let mut inner = Sink::default();
        self.children(node, ctx, &mut inner);
        let blocks = inner.finish();
        if !blocks.is_empty() {
            sink.push_block(Block::Quote(blocks));
        }
    }

    fn table(&mut self, node: &Handle, ctx: Ctx, sink: &mut Sink) {
        sink.flush();
        let mut rows = Vec::new();
        self.collect_rows(node, ctx, false, &mut rows, sink);
        let mut grid = place_cells(rows);
        grid.retain(|r| r.cells.iter().any(|c| !c.text.is_empty()));
        let Some(first) = grid.first() else { return };
        let has_header = first.in_head || first.all_th;
        let mut rows = grid.into_iter();
        let header = if has_header {
            rows.next().map(|r| r.cells).unwrap_or_default()
        } else {
            Vec::new()
        };
        let rows = rows.map(|r| r.cells).collect();
        sink.push_block(Block::Table { header, rows });
    }

    /// Gathers `tr` rows from a table and its `thead`/`tbody`/`tfoot` sections; a `caption`
    /// becomes a paragraph before the table.
    fn collect_rows(
        &mut self,
        node: &Handle,
        ctx: Ctx,
        in_head: bool,
        rows: &mut Vec<Row>,
        sink: &mut Sink,
    ) {
        for child in node.children.borrow().iter() {
            match element_name(child) {
                Some("thead") => self.collect_rows(child, ctx, true, rows, sink),
                Some("tbody" | "tfoot") => self.collect_rows(child, ctx, in_head, rows, sink),
                Some("tr") => rows.push(self.row(child, ctx, in_head)),
                Some("caption") => self.caption(child, ctx, sink),
                _ => {}
            }
        }
    }

    fn row(&mut self, node: &Handle, ctx: Ctx, in_head: bool) -> Row {
        let mut cells = Vec::new();
        let mut all_th = true;
        for child in node.children.borrow().iter() {
            let name = element_name(child);
            if matches!(name, Some("td" | "th")) {
                all_th &= name == Some("th");
                cells.push(RawCell {
                    text: self.inline_content(child, ctx.deeper()),
                    colspan: span_attr(attr(child, "colspan").as_deref(), MAX_COLSPAN),
                    rowspan: span_attr(attr(child, "rowspan").as_deref(), MAX_ROWSPAN),
                    align: cell_align(child),
                });
            }
        }
        Row {
            in_head,
            all_th: all_th && !cells.is_empty(),
            cells,
        }
    }

    /// An embedded frame (usually a video) becomes a paragraph linking to its source.
    fn iframe(&mut self, node: &Handle, sink: &mut Sink) {
        let Some(src) = attr(node, "src").map(|s| absolute_url(&s)) else {
            return;
        };
        let Some(link) = self.add_link(&src) else {
            return;
        };
        let title = attr(node, "title")
            .map(|t| collapse_text(&t))
            .unwrap_or_default();
        let label = if title.is_empty() {
            url_host(&self.links[link].url).to_owned()
        } else {
            title
        };
        let text = format!("Embedded video: {label}");
        sink.push_block(Block::Paragraph(vec![Inline {
            text,
            style: InlineStyle::default(),
            link: Some(link),
        }]));
    }
}

/// A table row while it is collected.
struct Row {
    in_head: bool,
    all_th: bool,
    cells: Vec<RawCell>,
}

/// A cell as written, before it is placed on the grid.
struct RawCell {
    text: Vec<Inline>,
    colspan: usize,
    rowspan: usize,
    align: Align,
}

/// A row placed on the grid.
struct PlacedRow {
    in_head: bool,
    all_th: bool,
    cells: Vec<Cell>,
}

/// Widest `colspan` honoured (HTML allows 1000; a terminal table that wide helps nobody).
const MAX_COLSPAN: usize = 64;
/// Widest grid a table is placed on (see [`place_cells`]).
const MAX_GRID_COLUMNS: usize = 1000;
/// Tallest `rowspan` honoured; `rowspan="0"` (to the end of the table) counts as this too.
const MAX_ROWSPAN: usize = 1000;

/// `colspan`/`rowspan`: a positive number, at most `max`; `0` means "all the rest" and is
/// capped the same way; anything else is 1.
fn span_attr(value: Option<&str>, max: usize) -> usize {
    match value.and_then(|v| v.trim().parse::<usize>().ok()) {
        Some(0) => max,
        Some(n) => n.min(max),
        None => 1,
    }
}

/// A cell's alignment from `align="…"` or a `text-align` declaration in `style`.
fn cell_align(node: &Handle) -> Align {
    let from_style = attr(node, "style").and_then(|style| {
        style.split(';').find_map(|decl| {
            let (key, value) = decl.split_once(':')?;
            (key.trim().eq_ignore_ascii_case("text-align")).then(|| value.trim().to_owned())
        })
    });
    match from_style
        .or_else(|| attr(node, "align"))
        .map(|v| v.trim().to_ascii_lowercase())
        .as_deref()
    {
        Some("center") => Align::Center,
        Some("right" | "end") => Align::Right,
        _ => Align::Left,
    }
}

/// Places cells on the grid as a browser does: each cell takes the first column not covered by
/// a `rowspan` from above, and covers `colspan` columns; its rowspan covers those columns in
/// the rows below.
fn place_cells(rows: Vec<Row>) -> Vec<PlacedRow> {
    // For each column, how many more rows a rowspan above still covers.
    let mut covered: Vec<usize> = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut cells = Vec::with_capacity(row.cells.len());
        let mut column = 0;
        let mut next_covered = covered
            .iter()
            .map(|n| n.saturating_sub(1))
            .collect::<Vec<_>>();
        for raw in row.cells {
            while covered.get(column).is_some_and(|&n| n > 0) {
                column += 1;
            }
            // Past this many columns no grid fits any terminal (the table is stacked), so
            // spans are cut there to keep placement linear; cells still keep their order.
            column = column.min(MAX_GRID_COLUMNS - 1);
            let end = (column + raw.colspan).min(MAX_GRID_COLUMNS).max(column + 1);
            if next_covered.len() < end {
                next_covered.resize(end, 0);
            }
            for slot in &mut next_covered[column..end] {
                *slot = (*slot).max(raw.rowspan - 1);
            }
            cells.push(Cell {
                text: raw.text,
                column,
                colspan: end - column,
                align: raw.align,
            });
            column = end;
        }
        covered = next_covered;
        out.push(PlacedRow {
            in_head: row.in_head,
            all_th: row.all_th,
            cells,
        });
    }
    out
}

fn push_item(items: &mut Vec<Vec<Block>>, sink: Sink) {
    let blocks = sink.finish();
    if !blocks.is_empty() {
        items.push(blocks);
    }
}

/// `<ol start>`: empty, negative or out-of-range values fall back to 1.
fn parse_start(value: Option<&str>) -> u64 {
    value
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
}

/// An image is inline text: it stays inside its sentence and inside its link. A paragraph
/// that holds nothing else becomes a [`Block::Image`] (see [`Sink::flush`]).
fn image(node: &Handle, ctx: Ctx, sink: &mut Sink) {
    let src = attr(node, "src")
        .or_else(|| attr(node, "data-src"))
        .map(|s| clean_url(&s))
        .unwrap_or_default();
    let mut alt = attr(node, "alt")
        .map(|a| collapse_text(&a))
        .unwrap_or_default();
    if alt.is_empty() {
        alt = collapse_text(file_name(&src));
    }
    if !alt.is_empty() {
        sink.inlines.push(Inline {
            text: alt,
            style: InlineStyle {
                image: true,
                ..ctx.style
            },
            link: ctx.link,
        });
        sink.image_src = Some(src);
    }
}

/// `<pre>` keeps its text line for line.
fn pre(node: &Handle, sink: &mut Sink) {
    let mut raw = String::new();
    raw_text(node, 0, &mut raw);
    let code = clean_code(&raw);
    if !code.is_empty() {
        sink.push_block(Block::Code(code));
    }
}

fn raw_text(node: &Handle, depth: usize, out: &mut String) {
    if depth >= MAX_WALK_DEPTH {
        out.push_str(&descendant_text(node));
        return;
    }
    for child in node.children.borrow().iter() {
        match element_name(child) {
            Some("br") => out.push('\n'),
            Some(tag) if DROPPED.contains(&tag) => {}
            Some(_) => raw_text(child, depth + 1, out),
            None => out.push_str(&node_text(child).unwrap_or_default()),
        }
    }
}

/// The text inside `node`, gathered without recursion (for trees deeper than the walk goes):
/// `<br>` is a line break, elements dropped with their content stay dropped, and every
/// boundary of a non-inline element is a space so that words of neighbouring blocks do not
/// run together.
fn descendant_text(node: &Handle) -> String {
    let mut out = String::new();
    // `None` marks the end of a block element: a space goes there too.
    let mut stack: Vec<Option<Handle>> = node
        .children
        .borrow()
        .iter()
        .rev()
        .cloned()
        .map(Some)
        .collect();
    while let Some(next) = stack.pop() {
        let Some(next) = next else {
            out.push(' ');
            continue;
        };
        match element_name(&next) {
            Some("br") => out.push('\n'),
            Some(tag) if DROPPED.contains(&tag) => {}
            Some(tag) => {
                // Block boundaries separate words; inline ones (`<b>`) never split a word.
                if !INLINE.contains(&tag) {
                    out.push(' ');
                    stack.push(None);
                }
                stack.extend(next.children.borrow().iter().rev().cloned().map(Some));
            }
            None => out.push_str(&node_text(&next).unwrap_or_default()),
        }
    }
    out
}

/// Flattens blocks into one run of inline text, blocks separated by a space; line breaks
/// become spaces too.
fn flatten(blocks: Vec<Block>) -> Vec<Inline> {
    let mut out = Vec::new();
    for block in blocks {
        let part = match block {
            Block::Paragraph(spans) | Block::Heading { text: spans, .. } => spans,
            Block::List { items, .. } => items.into_iter().flat_map(flatten_item).collect(),
            Block::Quote(blocks) => flatten(blocks),
            Block::Table { header, rows } => std::iter::once(header)
                .chain(rows)
                .flatten()
                .flat_map(|cell| with_space(cell.text))
                .collect(),
            Block::Code(text) => {
                vec![Inline {
                    text,
                    style: InlineStyle {
                        code: true,
                        ..InlineStyle::default()
                    },
                    link: None,
                }]
            }
            Block::Image { alt, .. } => vec![Inline {
                text: alt,
                style: InlineStyle {
                    image: true,
                    ..InlineStyle::default()
                },
                link: None,
            }],
            Block::Rule => Vec::new(),
        };
        out.extend(with_space(part));
    }
    clean_inlines(out, false)
}

fn flatten_item(blocks: Vec<Block>) -> Vec<Inline> {
    with_space(flatten(blocks))
}

fn with_space(mut spans: Vec<Inline>) -> Vec<Inline> {
    spans.push(Inline {
        text: " ".to_owned(),
        ..Inline::default()
    });
    spans
}

// ---------------------------------------------------------------------------------------------
// Text clean-up
// ---------------------------------------------------------------------------------------------

/// Cleans a paragraph's spans the way a browser would show them: whitespace runs collapse to
/// one space, invisible characters go, edges are trimmed, adjacent spans of one style merge.
/// With `keep_breaks`, `<br>` breaks stay (at most two in a row, none at either edge);
/// otherwise they become spaces. Returns nothing when no visible text is left.
fn clean_inlines(spans: Vec<Inline>, keep_breaks: bool) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut after_space = true;
    for span in spans {
        if span.is_break() && keep_breaks {
            trim_spaces_end(&mut out);
            push_break(&mut out);
            after_space = true;
            continue;
        }
        let mut text = String::with_capacity(span.text.len());
        for c in clean_chars(&span.text).chars() {
            if c == ' ' && after_space {
                continue;
            }
            after_space = c == ' ';
            text.push(c);
        }
        if !text.is_empty() {
            out.push(Inline { text, ..span });
        }
    }
    trim_end(&mut out);
    if out.iter().all(Inline::is_break) {
        return Vec::new();
    }
    merge_spans(out)
}

fn push_break(out: &mut Vec<Inline>) {
    let trailing = out.iter().rev().take_while(|s| s.is_break()).count();
    // No break at the start of a paragraph, and at most one blank line inside it.
    if !out.is_empty() && trailing < 2 {
        out.push(Inline::line_break());
    }
}

fn trim_spaces_end(out: &mut Vec<Inline>) {
    while let Some(last) = out.last_mut() {
        if last.is_break() {
            return;
        }
        let kept = last.text.trim_end_matches(' ').len();
        last.text.truncate(kept);
        if !last.text.is_empty() {
            return;
        }
        out.pop();
    }
}

/// Removes trailing spaces and breaks (the export ends paragraphs with `<br>U+200D`).
fn trim_end(out: &mut Vec<Inline>) {
    loop {
        trim_spaces_end(out);
        match out.last() {
            Some(last) if last.is_break() => {
                out.pop();
            }
            _ => return,
        }
    }
}

/// Merges neighbours with identical style and link; breaks stay separate spans.
fn merge_spans(spans: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(spans.len());
    for span in spans {
        match out.last_mut() {
            Some(last)
                if !last.is_break()
                    && !span.is_break()
                    && !span.style.image
                    && last.style == span.style
                    && last.link == span.link =>
            {
                last.text.push_str(&span.text);
            }
            _ if span.text.is_empty() => {}
            _ => out.push(span),
        }
    }
    out
}

/// Maps every whitespace character to a space and drops invisible or unsafe ones: zero-width
/// spaces, BOMs, word joiners, a U+200D that does not join two pictographs (the export uses a
/// lone U+200D as a spacer), control characters and bidi overrides.
fn clean_chars(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\u{A0}' | '\t' | '\n' | '\r' | '\u{0C}' => out.push(' '),
            '\u{200B}'
            | '\u{FEFF}'
            | '\u{2060}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}' => {}
            '\u{200D}' => {
                let before = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
                let after = chars.get(i + 1).copied();
                if before.is_some_and(ends_pictograph) && after.is_some_and(is_pictographic) {
                    out.push(c);
                }
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether `c` can end the emoji before a joiner: a pictograph, a variation selector or a
/// skin-tone modifier.
fn ends_pictograph(c: char) -> bool {
    is_pictographic(c) || c == '\u{FE0F}' || ('\u{1F3FB}'..='\u{1F3FF}').contains(&c)
}

/// An approximation of Unicode's Extended_Pictographic property, enough to keep emoji ZWJ
/// sequences (👩‍💻, 🏳️‍🌈) intact.
fn is_pictographic(c: char) -> bool {
    matches!(c as u32,
        0x00A9 | 0x00AE | 0x203C | 0x2049 | 0x2122 | 0x2139 | 0x2194..=0x21AA | 0x2300..=0x23FF
        | 0x24C2 | 0x25A0..=0x25FF | 0x2600..=0x27BF | 0x2934 | 0x2935 | 0x2B00..=0x2BFF | 0x3030
        | 0x303D | 0x3297 | 0x3299 | 0x1F000..=0x1FAFF | 0x1FC00..=0x1FFFD)
}

/// Text of an attribute shown to readers: cleaned like body text, trimmed.
fn collapse_text(text: &str) -> String {
    clean_chars(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `<pre>` text: tabs expanded, invisible characters dropped, trailing spaces removed (a
/// terminal shows none), blank lines at either end removed. Blank lines inside are kept, runs
/// of them too: code keeps its shape.
fn clean_code(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    // The newline that ends the last line is not content (the one right after `<pre>` the
    // HTML parser already drops); every other blank line, leading or trailing, is the
    // author's.
    let raw = raw.strip_suffix('\n').unwrap_or(&raw);
    let lines: Vec<String> = raw
        .split('\n')
        .map(|line| clean_chars(&expand_tabs(line)).trim_end().to_owned())
        .collect();
    if lines.iter().all(String::is_empty) {
        return String::new();
    }
    lines.join("\n")
}

fn expand_tabs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut col = 0;
    for c in line.chars() {
        if c == '\t' {
            let n = 4 - col % 4;
            out.extend(std::iter::repeat_n(' ', n));
            col += n;
        } else {
            out.push(c);
            col += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------------------------

/// A link target as written, minus whitespace and control characters (an ESC inside an `href`
/// must never reach the terminal).
fn clean_url(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && !matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{2060}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect()
}

/// Makes a protocol-relative `//host/path` (common in embeds) absolute.
fn absolute_url(src: &str) -> String {
    let src = src.trim();
    if src.starts_with("//") {
        format!("https:{src}")
    } else {
        src.to_owned()
    }
}

/// The host part of a URL, or the URL itself when it has none.
fn url_host(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => {
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            &rest[..end]
        }
        None => url,
    }
}

/// The last path segment of a URL, without query or fragment.
fn file_name(src: &str) -> &str {
    let path = src.split(['?', '#']).next().unwrap_or("");
    path.trim_end_matches('/').rsplit('/').next().unwrap_or("")
}

/// Byte ranges of bare `http://`/`https://` URLs in text. A URL runs to the next whitespace,
/// invisible character, quote or angle bracket; trailing punctuation (and a closing bracket
/// with no opening one inside the URL) is left out, as in prose "see https://x.example/a."
fn bare_urls(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = text[from..].find("http").map(|p| from + p) {
        let rest = &text[p..];
        let scheme = if rest.starts_with("https://") {
            8
        } else if rest.starts_with("http://") {
            7
        } else {
            0
        };
        let boundary = text[..p]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if scheme == 0 || !boundary {
            from = p + 4;
            continue;
        }
        let end = p + rest.find(url_stop).unwrap_or(rest.len());
        let end = p + trim_url_end(&text[p..end]);
        if end > p + scheme {
            out.push((p, end));
            from = end;
        } else {
            from = p + scheme;
        }
    }
    out
}

fn url_stop(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '<' | '>' | '"' | '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{2060}' | '\u{A0}'
        )
}

/// The length of `url` once trailing punctuation is removed.
fn trim_url_end(url: &str) -> usize {
    // Bracket balance is counted once and updated while stripping, so a URL ending in many
    // brackets stays linear.
    const PAIRS: [(char, char); 3] = [('(', ')'), ('[', ']'), ('{', '}')];
    let mut balance = PAIRS.map(|(open, close)| {
        url.chars().filter(|&c| c == open).count() as isize
            - url.chars().filter(|&c| c == close).count() as isize
    });
    let mut end = url.len();
    while let Some(c) = url[..end].chars().next_back() {
        let strip = match PAIRS.iter().position(|&(_, close)| close == c) {
            Some(k) if balance[k] < 0 => {
                balance[k] += 1;
                true
            }
            Some(_) => false,
            None => matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*'),
        };
        if !strip {
            break;
        }
        end -= c.len_utf8();
    }
    end
}

/// Keeps only links some span refers to, renumbered in reading order.
fn renumber_links(blocks: &mut [Block], links: &[Link]) -> Vec<Link> {
    let mut map: Vec<Option<usize>> = vec![None; links.len()];
    let mut out: Vec<Link> = Vec::new();
    for_each_inline(blocks, &mut |inline| {
        let Some(old) = inline.link else { return };
        let Some(slot) = map.get_mut(old) else {
            inline.link = None;
            return;
        };
        let new = *slot.get_or_insert_with(|| {
            out.push(links[old].clone());
            out.len() - 1
        });
        inline.link = Some(new);
    });
    out
}

fn for_each_inline(blocks: &mut [Block], f: &mut dyn FnMut(&mut Inline)) {
    for block in blocks {
        match block {
            Block::Heading { text: spans, .. } | Block::Paragraph(spans) => {
                spans.iter_mut().for_each(&mut *f)
            }
            Block::List { items, .. } => items.iter_mut().for_each(|item| for_each_inline(item, f)),
            Block::Quote(blocks) => for_each_inline(blocks, f),
            Block::Table { header, rows } => {
                header
                    .iter_mut()
                    .chain(rows.iter_mut().flatten())
                    .flat_map(|cell| cell.text.iter_mut())
                    .for_each(&mut *f);
            }
            Block::Rule | Block::Image { .. } | Block::Code(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Webflow export in miniature: one HTML line with the export's quirks, then the Markdown
    /// trailer. The prose is made up for the test.
    pub(crate) const WEBFLOW: &str = concat!(
        "<p id=\"\">Send a short thank-you note within a day of every interview.&nbsp;</p>",
        "<p id=\"\">\u{200D}</p>",
        "<h2 id=\"\"><strong id=\"\">Why a note matters</strong></h2>",
        "<p id=\"\">Hiring teams meet many people in a week.<br>\u{200D}</p>",
        "<p id=\"\"><strong id=\"\">📌</strong><a href=\"https://x.example/blog/note-templates\" id=\"\">",
        "<strong id=\"\">See five note templates</strong></a></p>",
        "<h3 id=\"\">Steps</h3>",
        "<ol start=\"\" id=\"\"><li id=\"\">Thank them</li><li id=\"\">Recall one topic</li></ol>",
        "<p id=\"\">Then, a little later:</p>",
        "<ol start=\"3\" id=\"\"><li id=\"\">Offer more details</li></ol>",
        "<table><thead><tr><th>When</th><th>What</th></tr></thead><tbody>",
        "<tr><td>Day 1</td><td>Thank-you note</td></tr><tr><td>Week 2</td><td>Polite check-in</td></tr>",
        "</tbody></table>",
        "<img src=\"https://cdn.example/img/desk-setup.png?w=800\" alt=\"\">",
        "<iframe src=\"https://www.youtube.com/embed/abc123\" title=\"Follow-up tips\"></iframe>",
        "<script>var tracker = \"SECRET-TRACKER\";</script>",
        "<p id=\"\">\u{200D}</p>\n",
        "\n---\n\n## Tailor your resume\n\n👉 https://tools.example/resume-tailor\n\n---\n\n",
        "## Related articles\n\n",
        "- [Questions to ask at the end](https://x.example/blog/questions-to-ask)\n",
        "- [Salary talks for beginners](https://x.example/blog/salary-talks)\n",
    );

    fn plain(text: &str) -> Inline {
        Inline {
            text: text.to_owned(),
            ..Inline::default()
        }
    }

    fn styled(text: &str, bold: bool, link: Option<usize>) -> Inline {
        Inline {
            text: text.to_owned(),
            style: InlineStyle {
                bold,
                ..InlineStyle::default()
            },
            link,
        }
    }

    fn para(text: &str) -> Block {
        Block::Paragraph(vec![plain(text)])
    }

    fn heading(level: u8, text: &str) -> Block {
        Block::Heading {
            level,
            text: vec![plain(text)],
        }
    }

    /// One-column, left-aligned cells in consecutive columns.
    fn cells(texts: &[&str]) -> Vec<Cell> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Cell::new(vec![plain(t)], i))
            .collect()
    }

    fn item(text: &str) -> Vec<Block> {
        vec![para(text)]
    }

    fn link(url: &str) -> Link {
        Link {
            url: url.to_owned(),
            internal: None,
        }
    }

    fn parse_ok(body: &str) -> Document {
        match parse(body) {
            Ok(doc) => doc,
            Err(e) => panic!("parse failed: {e}"),
        }
    }

    /// All visible text of a document, for "is it there" checks.
    fn all_text(doc: &Document) -> String {
        format!("{:?}", doc.blocks)
    }

    #[test]
    fn webflow_body_gives_the_exact_model() {
        let doc = parse_ok(WEBFLOW);
        let expected = Document {
            blocks: vec![
                para("Send a short thank-you note within a day of every interview."),
                heading(2, "Why a note matters"),
                para("Hiring teams meet many people in a week."),
                Block::Paragraph(vec![
                    styled("📌", true, None),
                    styled("See five note templates", true, Some(0)),
                ]),
                heading(3, "Steps"),
                Block::List {
                    start: Some(1),
                    items: vec![item("Thank them"), item("Recall one topic")],
                },
                para("Then, a little later:"),
                Block::List {
                    start: Some(3),
                    items: vec![item("Offer more details")],
                },
                Block::Table {
                    header: cells(&["When", "What"]),
                    rows: vec![
                        cells(&["Day 1", "Thank-you note"]),
                        cells(&["Week 2", "Polite check-in"]),
                    ],
                },
                Block::Image {
                    alt: "desk-setup.png".to_owned(),
                    src: "https://cdn.example/img/desk-setup.png?w=800".to_owned(),
                },
                Block::Paragraph(vec![styled(
                    "Embedded video: Follow-up tips",
                    false,
                    Some(1),
                )]),
                Block::Rule,
                heading(2, "Tailor your resume"),
                Block::Paragraph(vec![
                    plain("👉 "),
                    styled("https://tools.example/resume-tailor", false, Some(2)),
                ]),
                Block::Rule,
                heading(2, "Related articles"),
                Block::List {
                    start: None,
                    items: vec![
                        vec![Block::Paragraph(vec![styled(
                            "Questions to ask at the end",
                            false,
                            Some(3),
                        )])],
                        vec![Block::Paragraph(vec![styled(
                            "Salary talks for beginners",
                            false,
                            Some(4),
                        )])],
                    ],
                },
            ],
            links: vec![
                link("https://x.example/blog/note-templates"),
                link("https://www.youtube.com/embed/abc123"),
                link("https://tools.example/resume-tailor"),
                link("https://x.example/blog/questions-to-ask"),
                link("https://x.example/blog/salary-talks"),
            ],
        };
        assert_eq!(doc, expected);
        assert!(!all_text(&doc).contains("SECRET"));
        assert!(!all_text(&doc).contains('\u{200D}'));
    }

    #[test]
    fn dropped_elements_vanish_with_their_content() {
        let body = "<p>kept</p><script>alert('SECRET1')</script><style>p{color:red} /*SECRET2*/</style>\
            <noscript>SECRET3</noscript><template><p>SECRET4</p></template><svg><text>SECRET5</text></svg>\
            <form><p>SECRET6</p><input value=\"SECRET7\"><button>SECRET8</button></form><p>also kept</p>";
        let doc = parse_ok(body);
        assert_eq!(doc.blocks, vec![para("kept"), para("also kept")]);
    }

    #[test]
    fn bare_urls_become_links_without_trailing_punctuation() {
        let doc = parse_ok(
            "Try https://a.example/x. Or (see http://b.example/p_(1)), or nohttps://c.example.",
        );
        let urls: Vec<&str> = doc.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["https://a.example/x", "http://b.example/p_(1)"]);
        let Block::Paragraph(spans) = &doc.blocks[0] else {
            panic!("not a paragraph: {doc:?}")
        };
        assert_eq!(spans[1], styled("https://a.example/x", false, Some(0)));
        assert_eq!(spans[2].text, ". Or (see ");
        // A URL inside a link's text is part of that link, not a second one.
        let doc = parse_ok("<a href=\"https://d.example\">https://d.example</a>");
        assert_eq!(doc.links, vec![link("https://d.example")]);
    }

    #[test]
    fn ordered_list_start_attribute() {
        for (attr, start) in [
            ("", 1),
            ("3", 3),
            (" 7 ", 7),
            ("0", 0),
            ("-5", 1),
            ("99999999999999999999", 1),
            ("abc", 1),
        ] {
            let doc = parse_ok(&format!("<ol start=\"{attr}\"><li>a</li></ol>"));
            assert_eq!(
                doc.blocks,
                vec![Block::List {
                    start: Some(start),
                    items: vec![item("a")]
                }],
                "{attr}"
            );
        }
        let doc = parse_ok("<ol><li>a</li></ol><ul><li>b</li></ul>");
        assert!(matches!(
            doc.blocks[..],
            [
                Block::List { start: Some(1), .. },
                Block::List { start: None, .. }
            ]
        ));
    }

    #[test]
    fn invisible_characters_and_whitespace_are_cleaned() {
        let body = "<p>  a\u{A0}\u{A0}b \t\n c\u{200B}d\u{FEFF}e\u{2060}f \u{200D} 👩\u{200D}💻 x\u{200D}y \u{1b}[31mred</p>";
        let doc = parse_ok(body);
        assert_eq!(doc.blocks, vec![para("a b cdef 👩\u{200D}💻 xy [31mred")]);
        // Breaks: none at the edges, at most two in a row, no spaces around them.
        let doc = parse_ok(
            "<p><br>\u{200D}one <br><br><br><br> two<br>\u{200D}<br></p><p>\u{200D}<br>\u{A0}</p>",
        );
        let expected = vec![
            plain("one"),
            Inline::line_break(),
            Inline::line_break(),
            plain("two"),
        ];
        assert_eq!(doc.blocks, vec![Block::Paragraph(expected)]);
    }

    #[test]
    fn spans_merge_and_keep_html_spacing() {
        let doc = parse_ok(
            "<p><b>a</b><strong> b </strong> <em>c</em><i>d</i> <a href=\"/x\">e f </a>g</p>",
        );
        let italic = |t: &str| Inline {
            text: t.to_owned(),
            style: InlineStyle {
                italic: true,
                ..Default::default()
            },
            link: None,
        };
        let expected = vec![
            styled("a b ", true, None),
            italic("cd"),
            plain(" "),
            styled("e f ", false, Some(0)),
            plain("g"),
        ];
        assert_eq!(doc.blocks, vec![Block::Paragraph(expected)]);
    }

    #[test]
    fn headings_are_not_doubly_bold_and_keep_links() {
        let doc = parse_ok(
            "<h2><strong>Plan</strong> <a href=\"https://h.example\"><b>ahead</b></a></h2><h4><em>quiet</em></h4>",
        );
        let italic = InlineStyle {
            italic: true,
            ..InlineStyle::default()
        };
        assert_eq!(
            doc.blocks,
            vec![
                Block::Heading {
                    level: 2,
                    text: vec![plain("Plan "), styled("ahead", false, Some(0))]
                },
                Block::Heading {
                    level: 4,
                    text: vec![Inline {
                        text: "quiet".into(),
                        style: italic,
                        link: None
                    }]
                },
            ]
        );
        assert!(
            parse_ok("<h1>\u{200D}<br></h1><h2> </h2>")
                .blocks
                .is_empty()
        );
    }

    #[test]
    fn entities_are_decoded_exactly_once() {
        let doc = parse_ok("<p>AT&amp;T &lt;b&gt; &amp;lt; &nbsp;&copy; &#x41;</p>");
        assert_eq!(doc.blocks, vec![para("AT&T <b> &lt; © A")]);
        assert_eq!(
            unescape_serialized("&amp;amp;&nbsp;&gt;&unknown;&"),
            "&amp;\u{A0}>&unknown;&"
        );
    }

    #[test]
    fn list_items_hold_paragraphs_and_nested_lists() {
        let doc = parse_ok(
            "<ul><li><p>one</p><p>more</p><ul><li>deep</li></ul></li><li>\u{200D}</li><li>two</li></ul>",
        );
        let nested = Block::List {
            start: None,
            items: vec![item("deep")],
        };
        assert_eq!(
            doc.blocks,
            vec![Block::List {
                start: None,
                items: vec![vec![para("one"), para("more"), nested], item("two")]
            }]
        );
    }

    #[test]
    fn tables_take_a_header_row_and_keep_ragged_rows() {
        let doc = parse_ok(
            "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td></tr><tr><td></td><td></td></tr>\
            <tr><td>2</td><td><p>x</p><p>y</p></td><td>extra</td></tr></table>",
        );
        assert_eq!(
            doc.blocks,
            vec![Block::Table {
                header: cells(&["A", "B"]),
                rows: vec![cells(&["1"]), cells(&["2", "x y", "extra"])],
            }]
        );
        let doc = parse_ok("<table><tr><td>no</td><th>header</th></tr></table>");
        assert!(
            matches!(&doc.blocks[..], [Block::Table { header, rows }] if header.is_empty() && rows.len() == 1)
        );
        assert!(
            parse_ok("<table><tr><td> </td></tr></table>")
                .blocks
                .is_empty()
        );
    }

    #[test]
    fn table_cells_are_placed_on_the_grid_with_spans_and_alignment() {
        let doc = parse_ok(
            "<table><tr><th colspan=\"2\">Plan</th><th>Year</th></tr>\
             <tr><td rowspan=\"2\">Basic</td><td>5</td><td>50</td></tr>\
             <tr><td colspan=\"0\">Same price</td></tr>\
             <tr><td align=\"RIGHT\">9</td><td style=\"color: red; text-align:center\">90</td>\
             <td colspan=\"x\">c</td></tr></table>",
        );
        let [Block::Table { header, rows }] = &doc.blocks[..] else {
            panic!("{doc:?}")
        };
        let place = |cells: &[Cell]| -> Vec<(String, usize, usize, Align)> {
            cells
                .iter()
                .map(|c| (c.text[0].text.clone(), c.column, c.colspan, c.align))
                .collect()
        };
        let l = Align::Left;
        assert_eq!(
            place(header),
            [("Plan".into(), 0, 2, l), ("Year".into(), 2, 1, l)]
        );
        assert_eq!(
            rows.iter().map(|r| place(r)).collect::<Vec<_>>(),
            [
                vec![
                    ("Basic".into(), 0, 1, l),
                    ("5".into(), 1, 1, l),
                    ("50".into(), 2, 1, l)
                ],
                // The rowspan above covers column 0; `colspan="0"` is capped.
                vec![("Same price".into(), 1, MAX_COLSPAN, l)],
                vec![
                    ("9".into(), 0, 1, Align::Right),
                    ("90".into(), 1, 1, Align::Center),
                    ("c".into(), 2, 1, l)
                ],
            ]
        );
        let doc = parse_ok("| a | b | c |\n|:-:|--:|---|\n| 1 | 2 | 3 |\n");
        let [Block::Table { header, rows }] = &doc.blocks[..] else {
            panic!("{doc:?}")
        };
        for row in [header, &rows[0]] {
            let aligns: Vec<Align> = row.iter().map(|c| c.align).collect();
            assert_eq!(aligns, [Align::Center, Align::Right, Align::Left]);
        }
    }

    #[test]
    fn images_and_frames() {
        let doc = parse_ok(
            "<img src=\"/a/b/photo.jpg#x\"><img alt=\" A  desk \" src=\"d.png\"><img>\
            <iframe src=\"//player.example/v/1\"></iframe><iframe></iframe>",
        );
        let image = |text: &str| Inline {
            text: text.into(),
            style: InlineStyle {
                image: true,
                ..InlineStyle::default()
            },
            link: None,
        };
        assert_eq!(
            doc.blocks,
            vec![
                // Side by side, as a browser shows them; no alt shows the file name.
                Block::Paragraph(vec![image("photo.jpg"), image("A desk")]),
                Block::Paragraph(vec![styled(
                    "Embedded video: player.example",
                    false,
                    Some(0)
                )]),
            ]
        );
        assert_eq!(doc.links, vec![link("https://player.example/v/1")]);
    }

    #[test]
    fn images_stay_in_their_sentence_and_in_their_link() {
        let doc = parse_ok(
            "<p>See <a href=\"https://x.example/badge\"><img src=\"/i/badge.svg?v=2\" alt=\"\"></a> \
             and the <img src=\"c.png\" alt=\" weekly  chart \"> here.</p>\
             <figure><img src=\"hero.png\" alt=\"Hero\"><figcaption>Caption</figcaption></figure>",
        );
        let image = |text: &str, link| Inline {
            text: text.into(),
            style: InlineStyle {
                image: true,
                ..InlineStyle::default()
            },
            link,
        };
        assert_eq!(
            doc.blocks,
            vec![
                Block::Paragraph(vec![
                    plain("See "),
                    image("badge.svg", Some(0)),
                    plain(" and the "),
                    image("weekly chart", None),
                    plain(" here."),
                ]),
                Block::Image {
                    alt: "Hero".into(),
                    src: "hero.png".into()
                },
                Block::Paragraph(vec![Inline {
                    text: "Caption".into(),
                    style: InlineStyle {
                        italic: true,
                        ..InlineStyle::default()
                    },
                    link: None
                }]),
            ]
        );
        assert_eq!(doc.links, vec![link("https://x.example/badge")]);
        // Markdown: an image without alt text shows its file name; a linked badge keeps its link.
        let doc =
            parse_ok("[![](https://cdn.example/ci-badge.png)](https://ci.example/run) passes\n");
        assert_eq!(
            doc.blocks,
            vec![Block::Paragraph(vec![
                image("ci-badge.png", Some(0)),
                plain(" passes")
            ])]
        );
    }

    #[test]
    fn strikes_and_footnotes() {
        let doc = parse_ok(
            "Do ~~not~~ <del>never</del> <s>ever</s> send it twice.[^why] Really.[^b]\n\n\
             [^b]: Second, *short*.\n\n[^why]: The first reason.\n\n    With a second paragraph.\n\n\
             [^unused]: Defined, never cited.\n",
        );
        let struck = |t: &str| Inline {
            text: t.into(),
            style: InlineStyle {
                strike: true,
                ..InlineStyle::default()
            },
            link: None,
        };
        let sup = |n: usize| format!("[^{n}]");
        assert_eq!(
            doc.blocks[0],
            Block::Paragraph(vec![
                plain("Do "),
                struck("not"),
                plain(" "),
                struck("never"),
                plain(" "),
                struck("ever"),
                plain(&format!(" send it twice.{} Really.{}", sup(1), sup(2))),
            ])
        );
        let italic = Inline {
            text: "short".into(),
            style: InlineStyle {
                italic: true,
                ..InlineStyle::default()
            },
            link: None,
        };
        assert_eq!(
            doc.blocks[1..],
            [
                heading(2, "Notes"),
                para("[^1] The first reason."),
                para("With a second paragraph."),
                Block::Paragraph(vec![plain("[^2] Second, "), italic, plain(".")]),
                para("[^3] Defined, never cited."),
            ]
        );
    }

    #[test]
    fn links_without_target_are_plain_text_and_unsafe_targets_are_refused() {
        let doc = parse_ok(
            "<p><a>plain</a> <a href=\"\">empty</a> <a href=\"javascript:alert(1)\">js</a> \
            <a href=\" https://e.example/\u{1b}]x \">ok</a> <a href=\"https://unused.example\"></a></p>",
        );
        assert_eq!(
            doc.blocks,
            vec![Block::Paragraph(vec![
                plain("plain empty js "),
                styled("ok", false, Some(0))
            ])]
        );
        assert_eq!(doc.links, vec![link("https://e.example/]x")]);
    }

    #[test]
    fn blank_lines_at_the_ends_of_code_are_kept() {
        let doc = parse_ok("Before.\n\n```text\n\n\nfirst\n\n\nlast\n\n\n```\n");
        assert_eq!(doc.blocks[1], Block::Code("\n\nfirst\n\n\nlast\n\n".into()));
        // The newline right after <pre> is not content; a block of only blanks is nothing.
        let doc = parse_ok("<pre>\nx\n</pre><pre>\n\n</pre>");
        assert_eq!(doc.blocks, vec![Block::Code("x".into())]);
    }

    #[test]
    fn preformatted_text_keeps_its_lines() {
        let doc =
            parse_ok("<pre>  let a = 1;\n\n\n\tb &lt; c  \n</pre>\n\n```\nfenced <div>\n```\n");
        assert_eq!(
            doc.blocks,
            vec![
                Block::Code("  let a = 1;\n\n\n    b < c".into()),
                Block::Code("fenced <div>".into())
            ]
        );
    }

    #[test]
    fn markdown_bodies_render_like_html() {
        let body = "Intro with *emphasis*, `code` and <b>inline HTML</b>.\n\n\
            > quoted **advice**\n\n\
            1. first\n2. second\n   - nested\n\n\
            | Role | Pay |\n|---|---|\n| Analyst | ~~low~~ fair |\n\n\
            ![A chart](/img/chart.png)\n\n\
            ### Done\n";
        let doc = parse_ok(body);
        let st = |text: &str, f: fn(&mut InlineStyle)| {
            let mut style = InlineStyle::default();
            f(&mut style);
            Inline {
                text: text.to_owned(),
                style,
                link: None,
            }
        };
        let expected = vec![
            Block::Paragraph(vec![
                plain("Intro with "),
                st("emphasis", |s| s.italic = true),
                plain(", "),
                st("code", |s| s.code = true),
                plain(" and "),
                st("inline HTML", |s| s.bold = true),
                plain("."),
            ]),
            Block::Quote(vec![Block::Paragraph(vec![
                plain("quoted "),
                st("advice", |s| s.bold = true),
            ])]),
            Block::List {
                start: Some(1),
                items: vec![
                    item("first"),
                    vec![
                        para("second"),
                        Block::List {
                            start: None,
                            items: vec![item("nested")],
                        },
                    ],
                ],
            },
            Block::Table {
                header: cells(&["Role", "Pay"]),
                rows: vec![vec![
                    Cell::new(vec![plain("Analyst")], 0),
                    Cell::new(vec![st("low", |s| s.strike = true), plain(" fair")], 1),
                ]],
            },
            Block::Image {
                alt: "A chart".into(),
                src: "/img/chart.png".into(),
            },
            heading(3, "Done"),
        ];
        assert_eq!(doc.blocks, expected);
    }

    /// A CMS export whose trailer ends with an FAQ widget: `<style>` at column 0, then the
    /// widget indented as exports indent it, blank lines and a tag that lost its space.
    const FAQ_EXPORT: &str = concat!(
        "<p id=\"\">Follow up once, then let it rest.</p>",
        "<pre>first line\n\n    indented after a blank\n</pre>\n",
        "\n---\n\n## Questions people ask\n\n",
        "<style>\n.faq { color: red }\n.SECRET-STYLE { display: none }\n</style>\n\n",
        "                <div class=\"faq-card\">\n",
        "                    <div class=\"q\">How long should I wait?</div>\n",
        "                    <imgsrc=\"x.svg\" loading=\"lazy\" alt />\n",
        "\n",
        "                    <div class=\"a\">Three business days.</div>\n",
        "                </div>\n",
        "        <script>var SECRET_SCRIPT = 1;</script>\n",
        "\n---\n\n## Related articles\n\n",
        "- [Next one](https://x.example/blog/next-one)\n\n",
        "<https://x.example/blog/auto>\n",
    );

    #[test]
    fn html_in_a_cms_trailer_is_html_whatever_its_indentation() {
        let doc = parse_ok(FAQ_EXPORT);
        assert_eq!(
            doc.blocks,
            vec![
                para("Follow up once, then let it rest."),
                Block::Code("first line\n\n    indented after a blank".into()),
                Block::Rule,
                heading(2, "Questions people ask"),
                para("How long should I wait?"),
                para("Three business days."),
                Block::Rule,
                heading(2, "Related articles"),
                Block::List {
                    start: None,
                    items: vec![vec![Block::Paragraph(vec![styled(
                        "Next one",
                        false,
                        Some(0)
                    )])]],
                },
                Block::Paragraph(vec![styled("https://x.example/blog/auto", false, Some(1))]),
            ]
        );
        let text = all_text(&doc);
        for hidden in ["SECRET", "imgsrc", "color", "<"] {
            assert!(!text.contains(hidden), "{hidden} shown: {text}");
        }
        // The same widget in a plain Markdown file stays what CommonMark says: code.
        let markdown = "Intro.\n\n    <div class=\"q\">A tag shown as code</div>\n";
        assert_eq!(
            parse_ok(markdown).blocks,
            vec![
                para("Intro."),
                Block::Code("<div class=\"q\">A tag shown as code</div>".into())
            ]
        );
    }

    #[test]
    fn a_tag_that_lost_its_space_shows_nothing_and_swallows_nothing() {
        for trailer in [
            "      <div>\n        <imgsrc=\"x.svg\" alt />\n      </div>\n",
            "<div>\n<imgsrc=\"x.svg\" alt />\n</div>\n",
            "<imgsrc=\"x.svg\" alt>\n",
            "<p>para with <imgsrc=\"x.svg\" alt /> inline</p>\n",
            "<div>\n<p>left open\n</div>\n",
        ] {
            let body = format!(
                "<p>Body.</p>\n\n---\n\n## Related articles\n\n{trailer}\n- [Another article](https://careerhub.example/blog/code)\n"
            );
            let text = all_text(&parse(&body).unwrap());
            assert!(!text.contains("imgsrc"), "{trailer:?}: {text}");
            assert!(
                !text.contains("]("),
                "the list stays Markdown: {trailer:?}: {text}"
            );
            assert!(text.contains("Another article"), "{trailer:?}: {text}");
        }
    }

    #[test]
    fn html_regions_end_where_markdown_resumes() {
        let parts = |body| -> Vec<(bool, String)> {
            html_regions(body)
                .into_iter()
                .map(|(h, t)| (h, t.to_owned()))
                .collect()
        };
        assert_eq!(
            parts("<div>\ntext at zero\n</div>\nMarkdown *again*\n"),
            [
                (true, "<div>\ntext at zero\n</div>\n".to_owned()),
                (false, "Markdown *again*\n".to_owned())
            ]
        );
        // Unclosed wrappers end at the trailer's rule; `<pre>` keeps its column-0 lines.
        assert_eq!(
            parts("<div><pre>\n---\n</pre>\n---\n## Next\n"),
            [
                (true, "<div><pre>\n---\n</pre>\n".to_owned()),
                (false, "---\n## Next\n".to_owned())
            ]
        );
        // Fenced code in the trailer is never a region.
        assert_eq!(
            parts("<p>a</p>\n---\n```\n<div>\n```\n"),
            [
                (true, "<p>a</p>\n".to_owned()),
                (false, "---\n```\n<div>\n```\n".to_owned())
            ]
        );
        assert!(!starts_an_html_region("<https://x.example>"));
        assert!(!starts_an_html_region("< b"));
        assert!(starts_an_html_region("<!-- note -->"));
        assert!(starts_an_html_region("</div>"));
        assert!(starts_an_html_region("<img"));
    }

    #[test]
    fn trailer_rule_directly_under_the_html_line_is_a_rule() {
        let doc = parse_ok("<p>body</p>\n---\n## Next\n");
        assert_eq!(
            doc.blocks,
            vec![para("body"), Block::Rule, heading(2, "Next")]
        );
        // A setext heading in plain Markdown is left alone.
        assert_eq!(parse_ok("Title\n---\n").blocks, vec![heading(2, "Title")]);
    }

    #[test]
    fn deeply_nested_divs_are_flattened_fast_and_keep_their_text() {
        for n in [201, 5_000, 20_000] {
            let body = format!(
                "intro\n\n{}<p>The paragraph inside.</p>{}\n\nafter",
                "<div class=\"wrap\">".repeat(n),
                "</div>".repeat(n)
            );
            let started = std::time::Instant::now();
            let doc = parse_ok(&body);
            assert!(
                started.elapsed() < std::time::Duration::from_millis(1500),
                "{n}: {:?}",
                started.elapsed()
            );
            assert_eq!(
                doc.blocks,
                vec![para("intro"), para("The paragraph inside."), para("after")],
                "{n}"
            );
        }
        // Unclosed wrappers (a CMS export that never closes its `<div>`s) keep every paragraph
        // and the Markdown trailer after them.
        let body = format!(
            "{}\n\n---\n\n## Related articles\n\n- [Next](https://n.example/blog/next)\n",
            (0..1_000)
                .map(|i| format!("<div><p>Part {i}.</p>"))
                .collect::<String>()
        );
        let doc = parse_ok(&body);
        let text = all_text(&doc);
        for i in [0, 199, 200, 500, 999] {
            assert!(text.contains(&format!("\"Part {i}.\"")), "{i}");
        }
        assert!(doc.blocks.contains(&heading(2, "Related articles")));
        assert_eq!(doc.links, vec![link("https://n.example/blog/next")]);
    }

    #[test]
    fn flattening_never_reveals_dropped_content_and_handles_split_tags() {
        let deep = "<div>".repeat(MAX_HTML_DEPTH);
        let body = format!(
            "{deep}<section><svg><svg></svg><text>SECRET</text></svg><template>HIDDEN</template>\
             <p>kept</p></section>"
        );
        assert_eq!(parse_ok(&body).blocks, vec![para("kept")]);
        // A Markdown HTML block arrives line by line: a dropped tag may span lines.
        let body = format!(
            "{}\n<div\n class=\"a>b\"\n>\n<p>text after</p>\n</div>\n",
            "<div>".repeat(MAX_HTML_DEPTH)
        );
        assert_eq!(parse_ok(&body).blocks, vec![para("text after")]);
    }

    #[test]
    fn moderate_nesting_still_parses() {
        let body = format!("{}deep text{}", "<div>".repeat(150), "</div>".repeat(150));
        assert_eq!(parse_ok(&body).blocks, vec![para("deep text")]);
        let body = format!(
            "{}deep{}",
            "<blockquote>".repeat(150),
            "</blockquote>".repeat(150)
        );
        assert!(matches!(parse_ok(&body).blocks[..], [Block::Quote(_)]));
    }

    #[test]
    fn unclosed_auto_closing_tags_do_not_count_as_nesting() {
        let body = "<p>para ".repeat(10_000);
        let doc = parse_ok(&body);
        assert_eq!(doc.blocks.len(), 10_000);
        let body = format!(
            "<ul>{}</ul><table>{}</table>",
            "<li>x".repeat(5_000),
            "<tr><td>c".repeat(5_000)
        );
        assert!(parse(&body).is_ok());
        let body = format!(
            "<svg>{}</svg><p>after</p>",
            "<path d=\"M0\"/>".repeat(5_000)
        );
        assert_eq!(parse_ok(&body).blocks, vec![para("after")]);
        let body = format!(
            "<script>{}</script><!-- {} --><p>after</p>",
            "<div>".repeat(5_000),
            "<div>".repeat(5_000)
        );
        assert_eq!(parse_ok(&body).blocks, vec![para("after")]);
    }

    #[test]
    fn text_below_the_walk_limit_is_kept_flat() {
        let dom = html2text::config::plain()
            .parse_html(
                "<div><p>wor<b>d</b>s</p><p>next</p><script>SECRET</script>one<br>two</div>"
                    .as_bytes(),
            )
            .unwrap();
        let text = descendant_text(&dom.document);
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>(),
            ["words", "next", "one", "two"]
        );
        assert!(text.contains("one\ntwo"));
        // Through the walker: past the depth it recurses to, the text still arrives.
        let mut sink = Sink::default();
        let ctx = Ctx {
            depth: MAX_WALK_DEPTH,
            ..Ctx::default()
        };
        Builder::default().children(&dom.document, ctx, &mut sink);
        let blocks = sink.finish();
        assert_eq!(blocks.len(), 1);
        assert!(
            all_text(&Document {
                blocks,
                links: vec![]
            })
            .contains("words next one")
        );
    }

    #[test]
    fn deep_markdown_quotes_and_lists_are_flattened() {
        let body = format!("intro\n\n{} deep words\n", ">".repeat(10_000));
        let started = std::time::Instant::now();
        let doc = parse_ok(&body);
        assert!(started.elapsed() < std::time::Duration::from_millis(1500));
        assert!(all_text(&doc).contains("deep words"), "{doc:?}");
        let body: String = (0..300)
            .map(|i| format!("{}- level {i}\n", "  ".repeat(i)))
            .collect();
        let text = all_text(&parse_ok(&body));
        for i in [0, 150, 299] {
            assert!(text.contains(&format!("level {i}")), "{i}");
        }
        let body: String = (0..10)
            .map(|i| format!("{}- level {i}\n", "  ".repeat(i)))
            .collect();
        let mut blocks = parse_ok(&body).blocks;
        let mut depth = 0;
        while let Some(Block::List { items, .. }) = blocks.pop() {
            depth += 1;
            blocks = items.into_iter().flatten().collect();
        }
        assert_eq!(depth, 10);
    }

    /// Inputs that once broke (or could break) a parser; none may panic.
    pub(crate) fn nasty_bodies() -> Vec<String> {
        let mut bodies: Vec<String> = [
            "",
            " ",
            "\n\n",
            "---",
            "---\n\n## Only trailer\n\n👉 https://t.example",
            "<",
            "<a",
            "</",
            "<!",
            "<!--",
            "<p",
            "<p>unclosed <b>bold <i>both",
            "<table><tr><td>",
            "<table><td>a<tr><th>b<th>c</table>",
            "<ol start=\"-5\"><li>x",
            "<ol start=\"99999999999999999999\"><li>x<li>y",
            "<ol start=\"18446744073709551615\"><li>a<li>b<li>c</ol>",
            "<a href=\"x\"><h2>link in heading</h2></a>",
            "<h2><a href=\"https://h.example\">linked</a> heading</h2>",
            "<div class=\"x>unbalanced quote",
            "<br><br>",
            "<pre></pre><pre>\n</pre>",
            "<img src=\"\">",
            "<iframe src=\"\"></iframe>",
            "&",
            "&amp",
            "&#0;&#xD800;",
            "<p>\u{200D}</p>",
            "\u{FEFF}",
            "https://",
            "http://x",
            "<?xml version=\"1.0\"?><!DOCTYPE html><p>x",
            "<math><mi>x</mi></math>",
            "<table><caption>cap</caption><tr><td>1</td></tr></table>",
            "<figure><img src=\"f.png\"><figcaption>A caption</figcaption></figure>",
            "<blockquote></blockquote>",
            "| a |\n|---|\n| b | c | d |",
            "* * *",
            "- \n- ",
            "1.\n2.",
            "<ul><li><ul><li><ol><li>x",
            "<dl><dt>term<dd>definition</dl>",
            "\u{1b}[2J<p>\u{9b}x\u{202e}y</p>",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        bodies.push(format!("<p>{}</p>", "word ".repeat(200_000)));
        bodies.push(format!(
            "<p>https://long.example/{}</p>",
            "a".repeat(100_000)
        ));
        bodies.push(
            (0..10)
                .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
                .collect(),
        );
        bodies.push(format!("{}x", "<li>".repeat(1000)));
        bodies.push(format!("{}x", "<b>".repeat(150)));
        bodies.push(format!("see https://p.example/{}", ")".repeat(200_000)));
        bodies.push(format!("<p>{}</p>", "<a \"".repeat(100_000)));
        bodies.push(format!(
            "<table>{}</table>",
            "<tr><td colspan=\"64\" rowspan=\"0\">x</td><td>y</td></tr>".repeat(2_000)
        ));
        bodies.push(format!("<div\n>{}", "<svg>\n".repeat(5_000)));
        bodies.push(format!("{}<svg><p>hidden", "<div>".repeat(300)));
        bodies.push("a[^x] b[^y]\n\n[^x]: see[^y]\n\n[^y]: see[^x]\n".to_owned());
        bodies.push("~~open never closed <del>nor this".to_owned());
        bodies.push("<p>x</p>\n        <imgsrc=\"a\" \n   <div\n".to_owned());
        bodies
    }

    #[test]
    fn nasty_inputs_never_panic() {
        for body in nasty_bodies() {
            if let Ok(doc) = parse(&body) {
                assert_no_invisible_text(&doc);
            }
        }
    }

    /// A tiny deterministic fuzzer: random concatenations of markup fragments.
    #[test]
    fn random_markup_never_panics() {
        const PIECES: &[&str] = &[
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<ul>",
            "<ol start=\"2\">",
            "<li>",
            "</li>",
            "</ul>",
            "</ol>",
            "<b>",
            "</b>",
            "<a href=\"https://r.example\">",
            "</a>",
            "<br>",
            "\u{200D}",
            "&nbsp;",
            " ",
            "word",
            "📌",
            "<table>",
            "<tr>",
            "<td>",
            "<th>",
            "</table>",
            "<h2>",
            "</h2>",
            "<blockquote>",
            "</blockquote>",
            "<pre>",
            "</pre>",
            "<img src=\"i.png\">",
            "<iframe src=\"https://v.example\">",
            "</iframe>",
            "\n---\n",
            "\n\n",
            "- ",
            "> ",
            "## ",
            "https://bare.example/x ",
            "<script>",
            "</script>",
            "<!--",
            "-->",
            "<hr>",
            "*",
            "`",
            "[t](https://m.example)",
            "|a|b|\n|-|-|\n",
            "\t",
            "<",
            ">",
            "&",
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..300 {
            let len = (next() % 60) as usize;
            let body: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            if let Ok(doc) = parse(&body) {
                assert_no_invisible_text(&doc);
            }
        }
    }

    fn assert_no_invisible_text(doc: &Document) {
        let mut check = |inline: &mut Inline| {
            assert!(!inline.text.is_empty());
            assert!(
                inline.is_break() || !inline.text.contains(['\n', '\u{A0}', '\u{200B}', '\u{1b}']),
                "{inline:?}"
            );
            if let Some(i) = inline.link {
                assert!(i < doc.links.len());
            }
        };
        let mut blocks = doc.blocks.clone();
        for_each_inline(&mut blocks, &mut check);
    }

    #[test]
    fn resolve_links_marks_internal_targets() {
        let mut doc = parse_ok(WEBFLOW);
        doc.resolve_links(|url| {
            url.strip_prefix("https://x.example/blog/")
                .map(str::to_owned)
        });
        let internal: Vec<Option<&str>> = doc.links.iter().map(|l| l.internal.as_deref()).collect();
        assert_eq!(
            internal,
            [
                Some("note-templates"),
                None,
                None,
                Some("questions-to-ask"),
                Some("salary-talks")
            ]
        );
    }
}

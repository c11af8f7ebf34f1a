//! Step 3: walking the DOM into blocks and inline spans, links numbered in reading order.

use super::model::{Align, Block, Cell, Inline, InlineStyle, Link, MAX_HTML_DEPTH};
use super::text::{clean_code, clean_inlines, collapse_text, merge_spans};
use crate::content::render::links::{
    absolute_url, bare_urls, clean_url, file_name, is_followable, url_host,
};

/// How deep the walk descends. The pre-scan keeps real bodies far below this; it only guards
/// the recursion against trees the scan under-estimated.
pub(super) const MAX_WALK_DEPTH: usize = 2 * MAX_HTML_DEPTH + 50;

/// Elements dropped together with everything inside them.
pub(super) const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "form", "button", "input", "select",
    "textarea", "object", "embed", "canvas", "math", "audio", "video", "title", "noembed",
    "noframes", "frameset", "map", "dialog",
];
/// Elements that start and end a paragraph but are otherwise transparent.
pub(super) const BLOCKISH: &[&str] = &[
    "p", "div", "section", "article", "header", "footer", "main", "nav", "aside", "figure",
    "center", "address", "details", "summary", "dl", "dt", "dd", "fieldset", "legend", "hgroup",
    "html", "body", "li", "caption", "menu", "dir", "search",
];

/// Inline elements: their boundaries are not word boundaries.
pub(super) const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time",
    "tt", "u", "var",
];

/// Inherited inline state.
#[derive(Clone, Copy, Default)]
pub(super) struct Ctx {
    pub(super) style: InlineStyle,
    pub(super) link: Option<usize>,
    pub(super) depth: usize,
}

impl Ctx {
    pub(super) fn deeper(self) -> Ctx {
        Ctx {
            depth: self.depth + 1,
            ..self
        }
    }
}

/// Where walked content goes: finished blocks plus the paragraph being collected.
#[derive(Default)]
pub(super) struct Sink {
    pub(super) blocks: Vec<Block>,
    pub(super) inlines: Vec<Inline>,
    /// The source of the last image added to `inlines`.
    pub(super) image_src: Option<String>,
}

impl Sink {
    /// Ends the current paragraph (dropping it when nothing visible is left after clean-up).
    /// A paragraph that is one image and nothing else, outside any link, is an image block.
    pub(super) fn flush(&mut self) {
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

    pub(super) fn push_block(&mut self, block: Block) {
        self.flush();
        self.blocks.push(block);
    }

    pub(super) fn finish(mut self) -> Vec<Block> {
        self.flush();
        self.blocks
    }
}

#[derive(Default)]
pub(super) struct Builder {
    pub(super) links: Vec<Link>,
}

pub(super) type Handle = html2text::Handle;

/// The element name of `node`, if it is an element.
pub(super) fn element_name(node: &Handle) -> Option<&str> {
    match &node.data {
        html2text::Element { name, .. } => Some(&name.local),
        _ => None,
    }
}

/// An attribute value of `node`.
pub(super) fn attr(node: &Handle, key: &str) -> Option<String> {
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
pub(super) fn node_text(node: &Handle) -> Option<String> {
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
pub(super) fn unescape_serialized(text: &str) -> String {
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
    pub(super) fn children(&mut self, node: &Handle, ctx: Ctx, sink: &mut Sink) {
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

    pub(super) fn node(&mut self, node: &Handle, ctx: Ctx, sink: &mut Sink) {
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

    pub(super) fn element(&mut self, tag: &str, node: &Handle, ctx: Ctx, sink: &mut Sink) {
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
            "pre" => self.pre(node, ctx, sink),
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

    /// Text goes into the current paragraph; bare `http(s)://` URLs outside links and code
    /// become links.
    pub(super) fn text(&mut self, text: &str, ctx: Ctx, sink: &mut Sink) {
        // A text node of just a newline is a soft break, not the `<br>` marker it would look
        // like (a span of exactly "\n").
        let text = if text == "\n" { " " } else { text };
        // Code is literal: a URL in `code` is what to type, not a link (an `<a>` around code
        // still is one).
        if ctx.link.is_some() || ctx.style.code {
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
    pub(super) fn add_link(&mut self, raw: &str) -> Option<usize> {
        let url = clean_url(raw);
        if !is_followable(&url) {
            return None;
        }
        self.links.push(Link {
            url,
            internal: None,
        });
        Some(self.links.len() - 1)
    }

    pub(super) fn anchor(&mut self, node: &Handle, ctx: Ctx, sink: &mut Sink) {
        let link = attr(node, "href").and_then(|href| self.add_link(&href));
        let ctx = Ctx {
            link: link.or(ctx.link),
            ..ctx
        };
        self.children(node, ctx, sink);
    }

    /// Collects an element's content as one run of inline text (for headings, captions and
    /// table cells, which hold no blocks in the model).
    pub(super) fn inline_content(&mut self, node: &Handle, ctx: Ctx) -> Vec<Inline> {
        let mut inner = Sink::default();
        self.children(node, ctx, &mut inner);
        flatten(inner.finish())
    }

    pub(super) fn heading(&mut self, level: u8, node: &Handle, ctx: Ctx, sink: &mut Sink) {
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

    pub(super) fn caption(&mut self, node: &Handle, ctx: Ctx, sink: &mut Sink) {
        sink.flush();
        let mut text = self.inline_content(node, ctx);
        for span in &mut text {
            span.style.italic = true;
        }
        if !text.is_empty() {
            sink.push_block(Block::Paragraph(merge_spans(text)));
        }
    }

    pub(super) fn list(&mut self, node: &Handle, start: Option<u64>, ctx: Ctx, sink: &mut Sink) {
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

    pub(super) fn quote(&mut self, node: &Handle, ctx: Ctx, sink: &mut Sink) {
        sink.flush();
        let mut inner = Sink::default();
        self.children(node, ctx, &mut inner);
        let blocks = inner.finish();
        if !blocks.is_empty() {
            sink.push_block(Block::Quote(blocks));
        }
    }

    pub(super) fn table(&mut self, node: &Handle, ctx: Ctx, sink: &mut Sink) {
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
    pub(super) fn collect_rows(
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

    pub(super) fn row(&mut self, node: &Handle, ctx: Ctx, in_head: bool) -> Row {
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

    /// `<pre>` keeps its text line for line. Links cannot be marked inside code without
    /// changing it, so the links in it (or around it) follow it as a paragraph of their own,
    /// numbered like every other link: the code stays literal and no link is lost.
    pub(super) fn pre(&mut self, node: &Handle, ctx: Ctx, sink: &mut Sink) {
        let mut raw = String::new();
        let mut found = Vec::new();
        raw_text(node, 0, &mut raw, &mut found);
        let code = clean_code(&raw);
        if code.is_empty() {
            return;
        }
        let mut links: Vec<(String, usize)> = Vec::new();
        // Code inside a link: the block is that link's text.
        if let Some(link) = ctx.link {
            links.push((shorten(&collapse_text(&code)), link));
        }
        for PreLink { start, end, href } in found {
            let text = collapse_text(&raw[start..end]);
            if text.is_empty() {
                continue;
            }
            if let Some(link) = self.add_link(&href) {
                links.push((text, link));
            }
        }
        sink.push_block(Block::Code(code));
        if links.is_empty() {
            return;
        }
        let mut spans = vec![Inline {
            text: PRE_LINKS_LABEL.to_owned(),
            ..Inline::default()
        }];
        for (i, (text, link)) in links.into_iter().enumerate() {
            if i > 0 {
                spans.push(Inline {
                    text: ", ".to_owned(),
                    ..Inline::default()
                });
            }
            spans.push(Inline {
                text,
                style: ctx.style,
                link: Some(link),
            });
        }
        sink.push_block(Block::Paragraph(spans));
    }

    /// An embedded frame (usually a video) becomes a paragraph linking to its source.
    pub(super) fn iframe(&mut self, node: &Handle, sink: &mut Sink) {
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
pub(super) struct Row {
    pub(super) in_head: bool,
    pub(super) all_th: bool,
    pub(super) cells: Vec<RawCell>,
}

/// A cell as written, before it is placed on the grid.
pub(super) struct RawCell {
    pub(super) text: Vec<Inline>,
    pub(super) colspan: usize,
    pub(super) rowspan: usize,
    pub(super) align: Align,
}

/// A row placed on the grid.
pub(super) struct PlacedRow {
    pub(super) in_head: bool,
    pub(super) all_th: bool,
    pub(super) cells: Vec<Cell>,
}

/// Widest `colspan` honoured (HTML allows 1000; a terminal table that wide helps nobody).
pub(super) const MAX_COLSPAN: usize = 64;
/// Widest grid a table is placed on (see [`place_cells`]).
pub(super) const MAX_GRID_COLUMNS: usize = 1000;
/// Tallest `rowspan` honoured; `rowspan="0"` (to the end of the table) counts as this too.
pub(super) const MAX_ROWSPAN: usize = 1000;

/// `colspan`/`rowspan`: a positive number, at most `max`; `0` means "all the rest" and is
/// capped the same way; anything else is 1.
pub(super) fn span_attr(value: Option<&str>, max: usize) -> usize {
    match value.and_then(|v| v.trim().parse::<usize>().ok()) {
        Some(0) => max,
        Some(n) => n.min(max),
        None => 1,
    }
}

/// A cell's alignment from `align="…"` or a `text-align` declaration in `style`.
pub(super) fn cell_align(node: &Handle) -> Align {
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
pub(super) fn place_cells(rows: Vec<Row>) -> Vec<PlacedRow> {
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

pub(super) fn push_item(items: &mut Vec<Vec<Block>>, sink: Sink) {
    let blocks = sink.finish();
    if !blocks.is_empty() {
        items.push(blocks);
    }
}

/// `<ol start>`: empty, negative or out-of-range values fall back to 1.
pub(super) fn parse_start(value: Option<&str>) -> u64 {
    value
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
}

/// An image is inline text: it stays inside its sentence and inside its link. A paragraph
/// that holds nothing else becomes a [`Block::Image`] (see [`Sink::flush`]).
pub(super) fn image(node: &Handle, ctx: Ctx, sink: &mut Sink) {
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

/// What introduces the links of a `<pre>` block, in the paragraph after it.
const PRE_LINKS_LABEL: &str = "Links in the code above: ";

/// The longest link text made from a whole code block (a link around `<pre>`), in characters.
const PRE_LINK_TEXT: usize = 60;

/// `text` cut to [`PRE_LINK_TEXT`] characters, with `…` when cut.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(PRE_LINK_TEXT) {
        Some((at, _)) => format!("{}…", text[..at].trim_end()),
        None => text.to_owned(),
    }
}

/// A link inside preformatted text while its text is gathered: where its text starts and
/// ends in the gathered text, and its target.
pub(super) struct PreLink {
    start: usize,
    end: usize,
    href: String,
}

/// Gathers the text of `node`'s children as written (`<br>` a line break, dropped elements
/// left out), and every `<a href>` met with the range of its text.
pub(super) fn raw_text(node: &Handle, depth: usize, out: &mut String, links: &mut Vec<PreLink>) {
    if depth >= MAX_WALK_DEPTH {
        out.push_str(&descendant_text(node));
        return;
    }
    for child in node.children.borrow().iter() {
        match element_name(child) {
            Some("br") => out.push('\n'),
            Some(tag) if DROPPED.contains(&tag) => {}
            Some("a") => {
                // Registered before its text, so links stay in reading order.
                let start = out.len();
                let at = attr(child, "href").map(|href| {
                    links.push(PreLink {
                        start,
                        end: start,
                        href,
                    });
                    links.len() - 1
                });
                raw_text(child, depth + 1, out, links);
                if let Some(at) = at {
                    links[at].end = out.len();
                }
            }
            Some(_) => raw_text(child, depth + 1, out, links),
            None => out.push_str(&node_text(child).unwrap_or_default()),
        }
    }
}

/// The text inside `node`, gathered without recursion (for trees deeper than the walk goes):
/// `<br>` is a line break, elements dropped with their content stay dropped, and every
/// boundary of a non-inline element is a space so that words of neighbouring blocks do not
/// run together.
pub(super) fn descendant_text(node: &Handle) -> String {
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
pub(super) fn flatten(blocks: Vec<Block>) -> Vec<Inline> {
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

pub(super) fn flatten_item(blocks: Vec<Block>) -> Vec<Inline> {
    with_space(flatten(blocks))
}

pub(super) fn with_space(mut spans: Vec<Inline>) -> Vec<Inline> {
    spans.push(Inline {
        text: " ".to_owned(),
        ..Inline::default()
    });
    spans
}

/// Keeps only links some span refers to, renumbered in reading order.
pub(super) fn renumber_links(blocks: &mut [Block], links: &[Link]) -> Vec<Link> {
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

pub(super) fn for_each_inline(blocks: &mut [Block], f: &mut dyn FnMut(&mut Inline)) {
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

//! Wrapping a [`Document`] to a terminal width.
//!
//! Layout runs once per (article, width) and the result is cached by the caller; views then draw
//! only the visible slice of [`Layout::lines`], so scrolling never re-wraps.

use super::document::{Align, Block, Cell, Document, Inline};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// A document wrapped to one width: the lines to draw and a table of contents into them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layout {
    pub width: u16,
    pub lines: Vec<LayoutLine>,
    /// Headings in order, each with the index of its first line in `lines`.
    pub toc: Vec<TocEntry>,
}

/// One wrapped line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LayoutLine {
    pub spans: Vec<LayoutSpan>,
    /// Index into [`Layout::toc`] of the nearest heading at or above this line, used to keep a
    /// reading position that survives re-wrapping.
    pub section: Option<usize>,
}

/// A run of text on a wrapped line with its presentation role.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LayoutSpan {
    pub text: String,
    pub style: SpanStyle,
    /// The link a click on this span follows (an index into `Document::links`): the link's
    /// text and its `[n]` marker, in the article and in the `Links` list. Kept apart from
    /// [`SpanStyle::link`], which says what to draw as link text: a marker belongs to its link
    /// but is drawn as decoration.
    pub link: Option<usize>,
}

/// What a span is, for the view to pick colours; no terminal types here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpanStyle {
    pub bold: bool,
    pub italic: bool,
    pub code: bool,
    /// Part of a heading of this level.
    pub heading: Option<u8>,
    /// Part of the text of link `n` (index into `Document::links`).
    pub link: Option<usize>,
    /// The link points into the library.
    pub internal: bool,
    /// Decoration rather than content: `[n]` markers, bullets, numbers, quote bars, table
    /// borders, rules, `[image: …]`.
    pub decoration: bool,
    pub quote: bool,
    /// Struck-out text (drawn crossed out; `~~` marks around it are decoration spans).
    pub strike: bool,
}

/// A table-of-contents entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub title: String,
    /// First line of the heading in [`Layout::lines`].
    pub line: usize,
}

/// Narrowest and widest widths [`layout`] lays out to.
pub const MIN_WIDTH: u16 = 20;
/// See [`MIN_WIDTH`].
pub const MAX_WIDTH: u16 = 1000;
/// Columns always left for text: indentation of deep lists and quotes is cut to keep them.
const MIN_TEXT: usize = 10;
const COLUMN_GAP: &str = " │ ";
/// Starts each continuation of a code line too wide for the column (a visible mark, so a
/// reader never mistakes a wrapped line for two lines of code).
pub const CODE_CONTINUATION: &str = "↪";
const COLUMN_GAP_WIDTH: usize = 3;
/// Indentation of the continuation lines of a field in a stacked table.
const STACK_INDENT: &str = "  ";

/// Wraps `doc` to `width` columns (clamped to [`MIN_WIDTH`]..=[`MAX_WIDTH`]) for printing.
///
/// Lines never exceed the width, except a URL too long for any line, which is kept whole on a
/// line of its own, and the URLs of the `Links` list, which are never wrapped (so a printed
/// URL can be copied or searched whole; a terminal folds the long line, losing nothing).
pub fn layout(doc: &Document, width: u16) -> Layout {
    layout_with(doc, width, false)
}

/// [`layout`] for a screen that clips lines at its edge (the reader): the `Links` list wraps
/// its URLs too, continuation lines under the URL, so no URL is cut off.
pub fn layout_for_screen(doc: &Document, width: u16) -> Layout {
    layout_with(doc, width, true)
}

fn layout_with(doc: &Document, width: u16, wrap_link_urls: bool) -> Layout {
    let width = width.clamp(MIN_WIDTH, MAX_WIDTH);
    let mut layouter = Layouter {
        doc,
        width: usize::from(width),
        wrap_link_urls,
        out: Out::default(),
    };
    let mut ctx = Ctx::default();
    layouter.blocks(&doc.blocks, &mut ctx);
    layouter.links_footer();
    let Out { lines, toc, .. } = layouter.out.finish();
    Layout { width, lines, toc }
}

// ---------------------------------------------------------------------------------------------
// Output with blank-line discipline
// ---------------------------------------------------------------------------------------------

/// Collects lines. Blank separators are requested, not written: a pending separator is written
/// only before the next real line, and never next to another blank, so the result has no blank
/// line at either end and never two in a row.
#[derive(Default)]
struct Out {
    lines: Vec<LayoutLine>,
    toc: Vec<TocEntry>,
    /// The separator to write before the next line (empty, or a quote bar inside quotes).
    pending: Option<Vec<LayoutSpan>>,
}

impl Out {
    fn separate(&mut self, prefix: &[LayoutSpan]) {
        if !self.lines.is_empty() {
            self.pending = Some(prefix.to_vec());
        }
    }

    fn flush_pending(&mut self) {
        if let Some(separator) = self.pending.take() {
            self.push_blank(separator);
        }
    }

    fn push(&mut self, spans: Vec<LayoutSpan>) {
        self.flush_pending();
        let spans = tidy(spans);
        if is_blankish(&spans) {
            self.push_blank(spans);
        } else {
            self.push_raw(spans);
        }
    }

    /// A blank line inside code: kept even after another blank (code keeps its blank lines),
    /// but never at the top.
    fn push_code_blank(&mut self, prefix: Vec<LayoutSpan>) {
        self.flush_pending();
        if !self.lines.is_empty() {
            self.push_raw(tidy(prefix));
        }
    }

    /// A blank (or bar-only) line, unless at the top or after another one.
    fn push_blank(&mut self, spans: Vec<LayoutSpan>) {
        if self.lines.last().is_some_and(|l| !is_blankish(&l.spans)) {
            self.push_raw(tidy(spans));
        }
    }

    fn push_raw(&mut self, spans: Vec<LayoutSpan>) {
        let section = self.toc.len().checked_sub(1);
        self.lines.push(LayoutLine { spans, section });
    }

    fn finish(mut self) -> Out {
        while self.lines.last().is_some_and(|l| is_blankish(&l.spans)) {
            self.lines.pop();
        }
        self
    }
}

/// Drops empty spans and trailing whitespace, merges neighbours of one style.
fn tidy(spans: Vec<LayoutSpan>) -> Vec<LayoutSpan> {
    let mut out: Vec<LayoutSpan> = Vec::with_capacity(spans.len());
    for span in spans.into_iter().filter(|s| !s.text.is_empty()) {
        match out.last_mut() {
            Some(last) if last.same_run(&span) => last.text.push_str(&span.text),
            _ => out.push(span),
        }
    }
    while let Some(last) = out.last_mut() {
        let kept = last.text.trim_end().len();
        last.text.truncate(kept);
        if !last.text.is_empty() {
            break;
        }
        out.pop();
    }
    out
}

/// Whether a line shows nothing but whitespace and quote bars.
fn is_blankish(spans: &[LayoutSpan]) -> bool {
    spans
        .iter()
        .all(|s| s.text.trim().is_empty() || (s.style.decoration && s.text.trim() == "│"))
}

// ---------------------------------------------------------------------------------------------
// Nesting context: prefixes for lists and quotes
// ---------------------------------------------------------------------------------------------

/// Where blocks are being laid out: the prefix of the first line (a bullet) and of the others
/// (hanging indent, quote bars), and how blocks are separated.
#[derive(Clone, Default)]
struct Ctx {
    first: Vec<LayoutSpan>,
    rest: Vec<LayoutSpan>,
    /// A line has been written in this context (so the first-line prefix is used up).
    emitted: bool,
    /// No blank lines between blocks (list items).
    compact: bool,
    quote: bool,
}

impl Ctx {
    /// A nested context whose first line adds `marker` and whose other lines add `indent`.
    fn child(
        &self,
        marker: LayoutSpan,
        indent: LayoutSpan,
        compact: bool,
        quote: bool,
        width: usize,
    ) -> Ctx {
        let max = width.saturating_sub(MIN_TEXT);
        let mut first = if self.emitted {
            self.rest.clone()
        } else {
            self.first.clone()
        };
        first.push(marker);
        let mut rest = self.rest.clone();
        rest.push(indent);
        Ctx {
            first: fit_prefix(first, max),
            rest: fit_prefix(rest, max),
            emitted: false,
            compact,
            quote,
        }
    }

    fn prefix(&mut self) -> Vec<LayoutSpan> {
        if std::mem::replace(&mut self.emitted, true) {
            self.rest.clone()
        } else {
            self.first.clone()
        }
    }

    fn base(&self) -> SpanStyle {
        SpanStyle {
            quote: self.quote,
            ..SpanStyle::default()
        }
    }

    fn decoration(&self) -> SpanStyle {
        SpanStyle {
            decoration: true,
            ..self.base()
        }
    }
}

/// Cuts a prefix from the left until it fits in `max` columns (very deep nesting loses its
/// outer indentation rather than its text).
fn fit_prefix(spans: Vec<LayoutSpan>, max: usize) -> Vec<LayoutSpan> {
    let mut excess = spans_width(&spans).saturating_sub(max);
    if excess == 0 {
        return spans;
    }
    let mut out = Vec::new();
    for span in spans {
        let mut text = String::new();
        for g in span.text.graphemes(true) {
            let w = g.width();
            if excess > 0 {
                excess = excess.saturating_sub(w);
            } else {
                text.push_str(g);
            }
        }
        out.push(LayoutSpan {
            text,
            style: span.style,
            link: span.link,
        });
    }
    out
}

fn spans_width(spans: &[LayoutSpan]) -> usize {
    spans.iter().map(|s| s.text.width()).sum()
}

/// A span of `style`; link text belongs to the link it is drawn as.
fn span(text: impl Into<String>, style: SpanStyle) -> LayoutSpan {
    LayoutSpan {
        text: text.into(),
        style,
        link: style.link,
    }
}

/// A span that belongs to link `i` without being drawn as link text (a `[n]` marker).
fn link_span(text: impl Into<String>, style: SpanStyle, i: usize) -> LayoutSpan {
    LayoutSpan {
        link: Some(i),
        ..span(text, style)
    }
}

// ---------------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------------

struct Layouter<'d> {
    doc: &'d Document,
    width: usize,
    /// Wrap the URLs of the `Links` list (see [`layout_for_screen`]).
    wrap_link_urls: bool,
    out: Out,
}

impl Layouter<'_> {
    fn avail(&self, ctx: &Ctx) -> usize {
        let prefix = spans_width(&ctx.first).max(spans_width(&ctx.rest));
        self.width.saturating_sub(prefix).max(1)
    }

    fn blocks(&mut self, blocks: &[Block], ctx: &mut Ctx) {
        for block in blocks {
            if ctx.emitted && !ctx.compact {
                self.out.separate(&ctx.rest);
            }
            self.block(block, ctx);
        }
    }

    fn block(&mut self, block: &Block, ctx: &mut Ctx) {
        match block {
            Block::Heading { level, text } => self.heading(*level, text, ctx),
            Block::Paragraph(text) => self.paragraph(text, ctx.base(), ctx),
            Block::List { start, items } => self.list(*start, items, ctx),
            Block::Quote(blocks) => self.quote(blocks, ctx),
            Block::Table { header, rows } => self.table(header, rows, ctx),
            Block::Rule => {
                let line = span("─".repeat(self.avail(ctx)), ctx.decoration());
                self.emit(vec![vec![line]], ctx);
            }
            Block::Image { alt, .. } => self.image(alt, ctx),
            Block::Code(text) => self.code(text, ctx),
        }
    }

    /// Writes content lines behind the context's prefixes.
    fn emit(&mut self, lines: Vec<Vec<LayoutSpan>>, ctx: &mut Ctx) {
        for line in lines {
            let mut spans = ctx.prefix();
            spans.extend(line);
            self.out.push(spans);
        }
    }

    fn paragraph(&mut self, text: &[Inline], base: SpanStyle, ctx: &mut Ctx) {
        let tokens = tokenize(text, base, self.doc);
        let lines = wrap(&tokens, self.avail(ctx), false);
        self.emit(lines, ctx);
    }

    fn heading(&mut self, level: u8, text: &[Inline], ctx: &mut Ctx) {
        let level = level.clamp(1, 6);
        let title = plain_title(text);
        if title.is_empty() {
            return;
        }
        // The separator before the heading is written now so the entry points at the heading.
        self.out.flush_pending();
        let line = self.out.lines.len();
        self.out.toc.push(TocEntry { level, title, line });
        let base = SpanStyle {
            heading: Some(level),
            bold: true,
            ..ctx.base()
        };
        self.paragraph(text, base, ctx);
        if self.out.lines.len() == line {
            // Nothing visible was written (zero-width text): no entry to point at.
            self.out.toc.pop();
            return;
        }
        if !ctx.compact {
            self.out.separate(&ctx.rest);
        }
    }

    fn list(&mut self, start: Option<u64>, items: &[Vec<Block>], ctx: &mut Ctx) {
        let markers: Vec<String> = match start {
            Some(n) => (0..items.len())
                .map(|k| format!("{}.", n.saturating_add(k as u64)))
                .collect(),
            None => vec!["•".to_owned(); items.len()],
        };
        let marker_width = markers.iter().map(|m| m.width()).max().unwrap_or(1) + 1;
        for (item, marker) in items.iter().zip(markers) {
            let marker = span(
                format!("{marker:>w$} ", w = marker_width - 1),
                ctx.decoration(),
            );
            let indent = span(" ".repeat(marker_width), ctx.base());
            let mut child = ctx.child(marker, indent, true, ctx.quote, self.width);
            self.blocks(item, &mut child);
            if !child.emitted {
                // An empty item still shows its bullet.
                let prefix = child.prefix();
                self.out.push(prefix);
            }
            ctx.emitted = true;
        }
    }

    fn quote(&mut self, blocks: &[Block], ctx: &mut Ctx) {
        let bar = SpanStyle {
            decoration: true,
            quote: true,
            ..SpanStyle::default()
        };
        let mut child = ctx.child(span("│ ", bar), span("│ ", bar), false, true, self.width);
        self.blocks(blocks, &mut child);
        ctx.emitted |= child.emitted;
    }

    fn image(&mut self, alt: &str, ctx: &mut Ctx) {
        let text = Inline {
            text: format!("[image: {alt}]"),
            ..Inline::default()
        };
        let tokens = tokenize(std::slice::from_ref(&text), ctx.decoration(), self.doc);
        let lines = wrap(&tokens, self.avail(ctx), false);
        self.emit(lines, ctx);
    }

    /// Code keeps every character, its indentation and its blank lines. A line wider than the
    /// column is wrapped: each continuation line starts with [`CODE_CONTINUATION`], so the
    /// original line is the first piece followed by everything after each mark.
    fn code(&mut self, text: &str, ctx: &mut Ctx) {
        let avail = self.avail(ctx);
        let style = SpanStyle {
            code: true,
            ..ctx.base()
        };
        let mark = SpanStyle {
            decoration: true,
            ..style
        };
        for line in text.split('\n') {
            let line = line.replace('\t', "    ");
            let line = line.trim_end();
            if line.is_empty() {
                // A blank line of code is content: written even next to another blank.
                let prefix = ctx.prefix();
                self.out.push_code_blank(prefix);
                continue;
            }
            for (k, piece) in code_pieces(line, avail).into_iter().enumerate() {
                let mut spans = Vec::with_capacity(2);
                if k > 0 {
                    spans.push(span(CODE_CONTINUATION, mark));
                }
                spans.push(span(piece, style));
                self.emit(vec![spans], ctx);
            }
        }
    }

    fn table(&mut self, header: &[Cell], rows: &[Vec<Cell>], ctx: &mut Ctx) {
        let bold = SpanStyle {
            bold: true,
            ..ctx.base()
        };
        let tokenize_row = |row: &[Cell], base| -> Vec<TableCell> {
            row.iter()
                .map(|c| TableCell {
                    tokens: tokenize(&c.text, base, self.doc),
                    column: c.column,
                    colspan: c.colspan.max(1),
                    align: c.align,
                })
                .collect()
        };
        let header = tokenize_row(header, bold);
        let rows: Vec<Vec<TableCell>> = rows.iter().map(|r| tokenize_row(r, ctx.base())).collect();
        let columns = std::iter::once(&header)
            .chain(&rows)
            .flatten()
            .map(|c| c.column + c.colspan)
            .max()
            .unwrap_or(0);
        if columns == 0 {
            return;
        }
        let all = std::iter::once(&header).chain(&rows);
        match column_widths(all, columns, self.avail(ctx)) {
            Some(widths) => self.grid(&header, &rows, &widths, ctx),
            None => self.stacked(&header, &rows, ctx),
        }
    }

    /// A table drawn as columns separated by `│`, with a `─┼─` rule under the header.
    fn grid(
        &mut self,
        header: &[TableCell],
        rows: &[Vec<TableCell>],
        widths: &[usize],
        ctx: &mut Ctx,
    ) {
        if !header.is_empty() {
            self.grid_row(header, widths, ctx);
            let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
            let rule = span(rule.join("─┼─"), ctx.decoration());
            self.emit(vec![vec![rule]], ctx);
        }
        for row in rows {
            self.grid_row(row, widths, ctx);
        }
    }

    fn grid_row(&mut self, cells: &[TableCell], widths: &[usize], ctx: &mut Ctx) {
        // Each slot: (first column, columns spanned, wrapped lines, alignment); columns no
        // cell starts in (empty, or covered by a rowspan) are blank slots of one column.
        let mut slots = Vec::new();
        let mut c = 0;
        let mut next = cells.iter().peekable();
        while c < widths.len() {
            while next.peek().is_some_and(|cell| cell.column < c) {
                next.next();
            }
            match next.peek() {
                Some(cell) if cell.column == c => {
                    let span_cols = cell.colspan.min(widths.len() - c);
                    let width = span_width(&widths[c..c + span_cols]);
                    slots.push((c, span_cols, wrap(&cell.tokens, width, true), cell.align));
                    c += span_cols;
                    next.next();
                }
                _ => {
                    slots.push((c, 1, Vec::new(), Align::Left));
                    c += 1;
                }
            }
        }
        let height = slots.iter().map(|s| s.2.len()).max().unwrap_or(0).max(1);
        let mut lines = Vec::with_capacity(height);
        for k in 0..height {
            let mut line = Vec::new();
            for (i, (c, span_cols, wrapped, align)) in slots.iter().enumerate() {
                if i > 0 {
                    line.push(span(COLUMN_GAP, ctx.decoration()));
                }
                let width = span_width(&widths[*c..*c + *span_cols]);
                let cell = wrapped.get(k).cloned().unwrap_or_default();
                let pad = width.saturating_sub(spans_width(&cell));
                let (left, right) = match align {
                    Align::Left => (0, pad),
                    Align::Right => (pad, 0),
                    Align::Center => (pad / 2, pad - pad / 2),
                };
                line.push(span(" ".repeat(left), ctx.base()));
                line.extend(cell);
                line.push(span(" ".repeat(right), ctx.base()));
            }
            lines.push(line);
        }
        self.emit(lines, ctx);
    }

    /// The longest words cannot stand side by side: each row becomes a block of
    /// `Header: value` lines (just the values when the table has no header), rows separated by
    /// a blank line. No word is split unless it alone is wider than the page.
    fn stacked(&mut self, header: &[TableCell], rows: &[Vec<TableCell>], ctx: &mut Ctx) {
        // A table that is only a header row stacks that row, unlabelled.
        let only_header = [header.to_vec()];
        let (labels, rows): (&[TableCell], &[Vec<TableCell>]) = if rows.is_empty() {
            (&[], &only_header)
        } else {
            (header, rows)
        };
        let avail = self.avail(ctx);
        // Which label each column falls under (the first header cell covering it, if it has
        // words): one pass, so a table thousands of columns wide stacks in linear time.
        let width = labels
            .iter()
            .chain(rows.iter().flatten())
            .map(|c| c.column + c.colspan)
            .max()
            .unwrap_or(0);
        let mut owner: Vec<Option<usize>> = vec![None; width];
        for (i, label) in labels.iter().enumerate() {
            if !has_words(&label.tokens) {
                continue;
            }
            for slot in &mut owner[label.column..(label.column + label.colspan).min(width)] {
                slot.get_or_insert(i);
            }
        }
        for (r, row) in rows.iter().enumerate() {
            if r > 0 {
                self.out.separate(&ctx.rest);
            }
            // Every labelled column gets its line in every row, empty or not, so no header is
            // lost to a column of empty cells; unlabelled cells show when they hold something.
            // Fields come in column order.
            let mut under: Vec<Vec<&TableCell>> = vec![Vec::new(); labels.len()];
            // (column, label or loose cell)
            let mut order: Vec<(usize, Result<usize, &TableCell>)> = Vec::new();
            for cell in row {
                match owner.get(cell.column).copied().flatten() {
                    Some(i) => under[i].push(cell),
                    None if has_words(&cell.tokens) => order.push((cell.column, Err(cell))),
                    None => {}
                }
            }
            for (i, label) in labels.iter().enumerate() {
                if has_words(&label.tokens) {
                    order.push((label.column, Ok(i)));
                }
            }
            order.sort_by_key(|(column, item)| (*column, item.is_err()));
            let mut fields: Vec<(Option<&TableCell>, Option<&TableCell>)> = Vec::new();
            for (_, item) in order {
                match item {
                    Ok(i) if under[i].is_empty() => fields.push((Some(&labels[i]), None)),
                    Ok(i) => fields.extend(under[i].iter().map(|c| (Some(&labels[i]), Some(*c)))),
                    Err(cell) => fields.push((None, Some(cell))),
                }
            }
            for (label, cell) in fields {
                let mut tokens = Vec::new();
                if let Some(label) = label {
                    tokens.extend(label.tokens.iter().map(|t| match t {
                        Token::Break => Token::Space(ctx.base()),
                        t => t.clone(),
                    }));
                    if let Some(Token::Word(last)) = tokens
                        .iter_mut()
                        .rev()
                        .find(|t| matches!(t, Token::Word(_)))
                    {
                        let style = last.pieces.last().map(|p| p.style).unwrap_or_default();
                        last.push(span(
                            ":",
                            SpanStyle {
                                link: None,
                                ..style
                            },
                        ));
                    }
                    tokens.push(Token::Space(ctx.base()));
                }
                if let Some(cell) = cell {
                    tokens.extend(cell.tokens.iter().cloned());
                }
                // A hanging indent tells one field's continuation from the next field.
                // Indented only when that splits no word: a word that needs the whole line
                // gets it.
                let indented = avail.saturating_sub(STACK_INDENT.len());
                let rest = if longest_word(&tokens) <= indented {
                    indented
                } else {
                    avail
                };
                let indent = if rest < avail { STACK_INDENT } else { "" };
                let mut lines = wrap_hanging(&tokens, avail, rest, false);
                for line in lines.iter_mut().skip(1) {
                    line.insert(0, span(indent, ctx.base()));
                }
                self.emit(lines, ctx);
            }
        }
    }

    /// A blank line, `Links`, and one line per link: `[n] URL`, plus `→ slug` for links into the
    /// library. URLs here are never wrapped.
    fn links_footer(&mut self) {
        if self.doc.links.is_empty() {
            return;
        }
        self.out.separate(&[]);
        let title = SpanStyle {
            heading: Some(2),
            bold: true,
            ..SpanStyle::default()
        };
        self.out.push(vec![span("Links", title)]);
        for (i, link) in self.doc.links.iter().enumerate() {
            let internal = link.internal.is_some();
            let decoration = SpanStyle {
                decoration: true,
                internal,
                ..SpanStyle::default()
            };
            let url = SpanStyle {
                link: Some(i),
                internal,
                ..SpanStyle::default()
            };
            // The whole entry stands for its link, so a click anywhere on it follows it.
            let number = link_span(format!("[{}] ", i + 1), decoration, i);
            if !self.wrap_link_urls {
                let mut line = vec![number, span(visible(&link.url), url)];
                if let Some(slug) = &link.internal {
                    line.push(link_span(format!(" → {}", visible(slug)), decoration, i));
                }
                self.out.push(line);
                continue;
            }
            // Wrapped under the URL's first column, broken after its punctuation where it can;
            // `→ slug` goes where it fits.
            let indent = number.text.width();
            let mut tokens = vec![Token::Word(Word {
                width: visible(&link.url).width(),
                pieces: vec![span(visible(&link.url), url)],
                url: true,
            })];
            if let Some(slug) = &link.internal {
                let text = format!("→ {}", visible(slug));
                tokens.push(Token::Space(SpanStyle::default()));
                tokens.push(Token::Word(Word {
                    width: text.width(),
                    pieces: vec![link_span(text, decoration, i)],
                    url: false,
                }));
            }
            let room = self.width.saturating_sub(indent).max(MIN_TEXT);
            for (k, mut line) in wrap(&tokens, room, true).into_iter().enumerate() {
                let lead = if k == 0 {
                    number.clone()
                } else {
                    link_span(" ".repeat(indent), SpanStyle::default(), i)
                };
                line.insert(0, lead);
                for piece in &mut line {
                    piece.link = Some(i);
                }
                self.out.push(line);
            }
        }
    }
}

/// Text with control characters removed, for strings shown as they are.
fn visible(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// A heading's text for the table of contents.
fn plain_title(text: &[Inline]) -> String {
    let joined: String = text
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join("");
    visible(&joined.replace('\n', " "))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits a code line into pieces for [`Layouter::code`]: the first at most `avail` columns,
/// the others at most `avail - 1` (their line starts with the continuation mark). A piece ends
/// before a space when one is in its second half, so words of code stay whole where they can;
/// the space then starts the next piece, and nothing is dropped.
fn code_pieces(line: &str, avail: usize) -> Vec<String> {
    let graphemes: Vec<&str> = line.graphemes(true).collect();
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < graphemes.len() {
        let room = if pieces.is_empty() {
            avail
        } else {
            avail.saturating_sub(1)
        }
        .max(1);
        let mut used = 0;
        let mut end = start;
        while end < graphemes.len() && (end == start || used + graphemes[end].width() <= room) {
            used += graphemes[end].width();
            end += 1;
        }
        if end < graphemes.len() {
            // Prefer to break before a space in the second half of the piece, else after
            // punctuation (`_`, `.`, `,` …) between letters or digits, so words stay whole.
            let half = start + (end - start) / 2;
            let alnum = |k: usize| graphemes[k].chars().any(char::is_alphanumeric);
            if let Some(space) = (half.max(start + 1)..end)
                .rev()
                .find(|&k| graphemes[k] == " " && graphemes[k - 1] != " ")
            {
                end = space;
            } else if alnum(end) && alnum(end - 1) {
                let after_punct = (start + 1..end)
                    .rev()
                    .find(|&k| alnum(k) && !alnum(k - 1) && graphemes[k - 1] != " ");
                let any_space = (start + 1..end)
                    .rev()
                    .find(|&k| graphemes[k] == " " && graphemes[k - 1] != " ");
                if let Some(at) = after_punct.or(any_space) {
                    end = at;
                }
            }
            // A terminal line loses its trailing spaces: never end a piece on one.
            while end > start + 1 && graphemes[end - 1] == " " {
                end -= 1;
            }
        }
        pieces.push(graphemes[start..end].concat());
        start = end;
    }
    pieces
}

/// A table cell ready for layout.
#[derive(Clone, Debug)]
struct TableCell {
    tokens: Vec<Token>,
    column: usize,
    colspan: usize,
    align: Align,
}

/// Whether a cell shows anything.
fn has_words(tokens: &[Token]) -> bool {
    tokens
        .iter()
        .any(|t| matches!(t, Token::Word(w) if w.width > 0))
}

/// The width of a run of columns with the gaps between them.
fn span_width(widths: &[usize]) -> usize {
    widths.iter().sum::<usize>() + COLUMN_GAP_WIDTH * widths.len().saturating_sub(1)
}

/// Column widths for a table in `avail` columns, as a browser's automatic table layout picks
/// them: each column is at least its longest word (its minimum) and at most its longest
/// unwrapped line (its natural width). When the natural widths fit they are used; otherwise
/// the room beyond the minimums is shared in proportion to how much more each column would
/// like. `None` when even the minimums cannot stand side by side: the caller then stacks
/// the table rather than split words. Cells spanning several columns spread what they need
/// beyond those columns' own widths evenly over them.
fn column_widths<'a>(
    rows: impl Iterator<Item = &'a Vec<TableCell>>,
    columns: usize,
    avail: usize,
) -> Option<Vec<usize>> {
    let budget = avail.checked_sub(COLUMN_GAP_WIDTH * (columns - 1))?;
    let mut min = vec![1; columns];
    let mut max = vec![1; columns];
    let mut spanning = Vec::new();
    for row in rows {
        for cell in row {
            let (lo, hi) = (longest_word(&cell.tokens), natural_width(&cell.tokens));
            if cell.colspan == 1 {
                min[cell.column] = min[cell.column].max(lo);
                max[cell.column] = max[cell.column].max(hi);
            } else {
                spanning.push((cell.column, cell.colspan.min(columns - cell.column), lo, hi));
            }
        }
    }
    for (c, n, lo, hi) in spanning {
        for (want, widths) in [(lo, &mut min), (hi, &mut max)] {
            let have = span_width(&widths[c..c + n]);
            let short = want.saturating_sub(have);
            for (k, w) in widths[c..c + n].iter_mut().enumerate() {
                *w += short / n + usize::from(k < short % n);
            }
        }
    }
    for (lo, hi) in min.iter().zip(max.iter_mut()) {
        *hi = (*hi).max(*lo);
    }
    let (sum_min, sum_max) = (min.iter().sum::<usize>(), max.iter().sum::<usize>());
    if sum_min > budget {
        return None;
    }
    if sum_max <= budget {
        return Some(max);
    }
    // Share the extra room in proportion to (natural - minimum), largest remainders first.
    let extra = budget - sum_min;
    let wants: Vec<usize> = max.iter().zip(&min).map(|(hi, lo)| hi - lo).collect();
    let total: usize = wants.iter().sum();
    let mut widths: Vec<usize> = min
        .iter()
        .zip(&wants)
        .map(|(lo, want)| lo + extra * want / total)
        .collect();
    let mut left = budget - widths.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..columns).collect();
    order.sort_by_key(|&c| std::cmp::Reverse((extra * wants[c]) % total));
    for c in order.into_iter().cycle().take(columns * 2) {
        if left == 0 {
            break;
        }
        if widths[c] < max[c] {
            widths[c] += 1;
            left -= 1;
        }
    }
    Some(widths)
}

/// The widest unbreakable piece of a cell: its longest word, or for a URL (which a cell may
/// break after its punctuation) its longest run between such breaks.
fn longest_word(tokens: &[Token]) -> usize {
    tokens
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) if w.url => Some(
                segments(&w.pieces)
                    .iter()
                    .map(|seg| spans_width(seg))
                    .max()
                    .unwrap_or(0),
            ),
            Token::Word(w) => Some(w.width),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

/// The width a cell takes unwrapped (its widest hard line).
fn natural_width(tokens: &[Token]) -> usize {
    let (mut widest, mut line, mut space) = (0, 0, false);
    for token in tokens {
        match token {
            Token::Break => {
                (line, space) = (0, false);
            }
            Token::Space(_) => space = line > 0,
            Token::Word(w) => {
                line += w.width + usize::from(space);
                space = false;
            }
        }
        widest = widest.max(line);
    }
    widest
}

// ---------------------------------------------------------------------------------------------
// Words and wrapping
// ---------------------------------------------------------------------------------------------

/// A unit of wrapping.
#[derive(Clone, Debug)]
enum Token {
    Word(Word),
    /// A breakable space, in the style of the text it came from (links underline their spaces).
    Space(SpanStyle),
    Break,
}

/// Text between spaces, possibly in several styles (`**bold**text`), with any link markers.
#[derive(Clone, Debug, Default)]
struct Word {
    pieces: Vec<LayoutSpan>,
    width: usize,
    /// A URL: never broken inside, even when longer than a line.
    url: bool,
}

impl Word {
    fn push(&mut self, piece: LayoutSpan) {
        self.width += piece.text.width();
        match self.pieces.last_mut() {
            Some(last) if last.same_run(&piece) => last.text.push_str(&piece.text),
            _ => self.pieces.push(piece),
        }
    }

    /// The word's own text, without link markers.
    fn content(&self) -> String {
        self.pieces
            .iter()
            .filter(|p| !p.style.decoration)
            .map(|p| p.text.as_str())
            .collect()
    }
}

/// Splits inline spans into words, spaces and breaks, attaching ` [n]` after each link's text.
fn tokenize(inlines: &[Inline], base: SpanStyle, doc: &Document) -> Vec<Token> {
    let mut t = Tokenizer {
        doc,
        tokens: Vec::new(),
        word: Word::default(),
        link: None,
        strike: false,
    };
    for inline in inlines {
        let style = span_style(inline, base, doc);
        let strike = inline.style.strike && !base.strike;
        // Strike marks go inside link markers: `~~text~~ [1]`.
        if !strike {
            t.close_strike();
        }
        if style.link != t.link {
            t.close_link();
            t.link = style.link;
        }
        if strike && !t.strike {
            t.open_strike(style);
        }
        if inline.style.image {
            // An image is a word of its own, even right after text or another image.
            let after_word =
                !t.word.pieces.is_empty() || matches!(t.tokens.last(), Some(Token::Word(_)));
            if after_word {
                t.text(" ", SpanStyle::default());
            }
            // `[image:` stays with the first word of the alt text.
            let (first, rest) = inline.text.split_once(' ').unwrap_or((&inline.text, ""));
            t.word.push(span(format!("[image: {first}"), style));
            if rest.is_empty() {
                t.text("]", style);
            } else {
                t.text(&format!(" {rest}]"), style);
            }
        } else {
            t.text(&inline.text, style);
        }
    }
    t.close_strike();
    t.close_link();
    t.finish_word();
    t.tokens
}

/// Marks struck-out text in the text itself, so that it reads as struck where no style shows
/// (`read` into a file or a pipe) and a reader of "~~don't~~" is never told "don't".
const STRIKE_MARK: &str = "~~";

fn span_style(inline: &Inline, base: SpanStyle, doc: &Document) -> SpanStyle {
    let mut style = base;
    style.bold |= inline.style.bold;
    style.italic |= inline.style.italic;
    style.code |= inline.style.code;
    style.strike |= inline.style.strike;
    if inline.style.image {
        // `[image: alt]` is decoration around the alt text, whether or not it is a link.
        style.decoration = true;
        style.strike = false;
    }
    if let Some(link) = inline.link.and_then(|i| doc.links.get(i).map(|l| (i, l))) {
        style.link = Some(link.0);
        style.internal = link.1.internal.is_some();
    }
    style
}

struct Tokenizer<'d> {
    doc: &'d Document,
    tokens: Vec<Token>,
    word: Word,
    link: Option<usize>,
    /// Inside struck-out text: the closing mark is still to come.
    strike: bool,
}

impl Tokenizer<'_> {
    fn text(&mut self, text: &str, style: SpanStyle) {
        let mut run = String::new();
        for c in text.chars() {
            if c == '\n' || c.is_whitespace() {
                self.push_run(&mut run, style);
                self.finish_word();
                if c == '\n' {
                    self.tokens.push(Token::Break);
                } else if !matches!(self.tokens.last(), Some(Token::Space(_))) {
                    self.tokens.push(Token::Space(style));
                }
            } else if !c.is_control() {
                run.push(c);
            }
        }
        self.push_run(&mut run, style);
    }

    fn push_run(&mut self, run: &mut String, style: SpanStyle) {
        if !run.is_empty() {
            self.word.push(span(std::mem::take(run), style));
        }
    }

    fn finish_word(&mut self) {
        let mut word = std::mem::take(&mut self.word);
        if word.pieces.is_empty() {
            return;
        }
        let content = word.content();
        let lower = content.get(..8).unwrap_or(&content).to_ascii_lowercase();
        let link_url = word
            .pieces
            .first()
            .and_then(|p| p.style.link)
            .and_then(|i| self.doc.links.get(i));
        word.url = lower.starts_with("http://")
            || lower.starts_with("https://")
            || link_url.is_some_and(|l| l.url == content);
        self.tokens.push(Token::Word(word));
    }

    /// Opens struck-out text: the mark starts the next word (or joins the current one).
    fn open_strike(&mut self, style: SpanStyle) {
        self.strike = true;
        let mark = SpanStyle {
            decoration: true,
            strike: false,
            link: None,
            ..style
        };
        self.word.push(LayoutSpan {
            text: STRIKE_MARK.to_owned(),
            style: mark,
            link: style.link,
        });
    }

    /// Closes struck-out text: the mark ends the last word, never a line of its own.
    fn close_strike(&mut self) {
        if !std::mem::take(&mut self.strike) {
            return;
        }
        let style = SpanStyle {
            decoration: true,
            ..SpanStyle::default()
        };
        let mark = span(STRIKE_MARK, style);
        // Nothing struck on this line (the text ended in a break): a mark of its own.
        if let Err(mark) = self.attach_to_last_word(mark) {
            let mut word = Word::default();
            word.push(mark);
            self.tokens.push(Token::Word(word));
        }
    }

    /// Appends `piece` to the word being built, else to the last word of the current line, so
    /// a mark never wraps onto a line of its own; gives it back when the line has no word.
    fn attach_to_last_word(&mut self, piece: LayoutSpan) -> Result<(), LayoutSpan> {
        if !self.word.pieces.is_empty() {
            self.word.push(piece);
            return Ok(());
        }
        let last_word = self
            .tokens
            .iter_mut()
            .rev()
            .take_while(|t| !matches!(t, Token::Break))
            .find_map(|t| match t {
                Token::Word(w) => Some(w),
                _ => None,
            });
        match last_word {
            Some(word) => {
                word.push(piece);
                Ok(())
            }
            None => Err(piece),
        }
    }

    /// Attaches the ` [n]` marker of the link that just ended to its last word, so the marker
    /// never wraps onto a line of its own.
    fn close_link(&mut self) {
        let Some(i) = self.link.take() else { return };
        let internal = self.doc.links.get(i).is_some_and(|l| l.internal.is_some());
        let style = SpanStyle {
            decoration: true,
            internal,
            ..SpanStyle::default()
        };
        let marker = link_span(format!(" [{}]", i + 1), style, i);
        // A link with no text on this line keeps no marker here (the Links list has it).
        let _ = self.attach_to_last_word(marker);
    }
}

/// Greedy word wrap to `avail` columns. Words wider than a line are broken by grapheme, except
/// URLs (unless `break_urls`, used in table cells), which keep a line of their own.
fn wrap(tokens: &[Token], avail: usize, break_urls: bool) -> Vec<Vec<LayoutSpan>> {
    wrap_hanging(tokens, avail, avail, break_urls)
}

/// [`wrap`] with a first line of `first` columns and the others of `rest`.
fn wrap_hanging(
    tokens: &[Token],
    first: usize,
    rest: usize,
    break_urls: bool,
) -> Vec<Vec<LayoutSpan>> {
    let mut w = Wrapper {
        avail: first.max(1),
        rest: rest.max(1),
        lines: Vec::new(),
        line: Vec::new(),
        used: 0,
        space: None,
    };
    for token in tokens {
        match token {
            Token::Break => {
                w.end_line();
            }
            Token::Space(style) => {
                if w.used > 0 {
                    w.space = Some(*style);
                }
            }
            Token::Word(word) if word.width > 0 => w.word(word, break_urls),
            Token::Word(_) => {}
        }
    }
    if !w.line.is_empty() {
        w.lines.push(w.line);
    }
    w.lines
}

struct Wrapper {
    avail: usize,
    /// The width of every line after the first.
    rest: usize,
    lines: Vec<Vec<LayoutSpan>>,
    line: Vec<LayoutSpan>,
    used: usize,
    space: Option<SpanStyle>,
}

impl Wrapper {
    fn end_line(&mut self) {
        self.lines.push(std::mem::take(&mut self.line));
        self.avail = self.rest;
        self.used = 0;
        self.space = None;
    }

    fn word(&mut self, word: &Word, break_urls: bool) {
        let space = self.space.take();
        if self.used > 0 && self.used + 1 + word.width <= self.avail {
            self.line.push(span(" ", space.unwrap_or_default()));
            self.line.extend(word.pieces.iter().cloned());
            self.used += 1 + word.width;
            return;
        }
        if self.used > 0 {
            self.end_line();
        }
        if word.width <= self.avail || (word.url && !break_urls) {
            // An overlong URL fills its line; the next word then starts a new one.
            self.line.extend(word.pieces.iter().cloned());
            self.used = word.width;
            return;
        }
        let mut chunks = break_word(word, self.avail.min(self.rest));
        if let Some(last) = chunks.pop() {
            if !chunks.is_empty() {
                self.avail = self.rest;
            }
            self.lines.extend(chunks);
            self.used = spans_width(&last);
            self.line = last;
        }
    }
}

/// Breaks a word into chunks of at most `avail` columns: after its punctuation where it can
/// (`experimentation-` `heavy`, `linkedin.com/in/` `name`), so the runs of letters and digits
/// inside it stay whole; by grapheme only a run that alone is wider than the line. A link
/// marker (a decoration piece ` [n]`) is kept in one piece.
fn break_word(word: &Word, avail: usize) -> Vec<Vec<LayoutSpan>> {
    let units = segments(&word.pieces);
    let mut chunks: Vec<Vec<LayoutSpan>> = vec![Vec::new()];
    let mut used = 0;
    let mut place = |unit: Vec<LayoutSpan>, chunks: &mut Vec<Vec<LayoutSpan>>| {
        let w = spans_width(&unit);
        if used > 0 && used + w > avail {
            chunks.push(Vec::new());
            used = 0;
        }
        used += w;
        if let Some(chunk) = chunks.last_mut() {
            for piece in unit {
                match chunk.last_mut() {
                    Some(last) if last.same_run(&piece) => last.text.push_str(&piece.text),
                    _ => chunk.push(piece),
                }
            }
        }
    };
    for unit in units {
        if spans_width(&unit) > avail && unit.iter().map(|p| p.text.len()).sum::<usize>() > 1 {
            // A segment of a URL longer than the line: by grapheme after all.
            for g in grapheme_units(&unit) {
                place(g, &mut chunks);
            }
        } else {
            place(unit, &mut chunks);
        }
    }
    chunks
}

/// Whether a piece is a link marker ` [n]`, which never breaks.
fn is_marker(piece: &LayoutSpan) -> bool {
    piece.style.decoration && piece.text.starts_with(" [")
}

/// A word's pieces cut into single graphemes (markers whole).
fn grapheme_units(pieces: &[LayoutSpan]) -> Vec<Vec<LayoutSpan>> {
    let mut units = Vec::new();
    for piece in pieces {
        if is_marker(piece) {
            units.push(vec![piece.clone()]);
            continue;
        }
        for g in piece.text.graphemes(true) {
            units.push(vec![LayoutSpan {
                text: g.to_owned(),
                style: piece.style,
                link: piece.link,
            }]);
        }
    }
    units
}

/// A word's pieces cut after each run of punctuation (`/`, `.`, `-`, `?`, `=`, `&` …), so
/// that the runs of letters and digits inside it are never split; a link marker stays with
/// the segment before it.
fn segments(pieces: &[LayoutSpan]) -> Vec<Vec<LayoutSpan>> {
    let mut units: Vec<Vec<LayoutSpan>> = Vec::new();
    let mut current: Vec<LayoutSpan> = Vec::new();
    let mut after_punct = false;
    for piece in pieces {
        if is_marker(piece) {
            current.push(piece.clone());
            continue;
        }
        for g in piece.text.graphemes(true) {
            let punct = !g.chars().any(char::is_alphanumeric);
            if after_punct && !punct && !current.is_empty() {
                units.push(std::mem::take(&mut current));
            }
            after_punct = punct;
            match current.last_mut() {
                Some(last) if last.style == piece.style && last.link == piece.link => {
                    last.text.push_str(g)
                }
                _ => current.push(LayoutSpan {
                    text: g.to_owned(),
                    style: piece.style,
                    link: piece.link,
                }),
            }
        }
    }
    if !current.is_empty() {
        units.push(current);
    }
    units
}

impl LayoutSpan {
    /// Whether `next` can join this span: same look and same link. Markers of two links look
    /// the same (` [1] [2]`) but must stay apart to be told apart by a click.
    fn same_run(&self, next: &LayoutSpan) -> bool {
        self.style == next.style && self.link == next.link
    }
}

impl LayoutLine {
    /// The line's text without styles.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
}

impl Layout {
    /// The whole layout as plain text, one `\n` per line, no trailing spaces.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(line.text().trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::render::document::{self, InlineStyle, Link};

    /// Same fixture as the document tests: a miniature Webflow export with its trailer.
    const WEBFLOW: &str = concat!(
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

    const LONG_URL: &str = "https://careers.example/blog/an-unusually-long-article-slug-that-will-never-fit-on-one-narrow-line?utm_source=test";

    /// A larger body exercising every block kind, for property checks.
    fn big_body() -> String {
        let mut body = String::new();
        body.push_str("<h1 id=\"\">Getting <em>hired</em> faster</h1>");
        for i in 0..6 {
            body.push_str(&format!(
                "<p id=\"\">Paragraph {i}: recruiters skim résumés quickly, so lead with impact.&nbsp; \
                 Quantify results (revenue, time saved) and <a href=\"https://x.example/blog/topic-{i}\">read \
                 the guide on impact statements</a> before you apply. 日本語のテキストも折り返す必要があります。\
                 Team 👩\u{200D}💻 pairing and a Supercalifragilisticexpialidociousnessword too.<br>\u{200D}</p>\
                 <p id=\"\">\u{200D}</p>"
            ));
        }
        body.push_str(&format!(
            "<p>Bare link: {LONG_URL} and <a href=\"{LONG_URL}\">{LONG_URL}</a>.</p>"
        ));
        body.push_str("<h2 id=\"\"><strong>Lists</strong></h2><ol start=\"9\">");
        for i in 0..4 {
            body.push_str(&format!(
                "<li>Step {i} with enough words to wrap onto a second line at narrow widths</li>"
            ));
        }
        body.push_str("</ol><ul><li>Top<ul><li>Middle<ul><li>Bottom level item with several words in it</li></ul></li></ul></li></ul>");
        body.push_str("<blockquote><p>Quoted advice that runs long enough to wrap.</p><p>Second quoted paragraph.</p>\
            <ul><li>quoted bullet</li></ul></blockquote>");
        body.push_str("<h3>A <a href=\"https://x.example/blog/tables\">table</a> of options</h3>\
            <table><thead><tr><th>Option</th><th>Effort</th><th>Notes</th></tr></thead><tbody>\
            <tr><td>Referral</td><td>Low</td><td>Ask a former colleague to introduce you to the hiring manager directly</td></tr>\
            <tr><td>Cold email</td><td>Medium effort overall</td><td>Short, specific, and sent on a Tuesday morning</td></tr>\
            <tr><td>Ragged</td></tr></tbody></table>");
        body.push_str("<table><tr><th>a</th><th>b</th><th>c</th><th>d</th><th>e</th><th>f</th><th>g</th></tr>\
            <tr><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td><td>7</td></tr></table>");
        body.push_str("<hr><img src=\"/images/a-very-long-image-file-name-for-the-hero-banner.png\" alt=\"\">\
            <iframe src=\"https://www.youtube.com/embed/xyz\"></iframe>\
            <pre>fn main() {\n    println!(\"a line of code that is much longer than twenty columns\");\n}</pre>");
        body.push_str("<h4>Last</h4><p>One<br><br><br>two</p>\n\n---\n\n## Related articles\n\n");
        body.push_str("- [Questions to ask](https://x.example/blog/questions-to-ask)\n");
        body
    }

    fn doc_of(body: &str) -> Document {
        let mut doc = match document::parse(body) {
            Ok(doc) => doc,
            Err(e) => panic!("parse failed: {e}"),
        };
        doc.resolve_links(|url| {
            url.strip_prefix("https://x.example/blog/")
                .map(str::to_owned)
        });
        doc
    }

    #[test]
    fn webflow_body_at_40_columns() {
        let doc = document::parse(WEBFLOW).unwrap();
        let expected = "\
Send a short thank-you note within a day
of every interview.

Why a note matters

Hiring teams meet many people in a week.

📌See five note templates [1]

Steps

1. Thank them
2. Recall one topic

Then, a little later:

3. Offer more details

When   │ What
───────┼────────────────
Day 1  │ Thank-you note
Week 2 │ Polite check-in

[image: desk-setup.png]

Embedded video: Follow-up tips [2]

{rule}

Tailor your resume

👉
https://tools.example/resume-tailor [3]

{rule}

Related articles

• Questions to ask at the end [4]
• Salary talks for beginners [5]

Links
[1] https://x.example/blog/note-templates
[2] https://www.youtube.com/embed/abc123
[3] https://tools.example/resume-tailor
[4] https://x.example/blog/questions-to-ask
[5] https://x.example/blog/salary-talks
";
        assert_eq!(
            layout(&doc, 40).plain_text(),
            expected.replace("{rule}", &"─".repeat(40))
        );
    }

    #[test]
    fn webflow_body_at_80_columns_with_internal_links() {
        let doc = doc_of(WEBFLOW);
        let expected = "\
Send a short thank-you note within a day of every interview.

Why a note matters

Hiring teams meet many people in a week.

📌See five note templates [1]

Steps

1. Thank them
2. Recall one topic

Then, a little later:

3. Offer more details

When   │ What
───────┼────────────────
Day 1  │ Thank-you note
Week 2 │ Polite check-in

[image: desk-setup.png]

Embedded video: Follow-up tips [2]

{rule}

Tailor your resume

👉 https://tools.example/resume-tailor [3]

{rule}

Related articles

• Questions to ask at the end [4]
• Salary talks for beginners [5]

Links
[1] https://x.example/blog/note-templates → note-templates
[2] https://www.youtube.com/embed/abc123
[3] https://tools.example/resume-tailor
[4] https://x.example/blog/questions-to-ask → questions-to-ask
[5] https://x.example/blog/salary-talks → salary-talks
";
        let out = layout(&doc, 80);
        assert_eq!(
            out.plain_text(),
            expected.replace("{rule}", &"─".repeat(80))
        );
        let titles: Vec<(u8, &str, usize)> = out
            .toc
            .iter()
            .map(|t| (t.level, t.title.as_str(), t.line))
            .collect();
        assert_eq!(
            titles,
            [
                (2, "Why a note matters", 2),
                (3, "Steps", 8),
                (2, "Tailor your resume", 28),
                (2, "Related articles", 34)
            ]
        );
    }

    fn styles_of<'a>(out: &'a Layout, text: &str) -> Vec<&'a LayoutSpan> {
        out.lines
            .iter()
            .flat_map(|l| &l.spans)
            .filter(|s| s.text.contains(text))
            .collect()
    }

    #[test]
    fn spans_carry_their_roles() {
        let out = layout(&doc_of(WEBFLOW), 80);
        let heading = styles_of(&out, "Why a note matters");
        assert_eq!(
            heading[0].style,
            SpanStyle {
                heading: Some(2),
                bold: true,
                ..SpanStyle::default()
            }
        );
        let link = styles_of(&out, "See five note templates");
        assert_eq!(
            link[0].style,
            SpanStyle {
                bold: true,
                link: Some(0),
                internal: true,
                ..SpanStyle::default()
            }
        );
        let marker = styles_of(&out, " [1]");
        assert_eq!(
            marker[0].style,
            SpanStyle {
                decoration: true,
                internal: true,
                ..SpanStyle::default()
            }
        );
        let bare = styles_of(&out, "https://tools.example/resume-tailor");
        assert_eq!(bare[0].style.link, Some(2));
        assert!(!bare[0].style.internal);
        for decoration in ["1. ", "• ", "│", "─", "[image: desk-setup.png]"] {
            assert!(
                styles_of(&out, decoration)
                    .iter()
                    .all(|s| s.style.decoration),
                "{decoration}"
            );
        }
        let slug = styles_of(&out, " → salary-talks");
        assert_eq!(
            slug[0].style,
            SpanStyle {
                decoration: true,
                internal: true,
                ..SpanStyle::default()
            }
        );
        let links = styles_of(&out, "Links");
        assert_eq!(links[0].style.heading, Some(2));
        assert!(out.toc.iter().all(|t| t.title != "Links"));
    }

    #[test]
    fn link_text_and_markers_know_their_link() {
        let out = layout(&doc_of(WEBFLOW), 80);
        let text = styles_of(&out, "See five note templates");
        assert_eq!(text[0].link, Some(0));
        let marker = styles_of(&out, " [1]");
        assert_eq!((marker[0].text.as_str(), marker[0].link), (" [1]", Some(0)));
        assert_eq!(
            marker[0].style.link, None,
            "a marker is not drawn as link text"
        );
        for (needle, link) in [
            ("[5] ", Some(4)),
            ("https://x.example/blog/salary-talks", Some(4)),
            (" → salary-talks", Some(4)),
            ("Hiring teams", None),
            ("Why a note matters", None),
            ("1. ", None),
        ] {
            assert_eq!(styles_of(&out, needle)[0].link, link, "{needle}");
        }
        // Whatever is drawn as link text follows that link.
        for span in out.lines.iter().flat_map(|l| &l.spans) {
            if span.style.link.is_some() {
                assert_eq!(span.link, span.style.link, "{span:?}");
            }
        }
    }

    #[test]
    fn markers_of_neighbouring_links_stay_apart() {
        let doc = doc_of(
            "<p>Read <a href=\"https://a.example/\">this</a><a href=\"https://b.example/\"> </a> \
             and <a href=\"https://c.example/\">Supercalifragilisticexpialidocious</a></p>",
        );
        let out = layout(&doc, 20);
        assert_eq!(
            out.plain_text(),
            "Read this [1] [2]\nand\nSupercalifragilistic\nexpialidocious [3]\n\nLinks\n\
             [1] https://a.example/\n[2] https://b.example/\n[3] https://c.example/\n"
        );
        let first: Vec<(&str, Option<usize>)> = out.lines[0]
            .spans
            .iter()
            .map(|s| (s.text.as_str(), s.link))
            .collect();
        assert_eq!(
            first,
            [
                ("Read ", None),
                ("this", Some(0)),
                (" [1]", Some(0)),
                (" [2]", Some(1))
            ]
        );
        // A link word broken over two lines belongs to its link on both.
        for line in &out.lines[2..4] {
            assert!(line.spans.iter().all(|s| s.link == Some(2)), "{line:?}");
        }
    }

    #[test]
    fn every_line_knows_its_section() {
        let out = layout(&doc_of(WEBFLOW), 80);
        for (i, line) in out.lines.iter().enumerate() {
            let expected = out.toc.iter().rposition(|t| t.line <= i);
            assert_eq!(line.section, expected, "line {i}: {}", line.text());
        }
        assert_eq!(out.lines[0].section, None);
    }

    /// Checks the promises of [`layout`] and [`Layout::plain_text`] on one result.
    fn check_properties(out: &Layout, width: usize) {
        let text = out.plain_text();
        for bad in [
            "<", "&nbsp;", "&amp;", "&lt;", "&gt;", "\u{A0}", "\u{200B}", "\u{1b}",
        ] {
            assert!(
                !text.contains(bad),
                "width {width}: {bad:?} left in\n{text}"
            );
        }
        let lines: Vec<String> = out.lines.iter().map(LayoutLine::text).collect();
        assert!(!lines.is_empty());
        assert!(
            !lines[0].is_empty() && !lines[lines.len() - 1].is_empty(),
            "blank at an edge"
        );
        for (i, line) in lines.iter().enumerate() {
            let visible = line.chars().any(|c| !c.is_whitespace() && c != '\u{200D}');
            assert!(
                line.is_empty() || visible,
                "width {width}: line {i} is only whitespace: {line:?}"
            );
            assert_eq!(line.trim_end(), line, "trailing whitespace on line {i}");
            // Code keeps runs of blank lines; everywhere else blanks never double.
            let in_code = |k: usize| out.lines[k].spans.iter().any(|s| s.style.code);
            let code_above = (0..i)
                .rev()
                .find(|&k| !lines[k].is_empty())
                .is_some_and(in_code);
            if i > 0 && !code_above {
                assert!(
                    !(line.is_empty() && lines[i - 1].is_empty()),
                    "width {width}: two blank lines at {i}"
                );
            }
            if line.width() > width {
                let url = line
                    .split_whitespace()
                    .any(|w| w.starts_with("https://") && w.width() > width / 2);
                assert!(
                    url,
                    "width {width}: line {i} is {} wide: {line:?}",
                    line.width()
                );
            }
        }
        for entry in &out.toc {
            let line = &out.lines[entry.line];
            assert!(
                line.spans
                    .iter()
                    .any(|s| s.style.heading == Some(entry.level)),
                "{entry:?}"
            );
            let first_word = entry.title.split(' ').next().unwrap_or_default();
            assert!(
                line.text().contains(first_word),
                "{entry:?} -> {}",
                line.text()
            );
        }
    }

    #[test]
    fn big_body_keeps_its_promises_at_every_width() {
        let doc = doc_of(&big_body());
        for width in [20, 33, 60, 80, 120] {
            let out = layout(&doc, width);
            assert_eq!(usize::from(out.width), usize::from(width));
            check_properties(&out, usize::from(width));
            let lines: Vec<String> = out.lines.iter().map(LayoutLine::text).collect();
            // The long URL is never split: whole in the text (twice: bare and as link text) and
            // in the links list.
            assert!(
                lines.iter().filter(|l| l.contains(LONG_URL)).count() >= 3,
                "width {width}"
            );
            // Markers stay attached: no body line starts with one.
            let footer = lines.iter().position(|l| l == "Links").unwrap();
            for line in &lines[..footer] {
                let t = line.trim_start_matches(['│', ' ', '•']);
                assert!(
                    !(t.starts_with('[') && t[1..].starts_with(|c: char| c.is_ascii_digit())),
                    "{line:?}"
                );
            }
            assert!(lines.iter().any(|l| l.contains("👩\u{200D}💻")));
            // The options table needs 30 columns side by side; narrower, it is stacked.
            if width >= 33 {
                assert!(
                    lines.iter().any(|l| l.contains('┼')),
                    "width {width}: no table grid"
                );
            } else {
                assert!(lines.iter().any(|l| l == "Option: Referral"), "{lines:#?}");
            }
            let text = out.plain_text();
            assert!(text.contains("Supercalifragilistic") || width < 40);
        }
    }

    #[test]
    fn nasty_documents_lay_out_within_bounds() {
        let bodies = [
            String::new(),
            "---".to_owned(),
            format!("<p>{}</p>", "word ".repeat(20_000)),
            (0..10)
                .map(|i| format!("{}- level {i} with words\n", "  ".repeat(i)))
                .collect(),
            format!(
                "{}deep{}",
                "<blockquote>".repeat(40),
                "</blockquote>".repeat(40)
            ),
            "<ol start=\"18446744073709551615\"><li>a<li>b<li>c</ol>".to_owned(),
            "<table><tr><td>x</td></tr><tr><td></td><td>y</td><td>z</td></tr></table>".to_owned(),
            format!("<table><tr>{}</tr></table>", "<td>cell</td>".repeat(40)),
            format!("<pre>{}</pre>", "\u{200D}\n   \n\n\nx\t\ty".repeat(3)),
        ];
        for body in &bodies {
            let doc = doc_of(body);
            for width in [0, 20, 21, 33, 80, 2000] {
                let out = layout(&doc, width);
                let w = usize::from(width.clamp(MIN_WIDTH, MAX_WIDTH));
                assert_eq!(usize::from(out.width), w);
                if !out.lines.is_empty() {
                    check_properties(&out, w);
                }
            }
        }
    }

    #[test]
    fn ordered_markers_align_to_the_widest_number() {
        let doc =
            doc_of("<ol start=\"9\"><li>nine</li><li>ten is a longer item that wraps</li></ol>");
        assert_eq!(
            layout(&doc, 20).plain_text(),
            " 9. nine\n10. ten is a longer\n    item that wraps\n"
        );
    }

    #[test]
    fn nested_lists_indent_two_more_and_quotes_get_bars() {
        let doc = doc_of(
            "<ul><li>top item<ul><li>inner item that wraps here</li></ul></li></ul>\
            <blockquote><p>quoted text that wraps</p><p>again</p></blockquote>",
        );
        let out = layout(&doc, 20);
        let expected = "• top item\n  • inner item that\n    wraps here\n\n│ quoted text that\n│ wraps\n│\n│ again\n";
        assert_eq!(out.plain_text(), expected);
        let quoted = styles_of(&out, "again");
        assert!(quoted[0].style.quote);
        assert!(
            styles_of(&out, "│")
                .iter()
                .all(|s| s.style.quote && s.style.decoration)
        );
    }

    #[test]
    fn very_deep_nesting_keeps_text_room() {
        let body: String = (0..10)
            .map(|i| format!("{}- level {i}\n", "  ".repeat(i)))
            .collect();
        let out = layout(&doc_of(&body), 20);
        for line in out.lines.iter().map(LayoutLine::text) {
            assert!(line.width() <= 20, "{line:?}");
        }
        assert!(out.plain_text().contains("level 9"));
    }

    /// Runs of letters and digits, the words the "nothing lost" checks count.
    fn words(text: &str) -> Vec<String> {
        let mut words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        words.sort();
        words
    }

    const FOLLOW_UP_TABLE: &str = "<table><tr><th>Step</th><th>Message</th><th>Timing</th></tr>\
        <tr><td>Close-the-loop note</td><td>A short message that thanks them and restates your \
        interest in the role</td><td>Two weeks after</td></tr></table>";

    #[test]
    fn tables_give_each_column_its_longest_word_and_share_the_rest() {
        let doc = doc_of(FOLLOW_UP_TABLE);
        let expected = "\
Step             │ Message                       │ Timing
─────────────────┼───────────────────────────────┼──────────
Close-the-loop   │ A short message that thanks   │ Two weeks
note             │ them and restates your        │ after
                 │ interest in the role          │
";
        assert_eq!(layout(&doc, 60).plain_text(), expected);
        let all = words(&layout(&doc, 1000).plain_text());
        for width in [20, 30, 40, 45, 60, 80] {
            assert_eq!(
                words(&layout(&doc, width).plain_text()),
                all,
                "width {width}"
            );
        }
    }

    #[test]
    fn tables_whose_words_cannot_stand_side_by_side_are_stacked() {
        let doc = doc_of(FOLLOW_UP_TABLE);
        let expected = "\
Step: Close-the-loop
  note
Message: A short
  message that
  thanks them and
  restates your
  interest in the
  role
Timing: Two weeks
  after
";
        let out = layout(&doc, 20);
        assert_eq!(out.plain_text(), expected);
        assert!(styles_of(&out, "Message:")[0].style.bold);
        // Rows are separated; a table without a header stacks bare values.
        let doc = doc_of(
            "<table><tr><td>Referral</td><td>Strongest</td></tr>\
             <tr><td>Application</td><td>Weakest</td></tr></table>",
        );
        assert_eq!(
            layout(&doc, 20).plain_text(),
            "Referral\nStrongest\n\nApplication\nWeakest\n"
        );
    }

    #[test]
    fn stacked_fields_keep_column_order_and_wide_tables_stack_whole() {
        let doc = doc_of(
            "<table><tr><th></th><th>Role</th><th>Salary notes</th></tr>\
             <tr><td>first-cell</td><td>Analyst</td><td>Ask about the bonus</td></tr></table>",
        );
        let text = layout(&doc, 20).plain_text();
        let first = text.find("first-cell").unwrap();
        assert!(first < text.find("Role:").unwrap(), "{text}");
        // A thousand columns stack in one pass and lose nothing (beyond 1000, the grid's cap,
        // cells share the last column but keep their text).
        let n = 1000;
        let head: String = (0..n).map(|i| format!("<th>c{i}</th>")).collect();
        let row: String = (0..n).map(|i| format!("<td>v{i}</td>")).collect();
        let doc = doc_of(&format!("<table><tr>{head}</tr><tr>{row}</tr></table>"));
        let text = layout(&doc, 60).plain_text();
        for i in [0, 500, 999] {
            assert!(text.contains(&format!("c{i}: v{i}\n")), "column {i}");
        }
    }

    #[test]
    fn table_spans_alignment_and_wide_characters() {
        let doc = doc_of(
            "<table><tr><th>Plan</th><th>Month</th><th>Year</th></tr>\
             <tr><td rowspan=\"2\">Basic</td><td>5</td><td>50</td></tr>\
             <tr><td colspan=\"2\">Same price, billed monthly</td></tr>\
             <tr><td>Pro</td><td align=\"right\">9</td><td style=\"text-align: center\">90</td></tr>\
             </table>",
        );
        let expected = "\
Plan  │ Month        │ Year
──────┼──────────────┼────────────
Basic │ 5            │ 50
      │ Same price, billed monthly
Pro   │            9 │     90
";
        assert_eq!(layout(&doc, 80).plain_text(), expected);
        let doc = doc_of(
            "| Item | Cost | Note |\n|:--|--:|:-:|\n| Coffee | 3 | ok |\n| Lunch | 12 | fine |\n",
        );
        let expected = "\
Item   │ Cost │ Note
───────┼──────┼─────
Coffee │    3 │  ok
Lunch  │   12 │ fine
";
        assert_eq!(layout(&doc, 80).plain_text(), expected);
        // CJK and emoji take two columns each: the bars line up on screen.
        let doc = doc_of(
            "<table><tr><td>日本語</td><td>x</td></tr><tr><td>ab</td><td>y</td></tr>\
             <tr><td>📌 pin</td><td>z</td></tr></table>",
        );
        let out = layout(&doc, 80);
        let bars: Vec<usize> = out
            .lines
            .iter()
            .map(|l| {
                let text = l.text();
                text[..text.find('│').unwrap()].width()
            })
            .collect();
        assert_eq!(bars, [7, 7, 7], "{}", out.plain_text());
    }

    #[test]
    fn tables_shrink_to_fit_by_wrapping_cells() {
        let doc = doc_of(
            "<table><tr><th>Name</th><th>Description</th></tr>\
            <tr><td>Alpha</td><td>a rather long description of alpha</td></tr></table>",
        );
        let out = layout(&doc, 24);
        let expected = "\
Name  │ Description
──────┼─────────────────
Alpha │ a rather long
      │ description of
      │ alpha
";
        assert_eq!(out.plain_text(), expected);
        assert!(styles_of(&out, "Name")[0].style.bold);
    }

    #[test]
    fn code_wraps_with_a_continuation_mark_and_loses_nothing() {
        let sql = "SELECT id\n\n\n    WHERE status = 'paid'   -- tab-indented note here\nx";
        let doc = doc_of(&format!("<pre>{sql}</pre>"));
        let out = layout(&doc, 20);
        let expected = "\
SELECT id


    WHERE status =
↪ 'paid'   --
↪ tab-indented note
↪ here
x
";
        assert_eq!(out.plain_text(), expected);
        // Every character is there: joining each continuation to its line gives the source.
        let rejoined = out
            .plain_text()
            .trim_end()
            .replace(&format!("\n{CODE_CONTINUATION}"), "");
        assert_eq!(rejoined, sql);
        let spans: Vec<&LayoutSpan> = out.lines.iter().flat_map(|l| &l.spans).collect();
        assert!(spans.iter().all(|s| s.style.code));
        assert!(
            spans
                .iter()
                .filter(|s| s.text == CODE_CONTINUATION)
                .all(|s| s.style.decoration)
        );
        // A word longer than the column is cut by character, still marked.
        let long = "x".repeat(45);
        let out = layout(&doc_of(&format!("<pre>{long}</pre>")), 20);
        assert_eq!(
            out.plain_text(),
            format!(
                "{}\n↪{}\n↪{}\n",
                "x".repeat(20),
                "x".repeat(19),
                "x".repeat(6)
            )
        );
        // Inside a list the column is narrower, and the mark follows the indentation.
        let out = layout(
            &doc_of("<ul><li><pre>abcdefghijklmnopqrstuvwxyz</pre></li></ul>"),
            20,
        );
        assert_eq!(out.plain_text(), "• abcdefghijklmnopqr\n  ↪stuvwxyz\n");
    }

    #[test]
    fn the_screen_link_list_wraps_long_urls_under_themselves() {
        let url = "https://app.example/auth/signup?_gl=1*1gq40tx*_ga*NzAwMjQ5NDA5LjE3NDg5MzcwODM";
        let doc = doc_of(&format!(
            "<p><a href=\"{url}\">Sign up</a> and <a href=\"https://x.example/blog/a-rather-long-article-slug\">read</a></p>"
        ));
        let out = layout_for_screen(&doc, 40);
        let footer: Vec<String> = out
            .lines
            .iter()
            .map(LayoutLine::text)
            .skip_while(|l| l != "Links")
            .collect();
        let expected = [
            "Links",
            "[1] https://app.example/auth/signup?_gl=",
            "    1*1gq40tx*_ga*",
            "    NzAwMjQ5NDA5LjE3NDg5MzcwODM",
            "[2] https://x.example/blog/a-rather-",
            "    long-article-slug",
            "    → a-rather-long-article-slug",
        ];
        assert_eq!(footer, expected);
        for line in &out.lines {
            assert!(line.text().width() <= 40, "{}", line.text());
        }
        // Every piece of an entry follows its link when clicked.
        let last = out.lines.len() - 1;
        for line in &out.lines[last - 5..] {
            assert!(line.spans.iter().all(|s| s.link.is_some()), "{line:?}");
        }
        // Printed output keeps URLs whole for copying.
        let printed = layout(&doc, 40).plain_text();
        assert!(printed.contains(&format!("[1] {url}\n")), "{printed}");
    }

    #[test]
    fn strikes_keep_their_marks_and_images_their_place() {
        let doc = doc_of(
            "<p>Then <del>never</del> always follow up; <s>do not <a href=\"https://y.example/\">skip \
             it</a></s> ever. See <a href=\"https://x.example/badge\"><img src=\"/b/badge.svg\"></a>\
             <img src=\"c.png\" alt=\"weekly chart\">.</p>",
        );
        let out = layout(&doc, 40);
        let expected = "\
Then ~~never~~ always follow up; ~~do
not skip it~~ [1] ever. See
[image: badge.svg] [2] [image: weekly
chart].
";
        let text = out.plain_text();
        assert_eq!(&text[..text.find("\n\nLinks").unwrap() + 1], expected);
        let struck = styles_of(&out, "never");
        assert!(struck[0].style.strike && !struck[0].style.decoration);
        for mark in styles_of(&out, "~~") {
            assert!(mark.style.decoration && !mark.style.strike, "{mark:?}");
        }
        let badge = styles_of(&out, "badge.svg]");
        assert!(badge[0].style.decoration);
        assert_eq!(badge[0].link, Some(1));
    }

    #[test]
    fn long_words_break_but_urls_do_not() {
        let word = "x".repeat(45);
        let doc = doc_of(&format!("<p>{word} {LONG_URL} end</p>"));
        let out = layout(&doc, 20);
        let lines: Vec<String> = out.lines.iter().map(LayoutLine::text).collect();
        assert_eq!(
            &lines[..5],
            [
                "x".repeat(20),
                "x".repeat(20),
                "x".repeat(5),
                format!("{LONG_URL} [1]"),
                "end".to_owned()
            ]
        );
    }

    #[test]
    fn hand_built_documents_are_safe() {
        // Out-of-range links, odd heading levels and raw control characters must not panic or
        // leak; layout must not rely on the parser's clean-up.
        let span = |text: &str, link| Inline {
            text: text.into(),
            style: InlineStyle::default(),
            link,
        };
        let doc = Document {
            blocks: vec![
                Block::Heading {
                    level: 0,
                    text: vec![span("zero", None)],
                },
                Block::Heading {
                    level: 9,
                    text: vec![span("\u{200B}", None)],
                },
                Block::Paragraph(vec![
                    span("a\u{1b}b", Some(7)),
                    span("\n", None),
                    span("   ", None),
                ]),
                Block::List {
                    start: Some(u64::MAX),
                    items: vec![vec![], vec![]],
                },
                Block::Table {
                    header: vec![],
                    rows: vec![vec![]],
                },
                Block::Code("\n\n\t\n".into()),
            ],
            links: vec![Link {
                url: "https://l.example/\u{1b}".into(),
                internal: Some("s\u{7}".into()),
            }],
        };
        for width in [0, 20, 80] {
            let out = layout(&doc, width);
            assert!(!out.plain_text().contains(['\u{1b}', '\u{7}']));
            assert_eq!(out.toc.len(), 1);
            assert_eq!(out.toc[0].level, 1);
        }
    }
}

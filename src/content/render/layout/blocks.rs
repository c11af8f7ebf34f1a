//! Blocks: headings, paragraphs, lists, quotes, code, images, rules and tables, each laid
//! out into the output.

use super::model::{
    CODE_CONTINUATION, COLUMN_GAP, LayoutSpan, MIN_TEXT, STACK_INDENT, SpanStyle, TocEntry,
};
use super::out::Out;
use super::prefix::{Ctx, link_span, span, spans_width};
use super::table::{TableCell, column_widths, has_words, longest_word, span_width};
use super::wrap::{Token, Word, tokenize, wrap, wrap_hanging};
use crate::content::render::document::{Align, Block, Cell, Document, Inline};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

pub(super) struct Layouter<'d> {
    pub(super) doc: &'d Document,
    pub(super) width: usize,
    /// Wrap the URLs of the `Links` list (see [`layout_for_screen`]).
    pub(super) wrap_link_urls: bool,
    pub(super) out: Out,
}

impl Layouter<'_> {
    pub(super) fn avail(&self, ctx: &Ctx) -> usize {
        let prefix = spans_width(&ctx.first).max(spans_width(&ctx.rest));
        self.width.saturating_sub(prefix).max(1)
    }

    pub(super) fn blocks(&mut self, blocks: &[Block], ctx: &mut Ctx) {
        for block in blocks {
            if ctx.emitted && !ctx.compact {
                self.out.separate(&ctx.rest);
            }
            self.block(block, ctx);
        }
    }

    pub(super) fn block(&mut self, block: &Block, ctx: &mut Ctx) {
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
    pub(super) fn emit(&mut self, lines: Vec<Vec<LayoutSpan>>, ctx: &mut Ctx) {
        for line in lines {
            let mut spans = ctx.prefix();
            spans.extend(line);
            self.out.push(spans);
        }
    }

    pub(super) fn paragraph(&mut self, text: &[Inline], base: SpanStyle, ctx: &mut Ctx) {
        let tokens = tokenize(text, base, self.doc);
        let lines = wrap(&tokens, self.avail(ctx), false);
        self.emit(lines, ctx);
    }

    pub(super) fn heading(&mut self, level: u8, text: &[Inline], ctx: &mut Ctx) {
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

    pub(super) fn list(&mut self, start: Option<u64>, items: &[Vec<Block>], ctx: &mut Ctx) {
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

    pub(super) fn quote(&mut self, blocks: &[Block], ctx: &mut Ctx) {
        let bar = SpanStyle {
            decoration: true,
            quote: true,
            ..SpanStyle::default()
        };
        let mut child = ctx.child(span("│ ", bar), span("│ ", bar), false, true, self.width);
        self.blocks(blocks, &mut child);
        ctx.emitted |= child.emitted;
    }

    pub(super) fn image(&mut self, alt: &str, ctx: &mut Ctx) {
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
    pub(super) fn code(&mut self, text: &str, ctx: &mut Ctx) {
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

    pub(super) fn table(&mut self, header: &[Cell], rows: &[Vec<Cell>], ctx: &mut Ctx) {
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
    pub(super) fn grid(
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

    pub(super) fn grid_row(&mut self, cells: &[TableCell], widths: &[usize], ctx: &mut Ctx) {
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
    pub(super) fn stacked(&mut self, header: &[TableCell], rows: &[Vec<TableCell>], ctx: &mut Ctx) {
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
    pub(super) fn links_footer(&mut self) {
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
pub(super) fn visible(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// A heading's text for the table of contents.
pub(super) fn plain_title(text: &[Inline]) -> String {
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
pub(super) fn code_pieces(line: &str, avail: usize) -> Vec<String> {
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

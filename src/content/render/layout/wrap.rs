//! Words and wrapping: inline spans into tokens, tokens into lines, long words broken
//! between graphemes.

use super::model::{LayoutSpan, SpanStyle};
use super::prefix::{link_span, span, spans_width};
use crate::content::render::document::{Document, Inline};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// A unit of wrapping.
#[derive(Clone, Debug)]
pub(super) enum Token {
    Word(Word),
    /// A breakable space, in the style of the text it came from (links underline their spaces).
    Space(SpanStyle),
    Break,
}

/// Text between spaces, possibly in several styles (`**bold**text`), with any link markers.
#[derive(Clone, Debug, Default)]
pub(super) struct Word {
    pub(super) pieces: Vec<LayoutSpan>,
    pub(super) width: usize,
    /// A URL: never broken inside, even when longer than a line.
    pub(super) url: bool,
}

impl Word {
    pub(super) fn push(&mut self, piece: LayoutSpan) {
        self.width += piece.text.width();
        match self.pieces.last_mut() {
            Some(last) if last.same_run(&piece) => last.text.push_str(&piece.text),
            _ => self.pieces.push(piece),
        }
    }

    /// The word's own text, without link markers.
    pub(super) fn content(&self) -> String {
        self.pieces
            .iter()
            .filter(|p| !p.style.decoration)
            .map(|p| p.text.as_str())
            .collect()
    }
}

/// Splits inline spans into words, spaces and breaks, attaching ` [n]` after each link's text.
pub(super) fn tokenize(inlines: &[Inline], base: SpanStyle, doc: &Document) -> Vec<Token> {
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
pub(super) const STRIKE_MARK: &str = "~~";

pub(super) fn span_style(inline: &Inline, base: SpanStyle, doc: &Document) -> SpanStyle {
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

pub(super) struct Tokenizer<'d> {
    pub(super) doc: &'d Document,
    pub(super) tokens: Vec<Token>,
    pub(super) word: Word,
    pub(super) link: Option<usize>,
    /// Inside struck-out text: the closing mark is still to come.
    pub(super) strike: bool,
}

impl Tokenizer<'_> {
    pub(super) fn text(&mut self, text: &str, style: SpanStyle) {
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

    pub(super) fn push_run(&mut self, run: &mut String, style: SpanStyle) {
        if !run.is_empty() {
            self.word.push(span(std::mem::take(run), style));
        }
    }

    pub(super) fn finish_word(&mut self) {
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
    pub(super) fn open_strike(&mut self, style: SpanStyle) {
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
    pub(super) fn close_strike(&mut self) {
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
    pub(super) fn attach_to_last_word(&mut self, piece: LayoutSpan) -> Result<(), LayoutSpan> {
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
    pub(super) fn close_link(&mut self) {
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
pub(super) fn wrap(tokens: &[Token], avail: usize, break_urls: bool) -> Vec<Vec<LayoutSpan>> {
    wrap_hanging(tokens, avail, avail, break_urls)
}

/// [`wrap`] with a first line of `first` columns and the others of `rest`.
pub(super) fn wrap_hanging(
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

pub(super) struct Wrapper {
    pub(super) avail: usize,
    /// The width of every line after the first.
    pub(super) rest: usize,
    pub(super) lines: Vec<Vec<LayoutSpan>>,
    pub(super) line: Vec<LayoutSpan>,
    pub(super) used: usize,
    pub(super) space: Option<SpanStyle>,
}

impl Wrapper {
    pub(super) fn end_line(&mut self) {
        self.lines.push(std::mem::take(&mut self.line));
        self.avail = self.rest;
        self.used = 0;
        self.space = None;
    }

    pub(super) fn word(&mut self, word: &Word, break_urls: bool) {
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
pub(super) fn break_word(word: &Word, avail: usize) -> Vec<Vec<LayoutSpan>> {
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
pub(super) fn is_marker(piece: &LayoutSpan) -> bool {
    piece.style.decoration && piece.text.starts_with(" [")
}

/// A word's pieces cut into single graphemes (markers whole).
pub(super) fn grapheme_units(pieces: &[LayoutSpan]) -> Vec<Vec<LayoutSpan>> {
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
pub(super) fn segments(pieces: &[LayoutSpan]) -> Vec<Vec<LayoutSpan>> {
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

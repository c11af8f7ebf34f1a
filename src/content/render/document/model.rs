//! The document model: width-independent blocks and inline spans, and its errors.

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

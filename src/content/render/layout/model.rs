//! The layout model: lines of styled spans at one width, a table of contents into them,
//! and the widths every part of layout shares.

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
pub(super) const MIN_TEXT: usize = 10;
pub(super) const COLUMN_GAP: &str = " │ ";
/// Starts each continuation of a code line too wide for the column (a visible mark, so a
/// reader never mistakes a wrapped line for two lines of code).
pub const CODE_CONTINUATION: &str = "↪";
pub(super) const COLUMN_GAP_WIDTH: usize = 3;
/// Indentation of the continuation lines of a field in a stacked table.
pub(super) const STACK_INDENT: &str = "  ";

impl LayoutSpan {
    /// Whether `next` can join this span: same look and same link. Markers of two links look
    /// the same (` [1] [2]`) but must stay apart to be told apart by a click.
    pub(super) fn same_run(&self, next: &LayoutSpan) -> bool {
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

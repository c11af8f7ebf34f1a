//! Nesting context: the prefixes of lists and quotes, cut so text always keeps room.

use super::model::{LayoutSpan, MIN_TEXT, SpanStyle};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Where blocks are being laid out: the prefix of the first line (a bullet) and of the others
/// (hanging indent, quote bars), and how blocks are separated.
#[derive(Clone, Default)]
pub(super) struct Ctx {
    pub(super) first: Vec<LayoutSpan>,
    pub(super) rest: Vec<LayoutSpan>,
    /// A line has been written in this context (so the first-line prefix is used up).
    pub(super) emitted: bool,
    /// No blank lines between blocks (list items).
    pub(super) compact: bool,
    pub(super) quote: bool,
}

impl Ctx {
    /// A nested context whose first line adds `marker` and whose other lines add `indent`.
    pub(super) fn child(
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

    pub(super) fn prefix(&mut self) -> Vec<LayoutSpan> {
        if std::mem::replace(&mut self.emitted, true) {
            self.rest.clone()
        } else {
            self.first.clone()
        }
    }

    pub(super) fn base(&self) -> SpanStyle {
        SpanStyle {
            quote: self.quote,
            ..SpanStyle::default()
        }
    }

    pub(super) fn decoration(&self) -> SpanStyle {
        SpanStyle {
            decoration: true,
            ..self.base()
        }
    }
}

/// Cuts a prefix from the left until it fits in `max` columns (very deep nesting loses its
/// outer indentation rather than its text).
pub(super) fn fit_prefix(spans: Vec<LayoutSpan>, max: usize) -> Vec<LayoutSpan> {
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

pub(super) fn spans_width(spans: &[LayoutSpan]) -> usize {
    spans.iter().map(|s| s.text.width()).sum()
}

/// A span of `style`; link text belongs to the link it is drawn as.
pub(super) fn span(text: impl Into<String>, style: SpanStyle) -> LayoutSpan {
    LayoutSpan {
        text: text.into(),
        style,
        link: style.link,
    }
}

/// A span that belongs to link `i` without being drawn as link text (a `[n]` marker).
pub(super) fn link_span(text: impl Into<String>, style: SpanStyle, i: usize) -> LayoutSpan {
    LayoutSpan {
        link: Some(i),
        ..span(text, style)
    }
}

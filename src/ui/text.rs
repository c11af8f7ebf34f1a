//! Small text helpers shared by the views: sanitizing, measuring and cutting to a width.
//!
//! Everything here counts display columns (not bytes or `char`s) and cuts at grapheme
//! boundaries, so wide characters and emoji never split and no `String` is sliced in the
//! middle of a `char`.

use std::borrow::Cow;

use ratatui::style::Style;
use ratatui::text::Span;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::content::render::sanitize;

/// Makes text from content safe for a terminal (see [`sanitize::line`]).
pub fn clean(s: &str) -> Cow<'_, str> {
    sanitize::line(s)
}

/// Display width in columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` columns, ending in `…` when anything was cut.
pub fn fit(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    Cow::Owned(format!("{}…", prefix(s, max - 1)))
}

/// The longest start of `s` (whole graphemes) that fits in `max` columns.
pub fn prefix(s: &str, max: usize) -> &str {
    let mut used = 0;
    for (i, g) in s.grapheme_indices(true) {
        used += width(g);
        if used > max {
            return &s[..i];
        }
    }
    s
}

/// The end of `s` that fits in `max` columns, starting with `…` when anything was cut; for
/// inputs, where the cursor sits at the end.
pub fn fit_tail(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut kept = Vec::new();
    let mut used = 0;
    for g in s.graphemes(true).rev() {
        let w = width(g);
        if used + w > max - 1 {
            break;
        }
        kept.push(g);
        used += w;
    }
    let mut out = String::from("…");
    out.extend(kept.into_iter().rev());
    Cow::Owned(out)
}

/// Cuts a run of spans to `max` columns, ending in `…` (in the last kept span's style) when
/// anything was cut.
pub fn fit_spans(spans: Vec<Span<'_>>, max: usize) -> Vec<Span<'_>> {
    let total: usize = spans.iter().map(Span::width).sum();
    if total <= max {
        return spans;
    }
    let mut out = Vec::new();
    let mut room = max.saturating_sub(1);
    let mut last_style = Style::new();
    for span in spans {
        last_style = span.style;
        let w = span.width();
        if w <= room {
            room -= w;
            out.push(span);
            continue;
        }
        let cut = prefix(&span.content, room).to_owned();
        out.push(Span::styled(cut, span.style));
        break;
    }
    if max > 0 {
        out.push(Span::styled("…", last_style));
    }
    out
}

/// Spaces to pad to a width.
pub fn pad(n: usize) -> Span<'static> {
    Span::raw(" ".repeat(n))
}

/// A range of `char`s, `start..end`, drawn with an extra style.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    /// First `char` of the range.
    pub start: usize,
    /// One past the last `char`.
    pub end: usize,
    /// Patched over the text's own style.
    pub style: Style,
}

/// Splits raw `text` at `marks` (sorted by start, given in `char` indices of the raw text),
/// then sanitizes each piece, so indices computed on the raw text stay right even when
/// sanitizing removes characters. Overlapping or out-of-range marks are clipped, never a panic.
pub fn marked<'t>(text: &'t str, base: Style, marks: &[Mark]) -> Vec<Span<'t>> {
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let chars = bytes.len() - 1;
    let mut out = Vec::new();
    let mut push = |from: usize, to: usize, style: Style| {
        if from < to {
            let piece = clean(&text[bytes[from]..bytes[to]]);
            if !piece.is_empty() {
                out.push(Span::styled(piece, style));
            }
        }
    };
    let mut cursor = 0;
    for mark in marks {
        let start = mark.start.clamp(cursor, chars);
        let end = mark.end.clamp(start, chars);
        if start == end {
            continue;
        }
        push(cursor, start, base);
        push(start, end, base.patch(mark.style));
        cursor = end;
    }
    push(cursor, chars, base);
    out
}

/// Turns sorted `char` positions (fuzzy-match positions) into marks of consecutive runs.
pub fn runs(positions: &[usize], style: Style) -> Vec<Mark> {
    let mut marks: Vec<Mark> = Vec::new();
    for &p in positions {
        match marks.last_mut() {
            Some(m) if m.end == p => m.end += 1,
            Some(m) if p < m.end => {}
            _ => marks.push(Mark {
                start: p,
                end: p + 1,
                style,
            }),
        }
    }
    marks
}

/// `2084` as `2,084`, for the summary a person reads (the status line, and the CLI's notes).
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_at_graphemes_and_counts_columns() {
        assert_eq!(fit("hello", 5), "hello");
        assert_eq!(fit("hello world", 6), "hello…");
        assert_eq!(fit("日本語テキスト", 5), "日本…");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit_tail("search words", 6), "…words");
    }

    #[test]
    fn marks_split_on_chars_and_survive_bad_ranges() {
        let bold = Style::new().add_modifier(ratatui::style::Modifier::BOLD);
        let spans = marked(
            "héllo wörld",
            Style::new(),
            &[
                Mark {
                    start: 1,
                    end: 2,
                    style: bold,
                },
                Mark {
                    start: 0,
                    end: 1,
                    style: bold,
                },
                Mark {
                    start: 9,
                    end: 99,
                    style: bold,
                },
            ],
        );
        let texts: Vec<&str> = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(texts, vec!["h", "é", "llo wör", "ld"]);
    }

    #[test]
    fn marked_pieces_are_sanitized() {
        let spans = marked("a\u{202e}b\x1b[31mc", Style::new(), &[]);
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "ab[31mc");
    }

    #[test]
    fn runs_merge_neighbours() {
        let s = Style::new();
        let marks = runs(&[0, 1, 2, 5, 7, 8], s);
        let ranges: Vec<(usize, usize)> = marks.iter().map(|m| (m.start, m.end)).collect();
        assert_eq!(ranges, vec![(0, 3), (5, 6), (7, 9)]);
    }

    #[test]
    fn fit_spans_ends_in_ellipsis() {
        let spans = vec![Span::raw("abc"), Span::raw("defgh")];
        let cut = fit_spans(spans, 6);
        let text: String = cut.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "abcde…");
    }
}

//! Output with blank-line discipline: lines are collected here, never two blank ones in a
//! row, headings recorded for the table of contents.

use super::model::{LayoutLine, LayoutSpan, TocEntry};

/// Collects lines. Blank separators are requested, not written: a pending separator is written
/// only before the next real line, and never next to another blank, so the result has no blank
/// line at either end and never two in a row.
#[derive(Default)]
pub(super) struct Out {
    pub(super) lines: Vec<LayoutLine>,
    pub(super) toc: Vec<TocEntry>,
    /// The separator to write before the next line (empty, or a quote bar inside quotes).
    pub(super) pending: Option<Vec<LayoutSpan>>,
}

impl Out {
    pub(super) fn separate(&mut self, prefix: &[LayoutSpan]) {
        if !self.lines.is_empty() {
            self.pending = Some(prefix.to_vec());
        }
    }

    pub(super) fn flush_pending(&mut self) {
        if let Some(separator) = self.pending.take() {
            self.push_blank(separator);
        }
    }

    pub(super) fn push(&mut self, spans: Vec<LayoutSpan>) {
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
    pub(super) fn push_code_blank(&mut self, prefix: Vec<LayoutSpan>) {
        self.flush_pending();
        if !self.lines.is_empty() {
            self.push_raw(tidy(prefix));
        }
    }

    /// A blank (or bar-only) line, unless at the top or after another one.
    pub(super) fn push_blank(&mut self, spans: Vec<LayoutSpan>) {
        if self.lines.last().is_some_and(|l| !is_blankish(&l.spans)) {
            self.push_raw(tidy(spans));
        }
    }

    pub(super) fn push_raw(&mut self, spans: Vec<LayoutSpan>) {
        let section = self.toc.len().checked_sub(1);
        self.lines.push(LayoutLine { spans, section });
    }

    pub(super) fn finish(mut self) -> Out {
        while self.lines.last().is_some_and(|l| is_blankish(&l.spans)) {
            self.lines.pop();
        }
        self
    }
}

/// Drops empty spans and trailing whitespace, merges neighbours of one style.
pub(super) fn tidy(spans: Vec<LayoutSpan>) -> Vec<LayoutSpan> {
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
pub(super) fn is_blankish(spans: &[LayoutSpan]) -> bool {
    spans
        .iter()
        .all(|s| s.text.trim().is_empty() || (s.style.decoration && s.text.trim() == "│"))
}

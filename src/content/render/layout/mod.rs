//! Wrapping a [`Document`] to a terminal width.
//!
//! Layout runs once per (article, width) and the result is cached by the caller; views then draw
//! only the visible slice of [`Layout::lines`], so scrolling never re-wraps.

mod blocks;
mod model;
mod out;
mod prefix;
mod table;
mod wrap;

#[cfg(test)]
mod tests;

pub use model::{
    CODE_CONTINUATION, Layout, LayoutLine, LayoutSpan, MAX_WIDTH, MIN_WIDTH, SpanStyle, TocEntry,
};

use super::document::Document;
use blocks::Layouter;
use out::Out;
use prefix::Ctx;

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

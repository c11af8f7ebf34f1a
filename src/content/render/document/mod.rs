//! One rendering pipeline for article bodies.
//!
//! A body is CMS-exported HTML followed by Markdown trailer sections, or plain Markdown from
//! another static-site generator. Both go through the same steps:
//!
//! 1. Markdown is turned into HTML with pulldown-cmark; raw HTML passes through untouched,
//!    so a Webflow body and its Markdown trailer become one HTML fragment. In a CMS export the
//!    HTML regions (the body, widgets in the trailer) skip Markdown altogether, whatever their
//!    indentation. Footnotes are numbered and listed at the end.
//! 2. That fragment is parsed by html2text's html5ever front end into a DOM, after a cheap
//!    linear pre-scan that flattens pathological nesting (html5ever is quadratic on it): the
//!    tags past [`MAX_HTML_DEPTH`] go, their text stays.
//! 3. The DOM is walked into a width-independent [`Document`]: blocks with inline spans, links
//!    numbered in reading order.
//!
//! Wrapping to a width lives in [`crate::content::render::layout`].

mod depth;
mod markdown;
mod model;
mod scan;
mod text;
mod walk;

#[cfg(test)]
mod link_tests;
#[cfg(test)]
pub(crate) mod tests;

pub use model::{
    Align, Block, Cell, Document, DocumentError, Inline, InlineStyle, Link, MAX_HTML_DEPTH,
};

pub use scan::link_targets;

use markdown::body_to_html;
use walk::{Builder, Ctx, Sink, renumber_links};

/// Renders an article body (everything after the frontmatter) into a [`Document`].
///
/// Never panics and never refuses a body for its shape: nesting deeper than
/// [`MAX_HTML_DEPTH`] is flattened.
pub fn parse(body: &str) -> Result<Document, DocumentError> {
    let html = body_to_html(body);
    let dom = html2text::config::plain()
        .parse_html(html.as_bytes())
        .map_err(|e| DocumentError::Html {
            message: e.to_string(),
        })?;
    let mut builder = Builder::default();
    let mut sink = Sink::default();
    builder.node(&dom.document, Ctx::default(), &mut sink);
    let mut blocks = sink.finish();
    let links = renumber_links(&mut blocks, &builder.links);
    Ok(Document { blocks, links })
}

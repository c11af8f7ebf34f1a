//! The content engine: everything about articles, nothing about terminals.
//!
//! Three layers, each below the next, as in zola's content library:
//! - [`load`] lists and reads a folder, decodes, splits, parses and repairs each file and
//!   keeps the caches; its [`Loader`] returns an [`Index`].
//! - [`index`] links the articles into one immutable store (slugs, related articles,
//!   backlinks, facets) and runs the lint pass of `check`; it does no I/O.
//! - [`render`] turns a body into a document and wraps it; [`bodies`] reads and renders
//!   bodies on demand for a worker.
//!
//! [`article`] is the model they share; [`search`] matches queries over titles, facets and
//! descriptions, and over bodies (tantivy); [`fold`] makes text comparable. Every
//! problem found on the way is a [`Problem`] that names the file and line.

pub mod article;
pub mod bodies;
pub mod date;
pub mod fold;

pub mod index;
pub mod load;
pub mod problem;
pub mod render;
pub mod search;
pub mod synth;
pub mod taxonomy;

pub use article::{Article, ArticleId, RelatedLink};
pub use bodies::Bodies;
pub use index::Index;
pub use load::source::{Source, SourceFile};
pub use load::{LoadOptions, Loader, load_memory};
pub use problem::{Problem, Severity};

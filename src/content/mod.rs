//! The content engine: everything about articles, nothing about terminals.
//!
//! Loading runs in phases, as in zola's content library: [`source`] finds the files,
//! [`split`] cuts each into frontmatter and body, [`frontmatter`] parses and validates the
//! YAML, [`repair`] fixes mis-decoded text, and [`library`] links the articles into one store
//! (facets, slugs, related articles, backlinks). Bodies are rendered on demand by
//! [`document`] and wrapped by [`layout`]. Every problem found on the way is a [`Problem`]
//! that names the file and line.

pub mod cache;
pub mod document;
pub mod frontmatter;
pub mod fulltext;
pub mod layout;
pub mod library;
pub mod parse;
pub mod problem;
pub mod repair;
pub mod sanitize;
pub mod search;
pub mod source;
pub mod split;
pub mod synth;
pub mod taxonomy;
pub mod templates;

pub use library::{Article, ArticleId, Library, LoadOptions};
pub use problem::{Problem, Severity};

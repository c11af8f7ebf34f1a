//! careerhub: a terminal reader for libraries of career-guidance articles.
//!
//! The crate is layered so that each layer can be tested where it lives:
//!
//! - [`content`]: the content engine. Loads a folder (or the library embedded in the binary),
//!   repairs and validates articles, renders bodies into a width-independent document, and
//!   indexes them for facets, related articles and fuzzy search. Knows nothing of terminals.
//! - [`cli`]: the scriptable, non-interactive commands (`list`, `search`, `read`, `related`,
//!   `facets`, `check`).
//! - [`app`]: the interactive reader as plain data: state, actions, `update`, key mapping.
//! - [`store`]: bookmarks, reading positions and history on disk.
//! - [`term`]: adapters that run the app on a local terminal or over SSH.
//! - [`xdg`]: where careerhub keeps its files.
//! - [`ui`]: the views, `render(&App, &mut Frame)`; they draw state and never change it.

pub mod app;
pub mod cli;
pub mod content;
pub mod os;
pub mod store;
pub mod term;
pub mod ui;
pub mod xdg;

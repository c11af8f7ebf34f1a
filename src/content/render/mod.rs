//! Rendering a body: [`document`] turns HTML and Markdown into one document model, [`layout`]
//! wraps it to a width, [`links`] says what counts as a link, [`sanitize`] strips what must never
//! reach a terminal.

pub mod document;
pub mod layout;
pub mod links;
pub mod sanitize;

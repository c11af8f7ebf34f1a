//! Rendering a body: [`document`] turns HTML and Markdown into one document model, [`layout`]
//! wraps it to a width, [`sanitize`] strips what must never reach a terminal.

pub mod document;
pub mod layout;
pub mod sanitize;

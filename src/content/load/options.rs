//! What a load includes.

/// Which hidden articles to include.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Include drafts (`draft: true`).
    pub drafts: bool,
    /// Include archived articles (`archived: true`).
    pub archived: bool,
}

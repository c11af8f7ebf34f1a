//! Where careerhub keeps its files: the XDG base directories.

use std::path::PathBuf;

/// `$<var>/careerhub` when `var` holds an absolute path (the spec says to ignore relative
/// ones), else `$HOME/<fallback>/careerhub`; `None` without a home folder.
pub fn careerhub_dir(var: &str, fallback: &str) -> Option<PathBuf> {
    let base = std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(|h| PathBuf::from(h).join(fallback))
        })?;
    Some(base.join("careerhub"))
}

/// The cache folder: `$XDG_CACHE_HOME/careerhub`, else `$HOME/.cache/careerhub`.
pub fn cache_dir() -> Option<PathBuf> {
    careerhub_dir("XDG_CACHE_HOME", ".cache")
}

//! Problems found while loading a library, each naming the file and line.

use std::fmt;

/// How bad a problem is: an error skips the article, a warning keeps it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem with one file. Displayed as `PATH:LINE: error|warning: MESSAGE`, the format of
/// compilers and linters, so editors can jump to it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// Path relative to the content folder, with `/` separators.
    pub path: String,
    /// 1-based line in the file; file-level problems point at line 1.
    pub line: usize,
    pub severity: Severity,
    /// What is wrong and what to do about it. Already sanitized for the terminal.
    pub message: String,
}

impl Problem {
    /// An error at `line` of `path`.
    pub fn error(path: &str, line: usize, message: impl Into<String>) -> Self {
        Self::new(path, line, Severity::Error, message.into())
    }

    /// A warning at `line` of `path`.
    pub fn warning(path: &str, line: usize, message: impl Into<String>) -> Self {
        Self::new(path, line, Severity::Warning, message.into())
    }

    fn new(path: &str, line: usize, severity: Severity, message: String) -> Self {
        // Messages may quote content (a YAML error quotes the offending key), so they are cut
        // and cleaned here, once, rather than at every place that prints them.
        let message = super::sanitize::line(&super::sanitize::clip(&message, 300)).into_owned();
        Problem {
            path: super::sanitize::line(path).into_owned(),
            line: line.max(1),
            severity,
            message,
        }
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.path, self.line, self.severity, self.message
        )
    }
}

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
        let message = crate::content::render::sanitize::line(
            &crate::content::render::sanitize::clip(&message, 300),
        )
        .into_owned();
        Problem {
            path: crate::content::render::sanitize::line(path).into_owned(),
            line: line.max(1),
            severity,
            message,
        }
    }

    /// The kind of a problem, for `check`'s summary, from its message: what is wrong,
    /// without the values it quotes (frontmatter key names stay) or numbers:
    /// "`date` … is not a date".
    pub fn kind(&self) -> String {
        let message = self.message.as_str();
        const KEYS: &[&str] = &[
            "title",
            "slug",
            "description",
            "summary",
            "excerpt",
            "pubDate",
            "date",
            "published",
            "pub_date",
            "publishDate",
            "updatedDate",
            "lastmod",
            "updated",
            "modified",
            "category",
            "categories",
            "tags",
            "topics",
            "canonical",
            "draft",
            "archived",
        ];
        // Up to the first `:` or `;` outside backquotes: what is wrong, not what to do.
        let mut quoted = false;
        let end = message
            .char_indices()
            .find(|&(_, c)| {
                quoted ^= c == '`';
                !quoted && (c == ':' || c == ';')
            })
            .map_or(message.len(), |(i, _)| i);
        let what = &message[..end];
        let mut out = String::new();
        for (i, piece) in what.split('`').enumerate() {
            if i % 2 == 0 {
                let mut digits = false;
                for c in piece.chars() {
                    if c.is_ascii_digit() {
                        if !digits {
                            out.push('N');
                        }
                        digits = true;
                    } else {
                        digits = false;
                        out.push(c);
                    }
                }
            } else if KEYS.contains(&piece) {
                out.push_str(&format!("`{piece}`"));
            } else {
                out.push('…');
            }
        }
        out.trim().to_owned()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_leave_out_the_values_but_keep_key_names() {
        let kind = |m: &str| Problem::warning("a.md", 1, m).kind();
        assert_eq!(
            kind("`date` `2020-09-09 9:00` is not a date: the article loads undated; write it"),
            "`date` … is not a date"
        );
        assert_eq!(
            kind("repaired 97 mis-decoded characters (mojibake): re-export"),
            "repaired N mis-decoded characters (mojibake)"
        );
        assert_eq!(
            kind("duplicate slug `a`: b.md already uses it"),
            "duplicate slug …"
        );
    }
}

//! The one neutral frontmatter value: YAML, TOML and JSON are each parsed in one place
//! (`yaml.rs`, `toml.rs`, `json.rs`) into this, and validated once, in `frontmatter.rs`.
//!
//! Scalars keep the text that was written (`1.10` stays `1.10`, `0x1F` stays `0x1F`), with
//! what the parser read them as beside it; every key keeps its line, so problems point at it.

/// A frontmatter value, whatever format it was written in.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An empty value or an explicit null (`~`, `null`).
    Null,
    Scalar(Scalar),
    List(Vec<Value>),
    Map(Map),
}

/// A single value as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The value's text: for strings their content, for numbers and booleans the source text
    /// where the format keeps it (YAML plain scalars), else the parser's rendering.
    pub text: String,
    pub kind: Kind,
}

/// What the format's parser read a scalar as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Number,
    Bool(bool),
    /// A date or date-time the format itself knows (TOML).
    Date,
}

/// Keys with their values, in the order written; a key appears once (a repeated key is
/// resolved by its format's parser: the later value wins, with a warning).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map {
    pub entries: Vec<Entry>,
}

/// One key of a [`Map`].
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    /// Zero-based line of the key within the frontmatter text.
    pub line: usize,
    pub value: Value,
}

/// A problem a format's parser found, at a zero-based line of the frontmatter text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub line: usize,
    pub message: String,
    /// Another zero-based line the message refers to as `{first}` (where a repeated key was
    /// first given), turned into a file line when the note becomes a problem.
    pub first: Option<usize>,
}

impl Note {
    /// A warning at zero-based `line` of the frontmatter.
    pub fn new(line: usize, message: impl Into<String>) -> Note {
        Note {
            line,
            message: message.into(),
            first: None,
        }
    }

    /// A key given twice in one mapping: the later value is used.
    pub fn repeated(line: usize, key: &str, first: usize) -> Note {
        Note {
            line,
            message: format!(
                "`{key}` is given again here (first on line {{first}}): the later value is used; remove one of them"
            ),
            first: Some(first),
        }
    }
}

/// What a format's parser returns: the values it could read and warnings about the rest, or
/// a note when the frontmatter is over a hard limit and must not be read at all.
pub type Parsed = Result<(Map, Vec<Note>), Note>;

impl Value {
    /// A text scalar.
    pub fn text(s: impl Into<String>) -> Value {
        Value::Scalar(Scalar {
            text: s.into(),
            kind: Kind::Text,
        })
    }

    /// The scalar, if this is one.
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match self {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }
}

impl Map {
    /// The entry for `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// The first of `keys` present, in that order of precedence (aliases of one field).
    pub fn first_of(&self, keys: &[&str]) -> Option<&Entry> {
        keys.iter().find_map(|k| self.get(k))
    }

    /// Adds an entry; a key already present is replaced (the later value wins) and the
    /// earlier entry is returned, so the caller can warn about it.
    pub fn insert(&mut self, entry: Entry) -> Option<Entry> {
        match self.entries.iter_mut().find(|e| e.key == entry.key) {
            Some(old) => Some(std::mem::replace(old, entry)),
            None => {
                self.entries.push(entry);
                None
            }
        }
    }
}

/// The zero-based line of the first `key:`/`key =`/`"key":` at or after line `from` whose
/// indentation is `indent` when given; `None` when it is not found.
pub(super) fn key_line(
    lines: &[&str],
    key: &str,
    from: usize,
    indent: Option<usize>,
) -> Option<usize> {
    (from..lines.len()).find(|&i| {
        let line = lines[i];
        let text = line.trim_start();
        if indent.is_some_and(|n| line.len() - text.len() != n) {
            return false;
        }
        let text = text.strip_prefix("- ").unwrap_or(text);
        let unquoted = text
            .strip_prefix('"')
            .and_then(|t| t.strip_prefix(key)?.strip_prefix('"'))
            .or_else(|| {
                text.strip_prefix('\'')
                    .and_then(|t| t.strip_prefix(key)?.strip_prefix('\''))
            })
            .or_else(|| text.strip_prefix(key));
        unquoted.is_some_and(|rest| rest.trim_start().starts_with([':', '=']))
    })
}

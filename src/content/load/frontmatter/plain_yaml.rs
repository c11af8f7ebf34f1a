//! A fast reader for the plain YAML that article frontmatter nearly always is: `key: value`
//! lines, quoted strings without escapes, block lists and one level of nested mapping
//! (`tags:`), and `[a, b]` lists.
//!
//! serde_yaml builds a full event stream through libyaml for every file, which made it the
//! largest single cost of loading a big folder. This reader handles only a subset it can
//! read exactly as serde_yaml does, and answers `None` for anything else (anchors, tags, block
//! scalars, escapes, multi-line values, numbers, flow mappings, comments after values,
//! duplicate keys, odd indentation...), which sends the file through serde_yaml: it is never
//! a different parser, only a shortcut for the common case. The tests compare the two on
//! every shape we accept and on thousands of mutated inputs.

use serde_yaml::{Mapping, Value};

/// The frontmatter as a YAML value, when it is in the subset; `None` means "ask serde_yaml",
/// which also gives the errors.
pub(super) fn parse(src: &str) -> Option<Value> {
    // Tabs, carriage returns, and characters YAML refuses or reads as line breaks: serde_yaml
    // has something to say about each.
    let odd = |c: char| {
        (c.is_control() && c != '\n')
            || matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            )
    };
    if src.bytes().any(|b| b < 0x20 && b != b'\n' || b == 0x7f)
        || (!src.is_ascii() && src.chars().any(odd))
    {
        return None;
    }
    let mut lines = Vec::new();
    for line in src.split('\n') {
        let text = line.trim_start_matches(' ');
        let indent = line.len() - text.len();
        let text = text.trim_end_matches(' ');
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        if indent == 0 && (text.starts_with("---") || text.starts_with("...")) {
            return None; // a document marker: more than one document
        }
        lines.push(Line { indent, text });
    }
    // An empty document is null, not an empty mapping; an indented one is unusual.
    if lines.first().is_none_or(|l| l.indent > 0) {
        return None;
    }
    let mut at = 0;
    let map = block_mapping(&lines, &mut at, 0, 0)?;
    (at == lines.len()).then_some(Value::Mapping(map))
}

#[derive(Clone, Copy)]
struct Line<'a> {
    indent: usize,
    /// Without indentation or trailing spaces; never empty.
    text: &'a str,
}

/// Mappings nested deeper than this are declined: frontmatter nests one level (`tags:`), and
/// serde_yaml has its own depth limit, with an error to give.
const MAX_DEPTH: usize = 4;

/// `key: value` lines at exactly `indent`, from `lines[*at]` on; `depth` mappings deep.
fn block_mapping(lines: &[Line], at: &mut usize, indent: usize, depth: usize) -> Option<Mapping> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut map = Mapping::new();
    while let Some(line) = lines.get(*at) {
        if line.indent < indent {
            break;
        }
        if line.indent > indent {
            return None; // a continuation line or stray indentation
        }
        let (key, rest) = line.text.split_once(':')?;
        if !is_plain_key(key) {
            return None;
        }
        *at += 1;
        let value = if rest.is_empty() {
            nested(lines, at, indent, depth)?
        } else {
            inline(rest.strip_prefix(' ')?.trim_start_matches(' '))?
        };
        if map.insert(Value::String(key.to_owned()), value).is_some() {
            return None; // duplicate key: serde_yaml reports it
        }
    }
    Some(map)
}

/// The value of a `key:` line with nothing after the colon: a block list (at the key's
/// indentation or deeper), a nested mapping (deeper), or null.
fn nested(lines: &[Line], at: &mut usize, indent: usize, depth: usize) -> Option<Value> {
    let Some(next) = lines.get(*at) else {
        return Some(Value::Null);
    };
    if next.indent >= indent && (next.text == "-" || next.text.starts_with("- ")) {
        return block_sequence(lines, at, next.indent).map(Value::Sequence);
    }
    if next.indent > indent {
        return block_mapping(lines, at, next.indent, depth + 1).map(Value::Mapping);
    }
    Some(Value::Null)
}

/// `- item` lines at exactly `indent`; items are single-line scalars.
fn block_sequence(lines: &[Line], at: &mut usize, indent: usize) -> Option<Vec<Value>> {
    let mut items = Vec::new();
    while let Some(line) = lines.get(*at) {
        if line.indent < indent {
            break;
        }
        if line.indent > indent {
            return None;
        }
        let Some(item) = line.text.strip_prefix("- ") else {
            if line.text == "-" {
                return None; // an item whose value is on the next lines
            }
            break; // the next key of a mapping at the same indentation
        };
        *at += 1;
        let item = item.trim_start_matches(' ');
        if item.starts_with(['-', '[', '{']) || item.contains(": ") || item.ends_with(':') {
            return None; // nested lists, flow collections, mappings as items
        }
        items.push(inline(item)?);
    }
    Some(items)
}

/// A value on the key's own line: a quoted string, a flow list or a plain scalar.
fn inline(text: &str) -> Option<Value> {
    match text.as_bytes().first()? {
        b'"' | b'\'' => quoted(text).map(Value::String),
        b'[' => flow_sequence(text),
        _ => plain(text),
    }
}

/// `"..."` without escapes or `'...'` without doubled quotes, filling the whole text.
fn quoted(text: &str) -> Option<String> {
    let quote = text.chars().next()?;
    let inner = text.strip_prefix(quote)?.strip_suffix(quote)?;
    if inner.contains(quote) || (quote == '"' && inner.contains('\\')) {
        return None;
    }
    Some(inner.to_owned())
}

/// `[a, b, "c"]` of plain or quoted strings, on one line.
fn flow_sequence(text: &str) -> Option<Value> {
    let inner = text.strip_prefix('[')?.strip_suffix(']')?.trim_matches(' ');
    if inner.is_empty() {
        return Some(Value::Sequence(Vec::new()));
    }
    if inner.contains(['[', ']', '{', '}']) {
        return None;
    }
    let mut items = Vec::new();
    for item in inner.split(',') {
        let item = item.trim_matches(' ');
        let value = match item.as_bytes().first()? {
            b'"' | b'\'' => Value::String(quoted(item)?),
            _ if item.contains(':') => return None,
            _ => plain(item)?,
        };
        items.push(value);
    }
    Some(Value::Sequence(items))
}

/// A plain scalar: null, a boolean, or a string that cannot be read as anything else. Numbers
/// and everything YAML gives a meaning to are left to serde_yaml.
fn plain(text: &str) -> Option<Value> {
    let first = text.chars().next()?;
    if "-?:,[]{}#&*!|>'\"%@`.+".contains(first)
        || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
    {
        return None;
    }
    match text {
        "null" | "Null" | "NULL" | "~" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    if first.is_ascii_digit() && !is_date(text) {
        return None; // numbers, hex, octal, versions...: serde_yaml decides
    }
    if text.parse::<f64>().is_ok() {
        return None; // `inf`, `NaN` and the like
    }
    Some(Value::String(text.to_owned()))
}

/// `2025-06-03`, optionally with a time (`T10:00:00Z`, `T10:00+02:00`): never a number.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let date = b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10);
    date && (b.len() == 10
        || (b[10] == b'T'
            && b[11..]
                .iter()
                .all(|c| c.is_ascii_digit() || matches!(c, b':' | b'.' | b'+' | b'-' | b'Z'))))
}

/// A mapping key read as a string by serde_yaml too: letters, digits, `_` and `-`, starting
/// with a letter, not a null or boolean word, and short (libyaml refuses keys over 1024
/// characters).
fn is_plain_key(key: &str) -> bool {
    key.len() <= 256
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !matches!(
            key,
            "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: what serde_yaml makes of the same text.
    fn yaml(src: &str) -> Option<Value> {
        serde_yaml::from_str(src).ok()
    }

    /// Either this reader declines or it agrees with serde_yaml exactly.
    fn agrees(src: &str) -> bool {
        match parse(src) {
            None => true,
            Some(v) => yaml(src).as_ref() == Some(&v),
        }
    }

    const PUBLISHER: &str = "title: \"Don’t Ghost the Recruiter: What to Send\"\nslug: dont-ghost\ndescription: What to send after a final round, and when.\ncanonical: \"https://careerhub.example/blog/dont-ghost\"\npubDate: 2025-06-03\ncategory: interviewing\ndraft: false\narchived: false\ntags:\n  role:\n    - data-analyst\n  intent:\n    - resume\n    - interview\n";

    #[test]
    fn the_publisher_shape_is_read_and_matches_serde_yaml() {
        let v = parse(PUBLISHER).expect("in the subset");
        assert_eq!(Some(v), yaml(PUBLISHER));
    }

    #[test]
    fn every_bundled_and_synthetic_article_takes_the_fast_path_and_agrees() {
        use crate::content::load::source::Source;
        use crate::content::load::split;
        use crate::content::synth;
        let (entries, _) = Source::Embedded.list().unwrap();
        let mut files: Vec<(String, Vec<u8>)> = entries
            .iter()
            .map(|e| {
                (
                    e.path.clone(),
                    Source::Embedded.read(&e.path).unwrap().into_owned(),
                )
            })
            .collect();
        files.extend(
            synth::library(300, 7)
                .into_iter()
                .map(|f| (f.path, f.bytes)),
        );
        for (path, bytes) in &files {
            let (text, _) = split::decode(path, bytes).unwrap();
            let fm = split::split(path, &text).unwrap().0.frontmatter.unwrap();
            let split::RawFrontmatter::Yaml(fm) = fm else {
                panic!("{path}: not YAML")
            };
            let ours = parse(fm).unwrap_or_else(|| panic!("{path}: not in the subset"));
            assert_eq!(Some(ours), yaml(fm), "{path}");
        }
    }

    #[test]
    fn accepted_shapes_match_serde_yaml() {
        let shapes = [
            "title: A\n",
            "title: 'Single: quoted'\n",
            "title: \"\"\n",
            "title:\n",
            "title: ~\ndraft: TRUE\narchived: False\n",
            "tags: [a, b, \"c d\"]\n",
            "tags: []\n",
            "tags:\n- a\n- b\ntitle: T\n",
            "tags:\n  role: [x, y]\n  intent:\n  - z\n",
            "# comment\ntitle: T\n\n   \nslug: s\n",
            "pubDate: 2025-06-03T10:00:00Z\n",
            "pubDate: 2025-06-03T10:00:00+02:00\n",
            "title: Get 100% sure\n",
            "title: C# tips\n",
            "title: a:b\n",
            "title: café — naïve\n",
            "title: yes\nslug: no\n",
            "description: ends with a colon:x\n",
        ];
        for src in shapes {
            assert!(parse(src).is_some(), "should be in the subset: {src:?}");
            assert!(agrees(src), "{src:?}: {:?} vs {:?}", parse(src), yaml(src));
        }
    }

    #[test]
    fn everything_else_is_left_to_serde_yaml() {
        let declined = [
            "title: 2025\n",
            "title: 1.5\n",
            "title: 0x1F\n",
            "title: .inf\n",
            "title: inf\n",
            "title: -5\n",
            "title: \"esc\\\"aped\"\n",
            "title: 'it''s'\n",
            "title: a # comment\n",
            "title: &a x\nslug: *a\n",
            "title: !tag x\n",
            "title: |\n  block\n",
            "title: >\n  folded\n",
            "title: long\n  continued\n",
            "title: A\ntitle: B\n",
            "tags: {a: b}\n",
            "tags: [a, [b]]\n",
            "tags:\n  - a: b\n",
            "tags:\n  -\n    - x\n",
            "  title: indented\n",
            "title: A\n---\nother: doc\n",
            "title: x\r\n",
            "\"quoted key\": x\n",
            "123: x\n",
            "true: x\n",
            "title: \"unclosed\n",
            "title: key: value\n",
            // Found by review: libyaml refuses long keys and deep nesting.
            &format!("{}: x\n", "k".repeat(1025)),
            &format!("a: b\n{}: x\n", "k".repeat(1025)),
            &(0..130)
                .map(|d| format!("{}k{d}:\n", " ".repeat(d)))
                .collect::<String>(),
            "title: \"\u{1b}]52;x\"\n",
            "title: a\u{2028}b\n",
            "title: \u{85}\n",
            "",
            "# only a comment\n",
        ];
        for src in declined {
            assert!(parse(src).is_none(), "should be declined: {src:?}");
        }
    }

    #[test]
    fn thousands_of_mutated_frontmatters_never_disagree_with_serde_yaml() {
        // Insert, delete and replace characters YAML cares about, at pseudo-random places.
        const SPECIAL: &[&str] = &[
            " ", "\n", ":", "-", "- ", "#", "'", "\"", "[", "]", "{", "}", ",", "&", "*", "!", "|",
            ">", "~", "0", "1.5", "true", "null", "  ", "\\", "%", "@", "`", "?", ".",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) as usize) % n
        };
        let mut checked = 0;
        let bases = [
            PUBLISHER,
            "title: 'Plain'\ntags:\n- a\n- \"b\"\ntopics: [x, 'y', z]\ncategory: c\nextra:\n  deep:\n  - 1-2\n  flag: true\n",
        ];
        for round in 0..8000 {
            let mut src = bases[round % bases.len()].to_owned();
            for _ in 0..1 + next(3) {
                let mut at = next(src.len() + 1);
                while !src.is_char_boundary(at) {
                    at -= 1;
                }
                match next(3) {
                    0 => src.insert_str(at, SPECIAL[next(SPECIAL.len())]),
                    1 if at < src.len() => {
                        let len = src[at..].chars().next().map_or(0, char::len_utf8);
                        src.replace_range(at..at + len, "");
                    }
                    _ => {
                        let len = src[at..].chars().next().map_or(0, char::len_utf8);
                        src.replace_range(at..at + len, SPECIAL[next(SPECIAL.len())]);
                    }
                }
            }
            if parse(&src).is_some() {
                checked += 1;
            }
            assert!(
                agrees(&src),
                "{src:?}\nours: {:?}\nserde_yaml: {:?}",
                parse(&src),
                serde_yaml::from_str::<Value>(&src)
            );
        }
        // The mutations must not all fall outside the subset, or this tests nothing.
        assert!(
            checked > 1000,
            "only {checked} mutated inputs were in the subset"
        );
    }
}

//! YAML frontmatter (between `---` lines) into the neutral [`Value`]: serde_yaml does the
//! parsing (the fast reader in [`plain_yaml`] below answers first for plain frontmatter).
//!
//! What cannot be read is left out with a warning, never the whole file: when the document
//! as a whole fails (a repeated key, one badly quoted value), each top-level key is read on
//! its own, so one bad line costs one key. The hard caps (flow nesting, aliases) are checked
//! first and stay errors: past them serde_yaml can spend seconds on one file.

use serde_yaml::Value as Yaml;

use super::value::{Entry, Kind, Map, Note, Parsed, Scalar, Value, key_line};

/// Deepest `[`/`{` nesting accepted: serde_yaml is quadratic on nested flow collections.
pub const MAX_FLOW_DEPTH: usize = 32;
/// Most YAML aliases accepted: one big scalar referenced thousands of times costs seconds.
pub const MAX_ALIASES: usize = 64;

/// Parses YAML frontmatter text.
pub fn parse(src: &str) -> Parsed {
    if let Some(note) = prescan(src) {
        return Err(note);
    }
    let lines: Vec<&str> = src.lines().collect();
    // Plain frontmatter takes the fast reader; anything else serde_yaml.
    let whole = match plain_yaml::parse(src) {
        Some(v) => Ok(v),
        None => serde_yaml::from_str::<Yaml>(src),
    };
    match whole {
        Ok(Yaml::Mapping(map)) => {
            let top = top_keys(&lines);
            let mut out = Map::default();
            for (k, v) in map {
                let key = key_text(&k);
                let line = top
                    .iter()
                    .find(|(name, _)| *name == key)
                    .map_or_else(|| top_key_line(&lines, &key), |&(_, line)| line);
                let value = convert(v, &lines, line, &mut Written::new(&lines, line));
                out.insert(Entry { key, line, value });
            }
            Ok((out, Vec::new()))
        }
        Ok(Yaml::Null) => Ok((Map::default(), Vec::new())),
        Ok(_) => Ok((
            Map::default(),
            vec![Note::new(
                0,
                "frontmatter is not a set of `key: value` lines: it is left out",
            )],
        )),
        Err(_) => {
            // A key repeated inside a mapping (at any depth) is the commonest cause: keep the
            // later one and try the whole again; else read key by key.
            let (kept, mut notes) = drop_repeated_keys(&lines);
            if !notes.is_empty()
                && let Ok(Yaml::Mapping(map)) = serde_yaml::from_str::<Yaml>(&kept.join("\n"))
            {
                let mut out = Map::default();
                for (k, v) in map {
                    let key = key_text(&k);
                    let line = top_key_line(&kept, &key);
                    let value = convert(v, &kept, line, &mut Written::new(&kept, line));
                    out.insert(Entry { key, line, value });
                }
                return Ok((out, notes));
            }
            let (map, more) = salvage(&kept);
            notes.extend(more);
            Ok((map, notes))
        }
    }
}

/// The lines with each earlier occurrence of a key repeated in the same mapping blanked (the
/// key's line and the lines indented under it), and a note for each repeat. Line numbers do
/// not change.
fn drop_repeated_keys<'a>(lines: &[&'a str]) -> (Vec<&'a str>, Vec<Note>) {
    let mut kept = lines.to_vec();
    let mut notes = Vec::new();
    // (indent, line) of the keys enclosing the current line, innermost last.
    let mut parents: Vec<(usize, usize)> = Vec::new();
    // (parent line, key) → the line it was first given on.
    let mut seen: Vec<(Option<usize>, &str, usize)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let text = line.trim_start_matches(' ');
        let indent = line.len() - text.len();
        if text.is_empty() || text.starts_with('#') || text.starts_with('-') {
            continue;
        }
        let Some((key, _)) = text.split_once(':') else {
            continue;
        };
        if key.contains(['"', '\'', '[', '{', ' ']) {
            continue;
        }
        while parents.last().is_some_and(|&(d, _)| d >= indent) {
            parents.pop();
        }
        let parent = parents.last().map(|&(_, l)| l);
        if let Some(pos) = seen.iter().position(|&(p, k, _)| p == parent && k == key) {
            let first = seen[pos].2;
            // Blank the earlier entry: its line and what is indented under it.
            kept[first] = "";
            for l in kept.iter_mut().skip(first + 1) {
                let t = l.trim_start_matches(' ');
                let deeper = l.len() - t.len() > indent || (t.starts_with('-') && indent == 0);
                if !(t.is_empty() || deeper) {
                    break;
                }
                *l = "";
            }
            notes.push(Note::repeated(i, key, first));
            seen[pos].2 = i;
        } else {
            seen.push((parent, key, i));
        }
        parents.push((indent, i));
    }
    (kept, notes)
}

/// Reads each top-level key (its line and the indented lines under it) on its own: the keys
/// that parse are kept, the others are warnings, and a repeated key takes its later value.
fn salvage(lines: &[&str]) -> (Map, Vec<Note>) {
    let mut map = Map::default();
    let mut notes = Vec::new();
    for (start, end) in top_level_blocks(lines) {
        let text: String = lines[start..end].iter().flat_map(|l| [l, "\n"]).collect();
        match serde_yaml::from_str::<Yaml>(&text) {
            Ok(Yaml::Mapping(m)) => {
                for (k, v) in m {
                    let key = key_text(&k);
                    let value = convert(v, lines, start, &mut Written::new(&lines[..end], start));
                    let entry = Entry {
                        key: key.clone(),
                        line: start,
                        value,
                    };
                    if let Some(old) = map.insert(entry) {
                        notes.push(Note::repeated(start, &key, old.line));
                    }
                }
            }
            Ok(Yaml::Null) => {}
            Ok(_) => notes.push(Note::new(
                start,
                "this line is not a `key: value` line: it is left out",
            )),
            Err(e) => {
                let at = start + e.location().map_or(0, |l| l.line().saturating_sub(1));
                let at = at.min(end.saturating_sub(1));
                notes.push(Note::new(at, syntax_message(&e, lines.get(at).copied())));
            }
        }
    }
    (map, notes)
}

/// Lines `[start, end)` of each top-level key with what is indented under it. A top-level
/// list item (`- x` at column 0, allowed under a key) belongs to the key before it.
fn top_level_blocks(lines: &[&str]) -> Vec<(usize, usize)> {
    let mut starts = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let starts_key =
            !line.is_empty() && !line.starts_with([' ', '\t', '#', '-']) && !line.trim().is_empty();
        if starts_key {
            starts.push(i);
        }
    }
    let mut blocks = Vec::with_capacity(starts.len());
    for (n, &s) in starts.iter().enumerate() {
        blocks.push((s, starts.get(n + 1).copied().unwrap_or(lines.len())));
    }
    blocks
}

/// What is wrong, with a hint for the commonest mistakes; serde_yaml's message repeats the
/// location, which the problem already gives.
fn syntax_message(e: &serde_yaml::Error, line: Option<&str>) -> String {
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg);
    let line = line.unwrap_or_default();
    let hint = if line.starts_with('\t') || line.trim_start_matches(' ').starts_with('\t') {
        " (this line is indented with a tab: YAML needs spaces for indentation)"
    } else if line.matches(": ").count() > 1 {
        " (a value containing `: ` must be quoted)"
    } else {
        ""
    };
    format!("invalid YAML in frontmatter: {msg}{hint}; this key is left out")
}

/// A mapping key as text.
fn key_text(k: &Yaml) -> String {
    match k {
        Yaml::String(s) => s.clone(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Tagged(t) => key_text(&t.value),
        _ => String::new(),
    }
}

/// Each plain `key:` at column 0 with its line, found in one pass (most keys are these).
fn top_keys<'a>(lines: &[&'a str]) -> Vec<(&'a str, usize)> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.as_bytes().first().is_some_and(u8::is_ascii_alphabetic))
        .filter_map(|(i, l)| {
            let colon = memchr::memchr(b':', l.as_bytes())?;
            Some((l[..colon].trim_end(), i))
        })
        .collect()
}

/// The line of a top-level key: the first at column 0 (the document parsed whole, so keys
/// are unique), else the first anywhere, else the frontmatter's first line.
fn top_key_line(lines: &[&str], key: &str) -> usize {
    key_line(lines, key, 0, Some(0))
        .or_else(|| key_line(lines, key, 0, None))
        .unwrap_or(0)
}

/// Converts a serde_yaml value; `line` is where it starts, for the lines of nested keys.
fn convert(v: Yaml, lines: &[&str], line: usize, written: &mut Written) -> Value {
    match v {
        Yaml::Null => Value::Null,
        Yaml::String(s) => Value::text(s),
        Yaml::Bool(b) => Value::Scalar(Scalar {
            text: written
                .find(&Yaml::Bool(b))
                .unwrap_or_else(|| b.to_string()),
            kind: Kind::Bool(b),
        }),
        Yaml::Number(n) => Value::Scalar(Scalar {
            text: written
                .find(&Yaml::Number(n.clone()))
                .unwrap_or_else(|| n.to_string()),
            kind: Kind::Number,
        }),
        Yaml::Sequence(items) => Value::List(
            items
                .into_iter()
                .map(|i| convert(i, lines, line, written))
                .collect(),
        ),
        Yaml::Mapping(map) => {
            let mut out = Map::default();
            for (k, v) in map {
                let key = key_text(&k);
                let at = key_line(lines, &key, line, None).unwrap_or(line);
                let value = convert(v, lines, at, written);
                out.insert(Entry {
                    key,
                    line: at,
                    value,
                });
            }
            Value::Map(out)
        }
        Yaml::Tagged(t) => convert(t.value, lines, line, written),
    }
}

/// The plain scalars as written in a block of lines, in order, so that a number or boolean
/// can take its source text (`1.10`, not `1.1`). Each is matched by what it means, so a
/// mismatch only ever falls back to the parser's rendering, never to another value's text.
/// The lines are cut into tokens only when a number or boolean asks (most values are text).
struct Written<'a> {
    lines: &'a [&'a str],
    start: usize,
    tokens: Option<Vec<&'a str>>,
    next: usize,
}

impl<'a> Written<'a> {
    fn new(lines: &'a [&'a str], start: usize) -> Written<'a> {
        Written {
            lines,
            start,
            tokens: None,
            next: 0,
        }
    }

    /// The value's own lines (until the next top-level key), cut into scalar tokens.
    fn tokens(lines: &[&'a str], start: usize) -> Vec<&'a str> {
        let mut tokens = Vec::new();
        let end = (start + 1..lines.len())
            .find(|&i| {
                let l = lines[i];
                !l.is_empty() && !l.starts_with([' ', '\t', '#', '-'])
            })
            .unwrap_or(lines.len());
        for line in lines.get(start..end).unwrap_or_default() {
            let mut t = line.trim();
            while let Some(rest) = t.strip_prefix("- ") {
                t = rest.trim_start();
            }
            if let Some((key, rest)) = t
                .split_once(": ")
                .or_else(|| t.strip_suffix(':').map(|k| (k, "")))
                && !key.contains(['"', '\'', '[', '{'])
            {
                t = rest.trim();
            }
            let t = t.split(" #").next().unwrap_or_default().trim();
            if let Some(inner) = t.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
                tokens.extend(inner.split(',').map(str::trim).filter(|x| !x.is_empty()));
            } else if !t.is_empty() {
                tokens.push(t);
            }
        }
        tokens
    }

    /// The written text of the next token that means `value`.
    fn find(&mut self, value: &Yaml) -> Option<String> {
        let tokens = self
            .tokens
            .get_or_insert_with(|| Self::tokens(self.lines, self.start));
        let means = |t: &str| match value {
            // The words YAML 1.2 reads as booleans: no parser needed.
            Yaml::Bool(b) => {
                t.eq_ignore_ascii_case(if *b { "true" } else { "false" })
                    && (t.chars().all(|c| c.is_ascii_lowercase())
                        || t.chars().all(|c| c.is_ascii_uppercase())
                        || t[1..].chars().all(|c| c.is_ascii_lowercase()))
            }
            _ => serde_yaml::from_str::<Yaml>(t).is_ok_and(|v| &v == value),
        };
        let at = (self.next..tokens.len()).find(|&i| means(tokens[i]))?;
        self.next = at + 1;
        Some(tokens[at].to_owned())
    }
}

/// Refuses input that would make serde_yaml slow before handing it over.
fn prescan(src: &str) -> Option<Note> {
    let (mut depth, mut aliases) = (0usize, 0usize);
    let (mut in_single, mut in_double, mut prev) = (false, false, ' ');
    for (line_idx, line) in src.lines().enumerate() {
        for c in line.chars() {
            match c {
                '"' if !in_single && prev != '\\' => in_double = !in_double,
                '\'' if !in_double => in_single = !in_single,
                '[' | '{' if !in_single && !in_double => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some(Note::new(
                            line_idx,
                            format!(
                                "YAML nests `[`/`{{` deeper than {MAX_FLOW_DEPTH} levels: flatten it"
                            ),
                        ));
                    }
                }
                ']' | '}' if !in_single && !in_double => depth = depth.saturating_sub(1),
                '*' if !in_single && !in_double && matches!(prev, ' ' | '[' | ',' | '{' | ':') => {
                    aliases += 1;
                    if aliases > MAX_ALIASES {
                        return Some(Note::new(
                            line_idx,
                            format!(
                                "more than {MAX_ALIASES} YAML aliases (`*name`): write the values out"
                            ),
                        ));
                    }
                }
                _ => {}
            }
            prev = c;
        }
        prev = ' ';
    }
    None
}

mod plain_yaml {
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
    fn block_mapping(
        lines: &[Line],
        at: &mut usize,
        indent: usize,
        depth: usize,
    ) -> Option<Mapping> {
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
                " ", "\n", ":", "-", "- ", "#", "'", "\"", "[", "]", "{", "}", ",", "&", "*", "!",
                "|", ">", "~", "0", "1.5", "true", "null", "  ", "\\", "%", "@", "`", "?", ".",
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(map: &Map, key: &str) -> String {
        match &map.get(key).expect(key).value {
            Value::Scalar(s) => s.text.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn scalars_keep_their_written_text() {
        let (map, notes) = parse(
            "title: 1.10\nslug: 0x1F\nsummary: no\ndraft: True\nweight: 007\nlist: [1.10, 2.50]\n",
        )
        .unwrap();
        assert!(notes.is_empty());
        assert_eq!(text_of(&map, "title"), "1.10");
        assert_eq!(text_of(&map, "slug"), "0x1F");
        assert_eq!(text_of(&map, "summary"), "no");
        assert_eq!(text_of(&map, "draft"), "True");
        assert_eq!(
            map.get("draft").unwrap().value.as_scalar().unwrap().kind,
            Kind::Bool(true)
        );
        assert_eq!(text_of(&map, "weight"), "007");
        let Value::List(items) = &map.get("list").unwrap().value else {
            panic!()
        };
        let texts: Vec<_> = items
            .iter()
            .map(|i| i.as_scalar().unwrap().text.as_str())
            .collect();
        assert_eq!(texts, vec!["1.10", "2.50"]);
    }

    #[test]
    fn a_repeated_key_takes_the_later_value_and_names_the_line() {
        let (map, notes) = parse("title: A\ndate: 2020-01-01\ntags: [x]\ntitle: B\n").unwrap();
        assert_eq!(text_of(&map, "title"), "B");
        assert_eq!(map.get("title").unwrap().line, 3);
        assert_eq!(text_of(&map, "date"), "2020-01-01");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].line, 3);
        assert!(
            notes[0].message.contains("`title` is given again"),
            "{notes:?}"
        );
    }

    #[test]
    fn a_key_repeated_inside_tags_takes_the_later_value() {
        let (map, notes) =
            parse("title: T\ntags:\n  role:\n    - a\n  role: [b]\n  intent: [c]\n").unwrap();
        let Value::Map(tags) = &map.get("tags").unwrap().value else {
            panic!()
        };
        assert_eq!(
            tags.get("role").unwrap().value,
            Value::List(vec![Value::text("b")])
        );
        assert_eq!(
            tags.get("intent").unwrap().value,
            Value::List(vec![Value::text("c")])
        );
        assert_eq!(
            (notes.len(), notes[0].line, notes[0].first),
            (1, 4, Some(2))
        );
    }

    #[test]
    fn one_bad_line_costs_one_key() {
        let (map, notes) =
            parse("title: T\ndescription: Tips: how to: win\ntags:\n  - a\n").unwrap();
        assert_eq!(text_of(&map, "title"), "T");
        assert!(map.get("description").is_none());
        assert!(map.get("tags").is_some());
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].line, 1);
        assert!(
            notes[0]
                .message
                .ends_with("(a value containing `: ` must be quoted); this key is left out"),
            "{}",
            notes[0].message
        );
    }

    #[test]
    fn nested_keys_have_their_lines() {
        let (map, _) = parse("title: T\ntags:\n  role:\n    - a\n  intent: [b]\n").unwrap();
        let Value::Map(tags) = &map.get("tags").unwrap().value else {
            panic!()
        };
        assert_eq!(tags.get("role").unwrap().line, 2);
        assert_eq!(tags.get("intent").unwrap().line, 4);
    }
}

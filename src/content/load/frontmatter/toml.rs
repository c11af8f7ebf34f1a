//! TOML frontmatter (between `+++` lines: Hugo, Zola) into the neutral [`Value`], with the
//! toml crate.

use super::value::{Entry, Kind, Map, Note, Parsed, Scalar, Value, key_line};

/// Parses TOML frontmatter text. A repeated key takes its later value with a warning; any
/// other syntax error leaves the frontmatter out with a warning that says where.
pub fn parse(src: &str) -> Parsed {
    let lines: Vec<&str> = src.lines().collect();
    let mut notes = Vec::new();
    let mut text = std::borrow::Cow::Borrowed(src);
    // The toml crate refuses a repeated key: blank the earlier line of each (a single-line
    // `key = value` of the same table), so the later value is read, as in YAML.
    let repeats = repeated_keys(&lines);
    if !repeats.is_empty() {
        let mut kept: Vec<&str> = lines.clone();
        for &(earlier, later, ref key) in &repeats {
            kept[earlier] = "";
            notes.push(Note::repeated(later, key, earlier));
        }
        text = kept.join("\n").into();
    }
    match text.parse::<toml::Table>() {
        Ok(table) => Ok((convert_table(table, &lines, 0), notes)),
        Err(_) => {
            let (map, more) = salvage(&text);
            notes.extend(more);
            Ok((map, notes))
        }
    }
}

/// Reads each `key = value` (with the lines that continue it) on its own, under the table
/// header before it: what parses is kept, each part that does not is a warning.
fn salvage(text: &str) -> (Map, Vec<Note>) {
    let lines: Vec<&str> = text.lines().collect();
    let starts_part = |l: &str| {
        let t = l.trim_start();
        t.starts_with('[')
            || t.split_once('=').is_some_and(|(k, _)| {
                let k = k.trim();
                !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | '\''))
            })
    };
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| starts_part(lines[i]))
        .collect();
    let mut table = toml::Table::new();
    let mut notes = Vec::new();
    let mut header: Option<usize> = None;
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(lines.len());
        if lines[start].trim_start().starts_with('[') {
            header = Some(start);
            continue;
        }
        let mut part = String::new();
        if let Some(h) = header {
            part.push_str(lines[h]);
            part.push('\n');
        }
        for l in &lines[start..end] {
            part.push_str(l);
            part.push('\n');
        }
        match part.parse::<toml::Table>() {
            Ok(piece) => merge(&mut table, piece),
            Err(e) => notes.push(Note::new(
                start,
                format!(
                    "invalid TOML in frontmatter: {}; this key is left out",
                    e.message().trim()
                ),
            )),
        }
    }
    (convert_table(table, &lines, 0), notes)
}

/// Adds `piece` to `table`, merging tables and letting later values win.
fn merge(table: &mut toml::Table, piece: toml::Table) {
    for (k, v) in piece {
        match (table.get_mut(&k), v) {
            (Some(toml::Value::Table(old)), toml::Value::Table(new)) => merge(old, new),
            (_, v) => {
                table.insert(k, v);
            }
        }
    }
}

/// `(earlier line, later line, key)` for each `key = value` given twice in one table.
fn repeated_keys(lines: &[&str]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            seen.clear(); // a new table
            continue;
        }
        let Some((key, value)) = t.split_once('=') else {
            continue;
        };
        let key = key.trim().trim_matches('"');
        let value = value.trim();
        // Only single-line values can be blanked safely.
        if key.is_empty()
            || key.contains(' ')
            || value.starts_with("\"\"\"")
            || value.starts_with("'''")
            || (value.starts_with('[') && !value.ends_with(']'))
        {
            continue;
        }
        if let Some(&(_, earlier)) = seen.iter().find(|(k, _)| *k == key) {
            out.push((earlier, i, key.to_owned()));
            seen.retain(|(k, _)| *k != key);
        }
        seen.push((key, i));
    }
    out
}

/// A table whose keys are looked for from line `from` on (its header, or its key's line).
fn convert_table(table: toml::Table, lines: &[&str], from: usize) -> Map {
    let mut map = Map::default();
    for (key, v) in table {
        // Top-level keys come before any table header; a table's own header names it.
        let line = key_line(lines, &key, from, None)
            .or_else(|| header_line(lines, &key))
            .unwrap_or(from);
        let value = convert(v, lines, line);
        map.insert(Entry { key, line, value });
    }
    map
}

/// The line of a `[key]` or `[parent.key]` table header.
fn header_line(lines: &[&str], key: &str) -> Option<usize> {
    lines.iter().position(|l| {
        let t = l.trim();
        t.strip_prefix('[')
            .and_then(|t| t.strip_suffix(']'))
            .is_some_and(|name| name.trim() == key || name.trim().ends_with(&format!(".{key}")))
    })
}

fn convert(v: toml::Value, lines: &[&str], line: usize) -> Value {
    let scalar = |text: String, kind| Value::Scalar(Scalar { text, kind });
    match v {
        toml::Value::String(s) => Value::text(s),
        toml::Value::Integer(n) => scalar(n.to_string(), Kind::Number),
        toml::Value::Float(f) => scalar(f.to_string(), Kind::Number),
        toml::Value::Boolean(b) => scalar(b.to_string(), Kind::Bool(b)),
        toml::Value::Datetime(d) => scalar(d.to_string(), Kind::Date),
        toml::Value::Array(items) => {
            Value::List(items.into_iter().map(|i| convert(i, lines, line)).collect())
        }
        toml::Value::Table(t) => Value::Map(convert_table(t, lines, line)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zola_frontmatter_with_datetimes_and_tables() {
        let src = "title = \"Notes on 1.10\"\ndate = 2021-03-04T09:30:00Z\nupdated = 2021-05-01\ndraft = false\n\n[taxonomies]\ntags = [\"remote\", \"offers\"]\n\n[extra]\ntitle = \"not this one\"\n";
        let (map, notes) = parse(src).unwrap();
        assert!(notes.is_empty(), "{notes:?}");
        let text = |k: &str| map.get(k).unwrap().value.as_scalar().unwrap().text.clone();
        assert_eq!(text("title"), "Notes on 1.10");
        assert_eq!(map.get("title").unwrap().line, 0);
        assert_eq!(text("date"), "2021-03-04T09:30:00Z");
        assert_eq!(text("updated"), "2021-05-01");
        let Value::Map(tax) = &map.get("taxonomies").unwrap().value else {
            panic!()
        };
        assert_eq!(map.get("taxonomies").unwrap().line, 5);
        assert_eq!(tax.get("tags").unwrap().line, 6);
    }

    #[test]
    fn repeated_key_later_wins_and_errors_are_warnings() {
        let (map, notes) = parse("title = \"A\"\ntitle = \"B\"\n").unwrap();
        assert_eq!(map.get("title").unwrap().value, Value::text("B"));
        assert_eq!(notes[0].line, 1);
        assert_eq!(notes[0].first, Some(0));
        let (map, notes) = parse(
            "title = \"A\ndate = 2020-01-02\n[taxonomies]\ntags = [\"a\",\n  \"b\"]\nbad = [\n",
        )
        .unwrap();
        assert!(map.get("title").is_none());
        assert_eq!(map.get("date").unwrap().line, 1);
        let Value::Map(tax) = &map.get("taxonomies").unwrap().value else {
            panic!("{map:?}")
        };
        assert_eq!(
            tax.get("tags").unwrap().value,
            Value::List(vec![Value::text("a"), Value::text("b")])
        );
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert_eq!((notes[0].line, notes[1].line), (0, 5));
        assert!(
            notes[0].message.starts_with("invalid TOML in frontmatter"),
            "{notes:?}"
        );
    }
}

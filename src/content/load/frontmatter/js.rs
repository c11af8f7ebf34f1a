//! A JavaScript object literal as frontmatter: Eleventy's `---js` and the
//! `export const meta = { ... }` of MDX blogs (Next.js). Only what can be read without running
//! JavaScript is read: `key: value` lines of the top level whose value is a quoted string, a
//! number, a boolean or a one-line list of those. Anything else (expressions, functions,
//! nested objects) is left out without a word: the article loads with what was read.

use super::value::{Entry, Kind, Map, Parsed, Scalar, Value};

/// Parses the literal (from its `{` to its `}`).
pub fn parse(src: &str) -> Parsed {
    let mut map = Map::default();
    let mut depth = 0i32;
    let lines: Vec<&str> = src.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        let at_top = depth == 1 || (depth == 0 && !t.starts_with('{'));
        depth += t.matches(['{', '[']).count() as i32 - t.matches(['}', ']']).count() as i32;
        let t = t.trim_start_matches('{').trim();
        if !at_top {
            continue;
        }
        let Some((key, value)) = t.split_once(':') else {
            continue;
        };
        let key = unquote(key.trim());
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            continue;
        }
        // `description:` with its string on the next line, as formatters wrap long ones.
        let value = match value.trim() {
            "" => lines.get(i + 1).map_or("", |next| next.trim()),
            v => v,
        };
        let value = value.trim_end_matches(',').trim_end_matches('}').trim();
        if let Some(value) = literal(value) {
            map.insert(Entry {
                key: key.to_owned(),
                line: i,
                value,
            });
        }
    }
    Ok((map, Vec::new()))
}

/// A string, number, boolean, null or one-line list of those.
fn literal(v: &str) -> Option<Value> {
    if let Some(inner) = v.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
        let items: Option<Vec<Value>> = inner
            .split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(literal)
            .collect();
        return items.map(Value::List);
    }
    let scalar = |text: &str, kind| {
        Some(Value::Scalar(Scalar {
            text: text.to_owned(),
            kind,
        }))
    };
    match v {
        "true" => scalar(v, Kind::Bool(true)),
        "false" => scalar(v, Kind::Bool(false)),
        "null" | "undefined" => Some(Value::Null),
        _ if v.parse::<f64>().is_ok() => scalar(v, Kind::Number),
        _ => {
            let inner = unquote(v);
            // Quoted, with no interpolation or concatenation left.
            (inner.len() + 2 == v.len() && !inner.contains("${")).then(|| Value::text(inner))
        }
    }
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\'', '`'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|x| x.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// The object literal of an `export const meta = { ... }` (or `metadata`, `frontmatter`)
/// in an MDX body, and the body line it starts on (0-based).
pub fn exported_meta(body: &str) -> Option<(&str, usize)> {
    let mut offset = 0;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let t = line.trim_start();
        let rest = t
            .strip_prefix("export const ")
            .map(|r| r.trim_start())
            .and_then(|r| {
                ["meta", "metadata", "frontmatter", "frontMatter"]
                    .iter()
                    .find_map(|name| r.strip_prefix(name))
            })
            .map(|r| r.trim_start());
        if let Some(rest) = rest.and_then(|r| r.strip_prefix('=')).map(str::trim_start)
            && rest.starts_with('{')
        {
            let start = offset + (line.len() - rest.len());
            let len = closing_brace(&body[start..])?;
            return Some((&body[start..start + len], i));
        }
        offset += line.len();
    }
    None
}

/// The length up to and including the brace that closes the one `s` starts with.
fn closing_brace(s: &str) -> Option<usize> {
    let (mut depth, mut quote) = (0usize, None::<char>);
    let mut prev = ' ';
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q && prev != '\\' => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '{') => depth += 1,
            (None, '}') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        prev = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_plain_keys_of_an_exported_meta() {
        let body = "import { Layout } from '@/components/Layout'\n\nexport const meta = {\n  author: 'A writer',\n  date: '2022-09-05',\n  title: \"Crafting a {good} résumé\",\n  tags: ['resume', \"writing\"],\n  image: hero,\n  draft: false,\n  nested: { a: 'x' },\n}\n\nexport default (props) => <Layout meta={meta} {...props} />\n\nBody.\n";
        let (obj, line) = exported_meta(body).unwrap();
        assert_eq!(line, 2);
        assert!(obj.starts_with('{') && obj.ends_with('}'));
        let (map, _) = parse(obj).unwrap();
        let text = |k: &str| map.get(k).unwrap().value.as_scalar().unwrap().text.clone();
        assert_eq!(text("title"), "Crafting a {good} résumé");
        assert_eq!(text("date"), "2022-09-05");
        assert_eq!(map.get("title").unwrap().line, 3);
        assert_eq!(
            map.get("tags").unwrap().value,
            Value::List(vec![Value::text("resume"), Value::text("writing")])
        );
        assert!(map.get("image").is_none(), "an expression is not read");
        assert!(map.get("a").is_none(), "nested keys are not top-level keys");
        assert_eq!(
            map.get("draft").unwrap().value.as_scalar().unwrap().kind,
            Kind::Bool(false)
        );
    }
}

//! JSON frontmatter (one object at the top of the file: Hugo) into the neutral [`Value`].

use super::value::{Entry, Kind, Map, Note, Parsed, Scalar, Value, key_line};

/// Parses a JSON object. A syntax error leaves the frontmatter out with a warning.
pub fn parse(src: &str) -> Parsed {
    let lines: Vec<&str> = src.lines().collect();
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(src) {
        Ok(object) => Ok((convert_object(object, &lines, 0), Vec::new())),
        Err(e) => Ok((
            Map::default(),
            vec![Note::new(
                e.line().saturating_sub(1),
                format!(
                    "invalid JSON in frontmatter: {}; the frontmatter is left out",
                    e.to_string().split(" at line ").next().unwrap_or_default()
                ),
            )],
        )),
    }
}

fn convert_object(
    object: serde_json::Map<String, serde_json::Value>,
    lines: &[&str],
    from: usize,
) -> Map {
    let mut map = Map::default();
    for (key, v) in object {
        let line = key_line(lines, &key, from, None).unwrap_or(from);
        let value = convert(v, lines, line);
        map.insert(Entry { key, line, value });
    }
    map
}

fn convert(v: serde_json::Value, lines: &[&str], line: usize) -> Value {
    use serde_json::Value as J;
    match v {
        J::Null => Value::Null,
        J::Bool(b) => Value::Scalar(Scalar {
            text: b.to_string(),
            kind: Kind::Bool(b),
        }),
        J::Number(n) => Value::Scalar(Scalar {
            text: n.to_string(),
            kind: Kind::Number,
        }),
        J::String(s) => Value::text(s),
        J::Array(items) => {
            Value::List(items.into_iter().map(|i| convert(i, lines, line)).collect())
        }
        J::Object(o) => Value::Map(convert_object(o, lines, line)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hugo_json_frontmatter() {
        let src = "{\n  \"title\": \"Q&amp;A day\",\n  \"date\": \"2019-04-01\",\n  \"tags\": [\"a\", \"b\"],\n  \"draft\": false\n}";
        let (map, notes) = parse(src).unwrap();
        assert!(notes.is_empty());
        assert_eq!(map.get("title").unwrap().line, 1);
        assert_eq!(map.get("tags").unwrap().line, 3);
        assert_eq!(
            map.get("draft").unwrap().value.as_scalar().unwrap().kind,
            Kind::Bool(false)
        );
        let (map, notes) = parse("{\"title\": }").unwrap();
        assert!(map.entries.is_empty());
        assert!(notes[0].message.starts_with("invalid JSON"));
    }
}

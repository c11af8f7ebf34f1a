//! Frontmatter: YAML into a typed, validated struct.
//!
//! Accepts the publisher's schema and the usual aliases of other static-site generators
//! (Hugo, Jekyll, Eleventy, Astro). Everything is validated here, at the boundary, and every
//! problem names the file and line: later phases trust what this module returns.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde_yaml::Value;

mod plain_yaml;

use super::problem::Problem;
use super::sanitize;

/// Deepest `[`/`{` nesting accepted: serde_yaml is quadratic on nested flow collections.
pub const MAX_FLOW_DEPTH: usize = 32;
/// Most YAML aliases accepted: one big scalar referenced thousands of times costs seconds.
pub const MAX_ALIASES: usize = 64;

/// A calendar date (`YYYY-MM-DD`); the time of day of date-times is dropped.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// Parses `YYYY-MM-DD`, optionally followed by a time and offset as in
    /// `2015-06-29 11:00:00 -0400` or `2014-05-14T11:02:00-04:00`.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let (date, rest) = s.split_at_checked(10)?;
        let b = date.as_bytes();
        if b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u16> {
            let part = &date[r];
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (year, month, day) = (num(0..4)?, num(5..7)? as u8, num(8..10)? as u8);
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        if !rest.is_empty() && !valid_time_suffix(rest) {
            return None;
        }
        Some(Date { year, month, day })
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `T11:02:00-04:00`, ` 11:00:00 -0400`, `T10:00:00Z`, ` 11:00`: a time with optional
/// seconds, fraction and offset.
fn valid_time_suffix(rest: &str) -> bool {
    let Some(t) = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) else {
        return false;
    };
    let t = t.trim();
    let (time, offset) = match t.find(['Z', '+', '-', ' ']) {
        Some(i) => t.split_at(i),
        None => (t, ""),
    };
    let mut parts = time.split(':');
    let two_digits = |p: Option<&str>, max: u8| {
        p.is_some_and(|p| p.len() == 2 && p.parse::<u8>().is_ok_and(|n| n <= max))
    };
    if !two_digits(parts.next(), 23) || !two_digits(parts.next(), 59) {
        return false;
    }
    if let Some(sec) = parts.next() {
        let whole = sec.split('.').next().unwrap_or_default();
        if !two_digits(Some(whole), 60) {
            return false;
        }
    }
    let offset = offset.trim();
    offset.is_empty()
        || offset == "Z"
        || (offset.len() > 1
            && matches!(offset.as_bytes()[0], b'+' | b'-')
            && offset[1..].chars().all(|c| c.is_ascii_digit() || c == ':'))
}

/// Validated frontmatter of one article.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Frontmatter {
    pub title: String,
    pub slug: Option<String>,
    pub description: String,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    /// Facet name → values. Includes `category`, every key under `tags` (or `tag` for a flat
    /// list) and `topic`.
    pub facets: BTreeMap<String, Vec<String>>,
    pub canonical: Option<String>,
    pub draft: bool,
    pub archived: bool,
}

impl Frontmatter {
    /// The primary category, if any.
    pub fn category(&self) -> Option<&str> {
        self.facets
            .get("category")
            .and_then(|v| v.first())
            .map(String::as_str)
    }
}

/// The keys we read, with their aliases; serde ignores every other key.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Raw {
    title: Option<Value>,
    slug: Option<Value>,
    #[serde(alias = "summary", alias = "excerpt")]
    description: Option<Value>,
    #[serde(
        rename = "pubDate",
        alias = "date",
        alias = "pub_date",
        alias = "published"
    )]
    pub_date: Option<Value>,
    #[serde(
        rename = "updatedDate",
        alias = "updated",
        alias = "lastmod",
        alias = "modified"
    )]
    updated_date: Option<Value>,
    category: Option<Value>,
    categories: Option<Value>,
    tags: Option<Value>,
    topics: Option<Value>,
    canonical: Option<Value>,
    draft: Option<Value>,
    archived: Option<Value>,
}

/// Parses frontmatter text. `first_line` is the file line where it starts, so problems point
/// into the file. Returns the frontmatter and its warnings, or every error found.
pub fn parse(
    path: &str,
    src: &str,
    first_line: usize,
) -> Result<(Frontmatter, Vec<Problem>), Vec<Problem>> {
    // Every key's line, found in one pass: looking each key up separately rescanned the
    // frontmatter a dozen times per file, a measurable share of loading a big folder.
    let keys = KeyLines::new(src);
    let at = |key: &str| first_line + keys.line(key).unwrap_or(0);
    if let Some(p) = prescan(path, src, first_line) {
        return Err(vec![p]);
    }
    if src.trim().is_empty() {
        return Err(vec![Problem::error(
            path,
            first_line.saturating_sub(1),
            "frontmatter is empty: add at least `title: ...`",
        )]);
    }
    // Plain frontmatter takes the fast reader; anything else, and every error, serde_yaml.
    let raw: Raw = match plain_yaml::parse(src).and_then(|v| serde_yaml::from_value(v).ok()) {
        Some(raw) => raw,
        None => {
            serde_yaml::from_str(src).map_err(|e| vec![yaml_problem(path, src, first_line, &e)])?
        }
    };

    let mut v = Validator {
        path,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let mut fm = Frontmatter::default();
    match raw
        .title
        .as_ref()
        .map(|t| v.scalar("title", t, at("title")))
    {
        None => v.error(
            first_line,
            "missing `title`: add a line `title: Your article title`",
        ),
        Some(Some(t)) if t.is_empty() => {
            v.error(at("title"), "`title` is empty: give the article a title")
        }
        Some(Some(t)) => fm.title = t,
        Some(None) => {}
    }
    if let Some(s) = raw
        .slug
        .as_ref()
        .and_then(|s| v.scalar("slug", s, at("slug")))
    {
        fm.slug = v.slug(s, at("slug"));
    }
    if let Some(d) = &raw.description {
        fm.description = v
            .scalar("description", d, at("description"))
            .unwrap_or_default();
    }
    fm.date = v.date(
        raw.pub_date.as_ref(),
        "pubDate",
        first_line + keys.any(&["pubDate", "date", "pub_date", "published"]),
    );
    fm.updated = v.date(
        raw.updated_date.as_ref(),
        "updatedDate",
        first_line + keys.any(&["updatedDate", "updated", "lastmod", "modified"]),
    );
    fm.draft = v.flag(raw.draft.as_ref(), "draft", at("draft"));
    fm.archived = v.flag(raw.archived.as_ref(), "archived", at("archived"));
    if let Some(c) = &raw.canonical {
        fm.canonical = v
            .scalar("canonical", c, at("canonical"))
            .filter(|c| !c.is_empty());
        if let Some(c) = &fm.canonical
            && !(c.starts_with("https://") || c.starts_with("http://"))
        {
            v.warning(
                at("canonical"),
                format!("`canonical` is not an http(s) URL: `{c}`"),
            );
        }
    }
    let mut facets = BTreeMap::new();
    v.facet_values(
        &mut facets,
        "category",
        raw.category.as_ref(),
        at("category"),
    );
    v.facet_values(
        &mut facets,
        "category",
        raw.categories.as_ref(),
        at("categories"),
    );
    v.facet_values(&mut facets, "topic", raw.topics.as_ref(), at("topics"));
    v.tags(&mut facets, raw.tags.as_ref(), &keys, first_line);
    fm.facets = facets;

    if v.errors.is_empty() {
        Ok((fm, v.warnings))
    } else {
        Err(v.errors)
    }
}

/// Collects problems while converting loosely typed YAML values.
struct Validator<'a> {
    path: &'a str,
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl Validator<'_> {
    fn error(&mut self, line: usize, msg: impl Into<String>) {
        self.errors.push(Problem::error(self.path, line, msg));
    }

    fn warning(&mut self, line: usize, msg: impl Into<String>) {
        self.warnings.push(Problem::warning(self.path, line, msg));
    }

    /// A scalar as trimmed single-line text; lists and maps are errors.
    fn scalar(&mut self, key: &str, value: &Value, line: usize) -> Option<String> {
        match scalar_text(value) {
            Some(s) => Some(sanitize::line(s.trim()).into_owned()),
            None if value.is_null() => Some(String::new()),
            None => {
                self.error(
                    line,
                    format!("`{key}` must be a single value, not a list or map"),
                );
                None
            }
        }
    }

    fn slug(&mut self, slug: String, line: usize) -> Option<String> {
        if slug.is_empty() {
            self.error(
                line,
                "`slug` is empty: remove the line to use the file name, or set a slug",
            );
            None
        } else if slug
            .contains(|c: char| c.is_whitespace() || c == '/' || c == '\\' || c == '?' || c == '#')
        {
            self.error(
                line,
                format!(
                    "`slug` `{slug}` has spaces or URL separators: use letters, digits and hyphens"
                ),
            );
            None
        } else {
            Some(slug)
        }
    }

    fn date(&mut self, value: Option<&Value>, key: &str, line: usize) -> Option<Date> {
        let value = value?;
        if value.is_null() {
            return None;
        }
        let text = scalar_text(value).unwrap_or_default();
        let date = Date::parse(&text);
        if date.is_none() {
            self.error(
                line,
                format!("`{key}` `{text}` is not a date: write it as YYYY-MM-DD (a time and offset may follow)"),
            );
        }
        date
    }

    fn flag(&mut self, value: Option<&Value>, key: &str, line: usize) -> bool {
        match value {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                let shown = scalar_text(other).unwrap_or_else(|| "a list or map".into());
                self.error(
                    line,
                    format!("`{key}` must be true or false, not `{shown}`"),
                );
                false
            }
        }
    }

    /// Adds the values of one facet key (a scalar or a list of scalars) to `facets[name]`.
    fn facet_values(
        &mut self,
        facets: &mut BTreeMap<String, Vec<String>>,
        name: &str,
        value: Option<&Value>,
        line: usize,
    ) {
        let values: Vec<&Value> = match value {
            None | Some(Value::Null) => return,
            Some(Value::Sequence(seq)) => seq.iter().collect(),
            Some(v @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) => vec![v],
            Some(_) => {
                self.error(
                    line,
                    format!("`{name}` must be a value or a list of values"),
                );
                return;
            }
        };
        for v in values {
            match scalar_text(v) {
                Some(s) if !s.trim().is_empty() => {
                    let s = sanitize::line(s.trim()).into_owned();
                    let entry = facets.entry(name.to_owned()).or_default();
                    if !entry.contains(&s) {
                        entry.push(s);
                    }
                }
                Some(_) | None if v.is_null() || scalar_text(v).is_some() => self.error(
                    line,
                    format!("`{name}` has an empty value: remove it or give it a name"),
                ),
                _ => self.error(
                    line,
                    format!("`{name}` values must be plain text, not lists or maps"),
                ),
            }
        }
    }

    /// `tags`: a map of facet lists (publisher), a flat list (Hugo, Jekyll) or a
    /// comma-separated string.
    fn tags(
        &mut self,
        facets: &mut BTreeMap<String, Vec<String>>,
        tags: Option<&Value>,
        keys: &KeyLines,
        first_line: usize,
    ) {
        let line = first_line + keys.line("tags").unwrap_or(0);
        match tags {
            None | Some(Value::Null) => {}
            Some(Value::Mapping(map)) => {
                for (k, v) in map {
                    let Some(name) =
                        scalar_text(k).map(|k| sanitize::line(k.trim()).to_lowercase())
                    else {
                        self.error(line, "`tags` keys must be facet names such as `role`");
                        continue;
                    };
                    if name.is_empty() {
                        self.error(line, "`tags` has an empty facet name");
                        continue;
                    }
                    let key_at = first_line + keys.line(&name).unwrap_or(line - first_line);
                    self.facet_values(facets, &name, Some(v), key_at);
                }
            }
            Some(Value::String(s)) => {
                let list = s.split(',').map(|t| Value::String(t.to_owned())).collect();
                self.facet_values(facets, "tag", Some(&Value::Sequence(list)), line);
            }
            Some(v) => self.facet_values(facets, "tag", Some(v), line),
        }
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar_text(&t.value),
        _ => None,
    }
}

/// The zero-based line of each `key:` in the frontmatter (at any indentation; the first
/// line where a key appears), for pointing problems at their line.
struct KeyLines<'a>(rustc_hash::FxHashMap<&'a str, usize>);

impl<'a> KeyLines<'a> {
    fn new(src: &'a str) -> KeyLines<'a> {
        let mut keys = rustc_hash::FxHashMap::default();
        for (i, line) in src.lines().enumerate() {
            let line = line.trim_start();
            if let Some(colon) = line.find(':') {
                keys.entry(&line[..colon]).or_insert(i);
            }
        }
        KeyLines(keys)
    }

    /// The line of `key`, if the frontmatter has it.
    fn line(&self, key: &str) -> Option<usize> {
        self.0.get(key).copied()
    }

    /// The line of the first of `keys` present (aliases of one key), else 0.
    fn any(&self, keys: &[&str]) -> usize {
        keys.iter().find_map(|k| self.line(k)).unwrap_or(0)
    }
}

/// Refuses input that would make serde_yaml slow before handing it over.
fn prescan(path: &str, src: &str, first_line: usize) -> Option<Problem> {
    let (mut depth, mut aliases) = (0usize, 0usize);
    let (mut in_single, mut in_double, mut prev) = (false, false, ' ');
    for (line_idx, line) in src.lines().enumerate() {
        let line_no = first_line + line_idx;
        if line.starts_with('\t')
            || line.trim_start_matches(' ').starts_with('\t') && !line.trim().is_empty()
        {
            return Some(Problem::error(
                path,
                line_no,
                "this line is indented with a tab: YAML needs spaces for indentation",
            ));
        }
        for c in line.chars() {
            match c {
                '"' if !in_single && prev != '\\' => in_double = !in_double,
                '\'' if !in_double => in_single = !in_single,
                '[' | '{' if !in_single && !in_double => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some(Problem::error(
                            path,
                            line_no,
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
                        return Some(Problem::error(
                            path,
                            line_no,
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

fn yaml_problem(path: &str, src: &str, first_line: usize, e: &serde_yaml::Error) -> Problem {
    let line = e
        .location()
        .map_or(first_line, |l| first_line + l.line().saturating_sub(1));
    // serde_yaml's message repeats the location; keep only what it says is wrong.
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
    let hint = if src
        .lines()
        .nth(line - first_line)
        .is_some_and(|l| l.contains(": ") && l.matches(": ").count() > 1)
    {
        " (a value containing `: ` must be quoted)"
    } else {
        ""
    };
    Problem::error(
        path,
        line,
        format!("invalid YAML in frontmatter: {msg}{hint}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(src: &str) -> Frontmatter {
        let (fm, warnings) = parse("a.md", src, 2).expect("valid frontmatter");
        assert!(warnings.is_empty(), "{warnings:?}");
        fm
    }

    fn errors(src: &str) -> Vec<String> {
        parse("a.md", src, 2)
            .expect_err("should fail")
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    const PUBLISHER: &str = r#"title: "How to Follow Up: A Guide"
slug: how-to-follow-up
description: Short summary.
canonical: "https://careerhub.example/blog/how-to-follow-up"
pubDate: 2025-06-03
category: interviewing
draft: false
archived: false
tags:
  role:
    - data-analyst
  intent:
    - resume
    - interview
"#;

    #[test]
    fn publisher_schema() {
        let fm = ok(PUBLISHER);
        assert_eq!(fm.title, "How to Follow Up: A Guide");
        assert_eq!(fm.slug.as_deref(), Some("how-to-follow-up"));
        assert_eq!(fm.description, "Short summary.");
        assert_eq!(
            fm.date,
            Some(Date {
                year: 2025,
                month: 6,
                day: 3
            })
        );
        assert_eq!(fm.category(), Some("interviewing"));
        assert_eq!(fm.facets["role"], vec!["data-analyst"]);
        assert_eq!(fm.facets["intent"], vec!["resume", "interview"]);
        assert_eq!(
            fm.canonical.as_deref(),
            Some("https://careerhub.example/blog/how-to-follow-up")
        );
        assert!(!fm.draft && !fm.archived);
    }

    #[test]
    fn null_category_and_drafts_without_date() {
        let fm = ok("title: T\ncategory: null\ndraft: true\n");
        assert_eq!(fm.category(), None);
        assert!(fm.draft);
        assert_eq!(fm.date, None);
    }

    #[test]
    fn other_generators_aliases() {
        let fm = ok(
            "title: Hugo post\ndate: 2015-06-29 11:00:00 -0400\nsummary: S\ncategories: [Careers, Advice]\ntags: [remote, interviews]\ntopics: [negotiation]\nauthors: [x]\nweight: 3\naliases: [/old]\n",
        );
        assert_eq!(fm.date.unwrap().to_string(), "2015-06-29");
        assert_eq!(fm.description, "S");
        assert_eq!(fm.facets["category"], vec!["Careers", "Advice"]);
        assert_eq!(fm.facets["tag"], vec!["remote", "interviews"]);
        assert_eq!(fm.facets["topic"], vec!["negotiation"]);
        let fm = ok("title: Jekyll\ndate: 2014-05-14T11:02:00-04:00\nexcerpt: E\ntags: a, b\n");
        assert_eq!(fm.date.unwrap().to_string(), "2014-05-14");
        assert_eq!(fm.description, "E");
        assert_eq!(fm.facets["tag"], vec!["a", "b"]);
    }

    #[test]
    fn every_tag_key_is_a_facet() {
        let fm = ok("title: T\ntags:\n  Role: [a]\n  seniority:\n    - senior\n  level: junior\n");
        assert_eq!(fm.facets["role"], vec!["a"]);
        assert_eq!(fm.facets["seniority"], vec!["senior"]);
        assert_eq!(fm.facets["level"], vec!["junior"]);
    }

    #[test]
    fn dates() {
        for good in [
            "2025-06-03",
            "2024-02-29",
            "2014-05-14T11:02:00-04:00",
            "2015-06-29 11:00:00 -0400",
            "2020-01-01T00:00:00Z",
            "2020-01-01T10:00:00.123+02:00",
        ] {
            assert!(Date::parse(good).is_some(), "{good}");
        }
        for bad in [
            "2025-6-3",
            "2023-02-29",
            "2025-13-01",
            "yesterday",
            "2025-06-03x",
            "2025-06-03T25:00",
            "",
            "2025-06-0é",
        ] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn missing_title_and_bad_values_are_all_reported_with_lines() {
        let errs = errors("slug: a b\npubDate: June 3rd\ndraft: maybe\ncategory: \"\"\n");
        assert_eq!(
            errs,
            vec![
                "a.md:2: error: missing `title`: add a line `title: Your article title`",
                "a.md:2: error: `slug` `a b` has spaces or URL separators: use letters, digits and hyphens",
                "a.md:3: error: `pubDate` `June 3rd` is not a date: write it as YYYY-MM-DD (a time and offset may follow)",
                "a.md:4: error: `draft` must be true or false, not `maybe`",
                "a.md:5: error: `category` has an empty value: remove it or give it a name",
            ]
        );
    }

    #[test]
    fn empty_tag_values_are_errors_not_silently_accepted() {
        let errs = errors("title: T\ntags:\n  role:\n    - \n    - x\n");
        assert_eq!(
            errs,
            vec!["a.md:4: error: `role` has an empty value: remove it or give it a name"]
        );
    }

    #[test]
    fn yaml_syntax_errors_point_at_the_line() {
        let errs = errors("title: T\nslug: a\ndescription: Tips: how to: win\n");
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].starts_with(
                "a.md:4: error: invalid YAML in frontmatter: mapping values are not allowed"
            ),
            "{}",
            errs[0]
        );
        assert!(
            errs[0].ends_with("(a value containing `: ` must be quoted)"),
            "{}",
            errs[0]
        );
    }

    #[test]
    fn tabs_are_explained() {
        let errs = errors("title: T\ntags:\n\trole: [a]\n");
        assert_eq!(
            errs,
            vec![
                "a.md:4: error: this line is indented with a tab: YAML needs spaces for indentation"
            ]
        );
    }

    #[test]
    fn deep_flow_nesting_is_refused_fast() {
        let src = format!(
            "title: T\nx: {}{}\n",
            "[".repeat(65_536),
            "]".repeat(65_536)
        );
        let start = std::time::Instant::now();
        let errs = errors(&src);
        assert!(errs[0].contains("deeper than 32 levels"), "{}", errs[0]);
        assert!(start.elapsed().as_secs() < 1);
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut src = String::from("title: T\nbig: &a \"xxxxxxxx\"\nl: [");
        src.push_str(&"*a, ".repeat(1000));
        src.push_str("]\n");
        assert!(errors(&src)[0].contains("more than 64 YAML aliases"));
    }

    #[test]
    fn escape_sequences_in_titles_are_stripped() {
        let fm = ok("title: \"Hi \\e]52;c;Zm9v\\a there\"\n");
        assert!(
            !fm.title.contains('\u{1b}') && !fm.title.contains('\u{7}'),
            "{:?}",
            fm.title
        );
    }

    #[test]
    fn huge_keys_do_not_make_huge_messages() {
        let src = format!("title: T\n{}: [unclosed\n", "k".repeat(100_000));
        let errs = errors(&src);
        assert!(errs[0].len() < 400, "{}", errs[0].len());
    }

    #[test]
    fn non_mapping_frontmatter() {
        let errs = errors("- just\n- a list\n");
        assert!(
            errs[0].contains("invalid YAML in frontmatter"),
            "{}",
            errs[0]
        );
        assert_eq!(
            errors("  \n"),
            vec!["a.md:1: error: frontmatter is empty: add at least `title: ...`"]
        );
    }
}

//! Frontmatter: YAML, TOML or JSON into a typed, validated struct.
//!
//! Each format is parsed in one module of its own (`yaml.rs`, `toml.rs`, `json.rs`) into the
//! one neutral [`value::Value`], and validated once, here. Accepts the publisher's schema and
//! the usual keys of other static-site generators (Hugo, Zola, Jekyll, Eleventy, Astro), with
//! aliases taken by precedence. Nothing about metadata keeps an article out: what cannot be
//! read is a warning that names the file, line and key, and the article loads with the rest.
//! Only frontmatter over a hard limit (size, YAML nesting or aliases) is an error.

use std::collections::BTreeMap;

pub mod js;
mod json;

mod toml;
pub mod value;
mod yaml;

pub use crate::content::date::Date;
pub use yaml::{MAX_ALIASES, MAX_FLOW_DEPTH};

use super::split::RawFrontmatter;
use crate::content::index::facets::{CATEGORY, FACETS, singular};
use crate::content::problem::Problem;
use crate::content::render::sanitize;
use value::{Entry, Kind, Map, Note, Value};

/// Validated frontmatter of one article.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Frontmatter {
    /// Empty when the frontmatter has none: the caller takes one from the body or file name.
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
            .get(CATEGORY)
            .and_then(|v| v.first())
            .map(String::as_str)
    }
}

/// Keys of one field, by precedence: the first present is used, the others are ignored.
const DESCRIPTION: &[&str] = &["description", "summary", "excerpt"];
const DATE: &[&str] = &["pubDate", "date", "published", "pub_date", "publishDate"];
const UPDATED: &[&str] = &[
    "updatedDate",
    "lastmod",
    "updated",
    "modified",
    "last_modified_at",
];
/// Eleventy's date keywords: valid, but they name the file's own times, not a date.
const DATE_KEYWORDS: &[&str] = &[
    "Last Modified",
    "Created",
    "git Last Modified",
    "git Created",
];

/// Parses and validates frontmatter. `first_line` is the file line where its text starts, so
/// problems point into the file; `file_date` is a date the file name gives, used when the
/// frontmatter has none that can be read. Returns the frontmatter and its warnings, or the
/// error of frontmatter over a hard limit.
pub fn parse(
    path: &str,
    raw: &RawFrontmatter,
    first_line: usize,
    file_date: Option<Date>,
) -> Result<(Frontmatter, Vec<Problem>), Problem> {
    let parsed = match raw {
        RawFrontmatter::Yaml(src) => yaml::parse(src),
        RawFrontmatter::Toml(src) => toml::parse(src),
        RawFrontmatter::Json(src) => json::parse(src),
        RawFrontmatter::Js(src) => js::parse(src),
    };
    let to_problem = |n: Note, error: bool| {
        let mut msg = n.message;
        if let Some(first) = n.first {
            msg = msg.replace("{first}", &(first_line + first).to_string());
        }
        if error {
            Problem::error(path, first_line + n.line, msg)
        } else {
            Problem::warning(path, first_line + n.line, msg)
        }
    };
    let (map, notes) = parsed.map_err(|n| to_problem(n, true))?;
    let mut v = Validator {
        path,
        first_line,
        warnings: notes.into_iter().map(|n| to_problem(n, false)).collect(),
    };
    Ok((v.validate(&map, file_date), v.warnings))
}

/// Whether an entry has a value: an empty one (`description:`, `date: ""`) gives way to the
/// next alias.
fn given(e: &Entry) -> bool {
    match &e.value {
        Value::Null => false,
        Value::Scalar(s) => !s.text.trim().is_empty(),
        _ => true,
    }
}

/// The first of `keys` (aliases by precedence) that has a value.
fn first_given<'a>(map: &'a Map, keys: &[&str]) -> Option<&'a Entry> {
    keys.iter().filter_map(|k| map.get(k)).find(|e| given(e))
}

/// Converts the neutral values into [`Frontmatter`], collecting warnings.
struct Validator<'a> {
    path: &'a str,
    first_line: usize,
    warnings: Vec<Problem>,
}

impl Validator<'_> {
    fn warning(&mut self, entry: &Entry, msg: impl Into<String>) {
        self.warnings.push(Problem::warning(
            self.path,
            self.first_line + entry.line,
            msg,
        ));
    }

    fn validate(&mut self, map: &Map, file_date: Option<Date>) -> Frontmatter {
        let mut fm = Frontmatter::default();
        // Hugo's `linkTitle` and Eleventy's navigation key name a page that has no `title`.
        let navigation = match map.get("eleventyNavigation").map(|e| &e.value) {
            Some(Value::Map(nav)) => nav.get("key"),
            _ => None,
        };
        if let Some(e) = map.get("title").or(map.get("linkTitle")).or(navigation) {
            fm.title = self.text(e).unwrap_or_default();
        }
        if let Some(e) = map.get("slug") {
            fm.slug = self.text(e).and_then(|s| self.slug(e, s));
        }
        if let Some(e) = first_given(map, DESCRIPTION) {
            fm.description = self.text(e).unwrap_or_default();
        }
        // Without a date key, a dated file name, else a dated URL path (Zola's `path`,
        // Jekyll's and Eleventy's `permalink`, Hugo's `url`: `2025/06/26/name`).
        let file_date = file_date.or_else(|| {
            map.first_of(&["path", "permalink", "url"])
                .and_then(|e| e.value.as_scalar())
                .and_then(|s| date_in_url(&s.text))
        });
        // Jekyll's `published: false` is a flag (unpublished: a draft), not a date.
        let flag =
            |e: &&Entry| matches!(&e.value, Value::Scalar(s) if matches!(s.kind, Kind::Bool(_)));
        let date_entry = DATE.iter().filter_map(|k| map.get(k)).find(|e| !flag(e));
        fm.date = match date_entry {
            Some(e) => self.date(e, file_date),
            None => file_date,
        };
        fm.updated = first_given(map, UPDATED).and_then(|e| self.date(e, None));
        fm.draft = match map.get("draft") {
            Some(e) => self.flag(e),
            None => map
                .get("published")
                .filter(flag)
                .is_some_and(|e| !self.flag(e)),
        };
        fm.archived = map.get("archived").is_some_and(|e| self.flag(e));
        if let Some(e) = map.get("canonical") {
            fm.canonical = self.text(e).filter(|c| !c.is_empty());
            if let Some(c) = &fm.canonical
                && !(c.starts_with("https://") || c.starts_with("http://"))
            {
                let msg = format!("`canonical` is not an http(s) URL: `{c}`");
                self.warning(e, msg);
            }
        }
        let mut facets = BTreeMap::new();
        // Facets with keys of their own at the top (`category`, `categories`, `topics`).
        for spec in FACETS {
            for key in spec.keys {
                if let Some(e) = map.get(key.key) {
                    self.facet_values(&mut facets, spec.name, e, key.plural);
                }
            }
        }
        if let Some(e) = map.get("tags") {
            self.tags(&mut facets, e);
        }
        // Zola keeps its taxonomies in a table of their own.
        if let Some(e) = map.get("taxonomies") {
            self.tags(&mut facets, e);
        }
        fm.facets = facets;
        fm
    }

    /// A scalar as plain single-line text (HTML entities decoded, inline tags removed); a
    /// list or map is a warning and no value.
    fn text(&mut self, e: &Entry) -> Option<String> {
        match &e.value {
            Value::Scalar(s) => Some(plain_text(&s.text)),
            Value::Null => Some(String::new()),
            _ => {
                let msg = format!(
                    "`{}` must be a single value, not a list or map: it is left out",
                    e.key
                );
                self.warning(e, msg);
                None
            }
        }
    }

    /// A usable slug: whitespace and URL separators become hyphens, with a warning.
    fn slug(&mut self, e: &Entry, slug: String) -> Option<String> {
        let cleaned = clean_slug(&slug);
        if cleaned.is_empty() {
            self.warning(
                e,
                "`slug` is empty: the file name is used; remove the line or set a slug",
            );
            None
        } else {
            if cleaned != slug {
                self.warning(
                    e,
                    format!("`slug` `{slug}` has spaces or URL separators: using `{cleaned}`; use letters, digits and hyphens"),
                );
            }
            Some(cleaned)
        }
    }

    /// A date in any accepted form; anything else is a warning, and the article takes the
    /// file name's date or loads undated. Messages name the key the file used.
    fn date(&mut self, e: &Entry, file_date: Option<Date>) -> Option<Date> {
        let text = match &e.value {
            Value::Null => return file_date,
            Value::Scalar(s) => s.text.trim().to_owned(),
            _ => String::new(),
        };
        if let Some(d) = Date::parse(&text) {
            return Some(d);
        }
        if DATE_KEYWORDS.contains(&text.as_str()) {
            return file_date;
        }
        let shown = if text.is_empty() {
            "a list or map".to_owned()
        } else {
            format!("`{text}`")
        };
        let then = match file_date {
            Some(d) => format!("the date {d} is taken from the file name"),
            None => "the article loads undated".to_owned(),
        };
        self.warning(
            e,
            format!("`{}` {shown} is not a date: {then}; write it as YYYY-MM-DD (a time and offset may follow)", e.key),
        );
        file_date
    }

    fn flag(&mut self, e: &Entry) -> bool {
        let Value::Scalar(s) = &e.value else {
            if e.value != Value::Null {
                let msg = format!(
                    "`{}` must be true or false, not a list or map: read as false",
                    e.key
                );
                self.warning(e, msg);
            }
            return false;
        };
        if let Kind::Bool(b) = s.kind {
            return b;
        }
        let read = match s.text.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" => Some(true),
            "false" | "no" | "off" | "" => Some(false),
            _ => None,
        };
        let msg = format!(
            "`{}` must be true or false, not `{}`: read as {}",
            e.key,
            s.text,
            read.unwrap_or(false)
        );
        self.warning(e, msg);
        read.unwrap_or(false)
    }

    /// Adds the values of one facet key (a scalar or a list of scalars) to `facets[name]`.
    /// With `split`, a single text where a list is expected (`tags: a, b` or `tags: a b`, as
    /// Jekyll allows) is split into values, with a warning.
    fn facet_values(
        &mut self,
        facets: &mut BTreeMap<String, Vec<String>>,
        name: &str,
        e: &Entry,
        split: bool,
    ) {
        let values: Vec<&Value> = match &e.value {
            Value::Null => return,
            Value::List(items) => items.iter().collect(),
            v @ Value::Scalar(_) => vec![v],
            Value::Map(_) => {
                let msg = format!(
                    "`{}` must be a value or a list of values: it is left out",
                    e.key
                );
                self.warning(e, msg);
                return;
            }
        };
        let mut texts: Vec<String> = Vec::new();
        for v in values {
            match v {
                Value::Scalar(s) => texts.push(s.text.clone()),
                Value::Null => texts.push(String::new()),
                _ => {
                    let msg = format!(
                        "`{}` values must be plain text, not lists or maps: left out",
                        e.key
                    );
                    self.warning(e, msg);
                }
            }
        }
        // Only a text written where the list would be: `tags: [job search]` is one value.
        if split
            && matches!(e.value, Value::Scalar(_))
            && let [one] = texts.as_slice()
        {
            let parts: Vec<String> = if one.contains(',') {
                one.split(',').map(str::to_owned).collect()
            } else {
                one.split_whitespace().map(str::to_owned).collect()
            };
            if parts.iter().filter(|p| !p.trim().is_empty()).count() > 1 {
                let shown: Vec<String> = parts.iter().map(|p| format!("`{}`", p.trim())).collect();
                let msg = format!(
                    "`{}` is one text where a list is expected: read as {} values {}; write it as a list to silence this",
                    e.key,
                    shown.len(),
                    shown.join(", ")
                );
                self.warning(e, msg);
                texts = parts;
            }
        }
        let mut empty = false;
        for t in texts {
            let t = plain_text(&t);
            if t.is_empty() {
                empty = true;
                continue;
            }
            let entry = facets.entry(name.to_owned()).or_default();
            if !entry.contains(&t) {
                entry.push(t);
            }
        }
        if empty {
            let msg = format!(
                "`{}` has an empty value: it is left out; remove it or give it a name",
                e.key
            );
            self.warning(e, msg);
        }
    }

    /// `tags`: a map of facet lists (publisher; Zola's `taxonomies`), a flat list (Hugo,
    /// Jekyll) or a comma- or space-separated text.
    fn tags(&mut self, facets: &mut BTreeMap<String, Vec<String>>, e: &Entry) {
        match &e.value {
            Value::Map(map) => {
                for nested in &map.entries {
                    let name = sanitize::line(nested.key.trim()).to_lowercase();
                    // Zola's plural taxonomy names are the facets the rest of the library uses.
                    let name = singular(&name).to_owned();
                    if name.is_empty() {
                        self.warning(
                            nested,
                            "`tags` has an empty facet name: its values are left out",
                        );
                        continue;
                    }
                    self.facet_values(facets, &name, nested, true);
                }
            }
            _ => self.facet_values(facets, "tag", e, true),
        }
    }
}

/// The first `YYYY/MM/DD` run of segments in a URL path: `/2025/06/26/name/`,
/// `inside-rust/2019/09/25/Welcome`.
fn date_in_url(path: &str) -> Option<Date> {
    let segments: Vec<&str> = path.split('/').collect();
    let number = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|c| c.is_ascii_digit())).then(|| p.parse::<u16>().ok())?
    };
    segments.windows(3).find_map(|w| {
        Date::new(
            number(w[0], 4)?,
            number(w[1], 2)? as u8,
            number(w[2], 2)? as u8,
        )
    })
}

/// A slug made usable: control characters dropped, whitespace and URL separators turned
/// into hyphens.
pub fn clean_slug(s: &str) -> String {
    sanitize::line(s)
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | '\\' | '?' | '#'))
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Text of a title, description or facet value as a reader should see it: inline HTML tags
/// removed (`<em>and</em>` → `and`), entities decoded (`Q&amp;A` → `Q&A`, `&ldquo;` → `“`),
/// control characters dropped, trimmed.
pub fn plain_text(s: &str) -> String {
    let s = s.trim();
    if memchr::memchr2(b'<', b'&', s.as_bytes()).is_none() {
        return sanitize::line(s).into_owned();
    }
    let mut stripped = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('<') {
        stripped.push_str(&rest[..open]);
        let tag = &rest[open + 1..];
        let is_tag = tag.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match tag.find('>').filter(|_| is_tag) {
            Some(close) => rest = &tag[close + 1..],
            None => {
                stripped.push('<');
                rest = tag;
            }
        }
    }
    stripped.push_str(rest);
    let decoded = html_escape::decode_html_entities(&stripped);
    let spaced: String = decoded.split_whitespace().collect::<Vec<_>>().join(" ");
    sanitize::line(&spaced).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(src: &str) -> Frontmatter {
        let (fm, warnings) = with_warnings(src);
        assert!(warnings.is_empty(), "{warnings:?}");
        fm
    }

    fn with_warnings(src: &str) -> (Frontmatter, Vec<String>) {
        let (fm, warnings) =
            parse("a.md", &RawFrontmatter::Yaml(src), 2, None).expect("not over a cap");
        (fm, warnings.iter().map(|p| p.to_string()).collect())
    }

    fn warnings(src: &str) -> Vec<String> {
        with_warnings(src).1
    }

    /// The error of frontmatter over a hard cap.
    fn error(src: &str) -> String {
        parse("a.md", &RawFrontmatter::Yaml(src), 2, None)
            .expect_err("should be over a cap")
            .to_string()
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
        let fm = ok("title: Jekyll\ndate: 2014-05-14T11:02:00-04:00\nexcerpt: E\ntags: [a, b]\n");
        assert_eq!(fm.date.unwrap().to_string(), "2014-05-14");
        assert_eq!(fm.description, "E");
        assert_eq!(fm.facets["tag"], vec!["a", "b"]);
    }

    #[test]
    fn aliases_resolve_by_precedence_and_never_collide() {
        let fm = ok("title: T\nexcerpt: E\ndescription: D\nsummary: S\n");
        assert_eq!(fm.description, "D");
        let fm = ok("title: T\nexcerpt: E\nsummary: S\n");
        assert_eq!(fm.description, "S");
        let fm = ok("title: T\ndescription:\nsummary: \"\"\nexcerpt: E\n");
        assert_eq!(
            fm.description, "E",
            "an empty value gives way to the next alias"
        );
        let fm = ok("title: T\npublished: 2020-01-03\ndate: 2020-01-02\npubDate: 2020-01-01\n");
        assert_eq!(fm.date.unwrap().to_string(), "2020-01-01");
        let fm = ok("title: T\npublished: 2020-01-03\ndate: 2020-01-02\n");
        assert_eq!(fm.date.unwrap().to_string(), "2020-01-02");
        let fm =
            ok("title: T\nupdated: 2021-01-03\nlastmod: 2021-01-02\nupdatedDate: 2021-01-01\n");
        assert_eq!(fm.updated.unwrap().to_string(), "2021-01-01");
        let fm = ok("title: T\nupdated: 2021-01-03\nlastmod: 2021-01-02\n");
        assert_eq!(fm.updated.unwrap().to_string(), "2021-01-02");
    }

    #[test]
    fn link_titles_and_navigation_keys_stand_in_for_a_title() {
        assert_eq!(ok("linkTitle: Short\n").title, "Short");
        assert_eq!(ok("title: Long\nlinkTitle: Short\n").title, "Long");
        let fm = ok("eleventyNavigation:\n  parent: Blog\n  key: Docs moved\n");
        assert_eq!(fm.title, "Docs moved");
    }

    #[test]
    fn jekyll_published_false_is_a_draft_not_a_date() {
        let fm = ok("title: T\npublished: false\n");
        assert!(fm.draft);
        assert_eq!(fm.date, None);
        let fm = ok("title: T\npublished: true\ndate: 2020-01-01\n");
        assert!(!fm.draft);
        assert_eq!(fm.date.unwrap().to_string(), "2020-01-01");
        assert_eq!(
            ok("title: T\nlast_modified_at: 2021-02-03\n")
                .updated
                .unwrap()
                .to_string(),
            "2021-02-03"
        );
    }

    #[test]
    fn a_repeated_key_takes_the_later_value_with_a_warning_on_its_line() {
        let (fm, w) = with_warnings("title: First\ndescription: D\ntitle: Second\n");
        assert_eq!(fm.title, "Second");
        assert_eq!(fm.description, "D");
        assert_eq!(
            w,
            vec![
                "a.md:4: warning: `title` is given again here (first on line 2): the later value is used; remove one of them"
            ]
        );
    }

    #[test]
    fn a_string_where_a_list_is_expected_is_split_with_a_warning() {
        let (fm, mut w) =
            with_warnings("title: T\ntags: resume interview\ncategories: \"job search, offers\"\n");
        w.sort();
        assert_eq!(fm.facets["tag"], vec!["resume", "interview"]);
        assert_eq!(fm.facets["category"], vec!["job search", "offers"]);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].starts_with("a.md:3: warning: `tags` is one text where a list is expected: read as 2 values `resume`, `interview`"), "{w:?}");
        // A single value is no list to split, nor is a list of one, and `category` (one
        // value) is never split.
        let fm = ok("title: T\ntags: remote\ncategory: Finding a Job\ntopics: [job search]\n");
        assert_eq!(fm.facets["tag"], vec!["remote"]);
        assert_eq!(fm.facets["topic"], vec!["job search"]);
        assert_eq!(fm.facets["category"], vec!["Finding a Job"]);
    }

    #[test]
    fn text_fields_keep_what_was_written_and_read_as_text() {
        let fm = ok("title: 1.10\nslug: 0x1F\ndescription: no\ntags: [1.10, yes, 007]\n");
        assert_eq!(fm.title, "1.10");
        assert_eq!(fm.slug.as_deref(), Some("0x1F"));
        assert_eq!(fm.description, "no");
        assert_eq!(fm.facets["tag"], vec!["1.10", "yes", "007"]);
        let fm = ok(
            "title: \"Q&amp;A: writing for action <em>and</em> &ldquo;flexibility&rdquo;\"\ndescription: Tips &amp; tricks<br>\n",
        );
        assert_eq!(fm.title, "Q&A: writing for action and “flexibility”");
        assert_eq!(fm.description, "Tips & tricks");
    }

    #[test]
    fn toml_and_json_are_validated_the_same_way() {
        let toml = "title = \"Zola post\"\ndate = 2021-03-04T09:30:00+01:00\ndescription = \"D\"\n[taxonomies]\ntags = [\"remote\"]\ncategories = [\"offers\"]\n";
        let (fm, w) = parse("a.md", &RawFrontmatter::Toml(toml), 2, None).unwrap();
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(fm.title, "Zola post");
        assert_eq!(fm.date.unwrap().to_string(), "2021-03-04");
        assert_eq!(fm.facets["tag"], vec!["remote"]);
        assert_eq!(fm.facets["category"], vec!["offers"]);
        let json = "{\"title\": \"Hugo JSON\", \"date\": \"2019-02-03T10:00:00Z\", \"tags\": [\"a\"], \"draft\": true}";
        let (fm, w) = parse("a.md", &RawFrontmatter::Json(json), 1, None).unwrap();
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(fm.title, "Hugo JSON");
        assert_eq!(fm.date.unwrap().to_string(), "2019-02-03");
        assert!(fm.draft);
    }

    #[test]
    fn every_tag_key_is_a_facet() {
        let fm = ok("title: T\ntags:\n  Role: [a]\n  seniority:\n    - senior\n  level: junior\n");
        assert_eq!(fm.facets["role"], vec!["a"]);
        assert_eq!(fm.facets["seniority"], vec!["senior"]);
        assert_eq!(fm.facets["level"], vec!["junior"]);
    }

    #[test]
    fn dated_url_paths_give_the_date_when_there_is_no_date_key() {
        let toml = "path = \"2025/06/26/Rust-1.88.0\"\ntitle = \"T\"\n";
        let (fm, _) = parse("a.md", &RawFrontmatter::Toml(toml), 2, None).unwrap();
        assert_eq!(fm.date.unwrap().to_string(), "2025-06-26");
        assert_eq!(
            ok("title: T\npermalink: /2019/01/05/week/\n")
                .date
                .unwrap()
                .to_string(),
            "2019-01-05"
        );
        assert_eq!(ok("title: T\npermalink: /about/\n").date, None);
        let toml = "path = \"inside-rust/2019/09/25/Welcome\"\ntitle = \"T\"\n";
        let (fm, _) = parse("a.md", &RawFrontmatter::Toml(toml), 2, None).unwrap();
        assert_eq!(fm.date.unwrap().to_string(), "2019-09-25");
        assert_eq!(
            ok("title: T\ndate: 2020-02-02\nurl: /2019/01/05/x/\n")
                .date
                .unwrap()
                .to_string(),
            "2020-02-02"
        );
    }

    #[test]
    fn toml_datetimes_are_dates() {
        for text in [
            "1979-05-27T07:32:00Z",
            "1979-05-27T00:32:00.999999-07:00",
            "1979-05-27T07:32:00",
            "1979-05-27",
            "1979-05-27 07:32:00Z",
        ] {
            let toml = format!("title = \"T\"\ndate = {text}\n");
            let (fm, w) = parse("a.md", &RawFrontmatter::Toml(&toml), 2, None).unwrap();
            assert!(w.is_empty(), "{text}: {w:?}");
            assert_eq!(fm.date.unwrap().to_string(), "1979-05-27", "{text}");
        }
    }

    #[test]
    fn unparseable_dates_are_warnings_naming_the_key_used() {
        let (fm, w) = with_warnings("title: T\ndate: soon\n");
        assert_eq!(fm.date, None);
        assert_eq!(
            w,
            vec![
                "a.md:3: warning: `date` `soon` is not a date: the article loads undated; write it as YYYY-MM-DD (a time and offset may follow)"
            ]
        );
        let file_date = Date::new(2019, 1, 5);
        let (fm, w) = parse(
            "a.md",
            &RawFrontmatter::Yaml("title: T\npublished: soon\n"),
            2,
            file_date,
        )
        .unwrap();
        assert_eq!(fm.date, file_date);
        assert!(
            w[0].message.contains(
                "`published` `soon` is not a date: the date 2019-01-05 is taken from the file name"
            ),
            "{w:?}"
        );
        // Eleventy's keywords are valid: they name the file's own dates.
        let (fm, w) = parse(
            "a.md",
            &RawFrontmatter::Yaml("title: T\ndate: Last Modified\n"),
            2,
            file_date,
        )
        .unwrap();
        assert_eq!((fm.date, w.len()), (file_date, 0));
    }

    #[test]
    fn bad_values_are_warnings_with_lines_and_the_rest_loads() {
        let (fm, w) = with_warnings(
            "slug: a b\npubDate: June 3rd\ndraft: maybe\ncategory: \"\"\ndescription: Kept\n",
        );
        assert_eq!(
            w,
            vec![
                "a.md:2: warning: `slug` `a b` has spaces or URL separators: using `a-b`; use letters, digits and hyphens",
                "a.md:3: warning: `pubDate` `June 3rd` is not a date: the article loads undated; write it as YYYY-MM-DD (a time and offset may follow)",
                "a.md:4: warning: `draft` must be true or false, not `maybe`: read as false",
                "a.md:5: warning: `category` has an empty value: it is left out; remove it or give it a name",
            ]
        );
        assert_eq!(fm.title, "", "the caller finds a title elsewhere");
        assert_eq!(fm.slug.as_deref(), Some("a-b"));
        assert_eq!(fm.description, "Kept");
    }

    #[test]
    fn empty_tag_values_are_warned_about_not_silently_accepted() {
        let (fm, w) = with_warnings("title: T\ntags:\n  role:\n    - \n    - x\n");
        assert_eq!(fm.facets["role"], vec!["x"]);
        assert_eq!(
            w,
            vec![
                "a.md:4: warning: `role` has an empty value: it is left out; remove it or give it a name"
            ]
        );
    }

    #[test]
    fn yaml_syntax_errors_point_at_the_line_and_cost_only_that_key() {
        let (fm, w) = with_warnings("title: T\nslug: a\ndescription: Tips: how to: win\n");
        assert_eq!((fm.title.as_str(), fm.slug.as_deref()), ("T", Some("a")));
        assert_eq!(w.len(), 1);
        assert!(
            w[0].starts_with(
                "a.md:4: warning: invalid YAML in frontmatter: mapping values are not allowed"
            ),
            "{}",
            w[0]
        );
        assert!(
            w[0].ends_with("(a value containing `: ` must be quoted); this key is left out"),
            "{}",
            w[0]
        );
    }

    #[test]
    fn tabs_are_explained() {
        let (fm, w) = with_warnings("title: T\ntags:\n\trole: [a]\n");
        assert_eq!(fm.title, "T");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("indented with a tab"), "{w:?}");
    }

    #[test]
    fn deep_flow_nesting_is_refused_fast() {
        let src = format!(
            "title: T\nx: {}{}\n",
            "[".repeat(65_536),
            "]".repeat(65_536)
        );
        let start = std::time::Instant::now();
        let err = error(&src);
        assert!(
            err.contains("error: YAML nests `[`/`{` deeper than 32 levels"),
            "{err}"
        );
        assert!(start.elapsed().as_secs() < 1);
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut src = String::from("title: T\nbig: &a \"xxxxxxxx\"\nl: [");
        src.push_str(&"*a, ".repeat(1000));
        src.push_str("]\n");
        assert!(error(&src).contains("more than 64 YAML aliases"));
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
        let w = warnings(&src);
        assert!(w[0].len() < 400, "{}", w[0].len());
    }

    #[test]
    fn non_mapping_frontmatter() {
        let w = warnings("- just\n- a list\n");
        assert!(w[0].contains("not a set of `key: value` lines"), "{w:?}");
        assert_eq!(with_warnings("  \n"), (Frontmatter::default(), vec![]));
    }
}

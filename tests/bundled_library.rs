//! The bundled library in `content/`: taxonomy coverage, links, and clean rendering.

use std::collections::{BTreeMap, BTreeSet};

use careerhub::content::load::source::Source;
use careerhub::content::render::document::Block;
use careerhub::content::render::layout;
use careerhub::content::taxonomy::{CATEGORIES, INTENTS, ROLES};
use careerhub::content::{Bodies, Index, LoadOptions, Loader};

/// Related links that knowingly point outside the library, as real exports do.
const KNOWN_EXTERNAL: &[&str] = &[
    "excel-skills-every-analyst-needs",
    "personal-branding-for-introverts",
];

fn everything() -> Index {
    Loader::new(
        Source::Embedded,
        LoadOptions {
            drafts: true,
            archived: true,
        },
    )
    .load()
    .unwrap()
}

fn raw(path: &str) -> String {
    std::fs::read_to_string(format!("{}/content/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn loads_without_problems() {
    let lib = everything();
    assert!(lib.len() >= 36, "{}", lib.len());
    let errors: Vec<String> = lib.problems().iter().map(|p| p.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn covers_the_publishers_taxonomy() {
    let lib = everything();
    let published: Vec<_> = lib
        .articles()
        .iter()
        .filter(|a| !a.draft && !a.archived)
        .collect();
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for a in &published {
        for (facet, values) in &a.facets {
            for v in values {
                *counts.entry((facet.as_str(), v.as_str())).or_default() += 1;
            }
        }
    }
    let need = |facet: &str, values: &[&str], min: usize| {
        for v in values {
            let n = counts.get(&(facet, *v)).copied().unwrap_or(0);
            assert!(
                n >= min,
                "{facet}:{v} has {n} published articles, want {min}"
            );
        }
    };
    need("role", ROLES, 4);
    need("intent", INTENTS, 3);
    need("category", CATEGORIES, 4);
    let modest = published
        .iter()
        .filter(|a| {
            (1..=2).contains(&a.facet("role").len()) && (2..=4).contains(&a.facet("intent").len())
        })
        .count();
    assert!(
        modest * 2 > published.len(),
        "most articles carry 1–2 roles and 2–4 intents"
    );
}

#[test]
fn has_drafts_archived_and_uncategorized_articles_as_the_publisher_does() {
    let lib = everything();
    let drafts: Vec<_> = lib.articles().iter().filter(|a| a.draft).collect();
    assert_eq!(drafts.len(), 3);
    assert!(
        drafts.iter().all(|a| a.date.is_none()),
        "drafts have no pubDate"
    );
    assert_eq!(lib.articles().iter().filter(|a| a.archived).count(), 1);
    let null_category = lib
        .articles()
        .iter()
        .filter(|a| raw(&a.path).contains("\ncategory: null\n"))
        .count();
    assert_eq!(null_category, 2);
    assert!(
        lib.articles()
            .iter()
            .filter(|a| a.category().is_none())
            .count()
            >= 2
    );
}

#[test]
fn every_article_is_substantial_and_in_the_export_shape() {
    let lib = everything();
    for a in lib.articles() {
        assert!(
            (500..=1200).contains(&a.words),
            "{}: {} words",
            a.path,
            a.words
        );
        let text = raw(&a.path);
        for key in [
            "title:",
            "slug:",
            "description:",
            "canonical:",
            "category:",
            "draft:",
            "archived:",
            "tags:\n  role:",
            "  intent:",
        ] {
            assert!(text.contains(key), "{} lacks {key}", a.path);
        }
        assert_eq!(
            a.canonical.as_deref(),
            Some(format!("https://careerhub.example/blog/{}", a.slug).as_str())
        );
        // Everything after the closing frontmatter fence.
        let body = text.splitn(3, "---\n").nth(2).unwrap();
        let html = body.split("\n\n---\n\n").next().unwrap();
        assert_eq!(
            html.trim().lines().count(),
            1,
            "{}: the HTML body is one line",
            a.path
        );
        for section in ["## Related career guidance", "## Related articles"] {
            assert!(body.contains(section), "{} lacks {section}", a.path);
        }
    }
}

#[test]
fn exercises_every_shape_of_the_format() {
    let lib = everything();
    let with = |needle: &str| {
        lib.articles()
            .iter()
            .filter(|a| raw(&a.path).contains(needle))
            .count()
    };
    assert!(with("<table") >= 4);
    assert!(with("<img ") >= 3);
    assert!(with("<iframe") >= 2);
    assert!(with("<script") >= 1);
    assert!(with("<ol start=\"3\"") >= 1);
    assert!(with("&nbsp;") >= 10);
    assert!(with("<p id=\"\">\u{200d}</p>") >= 10);
    assert!(with("📌") >= 10);
    let mut bodies = Bodies::new(Source::Embedded);
    let images = lib
        .articles()
        .iter()
        .filter_map(|a| bodies.document(&lib, a.id).ok())
        .flat_map(|d| d.blocks.clone())
        .filter(|b| matches!(b, Block::Image { alt, .. } if !alt.is_empty()))
        .count();
    assert!(images >= 3, "images keep their alt text: {images}");
}

#[test]
fn related_links_resolve_or_are_knowingly_external() {
    let lib = everything();
    let mut external = BTreeSet::new();
    for a in lib.articles() {
        let n = a.related_links.len();
        assert!((3..=5).contains(&n), "{}: {n} related links", a.path);
        for link in &a.related_links {
            if link.target.is_none() {
                let slug = link.url.rsplit('/').next().unwrap();
                assert!(
                    KNOWN_EXTERNAL.contains(&slug),
                    "{}: unexpected unresolved {}",
                    a.path,
                    link.url
                );
                external.insert(slug.to_owned());
            }
        }
    }
    assert_eq!(external.len(), KNOWN_EXTERNAL.len());
    let popular = lib
        .articles()
        .iter()
        .map(|a| lib.backlinks(a.id).len())
        .max()
        .unwrap();
    assert!(
        popular >= 3,
        "some article is linked from at least 3 others"
    );
}

#[test]
fn every_article_renders_clean_at_common_widths() {
    let lib = everything();
    let mut bodies = Bodies::new(Source::Embedded);
    for a in lib.articles() {
        let doc = bodies
            .document(&lib, a.id)
            .unwrap_or_else(|e| panic!("{}: {e}", a.path));
        for width in [60, 80, 120] {
            let text = layout::layout(&doc, width).plain_text();
            for leftover in [
                "<p",
                "</",
                "<br",
                "&nbsp;",
                "&amp;",
                "&quot;",
                "dataLayer",
                "\u{200b}",
            ] {
                assert!(
                    !text.contains(leftover),
                    "{} at {width}: `{leftover}` left in output",
                    a.path
                );
            }
            assert!(
                !text.contains("\n\n\n"),
                "{} at {width}: doubled blank lines",
                a.path
            );
            for line in text.lines() {
                let visible = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{200d}');
                assert!(
                    !visible.is_empty() || line.is_empty(),
                    "{} at {width}: whitespace-only line {line:?}",
                    a.path
                );
            }
        }
    }
}

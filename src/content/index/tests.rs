//! Index tests, plus a small builder other modules' tests use.

use super::*;
use crate::content::load::source::SourceFile;
use crate::content::{Bodies, LoadOptions, load_memory};

/// Builds a file in the publisher's shape.
pub(crate) fn article_file(
    slug: &str,
    title: &str,
    category: &str,
    roles: &[&str],
    intents: &[&str],
    date: &str,
    related: &[&str],
) -> SourceFile {
    let list = |xs: &[&str]| {
        xs.iter()
            .map(|x| format!("    - {x}\n"))
            .collect::<String>()
    };
    let related: String = related
        .iter()
        .map(|r| format!("- [About {r}](https://careerhub.example/blog/{r})\n"))
        .collect();
    let text = format!(
        "---\ntitle: \"{title}\"\nslug: {slug}\ndescription: About {title}.\ncanonical: \"https://careerhub.example/blog/{slug}\"\npubDate: {date}\ncategory: {category}\ndraft: false\narchived: false\ntags:\n  role:\n{}  intent:\n{}---\n<p id=\"\">Some words about {title}.</p>\n\n---\n\n## Related articles\n\n{related}",
        list(roles),
        list(intents),
    );
    SourceFile {
        path: format!("blog/{slug}.md"),
        bytes: text.into_bytes(),
    }
}

type Spec<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a [&'a str],
    &'a [&'a str],
    &'a str,
);

/// A library of small articles: (slug, title, category, roles, intents, date).
pub(crate) fn library_of(specs: &[Spec<'_>]) -> Index {
    let files = specs
        .iter()
        .map(|(s, t, c, r, i, d)| article_file(s, t, c, r, i, d, &[]))
        .collect();
    Index::from_files(files, Vec::new(), LoadOptions::default())
}

fn file(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: path.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

#[test]
fn every_readable_file_loads_and_only_a_capped_one_is_skipped() {
    let files = vec![
        article_file(
            "good",
            "Good",
            "interviewing",
            &["general"],
            &["interview"],
            "2025-01-01",
            &[],
        ),
        file("no-fm.md", "<p>no frontmatter</p>"),
        file("bad-yaml.md", "---\ntitle: [unclosed\n---\nbody"),
        file("no-title.md", "---\nslug: x\n---\n# A heading\nbody"),
        file("binary.md", "---\ntitle: \u{0}\n---\n"),
        SourceFile {
            path: "latin1.md".into(),
            bytes: b"---\ntitle: caf\xe9\n---\n".to_vec(),
        },
        file(
            "huge.md",
            &format!("---\ntitle: T\nx: {}\n---\n", "y".repeat(70_000)),
        ),
    ];
    let lib = Index::from_files(files, Vec::new(), LoadOptions::default());
    assert_eq!(lib.len(), 6);
    assert_eq!(lib.skipped(), 1);
    let errors: Vec<String> = lib
        .problems()
        .iter()
        .filter(|p| p.is_error())
        .map(|p| p.to_string())
        .collect();
    assert_eq!(
        errors,
        vec![
            "huge.md:1: error: frontmatter is over 64 KiB: keep only metadata between the `---` lines"
        ]
    );
    let title = |slug: &str| lib.by_slug(slug).unwrap().title.clone();
    assert_eq!(title("no-fm"), "no fm");
    assert_eq!(title("bad-yaml"), "bad yaml");
    assert_eq!(title("x"), "A heading");
    assert_eq!(title("binary"), "binary");
    assert_eq!(title("latin1"), "café");
    let warned: Vec<&str> = lib.problems().iter().map(|p| p.path.as_str()).collect();
    for path in [
        "no-fm.md",
        "bad-yaml.md",
        "no-title.md",
        "binary.md",
        "latin1.md",
    ] {
        assert!(warned.contains(&path), "{path}: {:?}", lib.problems());
    }
    assert_eq!(lib.by_slug("good").unwrap().title, "Good");
}

#[test]
fn duplicate_slugs_keep_both_articles_with_a_stable_second_slug() {
    let files = vec![
        file("a/first-post.md", "---\ntitle: One\n---\n"),
        file("b/other.md", "---\ntitle: Two\nslug: first-post\n---\n"),
        // Asks for the slug the second would otherwise take: it keeps it.
        file("c/first-post-2.md", "---\ntitle: Three\n---\n"),
        file("d/third.md", "---\ntitle: Four\nslug: first-post\n---\n"),
        file(
            "e/links.md",
            "---\ntitle: Links\n---\n<a href=\"/blog/first-post\">x</a>\n",
        ),
    ];
    let lib = Index::from_files(files, Vec::new(), LoadOptions::default());
    assert_eq!(lib.len(), 5, "both articles stay");
    assert_eq!(lib.by_slug("first-post").unwrap().title, "One");
    assert_eq!(lib.by_slug("first-post-2").unwrap().title, "Three");
    assert_eq!(lib.by_slug("first-post-3").unwrap().title, "Two");
    assert_eq!(lib.by_slug("first-post-4").unwrap().title, "Four");
    let problems: Vec<String> = lib.problems().iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        vec![
            "b/other.md:1: warning: duplicate slug `first-post`: a/first-post.md already uses it, so this article is `first-post-3`; give one of them a different `slug`",
            "d/third.md:1: warning: duplicate slug `first-post`: a/first-post.md already uses it, so this article is `first-post-4`; give one of them a different `slug`",
        ]
    );
    assert_eq!(lib.skipped(), 0);
    // Links to the slug go to the first article.
    let links = lib.by_slug("links").unwrap();
    assert_eq!(
        lib.links_to(links.id),
        &[lib.by_slug("first-post").unwrap().id]
    );
}

#[test]
fn drafts_and_archived_are_hidden_unless_asked_for() {
    let files = || {
        vec![
            file("a.md", "---\ntitle: A\npubDate: 2025-01-01\n---\n"),
            file("d.md", "---\ntitle: D\ndraft: true\n---\n"),
            file(
                "z.md",
                "---\ntitle: Z\narchived: true\npubDate: 2024-01-01\n---\n",
            ),
        ]
    };
    let slugs = |o| {
        let lib = Index::from_files(files(), Vec::new(), o);
        lib.by_date()
            .iter()
            .map(|&i| lib.get(i).slug.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(slugs(LoadOptions::default()), vec!["a"]);
    assert_eq!(
        slugs(LoadOptions {
            drafts: true,
            archived: false
        }),
        vec!["a", "d"]
    );
    assert_eq!(
        slugs(LoadOptions {
            drafts: true,
            archived: true
        }),
        vec!["a", "z", "d"]
    );
    let lib = Index::from_files(files(), Vec::new(), LoadOptions::default());
    assert_eq!(lib.hidden(), 2);
}

#[test]
fn related_explicit_then_similar_then_backlinks() {
    let files = vec![
        article_file(
            "hub",
            "Hub",
            "interviewing",
            &["data-analyst"],
            &["interview"],
            "2025-01-01",
            &["one", "missing-one"],
        ),
        article_file(
            "one",
            "One",
            "resume-cover-letters",
            &["general"],
            &["resume"],
            "2025-01-02",
            &[],
        ),
        article_file(
            "twin",
            "Twin",
            "interviewing",
            &["data-analyst"],
            &["interview"],
            "2025-01-03",
            &[],
        ),
        article_file(
            "fan",
            "Fan",
            "salary-negotiation",
            &["general"],
            &["salary"],
            "2025-01-04",
            &["hub"],
        ),
    ];
    let lib = Index::from_files(files, Vec::new(), LoadOptions::default());
    let hub = lib.by_slug("hub").unwrap();
    let related: Vec<(String, RelatedKind)> = lib
        .related(hub.id)
        .iter()
        .map(|r| (lib.get(r.id).slug.clone(), r.kind))
        .collect();
    assert_eq!(
        related,
        vec![
            ("one".into(), RelatedKind::Explicit),
            ("twin".into(), RelatedKind::Similar),
            ("fan".into(), RelatedKind::Backlink),
        ]
    );
    assert_eq!(hub.related_links[1].target, None);
    let unresolved = lib.unresolved_related();
    assert_eq!(unresolved.len(), 1);
    assert!(
        unresolved[0].message.contains("missing-one"),
        "{}",
        unresolved[0]
    );
}

#[test]
fn urls_resolve_by_canonical_or_last_segment() {
    let lib = library_of(&[(
        "follow-up",
        "F",
        "interviewing",
        &["general"],
        &["interview"],
        "2025-01-01",
    )]);
    let id = lib.by_slug("follow-up").unwrap().id;
    for url in [
        "https://careerhub.example/blog/follow-up",
        "https://WWW.careerhub.example/blog/follow-up/",
        "https://CareerHub.example/posts/follow-up?utm=x#top",
        "//careerhub.example/blog/follow-up",
        "/blog/follow-up",
    ] {
        assert_eq!(lib.resolve_url(url), Some(id), "{url}");
    }
    assert_eq!(lib.resolve_url("mailto:follow-up"), None);
    // Another site's page with the same last segment is that site's page, not this article.
    assert_eq!(
        lib.resolve_url("https://other.example/posts/follow-up"),
        None
    );
    assert_eq!(lib.resolve_url("//other.example/follow-up"), None);
    // Multi-byte hosts must not be sliced mid-character.
    assert_eq!(lib.resolve_url("https://xéé/y"), None);
    assert_eq!(lib.resolve_url("https://aé/follow-up"), None);
    assert_eq!(lib.resolve_url("https://x.example/blog/unknown"), None);
}

/// A library whose articles have no canonical URL, the way Hugo, Zola, Jekyll and Eleventy
/// sites write them: one article named by its `slug`, one by a dated file name, one by a
/// bundle folder.
fn generator_library() -> Index {
    let files = vec![
        file(
            "content/blog/2024-01-05-first-week.md",
            "---\ntitle: The first week\n---\nWhat to do on day one.\n",
        ),
        file(
            "content/blog/pay-talk.md",
            "---\ntitle: Talking about pay\nslug: salary-talk\n---\nNumbers first.\n",
        ),
        file(
            "content/blog/remote-days/index.md",
            "---\ntitle: Remote days\n---\nA desk by the window.\n",
        ),
        file(
            "content/blog/café-chats.md",
            "---\ntitle: Coffee chats\n---\nAsk one question.\n",
        ),
    ];
    Index::from_files(files, Vec::new(), LoadOptions::default())
}

#[test]
fn relative_and_generator_links_resolve_to_their_article() {
    let lib = generator_library();
    let slug = |url: &str| lib.resolve_url(url).map(|id| lib.get(id).slug.clone());
    let expected = [
        // Relative paths, as generators and hand-written Markdown write them.
        ("../first-week/", "first-week"),
        ("./first-week", "first-week"),
        ("first-week/", "first-week"),
        ("first-week.md", "first-week"),
        ("first-week.html", "first-week"),
        ("first-week.HTML", "first-week"),
        ("../2024-01-05-first-week.md", "first-week"),
        ("../blog/first-week/#day-one", "first-week"),
        ("first-week?ref=sidebar", "first-week"),
        ("../remote-days/index.md", "remote-days"),
        ("../remote-days/index.html#desk", "remote-days"),
        ("remote-days/_index.md", "remote-days"),
        // Zola's internal links and Jekyll's dated post names.
        ("@/blog/first-week.md", "first-week"),
        ("@/blog/remote-days/index.md#desk", "remote-days"),
        ("/2024/01/05/first-week.html", "first-week"),
        // Letter case and percent-encoding.
        ("/blog/First-Week/", "first-week"),
        ("/blog/FIRST-WEEK.MD", "first-week"),
        ("/blog/caf%C3%A9-chats/", "café-chats"),
        ("caf%C3%A9-chats.md", "café-chats"),
        // The file name reaches an article whose `slug` is another.
        ("pay-talk.md", "salary-talk"),
        ("../Pay-Talk/", "salary-talk"),
        ("salary-talk", "salary-talk"),
    ];
    for (url, want) in expected {
        assert_eq!(slug(url).as_deref(), Some(want), "{url}");
    }
}

#[test]
fn what_is_not_an_article_never_resolves() {
    let lib = generator_library();
    // This library names no site (no canonical URLs), so an absolute URL ending in an
    // article's name is taken as that article's, on any host: a link to its own site must
    // not be lost for want of knowing the site. A library that names its site keeps other
    // sites out (`a_link_on_the_library_site_resolves_by_name_and_another_host_does_not`).
    assert!(
        lib.resolve_url("https://blog.example/blog/first-week/")
            .is_some()
    );
    assert!(lib.resolve_url("//blog.example/first-week.md").is_some());
    for url in [
        // Other schemes, fragments and queries alone, folders and nothing.
        "mailto:first-week@careerhub.example",
        "mailto:first-week",
        "tel:first-week",
        "ftp://files.example/first-week",
        "javascript:first-week",
        "#first-week",
        "?page=first-week",
        "",
        "/",
        "../",
        ".",
        "./index.md",
        // Files that are not pages, even named after an article.
        "first-week.png",
        "/images/first-week.jpg",
        "../first-week.pdf",
        // Names that are not the article's.
        "first-weeks",
        "week",
        "/blog/2024-01-05-first-week-2/",
    ] {
        assert_eq!(lib.resolve_url(url), None, "{url:?}");
    }
}

#[test]
fn a_link_on_the_library_site_resolves_by_name_and_another_host_does_not() {
    let files = vec![
        file(
            "blog/offer-letter.md",
            "---\ntitle: Reading an offer letter\ncanonical: https://jobs.example/guides/offer-letter\n---\nRead it twice.\n",
        ),
        file(
            "blog/2023-03-01-counter.md",
            "---\ntitle: Counter offers\ncanonical: https://www.jobs.example/guides/counter\n---\nWait a day.\n",
        ),
        file(
            "blog/first-offer.md",
            "---\ntitle: A first offer\n---\nNo canonical URL here.\n",
        ),
    ];
    let lib = Index::from_files(files, Vec::new(), LoadOptions::default());
    let slug = |url: &str| lib.resolve_url(url).map(|id| lib.get(id).slug.clone());
    assert_eq!(
        slug("https://jobs.example/guides/offer-letter").as_deref(),
        Some("offer-letter")
    );
    // The same host, another path: still the article (sites move their folders).
    assert_eq!(
        slug("https://JOBS.example/old/offer-letter.html#pay").as_deref(),
        Some("offer-letter")
    );
    assert_eq!(
        slug("https://jobs.example/2023/03/01/2023-03-01-counter/").as_deref(),
        Some("counter")
    );
    assert_eq!(
        slug("http://www.jobs.example/guides/Counter").as_deref(),
        Some("counter")
    );
    // No canonical of its own, but on the site the library's canonical URLs name.
    assert_eq!(
        slug("https://jobs.example/guides/first-offer/").as_deref(),
        Some("first-offer")
    );
    for url in [
        "https://elsewhere.example/first-offer",
        "https://jobs.example.evil.example/first-offer",
        "https://elsewhere.example/guides/offer-letter",
        "https://jobs.example.evil.example/offer-letter",
        "https://jobs.example@elsewhere.example/offer-letter",
        "https://elsewhere.example/counter.html",
    ] {
        assert_eq!(slug(url), None, "{url}");
    }
}

#[test]
fn facet_counts_put_role_intent_category_first() {
    let lib = library_of(&[
        (
            "a",
            "A",
            "interviewing",
            &["general", "data-analyst"],
            &["interview"],
            "2025-01-01",
        ),
        (
            "b",
            "B",
            "interviewing",
            &["general"],
            &["salary"],
            "2025-01-02",
        ),
    ]);
    let counts = lib.facet_counts(lib.by_date());
    let names: Vec<&str> = counts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, vec!["role", "intent", "category"]);
    assert_eq!(
        counts[0].1[0],
        FacetCount {
            value: "general".into(),
            count: 2
        }
    );
    assert_eq!(
        counts[0].1[1],
        FacetCount {
            value: "data-analyst".into(),
            count: 1
        }
    );
}

#[test]
fn the_facet_filter_ors_values_of_a_facet_ands_facets_and_counts_alternatives() {
    use super::facets::FacetFilter;
    let lib = library_of(&[
        (
            "a",
            "A",
            "interviewing",
            &["data-analyst"],
            &["interview"],
            "2025-01-01",
        ),
        (
            "b",
            "B",
            "interviewing",
            &["designer"],
            &["interview"],
            "2025-01-02",
        ),
        ("c", "C", "salary", &["designer"], &["salary"], "2025-01-03"),
        (
            "d",
            "D",
            "interviewing",
            &["engineer"],
            &["salary"],
            "2025-01-04",
        ),
    ]);
    let slugs = |filters: &[(&str, &str)]| {
        let filter = FacetFilter::new(&lib, filters.iter().copied());
        let mut out: Vec<&str> = lib
            .articles()
            .iter()
            .filter(|a| filter.passes(&lib, a.id))
            .map(|a| a.slug.as_str())
            .collect();
        out.sort();
        out
    };
    // Two values of one facet: either will do.
    assert_eq!(
        slugs(&[("role", "data-analyst"), ("role", "DESIGNER")]),
        ["a", "b", "c"]
    );
    // Two facets: both must hold.
    assert_eq!(
        slugs(&[("role", "designer"), ("intent", "interview")]),
        ["b"]
    );
    assert_eq!(slugs(&[]), ["a", "b", "c", "d"]);
    // Counts over a result set: a value's count ignores its own facet's filter, so the
    // other roles stay on offer while one is chosen.
    let filter = FacetFilter::new(&lib, [("role", "designer")]);
    let ids: Vec<_> = lib.by_date().to_vec();
    let (passing, tally) = filter.filter_and_count(&lib, ids.iter().copied());
    let passing: Vec<&str> = passing
        .iter()
        .map(|&i| lib.get(ids[i]).slug.as_str())
        .collect();
    assert_eq!(passing, ["c", "b"], "newest first, as given");
    let counts = tally.sorted();
    let count = |facet: &str, value: &str| {
        counts
            .iter()
            .find(|(n, _)| n == facet)
            .and_then(|(_, vs)| vs.iter().find(|v| v.value == value))
            .map_or(0, |v| v.count)
    };
    assert_eq!(count("role", "engineer"), 1, "another role, still offered");
    assert_eq!(count("role", "designer"), 2);
    assert_eq!(
        count("intent", "salary"),
        1,
        "other facets count the filtered set"
    );
    assert_eq!(count("intent", "interview"), 1);
}

#[test]
fn an_article_that_links_here_is_a_backlink_even_when_it_is_also_similar() {
    let files = vec![
        article_file(
            "hub",
            "Hub",
            "interviewing",
            &["data-analyst"],
            &["interview"],
            "2025-01-01",
            &[],
        ),
        // Shares every facet with the hub, and links to it.
        article_file(
            "twin",
            "Twin",
            "interviewing",
            &["data-analyst"],
            &["interview"],
            "2025-01-02",
            &["hub"],
        ),
    ];
    let lib = Index::from_files(files, Vec::new(), LoadOptions::default());
    let hub = lib.by_slug("hub").unwrap().id;
    let kinds: Vec<(String, RelatedKind)> = lib
        .related(hub)
        .iter()
        .map(|r| (lib.get(r.id).slug.clone(), r.kind))
        .collect();
    assert_eq!(kinds, vec![("twin".into(), RelatedKind::Backlink)]);
}

#[test]
fn reading_time_and_dates_order() {
    let words = "word ".repeat(700);
    let files = vec![
        file(
            "old.md",
            &format!("---\ntitle: Old\npubDate: 2020-01-01\n---\n<p id=\"\">{words}</p>"),
        ),
        file(
            "new.md",
            "---\ntitle: New\npubDate: 2026-01-01\n---\n<p>hi</p>",
        ),
        file("undated.md", "---\ntitle: Undated\n---\n"),
    ];
    let lib = Index::from_files(files, Vec::new(), LoadOptions::default());
    let order: Vec<&str> = lib
        .by_date()
        .iter()
        .map(|&i| lib.get(i).slug.as_str())
        .collect();
    assert_eq!(order, vec!["new", "old", "undated"]);
    assert_eq!(lib.by_slug("old").unwrap().reading_minutes(), 4);
    assert_eq!(lib.by_slug("new").unwrap().reading_minutes(), 1);
}

#[test]
fn body_links_count_as_backlinks() {
    let files = vec![
        article_file(
            "target",
            "T",
            "interviewing",
            &["general"],
            &["interview"],
            "2025-01-01",
            &[],
        ),
        file(
            "src.md",
            "---\ntitle: S\n---\n<p>See <a href=\"https://careerhub.example/blog/target\" id=\"\">this</a>.</p>",
        ),
    ];
    let lib = Index::from_files(files, Vec::new(), LoadOptions::default());
    let t = lib.by_slug("target").unwrap().id;
    let s = lib.by_slug("src").unwrap().id;
    assert_eq!(lib.backlinks(t), &[s]);
}

/// A file of our own in the seed's exact shape: the publisher's keys, a one-line Webflow body,
/// the Markdown trailer, and Mac Roman mojibake made here by mis-decoding our own UTF-8.
const SEED_SHAPE: &str = "---\ntitle: \"Don’t Ghost the Recruiter: What to Send After an\"\nslug: dont-ghost-the-recruiter\ndescription: What to send after a final round, and when. Short notes that keep you in the running.\ncanonical: \"https://careerhub.example/blog/dont-ghost-the-recruiter\"\npubDate: 2025-06-03\ncategory: interviewing\ndraft: false\narchived: false\ntags:\n  role:\n    - data-analyst\n  intent:\n    - resume\n    - interview\n    - job-search\n    - ats\n---\n<p id=\"\">The final round is over and you’re refreshing your inbox.&nbsp;</p><p id=\"\"><strong id=\"\"><em id=\"\">So what’s the right move now?</em></strong></p><p id=\"\">A “thank you” note is the floor, not the ceiling.<br>\u{200d}</p><p id=\"\"><strong id=\"\">📌</strong><a href=\"https://careerhub.example/blog/follow-up-email-after-interview\" id=\"\"><strong id=\"\">Need wording? Borrow our templates.</strong></a></p><h2 id=\"\">Three notes worth sending</h2><ol start=\"\" role=\"list\"><li>Same day: thanks.</li><li>After the deadline: a check-in.</li></ol><p id=\"\">\u{200d}</p><ol start=\"3\" role=\"list\"><li>Three weeks on: close the loop.</li></ol>\n\n---\n\n## Sharpen your resume first\n\nOur checker flags what a parser skips.\n\n👉 https://careerhub.example/tools/resume-check\n\n---\n\n## Related career guidance\n\nPart of the **Data Analyst Career Hub**.\n\n👉 https://careerhub.example/career-hub/data-analyst\n\n---\n\n## Related articles\n\n- [How to Write a Follow-Up Email After an Interview (With Templates)](https://careerhub.example/blog/follow-up-email-after-interview)\n- [Missing One](https://careerhub.example/blog/not-in-this-library)\n";

#[test]
fn seed_shaped_mojibake_article_loads_repaired() {
    let garbled = crate::content::load::repair::tests::garble_mac_roman(SEED_SHAPE);
    assert!(garbled.contains("‚Äô") && garbled.contains("üìå") && garbled.contains("‚Äç"));
    let files = vec![
        SourceFile {
            path: "blog/dont-ghost-the-recruiter.md".into(),
            bytes: garbled.into_bytes(),
        },
        article_file(
            "follow-up-email-after-interview",
            "Follow Up",
            "interviewing",
            &["general"],
            &["interview"],
            "2025-01-01",
            &[],
        ),
    ];
    let (lib, source) = load_memory(files, Vec::new(), LoadOptions::default());
    let mut bodies = Bodies::new(source);
    let a = lib.by_slug("dont-ghost-the-recruiter").expect("loads");
    assert_eq!(a.title, "Don’t Ghost the Recruiter: What to Send After an");
    assert_eq!(a.date.unwrap().to_string(), "2025-06-03");
    assert_eq!(a.category(), Some("interviewing"));
    let facets: Vec<(&str, Vec<&str>)> = a
        .facets
        .iter()
        .map(|(k, v)| (k.as_str(), v.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        facets,
        vec![
            ("category", vec!["interviewing"]),
            ("intent", vec!["resume", "interview", "job-search", "ats"]),
            ("role", vec!["data-analyst"]),
        ]
    );
    let warnings: Vec<String> = lib.problems().iter().map(|p| p.to_string()).collect();
    assert_eq!(
        warnings,
        vec![
            "blog/dont-ghost-the-recruiter.md:1: warning: repaired 10 mis-decoded characters (mojibake): re-export the file as UTF-8 to silence this"
        ]
    );
    let doc = bodies.document(&lib, a.id).unwrap();
    let text = crate::content::render::layout::layout(&doc, 80).plain_text();
    assert!(
        text.contains("The final round is over and you’re refreshing your inbox."),
        "{text}"
    );
    assert!(text.contains("A “thank you” note is the floor, not the ceiling."));
    assert!(
        text.contains("📌Need wording? Borrow our templates. [1]"),
        "{text}"
    );
    assert!(
        text.contains("1. Same day: thanks.")
            && text.contains("3. Three weeks on: close the loop."),
        "{text}"
    );
    assert!(!text.contains('\u{200d}') && !text.contains('‚') && !text.contains("&nbsp;"));
    assert!(text.contains("[1] https://careerhub.example/blog/follow-up-email-after-interview → follow-up-email-after-interview"), "{text}");
    let resolved: Vec<bool> = a.related_links.iter().map(|l| l.target.is_some()).collect();
    assert_eq!(resolved, vec![true, false]);
}

#[test]
fn non_ascii_hosts_in_canonicals_and_links_load() {
    let files = vec![
        file(
            "a.md",
            "---\ntitle: A\ncanonical: \"https://aéé/x\"\n---\n<a href=\"https://xéé/y\">y</a>",
        ),
        file(
            "b.md",
            "---\ntitle: B\ncanonical: \"https://www.é/b\"\n---\n",
        ),
    ];
    let lib = Index::from_files(files, Vec::new(), LoadOptions::default());
    assert_eq!(lib.len(), 2);
}

#[test]
fn a_canonical_on_an_odd_host_is_flagged_when_one_host_dominates() {
    let spec: Vec<(String, String)> = (0..4).map(|i| (format!("a{i}"), format!("A{i}"))).collect();
    let mut files: Vec<SourceFile> = spec
        .iter()
        .map(|(s, t)| article_file(s, t, "c", &["r"], &["i"], "2025-01-01", &[]))
        .collect();
    let typo = String::from_utf8(files[3].bytes.clone())
        .unwrap()
        .replace("careerhub.example", "carerhub.example");
    files[3].bytes = typo.into_bytes();
    let lib = Index::from_files(files.clone(), Vec::new(), LoadOptions::default());
    let warnings = lib.canonical_outliers();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].path, "blog/a3.md");
    assert_eq!(
        warnings[0].message,
        "`canonical` is on `carerhub.example` while 3 articles use `careerhub.example`: check it for a typo"
    );
    // A relative canonical has no host to compare (its own warning says it is not http).
    let mut relative = files.clone();
    let text = String::from_utf8(relative[3].bytes.clone())
        .unwrap()
        .replace("https://carerhub.example/blog/a3", "/blog/a3");
    relative[3].bytes = text.into_bytes();
    let lib = Index::from_files(relative, Vec::new(), LoadOptions::default());
    assert!(lib.canonical_outliers().is_empty());
    // Two articles on one host and one on another: too few to call it a typo.
    let even = Index::from_files(files[1..].to_vec(), Vec::new(), LoadOptions::default());
    assert!(even.canonical_outliers().is_empty());
}

#[test]
fn refs_to_a_file_reach_its_article_whatever_its_slug() {
    let files = vec![
        file(
            "posts/2019-01-05-first-week.md",
            "---\ntitle: First\nslug: custom-slug\n---\nx\n",
        ),
        file(
            "posts/linker.md",
            "---\ntitle: Linker\n---\nSee [it]({{< ref \"posts/2019-01-05-first-week.md\" >}}) and [this]({% post_url 2019-01-05-first-week %}).\n",
        ),
    ];
    let lib = Index::from_files(files, Vec::new(), LoadOptions::default());
    let target = lib.by_slug("custom-slug").unwrap().id;
    assert_eq!(lib.links_to(lib.by_slug("linker").unwrap().id), &[target]);
    assert_eq!(lib.resolve_url("/first-week"), Some(target));
    assert_eq!(lib.backlinks(target).len(), 1);
}

/// Files where `from-*` articles link to `to` in their bodies, one through its related
/// section.
fn linking_files(extra: bool) -> Vec<SourceFile> {
    let mut files = vec![
        file("to.md", "---\ntitle: To\n---\nplain body"),
        file(
            "from-a.md",
            "---\ntitle: A\n---\n<p>Read <a href=\"https://site.example/blog/to\">this</a>.</p>",
        ),
        file(
            "from-c.md",
            "---\ntitle: C\n---\nBody.\n\n## Related articles\n\n- [To](https://site.example/blog/to)\n",
        ),
    ];
    if extra {
        files.push(file(
            "from-b.md",
            "---\ntitle: B\n---\nSee https://site.example/blog/to for more.",
        ));
    }
    files
}

/// The index the reader starts with: `files` parsed without their bodies' links, so with no
/// link graph yet.
pub(crate) fn index_without_links(files: &[SourceFile]) -> Index {
    use crate::content::load::parse::{BodyLinks, parse_file_with};
    let parsed: Vec<Parsed> = files
        .iter()
        .map(|f| parse_file_with(&f.path, &f.bytes, BodyLinks::Later).unwrap())
        .collect();
    Index::link(parsed).0
}

/// The link graph of `lib` from the bodies of `files`, read as the reader's link pass
/// reads them (files `lib` does not hold are left out).
pub(crate) fn graph_of(lib: &Index, files: &[SourceFile]) -> super::LinkGraph {
    let mut outgoing = vec![Vec::new(); lib.len()];
    for f in files {
        if let Some(id) = lib.id_of_path(&f.path) {
            let parsed = crate::content::load::parse::parse_file(&f.path, &f.bytes).unwrap();
            outgoing[id.idx()] = parsed.outgoing.unwrap();
        }
    }
    lib.link_graph(&outgoing)
}

#[test]
fn an_index_without_body_links_has_no_graph_until_one_is_set() {
    let lib = index_without_links(&linking_files(false));
    let to = lib.by_slug("to").unwrap().id;
    assert!(!lib.links_ready());
    assert!(lib.backlinks(to).is_empty());
    // Related links do not wait for the bodies: they are resolved at once.
    let c = lib.by_slug("from-c").unwrap();
    assert_eq!(c.related_links[0].target, Some(to));

    // A graph of another library's size is refused; the whole one is taken.
    let whole = Index::from_files(linking_files(true), Vec::new(), LoadOptions::default());
    assert!(!lib.set_link_graph(whole.graph().unwrap().clone()));
    assert!(!lib.links_ready());
    // The link pass found a file (`from-b.md`) this index lacks: the graph keeps the links
    // of the articles the index has.
    assert_eq!(lib.id_of_path("from-b.md"), None);
    assert!(lib.set_link_graph(graph_of(&lib, &linking_files(true))));
    let a = lib.by_slug("from-a").unwrap().id;
    assert_eq!(lib.backlinks(to), &[a, c.id]);
    assert_eq!(lib.links_to(a), &[to]);
    assert_eq!(lib.links_to(c.id), &[to]);
    // Set once: a second graph changes nothing.
    assert!(!lib.set_link_graph(lib.graph().unwrap().clone()));
}

#[test]
fn links_find_slugs_and_file_names_with_capitals_in_any_case() {
    let files = vec![
        file("upper.md", "---\ntitle: Upper\nslug: UpperSlug\n---\nU.\n"),
        file("Mixed_Case-File.md", "---\ntitle: Mixed\n---\nM.\n"),
        file(
            "linker.md",
            "---\ntitle: Linker\n---\n[a](../upperslug/) [b](../UPPERSLUG/) [c](MIXED_CASE-FILE.md) [d](../mixed_case-file/)\n",
        ),
    ];
    let lib = Index::from_files(files, Vec::new(), LoadOptions::default());
    let upper = lib.by_slug("UpperSlug").unwrap().id;
    let mixed = lib.by_slug("Mixed_Case-File").unwrap().id;
    for (url, want) in [
        ("../upperslug/", upper),
        ("../UPPERSLUG/", upper),
        ("../UpperSlug/", upper),
        ("upper.md", upper),
        ("MIXED_CASE-FILE.md", mixed),
        ("../mixed_case-file/", mixed),
        ("Mixed_Case-File.md", mixed),
    ] {
        assert_eq!(lib.resolve_url(url), Some(want), "{url}");
    }
    let linker = lib.by_slug("linker").unwrap().id;
    assert_eq!(lib.backlinks(upper), &[linker]);
    assert_eq!(lib.backlinks(mixed), &[linker]);
}

//! One link extractor: the load-time scan (which feeds backlinks) and the reader's document
//! find the same link targets in every article of the built-in library, a synthetic library,
//! the other generators' fixture sites and a library written to break the old scan.

use std::collections::BTreeSet;
use std::path::Path;

use careerhub::content::load::parse::read_body;
use careerhub::content::render::document::link_targets;
use careerhub::content::{
    Bodies, Index, LoadOptions, Loader, Source, SourceFile, load_memory, synth,
};

const ALL: LoadOptions = LoadOptions {
    drafts: true,
    archived: true,
};

fn file(slug: &str, body: &str) -> SourceFile {
    SourceFile {
        path: format!("blog/{slug}.md"),
        bytes: format!("---\ntitle: \"Article {slug}\"\nslug: {slug}\ncategory: interviewing\ncanonical: \"https://careerhub.example/blog/{slug}\"\n---\n{body}")
            .into_bytes(),
    }
}

/// Links the old load-time scan missed or invented: single quotes, upper case, bare URLs,
/// `data-href`, links in code, links inside `<pre>`, relative and generator-written paths,
/// another site's page of the same name.
fn tricky() -> Vec<SourceFile> {
    vec![
        file("target", "<p>The article everyone links to.</p>"),
        file(
            "bare",
            "<p>Read https://careerhub.example/blog/target first.</p>",
        ),
        file(
            "single",
            "<p><a href='https://careerhub.example/blog/target'>this</a></p>",
        ),
        file("upper", "<P><A HREF=\"/blog/target\">this</A></P>"),
        file(
            "data-href",
            "<p><a data-href=\"/blog/target\" href=\"https://elsewhere.example/\">away</a></p>",
        ),
        file(
            "in-code",
            "Some code:\n\n```\nhttps://careerhub.example/blog/target\n```\n\n<pre>/blog/target https://careerhub.example/blog/target</pre>\n",
        ),
        file(
            "markdown",
            "A [reference][t] and <https://careerhub.example/blog/target>.\n\n[t]: /blog/target\n",
        ),
        file(
            "in-pre",
            "<pre>step one: read <a href=\"/blog/target\">the target</a></pre>",
        ),
        file(
            "in-code-span",
            "Type `https://careerhub.example/blog/target` and <code>/blog/target</code>.\n",
        ),
        file(
            "relative",
            "See [up](../target/), [here](./target#part), [file](target.md) and [dated](../2024-01-05-target.md).\n",
        ),
        file(
            "zola",
            "See [it](@/blog/target.md) and [its bundle](@/blog/Target/index.md).\n",
        ),
        file(
            "encoded",
            "<p><a href=\"/blog/%74arget/?from=feed\">encoded</a></p>",
        ),
        file(
            "other-host",
            "<p>Not ours: https://other.example/blog/target and <a href=\"mailto:target@careerhub.example\">mail</a>.</p>",
        ),
    ]
}

fn folder(path: &Path) -> (Index, Bodies) {
    let source = Source::Dir(path.to_path_buf());
    let index = Loader::new(source.clone(), ALL).load().unwrap();
    (index, Bodies::new(source))
}

fn libraries() -> Vec<(String, Index, Bodies)> {
    let memory = |name: &str, files| {
        let (index, source) = load_memory(files, Vec::new(), ALL);
        (name.to_owned(), index, Bodies::new(source))
    };
    let mut out = vec![
        (
            "built-in".to_owned(),
            Loader::new(Source::Embedded, ALL).load().unwrap(),
            Bodies::new(Source::Embedded),
        ),
        memory("synthetic", synth::library(60, 7)),
        memory("tricky", tricky()),
    ];
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for site in std::fs::read_dir(fixtures).unwrap() {
        let site = site.unwrap().path();
        let (index, bodies) = folder(&site);
        out.push((site.display().to_string(), index, bodies));
    }
    out
}

#[test]
fn the_load_scan_and_the_document_find_the_same_links() {
    let mut compared = 0;
    for (name, index, mut bodies) in libraries() {
        for article in index.articles() {
            let body = read_body(bodies.source(), &article.path).unwrap();
            let scanned: BTreeSet<String> = link_targets(&body).into_iter().collect();
            let doc = bodies.document(&index, article.id).unwrap();
            let rendered: BTreeSet<String> = doc.links.iter().map(|l| l.url.clone()).collect();
            assert_eq!(scanned, rendered, "{name}: {}", article.path);
            // What the reader can follow into the library, the index knows as a link, and
            // the target knows as a backlink.
            for link in &doc.links {
                let Some(target) = index.resolve_url(&link.url).filter(|&t| t != article.id) else {
                    continue;
                };
                assert!(
                    index.links_to(article.id).contains(&target),
                    "{name}: {} links to {}",
                    article.path,
                    index.get(target).path
                );
                assert!(index.backlinks(target).contains(&article.id));
            }
            compared += 1;
        }
    }
    assert!(compared > 100, "{compared} articles compared");
}

#[test]
fn backlinks_come_from_every_kind_of_link_and_only_real_ones() {
    let (index, _) = load_memory(tricky(), Vec::new(), ALL);
    let target = index.by_slug("target").unwrap().id;
    let from: BTreeSet<&str> = index
        .backlinks(target)
        .iter()
        .map(|&id| index.get(id).slug.as_str())
        .collect();
    assert_eq!(
        from,
        BTreeSet::from([
            "bare", "encoded", "in-pre", "markdown", "relative", "single", "upper", "zola"
        ]),
        "not data-href, not code, not another host, not mail"
    );
}

fn at(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: path.to_owned(),
        bytes: text.as_bytes().to_vec(),
    }
}

/// A site written by other generators: no canonical URLs, links between pages as Zola,
/// Jekyll, Hugo, Eleventy and hand-written Markdown write them.
fn generator_site() -> Vec<SourceFile> {
    vec![
        at(
            "content/blog/first-week.md",
            "+++\ntitle = \"The first week\"\n+++\nMeet the team.\n",
        ),
        at(
            "_posts/2024-01-05-salary-talk.markdown",
            "---\ntitle: Salary talk\n---\nName a range.\n",
        ),
        at(
            "content/posts/remote-days/index.md",
            "---\ntitle: Remote days\n---\nA desk by the window.\n",
        ),
        at(
            "content/blog/pay-questions.md",
            "---\ntitle: Asking about pay\nslug: asking-about-pay\n---\nAsk early.\n",
        ),
        at(
            "content/blog/linker.md",
            "---\ntitle: Where to go next\n---\n\
             Up: [a](../first-week/), [b](@/blog/first-week.md#agenda), \
             [c]({% post_url 2024-01-05-salary-talk %}), \
             [d]({% link _posts/2024-01-05-salary-talk.markdown %}), \
             [e]({{< ref \"remote-days\" >}}), [f](../remote-days/index.md), \
             [g](pay-questions.md), [h](/blog/Asking-About-Pay/), [i](salary%2Dtalk.html), \
             [j](https://other.example/blog/first-week), [k](first-week.png), \
             [l](mailto:first-week@jobs.example) and `../first-week/` in code.\n",
        ),
    ]
}

#[test]
fn generator_links_reach_their_articles_in_the_reader_and_the_index() {
    let (index, source) = load_memory(generator_site(), Vec::new(), ALL);
    let mut bodies = Bodies::new(source);
    let linker = index.by_slug("linker").unwrap().id;
    let doc = bodies.document(&index, linker).unwrap();
    let links: Vec<(&str, Option<&str>)> = doc
        .links
        .iter()
        .map(|l| (l.url.as_str(), l.internal.as_deref()))
        .collect();
    assert_eq!(
        links,
        [
            ("../first-week/", Some("first-week")),
            ("@/blog/first-week.md#agenda", Some("first-week")),
            ("/salary-talk", Some("salary-talk")),
            ("/salary-talk", Some("salary-talk")),
            ("/remote-days", Some("remote-days")),
            ("../remote-days/index.md", Some("remote-days")),
            ("pay-questions.md", Some("asking-about-pay")),
            ("/blog/Asking-About-Pay/", Some("asking-about-pay")),
            ("salary%2Dtalk.html", Some("salary-talk")),
            // The site names no canonical URL, so its own host is unknown: an absolute
            // URL ending in an article's name is taken as that article (never lost).
            ("https://other.example/blog/first-week", Some("first-week")),
            ("first-week.png", None),
            ("mailto:first-week@jobs.example", None),
        ]
    );
    let slugs = |ids: &[careerhub::content::ArticleId]| -> Vec<String> {
        ids.iter().map(|&id| index.get(id).slug.clone()).collect()
    };
    assert_eq!(
        slugs(index.links_to(linker)),
        [
            "first-week",
            "salary-talk",
            "remote-days",
            "asking-about-pay"
        ]
    );
    for target in [
        "first-week",
        "salary-talk",
        "remote-days",
        "asking-about-pay",
    ] {
        let id = index.by_slug(target).unwrap().id;
        assert_eq!(slugs(index.backlinks(id)), ["linker"], "{target}");
    }
}

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
                    article.links_to.contains(&target),
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

//! "No word lost or split at any width", as a test that can fail: every article of the
//! built-in library, of the synthetic generator and of a few hand-made exports is rendered as
//! `read` renders it, at width 1000 and at narrow widths, and every word (run of letters and
//! digits) of the wide rendering must appear whole, as often, at every width. A stacked table
//! may repeat its header words; the link list at the end (which the reader wraps) is checked
//! on its own: its URLs must survive whole once the wrapping is undone, within the width.

use std::collections::{BTreeMap, BTreeSet};

use careerhub::content::load::source::{Source, SourceFile};
use careerhub::content::render::document::{Block, Document};
use careerhub::content::render::layout::{self, Layout};
use careerhub::content::{Bodies, Index, LoadOptions, Loader, load_memory, synth};

const WIDTHS: [u16; 6] = [20, 40, 60, 80, 120, 200];

const ALL: LoadOptions = LoadOptions {
    drafts: true,
    archived: true,
};

/// Hand-made exports with the shapes the built-in library has few of: wide tables with
/// spans and empty columns, code, an FAQ widget in the trailer, inline images, strikes.
fn fixtures() -> Vec<SourceFile> {
    let front = |slug: &str| {
        format!("---\ntitle: \"Fixture {slug}\"\nslug: {slug}\ncategory: interviewing\n---\n")
    };
    let tables = concat!(
        "<p id=\"\">Three ways to follow up, compared.</p>",
        "<table><thead><tr><th>Channel</th><th>Response expectation</th><th>Notes</th></tr></thead><tbody>",
        "<tr><td>Email to the recruiter</td><td>Usually within three business days</td><td></td></tr>",
        "<tr><td rowspan=\"2\">Phone</td><td colspan=\"2\">Only when they asked you to call; otherwise unwelcome</td></tr>",
        "<tr><td>Same day</td><td>Keep it under two minutes</td></tr>",
        "<tr><td>LinkedIn message</td><td>Unpredictable responsiveness</td><td>Acknowledgement optional</td></tr>",
        "</tbody></table>",
        "<table><tr><th>日本語の見出し</th><th>📌 Marker</th></tr><tr><td>東京で働く</td><td>Remote-friendly internationalization</td></tr></table>\n",
        "\n---\n\n## Related articles\n\n- [Another fixture](https://careerhub.example/blog/code)\n",
    );
    let code = concat!(
        "<p>Run the query below before the interview.</p>",
        "<pre>SELECT candidate_id, COUNT(*) AS interviews_scheduled_this_quarter\nFROM interviews\n\n\n",
        "    WHERE status = 'paid'   -- a comment that is longer than most narrow terminals are wide\n</pre>",
        "<p>Then <del>never</del> always send the note, see <a href=\"https://x.example/badge\">",
        "<img src=\"https://cdn.example/img/badge-large.svg\"></a> and the chart ",
        "<img src=\"chart.png\" alt=\"weekly replies\"> inline.</p>\n",
    );
    let faq = concat!(
        "<p id=\"\">An export with its FAQ widget.</p>\n",
        "\n---\n\n## Questions\n\n",
        "<style>\n.faq { color: red }\n</style>\n\n",
        "                <div class=\"q\">How long should I wait before following up?</div>\n",
        "                <imgsrc=\"x.svg\" alt />\n\n",
        "                <div class=\"a\">Three business days is the usual answer.</div>\n",
    );
    [("tables", tables), ("code", code), ("faq", faq)]
        .into_iter()
        .map(|(slug, body)| SourceFile {
            path: format!("blog/{slug}.md"),
            bytes: format!("{}{body}", front(slug)).into_bytes(),
        })
        .collect()
}

/// Each library with the bodies to read its articles through.
fn libraries() -> Vec<(Index, Bodies)> {
    let memory = |files| {
        let (index, source) = load_memory(files, Vec::new(), ALL);
        (index, Bodies::new(source))
    };
    vec![
        (
            Loader::new(Source::Embedded, ALL).load().unwrap(),
            Bodies::new(Source::Embedded),
        ),
        memory(synth::library(40, 16)),
        memory(fixtures()),
    ]
}

/// Runs of letters and digits with how often each occurs.
fn words(text: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if !w.is_empty() {
            *out.entry(w.to_owned()).or_insert(0) += 1;
        }
    }
    out
}

/// The rendering split into the article and its link list.
fn body_and_links(out: &Layout) -> (String, Vec<String>) {
    let text = out.plain_text();
    match text.find("\nLinks\n") {
        Some(p) => (
            text[..p].to_owned(),
            text[p + 7..].lines().map(str::to_owned).collect(),
        ),
        None => (text, Vec::new()),
    }
}

/// Words of every table header in the document (a stacked table repeats them).
fn header_words(doc: &Document) -> BTreeSet<String> {
    fn walk(blocks: &[Block], out: &mut BTreeSet<String>) {
        for block in blocks {
            match block {
                Block::Table { header, .. } => {
                    for cell in header {
                        let text: String = cell.text.iter().map(|s| s.text.as_str()).collect();
                        out.extend(words(&text).into_keys());
                    }
                }
                Block::List { items, .. } => items.iter().for_each(|i| walk(i, out)),
                Block::Quote(inner) => walk(inner, out),
                _ => {}
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&doc.blocks, &mut out);
    out
}

/// The URLs of a link list, with wrapped continuation lines joined back.
fn link_urls(lines: &[String]) -> Vec<String> {
    let mut urls: Vec<String> = Vec::new();
    // Once an entry's `→ slug` has started, the rest of the entry is the slug.
    let mut in_slug = false;
    for line in lines {
        let entry = line
            .strip_prefix('[')
            .and_then(|rest| rest.split_once("] "))
            .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()));
        let part = match entry {
            Some((_, url)) => {
                urls.push(String::new());
                in_slug = false;
                url
            }
            None => line.trim_start(),
        };
        if in_slug {
            continue;
        }
        let url = match part.split_once("→") {
            Some((url, _)) => {
                in_slug = true;
                url.trim_end()
            }
            None => part,
        };
        if let Some(last) = urls.last_mut() {
            last.push_str(url);
        }
    }
    urls
}

#[test]
fn every_word_survives_whole_at_every_width() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for (lib, mut bodies) in libraries() {
        for article in lib.articles() {
            let doc = bodies
                .document(&lib, article.id)
                .unwrap_or_else(|e| panic!("{}: {e}", article.path));
            let (wide, wide_links) = body_and_links(&layout::layout(&doc, 1000));
            let reference = words(&wide);
            let headers = header_words(&doc);
            for width in WIDTHS {
                let (text, links) = body_and_links(&layout::layout(&doc, width));
                let got = words(&text);
                for word in reference.keys().chain(got.keys()).collect::<BTreeSet<_>>() {
                    let (want, have) = (
                        reference.get(word).copied().unwrap_or(0),
                        got.get(word).copied().unwrap_or(0),
                    );
                    let ok = have == want || (headers.contains(word) && have > want && want > 0);
                    if !ok {
                        failures.push(format!(
                            "{} at {width}: `{word}` {have} times, {want} at width 1000",
                            article.path
                        ));
                    }
                }
                assert_eq!(
                    link_urls(&links),
                    link_urls(&wide_links),
                    "{} at {width}: link list",
                    article.path
                );
                // The reader's layout is the same article; only its link list wraps.
                let screen = layout::layout_for_screen(&doc, width);
                let (screen_text, screen_links) = body_and_links(&screen);
                assert_eq!(screen_text, text, "{} at {width}", article.path);
                assert_eq!(
                    link_urls(&screen_links),
                    link_urls(&wide_links),
                    "{} at {width}: wrapped link list",
                    article.path
                );
                for line in &screen_links {
                    assert!(
                        unicode_width::UnicodeWidthStr::width(line.as_str()) <= usize::from(width),
                        "{} at {width}: {line}",
                        article.path
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 38 + 40 + 3, "{checked}");
    assert!(
        failures.is_empty(),
        "{} words lost or split:\n{}",
        failures.len(),
        failures[..failures.len().min(40)].join("\n")
    );
}

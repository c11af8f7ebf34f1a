//! Links in the document: internal targets, code that is literal, links inside `<pre>`.

use super::tests::{WEBFLOW, link, parse_ok, plain, styled};
use super::*;

#[test]
fn resolve_links_marks_internal_targets() {
    let mut doc = parse_ok(WEBFLOW);
    doc.resolve_links(|url| {
        url.strip_prefix("https://x.example/blog/")
            .map(str::to_owned)
    });
    let internal: Vec<Option<&str>> = doc.links.iter().map(|l| l.internal.as_deref()).collect();
    assert_eq!(
        internal,
        [
            Some("note-templates"),
            None,
            None,
            Some("questions-to-ask"),
            Some("salary-talks")
        ]
    );
}

fn code(text: &str) -> Inline {
    Inline {
        text: text.to_owned(),
        style: InlineStyle {
            code: true,
            ..InlineStyle::default()
        },
        link: None,
    }
}

#[test]
fn urls_in_code_spans_are_literal_text_not_links() {
    let body = "Type `https://jobs.example/apply` into the box, or visit https://jobs.example/help.\n\n\
                In HTML: <code>http://intranet.example/wiki</code>, <kbd>https://k.example</kbd>, \
                <samp>https://s.example/out</samp> and <tt>https://t.example</tt>.\n";
    let doc = parse_ok(body);
    assert_eq!(doc.links, vec![link("https://jobs.example/help")]);
    assert_eq!(
        doc.blocks,
        vec![
            Block::Paragraph(vec![
                plain("Type "),
                code("https://jobs.example/apply"),
                plain(" into the box, or visit "),
                styled("https://jobs.example/help", false, Some(0)),
                plain("."),
            ]),
            Block::Paragraph(vec![
                plain("In HTML: "),
                code("http://intranet.example/wiki"),
                plain(", "),
                code("https://k.example"),
                plain(", "),
                code("https://s.example/out"),
                plain(" and "),
                code("https://t.example"),
                plain("."),
            ]),
        ]
    );
    // A link written around code is still a link.
    let doc = parse_ok("See <a href=\"/blog/setup\"><code>https://setup.example</code></a>.");
    assert_eq!(doc.links, vec![link("/blog/setup")]);
    assert_eq!(
        doc.blocks,
        vec![Block::Paragraph(vec![
            plain("See "),
            Inline {
                link: Some(0),
                ..code("https://setup.example")
            },
            plain("."),
        ])]
    );
    // The load-time scan agrees.
    assert_eq!(link_targets(body), ["https://jobs.example/help"]);
}

#[test]
fn links_inside_preformatted_text_are_kept_and_the_text_stays_literal() {
    let body = "<p>Before <a href=\"https://before.example/\">this</a>.</p>\
                <pre>Step 1: open <a href=\"/blog/first-week\">the first-week guide</a>\n\
                Step 2: mail <a href=\"mailto:desk@jobs.example\">the desk</a> \
                <a href=\"javascript:void(0)\">never</a><a href=\"/blog/empty\"></a></pre>\
                <p>After <a href=\"https://after.example/\">that</a>.</p>";
    let doc = parse_ok(body);
    assert_eq!(
        doc.links,
        vec![
            link("https://before.example/"),
            link("/blog/first-week"),
            link("mailto:desk@jobs.example"),
            link("https://after.example/"),
        ]
    );
    assert_eq!(
        doc.blocks,
        vec![
            Block::Paragraph(vec![
                plain("Before "),
                styled("this", false, Some(0)),
                plain("."),
            ]),
            Block::Code("Step 1: open the first-week guide\nStep 2: mail the desk never".into()),
            Block::Paragraph(vec![
                plain("Links in the code above: "),
                styled("the first-week guide", false, Some(1)),
                plain(", "),
                styled("the desk", false, Some(2)),
            ]),
            Block::Paragraph(vec![
                plain("After "),
                styled("that", false, Some(3)),
                plain("."),
            ]),
        ]
    );
    // Fenced code keeps its text and makes no link; a link around a whole block is kept.
    let doc = parse_ok(
        "```\n<a href=\"/blog/x\">x</a> https://fence.example\n```\n\n\
         <a href=\"/blog/whole\"><pre>all of it</pre></a>\n",
    );
    assert_eq!(doc.links, vec![link("/blog/whole")]);
    assert_eq!(
        doc.blocks,
        vec![
            Block::Code("<a href=\"/blog/x\">x</a> https://fence.example".into()),
            Block::Code("all of it".into()),
            Block::Paragraph(vec![
                plain("Links in the code above: "),
                styled("all of it", false, Some(0)),
            ]),
        ]
    );
}

#[test]
fn a_link_around_a_long_code_block_gets_a_short_text() {
    let long = "word ".repeat(30);
    let doc = parse_ok(&format!("<a href=\"/blog/long\"><pre>{long}</pre></a>"));
    let Some(Block::Paragraph(spans)) = doc.blocks.get(1) else {
        panic!("no paragraph of links: {doc:?}")
    };
    let expected = format!("{}…", "word ".repeat(12).trim_end());
    assert_eq!(spans[1], styled(&expected, false, Some(0)));
}

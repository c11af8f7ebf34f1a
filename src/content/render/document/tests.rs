use super::markdown::{html_regions, starts_an_html_region};
use super::walk::{
    MAX_COLSPAN, MAX_WALK_DEPTH, descendant_text, for_each_inline, unescape_serialized,
};
use super::*;

/// A Webflow export in miniature: one HTML line with the export's quirks, then the Markdown
/// trailer. The prose is made up for the test.
pub(crate) const WEBFLOW: &str = concat!(
    "<p id=\"\">Send a short thank-you note within a day of every interview.&nbsp;</p>",
    "<p id=\"\">\u{200D}</p>",
    "<h2 id=\"\"><strong id=\"\">Why a note matters</strong></h2>",
    "<p id=\"\">Hiring teams meet many people in a week.<br>\u{200D}</p>",
    "<p id=\"\"><strong id=\"\">📌</strong><a href=\"https://x.example/blog/note-templates\" id=\"\">",
    "<strong id=\"\">See five note templates</strong></a></p>",
    "<h3 id=\"\">Steps</h3>",
    "<ol start=\"\" id=\"\"><li id=\"\">Thank them</li><li id=\"\">Recall one topic</li></ol>",
    "<p id=\"\">Then, a little later:</p>",
    "<ol start=\"3\" id=\"\"><li id=\"\">Offer more details</li></ol>",
    "<table><thead><tr><th>When</th><th>What</th></tr></thead><tbody>",
    "<tr><td>Day 1</td><td>Thank-you note</td></tr><tr><td>Week 2</td><td>Polite check-in</td></tr>",
    "</tbody></table>",
    "<img src=\"https://cdn.example/img/desk-setup.png?w=800\" alt=\"\">",
    "<iframe src=\"https://www.youtube.com/embed/abc123\" title=\"Follow-up tips\"></iframe>",
    "<script>var tracker = \"SECRET-TRACKER\";</script>",
    "<p id=\"\">\u{200D}</p>\n",
    "\n---\n\n## Tailor your resume\n\n👉 https://tools.example/resume-tailor\n\n---\n\n",
    "## Related articles\n\n",
    "- [Questions to ask at the end](https://x.example/blog/questions-to-ask)\n",
    "- [Salary talks for beginners](https://x.example/blog/salary-talks)\n",
);

pub(super) fn plain(text: &str) -> Inline {
    Inline {
        text: text.to_owned(),
        ..Inline::default()
    }
}

pub(super) fn styled(text: &str, bold: bool, link: Option<usize>) -> Inline {
    Inline {
        text: text.to_owned(),
        style: InlineStyle {
            bold,
            ..InlineStyle::default()
        },
        link,
    }
}

pub(super) fn para(text: &str) -> Block {
    Block::Paragraph(vec![plain(text)])
}

pub(super) fn heading(level: u8, text: &str) -> Block {
    Block::Heading {
        level,
        text: vec![plain(text)],
    }
}

/// One-column, left-aligned cells in consecutive columns.
pub(super) fn cells(texts: &[&str]) -> Vec<Cell> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| Cell::new(vec![plain(t)], i))
        .collect()
}

pub(super) fn item(text: &str) -> Vec<Block> {
    vec![para(text)]
}

pub(super) fn link(url: &str) -> Link {
    Link {
        url: url.to_owned(),
        internal: None,
    }
}

pub(super) fn parse_ok(body: &str) -> Document {
    match parse(body) {
        Ok(doc) => doc,
        Err(e) => panic!("parse failed: {e}"),
    }
}

/// All visible text of a document, for "is it there" checks.
pub(super) fn all_text(doc: &Document) -> String {
    format!("{:?}", doc.blocks)
}

#[test]
fn webflow_body_gives_the_exact_model() {
    let doc = parse_ok(WEBFLOW);
    let expected = Document {
        blocks: vec![
            para("Send a short thank-you note within a day of every interview."),
            heading(2, "Why a note matters"),
            para("Hiring teams meet many people in a week."),
            Block::Paragraph(vec![
                styled("📌", true, None),
                styled("See five note templates", true, Some(0)),
            ]),
            heading(3, "Steps"),
            Block::List {
                start: Some(1),
                items: vec![item("Thank them"), item("Recall one topic")],
            },
            para("Then, a little later:"),
            Block::List {
                start: Some(3),
                items: vec![item("Offer more details")],
            },
            Block::Table {
                header: cells(&["When", "What"]),
                rows: vec![
                    cells(&["Day 1", "Thank-you note"]),
                    cells(&["Week 2", "Polite check-in"]),
                ],
            },
            Block::Image {
                alt: "desk-setup.png".to_owned(),
                src: "https://cdn.example/img/desk-setup.png?w=800".to_owned(),
            },
            Block::Paragraph(vec![styled(
                "Embedded video: Follow-up tips",
                false,
                Some(1),
            )]),
            Block::Rule,
            heading(2, "Tailor your resume"),
            Block::Paragraph(vec![
                plain("👉 "),
                styled("https://tools.example/resume-tailor", false, Some(2)),
            ]),
            Block::Rule,
            heading(2, "Related articles"),
            Block::List {
                start: None,
                items: vec![
                    vec![Block::Paragraph(vec![styled(
                        "Questions to ask at the end",
                        false,
                        Some(3),
                    )])],
                    vec![Block::Paragraph(vec![styled(
                        "Salary talks for beginners",
                        false,
                        Some(4),
                    )])],
                ],
            },
        ],
        links: vec![
            link("https://x.example/blog/note-templates"),
            link("https://www.youtube.com/embed/abc123"),
            link("https://tools.example/resume-tailor"),
            link("https://x.example/blog/questions-to-ask"),
            link("https://x.example/blog/salary-talks"),
        ],
    };
    assert_eq!(doc, expected);
    assert!(!all_text(&doc).contains("SECRET"));
    assert!(!all_text(&doc).contains('\u{200D}'));
}

#[test]
fn dropped_elements_vanish_with_their_content() {
    let body = "<p>kept</p><script>alert('SECRET1')</script><style>p{color:red} /*SECRET2*/</style>\
            <noscript>SECRET3</noscript><template><p>SECRET4</p></template><svg><text>SECRET5</text></svg>\
            <form><p>SECRET6</p><input value=\"SECRET7\"><button>SECRET8</button></form><p>also kept</p>";
    let doc = parse_ok(body);
    assert_eq!(doc.blocks, vec![para("kept"), para("also kept")]);
}

#[test]
fn bare_urls_become_links_without_trailing_punctuation() {
    let doc = parse_ok(
        "Try https://a.example/x. Or (see http://b.example/p_(1)), or nohttps://c.example.",
    );
    let urls: Vec<&str> = doc.links.iter().map(|l| l.url.as_str()).collect();
    assert_eq!(urls, ["https://a.example/x", "http://b.example/p_(1)"]);
    let Block::Paragraph(spans) = &doc.blocks[0] else {
        panic!("not a paragraph: {doc:?}")
    };
    assert_eq!(spans[1], styled("https://a.example/x", false, Some(0)));
    assert_eq!(spans[2].text, ". Or (see ");
    // A URL inside a link's text is part of that link, not a second one.
    let doc = parse_ok("<a href=\"https://d.example\">https://d.example</a>");
    assert_eq!(doc.links, vec![link("https://d.example")]);
}

#[test]
fn ordered_list_start_attribute() {
    for (attr, start) in [
        ("", 1),
        ("3", 3),
        (" 7 ", 7),
        ("0", 0),
        ("-5", 1),
        ("99999999999999999999", 1),
        ("abc", 1),
    ] {
        let doc = parse_ok(&format!("<ol start=\"{attr}\"><li>a</li></ol>"));
        assert_eq!(
            doc.blocks,
            vec![Block::List {
                start: Some(start),
                items: vec![item("a")]
            }],
            "{attr}"
        );
    }
    let doc = parse_ok("<ol><li>a</li></ol><ul><li>b</li></ul>");
    assert!(matches!(
        doc.blocks[..],
        [
            Block::List { start: Some(1), .. },
            Block::List { start: None, .. }
        ]
    ));
}

#[test]
fn invisible_characters_and_whitespace_are_cleaned() {
    let body = "<p>  a\u{A0}\u{A0}b \t\n c\u{200B}d\u{FEFF}e\u{2060}f \u{200D} 👩\u{200D}💻 x\u{200D}y \u{1b}[31mred</p>";
    let doc = parse_ok(body);
    assert_eq!(doc.blocks, vec![para("a b cdef 👩\u{200D}💻 xy [31mred")]);
    // Breaks: none at the edges, at most two in a row, no spaces around them.
    let doc = parse_ok(
        "<p><br>\u{200D}one <br><br><br><br> two<br>\u{200D}<br></p><p>\u{200D}<br>\u{A0}</p>",
    );
    let expected = vec![
        plain("one"),
        Inline::line_break(),
        Inline::line_break(),
        plain("two"),
    ];
    assert_eq!(doc.blocks, vec![Block::Paragraph(expected)]);
}

#[test]
fn spans_merge_and_keep_html_spacing() {
    let doc =
        parse_ok("<p><b>a</b><strong> b </strong> <em>c</em><i>d</i> <a href=\"/x\">e f </a>g</p>");
    let italic = |t: &str| Inline {
        text: t.to_owned(),
        style: InlineStyle {
            italic: true,
            ..Default::default()
        },
        link: None,
    };
    let expected = vec![
        styled("a b ", true, None),
        italic("cd"),
        plain(" "),
        styled("e f ", false, Some(0)),
        plain("g"),
    ];
    assert_eq!(doc.blocks, vec![Block::Paragraph(expected)]);
}

#[test]
fn headings_are_not_doubly_bold_and_keep_links() {
    let doc = parse_ok(
        "<h2><strong>Plan</strong> <a href=\"https://h.example\"><b>ahead</b></a></h2><h4><em>quiet</em></h4>",
    );
    let italic = InlineStyle {
        italic: true,
        ..InlineStyle::default()
    };
    assert_eq!(
        doc.blocks,
        vec![
            Block::Heading {
                level: 2,
                text: vec![plain("Plan "), styled("ahead", false, Some(0))]
            },
            Block::Heading {
                level: 4,
                text: vec![Inline {
                    text: "quiet".into(),
                    style: italic,
                    link: None
                }]
            },
        ]
    );
    assert!(
        parse_ok("<h1>\u{200D}<br></h1><h2> </h2>")
            .blocks
            .is_empty()
    );
}

#[test]
fn entities_are_decoded_exactly_once() {
    let doc = parse_ok("<p>AT&amp;T &lt;b&gt; &amp;lt; &nbsp;&copy; &#x41;</p>");
    assert_eq!(doc.blocks, vec![para("AT&T <b> &lt; © A")]);
    assert_eq!(
        unescape_serialized("&amp;amp;&nbsp;&gt;&unknown;&"),
        "&amp;\u{A0}>&unknown;&"
    );
}

#[test]
fn list_items_hold_paragraphs_and_nested_lists() {
    let doc = parse_ok(
        "<ul><li><p>one</p><p>more</p><ul><li>deep</li></ul></li><li>\u{200D}</li><li>two</li></ul>",
    );
    let nested = Block::List {
        start: None,
        items: vec![item("deep")],
    };
    assert_eq!(
        doc.blocks,
        vec![Block::List {
            start: None,
            items: vec![vec![para("one"), para("more"), nested], item("two")]
        }]
    );
}

#[test]
fn tables_take_a_header_row_and_keep_ragged_rows() {
    let doc = parse_ok(
        "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td></tr><tr><td></td><td></td></tr>\
            <tr><td>2</td><td><p>x</p><p>y</p></td><td>extra</td></tr></table>",
    );
    assert_eq!(
        doc.blocks,
        vec![Block::Table {
            header: cells(&["A", "B"]),
            rows: vec![cells(&["1"]), cells(&["2", "x y", "extra"])],
        }]
    );
    let doc = parse_ok("<table><tr><td>no</td><th>header</th></tr></table>");
    assert!(
        matches!(&doc.blocks[..], [Block::Table { header, rows }] if header.is_empty() && rows.len() == 1)
    );
    assert!(
        parse_ok("<table><tr><td> </td></tr></table>")
            .blocks
            .is_empty()
    );
}

#[test]
fn table_cells_are_placed_on_the_grid_with_spans_and_alignment() {
    let doc = parse_ok(
        "<table><tr><th colspan=\"2\">Plan</th><th>Year</th></tr>\
             <tr><td rowspan=\"2\">Basic</td><td>5</td><td>50</td></tr>\
             <tr><td colspan=\"0\">Same price</td></tr>\
             <tr><td align=\"RIGHT\">9</td><td style=\"color: red; text-align:center\">90</td>\
             <td colspan=\"x\">c</td></tr></table>",
    );
    let [Block::Table { header, rows }] = &doc.blocks[..] else {
        panic!("{doc:?}")
    };
    let place = |cells: &[Cell]| -> Vec<(String, usize, usize, Align)> {
        cells
            .iter()
            .map(|c| (c.text[0].text.clone(), c.column, c.colspan, c.align))
            .collect()
    };
    let l = Align::Left;
    assert_eq!(
        place(header),
        [("Plan".into(), 0, 2, l), ("Year".into(), 2, 1, l)]
    );
    assert_eq!(
        rows.iter().map(|r| place(r)).collect::<Vec<_>>(),
        [
            vec![
                ("Basic".into(), 0, 1, l),
                ("5".into(), 1, 1, l),
                ("50".into(), 2, 1, l)
            ],
            // The rowspan above covers column 0; `colspan="0"` is capped.
            vec![("Same price".into(), 1, MAX_COLSPAN, l)],
            vec![
                ("9".into(), 0, 1, Align::Right),
                ("90".into(), 1, 1, Align::Center),
                ("c".into(), 2, 1, l)
            ],
        ]
    );
    let doc = parse_ok("| a | b | c |\n|:-:|--:|---|\n| 1 | 2 | 3 |\n");
    let [Block::Table { header, rows }] = &doc.blocks[..] else {
        panic!("{doc:?}")
    };
    for row in [header, &rows[0]] {
        let aligns: Vec<Align> = row.iter().map(|c| c.align).collect();
        assert_eq!(aligns, [Align::Center, Align::Right, Align::Left]);
    }
}

#[test]
fn images_and_frames() {
    let doc = parse_ok(
        "<img src=\"/a/b/photo.jpg#x\"><img alt=\" A  desk \" src=\"d.png\"><img>\
            <iframe src=\"//player.example/v/1\"></iframe><iframe></iframe>",
    );
    let image = |text: &str| Inline {
        text: text.into(),
        style: InlineStyle {
            image: true,
            ..InlineStyle::default()
        },
        link: None,
    };
    assert_eq!(
        doc.blocks,
        vec![
            // Side by side, as a browser shows them; no alt shows the file name.
            Block::Paragraph(vec![image("photo.jpg"), image("A desk")]),
            Block::Paragraph(vec![styled(
                "Embedded video: player.example",
                false,
                Some(0)
            )]),
        ]
    );
    assert_eq!(doc.links, vec![link("https://player.example/v/1")]);
}

#[test]
fn images_stay_in_their_sentence_and_in_their_link() {
    let doc = parse_ok(
        "<p>See <a href=\"https://x.example/badge\"><img src=\"/i/badge.svg?v=2\" alt=\"\"></a> \
             and the <img src=\"c.png\" alt=\" weekly  chart \"> here.</p>\
             <figure><img src=\"hero.png\" alt=\"Hero\"><figcaption>Caption</figcaption></figure>",
    );
    let image = |text: &str, link| Inline {
        text: text.into(),
        style: InlineStyle {
            image: true,
            ..InlineStyle::default()
        },
        link,
    };
    assert_eq!(
        doc.blocks,
        vec![
            Block::Paragraph(vec![
                plain("See "),
                image("badge.svg", Some(0)),
                plain(" and the "),
                image("weekly chart", None),
                plain(" here."),
            ]),
            Block::Image {
                alt: "Hero".into(),
                src: "hero.png".into()
            },
            Block::Paragraph(vec![Inline {
                text: "Caption".into(),
                style: InlineStyle {
                    italic: true,
                    ..InlineStyle::default()
                },
                link: None
            }]),
        ]
    );
    assert_eq!(doc.links, vec![link("https://x.example/badge")]);
    // Markdown: an image without alt text shows its file name; a linked badge keeps its link.
    let doc = parse_ok("[![](https://cdn.example/ci-badge.png)](https://ci.example/run) passes\n");
    assert_eq!(
        doc.blocks,
        vec![Block::Paragraph(vec![
            image("ci-badge.png", Some(0)),
            plain(" passes")
        ])]
    );
}

#[test]
fn strikes_and_footnotes() {
    let doc = parse_ok(
        "Do ~~not~~ <del>never</del> <s>ever</s> send it twice.[^why] Really.[^b]\n\n\
             [^b]: Second, *short*.\n\n[^why]: The first reason.\n\n    With a second paragraph.\n\n\
             [^unused]: Defined, never cited.\n",
    );
    let struck = |t: &str| Inline {
        text: t.into(),
        style: InlineStyle {
            strike: true,
            ..InlineStyle::default()
        },
        link: None,
    };
    let sup = |n: usize| format!("[^{n}]");
    assert_eq!(
        doc.blocks[0],
        Block::Paragraph(vec![
            plain("Do "),
            struck("not"),
            plain(" "),
            struck("never"),
            plain(" "),
            struck("ever"),
            plain(&format!(" send it twice.{} Really.{}", sup(1), sup(2))),
        ])
    );
    let italic = Inline {
        text: "short".into(),
        style: InlineStyle {
            italic: true,
            ..InlineStyle::default()
        },
        link: None,
    };
    assert_eq!(
        doc.blocks[1..],
        [
            heading(2, "Notes"),
            para("[^1] The first reason."),
            para("With a second paragraph."),
            Block::Paragraph(vec![plain("[^2] Second, "), italic, plain(".")]),
            para("[^3] Defined, never cited."),
        ]
    );
}

#[test]
fn links_without_target_are_plain_text_and_unsafe_targets_are_refused() {
    let doc = parse_ok(
        "<p><a>plain</a> <a href=\"\">empty</a> <a href=\"javascript:alert(1)\">js</a> \
            <a href=\" https://e.example/\u{1b}]x \">ok</a> <a href=\"https://unused.example\"></a></p>",
    );
    assert_eq!(
        doc.blocks,
        vec![Block::Paragraph(vec![
            plain("plain empty js "),
            styled("ok", false, Some(0))
        ])]
    );
    assert_eq!(doc.links, vec![link("https://e.example/]x")]);
}

#[test]
fn blank_lines_at_the_ends_of_code_are_kept() {
    let doc = parse_ok("Before.\n\n```text\n\n\nfirst\n\n\nlast\n\n\n```\n");
    assert_eq!(doc.blocks[1], Block::Code("\n\nfirst\n\n\nlast\n\n".into()));
    // The newline right after <pre> is not content; a block of only blanks is nothing.
    let doc = parse_ok("<pre>\nx\n</pre><pre>\n\n</pre>");
    assert_eq!(doc.blocks, vec![Block::Code("x".into())]);
}

#[test]
fn preformatted_text_keeps_its_lines() {
    let doc = parse_ok("<pre>  let a = 1;\n\n\n\tb &lt; c  \n</pre>\n\n```\nfenced <div>\n```\n");
    assert_eq!(
        doc.blocks,
        vec![
            Block::Code("  let a = 1;\n\n\n    b < c".into()),
            Block::Code("fenced <div>".into())
        ]
    );
}

#[test]
fn markdown_bodies_render_like_html() {
    let body = "Intro with *emphasis*, `code` and <b>inline HTML</b>.\n\n\
            > quoted **advice**\n\n\
            1. first\n2. second\n   - nested\n\n\
            | Role | Pay |\n|---|---|\n| Analyst | ~~low~~ fair |\n\n\
            ![A chart](/img/chart.png)\n\n\
            ### Done\n";
    let doc = parse_ok(body);
    let st = |text: &str, f: fn(&mut InlineStyle)| {
        let mut style = InlineStyle::default();
        f(&mut style);
        Inline {
            text: text.to_owned(),
            style,
            link: None,
        }
    };
    let expected = vec![
        Block::Paragraph(vec![
            plain("Intro with "),
            st("emphasis", |s| s.italic = true),
            plain(", "),
            st("code", |s| s.code = true),
            plain(" and "),
            st("inline HTML", |s| s.bold = true),
            plain("."),
        ]),
        Block::Quote(vec![Block::Paragraph(vec![
            plain("quoted "),
            st("advice", |s| s.bold = true),
        ])]),
        Block::List {
            start: Some(1),
            items: vec![
                item("first"),
                vec![
                    para("second"),
                    Block::List {
                        start: None,
                        items: vec![item("nested")],
                    },
                ],
            ],
        },
        Block::Table {
            header: cells(&["Role", "Pay"]),
            rows: vec![vec![
                Cell::new(vec![plain("Analyst")], 0),
                Cell::new(vec![st("low", |s| s.strike = true), plain(" fair")], 1),
            ]],
        },
        Block::Image {
            alt: "A chart".into(),
            src: "/img/chart.png".into(),
        },
        heading(3, "Done"),
    ];
    assert_eq!(doc.blocks, expected);
}

/// A CMS export whose trailer ends with an FAQ widget: `<style>` at column 0, then the
/// widget indented as exports indent it, blank lines and a tag that lost its space.
const FAQ_EXPORT: &str = concat!(
    "<p id=\"\">Follow up once, then let it rest.</p>",
    "<pre>first line\n\n    indented after a blank\n</pre>\n",
    "\n---\n\n## Questions people ask\n\n",
    "<style>\n.faq { color: red }\n.SECRET-STYLE { display: none }\n</style>\n\n",
    "                <div class=\"faq-card\">\n",
    "                    <div class=\"q\">How long should I wait?</div>\n",
    "                    <imgsrc=\"x.svg\" loading=\"lazy\" alt />\n",
    "\n",
    "                    <div class=\"a\">Three business days.</div>\n",
    "                </div>\n",
    "        <script>var SECRET_SCRIPT = 1;</script>\n",
    "\n---\n\n## Related articles\n\n",
    "- [Next one](https://x.example/blog/next-one)\n\n",
    "<https://x.example/blog/auto>\n",
);

#[test]
fn html_in_a_cms_trailer_is_html_whatever_its_indentation() {
    let doc = parse_ok(FAQ_EXPORT);
    assert_eq!(
        doc.blocks,
        vec![
            para("Follow up once, then let it rest."),
            Block::Code("first line\n\n    indented after a blank".into()),
            Block::Rule,
            heading(2, "Questions people ask"),
            para("How long should I wait?"),
            para("Three business days."),
            Block::Rule,
            heading(2, "Related articles"),
            Block::List {
                start: None,
                items: vec![vec![Block::Paragraph(vec![styled(
                    "Next one",
                    false,
                    Some(0)
                )])]],
            },
            Block::Paragraph(vec![styled("https://x.example/blog/auto", false, Some(1))]),
        ]
    );
    let text = all_text(&doc);
    for hidden in ["SECRET", "imgsrc", "color", "<"] {
        assert!(!text.contains(hidden), "{hidden} shown: {text}");
    }
    // The same widget in a plain Markdown file stays what CommonMark says: code.
    let markdown = "Intro.\n\n    <div class=\"q\">A tag shown as code</div>\n";
    assert_eq!(
        parse_ok(markdown).blocks,
        vec![
            para("Intro."),
            Block::Code("<div class=\"q\">A tag shown as code</div>".into())
        ]
    );
}

#[test]
fn a_tag_that_lost_its_space_shows_nothing_and_swallows_nothing() {
    for trailer in [
        "      <div>\n        <imgsrc=\"x.svg\" alt />\n      </div>\n",
        "<div>\n<imgsrc=\"x.svg\" alt />\n</div>\n",
        "<imgsrc=\"x.svg\" alt>\n",
        "<p>para with <imgsrc=\"x.svg\" alt /> inline</p>\n",
        "<div>\n<p>left open\n</div>\n",
    ] {
        let body = format!(
            "<p>Body.</p>\n\n---\n\n## Related articles\n\n{trailer}\n- [Another article](https://careerhub.example/blog/code)\n"
        );
        let text = all_text(&parse(&body).unwrap());
        assert!(!text.contains("imgsrc"), "{trailer:?}: {text}");
        assert!(
            !text.contains("]("),
            "the list stays Markdown: {trailer:?}: {text}"
        );
        assert!(text.contains("Another article"), "{trailer:?}: {text}");
    }
}

#[test]
fn html_regions_end_where_markdown_resumes() {
    let parts = |body| -> Vec<(bool, String)> {
        html_regions(body)
            .into_iter()
            .map(|(h, t)| (h, t.to_owned()))
            .collect()
    };
    assert_eq!(
        parts("<div>\ntext at zero\n</div>\nMarkdown *again*\n"),
        [
            (true, "<div>\ntext at zero\n</div>\n".to_owned()),
            (false, "Markdown *again*\n".to_owned())
        ]
    );
    // Unclosed wrappers end at the trailer's rule; `<pre>` keeps its column-0 lines.
    assert_eq!(
        parts("<div><pre>\n---\n</pre>\n---\n## Next\n"),
        [
            (true, "<div><pre>\n---\n</pre>\n".to_owned()),
            (false, "---\n## Next\n".to_owned())
        ]
    );
    // Fenced code in the trailer is never a region.
    assert_eq!(
        parts("<p>a</p>\n---\n```\n<div>\n```\n"),
        [
            (true, "<p>a</p>\n".to_owned()),
            (false, "---\n```\n<div>\n```\n".to_owned())
        ]
    );
    assert!(!starts_an_html_region("<https://x.example>"));
    assert!(!starts_an_html_region("< b"));
    assert!(starts_an_html_region("<!-- note -->"));
    assert!(starts_an_html_region("</div>"));
    assert!(starts_an_html_region("<img"));
}

#[test]
fn trailer_rule_directly_under_the_html_line_is_a_rule() {
    let doc = parse_ok("<p>body</p>\n---\n## Next\n");
    assert_eq!(
        doc.blocks,
        vec![para("body"), Block::Rule, heading(2, "Next")]
    );
    // A setext heading in plain Markdown is left alone.
    assert_eq!(parse_ok("Title\n---\n").blocks, vec![heading(2, "Title")]);
}

#[test]
fn deeply_nested_divs_are_flattened_fast_and_keep_their_text() {
    for n in [201, 5_000, 20_000] {
        let body = format!(
            "intro\n\n{}<p>The paragraph inside.</p>{}\n\nafter",
            "<div class=\"wrap\">".repeat(n),
            "</div>".repeat(n)
        );
        let started = std::time::Instant::now();
        let doc = parse_ok(&body);
        assert!(
            started.elapsed() < std::time::Duration::from_millis(1500),
            "{n}: {:?}",
            started.elapsed()
        );
        assert_eq!(
            doc.blocks,
            vec![para("intro"), para("The paragraph inside."), para("after")],
            "{n}"
        );
    }
    // Unclosed wrappers (a CMS export that never closes its `<div>`s) keep every paragraph
    // and the Markdown trailer after them.
    let body = format!(
        "{}\n\n---\n\n## Related articles\n\n- [Next](https://n.example/blog/next)\n",
        (0..1_000)
            .map(|i| format!("<div><p>Part {i}.</p>"))
            .collect::<String>()
    );
    let doc = parse_ok(&body);
    let text = all_text(&doc);
    for i in [0, 199, 200, 500, 999] {
        assert!(text.contains(&format!("\"Part {i}.\"")), "{i}");
    }
    assert!(doc.blocks.contains(&heading(2, "Related articles")));
    assert_eq!(doc.links, vec![link("https://n.example/blog/next")]);
}

#[test]
fn flattening_never_reveals_dropped_content_and_handles_split_tags() {
    let deep = "<div>".repeat(MAX_HTML_DEPTH);
    let body = format!(
        "{deep}<section><svg><svg></svg><text>SECRET</text></svg><template>HIDDEN</template>\
             <p>kept</p></section>"
    );
    assert_eq!(parse_ok(&body).blocks, vec![para("kept")]);
    // A Markdown HTML block arrives line by line: a dropped tag may span lines.
    let body = format!(
        "{}\n<div\n class=\"a>b\"\n>\n<p>text after</p>\n</div>\n",
        "<div>".repeat(MAX_HTML_DEPTH)
    );
    assert_eq!(parse_ok(&body).blocks, vec![para("text after")]);
}

#[test]
fn moderate_nesting_still_parses() {
    let body = format!("{}deep text{}", "<div>".repeat(150), "</div>".repeat(150));
    assert_eq!(parse_ok(&body).blocks, vec![para("deep text")]);
    let body = format!(
        "{}deep{}",
        "<blockquote>".repeat(150),
        "</blockquote>".repeat(150)
    );
    assert!(matches!(parse_ok(&body).blocks[..], [Block::Quote(_)]));
}

#[test]
fn unclosed_auto_closing_tags_do_not_count_as_nesting() {
    let body = "<p>para ".repeat(10_000);
    let doc = parse_ok(&body);
    assert_eq!(doc.blocks.len(), 10_000);
    let body = format!(
        "<ul>{}</ul><table>{}</table>",
        "<li>x".repeat(5_000),
        "<tr><td>c".repeat(5_000)
    );
    assert!(parse(&body).is_ok());
    let body = format!(
        "<svg>{}</svg><p>after</p>",
        "<path d=\"M0\"/>".repeat(5_000)
    );
    assert_eq!(parse_ok(&body).blocks, vec![para("after")]);
    let body = format!(
        "<script>{}</script><!-- {} --><p>after</p>",
        "<div>".repeat(5_000),
        "<div>".repeat(5_000)
    );
    assert_eq!(parse_ok(&body).blocks, vec![para("after")]);
}

#[test]
fn text_below_the_walk_limit_is_kept_flat() {
    let dom = html2text::config::plain()
        .parse_html(
            "<div><p>wor<b>d</b>s</p><p>next</p><script>SECRET</script>one<br>two</div>".as_bytes(),
        )
        .unwrap();
    let text = descendant_text(&dom.document);
    assert_eq!(
        text.split_whitespace().collect::<Vec<_>>(),
        ["words", "next", "one", "two"]
    );
    assert!(text.contains("one\ntwo"));
    // Through the walker: past the depth it recurses to, the text still arrives.
    let mut sink = Sink::default();
    let ctx = Ctx {
        depth: MAX_WALK_DEPTH,
        ..Ctx::default()
    };
    Builder::default().children(&dom.document, ctx, &mut sink);
    let blocks = sink.finish();
    assert_eq!(blocks.len(), 1);
    assert!(
        all_text(&Document {
            blocks,
            links: vec![]
        })
        .contains("words next one")
    );
}

#[test]
fn deep_markdown_quotes_and_lists_are_flattened() {
    let body = format!("intro\n\n{} deep words\n", ">".repeat(10_000));
    let started = std::time::Instant::now();
    let doc = parse_ok(&body);
    assert!(started.elapsed() < std::time::Duration::from_millis(1500));
    assert!(all_text(&doc).contains("deep words"), "{doc:?}");
    let body: String = (0..300)
        .map(|i| format!("{}- level {i}\n", "  ".repeat(i)))
        .collect();
    let text = all_text(&parse_ok(&body));
    for i in [0, 150, 299] {
        assert!(text.contains(&format!("level {i}")), "{i}");
    }
    let body: String = (0..10)
        .map(|i| format!("{}- level {i}\n", "  ".repeat(i)))
        .collect();
    let mut blocks = parse_ok(&body).blocks;
    let mut depth = 0;
    while let Some(Block::List { items, .. }) = blocks.pop() {
        depth += 1;
        blocks = items.into_iter().flatten().collect();
    }
    assert_eq!(depth, 10);
}

/// Inputs that once broke (or could break) a parser; none may panic.
pub(crate) fn nasty_bodies() -> Vec<String> {
    let mut bodies: Vec<String> = [
        "",
        " ",
        "\n\n",
        "---",
        "---\n\n## Only trailer\n\n👉 https://t.example",
        "<",
        "<a",
        "</",
        "<!",
        "<!--",
        "<p",
        "<p>unclosed <b>bold <i>both",
        "<table><tr><td>",
        "<table><td>a<tr><th>b<th>c</table>",
        "<ol start=\"-5\"><li>x",
        "<ol start=\"99999999999999999999\"><li>x<li>y",
        "<ol start=\"18446744073709551615\"><li>a<li>b<li>c</ol>",
        "<a href=\"x\"><h2>link in heading</h2></a>",
        "<h2><a href=\"https://h.example\">linked</a> heading</h2>",
        "<div class=\"x>unbalanced quote",
        "<br><br>",
        "<pre></pre><pre>\n</pre>",
        "<img src=\"\">",
        "<iframe src=\"\"></iframe>",
        "&",
        "&amp",
        "&#0;&#xD800;",
        "<p>\u{200D}</p>",
        "\u{FEFF}",
        "https://",
        "http://x",
        "<?xml version=\"1.0\"?><!DOCTYPE html><p>x",
        "<math><mi>x</mi></math>",
        "<table><caption>cap</caption><tr><td>1</td></tr></table>",
        "<figure><img src=\"f.png\"><figcaption>A caption</figcaption></figure>",
        "<blockquote></blockquote>",
        "| a |\n|---|\n| b | c | d |",
        "* * *",
        "- \n- ",
        "1.\n2.",
        "<ul><li><ul><li><ol><li>x",
        "<dl><dt>term<dd>definition</dl>",
        "\u{1b}[2J<p>\u{9b}x\u{202e}y</p>",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    bodies.push(format!("<p>{}</p>", "word ".repeat(200_000)));
    bodies.push(format!(
        "<p>https://long.example/{}</p>",
        "a".repeat(100_000)
    ));
    bodies.push(
        (0..10)
            .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
            .collect(),
    );
    bodies.push(format!("{}x", "<li>".repeat(1000)));
    bodies.push(format!("{}x", "<b>".repeat(150)));
    bodies.push(format!("see https://p.example/{}", ")".repeat(200_000)));
    bodies.push(format!("<p>{}</p>", "<a \"".repeat(100_000)));
    bodies.push(format!(
        "<table>{}</table>",
        "<tr><td colspan=\"64\" rowspan=\"0\">x</td><td>y</td></tr>".repeat(2_000)
    ));
    bodies.push(format!("<div\n>{}", "<svg>\n".repeat(5_000)));
    bodies.push(format!("{}<svg><p>hidden", "<div>".repeat(300)));
    bodies.push("a[^x] b[^y]\n\n[^x]: see[^y]\n\n[^y]: see[^x]\n".to_owned());
    bodies.push("~~open never closed <del>nor this".to_owned());
    bodies.push("<p>x</p>\n        <imgsrc=\"a\" \n   <div\n".to_owned());
    bodies
}

#[test]
fn nasty_inputs_never_panic() {
    for body in nasty_bodies() {
        if let Ok(doc) = parse(&body) {
            assert_no_invisible_text(&doc);
        }
    }
}

/// A tiny deterministic fuzzer: random concatenations of markup fragments.
#[test]
fn random_markup_never_panics() {
    const PIECES: &[&str] = &[
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<ul>",
        "<ol start=\"2\">",
        "<li>",
        "</li>",
        "</ul>",
        "</ol>",
        "<b>",
        "</b>",
        "<a href=\"https://r.example\">",
        "</a>",
        "<br>",
        "\u{200D}",
        "&nbsp;",
        " ",
        "word",
        "📌",
        "<table>",
        "<tr>",
        "<td>",
        "<th>",
        "</table>",
        "<h2>",
        "</h2>",
        "<blockquote>",
        "</blockquote>",
        "<pre>",
        "</pre>",
        "<img src=\"i.png\">",
        "<iframe src=\"https://v.example\">",
        "</iframe>",
        "\n---\n",
        "\n\n",
        "- ",
        "> ",
        "## ",
        "https://bare.example/x ",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<hr>",
        "*",
        "`",
        "[t](https://m.example)",
        "|a|b|\n|-|-|\n",
        "\t",
        "<",
        ">",
        "&",
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..300 {
        let len = (next() % 60) as usize;
        let body: String = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        if let Ok(doc) = parse(&body) {
            assert_no_invisible_text(&doc);
        }
    }
}

fn assert_no_invisible_text(doc: &Document) {
    let mut check = |inline: &mut Inline| {
        assert!(!inline.text.is_empty());
        assert!(
            inline.is_break() || !inline.text.contains(['\n', '\u{A0}', '\u{200B}', '\u{1b}']),
            "{inline:?}"
        );
        if let Some(i) = inline.link {
            assert!(i < doc.links.len());
        }
    };
    let mut blocks = doc.blocks.clone();
    for_each_inline(&mut blocks, &mut check);
}

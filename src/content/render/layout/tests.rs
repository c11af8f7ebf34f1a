use super::*;
use crate::content::render::document::{self, Block, Inline, InlineStyle, Link};
use unicode_width::UnicodeWidthStr;

/// Same fixture as the document tests: a miniature Webflow export with its trailer.
use crate::content::render::document::tests::WEBFLOW;

const LONG_URL: &str = "https://careers.example/blog/an-unusually-long-article-slug-that-will-never-fit-on-one-narrow-line?utm_source=test";

/// A larger body exercising every block kind, for property checks.
fn big_body() -> String {
    let mut body = String::new();
    body.push_str("<h1 id=\"\">Getting <em>hired</em> faster</h1>");
    for i in 0..6 {
        body.push_str(&format!(
                "<p id=\"\">Paragraph {i}: recruiters skim résumés quickly, so lead with impact.&nbsp; \
                 Quantify results (revenue, time saved) and <a href=\"https://x.example/blog/topic-{i}\">read \
                 the guide on impact statements</a> before you apply. 日本語のテキストも折り返す必要があります。\
                 Team 👩\u{200D}💻 pairing and a Supercalifragilisticexpialidociousnessword too.<br>\u{200D}</p>\
                 <p id=\"\">\u{200D}</p>"
            ));
    }
    body.push_str(&format!(
        "<p>Bare link: {LONG_URL} and <a href=\"{LONG_URL}\">{LONG_URL}</a>.</p>"
    ));
    body.push_str("<h2 id=\"\"><strong>Lists</strong></h2><ol start=\"9\">");
    for i in 0..4 {
        body.push_str(&format!(
            "<li>Step {i} with enough words to wrap onto a second line at narrow widths</li>"
        ));
    }
    body.push_str("</ol><ul><li>Top<ul><li>Middle<ul><li>Bottom level item with several words in it</li></ul></li></ul></li></ul>");
    body.push_str("<blockquote><p>Quoted advice that runs long enough to wrap.</p><p>Second quoted paragraph.</p>\
            <ul><li>quoted bullet</li></ul></blockquote>");
    body.push_str("<h3>A <a href=\"https://x.example/blog/tables\">table</a> of options</h3>\
            <table><thead><tr><th>Option</th><th>Effort</th><th>Notes</th></tr></thead><tbody>\
            <tr><td>Referral</td><td>Low</td><td>Ask a former colleague to introduce you to the hiring manager directly</td></tr>\
            <tr><td>Cold email</td><td>Medium effort overall</td><td>Short, specific, and sent on a Tuesday morning</td></tr>\
            <tr><td>Ragged</td></tr></tbody></table>");
    body.push_str("<table><tr><th>a</th><th>b</th><th>c</th><th>d</th><th>e</th><th>f</th><th>g</th></tr>\
            <tr><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td><td>7</td></tr></table>");
    body.push_str("<hr><img src=\"/images/a-very-long-image-file-name-for-the-hero-banner.png\" alt=\"\">\
            <iframe src=\"https://www.youtube.com/embed/xyz\"></iframe>\
            <pre>fn main() {\n    println!(\"a line of code that is much longer than twenty columns\");\n}</pre>");
    body.push_str("<h4>Last</h4><p>One<br><br><br>two</p>\n\n---\n\n## Related articles\n\n");
    body.push_str("- [Questions to ask](https://x.example/blog/questions-to-ask)\n");
    body
}

fn doc_of(body: &str) -> Document {
    let mut doc = match document::parse(body) {
        Ok(doc) => doc,
        Err(e) => panic!("parse failed: {e}"),
    };
    doc.resolve_links(|url| {
        url.strip_prefix("https://x.example/blog/")
            .map(str::to_owned)
    });
    doc
}

#[test]
fn webflow_body_at_40_columns() {
    let doc = document::parse(WEBFLOW).unwrap();
    let expected = "\
Send a short thank-you note within a day
of every interview.

Why a note matters

Hiring teams meet many people in a week.

📌See five note templates [1]

Steps

1. Thank them
2. Recall one topic

Then, a little later:

3. Offer more details

When   │ What
───────┼────────────────
Day 1  │ Thank-you note
Week 2 │ Polite check-in

[image: desk-setup.png]

Embedded video: Follow-up tips [2]

{rule}

Tailor your resume

👉
https://tools.example/resume-tailor [3]

{rule}

Related articles

• Questions to ask at the end [4]
• Salary talks for beginners [5]

Links
[1] https://x.example/blog/note-templates
[2] https://www.youtube.com/embed/abc123
[3] https://tools.example/resume-tailor
[4] https://x.example/blog/questions-to-ask
[5] https://x.example/blog/salary-talks
";
    assert_eq!(
        layout(&doc, 40).plain_text(),
        expected.replace("{rule}", &"─".repeat(40))
    );
}

#[test]
fn webflow_body_at_80_columns_with_internal_links() {
    let doc = doc_of(WEBFLOW);
    let expected = "\
Send a short thank-you note within a day of every interview.

Why a note matters

Hiring teams meet many people in a week.

📌See five note templates [1]

Steps

1. Thank them
2. Recall one topic

Then, a little later:

3. Offer more details

When   │ What
───────┼────────────────
Day 1  │ Thank-you note
Week 2 │ Polite check-in

[image: desk-setup.png]

Embedded video: Follow-up tips [2]

{rule}

Tailor your resume

👉 https://tools.example/resume-tailor [3]

{rule}

Related articles

• Questions to ask at the end [4]
• Salary talks for beginners [5]

Links
[1] https://x.example/blog/note-templates → note-templates
[2] https://www.youtube.com/embed/abc123
[3] https://tools.example/resume-tailor
[4] https://x.example/blog/questions-to-ask → questions-to-ask
[5] https://x.example/blog/salary-talks → salary-talks
";
    let out = layout(&doc, 80);
    assert_eq!(
        out.plain_text(),
        expected.replace("{rule}", &"─".repeat(80))
    );
    let titles: Vec<(u8, &str, usize)> = out
        .toc
        .iter()
        .map(|t| (t.level, t.title.as_str(), t.line))
        .collect();
    assert_eq!(
        titles,
        [
            (2, "Why a note matters", 2),
            (3, "Steps", 8),
            (2, "Tailor your resume", 28),
            (2, "Related articles", 34)
        ]
    );
}

fn styles_of<'a>(out: &'a Layout, text: &str) -> Vec<&'a LayoutSpan> {
    out.lines
        .iter()
        .flat_map(|l| &l.spans)
        .filter(|s| s.text.contains(text))
        .collect()
}

#[test]
fn spans_carry_their_roles() {
    let out = layout(&doc_of(WEBFLOW), 80);
    let heading = styles_of(&out, "Why a note matters");
    assert_eq!(
        heading[0].style,
        SpanStyle {
            heading: Some(2),
            bold: true,
            ..SpanStyle::default()
        }
    );
    let link = styles_of(&out, "See five note templates");
    assert_eq!(
        link[0].style,
        SpanStyle {
            bold: true,
            link: Some(0),
            internal: true,
            ..SpanStyle::default()
        }
    );
    let marker = styles_of(&out, " [1]");
    assert_eq!(
        marker[0].style,
        SpanStyle {
            decoration: true,
            internal: true,
            ..SpanStyle::default()
        }
    );
    let bare = styles_of(&out, "https://tools.example/resume-tailor");
    assert_eq!(bare[0].style.link, Some(2));
    assert!(!bare[0].style.internal);
    for decoration in ["1. ", "• ", "│", "─", "[image: desk-setup.png]"] {
        assert!(
            styles_of(&out, decoration)
                .iter()
                .all(|s| s.style.decoration),
            "{decoration}"
        );
    }
    let slug = styles_of(&out, " → salary-talks");
    assert_eq!(
        slug[0].style,
        SpanStyle {
            decoration: true,
            internal: true,
            ..SpanStyle::default()
        }
    );
    let links = styles_of(&out, "Links");
    assert_eq!(links[0].style.heading, Some(2));
    assert!(out.toc.iter().all(|t| t.title != "Links"));
}

#[test]
fn link_text_and_markers_know_their_link() {
    let out = layout(&doc_of(WEBFLOW), 80);
    let text = styles_of(&out, "See five note templates");
    assert_eq!(text[0].link, Some(0));
    let marker = styles_of(&out, " [1]");
    assert_eq!((marker[0].text.as_str(), marker[0].link), (" [1]", Some(0)));
    assert_eq!(
        marker[0].style.link, None,
        "a marker is not drawn as link text"
    );
    for (needle, link) in [
        ("[5] ", Some(4)),
        ("https://x.example/blog/salary-talks", Some(4)),
        (" → salary-talks", Some(4)),
        ("Hiring teams", None),
        ("Why a note matters", None),
        ("1. ", None),
    ] {
        assert_eq!(styles_of(&out, needle)[0].link, link, "{needle}");
    }
    // Whatever is drawn as link text follows that link.
    for span in out.lines.iter().flat_map(|l| &l.spans) {
        if span.style.link.is_some() {
            assert_eq!(span.link, span.style.link, "{span:?}");
        }
    }
}

#[test]
fn markers_of_neighbouring_links_stay_apart() {
    let doc = doc_of(
        "<p>Read <a href=\"https://a.example/\">this</a><a href=\"https://b.example/\"> </a> \
             and <a href=\"https://c.example/\">Supercalifragilisticexpialidocious</a></p>",
    );
    let out = layout(&doc, 20);
    assert_eq!(
        out.plain_text(),
        "Read this [1] [2]\nand\nSupercalifragilistic\nexpialidocious [3]\n\nLinks\n\
             [1] https://a.example/\n[2] https://b.example/\n[3] https://c.example/\n"
    );
    let first: Vec<(&str, Option<usize>)> = out.lines[0]
        .spans
        .iter()
        .map(|s| (s.text.as_str(), s.link))
        .collect();
    assert_eq!(
        first,
        [
            ("Read ", None),
            ("this", Some(0)),
            (" [1]", Some(0)),
            (" [2]", Some(1))
        ]
    );
    // A link word broken over two lines belongs to its link on both.
    for line in &out.lines[2..4] {
        assert!(line.spans.iter().all(|s| s.link == Some(2)), "{line:?}");
    }
}

#[test]
fn every_line_knows_its_section() {
    let out = layout(&doc_of(WEBFLOW), 80);
    for (i, line) in out.lines.iter().enumerate() {
        let expected = out.toc.iter().rposition(|t| t.line <= i);
        assert_eq!(line.section, expected, "line {i}: {}", line.text());
    }
    assert_eq!(out.lines[0].section, None);
}

/// Checks the promises of [`layout`] and [`Layout::plain_text`] on one result.
fn check_properties(out: &Layout, width: usize) {
    let text = out.plain_text();
    for bad in [
        "<", "&nbsp;", "&amp;", "&lt;", "&gt;", "\u{A0}", "\u{200B}", "\u{1b}",
    ] {
        assert!(
            !text.contains(bad),
            "width {width}: {bad:?} left in\n{text}"
        );
    }
    let lines: Vec<String> = out.lines.iter().map(LayoutLine::text).collect();
    assert!(!lines.is_empty());
    assert!(
        !lines[0].is_empty() && !lines[lines.len() - 1].is_empty(),
        "blank at an edge"
    );
    for (i, line) in lines.iter().enumerate() {
        let visible = line.chars().any(|c| !c.is_whitespace() && c != '\u{200D}');
        assert!(
            line.is_empty() || visible,
            "width {width}: line {i} is only whitespace: {line:?}"
        );
        assert_eq!(line.trim_end(), line, "trailing whitespace on line {i}");
        // Code keeps runs of blank lines; everywhere else blanks never double.
        let in_code = |k: usize| out.lines[k].spans.iter().any(|s| s.style.code);
        let code_above = (0..i)
            .rev()
            .find(|&k| !lines[k].is_empty())
            .is_some_and(in_code);
        if i > 0 && !code_above {
            assert!(
                !(line.is_empty() && lines[i - 1].is_empty()),
                "width {width}: two blank lines at {i}"
            );
        }
        if line.width() > width {
            let url = line
                .split_whitespace()
                .any(|w| w.starts_with("https://") && w.width() > width / 2);
            assert!(
                url,
                "width {width}: line {i} is {} wide: {line:?}",
                line.width()
            );
        }
    }
    for entry in &out.toc {
        let line = &out.lines[entry.line];
        assert!(
            line.spans
                .iter()
                .any(|s| s.style.heading == Some(entry.level)),
            "{entry:?}"
        );
        let first_word = entry.title.split(' ').next().unwrap_or_default();
        assert!(
            line.text().contains(first_word),
            "{entry:?} -> {}",
            line.text()
        );
    }
}

#[test]
fn big_body_keeps_its_promises_at_every_width() {
    let doc = doc_of(&big_body());
    for width in [20, 33, 60, 80, 120] {
        let out = layout(&doc, width);
        assert_eq!(usize::from(out.width), usize::from(width));
        check_properties(&out, usize::from(width));
        let lines: Vec<String> = out.lines.iter().map(LayoutLine::text).collect();
        // The long URL is never split: whole in the text (twice: bare and as link text) and
        // in the links list.
        assert!(
            lines.iter().filter(|l| l.contains(LONG_URL)).count() >= 3,
            "width {width}"
        );
        // Markers stay attached: no body line starts with one.
        let footer = lines.iter().position(|l| l == "Links").unwrap();
        for line in &lines[..footer] {
            let t = line.trim_start_matches(['│', ' ', '•']);
            assert!(
                !(t.starts_with('[') && t[1..].starts_with(|c: char| c.is_ascii_digit())),
                "{line:?}"
            );
        }
        assert!(lines.iter().any(|l| l.contains("👩\u{200D}💻")));
        // The options table needs 30 columns side by side; narrower, it is stacked.
        if width >= 33 {
            assert!(
                lines.iter().any(|l| l.contains('┼')),
                "width {width}: no table grid"
            );
        } else {
            assert!(lines.iter().any(|l| l == "Option: Referral"), "{lines:#?}");
        }
        let text = out.plain_text();
        assert!(text.contains("Supercalifragilistic") || width < 40);
    }
}

#[test]
fn nasty_documents_lay_out_within_bounds() {
    let bodies = [
        String::new(),
        "---".to_owned(),
        format!("<p>{}</p>", "word ".repeat(20_000)),
        (0..10)
            .map(|i| format!("{}- level {i} with words\n", "  ".repeat(i)))
            .collect(),
        format!(
            "{}deep{}",
            "<blockquote>".repeat(40),
            "</blockquote>".repeat(40)
        ),
        "<ol start=\"18446744073709551615\"><li>a<li>b<li>c</ol>".to_owned(),
        "<table><tr><td>x</td></tr><tr><td></td><td>y</td><td>z</td></tr></table>".to_owned(),
        format!("<table><tr>{}</tr></table>", "<td>cell</td>".repeat(40)),
        format!("<pre>{}</pre>", "\u{200D}\n   \n\n\nx\t\ty".repeat(3)),
    ];
    for body in &bodies {
        let doc = doc_of(body);
        for width in [0, 20, 21, 33, 80, 2000] {
            let out = layout(&doc, width);
            let w = usize::from(width.clamp(MIN_WIDTH, MAX_WIDTH));
            assert_eq!(usize::from(out.width), w);
            if !out.lines.is_empty() {
                check_properties(&out, w);
            }
        }
    }
}

#[test]
fn ordered_markers_align_to_the_widest_number() {
    let doc = doc_of("<ol start=\"9\"><li>nine</li><li>ten is a longer item that wraps</li></ol>");
    assert_eq!(
        layout(&doc, 20).plain_text(),
        " 9. nine\n10. ten is a longer\n    item that wraps\n"
    );
}

#[test]
fn nested_lists_indent_two_more_and_quotes_get_bars() {
    let doc = doc_of(
        "<ul><li>top item<ul><li>inner item that wraps here</li></ul></li></ul>\
            <blockquote><p>quoted text that wraps</p><p>again</p></blockquote>",
    );
    let out = layout(&doc, 20);
    let expected = "• top item\n  • inner item that\n    wraps here\n\n│ quoted text that\n│ wraps\n│\n│ again\n";
    assert_eq!(out.plain_text(), expected);
    let quoted = styles_of(&out, "again");
    assert!(quoted[0].style.quote);
    assert!(
        styles_of(&out, "│")
            .iter()
            .all(|s| s.style.quote && s.style.decoration)
    );
}

#[test]
fn very_deep_nesting_keeps_text_room() {
    let body: String = (0..10)
        .map(|i| format!("{}- level {i}\n", "  ".repeat(i)))
        .collect();
    let out = layout(&doc_of(&body), 20);
    for line in out.lines.iter().map(LayoutLine::text) {
        assert!(line.width() <= 20, "{line:?}");
    }
    assert!(out.plain_text().contains("level 9"));
}

/// Runs of letters and digits, the words the "nothing lost" checks count.
fn words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    words.sort();
    words
}

const FOLLOW_UP_TABLE: &str = "<table><tr><th>Step</th><th>Message</th><th>Timing</th></tr>\
        <tr><td>Close-the-loop note</td><td>A short message that thanks them and restates your \
        interest in the role</td><td>Two weeks after</td></tr></table>";

#[test]
fn tables_give_each_column_its_longest_word_and_share_the_rest() {
    let doc = doc_of(FOLLOW_UP_TABLE);
    let expected = "\
Step             │ Message                       │ Timing
─────────────────┼───────────────────────────────┼──────────
Close-the-loop   │ A short message that thanks   │ Two weeks
note             │ them and restates your        │ after
                 │ interest in the role          │
";
    assert_eq!(layout(&doc, 60).plain_text(), expected);
    let all = words(&layout(&doc, 1000).plain_text());
    for width in [20, 30, 40, 45, 60, 80] {
        assert_eq!(
            words(&layout(&doc, width).plain_text()),
            all,
            "width {width}"
        );
    }
}

#[test]
fn tables_whose_words_cannot_stand_side_by_side_are_stacked() {
    let doc = doc_of(FOLLOW_UP_TABLE);
    let expected = "\
Step: Close-the-loop
  note
Message: A short
  message that
  thanks them and
  restates your
  interest in the
  role
Timing: Two weeks
  after
";
    let out = layout(&doc, 20);
    assert_eq!(out.plain_text(), expected);
    assert!(styles_of(&out, "Message:")[0].style.bold);
    // Rows are separated; a table without a header stacks bare values.
    let doc = doc_of(
        "<table><tr><td>Referral</td><td>Strongest</td></tr>\
             <tr><td>Application</td><td>Weakest</td></tr></table>",
    );
    assert_eq!(
        layout(&doc, 20).plain_text(),
        "Referral\nStrongest\n\nApplication\nWeakest\n"
    );
}

#[test]
fn stacked_fields_keep_column_order_and_wide_tables_stack_whole() {
    let doc = doc_of(
        "<table><tr><th></th><th>Role</th><th>Salary notes</th></tr>\
             <tr><td>first-cell</td><td>Analyst</td><td>Ask about the bonus</td></tr></table>",
    );
    let text = layout(&doc, 20).plain_text();
    let first = text.find("first-cell").unwrap();
    assert!(first < text.find("Role:").unwrap(), "{text}");
    // A thousand columns stack in one pass and lose nothing (beyond 1000, the grid's cap,
    // cells share the last column but keep their text).
    let n = 1000;
    let head: String = (0..n).map(|i| format!("<th>c{i}</th>")).collect();
    let row: String = (0..n).map(|i| format!("<td>v{i}</td>")).collect();
    let doc = doc_of(&format!("<table><tr>{head}</tr><tr>{row}</tr></table>"));
    let text = layout(&doc, 60).plain_text();
    for i in [0, 500, 999] {
        assert!(text.contains(&format!("c{i}: v{i}\n")), "column {i}");
    }
}

#[test]
fn table_spans_alignment_and_wide_characters() {
    let doc = doc_of(
        "<table><tr><th>Plan</th><th>Month</th><th>Year</th></tr>\
             <tr><td rowspan=\"2\">Basic</td><td>5</td><td>50</td></tr>\
             <tr><td colspan=\"2\">Same price, billed monthly</td></tr>\
             <tr><td>Pro</td><td align=\"right\">9</td><td style=\"text-align: center\">90</td></tr>\
             </table>",
    );
    let expected = "\
Plan  │ Month        │ Year
──────┼──────────────┼────────────
Basic │ 5            │ 50
      │ Same price, billed monthly
Pro   │            9 │     90
";
    assert_eq!(layout(&doc, 80).plain_text(), expected);
    let doc = doc_of(
        "| Item | Cost | Note |\n|:--|--:|:-:|\n| Coffee | 3 | ok |\n| Lunch | 12 | fine |\n",
    );
    let expected = "\
Item   │ Cost │ Note
───────┼──────┼─────
Coffee │    3 │  ok
Lunch  │   12 │ fine
";
    assert_eq!(layout(&doc, 80).plain_text(), expected);
    // CJK and emoji take two columns each: the bars line up on screen.
    let doc = doc_of(
        "<table><tr><td>日本語</td><td>x</td></tr><tr><td>ab</td><td>y</td></tr>\
             <tr><td>📌 pin</td><td>z</td></tr></table>",
    );
    let out = layout(&doc, 80);
    let bars: Vec<usize> = out
        .lines
        .iter()
        .map(|l| {
            let text = l.text();
            text[..text.find('│').unwrap()].width()
        })
        .collect();
    assert_eq!(bars, [7, 7, 7], "{}", out.plain_text());
}

#[test]
fn tables_shrink_to_fit_by_wrapping_cells() {
    let doc = doc_of(
        "<table><tr><th>Name</th><th>Description</th></tr>\
            <tr><td>Alpha</td><td>a rather long description of alpha</td></tr></table>",
    );
    let out = layout(&doc, 24);
    let expected = "\
Name  │ Description
──────┼─────────────────
Alpha │ a rather long
      │ description of
      │ alpha
";
    assert_eq!(out.plain_text(), expected);
    assert!(styles_of(&out, "Name")[0].style.bold);
}

#[test]
fn code_wraps_with_a_continuation_mark_and_loses_nothing() {
    let sql = "SELECT id\n\n\n    WHERE status = 'paid'   -- tab-indented note here\nx";
    let doc = doc_of(&format!("<pre>{sql}</pre>"));
    let out = layout(&doc, 20);
    let expected = "\
SELECT id


    WHERE status =
↪ 'paid'   --
↪ tab-indented note
↪ here
x
";
    assert_eq!(out.plain_text(), expected);
    // Every character is there: joining each continuation to its line gives the source.
    let rejoined = out
        .plain_text()
        .trim_end()
        .replace(&format!("\n{CODE_CONTINUATION}"), "");
    assert_eq!(rejoined, sql);
    let spans: Vec<&LayoutSpan> = out.lines.iter().flat_map(|l| &l.spans).collect();
    assert!(spans.iter().all(|s| s.style.code));
    assert!(
        spans
            .iter()
            .filter(|s| s.text == CODE_CONTINUATION)
            .all(|s| s.style.decoration)
    );
    // A word longer than the column is cut by character, still marked.
    let long = "x".repeat(45);
    let out = layout(&doc_of(&format!("<pre>{long}</pre>")), 20);
    assert_eq!(
        out.plain_text(),
        format!(
            "{}\n↪{}\n↪{}\n",
            "x".repeat(20),
            "x".repeat(19),
            "x".repeat(6)
        )
    );
    // Inside a list the column is narrower, and the mark follows the indentation.
    let out = layout(
        &doc_of("<ul><li><pre>abcdefghijklmnopqrstuvwxyz</pre></li></ul>"),
        20,
    );
    assert_eq!(out.plain_text(), "• abcdefghijklmnopqr\n  ↪stuvwxyz\n");
}

#[test]
fn the_screen_link_list_wraps_long_urls_under_themselves() {
    let url = "https://app.example/auth/signup?_gl=1*1gq40tx*_ga*NzAwMjQ5NDA5LjE3NDg5MzcwODM";
    let doc = doc_of(&format!(
        "<p><a href=\"{url}\">Sign up</a> and <a href=\"https://x.example/blog/a-rather-long-article-slug\">read</a></p>"
    ));
    let out = layout_for_screen(&doc, 40);
    let footer: Vec<String> = out
        .lines
        .iter()
        .map(LayoutLine::text)
        .skip_while(|l| l != "Links")
        .collect();
    let expected = [
        "Links",
        "[1] https://app.example/auth/signup?_gl=",
        "    1*1gq40tx*_ga*",
        "    NzAwMjQ5NDA5LjE3NDg5MzcwODM",
        "[2] https://x.example/blog/a-rather-",
        "    long-article-slug",
        "    → a-rather-long-article-slug",
    ];
    assert_eq!(footer, expected);
    for line in &out.lines {
        assert!(line.text().width() <= 40, "{}", line.text());
    }
    // Every piece of an entry follows its link when clicked.
    let last = out.lines.len() - 1;
    for line in &out.lines[last - 5..] {
        assert!(line.spans.iter().all(|s| s.link.is_some()), "{line:?}");
    }
    // Printed output keeps URLs whole for copying.
    let printed = layout(&doc, 40).plain_text();
    assert!(printed.contains(&format!("[1] {url}\n")), "{printed}");
}

#[test]
fn strikes_keep_their_marks_and_images_their_place() {
    let doc = doc_of(
        "<p>Then <del>never</del> always follow up; <s>do not <a href=\"https://y.example/\">skip \
             it</a></s> ever. See <a href=\"https://x.example/badge\"><img src=\"/b/badge.svg\"></a>\
             <img src=\"c.png\" alt=\"weekly chart\">.</p>",
    );
    let out = layout(&doc, 40);
    let expected = "\
Then ~~never~~ always follow up; ~~do
not skip it~~ [1] ever. See
[image: badge.svg] [2] [image: weekly
chart].
";
    let text = out.plain_text();
    assert_eq!(&text[..text.find("\n\nLinks").unwrap() + 1], expected);
    let struck = styles_of(&out, "never");
    assert!(struck[0].style.strike && !struck[0].style.decoration);
    for mark in styles_of(&out, "~~") {
        assert!(mark.style.decoration && !mark.style.strike, "{mark:?}");
    }
    let badge = styles_of(&out, "badge.svg]");
    assert!(badge[0].style.decoration);
    assert_eq!(badge[0].link, Some(1));
}

#[test]
fn long_words_break_but_urls_do_not() {
    let word = "x".repeat(45);
    let doc = doc_of(&format!("<p>{word} {LONG_URL} end</p>"));
    let out = layout(&doc, 20);
    let lines: Vec<String> = out.lines.iter().map(LayoutLine::text).collect();
    assert_eq!(
        &lines[..5],
        [
            "x".repeat(20),
            "x".repeat(20),
            "x".repeat(5),
            format!("{LONG_URL} [1]"),
            "end".to_owned()
        ]
    );
}

#[test]
fn hand_built_documents_are_safe() {
    // Out-of-range links, odd heading levels and raw control characters must not panic or
    // leak; layout must not rely on the parser's clean-up.
    let span = |text: &str, link| Inline {
        text: text.into(),
        style: InlineStyle::default(),
        link,
    };
    let doc = Document {
        blocks: vec![
            Block::Heading {
                level: 0,
                text: vec![span("zero", None)],
            },
            Block::Heading {
                level: 9,
                text: vec![span("\u{200B}", None)],
            },
            Block::Paragraph(vec![
                span("a\u{1b}b", Some(7)),
                span("\n", None),
                span("   ", None),
            ]),
            Block::List {
                start: Some(u64::MAX),
                items: vec![vec![], vec![]],
            },
            Block::Table {
                header: vec![],
                rows: vec![vec![]],
            },
            Block::Code("\n\n\t\n".into()),
        ],
        links: vec![Link {
            url: "https://l.example/\u{1b}".into(),
            internal: Some("s\u{7}".into()),
        }],
    };
    for width in [0, 20, 80] {
        let out = layout(&doc, width);
        assert!(!out.plain_text().contains(['\u{1b}', '\u{7}']));
        assert_eq!(out.toc.len(), 1);
        assert_eq!(out.toc[0].level, 1);
    }
}

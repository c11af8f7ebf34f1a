//! Small libraries in the exact shapes other static-site generators write (fixtures of our
//! own writing under `tests/fixtures/`): each loads completely, with dates, and no template
//! syntax reaches the reader.

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn careerhub(dir: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("careerhub").expect("binary built");
    cmd.env("NO_COLOR", "1");
    // The index cache of fixture folders stays out of the real cache folder.
    cmd.env(
        "XDG_CACHE_HOME",
        std::env::temp_dir().join("careerhub-test-cache"),
    );
    cmd.arg("--content").arg(dir);
    cmd
}

/// `list --json` of a fixture: (slug, title, date) rows, newest first.
fn list(name: &str) -> Vec<(String, String, String)> {
    let out = careerhub(&fixture(name))
        .args(["list", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["slug"].as_str().unwrap().to_owned(),
                a["title"].as_str().unwrap().to_owned(),
                a["date"].as_str().unwrap_or("undated").to_owned(),
            )
        })
        .collect()
}

fn read(name: &str, slug: &str) -> String {
    let out = careerhub(&fixture(name))
        .args(["read", slug, "--width", "100"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

/// `check` of a fixture: its summary line (stderr's first line) and whether it passed.
fn check_summary(name: &str) -> String {
    let out = careerhub(&fixture(name))
        .arg("check")
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    let first = err.lines().next().unwrap_or_default();
    first
        .split_once(": ")
        .and_then(|(_, rest)| rest.split_once(": "))
        .map_or(first.to_owned(), |(_, summary)| summary.to_owned())
}

fn rows(expected: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    expected
        .iter()
        .map(|(s, t, d)| (s.to_string(), t.to_string(), d.to_string()))
        .collect()
}

/// Every article's text, with no template syntax left.
fn assert_no_template_syntax(name: &str) {
    for (slug, _, _) in list(name) {
        let text = read(name, &slug);
        for raw in [
            "{{<",
            "{{%",
            "{%",
            "%}",
            ">}}",
            "{#",
            "import ",
            "export const",
            "<Chart",
        ] {
            assert!(!text.contains(raw), "{name}/{slug} shows {raw:?}:\n{text}");
        }
    }
}

#[test]
fn hugo_site_with_yaml_json_toml_dated_folders_bundles_and_shortcodes() {
    assert_eq!(
        list("hugo"),
        rows(&[
            (
                "offer-letter-checklist",
                "The offer letter checklist",
                "2023-05-17"
            ),
            (
                "remote-onboarding",
                "Remote onboarding, week by week",
                "2022-11-02"
            ),
            (
                "salary-bands-explained",
                "Salary bands & what they hide",
                "2021-03-09"
            ),
            (
                "first-interview-notes",
                "First interview notes",
                "2020-01-20"
            ),
            (
                "networking-for-introverts",
                "Networking Q&A for introverts",
                "2019-07-04"
            ),
        ])
    );
    assert_eq!(
        check_summary("hugo"),
        "5 articles, 2 section pages skipped; 0 errors, 0 warnings"
    );
    assert_no_template_syntax("hugo");
    let bands = read("hugo", "salary-bands-explained");
    // `ref`/`relref` become internal links to the articles they name.
    assert!(
        bands.contains("/offer-letter-checklist → offer-letter-checklist"),
        "{bands}"
    );
    assert!(
        bands.contains("/remote-onboarding → remote-onboarding"),
        "{bands}"
    );
    assert!(
        bands.contains("[image: Three overlapping bands]"),
        "{bands}"
    );
    assert!(
        bands.contains("Ask where in the band the offer sits."),
        "{bands}"
    );
    assert!(
        bands.contains("https://www.youtube.com/watch?v=Xk3pQ8vR2tA"),
        "{bands}"
    );
    let checklist = read("hugo", "offer-letter-checklist");
    assert!(
        checklist.contains("start date / base / bonus"),
        "{checklist}"
    );
    // The bundle links back, so the related list shows it as a backlink.
    let related = careerhub(&fixture("hugo"))
        .args(["related", "salary-bands-explained"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8(related)
            .unwrap()
            .contains("remote-onboarding")
    );
}

#[test]
fn zola_site_with_toml_bundles_sections_and_taxonomies() {
    assert_eq!(
        list("zola"),
        rows(&[
            ("first-90-days", "The first 90 days", "2023-01-12"),
            (
                "negotiating-a-counter-offer",
                "Negotiating a counter-offer",
                "2022-04-04"
            ),
            (
                "portfolio-reviews",
                "Portfolio reviews that help",
                "2021-08-30"
            ),
            (
                "reading-a-job-ad",
                "Reading a job ad between the lines",
                "2020-10-05"
            ),
        ])
    );
    assert_eq!(
        check_summary("zola"),
        "4 articles, 2 section pages skipped; 0 errors, 0 warnings"
    );
    // Taxonomies are facets, and a value with a space is searchable quoted.
    let out = careerhub(&fixture("zola"))
        .args(["search", "tag:\"job search\"", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let hits: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(hits[0]["slug"], "reading-a-job-ad");
    assert_eq!(hits.as_array().unwrap().len(), 1);
    // The same when the shell kept `'tag:job search'` as one argument.
    let out = careerhub(&fixture("zola"))
        .args(["search", "tag:job search", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let hits: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(hits.as_array().unwrap().len(), 1);
}

#[test]
fn jekyll_posts_folder_of_markdown_files_dated_by_name() {
    assert_eq!(
        list("jekyll"),
        rows(&[
            (
                "a-year-of-applications",
                "A year of applications, counted",
                "2020-01-06"
            ),
            ("job-fair-tips", "Job fair tips", "2019-10-21"),
            (
                "reference-calls",
                "Reference calls: what they really ask",
                "2018-05-02"
            ),
            (
                "cover-letter-openers",
                "Cover letter openers that get read",
                "2018-02-14"
            ),
        ])
    );
    // Two posts give a list as one text, which Jekyll allows: split, with a warning each.
    assert_eq!(check_summary("jekyll"), "4 articles; 0 errors, 2 warnings");
    assert_no_template_syntax("jekyll");
    let openers = read("jekyll", "cover-letter-openers");
    assert!(
        openers.contains("/reference-calls → reference-calls"),
        "{openers}"
    );
    assert!(openers.contains("Read more at /archive/."), "{openers}");
    assert!(!openers.contains("site.title"), "{openers}");
}

#[test]
fn eleventy_blog_with_liquid_and_description_beside_excerpt() {
    assert_eq!(
        list("eleventy"),
        rows(&[
            (
                "hiring-freeze",
                "Job hunting in a hiring freeze",
                "2023-03-05"
            ),
            ("finding-a-mentor", "Finding a mentor", "2022-09-30"),
            (
                "switching-industries",
                "Switching industries without starting over",
                "2021-06-01"
            ),
            (
                "explaining-a-resume-gap",
                "Explaining a resume gap",
                "2020-04-13"
            ),
        ])
    );
    assert_eq!(
        check_summary("eleventy"),
        "4 articles; 0 errors, 0 warnings"
    );
    let gap = read("eleventy", "explaining-a-resume-gap");
    assert!(
        gap.contains("[image: A calendar with a blank month]"),
        "{gap}"
    );
    assert!(gap.contains("[1] /about/"), "{gap}");
    assert!(!gap.contains("{%") && !gap.contains("cta.njk"), "{gap}");
    // `{% raw %}` shows what it holds as written: that is its purpose.
    assert!(
        read("eleventy", "finding-a-mentor")
            .contains("Template tip: {{ title }} prints the title.")
    );
}

#[test]
fn astro_blog_with_mdx() {
    assert_eq!(
        list("astro"),
        rows(&[
            (
                "markdown-style-guide",
                "House style for career guides",
                "2024-06-19"
            ),
            ("using-mdx", "Charts in interview debriefs", "2024-06-01"),
            ("second-post", "Second post", "2022-07-15"),
            ("first-post", "First post", "2022-07-08"),
        ])
    );
    assert_eq!(check_summary("astro"), "4 articles; 0 errors, 0 warnings");
    assert_no_template_syntax("astro");
    let mdx = read("astro", "using-mdx");
    assert!(
        mdx.contains("Scores from a debrief say more as a chart"),
        "{mdx}"
    );
    assert!(mdx.contains("The panel agreed on everything"), "{mdx}");
    assert!(mdx.contains("About the panel"), "{mdx}");
    assert!(!mdx.contains("a note for editors"), "{mdx}");
    let second = read("astro", "second-post");
    assert!(
        second.contains("Two hours, and say so in the brief."),
        "{second}"
    );
}

#[test]
fn nextjs_mdx_blog_with_exported_meta_and_page_files() {
    assert_eq!(
        list("nextjs"),
        rows(&[
            (
                "asking-for-feedback",
                "Asking for feedback after a rejection",
                "2023-04-11"
            ),
            (
                "writing-a-brag-document",
                "Writing a brag document before review season",
                "2022-12-01"
            ),
        ])
    );
    assert_eq!(check_summary("nextjs"), "2 articles; 0 errors, 0 warnings");
    assert_no_template_syntax("nextjs");
    let text = read("nextjs", "asking-for-feedback");
    assert!(text.contains("Keep the note to three sentences"), "{text}");
    assert!(
        !text.contains("ArticleLayout") && !text.contains("meta.title"),
        "{text}"
    );
    let out = careerhub(&fixture("nextjs"))
        .args(["list", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        v[0]["description"],
        "A short note, sent once, that sometimes gets an honest answer."
    );
}

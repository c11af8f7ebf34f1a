//! Usage edges of the CLI, through the real binary: `--limit` bounds and the messages of a
//! library without facets.

use assert_cmd::Command;
use predicates::prelude::*;

mod cli_support;
use cli_support::careerhub;

fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn a_limit_of_zero_is_refused_naming_the_flag_and_the_range() {
    for args in [
        &["list", "--limit", "0"][..],
        &["search", "interview", "--limit", "0"],
        &["search", "--in", "body", "interview", "--limit", "0"],
    ] {
        careerhub()
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(
                "invalid value '0' for '--limit <N>': must be at least 1 (0 would show nothing; \
                 leave --limit out for the default)",
            ));
    }
    careerhub()
        .args(["list", "--limit", "some"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid value 'some' for '--limit <N>': not a whole number: give a count of at least 1",
        ));
}

#[test]
fn list_limit_keeps_the_newest_articles() {
    let all = stdout_of(careerhub().arg("list"));
    let all: Vec<&str> = all.lines().collect();
    assert!(
        all.len() > 3,
        "the built-in library has more than 3 articles"
    );
    let three = stdout_of(careerhub().args(["list", "--limit", "3"]));
    assert_eq!(three.lines().collect::<Vec<_>>(), all[..3]);
    // Filters first, then the limit.
    let analysts = stdout_of(careerhub().args(["list", "--role", "data-analyst"]));
    let first = stdout_of(careerhub().args(["list", "--role", "data-analyst", "--limit", "1"]));
    assert_eq!(first.lines().next(), analysts.lines().next());
    assert_eq!(first.lines().count(), 1);
    // A limit over the count lists them all.
    let many = stdout_of(careerhub().args(["list", "--limit", "100000"]));
    assert_eq!(many.lines().count(), all.len());
    let search = stdout_of(careerhub().args(["search", "interview", "--limit", "2"]));
    assert_eq!(search.lines().count(), 2);
}

/// A folder of two articles with no `tags`, `category`, `categories` or `topics`.
fn folder_without_facets() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plain-one.md"),
        "---\ntitle: A Plain Note\npubDate: 2025-02-01\n---\n<p>Keep a list of people you met.</p>\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("plain-two.md"),
        "---\ntitle: Another Plain Note\n---\nWrite down what each interviewer asked.\n",
    )
    .unwrap();
    dir
}

const HOW_FACETS_ARE_SET: &str = "facets come from frontmatter keys: `tags` (a list, or a map \
     of facet name to values such as `tags: {role: [data-analyst]}`), `category`, \
     `categories`, `topics`\n";

#[test]
fn facets_of_a_library_without_any_say_so_and_how_they_are_set() {
    let dir = folder_without_facets();
    let place = dir.path().display().to_string();
    careerhub()
        .arg("--content")
        .arg(dir.path())
        .arg("facets")
        .assert()
        .success()
        .stdout("")
        .stderr(format!(
            "careerhub: no facets in {place}: none of its 2 articles has any; {HOW_FACETS_ARE_SET}"
        ));
    // JSON stays a document on stdout; the note still goes to stderr.
    careerhub()
        .arg("--content")
        .arg(dir.path())
        .args(["facets", "--json"])
        .assert()
        .success()
        .stdout("{}\n")
        .stderr(predicate::str::contains("no facets in "));
    std::fs::remove_file(dir.path().join("plain-two.md")).unwrap();
    careerhub()
        .arg("--content")
        .arg(dir.path())
        .arg("facets")
        .assert()
        .success()
        .stderr(format!(
            "careerhub: no facets in {place}: its one article has none; {HOW_FACETS_ARE_SET}"
        ));
}

#[test]
fn no_match_in_a_library_without_facets_ends_in_a_whole_sentence() {
    let dir = folder_without_facets();
    for (args, what) in [
        (&["list", "--role", "data-analyst"][..], "role=data-analyst"),
        (
            &["search", "role:data-analyst"],
            "the search `role:data-analyst`",
        ),
    ] {
        careerhub()
            .arg("--content")
            .arg(dir.path())
            .args(args)
            .assert()
            .success()
            .stdout("")
            .stderr(format!(
                "careerhub: no articles match {what}: the articles here have no facets; \
                 {HOW_FACETS_ARE_SET}"
            ));
    }
}

#[test]
fn facets_of_a_library_with_facets_print_no_note() {
    careerhub()
        .arg("facets")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("role\n"))
        .stderr("");
}

/// A limit as large as a count can be (or larger) shows everything: it once sized the body
/// search's result heap and aborted with a capacity overflow.
#[test]
fn a_huge_limit_shows_everything_and_never_aborts() {
    let all = stdout_of(
        careerhub()
            .args(["search", "--in", "body", "interview"])
            .args(["--limit", "1000"]),
    );
    for limit in ["18446744073709551615", "99999999999999999999999"] {
        for within in ["all", "body", "title"] {
            let shown = stdout_of(careerhub().args([
                "search",
                "--in",
                within,
                "interview",
                "--limit",
                limit,
            ]));
            assert!(!shown.is_empty(), "{within} {limit}");
            if within == "body" {
                assert_eq!(shown, all, "{limit}");
            }
        }
        let listed = stdout_of(careerhub().args(["list", "--limit", limit]));
        assert_eq!(listed, stdout_of(careerhub().arg("list")));
    }
}

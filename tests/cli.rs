//! The CLI contract, through the real binary.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

mod cli_support;
use cli_support::careerhub;

fn json(cmd: &mut Command) -> Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).expect("valid JSON")
}

const GOOD: &str = "---\ntitle: \"Good: One\"\nslug: good-one\ndescription: A good article.\ncanonical: \"https://careerhub.example/blog/good-one\"\npubDate: 2025-05-01\ncategory: interviewing\ndraft: false\narchived: false\ntags:\n  role:\n    - data-analyst\n  intent:\n    - interview\n---\n<p id=\"\">Hello&nbsp;there.</p>\n\n---\n\n## Related articles\n\n- [Two](https://careerhub.example/blog/good-two)\n";
const GOOD2: &str = "---\ntitle: Good Two\npubDate: 2025-06-01\ncategory: interviewing\ntags:\n  role: [data-analyst]\n---\n<p>Second.</p>\n";

/// A folder with two good articles, three with broken metadata (which still load) and one
/// over the frontmatter cap (the one kind of file that is skipped).
fn mixed_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("sub")).unwrap();
    std::fs::write(p.join("good-one.md"), GOOD).unwrap();
    std::fs::write(p.join("sub/good-two.md"), GOOD2).unwrap();
    std::fs::write(p.join("no-frontmatter.md"), "# Just a heading\n").unwrap();
    std::fs::write(
        p.join("sub/bad-date.md"),
        "---\ntitle: T\npubDate: someday\n---\nx",
    )
    .unwrap();
    std::fs::write(p.join("unclosed.md"), "---\ntitle: T\n<p>x</p>\n").unwrap();
    std::fs::write(
        p.join("capped.md"),
        format!("---\ntitle: T\nx: {}\n---\n", "y".repeat(70_000)),
    )
    .unwrap();
    std::fs::write(p.join("notes.txt"), "ignored").unwrap();
    dir
}

#[test]
fn check_lists_every_problem_loads_what_it_can_and_exits_1_on_a_capped_file() {
    let dir = mixed_folder();
    let out = careerhub()
        .args(["check", "--content"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("checked 6 files in"))
        .stderr(predicate::str::contains(
            ": 5 articles, 1 file unreadable; 1 error, 3 warnings\n",
        ))
        .stderr(predicate::str::contains(
            "        1  warning: `pubDate` … is not a date\n",
        ))
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        vec![
            "capped.md:1: error: frontmatter is over 64 KiB: keep only metadata between the `---` lines",
            "no-frontmatter.md:1: warning: no frontmatter: the title is the first heading `Just a heading`; start the file with `---`, `title: ...`, `---` to set it",
            "sub/bad-date.md:3: warning: `pubDate` `someday` is not a date: the article loads undated; write it as YYYY-MM-DD (a time and offset may follow)",
            "unclosed.md:1: warning: frontmatter opened here is never closed: the file is read as Markdown; add a line `---` after the last key",
        ]
    );
}

#[test]
fn check_of_one_clean_article_says_so_in_the_singular() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good-two.md"), GOOD2).unwrap();
    careerhub()
        .args(["check", "--content"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout("")
        .stderr(format!(
            "careerhub: checked 1 file in {}: 1 article; 0 errors, 0 warnings\n",
            dir.path().display()
        ));
}

#[test]
fn check_counts_section_pages_apart() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("posts")).unwrap();
    std::fs::write(
        dir.path().join("posts/_index.md"),
        "---\ntitle: Posts\n---\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("posts/good-two.md"), GOOD2).unwrap();
    careerhub()
        .args(["check", "--content"])
        .arg(dir.path())
        .assert()
        .success()
        .stderr(format!(
            "careerhub: checked 2 files in {}: 1 article, 1 section page skipped; 0 errors, 0 warnings\n",
            dir.path().display()
        ));
}

#[test]
fn check_warns_about_a_canonical_on_an_odd_host() {
    let dir = tempfile::tempdir().unwrap();
    for (i, host) in [
        "careerhub.example",
        "careerhub.example",
        "careerhub.example",
        "carerhub.example",
    ]
    .iter()
    .enumerate()
    {
        let text = GOOD
            .replace("slug: good-one", &format!("slug: good-{i}"))
            .replace(
                "careerhub.example/blog/good-one",
                &format!("{host}/blog/good-{i}"),
            );
        std::fs::write(dir.path().join(format!("good-{i}.md")), text).unwrap();
    }
    let out = careerhub()
        .args(["check", "--content"])
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8(out).unwrap().contains(
            "good-3.md:1: warning: `canonical` is on `carerhub.example` while 3 articles use `careerhub.example`: check it for a typo"
        )
    );
}

#[test]
fn check_json_is_a_list_of_problems() {
    let dir = mixed_folder();
    let out = careerhub()
        .args(["check", "--json", "--content"])
        .arg(dir.path())
        .assert()
        .code(1);
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let first = &v.as_array().unwrap()[0];
    assert_eq!(first["path"], "capped.md");
    assert_eq!(first["line"], 1);
    assert_eq!(first["severity"], "error");
    assert_eq!(v.as_array().unwrap()[1]["severity"], "warning");
}

#[test]
fn list_still_lists_good_files_and_says_what_was_skipped() {
    let dir = mixed_folder();
    careerhub()
        .arg("--content")
        .arg(dir.path())
        .arg("list")
        .assert()
        .success()
        .stdout(
            predicate::str::contains("good-one")
                .and(predicate::str::contains("good-two"))
                .and(predicate::str::contains("Just a heading"))
                .and(predicate::str::contains("bad-date"))
                .and(predicate::str::contains("unclosed")),
        )
        .stderr(
            "careerhub: 1 file skipped because of errors, 3 files loaded with warnings; run `careerhub check` for details\n",
        );
}

#[test]
fn list_json_has_the_contract_fields() {
    let dir = mixed_folder();
    let v = json(
        careerhub()
            .args(["list", "--json", "--role", "data-analyst", "--content"])
            .arg(dir.path()),
    );
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let a = &rows[1];
    let mut keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        vec![
            "archived",
            "category",
            "date",
            "description",
            "draft",
            "facets",
            "path",
            "reading_minutes",
            "slug",
            "title"
        ]
    );
    assert_eq!(a["slug"], "good-one");
    assert_eq!(a["title"], "Good: One");
    assert_eq!(a["date"], "2025-05-01");
    assert_eq!(a["category"], "interviewing");
    assert_eq!(a["facets"]["role"][0], "data-analyst");
    assert_eq!(a["facets"]["category"][0], "interviewing");
    assert_eq!(a["path"], "good-one.md");
    assert_eq!(a["reading_minutes"], 1);
    assert_eq!(rows[0]["slug"], "good-two", "newest first");
}

#[test]
fn list_filters_by_any_facet_and_rejects_malformed_ones() {
    let dir = mixed_folder();
    let v = json(
        careerhub()
            .args(["list", "--json", "--facet", "intent=interview", "--content"])
            .arg(dir.path()),
    );
    assert_eq!(v.as_array().unwrap().len(), 1);
    careerhub()
        .args(["list", "--facet", "oops"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--facet `oops`: expected NAME=VALUE",
        ));
}

#[test]
fn drafts_and_archived_need_their_flags() {
    let slugs = |args: &[&str]| -> Vec<String> {
        let v = json(careerhub().args(args));
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| a["slug"].as_str().unwrap().to_owned())
            .collect()
    };
    let plain = slugs(&["list", "--json"]);
    let all = slugs(&["list", "--json", "--drafts", "--archived"]);
    assert!(plain.len() >= 34, "{}", plain.len());
    assert_eq!(all.len(), plain.len() + 4);
    assert!(!plain.contains(&"salary-history-question".to_string()));
    assert!(all.contains(&"salary-history-question".to_string()));
}

#[test]
fn search_ranks_fuzzy_matches_with_positions() {
    let v = json(careerhub().args(["search", "folow", "up", "email", "--limit", "3", "--json"]));
    let rows = v.as_array().unwrap();
    assert!(!rows.is_empty() && rows.len() <= 3);
    assert_eq!(rows[0]["slug"], "follow-up-email-after-interview");
    assert!(rows[0]["score"].as_i64().unwrap() > 0);
    assert!(!rows[0]["positions"].as_array().unwrap().is_empty());
}

#[test]
fn search_accepts_filter_terms() {
    let v = json(careerhub().args([
        "search",
        "role:data-scientist",
        "intent:interview",
        "--json",
    ]));
    for a in v.as_array().unwrap() {
        assert!(
            a["facets"]["role"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r == "data-scientist")
        );
        assert!(
            a["facets"]["intent"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r == "interview")
        );
    }
    assert!(!v.as_array().unwrap().is_empty());
}

#[test]
fn read_renders_clean_text_at_the_width() {
    for width in ["60", "80", "120"] {
        let out = careerhub()
            .args(["read", "follow-up-email-after-interview", "--width", width])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        let w: usize = width.parse().unwrap();
        assert!(text.starts_with("How to Write a Follow-Up Email"), "{text}");
        assert!(!text.contains('<') && !text.contains("&nbsp;") && !text.contains("&amp;"));
        assert!(!text.contains("\n\n\n"), "doubled blank lines");
        assert!(!text.contains('\u{1b}'), "no styling when not a terminal");
        for line in text.lines() {
            assert!(line.trim_matches([' ', '\u{200d}']).len() == line.trim_matches(' ').len());
            // Only URLs are never broken: an entry of the link list (`[n] URL`, perhaps with
            // `→ slug`), or a bare URL too long for a line of its own.
            let link_entry = line.starts_with('[') && line.contains("] http");
            let long_url = line
                .split_whitespace()
                .any(|word| word.starts_with("https://") && word.width() > w.saturating_sub(8));
            let unbreakable = link_entry || long_url;
            assert!(line.width() <= w || unbreakable, "line over {w}: {line:?}");
        }
        assert!(text.contains("[1]"), "links are numbered");
    }
}

#[test]
fn read_unknown_slug_exits_2_naming_it() {
    careerhub()
        .args(["read", "no-such-article"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "no article with slug `no-such-article`",
        ));
}

#[test]
fn related_lists_kinds() {
    let v = json(careerhub().args(["related", "follow-up-email-after-interview", "--json"]));
    let rows = v.as_array().unwrap();
    let kinds: Vec<&str> = rows.iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"explicit"), "{kinds:?}");
    assert!(
        kinds.contains(&"backlink"),
        "popular article has backlinks: {kinds:?}"
    );
    let text = careerhub()
        .args(["related", "follow-up-email-after-interview"])
        .assert()
        .success();
    text.stdout(predicate::str::contains("links here"));
}

#[test]
fn facets_count_values() {
    let v = json(careerhub().args(["facets", "--json"]));
    let roles = v["role"].as_array().unwrap();
    assert!(
        roles
            .iter()
            .any(|r| r["value"] == "data-analyst" && r["count"].as_u64().unwrap() >= 4)
    );
    assert!(v.get("intent").is_some() && v.get("category").is_some());
    careerhub()
        .arg("facets")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("role\n"));
}

#[test]
fn global_flags_work_before_and_after_the_subcommand() {
    let dir = mixed_folder();
    std::fs::write(
        dir.path().join("draft.md"),
        "---\ntitle: Draft\ndraft: true\n---\nx",
    )
    .unwrap();
    for args in [vec!["--drafts", "list"], vec!["list", "--drafts"]] {
        careerhub()
            .args(&args)
            .arg("--content")
            .arg(dir.path())
            .assert()
            .success()
            .stdout(predicate::str::contains("draft"));
    }
    careerhub()
        .arg("list")
        .arg("--content")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("draft").not());
}

#[test]
fn deeply_nested_bodies_are_flattened_not_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (name, n) in [("deep-201", 201), ("deep-5k", 5_000), ("deep-20k", 20_000)] {
        let body = format!(
            "{}<p>Still readable at depth {n}.</p>{}",
            "<div class=\"x\">".repeat(n),
            "</div>".repeat(n)
        );
        std::fs::write(
            dir.path().join(format!("{name}.md")),
            format!("---\ntitle: Deep {n}\n---\n<p>ok</p>\n{body}\n"),
        )
        .unwrap();
    }
    careerhub()
        .args(["check", "--content"])
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(" 0 errors"));
    for (name, n) in [("deep-201", 201), ("deep-5k", 5_000), ("deep-20k", 20_000)] {
        let started = std::time::Instant::now();
        careerhub()
            .args(["read", name, "--width", "60", "--content"])
            .arg(dir.path())
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "\nok\n\nStill readable at depth {n}.\n"
            )));
        assert!(
            started.elapsed() < std::time::Duration::from_secs(3),
            "{name}: {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn missing_content_folder_is_a_clear_error() {
    careerhub()
        .args(["list", "--content", "/definitely/not/here"])
        .assert()
        .code(2)
        .stderr("careerhub: content folder `/definitely/not/here` does not exist: pass --content with a folder of .md articles\n");
}

#[test]
fn bundled_library_checks_clean() {
    careerhub()
        .arg("check")
        .assert()
        .success()
        .stderr(predicate::str::contains(" 0 errors"));
}

#[test]
fn control_characters_from_content_never_reach_stdout() {
    let dir = tempfile::tempdir().unwrap();
    // A hostile file name (it becomes the slug) and a title with escapes and a bidi override.
    std::fs::write(
        dir.path().join("evil\u{1b}[2J.md"),
        "---\ntitle: \"Hi \\e]52;c;Zm9v\\a \u{202e}there\"\ndescription: \"\\e[31mred\"\n---\n<p>Body \u{1b}[5m &#x202e; text</p>\n",
    )
    .unwrap();
    for args in [
        vec!["list"],
        vec!["list", "--json"],
        vec!["search", "hi"],
        vec!["read", "evil[2J"],
    ] {
        let out = careerhub()
            .args(&args)
            .arg("--content")
            .arg(dir.path())
            .assert()
            .success();
        let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert!(
            !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
            "{args:?}: {stdout:?}"
        );
        assert!(!stdout.contains('\u{202e}'), "{args:?}: {stdout:?}");
        assert!(
            !stdout.contains("\\u001b"),
            "{args:?}: JSON escapes of ESC are still ESC: {stdout:?}"
        );
    }
}

#[test]
fn the_reader_without_a_terminal_says_what_to_use_instead() {
    careerhub().assert().code(2).stderr(
        "careerhub: the reader needs a terminal; for scripts use `careerhub list`, `search` or `read`\n",
    );
}

#[test]
fn an_unchanged_folder_starts_from_its_snapshot_and_a_change_is_seen() {
    let dir = mixed_folder();
    let cache = tempfile::tempdir().unwrap();
    let list = || {
        let out = careerhub()
            .env("XDG_CACHE_HOME", cache.path())
            .args(["list", "--json", "--content"])
            .arg(dir.path())
            .assert()
            .success();
        serde_json::from_slice::<Value>(&out.get_output().stdout).unwrap()
    };
    let first = list();
    let files: Vec<String> = std::fs::read_dir(cache.path().join("careerhub"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.iter().any(|f| f.starts_with("library-")), "{files:?}");
    assert!(files.iter().any(|f| f.starts_with("index-")), "{files:?}");
    assert_eq!(list(), first, "the snapshot gives the same library");
    // Any change to a file invalidates the snapshot.
    std::fs::write(
        dir.path().join("good-one.md"),
        GOOD.replace("Good: One", "Changed"),
    )
    .unwrap();
    let changed = list();
    assert!(changed.to_string().contains("Changed"), "{changed}");
    // A damaged snapshot is ignored, not trusted.
    for f in std::fs::read_dir(cache.path().join("careerhub")).unwrap() {
        std::fs::write(f.unwrap().path(), b"garbage").unwrap();
    }
    assert_eq!(list(), changed);
}

#[test]
fn when_nothing_matches_stderr_says_so_and_stdout_stays_empty() {
    careerhub()
        .args(["list", "--facet", "seniority=senior"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(
            "no articles match seniority=senior; facets here: role, intent, category",
        ));
    careerhub()
        .args(["search", "xyzzy", "--json"])
        .assert()
        .success()
        .stdout("[]\n")
        .stderr(predicate::str::contains(
            "no articles match the search `xyzzy`",
        ));
    let empty = tempfile::tempdir().unwrap();
    careerhub()
        .arg("--content")
        .arg(empty.path())
        .arg("list")
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("no articles in "));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("alone.md"),
        "---\ntitle: Alone\npubDate: 2025-01-01\n---\n<p>No links.</p>\n",
    )
    .unwrap();
    careerhub()
        .arg("--content")
        .arg(dir.path())
        .args(["related", "alone"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("`alone` has no related articles"));
}

#[test]
fn completions_and_man_page_are_generated() {
    for (shell, marker) in [
        ("bash", "_careerhub()"),
        ("zsh", "#compdef careerhub"),
        ("fish", "complete -c careerhub"),
        ("elvish", "careerhub"),
        ("powershell", "careerhub"),
    ] {
        careerhub()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(marker).and(predicate::str::contains("search")));
    }
    careerhub()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH careerhub 1").and(predicate::str::contains("serve")));
    careerhub()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("possible values"));
}

#[test]
fn every_flag_and_argument_has_help_and_global_flags_have_their_own_heading() {
    let out = careerhub().args(["read", "--help"]).assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(help.contains("The article's slug"), "{help}");
    assert!(help.contains("Global options:"), "{help}");
    let out = careerhub().args(["list", "--help"]).assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(help.contains("--json                Print JSON"), "{help}");
}

#[test]
fn a_huge_query_is_cut_with_a_note() {
    let long = "interview ".repeat(2000);
    careerhub()
        .args(["search", &long])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "the query is cut to its first 200 characters",
        ));
}

//! `careerhub search` with body hits, through the real binary, over a fixture library whose
//! answers live only in article bodies (no title, description or facet holds them).

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn careerhub(cache: &tempfile::TempDir) -> Command {
    let mut cmd = Command::cargo_bin("careerhub").expect("binary built");
    cmd.env("XDG_CACHE_HOME", cache.path());
    cmd.arg("--content").arg(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/bodies"
    ));
    cmd
}

fn search(cache: &tempfile::TempDir, args: &[&str]) -> Vec<Value> {
    let out = careerhub(cache)
        .arg("search")
        .args(args)
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("valid JSON");
    v.as_array().unwrap().clone()
}

fn marked(row: &Value) -> Vec<String> {
    let text: Vec<char> = row["snippet"]["text"].as_str().unwrap().chars().collect();
    row["snippet"]["offsets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let (a, b) = (o[0].as_u64().unwrap(), o[1].as_u64().unwrap());
            text[a as usize..b as usize].iter().collect()
        })
        .collect()
}

#[test]
fn body_only_answers_come_first_for_a_phrase_a_stem_and_a_half_typed_word() {
    let cache = tempfile::tempdir().unwrap();
    for (query, slug, words) in [
        (
            r#""wait five business days""#,
            "keeping-in-touch",
            vec!["wait", "five", "business", "days"],
        ),
        ("negotiate", "talking-money", vec!["Negotiating"]),
        ("asynchro", "working-from-home", vec!["Asynchronous"]),
        (
            "how long should I wait before following up",
            "keeping-in-touch",
            vec!["wait", "following"],
        ),
    ] {
        let rows = search(&cache, &[query]);
        assert_eq!(rows[0]["slug"], slug, "{query}");
        assert_eq!(rows[0]["matched"], "body", "{query}");
        assert_eq!(marked(&rows[0]), words, "{query}");
    }
}

#[test]
fn in_chooses_where_to_look() {
    let cache = tempfile::tempdir().unwrap();
    // "Recruiters" is in a title; "expectations" only in a body.
    let rows = search(&cache, &["recruiters", "--in", "title"]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["slug"], "keeping-in-touch");
    assert_eq!(rows[0]["matched"], "title");
    assert!(rows[0]["snippet"].is_null());
    assert!(search(&cache, &["expectations", "--in", "title"]).is_empty());
    let rows = search(&cache, &["expectations", "--in", "body"]);
    assert_eq!(rows[0]["slug"], "talking-money");
    // All (the default): title matches first, then body-only ones.
    let rows = search(&cache, &["recruiter"]);
    let slugs: Vec<&str> = rows.iter().map(|r| r["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["keeping-in-touch", "talking-money"]);
    assert_eq!(rows[1]["matched"], "body");
    careerhub(&cache)
        .args(["search", "x", "--in", "nowhere"])
        .assert()
        .code(2);
}

#[test]
fn composed_and_decomposed_titles_find_each_other() {
    let cache = tempfile::tempdir().unwrap();
    for query in ["Naïve", "Nai\u{308}ve", "naive"] {
        let rows = search(&cache, &[query, "--in", "title"]);
        assert_eq!(rows.len(), 1, "{query}");
        assert_eq!(rows[0]["slug"], "naive-plan", "{query}");
        // The highlight covers the whole ï, however the title stores it.
        let title: Vec<char> = rows[0]["title"].as_str().unwrap().chars().collect();
        let shown: String = rows[0]["positions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| title[p.as_u64().unwrap() as usize])
            .collect();
        assert!(shown.to_lowercase().starts_with("nai"), "{query}: {shown}");
        assert!(
            !shown.contains('\u{308}') || shown.contains("i\u{308}"),
            "{shown}"
        );
    }
}

#[test]
fn long_queries_are_cut_with_a_note() {
    let cache = tempfile::tempdir().unwrap();
    let many: Vec<String> = (0..40).map(|i| format!("w{i}")).collect();
    careerhub(&cache)
        .arg("search")
        .args(&many)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "the query is cut to its first 32 words",
        ));
    let long = "negotiate ".repeat(3000);
    careerhub(&cache)
        .args(["search", &long])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .success()
        .stderr(predicate::str::contains("cut to its first 200 characters"));
}

/// Several careerhub processes searching one folder at once, its body index not built yet:
/// the ones that find another writing the index wait for it, so none misses a body hit.
#[test]
fn parallel_searches_of_a_new_folder_all_find_body_hits() {
    let content = tempfile::tempdir().unwrap();
    for i in 0..24 {
        std::fs::write(
            content.path().join(format!("note-{i}.md")),
            format!(
                "---\ntitle: \"Note {i}\"\nslug: note-{i}\n---\n<p>Plain words about week {i}, and the marker quillbeam{}.</p>\n",
                i % 5
            ),
        )
        .unwrap();
    }
    let cache = tempfile::tempdir().unwrap();
    let runs: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_careerhub"))
                .env("XDG_CACHE_HOME", cache.path())
                .arg("--content")
                .arg(content.path())
                .args(["search", "quillbeam3", "--in", "body"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for run in runs {
        let out = run.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success());
        for slug in ["note-3", "note-8", "note-13", "note-18", "note-23"] {
            assert!(
                stdout.contains(slug),
                "{slug} missing: {stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

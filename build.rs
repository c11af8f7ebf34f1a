//! Embeds the bundled library from `content/` into the binary, so that `careerhub` with no
//! arguments works anywhere. Generates a table of (relative path, contents) in OUT_DIR.

use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets this"));
    let content = root.join("content");
    // Cargo re-runs this script when anything under content/ changes.
    println!("cargo:rerun-if-changed=content");
    let mut files = Vec::new();
    if content.is_dir() {
        collect(&content, &mut files);
    }
    let mut files: Vec<(String, PathBuf)> = files
        .into_iter()
        .map(|file| {
            let rel = file.strip_prefix(&content).expect("under content/");
            (rel.to_string_lossy().replace('\\', "/"), file)
        })
        .collect();
    // Sorted by the path string, which is how `Source::read` binary-searches the table
    // (path-component order differs: `blog-x/` sorts before `blog/` as a string).
    files.sort();
    let mut out = String::from("&[\n");
    for (rel, file) in &files {
        out.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            file.display().to_string()
        ));
    }
    out.push_str("]\n");
    let dest = PathBuf::from(env::var("OUT_DIR").expect("cargo sets this")).join("embedded.rs");
    fs::write(dest, out).expect("write embedded.rs");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect(&path, files);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
}

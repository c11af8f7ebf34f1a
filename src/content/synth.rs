//! A deterministic synthetic library for benchmarks and scale tests.
//!
//! Same seed and size, same files, byte for byte. Articles look like the publisher's export:
//! the full frontmatter schema, a one-line Webflow body of seed-like size with entities,
//! zero-width spacers, emoji markers, split ordered lists and links, and the Markdown trailer
//! with related links to other synthetic articles.

use std::fmt::Write;

use super::load::source::SourceFile;
use super::taxonomy::{CATEGORIES, INTENTS, ROLES};

const OPENERS: &[&str] = &[
    "How to",
    "Why You Should",
    "When to",
    "A Practical Guide to",
    "The Honest Way to",
    "What It Takes to",
    "Stop Guessing and",
    "Seven Ways to",
    "The Checklist to",
    "Before You",
];
const VERBS: &[&str] = &[
    "Negotiate",
    "Follow Up on",
    "Tailor",
    "Prepare for",
    "Answer",
    "Rewrite",
    "Track",
    "Research",
    "Ask About",
    "Explain",
    "Survive",
    "Turn Down",
    "Accept",
    "Quantify",
    "Present",
];
const OBJECTS: &[&str] = &[
    "Your Salary Offer",
    "a Phone Screen",
    "Behavioral Questions",
    "Your Resume Bullets",
    "a Take-Home Test",
    "Remote Job Offers",
    "a Career Gap",
    "Your Portfolio",
    "the Hiring Manager",
    "a Counter-Offer",
    "SQL Interview Questions",
    "System Design Rounds",
    "an ATS Scan",
    "Your LinkedIn Headline",
    "a Recruiter Email",
    "Equity and Bonuses",
    "Reference Checks",
    "a Job Search Tracker",
];
const AUDIENCES: &[&str] = &[
    "Data Analysts",
    "New Graduates",
    "Software Engineers",
    "Career Changers",
    "Business Analysts",
    "Data Scientists",
    "Remote Workers",
    "Senior Candidates",
];
const SENTENCES: &[&str] = &[
    "Most candidates skip this step, and that’s exactly why it works.",
    "Recruiters read a resume for about seven seconds before deciding to keep going.",
    "Write down three numbers you moved in your last role before you start.",
    "A short, specific message beats a long, generic one every time.",
    "Ask what success looks like after ninety days, then listen carefully.",
    "Send your note within a day, and keep it under one hundred and fifty words.",
    "Keep a spreadsheet with the company, the role, the date and the next step.",
    "If the range is not posted, ask for it early and politely.",
    "Practice the answer out loud twice; the second take is always shorter.",
    "Hiring managers remember stories, not adjectives.",
    "Match the wording of the posting where it is honestly true of you.",
    "A referral moves your application to the top of a very tall pile.",
];

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// `count` distinct items.
    fn some<'a>(&mut self, items: &[&'a str], count: usize) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        while out.len() < count.min(items.len()) {
            let item = self.pick(items);
            if !out.contains(&item) {
                out.push(item);
            }
        }
        out
    }
}

/// Title of synthetic article `i` (unique thanks to the number).
fn title(rng: &mut Rng, i: usize) -> String {
    format!(
        "{} {} {} for {} (No. {i})",
        rng.pick(OPENERS),
        rng.pick(VERBS),
        rng.pick(OBJECTS),
        rng.pick(AUDIENCES)
    )
}

fn slug_of(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches('-').to_owned()
}

/// `n` synthetic article files from `seed`, as `blog/<slug>.md`, with seed-sized bodies
/// (6–18 KB).
pub fn library(n: usize, seed: u64) -> Vec<SourceFile> {
    library_with_bodies(n, seed, 6..18)
}

/// Like [`library`] with bodies of `kb` kilobytes (a smaller range keeps 100k-article
/// libraries in memory for benches).
pub fn library_with_bodies(n: usize, seed: u64, kb: std::ops::Range<usize>) -> Vec<SourceFile> {
    let mut rng = Rng(seed);
    let titles: Vec<String> = (0..n).map(|i| title(&mut rng, i)).collect();
    let slugs: Vec<String> = titles.iter().map(|t| slug_of(t)).collect();
    (0..n)
        .map(|i| {
            let text = article(&mut rng, i, &titles, &slugs, &kb);
            SourceFile {
                path: format!("blog/{}.md", slugs[i]),
                bytes: text.into_bytes(),
            }
        })
        .collect()
}

/// Writes [`library`] into `dir`, creating `dir/blog/`.
pub fn write_library(dir: &std::path::Path, n: usize, seed: u64) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("blog"))?;
    for file in library(n, seed) {
        std::fs::write(dir.join(&file.path), &file.bytes)?;
    }
    Ok(())
}

fn article(
    rng: &mut Rng,
    i: usize,
    titles: &[String],
    slugs: &[String],
    kb: &std::ops::Range<usize>,
) -> String {
    let n = titles.len();
    let (role_count, intent_count) = (1 + rng.below(2), 2 + rng.below(3));
    let roles = rng.some(ROLES, role_count);
    let intents = rng.some(INTENTS, intent_count);
    let draft = rng.below(50) == 0;
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        "---\ntitle: \"{}\"\nslug: {}\ndescription: {} {}\ncanonical: \"https://careerhub.example/blog/{}\"\n",
        titles[i],
        slugs[i],
        rng.pick(SENTENCES),
        rng.pick(SENTENCES),
        slugs[i]
    );
    if !draft {
        let _ = writeln!(
            out,
            "pubDate: {}-{:02}-{:02}",
            2019 + rng.below(8),
            1 + rng.below(12),
            1 + rng.below(28)
        );
    }
    let _ = write!(
        out,
        "category: {}\ndraft: {draft}\narchived: {}\ntags:\n  role:\n",
        rng.pick(CATEGORIES),
        rng.below(100) == 0
    );
    for r in roles {
        let _ = writeln!(out, "    - {r}");
    }
    out.push_str("  intent:\n");
    for t in intents {
        let _ = writeln!(out, "    - {t}");
    }
    out.push_str("---\n");
    body(rng, &mut out, slugs, kb);
    out.push_str("\n\n---\n\n## Related articles\n\n");
    for _ in 0..3 + rng.below(3) {
        let j = rng.below(n);
        let _ = writeln!(
            out,
            "- [{}](https://careerhub.example/blog/{})",
            titles[j], slugs[j]
        );
    }
    out
}

/// A one-line Webflow body of about `kb` kilobytes.
fn body(rng: &mut Rng, out: &mut String, slugs: &[String], kb: &std::ops::Range<usize>) {
    let n = slugs.len();
    let target = out.len() + kb.start * 1024 + rng.below((kb.end - kb.start).max(1) * 1024);
    let mut section = 0;
    while out.len() < target {
        section += 1;
        let _ = write!(
            out,
            "<h2 id=\"\">Step {section}: {}</h2>",
            rng.pick(OBJECTS)
        );
        for _ in 0..2 + rng.below(4) {
            out.push_str("<p id=\"\">");
            for _ in 0..2 + rng.below(4) {
                out.push_str(rng.pick(SENTENCES));
                out.push(' ');
            }
            out.push_str("&nbsp;</p>");
        }
        match rng.below(4) {
            0 => {
                let start = 1 + rng.below(3);
                let _ = write!(out, "<ol start=\"{start}\" role=\"list\">");
                for _ in 0..3 {
                    let _ = write!(out, "<li>{}</li>", rng.pick(SENTENCES));
                }
                out.push_str("</ol><p id=\"\">\u{200d}</p>");
            }
            1 => {
                let j = rng.below(n);
                let _ = write!(
                    out,
                    "<p id=\"\"><strong id=\"\">📌</strong><a href=\"https://careerhub.example/blog/{}\" id=\"\"><strong id=\"\">{}</strong></a></p>",
                    slugs[j],
                    rng.pick(SENTENCES)
                );
            }
            2 => out.push_str("<ul role=\"list\"><li>Name the result.</li><li>Give the number.</li><li>Say what you would do next.</li></ul>"),
            _ => {
                let _ = write!(out, "<blockquote>{}</blockquote><p id=\"\">‍<br></p>", rng.pick(SENTENCES));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::LoadOptions;

    #[test]
    fn is_deterministic_and_loads_cleanly() {
        let a = library(60, 7);
        let b = library(60, 7);
        assert!(
            a.iter()
                .zip(&b)
                .all(|(x, y)| x.path == y.path && x.bytes == y.bytes)
        );
        let sizes: Vec<usize> = a.iter().map(|f| f.bytes.len()).collect();
        assert!(
            sizes.iter().all(|&s| (6 * 1024..24 * 1024).contains(&s)),
            "{sizes:?}"
        );
        let (lib, source) = crate::content::load_memory(
            a,
            Vec::new(),
            LoadOptions {
                drafts: true,
                archived: true,
            },
        );
        let errors: Vec<_> = lib.problems().iter().filter(|p| p.is_error()).collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(lib.len(), 60);
        let first = lib.get(lib.by_date()[0]);
        assert!(
            crate::content::Bodies::new(source)
                .document(&lib, first.id)
                .is_ok()
        );
        assert!(first.related_links.iter().all(|l| l.target.is_some()));
    }
}

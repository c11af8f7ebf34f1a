//! The one seam between the body index and the library: every fact the index needs about
//! articles (which there are, where their files live, their bodies as text, the cache key)
//! comes through here, so a change in how the library is built is rewired in one place.

use std::path::PathBuf;

use unicode_normalization::UnicodeNormalization;
use xxhash_rust::xxh3::xxh3_64;

use crate::content::article::ArticleId;
use crate::content::bodies::Bodies;
use crate::content::index::Index;
use crate::content::load::LoadOptions;
use crate::content::load::cache;
use crate::content::load::source::Source;
use crate::content::render::document::{Block, Document, Inline};
use crate::content::render::sanitize;

/// The library as the body index reads it: the linked index, and where bodies come from.
/// It derefs to the [`Index`], so index questions (`get`, `articles`, `related`) are asked of
/// it directly.
#[derive(Debug, Clone, Copy)]
pub struct Corpus<'a> {
    pub index: &'a Index,
    pub source: &'a Source,
}

impl std::ops::Deref for Corpus<'_> {
    type Target = Index;

    fn deref(&self) -> &Index {
        self.index
    }
}

impl Corpus<'_> {
    /// Where the articles were loaded from.
    pub fn source(&self) -> &Source {
        self.source
    }
}

/// One article as the index sees it.
#[derive(Debug, Clone)]
pub struct DocSource {
    pub id: ArticleId,
    /// Path relative to the content folder: the document's key in the index.
    pub path: String,
    /// Size and modification time of the file, hashed: when it is unchanged the document
    /// is not looked at again. 0 when the source has no such thing (memory, built-in).
    pub stamp: u64,
}

/// Every article of `lib`, with the stamp of its file.
pub fn articles(lib: &Corpus) -> Vec<DocSource> {
    let stamps: std::collections::HashMap<String, u64> = match lib.source() {
        Source::Dir(_) => lib
            .source()
            .list()
            .map(|(entries, _)| {
                entries
                    .into_iter()
                    .map(|e| {
                        let mut stamp = e.size.to_le_bytes().to_vec();
                        stamp.extend_from_slice(&e.mtime_ns.to_le_bytes());
                        (e.path, xxh3_64(&stamp))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        _ => Default::default(),
    };
    lib.articles()
        .iter()
        .map(|a| DocSource {
            id: a.id,
            path: a.path.clone(),
            stamp: stamps.get(&a.path).copied().unwrap_or(0),
        })
        .collect()
}

/// A digest of the file behind `path`: what tells a touched file from a changed one.
pub fn file_digest(lib: &Corpus, path: &str) -> Option<u64> {
    let bytes = lib.source().read(path).ok()?;
    Some(xxh3_64(&bytes))
}

/// The body of `id` as the reader shows it, as plain text (NFC): markup the reader hides
/// never reaches the index. `None` when the body cannot be rendered (the reader shows the
/// problem; the title and description are still indexed). With it, the length (bytes) of
/// the article proper: the text before its trailer sections (see [`main_len`]).
pub fn body_text(lib: &Corpus, id: ArticleId) -> Option<(String, usize)> {
    let doc = Bodies::new(lib.source.clone())
        .render_uncached(lib.index, id)
        .ok()?;
    let text = plain_text(&doc);
    let main = main_len(&doc, &text);
    Some((text, main))
}

/// Where the trailer sections start in `text` (the plain text of `doc`): exports end with
/// Markdown sections after a `---` rule (a call to action, a hub link, a list of related
/// titles) that look alike in every article. The text before the first rule counts when it
/// is at least a third of the whole; else (a rule early in the article) the whole text.
pub fn main_len(doc: &Document, text: &str) -> usize {
    let Some(rule) = doc.blocks.iter().position(|b| matches!(b, Block::Rule)) else {
        return text.len();
    };
    let before = Document {
        blocks: doc.blocks[..rule].to_vec(),
        links: Vec::new(),
    };
    let len = plain_text(&before).len();
    if len * 3 >= text.len() {
        len.min(text.len())
    } else {
        text.len()
    }
}

/// The folder the index of `lib` lives in: beside the other caches, named and keyed as they
/// are (folder, options); `None` for a library that is not a folder (built-in, in memory),
/// whose index is held in memory.
pub fn index_dir(lib: &Corpus, options: LoadOptions, dir: Option<PathBuf>) -> Option<PathBuf> {
    let Source::Dir(root) = lib.source() else {
        return None;
    };
    let name = format!(
        "fulltext-{:016x}-{}{}",
        cache::folder_hash(&cache::folder_key(root)),
        u8::from(options.drafts),
        u8::from(options.archived)
    );
    Some(dir?.join(name))
}

/// What an index must have been built with to be trusted: the build, the folder and the
/// options (the same key as the other caches).
pub fn index_key(lib: &Corpus, options: LoadOptions, format: u32) -> String {
    let root = match lib.source() {
        Source::Dir(root) => cache::folder_key(root),
        other => other.describe(),
    };
    format!(
        "careerhub fulltext {format}\nbuild {}\nfolder {root}\ndrafts {}\narchived {}\n",
        cache::build_id(),
        options.drafts,
        options.archived
    )
}

/// Text of a document, one block a line, NFC-normalized and with unsafe characters removed.
pub fn plain_text(doc: &Document) -> String {
    let mut out = String::new();
    for block in &doc.blocks {
        block_text(block, &mut out);
    }
    let clean = sanitize::text(&out);
    clean.nfc().collect()
}

fn block_text(block: &Block, out: &mut String) {
    match block {
        Block::Heading { text, .. } | Block::Paragraph(text) => inline_text(text, out),
        Block::List { items, .. } => {
            for item in items {
                for b in item {
                    block_text(b, out);
                }
            }
            return;
        }
        Block::Quote(blocks) => {
            for b in blocks {
                block_text(b, out);
            }
            return;
        }
        Block::Table { header, rows } => {
            for cell in header.iter().chain(rows.iter().flatten()) {
                inline_text(&cell.text, out);
                out.push(' ');
            }
        }
        Block::Rule => return,
        Block::Image { alt, .. } => out.push_str(alt),
        Block::Code(code) => out.push_str(code),
    }
    out.push('\n');
}

fn inline_text(spans: &[Inline], out: &mut String) {
    for span in spans {
        if span.is_break() {
            out.push(' ');
        } else {
            out.push_str(&span.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trailer_is_left_out_of_the_article_proper() {
        let body = "<p>Long enough article text about following up after a final round.</p>\n\n\
                    ---\n\n## Related articles\n\n- [Another title](https://x.example/blog/a)\n";
        let doc = crate::content::render::document::parse(body).unwrap();
        let text = plain_text(&doc);
        let main = main_len(&doc, &text);
        assert!(text[..main].contains("following up"));
        assert!(
            !text[..main].contains("Related articles"),
            "{:?}",
            &text[..main]
        );
        assert!(
            text.contains("Another title"),
            "the whole text is still searched"
        );
        // A rule early in an article does not cut most of it away.
        let early = "<p>Hi.</p><hr><p>The whole article follows this rule and goes on.</p>";
        let doc = crate::content::render::document::parse(early).unwrap();
        let text = plain_text(&doc);
        assert_eq!(main_len(&doc, &text), text.len());
    }
}

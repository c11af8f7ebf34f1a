//! The one place that makes text from content safe for a terminal.
//!
//! Everything shown to a reader comes from files we do not control: a YAML title can hold a
//! real ESC (`"\e]52;c;...\a"` is valid YAML and would set the clipboard), HTML entities can
//! produce bidi overrides that make text read backwards, and Zalgo text stacks hundreds of
//! combining marks on one letter. ratatui 0.30 drops C0/C1 controls from spans, but passes
//! bidi controls and zero-width characters, and `Cell::set_symbol` passes everything; earlier
//! versions passed raw escapes. So text is cleaned here, once, before it reaches any widget:
//!
//! - [`line()`] for single-line fields (titles, facet values, error messages),
//! - [`text()`] for multi-line text (keeps `\n`, expands tabs),
//! - [`clip`] to bound the length of anything quoted back at the reader.
//!
//! All return [`Cow::Borrowed`] when nothing changes, which is the common case.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Most `char`s kept in one grapheme cluster. The longest emoji sequences in use (kiss with two
/// skin tones: 👨🏻‍❤️‍💋‍👨🏼) are ten; Zalgo text piles up hundreds of combining marks that would
/// spill over neighbouring cells and cost time on every frame.
pub const MAX_CLUSTER_CHARS: usize = 10;

/// Tab stops of [`text()`], in columns.
pub const TAB_WIDTH: usize = 4;

const ZWJ: char = '\u{200D}';
/// WAVING BLACK FLAG: the only base that tag characters legitimately follow (subdivision
/// flags such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿).
const BLACK_FLAG: char = '\u{1F3F4}';

/// Whether `c` must never reach the terminal as it is.
///
/// True for C0 controls (including `\n`, `\t`, ESC, BEL, CR), DEL, C1 controls
/// (U+0080–U+009F, among them the one-byte CSI U+009B), bidi controls (U+061C, U+200E, U+200F,
/// U+202A–U+202E, U+2066–U+2069), the line and paragraph separators U+2028/U+2029, and
/// invisible characters that can hide or disguise text: soft hyphen, zero-width space, word
/// joiner and invisible operators (U+2060–U+2064), deprecated format controls
/// (U+206A–U+206F), BOM, interlinear annotation controls, Mongolian vowel separator, Hangul
/// fillers and the language tag.
///
/// ZWJ (U+200D) and tag characters (U+E0020–U+E007F) are not listed: they are needed inside
/// emoji sequences and flags, so [`line()`] and [`text()`] drop them per grapheme cluster instead,
/// where they join nothing.
pub fn is_unsafe_char(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1F}'
            | '\u{7F}'..='\u{9F}'
            | '\u{AD}'
            | '\u{61C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E001F}'
    )
}

/// Makes a single-line field safe to display.
///
/// Removes every [unsafe](is_unsafe_char) character, except that `\n`, `\t`, U+2028 and
/// U+2029 become one space each (so words on separate lines stay apart); drops ZWJ and tag
/// characters that join nothing; keeps at most [`MAX_CLUSTER_CHARS`] `char`s of each grapheme
/// cluster (emoji sequences such as 👩‍💻 and flags stay whole). Idempotent.
///
/// ```
/// use careerhub::content::render::sanitize::line;
/// assert_eq!(line("evil\x1b]52;c;aGk=\x07 title\n"), "evil]52;c;aGk= title ");
/// assert_eq!(line("\u{202e}txt.exe"), "txt.exe");
/// assert_eq!(line("👩\u{200d}💻"), "👩\u{200d}💻");
/// ```
pub fn line(s: &str) -> Cow<'_, str> {
    sanitize(s, Mode::Line)
}

/// Makes multi-line text safe to display.
///
/// The same rules as [`line()`], but `\n` is kept, `\r\n` becomes `\n`, and `\t` is expanded
/// with spaces to the next multiple of [`TAB_WIDTH`] columns, counted in display width since
/// the last `\n`. Idempotent.
///
/// ```
/// use careerhub::content::render::sanitize::text;
/// assert_eq!(text("a\tb\r\n日本\tc"), "a   b\n日本    c");
/// ```
pub fn text(s: &str) -> Cow<'_, str> {
    sanitize(s, Mode::Text)
}

/// Cuts `s` to at most `max_chars` `char`s, ending in `…` when anything was cut.
///
/// The YAML parser quotes the input in its errors (a 1 MB key gives a 1 MB message), so anything
/// quoted back at the reader goes through here. The cut prefers a grapheme boundary, so an
/// emoji or an accented letter is not split, and trailing whitespace before `…` is dropped.
///
/// ```
/// use careerhub::content::render::sanitize::clip;
/// assert_eq!(clip("résumé tips", 7), "résumé…");
/// assert_eq!(clip("short", 7), "short");
/// ```
pub fn clip(s: &str, max_chars: usize) -> Cow<'_, str> {
    if s.char_indices().nth(max_chars).is_none() {
        return Cow::Borrowed(s);
    }
    let Some(keep) = max_chars.checked_sub(1) else {
        return Cow::Borrowed("");
    };
    // Byte offset just past the first `keep` chars (the `…` takes the last place).
    let limit = s.char_indices().nth(keep).map_or(s.len(), |(i, _)| i);
    let boundary = s
        .grapheme_indices(true)
        .map(|(i, _)| i)
        .take_while(|&i| i <= limit)
        .last()
        .unwrap_or(0);
    // A single cluster longer than the limit (Zalgo): cut inside it rather than drop it all.
    let end = if boundary == 0 { limit } else { boundary };
    let kept = s[..end].trim_end();
    let mut out = String::with_capacity(kept.len() + '…'.len_utf8());
    out.push_str(kept);
    out.push('…');
    Cow::Owned(out)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Line,
    Text,
}

fn sanitize(s: &str, mode: Mode) -> Cow<'_, str> {
    // Fast path: printable ASCII needs nothing (its only multi-char cluster is CR LF).
    if s.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        return Cow::Borrowed(s);
    }
    // Characters first, clusters second: removing a control can merge clusters ("e", BEL,
    // combining acute), and the cluster rules must see the final clusters.
    let filtered = filter_chars(s, mode);
    match fix_clusters(&filtered, mode) {
        Some(fixed) => Cow::Owned(fixed),
        None => filtered,
    }
}

/// Pass 1: per character, remove or replace unsafe characters.
fn filter_chars(s: &str, mode: Mode) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    // Bytes of `s` already accounted for in `out`.
    let mut copied = 0;
    for (i, c) in s.char_indices() {
        let replacement = match (c, mode) {
            ('\n' | '\t', Mode::Text) => continue,
            ('\n' | '\t' | '\u{2028}' | '\u{2029}', _) => Some(' '),
            // CR goes in both modes: CR LF then becomes LF (text) or one space (line).
            (c, _) if is_unsafe_char(c) => None,
            _ => continue,
        };
        let out = out.get_or_insert_with(|| String::with_capacity(s.len()));
        out.push_str(&s[copied..i]);
        out.extend(replacement);
        copied = i + c.len_utf8();
    }
    match out {
        None => Cow::Borrowed(s),
        Some(mut out) => {
            out.push_str(&s[copied..]);
            Cow::Owned(out)
        }
    }
}

/// Pass 2: per grapheme cluster, cap its length, drop ZWJ and tags that join nothing, and
/// (text mode) expand tabs. Returns `None` when nothing changes.
fn fix_clusters(s: &str, mode: Mode) -> Option<String> {
    if s.is_ascii() && (mode == Mode::Line || !s.contains('\t')) {
        return None;
    }
    let mut out: Option<String> = None;
    let mut copied = 0;
    // Display column since the last '\n', for tab stops (text mode only).
    let mut col = 0;
    for (i, g) in s.grapheme_indices(true) {
        let fixed: Cow<'_, str> = match g {
            "\n" => {
                col = 0;
                continue;
            }
            "\t" => {
                let n = TAB_WIDTH - col % TAB_WIDTH;
                col += n;
                Cow::Owned(" ".repeat(n))
            }
            _ => {
                let fixed = fix_cluster(g);
                if mode == Mode::Text {
                    col += fixed.width();
                }
                match fixed {
                    Cow::Borrowed(_) => continue,
                    owned => owned,
                }
            }
        };
        let out = out.get_or_insert_with(|| String::with_capacity(s.len()));
        out.push_str(&s[copied..i]);
        out.push_str(&fixed);
        copied = i + g.len();
    }
    out.map(|mut out| {
        out.push_str(&s[copied..]);
        out
    })
}

/// The safe form of one grapheme cluster.
fn fix_cluster(g: &str) -> Cow<'_, str> {
    let flag = g.starts_with(BLACK_FLAG);
    let needs_fix = g.chars().nth(MAX_CLUSTER_CHARS).is_some()
        || g.starts_with(ZWJ)
        || g.ends_with(ZWJ)
        || (!flag && g.chars().any(is_tag));
    if !needs_fix {
        return Cow::Borrowed(g);
    }
    // Tags are invisible outside a flag: they can smuggle hidden ASCII ("ASCII smuggling").
    let kept: String = g
        .chars()
        .filter(|&c| flag || !is_tag(c))
        .take(MAX_CLUSTER_CHARS)
        .collect();
    // A ZWJ at either end joins nothing (the export has paragraphs of a lone U+200D).
    Cow::Owned(kept.trim_matches(ZWJ).to_owned())
}

fn is_tag(c: char) -> bool {
    matches!(c, '\u{E0020}'..='\u{E007F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn borrowed(c: Cow<'_, str>) -> bool {
        matches!(c, Cow::Borrowed(_))
    }

    #[test]
    fn plain_text_is_borrowed() {
        for s in ["", "Plain title", "café 日本語 👩‍💻 🇺🇸 ❤️ 🏴󠁧󠁢󠁳󠁣󠁴󠁿", "e\u{301}"]
        {
            assert!(borrowed(line(s)), "{s:?}");
            assert!(borrowed(text(s)), "{s:?}");
        }
        assert!(borrowed(text("two\nlines")));
    }

    #[test]
    fn line_removes_c0_del_and_c1() {
        assert_eq!(line("a\x1b[2Jb"), "a[2Jb");
        assert_eq!(line("a\x1b]52;c;aGk=\x07b"), "a]52;c;aGk=b");
        assert_eq!(line("bell\x07 del\x7f nul\0"), "bell del nul");
        assert_eq!(line("csi\u{9b}31m nel\u{85}"), "csi31m nel");
        assert_eq!(line("cr\rhere"), "crhere");
    }

    #[test]
    fn line_turns_newlines_and_tabs_into_one_space() {
        assert_eq!(line("a\nb\tc"), "a b c");
        assert_eq!(line("a\r\nb"), "a b");
        assert_eq!(line("a\u{2028}b\u{2029}c"), "a b c");
    }

    #[test]
    fn line_removes_bidi_and_invisible_formatting() {
        assert_eq!(line("abc\u{202e}gpj.exe"), "abcgpj.exe");
        for c in [
            '\u{61c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202d}', '\u{2066}', '\u{2069}',
        ] {
            assert_eq!(line(&format!("x{c}y")), "xy", "{c:?}");
        }
        assert_eq!(line("pay\u{200b}pal\u{ad}\u{feff}\u{2060}"), "paypal");
    }

    #[test]
    fn zwj_and_tags_survive_only_where_they_join() {
        // Emoji ZWJ sequences, skin tones, flags and subdivision flags stay whole.
        for s in [
            "👩\u{200d}💻",
            "👨🏻\u{200d}❤️\u{200d}💋\u{200d}👨🏼",
            "🇺🇸",
            "🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}",
        ] {
            assert_eq!(line(s), s);
        }
        // A lone ZWJ (whole paragraphs of one in the export) or one after a letter goes.
        assert_eq!(line("\u{200d}"), "");
        assert_eq!(line("a\u{200d} b"), "a b");
        assert_eq!(line("👩\u{200d}"), "👩");
        // Tag characters after anything but a flag hide text: "hi" smuggled after "ok".
        assert_eq!(line("ok\u{e0068}\u{e0069}"), "ok");
        assert_eq!(line("\u{e0068}"), "");
    }

    #[test]
    fn zalgo_clusters_are_capped() {
        let zalgo = format!("Z{}a{}", "\u{301}".repeat(500), "\u{300}".repeat(3));
        let out = line(&zalgo);
        assert_eq!(
            out,
            format!(
                "Z{}a\u{300}\u{300}\u{300}",
                "\u{301}".repeat(MAX_CLUSTER_CHARS - 1)
            )
        );
        assert_eq!(line(&out), out);
        // Marks with nothing to sit on still form a (capped) cluster.
        assert_eq!(
            line(&"\u{301}".repeat(50)).chars().count(),
            MAX_CLUSTER_CHARS
        );
    }

    #[test]
    fn removing_a_control_cannot_smuggle_a_long_cluster() {
        // BEL splits the marks into clusters of ≤ 10; removed, they merge into one of 21.
        let s = format!("e{}\x07{}", "\u{301}".repeat(9), "\u{301}".repeat(11));
        assert_eq!(line(&s).chars().count(), MAX_CLUSTER_CHARS);
    }

    #[test]
    fn text_keeps_newlines_and_normalises_crlf() {
        assert_eq!(text("a\r\nb\nc\rd"), "a\nb\ncd");
        assert_eq!(text("a\x1b[31mred\u{202e}\n"), "a[31mred\n");
        assert_eq!(text("a\u{2028}b"), "a b");
    }

    #[test]
    fn text_expands_tabs_by_display_width() {
        assert_eq!(text("\tx"), "    x");
        assert_eq!(text("ab\tx"), "ab  x");
        assert_eq!(text("abcd\tx"), "abcd    x");
        // Column counting restarts at each line.
        assert_eq!(text("abc\n\tx"), "abc\n    x");
        // Wide characters count two columns, combining marks none, emoji sequences two.
        assert_eq!(text("日\tx"), "日  x");
        assert_eq!(text("e\u{301}\tx"), "e\u{301}   x");
        assert_eq!(text("👩\u{200d}💻\tx"), "👩\u{200d}💻  x");
        // A removed control does not count.
        assert_eq!(text("a\x1b\tx"), "a   x");
    }

    #[test]
    fn clip_cuts_with_an_ellipsis() {
        assert_eq!(clip("hello", 5), "hello");
        assert!(borrowed(clip("hello", 5)));
        assert_eq!(clip("hello world", 6), "hello…");
        assert_eq!(clip("hello world", 7), "hello…");
        assert_eq!(clip("hello", 1), "…");
        assert_eq!(clip("hello", 0), "");
        assert_eq!(clip("", 0), "");
        // Whole clusters: the family emoji is not split.
        assert_eq!(clip("ab👩\u{200d}💻cd", 4), "ab…");
        assert_eq!(clip("ab👩\u{200d}💻cd", 6), "ab👩\u{200d}💻…");
        // A cluster longer than the limit is cut inside.
        assert_eq!(clip(&format!("e{}", "\u{301}".repeat(20)), 3), "e\u{301}…");
        let huge = "k".repeat(1 << 20);
        let clipped = clip(&huge, 300);
        assert_eq!(clipped.chars().count(), 300);
        assert!(clipped.ends_with('…'));
    }

    #[test]
    fn sanitizing_is_idempotent() {
        let inputs = [
            "a\x1b[2J\u{202e}\tb\r\nc\u{200d}",
            "\u{200d}\u{200d}👩\u{200d}\u{200d}💻\u{200d}",
            "x\u{e0068}🏴\u{e0067}\u{e0062}\u{e007f}",
            "\t日本\t\u{301}\u{301}\tz",
        ];
        for s in inputs {
            let l = line(s);
            assert_eq!(line(&l), l, "line {s:?}");
            let t = text(s);
            assert_eq!(text(&t), t, "text {s:?}");
        }
    }

    /// Every Unicode scalar value, alone, among others and inside an emoji ZWJ sequence: `line`
    /// never lets an unsafe one through, and `text` lets only `\n` through. Values are checked
    /// in batches (each between its neighbours, which the property must survive too) to keep
    /// this at a few seconds in a debug build.
    #[test]
    fn no_unsafe_char_survives_any_input() {
        let all: Vec<char> = (0..=0x10FFFF).filter_map(char::from_u32).collect();
        let mut buf = String::new();
        for chunk in all.chunks(64) {
            buf.clear();
            buf.extend(chunk);
            let l = line(&buf);
            assert!(
                !l.chars().any(is_unsafe_char),
                "line lets one of {chunk:?} through: {l:?}"
            );
            let t = text(&buf);
            assert!(
                !t.chars().any(|c| c != '\n' && is_unsafe_char(c)),
                "text lets one of {chunk:?} through"
            );
            buf.clear();
            for &c in chunk {
                buf.push_str("👩\u{200d}");
                buf.push(c);
                buf.push('💻');
            }
            let l = line(&buf);
            assert!(
                !l.chars().any(is_unsafe_char),
                "line lets one of {chunk:?} through: {l:?}"
            );
        }
        for &c in &all {
            buf.clear();
            buf.push(c);
            assert!(
                !line(&buf).chars().any(is_unsafe_char),
                "line lets {c:?} through alone"
            );
        }
    }
}

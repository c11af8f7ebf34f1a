//! Text clean-up: whitespace, zero-width joiners, pictographs, code and tabs.

use super::model::Inline;

/// Cleans a paragraph's spans the way a browser would show them: whitespace runs collapse to
/// one space, invisible characters go, edges are trimmed, adjacent spans of one style merge.
/// With `keep_breaks`, `<br>` breaks stay (at most two in a row, none at either edge);
/// otherwise they become spaces. Returns nothing when no visible text is left.
pub(super) fn clean_inlines(spans: Vec<Inline>, keep_breaks: bool) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut after_space = true;
    for span in spans {
        if span.is_break() && keep_breaks {
            trim_spaces_end(&mut out);
            push_break(&mut out);
            after_space = true;
            continue;
        }
        let mut text = String::with_capacity(span.text.len());
        for c in clean_chars(&span.text).chars() {
            if c == ' ' && after_space {
                continue;
            }
            after_space = c == ' ';
            text.push(c);
        }
        if !text.is_empty() {
            out.push(Inline { text, ..span });
        }
    }
    trim_end(&mut out);
    if out.iter().all(Inline::is_break) {
        return Vec::new();
    }
    merge_spans(out)
}

pub(super) fn push_break(out: &mut Vec<Inline>) {
    let trailing = out.iter().rev().take_while(|s| s.is_break()).count();
    // No break at the start of a paragraph, and at most one blank line inside it.
    if !out.is_empty() && trailing < 2 {
        out.push(Inline::line_break());
    }
}

pub(super) fn trim_spaces_end(out: &mut Vec<Inline>) {
    while let Some(last) = out.last_mut() {
        if last.is_break() {
            return;
        }
        let kept = last.text.trim_end_matches(' ').len();
        last.text.truncate(kept);
        if !last.text.is_empty() {
            return;
        }
        out.pop();
    }
}

/// Removes trailing spaces and breaks (the export ends paragraphs with `<br>U+200D`).
pub(super) fn trim_end(out: &mut Vec<Inline>) {
    loop {
        trim_spaces_end(out);
        match out.last() {
            Some(last) if last.is_break() => {
                out.pop();
            }
            _ => return,
        }
    }
}

/// Merges neighbours with identical style and link; breaks stay separate spans.
pub(super) fn merge_spans(spans: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(spans.len());
    for span in spans {
        match out.last_mut() {
            Some(last)
                if !last.is_break()
                    && !span.is_break()
                    && !span.style.image
                    && last.style == span.style
                    && last.link == span.link =>
            {
                last.text.push_str(&span.text);
            }
            _ if span.text.is_empty() => {}
            _ => out.push(span),
        }
    }
    out
}

/// Maps every whitespace character to a space and drops invisible or unsafe ones: zero-width
/// spaces, BOMs, word joiners, a U+200D that does not join two pictographs (the export uses a
/// lone U+200D as a spacer), control characters and bidi overrides.
pub(super) fn clean_chars(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\u{A0}' | '\t' | '\n' | '\r' | '\u{0C}' => out.push(' '),
            '\u{200B}'
            | '\u{FEFF}'
            | '\u{2060}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}' => {}
            '\u{200D}' => {
                let before = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
                let after = chars.get(i + 1).copied();
                if before.is_some_and(ends_pictograph) && after.is_some_and(is_pictographic) {
                    out.push(c);
                }
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether `c` can end the emoji before a joiner: a pictograph, a variation selector or a
/// skin-tone modifier.
pub(super) fn ends_pictograph(c: char) -> bool {
    is_pictographic(c) || c == '\u{FE0F}' || ('\u{1F3FB}'..='\u{1F3FF}').contains(&c)
}

/// An approximation of Unicode's Extended_Pictographic property, enough to keep emoji ZWJ
/// sequences (👩‍💻, 🏳️‍🌈) intact.
pub(super) fn is_pictographic(c: char) -> bool {
    matches!(c as u32,
        0x00A9 | 0x00AE | 0x203C | 0x2049 | 0x2122 | 0x2139 | 0x2194..=0x21AA | 0x2300..=0x23FF
        | 0x24C2 | 0x25A0..=0x25FF | 0x2600..=0x27BF | 0x2934 | 0x2935 | 0x2B00..=0x2BFF | 0x3030
        | 0x303D | 0x3297 | 0x3299 | 0x1F000..=0x1FAFF | 0x1FC00..=0x1FFFD)
}

/// Text of an attribute shown to readers: cleaned like body text, trimmed.
pub(super) fn collapse_text(text: &str) -> String {
    clean_chars(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `<pre>` text: tabs expanded, invisible characters dropped, trailing spaces removed (a
/// terminal shows none), blank lines at either end removed. Blank lines inside are kept, runs
/// of them too: code keeps its shape.
pub(super) fn clean_code(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    // The newline that ends the last line is not content (the one right after `<pre>` the
    // HTML parser already drops); every other blank line, leading or trailing, is the
    // author's.
    let raw = raw.strip_suffix('\n').unwrap_or(&raw);
    let lines: Vec<String> = raw
        .split('\n')
        .map(|line| clean_chars(&expand_tabs(line)).trim_end().to_owned())
        .collect();
    if lines.iter().all(String::is_empty) {
        return String::new();
    }
    lines.join("\n")
}

pub(super) fn expand_tabs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut col = 0;
    for c in line.chars() {
        if c == '\t' {
            let n = 4 - col % 4;
            out.extend(std::iter::repeat_n(' ', n));
            col += n;
        } else {
            out.push(c);
            col += 1;
        }
    }
    out
}

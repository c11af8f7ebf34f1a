//! Template syntax of other generators, turned into plain Markdown before a body is read:
//! Hugo shortcodes (`{{< name >}}`, `{{% name %}}`), Liquid (Jekyll) and Nunjucks (Eleventy)
//! tags (`{% name %}`, `{{ expression }}`, `{# comment #}`). None of it reaches the reader raw.
//!
//! Links to other articles (`ref`, `relref`, `post_url`, `link`) become `/slug` paths, which
//! the library resolves to the article when it is there; media shortcodes become a link or an
//! image line; paired shortcodes keep their inner text; the rest is dropped.

use std::borrow::Cow;

use super::frontmatter::Date;

/// `body` with template syntax replaced; borrowed when it has none (the usual case).
///
/// Code is left as written: inside fenced and indented code blocks, code spans and HTML
/// `<pre>`/`<code>`, template syntax is what the article shows (documentation about templates
/// is full of it), so nothing there is dropped; only Hugo's escaped shortcodes
/// (`{{</* name */>}}`) are unescaped, as Hugo itself shows them.
pub fn neutralize(body: &str) -> Cow<'_, str> {
    // One pass over the body for the usual case, which has no `{` at all.
    if find_open(body).is_none() {
        return Cow::Borrowed(body);
    }
    let code = code_ranges(body);
    let mut code = code.iter().peekable();
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(open) = find_open(rest) {
        let at = body.len() - rest.len() + open;
        while code.peek().is_some_and(|r| r.end <= at) {
            code.next();
        }
        if let Some(range) = code.peek().filter(|r| r.start <= at) {
            // Inside code: copy the code through to its end as written.
            let end = range.end - (body.len() - rest.len());
            out.push_str(&unescape_shortcodes(&rest[..end]));
            rest = &rest[end..];
            continue;
        }
        out.push_str(&rest[..open]);
        let from = &rest[open..];
        let Some((tag, len)) = Tag::read(from) else {
            out.push_str(&from[..2]);
            rest = &from[2..];
            continue;
        };
        rest = &from[len..];
        match tag.kind {
            TagKind::Comment => {}
            TagKind::Escaped => out.push_str(&unescape_shortcodes(&from[..len])),
            TagKind::Liquid if tag.name == "raw" => {
                // Everything up to `{% endraw %}` is shown as written.
                let (inner, after) = until_end(rest, "endraw");
                out.push_str(inner);
                rest = after;
            }
            TagKind::Liquid if tag.name == "comment" => rest = until_end(rest, "endcomment").1,
            TagKind::Liquid if matches!(tag.name.as_str(), "highlight" | "codeblock") => {
                let (inner, after) = until_end(rest, &format!("end{}", tag.name));
                code_block(&mut out, tag.args.first().map_or("", String::as_str), inner);
                rest = after;
            }
            TagKind::Shortcode if tag.name == "highlight" && !tag.closing => {
                let (inner, after) = until_shortcode_end(rest, "highlight");
                code_block(&mut out, tag.args.first().map_or("", String::as_str), inner);
                rest = after;
            }
            TagKind::Expression => out.push_str(&expression(&tag.raw)),
            _ => out.push_str(&replacement(&tag)),
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Hugo's escaped shortcodes `{{</* x */>}}` and `{{%/* x */%}}` as Hugo shows them.
fn unescape_shortcodes(text: &str) -> Cow<'_, str> {
    if !text.contains("/*") {
        return Cow::Borrowed(text);
    }
    let mut out = text.to_owned();
    for (escaped, plain) in [
        ("{{</*", "{{<"),
        ("*/>}}", ">}}"),
        ("{{%/*", "{{%"),
        ("*/%}}", "%}}"),
    ] {
        out = out.replace(escaped, plain);
    }
    Cow::Owned(out)
}

/// Byte ranges of code in a Markdown (or HTML) body, in order: fenced code blocks (to the
/// closing fence, or the end), indented code blocks (after a blank line, outside lists),
/// code spans on one line, and HTML `<pre>`/`<code>` elements.
fn code_ranges(body: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut fence: Option<(u8, usize, usize)> = None; // (char, run length, start)
    let mut previous_blank = true;
    let mut in_list = false;
    let mut indented: Option<usize> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let text = line.trim_end_matches(['\n', '\r']);
        let stripped = text.trim_start_matches(' ');
        let indent = text.len() - stripped.len();
        if let Some((ch, run, from)) = fence {
            let closing = indent < 4
                && stripped.bytes().take_while(|&b| b == ch).count() >= run
                && stripped.trim_start_matches(ch as char).trim().is_empty();
            if closing {
                ranges.push(from..offset);
                fence = None;
            }
            continue;
        }
        let blank = text.trim().is_empty();
        if let Some(from) = indented {
            if blank || indent >= 4 || text.starts_with('\t') {
                previous_blank = blank;
                continue;
            }
            ranges.push(from..start);
            indented = None;
        }
        let marker = stripped.as_bytes().first().copied();
        if indent < 4 && matches!(marker, Some(b'`' | b'~')) {
            let ch = marker.unwrap_or(b'`');
            let run = stripped.bytes().take_while(|&b| b == ch).count();
            if run >= 3 && !(ch == b'`' && stripped[run..].contains('`')) {
                fence = Some((ch, run, start));
                previous_blank = false;
                continue;
            }
        }
        if !blank && (indent >= 4 || text.starts_with('\t')) && previous_blank && !in_list {
            indented = Some(start);
            previous_blank = false;
            continue;
        }
        if !blank && indent < 4 {
            in_list = is_list_item(stripped) || (in_list && indent > 0);
        }
        code_spans(text, start, &mut ranges);
        previous_blank = blank;
    }
    if let Some((_, _, from)) = fence {
        ranges.push(from..body.len());
    }
    if let Some(from) = indented {
        ranges.push(from..body.len());
    }
    html_code(body, &mut ranges);
    ranges.sort_by_key(|r| r.start);
    // Keep the outermost of overlapping ranges.
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// Whether a line starts a list item (`-`, `*`, `+`, `1.`, `1)`).
fn is_list_item(line: &str) -> bool {
    let b = line.as_bytes();
    match b.first() {
        Some(b'-' | b'*' | b'+') => b.get(1).is_none_or(|c| c.is_ascii_whitespace()),
        Some(c) if c.is_ascii_digit() => {
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            matches!(b.get(digits), Some(b'.' | b')'))
        }
        _ => false,
    }
}

/// Code spans on one line: a run of backticks up to the next run of the same length.
fn code_spans(line: &str, start: usize, ranges: &mut Vec<std::ops::Range<usize>>) {
    let b = line.as_bytes();
    let mut i = 0;
    while let Some(j) = memchr::memchr(b'`', &b[i..]) {
        let open = i + j;
        let run = b[open..].iter().take_while(|&&c| c == b'`').count();
        let mut k = open + run;
        let mut closed = None;
        while let Some(m) = memchr::memchr(b'`', &b[k..]) {
            let at = k + m;
            let len = b[at..].iter().take_while(|&&c| c == b'`').count();
            if len == run {
                closed = Some(at + len);
                break;
            }
            k = at + len;
        }
        match closed {
            Some(end) => {
                ranges.push(start + open..start + end);
                i = end;
            }
            None => i = open + run,
        }
    }
}

/// HTML `<pre>…</pre>` and `<code>…</code>` elements (names in any case).
fn html_code(body: &str, ranges: &mut Vec<std::ops::Range<usize>>) {
    let lower = body.to_ascii_lowercase();
    for (open, close) in [("<pre", "</pre>"), ("<code", "</code>")] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(open) {
            let at = from + i;
            let after = lower.as_bytes().get(at + open.len()).copied();
            if !matches!(after, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r')) {
                from = at + open.len();
                continue;
            }
            let end = lower[at..]
                .find(close)
                .map_or(body.len(), |j| at + j + close.len());
            ranges.push(at..end);
            from = end;
        }
    }
}

/// The next `{{`, `{%` or `{#`.
fn find_open(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'{', &bytes[from..]) {
        let at = from + i;
        if matches!(bytes.get(at + 1), Some(b'{' | b'%' | b'#')) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[derive(Debug, PartialEq)]
enum TagKind {
    /// `{{< … >}}` or `{{% … %}}`.
    Shortcode,
    /// `{% … %}`.
    Liquid,
    /// `{{ … }}`.
    Expression,
    /// `{# … #}` or `{{/* … */}}`.
    Comment,
    /// Hugo's escaped shortcode `{{</* x */>}}`: shown as the shortcode it documents.
    Escaped,
}

#[derive(Debug)]
struct Tag {
    kind: TagKind,
    /// The first word, lower-cased, without a leading `/` or `end`.
    name: String,
    closing: bool,
    /// Positional arguments, unquoted.
    args: Vec<String>,
    /// `key=value` arguments, unquoted.
    named: Vec<(String, String)>,
    /// The text between the delimiters.
    raw: String,
}

impl Tag {
    /// The tag at the start of `s` and its length in bytes.
    fn read(s: &str) -> Option<(Tag, usize)> {
        let (kind, open, close) = if s.starts_with("{{<") {
            (TagKind::Shortcode, "{{<", ">}}")
        } else if s.starts_with("{{%") {
            (TagKind::Shortcode, "{{%", "%}}")
        } else if s.starts_with("{%") {
            (TagKind::Liquid, "{%", "%}")
        } else if s.starts_with("{#") {
            (TagKind::Comment, "{#", "#}")
        } else {
            (TagKind::Expression, "{{", "}}")
        };
        let end = s[open.len()..].find(close)? + open.len();
        let inner = s[open.len()..end].trim_matches(['-', '~']).trim();
        let len = end + close.len();
        // `{{</* x */>}}` is Hugo's way to show a shortcode as text; `{{/* x */}}` a comment.
        let kind = if inner.starts_with("/*") && inner.ends_with("*/") {
            if kind == TagKind::Shortcode {
                TagKind::Escaped
            } else {
                TagKind::Comment
            }
        } else {
            kind
        };
        let mut words = split_args(inner);
        let first = if words.is_empty() {
            String::new()
        } else {
            words.remove(0)
        };
        let closing = first.starts_with('/') || first.starts_with("end");
        let name = first
            .trim_start_matches('/')
            .trim_end_matches('/')
            .to_lowercase();
        let mut args = Vec::new();
        let mut named = Vec::new();
        for w in words {
            let w = w.trim_end_matches('/');
            match w.split_once('=') {
                Some((k, v)) if !k.is_empty() && !k.contains(['"', '\'']) => {
                    named.push((k.to_lowercase(), unquote(v).to_owned()))
                }
                _ if w.is_empty() || w == "," => {}
                _ => args.push(unquote(w.trim_end_matches(',')).to_owned()),
            }
        }
        let tag = Tag {
            kind,
            name,
            closing,
            args,
            named,
            raw: inner.to_owned(),
        };
        Some((tag, len))
    }

    fn named(&self, key: &str) -> Option<&str> {
        self.named
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// Words separated by spaces, a quoted string (with its spaces) being one word.
fn split_args(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                word.push(c);
            }
            (Some(_), c) => word.push(c),
            (None, '"' | '\'' | '`') => {
                quote = Some(c);
                word.push(c);
            }
            (None, c) if c.is_whitespace() || c == ',' => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            (None, c) => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\'', '`'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|x| x.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// What a shortcode or Liquid tag becomes.
fn replacement(tag: &Tag) -> String {
    if tag.closing {
        return String::new(); // the end of a paired tag: its inner text stays
    }
    let first = tag.args.first().map(String::as_str);
    match tag.name.as_str() {
        "ref" | "relref" | "link" | "post_url" => first
            .or(tag.named("path"))
            .map(link_path)
            .unwrap_or_default(),
        "youtube" => video(
            tag.named("id").or(first),
            "https://www.youtube.com/watch?v=",
        ),
        "vimeo" => video(tag.named("id").or(first), "https://vimeo.com/"),
        "gist" => match tag.args.as_slice() {
            [user, id, ..] => format!("<https://gist.github.com/{user}/{id}>"),
            _ => String::new(),
        },
        "tweet" | "x" | "twitter" => match (tag.named("user"), tag.named("id").or(first)) {
            (Some(user), Some(id)) => format!("<https://x.com/{user}/status/{id}>"),
            (None, Some(id)) if id.starts_with("http") => format!("<{id}>"),
            _ => String::new(),
        },
        "figure" | "image" | "img" | "picture" => {
            let src = tag.named("src").or(first).unwrap_or_default();
            let caption = tag
                .named("caption")
                .or(tag.named("alt"))
                .or(tag.named("title"))
                .or(tag.args.get(1).map(String::as_str))
                .unwrap_or_default();
            let caption = caption.replace(['[', ']'], "");
            if src.is_empty() {
                format!("\n\n[image: {caption}]\n\n")
            } else {
                format!("\n\n![{caption}]({})\n\n", src.replace(' ', "%20"))
            }
        }
        _ => String::new(),
    }
}

/// A link target for a `ref`/`post_url` argument: `/` and the slug the file would have
/// (a bundle's folder, a file name without its date prefix and extension), plus any `#anchor`.
fn link_path(target: &str) -> String {
    let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
    let path = path.trim_end_matches('/');
    let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let mut name = parts.pop().unwrap_or_default();
    let stem = name.rsplit_once('.').map_or(name, |(stem, ext)| {
        if matches!(
            ext,
            "md" | "markdown" | "mdx" | "mkd" | "mkdn" | "mdown" | "mkdown" | "html"
        ) {
            stem
        } else {
            name
        }
    });
    name = stem;
    if (name == "index" || name == "_index")
        && let Some(folder) = parts.pop()
    {
        name = folder;
    }
    let name = Date::from_name_prefix(name).map_or(name, |(_, rest)| rest);
    if name.is_empty() {
        return String::new();
    }
    if anchor.is_empty() {
        format!("/{name}")
    } else {
        format!("/{name}#{anchor}")
    }
}

fn video(id: Option<&str>, base: &str) -> String {
    match id {
        Some(id) if id.starts_with("http") => format!("\n\n[video: <{id}>]\n\n"),
        Some(id) => format!("\n\n[video: <{base}{id}>]\n\n"),
        None => String::new(),
    }
}

/// `{{ "/path/" | url }}` is the path; `{{ site.title }}` and other variables are dropped.
fn expression(raw: &str) -> String {
    let value = raw.split('|').next().unwrap_or_default().trim();
    let literal = unquote(value);
    if literal.len() < value.len() {
        literal.to_owned()
    } else {
        String::new()
    }
}

/// The text up to the Liquid tag `{% end %}`, and what follows it (everything when unclosed).
fn until_end<'a>(s: &'a str, end: &str) -> (&'a str, &'a str) {
    let mut from = 0;
    while let Some(i) = s[from..].find("{%") {
        let at = from + i;
        if let Some((tag, len)) = Tag::read(&s[at..])
            && tag.kind == TagKind::Liquid
            && tag.raw.split_whitespace().next() == Some(end)
        {
            return (&s[..at], &s[at + len..]);
        }
        from = at + 2;
    }
    (s, "")
}

/// The text up to the shortcode `{{< /name >}}`, and what follows it.
fn until_shortcode_end<'a>(s: &'a str, name: &str) -> (&'a str, &'a str) {
    let mut from = 0;
    while let Some(i) = s[from..].find("{{") {
        let at = from + i;
        if let Some((tag, len)) = Tag::read(&s[at..])
            && tag.kind == TagKind::Shortcode
            && tag.closing
            && tag.name == name
        {
            return (&s[..at], &s[at + len..]);
        }
        from = at + 2;
    }
    (s, "")
}

fn code_block(out: &mut String, lang: &str, code: &str) {
    out.push_str("\n\n```");
    out.push_str(lang.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '+'));
    out.push('\n');
    out.push_str(code.trim_matches('\n'));
    out.push_str("\n```\n\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_templates_is_borrowed() {
        assert!(matches!(neutralize("plain { text }"), Cow::Borrowed(_)));
    }

    #[test]
    fn hugo_refs_become_internal_paths() {
        let out = neutralize(
            r#"See [the guide]({{< ref "posts/2020-01-02-salary-talk.md" >}}) and [this]({{< relref "/blog/offers/index.md#tips" >}}) or [that]({{< ref path="plain.md" >}})."#,
        );
        assert_eq!(
            out,
            "See [the guide](/salary-talk) and [this](/offers#tips) or [that](/plain)."
        );
    }

    #[test]
    fn media_shortcodes_become_links_or_images_and_unknown_ones_vanish() {
        let out = neutralize(
            "{{< youtube abc123 >}}\n{{< figure src=\"/img/desk.png\" caption=\"A tidy desk\" >}}\n{{< unknown thing >}}x{{< tweet user=\"someone\" id=\"42\" >}}",
        );
        assert!(
            out.contains("[video: <https://www.youtube.com/watch?v=abc123>]"),
            "{out}"
        );
        assert!(out.contains("![A tidy desk](/img/desk.png)"), "{out}");
        assert!(out.contains("x<https://x.com/someone/status/42>"), "{out}");
        assert!(!out.contains("{{"), "{out}");
    }

    #[test]
    fn paired_shortcodes_keep_their_inner_text() {
        let out = neutralize(
            "{{% notice tip %}}Keep notes.{{% /notice %}}\n{{< highlight python >}}\nprint(1)\n{{< /highlight >}}",
        );
        assert!(out.starts_with("Keep notes.\n"), "{out}");
        assert!(out.contains("```python\nprint(1)\n```"), "{out}");
    }

    #[test]
    fn liquid_and_nunjucks() {
        let out = neutralize(
            "[Older]({% post_url 2019-01-01-first-week %}) {{ \"/about/\" | url }} {{ site.title }}{% include footer.html %}{# note #}\n{% image \"./desk.jpg\", \"My desk\" %}\n{% raw %}{{ kept }}{% endraw %}{%- comment -%}gone{%- endcomment -%}",
        );
        assert!(
            out.starts_with("[Older](/first-week) /about/ \n"),
            "{out:?}"
        );
        assert!(out.contains("![My desk](./desk.jpg)"), "{out}");
        assert!(out.contains("{{ kept }}"), "{out}");
        assert!(!out.contains("gone") && !out.contains("{%"), "{out}");
        let alt = neutralize("{% image src=\"a.png\" alt=\"Chart of offers\" %}");
        assert!(alt.contains("![Chart of offers](a.png)"), "{alt}");
    }

    #[test]
    fn code_keeps_its_template_syntax_word_for_word() {
        let body = "Use `{{ user.name }}` in the template, or ``{% if offer %}`` blocks.\n\n```jinja\nDear {{ recruiter_name }},\n{% for job in jobs %}\n- {{ job.title }}\n{% endfor %}\n```\n\n    {{ indented.code }}\n\nAfter {{ site.title }}the code.\n<pre>{{ .Title }} → About</pre> and <code>{% raw %}</code>\n";
        let out = neutralize(body);
        for kept in [
            "`{{ user.name }}`",
            "``{% if offer %}``",
            "Dear {{ recruiter_name }},\n{% for job in jobs %}\n- {{ job.title }}\n{% endfor %}",
            "    {{ indented.code }}",
            "<pre>{{ .Title }} → About</pre>",
            "<code>{% raw %}</code>",
        ] {
            assert!(out.contains(kept), "{kept:?} lost from:\n{out}");
        }
        assert!(
            out.contains("After the code."),
            "outside code it still goes: {out}"
        );
    }

    #[test]
    fn escaped_shortcodes_show_as_the_shortcode_they_document() {
        let out = neutralize(
            "Embed with {{</* youtube abc */>}}.\n\n```\n{{</* figure src=\"a.png\" */>}}\n```\n",
        );
        assert!(out.contains("Embed with {{< youtube abc >}}."), "{out}");
        assert!(out.contains("{{< figure src=\"a.png\" >}}"), "{out}");
    }

    #[test]
    fn list_continuations_are_not_code_and_unclosed_fences_run_to_the_end() {
        let out = neutralize("- item\n\n    more {{ site.title }}text\n");
        assert_eq!(out, "- item\n\n    more text\n");
        let out = neutralize("```\n{{ a }}\n");
        assert_eq!(out, "```\n{{ a }}\n");
    }

    #[test]
    fn unclosed_delimiters_are_left_as_text() {
        assert_eq!(neutralize("a {{ b"), "a {{ b");
        assert_eq!(neutralize("{%"), "{%");
    }
}

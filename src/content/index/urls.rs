//! URL normalization for linking: the same page written two ways compares equal, and the
//! names a link path can give an article (relative links, `.md` files, Jekyll dates...).

use std::borrow::Cow;

use crate::content::date::Date;

/// Lower-cases scheme and host and drops `www.`, query, fragment and trailing slash, so that
/// the same page written two ways compares equal.
pub(super) fn normalize_url(url: &str) -> String {
    let mut out = String::new();
    normalize_into(url, &mut out);
    out
}

/// [`normalize_url`] into a reused buffer.
pub(super) fn normalize_into(url: &str, out: &mut String) {
    // Byte searches rather than pattern splits: linking runs this for every link.
    let end = memchr::memchr2(b'#', b'?', url.as_bytes()).unwrap_or(url.len());
    let url = url[..end].trim_end_matches('/');
    let rest = memchr::memmem::find(url.as_bytes(), b"://").map_or(url, |i| &url[i + 3..]);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    // `get` rather than slicing: a host can hold multi-byte characters.
    let host = match host.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("www.") => &host[4..],
        _ => host,
    };
    out.clear();
    out.push_str(host);
    out.make_ascii_lowercase();
    out.push('/');
    out.push_str(path);
}

/// What kind of place a link target is, for resolving it to an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LinkPlace<'a> {
    /// An `http(s)://` or protocol-relative `//` URL on `host` (as written, `www.` dropped):
    /// an article by its canonical URL, or by name when the host is that article's canonical
    /// host (any of the library's canonical hosts for an article without one). A page of
    /// another site that happens to end in a library slug is not that article.
    Web { host: &'a str },
    /// A path of this site: rooted (`/blog/x/`) or relative (`../x.md`, `x.html`, Zola's
    /// `@/blog/x.md`). Generators write these for links between their own pages.
    Site,
}

/// Where `url` points: `None` for what is never an article (`mailto:`, `tel:` and any other
/// scheme, a fragment or query alone, nothing at all).
pub(super) fn link_place(url: &str) -> Option<LinkPlace<'_>> {
    if let Some(rest) = url.strip_prefix("//") {
        return Some(LinkPlace::Web {
            host: host_of(rest),
        });
    }
    match scheme(url) {
        Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {
            let rest = url[s.len() + 1..].trim_start_matches('/');
            Some(LinkPlace::Web {
                host: host_of(rest),
            })
        }
        Some(_) => None,
        None if url.starts_with(['#', '?']) || url.is_empty() => None,
        None => Some(LinkPlace::Site),
    }
}

/// The scheme of a URL (`mailto` of `mailto:x`), by RFC 3986: a letter, then letters, digits,
/// `+`, `-` or `.`, then `:` (so a path, which has `/` or `.` first or a `/` before any `:`,
/// has none).
fn scheme(url: &str) -> Option<&str> {
    let b = url.as_bytes();
    if !b.first()?.is_ascii_alphabetic() {
        return None;
    }
    // Byte loops: every link of a library goes through here.
    let colon = b
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.')))?;
    (b[colon] == b':').then(|| &url[..colon])
}

/// The host of `host[:port]/path...`, `www.` dropped.
fn host_of(rest: &str) -> &str {
    let end = memchr::memchr3(b'/', b'?', b'#', rest.as_bytes()).unwrap_or(rest.len());
    let host = &rest[..end];
    let host = memchr::memrchr(b'@', host.as_bytes()).map_or(host, |at| &host[at + 1..]);
    match host.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("www.") => &host[4..],
        _ => host,
    }
}

/// The host of an absolute URL, or `None` for a path.
pub(super) fn url_host(url: &str) -> Option<&str> {
    match link_place(url)? {
        LinkPlace::Web { host } => Some(host),
        LinkPlace::Site => None,
    }
}

/// File extensions of pages: a link to `x.md` or `x.html` names the page `x`.
const PAGE_EXTENSIONS: &[&str] = &[
    "md", "mdx", "markdown", "mkd", "mkdn", "mdown", "mkdown", "html", "htm",
];

/// Calls `find` with each name the last segment of `url`'s path can give an article, most
/// literal first, and returns the first answer: the segment as written, percent-decoded,
/// without a page extension (`.md`, `.html`...), with a bundle's `index.md` or Zola's
/// `_index.md` standing for its folder; then without a Jekyll date prefix (`2024-01-05-`).
/// Each of those is tried as written, with spaces as hyphens (as a file name becomes a slug)
/// and in lower case. A query and a fragment are no part of the name; `.` and `..` name
/// nothing.
pub(super) fn find_by_name<T>(url: &str, mut find: impl FnMut(&str) -> Option<T>) -> Option<T> {
    let end = memchr::memchr2(b'#', b'?', url.as_bytes()).unwrap_or(url.len());
    let (folder, last) = last_segment(&url[..end]);
    let mut name = decode(last);
    if let Some(dot) = memchr::memrchr(b'.', name.as_bytes())
        && PAGE_EXTENSIONS
            .iter()
            .any(|e| e.eq_ignore_ascii_case(&name[dot + 1..]))
    {
        // `index.md`, `index.en.md`, `_index.md`: the folder is the page.
        let stem = &name[..dot];
        let bundle = stem == "index" || stem == "_index" || stem.starts_with("index.");
        let stem_len = stem.len();
        let folder = last_segment(folder).1;
        name = match (bundle, folder.is_empty(), name) {
            (true, false, _) => decode(folder),
            (true, true, _) => return None,
            (false, _, Cow::Borrowed(s)) => Cow::Borrowed(&s[..stem_len]),
            (false, _, Cow::Owned(mut s)) => {
                s.truncate(stem_len);
                Cow::Owned(s)
            }
        };
    }
    if name.is_empty() || name == "." || name == ".." {
        return None;
    }
    let undated = Date::from_name_prefix(&name).map(|(_, rest)| rest);
    for candidate in std::iter::once(name.as_ref()).chain(undated) {
        // Most links name a slug exactly: the other forms cost an allocation, so only when
        // they differ.
        if let Some(found) = find(candidate) {
            return Some(found);
        }
        // Spaces become hyphens as a file name becomes a slug; `%20` decodes to one.
        let spaced = candidate
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b >= 0x80)
            && candidate.contains(char::is_whitespace);
        let hyphens = spaced.then(|| candidate.split_whitespace().collect::<Vec<_>>().join("-"));
        if let Some(hyphens) = &hyphens
            && let Some(found) = find(hyphens)
        {
            return Some(found);
        }
        let form = hyphens.as_deref().unwrap_or(candidate);
        if form.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
            let lower = form.to_lowercase();
            if lower != form
                && let Some(found) = find(&lower)
            {
                return Some(found);
            }
        }
    }
    None
}

/// A path's folder and its last segment, trailing slashes aside: `a/b/` gives `a` and `b`.
fn last_segment(path: &str) -> (&str, &str) {
    let path = path.trim_end_matches('/');
    match memchr::memrchr(b'/', path.as_bytes()) {
        Some(at) => (&path[..at], &path[at + 1..]),
        None => ("", path),
    }
}

/// A path segment with `%XX` escapes decoded (invalid UTF-8 replaced, so it names nothing).
fn decode(segment: &str) -> Cow<'_, str> {
    if segment.contains('%') {
        percent_encoding::percent_decode_str(segment).decode_utf8_lossy()
    } else {
        Cow::Borrowed(segment)
    }
}

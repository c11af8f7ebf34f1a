//! URL normalization for linking: the same page written two ways compares equal.

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

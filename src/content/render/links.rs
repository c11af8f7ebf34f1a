//! What counts as a link in a body, written once: cleaning a target, which targets are worth
//! following, and finding bare URLs in text. The document walk and the load-time link scan
//! ([`crate::content::render::document::link_targets`]) both use these rules, so backlinks
//! and the reader's links agree.

/// A link target as written, minus whitespace and control characters (an ESC inside an `href`
/// must never reach the terminal).
pub fn clean_url(raw: &str) -> String {
    // Nearly every target is printable ASCII with nothing to remove.
    if raw.bytes().all(|b| b.is_ascii_graphic()) {
        return raw.to_owned();
    }
    raw.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && !matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{2060}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect()
}

/// Makes a protocol-relative `//host/path` (common in embeds) absolute.
pub fn absolute_url(src: &str) -> String {
    let src = src.trim();
    if src.starts_with("//") {
        format!("https:{src}")
    } else {
        src.to_owned()
    }
}

/// The host part of a URL, or the URL itself when it has none.
pub fn url_host(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => {
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            &rest[..end]
        }
        None => url,
    }
}

/// The last path segment of a URL, without query or fragment.
pub fn file_name(src: &str) -> &str {
    let path = src.split(['?', '#']).next().unwrap_or("");
    path.trim_end_matches('/').rsplit('/').next().unwrap_or("")
}

/// Byte ranges of bare `http://`/`https://` URLs in text. A URL runs to the next whitespace,
/// invisible character, quote or angle bracket; trailing punctuation (and a closing bracket
/// with no opening one inside the URL) is left out, as in prose "see https://x.example/a."
pub fn bare_urls(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = text[from..].find("http").map(|p| from + p) {
        let rest = &text[p..];
        let scheme = if rest.starts_with("https://") {
            8
        } else if rest.starts_with("http://") {
            7
        } else {
            0
        };
        let boundary = text[..p]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if scheme == 0 || !boundary {
            from = p + 4;
            continue;
        }
        let end = p + rest.find(url_stop).unwrap_or(rest.len());
        let end = p + trim_url_end(&text[p..end]);
        if end > p + scheme {
            out.push((p, end));
            from = end;
        } else {
            from = p + scheme;
        }
    }
    out
}

pub fn url_stop(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '<' | '>' | '"' | '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{2060}' | '\u{A0}'
        )
}

/// The length of `url` once trailing punctuation is removed.
pub fn trim_url_end(url: &str) -> usize {
    // Bracket balance is counted once and updated while stripping, so a URL ending in many
    // brackets stays linear.
    const PAIRS: [(char, char); 3] = [('(', ')'), ('[', ']'), ('{', '}')];
    let mut balance = PAIRS.map(|(open, close)| {
        url.chars().filter(|&c| c == open).count() as isize
            - url.chars().filter(|&c| c == close).count() as isize
    });
    let mut end = url.len();
    while let Some(c) = url[..end].chars().next_back() {
        let strip = match PAIRS.iter().position(|&(_, close)| close == c) {
            Some(k) if balance[k] < 0 => {
                balance[k] += 1;
                true
            }
            Some(_) => false,
            None => matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*'),
        };
        if !strip {
            break;
        }
        end -= c.len_utf8();
    }
    end
}

/// Whether a cleaned link target is worth following: not empty, not `javascript:` or `data:`.
pub fn is_followable(url: &str) -> bool {
    let scheme = url.get(..11).unwrap_or(url).to_ascii_lowercase();
    !url.is_empty() && !scheme.starts_with("javascript:") && !scheme.starts_with("data:")
}

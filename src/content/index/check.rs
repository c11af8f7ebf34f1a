//! The lint pass of `careerhub check`: what loads but is probably a mistake.

use rustc_hash::FxHashMap as HashMap;

use super::Index;
use super::urls::normalize_url;
use crate::content::article::Article;
use crate::content::problem::Problem;

impl Index {
    /// Warnings for related links that name no article of this library.
    pub fn unresolved_related(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        for a in &self.articles {
            for l in a.related_links.iter().filter(|l| l.target.is_none()) {
                out.push(Problem::warning(
                    &a.path,
                    a.body_line + l.line - 1,
                    format!("related article `{}` is not in this library: it will open as an external link", l.url),
                ));
            }
        }
        out
    }

    /// Warnings for canonical URLs on another host than the one most of the library uses:
    /// usually a typo, which would send "open in browser" and shared links astray. Only
    /// when one host clearly dominates (at least three articles and more than half).
    pub fn canonical_outliers(&self) -> Vec<Problem> {
        let hosts: Vec<(&Article, String)> = self
            .articles
            .iter()
            .filter_map(|a| {
                // Only absolute URLs have a host (a relative one is already warned about).
                let canonical = a.canonical.as_deref().filter(|c| c.contains("://"))?;
                let normalized = normalize_url(canonical);
                let host = normalized.split('/').next().filter(|h| !h.is_empty())?;
                Some((a, host.to_owned()))
            })
            .collect();
        let mut counts: HashMap<&str, usize> = HashMap::default();
        for (_, host) in &hosts {
            *counts.entry(host.as_str()).or_default() += 1;
        }
        let Some((&common, &uses)) = counts.iter().max_by_key(|(host, n)| (**n, *host)) else {
            return Vec::new();
        };
        if uses < 3 || uses * 2 <= hosts.len() {
            return Vec::new();
        }
        hosts
            .iter()
            .filter(|(_, host)| host != common)
            .map(|(a, host)| {
                Problem::warning(
                    &a.path,
                    1,
                    format!(
                        "`canonical` is on `{host}` while {uses} articles use `{common}`: check it for a typo"
                    ),
                )
            })
            .collect()
    }
}

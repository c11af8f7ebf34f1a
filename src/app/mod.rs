//! The reader as plain data and pure transitions (the Elm shape).
//!
//! [`App`] is the state, [`Action`] the messages, [`update`] the only transition and
//! [`keymap`] turns our own [`keymap::Key`] into actions; [`geometry`] says where each part
//! of the screen is, for the views and for `update` (clicks). Nothing here touches a
//! terminal, so the same app runs locally, over SSH, and headless in tests.

pub mod action;
pub mod geometry;
pub mod keyhelp;
pub mod keymap;
pub mod state;
pub mod update;

#[cfg(test)]
mod tests;

pub use action::Action;
pub use state::{App, AppOptions, Saved, Theme};
pub use update::{Effect, settle, update};

use crate::content::Bodies;
use crate::content::search::{Query, Searcher};

/// The related list of `id`, similar articles ranked by content when `body` has the
/// article, else by shared facets. A scan of the whole library: runners call it on their
/// worker (see `Effect::FindRelated`), never on the input thread.
pub fn rank_related(
    library: &crate::content::Index,
    body: Option<&crate::content::search::fulltext::BodyIndex>,
    id: crate::content::ArticleId,
) -> Vec<crate::content::index::Related> {
    match body {
        Some(body) => body.related(library, id),
        None => library.related(id),
    }
}

/// Applies an action and carries out search, document and related effects at once,
/// returning the other effects.
/// For tests and tools that drive the app without a worker thread.
pub fn update_now(app: &mut App, action: Action) -> Vec<Effect> {
    let mut searcher = Searcher::default();
    let mut bodies = Bodies::new(app.source.clone());
    let mut pending = vec![action];
    let mut out = Vec::new();
    while let Some(action) = pending.pop() {
        for effect in update(app, action) {
            match effect {
                Effect::Search { generation, query } => {
                    let query = Query::parse(&query);
                    let mut hits = searcher.search(&app.library, &query, app.library.by_date());
                    if let Some(body) = &app.body {
                        let found = body.search(
                            &app.library,
                            &query,
                            crate::content::search::fulltext::READER_BODY_HITS,
                            crate::content::search::fulltext::READER_SNIPPETS,
                        );
                        hits = crate::content::search::with_body_hits(hits, found);
                    }
                    pending.push(Action::SearchDone { generation, hits });
                }
                Effect::LoadDocument(id) => {
                    let result = bodies.document(&app.library, id).map_err(|p| p.to_string());
                    pending.push(Action::DocumentReady { id, result });
                }
                Effect::FindRelated(id) => {
                    let related = rank_related(&app.library, app.body.as_deref(), id);
                    pending.push(Action::RelatedReady { id, related });
                }
                other => out.push(other),
            }
        }
    }
    // As a runner does after each burst of input.
    settle(app);
    out
}

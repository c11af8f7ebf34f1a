//! Everything a user (or the runtime) can do to the app.

use std::sync::Arc;

use crate::content::ArticleId;
use crate::content::render::document::Document;
use crate::content::search::Hit;

/// A change request for [`crate::app::update`]. Keys map to actions in
/// [`crate::app::keymap`]; the runtime adds `Resize` and `SearchDone`.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Leave the innermost thing (overlay, reader, then the app).
    Quit,
    /// Quit at once, from anywhere (Ctrl-C).
    ForceQuit,
    /// Cancel the innermost thing: search input, overlay, find, active filter.
    Cancel,
    /// The terminal is now this many columns and rows.
    Resize(u16, u16),

    // Moving a selection or scrolling the article.
    Up,
    Down,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    Top,
    Bottom,
    /// Mouse wheel, by this many lines (negative is up).
    Scroll(i32),
    /// Left click at this 0-based cell. `update` works out what is drawn there
    /// ([`crate::app::geometry::target_at`]): a click selects an entry, and a click on the
    /// highlighted entry acts on it as Enter does; a click on a link in the reader's text
    /// follows it as `FollowLink` does; anywhere else it does nothing.
    Click {
        column: u16,
        row: u16,
    },

    /// Focus the search line (library) or find-in-article (reader).
    StartSearch,
    /// Type a character into the focused input.
    Input(char),
    /// Delete the character before the cursor.
    Backspace,
    /// Delete the word before the cursor.
    DeleteWord,
    /// Clear the focused input.
    ClearInput,
    /// Leave the input, keeping its text.
    SubmitInput,
    /// New results from the search worker for query generation `generation`.
    SearchDone {
        generation: u64,
        hits: Vec<Hit>,
    },

    /// Open the selected thing (article, facet value, related entry, heading).
    Open,
    /// Open this article directly.
    OpenArticle(ArticleId),
    /// A message from the runtime for the status line (a save that failed, say).
    Notice(String),
    /// How far the body index has got: `done` of `total` articles; `finished` once the
    /// last update is complete (results then include every body).
    IndexProgress {
        done: usize,
        total: usize,
        finished: bool,
    },
    /// The related list asked for with `Effect::FindRelated`, ranked.
    RelatedReady {
        id: ArticleId,
        related: Vec<crate::content::index::Related>,
    },
    /// The library's link graph is there: backlinks can be shown (see
    /// [`crate::content::Index::links_ready`]).
    LinksReady,
    /// The document asked for with `Effect::LoadDocument` is ready, or why it is not.
    DocumentReady {
        id: ArticleId,
        result: Result<Arc<Document>, String>,
    },
    /// Go back in history.
    Back,
    /// Go forward in history.
    Forward,
    /// Follow link `[n]` of the article (1-based).
    FollowLink(usize),
    /// A digit of a link number typed in the reader: the link is followed as soon as no
    /// other link's number starts with the digits typed (so `1` `2` reaches `[12]`); Enter
    /// follows the number typed so far, Esc forgets it.
    LinkDigit(u8),
    /// Start typing the number of a link to copy instead of follow (`Y` then `12`).
    StartCopyLink,
    /// Next / previous hit of find-in-article.
    FindNext,
    FindPrev,

    /// Show or hide the facet panel and focus it.
    ToggleFacets,
    /// Remove every facet filter.
    ClearFilters,
    /// Move focus to the next pane (list, facets).
    NextPane,
    /// Show or hide the related-articles panel.
    ToggleRelated,
    /// Show or hide the table of contents.
    ToggleToc,
    /// Show or hide the help overlay.
    ToggleHelp,
    /// Show the bookmarks view.
    ShowBookmarks,
    /// Show recently read articles.
    ShowHistory,
    /// Bookmark or un-bookmark the current article.
    ToggleBookmark,
    /// Open the current link or article in a browser.
    OpenInBrowser,
    /// Copy the current link or article URL to the clipboard (OSC 52).
    CopyUrl,
}

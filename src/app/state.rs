//! App state: plain data, grouped per pane. Only [`crate::app::update`] changes it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::content::index::{FacetCount, RelatedKind};
use crate::content::render::document::Document;
use crate::content::render::layout::Layout;
use crate::content::search::Hit;
use crate::content::search::fulltext::BodyIndex;
use crate::content::{ArticleId, Index, Source};

/// Smallest terminal the reader draws in; below it a "terminal too small" message shows.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;
/// From this width up, the library shows the list and a preview side by side.
pub const WIDE_WIDTH: u16 = 100;
/// Longest line of article text: long lines are hard to read.
pub const MAX_TEXT_WIDTH: u16 = 96;
/// Width of the facet panel when it sits beside the list.
pub const FACET_PANEL_WIDTH: u16 = 30;
/// Recently read articles kept.
pub const RECENT_LIMIT: usize = 50;

/// Options fixed for a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AppOptions {
    pub theme: Theme,
    /// Use colours (false with NO_COLOR).
    pub color: bool,
    /// Whether "open in browser" can start a browser (false over SSH: it copies instead).
    pub can_open_browser: bool,
}

/// Colour theme: which palette of [`crate::ui::theme`] the styles come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Colours for a dark terminal background.
    #[default]
    Dark,
    /// Colours for a light terminal background.
    Light,
}

/// Which screen is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Library,
    Reader,
}

/// Which part of the library screen has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Search,
    Facets,
}

/// What keys mean right now; derived from screen, focus and overlays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Library,
    Facets,
    Reader,
    Overlay,
    TextInput,
}

/// A panel drawn over the current screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// Every key; `scroll` is the first line shown when the box is too short for all.
    Help { scroll: usize },
    /// Table of contents of the open article.
    Toc {
        selected: usize,
        /// The entry on the first row once a click selected one, so the list does not move
        /// under the pointer; `None` (keys) centres the selection. Followed only while the
        /// selection is in view: see [`crate::app::geometry::overlay_list`].
        top: Option<usize>,
    },
    /// Related articles and internal links of an article.
    Related {
        /// The article they are related to.
        article: ArticleId,
        items: Vec<RelatedItem>,
        /// Similar articles are still being ranked on the worker: `items` holds the related
        /// links, backlinks and text links until `Action::RelatedReady` brings the rest.
        ranking: bool,
        selected: usize,
        /// As in [`Overlay::Toc`].
        top: Option<usize>,
    },
    /// Bookmarked articles.
    Bookmarks {
        selected: usize,
        /// As in [`Overlay::Toc`].
        top: Option<usize>,
    },
    /// Recently read articles.
    History {
        selected: usize,
        /// As in [`Overlay::Toc`].
        top: Option<usize>,
    },
}

impl Overlay {
    /// The selected entry and the pinned first row of a list overlay; `None` for help.
    pub fn list(&self) -> Option<(usize, Option<usize>)> {
        match self {
            Overlay::Help { .. } => None,
            Overlay::Toc { selected, top }
            | Overlay::Related { selected, top, .. }
            | Overlay::Bookmarks { selected, top }
            | Overlay::History { selected, top } => Some((*selected, *top)),
        }
    }

    /// [`Overlay::list`], to change.
    pub fn list_mut(&mut self) -> Option<(&mut usize, &mut Option<usize>)> {
        match self {
            Overlay::Help { .. } => None,
            Overlay::Toc { selected, top }
            | Overlay::Related { selected, top, .. }
            | Overlay::Bookmarks { selected, top }
            | Overlay::History { selected, top } => Some((selected, top)),
        }
    }
}

/// One row of the related panel.
#[derive(Debug, Clone, PartialEq)]
pub struct RelatedItem {
    pub id: ArticleId,
    pub label: RelatedLabel,
}

/// Why an article is in the related panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelatedLabel {
    Kind(RelatedKind),
    /// Linked from the article text as link `[n]`.
    Link(usize),
}

/// The article list: results from the search worker, narrowed by facet filters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListPane {
    /// Results for the current query, best first.
    pub results: Vec<Hit>,
    /// Indices into `results` that pass the facet filters; what the list shows.
    pub visible: Vec<usize>,
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
}

/// The search line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchPane {
    pub input: String,
    /// Generation of the newest query sent to the worker; older results are dropped.
    pub generation: u64,
    /// True while the newest query's results have not arrived.
    pub pending: bool,
}

/// The facet panel: filters and live counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FacetPane {
    pub open: bool,
    /// Index into [`FacetPane::rows`].
    pub selected: usize,
    pub offset: usize,
    /// Active filters: (facet, value). Values of one facet are alternatives.
    pub active: BTreeSet<(String, String)>,
    /// Each facet's values with counts under the current query and the other facets' filters.
    pub counts: Vec<(String, Vec<FacetCount>)>,
}

/// One selectable row of the facet panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FacetRow {
    pub facet: usize,
    pub value: usize,
}

impl FacetPane {
    /// Every facet value in display order.
    pub fn rows(&self) -> Vec<FacetRow> {
        let mut rows = Vec::new();
        for (f, (_, values)) in self.counts.iter().enumerate() {
            rows.extend((0..values.len()).map(|v| FacetRow { facet: f, value: v }));
        }
        rows
    }

    /// The (facet, value) pair of a row.
    pub fn pair(&self, row: FacetRow) -> (&str, &FacetCount) {
        let (name, values) = &self.counts[row.facet];
        (name, &values[row.value])
    }

    /// Whether (facet, value) is an active filter.
    pub fn is_active(&self, facet: &str, value: &str) -> bool {
        self.active.contains(&(facet.to_owned(), value.to_owned()))
    }
}

/// Find-in-article state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindState {
    pub input: String,
    /// Typing into the find line.
    pub editing: bool,
    /// (line, char start, char end) of each hit in the layout.
    pub hits: Vec<(usize, usize, usize)>,
    pub current: usize,
    /// `input` changed since `hits` were computed; [`crate::app::update::settle`] redoes them.
    pub stale: bool,
}

/// The open article.
#[derive(Debug, Clone)]
pub struct ReaderPane {
    pub id: ArticleId,
    pub doc: Arc<Document>,
    /// `doc` wrapped to the current text width; rebuilt only when the width changes.
    pub layout: Layout,
    /// First visible line.
    pub scroll: usize,
    pub find: FindState,
    /// Digits of a link number being typed (`[12]` needs two keys); empty when none.
    pub link_number: String,
    /// The number being typed names a link to copy (`Y`), not to follow.
    pub copy_link: bool,
}

/// An article waiting for its document to open in the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PendingOpen {
    pub id: ArticleId,
    /// Record the current place in the history when it opens.
    pub record: bool,
    /// Scroll to this line instead of the saved position (going back or forward).
    pub scroll: Option<usize>,
}

/// A place to go back or forward to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Library,
    Article { id: ArticleId, scroll: usize },
}

/// Back and forward stacks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub back: Vec<Place>,
    pub forward: Vec<Place>,
}

/// A reading position that survives re-wrapping: the heading above and lines below it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Title of the nearest heading at or above the top line, if any.
    pub heading: Option<String>,
    /// Lines from that heading (or from the top) to the top line.
    pub offset: usize,
    /// How far through the article, 0–1000, for the list's progress column.
    pub permille: u16,
}

/// How far through an article the reader is, 0–1000: the top line's place among the lines it
/// can scroll through, so the end of the article on screen is 1000 (and so is an article that
/// fits). The one definition, for the reader's percentage and the list's progress column.
pub fn progress_permille(scroll: usize, lines: usize, rows: usize) -> u16 {
    if lines <= rows {
        return 1000;
    }
    let scrollable = lines - rows;
    u16::try_from(scroll.min(scrollable) * 1000 / scrollable).unwrap_or(1000)
}

/// What persists between sessions: bookmarks, reading positions, recently read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Saved {
    /// Bookmarked slugs, most recent first.
    pub bookmarks: Vec<String>,
    /// Reading position per slug.
    pub positions: BTreeMap<String, Position>,
    /// Recently read slugs, most recent first.
    pub recent: Vec<String>,
}

/// The whole reader.
#[derive(Debug)]
pub struct App {
    pub library: Arc<Index>,
    /// Where the library's bodies are read from: whatever runs the app builds its
    /// [`Bodies`](crate::content::Bodies) from it.
    pub source: Source,
    pub options: AppOptions,
    /// Terminal columns and rows.
    pub size: (u16, u16),
    pub screen: Screen,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    pub list: ListPane,
    pub search: SearchPane,
    pub facets: FacetPane,
    pub reader: Option<ReaderPane>,
    /// An article being opened: its document is loading on the worker.
    pub pending_open: Option<PendingOpen>,
    /// The body index, when there is one: the worker searches it beside the titles.
    pub body: Option<Arc<BodyIndex>>,
    /// `(indexed, total)` while the body index is being built, for the status line.
    pub indexing: Option<(usize, usize)>,
    /// Find this text when this article opens (it was opened from a body hit).
    pub open_find: Option<(ArticleId, String)>,
    pub history: History,
    pub saved: Saved,
    /// A one-line message for the status bar (cleared by the next key).
    pub message: Option<String>,
    pub quit: bool,
    /// Set by `update` when the screen must be redrawn.
    pub dirty: bool,
}

impl App {
    /// A new reader on `library` (its bodies read from `source`), with saved state from an
    /// earlier session. Shows every article, newest first, until the first search results
    /// arrive (what `update::refresh_list` gives with no search and no filter).
    pub fn new(library: Arc<Index>, source: Source, saved: Saved, options: AppOptions) -> App {
        let results: Vec<Hit> = library
            .by_date()
            .iter()
            .map(|&id| Hit::title(id, 0))
            .collect();
        let counts = library.facet_counts(library.by_date());
        App {
            library,
            source,
            options,
            size: (80, 24),
            screen: Screen::Library,
            focus: Focus::List,
            overlay: None,
            list: ListPane {
                visible: (0..results.len()).collect(),
                results,
                ..ListPane::default()
            },
            search: SearchPane::default(),
            facets: FacetPane {
                counts,
                ..FacetPane::default()
            },
            reader: None,
            pending_open: None,
            body: None,
            indexing: None,
            open_find: None,
            history: History::default(),
            saved,
            message: None,
            quit: false,
            dirty: true,
        }
    }

    /// What keys mean right now.
    pub fn mode(&self) -> Mode {
        let finding = self.reader.as_ref().is_some_and(|r| r.find.editing);
        if (self.screen == Screen::Library && self.focus == Focus::Search && self.overlay.is_none())
            || (self.screen == Screen::Reader && finding && self.overlay.is_none())
        {
            Mode::TextInput
        } else if self.overlay.is_some() {
            Mode::Overlay
        } else if self.screen == Screen::Reader {
            Mode::Reader
        } else if self.focus == Focus::Facets {
            Mode::Facets
        } else {
            Mode::Library
        }
    }

    /// The article selected in the list.
    pub fn selected_article(&self) -> Option<ArticleId> {
        let &i = self.list.visible.get(self.list.selected)?;
        Some(self.list.results[i].id)
    }

    /// The article on screen: the open one, else the selected one.
    pub fn current_article(&self) -> Option<ArticleId> {
        match (&self.screen, &self.reader) {
            (Screen::Reader, Some(r)) => Some(r.id),
            _ => self.selected_article(),
        }
    }

    /// True when the terminal is too small to draw the reader.
    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    /// True when list and preview fit side by side.
    pub fn wide(&self) -> bool {
        self.size.0 >= WIDE_WIDTH
    }

    /// Rows of the article list (inside its border).
    pub fn list_rows(&self) -> usize {
        usize::from(self.size.1.saturating_sub(4)).max(1)
    }

    /// Terminal rows one article takes in the list: two while the results hold body hits
    /// (the second row holds the snippet), else one.
    pub fn list_row_height(&self) -> usize {
        if self
            .list
            .results
            .iter()
            .any(|h| h.matched == crate::content::search::Matched::Body)
        {
            2
        } else {
            1
        }
    }

    /// Articles the list shows at once.
    pub fn list_items(&self) -> usize {
        (self.list_rows() / self.list_row_height()).max(1)
    }

    /// Rows of article text in the reader (between title bar and status line).
    pub fn reader_rows(&self) -> usize {
        usize::from(self.size.1.saturating_sub(3)).max(1)
    }

    /// Columns of article text in the reader.
    pub fn text_width(&self) -> u16 {
        self.size.0.saturating_sub(4).clamp(20, MAX_TEXT_WIDTH)
    }

    /// Whether the article is bookmarked.
    pub fn is_bookmarked(&self, id: ArticleId) -> bool {
        let slug = &self.library.get(id).slug;
        self.saved.bookmarks.iter().any(|b| b == slug)
    }

    /// Bookmarked articles that exist in this library.
    pub fn bookmarked(&self) -> Vec<ArticleId> {
        self.slugs_to_ids(&self.saved.bookmarks)
    }

    /// Recently read articles that exist in this library.
    pub fn recent(&self) -> Vec<ArticleId> {
        self.slugs_to_ids(&self.saved.recent)
    }

    fn slugs_to_ids(&self, slugs: &[String]) -> Vec<ArticleId> {
        slugs
            .iter()
            .filter_map(|s| self.library.by_slug(s))
            .map(|a| a.id)
            .collect()
    }
}

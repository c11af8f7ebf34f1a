//! Panels drawn over the screen: table of contents, related articles, bookmarks, history
//! (and [`super::help`]). Each is a centred box cleared of what is below it, placed by
//! [`geometry`] so that `update` maps clicks to the rows drawn here.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::View;
use super::boxed::draw_box;
use super::help;
use super::text::{clean, fit, fit_spans, pad, width};
use crate::app::geometry;
use crate::app::state::{Overlay, RelatedLabel};
use crate::content::ArticleId;
use crate::content::index::RelatedKind;
use crate::content::render::layout::TocEntry;

/// Width of the label column of the related panel ("links here").
const LABEL_WIDTH: usize = 10;

/// Draws `overlay` centred in `area`.
pub fn render(view: &View, overlay: &Overlay, frame: &mut Frame, area: Rect) {
    match overlay {
        Overlay::Help { scroll } => help::render(view, *scroll, frame, area),
        Overlay::Toc { selected, top } => toc(view, *selected, *top, frame, area),
        Overlay::Related { .. } => related(view, overlay, frame, area),
        Overlay::Bookmarks { selected, top } => {
            let ids = view.app.bookmarked();
            let boxed = ListBox {
                title: " Bookmarks ",
                footer: " Enter open · m remove · Esc close ",
                empty: "No bookmarks yet — press m on an article",
                len: ids.len(),
                selected: *selected,
                top: *top,
            };
            boxed.draw(view, frame, area, |i, room| article_row(view, ids[i], room));
        }
        Overlay::History { selected, top } => {
            let ids = view.app.recent();
            let boxed = ListBox {
                title: " Recently read ",
                footer: " Enter open · Esc close ",
                empty: "Nothing read yet — open an article with Enter",
                len: ids.len(),
                selected: *selected,
                top: *top,
            };
            boxed.draw(view, frame, area, |i, room| article_row(view, ids[i], room));
        }
    }
}

/// A list overlay: one line per row, the selected one highlighted, or a message when empty.
struct ListBox<'t> {
    title: &'t str,
    footer: &'t str,
    empty: &'t str,
    len: usize,
    selected: usize,
    /// The first entry shown, once a click chose it.
    top: Option<usize>,
}

impl ListBox<'_> {
    /// Draws the box; `row(i, room)` builds row `i` in `room` columns, for visible rows only.
    fn draw<'a>(
        &self,
        view: &View,
        frame: &mut Frame,
        area: Rect,
        row: impl Fn(usize, usize) -> Line<'a>,
    ) {
        let s = &view.styles;
        // Nothing to open or remove in an empty list.
        let footer = if self.len == 0 {
            " Esc close "
        } else {
            self.footer
        };
        // The box and rows `update` maps clicks to.
        let list = geometry::overlay_list(area, self.len, self.selected, self.top);
        let inner = draw_box(view, frame, list.rect, self.title, footer);
        if self.len == 0 {
            let empty = fit(self.empty, usize::from(inner.width)).into_owned();
            frame.render_widget(Paragraph::new(Span::styled(empty, s.dim)), inner);
            return;
        }
        let first = list.first;
        let room = usize::from(inner.width);
        for (y, i) in (inner.y..inner.bottom()).zip(first..self.len) {
            let rect = Rect {
                y,
                height: 1,
                ..inner
            };
            let mut line = row(i, room);
            if i == self.selected {
                line = super::select_row(frame, rect, area, s.selected, line);
            }
            frame.render_widget(Paragraph::new(line), rect);
        }
    }
}

/// One row per article: bookmark star, title, date.
fn article_row<'a>(view: &View<'a>, id: ArticleId, room: usize) -> Line<'a> {
    let star = if view.app.is_bookmarked(id) {
        "★ "
    } else {
        "  "
    };
    let mut spans = vec![Span::styled(star, view.styles.star)];
    spans.extend(title_and_date(view, id, room.saturating_sub(2)));
    Line::from(spans)
}

/// An article's title cut to fit, then its date right-aligned, in `room` columns.
fn title_and_date<'a>(view: &View<'a>, id: ArticleId, room: usize) -> Vec<Span<'a>> {
    let article = view.app.library.get(id);
    let date = article.date.map(|d| d.to_string()).unwrap_or_default();
    let title_room = room.saturating_sub(width(&date) + 2);
    let title = fit(&clean(&article.title), title_room).into_owned();
    let gap = room.saturating_sub(width(&title) + width(&date));
    vec![
        Span::raw(title),
        pad(gap),
        Span::styled(date, view.styles.dim),
    ]
}

/// The related panel: why each article is there, its title and date.
/// The related panel: what is related to the article it was opened on (see
/// `toggle_related`), similar articles joining when the worker has ranked them.
fn related(view: &View, overlay: &Overlay, frame: &mut Frame, area: Rect) {
    let Overlay::Related {
        article,
        items,
        ranking,
        selected,
        top,
    } = overlay
    else {
        return;
    };
    let title = format!(
        " Related to “{}” ",
        clean(&view.app.library.get(*article).title)
    );
    let boxed = ListBox {
        title: &title,
        footer: if *ranking {
            " Enter open · Esc close · finding similar… "
        } else {
            " Enter open · Esc close "
        },
        empty: if *ranking {
            "Finding similar articles…"
        } else {
            "No related articles, links or backlinks"
        },
        len: items.len(),
        selected: *selected,
        top: *top,
    };
    boxed.draw(view, frame, area, |i, room| {
        let item = &items[i];
        let mut spans = vec![
            Span::styled(
                format!("{:<LABEL_WIDTH$}", label(item.label)),
                label_style(view, item.label),
            ),
            Span::raw("  "),
        ];
        spans.extend(title_and_date(
            view,
            item.id,
            room.saturating_sub(LABEL_WIDTH + 2),
        ));
        Line::from(spans)
    });
}

/// Why an item is in the related panel, in words.
pub fn label(label: RelatedLabel) -> String {
    match label {
        RelatedLabel::Kind(kind) => kind.label().to_owned(),
        RelatedLabel::Link(n) => format!("link [{n}]"),
    }
}

fn label_style(view: &View, label: RelatedLabel) -> Style {
    match label {
        RelatedLabel::Kind(RelatedKind::Explicit) => view.styles.accent,
        RelatedLabel::Link(_) => view.styles.accent,
        RelatedLabel::Kind(_) => view.styles.dim,
    }
}

/// The table of contents: headings indented by level, the current section marked.
fn toc(view: &View, selected: usize, top: Option<usize>, frame: &mut Frame, area: Rect) {
    let Some(reader) = &view.app.reader else {
        return;
    };
    let entries = &reader.layout.toc;
    let current = reader
        .layout
        .lines
        .get(reader.scroll)
        .and_then(|l| l.section);
    let top_level = entries.iter().map(|e| e.level).min().unwrap_or(1);
    let title = format!(
        " Contents — {} ",
        clean(&view.app.library.get(reader.id).title)
    );
    let boxed = ListBox {
        title: &title,
        footer: " Enter jump · Esc close ",
        empty: "This article has no headings",
        len: entries.len(),
        selected,
        top,
    };
    boxed.draw(view, frame, area, |i, room| {
        toc_line(view, &entries[i], top_level, current == Some(i), room)
    });
}

fn toc_line<'a>(view: &View, entry: &'a TocEntry, top: u8, current: bool, room: usize) -> Line<'a> {
    let s = &view.styles;
    let depth = usize::from(entry.level.saturating_sub(top)).min(4);
    let marker = if current {
        Span::styled("▸ ", s.accent)
    } else {
        Span::raw("  ")
    };
    let style = if depth == 0 { s.bold } else { s.text };
    let spans = vec![
        marker,
        pad(depth * 2),
        Span::styled(clean(&entry.title), style),
    ];
    Line::from(fit_spans(spans, room))
}

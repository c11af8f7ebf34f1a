//! The preview beside the list on wide terminals: the selected article's metadata and
//! description. Bodies are never rendered here (that would wrap a whole article per frame).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::text::{clean, width};
use super::{View, help, status};
use crate::content::index::facet_rank;
use crate::content::index::facets::CATEGORY;
use crate::content::{Article, ArticleId};

/// Widest facet-name column.
const NAME_MAX: usize = 12;

/// Draws the preview of the selected article into `area`.
pub fn render(view: &View, frame: &mut Frame, area: Rect) {
    let s = &view.styles;
    let inner = super::padded(super::pane(view, frame, area, " Preview ", false));
    let Some(id) = view.app.selected_article() else {
        let note = Span::styled("Select an article to see it here.", s.dim);
        frame.render_widget(Paragraph::new(note), inner);
        return;
    };
    let lines = lines(view, id);
    // Hints follow the text after a blank line, or sit on the last row when the text is long.
    let height = u16::try_from(wrapped_height(&lines, inner.width)).unwrap_or(u16::MAX);
    let [body, hints] = Layout::vertical([
        Constraint::Max(height.saturating_add(1)),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), body);
    let hints_line = status::hint_spans(view, help::PREVIEW_HINTS, usize::from(hints.width));
    frame.render_widget(Paragraph::new(Line::from(hints_line)), hints);
}

/// Rows `lines` take when word-wrapped to `width`, rounded up: word wrapping can need a row
/// more than the text's width divided by the width, and a row too many only adds space.
fn wrapped_height(lines: &[Line], width: u16) -> usize {
    let width = usize::from(width.max(1));
    lines
        .iter()
        .map(|l| match l.width() {
            0 => 1,
            w if w <= width => 1,
            w => w.div_ceil(width) + 1,
        })
        .sum()
}

/// Title, date · category · reading time, facets, description, related counts.
fn lines<'a>(view: &View<'a>, id: ArticleId) -> Vec<Line<'a>> {
    let s = &view.styles;
    let app = view.app;
    let article = app.library.get(id);
    let mut meta: Vec<String> = Vec::new();
    if let Some(date) = article.date {
        meta.push(date.to_string());
    }
    if let Some(category) = article.category() {
        meta.push(clean(category).into_owned());
    }
    meta.push(format!("{} min read", article.reading_minutes()));
    let mut lines = vec![
        Line::styled(clean(&article.title), s.accent.patch(s.bold)),
        Line::styled(meta.join(" · "), s.dim),
        Line::default(),
    ];
    let facets = facet_lines(view, article);
    if !facets.is_empty() {
        lines.extend(facets);
        lines.push(Line::default());
    }
    if !article.description.is_empty() {
        lines.push(Line::raw(clean(&article.description)));
        lines.push(Line::default());
    }
    if let Some(counts) = related_counts(view, id) {
        lines.push(Line::styled(counts, s.dim));
    }
    lines
}

/// One line per facet other than category (shown above): `role     data-analyst, …`.
fn facet_lines<'a>(view: &View, article: &'a Article) -> Vec<Line<'a>> {
    let s = &view.styles;
    let mut facets: Vec<(&String, &Vec<String>)> = article
        .facets
        .iter()
        .filter(|(name, values)| *name != CATEGORY && !values.is_empty())
        .collect();
    facets.sort_by_key(|(name, _)| (facet_rank(name), name.as_str()));
    let name_width = facets
        .iter()
        .map(|(name, _)| width(name))
        .max()
        .unwrap_or(0)
        .min(NAME_MAX);
    facets
        .into_iter()
        .map(|(name, values)| {
            let values: Vec<_> = values.iter().map(|v| clean(v)).collect();
            Line::from(vec![
                Span::styled(format!("{:<name_width$}  ", clean(name)), s.dim),
                Span::raw(values.join(", ")),
            ])
        })
        .collect()
}

/// `3 related articles · linked from 2 articles`: the article's own related links that
/// resolve, and its backlinks; `None` when it has neither. Both are O(1) per frame; similar
/// articles (a scan of the whole library) are left to the related panel, which ranks them
/// when it opens, so this line never claims "0 related" of an article the panel fills.
fn related_counts(view: &View, id: ArticleId) -> Option<String> {
    let lib = &view.app.library;
    let related = lib
        .get(id)
        .related_links
        .iter()
        .filter(|l| l.target.is_some())
        .count();
    let backlinks = lib.backlinks(id).len();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let parts: Vec<String> = [
        (related > 0).then(|| format!("{related} related article{}", plural(related))),
        (backlinks > 0).then(|| format!("linked from {backlinks} article{}", plural(backlinks))),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

//! The bottom line: a message or key hints (or the find line) on the left, counts on the right.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::View;
use super::help;
use super::text::thousands;
use super::text::{clean, fit, fit_tail, width};
use crate::app::state::{FindState, Mode, Overlay, Screen};

/// Draws the status line into a one-row `area`.
pub fn render(view: &View, frame: &mut Frame, area: Rect) {
    let room = usize::from(area.width);
    let right = counts(view, room);
    // One column of margin on the left, two between the halves.
    let left_room = room.saturating_sub(width_of(&right) + 3);
    let app = view.app;
    let find = app
        .reader
        .as_ref()
        .filter(|_| app.screen == Screen::Reader && app.overlay.is_none())
        .map(|r| &r.find)
        .filter(|f| f.editing || !f.input.is_empty());
    let link_number = app
        .reader
        .as_ref()
        .filter(|_| app.screen == Screen::Reader && app.overlay.is_none())
        .filter(|r| !r.link_number.is_empty() || r.copy_link)
        .map(|r| (r.link_number.as_str(), r.copy_link));
    let left = if let Some((digits, copy)) = link_number {
        let what = if copy { "copy link " } else { "link " };
        let mut spans = vec![
            Span::styled(what, view.styles.bold),
            Span::styled(format!("{digits}_"), view.styles.accent),
            Span::raw("   "),
        ];
        let hints = [
            ("Enter", if copy { "copy" } else { "follow" }),
            ("Esc", "cancel"),
            ("0-9", "more digits"),
        ];
        spans.extend(hint_spans(
            view,
            &hints,
            left_room.saturating_sub(width_of(&spans)),
        ));
        spans
    } else if let Some(message) = &app.message {
        vec![Span::styled(
            fit(&clean(message), left_room).into_owned(),
            view.styles.bold,
        )]
    } else if let Some(find) = find {
        let (spans, cursor) = find_line(view, find, left_room);
        if let Some(x) = cursor {
            let x = area.x.saturating_add(x).min(area.right().saturating_sub(1));
            frame.set_cursor_position(Position::new(x, area.y));
        }
        spans
    } else {
        // Over an overlay, the same words as its footer.
        let hints = match &app.overlay {
            Some(Overlay::Toc { .. }) => help::TOC_HINTS,
            Some(Overlay::Help { .. }) => {
                let scrolls = crate::app::geometry::help_box(frame.area()).max_scroll > 0;
                &help::HELP_HINTS[..if scrolls { 2 } else { 1 }]
            }
            _ => help::hints(app.mode(), false),
        };
        hint_spans(view, hints, left_room)
    };
    let mut spans = vec![Span::raw(" ")];
    spans.extend(left);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    frame.render_widget(Paragraph::new(Line::from(right).right_aligned()), area);
}

/// Key hints that fit in `room` columns: whole hints only, never a cut one. `? help` is the
/// last to go: the others make room for it, since it is how a new user finds the rest.
pub fn hint_spans(
    view: &View,
    hints: &[(&'static str, &'static str)],
    room: usize,
) -> Vec<Span<'static>> {
    let cost = |gap: usize, key: &str, what: &str| gap + width(key) + 1 + width(what);
    let help = hints.iter().find(|(key, _)| *key == "?");
    let reserved = help.map_or(0, |(key, what)| cost(2, key, what));
    let mut kept: Vec<(&'static str, &'static str)> = Vec::new();
    let mut used = 0;
    for &(key, what) in hints.iter().filter(|(key, _)| *key != "?") {
        let w = cost(if kept.is_empty() { 0 } else { 2 }, key, what);
        if used + w + reserved > room {
            break;
        }
        used += w;
        kept.push((key, what));
    }
    if let Some(&(key, what)) = help
        && used + cost(if kept.is_empty() { 0 } else { 2 }, key, what) <= room
    {
        // In its own place when everything fits, else last.
        match hints.iter().position(|(k, _)| *k == "?") {
            Some(i) if i <= kept.len() => kept.insert(i, (key, what)),
            _ => kept.push((key, what)),
        }
    }
    let mut spans = Vec::new();
    for (key, what) in kept {
        if !spans.is_empty() {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(key, view.styles.key));
        spans.push(Span::styled(format!(" {what}"), view.styles.dim));
    }
    spans
}

/// `/query  3/12` for find-in-article, with the cursor column when typing.
fn find_line<'a>(view: &View, find: &'a FindState, room: usize) -> (Vec<Span<'a>>, Option<u16>) {
    let s = &view.styles;
    let count = match (find.hits.len(), find.input.is_empty()) {
        (_, true) => String::new(),
        (0, false) => "no match".to_owned(),
        (n, false) => format!("{}/{n}", find.current.min(n - 1) + 1),
    };
    let hints = if find.editing {
        help::hints(Mode::TextInput, true)
    } else {
        &[("n N", "next/prev"), ("Esc", "stop")][..]
    };
    let query_room = room.saturating_sub(1 + 2 + width(&count) + 2).max(1);
    let query = fit_tail(&clean(&find.input), query_room).into_owned();
    let cursor = find
        .editing
        .then(|| u16::try_from(2 + width(&query)).unwrap_or(u16::MAX));
    let count_style = if find.hits.is_empty() && !find.input.is_empty() {
        s.warning
    } else {
        s.accent
    };
    let mut spans = vec![
        Span::styled("/", s.key),
        Span::raw(query),
        Span::raw("  "),
        Span::styled(count, count_style),
    ];
    let used = width_of(&spans);
    let rest = hint_spans(view, hints, room.saturating_sub(used + 3));
    if !rest.is_empty() {
        spans.push(Span::raw("   "));
        spans.extend(rest);
    }
    (spans, cursor)
}

/// In the reader, where in the article (`line 40/320 · 12 links`); in the library, `N of M
/// articles` and skipped files, in as much detail as fits half the line.
fn counts(view: &View, room: usize) -> Vec<Span<'static>> {
    let app = view.app;
    let s = &view.styles;
    if let Some(r) = app.reader.as_ref().filter(|_| app.screen == Screen::Reader) {
        let lines = r.layout.lines.len().max(1);
        let links = match r.doc.links.len() {
            1 => "1 link".to_owned(),
            n => format!("{n} links"),
        };
        let full = format!("line {}/{lines} · {links} ", (r.scroll + 1).min(lines));
        let short = format!("{links} ");
        return [full, short]
            .into_iter()
            .find(|t| width(t) <= room / 2)
            .map(|t| vec![Span::styled(t, s.dim)])
            .unwrap_or_default();
    }
    // While the body index is built: how far, before the counts.
    let indexing = app.indexing.map_or_else(String::new, |(done, total)| {
        format!("indexing {} / {} · ", thousands(done), thousands(total))
    });
    let shown = format!(
        "{indexing}{} of {} articles ",
        app.list.visible.len(),
        app.library.len()
    );
    let skipped = app.library.skipped();
    let variants: Vec<Vec<Span<'static>>> = if skipped == 0 {
        vec![vec![Span::styled(shown, s.dim)]]
    } else {
        let files = if skipped == 1 { "file" } else { "files" };
        vec![
            vec![
                Span::styled(shown.clone(), s.dim),
                Span::styled(
                    format!("· {skipped} {files} skipped — run careerhub check "),
                    s.warning,
                ),
            ],
            vec![
                Span::styled(shown.clone(), s.dim),
                Span::styled(format!("· {skipped} skipped "), s.warning),
            ],
            vec![Span::styled(shown, s.dim)],
        ]
    };
    let max = room / 2 + room / 6;
    let last = variants.len() - 1;
    variants
        .into_iter()
        .enumerate()
        .find(|(i, v)| *i == last || width_of(v) <= max)
        .map(|(_, v)| v)
        .filter(|v| width_of(v) <= room)
        .unwrap_or_default()
}

fn width_of(spans: &[Span]) -> usize {
    spans.iter().map(Span::width).sum()
}

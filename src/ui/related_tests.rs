//! The related panel as drawn: clicks on its rows, and the moment before similar articles
//! are ranked.

use super::tests::{SIZES, app_after, cell_of, click, draw, id_of, reading, screen_text, slug_of};
use crate::app::Action;
use crate::app::state::{Overlay, RelatedLabel};

#[test]
fn clicking_a_drawn_related_entry_follows_it() {
    for (w, h) in SIZES {
        let mut app = app_after(w, h, true, &reading(&[Action::ToggleRelated]));
        let Some(Overlay::Related { items, .. }) = app.overlay.clone() else {
            panic!("related open")
        };
        let target = items[1].id;
        let title = app.library.get(target).title[..14].to_owned();
        let terminal = draw(&app, w, h);
        let cell = cell_of(&terminal, &title);
        click(&mut app, cell);
        assert!(
            matches!(app.overlay, Some(Overlay::Related { selected: 1, .. })),
            "{w}×{h}: {:?}",
            app.overlay
        );
        // Drawn again, the entry is still in the same place.
        assert_eq!(cell_of(&draw(&app, w, h), &title), cell);
        click(&mut app, cell);
        assert!(app.overlay.is_none());
        assert_eq!(
            app.reader.as_ref().map(|r| slug_of(&app, r.id)),
            Some(slug_of(&app, target))
        );
    }
}

/// The related panel opens at once, before the worker has ranked similar articles: it says
/// so, lists what it already has, and takes the ranked list keeping the selection.
#[test]
fn the_related_panel_opens_before_similar_articles_are_ranked() {
    use crate::app::update;
    use crate::content::index::{Related, RelatedKind};
    let (w, h) = (100, 30);
    let id = id_of("data-analyst-interview");
    let mut app = app_after(w, h, true, &[Action::OpenArticle(id)]);
    let effects = update(&mut app, Action::ToggleRelated);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, crate::app::Effect::FindRelated(x) if *x == id)),
        "{effects:?}"
    );
    let Some(Overlay::Related { ranking, items, .. }) = app.overlay.clone() else {
        panic!("related open")
    };
    assert!(ranking);
    assert!(screen_text(&draw(&app, w, h)).contains("finding similar…"));

    // The ranked list: the second row of it is selected before; it stays selected.
    let ranked = app.library.related(id);
    assert!(ranked.len() >= 2, "fixture has related articles");
    let keep = ranked[1].id;
    if let Some(Overlay::Related {
        items, selected, ..
    }) = &mut app.overlay
    {
        items.insert(
            0,
            crate::app::state::RelatedItem {
                id: keep,
                label: RelatedLabel::Kind(RelatedKind::Similar),
            },
        );
        *selected = 0;
    }
    // An answer for another article changes nothing.
    let other = id_of("resume-tips");
    update(
        &mut app,
        Action::RelatedReady {
            id: other,
            related: vec![Related {
                id: other,
                kind: RelatedKind::Similar,
            }],
        },
    );
    assert!(matches!(
        app.overlay,
        Some(Overlay::Related { ranking: true, .. })
    ));
    update(
        &mut app,
        Action::RelatedReady {
            id,
            related: ranked.clone(),
        },
    );
    let Some(Overlay::Related {
        ranking: false,
        items: now,
        selected,
        ..
    }) = &app.overlay
    else {
        panic!("ranked: {:?}", app.overlay)
    };
    assert_eq!(now[*selected].id, keep);
    assert!(now.len() >= items.len());
    assert!(!screen_text(&draw(&app, w, h)).contains("finding similar"));
}

/// With nothing to list yet, the panel does not claim there is nothing related.
#[test]
fn an_empty_related_panel_while_ranking_says_it_is_looking() {
    let (w, h) = (100, 30);
    let mut app = app_after(w, h, true, &reading(&[]));
    crate::app::update(&mut app, Action::ToggleRelated);
    if let Some(Overlay::Related { items, .. }) = &mut app.overlay {
        items.clear();
    }
    let text = screen_text(&draw(&app, w, h));
    assert!(text.contains("Finding similar articles…"), "{text}");
    assert!(!text.contains("No related articles"), "{text}");
}

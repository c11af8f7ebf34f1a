//! Saved state as separate items (one bookmark, one reading place, one history entry), so
//! that several servers writing the same key's state never lose each other's writes.
//!
//! The app hands over whole [`Saved`] snapshots. [`changes`] turns two consecutive snapshots
//! of one session into the items that changed, each stamped with the time it changed; a
//! shared store keeps, per item, the write with the newest stamp ([`wins`]), and
//! [`assemble`] turns the items back into a [`Saved`]. Items one session never touched are
//! never written by it, so a bookmark made on another server survives this session's saves.

use std::collections::HashSet;
use std::sync::atomic::{AtomicI64, Ordering};

use crate::app::Saved;
use crate::app::state::{Position, RECENT_LIMIT};

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Bookmark,
    Position,
    Recent,
}

impl Kind {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Bookmark => "bookmark",
            Kind::Position => "position",
            Kind::Recent => "recent",
        }
    }

    /// The kind with this stored name.
    pub fn parse(text: &str) -> Option<Kind> {
        match text {
            "bookmark" => Some(Kind::Bookmark),
            "position" => Some(Kind::Position),
            "recent" => Some(Kind::Recent),
            _ => None,
        }
    }
}

/// One item's state as written at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: Kind,
    pub slug: String,
    /// False for a removed bookmark or place: the removal must win over older writes too.
    pub present: bool,
    /// A reading place as JSON; `None` for bookmarks and history entries.
    pub value: Option<String>,
    /// When it changed: microseconds since the Unix epoch (writer's clock). Bookmarks and
    /// history are ordered by it, newest first.
    pub at: i64,
}

/// Whether `incoming` replaces `stored`: the newer write wins; of two with the same stamp,
/// the one that arrives later. The database's upsert uses the same rule.
pub fn wins(stored: &Item, incoming: &Item) -> bool {
    incoming.at >= stored.at
}

/// Stamps for changes: microseconds since the epoch, strictly increasing within the process
/// even when the wall clock repeats or steps back.
pub fn reserve_stamps(count: usize) -> i64 {
    static LAST: AtomicI64 = AtomicI64::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX / 2));
    let count = i64::try_from(count).unwrap_or(i64::MAX / 4);
    let mut last = LAST.load(Ordering::Relaxed);
    loop {
        let base = now.max(last + 1);
        match LAST.compare_exchange_weak(last, base + count, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return base,
            Err(seen) => last = seen,
        }
    }
}

/// The items that differ between two snapshots of one session, stamped from `base` on
/// (`base` up to `base + n - 1`; within a list, the front item gets the newest stamp).
pub fn changes(old: &Saved, new: &Saved, base: i64) -> Vec<Item> {
    let mut out = Vec::new();
    list_changes(
        &old.bookmarks,
        &new.bookmarks,
        Kind::Bookmark,
        true,
        &mut out,
    );
    // History is only ever cut at its end: an entry that falls off is older than every kept
    // one, so no removal is written (another server may have just read it again).
    list_changes(&old.recent, &new.recent, Kind::Recent, false, &mut out);
    for (slug, pos) in &new.positions {
        if old.positions.get(slug) != Some(pos) {
            out.push(Item {
                kind: Kind::Position,
                slug: slug.clone(),
                present: true,
                value: Some(serde_json::to_string(pos).unwrap_or_default()),
                at: 0,
            });
        }
    }
    for slug in old.positions.keys() {
        if !new.positions.contains_key(slug) {
            out.push(removed(Kind::Position, slug));
        }
    }
    // Stamps in list order reversed, so that the front of each list is its newest item.
    let n = out.len() as i64;
    for (i, item) in out.iter_mut().enumerate() {
        item.at = base + n - 1 - i as i64;
    }
    out
}

fn removed(kind: Kind, slug: &str) -> Item {
    Item {
        kind,
        slug: slug.to_string(),
        present: false,
        value: None,
        at: 0,
    }
}

/// A most-recent-first list changes by putting items at its front and taking items out. The
/// items put at the front are those before the longest tail of `new` that keeps `old`'s
/// order; they are written, front first. Items gone are written as removed if `removals`.
fn list_changes(old: &[String], new: &[String], kind: Kind, removals: bool, out: &mut Vec<Item>) {
    let mut end = old.len();
    let mut front = 0;
    for (i, slug) in new.iter().enumerate().rev() {
        match old[..end].iter().rposition(|s| s == slug) {
            Some(p) => end = p,
            None => {
                front = i + 1;
                break;
            }
        }
    }
    out.extend(new[..front].iter().map(|slug| Item {
        kind,
        slug: slug.clone(),
        present: true,
        value: None,
        at: 0,
    }));
    if removals {
        let kept: HashSet<&String> = new.iter().collect();
        out.extend(
            old.iter()
                .filter(|s| !kept.contains(s))
                .map(|s| removed(kind, s)),
        );
    }
}

/// A key's items back into a [`Saved`]: bookmarks and history newest first, history cut at
/// its limit. Items not present are skipped; a place that does not parse is skipped and
/// reported (one message for all of them).
pub fn assemble(items: impl IntoIterator<Item = Item>) -> (Saved, Option<String>) {
    let (mut bookmarks, mut recent) = (Vec::new(), Vec::new());
    let mut saved = Saved::default();
    let mut bad = 0usize;
    for item in items.into_iter().filter(|i| i.present) {
        match item.kind {
            Kind::Bookmark => bookmarks.push((item.at, item.slug)),
            Kind::Recent => recent.push((item.at, item.slug)),
            Kind::Position => {
                match serde_json::from_str::<Position>(item.value.as_deref().unwrap_or("")) {
                    Ok(pos) => {
                        saved.positions.insert(item.slug, pos);
                    }
                    Err(_) => bad += 1,
                }
            }
        }
    }
    let newest_first = |list: &mut Vec<(i64, String)>| {
        list.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        list.drain(..).map(|(_, s)| s).collect::<Vec<_>>()
    };
    saved.bookmarks = newest_first(&mut bookmarks);
    saved.recent = newest_first(&mut recent);
    saved.recent.truncate(RECENT_LIMIT);
    let warning = (bad > 0)
        .then(|| format!("{bad} saved reading place(s) could not be read and were skipped"));
    (saved, warning)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// What the database does with writes: one row per item, the [`wins`] rule.
    #[derive(Default)]
    struct Table(BTreeMap<(Kind, String), Item>);

    impl Table {
        fn write(&mut self, items: &[Item]) {
            for item in items {
                let key = (item.kind, item.slug.clone());
                if self.0.get(&key).is_none_or(|stored| wins(stored, item)) {
                    self.0.insert(key, item.clone());
                }
            }
        }

        fn load(&self) -> Saved {
            let (saved, warning) = assemble(self.0.values().cloned());
            assert_eq!(warning, None);
            saved
        }
    }

    /// A session on one server: its last snapshot and what its saves write.
    struct Session {
        last: Saved,
    }

    impl Session {
        fn save(&mut self, table: &mut Table, new: &Saved, base: i64) {
            table.write(&changes(&self.last, new, base));
            self.last = new.clone();
        }
    }

    fn pos(offset: usize) -> Position {
        Position {
            heading: Some("Intro".into()),
            offset,
            permille: 10,
        }
    }

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn two_servers_serving_one_key_keep_each_others_writes() {
        let mut table = Table::default();
        let mut start = Saved {
            bookmarks: list(&["old"]),
            ..Saved::default()
        };
        start.positions.insert("old".into(), pos(1));
        Session {
            last: Saved::default(),
        }
        .save(&mut table, &start, 100);

        // Both servers load the same state; each changes different items.
        let mut a = Session { last: table.load() };
        let mut b = Session { last: table.load() };
        let mut on_a = a.last.clone();
        on_a.bookmarks.insert(0, "from-a".into());
        on_a.positions.insert("old".into(), pos(7));
        let mut on_b = b.last.clone();
        on_b.bookmarks.insert(0, "from-b".into());
        on_b.recent.insert(0, "read-on-b".into());
        on_b.positions.insert("new".into(), pos(3));

        a.save(&mut table, &on_a, 200);
        // B's whole snapshot knows nothing of A's bookmark, and must not remove it.
        b.save(&mut table, &on_b, 300);

        let merged = table.load();
        assert_eq!(merged.bookmarks, list(&["from-b", "from-a", "old"]));
        assert_eq!(merged.recent, list(&["read-on-b"]));
        assert_eq!(merged.positions["old"], pos(7));
        assert_eq!(merged.positions["new"], pos(3));
    }

    #[test]
    fn the_last_write_of_one_item_wins_whatever_the_order_of_arrival() {
        let base = Saved::default();
        let mut early = base.clone();
        early.positions.insert("x".into(), pos(5));
        let mut late = base.clone();
        late.positions.insert("x".into(), pos(9));
        let early_items = changes(&base, &early, 100);
        let late_items = changes(&base, &late, 200);
        for order in [[&early_items, &late_items], [&late_items, &early_items]] {
            let mut table = Table::default();
            for items in order {
                table.write(items);
            }
            assert_eq!(table.load().positions["x"], pos(9));
        }
    }

    #[test]
    fn a_removed_bookmark_stays_removed_unless_bookmarked_again_later() {
        let mut table = Table::default();
        let mut first = Session {
            last: Saved::default(),
        };
        let with = Saved {
            bookmarks: list(&["a", "b"]),
            ..Saved::default()
        };
        first.save(&mut table, &with, 100);
        let mut without = with.clone();
        without.bookmarks.retain(|s| s != "a");
        first.save(&mut table, &without, 200);
        assert_eq!(table.load().bookmarks, list(&["b"]));
        // A delayed, older write of the bookmark (queued on a server during an outage)
        // does not bring it back.
        table.write(&changes(&Saved::default(), &with, 150));
        assert_eq!(table.load().bookmarks, list(&["b"]));
        // Bookmarking it again later does.
        first.save(&mut table, &with, 300);
        assert_eq!(table.load().bookmarks, list(&["a", "b"]));
    }

    #[test]
    fn only_items_moved_to_the_front_or_removed_are_written() {
        let old = Saved {
            recent: list(&["a", "b", "c", "d"]),
            bookmarks: list(&["x", "y", "z"]),
            ..Saved::default()
        };
        let mut new = old.clone();
        // Reading c again moves it to the front; the history limit cut d.
        new.recent = list(&["c", "a", "b"]);
        // y un-bookmarked, w bookmarked.
        new.bookmarks = list(&["w", "x", "z"]);
        let items = changes(&old, &new, 10);
        let names: Vec<(Kind, &str, bool)> = items
            .iter()
            .map(|i| (i.kind, i.slug.as_str(), i.present))
            .collect();
        assert_eq!(
            names,
            vec![
                (Kind::Bookmark, "w", true),
                (Kind::Bookmark, "y", false),
                (Kind::Recent, "c", true),
            ]
        );
        assert!(changes(&new, &new, 10).is_empty());
        // The front of a list gets the newest stamp, and stamps start at the base.
        let two = Saved {
            bookmarks: list(&["p", "q"]),
            ..Saved::default()
        };
        let items = changes(&Saved::default(), &two, 50);
        assert_eq!((items[0].at, items[1].at), (51, 50));
    }

    #[test]
    fn history_is_newest_first_and_cut_at_its_limit() {
        let items = (0..RECENT_LIMIT + 5).map(|i| Item {
            kind: Kind::Recent,
            slug: format!("s{i}"),
            present: true,
            value: None,
            at: i as i64,
        });
        let (saved, _) = assemble(items);
        assert_eq!(saved.recent.len(), RECENT_LIMIT);
        assert_eq!(saved.recent[0], format!("s{}", RECENT_LIMIT + 4));
    }

    #[test]
    fn an_unreadable_place_is_skipped_and_reported() {
        let items = vec![
            Item {
                kind: Kind::Position,
                slug: "bad".into(),
                present: true,
                value: Some("{not json".into()),
                at: 1,
            },
            Item {
                kind: Kind::Position,
                slug: "good".into(),
                present: true,
                value: Some(serde_json::to_string(&pos(2)).unwrap()),
                at: 2,
            },
        ];
        let (saved, warning) = assemble(items);
        assert_eq!(saved.positions.len(), 1);
        assert_eq!(saved.positions["good"], pos(2));
        assert!(warning.unwrap().contains("1 saved reading place"));
    }

    #[test]
    fn stamps_never_repeat() {
        let a = reserve_stamps(3);
        let b = reserve_stamps(1);
        assert!(b >= a + 3);
        assert_eq!(Kind::parse(Kind::Recent.as_str()), Some(Kind::Recent));
    }
}

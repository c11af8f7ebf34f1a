//! Bookmarks, reading positions and history on disk, written atomically.
//!
//! One JSON file in the XDG data dir (`$XDG_DATA_HOME/careerhub/state.json`, by default
//! `~/.local/share/careerhub/state.json`). Writes go to a temporary file in the same folder
//! which is then renamed over the old one, so a crash never leaves half a file.
//!
//! `careerhub serve --state postgres://…` keeps each key's state in PostgreSQL instead
//! ([`postgres`]), item by item ([`items`]), behind the [`StateBackend`] trait.

pub mod items;
pub mod postgres;

use crate::os::{WriteMode, write_atomically};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::app::Saved;

/// Saved state kept somewhere other than a file (one session's view of it).
pub trait StateBackend: Send + Sync + std::fmt::Debug {
    /// The state as it was when the session started, with a message if some was unreadable.
    fn load(&self) -> (Saved, Option<String>);
    /// Records a new snapshot of the session's state. Must not wait on the network: it is
    /// called on the session's worker.
    fn save(&self, saved: &Saved) -> io::Result<()>;
}

/// Where saved state lives: a file, a [`StateBackend`], or memory only (no `path`, no
/// backend: anonymous SSH sessions).
#[derive(Debug, Clone)]
pub struct Store {
    path: Option<PathBuf>,
    backend: Option<Arc<dyn StateBackend>>,
}

impl PartialEq for Store {
    fn eq(&self, other: &Store) -> bool {
        self.path == other.path
            && match (&self.backend, &other.backend) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
    }
}

impl Eq for Store {}

impl Store {
    /// The default store in the XDG data dir, or memory-only if no home folder is known.
    pub fn default_location() -> Store {
        Store {
            path: data_dir().map(|d| d.join("state.json")),
            backend: None,
        }
    }

    /// A store at this file.
    pub fn at(path: impl Into<PathBuf>) -> Store {
        Store {
            path: Some(path.into()),
            backend: None,
        }
    }

    /// A store that keeps nothing.
    pub fn memory() -> Store {
        Store {
            path: None,
            backend: None,
        }
    }

    /// A store kept by `backend`.
    pub fn backend(backend: Arc<dyn StateBackend>) -> Store {
        Store {
            path: None,
            backend: Some(backend),
        }
    }

    /// The file, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Loads saved state. A missing file is an empty state. A corrupt file is moved aside
    /// (to `state.json.corrupt`) so it is neither trusted nor silently overwritten; the
    /// returned message says so.
    pub fn load(&self) -> (Saved, Option<String>) {
        if let Some(backend) = &self.backend {
            return backend.load();
        }
        let Some(path) = &self.path else {
            return (Saved::default(), None);
        };
        let bytes = match fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return (Saved::default(), None),
            Err(e) => {
                return (
                    Saved::default(),
                    Some(format!("Cannot read {}: {e}", path.display())),
                );
            }
        };
        match serde_json::from_slice(&bytes) {
            Ok(saved) => (saved, None),
            Err(e) => {
                let aside = path.with_extension("json.corrupt");
                let _ = fs::rename(path, &aside);
                let msg = format!(
                    "Saved state was unreadable ({e}); moved it to {}",
                    aside.display()
                );
                (Saved::default(), Some(msg))
            }
        }
    }

    /// Saves state atomically. Does nothing for a memory store.
    pub fn save(&self, saved: &Saved) -> io::Result<()> {
        if let Some(backend) = &self.backend {
            return backend.save(saved);
        }
        let Some(path) = &self.path else {
            return Ok(());
        };
        // Reading history is personal: only the owner may read it (as ~/.ssh is kept); and a
        // user would miss it after a power cut, so it is synced before it replaces the old one.
        let kind = path.file_name().and_then(|n| n.to_str()).unwrap_or("state");
        let mode = WriteMode {
            private: true,
            durable: true,
        };
        write_atomically(path, kind, mode, |out| {
            serde_json::to_writer(&mut *out, saved)?;
            out.write_all(b"\n")
        })
    }
}

/// `$XDG_DATA_HOME/careerhub`, else `$HOME/.local/share/careerhub`.
pub fn data_dir() -> Option<PathBuf> {
    crate::xdg::careerhub_dir("XDG_DATA_HOME", ".local/share")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::state::Position;

    fn sample() -> Saved {
        let mut s = Saved::default();
        s.bookmarks.push("a".into());
        s.recent.push("b".into());
        s.positions.insert(
            "a".into(),
            Position {
                heading: Some("Intro".into()),
                offset: 3,
                permille: 120,
            },
        );
        s
    }

    #[test]
    fn round_trips_and_creates_folders() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("deep/er/state.json"));
        assert_eq!(store.load(), (Saved::default(), None));
        store.save(&sample()).unwrap();
        assert_eq!(store.load(), (sample(), None));
        let leftovers: Vec<_> = fs::read_dir(dir.path().join("deep/er")).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary files left behind");
    }

    #[test]
    fn corrupt_state_is_moved_aside_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        fs::write(&path, "{not json").unwrap();
        let (saved, msg) = Store::at(&path).load();
        assert_eq!(saved, Saved::default());
        assert!(msg.unwrap().contains("moved it to"));
        assert!(dir.path().join("state.json.corrupt").exists());
        assert!(!path.exists());
    }

    #[test]
    fn memory_store_keeps_nothing() {
        let store = Store::memory();
        store.save(&sample()).unwrap();
        assert_eq!(store.load().0, Saved::default());
    }

    #[test]
    fn concurrent_saves_never_mix() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("state.json"));
        std::thread::scope(|scope| {
            for i in 0..8 {
                let store = &store;
                scope.spawn(move || {
                    let mut s = sample();
                    s.bookmarks = vec![format!("b{i}"); 200];
                    for _ in 0..20 {
                        store.save(&s).unwrap();
                    }
                });
            }
        });
        let (saved, msg) = store.load();
        assert!(msg.is_none(), "{msg:?}");
        assert_eq!(saved.bookmarks.len(), 200);
    }
}

#[cfg(all(test, unix))]
mod permission_tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn saved_state_is_readable_by_its_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("users").join("abc.json"));
        store.save(&Saved::default()).unwrap();
        let mode = fs::metadata(dir.path().join("users/abc.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

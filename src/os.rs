//! What careerhub asks of the operating system beyond std: files replaced atomically, and
//! freed memory handed back. One place for both, so every writer follows the same rules.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A temporary file older than this was left by a careerhub that was killed mid-write; a
/// younger one may be another careerhub's write in progress.
const STALE_TEMPORARY: Duration = Duration::from_secs(3600);

/// How [`write_atomically`] treats the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteMode {
    /// Readable by the owner only (mode 0600): reading history, host keys.
    pub private: bool,
    /// Synced to disk before it replaces the old file: state a user would miss after a power
    /// cut. Caches skip it, they are rebuilt when lost.
    pub durable: bool,
}

/// Writes `file` through a temporary file beside it (`.{kind}.PID.N.tmp`), renamed into place
/// once whole, so a reader never sees half a file and two writers never share a temporary;
/// the temporary is removed on failure. Stale temporaries of the same kind that a killed run
/// left are swept first.
pub fn write_atomically(
    file: &Path,
    kind: &str,
    mode: WriteMode,
    write: impl FnOnce(&mut BufWriter<fs::File>) -> io::Result<()>,
) -> io::Result<()> {
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    sweep_stale_temporaries(dir, kind);
    let tmp = dir.join(format!(
        ".{kind}.{}.{}.tmp",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if mode.private {
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        }
        let mut out = BufWriter::new(options.open(&tmp)?);
        write(&mut out)?;
        out.flush()?;
        if mode.durable {
            out.get_ref().sync_all()?;
        }
        drop(out);
        fs::rename(&tmp, file)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Removes `.{kind}.*.tmp` files in `dir` older than [`STALE_TEMPORARY`].
fn sweep_stale_temporaries(dir: &Path, kind: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{kind}.");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = name.starts_with(&prefix) && name.ends_with(".tmp");
        let old = || {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > STALE_TEMPORARY)
        };
        if ours && old() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Hands memory freed after a load back to the OS. Parsing a big folder frees tens of
/// megabytes of file buffers and parse results on every thread; glibc keeps them in its
/// arenas, which would show as resident memory for the whole session or server.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages to the OS; it is safe at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the file should go: the final rename fails.
        let target = dir.path().join("library-x.bin");
        fs::create_dir(&target).unwrap();
        let result = write_atomically(&target, "library", WriteMode::default(), |out| {
            out.write_all(b"whole")
        });
        assert!(result.is_err());
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["library-x.bin"]);
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_for_the_owner_only_and_replace_the_old_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("state.json");
        fs::write(&file, "old").unwrap();
        let mode = WriteMode {
            private: true,
            durable: true,
        };
        write_atomically(&file, "state", mode, |out| out.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "new");
        let perms = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(perms, 0o600);
    }
}

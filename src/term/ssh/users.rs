//! Who may connect, and where their state lives.
//!
//! With `--authorized-keys` only the listed keys get in; without it any key does. Each key's
//! bookmarks, reading positions and history are kept in `<users dir>/<fingerprint>.json`. The
//! file name is the hex SHA-256 of the key (OpenSSH's base64 fingerprint contains `/`). A
//! client without a key keeps its state in memory for the session.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use russh::keys::{HashAlg, PublicKey};

use crate::store::Store;

/// Keys admitted by an `authorized_keys` file.
#[derive(Debug, Clone, Default)]
pub struct Allowlist {
    /// SHA-256 digests of the admitted keys (options and comments do not matter).
    digests: HashSet<Vec<u8>>,
}

impl Allowlist {
    /// Reads an OpenSSH `authorized_keys` file. A line that does not parse is an error with
    /// its line number: silently admitting fewer keys than the operator listed would be worse.
    pub fn load(path: &Path) -> Result<Allowlist, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read authorized keys {}: {e}", path.display()))?;
        Allowlist::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses the text of an `authorized_keys` file.
    pub fn parse(text: &str) -> Result<Allowlist, String> {
        let mut digests = HashSet::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let entry: russh::keys::ssh_key::authorized_keys::Entry = line
                .parse()
                .map_err(|e| format!("line {}: not a public key ({e})", i + 1))?;
            // An option careerhub cannot honour (from=, command=, no-pty, expiry-time=, …)
            // would silently widen access: refuse the file instead.
            if let Some(option) = entry.config_opts().iter().next() {
                return Err(format!(
                    "line {}: key option `{option}` is not supported by careerhub; remove the \
                     option (or the key) from the file",
                    i + 1
                ));
            }
            digests.insert(digest(entry.public_key()));
        }
        if digests.is_empty() {
            return Err("no keys: nobody could log in".into());
        }
        Ok(Allowlist { digests })
    }

    /// Whether `key` may log in.
    pub fn admits(&self, key: &PublicKey) -> bool {
        self.digests.contains(&digest(key))
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.digests.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }
}

fn digest(key: &PublicKey) -> Vec<u8> {
    key.fingerprint(HashAlg::Sha256).as_bytes().to_vec()
}

/// `--users-dir`, else `users/` in the data dir.
pub fn users_dir(flag: Option<&Path>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf)
        .or_else(|| crate::store::data_dir().map(|d| d.join("users")))
}

/// The name of a key's state: its SHA-256 fingerprint in hex.
pub fn key_hex(key: &PublicKey) -> String {
    digest(key).iter().map(|b| format!("{b:02x}")).collect()
}

/// The store for one key: `<dir>/<hex sha256>.json`.
pub fn store_for(dir: &Path, key: &PublicKey) -> Store {
    Store::at(dir.join(format!("{}.json", key_hex(key))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_options_are_refused_not_ignored() {
        for option in [
            "from=\"10.9.9.9\"",
            "command=\"/bin/false\",no-pty",
            "no-pty",
        ] {
            let text = format!("# ok\n{option} {KEY}\n");
            let e = Allowlist::parse(&text).unwrap_err();
            assert!(e.starts_with("line 2: key option `"), "{e}");
            assert!(e.contains("not supported"), "{e}");
        }
    }

    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@example";

    #[test]
    fn parses_keys_with_comments() {
        let text = format!("# team\n\n{KEY}\n{KEY}\n");
        let list = Allowlist::parse(&text).unwrap();
        assert_eq!(list.len(), 1);
        let key: PublicKey = KEY.parse().unwrap();
        assert!(list.admits(&key));
    }

    #[test]
    fn a_broken_line_is_reported_with_its_number() {
        let err = Allowlist::parse(&format!("{KEY}\nssh-ed25519 garbage\n")).unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        assert!(Allowlist::parse("# nothing\n").is_err());
    }

    #[test]
    fn state_file_is_named_by_hex_fingerprint() {
        let key: PublicKey = KEY.parse().unwrap();
        let store = store_for(Path::new("/state"), &key);
        let name = store
            .path()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(name.len(), 64 + 5);
        assert!(name.ends_with(".json") && name[..64].chars().all(|c| c.is_ascii_hexdigit()));
    }
}

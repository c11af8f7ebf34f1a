//! The server's host key: generated (ed25519) on first start, written 0600, reused after.
//!
//! Clients remember the host key and warn loudly if it changes, so it must survive restarts;
//! a key that others can read lets them impersonate the server, so it is created private and
//! a key file readable by group or others is refused, as sshd does.

use crate::os::{WriteMode, write_atomically};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use russh::keys::{Algorithm, HashAlg, PrivateKey, ssh_key::LineEnding};

/// File name of the host key in the data dir.
pub const DEFAULT_FILE: &str = "ssh_host_ed25519_key";

/// `--host-key`, else the default file in the data dir.
pub fn default_path(flag: Option<&Path>) -> Result<PathBuf, String> {
    match flag {
        Some(path) => Ok(path.to_path_buf()),
        None => crate::store::data_dir()
            .map(|dir| dir.join(DEFAULT_FILE))
            .ok_or_else(|| {
                "no data dir (set HOME or XDG_DATA_HOME) for the host key: pass --host-key PATH"
                    .into()
            }),
    }
}

/// Loads the key at `path`, or creates one there if there is no file. Returns the key and
/// whether it was created.
pub fn load_or_create(path: &Path) -> Result<(PrivateKey, bool), String> {
    match fs::metadata(path) {
        Ok(meta) => {
            check_private(path, &meta)?;
            let key = PrivateKey::read_openssh_file(path)
                .map_err(|e| format!("cannot read host key {}: {e}", path.display()))?;
            if key.is_encrypted() {
                return Err(format!(
                    "host key {} is encrypted: the server needs it without a passphrase",
                    path.display()
                ));
            }
            Ok((key, false))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path).map(|k| (k, true)),
        Err(e) => Err(format!("cannot read host key {}: {e}", path.display())),
    }
}

/// The key's SHA-256 fingerprint as OpenSSH prints it (`SHA256:...`).
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

#[cfg(unix)]
fn check_private(path: &Path, meta: &fs::Metadata) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "host key {} is readable by others (mode {mode:o}): run `chmod 600 {}`",
            path.display(),
            path.display()
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _meta: &fs::Metadata) -> Result<(), String> {
    Ok(())
}

fn create(path: &Path) -> Result<PrivateKey, String> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        format!("cannot {what} host key {}: {e}", path.display())
    };
    let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519)
        .map_err(|e| fail("generate", &e))?;
    let pem = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| fail("encode", &e))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir).map_err(|e| fail("create the folder of the", &e))?;
    }
    // Write a private temporary file, then rename: a crash leaves no half key, and two
    // servers starting at once cannot both win with different keys (rename is atomic and the
    // loser reads the winner's key next start).
    let mode = WriteMode {
        private: true,
        durable: true,
    };
    write_atomically(path, "host-key", mode, |out| out.write_all(pem.as_bytes()))
        .map_err(|e| fail("write", &e))?;
    Ok(key)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_once_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/host");
        let (first, created) = load_or_create(&path).unwrap();
        assert!(created);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let (again, created) = load_or_create(&path).unwrap();
        assert!(!created);
        assert_eq!(fingerprint(&first), fingerprint(&again));
        assert!(fingerprint(&first).starts_with("SHA256:"));
    }

    #[cfg(unix)]
    #[test]
    fn a_key_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("host");
        load_or_create(&path).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        assert!(load_or_create(&path).unwrap_err().contains("chmod 600"));
    }
}

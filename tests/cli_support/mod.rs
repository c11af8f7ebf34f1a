//! What the CLI tests share: the real binary, with colour allowed and its caches kept apart.

use assert_cmd::Command;

/// The careerhub binary, with `NO_COLOR` unset and the index cache of temporary folders kept
/// out of the real cache dir.
pub fn careerhub() -> Command {
    let mut cmd = Command::cargo_bin("careerhub").expect("binary built");
    cmd.env_remove("NO_COLOR");
    cmd.env(
        "XDG_CACHE_HOME",
        std::env::temp_dir().join("careerhub-test-cache"),
    );
    cmd
}

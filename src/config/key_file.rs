//! A config file holding `api_key` must be readable by its owner alone, as ssh insists for its
//! keys. imgtui warns rather than refuses: the fix is one `chmod` away.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::Config;

/// The warning for a config file with `api_key` that its group or others can read.
pub fn exposed_key(path: &Path, config: &Config) -> Option<String> {
    config.api_key.as_ref()?;
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    let readers = match (mode & 0o040 != 0, mode & 0o004 != 0) {
        (true, true) => "its group and everyone else",
        (true, false) => "its group",
        (false, true) => "everyone else",
        (false, false) => return None,
    };
    let shown = crate::text::escape_controls(&path.display().to_string());
    Some(format!(
        "config file {shown} holds api_key and can be read by {readers} (mode {:03o}): `chmod 600 {shown}`",
        mode & 0o777
    ))
}

/// Prints the warning, for the commands that read the config without an engine.
pub fn warn_if_exposed(path: &Path, config: &Config) {
    if let Some(warning) = exposed_key(path, config) {
        eprintln!("imgtui: {warning}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_key_readable_by_others_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "api_key = \"k\"\n").unwrap();
        let with_key = Config { api_key: Some("k".into()), ..Config::default() };
        let set = |mode| std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        set(0o644);
        let warning = exposed_key(&path, &with_key).unwrap();
        assert!(warning.contains("its group and everyone else") && warning.contains("chmod 600"), "{warning}");
        set(0o640);
        assert!(exposed_key(&path, &with_key).unwrap().contains("by its group (mode 640)"));
        set(0o600);
        assert_eq!(exposed_key(&path, &with_key), None);
        set(0o644);
        assert_eq!(exposed_key(&path, &Config::default()), None, "no key, nothing to protect");
    }
}

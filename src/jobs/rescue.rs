//! The rescue folder: where images go when the output folder cannot take them (a full disk, no
//! permission). It is per user and private, because `/tmp` is shared: a folder another user
//! made first, or a symlink they planted, must never receive (or block) a paid image.

use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// `$TMPDIR/imgtui-rescue-$UID`.
pub fn rescue_dir() -> PathBuf {
    std::env::temp_dir().join(format!("imgtui-rescue-{}", rustix::process::getuid().as_raw()))
}

/// Makes sure `dir` is a private folder of user `uid`: creates it 0700, narrows a folder of ours
/// to 0700, and refuses a symlink or a folder owned by someone else.
pub fn ensure_private_dir(dir: &Path, uid: u32) -> Result<(), String> {
    let refuse = |why: &str| Err(format!("the rescue folder {} {why}; it was not used", dir.display()));
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let made = std::fs::DirBuilder::new().mode(0o700).create(dir);
            // Another imgtui may have made it meanwhile: check what is there now.
            if let Some(e) = made.as_ref().err().filter(|e| e.kind() != std::io::ErrorKind::AlreadyExists) {
                return refuse(&format!("cannot be created ({e})"));
            }
            ensure_existing(dir, uid)
        }
        Err(e) => refuse(&format!("cannot be checked ({e})")),
        Ok(_) => ensure_existing(dir, uid),
    }
}

fn ensure_existing(dir: &Path, uid: u32) -> Result<(), String> {
    let refuse = |why: String| Err(format!("the rescue folder {} {why}; it was not used", dir.display()));
    let meta = std::fs::symlink_metadata(dir).map_err(|e| format!("the rescue folder {}: {e}", dir.display()))?;
    if meta.file_type().is_symlink() {
        return refuse("is a symlink".into());
    }
    if !meta.is_dir() {
        return refuse("is not a folder".into());
    }
    if meta.uid() != uid {
        return refuse(format!("belongs to another user (uid {})", meta.uid()));
    }
    if meta.mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .or_else(|e| refuse(format!("is open to others and cannot be made private ({e})")))?;
    }
    Ok(())
}

/// Rescued images are readable by their owner only.
pub fn make_private(path: &Path) {
    if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
        tracing::warn!(path = %path.display(), "cannot make a rescued image private: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> u32 {
        rustix::process::getuid().as_raw()
    }

    #[test]
    fn a_new_folder_is_private_and_an_open_one_of_ours_is_narrowed() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("rescue");
        ensure_private_dir(&dir, me()).unwrap();
        assert_eq!(std::fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        ensure_private_dir(&dir, me()).unwrap();
        assert_eq!(std::fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);
    }

    #[test]
    fn a_symlink_or_another_users_folder_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("elsewhere");
        std::fs::create_dir(&target).unwrap();
        let link = root.path().join("rescue");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let err = ensure_private_dir(&link, me()).unwrap_err();
        assert!(err.contains("is a symlink"), "{err}");
        // As if someone else had made it first: the same folder checked for another uid.
        let err = ensure_private_dir(&target, me() + 1).unwrap_err();
        assert!(err.contains("belongs to another user"), "{err}");
    }
}

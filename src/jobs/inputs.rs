//! The input files of an edit, as recorded and as they are now: a re-run or a load must use the
//! same pictures, so paths are kept absolute and canonical, and the recorded SHA-256 is checked.

use std::path::{Path, PathBuf};

use crate::store::{InputRecord, images_sha256};

/// `path` made absolute and canonical (symlinks and `..` resolved), or as given when it cannot
/// be (it does not exist: validation says so).
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).or_else(|_| std::path::absolute(path)).unwrap_or_else(|_| path.to_path_buf())
}

/// How each recorded input differs from the file at its path today, one line each; empty when
/// every file is the one that was sent. Reads the files: call it off the UI task.
pub fn changed_inputs(inputs: &[InputRecord]) -> Vec<String> {
    inputs
        .iter()
        .filter_map(|input| {
            let recorded = input.sha256.as_deref()?;
            let shown = crate::text::escape_controls(&input.path.display().to_string());
            let now = crate::files::read_regular(&input.path, crate::files::IMAGE_FILE_MAX)
                .ok()
                .map(|bytes| images_sha256(&bytes));
            // Sixteen hex digits name a file well enough, and keep the line readable.
            let short = |hash: &str| format!("{}…", &hash[..hash.len().min(16)]);
            match now {
                None => Some(format!("{} {shown} is gone (it had sha256 {})", input.role, short(recorded))),
                Some(now) if now != recorded => Some(format!(
                    "{} {shown} changed since (sha256 was {}, now {})",
                    input.role,
                    short(recorded),
                    short(&now)
                )),
                Some(_) => None,
            }
        })
        .collect()
}

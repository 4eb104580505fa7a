//! Partial images of a streamed answer, written as they arrive: the API returned them, so they
//! are kept (in `partials/` beside the images), and the app previews them from there.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::api::ImageFormat;
use crate::files;
use crate::store::JobId;

fn prefix(id: JobId) -> String {
    format!("job-{id}-partial-")
}

/// Job `id`'s partial images: in the folders of its `images`, and in `out_dir` (where they go
/// when a job ends without images).
pub fn partials_of_job(images: &[PathBuf], out_dir: &Path, id: JobId) -> Vec<PathBuf> {
    let mut dirs: Vec<&Path> = images.iter().filter_map(|p| p.parent()).chain([out_dir]).collect();
    dirs.sort();
    dirs.dedup();
    dirs.into_iter().flat_map(|dir| partials_of(dir, id)).collect()
}

/// The partial images of job `id` in `images_dir/partials`.
fn partials_of(images_dir: &Path, id: JobId) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(images_dir.join("partials")) else { return Vec::new() };
    let prefix = prefix(id);
    entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| file_name_starts(p, &prefix)).collect()
}

fn file_name_starts(path: &Path, prefix: &str) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix))
}

/// Writes partial image `index` (0-based) of job `id` into `images_dir/partials`.
pub fn write_partial(images_dir: &Path, id: JobId, index: u32, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let extension = ImageFormat::sniff(bytes).map_or("bin", ImageFormat::extension);
    let name = format!("{}{}.{extension}", prefix(id), index + 1);
    files::write_new_file_atomically(&images_dir.join("partials"), &name, bytes)
}

/// `write_partial` off the async workers; the error says which partial was lost and why.
pub async fn save_partial(images_dir: PathBuf, id: JobId, index: u32, bytes: Arc<Vec<u8>>) -> Result<PathBuf, String> {
    let written = tokio::task::spawn_blocking(move || write_partial(&images_dir, id, index, &bytes)).await;
    match written {
        Ok(Ok(path)) => Ok(path),
        Ok(Err(e)) => Err(format!("partial image {} not written: {e}", index + 1)),
        Err(e) => Err(format!("partial image {} not written: {e}", index + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jobs_partials_are_found_and_no_other_jobs() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let png = b"\x89PNG\r\n\x1a\n rest";
        let mine = [write_partial(dir.path(), 1, 0, png), write_partial(dir.path(), 1, 1, png)];
        let theirs = write_partial(dir.path(), 12, 0, png).unwrap_or_default();
        let mut found = partials_of(dir.path(), 1);
        found.sort();
        let mine: Vec<PathBuf> = mine.into_iter().filter_map(Result::ok).collect();
        assert_eq!(found, mine);
        assert!(mine[0].ends_with("partials/job-1-partial-1.png"), "{}", mine[0].display());
        assert!(!found.contains(&theirs));
    }
}

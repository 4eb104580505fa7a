//! Partial images of a streamed answer, written as they arrive: the API returned them, so they
//! are kept (in `partials/` beside the images), and the app previews them from there.

use std::path::{Path, PathBuf};

use crate::api::ImageFormat;
use crate::files;
use crate::store::JobId;

/// Writes partial image `index` (0-based) of job `id` into `images_dir/partials`.
pub fn write_partial(images_dir: &Path, id: JobId, index: u32, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let extension = ImageFormat::sniff(bytes).map_or("bin", ImageFormat::extension);
    let name = format!("job-{id}-partial-{}.{extension}", index + 1);
    files::write_new_file_atomically(&images_dir.join("partials"), &name, bytes)
}

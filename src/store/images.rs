//! Writing a finished request's images: PNG text metadata added, hashed, written atomically.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use super::model::{ImageRecord, ImageRequest};
use super::png_text;
use crate::api::{ImageFacts, ImageFormat, ImagesResult, ReceivedImage};
use crate::files;

/// What became of each image of an answer.
#[derive(Debug, Default)]
pub struct SaveOutcome {
    /// Written and hashed.
    pub saved: Vec<ImageRecord>,
    /// Positions (in the answer's images) that could not be written, with why; the caller
    /// still holds their bytes and can write them elsewhere.
    pub unsaved: Vec<(usize, String)>,
    /// The API's own images, saved beside results imgtui changed (`ReceivedImage::raw`).
    pub raw: Vec<ImageRecord>,
    /// Raw images that could not be written, with why (their result was).
    pub raw_lost: Vec<String>,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// An image about to be written: where its bytes go first, and what they will be. Recorded
/// in the history before the write, so a killed imgtui's whole temp file can be recovered.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingImage {
    pub temp: PathBuf,
    pub dir: PathBuf,
    pub name: String,
    /// The record the image gets once in place (its `path` is the intended one).
    pub record: ImageRecord,
}

/// Writes the images of `result` at positions `which` (in `result.images`) into `dir`. PNGs
/// carry the prompt and parameters. `before_write` learns each image before its bytes go out.
pub fn save_images(
    dir: &Path,
    request: &ImageRequest,
    result: &ImagesResult,
    which: &[usize],
    now: SystemTime,
    before_write: &dyn Fn(&PendingImage),
) -> SaveOutcome {
    let mut outcome = SaveOutcome::default();
    for (&position, image) in which.iter().filter_map(|p| Some(p).zip(result.images.get(*p))) {
        let kind = image.raw.is_some().then(|| kind_note(false));
        let bytes = match image.format {
            Some(ImageFormat::Png) => with_metadata(&image.bytes, request, result, image, kind),
            _ => image.bytes.clone(),
        };
        let extension = image.format.map_or("bin", ImageFormat::extension);
        let name = files::image_file_name(now, request.prompt(), image.index + 1, extension);
        let record = record_of(image, dir.join(&name), &bytes);
        let pending = PendingImage { temp: files::temp_path(dir, &name), dir: dir.to_path_buf(), name, record };
        before_write(&pending);
        match files::write_new_file_via(&pending.temp, dir, &pending.name, &bytes) {
            Ok(path) => {
                if let Some(raw) = &image.raw {
                    save_raw(dir, &path, request, result, image, raw, &mut outcome);
                }
                outcome.saved.push(ImageRecord { path: std::path::absolute(&path).unwrap_or(path), ..pending.record })
            }
            Err(e) => {
                outcome.unsaved.push((position, format!("cannot write {}: {e}", dir.join(&pending.name).display())))
            }
        }
    }
    outcome
}

/// Writes the API's own image beside the result `saved_as` was made from.
fn save_raw(
    dir: &Path,
    saved_as: &Path,
    request: &ImageRequest,
    result: &ImagesResult,
    image: &ReceivedImage,
    raw: &[u8],
    outcome: &mut SaveOutcome,
) {
    let name = crate::files::raw_name(&saved_as.file_name().map(|n| n.to_string_lossy()).unwrap_or_default());
    let bytes = match image.format {
        Some(ImageFormat::Png) => with_metadata(raw, request, result, image, Some(kind_note(true))),
        _ => raw.to_vec(),
    };
    match files::write_new_file_atomically(dir, &name, &bytes) {
        Ok(path) => outcome.raw.push(record_of(image, path, &bytes)),
        Err(e) => outcome.raw_lost.push(format!("image {}: the API's own image not written: {e}", image.index + 1)),
    }
}

/// The history's record of `image` written as `bytes` at `path`.
fn record_of(image: &ReceivedImage, path: PathBuf, bytes: &[u8]) -> ImageRecord {
    let facts = ImageFacts::from_header(bytes).ok();
    ImageRecord {
        index: image.index,
        path: std::path::absolute(&path).unwrap_or(path),
        format: image.format,
        width: facts.map(|f| f.width),
        height: facts.map(|f| f.height),
        bytes: bytes.len() as u64,
        sha256: sha256_hex(bytes),
    }
}

fn with_metadata(
    png: &[u8],
    request: &ImageRequest,
    result: &ImagesResult,
    image: &ReceivedImage,
    kind: Option<&str>,
) -> Vec<u8> {
    let r = &result.response;
    let (size, quality, options) = match request {
        ImageRequest::Generate(g) => (&g.options.size, &g.options.quality, &g.options),
        ImageRequest::Edit(e) => (&e.options.size, &e.options.quality, &e.options),
    };
    let facts = ImageFacts::from_header(png).ok();
    let pixel_size = facts.map(|f| format!("{}x{}", f.width, f.height)).unwrap_or_default();
    let pairs = [
        ("Size", r.size.clone().or_else(|| size.clone()).unwrap_or(pixel_size)),
        ("Model", request.model().to_string()),
        ("Quality", r.quality.clone().or_else(|| quality.clone()).unwrap_or_default()),
        ("Background", r.background.clone().or_else(|| options.background.clone()).unwrap_or_default()),
        ("Style", options.style.clone().unwrap_or_default()),
        ("Image", format!("{} of {}", image.index + 1, result.response.data.len())),
        ("Generator", concat!("imgtui ", env!("CARGO_PKG_VERSION")).to_string()),
    ];
    let prompt = image.revised_prompt.as_deref().unwrap_or(request.prompt());
    let parameters = png_text::a1111_parameters(prompt, &pairs);
    let json = serde_json::json!({
        "request": request,
        "index": image.index,
        "revised_prompt": image.revised_prompt,
        "created": r.created,
        "usage": r.usage,
        "size": r.size, "quality": r.quality, "background": r.background, "output_format": r.output_format,
        "kind": kind,
    });
    let json = json.to_string();
    let mut chunks = vec![("parameters", parameters.as_str()), ("imgtui", json.as_str())];
    // Readable as is by exiftool: which of the two files this is.
    chunks.extend(kind.map(|kind| ("imgtui-kind", kind)));
    png_text::with_text_chunks(png, &chunks).unwrap_or_else(|| png.to_vec())
}

/// Removes temp files that a killed imgtui left in `dir` (`.NAME.PID-RAND.tmp`). A file whose
/// process still runs is left alone: it may be mid-write.
pub fn sweep_temp_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = temp_file_pid(&name) else { continue };
        if process_alive(pid) {
            continue;
        }
        if std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

fn temp_file_pid(name: &str) -> Option<u32> {
    let stem = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (_, owner) = stem.rsplit_once('.')?;
    owner.split_once('-')?.0.parse().ok()
}

/// Whether process `pid` runs (this process counts as running).
pub(super) fn process_alive(pid: u32) -> bool {
    crate::process::pid_alive(pid)
}

/// What a PNG's metadata says the file is.
pub fn kind_note(raw: bool) -> &'static str {
    if raw {
        "raw: the image as the API returned it"
    } else {
        "kept outside the mask: the first input's pixels where the mask protects them, the API's inside"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_parse() {
        assert_eq!(temp_file_pid(".a-red-fox-1.png.1234-0000beef.tmp"), Some(1234));
        assert_eq!(temp_file_pid("a.png"), None);
        assert_eq!(temp_file_pid(".x.tmp"), None);
    }
}

#[cfg(test)]
mod liveness_tests {
    use super::process_alive;

    #[test]
    fn a_finished_process_is_dead_and_a_running_one_alive() {
        assert!(process_alive(std::process::id()));
        assert!(process_alive(1), "pid 1 always runs (another user's process counts)");
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert!(!process_alive(pid));
    }
}

//! The runner's file system work for the browser, the form and the painter, answered as an
//! event (run off the async workers).

use super::event::{AppEvent, FileAsk};
use crate::api::validate::InputFile;
use crate::jobs;

/// File system work for the browser and the form, answered as an event.
pub fn look_at_files(ask: FileAsk) -> AppEvent {
    match ask {
        FileAsk::ListDir { dir, generation } => {
            AppEvent::DirListed { generation, listing: crate::browse::list_dir(&dir) }
        }
        FileAsk::CheckInputs { id, inputs } => AppEvent::InputsChecked { id, changed: jobs::changed_inputs(&inputs) },
        FileAsk::InspectFiles { paths, masks } => {
            AppEvent::FilesInspected(paths.into_iter().map(|p| (p.clone(), InputFile::inspect(&p, masks))).collect())
        }
        FileAsk::ReadStartingMask { path, size } => {
            AppEvent::StartingMask { painted: starting_mask(&path, size), path }
        }
        FileAsk::ReadStartingMarkup { path, size } => {
            let pixels = crate::files::load_image(&path).map(image::DynamicImage::into_rgba8).and_then(|markup| {
                match markup.dimensions() == size {
                    true => Ok(std::sync::Arc::new(markup)),
                    false => {
                        Err(format!("it is {}x{} and the image {}x{}", markup.width(), markup.height(), size.0, size.1))
                    }
                }
            });
            AppEvent::StartingMarkup { path, pixels }
        }
        FileAsk::CompletePath(typed) => {
            let completed = crate::browse::complete(&typed, crate::browse::home_dir().as_deref());
            AppEvent::Completed { typed, completed }
        }
        FileAsk::ResolvePath(path) => {
            let kind = std::fs::metadata(&path)
                .ok()
                .map(|m| if m.is_dir() { crate::browse::EntryKind::Dir } else { crate::browse::EntryKind::File });
            AppEvent::PathResolved { path, kind }
        }
    }
}

/// A mask file as pixels, painted where it is transparent, if it is the image's size.
fn starting_mask(path: &std::path::Path, (width, height): (u32, u32)) -> Result<std::sync::Arc<Vec<bool>>, String> {
    let mask = crate::files::load_image(path)?.into_rgba8();
    if mask.dimensions() != (width, height) {
        let (w, h) = mask.dimensions();
        return Err(format!("it is {w}x{h} and the image {width}x{height}"));
    }
    Ok(std::sync::Arc::new(mask.pixels().map(|p| p[3] == 0).collect()))
}

/// Writes a painted mask as a new file under the masks folder, named after its image.
pub fn save_mask(dir: Option<&std::path::Path>, plan: &crate::mask::MaskPlan, image: &std::path::Path) -> AppEvent {
    match save_painted(dir, "mask", image, plan.to_png()) {
        Ok(path) => AppEvent::MaskSaved { path, share: plan.coverage() },
        Err(message) => AppEvent::MaskNotSaved(message),
    }
}

/// Writes the markup drawn over `image` beside the masks, under a new name.
pub fn save_markup(
    dir: Option<&std::path::Path>,
    plan: &crate::mask::markup::MarkupPlan,
    image: &std::path::Path,
) -> AppEvent {
    match save_painted(dir, "markup", image, plan.to_png()) {
        Ok(path) => AppEvent::MarkupSaved { path, marks: plan.marks.len() },
        Err(message) => AppEvent::MaskNotSaved(message),
    }
}

/// `png` (a `what`: mask or markup, painted over `image`) as a new file in `dir`, named after
/// the image; else why not, naming which.
fn save_painted(
    dir: Option<&std::path::Path>,
    what: &str,
    image: &std::path::Path,
    png: Result<Vec<u8>, String>,
) -> Result<std::path::PathBuf, String> {
    let dir = dir.ok_or_else(|| format!("the {what}: no folder for it"))?;
    let stem = image.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name = crate::files::image_file_name(crate::clock::now(), &format!("{what} {stem}"), 1, "png");
    crate::files::write_new_file_atomically(dir, &name, &png?)
        .map_err(|e| format!("the {what}: cannot write it in {}: {e}", dir.display()))
}

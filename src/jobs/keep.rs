//! "Outside the mask: keep the original" for a finished edit: each result gets the first
//! input's pixels back wherever the mask protects them (`mask::keep`), and keeps the API's own
//! bytes as `raw`, to be saved beside it. A result that cannot be composed is kept as it came,
//! with a note saying why.

use crate::api::{EditRequest, ImagesResult};
use crate::mask::keep::{feather_for, keep_unmasked};

/// New bytes for each image of `result` (`None`: kept as it came), and notes on why some were
/// not changed. `result` itself is only read, so the answer is never at risk here.
pub fn compose(request: &EditRequest, result: &ImagesResult) -> (Vec<Option<Vec<u8>>>, Vec<String>) {
    let unchanged = vec![None; result.images.len()];
    let (Some(first), Some(mask_path)) = (request.images.first(), request.mask.as_ref()) else {
        return (unchanged, Vec::new());
    };
    let open = |path: &std::path::Path, what: &str| {
        crate::files::load_image(path)
            .map(|i| i.into_rgba8())
            .map_err(|e| format!("cannot read the {what} {}: {e}", path.display()))
    };
    let (input, mask) = match (open(first, "input"), open(mask_path, "mask")) {
        (Ok(input), Ok(mask)) => (input, mask),
        (Err(why), _) | (_, Err(why)) => {
            return (unchanged, vec![format!("the original was not kept outside the mask: {why}")]);
        }
    };
    let quality = request.options.output_compression.map_or(95, |q| q.clamp(1, 100) as u8);
    let mut notes = Vec::new();
    let composed = result
        .images
        .iter()
        .map(|image| {
            let format = image.format?;
            // Past what any model draws (an 8000x8000 answer would take seconds and gigabytes to
            // compose), the answer is kept as it came.
            let kept =
                composable(&image.bytes).and_then(|()| crate::files::decode_image(&image.bytes)).and_then(|decoded| {
                    let returned = decoded.into_rgba8();
                    let (w, h) = returned.dimensions();
                    let kept = keep_unmasked(&returned, &input, &mask, feather_for(w, h));
                    format.encode(&kept, quality).map_err(|e| e.to_string())
                });
            kept.map_err(|why| {
                notes.push(format!(
                    "image {}: kept as returned, the original not put back outside the mask ({why})",
                    image.index + 1
                ))
            })
            .ok()
        })
        .collect();
    (composed, notes)
}

/// The most pixels a result is composed at: 4096x4096, past the largest size any model draws
/// (3840x2160).
const COMPOSE_PIXELS_MAX: u64 = 4096 * 4096;

/// Whether `bytes` is an image small enough to compose (read from its header).
fn composable(bytes: &[u8]) -> Result<(), String> {
    let (w, h) = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .into_dimensions()
        .map_err(|e| e.to_string())?;
    match u64::from(w) * u64::from(h) > COMPOSE_PIXELS_MAX {
        true => Err(format!("{w}x{h} is larger than any model draws; at most 4096x4096 is composed")),
        false => Ok(()),
    }
}

/// Gives each image its composed bytes, keeping the API's own as `raw`.
pub fn apply(result: &mut ImagesResult, composed: Vec<Option<Vec<u8>>>, notes: Vec<String>) {
    for (image, bytes) in result.images.iter_mut().zip(composed) {
        if let Some(bytes) = bytes {
            image.raw = Some(std::mem::replace(&mut image.bytes, bytes));
        }
    }
    result.notes.extend(notes);
}

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
            // Past the pixels imgtui decodes (an 11000x11000 answer), the answer is kept as it came.
            let kept = crate::files::decode_image(&image.bytes).and_then(|decoded| {
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

/// Gives each image its composed bytes, keeping the API's own as `raw`.
pub fn apply(result: &mut ImagesResult, composed: Vec<Option<Vec<u8>>>, notes: Vec<String>) {
    for (image, bytes) in result.images.iter_mut().zip(composed) {
        if let Some(bytes) = bytes {
            image.raw = Some(std::mem::replace(&mut image.bytes, bytes));
        }
    }
    result.notes.extend(notes);
}

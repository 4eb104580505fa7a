//! Decoding and fitting an image for a pane, off the UI task: aspect kept, centred, scaled to
//! the pane's pixel size (from the terminal's cell size), encoded for the protocol in use.

use std::path::PathBuf;

use image::{RgbaImage, imageops::FilterType};

use super::encode;
use super::graphics::Graphics;
use crate::cell_size::{fit_cells, fitted_pixels};

/// What a prepared preview is for: one image in one area, for one protocol.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PreviewKey {
    pub path: PathBuf,
    pub cols: u16,
    pub rows: u16,
    pub graphics: Graphics,
    /// Fitted, or a zoomed crop.
    pub zoom: super::Zoom,
    /// The mask painter's marks, drawn into the pixels.
    pub overlay: Option<std::sync::Arc<super::overlay::MaskOverlay>>,
    /// Bumped when the app replaced the file (a mask saved again): the old pixels, prepared
    /// or held by the terminal, are not this key's.
    pub version: u32,
    /// An animated GIF's frame, stepped in the viewer (0: the first; counted past the last,
    /// it wraps).
    pub frame: u32,
    /// Markup drawn over the picture (an edit's input beside its result in the viewer).
    pub markup: Option<PathBuf>,
}

impl PreviewKey {
    /// `path` fitted into `cols` x `rows` cells, whole and unmarked.
    pub fn fitted(path: impl Into<PathBuf>, cols: u16, rows: u16, graphics: Graphics) -> Self {
        Self {
            path: path.into(),
            cols,
            rows,
            graphics,
            zoom: super::Zoom::FIT,
            overlay: None,
            version: 0,
            frame: 0,
            markup: None,
        }
    }
}

pub use super::cell::CellSize;

#[derive(Clone, Debug, PartialEq)]
pub struct Prepared {
    pub key: PreviewKey,
    /// The fitted size in cells, and its offset inside the area (centred).
    pub cols: u16,
    pub rows: u16,
    pub offset_x: u16,
    pub offset_y: u16,
    /// Half-blocks: one pixel per column, two per row.
    pub pixels: Option<RgbaImage>,
    /// Kitty and iTerm2: a PNG; sixel: the whole sequence.
    pub payload: Vec<u8>,
    /// Kitty, an animated GIF: the frames after the first (PNGs of the same size), each with
    /// the time it shows; and the first frame's time. Empty for a still picture.
    pub frames: Vec<(Vec<u8>, u32)>,
    pub first_frame_ms: u32,
    /// An animated GIF as its file has it: how many frames (up to `MOST_FRAMES`) and the first
    /// one's time, for a viewer that steps them; `None` for a still picture.
    pub animation: Option<(u32, u32)>,
    /// The source image's own size.
    pub source: (u32, u32),
    /// The area it was fitted into, in pixels.
    pub area_px: (f64, f64),
    /// Kitty's id for this picture where its cells name it (Unicode placeholders): unique in
    /// the process, 24 bits, never 0.
    pub id: u32,
}

/// A new picture id (see `Prepared::id`).
fn next_id() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let id = NEXT.fetch_add(1, Ordering::Relaxed) & 0x00FF_FFFF;
    if id == 0 { next_id() } else { id }
}

impl Prepared {
    /// The image and the area it fills: what a zoom of this picture can show.
    pub fn frame(&self) -> super::zoom::Frame {
        super::zoom::Frame { image: self.source, area: self.area_px }
    }
}

/// Decodes `key.path` and fits it into `key.cols` x `key.rows` cells.
#[cfg(any(test, feature = "internals"))]
pub fn prepare(key: &PreviewKey, cell: CellSize) -> Result<Prepared, String> {
    // `into_rgba8` reuses the decoded buffer when the file is RGBA already.
    let img = crate::files::load_image(&key.path)
        .map_err(|e| format!("cannot show {}: {e}", key.path.display()))?
        .into_rgba8();
    prepare_image(key, &img, cell)
}

pub fn prepare_image(key: &PreviewKey, img: &RgbaImage, cell: CellSize) -> Result<Prepared, String> {
    let source = img.dimensions();
    if source.0 == 0 || source.1 == 0 || key.cols == 0 || key.rows == 0 {
        return Err("nothing to show".into());
    }
    let (cw, ch) = (f64::from(cell.width), f64::from(cell.height));
    let (area_w, area_h) = (f64::from(key.cols) * cw, f64::from(key.rows) * ch);
    // Zoomed: the crop is what is fitted.
    let cropped = key.zoom.crop(img, (area_w, area_h));
    let img = cropped.as_ref().unwrap_or(img);
    let (fw, fh) = fitted_pixels(img.dimensions(), (area_w, area_h));
    let (cols, rows) = fit_cells(img.dimensions(), (key.cols, key.rows), cell);
    let (offset_x, offset_y) = ((key.cols - cols) / 2, (key.rows - rows) / 2);
    let mut prepared = Prepared {
        key: key.clone(),
        cols,
        rows,
        offset_x,
        offset_y,
        pixels: None,
        payload: Vec::new(),
        frames: Vec::new(),
        first_frame_ms: 0,
        animation: None,
        source,
        area_px: (area_w, area_h),
        id: next_id(),
    };
    match key.graphics {
        Graphics::Blocks => {
            prepared.pixels = Some(marked(key, fit_pixels(img, u32::from(cols), u32::from(rows) * 2)));
        }
        Graphics::Kitty | Graphics::Iterm => {
            let scaled = marked(key, fit_pixels(img, fw as u32, fh as u32));
            prepared.payload = png_fast(&scaled)?;
        }
        Graphics::Sixel => {
            // Sixel rows come in bands of 6 pixels; a whole number of bands avoids a ragged edge.
            let height = ((fh as u32) / 6).max(1) * 6;
            let scaled = marked(key, fit_pixels(img, fw as u32, height));
            prepared.payload = encode::sixel(scaled.as_raw(), scaled.width(), scaled.height())?;
        }
        Graphics::Auto | Graphics::None => {}
    }
    Ok(prepared)
}

/// An SVG fitted into `key`'s area: drawn at the size it is shown, the zoomed part only, so it
/// is as sharp at 16x as fitted.
pub fn prepare_vector(key: &PreviewKey, cell: CellSize) -> Result<Prepared, String> {
    let bytes = crate::files::read_regular(&key.path, crate::vector::SVG_FILE_MAX)
        .map_err(|e| format!("cannot show {}: {e}", key.path.display()))?;
    let svg = crate::vector::Svg::parse(&bytes).map_err(|e| format!("cannot show {}: {e}", key.path.display()))?;
    let (iw, ih) = svg.size();
    let area = (f64::from(key.cols) * f64::from(cell.width), f64::from(key.rows) * f64::from(cell.height));
    let (shown_x, shown_y) = key.zoom.shown(Some(super::zoom::Frame { image: (iw, ih), area }));
    let (iw, ih) = (f64::from(iw), f64::from(ih));
    let (w, h) = (iw * shown_x, ih * shown_y);
    let centre = |at: u16, size: f64| size * f64::from(at) / 1000.0;
    let x = (centre(key.zoom.center.0, iw) - w / 2.0).clamp(0.0, iw - w);
    let y = (centre(key.zoom.center.1, ih) - h / 2.0).clamp(0.0, ih - h);
    let scale = (area.0 / w).min(area.1 / h);
    let pixels = ((w * scale).round().max(1.0) as u32, (h * scale).round().max(1.0) as u32);
    let drawn = svg.view((x, y, w, h), pixels).map_err(|e| format!("cannot show {}: {e}", key.path.display()))?;
    let fitted = PreviewKey { zoom: super::Zoom::FIT, ..key.clone() };
    let mut prepared = prepare_image(&fitted, &drawn, cell)?;
    prepared.key = key.clone();
    prepared.source = svg.size();
    Ok(prepared)
}

/// `pixels` with the markup file at `markup` drawn over them (scaled to them if its size
/// differs); a markup that cannot be read leaves the picture as it is, saying why in the log.
pub fn under_markup(pixels: std::sync::Arc<RgbaImage>, markup: &std::path::Path) -> std::sync::Arc<RgbaImage> {
    let marks = match crate::files::load_image(markup) {
        Ok(marks) => marks.into_rgba8(),
        Err(e) => {
            tracing::warn!(path = %markup.display(), "the markup cannot be shown: {e}");
            return pixels;
        }
    };
    let (w, h) = pixels.dimensions();
    let marks =
        if marks.dimensions() == (w, h) { marks } else { image::imageops::resize(&marks, w, h, FilterType::Triangle) };
    let mut marked = (*pixels).clone();
    image::imageops::overlay(&mut marked, &marks, 0, 0);
    std::sync::Arc::new(marked)
}

/// Whether `path` names an SVG (what `prepare_vector` draws).
pub fn is_vector(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg"))
}

/// The fitted pixels as the terminal gets them: see-through pixels over a checkerboard (kitty
/// would show the cells' old text through them, sixel their hidden colours), and the
/// painter's marks when the key has them. Half-blocks leave see-through pixels to the
/// terminal's background.
fn marked(key: &PreviewKey, mut fitted: RgbaImage) -> RgbaImage {
    if key.graphics != Graphics::Blocks {
        over_checkerboard(&mut fitted);
    }
    if let Some(overlay) = &key.overlay {
        overlay.draw_on(&mut fitted);
    }
    fitted
}

/// Blends every pixel that is not opaque over grey squares of 8 pixels, as image viewers do.
fn over_checkerboard(img: &mut RgbaImage) {
    if img.pixels().all(|p| p[3] == 255) {
        return;
    }
    for (x, y, pixel) in img.enumerate_pixels_mut() {
        let alpha = u16::from(pixel[3]);
        let square: u16 = if (x / 8 + y / 8) % 2 == 0 { 72 } else { 104 };
        for channel in &mut pixel.0[..3] {
            *channel = ((u16::from(*channel) * alpha + square * (255 - alpha)) / 255) as u8;
        }
        pixel[3] = 255;
    }
}

/// Shrinking averages each output pixel's whole source box (`thumbnail`): as sharp as a
/// triangle filter at these ratios and three times faster (4 ms against 13 ms for 1536x1024 to
/// 300x200). Growing a small image interpolates.
/// A gallery tile: from the cached thumbnail of the image with `sha256` when there is one,
/// else from the full image, whose thumbnail is then cached.
pub fn prepare_thumbnail(
    key: &PreviewKey,
    cell: CellSize,
    cache: &super::thumbs::ThumbCache,
    sha256: &str,
) -> Result<Prepared, String> {
    let area = (u32::from(key.cols) * u32::from(cell.width), u32::from(key.rows) * u32::from(cell.height));
    // The cache stands for the file only while there is one.
    if !key.path.is_file() {
        return Err(format!("the image file is gone: {}", key.path.display()));
    }
    if let Some(thumb) = cache.get(sha256, area, &key.path) {
        return prepare_image(key, &thumb, cell);
    }
    let full = crate::files::load_image(&key.path)
        .map_err(|e| format!("cannot show {}: {e}", key.path.display()))?
        .into_rgba8();
    let thumb = super::thumbs::ThumbCache::shrink(&full, area);
    cache.put(sha256, area, &thumb);
    prepare_image(key, &thumb, cell)
}

fn fit_pixels(img: &RgbaImage, width: u32, height: u32) -> RgbaImage {
    let (width, height) = (width.max(1), height.max(1));
    if width <= img.width() && height <= img.height() {
        image::imageops::thumbnail(img, width, height)
    } else {
        image::imageops::resize(img, width, height, FilterType::Triangle)
    }
}

/// The most frames of a GIF a preview animates (gpt-image-2.6 sends at most 16).
const MOST_FRAMES: usize = 32;

/// Frame `n` of the animated GIF at `path` (wrapping past its last), for a preview that steps
/// through them.
pub fn gif_frame(path: &std::path::Path, n: u32) -> Result<RgbaImage, String> {
    // Read up to the one wanted (the viewer counts within the file's frames); only a number
    // past them needs a second reading, at the place it wraps to.
    let pick = |wanted: usize| -> Result<(Option<RgbaImage>, usize), String> {
        let (mut found, mut at) = (None, 0);
        let count = crate::files::visit_gif_frames(path, |frame| {
            if at == wanted {
                found = Some(frame.into_buffer());
            }
            at += 1;
            found.is_none() && at < MOST_FRAMES
        })?;
        Ok((found, count))
    };
    match pick(n as usize)? {
        (Some(frame), _) => Ok(frame),
        (None, count) => pick(n as usize % count.max(1))?.0.ok_or_else(|| "no frames".into()),
    }
}

/// How many frames the GIF at `path` has (up to `MOST_FRAMES`) and its first frame's time
/// (at least 20 ms); `None` when it has one frame or cannot be read.
pub fn gif_facts(path: &std::path::Path) -> Option<(u32, u32)> {
    let mut first_ms = None;
    let count = crate::files::visit_gif_frames(path, |frame| {
        first_ms.get_or_insert_with(|| frame_ms(&frame));
        true
    })
    .ok()?
    .min(MOST_FRAMES);
    (count > 1).then(|| (count as u32, first_ms.unwrap_or(100)))
}

fn frame_ms(frame: &image::Frame) -> u32 {
    let (numer, denom) = frame.delay().numer_denom_ms();
    (numer / denom.max(1)).max(20)
}

/// The largest GIF sent to iTerm2 whole (it plays it itself, scaled to the cells).
const ITERM_GIF_BYTES: u64 = 8 * 1024 * 1024;

/// An animated GIF, fitted: for kitty its other frames, fitted as its first was (`prepared`
/// came from the first frame); for iTerm2 the GIF itself, which it plays. Nothing for a still
/// image, a zoomed view or another protocol (they show the first frame).
pub fn add_gif_frames(prepared: &mut Prepared, path: &std::path::Path) -> Result<(), String> {
    let key = &prepared.key;
    if key.zoom != super::zoom::Zoom::FIT {
        return Ok(());
    }
    if key.graphics == Graphics::Iterm {
        if let Ok(gif) = crate::files::read_regular(path, ITERM_GIF_BYTES) {
            prepared.payload = gif;
        }
        return Ok(());
    }
    if key.graphics != Graphics::Kitty {
        return Ok(());
    }
    let mut frames: Vec<image::Frame> = Vec::new();
    crate::files::visit_gif_frames(path, |frame| {
        frames.push(frame);
        frames.len() < MOST_FRAMES
    })?;
    if frames.len() < 2 {
        return Ok(());
    }
    let (cw, ch) = (prepared.area_px.0, prepared.area_px.1);
    let ms = frame_ms;
    prepared.first_frame_ms = ms(&frames[0]);
    prepared.animation = Some((frames.len() as u32, prepared.first_frame_ms));
    for frame in &frames[1..] {
        let img = frame.buffer();
        let (fw, fh) = fitted_pixels(img.dimensions(), (cw, ch));
        prepared.frames.push((png_fast(&fit_pixels(img, fw as u32, fh as u32))?, ms(frame)));
    }
    Ok(())
}

/// PNG with fast compression: the preview is re-made, not archived.
fn png_fast(img: &RgbaImage) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, PngFilter::Adaptive)
        .write_image(img.as_raw(), img.width(), img.height(), image::ExtendedColorType::Rgba8)
        .map_err(|e| format!("cannot encode the preview: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An SVG zoomed 4x is drawn at the size shown: the edge between two colours stays one
    /// pixel wide, where the same crop of a raster grows into a blur.
    #[test]
    fn an_svg_stays_sharp_at_4x_zoom() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("halves.svg");
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024"><rect width="512" height="1024" fill="#ff0000"/><rect x="512" width="512" height="1024" fill="#0000ff"/></svg>"##;
        std::fs::write(&path, svg).unwrap();
        let mut key = PreviewKey::fitted(&path, 80, 40, Graphics::Kitty);
        key.zoom.level = 2;
        let cell = CellSize { width: 10, height: 20 };
        let prepared = prepare_vector(&key, cell).unwrap();
        assert_eq!(prepared.source, (1024, 1024), "the zoom's frame is the SVG's own size");
        let shown = image::load_from_memory(&prepared.payload).unwrap().into_rgba8();
        let row: Vec<[u8; 4]> = (0..shown.width()).map(|x| shown.get_pixel(x, shown.height() / 2).0).collect();
        let mixed = row.iter().filter(|p| **p != [255, 0, 0, 255] && **p != [0, 0, 255, 255]).count();
        assert!(mixed <= 1, "{mixed} pixels between the halves");
        assert!(row.first() == Some(&[255, 0, 0, 255]) && row.last() == Some(&[0, 0, 255, 255]));
        // The raster way, for comparison: the blur the vector way avoids.
        let raster = crate::files::load_image(&path).unwrap().into_rgba8();
        let blurred =
            image::load_from_memory(&prepare_image(&key, &raster, cell).unwrap().payload).unwrap().into_rgba8();
        let blurred_mixed = (0..blurred.width())
            .map(|x| blurred.get_pixel(x, blurred.height() / 2).0)
            .filter(|p| *p != [255, 0, 0, 255] && *p != [0, 0, 255, 255])
            .count();
        assert!(blurred_mixed > mixed, "{blurred_mixed} against {mixed}");
    }

    /// An animated GIF for kitty: its other frames fitted as the first, each with its time;
    /// for another protocol, or zoomed, the first frame alone.
    #[test]
    fn a_gifs_frames_are_fitted_for_kitty_and_iterm2_gets_the_gif_itself() {
        let dir = tempfile::tempdir().unwrap();
        let picture = crate::demo::draw::picture("a fox", 3, 96, 64, false);
        let path = dir.path().join("fox.gif");
        std::fs::write(&path, crate::demo::draw::animate(&picture, 4, 120).unwrap()).unwrap();
        let first = image::open(&path).unwrap().into_rgba8();
        let key = PreviewKey::fitted(&path, 8, 4, Graphics::Kitty);
        let mut prepared = prepare_image(&key, &first, CellSize::default()).unwrap();
        add_gif_frames(&mut prepared, &path).unwrap();
        assert_eq!(prepared.frames.len(), 3);
        assert_eq!(prepared.first_frame_ms, 120);
        assert!(prepared.frames.iter().all(|(png, ms)| *ms == 120 && png.starts_with(b"\x89PNG")));
        let sixel = PreviewKey::fitted(&path, 8, 4, Graphics::Sixel);
        let mut still = prepare_image(&sixel, &first, CellSize::default()).unwrap();
        add_gif_frames(&mut still, &path).unwrap();
        assert!(still.frames.is_empty());
        let iterm = PreviewKey::fitted(&path, 8, 4, Graphics::Iterm);
        let mut whole = prepare_image(&iterm, &first, CellSize::default()).unwrap();
        add_gif_frames(&mut whole, &path).unwrap();
        assert!(whole.payload.starts_with(b"GIF89a"), "iTerm2 gets the GIF itself, which it plays");
        let frames: Vec<RgbaImage> = (0..5).map(|n| gif_frame(&path, n).unwrap()).collect();
        assert_ne!(frames[0], frames[1], "frames differ");
        assert_eq!(frames[4], frames[0], "past the last, it wraps");
        assert_eq!(gif_facts(&path), Some((4, 120)), "the file's own frames and time");
    }

    #[test]
    fn fits_wide_images_centred_with_aspect_kept() {
        let img = RgbaImage::new(1536, 1024);
        let key = PreviewKey::fitted("x", 60, 20, Graphics::Blocks);
        let p = prepare_image(&key, &img, CellSize { width: 10, height: 20 }).unwrap();
        // 600x400 px of area: the 3:2 image fills the height (400 px = 20 rows) and 600 px wide.
        assert_eq!((p.cols, p.rows, p.offset_x, p.offset_y), (60, 20, 0, 0));
        let key = PreviewKey { cols: 100, ..key };
        let p = prepare_image(&key, &img, CellSize { width: 10, height: 20 }).unwrap();
        assert_eq!((p.cols, p.rows, p.offset_x), (60, 20, 20));
        assert_eq!(p.pixels.unwrap().dimensions(), (60, 40));
    }

    #[test]
    fn see_through_pixels_are_shown_over_a_checkerboard_except_in_half_blocks() {
        let img = RgbaImage::from_pixel(64, 64, image::Rgba([187, 238, 32, 0]));
        let kitty = marked(&PreviewKey::fitted("x", 8, 4, Graphics::Kitty), img.clone());
        assert!(kitty.pixels().all(|p| p[3] == 255 && p[0] == p[1] && p[1] == p[2]), "grey squares, no hidden colour");
        assert_ne!(kitty.get_pixel(0, 0), kitty.get_pixel(8, 0), "a checkerboard");
        let blocks = marked(&PreviewKey::fitted("x", 8, 4, Graphics::Blocks), img.clone());
        assert_eq!(blocks, img, "half-blocks: left to the terminal's background");
    }

    #[test]
    fn a_gallery_tile_is_made_once_from_the_image_then_from_its_cached_thumbnail() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.png");
        RgbaImage::from_pixel(1536, 1024, image::Rgba([200, 10, 10, 255])).save(&path).unwrap();
        let cache = super::super::thumbs::ThumbCache::new(dir.path().join("thumbs"));
        let key = PreviewKey::fitted(path.clone(), 20, 8, Graphics::Kitty);
        let sha = "cd".repeat(32);
        let cold = prepare_thumbnail(&key, CellSize::default(), &cache, &sha).unwrap();
        // Made again from the cache, not the image: the image's bytes are not read (its time
        // says it did not change since the thumbnail was made).
        let made = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::write(&path, b"not a png any more").unwrap();
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(made).unwrap();
        let warm = prepare_thumbnail(&key, CellSize::default(), &cache, &sha).unwrap();
        assert_eq!((warm.cols, warm.rows), (cold.cols, cold.rows));
        assert!(!warm.payload.is_empty());
        // A file deleted since is no longer shown from the cache.
        std::fs::remove_file(&path).unwrap();
        assert!(prepare_thumbnail(&key, CellSize::default(), &cache, &sha).unwrap_err().contains("gone"));
    }
}

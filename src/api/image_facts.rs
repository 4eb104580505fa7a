//! What an image file is, read from its header only: format, size in pixels, alpha. Checking a
//! mask for a fully transparent pixel is the one rule that needs the pixels themselves.

use std::io::Read;
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    Png,
    Jpeg,
    Webp,
    /// Animated (gpt-image-2.6's `output_format = gif`): stored as sent, previewed by frame.
    Gif,
    /// Vectors (gpt-image-2.6's `output_format = svg`): stored as sent, drawn at the size shown.
    Svg,
}

impl ImageFormat {
    /// The name the API uses (`output_format`, `image_formats` in the model table).
    pub fn api_name(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpeg",
            Self::Webp => "webp",
            Self::Gif => "gif",
            Self::Svg => "svg",
        }
    }

    /// The format an API name stands for (`png`, `jpeg`, `webp`, `gif`, `svg`).
    pub fn from_api_name(name: &str) -> Option<Self> {
        [Self::Png, Self::Jpeg, Self::Webp, Self::Gif, Self::Svg].into_iter().find(|f| f.api_name() == name)
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Webp => "webp",
            Self::Gif => "gif",
            Self::Svg => "svg",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Webp => "image/webp",
            Self::Gif => "image/gif",
            Self::Svg => "image/svg+xml",
        }
    }

    /// `img` encoded in this format; `quality` (1-100) applies to JPEG.
    pub fn encode(self, img: &image::RgbaImage, quality: u8) -> Result<Vec<u8>, image::ImageError> {
        let mut out = std::io::Cursor::new(Vec::new());
        match self {
            Self::Png => img.write_to(&mut out, image::ImageFormat::Png)?,
            Self::Webp => img.write_to(&mut out, image::ImageFormat::WebP)?,
            Self::Gif => img.write_to(&mut out, image::ImageFormat::Gif)?,
            Self::Svg => {
                return Err(image::ImageError::Unsupported(image::error::UnsupportedError::from_format_and_kind(
                    image::error::ImageFormatHint::Name("SVG".into()),
                    image::error::UnsupportedErrorKind::GenericFeature("pixels are not written as an SVG".into()),
                )));
            }
            Self::Jpeg => {
                let rgb = image::DynamicImage::ImageRgba8(img.clone()).to_rgb8();
                let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100));
                rgb.write_with_encoder(encoder)?;
            }
        }
        Ok(out.into_inner())
    }

    /// Recognises the format by its magic bytes.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else if crate::vector::looks_like_svg(bytes) {
            Some(Self::Svg)
        } else {
            None
        }
    }
}

/// Header facts about one image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageFacts {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub has_alpha: bool,
    /// File size in bytes.
    pub bytes: u64,
}

#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum FactsError {
    #[error("not a PNG, JPEG, WebP, GIF or SVG image")]
    NotAnImage,
    #[error("the {0} header is damaged or cut short")]
    Damaged(&'static str),
    #[error("cannot read it: {0}")]
    Io(String),
    #[error("it is a directory, not an image file")]
    Directory,
    /// A FIFO, a socket or a device: reading it could block for ever or never end.
    #[error("it is not a regular file (a pipe, socket or device)")]
    NotRegular,
    /// The history keeps paths as text: rename the file.
    #[error("its name is not UTF-8 text; rename it")]
    NameNotUtf8,
}

/// How much of a file the header readers look at. JPEG frame headers can sit behind large EXIF
/// blocks, so JPEG gets more.
const HEADER_BYTES: u64 = 64 * 1024;
const JPEG_HEADER_BYTES: u64 = 1024 * 1024;

impl ImageFacts {
    /// Reads the facts of the file at `path`, reading only its header.
    pub fn read(path: &Path) -> Result<Self, FactsError> {
        if path.to_str().is_none() {
            return Err(FactsError::NameNotUtf8);
        }
        let meta = std::fs::metadata(path).map_err(|e| FactsError::Io(e.to_string()))?;
        if meta.is_dir() {
            return Err(FactsError::Directory);
        }
        if !meta.is_file() {
            return Err(FactsError::NotRegular);
        }
        // Checked again on the file opened: the name may have become a FIFO meanwhile.
        let (file, meta) = crate::files::open_regular(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::InvalidInput => FactsError::NotRegular,
            _ => FactsError::Io(e.to_string()),
        })?;
        let mut head = Vec::new();
        file.take(JPEG_HEADER_BYTES).read_to_end(&mut head).map_err(|e| FactsError::Io(e.to_string()))?;
        match ImageFormat::sniff(&head) {
            Some(ImageFormat::Jpeg) => {}
            // An SVG's size is known only once it is read whole (its root may be anywhere).
            Some(ImageFormat::Svg) => {
                let whole = crate::files::read_regular(path, crate::vector::SVG_FILE_MAX)
                    .map_err(|e| FactsError::Io(e.to_string()))?;
                return Self::from_header(&whole).map(|facts| Self { bytes: meta.len(), ..facts });
            }
            _ => head.truncate(HEADER_BYTES as usize),
        }
        let mut facts = Self::from_header(&head)?;
        facts.bytes = meta.len();
        Ok(facts)
    }

    /// Facts from the first bytes of a file (or a whole file held in memory).
    pub fn from_header(bytes: &[u8]) -> Result<Self, FactsError> {
        let format = ImageFormat::sniff(bytes).ok_or(FactsError::NotAnImage)?;
        let (width, height, has_alpha) = match format {
            ImageFormat::Png => png_header(bytes),
            ImageFormat::Jpeg => jpeg_header(bytes),
            ImageFormat::Webp => webp_header(bytes),
            // The logical screen; its 1-bit transparency is not looked for here.
            ImageFormat::Gif => {
                le_u16(bytes, 6).zip(le_u16(bytes, 8)).map(|(w, h)| (u32::from(w), u32::from(h), false))
            }
            // The API's SVGs are opaque; a hand-made one may not be, which a preview shows.
            ImageFormat::Svg => crate::vector::Svg::parse(bytes).ok().map(|svg| {
                let (w, h) = svg.size();
                (w, h, true)
            }),
        }
        .ok_or(FactsError::Damaged(format.api_name()))?;
        if width == 0 || height == 0 {
            return Err(FactsError::Damaged(format.api_name()));
        }
        Ok(Self { format, width, height, has_alpha, bytes: bytes.len() as u64 })
    }
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be_u16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn le_u16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn le_u24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 3)?;
    Some(u32::from(s[0]) | u32::from(s[1]) << 8 | u32::from(s[2]) << 16)
}

fn png_header(b: &[u8]) -> Option<(u32, u32, bool)> {
    if b.get(12..16)? != b"IHDR" {
        return None;
    }
    let color_type = *b.get(25)?;
    // Colour types 4 and 6 carry alpha; a tRNS chunk gives the others a transparent colour.
    let has_trns = find_png_chunk_before_idat(b, b"tRNS");
    Some((be_u32(b, 16)?, be_u32(b, 20)?, matches!(color_type, 4 | 6) || has_trns))
}

fn find_png_chunk_before_idat(b: &[u8], wanted: &[u8; 4]) -> bool {
    let mut at = 8;
    while let (Some(len), Some(kind)) = (be_u32(b, at), b.get(at + 4..at + 8)) {
        if kind == wanted {
            return true;
        }
        if kind == b"IDAT" {
            return false;
        }
        at = match at.checked_add(12 + len as usize) {
            Some(next) => next,
            None => return false,
        };
    }
    false
}

fn jpeg_header(b: &[u8]) -> Option<(u32, u32, bool)> {
    let mut at = 2;
    loop {
        // Skip fill bytes between markers.
        while *b.get(at)? == 0xFF && *b.get(at + 1)? == 0xFF {
            at += 1;
        }
        if *b.get(at)? != 0xFF {
            return None;
        }
        let marker = *b.get(at + 1)?;
        // Markers without a length field.
        if marker == 0x01 || (0xD0..=0xD9).contains(&marker) {
            at += 2;
            continue;
        }
        let len = usize::from(be_u16(b, at + 2)?);
        let is_frame = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_frame {
            let height = u32::from(be_u16(b, at + 5)?);
            let width = u32::from(be_u16(b, at + 7)?);
            return Some((width, height, false));
        }
        if len < 2 {
            return None;
        }
        at += 2 + len;
    }
}

fn webp_header(b: &[u8]) -> Option<(u32, u32, bool)> {
    match b.get(12..16)? {
        b"VP8 " => {
            // Key frame: 3-byte tag, then start code 9d 01 2a, then 14-bit sizes.
            if b.get(23..26)? != [0x9d, 0x01, 0x2a] {
                return None;
            }
            let w = u32::from(le_u16(b, 26)? & 0x3FFF);
            let h = u32::from(le_u16(b, 28)? & 0x3FFF);
            Some((w, h, false))
        }
        b"VP8L" => {
            if *b.get(20)? != 0x2f {
                return None;
            }
            let bits = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
            let w = (bits & 0x3FFF) + 1;
            let h = ((bits >> 14) & 0x3FFF) + 1;
            let alpha = (bits >> 28) & 1 == 1;
            Some((w, h, alpha))
        }
        b"VP8X" => {
            let flags = *b.get(20)?;
            let w = le_u24(b, 24)? + 1;
            let h = le_u24(b, 27)? + 1;
            Some((w, h, flags & 0x10 != 0))
        }
        _ => None,
    }
}

/// The share of a PNG mask's pixels that are fully transparent (alpha 0): the API edits only
/// there, so a mask without one edits nothing. Needs a full decode.
pub fn transparent_share(png_bytes: &[u8]) -> Result<f64, String> {
    let img = image::load_from_memory_with_format(png_bytes, image::ImageFormat::Png).map_err(|e| e.to_string())?;
    if !img.color().has_alpha() {
        return Ok(0.0);
    }
    Ok(coverage_of(&img.to_rgba8()))
}

/// The share of an image a mask file marks for editing (alpha 0).
pub fn coverage_of(mask: &image::RgbaImage) -> f64 {
    let total = u64::from(mask.width()) * u64::from(mask.height());
    if total == 0 {
        return 0.0;
    }
    mask.pixels().filter(|p| p[3] == 0).count() as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{DynamicImage, ImageBuffer, Rgb, Rgba};
    use std::io::Cursor;

    fn encode(img: DynamicImage, format: image::ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn reads_png_jpeg_webp_headers() {
        let rgba = DynamicImage::ImageRgba8(ImageBuffer::from_pixel(30, 20, Rgba([1, 2, 3, 0])));
        let rgb = DynamicImage::ImageRgb8(ImageBuffer::from_pixel(30, 20, Rgb([1, 2, 3])));
        let png = ImageFacts::from_header(&encode(rgba.clone(), image::ImageFormat::Png)).unwrap();
        assert_eq!((png.format, png.width, png.height, png.has_alpha), (ImageFormat::Png, 30, 20, true));
        let png = ImageFacts::from_header(&encode(rgb.clone(), image::ImageFormat::Png)).unwrap();
        assert!(!png.has_alpha);
        let jpg = ImageFacts::from_header(&encode(rgb.clone(), image::ImageFormat::Jpeg)).unwrap();
        assert_eq!((jpg.format, jpg.width, jpg.height), (ImageFormat::Jpeg, 30, 20));
        let webp = ImageFacts::from_header(&encode(rgba, image::ImageFormat::WebP)).unwrap();
        assert_eq!((webp.format, webp.width, webp.height), (ImageFormat::Webp, 30, 20));
        assert!(webp.has_alpha);
    }

    #[test]
    fn garbage_and_cut_headers_are_errors_not_panics() {
        assert_eq!(ImageFacts::from_header(b"hello"), Err(FactsError::NotAnImage));
        assert_eq!(ImageFacts::from_header(b"\x89PNG\r\n\x1a\n\0\0"), Err(FactsError::Damaged("png")));
        assert_eq!(ImageFacts::from_header(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Err(FactsError::Damaged("jpeg")));
    }
}

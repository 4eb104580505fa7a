//! Deterministic pictures for the demo server: the same prompt always draws the same image,
//! a seeded pattern with the prompt's words on it. Edits repaint only the masked region.

use image::{ImageBuffer, Rgba, RgbaImage, imageops};

use super::font;
use crate::api::ImageFormat;

/// FNV-1a: a stable seed from text (std's hasher may change between releases).
pub fn seed(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// A small deterministic generator (xorshift), so images do not depend on a RNG crate's stream.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u32) -> u32 {
        (self.next() % u64::from(n.max(1))) as u32
    }
    fn color(&mut self) -> [u8; 3] {
        let v = self.next();
        [(v & 0xff) as u8, (v >> 8 & 0xff) as u8, (v >> 16 & 0xff) as u8]
    }
}

/// Draws the picture for `prompt`: a diagonal gradient, a few discs, and the words.
/// With `transparent`, only the discs and words are opaque.
pub fn picture(prompt: &str, seed_value: u64, width: u32, height: u32, transparent: bool) -> RgbaImage {
    let mut rng = Rng(seed_value | 1);
    let (a, b) = (rng.color(), rng.color());
    let span = (width + height).max(1) as f32;
    let mut img: RgbaImage = ImageBuffer::from_fn(width, height, |x, y| {
        let t = (x + y) as f32 / span;
        let mix = |i: usize| (f32::from(a[i]) * (1.0 - t) + f32::from(b[i]) * t) as u8;
        Rgba([mix(0), mix(1), mix(2), if transparent { 0 } else { 255 }])
    });
    for _ in 0..3 + rng.below(4) {
        let (cx, cy) = (rng.below(width) as i64, rng.below(height) as i64);
        let r = (width.min(height) / 10 + rng.below(width.min(height) / 4 + 1)) as i64;
        let [cr, cg, cb] = rng.color();
        fill_disc(&mut img, cx, cy, r, Rgba([cr, cg, cb, 255]));
    }
    draw_words(&mut img, prompt);
    img
}

fn fill_disc(img: &mut RgbaImage, cx: i64, cy: i64, r: i64, color: Rgba<u8>) {
    let (w, h) = (i64::from(img.width()), i64::from(img.height()));
    for y in (cy - r).max(0)..(cy + r).min(h) {
        for x in (cx - r).max(0)..(cx + r).min(w) {
            if (x - cx).pow(2) + (y - cy).pow(2) <= r * r {
                img.put_pixel(x as u32, y as u32, color);
            }
        }
    }
}

/// The prompt in capitals, wrapped, up to four lines, white on a dark shadow.
fn draw_words(img: &mut RgbaImage, prompt: &str) {
    let scale = (img.width() / 170).max(1);
    let advance = 6 * scale;
    let per_line = (img.width().saturating_sub(2 * advance) / advance).max(1) as usize;
    let mut lines: Vec<String> = Vec::new();
    for word in prompt.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= per_line => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.chars().take(per_line).collect()),
        }
    }
    lines.truncate(4);
    let top = img.height().saturating_sub(lines.len() as u32 * 9 * scale + advance);
    for (row, line) in lines.iter().enumerate() {
        let y = top + row as u32 * 9 * scale;
        for (col, c) in line.chars().enumerate() {
            let x = advance + col as u32 * advance;
            draw_glyph(img, c, x + scale, y + scale, scale, Rgba([0, 0, 0, 255]));
            draw_glyph(img, c, x, y, scale, Rgba([255, 255, 255, 255]));
        }
    }
}

fn draw_glyph(img: &mut RgbaImage, c: char, x0: u32, y0: u32, scale: u32, color: Rgba<u8>) {
    for (gy, bits) in font::glyph(c).iter().enumerate() {
        for gx in 0..5u32 {
            if bits >> (4 - gx) & 1 == 0 {
                continue;
            }
            for dy in 0..scale {
                for dx in 0..scale {
                    let (x, y) = (x0 + gx * scale + dx, y0 + gy as u32 * scale + dy);
                    if x < img.width() && y < img.height() {
                        img.put_pixel(x, y, color);
                    }
                }
            }
        }
    }
}

/// An edit: `base` resized to `width`x`height`, with the picture painted where the mask (or,
/// with no mask, the base itself) is fully transparent. With neither, the whole image is
/// blended half and half, as an edit of everything. With `spill`, the hole grows by that many
/// pixels and the colours outside it shift a little, as the GPT image models' edits do.
pub fn edit(base: &RgbaImage, mask: Option<&RgbaImage>, picture: &RgbaImage, spill: u32) -> RgbaImage {
    let (w, h) = picture.dimensions();
    let base = fit(base, w, h);
    let mask = mask.map(|m| fit(m, w, h));
    let selector = mask.as_ref().unwrap_or(&base);
    let has_hole = selector.pixels().any(|p| p[3] == 0);
    let in_hole = grown_hole(selector, spill);
    let shift =
        |p: Rgba<u8>| if spill == 0 { p } else { Rgba([p[0].saturating_add(6), p[1], p[2].saturating_sub(6), p[3]]) };
    ImageBuffer::from_fn(w, h, |x, y| {
        let (orig, new) = (*base.get_pixel(x, y), *picture.get_pixel(x, y));
        if has_hole {
            if in_hole[(y * w + x) as usize] { new } else { shift(orig) }
        } else {
            Rgba(std::array::from_fn(|i| ((u16::from(orig[i]) + u16::from(new[i])) / 2) as u8))
        }
    })
}

/// The transparent pixels of `selector`, grown by `by` pixels (a square neighbourhood).
fn grown_hole(selector: &RgbaImage, by: u32) -> Vec<bool> {
    let (w, h) = selector.dimensions();
    let hole: Vec<bool> = selector.pixels().map(|p| p[3] == 0).collect();
    if by == 0 {
        return hole;
    }
    let grow = |src: &[bool], horizontal: bool| -> Vec<bool> {
        let mut out = src.to_vec();
        for y in 0..h {
            for x in 0..w {
                if !src[(y * w + x) as usize] {
                    continue;
                }
                for d in 1..=by {
                    let mut mark = |x: u32, y: u32| out[(y * w + x) as usize] = true;
                    if horizontal {
                        if x >= d {
                            mark(x - d, y)
                        }
                        if x + d < w {
                            mark(x + d, y)
                        }
                    } else {
                        if y >= d {
                            mark(x, y - d)
                        }
                        if y + d < h {
                            mark(x, y + d)
                        }
                    }
                }
            }
        }
        out
    };
    grow(&grow(&hole, true), false)
}

fn fit(img: &RgbaImage, w: u32, h: u32) -> RgbaImage {
    if img.dimensions() == (w, h) { img.clone() } else { imageops::resize(img, w, h, imageops::FilterType::Triangle) }
}

/// Encodes in the requested format; `quality` (1-100) applies to JPEG.
pub fn encode(img: &RgbaImage, format: ImageFormat, quality: u8) -> Result<Vec<u8>, image::ImageError> {
    format.encode(img, quality)
}

/// An animated GIF of `img` sliding round once over `count` frames of `ms` each, looping.
pub fn animate(img: &RgbaImage, count: u32, ms: u32) -> Result<Vec<u8>, image::ImageError> {
    use image::codecs::gif::{GifEncoder, Repeat};
    let mut out = Vec::new();
    {
        // The fastest quantiser: the demo's drawings are flat colours and soft gradients.
        let mut encoder = GifEncoder::new_with_speed(&mut out, 30);
        encoder.set_repeat(Repeat::Infinite)?;
        let (width, height) = img.dimensions();
        for k in 0..count {
            let shift = (u64::from(width) * u64::from(k) / u64::from(count.max(1))) as u32;
            let frame = ImageBuffer::from_fn(width, height, |x, y| *img.get_pixel((x + shift) % width, y));
            let delay = image::Delay::from_numer_denom_ms(ms, 1);
            encoder.encode_frame(image::Frame::from_parts(frame, 0, 0, delay))?;
        }
    }
    Ok(out)
}

/// The demo's SVG of `img`: its colours as a grid of squares (as a text model tracing a
/// raster would block it out), and a ring and a line over it whose edges stay sharp at any zoom.
pub fn vectorise(img: &RgbaImage) -> Vec<u8> {
    const GRID: u32 = 24;
    let (width, height) = img.dimensions();
    let small = imageops::thumbnail(img, GRID, GRID);
    let (cell_w, cell_h) = (f64::from(width) / f64::from(GRID), f64::from(height) / f64::from(GRID));
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n"
    );
    for (x, y, p) in small.enumerate_pixels() {
        svg.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#{:02x}{:02x}{:02x}\"/>\n",
            f64::from(x) * cell_w,
            f64::from(y) * cell_h,
            cell_w + 0.5,
            cell_h + 0.5,
            p[0],
            p[1],
            p[2]
        ));
    }
    let (cx, cy, r) = (f64::from(width) / 2.0, f64::from(height) / 2.0, f64::from(width.min(height)) / 3.0);
    svg.push_str(&format!(
        "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"{:.1}\"/>\n",
        r / 20.0
    ));
    svg.push_str(&format!(
        "<line x1=\"0\" y1=\"{height}\" x2=\"{width}\" y2=\"0\" stroke=\"#000000\" stroke-width=\"{:.1}\"/>\n</svg>\n",
        r / 60.0
    ));
    svg.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shifted(p: Rgba<u8>) -> [u8; 4] {
        [p[0].saturating_add(6), p[1], p[2].saturating_sub(6), p[3]]
    }

    #[test]
    fn same_prompt_same_pixels_and_edit_keeps_unmasked() {
        let a = picture("a red fox", seed(&["a red fox"]), 64, 48, false);
        assert_eq!(a, picture("a red fox", seed(&["a red fox"]), 64, 48, false));
        assert_ne!(a, picture("a blue fox", seed(&["a blue fox"]), 64, 48, false));
        let mut mask = RgbaImage::from_pixel(64, 48, Rgba([0, 0, 0, 255]));
        mask.put_pixel(3, 4, Rgba([0, 0, 0, 0]));
        let other = picture("x", seed(&["x"]), 64, 48, false);
        let edited = edit(&a, Some(&mask), &other, 0);
        assert_eq!(edited.get_pixel(3, 4), other.get_pixel(3, 4));
        assert_eq!(edited.get_pixel(10, 10), a.get_pixel(10, 10));
        // As the real models do: a little beyond the hole, colours shifted outside.
        let spilled = edit(&a, Some(&mask), &other, 2);
        assert_eq!(spilled.get_pixel(5, 6), other.get_pixel(5, 6), "two pixels beyond the hole repainted");
        assert_eq!(spilled.get_pixel(6, 4), &Rgba(shifted(*a.get_pixel(6, 4))), "further out: shifted colours");
    }
}

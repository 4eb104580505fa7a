//! "Outside the mask: keep the original". The GPT image models treat a mask as a hint and
//! repaint or shift colours beyond it; this puts the first input's pixels back wherever the mask
//! protects them, blending over a few pixels inside the painted edge so no seam shows.

use image::{RgbaImage, imageops};

/// How far inside the painted area the original fades out, in pixels of the result: about
/// 0.4% of its shorter side (4 px at 1024), at least 2.
pub fn feather_for(width: u32, height: u32) -> u32 {
    (width.min(height) / 256).max(2)
}

/// `result` with every pixel the mask protects (alpha > 0) taken from `input`; both input and
/// mask are scaled to the result's size when they differ. Painted pixels within `feather` of a
/// protected one blend towards the input; the rest of the painted area is the result's.
pub fn keep_unmasked(result: &RgbaImage, input: &RgbaImage, mask: &RgbaImage, feather: u32) -> RgbaImage {
    let (w, h) = result.dimensions();
    let input = if input.dimensions() == (w, h) {
        input.clone()
    } else {
        imageops::resize(input, w, h, imageops::FilterType::Triangle)
    };
    let mask = if mask.dimensions() == (w, h) {
        mask.clone()
    } else {
        imageops::resize(mask, w, h, imageops::FilterType::Nearest)
    };
    let protected: Vec<f32> = mask.pixels().map(|p| if p[3] == 0 { 0.0 } else { 1.0 }).collect();
    let near_protected = box_blur(&protected, w as usize, h as usize, feather as usize);
    RgbaImage::from_fn(w, h, |x, y| {
        let at = y as usize * w as usize + x as usize;
        let (original, edited) = (input.get_pixel(x, y), result.get_pixel(x, y));
        if protected[at] > 0.0 {
            return *original;
        }
        // Inside the painted area: the result, faded towards the original near the edge.
        let keep = (near_protected[at] * 2.0).min(1.0);
        image::Rgba(std::array::from_fn(|i| {
            (f32::from(original[i]) * keep + f32::from(edited[i]) * (1.0 - keep)).round() as u8
        }))
    })
}

/// The mean of each value's (2r+1)² neighbourhood (clamped at the edges), in two passes.
fn box_blur(values: &[f32], w: usize, h: usize, r: usize) -> Vec<f32> {
    if r == 0 {
        return values.to_vec();
    }
    let pass = |src: &[f32], len: usize, lines: usize, at: &dyn Fn(usize, usize) -> usize| {
        let mut out = vec![0.0; src.len()];
        for line in 0..lines {
            let mut sum: f32 = 0.0;
            let mut count = 0usize;
            // The window [i - r, i + r], slid along the line.
            for i in 0..len.min(r + 1) {
                sum += src[at(line, i)];
                count += 1;
            }
            for i in 0..len {
                out[at(line, i)] = sum / count as f32;
                if i + r + 1 < len {
                    sum += src[at(line, i + r + 1)];
                    count += 1;
                }
                if i >= r {
                    sum -= src[at(line, i - r)];
                    count -= 1;
                }
            }
        }
        out
    };
    let across = pass(values, w, h, &|line, i| line * w + i);
    pass(&across, h, w, &|line, i| i * w + line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgba;

    #[test]
    fn protected_pixels_are_the_inputs_and_the_middle_of_the_hole_the_results() {
        let input = RgbaImage::from_pixel(40, 30, Rgba([10, 20, 30, 255]));
        let result = RgbaImage::from_pixel(40, 30, Rgba([200, 100, 50, 255]));
        let mut mask = RgbaImage::from_pixel(40, 30, Rgba([255, 255, 255, 255]));
        for y in 5..25 {
            for x in 10..30 {
                mask.put_pixel(x, y, Rgba([0, 0, 0, 0]));
            }
        }
        let kept = keep_unmasked(&result, &input, &mask, 3);
        assert_eq!(kept.get_pixel(0, 0), input.get_pixel(0, 0));
        assert_eq!(kept.get_pixel(9, 15), input.get_pixel(9, 15), "right outside the hole: the input");
        assert_eq!(kept.get_pixel(20, 15), result.get_pixel(20, 15), "deep inside: the result");
        let edge = kept.get_pixel(10, 15);
        assert!(edge != input.get_pixel(10, 15) && edge != result.get_pixel(10, 15), "blended at the edge: {edge:?}");
    }

    #[test]
    fn input_and_mask_of_another_size_are_scaled_to_the_result() {
        let input = RgbaImage::from_pixel(20, 20, Rgba([1, 2, 3, 255]));
        let mask = RgbaImage::from_pixel(20, 20, Rgba([255, 255, 255, 255]));
        let result = RgbaImage::from_pixel(64, 64, Rgba([9, 9, 9, 255]));
        let kept = keep_unmasked(&result, &input, &mask, feather_for(64, 64));
        assert_eq!(kept.dimensions(), (64, 64));
        assert!(kept.pixels().all(|p| *p == Rgba([1, 2, 3, 255])), "nothing painted: all the input");
    }

    #[test]
    fn the_blur_is_a_mean_over_the_window() {
        let values = [0.0, 0.0, 3.0, 0.0, 0.0];
        let blurred = box_blur(&values, 5, 1, 1);
        assert_eq!(blurred, vec![0.0, 1.0, 1.0, 1.0, 0.0]);
    }
}

//! The mask painter's marks, drawn into the picture's pixels before it is encoded: the painted
//! area tinted (the image shows through) and the cursor outlined. Being pixels, they look the
//! same in every protocol, half-blocks included, and nothing is drawn over a kitty or sixel
//! image with text.

use image::{Rgba, RgbaImage};

use crate::mask::{MaskPlan, PixelRect};

/// What the painter shows over the image: the mask as painted so far and the cursor, both in
/// the image's pixels.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MaskOverlay {
    pub plan: MaskPlan,
    pub cursor: PixelRect,
    /// Erasing: the cursor is drawn in another colour.
    pub erasing: bool,
}

const TINT: [f32; 3] = [255.0, 0.0, 170.0];
const TINT_SHARE: f32 = 0.5;
const CURSOR: Rgba<u8> = Rgba([255, 230, 0, 255]);
const ERASER: Rgba<u8> = Rgba([0, 230, 255, 255]);

impl MaskOverlay {
    /// Draws the overlay on `fitted`, the whole image scaled to its size.
    pub fn draw_on(&self, fitted: &mut RgbaImage) {
        let (iw, ih) = (self.plan.width.max(1), self.plan.height.max(1));
        let (fw, fh) = fitted.dimensions();
        if fw == 0 || fh == 0 {
            return;
        }
        let painted = self.plan.painted();
        // The image pixel under each fitted pixel's centre, per column and per row.
        let source_x: Vec<u32> =
            (0..fw).map(|x| ((2 * u64::from(x) + 1) * u64::from(iw) / (2 * u64::from(fw))) as u32).collect();
        let source_y: Vec<u32> =
            (0..fh).map(|y| ((2 * u64::from(y) + 1) * u64::from(ih) / (2 * u64::from(fh))) as u32).collect();
        let scaled = |at: u32, pixels: u32, fitted: u32| (u64::from(at) * u64::from(fitted) / u64::from(pixels)) as u32;
        let outline = (
            scaled(self.cursor.x0, iw, fw),
            scaled(self.cursor.y0, ih, fh),
            scaled(self.cursor.x1, iw, fw).max(scaled(self.cursor.x0, iw, fw) + 1),
            scaled(self.cursor.y1, ih, fh).max(scaled(self.cursor.y0, ih, fh) + 1),
        );
        let cursor = if self.erasing { ERASER } else { CURSOR };
        for (x, y, pixel) in fitted.enumerate_pixels_mut() {
            let (sx, sy) = (source_x[x as usize].min(iw - 1), source_y[y as usize].min(ih - 1));
            if painted.get((sy * iw + sx) as usize).copied().unwrap_or(false) {
                for (channel, tint) in pixel.0.iter_mut().zip(TINT) {
                    *channel = (f32::from(*channel) * (1.0 - TINT_SHARE) + tint * TINT_SHARE).round() as u8;
                }
            }
            let (x0, y0, x1, y1) = outline;
            let inside = x >= x0 && x < x1 && y >= y0 && y < y1;
            if inside && (x == x0 || x + 1 == x1 || y == y0 || y + 1 == y1) {
                *pixel = cursor;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mask::{Op, Shape};

    #[test]
    fn the_painted_area_is_tinted_with_the_image_showing_and_the_cursor_outlined() {
        let mut plan = MaskPlan::new(100, 50);
        plan.ops.push(Op::Paint(Shape::Rect(PixelRect { x0: 0, y0: 0, x1: 50, y1: 50 })));
        let overlay = MaskOverlay { plan, cursor: PixelRect { x0: 60, y0: 10, x1: 80, y1: 30 }, erasing: false };
        let mut fitted = RgbaImage::from_pixel(20, 10, Rgba([0, 100, 0, 255]));
        overlay.draw_on(&mut fitted);
        let tinted = fitted.get_pixel(2, 5);
        assert!(tinted[0] > 100 && tinted[1] == 50, "tinted, and the image's green half kept: {tinted:?}");
        assert_eq!(*fitted.get_pixel(18, 5), Rgba([0, 100, 0, 255]), "outside: untouched");
        assert_eq!(*fitted.get_pixel(12, 2), CURSOR, "the cursor's corner");
        assert_eq!(*fitted.get_pixel(14, 4), Rgba([0, 100, 0, 255]), "inside the cursor: the image");
    }
}

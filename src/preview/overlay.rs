//! The mask painter's marks, drawn into the picture's pixels before it is encoded: the painted
//! area tinted (the image shows through) and the cursor outlined. Being pixels, they look the
//! same in every protocol, half-blocks included, and nothing is drawn over a kitty or sixel
//! image with text. A fitted pixel shows the image pixel under its centre: the tint, the
//! cursor and the saved mask all follow that one rule.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use image::{Rgba, RgbaImage};

use crate::mask::markup::ShownMarks;
use crate::mask::{Op, PixelRect};

/// What the painter shows over the image, in the image's pixels. Two overlays are the same
/// when their canvas version, shape under way and cursor are (the pixels are not compared).
#[derive(Clone, Debug)]
pub struct MaskOverlay {
    /// The canvas's version (unique in the process) and its pixels, row by row.
    pub version: u64,
    pub painted: Arc<Vec<bool>>,
    pub size: (u32, u32),
    /// The rectangle or ellipse being drawn.
    pub pending: Option<Op>,
    pub cursor: PixelRect,
    /// Erasing: the cursor is drawn in another colour.
    pub erasing: bool,
    /// Markup mode: the marks, drawn in their colours over the picture (no tint).
    pub marks: Option<ShownMarks>,
}

impl PartialEq for MaskOverlay {
    fn eq(&self, other: &Self) -> bool {
        (self.version, self.size, self.pending, self.cursor, self.erasing, self.marks_version())
            == (other.version, other.size, other.pending, other.cursor, other.erasing, other.marks_version())
    }
}

impl Eq for MaskOverlay {}

impl Hash for MaskOverlay {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.version, self.size, self.pending, self.cursor, self.erasing, self.marks_version()).hash(state);
    }
}

const TINT: [f32; 3] = [255.0, 0.0, 170.0];
const TINT_SHARE: f32 = 0.5;
const CURSOR: Rgba<u8> = Rgba([255, 230, 0, 255]);
/// The cursor's outer pixel: dark, so the yellow stands out on a light picture too.
const RIM: Rgba<u8> = Rgba([20, 20, 20, 255]);
const ERASER: Rgba<u8> = Rgba([0, 230, 255, 255]);

impl MaskOverlay {
    fn marks_version(&self) -> Option<u64> {
        self.marks.as_ref().map(|m| m.version)
    }

    /// Whether image pixel (x, y) shows as painted: the shape under way, else the canvas.
    fn painted_at(&self, x: u32, y: u32) -> bool {
        match &self.pending {
            Some(Op::Paint(shape)) if shape.contains(x, y) => true,
            Some(Op::Erase(shape)) if shape.contains(x, y) => false,
            _ => self.painted.get(y as usize * self.size.0 as usize + x as usize).copied().unwrap_or(false),
        }
    }

    /// Draws the overlay on `fitted`, the whole image scaled to its size.
    pub fn draw_on(&self, fitted: &mut RgbaImage) {
        let (iw, ih) = (self.size.0.max(1), self.size.1.max(1));
        let (fw, fh) = fitted.dimensions();
        if fw == 0 || fh == 0 {
            return;
        }
        // The image pixel under each fitted pixel's centre, per column and per row.
        let under = |at: u32, fitted: u32, pixels: u32| {
            (((2 * u64::from(at) + 1) * u64::from(pixels) / (2 * u64::from(fitted))) as u32).min(pixels - 1)
        };
        let source_x: Vec<u32> = (0..fw).map(|x| under(x, fw, iw)).collect();
        let source_y: Vec<u32> = (0..fh).map(|y| under(y, fh, ih)).collect();
        let c = self.cursor;
        // The cursor's box in fitted pixels, and a frame a quarter of its shorter side thick
        // (two pixels at least): yellow inside a dark rim, seen on light and dark pictures
        // alike, even around a single cell.
        let span = |sources: &[u32], lo: u32, hi: u32| {
            let first = sources.iter().position(|s| (lo..hi).contains(s))?;
            let last = sources.iter().rposition(|s| (lo..hi).contains(s))?;
            Some((first as u32, last as u32))
        };
        let frame = span(&source_x, c.x0, c.x1).zip(span(&source_y, c.y0, c.y1));
        let thick = frame.map_or(0, |((x0, x1), (y0, y1))| ((x1 - x0 + 1).min(y1 - y0 + 1) / 4).max(2));
        let tiny = frame.is_some_and(|((x0, x1), (y0, y1))| x1 - x0 < 2 || y1 - y0 < 2);
        let ring = |x: u32, y: u32| -> Option<u32> {
            let ((x0, x1), (y0, y1)) = frame?;
            let inside = (x0..=x1).contains(&x) && (y0..=y1).contains(&y);
            let depth = (x - x0.min(x)).min(x1.saturating_sub(x)).min(y - y0.min(y)).min(y1.saturating_sub(y));
            (inside && depth < thick).then_some(depth)
        };
        if let Some(marks) = &self.marks
            && let Ok(drawn) = marks.plan.draw(fw, fh)
        {
            image::imageops::overlay(fitted, &drawn, 0, 0);
        }
        for (x, y, pixel) in fitted.enumerate_pixels_mut() {
            let (sx, sy) = (source_x[x as usize], source_y[y as usize]);
            if self.painted_at(sx, sy) {
                for (channel, tint) in pixel.0.iter_mut().zip(TINT) {
                    *channel = (f32::from(*channel) * (1.0 - TINT_SHARE) + tint * TINT_SHARE).round() as u8;
                }
            }
            if let Some(depth) = ring(x, y) {
                // A frame with no room inside its rim (one half-block cell is 1x2 pixels) is
                // dark and yellow in turn, so it shows on any picture.
                let rim = if tiny { (x + y) % 2 == 0 } else { depth == 0 };
                *pixel = match (rim, self.erasing) {
                    (true, _) => RIM,
                    (false, true) => ERASER,
                    (false, false) => CURSOR,
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mask::{MaskPlan, Shape};

    fn overlay(plan: &MaskPlan, cursor: PixelRect, pending: Option<Op>) -> MaskOverlay {
        MaskOverlay {
            version: 1,
            painted: Arc::new(plan.painted()),
            size: (plan.width, plan.height),
            pending,
            cursor,
            erasing: false,
            marks: None,
        }
    }

    #[test]
    fn the_painted_area_is_tinted_with_the_image_showing_and_the_cursor_outlined() {
        let mut plan = MaskPlan::new(100, 50);
        plan.ops.push(Op::Paint(Shape::Rect(PixelRect { x0: 0, y0: 0, x1: 50, y1: 50 })));
        let overlay = overlay(&plan, PixelRect { x0: 60, y0: 10, x1: 80, y1: 30 }, None);
        let mut fitted = RgbaImage::from_pixel(20, 10, Rgba([0, 100, 0, 255]));
        overlay.draw_on(&mut fitted);
        let tinted = fitted.get_pixel(2, 5);
        assert!(tinted[0] > 100 && tinted[1] == 50, "tinted, and the image's green half kept: {tinted:?}");
        assert_eq!(*fitted.get_pixel(18, 5), Rgba([0, 100, 0, 255]), "outside: untouched");
        assert_eq!(*fitted.get_pixel(12, 2), RIM, "the cursor's corner: its dark rim");
        assert_eq!(*fitted.get_pixel(13, 3), CURSOR, "then yellow");
        // A big cursor: a frame a quarter of its side thick, the image inside it.
        let big = super::tests::overlay(&plan, PixelRect { x0: 55, y0: 0, x1: 95, y1: 50 }, None);
        let mut fitted = RgbaImage::from_pixel(100, 50, Rgba([0, 100, 0, 255]));
        big.draw_on(&mut fitted);
        assert_eq!(*fitted.get_pixel(55, 20), RIM);
        assert_eq!(*fitted.get_pixel(60, 20), CURSOR, "ten pixels thick");
        assert_eq!(*fitted.get_pixel(75, 25), Rgba([0, 100, 0, 255]), "inside the frame: the image");
    }

    /// One half-block cell (1x2 fitted pixels) has no room inside a rim: it is dark and yellow
    /// in turn, not all dark.
    #[test]
    fn a_one_cell_cursor_shows_its_yellow() {
        let plan = MaskPlan::new(64, 64);
        let mut fitted = RgbaImage::from_pixel(1, 2, Rgba([0, 0, 0, 255]));
        overlay(&plan, PixelRect { x0: 0, y0: 0, x1: 64, y1: 64 }, None).draw_on(&mut fitted);
        assert_eq!((*fitted.get_pixel(0, 0), *fitted.get_pixel(0, 1)), (RIM, CURSOR));
    }

    #[test]
    fn in_half_blocks_the_cursor_is_on_the_cells_the_paint_goes_to() {
        // 1536 pixels over 69 columns: the cursor on column 7 covers exactly fitted column 7.
        let grid = crate::mask::Grid { cols: 69, rows: 23, image: (1536, 1024) };
        let plan = MaskPlan::new(1536, 1024);
        for col in 0..69 {
            let cursor = grid.pixels_of((col, 5), (col, 5));
            let mut fitted = RgbaImage::from_pixel(69, 46, Rgba([0, 0, 0, 255]));
            overlay(&plan, cursor, None).draw_on(&mut fitted);
            let marked: Vec<u32> = (0..69).filter(|x| fitted.get_pixel(*x, 10) != &Rgba([0, 0, 0, 255])).collect();
            assert_eq!(marked, vec![u32::from(col)], "column {col}");
        }
    }

    #[test]
    fn overlays_are_equal_by_version_not_by_their_pixels() {
        let plan = MaskPlan::new(4, 4);
        let a = overlay(&plan, PixelRect::spanning((0, 0), (1, 1)), None);
        let b = MaskOverlay { painted: Arc::new(vec![true; 16]), ..a.clone() };
        assert_eq!(a, b);
        assert_ne!(a, MaskOverlay { version: 2, ..a.clone() });
    }
}

//! Pixels per terminal cell: what maps the screen's cells to an image's pixels, for previews
//! and for the mask painter's pointer. (How it is found out is `preview::cell`'s.)

use std::fmt;

/// Pixels per terminal cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellSize {
    pub width: u16,
    pub height: u16,
}

impl Default for CellSize {
    /// A common size when nothing reports the terminal's pixels.
    fn default() -> Self {
        Self { width: 10, height: 20 }
    }
}

impl fmt::Display for CellSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{} px", self.width, self.height)
    }
}

impl CellSize {
    /// A text area of `pixels` split into `cells`, when both are known.
    pub fn of_area(pixels: (u16, u16), cells: (u16, u16)) -> Option<Self> {
        let ((pw, ph), (cw, ch)) = (pixels, cells);
        (pw > 0 && ph > 0 && cw > 0 && ch > 0).then(|| Self { width: (pw / cw).max(1), height: (ph / ch).max(1) })
    }

    /// Within a pixel of `other` each way.
    pub fn close_to(self, other: Self) -> bool {
        self.width.abs_diff(other.width) <= 1 && self.height.abs_diff(other.height) <= 1
    }
}

/// The size in pixels an image of `image` pixels takes fitted into `area` pixels, aspect kept.
pub fn fitted_pixels(image: (u32, u32), area: (f64, f64)) -> (f64, f64) {
    let (iw, ih) = (f64::from(image.0.max(1)), f64::from(image.1.max(1)));
    let scale = (area.0 / iw).min(area.1 / ih);
    ((iw * scale).max(1.0), (ih * scale).max(1.0))
}

/// The cells an image of `image` pixels covers, fitted into `area` cells of `cell` pixels: the
/// picture the terminal shows is stretched over exactly these cells.
pub fn fit_cells(image: (u32, u32), area: (u16, u16), cell: CellSize) -> (u16, u16) {
    let (cw, ch) = (f64::from(cell.width), f64::from(cell.height));
    let (fw, fh) = fitted_pixels(image, (f64::from(area.0) * cw, f64::from(area.1) * ch));
    (((fw / cw).round() as u16).clamp(1, area.0.max(1)), ((fh / ch).round() as u16).clamp(1, area.1.max(1)))
}

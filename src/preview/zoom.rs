//! A zoomed view of an image: how much larger than fitted, and where its centre is. The crop
//! is taken from the full-resolution pixels, so small text in a large result can be read on a
//! small terminal.

use image::RgbaImage;

/// Zoom steps: 1x (fitted) then 2x, 4x, 8x, 16x the fitted size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Zoom {
    /// 0: fitted, the whole image.
    pub level: u8,
    /// The centre of the view, in thousandths of the image's width and height.
    pub center: (u16, u16),
}

impl Default for Zoom {
    fn default() -> Self {
        Self::FIT
    }
}

impl Zoom {
    pub const FIT: Self = Self { level: 0, center: (500, 500) };
    const MAX_LEVEL: u8 = 4;

    pub fn factor(self) -> f64 {
        f64::from(1u32 << self.level)
    }

    pub fn is_fit(self) -> bool {
        self.level == 0
    }

    pub fn zoom_in(&mut self) {
        self.level = (self.level + 1).min(Self::MAX_LEVEL);
        self.keep_inside();
    }

    /// Out one step; at 1x the centre goes back to the middle.
    pub fn zoom_out(&mut self) {
        self.level = self.level.saturating_sub(1);
        self.keep_inside();
    }

    /// Moves the view by a quarter of what it shows, `dx`/`dy` steps (negative: left/up).
    pub fn pan(&mut self, dx: i32, dy: i32) {
        let step = (250.0 / self.factor()) as i32;
        let moved = |at: u16, d: i32| (i32::from(at) + d * step).clamp(0, 1000) as u16;
        self.center = (moved(self.center.0, dx), moved(self.center.1, dy));
        self.keep_inside();
    }

    /// The centre stays where the view does not leave the image (about half a view from the
    /// edges); fitted, it is the middle.
    fn keep_inside(&mut self) {
        let half = (500.0 / self.factor()) as u16;
        let clamp = |at: u16| at.clamp(half, 1000 - half);
        self.center = if self.is_fit() { (500, 500) } else { (clamp(self.center.0), clamp(self.center.1)) };
    }

    /// The part of `img` shown in an area of `area` pixels (width, height): all of it when
    /// fitted, else the crop that fills the area at `factor` times the fitted scale.
    pub fn crop(self, img: &RgbaImage, area: (f64, f64)) -> Option<RgbaImage> {
        if self.is_fit() {
            return None;
        }
        let (iw, ih) = (f64::from(img.width()), f64::from(img.height()));
        let scale = (area.0 / iw).min(area.1 / ih) * self.factor();
        let (w, h) = ((area.0 / scale).min(iw).max(1.0), (area.1 / scale).min(ih).max(1.0));
        let centre = |at: u16, size: f64| size * f64::from(at) / 1000.0;
        let x = (centre(self.center.0, iw) - w / 2.0).clamp(0.0, iw - w);
        let y = (centre(self.center.1, ih) - h / 2.0).clamp(0.0, ih - h);
        Some(image::imageops::crop_imm(img, x as u32, y as u32, w as u32, h as u32).to_image())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_step_in_shows_half_as_much_and_the_view_stays_on_the_image() {
        let img = RgbaImage::new(1536, 1024);
        let area = (800.0, 460.0);
        let mut zoom = Zoom::FIT;
        assert!(zoom.crop(&img, area).is_none(), "fitted: the whole image");
        zoom.zoom_in();
        let two = zoom.crop(&img, area).unwrap();
        zoom.zoom_in();
        let four = zoom.crop(&img, area).unwrap();
        assert_eq!(four.width(), two.width() / 2);
        // Panning far right stops at the image's edge.
        for _ in 0..20 {
            zoom.pan(1, 0);
        }
        assert!(zoom.center.0 < 1000 && zoom.center.0 >= 870, "{:?}", zoom.center);
        zoom.zoom_out();
        zoom.zoom_out();
        assert_eq!(zoom, Zoom::FIT, "back to fitted and centred");
    }
}

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

/// An image of `image` pixels fitted into an area of `area` pixels (both width, height): what
/// decides how much of it a zoom level shows along each side.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub image: (u32, u32),
    pub area: (f64, f64),
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

    /// In one step. `frame` (when known) keeps the view on the image exactly.
    pub fn zoom_in(&mut self, frame: Option<Frame>) {
        self.level = (self.level + 1).min(Self::MAX_LEVEL);
        self.keep_inside(frame);
    }

    /// Out one step; at 1x the centre goes back to the middle.
    pub fn zoom_out(&mut self, frame: Option<Frame>) {
        self.level = self.level.saturating_sub(1);
        self.keep_inside(frame);
    }

    /// Moves the view by a quarter of what it shows, `dx`/`dy` steps (negative: left/up).
    pub fn pan(&mut self, dx: i32, dy: i32, frame: Option<Frame>) {
        let (shown_x, shown_y) = self.shown(frame);
        let moved = |at: u16, d: i32, shown: f64| (f64::from(at) + f64::from(d) * 250.0 * shown).clamp(0.0, 1000.0);
        self.center = (moved(self.center.0, dx, shown_x) as u16, moved(self.center.1, dy, shown_y) as u16);
        self.keep_inside(frame);
    }

    /// The share of the image's width and height the view shows (1.0: all of it). A wide image
    /// in a tall area shows all its height long after its width is cropped. Without a frame,
    /// each side is taken to be the limiting one.
    pub fn shown(self, frame: Option<Frame>) -> (f64, f64) {
        let Some(Frame { image: (iw, ih), area: (aw, ah) }) = frame else {
            return (1.0 / self.factor(), 1.0 / self.factor());
        };
        let (iw, ih) = (f64::from(iw.max(1)), f64::from(ih.max(1)));
        let scale = (aw / iw).min(ah / ih) * self.factor();
        ((aw / scale / iw).min(1.0), (ah / scale / ih).min(1.0))
    }

    /// The centre stays where the view does not leave the image (half a view from each
    /// edge); fitted, it is the middle.
    fn keep_inside(&mut self, frame: Option<Frame>) {
        let (shown_x, shown_y) = self.shown(frame);
        let clamp = |at: u16, shown: f64| {
            let half = (500.0 * shown).ceil() as u16;
            at.clamp(half, 1000 - half)
        };
        self.center =
            if self.is_fit() { (500, 500) } else { (clamp(self.center.0, shown_x), clamp(self.center.1, shown_y)) };
    }

    /// The part of `img` shown in an area of `area` pixels (width, height): all of it when
    /// fitted, else the crop that fills the area at `factor` times the fitted scale.
    pub fn crop(self, img: &RgbaImage, area: (f64, f64)) -> Option<RgbaImage> {
        if self.is_fit() {
            return None;
        }
        let (iw, ih) = (f64::from(img.width()), f64::from(img.height()));
        let (shown_x, shown_y) = self.shown(Some(Frame { image: img.dimensions(), area }));
        let (w, h) = ((iw * shown_x).max(1.0), (ih * shown_y).max(1.0));
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
        let frame = Some(Frame { image: img.dimensions(), area });
        let mut zoom = Zoom::FIT;
        assert!(zoom.crop(&img, area).is_none(), "fitted: the whole image");
        zoom.zoom_in(frame);
        let two = zoom.crop(&img, area).unwrap();
        zoom.zoom_in(frame);
        let four = zoom.crop(&img, area).unwrap();
        assert_eq!(four.width(), two.width() / 2);
        // Panning far right stops at the image's edge.
        for _ in 0..20 {
            zoom.pan(1, 0, frame);
        }
        let half_shown = (500.0 * zoom.shown(frame).0).ceil() as u16;
        assert_eq!(zoom.center.0, 1000 - half_shown, "the view's right side on the image's");
        zoom.zoom_out(frame);
        zoom.zoom_out(frame);
        assert_eq!(zoom, Zoom::FIT, "back to fitted and centred");
    }

    #[test]
    fn a_press_against_an_edge_is_not_stored_past_what_the_crop_shows() {
        // A wide image in a tall area: at 2x the whole height is still shown.
        // Each pixel says where it is, so two crops differ when they show different parts.
        let img = RgbaImage::from_fn(1536, 512, |x, y| image::Rgba([(x % 256) as u8, (x / 256) as u8, y as u8, 255]));
        let area = (400.0, 800.0);
        let frame = Some(Frame { image: img.dimensions(), area });
        let mut zoom = Zoom::FIT;
        zoom.zoom_in(frame);
        assert_eq!(zoom.shown(frame).1, 1.0);
        let before = zoom;
        zoom.pan(0, 1, frame);
        assert_eq!(zoom, before, "nothing more to see downwards: the centre does not move");
        // Right to the edge, then one press left moves the view at once.
        for _ in 0..10 {
            zoom.pan(1, 0, frame);
        }
        let at_edge = zoom.crop(&img, area).unwrap();
        let right_edge = zoom.center.0;
        zoom.pan(-1, 0, frame);
        assert!(zoom.center.0 < right_edge);
        let moved = zoom.crop(&img, area).unwrap();
        assert!(moved.get_pixel(0, 0) != at_edge.get_pixel(0, 0), "the first press back shows something else");
    }
}

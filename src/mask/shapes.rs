//! The mask's shapes and their rasterisation. A mask file is RGBA at exactly the image's size:
//! alpha 0 where painted (the area to edit), opaque elsewhere. The same plan gives the same
//! bytes, from the painter or from `imgtui mask`.

use image::{Rgba, RgbaImage};

/// Pixels `x0..x1` by `y0..y1` of the image (half-open).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PixelRect {
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
}

impl PixelRect {
    /// From the corners of two points, each side included.
    #[cfg(test)]
    pub fn spanning(a: (u32, u32), b: (u32, u32)) -> Self {
        Self { x0: a.0.min(b.0), y0: a.1.min(b.1), x1: a.0.max(b.0) + 1, y1: a.1.max(b.1) + 1 }
    }

    pub fn width(&self) -> u32 {
        self.x1.saturating_sub(self.x0)
    }

    pub fn height(&self) -> u32 {
        self.y1.saturating_sub(self.y0)
    }

    /// The part of the rectangle inside an image of `width` x `height`.
    fn clipped(&self, width: u32, height: u32) -> Self {
        Self { x0: self.x0.min(width), y0: self.y0.min(height), x1: self.x1.min(width), y1: self.y1.min(height) }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    Rect(PixelRect),
    /// The ellipse inscribed in the rectangle: pixels whose centre lies inside it.
    Ellipse(PixelRect),
}

impl Shape {
    fn bounds(&self) -> PixelRect {
        match self {
            Self::Rect(r) | Self::Ellipse(r) => *r,
        }
    }

    /// Whether the pixel at (x, y) is in the shape.
    pub fn contains(&self, x: u32, y: u32) -> bool {
        let r = self.bounds();
        (r.x0..r.x1).contains(&x) && (r.y0..r.y1).contains(&y) && self.covers(x, y)
    }

    /// Whether the pixel at (x, y), inside `bounds()`, is in the shape.
    fn covers(&self, x: u32, y: u32) -> bool {
        match self {
            Self::Rect(_) => true,
            Self::Ellipse(r) => {
                let (rx, ry) = (f64::from(r.width()) / 2.0, f64::from(r.height()) / 2.0);
                let dx = (f64::from(x) + 0.5 - f64::from(r.x0)) / rx - 1.0;
                let dy = (f64::from(y) + 0.5 - f64::from(r.y0)) / ry - 1.0;
                dx * dx + dy * dy <= 1.0
            }
        }
    }
}

/// One change to the mask, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// The shape is to be edited.
    Paint(Shape),
    /// The shape is protected again.
    Erase(Shape),
    /// Painted and protected swap.
    Invert,
    /// Nothing painted.
    Clear,
}

/// A mask the painting starts from (an existing mask file, read as pixels: painted where it is
/// transparent). Equal only to itself: its pixels are never compared or hashed.
#[derive(Clone, Debug)]
pub struct Start(pub std::sync::Arc<Vec<bool>>);

impl PartialEq for Start {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Start {}

impl std::hash::Hash for Start {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::sync::Arc::as_ptr(&self.0).hash(state);
    }
}

/// A mask for an image of `width` x `height` pixels, as the changes that make it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct MaskPlan {
    pub width: u32,
    pub height: u32,
    /// What the changes start from (else nothing painted).
    pub start: Option<Start>,
    pub ops: Vec<Op>,
}

impl MaskPlan {
    pub fn new(width: u32, height: u32) -> Self {
        Self { width, height, start: None, ops: Vec::new() }
    }

    /// Which pixels are painted, row by row (true: to edit).
    pub fn painted(&self) -> Vec<bool> {
        let size = self.width as usize * self.height as usize;
        let mut painted = match &self.start {
            Some(start) if start.0.len() == size => start.0.as_ref().clone(),
            _ => vec![false; size],
        };
        for op in &self.ops {
            apply(op, &mut painted, self.width, self.height);
        }
        painted
    }

    /// The share of the image painted, 0.0 to 1.0.
    pub fn coverage(&self) -> f64 {
        let painted = self.painted();
        if painted.is_empty() {
            return 0.0;
        }
        painted.iter().filter(|p| **p).count() as f64 / painted.len() as f64
    }

    /// The mask as the API takes it: transparent where painted, opaque white elsewhere.
    pub fn to_image(&self) -> RgbaImage {
        let painted = self.painted();
        let (transparent, opaque) = (Rgba([0, 0, 0, 0]), Rgba([255, 255, 255, 255]));
        RgbaImage::from_fn(self.width, self.height, |x, y| {
            if painted[(y * self.width + x) as usize] { transparent } else { opaque }
        })
    }

    /// The mask's PNG bytes: the same plan always gives the same bytes.
    pub fn to_png(&self) -> Result<Vec<u8>, String> {
        use image::ImageEncoder;
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(self.to_image().as_raw(), self.width, self.height, image::ExtendedColorType::Rgba8)
            .map_err(|e| format!("cannot encode the mask: {e}"))?;
        Ok(out)
    }
}

/// Applies one change to `painted` (row by row, `width` x `height`): the one rasteriser, for
/// saving and for the painter's canvas alike.
pub fn apply(op: &Op, painted: &mut [bool], width: u32, height: u32) {
    let w = width as usize;
    match op {
        Op::Paint(shape) | Op::Erase(shape) => {
            let to = matches!(op, Op::Paint(_));
            let r = shape.bounds().clipped(width, height);
            for y in r.y0..r.y1 {
                for x in r.x0..r.x1 {
                    if shape.covers(x, y) {
                        painted[y as usize * w + x as usize] = to;
                    }
                }
            }
        }
        Op::Invert => painted.iter_mut().for_each(|p| *p = !*p),
        Op::Clear => painted.iter_mut().for_each(|p| *p = false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_paint_erase_invert_and_clear_in_order() {
        let mut plan = MaskPlan::new(10, 6);
        plan.ops.push(Op::Paint(Shape::Rect(PixelRect { x0: 2, y0: 1, x1: 5, y1: 3 })));
        assert_eq!(plan.painted().iter().filter(|p| **p).count(), 6);
        plan.ops.push(Op::Erase(Shape::Rect(PixelRect { x0: 2, y0: 1, x1: 3, y1: 3 })));
        assert_eq!(plan.painted().iter().filter(|p| **p).count(), 4);
        plan.ops.push(Op::Invert);
        assert_eq!(plan.painted().iter().filter(|p| **p).count(), 56);
        plan.ops.push(Op::Clear);
        assert_eq!(plan.coverage(), 0.0);
    }

    #[test]
    fn an_ellipse_covers_the_pixels_whose_centre_is_inside() {
        let mut plan = MaskPlan::new(9, 9);
        plan.ops.push(Op::Paint(Shape::Ellipse(PixelRect { x0: 0, y0: 0, x1: 9, y1: 9 })));
        let painted = plan.painted();
        assert!(painted[4 * 9 + 4] && painted[4 * 9] && painted[4], "centre and the middle of each side");
        assert!(!painted[0] && !painted[8] && !painted[80], "not the corners");
    }

    #[test]
    fn shapes_past_the_edge_are_clipped_and_the_file_is_the_images_size() {
        let mut plan = MaskPlan::new(5, 3);
        plan.ops.push(Op::Paint(Shape::Rect(PixelRect { x0: 3, y0: 1, x1: 50, y1: 50 })));
        let img = plan.to_image();
        assert_eq!(img.dimensions(), (5, 3));
        assert_eq!(img.get_pixel(4, 2)[3], 0);
        assert_eq!(img.get_pixel(2, 2)[3], 255);
        assert_eq!(plan.to_png().unwrap(), plan.clone().to_png().unwrap(), "same plan, same bytes");
        let decoded = image::load_from_memory(&plan.to_png().unwrap()).unwrap().to_rgba8();
        assert_eq!(decoded, img);
        assert!((crate::api::image_facts::coverage_of(&img) - 4.0 / 15.0).abs() < 1e-9);
    }
}

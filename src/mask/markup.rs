//! Markup (gpt-image-2.6's `markup` on edits): marks drawn over the first input image that say
//! what to change (a ring round it, an arrow to it, a scribble), kept as geometry in the
//! image's pixels and drawn once, anti-aliased, into a transparent PNG of the image's size. The
//! same plan gives the same bytes, from the painter or from `imgtui markup`.

use std::sync::Arc;

use image::RgbaImage;
use resvg::tiny_skia::{self, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Stroke, Transform};

use super::shapes::PixelRect;

/// The colours a mark may have: bright ones a model (and a person) tells from the picture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Colour {
    #[default]
    Red,
    Yellow,
    Green,
    Cyan,
    Blue,
    Magenta,
    White,
    Black,
}

impl Colour {
    pub const ALL: [Self; 8] =
        [Self::Red, Self::Yellow, Self::Green, Self::Cyan, Self::Blue, Self::Magenta, Self::White, Self::Black];

    pub fn name(self) -> &'static str {
        match self {
            Self::Red => "red",
            Self::Yellow => "yellow",
            Self::Green => "green",
            Self::Cyan => "cyan",
            Self::Blue => "blue",
            Self::Magenta => "magenta",
            Self::White => "white",
            Self::Black => "black",
        }
    }

    pub fn rgb(self) -> [u8; 3] {
        match self {
            Self::Red => [255, 32, 32],
            Self::Yellow => [255, 220, 0],
            Self::Green => [0, 210, 60],
            Self::Cyan => [0, 220, 255],
            Self::Blue => [40, 90, 255],
            Self::Magenta => [255, 0, 200],
            Self::White => [255, 255, 255],
            Self::Black => [0, 0, 0],
        }
    }

    /// The one after it (`c` in the painter).
    pub fn next(self) -> Self {
        let at = Self::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Self::ALL[(at + 1) % Self::ALL.len()]
    }

    /// From its name (`--colour red`; `color` spellings too).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|c| c.name() == text).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|c| c.name()).collect();
            format!("{text:?} is not a colour imgtui draws with: {}", names.join(", "))
        })
    }
}

/// A point in the image's pixels.
pub type Point = (f32, f32);

/// What a mark is.
#[derive(Clone, Debug, PartialEq)]
pub enum MarkKind {
    /// A free line through the points (a scribble, a circling hand).
    Pen(Vec<Point>),
    /// A line from the first point with a head at the second.
    Arrow(Point, Point),
    /// A rectangle's outline.
    Rect(PixelRect),
    /// The outline of the ellipse inside the rectangle.
    Ellipse(PixelRect),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub kind: MarkKind,
    pub colour: Colour,
    /// The line's width in the image's pixels.
    pub width: f32,
}

/// A line width that reads at the size a model looks at the image: about 0.6% of its longer side.
pub fn default_width(image: (u32, u32)) -> f32 {
    (image.0.max(image.1) as f32 / 160.0).max(3.0)
}

/// The marks for an image of `width` x `height` pixels.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MarkupPlan {
    pub width: u32,
    pub height: u32,
    /// The markup the marks are drawn over (one picked before, read as pixels of this size).
    pub start: Option<Arc<RgbaImage>>,
    pub marks: Vec<Mark>,
}

impl MarkupPlan {
    pub fn new(width: u32, height: u32) -> Self {
        Self { width, height, start: None, marks: Vec::new() }
    }

    /// The marks at full size on a transparent image.
    pub fn to_image(&self) -> Result<RgbaImage, String> {
        self.draw(self.width, self.height)
    }

    /// The marks scaled to `width` x `height` (the painter's picture), on transparency.
    pub fn draw(&self, width: u32, height: u32) -> Result<RgbaImage, String> {
        let mut pixmap = Pixmap::new(width.max(1), height.max(1)).ok_or("the markup has no pixels")?;
        if let Some(start) = &self.start {
            let fitted = if start.dimensions() == (pixmap.width(), pixmap.height()) {
                (**start).clone()
            } else {
                image::imageops::resize(
                    &**start,
                    pixmap.width(),
                    pixmap.height(),
                    image::imageops::FilterType::Triangle,
                )
            };
            // The pixmap is premultiplied.
            for (to, from) in pixmap.pixels_mut().iter_mut().zip(fitted.pixels()) {
                let [r, g, b, a] = from.0;
                let pre = |c: u8| ((u16::from(c) * u16::from(a) + 127) / 255) as u8;
                if let Some(color) = tiny_skia::PremultipliedColorU8::from_rgba(pre(r), pre(g), pre(b), a) {
                    *to = color;
                }
            }
        }
        let scale = (width as f32 / self.width.max(1) as f32, height as f32 / self.height.max(1) as f32);
        let transform = Transform::from_scale(scale.0, scale.1);
        for mark in &self.marks {
            draw_mark(&mut pixmap, mark, transform);
        }
        RgbaImage::from_raw(pixmap.width(), pixmap.height(), pixmap.take_demultiplied())
            .ok_or_else(|| "the markup came out wrong".into())
    }

    /// The PNG the API takes.
    pub fn to_png(&self) -> Result<Vec<u8>, String> {
        let mut out = std::io::Cursor::new(Vec::new());
        self.to_image()?.write_to(&mut out, image::ImageFormat::Png).map_err(|e| e.to_string())?;
        Ok(out.into_inner())
    }
}

fn draw_mark(pixmap: &mut Pixmap, mark: &Mark, transform: Transform) {
    let [r, g, b] = mark.colour.rgb();
    let mut paint = Paint::default();
    paint.set_color_rgba8(r, g, b, 255);
    paint.anti_alias = true;
    let stroke = Stroke {
        width: mark.width.max(1.0),
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    };
    let mut path = PathBuilder::new();
    match &mark.kind {
        MarkKind::Pen(points) => {
            let Some(first) = points.first() else { return };
            path.move_to(first.0, first.1);
            if points.len() == 1 {
                // A dot: a line of no length draws a round cap.
                path.line_to(first.0 + 0.01, first.1);
            }
            for p in &points[1..] {
                path.line_to(p.0, p.1);
            }
        }
        MarkKind::Arrow(from, to) => {
            path.move_to(from.0, from.1);
            path.line_to(to.0, to.1);
            let (dx, dy) = (to.0 - from.0, to.1 - from.1);
            let length = (dx * dx + dy * dy).sqrt();
            if length > 0.0 {
                let head = (mark.width * 5.0).min(length * 0.6);
                let (ux, uy) = (dx / length, dy / length);
                for side in [-1.0f32, 1.0] {
                    // The head's sides, 30° off the shaft.
                    let (c, s) = (0.866f32, 0.5 * side);
                    let (hx, hy) = (ux * c - uy * s, uy * c + ux * s);
                    path.move_to(to.0, to.1);
                    path.line_to(to.0 - hx * head, to.1 - hy * head);
                }
            }
        }
        MarkKind::Rect(r) => {
            if let Some(rect) = tiny_skia::Rect::from_ltrb(r.x0 as f32, r.y0 as f32, r.x1 as f32, r.y1 as f32) {
                path.push_rect(rect);
            }
        }
        MarkKind::Ellipse(r) => {
            if let Some(rect) = tiny_skia::Rect::from_ltrb(r.x0 as f32, r.y0 as f32, r.x1 as f32, r.y1 as f32) {
                path.push_oval(rect);
            }
        }
    }
    if let Some(path) = path.finish() {
        pixmap.stroke_path(&path, &paint, &stroke, transform, None);
    }
}

/// The marks as shown over the painter's picture: two are the same when their version is.
#[derive(Clone, Debug)]
pub struct ShownMarks {
    pub version: u64,
    pub plan: Arc<MarkupPlan>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alpha(img: &RgbaImage, x: u32, y: u32) -> u8 {
        img.get_pixel(x, y)[3]
    }

    #[test]
    fn marks_are_drawn_in_their_colour_on_transparency_and_nowhere_else() {
        let mut plan = MarkupPlan::new(200, 100);
        let rect = PixelRect { x0: 20, y0: 20, x1: 80, y1: 80 };
        plan.marks.push(Mark { kind: MarkKind::Rect(rect), colour: Colour::Red, width: 4.0 });
        plan.marks.push(Mark { kind: MarkKind::Arrow((100.0, 50.0), (190.0, 50.0)), colour: Colour::Blue, width: 4.0 });
        let img = plan.to_image().unwrap();
        assert_eq!(img.dimensions(), (200, 100));
        assert_eq!(img.get_pixel(20, 50).0, [255, 32, 32, 255], "the rectangle's left side");
        assert_eq!(alpha(&img, 50, 50), 0, "inside the outline: untouched");
        assert_eq!(img.get_pixel(150, 50).0, [40, 90, 255, 255], "the arrow's shaft");
        assert!(alpha(&img, 183, 45) > 0, "its head");
        assert_eq!(alpha(&img, 5, 95), 0);
        // The same plan, the same bytes.
        assert_eq!(plan.to_png().unwrap(), plan.to_png().unwrap());
        // Scaled for a picture half the size: the same marks, half as far.
        let small = plan.draw(100, 50).unwrap();
        assert!(alpha(&small, 10, 25) > 0 && alpha(&small, 25, 25) == 0);
    }

    #[test]
    fn colours_are_named_and_cycle() {
        assert_eq!(Colour::parse(" Red "), Ok(Colour::Red));
        assert!(Colour::parse("mauve").unwrap_err().contains("red, yellow"));
        assert_eq!(Colour::Black.next(), Colour::Red);
    }
}

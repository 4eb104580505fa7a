//! SVG results (gpt-image-2.6's `output_format = svg`): read with bounds a hostile file cannot
//! pass, and rasterised here at the size they are shown at, so a preview stays sharp at any
//! zoom. An SVG never makes imgtui read another file or fetch anything: every `href` to an
//! image (a path, a URL, a data URL) is left out.

use std::sync::Arc;

use image::RgbaImage;

/// The most an SVG file may hold (a model's SVG is tens of KB).
pub const SVG_FILE_MAX: u64 = 8 << 20;
/// The most elements an SVG may have: each is drawn over the whole view in the worst case, so
/// this bounds the time a render takes (see docs/media.md for the times measured).
pub const SVG_ELEMENTS_MAX: usize = 20_000;
/// The most pixels an SVG is drawn into (as many as imgtui decodes of a raster).
pub const PIXELS_MAX: u64 = 64_000_000;
/// The most pixel writes one drawing may cost, about (a shape's box within the view counts
/// each of its pixels; a layer's box once more; a filter's box `FILTER_WEIGHT` times): past
/// it the picture is drawn smaller, so a hostile file costs a bounded time whatever it holds.
/// About 0.3 s of one core here (docs/media.md).
pub const WORK_MAX: f64 = 150e6;
/// How many times a filter's box counts: a blur reads and writes its pixels several times.
const FILTER_WEIGHT: f64 = 20.0;
/// Past this much smaller, a picture is not drawn at all: it would say nothing.
const SMALLEST_SHARE: f64 = 1.0 / 16.0;
/// The deepest nesting of elements drawn (a model's SVG nests a few levels; the XML reader and
/// the renderer recurse, and a thread's stack lasts about 800 levels).
pub const SVG_DEPTH_MAX: usize = 128;
/// The largest side a whole SVG is drawn at when no pane says the size (a file saved as a
/// raster, a thumbnail's source).
pub const RASTER_SIDE: u32 = 2048;

/// A parsed SVG.
#[derive(Clone)]
pub struct Svg {
    tree: Arc<resvg::usvg::Tree>,
}

impl std::fmt::Debug for Svg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (w, h) = self.size();
        write!(f, "Svg({w}x{h})")
    }
}

/// Whether `bytes` begin as an SVG document: after a byte-order mark, white space, an XML
/// declaration, comments or a doctype, the root element is `<svg`.
pub fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut rest = head;
    loop {
        rest = rest.trim_ascii_start();
        if rest.starts_with(b"<svg") {
            return rest.get(4).is_none_or(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/');
        }
        let skip_to = |end: &[u8], from: &[u8]| memchr::memmem::find(from, end).map(|at| at + end.len());
        let skipped = if rest.starts_with(b"<?") {
            skip_to(b"?>", rest)
        } else if rest.starts_with(b"<!--") {
            skip_to(b"-->", rest)
        } else if rest.starts_with(b"<!") {
            skip_to(b">", rest)
        } else {
            None
        };
        match skipped {
            Some(at) => rest = &rest[at..],
            None => return false,
        }
    }
}

impl Svg {
    /// Parses `bytes`, refusing what is too big or too many elements; never follows a
    /// reference out of the file.
    pub fn parse(bytes: &[u8]) -> Result<Self, String> {
        if bytes.len() as u64 > SVG_FILE_MAX {
            return Err(format!("the SVG is over {} MB", SVG_FILE_MAX >> 20));
        }
        let elements = memchr::memchr_iter(b'<', bytes).count();
        if elements > SVG_ELEMENTS_MAX {
            return Err(format!("the SVG has over {SVG_ELEMENTS_MAX} elements ({elements} tags)"));
        }
        let depth = nesting(bytes);
        if depth > SVG_DEPTH_MAX {
            return Err(format!("the SVG nests its elements {depth} deep; imgtui draws at most {SVG_DEPTH_MAX}"));
        }
        let text = std::str::from_utf8(bytes).map_err(|_| "the SVG is not UTF-8 text".to_string())?;
        let options = resvg::usvg::Options {
            resources_dir: None,
            image_href_resolver: resvg::usvg::ImageHrefResolver {
                resolve_data: Box::new(|_, _, _| None),
                resolve_string: Box::new(|_, _| None),
            },
            ..Default::default()
        };
        let tree = resvg::usvg::Tree::from_str(text, &options).map_err(|e| format!("the SVG cannot be read: {e}"))?;
        Ok(Self { tree: Arc::new(tree) })
    }

    /// Its size as the file gives it (rounded, at least 1x1).
    pub fn size(&self) -> (u32, u32) {
        let size = self.tree.size();
        (size.width().round().max(1.0) as u32, size.height().round().max(1.0) as u32)
    }

    /// The whole picture drawn with its long side at `side` pixels.
    pub fn raster(&self, side: u32) -> Result<RgbaImage, String> {
        let (w, h) = self.size();
        let scale = f64::from(side.max(1)) / f64::from(w.max(h));
        let (width, height) = ((f64::from(w) * scale).round().max(1.0), (f64::from(h) * scale).round().max(1.0));
        self.view((0.0, 0.0, f64::from(w), f64::from(h)), (width as u32, height as u32))
    }

    /// The part `view` (x, y, width, height in the SVG's own units) drawn into `pixels`
    /// (width, height): how a zoomed preview is made sharp, drawn at the size it is shown.
    pub fn view(&self, view: (f64, f64, f64, f64), pixels: (u32, u32)) -> Result<RgbaImage, String> {
        let (width, height) = (pixels.0.max(1), pixels.1.max(1));
        if u64::from(width) * u64::from(height) > PIXELS_MAX {
            return Err(format!("{width}x{height} is more than imgtui draws"));
        }
        let (x, y, w, h) = view;
        let (sx, sy) = (f64::from(width) / w.max(f64::EPSILON), f64::from(height) / h.max(f64::EPSILON));
        // Too costly at this size: drawn smaller (the preview scales it up), or not at all.
        let work = resvg::tiny_skia::Rect::from_xywh(x as f32, y as f32, w as f32, h as f32)
            .map_or(0.0, |in_view| work(self.tree.root(), in_view, (sx, sy)));
        if work > WORK_MAX {
            let share = (WORK_MAX / work).sqrt();
            if share < SMALLEST_SHARE || width.min(height) < 16 {
                return Err(format!("the SVG is too costly to draw (about {:.0} million pixel writes)", work / 1e6));
            }
            let smaller = |side: u32| ((f64::from(side) * share).floor() as u32).max(1);
            return self.view(view, (smaller(width), smaller(height)));
        }
        let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height).ok_or("nothing to draw")?;
        let transform = resvg::tiny_skia::Transform::from_row(sx as f32, 0.0, 0.0, sy as f32, 0.0, 0.0)
            .pre_translate(-x as f32, -y as f32);
        resvg::render(&self.tree, transform, &mut pixmap.as_mut());
        RgbaImage::from_raw(width, height, pixmap.take_demultiplied())
            .ok_or_else(|| "the drawing came out wrong".into())
    }
}

/// The pixel writes drawing `group` costs within `view` at `scale` pixels a unit (x, y), about.
fn work(group: &resvg::usvg::Group, view: resvg::tiny_skia::Rect, scale: (f64, f64)) -> f64 {
    use resvg::usvg::Node;
    let within = |r: resvg::tiny_skia::Rect| {
        r.intersect(&view).map_or(0.0, |r| f64::from(r.width()) * f64::from(r.height()) * scale.0 * scale.1)
    };
    group
        .children()
        .iter()
        .map(|node| match node {
            Node::Group(inner) => {
                let layer = within(inner.abs_layer_bounding_box().to_rect());
                let filters: f64 =
                    inner.filters().iter().flat_map(|f| f.primitives()).map(|p| layer * per_pixel(p, scale)).sum();
                layer + filters + work(inner, view, scale)
            }
            Node::Path(path) => within(path.abs_stroke_bounding_box()),
            Node::Image(image) => within(image.abs_bounding_box()),
            // Text is not drawn: this build has no fonts.
            Node::Text(_) => 0.0,
        })
        .sum()
}

/// What a filter primitive costs a pixel of its layer, in pixel writes, about: a morphology
/// looks at every pixel within its radius, a convolution at its whole matrix, turbulence works
/// each octave for each channel.
fn per_pixel(primitive: &resvg::usvg::filter::Primitive, scale: (f64, f64)) -> f64 {
    use resvg::usvg::filter::Kind;
    match primitive.kind() {
        Kind::Morphology(m) => {
            (2.0 * f64::from(m.radius_x().get()) * scale.0 + 1.0)
                * (2.0 * f64::from(m.radius_y().get()) * scale.1 + 1.0)
        }
        Kind::ConvolveMatrix(c) => f64::from(c.matrix().columns()) * f64::from(c.matrix().rows()),
        Kind::Turbulence(t) => 8.0 * f64::from(t.num_octaves().max(1)),
        Kind::DiffuseLighting(_) | Kind::SpecularLighting(_) => 40.0,
        Kind::GaussianBlur(_) | Kind::DropShadow(_) => FILTER_WEIGHT,
        _ => 4.0,
    }
}

/// The deepest nesting of elements in `bytes`, read from its tags: the XML reader and the
/// renderer walk a nest by recursion, and a deep one would overflow the stack.
fn nesting(bytes: &[u8]) -> usize {
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, 0usize);
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + found;
        match bytes.get(start + 1) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(b'!' | b'?') => {}
            _ => {
                let closes = memchr::memchr(b'>', &bytes[start..]).map(|end| start + end);
                let empty = closes.is_some_and(|end| end > start && bytes[end - 1] == b'/');
                if !empty {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
            }
        }
        at = start + 1;
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50">
        <rect x="0" y="0" width="50" height="50" fill="red"/><rect x="50" y="0" width="50" height="50" fill="blue"/></svg>"#;

    #[test]
    fn an_svg_is_known_by_its_root_element_after_what_may_come_first() {
        assert!(looks_like_svg(SQUARE.as_bytes()));
        assert!(looks_like_svg(b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- by a model -->\n<!DOCTYPE svg>\n<svg>"));
        assert!(!looks_like_svg(b"<svgfoo>"));
        assert!(!looks_like_svg(b"<html><svg></svg></html>"));
        assert!(!looks_like_svg(b"\x89PNG\r\n\x1a\n"));
    }

    #[test]
    fn it_is_drawn_at_the_size_asked_and_a_view_draws_only_its_part() {
        let svg = Svg::parse(SQUARE.as_bytes()).unwrap();
        assert_eq!(svg.size(), (100, 50));
        let big = svg.raster(400).unwrap();
        assert_eq!(big.dimensions(), (400, 200));
        assert_eq!(big.get_pixel(10, 10).0, [255, 0, 0, 255]);
        assert_eq!(big.get_pixel(390, 190).0, [0, 0, 255, 255]);
        // The right half only, at 4x: all blue, with edges as sharp as the pixels asked.
        let right = svg.view((50.0, 0.0, 50.0, 50.0), (200, 200)).unwrap();
        assert_eq!(right.get_pixel(0, 0).0, [0, 0, 255, 255]);
        assert_eq!(right.get_pixel(199, 199).0, [0, 0, 255, 255]);
    }

    #[test]
    fn a_hostile_svg_is_bounded_and_reads_no_other_file() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret.png");
        let mut png = Vec::new();
        RgbaImage::from_pixel(8, 8, image::Rgba([0, 255, 0, 255]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        std::fs::write(&secret, &png).unwrap();
        let referring = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="8" height="8">
            <image width="8" height="8" xlink:href="{}"/><image width="8" height="8" href="http://127.0.0.1:1/x.png"/>
            <image width="8" height="8" href="/dev/zero"/><script>alert(1)</script></svg>"#,
            secret.display()
        );
        let drawn = Svg::parse(referring.as_bytes()).unwrap().raster(8).unwrap();
        assert!(drawn.pixels().all(|p| p[3] == 0), "nothing of the file it names is drawn");

        let many = format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{}</svg>", "<g/>".repeat(SVG_ELEMENTS_MAX + 1));
        assert!(Svg::parse(many.as_bytes()).unwrap_err().contains("elements"));
        let deep =
            format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{}{}</svg>", "<g>".repeat(5000), "</g>".repeat(5000));
        assert!(Svg::parse(deep.as_bytes()).is_err(), "nesting past the XML reader's depth is refused");
        let huge = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10000000" height="10000000"><rect width="10" height="10"/></svg>"#;
        let svg = Svg::parse(huge.as_bytes()).unwrap();
        assert_eq!(svg.raster(64).unwrap().dimensions(), (64, 64), "a huge canvas is drawn at the size asked");
        assert!(Svg::parse(b"<svg><unclosed></svg>").is_err());
    }

    #[test]
    fn a_costly_svg_is_drawn_smaller_and_one_past_all_reason_not_at_all() {
        let rects = "<rect width=\"4096\" height=\"4096\" fill=\"red\" opacity=\"0.5\"/>".repeat(400);
        let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4096\" height=\"4096\">{rects}</svg>");
        let svg = Svg::parse(svg.as_bytes()).unwrap();
        let started = std::time::Instant::now();
        let drawn = svg.raster(2048).unwrap();
        assert!(drawn.width() < 2048, "drawn smaller: {}", drawn.width());
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "bounded: {:?}", started.elapsed());
        let blurs = "<filter id=\"b\"><feGaussianBlur stdDeviation=\"300\"/></filter>".to_string()
            + &"<rect width=\"4096\" height=\"4096\" fill=\"red\" filter=\"url(#b)\"/>".repeat(19_000);
        let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4096\" height=\"4096\">{blurs}</svg>");
        let err = Svg::parse(svg.as_bytes()).unwrap().raster(2048).unwrap_err();
        assert!(err.contains("too costly"), "{err}");
        // One filter each that the hostile pass found slow for minutes: bounded too.
        for filter in [
            "<feMorphology radius=\"500\"/>",
            "<feTurbulence baseFrequency=\"0.05\" numOctaves=\"100000\"/>",
            "<feConvolveMatrix order=\"60\" kernelMatrix=\"KERNEL\"/>",
        ] {
            let filter = filter.replace("KERNEL", &vec!["1"; 3600].join(" "));
            let svg = format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2048\" height=\"2048\"><filter id=\"f\">{filter}</filter><rect width=\"2048\" height=\"2048\" fill=\"red\" filter=\"url(#f)\"/></svg>"
            );
            let started = std::time::Instant::now();
            let _ = Svg::parse(svg.as_bytes()).unwrap().raster(2048);
            assert!(started.elapsed() < std::time::Duration::from_secs(5), "{filter:.40}: {:?}", started.elapsed());
        }
    }
}

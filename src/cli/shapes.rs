//! The shapes given on the command line: `imgtui mask` and `imgtui markup`, and how an area
//! and a list of points are read from a flag's text.

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Args)]
pub struct MaskArgs {
    /// The image the mask is for (the edit's first input): the mask gets its size.
    pub image: PathBuf,
    /// Paint a rectangle: X,Y,W,H in the image's pixels (repeatable).
    #[arg(long = "rect", value_name = "X,Y,W,H", value_parser = parse_area)]
    pub rects: Vec<crate::mask::PixelRect>,
    /// Paint the ellipse inside a rectangle: X,Y,W,H in the image's pixels (repeatable).
    #[arg(long = "ellipse", value_name = "X,Y,W,H", value_parser = parse_area)]
    pub ellipses: Vec<crate::mask::PixelRect>,
    /// Swap painted and protected, after the shapes.
    #[arg(long)]
    pub invert: bool,
    /// Where the mask PNG goes (replaced if it exists).
    #[arg(long, value_name = "MASK.png")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct MarkupArgs {
    /// The image the marks are for (the edit's first input): the markup gets its size.
    pub image: PathBuf,
    /// An arrow from X1,Y1 to its head at X2,Y2, in the image's pixels (repeatable).
    #[arg(long = "arrow", value_name = "X1,Y1,X2,Y2", value_parser = parse_points)]
    pub arrows: Vec<Vec<(f32, f32)>>,
    /// A rectangle's outline: X,Y,W,H in the image's pixels (repeatable).
    #[arg(long = "rect", value_name = "X,Y,W,H", value_parser = parse_area)]
    pub rects: Vec<crate::mask::PixelRect>,
    /// The outline of the ellipse inside a rectangle: X,Y,W,H (repeatable).
    #[arg(long = "ellipse", value_name = "X,Y,W,H", value_parser = parse_area)]
    pub ellipses: Vec<crate::mask::PixelRect>,
    /// A free line through the points X,Y,X,Y,… (repeatable).
    #[arg(long = "pen", value_name = "X,Y,…", value_parser = parse_points)]
    pub pens: Vec<Vec<(f32, f32)>>,
    /// The marks' colour: red, yellow, green, cyan, blue, magenta, white or black.
    #[arg(long, alias = "color", value_name = "NAME", default_value = "red", value_parser = crate::mask::markup::Colour::parse)]
    pub colour: crate::mask::markup::Colour,
    /// The line width in the image's pixels (default: about 0.6% of its longer side).
    #[arg(long, value_name = "PIXELS")]
    pub width: Option<f32>,
    /// Where the markup PNG goes (replaced if it exists).
    #[arg(long, value_name = "MARKUP.png")]
    pub out: PathBuf,
}

/// `X,Y,X,Y,…`: at least one point of two numbers each.
fn parse_points(text: &str) -> Result<Vec<(f32, f32)>, String> {
    let numbers: Vec<Result<f32, _>> = text.split(',').map(|n| n.trim().parse::<f32>()).collect();
    if numbers.is_empty()
        || numbers.len() % 2 != 0
        || numbers.iter().any(|n| !n.as_ref().is_ok_and(|n| n.is_finite() && *n >= 0.0))
    {
        return Err("expected X,Y pairs of pixels (numbers 0 or more), e.g. 40,40,300,220".into());
    }
    let numbers: Vec<f32> = numbers.into_iter().flatten().collect();
    Ok(numbers.chunks(2).map(|p| (p[0], p[1])).collect())
}

/// `X,Y,W,H` in pixels, width and height at least 1 (clap names the flag in its message).
fn parse_area(text: &str) -> Result<crate::mask::PixelRect, String> {
    let numbers: Vec<Result<u32, _>> = text.split(',').map(|n| n.trim().parse::<u32>()).collect();
    let [Ok(x), Ok(y), Ok(w), Ok(h)] = numbers[..] else {
        return Err("expected X,Y,W,H: four whole numbers of pixels, e.g. 100,50,300,200".into());
    };
    if w == 0 || h == 0 {
        return Err("the width and height must be at least 1 pixel".into());
    }
    let (x1, y1) = (x.checked_add(w), y.checked_add(h));
    let (Some(x1), Some(y1)) = (x1, y1) else { return Err("the area reaches past 4294967295 pixels".into()) };
    Ok(crate::mask::PixelRect { x0: x, y0: y, x1, y1 })
}

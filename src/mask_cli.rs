//! `imgtui mask IMAGE --rect X,Y,W,H [--ellipse X,Y,W,H]… [--invert] --out MASK.png`: the
//! painter's mask file from shapes given in the image's pixels, for scripts; and `imgtui
//! markup IMAGE --arrow … --out MARKUP.png`, the painter's markup the same way.

use std::process::ExitCode;

use crate::api::image_facts::ImageFacts;
use crate::cli::{MarkupArgs, MaskArgs};
use crate::mask::{MaskPlan, Op, PixelRect, Shape};
use crate::text::escape_controls;

pub fn run(args: &MaskArgs) -> ExitCode {
    match make(args) {
        Ok(summary) => {
            crate::outln!("{summary}");
            ExitCode::SUCCESS
        }
        Err(Refusal::Input(message)) => {
            eprintln!("imgtui mask: {message}");
            ExitCode::from(2)
        }
        Err(Refusal::Machine(message)) => {
            eprintln!("imgtui mask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Why no mask was written: the arguments (exit 2) or the machine (exit 1).
enum Refusal {
    Input(String),
    Machine(String),
}

/// Writes the mask and says what it covers, or says which argument is wrong.
fn make(args: &MaskArgs) -> Result<String, Refusal> {
    let shown = |path: &std::path::Path| escape_controls(&path.display().to_string());
    let facts =
        ImageFacts::read(&args.image).map_err(|e| Refusal::Input(format!("IMAGE {}: {e}", shown(&args.image))))?;
    let pixels = u64::from(facts.width) * u64::from(facts.height);
    if pixels > crate::mask::MAX_PIXELS {
        return Err(Refusal::Input(format!(
            "IMAGE {} is {}x{}: too large for a mask (at most {} megapixels)",
            shown(&args.image),
            facts.width,
            facts.height,
            crate::mask::MAX_PIXELS / 1_000_000
        )));
    }
    let same_file = std::fs::canonicalize(&args.out).ok() == std::fs::canonicalize(&args.image).ok();
    if same_file {
        return Err(Refusal::Input(format!("--out {} is IMAGE itself: it would be replaced", shown(&args.out))));
    }
    let plan = plan(args, facts.width, facts.height).map_err(Refusal::Input)?;
    if plan.ops.is_empty() {
        return Err(Refusal::Input(
            "nothing to paint: give at least one --rect or --ellipse (or --invert for all of it)".into(),
        ));
    }
    let share = plan.coverage();
    if share == 0.0 {
        return Err(Refusal::Input(
            "the mask would leave nothing to edit (every pixel protected), and the API refuses such a mask".into(),
        ));
    }
    let png = plan.to_png().map_err(Refusal::Machine)?;
    crate::files::replace_file_atomically(&args.out, &png)
        .map_err(|e| Refusal::Machine(format!("--out {}: cannot write: {e}", shown(&args.out))))?;
    Ok(format!(
        "wrote {} ({}x{}, {} of the image to edit)",
        shown(&args.out),
        plan.width,
        plan.height,
        crate::text::percent(share)
    ))
}

/// The shapes as a plan for an image of `width` x `height`; a shape reaching past the image is
/// refused, naming it.
pub fn plan(args: &MaskArgs, width: u32, height: u32) -> Result<MaskPlan, String> {
    let inside = |flag: &str, r: &PixelRect| {
        if r.x1 > width || r.y1 > height {
            Err(format!(
                "--{flag} {},{},{},{}: reaches ({}, {}), past the image's {width}x{height} pixels",
                r.x0,
                r.y0,
                r.width(),
                r.height(),
                r.x1,
                r.y1
            ))
        } else {
            Ok(())
        }
    };
    let mut plan = MaskPlan::new(width, height);
    for rect in &args.rects {
        inside("rect", rect)?;
        plan.ops.push(Op::Paint(Shape::Rect(*rect)));
    }
    for ellipse in &args.ellipses {
        inside("ellipse", ellipse)?;
        plan.ops.push(Op::Paint(Shape::Ellipse(*ellipse)));
    }
    if args.invert {
        plan.ops.push(Op::Invert);
    }
    Ok(plan)
}

pub fn run_markup(args: &MarkupArgs) -> ExitCode {
    match make_markup(args) {
        Ok(summary) => {
            crate::outln!("{summary}");
            ExitCode::SUCCESS
        }
        Err(Refusal::Input(message)) => {
            eprintln!("imgtui markup: {message}");
            ExitCode::from(2)
        }
        Err(Refusal::Machine(message)) => {
            eprintln!("imgtui markup: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the markup and says what it holds, or says which argument is wrong.
fn make_markup(args: &MarkupArgs) -> Result<String, Refusal> {
    use crate::mask::markup::{Mark, MarkKind, MarkupPlan, default_width};
    let shown = |path: &std::path::Path| escape_controls(&path.display().to_string());
    let facts =
        ImageFacts::read(&args.image).map_err(|e| Refusal::Input(format!("IMAGE {}: {e}", shown(&args.image))))?;
    let (width, height) = (facts.width, facts.height);
    if u64::from(width) * u64::from(height) > crate::mask::MAX_PIXELS {
        let most = crate::mask::MAX_PIXELS / 1_000_000;
        return Err(Refusal::Input(format!(
            "IMAGE {} is {width}x{height}: too large for markup (at most {most} megapixels)",
            shown(&args.image)
        )));
    }
    if std::fs::canonicalize(&args.out).ok() == std::fs::canonicalize(&args.image).ok() {
        return Err(Refusal::Input(format!("--out {} is IMAGE itself: it would be replaced", shown(&args.out))));
    }
    let line = match args.width {
        Some(w) if !(w.is_finite() && w > 0.0 && w <= width.max(height) as f32) => {
            return Err(Refusal::Input(format!("--width {w}: a line width from above 0 to the image's longer side")));
        }
        Some(w) => w,
        None => default_width((width, height)),
    };
    let outside = |flag: &str, (x, y): (f32, f32)| {
        (x > width as f32 || y > height as f32)
            .then(|| format!("--{flag}: the point {x},{y} is past the image's {width}x{height} pixels"))
    };
    let mut plan = MarkupPlan::new(width, height);
    let mark = |kind| Mark { kind, colour: args.colour, width: line };
    for points in &args.pens {
        if let Some(why) = points.iter().find_map(|p| outside("pen", *p)) {
            return Err(Refusal::Input(why));
        }
        plan.marks.push(mark(MarkKind::Pen(points.clone())));
    }
    for points in &args.arrows {
        let [from, to] = points[..] else {
            return Err(Refusal::Input("--arrow: X1,Y1,X2,Y2, two points (from, then the head)".into()));
        };
        if let Some(why) = outside("arrow", from).or_else(|| outside("arrow", to)) {
            return Err(Refusal::Input(why));
        }
        plan.marks.push(mark(MarkKind::Arrow(from, to)));
    }
    for (flag, rects, shape) in
        [("rect", &args.rects, MarkKind::Rect as fn(_) -> _), ("ellipse", &args.ellipses, MarkKind::Ellipse)]
    {
        for r in rects {
            if r.x1 > width || r.y1 > height {
                return Err(Refusal::Input(format!(
                    "--{flag} {},{},{},{}: reaches ({}, {}), past the image's {width}x{height} pixels",
                    r.x0,
                    r.y0,
                    r.width(),
                    r.height(),
                    r.x1,
                    r.y1
                )));
            }
            plan.marks.push(mark(shape(*r)));
        }
    }
    if plan.marks.is_empty() {
        return Err(Refusal::Input("nothing to draw: give at least one --arrow, --rect, --ellipse or --pen".into()));
    }
    let png = plan.to_png().map_err(Refusal::Machine)?;
    crate::files::replace_file_atomically(&args.out, &png)
        .map_err(|e| Refusal::Machine(format!("--out {}: cannot write: {e}", shown(&args.out))))?;
    let marks = if plan.marks.len() == 1 { "1 mark".to_string() } else { format!("{} marks", plan.marks.len()) };
    Ok(format!("wrote {} ({width}x{height}, {marks} in {})", shown(&args.out), args.colour.name()))
}

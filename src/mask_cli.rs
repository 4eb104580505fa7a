//! `imgtui mask IMAGE --rect X,Y,W,H [--ellipse X,Y,W,H]… [--invert] --out MASK.png`: the
//! painter's mask file from shapes given in the image's pixels, for scripts; and `imgtui
//! markup IMAGE --arrow … --out MARKUP.png`, the painter's markup the same way.

use std::path::Path;
use std::process::ExitCode;

use crate::api::image_facts::ImageFacts;
use crate::cli::{MarkupArgs, MaskArgs};
use crate::mask::{MaskPlan, Op, PixelRect, Shape};
use crate::text::escape_controls;

pub fn run(args: &MaskArgs) -> ExitCode {
    report("mask", make(args))
}

pub fn run_markup(args: &MarkupArgs) -> ExitCode {
    report("markup", make_markup(args))
}

/// What `imgtui COMMAND` made, or why not: exit 2 for the arguments, 1 for the machine.
fn report(command: &str, made: Result<String, Refusal>) -> ExitCode {
    match made {
        Ok(summary) => {
            crate::outln!("{summary}");
            ExitCode::SUCCESS
        }
        Err(Refusal::Input(message)) => {
            eprintln!("imgtui {command}: {message}");
            ExitCode::from(2)
        }
        Err(Refusal::Machine(message)) => {
            eprintln!("imgtui {command}: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Why nothing was written: the arguments (exit 2) or the machine (exit 1).
enum Refusal {
    Input(String),
    Machine(String),
}

fn shown(path: &Path) -> String {
    escape_controls(&path.display().to_string())
}

/// The size of `image`, which `what` (a mask, markup) is made for and written to `out`:
/// refused when it cannot be read, is too large to paint over, or is `out` itself.
fn size_for(image: &Path, out: &Path, what: &str) -> Result<(u32, u32), Refusal> {
    let facts = ImageFacts::read(image).map_err(|e| Refusal::Input(format!("IMAGE {}: {e}", shown(image))))?;
    let (width, height) = (facts.width, facts.height);
    if u64::from(width) * u64::from(height) > crate::mask::MAX_PIXELS {
        let most = crate::mask::MAX_PIXELS / 1_000_000;
        return Err(Refusal::Input(format!(
            "IMAGE {} is {width}x{height}: too large for {what} (at most {most} megapixels)",
            shown(image)
        )));
    }
    if std::fs::canonicalize(out).ok() == std::fs::canonicalize(image).ok() {
        return Err(Refusal::Input(format!("--out {} is IMAGE itself: it would be replaced", shown(out))));
    }
    Ok((width, height))
}

/// Why the `--FLAG` area `r` is refused in an image of `width` x `height`: it reaches past it.
fn reaches_past(flag: &str, r: &PixelRect, (width, height): (u32, u32)) -> Option<String> {
    (r.x1 > width || r.y1 > height).then(|| {
        format!(
            "--{flag} {},{},{},{}: reaches ({}, {}), past the image's {width}x{height} pixels",
            r.x0,
            r.y0,
            r.width(),
            r.height(),
            r.x1,
            r.y1
        )
    })
}

fn write(out: &Path, png: Result<Vec<u8>, String>) -> Result<(), Refusal> {
    crate::files::replace_file_atomically(out, &png.map_err(Refusal::Machine)?)
        .map_err(|e| Refusal::Machine(format!("--out {}: cannot write: {e}", shown(out))))
}

/// Writes the mask and says what it covers, or says which argument is wrong.
fn make(args: &MaskArgs) -> Result<String, Refusal> {
    let (width, height) = size_for(&args.image, &args.out, "a mask")?;
    let plan = plan(args, width, height).map_err(Refusal::Input)?;
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
    write(&args.out, plan.to_png())?;
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
    let inside = |flag: &str, r: &PixelRect| reaches_past(flag, r, (width, height)).map_or(Ok(()), Err);
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

/// Writes the markup and says what it holds, or says which argument is wrong.
fn make_markup(args: &MarkupArgs) -> Result<String, Refusal> {
    use crate::mask::markup::{Mark, MarkKind, MarkupPlan, default_width};
    let (width, height) = size_for(&args.image, &args.out, "markup")?;
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
            if let Some(why) = reaches_past(flag, r, (width, height)) {
                return Err(Refusal::Input(why));
            }
            plan.marks.push(mark(shape(*r)));
        }
    }
    if plan.marks.is_empty() {
        return Err(Refusal::Input("nothing to draw: give at least one --arrow, --rect, --ellipse or --pen".into()));
    }
    write(&args.out, plan.to_png())?;
    let marks = if plan.marks.len() == 1 { "1 mark".to_string() } else { format!("{} marks", plan.marks.len()) };
    Ok(format!("wrote {} ({width}x{height}, {marks} in {})", shown(&args.out), args.colour.name()))
}

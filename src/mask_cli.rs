//! `imgtui mask IMAGE --rect X,Y,W,H [--ellipse X,Y,W,H]… [--invert] --out MASK.png`: the
//! painter's mask file from shapes given in the image's pixels, for scripts.

use std::process::ExitCode;

use crate::api::image_facts::ImageFacts;
use crate::cli::MaskArgs;
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

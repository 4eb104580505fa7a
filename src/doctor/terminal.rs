//! The terminal half of `doctor`: what it answered, what the environment says, tmux, the
//! protocol chosen and why, the cell size; then a test picture drawn both ways.

use std::io::IsTerminal;
use std::time::Duration;

use image::{DynamicImage, Rgba, RgbaImage};

use super::{Check, Verdict};
use crate::preview::{CellSource, Graphics, Probe};
use crate::show::{Canvas, print_image};

const WAIT: Duration = crate::preview::detect::COMMAND_WAIT;

/// Asks the terminal, when there is one to ask.
pub fn probe(choice: Graphics) -> Option<Probe> {
    (std::io::stdin().is_terminal() && std::io::stdout().is_terminal()).then(|| crate::preview::probe(choice, WAIT))
}

pub fn checks(probe: Option<&Probe>) -> Vec<Check> {
    let mut checks = vec![environment()];
    let Some(probe) = probe else {
        checks.push(Check::new(
            Verdict::Warn,
            "terminal",
            "standard input or output is not a terminal: nothing was asked and no picture is drawn",
        ));
        return checks;
    };
    checks.extend([answers(probe), kitty(probe), sixel(probe), background(probe), cell(probe), tmux(probe)]);
    let graphics = probe.detection.graphics;
    let tmux_open = probe.tmux.as_ref().is_some_and(crate::preview::detect::TmuxInfo::passes_through);
    checks.push(match &probe.detection.note {
        Some(note) => Check::new(Verdict::Warn, "protocol", note.clone()),
        // tmux answers DA1 itself: the outer terminal's sixel is not seen.
        None if tmux_open && graphics == Graphics::Blocks => Check::new(
            Verdict::Warn,
            "protocol",
            format!(
                "{graphics}: {}; inside tmux the device attributes are tmux's own, so a sixel terminal around \
                 it is not seen: `--graphics sixel` (or graphics = \"sixel\" in the config) if yours draws sixel",
                probe.reason
            ),
        ),
        None => Check::new(Verdict::Ok, "protocol", format!("{graphics}: {}", probe.reason)),
    });
    checks
}

fn environment() -> Check {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (term, colorterm) = (var("TERM"), var("COLORTERM"));
    let detail = format!(
        "TERM={} COLORTERM={}",
        term.as_deref().unwrap_or("(unset)"),
        colorterm.as_deref().unwrap_or("(unset)")
    );
    match term.as_deref() {
        None | Some("dumb") => {
            Check::new(Verdict::Warn, "environment", format!("{detail}: keys and colours need a real TERM"))
        }
        Some(t) if t.starts_with("screen") && !t.contains("256") => Check::new(
            Verdict::Warn,
            "environment",
            format!("{detail}: tmux maps colours down to 8; `set -g default-terminal tmux-256color` in ~/.tmux.conf"),
        ),
        Some(_) => Check::new(Verdict::Ok, "environment", detail),
    }
}

fn answers(probe: &Probe) -> Check {
    if !probe.asked {
        return Check::new(
            Verdict::Warn,
            "answers",
            "not asked: inside tmux without allow-passthrough no query reaches the terminal",
        );
    }
    let a = &probe.answers;
    if !a.answered {
        return Check::new(
            Verdict::Warn,
            "answers",
            format!("the terminal answered nothing within {} s", WAIT.as_secs()),
        );
    }
    let name = a.name.as_deref().map_or("no answer".to_string(), |n| format!("\"{n}\""));
    let da1 = a.da1.as_deref().map_or("no answer".to_string(), |d| format!("?{d}c"));
    Check::new(Verdict::Ok, "answers", format!("XTVERSION {name} · device attributes (DA1) {da1}"))
}

fn kitty(probe: &Probe) -> Check {
    let detail = match (probe.asked, probe.answers.kitty) {
        (_, true) => "answered OK: the kitty graphics protocol works",
        (true, false) => "no answer: not a kitty-protocol terminal",
        (false, false) => "not asked",
    };
    Check::new(Verdict::Ok, "kitty query", detail)
}

fn sixel(probe: &Probe) -> Check {
    let detail = match (&probe.answers.da1, probe.answers.sixel) {
        (Some(_), true) => "DA1 lists 4: sixel works",
        (Some(_), false) => "DA1 does not list 4: no sixel",
        (None, _) if !probe.asked => "not asked",
        (None, _) => "no DA1 answer",
    };
    Check::new(Verdict::Ok, "sixel", detail)
}

fn background(probe: &Probe) -> Check {
    match (&probe.answers.background, probe.answers.light_background) {
        (None, _) if !probe.asked => Check::new(Verdict::Ok, "background", "not asked: the auto theme is dark"),
        (Some(colour), Some(light)) => {
            let theme = if light { "light" } else { "dark" };
            Check::new(Verdict::Ok, "background", format!("{colour}: the auto theme is {theme}"))
        }
        (Some(colour), None) => {
            Check::new(Verdict::Warn, "background", format!("{colour} is no rgb: colour; the auto theme is dark"))
        }
        (None, _) => Check::new(
            Verdict::Warn,
            "background",
            "no answer to OSC 11: the auto theme is dark (`theme = \"light\"` in the config for a light one)",
        ),
    }
}

fn cell(probe: &Probe) -> Check {
    let cell = &probe.cell;
    let said = |size: Option<crate::preview::CellSize>| size.map_or("no answer".to_string(), |s| s.to_string());
    let detail = format!(
        "{} from {} · CSI 16 t: {} · CSI 14 t: {} · window size (ioctl): {}",
        cell.size,
        cell.source,
        said(cell.asked),
        said(cell.asked_area),
        cell.ioctl.map_or("0 (not reported)".to_string(), |s| s.to_string()),
    );
    if cell.source == CellSource::Guessed {
        return Check::new(Verdict::Warn, "cell size", format!("{detail}: pictures may be out of shape"));
    }
    match cell.disagreement() {
        Some((asked, ioctl)) => Check::new(
            Verdict::Warn,
            "cell size",
            format!("{detail}: the terminal says {asked} and the ioctl {ioctl}; the terminal's answer is used"),
        ),
        None => Check::new(Verdict::Ok, "cell size", detail),
    }
}

fn tmux(probe: &Probe) -> Check {
    let Some(tmux) = &probe.tmux else { return Check::new(Verdict::Ok, "tmux", "not inside tmux") };
    let version = tmux.version.as_deref().unwrap_or("tmux (version unknown)");
    let passthrough = tmux.passthrough.as_deref().unwrap_or("unknown");
    if tmux.passes_through() {
        Check::new(Verdict::Ok, "tmux", format!("{version}, allow-passthrough {passthrough}"))
    } else {
        Check::new(
            Verdict::Warn,
            "tmux",
            format!(
                "{version}, allow-passthrough {passthrough}: only half-blocks; `tmux set -g allow-passthrough on` \
                 lets pixels through"
            ),
        )
    }
}

/// The test picture with the protocol in use, then with half-blocks, so both can be compared.
pub fn test_pictures(probe: &Probe) {
    let canvas = Canvas::of(probe);
    if canvas.graphics == Graphics::None {
        return;
    }
    let picture = DynamicImage::ImageRgba8(test_picture());
    let mut ways = vec![canvas];
    if !matches!(canvas.graphics, Graphics::Blocks) {
        ways.push(Canvas { graphics: Graphics::Blocks, ..canvas });
    }
    for way in ways {
        crate::outln!("\nTest picture, {} (a round circle, a smooth rainbow):", way.graphics);
        let cells = way.fit((picture.width(), picture.height()), Some(24));
        if let Err(e) = print_image(&way, &picture, cells) {
            crate::outln!("(cannot draw it: {e})");
        }
    }
}

/// 160x80: a circle on the left (out of round when the cell size is wrong), a rainbow on the
/// right (banded with too few colours).
fn test_picture() -> RgbaImage {
    RgbaImage::from_fn(160, 80, |x, y| {
        if x < 80 {
            let (dx, dy) = (f64::from(x) - 39.5, f64::from(y) - 39.5);
            let inside = dx * dx + dy * dy <= 34.0 * 34.0;
            if inside { Rgba([230, 80, 60, 255]) } else { Rgba([40, 40, 48, 255]) }
        } else {
            let hue = f64::from(x - 80) / 80.0 * 6.0;
            let light = 1.0 - f64::from(y) / 160.0;
            let channel = |offset: f64| {
                let d = ((hue - offset).rem_euclid(6.0) - 3.0).abs();
                ((d - 1.0).clamp(0.0, 1.0) * 255.0 * light) as u8
            };
            Rgba([channel(0.0), channel(2.0), channel(4.0), 255])
        }
    })
}

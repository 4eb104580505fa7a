//! An animated GIF printed into the scrollback, playing: kitty is sent every frame once with
//! its time and plays them itself, for as long as the image is on screen (scrolled back too);
//! iTerm2 is sent the GIF, which it plays; sixel and half-blocks play it once in place, each
//! frame drawn over the last at its time, and stop on the first frame.

use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

use image::DynamicImage;

use super::print::{Canvas, Drawer, print_image};
use crate::preview::Graphics;
use crate::preview::encode::{self, wrap_for_tmux};

/// The most frames played (gpt-image-2.6 sends at most 16).
const MOST_FRAMES: usize = 32;
/// The longest one play-through in place may take: a slow GIF is cut short, not waited for.
const MOST_PLAYING: Duration = Duration::from_secs(10);
/// The largest GIF sent to iTerm2 whole.
const ITERM_GIF_BYTES: u64 = 8 << 20;

/// The frames of the GIF at `path` with their time (ms), fitted to what `cells` show; fewer
/// than two: not an animation.
fn frames(path: &Path) -> Result<Vec<(DynamicImage, u32)>, String> {
    let mut frames = Vec::new();
    crate::files::visit_gif_frames(path, |frame| {
        let (numer, denom) = frame.delay().numer_denom_ms();
        let ms = (numer / denom.max(1)).max(20);
        frames.push((DynamicImage::ImageRgba8(frame.into_buffer()), ms));
        frames.len() < MOST_FRAMES
    })?;
    Ok(frames)
}

/// Prints the GIF at `path` in `cells`, playing where the terminal can. False: it is no
/// animation (one frame, or unreadable): the caller prints it as a still image.
pub fn print_gif(canvas: &Canvas, path: &Path, cells: (u16, u16)) -> io::Result<bool> {
    let Ok(frames) = frames(path) else { return Ok(false) };
    if frames.len() < 2 {
        return Ok(false);
    }
    match (canvas.graphics, canvas.drawer()) {
        (Graphics::Kitty, Drawer::Own) => kitty(canvas, &frames, cells).map(|()| true),
        (Graphics::Iterm, _) => match crate::files::read_regular(path, ITERM_GIF_BYTES) {
            Ok(gif) => iterm(canvas, &gif, cells).map(|()| true),
            Err(_) => in_place(canvas, &frames, cells).map(|()| true),
        },
        _ => in_place(canvas, &frames, cells).map(|()| true),
    }
}

/// An image id for this print, unlikely to meet another program's in the same terminal.
fn image_id() -> u32 {
    (std::process::id() << 8 | rand::random::<u32>() & 0xff) & 0x7fff_ffff | 1
}

fn png_at(canvas: &Canvas, image: &DynamicImage, (cols, rows): (u16, u16)) -> io::Result<Vec<u8>> {
    let target = (u32::from(cols) * u32::from(canvas.cell.width), u32::from(rows) * u32::from(canvas.cell.height));
    let fitted = if image.width() > target.0 || image.height() > target.1 {
        image.resize(target.0.max(1), target.1.max(1), image::imageops::FilterType::Triangle)
    } else {
        image.clone()
    };
    let mut png = Vec::new();
    fitted.write_to(&mut io::Cursor::new(&mut png), image::ImageFormat::Png).map_err(io::Error::other)?;
    Ok(png)
}

/// Room made first, the frames sent and placed at the top, the cursor put below (as a still
/// image is printed: see `print::with_own_encoders`).
fn kitty(canvas: &Canvas, frames: &[(DynamicImage, u32)], cells: (u16, u16)) -> io::Result<()> {
    let (cols, rows) = cells;
    let id = image_id();
    let mut sequences = encode::kitty_transmit(id, &png_at(canvas, &frames[0].0, cells)?);
    sequences.push(encode::kitty_place(id, 1, cols, rows));
    for (frame, ms) in &frames[1..] {
        sequences.extend(encode::kitty_frame(id, &png_at(canvas, frame, cells)?, *ms));
    }
    sequences.push(encode::kitty_play(id, frames[0].1));
    let mut out = io::stdout().lock();
    out.write_all("\n".repeat(usize::from(rows)).as_bytes())?;
    write!(out, "\x1b[{rows}A\r\x1b7")?;
    for sequence in sequences {
        out.write_all(&if canvas.tmux { wrap_for_tmux(&sequence) } else { sequence })?;
    }
    write!(out, "\x1b8\x1b[{rows}B\r")?;
    out.flush()
}

fn iterm(canvas: &Canvas, gif: &[u8], (cols, rows): (u16, u16)) -> io::Result<()> {
    let sequence = encode::iterm_show(gif, cols, rows);
    let mut out = io::stdout().lock();
    out.write_all(&if canvas.tmux { wrap_for_tmux(&sequence) } else { sequence })?;
    writeln!(out)?;
    out.flush()
}

/// Each frame drawn over the last at its time, once, then the first again (what a still
/// preview of it shows).
fn in_place(canvas: &Canvas, frames: &[(DynamicImage, u32)], cells: (u16, u16)) -> io::Result<()> {
    let rows = cells.1;
    print_image(canvas, &frames[0].0, cells)?;
    let started = std::time::Instant::now();
    let order = frames.iter().skip(1).chain(frames.first());
    let mut wait = frames[0].1;
    for (frame, ms) in order {
        let pause = Duration::from_millis(u64::from(wait));
        // A slow GIF is cut short before its wait, not after.
        if started.elapsed() + pause > MOST_PLAYING {
            break;
        }
        // A GIF's own timing: the delay is the frame's, not a synchronisation.
        std::thread::sleep(pause);
        let mut out = io::stdout().lock();
        write!(out, "\x1b[{rows}A\r")?;
        out.flush()?;
        drop(out);
        super::print::print_over(canvas, frame, cells)?;
        wait = *ms;
    }
    Ok(())
}

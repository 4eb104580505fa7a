//! One image printed at the cursor into the normal screen, so it stays in the scrollback.
//! viuer prints half-blocks, and iTerm2 where its own check (environment variables) agrees:
//! neither asks the terminal anything. Kitty and sixel are drawn by imgtui's encoders: viuer
//! asks the terminal again before drawing them and reads the answer with a blocking read, so a
//! terminal that answered imgtui's queries but not viuer's repeat left it waiting for ever.
//! Inside tmux viuer does not wrap its sequences for passthrough: imgtui's encoders draw there.

use std::io::{self, Write};

use image::DynamicImage;

use crate::cell_size::fit_cells;
use crate::preview::encode::{self, wrap_for_tmux};
use crate::preview::{CellSize, Graphics, Probe};

/// What the terminal is, for printing: the protocol, tmux, the cell size and the screen.
#[derive(Clone, Copy, Debug)]
pub struct Canvas {
    pub graphics: Graphics,
    pub tmux: bool,
    pub truecolor: bool,
    pub cell: CellSize,
    /// The screen in cells.
    pub screen: (u16, u16),
}

impl Canvas {
    pub fn of(probe: &Probe) -> Self {
        Self {
            graphics: probe.detection.graphics,
            tmux: probe.detection.tmux,
            truecolor: truecolor(probe),
            cell: probe.cell.size,
            screen: screen_size(),
        }
    }

    /// The cells an image of `pixels` takes: as wide as asked (else the screen, and no wider
    /// than its own pixels with a pixel protocol), and short enough to be seen whole with its
    /// caption above it.
    pub fn fit(&self, pixels: (u32, u32), width: Option<u16>) -> (u16, u16) {
        let (columns, rows) = self.screen;
        let native = u32::div_ceil(pixels.0, u32::from(self.cell.width.max(1)));
        let natural = match self.is_blocks() {
            true => columns,
            false => columns.min(u16::try_from(native).unwrap_or(u16::MAX)),
        };
        let wide = width.unwrap_or(natural).clamp(1, columns.max(1));
        let tall = rows.saturating_sub(2).max(4);
        // The cell's real shape, half-blocks too: their two pixels a cell are only square in
        // cells twice as tall as wide.
        fit_cells(pixels, (wide, tall), self.cell)
    }

    fn is_blocks(&self) -> bool {
        !matches!(self.graphics, Graphics::Kitty | Graphics::Iterm | Graphics::Sixel)
    }

    /// Who draws: viuer, or imgtui's encoders (see the module's note).
    pub fn drawer(&self) -> Drawer {
        match self.graphics {
            _ if self.is_blocks() => Drawer::Viuer,
            _ if self.tmux => Drawer::Own,
            Graphics::Iterm if viuer::is_iterm_supported() => Drawer::Viuer,
            _ => Drawer::Own,
        }
    }
}

/// The screen in cells; a size of 0 (some SSH clients, mosh) is no size: COLUMNS and LINES,
/// else 80x24.
fn screen_size() -> (u16, u16) {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u16>().ok()).filter(|n| *n > 0);
    let (cols, rows) = crossterm::terminal::size().unwrap_or((0, 0));
    let cols = if cols > 0 { cols } else { env("COLUMNS").unwrap_or(80) };
    let rows = if rows > 0 { rows } else { env("LINES").unwrap_or(24) };
    (cols, rows)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Drawer {
    Viuer,
    Own,
}

/// True colour: COLORTERM says so (SSH rarely forwards it), or the terminal that answered is
/// one known to draw 24-bit colour.
fn truecolor(probe: &Probe) -> bool {
    let colorterm = std::env::var("COLORTERM").is_ok_and(|v| v.contains("truecolor") || v.contains("24bit"));
    let name = probe.answers.name.as_deref().unwrap_or_default().to_ascii_lowercase();
    let known = ["kitty", "wezterm", "iterm", "foot", "ghostty", "konsole", "contour", "xterm"];
    colorterm || probe.answers.kitty || known.iter().any(|k| name.contains(k))
}

/// Prints `image` at the cursor in `cells`, and leaves the cursor at the start of the line
/// below it.
pub fn print_image(canvas: &Canvas, image: &DynamicImage, cells: (u16, u16)) -> io::Result<()> {
    draw(canvas, image, cells, true)
}

/// As `print_image`, with the cursor at the top of the rows the image had (an animation's next
/// frame over its last): no room is made.
pub fn print_over(canvas: &Canvas, image: &DynamicImage, cells: (u16, u16)) -> io::Result<()> {
    draw(canvas, image, cells, false)
}

fn draw(canvas: &Canvas, image: &DynamicImage, cells: (u16, u16), make_room: bool) -> io::Result<()> {
    // Only the pixels the cells show are sent: a 1024-pixel image in 40 columns of 10 pixels
    // is 400 pixels wide, which matters over SSH.
    let (cols, rows) = cells;
    let target = match canvas.is_blocks() {
        true => (u32::from(cols), u32::from(rows) * 2),
        false => (u32::from(cols) * u32::from(canvas.cell.width), u32::from(rows) * u32::from(canvas.cell.height)),
    };
    // Sixel has no size of its own in cells: its pixels are exactly what it covers.
    let exact = canvas.graphics == Graphics::Sixel && canvas.drawer() == Drawer::Own;
    let image = if exact || image.width() > target.0 || image.height() > target.1 {
        image.resize_exact(target.0.max(1), target.1.max(1), image::imageops::FilterType::Triangle)
    } else {
        image.clone()
    };
    match canvas.drawer() {
        Drawer::Viuer => with_viuer(canvas, &image, cells),
        Drawer::Own => with_own_encoders(canvas, &image, cells, make_room),
    }
}

/// Half-blocks and iTerm2 through viuer: neither asks the terminal, so nothing is read.
fn with_viuer(canvas: &Canvas, image: &DynamicImage, (cols, rows): (u16, u16)) -> io::Result<()> {
    let config = viuer::Config {
        absolute_offset: false,
        width: Some(u32::from(cols)),
        height: Some(u32::from(rows)),
        truecolor: canvas.truecolor,
        use_kitty: false,
        use_iterm: canvas.graphics == Graphics::Iterm,
        use_sixel: false,
        ..viuer::Config::default()
    };
    io::stdout().flush()?;
    // viuer's own errors are its Debug text: said as a sentence, its words escaped.
    viuer::print(image, &config).map_err(|e| {
        io::Error::other(format!("the picture could not be drawn ({})", crate::text::escape_controls(&e.to_string())))
    })?;
    io::stdout().flush()
}

/// Room is made first (the screen scrolls now, not under the image), the image is drawn at
/// its top without moving the cursor, and the cursor is then put below it: tmux does not move
/// its cursor for what passes through it.
fn with_own_encoders(
    canvas: &Canvas,
    image: &DynamicImage,
    (cols, rows): (u16, u16),
    make_room: bool,
) -> io::Result<()> {
    let rgba = image.to_rgba8();
    let sequences: Vec<Vec<u8>> = match canvas.graphics {
        Graphics::Kitty => encode::kitty_show_at_cursor(&png_of(image)?, cols, rows),
        Graphics::Iterm => vec![encode::iterm_show(&png_of(image)?, cols, rows)],
        _ => vec![encode::sixel(rgba.as_raw(), rgba.width(), rgba.height()).map_err(io::Error::other)?],
    };
    let mut out = io::stdout().lock();
    if make_room {
        out.write_all("\n".repeat(usize::from(rows)).as_bytes())?;
        write!(out, "\x1b[{rows}A\r")?;
    }
    write!(out, "\x1b7")?;
    for sequence in sequences {
        out.write_all(&if canvas.tmux { wrap_for_tmux(&sequence) } else { sequence })?;
    }
    write!(out, "\x1b8\x1b[{rows}B\r")?;
    out.flush()
}

fn png_of(image: &DynamicImage) -> io::Result<Vec<u8>> {
    let mut png = Vec::new();
    image.write_to(&mut io::Cursor::new(&mut png), image::ImageFormat::Png).map_err(io::Error::other)?;
    Ok(png)
}

//! The half-block preview: each cell shows two pixels, the upper as the foreground of `▀` and
//! the lower as the background. Drawn into ratatui's buffer, so it diffs like any other cell.

use image::RgbaImage;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::widgets::Widget;

pub struct HalfBlocks<'a> {
    pub pixels: &'a RgbaImage,
    /// 24-bit colour; otherwise the nearest of the 256-colour palette (safe over SSH).
    pub truecolor: bool,
}

impl Widget for HalfBlocks<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (w, h) = self.pixels.dimensions();
        for row in 0..area.height.min((h / 2) as u16) {
            for col in 0..area.width.min(w as u16) {
                let top = self.pixels.get_pixel(u32::from(col), u32::from(row) * 2);
                let bottom = self.pixels.get_pixel(u32::from(col), u32::from(row) * 2 + 1);
                if let Some(cell) = buf.cell_mut((area.x + col, area.y + row)) {
                    cell.set_symbol("▀").set_fg(self.color(top.0)).set_bg(self.color(bottom.0));
                }
            }
        }
    }
}

impl HalfBlocks<'_> {
    fn color(&self, [r, g, b, a]: [u8; 4]) -> Color {
        if a < 128 {
            Color::Reset
        } else if self.truecolor {
            Color::Rgb(r, g, b)
        } else {
            Color::Indexed(ansi256(r, g, b))
        }
    }
}

/// The nearest colour of xterm's 256-colour palette (the 6x6x6 cube or the grey ramp).
pub fn ansi256(r: u8, g: u8, b: u8) -> u8 {
    let level = |v: u8| -> u8 {
        if v < 48 {
            0
        } else if v < 115 {
            1
        } else {
            ((v - 35) / 40).min(5)
        }
    };
    let value = |l: u8| if l == 0 { 0 } else { 55 + 40 * i32::from(l) };
    let (lr, lg, lb) = (level(r), level(g), level(b));
    let cube = 16 + 36 * lr + 6 * lg + lb;
    let grey_level = ((i32::from(r) + i32::from(g) + i32::from(b)) / 3 - 3).clamp(0, 230) / 10;
    let grey_value = 8 + 10 * grey_level;
    let distance = |cr: i32, cg: i32, cb: i32| {
        (i32::from(r) - cr).pow(2) + (i32::from(g) - cg).pow(2) + (i32::from(b) - cb).pow(2)
    };
    let cube_distance = distance(value(lr), value(lg), value(lb));
    if distance(grey_value, grey_value, grey_value) < cube_distance { 232 + grey_level as u8 } else { cube }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgba;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    #[test]
    fn two_pixels_per_cell_upper_in_front() {
        let mut pixels = RgbaImage::from_pixel(3, 4, Rgba([255, 0, 0, 255]));
        pixels.put_pixel(1, 1, Rgba([0, 0, 255, 255]));
        pixels.put_pixel(2, 3, Rgba([0, 0, 0, 0]));
        let mut terminal = Terminal::new(TestBackend::new(5, 3)).unwrap();
        terminal
            .draw(|f| f.render_widget(HalfBlocks { pixels: &pixels, truecolor: true }, Rect::new(1, 0, 3, 2)))
            .unwrap();
        let buf = terminal.backend().buffer();
        let cell = &buf[(2, 0)];
        assert_eq!((cell.symbol(), cell.fg, cell.bg), ("▀", Color::Rgb(255, 0, 0), Color::Rgb(0, 0, 255)));
        assert_eq!(buf[(3, 1)].bg, Color::Reset, "transparent shows the terminal's background");
        assert_eq!(buf[(0, 0)].symbol(), " ", "nothing outside the area");
        assert_eq!(buf[(1, 2)].symbol(), " ", "nothing below the image");
    }

    #[test]
    fn palette_approximation() {
        assert_eq!(ansi256(0, 0, 0), 16);
        assert_eq!(ansi256(255, 0, 0), 196);
        assert_eq!(ansi256(128, 128, 128), 244);
        assert_eq!(ansi256(255, 255, 255), 231);
    }
}

//! The painter on screen: the model (`mask::Painter`, and in markup mode `mask::Marking`), the
//! image it paints over, and where its cells are. The picture fills the screen but the status
//! row, as in the viewer.

use std::path::PathBuf;

use ratatui::layout::Rect;

use crate::mask::marking::{Marking, centre_of};
use crate::mask::{Grid, Painter};
use crate::preview::CellSize;

#[derive(Clone, Debug, PartialEq)]
pub struct PainterView {
    pub painter: Painter,
    /// The first input image.
    pub image: PathBuf,
    /// Markup mode (marks in colour that say what to change), else a mask is painted.
    pub marking: Option<Marking>,
}

impl PainterView {
    /// A painter over `image` (of `size` pixels) on a screen of `screen` cells.
    pub fn new(image: PathBuf, size: (u32, u32), screen: (u16, u16), cell: CellSize) -> Self {
        let grid = Grid::fit(size, Self::area(screen), cell);
        Self { painter: Painter::new(grid), image, marking: None }
    }

    /// A painter of markup over `image`.
    pub fn markup(image: PathBuf, size: (u32, u32), screen: (u16, u16), cell: CellSize) -> Self {
        Self { marking: Some(Marking::new(size)), ..Self::new(image, size, screen, cell) }
    }

    /// The centre of the cursor's cell, in the image's pixels.
    pub fn cursor_point(&self) -> (f32, f32) {
        centre_of(&self.painter.grid, self.painter.cursor)
    }

    /// Whether there is anything painted or drawn to save or lose.
    pub fn changed(&self) -> bool {
        match &self.marking {
            Some(marking) => marking.changed(),
            None => self.painter.changed(),
        }
    }

    /// The cells the picture may use.
    pub fn area(screen: (u16, u16)) -> (u16, u16) {
        (screen.0.max(1), screen.1.saturating_sub(1).max(1))
    }

    /// The screen or cell size changed: the picture is fitted again.
    pub fn refit(&mut self, screen: (u16, u16), cell: CellSize) {
        let grid = Grid::fit(self.painter.grid.image, Self::area(screen), cell);
        if grid != self.painter.grid {
            self.painter.regrid(grid);
        }
    }

    /// The screen cells the picture covers (centred in its area, as previews are).
    pub fn picture_rect(&self, screen: (u16, u16)) -> Rect {
        let (width, height) = Self::area(screen);
        let grid = self.painter.grid;
        let (cols, rows) = (grid.cols.min(width), grid.rows.min(height));
        Rect::new((width - cols) / 2, (height - rows) / 2, cols, rows)
    }

    /// The painter's cell at screen cell (x, y), if the picture is there.
    pub fn cell_at(&self, screen: (u16, u16), x: u16, y: u16) -> Option<(u16, u16)> {
        let rect = self.picture_rect(screen);
        rect.contains(ratatui::layout::Position { x, y }).then(|| (x - rect.x, y - rect.y))
    }
}

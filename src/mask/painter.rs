//! The mask painter's model, apart from any terminal: a cell cursor over the picture, shapes
//! and brush dabs turned into geometry in the image's pixels, undo and redo. A cell covers the
//! image pixels the terminal shows in it: the picture is stretched over exactly `Grid` cells, and
//! a pixel is under the cell its centre falls in (pixel `x` under column `(2x + 1) * cols / 2w`).

use super::canvas::Canvas;
use super::shapes::{MaskPlan, Op, PixelRect, Shape};
use crate::cell_size::CellSize;

/// The cells the picture covers, and the image's pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Grid {
    pub cols: u16,
    pub rows: u16,
    pub image: (u32, u32),
}

impl Grid {
    /// The picture fitted into `area` cells, as the previews fit it.
    pub fn fit(image: (u32, u32), area: (u16, u16), cell: CellSize) -> Self {
        let (cols, rows) = crate::cell_size::fit_cells(image, area, cell);
        Self { cols, rows, image }
    }

    /// The pixels under cells `a` to `b` (corners, both included).
    pub fn pixels_of(&self, a: (u16, u16), b: (u16, u16)) -> PixelRect {
        // The first pixel whose centre is at or past the cell's left (top) side.
        let edge = |cell: u16, cells: u16, pixels: u32| {
            let (cell, cells) = (u64::from(cell.min(cells)), u64::from(cells.max(1)));
            ((2 * cell * u64::from(pixels) + cells - 1) / (2 * cells)) as u32
        };
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0) + 1);
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1) + 1);
        PixelRect {
            x0: edge(x0, self.cols, self.image.0),
            y0: edge(y0, self.rows, self.image.1),
            x1: edge(x1, self.cols, self.image.0),
            y1: edge(y1, self.rows, self.image.1),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tool {
    Brush,
    Rect,
    Ellipse,
    /// Markup only: a line with a head, from the anchor to the cursor.
    Arrow,
}

/// Largest brush, in cells.
pub const MAX_BRUSH: u16 = 15;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Painter {
    pub grid: Grid,
    pub cursor: (u16, u16),
    pub tool: Tool,
    /// The brush's side, in cells (odd sizes centre on the cursor).
    pub brush: u16,
    /// Painting protects again instead of marking for edit.
    pub erase: bool,
    /// The brush paints every cell the cursor passes (Space toggles).
    pub pen_down: bool,
    /// Where the rectangle or ellipse being drawn started.
    pub anchor: Option<(u16, u16)>,
    done: Vec<Vec<Op>>,
    undone: Vec<Vec<Op>>,
    /// The brush stroke under way: one step for undo when the pen lifts.
    stroke: Vec<Op>,
    /// The mask as pixels: `start`, `done` and `stroke` applied.
    canvas: Canvas,
    /// The existing mask the painting started from.
    start: Option<super::shapes::Start>,
}

impl Painter {
    pub fn new(grid: Grid) -> Self {
        Self {
            grid,
            cursor: (grid.cols / 2, grid.rows / 2),
            tool: Tool::Brush,
            brush: 1,
            erase: false,
            pen_down: false,
            anchor: None,
            done: Vec::new(),
            undone: Vec::new(),
            stroke: Vec::new(),
            canvas: Canvas::new(grid.image.0, grid.image.1),
            start: None,
        }
    }

    /// The mask as pixels, for drawing it over the picture.
    pub fn canvas(&self) -> &Canvas {
        &self.canvas
    }

    /// The rectangle or ellipse being drawn, not yet fixed.
    pub fn pending(&self) -> Option<Op> {
        self.pending_shape()
    }

    /// A new grid (the terminal was resized): the cursor and a shape's first corner stay on
    /// the same part of the image. Shapes are in pixels, so they do not move.
    pub fn regrid(&mut self, grid: Grid) {
        let scale = |at: u16, from: u16, to: u16| (u32::from(at) * u32::from(to) / u32::from(from.max(1))) as u16;
        let (from, to) = (self.grid, grid);
        let moved = move |cell: (u16, u16)| {
            (
                scale(cell.0, from.cols, to.cols).min(to.cols.saturating_sub(1)),
                scale(cell.1, from.rows, to.rows).min(to.rows.saturating_sub(1)),
            )
        };
        // A shape under way stays under way, its corner on the same part of the image.
        (self.cursor, self.anchor) = (moved(self.cursor), self.anchor.map(moved));
        self.grid = grid;
    }

    /// Moves the cursor by (dx, dy) cells, staying on the picture; with the pen down, every
    /// cell on the way is painted.
    pub fn move_by(&mut self, dx: i32, dy: i32) {
        let steps = dx.abs().max(dy.abs());
        for _ in 0..steps {
            let step = |at: u16, d: i32, cells: u16| (i32::from(at) + d.signum()).clamp(0, i32::from(cells) - 1) as u16;
            self.cursor = (step(self.cursor.0, dx, self.grid.cols), step(self.cursor.1, dy, self.grid.rows));
            if self.pen_down {
                self.dab();
            }
        }
    }

    /// Puts the cursor on `cell` (a mouse press or drag), painting there when `paint`.
    pub fn point_at(&mut self, cell: (u16, u16), paint: bool) {
        self.cursor = (cell.0.min(self.grid.cols.saturating_sub(1)), cell.1.min(self.grid.rows.saturating_sub(1)));
        if paint {
            self.tool = Tool::Brush;
            self.dab();
        }
    }

    /// A mouse drag to `cell`: every cell on the way from the cursor is painted, so a fast
    /// drag (the terminal reports only some of the cells it crossed) leaves no gaps.
    pub fn drag_to(&mut self, cell: (u16, u16)) {
        let last = (self.grid.cols.saturating_sub(1), self.grid.rows.saturating_sub(1));
        let target = (cell.0.min(last.0), cell.1.min(last.1));
        self.tool = Tool::Brush;
        while self.cursor != target {
            let step = |at: u16, to: u16| match at.cmp(&to) {
                std::cmp::Ordering::Less => at + 1,
                std::cmp::Ordering::Greater => at - 1,
                std::cmp::Ordering::Equal => at,
            };
            self.cursor = (step(self.cursor.0, target.0), step(self.cursor.1, target.1));
            self.dab();
        }
    }

    /// Space: the brush goes down (painting here) or up (the stroke becomes one step).
    pub fn toggle_pen(&mut self) {
        self.tool = Tool::Brush;
        self.anchor = None;
        self.pen_down = !self.pen_down;
        if self.pen_down {
            self.dab();
        } else {
            self.end_stroke();
        }
    }

    /// Ends a mouse drag or a pen stroke: one step for undo.
    pub fn end_stroke(&mut self) {
        self.pen_down = false;
        if !self.stroke.is_empty() {
            // Its dabs are on the canvas already.
            let stroke = std::mem::take(&mut self.stroke);
            self.done.push(stroke);
            self.undone.clear();
        }
    }

    /// `r` or `o`: a rectangle or ellipse starts at the cursor (again: it is dropped).
    pub fn start_shape(&mut self, tool: Tool) {
        self.end_stroke();
        if self.anchor.is_some() && self.tool == tool {
            self.anchor = None;
            self.tool = Tool::Brush;
            return;
        }
        self.tool = tool;
        self.anchor = Some(self.cursor);
    }

    /// Enter: fixes the shape being drawn and says true; with none, false (the caller saves).
    pub fn confirm(&mut self) -> bool {
        let Some(op) = self.pending_shape() else { return false };
        self.anchor = None;
        self.tool = Tool::Brush;
        self.push(vec![op]);
        true
    }

    /// `[`/`]`: the brush one cell smaller or larger.
    pub fn resize_brush(&mut self, by: i16) {
        self.brush = self.brush.saturating_add_signed(by).clamp(1, MAX_BRUSH);
    }

    pub fn toggle_erase(&mut self) {
        self.erase = !self.erase;
    }

    pub fn invert(&mut self) {
        self.end_stroke();
        self.push(vec![Op::Invert]);
    }

    pub fn clear(&mut self) {
        self.end_stroke();
        self.anchor = None;
        // Something to clear: painting done here, or the mask it started from.
        if self.canvas.coverage() > 0.0 {
            self.push(vec![Op::Clear]);
        }
    }

    pub fn undo(&mut self) {
        self.end_stroke();
        if let Some(step) = self.done.pop() {
            self.undone.push(step);
            self.canvas.rebuild(self.done.iter().flatten());
        }
    }

    pub fn redo(&mut self) {
        self.end_stroke();
        if let Some(step) = self.undone.pop() {
            step.iter().for_each(|op| self.canvas.apply(op));
            self.done.push(step);
        }
    }

    /// Whether there is anything painted to save or lose.
    pub fn changed(&self) -> bool {
        !self.done.is_empty() || !self.stroke.is_empty()
    }

    /// The mask as painted (with the stroke under way), for saving.
    pub fn plan(&self) -> MaskPlan {
        let (width, height) = self.grid.image;
        let ops = self.done.iter().flatten().chain(&self.stroke).copied().collect();
        MaskPlan { width, height, start: self.start.clone(), ops }
    }

    /// Paints from an existing mask (painted where `start` is true, row by row): what was
    /// painted here already stays on top of it.
    pub fn start_from(&mut self, start: std::sync::Arc<Vec<bool>>) {
        let (width, height) = self.grid.image;
        if start.len() != width as usize * height as usize {
            return;
        }
        self.start = Some(super::shapes::Start(start.clone()));
        self.canvas.start_from(start, self.done.iter().flatten().chain(&self.stroke));
    }

    /// What the screen shows: the plan and the shape being drawn.
    #[cfg(any(test, feature = "internals"))]
    pub fn shown_plan(&self) -> MaskPlan {
        let mut plan = self.plan();
        plan.ops.extend(self.pending_shape());
        plan
    }

    /// The cells the cursor (a brush shows its size) covers: corners.
    pub fn cursor_cells(&self) -> ((u16, u16), (u16, u16)) {
        match (self.tool, self.anchor) {
            (Tool::Brush, _) | (_, None) => self.brush_cells(),
            (_, Some(anchor)) => (anchor, self.cursor),
        }
    }

    fn pending_shape(&self) -> Option<Op> {
        let anchor = self.anchor?;
        let rect = self.grid.pixels_of(anchor, self.cursor);
        let shape = match self.tool {
            Tool::Ellipse => Shape::Ellipse(rect),
            Tool::Rect | Tool::Brush | Tool::Arrow => Shape::Rect(rect),
        };
        Some(self.op(shape))
    }

    fn brush_cells(&self) -> ((u16, u16), (u16, u16)) {
        let before = (self.brush - 1) / 2;
        let after = self.brush - 1 - before;
        let (x, y) = self.cursor;
        let last = (self.grid.cols.saturating_sub(1), self.grid.rows.saturating_sub(1));
        ((x.saturating_sub(before), y.saturating_sub(before)), ((x + after).min(last.0), (y + after).min(last.1)))
    }

    fn dab(&mut self) {
        let (a, b) = self.brush_cells();
        let op = self.op(Shape::Rect(self.grid.pixels_of(a, b)));
        if self.stroke.last() != Some(&op) {
            self.canvas.apply(&op);
            self.stroke.push(op);
        }
    }

    fn op(&self, shape: Shape) -> Op {
        if self.erase { Op::Erase(shape) } else { Op::Paint(shape) }
    }

    /// A new step, applied to the canvas; what was undone cannot be redone after it.
    fn push(&mut self, step: Vec<Op>) {
        step.iter().for_each(|op| self.canvas.apply(op));
        self.done.push(step);
        self.undone.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resize_keeps_a_shape_under_way_on_the_same_part_of_the_image() {
        let mut painter = Painter::new(Grid { cols: 40, rows: 20, image: (400, 200) });
        painter.cursor = (10, 10);
        painter.start_shape(Tool::Arrow);
        painter.move_by(4, 0);
        painter.regrid(Grid { cols: 80, rows: 40, image: (400, 200) });
        assert_eq!((painter.anchor, painter.cursor), (Some((20, 20)), (28, 20)));
        assert_eq!(painter.tool, Tool::Arrow);
    }

    /// X clears a mask the painting started from (a file picked in the form), and undo brings
    /// it back.
    #[test]
    fn clearing_takes_away_the_mask_it_started_from() {
        let mut painter = Painter::new(Grid { cols: 4, rows: 4, image: (4, 4) });
        painter.start_from(std::sync::Arc::new(vec![true; 16]));
        assert_eq!(painter.canvas.coverage(), 1.0);
        painter.clear();
        assert_eq!(painter.canvas.coverage(), 0.0);
        painter.undo();
        assert_eq!(painter.canvas.coverage(), 1.0);
    }
}

//! The painter's markup mode, apart from any terminal: the marks made so far, the pen line
//! under way, the colour, undo and redo. The painter's cursor, grid and shape anchor are
//! shared with mask mode (`Painter`); here each cell is its centre in the image's pixels.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::markup::{Colour, Mark, MarkKind, MarkupPlan, Point, ShownMarks, default_width};
use super::painter::{Grid, Tool};

/// Versions are unique in the process, as the mask canvas's are.
static NEXT_VERSION: AtomicU64 = AtomicU64::new(1);

#[derive(Clone, Debug, PartialEq)]
pub struct Marking {
    pub colour: Colour,
    /// The line width in the image's pixels.
    pub width: f32,
    marks: Vec<Mark>,
    /// The marks before each change, and those undone (a clear is one step).
    before: Vec<Vec<Mark>>,
    undone: Vec<Vec<Mark>>,
    /// The pen line under way (Space put the pen down, or the mouse is held).
    stroke: Option<Vec<Point>>,
    /// The markup picked before, drawn under the new marks and saved with them.
    start: Option<Arc<image::RgbaImage>>,
    version: u64,
}

/// The centre of `cell` in the image's pixels.
pub fn centre_of(grid: &Grid, cell: (u16, u16)) -> Point {
    let r = grid.pixels_of(cell, cell);
    ((r.x0 + r.x1) as f32 / 2.0, (r.y0 + r.y1) as f32 / 2.0)
}

impl Marking {
    pub fn new(image: (u32, u32)) -> Self {
        Self {
            colour: Colour::default(),
            width: default_width(image),
            marks: Vec::new(),
            before: Vec::new(),
            undone: Vec::new(),
            stroke: None,
            start: None,
            version: NEXT_VERSION.fetch_add(1, Ordering::Relaxed),
        }
    }

    fn touched(&mut self) {
        self.version = NEXT_VERSION.fetch_add(1, Ordering::Relaxed);
    }

    /// Draws over the markup picked before (its pixels, the image's size).
    pub fn start_from(&mut self, start: Arc<image::RgbaImage>) {
        self.start = Some(start);
        self.touched();
    }

    pub fn pen_down(&self) -> bool {
        self.stroke.is_some()
    }

    /// Space: the pen goes down at `at`, or lifts (its line becomes one mark).
    pub fn toggle_pen(&mut self, at: Point) {
        match self.stroke {
            Some(_) => self.end_stroke(),
            None => self.start_stroke(at),
        }
    }

    pub fn start_stroke(&mut self, at: Point) {
        self.stroke = Some(vec![at]);
        self.touched();
    }

    /// The cursor moved to `at`: the pen's line follows it.
    pub fn moved(&mut self, at: Point) {
        if let Some(stroke) = &mut self.stroke
            && stroke.last() != Some(&at)
        {
            stroke.push(at);
            self.touched();
        }
    }

    pub fn end_stroke(&mut self) {
        if let Some(points) = self.stroke.take() {
            self.push(MarkKind::Pen(points));
        }
    }

    /// The shape between `anchor` and `cursor` cells for `tool`, not yet fixed.
    pub fn pending(&self, grid: &Grid, tool: Tool, anchor: Option<(u16, u16)>, cursor: (u16, u16)) -> Option<Mark> {
        let anchor = anchor?;
        let kind = match tool {
            Tool::Arrow => MarkKind::Arrow(centre_of(grid, anchor), centre_of(grid, cursor)),
            Tool::Ellipse => MarkKind::Ellipse(grid.pixels_of(anchor, cursor)),
            Tool::Rect | Tool::Brush => MarkKind::Rect(grid.pixels_of(anchor, cursor)),
        };
        Some(Mark { kind, colour: self.colour, width: self.width })
    }

    /// Enter on a shape under way: it is fixed.
    pub fn fix(&mut self, mark: Mark) {
        self.end_stroke();
        self.change(|marks| marks.push(mark));
    }

    fn push(&mut self, kind: MarkKind) {
        let mark = Mark { kind, colour: self.colour, width: self.width };
        self.change(|marks| marks.push(mark));
    }

    /// One step for undo; what was undone cannot be redone after it.
    fn change(&mut self, change: impl FnOnce(&mut Vec<Mark>)) {
        self.before.push(self.marks.clone());
        change(&mut self.marks);
        self.undone.clear();
        self.touched();
    }

    /// `c`: the next colour, for the marks made from now.
    pub fn next_colour(&mut self) {
        self.colour = self.colour.next();
        self.touched();
    }

    /// `[`/`]`: a thinner or thicker line (a step is a quarter of the default).
    pub fn resize(&mut self, image: (u32, u32), by: i16) {
        let step = default_width(image) / 4.0;
        let most = default_width(image) * 4.0;
        self.width = (self.width + step * f32::from(by)).clamp(1.0, most);
        self.touched();
    }

    pub fn undo(&mut self) {
        self.end_stroke();
        if let Some(before) = self.before.pop() {
            self.undone.push(std::mem::replace(&mut self.marks, before));
            self.touched();
        }
    }

    pub fn redo(&mut self) {
        self.end_stroke();
        if let Some(after) = self.undone.pop() {
            self.before.push(std::mem::replace(&mut self.marks, after));
            self.touched();
        }
    }

    pub fn clear(&mut self) {
        self.stroke = None;
        if !self.marks.is_empty() {
            self.change(Vec::clear);
        }
    }

    /// Whether there is anything drawn to save or lose.
    pub fn changed(&self) -> bool {
        !self.marks.is_empty() || self.stroke.is_some()
    }

    /// The marks made (with the pen line under way), for saving.
    pub fn plan(&self, image: (u32, u32)) -> MarkupPlan {
        let mut marks = self.marks.clone();
        if let Some(points) = &self.stroke {
            marks.push(Mark { kind: MarkKind::Pen(points.clone()), colour: self.colour, width: self.width });
        }
        MarkupPlan { width: image.0, height: image.1, start: self.start.clone(), marks }
    }

    /// What the screen shows: the plan and the shape under way.
    pub fn shown(&self, image: (u32, u32), pending: Option<Mark>) -> ShownMarks {
        let mut plan = self.plan(image);
        let version = match &pending {
            // A shape under way changes with the cursor: its own version, from its geometry.
            Some(mark) => {
                use std::hash::{Hash, Hasher};
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                self.version.hash(&mut hasher);
                format!("{mark:?}").hash(&mut hasher);
                hasher.finish() | 1 << 63
            }
            None => self.version,
        };
        plan.marks.extend(pending);
        ShownMarks { version, plan: Arc::new(plan) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pen_follows_the_cursor_and_shapes_fix_on_enter_with_undo_and_redo() {
        let grid = Grid { cols: 10, rows: 5, image: (100, 50) };
        let mut marking = Marking::new(grid.image);
        assert!(!marking.changed());
        marking.toggle_pen(centre_of(&grid, (1, 1)));
        marking.moved(centre_of(&grid, (5, 1)));
        marking.toggle_pen(centre_of(&grid, (5, 1)));
        let plan = marking.plan(grid.image);
        assert_eq!(plan.marks.len(), 1);
        assert_eq!(plan.marks[0].kind, MarkKind::Pen(vec![(15.0, 15.0), (55.0, 15.0)]));
        let arrow = marking.pending(&grid, Tool::Arrow, Some((0, 4)), (9, 0)).unwrap();
        assert_eq!(arrow.kind, MarkKind::Arrow((5.0, 45.0), (95.0, 5.0)));
        marking.next_colour();
        let ring = marking.pending(&grid, Tool::Ellipse, Some((2, 2)), (4, 3)).unwrap();
        assert_eq!(ring.colour, Colour::Yellow);
        marking.fix(ring);
        assert_eq!(marking.plan(grid.image).marks.len(), 2);
        marking.undo();
        assert_eq!(marking.plan(grid.image).marks.len(), 1);
        marking.redo();
        marking.clear();
        assert!(!marking.changed());
        marking.undo();
        assert_eq!(marking.plan(grid.image).marks.len(), 2, "a clear is undone in one step");
        let image = marking.plan(grid.image).to_image().unwrap();
        assert!(image.get_pixel(35, 15)[3] > 0, "the pen's line is drawn");
    }

    #[test]
    fn what_is_shown_changes_version_when_the_shape_under_way_moves() {
        let grid = Grid { cols: 10, rows: 5, image: (100, 50) };
        let marking = Marking::new(grid.image);
        let a = marking.shown(grid.image, marking.pending(&grid, Tool::Rect, Some((0, 0)), (2, 2)));
        let b = marking.shown(grid.image, marking.pending(&grid, Tool::Rect, Some((0, 0)), (3, 2)));
        assert_ne!(a.version, b.version);
        assert_eq!(
            a.version,
            marking.shown(grid.image, marking.pending(&grid, Tool::Rect, Some((0, 0)), (2, 2))).version
        );
    }
}

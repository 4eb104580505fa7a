//! The mask painter's keys and mouse: the cursor moves over the picture's cells, Space, `r`,
//! `o`, the brush keys, erase, invert, undo and redo change the mask; Enter fixes a shape or
//! saves; Esc asks before dropping what was painted.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::super::action::Action;
use super::super::event::{Command, FileAsk};
use super::super::state::{Confirm, JobMode, Layer, PainterView, Severity, State};
use crate::mask::Tool;

/// Shift and an arrow move this many cells.
const FAST: i32 = 8;

/// `m` on the Mask row or an input image: the painter opens over the first input image; on the
/// Markup row, in markup mode.
pub(super) fn open(state: &mut State) -> Vec<Command> {
    if state.compose.form.mode != JobMode::Edit {
        state.set_notice("masks are for edits: switch the mode to edit first", Severity::Info);
        return Vec::new();
    }
    let markup = state.compose.form.selected_field(Some(state.spec())) == crate::tui::state::Field::Markup;
    let Some(first) = state.compose.form.images.first().cloned() else {
        state.set_notice("add an input image first: the mask is painted over the first one", Severity::Info);
        return Vec::new();
    };
    let size = match state.compose.input_facts.get(&first).map(|f| &f.facts) {
        Some(Ok(facts)) if u64::from(facts.width) * u64::from(facts.height) > crate::mask::MAX_PIXELS => {
            let (w, h) = (facts.width, facts.height);
            let most = crate::mask::MAX_PIXELS / 1_000_000;
            state.set_notice(
                format!("the first image is {w}x{h}: too large to paint a mask over (at most {most} megapixels)"),
                Severity::Warning,
            );
            return Vec::new();
        }
        Some(Ok(facts)) => (facts.width, facts.height),
        Some(Err(e)) => {
            let name = crate::text::escape_controls(&first.display().to_string());
            state.set_notice(format!("cannot paint over {name}: {e}"), Severity::Warning);
            return Vec::new();
        }
        None => {
            state.set_notice("the first image is still being read: try again in a moment", Severity::Info);
            return vec![Command::Files(FileAsk::InspectFiles { paths: vec![first], masks: false })];
        }
    };
    if markup {
        let view = PainterView::markup(first, size, state.env.screen, state.env.cell);
        state.layers.push(Layer::Painter(view));
        // The markup picked already is drawn under the new marks (read off the UI task).
        if let Some(path) = state.compose.form.markup.clone() {
            let name = crate::text::escape_controls(&path.file_name().unwrap_or_default().to_string_lossy());
            state.set_notice(format!("drawing over {name}; saving writes a new markup"), Severity::Info);
            return vec![Command::Files(FileAsk::ReadStartingMarkup { path, size })];
        }
        state.set_notice(
            "markup: Space draws with the pen, > an arrow, o a ring, r a box, # the colour",
            Severity::Info,
        );
        return Vec::new();
    }
    state.layers.push(Layer::Painter(PainterView::new(first, size, state.env.screen, state.env.cell)));
    // The mask picked already is where the painting starts: it is read off the UI task.
    match state.compose.form.mask.clone() {
        Some(path) => {
            let name = crate::text::escape_controls(&path.file_name().unwrap_or_default().to_string_lossy());
            state.set_notice(format!("starting from {name}; saving writes a new mask"), Severity::Info);
            vec![Command::Files(FileAsk::ReadStartingMask { path, size })]
        }
        None => Vec::new(),
    }
}

/// The picked markup as pixels arrived: the new marks go over it. One that cannot be used is
/// said, and the drawing starts empty.
pub(super) fn starting_markup(
    state: &mut State,
    path: std::path::PathBuf,
    pixels: Result<std::sync::Arc<image::RgbaImage>, String>,
) -> Vec<Command> {
    if state.compose.form.markup.as_ref() != Some(&path) {
        return Vec::new();
    }
    let Some(marking) = state.layers.painter_mut().and_then(|view| view.marking.as_mut()) else { return Vec::new() };
    match pixels {
        Ok(pixels) => marking.start_from(pixels),
        Err(why) => {
            let name = crate::text::escape_controls(&path.display().to_string());
            state.set_notice(format!("starting empty: the markup {name} cannot be used ({why})"), Severity::Warning);
        }
    }
    Vec::new()
}

/// The picked mask as pixels arrived: the painting starts from it, under what was painted
/// meanwhile. A mask that cannot be used is said, and the painting starts empty.
pub(super) fn starting_mask(
    state: &mut State,
    path: std::path::PathBuf,
    painted: Result<std::sync::Arc<Vec<bool>>, String>,
) -> Vec<Command> {
    let Some(view) = state.layers.painter_mut() else { return Vec::new() };
    if state.compose.form.mask.as_ref() != Some(&path) {
        return Vec::new();
    }
    match painted {
        Ok(painted) => view.painter.start_from(painted),
        Err(why) => {
            let name = crate::text::escape_controls(&path.display().to_string());
            state.set_notice(format!("starting empty: the mask {name} cannot be used ({why})"), Severity::Warning);
        }
    }
    Vec::new()
}

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Command> {
    if state.layers.painter().is_some_and(|view| view.marking.is_some()) {
        return on_markup_action(state, action);
    }
    let Some(view) = state.layers.painter_mut() else { return Vec::new() };
    let painter = &mut view.painter;
    match action {
        Action::Up => painter.move_by(0, -1),
        Action::Down => painter.move_by(0, 1),
        Action::Left => painter.move_by(-1, 0),
        Action::Right => painter.move_by(1, 0),
        Action::FarUp => painter.move_by(0, -FAST),
        Action::FarDown => painter.move_by(0, FAST),
        Action::FarLeft => painter.move_by(-FAST, 0),
        Action::FarRight => painter.move_by(FAST, 0),
        Action::PaintToggle => painter.toggle_pen(),
        Action::RectStart => painter.start_shape(Tool::Rect),
        Action::EllipseStart => painter.start_shape(Tool::Ellipse),
        Action::BrushTool => {
            painter.end_stroke();
            painter.anchor = None;
            painter.tool = Tool::Brush;
        }
        Action::BrushSmaller => painter.resize_brush(-1),
        Action::BrushLarger => painter.resize_brush(1),
        Action::EraseMode => painter.toggle_erase(),
        Action::InvertMask => painter.invert(),
        Action::ClearMask => painter.clear(),
        Action::Undo => painter.undo(),
        Action::Redo => painter.redo(),
        Action::Confirm if painter.confirm() => {}
        Action::Confirm => return save(state),
        Action::Cancel if painter.anchor.is_some() => {
            painter.anchor = None;
            painter.tool = Tool::Brush;
        }
        Action::Cancel if painter.changed() => state.layers.push(Layer::Confirm(Confirm::DropMask)),
        Action::Cancel => {
            state.layers.close_painter();
        }
        Action::Submit => state.set_notice("save the mask first (Enter), or leave the painter (Esc)", Severity::Info),
        Action::Help | Action::Quit | Action::Suspend | Action::RetrySave => return super::on_action(state, action),
        _ => {}
    }
    Vec::new()
}

/// Markup mode: the cursor moves as in mask mode; the pen, shapes and arrows make marks in the
/// colour chosen; Enter fixes a shape or saves the markup.
fn on_markup_action(state: &mut State, action: Action) -> Vec<Command> {
    let Some(view) = state.layers.painter_mut() else { return Vec::new() };
    let image = view.painter.grid.image;
    let moves = match action {
        Action::Up => Some((0, -1)),
        Action::Down => Some((0, 1)),
        Action::Left => Some((-1, 0)),
        Action::Right => Some((1, 0)),
        Action::FarUp => Some((0, -FAST)),
        Action::FarDown => Some((0, FAST)),
        Action::FarLeft => Some((-FAST, 0)),
        Action::FarRight => Some((FAST, 0)),
        _ => None,
    };
    if let Some((dx, dy)) = moves {
        view.painter.move_by(dx, dy);
        let at = view.cursor_point();
        if let Some(marking) = &mut view.marking {
            marking.moved(at);
        }
        return Vec::new();
    }
    let at = view.cursor_point();
    let (grid, tool, anchor, cursor) = (view.painter.grid, view.painter.tool, view.painter.anchor, view.painter.cursor);
    let Some(marking) = view.marking.as_mut() else { return Vec::new() };
    match action {
        Action::PaintToggle => {
            view.painter.anchor = None;
            marking.toggle_pen(at);
        }
        Action::RectStart | Action::EllipseStart | Action::ArrowStart => {
            marking.end_stroke();
            let shape = match action {
                Action::RectStart => Tool::Rect,
                Action::EllipseStart => Tool::Ellipse,
                _ => Tool::Arrow,
            };
            view.painter.start_shape(shape);
        }
        Action::NextColour => marking.next_colour(),
        Action::BrushSmaller => marking.resize(image, -1),
        Action::BrushLarger => marking.resize(image, 1),
        Action::BrushTool => {
            view.painter.anchor = None;
            view.painter.tool = Tool::Brush;
        }
        Action::ClearMask => marking.clear(),
        Action::Undo => marking.undo(),
        Action::Redo => marking.redo(),
        Action::Confirm => match marking.pending(&grid, tool, anchor, cursor) {
            Some(mark) => {
                marking.fix(mark);
                view.painter.anchor = None;
                view.painter.tool = Tool::Brush;
            }
            None => return save_markup(state),
        },
        Action::Cancel if anchor.is_some() => {
            view.painter.anchor = None;
            view.painter.tool = Tool::Brush;
        }
        Action::Cancel if marking.changed() => state.layers.push(Layer::Confirm(Confirm::DropMask)),
        Action::Cancel => {
            state.layers.close_painter();
        }
        Action::EraseMode | Action::InvertMask => {
            state.set_notice("markup has no erase or invert: u undoes the last mark, X clears them", Severity::Info);
        }
        Action::Submit => {
            state.set_notice("save the markup first (Enter), or leave the painter (Esc)", Severity::Info);
        }
        Action::Help | Action::Quit | Action::Suspend | Action::RetrySave => return super::on_action(state, action),
        _ => {}
    }
    Vec::new()
}

/// Enter with no shape under way: the markup is written (the painter closes once it is).
fn save_markup(state: &mut State) -> Vec<Command> {
    let Some(view) = state.layers.painter_mut() else { return Vec::new() };
    let Some(marking) = view.marking.as_mut() else { return Vec::new() };
    marking.end_stroke();
    let plan = marking.plan(view.painter.grid.image);
    if plan.marks.is_empty() && plan.start.is_none() {
        state.set_notice(
            "nothing drawn: Space draws with the pen, >, o and r draw shapes, then Enter saves",
            Severity::Info,
        );
        return Vec::new();
    }
    vec![Command::SaveMarkup { plan, image: view.image.clone() }]
}

/// The markup is on disk: it becomes the form's markup.
pub(super) fn markup_saved(state: &mut State, path: std::path::PathBuf, marks: usize) -> Vec<Command> {
    state.layers.close_painter();
    state.compose.form.markup = Some(path.clone());
    state.revalidate();
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let marks = if marks == 1 { "1 mark".to_string() } else { format!("{marks} marks") };
    let also =
        if state.compose.form.mask.is_some() { " (the mask must go: the API takes one or the other)" } else { "" };
    state.set_notice(format!("markup saved: {name}, {marks}{also}"), Severity::Info);
    vec![Command::Files(FileAsk::InspectFiles { paths: vec![path], masks: true })]
}

/// The left button paints where it is pressed and dragged; releasing it ends the stroke.
pub(super) fn on_mouse(state: &mut State, event: MouseEvent) -> Vec<Command> {
    let screen = state.env.screen;
    // Only while the painter has the keyboard: not under a question or the help.
    if !state.layers.top_is(|l| matches!(l, Layer::Painter(_))) {
        return Vec::new();
    }
    let Some(view) = state.layers.painter_mut() else { return Vec::new() };
    let cell = view.cell_at(screen, event.column, event.row);
    if view.marking.is_some() {
        // Markup: the pen follows the mouse while the button is held.
        match (event.kind, cell) {
            (MouseEventKind::Down(MouseButton::Left), Some(cell)) => {
                view.painter.point_at(cell, false);
                let at = view.cursor_point();
                view.painter.anchor = None;
                if let Some(marking) = view.marking.as_mut() {
                    marking.start_stroke(at);
                }
            }
            (MouseEventKind::Drag(MouseButton::Left), Some(cell)) => {
                view.painter.point_at(cell, false);
                let at = view.cursor_point();
                if let Some(marking) = view.marking.as_mut() {
                    marking.moved(at);
                }
            }
            (MouseEventKind::Up(MouseButton::Left), _) => {
                if let Some(marking) = view.marking.as_mut() {
                    marking.end_stroke();
                }
            }
            _ => {}
        }
        return Vec::new();
    }
    match (event.kind, cell) {
        (MouseEventKind::Down(MouseButton::Left), Some(cell)) => view.painter.point_at(cell, true),
        // The cells between two reports are painted too.
        (MouseEventKind::Drag(MouseButton::Left), Some(cell)) => view.painter.drag_to(cell),
        (MouseEventKind::Up(MouseButton::Left), _) => view.painter.end_stroke(),
        _ => {}
    }
    Vec::new()
}

/// Enter with no shape under way: the mask is written (the painter closes once it is).
fn save(state: &mut State) -> Vec<Command> {
    let Some(view) = state.layers.painter_mut() else { return Vec::new() };
    view.painter.end_stroke();
    let plan = view.painter.plan();
    if plan.coverage() == 0.0 {
        state.set_notice("nothing painted: Space paints, r and o draw shapes, then Enter saves", Severity::Info);
        return Vec::new();
    }
    vec![Command::SaveMask { plan, image: view.image.clone() }]
}

/// The painter's picture could not be made (the file is gone or damaged): it closes, saying why.
pub(super) fn picture_failed(state: &mut State, path: &std::path::Path, message: &str) {
    if state.layers.painter().is_some_and(|view| view.image == path) {
        state.layers.close_painter();
        state.set_notice(format!("the painter closed: {}", crate::text::escape_controls(message)), Severity::Error);
    }
}

/// The mask is on disk: it becomes the form's mask.
pub(super) fn saved(state: &mut State, path: std::path::PathBuf, share: f64) -> Vec<Command> {
    state.layers.close_painter();
    // The same mask painted again is the same file: its old pixels must not be shown.
    state.previews.replaced(&path);
    state.compose.form.mask = Some(path.clone());
    state.revalidate();
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let share = crate::text::percent(share);
    state.set_notice(format!("mask saved: {name}, {share} of the image to edit"), Severity::Info);
    vec![Command::Files(FileAsk::InspectFiles { paths: vec![path], masks: true })]
}

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

/// `m` on the Mask row or an input image: the painter opens over the first input image.
pub(super) fn open(state: &mut State) -> Vec<Command> {
    if state.compose.form.mode != JobMode::Edit {
        state.set_notice("masks are for edits: switch the mode to edit first", Severity::Info);
        return Vec::new();
    }
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

/// The left button paints where it is pressed and dragged; releasing it ends the stroke.
pub(super) fn on_mouse(state: &mut State, event: MouseEvent) -> Vec<Command> {
    let screen = state.env.screen;
    // Only while the painter has the keyboard: not under a question or the help.
    if !state.layers.top_is(|l| matches!(l, Layer::Painter(_))) {
        return Vec::new();
    }
    let Some(view) = state.layers.painter_mut() else { return Vec::new() };
    let cell = view.cell_at(screen, event.column, event.row);
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

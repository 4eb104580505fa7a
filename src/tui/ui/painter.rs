//! The painter: the first input image on the whole screen but one row, the painted area tinted
//! over it (or, in markup mode, the marks in their colours) and the cursor outlined (drawn into
//! the picture's pixels, so every protocol shows them), and a status row with the tool, the
//! brush, the coverage and the keys.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Paragraph};

use super::{fit, preview, styled};
use crate::config::theme::Theme;
use crate::mask::Tool;
use crate::preview::PreviewKey;
use crate::preview::overlay::MaskOverlay;
use crate::preview::placer::Wanted;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::state::{PainterView, State};

pub fn render(state: &State, view: &PainterView, theme: &Theme, frame: &mut Frame, area: Rect) -> Vec<Wanted> {
    frame.render_widget(Block::new().style(theme.base()), area);
    let [picture_area, status_area] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    status_row(state, view, theme, frame, status_area);
    let painter = &view.painter;
    let (a, b) = painter.cursor_cells();
    let canvas = painter.canvas();
    let marks = view.marking.as_ref().map(|marking| {
        let pending = marking.pending(&painter.grid, painter.tool, painter.anchor, painter.cursor);
        marking.shown(painter.grid.image, pending)
    });
    // Markup mode: the cursor is its cell (no brush size), over no mask.
    let cursor = if marks.is_some() { (painter.cursor, painter.cursor) } else { (a, b) };
    let overlay = MaskOverlay {
        version: canvas.version(),
        painted: canvas.pixels(),
        size: (canvas.width, canvas.height),
        pending: painter.pending().filter(|_| marks.is_none()),
        cursor: painter.grid.pixels_of(cursor.0, cursor.1),
        erasing: painter.erase,
        marks,
    };
    let key = PreviewKey {
        overlay: Some(Arc::new(overlay)),
        version: state.previews.version_of(&view.image),
        ..PreviewKey::fitted(&view.image, picture_area.width, picture_area.height, state.env.graphics)
    };
    preview::picture_of(state, theme, frame, picture_area, key).into_iter().collect()
}

/// "Mask · rectangle · brush 3 · paint · 18%" and the keys, or a notice.
fn status_row(state: &State, view: &PainterView, theme: &Theme, frame: &mut Frame, area: Rect) {
    if let Some((notice, _)) = &state.status.notice {
        let text = fit(&format!(" {}", crate::text::escape_controls(notice)), area.width.into());
        frame.render_widget(Paragraph::new(styled(text, theme.warning())), area);
        return;
    }
    let painter = &view.painter;
    // What the painter is doing, and its keys (cut from the middle: help and the way back
    // always show).
    let (what, keys): (String, &[(Action, &str)]) = match &view.marking {
        Some(marking) => {
            let tool = match (painter.tool, painter.anchor.is_some()) {
                (Tool::Rect, true) => "rectangle: move, Enter fixes it",
                (Tool::Ellipse, true) => "ellipse: move, Enter fixes it",
                (Tool::Arrow, true) => "arrow: move to its head, Enter fixes it",
                _ if marking.pen_down() => "pen down",
                _ => "pen",
            };
            let what = format!(" Markup · {tool} · {} · width {:.0} · ", marking.colour.name(), marking.width);
            (what, MARKUP_KEYS)
        }
        None => {
            let tool = match (painter.tool, painter.anchor.is_some()) {
                (Tool::Rect, true) => "rectangle: move, Enter fixes it",
                (Tool::Ellipse, true) => "ellipse: move, Enter fixes it",
                _ if painter.pen_down => "brush down",
                _ => "brush",
            };
            let mode = if painter.erase { "erase" } else { "paint" };
            let share = crate::text::percent(painter.canvas().coverage());
            (format!(" Mask · {tool} · size {} · {mode} · {share} · ", painter.brush), MASK_KEYS)
        }
    };
    // A question over the painter has the keys: its answers are what the row says.
    let text = match state.layers.top_is(|l| matches!(l, crate::tui::state::Layer::Confirm(_))) {
        true => {
            let q = |action| state.env.keymap.hint(Context::Confirm, action);
            format!("{what}{} yes · {} no", q(Action::Confirm), q(Action::Cancel))
        }
        false => super::status::hint_row(state, Context::Painter, &what, keys, area.width),
    };
    frame.render_widget(Paragraph::new(styled(fit(&text, area.width.into()), theme.muted())), area);
}

const MASK_KEYS: &[(Action, &str)] = &[
    (Action::PaintToggle, "paint"),
    (Action::RectStart, "rect"),
    (Action::EllipseStart, "ellipse"),
    (Action::EraseMode, "erase"),
    (Action::Undo, "undo"),
    (Action::Confirm, "save"),
    (Action::Help, "help"),
    (Action::Cancel, "back"),
];

const MARKUP_KEYS: &[(Action, &str)] = &[
    (Action::PaintToggle, "pen"),
    (Action::ArrowStart, "arrow"),
    (Action::EllipseStart, "ring"),
    (Action::RectStart, "box"),
    (Action::NextColour, "colour"),
    (Action::Undo, "undo"),
    (Action::Confirm, "save"),
    (Action::Help, "help"),
    (Action::Cancel, "back"),
];

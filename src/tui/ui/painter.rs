//! The mask painter: the first input image on the whole screen but one row, the painted area
//! tinted over it and the cursor outlined (drawn into the picture's pixels, so every protocol
//! shows them), and a status row with the tool, the brush, the coverage and the keys.

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
    let overlay = MaskOverlay {
        version: canvas.version(),
        painted: canvas.pixels(),
        size: (canvas.width, canvas.height),
        pending: painter.pending(),
        cursor: painter.grid.pixels_of(a, b),
        erasing: painter.erase,
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
    let tool = match (painter.tool, painter.anchor.is_some()) {
        (Tool::Rect, true) => "rectangle: move, Enter fixes it",
        (Tool::Ellipse, true) => "ellipse: move, Enter fixes it",
        _ if painter.pen_down => "brush down",
        _ => "brush",
    };
    let mode = if painter.erase { "erase" } else { "paint" };
    let share = crate::text::percent(painter.canvas().coverage());
    let what = format!(" Mask · {tool} · size {} · {mode} · {share} · ", painter.brush);
    // A question over the painter has the keys: its answers are what the row says.
    if state.layers.top_is(|l| matches!(l, crate::tui::state::Layer::Confirm(_))) {
        let q = |action| state.env.keymap.hint(Context::Confirm, action);
        let text = format!("{what}{} yes · {} no", q(Action::Confirm), q(Action::Cancel));
        frame.render_widget(Paragraph::new(styled(fit(&text, area.width.into()), theme.muted())), area);
        return;
    }
    // Cut from the middle: help and the way back always show.
    let keys = [
        (Action::PaintToggle, "paint"),
        (Action::RectStart, "rect"),
        (Action::EllipseStart, "ellipse"),
        (Action::EraseMode, "erase"),
        (Action::Undo, "undo"),
        (Action::Confirm, "save"),
        (Action::Help, "help"),
        (Action::Cancel, "back"),
    ];
    let text = super::status::hint_row(state, Context::Painter, &what, &keys, area.width);
    frame.render_widget(Paragraph::new(styled(fit(&text, area.width.into()), theme.muted())), area);
}

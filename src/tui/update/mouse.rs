//! The mouse, where the last frame drew things: a click focuses the pane under it and selects
//! the row or tile, a second click on the same one acts as Enter (views, opens, picks), and the
//! wheel moves through the list under the pointer (zooms in the viewer). It only ever does
//! what a key on that screen does; the painter keeps its own drawing.

use std::time::Instant;

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::super::action::Action;
use super::super::event::Command;
use super::super::keymap::Context;
use super::super::state::hits::HitTarget;
use super::super::state::{Focus, Layer, State};
use super::{browser, gallery, keys, move_history, on_action, painter, viewer};

pub(super) fn on_mouse(state: &mut State, event: MouseEvent, at: Instant) -> Vec<Command> {
    if state.layers.painter().is_some() {
        return painter::on_mouse(state, event);
    }
    if !state.env.mouse {
        return Vec::new();
    }
    let (column, row) = (event.column, event.row);
    match event.kind {
        MouseEventKind::ScrollUp => wheel(state, column, row, true),
        MouseEventKind::ScrollDown => wheel(state, column, row, false),
        MouseEventKind::Down(MouseButton::Left) => click(state, column, row, at),
        _ => Vec::new(),
    }
}

/// One notch of the wheel over (`column`, `row`).
fn wheel(state: &mut State, column: u16, row: u16, up: bool) -> Vec<Command> {
    let step = if up { Action::Up } else { Action::Down };
    match state.context() {
        Context::Viewer => viewer::on_action(state, if up { Action::ZoomIn } else { Action::ZoomOut }),
        Context::Gallery => gallery::on_action(state, step),
        Context::Browser | Context::Path => browser::on_action(state, step),
        Context::Help | Context::Recall => keys::act(state, state.context(), step),
        // The base screens: the list under the pointer moves, wherever the focus is.
        Context::Prompt | Context::Settings | Context::History | Context::Preview | Context::Search => {
            match state.env.hits.pane_at(column, row) {
                Some(Focus::History) => move_history(state, if up { -1 } else { 1 }),
                Some(Focus::Settings) => {
                    state.compose.form.move_selection(&state.env.catalog, if up { -1 } else { 1 });
                    Vec::new()
                }
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

/// A left click at (`column`, `row`) at `at`.
fn click(state: &mut State, column: u16, row: u16, at: Instant) -> Vec<Command> {
    let Some(target) = state.env.hits.at(column, row) else { return Vec::new() };
    let double = state.env.hits.click(target, at);
    match (state.context(), target) {
        (Context::Browser, HitTarget::BrowserRow(index)) => {
            let Some(view) = state.layers.browser_mut() else { return Vec::new() };
            let delta = index as isize - view.selected as isize;
            view.move_by(delta);
            let mut commands = browser::want_facts(state);
            if double {
                commands.extend(browser::on_action(state, Action::Confirm));
            }
            commands
        }
        (Context::Gallery, HitTarget::GalleryTile(index)) => {
            let mut commands = gallery::select(state, index);
            if double {
                commands.extend(gallery::on_action(state, Action::View));
            }
            commands
        }
        (Context::Prompt | Context::Settings | Context::History | Context::Preview | Context::Search, target) => {
            on_base(state, target, double)
        }
        _ => Vec::new(),
    }
}

/// A click on the panes (no layer over them).
fn on_base(state: &mut State, target: HitTarget, double: bool) -> Vec<Command> {
    let focus = match target {
        HitTarget::Pane(focus) => focus,
        HitTarget::HistoryRow(_) => Focus::History,
        HitTarget::SettingsRow(_) => Focus::Settings,
        HitTarget::BrowserRow(_) | HitTarget::GalleryTile(_) => return Vec::new(),
    };
    if focus != Focus::History {
        state.layers.close(|l| matches!(l, Layer::HistorySearch));
    }
    state.layers.focus = focus;
    match target {
        HitTarget::HistoryRow(index) => {
            let mut commands = move_history(state, index as isize - state.jobs.history.selected as isize);
            if double {
                commands.extend(on_action(state, Action::View));
            }
            commands
        }
        HitTarget::SettingsRow(index) => {
            let fields = state.compose.form.fields(Some(state.spec())).len();
            let at = state.compose.form.selected.min(fields.saturating_sub(1));
            state.compose.form.move_selection(&state.env.catalog, index as isize - at as isize);
            if double { on_action(state, Action::Toggle) } else { Vec::new() }
        }
        HitTarget::Pane(Focus::Preview) if double => on_action(state, Action::View),
        _ => Vec::new(),
    }
}

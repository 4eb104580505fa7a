//! Rendering: pure functions of `&State` and the theme. No I/O, no locks, no awaits.

mod browser;
mod compose;
mod gallery;
mod grid;
mod history;
pub mod overlay;
mod painter;
pub(super) mod preview;
mod recall;
mod spend;
mod status;
mod viewer;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

use super::state::hits::{Hit, HitTarget};
use super::state::{Focus, Layer, State};
use crate::config::theme::Theme;
use crate::preview::placer::Wanted;

pub use super::state::layout::{MIN_HEIGHT, MIN_WIDTH, WIDE};

/// What a frame leaves for the app to do beside ratatui's cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RenderInfo {
    /// The images the frame wants placed (kitty, iTerm2, sixel) or prepared (blocks): the
    /// preview's, or a grid's.
    pub pictures: Vec<Wanted>,
    /// Rows of the history list and of the browser's list, when they were drawn.
    pub history_rows: Option<u16>,
    pub browser_rows: Option<u16>,
    /// The help's last page (how far it scrolls), when it was drawn.
    pub help_last_page: Option<u16>,
    /// What a click can land on, where it was drawn (in drawing order).
    pub hits: Vec<Hit>,
}

pub fn render(state: &State, theme: &Theme, frame: &mut Frame) -> RenderInfo {
    let area = frame.area();
    frame.render_widget(Block::new().style(theme.base()), area);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!("terminal too small: {}x{}, imgtui needs {MIN_WIDTH}x{MIN_HEIGHT}", area.width, area.height);
        frame.render_widget(Paragraph::new(text).style(theme.warning()).wrap(Wrap { trim: true }), area);
        return RenderInfo::default();
    }
    let mut info = RenderInfo::default();
    // The browser covers the compose column when the panes are drawn, else the screen.
    let mut compose_area = area;
    if state.layers.base_visible() {
        compose_area = base(state, theme, frame, area, &mut info);
    }
    for layer in state.layers.visible() {
        match layer {
            Layer::Spend(view) => {
                spend::render(state, view, theme, frame, area);
                info = RenderInfo::default();
            }
            Layer::Painter(view) => {
                info =
                    RenderInfo { pictures: painter::render(state, view, theme, frame, area), ..RenderInfo::default() };
            }
            Layer::Viewer(viewer) => {
                info =
                    RenderInfo { pictures: viewer::render(state, viewer, theme, frame, area), ..RenderInfo::default() };
            }
            Layer::Gallery(gallery) => {
                info = RenderInfo::default();
                info.pictures = gallery::render(state, gallery, theme, frame, area, &mut info.hits);
            }
            Layer::Browser(browser) => {
                // What the browser covers cannot be clicked through.
                info.hits.retain(|hit| hit.area.intersection(compose_area).is_empty());
                info.browser_rows = Some(browser::render(state, browser, theme, frame, compose_area, &mut info.hits))
            }
            // Typed on the history pane's own line.
            Layer::HistorySearch => {}
            popup => info.help_last_page = overlay::render(state, popup, theme, frame, area).or(info.help_last_page),
        }
    }
    info
}

/// The two base screens: side by side when wide, else the focused one with tabs. Returns the
/// compose column's area.
fn base(state: &State, theme: &Theme, frame: &mut Frame, area: Rect, info: &mut RenderInfo) -> Rect {
    let banner_height = status::banner_height(state, area.width).min(area.height / 4);
    let message_height = status::message_height(state, area.width);
    let [banner, body, message_area, status_area] = Layout::vertical([
        Constraint::Length(banner_height),
        Constraint::Min(0),
        Constraint::Length(message_height),
        Constraint::Length(1),
    ])
    .areas(area);
    status::banner(state, theme, frame, banner);
    status::long_message(state, theme, frame, message_area);
    let compose_area = if area.width >= WIDE {
        let [left, right] = Layout::horizontal([Constraint::Percentage(48), Constraint::Percentage(52)]).areas(body);
        compose_column(state, theme, frame, left, info);
        jobs_column(state, theme, frame, right, false, info);
        left
    } else {
        // Narrow: one page at a time, following the focus, with tabs to say where you are.
        let [tabs, page] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
        status::tabs(state, theme, frame, tabs, &mut info.hits);
        match state.layers.focus {
            Focus::Prompt | Focus::Settings => compose_column(state, theme, frame, page, info),
            Focus::History | Focus::Preview => jobs_column(state, theme, frame, page, true, info),
        }
        page
    };
    status::status_line(state, theme, frame, status_area);
    compose_area
}

/// One pane on its own, for benchmarks (`benches/render.rs`): what `render` draws of it.
#[cfg(any(test, feature = "internals"))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Prompt,
    Settings,
    History,
    Preview,
    StatusLine,
    Browser,
    /// The help overlay, or whichever overlay is open.
    Overlay,
}

#[cfg(any(test, feature = "internals"))]
pub fn render_pane(pane: Pane, state: &State, theme: &Theme, frame: &mut Frame) -> RenderInfo {
    let area = frame.area();
    let mut info = RenderInfo::default();
    match pane {
        Pane::Prompt => compose::prompt(state, theme, frame, area),
        Pane::Settings => compose::settings(state, theme, frame, area, &mut info.hits),
        Pane::History => info.history_rows = history::render(state, theme, frame, area, &mut info.hits),
        Pane::Preview => info.pictures = preview::render(state, theme, frame, area),
        Pane::StatusLine => status::status_line(state, theme, frame, area),
        Pane::Browser => {
            info.browser_rows =
                state.layers.browser().map(|b| browser::render(state, b, theme, frame, area, &mut info.hits));
        }
        Pane::Overlay => {
            if let Some(popup) = state.layers.iter().rev().find(|l| l.is_popup()) {
                info.help_last_page = overlay::render(state, popup, theme, frame, area);
            }
        }
    }
    info
}

fn compose_column(state: &State, theme: &Theme, frame: &mut Frame, area: Rect, info: &mut RenderInfo) {
    let prompt_height = (area.height / 3).clamp(5, 14);
    let [prompt, settings] = Layout::vertical([Constraint::Length(prompt_height), Constraint::Min(0)]).areas(area);
    info.hits.push(Hit { area: prompt, target: HitTarget::Pane(Focus::Prompt) });
    info.hits.push(Hit { area: settings, target: HitTarget::Pane(Focus::Settings) });
    compose::prompt(state, theme, frame, prompt);
    compose::settings(state, theme, frame, settings, &mut info.hits);
}

fn jobs_column(state: &State, theme: &Theme, frame: &mut Frame, area: Rect, page: bool, info: &mut RenderInfo) {
    // Beside the compose column the list has a third and the picture the rest. On a page of
    // its own the focused pane gets the room: History focused, the list two thirds (80x24:
    // twelve jobs, a strip of picture); the Job pane focused, the picture all but three jobs.
    let list_rows = match (page, state.layers.focus) {
        (true, Focus::History) => (area.height * 2 / 3).max(5),
        (true, _) => (area.height / 4).clamp(5, 14),
        (false, _) => (area.height / 3).clamp(5, 14),
    };
    let [list, preview] = Layout::vertical([Constraint::Length(list_rows), Constraint::Min(0)]).areas(area);
    info.hits.push(Hit { area: list, target: HitTarget::Pane(Focus::History) });
    info.hits.push(Hit { area: preview, target: HitTarget::Pane(Focus::Preview) });
    info.history_rows = history::render(state, theme, frame, list, &mut info.hits);
    info.pictures = preview::render(state, theme, frame, preview);
}

/// A pane's frame: rounded, the title in the focus colour when focused.
pub(super) fn pane<'a>(title: Line<'a>, focused: bool, theme: &Theme) -> Block<'a> {
    Block::bordered()
        .border_type(if focused { BorderType::Thick } else { BorderType::Rounded })
        .border_style(theme.border(focused))
        .title(title.style(theme.title(focused)))
}

pub(super) use crate::text::{fit_line as fit, take_width, width_of};

pub(super) fn styled(text: impl Into<String>, style: Style) -> ratatui::text::Span<'static> {
    ratatui::text::Span::styled(text.into(), style)
}

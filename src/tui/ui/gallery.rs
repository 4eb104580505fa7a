//! The gallery: a page of the history as thumbnails, the selected one framed in the focus
//! colour, each titled with its job and captioned with its prompt; one status row.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Paragraph};

use super::{fit, preview, styled};
use crate::config::theme::Theme;
use crate::preview::Zoom;
use crate::preview::placer::Wanted;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::state::gallery::layout;
use crate::tui::state::hits::{Hit, HitTarget};
use crate::tui::state::{Gallery, State};

/// Draws the gallery over everything; returns the thumbnails for the placer.
pub fn render(
    state: &State,
    gallery: &Gallery,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    hits: &mut Vec<Hit>,
) -> Vec<Wanted> {
    frame.render_widget(Block::new().style(theme.base()), area);
    let [tiles_area, status_area] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let (cols, rows) = layout(area.width, area.height);
    let per_page = usize::from(cols * rows);
    let page = state.jobs.history.selected / per_page;
    let (tile_w, tile_h) = (tiles_area.width / cols, tiles_area.height / rows);
    let mut pictures = Vec::new();
    if state.jobs.history.rows.is_empty() {
        let why = if state.jobs.history.search.is_empty() { " no jobs yet" } else { " no job matches the search" };
        frame.render_widget(Paragraph::new(styled(why, theme.muted())), tiles_area);
    }
    let on_page = state.jobs.history.rows.iter().enumerate().skip(page * per_page).take(per_page);
    for (slot, (index, row)) in on_page.enumerate() {
        let (col, line) = (slot as u16 % cols, slot as u16 / cols);
        let tile = Rect::new(tiles_area.x + col * tile_w, tiles_area.y + line * tile_h, tile_w, tile_h);
        hits.push(Hit { area: tile, target: HitTarget::GalleryTile(index) });
        let chosen = index == state.jobs.history.selected;
        let prompt = crate::text::escape_controls(&row.prompt);
        let block = Block::bordered()
            .border_type(if chosen { BorderType::Thick } else { BorderType::Rounded })
            .border_style(theme.border(chosen))
            .title(
                Line::from(format!(" {}#{} ", if row.starred { "★" } else { "" }, row.id)).style(theme.title(chosen)),
            )
            .title_bottom(Line::from(fit(&prompt, usize::from(tile_w.saturating_sub(2)))).style(theme.muted()));
        let inner = block.inner(tile);
        frame.render_widget(block, tile);
        match gallery.first_images.get(&row.id) {
            Some(Some(thumb)) => pictures.extend(preview::picture(state, theme, frame, inner, &thumb.path, Zoom::FIT)),
            Some(None) if row.image_count == 0 => {
                frame.render_widget(Paragraph::new(styled(row.status.as_str(), theme.status(row.status))), inner)
            }
            _ => frame.render_widget(Paragraph::new(styled("…", theme.muted())), inner),
        }
    }
    let pages = state.jobs.history.rows.len().div_ceil(per_page).max(1);
    let more = if state.jobs.history.exhausted { "" } else { "+" };
    let search = &state.jobs.history.search;
    let filter =
        if search.is_empty() { String::new() } else { format!(" matching /{}", crate::text::escape_controls(search)) };
    let what =
        format!(" Gallery · page {}/{pages}{more} · {} jobs{filter} · ", page + 1, state.jobs.history.rows.len());
    // Cut from the middle: help and the way back always show.
    let keys = [
        (Action::View, "view"),
        (Action::LoadJob, "load"),
        (Action::RerunJob, "re-run"),
        (Action::EditResult, "edit"),
        (Action::Help, "help"),
        (Action::Cancel, "back"),
    ];
    let text = super::status::hint_row(state, Context::Gallery, &what, &keys, area.width);
    let status = match &state.status.notice {
        Some((notice, _)) => {
            styled(fit(&format!(" {}", crate::text::escape_controls(notice)), area.width.into()), theme.warning())
        }
        None => styled(fit(&text, area.width.into()), theme.muted()),
    };
    frame.render_widget(Paragraph::new(status), status_area);
    pictures
}

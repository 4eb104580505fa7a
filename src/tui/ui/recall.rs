//! Ctrl-R's popup: the query, and the earlier prompts that match it, newest first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::{pane, styled};
use crate::config::theme::Theme;
use crate::tui::state::State;
use crate::tui::state::recall::RecallSearch;

pub fn render(state: &State, search: &RecallSearch, theme: &Theme, frame: &mut Frame, area: Rect) {
    // Most of the screen: prompts are long, and more of them at once is the point.
    let width = area.width.saturating_sub(4).clamp(20, 110);
    let height = area.height.saturating_sub(4).clamp(5, 24);
    let x = area.x + (area.width.saturating_sub(width)) / 2;
    let y = area.y + (area.height.saturating_sub(height)) / 2;
    let popup = Rect { x, y, width: width.min(area.width), height: height.min(area.height) };
    frame.render_widget(Clear, popup);
    let count = format!(" {} of {} ", search.matches.len(), state.compose.recall.prompts.len());
    let block = pane(Line::from(" Earlier prompts "), true, theme)
        .title_bottom(Line::from(styled(count, theme.muted())).right_aligned())
        .title_bottom(Line::from(styled(" ↑↓ choose · Enter loads · Esc ", theme.muted())).left_aligned());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let room = usize::from(inner.width);
    // The query as typed (spaces kept), its end in sight: that is where the typing happens.
    let typed = crate::text::escape_controls(&search.query);
    let reversed: String = typed.chars().rev().collect();
    let query: String = crate::text::take_width(&reversed, room.saturating_sub(3)).chars().rev().collect();
    let mut lines = vec![Line::from(styled(format!("› {query}▏"), theme.base()))];
    let rows = usize::from(inner.height.saturating_sub(1));
    // The selected row stays in sight: the window starts where it must.
    let first = search.selected.saturating_sub(rows.saturating_sub(1));
    for (at, index) in search.matches.iter().enumerate().skip(first).take(rows) {
        let prompt = state.compose.recall.prompts.get(*index).unwrap_or("");
        let text = crate::text::fit_line(prompt, room.saturating_sub(2));
        let style = if at == search.selected { theme.selection() } else { theme.base() };
        lines.push(Line::from(styled(format!("  {text}"), style)));
    }
    if search.matches.is_empty() {
        lines.push(Line::from(styled("  no earlier prompt matches", theme.muted())));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

//! The file browser, drawn over the compose column so the preview pane stays visible: the
//! directory, the filter, one row per entry with image facts and the model's verdict, and a
//! hint or path line at the bottom.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, List, ListItem, ListState, Paragraph};

use super::{fit, pane, styled};
use crate::api::validate::{self, InputFile};
use crate::browse::EntryKind;
use crate::config::theme::Theme;
use crate::tui::state::browser::Row;
use crate::tui::state::hits::{Hit, HitTarget};
use crate::tui::state::{Browser, State, Target};
use crate::tui::ui::preview::human_bytes;

/// Draws the browser (its rows reported in `hits`); returns how many rows its list has room for.
pub fn render(
    state: &State,
    browser: &Browser,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    hits: &mut Vec<Hit>,
) -> u16 {
    frame.render_widget(Clear, area);
    let what = match browser.target {
        Target::Image(i) => format!("input image {}", i + 1),
        Target::Mask => "mask (PNG, fully transparent where to edit)".to_string(),
        Target::Markup => "markup (PNG of marks on transparency)".to_string(),
    };
    let block = pane(Line::from(format!(" Pick the {what} ")), true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [dir_line, list_area, bottom] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)]).areas(inner);

    let filter = (!browser.filter.is_empty()).then(|| format!("  filter: {}▏", browser.filter));
    let room = (inner.width as usize).saturating_sub(filter.as_ref().map_or(0, |f| super::width_of(f)) + 16);
    // The end of the path is where one is: cut from the front.
    let dir = crate::text::escape_controls(&browser.dir.display().to_string());
    let mut head = vec![styled(fit_tail(&dir, room.max(12)), theme.accent())];
    if let Some(filter) = filter {
        head.push(styled(filter, theme.warning()));
    }
    if browser.show_hidden {
        head.push(styled("  (hidden shown)", theme.muted()));
    }
    frame.render_widget(Paragraph::new(Line::from(head)), dir_line);

    let rows = browser.visible();
    let width = list_area.width as usize;
    let mut above: Vec<Line> = Vec::new();
    if browser.entries.is_none() {
        above.push(Line::from(styled(" reading…", theme.muted())));
    }
    if let Some(error) = &browser.error {
        above.push(Line::from(styled(format!(" {error}"), theme.error())));
    }
    let nothing_matches =
        browser.entries.as_ref().is_some_and(|e| !e.is_empty()) && !rows.iter().any(|r| matches!(r, Row::Entry(_)));
    let [above_area, rows_area] =
        Layout::vertical([Constraint::Length(above.len() as u16), Constraint::Min(0)]).areas(list_area);
    frame.render_widget(Paragraph::new(above), above_area);
    // The window's height is the room the list has, not the rows it has now.
    let height = rows_area.height.saturating_sub(u16::from(nothing_matches));
    if nothing_matches {
        let below = Rect { y: rows_area.y + (rows.len() as u16).min(height), height: 1, ..rows_area };
        frame.render_widget(Paragraph::new(styled(" nothing matches the filter", theme.muted())), below);
    }
    let offset = browser.scroll.offset_for(browser.selected, height.into(), rows.len());
    let items: Vec<ListItem> = rows
        .iter()
        .skip(offset)
        .take(height.into())
        .map(|row| ListItem::new(row_line(state, browser, theme, row, width)))
        .collect();
    let selected = (browser.selected < rows.len()).then(|| browser.selected - offset);
    let mut list_state = ListState::default().with_selected(selected);
    let list_area = Rect { height, ..rows_area };
    for i in 0..items.len() {
        let area = Rect { y: list_area.y + i as u16, height: 1, ..list_area };
        hits.push(Hit { area, target: HitTarget::BrowserRow(offset + i) });
    }
    frame.render_stateful_widget(List::new(items).highlight_style(theme.selection()), list_area, &mut list_state);

    let hint = match &browser.path_input {
        Some(typed) => Line::from(vec![
            styled("path: ", theme.accent()),
            Span::raw(format!("{typed}▏")),
            styled("  Tab completes", theme.muted()),
        ]),
        None => Line::from(styled(
            fit("type to filter · . hidden · ~ home · / path · ← or Backspace up · Enter pick · Esc close", width),
            theme.muted(),
        )),
    };
    frame.render_widget(Paragraph::new(hint), bottom);
    height
}

fn row_line(state: &State, browser: &Browser, theme: &Theme, row: &Row, width: usize) -> Line<'static> {
    let (icon, name, detail, verdict) = match row {
        Row::Parent => ("↰".to_string(), "..".to_string(), String::new(), None),
        Row::Entry(entry) => {
            let icon = match (entry.kind, entry.is_link) {
                (EntryKind::Dir, false) => "▸",
                (EntryKind::Dir, true) => "↪",
                (EntryKind::BrokenLink, _) => "✗",
                (EntryKind::File, true) => "↪",
                _ => " ",
            };
            // A name is not ours: a newline or an escape in it is shown escaped, never obeyed.
            let shown = crate::text::escape_controls(&entry.name);
            let name = if entry.kind == EntryKind::Dir { format!("{shown}/") } else { shown };
            let (detail, verdict) = match browser.facts.get(&entry.path) {
                Some(file) => describe(state, browser, file),
                None if entry.kind == EntryKind::File => (human_bytes(entry.bytes), None),
                None if entry.kind == EntryKind::BrokenLink => ("broken link".into(), None),
                None if entry.kind == EntryKind::Other => ("not a regular file".into(), None),
                None => (String::new(), None),
            };
            (icon.to_string(), name, detail, verdict)
        }
    };
    let name_width = (width / 2).max(12);
    let text = format!(" {icon} {:<name_width$} {detail}", fit(&name, name_width));
    let mut spans = vec![styled(text, if row.is_dir() { theme.accent() } else { theme.base() })];
    if let Some(v) = verdict {
        spans.push(styled(format!("  ✗ {v}"), theme.warning()));
    }
    Line::from(spans)
}

/// "png 1024x1024 α 1.2 MB", and why the current model would refuse it, if it would.
fn describe(state: &State, browser: &Browser, file: &InputFile) -> (String, Option<String>) {
    let facts = match &file.facts {
        Ok(facts) => facts,
        Err(e) => return (String::new(), Some(e.to_string())),
    };
    let alpha = if facts.has_alpha { " α" } else { "" };
    let detail =
        format!("{} {}x{}{alpha} {}", facts.format.api_name(), facts.width, facts.height, human_bytes(facts.bytes));
    let spec = state.spec();
    let errors = match browser.target {
        Target::Image(_) => validate::check_edit_inputs(spec, std::slice::from_ref(file), None, None),
        Target::Markup => {
            let first = state.compose.form.images.first().and_then(|p| state.compose.input_facts.get(p)).cloned();
            let has_mask = state.compose.form.mask.is_some();
            validate::check_markup(spec, &state.env.catalog.table, file, first.as_ref(), has_mask)
        }
        Target::Mask => {
            // Transparency is checked when the mask is picked; the list checks the rest.
            let candidate = InputFile { transparent_share: Some(1.0), ..file.clone() };
            let first = state.compose.form.images.first().and_then(|p| state.compose.input_facts.get(p)).cloned();
            let images: Vec<InputFile> = first.into_iter().collect();
            validate::check_edit_inputs(spec, &images, Some(&candidate), None)
                .into_iter()
                .filter(|e| e.param == crate::api::Param::Mask)
                .collect()
        }
    };
    let verdict =
        errors.first().map(|e| e.message().replace(&format!("{} ", file.label), "").replace(&file.label, "it"));
    (detail, verdict)
}

/// `text` in `width` columns, cut at its start (`…/photos/2026`).
pub(super) fn fit_tail(text: &str, width: usize) -> String {
    let text = crate::text::escape_controls(text);
    if super::width_of(&text) <= width {
        return text;
    }
    let reversed: String = text.chars().rev().collect();
    let tail: String = super::take_width(&reversed, width.saturating_sub(1)).chars().rev().collect();
    format!("…{tail}")
}

//! The selected job: its image (a placeholder with path and size until inline graphics land),
//! then the full prompt, revised prompt, parameters, error and files.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{pane, styled};
use crate::config::theme::Theme;
use crate::store::{ImageRequest, JobRecord};
use crate::tui::state::{Focus, State};

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    if let Some(browser) = &state.browser {
        return browser_file(browser, theme, frame, area);
    }
    let focused = state.focus == Focus::Preview && state.overlay.is_none();
    let details = state.details.as_ref().filter(|d| Some(d.id) == state.selected_job_id());
    let title = match details {
        Some(d) if d.images.len() > 1 => {
            format!(" Job #{} · image {}/{} ", d.id, state.image_index + 1, d.images.len())
        }
        Some(d) => format!(" Job #{} ", d.id),
        None => " Preview ".to_string(),
    };
    let block = pane(Line::from(title), focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(job) = details else {
        let text = if state.history.rows.is_empty() { "" } else { " loading…" };
        frame.render_widget(Paragraph::new(styled(text, theme.muted())), inner);
        return;
    };
    let image_height = if job.images.is_empty() { 0 } else { (inner.height / 2).max(4) };
    let [image_area, text_area] = Layout::vertical([Constraint::Length(image_height), Constraint::Min(0)]).areas(inner);
    if let Some(image) = job.images.get(state.image_index) {
        let dims = match (image.width, image.height) {
            (Some(w), Some(h)) => format!("{w}x{h} "),
            _ => String::new(),
        };
        let exists = !state.missing_files.contains(&image.path);
        let lines = vec![
            Line::from(styled(format!("{dims}{} · {}", image.format, human_bytes(image.bytes)), theme.accent())),
            Line::from(styled(image.path.display().to_string(), if exists { theme.base() } else { theme.error() })),
            Line::from(styled(
                if exists { "(inline preview comes with terminal graphics)" } else { "the file is gone" },
                theme.muted(),
            )),
        ];
        let frame_block = Block::bordered().border_style(theme.border(false));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(frame_block), image_area);
    }
    frame.render_widget(Paragraph::new(detail_lines(job, theme)).wrap(Wrap { trim: false }), text_area);
}

fn detail_lines(job: &JobRecord, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let label = |name: &str| styled(format!("{name:<9}"), theme.muted());
    let status = format!("{} {}", job.kind.as_str(), job.status);
    lines.push(Line::from(vec![label("status"), styled(status, theme.status(job.status))]));
    if let Some(error) = &job.error {
        let code = job.http_status.map(|s| format!(" [HTTP {s}]")).unwrap_or_default();
        lines.push(Line::from(vec![label("error"), styled(format!("{error}{code}"), theme.error())]));
    }
    lines.push(Line::from(vec![label("prompt"), styled(job.request.prompt().to_string(), theme.base())]));
    if let Some(revised) = &job.revised_prompt {
        lines.push(Line::from(vec![label("revised"), styled(revised.clone(), theme.base())]));
    }
    let options = match &job.request {
        ImageRequest::Generate(r) => serde_json::to_value(&r.options),
        ImageRequest::Edit(r) => serde_json::to_value(&r.options),
    };
    let params = options
        .ok()
        .and_then(|v| v.as_object().cloned())
        .map(|o| {
            o.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().map_or(v.to_string(), str::to_string)))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let params = if params.is_empty() { "defaults".to_string() } else { params.join(" ") };
    lines.push(Line::from(vec![label("model"), styled(format!("{}  {params}", job.request.model()), theme.base())]));
    if let Some(usage) = &job.usage {
        let text = format!("{} in · {} out · {} total", usage.input_tokens, usage.output_tokens, usage.total_tokens);
        lines.push(Line::from(vec![label("tokens"), styled(text, theme.base())]));
    }
    if job.retries > 0 {
        lines.push(Line::from(vec![label("retries"), styled(job.retries.to_string(), theme.warning())]));
    }
    for input in &job.inputs {
        lines.push(Line::from(vec![label(&input.role), styled(input.path.display().to_string(), theme.base())]));
    }
    for image in &job.images {
        lines.push(Line::from(vec![
            label(&format!("file {}", image.index + 1)),
            styled(image.path.display().to_string(), theme.base()),
        ]));
    }
    lines
}

pub fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        b if b >= 1024 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

/// While the browser is open, the preview shows the highlighted file.
fn browser_file(browser: &crate::tui::state::Browser, theme: &Theme, frame: &mut Frame, area: Rect) {
    use crate::tui::state::browser::Row;
    let block = pane(Line::from(" Preview "), false, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(Row::Entry(entry)) = browser.selected_row() else { return };
    let mut lines = vec![Line::from(styled(entry.path.display().to_string(), theme.base()))];
    match browser.facts.get(&entry.path).map(|f| &f.facts) {
        Some(Ok(f)) => lines.push(Line::from(styled(
            format!(
                "{} {}x{} · {} · {}",
                f.format.api_name(),
                f.width,
                f.height,
                human_bytes(f.bytes),
                if f.has_alpha { "has alpha" } else { "no alpha" }
            ),
            theme.accent(),
        ))),
        Some(Err(e)) => lines.push(Line::from(styled(e.to_string(), theme.warning()))),
        None => {}
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

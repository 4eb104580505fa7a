//! The full-screen viewer: the picture on the whole terminal but one row (what it is, where
//! it is, the keys), with the job's prompt, parameters and tokens under it on `i`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{fit, preview, styled, width_of};
use crate::config::theme::Theme;
use crate::preview::Zoom;
use crate::preview::placer::Wanted;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::state::{State, Viewer};

/// Draws the viewer over everything; returns the pictures for the placer.
pub fn render(state: &State, viewer: &Viewer, theme: &Theme, frame: &mut Frame, area: Rect) -> Vec<Wanted> {
    frame.render_widget(Block::new().style(theme.base()), area);
    let job = state
        .jobs
        .job
        .details
        .as_ref()
        .filter(|d| state.layers.browser().is_none() && Some(d.id) == state.selected_job_id());
    let info_lines = match (viewer.info, job) {
        (true, Some(job)) => preview::detail_lines(job, theme, area.width),
        _ => Vec::new(),
    };
    // The info panel takes what it needs, up to a third of the screen.
    let info_height = if info_lines.is_empty() { 0 } else { (info_lines.len() as u16 + 1).min(area.height / 3) };
    let [picture_area, info_area, status_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(info_height), Constraint::Length(1)]).areas(area);
    if info_height > 0 {
        let panel = Paragraph::new(info_lines)
            .wrap(Wrap { trim: false })
            .block(Block::new().borders(Borders::TOP).border_style(theme.border(false)));
        frame.render_widget(panel, info_area);
    }
    status_row(state, viewer, theme, frame, status_area);
    if viewer.compare
        && let (Some(other), Some(shown)) = (state.compare_with(), state.preview_path())
    {
        // Side by side, the same size, aligned: the other on the left, the shown one chosen.
        let edit_input = viewer.marked.is_none();
        // An edit's markup is drawn over its input: what was asked, against what came.
        let markup = state.compared_markup().filter(|_| edit_input);
        let titles = match (edit_input, markup.is_some()) {
            (true, true) => ["input + markup", "result"],
            (true, false) => ["input", "result"],
            _ => ["marked", "shown"],
        };
        let name = |p: &std::path::Path| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let cells =
            [(other, titles[0], markup), (shown, titles[1], None)].map(|(path, what, markup)| super::grid::Cell {
                title: crate::text::escape_controls(&format!("{what} · {}", name(&path))),
                path: Some(path),
                markup,
            });
        // Zoomed, both halves show the same part.
        return super::grid::render(state, theme, frame, picture_area, &cells, 1, viewer.zoom);
    }
    if let Some(members) = &viewer.group {
        let selected = state.selected_job_id();
        let chosen = members.iter().position(|m| Some(m.id) == selected).unwrap_or(0);
        let cells: Vec<super::grid::Cell> = members
            .iter()
            .map(|m| super::grid::Cell {
                path: m.image.clone(),
                title: crate::text::escape_controls(&m.caption()),
                markup: None,
            })
            .collect();
        if cells.is_empty() {
            frame.render_widget(Paragraph::new(styled(" loading the group…", theme.muted())), picture_area);
            return Vec::new();
        }
        return super::grid::render(state, theme, frame, picture_area, &cells, chosen, Zoom::FIT);
    }
    if let Some(job) = job.filter(|j| viewer.grid && j.images.len() > 1) {
        let files = preview::image_files(state, job);
        let cells = super::grid::Cell::numbered(files);
        return super::grid::render(state, theme, frame, picture_area, &cells, state.jobs.job.image_index, Zoom::FIT);
    }
    let Some(path) = state.preview_path() else {
        frame
            .render_widget(Paragraph::new(styled(format!(" {}", no_picture(state, job)), theme.muted())), picture_area);
        return Vec::new();
    };
    preview::picture(state, theme, frame, picture_area, &path, viewer.zoom).into_iter().collect()
}

/// The keys that matter now: zoomed, in the browser, or on a job.
fn keys(state: &State, viewer: &Viewer) -> String {
    let k = |action| state.env.keymap.hint(Context::Viewer, action);
    if !viewer.zoom.is_fit() {
        format!(
            "arrows move · {}/{} zoom · {} fit · {} help · {} back ",
            k(Action::ZoomIn),
            k(Action::ZoomOut),
            k(Action::ZoomFit),
            k(Action::Help),
            k(Action::Cancel)
        )
    } else if viewer.group.is_some() {
        format!(
            "{}/{} member · {} one image · {} help · {} back ",
            k(Action::PrevImage),
            k(Action::NextImage),
            k(Action::GroupGrid),
            k(Action::Help),
            k(Action::Cancel)
        )
    } else if state.layers.browser().is_some() {
        format!(
            "{}/{} file · {}/{} zoom · {} help · {} back ",
            k(Action::Up),
            k(Action::Down),
            k(Action::ZoomIn),
            k(Action::ZoomOut),
            k(Action::Help),
            k(Action::Cancel)
        )
    } else if state.stepped_gif().is_some() {
        format!(
            "{} play · {}/{} frame · {}/{} job · {} help · {} back ",
            k(Action::PlayPause),
            k(Action::PrevFrame),
            k(Action::NextFrame),
            k(Action::Up),
            k(Action::Down),
            k(Action::Help),
            k(Action::Cancel)
        )
    } else {
        format!(
            "{}/{} image · {}/{} job · {} info · {} zoom · {} help · {} back ",
            k(Action::PrevImage),
            k(Action::NextImage),
            k(Action::Up),
            k(Action::Down),
            k(Action::ToggleInfo),
            k(Action::ZoomIn),
            k(Action::Help),
            k(Action::Cancel)
        )
    }
}

/// Why there is no picture to show.
fn no_picture(state: &State, job: Option<&crate::store::JobRecord>) -> String {
    use crate::store::JobStatus;
    if state.layers.browser().is_some() {
        return "not an image: ↑/↓ go to the next one".into();
    }
    let Some(job) = job else { return "loading…".into() };
    if let Some(live) = state.jobs.live.get(&job.id) {
        return format!("running: {}", live.phase);
    }
    match job.status {
        JobStatus::Failed => {
            format!("failed: {}", job.error.as_deref().map(crate::text::escape_controls).unwrap_or_default())
        }
        JobStatus::Done if !job.images.is_empty() => "the image file is gone".into(),
        status if job.images.is_empty() => format!("{status}: this job has no image"),
        _ => "the image file is gone".into(),
    }
}

/// "#12 · gpt-image-1 · 1536x1024 png · 2/4 · zoom 2x · file" and the keys, or a notice.
fn status_row(state: &State, viewer: &Viewer, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut parts: Vec<String> = Vec::new();
    match state.jobs.job.details.as_ref().filter(|_| state.layers.browser().is_none()) {
        Some(job) => {
            parts.push(format!("#{}", job.id));
            parts.push(job.request.model().to_string());
            if let Some(image) = job.images.get(state.jobs.job.image_index) {
                parts.push(image.size_and_format());
                if job.images.len() > 1 {
                    parts.push(format!("{}/{}", state.jobs.job.image_index + 1, job.images.len()));
                }
            }
        }
        None => parts.push("file".to_string()),
    }
    if !viewer.zoom.is_fit() {
        parts.push(format!("zoom {}x", viewer.zoom.factor()));
    }
    if let Some((frames, _)) = state.stepped_gif() {
        let playing = if viewer.playing { " ▶" } else { "" };
        parts.push(format!("frame {}/{frames}{playing}", viewer.frame % frames + 1));
    }
    let k = |action| state.env.keymap.hint(Context::Viewer, action);
    let keys = keys(state, viewer);
    // What is shown comes first; then a notice or the keys, then the file, as room allows.
    let width = area.width as usize;
    let left = fit(&format!(" {}", parts.join(" · ")), width);
    let right = match &state.status.notice {
        Some((text, _)) => crate::text::escape_controls(text),
        None => keys,
    };
    let room = width.saturating_sub(width_of(&left) + 2);
    // Short of room: the way back and the help, which lists the rest.
    let short = format!("{} help · {} back ", k(Action::Help), k(Action::Cancel));
    let right = if state.status.notice.is_some() {
        // The notice gives way to the way out where both do not fit.
        let notice_room = room.saturating_sub(width_of(&short) + 3);
        if notice_room >= 12 { format!("{} · {short}", fit(right.trim_end(), notice_room)) } else { fit(&short, room) }
    } else if width_of(&right) <= room {
        right
    } else if width_of(&short) <= room {
        short
    } else {
        String::new()
    };
    let file = state.preview_path().map(|p| crate::text::escape_controls(&p.display().to_string())).unwrap_or_default();
    let file_room = width.saturating_sub(width_of(&left) + width_of(&right) + 5);
    let file = if file_room >= 12 && !file.is_empty() {
        format!(" · {}", super::browser::fit_tail(&file, file_room))
    } else {
        String::new()
    };
    let gap = width.saturating_sub(width_of(&left) + width_of(&file) + width_of(&right));
    let line = Line::from(vec![
        styled(left, theme.accent()),
        styled(file, theme.muted()),
        Span::raw(" ".repeat(gap)),
        styled(right, if state.status.notice.is_some() { theme.warning() } else { theme.muted() }),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

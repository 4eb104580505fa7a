//! The preview pane: the selected job's image (or the browser's highlighted file) in the
//! terminal's graphics, with a caption, then the job's prompt, parameters, error and files.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::{grid, pane, styled};
use crate::config::theme::Theme;
use crate::preview::blocks::HalfBlocks;
use crate::preview::placer::Wanted;
use crate::preview::{Graphics, PreviewKey, Zoom};
use crate::store::{ImageRequest, JobRecord};
use crate::tui::state::{Focus, State};

/// Draws the pane; returns the images the placer should show in it.
pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) -> Vec<Wanted> {
    if let Some(browser) = state.layers.browser() {
        return browser_file(state, browser, theme, frame, area).into_iter().collect();
    }
    let focused = state.layers.focused(Focus::Preview);
    let details = state.jobs.job.details.as_ref().filter(|d| Some(d.id) == state.selected_job_id());
    let title = match details {
        Some(d) if d.images.len() > 1 => {
            format!(" Job #{} · image {}/{} ", d.id, state.jobs.job.image_index + 1, d.images.len())
        }
        Some(d) => format!(" Job #{} ", d.id),
        None => " Preview ".to_string(),
    };
    let block = pane(Line::from(title), focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(job) = details else {
        let text = if state.jobs.history.rows.is_empty() { "" } else { " loading…" };
        frame.render_widget(Paragraph::new(styled(text, theme.muted())), inner);
        return Vec::new();
    };
    let partial = state.live_partial(job.id).filter(|_| job.images.is_empty());
    let has_image = !job.images.is_empty() || partial.is_some();
    let details = detail_lines(job, theme, inner.width);
    // The picture has the room: the details take what is left of a third of a tall pane, one
    // row (the status) of a short one; all of them are a `v` and an `i` away.
    let detail_rows = if inner.height >= 24 { (details.len() as u16).min(inner.height / 3) } else { 1 };
    let image_height = if has_image { inner.height.saturating_sub(detail_rows) } else { 0 };
    let [image_area, text_area] = Layout::vertical([Constraint::Length(image_height), Constraint::Min(0)]).areas(inner);
    let mut wanted = Vec::new();
    if job.images.len() > 1 && state.jobs.job.grid {
        let [grid_area, caption_area] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(image_area);
        let cells = grid::Cell::numbered(image_files(state, job));
        wanted = grid::render(state, theme, frame, grid_area, &cells, state.jobs.job.image_index, Zoom::FIT);
        if let Some(image) = job.images.get(state.jobs.job.image_index) {
            frame.render_widget(Paragraph::new(caption(state, image, theme, caption_area.width)), caption_area);
        }
    } else if let Some(image) = job.images.get(state.jobs.job.image_index) {
        let exists = !state.jobs.job.missing_files.contains(&image.path);
        let caption = caption(state, image, theme, image_area.width.saturating_sub(2));
        wanted.extend(image_box(state, theme, frame, image_area, exists.then_some(&image.path), caption));
    } else if let Some((index, path)) = partial {
        let caption = styled(format!("partial image {} · the answer is still streaming", index + 1), theme.muted());
        wanted.extend(image_box(state, theme, frame, image_area, Some(path), Line::from(caption)));
    }
    frame.render_widget(Paragraph::new(details).wrap(Wrap { trim: false }), text_area);
    wanted
}

/// The job's image files in order, `None` for those gone from disk.
pub(super) fn image_files(state: &State, job: &JobRecord) -> Vec<Option<std::path::PathBuf>> {
    job.images.iter().map(|i| (!state.jobs.job.missing_files.contains(&i.path)).then(|| i.path.clone())).collect()
}

/// "1024x1024 png · 403 KB · path" of the chosen image, or that its file is gone.
/// The picture's size, bytes and file, in `width` columns: the path is cut from the left, so
/// its name shows.
fn caption(state: &State, image: &crate::store::ImageRecord, theme: &Theme, width: u16) -> Line<'static> {
    let width = usize::from(width);
    if state.jobs.job.missing_files.contains(&image.path) {
        let gone = "the file is gone: ";
        let path = crate::text::fit_end(&image.path.display().to_string(), width.saturating_sub(gone.len()));
        return Line::from(styled(format!("{gone}{path}"), theme.error()));
    }
    let facts = format!("{} · {}{} · ", image.size_and_format(), human_bytes(image.bytes), gif_note(state, image));
    let room = width.saturating_sub(crate::text::width_of(&facts));
    let path = crate::text::fit_end(&image.path.display().to_string(), room);
    Line::from(styled(format!("{facts}{path}"), theme.muted()))
}

/// An animated GIF's frames as asked (" · 4 frames × 100 ms").
fn gif_note(state: &State, image: &crate::store::ImageRecord) -> String {
    if image.format != Some(crate::api::ImageFormat::Gif) {
        return String::new();
    }
    // What the file has once a preview read it; until then what the job asked.
    let options = state.jobs.job.details.as_ref().map(|job| job.request.options());
    let (frames, each) = match state.previews.animation_of(&image.path) {
        Some((frames, ms)) => (format!("{frames} frames"), format!(" × {ms} ms")),
        None => (
            options.and_then(|o| o.frame_count).map_or_else(|| "animated".to_string(), |n| format!("{n} frames")),
            options.and_then(|o| o.frame_duration_ms).map(|ms| format!(" × {ms} ms")).unwrap_or_default(),
        ),
    };
    // Kitty and iTerm2 play it; elsewhere its first frame stands for it.
    let plays = matches!(state.env.graphics, crate::preview::Graphics::Kitty | crate::preview::Graphics::Iterm);
    format!(" · {frames}{each}{}", if plays { "" } else { ", first shown" })
}

/// An image with a caption under it (no frame of its own: the pane's is enough).
fn image_box(
    state: &State,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    path: Option<&std::path::PathBuf>,
    caption: Line<'static>,
) -> Option<Wanted> {
    let [pixels_area, caption_area] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    frame.render_widget(Paragraph::new(caption), caption_area);
    picture(state, theme, frame, pixels_area, path?, Zoom::FIT)
}

/// The image at `path` in `pixels_area`, fitted or zoomed. Half-blocks are drawn here; for the
/// escape-code protocols the cells are marked skip (ratatui never draws over the pixels) and
/// the placer is told what to show.
pub(super) fn picture(
    state: &State,
    theme: &Theme,
    frame: &mut Frame,
    pixels_area: Rect,
    path: &std::path::Path,
    zoom: Zoom,
) -> Option<Wanted> {
    picture_of(state, theme, frame, pixels_area, key_for(state, path, pixels_area, zoom))
}

/// What shows the image at `path` in `pixels_area`: its version now, and in the viewer the
/// GIF frame stepped or playing where the terminal does not play it.
pub(super) fn key_for(state: &State, path: &std::path::Path, pixels_area: Rect, zoom: Zoom) -> PreviewKey {
    let gif_frame = state
        .stepped_gif()
        .filter(|_| state.preview_path().as_deref() == Some(path))
        .and_then(|_| state.layers.viewer())
        .map_or(0, |viewer| viewer.frame);
    PreviewKey {
        zoom,
        version: state.previews.version_of(path),
        frame: gif_frame,
        ..PreviewKey::fitted(path, pixels_area.width, pixels_area.height, state.env.graphics)
    }
}

/// The picture `key` describes, in `pixels_area` (its size is the key's cells).
pub(super) fn picture_of(
    state: &State,
    theme: &Theme,
    frame: &mut Frame,
    pixels_area: Rect,
    key: PreviewKey,
) -> Option<Wanted> {
    if state.env.graphics == Graphics::None
        || pixels_area.width < 2
        || pixels_area.height < 1
        || state.layers.popup_open()
    {
        return None;
    }
    if let Some(error) = state.previews.error_for(&key) {
        frame.render_widget(
            Paragraph::new(styled(error.to_string(), theme.warning())).wrap(Wrap { trim: true }),
            pixels_area,
        );
        return None;
    }
    match state.previews.ready_for(&key) {
        Some(prepared) => {
            let fitted = Rect::new(
                pixels_area.x + prepared.offset_x,
                pixels_area.y + prepared.offset_y,
                prepared.cols.min(pixels_area.width),
                prepared.rows.min(pixels_area.height),
            );
            match &prepared.pixels {
                Some(pixels) => frame.render_widget(HalfBlocks { pixels, truecolor: state.env.truecolor }, fitted),
                // Kitty's Unicode placeholders: the cells are the picture, as text.
                None if state.env.kitty_placeholders => {
                    let (r, g, b) = crate::preview::placeholder::colour(prepared.id);
                    let buf = frame.buffer_mut();
                    for (row, y) in (fitted.top()..fitted.bottom()).enumerate() {
                        for (col, x) in (fitted.left()..fitted.right()).enumerate() {
                            let text = crate::preview::placeholder::cell(row as u16, col as u16);
                            if let (Some(cell), Some(text)) = (buf.cell_mut((x, y)), text) {
                                cell.set_symbol(&text).set_fg(ratatui::style::Color::Rgb(r, g, b));
                            }
                        }
                    }
                }
                None => {
                    let buf = frame.buffer_mut();
                    for y in fitted.top()..fitted.bottom() {
                        for x in fitted.left()..fitted.right() {
                            if let Some(cell) = buf.cell_mut((x, y)) {
                                cell.set_diff_option(ratatui::buffer::CellDiffOption::Skip);
                            }
                        }
                    }
                }
            }
        }
        None => frame.render_widget(Paragraph::new(styled("preparing preview…", theme.muted())), pixels_area),
    }
    Some(Wanted { key, area: pixels_area })
}

/// The job's facts, a row each; paths cut from the left to fit `width` (their end says the
/// most, and a path too long for its row would wrap away from its label).
pub(super) fn detail_lines(job: &JobRecord, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let label = |name: &str| styled(format!("{name:<9}"), theme.muted());
    let status = format!("{} {}", job.kind.as_str(), job.status);
    lines.push(Line::from(vec![label("status"), styled(status, theme.status(job.status))]));
    if let Some(origin) = &job.origin {
        lines.push(Line::from(vec![label("sent by"), styled(origin_words(origin), theme.accent())]));
    }
    if let Some(error) = &job.error {
        let code = job.http_status.map(|s| format!(" [HTTP {s}]")).unwrap_or_default();
        lines.push(Line::from(vec![
            label("error"),
            styled(format!("{}{code}", crate::text::escape_controls(error)), theme.error()),
        ]));
    }
    lines.push(Line::from(vec![
        label("prompt"),
        styled(crate::text::escape_controls(job.request.prompt()), theme.base()),
    ]));
    if let Some(revised) = &job.revised_prompt {
        lines.push(Line::from(vec![label("revised"), styled(crate::text::escape_controls(revised), theme.base())]));
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
    match &job.cost {
        Some(cost) => lines.push(Line::from(vec![label("cost"), styled(cost.describe(), theme.base())])),
        None if job.status == crate::store::JobStatus::Done => {
            lines.push(Line::from(vec![label("cost"), styled("price unknown ([prices] in the config)", theme.muted())]))
        }
        None => {}
    }
    if job.retries > 0 {
        lines.push(Line::from(vec![label("retries"), styled(job.retries.to_string(), theme.warning())]));
    }
    let path =
        |p: &std::path::Path| crate::text::fit_end(&p.display().to_string(), usize::from(width).saturating_sub(9));
    for input in &job.inputs {
        lines.push(Line::from(vec![label(&input.role), styled(path(&input.path), theme.base())]));
    }
    if matches!(&job.request, ImageRequest::Edit(e) if e.keep_unmasked) {
        let text = "outside the mask: the original kept (the API's own images: raw)";
        lines.push(Line::from(vec![label("outside"), styled(text, theme.base())]));
    }
    for image in &job.images {
        lines.push(Line::from(vec![
            label(&format!("file {}", image.index + 1)),
            styled(path(&image.path), theme.base()),
        ]));
    }
    for image in &job.raw_images {
        lines.push(Line::from(vec![
            label(&format!("raw {}", image.index + 1)),
            styled(path(&image.path), theme.muted()),
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
fn browser_file(
    state: &State,
    browser: &crate::tui::state::Browser,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) -> Option<Wanted> {
    use crate::tui::state::browser::Row;
    let block = pane(Line::from(" Preview "), false, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(Row::Entry(entry)) = browser.selected_row() else { return None };
    let caption = match browser.facts.get(&entry.path).map(|f| &f.facts) {
        Some(Ok(f)) => styled(
            format!(
                "{} {}x{} · {} · {} · {}",
                f.format.api_name(),
                f.width,
                f.height,
                human_bytes(f.bytes),
                if f.has_alpha { "alpha" } else { "no alpha" },
                entry.name
            ),
            theme.accent(),
        ),
        Some(Err(e)) => styled(format!("{}: {e}", entry.name), theme.warning()),
        None => styled(entry.name.clone(), theme.muted()),
    };
    let path = state.preview_path();
    image_box(state, theme, frame, inner, path.as_ref(), Line::from(caption))
}

/// `mcp:CLIENT` in words: "an agent (CLIENT) through imgtui mcp".
pub(super) fn origin_words(origin: &str) -> String {
    match origin.strip_prefix("mcp:") {
        Some(client) => format!("an agent ({}) through imgtui mcp", crate::text::escape_controls(client)),
        None => crate::text::escape_controls(origin),
    }
}

//! The full-screen viewer's keys: images and jobs go by with the arrows, and, zoomed in, the
//! arrows move the view instead; e/r/E act on the job as in History.

use super::super::action::Action;
use super::super::event::{Command, StoreAsk};
use super::super::keymap::Context;
use super::super::state::{Layer, Severity, State, Viewer};
use super::{jobs, load, move_history, want_browser_facts};
use crate::preview::zoom::Frame;

/// `G`: the selected job's group side by side, or back to the one image.
fn group(state: &mut State) -> Vec<Command> {
    let group_id = state.jobs.history.selected_row().and_then(|r| r.group_id);
    let Some(viewer) = state.layers.viewer_mut() else { return Vec::new() };
    if viewer.group.take().is_some() {
        return Vec::new();
    }
    match group_id {
        Some(id) => {
            viewer.group = Some(Vec::new());
            viewer.zoom = Default::default();
            vec![Command::Store(StoreAsk::LoadGroup(id))]
        }
        None => {
            state.set_notice("this job was sent alone: no group to show", Severity::Info);
            Vec::new()
        }
    }
}

/// The group's members arrived: shown if the viewer still asks for them.
pub(super) fn group_loaded(state: &mut State, id: crate::store::JobId, members: Vec<crate::store::GroupMember>) {
    let still_asked = state.jobs.history.selected_row().and_then(|r| r.group_id) == Some(id);
    if let Some(viewer) = state.layers.viewer_mut().filter(|v| v.group.is_some() && still_asked) {
        viewer.group = Some(members);
    }
}

/// `v`: the viewer opens on what the preview shows (or will, once the job's details are in).
pub(super) fn open(state: &mut State) -> Vec<Command> {
    let job_selected = state.layers.browser().is_none() && state.selected_job_id().is_some();
    if job_selected || state.preview_path().is_some() {
        state.layers.push(Layer::Viewer(Viewer::default()));
    } else {
        state.set_notice("no image to view here", Severity::Info);
    }
    Vec::new()
}

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Command> {
    if matches!(action, Action::PlayPause | Action::PrevFrame | Action::NextFrame) {
        step_frames(state, action);
        return Vec::new();
    }
    let before = state.preview_path();
    let commands = act(state, action);
    // Another picture starts at its first frame, still.
    if state.preview_path() != before
        && let Some(viewer) = state.layers.viewer_mut()
    {
        viewer.frame = 0;
        viewer.playing = false;
    }
    commands
}

fn act(state: &mut State, action: Action) -> Vec<Command> {
    let shown = state.preview_path();
    let has_picture = shown.is_some();
    let frame = shown.and_then(|path| state.previews.frame_of(&path));
    let Some(viewer) = state.layers.viewer_mut() else { return Vec::new() };
    let zoomed = !viewer.zoom.is_fit();
    match action {
        Action::Cancel | Action::View => {
            state.layers.close_viewer();
            Vec::new()
        }
        Action::ToggleInfo
        | Action::ToggleGrid
        | Action::Confirm
        | Action::ZoomIn
        | Action::ZoomOut
        | Action::ZoomFit => {
            change_view(viewer, action, has_picture, frame);
            Vec::new()
        }
        Action::PrevImage | Action::NextImage | Action::Up | Action::Down if zoomed => {
            change_view(viewer, action, has_picture, frame);
            Vec::new()
        }
        // In a group's grid, ←/→ go from member to member.
        Action::PrevImage | Action::NextImage if viewer.group.as_ref().is_some_and(|m| !m.is_empty()) => {
            next_member(state, if action == Action::PrevImage { -1 } else { 1 })
        }
        // Another picture: seen whole first.
        Action::PrevImage | Action::NextImage => {
            viewer.zoom = Default::default();
            if state.layers.browser().is_some() { Vec::new() } else { jobs::on_action(state, action) }
        }
        Action::Up | Action::Down => {
            viewer.zoom = Default::default();
            match state.layers.browser_mut() {
                Some(browser) => {
                    next_image_file(browser, if action == Action::Up { -1 } else { 1 });
                    want_browser_facts(state)
                }
                // ↑/↓ go through jobs as in History; the focus stays where the viewer left it.
                None => move_history(state, if action == Action::Up { -1 } else { 1 }),
            }
        }
        Action::Mark => {
            mark(state);
            Vec::new()
        }
        Action::Compare => {
            compare(state);
            Vec::new()
        }
        Action::GroupGrid => group(state),
        Action::RerunJob if state.layers.browser().is_none() => jobs::on_action(state, action),
        // These change the form: it is shown.
        Action::LoadJob if state.layers.browser().is_none() => {
            state.layers.close_viewer();
            jobs::on_action(state, action)
        }
        // Only with an image to edit; a refusal is said here, in the viewer.
        Action::EditResult if state.layers.browser().is_none() && has_picture => {
            state.layers.close_viewer();
            load::edit_result(state)
        }
        Action::EditResult if state.layers.browser().is_none() => load::edit_result(state),
        Action::RerunJob | Action::LoadJob | Action::EditResult => Vec::new(),
        // Quit, help, submit: as anywhere.
        _ => super::on_action(state, action),
    }
}

/// Space, `,` and `.` on an animated GIF the terminal does not play itself (sixel,
/// half-blocks): play or pause it, or step a frame (which pauses it).
fn step_frames(state: &mut State, action: Action) {
    let Some((frames, _)) = state.stepped_gif() else {
        let why = match state.env.graphics {
            crate::preview::Graphics::Kitty | crate::preview::Graphics::Iterm => "this terminal plays GIFs itself",
            _ => "only an animated GIF has frames",
        };
        state.set_notice(why, Severity::Info);
        return;
    };
    let now = state.env.now;
    let Some(viewer) = state.layers.viewer_mut() else { return };
    match action {
        Action::PlayPause => {
            viewer.playing = !viewer.playing;
            viewer.frame_since = Some(now);
        }
        Action::NextFrame => {
            viewer.playing = false;
            viewer.frame = (viewer.frame + 1) % frames;
        }
        _ => {
            viewer.playing = false;
            viewer.frame = (viewer.frame + frames - 1) % frames;
        }
    }
}

/// A playing GIF's next frame, once its time is up (`Msg::Tick`).
pub(super) fn play(state: &mut State) {
    let Some((frames, ms)) = state.stepped_gif() else { return };
    let now = state.env.now;
    let Some(viewer) = state.layers.viewer_mut().filter(|v| v.playing) else { return };
    let since = *viewer.frame_since.get_or_insert(now);
    if now.duration_since(since) >= std::time::Duration::from_millis(u64::from(ms)) {
        viewer.frame = (viewer.frame + 1) % frames;
        viewer.frame_since = Some(now);
    }
}

/// The member of the shown group `delta` places on (wrapping), selected in the history. A
/// member not in the loaded rows (a filter hides it) is said, not jumped over silently.
fn next_member(state: &mut State, delta: isize) -> Vec<Command> {
    let members: Vec<crate::store::JobId> = state
        .layers
        .viewer()
        .and_then(|v| v.group.as_ref())
        .map(|m| m.iter().map(|m| m.id).collect())
        .unwrap_or_default();
    let selected = state.selected_job_id();
    let at = members.iter().position(|id| Some(*id) == selected).unwrap_or(0);
    let count = members.len() as isize;
    let target = members[(at as isize + delta).rem_euclid(count.max(1)) as usize];
    if state.jobs.history.select(target) {
        super::selection_changed(state)
    } else {
        state
            .set_notice(format!("job {target} is not in the list shown (a search or filter hides it)"), Severity::Info);
        Vec::new()
    }
}

/// `m`: the shown image is the one others are compared with.
fn mark(state: &mut State) {
    let Some(path) = state.preview_path() else {
        // The mark there was stays.
        state.set_notice("nothing to mark here: this image's file is missing", Severity::Info);
        return;
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    state.set_notice(format!("marked {name}: c compares another image with it"), Severity::Info);
    if let Some(viewer) = state.layers.viewer_mut() {
        viewer.marked = Some(path);
    }
}

/// `c`: the shown image beside the marked one (or an edit's input), or alone again.
fn compare(state: &mut State) {
    let other = state.compare_with();
    if let Some(viewer) = state.layers.viewer_mut() {
        viewer.compare = !viewer.compare && other.is_some();
        viewer.zoom = Default::default();
    }
    if other.is_none() {
        let marked_shown = state.layers.viewer().is_some_and(|v| v.marked.is_some());
        let keymap = &state.env.keymap;
        let (compare, mark) =
            (keymap.hint(Context::Viewer, Action::Compare), keymap.hint(Context::Viewer, Action::Mark));
        let why = if marked_shown {
            format!("this is the marked image: go to another, then {compare}")
        } else {
            format!("nothing to compare with: mark an image with {mark}, or view an edit")
        };
        state.set_notice(why, Severity::Info);
    }
}

/// How the picture is shown: info panel, grid, zoom, and (zoomed) where the view is.
fn change_view(viewer: &mut Viewer, action: Action, has_picture: bool, frame: Option<Frame>) {
    match action {
        Action::ToggleInfo => viewer.info = !viewer.info,
        Action::ToggleGrid => {
            viewer.grid = !viewer.grid;
            viewer.zoom = Default::default();
        }
        // Enter on the grid: the chosen image alone.
        Action::Confirm => viewer.grid = false,
        // Zooming is into one image, when there is one.
        Action::ZoomIn if has_picture => {
            viewer.grid = false;
            viewer.zoom.zoom_in(frame);
        }
        Action::ZoomIn => {}
        Action::ZoomOut => viewer.zoom.zoom_out(frame),
        Action::ZoomFit => viewer.zoom = Default::default(),
        Action::PrevImage | Action::NextImage | Action::Up | Action::Down if !viewer.zoom.is_fit() => {
            let (dx, dy) = match action {
                Action::PrevImage => (-1, 0),
                Action::NextImage => (1, 0),
                Action::Up => (0, -1),
                _ => (0, 1),
            };
            viewer.zoom.pan(dx, dy, frame);
        }
        _ => {}
    }
}

/// Moves the browser's highlight to the next (or previous) image file, past folders and other
/// files; it stays where it is when there is none that way.
fn next_image_file(browser: &mut crate::tui::state::Browser, step: isize) {
    use crate::tui::state::browser::Row;
    let rows = browser.visible();
    let mut at = browser.selected as isize + step;
    while at >= 0 && (at as usize) < rows.len() {
        if matches!(&rows[at as usize], Row::Entry(e) if e.looks_like_image()) {
            browser.selected = at as usize;
            return;
        }
        at += step;
    }
}

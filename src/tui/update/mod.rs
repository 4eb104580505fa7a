//! `update`: the one place state changes. No I/O here: work leaves as `Command`s and comes
//! back as `AppEvent`s.

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

mod browser;
mod models;

use super::action::Action;
use super::event::{AppEvent, Command, Msg};
use super::keymap::{Context, Key};
use super::state::{Confirm, Field, Focus, JobMode, LiveJob, Overlay, Severity, State, Target};
use crate::api::Progress;
use crate::store::{ImageRequest, JobRecord, JobStatus};

/// A message longer than this is shown on rows of its own until the next key.
const LONG_MESSAGE: usize = 60;

/// Prepared previews kept for going back and forth between images.
const PREVIEWS_KEPT: usize = 8;

pub fn update(state: &mut State, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
        Msg::Key(key) => on_key(state, key),
        Msg::Paste(text) => on_paste(state, &text),
        Msg::Resize => Vec::new(),
        Msg::Tick(now) => {
            state.now = now;
            state.spinner = state.spinner.wrapping_add(1);
            // Jobs another imgtui runs change only in the history: look again every 2 s.
            if state.spinner % 20 == 0 && state.history.rows.iter().any(|r| r.running_elsewhere.is_some()) {
                return reload_history(state);
            }
            Vec::new()
        }
        Msg::App(event) => on_app_event(state, event),
    }
}

fn on_key(state: &mut State, event: KeyEvent) -> Vec<Command> {
    // A long message has its own rows above the status line: they go with the next key.
    if state.notice.as_ref().is_some_and(|(text, _)| text.chars().count() > LONG_MESSAGE) {
        state.notice = None;
    }
    let context = state.context();
    // While the help's filter is typed, plain characters are text, not its scroll keys.
    if context == Context::Help
        && let Some(filter) = state.help_filter.as_mut()
        && !event.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        match event.code {
            KeyCode::Char(c) => filter.push(c),
            KeyCode::Backspace => {
                filter.pop();
            }
            _ => return on_key_unfiltered(state, event, context),
        }
        state.help_scroll = 0;
        return Vec::new();
    }
    on_key_unfiltered(state, event, context)
}

fn on_key_unfiltered(state: &mut State, event: KeyEvent, context: Context) -> Vec<Command> {
    let action = Key::from_event(&event).and_then(|key| state.keymap.action(context, &key));
    match (action, context) {
        (Some(action), Context::Browser | Context::Path) => browser::on_action(state, action),
        (None, Context::Browser | Context::Path) => browser::on_key(state, event),
        (Some(action), _) => on_action(state, action),
        (None, Context::Prompt)
            if event.code == KeyCode::Char('u') && event.modifiers == KeyModifiers::CONTROL && restore_draft(state) =>
        {
            Vec::new()
        }
        (None, Context::Prompt) => {
            if state.prompt.input(event) {
                state.revalidate();
            }
            Vec::new()
        }
        (None, Context::Search) if matches!(state.overlay, Some(Overlay::ModelName(_) | Overlay::CustomSize(_))) => {
            models::edit_name(state, event);
            Vec::new()
        }
        (None, Context::Search) => edit_search(state, event),

        _ => Vec::new(),
    }
}

fn on_paste(state: &mut State, text: &str) -> Vec<Command> {
    match state.context() {
        Context::Prompt => {
            // Terminals send pasted newlines as \r.
            state.prompt.insert_str(text.replace("\r\n", "\n").replace('\r', "\n"));
            state.revalidate();
            Vec::new()
        }
        Context::Search if matches!(state.overlay, Some(Overlay::ModelName(_) | Overlay::CustomSize(_))) => {
            models::paste_name(state, text);
            Vec::new()
        }
        Context::Search => {
            state.history.search.push_str(&text.replace(['\r', '\n'], " "));
            reload_history(state)
        }
        _ => Vec::new(),
    }
}

fn edit_search(state: &mut State, event: KeyEvent) -> Vec<Command> {
    match event.code {
        KeyCode::Char(c) if !event.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
            state.history.search.push(c);
        }
        KeyCode::Backspace => {
            state.history.search.pop();
        }
        _ => return Vec::new(),
    }
    reload_history(state)
}

pub fn reload_history(state: &mut State) -> Vec<Command> {
    let (query, generation) = state.history.first_page();
    vec![Command::LoadHistory { query, append: false, generation }]
}

fn on_action(state: &mut State, action: Action) -> Vec<Command> {
    match action {
        Action::Submit => submit(state),
        Action::Quit => {
            let (running, unsaved) = (state.live.len(), state.unsaved);
            if running > 0 || unsaved > 0 {
                state.overlay = Some(Overlay::Confirm(Confirm::Quit { running, unsaved }));
            } else {
                state.quit = true;
            }
            Vec::new()
        }
        Action::Suspend => vec![Command::Suspend],
        Action::Help => {
            state.overlay = if state.overlay == Some(Overlay::Help) { None } else { Some(Overlay::Help) };
            state.help_scroll = 0;
            state.help_filter = None;
            Vec::new()
        }
        Action::Search if state.overlay == Some(Overlay::Help) => {
            state.help_filter = Some(String::new());
            state.help_scroll = 0;
            Vec::new()
        }
        Action::Cancel if state.overlay == Some(Overlay::Help) && state.help_filter.is_some() => {
            state.help_filter = None;
            Vec::new()
        }
        Action::FocusNext | Action::FocusPrev => {
            let delta = if action == Action::FocusNext { 1 } else { Focus::ORDER.len() - 1 };
            let at = Focus::ORDER.iter().position(|f| *f == state.focus).unwrap_or(0);
            state.focus = Focus::ORDER[(at + delta) % Focus::ORDER.len()];
            state.history.searching = false;
            Vec::new()
        }
        Action::FocusPrompt => {
            state.focus = Focus::Prompt;
            Vec::new()
        }
        Action::Cancel => {
            if state.overlay.take().is_none() && state.history.searching {
                state.history.searching = false;
                if !state.history.search.is_empty() {
                    state.history.search.clear();
                    return reload_history(state);
                }
            }
            Vec::new()
        }
        Action::Confirm => confirm(state),
        Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::First | Action::Last => {
            move_in_focus(state, action)
        }
        Action::NextValue | Action::PrevValue
            if matches!(
                state.form.selected_field(Some(state.spec())),
                Field::Image(_) | Field::AddImage | Field::Mask
            ) =>
        {
            let target = match state.form.selected_field(Some(state.spec())) {
                Field::Image(i) => Target::Image(i),
                Field::Mask => Target::Mask,
                _ => Target::Image(state.form.images.len()),
            };
            browser::open(state, target)
        }
        Action::MoveItemUp | Action::MoveItemDown => {
            state.form.move_image(&state.catalog, if action == Action::MoveItemUp { -1 } else { 1 });
            state.revalidate();
            Vec::new()
        }
        Action::EditResult => edit_result(state),
        Action::RetrySave if state.unsaved > 0 => vec![Command::RetrySave],
        Action::RetrySave => {
            state.set_notice("no image is waiting to be written", Severity::Info);
            Vec::new()
        }
        Action::ParentDir | Action::OpenPath | Action::Complete => Vec::new(),
        Action::NextValue | Action::PrevValue => {
            let delta = if action == Action::NextValue { 1 } else { -1 };
            models::cycle(state, delta);
            Vec::new()
        }
        Action::ResetValue => {
            state.form.reset_selected(&state.catalog);
            state.revalidate();
            Vec::new()
        }
        Action::Search => {
            state.focus = Focus::History;
            state.history.searching = true;
            Vec::new()
        }
        Action::CancelJob | Action::DeleteJob
            if state.history.selected_row().and_then(|r| r.running_elsewhere).is_some() =>
        {
            let (id, pid) = state.history.selected_row().map(|r| (r.id, r.running_elsewhere)).unwrap_or_default();
            let pid = pid.unwrap_or_default();
            state.set_notice(
                format!("job {id} is running in another imgtui (pid {pid}): cancel or delete it there"),
                Severity::Warning,
            );
            Vec::new()
        }
        Action::CancelJob => match state.selected_job_id() {
            // Nothing was sent for a queued job: it goes without a question.
            Some(id) if state.live.get(&id).is_some_and(|job| job.phase == "queued") => {
                state.set_notice(format!("job {id} cancelled before it started"), Severity::Info);
                vec![Command::CancelJob(id)]
            }
            Some(id) if state.live.contains_key(&id) => {
                state.overlay = Some(Overlay::Confirm(Confirm::CancelJob(id)));
                Vec::new()
            }
            Some(id) => {
                state.set_notice(format!("job {id} is not running"), Severity::Info);
                Vec::new()
            }
            None => Vec::new(),
        },
        Action::RerunJob => state.selected_job_id().map(Command::Rerun).into_iter().collect(),
        Action::LoadJob => match (state.selected_job_id(), &state.details) {
            (Some(id), Some(details)) if details.id == id => {
                let details = details.clone();
                load_into_form(state, &details);
                inspect_inputs(state, &details)
            }
            (Some(id), _) => {
                state.load_when_ready = Some(id);
                vec![Command::LoadDetails(id)]
            }
            (None, _) => Vec::new(),
        },
        Action::DeleteJob => match state.selected_job_id() {
            Some(id) if state.live.contains_key(&id) => {
                state.set_notice(format!("job {id} is running: cancel it (c) before deleting"), Severity::Warning);
                Vec::new()
            }
            Some(id) => {
                state.overlay = Some(Overlay::Confirm(Confirm::DeleteJob(id)));
                Vec::new()
            }
            None => Vec::new(),
        },
        Action::NextImage | Action::PrevImage => {
            let count = state.details.as_ref().map_or(0, |d| d.images.len());
            if count > 1 {
                let delta = if action == Action::NextImage { 1 } else { count - 1 };
                state.image_index = (state.image_index + delta) % count;
            }
            Vec::new()
        }
    }
}

/// "Edit this result": the selected job's shown image becomes the input of a new edit.
fn edit_result(state: &mut State) -> Vec<Command> {
    let Some(job) = state.details.as_ref().filter(|d| Some(d.id) == state.selected_job_id()) else {
        return Vec::new();
    };
    let Some(image) = job.images.get(state.image_index) else {
        state.set_notice(format!("job {} has no image to edit", job.id), Severity::Warning);
        return Vec::new();
    };
    let (id, path) = (job.id, image.path.clone());
    for notice in state.form.switch_mode(JobMode::Edit, &state.catalog) {
        state.set_notice(notice, Severity::Warning);
    }
    state.form.images = vec![path.clone()];
    state.form.mask = None;
    state.form.parent = Some(id);
    state.focus = Focus::Prompt;
    state.revalidate();
    state.set_notice(
        format!("editing job {id}'s image {}: describe the change, then Ctrl-S", state.image_index + 1),
        Severity::Info,
    );
    vec![Command::InspectFiles { paths: vec![path], masks: false }]
}

fn submit(state: &mut State) -> Vec<Command> {
    state.revalidate();
    let empty_prompt = state.prompt_text().trim().is_empty();
    if empty_prompt || !state.errors.is_empty() {
        let mut problems = state.errors.len();
        if empty_prompt && state.errors_for("prompt").next().is_none() {
            problems += 1;
            state.errors.push(crate::api::FieldError::new("prompt", "is empty; describe the image you want"));
        }
        state.set_notice(format!("not sent: fix the {problems} problem(s) shown in red first"), Severity::Error);
        state.refusal_shown = true;
        return Vec::new();
    }
    state.set_notice("submitted", Severity::Info);
    // The demo line has been read by now: its row goes back to the panes.
    state.demo_line = None;
    vec![Command::Submit { request: Box::new(state.request()), parent: state.form.parent }]
}

fn confirm(state: &mut State) -> Vec<Command> {
    let what = match state.overlay.take() {
        Some(Overlay::Confirm(what)) => what,
        Some(Overlay::ModelName(name)) => {
            models::use_typed_name(state, &name);
            return Vec::new();
        }
        Some(Overlay::CustomSize(size)) => {
            models::use_typed_size(state, &size);
            return Vec::new();
        }
        None if state.history.searching => {
            // Enter in the search box: the box closes, the filter stays (Esc clears it).
            state.history.searching = false;
            return Vec::new();
        }
        other => {
            state.overlay = other;
            return Vec::new();
        }
    };
    match what {
        Confirm::Quit { .. } => {
            state.quit = true;
            Vec::new()
        }
        Confirm::CancelJob(id) => vec![Command::CancelJob(id)],
        Confirm::DeleteJob(id) => vec![Command::DeleteJob(id)],
    }
}

fn move_in_focus(state: &mut State, action: Action) -> Vec<Command> {
    let Some(delta) = action.rows(10) else { return Vec::new() };
    match (state.overlay.as_ref(), state.focus) {
        (Some(Overlay::Help), _) => {
            // The render keeps the last page on screen; here the offset only stays in range.
            let lines = crate::tui::ui::overlay::help_text(state).len() as isize;
            state.help_scroll = (state.help_scroll as isize + delta).clamp(0, lines.max(0)) as u16;
            Vec::new()
        }
        (_, Focus::Settings) => {
            state.form.move_selection(&state.catalog, delta);
            Vec::new()
        }
        (_, Focus::History) => {
            let mut commands = Vec::new();
            if state.history.move_by(delta) {
                commands.extend(selection_changed(state));
            }
            if state.history.wants_more()
                && let Some((query, generation)) = state.history.next_page()
            {
                commands.push(Command::LoadHistory { query, append: true, generation });
            }
            commands
        }
        _ => Vec::new(),
    }
}

fn selection_changed(state: &mut State) -> Vec<Command> {
    state.image_index = 0;
    state.selected_job_id().map(Command::LoadDetails).into_iter().collect()
}

/// Puts a past job's prompt and parameters back into the form.
fn load_into_form(state: &mut State, job: &JobRecord) {
    let draft_form = state.form.clone();
    let (prompt, model, options) = match &job.request {
        ImageRequest::Generate(r) => {
            state.form.switch_mode(JobMode::Generate, &state.catalog);
            (&r.prompt, &r.model, &r.options)
        }
        ImageRequest::Edit(r) => {
            state.form.switch_mode(JobMode::Edit, &state.catalog);
            state.form.images = r.images.clone();
            state.form.mask = r.mask.clone();
            (&r.prompt, &r.model, &r.options)
        }
    };
    let loaded: Vec<String> = prompt.lines().map(str::to_string).collect();
    let replaced = std::mem::replace(&mut state.prompt, crate::tui::state::prompt_editor(loaded.clone()));
    state.draft_before_load = Some((replaced.lines().to_vec(), draft_form, loaded));
    state.form.switch_model(model.clone(), &state.catalog);
    state.form.options = options.clone();
    state.focus = Focus::Prompt;
    state.revalidate();
    state.set_notice(format!("loaded job {} into the form (Ctrl-U brings your draft back)", job.id), Severity::Info);
}

/// Ctrl-U right after a load: the draft it replaced comes back, prompt and settings.
fn restore_draft(state: &mut State) -> bool {
    let unchanged =
        state.draft_before_load.as_ref().is_some_and(|(_, _, loaded)| state.prompt.lines() == loaded.as_slice());
    let Some((lines, form, _)) = state.draft_before_load.take().filter(|_| unchanged) else { return false };
    state.prompt = crate::tui::state::prompt_editor(lines);
    state.form = form;
    state.revalidate();
    state.set_notice("your draft is back", Severity::Info);
    true
}

/// The inputs of an edit loaded from the history need their facts read again, and a check
/// that they are still the files the job sent.
fn inspect_inputs(state: &State, job: &JobRecord) -> Vec<Command> {
    let mut commands = Vec::new();
    if !job.inputs.is_empty() {
        commands.push(Command::CheckInputs { id: job.id, inputs: job.inputs.clone() });
    }
    if !state.form.images.is_empty() {
        commands.push(Command::InspectFiles { paths: state.form.images.clone(), masks: false });
    }
    if let Some(mask) = &state.form.mask {
        commands.push(Command::InspectFiles { paths: vec![mask.clone()], masks: true });
    }
    commands
}

fn on_app_event(state: &mut State, event: AppEvent) -> Vec<Command> {
    match event {
        AppEvent::JobQueued { id } => {
            state.live.insert(id, LiveJob::new(state.now, "queued"));
            reload_history(state)
        }
        AppEvent::JobStarted { id } => {
            let now = Instant::now();
            state.now = now;
            if let Some(job) = state.live.get_mut(&id) {
                job.started = now;
                job.phase = "running".into();
            }
            reload_history(state)
        }
        AppEvent::JobProgress { id, progress } => {
            if let Some(job) = state.live.get_mut(&id) {
                match progress {
                    Progress::Attempt { number } if number > 1 => job.phase = format!("attempt {number}"),
                    Progress::Attempt { .. } => {}
                    Progress::RetryScheduled { retry, wait, .. } => {
                        job.retries = retry;
                        job.phase = format!("retry {retry} in {:.1}s", wait.as_secs_f64());
                    }
                    Progress::Downloading { index, total } => job.phase = format!("downloading {}/{total}", index + 1),
                    Progress::Received { .. } => job.phase = "writing".into(),
                    Progress::Partial { index, .. } => job.phase = format!("partial {}", index + 1),
                }
            }
            Vec::new()
        }
        AppEvent::PartialImage { id, index, path } => {
            if let Some(job) = state.live.get_mut(&id) {
                job.phase = format!("partial {}", index + 1);
                job.partial = Some((index, path));
            }
            Vec::new()
        }
        AppEvent::JobFinished { id, status, message } => {
            state.live.remove(&id);
            let severity = match status {
                JobStatus::Done => Severity::Info,
                JobStatus::Cancelled => Severity::Warning,
                _ => Severity::Error,
            };
            state.set_notice(
                format!("job {id} {status}{}", if message.is_empty() { String::new() } else { format!(": {message}") }),
                severity,
            );
            let mut commands = reload_history(state);
            if state.selected_job_id() == Some(id) {
                commands.push(Command::LoadDetails(id));
            }
            commands
        }
        AppEvent::SubmitFailed { message } | AppEvent::StoreError(message) => {
            state.set_notice(message, Severity::Error);
            Vec::new()
        }
        AppEvent::HistoryPage { rows, append, generation } => {
            let before = state.selected_job_id();
            if state.history.receive(rows, append, generation) && state.selected_job_id() != before {
                return selection_changed(state);
            }
            if state.details.is_none() {
                return state.selected_job_id().map(Command::LoadDetails).into_iter().collect();
            }
            Vec::new()
        }
        AppEvent::Details { record, missing_files } => {
            // Only the selected job's details matter; an older answer is dropped.
            if state.selected_job_id() == Some(record.id) {
                let mut commands = Vec::new();
                if state.load_when_ready.take() == Some(record.id) {
                    load_into_form(state, &record);
                    commands = inspect_inputs(state, &record);
                }
                state.image_index = state.image_index.min(record.images.len().saturating_sub(1));
                state.details = Some(*record);
                state.missing_files = missing_files;
                return commands;
            }
            Vec::new()
        }
        event @ (AppEvent::DirListed { .. }
        | AppEvent::FilesInspected(_)
        | AppEvent::Completed { .. }
        | AppEvent::PathResolved { .. }) => browser::on_event(state, event),
        AppEvent::Unsaved { id, count, reason } => {
            state.unsaved += count;
            state.set_notice(
                format!("job {id}: {count} image(s) could not be written ({reason}); they wait in memory: Ctrl-W writes them again"),
                Severity::Error,
            );
            Vec::new()
        }
        AppEvent::SaveRetried { written, waiting, message } => {
            state.unsaved = waiting;
            let severity = if waiting == 0 { Severity::Info } else { Severity::Error };
            state.set_notice(format!("wrote {written} waiting image(s); {waiting} still wait{message}"), severity);
            reload_history(state)
        }
        AppEvent::PreviewReady(prepared) => {
            // A preview for an image no longer selected is dropped.
            if state.preview_path().as_ref() == Some(&prepared.key.path) {
                state.previews.retain(|p| p.key != prepared.key);
                state.previews.push(prepared);
                let excess = state.previews.len().saturating_sub(PREVIEWS_KEPT);
                state.previews.drain(..excess);
            }
            Vec::new()
        }
        AppEvent::PreviewFailed { key, message } => {
            state.preview_errors.insert(key, message);
            Vec::new()
        }
        AppEvent::Rerun(record) => models::rerun(state, *record),
        AppEvent::ModelsListed(listing) => {
            models::listed(state, listing);
            Vec::new()
        }
        AppEvent::InputsChecked { id, changed } => {
            if !changed.is_empty() {
                state.set_notice(
                    format!("job {id}'s inputs are not the files it sent: {}", changed.join("; ")),
                    Severity::Warning,
                );
            }
            Vec::new()
        }
        AppEvent::Deleted { id, problems } => {
            if problems.is_empty() {
                state.set_notice(format!("deleted job {id} and its files"), Severity::Info);
            } else {
                state.set_notice(format!("deleted job {id}; {}", problems.join("; ")), Severity::Warning);
            }
            if state.details.as_ref().is_some_and(|d| d.id == id) {
                state.details = None;
            }
            reload_history(state)
        }
    }
}

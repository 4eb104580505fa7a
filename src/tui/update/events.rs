//! What comes back from work done off the UI task: jobs' progress and ends, history pages,
//! details, previews, the model list.

use std::time::Instant;

use super::super::event::{AppEvent, Command, JobEnd, StoreAsk, StoreWork, SubmitFailure};
use super::super::state::{Confirm, Layer, LiveJob, Phase, Severity, State};
use super::store_failed::store_failed_text;
use super::{browser, load, models, reload_history, selection_changed};
use crate::api::Progress;
use crate::store::JobStatus;
use crate::store::StoreError;

pub(super) fn on_app_event(state: &mut State, event: AppEvent) -> Vec<Command> {
    match event {
        AppEvent::Submitted(ids) => {
            state.jobs.sending = state.jobs.sending.saturating_sub(1);
            let Some(&first) = ids.first() else { return Vec::new() };
            // What was just sent is shown and selected (its first job), whatever the list was
            // filtered by.
            state.jobs.history.follow = Some(first);
            if !state.jobs.history.search.is_empty() || state.jobs.history.starred_only {
                state.jobs.history.search.clear();
                state.layers.close(|l| matches!(l, crate::tui::state::Layer::HistorySearch));
                state.jobs.history.starred_only = false;
                state.set_notice(format!("job {first} sent: the search was cleared to show it"), Severity::Info);
                return reload_history(state);
            }
            vec![Command::Store(StoreAsk::LoadRows(ids))]
        }
        AppEvent::JobQueued { id } => {
            state.jobs.live.insert(id, LiveJob::new(state.env.now, Phase::Queued));
            Vec::new()
        }
        AppEvent::JobStarted { id } => job_started(state, id),
        AppEvent::StartingMask { path, painted } => super::painter::starting_mask(state, path, painted),
        AppEvent::StartingMarkup { path, pixels } => super::painter::starting_markup(state, path, pixels),
        AppEvent::JobProgress { id, progress } => job_progress(state, id, progress),
        AppEvent::PartialImage { id, index, path } => {
            if let Some(job) = state.jobs.live.get_mut(&id) {
                job.phase = Phase::Partial(index + 1);
                job.partial = Some((index, path));
            }
            Vec::new()
        }
        AppEvent::JobFinished { id, end } => job_finished(state, id, &end),
        AppEvent::SubmitFailed(failure) => {
            state.jobs.sending = state.jobs.sending.saturating_sub(1);
            state.set_notice(submit_failed_text(&failure), Severity::Error);
            Vec::new()
        }
        AppEvent::SubmitWaiting => {
            state.set_notice(
                "waiting for the history: another process holds it; the job is recorded and sent when it is free",
                Severity::Warning,
            );
            Vec::new()
        }
        AppEvent::StoreFailed { work, error } => {
            state.set_notice(store_failed_text(work, &error), Severity::Error);
            match work {
                // The star was shown at once: its row is read again, as the history holds it.
                StoreWork::Star(id) => vec![Command::Store(StoreAsk::LoadRows(vec![id]))],
                // The presses that waited for the prompts are done with the list as it is.
                StoreWork::Prompts => super::recall::prompts_read(state),
                // The row left the list at once: the list is read again, the job with it.
                StoreWork::Delete(_) => reload_history(state),
                _ => Vec::new(),
            }
        }
        AppEvent::HistoryPageFailed { generation, error } => {
            state.jobs.history.failed(generation);
            state.set_notice(store_failed_text(StoreWork::Page, &error), Severity::Error);
            Vec::new()
        }
        AppEvent::LateDraft { draft, path } => {
            // Taken only into the form as it started: nothing typed or set here is replaced.
            if state.compose.initial_draft.as_ref() != Some(&crate::tui::state::draft::Draft::of(state)) {
                return Vec::new();
            }
            draft.restore(state);
            state.set_notice("the prompt you were writing is back (its imgtui had just ended)", Severity::Info);
            vec![Command::ForgetDraft(path)]
        }
        AppEvent::HistoryRows(rows) => {
            if state.jobs.history.patch(rows) {
                return selection_changed(state);
            }
            details_behind_their_row(state)
        }
        AppEvent::HistoryPage { rows, append, generation } => {
            let before = state.selected_job_id();
            let received = state.jobs.history.receive(rows, append, generation);
            if received && let Some(commands) = super::tree::seek_further(state) {
                return commands;
            }
            if received && state.selected_job_id() != before {
                return selection_changed(state);
            }
            if state.jobs.job.details.is_none() {
                return state
                    .selected_job_id()
                    .map(|id| Command::Store(StoreAsk::LoadDetails(id)))
                    .into_iter()
                    .collect();
            }
            if received {
                return details_behind_their_row(state);
            }
            Vec::new()
        }
        AppEvent::Details { record, missing_files } => details(state, record, missing_files),
        AppEvent::Spent(spent) => {
            state.env.spent = Some(spent);
            Vec::new()
        }
        AppEvent::SpendLoaded { days, models } => {
            if let Some(view) = state.layers.spend_mut() {
                view.days = Some(days);
                view.models = models;
            }
            Vec::new()
        }
        AppEvent::OutputHistory(history) => {
            state.env.output_history = history;
            Vec::new()
        }
        AppEvent::OverBudget { requests, parent, message } => {
            state.jobs.sending = state.jobs.sending.saturating_sub(1);
            state.set_notice("not sent yet: over a budget", Severity::Warning);
            state.layers.push(Layer::Confirm(Confirm::OverBudget { message, requests, parent }));
            Vec::new()
        }
        AppEvent::Group { id, members } => {
            super::viewer::group_loaded(state, id, members);
            Vec::new()
        }
        AppEvent::HistoryChanged => {
            state.compose.recall.stale = true;
            reload_history(state)
        }
        AppEvent::Prompts { after, recent } => {
            match after {
                None => state.compose.recall.replace_prompts(recent),
                Some(_) => state.compose.recall.add_newer(recent),
            }
            // An open search's matches point into the old list: found again in the new one.
            if let Some(search) = state.layers.recall_mut() {
                search.search_again(&state.compose.recall);
            }
            super::recall::prompts_read(state)
        }
        AppEvent::JobGone(id) => {
            state.set_notice(format!("job {id} is no longer in the history (deleted elsewhere)"), Severity::Info);
            reload_history(state)
        }
        AppEvent::MaskSaved { path, share } => super::painter::saved(state, path, share),
        AppEvent::MarkupSaved { path, marks } => super::painter::markup_saved(state, path, marks),
        AppEvent::MaskNotSaved(message) => {
            state.set_notice(format!("not saved: {message}"), Severity::Error);
            Vec::new()
        }
        event @ (AppEvent::DirListed { .. }
        | AppEvent::FilesInspected(_)
        | AppEvent::Completed { .. }
        | AppEvent::PathResolved { .. }) => browser::on_event(state, event),
        AppEvent::Unsaved { id, count, waiting, reason } => {
            state.jobs.unsaved = waiting;
            state.set_notice(
                format!(
                    "job {id}: {count} image(s) could not be written ({reason}); they wait in memory: {} writes them again",
                    state.env.keymap.hint(crate::tui::keymap::Context::Global, crate::tui::action::Action::RetrySave)
                ),
                Severity::Error,
            );
            Vec::new()
        }
        AppEvent::SaveRetried { written, waiting, message } => {
            state.jobs.unsaved = waiting;
            let severity = if waiting == 0 { Severity::Info } else { Severity::Error };
            state.set_notice(format!("wrote {written} waiting image(s); {waiting} still wait{message}"), severity);
            reload_history(state)
        }
        AppEvent::PreviewReady(prepared) => {
            // A preview for an image no longer selected is dropped.
            let wanted = state.shows(&prepared.key.path);
            state.previews.arrived(prepared, wanted);
            Vec::new()
        }
        AppEvent::PreviewFailed { key, message } => {
            if key.overlay.is_some() {
                super::painter::picture_failed(state, &key.path, &message);
            }
            state.previews.failed(key, message);
            Vec::new()
        }
        AppEvent::Rerun(record) => models::rerun(state, *record),
        AppEvent::ModelsListed(listing) => {
            models::listed(state, listing);
            Vec::new()
        }
        AppEvent::InputsChecked { id, changed } => models::inputs_checked(state, id, changed),
        AppEvent::FirstImages(found) => {
            super::gallery::first_images(state, found);
            Vec::new()
        }
        AppEvent::Deleted { id, problems } => deleted(state, id, problems),
    }
}

/// A running job's phase, from its progress.
fn job_progress(state: &mut State, id: crate::store::JobId, progress: Progress) -> Vec<Command> {
    if let Some(job) = state.jobs.live.get_mut(&id) {
        if let Progress::RetryScheduled { retry, .. } = progress {
            job.retries = retry;
        }
        if let Some(phase) = Phase::after(&progress) {
            job.phase = phase;
        }
    }
    Vec::new()
}

/// A job ended: it leaves the live list, the notice says how, the history shows it.
fn job_finished(state: &mut State, id: crate::store::JobId, end: &JobEnd) -> Vec<Command> {
    let ran = state.jobs.live.remove(&id).map(|job| state.env.now.saturating_duration_since(job.started));
    let notice = notice_of_end(state, id, end, ran);
    let severity = match end.status() {
        JobStatus::Done => Severity::Info,
        JobStatus::Cancelled => Severity::Warning,
        _ => Severity::Error,
    };
    state.set_notice(job_end_text(id, end), severity);
    // Its row is read again alone; what was spent changes with it.
    let mut commands = vec![Command::Store(StoreAsk::LoadRows(vec![id])), Command::Store(StoreAsk::LoadSpent)];
    if state.selected_job_id() == Some(id) {
        commands.push(Command::Store(StoreAsk::LoadDetails(id)));
    }
    // Its tokens are a basis for the next estimates.
    commands.push(Command::Store(StoreAsk::LoadOutputHistory));
    commands.extend(notice);
    // A gallery tile asked for while the job ran has no image: asked again now.
    if let Some(gallery) = state.layers.gallery_mut() {
        gallery.first_images.remove(&id);
        commands.extend(super::gallery::ask_for_page(state));
    }
    commands
}

/// A job that ran longer than `notify_after` ends with the terminal's notification (the bell
/// in tmux, which flags the window), unless the person is watching it: selected, with the
/// terminal focused (the event loop asks tmux whether its window is shown).
fn notice_of_end(
    state: &State,
    id: crate::store::JobId,
    end: &JobEnd,
    ran: Option<std::time::Duration>,
) -> Option<Command> {
    let after = state.env.notify_after?;
    let ran = ran.filter(|ran| *ran >= after)?;
    let watched = state.env.focused && state.selected_job_id() == Some(id);
    let title = format!("imgtui: job {id} {}", end.status());
    let text = job_end_text(id, end);
    let said = text.split_once(": ").map_or(text.as_str(), |(_, rest)| rest);
    let body = format!("{said} ({} s)", ran.as_secs());
    Some(Command::Terminal(crate::tui::event::TerminalAsk::Notify { title, body, watched }))
}

/// The selected job's details again when its row, read from the history, has moved on (another
/// process finished, stopped or cancelled it): the Job pane never says "running" beside a row
/// that says done.
fn details_behind_their_row(state: &State) -> Vec<Command> {
    let Some(row) = state.jobs.history.rows.get(state.jobs.history.selected) else { return Vec::new() };
    match &state.jobs.job.details {
        Some(details) if details.id == row.id && details.status != row.status => {
            vec![Command::Store(StoreAsk::LoadDetails(row.id))]
        }
        _ => Vec::new(),
    }
}

/// Why nothing was sent, and what to do: the prompt and settings are still in the form.
fn submit_failed_text(failure: &SubmitFailure) -> String {
    match failure {
        SubmitFailure::Store(StoreError::Busy { .. }) => {
            "not submitted: another process held the history for a minute; nothing was sent and the form is as it was \
             (Ctrl-S to try again)"
                .to_string()
        }
        SubmitFailure::Store(error) => format!("not submitted: {error}; nothing was sent"),
        SubmitFailure::RunningElsewhere { job, pid } => {
            format!("not submitted: job {job} runs the same entry in imgtui pid {pid}")
        }
    }
}

/// `job 12 done: 2 image(s) saved; …`, `job 12 failed: HTTP 400: …`.
fn job_end_text(id: crate::store::JobId, end: &JobEnd) -> String {
    let status = end.status();
    match end {
        JobEnd::Answered { saved, notes, not_recorded } => {
            let mut text = format!("job {id} {status}: {saved} image(s) saved");
            let history = not_recorded.as_ref().map(|e| format!("not recorded in the history: {e}"));
            for note in notes.iter().chain(&history) {
                text.push_str("; ");
                text.push_str(note);
            }
            text
        }
        JobEnd::Failed(error) => format!("job {id} {status}: {error}"),
        JobEnd::Cancelled { started: false } => format!("job {id} {status}: cancelled before it started"),
        JobEnd::Cancelled { started: true } => format!("job {id} {status}"),
    }
}

/// The selected job in full; an answer for a job no longer selected is dropped.
fn details(
    state: &mut State,
    record: Box<crate::store::JobRecord>,
    missing_files: Vec<std::path::PathBuf>,
) -> Vec<Command> {
    // Only the selected job's details matter; an older answer is dropped.
    if state.selected_job_id() == Some(record.id) {
        let mut commands = Vec::new();
        if state.jobs.job.load_when_ready.take() == Some(record.id) {
            load::load_into_form(state, &record);
            commands = load::inspect_inputs(state, &record);
        }
        state.jobs.job.image_index = state.jobs.job.image_index.min(record.images.len().saturating_sub(1));
        state.jobs.job.details = Some(*record);
        state.jobs.job.missing_files = missing_files;
        return commands;
    }
    Vec::new()
}

/// A job and its files were deleted (with what could not be removed).
fn deleted(state: &mut State, id: crate::store::JobId, problems: Vec<String>) -> Vec<Command> {
    if problems.is_empty() {
        state.set_notice(format!("deleted job {id} and its files"), Severity::Info);
    } else {
        state.set_notice(format!("deleted job {id}; {}", problems.join("; ")), Severity::Warning);
    }
    if state.jobs.job.details.as_ref().is_some_and(|d| d.id == id) {
        state.jobs.job.details = None;
    }
    reload_history(state)
}

/// A job left the queue: its clock starts now.
fn job_started(state: &mut State, id: crate::store::JobId) -> Vec<Command> {
    let now = Instant::now();
    state.env.now = now;
    if let Some(job) = state.jobs.live.get_mut(&id) {
        job.started = now;
        job.phase = Phase::Running;
    }
    vec![Command::Store(StoreAsk::LoadRows(vec![id]))]
}

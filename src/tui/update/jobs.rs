//! Actions on the selected job: cancel, delete, re-run, load into the form, step through its
//! images.

use super::super::action::Action;
use super::super::event::{Command, StoreAsk};
use super::super::keymap::Context;
use super::super::state::{Confirm, Layer, Phase, Severity, State};
use super::load;

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Command> {
    match action {
        Action::CancelJob if state.jobs.history.selected_row().and_then(|r| r.running_elsewhere).is_some() => {
            let (id, pid) = state.jobs.history.selected_row().map(|r| (r.id, r.running_elsewhere)).unwrap_or_default();
            state.layers.push(Layer::Confirm(Confirm::CancelElsewhere { id, pid: pid.unwrap_or_default() }));
            Vec::new()
        }
        Action::DeleteJob if state.jobs.history.selected_row().and_then(|r| r.running_elsewhere).is_some() => {
            let (id, pid) = state.jobs.history.selected_row().map(|r| (r.id, r.running_elsewhere)).unwrap_or_default();
            let pid = pid.unwrap_or_default();
            state.set_notice(
                format!("job {id} is running in another imgtui (pid {pid}): cancel it (c) first, or delete it there"),
                Severity::Warning,
            );
            Vec::new()
        }
        Action::CancelJob => match state.selected_job_id() {
            // Nothing was sent for a queued job: it goes without a question.
            Some(id) if state.jobs.live.get(&id).is_some_and(|job| job.phase == Phase::Queued) => {
                state.set_notice(format!("job {id} cancelled before it started"), Severity::Info);
                vec![Command::CancelJob(id)]
            }
            Some(id) if state.jobs.live.contains_key(&id) => {
                state.layers.push(Layer::Confirm(Confirm::CancelJob(id)));
                Vec::new()
            }
            Some(id) => {
                state.set_notice(format!("job {id} is not running"), Severity::Info);
                Vec::new()
            }
            None => Vec::new(),
        },
        Action::RerunJob => match state.selected_job_id() {
            // A stray letter in a list must not spend money: asked at once, with the estimate.
            Some(id) if state.env.confirm_paid => {
                let summary = rerun_summary(state, id);
                state.layers.push(Layer::Confirm(Confirm::Rerun { id, summary }));
                Vec::new()
            }
            Some(id) => vec![Command::Store(StoreAsk::Rerun(id))],
            None => Vec::new(),
        },
        Action::LoadJob => match (state.selected_job_id(), &state.jobs.job.details) {
            (Some(id), Some(details)) if details.id == id => {
                let details = details.clone();
                load::load_into_form(state, &details);
                load::inspect_inputs(state, &details)
            }
            (Some(id), _) => {
                state.jobs.job.load_when_ready = Some(id);
                vec![Command::Store(StoreAsk::LoadDetails(id))]
            }
            (None, _) => Vec::new(),
        },
        Action::DeleteJob => match state.selected_job_id() {
            Some(id) if state.jobs.live.contains_key(&id) => {
                let cancel = state.env.keymap.hint(Context::History, Action::CancelJob);
                state.set_notice(
                    format!("job {id} is running: cancel it ({cancel}) before deleting"),
                    Severity::Warning,
                );
                Vec::new()
            }
            Some(id) => {
                state.layers.push(Layer::Confirm(Confirm::DeleteJob(id)));
                Vec::new()
            }
            None => Vec::new(),
        },
        Action::NextImage | Action::PrevImage => {
            let count = state.jobs.job.details.as_ref().map_or(0, |d| d.images.len());
            if count > 1 {
                let delta = if action == Action::NextImage { 1 } else { count - 1 };
                state.jobs.job.image_index = (state.jobs.job.image_index + delta) % count;
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// "gpt-image-2, 1024x1024, ≈ $0.33 for 2 images": what a re-run of job `id` sends and costs,
/// from its details once they are loaded (the selection loads them), else from its row.
fn rerun_summary(state: &State, id: crate::store::JobId) -> String {
    let Some(request) = state.jobs.job.details.as_ref().filter(|d| d.id == id).map(|d| &d.request) else {
        let model = state.jobs.history.selected_row().map(|r| r.model.clone()).unwrap_or_default();
        return format!("{model}, estimate not known yet");
    };
    let options = request.options();
    let images = match options.n.unwrap_or(1) {
        1 => "1 image".to_string(),
        n => format!("{n} images"),
    };
    let size = options.size.as_deref().unwrap_or("default size");
    let price = match state.price_of(request) {
        crate::cost::PriceNote::Estimate(estimate) => estimate.short(),
        crate::cost::PriceNote::NoEstimate => format!("{images}, no estimate"),
        crate::cost::PriceNote::Unknown => format!("{images}, price unknown"),
    };
    format!("{}, {size}, {price}", request.model())
}

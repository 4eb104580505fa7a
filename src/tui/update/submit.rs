//! Ctrl-S: the form's requests (one per prompt variant) checked, asked about when there are
//! several, and handed to the runner with what it checks against the budgets.

use super::super::event::Command;
use super::super::state::{Confirm, Layer, Severity, State};
use crate::api::{FieldError, Param, Problem};

pub(super) fn submit(state: &mut State) -> Vec<Command> {
    state.revalidate();
    let empty_prompt = state.prompt_text().trim().is_empty();
    if empty_prompt || !state.compose.errors.is_empty() {
        let mut problems = state.compose.errors.len();
        if empty_prompt && state.errors_for(Param::Prompt).next().is_none() {
            problems += 1;
            state.compose.errors.push(FieldError::of(Param::Prompt, Problem::Empty));
        }
        // Named, as a row may be out of sight on a small terminal.
        let mut fields: Vec<&str> = Vec::new();
        for error in &state.compose.errors {
            if !fields.contains(&error.param.api_name()) {
                fields.push(error.param.api_name());
            }
        }
        let which = fields.join(", ");
        state.set_notice(
            format!("not sent: fix the {problems} problem(s) shown in red first ({which})"),
            Severity::Error,
        );
        state.compose.refusal_shown = true;
        return Vec::new();
    }
    state.compose.recall.remember(&state.prompt_text());
    // Checked by revalidate: the variants parse and are not too many.
    let requests = state.requests().unwrap_or_default();
    let budget = budget_check(state, &requests);
    let parent = state.compose.form.parent;
    if requests.len() > 1 {
        let summary = state.group_summary(&requests);
        state.layers.push(Layer::Confirm(Confirm::SendGroup { summary, requests, parent, budget }));
        return Vec::new();
    }
    state.set_notice("submitted", Severity::Info);
    // The demo line has been read by now: its row goes back to the panes.
    state.status.demo_line = None;
    vec![Command::Submit { requests, parent, budget }]
}

/// What the runner checks before sending `requests`, when budgets are kept: their estimates
/// added up (none when any is unknown).
pub(super) fn budget_check(state: &State, requests: &[crate::store::ImageRequest]) -> Option<crate::cost::BudgetCheck> {
    let estimate = state.budget_estimate_of(requests);
    state.env.budgets.any().then_some(crate::cost::BudgetCheck { budgets: state.env.budgets, estimate })
}

//! What a headless command checks before it sends: the model table's and the provider's
//! rules, and the budgets (with the estimate they need).

use std::process::ExitCode;

use super::{report_failure, warn_before_sending};
use crate::api::{ApiError, FieldError, Param, Problem};
use crate::cli::OutputArgs;
use crate::engine::Engine;
use crate::store::ImageRequest;

/// What earlier jobs really reported, for estimates where no price table or formula applies.
pub(crate) async fn output_history(engine: &Engine) -> crate::cost::OutputHistory {
    let samples = engine.store.run(|s| s.output_samples(crate::cost::ESTIMATE_SAMPLES)).await.unwrap_or_default();
    crate::cost::OutputHistory::from_samples(samples)
}

/// The budgets and `request`'s estimate (from the price table, else the history), when budgets
/// are kept: what the job's admission is checked against.
pub(crate) async fn budget_check(engine: &Engine, request: &ImageRequest) -> Option<crate::cost::BudgetCheck> {
    let budgets = engine.config.budgets(&engine.paths.config_file).ok().filter(|b| b.any())?;
    let client = &engine.client;
    let history = output_history(engine).await;
    let estimate =
        crate::cost::for_request(request, &engine.prices, client.config().provider, client.models(), &history)
            .for_budgets();
    Some(crate::cost::BudgetCheck { budgets, estimate })
}

/// Why a batch of `estimate` (none: some entry cannot be estimated) would be held back by a
/// budget now, if it would.
pub(crate) async fn batch_refusal(engine: &Engine, estimate: Option<f64>) -> Option<String> {
    let budgets = engine.config.budgets(&engine.paths.config_file).ok().filter(|b| b.any())?;
    let spent = engine.store.run(|s| s.spent()).await.ok()?;
    budgets.refusal(spent, estimate)
}

/// Why `request` would be held back by a budget now, if it would (for `--dry-run`).
pub(crate) async fn budget_refusal(engine: &Engine, request: &ImageRequest) -> Option<String> {
    let check = budget_check(engine, request).await?;
    let spent = engine.store.run(|s| s.spent()).await.ok()?;
    check.budgets.refusal(spent, check.estimate)
}

/// Refuses a request the model table or the provider would refuse, before it reaches the
/// history or the network; says its warnings. `Some(code)` when refused.
pub(super) async fn check_request(
    engine: &Engine,
    output: &OutputArgs,
    request: &ImageRequest,
    force_model: bool,
    sending: bool,
) -> Option<ExitCode> {
    let client = &engine.client;
    if let Some(error) = out_problem(output) {
        return Some(report_failure(output.json, None, &ApiError::Invalid(vec![error])));
    }
    if let Some(why) = engine.catalog.refusal(request.model()).filter(|_| !force_model) {
        let error = FieldError::of(Param::Model, Problem::Retired { why });
        return Some(report_failure(output.json, None, &ApiError::Invalid(vec![error])));
    }
    if let Some(suggestion) = engine.catalog.typo_of(request.model()).filter(|_| !force_model) {
        let error = FieldError::of(Param::Model, Problem::Typo { model: request.model().to_string(), suggestion });
        return Some(report_failure(output.json, None, &ApiError::Invalid(vec![error])));
    }
    let checked = match request {
        ImageRequest::Generate(r) => r.validate(client.models()),
        ImageRequest::Edit(r) => {
            let (r, models, provider) = (r.clone(), client.models().clone(), client.config().provider);
            tokio::task::spawn_blocking(move || r.validate(&models, provider)).await.unwrap_or_else(|e| {
                Err(vec![FieldError::said(Param::Image, format!("the input files could not be checked: {e}"))])
            })
        }
    };
    match checked {
        Ok(warnings) => {
            warn_before_sending(engine, request, &engine.catalog.advise(warnings), sending);
            None
        }
        Err(errors) => Some(report_failure(output.json, None, &ApiError::Invalid(engine.catalog.advise(errors)))),
    }
}

/// `--out` naming something that is not a folder: refused before anything is sent, rather
/// than the images quietly going to the usual folder.
pub(crate) fn out_problem(output: &OutputArgs) -> Option<FieldError> {
    let out = output.out.as_ref()?;
    let meta = std::fs::metadata(out).ok()?;
    (!meta.is_dir()).then(|| {
        let shown = crate::text::escape_controls(&out.display().to_string());
        FieldError::said(Param::Out, format!("{shown} is a file, not a folder; name a folder (it is made if missing)"))
    })
}

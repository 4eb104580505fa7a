//! The demo server's model list: `GET /v1/models` in OpenAI's shape (with `shutdown_date`),
//! and `model_not_found` for a model it does not serve or has shut down. By default it serves
//! every model of the table, snapshots included; a test can give it its own list and a "today"
//! (`DemoConfig::catalog`, or `POST /_demo/catalog`), so a model can retire tomorrow.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::DemoState;
use super::routes::api_error;
use crate::api::ModelTable;
use crate::catalog::ListedModel;
use crate::clock::Date;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoCatalog {
    /// The day the server believes it is (default: the real one).
    #[serde(default)]
    pub today: Option<Date>,
    pub models: Vec<ListedModel>,
}

impl DemoCatalog {
    /// Every model of `table`, by name and alias, with no shutdown date.
    pub fn serving_all(table: &ModelTable) -> Self {
        let names = table.all().iter().flat_map(|m| std::iter::once(&m.name).chain(&m.aliases));
        Self { today: None, models: names.map(|id| ListedModel { id: id.clone(), shutdown_date: None }).collect() }
    }

    /// The 404 the real API gives for `model`, if it is not served (any more).
    pub fn refusal(&self, model: &str) -> Option<Response> {
        let today = self.today.unwrap_or_else(Date::today);
        let message = match self.models.iter().find(|m| m.id == model) {
            None => format!("The model `{model}` does not exist or you do not have access to it."),
            Some(m) if m.shutdown_date.is_some_and(|d| d <= today) => format!(
                "The model `{model}` has been deprecated, learn more here: https://platform.openai.com/docs/deprecations"
            ),
            Some(_) => return None,
        };
        Some(api_error(StatusCode::NOT_FOUND, message, Some("model"), Some("model_not_found")))
    }
}

pub(super) async fn list(State(state): State<Arc<DemoState>>) -> Json<Value> {
    let catalog = state.lock_catalog().clone();
    let data: Vec<Value> = catalog
        .models
        .iter()
        .map(|m| json!({ "id": m.id, "object": "model", "created": 1_757_289_600, "owned_by": "system", "shutdown_date": m.shutdown_date }))
        .collect();
    Json(json!({ "object": "list", "data": data }))
}

pub(super) async fn replace(State(state): State<Arc<DemoState>>, Json(catalog): Json<DemoCatalog>) -> Response {
    let count = catalog.models.len();
    *state.lock_catalog() = catalog;
    Json(json!({ "models": count })).into_response()
}

//! What a provider says it serves: the answer of `GET {base}/models`, kept to image models,
//! and where the list in use came from.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::{ModelTable, Provider};
use crate::clock::Date;

/// One model of the provider's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedModel {
    pub id: String,
    /// The day the provider stops serving it, when announced.
    pub shutdown_date: Option<Date>,
}

/// Where the list of models in use came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ListingSource {
    /// The provider's `GET /models`, asked on `fetched` (now, or earlier and cached).
    Provider { provider: Provider, fetched: Date, cached: bool },
    /// imgtui's own knowledge (`lifecycle.rs`), with why the provider's list is not in use.
    Builtin { reason: String },
    /// The provider is being asked; imgtui's own knowledge serves meanwhile.
    Asking { provider: Provider },
}

impl fmt::Display for ListingSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The demo answers from this process: its list is always today's.
            Self::Provider { provider: Provider::Demo, .. } => f.write_str("models: from demo"),
            Self::Provider { provider, fetched, .. } => write!(f, "models: from {provider}, {fetched}"),
            Self::Builtin { .. } => f.write_str("models: built-in list"),
            Self::Asking { provider } => write!(f, "models: asking {provider}…"),
        }
    }
}

/// The models in use and their source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub source: ListingSource,
    /// The provider's image models; empty for the built-in list.
    pub models: Vec<ListedModel>,
}

impl Listing {
    pub fn builtin(reason: impl Into<String>) -> Self {
        Self { source: ListingSource::Builtin { reason: reason.into() }, models: Vec::new() }
    }

    pub fn from_provider(&self) -> bool {
        matches!(self.source, ListingSource::Provider { .. })
    }

    pub fn find(&self, id: &str) -> Option<&ListedModel> {
        self.models.iter().find(|m| m.id == id)
    }
}

/// Whether an id from the provider's list is an image model imgtui should offer: the image
/// families, and anything the table (or the config) names.
pub fn is_image_model(id: &str, table: &ModelTable) -> bool {
    ["gpt-image-", "dall-e-", "chatgpt-image-"].iter().any(|p| id.starts_with(p)) || table.get(id).is_some()
}

/// Parses the answer of `GET /models` (`{"data":[{"id":…,"shutdown_date":…}]}`, bare or in
/// TTAPI's envelope) into its image models. Unknown fields are ignored; a bad date is dropped,
/// not fatal.
pub fn parse_models(body: &[u8], table: &ModelTable) -> Result<Vec<ListedModel>, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("the list is not JSON ({e})"))?;
    let data = value
        .get("data")
        .and_then(|d| d.as_array().or_else(|| d.get("data").and_then(Value::as_array)))
        .ok_or("the list has no `data` array")?;
    let mut models: Vec<ListedModel> = Vec::new();
    for entry in data {
        let Some(id) = entry.get("id").and_then(Value::as_str) else { continue };
        // An id that could not be sent as -m (spaces, controls, too long) is not offered either.
        let sendable = crate::api::validate::model_name_problem(id).is_none();
        if !sendable || !is_image_model(id, table) || models.iter().any(|m| m.id == id) {
            continue;
        }
        let shutdown_date = entry.get("shutdown_date").and_then(Value::as_str).and_then(|d| d.parse().ok());
        models.push(ListedModel { id: id.to_string(), shutdown_date });
    }
    Ok(models)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_image_models_with_their_dates() {
        let body = br#"{"object":"list","data":[
            {"id":"gpt-4o","object":"model"},
            {"id":"gpt-image-1","shutdown_date":"2026-10-23"},
            {"id":"gpt-image-2.5-flare","shutdown_date":null},
            {"id":"dall-e-3","shutdown_date":"soon"},
            {"id":"chatgpt-image-latest"},
            {"id":"gpt-image-\u001b[31mevil"},
            {"id":"gpt-image-3 x"},
            {"object":"model"}
        ]}"#;
        let models = parse_models(body, &ModelTable::builtin()).unwrap();
        let ids: Vec<_> = models.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["gpt-image-1", "gpt-image-2.5-flare", "dall-e-3", "chatgpt-image-latest"]);
        assert_eq!(models[0].shutdown_date, Some(Date::new(2026, 10, 23)));
        assert_eq!(models[2].shutdown_date, None, "a bad date is dropped");
        let enveloped = br#"{"status":"SUCCESS","data":{"data":[{"id":"gpt-image-2"}]}}"#;
        assert_eq!(parse_models(enveloped, &ModelTable::builtin()).unwrap().len(), 1);
        assert!(parse_models(b"<html>", &ModelTable::builtin()).is_err());
        assert!(parse_models(b"{}", &ModelTable::builtin()).is_err());
    }
}

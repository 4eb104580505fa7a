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

    pub fn is_from_provider(&self) -> bool {
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

/// The most models of a provider's list that are kept: providers serve a handful of image
/// models; a list of thousands is a broken or hostile server, and every menu would pay for it.
pub const LISTED_MAX: usize = 256;
/// The longest model id kept.
pub const ID_MAX: usize = 128;

/// Whether `id` is a model id imgtui will show, send and hand to a shell's completion: ASCII
/// letters, digits and `._:-`, starting with a letter or digit (so never a flag), at most
/// `ID_MAX` long. Nothing that prints like another id (a zero-width space), nothing a shell
/// would expand.
pub fn is_safe_id(id: &str) -> bool {
    id.len() <= ID_MAX
        && id.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric)
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"._:-".contains(&b))
}

/// `models` kept to safe image-model ids, each once, at most `LISTED_MAX` (the ones the table
/// knows first), in their order: for a list just fetched and for one read back from the cache.
pub fn cleaned(models: Vec<ListedModel>, table: &ModelTable) -> Vec<ListedModel> {
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<ListedModel> = models
        .into_iter()
        .filter(|m| is_safe_id(&m.id) && is_image_model(&m.id, table) && seen.insert(m.id.clone()))
        .collect();
    if unique.len() <= LISTED_MAX {
        return unique;
    }
    let known = unique.iter().filter(|m| table.get(&m.id).is_some()).count().min(LISTED_MAX);
    let mut others_left = LISTED_MAX - known;
    let mut known_left = known;
    let dropped = unique.len() - LISTED_MAX;
    tracing::warn!(
        "the provider lists {} image models; the first {LISTED_MAX} are kept, {dropped} dropped",
        unique.len()
    );
    unique
        .into_iter()
        .filter(|m| {
            let slot = if table.get(&m.id).is_some() { &mut known_left } else { &mut others_left };
            let keep = *slot > 0;
            *slot = slot.saturating_sub(1);
            keep
        })
        .collect()
}

/// Parses the answer of `GET /models` (`{"data":[{"id":…,"shutdown_date":…}]}`, bare or in
/// TTAPI's envelope) into its image models (see `cleaned`). Unknown fields are ignored; a bad
/// date is dropped, not fatal.
pub fn parse_models(body: &[u8], table: &ModelTable) -> Result<Vec<ListedModel>, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("the list is not JSON ({e})"))?;
    let data = value
        .get("data")
        .and_then(|d| d.as_array().or_else(|| d.get("data").and_then(Value::as_array)))
        .ok_or("the list has no `data` array")?;
    let models = data
        .iter()
        .filter_map(|entry| {
            let id = entry.get("id").and_then(Value::as_str)?;
            // Checked before anything is copied: a list of 100,000 odd ids costs a pass, no more.
            if !is_safe_id(id) || !is_image_model(id, table) {
                return None;
            }
            let shutdown_date = entry.get("shutdown_date").and_then(Value::as_str).and_then(|d| d.parse().ok());
            Some(ListedModel { id: id.to_string(), shutdown_date })
        })
        .collect();
    Ok(cleaned(models, table))
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

    #[test]
    fn only_ids_a_shell_cannot_misread_are_kept() {
        for bad in
            ["gpt-image-`touch${IFS}x`", "gpt-image-2\u{200b}", "gpt-image-$(id)", "-gpt-image", "gpt-image-2/x", ""]
        {
            assert!(!is_safe_id(bad), "{bad:?}");
        }
        for good in ["gpt-image-2.6-flare", "gpt-image-2-2026-04-21", "ft:gpt-image-2:acme:1", "dall-e-3"] {
            assert!(is_safe_id(good), "{good}");
        }
        assert!(!is_safe_id(&format!("gpt-image-{}", "9".repeat(ID_MAX))));
    }

    #[test]
    fn a_list_of_a_hundred_thousand_ids_is_read_once_and_kept_short() {
        let table = ModelTable::builtin();
        let mut data: Vec<String> = (0..110_000).map(|i| format!("{{\"id\":\"gpt-image-x{}\"}}", i % 60_000)).collect();
        data.push("{\"id\":\"gpt-image-2.6-flare\"}".into());
        let body = format!("{{\"data\":[{}]}}", data.join(","));
        let started = std::time::Instant::now();
        let models = parse_models(body.as_bytes(), &table).unwrap();
        assert_eq!(models.len(), LISTED_MAX);
        assert!(models.iter().any(|m| m.id == "gpt-image-2.6-flare"), "a model the table knows is kept first");
        let unique: std::collections::HashSet<_> = models.iter().map(|m| &m.id).collect();
        assert_eq!(unique.len(), LISTED_MAX, "each once");
        // Linear: a quadratic pass over 110,000 ids takes minutes, this one well under them.
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
    }
}

//! The provider's list of models: asked with `GET /models`, cached in the data dir for a day,
//! and replaced by imgtui's built-in knowledge when it cannot be had (a 404, a refused key, a
//! timeout, no network). Never on the UI task: the app asks from a task of its own.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::ModelCatalog;
use super::listing::{self, ListedModel, Listing, ListingSource};
use crate::api::{Client, ModelTable, Provider};
use crate::clock::Date;

/// How long a fetched list is trusted before it is asked again.
pub const MAX_AGE_SECS: i64 = 24 * 60 * 60;
/// How long a failed ask is remembered (TTAPI answers 404 every time; a slow provider should
/// not cost every command its wait).
pub const FAILURE_MAX_AGE_SECS: i64 = 60 * 60;
const CACHE_FILE: &str = "models-cache.json";
/// A cache file is small; anything bigger is not ours.
const CACHE_MAX_BYTES: u64 = 1024 * 1024;

/// When to ask the provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fetch {
    /// Use what was learned in the last day (or a failure of the last hour), else ask.
    IfStale,
    /// Ask now (`--refresh`).
    Now,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    provider: Provider,
    /// The base URL asked, without any user:password part.
    base_url: String,
    fetched_unix: i64,
    models: Vec<ListedModel>,
    /// Why the last ask failed; `models` is then empty.
    #[serde(default)]
    failure: Option<String>,
}

pub fn cache_path(data_dir: &Path) -> PathBuf {
    data_dir.join(CACHE_FILE)
}

fn now_unix() -> i64 {
    crate::clock::now_unix()
}

pub use crate::api::client_config::public_url;

/// What was learned for this provider and URL, if it is still fresh: a list from the last
/// day, or a failure from the last hour. Anything odd at the path (a FIFO, a device, a huge
/// or broken file) is no cache.
fn read_cache(path: &Path, provider: Provider, base_url: &str, now: i64, table: &ModelTable) -> Option<CacheFile> {
    let text = crate::files::read_text_bounded(path, CACHE_MAX_BYTES).ok()?;
    let mut cache: CacheFile = serde_json::from_str(&text).ok()?;
    // A file anyone could have edited is checked as a fresh answer is.
    cache.models = listing::cleaned(std::mem::take(&mut cache.models), table);
    let max_age = if cache.failure.is_some() { FAILURE_MAX_AGE_SECS } else { MAX_AGE_SECS };
    // `now` of i64::MIN: any age will do.
    let fresh = now == i64::MIN || (0..max_age).contains(&now.saturating_sub(cache.fetched_unix));
    (cache.provider == provider && cache.base_url == base_url && fresh).then_some(cache)
}

/// The model names in the last list cached, whatever its age or provider: for completing
/// `--model` in the shell, where any hint beats none.
pub fn cached_model_names(data_dir: &Path) -> Vec<String> {
    let text = crate::files::read_text_bounded(&cache_path(data_dir), CACHE_MAX_BYTES).unwrap_or_default();
    let models = serde_json::from_str::<CacheFile>(&text).map(|c| c.models).unwrap_or_default();
    listing::cleaned(models, &ModelTable::builtin()).into_iter().map(|m| m.id).collect()
}

/// Writes the cache through a temp file and a rename, so a reader never sees half of it; never
/// more than the reader takes (a cache it would refuse is asked again by every command).
fn write_cache(path: &Path, cache: &CacheFile) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text = serde_json::to_vec(cache).map_err(std::io::Error::other)?;
    if text.len() as u64 > CACHE_MAX_BYTES {
        return Err(std::io::Error::other(format!("the list is over the cache's {} KB", CACHE_MAX_BYTES >> 10)));
    }
    let temp = path.with_extension(format!("json.{}.tmp", std::process::id()));
    std::fs::write(&temp, text)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

fn from_cache(cache: CacheFile, cached: bool) -> Listing {
    if let Some(failure) = cache.failure {
        return Listing::builtin(format!(
            "{failure} (asked {}; asked again after an hour)",
            asked_at(cache.fetched_unix)
        ));
    }
    let source =
        ListingSource::Provider { provider: cache.provider, fetched: Date::from_unix(cache.fetched_unix), cached };
    Listing { source, models: cache.models }
}

/// `2026-11-26 09:15 UTC`.
fn asked_at(unix: i64) -> String {
    let time = crate::files::utc_time(unix.saturating_mul(1000));
    format!("{} UTC", &time[..time.len().min(16)])
}

/// The provider's list as `fetch` allows, or the built-in one with the reason (logged).
pub async fn load_listing(client: &Client, data_dir: &Path, fetch: Fetch) -> Listing {
    // The URL as it may be written down: it is what the cache is kept under.
    let (provider, base_url) = (client.config().provider, client.config().public_base_url());
    let path = cache_path(data_dir);
    // The demo server answers at once from this process, on a new port each run: no cache.
    let demo = provider == Provider::Demo;
    if !demo && fetch == Fetch::IfStale {
        let reading = (path.clone(), base_url.clone(), client.models().clone());
        let cached =
            tokio::task::spawn_blocking(move || read_cache(&reading.0, provider, &reading.1, now_unix(), &reading.2))
                .await;
        if let Ok(Some(cache)) = cached {
            return from_cache(cache, true);
        }
    }
    let answer = client.list_models().await;
    let parsed = answer.map_err(|e| e.to_string()).and_then(|body| listing::parse_models(&body, client.models()));
    let (models, failure) = match parsed {
        Ok(models) => {
            tracing::info!(%provider, count = models.len(), "model list fetched");
            (models, None)
        }
        Err(why) => {
            tracing::warn!(%provider, "GET /models failed, using the built-in model list: {why}");
            (Vec::new(), Some(format!("GET /models failed: {why}")))
        }
    };
    let cache = CacheFile { provider, base_url, fetched_unix: now_unix(), models, failure };
    if demo {
        return from_cache(cache, false);
    }
    // What was learned is used even when it cannot be kept for the next run.
    let written = tokio::task::spawn_blocking(move || {
        let written = write_cache(&path, &cache);
        (cache, written)
    })
    .await;
    match written {
        Ok((cache, written)) => {
            if let Err(e) = written {
                tracing::warn!("cannot keep the model list in {}: {e}", cache_path(data_dir).display());
            }
            from_cache(cache, false)
        }
        Err(e) => Listing::builtin(format!("the model list was lost: {e}")),
    }
}

/// The catalog without asking the provider (no key to ask with): the list this provider gave
/// last time, however old, else the built-in one; said either way.
pub async fn load_offline(client: &Client, data_dir: &Path) -> ModelCatalog {
    let (provider, base_url) = (client.config().provider, client.config().public_base_url());
    let (path, table) = (cache_path(data_dir), client.models().clone());
    let cached = tokio::task::spawn_blocking(move || read_cache(&path, provider, &base_url, i64::MIN, &table)).await;
    let listing = match cached {
        Ok(Some(cache)) if cache.failure.is_none() => from_cache(cache, true),
        _ => Listing::builtin(format!("no API key, so {provider} was not asked")),
    };
    ModelCatalog { table: client.models().clone(), provider, listing, today: Date::today() }
}

/// The catalog for this client: its table, its provider, and the listing `fetch` allows.
pub async fn load(client: &Client, data_dir: &Path, fetch: Fetch) -> ModelCatalog {
    let listing = load_listing(client, data_dir, fetch).await;
    ModelCatalog { table: client.models().clone(), provider: client.config().provider, listing, today: Date::today() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_is_per_provider_and_url_and_ages_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = cache_path(dir.path());
        let models = vec![ListedModel { id: "gpt-image-2".into(), shutdown_date: None }];
        let cache = CacheFile {
            provider: Provider::Openai,
            base_url: public_url("https://u:pw@api.example/v1"),
            fetched_unix: 1000,
            models,
            failure: None,
        };
        write_cache(&path, &cache).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("pw"), "no credentials on disk: {text}");
        let url = "https://api.example/v1";
        assert!(read_cache(&path, Provider::Openai, url, 1000 + MAX_AGE_SECS - 1, &ModelTable::builtin()).is_some());
        assert!(
            read_cache(&path, Provider::Openai, url, 1000 + MAX_AGE_SECS, &ModelTable::builtin()).is_none(),
            "a day old"
        );
        assert!(read_cache(&path, Provider::Ttapi, url, 1001, &ModelTable::builtin()).is_none(), "another provider");
        assert!(
            read_cache(&path, Provider::Openai, "https://other/v1", 1001, &ModelTable::builtin()).is_none(),
            "another URL"
        );
        std::fs::write(&path, "{").unwrap();
        assert!(
            read_cache(&path, Provider::Openai, url, 1001, &ModelTable::builtin()).is_none(),
            "a broken file is no cache"
        );
        std::fs::remove_file(&path).unwrap();
        assert!(std::process::Command::new("mkfifo").arg(&path).status().unwrap().success());
        assert!(
            read_cache(&path, Provider::Openai, url, 1001, &ModelTable::builtin()).is_none(),
            "a FIFO is no cache, and no wait"
        );
        std::fs::remove_file(&path).unwrap();
        let failed = CacheFile {
            provider: Provider::Openai,
            base_url: url.into(),
            fetched_unix: 1000,
            models: Vec::new(),
            failure: Some("404".into()),
        };
        write_cache(&path, &failed).unwrap();
        assert!(
            read_cache(&path, Provider::Openai, url, 1000 + FAILURE_MAX_AGE_SECS - 1, &ModelTable::builtin()).is_some()
        );
        assert!(
            read_cache(&path, Provider::Openai, url, 1000 + FAILURE_MAX_AGE_SECS, &ModelTable::builtin()).is_none(),
            "asked again"
        );
    }
}

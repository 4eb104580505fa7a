//! The model catalog against the demo server over real HTTP: the provider's list with its
//! shutdown dates, the fallbacks when it cannot be had, the cache, and models the table does
//! not know or the provider has retired.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use imgtui::api::lifecycle::Lifecycle;
use imgtui::api::{ApiError, GenerateRequest, ModelTable, Provider, RequestControl};
use imgtui::catalog::fetch::{self, Fetch};
use imgtui::catalog::{ListedModel, ListingSource};
use imgtui::clock::Date;
use imgtui::demo::faults::openai_error;
use imgtui::demo::faults::{Fault, FaultRule};
use imgtui::demo::{DemoCatalog, DemoConfig};

fn listed(id: &str, shutdown: Option<Date>) -> ListedModel {
    ListedModel { id: id.into(), shutdown_date: shutdown }
}

#[tokio::test]
async fn the_demo_lists_every_model_of_the_table_with_its_snapshots() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let listing = fetch::load_listing(&common::client(&server), data.path(), Fetch::IfStale).await;
    assert!(matches!(listing.source, ListingSource::Provider { provider: Provider::Openai, cached: false, .. }));
    let ids: Vec<_> = listing.models.iter().map(|m| m.id.as_str()).collect();
    for name in ["gpt-image-2.5-flare", "gpt-image-2.5-sunburst-2026-09-08", "gpt-image-2-2026-04-21", "dall-e-3"] {
        assert!(ids.contains(&name), "{name} in {ids:?}");
    }
    assert!(listing.models.iter().all(|m| m.shutdown_date.is_none()));
}

#[tokio::test]
async fn the_list_is_cached_for_a_day_and_asked_again_on_demand() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let client = common::client(&server);
    fetch::load_listing(&client, data.path(), Fetch::IfStale).await;
    assert!(fetch::cache_path(data.path()).is_file());
    // The server would now refuse the list: the cache answers instead.
    server.faults().push(FaultRule::times(openai_error(500, "down"), 5).on("/models"));
    let cached = fetch::load_listing(&client, data.path(), Fetch::IfStale).await;
    assert!(matches!(cached.source, ListingSource::Provider { cached: true, .. }), "{:?}", cached.source);
    let cached = fetch::load_listing(&client, data.path(), Fetch::IfStale).await;
    assert!(matches!(cached.source, ListingSource::Provider { cached: true, .. }), "{:?}", cached.source);
    let refreshed = fetch::load_listing(&client, data.path(), Fetch::Now).await;
    assert!(matches!(refreshed.source, ListingSource::Builtin { .. }), "asked now, and it failed");
}

#[tokio::test]
async fn a_404_a_refused_key_or_no_server_falls_back_to_the_builtin_list() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let client = common::client(&server);
    for fault in [openai_error(404, "Invalid URL (GET /v1/models)"), openai_error(401, "Incorrect API key")] {
        server.faults().push(FaultRule::once(fault).on("/models"));
        let listing = fetch::load_listing(&client, data.path(), Fetch::Now).await;
        let ListingSource::Builtin { reason } = &listing.source else { panic!("{:?}", listing.source) };
        assert!(reason.contains("GET /models failed"), "{reason}");
        assert_eq!(listing.source.to_string(), "models: built-in list");
    }
    let nowhere = imgtui::api::ClientConfig::new(Provider::Openai, "http://127.0.0.1:9/v1", None);
    let catalog = fetch::load(&common::client_with(nowhere), data.path(), Fetch::Now).await;
    assert!(matches!(catalog.listing.source, ListingSource::Builtin { .. }));
    assert!(catalog.state("gpt-image-1").is_shut_down(), "OpenAI's dates are built in");
}

#[tokio::test]
async fn a_model_retires_tomorrow_and_is_refused_after() {
    let today = Date::new(2026, 11, 26);
    let tomorrow = Date::new(2026, 11, 27);
    let catalog = DemoCatalog {
        today: Some(today),
        models: vec![listed("gpt-image-2", Some(tomorrow)), listed("gpt-image-2.5-flare", None)],
    };
    let server = common::demo_with(DemoConfig { catalog: Some(catalog.clone()), ..DemoConfig::instant() }).await;
    let data = tempfile::tempdir().unwrap();
    let client = common::client(&server);
    let mut models = fetch::load(&client, data.path(), Fetch::Now).await;
    models.today = today;
    assert_eq!(models.state("gpt-image-2"), Lifecycle::Deprecated { shutdown: tomorrow });
    assert_eq!(models.listed("gpt-image-1"), Some(false));
    let request = GenerateRequest::new("gpt-image-2", "a fox");
    client.generate(&request, &RequestControl::default()).await.expect("served until tomorrow");

    // Tomorrow: the server refuses it, and so does imgtui before sending.
    let body = serde_json::to_string(&DemoCatalog { today: Some(tomorrow), ..catalog }).unwrap();
    let answer = reqwest::Client::new()
        .post(format!("http://{}/_demo/catalog", server.addr()))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success());
    let err = client.generate(&request, &RequestControl::default()).await.unwrap_err();
    let ApiError::Http { status: 404, code, .. } = &err else { panic!("{err:?}") };
    assert_eq!(code.as_deref(), Some("model_not_found"));
    assert!(err.to_string().contains("has been deprecated"), "{err}");
    models.today = tomorrow;
    let refusal = models.refusal("gpt-image-2").unwrap();
    assert!(refusal.contains("2026-11-27") && refusal.contains("gpt-image-2.5-flare"), "{refusal}");
}

#[tokio::test]
async fn a_model_the_table_does_not_know_is_sent_with_guessed_rules() {
    let server = common::demo().await;
    let client = common::client(&server);
    let mut request = GenerateRequest::new("gpt-image-9", "a fox");
    request.options.quality = Some("ultra".into());
    let warnings = request.validate(&ModelTable::builtin()).expect("a warning, not a refusal");
    assert!(warnings[0].message().contains("rules guessed from gpt-image-2"), "{warnings:?}");
    let err = client.generate(&request, &RequestControl::default()).await.unwrap_err();
    assert_eq!(server.requests().len(), 1, "it was sent");
    assert!(err.to_string().contains("gpt-image-9") && err.to_string().contains("does not serve"), "{err}");
    // A known model's rules stay strict: nothing sent.
    let strict = GenerateRequest { model: "gpt-image-2".into(), ..request };
    assert!(matches!(client.generate(&strict, &RequestControl::default()).await, Err(ApiError::Invalid(_))));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn streaming_refused_for_an_unverified_organization_is_sent_again_without_it() {
    let server = common::demo().await;
    let refusal = openai_error(400, "Your organization must be verified to stream this model.");
    server.faults().push(FaultRule::once(refusal).on("generations"));
    let mut request = GenerateRequest::new("gpt-image-2.5-flare", "a fox");
    request.options.stream = Some(true);
    request.options.partial_images = Some(2);
    let result = common::client(&server).generate(&request, &RequestControl::default()).await.unwrap();
    assert_eq!(result.images.len(), 1);
    assert!(result.notes[0].contains("without streaming"), "{:?}", result.notes);
    assert_eq!(server.faults().pending(), 0, "the first attempt met the refusal");
    let sent = server.requests();
    assert_eq!(sent.len(), 1, "the refused attempt is answered before the server records it");
    let second = sent[0].json.as_ref().unwrap();
    assert!(second.get("stream").is_none() && second.get("partial_images").is_none(), "{second}");
}

#[tokio::test]
async fn moderation_refusals_are_not_retried_and_say_so() {
    let server = common::demo().await;
    let body = serde_json::json!({"error": {"message": "Your request was rejected by the safety system.",
        "type": "invalid_request_error", "param": null, "code": "moderation_blocked"}});
    let fault = Fault::Status { status: 400, body: body.to_string(), headers: Vec::new() };
    server.faults().push(FaultRule::times(fault, 3).on("generations"));
    let request = GenerateRequest::new("gpt-image-2", "a fox");
    let err = common::client(&server).generate(&request, &RequestControl::default()).await.unwrap_err();
    assert_eq!(server.faults().pending(), 2, "never retried");
    assert!(err.to_string().contains("moderation") && err.to_string().contains("rephrase"), "{err}");
}

#[test]
fn the_readme_lists_the_models_of_the_table() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/models.md")).unwrap();
    let table = imgtui::models_cli::markdown_table(&ModelTable::builtin());
    assert!(readme.contains(&table), "docs/models.md's model table should be:\n{table}");
}

#[tokio::test]
async fn a_failed_ask_is_remembered_for_an_hour_so_each_command_does_not_wait_again() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let client = common::client(&server);
    server.faults().push(FaultRule::times(openai_error(404, "Invalid URL (GET /v1/models)"), 2).on("/models"));
    let first = fetch::load_listing(&client, data.path(), Fetch::IfStale).await;
    assert!(matches!(first.source, ListingSource::Builtin { .. }));
    let second = fetch::load_listing(&client, data.path(), Fetch::IfStale).await;
    let ListingSource::Builtin { reason } = &second.source else { panic!("{:?}", second.source) };
    assert!(reason.contains("asked again after an hour"), "{reason}");
    assert_eq!(server.faults().pending(), 1, "the second command did not ask");
    let refreshed = fetch::load_listing(&client, data.path(), Fetch::Now).await;
    assert!(matches!(refreshed.source, ListingSource::Builtin { .. }), "--refresh asks (and meets the 404)");
    assert_eq!(server.faults().pending(), 0);
}

#[tokio::test]
async fn a_model_the_provider_does_not_list_is_sent_with_a_warning() {
    let catalog = DemoCatalog { today: None, models: vec![listed("gpt-image-2", None)] };
    let server = common::demo_with(DemoConfig { catalog: Some(catalog), ..DemoConfig::instant() }).await;
    let data = tempfile::tempdir().unwrap();
    let out = common::imgtui_at(data.path(), "sk-test", server.base_url())
        .args(["generate", "a fox", "-m", "gpt-image-2.5-flare"])
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("gpt-image-2.5-flare is not listed by OpenAI"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "sent, and the server refused it: {stderr}");
    // With no -m, the default is a model the provider lists.
    let out = common::imgtui_at(data.path(), "sk-test", server.base_url())
        .args(["generate", "a fox", "--json"])
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn a_list_of_a_hundred_thousand_ids_is_kept_short_cached_and_not_asked_again() {
    let mut ids: Vec<String> = (0..110_000).map(|i| format!("{{\"id\":\"gpt-image-x{i}\"}}")).collect();
    ids.push(r#"{"id":"gpt-image-`touch${IFS}x`"}"#.into());
    ids.push("{\"id\":\"gpt-image-2\u{200b}\"}".into());
    let body = format!("{{\"object\":\"list\",\"data\":[{}]}}", ids.join(","));
    let liar = common::liar::Liar::start(common::liar::Answer::json(200, body)).await;
    let data = tempfile::tempdir().unwrap();
    let run = || common::imgtui_at(data.path(), "sk-test", &liar.base_url()).args(["models", "--json"]).output();
    let first = run().await.unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let listed: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    let names: Vec<&str> = listed["models"].as_array().unwrap().iter().filter_map(|m| m["name"].as_str()).collect();
    assert!(names.len() <= imgtui::catalog::listing::LISTED_MAX + ModelTable::builtin().all().len(), "{}", names.len());
    assert!(names.iter().all(|n| imgtui::catalog::listing::is_safe_id(n)), "no id a shell would misread");
    let cache = std::fs::metadata(data.path().join("models-cache.json")).unwrap();
    assert!(cache.len() < 1024 * 1024, "the cache fits its own read cap: {}", cache.len());
    let second = run().await.unwrap();
    assert!(second.status.success());
    assert_eq!(liar.lists(), 1, "the second command read the cache");
}

#[tokio::test]
async fn a_model_list_over_its_cap_is_named_as_a_model_list() {
    let body = format!(
        "{{\"data\":[{}]}}",
        vec![
            "{\"id\":\"gpt-image-2\",\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}";
            60_000
        ]
        .join(",")
    );
    let liar = common::liar::Liar::start(common::liar::Answer::json(200, body)).await;
    let data = tempfile::tempdir().unwrap();
    let out = common::imgtui_at(data.path(), "sk-test", &liar.base_url())
        .args(["models", "--refresh"])
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("model list (HTTP 200) is not usable: the list is over 4 MB"), "{stderr}");
    assert!(!stderr.contains("Images response"), "{stderr}");
}

#[test]
fn with_no_key_models_lists_the_built_in_models_and_says_so() {
    let data = tempfile::tempdir().unwrap();
    let out = common::imgtui_std()
        .env_remove("OPENAI_API_KEY")
        .env_remove("TTAPI_API_KEY")
        .env("XDG_CONFIG_HOME", data.path().join("config"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["models", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed["source"]["kind"], "builtin", "{listed}");
    assert!(listed["source"]["reason"].as_str().unwrap().contains("no API key"), "{listed}");
    let names: Vec<&str> = listed["models"].as_array().unwrap().iter().filter_map(|m| m["name"].as_str()).collect();
    assert!(names.contains(&"gpt-image-2.6-flare") && names.contains(&"gpt-image-2.6-sunburst"), "{names:?}");
    assert!(!data.path().join("history.sqlite3").exists(), "looking writes no history");
}

#[test]
fn the_manual_lists_the_parameters_of_the_table() {
    let manual = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/models.md")).unwrap();
    let table = imgtui::api::params::markdown_table();
    assert!(manual.contains(&table), "docs/models.md's parameter table should be:\n{table}");
}

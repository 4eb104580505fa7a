//! The parameter table, tested from above every layer that reads it (the API's bodies, the CLI,
//! batch files, the form). The test build's own parameter, `whimsy`, is one entry of the table
//! plus its rule in the model table (`ModelSpec::whimsies`): everything else that knows
//! parameters takes it from there. Each test below looks at one of those places.

use crate::api::models::ModelTable;
use crate::api::params::*;
use crate::api::{GenerateRequest, Param};

fn with_whimsy(value: &str) -> GenerateRequest {
    let mut request = GenerateRequest::new("gpt-image-2", "a fox");
    request.options.set(Param::Whimsy, Some(value)).unwrap();
    request
}

#[test]
fn validation_checks_it_by_the_models_rule() {
    let table = ModelTable::builtin();
    assert!(with_whimsy("wild").validate(&table).is_ok());
    let errors = with_whimsy("tame").validate(&table).unwrap_err();
    assert_eq!(errors[0].to_string(), "whimsy: \"tame\" is not allowed for gpt-image-2 (allowed: plain, wild)");
    let mut dall_e = with_whimsy("wild");
    dall_e.model = "dall-e-3".into();
    let errors = dall_e.validate(&table).unwrap_err();
    assert!(
        errors[0].to_string().starts_with("whimsy: \"wild\" is not accepted by dall-e-3 (accepted by: "),
        "{errors:?}"
    );
}

#[test]
fn the_bodies_carry_it() {
    let request = with_whimsy("wild");
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(json["whimsy"], "wild");
    assert!(request.options.form_fields().contains(&("whimsy", "wild".to_string())));
    let back: GenerateRequest = serde_json::from_value(json).unwrap();
    assert_eq!(back.options.whimsy.as_deref(), Some("wild"), "read back from the history");
}

#[test]
fn the_form_offers_a_row_with_the_models_values() {
    let catalog = crate::catalog::ModelCatalog::builtin(ModelTable::builtin(), crate::api::Provider::Demo, "test");
    let mut form = crate::tui::state::SettingsForm::new("gpt-image-2".into());
    let spec = catalog.spec("gpt-image-2");
    let field = crate::tui::state::Field::Param(Param::Whimsy);
    let rows = form.fields(Some(spec));
    assert!(rows.contains(&field), "{rows:?}");
    assert_eq!(field.label(), "Whimsy");
    assert_eq!(form.choices(field, spec, &catalog), [None, Some("plain".into()), Some("wild".into())]);
    form.set(field, Some("wild".into()));
    assert_eq!(form.options.whimsy.as_deref(), Some("wild"));
    assert!(!form.fields(Some(catalog.spec("dall-e-3"))).contains(&field), "a model without the rule has no row");
}

#[test]
fn a_batch_entry_and_a_flag_set_it() {
    let (entries, problems) = crate::batch::parse_entries(
        std::path::Path::new("/b.jsonl"),
        "{\"prompt\": \"a fox\", \"whimsy\": \"plain\"}\n",
        "gpt-image-2",
    )
    .unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(entries[0].request.options().whimsy.as_deref(), Some("plain"));
    let cli = <crate::cli::Cli as clap::Parser>::try_parse_from(["imgtui", "generate", "a fox", "--whimsy", "wild"]);
    let Ok(crate::cli::Cli { command: Some(crate::cli::Command::Generate(args)), .. }) = cli else { panic!("{cli:?}") };
    assert_eq!(args.params.given, [(Param::Whimsy, "wild".to_string())]);
}

#[test]
fn the_manuals_table_lists_it() {
    assert!(
        markdown_table().contains("| `whimsy` | `--whimsy` | `whimsy` | Whimsy | both | one of the model's list |")
    );
}

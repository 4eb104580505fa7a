//! `imgtui models`: every model with its state at the provider, what it takes, and where its
//! rules come from; the list the form and the default model are built from.

use std::process::ExitCode;

use serde_json::{Value, json};

use crate::api::ModelSpec;
use crate::catalog::fetch::Fetch;
use crate::catalog::{ListingSource, ModelCatalog, ModelInfo};
use crate::cli::{GlobalArgs, ModelsArgs};
use crate::headless;

pub async fn run(global: &GlobalArgs, args: ModelsArgs) -> ExitCode {
    let mut engine = match headless::start_as(global, crate::engine::Mode::Look).await {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    engine.load_catalog(if args.refresh { Fetch::Now } else { Fetch::IfStale }).await;
    let catalog = &engine.catalog;
    let (default_model, notice) = engine.default_model();
    let base_url = engine.client.config().public_base_url();
    if let ListingSource::Builtin { reason } = &catalog.listing.source {
        eprintln!("imgtui: {}: using the built-in list", crate::text::escape_controls(reason));
    }
    if let Some(notice) = notice {
        eprintln!("imgtui: {notice}");
    }
    if args.json {
        let models: Vec<Value> = catalog.models().iter().map(|m| model_json(catalog, m)).collect();
        let body = json!({
            "provider": catalog.provider, "base_url": base_url, "today": catalog.today,
            "source": catalog.listing.source, "default_model": default_model, "models": models,
        });
        crate::outln!("{body}");
    } else {
        crate::outln!("{} · {} {base_url} · default {default_model}", catalog.listing.source, catalog.provider);
        print_table(catalog);
    }
    ExitCode::SUCCESS
}

fn model_json(catalog: &ModelCatalog, info: &ModelInfo) -> Value {
    let spec = catalog.spec(&info.name);
    json!({
        "name": info.name, "state": info.state.name(), "shutdown_date": info.state.date(),
        "replacement": info.replacement, "listed": info.listed, "rules": info.origin.to_string(),
        "aliases": spec.aliases, "edits": spec.can_edit(), "sizes": spec.sizes, "free_size": spec.free_size,
        "qualities": spec.qualities, "n_max": spec.n_max, "partial_images_max": spec.max_partial_images,
    })
}

/// One cell per column, in the order of `HEADER`.
fn row(catalog: &ModelCatalog, info: &ModelInfo) -> [String; 8] {
    let spec = catalog.spec(&info.name);
    let mut state = info.state.to_string();
    if info.listed == Some(false) {
        state.push_str(" (not listed)");
    }
    [
        crate::text::escape_controls(&info.name),
        state,
        if spec.can_edit() { "yes" } else { "no" }.to_string(),
        if spec.n_max == 1 { "1".to_string() } else { format!("1-{}", spec.n_max) },
        spec.max_partial_images.map_or_else(|| "no".to_string(), |max| format!("0-{max}")),
        info.origin.to_string(),
        spec.qualities.join(" "),
        sizes(spec),
    ]
}

const HEADER: [&str; 8] = ["MODEL", "STATE", "EDITS", "N", "STREAM", "RULES", "QUALITY", "SIZES"];

fn sizes(spec: &ModelSpec) -> String {
    let mut text = spec.sizes.join(" ");
    if let Some(free) = &spec.free_size {
        text.push_str(&format!(" or WxH (x{}, ≤{}x{})", free.multiple_of, free.max_long_edge, free.max_short_edge));
    }
    text
}

fn print_table(catalog: &ModelCatalog) {
    let rows: Vec<[String; 8]> = catalog.models().iter().map(|m| row(catalog, m)).collect();
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).chain([HEADER[i].len()]).max().unwrap_or(0);
    let widths: Vec<usize> = (0..HEADER.len()).map(width).collect();
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        padded.join("  ").trim_end().to_string()
    };
    crate::outln!("{}", line(&HEADER.map(str::to_string)));
    for r in &rows {
        crate::outln!("{}", line(r));
    }
}

/// The manual's table of built-in models (docs/models.md), made from the table and the
/// retirements, so the manual cannot drift from the code (a test compares them).
#[cfg(any(test, feature = "internals"))]
pub fn markdown_table(table: &crate::api::ModelTable) -> String {
    use crate::api::Provider;
    use crate::api::lifecycle;
    use crate::clock::Date;
    let long_ago = Date::new(1970, 1, 1);
    let mut out = String::from(
        "| model | also answers to | edits | quality | sizes | at OpenAI | at TTAPI |\n|---|---|---|---|---|---|---|\n",
    );
    for spec in table.all() {
        let name = spec.name.as_str();
        let openai = match lifecycle::retirement(Provider::Openai, name) {
            Some(r) => format!("ends {} → newest {}", r.shutdown, r.successor.name()),
            None if lifecycle::builtin_state(Provider::Openai, name, long_ago).is_some() => "served".to_string(),
            None => "—".to_string(),
        };
        let ttapi = if lifecycle::builtin_state(Provider::Ttapi, name, long_ago).is_some() { "listed" } else { "—" };
        let aliases: Vec<String> = spec.aliases.iter().map(|a| format!("`{a}`")).collect();
        let sizes = match &spec.free_size {
            Some(free) => format!("any WxH (×{}, ≤{}x{})", free.multiple_of, free.max_long_edge, free.max_short_edge),
            None => spec.sizes.iter().filter(|s| *s != "auto").cloned().collect::<Vec<_>>().join(", "),
        };
        out.push_str(&format!(
            "| `{name}` | {} | {} | {} | {sizes} | {openai} | {ttapi} |\n",
            if aliases.is_empty() { "—".to_string() } else { aliases.join(", ") },
            if spec.can_edit() { "yes" } else { "no" },
            spec.qualities.join(", "),
        ));
    }
    out
}

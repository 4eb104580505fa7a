//! The tools `imgtui mcp` offers, with input schemas made from the parameter table and the
//! model rules of the models on offer: an agent sees every field's allowed values and bounds,
//! model by model, before it calls.

use std::sync::Arc;

use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use serde_json::{Value, json};

use crate::api::ModelSpec;
use crate::api::params::{self, Allowed, Endpoints, Kind, ParamDef};

/// The tools' names.
pub const GENERATE: &str = "generate";
pub const EDIT: &str = "edit";
pub const ESTIMATE: &str = "estimate";
pub const MODELS: &str = "models";
pub const SEARCH_HISTORY: &str = "search_history";
pub const GET_JOB: &str = "get_job";

/// The longest side of an image returned as MCP content (the files on disk are whole).
pub const CONTENT_SIDE: u32 = 1024;

fn object(value: Value) -> Arc<JsonObject> {
    match value {
        Value::Object(map) => Arc::new(map),
        _ => Arc::new(JsonObject::new()),
    }
}

/// What `def` allows, model by model, in a few words: "gpt-image-2.6-flare: low, medium, high".
fn allowed_by_model(def: &ParamDef, models: &[&ModelSpec]) -> String {
    let mut parts = Vec::new();
    for spec in models {
        let said = match def.allowed {
            Allowed::Choices(list) | Allowed::Suggested(list) => {
                let list = list(spec);
                (!list.is_empty()).then(|| list.join(", "))
            }
            Allowed::Count(most) => Some(format!("1-{}", most(spec))),
            Allowed::UpTo(most) => most(spec).map(|m| format!("0-{m}")),
            Allowed::Range { bounds, .. } => bounds(spec).map(|(a, b)| format!("{a}-{b}")),
            Allowed::Size => Some(spec.sizes_description()),
            Allowed::Any => None,
        };
        if let Some(said) = said {
            parts.push(format!("{}: {said}", spec.name));
        }
    }
    match parts.is_empty() {
        true => String::new(),
        false => format!(" Allowed, by model: {}.", parts.join("; ")),
    }
}

/// The JSON schema of one option parameter, over `models`.
fn property(def: &ParamDef, models: &[&ModelSpec]) -> Value {
    let description = format!("{}{}", def.help, allowed_by_model(def, models));
    match (def.kind, def.allowed) {
        (_, Allowed::Choices(list)) => {
            let mut values: Vec<String> = Vec::new();
            for value in models.iter().flat_map(|spec| list(spec).iter()) {
                if !values.contains(value) {
                    values.push(value.clone());
                }
            }
            json!({ "type": "string", "enum": values, "description": description })
        }
        (Kind::Number, Allowed::Count(most)) => {
            let most = models.iter().map(|s| most(s)).max().unwrap_or(1);
            json!({ "type": "integer", "minimum": 1, "maximum": most, "description": description })
        }
        (Kind::Number, Allowed::UpTo(most)) => {
            let most = models.iter().filter_map(|s| most(s)).max().unwrap_or(0);
            json!({ "type": "integer", "minimum": 0, "maximum": most, "description": description })
        }
        (Kind::Number, Allowed::Range { bounds, .. }) => {
            let all: Vec<(u32, u32)> = models.iter().filter_map(|s| bounds(s)).collect();
            let least = all.iter().map(|b| b.0).min().unwrap_or(0);
            let most = all.iter().map(|b| b.1).max().unwrap_or(u32::MAX);
            json!({ "type": "integer", "minimum": least, "maximum": most, "description": description })
        }
        (Kind::Number, _) => json!({ "type": "integer", "minimum": 0, "description": description }),
        (Kind::Flag, _) => json!({ "type": "boolean", "description": description }),
        (Kind::Text, Allowed::Size) => {
            json!({ "type": "string", "pattern": "^(auto|[0-9]{2,5}x[0-9]{2,5})$", "description": description })
        }
        (Kind::Text, _) => json!({ "type": "string", "description": description }),
    }
}

/// The request fields of `endpoints` as schema properties (`stream` is set with
/// `partial_images`, not on its own).
fn request_properties(edit: bool, models: &[&ModelSpec]) -> serde_json::Map<String, Value> {
    let mut properties = serde_json::Map::new();
    let names: Vec<String> = models.iter().map(|s| s.name.clone()).collect();
    let longest = models.iter().map(|s| s.prompt_max_chars).max().unwrap_or(32_000);
    properties.insert(
        "prompt".into(),
        json!({ "type": "string", "minLength": 1, "maxLength": longest, "description": "What to draw, or (edit) what to change." }),
    );
    properties.insert(
        "model".into(),
        json!({ "type": "string", "enum": names, "description": "The model (default: imgtui's default model). Its rules decide every other field." }),
    );
    for def in params::table() {
        let taken = match def.endpoints {
            Endpoints::Both => true,
            Endpoints::Generate => !edit,
            Endpoints::Edit => edit,
        };
        if !taken || def.param == params::Param::Stream {
            continue;
        }
        properties.insert(def.param.api_name().into(), property(def, models));
    }
    properties
}

fn edit_inputs(properties: &mut serde_json::Map<String, Value>, required: bool) {
    let paths = "Paths of files on this machine, under the working directory, the data dir or [mcp] allowed_dirs.";
    let mut images = json!({
        "type": "array", "items": { "type": "string" }, "minItems": 1, "maxItems": 16,
        "description": format!("The input images (PNG, JPEG or WebP); the first is the one a mask or markup is for. {paths}"),
    });
    if !required {
        images["description"] = json!(format!("Input images: given, the estimate is for an edit. {paths}"));
    }
    properties.insert("images".into(), images);
    properties.insert(
        "mask".into(),
        json!({ "type": "string", "description": "A PNG the first image's size, fully transparent where the edit may change it." }),
    );
    properties.insert(
        "markup".into(),
        json!({ "type": "string", "description": "gpt-image-2.6: a transparent PNG the first image's size with marks (rings, arrows) that say what to change; never with a mask." }),
    );
}

/// Every tool, its schema made for `generators` and `editors` (the models on offer).
pub fn tools(generators: &[&ModelSpec], editors: &[&ModelSpec]) -> Vec<Tool> {
    let read_only = || ToolAnnotations::new().read_only(true);
    let paid = || ToolAnnotations::new().read_only(false).destructive(false).idempotent(false).open_world(true);

    let generate = json!({
        "type": "object",
        "properties": Value::Object(request_properties(false, generators)),
        "required": ["prompt"],
    });
    let mut edit_properties = request_properties(true, editors);
    edit_inputs(&mut edit_properties, true);
    let edit =
        json!({ "type": "object", "properties": Value::Object(edit_properties), "required": ["prompt", "images"] });
    let mut estimate_properties = request_properties(false, generators);
    for (name, value) in request_properties(true, editors) {
        estimate_properties.entry(name).or_insert(value);
    }
    edit_inputs(&mut estimate_properties, false);
    let estimate =
        json!({ "type": "object", "properties": Value::Object(estimate_properties), "required": ["prompt"] });
    let none = json!({ "type": "object", "properties": {} });
    let search = json!({
        "type": "object",
        "properties": {
            "query": { "type": "string", "description": "Words of the prompt, revised prompt or model; empty: the newest jobs." },
            "limit": { "type": "integer", "minimum": 1, "maximum": 100, "description": "How many jobs at most (default 20)." },
        },
    });
    let get_job = json!({
        "type": "object",
        "properties": { "id": { "type": "integer", "minimum": 1, "description": "The job's id (as generate, edit or search_history give it)." } },
        "required": ["id"],
    });
    vec![
        Tool::new(
            GENERATE,
            format!(
                "Generate images from a prompt (POST /images/generations). Checked against the model's rules first (a \
                 refusal names the field; nothing is sent), and against the budgets. Returns the job id, the files, \
                 the cost, the revised prompt and the images (each scaled to at most {CONTENT_SIDE} px a side; the \
                 files are whole). Recorded in imgtui's history, marked as an agent's."
            ),
            object(generate),
        )
        .annotate(paid()),
        Tool::new(
            EDIT,
            "Edit input images (POST /images/edits), optionally inside a mask, or as markup asks. As generate for \
             rules, budgets, results and history.",
            object(edit),
        )
        .annotate(paid()),
        Tool::new(
            ESTIMATE,
            "What a generate or edit would cost, and what the estimate is based on; checks the request against the \
             model's rules. Sends nothing.",
            object(estimate),
        )
        .annotate(read_only()),
        Tool::new(
            MODELS,
            "Today's models: which can generate and edit, their state at the provider, and every rule (sizes, \
             qualities, formats, limits).",
            object(none),
        )
        .annotate(read_only()),
        Tool::new(
            SEARCH_HISTORY,
            "Search imgtui's history of jobs (the person's and agents'), newest first.",
            object(search),
        )
        .annotate(read_only()),
        Tool::new(GET_JOB, "Everything about one job: its request, status, files, usage and cost.", object(get_job))
            .annotate(read_only()),
    ]
}

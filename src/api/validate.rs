//! The rules of the model table applied to a request. Every check adds to one list, so the user
//! sees all problems at once, each naming the field, the value, the model and what is allowed.

use std::fmt;

use super::image_facts::ImageFormat;
pub use super::input_file::{Depth, InputFile};
use super::models::{ModelSpec, ModelTable};
use super::request::ImageOptions;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The API's name for the field (`size`, `image`, `mask`, ...).
    pub field: &'static str,
    /// Which of the edit's input images it is about (0-based), when it is about one.
    pub input: Option<usize>,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self { field, input: None, message: message.into() }
    }

    /// A problem of input image `index` of an edit.
    pub fn of_input(index: usize, message: impl Into<String>) -> Self {
        Self { field: "image", input: Some(index), message: message.into() }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Generate,
    Edit,
}

/// What validation decided: `Ok(warnings)` lets the request go out (a model whose rules were
/// guessed only warns); `Err(errors)` stops it, nothing sent.
pub type Verdict = Result<Vec<FieldError>, Vec<FieldError>>;

/// The longest model name accepted (the API's ids are far shorter).
pub const MODEL_NAME_MAX: usize = 200;

/// What is wrong with `model` as a name, whatever the model: empty, not one word, too long.
pub fn model_name_problem(model: &str) -> Option<FieldError> {
    let problem = if model.trim().is_empty() {
        "is empty; `imgtui models` lists the models".to_string()
    } else if model.chars().any(|c| c.is_whitespace() || c.is_control()) {
        "must be one word, without spaces or control characters".to_string()
    } else if model.chars().count() > MODEL_NAME_MAX {
        format!("is {} characters long; a model name has at most {MODEL_NAME_MAX}", model.chars().count())
    } else {
        return None;
    };
    Some(FieldError::new("model", problem))
}

/// The verdict on `errors` found with `model`'s rules: refusals for a model the table knows,
/// warnings (sent anyway) for one whose rules were guessed. An empty prompt or a name that is
/// no model name always stops it.
pub fn verdict(models: &ModelTable, model: &str, errors: Vec<FieldError>) -> Verdict {
    let resolved = models.resolve(model);
    if errors.is_empty() {
        return Ok(Vec::new());
    }
    let empty_prompt = |e: &FieldError| e.field == "prompt" && e.message.starts_with("is empty");
    if !resolved.guessed || errors.iter().any(empty_prompt) || model_name_problem(model).is_some() {
        return Err(errors);
    }
    let note = format!(" (rules guessed from {}; sent anyway, the server decides)", resolved.spec.name);
    Ok(errors.into_iter().map(|e| FieldError { message: format!("{}{note}", e.message), ..e }).collect())
}

/// Checks the prompt, model and options against the model's row of the table (or, for a name
/// the table does not know, the row of its nearest family: see `ModelTable::resolve`).
pub fn check_params(
    endpoint: Endpoint,
    prompt: &str,
    model: &str,
    o: &ImageOptions,
    models: &ModelTable,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(problem) = model_name_problem(model) {
        errors.push(problem);
        return errors;
    }
    let spec = models.resolve(model).spec;
    let m = model;

    if prompt.trim().is_empty() {
        errors.push(FieldError::new("prompt", "is empty; describe the image you want"));
    }
    let chars = prompt.chars().count();
    if chars > spec.prompt_max_chars {
        errors.push(FieldError::new(
            "prompt",
            format!("{chars} characters is over the {}-character limit of {m}", spec.prompt_max_chars),
        ));
    }
    if endpoint == Endpoint::Edit && !spec.can_edit() {
        let editors: Vec<_> = models.all().iter().filter(|s| s.can_edit()).map(|s| s.name.as_str()).collect();
        errors.push(FieldError::new(
            "model",
            format!("{m} cannot edit images (models that can: {})", editors.join(", ")),
        ));
    }

    if let Some(n) = o.n
        && (n < 1 || n > spec.n_max)
    {
        let allowed = if spec.n_max == 1 { "1 only".to_string() } else { format!("1-{}", spec.n_max) };
        errors.push(FieldError::new("n", format!("{n} is not allowed for {m} (allowed: {allowed})")));
    }
    if let Some(size) = &o.size
        && !spec.size_allowed(size)
    {
        errors.push(FieldError::new(
            "size",
            format!("\"{size}\" is not allowed for {m} (allowed: {})", spec.sizes_description()),
        ));
    }
    check_choice(&mut errors, models, spec, "quality", o.quality.as_deref(), |s| &s.qualities);
    check_choice(&mut errors, models, spec, "response_format", o.response_format.as_deref(), |s| &s.response_formats);
    check_choice(&mut errors, models, spec, "output_format", o.output_format.as_deref(), |s| &s.output_formats);
    check_choice(&mut errors, models, spec, "background", o.background.as_deref(), |s| &s.backgrounds);
    check_choice(&mut errors, models, spec, "input_fidelity", o.input_fidelity.as_deref(), |s| &s.input_fidelities);
    check_choice(&mut errors, models, spec, "moderation", o.moderation.as_deref(), |s| &s.moderations);
    check_choice(&mut errors, models, spec, "style", o.style.as_deref(), |s| &s.styles);

    check_formats(&mut errors, models, spec, m, o);
    check_endpoint_and_stream(&mut errors, models, spec, m, endpoint, o);
    errors
}

/// A choice from one of the table's lists; an empty list means the model does not take it.
/// Compression and transparency, which depend on the output format.
fn check_formats(errors: &mut Vec<FieldError>, models: &ModelTable, spec: &ModelSpec, m: &str, o: &ImageOptions) {
    let format = o.output_format.as_deref().unwrap_or(&spec.default_output_format);
    if let Some(level) = o.output_compression {
        if spec.compression_formats.is_empty() {
            errors.push(not_accepted(models, "output_compression", &level.to_string(), m, |s| {
                !s.compression_formats.is_empty()
            }));
        } else if !spec.compression_formats.iter().any(|f| f == format) {
            errors.push(FieldError::new(
                "output_compression",
                format!(
                    "{level} needs output_format {} (output_format is {format})",
                    spec.compression_formats.join(" or ")
                ),
            ));
        } else if level > 100 {
            errors.push(FieldError::new("output_compression", format!("{level} is not in 0-100")));
        }
    }
    if o.background.as_deref() == Some("transparent")
        && spec.backgrounds.iter().any(|b| b == "transparent")
        && !spec.transparent_formats.iter().any(|f| f == format)
    {
        errors.push(FieldError::new(
            "background",
            format!(
                "transparent needs output_format {} (output_format is {format})",
                spec.transparent_formats.join(" or ")
            ),
        ));
    }
}

/// Options that belong to one endpoint, and streaming.
fn check_endpoint_and_stream(
    errors: &mut Vec<FieldError>,
    models: &ModelTable,
    spec: &ModelSpec,
    m: &str,
    endpoint: Endpoint,
    o: &ImageOptions,
) {
    match endpoint {
        Endpoint::Generate if o.input_fidelity.is_some() => {
            errors.push(FieldError::new("input_fidelity", "applies to edits only"));
        }
        Endpoint::Edit => {
            for (field, value) in [("moderation", &o.moderation), ("style", &o.style)] {
                if value.is_some() {
                    errors.push(FieldError::new(field, "applies to generations only, not to edits"));
                }
            }
        }
        _ => {}
    }

    match spec.max_partial_images {
        None if o.stream == Some(true) => {
            errors.push(not_accepted(models, "stream", "true", m, |s| s.max_partial_images.is_some()));
        }
        None if o.partial_images.is_some() => {
            let value = o.partial_images.unwrap_or_default().to_string();
            errors.push(not_accepted(models, "partial_images", &value, m, |s| s.max_partial_images.is_some()));
        }
        Some(max) => {
            if let Some(p) = o.partial_images.filter(|p| *p > max) {
                errors
                    .push(FieldError::new("partial_images", format!("{p} is not allowed for {m} (allowed: 0-{max})")));
            }
        }
        None => {}
    }
}

fn check_choice(
    errors: &mut Vec<FieldError>,
    models: &ModelTable,
    spec: &ModelSpec,
    field: &'static str,
    value: Option<&str>,
    allowed: impl Fn(&ModelSpec) -> &Vec<String>,
) {
    let Some(value) = value else { return };
    let list = allowed(spec);
    if list.is_empty() {
        errors.push(not_accepted(models, field, value, &spec.name, |s| !allowed(s).is_empty()));
    } else if !list.iter().any(|v| v == value) {
        errors.push(FieldError::new(
            field,
            format!("\"{value}\" is not allowed for {} (allowed: {})", spec.name, list.join(", ")),
        ));
    }
}

fn not_accepted(
    models: &ModelTable,
    field: &'static str,
    value: &str,
    model: &str,
    accepts: impl Fn(&ModelSpec) -> bool,
) -> FieldError {
    let takers: Vec<_> = models.all().iter().filter(|s| accepts(s)).map(|s| s.name.as_str()).collect();
    let hint = if field == "response_format" {
        " (it always returns b64_json)".to_string()
    } else if takers.is_empty() {
        String::new()
    } else {
        format!(" (accepted by: {})", takers.join(", "))
    };
    FieldError::new(field, format!("\"{value}\" is not accepted by {model}{hint}"))
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// Checks edit inputs against the model's edit limits. `upload_limit` is the provider's cap.
pub fn check_edit_inputs(
    spec: &ModelSpec,
    images: &[InputFile],
    mask: Option<&InputFile>,
    upload_limit: Option<u64>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let Some(limits) = &spec.edit else { return errors };
    let m = spec.name.as_str();
    if images.is_empty() {
        let also = if mask.is_some() { " (a mask alone is not enough)" } else { "" };
        errors.push(FieldError::new("image", format!("an edit needs at least one input image{also}")));
    }
    if images.len() > limits.max_images {
        let allowed =
            if limits.max_images == 1 { "exactly 1".to_string() } else { format!("at most {}", limits.max_images) };
        errors.push(FieldError::new("image", format!("{} images given; {m} accepts {allowed}", images.len())));
    }
    let max_bytes = upload_limit.map_or(limits.max_image_bytes, |cap| cap.min(limits.max_image_bytes));
    for (index, file) in images.iter().enumerate() {
        let label = &file.label;
        let facts = match &file.facts {
            Ok(facts) => facts,
            Err(e) => {
                errors.push(FieldError::of_input(index, format!("{label}: {e}")));
                continue;
            }
        };
        let format = facts.format.api_name();
        if !limits.image_formats.iter().any(|f| f == format) {
            errors.push(FieldError::of_input(
                index,
                format!("{label} is {format}; {m} accepts {}", limits.image_formats.join(", ")),
            ));
        }
        if limits.square_only && facts.width != facts.height {
            errors.push(FieldError::of_input(
                index,
                format!("{label} is {}x{}; {m} needs a square image", facts.width, facts.height),
            ));
        }
        if facts.bytes >= max_bytes {
            errors.push(FieldError::of_input(
                index,
                format!("{label} is {}; {m} accepts files under {}", megabytes(facts.bytes), megabytes(max_bytes)),
            ));
        }
    }
    if let Some(mask) = mask {
        errors.extend(check_mask(mask, images.first(), limits.mask_max_bytes));
    }
    errors
}

fn check_mask(mask: &InputFile, first_image: Option<&InputFile>, max_bytes: u64) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let label = &mask.label;
    let facts = match &mask.facts {
        Ok(facts) => facts,
        Err(e) => return vec![FieldError::new("mask", format!("{label}: {e}"))],
    };
    if facts.format != ImageFormat::Png {
        errors.push(FieldError::new("mask", format!("{label} is {}; the mask must be a PNG", facts.format.api_name())));
        return errors;
    }
    if facts.bytes >= max_bytes {
        errors.push(FieldError::new(
            "mask",
            format!("{label} is {}; masks must be under {}", megabytes(facts.bytes), megabytes(max_bytes)),
        ));
    }
    if let Some(Ok(image)) = first_image.map(|f| &f.facts)
        && (image.width, image.height) != (facts.width, facts.height)
    {
        errors.push(FieldError::new(
            "mask",
            format!(
                "{label} is {}x{} but the first image is {}x{}; they must be the same size",
                facts.width, facts.height, image.width, image.height
            ),
        ));
    }
    match mask.has_transparent_pixel() {
        Some(false) => errors.push(FieldError::new(
            "mask",
            format!("{label} has no fully transparent pixel (alpha 0), so nothing would be edited"),
        )),
        None => errors.push(FieldError::new("mask", format!("{label}: its pixels cannot be decoded"))),
        Some(true) => {}
    }
    errors
}

//! The rules of the model table applied to a request. Every check adds to one list, so the user
//! sees all problems at once, each naming the field, the value, the model and what is allowed.

use super::image_facts::ImageFormat;
pub use super::input_file::{Depth, InputFile};
use super::models::{ModelSpec, ModelTable};
use super::params::{self, Allowed, Endpoints, ImageOptions, Param};
pub use super::problem::{FieldError, Problem};

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
        Problem::Empty
    } else if model.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Problem::NotOneWord
    } else if model.chars().count() > MODEL_NAME_MAX {
        Problem::TooLong { chars: model.chars().count(), max: MODEL_NAME_MAX, model: None }
    } else {
        return None;
    };
    Some(FieldError::of(Param::Model, problem))
}

/// The verdict on `errors` found with `model`'s rules: refusals for a model the table knows,
/// warnings (sent anyway) for one whose rules were guessed. An empty prompt or a name that is
/// no model name always stops it.
pub fn verdict(models: &ModelTable, model: &str, errors: Vec<FieldError>) -> Verdict {
    let resolved = models.resolve(model);
    if errors.is_empty() {
        return Ok(Vec::new());
    }
    if models.origin(model) == super::models::RulesOrigin::Config {
        // Rules the user wrote down: said so, as the fix may be in the config, not the request.
        return Err(errors
            .into_iter()
            .map(|e| {
                if e.always_stops() {
                    e
                } else {
                    FieldError::said(e.param, format!("{} (rules from config)", e.message()))
                }
            })
            .collect());
    }
    if !resolved.guessed || errors.iter().any(FieldError::always_stops) {
        return Err(errors);
    }
    let note = format!(" (rules guessed from {}; sent anyway, the server decides)", resolved.spec.name);
    Ok(errors.into_iter().map(|e| FieldError::said(e.param, format!("{}{note}", e.message()))).collect())
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
    if prompt.trim().is_empty() {
        errors.push(FieldError::of(Param::Prompt, Problem::Empty));
    }
    let chars = prompt.chars().count();
    if chars > spec.prompt_max_chars {
        let problem = Problem::TooLong { chars, max: spec.prompt_max_chars, model: Some(model.to_string()) };
        errors.push(FieldError::of(Param::Prompt, problem));
    }
    if endpoint == Endpoint::Edit && !spec.can_edit() {
        let editors = models.all().iter().filter(|s| s.can_edit()).map(|s| s.name.clone()).collect();
        errors.push(FieldError::of(Param::Model, Problem::CannotEdit { model: model.to_string(), editors }));
    }
    let gif = spec.gif.is_some() && o.output_format.as_deref() == Some("gif");
    for def in params::table() {
        let Some(value) = o.text(def.param) else { continue };
        if gif && def.param == Param::Size && spec.gif_size_allowed(&value) {
            continue;
        }
        if let Some(problem) = check_value(def.allowed, &value, model, spec, models, def.param) {
            errors.push(FieldError::of(def.param, problem));
        }
    }
    check_formats(&mut errors, spec, o);
    check_gif(&mut errors, spec, o);
    check_svg(&mut errors, endpoint, spec, o);
    check_endpoint_and_stream(&mut errors, endpoint, o);
    check_stream(&mut errors, models, spec, model, o);
    errors
}

/// What is wrong with `value` for `param` by the model's rule, if anything.
fn check_value(
    allowed: Allowed,
    value: &str,
    model: &str,
    spec: &ModelSpec,
    models: &ModelTable,
    param: Param,
) -> Option<Problem> {
    let not_allowed = |quoted: bool, allowed: String| {
        Some(Problem::NotAllowed { value: value.to_string(), quoted, model: model.to_string(), allowed })
    };
    match allowed {
        Allowed::Choices(list) => {
            let choices = list(spec);
            if let Some(since) = spec.withdrawn_since(param.api_name(), value) {
                let takers = models
                    .all()
                    .iter()
                    .filter(|s| {
                        list(s).iter().any(|c| c == value) && s.withdrawn_since(param.api_name(), value).is_none()
                    })
                    .map(|s| s.name.clone())
                    .collect();
                let since = Some(since.to_string());
                return Some(Problem::NotAccepted {
                    value: value.to_string(),
                    model: model.to_string(),
                    takers,
                    since,
                });
            }
            if choices.is_empty() {
                return Some(not_accepted(models, value, model, |s| list(s).iter().any(|c| c == value)));
            }
            (!choices.iter().any(|c| c == value)).then(|| not_allowed(true, choices.join(", "))).flatten()
        }
        Allowed::Suggested(list) => {
            if list(spec).is_empty() {
                return Some(not_accepted(models, value, model, |s| list(s).iter().any(|c| c == value)));
            }
            match value.trim().is_empty() {
                true => Some(Problem::Said("is empty: name a model, or leave it out for the default".into())),
                false => model_name_problem(value).map(|e| e.problem),
            }
        }
        Allowed::Count(most) => {
            let n: u32 = value.parse().unwrap_or(0);
            let max = most(spec);
            let allowed = if max == 1 { "1 only".to_string() } else { format!("1-{max}") };
            (n < 1 || n > max).then(|| not_allowed(false, allowed)).flatten()
        }
        Allowed::Size => (!spec.size_allowed(value)).then(|| not_allowed(true, spec.sizes_description())).flatten(),
        // Streaming's parts are checked together (`check_endpoint_and_stream`).
        Allowed::UpTo(_) => None,
        Allowed::Range { bounds, .. } => {
            let Some((min, max)) = bounds(spec) else {
                return Some(not_accepted(models, value, model, |s| bounds(s).is_some()));
            };
            // Where the model takes it, its own conditions come first (`check_formats`).
            let n: u32 = value.parse().unwrap_or(u32::MAX);
            (n < min || n > max)
                .then_some(Problem::OutOfRange { value: n, min, max })
                .filter(|_| param_stands_alone(param))
        }
        Allowed::Any => None,
    }
}

/// Compression's range is checked after its format (`check_formats`), as the API does.
fn param_stands_alone(param: Param) -> bool {
    param != Param::OutputCompression
}

/// Compression and transparency, which depend on the output format.
fn check_formats(errors: &mut Vec<FieldError>, spec: &ModelSpec, o: &ImageOptions) {
    let format = o.output_format.as_deref().unwrap_or(&spec.default_output_format);
    if let Some(level) = o.output_compression
        && !spec.compression_formats.is_empty()
    {
        if !spec.compression_formats.iter().any(|f| f == format) {
            errors.push(FieldError::of(
                Param::OutputCompression,
                Problem::Needs {
                    value: level.to_string(),
                    other: Param::OutputFormat,
                    allowed: spec.compression_formats.clone(),
                    current: format.to_string(),
                },
            ));
        } else if level > 100 {
            errors
                .push(FieldError::of(Param::OutputCompression, Problem::OutOfRange { value: level, min: 0, max: 100 }));
        }
    }
    if o.background.as_deref() == Some("transparent")
        && spec.backgrounds.iter().any(|b| b == "transparent")
        && !spec.transparent_formats.iter().any(|f| f == format)
    {
        errors.push(FieldError::of(
            Param::Background,
            Problem::Needs {
                value: "transparent".into(),
                other: Param::OutputFormat,
                allowed: spec.transparent_formats.clone(),
                current: format.to_string(),
            },
        ));
    }
}

/// An animated GIF (`output_format = gif`): its frames need the format, and it is not
/// streamed; its frames share one pixel budget, so more frames mean smaller ones.
fn check_gif(errors: &mut Vec<FieldError>, spec: &ModelSpec, o: &ImageOptions) {
    let Some(rules) = &spec.gif else { return };
    let format = o.output_format.as_deref().unwrap_or(&spec.default_output_format);
    if format != "gif" {
        let frames = [(Param::FrameCount, o.frame_count), (Param::FrameDurationMs, o.frame_duration_ms)];
        for (param, value) in frames {
            if let Some(value) = value {
                let allowed = vec!["gif".to_string()];
                let problem = Problem::Needs {
                    value: value.to_string(),
                    other: Param::OutputFormat,
                    allowed,
                    current: format.into(),
                };
                errors.push(FieldError::of(param, problem));
            }
        }
        return;
    }
    if o.stream == Some(true) || o.partial_images.is_some() {
        let param = if o.partial_images.is_some() { Param::PartialImages } else { Param::Stream };
        errors.push(FieldError::said(
            param,
            "a GIF answer is not streamed: leave partial images off with output_format gif",
        ));
    }
    let frames = o.frame_count.unwrap_or(rules.default_frames);
    let Some((width, height)) = o.size.as_deref().and_then(super::models::parse_size) else { return };
    let sides =
        rules.frame_sides.iter().map(|(most, side)| format!("{side} px up to {most} frames")).collect::<Vec<_>>();
    match rules.max_side(frames) {
        Some(side) if width.max(height) > side => errors.push(FieldError::said(
            Param::Size,
            format!(
                "{width}x{height} is too large for a GIF of {frames} frames: its frames share one pixel budget, a side \
                 at most {} (ask for a smaller size or fewer frames)",
                sides.join(", ")
            ),
        )),
        _ => {}
    }
}

/// An SVG answer (`output_format = svg`): generations only, one at a time, written by a text
/// model (`svg_model`, filled with the model's default by `ImageOptions::complete`).
fn check_svg(errors: &mut Vec<FieldError>, endpoint: Endpoint, spec: &ModelSpec, o: &ImageOptions) {
    if spec.svg_models.is_empty() {
        return;
    }
    let format = o.output_format.as_deref().unwrap_or(&spec.default_output_format);
    if format != "svg" {
        if let Some(writer) = &o.svg_model {
            let problem = Problem::Needs {
                value: writer.clone(),
                other: Param::OutputFormat,
                allowed: vec!["svg".into()],
                current: format.into(),
            };
            errors.push(FieldError::of(Param::SvgModel, problem));
        }
        return;
    }
    if endpoint == Endpoint::Edit {
        errors.push(FieldError::said(Param::OutputFormat, "an SVG answer comes from generations only, not from edits"));
    }
    if o.n.is_some_and(|n| n > 1) {
        errors.push(FieldError::said(Param::N, "an SVG answer is one image: n must be 1 with output_format svg"));
    }
    if o.svg_model.is_none() && endpoint == Endpoint::Generate {
        errors
            .push(FieldError::said(Param::SvgModel, "an SVG answer needs the text model that writes it (--svg-model)"));
    }
}

/// An edit that asks for a GIF takes no mask (the API refuses the two together).
pub fn gif_with_mask(o: &ImageOptions, has_mask: bool) -> Option<FieldError> {
    (has_mask && o.output_format.as_deref() == Some("gif")).then(|| {
        FieldError::said(Param::Mask, "a GIF answer takes no mask: the API refuses output_format gif with a mask")
    })
}

/// Options that belong to one endpoint.
fn check_endpoint_and_stream(errors: &mut Vec<FieldError>, endpoint: Endpoint, o: &ImageOptions) {
    for def in params::table() {
        if o.text(def.param).is_none() {
            continue;
        }
        match (def.endpoints, endpoint) {
            (Endpoints::Generate, Endpoint::Edit) => {
                errors.push(FieldError::of(def.param, Problem::OnlyFor { generations: true }));
            }
            (Endpoints::Edit, Endpoint::Generate) => {
                errors.push(FieldError::of(def.param, Problem::OnlyFor { generations: false }));
            }
            _ => {}
        }
    }
}

/// Streaming for `spec`: `stream` and `partial_images` up to the model's most.
fn check_stream(errors: &mut Vec<FieldError>, models: &ModelTable, spec: &ModelSpec, m: &str, o: &ImageOptions) {
    match spec.max_partial_images {
        None if o.stream == Some(true) => {
            errors.push(FieldError::of(
                Param::Stream,
                not_accepted(models, "true", m, |s| s.max_partial_images.is_some()),
            ));
        }
        None if o.partial_images.is_some() => {
            let value = o.partial_images.unwrap_or_default().to_string();
            errors.push(FieldError::of(
                Param::PartialImages,
                not_accepted(models, &value, m, |s| s.max_partial_images.is_some()),
            ));
        }
        Some(max) => {
            if let Some(p) = o.partial_images.filter(|p| *p > max) {
                errors.push(FieldError::of(
                    Param::PartialImages,
                    Problem::NotAllowed {
                        value: p.to_string(),
                        quoted: false,
                        model: m.to_string(),
                        allowed: format!("0-{max}"),
                    },
                ));
            }
        }
        None => {}
    }
}

fn not_accepted(models: &ModelTable, value: &str, model: &str, accepts: impl Fn(&ModelSpec) -> bool) -> Problem {
    let takers = models.all().iter().filter(|s| accepts(s)).map(|s| s.name.clone()).collect();
    Problem::NotAccepted { value: value.to_string(), model: model.to_string(), takers, since: None }
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
        errors.push(FieldError::of(Param::Image, Problem::NoInputImage { mask_alone: mask.is_some() }));
    }
    if images.len() > limits.max_images {
        let allowed =
            if limits.max_images == 1 { "exactly 1".to_string() } else { format!("at most {}", limits.max_images) };
        errors.push(FieldError::said(Param::Image, format!("{} images given; {m} accepts {allowed}", images.len())));
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

/// Markup beside a mask: the API refuses the two together.
pub fn markup_with_mask(has_markup: bool, has_mask: bool) -> Option<FieldError> {
    (has_markup && has_mask).then(|| {
        FieldError::said(Param::Markup, "markup and a mask cannot go together (the API refuses them): keep one")
    })
}

/// The markup of an edit: a model that takes it, no mask beside it (the API refuses the two
/// together), a PNG the size of the first image.
pub fn check_markup(
    spec: &ModelSpec,
    models: &ModelTable,
    markup: &InputFile,
    first_image: Option<&InputFile>,
    has_mask: bool,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !spec.edit.as_ref().is_some_and(|e| e.markup) {
        let takes = |s: &ModelSpec| s.edit.as_ref().is_some_and(|e| e.markup);
        let takers: Vec<String> = models.all().iter().filter(|s| takes(s)).map(|s| s.name.clone()).collect();
        errors
            .push(FieldError::said(Param::Markup, format!("{} takes no markup; {} do", spec.name, takers.join(", "))));
    }
    errors.extend(markup_with_mask(true, has_mask));
    let label = &markup.label;
    let facts = match &markup.facts {
        Ok(facts) => facts,
        Err(e) => {
            errors.push(FieldError::said(Param::Markup, format!("{label}: {e}")));
            return errors;
        }
    };
    if facts.format != ImageFormat::Png {
        errors.push(FieldError::said(
            Param::Markup,
            format!("{label} is {}; markup must be a PNG (marks on transparency)", facts.format.api_name()),
        ));
    }
    if facts.format == ImageFormat::Png && markup.has_transparent_pixel() == Some(false) {
        errors.push(FieldError::said(
            Param::Markup,
            format!("{label} has no transparency: markup is marks on a transparent PNG (imgtui markup draws one)"),
        ));
    }
    if let Some(limits) = &spec.edit
        && facts.bytes >= limits.mask_max_bytes
    {
        errors.push(FieldError::said(
            Param::Markup,
            format!("{label} is {}; markup must be under {}", megabytes(facts.bytes), megabytes(limits.mask_max_bytes)),
        ));
    }
    if let Some(Ok(image)) = first_image.map(|f| &f.facts)
        && (image.width, image.height) != (facts.width, facts.height)
    {
        errors.push(FieldError::said(
            Param::Markup,
            format!(
                "{label} is {}x{} but the first image is {}x{}; they must be the same size",
                facts.width, facts.height, image.width, image.height
            ),
        ));
    }
    errors
}

fn check_mask(mask: &InputFile, first_image: Option<&InputFile>, max_bytes: u64) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let label = &mask.label;
    let facts = match &mask.facts {
        Ok(facts) => facts,
        Err(e) => return vec![FieldError::said(Param::Mask, format!("{label}: {e}"))],
    };
    if facts.format != ImageFormat::Png {
        errors.push(FieldError::said(
            Param::Mask,
            format!("{label} is {}; the mask must be a PNG", facts.format.api_name()),
        ));
        return errors;
    }
    if facts.bytes >= max_bytes {
        errors.push(FieldError::said(
            Param::Mask,
            format!("{label} is {}; masks must be under {}", megabytes(facts.bytes), megabytes(max_bytes)),
        ));
    }
    if let Some(Ok(image)) = first_image.map(|f| &f.facts)
        && (image.width, image.height) != (facts.width, facts.height)
    {
        errors.push(FieldError::said(
            Param::Mask,
            format!(
                "{label} is {}x{} but the first image is {}x{}; they must be the same size",
                facts.width, facts.height, image.width, image.height
            ),
        ));
    }
    match mask.has_transparent_pixel() {
        Some(false) => errors.push(FieldError::said(
            Param::Mask,
            format!("{label} has no fully transparent pixel (alpha 0), so nothing would be edited"),
        )),
        None => errors.push(FieldError::said(Param::Mask, format!("{label}: its pixels cannot be decoded"))),
        Some(true) => {}
    }
    errors
}

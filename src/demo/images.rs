//! The demo server's image endpoints: parse and validate like the API, simulate the work,
//! draw, and answer in the spec's response shape.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use image::RgbaImage;
use rand::Rng as _;
use serde_json::{Value, json};

use super::draw;
use super::record::{AuthSeen, RecordedFile, RecordedRequest};
use super::routes::{api_error, auth_failure};
use super::{DemoState, StoredFile};
use crate::api::models::{SPEC_DEFAULT_EDIT_MODEL, SPEC_DEFAULT_GENERATION_MODEL};
use crate::api::validate::{self, Endpoint, FieldError, InputFile};
use crate::api::{GenerateRequest, ImageFormat, ImageOptions, ModelSpec};

fn invalid(errors: &[FieldError]) -> Response {
    let message = errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
    let param = errors.first().map(|e| e.param.api_name());
    api_error(StatusCode::BAD_REQUEST, message, param, Some("invalid_value"))
}

fn missing(param: &str) -> Response {
    api_error(StatusCode::BAD_REQUEST, format!("Missing required parameter: '{param}'."), Some(param), None)
}

fn content_type(headers: &HeaderMap) -> Option<String> {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string)
}

pub(super) async fn generations(State(state): State<Arc<DemoState>>, headers: HeaderMap, body: Bytes) -> Response {
    let json: Option<Value> = serde_json::from_slice(&body).ok();
    state.lock_requests().push(RecordedRequest {
        path: "/v1/images/generations".into(),
        auth: AuthSeen::from_headers(&headers),
        content_type: content_type(&headers),
        json: json.clone(),
        fields: Vec::new(),
        files: Vec::new(),
    });
    if let Some(response) = auth_failure(&state, &headers) {
        return response;
    }
    let Some(Value::Object(mut fields)) = json else {
        return api_error(
            StatusCode::BAD_REQUEST,
            "We could not parse the JSON body of your request. The body must be a JSON object.",
            None,
            None,
        );
    };
    if !fields.contains_key("prompt") {
        return missing("prompt");
    }
    fields.entry("model").or_insert_with(|| json!(SPEC_DEFAULT_GENERATION_MODEL));
    let request: GenerateRequest = match serde_json::from_value(Value::Object(fields)) {
        Ok(request) => request,
        Err(e) => return api_error(StatusCode::BAD_REQUEST, format!("Invalid request body: {e}"), None, None),
    };
    if let Some(refusal) = state.lock_catalog().refusal(&request.model) {
        return refusal;
    }
    // The server knows its models: rules it had to guess are kept as strictly as its own.
    let errors = validate::check_params(
        Endpoint::Generate,
        &request.prompt,
        &request.model,
        &request.options,
        &state.config.models,
    );
    if !errors.is_empty() {
        return invalid(&errors);
    }
    let spec = state.config.models.resolve(&request.model).spec.clone();
    produce(&state, &spec, &request.prompt, &request.options, None).await
}

/// TTAPI's older endpoint: the same work, answered inside `{status,message,data}`.
pub(super) async fn generations_enveloped(state: State<Arc<DemoState>>, headers: HeaderMap, body: Bytes) -> Response {
    let response = generations(state, headers, body).await;
    let status = response.status();
    let Ok(bytes) = axum::body::to_bytes(response.into_body(), usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let inner: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let wrapped = if status.is_success() {
        json!({ "status": "SUCCESS", "message": "success", "data": inner })
    } else {
        let message = inner.pointer("/error/message").and_then(Value::as_str).unwrap_or("request failed");
        json!({ "status": "FAILED", "message": message })
    };
    (status, Json(wrapped)).into_response()
}

pub(super) async fn edits(
    State(state): State<Arc<DemoState>>,
    spill: Option<axum::Extension<super::faults::Spill>>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let mut record = RecordedRequest {
        path: "/v1/images/edits".into(),
        auth: AuthSeen::from_headers(&headers),
        content_type: content_type(&headers),
        json: None,
        fields: Vec::new(),
        files: Vec::new(),
    };
    let Parts { images, mask, markup } = match read_parts(&mut multipart, &mut record).await {
        Ok(parts) => parts,
        Err(response) => return response,
    };
    let fields = record.fields.clone();
    state.lock_requests().push(record);
    if let Some(response) = auth_failure(&state, &headers) {
        return response;
    }

    let mut options = ImageOptions::default();
    let (mut prompt, mut model) = (None, SPEC_DEFAULT_EDIT_MODEL.to_string());
    for (name, value) in fields {
        match name.as_str() {
            "prompt" => prompt = Some(value),
            "model" => model = value,
            _ => {
                if let Err(e) = options.set_form_field(&name, value) {
                    return invalid(&[e]);
                }
            }
        }
    }
    let Some(prompt) = prompt else { return missing("prompt") };
    if images.is_empty() {
        return missing("image");
    }
    if let Some(refusal) = state.lock_catalog().refusal(&model) {
        return refusal;
    }
    let models = &state.config.models;
    let mut errors = validate::check_params(Endpoint::Edit, &prompt, &model, &options, models);
    errors.extend(validate::gif_with_mask(&options, mask.is_some()));
    let spec = Some(models.resolve(&model).spec).filter(|m| m.can_edit()).cloned();
    if let Some(spec) = &spec {
        let inputs: Vec<_> = images.iter().map(|(label, b)| InputFile::from_bytes(label, b, false)).collect();
        let mask_input = mask.as_ref().map(|(label, b)| InputFile::from_bytes(label, b, true));
        errors.extend(validate::check_edit_inputs(spec, &inputs, mask_input.as_ref(), None));
        if let Some((label, bytes)) = &markup {
            let markup_input = InputFile::from_bytes(label, bytes, true);
            errors.extend(validate::check_markup(spec, models, &markup_input, inputs.first(), mask.is_some()));
        }
    }
    let Some(spec) = spec.filter(|_| errors.is_empty()) else { return invalid(&errors) };

    let decode = |bytes: &Bytes| image::load_from_memory(bytes).map(|i| i.to_rgba8());
    let base = match decode(&images[0].1) {
        Ok(img) => img,
        Err(e) => return api_error(StatusCode::BAD_REQUEST, format!("image: cannot decode: {e}"), Some("image"), None),
    };
    let mask = match mask.as_ref().map(|(_, b)| decode(b)).transpose() {
        Ok(mask) => mask,
        Err(e) => return api_error(StatusCode::BAD_REQUEST, format!("mask: cannot decode: {e}"), Some("mask"), None),
    };
    // Markup: the demo repaints round the marks, as a model changes what they point at.
    let mask = match markup.as_ref().map(|(_, b)| decode(b)).transpose() {
        Ok(Some(markup)) => mask_of_markup(&markup).or(mask),
        Ok(None) => mask,
        Err(e) => {
            return api_error(StatusCode::BAD_REQUEST, format!("markup: cannot decode: {e}"), Some("markup"), None);
        }
    };
    let spill = spill.map_or(0, |axum::Extension(spill)| spill.0);
    produce(
        &state,
        &spec,
        &prompt,
        &options,
        Some(EditInputs {
            base,
            mask,
            count: images.len(),
            high_fidelity: options.input_fidelity.as_deref() == Some("high"),
            spill,
        }),
    )
    .await
}

/// Input images, mask and markup of an edit: (label, bytes). Other fields go to `record`.
struct Parts {
    images: Vec<(String, Bytes)>,
    mask: Option<(String, Bytes)>,
    markup: Option<(String, Bytes)>,
}

/// Reads the multipart body: files into images and mask, fields and files noted in `record`.
async fn read_parts(multipart: &mut Multipart, record: &mut RecordedRequest) -> Result<Parts, Response> {
    let mut images: Vec<(String, Bytes)> = Vec::new();
    let mut mask: Option<(String, Bytes)> = None;
    let mut markup: Option<(String, Bytes)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                return Err(api_error(StatusCode::BAD_REQUEST, format!("Malformed multipart body: {e}"), None, None));
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.file_name().map(str::to_string);
        let part_type = field.content_type().map(str::to_string);
        let data = match field.bytes().await {
            Ok(data) => data,
            Err(e) => {
                let message = format!("Malformed multipart part {name}: {e}");
                return Err(api_error(StatusCode::BAD_REQUEST, message, None, None));
            }
        };
        if filename.is_some() || matches!(name.as_str(), "image" | "image[]" | "mask" | "markup") {
            record.files.push(RecordedFile {
                field: name.clone(),
                filename: filename.clone(),
                content_type: part_type,
                bytes: data.len(),
            });
            let label = filename.unwrap_or_else(|| name.clone());
            match name.as_str() {
                "image" | "image[]" => images.push((label, data)),
                "mask" => mask = Some((label, data)),
                "markup" => markup = Some((label, data)),
                _ => {}
            }
        } else {
            record.fields.push((name, String::from_utf8_lossy(&data).into_owned()));
        }
    }
    Ok(Parts { images, mask, markup })
}

/// Where markup asks for a change, as a mask: the box round its marks (a little wider), to be
/// repainted; `None` when it has no mark.
fn mask_of_markup(markup: &RgbaImage) -> Option<RgbaImage> {
    let marked = markup.enumerate_pixels().filter(|(_, _, p)| p[3] > 0);
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for (x, y, _) in marked {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    if x0 > x1 {
        return None;
    }
    let (w, h) = markup.dimensions();
    let margin = w.max(h) / 50;
    let (x0, y0, x1, y1) =
        (x0.saturating_sub(margin), y0.saturating_sub(margin), (x1 + margin).min(w - 1), (y1 + margin).min(h - 1));
    Some(RgbaImage::from_fn(w, h, |x, y| {
        let inside = (x0..=x1).contains(&x) && (y0..=y1).contains(&y);
        image::Rgba([0, 0, 0, if inside { 0 } else { 255 }])
    }))
}

pub(super) struct EditInputs {
    base: RgbaImage,
    mask: Option<RgbaImage>,
    count: usize,
    /// `input_fidelity: high`: the inputs cost more image tokens, as on the real models.
    high_fidelity: bool,
    /// Pixels repainted beyond the mask (`Fault::Spill`), 0 for a faithful edit.
    spill: u32,
}

/// What one request asks the demo to draw.
pub(super) struct Drawing {
    pub prompt: String,
    pub model: String,
    pub n: u32,
    pub width: u32,
    pub height: u32,
    pub format: ImageFormat,
    pub compression: u8,
    pub transparent: bool,
    /// An animated GIF's frames and their time (ms).
    pub frames: Option<(u32, u32)>,
    pub quality: String,
    pub revises_prompt: bool,
    pub reports_usage: bool,
    edit: Option<EditInputs>,
}

impl Drawing {
    fn new(spec: &ModelSpec, prompt: &str, options: &ImageOptions, edit: Option<EditInputs>) -> Self {
        let fixed_size = options.size.as_deref().and_then(crate::api::models::parse_size);
        let (width, height) = match (&edit, fixed_size) {
            (_, Some(size)) => size,
            (Some(edit), None) => edit.base.dimensions(),
            (None, None) => spec.resolve_size(options.size.as_deref()),
        };
        let format = match options.output_format.as_deref().unwrap_or(&spec.default_output_format) {
            "jpeg" => ImageFormat::Jpeg,
            "webp" => ImageFormat::Webp,
            "gif" => ImageFormat::Gif,
            "svg" => ImageFormat::Svg,
            _ => ImageFormat::Png,
        };
        // Checked before it came here: the rules' defaults, the API's 10 ms rounding.
        let frames = spec.gif.as_ref().filter(|_| format == ImageFormat::Gif).map(|rules| {
            let count = options.frame_count.unwrap_or(rules.default_frames);
            let ms = options.frame_duration_ms.unwrap_or(rules.default_frame_ms);
            (count, ms / 10 * 10)
        });
        // A GIF's frames share one pixel budget: "auto" is the largest square its frames allow.
        let (width, height) = match (frames, fixed_size, spec.gif.as_ref()) {
            (Some((count, _)), None, Some(rules)) => {
                let side = rules.max_side(count).unwrap_or(720);
                (side.min(width), side.min(height))
            }
            _ => (width, height),
        };
        Self {
            prompt: prompt.to_string(),
            model: spec.name.clone(),
            n: options.n.unwrap_or(1),
            width,
            height,
            format,
            compression: options.output_compression.unwrap_or(100).min(100) as u8,
            transparent: options.background.as_deref() == Some("transparent"),
            frames,
            quality: options.quality.clone().unwrap_or_else(|| spec.default_quality.clone()),
            revises_prompt: spec.revises_prompt,
            reports_usage: spec.reports_usage,
            edit,
        }
    }

    pub fn is_edit(&self) -> bool {
        self.edit.is_some()
    }

    /// Image `i`, drawn (deterministic for the prompt, model and index).
    pub fn picture(&self, i: u32) -> RgbaImage {
        let seed = draw::seed(&[&self.prompt, &self.model, &i.to_string()]);
        let picture = draw::picture(&self.prompt, seed, self.width, self.height, self.transparent);
        match &self.edit {
            Some(e) => draw::edit(&e.base, e.mask.as_ref(), &picture, e.spill),
            None => picture,
        }
    }

    /// Image `i` as the answer carries it: an SVG comes with the raster it was written from.
    pub fn encoded(&self, i: u32) -> Result<Vec<Vec<u8>>, String> {
        let picture = self.picture(i);
        if self.format == ImageFormat::Svg {
            let raster = draw::encode(&picture, ImageFormat::Png, 100).map_err(|e| format!("drawing failed: {e}"))?;
            return Ok(vec![draw::vectorise(&picture), raster]);
        }
        Ok(vec![self.encode(&picture)?])
    }

    pub fn encode(&self, img: &RgbaImage) -> Result<Vec<u8>, String> {
        if let Some((count, ms)) = self.frames {
            return draw::animate(img, count, ms).map_err(|e| format!("drawing failed: {e}"));
        }
        draw::encode(img, self.format, self.compression).map_err(|e| format!("drawing failed: {e}"))
    }

    /// The answer's fields beside `data`: what the GPT image models echo, and the usage.
    pub fn echo(&self) -> Value {
        if !self.reports_usage {
            return json!({});
        }
        let inputs = self.edit.as_ref().map_or((0, false), |e| (e.count, e.high_fidelity));
        json!({
            "background": if self.transparent { "transparent" } else { "opaque" },
            "output_format": self.format.api_name(),
            "size": format!("{}x{}", self.width, self.height),
            "quality": if self.quality == "auto" { "medium" } else { self.quality.as_str() },
            "usage": super::usage::usage(&self.model, &self.prompt, &self.quality, (self.width, self.height), self.n, inputs),
        })
    }
}

/// Simulates the work, draws `n` images and answers in the spec's shape (or as a stream of
/// events when `stream` is set).
async fn produce(
    state: &DemoState,
    spec: &ModelSpec,
    prompt: &str,
    options: &ImageOptions,
    edit: Option<EditInputs>,
) -> Response {
    let drawing = Arc::new(Drawing::new(spec, prompt, options, edit));
    let latency = simulated_latency(state, drawing.n);
    if options.stream == Some(true) {
        return super::stream::respond(drawing, options.partial_images.unwrap_or(0), latency);
    }
    tokio::time::sleep(latency).await;
    let job = drawing.clone();
    let drawn = tokio::task::spawn_blocking(move || {
        (0..job.n).map(|i| job.encoded(i)).collect::<Result<Vec<_>, _>>().map(|all| all.concat())
    })
    .await;
    let encoded = match drawn {
        Ok(Ok(encoded)) => encoded,
        Ok(Err(e)) => return api_error(StatusCode::INTERNAL_SERVER_ERROR, e, None, None),
        Err(e) => return api_error(StatusCode::INTERNAL_SERVER_ERROR, format!("drawing stopped: {e}"), None, None),
    };

    let as_url = options.response_format.as_deref().unwrap_or(&spec.default_response_format) == "url";
    let data: Vec<Value> = encoded
        .into_iter()
        .map(|bytes| {
            let mut datum = if as_url {
                let format = ImageFormat::sniff(&bytes).unwrap_or(drawing.format);
                json!({ "url": store_file(state, bytes, format) })
            } else {
                json!({ "b64_json": base64::engine::general_purpose::STANDARD.encode(&bytes) })
            };
            if drawing.revises_prompt {
                datum["revised_prompt"] = json!(format!("A detailed, vivid rendering of: {prompt}"));
            }
            datum
        })
        .collect();
    let mut body = json!({ "created": unix_now(), "data": data });
    if let (Some(body), Value::Object(echo)) = (body.as_object_mut(), drawing.echo()) {
        body.extend(echo);
    }
    Json(body).into_response()
}

pub(super) fn unix_now() -> u64 {
    u64::try_from(crate::clock::now_unix()).unwrap_or(0)
}

fn simulated_latency(state: &DemoState, n: u32) -> Duration {
    let (low, high) = state.config.latency_per_image;
    if high.is_zero() {
        return Duration::ZERO;
    }
    let mut rng = rand::rng();
    let total: Duration = (0..n).map(|_| rng.random_range(low..=high.max(low))).sum();
    total.min(state.config.max_latency)
}

fn store_file(state: &DemoState, bytes: Vec<u8>, format: ImageFormat) -> String {
    let id = state.next_file.fetch_add(1, Ordering::Relaxed);
    let name = format!("img-{id}-{:08x}.{}", rand::random::<u32>(), format.extension());
    let file = StoredFile { bytes: bytes.into(), mime: format.mime(), expires: Instant::now() + state.config.url_ttl };
    state.lock_files().insert(name.clone(), file);
    format!("{}/files/{name}", state.base_url)
}

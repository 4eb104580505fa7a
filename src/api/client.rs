//! The HTTP client: generations as JSON, edits as multipart, auth per provider, timeouts,
//! retries with backoff, cancellation, and `url` results downloaded at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use reqwest::RequestBuilder;
use reqwest::multipart::Form;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use super::answer::{self, BodyError, read_answer};
use super::body::Decoded;
pub use super::client_config::ClientConfig;
use super::client_config::public_url;
use super::error::{ApiError, error_chain};
use super::hints;
use super::image_facts::ImageFormat;
use super::models::ModelTable;
use super::provider::Provider;
use super::request::{EditRequest, GenerateRequest};
use super::response;
use super::result::{ImagesResult, ReceivedImage};
use super::upload::read_parts;

/// What a running request reports, for progress displays.
#[derive(Clone, Debug, PartialEq)]
pub enum Progress {
    /// Attempt `number` (1-based) is being sent.
    Attempt { number: u32 },
    /// Attempt failed with `reason`; the next one starts after `wait`.
    RetryScheduled { retry: u32, wait: Duration, reason: String, status: Option<u16> },
    /// The server answered 429, said as it arrives (before the answer is recorded), so that
    /// whoever paces requests holds the next one back at once: for `wait` when a retry follows
    /// or the server said when to try again, else `None`.
    RateLimited { wait: Option<Duration> },
    /// Downloading a `url` result.
    Downloading { index: usize, total: usize },
    /// A streamed answer sent partial image `index` (0-based) of the image being made.
    Partial { index: u32, image: Arc<Vec<u8>> },
    /// The answer is in and its images are being written. Shared, not copied: a watcher may
    /// start decoding the first image for its preview meanwhile.
    Received { answer: Arc<ImagesResult> },
}

/// Cancellation and progress for one request.
#[derive(Clone, Debug, Default)]
pub struct RequestControl {
    pub cancel: CancellationToken,
    /// Once cancelled, a failed attempt is not tried again (a retry is a new request, maybe
    /// billed): the terminal hung up, or the batch starts nothing more.
    pub no_retry: CancellationToken,
    pub progress: Option<UnboundedSender<Progress>>,
    /// Retries scheduled so far, kept here so a failed request's count is known without
    /// watching its progress.
    pub retries: Arc<AtomicU32>,
}

impl RequestControl {
    pub fn retries(&self) -> u32 {
        self.retries.load(Ordering::Relaxed)
    }

    pub(super) fn report(&self, progress: Progress) {
        if let Progress::RetryScheduled { retry, .. } = &progress {
            self.retries.store(*retry, Ordering::Relaxed);
        }
        if let Some(tx) = &self.progress {
            // A closed receiver means nobody watches any more; the request goes on.
            let _ = tx.send(progress);
        }
    }
}

pub struct Client {
    /// For requests that carry the key: a redirect is followed only within the same origin
    /// (a custom header like TT-API-KEY would go along to another host).
    http: reqwest::Client,
    /// For `url` results, which carry no key: redirects to a CDN are fine.
    download_http: reqwest::Client,
    cfg: ClientConfig,
    models: ModelTable,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("cfg", &self.cfg).finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(cfg: ClientConfig, models: ModelTable) -> Result<Self, ApiError> {
        let same_origin = reqwest::redirect::Policy::custom(|attempt| {
            let first = attempt.previous().first();
            let origin = |u: &reqwest::Url| {
                (u.scheme().to_string(), u.host_str().map(str::to_string), u.port_or_known_default())
            };
            match first {
                Some(first) if origin(first) != origin(attempt.url()) => attempt.stop(),
                _ if attempt.previous().len() > 5 => attempt.stop(),
                _ => attempt.follow(),
            }
        });
        let builder = || {
            reqwest::Client::builder()
                .connect_timeout(cfg.connect_timeout)
                .user_agent(concat!("imgtui/", env!("CARGO_PKG_VERSION")))
        };
        let setup = |e: reqwest::Error| ApiError::Input(format!("cannot set up the HTTP client: {e}"));
        let http = builder().redirect(same_origin).build().map_err(setup)?;
        let download_http = builder().build().map_err(setup)?;
        Ok(Self { http, download_http, cfg, models })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.cfg
    }

    pub fn models(&self) -> &ModelTable {
        &self.models
    }

    fn url(&self, path: &str) -> String {
        // With OpenAI's Authorization header, user:password in the URL would be a second one.
        let base = match self.cfg.provider {
            Provider::Openai => self.cfg.public_base_url(),
            _ => self.cfg.base_url.clone(),
        };
        format!("{}/{}", base.trim_end_matches('/'), path)
    }

    fn authed(&self, builder: RequestBuilder) -> RequestBuilder {
        let builder = builder.timeout(self.cfg.request_timeout);
        match self.cfg.key.as_ref().and_then(|k| self.cfg.provider.auth_header(k)) {
            Some((name, value)) => builder.header(name, value),
            None => builder,
        }
    }

    /// `GET /models`: the provider's list of models, in one attempt with a short wait and a
    /// bounded body (it only refines what imgtui knows; the caller falls back on failure).
    pub async fn list_models(&self) -> Result<Vec<u8>, ApiError> {
        const WAIT: Duration = Duration::from_secs(5);
        const MAX_BYTES: u64 = 4 * 1024 * 1024;
        let wait = WAIT.min(self.cfg.request_timeout);
        let builder = self.authed(self.http.get(self.url("models"))).timeout(wait);
        let read = |response| answer::read_capped(response, MAX_BYTES, "the list");
        self.send_once(builder, read).await.map_err(|e| match e {
            // A list costs nothing: no word about billed images here.
            ApiError::Timeout { .. } => ApiError::Connection(format!("no answer within {} s", wait.as_secs())),
            // It is a list of models, not an Images answer.
            ApiError::InvalidResponse { status, message } => ApiError::InvalidList { status, message },
            e => self.with_hint(e),
        })
    }

    /// `POST /images/generations`. Validates first: nothing is sent for an invalid request.
    pub async fn generate(&self, req: &GenerateRequest, ctl: &RequestControl) -> Result<ImagesResult, ApiError> {
        let sent = self.generate_once(req, ctl).await;
        let Some(refusal) = self.refused_stream(&sent, req.options.stream, ctl) else { return sent };
        let plain = GenerateRequest { options: req.options.without_stream(), ..req.clone() };
        let mut result = self.generate_once(&plain, ctl).await?;
        result.notes.push(refusal);
        result.retries += 1;
        Ok(result)
    }

    async fn generate_once(&self, req: &GenerateRequest, ctl: &RequestControl) -> Result<ImagesResult, ApiError> {
        req.validate(&self.models).map_err(ApiError::Invalid)?;
        let url = self.url("images/generations");
        let build = || self.authed(self.http.post(&url).json(req));
        let cap = answer::answer_cap(req.options.n.unwrap_or(1), req.options.partial_images.unwrap_or(0));
        let partials = req.options.partial_images.unwrap_or(0);
        let sent = self.send_with_retries(build, |r| read_answer(r, ctl.clone(), cap, partials), ctl).await;
        let (body, retries) = sent.map_err(|e| hints::explain(e, self.cfg.provider, &req.model))?;
        // An SVG may come with the raster it was written from: both are kept.
        let per_image = if req.options.output_format.as_deref() == Some("svg") { 2 } else { 1 };
        self.receive(body, retries, req.options.n.unwrap_or(1) * per_image, ctl).await
    }

    /// `POST /images/edits` as multipart. Validates first (reading the files' headers).
    pub async fn edit(&self, req: &EditRequest, ctl: &RequestControl) -> Result<ImagesResult, ApiError> {
        let sent = self.edit_once(req, ctl).await;
        let Some(refusal) = self.refused_stream(&sent, req.options.stream, ctl) else { return sent };
        let plain = EditRequest { options: req.options.without_stream(), ..req.clone() };
        let mut result = self.edit_once(&plain, ctl).await?;
        result.notes.push(refusal);
        result.retries += 1;
        Ok(result)
    }

    /// When a streamed request was refused for an unverified organization: the note to keep,
    /// after telling the watcher that it goes again without streaming.
    fn refused_stream(
        &self,
        sent: &Result<ImagesResult, ApiError>,
        stream: Option<bool>,
        ctl: &RequestControl,
    ) -> Option<String> {
        let err = sent.as_ref().err().filter(|e| stream == Some(true) && hints::is_stream_verification(e))?;
        let reason = format!("streaming was refused ({err}); sent again without streaming");
        tracing::info!("{reason}");
        ctl.report(Progress::RetryScheduled { retry: 1, wait: Duration::ZERO, reason: reason.clone(), status: None });
        Some(reason)
    }

    async fn edit_once(&self, req: &EditRequest, ctl: &RequestControl) -> Result<ImagesResult, ApiError> {
        let (checked, models, provider) = (req.clone(), self.models.clone(), self.cfg.provider);
        tokio::task::spawn_blocking(move || checked.validate(&models, provider))
            .await
            .map_err(|e| ApiError::Input(format!("validation stopped: {e}")))?
            .map_err(ApiError::Invalid)?;
        let images = read_parts(&req.images).await?;
        let mask = match &req.mask {
            Some(path) => read_parts(std::slice::from_ref(path)).await?.pop(),
            None => None,
        };
        let markup = match &req.markup {
            Some(path) => read_parts(std::slice::from_ref(path)).await?.pop(),
            None => None,
        };
        let url = self.url("images/edits");
        let build = || {
            let image_field = if images.len() == 1 { "image" } else { "image[]" };
            let mut form = Form::new().text("prompt", req.prompt.clone()).text("model", req.model.clone());
            for file in &images {
                form = form.part(image_field, file.part());
            }
            if let Some(mask) = &mask {
                form = form.part("mask", mask.part());
            }
            if let Some(markup) = &markup {
                form = form.part("markup", markup.part());
            }
            for (name, value) in req.options.form_fields() {
                form = form.text(name, value);
            }
            self.authed(self.http.post(&url).multipart(form))
        };
        let cap = answer::answer_cap(req.options.n.unwrap_or(1), req.options.partial_images.unwrap_or(0));
        let partials = req.options.partial_images.unwrap_or(0);
        let sent = self.send_with_retries(build, |r| read_answer(r, ctl.clone(), cap, partials), ctl).await;
        let (body, retries) = sent.map_err(|e| hints::explain(e, self.cfg.provider, &req.model))?;
        self.receive(body, retries, req.options.n.unwrap_or(1), ctl).await
    }

    /// Sends until a 2xx answer, a final error, or the retries run out. `read` takes a 2xx
    /// answer's body; an image answer that breaks off is never sent again (it was billed),
    /// other bodies (a download, the model list) are retried like any dropped connection.
    async fn send_with_retries<T, Read, Reading>(
        &self,
        build: impl Fn() -> RequestBuilder,
        read: Read,
        ctl: &RequestControl,
    ) -> Result<(T, u32), ApiError>
    where
        Read: Fn(reqwest::Response) -> Reading,
        Reading: Future<Output = Result<T, BodyError>>,
    {
        let mut retries = 0;
        loop {
            ctl.report(Progress::Attempt { number: retries + 1 });
            let attempt = self.send_once(build(), &read);
            let outcome = tokio::select! {
                _ = ctl.cancel.cancelled() => return Err(ApiError::Cancelled),
                outcome = attempt => outcome,
            };
            let err = match outcome {
                Ok(body) => return Ok((body, retries)),
                Err(err) => err,
            };
            let retrying = err.is_retryable() && retries < self.cfg.retry.max_retries;
            let wait = self.cfg.retry.delay(retries, err.retry_after());
            if err.status() == Some(429) {
                ctl.report(Progress::RateLimited { wait: if retrying { Some(wait) } else { err.retry_after() } });
            }
            if !retrying || ctl.no_retry.is_cancelled() {
                return Err(self.with_hint(err));
            }
            retries += 1;
            tracing::info!(retry = retries, wait_ms = wait.as_millis() as u64, reason = %err, "retrying");
            ctl.report(Progress::RetryScheduled {
                retry: retries,
                wait,
                reason: err.to_string(),
                status: err.status(),
            });
            tokio::select! {
                _ = ctl.cancel.cancelled() => return Err(ApiError::Cancelled),
                _ = ctl.no_retry.cancelled() => return Err(self.with_hint(err)),
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }

    async fn send_once<T, Reading: Future<Output = Result<T, BodyError>>>(
        &self,
        builder: RequestBuilder,
        read: impl Fn(reqwest::Response) -> Reading,
    ) -> Result<T, ApiError> {
        self.send_once_unscrubbed(builder, read).await.map_err(|e| self.cfg.scrub(e))
    }

    async fn send_once_unscrubbed<T, Reading: Future<Output = Result<T, BodyError>>>(
        &self,
        builder: RequestBuilder,
        read: impl Fn(reqwest::Response) -> Reading,
    ) -> Result<T, ApiError> {
        let response = builder.send().await.map_err(|e| self.transport_error(e))?;
        let status = response.status();
        if status.is_success() {
            let body = read(response).await.map_err(|e| match e {
                BodyError::Transport(e) => self.transport_error(e),
                BodyError::Broken { received, message } => {
                    ApiError::AnswerBroken { status: status.as_u16(), received, message }
                }
                BodyError::Stream(message) => ApiError::InvalidResponse { status: status.as_u16(), message },
                BodyError::Answer(error) => error,
            })?;
            tracing::debug!(status = status.as_u16(), "answer");
            return Ok(body);
        }
        let retry_after = response::retry_after(response.headers());
        let body = answer::read_error_body(response).await.map_err(|e| self.transport_error(e))?;
        tracing::debug!(status = status.as_u16(), bytes = body.len(), "error answer");
        Err(response::parse_error(status.as_u16(), &body, retry_after))
    }

    fn transport_error(&self, e: reqwest::Error) -> ApiError {
        let message = error_chain(&e);
        if e.is_connect() {
            ApiError::Connect { url: self.cfg.public_base_url(), message }
        } else if e.is_timeout() {
            ApiError::Timeout { after: self.cfg.request_timeout }
        } else {
            ApiError::Connection(message)
        }
    }

    /// Adds what the user can do about a refused key.
    fn with_hint(&self, err: ApiError) -> ApiError {
        match err {
            ApiError::Http { status: 401, message, code, param, retry_after, .. } => {
                let hint = match (&self.cfg.key, &self.cfg.key_source) {
                    (Some(_), Some(source)) => format!("The API key from {source} was refused; check it"),
                    (Some(_), None) => "The API key was refused; check it".to_string(),
                    (None, _) => "No API key was sent; set TTAPI_API_KEY or OPENAI_API_KEY".to_string(),
                };
                ApiError::Http { status: 401, message, code, param, hint: Some(hint), retry_after }
            }
            other => other,
        }
    }

    /// Parses what is left of a 2xx body and gives every datum its bytes: decoded while the
    /// body arrived (`b64_json`), or downloaded (`url`). At most the `asked` images are kept
    /// (a server that answers more is noted), and `usage` no answer of that size could have is
    /// dropped as unknown.
    async fn receive(
        &self,
        answer: Decoded,
        retries: u32,
        asked: u32,
        ctl: &RequestControl,
    ) -> Result<ImagesResult, ApiError> {
        let Decoded { mut response, images: mut decoded, mut notes } = answer;
        let asked = asked.max(1) as usize;
        if response.data.len() > asked {
            let extra = response.data.len() - asked;
            let kept =
                if asked == 1 { "only the first was kept".to_string() } else { format!("the first {asked} were kept") };
            notes.push(format!(
                "the server sent {} images for the {asked} asked; {kept}, {extra} dropped",
                response.data.len()
            ));
            response.data.truncate(asked);
            decoded.truncate(asked);
        }
        if response.usage.as_ref().is_some_and(|u| !u.plausible_for(response.data.len())) {
            notes.push(
                "the answer's token counts cannot be its images' (too few or too many); tokens unknown".to_string(),
            );
            response.usage = None;
        }
        let total = response.data.len();
        let mut images = Vec::with_capacity(total);
        let (mut lost, mut rejected) = (Vec::new(), Vec::new());
        for ((index, datum), decoded) in response.data.iter().enumerate().zip(decoded) {
            let bytes = if let Some(decoded) = decoded {
                decoded.map_err(|why| format!("image {}: b64_json {why}", index + 1))
            } else if let Some(url) = &datum.url {
                ctl.report(Progress::Downloading { index, total });
                self.download(url, ctl).await.map_err(|e| match e {
                    ApiError::Cancelled => "cancelled".to_string(),
                    // The link is the only way left to the paid image: it is kept in the message.
                    e => format!(
                        "image {}: download failed: {e}; the image may still be at {} (result links expire after \
                         60 minutes)",
                        index + 1,
                        crate::text::escape_controls(url)
                    ),
                })
            } else {
                Err(format!("image {}: the answer has neither b64_json nor url", index + 1))
            };
            match bytes {
                Ok(bytes) => {
                    // Bytes that are no image we can read are kept apart, never saved as one.
                    let readable = super::image_facts::ImageFacts::from_header(&bytes).is_ok();
                    let image = ReceivedImage {
                        index,
                        format: ImageFormat::sniff(&bytes),
                        bytes,
                        revised_prompt: datum.revised_prompt.as_deref().map(|text| self.cfg.scrub_text(text)),
                        raw: None,
                    };
                    if readable { images.push(image) } else { rejected.push(image) }
                }
                Err(reason) => lost.push(reason),
            }
        }
        // Cancelled while downloading: the images that arrived were paid for, and are kept.
        // With no image at all the answer still goes back: its usage says what was billed.
        if images.is_empty() && rejected.is_empty() && ctl.cancel.is_cancelled() {
            return Err(ApiError::Cancelled);
        }
        Ok(ImagesResult { response, images, lost, retries, notes, rejected })
    }

    /// Fetches a result URL. The key is never sent: the URL points at another host.
    async fn download(&self, url: &str, ctl: &RequestControl) -> Result<Vec<u8>, ApiError> {
        let build = || self.download_http.get(url).timeout(self.cfg.request_timeout);
        // `Downloading` was reported; the download's own attempts are not request attempts.
        let quiet = RequestControl { cancel: ctl.cancel.clone(), ..RequestControl::default() };
        let read = |response| answer::read_capped(response, answer::IMAGE_BYTES_MAX, "the image");
        let (body, _) = self.send_with_retries(build, read, &quiet).await.map_err(|e| match e {
            // The download's own host, not the API's.
            ApiError::Connect { message, .. } => ApiError::Connect { url: public_url(url), message },
            e => e,
        })?;
        Ok(body)
    }
}

//! The demo server's routes, fault injection, and the OpenAI-shaped error answers.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures::StreamExt;
use serde_json::{Value, json};

use super::DemoState;
use super::catalog;
use super::conn::KillSwitch;
use super::faults::{Fault, FaultRule};
use super::images;
use super::record::AuthSeen;

/// Uploads may hold 16 images of up to 50 MB.
const BODY_LIMIT: usize = 16 * 50 * 1024 * 1024 + 1024 * 1024;

pub(super) fn router(state: Arc<DemoState>) -> Router {
    let api = Router::new()
        .route("/v1/images/generations", post(images::generations))
        .route("/v1/images/edits", post(images::edits))
        .route("/openai/v1/images/generations", post(images::generations_enveloped))
        .route("/v1/files/{name}", get(file))
        .route("/v1/models", get(catalog::list))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), inject_faults));
    Router::new()
        .route("/_demo/faults", post(add_faults).delete(clear_faults))
        .route("/_demo/requests", get(list_requests))
        .route("/_demo/catalog", post(catalog::replace))
        .merge(api)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

/// An error answer in OpenAI's shape.
pub(super) fn api_error(
    status: StatusCode,
    message: impl Into<String>,
    param: Option<&str>,
    code: Option<&str>,
) -> Response {
    let kind = if status.is_server_error() { "server_error" } else { "invalid_request_error" };
    let body = json!({ "error": { "message": message.into(), "type": kind, "param": param, "code": code } });
    (status, Json(body)).into_response()
}

/// The 401 the real API gives when the key is wrong; the key is not echoed.
pub(super) fn auth_failure(state: &DemoState, headers: &HeaderMap) -> Option<Response> {
    let expected = state.config.expected_key.as_ref()?;
    let message = match AuthSeen::from_headers(headers) {
        Some(seen) if seen.carries(expected) => return None,
        Some(_) => "Incorrect API key provided.",
        None => "You didn't provide an API key. Send it in an Authorization: Bearer header or a TT-API-KEY header.",
    };
    Some(api_error(StatusCode::UNAUTHORIZED, message, None, Some("invalid_api_key")))
}

async fn not_found(request: Request) -> Response {
    let message = format!("Invalid URL ({} {})", request.method(), request.uri().path());
    api_error(StatusCode::NOT_FOUND, message, None, None)
}

async fn inject_faults(
    State(state): State<Arc<DemoState>>,
    ConnectInfo(kill): ConnectInfo<KillSwitch>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(fault) = state.faults.take(request.uri().path()) else { return next.run(request).await };
    tracing::info!(?fault, path = request.uri().path(), "injecting fault");
    match fault {
        Fault::Status { status, body, headers } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = (status, body).into_response();
            for (name, value) in headers {
                if let (Ok(name), Ok(value)) =
                    (header::HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value))
                {
                    response.headers_mut().insert(name, value);
                }
            }
            response
        }
        Fault::Delay { ms } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(request).await
        }
        Fault::Drop => {
            kill.kill();
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        Fault::Truncate => truncate(next.run(request).await).await,
        Fault::SlowBody { chunk, every_ms } => slow(next.run(request).await, chunk.max(1), every_ms).await,
        Fault::Spill { px } => {
            request.extensions_mut().insert(super::faults::Spill(px));
            next.run(request).await
        }
    }
}

/// Sends the body a little at a time, for read timeouts and progress through slow links.
async fn slow(response: Response, chunk: usize, every_ms: u64) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let pieces: Vec<Bytes> = bytes.chunks(chunk).map(Bytes::copy_from_slice).collect();
    let stream = futures::stream::iter(pieces).then(move |piece| async move {
        tokio::time::sleep(Duration::from_millis(every_ms)).await;
        Ok::<_, std::io::Error>(piece)
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

/// Sends the first half of the body under a Content-Length for all of it, then fails.
async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let half = bytes.slice(..bytes.len() / 2);
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    // The status, the headers and the first half go out on the wire before the connection is
    // cut: an error in the same poll as the data would drop it all, like a plain `drop`.
    let chunks = futures::stream::iter([Ok(half)]).chain(futures::stream::once(async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        Err::<Bytes, _>(std::io::Error::other("body truncated by fault injection"))
    }));
    Response::from_parts(parts, Body::from_stream(chunks))
}

async fn file(State(state): State<Arc<DemoState>>, Path(name): Path<String>) -> Response {
    let mut files = state.lock_files();
    let now = Instant::now();
    files.retain(|_, f| f.expires > now);
    match files.get(&name) {
        Some(f) => ([(header::CONTENT_TYPE, f.mime)], f.bytes.clone()).into_response(),
        None => {
            api_error(StatusCode::NOT_FOUND, format!("No file {name}: it has expired or never existed."), None, None)
        }
    }
}

async fn add_faults(State(state): State<Arc<DemoState>>, Json(rules): Json<Vec<FaultRule>>) -> Response {
    let count = rules.len();
    for rule in rules {
        state.faults.push(rule);
    }
    Json(json!({ "queued": count, "pending": state.faults.pending() })).into_response()
}

async fn clear_faults(State(state): State<Arc<DemoState>>) -> Response {
    state.faults.clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn list_requests(State(state): State<Arc<DemoState>>) -> Json<Value> {
    Json(json!(*state.lock_requests()))
}

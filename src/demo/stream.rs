//! The demo's streamed answer (`stream: true`): server-sent events as the API sends them, with
//! `partial_images` ever finer previews of each image while it is "drawn", then the finished
//! image (`*.completed`) carrying the echoed fields, and the usage on the last one.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use image::RgbaImage;
use image::imageops::FilterType;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::images::{Drawing, unix_now};

pub(super) fn respond(drawing: Arc<Drawing>, partials: u32, latency: Duration) -> Response {
    let (tx, rx) = mpsc::channel::<Bytes>(2);
    tokio::spawn(send_events(drawing, partials, latency, tx));
    let events =
        futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|b| (Ok::<_, Infallible>(b), rx)) });
    let response = Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Body::from_stream(events));
    response.unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

async fn send_events(drawing: Arc<Drawing>, partials: u32, latency: Duration, tx: mpsc::Sender<Bytes>) {
    let kind = if drawing.is_edit() { "image_edit" } else { "image_generation" };
    let pause = latency / ((partials + 1) * drawing.n).max(1);
    for i in 0..drawing.n {
        let job = drawing.clone();
        let Ok(picture) = tokio::task::spawn_blocking(move || job.picture(i)).await else { return };
        let picture = Arc::new(picture);
        for index in 0..partials {
            tokio::time::sleep(pause).await;
            let (job, picture) = (drawing.clone(), picture.clone());
            let coarse = tokio::task::spawn_blocking(move || job.encode(&coarse(&picture, partials - index))).await;
            let Ok(Ok(bytes)) = coarse else { return };
            let mut event = fields(&drawing, &format!("{kind}.partial_image"), &bytes, false);
            event["partial_image_index"] = json!(index);
            if tx.send(sse(&format!("{kind}.partial_image"), &event)).await.is_err() {
                return; // The client went away.
            }
        }
        tokio::time::sleep(pause).await;
        let (job, full) = (drawing.clone(), picture.clone());
        let Ok(Ok(bytes)) = tokio::task::spawn_blocking(move || job.encode(&full)).await else { return };
        // The whole request's usage comes once, with the last image.
        let event = fields(&drawing, &format!("{kind}.completed"), &bytes, i + 1 == drawing.n);
        if tx.send(sse(&format!("{kind}.completed"), &event)).await.is_err() {
            return;
        }
    }
}

fn fields(drawing: &Drawing, kind: &str, bytes: &[u8], with_usage: bool) -> Value {
    let mut event = json!({
        "type": kind,
        "b64_json": base64::engine::general_purpose::STANDARD.encode(bytes),
        "created_at": unix_now(),
    });
    if let (Some(event), Value::Object(echo)) = (event.as_object_mut(), drawing.echo()) {
        event.extend(echo.into_iter().filter(|(k, _)| with_usage || k != "usage"));
    }
    event
}

fn sse(kind: &str, data: &Value) -> Bytes {
    Bytes::from(format!("event: {kind}\ndata: {data}\n\n"))
}

/// The picture in blocks of 4·2^`level` pixels: the coarser, the earlier the partial.
fn coarse(picture: &RgbaImage, level: u32) -> RgbaImage {
    let block = 4u32 << level.min(5);
    let (w, h) = picture.dimensions();
    let small = image::imageops::resize(picture, (w / block).max(1), (h / block).max(1), FilterType::Triangle);
    image::imageops::resize(&small, w, h, FilterType::Nearest)
}

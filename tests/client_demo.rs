//! The client against the demo server over real HTTP on loopback: round trips for each seed
//! model, the multipart wire format as the server saw it, auth styles, envelopes, errors,
//! retries, timeouts and cancellation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use imgtui::api::{ApiError, EditRequest, GenerateRequest, ImageFormat, Progress, Provider, RequestControl};
use imgtui::demo::DemoConfig;
use imgtui::demo::faults::{Fault, FaultRule, openai_error};
use tokio::sync::mpsc;

fn decode(bytes: &[u8]) -> image::RgbaImage {
    image::load_from_memory(bytes).expect("a decodable image").to_rgba8()
}

/// A control whose progress events are collected, to count attempts.
fn watched() -> (RequestControl, mpsc::UnboundedReceiver<Progress>) {
    let (tx, rx) = mpsc::unbounded_channel();
    (RequestControl { progress: Some(tx), ..RequestControl::default() }, rx)
}

fn attempts(rx: &mut mpsc::UnboundedReceiver<Progress>) -> u32 {
    let mut count = 0;
    while let Ok(event) = rx.try_recv() {
        if matches!(event, Progress::Attempt { .. }) {
            count += 1;
        }
    }
    count
}

#[tokio::test]
async fn gpt_image_1_generation_returns_b64_images_usage_and_echoed_fields() {
    let server = common::demo().await;
    let mut req = GenerateRequest::new("gpt-image-1", "a red fox");
    req.options.n = Some(2);
    req.options.size = Some("1536x1024".into());
    req.options.quality = Some("low".into());
    let result = common::client(&server).generate(&req, &RequestControl::default()).await.unwrap();
    assert_eq!(result.images.len(), 2);
    for image in &result.images {
        assert_eq!(image.format, Some(ImageFormat::Png));
        assert_eq!(decode(&image.bytes).dimensions(), (1536, 1024));
    }
    assert_ne!(result.images[0].bytes, result.images[1].bytes, "each image is drawn on its own seed");
    let usage = result.response.usage.as_ref().expect("usage");
    assert!(usage.output_tokens > 0 && usage.total_tokens == usage.input_tokens + usage.output_tokens);
    assert_eq!(result.response.size.as_deref(), Some("1536x1024"));
    assert_eq!(result.response.quality.as_deref(), Some("low"));
    assert!(result.response.data.iter().all(|d| d.b64_json.is_none()), "base64 dropped once decoded");
    let sent = &server.requests()[0];
    assert_eq!(sent.content_type.as_deref(), Some("application/json"));
    let json = sent.json.as_ref().unwrap();
    assert_eq!((json["model"].as_str(), json["n"].as_u64()), (Some("gpt-image-1"), Some(2)));
    assert!(json.get("style").is_none(), "unset options are not sent");
}

#[tokio::test]
async fn gpt_image_formats_and_transparency() {
    let server = common::demo().await;
    let client = common::client(&server);
    for (format, expected) in [("jpeg", ImageFormat::Jpeg), ("webp", ImageFormat::Webp)] {
        let mut req = GenerateRequest::new("gpt-image-1", "a lamp");
        req.options.output_format = Some(format.into());
        req.options.size = Some("1024x1024".into());
        let result = client.generate(&req, &RequestControl::default()).await.unwrap();
        assert_eq!(result.images[0].format, Some(expected));
        assert_eq!(decode(&result.images[0].bytes).dimensions(), (1024, 1024));
    }
    let mut req = GenerateRequest::new("gpt-image-1", "a lamp");
    req.options.background = Some("transparent".into());
    let result = client.generate(&req, &RequestControl::default()).await.unwrap();
    let img = decode(&result.images[0].bytes);
    assert_eq!(img.get_pixel(0, 0)[3], 0, "the background is transparent");
    assert_eq!(result.response.background.as_deref(), Some("transparent"));
}

#[tokio::test]
async fn dall_e_2_url_results_are_downloaded_at_once() {
    let server = common::demo().await;
    let mut req = GenerateRequest::new("dall-e-2", "a small cat");
    req.options.size = Some("256x256".into());
    req.options.n = Some(3);
    let (ctl, mut rx) = watched();
    let result = common::client(&server).generate(&req, &ctl).await.unwrap();
    assert_eq!(result.images.len(), 3);
    assert!(result.images.iter().all(|i| decode(&i.bytes).dimensions() == (256, 256)));
    assert!(result.response.data.iter().all(|d| d.url.as_deref().is_some_and(|u| u.contains("/v1/files/"))));
    let downloads =
        std::iter::from_fn(|| rx.try_recv().ok()).filter(|p| matches!(p, Progress::Downloading { .. })).count();
    assert_eq!(downloads, 3);
    assert!(result.response.usage.is_none(), "dall-e does not report usage");
}

#[tokio::test]
async fn dall_e_3_returns_a_revised_prompt() {
    let server = common::demo().await;
    let mut req = GenerateRequest::new("dall-e-3", "a lighthouse");
    req.options.response_format = Some("b64_json".into());
    req.options.style = Some("natural".into());
    let result = common::client(&server).generate(&req, &RequestControl::default()).await.unwrap();
    assert_eq!(decode(&result.images[0].bytes).dimensions(), (1024, 1024));
    assert!(result.images[0].revised_prompt.as_deref().is_some_and(|p| p.contains("a lighthouse")));
}

#[tokio::test]
async fn gpt_image_edit_sends_repeated_image_parts_and_changes_only_the_masked_region() {
    let server = common::demo().await;
    let dir = tempfile::tempdir().unwrap();
    let first = common::write_gradient_png(dir.path(), "first.png", (96, 64));
    let second = common::write_png(dir.path(), "second.png", (40, 40), [200, 0, 0, 255], None);
    let mask = common::write_png(dir.path(), "mask.png", (96, 64), [0, 0, 0, 255], Some((10, 10, 30, 20)));
    let mut req = EditRequest::new("gpt-image-1", "add a hat", vec![first.clone(), second]);
    req.mask = Some(mask);
    req.options.input_fidelity = Some("high".into());
    let result = common::client(&server).edit(&req, &RequestControl::default()).await.unwrap();

    let sent = &server.requests()[0];
    assert!(sent.content_type.as_deref().unwrap().starts_with("multipart/form-data; boundary="));
    let files: Vec<_> =
        sent.files.iter().map(|f| (f.field.as_str(), f.filename.as_deref(), f.content_type.as_deref())).collect();
    assert_eq!(
        files,
        [
            ("image[]", Some("first.png"), Some("image/png")),
            ("image[]", Some("second.png"), Some("image/png")),
            ("mask", Some("mask.png"), Some("image/png")),
        ]
    );
    let fields: Vec<_> = sent.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(fields, [("prompt", "add a hat"), ("model", "gpt-image-1"), ("input_fidelity", "high")]);

    let input = image::open(&first).unwrap().to_rgba8();
    let output = decode(&result.images[0].bytes);
    assert_eq!(output.dimensions(), input.dimensions());
    let (mut changed, mut kept) = (0, 0);
    for (x, y, pixel) in output.enumerate_pixels() {
        let in_hole = (10..40).contains(&x) && (10..30).contains(&y);
        if in_hole {
            changed += usize::from(pixel != input.get_pixel(x, y));
        } else {
            assert_eq!(pixel, input.get_pixel(x, y), "pixel ({x},{y}) outside the mask changed");
            kept += 1;
        }
    }
    assert!(changed > 500, "the masked region was repainted ({changed} of 600 pixels changed)");
    assert_eq!(kept, 96 * 64 - 600);
}

#[tokio::test]
async fn dall_e_2_edit_sends_a_single_image_part() {
    let server = common::demo().await;
    let dir = tempfile::tempdir().unwrap();
    let img = common::write_png(dir.path(), "in.png", (64, 64), [10, 200, 10, 255], Some((0, 0, 16, 16)));
    let mut req = EditRequest::new("dall-e-2", "a pond", vec![img]);
    req.options.response_format = Some("b64_json".into());
    let result = common::client(&server).edit(&req, &RequestControl::default()).await.unwrap();
    assert_eq!(server.requests()[0].files[0].field, "image");
    let out = decode(&result.images[0].bytes);
    assert_eq!(
        out.get_pixel(40, 40),
        &image::Rgba([10, 200, 10, 255]),
        "no mask: the image's own alpha marks the edit"
    );
    assert_ne!(out.get_pixel(2, 2)[3], 0);
}

#[tokio::test]
async fn both_auth_styles_carry_the_key_and_a_bad_key_is_not_retried() {
    let server = common::demo_with(DemoConfig { expected_key: Some("k-123".into()), ..DemoConfig::instant() }).await;
    let req = GenerateRequest::new("dall-e-2", "a fox");
    for provider in [Provider::Ttapi, Provider::Openai] {
        let client = common::client_with(common::config_for(&server, provider, Some("k-123")));
        client.generate(&req, &RequestControl::default()).await.unwrap();
    }
    let seen: Vec<_> = server.requests().into_iter().map(|r| r.auth.unwrap()).collect();
    assert_eq!((seen[0].header.as_str(), seen[0].scheme.as_deref()), ("tt-api-key", None));
    assert_eq!((seen[1].header.as_str(), seen[1].scheme.as_deref()), ("authorization", Some("Bearer")));
    assert!(seen.iter().all(|s| s.carries("k-123")));

    let mut cfg = common::config_for(&server, Provider::Openai, Some("wrong-key"));
    cfg.key_source = Some("$OPENAI_API_KEY".into());
    let (ctl, mut rx) = watched();
    let err = common::client_with(cfg).generate(&req, &ctl).await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    let text = err.to_string();
    assert!(
        text.contains("Incorrect API key provided") && text.contains("The API key from $OPENAI_API_KEY was refused"),
        "{text}"
    );
    assert!(!text.contains("wrong-key"), "the key is never in a message");
    assert_eq!(attempts(&mut rx), 1);
}

#[tokio::test]
async fn ttapi_envelope_endpoint_is_understood() {
    let server = common::demo().await;
    let mut cfg = common::config_for(&server, Provider::Ttapi, Some("k"));
    cfg.base_url = format!("http://{}/openai/v1", server.addr());
    let client = common::client_with(cfg);
    let result =
        client.generate(&GenerateRequest::new("gpt-image-1", "a fox"), &RequestControl::default()).await.unwrap();
    assert_eq!(result.images.len(), 1);
    assert!(result.response.usage.is_some());
    let mut bad = GenerateRequest::new("gpt-image-1", "a fox");
    bad.options.size = Some("7x7".into());
    // Sent raw, past our own validation, to see the server's enveloped error.
    let raw = reqwest::Client::new()
        .post(format!("http://{}/openai/v1/images/generations", server.addr()))
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let body: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(body["status"], "FAILED");
    assert!(body["message"].as_str().unwrap().contains("size: \"7x7\" is not allowed for gpt-image-1"));
}

#[tokio::test]
async fn error_bodies_are_shown_verbatim_and_400_is_not_retried() {
    let server = common::demo().await;
    let client = common::client(&server);
    let req = GenerateRequest::new("gpt-image-1", "a fox");
    server.faults().push(FaultRule::once(Fault::Status {
        status: 400,
        body: r#"{"error":{"message":"Your request was rejected by the safety system.","type":"invalid_request_error","param":null,"code":"moderation_blocked"}}"#.into(),
        headers: vec![],
    }));
    let (ctl, mut rx) = watched();
    let err = client.generate(&req, &ctl).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "HTTP 400 Bad Request: Your request was rejected by the safety system. (code moderation_blocked). \
         the provider's moderation refused this request; rephrase the prompt (it is not retried)"
    );
    assert_eq!(attempts(&mut rx), 1);

    server.faults().push(FaultRule::once(Fault::Status {
        status: 400,
        body: r#"{"status":"FAILED","message":"insufficient quota"}"#.into(),
        headers: vec![],
    }));
    let err = client.generate(&req, &RequestControl::default()).await.unwrap_err();
    assert_eq!(err.to_string(), "HTTP 400 Bad Request: insufficient quota");
}

#[tokio::test]
async fn retryable_statuses_are_retried_and_then_succeed() {
    let server = common::demo().await;
    let client = common::client(&server);
    let req = GenerateRequest::new("dall-e-2", "a fox");
    for status in [408, 409, 429, 500, 502, 503, 504] {
        server.faults().push(FaultRule::once(openai_error(status, "try later")).on("generations"));
        let (ctl, mut rx) = watched();
        let result = client.generate(&req, &ctl).await.unwrap_or_else(|e| panic!("{status}: {e}"));
        assert_eq!(result.retries, 1, "status {status}");
        assert_eq!(attempts(&mut rx), 2, "status {status}");
    }
}

#[tokio::test]
async fn final_statuses_are_not_retried() {
    let server = common::demo().await;
    let client = common::client(&server);
    let req = GenerateRequest::new("dall-e-2", "a fox");
    for status in [400, 401, 403, 404, 413] {
        server.faults().push(FaultRule::times(openai_error(status, "no"), 3));
        let (ctl, mut rx) = watched();
        let err = client.generate(&req, &ctl).await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(attempts(&mut rx), 1, "status {status}");
        server.faults().clear();
    }
}

#[tokio::test]
async fn retries_run_out_with_the_last_error() {
    let server = common::demo().await;
    server.faults().push(FaultRule::times(openai_error(503, "overloaded"), 5));
    let (ctl, mut rx) = watched();
    let err = common::client(&server).generate(&GenerateRequest::new("dall-e-2", "x"), &ctl).await.unwrap_err();
    assert_eq!(err.to_string(), "HTTP 503 Service Unavailable: overloaded");
    assert_eq!(attempts(&mut rx), 3, "1 attempt + 2 retries");
}

#[tokio::test]
async fn retry_after_headers_set_the_wait() {
    let server = common::demo().await;
    let client = common::client(&server);
    let req = GenerateRequest::new("dall-e-2", "x");
    for (header, value, expected) in
        [("retry-after", "1", Duration::from_secs(1)), ("retry-after-ms", "300", Duration::from_millis(300))]
    {
        server.faults().push(FaultRule::once(Fault::Status {
            status: 429,
            body: r#"{"error":{"message":"Rate limit reached"}}"#.into(),
            headers: vec![(header.into(), value.into())],
        }));
        let (ctl, mut rx) = watched();
        client.generate(&req, &ctl).await.unwrap();
        let waits: Vec<_> = std::iter::from_fn(|| rx.try_recv().ok())
            .filter_map(|p| match p {
                Progress::RetryScheduled { wait, .. } => Some(wait),
                _ => None,
            })
            .collect();
        assert_eq!(waits, [expected], "{header}");
    }
}

#[tokio::test]
async fn a_dropped_connection_is_retried_and_an_answer_that_breaks_off_is_not_sent_again() {
    let server = common::demo().await;
    let client = common::client(&server);
    let req = GenerateRequest::new("dall-e-2", "x");
    server.faults().push(FaultRule::once(Fault::Drop).on("generations"));
    let result = client.generate(&req, &RequestControl::default()).await;
    assert_eq!(result.map(|r| r.retries).map_err(|e| e.to_string()), Ok(1), "a reset before the answer");
    // The answer had begun: the server made (and billed) the image. Sending again pays twice.
    let sent = || server.requests().iter().filter(|r| r.path.contains("generations")).count();
    let before = sent();
    server.faults().push(FaultRule::once(Fault::Truncate).on("generations"));
    let err = client.generate(&req, &RequestControl::default()).await.unwrap_err();
    assert!(matches!(err, ApiError::AnswerBroken { status: 200, .. }), "{err:?}");
    assert!(err.to_string().contains("not re-sent"), "{err}");
    assert_eq!(sent(), before + 1, "sent once");
    server.faults().push(FaultRule::times(Fault::Drop, 3));
    let err = client.generate(&req, &RequestControl::default()).await.unwrap_err();
    assert!(matches!(err, ApiError::Connection(_)), "{err:?}");
}

#[tokio::test]
async fn non_json_and_empty_answers_are_readable_errors() {
    let server = common::demo().await;
    let client = common::client(&server);
    let req = GenerateRequest::new("dall-e-2", "x");
    let html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    server.faults().push(FaultRule::times(Fault::Status { status: 502, body: html.into(), headers: vec![] }, 3));
    let err = client.generate(&req, &RequestControl::default()).await.unwrap_err().to_string();
    assert_eq!(err, "HTTP 502 Bad Gateway: the body is not JSON; it starts with: \"502 Bad Gateway nginx\"");

    server.faults().push(FaultRule::once(Fault::Status { status: 200, body: "".into(), headers: vec![] }));
    let err = client.generate(&req, &RequestControl::default()).await.unwrap_err().to_string();
    assert_eq!(err, "the server's answer (HTTP 200) is not a usable Images response: the body is empty");

    server.faults().push(FaultRule::once(Fault::Status {
        status: 200,
        body: "{\"data\":[{\"b64".into(),
        headers: vec![],
    }));
    let err = client.generate(&req, &RequestControl::default()).await.unwrap_err().to_string();
    assert!(
        err.contains("it is not JSON") && err.contains("{\\\"data\\\":[{\\\"b64") || err.contains("{\"data\":[{\"b64"),
        "{err}"
    );

    server.faults().push(FaultRule::once(Fault::Status {
        status: 200,
        body: r#"{"created":1,"data":[{"b64_json":"***not base64***"}]}"#.into(),
        headers: vec![],
    }));
    // The answer still comes back, imageless: its usage says what was billed.
    let answer = client.generate(&req, &RequestControl::default()).await.unwrap();
    assert!(answer.images.is_empty() && answer.rejected.is_empty());
    assert!(
        answer.lost.len() == 1 && answer.lost[0].starts_with("image 1: b64_json is not valid base64"),
        "{:?}",
        answer.lost
    );
}

#[tokio::test]
async fn an_expired_url_result_is_reported_not_hidden() {
    let server = common::demo_with(DemoConfig { url_ttl: Duration::ZERO, ..DemoConfig::instant() }).await;
    let answer =
        common::client(&server).generate(&GenerateRequest::new("dall-e-2", "x"), &RequestControl::default()).await;
    let answer = answer.unwrap();
    let text = answer.lost.join("; ");
    assert!(answer.images.is_empty(), "nothing could be fetched");
    assert!(text.contains("image 1: download failed: HTTP 404") && text.contains("expire after 60 minutes"), "{text}");
}

#[tokio::test]
async fn a_slow_answer_times_out_without_a_silent_resend() {
    let server = common::demo().await;
    server.faults().push(FaultRule::once(Fault::Delay { ms: 5_000 }));
    let mut cfg = common::config_for(&server, Provider::Openai, Some("k"));
    cfg.request_timeout = Duration::from_millis(300);
    let (ctl, mut rx) = watched();
    let err = common::client_with(cfg).generate(&GenerateRequest::new("dall-e-2", "x"), &ctl).await.unwrap_err();
    assert!(matches!(err, ApiError::Timeout { .. }), "{err:?}");
    assert!(err.to_string().contains("may still have made (and billed) the images"));
    assert_eq!(attempts(&mut rx), 1);
}

#[tokio::test]
async fn cancelling_stops_a_running_request() {
    let server = common::demo_with(DemoConfig {
        latency_per_image: (Duration::from_secs(30), Duration::from_secs(30)),
        max_latency: Duration::from_secs(30),
        ..DemoConfig::instant()
    })
    .await;
    let client = common::client(&server);
    let ctl = RequestControl::default();
    let cancel = ctl.cancel.clone();
    let task = tokio::spawn(async move { client.generate(&GenerateRequest::new("dall-e-2", "x"), &ctl).await });
    assert!(common::wait_until(Duration::from_secs(10), || !server.requests().is_empty()).await, "request arrived");
    let started = Instant::now();
    cancel.cancel();
    let outcome = tokio::time::timeout(Duration::from_secs(5), task).await.expect("ends promptly").unwrap();
    assert_eq!(outcome.unwrap_err(), ApiError::Cancelled);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn nothing_is_sent_for_an_invalid_request() {
    let server = common::demo().await;
    let mut req = GenerateRequest::new("dall-e-3", "x");
    req.options.n = Some(2);
    let err = common::client(&server).generate(&req, &RequestControl::default()).await.unwrap_err();
    assert!(matches!(err, ApiError::Invalid(ref e) if e.len() == 1), "{err:?}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn the_demo_server_validates_with_the_same_table() {
    let server = common::demo().await;
    let raw = reqwest::Client::new()
        .post(format!("{}/images/generations", server.base_url()))
        .json(&serde_json::json!({"model": "dall-e-3", "prompt": "x", "n": 2, "quality": "low"}))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let body: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(body["error"]["param"], "n");
    assert_eq!(
        body["error"]["message"],
        "n: 2 is not allowed for dall-e-3 (allowed: 1 only); quality: \"low\" is not allowed for dall-e-3 (allowed: standard, hd)"
    );
    let missing = reqwest::Client::new()
        .post(format!("{}/images/generations", server.base_url()))
        .json(&serde_json::json!({"model": "dall-e-2"}))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 400);
}

#[test]
fn client_debug_output_has_no_key() {
    let cfg =
        imgtui::api::ClientConfig::new(Provider::Openai, "http://x/v1", imgtui::api::ApiKey::new("sk-very-secret"));
    let client = common::client_with(cfg);
    let text = format!("{client:?}");
    assert!(!text.contains("sk-very-secret") && text.contains("****"), "{text}");
}

/// The demo refuses what gpt-image-2.6 refuses of a GIF, sent past imgtui's own checks (a
/// script, an SDK): a streamed GIF, a GIF edit with a mask.
#[tokio::test]
async fn the_demo_refuses_a_streamed_gif_and_a_gif_edit_with_a_mask() {
    let server = common::demo().await;
    let http = reqwest::Client::new();
    let streamed = http
        .post(format!("{}/images/generations", server.base_url()))
        .json(&serde_json::json!({
            "model": "gpt-image-2.6-flare", "prompt": "a fox", "output_format": "gif", "stream": true, "partial_images": 1
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(streamed.status(), 400);
    assert!(streamed.text().await.unwrap().contains("not streamed"));
    let png =
        imgtui::demo::draw::encode(&imgtui::demo::draw::picture("in", 1, 1024, 1024, false), ImageFormat::Png, 100)
            .unwrap();
    let mask = imgtui::demo::draw::encode(&image::RgbaImage::new(1024, 1024), ImageFormat::Png, 100).unwrap();
    let form = reqwest::multipart::Form::new()
        .text("model", "gpt-image-2.6-flare")
        .text("prompt", "make it run")
        .text("output_format", "gif")
        .part("image", reqwest::multipart::Part::bytes(png).file_name("in.png").mime_str("image/png").unwrap())
        .part("mask", reqwest::multipart::Part::bytes(mask).file_name("mask.png").mime_str("image/png").unwrap());
    let masked = http.post(format!("{}/images/edits", server.base_url())).multipart(form).send().await.unwrap();
    assert_eq!(masked.status(), 400);
    assert!(masked.text().await.unwrap().contains("takes no mask"));
}

/// Markup goes as its own `markup` part; the demo repaints round the marks (as a model changes
/// what they point at) and keeps the rest.
#[tokio::test]
async fn markup_is_sent_as_its_own_part_and_the_demo_changes_the_picture_where_it_points() {
    let server = common::demo().await;
    let dir = tempfile::tempdir().unwrap();
    let photo = common::write_gradient_png(dir.path(), "photo.png", (1024, 1024));
    let mut plan = imgtui::mask::markup::MarkupPlan::new(1024, 1024);
    let ring = imgtui::mask::PixelRect { x0: 600, y0: 600, x1: 800, y1: 800 };
    let colour = imgtui::mask::markup::Colour::Red;
    plan.marks.push(imgtui::mask::markup::Mark {
        kind: imgtui::mask::markup::MarkKind::Ellipse(ring),
        colour,
        width: 8.0,
    });
    let marks = dir.path().join("marks.png");
    std::fs::write(&marks, plan.to_png().unwrap()).unwrap();
    let mut req = EditRequest::new("gpt-image-2.6-flare", "make the circled part blue", vec![photo.clone()]);
    req.markup = Some(marks);
    let result = common::client(&server).edit(&req, &RequestControl::default()).await.unwrap();
    let fields: Vec<_> = server.requests()[0].files.iter().map(|f| f.field.clone()).collect();
    assert_eq!(fields, ["image", "markup"]);
    let (input, output) = (image::open(&photo).unwrap().to_rgba8(), decode(&result.images[0].bytes));
    assert_ne!(output.get_pixel(700, 700), input.get_pixel(700, 700), "inside the ring: changed");
    assert_eq!(output.get_pixel(100, 100), input.get_pixel(100, 100), "far from the marks: kept");
}

//! Streamed answers (`stream: true`, `partial_images`) over real HTTP against the demo server:
//! the client hands each partial image on as it arrives and assembles the completed ones into
//! the usual result; the headless command and the app's runner write the partials to disk.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use imgtui::api::{EditRequest, GenerateRequest, ImageFormat, Progress, RequestControl};
use imgtui::store::{ImageRequest, JobStatus, SharedStore, Store};
use imgtui::tui::event::{AppEvent, Command, StoreAsk};
use imgtui::tui::runner::Runner;
use tokio::sync::mpsc;

fn streaming(req: &mut imgtui::api::ImageOptions, partials: u32) {
    req.stream = Some(true);
    req.partial_images = Some(partials);
}

fn partials(rx: &mut mpsc::UnboundedReceiver<Progress>) -> Vec<(u32, Arc<Vec<u8>>)> {
    let mut found = Vec::new();
    while let Ok(event) = rx.try_recv() {
        if let Progress::Partial { index, image } = event {
            found.push((index, image));
        }
    }
    found
}

#[tokio::test]
async fn a_streamed_generation_sends_its_partials_in_order_then_the_image_with_usage() {
    let server = common::demo().await;
    let mut req = GenerateRequest::new("gpt-image-1", "a streamed fox");
    req.options.size = Some("1024x1024".into());
    req.options.quality = Some("low".into());
    streaming(&mut req.options, 3);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let ctl = RequestControl { progress: Some(tx), ..RequestControl::default() };
    let result = common::client(&server).generate(&req, &ctl).await.unwrap();

    let sent = &server.requests()[0];
    let json = sent.json.as_ref().unwrap();
    assert_eq!((json["stream"].as_bool(), json["partial_images"].as_u64()), (Some(true), Some(3)));
    let partials = partials(&mut rx);
    assert_eq!(partials.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 1, 2], "each partial, in order");
    let full = image::load_from_memory(&result.images[0].bytes).unwrap().to_rgba8();
    for (_, bytes) in &partials {
        let partial = image::load_from_memory(bytes).unwrap().to_rgba8();
        assert_eq!(partial.dimensions(), (1024, 1024));
        assert_ne!(partial, full, "a partial is a coarser picture than the final one");
    }
    assert_eq!(result.images.len(), 1);
    assert_eq!(result.images[0].format, Some(ImageFormat::Png));
    assert_eq!(result.response.size.as_deref(), Some("1024x1024"));
    assert!(result.response.usage.as_ref().is_some_and(|u| u.total_tokens > 0), "usage from the completed event");
}

#[tokio::test]
async fn a_streamed_edit_sends_image_edit_events() {
    let server = common::demo().await;
    let dir = tempfile::tempdir().unwrap();
    let input = common::write_gradient_png(dir.path(), "in.png", (256, 256));
    let mut req = EditRequest::new("gpt-image-1", "make it snow", vec![input]);
    streaming(&mut req.options, 1);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let ctl = RequestControl { progress: Some(tx), ..RequestControl::default() };
    let result = common::client(&server).edit(&req, &ctl).await.unwrap();
    let fields = &server.requests()[0].fields;
    assert!(fields.contains(&("stream".into(), "true".into())), "{fields:?}");
    assert_eq!(partials(&mut rx).len(), 1);
    assert_eq!(image::load_from_memory(&result.images[0].bytes).unwrap().to_rgba8().dimensions(), (256, 256));
}

#[tokio::test]
async fn the_headless_command_writes_partials_beside_the_images() {
    let data = tempfile::tempdir().unwrap();
    let out = data.path().join("out");
    let output = common::imgtui_tokio()
        .env_remove("TTAPI_API_KEY")
        .env_remove("OPENAI_API_KEY")
        .env("XDG_CONFIG_HOME", data.path().join("config"))
        .args(["--demo-latency-ms", "0", "--data-dir"])
        .arg(data.path())
        .args([
            "generate",
            "a fox in parts",
            "--demo",
            "--size",
            "1024x1024",
            "--partial-images",
            "2",
            "--json",
            "--out",
        ])
        .arg(&out)
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let mut written: Vec<String> = std::fs::read_dir(out.join("partials"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, ["job-1-partial-1.png", "job-1-partial-2.png"]);
    assert!(stderr.contains("partial image 2 → "), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let listed: Vec<&str> = json["partials"].as_array().unwrap().iter().filter_map(|p| p.as_str()).collect();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|p| std::path::Path::new(p).exists()), "{listed:?}");
    let images = std::fs::read_dir(&out).unwrap().filter(|e| e.as_ref().unwrap().path().is_file()).count();
    assert_eq!(images, 1, "the final image beside the partials folder");
    let shown = common::imgtui_tokio()
        .env("XDG_CONFIG_HOME", data.path().join("config"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["history", "show", "1"])
        .output()
        .await
        .unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert_eq!(shown.lines().filter(|l| l.starts_with("partial ")).count(), 2, "history show lists them: {shown}");
    let shown = common::imgtui_tokio()
        .env("XDG_CONFIG_HOME", data.path().join("config"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["history", "show", "1", "--json"])
        .output()
        .await
        .unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(shown["partials"].as_array().map(Vec::len), Some(2), "{shown}");
    assert_eq!(shown["id"], 1);
}

#[tokio::test]
async fn the_apps_runner_writes_each_partial_and_says_where() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let store = SharedStore::new(Store::open(data.path()).unwrap());
    let (tx, mut rx) = mpsc::unbounded_channel();
    let out = data.path().join("out");
    let runner = Runner::new(Arc::new(common::client(&server)), store, imgtui::jobs::Folders::new(out.clone()), 1, tx);
    let mut req = GenerateRequest::new("gpt-image-1", "a fox for the app");
    req.options.size = Some("1024x1024".into());
    streaming(&mut req.options, 2);
    runner.execute(Command::Submit { requests: vec![ImageRequest::Generate(req)], parent: None, budget: None });
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let event = tokio::time::timeout_at(deadline, rx.recv()).await.expect("events in time").unwrap();
        match event {
            AppEvent::PartialImage { index, path, .. } => {
                assert!(path.starts_with(out.join("partials")), "{}", path.display());
                assert!(image::open(&path).is_ok(), "a readable partial at {}", path.display());
                seen.push(index);
            }
            AppEvent::JobFinished { end, .. } => {
                assert_eq!(end.status(), JobStatus::Done, "{end:?}");
                break;
            }
            _ => {}
        }
    }
    assert_eq!(seen, [0, 1]);

    // Deleting the job deletes its image and its partials.
    runner.execute(Command::Store(StoreAsk::DeleteJob(1)));
    let deleted = loop {
        let event = tokio::time::timeout_at(deadline, rx.recv()).await.expect("events in time").unwrap();
        if let AppEvent::Deleted { problems, .. } = event {
            break problems;
        }
    };
    assert!(deleted.is_empty(), "{deleted:?}");
    let left: Vec<_> = walk(&out);
    assert!(left.is_empty(), "nothing of job 1 is left: {left:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .flat_map(|e| if e.path().is_dir() { walk(&e.path()) } else { vec![e.path()] })
        .collect()
}

/// A server that answers every request with a stream holding one partial image and no
/// completed event, then ends the body cleanly.
async fn stream_without_completed_event() -> std::net::SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let partial = {
        let mut png = Vec::new();
        image::RgbaImage::from_pixel(8, 8, image::Rgba([9, 9, 9, 255]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(png)
    };
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let event = format!(
                "event: image_generation.partial_image\ndata: {{\"type\":\"image_generation.partial_image\",\
                 \"b64_json\":\"{partial}\",\"partial_image_index\":0}}\n\n"
            );
            tokio::spawn(async move {
                let mut request = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut request).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    event.len()
                );
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(event.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    addr
}

#[tokio::test]
async fn a_stream_that_ends_without_its_completed_event_fails_the_job_and_keeps_the_partial() {
    let addr = stream_without_completed_event().await;
    let data = tempfile::tempdir().unwrap();
    let out = data.path().join("out");
    let output = common::imgtui_at(data.path(), "sk-test", &format!("http://{addr}/v1"))
        .args(["--retries", "0"])
        .args(["generate", "a fox", "-m", "gpt-image-2", "--partial-images", "1", "--out"])
        .arg(&out)
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the stream ended before any image was completed"), "{stderr}");
    let partials: Vec<_> = std::fs::read_dir(out.join("partials")).unwrap().flatten().collect();
    assert_eq!(partials.len(), 1, "the partial is kept");
    let finals = std::fs::read_dir(&out).unwrap().flatten().filter(|e| e.path().is_file()).count();
    assert_eq!(finals, 0, "a partial is never saved as the final image");
    let job = common::job_json(data.path(), 1).await;
    assert_eq!(job["status"], "failed", "{job}");
}

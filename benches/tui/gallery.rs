//! `V` on a history of 24 finished jobs, each with its own 1536x1024 PNG, in kitty: key to the
//! last of a page's 12 thumbnails on screen, cold (full images decoded, thumbnails written to
//! the cache) and again in a new app with the cache warm; the bytes one page sends; and the
//! bytes of going back to a page seen before (kitty still holds its thumbnails).

use std::path::Path;
use std::time::{Duration, Instant};

use imgtui::api::GenerateRequest;
use imgtui::store::{DoneOutcome, ImageRecord, ImageRequest, Store};

use crate::report;
use crate::session::{Session, app, find, screen_contains, terminal_answers};

const JOBS: i64 = 24;
const PER_PAGE: usize = 12;

pub fn run() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    history(data.path());
    let (cold, bytes) = open_gallery(data.path(), false);
    report(
        "gallery page of 12 thumbnails, cold (decode + cache)",
        format!("{:.0} ms", ms(cold)),
        "< 400 ms",
        cold < Duration::from_millis(400),
    );
    let (warm, _) = open_gallery(data.path(), true);
    report(
        "gallery page of 12 thumbnails, from the cache",
        format!("{:.0} ms", ms(warm)),
        "< 60 ms",
        warm < Duration::from_millis(60),
    );
    println!("gallery page: {} KB for 12 thumbnails", bytes / 1024);
}

/// A new app: Tab Tab V, timed to the twelfth kitty image on screen; with the bytes sent. Then,
/// if `page_back`, the next page and back to the first.
fn open_gallery(data: &Path, page_back: bool) -> (Duration, usize) {
    let app = Session::spawn(app(data, &["--graphics", "kitty"]), Some(terminal_answers()));
    app.wait("the first frame", Duration::from_secs(30), |out| screen_contains(&out.bytes, "History (24)"));
    app.send(b"\t\t");
    app.wait("the history focused", Duration::from_secs(10), |out| screen_contains(&out.bytes, "load into form"));
    std::thread::sleep(Duration::from_millis(500));
    let mark = app.len();
    let sent = Instant::now();
    app.send(b"V");
    let placed = |out: &crate::session::Output| twelve_placed(out, mark);
    app.wait("twelve thumbnails", Duration::from_secs(30), |out| placed(out).is_some());
    let took = placed(&app.output()).map(|t| t - sent).unwrap_or_default();
    let bytes = app.len() - mark;
    if page_back {
        back_to_a_seen_page(&app);
    }
    let mut child = app.child;
    let _ = child.kill();
    let _ = child.wait();
    (took, bytes)
}

/// When the twelfth thumbnail placed after `mark` reached the screen.
fn twelve_placed(out: &crate::session::Output, mark: usize) -> Option<Instant> {
    let mut at = mark;
    let mut count = 0;
    while let Some(found) = find(&out.bytes, b"\x1b_Ga=p,", at) {
        count += 1;
        at = found + 1;
    }
    (count >= PER_PAGE).then(|| find(&out.bytes, b"\x1b\\\x1b8", at).and_then(|end| out.arrival(end))).flatten()
}

/// PgDn to the second page, then PgUp: the first page's thumbnails are placed again by id.
fn back_to_a_seen_page(app: &Session) {
    let mark = app.len();
    app.send(b"\x1b[6~");
    app.wait("the second page", Duration::from_secs(30), |out| twelve_placed(out, mark).is_some());
    std::thread::sleep(Duration::from_millis(300));
    let mark = app.len();
    app.send(b"\x1b[5~");
    app.wait("the first page again", Duration::from_secs(30), |out| twelve_placed(out, mark).is_some());
    std::thread::sleep(Duration::from_millis(300));
    let out = app.output();
    let image_data = find(&out.bytes, b"\x1b_Ga=t", mark).is_some();
    let bytes = out.bytes.len() - mark;
    report(
        "gallery: back to a page seen before (kitty), image data sent",
        format!("{} ({bytes} bytes in all)", if image_data { "some" } else { "none" }),
        "none",
        !image_data,
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn history(dir: &Path) {
    let mut store = Store::open(dir).unwrap_or_else(|e| panic!("{e}"));
    for i in 0..JOBS {
        let picture = imgtui::demo::draw::picture(&format!("fox {i}"), i as u64, 1536, 1024, false);
        let png = imgtui::demo::draw::encode(&picture, imgtui::api::ImageFormat::Png, 100).unwrap_or_default();
        let path = dir.join(format!("job-{i}.png"));
        let _ = std::fs::write(&path, &png);
        let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-1", format!("fox {i}")));
        let id = store.insert_job(&request, "demo", "http://127.0.0.1/v1", None, &[], i).unwrap_or_default();
        let image = ImageRecord {
            index: 0,
            path,
            format: Some(imgtui::api::ImageFormat::Png),
            width: Some(1536),
            height: Some(1024),
            bytes: png.len() as u64,
            sha256: imgtui::store::images_sha256(&png),
        };
        let _ = store.finish_done(id, &DoneOutcome { images: vec![image], ..DoneOutcome::default() }, i + 1);
    }
}

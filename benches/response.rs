//! A large answer: 10 images as base64 in one ~30 MB JSON body (what 10 photographic
//! 1536x1024 PNGs come to), read in 64 KB chunks as from the network and decoded as the client
//! does, image by image while the chunks arrive. Reports the time and the peak memory growth
//! against the payload (target: under 3x).

use std::time::Instant;

use std::io::Read;

use base64::Engine as _;
use imgtui::api::body::BodySplitter;

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| -> f64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    field("VmHWM:") / 1024.0
}

/// Incompressible bytes, like a photograph's PNG.
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut image = vec![0u8; len];
    for byte in &mut image {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        *byte = state as u8;
    }
    image
}

fn body(images: usize, bytes_each: usize) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(noise(bytes_each));
    let data: Vec<String> = (0..images).map(|_| format!("{{\"b64_json\":\"{b64}\"}}")).collect();
    format!(
        "{{\"created\":1,\"data\":[{}],\"usage\":{{\"input_tokens\":1,\"output_tokens\":2,\"total_tokens\":3}}}}",
        data.join(",")
    )
    .into_bytes()
}

/// Reads the body from `path`, parses and decodes it, and reports: run in a fresh process so
/// the memory high-water mark starts clean.
fn measure(path: &str) {
    let baseline = peak_rss_mb();
    let started = Instant::now();
    let payload_mb = std::fs::metadata(path).map_or(0, |m| m.len()) as f64 / (1024.0 * 1024.0);
    let mut file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{e}"));
    let mut splitter = BodySplitter::default();
    let mut chunk = vec![0u8; 64 * 1024];
    while let Ok(n) = file.read(&mut chunk) {
        if n == 0 {
            break;
        }
        splitter.feed(&chunk[..n]);
    }
    let answer = match splitter.finish().decode(200) {
        Ok(answer) => answer,
        Err(e) => panic!("{e}"),
    };
    let decoded: Vec<&Vec<u8>> = answer.images.iter().filter_map(|i| i.as_ref()?.as_ref().ok()).collect();
    assert!(decoded.iter().all(|image| image.len() == 2_250_000), "every image decoded whole");
    let elapsed = started.elapsed();
    let peak = peak_rss_mb() - baseline;
    let ratio = peak / payload_mb;
    println!(
        "read + parse + decode of a {payload_mb:.1} MB answer with {} images: {:.0} ms",
        decoded.len(),
        elapsed.as_secs_f64() * 1000.0
    );
    println!(
        "peak memory for it: {peak:.1} MB = {ratio:.2}x the payload (target < 3x) {}",
        if ratio < 3.0 { "PASS" } else { "FAIL" }
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--measure") {
        return measure(args.get(at + 1).map_or("", String::as_str));
    }
    let path = std::env::temp_dir().join(format!("imgtui-bench-response-{}.json", std::process::id()));
    let _ = std::fs::write(&path, body(10, 2_250_000));
    let exe = std::env::current_exe().unwrap_or_default();
    match std::process::Command::new(exe).arg("--measure").arg(&path).status() {
        Ok(status) if status.success() => {}
        other => eprintln!("the measuring process failed: {other:?}"),
    }
    let _ = std::fs::remove_file(path);
    streamed();
}

/// A streamed answer: three partial images and the finished one, 2.25 MB each, as server-sent
/// events in 64 KB chunks; each event's `data:` line spans some 50 chunks.
fn streamed() {
    use imgtui::api::events::{EventReader, StreamedAnswer};
    let image = base64::engine::general_purpose::STANDARD.encode(noise(2_250_000));
    let mut stream = String::new();
    for index in 0..3 {
        let data = format!(
            "{{\"type\":\"image_generation.partial_image\",\"b64_json\":\"{image}\",\"partial_image_index\":{index}}}"
        );
        stream.push_str(&format!("event: image_generation.partial_image\ndata: {data}\n\n"));
    }
    let done = format!(
        "{{\"type\":\"image_generation.completed\",\"b64_json\":\"{image}\",\"usage\":{{\"total_tokens\":3}}}}"
    );
    stream.push_str(&format!("event: image_generation.completed\ndata: {done}\n\n"));
    let started = Instant::now();
    let (mut reader, mut answer, mut partials) = (EventReader::default(), StreamedAnswer::default(), 0);
    for chunk in stream.as_bytes().chunks(64 * 1024) {
        for data in reader.feed(chunk) {
            partials += usize::from(matches!(answer.take(&data), Ok(Some(_))));
        }
    }
    let images = answer.finish().map(|body| body.images.len()).unwrap_or(0);
    println!(
        "streamed answer of {:.1} MB ({partials} partials + {images} image) read and decoded: {:.0} ms",
        stream.len() as f64 / (1024.0 * 1024.0),
        started.elapsed().as_secs_f64() * 1000.0
    );
}

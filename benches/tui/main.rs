//! The release binary in a pty, measured as a user on SSH would feel it: start to first frame
//! with 10,000 jobs in the history, CPU and bytes while idle with an image on screen, bytes per
//! typed character, and memory. One line per measure with its target and PASS/FAIL.
//! Run: `cargo bench --bench tui`.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use imgtui::api::GenerateRequest;
use imgtui::store::{DoneOutcome, ImageRecord, ImageRequest, Store};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const JOBS: i64 = 10_000;

fn history(dir: &Path) {
    let mut store = Store::open(dir).unwrap_or_else(|e| panic!("{e}"));
    let picture = imgtui::demo::draw::picture("a red fox", 7, 1536, 1024, false);
    let png = imgtui::demo::draw::encode(&picture, imgtui::api::ImageFormat::Png, 100).unwrap_or_default();
    let image_path = dir.join("newest.png");
    let _ = std::fs::write(&image_path, &png);
    for i in 0..JOBS {
        let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-1", format!("job {i}: a fox at dusk")));
        let id = store.insert_job(&request, "demo", "http://127.0.0.1/v1", None, &[], i).unwrap_or_default();
        let images = if i == JOBS - 1 {
            vec![ImageRecord {
                index: 0,
                path: image_path.clone(),
                format: "png".into(),
                width: Some(1536),
                height: Some(1024),
                bytes: png.len() as u64,
                sha256: String::new(),
            }]
        } else {
            Vec::new()
        };
        let _ = store.finish_done(id, &DoneOutcome { images, ..DoneOutcome::default() }, i + 1);
    }
}

/// CPU time (user + system) of `pid`, from /proc.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks: u64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0)
        + fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0);
    Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
}

fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn report(measure: &str, value: String, target: &str, pass: bool) {
    println!("{measure}: {value} (target {target}) {}", if pass { "PASS" } else { "FAIL" });
}

fn main() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    history(data.path());
    let pair = native_pty_system()
        .openpty(PtySize { rows: 40, cols: 120, pixel_width: 1200, pixel_height: 800 })
        .unwrap_or_else(|e| panic!("{e}"));
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_imgtui"));
    cmd.args(["--graphics", "kitty", "--data-dir"]);
    cmd.arg(data.path());
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_CONFIG_HOME", data.path().join("config"));
    cmd.env_remove("OPENAI_API_KEY");
    cmd.env_remove("TTAPI_API_KEY");
    let started = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).unwrap_or_else(|e| panic!("{e}"));
    let pid = child.process_id().unwrap_or(0);
    let mut reader = pair.master.try_clone_reader().unwrap_or_else(|e| panic!("{e}"));
    let mut writer = pair.master.take_writer().unwrap_or_else(|e| panic!("{e}"));
    let output: Arc<Mutex<(Vec<u8>, Option<Instant>)>> = Arc::default();
    let sink = output.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            let mut out = sink.lock().unwrap_or_else(|e| e.into_inner());
            out.0.extend_from_slice(&buf[..n]);
            if out.1.is_none() && String::from_utf8_lossy(&out.0).contains("Prompt") {
                out.1 = Some(Instant::now());
            }
        }
    });
    let wait = |what: &str, check: &dyn Fn(&[u8]) -> bool| {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if check(&output.lock().unwrap_or_else(|e| e.into_inner()).0) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(5));
        }
    };
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    wait("the first frame", &|out| find(out, b"Prompt"));
    let first_frame = output.lock().unwrap_or_else(|e| e.into_inner()).1.map(|t| t - started).unwrap_or_default();
    report(
        "start to first frame, 10,000 jobs",
        format!("{:.1} ms", first_frame.as_secs_f64() * 1000.0),
        "< 50 ms",
        first_frame < Duration::from_millis(50),
    );
    wait("the preview", &|out| find(out, b"\x1b_Gf=100,a=T"));
    let to_preview = started.elapsed();
    println!("start to preview on screen (1536x1024 PNG, kitty): {:.0} ms", to_preview.as_secs_f64() * 1000.0);
    // Let the last frame after the preview finish, then measure 10 s of idling.
    std::thread::sleep(Duration::from_millis(500));
    let (bytes_before, cpu_before) = (output.lock().unwrap_or_else(|e| e.into_inner()).0.len(), cpu_time(pid));
    std::thread::sleep(Duration::from_secs(10));
    let idle_bytes = output.lock().unwrap_or_else(|e| e.into_inner()).0.len() - bytes_before;
    let idle_cpu = cpu_time(pid).saturating_sub(cpu_before);
    report("idle 10 s with an image: bytes to the terminal", idle_bytes.to_string(), "0", idle_bytes == 0);
    report(
        "idle 10 s with an image: CPU",
        format!("{} ms (10 ms resolution)", idle_cpu.as_millis()),
        "< 5 ms",
        idle_cpu < Duration::from_millis(5),
    );
    let before = output.lock().unwrap_or_else(|e| e.into_inner()).0.len();
    let _ = writer.write_all(b"x");
    let _ = writer.flush();
    let on_screen = |out: &[u8], text: &str| {
        let mut parser = vt100::Parser::new(40, 120, 0);
        parser.process(out);
        parser.screen().contents().contains(text)
    };
    wait("the keystroke's echo", &|out| on_screen(out, "1/32000"));
    std::thread::sleep(Duration::from_millis(200));
    let per_key = output.lock().unwrap_or_else(|e| e.into_inner()).0.len() - before;
    report("one prompt character with an image on screen", format!("{per_key} bytes"), "< 200 bytes", per_key < 200);
    let rss = rss_mb(pid);
    report("RSS with 10,000 jobs in the history", format!("{rss:.1} MB"), "< 80 MB", rss < 80.0);
    let _ = child.kill();
    keys_while_a_large_answer_decodes();
}

/// A 28.6 MB answer (10 base64 images) served by `imgtui serve-demo`; while the app receives
/// and decodes it, one key every 10 ms, each timed from send to its echo on screen.
fn keys_while_a_large_answer_decodes() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_imgtui"))
        .args(["--demo-latency-ms", "0", "--data-dir"])
        .arg(data.path().join("server"))
        .args(["serve-demo", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut line = String::new();
    if let Some(out) = server.stdout.take() {
        let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(out), &mut line);
    }
    let base_url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap_or_default().to_string();
    let host = base_url.trim_start_matches("http://").split('/').next().unwrap_or_default().to_string();
    let body = large_answer();
    let rule =
        serde_json::json!([{ "kind": "status", "status": 200, "body": body, "path": "generations" }]).to_string();
    let mut stream = std::net::TcpStream::connect(&host).unwrap_or_else(|e| panic!("{e}"));
    let request = format!(
        "POST /_demo/faults HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        rule.len()
    );
    let _ = stream.write_all(request.as_bytes());
    let _ = stream.write_all(rule.as_bytes());
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);

    let pair = native_pty_system()
        .openpty(PtySize { rows: 40, cols: 120, pixel_width: 1200, pixel_height: 800 })
        .unwrap_or_else(|e| panic!("{e}"));
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_imgtui"));
    cmd.args(["--graphics", "blocks", "--base-url", &base_url, "--data-dir"]);
    cmd.arg(data.path());
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_CONFIG_HOME", data.path().join("config"));
    cmd.env("OPENAI_API_KEY", "sk-bench");
    cmd.env_remove("TTAPI_API_KEY");
    let mut child = pair.slave.spawn_command(cmd).unwrap_or_else(|e| panic!("{e}"));
    let mut reader = pair.master.try_clone_reader().unwrap_or_else(|e| panic!("{e}"));
    let mut writer = pair.master.take_writer().unwrap_or_else(|e| panic!("{e}"));
    let screen: Arc<Mutex<vt100::Parser>> = Arc::new(Mutex::new(vt100::Parser::new(40, 120, 0)));
    let sink = screen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap_or_else(|e| e.into_inner()).process(&buf[..n]);
        }
    });
    let shows = |text: &str| screen.lock().unwrap_or_else(|e| e.into_inner()).screen().contents().contains(text);
    let wait = |what: &str, check: &dyn Fn() -> bool| {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !check() {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(1));
        }
    };
    wait("the app", &|| shows("Prompt"));
    let _ = writer.write_all(b"big\x13"); // Ctrl-S
    let _ = writer.flush();
    wait("the job to start", &|| shows("running"));
    let mut latencies = Vec::new();
    let mut typed = String::from("big");
    while !shows("✓ #1") && !shows("✗ #1") && latencies.len() < 2000 {
        let c = (b'a' + (latencies.len() % 26) as u8) as char;
        typed.push(c);
        let sent = Instant::now();
        let _ = writer.write_all(&[c as u8]);
        let _ = writer.flush();
        let tail: String = typed.chars().rev().take(12).collect::<Vec<_>>().into_iter().rev().collect();
        wait("a keystroke's echo", &|| shows(&tail));
        latencies.push(sent.elapsed());
        std::thread::sleep(Duration::from_millis(10));
    }
    latencies.sort();
    let pick = |q: f64| latencies.get(((latencies.len() as f64 - 1.0) * q) as usize).copied().unwrap_or_default();
    let (p50, p99) = (pick(0.5), pick(0.99));
    println!(
        "keystroke to echo while a 28.6 MB answer is received and decoded ({} keys): p50 {:.1} ms, p99 {:.1} ms",
        latencies.len(),
        p50.as_secs_f64() * 1000.0,
        p99.as_secs_f64() * 1000.0
    );
    report(
        "frame time p99 while decoding (keystroke to echo)",
        format!("{:.1} ms", p99.as_secs_f64() * 1000.0),
        "< 16 ms",
        p99 < Duration::from_millis(16),
    );
    let _ = child.kill();
    let _ = server.kill();
    let _ = server.wait();
}

/// Ten incompressible 2.25 MB "images" as base64: what ten photographic 1536x1024 PNGs weigh.
fn large_answer() -> String {
    use base64::Engine as _;
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let image: Vec<u8> = (0..2_250_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&image);
    let data: Vec<String> = (0..10).map(|_| format!("{{\"b64_json\":\"{b64}\"}}")).collect();
    format!("{{\"created\":1,\"data\":[{}]}}", data.join(","))
}

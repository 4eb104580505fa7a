//! A 28.6 MB answer (10 base64 images) served by `imgtui serve-demo`; while the app receives
//! and decodes it, one key every 10 ms, each timed from send to its echo on screen.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use crate::report;
use crate::session::{Session, app, screen_contains, terminal_answers};

pub fn run() {
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

    let mut cmd = app(data.path(), &["--graphics", "blocks", "--base-url", &base_url]);
    cmd.env("OPENAI_API_KEY", "sk-bench");
    let app = Session::spawn(cmd, Some(terminal_answers()));
    let long = Duration::from_secs(60);
    app.wait("the app", long, |out| screen_contains(&out.bytes, "Prompt"));
    app.send(b"big\x13"); // Ctrl-S
    app.wait("the job to start", long, |out| screen_contains(&out.bytes, "running"));
    let mut latencies = Vec::new();
    let mut typed = String::from("big");
    while !app.shows("✓ #1") && !app.shows("✗ #1") && latencies.len() < 2000 {
        let c = (b'a' + (latencies.len() % 26) as u8) as char;
        typed.push(c);
        let sent = Instant::now();
        app.send(&[c as u8]);
        let tail: String = typed.chars().rev().take(12).collect::<Vec<_>>().into_iter().rev().collect();
        app.wait("a keystroke's echo", long, |out| screen_contains(&out.bytes, &tail));
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
    let mut child = app.child;
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

//! A hostile world (issue 13): headers that would overflow, bodies that never end, FIFOs,
//! damaged databases, the demo's truncated bodies. Each case failed before its fix.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use imgtui::api::{ApiError, GenerateRequest, RequestControl};
use imgtui::demo::faults::{Fault, FaultRule};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn a_retry_after_too_large_for_a_duration_falls_back_to_backoff() {
    let server = common::demo().await;
    for (name, value) in
        [("retry-after", "1e30"), ("retry-after", "99999999999999999999"), ("retry-after-ms", "1.8e22")]
    {
        let fault = Fault::Status { status: 429, body: "{}".into(), headers: vec![(name.into(), value.into())] };
        server.faults().push(FaultRule::once(fault).on("generations"));
        let started = Instant::now();
        let result = common::client(&server)
            .generate(&GenerateRequest::new("gpt-image-2", "a fox"), &RequestControl::default())
            .await;
        assert!(result.is_ok(), "{name}: {value}: {result:?}");
        assert_eq!(result.unwrap().retries, 1);
        assert!(started.elapsed() < Duration::from_secs(5), "backoff, not the server's wait");
    }
}

#[tokio::test]
async fn the_truncate_fault_sends_the_status_the_headers_and_half_the_body() {
    let server = common::demo().await;
    server.faults().push(FaultRule::once(Fault::Truncate).on("generations"));
    let mut socket = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    let body = r#"{"prompt":"a fox","model":"gpt-image-2"}"#;
    let request = format!(
        "POST /v1/images/generations HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), socket.read_to_end(&mut answer)).await;
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 200"), "{}", &text[..text.len().min(200)]);
    let (head, received) = text.split_once("\r\n\r\n").unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length: ").map(|v| v.trim().parse().unwrap()))
        .unwrap();
    assert!(!received.is_empty() && received.len() < length, "{} of {length} bytes", received.len());
}

/// A server whose every answer is `status` with a body that never ends.
async fn endless(status: u16, start: &'static [u8], filler: u8) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut request).await;
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
                );
                let _ = socket.write_all(head.as_bytes()).await;
                let chunk = |bytes: &[u8]| {
                    let mut c = format!("{:x}\r\n", bytes.len()).into_bytes();
                    c.extend_from_slice(bytes);
                    c.extend_from_slice(b"\r\n");
                    c
                };
                let _ = socket.write_all(&chunk(start)).await;
                let filler = chunk(&[filler; 256 * 1024]);
                // Bounded, so a failing test still ends: 1 GB at most.
                for _ in 0..4096 {
                    if socket.write_all(&filler).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

fn client_for(addr: std::net::SocketAddr) -> imgtui::api::Client {
    let mut cfg = imgtui::api::ClientConfig::new(imgtui::api::Provider::Openai, format!("http://{addr}/v1"), None);
    cfg.retry.max_retries = 0;
    common::client_with(cfg)
}

#[tokio::test]
async fn an_endless_error_body_is_read_to_its_first_64_kb() {
    let addr = endless(500, br#"{"error":{"message":"down"#, b'x').await;
    let started = Instant::now();
    let (client, request, ctl) =
        (client_for(addr), GenerateRequest::new("gpt-image-2", "a fox"), RequestControl::default());
    let err = client.generate(&request, &ctl);
    let err = tokio::time::timeout(Duration::from_secs(20), err).await.expect("it ends").unwrap_err();
    assert!(matches!(err, ApiError::Http { status: 500, .. }), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[tokio::test]
async fn an_endless_image_is_cut_at_what_the_request_can_take() {
    let addr = endless(200, br#"{"created":1,"data":[{"b64_json":""#, b'A').await;
    let (client, request, ctl) =
        (client_for(addr), GenerateRequest::new("gpt-image-2", "a fox"), RequestControl::default());
    let err = client.generate(&request, &ctl);
    let err = tokio::time::timeout(Duration::from_secs(60), err).await.expect("it ends").unwrap_err();
    assert!(err.to_string().contains("MB"), "{err}");
}

fn imgtui(data: &std::path::Path) -> std::process::Command {
    let mut cmd = common::imgtui_std();
    cmd.env_remove("TTAPI_API_KEY")
        .env_remove("OPENAI_API_KEY")
        .env("XDG_CONFIG_HOME", data.join("config"))
        .arg("--data-dir")
        .arg(data)
        .args(["--demo", "--demo-latency-ms", "0"]);
    cmd
}

/// Runs `cmd`, killing it after `deadline`; returns its exit code (None: it hung) and stderr.
fn run_with_deadline(mut cmd: std::process::Command, deadline: Duration) -> (Option<i32>, String) {
    let mut child = cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let end = Instant::now() + deadline;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
            return (status.code(), stderr);
        }
        if Instant::now() > end {
            let _ = child.kill();
            let _ = child.wait();
            return (None, String::new());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn fifos_as_image_mask_or_config_are_refused_not_waited_on() {
    let data = tempfile::tempdir().unwrap();
    let fifo = data.path().join("pipe");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let png = common::write_png(data.path(), "a.png", (64, 64), [1, 2, 3, 255], None);
    let cases: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["edit".into(), "hat".into(), "--image".into(), fifo.clone().into()],
        vec!["edit".into(), "hat".into(), "--image".into(), png.into(), "--mask".into(), fifo.clone().into()],
        vec!["--config".into(), fifo.clone().into(), "generate".into(), "fox".into()],
    ];
    for args in cases {
        let mut cmd = imgtui(data.path());
        cmd.args(&args);
        let (code, stderr) = run_with_deadline(cmd, Duration::from_secs(20));
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("not a regular file"), "{args:?}: {stderr}");
    }
}

/// A FIFO where the log goes is no log: the command runs instead of waiting for a reader.
#[test]
fn a_fifo_where_the_log_goes_is_not_waited_on() {
    let data = tempfile::tempdir().unwrap();
    let state = data.path().join("state");
    std::fs::create_dir_all(state.join("imgtui")).unwrap();
    let log = state.join("imgtui/imgtui.log");
    assert!(std::process::Command::new("mkfifo").arg(&log).status().unwrap().success());
    for args in [&["generate", "a fox"][..], &["history"][..]] {
        let mut cmd = imgtui(data.path());
        cmd.env("XDG_STATE_HOME", &state).args(args);
        let (code, stderr) = run_with_deadline(cmd, Duration::from_secs(20));
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
    }
}

#[test]
fn an_endless_prompt_or_config_on_standard_input_is_bounded() {
    let data = tempfile::tempdir().unwrap();
    let mut cmd = imgtui(data.path());
    cmd.args(["generate", "-"]).stdin(std::fs::File::open("/dev/zero").unwrap());
    let (code, stderr) = run_with_deadline(cmd, Duration::from_secs(20));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("32001 characters is over the 32000-character limit"), "{stderr}");
    let mut cmd = imgtui(data.path());
    cmd.args(["--config", "/dev/zero", "generate", "fox"]);
    let (code, stderr) = run_with_deadline(cmd, Duration::from_secs(20));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("/dev/zero") && stderr.contains("not a regular file"), "{stderr}");
}

/// A damaged history moved aside still counts: new job ids go on after its highest, and what
/// it says was spent this month stays against the budgets.
#[test]
fn a_damaged_history_keeps_its_job_ids_and_its_spend() {
    let data = tempfile::tempdir().unwrap();
    {
        let mut store = imgtui::store::Store::open(data.path()).unwrap();
        let request = imgtui::store::ImageRequest::Generate(imgtui::api::GenerateRequest::new("gpt-image-2", "a fox"));
        for _ in 0..3 {
            store.insert_job(&request, "demo", "u", None, &[], imgtui::store::now_ms()).unwrap();
        }
        let spent = store.spent().unwrap();
        assert!(spent.today == 0.0, "queued jobs without an estimate: {spent:?}");
    }
    let db = data.path().join("history.sqlite3");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("UPDATE jobs SET status = 'done', cost_usd = 0.25", []).unwrap();
    // Damage a page the reads below do not need (the word index's): the file no longer
    // passes its check, and its jobs can still be read.
    let root: i64 =
        conn.query_row("SELECT rootpage FROM sqlite_master WHERE name = 'jobs_words_data'", [], |r| r.get(0)).unwrap();
    let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    let mut bytes = std::fs::read(&db).unwrap();
    let at = ((root - 1) * page_size) as usize;
    bytes[at..at + 64].fill(0xAB);
    std::fs::write(&db, bytes).unwrap();
    let store = imgtui::store::Store::open(data.path()).unwrap();
    let said = store.recovered.clone().unwrap_or_default();
    assert!(said.contains("moved to") && said.contains("new job ids start after 3"), "{said}");
    let spent = store.spent().unwrap();
    assert!((spent.today - 0.75).abs() < 1e-9, "{said}: {spent:?}");
    drop(store);
    // Junk with nothing readable: said so.
    std::fs::write(&db, "not a database at all".repeat(300)).unwrap();
    let store = imgtui::store::Store::open(data.path()).unwrap();
    let said = store.recovered.clone().unwrap_or_default();
    assert!(said.contains("could not be read"), "{said}");
}

#[test]
fn two_damaged_databases_in_one_second_are_both_kept() {
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("history.sqlite3");
    for junk in ["first damaged file", "second damaged file"] {
        std::fs::write(&db, junk.repeat(300)).unwrap();
        let store = imgtui::store::Store::open(data.path()).unwrap();
        assert!(store.recovered.is_some());
    }
    let mut kept: Vec<String> = std::fs::read_dir(data.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".corrupt-"))
        .map(|n| std::fs::read_to_string(data.path().join(n)).unwrap())
        .collect();
    kept.sort();
    assert_eq!(kept.len(), 2, "neither replaced the other");
    assert!(kept[0].starts_with("first") && kept[1].starts_with("second"));
}

/// A server whose every answer is `status` with `body`.
async fn fixed(status: u16, body: &'static str) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut request).await;
                let answer = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                     connection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    addr
}

#[tokio::test]
async fn an_answer_whose_data_is_no_image_fails_the_job_and_keeps_the_bytes() {
    // "hello", base64: a 200 with no image in it.
    let addr = fixed(200, r#"{"created":1,"data":[{"b64_json":"aGVsbG8="}]}"#).await;
    let data = tempfile::tempdir().unwrap();
    let out = data.path().join("out");
    let output = common::imgtui_at(data.path(), "sk-test", &format!("http://{addr}/v1"))
        .args(["generate", "a fox", "-m", "gpt-image-2", "--out"])
        .arg(&out)
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no PNG, JPEG or WebP image") && stderr.contains("kept in"), "{stderr}");
    let files: Vec<_> = std::fs::read_dir(&out).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].extension().is_some_and(|e| e == "bin"));
    assert_eq!(std::fs::read(&files[0]).unwrap(), b"hello");
    let job = common::job_json(data.path(), 1).await;
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(job["images"].as_array().map(Vec::len), Some(0), "{job}");
}

#[tokio::test]
async fn an_echoed_key_and_the_urls_password_are_never_shown_nor_stored() {
    let key = "sk-proj-UNMISTAKABLE0123456789";
    let server = common::demo().await;
    let echo =
        imgtui::demo::faults::openai_error(401, &format!("Incorrect API key provided: {key}. Also {}.", &key[..12]));
    server.faults().push(FaultRule::once(echo).on("generations"));
    let data = tempfile::tempdir().unwrap();
    let base = server.base_url().replace("http://", "http://someone:hunter2secret@");
    let output = common::imgtui_at(data.path(), key, &base)
        .args(["generate", "a fox", "-m", "gpt-image-2"])
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Incorrect API key provided: ****"), "{stderr}");
    let shown = common::imgtui_tokio()
        .env("XDG_CONFIG_HOME", data.path().join("config"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["history", "show", "1", "--json"])
        .output()
        .await
        .unwrap();
    let everything = format!(
        "{stderr}{}{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&shown.stdout),
        every_file(data.path()),
    );
    for secret in [&key[..12], "hunter2secret", "someone"] {
        assert!(!everything.contains(secret), "{secret} leaked: {everything:.2000}");
    }
}

#[test]
fn prompts_and_server_messages_are_printed_with_control_characters_escaped() {
    let data = tempfile::tempdir().unwrap();
    let nasty = "a fox \x1b]0;pwned\x07 \x1b[2J";
    let out = imgtui(data.path()).args(["generate", nasty]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for args in [vec!["history"], vec!["history", "show", "1"]] {
        let out = common::imgtui_std()
            .env("XDG_CONFIG_HOME", data.path().join("config"))
            .arg("--data-dir")
            .arg(data.path())
            .args(&args)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{args:?}: {text:?}");
        assert!(text.contains("\\e]0;pwned\\u{7}"), "{args:?}: {text}");
    }
}

/// Every file under `dir` (history, its WAL, the log, images), as text.
fn every_file(dir: &std::path::Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            text.push_str(&every_file(&path));
        } else {
            text.push_str(&String::from_utf8_lossy(&std::fs::read(&path).unwrap_or_default()));
        }
    }
    text
}

#[test]
fn an_unusable_data_dir_is_an_environment_failure_exit_1_not_invalid_input() {
    let data = tempfile::tempdir().unwrap();
    let not_a_dir = data.path().join("a-file");
    std::fs::write(&not_a_dir, "x").unwrap();
    for args in [vec!["generate", "a fox", "--demo"], vec!["history"]] {
        let out = common::imgtui_std()
            .env("XDG_CONFIG_HOME", data.path().join("config"))
            .arg("--data-dir")
            .arg(&not_a_dir)
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("a-file"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_reader_that_goes_away_ends_the_output_quietly() {
    let data = tempfile::tempdir().unwrap();
    for n in 0..3 {
        let out = imgtui(data.path()).args(["generate", &format!("fox {n}")]).output().unwrap();
        assert!(out.status.success());
    }
    let mut child = common::imgtui_std()
        .env("XDG_CONFIG_HOME", data.path().join("config"))
        .arg("--data-dir")
        .arg(data.path())
        .arg("history")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // as `| head -0` would
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(141), "{stderr}");
}

#[test]
fn a_model_name_that_is_no_name_is_refused_and_spaces_around_one_are_trimmed() {
    let data = tempfile::tempdir().unwrap();
    for (model, expected) in [
        ("gpt-image-2\x1b]0;pwned\x07", "model: must be one word, without spaces or control characters"),
        (&"x".repeat(300)[..], "model: is 300 characters long; a model name has at most 200"),
    ] {
        let out = imgtui(data.path()).args(["generate", "fox", "-m", model]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
        assert!(!stderr.contains('\x1b'), "{stderr:?}");
    }
    let out = imgtui(data.path()).args(["generate", "fox", "-m", " gpt-image-2 "]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn history_can_be_read_from_a_data_dir_this_user_cannot_write() {
    // Needs a second user: as root, `setpriv` runs the binary as nobody.
    let root = std::process::Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    if !root || std::process::Command::new("setpriv").arg("--help").output().is_err() {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"skipped: reading a data dir this user cannot write needs root and setpriv\n",
        );
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let out = imgtui(data.path()).args(["generate", "a readable fox"]).output().unwrap();
    assert!(out.status.success());
    // Everyone may read it; only root may write.
    assert!(std::process::Command::new("chmod").arg("-R").arg("a+rX").arg(data.path()).status().unwrap().success());
    for args in [vec!["history"], vec!["history", "show", "1"]] {
        let out = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(env!("CARGO_BIN_EXE_imgtui"))
            .env(imgtui::clock::TODAY_VAR, common::TODAY)
            .env("HOME", data.path())
            .env("XDG_CONFIG_HOME", data.path().join("config"))
            .arg("--data-dir")
            .arg(data.path())
            .args(&args)
            .output()
            .unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stdout.contains("a readable fox"), "{args:?}: {stdout}{stderr}");
    }
}

#[test]
fn an_input_whose_name_has_a_newline_or_quotes_uploads_fine() {
    let data = tempfile::tempdir().unwrap();
    let odd = common::write_png(data.path(), "a\nb \"q\".png", (64, 64), [9, 9, 9, 255], None);
    let out = imgtui(data.path()).arg("edit").arg("a hat").arg("--image").arg(&odd).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_file_name_that_is_not_utf8_is_refused_as_input_naming_the_rule() {
    use std::os::unix::ffi::OsStrExt;
    let data = tempfile::tempdir().unwrap();
    let png = common::write_png(data.path(), "plain.png", (64, 64), [9, 9, 9, 255], None);
    let odd = data.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.png"));
    std::fs::copy(&png, &odd).unwrap();
    let out = imgtui(data.path()).arg("edit").arg("a hat").arg("--image").arg(&odd).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("its name is not UTF-8 text; rename it"), "{stderr}");
}

#[tokio::test]
async fn the_key_never_follows_a_redirect_to_another_host() {
    // B, on another loopback address, would record a key sent to it.
    let b = tokio::net::TcpListener::bind("127.0.0.2:0").await.unwrap();
    let b_addr = b.local_addr().unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = b.accept().await {
            let mut request = vec![0u8; 64 * 1024];
            let n = socket.read(&mut request).await.unwrap_or(0);
            record.lock().unwrap().push_str(&String::from_utf8_lossy(&request[..n]));
            let _ = socket.write_all(b"HTTP/1.1 500 X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
        }
    });
    // A answers every request with a redirect to B.
    let a = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let a_addr = a.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = a.accept().await {
            let mut request = vec![0u8; 64 * 1024];
            let _ = socket.read(&mut request).await;
            let answer = format!(
                "HTTP/1.1 307 Temporary Redirect\r\nlocation: http://{b_addr}/v1/images/generations\r\n\
                 content-length: 0\r\nconnection: close\r\n\r\n"
            );
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    let mut cfg = imgtui::api::ClientConfig::new(
        imgtui::api::Provider::Ttapi,
        format!("http://{a_addr}/v1"),
        imgtui::api::ApiKey::new("tt-SECRET-KEY-0123456789"),
    );
    cfg.retry.max_retries = 0;
    let client = common::client_with(cfg);
    let result = client.generate(&GenerateRequest::new("gpt-image-2", "a fox"), &RequestControl::default()).await;
    assert!(result.is_err(), "a redirect elsewhere is not followed");
    assert!(!seen.lock().unwrap().contains("SECRET"), "the key went to another host");
}

#[tokio::test]
async fn a_key_echoed_in_a_successful_answer_is_scrubbed_too() {
    let key = "sk-proj-ECHOEDINREVISED0123456789";
    // A 1x1 PNG, and a revised prompt that repeats the key.
    let body = Box::leak(
        format!(
            r#"{{"created":1,"data":[{{"b64_json":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==","revised_prompt":"your key is {key}, or {}"}}]}}"#,
            &key[8..]
        )
        .into_boxed_str(),
    );
    let addr = fixed(200, body).await;
    let data = tempfile::tempdir().unwrap();
    let output = common::imgtui_at(data.path(), key, &format!("http://{addr}/v1"))
        .args(["generate", "a fox", "-m", "gpt-image-2"])
        .output()
        .await
        .unwrap();
    let everything = format!(
        "{}{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        every_file(data.path())
    );
    assert!(output.status.success(), "{everything:.2000}");
    assert!(everything.contains("your key is ****"), "{everything:.2000}");
    assert!(!everything.contains(&key[8..]), "a piece of the key leaked");
}

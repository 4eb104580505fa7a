//! The history store: every field round-trips, migrations, damaged files, paging and search,
//! PNG metadata, crash safety with a real SIGKILL, and the key kept out of every file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use imgtui::api::response::{TokenDetails, Usage};
use imgtui::api::{EditRequest, GenerateRequest};
use imgtui::store::{DoneOutcome, ImageRecord, ImageRequest, InputRecord, JobQuery, JobStatus, Store};

fn edit_request() -> ImageRequest {
    let mut r =
        EditRequest::new("gpt-image-1", "add a hat ☂", vec![PathBuf::from("/tmp/a.png"), PathBuf::from("/tmp/b.webp")]);
    r.mask = Some(PathBuf::from("/tmp/mask.png"));
    r.options.n = Some(2);
    r.options.size = Some("1024x1536".into());
    r.options.quality = Some("high".into());
    r.options.output_format = Some("webp".into());
    r.options.output_compression = Some(80);
    r.options.background = Some("opaque".into());
    r.options.input_fidelity = Some("high".into());
    r.options.user = Some("user-7".into());
    ImageRequest::Edit(r)
}

#[test]
fn every_field_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let parent = store
        .insert_job(&ImageRequest::Generate(GenerateRequest::new("dall-e-3", "p")), "demo", "u", None, &[], 1)
        .unwrap();
    let request = edit_request();
    let inputs = vec![
        InputRecord { role: "image".into(), path: "/tmp/a.png".into(), sha256: Some("aa".into()) },
        InputRecord { role: "image".into(), path: "/tmp/b.webp".into(), sha256: None },
        InputRecord { role: "mask".into(), path: "/tmp/mask.png".into(), sha256: Some("cc".into()) },
    ];
    let id = store.insert_job(&request, "TTAPI", "https://api.ttapi.io/v1", Some(parent), &inputs, 1000).unwrap();
    assert_eq!(store.job(id).unwrap().unwrap().status, JobStatus::Queued);
    store.mark_running(id, 1500).unwrap();
    let usage = Usage {
        input_tokens: 10,
        output_tokens: 20,
        total_tokens: 30,
        input_tokens_details: Some(TokenDetails { image_tokens: 4, text_tokens: 6 }),
        output_tokens_details: Some(TokenDetails { image_tokens: 20, text_tokens: 0 }),
    };
    let images = vec![ImageRecord {
        index: 1,
        path: "/data/x-2.webp".into(),
        format: Some(imgtui::api::ImageFormat::Webp),
        width: Some(1024),
        height: Some(1536),
        bytes: 12345,
        sha256: "ff".into(),
    }];
    let outcome = DoneOutcome {
        retries: 2,
        usage: Some(usage.clone()),
        revised_prompt: Some("revised".into()),
        response_meta: Some(serde_json::json!({"size": "1024x1536"})),
        images: images.clone(),
        raw_images: vec![ImageRecord { path: "/out/a-1-raw.png".into(), sha256: "ee".into(), ..images[0].clone() }],
        lost: vec!["image 1: b64_json is not valid base64".into()],
        cost: Some(imgtui::cost::JobCost { usd: 0.0423, basis: "OpenAI list prices 2026-11".into() }),
    };
    store.finish_done(id, &outcome, 2000).unwrap();
    drop(store);

    let store = Store::open(dir.path()).unwrap();
    let job = store.job(id).unwrap().unwrap();
    assert_eq!(job.raw_images, outcome.raw_images, "the API's own image, beside the kept one");
    assert_eq!(job.cost, outcome.cost, "the cost and the prices it came from");
    assert_eq!((job.created_at, job.started_at, job.finished_at), (1000, Some(1500), Some(2000)));
    assert_eq!(job.status, JobStatus::Done);
    assert_eq!(job.request, request);
    assert_eq!((job.provider.as_str(), job.base_url.as_str()), ("TTAPI", "https://api.ttapi.io/v1"));
    assert_eq!(job.parent_id, Some(parent));
    assert_eq!(job.inputs, inputs);
    assert_eq!(job.images, images);
    assert_eq!(job.usage, Some(usage));
    assert_eq!(job.retries, 2);
    assert_eq!(job.revised_prompt.as_deref(), Some("revised"));
    assert_eq!(job.response_meta, Some(serde_json::json!({"size": "1024x1536"})));
    assert_eq!(job.error.as_deref(), Some("lost: image 1: b64_json is not valid base64"));
}

#[test]
fn failures_keep_message_and_status() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store
        .insert_job(&ImageRequest::Generate(GenerateRequest::new("gpt-image-1", "p")), "OpenAI", "u", None, &[], 5)
        .unwrap();
    store.finish_failed(id, JobStatus::Failed, "HTTP 429 Too Many Requests: slow down", Some(429), 2, 9).unwrap();
    let job = store.job(id).unwrap().unwrap();
    assert_eq!((job.status, job.http_status, job.retries), (JobStatus::Failed, Some(429), 2));
    assert_eq!(job.error.as_deref(), Some("HTTP 429 Too Many Requests: slow down"));
}

#[test]
fn migrations_run_from_an_empty_file_and_a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("history.sqlite3"), b"").unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert!(store.recovered.is_none());
    assert_eq!(store.count(None).unwrap(), 0);
    drop(store);
    Store::open(dir.path()).unwrap(); // idempotent

    let conn = rusqlite::Connection::open(dir.path().join("history.sqlite3")).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = Store::open(dir.path()).err().unwrap().to_string();
    assert!(err.contains("schema version 99, newer than this imgtui knows"), "{err}");
    assert!(dir.path().join("history.sqlite3").exists(), "a newer database is not moved aside");
}

#[test]
fn a_damaged_file_is_moved_aside_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = b"this is not a database, but it is somebody's file".repeat(100);
    std::fs::write(dir.path().join("history.sqlite3"), &garbage).unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let notice = store.recovered.clone().expect("a notice for the user");
    assert!(notice.contains("was damaged") && notice.contains("history.sqlite3.corrupt-"), "{notice}");
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(std::fs::read(&aside[0]).unwrap(), garbage);
    store
        .insert_job(&ImageRequest::Generate(GenerateRequest::new("gpt-image-1", "p")), "demo", "u", None, &[], 1)
        .unwrap();
}

#[test]
fn pages_newest_first_with_cursor_status_and_search() {
    let mut store = Store::open_in_memory().unwrap();
    for i in 0..50 {
        let prompt = if i % 10 == 0 { format!("a RED fox number {i} 100%") } else { format!("a blue bird {i}") };
        let id = store
            .insert_job(
                &ImageRequest::Generate(GenerateRequest::new("gpt-image-1", prompt)),
                "demo",
                "u",
                None,
                &[],
                i / 2,
            )
            .unwrap();
        if i % 3 == 0 {
            store.finish_failed(id, JobStatus::Failed, "boom", None, 0, i).unwrap();
        }
    }
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = store.page(&JobQuery { before, limit: 20, ..JobQuery::default() }).unwrap();
        if page.is_empty() {
            break;
        }
        before = page.last().map(|j| (j.created_at, j.id));
        seen.extend(page.iter().map(|j| j.id));
    }
    assert_eq!(seen, (1..=50).rev().collect::<Vec<_>>(), "every job once, newest first, ties by id");

    let fox = store.page(&JobQuery { search: Some("red FOX".into()), limit: 100, ..JobQuery::default() }).unwrap();
    assert_eq!(fox.len(), 5);
    let pct = store.page(&JobQuery { search: Some("0%".into()), limit: 100, ..JobQuery::default() }).unwrap();
    assert_eq!(pct.len(), 5, "% is matched literally, not as a wildcard");
    let failed = store.page(&JobQuery { status: Some(JobStatus::Failed), limit: 100, ..JobQuery::default() }).unwrap();
    assert_eq!(failed.len(), 17);
    assert!(failed.iter().all(|j| j.status == JobStatus::Failed && j.error.as_deref() == Some("boom")));
}

#[test]
fn tokens_add_up_per_day() {
    let mut store = Store::open_in_memory().unwrap();
    let day = 86_400_000;
    for (t, tokens) in [(0, 10), (1000, 20), (day + 5, 7)] {
        let id = store
            .insert_job(&ImageRequest::Generate(GenerateRequest::new("gpt-image-1", "p")), "demo", "u", None, &[], t)
            .unwrap();
        let usage = Usage { input_tokens: 1, output_tokens: tokens - 1, total_tokens: tokens, ..Usage::default() };
        store.finish_done(id, &DoneOutcome { usage: Some(usage), ..DoneOutcome::default() }, t).unwrap();
    }
    let days = store.tokens_per_day(10).unwrap();
    let summary: Vec<_> = days.iter().map(|d| (d.day.as_str(), d.jobs, d.total_tokens)).collect();
    assert_eq!(summary, [("1970-01-02", 1, 7), ("1970-01-01", 2, 30)]);
}

// ---- through the binary ----

fn imgtui(data: &Path) -> std::process::Command {
    let mut cmd = common::imgtui_std();
    cmd.env_remove("TTAPI_API_KEY")
        .env_remove("OPENAI_API_KEY")
        .env("XDG_CONFIG_HOME", data.join("config"))
        .arg("--data-dir")
        .arg(data);
    cmd
}

#[test]
fn generated_pngs_carry_the_prompt_in_text_chunks() {
    let data = tempfile::tempdir().unwrap();
    let out = imgtui(data.path())
        .args(["--demo-latency-ms", "0", "generate", "a red fox in the snow", "--demo", "-q", "low", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let path = v["images"][0]["path"].as_str().unwrap();
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(
        v["images"][0]["sha256"].as_str().unwrap(),
        imgtui::store::images_sha256(&bytes),
        "the hash is of the file"
    );

    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let reader = decoder.read_info().unwrap();
    let texts: Vec<_> =
        reader.info().uncompressed_latin1_text.iter().map(|t| (t.keyword.clone(), t.text.clone())).collect();
    let parameters = &texts.iter().find(|(k, _)| k == "parameters").expect("parameters chunk").1;
    let mut lines = parameters.lines();
    assert_eq!(lines.next(), Some("a red fox in the snow"));
    let pairs = lines.next().unwrap();
    let expected = format!("Size: 1024x1024, Model: {}, Quality: low", common::active_model());
    assert!(pairs.starts_with(&expected), "{pairs}");
    let json = &texts.iter().find(|(k, _)| k == "imgtui").expect("imgtui chunk").1;
    let meta: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(meta["request"]["prompt"], "a red fox in the snow");
    assert_eq!(meta["request"]["kind"], "generate");
    image::load_from_memory(&std::fs::read(path).unwrap()).expect("still a valid PNG");
}

#[test]
fn non_latin_prompts_go_into_an_utf8_chunk() {
    let data = tempfile::tempdir().unwrap();
    let out = imgtui(data.path())
        .args(["--demo-latency-ms", "0", "generate", "富士山と桜", "--demo", "-q", "low", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let file = std::fs::File::open(v["images"][0]["path"].as_str().unwrap()).unwrap();
    let reader = png::Decoder::new(std::io::BufReader::new(file)).read_info().unwrap();
    let utf8: Vec<_> = reader.info().utf8_text.iter().filter(|t| t.keyword == "parameters").collect();
    assert_eq!(utf8.len(), 1);
    assert!(utf8[0].get_text().unwrap().starts_with("富士山と桜\n"));
}

#[test]
fn the_key_is_in_no_database_column_nor_any_file() {
    let data = tempfile::tempdir().unwrap();
    let key = "sk-imgtui-UNMISTAKABLE-key-4f2a9c";
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(common::demo_with(imgtui::demo::DemoConfig {
        expected_key: Some(key.into()),
        ..imgtui::demo::DemoConfig::instant()
    }));
    for (model, ok) in [("gpt-image-1", true), ("dall-e-2", true), ("dall-e-3", true)] {
        let out = imgtui(data.path())
            .env("OPENAI_API_KEY", key)
            // A day when OpenAI still served these models.
            .env("IMGTUI_TODAY", "2026-01-01")
            .args(["--base-url", server.base_url(), "generate", "a fox", "-m", model])
            .output()
            .unwrap();
        assert_eq!(out.status.success(), ok, "{}", String::from_utf8_lossy(&out.stderr));
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains(key) && !String::from_utf8_lossy(&out.stderr).contains(key)
        );
    }
    let bad = imgtui(data.path())
        .env("OPENAI_API_KEY", format!("{key}-wrong"))
        .args(["--base-url", server.base_url(), "generate", "a fox"])
        .output()
        .unwrap();
    assert!(!bad.status.success());

    let store = Store::open(data.path()).unwrap();
    assert_eq!(store.count(Some(JobStatus::Done)).unwrap(), 3);
    assert_eq!(store.count(Some(JobStatus::Failed)).unwrap(), 1);
    drop(store);
    let conn = rusqlite::Connection::open(data.path().join("history.sqlite3")).unwrap();
    let mut columns = 0;
    for table in ["jobs", "job_inputs", "images"] {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..n {
                let value: rusqlite::types::Value = row.get(i).unwrap();
                columns += 1;
                assert!(!format!("{value:?}").contains("UNMISTAKABLE"), "{table} column {i}: {value:?}");
            }
        }
    }
    assert!(columns > 50);
    for file in walk(data.path()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!bytes.windows(12).any(|w| w == b"UNMISTAKABLE"), "the key is in {}", file.display());
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files
}

#[test]
fn sigkill_mid_job_leaves_an_openable_history_with_the_job_interrupted() {
    let data = tempfile::tempdir().unwrap();
    let out_dir = data.path().join("out");
    let mut child = imgtui(data.path())
        .args(["--demo-latency-ms", "20000", "generate", "a slow fox", "--demo", "-n", "2", "--out"])
        .arg(&out_dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait (with a deadline) until the job is recorded as running.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let running = loop {
        let state = Store::open(data.path())
            .ok()
            .and_then(|s| s.page(&JobQuery { limit: 1, ..JobQuery::default() }).ok())
            .and_then(|page| page.first().map(|j| j.status));
        if state == Some(JobStatus::Running) || std::time::Instant::now() > deadline {
            break state;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(running, Some(JobStatus::Running));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // A stray temp file like one a kill mid-write leaves; the next start must remove it.
    std::fs::create_dir_all(&out_dir).unwrap();
    std::fs::write(out_dir.join(".a-slow-fox-1.png.999999999-0000abcd.tmp"), b"half an image").unwrap();

    let listed = imgtui(data.path()).args(["history", "--json"]).output().unwrap();
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(rows[0]["status"], "interrupted");
    let config_out = data.path().join("config/imgtui");
    std::fs::create_dir_all(&config_out).unwrap();
    std::fs::write(config_out.join("config.toml"), format!("out_dir = {:?}\n", out_dir.display().to_string())).unwrap();
    let listed = imgtui(data.path()).args(["history"]).output().unwrap();
    assert!(listed.status.success());
    let leftovers: Vec<_> = std::fs::read_dir(&out_dir).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(leftovers.is_empty(), "no image and no temp file remain: {leftovers:?}");
    let job = Store::open(data.path()).unwrap().job(1).unwrap().unwrap();
    assert!(job.error.unwrap().contains("re-run it"));
}

#[test]
fn a_job_another_live_imgtui_runs_is_shown_as_such_and_cannot_be_deleted_here() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-2", "a shared fox"));
    let id = store.insert_job(&request, "demo", "u", None, &[], 1).unwrap();
    store.mark_running(id, 2).unwrap();
    // As if pid 1 (alive in every container and machine) had started it.
    let raw = rusqlite::Connection::open(dir.path().join("history.sqlite3")).unwrap();
    raw.execute("UPDATE jobs SET owner_pid = 1, owner_started = NULL WHERE id = ?1", [id]).unwrap();
    let rows = store.page(&JobQuery { limit: 10, ..JobQuery::default() }).unwrap();
    assert_eq!(rows[0].running_elsewhere, Some(1));
    let err = store.delete_job(id).unwrap_err().to_string();
    assert!(err.contains("running in another imgtui (pid 1)"), "{err}");
    assert!(store.job(id).unwrap().is_some(), "still there");
    raw.execute("UPDATE jobs SET owner_pid = ?1 WHERE id = ?2", [std::process::id() as i64, id]).unwrap();
    assert_eq!(store.page(&JobQuery { limit: 10, ..JobQuery::default() }).unwrap()[0].running_elsewhere, None);
}

#[test]
fn a_reused_pid_is_not_the_owner_of_a_dead_imgtuis_job() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-2", "an orphan"));
    let id = store.insert_job(&request, "demo", "u", None, &[], 1).unwrap();
    store.mark_running(id, 2).unwrap();
    // pid 1 runs, but it did not start when the job's owner did: the owner is dead.
    let raw = rusqlite::Connection::open(dir.path().join("history.sqlite3")).unwrap();
    raw.execute("UPDATE jobs SET owner_pid = 1, owner_started = 123 WHERE id = ?1", [id]).unwrap();
    let rows = store.page(&JobQuery { limit: 10, ..JobQuery::default() }).unwrap();
    if std::path::Path::new("/proc/1/stat").exists() {
        assert_eq!(rows[0].running_elsewhere, None, "not alive");
        assert_eq!(store.mark_interrupted(3).unwrap(), 1);
        assert_eq!(store.job(id).unwrap().unwrap().status, JobStatus::Interrupted);
    }
}

#[test]
fn an_id_is_never_given_twice_even_after_the_newest_job_is_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-2", "a fox"));
    let first = store.insert_job(&request, "demo", "u", None, &[], 1).unwrap();
    let second = store.insert_job(&request, "demo", "u", None, &[], 2).unwrap();
    store.finish_failed(second, JobStatus::Failed, "x", None, 0, 3).unwrap();
    store.delete_job(second).unwrap();
    let third = store.insert_job(&request, "demo", "u", None, &[], 4).unwrap();
    assert_eq!((first, second, third), (1, 2, 3), "job 2's id is not given again");
}

#[test]
fn a_whole_image_a_killed_imgtui_left_as_a_temp_file_is_recovered_into_its_job() {
    let dir = tempfile::tempdir().unwrap();
    let images = dir.path().join("images");
    std::fs::create_dir_all(&images).unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-2", "a paid fox"));
    let whole = store.insert_job(&request, "demo", "u", None, &[], 1).unwrap();
    let cut = store.insert_job(&request, "demo", "u", None, &[], 2).unwrap();
    let png = std::fs::read(write_test_png(dir.path())).unwrap();
    // The jobs belong to a process that is gone by the next start.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    for (id, bytes) in [(whole, png.clone()), (cut, png[..png.len() / 2].to_vec())] {
        store.mark_running(id, 3).unwrap();
        let name = format!("fox-{id}.png");
        let temp = images.join(format!(".{name}.{dead}-0000beef.tmp"));
        let record = ImageRecord {
            index: 0,
            path: images.join(&name),
            format: Some(imgtui::api::ImageFormat::Png),
            width: Some(8),
            height: Some(8),
            bytes: png.len() as u64,
            sha256: imgtui::store::images_sha256(&png),
        };
        store
            .note_pending(id, &imgtui::store::PendingImage { temp: temp.clone(), dir: images.clone(), name, record })
            .unwrap();
        // Written (whole, or cut short), then the process was killed before linking it.
        std::fs::write(&temp, &bytes).unwrap();
    }
    drop(store);
    let raw = rusqlite::Connection::open(dir.path().join("history.sqlite3")).unwrap();
    raw.execute("UPDATE jobs SET owner_pid = ?1", [dead]).unwrap();

    let mut store = Store::open(dir.path()).unwrap();
    assert_eq!(store.mark_interrupted(10).unwrap(), 2);
    assert_eq!(store.recover_pending().unwrap(), 1);
    let job = store.job(whole).unwrap().unwrap();
    assert_eq!((job.status, job.images.len()), (JobStatus::Done, 1));
    let kept = std::fs::read(&job.images[0].path).unwrap();
    assert_eq!(imgtui::store::images_sha256(&kept), job.images[0].sha256, "the recorded hash is the file's");
    let job = store.job(cut).unwrap().unwrap();
    assert_eq!((job.status, job.images.len()), (JobStatus::Interrupted, 0), "a cut-short file is not an image");
    assert_eq!(imgtui::store::sweep_temp_files(&images), 1, "the cut-short temp file is swept");
    assert_eq!(std::fs::read_dir(&images).unwrap().count(), 1, "only the recovered image is left");
}

fn write_test_png(dir: &Path) -> PathBuf {
    let path = dir.join("source.png");
    image::RgbaImage::from_pixel(8, 8, image::Rgba([1, 2, 3, 255])).save(&path).unwrap();
    path
}

#[test]
fn an_image_written_but_never_recorded_on_a_full_disk_is_found_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let images = dir.path().join("images");
    std::fs::create_dir_all(&images).unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-2", "a paid fox"));
    let id = store.insert_job(&request, "demo", "u", None, &[], 1).unwrap();
    store.mark_running(id, 3).unwrap();
    let png = std::fs::read(write_test_png(dir.path())).unwrap();
    let name = "fox.png".to_string();
    let record = ImageRecord {
        index: 0,
        path: images.join(&name),
        format: Some(imgtui::api::ImageFormat::Png),
        width: Some(8),
        height: Some(8),
        bytes: png.len() as u64,
        sha256: imgtui::store::images_sha256(&png),
    };
    let temp = images.join(".fox.png.1-0000beef.tmp");
    store
        .note_pending(id, &imgtui::store::PendingImage { temp, dir: images.clone(), name: name.clone(), record })
        .unwrap();
    // Linked into place (the temp file gone), then the history could not record it.
    std::fs::write(images.join(&name), &png).unwrap();
    drop(store);
    let raw = rusqlite::Connection::open(dir.path().join("history.sqlite3")).unwrap();
    raw.execute("UPDATE jobs SET owner_pid = ?1, owner_started = NULL", [u32::MAX as i64]).unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    assert_eq!(store.mark_interrupted(10).unwrap(), 1);
    assert_eq!(store.recover_pending().unwrap(), 1, "found where it was written");
    let job = store.job(id).unwrap().unwrap();
    assert_eq!((job.status, job.images.len()), (JobStatus::Done, 1));
    assert!(!job.error.unwrap_or_default().contains("re-run it"));
}

#[test]
fn an_interrupted_job_that_was_sent_counts_against_the_budgets_at_its_estimate() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-2", "a paid fox"));
    let now = common::now_ms();
    let new = |estimate| common::new_job(&request, now, estimate, None);
    let sent = match store.admit_jobs(&[new(0.25)], None, None).unwrap() {
        imgtui::store::Admitted::Queued(ids) => ids[0],
        other => panic!("{other:?}"),
    };
    let never_sent = match store.admit_jobs(&[new(0.5)], None, None).unwrap() {
        imgtui::store::Admitted::Queued(ids) => ids[0],
        other => panic!("{other:?}"),
    };
    store.mark_running(sent, now).unwrap();
    let raw = rusqlite::Connection::open(dir.path().join("history.sqlite3")).unwrap();
    raw.execute("UPDATE jobs SET owner_pid = ?1, owner_started = NULL", [u32::MAX as i64]).unwrap();
    assert_eq!(store.mark_interrupted(now).unwrap(), 2);
    let job = store.job(sent).unwrap().unwrap();
    assert_eq!(job.cost.as_ref().map(|c| (c.usd, c.basis.as_str())), Some((0.25, "estimate")), "{job:?}");
    assert!(store.job(never_sent).unwrap().unwrap().cost.is_none(), "never sent, never billed");
    assert!((store.spent().unwrap().today - 0.25).abs() < 1e-9);
}

#[test]
fn deleting_a_job_does_not_give_its_spend_back_to_the_budgets() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-2", "a fox"));
    let now = common::now_ms();
    let id = store.insert_job(&request, "demo", "u", None, &[], now).unwrap();
    let cost = imgtui::cost::JobCost { usd: 0.03, basis: "OpenAI list prices 2026-11".into() };
    let image = ImageRecord {
        index: 0,
        path: dir.path().join("fox.png"),
        format: Some(imgtui::api::ImageFormat::Png),
        width: Some(1),
        height: Some(1),
        bytes: 1,
        sha256: String::new(),
    };
    store
        .finish_done(id, &DoneOutcome { cost: Some(cost), images: vec![image], ..DoneOutcome::default() }, now)
        .unwrap();
    assert!((store.spent().unwrap().today - 0.03).abs() < 1e-9);
    store.delete_job(id).unwrap();
    assert!((store.spent().unwrap().today - 0.03).abs() < 1e-9, "still spent");
}

/// `imgtui history` while another process holds the history locked: it shows the history
/// read-only after SQLite's few seconds, saying why, instead of waiting a minute first.
#[test]
fn history_lists_read_only_at_once_while_another_process_holds_the_lock() {
    let data = tempfile::tempdir().unwrap();
    let mut store = Store::open(data.path()).unwrap();
    let request = ImageRequest::Generate(imgtui::api::GenerateRequest::new("gpt-image-1", "a held lighthouse"));
    store.insert_job(&request, "demo", "u", None, &[], 1).unwrap();
    drop(store);
    let holder = rusqlite::Connection::open(data.path().join(imgtui::store::DB_FILE)).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE; UPDATE jobs SET starred = starred;").unwrap();
    let started = std::time::Instant::now();
    let out = common::imgtui_std()
        .env("XDG_CONFIG_HOME", data.path().join("config"))
        .args(["--data-dir"])
        .arg(data.path())
        .arg("history")
        .output()
        .unwrap();
    let took = started.elapsed();
    holder.execute_batch("COMMIT").unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("a held lighthouse"), "{stdout}");
    assert!(stderr.contains("read-only") && stderr.contains("busy"), "{stderr}");
    assert!(!stderr.contains("up to a minute"), "a reader does not wait a minute: {stderr}");
    assert!(took < std::time::Duration::from_secs(30), "took {took:?}");
}

/// Agents (`imgtui mcp`) have budgets of their own: what agents' jobs spent (the running ones
/// by their estimate) counts against them; the person's jobs do not, and the person's budgets
/// hold for agents too.
#[test]
fn agents_are_held_by_their_own_budget_as_well_as_the_persons() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-2", "a fox"));
    let now = common::now_ms();
    let new = |estimate, origin: Option<&str>| common::new_job(&request, now, estimate, origin);
    let agents = imgtui::cost::Budgets { daily: Some(1.0), monthly: None };
    let person = imgtui::cost::Budgets { daily: Some(5.0), monthly: None };
    let queued = |admitted| matches!(admitted, imgtui::store::Admitted::Queued(_));
    // The person spends 3.00: agents are not held by it.
    assert!(queued(store.admit_jobs(&[new(3.0, None)], Some(&person), None).unwrap()));
    assert!(queued(store.admit_jobs(&[new(0.6, Some("mcp:claude"))], Some(&person), Some(&agents)).unwrap()));
    // Another agent's 0.6 would pass the agents' 1.00 (0.6 running already).
    let held = store.admit_jobs(&[new(0.6, Some("mcp:codex"))], Some(&person), Some(&agents)).unwrap();
    let imgtui::store::Admitted::OverBudget(why) = held else { panic!("{held:?}") };
    assert!(why.starts_with("the agents' budget ([mcp] in the config)"), "{why}");
    // The person's budget holds agents too: 3.6 spent of 5.00, an agent's 0.3 fits its own, not 1.5.
    assert!(queued(store.admit_jobs(&[new(0.3, Some("mcp:codex"))], Some(&person), Some(&agents)).unwrap()));
    let roomy = imgtui::cost::Budgets { daily: Some(100.0), monthly: None };
    let held = store.admit_jobs(&[new(1.5, Some("mcp:codex"))], Some(&person), Some(&roomy)).unwrap();
    assert!(matches!(held, imgtui::store::Admitted::OverBudget(_)), "{held:?}");
    let page = store.page(&imgtui::store::JobQuery { limit: 10, ..Default::default() }).unwrap();
    let origins: Vec<Option<&str>> = page.iter().map(|r| r.origin.as_deref()).collect();
    assert_eq!(origins, [Some("mcp:codex"), Some("mcp:claude"), None]);
}

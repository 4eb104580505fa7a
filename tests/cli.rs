//! The real binary, headless: what it writes, prints and exits with.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use imgtui::demo::DemoConfig;
use imgtui::demo::faults::{FaultRule, openai_error};
use tokio::process::Command;

/// The binary with a clean environment: no keys, no user config, data in `data`.
fn imgtui(data: &Path) -> Command {
    let mut cmd = common::imgtui_tokio();
    cmd.env_remove("TTAPI_API_KEY")
        .env_remove("OPENAI_API_KEY")
        .env("XDG_CONFIG_HOME", data.join("config"))
        .env("HOME", data)
        .arg("--data-dir")
        .arg(data)
        .arg("--demo-latency-ms")
        .arg("0");
    cmd
}

async fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output { status, stdout, stderr } = cmd.output().await.expect("the binary runs");
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

fn pngs_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> =
        std::fs::read_dir(dir).map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default();
    files.sort();
    files
}

#[tokio::test]
async fn generate_demo_writes_two_real_pngs_of_the_requested_size() {
    let data = tempfile::tempdir().unwrap();
    let out = data.path().join("out");
    let (code, stdout, stderr) = run(imgtui(data.path())
        .args(["generate", "a red fox", "--demo", "-n", "2", "--size", "1024x1536", "--out"])
        .arg(&out))
    .await;
    assert_eq!(code, 0, "{stderr}");
    let files = pngs_in(&out);
    assert_eq!(files.len(), 2, "{files:?}");
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy();
        assert!(name.ends_with(".png") && name.contains("-a-red-fox-"), "{name}");
        assert_eq!(image::open(file).unwrap().to_rgba8().dimensions(), (1024, 1536));
        assert!(stdout.contains(&format!("saved {} (1024x1536 png,", file.display())), "{stdout}");
    }
    assert!(stdout.contains("tokens: "), "{stdout}");
    let leftovers: Vec<_> = pngs_in(&out).into_iter().filter(|p| p.to_string_lossy().ends_with(".tmp")).collect();
    assert!(leftovers.is_empty());
}

#[tokio::test]
async fn edit_demo_with_a_mask_changes_only_the_masked_region() {
    let data = tempfile::tempdir().unwrap();
    let input = common::write_gradient_png(data.path(), "in.png", (128, 128));
    let mask = common::write_png(data.path(), "mask.png", (128, 128), [0, 0, 0, 255], Some((32, 32, 64, 64)));
    let out = data.path().join("out");
    let (code, _, stderr) = run(imgtui(data.path())
        .args(["edit", "add a hat", "--demo", "--model", "dall-e-2", "--response-format", "b64_json", "--image"])
        .arg(&input)
        .arg("--mask")
        .arg(&mask)
        .arg("--out")
        .arg(&out))
    .await;
    assert_eq!(code, 0, "{stderr}");
    let files = pngs_in(&out);
    assert_eq!(files.len(), 1);
    let (before, after) = (image::open(&input).unwrap().to_rgba8(), image::open(&files[0]).unwrap().to_rgba8());
    assert_eq!(after.dimensions(), (128, 128));
    let mut changed_inside = 0;
    for (x, y, pixel) in after.enumerate_pixels() {
        if (32..96).contains(&x) && (32..96).contains(&y) {
            changed_inside += usize::from(pixel != before.get_pixel(x, y));
        } else {
            assert_eq!(pixel, before.get_pixel(x, y), "({x},{y}) outside the mask changed");
        }
    }
    assert!(changed_inside > 64 * 64 / 2, "{changed_inside}");
}

#[tokio::test]
async fn json_output_has_paths_sizes_and_usage() {
    let data = tempfile::tempdir().unwrap();
    let (code, stdout, _) =
        run(imgtui(data.path()).args(["generate", "a boat", "--demo", "--json", "--quality", "low"])).await;
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON object");
    assert_eq!(v["ok"], true);
    let image = &v["images"][0];
    assert_eq!(
        (image["width"].as_u64(), image["height"].as_u64(), image["format"].as_str()),
        (Some(1024), Some(1024), Some("png"))
    );
    assert!(Path::new(image["path"].as_str().unwrap()).starts_with(data.path().join("images")), "default out dir");
    assert!(v["usage"]["total_tokens"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn invalid_input_exits_2_names_every_field_and_sends_nothing() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(imgtui(data.path()).env("OPENAI_API_KEY", "sk-test").args([
        "--base-url",
        server.base_url(),
        "generate",
        "a fox",
        "-m",
        "gpt-image-2",
        "-n",
        "12",
        "--quality",
        "xhigh",
    ]))
    .await;
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert_eq!(
        stderr,
        "imgtui: invalid request, nothing was sent:\n  n: 12 is not allowed for gpt-image-2 (allowed: 1-10)\n  \
         quality: \"xhigh\" is not allowed for gpt-image-2 (allowed: low, medium, high, auto)\n"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn no_key_and_no_demo_says_how_to_get_one() {
    let data = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(imgtui(data.path()).args(["generate", "a fox"])).await;
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no API key found") && stderr.contains("TTAPI_API_KEY") && stderr.contains("--demo"),
        "{stderr}"
    );
}

#[tokio::test]
async fn api_failure_exits_1_with_the_message_and_never_prints_the_key() {
    let server = common::demo_with(DemoConfig { expected_key: Some("right".into()), ..DemoConfig::instant() }).await;
    let data = tempfile::tempdir().unwrap();
    let secret = "sk-imgtui-test-SECRET-0xC0FFEE";
    let (code, stdout, stderr) = run(imgtui(data.path()).env("OPENAI_API_KEY", secret).args([
        "--base-url",
        server.base_url(),
        "generate",
        "a fox",
    ]))
    .await;
    assert_eq!(code, 1);
    assert!(stderr.contains("HTTP 401") && stderr.contains("The API key from $OPENAI_API_KEY was refused"), "{stderr}");
    assert!(!stdout.contains(secret) && !stderr.contains(secret));
    let log = std::fs::read_to_string(data.path().join("state/imgtui.log")).unwrap_or_default();
    assert!(!log.contains(secret), "the key is not in the log");

    server.faults().push(FaultRule::times(openai_error(500, "the model is overloaded"), 3));
    let (code, _, stderr) = run(imgtui(data.path()).env("TTAPI_API_KEY", "right").args([
        "--base-url",
        server.base_url(),
        "generate",
        "a fox",
    ]))
    .await;
    assert_eq!(code, 1);
    assert!(stderr.contains("imgtui: retry 1 in") && stderr.contains("imgtui: retry 2 in"), "{stderr}");
    assert!(stderr.ends_with("imgtui: HTTP 500 Internal Server Error: the model is overloaded\n"), "{stderr}");
}

#[tokio::test]
async fn bad_config_exits_2_naming_file_and_line() {
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("bad.toml");
    std::fs::write(&config, "provider = \"openai\"\nmax_retries = \"two\"\n").unwrap();
    let (code, _, stderr) =
        run(imgtui(data.path()).arg("--config").arg(&config).args(["generate", "x", "--demo"])).await;
    assert_eq!(code, 2);
    assert!(stderr.starts_with(&format!("imgtui: config file {}, line 2: invalid type", config.display())), "{stderr}");
}

#[tokio::test]
async fn prompt_can_come_from_stdin() {
    use tokio::io::AsyncWriteExt;
    let data = tempfile::tempdir().unwrap();
    let mut child = imgtui(data.path())
        .args(["generate", "-", "--demo", "--json", "-m", "dall-e-3", "--response-format", "b64_json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a lighthouse at dusk\n").await.unwrap();
    let output = child.wait_with_output().await.unwrap();
    let v: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(v["images"][0]["revised_prompt"].as_str().unwrap().ends_with("a lighthouse at dusk"), "{v}");
}

#[tokio::test]
async fn an_unwritable_out_dir_falls_back_and_says_where() {
    let data = tempfile::tempdir().unwrap();
    let blocker = data.path().join("a-file");
    std::fs::write(&blocker, b"not a directory").unwrap();
    let out = blocker.join("images");
    // The usual images folder cannot take it either (a file is in the way).
    std::fs::write(data.path().join("images"), b"not a folder").unwrap();
    // A temp folder of the test's own, not the machine's shared /tmp.
    let tmp = data.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let (code, stdout, stderr) = run(imgtui(data.path())
        .env("TMPDIR", &tmp)
        .args(["generate", "a kept fox", "--demo", "--json", "--out"])
        .arg(&out))
    .await;
    assert_eq!(code, 0, "{stderr}");
    let uid = std::fs::metadata(data.path()).map(|m| std::os::unix::fs::MetadataExt::uid(&m)).unwrap();
    let rescue = tmp.join(format!("imgtui-rescue-{uid}"));
    assert!(
        stderr.contains(&format!("cannot write {}", out.display()))
            && stderr.contains(&format!("{} instead", rescue.display())),
        "{stderr}"
    );
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    let path = PathBuf::from(v["images"][0]["path"].as_str().unwrap());
    assert!(path.starts_with(&rescue), "{path:?}");
    image::open(&path).expect("a whole image");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&rescue).unwrap().permissions().mode() & 0o777, 0o700, "a private folder");
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600, "a private image");
}

#[tokio::test]
async fn a_rescue_folder_planted_as_a_symlink_is_not_used() {
    let data = tempfile::tempdir().unwrap();
    let blocker = data.path().join("a-file");
    std::fs::write(&blocker, b"not a directory").unwrap();
    std::fs::write(data.path().join("images"), b"not a folder").unwrap();
    let tmp = data.path().join("tmp");
    let planted = data.path().join("someone-elses");
    std::fs::create_dir_all(&planted).unwrap();
    std::fs::create_dir(&tmp).unwrap();
    let uid = std::fs::metadata(data.path()).map(|m| std::os::unix::fs::MetadataExt::uid(&m)).unwrap();
    std::os::unix::fs::symlink(&planted, tmp.join(format!("imgtui-rescue-{uid}"))).unwrap();
    let (code, stdout, stderr) = run(imgtui(data.path())
        .env("TMPDIR", &tmp)
        .args(["generate", "a kept fox", "--demo", "--out"])
        .arg(blocker.join("images")))
    .await;
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("is a symlink; it was not used"), "{stderr}");
    assert_eq!(std::fs::read_dir(&planted).unwrap().count(), 0, "nothing landed in the planted folder");
    assert!(!stdout.contains("done") && stderr.contains("job 1: 0 of 1 image(s) kept"), "{stdout}{stderr}");
    let (_, shown, _) = run(imgtui(data.path()).args(["history", "show", "1", "--json"])).await;
    let job: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(job["status"], "failed", "not one image kept is not done: {job}");
}

#[tokio::test]
async fn a_history_locked_by_another_process_is_waited_for_and_done_means_recorded() {
    let data = tempfile::tempdir().unwrap();
    // The history exists, then another process holds it exclusively for 8 s.
    let (code, _, stderr) = run(imgtui(data.path()).args(["history"])).await;
    assert_eq!(code, 0, "{stderr}");
    let db = data.path().join("history.sqlite3");
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
        locked_tx.send(()).unwrap();
        std::thread::sleep(std::time::Duration::from_secs(8));
        conn.execute_batch("COMMIT").unwrap();
    });
    locked_rx.recv().unwrap();
    let (code, stdout, stderr) = run(imgtui(data.path()).args(["generate", "a patient fox", "--demo"])).await;
    holder.join().unwrap();
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("job 1 done"), "{stdout}{stderr}");
    assert_eq!(stderr.matches("holds the history locked; waiting").count(), 1, "said once: {stderr}");
    let (_, shown, _) = run(imgtui(data.path()).args(["history", "show", "1", "--json"])).await;
    let job: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!((job["status"].as_str(), job["images"].as_array().map(Vec::len)), (Some("done"), Some(1)), "{job}");
}

#[tokio::test]
async fn a_rerun_from_another_folder_sends_the_same_file_and_refuses_a_changed_one() {
    let data = tempfile::tempdir().unwrap();
    let (imgs, other) = (data.path().join("imgs"), data.path().join("other"));
    std::fs::create_dir_all(&imgs).unwrap();
    std::fs::create_dir_all(&other).unwrap();
    common::write_png(&imgs, "tmpin3.png", (64, 64), [200, 0, 0, 255], None);
    common::write_png(&other, "tmpin3.png", (64, 64), [0, 0, 200, 255], None);
    let (code, _, stderr) =
        run(imgtui(data.path()).current_dir(&imgs).args(["edit", "a hat", "--demo", "--image", "tmpin3.png"])).await;
    assert_eq!(code, 0, "{stderr}");
    let (_, shown, _) = run(imgtui(data.path()).args(["history", "show", "1", "--json"])).await;
    let job: serde_json::Value = serde_json::from_str(&shown).unwrap();
    let recorded = job["request"]["images"][0].as_str().unwrap().to_string();
    assert_eq!(PathBuf::from(&recorded), std::fs::canonicalize(imgs.join("tmpin3.png")).unwrap(), "absolute");
    let (code, _, stderr) =
        run(imgtui(data.path()).current_dir(&other).args(["history", "rerun", "1", "--demo"])).await;
    assert_eq!(code, 0, "the same file, from anywhere: {stderr}");
    // The picture at that path changes: the re-run is refused, naming both hashes.
    common::write_png(&imgs, "tmpin3.png", (64, 64), [0, 200, 0, 255], None);
    let (code, _, stderr) =
        run(imgtui(data.path()).current_dir(&other).args(["history", "rerun", "1", "--demo"])).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("changed since (sha256 was ") && stderr.contains(", now "), "{stderr}");
    std::fs::remove_file(imgs.join("tmpin3.png")).unwrap();
    let (code, _, stderr) = run(imgtui(data.path()).args(["history", "rerun", "1", "--demo"])).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is gone (it had sha256 "), "{stderr}");
}

#[tokio::test]
async fn an_empty_search_says_nothing_matches_and_json_errors_stay_json() {
    let data = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(imgtui(data.path()).args(["generate", "a fox", "--demo"])).await;
    assert_eq!(code, 0, "{stderr}");
    let (_, stdout, _) = run(imgtui(data.path()).args(["history", "--search", "zzz"])).await;
    assert_eq!(stdout.trim(), "no job matches \"zzz\"");
    let (_, stdout, _) = run(imgtui(data.path()).args(["history", "--status", "failed"])).await;
    assert_eq!(stdout.trim(), "no job matches status failed");
    let (code, stdout, _) = run(imgtui(data.path()).args(["history", "show", "999", "--json"])).await;
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).expect("JSON even for an error");
    assert_eq!(v["ok"], false);
}

#[tokio::test]
async fn the_log_says_what_each_job_did() {
    let data = tempfile::tempdir().unwrap();
    let (code, _, stderr) =
        run(imgtui(data.path()).env_remove("IMGTUI_LOG").args(["generate", "a fox", "--demo"])).await;
    assert_eq!(code, 0, "{stderr}");
    let (code, _, _) = run(imgtui(data.path()).args(["generate", "a fox", "--demo", "-m", "gpt-image-9"])).await;
    assert_eq!(code, 1);
    let log = std::fs::read_to_string(data.path().join("state/imgtui.log")).unwrap();
    assert!(log.contains("job submitted") && log.contains("job=1") && log.contains("job done"), "{log}");
    assert!(log.contains("job=2") && log.contains("job failed") && log.contains("model_not_found"), "{log}");
}

#[tokio::test]
async fn an_unwritable_out_dir_falls_back_to_the_usual_images_folder_first() {
    let data = tempfile::tempdir().unwrap();
    let blocker = data.path().join("a-file");
    std::fs::write(&blocker, b"not a directory").unwrap();
    let (code, stdout, stderr) =
        run(imgtui(data.path()).args(["generate", "a kept fox", "--demo", "--json", "--out"]).arg(blocker.join("x")))
            .await;
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    let path = PathBuf::from(v["images"][0]["path"].as_str().unwrap());
    assert!(path.starts_with(data.path().join("images")), "{path:?}");
}

/// gpt-image-2.6's animated GIF through the demo: the file is stored as sent (a GIF of the
/// asked frames and time), and the history keeps what was asked.
#[tokio::test]
async fn a_gif_is_stored_as_sent_with_its_frames_and_the_history_keeps_them() {
    use image::AnimationDecoder;
    let data = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(imgtui(data.path()).args([
        "generate",
        "a fox running",
        "--demo",
        "-m",
        "gpt-image-2.6-flare",
        "--format",
        "gif",
        "--frames",
        "4",
        "--frame-ms",
        "100",
        "--size",
        "816x816",
    ]))
    .await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("816x816 gif"), "{stdout}");
    let job = common::job_json(data.path(), 1).await;
    assert_eq!(
        (job["request"]["frame_count"].as_u64(), job["request"]["frame_duration_ms"].as_u64()),
        (Some(4), Some(100))
    );
    let path = job["images"][0]["path"].as_str().unwrap().to_string();
    assert!(path.ends_with(".gif"), "{path}");
    let file = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
    let frames = image::codecs::gif::GifDecoder::new(file).unwrap().into_frames().collect_frames().unwrap();
    assert_eq!(frames.len(), 4);
    assert_eq!(frames[0].delay().numer_denom_ms(), (100, 1));
    assert_ne!(frames[0].buffer(), frames[1].buffer(), "it moves");
    // Asked with a stream, it is refused before anything is sent (exit 2, the rule named).
    let (code, _, stderr) = run(imgtui(data.path()).args([
        "generate",
        "a fox",
        "--demo",
        "-m",
        "gpt-image-2.6-flare",
        "--format",
        "gif",
        "--partial-images",
        "2",
    ]))
    .await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("a GIF answer is not streamed"), "{stderr}");
}

/// gpt-image-2.6's SVG through the demo: the SVG is stored as sent with the raster that came
/// with it, the history records the text model that wrote it, and `show` takes the SVG.
#[tokio::test]
async fn an_svg_is_stored_as_sent_with_its_raster_and_the_writer_is_recorded() {
    let data = tempfile::tempdir().unwrap();
    let args = ["generate", "a fox", "--demo", "-m", "gpt-image-2.6-flare", "--format", "svg", "--size", "1024x1024"];
    let (code, stdout, stderr) = run(imgtui(data.path()).args(args)).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("1024x1024 svg"), "{stdout}");
    assert!(stdout.contains("1024x1024 png"), "the raster too: {stdout}");
    let job = common::job_json(data.path(), 1).await;
    assert_eq!(job["request"]["svg"]["model"].as_str(), Some("gpt-5-mini"), "{job}");
    let svg = job["images"][0]["path"].as_str().unwrap().to_string();
    assert!(svg.ends_with(".svg"), "{svg}");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("<circle"), "{text:.200}");
    // `show` into a pipe names the file; it is an image to it.
    let (code, stdout, stderr) = run(imgtui(data.path()).args(["show", &svg])).await;
    assert_eq!((code, stdout.trim()), (0, svg.as_str()), "{stderr}");
    // Asked for two, refused before anything is sent.
    let (code, _, stderr) = run(imgtui(data.path()).args([
        "generate",
        "a fox",
        "--demo",
        "-m",
        "gpt-image-2.6-flare",
        "--format",
        "svg",
        "-n",
        "2",
    ]))
    .await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("n must be 1 with output_format svg"), "{stderr}");
}

/// Markup from the shell: `imgtui markup` draws the marks, `edit --markup` sends them as the
/// `markup` part and the history keeps the file beside the inputs; with a mask, exit 2.
#[tokio::test]
async fn markup_made_headlessly_is_sent_with_the_edit_and_recorded_and_refused_with_a_mask() {
    let data = tempfile::tempdir().unwrap();
    let photo = common::write_gradient_png(data.path(), "photo.png", (1024, 1024));
    let marks = data.path().join("marks.png");
    let marks_arg = marks.to_str().unwrap();
    let photo_arg = photo.to_str().unwrap();
    let (code, stdout, stderr) = run(imgtui(data.path()).args([
        "markup",
        photo_arg,
        "--ellipse",
        "300,200,240,160",
        "--arrow",
        "40,40,300,220",
        "--colour",
        "yellow",
        "--out",
        marks_arg,
    ]))
    .await;
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("2 marks in yellow"), "{stdout}");
    let drawn = image::open(&marks).unwrap().into_rgba8();
    assert_eq!(drawn.dimensions(), (1024, 1024));
    assert_eq!(drawn.get_pixel(300, 280).0, [255, 220, 0, 255], "the ring's left side, in yellow");
    assert_eq!(drawn.get_pixel(420, 280)[3], 0, "inside the ring: nothing");
    // A point off the image is named.
    let (code, _, stderr) =
        run(imgtui(data.path()).args(["markup", photo_arg, "--arrow", "0,0,2000,10", "--out", marks_arg])).await;
    assert_eq!(code, 2);
    assert!(stderr.contains("--arrow: the point 2000,10 is past the image's 1024x1024 pixels"), "{stderr}");

    let edit = ["edit", "make the circled cup blue", "--demo", "-m", "gpt-image-2.6-flare", "--image", photo_arg];
    let (code, stdout, stderr) = run(imgtui(data.path()).args(edit).args(["--markup", marks_arg])).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    let job = common::job_json(data.path(), 1).await;
    let roles: Vec<&str> = job["inputs"].as_array().unwrap().iter().map(|i| i["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["image", "markup"], "{job}");
    assert!(job["request"]["markup"].as_str().unwrap().ends_with("marks.png"), "{job}");

    let (code, _, stderr) =
        run(imgtui(data.path()).args(edit).args(["--markup", marks_arg, "--mask", marks_arg])).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("markup and a mask cannot go together"), "{stderr}");
}

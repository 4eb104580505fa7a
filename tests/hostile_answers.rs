//! A hostile world, round three (issue 29): answers a server made and billed, with something
//! wrong in them. Whatever it lied about, the images it sent are kept, never paid for twice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::liar::{Answer, Liar, images_body};

async fn generate(liar: &Liar, data: &std::path::Path, extra: &[&str]) -> std::process::Output {
    common::imgtui_at(data, "sk-test", &liar.base_url())
        .args(["generate", "a fox", "-m", "gpt-image-2", "-q", "low", "-s", "1024x1024"])
        .args(extra)
        .output()
        .await
        .unwrap()
}

/// `imgtui history cost --json` of the history at `data`.
async fn history_cost(data: &std::path::Path) -> serde_json::Value {
    let cost = common::imgtui_tokio()
        .env("XDG_CONFIG_HOME", data.join("config"))
        .arg("--data-dir")
        .arg(data)
        .args(["history", "cost", "--json"])
        .output()
        .await
        .unwrap();
    serde_json::from_slice(&cost.stdout).unwrap()
}

fn images_in(data: &std::path::Path) -> Vec<std::path::PathBuf> {
    let dir = data.join("images");
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "png")).collect())
        .unwrap_or_default();
    found.sort();
    found
}

#[tokio::test]
async fn a_usage_that_lies_costs_no_image_and_leaves_the_tokens_unknown() {
    let lies = [
        r#"{"input_tokens":null,"output_tokens":196,"total_tokens":200}"#,
        r#"{"input_tokens":-4,"output_tokens":196,"total_tokens":192}"#,
        r#"{"input_tokens":4.5,"output_tokens":196,"total_tokens":200}"#,
        r#"{"input_tokens":"4","output_tokens":196,"total_tokens":200}"#,
        r#"{"input_tokens":4,"output_tokens":1e30,"total_tokens":200}"#,
        r#"{"input_tokens":4,"output_tokens":18446744073709551615,"total_tokens":18446744073709551615}"#,
        r#""lots""#,
        // Past what any JSON reader takes: the body is read again without its usage.
        r#"{"input_tokens":4,"output_tokens":1e400,"total_tokens":200}"#,
        r#"{"input_tokens":4,"output_tokens":NaN,"total_tokens":200}"#,
        r#"{"input_tokens":4,"output_tokens":196,"note":"\ud800"}"#,
        // An image said to be free.
        r#"{"input_tokens":0,"output_tokens":0,"total_tokens":0}"#,
        r#"{"input_tokens":4,"output_tokens":1,"total_tokens":5}"#,
        // Under half what OpenAI's formula gives a low 1024x1024 image (196).
        r#"{"input_tokens":4,"output_tokens":90,"total_tokens":94}"#,
    ];
    let deep = format!("{}1{}", "[".repeat(2000), "]".repeat(2000));
    for usage in lies.into_iter().chain([deep.as_str()]) {
        let liar = Liar::start(Answer::json(200, images_body(1, usage))).await;
        let data = tempfile::tempdir().unwrap();
        let out = generate(&liar, data.path(), &[]).await;
        assert!(out.status.success(), "{usage}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(images_in(data.path()).len(), 1, "{usage}: the image is kept");
        let job = common::job_json(data.path(), 1).await;
        assert_eq!(job["status"], "done", "{usage}: {job}");
        assert!(job["usage"].is_null(), "{usage}: tokens unknown: {job}");
        // No cost from numbers nobody can believe: the estimate counts against the budgets.
        assert_eq!(job["cost"]["basis"], "estimate", "{usage}: {job}");
        assert_eq!(liar.requests(), 1, "{usage}: sent once");
    }
}

#[tokio::test]
async fn a_breakdown_gateways_send_as_null_drops_the_breakdown_alone() {
    let usage = r#"{"input_tokens":4,"output_tokens":196,"total_tokens":200,
                    "output_tokens_details":{"image_tokens":null,"text_tokens":0}}"#;
    let liar = Liar::start(Answer::json(200, images_body(1, usage))).await;
    let data = tempfile::tempdir().unwrap();
    let out = generate(&liar, data.path(), &[]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let job = common::job_json(data.path(), 1).await;
    assert_eq!(job["usage"]["total_tokens"], 200, "{job}");
    assert!(job["usage"]["output_tokens_details"].is_null(), "{job}");
    assert!(job["cost"]["usd"].as_f64().is_some_and(|usd| usd > 0.0), "priced from the counts: {job}");
}

#[tokio::test]
async fn tokens_a_server_poisoned_never_break_the_sums_or_the_budgets() {
    let usage = r#"{"input_tokens":4,"output_tokens":9000000000000000000,"total_tokens":9000000000000000004}"#;
    let liar = Liar::start(Answer::json(200, images_body(1, usage))).await;
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("config/imgtui");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "budget_monthly_usd = 5\n").unwrap();
    for _ in 0..2 {
        let out = generate(&liar, data.path(), &[]).await;
        assert!(out.status.success(), "the budget still admits: {}", String::from_utf8_lossy(&out.stderr));
    }
    let tokens = common::imgtui_tokio()
        .env("XDG_CONFIG_HOME", data.path().join("config"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["history", "tokens", "--json"])
        .output()
        .await
        .unwrap();
    assert!(tokens.status.success(), "{}", String::from_utf8_lossy(&tokens.stderr));
    let report = history_cost(data.path()).await;
    let total = report["total"]["cost_usd"].as_f64().unwrap();
    assert!(total < 0.1, "two estimates, nothing absurd: {report}");
}

/// A cost an older imgtui stored from a poisoned answer (before such numbers were refused)
/// is not believed when read: the reports and the budgets count it at its estimate.
#[tokio::test]
async fn a_poisoned_cost_already_in_the_history_does_not_lock_the_budgets() {
    let usage = r#"{"input_tokens":4,"output_tokens":196,"total_tokens":200}"#;
    let liar = Liar::start(Answer::json(200, images_body(1, usage))).await;
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("config/imgtui");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "budget_monthly_usd = 5\n").unwrap();
    assert!(generate(&liar, data.path(), &[]).await.status.success());
    let db = rusqlite::Connection::open(data.path().join("history.sqlite3")).unwrap();
    db.execute("UPDATE jobs SET cost_usd = 645636042579834, estimate_usd = 1e308, total_tokens = -1", []).unwrap();
    drop(db);
    let out = generate(&liar, data.path(), &[]).await;
    assert!(out.status.success(), "the budget still admits: {}", String::from_utf8_lossy(&out.stderr));
    let report = history_cost(data.path()).await;
    let total = report["total"]["cost_usd"].as_f64().unwrap();
    assert!(total < 0.1, "nothing absurd: {report}");
    // Nor is it shown as the job's cost.
    let job = common::job_json(data.path(), 1).await;
    assert!(job["cost"].is_null(), "{job}");
}

#[tokio::test]
async fn an_answer_of_more_images_than_asked_keeps_what_was_asked() {
    let usage = r#"{"input_tokens":4,"output_tokens":196,"total_tokens":200}"#;
    let liar = Liar::start(Answer::json(200, images_body(40, usage))).await;
    let data = tempfile::tempdir().unwrap();
    let out = generate(&liar, data.path(), &["-n", "2"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(images_in(data.path()).len(), 2, "two asked, two kept");
    assert!(stderr.contains("the server sent 40 images for the 2 asked"), "{stderr}");
    let job = common::job_json(data.path(), 1).await;
    assert_eq!(job["images"].as_array().map(Vec::len), Some(2), "{job}");
}

#[tokio::test]
async fn an_answer_that_breaks_off_keeps_its_whole_images_and_is_not_sent_again() {
    let usage = r#"{"input_tokens":4,"output_tokens":392,"total_tokens":396}"#;
    let body = images_body(2, usage);
    // Cut in the middle of the second image: the first had arrived whole.
    let second = body.match_indices("b64_json").nth(1).unwrap().0;
    let liar = Liar::start(Answer { cut_after: Some(second + 40), ..Answer::json(200, body.clone()) }).await;
    let data = tempfile::tempdir().unwrap();
    let out = generate(&liar, data.path(), &["-n", "2"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(liar.requests(), 1, "made and billed: not sent again\n{stderr}");
    assert_eq!(images_in(data.path()).len(), 1, "the whole image is kept\n{stderr}");
    assert!(stderr.contains("broke off after"), "{stderr}");
    // Cut before any image was whole: nothing to keep, and still not sent again.
    let liar = Liar::start(Answer { cut_after: Some(60), ..Answer::json(200, body) }).await;
    let data = tempfile::tempdir().unwrap();
    let out = generate(&liar, data.path(), &["-n", "2"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(liar.requests(), 1, "{stderr}");
    assert!(stderr.contains("was not re-sent"), "{stderr}");
}

/// A real 11000x11000 PNG (one bit per pixel, so it is small on the wire), base64.
fn huge_png_b64(dir: &std::path::Path) -> String {
    use base64::Engine as _;
    let path = dir.join("huge.png");
    {
        let mut encoder = png::Encoder::new(std::fs::File::create(&path).unwrap(), 11_000, 11_000);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&vec![0u8; 11_000_usize.div_ceil(8) * 11_000]).unwrap();
        writer.finish().unwrap();
    }
    base64::engine::general_purpose::STANDARD.encode(std::fs::read(&path).unwrap())
}

#[tokio::test]
async fn a_result_too_big_to_compose_is_kept_as_it_came_and_said_so() {
    let data = tempfile::tempdir().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let body = format!("{{\"created\":1,\"data\":[{{\"b64_json\":\"{}\"}}]}}", huge_png_b64(scratch.path()));
    let liar = Liar::start(Answer::json(200, body)).await;
    let input = common::write_png(data.path(), "in.png", (64, 64), [200, 10, 10, 255], None);
    let mask = common::write_png(data.path(), "mask.png", (64, 64), [0, 0, 0, 255], Some((8, 8, 16, 16)));
    let out = common::imgtui_at(data.path(), "sk-test", &liar.base_url())
        .args(["edit", "a hat", "-m", "gpt-image-2", "--keep-unmasked", "--mask"])
        .arg(&mask)
        .arg("--image")
        .arg(&input)
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("kept as returned") && stderr.contains("11000x11000 is larger than any model draws"),
        "{stderr}"
    );
    assert_eq!(images_in(data.path()).len(), 1, "the answer itself, no composed twin");
}

#[tokio::test]
async fn an_answer_that_was_made_but_never_kept_still_counts_against_the_budget() {
    let usage = r#"{"input_tokens":4,"output_tokens":196,"total_tokens":200}"#;
    let liar = Liar::start(Answer { cut_after: Some(60), ..Answer::json(200, images_body(1, usage)) }).await;
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("config/imgtui");
    std::fs::create_dir_all(&config).unwrap();
    let each = common::estimate_usd("gpt-image-2", "low", "1024x1024", 1, "a fox".len());
    std::fs::write(config.join("config.toml"), format!("budget_daily_usd = {:.5}\n", each * 1.5)).unwrap();
    let first = generate(&liar, data.path(), &[]).await;
    assert_eq!(first.status.code(), Some(1), "{}", String::from_utf8_lossy(&first.stderr));
    let job = common::job_json(data.path(), 1).await;
    assert_eq!((job["status"].as_str(), job["cost"]["basis"].as_str()), (Some("failed"), Some("estimate")), "{job}");
    let second = generate(&liar, data.path(), &[]).await;
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "the first was billed: {stderr}");
    assert!(stderr.contains("would pass the daily budget"), "{stderr}");
    assert_eq!(liar.requests(), 1, "{stderr}");
}

#[tokio::test]
async fn a_key_in_the_base_urls_path_is_never_stored_nor_shown() {
    let liar = Liar::start(Answer::json(200, images_body(1, r#"{"total_tokens":9}"#))).await;
    let data = tempfile::tempdir().unwrap();
    let key = "sk-test-INPATH-0123456789";
    let base = format!("http://{}/{key}/v1", liar.addr);
    let out = common::imgtui_at(data.path(), key, &base)
        .args(["generate", "a fox", "-m", "gpt-image-2"])
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shown = common::imgtui_at(data.path(), key, &base).args(["history", "show", "1"]).output().await.unwrap();
    let models = common::imgtui_at(data.path(), key, &base).args(["models"]).output().await.unwrap();
    let history = std::fs::read(data.path().join("history.sqlite3")).unwrap();
    let cache = std::fs::read(data.path().join("models-cache.json")).unwrap_or_default();
    let everything = [&out.stdout, &out.stderr, &shown.stdout, &models.stdout, &models.stderr, &history, &cache]
        .iter()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect::<String>();
    assert!(!everything.contains("INPATH-0123456789"), "the key leaked");
    assert!(String::from_utf8_lossy(&shown.stdout).contains("endpoint"), "the endpoint is still named");
}

#[tokio::test]
async fn a_result_link_that_cannot_be_fetched_is_kept_in_the_message_and_names_its_own_host() {
    let liar =
        Liar::start(Answer::json(200, r#"{"created":1,"data":[{"url":"http://127.0.0.1:1/result.png"}]}"#)).await;
    let data = tempfile::tempdir().unwrap();
    let out = common::imgtui_at(data.path(), "sk-test", &liar.base_url())
        .args(["--retries", "0", "generate", "a fox", "-m", "gpt-image-2"])
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("may still be at http://127.0.0.1:1/result.png"), "{stderr}");
    assert!(stderr.contains("cannot connect to http://127.0.0.1:1/result.png"), "its own host: {stderr}");
}

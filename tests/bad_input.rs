//! Bad input through the real binary: every case exits 2 with a message naming the field and
//! the rule, and nothing reaches the server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

fn imgtui(data: &Path, base_url: &str) -> Command {
    let mut cmd = common::imgtui_std();
    // A day when OpenAI still served every model these rules are about.
    cmd.env_remove("TTAPI_API_KEY")
        .env("IMGTUI_TODAY", "2026-01-01")
        .env("OPENAI_API_KEY", "sk-test")
        .env("XDG_CONFIG_HOME", data.join("config"))
        .arg("--data-dir")
        .arg(data)
        .args(["--base-url", base_url]);
    cmd
}

#[tokio::test]
async fn thirty_bad_inputs_exit_2_name_the_rule_and_send_nothing() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    // The rules below are those of gpt-image-1 where no -m is given.
    std::fs::create_dir_all(d.join("config/imgtui")).unwrap();
    std::fs::write(d.join("config/imgtui/config.toml"), "default_model = \"gpt-image-1\"\n").unwrap();
    let square = common::write_png(d, "square.png", (64, 64), [1, 2, 3, 255], None);
    let wide = common::write_png(d, "wide.png", (80, 40), [1, 2, 3, 255], None);
    let jpeg = common::write_jpeg(d, "photo.jpg", (64, 64));
    let text = d.join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    let big = common::write_png(d, "big.png", (64, 64), [1, 2, 3, 255], None);
    std::fs::OpenOptions::new().write(true).open(&big).unwrap().set_len(5 * 1024 * 1024).unwrap();
    let opaque_mask = common::write_png(d, "opaque.png", (64, 64), [0, 0, 0, 255], None);
    let small_mask = common::write_png(d, "small.png", (32, 32), [0, 0, 0, 255], Some((0, 0, 4, 4)));
    let missing = d.join("missing.png");
    let dir = d.join("a-directory");
    std::fs::create_dir(&dir).unwrap();
    let p = |p: &Path| p.display().to_string();
    let long = |n: usize| "x".repeat(n);

    let generate = |args: &[&str]| -> Vec<String> {
        let mut v = vec!["generate".to_string()];
        v.extend(args.iter().map(|s| s.to_string()));
        v
    };
    let edit = |args: &[String]| -> Vec<String> {
        let mut v = vec!["edit".to_string()];
        v.extend(args.iter().cloned());
        v
    };
    let s = |x: &str| x.to_string();
    let cases: Vec<(Vec<String>, String)> = vec![
        (generate(&[""]), s("prompt: is empty")),
        (generate(&["   "]), s("prompt: is empty")),
        (generate(&["a fox", "--out", &p(&text)]), s("out: ") + &p(&text) + " is a file, not a folder"),
        (
            generate(&[&long(1001), "-m", "dall-e-2"]),
            s("prompt: 1001 characters is over the 1000-character limit of dall-e-2"),
        ),
        (
            generate(&[&long(4001), "-m", "dall-e-3"]),
            s("prompt: 4001 characters is over the 4000-character limit of dall-e-3"),
        ),
        (generate(&[&long(32001)]), s("prompt: 32001 characters is over the 32000-character limit of gpt-image-1")),
        (generate(&["fox", "-n", "0"]), s("n: 0 is not allowed for gpt-image-1 (allowed: 1-10)")),
        (generate(&["fox", "-n", "11"]), s("n: 11 is not allowed for gpt-image-1 (allowed: 1-10)")),
        (generate(&["fox", "-n", "2", "-m", "dall-e-3"]), s("n: 2 is not allowed for dall-e-3 (allowed: 1 only)")),
        (generate(&["fox", "-s", "2048x2048"]), s("size: \"2048x2048\" is not allowed for gpt-image-1")),
        (generate(&["fox", "-s", "auto", "-m", "dall-e-2"]), s("size: \"auto\" is not allowed for dall-e-2")),
        (
            generate(&["fox", "-q", "hd"]),
            s("quality: \"hd\" is not allowed for gpt-image-1 (allowed: low, medium, high, auto)"),
        ),
        (
            generate(&["fox", "--format", "gif"]),
            s("output_format: \"gif\" is not allowed for gpt-image-1 (allowed: png, jpeg, webp)"),
        ),
        (
            generate(&["fox", "--format", "png", "-m", "dall-e-3"]),
            s("output_format: \"png\" is not accepted by dall-e-3"),
        ),
        (
            generate(&["fox", "--compression", "50"]),
            s("output_compression: 50 needs output_format jpeg or webp (output_format is png)"),
        ),
        (generate(&["fox", "--compression", "101", "--format", "webp"]), s("output_compression: 101 is not in 0-100")),
        (
            generate(&["fox", "--background", "transparent", "--format", "jpeg"]),
            s("background: transparent needs output_format png or webp (output_format is jpeg)"),
        ),
        (
            generate(&["fox", "--style", "vivid"]),
            s("style: \"vivid\" is not accepted by gpt-image-1 (no model in use here takes it)"),
        ),
        (
            generate(&["fox", "--response-format", "url"]),
            s("response_format: \"url\" is not accepted by gpt-image-1 (it always returns b64_json)"),
        ),
        (generate(&["fox", "-m", " "]), s("model: is empty")),
        (edit(&[s("hat")]), s("image: an edit needs at least one input image")),
        (
            edit(&[s("hat"), s("--mask"), p(&opaque_mask)]),
            s("image: an edit needs at least one input image (a mask alone is not enough)"),
        ),
        (edit(&[s("hat"), s("--image"), p(&missing)]), format!("image: {}: cannot read it", p(&missing))),
        (edit(&[s("hat"), s("--image"), p(&dir)]), format!("image: {}: it is a directory, not an image file", p(&dir))),
        (
            edit(&[s("hat"), s("--image"), p(&text)]),
            format!("image: {}: not a PNG, JPEG, WebP, GIF or SVG image", p(&text)),
        ),
        (
            edit(&[s("hat"), s("-m"), s("dall-e-2"), s("--image"), p(&jpeg)]),
            format!("image: {} is jpeg; dall-e-2 accepts png", p(&jpeg)),
        ),
        (
            edit(&[s("hat"), s("-m"), s("dall-e-2"), s("--image"), p(&big)]),
            format!("image: {} is 5.0 MB; dall-e-2 accepts files under 4.0 MB", p(&big)),
        ),
        (
            edit(&[s("hat"), s("-m"), s("dall-e-2"), s("--image"), p(&wide)]),
            format!("image: {} is 80x40; dall-e-2 needs a square image", p(&wide)),
        ),
        (
            edit(
                &std::iter::once(s("hat")).chain((0..17).flat_map(|_| [s("--image"), p(&square)])).collect::<Vec<_>>(),
            ),
            s("image: 17 images given; gpt-image-1 accepts at most 16"),
        ),
        (edit(&[s("hat"), s("-m"), s("dall-e-3"), s("--image"), p(&square)]), s("model: dall-e-3 cannot edit images")),
        (
            edit(&[s("hat"), s("--image"), p(&square), s("--mask"), p(&jpeg)]),
            format!("mask: {} is jpeg; the mask must be a PNG", p(&jpeg)),
        ),
        (
            edit(&[s("hat"), s("--image"), p(&square), s("--mask"), p(&small_mask)]),
            format!("mask: {} is 32x32 but the first image is 64x64; they must be the same size", p(&small_mask)),
        ),
        (
            edit(&[s("hat"), s("--image"), p(&square), s("--mask"), p(&opaque_mask)]),
            format!("mask: {} has no fully transparent pixel (alpha 0), so nothing would be edited", p(&opaque_mask)),
        ),
    ];
    assert!(cases.len() >= 30);
    for (args, expected) in &cases {
        let out = imgtui(d, server.base_url()).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let shown: String =
            args.iter().map(|a| if a.len() > 40 { "<long>" } else { a.as_str() }).collect::<Vec<_>>().join(" ");
        assert_eq!(out.status.code(), Some(2), "{shown}: {stderr}");
        assert!(stderr.contains(expected.as_str()), "{shown}: expected {expected:?} in {stderr}");
    }
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[test]
fn bad_config_and_base_url_exit_2() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let config = d.join("c.toml");
    for (text, expected) in [
        ("max_retries = [", format!("config file {}, line 1", config.display())),
        (
            "provider = \"openai\"\ncolour = 1\n",
            format!("config file {}, line 2: unknown field `colour`", config.display()),
        ),
        (
            "[models.x]\nlike = \"nope\"\n",
            format!("config file {}, [models.\"x\"]: `like = \"nope\"` names no known model", config.display()),
        ),
        (
            "base_url = \"ftp://example\"\n",
            "base_url \"ftp://example\" must start with http:// or https://".to_string(),
        ),
    ] {
        std::fs::write(&config, text).unwrap();
        let out = common::imgtui_std()
            .env("OPENAI_API_KEY", "k")
            .arg("--data-dir")
            .arg(d)
            .arg("--config")
            .arg(&config)
            .args(["generate", "a fox"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text}: {stderr}");
        assert!(stderr.contains(&expected), "{text}: expected {expected:?} in {stderr}");
    }
}

#[test]
fn a_bad_demo_latency_is_refused_by_every_command_that_starts_a_demo_server() {
    // `serve-demo` used to start with its default latency instead.
    let data = tempfile::tempdir().unwrap();
    let cases = [("1000-soon", "expected N or MIN-MAX milliseconds"), ("3000-1000", "MIN-MAX needs MIN at most MAX")];
    for args in [&["serve-demo"][..], &["--demo", "generate", "a fox"], &["--demo", "models"]] {
        for (value, rule) in cases {
            let out = common::imgtui_std()
                .arg("--data-dir")
                .arg(data.path())
                .args(["--demo-latency-ms", value])
                .args(args)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?} {value}: {stderr}");
            assert!(stderr.contains(&format!("'--demo-latency-ms <MS>': {rule}")), "{args:?}: {stderr}");
        }
    }
}

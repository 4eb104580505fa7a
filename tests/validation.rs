//! Every rule of the model table, through `validate()`, with the message the user sees.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs::OpenOptions;
use std::path::PathBuf;

use imgtui::api::{EditRequest, FieldError, GenerateRequest, ModelTable, Provider};

fn models() -> ModelTable {
    ModelTable::builtin()
}

fn gen_errors(model: &str, prompt: &str, edit: impl FnOnce(&mut GenerateRequest)) -> Vec<String> {
    let mut req = GenerateRequest::new(model, prompt);
    edit(&mut req);
    req.validate(&models()).err().unwrap_or_default().iter().map(FieldError::to_string).collect()
}

fn edit_errors(req: &EditRequest, provider: Option<Provider>) -> Vec<String> {
    req.validate(&models(), provider.unwrap_or(Provider::Openai))
        .err()
        .unwrap_or_default()
        .iter()
        .map(FieldError::to_string)
        .collect()
}

#[track_caller]
fn assert_has(errors: &[String], expected: &str) {
    assert!(errors.iter().any(|e| e == expected), "expected {expected:?} in {errors:#?}");
}

#[track_caller]
fn assert_contains(errors: &[String], part: &str) {
    assert!(errors.iter().any(|e| e.contains(part)), "expected an error containing {part:?} in {errors:#?}");
}

#[test]
fn a_valid_request_of_each_seed_model_passes() {
    for model in ["gpt-image-1", "dall-e-2", "dall-e-3"] {
        assert_eq!(gen_errors(model, "a red fox", |_| {}), Vec::<String>::new(), "{model}");
    }
}

#[test]
fn prompt_empty_whitespace_and_too_long() {
    assert_has(&gen_errors("gpt-image-1", "", |_| {}), "prompt: is empty; describe the image you want");
    assert_has(&gen_errors("gpt-image-1", "  \n\t", |_| {}), "prompt: is empty; describe the image you want");
    let long = "x".repeat(1001);
    assert_has(
        &gen_errors("dall-e-2", &long, |_| {}),
        "prompt: 1001 characters is over the 1000-character limit of dall-e-2",
    );
    assert_has(
        &gen_errors("dall-e-3", &"é".repeat(4001), |_| {}),
        "prompt: 4001 characters is over the 4000-character limit of dall-e-3",
    );
    assert!(gen_errors("dall-e-3", &"é".repeat(4000), |_| {}).is_empty(), "limit counts characters, not bytes");
    assert_has(
        &gen_errors("gpt-image-1", &"x".repeat(32_001), |_| {}),
        "prompt: 32001 characters is over the 32000-character limit of gpt-image-1",
    );
}

#[test]
fn n_out_of_range_and_more_than_one_for_dall_e_3() {
    assert_has(
        &gen_errors("gpt-image-1", "p", |r| r.options.n = Some(11)),
        "n: 11 is not allowed for gpt-image-1 (allowed: 1-10)",
    );
    assert_has(
        &gen_errors("dall-e-2", "p", |r| r.options.n = Some(0)),
        "n: 0 is not allowed for dall-e-2 (allowed: 1-10)",
    );
    assert_has(
        &gen_errors("dall-e-3", "p", |r| r.options.n = Some(2)),
        "n: 2 is not allowed for dall-e-3 (allowed: 1 only)",
    );
}

#[test]
fn size_not_allowed_names_the_allowed_sizes() {
    assert_has(
        &gen_errors("dall-e-2", "p", |r| r.options.size = Some("1536x1024".into())),
        "size: \"1536x1024\" is not allowed for dall-e-2 (allowed: 256x256, 512x512, 1024x1024)",
    );
    assert_has(
        &gen_errors("dall-e-3", "p", |r| r.options.size = Some("auto".into())),
        "size: \"auto\" is not allowed for dall-e-3 (allowed: 1024x1024, 1792x1024, 1024x1792)",
    );
    assert!(gen_errors("gpt-image-2", "p", |r| r.options.size = Some("1536x864".into())).is_empty());
    assert_contains(
        &gen_errors("gpt-image-2", "p", |r| r.options.size = Some("1000x1000".into())),
        "any WxH with both sides multiples of 16, aspect ratio at most 3:1, at most 3840x2160",
    );
}

#[test]
fn quality_not_allowed() {
    assert_has(
        &gen_errors("dall-e-3", "p", |r| r.options.quality = Some("low".into())),
        "quality: \"low\" is not allowed for dall-e-3 (allowed: standard, hd)",
    );
    assert_has(
        &gen_errors("gpt-image-1", "p", |r| r.options.quality = Some("hd".into())),
        "quality: \"hd\" is not allowed for gpt-image-1 (allowed: low, medium, high, auto)",
    );
}

#[test]
fn response_format_is_refused_for_gpt_image() {
    assert_has(
        &gen_errors("gpt-image-1", "p", |r| r.options.response_format = Some("url".into())),
        "response_format: \"url\" is not accepted by gpt-image-1 (it always returns b64_json)",
    );
    assert_has(
        &gen_errors("dall-e-2", "p", |r| r.options.response_format = Some("png".into())),
        "response_format: \"png\" is not allowed for dall-e-2 (allowed: url, b64_json)",
    );
}

#[test]
fn output_compression_needs_jpeg_or_webp_and_0_to_100() {
    assert_has(
        &gen_errors("gpt-image-1", "p", |r| r.options.output_compression = Some(50)),
        "output_compression: 50 needs output_format jpeg or webp (output_format is png)",
    );
    assert_has(
        &gen_errors("gpt-image-1", "p", |r| {
            r.options.output_format = Some("jpeg".into());
            r.options.output_compression = Some(101);
        }),
        "output_compression: 101 is not in 0-100",
    );
    assert!(
        gen_errors("gpt-image-1", "p", |r| {
            r.options.output_format = Some("webp".into());
            r.options.output_compression = Some(80);
        })
        .is_empty()
    );
}

#[test]
fn output_format_is_refused_for_dall_e() {
    assert_has(
        &gen_errors("dall-e-3", "p", |r| r.options.output_format = Some("webp".into())),
        "output_format: \"webp\" is not accepted by dall-e-3 (accepted by: gpt-image-2.6-flare, gpt-image-2.6-sunburst, gpt-image-2.5-flare, gpt-image-2.5-sunburst, gpt-image-2, chatgpt-image-latest, gpt-image-1.5, gpt-image-1-mini, gpt-image-1)",
    );
}

#[test]
fn transparent_background_with_jpeg() {
    assert_has(
        &gen_errors("gpt-image-1", "p", |r| {
            r.options.background = Some("transparent".into());
            r.options.output_format = Some("jpeg".into());
        }),
        "background: transparent needs output_format png or webp (output_format is jpeg)",
    );
    assert!(gen_errors("gpt-image-1", "p", |r| r.options.background = Some("transparent".into())).is_empty());
}

#[test]
fn style_only_on_dall_e_3() {
    assert_has(
        &gen_errors("gpt-image-1", "p", |r| r.options.style = Some("vivid".into())),
        "style: \"vivid\" is not accepted by gpt-image-1 (accepted by: dall-e-3)",
    );
    assert_has(
        &gen_errors("dall-e-3", "p", |r| r.options.style = Some("bold".into())),
        "style: \"bold\" is not allowed for dall-e-3 (allowed: vivid, natural)",
    );
}

#[test]
fn moderation_stream_and_fidelity_follow_the_table() {
    assert_has(
        &gen_errors("dall-e-2", "p", |r| r.options.moderation = Some("low".into())),
        "moderation: \"low\" is not accepted by dall-e-2 (accepted by: gpt-image-2.6-flare, gpt-image-2.6-sunburst, gpt-image-2.5-flare, gpt-image-2.5-sunburst, gpt-image-2, chatgpt-image-latest, gpt-image-1.5, gpt-image-1-mini, gpt-image-1)",
    );
    assert_has(
        &gen_errors("gpt-image-1", "p", |r| r.options.partial_images = Some(4)),
        "partial_images: 4 is not allowed for gpt-image-1 (allowed: 0-3)",
    );
    assert_contains(
        &gen_errors("dall-e-3", "p", |r| r.options.stream = Some(true)),
        "stream: \"true\" is not accepted by dall-e-3",
    );
    assert_has(
        &gen_errors("gpt-image-1", "p", |r| r.options.input_fidelity = Some("high".into())),
        "input_fidelity: applies to edits only",
    );
}

#[test]
fn an_unknown_model_is_checked_with_its_familys_rules_and_only_warned() {
    let mut req = GenerateRequest::new("dall-e-9", "p");
    req.options.size = Some("2048x2048".into());
    let warnings = req.validate(&models()).expect("a model the table does not know is sent");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let text = warnings[0].to_string();
    assert!(text.starts_with("size: \"2048x2048\" is not allowed for dall-e-9"), "{text}");
    assert!(text.ends_with("(rules guessed from dall-e-2; sent anyway, the server decides)"), "{text}");
    assert!(GenerateRequest::new("dall-e-9", " ").validate(&models()).is_err(), "an empty prompt still stops it");
}

#[test]
fn all_problems_come_back_at_once() {
    let errors = gen_errors("dall-e-3", "", |r| {
        r.options.n = Some(3);
        r.options.size = Some("1x1".into());
        r.options.quality = Some("ultra".into());
        r.options.style = Some("x".into());
    });
    let fields: Vec<_> = errors.iter().map(|e| e.split(':').next().unwrap_or_default()).collect();
    assert_eq!(fields, ["prompt", "n", "size", "quality", "style"], "{errors:#?}");
}

// ---- edits: files are checked from their headers ----

fn edit(model: &str, images: Vec<PathBuf>) -> EditRequest {
    EditRequest::new(model, "add a hat", images)
}

#[test]
fn edits_with_dall_e_3_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let img = common::write_png(dir.path(), "a.png", (64, 64), [1, 2, 3, 255], None);
    assert_has(
        &edit_errors(&edit("dall-e-3", vec![img]), None),
        "model: dall-e-3 cannot edit images (models that can: gpt-image-2.6-flare, gpt-image-2.6-sunburst, gpt-image-2.5-flare, gpt-image-2.5-sunburst, gpt-image-2, chatgpt-image-latest, gpt-image-1.5, gpt-image-1-mini, gpt-image-1, dall-e-2)",
    );
}

#[test]
fn dall_e_2_needs_one_square_png_under_4_mb() {
    let dir = tempfile::tempdir().unwrap();
    let wide = common::write_png(dir.path(), "wide.png", (300, 200), [1, 2, 3, 255], None);
    let label = wide.display().to_string();
    assert_has(
        &edit_errors(&edit("dall-e-2", vec![wide]), None),
        &format!("image: {label} is 300x200; dall-e-2 needs a square image"),
    );

    let jpeg = common::write_jpeg(dir.path(), "photo.jpg", (64, 64));
    let label = jpeg.display().to_string();
    assert_has(
        &edit_errors(&edit("dall-e-2", vec![jpeg]), None),
        &format!("image: {label} is jpeg; dall-e-2 accepts png"),
    );

    // A valid header followed by padding: the size check reads the file size, not the pixels.
    let big = common::write_png(dir.path(), "big.png", (64, 64), [1, 2, 3, 255], None);
    OpenOptions::new().write(true).open(&big).unwrap().set_len(4 * 1024 * 1024).unwrap();
    let label = big.display().to_string();
    assert_has(
        &edit_errors(&edit("dall-e-2", vec![big]), None),
        &format!("image: {label} is 4.0 MB; dall-e-2 accepts files under 4.0 MB"),
    );

    let a = common::write_png(dir.path(), "a.png", (64, 64), [1, 2, 3, 255], None);
    let b = common::write_png(dir.path(), "b.png", (64, 64), [1, 2, 3, 255], None);
    assert_has(&edit_errors(&edit("dall-e-2", vec![a, b]), None), "image: 2 images given; dall-e-2 accepts exactly 1");
}

#[test]
fn at_most_16_images_for_gpt_image() {
    let dir = tempfile::tempdir().unwrap();
    let one = common::write_png(dir.path(), "a.png", (32, 32), [1, 2, 3, 255], None);
    assert!(edit_errors(&edit("gpt-image-1", vec![one.clone(); 16]), None).is_empty());
    assert_has(
        &edit_errors(&edit("gpt-image-1", vec![one; 17]), None),
        "image: 17 images given; gpt-image-1 accepts at most 16",
    );
}

#[test]
fn provider_upload_cap_applies() {
    let dir = tempfile::tempdir().unwrap();
    let big = common::write_png(dir.path(), "big.png", (32, 32), [1, 2, 3, 255], None);
    OpenOptions::new().write(true).open(&big).unwrap().set_len(26 * 1024 * 1024).unwrap();
    let label = big.display().to_string();
    assert!(edit_errors(&edit("gpt-image-1", vec![big.clone()]), None).is_empty(), "under OpenAI's 50 MB");
    assert_has(
        &edit_errors(&edit("gpt-image-1", vec![big]), Some(Provider::Ttapi)),
        &format!("image: {label} is 26.0 MB; gpt-image-1 accepts files under 25.0 MB"),
    );
}

#[test]
fn ttapi_edits_only_with_the_models_its_documentation_lists() {
    let dir = tempfile::tempdir().unwrap();
    let img = common::write_png(dir.path(), "a.png", (64, 64), [1, 2, 3, 255], None);
    assert!(edit_errors(&edit("gpt-image-2", vec![img.clone()]), Some(Provider::Ttapi)).is_empty());
    assert!(edit_errors(&edit("gpt-image-2-2026-04-21", vec![img.clone()]), Some(Provider::Ttapi)).is_empty());
    assert_has(
        &edit_errors(&edit("gpt-image-2.5-flare", vec![img.clone()]), Some(Provider::Ttapi)),
        "model: TTAPI edits only with gpt-image-2, gpt-image-1.5, gpt-image-1, dall-e-2 \
         (gpt-image-2.5-flare is not offered there)",
    );
    assert!(edit_errors(&edit("gpt-image-2.5-flare", vec![img]), Some(Provider::Openai)).is_empty());
}

#[test]
fn files_that_are_not_images_missing_or_directories() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    let missing = dir.path().join("missing.png");
    let errors = edit_errors(&edit("gpt-image-1", vec![text.clone(), missing.clone(), dir.path().to_path_buf()]), None);
    assert_has(&errors, &format!("image: {}: not a PNG, JPEG, WebP, GIF or SVG image", text.display()));
    assert_contains(&errors, &format!("image: {}: cannot read it:", missing.display()));
    assert_has(&errors, &format!("image: {}: it is a directory, not an image file", dir.path().display()));
}

#[test]
fn mask_rules() {
    let dir = tempfile::tempdir().unwrap();
    let img = common::write_png(dir.path(), "img.png", (64, 64), [9, 9, 9, 255], None);

    let mut req = edit("gpt-image-1", vec![img.clone()]);
    req.mask = Some(common::write_jpeg(dir.path(), "mask.jpg", (64, 64)));
    assert_has(
        &edit_errors(&req, None),
        &format!("mask: {} is jpeg; the mask must be a PNG", req.mask.as_ref().unwrap().display()),
    );

    req.mask = Some(common::write_png(dir.path(), "small.png", (32, 32), [0, 0, 0, 255], Some((0, 0, 4, 4))));
    assert_has(
        &edit_errors(&req, None),
        &format!(
            "mask: {} is 32x32 but the first image is 64x64; they must be the same size",
            req.mask.as_ref().unwrap().display()
        ),
    );

    req.mask = Some(common::write_png(dir.path(), "opaque.png", (64, 64), [0, 0, 0, 255], None));
    assert_has(
        &edit_errors(&req, None),
        &format!(
            "mask: {} has no fully transparent pixel (alpha 0), so nothing would be edited",
            req.mask.as_ref().unwrap().display()
        ),
    );

    req.mask = Some(common::write_png(dir.path(), "good.png", (64, 64), [0, 0, 0, 255], Some((8, 8, 8, 8))));
    assert_eq!(edit_errors(&req, None), Vec::<String>::new());

    let mask_only = EditRequest { images: Vec::new(), ..req };
    assert_has(
        &edit_errors(&mask_only, None),
        "image: an edit needs at least one input image (a mask alone is not enough)",
    );
}

#[test]
fn moderation_and_style_are_not_edit_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let img = common::write_png(dir.path(), "img.png", (64, 64), [9, 9, 9, 255], None);
    let mut req = edit("gpt-image-1", vec![img]);
    req.options.moderation = Some("low".into());
    assert_has(&edit_errors(&req, None), "moderation: applies to generations only, not to edits");
    req.options.moderation = None;
    req.options.input_fidelity = Some("high".into());
    assert!(edit_errors(&req, None).is_empty());
    req.model = "gpt-image-1-mini".into();
    assert_contains(&edit_errors(&req, None), "input_fidelity: \"high\" is not accepted by gpt-image-1-mini");
}

#[test]
fn complexity_is_sent_by_the_2_6_models_and_refused_by_the_others() {
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        common::imgtui_std()
            .env_remove("OPENAI_API_KEY")
            .env_remove("TTAPI_API_KEY")
            .env("XDG_CONFIG_HOME", data.path().join("config"))
            .arg("--data-dir")
            .arg(data.path())
            .args(["--demo", "--demo-latency-ms", "0"])
            .args(args)
            .output()
            .unwrap()
    };
    let out =
        run(&["generate", "a fox", "-m", "gpt-image-2.6-sunburst", "--complexity", "low", "-q", "xhigh", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shown = run(&["history", "show", "1", "--json"]);
    let job: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(job["request"]["complexity"], "low", "{job}");
    assert_eq!(job["request"]["quality"], "xhigh", "{job}");
    let refused = run(&["generate", "a fox", "-m", "gpt-image-2", "--complexity", "low"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("complexity: \"low\" is not accepted by gpt-image-2 (accepted by: gpt-image-2.6-flare, gpt-image-2.6-sunburst)"),
        "{stderr}"
    );
    let bad = run(&["generate", "a fox", "-m", "gpt-image-2.6-flare", "--complexity", "extreme"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("(allowed: low, medium, high)"));
}

#[test]
fn decembers_rules_refuse_before_anything_is_sent() {
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        common::imgtui_std()
            .env_remove("OPENAI_API_KEY")
            .env_remove("TTAPI_API_KEY")
            .env("XDG_CONFIG_HOME", data.path().join("config"))
            .arg("--data-dir")
            .arg(data.path())
            .args(["--demo", "--demo-latency-ms", "0", "generate", "a fox"])
            .args(args)
            .output()
            .unwrap()
    };
    let refused = |args: &[&str], expected: &str| {
        let out = run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    };
    refused(&["-m", "gpt-image-2", "--size", "512x512"], "size: \"512x512\" is not allowed for gpt-image-2");
    refused(&["-m", "gpt-image-2", "--size", "512x512"], "655,360 to 8,294,400 pixels in all");
    refused(
        &["-m", "gpt-image-2", "--background", "transparent"],
        "background: \"transparent\" is not accepted by gpt-image-2 since 2026-09-30 (accepted by: gpt-image-2.6-flare",
    );
    refused(&["-m", "gpt-imge-2"], "did you mean gpt-image-2?");
    // A genuinely new name goes out with its family's rules.
    let out = run(&["-m", "gpt-image-2.7-flare"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("did you mean"));
    // --force-model sends the typo as typed (the demo then says it has no such model).
    let forced = run(&["-m", "gpt-imge-2", "--force-model"]);
    assert!(String::from_utf8_lossy(&forced.stderr).contains("gpt-imge-2"), "sent as typed");
    assert!(!String::from_utf8_lossy(&forced.stderr).contains("did you mean"));
}

#[test]
fn a_model_declared_in_the_config_is_listed_offered_and_checked_by_its_rules() {
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("config/imgtui");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "[models.\"acme-image-1\"]\nlike = \"gpt-image-2.6-flare\"\nqualities = [\"low\", \"high\"]\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        common::imgtui_std()
            .env_remove("OPENAI_API_KEY")
            .env_remove("TTAPI_API_KEY")
            .env("XDG_CONFIG_HOME", data.path().join("config"))
            .arg("--data-dir")
            .arg(data.path())
            .args(args)
            .output()
            .unwrap()
    };
    let listed = run(&["models", "--json"]);
    let models: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let acme = models["models"].as_array().unwrap().iter().find(|m| m["name"] == "acme-image-1").expect("listed");
    assert_eq!(acme["rules"], "rules from config", "{acme}");
    let refused = run(&["--demo", "generate", "a fox", "-m", "acme-image-1", "-q", "xhigh"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("\"xhigh\" is not allowed for acme-image-1 (allowed: low, high) (rules from config)"),
        "{stderr}"
    );
    let sent = run(&["--demo", "--demo-latency-ms", "0", "generate", "a fox", "-m", "acme-image-1", "-q", "low"]);
    assert!(sent.status.success(), "{}", String::from_utf8_lossy(&sent.stderr));
}

/// gpt-image-2.6's animated GIFs: 2-16 frames of at least 20 ms, only with output_format gif,
/// never streamed, no mask or compression, and frames that share one pixel budget.
#[test]
fn a_gif_is_checked_by_its_frames_its_size_and_what_it_cannot_be_combined_with() {
    let m = "gpt-image-2.6-flare";
    let gif = |frames: Option<u32>, ms: Option<u32>, size: Option<&str>| {
        gen_errors(m, "a fox running", |r| {
            r.options.output_format = Some("gif".into());
            r.options.frame_count = frames;
            r.options.frame_duration_ms = ms;
            r.options.size = size.map(String::from);
        })
    };
    assert_eq!(gif(Some(4), Some(100), Some("960x960")), Vec::<String>::new());
    assert_eq!(gif(None, None, None), Vec::<String>::new(), "the defaults: 9 frames of 200 ms, a size the API picks");
    assert_contains(&gif(Some(1), None, None), "frame_count");
    assert_contains(&gif(Some(17), None, None), "frame_count");
    assert_contains(&gif(None, Some(10), None), "frame_duration_ms");
    let too_large = gif(Some(12), None, Some("960x960"));
    assert_contains(&too_large, "size: 960x960 is too large for a GIF of 12 frames");
    assert_contains(&too_large, "816 px up to 12 frames");
    assert_eq!(gif(Some(12), None, Some("816x816")), Vec::<String>::new());
    assert_eq!(
        gif(Some(16), None, Some("720x720")),
        Vec::<String>::new(),
        "under a still image's least pixels: a GIF's frame"
    );
    assert_contains(
        &gif(Some(16), None, Some("720x720"))
            .into_iter()
            .chain(gif(Some(16), None, Some("800x800")))
            .collect::<Vec<_>>(),
        "too large",
    );
    let png_frames = gen_errors(m, "a fox", |r| r.options.frame_count = Some(4));
    assert_contains(&png_frames, "frame_count");
    assert_contains(&png_frames, "gif");
    let streamed = gen_errors(m, "a fox", |r| {
        r.options.output_format = Some("gif".into());
        r.options.partial_images = Some(2);
    });
    assert_has(
        &streamed,
        "partial_images: a GIF answer is not streamed: leave partial images off with output_format gif",
    );
    let compressed = gen_errors(m, "a fox", |r| {
        r.options.output_format = Some("gif".into());
        r.options.output_compression = Some(50);
    });
    assert_contains(&compressed, "output_compression");
    let older = gen_errors("gpt-image-2", "a fox", |r| r.options.output_format = Some("gif".into()));
    assert_contains(&older, "output_format");
    assert_contains(&gen_errors("gpt-image-2", "a fox", |r| r.options.frame_count = Some(4)), "frame_count");
}

#[test]
fn a_gif_edit_with_a_mask_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let image = common::write_png(dir.path(), "in.png", (1024, 1024), [200, 0, 0, 255], None);
    let mask = common::write_png(dir.path(), "mask.png", (1024, 1024), [0, 0, 0, 0], None);
    let mut req = EditRequest::new("gpt-image-2.6-flare", "make it run", vec![image]);
    req.mask = Some(mask);
    req.options.output_format = Some("gif".into());
    assert_has(
        &edit_errors(&req, None),
        "mask: a GIF answer takes no mask: the API refuses output_format gif with a mask",
    );
}

/// gpt-image-2.6's SVG answers: generations only, one at a time, written by a text model that a
/// request carries as `svg: {"model": …}` (the model's first when none is said).
#[test]
fn an_svg_is_one_generation_written_by_a_text_model_the_body_carries_as_svg_model() {
    let m = "gpt-image-2.6-flare";
    let svg = |edit: &dyn Fn(&mut GenerateRequest)| {
        gen_errors(m, "a fox", |r| {
            r.options.output_format = Some("svg".into());
            edit(r);
        })
    };
    assert_has(&svg(&|_| {}), "svg_model: an SVG answer needs the text model that writes it (--svg-model)");
    assert_eq!(svg(&|r| r.options.svg_model = Some("gpt-5".into())), Vec::<String>::new());
    assert_has(
        &svg(&|r| {
            r.options.svg_model = Some("gpt-5".into());
            r.options.n = Some(2);
        }),
        "n: an SVG answer is one image: n must be 1 with output_format svg",
    );
    assert_contains(&svg(&|r| r.options.svg_model = Some("two words".into())), "svg_model");
    let png_writer = gen_errors(m, "a fox", |r| r.options.svg_model = Some("gpt-5".into()));
    assert_has(&png_writer, "svg_model: gpt-5 needs output_format svg (output_format is png)");
    assert_contains(
        &gen_errors("gpt-image-2.5-flare", "a fox", |r| r.options.output_format = Some("svg".into())),
        "output_format",
    );
    assert_contains(
        &gen_errors("gpt-image-2.5-flare", "a fox", |r| r.options.svg_model = Some("gpt-5".into())),
        "svg_model",
    );

    // Completed with the model's default writer, and sent nested as the API names it.
    let mut req = GenerateRequest::new(m, "a fox");
    req.options.output_format = Some("svg".into());
    req.options.complete(models().resolve(m).spec);
    assert_eq!(req.validate(&models()), Ok(Vec::new()));
    let body = serde_json::to_value(&req).unwrap();
    assert_eq!(body["svg"], serde_json::json!({ "model": "gpt-5-mini" }));
    assert!(body.get("svg_model").is_none(), "{body}");
    let back: GenerateRequest = serde_json::from_value(body).unwrap();
    assert_eq!(back, req, "the history reads back what was sent");
    // A PNG request is left as it was.
    let mut plain = GenerateRequest::new(m, "a fox");
    plain.options.complete(models().resolve(m).spec);
    assert_eq!(plain.options.svg_model, None);
}

#[test]
fn an_svg_edit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let image = common::write_png(dir.path(), "in.png", (1024, 1024), [200, 0, 0, 255], None);
    let mut req = EditRequest::new("gpt-image-2.6-flare", "make it a drawing", vec![image]);
    req.options.output_format = Some("svg".into());
    assert_has(&edit_errors(&req, None), "output_format: an SVG answer comes from generations only, not from edits");
}

/// Markup (gpt-image-2.6's edits): a PNG the size of the first image, never with a mask, and
/// only for a model that takes it.
#[test]
fn markup_is_checked_by_its_model_its_size_and_never_with_a_mask() {
    let dir = tempfile::tempdir().unwrap();
    let image = common::write_png(dir.path(), "in.png", (1024, 1024), [200, 0, 0, 255], None);
    let marks = common::write_png(dir.path(), "marks.png", (1024, 1024), [0, 0, 0, 0], None);
    let small = common::write_png(dir.path(), "small.png", (512, 512), [0, 0, 0, 0], None);
    let with = |model: &str, markup: &std::path::Path, mask: Option<&std::path::Path>| {
        let mut req = EditRequest::new(model, "make the circled cup blue", vec![image.clone()]);
        req.markup = Some(markup.to_path_buf());
        req.mask = mask.map(std::path::Path::to_path_buf);
        edit_errors(&req, None)
    };
    assert_eq!(with("gpt-image-2.6-flare", &marks, None), Vec::<String>::new());
    assert_has(
        &with("gpt-image-2.6-flare", &marks, Some(&marks)),
        "markup: markup and a mask cannot go together (the API refuses them): keep one",
    );
    assert_contains(&with("gpt-image-2.6-flare", &small, None), "small.png is 512x512");
    assert_contains(&with("gpt-image-2.6-flare", &small, None), "must be the same size");
    assert_contains(
        &with("gpt-image-2.5-flare", &marks, None),
        "gpt-image-2.5-flare takes no markup; gpt-image-2.6-flare",
    );
    let opaque = common::write_png(dir.path(), "photo-as-marks.png", (1024, 1024), [10, 20, 30, 255], None);
    assert_contains(
        &with("gpt-image-2.6-flare", &opaque, None),
        "has no transparency: markup is marks on a transparent PNG",
    );
}

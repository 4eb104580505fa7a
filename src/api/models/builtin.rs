//! The built-in models' rules, as the providers document them (`../shared/api.md`).

use super::{EditLimits, FreeSize, GifRules, ModelSpec, Withdrawn};

const MB: u64 = 1024 * 1024;

pub(super) fn png() -> String {
    "png".into()
}

pub(super) fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

pub(super) fn gpt_image(name: &str, input_fidelity: bool) -> ModelSpec {
    ModelSpec {
        name: name.to_string(),
        aliases: Vec::new(),
        prompt_max_chars: 32_000,
        n_max: 10,
        sizes: strings(&["1024x1024", "1536x1024", "1024x1536", "auto"]),
        free_size: None,
        default_size: "auto".into(),
        qualities: strings(&["low", "medium", "high", "auto"]),
        default_quality: "auto".into(),
        complexities: Vec::new(),
        withdrawn: Vec::new(),
        response_formats: Vec::new(),
        default_response_format: "b64_json".into(),
        output_formats: strings(&["png", "jpeg", "webp"]),
        default_output_format: png(),
        compression_formats: strings(&["jpeg", "webp"]),
        gif: None,
        svg_models: Vec::new(),
        backgrounds: strings(&["transparent", "opaque", "auto"]),
        transparent_formats: strings(&["png", "webp"]),
        moderations: strings(&["low", "auto"]),
        styles: Vec::new(),
        max_partial_images: Some(3),
        input_fidelities: if input_fidelity { strings(&["high", "low"]) } else { Vec::new() },
        edit: Some(EditLimits {
            max_images: 16,
            image_formats: strings(&["png", "jpeg", "webp"]),
            max_image_bytes: 50 * MB,
            square_only: false,
            mask_max_bytes: 4 * MB,
            markup: false,
        }),
        reports_usage: true,
        revises_prompt: false,
        #[cfg(test)]
        whimsies: strings(&["plain", "wild"]),
    }
}

pub(super) fn free_size_gpt_image(name: &str, aliases: &[&str]) -> ModelSpec {
    ModelSpec {
        aliases: strings(aliases),
        // OpenAI's guide (listed since 2026-11-26): 655,360 to 8,294,400 pixels in all.
        free_size: Some(FreeSize {
            multiple_of: 16,
            max_ratio: 3,
            max_long_edge: 3840,
            max_short_edge: 2160,
            min_pixels: 655_360,
            max_pixels: 8_294_400,
        }),
        ..gpt_image(name, true)
    }
}

/// gpt-image-2: OpenAI refuses a transparent background since 2026-09-30, and input fidelity.
pub(super) fn gpt_image_2() -> ModelSpec {
    ModelSpec {
        backgrounds: strings(&["opaque", "auto"]),
        input_fidelities: Vec::new(),
        withdrawn: vec![Withdrawn {
            param: "background".into(),
            value: Some("transparent".into()),
            since: crate::clock::Date::new(2026, 9, 30),
        }],
        ..free_size_gpt_image("gpt-image-2", &["gpt-image-2-2026-04-21"])
    }
}

/// The 2.5 models: gpt-image-2's request shape (before its withdrawals), with two more
/// quality levels.
pub(super) fn gpt_image_2_5(name: &str, snapshot: &str) -> ModelSpec {
    ModelSpec {
        qualities: strings(&["low", "medium", "high", "xhigh", "max", "auto"]),
        ..free_size_gpt_image(name, &[snapshot])
    }
}

/// The 2.6 models (2026-11-04, no dated snapshot): the 2.5 rules, `complexity`, and animated
/// GIFs (2-16 frames of at least 20 ms; a square frame at most 960 px for up to 9 frames, 816
/// for 10-12, 720 for 13-16, as a relay measured).
pub(super) fn gpt_image_2_6(name: &str) -> ModelSpec {
    ModelSpec {
        aliases: Vec::new(),
        complexities: strings(&["low", "medium", "high"]),
        output_formats: strings(&["png", "jpeg", "webp", "gif", "svg"]),
        // Any text model may write the SVG; these are offered, the first sent when none is said.
        svg_models: strings(&["gpt-5-mini", "gpt-5", "gpt-5-nano"]),
        gif: Some(GifRules {
            min_frames: 2,
            max_frames: 16,
            default_frames: 9,
            min_frame_ms: 20,
            max_frame_ms: 60_000,
            default_frame_ms: 200,
            frame_sides: vec![(9, 960), (12, 816), (16, 720)],
        }),
        ..with_markup(gpt_image_2_5(name, ""))
    }
}

/// `spec`, taking markup on its edits.
fn with_markup(spec: ModelSpec) -> ModelSpec {
    let edit = spec.edit.clone().map(|edit| EditLimits { markup: true, ..edit });
    ModelSpec { edit, ..spec }
}

pub(super) fn dall_e_2() -> ModelSpec {
    ModelSpec {
        name: "dall-e-2".into(),
        aliases: Vec::new(),
        prompt_max_chars: 1000,
        n_max: 10,
        sizes: strings(&["256x256", "512x512", "1024x1024"]),
        free_size: None,
        default_size: "1024x1024".into(),
        qualities: strings(&["standard"]),
        default_quality: "standard".into(),
        complexities: Vec::new(),
        withdrawn: Vec::new(),
        response_formats: strings(&["url", "b64_json"]),
        default_response_format: "url".into(),
        output_formats: Vec::new(),
        default_output_format: png(),
        compression_formats: Vec::new(),
        gif: None,
        svg_models: Vec::new(),
        backgrounds: Vec::new(),
        transparent_formats: Vec::new(),
        moderations: Vec::new(),
        styles: Vec::new(),
        max_partial_images: None,
        input_fidelities: Vec::new(),
        edit: Some(EditLimits {
            max_images: 1,
            image_formats: strings(&["png"]),
            max_image_bytes: 4 * MB,
            square_only: true,
            mask_max_bytes: 4 * MB,
            markup: false,
        }),
        reports_usage: false,
        revises_prompt: false,
        #[cfg(test)]
        whimsies: Vec::new(),
    }
}

pub(super) fn dall_e_3() -> ModelSpec {
    ModelSpec {
        name: "dall-e-3".into(),
        prompt_max_chars: 4000,
        n_max: 1,
        sizes: strings(&["1024x1024", "1792x1024", "1024x1792"]),
        default_size: "1024x1024".into(),
        qualities: strings(&["standard", "hd"]),
        default_quality: "standard".into(),
        complexities: Vec::new(),
        withdrawn: Vec::new(),
        styles: strings(&["vivid", "natural"]),
        edit: None,
        revises_prompt: true,
        #[cfg(test)]
        whimsies: Vec::new(),
        ..dall_e_2()
    }
}

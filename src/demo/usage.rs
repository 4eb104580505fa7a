//! The `usage` the demo reports, as the real models would.

use serde_json::{Value, json};

/// The usage a real answer would report: for the models OpenAI's calculator covers, its
/// output tokens (so an estimate and the bill that follows agree); for the others, tokens in
/// proportion to the image's area.
pub(super) fn usage(model: &str, prompt: &str, quality: &str, size: (u32, u32), n: u32, input_images: usize) -> Value {
    let text_tokens = (prompt.chars().count() as u64).div_ceil(4);
    let image_in = input_images as u64 * 323;
    let quality = if quality == "auto" { "medium" } else { quality };
    let models = crate::api::ModelTable::builtin();
    let prices = crate::cost::PriceTable::builtin();
    let base = prices
        .lookup(crate::api::Provider::Openai, model, &models)
        .and_then(|(price, _)| price.output_token_base.get(quality).copied());
    let per_image = match base {
        Some(base) => crate::cost::formula_tokens(base, size),
        None => {
            let per_1024: u64 = match quality {
                "low" => 272,
                "high" => 4160,
                "xhigh" => 6240,
                "max" => 8320,
                _ => 1056,
            };
            let area = f64::from(size.0) * f64::from(size.1) / (1024.0 * 1024.0);
            (per_1024 as f64 * area).round() as u64
        }
    };
    let output = per_image * u64::from(n);
    json!({
        "input_tokens": text_tokens + image_in,
        "output_tokens": output,
        "total_tokens": text_tokens + image_in + output,
        "input_tokens_details": { "image_tokens": image_in, "text_tokens": text_tokens },
        "output_tokens_details": { "image_tokens": output, "text_tokens": 0 }
    })
}

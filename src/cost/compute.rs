//! A job's cost from what the API reported (`usage`, by token kind) or, for models billed per
//! image, from the per-image price; and an estimate before sending.

use super::prices::ModelPrice;
use crate::api::response::Usage;

/// What a finished job's images are, for per-image prices.
#[derive(Clone, Debug, PartialEq)]
pub struct Billed<'a> {
    pub usage: Option<&'a Usage>,
    pub images: u32,
    /// As answered (`size`, `quality` echoed), else as asked, else the model's default.
    pub size: (u32, u32),
    pub quality: Option<&'a str>,
}

/// The most one job can be said to cost: past it, a server's numbers are not believed (nor a
/// cost an older history holds).
pub const JOB_USD_MAX: f64 = 1_000.0;

/// The cost in USD, or `None` when the price does not cover what was reported (or what was
/// reported cannot be true of the answer).
pub fn cost(billed: &Billed<'_>, price: &ModelPrice) -> Option<f64> {
    let believable = |usd: f64| (usd.is_finite() && (0.0..=JOB_USD_MAX).contains(&usd)).then_some(usd);
    if let Some(usage) = billed.usage.filter(|_| price.image_out.is_some()) {
        if !usage.plausible_for(billed.images as usize) || too_few_tokens(usage, billed, price) {
            return None;
        }
        return token_cost(usage, price).and_then(believable);
    }
    per_image(price, billed.size, billed.quality).map(|each| each * f64::from(billed.images)).and_then(believable)
}

/// Whether the answer's `usage` can be the bill of its images at `price` (no usage, or a model
/// not billed by the token, is not in question).
pub fn usage_believable(billed: &Billed<'_>, price: &ModelPrice) -> bool {
    match billed.usage.filter(|_| price.image_out.is_some()) {
        Some(usage) => usage.plausible_for(billed.images as usize) && !too_few_tokens(usage, billed, price),
        None => true,
    }
}

/// Whether `usage` claims fewer image tokens than half what OpenAI's formula gives each image
/// at this size and quality (the floor where no formula is published; the cheapest quality for
/// `auto`): a server's claim, not a bill, so the job counts at its estimate instead.
fn too_few_tokens(usage: &Usage, billed: &Billed<'_>, price: &ModelPrice) -> bool {
    let cheapest = || price.output_token_base.values().chain(price.floor_token_base.values()).min();
    let base = billed
        .quality
        .and_then(|q| price.output_token_base.get(q).or_else(|| price.floor_token_base.get(q)))
        .or_else(cheapest);
    let Some(base) = base else { return false };
    let least = formula_tokens(*base, billed.size) / 2 * u64::from(billed.images.max(1));
    let image_out = usage.output_tokens_details.as_ref().map_or(usage.output_tokens, |d| d.image_tokens);
    image_out < least
}

/// Each kind of token at its rate: text and image input, image and text output. Without a
/// breakdown, input counts as text and output as image tokens.
fn token_cost(usage: &Usage, price: &ModelPrice) -> Option<f64> {
    // No tokens of a kind cost nothing, priced or not; tokens without a rate leave it unknown.
    let per_million = |tokens: u64, rate: Option<f64>| match tokens {
        0 => Some(0.0),
        _ => rate.map(|r| tokens as f64 * r / 1_000_000.0),
    };
    let (text_in, image_in) = match &usage.input_tokens_details {
        Some(d) => (d.text_tokens, d.image_tokens),
        None => (usage.input_tokens, 0),
    };
    let (image_out, text_out) = match &usage.output_tokens_details {
        Some(d) => (d.image_tokens, d.text_tokens),
        None => (usage.output_tokens, 0),
    };
    let parts = [
        per_million(text_in, price.text_in),
        per_million(image_in, price.image_in),
        per_million(image_out, price.image_out),
        per_million(text_out, price.text_out),
    ];
    parts.into_iter().sum()
}

/// The per-image price for `size` and `quality` (`WxH/quality`, or `WxH` for a model without
/// qualities).
pub fn per_image(price: &ModelPrice, size: (u32, u32), quality: Option<&str>) -> Option<f64> {
    let size = format!("{}x{}", size.0, size.1);
    quality.and_then(|q| price.per_image.get(&format!("{size}/{q}"))).or_else(|| price.per_image.get(&size)).copied()
}

/// Output tokens per image by OpenAI's calculator: a base per quality, `u` = base over the
/// aspect ratio rounded half to even, `ceil(base · u · (2,000,000 + w·h) / 4,000,000)`.
pub fn formula_tokens(base: u32, size: (u32, u32)) -> u64 {
    let (w, h) = (u64::from(size.0.max(1)), u64::from(size.1.max(1)));
    let (long, short) = (w.max(h) as f64, w.min(h) as f64);
    let s = f64::from(base) / (long / short);
    let u = round_half_even(s);
    let numerator = u64::from(base) * u * (2_000_000 + w * h);
    numerator.div_ceil(4_000_000)
}

fn round_half_even(x: f64) -> u64 {
    let floor = x.floor();
    let fraction = x - floor;
    let rounded = if (fraction - 0.5).abs() < 1e-12 {
        if floor as u64 % 2 == 0 { floor } else { floor + 1.0 }
    } else {
        x.round()
    };
    rounded.max(0.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::response::TokenDetails;
    use crate::cost::PriceTable;

    fn price(model: &str) -> ModelPrice {
        let table = PriceTable::builtin();
        table.lookup(crate::api::Provider::Openai, model, &crate::api::ModelTable::builtin()).unwrap().0.clone()
    }

    fn usage(text_in: u64, image_in: u64, image_out: u64, text_out: u64) -> Usage {
        Usage {
            input_tokens: text_in + image_in,
            output_tokens: image_out + text_out,
            total_tokens: text_in + image_in + image_out + text_out,
            input_tokens_details: Some(TokenDetails { text_tokens: text_in, image_tokens: image_in }),
            output_tokens_details: Some(TokenDetails { image_tokens: image_out, text_tokens: text_out }),
        }
    }

    fn billed(usage: &Usage) -> Billed<'_> {
        Billed { usage: Some(usage), images: 1, size: (1024, 1024), quality: Some("medium") }
    }

    #[test]
    fn token_billed_models_cost_each_kind_at_its_rate() {
        // By hand: 12 text in × $5/M + 1056 image out × $30/M = 0.00006 + 0.03168.
        let u = usage(12, 0, 1056, 0);
        assert!((cost(&billed(&u), &price("gpt-image-2")).unwrap() - 0.03174).abs() < 1e-9);
        // An edit on gpt-image-1: 40 text in × 5, 323 image in × 10, 4160 out × 40 (per M).
        let u = usage(40, 323, 4160, 0);
        let expected = (40.0 * 5.0 + 323.0 * 10.0 + 4160.0 * 40.0) / 1e6;
        assert!((cost(&billed(&u), &price("gpt-image-1")).unwrap() - expected).abs() < 1e-9);
        // gpt-image-1.5 reports text output too, at its own rate.
        let u = usage(10, 0, 1000, 50);
        let expected = (10.0 * 5.0 + 1000.0 * 32.0 + 50.0 * 10.0) / 1e6;
        assert!((cost(&billed(&u), &price("gpt-image-1.5")).unwrap() - expected).abs() < 1e-9);
        let u = usage(100, 0, 272, 0);
        let expected = (100.0 * 2.0 + 272.0 * 8.0) / 1e6;
        assert!((cost(&billed(&u), &price("gpt-image-1-mini")).unwrap() - expected).abs() < 1e-9);
        for model in ["gpt-image-2.5-flare", "gpt-image-2.5-sunburst"] {
            let u = usage(0, 0, 196, 0);
            let low = Billed { quality: Some("low"), ..billed(&u) };
            assert!((cost(&low, &price(model)).unwrap() - 0.00588).abs() < 1e-9, "{model}");
        }
    }

    /// Fewer image tokens than half the formula (or floor) gives such an image is a claim, not
    /// a bill: no cost from it (the job counts at its estimate).
    #[test]
    fn a_claim_of_too_few_tokens_prices_nothing() {
        for (model, quality, tokens) in [("gpt-image-2", "low", 97), ("gpt-image-2.6-flare", "low", 32)] {
            let u = usage(0, 0, tokens, 0);
            let job = Billed { quality: Some(quality), ..billed(&u) };
            assert_eq!(cost(&job, &price(model)), None, "{model} {tokens}");
            let u = usage(0, 0, 196, 0);
            assert!(cost(&Billed { quality: Some(quality), ..billed(&u) }, &price(model)).is_some(), "{model}");
        }
    }

    #[test]
    fn dall_e_costs_its_per_image_price() {
        let dalle3 = price("dall-e-3");
        let job = |size, quality, images| Billed { usage: None, images, size, quality };
        assert_eq!(cost(&job((1024, 1024), Some("standard"), 1), &dalle3), Some(0.04));
        assert_eq!(cost(&job((1792, 1024), Some("hd"), 1), &dalle3), Some(0.12));
        assert_eq!(cost(&job((1024, 1792), Some("standard"), 1), &dalle3), Some(0.08));
        let dalle2 = price("dall-e-2");
        assert_eq!(cost(&job((256, 256), None, 3), &dalle2), Some(0.016 * 3.0));
        assert_eq!(cost(&job((512, 512), None, 1), &dalle2), Some(0.018));
        assert_eq!(cost(&job((1024, 1024), None, 2), &dalle2), Some(0.04));
        assert_eq!(cost(&job((300, 300), None, 1), &dalle2), None, "no price for that size");
    }

    #[test]
    fn the_calculators_formula_matches_openais_example() {
        assert_eq!(formula_tokens(16, (1024, 1024)), 196);
        assert!((196.0 * 30.0 / 1e6 - 0.00588_f64).abs() < 1e-12);
        // 3:2 at base 48: s = 32, u = 32.
        assert_eq!(formula_tokens(48, (1536, 1024)), (48u64 * 32 * (2_000_000 + 1536 * 1024)).div_ceil(4_000_000));
        assert_eq!(round_half_even(2.5), 2);
        assert_eq!(round_half_even(3.5), 4);
        assert_eq!(round_half_even(10.666), 11);
    }
}

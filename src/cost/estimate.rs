//! What a request will cost, before it is sent: from the per-image price where one is
//! published, else from OpenAI's output-token formula; saying which, and what it leaves out.

use super::compute::{formula_tokens, per_image};
use super::prices::{ModelPrice, PriceSource};

/// What is about to be asked.
#[derive(Clone, Debug, PartialEq)]
pub struct Asked<'a> {
    pub n: u32,
    pub size: (u32, u32),
    pub quality: &'a str,
    pub prompt_chars: usize,
    /// Input images of an edit, and whether `input_fidelity` is high.
    pub inputs: usize,
    pub high_fidelity: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Basis {
    /// The published per-image price.
    PerImage,
    /// OpenAI's calculator formula for the output tokens, plus the prompt.
    Formula,
    /// The median output tokens of this many earlier jobs that asked the same.
    History(usize),
    /// A lower bound: no formula is published and no earlier job has reported its tokens
    /// (gpt-image-2.6 spends 3-4x the 2.5 formula's tokens at low and medium).
    Floor,
    /// Quality `auto`: the model picks, so it is priced at its dearest quality (an upper bound).
    Dearest,
}

/// How many times its floor a floor estimate counts against the budgets: the most the relays
/// measured a 2.6 model spend over the 2.5 formula. A budget is kept with the bill that could
/// come, not the least it could be.
pub const FLOOR_BUDGET_FACTOR: f64 = 4.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    pub usd: f64,
    pub basis: Basis,
    pub source: PriceSource,
    pub n: u32,
    /// Input images whose own tokens are not in the figure (no published number for them).
    pub inputs_left_out: usize,
    /// An animated GIF of this many frames: they share one image's tokens.
    pub gif_frames: Option<u32>,
    /// An SVG answer written by this text model: its tokens are billed on top, at its rates.
    pub svg_writer: Option<String>,
}

impl Estimate {
    /// "≈" for a figure, "≥" for a floor, "≤" for the dearest quality's price.
    fn sign(&self) -> &'static str {
        match self.basis {
            Basis::Floor => "≥",
            Basis::Dearest => "≤",
            _ => "≈",
        }
    }

    /// What it counts for against the budgets: a floor at the most it could be.
    pub fn for_budgets(&self) -> f64 {
        if self.basis == Basis::Floor { self.usd * FLOOR_BUDGET_FACTOR } else { self.usd }
    }

    /// "1 image", "4 images", "1 GIF of 9 frames".
    fn what(&self) -> String {
        match (self.gif_frames, self.n) {
            (Some(frames), 1) => format!("1 GIF of {frames} frames"),
            (Some(frames), n) => format!("{n} GIFs of {frames} frames"),
            (None, 1) if self.svg_writer.is_some() => "1 SVG".to_string(),
            (None, 1) => "1 image".to_string(),
            (None, n) => format!("{n} images"),
        }
    }

    /// "≈ $0.17 for 4 images", where there is no room for more.
    pub fn short(&self) -> String {
        format!("{} {} for {}", self.sign(), super::dollars(self.usd), self.what())
    }

    /// "≈ $0.17 for 4 images (OpenAI list price)".
    pub fn describe(&self) -> String {
        let images = self.what();
        let how = match self.basis {
            Basis::PerImage => String::new(),
            Basis::Formula => ", output by OpenAI's formula".into(),
            Basis::History(1) => ", from 1 earlier job".into(),
            Basis::History(jobs) => format!(", from {jobs} earlier jobs"),
            Basis::Floor => ", at least: no formula is published and no job has reported its tokens yet".into(),
            Basis::Dearest => ", at most: auto priced as the dearest quality".into(),
        };
        let left_out = match self.inputs_left_out {
            0 => "",
            1 => "; the input image's own tokens not counted",
            _ => "; the input images' own tokens not counted",
        };
        let frames = if self.gif_frames.is_some() { "; its frames share one image's tokens" } else { "" };
        let writer = match &self.svg_writer {
            Some(model) => format!("; not counted: the tokens {model} spends writing the SVG, billed at its own rates"),
            None => String::new(),
        };
        format!(
            "{} {} for {images} ({}{how}{left_out}{frames}{writer})",
            self.sign(),
            super::dollars(self.usd),
            self.source.label()
        )
    }
}

/// What can be said about a request's price before it is sent.
#[derive(Clone, Debug, PartialEq)]
pub enum PriceNote {
    Estimate(Estimate),
    /// A price is known, but not for these settings (`auto` quality on a token-billed model).
    NoEstimate,
    /// No price for this provider and model (TTAPI until the config says).
    Unknown,
}

impl PriceNote {
    pub fn describe(&self) -> String {
        match self {
            Self::Estimate(e) => e.describe(),
            Self::NoEstimate => "no estimate for these settings yet".into(),
            Self::Unknown => "price unknown: set [prices] in the config".into(),
        }
    }

    /// As `describe`, shorter when it would not fit in `width` columns.
    pub fn fitted(&self, width: usize) -> String {
        let full = self.describe();
        match self {
            Self::Estimate(e) if crate::text::char_count(&full) > width => e.short(),
            _ => full,
        }
    }

    pub fn usd(&self) -> Option<f64> {
        match self {
            Self::Estimate(e) => Some(e.usd),
            _ => None,
        }
    }

    /// What the request counts for against the budgets (see `Estimate::for_budgets`).
    pub fn for_budgets(&self) -> Option<f64> {
        match self {
            Self::Estimate(e) => Some(e.for_budgets()),
            _ => None,
        }
    }
}

/// The estimate for `request` at `provider`, with `prices` and the model rules in `models`.
pub fn for_request(
    request: &crate::api::ImageRequest,
    prices: &super::PriceTable,
    provider: crate::api::Provider,
    models: &crate::api::ModelTable,
    history: &super::OutputHistory,
) -> PriceNote {
    use crate::api::ImageRequest;
    let Some((price, source)) = prices.lookup(provider, request.model(), models) else { return PriceNote::Unknown };
    let spec = models.resolve(request.model()).spec;
    let (options, inputs) = match request {
        ImageRequest::Generate(r) => (&r.options, 0),
        ImageRequest::Edit(r) => (&r.options, r.images.len()),
    };
    let size =
        options.size.as_deref().and_then(crate::api::models::parse_size).unwrap_or_else(|| spec.resolve_size(None));
    let asked = Asked {
        n: options.n.unwrap_or(1),
        size,
        quality: options.quality.as_deref().unwrap_or(spec.default_quality.as_str()),
        prompt_chars: crate::text::char_count(request.prompt()),
        inputs,
        high_fidelity: inputs > 0 && options.input_fidelity.as_deref() == Some("high"),
    };
    // The default complexity spelled out asks what leaving it out asks: either history serves.
    let default_complexity = spec.complexities.last().map(String::as_str);
    let complexity = options.complexity.as_deref();
    let other_spelling = match complexity {
        Some(c) if Some(c) == default_complexity => Some(None),
        None if default_complexity.is_some() => Some(default_complexity),
        _ => None,
    };
    let median =
        |complexity| history.median(request.model(), options.size.as_deref(), options.quality.as_deref(), complexity);
    let earlier = median(complexity).or_else(|| other_spelling.and_then(median));
    // An animated GIF: its frames share one image's pixel budget and tokens.
    let gif_frames = (options.output_format.as_deref() == Some("gif"))
        .then(|| options.frame_count.or(spec.gif.as_ref().map(|g| g.default_frames)))
        .flatten();
    let svg_writer = options.svg_model.clone().filter(|_| options.output_format.as_deref() == Some("svg"));
    estimate(&asked, price, source, earlier)
        .map(|e| Estimate { gif_frames, svg_writer, ..e })
        .map_or(PriceNote::NoEstimate, PriceNote::Estimate)
}

/// The dearest per-image price at `size` over the qualities the price lists.
fn dearest_per_image(price: &ModelPrice, size: (u32, u32)) -> Option<f64> {
    let prefix = format!("{}x{}/", size.0, size.1);
    price.per_image.iter().filter(|(key, _)| key.starts_with(&prefix)).map(|(_, usd)| *usd).reduce(f64::max)
}

/// Image input tokens `input_fidelity: high` adds per input image (gpt-image-1's figures).
pub fn high_fidelity_tokens(size: (u32, u32)) -> u64 {
    if size.0 == size.1 { 4_096 } else { 6_144 }
}

/// The estimate: the per-image price, else the formula, else `earlier` (the median output
/// tokens per image of earlier jobs that asked the same, and how many), else the floor.
pub fn estimate(
    asked: &Asked<'_>,
    price: &ModelPrice,
    source: PriceSource,
    earlier: Option<(u64, usize)>,
) -> Option<Estimate> {
    let n = asked.n.max(1);
    if let Some(each) = per_image(price, asked.size, Some(asked.quality)) {
        let usd = each * f64::from(n);
        return Some(Estimate {
            usd,
            basis: Basis::PerImage,
            source,
            n,
            inputs_left_out: 0,
            gif_frames: None,
            svg_writer: None,
        });
    }
    let rate = |r: Option<f64>, tokens: u64| r.unwrap_or(0.0) * tokens as f64 / 1_000_000.0;
    let dearest = |bases: &std::collections::BTreeMap<String, u32>| bases.values().max().copied();
    let (per_image_tokens, basis) = match price.output_token_base.get(asked.quality) {
        Some(base) => (formula_tokens(*base, asked.size), Basis::Formula),
        None => match (earlier.filter(|_| price.image_out.is_some()), price.floor_token_base.get(asked.quality)) {
            // What earlier jobs reported never goes below the floor: one answer that said an
            // image was nearly free would otherwise open the budgets to everything after it.
            (Some((median, jobs)), floor) => {
                // The quality's floor, else (auto) the least any quality's image takes.
                let cheapest = || price.output_token_base.values().chain(price.floor_token_base.values()).min();
                let floor = floor.or_else(cheapest).map_or(0, |base| formula_tokens(*base, asked.size));
                (median.max(floor), Basis::History(jobs))
            }
            (None, Some(base)) => (formula_tokens(*base, asked.size), Basis::Floor),
            // `auto` picks a quality: the dearest one it could pick is what it may cost.
            (None, None) if asked.quality == "auto" => {
                if let Some(each) = dearest_per_image(price, asked.size) {
                    let usd = each * f64::from(n);
                    return Some(Estimate {
                        usd,
                        basis: Basis::Dearest,
                        source,
                        n,
                        inputs_left_out: 0,
                        gif_frames: None,
                        svg_writer: None,
                    });
                }
                // A floor's dearest quality is still only a floor.
                match dearest(&price.output_token_base) {
                    Some(base) => (formula_tokens(base, asked.size), Basis::Dearest),
                    None => (formula_tokens(dearest(&price.floor_token_base)?, asked.size), Basis::Floor),
                }
            }
            (None, None) => return None,
        },
    };
    let output = per_image_tokens * u64::from(n);
    let prompt = (asked.prompt_chars as u64).div_ceil(4);
    let fidelity = if asked.high_fidelity { asked.inputs as u64 * high_fidelity_tokens(asked.size) } else { 0 };
    let usd = rate(price.image_out, output) + rate(price.text_in, prompt) + rate(price.image_in, fidelity);
    Some(Estimate { usd, basis, source, n, inputs_left_out: asked.inputs, gif_frames: None, svg_writer: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ModelTable, Provider};
    use crate::cost::PriceTable;

    fn price(model: &str) -> (ModelPrice, PriceSource) {
        let table = PriceTable::builtin();
        let (price, source) = table.lookup(Provider::Openai, model, &ModelTable::builtin()).unwrap();
        (price.clone(), source)
    }

    fn asked(n: u32, size: (u32, u32), quality: &str) -> Asked<'_> {
        Asked { n, size, quality, prompt_chars: 0, inputs: 0, high_fidelity: false }
    }

    /// A GIF's estimate says what it covers: one image's tokens for all its frames.
    #[test]
    fn a_gifs_estimate_says_its_frames_share_one_images_tokens() {
        let mut request = crate::api::GenerateRequest::new("gpt-image-2.6-flare", "a fox running");
        request.options.output_format = Some("gif".into());
        request.options.frame_count = Some(4);
        request.options.quality = Some("low".into());
        let note = for_request(
            &crate::api::ImageRequest::Generate(request),
            &PriceTable::builtin(),
            Provider::Openai,
            &ModelTable::builtin(),
            &crate::cost::OutputHistory::default(),
        );
        let said = note.describe();
        assert!(
            said.contains("for 1 GIF of 4 frames") && said.contains("its frames share one image's tokens"),
            "{said}"
        );
    }

    #[test]
    fn per_image_prices_come_first_then_the_formula() {
        let (p, s) = price("gpt-image-1");
        let e = estimate(&asked(4, (1024, 1024), "high"), &p, s, None).unwrap();
        assert!((e.usd - 0.668).abs() < 1e-9 && e.basis == Basis::PerImage);
        assert_eq!(e.describe(), "≈ $0.668 for 4 images (OpenAI list price)");
        let (p, s) = price("gpt-image-2.5-flare");
        let e = estimate(&asked(1, (1024, 1024), "low"), &p, s.clone(), None).unwrap();
        assert!((e.usd - 0.00588).abs() < 1e-12 && e.basis == Basis::Formula);
        let auto = estimate(&asked(1, (1024, 1024), "auto"), &p, s.clone(), None).unwrap();
        let high = estimate(&asked(1, (1024, 1024), "max"), &p, s.clone(), None).unwrap();
        assert_eq!(auto.basis, Basis::Dearest, "auto: priced as the dearest quality");
        assert!((auto.usd - high.usd).abs() < 1e-12 && auto.short().starts_with("≤ "), "{}", auto.short());
        let e = estimate(&asked(2, (1024, 1024), "auto"), &p, s, Some((1000, 7))).unwrap();
        assert!((e.usd - 2.0 * 1000.0 * 30.0 / 1e6).abs() < 1e-12);
        assert_eq!(e.describe(), "≈ $0.06 for 2 images (OpenAI list price, from 7 earlier jobs)");
        let (p, s) = price("gpt-image-2.6-flare");
        let auto = estimate(&asked(1, (1024, 1024), "auto"), &p, s, None).unwrap();
        assert_eq!(auto.basis, Basis::Floor, "a floor's dearest quality is still a floor");
    }

    #[test]
    fn without_a_formula_history_comes_before_the_floor() {
        let (p, s) = price("gpt-image-2.6-flare");
        let floor = estimate(&asked(1, (1024, 1024), "low"), &p, s.clone(), None).unwrap();
        assert!((floor.usd - 0.00588).abs() < 1e-12 && floor.basis == Basis::Floor, "2.5's formula");
        assert!(
            floor.describe().starts_with("≥ $0.0059 for 1 image (OpenAI list price, at least"),
            "{}",
            floor.describe()
        );
        assert_eq!(floor.short(), "≥ $0.0059 for 1 image");
        let measured = estimate(&asked(1, (1024, 1024), "low"), &p, s, Some((700, 3))).unwrap();
        assert_eq!(measured.basis, Basis::History(3));
        assert!((measured.usd - 700.0 * 30.0 / 1e6).abs() < 1e-12);
        // One answer that claimed an image was nearly free does not open the budgets.
        let lied = estimate(&asked(1, (1024, 1024), "low"), &p, floor.source.clone(), Some((1, 1))).unwrap();
        assert!((lied.usd - floor.usd).abs() < 1e-12, "never below the floor: {}", lied.usd);
    }

    #[test]
    fn the_prompt_and_high_fidelity_inputs_count() {
        let (p, s) = price("gpt-image-2");
        let plain = estimate(&asked(1, (1024, 1024), "medium"), &p, s.clone(), None).unwrap().usd;
        let with = Asked { prompt_chars: 400, inputs: 2, high_fidelity: true, ..asked(1, (1024, 1024), "medium") };
        let more = estimate(&with, &p, s, None).unwrap();
        let expected = 100.0 * 5.0 / 1e6 + 2.0 * 4096.0 * 8.0 / 1e6;
        assert!((more.usd - plain - expected).abs() < 1e-12);
        assert!(more.describe().ends_with("; the input images' own tokens not counted)"), "{}", more.describe());
    }
}

//! A finished job's cost, as stored with it: the dollars and the price list they came from,
//! so a later price change does not rewrite the history.

use serde::{Deserialize, Serialize};

use super::compute::{Billed, cost};
use super::prices::{ModelPrice, PriceSource};
use crate::api::ImageRequest;
use crate::api::{ImagesResult, ModelTable};

/// The basis of a cost that is the job's estimate: it was sent and may have been billed.
pub const ESTIMATE_BASIS: &str = "estimate";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobCost {
    /// Written to the micro-dollar (0.046095, not 0.046095000000000004).
    #[serde(serialize_with = "micro_dollars")]
    pub usd: f64,
    /// The price list's version ("OpenAI list prices 2026-11"), or "configured".
    pub basis: String,
}

fn micro_dollars<S: serde::Serializer>(usd: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64((usd * 1e6).round() / 1e6)
}

impl JobCost {
    /// "OpenAI list price", "your configured price", or for an interrupted job whose bill
    /// nobody saw, "the estimate".
    pub fn label(&self) -> &'static str {
        match self.basis.as_str() {
            "configured" => "your configured price",
            ESTIMATE_BASIS => "the estimate (no bill was reported)",
            _ => "OpenAI list price",
        }
    }

    /// "$0.0423 at OpenAI list price".
    pub fn describe(&self) -> String {
        format!("{} at {}", dollars(self.usd), self.label())
    }
}

/// Dollars with the precision a cost needs: "$0.0059", "$0.044", "$0.17", "$12.40".
pub fn dollars(usd: f64) -> String {
    if usd >= 10.0 {
        return format!("${usd:.2}");
    }
    let digits = if usd >= 0.1 { 3 } else { 4 };
    let text = format!("{usd:.digits$}");
    // Trailing zeros go, but cents stay: "$0.17", "$0.044", "$0.00".
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let fraction = fraction.trim_end_matches('0');
    format!("${whole}.{fraction:0<2}")
}

/// The cost of `result`, the answer to `request`, at `price`: by its usage, or per image at
/// the size and quality it was made at.
pub fn of_answer(
    request: &ImageRequest,
    result: &ImagesResult,
    price: &ModelPrice,
    source: &PriceSource,
    models: &ModelTable,
) -> Option<JobCost> {
    cost(&billed_of(request, result, models), price).map(|usd| JobCost { usd, basis: source.version() })
}

/// Whether the answer's token counts can be its bill at `price` (see `compute::usage_believable`):
/// counts that cannot are dropped before they are recorded, so they teach the estimates nothing.
pub fn usage_believable(
    request: &ImageRequest,
    result: &ImagesResult,
    price: &ModelPrice,
    models: &ModelTable,
) -> bool {
    super::compute::usage_believable(&billed_of(request, result, models), price)
}

/// What the answer's images are, for pricing: as answered, else as asked, else the defaults.
fn billed_of<'a>(request: &'a ImageRequest, result: &'a ImagesResult, models: &'a ModelTable) -> Billed<'a> {
    let response = &result.response;
    let (asked_size, asked_quality) = match request {
        ImageRequest::Generate(r) => (r.options.size.as_deref(), r.options.quality.as_deref()),
        ImageRequest::Edit(r) => (r.options.size.as_deref(), r.options.quality.as_deref()),
    };
    let spec = models.resolve(request.model()).spec;
    let size = response
        .size
        .as_deref()
        .or(asked_size)
        .and_then(crate::api::models::parse_size)
        .unwrap_or_else(|| spec.resolve_size(None));
    let quality = response.quality.as_deref().or(asked_quality).unwrap_or(spec.default_quality.as_str());
    Billed {
        usage: response.usage.as_ref(),
        images: response.data.len().max(result.images.len()) as u32,
        size,
        quality: Some(quality),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_keep_the_digits_that_matter() {
        assert_eq!(dollars(0.00588), "$0.0059");
        assert_eq!(dollars(0.17), "$0.17");
        assert_eq!(dollars(0.125), "$0.125");
        assert_eq!(dollars(12.4), "$12.40");
        assert_eq!(dollars(0.0), "$0.00");
        assert_eq!(dollars(0.044), "$0.044");
        assert_eq!(dollars(0.1), "$0.10");
    }
}

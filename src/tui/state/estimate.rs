//! What the form's request would cost, as the settings change ("≈ $0.17 for 4 images").

use crate::cost::{Asked, Estimate, estimate};

/// What the Settings pane says about the price.
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
}

impl super::State {
    /// The estimate for the form as it is now.
    pub fn price_note(&self) -> PriceNote {
        let Some((price, source)) = self.prices.lookup(self.catalog.provider, &self.form.model, &self.catalog.table)
        else {
            return PriceNote::Unknown;
        };
        let spec = self.spec();
        let options = &self.form.options;
        let size =
            options.size.as_deref().and_then(crate::api::models::parse_size).unwrap_or_else(|| spec.resolve_size(None));
        let quality = options.quality.as_deref().unwrap_or(spec.default_quality.as_str());
        let edit = self.form.mode == super::JobMode::Edit;
        let asked = Asked {
            n: options.n.unwrap_or(1),
            size,
            quality,
            prompt_chars: crate::text::char_count(&self.prompt_text()),
            inputs: if edit { self.form.images.len() } else { 0 },
            high_fidelity: edit && options.input_fidelity.as_deref() == Some("high"),
        };
        estimate(&asked, price, source).map_or(PriceNote::NoEstimate, PriceNote::Estimate)
    }
}

//! What the form's request would cost, as the settings change ("≈ $0.17 for 4 images").

use crate::cost::PriceNote;

impl super::State {
    /// The estimate for the form as it is now.
    pub fn price_note(&self) -> PriceNote {
        let (prices, provider, models) = (&self.env.prices, self.env.catalog.provider, &self.env.catalog.table);
        crate::cost::for_request(&self.request(), prices, provider, models, &self.env.output_history)
    }
}

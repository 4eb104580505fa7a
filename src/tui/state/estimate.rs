//! What the form's request would cost, as the settings change ("≈ $0.17 for 4 images").

use crate::cost::PriceNote;

impl super::State {
    /// The estimate for the form as it is now.
    pub fn price_note(&self) -> PriceNote {
        let (prices, provider, models) = (&self.prices, self.catalog.provider, &self.catalog.table);
        crate::cost::for_request(&self.request(), prices, provider, models, &self.output_history)
    }
}

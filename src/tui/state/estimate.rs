//! What the form's request would cost, as the settings change ("≈ $0.17 for 4 images").

use crate::cost::PriceNote;

impl super::State {
    /// The estimate for the form as it is now.
    pub fn price_note(&self) -> PriceNote {
        crate::cost::for_request(&self.request(), &self.prices, self.catalog.provider, &self.catalog.table)
    }
}

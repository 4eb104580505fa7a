//! The Spend view (`$`): what done jobs cost per local day and per model, as the history says.

use crate::store::spend::SpendRow;

/// Days shown as bars, and the days the per-model totals cover.
pub const SPEND_DAYS: u32 = 14;
pub const MODEL_DAYS: u32 = 30;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpendView {
    /// `None` until the history has answered.
    pub days: Option<Vec<SpendRow>>,
    pub models: Vec<SpendRow>,
}

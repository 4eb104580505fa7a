//! What images cost: prices as data (`prices`), a finished job's cost from what the API
//! reported and an estimate before sending (`compute`).

pub mod budget;
pub mod compute;
pub mod estimate;
pub mod history;
pub mod job;
pub mod prices;

pub use budget::{BudgetCheck, Budgets, Spent};
pub use compute::formula_tokens;
pub use estimate::{PriceNote, for_request, high_fidelity_tokens};
pub use history::{ESTIMATE_SAMPLES, OutputHistory, OutputSample};
pub use job::{JobCost, dollars};
pub use prices::PriceTable;

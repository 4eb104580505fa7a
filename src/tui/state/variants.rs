//! The form's prompt variants: the requests one submit makes, and what they come to.

use crate::store::ImageRequest;
use crate::variants::{VariantError, Variants};

impl super::State {
    /// Every request the form makes: one per prompt variant and Vary value.
    pub fn requests(&self) -> Result<Vec<ImageRequest>, VariantError> {
        let base = self.request();
        let prompts = crate::variants::expand(base.prompt())?;
        let (variants, values) = (prompts.len() as u64, self.compose.form.vary.count() as u64);
        if variants * values > crate::variants::MAX_JOBS {
            return Err(VariantError::TooManyVaried { variants, values, count: variants * values });
        }
        Ok(prompts
            .into_iter()
            .flat_map(|prompt| {
                let mut request = base.clone();
                request.set_prompt(prompt);
                self.compose.form.vary.apply(&request)
            })
            .collect())
    }

    /// How many jobs the prompt makes (saturating; Vary not counted), or why it makes none.
    pub fn variant_count(&self) -> Result<u64, VariantError> {
        Variants::parse(&self.prompt_text()).map(|v| v.count())
    }

    /// What `requests` are estimated to cost together; none when any cannot be estimated.
    pub fn estimate_of(&self, requests: &[ImageRequest]) -> Option<f64> {
        requests.iter().map(|r| self.price_of(r).usd()).sum()
    }

    /// What `requests` count for against the budgets together (a floor at the most it could
    /// be); none when any cannot be estimated.
    pub fn budget_estimate_of(&self, requests: &[ImageRequest]) -> Option<f64> {
        requests.iter().map(|r| self.price_of(r).for_budgets()).sum()
    }

    pub fn price_of(&self, request: &ImageRequest) -> crate::cost::PriceNote {
        let (prices, provider, models) = (&self.env.prices, self.env.catalog.provider, &self.env.catalog.table);
        crate::cost::for_request(request, prices, provider, models, &self.env.output_history)
    }

    /// "4 jobs (≈ $0.68 for 8 images)", "4 jobs (8 images, price unknown)".
    pub fn group_summary(&self, requests: &[ImageRequest]) -> String {
        let images: u32 = requests.iter().map(|r| r.options().n.unwrap_or(1)).sum();
        let total = self.estimate_of(requests);
        let jobs = requests.len();
        match total {
            Some(usd) => format!("{jobs} jobs (≈ {} for {images} images)", crate::cost::dollars(usd)),
            None => format!("{jobs} jobs ({images} images, no estimate)"),
        }
    }
}

//! The Vary rows: one setting (model, quality or size) and the values to try it with, for a
//! comparison of the same prompt. Each chosen value is a job of the submit's group.

use crate::api::ModelSpec;
use crate::catalog::ModelCatalog;
use crate::store::ImageRequest;

/// The setting a submit varies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Varied {
    Model,
    Quality,
    Size,
}

impl Varied {
    pub const ALL: [Self; 3] = [Self::Model, Self::Quality, Self::Size];

    pub fn name(self) -> &'static str {
        match self {
            Self::Model => "model",
            Self::Quality => "quality",
            Self::Size => "size",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.name() == name)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vary {
    pub setting: Option<Varied>,
    /// The values chosen, in the order they are offered.
    pub chosen: Vec<String>,
    /// The values it can take with the form's model.
    pub candidates: Vec<String>,
    /// The value under the cursor on the Values row.
    pub cursor: usize,
}

impl Vary {
    /// The values `setting` can take for the form's model (and mode).
    pub fn candidates(setting: Varied, spec: &ModelSpec, catalog: &ModelCatalog, edit: bool) -> Vec<String> {
        match setting {
            Varied::Model => catalog.offered(edit).into_iter().map(|m| m.name).collect(),
            Varied::Quality => spec.qualities.iter().filter(|q| *q != "auto").cloned().collect(),
            Varied::Size => spec.sizes.iter().filter(|s| *s != "auto").cloned().collect(),
        }
    }

    /// Turns varying on (for `setting`, with its usual comparison chosen) or off.
    pub fn set(&mut self, setting: Option<Varied>, current_model: &str, candidates: &[String]) {
        self.setting = setting;
        self.cursor = 0;
        self.candidates = candidates.to_vec();
        self.chosen = match setting {
            None => Vec::new(),
            // A model comparison starts from the model in the form; the others are added.
            Some(Varied::Model) => vec![current_model.to_string()],
            Some(_) => candidates.to_vec(),
        };
    }

    /// Another model: the values it cannot take are dropped.
    pub fn refresh(&mut self, candidates: Vec<String>) {
        self.chosen.retain(|c| candidates.contains(c));
        self.cursor = self.cursor.min(candidates.len().saturating_sub(1));
        self.candidates = candidates;
    }

    /// Space on the Values row: the value under the cursor in or out.
    pub fn toggle(&mut self) {
        let candidates = &self.candidates;
        let Some(value) = candidates.get(self.cursor) else { return };
        if let Some(at) = self.chosen.iter().position(|c| c == value) {
            self.chosen.remove(at);
        } else {
            self.chosen.push(value.clone());
            // Kept in the order offered, so the jobs come in a reading order.
            self.chosen.sort_by_key(|c| candidates.iter().position(|x| x == c).unwrap_or(usize::MAX));
        }
    }

    pub fn move_cursor(&mut self, delta: isize) {
        let last = self.candidates.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
    }

    /// How many jobs each prompt makes: one per chosen value (at least one).
    pub fn count(&self) -> usize {
        match self.setting {
            Some(_) => self.chosen.len().max(1),
            None => 1,
        }
    }

    /// `request` once per chosen value.
    pub fn apply(&self, request: &ImageRequest) -> Vec<ImageRequest> {
        let Some(setting) = self.setting.filter(|_| !self.chosen.is_empty()) else { return vec![request.clone()] };
        self.chosen
            .iter()
            .map(|value| {
                let mut varied = request.clone();
                let (model, options) = match &mut varied {
                    ImageRequest::Generate(r) => (&mut r.model, &mut r.options),
                    ImageRequest::Edit(r) => (&mut r.model, &mut r.options),
                };
                match setting {
                    Varied::Model => *model = value.clone(),
                    Varied::Quality => options.quality = Some(value.clone()),
                    Varied::Size => options.size = Some(value.clone()),
                }
                varied
            })
            .collect()
    }

    /// The Values row: the value under the cursor, whether it is chosen, and all chosen.
    /// "‹ medium ✓ › 2 of 3: low, medium".
    pub fn describe(&self) -> String {
        let Some(here) = self.candidates.get(self.cursor) else { return "no values for this model".into() };
        let mark = if self.chosen.contains(here) { "✓" } else { "·" };
        let chosen = if self.chosen.is_empty() { "none yet (Space adds)".into() } else { self.chosen.join(", ") };
        format!("‹ {here} {mark} › {} of {}: {chosen}", self.chosen.len(), self.candidates.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::GenerateRequest;

    #[test]
    fn each_chosen_value_is_a_request_in_the_order_offered() {
        let offered: Vec<String> = ["low", "medium", "high"].map(String::from).to_vec();
        let mut vary = Vary::default();
        vary.set(Some(Varied::Quality), "gpt-image-1", &offered);
        assert_eq!(vary.chosen, offered, "a quality comparison starts with every quality");
        vary.move_cursor(1);
        vary.toggle();
        assert_eq!(vary.chosen, ["low", "high"]);
        assert_eq!(vary.describe(), "‹ medium · › 2 of 3: low, high");
        vary.toggle();
        assert_eq!(vary.chosen, ["low", "medium", "high"], "back in its place");
        let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-1", "a fox"));
        let qualities: Vec<_> = vary.apply(&request).iter().map(|r| r.options().quality.clone()).collect();
        assert_eq!(qualities, [Some("low".into()), Some("medium".into()), Some("high".into())]);
        vary.set(Some(Varied::Model), "gpt-image-1", &[]);
        assert_eq!(vary.count(), 1, "a model comparison starts from the form's model");
        vary.set(None, "gpt-image-1", &[]);
        assert_eq!(vary.apply(&request), vec![request]);
    }
}

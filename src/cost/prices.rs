//! Prices as data: the built-in table (OpenAI's list prices, `config/prices.toml`) and the
//! config's `[prices.PROVIDER."MODEL"]` over it. TTAPI has no built-in prices (it bills its own
//! quota); demo jobs are priced from the list, and say so.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::api::{ModelTable, Provider};

const BUILTIN: &str = include_str!("../../config/prices.toml");

/// One model's price: token rates in USD per 1M tokens, per-image prices keyed
/// `WxH/quality` (or `WxH`), and the output-token bases of OpenAI's calculator.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelPrice {
    pub text_in: Option<f64>,
    pub text_in_cached: Option<f64>,
    pub image_in: Option<f64>,
    pub image_in_cached: Option<f64>,
    pub image_out: Option<f64>,
    pub text_out: Option<f64>,
    #[serde(default)]
    pub per_image: BTreeMap<String, f64>,
    #[serde(default)]
    pub output_token_base: BTreeMap<String, u32>,
    /// Bases of a formula that gives a lower bound only, for a model with no formula of its
    /// own: used when no earlier job has reported its tokens.
    #[serde(default)]
    pub floor_token_base: BTreeMap<String, u32>,
}

impl ModelPrice {
    /// `over`'s rates and prices, with this price's where `over` has none.
    fn merged(&self, over: &ModelPrice) -> ModelPrice {
        let mut per_image = self.per_image.clone();
        per_image.extend(over.per_image.clone());
        let mut output_token_base = self.output_token_base.clone();
        output_token_base.extend(over.output_token_base.clone());
        let mut floor_token_base = self.floor_token_base.clone();
        floor_token_base.extend(over.floor_token_base.clone());
        ModelPrice {
            text_in: over.text_in.or(self.text_in),
            text_in_cached: over.text_in_cached.or(self.text_in_cached),
            image_in: over.image_in.or(self.image_in),
            image_in_cached: over.image_in_cached.or(self.image_in_cached),
            image_out: over.image_out.or(self.image_out),
            text_out: over.text_out.or(self.text_out),
            per_image,
            output_token_base,
            floor_token_base,
        }
    }
}

/// Where a price comes from, as shown beside a cost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PriceSource {
    /// The built-in list, with its version.
    List(String),
    /// The user's config.
    Configured,
    /// A model this build does not know, priced as the known model its rules are guessed from
    /// (its tokens most likely cost the same), from the built-in list of this version.
    Guessed { from: String, version: String },
}

impl PriceSource {
    /// "OpenAI list price" / "your configured price", for messages.
    pub fn label(&self) -> &'static str {
        match self {
            Self::List(_) => "OpenAI list price",
            Self::Configured => "your configured price",
            Self::Guessed { .. } => "OpenAI list price of the model its rules are guessed from",
        }
    }

    /// What is stored with a job, so a later price change does not rewrite its cost.
    pub fn version(&self) -> String {
        match self {
            Self::List(version) => version.clone(),
            Self::Configured => "configured".into(),
            Self::Guessed { from, version } => format!("{version}, as {from}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PriceTable {
    version: String,
    list: HashMap<String, ModelPrice>,
    /// The config's prices, by `configured_key`.
    configured: HashMap<String, ModelPrice>,
}

/// `openai/MODEL` or `ttapi/MODEL`.
fn configured_key(provider: Provider, model: &str) -> String {
    let provider = if provider == Provider::Ttapi { "ttapi" } else { "openai" };
    format!("{provider}/{model}")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BuiltinFile {
    version: String,
    openai: HashMap<String, ModelPrice>,
}

impl PriceTable {
    pub fn builtin() -> Self {
        // The embedded file is checked by a test; a mistake there cannot reach a user.
        let file: BuiltinFile =
            toml::from_str(BUILTIN).unwrap_or_else(|_| BuiltinFile { version: String::new(), openai: HashMap::new() });
        Self { version: file.version, list: file.openai, configured: HashMap::new() }
    }

    /// The built-in table with the config's `[prices]` over it; a wrong entry is refused,
    /// naming it and the rule.
    pub fn with_config(prices: &toml::Table) -> Result<Self, String> {
        let mut table = Self::builtin();
        for (provider_name, models) in prices {
            let provider = match provider_name.as_str() {
                "openai" => Provider::Openai,
                "ttapi" => Provider::Ttapi,
                other => return Err(format!("[prices.{other}]: the providers are openai and ttapi")),
            };
            let toml::Value::Table(models) = models else {
                return Err(format!("[prices.{provider_name}] must be a table of models"));
            };
            for (model, value) in models {
                let at = format!("[prices.{provider_name}.\"{model}\"]");
                let price: ModelPrice =
                    value.clone().try_into().map_err(|e: toml::de::Error| format!("{at}: {}", e.message().trim()))?;
                check(&price).map_err(|why| format!("{at}: {why}"))?;
                // Key by key over the list's price for the model: an override of one rate
                // keeps the others.
                let listed = (provider == Provider::Openai).then(|| table.list.get(model)).flatten();
                let merged = listed.map_or_else(|| price.clone(), |listed| listed.merged(&price));
                table.configured.insert(configured_key(provider, model), merged);
            }
        }
        Ok(table)
    }

    /// The price of `model` at `provider`: the config's, else (OpenAI and the demo) the list's,
    /// by the model's own name or the known model it is a snapshot of.
    pub fn lookup(&self, provider: Provider, model: &str, models: &ModelTable) -> Option<(&ModelPrice, PriceSource)> {
        let resolved = models.resolve(model);
        let canonical = (!resolved.guessed).then_some(resolved.spec.name.as_str());
        let names = std::iter::once(model).chain(canonical);
        let billed_as = if provider == Provider::Demo { Provider::Openai } else { provider };
        for name in names.clone() {
            if let Some(price) = self.configured.get(&configured_key(billed_as, name)) {
                return Some((price, PriceSource::Configured));
            }
        }
        if billed_as != Provider::Openai {
            return None;
        }
        if let Some(price) = names.into_iter().find_map(|name| self.list.get(name)) {
            return Some((price, PriceSource::List(self.version.clone())));
        }
        // Unknown to this build: priced as the model its rules are guessed from, so a budget
        // still sees what it spends.
        let from = resolved.spec.name.as_str();
        let price = self.list.get(from).filter(|_| resolved.guessed)?;
        Some((price, PriceSource::Guessed { from: from.to_string(), version: self.version.clone() }))
    }
}

/// Prices are finite and not negative.
fn check(price: &ModelPrice) -> Result<(), String> {
    let rates = [
        ("text_in", price.text_in),
        ("text_in_cached", price.text_in_cached),
        ("image_in", price.image_in),
        ("image_in_cached", price.image_in_cached),
        ("image_out", price.image_out),
        ("text_out", price.text_out),
    ];
    for key in price.per_image.keys() {
        let (size, quality) = key.split_once('/').unwrap_or((key, ""));
        let size_ok = crate::api::models::parse_size(size).is_some_and(|(w, h)| w > 0 && h > 0);
        let quality_ok = quality.chars().all(|c| c.is_ascii_lowercase());
        // Sizes are written as the API writes them: "1024x1024", never "1024X1024".
        if !size_ok || !quality_ok || key.trim() != key || key.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(format!(
                "per_image \"{key}\": the keys are \"WIDTHxHEIGHT\" or \"WIDTHxHEIGHT/quality\" (e.g. \"1024x1024/high\")"
            ));
        }
    }
    let per_image = price.per_image.iter().map(|(k, v)| (k.as_str(), Some(*v)));
    for (name, value) in rates.into_iter().chain(per_image) {
        if let Some(v) = value
            && !(v.is_finite() && (0.0..=super::budget::MAX_USD).contains(&v))
        {
            return Err(format!("{name} = {v}: a price is a number of dollars from 0 to {}", super::budget::MAX_USD));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_parses_and_holds_every_openai_image_model() {
        let file: BuiltinFile = toml::from_str(BUILTIN).expect("config/prices.toml parses");
        for model in ["gpt-image-2", "gpt-image-2.5-flare", "gpt-image-1.5", "gpt-image-1", "dall-e-2", "dall-e-3"] {
            assert!(file.openai.contains_key(model), "{model}");
        }
        for price in file.openai.values() {
            check(price).unwrap();
        }
    }

    #[test]
    fn ttapi_has_no_price_until_configured_and_the_config_wins() {
        let models = ModelTable::builtin();
        let table = PriceTable::builtin();
        assert!(table.lookup(Provider::Ttapi, "gpt-image-2", &models).is_none());
        let (price, source) = table.lookup(Provider::Demo, "gpt-image-2", &models).unwrap();
        assert_eq!((price.image_out, source.label()), (Some(30.0), "OpenAI list price"));
        let config: toml::Table =
            toml::from_str("[ttapi.\"gpt-image-2\"]\nimage_out = 12.0\n[openai.\"gpt-image-2\"]\nimage_out = 31.0\n")
                .unwrap();
        let table = PriceTable::with_config(&config).unwrap();
        let (price, source) = table.lookup(Provider::Ttapi, "gpt-image-2", &models).unwrap();
        assert_eq!((price.image_out, source), (Some(12.0), PriceSource::Configured));
        assert_eq!(table.lookup(Provider::Openai, "gpt-image-2", &models).unwrap().0.image_out, Some(31.0));
    }

    #[test]
    fn a_model_this_build_does_not_know_is_priced_as_the_one_its_rules_come_from() {
        let models = ModelTable::builtin();
        let table = PriceTable::builtin();
        let (price, source) = table.lookup(Provider::Openai, "gpt-image-2.7-flare", &models).unwrap();
        let (flare, _) = table.lookup(Provider::Openai, "gpt-image-2.6-flare", &models).unwrap();
        assert_eq!(price, flare);
        assert!(matches!(&source, PriceSource::Guessed { from, .. } if from == "gpt-image-2.6-flare"), "{source:?}");
        assert!(source.label().contains("guessed from"), "{}", source.label());
        // At TTAPI nothing is guessed: its prices are its own.
        assert!(table.lookup(Provider::Ttapi, "gpt-image-2.7-flare", &models).is_none());
    }

    #[test]
    fn a_wrong_price_is_refused_naming_it() {
        let bad = |text: &str| PriceTable::with_config(&toml::from_str(text).unwrap()).unwrap_err();
        assert!(bad("[openai.\"gpt-image-2\"]\nimage_out = -1.0\n").contains("image_out = -1"));
        assert!(bad("[openai.\"gpt-image-2\"]\nimage_outt = 1.0\n").contains("[prices.openai.\"gpt-image-2\"]"));
        assert!(bad("[azure.\"x\"]\nimage_out = 1.0\n").contains("openai and ttapi"));
        assert!(bad("[openai.x]\nper_image = { \"1024X1024\" = 0.04 }\n").contains("WIDTHxHEIGHT"));
    }
}

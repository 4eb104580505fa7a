//! The one table of per-model rules. The form's choices, `validate()` and the demo server all
//! read it, so a rule changes in one place. It is plain data: users add or override models in
//! the config file (`[models.NAME]`, optionally `like = "gpt-image-2"` to start from a builtin).
//! A name the table does not know gets the rules of its nearest family (`resolve`), marked as
//! guessed, so a model released after this build can still be used.

use std::fmt;

use serde::{Deserialize, Serialize};

mod builtin;
use builtin::{
    dall_e_2, dall_e_3, free_size_gpt_image, gpt_image, gpt_image_2, gpt_image_2_5, gpt_image_2_6, png, strings,
};

/// Everything the API accepts for one model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    pub name: String,
    /// Other names of the same model (dated snapshots such as `gpt-image-2-2026-04-21`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub prompt_max_chars: usize,
    pub n_max: u32,
    /// Fixed sizes accepted (may include `auto`).
    pub sizes: Vec<String>,
    /// When set, any `WxH` within these limits is accepted too.
    pub free_size: Option<FreeSize>,
    pub default_size: String,
    pub qualities: Vec<String>,
    pub default_quality: String,
    /// `complexity` values, the default last; empty: not taken.
    #[serde(default)]
    pub complexities: Vec<String>,
    /// What the provider took away from this model, with the day.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withdrawn: Vec<Withdrawn>,
    /// Empty: the parameter is not accepted (results always come as `b64_json`).
    pub response_formats: Vec<String>,
    pub default_response_format: String,
    /// Empty: the parameter is not accepted (results are PNG).
    pub output_formats: Vec<String>,
    /// The format when none is asked for; the compression and transparency rules test it.
    #[serde(default = "png")]
    pub default_output_format: String,
    /// Output formats with which `output_compression` (0-100) is accepted.
    pub compression_formats: Vec<String>,
    /// `output_format = gif` (gpt-image-2.6): its frames and their time; `None`: no GIFs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gif: Option<GifRules>,
    /// Text models that may write an SVG answer (`output_format = svg`, `svg.model`), the
    /// default first; empty: no SVGs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub svg_models: Vec<String>,
    pub backgrounds: Vec<String>,
    /// Output formats that can carry a transparent background.
    pub transparent_formats: Vec<String>,
    pub moderations: Vec<String>,
    pub styles: Vec<String>,
    /// `Some(max)`: `stream` and `partial_images` 0..=max are accepted.
    pub max_partial_images: Option<u32>,
    pub input_fidelities: Vec<String>,
    /// `None`: the model cannot edit.
    pub edit: Option<EditLimits>,
    /// Whether responses carry `usage` (token counts).
    pub reports_usage: bool,
    /// Whether responses carry a `revised_prompt`.
    pub revises_prompt: bool,
    /// The test build's own parameter (see `params::Param::Whimsy`).
    #[cfg(test)]
    #[serde(default)]
    pub whimsies: Vec<String>,
}

/// What an animated GIF answer may be (`../shared/api.md`, "What 2.6 adds").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GifRules {
    pub min_frames: u32,
    pub max_frames: u32,
    pub default_frames: u32,
    pub min_frame_ms: u32,
    pub max_frame_ms: u32,
    pub default_frame_ms: u32,
    /// The frames share one pixel budget: (most frames, longest side of a frame), smallest
    /// count first. A GIF of more frames than the last entry is refused.
    pub frame_sides: Vec<(u32, u32)>,
}

impl GifRules {
    /// The longest side a frame may have when there are `frames` of them.
    pub fn max_side(&self, frames: u32) -> Option<u32> {
        self.frame_sides.iter().find(|(most, _)| frames <= *most).map(|(_, side)| *side)
    }
}

/// Free `WxH` sizes (gpt-image-2): both sides multiples of `multiple_of`, aspect ratio at most
/// `max_ratio`:1, long edge at most `max_long_edge`, short edge at most `max_short_edge`, and
/// `min_pixels` to `max_pixels` pixels in all.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreeSize {
    pub multiple_of: u32,
    pub max_ratio: u32,
    pub max_long_edge: u32,
    pub max_short_edge: u32,
    #[serde(default)]
    pub min_pixels: u64,
    #[serde(default = "no_pixel_cap")]
    pub max_pixels: u64,
}

fn no_pixel_cap() -> u64 {
    u64::MAX
}

/// A value (or the whole parameter) a provider withdrew from a model on a day: refused, naming
/// the day and the models that still take it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withdrawn {
    /// The parameter's API name.
    pub param: String,
    /// One value of it; `None`: the parameter as a whole.
    #[serde(default)]
    pub value: Option<String>,
    pub since: crate::clock::Date,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditLimits {
    pub max_images: usize,
    /// Accepted input formats: `png`, `jpeg`, `webp`.
    pub image_formats: Vec<String>,
    pub max_image_bytes: u64,
    pub square_only: bool,
    pub mask_max_bytes: u64,
    /// Takes `markup`: a transparent PNG of marks over the first image (gpt-image-2.6).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub markup: bool,
}

impl ModelSpec {
    pub fn can_edit(&self) -> bool {
        self.edit.is_some()
    }

    /// Whether `name` is this model's name or one of its aliases.
    pub fn answers_to(&self, name: &str) -> bool {
        self.name == name || self.aliases.iter().any(|a| a == name)
    }

    /// Whether `size` is accepted, by the fixed list or the free rule.
    pub fn size_allowed(&self, size: &str) -> bool {
        if self.sizes.iter().any(|s| s == size) {
            return true;
        }
        match (&self.free_size, parse_size(size)) {
            (Some(rule), Some((w, h))) => rule.allows(w, h),
            _ => false,
        }
    }

    /// A GIF's frame size: the free-size rule without its least number of pixels (a GIF of
    /// 13-16 frames has frames of at most 720x720, under the 655,360 pixels of a still image);
    /// the frames' own budget is checked beside it (`validate::check_gif`).
    pub fn gif_size_allowed(&self, size: &str) -> bool {
        match (&self.free_size, parse_size(size)) {
            (Some(rule), Some((w, h))) if self.gif.is_some() => FreeSize { min_pixels: 0, ..rule.clone() }.allows(w, h),
            _ => self.size_allowed(size),
        }
    }

    /// Human list of the accepted sizes, for messages.
    pub fn sizes_description(&self) -> String {
        let mut text = self.sizes.join(", ");
        if let Some(rule) = &self.free_size {
            text.push_str(&format!(
                ", or any WxH with both sides multiples of {}, aspect ratio at most {}:1, \
                 at most {}x{}",
                rule.multiple_of, rule.max_ratio, rule.max_long_edge, rule.max_short_edge
            ));
            if rule.min_pixels > 0 || rule.max_pixels < u64::MAX {
                text.push_str(&format!(
                    ", {} to {} pixels in all",
                    thousands(rule.min_pixels),
                    thousands(rule.max_pixels)
                ));
            }
        }
        text
    }

    /// Rules a request could never meet, or that would break imgtui's arithmetic: said by the
    /// config's reader, naming the rule.
    pub fn check_rules(&self) -> Result<(), String> {
        let name = &self.name;
        if let Some(problem) = super::validate::model_name_problem(name) {
            return Err(format!("the model name {}", problem.message()));
        }
        if self.n_max == 0 {
            return Err("n_max must be at least 1".into());
        }
        if self.prompt_max_chars == 0 {
            return Err("prompt_max_chars must be at least 1".into());
        }
        if let Some(free) = &self.free_size {
            if free.multiple_of == 0 || free.max_ratio == 0 {
                return Err("free_size: multiple_of and max_ratio must be at least 1".into());
            }
            if free.min_pixels > free.max_pixels {
                return Err(format!(
                    "free_size: min_pixels {} is over max_pixels {}",
                    free.min_pixels, free.max_pixels
                ));
            }
        }
        if let Some(bad) =
            self.sizes.iter().find(|s| *s != "auto" && parse_size(s).is_none_or(|(w, h)| w == 0 || h == 0))
        {
            return Err(format!("sizes: \"{bad}\" is not WxH (such as 1024x1024) or auto"));
        }
        if self.n_max > N_MAX_MOST {
            return Err(format!("n_max {} is more than any model takes (at most {N_MAX_MOST})", self.n_max));
        }
        if self.sizes.is_empty() && self.free_size.is_none() {
            return Err("sizes: a model needs at least one size (or free_size)".into());
        }
        if self.qualities.is_empty() {
            return Err("qualities: a model needs at least one quality".into());
        }
        // Lists are sets of choices: an empty or repeated value is a mistake.
        for (field, values) in [
            ("sizes", &self.sizes),
            ("qualities", &self.qualities),
            ("complexities", &self.complexities),
            ("backgrounds", &self.backgrounds),
            ("output_formats", &self.output_formats),
        ] {
            if values.iter().any(|v| v.trim().is_empty()) {
                return Err(format!("{field}: an empty value"));
            }
            if let Some(twice) = values.iter().enumerate().find(|(i, v)| values[..*i].contains(v)).map(|(_, v)| v) {
                return Err(format!("{field}: \"{twice}\" is listed twice"));
            }
        }
        if !self.qualities.contains(&self.default_quality) {
            return Err(format!(
                "default_quality \"{}\" is not one of qualities ({})",
                self.default_quality,
                self.qualities.join(", ")
            ));
        }
        let free_takes =
            |size: &str| parse_size(size).zip(self.free_size.as_ref()).is_some_and(|((w, h), free)| free.allows(w, h));
        if !self.sizes.contains(&self.default_size) && !free_takes(&self.default_size) {
            return Err(format!(
                "default_size \"{}\" is not one of sizes and not a free size it takes",
                self.default_size
            ));
        }
        Ok(())
    }

    /// When the provider withdrew `value` of `param` (or the whole parameter) from this model.
    pub fn withdrawn_since(&self, param: &str, value: &str) -> Option<crate::clock::Date> {
        self.withdrawn
            .iter()
            .find(|w| w.param == param && w.value.as_deref().is_none_or(|v| v == value))
            .map(|w| w.since)
    }

    /// Pixel size a request produces (`auto` and unparsable sizes fall back to 1024x1024).
    pub fn resolve_size(&self, size: Option<&str>) -> (u32, u32) {
        let size = size.unwrap_or(&self.default_size);
        parse_size(size).unwrap_or((1024, 1024))
    }
}

impl FreeSize {
    pub fn allows(&self, w: u32, h: u32) -> bool {
        let (long, short) = if w >= h { (w, h) } else { (h, w) };
        w > 0
            && h > 0
            && w.checked_rem(self.multiple_of) == Some(0)
            && h.checked_rem(self.multiple_of) == Some(0)
            && long <= short.saturating_mul(self.max_ratio)
            && long <= self.max_long_edge
            && (self.min_pixels..=self.max_pixels).contains(&(u64::from(w) * u64::from(h)))
            && short <= self.max_short_edge
    }
}

/// `8294400` as `8,294,400`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Parses `WxH` (e.g. `1536x1024`) into pixels.
pub fn parse_size(size: &str) -> Option<(u32, u32)> {
    let (w, h) = size.split_once('x')?;
    Some((w.parse().ok()?, h.parse().ok()?))
}

/// The models imgtui knows, builtins first (newest first), then the user's.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelTable {
    models: Vec<ModelSpec>,
    /// Names the config file added or changed.
    configured: Vec<String>,
}

/// The model the API assumes when a request names none (the spec's defaults).
pub const SPEC_DEFAULT_GENERATION_MODEL: &str = "dall-e-2";
pub const SPEC_DEFAULT_EDIT_MODEL: &str = "gpt-image-1.5";

/// Rules for names the table does not know, by prefix, most specific first: a model released
/// after this build most likely takes the request shape of its family.
const FAMILIES: &[(&str, &str)] = &[
    ("gpt-image-2.6-", "gpt-image-2.6-flare"),
    ("gpt-image-2.5-", "gpt-image-2.5-flare"),
    ("gpt-image-2", "gpt-image-2"),
    ("gpt-image-1.5", "gpt-image-1.5"),
    ("gpt-image-1-mini", "gpt-image-1-mini"),
    ("gpt-image-1", "gpt-image-1"),
    ("gpt-image-", "gpt-image-2"),
    ("chatgpt-image-", "chatgpt-image-latest"),
    ("dall-e-3", "dall-e-3"),
    ("dall-e-", "dall-e-2"),
];
/// The rules for a name of no known family (a gateway's own name, say).
const FALLBACK_FAMILY: &str = "gpt-image-2";

/// Where a model's rules come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RulesOrigin {
    Builtin,
    /// The config file's `[models]` added or changed the model.
    Config,
    /// The table does not know the name: the rules of the model named here are assumed, and
    /// breaking them warns instead of refusing (the server's answer decides).
    Guessed {
        from: String,
    },
}

impl fmt::Display for RulesOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Builtin => f.write_str("built-in"),
            Self::Config => f.write_str("rules from config"),
            Self::Guessed { from } => write!(f, "guessed from {from}"),
        }
    }
}

/// The rules a request for one model name is checked against.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Resolved<'a> {
    pub spec: &'a ModelSpec,
    pub guessed: bool,
}

impl Default for ModelTable {
    fn default() -> Self {
        Self::builtin()
    }
}

impl ModelTable {
    pub fn builtin() -> Self {
        Self {
            models: vec![
                gpt_image_2_6("gpt-image-2.6-flare"),
                gpt_image_2_6("gpt-image-2.6-sunburst"),
                gpt_image_2_5("gpt-image-2.5-flare", "gpt-image-2.5-flare-2026-09-08"),
                gpt_image_2_5("gpt-image-2.5-sunburst", "gpt-image-2.5-sunburst-2026-09-08"),
                gpt_image_2(),
                free_size_gpt_image("chatgpt-image-latest", &[]),
                ModelSpec { aliases: strings(&["gpt-image-1.5-2025-12-16"]), ..gpt_image("gpt-image-1.5", true) },
                gpt_image("gpt-image-1-mini", false),
                gpt_image("gpt-image-1", true),
                dall_e_2(),
                dall_e_3(),
            ],
            configured: Vec::new(),
        }
    }

    /// The model called `name` (or one of its aliases), if the table knows it.
    pub fn get(&self, name: &str) -> Option<&ModelSpec> {
        self.models.iter().find(|m| m.name == name).or_else(|| self.models.iter().find(|m| m.answers_to(name)))
    }

    /// The rules for `name`: its own, or those of its nearest family, marked as guessed.
    pub fn resolve(&self, name: &str) -> Resolved<'_> {
        if let Some(spec) = self.get(name) {
            return Resolved { spec, guessed: false };
        }
        if let Some(spec) = self.nearest_release(name) {
            return Resolved { spec, guessed: true };
        }
        let family = FAMILIES.iter().find(|(prefix, _)| name.starts_with(prefix)).map_or(FALLBACK_FAMILY, |f| f.1);
        let spec = self.get(family).or_else(|| self.models.first());
        match spec {
            Some(spec) => Resolved { spec, guessed: true },
            // A table emptied by hand cannot happen (builtins are never removed); keep a spec.
            None => Resolved { spec: &FALLBACK_SPEC, guessed: true },
        }
    }

    /// For a release of the flagship family this build does not know (`gpt-image-2.7-flare`),
    /// the known model it most likely shares its request shape with: one of the same version,
    /// else the newest of its tier no newer than it (the table's order breaks ties).
    fn nearest_release(&self, name: &str) -> Option<&ModelSpec> {
        use super::lineage::Lineage;
        let asked = Lineage::of(name);
        if !asked.flagship || asked.version.is_empty() {
            return None;
        }
        let candidates = self.models.iter().filter_map(|m| {
            let known = Lineage::of(&m.name);
            (known.flagship && known.version <= asked.version).then_some((m, known))
        });
        let rank = |known: &Lineage| (known.version == asked.version, known.tier == asked.tier);
        let best = candidates.fold(None::<(&ModelSpec, Lineage)>, |best, (m, known)| match best {
            Some((b, bk)) if (rank(&bk), &bk.version) >= (rank(&known), &known.version) => Some((b, bk)),
            _ => Some((m, known)),
        })?;
        // Of another version and another tier, it is no nearer than the family's rules.
        (rank(&best.1) != (false, false)).then_some(best.0)
    }

    /// Where the rules for `name` come from.
    pub fn origin(&self, name: &str) -> RulesOrigin {
        let resolved = self.resolve(name);
        if resolved.guessed {
            RulesOrigin::Guessed { from: resolved.spec.name.clone() }
        } else if self.configured.contains(&resolved.spec.name) {
            RulesOrigin::Config
        } else {
            RulesOrigin::Builtin
        }
    }

    pub fn all(&self) -> &[ModelSpec] {
        &self.models
    }

    pub fn names(&self) -> Vec<&str> {
        self.models.iter().map(|m| m.name.as_str()).collect()
    }

    /// Adds `spec`, replacing a model of the same name.
    pub fn insert(&mut self, spec: ModelSpec) {
        if !self.configured.contains(&spec.name) {
            self.configured.push(spec.name.clone());
        }
        match self.models.iter_mut().find(|m| m.name == spec.name) {
            Some(existing) => *existing = spec,
            None => self.models.push(spec),
        }
    }

    /// Applies a `[models.NAME]` config table: fields over `like` (or over the model of the same
    /// name, when it exists), or a complete new spec.
    /// `[models."NAME"]` from the config: a model's rules, whole or `like` another's with
    /// differences. A list given here replaces the one it starts from, and with it what the
    /// provider withdrew of that parameter (`backgrounds` with transparent says it is taken).
    pub fn apply_override(&mut self, name: &str, table: &toml::Table) -> Result<(), String> {
        let mut fields = table.clone();
        let base_name = match fields.remove("like") {
            Some(toml::Value::String(like)) => Some(like),
            Some(other) => return Err(format!("`like` must be a model name, not {other}")),
            None => self.get(name).map(|m| m.name.clone()),
        };
        let mut merged = match &base_name {
            Some(base) => {
                let spec = self
                    .get(base)
                    .ok_or_else(|| format!("`like = \"{base}\"` names no known model ({})", self.names().join(", ")))?;
                toml::Table::try_from(spec).map_err(|e| e.to_string())?
            }
            None => toml::Table::new(),
        };
        if base_name.as_deref() != Some(name) && !fields.contains_key("aliases") {
            // A new model does not answer to the names of the one it starts from; a built-in
            // given new rules keeps its own (its dated snapshots still name it).
            match self.get(name).filter(|m| m.name == name).map(|m| m.aliases.clone()) {
                Some(own) => merged.insert("aliases".into(), toml::Value::try_from(own).map_err(|e| e.to_string())?),
                None => merged.remove("aliases"),
            };
        }
        if !fields.contains_key("withdrawn")
            && let Some(toml::Value::Array(withdrawn)) = merged.get_mut("withdrawn")
        {
            // `qualities` → quality, `backgrounds` → background: the parameter a list is of.
            let param_of = |field: &str| match field.strip_suffix("ies") {
                Some(stem) => format!("{stem}y"),
                None => field.strip_suffix('s').unwrap_or(field).to_string(),
            };
            let given: Vec<String> = fields.keys().map(|k| param_of(k)).collect();
            withdrawn
                .retain(|w| w.get("param").and_then(toml::Value::as_str).is_none_or(|p| !given.iter().any(|g| g == p)));
        }
        // A list given without its default keeps the default it started from when it still
        // holds it, else takes its first value.
        for (list, default) in [("qualities", "default_quality"), ("sizes", "default_size")] {
            if let Some(toml::Value::Array(values)) = fields.get(list)
                && !fields.contains_key(default)
                && let Some(toml::Value::String(first)) = values.first()
                && !values.iter().any(|v| Some(v) == merged.get(default))
                && !(default == "default_size" && merged.contains_key("free_size"))
            {
                merged.insert(default.into(), toml::Value::String(first.clone()));
            }
        }
        merged.extend(fields);
        merged.insert("name".into(), toml::Value::String(name.to_string()));
        let spec: ModelSpec = merged.try_into().map_err(|e: toml::de::Error| e.message().to_string())?;
        spec.check_rules()?;
        self.insert(spec);
        Ok(())
    }
}

/// The most images any model gives for one request (OpenAI's is 10).
const N_MAX_MOST: u32 = 100;

static FALLBACK_SPEC: std::sync::LazyLock<ModelSpec> =
    std::sync::LazyLock::new(|| free_size_gpt_image(FALLBACK_FAMILY, &[]));

#[cfg(test)]
#[path = "models_tests.rs"]
mod tests;

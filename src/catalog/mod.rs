//! Which models exist today, and with what rules: the model table (rules), the retirements
//! imgtui knows (`api::lifecycle`), and what the provider itself lists (`GET /models`, cached
//! in the data dir). The form's model selector, the default model, `imgtui models` and the
//! refusal of a shut-down model all read this one value.

pub mod fetch;
pub mod listing;

use serde::Serialize;

use crate::api::lifecycle::{self, Lifecycle};
use crate::api::lineage::{Lineage, Tier};
use crate::api::models::RulesOrigin;
use crate::api::problem::{FieldError, Problem};
use crate::api::{ModelSpec, ModelTable, Provider};
use crate::clock::Date;
pub use listing::{ListedModel, Listing, ListingSource};

#[derive(Clone, Debug, PartialEq)]
pub struct ModelCatalog {
    pub table: ModelTable,
    pub provider: Provider,
    pub listing: Listing,
    pub today: Date,
}

/// One model as the selector and `imgtui models` show it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelInfo {
    pub name: String,
    pub state: Lifecycle,
    /// Whether the provider's own list has it; `None` when that list is not in use.
    pub listed: Option<bool>,
    #[serde(serialize_with = "as_text")]
    pub origin: RulesOrigin,
    /// What to use instead, for a model that is retiring or gone.
    pub replacement: Option<String>,
}

fn as_text<S: serde::Serializer>(origin: &RulesOrigin, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(origin)
}

impl ModelCatalog {
    /// What imgtui knows without asking the provider.
    pub fn builtin(table: ModelTable, provider: Provider, reason: &str) -> Self {
        Self { table, provider, listing: Listing::builtin(reason), today: Date::today() }
    }

    /// The rules a request for `name` is checked against (guessed for unknown names).
    pub fn spec(&self, name: &str) -> &ModelSpec {
        self.table.resolve(name).spec
    }

    /// The provider's entry for `name`, by its own name, its canonical name or an alias.
    fn listed_entry(&self, name: &str) -> Option<&ListedModel> {
        if let Some(entry) = self.listing.find(name) {
            return Some(entry);
        }
        let spec = self.table.get(name)?;
        std::iter::once(&spec.name).chain(&spec.aliases).find_map(|n| self.listing.find(n))
    }

    /// Whether the provider serves `name`, as far as imgtui can tell: its own list, else its
    /// documentation (`None` for the demo without its list).
    pub fn listed(&self, name: &str) -> Option<bool> {
        if self.listing.is_from_provider() {
            return Some(self.listed_entry(name).is_some());
        }
        if self.provider == Provider::Demo {
            return None;
        }
        let canonical = self.table.get(name).map_or(name, |s| s.name.as_str());
        Some(lifecycle::builtin_state(self.provider, canonical, self.today).is_some())
    }

    fn retirement(&self, name: &str) -> Option<lifecycle::Retirement> {
        let canonical = self.table.get(name).map(|s| s.name.as_str());
        lifecycle::retirement(self.provider, name).or_else(|| lifecycle::retirement(self.provider, canonical?))
    }

    /// Where `name` stands at this provider today: the provider's own `shutdown_date` first,
    /// then the retirements imgtui knows.
    pub fn state(&self, name: &str) -> Lifecycle {
        let known = self.retirement(name).map(|r| r.shutdown);
        if let Some(entry) = self.listed_entry(name) {
            return Lifecycle::on(self.today, entry.shutdown_date.or(known));
        }
        if let Some(date) = known {
            return Lifecycle::on(self.today, Some(date));
        }
        let canonical = self.table.get(name).map_or(name, |s| s.name.as_str());
        match (self.listing.is_from_provider(), lifecycle::builtin_state(self.provider, canonical, self.today)) {
            (false, Some(state)) => state,
            _ => Lifecycle::Unknown,
        }
    }

    /// Whether `name` can be offered as a choice to move to: served, and not retiring.
    fn usable(&self, name: &str) -> bool {
        self.listed(name) != Some(false) && matches!(self.state(name), Lifecycle::Active | Lifecycle::Unknown)
    }

    /// What to use instead of `name`: the newest usable model of the flagship family, of the
    /// tier the provider names for its retirement (else the tier of `name` itself, the precise
    /// one for a standard model), else of any tier; never `name` itself, and none when
    /// nothing usable is known.
    pub fn replacement(&self, name: &str) -> Option<String> {
        self.successor_of(name, &self.successors())
    }

    fn successor_of(&self, name: &str, successors: &Successors<'_>) -> Option<String> {
        let tier = match self.retirement(name) {
            Some(r) => r.successor,
            None => match Lineage::of(name).tier {
                Tier::Standard => Tier::Precise,
                tier => tier,
            },
        };
        successors.pick(self, tier, Some(name))
    }

    /// The models a replacement or the default can be, worked out once for many questions.
    fn successors(&self) -> Successors<'_> {
        let mut usable: Vec<&str> =
            self.candidates().filter(|name| Lineage::of(name).flagship && self.usable(name)).collect();
        // Newest first; of equals, the table's order (a stable sort keeps it).
        usable.sort_by(|a, b| Lineage::newer(b, a));
        Successors { usable }
    }

    /// Every model name a request could use: the table's, then those only the provider lists.
    fn candidates(&self) -> impl Iterator<Item = &str> {
        let extras = self.listing.models.iter().map(|m| m.id.as_str()).filter(|id| self.table.get(id).is_none());
        self.table.all().iter().map(|m| m.name.as_str()).chain(extras)
    }

    /// Whether two names are one model (a name and its snapshot).
    fn same(&self, a: &str, b: &str) -> bool {
        a == b || self.table.get(a).zip(self.table.get(b)).is_some_and(|(x, y)| x.name == y.name)
    }

    /// "use X", or where to look when no replacement is known.
    fn instead(&self, name: &str) -> String {
        match self.replacement(name) {
            Some(model) => format!("use {model}"),
            None => format!("`imgtui models --refresh` lists what {} serves", self.provider),
        }
    }

    /// A known model `name` is most likely a typo of: `name` itself is unknown (neither the
    /// table nor the provider's list has it) and a known name is one or two edits away. A
    /// genuinely new name (`gpt-image-3`) is far from all of them, and goes out as typed.
    pub fn typo_of(&self, name: &str) -> Option<String> {
        if self.table.get(name).is_some() || self.listing.find(name).is_some() {
            return None;
        }
        let known = self
            .table
            .all()
            .iter()
            .flat_map(|m| std::iter::once(&m.name).chain(&m.aliases))
            .map(String::as_str)
            .chain(self.listing.models.iter().map(|m| m.id.as_str()));
        // Names that differ only in their version numbers are other versions (gpt-image-3
        // beside gpt-image-2, gpt-image-1.6, dall-e-4), not slips; a dot left out or added
        // (gpt-image-26-flare, gpt-image-2.6-flare.) is a slip.
        let letters = |n: &str| n.chars().filter(|c| !c.is_ascii_digit() && *c != '.').collect::<String>();
        let digits = |n: &str| n.chars().filter(char::is_ascii_digit).collect::<String>();
        let other_version = |k: &&str| letters(k) == letters(name) && digits(k) != digits(name);
        let lower = name.to_ascii_lowercase();
        let (distance, closest) = known
            .filter(|k| !other_version(k))
            // Case is never a new model: GPT-IMAGE-2 is gpt-image-2 mistyped.
            .map(|k| (if k.eq_ignore_ascii_case(&lower) { 0 } else { crate::text::edit_distance(name, k) }, k))
            .min_by_key(|(distance, _)| *distance)?;
        // One slip (a letter left out, added, changed or two swapped) in a name of a dozen
        // characters; two edits could be another name (`-flash` beside `-flare`).
        let slip = distance <= 1 && name.chars().count() >= 6;
        (slip && closest != name).then(|| closest.to_string())
    }

    /// `problems` with their advice narrowed to what can be used here: the models a refusal
    /// names as taking a value (or as editing) lose those shut down or not served.
    pub fn advise(&self, problems: Vec<FieldError>) -> Vec<FieldError> {
        problems
            .into_iter()
            .map(|mut problem| {
                match &mut problem.problem {
                    Problem::NotAccepted { takers: names, .. } | Problem::CannotEdit { editors: names, .. } => {
                        names.retain(|name| self.usable(name));
                    }
                    _ => {}
                }
                problem
            })
            .collect()
    }

    /// Why `name` must not be sent, if the provider has shut it down.
    pub fn refusal(&self, name: &str) -> Option<String> {
        let Lifecycle::ShutDown { on } = self.state(name) else { return None };
        Some(format!("{name} was shut down at {} on {on}; {}", self.provider, self.instead(name)))
    }

    /// The model for requests that name none: the newest fast model of the flagship family the
    /// provider serves, else the newest of any tier, else any model not shut down.
    fn preferred(&self) -> String {
        // With nothing usable, a model the provider lists (its refusal then says why) beats
        // one it does not.
        let listed = |n: &&str| self.listed(n) != Some(false);
        self.successors()
            .pick(self, Tier::Fast, None)
            .or_else(|| self.candidates().filter(listed).find(|n| !self.state(n).is_shut_down()).map(str::to_string))
            .or_else(|| self.candidates().find(listed).map(str::to_string))
            .or_else(|| self.table.all().first().map(|m| m.name.clone()))
            .unwrap_or_default()
    }

    /// The model for requests that name none: the configured one unless it is shut down (then
    /// its replacement, and a notice saying so), else the preferred one.
    pub fn default_model(&self, configured: Option<&str>) -> (String, Option<String>) {
        match configured.map(str::trim).filter(|c| !c.is_empty()) {
            Some(name) => match self.state(name) {
                Lifecycle::ShutDown { on } => {
                    let instead = self.replacement(name).unwrap_or_else(|| self.preferred());
                    let why =
                        format!("default_model {name} was shut down at {} on {on}; using {instead}", self.provider);
                    (instead, Some(why))
                }
                _ => (name.to_string(), None),
            },
            None => (self.preferred(), None),
        }
    }

    fn info(&self, name: &str, successors: &Successors<'_>) -> ModelInfo {
        let state = self.state(name);
        let replacement = matches!(state, Lifecycle::Deprecated { .. } | Lifecycle::ShutDown { .. })
            .then(|| self.successor_of(name, successors))
            .flatten();
        ModelInfo {
            name: name.to_string(),
            state,
            listed: self.listed(name),
            origin: self.table.origin(name),
            replacement,
        }
    }

    /// Every model: the table's, then those only the provider lists (rules guessed).
    pub fn models(&self) -> Vec<ModelInfo> {
        let extras = self.listing.models.iter().filter(|m| self.table.get(&m.id).is_none()).map(|m| m.id.as_str());
        let successors = self.successors();
        self.table.names().into_iter().chain(extras).map(|name| self.info(name, &successors)).collect()
    }

    /// What the model selector offers: no shut-down model, only editors for an edit, the
    /// provider's listed models before the ones it does not list.
    pub fn offered(&self, editing: bool) -> Vec<ModelInfo> {
        let mut offered: Vec<ModelInfo> = self
            .models()
            .into_iter()
            .filter(|m| !m.state.is_shut_down() && (!editing || self.spec(&m.name).can_edit()))
            .collect();
        offered.sort_by_key(|m| m.listed == Some(false));
        offered
    }
}

/// The usable flagship models, newest first.
struct Successors<'a> {
    usable: Vec<&'a str>,
}

impl Successors<'_> {
    /// The newest of `tier` (else of any tier) that is not `except`.
    fn pick(&self, catalog: &ModelCatalog, tier: Tier, except: Option<&str>) -> Option<String> {
        let allowed = |name: &&&str| !except.is_some_and(|e| catalog.same(name, e));
        let mut allowed_names = self.usable.iter().filter(allowed);
        let of_tier = self.usable.iter().filter(allowed).find(|name| Lineage::of(name).tier == tier);
        of_tier.or_else(|| allowed_names.next()).map(|name| name.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date::new(2026, 11, 26);

    fn catalog(provider: Provider, listing: Listing) -> ModelCatalog {
        ModelCatalog { table: ModelTable::builtin(), provider, listing, today: TODAY }
    }

    fn listed(ids: &[(&str, Option<Date>)]) -> Listing {
        Listing {
            source: ListingSource::Provider { provider: Provider::Openai, fetched: TODAY, cached: false },
            models: ids.iter().map(|(id, d)| ListedModel { id: id.to_string(), shutdown_date: *d }).collect(),
        }
    }

    #[test]
    fn builtin_openai_knowledge_refuses_gpt_image_1_and_defaults_to_the_newest_flare() {
        let c = catalog(Provider::Openai, Listing::builtin("offline"));
        assert_eq!(c.default_model(None).0, "gpt-image-2.6-flare");
        assert_eq!(
            c.refusal("gpt-image-1").as_deref(),
            Some("gpt-image-1 was shut down at OpenAI on 2026-10-23; use gpt-image-2.6-sunburst")
        );
        assert_eq!(c.replacement("gpt-image-1-mini").as_deref(), Some("gpt-image-2.6-flare"), "the fast tier");
        assert!(c.refusal("gpt-image-1.5").is_none(), "deprecated is still served");
        let offered: Vec<_> = c.offered(false).into_iter().map(|m| m.name).collect();
        assert!(!offered.contains(&"gpt-image-1".into()) && !offered.contains(&"dall-e-3".into()));
        assert!(offered.contains(&"gpt-image-1.5".into()));
        let (model, notice) = c.default_model(Some("gpt-image-1"));
        assert_eq!(model, "gpt-image-2.6-sunburst", "the retired default's replacement");
        assert_eq!(
            notice.as_deref(),
            Some("default_model gpt-image-1 was shut down at OpenAI on 2026-10-23; using gpt-image-2.6-sunburst")
        );
    }

    /// A refusal names as taking a value only models that can be used here: not shut down,
    /// not left out of the provider's list.
    #[test]
    fn advice_names_only_models_in_use() {
        let c = catalog(Provider::Openai, listed(&[("gpt-image-2", None), ("gpt-image-2.6-flare", None)]));
        let takers = ["gpt-image-1", "gpt-image-2.5-flare", "gpt-image-2.6-flare"].map(String::from).to_vec();
        let problem =
            Problem::NotAccepted { value: "transparent".into(), model: "gpt-image-2".into(), takers, since: None };
        let advised = c.advise(vec![FieldError::of(crate::api::params::Param::Background, problem)]);
        let Problem::NotAccepted { takers, .. } = &advised[0].problem else { panic!("{advised:?}") };
        assert_eq!(takers, &["gpt-image-2.6-flare"]);
    }

    #[test]
    fn ttapi_without_its_list_defaults_to_gpt_image_2_and_knows_no_dates() {
        let c = catalog(Provider::Ttapi, Listing::builtin("404"));
        assert_eq!(c.default_model(None).0, "gpt-image-2");
        assert_eq!(c.state("gpt-image-1"), Lifecycle::Unknown);
        let c = catalog(Provider::Ttapi, listed(&[("gpt-image-2.5-flare", None), ("gpt-image-2", None)]));
        assert_eq!(c.default_model(None).0, "gpt-image-2.5-flare", "listed by the provider");
    }

    #[test]
    fn the_providers_list_adds_dates_and_new_models() {
        let soon = Date::new(2026, 11, 27);
        let c = catalog(
            Provider::Openai,
            listed(&[("gpt-image-2", Some(soon)), ("gpt-image-3", None), ("gpt-image-2.5-flare-2026-09-08", None)]),
        );
        assert_eq!(c.state("gpt-image-2"), Lifecycle::Deprecated { shutdown: soon });
        assert_eq!(c.state("gpt-image-2.5-flare"), Lifecycle::Active, "listed by its snapshot");
        let tomorrow = ModelCatalog { today: soon, ..c.clone() };
        assert!(tomorrow.state("gpt-image-2").is_shut_down());
        let new = c.models().into_iter().find(|m| m.name == "gpt-image-3").unwrap();
        assert_eq!(new.origin, RulesOrigin::Guessed { from: "gpt-image-2".into() });
        let offered = c.offered(false);
        assert_eq!(offered.last().map(|m| m.listed), Some(Some(false)), "unlisted ones last");
        assert_eq!(c.default_model(None).0, "gpt-image-2.5-flare");
    }

    #[test]
    fn a_replacement_is_never_the_model_itself_nor_one_the_provider_lacks() {
        let soon = Date::new(2026, 11, 27);
        let c = catalog(Provider::Openai, listed(&[("gpt-image-2", Some(soon)), ("gpt-image-3", None)]));
        assert_eq!(c.replacement("gpt-image-2").as_deref(), Some("gpt-image-3"), "the only usable model listed");
        let c = catalog(Provider::Openai, listed(&[("gpt-image-2.5-flare", None), ("gpt-image-2", None)]));
        assert_eq!(c.replacement("gpt-image-1").as_deref(), Some("gpt-image-2.5-flare"), "sunburst is not listed here");
        assert_eq!(c.replacement("gpt-image-2.5-flare-2026-09-08").as_deref(), Some("gpt-image-2"), "not its own");
        let gone = Date::new(2026, 11, 1);
        let c = catalog(Provider::Openai, listed(&[("gpt-image-2", Some(gone))]));
        assert_eq!(c.replacement("gpt-image-2"), None, "nothing usable is listed");
        let refusal = c.refusal("gpt-image-2").unwrap();
        assert!(refusal.ends_with("`imgtui models --refresh` lists what OpenAI serves"), "{refusal}");
    }

    #[test]
    fn the_default_and_the_advice_follow_what_the_provider_lists() {
        // A release after this build: its names alone make it the newest of each tier.
        let c = catalog(
            Provider::Openai,
            listed(&[("gpt-image-2.7-flare", None), ("gpt-image-2.7-sunburst", None), ("gpt-image-2.6-flare", None)]),
        );
        assert_eq!(c.default_model(None).0, "gpt-image-2.7-flare");
        assert_eq!(c.replacement("gpt-image-1.5").as_deref(), Some("gpt-image-2.7-sunburst"));
        assert_eq!(c.replacement("gpt-image-1-mini").as_deref(), Some("gpt-image-2.7-flare"));
        // Without the provider's list, the built-in knowledge on the day decides.
        let c = catalog(Provider::Openai, Listing::builtin("offline"));
        assert_eq!(c.replacement("dall-e-3").as_deref(), Some("gpt-image-2.6-flare"));
        // Everything the provider lists is shut down: the default is still one it lists.
        let gone = Date::new(2026, 11, 1);
        let c = catalog(Provider::Openai, listed(&[("gpt-image-2", Some(gone)), ("gpt-image-2.5-flare", Some(gone))]));
        let default = c.default_model(None).0;
        assert!(default == "gpt-image-2" || default == "gpt-image-2.5-flare", "{default}");
    }

    #[test]
    fn a_slip_of_the_keyboard_is_caught_and_a_new_name_is_not() {
        let c = catalog(Provider::Openai, Listing::builtin("offline"));
        assert_eq!(c.typo_of("gpt-imge-2").as_deref(), Some("gpt-image-2"));
        assert_eq!(c.typo_of("gpt-image-2.6-falre").as_deref(), Some("gpt-image-2.6-flare"), "two swapped");
        assert_eq!(c.typo_of("gpt-image-2.6-sunbrust").as_deref(), Some("gpt-image-2.6-sunburst"));
        assert_eq!(c.typo_of("GPT-IMAGE-2").as_deref(), Some("gpt-image-2"), "case is no new model");
        assert_eq!(c.typo_of("gpt-image-2.6-flare.").as_deref(), Some("gpt-image-2.6-flare"), "a dot added");
        assert_eq!(c.typo_of("gpt-image-26-flare").as_deref(), Some("gpt-image-2.6-flare"), "a dot left out");
        let new_names = ["gpt-image-3", "gpt-image-2.7-flare", "my-gateway-model", "gpt-image-2", "dall-e-4"];
        for new in new_names.into_iter().chain(["gpt-image-1.6", "gpt-image-2.7", "gpt-image-2.6-flash"]) {
            assert_eq!(c.typo_of(new), None, "{new}");
        }
    }

    #[test]
    fn the_providers_own_date_wins_over_the_built_in_one() {
        let later = Date::new(2099, 1, 1);
        let c = catalog(Provider::Openai, listed(&[("gpt-image-1", Some(later))]));
        assert_eq!(c.state("gpt-image-1"), Lifecycle::Deprecated { shutdown: later });
        let c = catalog(Provider::Openai, listed(&[("gpt-image-1", None)]));
        assert!(c.state("gpt-image-1").is_shut_down(), "no date of its own: the known one");
    }
}

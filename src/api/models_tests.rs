//! Unit tests of models.rs.
use super::*;

#[test]
fn free_size_rule_checks_multiple_ratio_and_bounds() {
    let table = ModelTable::builtin();
    let m = table.get("gpt-image-2").unwrap();
    assert!(m.size_allowed("1536x864"));
    assert!(m.size_allowed("3840x2160"));
    assert!(m.size_allowed("auto"));
    assert!(!m.size_allowed("1000x1000"), "not a multiple of 16");
    assert!(!m.size_allowed("3200x1024"), "ratio above 3:1");
    assert!(!m.size_allowed("4096x2160"), "wider than 3840");
    assert!(!m.size_allowed("2400x2400"), "short edge above 2160");
    assert!(!table.get("gpt-image-1").unwrap().size_allowed("1536x864"));
}

#[test]
fn snapshots_are_known_and_unknown_names_take_their_familys_rules() {
    let table = ModelTable::builtin();
    let flare = table.resolve("gpt-image-2.5-flare-2026-09-08");
    assert_eq!((flare.spec.name.as_str(), flare.guessed), ("gpt-image-2.5-flare", false));
    assert!(flare.spec.qualities.iter().any(|q| q == "max"));
    assert!(!table.get("gpt-image-2").unwrap().qualities.iter().any(|q| q == "xhigh"));
    for (name, family) in [
        ("gpt-image-2.5-ember", "gpt-image-2.5-flare"),
        ("gpt-image-2-2027-01-01", "gpt-image-2"),
        ("gpt-image-9", "gpt-image-2"),
        ("dall-e-4", "dall-e-2"),
        ("flux-pro", "gpt-image-2"),
    ] {
        let resolved = table.resolve(name);
        assert_eq!((resolved.spec.name.as_str(), resolved.guessed), (family, true), "{name}");
    }
    assert_eq!(table.origin("gpt-image-9"), RulesOrigin::Guessed { from: "gpt-image-2".into() });
    assert_eq!(table.origin("gpt-image-2"), RulesOrigin::Builtin);
}

#[test]
fn override_starts_from_like_and_replaces_fields() {
    let mut table = ModelTable::builtin();
    let t: toml::Table = toml::from_str("like = \"dall-e-2\"\nprompt_max_chars = 10").unwrap();
    table.apply_override("my-model", &t).unwrap();
    assert_eq!(table.origin("my-model"), RulesOrigin::Config);
    let m = table.get("my-model").unwrap();
    assert_eq!(m.prompt_max_chars, 10);
    assert_eq!(m.sizes, table.get("dall-e-2").unwrap().sizes);
}

/// A list the config gives replaces what it starts from, and what the provider withdrew of it.
#[test]
fn an_overridden_list_takes_back_what_was_withdrawn() {
    let mut table = ModelTable::builtin();
    let t: toml::Table =
        toml::from_str("like = \"gpt-image-2\"\nbackgrounds = [\"transparent\", \"opaque\", \"auto\"]").unwrap();
    table.apply_override("g2c", &t).unwrap();
    let m = table.get("g2c").unwrap();
    assert_eq!(m.withdrawn_since("background", "transparent"), None);
    assert!(table.get("gpt-image-2").unwrap().withdrawn_since("background", "transparent").is_some());
}

/// A built-in given new rules `like` another keeps its own snapshots' names.
#[test]
fn a_built_in_given_new_rules_keeps_its_aliases() {
    let mut table = ModelTable::builtin();
    let t: toml::Table = toml::from_str("like = \"gpt-image-2.6-flare\"\nn_max = 2").unwrap();
    table.apply_override("gpt-image-2", &t).unwrap();
    let snapshot = table.get("gpt-image-2-2026-04-21").map(|m| (m.name.clone(), m.n_max));
    assert_eq!(snapshot, Some(("gpt-image-2".to_string(), 2)));
}

/// Rules no model can have are refused as the config is read, naming the field.
#[test]
fn impossible_rules_are_refused_by_field() {
    for (rule, field) in [
        ("qualities = []", "qualities"),
        ("qualities = [\"\", \"low\"]", "empty value"),
        ("complexities = [\"low\", \"low\"]", "listed twice"),
        ("default_quality = \"ultra\"", "default_quality"),
        ("default_size = \"7x7\"", "default_size"),
        ("n_max = 100000", "n_max"),
    ] {
        let mut table = ModelTable::builtin();
        let t: toml::Table = toml::from_str(&format!("like = \"gpt-image-2.6-flare\"\n{rule}")).unwrap();
        let err = table.apply_override("mine", &t).unwrap_err();
        assert!(err.contains(field), "{rule}: {err}");
    }
}

#[test]
fn override_rejects_unknown_keys_by_name() {
    let mut table = ModelTable::builtin();
    let t: toml::Table = toml::from_str("promt_max_chars = 10").unwrap();
    let err = table.apply_override("dall-e-3", &t).unwrap_err();
    assert!(err.contains("promt_max_chars"), "{err}");
}

#[test]
fn an_unknown_release_takes_the_rules_of_its_version_else_its_tier() {
    let table = ModelTable::builtin();
    for (name, nearest) in [
        // Same version first: a new tier of 2.6 is shaped like 2.6.
        ("gpt-image-2.6-ember", "gpt-image-2.6"),
        // A later version: the newest of its tier that is no newer.
        ("gpt-image-2.7-flare", "gpt-image-2.6-flare"),
        ("gpt-image-2.7-sunburst", "gpt-image-2.6-sunburst"),
    ] {
        let resolved = table.resolve(name);
        assert!(resolved.guessed, "{name}");
        assert!(resolved.spec.name.starts_with(nearest), "{name}: {}", resolved.spec.name);
    }
}

#[test]
fn config_rules_that_cannot_hold_are_refused_by_name() {
    let refused = |text: &str| {
        let mut table = ModelTable::builtin();
        let t: toml::Table = toml::from_str(text).unwrap();
        table.apply_override("acme-draw", &t).unwrap_err()
    };
    assert!(refused("like = \"gpt-image-2\"\nn_max = 0").contains("n_max must be at least 1"));
    assert!(refused("like = \"gpt-image-2\"\nprompt_max_chars = 0").contains("prompt_max_chars"));
    assert!(refused("like = \"gpt-image-2\"\nsizes = [\"big\"]").contains("\"big\" is not WxH"));
    let free = "like = \"gpt-image-2\"\n[free_size]\nmultiple_of = 16\nmax_ratio = 3\nmax_long_edge = 3840\nmax_short_edge = 2160\n";
    assert!(refused(&format!("{free}min_pixels = 9000000\nmax_pixels = 100\n")).contains("min_pixels 9000000 is over"));
    assert!(
        refused("like = \"gpt-image-2\"\n[free_size]\nmultiple_of = 0\nmax_ratio = 3\nmax_long_edge = 9\nmax_short_edge = 9\n")
            .contains("at least 1")
    );
}

//! Unit tests of form.rs.
use super::*;
use crate::api::{ModelTable, Provider};

fn builtin() -> ModelCatalog {
    ModelCatalog::builtin(ModelTable::builtin(), Provider::Demo, "test")
}

#[test]
fn rows_follow_the_model_and_choices_come_from_the_table() {
    let models = builtin();
    let form = SettingsForm::new("dall-e-3".into());
    let spec = models.spec("dall-e-3");
    assert_eq!(
        form.fields(Some(spec)),
        [
            Field::Mode,
            Field::Model,
            Field::Param(crate::api::Param::Size),
            Field::Param(crate::api::Param::Quality),
            Field::Param(crate::api::Param::N),
            Field::Param(crate::api::Param::Style),
            Field::Param(crate::api::Param::ResponseFormat),
            Field::Vary
        ]
    );
    assert_eq!(form.choices(Field::Param(crate::api::Param::N), spec, &models), [None]);
    let sizes = form.choices(Field::Param(crate::api::Param::Size), spec, &models);
    assert_eq!(sizes[1..], [Some("1024x1024".into()), Some("1792x1024".into()), Some("1024x1792".into())]);
}

#[test]
fn edit_mode_offers_editing_models_and_input_rows() {
    let models = builtin();
    let mut form = SettingsForm::new("dall-e-3".into());
    let notices = form.switch_mode(JobMode::Edit, &models);
    assert_eq!(form.model, "gpt-image-2.6-flare", "{notices:?}");
    let spec = models.spec("gpt-image-2.6-flare");
    let names: Vec<_> = form.choices(Field::Model, spec, &models).into_iter().flatten().collect();
    assert!(!names.contains(&"dall-e-3".to_string()) && names.contains(&"dall-e-2".to_string()));
    form.images = vec!["a.png".into(), "b.png".into()];
    let rows = form.fields(Some(spec));
    assert_eq!(rows[..6], [Field::Mode, Field::Model, Field::Image(0), Field::Image(1), Field::AddImage, Field::Mask]);
    assert!(
        rows.contains(&Field::Param(crate::api::Param::InputFidelity))
            && !rows.contains(&Field::Param(crate::api::Param::Moderation))
    );
    form.selected = 3;
    form.move_image(&models, -1);
    assert_eq!(form.images, [std::path::PathBuf::from("b.png"), "a.png".into()]);
    form.reset_selected(&models);
    assert_eq!(form.images, [std::path::PathBuf::from("a.png")], "Backspace on an image row removes it");
}

#[test]
fn switching_models_keeps_what_still_applies() {
    let models = builtin();
    let mut form = SettingsForm::new("gpt-image-1".into());
    form.options.size = Some("1024x1024".into());
    form.options.quality = Some("high".into());
    form.options.n = Some(4);
    let notices = form.switch_model("dall-e-2".into(), &models);
    assert_eq!(form.options.size.as_deref(), Some("1024x1024"), "kept");
    assert_eq!(form.options.n, Some(4), "kept");
    assert_eq!(form.options.quality, None, "dall-e-2 has no high");
    assert_eq!(notices, ["dall-e-2 does not take quality high: back to its defaults"]);
}

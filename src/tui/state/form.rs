//! The settings form: one row per parameter the selected model takes, each offering only the
//! values the model table allows. `None` means "not sent": the model's default.

use std::path::PathBuf;

pub use super::field::Field;
use crate::api::params::{self, Allowed, Endpoints, ParamDef, Row};
use crate::api::{ImageOptions, ModelSpec, Param};
use crate::catalog::ModelCatalog;
use crate::store::JobId;

use super::vary::{Varied, Vary};

/// The Model row's last entry: a name typed by the user (a model newer than imgtui's table).
pub const OTHER_MODEL: &str = "other…";

/// The Size row's last entry, for models that take any `WxH` within their rules.
pub const CUSTOM_SIZE: &str = "custom…";
/// The Outside row's other value: the original kept outside the mask.
pub(super) const KEEP: &str = "keep the original (the API's image kept as -raw)";

/// Common sizes offered for models that take free sizes (each checked by the model's rules).
const COMMON_FREE_SIZES: [&str; 8] =
    ["1536x864", "864x1536", "2048x2048", "2048x1152", "1152x2048", "2560x1440", "1440x2560", "3840x2160"];

/// What moving a row's value did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cycled {
    /// The value changed; notices about values a model switch had to reset.
    Changed(Vec<String>),
    /// The Model row reached "other…": the user types a name.
    AskModelName,
    /// The Size row reached "custom…": the user types `WxH`.
    AskCustomSize,
}

/// Generate from a prompt, or edit input images.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobMode {
    Generate,
    Edit,
}

impl JobMode {
    pub const ALL: [Self; 2] = [Self::Generate, Self::Edit];

    pub fn name(self) -> &'static str {
        match self {
            Self::Generate => "generate",
            Self::Edit => "edit",
        }
    }

    /// The other mode: with two, a step either way.
    pub fn other(self) -> Self {
        match self {
            Self::Generate => Self::Edit,
            Self::Edit => Self::Generate,
        }
    }
}

/// Where the Partials row (streaming) sits among the parameters' rows.
const PARTIALS_ORDER: u8 = 40;

/// The parameter rows, in display order: the table's rows, and Partials (`stream` and
/// `partial_images` in one row).
fn parameter_rows() -> Vec<Field> {
    let mut rows: Vec<(u8, Field)> = params::table()
        .iter()
        .filter(|d| d.row == Row::Own)
        .map(|d| (d.order, Field::Param(d.param)))
        .chain([(PARTIALS_ORDER, Field::Partials)])
        .collect();
    rows.sort_by_key(|(order, _)| *order);
    rows.into_iter().map(|(_, field)| field).collect()
}

/// Whether the model takes `param` at all in `mode`, so its row is shown.
fn takes(def: &ParamDef, spec: &ModelSpec, mode: JobMode) -> bool {
    let endpoint =
        !matches!((def.endpoints, mode), (Endpoints::Generate, JobMode::Edit) | (Endpoints::Edit, JobMode::Generate));
    endpoint
        && match def.allowed {
            Allowed::Choices(list) | Allowed::Suggested(list) => !list(spec).is_empty(),
            Allowed::UpTo(most) => most(spec).is_some(),
            Allowed::Range { bounds, .. } => bounds(spec).is_some(),
            Allowed::Count(_) | Allowed::Size | Allowed::Any => true,
        }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SettingsForm {
    pub mode: JobMode,
    pub model: String,
    pub options: ImageOptions,
    /// Input images of an edit, in order.
    pub images: Vec<PathBuf>,
    pub mask: Option<PathBuf>,
    /// Marks that say what to change (gpt-image-2.6); never with a mask.
    pub markup: Option<PathBuf>,
    /// Outside the mask, the first input's pixels are put back after the edit.
    pub keep_unmasked: bool,
    /// The job whose result is being edited ("edit this result").
    pub parent: Option<JobId>,
    /// Index into `fields()`.
    pub selected: usize,
    /// Model names typed with "other…" this session: they stay choices of the Model row.
    pub typed_models: Vec<String>,
    /// A setting varied over several values (one job each), or none.
    pub vary: super::vary::Vary,
}

impl SettingsForm {
    pub fn new(model: String) -> Self {
        Self {
            mode: JobMode::Generate,
            model,
            options: ImageOptions::default(),
            images: Vec::new(),
            mask: None,
            markup: None,
            keep_unmasked: false,
            parent: None,
            selected: 0,
            typed_models: Vec::new(),
            vary: Default::default(),
        }
    }

    /// The rows shown for `spec`: the mode, the model, an edit's inputs, and every parameter
    /// the model takes in this mode.
    pub fn fields(&self, spec: Option<&ModelSpec>) -> Vec<Field> {
        let mut rows = vec![Field::Mode, Field::Model];
        let Some(spec) = spec else { return rows };
        let edit = self.mode == JobMode::Edit;
        if edit {
            rows.extend((0..self.images.len()).map(Field::Image));
            let max = spec.edit.as_ref().map_or(0, |e| e.max_images);
            if self.images.len() < max {
                rows.push(Field::AddImage);
            }
            rows.push(Field::Mask);
            // Shown while set too: a model switch leaves it, to be refused by name.
            if spec.edit.as_ref().is_some_and(|e| e.markup) || self.markup.is_some() {
                rows.push(Field::Markup);
            }
            if self.mask.is_some() {
                rows.push(Field::KeepUnmasked);
            }
        }
        rows.extend(parameter_rows().into_iter().filter(|f| match f {
            Field::Param(param) => params::def_of(*param).is_some_and(|d| takes(d, spec, self.mode)),
            Field::Partials => spec.max_partial_images.is_some(),
            _ => false,
        }));
        rows.push(Field::Vary);
        if self.vary.setting.is_some() {
            rows.push(Field::VaryValues);
        }
        rows
    }

    pub fn selected_field(&self, spec: Option<&ModelSpec>) -> Field {
        let fields = self.fields(spec);
        fields.get(self.selected.min(fields.len().saturating_sub(1))).copied().unwrap_or(Field::Model)
    }

    /// Whether a row applies now (compression needs jpeg or webp, a GIF's frames need gif):
    /// rows that do not are greyed.
    pub fn applies(&self, field: Field, spec: &ModelSpec) -> bool {
        let format = self.options.output_format.as_deref().unwrap_or(&spec.default_output_format);
        match field {
            Field::Param(Param::OutputCompression) => spec.compression_formats.iter().any(|f| f == format),
            Field::Param(Param::FrameCount | Param::FrameDurationMs) => format == "gif",
            Field::Param(Param::SvgModel) => format == "svg",
            _ => true,
        }
    }

    /// What a row that does not apply needs (see `applies`).
    pub fn needs(field: Field) -> &'static str {
        match field {
            Field::Param(Param::FrameCount | Param::FrameDurationMs) => "needs gif",
            Field::Param(Param::SvgModel) => "needs svg",
            _ => "needs jpeg or webp",
        }
    }

    /// The values a row cycles through; `None` (the default) first.
    pub fn choices(&self, field: Field, spec: &ModelSpec, catalog: &ModelCatalog) -> Vec<Option<String>> {
        let list = |values: &[String]| std::iter::once(None).chain(values.iter().cloned().map(Some)).collect();
        match field {
            Field::Mode => JobMode::ALL.iter().map(|mode| Some(mode.name().into())).collect(),
            // Models the provider has not shut down (editors only, in edit mode), then "other…".
            Field::Model => {
                let offered: Vec<String> =
                    catalog.offered(self.mode == JobMode::Edit).into_iter().map(|m| m.name).collect();
                // The offered models, then names typed this session; a model loaded from an old
                // job (neither) stays first while it is set.
                let mut names = offered;
                for typed in &self.typed_models {
                    if !names.contains(typed) {
                        names.push(typed.clone());
                    }
                }
                if !names.contains(&self.model) {
                    names.insert(0, self.model.clone());
                }
                names.into_iter().chain([OTHER_MODEL.to_string()]).map(Some).collect()
            }
            Field::Image(_) | Field::AddImage | Field::Mask | Field::Markup => Vec::new(),
            Field::KeepUnmasked => vec![None, Some(KEEP.to_string())],
            Field::Param(Param::Size) => {
                let mut sizes: Vec<Option<String>> = list(&spec.sizes);
                if spec.free_size.is_some() {
                    sizes
                        .extend(COMMON_FREE_SIZES.iter().filter(|s| spec.size_allowed(s)).map(|s| Some(s.to_string())));
                    // A typed (or loaded) size stays a choice while it is set.
                    if let Some(current) = self.options.size.clone().filter(|c| !sizes.contains(&Some(c.clone()))) {
                        sizes.push(Some(current));
                    }
                    sizes.push(Some(CUSTOM_SIZE.to_string()));
                }
                sizes
            }
            Field::Param(param) => match params::def_of(param).map(|d| d.allowed) {
                Some(Allowed::Choices(values)) => list(values(spec)),
                // The list, and a name set otherwise (a flag, an old job) while it is set.
                Some(Allowed::Suggested(values)) => {
                    let mut names: Vec<Option<String>> = list(values(spec));
                    if let Some(current) = self.options.text(param).filter(|c| !names.contains(&Some(c.clone()))) {
                        names.push(Some(current));
                    }
                    names
                }
                Some(Allowed::Count(most)) => {
                    std::iter::once(None).chain((2..=most(spec)).map(|n| Some(n.to_string()))).collect()
                }
                Some(Allowed::UpTo(most)) => {
                    std::iter::once(None).chain((1..=most(spec).unwrap_or(0)).map(|n| Some(n.to_string()))).collect()
                }
                Some(Allowed::Range { bounds, steps }) => {
                    let (min, max) = bounds(spec).unwrap_or_default();
                    let values: Vec<u32> = match steps {
                        [] => (0..=10u32).rev().map(|step| min + (max - min) * step / 10).collect(),
                        steps => steps.iter().copied().filter(|v| (min..=max).contains(v)).collect(),
                    };
                    std::iter::once(None).chain(values.into_iter().map(|v| Some(v.to_string()))).collect()
                }
                Some(Allowed::Size | Allowed::Any) | None => Vec::new(),
            },
            Field::Partials => std::iter::once(None)
                .chain((1..=spec.max_partial_images.unwrap_or(0)).map(|n| Some(n.to_string())))
                .collect(),
            Field::Vary => std::iter::once(None).chain(Varied::ALL.map(|v| Some(v.name().to_string()))).collect(),
            // Moved through with the cursor, chosen with Space (see `vary`).
            Field::VaryValues => Vec::new(),
        }
    }

    pub fn value(&self, field: Field) -> Option<String> {
        let o = &self.options;
        let path = |p: &PathBuf| p.display().to_string();
        match field {
            Field::Mode => Some(self.mode.name().into()),
            Field::Image(i) => self.images.get(i).map(path),
            Field::AddImage => None,
            Field::Mask => self.mask.as_ref().map(path),
            Field::Markup => self.markup.as_ref().map(path),
            Field::KeepUnmasked => self.keep_unmasked.then(|| KEEP.to_string()),
            Field::Model => Some(self.model.clone()),
            Field::Param(param) => o.text(param),
            Field::Partials => o.partial_images.filter(|_| o.stream == Some(true)).map(|n| n.to_string()),
            Field::Vary => self.vary.setting.map(|v| v.name().to_string()),
            Field::VaryValues => None,
        }
    }

    pub fn set(&mut self, field: Field, value: Option<String>) {
        let o = &mut self.options;
        let number = |v: &Option<String>| v.as_deref().and_then(|v| v.parse().ok());
        match field {
            Field::Model | Field::Mode | Field::Image(_) | Field::AddImage | Field::VaryValues => {}
            Field::Vary => self.vary.set(None, "", &[]),
            Field::Mask => self.mask = value.map(PathBuf::from),
            Field::Markup => self.markup = value.map(PathBuf::from),
            Field::KeepUnmasked => self.keep_unmasked = value.is_some(),
            // The form offers only values of the parameter's kind: a bad one is left unset.
            Field::Param(param) => {
                if o.set(param, value.as_deref()).is_err() {
                    let _ = o.set(param, None);
                }
            }
            Field::Partials => {
                o.partial_images = number(&value);
                o.stream = o.partial_images.map(|_| true);
            }
        }
    }

    /// Moves the selected row's value by `delta` (wrapping).
    pub fn cycle(&mut self, catalog: &ModelCatalog, delta: isize) -> Cycled {
        let spec = catalog.spec(&self.model);
        let field = self.selected_field(Some(spec));
        if field == Field::Mode {
            return Cycled::Changed(self.switch_mode(self.mode.other(), catalog));
        }
        let choices = self.choices(field, spec, catalog);
        if choices.is_empty() {
            return Cycled::Changed(Vec::new());
        }
        let current = self.value(field);
        let at = match choices.iter().position(|c| *c == current) {
            Some(at) => at as isize,
            // A model not offered (typed, or loaded from an old job): → lands on the first
            // offered one, ← on the last (not on "other…").
            None if field == Field::Model => -1,
            None => 0,
        };
        let next = choices[(at + delta).rem_euclid(choices.len() as isize) as usize].clone();
        if field == Field::Model {
            if next.as_deref() == Some(OTHER_MODEL) {
                return Cycled::AskModelName;
            }
            return Cycled::Changed(self.switch_model(next.unwrap_or_default(), catalog));
        }
        if field == Field::Param(Param::Size) && next.as_deref() == Some(CUSTOM_SIZE) {
            return Cycled::AskCustomSize;
        }
        if field == Field::Vary {
            let setting = next.as_deref().and_then(Varied::from_name);
            let candidates = setting.map(|s| Vary::candidates(s, spec, catalog, self.mode == JobMode::Edit));
            self.vary.set(setting, &self.model.clone(), &candidates.unwrap_or_default());
            return Cycled::Changed(Vec::new());
        }
        self.set(field, next);
        Cycled::Changed(Vec::new())
    }

    /// Back to the model's default for the selected row; removes an input image or the mask.
    pub fn reset_selected(&mut self, catalog: &ModelCatalog) {
        match self.selected_field(Some(catalog.spec(&self.model))) {
            Field::Model | Field::Mode | Field::AddImage => {}
            Field::Image(i) => {
                if i < self.images.len() {
                    self.images.remove(i);
                }
            }
            field => self.set(field, None),
        }
    }

    /// Moves input image `i` up or down the list (the first image is the one a mask applies to).
    pub fn move_image(&mut self, catalog: &ModelCatalog, delta: isize) {
        let Field::Image(i) = self.selected_field(Some(catalog.spec(&self.model))) else { return };
        let j = i as isize + delta;
        if j >= 0 && (j as usize) < self.images.len() {
            self.images.swap(i, j as usize);
            self.selected = (self.selected as isize + delta) as usize;
        }
    }

    /// Switches between generating and editing. An edit needs a model that can edit; the
    /// parameters of the other mode are dropped, not sent.
    pub fn switch_mode(&mut self, mode: JobMode, catalog: &ModelCatalog) -> Vec<String> {
        self.mode = mode;
        let mut notices = Vec::new();
        match mode {
            JobMode::Edit => {
                if !catalog.spec(&self.model).can_edit()
                    && let Some(editor) = catalog.offered(true).into_iter().next()
                {
                    notices.push(format!("{} cannot edit: switched to {}", self.model, editor.name));
                    notices.extend(self.switch_model(editor.name, catalog));
                }
                self.drop_params_of(Endpoints::Generate);
            }
            JobMode::Generate => {
                self.drop_params_of(Endpoints::Edit);
                self.parent = None;
            }
        }
        self.selected = 0;
        notices
    }

    /// Switches model, keeping every choice the new model still allows.
    pub fn switch_model(&mut self, model: String, catalog: &ModelCatalog) -> Vec<String> {
        let selected_field = self.selected_field(Some(catalog.spec(&self.model)));
        self.model = model;
        let spec = catalog.spec(&self.model);
        let fields = self.fields(Some(spec));
        let mut notices = Vec::new();
        for field in parameter_rows() {
            let Some(value) = self.value(field) else { continue };
            let offered = fields.contains(&field) && self.choices(field, spec, catalog).contains(&Some(value.clone()));
            if !offered {
                self.set(field, None);
                notices.push(format!("{} {value}", field.param().map_or("", Param::api_name)));
            }
        }
        self.selected = fields.iter().position(|f| *f == selected_field).unwrap_or(0);
        if let Some(setting) = self.vary.setting.filter(|s| *s != Varied::Model) {
            self.vary.refresh(Vary::candidates(setting, spec, catalog, self.mode == JobMode::Edit));
        }
        if notices.is_empty() {
            Vec::new()
        } else {
            vec![format!("{} does not take {}: back to its defaults", self.model, notices.join(", "))]
        }
    }

    /// Drops the parameters only `endpoints` take (a mode switch does not send them).
    fn drop_params_of(&mut self, endpoints: Endpoints) {
        for def in params::table().iter().filter(|d| d.endpoints == endpoints) {
            let _ = self.options.set(def.param, None);
        }
    }

    pub fn move_selection(&mut self, catalog: &ModelCatalog, delta: isize) {
        let count = self.fields(Some(catalog.spec(&self.model))).len().max(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, count - 1) as usize;
    }
}

#[cfg(test)]
#[path = "form_tests.rs"]
mod tests;

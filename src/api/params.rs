//! One table of the request parameters. Each is declared once below: its name in the API (the
//! field's name), its Rust type, its label, its CLI flag, whether a batch file may set it, which
//! requests take it and where its allowed values come from in the model's rules. The request
//! body (JSON and multipart), validation, the form's rows, the batch reader, the CLI flags and
//! the manual's table are all read off it: a new parameter is one entry here plus its rule in
//! the model table.

use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::models::ModelSpec;
use super::problem::{FieldError, Problem};

/// Which requests take a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoints {
    Both,
    Generate,
    Edit,
}

/// How a value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Number,
    Flag,
}

/// Where a parameter's allowed values come from: the model's rules.
#[derive(Clone, Copy)]
pub enum Allowed {
    /// One of the model's list; an empty list: the model does not take the parameter.
    Choices(fn(&ModelSpec) -> &[String]),
    /// A whole number from 1 up to the model's most.
    Count(fn(&ModelSpec) -> u32),
    /// The model's sizes: its list, or any `WxH` its free-size rule allows.
    Size,
    /// A whole number from 0 up to the model's most; `None`: not taken.
    UpTo(fn(&ModelSpec) -> Option<u32>),
    /// Any one word where the model takes the parameter (its list is not empty); the form
    /// offers the list, its first the default.
    Suggested(fn(&ModelSpec) -> &[String]),
    /// A whole number within the model's bounds (`None`: the model does not take it); the
    /// form offers those of `steps` within them (no steps: every tenth of the bounds).
    Range { bounds: fn(&ModelSpec) -> Option<(u32, u32)>, steps: &'static [u32] },
    /// Anything: the API decides.
    Any,
}

impl fmt::Debug for Allowed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Choices(_) => "Choices",
            Self::Suggested(_) => "Suggested",
            Self::Count(_) => "Count",
            Self::Size => "Size",
            Self::UpTo(_) => "UpTo",
            Self::Range { .. } => "Range",
            Self::Any => "Any",
        })
    }
}

/// Whether the settings form has a row of its own for a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    /// A row that cycles through the allowed values.
    Own,
    /// The form's Partials row, which sets `stream` and `partial_images` together.
    Partials,
    /// Only from the shell and batch files (`user`).
    None,
}

/// Everything known of one parameter but its value.
#[derive(Clone, Debug)]
pub struct ParamDef {
    pub param: Param,
    pub kind: Kind,
    /// The form's label.
    pub label: &'static str,
    /// The long CLI flag (`--quality`), and its short one; `None`: not a flag.
    pub flag: Option<&'static str>,
    pub short: Option<char>,
    /// The flag's help, and the manual's words.
    pub help: &'static str,
    pub allowed: Allowed,
    pub endpoints: Endpoints,
    /// A batch file's entry may set it (under its API name).
    pub batch: bool,
    pub row: Row,
    /// What the form shows when it is not set (the model's default, in words).
    pub unset: fn(&ModelSpec) -> String,
    /// Where its row is in the form, among the parameters' rows.
    pub order: u8,
}

/// A parameter's description, from which the table's entries are built.
struct Def {
    label: &'static str,
    flag: Option<&'static str>,
    short: Option<char>,
    help: &'static str,
    allowed: Allowed,
    endpoints: Endpoints,
    batch: bool,
    row: Row,
    unset: fn(&ModelSpec) -> String,
    order: u8,
}

fn def(label: &'static str, allowed: Allowed, help: &'static str) -> Def {
    Def {
        label,
        flag: None,
        short: None,
        help,
        allowed,
        endpoints: Endpoints::Both,
        batch: true,
        row: Row::Own,
        unset: |_| "default (auto)".into(),
        order: u8::MAX,
    }
}

impl Def {
    fn flag(self, long: &'static str, short: Option<char>) -> Self {
        Self { flag: Some(long), short, ..self }
    }
    fn only(self, endpoints: Endpoints) -> Self {
        Self { endpoints, ..self }
    }
    fn row(self, row: Row) -> Self {
        Self { row, ..self }
    }
    fn unset(self, unset: fn(&ModelSpec) -> String) -> Self {
        Self { unset, ..self }
    }
    fn not_in_batches(self) -> Self {
        Self { batch: false, ..self }
    }
    /// Its row's place in the form (the body keeps the table's order).
    fn at(self, order: u8) -> Self {
        Self { order, ..self }
    }
}

/// A value of a parameter, read from text (a flag, a form row, a multipart field) and written
/// back.
pub trait ParamValue: Sized {
    const KIND: Kind;
    fn parse(text: &str) -> Result<Self, Problem>;
    fn render(&self) -> String;
}

impl ParamValue for String {
    const KIND: Kind = Kind::Text;
    fn parse(text: &str) -> Result<Self, Problem> {
        Ok(text.to_string())
    }
    fn render(&self) -> String {
        self.clone()
    }
}

impl ParamValue for u32 {
    const KIND: Kind = Kind::Number;
    fn parse(text: &str) -> Result<Self, Problem> {
        text.trim().parse().map_err(|_| Problem::NotANumber { value: text.to_string() })
    }
    fn render(&self) -> String {
        self.to_string()
    }
}

impl ParamValue for bool {
    const KIND: Kind = Kind::Flag;
    fn parse(text: &str) -> Result<Self, Problem> {
        match text {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(Problem::NotAFlag { value: text.to_string() }),
        }
    }
    fn render(&self) -> String {
        self.to_string()
    }
}

/// Declares the option parameters: the `ImageOptions` fields (named as the API names them, in
/// the order the API's bodies have carried them), the `Param` variants and the table.
macro_rules! params {
    ($( $(#[$attr:meta])* $variant:ident($field:ident: $ty:ty) $([$($body:tt)*])? => $def:expr; )*) => {
        /// What a request or a problem is about: a parameter of the request (the prompt, the
        /// model, the input files, an option), or one of imgtui's own settings sent with it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Param {
            Prompt,
            Model,
            Image,
            Mask,
            /// Marks over the first image that say what to change (edits, gpt-image-2.6).
            Markup,
            /// imgtui's own step after an edit: the original outside the mask.
            KeepUnmasked,
            /// What the budgets allow (not sent).
            Budget,
            /// Where the images go (`--out`, not sent).
            Out,
            /// The setting a submit varies in the app (not sent).
            Vary,
            /// A tool's argument that is no request field (`imgtui mcp`).
            Argument,
            $( $(#[$attr])* $variant, )*
        }

        impl Param {
            /// The API's name (imgtui's own word for what is not sent).
            pub fn api_name(self) -> &'static str {
                match self {
                    Self::Prompt => "prompt",
                    Self::Model => "model",
                    Self::Image => "image",
                    Self::Mask => "mask",
                    Self::Markup => "markup",
                    Self::KeepUnmasked => "keep_unmasked",
                    Self::Budget => "budget",
                    Self::Out => "out",
                    Self::Vary => "vary",
                    Self::Argument => "argument",
                    $( $(#[$attr])* Self::$variant => stringify!($field), )*
                }
            }
        }

        /// The option parameters shared by generations and edits. `None`: not sent, the
        /// API's default.
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        pub struct ImageOptions {
            $(
                $(#[$attr])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                $( #[serde($($body)*)] )?
                pub $field: Option<$ty>,
            )*
        }

        impl ImageOptions {
            /// The value of `param` as text, when it is an option and set.
            pub fn text(&self, param: Param) -> Option<String> {
                match param {
                    $( $(#[$attr])* Param::$variant => self.$field.as_ref().map(ParamValue::render), )*
                    _ => None,
                }
            }

            /// Sets `param` from text (`None`: unset); the error names it and the rule.
            pub fn set(&mut self, param: Param, text: Option<&str>) -> Result<(), FieldError> {
                match param {
                    $(
                        $(#[$attr])*
                        Param::$variant => {
                            self.$field = match text {
                                None => None,
                                Some(text) => Some(<$ty as ParamValue>::parse(text).map_err(|p| FieldError::of(param, p))?),
                            };
                        }
                    )*
                    _ => {}
                }
                Ok(())
            }
        }

        static TABLE: LazyLock<Vec<ParamDef>> = LazyLock::new(|| {
            let mut table = Vec::new();
            $(
                $(#[$attr])*
                {
                    let d: Def = $def;
                    table.push(ParamDef {
                        param: Param::$variant,
                        kind: <$ty as ParamValue>::KIND,
                        label: d.label,
                        flag: d.flag,
                        short: d.short,
                        help: d.help,
                        allowed: d.allowed,
                        endpoints: d.endpoints,
                        batch: d.batch,
                        row: d.row,
                        unset: d.unset,
                        order: d.order,
                    });
                }
            )*
            table
        });
    };
}

params! {
    N(n: u32) => def("Images (n)", Allowed::Count(|s| s.n_max), "Number of images.")
        .flag("n", Some('n'))
    .at(30)
        .unset(|_| "1".into());
    Size(size: String) => def("Size", Allowed::Size, "WxH such as 1024x1024, or auto.")
        .flag("size", Some('s'))
    .at(10)
        .unset(|s| format!("default ({})", s.default_size));
    Quality(quality: String) => def(
        "Quality",
        Allowed::Choices(|s| &s.qualities),
        "low, medium, high, auto (gpt-image); xhigh, max (2.5 and 2.6); standard, hd (dall-e-3).",
    )
    .flag("quality", Some('q'))
    .at(20)
    .unset(|s| format!("default ({})", s.default_quality));
    ResponseFormat(response_format: String) => def(
        "Response",
        Allowed::Choices(|s| &s.response_formats),
        "url or b64_json (dall-e models).",
    )
    .flag("response-format", None)
    .at(110)
    .unset(|s| format!("default ({})", s.default_response_format));
    OutputFormat(output_format: String) => def(
        "Format",
        Allowed::Choices(|s| &s.output_formats),
        "Output format: png, jpeg or webp (gpt-image models); gif for an animated GIF, svg for vectors (gpt-image-2.6).",
    )
    .flag("format", None)
    .at(50)
    .unset(|s| format!("default ({})", s.default_output_format));
    OutputCompression(output_compression: u32) => def(
        "Compression",
        Allowed::Range { bounds: |s| (!s.compression_formats.is_empty()).then_some((0, 100)), steps: &[] },
        "Output compression 0-100 (jpeg and webp).",
    )
    .flag("compression", None)
    .at(60)
    .unset(|_| "default (100)".into());
    Background(background: String) => def(
        "Background",
        Allowed::Choices(|s| &s.backgrounds),
        "transparent, opaque or auto (gpt-image models).",
    )
    .flag("background", None)
    .at(70);
    Moderation(moderation: String) => def(
        "Moderation",
        Allowed::Choices(|s| &s.moderations),
        "low or auto (gpt-image models).",
    )
    .flag("moderation", None)
    .at(80)
    .only(Endpoints::Generate);
    Style(style: String) => def("Style", Allowed::Choices(|s| &s.styles), "vivid or natural (dall-e-3).")
        .flag("style", None)
    .at(90)
        .only(Endpoints::Generate)
        .unset(|s| format!("default ({})", s.styles.first().map_or("", String::as_str)));
    InputFidelity(input_fidelity: String) => def(
        "Fidelity",
        Allowed::Choices(|s| &s.input_fidelities),
        "How closely the input images are followed: high or low (some gpt-image models).",
    )
    .flag("input-fidelity", None)
    .at(100)
    .only(Endpoints::Edit)
    .unset(|_| "default (low)".into());
    User(user: String) => def("User", Allowed::Any, "An end-user id passed to the API.")
        .flag("user", None)
    .at(120)
        .row(Row::None);
    Stream(stream: bool) => def("Partials", Allowed::UpTo(|s| s.max_partial_images), "Stream the answer.")
        .row(Row::Partials)
        .not_in_batches();
    PartialImages(partial_images: u32) => def(
        "Partials",
        Allowed::UpTo(|s| s.max_partial_images),
        "Stream the answer and receive N (0-3) partial images on the way (gpt-image models); they are \
         written to OUT/partials as they arrive.",
    )
    .flag("partial-images", None)
    .at(40)
    .row(Row::Partials);
    FrameCount(frame_count: u32) => def(
        "Frames",
        Allowed::Range {
            bounds: |s| s.gif.as_ref().map(|g| (g.min_frames, g.max_frames)),
            steps: &[2, 3, 4, 6, 8, 9, 12, 16],
        },
        "Frames of an animated GIF, 2-16 (output_format gif; default 9).",
    )
    .flag("frames", None)
    .at(52)
    .unset(|s| s.gif.as_ref().map_or_else(|| "needs gif".into(), |g| format!("default ({})", g.default_frames)));
    FrameDurationMs(frame_duration_ms: u32) => def(
        "Frame time",
        Allowed::Range {
            bounds: |s| s.gif.as_ref().map(|g| (g.min_frame_ms, g.max_frame_ms)),
            steps: &[50, 100, 150, 200, 300, 500, 1000, 2000],
        },
        "How long each GIF frame shows, in ms, 20-60000 (output_format gif; default 200).",
    )
    .flag("frame-ms", None)
    .at(54)
    .unset(|s| s.gif.as_ref().map_or_else(|| "needs gif".into(), |g| format!("default ({} ms)", g.default_frame_ms)));
    // The body carries it as `svg: {"model": …}`; everywhere else (the flag, a batch key, the
    // history's words) it is `svg_model`.
    SvgModel(svg_model: String) [rename = "svg", with = "svg_body"] => def(
        "SVG writer",
        Allowed::Suggested(|s| &s.svg_models),
        "The text model that writes an SVG answer (output_format svg, gpt-image-2.6); its tokens are billed at \
         its own rates on top.",
    )
    .flag("svg-model", None)
    .at(56)
    .only(Endpoints::Generate)
    .unset(|s| s.svg_models.first().map_or_else(|| "needs svg".into(), |m| format!("default ({m})")));
    Complexity(complexity: String) => def(
        "Complexity",
        Allowed::Choices(|s| &s.complexities),
        "How much detail the model works out: low, medium or high (gpt-image-2.6; default high).",
    )
    .flag("complexity", None)
    .at(25)
    .unset(|s| format!("default ({})", s.complexities.last().map_or("", String::as_str)));
    // Only in this crate's own test build: a parameter made of this one entry and its rule in
    // the model table (`ModelSpec::whimsies`), to prove that is all a new one needs.
    #[cfg(test)]
    Whimsy(whimsy: String) => def("Whimsy", Allowed::Choices(|s| &s.whimsies), "How whimsical (test builds only).")
        .flag("whimsy", None)
        .at(25);
}

/// `svg_model` in a request's body: `"svg": {"model": "gpt-5-mini"}`.
mod svg_body {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Svg {
        model: String,
    }

    pub fn serialize<S: Serializer>(model: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        model.as_ref().map(|model| Svg { model: model.clone() }).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(Option::<Svg>::deserialize(d)?.map(|svg| svg.model))
    }
}

/// Every option parameter, in the order the form shows them.
pub fn table() -> &'static [ParamDef] {
    &TABLE
}

/// The entry of `param`, when it is an option.
pub fn def_of(param: Param) -> Option<&'static ParamDef> {
    TABLE.iter().find(|d| d.param == param)
}

/// The option called `api` in the API, if there is one.
pub fn by_api_name(api: &str) -> Option<&'static ParamDef> {
    TABLE.iter().find(|d| d.param.api_name() == api)
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.api_name())
    }
}

impl ImageOptions {
    /// The same options asking for the whole answer at once (no `stream`, no partials).
    pub fn without_stream(&self) -> Self {
        Self { stream: None, partial_images: None, ..self.clone() }
    }

    /// Fills what the model's rules require but a person need not say: the text model that
    /// writes an SVG answer (the model's first). Done before a request is checked and kept, so
    /// the history records what was sent.
    pub fn complete(&mut self, spec: &ModelSpec) {
        if self.output_format.as_deref() == Some("svg") && self.svg_model.is_none() {
            self.svg_model = spec.svg_models.first().cloned();
        }
    }

    /// The options that are set, as the API's text fields (a multipart body), in table order.
    pub fn form_fields(&self) -> Vec<(&'static str, String)> {
        table().iter().filter_map(|d| self.text(d.param).map(|v| (d.param.api_name(), v))).collect()
    }

    /// Sets one option from a field named as the API names it; unknown names are ignored, as
    /// the API ignores what it does not use.
    pub fn set_form_field(&mut self, name: &str, value: String) -> Result<(), FieldError> {
        match by_api_name(name) {
            Some(def) => self.set(def.param, Some(&value)),
            None => Ok(()),
        }
    }
}

/// The manual's table of parameters, made from this one.
#[cfg(any(test, feature = "internals"))]
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| parameter | flag | batch key | form row | requests | allowed values |\n|---|---|---|---|---|---|\n",
    );
    for d in table() {
        let flag = match (d.flag, d.short) {
            (Some(long), Some(short)) => format!("`-{short}`, `--{long}`"),
            (Some(long), None) => format!("`--{long}`"),
            _ => "—".into(),
        };
        let batch = if d.batch { format!("`{}`", d.param.api_name()) } else { "—".into() };
        let row = if d.row == Row::None { "—" } else { d.label };
        let requests = match d.endpoints {
            Endpoints::Both => "both",
            Endpoints::Generate => "generations",
            Endpoints::Edit => "edits",
        };
        let allowed = match d.allowed {
            _ if d.kind == Kind::Flag => "true or false (with partial images)".to_string(),
            Allowed::Choices(_) => "one of the model's list".to_string(),
            Allowed::Suggested(_) => "a name, where the model takes it (the form offers its list)".to_string(),
            Allowed::Count(_) => "1 to the model's most".to_string(),
            Allowed::Size => "the model's sizes, or WxH within its free-size rule".to_string(),
            Allowed::UpTo(_) => "0 to the model's most".to_string(),
            Allowed::Range { .. } => "within the model's bounds".to_string(),
            Allowed::Any => "any text".to_string(),
        };
        out.push_str(&format!("| `{}` | {flag} | {batch} | {row} | {requests} | {allowed} |\n", d.param.api_name()));
    }
    out
}

//! What is wrong with a request, as data: the parameter it is about, the input file (of an
//! edit) when it is about one, and the problem. One `Display` words it for the app and the
//! shell alike; nothing decides anything by reading the words.

use std::fmt;

use super::params::Param;

/// A problem with one parameter of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub param: Param,
    /// Which of the edit's input images it is about (0-based), when it is about one.
    pub input: Option<usize>,
    pub problem: Problem,
}

/// What is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Nothing given where something is needed (the prompt, the model).
    Empty,
    /// A model name that is not one word.
    NotOneWord,
    /// A name or text longer than allowed.
    TooLong { chars: usize, max: usize, model: Option<String> },
    /// A value the model does not allow (`quoted`: text, not a number).
    NotAllowed { value: String, quoted: bool, model: String, allowed: String },
    /// A parameter the model does not take at all; `takers` are the models that do.
    NotAccepted { value: String, model: String, takers: Vec<String>, since: Option<String> },
    /// A value that needs another parameter to be one of `allowed` (compression needs jpeg).
    Needs { value: String, other: Param, allowed: Vec<String>, current: String },
    /// A whole number outside `min`-`max`.
    OutOfRange { value: u32, min: u32, max: u32 },
    /// A parameter of generations only, or of edits only.
    OnlyFor { generations: bool },
    /// Text where a whole number is needed.
    NotANumber { value: String },
    /// Text where true or false is needed.
    NotAFlag { value: String },
    /// A model that cannot edit; `editors` can.
    CannotEdit { model: String, editors: Vec<String> },
    /// A name close to a known model's, most likely a typo.
    Typo { model: String, suggestion: String },
    /// A model the provider has shut down, with why and what to do.
    Retired { why: String },
    /// A provider that edits with other models only.
    NotOffered { provider: String, allowed: Vec<String>, model: String },
    /// The original kept outside the mask needs a mask.
    NeedsMask,
    /// An edit with no input image (`mask_alone`: a mask was given).
    NoInputImage { mask_alone: bool },
    /// What the budgets hold back.
    OverBudget { why: String },
    /// What the person should know, in words made where the facts are (an input file's
    /// size, format or pixels; a folder that is a file).
    Said(String),
}

impl FieldError {
    pub fn of(param: Param, problem: Problem) -> Self {
        Self { param, input: None, problem }
    }

    /// A problem of input image `index` of an edit, said in words.
    pub fn of_input(index: usize, message: impl Into<String>) -> Self {
        Self { param: Param::Image, input: Some(index), problem: Problem::Said(message.into()) }
    }

    /// A problem said in words.
    pub fn said(param: Param, message: impl Into<String>) -> Self {
        Self::of(param, Problem::Said(message.into()))
    }

    /// The problem alone, without the parameter's name in front.
    pub fn message(&self) -> String {
        Words(self).to_string()
    }

    /// Whether it stops a request even when the model's rules were only guessed.
    /// What no model takes is refused whatever rules were guessed: an edit without an image,
    /// no images asked, a size that is no size, an empty value, text for a number.
    pub fn always_stops(&self) -> bool {
        match (self.param, &self.problem) {
            (Param::Prompt, Problem::Empty)
            | (Param::Model, Problem::Empty | Problem::NotOneWord | Problem::TooLong { .. })
            | (_, Problem::NoInputImage { .. } | Problem::NotANumber { .. } | Problem::NotAFlag { .. })
            | (Param::N, Problem::OutOfRange { value: 0, .. }) => true,
            (Param::Size, Problem::NotAllowed { value, .. }) => {
                value != "auto" && super::models::parse_size(value).is_none()
            }
            (_, Problem::NotAllowed { value, .. }) => value.trim().is_empty(),
            _ => false,
        }
    }
}

fn list(items: &[String], joiner: &str) -> String {
    items.join(joiner)
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.param, Words(self))
    }
}

/// The words of a problem, the parameter's name left out.
struct Words<'a>(&'a FieldError);

impl fmt::Display for Words<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let error = self.0;
        match &error.problem {
            Problem::Empty if error.param == Param::Model => f.write_str("is empty; `imgtui models` lists the models"),
            Problem::Empty => f.write_str("is empty; describe the image you want"),
            Problem::NotOneWord => f.write_str("must be one word, without spaces or control characters"),
            Problem::TooLong { chars, max, model: Some(model) } => {
                write!(f, "{chars} characters is over the {max}-character limit of {model}")
            }
            Problem::TooLong { chars, max, model: None } => {
                write!(f, "is {chars} characters long; a model name has at most {max}")
            }
            Problem::NotAllowed { value, quoted: true, model, allowed } => {
                write!(f, "\"{value}\" is not allowed for {model} (allowed: {allowed})")
            }
            Problem::NotAllowed { value, quoted: false, model, allowed } => {
                write!(f, "{value} is not allowed for {model} (allowed: {allowed})")
            }
            Problem::NotAccepted { value, model, takers, since } => {
                write!(f, "\"{value}\" is not accepted by {model}")?;
                if let Some(since) = since {
                    write!(f, " since {since}")?;
                }
                match (error.param, takers.is_empty()) {
                    (Param::ResponseFormat, _) => f.write_str(" (it always returns b64_json)"),
                    (_, true) => f.write_str(" (no model in use here takes it)"),
                    (_, false) => write!(f, " (accepted by: {})", list(takers, ", ")),
                }
            }
            Problem::Needs { value, other, allowed, current } => {
                write!(f, "{value} needs {other} {} ({other} is {current})", list(allowed, " or "))
            }
            Problem::OutOfRange { value, min, max } => write!(f, "{value} is not in {min}-{max}"),
            Problem::OnlyFor { generations: true } => f.write_str("applies to generations only, not to edits"),
            Problem::OnlyFor { generations: false } => f.write_str("applies to edits only"),
            Problem::NotANumber { value } => write!(f, "\"{value}\" is not a whole number"),
            Problem::NotAFlag { value } => write!(f, "\"{value}\" is not true or false"),
            Problem::CannotEdit { model, editors } => {
                write!(f, "{model} cannot edit images (models that can: {})", list(editors, ", "))
            }
            Problem::Typo { model, suggestion } => write!(
                f,
                "{model} is not a model imgtui or the provider knows; did you mean {suggestion}? (--force-model \
                 sends the name as typed)"
            ),
            Problem::Retired { why } => write!(f, "{why} (--force-model sends it anyway)"),
            Problem::NotOffered { provider, allowed, model } => {
                write!(f, "{provider} edits only with {} ({model} is not offered there)", list(allowed, ", "))
            }
            Problem::NoInputImage { mask_alone } => {
                let also = if *mask_alone { " (a mask alone is not enough)" } else { "" };
                write!(f, "an edit needs at least one input image{also}")
            }
            Problem::NeedsMask => f.write_str(
                "keeping the original outside the mask needs a mask: pick or paint one, or return the image as it comes",
            ),
            Problem::OverBudget { why } => write!(f, "{why} (--over-budget sends it anyway)"),
            Problem::Said(message) => f.write_str(message),
        }
    }
}

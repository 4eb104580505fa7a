//! The rows of the settings form, with the API's name and the label of each.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Mode,
    Model,
    /// Input image `i` of an edit.
    Image(usize),
    /// The row that adds another input image.
    AddImage,
    Mask,
    /// Outside the mask: the first input's pixels put back, or the API's image as it comes.
    KeepUnmasked,
    InputFidelity,
    Size,
    Quality,
    N,
    OutputFormat,
    Compression,
    Background,
    Moderation,
    Style,
    ResponseFormat,
    /// Streaming with N partial images (`stream` + `partial_images`), or off.
    Partials,
}

impl Field {
    /// The API's name, as validation errors carry it.
    pub fn api_name(self) -> &'static str {
        match self {
            Self::Mode => "mode",
            Self::Image(_) | Self::AddImage => "image",
            Self::Mask => "mask",
            Self::KeepUnmasked => "keep_unmasked",
            Self::InputFidelity => "input_fidelity",
            Self::Model => "model",
            Self::Size => "size",
            Self::Quality => "quality",
            Self::N => "n",
            Self::OutputFormat => "output_format",
            Self::Compression => "output_compression",
            Self::Background => "background",
            Self::Moderation => "moderation",
            Self::Style => "style",
            Self::ResponseFormat => "response_format",
            Self::Partials => "partial_images",
        }
    }

    pub fn label(self) -> String {
        match self {
            Self::Mode => "Mode".into(),
            Self::Image(i) => format!("Image {}", i + 1),
            Self::AddImage => "".into(),
            Self::Mask => "Mask".into(),
            Self::KeepUnmasked => "Outside".into(),
            Self::InputFidelity => "Fidelity".into(),
            Self::Model => "Model".into(),
            Self::Size => "Size".into(),
            Self::Quality => "Quality".into(),
            Self::N => "Images (n)".into(),
            Self::OutputFormat => "Format".into(),
            Self::Compression => "Compression".into(),
            Self::Background => "Background".into(),
            Self::Moderation => "Moderation".into(),
            Self::Style => "Style".into(),
            Self::ResponseFormat => "Response".into(),
            Self::Partials => "Partials".into(),
        }
    }
}

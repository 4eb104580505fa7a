//! The Images API: model rules, requests and their validation, responses, and the client.
//! Nothing here knows about the terminal UI.

mod answer;
pub mod body;
pub mod client;
pub mod client_config;
pub mod error;
pub mod events;
pub mod hints;
pub mod image_facts;
pub mod image_request;
mod input_file;
pub mod lifecycle;
pub mod lineage;
pub mod models;
pub mod params;
pub mod problem;
pub mod provider;
pub mod request;
pub mod response;
pub mod result;
pub mod retry;
mod salvage;
mod upload;
pub mod validate;

pub use client::{Client, ClientConfig, Progress, RequestControl};
pub use error::ApiError;
pub use image_facts::{ImageFacts, ImageFormat};
pub use image_request::ImageRequest;
pub use models::{ModelSpec, ModelTable, RulesOrigin};
pub use params::Param;
pub use problem::{FieldError, Problem};
pub use provider::{ApiKey, Provider};
pub use request::{EditRequest, GenerateRequest, ImageOptions};
pub use result::{ImagesResult, ReceivedImage};

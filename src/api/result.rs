//! What a successful request gives: its images, decoded, with what happened on the way.

use super::image_facts::ImageFormat;
use super::response::ImagesResponse;

/// One image as received, with its bytes decoded from base64 or downloaded.
#[derive(Clone, Debug, PartialEq)]
pub struct ReceivedImage {
    /// Position in the response's `data`.
    pub index: usize,
    pub bytes: Vec<u8>,
    /// Sniffed from the bytes, not taken on trust from the request.
    pub format: Option<ImageFormat>,
    pub revised_prompt: Option<String>,
    /// The API's own bytes, when imgtui changed `bytes` afterwards (the original kept outside
    /// a mask): saved beside the result as `NAME-raw.EXT`.
    pub raw: Option<Vec<u8>>,
}

/// A successful answer. `response` keeps every echoed field and `usage`, with the (large)
/// base64 strings dropped once decoded into `images`.
#[derive(Clone, Debug, PartialEq)]
pub struct ImagesResult {
    pub response: ImagesResponse,
    pub images: Vec<ReceivedImage>,
    /// Images of the answer that could not be received, each with the reason.
    pub lost: Vec<String>,
    /// How many retries it took.
    pub retries: u32,
    /// What the user should know about how the answer was had (streaming refused, say).
    pub notes: Vec<String>,
    /// Data of the answer whose bytes are not a PNG, JPEG or WebP image: kept for inspection,
    /// never saved as a result.
    pub rejected: Vec<ReceivedImage>,
}

//! A 2xx answer read chunk by chunk as it arrives. The base64 inside each `"b64_json"` string is
//! decoded on the spot into its own buffer and replaced in the kept text by the image's
//! position, so the JSON left to parse is a few hundred bytes and each image is held once,
//! decoded: the 30 MB of text is never whole in memory, and decoding overlaps the transfer.
//!
//! Only keys are followed by `:` in JSON, so a string `"b64_json"` followed by `:` is the key,
//! wherever it sits (bare body or TTAPI's envelope).

use base64::Engine as _;

const KEY: &[u8] = b"b64_json";

/// What is left of a body once its images are taken out.
#[derive(Debug, Default)]
pub struct SplitBody {
    /// The body with the content of every `b64_json` string replaced by its position in
    /// `images` (`"b64_json":"0"`).
    pub text: Vec<u8>,
    /// Each image's decoded bytes, or why its base64 was not valid.
    pub images: Vec<Result<Vec<u8>, String>>,
}

/// An answer with its images decoded: the parsed response and, per datum of `response.data`,
/// its bytes when it carried `b64_json` (`None` for a `url`), or why they could not be had.
#[derive(Debug, Default)]
pub struct Decoded {
    pub response: super::response::ImagesResponse,
    pub images: Vec<Option<Result<Vec<u8>, String>>>,
    /// What the person should know of how the answer arrived (a body that broke off).
    pub notes: Vec<String>,
}

impl Decoded {
    /// An answer of just these images, whatever else it said (a body that broke off).
    pub fn of_images(images: Vec<Vec<u8>>, note: String) -> Self {
        let response = super::response::ImagesResponse {
            data: vec![super::response::ImageDatum::default(); images.len()],
            ..Default::default()
        };
        Self { response, images: images.into_iter().map(|b| Some(Ok(b))).collect(), notes: vec![note] }
    }
}

impl SplitBody {
    /// Parses the text left and gives each datum its decoded image. The only place the
    /// positions written into the text are read back.
    pub fn decode(self, status: u16) -> Result<Decoded, super::error::ApiError> {
        let SplitBody { text, images: mut decoded } = self;
        let mut response = super::response::parse_success(status, &text)?;
        let images = response
            .data
            .iter_mut()
            .map(|datum| {
                let position = datum.b64_json.take()?;
                let slot = position.parse::<usize>().ok().and_then(|p| decoded.get_mut(p));
                let taken = slot.map(|slot| std::mem::replace(slot, Err("appears twice in the answer".into())));
                Some(taken.unwrap_or_else(|| Err("the answer's text and images do not match".into())))
            })
            .collect();
        Ok(Decoded { response, images, notes: Vec::new() })
    }
}

#[derive(Debug)]
enum Lex {
    /// Between tokens; `key` says how far `"b64_json" :` has been seen.
    Outside { key: KeyState },
    /// Inside an ordinary string that began at `start` in the text.
    InString { start: usize, escaped: bool },
    /// Inside a `b64_json` string: bytes go to the last image.
    InImage { escaped: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyState {
    None,
    Key,
    Colon,
}

/// Feed it the body's chunks in order, then `finish`.
#[derive(Debug)]
pub struct BodySplitter {
    body: SplitBody,
    lex: Lex,
    /// Base64 characters of the current image not yet decoded (fewer than four).
    carry: Vec<u8>,
    /// The current image's base64 ended with padding; anything after it is an error.
    padded: bool,
    received: usize,
    /// Images whose base64 string has closed.
    closed: usize,
}

impl Default for BodySplitter {
    fn default() -> Self {
        Self {
            body: SplitBody::default(),
            lex: Lex::Outside { key: KeyState::None },
            carry: Vec::with_capacity(4),
            padded: false,
            received: 0,
            closed: 0,
        }
    }
}

impl BodySplitter {
    /// Bytes fed so far.
    pub fn received(&self) -> usize {
        self.received
    }

    /// Bytes of the answer that are not image data (the JSON around the images).
    pub fn text_len(&self) -> usize {
        self.body.text.len()
    }

    pub fn feed(&mut self, mut chunk: &[u8]) {
        self.received += chunk.len();
        while !chunk.is_empty() {
            chunk = match self.lex {
                Lex::InImage { escaped: true } => {
                    self.image_escape(chunk[0]);
                    self.lex = Lex::InImage { escaped: false };
                    &chunk[1..]
                }
                Lex::InImage { escaped: false } => {
                    let stop = memchr::memchr2(b'"', b'\\', chunk).unwrap_or(chunk.len());
                    self.push_base64(&chunk[..stop]);
                    match chunk.get(stop) {
                        Some(b'"') => {
                            self.end_image();
                            self.closed += 1;
                            self.body.text.push(b'"');
                            self.lex = Lex::Outside { key: KeyState::None };
                        }
                        Some(_) => self.lex = Lex::InImage { escaped: true },
                        None => {}
                    }
                    chunk.get(stop + 1..).unwrap_or_default()
                }
                Lex::InString { start, escaped: true } => {
                    self.body.text.push(chunk[0]);
                    self.lex = Lex::InString { start, escaped: false };
                    &chunk[1..]
                }
                Lex::InString { start, escaped: false } => {
                    let stop = memchr::memchr2(b'"', b'\\', chunk).unwrap_or(chunk.len());
                    self.body.text.extend_from_slice(&chunk[..stop]);
                    match chunk.get(stop) {
                        Some(b'"') => {
                            let is_key = self.body.text.get(start + 1..) == Some(KEY);
                            self.body.text.push(b'"');
                            self.lex = Lex::Outside { key: if is_key { KeyState::Key } else { KeyState::None } };
                        }
                        Some(&byte) => {
                            self.body.text.push(byte);
                            self.lex = Lex::InString { start, escaped: true };
                        }
                        None => {}
                    }
                    chunk.get(stop + 1..).unwrap_or_default()
                }
                Lex::Outside { key } => {
                    let byte = chunk[0];
                    self.body.text.push(byte);
                    self.lex = match (key, byte) {
                        (_, b' ' | b'\n' | b'\r' | b'\t') => Lex::Outside { key },
                        (KeyState::Key, b':') => Lex::Outside { key: KeyState::Colon },
                        (KeyState::Colon, b'"') => {
                            let position = self.body.images.len();
                            self.body.text.extend_from_slice(position.to_string().as_bytes());
                            self.body.images.push(Ok(Vec::new()));
                            self.carry.clear();
                            self.padded = false;
                            Lex::InImage { escaped: false }
                        }
                        (_, b'"') => Lex::InString { start: self.body.text.len() - 1, escaped: false },
                        _ => Lex::Outside { key: KeyState::None },
                    };
                    &chunk[1..]
                }
            };
        }
    }

    /// The text and the images. A body cut inside a string leaves text that is not JSON, which
    /// the parser then reports.
    pub fn finish(self) -> SplitBody {
        self.body
    }

    /// The images of a body that broke off: those whose string closed and decoded, never the
    /// one in progress.
    pub fn salvage(self) -> Vec<Vec<u8>> {
        self.body.images.into_iter().take(self.closed).filter_map(Result::ok).collect()
    }

    /// JSON allows `\/` for `/`; escaped white space is skipped; anything else is not base64.
    fn image_escape(&mut self, byte: u8) {
        match byte {
            b'/' => self.push_base64(b"/"),
            b'n' | b'r' | b't' => {}
            other => self.fail(format!("holds a \\{} escape, which is not base64", other as char)),
        }
    }

    fn push_base64(&mut self, mut bytes: &[u8]) {
        if bytes.is_empty() || !matches!(self.body.images.last(), Some(Ok(_))) {
            return;
        }
        if self.padded {
            return self.fail("goes on after its padding".into());
        }
        if !self.carry.is_empty() {
            let take = (4 - self.carry.len()).min(bytes.len());
            self.carry.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.carry.len() < 4 {
                return;
            }
            let mut group = [0u8; 4];
            group.copy_from_slice(&self.carry);
            self.carry.clear();
            self.decode(&group);
            // The group just completed may have been the last one.
            if self.padded && !bytes.is_empty() {
                return self.fail("goes on after its padding".into());
            }
        }
        let whole = bytes.len() / 4 * 4;
        self.decode(&bytes[..whole]);
        if self.padded && whole < bytes.len() {
            return self.fail("goes on after its padding".into());
        }
        self.carry.extend_from_slice(&bytes[whole..]);
    }

    /// Decodes whole groups of four onto the current image.
    fn decode(&mut self, groups: &[u8]) {
        if groups.is_empty() {
            return;
        }
        self.padded = groups.last() == Some(&b'=');
        let Some(Ok(image)) = self.body.images.last_mut() else { return };
        if let Err(e) = base64::engine::general_purpose::STANDARD.decode_vec(groups, image) {
            self.fail(format!("is not valid base64 ({e})"));
        }
    }

    fn end_image(&mut self) {
        if !self.carry.is_empty() {
            // Fewer than four characters left: canonical base64 never ends so.
            let left = String::from_utf8_lossy(&self.carry).into_owned();
            self.fail(format!("is not valid base64 (it ends with an incomplete group \"{left}\")"));
        }
        self.carry.clear();
    }

    fn fail(&mut self, why: String) {
        if let Some(last) = self.body.images.last_mut()
            && last.is_ok()
        {
            *last = Err(why);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(body: &[u8], chunk: usize) -> SplitBody {
        let mut splitter = BodySplitter::default();
        for part in body.chunks(chunk.max(1)) {
            splitter.feed(part);
        }
        splitter.finish()
    }

    #[test]
    fn images_come_out_decoded_and_the_text_keeps_their_positions() {
        let body = br#"{"created":1,"data":[{"b64_json":"aGVsbG8=","revised_prompt":"a \"b64_json\": fox"},{"b64_json" : "aGk\/"}],"b64_json":null}"#;
        for chunk in [1, 2, 3, 5, 7, 64, 4096] {
            let out = split(body, chunk);
            assert_eq!(
                String::from_utf8_lossy(&out.text),
                r#"{"created":1,"data":[{"b64_json":"0","revised_prompt":"a \"b64_json\": fox"},{"b64_json" : "1"}],"b64_json":null}"#,
                "chunk {chunk}"
            );
            assert_eq!(out.images[0].as_deref().ok(), Some(&b"hello"[..]), "chunk {chunk}");
            assert_eq!(out.images[1].as_deref().ok(), Some(&b"hi?"[..]), "chunk {chunk}");
        }
    }

    #[test]
    fn bad_base64_is_named_per_image() {
        let out = split(
            br#"{"data":[{"b64_json":"aGk"},{"b64_json":"a$bc"},{"b64_json":"aGk=aGk="},{"b64_json":"aGk="}]}"#,
            3,
        );
        let errors: Vec<String> = out.images.iter().map(|r| r.as_ref().err().cloned().unwrap_or_default()).collect();
        assert!(errors[0].contains("incomplete group"), "{errors:?}");
        assert!(errors[1].contains("not valid base64"), "{errors:?}");
        assert!(errors[2].contains("after its padding"), "{errors:?}");
        assert_eq!(out.images[3].as_deref().ok(), Some(&b"hi"[..]));
    }

    #[test]
    fn data_after_the_padding_is_refused_however_the_body_is_cut() {
        // Cut inside the padded group: the rest used to be decoded as if nothing was wrong.
        for body in [&br#"{"data":[{"b64_json":"aGk=QUJD"}]}"#[..], br#"{"data":[{"b64_json":"QUJDaGk=A"}]}"#] {
            for chunk in 1..=body.len() {
                let images = split(body, chunk).images;
                assert!(matches!(&images[..], [Err(_)]), "chunks of {chunk}: {images:?}");
            }
        }
    }
}

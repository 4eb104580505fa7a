//! Property tests: response and error parsing, and image header reading, never panic on
//! arbitrary bytes, and read back what they should from well-formed input.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use imgtui::api::ImageFacts;
use imgtui::api::response::{parse_error, parse_success};
use imgtui::tui::keymap::Key;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn success_parsing_never_panics(body in proptest::collection::vec(any::<u8>(), 0..512), status in 200u16..300) {
        let _ = parse_success(status, &body);
    }

    #[test]
    fn error_parsing_never_panics_and_keeps_the_status(body in proptest::collection::vec(any::<u8>(), 0..512), status in 400u16..600) {
        let err = parse_error(status, &body, None);
        prop_assert_eq!(err.status(), Some(status));
        let expected = format!("HTTP {}", status);
        prop_assert!(err.to_string().starts_with(&expected));
    }

    #[test]
    fn header_reading_never_panics(body in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = ImageFacts::from_header(&body);
    }

    #[test]
    fn header_reading_survives_damaged_real_headers(cut in 0usize..120, flip in 0usize..120, byte in any::<u8>(), which in 0usize..3) {
        let img = image::RgbaImage::from_pixel(37, 21, image::Rgba([1, 2, 3, 4]));
        let format = [image::ImageFormat::Png, image::ImageFormat::Jpeg, image::ImageFormat::WebP][which];
        let mut bytes = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgba8(img).to_rgb8().write_to(&mut bytes, format).unwrap();
        let mut bytes = bytes.into_inner();
        let intact = ImageFacts::from_header(&bytes).unwrap();
        prop_assert_eq!((intact.width, intact.height), (37, 21));
        if flip < bytes.len() { bytes[flip] = byte; }
        bytes.truncate(cut.min(bytes.len()));
        let _ = ImageFacts::from_header(&bytes);
    }

    #[test]
    fn key_names_never_panic(text in "\\PC{0,12}") {
        let _ = Key::parse(&text);
    }
}

proptest! {
    // Structured bodies cost more to generate; fewer cases cover their shapes.
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn json_like_bodies_never_panic(text in "\\{(\"(data|error|status|message|b64_json|url)\":(\\[|\\{|null|\"[a-z]{0,4}\"|[0-9]{1,3}|,|\\}|\\]){0,6}){0,4}\\}?") {
        let _ = parse_success(200, text.as_bytes());
        let _ = parse_error(500, text.as_bytes(), None);
    }
}

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
        let split = split_at(text.as_bytes(), &[3, 9, 17]);
        let _ = parse_success(200, &split.text);
    }
}

/// Splits `body` at the given cut points (each taken modulo the length) and feeds the pieces.
fn split_at(body: &[u8], cuts: &[usize]) -> imgtui::api::body::SplitBody {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (body.len() + 1)).collect();
    points.sort_unstable();
    let mut splitter = imgtui::api::body::BodySplitter::default();
    let mut from = 0;
    for point in points.into_iter().chain([body.len()]) {
        splitter.feed(&body[from..point]);
        from = point;
    }
    splitter.finish()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever the chunking, the images come out as the whole body decoded at once would
    /// give them, in the bare shape and inside TTAPI's envelope, with `\/` escapes and other
    /// strings (even ones that say "b64_json") around them.
    #[test]
    fn images_decoded_as_they_arrive_match_the_whole_body(
        images in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 1..4),
        cuts in proptest::collection::vec(0usize..5000, 0..12),
        envelope in any::<bool>(),
        escape_slashes in any::<bool>(),
        spaces in "[ \n]{0,2}",
    ) {
        use base64::Engine as _;
        let data: Vec<String> = images
            .iter()
            .map(|bytes| {
                let mut b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
                if escape_slashes {
                    b64 = b64.replace('/', "\\/");
                }
                format!("{{\"revised_prompt\":\"say \\\"b64_json\\\":\",\"b64_json\"{spaces}:{spaces}\"{b64}\"}}")
            })
            .collect();
        let bare = format!("{{\"created\":7,\"data\":[{}],\"usage\":{{\"total_tokens\":3}}}}", data.join(","));
        let body = if envelope { format!("{{\"status\":\"SUCCESS\",\"message\":\"ok\",\"data\":{bare}}}") } else { bare };
        let split = split_at(body.as_bytes(), &cuts);
        let response = parse_success(200, &split.text).unwrap();
        prop_assert_eq!(response.created, 7);
        prop_assert_eq!(response.data.len(), images.len());
        for (datum, expected) in response.data.iter().zip(&images) {
            let position: usize = datum.b64_json.as_deref().unwrap().parse().unwrap();
            prop_assert_eq!(split.images[position].as_ref().unwrap(), expected);
            prop_assert_eq!(datum.revised_prompt.as_deref(), Some("say \"b64_json\":"));
        }
    }

    #[test]
    fn splitting_never_panics_on_arbitrary_bytes(
        body in proptest::collection::vec(any::<u8>(), 0..600),
        cuts in proptest::collection::vec(0usize..600, 0..8),
    ) {
        let split = split_at(&body, &cuts);
        let _ = parse_success(200, &split.text);
    }
}

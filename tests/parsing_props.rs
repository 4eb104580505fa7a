//! Property tests: response and error parsing, and image header reading, never panic on
//! arbitrary bytes, and read back what they should from well-formed input.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use imgtui::api::body::SplitBody;
use imgtui::api::image_facts::FactsError;
use imgtui::api::response::{ImagesResponse, parse_error, parse_success};
use imgtui::api::{ApiError, ImageFacts, ImageFormat};
use imgtui::tui::keymap::{Key, KeyCodeName};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn success_parsing_never_panics(body in proptest::collection::vec(any::<u8>(), 0..512), status in 200u16..300) {
        match parse_success(status, &body) {
            Ok(response) => prop_assert!(!response.data.is_empty(), "an answer without images is not a success"),
            Err(err) => {
                prop_assert_eq!(err.status(), Some(status));
                check_quote(&err)?;
            }
        }
    }

    #[test]
    fn error_parsing_never_panics_and_keeps_the_status(body in proptest::collection::vec(any::<u8>(), 0..512), status in 400u16..600) {
        let err = parse_error(status, &body, None);
        prop_assert_eq!(err.status(), Some(status));
        let expected = format!("HTTP {}", status);
        prop_assert!(err.to_string().starts_with(&expected));
        check_quote(&err)?;
    }

    #[test]
    fn header_reading_never_panics(body in proptest::collection::vec(any::<u8>(), 0..256), magic in 0usize..4) {
        check_facts(&body)?;
        // Behind a real magic number the format-specific readers see the random bytes.
        let prefixed = [MAGIC[magic], &body].concat();
        check_facts(&prefixed)?;
        prop_assert_eq!(ImageFormat::sniff(&prefixed).is_some(), magic < 3 || ImageFormat::sniff(&body).is_some());
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
        prop_assert_eq!(intact.format, FORMATS[which]);
        prop_assert_eq!(intact.bytes, bytes.len() as u64);
        let facts = |b: &[u8]| ImageFacts::from_header(b).map(|f| (f.format, f.width, f.height));
        // The shortest start of the file its facts are read from.
        let header = (1..=bytes.len()).find(|&n| facts(&bytes[..n]) == facts(&bytes)).unwrap();
        let original = bytes.clone();
        if flip < bytes.len() { bytes[flip] = byte; }
        bytes.truncate(cut.min(bytes.len()));
        check_facts(&bytes)?;
        if bytes.len() >= header && bytes[..header] == original[..header] {
            // Damage past the header (pixel data, a cut tail) does not change the facts.
            prop_assert_eq!(facts(&bytes), facts(&original));
        }
    }

    #[test]
    fn key_names_never_panic(text in "\\PC{0,12}") {
        match Key::parse(&text) {
            // Whatever spelling was accepted, the key's plain name means the same key.
            Ok(key) => {
                prop_assert_eq!(Key::parse(&key_name(&key)), Ok(key));
                prop_assert!(!key.display().is_empty());
            }
            Err(message) => {
                let quoted = format!("\"{text}\"");
                prop_assert!(message.contains(&quoted), "the error names the key: {}", message);
            }
        }
    }

    /// Every key a keymap can name parses back from its name, in any letter case.
    #[test]
    fn key_names_round_trip(code in key_code(), ctrl in any::<bool>(), alt in any::<bool>(), case in any::<u64>()) {
        let key = Key { code, ctrl, alt, shift: false };
        let name = shout(&key_name(&key), &key, case);
        prop_assert_eq!(Key::parse(&name), Ok(key), "{}", name);
    }

    /// What help shows for a key names that key again, but for the arrows and PgUp/PgDn (shown
    /// as symbols and abbreviations) and the two ambiguous cases `display_names_one_key` covers.
    #[test]
    fn displayed_keys_parse_back(code in key_code(), ctrl in any::<bool>(), alt in any::<bool>()) {
        let key = Key::parse(&key_name(&Key { code, ctrl, alt, shift: false })).unwrap();
        let ambiguous = matches!(code, KeyCodeName::Char(c)
            if (ctrl && c.is_ascii_uppercase()) || (alt && !ctrl && c.is_ascii_lowercase()));
        if !symbolic(&key) && !ambiguous {
            prop_assert_eq!(Key::parse(&key.display()), Ok(key), "{}", key.display());
        }
    }

    #[test]
    fn display_names_one_key(code in key_code(), ctrl in any::<bool>(), alt in any::<bool>()) {
        let key = Key::parse(&key_name(&Key { code, ctrl, alt, shift: false })).unwrap();
        if !symbolic(&key) {
            prop_assert_eq!(Key::parse(&key.display()), Ok(key), "{}", key.display());
        }
    }

    #[test]
    fn written_headers_read_back(which in 0usize..3, width in 1u32..=0xFFFF, height in 1u32..=0xFFFF, alpha in any::<bool>(), tail in proptest::collection::vec(any::<u8>(), 0..64)) {
        let header = written_header(which, width, height, alpha);
        let format = FORMATS[which];
        let expected = ImageFacts { format, width, height, has_alpha: alpha && which != 1, bytes: header.len() as u64 };
        prop_assert_eq!(ImageFacts::from_header(&header), Ok(expected));
        let file = [&header[..], &tail].concat();
        prop_assert_eq!(ImageFacts::from_header(&file), Ok(ImageFacts { bytes: file.len() as u64, ..expected }));
        for cut in 0..header.len() {
            // A cut header is an error, or (PNG cut after the colour type) reads the same facts.
            let facts = ImageFacts::from_header(&header[..cut]).map(|f| ImageFacts { bytes: header.len() as u64, ..f });
            prop_assert!(facts.is_err() || facts == Ok(expected), "cut at {}: {:?}", cut, facts);
        }
    }

    #[test]
    fn image_format_names_round_trip(which in 0usize..3, name in "\\PC{0,6}") {
        let format = FORMATS[which];
        prop_assert_eq!(ImageFormat::from_api_name(format.api_name()), Some(format));
        if let Some(found) = ImageFormat::from_api_name(&name) {
            prop_assert_eq!(found.api_name(), name.as_str());
        }
    }

    #[test]
    fn sizes_round_trip(width in any::<u32>(), height in any::<u32>(), text in "[0-9x+ -]{0,12}|\\PC{0,12}") {
        use imgtui::api::models::parse_size;
        prop_assert_eq!(parse_size(&format!("{width}x{height}")), Some((width, height)));
        if let Some((w, h)) = parse_size(&text) {
            prop_assert_eq!(parse_size(&format!("{w}x{h}")), Some((w, h)));
        }
    }

    #[test]
    fn latencies_are_ordered_and_round_trip(low in any::<u64>(), high in any::<u64>(), text in "[0-9 -]{0,12}|\\PC{0,12}") {
        use imgtui::cli::{DemoLatency, parse_latency};
        use std::time::Duration;
        let ms = Duration::from_millis;
        prop_assert_eq!(parse_latency(&low.to_string()), Ok(DemoLatency { low: ms(low), high: ms(low) }));
        let range = parse_latency(&format!("{low}-{high}"));
        if low <= high {
            prop_assert_eq!(range, Ok(DemoLatency { low: ms(low), high: ms(high) }));
        } else {
            prop_assert!(range.is_err_and(|e| e.contains("MIN at most MAX")), "a reversed range is refused");
        }
        match parse_latency(&text) {
            Ok(l) => {
                prop_assert!(l.low <= l.high);
                prop_assert_eq!(parse_latency(&format!("{}-{}", l.low.as_millis(), l.high.as_millis())), Ok(l));
            }
            Err(message) => prop_assert!(message.contains("MIN-MAX"), "{}", message),
        }
    }

    #[test]
    fn escaped_text_has_no_controls(chars in proptest::collection::vec(any::<char>(), 0..40), ascii in "[ -~]{0,40}") {
        use imgtui::text::escape_controls;
        let text: String = chars.into_iter().collect();
        let out = escape_controls(&text);
        prop_assert!(!out.chars().any(unsafe_char), "{:?} -> {:?}", text, out);
        prop_assert_eq!(escape_controls(&out), out.clone(), "escaping twice changes nothing");
        if !text.chars().any(unsafe_char) { prop_assert_eq!(&out, &text); }
        prop_assert_eq!(escape_controls(&ascii), ascii);
    }
}

proptest! {
    // Structured bodies cost more to generate; fewer cases cover their shapes.
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn json_like_bodies_never_panic(text in "\\{(\"(data|error|status|message|b64_json|url)\":(\\[|\\{|null|\"[a-z]{0,4}\"|[0-9]{1,3}|,|\\}|\\]){0,6}){0,4}\\}?") {
        let whole = parse_success(200, text.as_bytes());
        let err = parse_error(500, text.as_bytes(), None);
        prop_assert_eq!(err.status(), Some(500));
        prop_assert!(err.to_string().starts_with("HTTP 500"));
        let split = split_at(text.as_bytes(), &[3, 9, 17]);
        let parts = parse_success(200, &split.text);
        // Taking the images out changes only the content of `b64_json` strings.
        match (&whole, &parts) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(without_images(a), without_images(b));
                for datum in b.data.iter().filter_map(|d| d.b64_json.as_deref()) {
                    prop_assert!(datum.parse::<usize>().unwrap() < split.images.len());
                }
            }
            (Err(a), Err(b)) => prop_assert_eq!((a.status(), b.status()), (Some(200), Some(200))),
            _ => prop_assert!(false, "whole {:?} but split {:?}", whole, parts),
        }
    }
}

/// Splits `body` at the given cut points (each taken modulo the length) and feeds the pieces.
fn split_at(body: &[u8], cuts: &[usize]) -> SplitBody {
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
        pieces in proptest::collection::vec(proptest::sample::select(PIECES.to_vec()), 0..40),
    ) {
        check_split(&body, &cuts)?;
        // Bodies made of the pieces the splitter reacts to reach every state it has.
        check_split(pieces.concat().as_bytes(), &cuts)?;
    }
}

const PIECES: [&str; 14] =
    ["\"b64_json\"", ":", " ", "\"", "\\", "\\/", "\\n", "aGk=", "QUJD", "A", "=", "\"b64_json\" : \"", "}", "\"x\""];

/// The chunking changes nothing: same text, same images (error wording may differ). A body
/// without a `b64_json` key passes through unchanged.
fn check_split(body: &[u8], cuts: &[usize]) -> Result<(), TestCaseError> {
    let split = split_at(body, cuts);
    let _ = parse_success(200, &split.text);
    let whole = split_at(body, &[]);
    prop_assert_eq!(&split.text, &whole.text);
    let images = |s: &SplitBody| s.images.iter().map(|r| r.as_ref().ok().cloned()).collect::<Vec<_>>();
    prop_assert_eq!(images(&split), images(&whole), "{}", String::from_utf8_lossy(body));
    let keys = body.windows(8).filter(|w| w == b"b64_json").count();
    prop_assert!(split.images.len() <= keys);
    if keys == 0 {
        prop_assert_eq!(&split.text, &body.to_vec());
    }
    Ok(())
}

const FORMATS: [ImageFormat; 3] = [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::Webp];

/// The magic numbers `ImageFormat::sniff` knows (and none).
const MAGIC: [&[u8]; 4] = [b"\x89PNG\r\n\x1a\n", &[0xFF, 0xD8, 0xFF], b"RIFF\0\0\0\0WEBP", b""];

/// What any header reading must give: positive sizes of the sniffed format, or an error that
/// names the sniffed format.
fn check_facts(bytes: &[u8]) -> Result<(), TestCaseError> {
    let sniffed = ImageFormat::sniff(bytes);
    match ImageFacts::from_header(bytes) {
        Ok(facts) => {
            prop_assert!(facts.width > 0 && facts.height > 0, "{:?}", facts);
            prop_assert_eq!(Some(facts.format), sniffed);
            prop_assert_eq!(facts.bytes, bytes.len() as u64);
        }
        Err(FactsError::NotAnImage) => prop_assert_eq!(sniffed, None),
        Err(FactsError::Damaged(name)) => prop_assert_eq!(Some(name), sniffed.map(ImageFormat::api_name)),
        Err(other) => prop_assert!(false, "reading bytes in memory gave {:?}", other),
    }
    Ok(())
}

/// The part of an error message that quotes the body is short, on one line, without HTML tags.
fn check_quote(err: &ApiError) -> Result<(), TestCaseError> {
    let message = err.to_string();
    let Some((_, quoted)) = message.split_once("it starts with: ").or_else(|| message.split_once("the body says: "))
    else {
        return Ok(());
    };
    prop_assert!(quoted.starts_with('"') && quoted.ends_with('"'), "{}", message);
    prop_assert!(quoted.chars().count() <= 200 + 3, "{}", message);
    prop_assert!(!quoted.chars().any(|c| c.is_whitespace() && c != ' ') && !quoted.contains("  "), "{:?}", message);
    prop_assert!(!quoted.contains('<'), "{}", message);
    Ok(())
}

/// A response with the `b64_json` contents blanked: what splitting must leave alone.
fn without_images(response: &ImagesResponse) -> ImagesResponse {
    let mut response = response.clone();
    for datum in &mut response.data {
        datum.b64_json = datum.b64_json.as_ref().map(|_| String::new());
    }
    response
}

/// A control character, or a format character that reorders the text after it.
/// What must never reach a terminal raw: the library's own rule (`text::shown_escaped`), which
/// its unit test pins character by character.
fn unsafe_char(c: char) -> bool {
    imgtui::text::shown_escaped(c)
}

/// The smallest header of each format (PNG IHDR, JPEG SOF0 behind an APP0, WebP VP8X).
fn written_header(which: usize, width: u32, height: u32, alpha: bool) -> Vec<u8> {
    let (a, w, h) = (u8::from(alpha), width.to_be_bytes(), height.to_be_bytes());
    let (w1, h1) = ((width - 1).to_le_bytes(), (height - 1).to_le_bytes());
    match which {
        0 => [MAGIC[0], b"\0\0\0\x0dIHDR", &w, &h, &[8, 2 + 4 * a, 0, 0, 0]].concat(),
        // JPEG sizes are 16 bits.
        1 => [&[0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8], &h[2..], &w[2..]].concat(),
        _ => [MAGIC[2], b"VP8X", &[10, 0, 0, 0, 0x10 * a, 0, 0, 0], &w1[..3], &h1[..3]].concat(),
    }
}

/// Key names the keymap file takes, and the codes they stand for.
const NAMES: &str = "enter esc tab backtab backspace delete up down left right home end pageup pagedown";
const CODES: [KeyCodeName; 14] = {
    use KeyCodeName::*;
    [Enter, Esc, Tab, BackTab, Backspace, Delete, Up, Down, Left, Right, Home, End, PageUp, PageDown]
};

/// Keys as a keymap keeps them: Ctrl-7 and Ctrl-_ are read as Ctrl-/, so only `/` stands for the three.
fn key_code() -> impl Strategy<Value = KeyCodeName> {
    let not_slash_aliases = |c: &char| !matches!(c, '7' | '_');
    prop_oneof![
        any::<char>().prop_filter("a Ctrl-/ alias", not_slash_aliases).prop_map(KeyCodeName::Char),
        prop::char::range('!', '~').prop_filter("a Ctrl-/ alias", not_slash_aliases).prop_map(KeyCodeName::Char),
        (1u8..=12).prop_map(KeyCodeName::F),
        proptest::sample::select(CODES.to_vec()),
    ]
}

/// The key's name as a keymap file writes it (`ctrl-shift-a`, `alt-pagedown`, `f5`, `G`).
fn key_name(key: &Key) -> String {
    let mut name = String::new();
    if key.ctrl {
        name.push_str("ctrl-");
    }
    if key.alt {
        name.push_str("alt-");
    }
    match key.code {
        KeyCodeName::Char(' ') => name.push_str("space"),
        // Ctrl and Alt fold the case of a letter; shift gives it back.
        KeyCodeName::Char(c) if (key.ctrl || key.alt) && c.is_ascii_uppercase() => name.push_str(&format!("shift-{c}")),
        KeyCodeName::Char(c) => name.push(c),
        KeyCodeName::F(n) => name.push_str(&format!("f{n}")),
        code => name.push_str(NAMES.split(' ').nth(CODES.iter().position(|c| *c == code).unwrap()).unwrap()),
    }
    name
}

/// `name` with the ASCII letters picked by the bits of `case` upper-cased, but a key's own
/// character (`G` and `g` are two keys).
fn shout(name: &str, key: &Key, case: u64) -> String {
    let own = if matches!(key.code, KeyCodeName::Char(c) if c != ' ') { name.chars().count() - 1 } else { usize::MAX };
    let up = |i: usize| (case >> (i % 64)) & 1 == 1 && i != own;
    name.chars().enumerate().map(|(i, c)| if up(i) { c.to_ascii_uppercase() } else { c }).collect()
}

/// Help shows these as symbols or abbreviations (`↑`, `PgDn`), not as names the keymap takes.
fn symbolic(key: &Key) -> bool {
    use KeyCodeName::{Down, Left, PageDown, PageUp, Right, Up};
    matches!(key.code, Up | Down | Left | Right | PageUp | PageDown)
}

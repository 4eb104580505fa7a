//! Text chunks in generated PNGs, so a file found later still says how it was made: a
//! `parameters` chunk in the layout AUTOMATIC1111 writes and its readers parse (prompt, then a
//! last line of `Key: value` pairs), and an `imgtui` chunk with the request as JSON.

/// Inserts text chunks right after IHDR (readers that stop at IDAT still see them). Returns
/// `None` when `png` does not start with a well-formed IHDR, so the caller keeps it unchanged.
pub fn with_text_chunks(png: &[u8], entries: &[(&str, &str)]) -> Option<Vec<u8>> {
    const IHDR_END: usize = 8 + 4 + 4 + 13 + 4;
    if png.len() < IHDR_END || &png[12..16] != b"IHDR" || png[8..12] != 13u32.to_be_bytes() {
        return None;
    }
    let mut out = Vec::with_capacity(png.len() + entries.iter().map(|(k, v)| k.len() + v.len() + 32).sum::<usize>());
    out.extend_from_slice(&png[..IHDR_END]);
    for (keyword, text) in entries {
        append_text_chunk(&mut out, keyword, text);
    }
    out.extend_from_slice(&png[IHDR_END..]);
    Some(out)
}

/// `tEXt` when the text is Latin-1 (what most readers expect), `iTXt` (UTF-8) otherwise.
fn append_text_chunk(out: &mut Vec<u8>, keyword: &str, text: &str) {
    let mut data = Vec::with_capacity(keyword.len() + text.len() + 8);
    data.extend_from_slice(keyword.as_bytes());
    data.push(0);
    let kind: &[u8; 4] = if text.chars().all(|c| (c as u32) < 0x100) {
        data.extend(text.chars().map(|c| c as u8));
        b"tEXt"
    } else {
        // Compression flag 0, method 0, empty language tag, empty translated keyword.
        data.extend_from_slice(&[0, 0, 0, 0]);
        data.extend_from_slice(text.as_bytes());
        b"iTXt"
    };
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(&data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(&data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
}

/// The `parameters` text: the prompt, then one line of `Key: value` pairs.
pub fn a1111_parameters(prompt: &str, pairs: &[(&str, String)]) -> String {
    let line: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        // Commas separate pairs, so values with commas are quoted as A1111 does.
        .map(|(k, v)| if v.contains(',') { format!("{k}: \"{v}\"") } else { format!("{k}: {v}") })
        .collect();
    format!("{prompt}\n{}", line.join(", "))
}

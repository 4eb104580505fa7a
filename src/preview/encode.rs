//! The escape sequences that draw and erase images. Written here rather than through viuer's
//! printers: those write straight to stdout with their own cursor moves and sizing, while the
//! app needs the bytes to wrap them for tmux, send them once per (image, area), and erase one
//! image by id (kitty). Sixel encoding is viuer's own encoder, icy_sixel.

use base64::Engine as _;

/// Kitty: transmit the PNG as image `id` and keep it without showing it (`a=t`), without
/// replies (`q=2`). It is then shown, and shown again after scrolling, by `kitty_place`
/// without sending it again.
pub fn kitty_transmit(id: u32, png: &[u8]) -> Vec<Vec<u8>> {
    kitty_chunks(&format!("a=t,f=100,t=d,i={id},q=2"), png)
}

/// Kitty: one more frame of animated image `id` (`a=f`), shown `gap_ms` before the next.
pub fn kitty_frame(id: u32, png: &[u8], gap_ms: u32) -> Vec<Vec<u8>> {
    // Every chunk says what it is: kitty 0.26 takes a frame's later chunks without `a=f` for a
    // new image (seen through the screenshot harness: the animation never ran).
    let keys = format!("a=f,f=100,t=d,i={id},z={gap_ms},q=2");
    let mut chunks = kitty_chunks(&keys, png);
    for chunk in chunks.iter_mut().skip(1) {
        chunk.splice(3..3, format!("{keys},").into_bytes());
    }
    chunks
}

/// Kitty: the first frame's time, then play image `id`'s frames in a loop for ever (`s=3`,
/// `v=1`): the terminal plays them with no more bytes from the app.
pub fn kitty_play(id: u32, first_gap_ms: u32) -> Vec<u8> {
    format!("\x1b_Ga=a,i={id},r=1,z={first_gap_ms},q=2\x1b\\\x1b_Ga=a,i={id},s=3,v=1,q=2\x1b\\").into_bytes()
}

/// Kitty: send the PNG and show it at the cursor in `cols` x `rows` cells at once (`a=T`),
/// without an id (nothing erases it later) and without moving the cursor (`C=1`).
pub fn kitty_show_at_cursor(png: &[u8], cols: u16, rows: u16) -> Vec<Vec<u8>> {
    kitty_chunks(&format!("a=T,f=100,t=d,q=2,C=1,c={cols},r={rows}"), png)
}

/// The PNG in chunks as the protocol requires (4096 base64 bytes each), `keys` on the first.
fn kitty_chunks(keys: &str, png: &[u8]) -> Vec<Vec<u8>> {
    let data = base64::engine::general_purpose::STANDARD.encode(png);
    let chunks: Vec<&[u8]> = data.as_bytes().chunks(4096).collect();
    let last = chunks.len().saturating_sub(1);
    chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            let more = u8::from(i != last);
            let head = if i == 0 { format!("\x1b_G{keys},m={more};") } else { format!("\x1b_Gm={more};") };
            let mut seq = head.into_bytes();
            seq.extend_from_slice(chunk);
            seq.extend_from_slice(b"\x1b\\");
            seq
        })
        .collect()
}

/// Kitty: show image `id` at the cursor in `cols` x `rows` cells as placement `placement`,
/// without moving the cursor (`C=1`).
pub fn kitty_place(id: u32, placement: u32, cols: u16, rows: u16) -> Vec<u8> {
    format!("\x1b_Ga=p,i={id},p={placement},q=2,C=1,c={cols},r={rows}\x1b\\").into_bytes()
}

/// Kitty: a virtual placement of image `id` over `cols` x `rows` cells, shown wherever cells
/// hold its Unicode placeholders (see `placeholder`).
pub fn kitty_virtual_place(id: u32, cols: u16, rows: u16) -> Vec<u8> {
    format!("\x1b_Ga=p,U=1,i={id},q=2,c={cols},r={rows}\x1b\\").into_bytes()
}

/// Kitty: take placement `placement` of image `id` off the screen; the image stays with the
/// terminal, to be placed again.
pub fn kitty_unplace(id: u32, placement: u32) -> Vec<u8> {
    format!("\x1b_Ga=d,d=i,i={id},p={placement},q=2\x1b\\").into_bytes()
}

/// Kitty: delete image `id` and free its data.
pub fn kitty_delete(id: u32) -> Vec<u8> {
    format!("\x1b_Ga=d,d=I,i={id},q=2\x1b\\").into_bytes()
}

/// iTerm2 (and WezTerm): an inline PNG sized in cells.
pub fn iterm_show(png: &[u8], cols: u16, rows: u16) -> Vec<u8> {
    let data = base64::engine::general_purpose::STANDARD.encode(png);
    let mut seq =
        format!("\x1b]1337;File=inline=1;size={};width={cols};height={rows};preserveAspectRatio=1:", png.len())
            .into_bytes();
    seq.extend_from_slice(data.as_bytes());
    seq.push(0x07);
    seq
}

/// Sixel from RGBA pixels.
pub fn sixel(rgba: &[u8], width: u32, height: u32) -> Result<Vec<u8>, String> {
    icy_sixel::sixel_string(
        rgba,
        width as i32,
        height as i32,
        icy_sixel::PixelFormat::RGBA8888,
        icy_sixel::DiffusionMethod::Auto,
        icy_sixel::MethodForLargest::Auto,
        icy_sixel::MethodForRep::Auto,
        icy_sixel::Quality::AUTO,
    )
    .map(String::into_bytes)
    .map_err(|e| format!("sixel encoding failed: {e}"))
}

/// tmux passes a sequence to the outer terminal when it is wrapped in `ESC P tmux; … ESC \`
/// with every ESC inside doubled (and `allow-passthrough` is on).
pub fn wrap_for_tmux(seq: &[u8]) -> Vec<u8> {
    let mut out = b"\x1bPtmux;".to_vec();
    for &byte in seq {
        if byte == 0x1b {
            out.push(0x1b);
        }
        out.push(byte);
    }
    out.extend_from_slice(b"\x1b\\");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kitty_chunks_and_tmux_wrapping() {
        let png = vec![7u8; 5000];
        let chunks = kitty_transmit(9, &png);
        assert_eq!(chunks.len(), 2, "6668 base64 bytes in chunks of 4096");
        assert!(chunks[0].starts_with(b"\x1b_Ga=t,f=100,t=d,i=9,q=2,m=1;"));
        assert!(chunks[1].starts_with(b"\x1b_Gm=0;") && chunks[1].ends_with(b"\x1b\\"));
        assert_eq!(wrap_for_tmux(b"\x1b_Ga=d\x1b\\"), b"\x1bPtmux;\x1b\x1b_Ga=d\x1b\x1b\\\x1b\\".to_vec());
    }

    #[test]
    fn every_chunk_of_an_animation_frame_names_its_action_and_image() {
        let chunks = kitty_frame(4, &vec![7u8; 5000], 120);
        assert_eq!(chunks.len(), 2);
        assert!(chunks[0].starts_with(b"\x1b_Ga=f,f=100,t=d,i=4,z=120,q=2,m=1;"));
        assert!(
            chunks[1].starts_with(b"\x1b_Ga=f,f=100,t=d,i=4,z=120,q=2,m=0;"),
            "{}",
            String::from_utf8_lossy(&chunks[1][..40])
        );
        assert_eq!(kitty_play(4, 90), b"\x1b_Ga=a,i=4,r=1,z=90,q=2\x1b\\\x1b_Ga=a,i=4,s=3,v=1,q=2\x1b\\".to_vec());
    }

    #[test]
    fn sixel_is_a_dcs_sequence() {
        let rgba = vec![200u8; 4 * 6 * 12];
        let seq = sixel(&rgba, 6, 12).unwrap();
        assert!(seq.starts_with(b"\x1bP") && seq.ends_with(b"\x1b\\"), "{:?}", String::from_utf8_lossy(&seq[..20]));
    }
}

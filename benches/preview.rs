//! The preview pipeline for a 1536x1024 PNG: decode, fit to a 60x20-cell pane (10x20 px
//! cells), encode for each protocol. Prints the bytes each preview sends to the terminal.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use imgtui::api::ImageFormat;
use imgtui::demo::draw;
use imgtui::preview::encode;
use imgtui::preview::prepare::{CellSize, PreviewKey, prepare, prepare_image};
use imgtui::preview::{Graphics, placer};

fn sample_png() -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("imgtui-bench-{}.png", std::process::id()));
    let picture = draw::picture("a red fox in the snow", draw::seed(&["bench"]), 1536, 1024, false);
    let bytes = draw::encode(&picture, ImageFormat::Png, 100).unwrap_or_default();
    let _ = std::fs::write(&path, bytes);
    path
}

fn preview(c: &mut Criterion) {
    let path = sample_png();
    let cell = CellSize { width: 10, height: 20 };
    for graphics in [Graphics::Kitty, Graphics::Iterm, Graphics::Sixel, Graphics::Blocks] {
        let key = PreviewKey::fitted(path.clone(), 60, 20, graphics);
        // Bytes on the wire: what the placer writes (blocks: the cells' characters and colours).
        if let Ok(prepared) = prepare(&key, cell) {
            let wire = match graphics {
                Graphics::Blocks => {
                    prepared.pixels.as_ref().map_or(0, |p| p.width() as usize * p.height() as usize / 2 * 24)
                }
                _ => {
                    let mut p = placer::Placer::new(graphics, false);
                    let wanted = placer::Wanted { key: key.clone(), area: ratatui::layout::Rect::new(0, 0, 60, 20) };
                    p.sync(Some(&wanted), Some(&prepared))
                        .into_iter()
                        .map(|s| if let placer::Step::Write(b) = s { b.len() } else { 0 })
                        .sum()
                }
            };
            eprintln!("bytes per preview, {graphics}: {wire}");
        }
        c.bench_function(&format!("decode+fit+encode 1536x1024 -> 60x20 cells, {graphics}"), |b| {
            b.iter(|| black_box(prepare(&key, cell)))
        });
    }
    // A fresh answer's first image arrives decoded (`WarmPixels`): only fit and encode remain.
    let decoded = image::open(&path).map(image::DynamicImage::into_rgba8).unwrap_or_default();
    let key = PreviewKey::fitted(path.clone(), 60, 20, Graphics::Kitty);
    c.bench_function("fit+encode of pixels decoded while written, kitty", |b| {
        b.iter(|| black_box(prepare_image(&key, &decoded, cell)))
    });
    c.bench_function("kitty chunking of a 100 KB PNG", |b| {
        let png = vec![7u8; 100_000];
        b.iter(|| black_box(encode::kitty_transmit(1, &png)))
    });
    let _ = std::fs::remove_file(path);
}

criterion_group!(benches, preview);
criterion_main!(benches);

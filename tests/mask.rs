//! Masks: `imgtui mask` writes the shape model's file (the painter's), refuses bad shapes naming
//! the flag and the rule, and the demo's spill behaviour edits beyond the mask as the models do.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use image::{Rgba, RgbaImage};
use imgtui::mask::{MaskPlan, Op, PixelRect, Shape};

fn imgtui(args: &[&str]) -> std::process::Output {
    common::imgtui_std().args(args).output().unwrap()
}

fn picture(dir: &Path, name: &str, size: (u32, u32)) -> String {
    let path = dir.join(name);
    RgbaImage::from_pixel(size.0, size.1, Rgba([90, 120, 200, 255])).save(&path).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn the_command_writes_the_shape_models_file_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let image = picture(dir.path(), "wide.png", (301, 157));
    let out = dir.path().join("mask.png");
    let ran = imgtui(&[
        "mask",
        &image,
        "--rect",
        "10,20,30,40",
        "--ellipse",
        "100,50,81,61",
        "--invert",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ran.status.success(), "{}", String::from_utf8_lossy(&ran.stderr));
    let stdout = String::from_utf8_lossy(&ran.stdout);
    assert!(stdout.contains("301x157") && stdout.contains("% of the image"), "{stdout}");
    let mut plan = MaskPlan::new(301, 157);
    plan.ops = vec![
        Op::Paint(Shape::Rect(PixelRect { x0: 10, y0: 20, x1: 40, y1: 60 })),
        Op::Paint(Shape::Ellipse(PixelRect { x0: 100, y0: 50, x1: 181, y1: 111 })),
        Op::Invert,
    ];
    assert_eq!(std::fs::read(&out).unwrap(), plan.to_png().unwrap());
    let mask = image::open(&out).unwrap().to_rgba8();
    assert_eq!(mask.dimensions(), (301, 157), "exactly the image's size");
    assert_eq!(mask.get_pixel(10, 20)[3], 255, "inverted: the rectangle is protected");
    assert_eq!(mask.get_pixel(0, 0)[3], 0, "and the rest is to edit");
}

#[test]
fn bad_shapes_and_files_are_refused_naming_the_flag_and_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let image = picture(dir.path(), "small.png", (64, 32));
    let out = dir.path().join("m.png");
    let out = out.to_str().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["--rect", "60,0,10,10"], "past the image's 64x32"),
        (&["--rect", "1,2,0,3"], "at least 1 pixel"),
        (&["--ellipse", "1,2,3"], "X,Y,W,H"),
        (&[], "nothing to paint"),
        (&["--rect=-1,0,3,3"], "X,Y,W,H"),
    ];
    for (flags, says) in cases {
        let mut args = vec!["mask", image.as_str(), "--out", out];
        args.extend_from_slice(flags);
        let ran = imgtui(&args);
        let stderr = String::from_utf8_lossy(&ran.stderr);
        assert_eq!(ran.status.code(), Some(2), "{flags:?}: {stderr}");
        assert!(stderr.contains(says), "{flags:?}: {stderr}");
    }
    assert!(!Path::new(out).exists(), "nothing written for a refused mask");
    let not_an_image = dir.path().join("notes.txt");
    std::fs::write(&not_an_image, "hello").unwrap();
    let ran = imgtui(&["mask", not_an_image.to_str().unwrap(), "--rect", "0,0,1,1", "--out", out]);
    assert!(String::from_utf8_lossy(&ran.stderr).contains("IMAGE"), "names the argument");
    let ran = imgtui(&["mask", &image, "--rect", "0,0,1,1", "--out", "/nonexistent-dir/m.png"]);
    assert!(String::from_utf8_lossy(&ran.stderr).contains("--out"), "names the argument");
    assert_eq!(ran.status.code(), Some(1), "the machine failed, not the input");
    // All of it protected: the API would refuse the mask.
    let ran = imgtui(&["mask", &image, "--rect", "0,0,64,32", "--invert", "--out", out]);
    assert_eq!(ran.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&ran.stderr).contains("nothing to edit"));
    // The input is never overwritten by its own mask.
    let ran = imgtui(&["mask", &image, "--rect", "0,0,4,4", "--out", &image]);
    assert!(String::from_utf8_lossy(&ran.stderr).contains("is IMAGE itself"));
    assert!(image::open(&image).is_ok(), "the image is still there");
    // A header that claims 60000x60000 pixels is refused before anything is allocated.
    let bomb = dir.path().join("bomb.png");
    let mut header = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    header.extend_from_slice(&60000u32.to_be_bytes());
    header.extend_from_slice(&60000u32.to_be_bytes());
    header.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    std::fs::write(&bomb, header).unwrap();
    let ran = imgtui(&["mask", bomb.to_str().unwrap(), "--rect", "0,0,10,10", "--out", out]);
    let stderr = String::from_utf8_lossy(&ran.stderr);
    assert_eq!(ran.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("too large"), "{stderr}");
}

mod painter {
    use imgtui::mask::{Grid, Painter, Tool};
    use imgtui::preview::CellSize;

    /// The cell a pixel is shown in: the one its centre falls in, the picture being stretched
    /// over exactly the grid's cells.
    fn cell_of(pixel: u32, pixels: u32, cells: u16) -> u16 {
        ((2 * u64::from(pixel) + 1) * u64::from(cells) / (2 * u64::from(pixels))) as u16
    }

    /// For every pixel: painted exactly when `painted_cell` says its cell is.
    fn assert_cells(painter: &Painter, painted_cell: impl Fn(u16, u16) -> bool, what: &str) {
        let grid = painter.grid;
        let mask = painter.plan().to_image();
        assert_eq!(mask.dimensions(), grid.image, "{what}: the image's size");
        for (x, y, pixel) in mask.enumerate_pixels() {
            let cell = (cell_of(x, grid.image.0, grid.cols), cell_of(y, grid.image.1, grid.rows));
            let expected = painted_cell(cell.0, cell.1);
            assert_eq!(pixel[3] == 0, expected, "{what}: pixel ({x}, {y}) in cell {cell:?} of {grid:?}");
        }
    }

    const SIZES: [((u32, u32), (u16, u16)); 5] = [
        ((1536, 1024), (80, 23)),
        ((1024, 1536), (120, 39)),
        ((1001, 777), (61, 17)),
        ((7, 5), (40, 20)),
        ((257, 1031), (33, 9)),
    ];

    #[test]
    fn a_rectangle_covers_exactly_the_pixels_under_its_cells_at_several_sizes() {
        for (image, area) in SIZES {
            let grid = Grid::fit(image, area, CellSize::default());
            let mut painter = Painter::new(grid);
            painter.point_at((0, 0), false);
            painter.move_by(grid.cols as i32 / 4, grid.rows as i32 / 4);
            let from = painter.cursor;
            painter.start_shape(Tool::Rect);
            painter.move_by(grid.cols as i32 / 3, grid.rows as i32 / 2);
            let to = painter.cursor;
            assert!(painter.confirm(), "Enter fixes the rectangle");
            let inside = |x: u16, y: u16| (from.0..=to.0).contains(&x) && (from.1..=to.1).contains(&y);
            assert_cells(&painter, inside, &format!("rect {from:?}-{to:?} on {image:?} in {area:?}"));
        }
    }

    #[test]
    fn brush_strokes_paint_the_cells_passed_and_erase_takes_them_back() {
        let grid = Grid::fit((1001, 777), (61, 17), CellSize::default());
        let mut painter = Painter::new(grid);
        painter.point_at((2, 3), false);
        painter.resize_brush(2); // 3x3 cells, centred on the cursor
        painter.toggle_pen();
        painter.move_by(5, 0);
        painter.toggle_pen();
        let stroke = |x: u16, y: u16| (1..=8).contains(&x) && (2..=4).contains(&y);
        assert_cells(&painter, stroke, "a 3-cell brush moved 5 cells right");
        painter.resize_brush(-2);
        painter.toggle_erase();
        painter.point_at((4, 3), true);
        painter.end_stroke();
        assert_cells(&painter, |x, y| stroke(x, y) && (x, y) != (4, 3), "one cell erased");
        painter.undo();
        assert_cells(&painter, stroke, "undo: the erase is gone");
        painter.redo();
        assert_cells(&painter, |x, y| stroke(x, y) && (x, y) != (4, 3), "redo: back");
        painter.undo();
        painter.undo();
        assert!(!painter.changed(), "both steps undone");
        painter.redo();
        assert_cells(&painter, stroke, "one redo: the stroke again");
    }

    #[test]
    fn an_ellipse_stays_inside_its_cells_and_invert_and_clear_are_steps() {
        let grid = Grid::fit((1536, 1024), (80, 23), CellSize::default());
        let mut painter = Painter::new(grid);
        painter.point_at((10, 4), false);
        painter.start_shape(Tool::Ellipse);
        painter.point_at((20, 9), false);
        assert!(painter.shown_plan().coverage() > 0.0, "the ellipse shows while it is drawn");
        assert!(!painter.changed(), "not painted until Enter");
        assert!(painter.confirm());
        let mask = painter.plan().to_image();
        let cell = |x: u32, y: u32| (cell_of(x, grid.image.0, grid.cols), cell_of(y, grid.image.1, grid.rows));
        for (x, y, pixel) in mask.enumerate_pixels() {
            let (cx, cy) = cell(x, y);
            if pixel[3] == 0 {
                assert!((10..=20).contains(&cx) && (4..=9).contains(&cy), "pixel ({x}, {y}) outside the cells");
            }
        }
        let centre = painter.grid.pixels_of((15, 6), (15, 6));
        assert_eq!(mask.get_pixel(centre.x0, centre.y0)[3], 0, "the middle is painted");
        let painted = painter.plan().coverage();
        painter.invert();
        assert!((painter.plan().coverage() - (1.0 - painted)).abs() < 1e-9);
        painter.clear();
        assert_eq!(painter.plan().coverage(), 0.0);
        painter.undo();
        painter.undo();
        assert!((painter.plan().coverage() - painted).abs() < 1e-9, "clear and invert undone");
        assert!(!painter.confirm(), "Enter with no shape under way: the caller saves");
    }
}

#[test]
fn the_command_and_the_painter_write_the_same_file_for_the_same_shapes() {
    use imgtui::mask::{Grid, Painter, Tool};
    let dir = tempfile::tempdir().unwrap();
    let image = picture(dir.path(), "photo.png", (1536, 1024));
    let grid = Grid::fit((1536, 1024), (80, 23), imgtui::preview::CellSize::default());
    let mut painter = Painter::new(grid);
    painter.point_at((10, 4), false);
    painter.start_shape(Tool::Rect);
    painter.point_at((20, 9), false);
    painter.confirm();
    painter.point_at((40, 12), false);
    painter.start_shape(Tool::Ellipse);
    painter.point_at((55, 20), false);
    painter.confirm();
    let rect = grid.pixels_of((10, 4), (20, 9));
    let ellipse = grid.pixels_of((40, 12), (55, 20));
    let area = |r: PixelRect| format!("{},{},{},{}", r.x0, r.y0, r.width(), r.height());
    let out = dir.path().join("cli.png");
    let ran =
        imgtui(&["mask", &image, "--rect", &area(rect), "--ellipse", &area(ellipse), "--out", out.to_str().unwrap()]);
    assert!(ran.status.success(), "{}", String::from_utf8_lossy(&ran.stderr));
    assert!(std::fs::read(&out).unwrap() == painter.plan().to_png().unwrap(), "byte-identical");
}

/// The demo's spill behaviour edits past the mask and shifts the colours outside it, as the
/// GPT image models do; with --keep-unmasked every pixel outside the mask (past the feather) is
/// the input's again, and the API's own image is kept beside it, each saying which it is.
#[tokio::test]
async fn keep_unmasked_puts_the_original_back_where_the_demo_spilled() {
    use imgtui::demo::faults::{Fault, FaultRule};
    let server = common::demo().await;
    server.faults().push(FaultRule::once(Fault::Spill { px: 6 }).on("edits"));
    let data = tempfile::tempdir().unwrap();
    let input = common::write_gradient_png(data.path(), "input.png", (256, 256));
    let mut plan = MaskPlan::new(256, 256);
    plan.ops.push(Op::Paint(Shape::Rect(PixelRect { x0: 64, y0: 64, x1: 192, y1: 160 })));
    let mask_path = data.path().join("mask.png");
    std::fs::write(&mask_path, plan.to_png().unwrap()).unwrap();
    let out = common::imgtui_at(data.path(), "sk-test", server.base_url())
        .args(["edit", "a hat", "-m", "gpt-image-2", "--keep-unmasked", "--image"])
        .arg(&input)
        .arg("--mask")
        .arg(&mask_path)
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(server.faults().pending(), 0, "the edit met the spill");
    let job = common::job_json(data.path(), 1).await;
    let result_path = job["images"][0]["path"].as_str().unwrap().to_string();
    let raw_path = job["raw_images"][0]["path"].as_str().expect("the raw image is in the history").to_string();
    assert!(raw_path.ends_with("-raw.png"), "{raw_path}");
    let (original, kept, raw) = (
        image::open(&input).unwrap().to_rgba8(),
        image::open(&result_path).unwrap().to_rgba8(),
        image::open(&raw_path).unwrap().to_rgba8(),
    );
    let feather = imgtui::mask::keep::feather_for(256, 256);
    let near_hole = |x: u32, y: u32| {
        (64u32.saturating_sub(feather)..192 + feather).contains(&x)
            && (64u32.saturating_sub(feather)..160 + feather).contains(&y)
    };
    let mut raw_differs_outside = 0;
    for (x, y, pixel) in kept.enumerate_pixels() {
        if !near_hole(x, y) {
            assert_eq!(pixel, original.get_pixel(x, y), "({x}, {y}) outside the mask is the input's");
            raw_differs_outside += usize::from(raw.get_pixel(x, y) != original.get_pixel(x, y));
        }
    }
    assert!(raw_differs_outside > 1000, "the API's own image changed outside the mask ({raw_differs_outside} px)");
    assert!(kept.get_pixel(128, 110) != original.get_pixel(128, 110), "the hole was edited");
    let text = |path: &str| String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    assert!(text(&result_path).contains("kept outside the mask"), "the PNG says which it is");
    assert!(text(&raw_path).contains("as the API returned it"));
}

//! Masks: `imgtui mask` writes the shape model's file (the painter's), refuses bad shapes naming
//! the flag and the rule, and the demo's spill behaviour edits beyond the mask as the models do.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use image::{Rgba, RgbaImage};
use imgtui::mask::{MaskPlan, Op, PixelRect, Shape};

fn imgtui(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_imgtui")).args(args).output().unwrap()
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
}

//! Image files on disk: names from the time and a prompt slug, written atomically so a crash
//! never leaves half an image under a real name.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// `20261124-083816-a-red-fox-1.png`: UTC time, the prompt's first words, the image number.
pub fn image_file_name(time: SystemTime, prompt: &str, number: usize, extension: &str) -> String {
    format!("{}-{}-{number}.{extension}", utc_stamp(time), slug(prompt))
}

/// Lower-case ASCII words joined by dashes, at most 40 characters; `image` when none are left.
pub fn slug(prompt: &str) -> String {
    let mut slug = String::new();
    for word in prompt.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let word = word.to_ascii_lowercase();
        if slug.len() + word.len() + 1 > 40 {
            if slug.is_empty() {
                slug.push_str(&word[..40]);
            }
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word);
    }
    if slug.is_empty() { "image".into() } else { slug }
}

/// The most a config, keymap or theme file may hold: they are a few KB; a bigger one is not ours.
pub const SETTINGS_FILE_MAX: u64 = 4 * 1024 * 1024;

/// Opens `path` for reading only if it is a regular file, checked on the file opened (not on
/// the name before opening, which another process can replace by a FIFO in between): the open
/// itself never blocks (`O_NONBLOCK`), and a FIFO, device or directory is refused.
pub fn open_regular(path: &Path) -> io::Result<(File, fs::Metadata)> {
    use std::os::unix::fs::OpenOptionsExt;
    let flags = rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY;
    let file = fs::OpenOptions::new().read(true).custom_flags(flags.bits() as i32).open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        let what = if meta.is_dir() { "a directory" } else { "not a regular file (a pipe, socket or device)" };
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("it is {what}")));
    }
    Ok((file, meta))
}

/// Opens `path` to append to, creating it, only if it is (or becomes) a regular file: a FIFO
/// put where a log goes would block the open, and then every write.
pub fn append_regular(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let flags = rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY | rustix::fs::OFlags::NOFOLLOW;
    let file = fs::OpenOptions::new().create(true).append(true).custom_flags(flags.bits() as i32).open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "it is not a regular file (a pipe, socket or device)"));
    }
    // Writes to a regular file never wait; the flag is taken off so none is ever short.
    rustix::fs::fcntl_setfl(&file, rustix::fs::OFlags::APPEND).map_err(io::Error::from)?;
    Ok(file)
}

/// The bytes of the regular file at `path` (see `open_regular`), refusing more than `max`.
pub fn read_regular(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > max {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("it is over {} MB", max >> 20)));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    io::Read::read_to_end(&mut io::Read::take(file, max + 1), &mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("it is over {} MB", max >> 20)));
    }
    Ok(bytes)
}

/// The most an image file read from disk may hold (an API result is at most 44 MB of PNG).
pub const IMAGE_FILE_MAX: u64 = 64 << 20;
/// The most pixels an image read from disk may have when it is decoded whole.
pub const IMAGE_PIXELS_MAX: u64 = 64_000_000;

/// Decodes the image file at `path`: a regular file (see `open_regular`) of at most
/// `IMAGE_FILE_MAX` bytes and `IMAGE_PIXELS_MAX` pixels, so neither a FIFO nor a bomb stops
/// the caller.
pub fn load_image(path: &Path) -> Result<image::DynamicImage, String> {
    let bytes = read_regular(path, IMAGE_FILE_MAX).map_err(|e| e.to_string())?;
    decode_image(&bytes)
}

/// As `load_image`, for bytes in memory.
pub fn decode_image(bytes: &[u8]) -> Result<image::DynamicImage, String> {
    if crate::vector::looks_like_svg(bytes) {
        let svg = crate::vector::Svg::parse(bytes)?;
        return svg.raster(crate::vector::RASTER_SIDE).map(image::DynamicImage::ImageRgba8);
    }
    let reader = || image::ImageReader::new(io::Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string());
    if let Ok((w, h)) = reader()?.into_dimensions()
        && u64::from(w) * u64::from(h) > IMAGE_PIXELS_MAX
    {
        return Err(format!("{w}x{h} is more than the {} megapixels imgtui decodes", IMAGE_PIXELS_MAX / 1_000_000));
    }
    let mut reader = reader()?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(512 << 20);
    reader.limits(limits);
    reader.decode().map_err(|e| match e {
        image::ImageError::Unsupported(_) => "not a PNG, JPEG, WebP, GIF or SVG image".to_string(),
        e => e.to_string(),
    })
}

/// The most pixels of all the frames of a GIF decoded at once (each frame is the whole canvas).
pub const GIF_PIXELS_MAX: u64 = 64_000_000;

/// The frames of the animated GIF at `path`, each the whole canvas, through `visit` (which
/// returns false to stop), bounded like `load_image`: a canvas over `IMAGE_PIXELS_MAX`, or more
/// frames than `GIF_PIXELS_MAX` pixels allow, is refused, and no allocation passes 512 MB.
pub fn visit_gif_frames(path: &Path, mut visit: impl FnMut(image::Frame) -> bool) -> Result<usize, String> {
    use image::{AnimationDecoder, ImageDecoder};
    let bytes = read_regular(path, IMAGE_FILE_MAX).map_err(|e| e.to_string())?;
    let mut decoder = image::codecs::gif::GifDecoder::new(io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    let pixels = u64::from(w) * u64::from(h);
    if pixels > IMAGE_PIXELS_MAX {
        return Err(format!("{w}x{h} is more than the {} megapixels imgtui decodes", IMAGE_PIXELS_MAX / 1_000_000));
    }
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(512 << 20);
    decoder.set_limits(limits).map_err(|e| e.to_string())?;
    let most = (GIF_PIXELS_MAX / pixels.max(1)).max(1) as usize;
    let mut seen = 0;
    for frame in decoder.into_frames().take(most) {
        seen += 1;
        if !visit(frame.map_err(|e| e.to_string())?) {
            break;
        }
    }
    Ok(seen)
}

/// Reads a small text file we expect to be written by hand, refusing what could block or never
/// end: a FIFO, a device, a directory, or more than `max` bytes.
pub fn read_text_bounded(path: &Path, max: u64) -> io::Result<String> {
    let bytes = read_regular(path, max)?;
    String::from_utf8(bytes).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"))
}

/// `YYYYMMDD-HHMMSS` in UTC.
pub fn utc_stamp(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let rem = secs % 86_400;
    let day = crate::clock::Date::from_unix(i64::try_from(secs).unwrap_or(i64::MAX));
    let (y, m, d) = (day.year, day.month, day.day);
    format!("{y:04}{m:02}{d:02}-{:02}{:02}{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Writes `bytes` to `dir/name` without ever exposing a partial file: a temp file in the same
/// directory, fsynced, then linked into place. An existing file is never replaced: the name
/// gets `-2`, `-3`, ... instead. Returns the final path.
pub fn write_new_file_atomically(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    write_new_file_via(&temp_path(dir, name), dir, name, bytes)
}

/// Writes `bytes` to `path`, replacing what is there, without ever exposing a partial file (a
/// temp file beside it, fsynced, then renamed over it).
pub fn replace_file_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = temp_path(dir, &name);
    let written = File::create_new(&temp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| fs::rename(&temp, path));
    if renamed.is_err() {
        let _ = fs::remove_file(&temp);
    }
    renamed
}

/// Where `write_new_file_atomically` puts `name`'s bytes before linking them into place: a
/// hidden name with this process's id (so a sweep knows whose it is).
pub fn temp_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!(".{name}.{}-{:08x}.tmp", std::process::id(), rand::random::<u32>()))
}

/// `write_new_file_atomically` through a temp path chosen (and recorded) by the caller.
pub fn write_new_file_via(temp: &Path, dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    fs::create_dir_all(dir)?;
    let result = write_and_link(temp, dir, name, bytes);
    // The temp name is gone after a successful link; after a failure it must not linger.
    let _ = fs::remove_file(temp);
    result
}

fn write_and_link(temp: &Path, dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    let mut file = File::create_new(temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    link_into_place(temp, dir, name)
}

/// Gives the whole file at `temp` its name in `dir` (with `-2`, `-3`, ... when taken), never
/// replacing a file. The temp name stays; the caller removes it.
pub fn link_into_place(temp: &Path, dir: &Path, name: &str) -> io::Result<PathBuf> {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) => (stem.to_string(), format!(".{ext}")),
        None => (name.to_string(), String::new()),
    };
    for attempt in 1..10_000 {
        let candidate = if attempt == 1 { dir.join(name) } else { dir.join(format!("{stem}-{attempt}{ext}")) };
        // hard_link fails if the target exists, so two writers can never clobber each other.
        match fs::hard_link(temp, &candidate) {
            Ok(()) => {
                sync_dir(dir);
                return Ok(candidate);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) if e.kind() == io::ErrorKind::Unsupported || e.raw_os_error() == Some(1) => {
                // File systems without hard links: rename, after checking the name is free.
                if candidate.exists() {
                    continue;
                }
                fs::rename(temp, &candidate)?;
                sync_dir(dir);
                return Ok(candidate);
            }
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("no free file name for {name} in {}", dir.display())))
}

/// Makes the new directory entry durable; best effort (not every platform can open a dir).
fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// `2026-11-24 09:15:02` (UTC) from unix milliseconds.
pub fn utc_time(ms: i64) -> String {
    let stamp = utc_stamp(std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms.max(0) as u64));
    format!(
        "{}-{}-{} {}:{}:{}",
        &stamp[0..4],
        &stamp[4..6],
        &stamp[6..8],
        &stamp[9..11],
        &stamp[11..13],
        &stamp[13..15]
    )
}

/// The name of an image's raw twin: `NAME-raw.EXT`.
pub fn raw_name(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}-raw.{ext}"),
        None => format!("{name}-raw"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A GIF whose canvas claims 60000x60000 (a bomb: each frame is the whole canvas) is
    /// refused before anything is allocated; a small one gives its frames.
    #[test]
    fn a_gif_bomb_is_refused_and_a_small_gif_gives_its_frames() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let one_pixel = |w: u16, h: u16| {
            let mut gif = b"GIF89a".to_vec();
            gif.extend(w.to_le_bytes());
            gif.extend(h.to_le_bytes());
            // A global colour table of two entries, black and white.
            gif.extend([0x80, 0, 0, 0, 0, 0, 255, 255, 255]);
            gif.extend(b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;");
            gif
        };
        let bomb = dir.path().join("bomb.gif");
        std::fs::write(&bomb, one_pixel(60000, 60000))?;
        let refused = visit_gif_frames(&bomb, |_| true);
        assert!(refused.as_ref().is_err_and(|e| e.contains("megapixels")), "{refused:?}");
        let small = dir.path().join("small.gif");
        std::fs::write(&small, one_pixel(1, 1))?;
        assert_eq!(visit_gif_frames(&small, |_| true)?, 1);
        Ok(())
    }
    use std::time::Duration;

    #[test]
    fn names_and_stamps() {
        let t = UNIX_EPOCH + Duration::from_secs(1_795_509_496); // 2026-11-24 08:38:16 UTC
        assert_eq!(utc_stamp(t), "20261124-083816");
        assert_eq!(image_file_name(t, "A red fox, in snow!", 2, "png"), "20261124-083816-a-red-fox-in-snow-2.png");
        assert_eq!(slug("日本"), "image");
        assert_eq!(slug(&"x".repeat(100)).len(), 40);
    }

    #[test]
    fn never_clobbers_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let a = write_new_file_atomically(dir.path(), "a.png", b"one").unwrap();
        let b = write_new_file_atomically(dir.path(), "a.png", b"two").unwrap();
        assert_eq!(b.file_name().unwrap(), "a-2.png");
        assert_eq!(fs::read(&a).unwrap(), b"one");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }
}

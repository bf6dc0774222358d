//! Pictures for the reader: an article's first image fetched with the limits of feeds
//! (`http`/`https` only, the timeouts, redirects and size cap of `FetchOptions`, and never more
//! than [`MAX_IMAGE_BYTES`]), cached in the cache folder (`images/`), and decoded with the
//! `image` crate (PNG, JPEG, GIF, WebP) within limits a hostile file cannot get past: its
//! declared size is checked before any pixel is decoded ([`MAX_PIXELS`], [`MAX_SIDE`]), the
//! decoder may allocate at most [`MAX_ALLOC`], and a panic in a decoder is a refusal. What is
//! kept is scaled down to fit [`SHOWN_SIDE`]. docs/security.md has the reasons.

use super::atomic::write_atomic;
use super::fetch::{FetchOptions, Fetcher, media_type};
use crate::core::model::fnv1a64;
use crate::core::sanitize::sanitize_line;
use crate::core::state::Picture;
use image::{ImageFormat, ImageReader, Limits};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// The largest picture file fetched, whatever `--max-size` allows.
pub const MAX_IMAGE_BYTES: u64 = 16 * 1024 * 1024;
/// The most pixels a picture may declare (a 4,096 × 4,096 square; 64 MiB as RGBA).
pub const MAX_PIXELS: u64 = 4096 * 4096;
/// The longest side a picture may declare.
pub const MAX_SIDE: u32 = 16_384;
/// The most a decoder may allocate.
pub const MAX_ALLOC: u64 = 128 * 1024 * 1024;
/// Pictures are kept scaled down to fit a square of this side.
pub const SHOWN_SIDE: u32 = 1024;
/// Cached pictures not fetched again for this long are removed.
const MAX_AGE: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);

/// The content types fetched (and none at all, or the generic one, then sniffed).
const TYPES: [&str; 7] = [
    "image/png",
    "image/jpeg",
    "image/jpg",
    "image/pjpeg",
    "image/gif",
    "image/webp",
    "application/octet-stream",
];

/// The picture at `url`: from the cache folder, else fetched (and cached), then decoded. `Err`
/// says why not, naming the URL. Blocking: call it from a worker thread.
pub fn fetch_image(url: &str, fetcher: &Fetcher) -> Result<Picture, String> {
    let started = std::time::Instant::now();
    let shown = sanitize_line(url);
    let opts = fetcher.options();
    let result = match cached(url, opts) {
        Some(bytes) => decode(&bytes),
        None => fetch(url, fetcher).and_then(|bytes| {
            let picture = decode(&bytes)?;
            store(url, &bytes, opts);
            Ok(picture)
        }),
    }
    .map_err(|e| format!("{shown}: {e}"));
    let ms = started.elapsed().as_millis() as u64;
    match &result {
        Ok(p) => tracing::info!(url = %shown, width = p.width, height = p.height, ms, "picture"),
        Err(e) => tracing::warn!(error = %e, ms, "picture failed"),
    }
    result
}

/// The picture's bytes from the network, within the caps. The one call of the fetcher.
fn fetch(url: &str, fetcher: &Fetcher) -> Result<Vec<u8>, String> {
    let wanted = |ct: Option<&str>| ct.is_none_or(|c| TYPES.contains(&media_type(c).as_str()));
    let page = fetcher
        .fetch_page_capped(url, MAX_IMAGE_BYTES, &wanted)
        .map_err(|e| e.kind.to_string())?;
    match page.body {
        Some(body) => Ok(body),
        None => Err(format!(
            "not a picture tidings shows ({})",
            page.content_type
                .map_or_else(String::new, |c| media_type(&c))
        )),
    }
}

/// Decodes a picture within the limits and scales it down to [`SHOWN_SIDE`].
pub fn decode(bytes: &[u8]) -> Result<Picture, String> {
    std::panic::catch_unwind(|| decode_unguarded(bytes))
        .unwrap_or_else(|_| Err("the picture is damaged (the decoder gave up)".to_string()))
}

fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, String> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    match reader.format() {
        Some(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::WebP) => {}
        Some(f) => return Err(format!("{f:?} pictures are not shown")),
        None => return Err("not a picture (PNG, JPEG, GIF or WebP)".to_string()),
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    Ok(reader)
}

fn decode_unguarded(bytes: &[u8]) -> Result<Picture, String> {
    let (w, h) = reader(bytes)?
        .into_dimensions()
        .map_err(|e| format!("not a readable picture: {e}"))?;
    if w == 0 || h == 0 || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(format!(
            "the picture is {w} × {h} pixels, over the limit of {MAX_PIXELS}"
        ));
    }
    let image = reader(bytes)?
        .decode()
        .map_err(|e| format!("not a readable picture: {e}"))?;
    let image = if image.width() > SHOWN_SIDE || image.height() > SHOWN_SIDE {
        image.thumbnail(SHOWN_SIDE, SHOWN_SIDE)
    } else {
        image
    };
    let rgba = image.to_rgba8();
    Ok(Picture {
        width: rgba.width(),
        height: rgba.height(),
        rgba: rgba.into_raw().into(),
    })
}

/// Where `url`'s picture is cached: `images/` in the cache folder, named by a hash of the URL.
fn cache_path(url: &str, opts: &FetchOptions) -> Option<PathBuf> {
    let dir = opts.cache_dir.as_ref()?;
    Some(
        dir.join("images")
            .join(format!("{:016x}.img", fnv1a64(url.as_bytes()))),
    )
}

/// The cached bytes of `url`'s picture. The file holds the URL, a newline, then the bytes, so
/// two URLs with one hash never serve each other's picture.
fn cached(url: &str, opts: &FetchOptions) -> Option<Vec<u8>> {
    let mut file = std::fs::read(cache_path(url, opts)?).ok()?;
    let nl = memchr::memchr(b'\n', &file)?;
    if &file[..nl] != url.as_bytes() {
        return None;
    }
    file.drain(..=nl);
    Some(file)
}

/// Caches a picture's bytes (a cache that cannot be written only costs a fetch next time).
fn store(url: &str, bytes: &[u8], opts: &FetchOptions) {
    let Some(path) = cache_path(url, opts) else {
        return;
    };
    let Some(dir) = path.parent() else {
        return;
    };
    if url.contains('\n') || std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let mut file = Vec::with_capacity(url.len() + 1 + bytes.len());
    file.extend_from_slice(url.as_bytes());
    file.push(b'\n');
    file.extend_from_slice(bytes);
    let _ = write_atomic(&path, &file);
    static PRUNED: std::sync::Once = std::sync::Once::new();
    PRUNED.call_once(|| prune(dir));
}

/// Removes pictures cached more than [`MAX_AGE`] ago (and temporary files left by a crash).
fn prune(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let ours = name.ends_with(".img") || (name.starts_with('.') && name.ends_with(".tmp"));
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > MAX_AGE);
        if ours && old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(w, h, |x, y| image::Rgba([x as u8, y as u8, 7, 255]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn pictures_decode_and_large_ones_are_scaled_down() {
        let p = decode(&png(3, 2)).unwrap();
        assert_eq!((p.width, p.height), (3, 2));
        assert_eq!(&p.rgba[4..8], &[1, 0, 7, 255]);
        let p = decode(&png(2048, 512)).unwrap();
        assert_eq!((p.width, p.height), (SHOWN_SIDE, 256));
    }

    /// A small PNG whose header claims `w` × `h` pixels (its checksum made right).
    pub(crate) fn png_claiming(w: u32, h: u32) -> Vec<u8> {
        let mut b = png(1, 1);
        b[16..20].copy_from_slice(&w.to_be_bytes());
        b[20..24].copy_from_slice(&h.to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(&b[12..29]);
        b[29..33].copy_from_slice(&crc.sum().to_be_bytes());
        b
    }

    #[test]
    fn hostile_and_wrong_files_are_refused_without_panic() {
        // A PNG header claiming 100,000 × 100,000 pixels: refused before any pixel is decoded.
        let e = decode(&png_claiming(100_000, 100_000)).unwrap_err();
        assert!(e.contains("limit"), "{e}");
        // Within the side limit but too many pixels.
        let e = decode(&png_claiming(16_000, 16_000)).unwrap_err();
        assert!(e.contains("16000 × 16000 pixels, over the limit"), "{e}");
        // Truncated, garbage, HTML, SVG, empty.
        let whole = png(40, 40);
        assert!(decode(&whole[..whole.len() / 2]).is_err());
        assert!(decode(b"\x89PNG\r\n\x1a\ngarbage").is_err());
        assert!(decode(b"<html><body>no</body></html>").is_err());
        assert!(decode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").is_err());
        assert!(decode(b"").is_err());
    }

    #[test]
    fn the_cache_keeps_bytes_per_url() {
        let dir = tempfile::tempdir().unwrap();
        let opts = FetchOptions {
            cache_dir: Some(dir.path().to_path_buf()),
            ..FetchOptions::default()
        };
        let url = "https://example.com/a.png";
        assert_eq!(cached(url, &opts), None);
        store(url, b"bytes\nwith a newline", &opts);
        assert_eq!(
            cached(url, &opts).as_deref(),
            Some(&b"bytes\nwith a newline"[..])
        );
        // Another URL at the same path (a hash collision) is not served.
        let path = cache_path(url, &opts).unwrap();
        std::fs::write(&path, b"https://other.org/b.png\nbytes").unwrap();
        assert_eq!(cached(url, &opts), None);
        // Not http(s): refused before any IO, named.
        let e = fetch_image("file:///etc/passwd", &Fetcher::new(opts.clone())).unwrap_err();
        assert!(e.starts_with("file:///etc/passwd: "), "{e}");
    }
}

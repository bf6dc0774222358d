//! Pictures for the reader against a small HTTP server on 127.0.0.1 started by each test (never
//! the internet): fetched and decoded, cached, refused when too large, not a picture, or a
//! hostile picture, and never a panic.

mod common;

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tidings::sources::fetch::FetchOptions;

/// A picture fetched through a fetcher made for the given options.
fn fetch_image(url: &str, opts: &FetchOptions) -> Result<tidings::core::state::Picture, String> {
    let fetcher = tidings::sources::fetch::Fetcher::new(opts.clone());
    tidings::sources::images::fetch_image(url, &fetcher)
}

/// A server on 127.0.0.1 (`tests/common/server.rs`) answering `(content type, body)` by path,
/// 404 elsewhere; `hits` counts the requests.
struct Server {
    inner: common::server::Server,
    hits: Arc<AtomicUsize>,
}

impl Server {
    fn start(routes: Vec<(&str, &'static str, Vec<u8>)>) -> Server {
        let routes: HashMap<String, (&'static str, Vec<u8>)> = routes
            .into_iter()
            .map(|(p, ct, b)| (p.to_string(), (ct, b)))
            .collect();
        let hits = Arc::new(AtomicUsize::new(0));
        let h = hits.clone();
        let inner = common::server::serve(move |path| {
            h.fetch_add(1, Ordering::Relaxed);
            let typed = |ct: &str| match ct {
                "" => Vec::new(),
                ct => vec![("Content-Type", ct.to_string())],
            };
            match routes.get(path) {
                Some((ct, body)) => ("200 OK", typed(ct), body.clone()),
                None => ("404 Not Found", typed("text/plain"), b"not here".to_vec()),
            }
        });
        Server { inner, hits }
    }

    fn url(&self, path: &str) -> String {
        self.inner.url(path)
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }
}

fn opts(cache: Option<&std::path::Path>) -> FetchOptions {
    FetchOptions {
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        cache_dir: cache.map(|p| p.to_path_buf()),
        ..FetchOptions::default()
    }
}

fn encode(w: u32, h: u32, format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7) as u8, (y * 3) as u8, 90]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A small PNG whose header claims `w` × `h` pixels (checksum made right), as a hostile server
/// would send to exhaust memory.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut b = encode(1, 1, image::ImageFormat::Png);
    b[16..20].copy_from_slice(&w.to_be_bytes());
    b[20..24].copy_from_slice(&h.to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(&b[12..29]);
    b[29..33].copy_from_slice(&crc.sum().to_be_bytes());
    b
}

#[test]
fn pictures_are_fetched_decoded_and_cached() {
    let server = Server::start(vec![
        (
            "/a.png",
            "image/png",
            encode(40, 30, image::ImageFormat::Png),
        ),
        (
            "/b.jpg",
            "image/jpeg; charset=binary",
            encode(64, 16, image::ImageFormat::Jpeg),
        ),
        ("/c", "", encode(5, 5, image::ImageFormat::Gif)),
    ]);
    let cache = tempfile::tempdir().unwrap();
    let o = opts(Some(cache.path()));
    let a = fetch_image(&server.url("/a.png"), &o).unwrap();
    assert_eq!((a.width, a.height), (40, 30));
    assert_eq!(a.rgba.len(), 40 * 30 * 4);
    assert_eq!(&a.rgba[..4], &[0, 0, 90, 255]);
    let b = fetch_image(&server.url("/b.jpg"), &o).unwrap();
    assert_eq!((b.width, b.height), (64, 16));
    // No content type: the bytes say what it is.
    let c = fetch_image(&server.url("/c"), &o).unwrap();
    assert_eq!((c.width, c.height), (5, 5));
    assert_eq!(server.hits(), 3);
    // The second time it comes from the cache folder: no request.
    let again = fetch_image(&server.url("/a.png"), &o).unwrap();
    assert_eq!(again, a);
    assert_eq!(server.hits(), 3);
    assert_eq!(
        std::fs::read_dir(cache.path().join("images"))
            .unwrap()
            .count(),
        3
    );
}

#[test]
fn too_large_not_pictures_and_hostile_pictures_are_refused() {
    let big = encode(600, 600, image::ImageFormat::Png);
    assert!(big.len() > 4_000, "{}", big.len());
    let server = Server::start(vec![
        ("/big.png", "image/png", big),
        (
            "/page",
            "text/html",
            b"<html><body>a page</body></html>".to_vec(),
        ),
        ("/vector.svg", "image/svg+xml", b"<svg/>".to_vec()),
        (
            "/lying.png",
            "image/png",
            b"<html>not a png</html>".to_vec(),
        ),
        ("/bomb.png", "image/png", png_claiming(60_000, 60_000)),
        ("/wide.png", "image/png", png_claiming(16_000, 16_000)),
    ]);
    let cache = tempfile::tempdir().unwrap();
    let mut o = opts(Some(cache.path()));
    o.max_size = 4_000;
    let err = |path: &str| fetch_image(&server.url(path), &o).unwrap_err();
    let e = err("/big.png");
    assert!(e.ends_with("response over the 3.9 KiB limit"), "{e}");
    let e = err("/page");
    assert!(
        e.ends_with("not a picture tidings shows (text/html)"),
        "{e}"
    );
    let e = err("/vector.svg");
    assert!(e.ends_with("(image/svg+xml)"), "{e}");
    let e = err("/lying.png");
    assert!(e.contains("not a picture (PNG, JPEG, GIF or WebP)"), "{e}");
    let e = err("/bomb.png");
    assert!(e.contains("limit"), "{e}");
    let e = err("/wide.png");
    assert!(e.contains("16000 × 16000 pixels, over the limit"), "{e}");
    let e = err("/missing.png");
    assert!(e.contains("HTTP 404"), "{e}");
    // Each message names the URL; nothing refused was cached.
    assert!(e.starts_with(&server.url("/missing.png")), "{e}");
    assert!(!cache.path().join("images").exists());
    // Not http(s): refused before any request.
    let hits = server.hits();
    for url in [
        "file:///etc/passwd",
        "ftp://127.0.0.1/a.png",
        "data:image/png;base64,AAAA",
    ] {
        assert!(fetch_image(url, &o).is_err(), "{url}");
    }
    assert_eq!(server.hits(), hits);
}

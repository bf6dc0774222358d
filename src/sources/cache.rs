//! The HTTP cache: for each feed URL, the last good raw body and a small JSON meta (validators
//! for conditional requests, when it was fetched). Files are named by a stable hash of the URL and
//! written atomically (see [`super::atomic`]). A missing, partial or corrupt entry is simply not
//! there: the cache never makes a fetch fail.

use super::atomic::{remove_temps, write_atomic, write_atomic_with};
use crate::core::model::fnv1a64;
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What is kept beside a cached body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheMeta {
    /// The URL as asked for (the key).
    pub url: String,
    /// Where the body came from after redirects, to resolve relative links the same way later.
    #[serde(default)]
    pub final_url: Option<String>,
    #[serde(default)]
    pub etag: Option<String>,
    #[serde(default)]
    pub last_modified: Option<String>,
    /// RFC 3339.
    pub fetched_at: String,
    /// Length and FNV-1a hash of the body file, so a body and meta that do not belong together
    /// (a crash between the two renames, a truncated file) are noticed and ignored.
    pub body_len: u64,
    pub body_hash: String,
}

/// One cache entry read back: its meta and body, known to match.
#[derive(Debug, Clone)]
pub struct CacheEntry {
    pub meta: CacheMeta,
    pub body: Vec<u8>,
}

/// A cache folder.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// The stable file stem for a URL: 16 hex digits of its FNV-1a hash.
pub fn key(url: &str) -> String {
    format!("{:016x}", fnv1a64(url.as_bytes()))
}

fn body_hash(body: &[u8]) -> String {
    format!("{:016x}", fnv1a64(body))
}

impl Cache {
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file holding `url`'s cached body (it may not exist).
    pub fn body_path(&self, url: &str) -> PathBuf {
        self.dir.join(format!("{}.body", key(url)))
    }

    fn meta_path(&self, url: &str) -> PathBuf {
        self.dir.join(format!("{}.json", key(url)))
    }

    /// The entry for `url`, when there is a whole and consistent one.
    pub fn load(&self, url: &str) -> Option<CacheEntry> {
        let meta_bytes = fs::read(self.meta_path(url)).ok()?;
        let meta: CacheMeta = serde_json::from_slice(&meta_bytes).ok()?;
        // A hash collision between two URLs must not serve one feed for the other.
        if meta.url != url {
            return None;
        }
        let body = fs::read(self.body_path(url)).ok()?;
        if body.len() as u64 != meta.body_len || body_hash(&body) != meta.body_hash {
            return None;
        }
        Some(CacheEntry { meta, body })
    }

    /// Stores a good body with its validators. The body is written before the meta; each
    /// atomically.
    pub fn store(
        &self,
        url: &str,
        final_url: Option<&str>,
        body: &[u8],
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        // Temporary files of writers killed mid-write; a live write takes far less than this.
        remove_temps(
            &self.dir,
            |n| n.starts_with('.') && n.ends_with(".tmp"),
            Some(std::time::Duration::from_secs(600)),
        );
        // The meta's write syncs the folder, for both renames.
        write_atomic_with(&self.body_path(url), |out| out.write_all(body))?;
        let meta = CacheMeta {
            url: url.to_string(),
            final_url: final_url.map(str::to_string),
            etag: etag.map(str::to_string),
            last_modified: last_modified.map(str::to_string),
            fetched_at: chrono::Utc::now().to_rfc3339(),
            body_len: body.len() as u64,
            body_hash: body_hash(body),
        };
        self.write_meta(&meta)
    }

    /// Rewrites the meta only (after a 304: new fetch time, maybe new validators).
    /// Remembers that the server asked (`Retry-After`) not to be asked for `url` before
    /// `until`.
    pub fn defer(&self, url: &str, until: chrono::DateTime<chrono::Utc>) -> io::Result<()> {
        let text = format!("{}\n{url}\n", until.timestamp());
        write_atomic(
            &self.dir.join(format!("{}.retry", key(url))),
            text.as_bytes(),
        )
    }

    /// When the server asked to be asked again for `url`, if it did.
    pub fn deferred_until(&self, url: &str) -> Option<chrono::DateTime<chrono::Utc>> {
        let text = fs::read_to_string(self.dir.join(format!("{}.retry", key(url)))).ok()?;
        let mut lines = text.lines();
        let secs: i64 = lines.next()?.trim().parse().ok()?;
        // A hash collision between two URLs must not hold one back for the other.
        (lines.next()? == url).then_some(())?;
        chrono::DateTime::from_timestamp(secs, 0)
    }

    pub fn write_meta(&self, meta: &CacheMeta) -> io::Result<()> {
        let json = serde_json::to_vec_pretty(meta).map_err(io::Error::other)?;
        write_atomic(&self.meta_path(&meta.url), &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_corruption_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("nested/cache"));
        let url = "https://example.com/feed";
        assert!(cache.load(url).is_none());
        cache
            .store(
                url,
                Some("https://example.com/feed.xml"),
                b"<rss/>",
                Some("\"v1\""),
                None,
            )
            .unwrap();
        let e = cache.load(url).unwrap();
        assert_eq!(e.body, b"<rss/>");
        assert_eq!(e.meta.etag.as_deref(), Some("\"v1\""));
        assert_eq!(
            e.meta.final_url.as_deref(),
            Some("https://example.com/feed.xml")
        );
        assert!(chrono::DateTime::parse_from_rfc3339(&e.meta.fetched_at).is_ok());
        assert!(cache.load("https://example.com/other").is_none());

        // A body that no longer matches its meta is ignored.
        fs::write(cache.body_path(url), b"<rss>changed").unwrap();
        assert!(cache.load(url).is_none());
        // So is a meta that is not JSON.
        cache.store(url, None, b"<rss/>", None, None).unwrap();
        fs::write(cache.meta_path(url), b"{not json").unwrap();
        assert!(cache.load(url).is_none());
        // No temp files are left behind.
        let names: Vec<String> = fs::read_dir(cache.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
        assert_eq!(key(url).len(), 16);
    }
}

//! Fetching feeds over HTTP(S): bounded concurrency overall and per host, timeouts, a size cap
//! enforced while streaming, conditional requests against the cache, and errors a person can read.
//!
//! The API is blocking: a [`Fetcher`] holds the process's one runtime and one HTTP client, and
//! [`Fetcher::fetch_all`] reports each URL to the caller as soon as it completes.

mod api;
mod client;
mod request;
#[cfg(test)]
mod tests;

pub use api::{ApiRequest, ApiResponse};
pub use client::Fetcher;
#[cfg(test)]
use client::parse_url;

use super::cache::Cache;
use super::feed::{FeedContext, ParsedFeed, looks_like_feed, parse_feed};
use crate::core::html::{Step, Tag, Token, tokenize};
use crate::core::model::Article;
use crate::core::sanitize::sanitize_line;
use reqwest::StatusCode;
use std::error::Error as StdError;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// How fetching behaves.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The whole request: connecting, headers and body.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// The largest body accepted, after decompression.
    pub max_size: u64,
    /// Requests in flight at once, overall.
    pub concurrency: usize,
    /// Requests in flight at once to one host.
    pub per_host: usize,
    pub max_redirects: usize,
    /// Where bodies are cached for conditional requests and offline start-up; `None`: no cache.
    pub cache_dir: Option<PathBuf>,
    pub user_agent: String,
}

impl Default for FetchOptions {
    fn default() -> FetchOptions {
        FetchOptions {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_size: 32 * 1024 * 1024,
            concurrency: 8,
            per_host: 2,
            max_redirects: 5,
            cache_dir: None,
            user_agent: concat!("tidings/", env!("CARGO_PKG_VERSION")).to_string(),
        }
    }
}

/// What went wrong with one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchErrorKind {
    /// Not an absolute `http`/`https` URL with a host.
    InvalidUrl,
    /// The host name could not be resolved.
    Dns,
    /// The connection could not be made (refused, unreachable).
    Connect,
    /// The TLS handshake failed (certificate, protocol).
    Tls,
    /// Connecting or the whole request took longer than allowed: the limit that was hit.
    Timeout(Duration),
    /// A status other than 2xx or an expected 304.
    Status(u16),
    /// 429 or 503 with a `Retry-After`: how long the server asked to be left alone.
    Busy {
        status: u16,
        retry_after: Duration,
    },
    /// Not asked: the server asked (`Retry-After`) not to be asked before this time.
    Deferred {
        until: chrono::DateTime<chrono::Utc>,
    },
    /// The body (after decompression) is over the limit.
    TooLarge {
        limit: u64,
    },
    TooManyRedirects,
    /// An HTML page rather than a feed, with the feed it links to, if any (absolute).
    NotAFeed {
        feed_link: Option<String>,
    },
    /// Not a feed we can parse; the message says why (with a line and column for bad XML).
    Malformed(String),
    /// Anything else (the connection dropped mid-body, ...).
    Io(String),
}

/// One URL's failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    pub url: String,
    pub kind: FetchErrorKind,
}

impl FetchError {
    pub(super) fn new(url: &str, kind: FetchErrorKind) -> FetchError {
        FetchError {
            url: url.to_string(),
            kind,
        }
    }
}

/// "32 MiB", "64 KiB", "100 bytes".
/// `30 s`, `1.5 s`: a timeout as people write it.
fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// `45 s`, `2 min`, `3 h`: a wait as people say it.
fn wait_label(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..120 => format!("{s} s"),
        120..7200 => format!("{} min", s / 60),
        _ => format!("{} h", s / 3600),
    }
}

fn size_label(n: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else if n >= KIB && n.is_multiple_of(KIB) {
        format!("{} KiB", n / KIB)
    } else if n >= KIB {
        format!("{:.1} KiB", n as f64 / KIB as f64)
    } else {
        format!("{n} bytes")
    }
}

impl fmt::Display for FetchErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchErrorKind::InvalidUrl => f.write_str("not a valid http or https URL"),
            FetchErrorKind::Dns => f.write_str("could not resolve the host name"),
            FetchErrorKind::Connect => f.write_str("could not connect to the server"),
            FetchErrorKind::Tls => f.write_str("secure connection (TLS) failed"),
            FetchErrorKind::Timeout(limit) => write!(f, "timed out after {}", seconds(*limit)),
            FetchErrorKind::Status(code) => {
                let reason = StatusCode::from_u16(*code)
                    .ok()
                    .and_then(|s| s.canonical_reason());
                match reason {
                    Some(r) => write!(f, "HTTP {code} {r}"),
                    None => write!(f, "HTTP {code}"),
                }
            }
            FetchErrorKind::Busy {
                status,
                retry_after,
            } => {
                let reason = StatusCode::from_u16(*status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("");
                write!(
                    f,
                    "HTTP {status} {reason}; the server asks to wait {}",
                    wait_label(*retry_after)
                )
            }
            FetchErrorKind::Deferred { until } => write!(
                f,
                "not fetched: the server asked not to be asked again before {} UTC",
                until.format("%Y-%m-%d %H:%M")
            ),
            FetchErrorKind::TooLarge { limit } => {
                write!(f, "response over the {} limit", size_label(*limit))
            }
            FetchErrorKind::TooManyRedirects => f.write_str("too many redirects"),
            FetchErrorKind::NotAFeed { feed_link: Some(l) } => {
                write!(f, "not a feed (an HTML page); it links a feed at {l}")
            }
            FetchErrorKind::NotAFeed { feed_link: None } => {
                f.write_str("not a feed (an HTML page that links no feed)")
            }
            FetchErrorKind::Malformed(m) => f.write_str(m),
            FetchErrorKind::Io(m) => f.write_str(m),
        }
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
            sanitize_line(&self.url),
            sanitize_line(&self.kind.to_string())
        )
    }
}

impl StdError for FetchError {}

/// One URL fetched and parsed.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL as asked for.
    pub url: String,
    /// Where the feed was found after redirects.
    pub final_url: String,
    pub articles: Vec<Article>,
    /// What was wrong with a feed that could still be read (a damaged document), naming the URL.
    pub warnings: Vec<String>,
    /// True when the server answered 304 and the cached body was used.
    pub not_modified: bool,
    /// How long the feed and the server say it stays the same: the longest of the feed's
    /// `<ttl>` or `sy:updatePeriod`, `Cache-Control: max-age` and `Expires`.
    pub refresh_hint: Option<Duration>,
}

/// How long a response says it stays fresh: `Cache-Control: max-age` (not with `no-cache` or
/// `no-store`), else `Expires` from now (at most a week either way).
pub fn freshness(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    use reqwest::header::{CACHE_CONTROL, EXPIRES};
    const WEEK: u64 = 7 * 24 * 3600;
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(cc) = text(CACHE_CONTROL) {
        let mut max_age = None;
        for part in cc.split(',').map(|p| p.trim().to_ascii_lowercase()) {
            if part == "no-cache" || part == "no-store" {
                return None;
            }
            if let Some(v) = part.strip_prefix("max-age=") {
                max_age = v.trim_matches('"').parse::<u64>().ok();
            }
        }
        if let Some(secs) = max_age {
            return (secs > 0).then(|| Duration::from_secs(secs.min(WEEK)));
        }
    }
    let expires = chrono::DateTime::parse_from_rfc2822(text(EXPIRES)?.trim()).ok()?;
    let secs = (expires.to_utc() - chrono::Utc::now()).num_seconds();
    (secs > 0).then(|| Duration::from_secs((secs as u64).min(WEEK)))
}

/// `Retry-After` as seconds or an HTTP date, from now (at most a day).
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let v = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    let secs = match v.parse::<u64>() {
        Ok(s) => s,
        Err(_) => {
            let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
            u64::try_from((at.to_utc() - chrono::Utc::now()).num_seconds()).ok()?
        }
    };
    Some(Duration::from_secs(secs.min(24 * 3600)))
}

/// The articles of the last good body cached for `url`, parsed; `None` without a cache, an entry
/// or a body that still parses. Does no network IO.
pub fn cached(url: &str, opts: &FetchOptions) -> Option<Vec<Article>> {
    let cache = Cache::new(opts.cache_dir.as_ref()?);
    let entry = cache.load(url)?;
    let final_url = entry
        .meta
        .final_url
        .clone()
        .unwrap_or_else(|| url.to_string());
    parse_body(url, &final_url, &entry.body)
        .ok()
        .map(|p| p.articles)
}

/// A web page (not a feed) fetched by [`Fetcher::fetch_page`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The URL as asked for.
    pub url: String,
    /// Where the page was found after redirects.
    pub final_url: String,
    /// The `Content-Type` header as sent, if any and readable.
    pub content_type: Option<String>,
    /// The body within the size cap; `None` when `wanted` refused the response (not read).
    pub body: Option<Vec<u8>>,
}

/// The context `parse_feed` needs for a body fetched from `url`, found at `final_url`.
fn context(url: &str, final_url: &str) -> FeedContext {
    let host = url::Url::parse(final_url)
        .ok()
        .or_else(|| url::Url::parse(url).ok())
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| url.to_string());
    FeedContext {
        key: url.to_string(),
        url: Some(final_url.to_string()),
        fallback_date: chrono::Utc::now(),
        default_source: host,
    }
}

/// Turns a 2xx body into articles, or says why it is not a feed.
pub(super) fn parse_body(
    url: &str,
    final_url: &str,
    body: &[u8],
) -> Result<ParsedFeed, FetchErrorKind> {
    if looks_like_feed(body) {
        let mut parsed =
            parse_feed(body, &context(url, final_url)).map_err(FetchErrorKind::Malformed)?;
        let shown = sanitize_line(url);
        for w in &mut parsed.warnings {
            *w = format!("{shown}: {w}");
        }
        return Ok(parsed);
    }
    if looks_like_html(body) {
        let base = url::Url::parse(final_url).ok();
        return Err(FetchErrorKind::NotAFeed {
            feed_link: find_feed_link(body, base.as_ref()),
        });
    }
    Err(FetchErrorKind::Malformed(format!(
        "not a feed: {}",
        describe_start(body)
    )))
}

/// A short description of what a body starts with, for "not a feed" messages.
fn describe_start(body: &[u8]) -> String {
    let head = String::from_utf8_lossy(&body[..body.len().min(200)]);
    let head = sanitize_line(&head);
    if head.is_empty() {
        return "the response is empty".to_string();
    }
    let short: String = head.chars().take(40).collect();
    let more = if short.len() < head.len() { "…" } else { "" };
    format!("neither RSS, Atom nor JSON Feed (starts with \"{short}{more}\")")
}

/// The media type of a `Content-Type` value, lowercased (`text/html` of
/// `text/html; charset=utf-8`).
pub fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// True when the first KiB, read by html5ever's tokenizer, holds an `<html>` start tag or an
/// HTML doctype (any case); not when it only says so inside a comment or a script.
pub fn looks_like_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(1024)]);
    let mut html = false;
    tokenize(&head, |token| {
        html = match token {
            Token::Doctype(d) => d.name.is_some_and(|n| n.eq_ignore_ascii_case("html")),
            Token::Tag(tag) => !tag.is_end() && tag.name() == "html",
            Token::Text { .. } => false,
        };
        if html { Step::Stop } else { Step::Next }
    });
    html
}

const FEED_TYPES: [&str; 4] = [
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
];

/// The first `<link rel="alternate" type="<a feed type>" href="...">`, resolved against `base`,
/// as html5ever's tokenizer reads the page (not inside comments or scripts).
fn find_feed_link(body: &[u8], base: Option<&url::Url>) -> Option<String> {
    // Feed links live in the head; a megabyte is plenty and bounds the work.
    let text = String::from_utf8_lossy(&body[..body.len().min(1 << 20)]);
    let mut found = None;
    tokenize(&text, |token| {
        if let Token::Tag(tag) = token
            && !tag.is_end()
            && tag.name() == "link"
        {
            found = feed_link(&tag, base);
        }
        if found.is_some() {
            Step::Stop
        } else {
            Step::Next
        }
    });
    found
}

/// The feed a `<link>` tag points at, if it is an alternate link of a feed type.
fn feed_link(tag: &Tag<'_>, base: Option<&url::Url>) -> Option<String> {
    let alternate = tag
        .attr("rel")?
        .split_ascii_whitespace()
        .any(|t| t.eq_ignore_ascii_case("alternate"));
    let ty = tag
        .attr("type")?
        .split(';')
        .next()?
        .trim()
        .to_ascii_lowercase();
    if !alternate || !FEED_TYPES.contains(&ty.as_str()) {
        return None;
    }
    resolve(tag.attr("href")?, base)
}

/// An href (its references already decoded) made absolute, `http`/`https` only.
fn resolve(href: &str, base: Option<&url::Url>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let u = match url::Url::parse(href) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(href).ok()?,
        Err(_) => return None,
    };
    matches!(u.scheme(), "http" | "https").then(|| u.to_string())
}

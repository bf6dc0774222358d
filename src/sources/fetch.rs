//! Fetching feeds over HTTP(S): bounded concurrency overall and per host, timeouts, a size cap
//! enforced while streaming, conditional requests against the cache, and errors a person can read.
//!
//! The API is blocking: [`fetch_all`] runs its own tokio runtime and reports each URL to the
//! caller as soon as it completes.

use super::cache::{Cache, CacheEntry};
use super::feed::{FeedContext, ParsedFeed, looks_like_feed, parse_feed};
use crate::core::html::{Step, Tag, Token, tokenize};
use crate::core::model::Article;
use crate::core::sanitize::sanitize_line;
use futures_util::StreamExt;
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, CONTENT_TYPE, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};
use std::collections::HashMap;
use std::error::Error as StdError;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

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
    fn new(url: &str, kind: FetchErrorKind) -> FetchError {
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
}

/// Installs the ring crypto provider for rustls once per process (reqwest is built without one).
fn install_crypto_provider() {
    // An error means one is already installed: fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

fn build_client(opts: &FetchOptions) -> Result<reqwest::Client, reqwest::Error> {
    install_crypto_provider();
    reqwest::Client::builder()
        .user_agent(opts.user_agent.clone())
        .timeout(opts.timeout)
        .connect_timeout(opts.connect_timeout)
        .redirect(reqwest::redirect::Policy::limited(opts.max_redirects))
        .gzip(true)
        .deflate(true)
        .brotli(true)
        .build()
}

/// Parses and checks a URL: absolute, `http` or `https`, with a host.
fn parse_url(url: &str) -> Result<url::Url, FetchErrorKind> {
    let u = url::Url::parse(url.trim()).map_err(|_| FetchErrorKind::InvalidUrl)?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none_or(str::is_empty) {
        return Err(FetchErrorKind::InvalidUrl);
    }
    Ok(u)
}

fn host_key(u: &url::Url) -> String {
    u.host_str().unwrap_or("").to_ascii_lowercase()
}

/// Fetches every URL, at most `opts.concurrency` at once and `opts.per_host` per host, calling
/// `on_result` for each as soon as it completes (URLs that are not `http`/`https` first, at
/// once). Every URL gets exactly one call. Blocks until all are done.
///
/// It runs its own tokio runtime on the calling thread; called from inside a tokio runtime, it
/// moves to a thread of its own for the duration (a runtime cannot block inside another).
pub fn fetch_all(
    urls: Vec<String>,
    opts: &FetchOptions,
    mut on_result: impl FnMut(Result<Fetched, FetchError>) + Send,
) {
    if urls.is_empty() {
        return;
    }
    let (started, feeds, mut failed) = (std::time::Instant::now(), urls.len(), 0usize);
    tracing::debug!(feeds, concurrency = opts.concurrency, "fetching feeds");
    // Every failure is logged here, wherever it arose; successes in `fetch_one`.
    let mut on_result = |result: Result<Fetched, FetchError>| {
        if let Err(e) = &result {
            failed += 1;
            tracing::warn!(url = %sanitize_line(&e.url), error = %e, "feed fetch failed");
        }
        on_result(result)
    };
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|s| {
            let worker = s.spawn(|| run_all(urls, opts, &mut on_result));
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        });
    } else {
        run_all(urls, opts, &mut on_result);
    }
    let ms = started.elapsed().as_millis() as u64;
    tracing::info!(feeds, failed, ms, "feeds fetched");
}

fn run_all(
    urls: Vec<String>,
    opts: &FetchOptions,
    on_result: &mut (dyn FnMut(Result<Fetched, FetchError>) + Send),
) {
    let fail_all = |on_result: &mut dyn FnMut(Result<Fetched, FetchError>), msg: String| {
        for u in &urls {
            on_result(Err(FetchError::new(u, FetchErrorKind::Io(msg.clone()))));
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail_all(on_result, format!("could not start the fetcher: {e}")),
    };
    let client = match build_client(opts) {
        Ok(c) => c,
        Err(e) => {
            return fail_all(
                on_result,
                format!("could not set up HTTP: {}", root_message(&e)),
            );
        }
    };
    let opts = Arc::new(opts.clone());
    let cache = opts.cache_dir.clone().map(|d| Arc::new(Cache::new(d)));
    let global = Arc::new(Semaphore::new(opts.concurrency.max(1)));
    let mut hosts: HashMap<String, Arc<Semaphore>> = HashMap::new();

    rt.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        let mut names = HashMap::new();
        for url in urls {
            let parsed = match parse_url(&url) {
                Ok(u) => u,
                Err(kind) => {
                    on_result(Err(FetchError::new(&url, kind)));
                    continue;
                }
            };
            let host = hosts
                .entry(host_key(&parsed))
                .or_insert_with(|| Arc::new(Semaphore::new(opts.per_host.max(1))))
                .clone();
            let global = global.clone();
            let client = client.clone();
            let opts = opts.clone();
            let cache = cache.clone();
            let task_url = url.clone();
            let handle = set.spawn(async move {
                // The host first, so a task waiting on a busy host holds no global slot.
                let _host = host.acquire_owned().await;
                let _global = global.acquire_owned().await;
                fetch_one(&client, &task_url, parsed, &opts, cache.as_deref()).await
            });
            names.insert(handle.id(), url);
        }
        while let Some(done) = set.join_next_with_id().await {
            match done {
                Ok((_, result)) => on_result(result),
                Err(e) => {
                    let url = names.remove(&e.id()).unwrap_or_default();
                    on_result(Err(FetchError::new(
                        &url,
                        FetchErrorKind::Io("internal error while fetching".to_string()),
                    )));
                }
            }
        }
    });
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

/// A web page (not a feed) fetched by [`fetch_page`].
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

/// Fetches one page with exactly the limits of feeds (`opts`: timeouts, size cap, redirects,
/// decompression; no cache). `wanted` sees the `Content-Type` (if any) before the body is read;
/// when it says no, the body is not downloaded. A URL that is not `http`/`https` fails before
/// any IO. Blocking; like [`fetch_all`], it runs its own runtime (on a thread of its own when
/// called inside a tokio runtime).
pub fn fetch_page(
    url: &str,
    opts: &FetchOptions,
    wanted: &(dyn Fn(Option<&str>) -> bool + Sync),
) -> Result<Page, FetchError> {
    let parsed = parse_url(url).map_err(|kind| FetchError::new(url, kind))?;
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|s| {
            let worker = s.spawn(|| run_page(url, parsed, opts, wanted));
            worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    } else {
        run_page(url, parsed, opts, wanted)
    }
}

fn run_page(
    url: &str,
    parsed: url::Url,
    opts: &FetchOptions,
    wanted: &(dyn Fn(Option<&str>) -> bool + Sync),
) -> Result<Page, FetchError> {
    let err = |kind| FetchError::new(url, kind);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            err(FetchErrorKind::Io(format!(
                "could not start the fetcher: {e}"
            )))
        })?;
    let client = build_client(opts).map_err(|e| {
        err(FetchErrorKind::Io(format!(
            "could not set up HTTP: {}",
            root_message(&e)
        )))
    })?;
    let content_type = |h: &HeaderMap| header_str(h, CONTENT_TYPE);
    let header_check = |h: &HeaderMap| wanted(content_type(h).as_deref());
    let page = PageRequest {
        accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
        wanted: &header_check,
    };
    let exchange = request(&client, parsed, opts, None, Some(&page));
    let (_, final_url, headers, body) = rt
        .block_on(async { tokio::time::timeout(opts.timeout, exchange).await })
        .map_err(|_| err(FetchErrorKind::Timeout(opts.timeout)))?
        .map_err(err)?;
    let content_type = content_type(&headers);
    let read = wanted(content_type.as_deref());
    Ok(Page {
        url: url.to_string(),
        final_url,
        content_type: content_type.map(|c| sanitize_line(&c)),
        body: read.then_some(body),
    })
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
fn parse_body(url: &str, final_url: &str, body: &[u8]) -> Result<ParsedFeed, FetchErrorKind> {
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
/// Header value as text, when it is visible ASCII.
fn header_str(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Fetches and parses one URL; the caller holds the concurrency permits.
async fn fetch_one(
    client: &reqwest::Client,
    url: &str,
    parsed: url::Url,
    opts: &FetchOptions,
    cache: Option<&Cache>,
) -> Result<Fetched, FetchError> {
    let started = std::time::Instant::now();
    let err = |kind| FetchError::new(url, kind);
    let entry: Option<CacheEntry> = match cache {
        Some(c) => {
            let (c, u) = (c.clone(), url.to_string());
            tokio::task::spawn_blocking(move || c.load(&u))
                .await
                .ok()
                .flatten()
        }
        None => None,
    };

    // The whole exchange is bounded by the total timeout too, whatever reqwest does with bodies.
    let exchange = request(client, parsed, opts, entry.as_ref(), None);
    let (status, final_url, headers, body) =
        match tokio::time::timeout(opts.timeout, exchange).await {
            Ok(r) => r.map_err(err)?,
            Err(_) => return Err(err(FetchErrorKind::Timeout(opts.timeout))),
        };

    if status == StatusCode::NOT_MODIFIED {
        let Some(entry) = entry else {
            return Err(err(FetchErrorKind::Status(304)));
        };
        let base = entry.meta.final_url.clone().unwrap_or(final_url);
        let (u, b) = (url.to_string(), base.clone());
        let parsed = blocking(move || parse_body(&u, &b, &entry.body).map(|a| (a, entry))).await;
        let (parsed, entry) = parsed.map_err(err)?;
        tracing::debug!(
            url = %sanitize_line(url),
            status = 304,
            from = "cache (not modified)",
            bytes = entry.body.len(),
            articles = parsed.articles.len(),
            ms = started.elapsed().as_millis() as u64,
            "feed fetched"
        );
        if let Some(c) = cache {
            // Refresh the fetch time and any validators the 304 carried; failures do not matter.
            let mut meta = entry.meta;
            meta.fetched_at = chrono::Utc::now().to_rfc3339();
            if let Some(e) = header_str(&headers, ETAG) {
                meta.etag = Some(e);
            }
            if let Some(l) = header_str(&headers, LAST_MODIFIED) {
                meta.last_modified = Some(l);
            }
            let c = c.clone();
            let _ = tokio::task::spawn_blocking(move || c.write_meta(&meta)).await;
        }
        return Ok(Fetched {
            url: url.to_string(),
            final_url: base,
            articles: parsed.articles,
            warnings: parsed.warnings,
            not_modified: true,
        });
    }

    let (u, f) = (url.to_string(), final_url.clone());
    let parsed = blocking(move || parse_body(&u, &f, &body).map(|a| (a, body))).await;
    let (parsed, body) = parsed.map_err(err)?;
    tracing::debug!(
        url = %sanitize_line(url),
        status = status.as_u16(),
        from = "network",
        bytes = body.len(),
        articles = parsed.articles.len(),
        ms = started.elapsed().as_millis() as u64,
        "feed fetched"
    );
    if let Some(c) = cache {
        let c = c.clone();
        let (u, f) = (url.to_string(), final_url.clone());
        let etag = header_str(&headers, ETAG);
        let modified = header_str(&headers, LAST_MODIFIED);
        // A cache that cannot be written only loses the next conditional request.
        let _ = tokio::task::spawn_blocking(move || {
            c.store(&u, Some(&f), &body, etag.as_deref(), modified.as_deref())
        })
        .await;
    }
    Ok(Fetched {
        url: url.to_string(),
        final_url,
        articles: parsed.articles,
        warnings: parsed.warnings,
        not_modified: false,
    })
}

/// Runs CPU-bound parsing off the runtime thread; a panic in it becomes an error, not a crash.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, FetchErrorKind> + Send + 'static,
) -> Result<T, FetchErrorKind> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(_) => Err(FetchErrorKind::Malformed(
            "the feed could not be parsed (the parser failed)".to_string(),
        )),
    }
}

/// What a page request wants beyond a feed request: an `Accept` header, and a look at the
/// response headers before the body is read (false: the body is not read).
struct PageRequest<'a> {
    accept: &'static str,
    wanted: &'a (dyn Fn(&HeaderMap) -> bool + Sync),
}

/// Sends the request (conditional when there is a cache entry) and reads a 2xx body within the
/// size cap. Returns the status, final URL, headers and body (empty unless 2xx, and empty when
/// `page.wanted` refused the headers).
async fn request(
    client: &reqwest::Client,
    url: url::Url,
    opts: &FetchOptions,
    entry: Option<&CacheEntry>,
    page: Option<&PageRequest<'_>>,
) -> Result<(StatusCode, String, HeaderMap, Vec<u8>), FetchErrorKind> {
    let mut req = client.get(url);
    if let Some(p) = page {
        req = req.header(ACCEPT, p.accept);
    }
    if let Some(e) = entry {
        if let Some(etag) = &e.meta.etag {
            req = req.header(IF_NONE_MATCH, etag.as_str());
        }
        if let Some(lm) = &e.meta.last_modified {
            req = req.header(IF_MODIFIED_SINCE, lm.as_str());
        }
    }
    let resp = req.send().await.map_err(|e| classify(&e, opts))?;
    let status = resp.status();
    let final_url = resp.url().to_string();
    let headers = resp.headers().clone();
    if status == StatusCode::NOT_MODIFIED {
        return Ok((status, final_url, headers, Vec::new()));
    }
    if !status.is_success() {
        return Err(FetchErrorKind::Status(status.as_u16()));
    }
    if page.is_some_and(|p| !(p.wanted)(&headers)) {
        return Ok((status, final_url, headers, Vec::new()));
    }
    let limit = opts.max_size;
    if resp.content_length().is_some_and(|n| n > limit) {
        return Err(FetchErrorKind::TooLarge { limit });
    }
    // Grow as the body arrives; the declared length only sizes the first allocation.
    let first = resp.content_length().unwrap_or(0).min(limit).min(1 << 20);
    let mut body = Vec::with_capacity(usize::try_from(first).unwrap_or(0));
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| classify(&e, opts))?;
        let needed = body.len() as u64 + chunk.len() as u64;
        if needed > limit {
            return Err(FetchErrorKind::TooLarge { limit });
        }
        if needed > body.capacity() as u64 {
            // Double as usual, but never past the cap.
            let target = (body.capacity() as u64 * 2).clamp(needed, limit);
            body.reserve_exact(usize::try_from(target).unwrap_or(usize::MAX) - body.len());
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, final_url, headers, body))
}

/// The innermost error message of a chain (the most specific).
fn root_message(e: &(dyn StdError + 'static)) -> String {
    let mut msg = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        msg = s.to_string();
        cur = s.source();
    }
    msg
}

/// Every error in the chain, including the payloads of `io::Error`s (whose `source()` skips them).
fn chain<'a>(e: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut out = Vec::new();
    let mut cur = Some(e);
    while let Some(err) = cur {
        if out.len() > 32 {
            break;
        }
        out.push(err);
        // `io::Error::source()` skips its payload; step into the payload instead.
        cur = match err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => err.source(),
        };
    }
    out
}

/// Sorts a reqwest error into a kind.
fn classify(e: &reqwest::Error, opts: &FetchOptions) -> FetchErrorKind {
    if e.is_timeout() {
        let limit = if e.is_connect() {
            opts.connect_timeout
        } else {
            opts.timeout
        };
        return FetchErrorKind::Timeout(limit);
    }
    if e.is_redirect() {
        return FetchErrorKind::TooManyRedirects;
    }
    if e.is_builder() {
        return FetchErrorKind::InvalidUrl;
    }
    let errs = chain(e);
    let lower: Vec<String> = errs.iter().map(|x| x.to_string().to_lowercase()).collect();
    if e.is_dns()
        || lower
            .iter()
            .any(|m| m.contains("dns error") || m.contains("failed to lookup address"))
    {
        return FetchErrorKind::Dns;
    }
    if errs.iter().any(|x| x.is::<rustls::Error>()) {
        return FetchErrorKind::Tls;
    }
    if errs.iter().any(|x| {
        x.downcast_ref::<std::io::Error>()
            .is_some_and(|io| matches!(io.kind(), std::io::ErrorKind::TimedOut))
    }) {
        return FetchErrorKind::Timeout(opts.connect_timeout);
    }
    let refused = errs.iter().any(|x| {
        x.downcast_ref::<std::io::Error>().is_some_and(|io| {
            matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionRefused
                    | std::io::ErrorKind::HostUnreachable
                    | std::io::ErrorKind::NetworkUnreachable
                    | std::io::ErrorKind::AddrNotAvailable
            )
        })
    });
    if refused || e.is_connect() {
        return FetchErrorKind::Connect;
    }
    let detail = sanitize_line(&root_message(e));
    let cut_off = errs.iter().any(|x| {
        x.downcast_ref::<std::io::Error>().is_some_and(|io| {
            matches!(
                io.kind(),
                std::io::ErrorKind::UnexpectedEof
                    | std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::BrokenPipe
            )
        })
    });
    if cut_off {
        return FetchErrorKind::Io(format!("the response broke off: {detail}"));
    }
    // Body errors come wrapped as decode errors; what is left of them is the decompressor's.
    if e.is_decode() {
        return FetchErrorKind::Malformed(format!("could not decompress the response: {detail}"));
    }
    if e.is_body() {
        return FetchErrorKind::Io(format!("the response broke off: {detail}"));
    }
    FetchErrorKind::Io(detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked() {
        assert!(parse_url("https://example.com/feed").is_ok());
        assert!(parse_url("HTTP://Example.com").is_ok());
        assert_eq!(
            parse_url("ftp://example.com/"),
            Err(FetchErrorKind::InvalidUrl)
        );
        assert_eq!(
            parse_url("file:///etc/passwd"),
            Err(FetchErrorKind::InvalidUrl)
        );
        assert_eq!(
            parse_url("example.com/feed"),
            Err(FetchErrorKind::InvalidUrl)
        );
        assert_eq!(parse_url(""), Err(FetchErrorKind::InvalidUrl));
    }

    #[test]
    fn feed_links_in_html() {
        let base = url::Url::parse("https://x.org/blog/post").unwrap();
        let html = br#"<!DOCTYPE html><html><head>
            <link rel="stylesheet" href="/s.css">
            <link rel=alternate type="application/rss+xml; charset=utf-8" title='R' href='../rss.xml?a=1&amp;b=2'>
            <link rel="alternate" type="application/atom+xml" href="/atom.xml">
            </head></html>"#;
        assert_eq!(
            find_feed_link(html, Some(&base)).as_deref(),
            Some("https://x.org/rss.xml?a=1&b=2")
        );
        let none = br#"<html><link rel="alternate" hreflang="fr" href="/fr/"><linkx rel="alternate" type="application/rss+xml" href="/no"></html>"#;
        assert_eq!(find_feed_link(none, Some(&base)), None);
        let js = br#"<link type="application/rss+xml" href="javascript:alert(1)" rel="alternate">"#;
        assert_eq!(find_feed_link(js, Some(&base)), None);
        // Not inside comments or scripts; the first real one, however written.
        let hidden = br#"<html><!-- <link rel="alternate" type="application/rss+xml" href="/c"> -->
            <script>'<link rel=alternate type=application/rss+xml href=/s>'</script>
            <LINK REL="Alternate stylesheet" TYPE=application/atom+xml HREF=/a.xml></html>"#;
        assert_eq!(
            find_feed_link(hidden, Some(&base)).as_deref(),
            Some("https://x.org/a.xml")
        );
        // Odd inputs do not panic.
        for s in [
            &b"<link"[..],
            b"<link ",
            b"<link rel=",
            b"<link rel=\"",
            b"<link =x>",
            b"\xff<link\xfe rel",
        ] {
            let _ = find_feed_link(s, Some(&base));
        }
    }

    #[test]
    fn html_is_recognized() {
        assert!(looks_like_html(b"<!DOCTYPE HTML><title>x</title>"));
        assert!(looks_like_html(b"\xef\xbb\xbf  <!-- c --><HTML lang=en>"));
        assert!(looks_like_html(b"<head></head><html>"));
        assert!(!looks_like_html(
            b"<?xml version=\"1.0\"?><rss version=\"2.0\"></rss>"
        ));
        assert!(!looks_like_html(b"<!-- <html> --><feed>"));
        assert!(!looks_like_html(b"<!DOCTYPE rss><rss>"));
        assert!(!looks_like_html(b""));
        assert!(!looks_like_html(b"\xff\xfe<\0h\0t\0m\0l\0>"));
    }

    #[test]
    fn messages() {
        let e = FetchError::new("https://x/feed", FetchErrorKind::Status(404));
        assert_eq!(e.to_string(), "https://x/feed: HTTP 404 Not Found");
        let e = FetchError::new(
            "https://x/feed",
            FetchErrorKind::TooLarge { limit: 32 << 20 },
        );
        assert_eq!(
            e.to_string(),
            "https://x/feed: response over the 32 MiB limit"
        );
        let e = FetchError::new(
            "https://x/",
            FetchErrorKind::NotAFeed {
                feed_link: Some("https://x/rss.xml".into()),
            },
        );
        assert_eq!(
            e.to_string(),
            "https://x/: not a feed (an HTML page); it links a feed at https://x/rss.xml"
        );
        assert_eq!(size_label(64 * 1024), "64 KiB");
        assert_eq!(size_label(1536), "1.5 KiB");
        assert!(describe_start(b"").contains("empty"));
        assert!(describe_start(b"hello").contains("\"hello\""));
    }
}

//! One request: conditional against the cache, the body read within the size cap, and reqwest's
//! errors sorted into kinds a person can read.

use super::{FetchError, FetchErrorKind, FetchOptions, Fetched, parse_body};
use crate::core::sanitize::sanitize_line;
use crate::sources::cache::{Cache, CacheEntry};
use futures_util::StreamExt;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use std::error::Error as StdError;

/// Header value as text, when it is visible ASCII.
pub(super) fn header_str(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Fetches and parses one URL; the caller holds the concurrency permits.
pub(super) async fn fetch_one(
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

    // A server that asked to be left alone (`Retry-After`) is not asked before its time.
    if let Some(until) = cache.and_then(|c| c.deferred_until(url))
        && until > chrono::Utc::now()
    {
        return Err(err(FetchErrorKind::Deferred { until }));
    }
    // The whole exchange is bounded by the total timeout too, whatever reqwest does with bodies.
    let exchange = request(client, parsed, opts, entry.as_ref(), None);
    let (status, final_url, headers, body) =
        match tokio::time::timeout(opts.timeout, exchange).await {
            Ok(Err(FetchErrorKind::Busy {
                status,
                retry_after,
            })) => {
                if let Some(c) = cache {
                    let until = chrono::Utc::now()
                        + chrono::Duration::from_std(retry_after).unwrap_or_default();
                    let (c, u) = (c.clone(), url.to_string());
                    let _ = tokio::task::spawn_blocking(move || c.defer(&u, until)).await;
                }
                let kind = FetchErrorKind::Busy {
                    status,
                    retry_after,
                };
                return Err(err(kind));
            }
            Ok(r) => r.map_err(err)?,
            Err(_) => return Err(err(FetchErrorKind::Timeout(opts.timeout))),
        };
    let hint = |feed: Option<std::time::Duration>| feed.max(super::freshness(&headers));

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
            refresh_hint: hint(parsed.refresh_hint),
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
        refresh_hint: hint(parsed.refresh_hint),
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
pub(super) struct PageRequest<'a> {
    pub(super) accept: &'static str,
    pub(super) wanted: &'a (dyn Fn(&HeaderMap) -> bool + Sync),
}

/// Sends the request (conditional when there is a cache entry) and reads a 2xx body within the
/// size cap. Returns the status, final URL, headers and body (empty unless 2xx, and empty when
/// `page.wanted` refused the headers).
pub(super) async fn request(
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
        let busy = matches!(status.as_u16(), 429 | 503);
        return Err(match super::retry_after(&headers).filter(|_| busy) {
            Some(retry_after) => FetchErrorKind::Busy {
                status: status.as_u16(),
                retry_after,
            },
            None => FetchErrorKind::Status(status.as_u16()),
        });
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
pub(super) fn root_message(e: &(dyn StdError + 'static)) -> String {
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
pub(super) fn classify(e: &reqwest::Error, opts: &FetchOptions) -> FetchErrorKind {
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
    // A rustls error (a certificate, a record that is not TLS), or the connection closed in
    // the middle of the TLS handshake (tokio-rustls' "tls handshake eof": a server that does
    // not speak TLS on that port and hangs up on the hello).
    if errs.iter().any(|x| x.is::<rustls::Error>())
        || lower.iter().any(|m| m.contains("tls handshake eof"))
    {
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

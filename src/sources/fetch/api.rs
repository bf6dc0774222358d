//! API calls through the one [`Fetcher`]: a GET or a form POST with headers of the caller's,
//! answered with the status and the body (read within the size cap), whatever the status, so
//! the caller can tell a refused login from an expired session. For the sync client
//! (`sources::greader`); nothing is cached.

use super::client::{Fetcher, parse_url};
use super::request::{classify, header_str};
use super::{FetchErrorKind, FetchOptions};
use futures_util::StreamExt;
use reqwest::header::CONTENT_TYPE;

/// One API request.
pub struct ApiRequest<'a> {
    pub url: &'a str,
    /// Extra headers (name, value); values marked sensitive are never logged by reqwest.
    pub headers: &'a [(&'static str, &'a str)],
    /// A form body (`application/x-www-form-urlencoded`), sent with POST; `None`: GET.
    pub form: Option<String>,
}

/// Its answer: the status, the `Content-Type` and the body.
#[derive(Debug, Clone)]
pub struct ApiResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Fetcher {
    /// Sends `req` with the feed limits (timeouts, size cap, redirects) and returns its answer,
    /// any status. Blocking.
    pub fn api(&self, req: &ApiRequest<'_>) -> Result<ApiResponse, FetchErrorKind> {
        let url = parse_url(req.url)?;
        let client = self.http_client().map_err(FetchErrorKind::Io)?;
        let opts = self.options().clone();
        let exchange = send(client, url, req, &opts);
        self.run(async { tokio::time::timeout(opts.timeout, exchange).await })
            .map_err(FetchErrorKind::Io)?
            .map_err(|_| FetchErrorKind::Timeout(opts.timeout))?
    }
}

async fn send(
    client: &reqwest::Client,
    url: url::Url,
    req: &ApiRequest<'_>,
    opts: &FetchOptions,
) -> Result<ApiResponse, FetchErrorKind> {
    let mut r = match &req.form {
        Some(form) => client
            .post(url)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form.clone()),
        None => client.get(url),
    };
    for (name, value) in req.headers {
        let mut v = reqwest::header::HeaderValue::from_str(value)
            .map_err(|_| FetchErrorKind::Io(format!("a bad {name} header")))?;
        v.set_sensitive(true);
        r = r.header(*name, v);
    }
    let resp = r.send().await.map_err(|e| classify(&e, opts))?;
    let status = resp.status().as_u16();
    let content_type = header_str(resp.headers(), CONTENT_TYPE);
    let limit = opts.max_size;
    if resp.content_length().is_some_and(|n| n > limit) {
        return Err(FetchErrorKind::TooLarge { limit });
    }
    let mut body = Vec::new();
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| classify(&e, opts))?;
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(FetchErrorKind::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(ApiResponse {
        status,
        content_type,
        body,
    })
}

//! The one tokio runtime and the one HTTP client of the process, in a [`Fetcher`]: every feed,
//! full story and page is fetched through it, so TLS is set up once and connections are kept
//! alive between requests. Both are made on first use (a run over local files makes neither).

use super::request::{PageRequest, fetch_one, header_str, request, root_message};
use super::{FetchError, FetchErrorKind, FetchOptions, Fetched, Page};
use crate::core::sanitize::sanitize_line;
use crate::sources::cache::Cache;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

thread_local! {
    /// True on the threads of a [`Fetcher`]'s runtime (its workers and its blocking pool).
    static OWN_THREAD: Cell<bool> = const { Cell::new(false) };
}

/// Fetches over HTTP(S) with one long-lived runtime and client. The blocking methods may be
/// called from any thread that is not running async code: plain threads, and the jobs of
/// [`Fetcher::spawn_blocking`]; called from inside another tokio runtime, they move to a thread of
/// their own for the duration (a runtime cannot block inside another).
pub struct Fetcher {
    opts: Arc<FetchOptions>,
    runtime: OnceLock<Result<tokio::runtime::Runtime, String>>,
    client: OnceLock<Result<reqwest::Client, String>>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher").field("opts", &self.opts).finish()
    }
}

impl Drop for Fetcher {
    /// Quitting never waits for a fetch in flight: the runtime's threads are left to end with
    /// the process.
    fn drop(&mut self) {
        if let Some(Ok(rt)) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// Installs the ring crypto provider for rustls once per process (reqwest is built without one).
fn install_crypto_provider() {
    // An error means one is already installed: fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Parses and checks a URL: absolute, `http` or `https`, with a host.
pub(super) fn parse_url(url: &str) -> Result<url::Url, FetchErrorKind> {
    let u = url::Url::parse(url.trim()).map_err(|_| FetchErrorKind::InvalidUrl)?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none_or(str::is_empty) {
        return Err(FetchErrorKind::InvalidUrl);
    }
    Ok(u)
}

fn host_key(u: &url::Url) -> String {
    u.host_str().unwrap_or("").to_ascii_lowercase()
}

impl Fetcher {
    pub fn new(opts: FetchOptions) -> Fetcher {
        Fetcher {
            opts: Arc::new(opts),
            runtime: OnceLock::new(),
            client: OnceLock::new(),
        }
    }

    pub fn options(&self) -> &FetchOptions {
        &self.opts
    }

    /// The runtime: the one place tidings makes one.
    fn runtime(&self) -> Result<&tokio::runtime::Runtime, String> {
        self.runtime
            .get_or_init(|| {
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("tidings-io")
                    .on_thread_start(|| OWN_THREAD.with(|t| t.set(true)))
                    .enable_all()
                    .build()
                    .map_err(|e| format!("could not start the fetcher: {e}"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The HTTP client: the one place tidings makes one.
    fn client(&self) -> Result<&reqwest::Client, String> {
        self.client
            .get_or_init(|| {
                install_crypto_provider();
                let o = &self.opts;
                reqwest::Client::builder()
                    .user_agent(o.user_agent.clone())
                    .timeout(o.timeout)
                    .connect_timeout(o.connect_timeout)
                    .redirect(reqwest::redirect::Policy::limited(o.max_redirects))
                    .gzip(true)
                    .deflate(true)
                    .brotli(true)
                    .build()
                    .map_err(|e| format!("could not set up HTTP: {}", root_message(&e)))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The client, for the other requests of this module (`api.rs`).
    pub(super) fn http_client(&self) -> Result<&reqwest::Client, String> {
        self.client()
    }

    /// Waits for `fut` on the runtime (for `api.rs`).
    pub(super) fn run<T: Send>(&self, fut: impl Future<Output = T> + Send) -> Result<T, String> {
        self.block_on(fut)
    }

    /// Runs `job` on the runtime's pool of blocking threads (reading files, parsing, fetching
    /// with the blocking methods); `Err` when the runtime could not start.
    pub fn spawn_blocking(&self, job: impl FnOnce() + Send + 'static) -> Result<(), String> {
        self.runtime()?.spawn_blocking(job);
        Ok(())
    }

    /// Waits for `fut` on the runtime.
    fn block_on<T: Send>(&self, fut: impl Future<Output = T> + Send) -> Result<T, String> {
        let rt = self.runtime()?;
        let foreign = !OWN_THREAD.with(Cell::get) && tokio::runtime::Handle::try_current().is_ok();
        if !foreign {
            return Ok(rt.handle().block_on(fut));
        }
        std::thread::scope(|s| {
            s.spawn(|| rt.handle().block_on(fut))
                .join()
                .map_err(|panic| std::panic::resume_unwind(panic))
        })
    }

    /// Fetches every URL, at most `concurrency` at once and `per_host` per host, calling
    /// `on_result` for each as soon as it completes (URLs that are not `http`/`https` first, at
    /// once). Every URL gets exactly one call. Blocks until all are done.
    pub fn fetch_all(
        &self,
        urls: Vec<String>,
        mut on_result: impl FnMut(Result<Fetched, FetchError>) + Send,
    ) {
        if urls.is_empty() {
            return;
        }
        let (started, feeds, mut failed) = (std::time::Instant::now(), urls.len(), 0usize);
        let concurrency = self.opts.concurrency;
        tracing::debug!(feeds, concurrency, "fetching feeds");
        // Every failure is logged here, wherever it arose; successes in `fetch_one`.
        let mut on_result = |result: Result<Fetched, FetchError>| {
            if let Err(e) = &result {
                failed += 1;
                tracing::warn!(url = %sanitize_line(&e.url), error = %e, "feed fetch failed");
            }
            on_result(result)
        };
        let fail_all = |on_result: &mut dyn FnMut(Result<Fetched, FetchError>), msg: String| {
            for u in &urls {
                on_result(Err(FetchError::new(u, FetchErrorKind::Io(msg.clone()))));
            }
        };
        match self.client() {
            Ok(client) => {
                let run = self.run_all(client, &urls, &mut on_result);
                if let Err(msg) = self.block_on(run) {
                    fail_all(&mut on_result, msg);
                }
            }
            Err(msg) => fail_all(&mut on_result, msg),
        }
        let ms = started.elapsed().as_millis() as u64;
        tracing::info!(feeds, failed, ms, "feeds fetched");
    }

    async fn run_all(
        &self,
        client: &reqwest::Client,
        urls: &[String],
        on_result: &mut (dyn FnMut(Result<Fetched, FetchError>) + Send),
    ) {
        let opts = &self.opts;
        let cache = opts.cache_dir.clone().map(|d| Arc::new(Cache::new(d)));
        let global = Arc::new(Semaphore::new(opts.concurrency.max(1)));
        let mut hosts: HashMap<String, Arc<Semaphore>> = HashMap::new();
        let mut set = tokio::task::JoinSet::new();
        let mut names = HashMap::new();
        for url in urls {
            let parsed = match parse_url(url) {
                Ok(u) => u,
                Err(kind) => {
                    on_result(Err(FetchError::new(url, kind)));
                    continue;
                }
            };
            let host = hosts
                .entry(host_key(&parsed))
                .or_insert_with(|| Arc::new(Semaphore::new(opts.per_host.max(1))))
                .clone();
            let (global, client, opts) = (global.clone(), client.clone(), opts.clone());
            let (cache, task_url) = (cache.clone(), url.clone());
            let handle = set.spawn(async move {
                // The host first, so a task waiting on a busy host holds no global slot.
                let _host = host.acquire_owned().await;
                let _global = global.acquire_owned().await;
                fetch_one(&client, &task_url, parsed, &opts, cache.as_deref()).await
            });
            names.insert(handle.id(), url.clone());
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
    }

    /// Fetches one page with exactly the limits of feeds (timeouts, size cap, redirects,
    /// decompression; no cache). `wanted` sees the `Content-Type` (if any) before the body is
    /// read; when it says no, the body is not downloaded. A URL that is not `http`/`https` fails
    /// before any IO. Blocking.
    pub fn fetch_page(
        &self,
        url: &str,
        wanted: &(dyn Fn(Option<&str>) -> bool + Sync),
    ) -> Result<Page, FetchError> {
        self.fetch_page_capped(url, self.opts.max_size, wanted)
    }

    /// [`Fetcher::fetch_page`] with a smaller size cap (`max_size`, when below the options').
    pub fn fetch_page_capped(
        &self,
        url: &str,
        max_size: u64,
        wanted: &(dyn Fn(Option<&str>) -> bool + Sync),
    ) -> Result<Page, FetchError> {
        let err = |kind| FetchError::new(url, kind);
        let parsed = parse_url(url).map_err(err)?;
        let client = self.client().map_err(|m| err(FetchErrorKind::Io(m)))?;
        let capped = FetchOptions {
            max_size: max_size.min(self.opts.max_size),
            ..(*self.opts).clone()
        };
        let opts = &capped;
        let content_type = |h: &HeaderMap| header_str(h, CONTENT_TYPE);
        let header_check = |h: &HeaderMap| wanted(content_type(h).as_deref());
        let page = PageRequest {
            accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            wanted: &header_check,
        };
        let exchange = request(client, parsed, opts, None, Some(&page));
        let (_, final_url, headers, body) = self
            .block_on(async { tokio::time::timeout(opts.timeout, exchange).await })
            .map_err(|m| err(FetchErrorKind::Io(m)))?
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
}

//! Sources: where articles come from (files and folders, the bundled samples; feeds later), and
//! loading them into owned articles plus warnings.

pub mod atomic;
pub mod cache;
pub mod decode;
pub mod extract;
pub mod feed;
pub mod fetch;
pub mod files;
pub mod fulltext;
pub mod images;
pub mod markdown;
pub mod snapshot;
pub mod store;
pub mod text;

use crate::core::model::Article;
use crate::core::sanitize::sanitize_line;
use std::fmt;
use std::path::PathBuf;

/// One source as given on the command line (or, later, in the config).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceSpec {
    /// A file or a folder (read recursively).
    Path(PathBuf),
    /// The `sample-feeds/` corpus compiled into the binary.
    Bundled,
    /// An `http`/`https` feed URL.
    Url(String),
}

impl SourceSpec {
    pub fn parse(arg: &str) -> SourceSpec {
        let lower = arg.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            SourceSpec::Url(arg.to_string())
        } else {
            SourceSpec::Path(PathBuf::from(arg))
        }
    }

    /// How the source is named in messages (sanitized: a path can hold anything).
    pub fn label(&self) -> String {
        match self {
            SourceSpec::Path(p) => sanitize_line(&p.to_string_lossy()),
            SourceSpec::Bundled => "sample-feeds (bundled)".to_string(),
            SourceSpec::Url(u) => sanitize_line(u),
        }
    }
}

/// A problem with one file or source; the rest of the work goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file, folder or URL it concerns (sanitized).
    pub origin: String,
    pub message: String,
}

impl Warning {
    pub fn new(origin: impl AsRef<str>, message: impl AsRef<str>) -> Warning {
        Warning {
            origin: sanitize_line(origin.as_ref()),
            message: sanitize_line(message.as_ref()),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.origin.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.origin, self.message)
        }
    }
}

/// How one source fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceReport {
    pub label: String,
    pub articles: usize,
    /// Why the whole source failed, if it did.
    pub failure: Option<String>,
}

/// Everything a load produced.
#[derive(Debug, Default)]
pub struct LoadOutcome {
    pub articles: Vec<Article>,
    pub warnings: Vec<Warning>,
    pub reports: Vec<SourceReport>,
}

impl LoadOutcome {
    /// True when at least one source loaded.
    pub fn any_loaded(&self) -> bool {
        self.reports.iter().any(|r| r.failure.is_none())
    }
}

/// The user's cache folder for tidings (`$XDG_CACHE_HOME/tidings` or `~/.cache/tidings` on
/// Linux), if there is a home.
pub fn default_cache_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "tidings").map(|d| d.cache_dir().to_path_buf())
}

/// Brings an article's body back into memory when it was left on disk (see
/// [`Article::unload`]), rendered; `Err` says why it could not be read.
pub fn load_body(a: &mut Article) -> Result<(), String> {
    if let Some(at) = a.stored.take() {
        match files::load_body(&at, &a.id) {
            Ok(full) => {
                a.restore(full.blocks, None);
                a.words = full.words;
            }
            Err(e) => {
                a.stored = Some(at);
                return Err(e);
            }
        }
    }
    a.render();
    Ok(())
}

/// [`load_body`] for every article that needs it, one read per file; the warnings name the
/// files that could not be read.
pub fn load_bodies(articles: &mut [Article]) -> Vec<Warning> {
    let wanted: Vec<(
        usize,
        (crate::core::model::ArticleId, crate::core::model::BodyRef),
    )> = articles
        .iter()
        .enumerate()
        .filter_map(|(i, a)| Some((i, (a.id.clone(), (**a.stored.as_ref()?).clone()))))
        .collect();
    let (slots, wanted): (Vec<usize>, Vec<_>) = wanted.into_iter().unzip();
    let (found, warnings) = files::load_bodies(&wanted);
    for (j, full) in found {
        let a = &mut articles[slots[j]];
        a.restore(full.blocks, None);
        a.words = full.words;
    }
    warnings
}

/// The articles of the cached copy of feed `url` (see [`fetch::cached`]) through the snapshot:
/// when the cached body is unchanged since it was recorded they are decoded rather than parsed.
/// Their bodies stay in the cache (see [`crate::core::model::BodyRef::CachedFeed`]).
pub fn cached_feed(
    url: &str,
    opts: &fetch::FetchOptions,
    snap: &mut snapshot::Snapshot,
) -> Option<Vec<Article>> {
    let dir = opts.cache_dir.as_ref()?;
    let body = cache::Cache::new(dir).body_path(url);
    let stamp = std::fs::metadata(&body)
        .ok()
        .and_then(|m| snapshot::Stamp::of(&m));
    let key = format!("url:{url}");
    snap.begin_root(&key);
    if let Some(stamp) = stamp
        && let Some(p) = snap.lookup(&key, "", stamp)
        && let Some(Ok((articles, _))) = snap.decode(p)
    {
        snap.keep(&key, &key);
        return Some(articles);
    }
    let mut articles = fetch::cached(url, opts)?;
    let at = std::sync::Arc::new(crate::core::model::BodyRef::CachedFeed {
        url: url.to_string(),
        cache_dir: dir.clone(),
    });
    for a in &mut articles {
        if !a.blocks.is_empty() || a.pending.is_some() {
            a.unload(at.clone());
        }
    }
    let result = Ok((articles, Vec::new()));
    if let Some(stamp) = stamp {
        snap.record(&key, &key, "", stamp, &result);
    }
    result.ok().map(|(a, _)| a)
}

/// The folded search text (see [`crate::core::search::index_text`]) of articles whose bodies
/// are on disk, read a file at a time in parallel and handed to `each` in batches, with whether
/// the batch is the last (an empty list gives one empty last batch). `each` returns false to
/// stop.
pub fn body_texts(
    mut wanted: Vec<(crate::core::model::ArticleId, crate::core::model::BodyRef)>,
    mut each: impl FnMut(Vec<(crate::core::model::ArticleId, std::sync::Arc<str>)>, bool) -> bool,
) {
    use rayon::prelude::*;
    // A feed file's articles together, so each file is read once.
    wanted.sort_by(|a, b| a.1.cmp(&b.1));
    let batches: Vec<&[_]> = wanted.chunks(4096).collect();
    if batches.is_empty() {
        each(Vec::new(), true);
        return;
    }
    let last = batches.len() - 1;
    for (n, batch) in batches.into_iter().enumerate() {
        let (found, _) = files::load_bodies(batch);
        let texts = found
            .into_par_iter()
            .map(|(i, a)| {
                let text = crate::core::search::index_text(&a);
                (batch[i].0.clone(), std::sync::Arc::from(text))
            })
            .collect();
        if !each(texts, n == last) {
            return;
        }
    }
}

/// Loads every source with default fetch options.
pub fn load(specs: &[SourceSpec]) -> LoadOutcome {
    load_with(specs, &fetch::FetchOptions::default())
}

/// Loads every source, bodies and all: files are read and parsed in parallel, feed URLs
/// fetched concurrently.
pub fn load_with(specs: &[SourceSpec], opts: &fetch::FetchOptions) -> LoadOutcome {
    load_each(specs, opts, None, |_, _| {})
}

/// [`load_with`], handing each source's articles to `each` with the source's label (its
/// [`SourceSpec::label`]; for a feed URL, the sanitized URL) before they join the rest.
///
/// With a snapshot (the warm start), local files unchanged since it are taken from it, what the
/// others give is recorded in it, and the bodies of local articles stay on disk until opened
/// (see [`files::load_body`]); the caller saves the snapshot.
pub fn load_each(
    specs: &[SourceSpec],
    opts: &fetch::FetchOptions,
    mut snap: Option<&mut snapshot::Snapshot>,
    mut each: impl FnMut(&str, &mut Vec<Article>) + Send,
) -> LoadOutcome {
    let mut outcome = LoadOutcome::default();
    if let Some(w) = snap.as_mut().and_then(|s| s.take_warning()) {
        outcome.warnings.push(Warning::new("", w));
    }
    let mut urls = Vec::new();
    for spec in specs {
        let started = std::time::Instant::now();
        let (mut articles, warnings, failure) = match spec {
            SourceSpec::Path(p) => files::load_path_with(p, snap.as_deref_mut()),
            SourceSpec::Bundled => files::load_bundled(),
            SourceSpec::Url(u) => {
                urls.push(u.clone());
                continue;
            }
        };
        let ms = started.elapsed().as_millis() as u64;
        match &failure {
            None => tracing::info!(
                source = %spec.label(),
                articles = articles.len(),
                warnings = warnings.len(),
                ms,
                "source loaded"
            ),
            Some(why) => tracing::warn!(source = %spec.label(), error = %why, ms, "source failed"),
        }
        each(&spec.label(), &mut articles);
        outcome.reports.push(SourceReport {
            label: spec.label(),
            articles: articles.len(),
            failure,
        });
        // Moved when it is the first (articles are large: no second copy of a big archive).
        if outcome.articles.is_empty() {
            outcome.articles = articles;
        } else {
            outcome.articles.extend(articles);
        }
        outcome.warnings.extend(warnings);
    }
    if !urls.is_empty() {
        // A feed's time is from the start of the fetch to its arrival.
        let started = std::time::Instant::now();
        let ms = || started.elapsed().as_millis() as u64;
        fetch::fetch_all(urls, opts, |result| match result {
            Ok(mut f) => {
                tracing::info!(
                    source = %sanitize_line(&f.url),
                    articles = f.articles.len(),
                    not_modified = f.not_modified,
                    ms = ms(),
                    "source loaded"
                );
                each(&sanitize_line(&f.url), &mut f.articles);
                outcome.reports.push(SourceReport {
                    label: sanitize_line(&f.url),
                    articles: f.articles.len(),
                    failure: None,
                });
                outcome.articles.extend(f.articles);
                outcome
                    .warnings
                    .extend(f.warnings.into_iter().map(|message| Warning {
                        origin: String::new(),
                        message,
                    }));
            }
            // Offline or failing: the last good copy, when there is one, with a warning.
            Err(e) if let Some(mut articles) = fetch::cached(&e.url, opts) => {
                tracing::warn!(
                    source = %sanitize_line(&e.url),
                    articles = articles.len(),
                    ms = ms(),
                    "source loaded from the cached copy (the fetch failed)"
                );
                each(&sanitize_line(&e.url), &mut articles);
                outcome.warnings.push(Warning {
                    origin: String::new(),
                    message: sanitize_line(&format!("{e}; showing the cached copy")),
                });
                outcome.reports.push(SourceReport {
                    label: sanitize_line(&e.url),
                    articles: articles.len(),
                    failure: None,
                });
                outcome.articles.extend(articles);
            }
            Err(e) => {
                let message = e.to_string();
                tracing::warn!(
                    source = %sanitize_line(&e.url),
                    ms = ms(),
                    "source failed, no cached copy"
                );
                outcome.reports.push(SourceReport {
                    label: sanitize_line(&e.url),
                    articles: 0,
                    failure: Some(message.clone()),
                });
                // The error's text already names the URL.
                outcome.warnings.push(Warning {
                    origin: String::new(),
                    message: sanitize_line(&message),
                });
            }
        });
    }
    outcome
}

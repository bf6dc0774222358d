//! Sources: where articles come from (files and folders, the bundled samples, feeds, sync
//! servers), and loading them into owned articles plus warnings.

pub mod archive;
pub mod atomic;
pub mod cache;
pub mod decode;
pub mod extract;
pub mod feed;
pub mod fetch;
pub mod files;
pub mod fulltext;
pub mod greader;
pub mod head;
pub mod images;
pub mod markdown;
pub mod paths;
pub mod pipeline;
pub mod search_index;
pub mod snapshot;
pub mod store;
pub mod text;

use crate::core::model::Article;
use crate::core::render::Render;
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
    /// A Google Reader API server (from the config only: it needs credentials).
    GReader(Box<greader::GReaderSpec>),
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
            SourceSpec::GReader(g) => g.label(),
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
    if let Some(at) = a.stored() {
        let full = files::load_body(at, &a.id)?;
        a.words = full.words;
        a.body = full.body;
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
        .filter_map(|(i, a)| Some((i, (a.id.clone(), a.stored()?.clone()))))
        .collect();
    let (slots, wanted): (Vec<usize>, Vec<_>) = wanted.into_iter().unzip();
    let (found, warnings) = files::load_bodies(&wanted, true);
    for (j, full) in found {
        let a = &mut articles[slots[j]];
        a.words = full.words;
        a.body = full.body;
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
        if !a.blocks().is_empty() || a.pending().is_some() {
            a.unload(at.clone());
        }
    }
    let result = Ok((articles, Vec::new()));
    if let Some(stamp) = stamp {
        snap.record(&key, &key, "", stamp, &result);
    }
    result.ok().map(|(a, _)| a)
}

/// Loads every source with default fetch options.
pub fn load(specs: &[SourceSpec]) -> LoadOutcome {
    load_with(specs, &fetch::FetchOptions::default())
}

/// Loads every source, bodies and all, through the [`pipeline`] with nothing applied: files
/// are read and parsed in parallel, feed URLs fetched concurrently.
pub fn load_with(specs: &[SourceSpec], opts: &fetch::FetchOptions) -> LoadOutcome {
    let fetcher = fetch::Fetcher::new(opts.clone());
    let pipeline = pipeline::Pipeline {
        fetcher: &fetcher,
        archive: None,
        prepare: &|_, _| {},
        read: &|_, _| {},
        cached_first: false,
        warm: false,
        batch_every: std::time::Duration::MAX,
    };
    pipeline::collect(specs, &pipeline)
}

//! The one loading pipeline: each source read or fetched, prepared (the caller's config
//! applied), and reported as [`Event`]s as it goes. The reader turns the events into actions;
//! the commands [`collect`] them. Both therefore load, fall back and report the same way.
//!
//! Order: every source queued; with `cached_first` (the reader's start-up) the cached copies of
//! feed URLs, so they show at once and offline; local sources one by one, from the warm-start
//! snapshot when unchanged (saved right after them, so a slow network never costs the next
//! start its snapshot); then the feed URLs fetched concurrently, each reported as it arrives.
//! A feed that cannot be fetched falls back to its last good copy, with a warning.
//!
//! Sync servers (`SourceSpec::GReader`, see [`super::greader`]) are synced while the feeds are
//! fetched, one thread each: their articles go through the archive (under the server's URL),
//! their read and starred state comes with them ([`SourceDone::marks`]); with `cached_first`
//! the archived articles show first, and a server that cannot be reached gives them with a
//! warning. The data folder they keep their queue in is the archive's.

use super::archive::Archive;
use super::fetch::{FetchError, FetchErrorKind, Fetched, Fetcher};
use super::greader::{self, GReaderSpec, SyncOptions};
use super::snapshot::Snapshot;
use super::{LoadOutcome, SourceReport, SourceSpec, Warning, files};
use crate::core::model::Article;
use crate::core::sanitize::sanitize_line;
use crate::core::state::Mark;
use std::collections::HashSet;
use std::time::Duration;

/// How often a folder being read gives the articles read so far.
pub const BATCH_EVERY: Duration = Duration::from_millis(500);

/// A batch also waits this long per article given before it (unless `batch_every` is zero):
/// the reader rebuilds its library for each batch (about 1.4 µs per article), so batches come
/// less often as the library grows and the rebuilds stay a small part of a big load (at 330k
/// they had made it quadratic: a batch every half second, each rebuilding 300k articles).
pub const BATCH_PER_ARTICLE: Duration = Duration::from_micros(10);

/// How long a batch waits after the last one: `every`, and at least [`BATCH_PER_ARTICLE`] per
/// article `given` before (zero stays zero: a batch after every chunk).
pub fn batch_wait(every: Duration, given: usize) -> Duration {
    match every.is_zero() {
        true => Duration::ZERO,
        false => every.max(BATCH_PER_ARTICLE.saturating_mul(given.min(u32::MAX as usize) as u32)),
    }
}

/// What happens while sources load, in order.
#[derive(Debug)]
pub enum Event {
    /// A source waits its turn (every source, first).
    Queued(String),
    /// A source is being read or fetched.
    Loading(String),
    /// A problem that belongs to no one source (the snapshot).
    Warning(Warning),
    /// A folder being read: files read so far and in all, and articles read since the last
    /// report, prepared (at most every [`Pipeline::batch_every`]: shown as they come, without rebuilding
    /// the reader's library for every file).
    Reading {
        label: String,
        done: usize,
        total: usize,
        articles: Vec<Article>,
    },
    /// A source is done.
    Done(SourceDone),
    /// Every source whose articles are kept here (cached feed copies, archived servers, local
    /// folders) has reported: what follows comes from the network.
    StoredDone,
}

/// One source done: its articles, prepared, and how it went.
#[derive(Debug)]
pub struct SourceDone {
    /// As [`SourceSpec::label`] (for a feed URL, the sanitized URL).
    pub label: String,
    /// Its articles (but those already given by [`Event::Reading`]).
    pub articles: Vec<Article>,
    /// Articles already given by [`Event::Reading`].
    pub earlier: usize,
    /// Files read, for a local source.
    pub files: Option<usize>,
    pub warnings: Vec<Warning>,
    /// Why the source could not be read or fetched; `articles` may still hold its last good copy
    /// (then `cached` is true).
    pub failure: Option<String>,
    /// The articles are the cached copy of a feed (at start-up, not modified, or the fetch
    /// failed).
    pub cached: bool,
    /// How long the feed or its server says not to ask again: `<ttl>`, `sy:updatePeriod`,
    /// `Cache-Control`, `Expires`, or `Retry-After` after a 429/503.
    pub refresh_hint: Option<Duration>,
    /// Read and star marks the source knows (a sync server's state).
    pub marks: Vec<Mark>,
    /// What a sync with a server did (`None` for other sources).
    pub sync: Option<SyncSummary>,
}

/// What one sync did, for the reader's sources view and `tidings sync`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncSummary {
    pub new: usize,
    pub updated: usize,
    pub sent: usize,
    pub pending: usize,
    /// Each failure, naming the server.
    pub failures: Vec<String>,
}

impl SourceDone {
    /// True when the source gave articles to show (fresh or its last good copy).
    pub fn loaded(&self) -> bool {
        self.failure.is_none() || (self.cached && !self.articles.is_empty())
    }

    /// Every article the source gave, with those given earlier.
    pub fn count(&self) -> usize {
        self.earlier + self.articles.len()
    }
}

/// How to load.
pub struct Pipeline<'a> {
    pub fetcher: &'a Fetcher,
    /// Where every article seen in a feed is kept: a feed's current articles are merged into
    /// it, and those the feed no longer carries come back from it (see [`Archive::merge`]).
    pub archive: Option<&'a Archive>,
    /// Applied to each source's articles with the source's label (the config's names and
    /// categories) before they are reported.
    pub prepare: &'a (dyn Fn(&str, &mut Vec<Article>) + Sync),
    /// Given every source's articles as soon as they are read and prepared, before they are
    /// reported: a folder's a chunk of files at a time (the reader reads them for its story
    /// grouping and search while the next chunk is parsed).
    pub read: &'a (dyn Fn(&str, &[Article]) + Sync),
    /// Report the cached copies of feed URLs before anything else (the reader's start-up).
    pub cached_first: bool,
    /// Use the warm-start snapshot in the cache folder: local files unchanged since it are
    /// decoded rather than parsed, and local bodies stay on disk until needed
    /// ([`super::load_body`]). Off: everything parsed, bodies in memory.
    pub warm: bool,
    /// How often a folder being read gives the articles read so far ([`BATCH_EVERY`]; at
    /// least [`BATCH_PER_ARTICLE`] per article given before; zero: after every chunk).
    pub batch_every: Duration,
}

impl Pipeline<'_> {
    /// Loads `specs`, calling `each` for every event. Blocks until every source is done.
    pub fn run(&self, specs: &[SourceSpec], mut each: impl FnMut(Event) + Send) {
        let opts = self.fetcher.options();
        let mut snap = match self.warm {
            true => Snapshot::open(opts.cache_dir.as_deref()),
            false => Snapshot::open(None),
        };
        if let Some(w) = snap.take_warning() {
            each(Event::Warning(Warning::new("", w)));
        }
        for spec in specs {
            each(Event::Queued(spec.label()));
        }
        let urls: Vec<&String> = specs
            .iter()
            .filter_map(|s| match s {
                SourceSpec::Url(u) => Some(u),
                _ => None,
            })
            .collect();
        let mut shown = HashSet::new();
        // Articles given so far (see `BATCH_PER_ARTICLE`).
        let mut given = 0usize;
        if self.cached_first {
            for &url in &urls {
                if let Some(mut articles) = super::cached_feed(url, opts, &mut snap) {
                    shown.insert(url.clone());
                    let mut warnings = Vec::new();
                    self.archived(url, &mut articles, &mut warnings);
                    given += articles.len();
                    each(self.done(sanitize_line(url), articles, warnings, None, true));
                }
            }
        }
        let servers: Vec<&GReaderSpec> = specs
            .iter()
            .filter_map(|s| match s {
                SourceSpec::GReader(g) => Some(&**g),
                _ => None,
            })
            .collect();
        if self.cached_first {
            for &g in &servers {
                self.archived_server(g, &mut each);
            }
        }
        let mut local: Vec<&SourceSpec> = specs
            .iter()
            .filter(|s| !matches!(s, SourceSpec::Url(_) | SourceSpec::GReader(_)))
            .collect();
        // Shown as they come, on a cold start: the cheapest sources first, so that the first
        // headlines do not wait for a huge feed file to be parsed (the order of the library does
        // not depend on the order of loading). A warm start decodes every source quickly and
        // would only pay for the walk.
        if self.batch_every < Duration::MAX && local.len() > 1 && snap.is_empty() {
            local.sort_by_cached_key(|s| match s {
                SourceSpec::Path(p) => files::local_bytes(p),
                _ => 0,
            });
        }
        // The first batch goes at once, later ones every `batch_every` (none: never).
        let mut first_batch = self.batch_every < Duration::MAX;
        for spec in local {
            let label = spec.label();
            each(Event::Loading(label.clone()));
            let started = std::time::Instant::now();
            let (mut earlier, mut files, mut batch_at) = (0, None, started);
            // Articles at the start of `articles` already prepared and read.
            let mut ready = 0;
            let mut progress = |done, total, articles: &mut Vec<Article>| {
                files = Some(done);
                if articles.len() > ready {
                    let mut fresh = articles.split_off(ready);
                    (self.prepare)(&label, &mut fresh);
                    (self.read)(&label, &fresh);
                    articles.append(&mut fresh);
                    ready = articles.len();
                }
                let mut batch = Vec::new();
                let due = first_batch && !articles.is_empty()
                    || batch_at.elapsed() >= batch_wait(self.batch_every, given);
                if due && done < total {
                    first_batch = false;
                    batch = std::mem::take(articles);
                    ready = 0;
                    earlier += batch.len();
                    given += batch.len();
                    batch_at = std::time::Instant::now();
                }
                let label = label.clone();
                each(Event::Reading {
                    label,
                    done,
                    total,
                    articles: batch,
                });
            };
            let (articles, warnings, failure) = match spec {
                SourceSpec::Path(p) => {
                    files::load_path_with(p, self.warm.then_some(&mut snap), &mut progress)
                }
                _ => files::load_bundled(),
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
                Some(why) => {
                    tracing::warn!(source = %spec.label(), error = %why, ms, "source failed")
                }
            }
            given += articles.len();
            // A folder's articles were prepared and read as they came (`progress`).
            let mut done = match spec {
                SourceSpec::Path(_) => done_event(label, articles, warnings, failure, false),
                _ => self.done(label, articles, warnings, failure, false),
            };
            if let Event::Done(d) = &mut done {
                (d.earlier, d.files) = (earlier, files);
            }
            each(done);
        }
        if let Err(e) = snap.save() {
            let msg = format!("cannot save the start-up snapshot in the cache folder: {e}");
            each(Event::Warning(Warning::new("", msg)));
        }
        each(Event::StoredDone);
        for url in &urls {
            each(Event::Loading(sanitize_line(url)));
        }
        for g in &servers {
            each(Event::Loading(g.label()));
        }
        // Servers sync while the feeds are fetched.
        let each = std::sync::Mutex::new(each);
        let send = |e: Event| {
            if let Ok(mut each) = each.lock() {
                each(e)
            }
        };
        std::thread::scope(|scope| {
            for &g in &servers {
                let send = &send;
                scope.spawn(move || send(self.synced(g)));
            }
            if !urls.is_empty() {
                let urls = urls.into_iter().cloned().collect();
                let started = std::time::Instant::now();
                self.fetcher
                    .fetch_all(urls, |r| send(self.fetched(r, &shown, started)));
            }
        });
    }

    /// The data folder (the archive's), where a sync keeps its queue and marks.
    fn data_dir(&self) -> Option<&std::path::Path> {
        self.archive.and_then(|a| a.path().parent())
    }

    /// A server's articles as the archive holds them (the reader's start-up: shown at once,
    /// before the sync).
    fn archived_server(&self, g: &GReaderSpec, each: &mut impl FnMut(Event)) {
        let Some(archive) = self.archive else {
            return;
        };
        if let Ok(articles) = archive.articles_of(&g.url)
            && !articles.is_empty()
        {
            each(self.done(g.label(), articles, Vec::new(), None, true));
        }
    }

    /// One sync with a server, as an event: its articles (those of the archive when it could
    /// not be reached, with a warning), its marks and what it did.
    fn synced(&self, g: &GReaderSpec) -> Event {
        let opts = SyncOptions {
            fetcher: self.fetcher,
            archive: self.archive,
            data_dir: self.data_dir(),
        };
        let out = greader::pull_and_push(g, &opts);
        let label = g.label();
        let mut warnings: Vec<Warning> = out.warnings.iter().map(|w| Warning::new("", w)).collect();
        for f in &out.failures {
            let mut message = f.to_string();
            if out.offline && !out.articles.is_empty() {
                message.push_str("; showing the last synced articles");
            }
            warnings.push(Warning {
                origin: String::new(),
                message: sanitize_line(&message),
            });
        }
        let failure = match (out.offline, out.failures.first()) {
            (true, Some(f)) => Some(sanitize_line(&f.kind.to_string())),
            _ => None,
        };
        let cached = out.offline && !out.articles.is_empty();
        let summary = SyncSummary {
            new: out.new,
            updated: out.updated,
            sent: out.sent,
            pending: out.pending,
            failures: out.failures.iter().map(ToString::to_string).collect(),
        };
        let mut done = self.done(label, out.articles, warnings, failure, cached);
        if let Event::Done(d) = &mut done {
            d.marks = out.marks;
            d.sync = Some(summary);
        }
        done
    }

    /// Merges a feed's current articles into the archive and adds those it keeps that the feed
    /// no longer carries; a failing archive is a warning.
    fn archived(&self, url: &str, articles: &mut Vec<Article>, warnings: &mut Vec<Warning>) {
        let Some(archive) = self.archive else {
            return;
        };
        match archive.merge(url, articles) {
            Ok(merged) => {
                tracing::debug!(
                    source = %sanitize_line(url),
                    added = merged.added,
                    updated = merged.updated,
                    kept = merged.kept.len(),
                    "archive merged"
                );
                articles.extend(merged.kept);
            }
            Err(e) => warnings.push(Warning::new(
                "",
                format!("{e}: the articles of {url} could not be archived"),
            )),
        }
    }

    /// A source's articles prepared and read, as an event.
    fn done(
        &self,
        label: String,
        mut articles: Vec<Article>,
        warnings: Vec<Warning>,
        failure: Option<String>,
        cached: bool,
    ) -> Event {
        (self.prepare)(&label, &mut articles);
        (self.read)(&label, &articles);
        done_event(label, articles, warnings, failure, cached)
    }

    /// One feed's fetch as an event: its articles; or, when it failed, its last good copy
    /// (unless that was shown already) with a warning.
    fn fetched(
        &self,
        result: Result<Fetched, FetchError>,
        shown: &HashSet<String>,
        started: std::time::Instant,
    ) -> Event {
        let ms = started.elapsed().as_millis() as u64;
        // A damaged feed's warnings already name the URL.
        let bare = |message: String| Warning {
            origin: String::new(),
            message: sanitize_line(&message),
        };
        match result {
            Ok(f) => {
                let label = sanitize_line(&f.url);
                tracing::info!(
                    source = %label,
                    articles = f.articles.len(),
                    not_modified = f.not_modified,
                    ms,
                    "source loaded"
                );
                let mut warnings = f.warnings.into_iter().map(bare).collect();
                let mut articles = f.articles;
                self.archived(&f.url, &mut articles, &mut warnings);
                with_hint(
                    self.done(label, articles, warnings, None, f.not_modified),
                    f.refresh_hint,
                )
            }
            Err(e) => {
                let hint = match &e.kind {
                    FetchErrorKind::Busy { retry_after, .. } => Some(*retry_after),
                    FetchErrorKind::Deferred { until } => {
                        (*until - chrono::Utc::now()).to_std().ok()
                    }
                    _ => None,
                };
                with_hint(self.failed(e, shown, ms), hint)
            }
        }
    }

    /// A feed that could not be fetched: its cached copy, else what the archive holds, else
    /// nothing; the failure either way.
    fn failed(&self, e: FetchError, shown: &HashSet<String>, ms: u64) -> Event {
        let bare = |message: String| Warning {
            origin: String::new(),
            message: sanitize_line(&message),
        };
        let (label, reason) = (sanitize_line(&e.url), sanitize_line(&e.kind.to_string()));
        let copy = match shown.contains(&e.url) {
            true => None,
            false => super::fetch::cached(&e.url, self.fetcher.options()),
        };
        // Without a cached copy, what the archive holds (unless shown already).
        let kept = match (&copy, self.archive) {
            (None, Some(archive)) if !shown.contains(&e.url) => {
                archive.articles_of(&e.url).unwrap_or_default()
            }
            _ => Vec::new(),
        };
        match copy {
            Some(mut articles) => {
                tracing::warn!(
                    source = %label,
                    articles = articles.len(),
                    ms,
                    "source loaded from the cached copy (the fetch failed)"
                );
                let mut warnings = vec![bare(format!("{e}; showing the cached copy"))];
                self.archived(&e.url, &mut articles, &mut warnings);
                self.done(label, articles, warnings, Some(reason), true)
            }
            None if !kept.is_empty() => {
                tracing::warn!(
                    source = %label,
                    articles = kept.len(),
                    ms,
                    "source loaded from the archive (the fetch failed)"
                );
                let warning = bare(format!("{e}; showing the archived articles"));
                self.done(label, kept, vec![warning], Some(reason), true)
            }
            None => {
                tracing::warn!(source = %label, ms, "source failed");
                self.done(
                    label,
                    Vec::new(),
                    vec![bare(e.to_string())],
                    Some(reason),
                    false,
                )
            }
        }
    }
}

/// A source's articles, prepared and read, as an event.
fn done_event(
    label: String,
    articles: Vec<Article>,
    warnings: Vec<Warning>,
    failure: Option<String>,
    cached: bool,
) -> Event {
    Event::Done(SourceDone {
        label,
        articles,
        earlier: 0,
        files: None,
        refresh_hint: None,
        warnings,
        failure,
        cached,
        marks: Vec::new(),
        sync: None,
    })
}

/// The event with the refresh hint set (a `Done` event's).
fn with_hint(mut event: Event, hint: Option<Duration>) -> Event {
    if let Event::Done(d) = &mut event {
        d.refresh_hint = hint;
    }
    event
}

/// Runs the pipeline and gathers every source's articles, warnings and report.
pub fn collect(specs: &[SourceSpec], pipeline: &Pipeline<'_>) -> LoadOutcome {
    let mut outcome = LoadOutcome::default();
    pipeline.run(specs, |event| match event {
        Event::Queued(_) | Event::Loading(_) | Event::StoredDone => {}
        Event::Warning(w) => outcome.warnings.push(w),
        Event::Reading { articles, .. } => outcome.articles.extend(articles),
        Event::Done(d) => {
            outcome.reports.push(SourceReport {
                label: d.label.clone(),
                articles: d.count(),
                failure: if d.loaded() { None } else { d.failure },
            });
            // Articles are large: the bigger vector stays and the smaller one is moved into it
            // (its own place kept: earlier sources first), so a big archive is never copied
            // next to itself. A big source after a small one cost 24 MB of peak at 110k.
            if d.articles.len() > outcome.articles.len() {
                let earlier = std::mem::replace(&mut outcome.articles, d.articles);
                outcome.articles.splice(0..0, earlier);
            } else {
                outcome.articles.extend(d.articles);
            }
            outcome.warnings.extend(d.warnings);
        }
    });
    outcome
}

//! The worker: executes every [`Effect`] `update` asks for, through one `match`
//! ([`Worker::execute`]), and sends the results back as [`Action`]s on the app's channel. It owns
//! the process's one [`Fetcher`] (one tokio runtime, one HTTP client); slow jobs (loading
//! sources, reading bodies, fetching full stories) run on that runtime's blocking pool, so the
//! event loop never waits for them.

use super::app::Msg;
use crate::config::Config;
use crate::core::model::{Article, ArticleId};
use crate::core::state::{Action, Effect, FullText, Mark, SourceState, fetchable};
use crate::core::story::Prepared;
use crate::sources::archive::Archive;
use crate::sources::fetch::Fetcher;
use crate::sources::pipeline::{Event, Pipeline};
use crate::sources::search_index::{self, SearchIndex};
use crate::sources::store::Store;
use crate::sources::{self, SourceSpec};
use std::collections::{HashMap, VecDeque};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

/// Full stories of `full_text` sources fetched at once in the background (as feeds per host).
const FULL_AT_ONCE: usize = 2;

/// Everything a job needs, shared by the jobs in flight.
struct Inner {
    fetcher: Fetcher,
    /// The story grouping (issue 17), built as sources load; `None` with `stories = false`.
    stories: Option<Grouping>,
    archive: Option<Archive>,
    tx: Sender<Msg>,
    specs: Vec<SourceSpec>,
    config: Arc<Config>,
    store: Option<Store>,
    /// Full stories waiting to be fetched in the background, and how many jobs drain them
    /// (one lock for both, so no story is left behind by a job that is just ending).
    full: Mutex<(VecDeque<(ArticleId, String)>, usize)>,
    /// The articles of sync servers: their server (an index in `specs`), item id and the
    /// state the server last had, so a mark made here is queued with what changed.
    synced: Mutex<HashMap<ArticleId, ServerItem>>,
    /// Marks waiting to be saved, and whether a job is saving (one at a time, in order).
    marks: (Mutex<(Vec<Mark>, bool)>, std::sync::Condvar),
    /// The full-text index (opened at start), what waits to be indexed, and the latest
    /// search asked for (older ones still waiting are skipped).
    search: Search,
    /// The hash of the first-screen file as last read or written (an unchanged head is not
    /// written again), and whether the quit's save is done (a late save from the background
    /// must not put an older head over it).
    head_hash: Mutex<(Option<u64>, bool)>,
}

#[derive(Default)]
struct Search {
    index: Mutex<Option<Arc<SearchIndex>>>,
    queue: Mutex<Indexing>,
    latest: std::sync::atomic::AtomicU64,
    /// The ids the start-up load gave, so articles that left every source leave the index.
    seen: Mutex<Option<std::collections::HashSet<ArticleId>>>,
    /// A source failed during the start-up load (its articles may come back: keep them).
    failed: std::sync::atomic::AtomicBool,
}

/// Articles waiting to be indexed, and how far this run's indexing is.
#[derive(Default)]
struct Indexing {
    waiting: Vec<search_index::Pending>,
    running: bool,
    /// While the start-up load reads local files: indexing would take a core from parsing (a
    /// cold start at 110k spent a fifth of its CPU indexing while it parsed).
    held: bool,
    indexed: usize,
    total: usize,
}

/// An article of a sync server, as the worker knows it.
struct ServerItem {
    spec: usize,
    item: String,
    /// The server's (read, starred), once a sync this run has said; until then a mark sends
    /// both states.
    state: Option<(bool, bool)>,
}

/// Pauses before the reader tries again to send marks a server did not take: doubling from
/// 30 s, five tries (then the next sync or mark).
const RETRY_FIRST: std::time::Duration = std::time::Duration::from_secs(30);
const RETRIES: u32 = 5;

/// Executes effects for the reader. Cheap to clone.
#[derive(Clone)]
pub struct Worker(Arc<Inner>);

impl Worker {
    pub fn new(
        fetcher: Fetcher,
        archive: Option<Archive>,
        tx: Sender<Msg>,
        specs: Vec<SourceSpec>,
        config: Arc<Config>,
        store: Option<Store>,
    ) -> Worker {
        Worker(Arc::new(Inner {
            stories: (config.stories != Some(false)).then(Grouping::default),
            fetcher,
            archive,
            tx,
            specs,
            config,
            store,
            full: Mutex::new((VecDeque::new(), 0)),
            synced: Mutex::new(HashMap::new()),
            marks: Default::default(),
            search: Search::default(),
            head_hash: Mutex::new((None, false)),
        }))
    }

    /// Applies the archive's retention, then loads every source in the background, cached
    /// copies of feeds first. The stories of the last run come first, so a warm start shows
    /// them with its first headlines; the index rebuilt as the sources load corrects them.
    pub fn start(&self) -> Result<(), String> {
        let me = self.clone();
        self.0.fetcher.spawn_blocking(move || {
            me.send_head();
            me.prune();
            me.open_index();
            let stored = me.stored_stories();
            me.load(&me.0.specs, true);
            me.settle_stories(stored);
            me.settle_index();
        })
    }

    /// What the first-screen file of these sources and this config is keyed by.
    fn head_key(&self) -> u64 {
        let labels: Vec<String> = self.0.specs.iter().map(SourceSpec::label).collect();
        sources::head::key(&labels, self.0.config.file.as_deref())
    }

    /// Sends the first screen the last run saved (issue 15), before anything else loads.
    fn send_head(&self) {
        let Some(dir) = self.0.fetcher.options().cache_dir.as_deref() else {
            return;
        };
        let (head, warning) = sources::head::read(dir, self.head_key());
        if let Some(w) = warning {
            tracing::warn!("{w}");
        }
        if let Some(head) = head {
            tracing::info!(articles = head.articles.len(), "first screen from the head");
            if let Ok(mut last) = self.0.head_hash.lock() {
                last.0 = Some(head_hash(&head));
            }
            self.send(Action::Head(Box::new(head)));
        }
    }

    /// Saves the first screen for the next start, unless it is the one already there (one
    /// save at a time: the lock is held while writing). `last`: the quit's save, after which
    /// nothing is saved.
    pub fn save_head(&self, head: &crate::core::state::Head, last: bool) -> Result<(), String> {
        let Some(dir) = self.0.fetcher.options().cache_dir.as_deref() else {
            return Ok(());
        };
        let hash = head_hash(head);
        let Ok(mut saved) = self.0.head_hash.lock() else {
            return Ok(());
        };
        let (known, closed) = *saved;
        saved.1 |= last;
        if closed || known == Some(hash) {
            return Ok(());
        }
        let bytes = sources::head::encode(self.head_key(), head);
        sources::head::save(dir, &bytes)
            .map_err(|e| format!("cannot save the first screen in the cache folder: {e}"))?;
        saved.0 = Some(hash);
        Ok(())
    }

    /// Where the stories of the last run are kept: next to the snapshot.
    fn stories_path(&self) -> Option<std::path::PathBuf> {
        let on = self.0.stories.is_some();
        let dir = self.0.fetcher.options().cache_dir.as_ref()?;
        on.then(|| dir.join(STORIES_FILE))
    }

    /// Sends the stories saved by the last run; returns their ids.
    fn stored_stories(&self) -> Vec<crate::core::story::StoryId> {
        let Some(groups) = self.stories_path().and_then(|p| read_stories(&p)) else {
            return Vec::new();
        };
        let ids = groups.iter().map(|g| g.id.clone()).collect();
        if !groups.is_empty() {
            self.send(Action::Stories {
                changed: groups,
                removed: Vec::new(),
            });
        }
        ids
    }

    /// After the first load: drops the stored stories the rebuilt index does not have, and
    /// saves the index's stories for the next start.
    fn settle_stories(&self, stored: Vec<crate::core::story::StoryId>) {
        let Some(path) = self.stories_path() else {
            return;
        };
        let Some(groups) = self.0.stories.as_ref().and_then(Grouping::groups) else {
            return;
        };
        let now: std::collections::HashSet<_> = groups.iter().map(|g| g.id.clone()).collect();
        let removed: Vec<_> = stored.into_iter().filter(|id| !now.contains(id)).collect();
        if !removed.is_empty() {
            self.send(Action::Stories {
                changed: Vec::new(),
                removed,
            });
        }
        if let Err(e) = write_stories(&path, &groups) {
            tracing::warn!(error = %e, "the stories could not be saved for the next start");
        }
    }

    /// Removes what retention says goes from the archive (before anything is shown from it).
    fn prune(&self) {
        let Some(archive) = &self.0.archive else {
            return;
        };
        let marks = match &self.0.store {
            Some(store) => store.load().0,
            None => Vec::new(),
        };
        let marks = marks
            .into_iter()
            .map(|m| (m.id, (m.read, m.starred)))
            .collect();
        let rules = self.0.config.retention();
        match archive.prune(&rules, &marks, chrono::Utc::now(), false) {
            Ok(pruned) => tracing::info!(removed = pruned.len(), "archive pruned"),
            Err(e) => {
                self.send(Action::Warn(format!(
                    "{e}: the archive could not be pruned"
                )));
            }
        }
    }

    /// Does what `effect` asks: slow work in the background (its result arrives as an action),
    /// the rest at once. `Err` says what could not be done, for the status bar.
    pub fn execute(&self, effect: Effect) -> Result<(), String> {
        let me = self.clone();
        let background =
            |job: Box<dyn FnOnce(&Worker) + Send>| self.0.fetcher.spawn_blocking(move || job(&me));
        match effect {
            // `update` has marked the state as quitting; the loop ends.
            Effect::Quit => Ok(()),
            Effect::OpenUrl(url) => super::terminal::open_url(&url),
            Effect::SaveMarks(marks) => self.save_marks(marks),
            Effect::Reload(labels) => {
                let chosen: Vec<SourceSpec> = (self.0.specs.iter())
                    .filter(|s| labels.contains(&s.label()))
                    .cloned()
                    .collect();
                background(Box::new(move |w| w.load(&chosen, false)))
            }
            Effect::FetchFull { id, link } => background(Box::new(move |w| {
                let story = w.full_story(&id, &link);
                w.send(Action::FullLoaded {
                    id,
                    story,
                    auto: false,
                });
            })),
            Effect::NewArticles { count, categories } => self.on_new(count, &categories),
            Effect::FetchImage { id, url } => background(Box::new(move |w| {
                let picture = sources::images::fetch_image(&url, &w.0.fetcher).map(Arc::new);
                w.send(Action::ImageLoaded { id, url, picture });
            })),
            Effect::LoadBody { id, at } => background(Box::new(move |w| {
                let body =
                    sources::files::load_body(&at, &id).map(|a| (a.blocks().to_vec(), a.words));
                w.send(Action::BodyLoaded { id, body });
            })),
            Effect::Search { query, expression } => {
                use std::sync::atomic::Ordering;
                let ticket = self.0.search.latest.fetch_add(1, Ordering::SeqCst) + 1;
                background(Box::new(move |w| {
                    // A newer search makes this one moot.
                    if w.0.search.latest.load(Ordering::SeqCst) != ticket {
                        return;
                    }
                    let Some(index) = w.index() else { return };
                    match index.search(&expression) {
                        Ok(ids) => w.send(Action::SearchHits { query, ids }),
                        Err(e) => w.send(Action::Warn(format!("{e}: the search index failed"))),
                    };
                }))
            }
            // Off the event loop (its file is synced); on quit the shell saves at once.
            Effect::SaveHead(head) => background(Box::new(move |w| {
                if let Err(e) = w.save_head(&head, false) {
                    w.send(Action::Warn(e));
                }
            })),
        }
    }

    /// Sends an action to the app; false once the app is gone.
    fn send(&self, action: Action) -> bool {
        self.0.tx.send(Msg::Action(action)).is_ok()
    }

    /// Saves marks in the background, in order: what comes while a save runs is saved next,
    /// in one write (marking 110,000 articles read no longer holds the screen for the write).
    /// [`Worker::flush_marks`] waits for it all on the way out.
    fn save_marks(&self, marks: Vec<Mark>) -> Result<(), String> {
        if self.0.store.is_none() {
            return Err("no data folder: read and star marks are not saved".to_string());
        }
        let (lane, _) = &self.0.marks;
        let mut lane = lane.lock().map_err(|e| e.to_string())?;
        lane.0.extend(marks);
        if lane.1 {
            return Ok(());
        }
        lane.1 = true;
        drop(lane);
        let me = self.clone();
        let started = self.0.fetcher.spawn_blocking(move || me.drain_marks());
        if started.is_err() {
            // Nothing will save them: say so, and let the way out not wait for them.
            let (lane, done) = &self.0.marks;
            if let Ok(mut lane) = lane.lock() {
                lane.1 = false;
                done.notify_all();
            }
        }
        started
    }

    fn drain_marks(&self) {
        let (lane, done) = &self.0.marks;
        loop {
            let batch = {
                let Ok(mut lane) = lane.lock() else { return };
                if lane.0.is_empty() {
                    lane.1 = false;
                    done.notify_all();
                    return;
                }
                std::mem::take(&mut lane.0)
            };
            let Some(store) = &self.0.store else { continue };
            let saved = store.save(&batch).map_err(|e| e.to_string());
            if let Err(e) = saved.and_then(|_| self.queue_for_servers(&batch)) {
                self.send(Action::Warn(e));
            }
        }
    }

    /// Waits until every mark handed to the worker is saved (at most a minute: a data folder
    /// on a hung network file system must not keep the process forever).
    pub fn flush_marks(&self) {
        let (lane, done) = &self.0.marks;
        let Ok(mut guard) = lane.lock() else { return };
        let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while guard.1 {
            let left = until.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return;
            }
            match done.wait_timeout(guard, left) {
                Ok((g, _)) => guard = g,
                Err(_) => return,
            }
        }
    }

    /// Queues the marks of sync servers' articles (what changed from the server's state) and
    /// pushes them in the background.
    fn queue_for_servers(&self, marks: &[Mark]) -> Result<(), String> {
        let mut by_spec: HashMap<usize, Vec<sources::greader::queue::QueuedMark>> = HashMap::new();
        if let Ok(mut synced) = self.0.synced.lock() {
            for m in marks {
                let Some(known) = synced.get_mut(&m.id) else {
                    continue;
                };
                let (read, starred) = match known.state {
                    Some((r, s)) => (
                        (r != m.read).then_some(m.read),
                        (s != m.starred).then_some(m.starred),
                    ),
                    None => (Some(m.read), Some(m.starred)),
                };
                if read.is_none() && starred.is_none() {
                    continue;
                }
                known.state = Some((m.read, m.starred));
                by_spec
                    .entry(known.spec)
                    .or_default()
                    .push((known.item.clone(), read, starred));
            }
        }
        let Some(data_dir) = self.0.store.as_ref().map(|s| s.dir().to_path_buf()) else {
            return Ok(());
        };
        for (i, queued) in by_spec {
            let Some(SourceSpec::GReader(g)) = self.0.specs.get(i) else {
                continue;
            };
            let queue = sources::greader::queue::Queue::new(&data_dir, g);
            queue
                .add(&queued)
                .map_err(|e| format!("{}: marks not queued for the server: {e}", g.label()))?;
            let label = g.label();
            let waiting = move |pending| Action::MarksWaiting {
                label: label.clone(),
                pending,
            };
            self.send(waiting(queue.len()));
            let (me, g, dir) = (self.clone(), g.clone(), data_dir.clone());
            self.0.fetcher.spawn_blocking(move || {
                let opts = sources::greader::SyncOptions {
                    fetcher: &me.0.fetcher,
                    archive: None,
                    data_dir: Some(&dir),
                };
                let mut pause = RETRY_FIRST;
                for attempt in 0..=RETRIES {
                    if attempt > 0 {
                        std::thread::sleep(pause);
                        pause *= 2;
                    }
                    let (sent, pending, err) = sources::greader::push_pending(&g, &opts);
                    me.send(waiting(pending));
                    let alive = match &err {
                        Some(e) if attempt == 0 => me.send(Action::Warn(format!(
                            "{e}; {pending} mark(s) kept, to be sent again"
                        ))),
                        Some(_) => true,
                        None if sent > 0 => me.send(Action::Notice(format!(
                            "{}: {sent} mark(s) sent",
                            g.label()
                        ))),
                        None => true,
                    };
                    if err.is_none() || pending == 0 || !alive {
                        return;
                    }
                }
            })?;
        }
        Ok(())
    }

    /// Remembers the articles of a sync server and the state it gave them.
    fn remember_server_items(&self, label: &str, articles: &[Article], marks: &[Mark]) {
        let Some(spec) = (self.0.specs.iter())
            .position(|s| matches!(s, SourceSpec::GReader(g) if g.label() == label))
        else {
            return;
        };
        let Ok(mut synced) = self.0.synced.lock() else {
            return;
        };
        for a in articles {
            if let Some(item) = sources::greader::sync::item_of(a) {
                let known = synced.entry(a.id.clone()).or_insert(ServerItem {
                    spec,
                    item: item.to_string(),
                    state: None,
                });
                known.spec = spec;
            }
        }
        for m in marks {
            if let Some(known) = synced.get_mut(&m.id) {
                known.state = Some((m.read, m.starred));
            }
        }
    }

    /// Loads sources through the one pipeline, telling the reader about each as it goes; after
    /// a refresh (not the start-up), what it did as a notice.
    ///
    /// The articles are read for the story grouping and the search as soon as each chunk of
    /// files is parsed (on every core) and grouped into stories on a thread of their own: what
    /// a batch of articles changed is told after the batch. At start-up the grouping waits
    /// until the local files are read, then groups them at once (on a cold start at 110k it
    /// took a core from parsing: the whole library showed 0.4 s later).
    fn load(&self, specs: &[SourceSpec], cached_first: bool) {
        let config = &self.0.config;
        let mut done = Vec::new();
        if cached_first {
            self.hold_indexing(true);
        }
        std::thread::scope(|scope| {
            let (to_group, inbox) = std::sync::mpsc::channel::<ToGroup>();
            let grouper = std::thread::Builder::new()
                .name("stories".into())
                .spawn_scoped(scope, move || {
                    // At start-up, nothing is grouped until the local files are read (it would
                    // take a core from parsing them): the headlines first, then the stories,
                    // all at once; then the search index (see `hold_indexing`).
                    let mut waiting: Option<Vec<Prepared>> = cached_first.then(Vec::new);
                    for message in inbox {
                        match (message, &mut waiting) {
                            (ToGroup::Add(batch), Some(w)) => w.extend(batch),
                            (ToGroup::Tell, Some(_)) => {}
                            (ToGroup::Go, w) => {
                                if let Some(w) = w.take() {
                                    self.group(ToGroup::Add(w));
                                    self.group(ToGroup::Tell);
                                }
                                self.group(ToGroup::Go);
                            }
                            (m, None) => self.group(m),
                        }
                    }
                    if let Some(w) = waiting {
                        self.group(ToGroup::Add(w));
                    }
                    self.group(ToGroup::Tell);
                })
                .is_ok();
            // Without a thread of its own (none could be started), the grouping is done here.
            let group = |message: ToGroup| match grouper {
                true => {
                    let _ = to_group.send(message);
                }
                false => self.group(message),
            };
            let read = |_: &str, articles: &[Article]| {
                if let Some(batch) = self.prepare_stories(articles) {
                    group(ToGroup::Add(batch));
                }
                let texts = self.for_search(articles);
                self.send(texts);
            };
            let pipeline = Pipeline {
                fetcher: &self.0.fetcher,
                archive: self.0.archive.as_ref(),
                prepare: &|label, articles| {
                    config.apply(label, articles);
                    config.filters.drop_hidden(articles);
                },
                read: &read,
                cached_first,
                warm: true,
                batch_every: crate::sources::pipeline::BATCH_EVERY,
            };
            let stored = || group(ToGroup::Go);
            self.load_with(&pipeline, specs, &mut done, || group(ToGroup::Tell), stored);
            drop(to_group);
        });
        self.hold_indexing(false);
        if !cached_first && let Some(notice) = refresh_notice(&done) {
            self.send(Action::Notice(notice));
        }
        self.send(Action::LoadingDone);
    }

    /// Runs the pipeline, turning its events into actions; `tell_stories` is called after each
    /// batch of articles is sent, `stored` once the local sources are read.
    fn load_with(
        &self,
        pipeline: &Pipeline<'_>,
        specs: &[SourceSpec],
        done: &mut Vec<Summary>,
        tell_stories: impl Fn() + Sync,
        stored: impl Fn() + Sync,
    ) {
        let config = &self.0.config;
        let source = |label, state| Action::Source { label, state };
        pipeline.run(specs, |event| {
            let _ = match event {
                Event::Queued(label) => self.send(source(label, SourceState::Queued)),
                Event::Loading(label) => self.send(source(label, SourceState::Loading)),
                Event::Warning(w) => self.send(Action::Warn(w.to_string())),
                Event::StoredDone => {
                    // Local files are read: feeds are fetched over the network, and the story
                    // grouping, then the index, can have the cores (told after the reader
                    // knows).
                    let sent = self.send(Action::StoredLoaded);
                    stored();
                    sent
                }
                Event::Reading {
                    label,
                    done,
                    total,
                    articles,
                } => {
                    if !articles.is_empty() {
                        if config.full_text_for(&label) {
                            self.queue_full_stories(&articles);
                        }
                        self.read_by_rule(&articles);
                        let warnings = Vec::new();
                        self.send(Action::Loaded { articles, warnings });
                        tell_stories();
                    }
                    self.send(source(label, SourceState::Reading { done, total }))
                }
                Event::Done(d) => {
                    if config.full_text_for(&d.label) {
                        self.queue_full_stories(&d.articles);
                    }
                    self.read_by_rule(&d.articles);
                    if d.failure.is_some() {
                        (self.0.search.failed).store(true, std::sync::atomic::Ordering::SeqCst);
                    }
                    let state = match (&d.failure, &d.sync) {
                        (Some(reason), _) => SourceState::Failed(reason.clone()),
                        (None, Some(sync)) => SourceState::Synced {
                            articles: d.count(),
                            at: chrono::Local::now().format("%H:%M").to_string(),
                            pending: sync.pending,
                        },
                        (None, None) => SourceState::Loaded {
                            articles: d.count(),
                            cached: d.cached,
                        },
                    };
                    self.schedule(&d.label, d.refresh_hint);
                    done.push(Summary {
                        label: d.label.clone(),
                        files: d.files,
                        articles: d.count(),
                        cached: d.cached,
                        failure: d.failure.clone(),
                    });
                    let warnings = d.warnings.iter().map(ToString::to_string).collect();
                    self.remember_server_items(&d.label, &d.articles, &d.marks);
                    self.send(Action::Loaded {
                        articles: d.articles,
                        warnings,
                    });
                    tell_stories();
                    if !d.marks.is_empty() {
                        self.send(Action::ServerMarks(d.marks));
                    }
                    if let Some(sync) = &d.sync
                        && sync.failures.is_empty()
                    {
                        self.send(Action::Notice(format!(
                            "{}: synced: {} new, {} updated, {} mark(s) sent, {} waiting",
                            d.label, sync.new, sync.updated, sync.sent, sync.pending
                        )));
                    }
                    self.send(source(d.label, state))
                }
            };
        });
    }

    /// Opens the full-text index in the cache folder (in memory without one); a damaged one
    /// is started again with a warning.
    fn open_index(&self) {
        let (index, warning) = match &self.0.fetcher.options().cache_dir {
            Some(dir) => SearchIndex::open(dir),
            None => (SearchIndex::in_memory(), None),
        };
        if let Some(w) = warning {
            self.send(Action::Warn(w));
        }
        if let Ok(mut slot) = self.0.search.index.lock() {
            *slot = Some(Arc::new(index));
        }
        if let Ok(mut seen) = self.0.search.seen.lock() {
            *seen = Some(Default::default());
        }
    }

    fn index(&self) -> Option<Arc<SearchIndex>> {
        self.0.search.index.lock().ok()?.clone()
    }

    /// What search needs of loaded articles: those the index lacks are queued to be indexed
    /// in the background, and their headers' folded text is returned for the reader (so its
    /// first keystroke folds nothing).
    fn for_search(&self, articles: &[Article]) -> Action {
        use rayon::prelude::*;
        if let Ok(mut seen) = self.0.search.seen.lock()
            && let Some(seen) = seen.as_mut()
        {
            seen.extend(articles.iter().map(|a| a.id.clone()));
        }
        if let Some(index) = self.index() {
            self.index_later(search_index::pending(&index, articles));
        }
        Action::SearchTexts(
            articles
                .par_iter()
                .filter(|a| !a.has_body())
                .map(|a| (a.id.clone(), Arc::from(crate::core::search::index_text(a))))
                .collect(),
        )
    }

    /// Queues articles to be indexed; one background job indexes what is queued, telling the
    /// reader how far it is.
    fn index_later(&self, pending: Vec<search_index::Pending>) {
        if pending.is_empty() {
            return;
        }
        let Ok(mut q) = self.0.search.queue.lock() else {
            return;
        };
        q.total += pending.len();
        q.waiting.extend(pending);
        let (indexed, total) = (q.indexed, q.total);
        if q.running || q.held {
            drop(q);
            self.send(Action::IndexProgress { indexed, total });
            return;
        }
        q.running = true;
        drop(q);
        self.send(Action::IndexProgress { indexed, total });
        self.start_indexing();
    }

    /// Holds the indexing (`true`) or lets it go, starting the job when articles wait.
    fn hold_indexing(&self, held: bool) {
        let Ok(mut q) = self.0.search.queue.lock() else {
            return;
        };
        q.held = held;
        if held || q.running || q.waiting.is_empty() {
            return;
        }
        q.running = true;
        drop(q);
        self.start_indexing();
    }

    /// Starts the one job that indexes what is queued (`running` is set).
    fn start_indexing(&self) {
        let me = self.clone();
        let started = self.0.fetcher.spawn_blocking(move || me.drain_index());
        if started.is_err()
            && let Ok(mut q) = self.0.search.queue.lock()
        {
            q.running = false;
        }
    }

    /// Indexes what is queued until nothing is left.
    fn drain_index(&self) {
        let Some(index) = self.index() else { return };
        loop {
            let (batch, base) = {
                let Ok(mut q) = self.0.search.queue.lock() else {
                    return;
                };
                if q.waiting.is_empty() {
                    q.running = false;
                    return;
                }
                (std::mem::take(&mut q.waiting), q.indexed)
            };
            let result = search_index::index_pending(&index, batch, |n| {
                let Ok(mut q) = self.0.search.queue.lock() else {
                    return false;
                };
                q.indexed = base + n;
                let (indexed, total) = (q.indexed, q.total);
                drop(q);
                self.send(Action::IndexProgress { indexed, total })
            });
            match result {
                Ok(warnings) => {
                    for w in warnings {
                        tracing::warn!(warning = %w, "a story could not be read to be indexed");
                    }
                }
                Err(e) => {
                    // Searching bodies stops; titles still match. The next start tries again.
                    if let Ok(mut q) = self.0.search.queue.lock() {
                        q.waiting.clear();
                        q.indexed = q.total;
                        q.running = false;
                    }
                    self.send(Action::IndexProgress {
                        indexed: 0,
                        total: 0,
                    });
                    self.send(Action::Warn(format!(
                        "{e}: the search index could not be written; stories are searched by \
                         their titles until the next start"
                    )));
                    return;
                }
            }
        }
    }

    /// After the start-up load: articles no source gave any more leave the index, unless a
    /// source failed (its articles may come back).
    fn settle_index(&self) {
        let Some(seen) = self.0.search.seen.lock().ok().and_then(|mut s| s.take()) else {
            return;
        };
        if self
            .0
            .search
            .failed
            .load(std::sync::atomic::Ordering::SeqCst)
        {
            return;
        }
        if let Some(index) = self.index() {
            match index.retain(&seen) {
                Ok(n) if n > 0 => {
                    tracing::info!(removed = n, "articles gone from the search index")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "the search index could not be pruned"),
            }
        }
    }

    /// Runs the config's `on_new` program (no shell; the placeholders replaced in each
    /// argument after the split), not waiting for it.
    fn on_new(&self, count: usize, categories: &[String]) -> Result<(), String> {
        let Some(argv) = on_new_argv(&self.0.config.on_new, count, categories) else {
            return Ok(());
        };
        let child = std::process::Command::new(&argv[0])
            .args(&argv[1..])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        match child {
            Ok(mut child) => self.0.fetcher.spawn_blocking(move || {
                let _ = child.wait();
            }),
            Err(e) => Err(format!("on_new: cannot run {}: {e}", argv[0])),
        }
    }

    /// Reads the articles new to the story grouping for it (on every core; see
    /// [`Worker::add_stories`]); `None` with stories off or nothing new.
    fn prepare_stories(&self, articles: &[Article]) -> Option<Vec<Prepared>> {
        let g = self.0.stories.as_ref()?;
        let fresh: Vec<&Article> = {
            let mut sources = g.sources.lock().ok()?;
            (articles.iter())
                .filter(|a| sources.insert(a.id.clone(), a.source.clone()).is_none())
                .collect()
        };
        (!fresh.is_empty()).then(|| crate::core::story::prepare(&fresh))
    }

    /// Adds articles to the story grouping, or tells the reader what changed since it was last
    /// told (after the articles themselves).
    fn group(&self, message: ToGroup) {
        if let ToGroup::Go = message {
            self.hold_indexing(false);
            return;
        }
        let Some(g) = self.0.stories.as_ref() else {
            return;
        };
        let Ok(mut indexed) = g.index.lock() else {
            return;
        };
        let batch = match message {
            ToGroup::Add(batch) => batch,
            ToGroup::Tell => {
                let stories = g.tell(&mut indexed);
                drop(indexed);
                if let Some(stories) = stories {
                    self.send(stories);
                }
                return;
            }
            ToGroup::Go => return,
        };
        let added = indexed.index.add_prepared(batch);
        indexed.untold.extend(added.changed);
        indexed.untold.extend(added.removed);
    }

    /// Tells the reader which of these articles `mark_read` rules match (before they arrive).
    fn read_by_rule(&self, articles: &[Article]) {
        let ids: Vec<ArticleId> = (self.0.config.filters.read_by_rule(articles).iter())
            .map(|a| a.id.clone())
            .collect();
        if !ids.is_empty() {
            self.send(Action::ReadByRule(ids));
        }
    }

    /// Sets the source's next refresh: its `refresh_every`, never sooner than the feed or its
    /// server asks (`hint`); none without a `refresh_every`.
    fn schedule(&self, label: &str, hint: Option<std::time::Duration>) {
        let Some(spec) = self.0.specs.iter().find(|s| s.label() == label) else {
            return;
        };
        let Some(every) = self.0.config.refresh_every_for(spec) else {
            return;
        };
        let after = next_refresh(every, hint);
        let at = chrono::Utc::now() + chrono::Duration::from_std(after).unwrap_or_default();
        self.send(Action::Schedule {
            label: label.to_string(),
            at,
        });
    }

    /// An article's full story: the cached copy, else fetched (and cached).
    fn full_story(&self, id: &ArticleId, link: &str) -> Result<FullText, String> {
        let fetcher = &self.0.fetcher;
        let story = match sources::fulltext::cached_full(id, fetcher.options()) {
            Some(s) => s,
            None => sources::fulltext::fetch_full(id, link, fetcher).map_err(|e| e.to_string())?,
        };
        Ok(FullText {
            note: story.note(),
            blocks: story.blocks,
            words: story.words,
        })
    }

    /// Queues the full stories of a `full_text` source's articles, fetched in the background
    /// [`FULL_AT_ONCE`] at a time over all sources.
    fn queue_full_stories(&self, articles: &[Article]) {
        let jobs = articles.iter().filter_map(|a| {
            let link = a.link.as_deref().filter(|l| fetchable(l))?;
            Some((a.id.clone(), link.to_string()))
        });
        let Ok(mut full) = self.0.full.lock() else {
            return;
        };
        full.0.extend(jobs);
        while !full.0.is_empty() && full.1 < FULL_AT_ONCE {
            let me = self.clone();
            if self
                .0
                .fetcher
                .spawn_blocking(move || me.drain_full())
                .is_err()
            {
                return;
            }
            full.1 += 1;
        }
    }

    /// Fetches queued full stories until the queue is empty (or the app is gone).
    fn drain_full(&self) {
        loop {
            let next = match self.0.full.lock() {
                Ok(mut full) => match full.0.pop_front() {
                    Some(job) => job,
                    None => {
                        full.1 -= 1;
                        return;
                    }
                },
                Err(_) => return,
            };
            let (id, link) = next;
            let story = self.full_story(&id, &link);
            if !self.send(Action::FullLoaded {
                id,
                story,
                auto: true,
            }) {
                if let Ok(mut full) = self.0.full.lock() {
                    full.1 -= 1;
                }
                return;
            }
        }
    }
}

/// A head's fingerprint, to tell an unchanged one (its encoding hashed; the key left out).
fn head_hash(head: &crate::core::state::Head) -> u64 {
    crate::core::model::fnv1a64(&sources::head::encode(0, head))
}

/// `on_new` with `{count}` and `{categories}` replaced in every argument (the text sanitized,
/// the program never through a shell); `None` without a program.
fn on_new_argv(template: &[String], count: usize, categories: &[String]) -> Option<Vec<String>> {
    template.first()?;
    let list = categories
        .iter()
        .map(|c| crate::core::sanitize::sanitize_line(c))
        .collect::<Vec<_>>()
        .join(", ");
    let list = if list.is_empty() {
        "no category".to_string()
    } else {
        list
    };
    Some(
        template
            .iter()
            .map(|a| {
                a.replace("{count}", &count.to_string())
                    .replace("{categories}", &list)
            })
            .collect(),
    )
}

/// The wait before a source's next refresh: its interval, or longer when the feed or its
/// server asks (never sooner).
fn next_refresh(
    every: std::time::Duration,
    hint: Option<std::time::Duration>,
) -> std::time::Duration {
    hint.map_or(every, |h| h.max(every))
}

/// The worker's story index and each article's source (for "also in"), with their own locks:
/// the articles of a source are read for the index ([`Worker::prepare_stories`], which
/// records their sources) while the index adds the previous ones. Locked in this order.
#[derive(Default)]
struct Grouping {
    index: Mutex<Indexed>,
    sources: Mutex<std::collections::HashMap<ArticleId, Arc<str>>>,
}

/// The story index, and the stories changed or gone since the reader was last told.
#[derive(Default)]
struct Indexed {
    index: crate::core::story::StoryIndex,
    untold: std::collections::HashSet<crate::core::story::StoryId>,
}

/// What the thread that groups stories is asked.
enum ToGroup {
    /// Add these articles.
    Add(Vec<Prepared>),
    /// Tell the reader what changed.
    Tell,
    /// Local files are read: what waits can be grouped, then the search index built.
    Go,
}

impl Grouping {
    /// The stories changed since the reader was last told, as it is told them: a story of one
    /// version is no story to show (it may have been one before).
    fn tell(&self, indexed: &mut Indexed) -> Option<Action> {
        if indexed.untold.is_empty() {
            return None;
        }
        let sources = self.sources.lock().ok()?;
        let source = |m: &ArticleId| sources.get(m).cloned().unwrap_or_else(|| "".into());
        let index = &indexed.index;
        let (mut changed, mut removed) = (Vec::new(), Vec::new());
        let mut untold: Vec<_> = indexed.untold.drain().collect();
        untold.sort_unstable();
        for id in untold {
            let members = index.members(&id);
            if members.len() < 2 {
                removed.push(id);
                continue;
            }
            changed.push(crate::core::state::StoryGroup {
                members: members.iter().map(|m| (m.clone(), source(m))).collect(),
                representative: (index.representative(&id).cloned())
                    .unwrap_or_else(|| members[0].clone()),
                id,
            });
        }
        Some(Action::Stories { changed, removed })
    }

    /// Every story of two or more versions, as the reader is told them.
    fn groups(&self) -> Option<Vec<crate::core::state::StoryGroup>> {
        let indexed = self.index.lock().ok()?;
        let index = &indexed.index;
        let sources = self.sources.lock().ok()?;
        let source = |m: &ArticleId| sources.get(m).cloned().unwrap_or_else(|| "".into());
        let groups = (index.groups().into_iter())
            .map(|(id, members)| crate::core::state::StoryGroup {
                id: id.clone(),
                members: members.iter().map(|m| (m.clone(), source(m))).collect(),
                representative: (index.representative(id).cloned())
                    .unwrap_or_else(|| members[0].clone()),
            })
            .collect();
        Some(groups)
    }
}

/// The stories of the last run, in the cache folder next to the snapshot.
const STORIES_FILE: &str = "stories.json";

/// One stored story: its id, its representative, and each version with its source.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredStory {
    id: String,
    representative: String,
    members: Vec<(String, String)>,
}

/// Saves the stories (atomically: a crash leaves the old file or the new one).
fn write_stories(
    path: &std::path::Path,
    groups: &[crate::core::state::StoryGroup],
) -> std::io::Result<()> {
    let stored: Vec<StoredStory> = groups
        .iter()
        .map(|g| StoredStory {
            id: g.id.as_str().to_string(),
            representative: g.representative.as_str().to_string(),
            members: (g.members.iter())
                .map(|(m, s)| (m.as_str().to_string(), s.to_string()))
                .collect(),
        })
        .collect();
    let json = serde_json::to_vec(&stored).map_err(std::io::Error::other)?;
    crate::sources::atomic::write_atomic(path, &json)
}

/// The stories saved by [`write_stories`]; `None` when there are none or the file is damaged
/// (the index rebuilt at start replaces them anyway).
fn read_stories(path: &std::path::Path) -> Option<Vec<crate::core::state::StoryGroup>> {
    use crate::core::story::StoryId;
    let stored: Vec<StoredStory> = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    let id = |s: &str| ArticleId::parse(s);
    stored
        .into_iter()
        .map(|s| {
            Some(crate::core::state::StoryGroup {
                id: StoryId::of_article(id(&s.id)?),
                representative: id(&s.representative)?,
                members: (s.members.into_iter())
                    .map(|(m, src)| {
                        Some((
                            id(&m)?,
                            Arc::from(crate::core::sanitize::sanitize_line(&src)),
                        ))
                    })
                    .collect::<Option<Vec<_>>>()?,
            })
        })
        .filter(|g| g.as_ref().is_none_or(|g| g.members.len() > 1))
        .collect()
}

/// How one source fared in a refresh.
struct Summary {
    label: String,
    files: Option<usize>,
    articles: usize,
    cached: bool,
    failure: Option<String>,
}

/// What a refresh did, in a line: "articles: re-read 8 files (25 articles)" for one source, a
/// count for several.
fn refresh_notice(done: &[Summary]) -> Option<String> {
    use crate::core::text::count;
    let plural =
        |n: usize, one: &str| format!("{} {one}{}", count(n), if n == 1 { "" } else { "s" });
    match done {
        [] => None,
        [one] => Some(match (&one.failure, one.files) {
            (Some(why), _) => format!("{}: failed: {why}", one.label),
            (None, Some(files)) => format!(
                "{}: re-read {} ({})",
                one.label,
                plural(files, "file"),
                plural(one.articles, "article")
            ),
            (None, None) if one.cached => format!(
                "{}: not modified ({})",
                one.label,
                plural(one.articles, "article")
            ),
            (None, None) => format!("{}: {}", one.label, plural(one.articles, "article")),
        }),
        many => {
            let files: usize = many.iter().filter_map(|s| s.files).sum();
            let articles: usize = many.iter().map(|s| s.articles).sum();
            let failed = many.iter().filter(|s| s.failure.is_some()).count();
            let mut text = format!("refreshed {}", plural(many.len(), "source"));
            if files > 0 {
                text.push_str(&format!(", re-read {}", plural(files, "file")));
            }
            text.push_str(&format!(", {}", plural(articles, "article")));
            if failed > 0 {
                text.push_str(&format!(", {failed} failed (S to see)"));
            }
            Some(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Summary, refresh_notice};

    fn summary(
        label: &str,
        files: Option<usize>,
        articles: usize,
        failure: Option<&str>,
    ) -> Summary {
        Summary {
            label: label.to_string(),
            files,
            articles,
            cached: false,
            failure: failure.map(str::to_string),
        }
    }

    #[test]
    fn refreshes_are_never_sooner_than_asked_and_on_new_fills_its_arguments() {
        use super::{next_refresh, on_new_argv};
        use std::time::Duration;
        let m = Duration::from_secs(60);
        assert_eq!(next_refresh(30 * m, None), 30 * m);
        assert_eq!(
            next_refresh(30 * m, Some(60 * m)),
            60 * m,
            "<ttl>60</ttl> wins"
        );
        assert_eq!(
            next_refresh(30 * m, Some(2 * m)),
            30 * m,
            "never sooner than configured"
        );
        let template: Vec<String> = ["notify-send", "tidings", "{count} new in {categories}"]
            .map(String::from)
            .to_vec();
        let cats = ["World News".to_string(), "Tech\u{1b}[31m".to_string()];
        assert_eq!(
            on_new_argv(&template, 12, &cats).unwrap(),
            ["notify-send", "tidings", "12 new in World News, Tech"]
        );
        // A category with a `;` or `$(…)` stays one argument: no shell ever sees it.
        let sneaky = ["a; rm -rf ~ $(x)".to_string()];
        assert_eq!(
            on_new_argv(&template, 1, &sneaky).unwrap()[2],
            "1 new in a; rm -rf ~ $(x)"
        );
        assert_eq!(on_new_argv(&[], 1, &cats), None);
    }

    #[test]
    fn stories_saved_for_the_next_start_read_back_and_damage_is_ignored() {
        use super::{read_stories, write_stories};
        use crate::core::model::ArticleId;
        use crate::core::state::StoryGroup;
        use crate::core::story::StoryId;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stories.json");
        let (a, b) = (ArticleId::from_key("a"), ArticleId::from_key("b"));
        let groups = vec![StoryGroup {
            id: StoryId::of_article(a.clone()),
            members: vec![
                (a.clone(), "Harbour Wire".into()),
                (b.clone(), "Meridian".into()),
            ],
            representative: b.clone(),
        }];
        write_stories(&path, &groups).unwrap();
        assert_eq!(read_stories(&path), Some(groups));
        std::fs::write(&path, b"[{\"id\": 3").unwrap();
        assert_eq!(read_stories(&path), None, "a damaged file gives nothing");
        assert_eq!(read_stories(&dir.path().join("none.json")), None);
    }

    #[test]
    fn a_refresh_says_what_it_did() {
        assert_eq!(refresh_notice(&[]), None);
        assert_eq!(
            refresh_notice(&[summary("articles", Some(8), 25, None)]).as_deref(),
            Some("articles: re-read 8 files (25 articles)")
        );
        assert_eq!(
            refresh_notice(&[summary("a.txt", Some(1), 1, None)]).as_deref(),
            Some("a.txt: re-read 1 file (1 article)")
        );
        let mut feed = summary("https://x/feed", None, 12, None);
        feed.cached = true;
        assert_eq!(
            refresh_notice(&[feed]).as_deref(),
            Some("https://x/feed: not modified (12 articles)")
        );
        assert_eq!(
            refresh_notice(&[summary("https://x/f", None, 0, Some("HTTP 404 Not Found"))])
                .as_deref(),
            Some("https://x/f: failed: HTTP 404 Not Found")
        );
        let many = [
            summary("articles", Some(11003), 11003, None),
            summary("https://x/f", None, 20, None),
            summary("https://y/f", None, 0, Some("timed out")),
        ];
        assert_eq!(
            refresh_notice(&many).as_deref(),
            Some("refreshed 3 sources, re-read 11,003 files, 11,023 articles, 1 failed (S to see)")
        );
    }
}

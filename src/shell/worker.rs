//! The worker: executes every [`Effect`] `update` asks for, through one `match`
//! ([`Worker::execute`]), and sends the results back as [`Action`]s on the app's channel. It owns
//! the process's one [`Fetcher`] (one tokio runtime, one HTTP client); slow jobs (loading
//! sources, reading bodies, fetching full stories) run on that runtime's blocking pool, so the
//! event loop never waits for them.

use super::app::Msg;
use crate::config::Config;
use crate::core::model::{Article, ArticleId};
use crate::core::state::{Action, Effect, FullText, Mark, SourceState, fetchable};
use crate::sources::fetch::Fetcher;
use crate::sources::pipeline::{Event, Pipeline};
use crate::sources::store::Store;
use crate::sources::{self, SourceSpec};
use std::collections::VecDeque;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

/// Full stories of `full_text` sources fetched at once in the background (as feeds per host).
const FULL_AT_ONCE: usize = 2;

/// Everything a job needs, shared by the jobs in flight.
struct Inner {
    fetcher: Fetcher,
    tx: Sender<Msg>,
    specs: Vec<SourceSpec>,
    config: Arc<Config>,
    store: Option<Store>,
    /// Full stories waiting to be fetched in the background, and how many jobs drain them
    /// (one lock for both, so no story is left behind by a job that is just ending).
    full: Mutex<(VecDeque<(ArticleId, String)>, usize)>,
}

/// Executes effects for the reader. Cheap to clone.
#[derive(Clone)]
pub struct Worker(Arc<Inner>);

impl Worker {
    pub fn new(
        fetcher: Fetcher,
        tx: Sender<Msg>,
        specs: Vec<SourceSpec>,
        config: Arc<Config>,
        store: Option<Store>,
    ) -> Worker {
        Worker(Arc::new(Inner {
            fetcher,
            tx,
            specs,
            config,
            store,
            full: Mutex::new((VecDeque::new(), 0)),
        }))
    }

    /// Loads every source in the background, cached copies of feeds first.
    pub fn start(&self) -> Result<(), String> {
        let me = self.clone();
        self.0
            .fetcher
            .spawn_blocking(move || me.load(&me.0.specs, true))
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
            Effect::LoadBody { id, at } => background(Box::new(move |w| {
                let body = sources::files::load_body(&at, &id).map(|a| (a.blocks, a.words));
                w.send(Action::BodyLoaded { id, body });
            })),
            // In batches, so a search shows what it finds while the rest is read.
            Effect::LoadBodyTexts(wanted) => background(Box::new(move |w| {
                sources::body_texts(wanted, |texts, done| {
                    w.send(Action::BodyTexts { texts, done })
                })
            })),
        }
    }

    /// Sends an action to the app; false once the app is gone.
    fn send(&self, action: Action) -> bool {
        self.0.tx.send(Msg::Action(action)).is_ok()
    }

    fn save_marks(&self, marks: Vec<Mark>) -> Result<(), String> {
        let Some(store) = &self.0.store else {
            return Err("no data folder: read and star marks are not saved".to_string());
        };
        let rows: Vec<_> = marks.into_iter().map(<(_, _, _)>::from).collect();
        store.try_save(&rows).map(|_| ()).map_err(|e| e.to_string())
    }

    /// Loads sources through the one pipeline, telling the reader about each as it goes.
    fn load(&self, specs: &[SourceSpec], cached_first: bool) {
        let config = &self.0.config;
        let pipeline = Pipeline {
            fetcher: &self.0.fetcher,
            prepare: &|label, articles| config.apply(label, articles),
            cached_first,
            warm: true,
        };
        let source = |label, state| Action::Source { label, state };
        pipeline.run(specs, |event| {
            let _ = match event {
                Event::Queued(label) => self.send(source(label, SourceState::Queued)),
                Event::Loading(label) => self.send(source(label, SourceState::Loading)),
                Event::Warning(w) => self.send(Action::Warn(w.to_string())),
                Event::Done(d) => {
                    if config.full_text_for(&d.label) {
                        self.queue_full_stories(&d.articles);
                    }
                    let state = match &d.failure {
                        Some(reason) => SourceState::Failed(reason.clone()),
                        None => SourceState::Loaded {
                            articles: d.articles.len(),
                            cached: d.cached,
                        },
                    };
                    let warnings = d.warnings.iter().map(ToString::to_string).collect();
                    self.send(Action::Loaded {
                        articles: d.articles,
                        warnings,
                    });
                    self.send(source(d.label, state))
                }
            };
        });
        self.send(Action::LoadingDone);
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
        let jobs = articles
            .iter()
            .filter_map(|a| Some((a.id.clone(), a.link.clone().filter(|l| fetchable(l))?)));
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

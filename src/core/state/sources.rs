//! The sources: each one and how it is doing, the config's names for them, whether any is
//! loading, and the spinner frame shown meanwhile.

use super::{Action, Effect, State};
use std::collections::HashMap;

/// Where a source is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceState {
    Queued,
    Loading,
    /// A folder being read: files read so far, and in all.
    Reading {
        done: usize,
        total: usize,
    },
    Loaded {
        articles: usize,
        cached: bool,
    },
    Failed(String),
    /// A sync server, synced: its articles, when (local time, as shown) and the marks still
    /// waiting to be sent to it.
    Synced {
        articles: usize,
        at: String,
        pending: usize,
    },
}

impl SourceState {
    fn busy(&self) -> bool {
        matches!(
            self,
            SourceState::Queued | SourceState::Loading | SourceState::Reading { .. }
        )
    }
}

/// One row of the sources view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceStatus {
    pub label: String,
    pub state: SourceState,
}

#[derive(Debug, Default)]
pub struct Sources {
    /// Every source and how it is doing, in the order given.
    pub(super) statuses: Vec<SourceStatus>,
    /// The config's names for sources, by label (shown in the sources view).
    pub(super) names: HashMap<String, String>,
    /// Until every source has reported (and again while some reload).
    pub(super) loading: bool,
    /// Spinner frame.
    pub(super) spinner: usize,
    /// What the last refresh did, until the next one starts.
    pub(super) notice: Option<String>,
}

impl Sources {
    pub(super) fn statuses(&self) -> &[SourceStatus] {
        &self.statuses
    }

    /// The config's name for a source.
    pub(super) fn name_of(&self, label: &str) -> Option<&str> {
        self.names.get(label).map(String::as_str)
    }

    /// `(done, total)` over the sources, while any is queued or loading.
    pub(super) fn progress(&self) -> Option<(usize, usize)> {
        let busy = self.statuses.iter().filter(|s| s.state.busy()).count();
        (busy > 0).then(|| (self.statuses.len() - busy, self.statuses.len()))
    }

    /// `(files read, files in all)` over the folders being read, if any.
    pub(super) fn files_progress(&self) -> Option<(usize, usize)> {
        self.statuses
            .iter()
            .filter_map(|s| match s.state {
                SourceState::Reading { done, total } => Some((done, total)),
                _ => None,
            })
            .reduce(|a, b| (a.0 + b.0, a.1 + b.1))
    }

    /// The source an origin (a file or URL) came from: the one whose label is the origin or a
    /// folder above it.
    pub(super) fn source_of(&self, origin: &str) -> Option<&str> {
        self.statuses
            .iter()
            .map(|s| s.label.as_str())
            .filter(|l| {
                origin == *l
                    || origin
                        .strip_prefix(l)
                        .is_some_and(|rest| rest.starts_with('/') || l.ends_with('/'))
            })
            .max_by_key(|l| l.len())
    }

    /// Adds a source, or updates it by label.
    fn set(&mut self, label: String, state: SourceState) {
        match self.statuses.iter_mut().find(|s| s.label == label) {
            Some(s) => s.state = state,
            None => self.statuses.push(SourceStatus { label, state }),
        }
    }

    /// Marks the sources among `labels` that are not loading already as loading again; returns
    /// them.
    fn reload(&mut self, labels: Vec<String>) -> Vec<String> {
        let labels: Vec<String> = labels
            .into_iter()
            .filter(|l| {
                self.statuses
                    .iter()
                    .any(|s| &s.label == l && !s.state.busy())
            })
            .collect();
        for s in self
            .statuses
            .iter_mut()
            .filter(|s| labels.contains(&s.label))
        {
            s.state = SourceState::Loading;
        }
        if !labels.is_empty() {
            self.loading = true;
        }
        labels
    }
}

impl State {
    /// Sources reporting, the spinner, the config's names, and `r`/`R`.
    pub(super) fn on_sources(&mut self, action: Action) -> Vec<Effect> {
        let labels = match action {
            Action::Source { label, state } => {
                // Failures reach the warnings through `Loaded`; this only tracks the state.
                self.sources.set(label, state);
                return Vec::new();
            }
            Action::Notice(text) => {
                self.sources.notice = Some(text);
                return Vec::new();
            }
            Action::SourceNames(names) => {
                self.sources.names = names;
                return Vec::new();
            }
            Action::Tick => {
                self.sources.spinner = self.sources.spinner.wrapping_add(1);
                return Vec::new();
            }
            Action::Refresh => {
                let article = self
                    .reader
                    .open
                    .as_ref()
                    .map(|r| r.article)
                    .or_else(|| self.selected_article());
                match article.and_then(|a| self.source_of(a)) {
                    Some(label) => vec![label.to_string()],
                    None => return Vec::new(),
                }
            }
            Action::RefreshAll => self
                .sources
                .statuses
                .iter()
                .map(|s| s.label.clone())
                .collect(),
            _ => return Vec::new(),
        };
        let labels = self.sources.reload(labels);
        if labels.is_empty() {
            return Vec::new();
        }
        self.sources.notice = None;
        vec![Effect::Reload(labels)]
    }
}

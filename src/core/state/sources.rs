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

/// What a line of the sources view is, so the UI can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceLineKind {
    Loaded,
    Busy,
    Failed,
    /// One of a source's warnings (a skipped file, a damaged feed).
    Warning,
    /// The title over warnings no source claims.
    Heading,
    Blank,
}

/// One line of the sources view, wrapped to its width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    pub kind: SourceLineKind,
    pub text: String,
}

/// `(mark, what)` for a source's state: `("✓", "8 articles (from cache)")`.
pub fn describe(state: &SourceState) -> (&'static str, String) {
    match state {
        SourceState::Queued => ("·", "queued".to_string()),
        SourceState::Loading => ("⟳", "loading…".to_string()),
        SourceState::Reading { done, total } => (
            "⟳",
            format!(
                "reading {}/{} files…",
                crate::core::text::count(*done),
                crate::core::text::count(*total)
            ),
        ),
        SourceState::Loaded { articles, cached } => (
            "✓",
            format!(
                "{articles} article{}{}",
                if *articles == 1 { "" } else { "s" },
                if *cached { " (from cache)" } else { "" }
            ),
        ),
        SourceState::Failed(reason) => ("✗", format!("failed: {reason}")),
        SourceState::Synced {
            articles,
            at,
            pending,
        } => (
            "✓",
            format!(
                "{articles} article{}, synced at {at}{}",
                if *articles == 1 { "" } else { "s" },
                match pending {
                    0 => String::new(),
                    1 => ", 1 mark waiting to be sent".to_string(),
                    n => format!(", {n} marks waiting to be sent"),
                }
            ),
        ),
    }
}

/// Wraps `text` to `width` columns (at word boundaries; a word longer than a line, such as a
/// long path, is cut only then), `first` before the first line and `rest` before the others.
fn wrap_into(
    out: &mut Vec<SourceLine>,
    kind: SourceLineKind,
    text: &str,
    first: &str,
    rest: &str,
    width: usize,
) {
    let indent = crate::core::text::width(first).max(crate::core::text::width(rest));
    let opts = textwrap::Options::new(width.saturating_sub(indent).max(1)).break_words(true);
    for (i, l) in textwrap::wrap(text, opts).into_iter().enumerate() {
        let lead = if i == 0 { first } else { rest };
        out.push(SourceLine {
            kind,
            text: format!("{lead}{l}"),
        });
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
    /// When each source with a `refresh_every` is loaded again.
    pub(super) timers: HashMap<String, chrono::DateTime<chrono::Utc>>,
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
    /// The sources view's text for `width` columns: each source (its config name, where it is,
    /// how it is doing and how many warnings it had), its warnings under it (named relative to
    /// the source), then the warnings no source claims. Every line wrapped, nothing cut.
    pub fn source_lines(&self, width: usize) -> Vec<SourceLine> {
        let labels = || self.sources.statuses.iter().map(|s| s.label.as_str());
        let mut by_source: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut other: Vec<&str> = Vec::new();
        for w in self.warnings.list() {
            match super::warnings::source_of_warning(w, labels()) {
                Some(l) => by_source.entry(l).or_default().push(w),
                None => other.push(w),
            }
        }
        let mut out = Vec::new();
        if self.sources.statuses.is_empty() {
            out.push(SourceLine {
                kind: SourceLineKind::Blank,
                text: "No sources yet.".into(),
            });
        }
        for s in &self.sources.statuses {
            let (mark, what) = describe(&s.state);
            let kind = match s.state {
                SourceState::Loaded { .. } => SourceLineKind::Loaded,
                SourceState::Failed(_) => SourceLineKind::Failed,
                _ => SourceLineKind::Busy,
            };
            let warnings = by_source.remove(s.label.as_str()).unwrap_or_default();
            let label = match self.sources.name_of(&s.label) {
                Some(name) => format!("{name} · {}", s.label),
                None => s.label.clone(),
            };
            let count = match warnings.len() {
                0 => String::new(),
                1 => " · 1 warning".to_string(),
                n => format!(" · {n} warnings"),
            };
            let first = format!("{mark} ");
            wrap_into(
                &mut out,
                kind,
                &format!("{label} — {what}{count}"),
                &first,
                "  ",
                width,
            );
            for w in warnings {
                // Named from the source: `empty.txt: empty file` under `/news`.
                let rest = w[s.label.len()..].trim_start_matches(['/', ':', ' ']);
                let text = if rest.is_empty() { w } else { rest };
                wrap_into(
                    &mut out,
                    SourceLineKind::Warning,
                    text,
                    "  ⚠ ",
                    "    ",
                    width,
                );
            }
        }
        if !other.is_empty() {
            if !out.is_empty() {
                out.push(SourceLine {
                    kind: SourceLineKind::Blank,
                    text: String::new(),
                });
            }
            out.push(SourceLine {
                kind: SourceLineKind::Heading,
                text: if self.sources.statuses.is_empty() {
                    "Warnings".into()
                } else {
                    "Other warnings".into()
                },
            });
            for w in other {
                wrap_into(&mut out, SourceLineKind::Warning, w, "⚠ ", "  ", width);
            }
        }
        out
    }

    /// Sources reporting, the spinner, the config's names, and `r`/`R`.
    pub(super) fn on_sources(&mut self, action: Action) -> Vec<Effect> {
        let labels = match action {
            Action::Source { label, state } => {
                // Failures reach the warnings through `Loaded`; this only tracks the state.
                self.sources.set(label, state);
                return Vec::new();
            }
            Action::MarksWaiting { label, pending } => {
                let status = self.sources.statuses.iter_mut().find(|s| s.label == label);
                if let Some(SourceStatus {
                    state: SourceState::Synced { pending: p, .. },
                    ..
                }) = status
                {
                    *p = pending;
                }
                return Vec::new();
            }
            Action::Notice(text) => {
                self.sources.notice = Some(text);
                return Vec::new();
            }
            Action::Schedule { label, at } => {
                self.sources.timers.insert(label, at);
                return Vec::new();
            }
            Action::Time(now) => {
                self.clock.now = now;
                let due: Vec<String> = (self.sources.timers.iter())
                    .filter(|(_, at)| **at <= now)
                    .map(|(label, _)| label.clone())
                    .collect();
                for label in &due {
                    self.sources.timers.remove(label);
                }
                due
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
        self.fresh.clear();
        vec![Effect::Reload(labels)]
    }
}

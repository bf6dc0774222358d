//! The configuration file, `config.toml`: sources, fetch settings, category aliases, colours and
//! keys (see docs/config.md). It is read and checked whole before anything runs; a problem is
//! reported as `FILE:LINE:COLUMN: message` and nothing of the file is used.
//!
//! By concern: `load` finds, reads and checks the file (its errors carry the place), `schema` is
//! the file as serde reads it with each value's check, `edit` writes sources into the text
//! keeping its comments (`tidings import`), `example` is `tidings config` and its commented
//! example. This module holds the checked [`Config`] and what it does to loaded articles.

mod edit;
mod example;
pub mod filters;
mod load;
mod schema;

pub use edit::{EditError, add_sources};
pub use example::{command, example_config};
pub use load::{ConfigError, default_path, load, load_from, parse};
pub use schema::{FeedUrlError, SizeError, check_feed_url, parse_size};

use crate::core::model::{Article, CategoryPath};
use crate::keymap::Keymap;
use crate::sources::SourceSpec;
use crate::ui::theme::{Colors, Theme};
use std::collections::HashMap;
use std::path::PathBuf;

/// The checked configuration. `Config::default()` is the empty one (no file).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from, or would be (`None`: no config folder).
    pub file: Option<PathBuf>,
    pub sources: Vec<Source>,
    pub fetch: Fetch,
    /// `[archive]`: retention of articles that left their feeds.
    pub archive: Archive,
    /// `[[filters]]`: rules that hide articles or mark them read.
    pub filters: filters::Filters,
    /// `stories` (default on): group the versions of one story (see docs/stories.md).
    pub stories: Option<bool>,
    /// `story_marks = "one"`: marking a version marks it alone (default "all": every version).
    pub story_marks_one: bool,
    /// `refresh_every`: how often feeds are fetched again while the reader runs.
    pub refresh_every: Option<std::time::Duration>,
    /// `on_new`: a program and its arguments, run (no shell) when a refresh brings new
    /// articles; `{count}` and `{categories}` in the arguments are replaced.
    pub on_new: Vec<String>,
    /// An article category whose key (see [`CategoryPath::key`]) is here becomes the value.
    pub aliases: HashMap<Vec<String>, CategoryPath>,
    pub colors: Colors,
    /// `(action name, keys)`, checked with [`Keymap::with_overrides`].
    pub keys: Vec<(String, Vec<String>)>,
    /// `images`: `Some(false)` never shows pictures (see [`Config::images`]).
    pub images: Option<bool>,
}

/// One `[[sources]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// A path (`~` expanded, relative to the config file's folder) or an `http`/`https` URL.
    pub spec: SourceSpec,
    /// Shown as the source of its articles.
    pub name: Option<String>,
    /// The category of its articles that carry none.
    pub category: Option<CategoryPath>,
    /// Fetch each article's full story from its link in the background (`full_text = true`).
    pub full_text: bool,
    /// This feed's own retention (see [`Archive`]).
    pub keep_days: Option<u32>,
    pub max_articles: Option<usize>,
    /// This source's own refresh interval (local files have none unless given one).
    pub refresh_every: Option<std::time::Duration>,
}

/// `[archive]`: each `None` leaves the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Archive {
    pub keep_days: Option<u32>,
    pub max_articles: Option<usize>,
    pub keep_unread: Option<bool>,
}

/// `[fetch]`: each `None` leaves the default (or the command-line flag) alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fetch {
    pub timeout: Option<u64>,
    pub connect_timeout: Option<u64>,
    pub concurrency: Option<u64>,
    pub per_host: Option<u64>,
    pub max_size: Option<u64>,
}

impl Config {
    /// The archive's retention rules: `[archive]` over the defaults (90 days, no cap, unread
    /// kept), with each feed source's own `keep_days` and `max_articles`.
    pub fn retention(&self) -> crate::sources::archive::Retention {
        let d = crate::sources::archive::Retention::default();
        crate::sources::archive::Retention {
            keep_days: self.archive.keep_days.unwrap_or(d.keep_days),
            max_articles: self.archive.max_articles,
            keep_unread: self.archive.keep_unread.unwrap_or(d.keep_unread),
            per_source: self
                .sources
                .iter()
                .filter(|s| s.keep_days.is_some() || s.max_articles.is_some())
                .filter_map(|s| match &s.spec {
                    SourceSpec::Url(u) => Some((u.clone(), (s.keep_days, s.max_articles))),
                    // A sync server's articles are archived under its URL.
                    SourceSpec::GReader(g) => Some((g.url.clone(), (s.keep_days, s.max_articles))),
                    _ => None,
                })
                .collect(),
        }
    }

    /// Whether the reader may show an article's first picture (`images`, default true; only
    /// in a terminal that can, see `graphics`).
    pub fn images(&self) -> bool {
        self.images != Some(false)
    }

    /// How often the source labelled `label` is loaded again while the reader runs: its own
    /// `refresh_every`, else (for feeds) the global one; `None`: never by itself.
    pub fn refresh_every_for(&self, spec: &SourceSpec) -> Option<std::time::Duration> {
        let own = self
            .sources
            .iter()
            .find(|s| s.spec.label() == spec.label())
            .and_then(|s| s.refresh_every);
        own.or(match spec {
            SourceSpec::Url(_) | SourceSpec::GReader(_) => self.refresh_every,
            _ => None,
        })
    }

    /// The sources to load when none is given on the command line (none: the bundled samples).
    pub fn specs(&self) -> Vec<SourceSpec> {
        self.sources.iter().map(|s| s.spec.clone()).collect()
    }

    /// What the config does to loaded articles, for the source labelled `source_label` (its
    /// [`SourceSpec::label`], or the sanitized URL of a fetched feed): the source's `name` and
    /// default category (for articles without one), then the category aliases (any source).
    pub fn apply(&self, source_label: &str, articles: &mut [Article]) {
        if let Some(s) = self.sources.iter().find(|s| s.spec.label() == source_label) {
            // A sync server's articles keep their feeds' names (its `name` labels the server).
            let name: Option<std::sync::Arc<str>> = match s.spec {
                SourceSpec::GReader(_) => None,
                _ => s.name.as_deref().map(Into::into),
            };
            for a in articles.iter_mut() {
                if let Some(name) = &name {
                    a.source = name.clone();
                }
                if a.categories.is_empty()
                    && let Some(c) = &s.category
                {
                    a.categories.push(c.clone());
                }
            }
        }
        self.apply_aliases(articles);
    }

    /// The `name` of each named source, by its label (as for [`Config::apply`]), sanitized.
    pub fn source_names(&self) -> HashMap<String, String> {
        self.sources
            .iter()
            .filter_map(|s| {
                let name = crate::core::sanitize::sanitize_line(s.name.as_deref()?);
                (!name.is_empty()).then(|| (s.spec.label(), name))
            })
            .collect()
    }

    /// True when the source labelled `source_label` (as for [`Config::apply`]) has
    /// `full_text = true`: its articles' full stories are fetched without being asked for.
    pub fn full_text_for(&self, source_label: &str) -> bool {
        self.sources
            .iter()
            .any(|s| s.full_text && s.spec.label() == source_label)
    }

    /// Renames the categories the aliases name, dropping duplicates that result.
    pub fn apply_aliases(&self, articles: &mut [Article]) {
        if self.aliases.is_empty() {
            return;
        }
        for a in articles.iter_mut() {
            let mut changed = false;
            for c in a.categories.iter_mut() {
                if let Some(to) = self.aliases.get(&c.key()) {
                    c.clone_from(to);
                    changed = true;
                }
            }
            if changed && a.categories.len() > 1 {
                let mut seen = Vec::new();
                a.categories.retain(|c| {
                    let k = c.key();
                    let new = !seen.contains(&k);
                    seen.push(k);
                    new
                });
            }
        }
    }

    /// The key table with the config's `[keys]`.
    pub fn keymap(&self) -> Keymap {
        // Checked when the config was read; the defaults if that ever changes.
        Keymap::default()
            .with_overrides(&self.keys)
            .unwrap_or_default()
    }

    /// The theme for the environment with the config's colours.
    pub fn theme(&self) -> Theme {
        Theme::with_colors(self.colors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::ArticleId;
    use std::path::Path;

    fn parse_ok(text: &str) -> Config {
        parse(text, "c.toml", Path::new("/base")).unwrap()
    }

    fn article(cats: &[&str]) -> Article {
        Article {
            id: ArticleId::from_key("k"),
            title: "t".into(),
            source: "Feed".into(),
            author: None,
            date: chrono::Utc::now(),
            dated: true,
            link: None,
            categories: cats.iter().filter_map(|c| CategoryPath::parse(c)).collect(),
            standfirst: None,
            body: crate::core::model::Body::default(),
            words: 0,
            meta: Box::default(),
            origin: "o".into(),
        }
    }

    #[test]
    fn apply_sets_defaults_and_aliases() {
        let c = parse_ok(
            "[[sources]]\nurl = \"https://a.org/feed\"\nname = \"A\"\ncategory = \"World / Misc\"\n\
             [categories.aliases]\n\"europe\" = \"World News / Europe\"\n\"tech/AI\" = \"Technology / AI\"\n",
        );
        let mut arts = vec![
            article(&[]),
            article(&["Europe", "World News/Europe"]),
            article(&["TECH  /  ai", "Sport"]),
        ];
        c.apply("https://a.org/feed", &mut arts);
        let cats = |a: &Article| {
            a.categories
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(cats(&arts[0]), ["World / Misc"]);
        assert_eq!(cats(&arts[1]), ["World News / Europe"]);
        assert_eq!(cats(&arts[2]), ["Technology / AI", "Sport"]);
        assert!(arts.iter().all(|a| &*a.source == "A"));
        // Another source: aliases only.
        let mut other = vec![article(&[]), article(&["europe"])];
        c.apply("https://b.org/feed", &mut other);
        assert!(other[0].categories.is_empty());
        assert_eq!(&*other[0].source, "Feed");
        assert_eq!(cats(&other[1]), ["World News / Europe"]);
    }
}

//! Full stories (`f`): the body not on display for articles that have one (the summary while
//! the full story shows, or the other way round), which show their full story, and which are
//! being fetched.

use super::{Effect, State};
use crate::core::library::Library;
use crate::core::model::{Article, ArticleId, Block, BlockKind, Body};
use std::collections::{HashMap, HashSet};

/// A full story extracted from an article's web page, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct FullText {
    /// Where and when it was fetched, shown above the story.
    pub note: String,
    pub blocks: Vec<Block>,
    pub words: u32,
}

/// The version of an article's body not on display.
#[derive(Debug, Clone, PartialEq)]
struct Stash {
    body: Body,
    words: u32,
}

/// The bodies of full stories on display, kept while their articles are loaded again.
pub(super) type ShownBodies = HashMap<ArticleId, (Body, u32)>;

#[derive(Debug, Default)]
pub struct Full {
    /// Articles with a full story: the body not on display.
    stash: HashMap<ArticleId, Stash>,
    /// Articles whose full story is on display.
    pub(super) shown: HashSet<ArticleId>,
    /// Full stories being fetched.
    pub(super) fetching: HashSet<ArticleId>,
}

/// Whether a link's page can be fetched for its full story: `http`/`https` only.
pub fn fetchable(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

impl Full {
    pub(super) fn is_shown(&self, id: &ArticleId) -> bool {
        self.shown.contains(id)
    }

    pub(super) fn is_fetching(&self, id: &ArticleId) -> bool {
        self.fetching.contains(id)
    }

    /// Takes the bodies of full stories on display out of `articles` (about to be loaded again).
    pub(super) fn take_shown(&self, articles: &mut [Article]) -> ShownBodies {
        articles
            .iter_mut()
            .filter(|a| self.shown.contains(&a.id))
            .map(|a| (a.id.clone(), (std::mem::take(&mut a.body), a.words)))
            .collect()
    }

    /// Puts full stories taken with [`Full::take_shown`] back on display in the new library,
    /// stashing the bodies that came with the articles.
    pub(super) fn show_again(&mut self, lib: &mut Library, shown: &ShownBodies) {
        if shown.is_empty() {
            return;
        }
        for i in 0..lib.len() {
            let id = lib.articles()[i].id.clone();
            if let Some((body, words)) = shown.get(&id) {
                let a = lib.article_mut(i);
                let stash = Stash {
                    body: std::mem::replace(&mut a.body, body.clone()),
                    words: std::mem::replace(&mut a.words, *words),
                };
                self.stash.insert(id, stash);
            }
        }
    }
}

impl State {
    /// Swaps the article's body with its stash (full story <-> summary) and lays it out again.
    fn swap_full(&mut self, i: usize) {
        let id = self.lib.articles()[i].id.clone();
        let Some(stash) = self.full.stash.get_mut(&id) else {
            return;
        };
        let a = self.lib.article_mut(i);
        std::mem::swap(&mut a.body, &mut stash.body);
        std::mem::swap(&mut a.words, &mut stash.words);
        if !self.full.shown.remove(&id) {
            self.full.shown.insert(id.clone());
        }
        // The summary may be on disk still.
        self.request_body(i);
        self.body_changed(i, true);
    }

    /// `f` on the open (or selected) article.
    pub(super) fn toggle_full(&mut self) {
        let Some(i) = self.target() else {
            return;
        };
        let a = &self.lib.articles()[i];
        if self.full.stash.contains_key(&a.id) {
            self.swap_full(i);
        } else if self.full.fetching.contains(&a.id) {
            // Already on its way.
        } else if let Some(link) = a
            .link
            .as_deref()
            .filter(|l| fetchable(l))
            .map(str::to_string)
        {
            self.full.fetching.insert(a.id.clone());
            self.work.push(Effect::FetchFull {
                id: a.id.clone(),
                link,
            });
        } else {
            self.warnings
                .push("no full story: this article has no web page link".into());
        }
    }

    /// A full story arrived: shown at once when asked for (or fetched in the background for an
    /// article not being read); kept for `f` otherwise.
    pub(super) fn full_loaded(
        &mut self,
        id: ArticleId,
        story: Result<FullText, String>,
        auto: bool,
    ) {
        self.full.fetching.remove(&id);
        let story = match story {
            Ok(s) => s,
            Err(e) => {
                if !auto {
                    self.warnings.push(e);
                }
                return;
            }
        };
        if self.full.stash.contains_key(&id) {
            return;
        }
        let Some(i) = self.lib.articles().iter().position(|a| a.id == id) else {
            return;
        };
        let mut blocks = Vec::with_capacity(story.blocks.len() + 1);
        blocks.push(Block::new(BlockKind::Paragraph, story.note));
        blocks.extend(story.blocks);
        let stash = Stash {
            body: Body::Blocks(blocks),
            words: story.words,
        };
        self.full.stash.insert(id, stash);
        if !auto || !self.reading(i) {
            self.swap_full(i);
        }
    }
}

//! Read and star marks: per library index, by id (for articles that arrive later), the unread
//! and starred counts kept in step with them, the changes not yet saved and the last mark-all.

use super::{Action, State};
use crate::core::geometry::Focus;
use crate::core::model::{Article, ArticleId};
use std::collections::{HashMap, HashSet};

/// One article's marks, as loaded and saved.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mark {
    pub id: ArticleId,
    pub read: bool,
    pub starred: bool,
}

#[derive(Debug, Default)]
pub struct Marks {
    /// Per library index: has the article been opened.
    pub(super) read: Vec<bool>,
    /// Per library index: starred.
    pub(super) starred: Vec<bool>,
    /// Marks by id, for articles that arrive later (from the store or this run).
    pub(super) by_id: HashMap<ArticleId, (bool, bool), foldhash::fast::RandomState>,
    /// Unread articles in the library.
    pub(super) unread: usize,
    /// Unread articles per tree node.
    pub(super) node_unread: Vec<usize>,
    /// Unread articles without a category.
    pub(super) uncategorized_unread: usize,
    /// Starred articles: (total, unread).
    pub(super) starred_count: (usize, usize),
    /// What the last `A` marked, for `U`.
    pub(super) last_mark_all: Vec<ArticleId>,
    /// Marks changed by the action being handled, returned as `Effect::SaveMarks`.
    pub(super) unsaved: Vec<Mark>,
    /// Articles marked here since the last `Action::ServerMarks` (which leaves them alone), with
    /// repeats: a set is made of them when server marks come (a hash per mark made `A` slow).
    pub(super) touched: Vec<ArticleId>,
    /// While a head shows: the counts of the articles it leaves out, added to the counts.
    pub(super) rest: Option<super::RestCounts>,
}

/// `n - 1` when marking read, `n + 1` when marking unread.
fn count(n: &mut usize, read: bool) {
    if read {
        *n = n.saturating_sub(1)
    } else {
        *n += 1
    }
}

impl Marks {
    /// Remembers marks by id (applied with [`Marks::apply`]).
    pub(super) fn remember_all(&mut self, marks: Vec<Mark>) {
        for m in marks {
            self.by_id.insert(m.id, (m.read, m.starred));
        }
    }

    /// Read and star flags from the remembered marks, one per library article.
    pub(super) fn apply(&mut self, articles: &[Article]) {
        let (read, starred) = articles
            .iter()
            .map(|a| self.by_id.get(&a.id).copied().unwrap_or((false, false)))
            .unzip();
        self.read = read;
        self.starred = starred;
    }

    /// Counts unread (per node too, from each article's tree nodes) and starred from scratch.
    /// With `stories` (a story number per article, `u32::MAX` for none; empty: no grouping) the
    /// unread counts count a story once wherever any of its unread versions is.
    pub(super) fn recount(&mut self, members: &[Vec<u32>], nodes: usize, stories: &[u32]) {
        self.node_unread = vec![0; nodes];
        self.uncategorized_unread = 0;
        self.unread = 0;
        self.starred_count = (0, 0);
        // (story, node) pairs counted already; `u32::MAX` stands for "all" and "uncategorized".
        let mut seen: HashSet<(u32, u32)> = HashSet::new();
        let story = |i: usize| stories.get(i).copied().filter(|&s| s != u32::MAX);
        for (i, nodes) in members.iter().enumerate() {
            let unread = !self.read[i];
            if self.starred[i] {
                self.starred_count.0 += 1;
                self.starred_count.1 += usize::from(unread);
            }
            if !unread {
                continue;
            }
            let mut first = |node: u32| story(i).is_none_or(|s| seen.insert((s, node)));
            if first(u32::MAX) {
                self.unread += 1;
            }
            if nodes.is_empty() && first(u32::MAX - 1) {
                self.uncategorized_unread += 1;
            }
            for &n in nodes {
                if first(n) {
                    self.node_unread[n as usize] += 1;
                }
            }
        }
        if let Some(rest) = &self.rest {
            self.unread += rest.unread;
            self.uncategorized_unread += rest.uncategorized_unread;
            for (n, r) in self.node_unread.iter_mut().zip(&rest.node_unread) {
                *n += r;
            }
            self.starred_count.0 += rest.starred.0;
            self.starred_count.1 += rest.starred.1;
        }
    }

    /// Sets article `i`'s read mark (its tree nodes are `nodes`), keeping the counts in step;
    /// returns whether it changed.
    pub(super) fn set_read(&mut self, i: usize, id: &ArticleId, nodes: &[u32], read: bool) -> bool {
        if self.read[i] == read {
            return false;
        }
        self.read[i] = read;
        count(&mut self.unread, read);
        if nodes.is_empty() {
            count(&mut self.uncategorized_unread, read);
        }
        for &n in nodes {
            count(&mut self.node_unread[n as usize], read);
        }
        if self.starred[i] {
            count(&mut self.starred_count.1, read);
        }
        self.remember(i, id);
        true
    }

    pub(super) fn set_starred(&mut self, i: usize, id: &ArticleId, starred: bool) {
        if self.starred[i] == starred {
            return;
        }
        self.starred[i] = starred;
        let unread = usize::from(!self.read[i]);
        if starred {
            self.starred_count.0 += 1;
            self.starred_count.1 += unread;
        } else {
            self.starred_count.0 -= 1;
            self.starred_count.1 -= unread;
        }
        self.remember(i, id);
    }

    fn remember(&mut self, i: usize, id: &ArticleId) {
        let (read, starred) = (self.read[i], self.starred[i]);
        self.by_id.insert(id.clone(), (read, starred));
        self.touched.push(id.clone());
        // Marking again and again without a server: repeats dropped now and then.
        if self.touched.len() > 2 * self.by_id.len() + 1024 {
            self.touched.sort_unstable();
            self.touched.dedup();
        }
        self.unsaved.push(Mark {
            id: id.clone(),
            read,
            starred,
        });
    }
}

impl State {
    /// `m`, `s`, `A`, `U` and marks from earlier runs.
    pub(super) fn on_marks(&mut self, action: Action) {
        match action {
            Action::ToggleRead => {
                if let Some(i) = self.target() {
                    let read = !self.marks.read[i];
                    self.set_read_story(i, read);
                }
            }
            Action::ToggleStar => {
                if let Some(i) = self.target() {
                    let starred = !self.marks.starred[i];
                    let id = &self.lib.articles()[i].id;
                    self.marks.set_starred(i, id, starred);
                    // The reader's byline shows the star.
                    self.mark_changed(i);
                }
            }
            Action::MarkAllRead => {
                let mut marked = Vec::new();
                let n = self.list.visible.len();
                self.marks.by_id.reserve(n);
                self.marks.touched.reserve(n);
                self.marks.unsaved.reserve(n);
                marked.reserve(n);
                for i in self.list.visible.clone() {
                    // Only the articles of a story have others to look up (a hash each).
                    let others = if !self.stories.marks_one && self.stories.in_story(i) {
                        self.stories.others(&self.lib.articles()[i].id)
                    } else {
                        Vec::new()
                    };
                    // `i` is in the list (no search for it there); a story's others may not be.
                    if self.set_read_listed(i, true) {
                        marked.push(self.lib.articles()[i].id.clone());
                    }
                    for j in others {
                        if self.set_read(j, true) {
                            marked.push(self.lib.articles()[j].id.clone());
                        }
                    }
                }
                self.marks.last_mark_all = marked;
            }
            Action::UndoMarkAll => {
                let ids: HashSet<ArticleId> = std::mem::take(&mut self.marks.last_mark_all)
                    .into_iter()
                    .collect();
                for i in 0..self.lib.len() {
                    if ids.contains(&self.lib.articles()[i].id) {
                        self.set_read(i, false);
                    }
                }
            }
            Action::ServerMarks(mut marks) => {
                let touched: HashSet<ArticleId, foldhash::fast::RandomState> =
                    std::mem::take(&mut self.marks.touched)
                        .into_iter()
                        .collect();
                marks.retain(|m| !touched.contains(&m.id));
                self.marks.remember_all(marks);
                self.marks.apply(self.lib.articles());
                self.recount();
            }
            Action::Marks(marks) => {
                self.marks.remember_all(marks);
                self.marks.apply(self.lib.articles());
                self.recount();
                if let Some(i) = self.reader.open.as_ref().map(|r| r.article) {
                    self.mark_changed(i);
                }
            }
            Action::ReadByRule(ids) => {
                // A mark already made (in the store or this run) wins over the rule.
                for id in ids {
                    self.marks.by_id.entry(id).or_insert((true, false));
                }
                self.marks.apply(self.lib.articles());
                self.recount();
            }
            _ => {}
        }
        // Stories count once: the step-by-step counts above count versions.
        if !self.stories.by_index.is_empty() {
            self.recount();
        }
    }

    /// Sets an article's read mark, keeping every count in step; returns whether it changed.
    pub(super) fn set_read(&mut self, i: usize, read: bool) -> bool {
        let listed = self.list.visible.binary_search(&i).is_ok();
        self.set_read_in(i, read, listed)
    }

    /// [`State::set_read`] of an article known to be in the list.
    fn set_read_listed(&mut self, i: usize, read: bool) -> bool {
        self.set_read_in(i, read, true)
    }

    fn set_read_in(&mut self, i: usize, read: bool, listed: bool) -> bool {
        let id = &self.lib.articles()[i].id;
        if !self.marks.set_read(i, id, self.tree.members_of(i), read) {
            return false;
        }
        if listed {
            count(&mut self.list.visible_unread, read);
        }
        true
    }

    /// Counts unread (everywhere and in the list) and starred from scratch.
    pub(super) fn recount(&mut self) {
        let nodes = self.tree.categories.nodes.len();
        self.marks
            .recount(&self.tree.members, nodes, &self.stories.by_index);
        self.list.count_unread(&self.marks.read);
    }

    /// The article `m`/`s`/`f` act on: the open one while reading, else the selected one.
    pub(super) fn target(&self) -> Option<usize> {
        match (self.focus, &self.reader.open) {
            (Focus::Reader, Some(r)) => Some(r.article),
            _ => self.selected_article(),
        }
    }
}

//! Stories in the reader (issue 17): the versions of one piece of news shown as one headline
//! with `+N`, `z` to unfold a story into its versions, "also in" the other sources in the
//! reader's title, `v` to step to the next version, and marks that follow the story
//! (`story_marks = "all"`). The grouping itself is `core::story`, run by the worker; the state
//! only keeps what it was told ([`Action::Stories`]).

use super::{Action, State};
use crate::core::library::Library;
use crate::core::model::ArticleId;
use crate::core::story::StoryId;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// One story of two or more versions, as the worker's index has it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryGroup {
    pub id: StoryId,
    /// Every version, earliest first, with its source.
    pub members: Vec<(ArticleId, Arc<str>)>,
    /// The version whose headline stands for the story.
    pub representative: ArticleId,
}

#[derive(Debug, Default)]
pub struct Stories {
    /// The story of each article in a story of two or more versions.
    of: HashMap<ArticleId, StoryId>,
    groups: HashMap<StoryId, StoryGroup>,
    /// Stories shown as one row per version (`z`).
    unfolded: HashSet<StoryId>,
    /// Library index of each grouped article (rebuilt when the library changes).
    index: HashMap<ArticleId, usize>,
    /// Per library index, a number for its story (`u32::MAX`: none); empty without stories.
    pub(super) by_index: Vec<u32>,
    /// Per shown row (library index): how many other versions it stands for.
    pub(super) extra: HashMap<usize, usize>,
    /// `story_marks = "one"`: marks stay with the version marked.
    pub(super) marks_one: bool,
}

impl Stories {
    /// Keeps, of the shown articles (library order), one per story: its representative when
    /// shown, else its first shown version; all versions of an unfolded story. Records how many
    /// others each kept row stands for.
    pub(super) fn collapse(&mut self, visible: Vec<usize>, lib: &Library) -> Vec<usize> {
        self.extra.clear();
        if self.groups.is_empty() {
            return visible;
        }
        let articles = lib.articles();
        // Most articles are in no story: an array lookup, no hashing.
        let grouped = |i: usize| self.by_index.get(i).is_some_and(|&n| n != u32::MAX);
        let mut shown: HashMap<&StoryId, Vec<usize>> = HashMap::new();
        for &i in visible.iter().filter(|&&i| grouped(i)) {
            if let Some(s) = self.of.get(&articles[i].id)
                && !self.unfolded.contains(s)
            {
                shown.entry(s).or_default().push(i);
            }
        }
        let mut kept_of: HashMap<usize, usize> = HashMap::new();
        for (story, rows) in &shown {
            let rep = &self.groups[*story].representative;
            let keep = rows
                .iter()
                .copied()
                .find(|&i| &articles[i].id == rep)
                .unwrap_or(rows[0]);
            kept_of.insert(keep, rows.len() - 1);
        }
        let out: Vec<usize> = visible
            .into_iter()
            .filter(|&i| {
                !grouped(i)
                    || match self.of.get(&articles[i].id) {
                        Some(s) if !self.unfolded.contains(s) => kept_of.contains_key(&i),
                        _ => true,
                    }
            })
            .collect();
        self.extra = kept_of.into_iter().filter(|(_, n)| *n > 0).collect();
        out
    }

    /// Takes these stories in (new, or replacing those of the same id).
    pub(super) fn set(&mut self, changed: Vec<StoryGroup>) {
        for g in changed {
            if let Some(old) = self.groups.remove(&g.id) {
                self.forget(&g.id, old);
            }
            for (m, _) in &g.members {
                self.of.insert(m.clone(), g.id.clone());
            }
            self.groups.insert(g.id.clone(), g);
        }
    }

    /// Drops the members of story `id` (as it was) from `of`, but those that moved to another
    /// story already: one update may move a version to a story told before its old one.
    fn forget(&mut self, id: &StoryId, old: StoryGroup) {
        for (m, _) in old.members {
            if self.of.get(&m) == Some(id) {
                self.of.remove(&m);
            }
        }
    }

    /// The stories these articles belong to, each once.
    pub(super) fn groups_of<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a ArticleId>,
    ) -> Vec<StoryGroup> {
        let mut seen = HashSet::new();
        (ids.into_iter())
            .filter_map(|id| self.of.get(id))
            .filter(|s| seen.insert(*s))
            .filter_map(|s| self.groups.get(s).cloned())
            .collect()
    }

    /// Library indices changed: finds each grouped article again.
    pub(super) fn library_changed(&mut self, lib: &Library) {
        self.index.clear();
        self.by_index.clear();
        if self.of.is_empty() {
            return;
        }
        let mut numbers: HashMap<&StoryId, u32> = HashMap::new();
        self.by_index = vec![u32::MAX; lib.len()];
        for (i, a) in lib.articles().iter().enumerate() {
            if let Some(s) = self.of.get(&a.id) {
                self.index.insert(a.id.clone(), i);
                let next = numbers.len() as u32;
                self.by_index[i] = *numbers.entry(s).or_insert(next);
            }
        }
    }

    /// The story of article `id`, when it has other versions.
    fn group_of(&self, id: &ArticleId) -> Option<&StoryGroup> {
        self.groups.get(self.of.get(id)?)
    }

    /// True when library article `i` is a version of a story of two or more.
    pub(super) fn in_story(&self, i: usize) -> bool {
        self.by_index.get(i).is_some_and(|&n| n != u32::MAX)
    }

    /// The library indices of the other versions of article `id` that are loaded.
    pub(super) fn others(&self, id: &ArticleId) -> Vec<usize> {
        self.group_of(id).map_or_else(Vec::new, |g| {
            g.members
                .iter()
                .filter(|(m, _)| m != id)
                .filter_map(|(m, _)| self.index.get(m).copied())
                .collect()
        })
    }
}

impl State {
    /// The worker's grouping changed (`Stories`), `z`, `v`, and `story_marks`.
    pub(super) fn on_stories(&mut self, action: Action) {
        match action {
            Action::Stories { changed, removed } => {
                let s = &mut self.stories;
                for id in removed {
                    if let Some(g) = s.groups.remove(&id) {
                        s.forget(&id, g);
                    }
                    s.unfolded.remove(&id);
                }
                s.set(changed);
                self.stories.library_changed(&self.lib);
                self.recount();
                self.refilter();
                // The open article's "also in" line is laid out again.
                if let Some(r) = &mut self.reader.open {
                    r.width = 0;
                }
                self.relayout_reader();
            }
            Action::StoryMarksOne(one) => self.stories.marks_one = one,
            Action::ToggleStory => {
                let Some(i) = self.selected_article() else {
                    return;
                };
                let id = self.lib.articles()[i].id.clone();
                let Some(story) = self.stories.of.get(&id).cloned() else {
                    return;
                };
                if !self.stories.unfolded.remove(&story) {
                    self.stories.unfolded.insert(story);
                }
                self.refilter();
            }
            Action::NextVersion => {
                let Some(open) = self.reader.open.as_ref().map(|r| r.article) else {
                    return;
                };
                let id = self.lib.articles()[open].id.clone();
                let Some(g) = self.stories.group_of(&id) else {
                    return;
                };
                let at = g.members.iter().position(|(m, _)| *m == id).unwrap_or(0);
                let next = (1..g.members.len())
                    .map(|k| &g.members[(at + k) % g.members.len()].0)
                    .find_map(|m| self.stories.index.get(m).copied());
                if let Some(i) = next {
                    // Shown as its own row while read: the story unfolds.
                    let story = self.stories.of[&id].clone();
                    self.stories.unfolded.insert(story);
                    self.refilter();
                    if let Some(row) = self.list.visible.iter().position(|&v| v == i) {
                        self.list.selected = row;
                        self.fix_list_offset();
                        self.open_selected();
                    }
                }
            }
            _ => {}
        }
    }

    /// How many other versions the headline of library article `i` stands for (`+N`).
    pub fn story_extra(&self, i: usize) -> usize {
        self.stories.extra.get(&i).copied().unwrap_or(0)
    }

    /// The other sources of the open article's story ("also in"), in the story's order.
    pub fn also_in(&self) -> Vec<&str> {
        let Some(a) = self.reader_article() else {
            return Vec::new();
        };
        let Some(g) = self.stories.group_of(&a.id) else {
            return Vec::new();
        };
        let mut out: Vec<&str> = Vec::new();
        for (m, source) in &g.members {
            if *m != a.id && **source != *a.source && !out.contains(&&**source) {
                out.push(source);
            }
        }
        out
    }

    /// Sets article `i`'s read mark and, unless `story_marks = "one"`, its other versions'.
    pub(super) fn set_read_story(&mut self, i: usize, read: bool) -> bool {
        let changed = self.set_read(i, read);
        if !self.stories.marks_one {
            let id = self.lib.articles()[i].id.clone();
            for j in self.stories.others(&id) {
                self.set_read(j, read);
            }
        }
        changed
    }
}

//! The search: the box while it is open, the query applied to the list, the folded text it
//! runs over (built on the first search) and how far the text of bodies on disk has come.

use super::{Effect, SearchKey, State};
use crate::core::model::{ArticleId, BodyRef};
use crate::core::search::{Matcher, fold, index_text};
use std::collections::HashMap;
use std::sync::Arc;

/// How far the search text of bodies on disk has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BodySearch {
    /// Not asked for yet (no search since the last load).
    #[default]
    Idle,
    /// Being read: searches cover the headers (and bodies in memory) meanwhile.
    Loading,
    Done,
}

/// The search box while it is open: its text and the cursor (in chars).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchInput {
    pub text: String,
    pub cursor: usize,
}

impl SearchInput {
    /// Edits the text or moves the cursor (`Accept` and `Cancel` are the box's, not the
    /// text's: they do nothing here).
    fn edit(&mut self, key: SearchKey) {
        let byte = |t: &str, c: usize| t.char_indices().nth(c).map_or(t.len(), |(b, _)| b);
        let (text, cursor) = (&mut self.text, &mut self.cursor);
        let len = text.chars().count();
        match key {
            SearchKey::Char(c) if !c.is_control() => {
                text.insert(byte(text, *cursor), c);
                *cursor += 1;
            }
            SearchKey::Backspace if *cursor > 0 => {
                text.remove(byte(text, *cursor - 1));
                *cursor -= 1;
            }
            SearchKey::Delete if *cursor < len => {
                text.remove(byte(text, *cursor));
            }
            SearchKey::Left => *cursor = cursor.saturating_sub(1),
            SearchKey::Right => *cursor = (*cursor + 1).min(len),
            SearchKey::Home => *cursor = 0,
            SearchKey::End => *cursor = len,
            _ => {}
        }
    }
}

#[derive(Debug, Default)]
pub struct Search {
    /// The search applied to the list (empty: none).
    pub(super) query: String,
    /// The search box while it is open.
    pub(super) input: Option<SearchInput>,
    /// Folded text per library article, built on the first search.
    pub(super) index: Vec<Arc<str>>,
    /// Folded text of articles whose bodies are on disk, as it arrives (kept across loads).
    pub(super) body_texts: HashMap<ArticleId, Arc<str>>,
    pub(super) bodies: BodySearch,
}

impl Search {
    /// The library changed: the index is built again at the next search, and new articles'
    /// bodies may be on disk (asked for then).
    pub(super) fn library_changed(&mut self) {
        self.index.clear();
        if self.bodies == BodySearch::Done {
            self.bodies = BodySearch::Idle;
        }
    }
}

impl State {
    /// `/`: opens the box on the current search.
    pub(super) fn start_search(&mut self) {
        let text = self.search.query.clone();
        let cursor = text.chars().count();
        self.search.input = Some(SearchInput { text, cursor });
    }

    /// A key in the search box: edit the text (the list follows as you type), keep it, or clear
    /// it.
    pub(super) fn search_key(&mut self, key: SearchKey) {
        let Some(mut input) = self.search.input.take() else {
            return;
        };
        match key {
            // The box closes; the filter stays (the status bar shows it).
            SearchKey::Accept => return,
            SearchKey::Cancel => {
                self.set_search(String::new());
                return;
            }
            key => input.edit(key),
        }
        if input.text != self.search.query {
            self.set_search(input.text.clone());
        }
        self.search.input = Some(input);
    }

    /// The compiled search, if any.
    pub fn matcher(&self) -> Option<Matcher> {
        Matcher::new(&self.search.query)
    }

    /// Applies a new search text; when it only grew, just the current list is searched again.
    fn set_search(&mut self, text: String) {
        let narrowing =
            !self.search.query.is_empty() && fold(&text).contains(&fold(&self.search.query));
        self.search.query = text;
        self.ensure_index();
        match (narrowing, self.matcher()) {
            (true, Some(m)) => {
                let keep = self.selected_article();
                let index = &self.search.index;
                self.list.visible.retain(|&i| m.matches(&index[i]));
                self.list.count_unread(&self.marks.read);
                self.list.keep_selected(keep);
                self.fix_list_offset();
            }
            _ => self.refilter(),
        }
    }

    /// Builds the search index if it is missing or stale. Articles whose bodies are on disk
    /// are indexed by their headers until their text arrives (asked for here, once per load).
    pub(super) fn ensure_index(&mut self) {
        let search = &mut self.search;
        if search.index.len() != self.lib.len() {
            let texts = &search.body_texts;
            search.index = self
                .lib
                .articles()
                .iter()
                .map(|a| match (a.body_unloaded(), texts.get(&a.id)) {
                    (true, Some(t)) => t.clone(),
                    _ => Arc::from(index_text(a)),
                })
                .collect();
        }
        if search.bodies == BodySearch::Idle {
            let wanted: Vec<(ArticleId, BodyRef)> = self
                .lib
                .articles()
                .iter()
                .filter(|a| !search.body_texts.contains_key(&a.id))
                .filter_map(|a| Some((a.id.clone(), a.stored()?.clone())))
                .collect();
            if wanted.is_empty() {
                search.bodies = BodySearch::Done;
            } else {
                search.bodies = BodySearch::Loading;
                self.work.push(Effect::LoadBodyTexts(wanted));
            }
        }
    }

    /// Takes in search text of bodies on disk and searches again.
    pub(super) fn add_body_texts(&mut self, texts: Vec<(ArticleId, Arc<str>)>, done: bool) {
        if done {
            self.search.bodies = BodySearch::Done;
        }
        if texts.is_empty() {
            return;
        }
        if self.search.index.len() == self.lib.len() {
            let index: HashMap<&ArticleId, usize> = self
                .lib
                .articles()
                .iter()
                .enumerate()
                .map(|(i, a)| (&a.id, i))
                .collect();
            for (id, text) in &texts {
                if let Some(&i) = index.get(id)
                    && self.lib.articles()[i].body_unloaded()
                {
                    self.search.index[i] = text.clone();
                }
            }
        }
        self.search.body_texts.extend(texts);
        if !self.search.query.is_empty() {
            self.refilter();
        }
    }

    /// Moves the reader to the next (or previous) line holding a search match.
    pub(super) fn jump_to_match(&mut self, forward: bool) {
        let Some(m) = self.matcher() else {
            return;
        };
        let max = self.reader_max_scroll();
        let Some(r) = &mut self.reader.open else {
            return;
        };
        let hit = |l: &crate::core::layout::Line| m.matches(&fold(&l.text));
        let found = if forward {
            (r.scroll + 1..r.lines.len()).find(|&i| hit(&r.lines[i]))
        } else {
            (0..r.scroll.min(r.lines.len()))
                .rev()
                .find(|&i| hit(&r.lines[i]))
        };
        match found {
            Some(i) => r.scroll = i.min(max),
            None => self
                .warnings
                .push(format!("no more matches for '{}'", self.search.query)),
        }
    }
}

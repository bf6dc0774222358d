//! The search: the box while it is open, the query applied to the list, the folded header text
//! it runs over at each keystroke (built on the first search), the full-text index's hits for
//! the bodies, and how far that index is.

use super::{Effect, SearchKey, State};
use crate::core::model::ArticleId;
use crate::core::search::{Matcher, fold, index_text};
use std::collections::HashMap;

/// The full-text index's hits for a query: their ids, and a flag per library article (built
/// from the ids when the library changed), so the list tests a hit without hashing an id:
/// the hash lookups were the biggest cost of a keystroke at 110,000 articles.
#[derive(Debug, Default)]
pub(super) struct Hits {
    ids: Vec<ArticleId>,
    flags: Vec<bool>,
}
use std::sync::Arc;

/// How far the full-text index is (articles indexed this run of those waiting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IndexProgress {
    pub indexed: usize,
    pub total: usize,
}

impl IndexProgress {
    /// True while articles wait to be indexed: bodies are not all searchable yet.
    pub fn building(&self) -> bool {
        self.indexed < self.total
    }
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
    /// Folded header text per library article (titles, sources, standfirsts, bodies in
    /// memory), matched by substring at each keystroke; built on the first search.
    pub(super) index: Vec<Arc<str>>,
    /// Header texts folded by the worker as articles loaded (see `Action::SearchTexts`).
    pub(super) texts: HashMap<ArticleId, Arc<str>>,
    /// What the full-text index found, and for which query: while the query narrows, the
    /// hits of the shorter one stand in (a superset) until the new ones come.
    pub(super) hits: Option<(String, Hits)>,
    /// Library index of each article id, for placing hits (built at the first hits after
    /// the library changed).
    positions: HashMap<ArticleId, u32, foldhash::fast::RandomState>,
    pub(super) progress: IndexProgress,
}

impl Search {
    /// The library changed: the header index is built again at the next search.
    pub(super) fn library_changed(&mut self) {
        self.index.clear();
        self.positions.clear();
        if let Some((_, hits)) = &mut self.hits {
            hits.flags.clear();
        }
    }

    /// True when library article `i` is among the full-text index's hits (see
    /// [`Search::place_hits`]).
    fn hit(&self, i: usize) -> bool {
        self.hits
            .as_ref()
            .is_some_and(|(_, h)| h.flags.get(i).copied().unwrap_or(false))
    }

    /// Sets the hits' flags for the library as it is now, if they are stale.
    fn place_hits(&mut self, lib: &crate::core::library::Library) {
        let Some((_, hits)) = &mut self.hits else {
            return;
        };
        if hits.flags.len() == lib.len() {
            return;
        }
        if self.positions.len() != lib.len() {
            self.positions = (lib.articles().iter().enumerate())
                .map(|(i, a)| (a.id.clone(), i as u32))
                .collect();
        }
        hits.flags = vec![false; lib.len()];
        for id in &hits.ids {
            if let Some(&i) = self.positions.get(id) {
                hits.flags[i as usize] = true;
            }
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

    /// Applies a new search text: the list follows at once by what matches in the headers
    /// (and the hits of the last query, when this one only grew), and the full-text index is
    /// asked for the rest.
    fn set_search(&mut self, text: String) {
        let narrowing =
            !self.search.query.is_empty() && fold(&text).contains(&fold(&self.search.query));
        if !narrowing {
            self.search.hits = None;
        }
        self.search.query = text;
        self.ensure_index();
        match (narrowing, self.matcher()) {
            (true, Some(m)) => {
                let keep = self.selected_article();
                let search = &self.search;
                self.list
                    .visible
                    .retain(|&i| search.hit(i) || m.matches(&search.index[i]));
                self.list.count_unread(&self.marks.read);
                self.list.keep_selected(keep);
                self.fix_list_offset();
            }
            _ => self.refilter(),
        }
        self.ask_index();
    }

    /// Asks the full-text index for the current query (none for an empty one, or one of
    /// punctuation only, which can only match by substring).
    fn ask_index(&mut self) {
        if let Some(expression) = self.matcher().and_then(|m| m.fts()) {
            let query = self.search.query.clone();
            self.work.push(Effect::Search { query, expression });
        }
    }

    /// True when library article `i` matches the search (headers by substring, or a hit of
    /// the full-text index); call [`State::ensure_index`] first.
    pub(super) fn search_matches(&self, m: &Matcher, i: usize) -> bool {
        self.search.hit(i) || m.matches(&self.search.index[i])
    }

    /// Builds the header index if it is missing or stale, from the texts the worker folded
    /// where it has them.
    pub(super) fn ensure_index(&mut self) {
        self.search.place_hits(&self.lib);
        let search = &mut self.search;
        if search.index.len() != self.lib.len() {
            let texts = &search.texts;
            search.index = self
                .lib
                .articles()
                .iter()
                .map(|a| match (a.has_body(), texts.get(&a.id)) {
                    (false, Some(t)) => t.clone(),
                    _ => Arc::from(index_text(a)),
                })
                .collect();
        }
    }

    /// Takes in header texts the worker folded.
    pub(super) fn add_search_texts(&mut self, texts: Vec<(ArticleId, Arc<str>)>) {
        self.search.texts.extend(texts);
    }

    /// Takes in the full-text index's hits, when they are for the current query.
    pub(super) fn take_hits(&mut self, query: String, ids: Vec<ArticleId>) {
        if query != self.search.query {
            return;
        }
        let hits = Hits {
            ids,
            flags: Vec::new(),
        };
        self.search.hits = Some((query, hits));
        self.refilter();
    }

    /// The index has grown: a search under way is asked again, so bodies just indexed are
    /// found.
    pub(super) fn on_index_progress(&mut self, indexed: usize, total: usize) {
        self.search.progress = IndexProgress { indexed, total };
        if !self.search.query.is_empty() {
            self.ask_index();
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
        let hit = |l: &crate::core::layout::Line| m.matches_any(&fold(&l.text));
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

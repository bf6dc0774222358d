//! The reader's state, the one `Action` enum (key intents and load results) and `update`, the
//! only writer of state, which returns the IO it wants as `Effect`s.

use crate::core::category::{CategoryFilter, CategoryTree};
use crate::core::geometry::{Focus, Geometry, Mode};
use crate::core::layout::{Line, first_line_of, layout};
use crate::core::library::Library;
use crate::core::model::{Article, ArticleId, Block, BlockKind, BodyRef};
use chrono::{DateTime, FixedOffset, Utc};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Everything that can happen: what a key or the mouse means, and what a loader found.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    FocusNext,
    FocusPrev,
    /// Enter: choose a category, or open a headline.
    Choose,
    /// Esc: go back a pane (in the tree: collapse, then go to the parent).
    Back,
    NextArticle,
    PrevArticle,
    JumpToTree,
    ToggleCollapse,
    ToggleHelp,
    CloseHelp,
    Quit,
    Resize {
        width: u16,
        height: u16,
    },
    Click {
        column: u16,
        row: u16,
    },
    ScrollUp {
        column: u16,
        row: u16,
    },
    ScrollDown {
        column: u16,
        row: u16,
    },
    /// Articles from a source, with the warnings met on the way.
    Loaded {
        articles: Vec<Article>,
        warnings: Vec<String>,
    },
    /// Every source has reported.
    LoadingDone,
    /// Read and star marks kept from earlier runs: `(id, read, starred)`.
    Marks(Vec<(ArticleId, bool, bool)>),
    /// How a source is doing (added, or updated by label).
    Source {
        label: String,
        state: SourceState,
    },
    /// A spinner frame while something loads.
    Tick,
    ToggleSources,
    /// Fetch the current article's source again.
    Refresh,
    /// Fetch every source again.
    RefreshAll,
    /// Open the article's link in the browser.
    OpenLink,
    /// List the article's links to pick one to open.
    ShowLinks,
    /// `m`: the selected (or open) article read/unread.
    ToggleRead,
    /// `s`: star or unstar it.
    ToggleStar,
    /// `A`: everything in the current view read.
    MarkAllRead,
    /// `U`: undo the last mark-all.
    UndoMarkAll,
    /// `u`: show unread articles only, everywhere.
    ToggleUnreadOnly,
    /// `/`: open the search box.
    StartSearch,
    /// A key typed into the search box.
    SearchInput(SearchKey),
    /// `n` / `N`: next / previous search match while reading.
    NextMatch,
    PrevMatch,
    /// An article's body, read again from disk (see `Effect::LoadBody`): its blocks and word
    /// count, or why it could not be read.
    BodyLoaded {
        id: ArticleId,
        body: Result<(Vec<Block>, usize), String>,
    },
    /// Folded search text (see `search::index_text`) of articles whose bodies are on disk (see
    /// `Effect::LoadBodyTexts`); `done` on the last batch.
    BodyTexts {
        texts: Vec<(ArticleId, Arc<str>)>,
        done: bool,
    },
    /// `f`: show the full story from the article's web page (fetched the first time), or the
    /// feed's summary again.
    ToggleFull,
    /// A full story fetched (see `Effect::FetchFull`), or why not. `auto`: fetched without
    /// being asked (a `full_text` source); failures are then not reported.
    FullLoaded {
        id: ArticleId,
        story: Result<FullText, String>,
        auto: bool,
    },
}

/// A full story extracted from an article's web page, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct FullText {
    /// Where and when it was fetched, shown above the story.
    pub note: String,
    pub blocks: Vec<Block>,
    pub words: usize,
}

/// The version of an article's body not on display (the summary while the full story shows, or
/// the other way round).
#[derive(Debug, Clone, PartialEq)]
struct Stash {
    blocks: Vec<Block>,
    words: usize,
    stored: Option<Arc<BodyRef>>,
}

/// What a key does in the search box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchKey {
    Char(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    /// Keep the filter and close the box.
    Accept,
    /// Clear the search and close the box.
    Cancel,
}

/// Where a source is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceState {
    Queued,
    Loading,
    Loaded { articles: usize, cached: bool },
    Failed(String),
}

/// One row of the sources view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceStatus {
    pub label: String,
    pub state: SourceState,
}

/// IO that `update` asks the shell to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Load these sources again (by label).
    Reload(Vec<String>),
    /// Open this URL (http, https or mailto only) in the browser.
    OpenUrl(String),
    /// Read or star marks changed: `(id, read, starred)`, to be saved.
    SaveMarks(Vec<(ArticleId, bool, bool)>),
    /// Fetch the full story of this article from its link (the cached copy if there is one) and
    /// send `Action::FullLoaded`.
    FetchFull {
        id: ArticleId,
        link: String,
    },
    /// Read this article's body from disk and send `Action::BodyLoaded`.
    LoadBody {
        id: ArticleId,
        at: BodyRef,
    },
    /// Read these articles' bodies and send their search text back in `Action::BodyTexts`
    /// batches.
    LoadBodyTexts(Vec<(ArticleId, BodyRef)>),
}

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

/// The wall clock and time zone used for dates, fixed in tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub now: DateTime<Utc>,
    pub tz: FixedOffset,
}

impl Default for Clock {
    fn default() -> Clock {
        Clock {
            now: DateTime::<Utc>::default(),
            tz: FixedOffset::east_opt(0).expect("zero offset"),
        }
    }
}

/// One row of the category tree pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TreeRow {
    #[default]
    All,
    Starred,
    Node(usize),
    Uncategorized,
}

/// What the headline list shows: a row of the tree, or a `--category` query that selects
/// several subtrees (e.g. `europe` for every *Europe*).
#[derive(Debug, Clone)]
pub enum Filter {
    Row(TreeRow),
    Query(CategoryFilter),
}

impl Default for Filter {
    fn default() -> Filter {
        Filter::Row(TreeRow::All)
    }
}

impl Filter {
    pub fn row(&self) -> Option<TreeRow> {
        match self {
            Filter::Row(r) => Some(*r),
            Filter::Query(_) => None,
        }
    }
}

/// The article open in the reading pane, laid out for the pane's width.
#[derive(Debug, Clone, PartialEq)]
pub struct Reader {
    /// Index into the library.
    pub article: usize,
    pub lines: Vec<Line>,
    pub width: usize,
    /// The first line shown.
    pub scroll: usize,
}

#[derive(Debug, Default)]
pub struct State {
    pub lib: Library,
    /// Per library index: has the article been opened.
    pub read: Vec<bool>,
    /// Per library index: starred.
    pub starred: Vec<bool>,
    /// Marks by id, for articles that arrive later (from the store or this run).
    marks: HashMap<ArticleId, (bool, bool)>,
    /// Unread articles per tree node, without category, and starred (total, unread).
    pub node_unread: Vec<usize>,
    pub uncategorized_unread: usize,
    pub starred_count: (usize, usize),
    /// `u`: only unread articles are listed.
    pub unread_only: bool,
    /// What the last `A` marked, for `U`.
    last_mark_all: Vec<ArticleId>,
    /// Marks changed by the action being handled, returned as `Effect::SaveMarks`.
    unsaved: Vec<(ArticleId, bool, bool)>,
    /// The search applied to the list (empty: none).
    pub search: String,
    /// The search box while it is open: its text and the cursor (in chars).
    pub search_box: Option<(String, usize)>,
    /// Folded text per library article, built on the first search.
    search_index: Vec<Arc<str>>,
    /// Folded text of articles whose bodies are on disk, as it arrives (kept across loads).
    body_texts: HashMap<ArticleId, Arc<str>>,
    pub body_search: BodySearch,
    /// Bodies asked for and not yet arrived.
    bodies_requested: HashSet<ArticleId>,
    /// Background work asked for by the action being handled.
    work: Vec<Effect>,
    /// Articles with a full story: the body not on display.
    full_stash: HashMap<ArticleId, Stash>,
    /// Articles whose full story is on display.
    pub full_shown: HashSet<ArticleId>,
    /// Full stories being fetched.
    pub full_fetching: HashSet<ArticleId>,
    pub tree: CategoryTree,
    /// Per library index: the tree nodes the article belongs to (with ancestors), sorted.
    members: Vec<Vec<u32>>,
    /// Per tree node.
    pub collapsed: Vec<bool>,
    /// The rows the tree pane shows (collapsed subtrees left out).
    pub tree_rows: Vec<TreeRow>,
    pub tree_selected: usize,
    pub tree_offset: usize,
    /// The category filter.
    pub filter: Filter,
    /// Library indices shown in the headline list, in library order (newest first).
    pub visible: Vec<usize>,
    pub visible_unread: usize,
    pub unread: usize,
    /// Index into `visible`.
    pub selected: usize,
    pub list_offset: usize,
    pub focus: Focus,
    pub reader: Option<Reader>,
    pub help: bool,
    pub width: u16,
    pub height: u16,
    pub loading: bool,
    /// Warnings, oldest first; the status bar shows the last.
    pub warnings: Vec<String>,
    /// `--category PATH`, applied once the articles are in.
    pub initial_category: Option<String>,
    pub clock: Clock,
    pub quit: bool,
    /// Every source and how it is doing, in the order given.
    pub sources: Vec<SourceStatus>,
    /// The config's names for sources, by label (shown in the sources view).
    pub source_names: HashMap<String, String>,
    pub show_sources: bool,
    /// The links overlay (`L`): the article's links and the chosen row.
    pub links: Option<(Vec<(String, String)>, usize)>,
    /// Spinner frame.
    pub spinner: usize,
}

/// Lines the mouse wheel moves.
const WHEEL_LINES: usize = 3;

impl State {
    pub fn new(clock: Clock, initial_category: Option<String>) -> State {
        State {
            clock,
            initial_category,
            loading: true,
            tree_rows: vec![TreeRow::All],
            ..State::default()
        }
    }

    pub fn geometry(&self) -> Geometry {
        Geometry::new(self.width, self.height, self.focus)
    }

    /// The selected article's library index.
    pub fn selected_article(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    /// Rows of the headline list that fit in its pane.
    pub fn list_height(&self) -> usize {
        self.geometry()
            .headlines
            .map_or(0, |a| usize::from(a.inner().height))
    }

    pub fn tree_height(&self) -> usize {
        self.geometry()
            .tree
            .map_or(0, |a| usize::from(a.inner().height))
    }

    pub fn reader_height(&self) -> usize {
        self.geometry()
            .reader_text()
            .map_or(0, |a| usize::from(a.height))
    }

    /// The largest scroll that still fills the reading pane.
    pub fn reader_max_scroll(&self) -> usize {
        self.reader
            .as_ref()
            .map_or(0, |r| r.lines.len().saturating_sub(self.reader_height()))
    }

    /// `(done, total)` over the sources, while any is queued or loading.
    pub fn progress(&self) -> Option<(usize, usize)> {
        let busy = self
            .sources
            .iter()
            .any(|s| matches!(s.state, SourceState::Queued | SourceState::Loading));
        busy.then(|| {
            let done = self
                .sources
                .iter()
                .filter(|s| !matches!(s.state, SourceState::Queued | SourceState::Loading))
                .count();
            (done, self.sources.len())
        })
    }

    /// The source an article came from: the one whose label is its origin or a folder above it.
    pub fn source_of(&self, article: usize) -> Option<&str> {
        let origin: &str = &self.lib.articles().get(article)?.origin;
        self.sources
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

    /// The article open in the reading pane.
    pub fn reader_article(&self) -> Option<&Article> {
        self.reader
            .as_ref()
            .and_then(|r| self.lib.articles().get(r.article))
    }

    /// The filter's name: `All`, a category path, or `Uncategorized`.
    pub fn filter_name(&self) -> String {
        match &self.filter {
            Filter::Row(r) => self.row_name(*r),
            Filter::Query(q) => q.query().text().to_string(),
        }
    }

    pub fn row_name(&self, row: TreeRow) -> String {
        match row {
            TreeRow::All => "All".to_string(),
            TreeRow::Starred => "Starred".to_string(),
            TreeRow::Node(n) => self.tree.path_of(n),
            TreeRow::Uncategorized => "Uncategorized".to_string(),
        }
    }

    pub fn row_count(&self, row: TreeRow) -> usize {
        match row {
            TreeRow::All => self.tree.total,
            TreeRow::Starred => self.starred_count.0,
            TreeRow::Node(n) => self.tree.nodes[n].count,
            TreeRow::Uncategorized => self.tree.uncategorized,
        }
    }

    /// Unread articles in a row's subtree.
    pub fn row_unread(&self, row: TreeRow) -> usize {
        match row {
            TreeRow::All => self.unread,
            TreeRow::Starred => self.starred_count.1,
            TreeRow::Node(n) => self.node_unread.get(n).copied().unwrap_or(0),
            TreeRow::Uncategorized => self.uncategorized_unread,
        }
    }

    /// Counts unread (per node too) and starred from scratch.
    fn recount(&mut self) {
        self.node_unread = vec![0; self.tree.nodes.len()];
        self.uncategorized_unread = 0;
        self.unread = 0;
        self.starred_count = (0, 0);
        for i in 0..self.lib.len() {
            let unread = !self.read[i];
            if self.starred[i] {
                self.starred_count.0 += 1;
                self.starred_count.1 += usize::from(unread);
            }
            if !unread {
                continue;
            }
            self.unread += 1;
            if self.members[i].is_empty() {
                self.uncategorized_unread += 1;
            }
            for &n in &self.members[i] {
                self.node_unread[n as usize] += 1;
            }
        }
        self.visible_unread = self.visible.iter().filter(|&&i| !self.read[i]).count();
    }

    /// Sets an article's read mark, keeping every count in step; returns whether it changed.
    fn set_read(&mut self, i: usize, read: bool) -> bool {
        if self.read[i] == read {
            return false;
        }
        self.read[i] = read;
        let apply = |n: &mut usize| {
            if read {
                *n = n.saturating_sub(1)
            } else {
                *n += 1
            }
        };
        apply(&mut self.unread);
        if self.visible.binary_search(&i).is_ok() {
            apply(&mut self.visible_unread);
        }
        if self.members[i].is_empty() {
            apply(&mut self.uncategorized_unread);
        }
        for k in 0..self.members[i].len() {
            let n = self.members[i][k] as usize;
            apply(&mut self.node_unread[n]);
        }
        if self.starred[i] {
            apply(&mut self.starred_count.1);
        }
        self.remember(i);
        true
    }

    fn set_starred(&mut self, i: usize, starred: bool) {
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
        self.remember(i);
    }

    fn remember(&mut self, i: usize) {
        let id = self.lib.articles()[i].id.clone();
        self.marks
            .insert(id.clone(), (self.read[i], self.starred[i]));
        self.unsaved.push((id, self.read[i], self.starred[i]));
    }

    /// The article `m`/`s` act on: the open one while reading, else the selected one.
    fn target(&self) -> Option<usize> {
        match (self.focus, &self.reader) {
            (Focus::Reader, Some(r)) => Some(r.article),
            _ => self.selected_article(),
        }
    }

    /// Builds the search index if it is missing or stale. Articles whose bodies are on disk
    /// are indexed by their headers until their text arrives (asked for here, once per load).
    fn ensure_index(&mut self) {
        if self.search_index.len() != self.lib.len() {
            let texts = &self.body_texts;
            self.search_index = self
                .lib
                .articles()
                .iter()
                .map(|a| match (a.body_unloaded(), texts.get(&a.id)) {
                    (true, Some(t)) => t.clone(),
                    _ => Arc::from(crate::core::search::index_text(a)),
                })
                .collect();
        }
        if self.body_search == BodySearch::Idle {
            let wanted: Vec<(ArticleId, BodyRef)> = self
                .lib
                .articles()
                .iter()
                .filter(|a| !self.body_texts.contains_key(&a.id))
                .filter_map(|a| Some((a.id.clone(), (**a.stored.as_ref()?).clone())))
                .collect();
            if wanted.is_empty() {
                self.body_search = BodySearch::Done;
            } else {
                self.body_search = BodySearch::Loading;
                self.work.push(Effect::LoadBodyTexts(wanted));
            }
        }
    }

    /// Takes in search text of bodies on disk and searches again.
    fn add_body_texts(&mut self, texts: Vec<(ArticleId, Arc<str>)>, done: bool) {
        if done {
            self.body_search = BodySearch::Done;
        }
        if texts.is_empty() {
            return;
        }
        if self.search_index.len() == self.lib.len() {
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
                    self.search_index[i] = text.clone();
                }
            }
        }
        self.body_texts.extend(texts);
        if !self.search.is_empty() {
            let f = std::mem::take(&mut self.filter);
            self.set_filter(f);
        }
    }

    /// Asks for article `i`'s body when it is on disk and not asked for yet.
    fn request_body(&mut self, i: usize) {
        let a = &self.lib.articles()[i];
        if let Some(at) = &a.stored
            && self.bodies_requested.insert(a.id.clone())
        {
            self.work.push(Effect::LoadBody {
                id: a.id.clone(),
                at: (**at).clone(),
            });
        }
    }

    /// Swaps the article's body with its stash (full story <-> summary) and lays it out again.
    fn swap_full(&mut self, i: usize) {
        let id = self.lib.articles()[i].id.clone();
        let Some(stash) = self.full_stash.get_mut(&id) else {
            return;
        };
        let a = self.lib.article_mut(i);
        std::mem::swap(&mut a.blocks, &mut stash.blocks);
        std::mem::swap(&mut a.words, &mut stash.words);
        std::mem::swap(&mut a.stored, &mut stash.stored);
        if !self.full_shown.remove(&id) {
            self.full_shown.insert(id.clone());
        }
        // The summary may be on disk still.
        self.request_body(i);
        if let Some(r) = &mut self.reader
            && r.article == i
        {
            r.lines.clear();
            r.scroll = 0;
            self.relayout_reader();
        }
    }

    /// `f` on the open (or selected) article.
    fn toggle_full(&mut self) {
        let Some(i) = self.target() else {
            return;
        };
        let a = &self.lib.articles()[i];
        if self.full_stash.contains_key(&a.id) {
            self.swap_full(i);
        } else if self.full_fetching.contains(&a.id) {
            // Already on its way.
        } else if let Some(link) = a.link.clone().filter(|l| fetchable(l)) {
            self.full_fetching.insert(a.id.clone());
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
    fn full_loaded(&mut self, id: ArticleId, story: Result<FullText, String>, auto: bool) {
        self.full_fetching.remove(&id);
        let story = match story {
            Ok(s) => s,
            Err(e) => {
                if !auto {
                    self.warnings.push(e);
                }
                return;
            }
        };
        if self.full_stash.contains_key(&id) {
            return;
        }
        let Some(i) = self.lib.articles().iter().position(|a| a.id == id) else {
            return;
        };
        let mut blocks = Vec::with_capacity(story.blocks.len() + 1);
        blocks.push(Block::new(BlockKind::Paragraph, story.note));
        blocks.extend(story.blocks);
        self.full_stash.insert(
            id.clone(),
            Stash {
                blocks,
                words: story.words,
                stored: None,
            },
        );
        let reading = self.reader.as_ref().is_some_and(|r| r.article == i);
        if !auto || !reading {
            self.swap_full(i);
        }
    }

    /// Puts a body read from disk in place; the reader shows it if it is open.
    fn body_loaded(&mut self, id: ArticleId, body: Result<(Vec<Block>, usize), String>) {
        self.bodies_requested.remove(&id);
        let Some(i) = self.lib.articles().iter().position(|a| a.id == id) else {
            return;
        };
        if !self.lib.articles()[i].body_unloaded() {
            return;
        }
        let (blocks, words) = match body {
            Ok(b) => b,
            Err(e) => {
                self.warnings.push(e.clone());
                let note = format!("The story could not be read: {e}");
                (vec![Block::new(BlockKind::Paragraph, note)], 0)
            }
        };
        let a = self.lib.article_mut(i);
        a.restore(blocks, None);
        if words > 0 {
            a.words = words;
        }
        if let Some(r) = &mut self.reader
            && r.article == i
        {
            r.lines.clear();
            self.relayout_reader();
        }
    }

    /// The compiled search, if any.
    pub fn matcher(&self) -> Option<crate::core::search::Matcher> {
        crate::core::search::Matcher::new(&self.search)
    }

    /// Applies a new search text; when it only grew, just the current list is searched again.
    fn set_search(&mut self, text: String) {
        let narrowing = !self.search.is_empty()
            && crate::core::search::fold(&text).contains(&crate::core::search::fold(&self.search));
        self.search = text;
        self.ensure_index();
        match (narrowing, self.matcher()) {
            (true, Some(m)) => {
                let keep = self.selected_article();
                let index = &self.search_index;
                self.visible.retain(|&i| m.matches(&index[i]));
                self.visible_unread = self.visible.iter().filter(|&&i| !self.read[i]).count();
                self.selected = keep
                    .and_then(|k| self.visible.binary_search(&k).ok())
                    .unwrap_or(0);
                self.fix_list_offset();
            }
            _ => {
                let f = std::mem::take(&mut self.filter);
                self.set_filter(f);
            }
        }
    }

    /// Moves the reader to the next (or previous) line holding a search match.
    fn jump_to_match(&mut self, forward: bool) {
        let Some(m) = self.matcher() else {
            return;
        };
        let max = self.reader_max_scroll();
        let Some(r) = &mut self.reader else {
            return;
        };
        let hit = |l: &crate::core::layout::Line| m.matches(&crate::core::search::fold(&l.text));
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
                .push(format!("no more matches for '{}'", self.search)),
        }
    }

    fn matches(&self, filter: &Filter, article: usize) -> bool {
        match filter {
            Filter::Row(TreeRow::All) => true,
            Filter::Row(TreeRow::Starred) => self.starred[article],
            Filter::Row(TreeRow::Node(n)) => {
                self.members[article].binary_search(&(*n as u32)).is_ok()
            }
            Filter::Row(TreeRow::Uncategorized) => self.members[article].is_empty(),
            Filter::Query(q) => q.matches(&self.lib.articles()[article]),
        }
    }

    fn rebuild_tree_rows(&mut self) {
        let current = self.tree_rows.get(self.tree_selected).copied();
        let mut rows = vec![TreeRow::All, TreeRow::Starred];
        let mut stack: Vec<usize> = self.tree.roots.iter().rev().copied().collect();
        while let Some(n) = stack.pop() {
            rows.push(TreeRow::Node(n));
            if !self.collapsed[n] {
                stack.extend(self.tree.nodes[n].children.iter().rev());
            }
        }
        if self.tree.uncategorized > 0 {
            rows.push(TreeRow::Uncategorized);
        }
        self.tree_rows = rows;
        self.tree_selected = current
            .and_then(|c| self.tree_rows.iter().position(|r| *r == c))
            .unwrap_or(0);
        self.fix_tree_offset();
    }

    /// Applies a filter, keeping the selected article selected when it is still shown.
    fn set_filter(&mut self, filter: Filter) {
        let keep = self.selected_article();
        let matcher = self.matcher();
        if matcher.is_some() {
            self.ensure_index();
        }
        // Unread-only keeps the selected article, read or not, so it does not vanish under you.
        self.visible = (0..self.lib.len())
            .filter(|&i| {
                self.matches(&filter, i)
                    && (!self.unread_only || !self.read[i] || Some(i) == keep)
                    && matcher
                        .as_ref()
                        .is_none_or(|m| m.matches(&self.search_index[i]))
            })
            .collect();
        self.filter = filter;
        self.visible_unread = self.visible.iter().filter(|&&i| !self.read[i]).count();
        self.selected = keep
            .and_then(|k| self.visible.binary_search(&k).ok())
            .unwrap_or(0);
        self.fix_list_offset();
    }

    fn fix_list_offset(&mut self) {
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
        self.list_offset = keep_in_view(
            self.list_offset,
            self.selected,
            self.list_height(),
            self.visible.len(),
        );
    }

    fn fix_tree_offset(&mut self) {
        self.tree_selected = self
            .tree_selected
            .min(self.tree_rows.len().saturating_sub(1));
        self.tree_offset = keep_in_view(
            self.tree_offset,
            self.tree_selected,
            self.tree_height(),
            self.tree_rows.len(),
        );
    }

    fn fix_reader_scroll(&mut self) {
        let max = self.reader_max_scroll();
        if let Some(r) = &mut self.reader {
            r.scroll = r.scroll.min(max);
        }
    }

    fn mark_read(&mut self, article: usize) -> bool {
        self.set_read(article, true)
    }

    /// Opens the selected headline in the reading pane and marks it read.
    fn open_selected(&mut self) {
        let Some(article) = self.selected_article() else {
            return;
        };
        self.mark_read(article);
        self.lib.render(article);
        self.request_body(article);
        self.reader = Some(Reader {
            article,
            lines: Vec::new(),
            width: 0,
            scroll: 0,
        });
        self.relayout_reader();
    }

    /// Lays the open article out again when the pane's width changed, keeping the line at the top
    /// of the pane (by its element and its place inside the element).
    fn relayout_reader(&mut self) {
        let Some(text) = self.geometry().reader_text() else {
            return;
        };
        let width = usize::from(text.width).max(10);
        let clock = self.clock;
        let Some(r) = &mut self.reader else {
            return;
        };
        if r.width == width && !r.lines.is_empty() {
            return;
        }
        let anchor = r.lines.get(r.scroll).map(|l| {
            let first = first_line_of(&r.lines, l.element);
            let count = r.lines[first..]
                .iter()
                .take_while(|m| m.element == l.element)
                .count();
            (l.element, (r.scroll - first) as f64 / count.max(1) as f64)
        });
        r.lines = layout(&self.lib.articles()[r.article], width, &clock.tz);
        r.width = width;
        r.scroll = match anchor {
            Some((element, frac)) => {
                let first = first_line_of(&r.lines, element);
                let count = r.lines[first..]
                    .iter()
                    .take_while(|m| m.element == element)
                    .count();
                first + (frac * count as f64).floor() as usize
            }
            None => 0,
        };
        self.fix_reader_scroll();
    }

    fn move_selection(&mut self, delta: isize) {
        match self.focus {
            Focus::Tree => {
                self.tree_selected = step(self.tree_selected, delta, self.tree_rows.len());
                self.fix_tree_offset();
            }
            Focus::Headlines => {
                self.selected = step(self.selected, delta, self.visible.len());
                self.fix_list_offset();
            }
            Focus::Reader => {
                let max = self.reader_max_scroll();
                if let Some(r) = &mut self.reader {
                    r.scroll = step(r.scroll, delta, max + 1);
                }
            }
        }
    }

    fn page(&self) -> isize {
        let h = match self.focus {
            Focus::Tree => self.tree_height(),
            Focus::Headlines => self.list_height(),
            Focus::Reader => self.reader_height().saturating_sub(2),
        };
        h.max(1) as isize
    }

    /// Applies the loaded articles: rebuilds the library and tree, keeps read marks, the filter
    /// (by its path), the selection and the open article (by id).
    fn add_articles(&mut self, articles: Vec<Article>) {
        let id_of = |s: &State, i: usize| s.lib.articles()[i].id.clone();
        let selected_id = self.selected_article().map(|i| id_of(self, i));
        let reader_id = self.reader.as_ref().map(|r| id_of(self, r.article));
        let filter_path = match self.filter {
            Filter::Row(TreeRow::Node(n)) => Some(self.tree.path_of(n).to_lowercase()),
            _ => None,
        };
        let collapsed_paths: HashSet<String> = (0..self.tree.nodes.len())
            .filter(|&n| self.collapsed[n])
            .map(|n| self.tree.path_of(n).to_lowercase())
            .collect();

        let mut all: Vec<Article> = std::mem::take(&mut self.lib).into_articles();
        // Full stories on display stay on display when their article is loaded again.
        let shown_full: HashMap<ArticleId, (Vec<Block>, usize)> = all
            .iter_mut()
            .filter(|a| self.full_shown.contains(&a.id))
            .map(|a| (a.id.clone(), (std::mem::take(&mut a.blocks), a.words)))
            .collect();
        all.extend(articles);
        self.lib = Library::new(all);
        if !shown_full.is_empty() {
            for i in 0..self.lib.len() {
                let id = self.lib.articles()[i].id.clone();
                if let Some((blocks, words)) = shown_full.get(&id) {
                    let a = self.lib.article_mut(i);
                    let stash = Stash {
                        blocks: std::mem::replace(&mut a.blocks, blocks.clone()),
                        words: std::mem::replace(&mut a.words, *words),
                        stored: a.stored.take(),
                    };
                    self.full_stash.insert(id, stash);
                }
            }
        }
        self.search_index.clear();
        if self.body_search == BodySearch::Done {
            // New articles' bodies may be on disk: asked for at the next search.
            self.body_search = BodySearch::Idle;
        }
        self.bodies_requested.clear();
        let (tree, members) = CategoryTree::build_indexed(self.lib.articles());
        self.tree = tree;
        self.members = members;
        self.collapsed = (0..self.tree.nodes.len())
            .map(|n| collapsed_paths.contains(&self.tree.path_of(n).to_lowercase()))
            .collect();
        self.apply_marks();
        let find = |s: &State, id: &Option<ArticleId>| {
            id.as_ref()
                .and_then(|id| s.lib.articles().iter().position(|a| &a.id == id))
        };
        let filter = match (std::mem::take(&mut self.filter), filter_path) {
            (Filter::Row(TreeRow::Node(_)), Some(path)) => Filter::Row(
                (0..self.tree.nodes.len())
                    .find(|&n| self.tree.path_of(n).to_lowercase() == path)
                    .map_or(TreeRow::All, TreeRow::Node),
            ),
            (f, _) => f,
        };
        let selected = find(self, &selected_id);
        let reader = find(self, &reader_id);
        // set_filter keeps the selection by library index: point it at the new index first.
        self.visible = selected.into_iter().collect();
        self.selected = 0;
        self.rebuild_tree_rows();
        self.set_filter(filter);
        if selected.is_none() {
            self.selected = 0;
            self.fix_list_offset();
        }
        match (reader, &mut self.reader) {
            (Some(i), Some(r)) => r.article = i,
            _ => self.reader = None,
        }
        // The article being read came again with its body on disk: the lines on screen stay
        // until the body is back.
        if let Some(i) = self.reader.as_ref().map(|r| r.article) {
            self.request_body(i);
        }
        self.recount();
    }

    /// Read and star flags from the remembered marks, one per library article.
    fn apply_marks(&mut self) {
        let (read, starred) = self
            .lib
            .articles()
            .iter()
            .map(|a| self.marks.get(&a.id).copied().unwrap_or((false, false)))
            .unzip();
        self.read = read;
        self.starred = starred;
    }

    fn apply_initial_category(&mut self) {
        let Some(path) = self.initial_category.take() else {
            return;
        };
        match self.lib.category_filter(&path) {
            Ok(f) => {
                let roots = self.tree.selected_roots(&f);
                let filter = match roots.as_slice() {
                    [one] => Filter::Row(TreeRow::Node(*one)),
                    _ => Filter::Query(f),
                };
                if let Some(i) = filter
                    .row()
                    .and_then(|r| self.tree_rows.iter().position(|x| *x == r))
                {
                    self.tree_selected = i;
                    self.fix_tree_offset();
                }
                self.set_filter(filter);
            }
            Err(e) => self.warnings.push(e.to_string()),
        }
    }
}

/// `index + delta`, clamped to `0..len`.
fn step(index: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    index.saturating_add_signed(delta).min(len - 1)
}

/// The first row to show so that `selected` is inside a window of `height` rows.
fn keep_in_view(offset: usize, selected: usize, height: usize, len: usize) -> usize {
    if height == 0 {
        return selected;
    }
    let max_offset = len.saturating_sub(height);
    let offset = if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    };
    offset.min(max_offset)
}

/// The only writer of state.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let mut effects = update_inner(state, action);
    effects.append(&mut state.work);
    if !state.unsaved.is_empty() {
        effects.push(Effect::SaveMarks(std::mem::take(&mut state.unsaved)));
    }
    effects
}

fn update_inner(state: &mut State, action: Action) -> Vec<Effect> {
    let background = matches!(
        action,
        Action::Resize { .. }
            | Action::Loaded { .. }
            | Action::LoadingDone
            | Action::Quit
            | Action::Source { .. }
            | Action::Tick
            | Action::BodyLoaded { .. }
            | Action::BodyTexts { .. }
            | Action::FullLoaded { .. }
    );
    if state.links.is_some() && !background {
        return links_overlay(state, action);
    }
    // An overlay (help, sources) takes the keys until it is closed.
    if (state.help || state.show_sources) && !background {
        if matches!(
            action,
            Action::ToggleHelp | Action::CloseHelp | Action::Back
        ) {
            state.help = false;
        }
        if matches!(
            action,
            Action::ToggleSources | Action::CloseHelp | Action::Back
        ) {
            state.show_sources = false;
        }
        return Vec::new();
    }
    match action {
        Action::Quit => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        Action::Up => state.move_selection(-1),
        Action::Down => state.move_selection(1),
        Action::PageUp => state.move_selection(-state.page()),
        Action::PageDown => state.move_selection(state.page()),
        Action::Top => state.move_selection(isize::MIN / 2),
        Action::Bottom => state.move_selection(isize::MAX / 2),
        Action::FocusNext => set_focus(state, state.focus.next()),
        Action::FocusPrev => set_focus(state, state.focus.prev()),
        Action::JumpToTree => {
            if let Some(i) = state
                .filter
                .row()
                .and_then(|f| state.tree_rows.iter().position(|r| *r == f))
            {
                state.tree_selected = i;
            }
            set_focus(state, Focus::Tree);
        }
        Action::Choose => match state.focus {
            Focus::Tree => {
                if let Some(&row) = state.tree_rows.get(state.tree_selected) {
                    state.set_filter(Filter::Row(row));
                    set_focus(state, Focus::Headlines);
                }
            }
            Focus::Headlines => {
                if state.selected_article().is_some() {
                    set_focus(state, Focus::Reader);
                    state.open_selected();
                }
            }
            Focus::Reader => {}
        },
        Action::Back => match state.focus {
            Focus::Reader => set_focus(state, Focus::Headlines),
            Focus::Headlines => set_focus(state, Focus::Tree),
            Focus::Tree => {
                if let Some(TreeRow::Node(n)) = state.tree_rows.get(state.tree_selected).copied() {
                    if !state.collapsed[n] && !state.tree.nodes[n].children.is_empty() {
                        state.collapsed[n] = true;
                        state.rebuild_tree_rows();
                    } else if let Some(p) = state.tree.nodes[n].parent {
                        state.tree_selected = state
                            .tree_rows
                            .iter()
                            .position(|r| *r == TreeRow::Node(p))
                            .unwrap_or(0);
                        state.fix_tree_offset();
                    }
                }
            }
        },
        Action::ToggleCollapse => {
            if state.focus == Focus::Tree
                && let Some(TreeRow::Node(n)) = state.tree_rows.get(state.tree_selected).copied()
                && !state.tree.nodes[n].children.is_empty()
            {
                state.collapsed[n] = !state.collapsed[n];
                state.rebuild_tree_rows();
            }
        }
        Action::NextArticle | Action::PrevArticle => {
            let delta = if action == Action::NextArticle { 1 } else { -1 };
            let next = step(state.selected, delta, state.visible.len());
            if next != state.selected || state.reader.is_none() {
                state.selected = next;
                state.fix_list_offset();
                state.open_selected();
            }
        }
        Action::ToggleHelp => state.help = !state.help,
        Action::CloseHelp => state.help = false,
        Action::Resize { width, height } => {
            state.width = width;
            state.height = height;
            state.relayout_reader();
            state.fix_list_offset();
            state.fix_tree_offset();
            state.fix_reader_scroll();
        }
        Action::Click { column, row } => click(state, column, row),
        Action::ScrollUp { column, row } => wheel(state, column, row, -(WHEEL_LINES as isize)),
        Action::ScrollDown { column, row } => wheel(state, column, row, WHEEL_LINES as isize),
        Action::Loaded { articles, warnings } => {
            state.warnings.extend(warnings);
            if !articles.is_empty() {
                state.add_articles(articles);
            }
        }
        Action::LoadingDone => {
            state.loading = false;
            state.apply_initial_category();
        }
        Action::Source { label, state: new } => {
            // Failures reach the warnings through `Loaded`; this only tracks the state.
            match state.sources.iter_mut().find(|s| s.label == label) {
                Some(s) => s.state = new,
                None => state.sources.push(SourceStatus { label, state: new }),
            }
        }
        Action::Tick => state.spinner = state.spinner.wrapping_add(1),
        Action::ToggleSources => state.show_sources = !state.show_sources,
        Action::Refresh => {
            let article = state
                .reader
                .as_ref()
                .map(|r| r.article)
                .or_else(|| state.selected_article());
            if let Some(label) = article.and_then(|a| state.source_of(a)).map(String::from) {
                return reload(state, vec![label]);
            }
        }
        Action::OpenLink => {
            let link = state
                .reader_article()
                .and_then(|a| a.link.clone())
                .filter(|l| openable(l));
            match link {
                Some(l) => return vec![Effect::OpenUrl(l)],
                None => state
                    .warnings
                    .push("this article has no link to open".into()),
            }
        }
        Action::ToggleRead => {
            if let Some(i) = state.target() {
                let read = !state.read[i];
                state.set_read(i, read);
            }
        }
        Action::ToggleStar => {
            if let Some(i) = state.target() {
                let starred = !state.starred[i];
                state.set_starred(i, starred);
            }
        }
        Action::MarkAllRead => {
            let mut marked = Vec::new();
            for i in state.visible.clone() {
                if state.set_read(i, true) {
                    marked.push(state.lib.articles()[i].id.clone());
                }
            }
            state.last_mark_all = marked;
        }
        Action::UndoMarkAll => {
            let ids: HashSet<ArticleId> = std::mem::take(&mut state.last_mark_all)
                .into_iter()
                .collect();
            for i in 0..state.lib.len() {
                if ids.contains(&state.lib.articles()[i].id) {
                    state.set_read(i, false);
                }
            }
        }
        Action::ToggleUnreadOnly => {
            state.unread_only = !state.unread_only;
            let f = std::mem::take(&mut state.filter);
            state.set_filter(f);
        }
        Action::Marks(marks) => {
            for (id, read, starred) in marks {
                state.marks.insert(id, (read, starred));
            }
            state.apply_marks();
            state.recount();
        }
        Action::StartSearch => {
            let chars = state.search.chars().count();
            state.search_box = Some((state.search.clone(), chars));
        }
        Action::SearchInput(key) => search_key(state, key),
        Action::BodyLoaded { id, body } => state.body_loaded(id, body),
        Action::BodyTexts { texts, done } => state.add_body_texts(texts, done),
        Action::ToggleFull => state.toggle_full(),
        Action::FullLoaded { id, story, auto } => state.full_loaded(id, story, auto),
        Action::NextMatch => state.jump_to_match(true),
        Action::PrevMatch => state.jump_to_match(false),
        Action::ShowLinks => {
            let links = state
                .reader_article()
                .map(article_links)
                .unwrap_or_default();
            if links.is_empty() {
                state.warnings.push("this article has no links".into());
            } else {
                state.links = Some((links, 0));
            }
        }
        Action::RefreshAll => {
            let all = state.sources.iter().map(|s| s.label.clone()).collect();
            return reload(state, all);
        }
    }
    Vec::new()
}

/// A key in the search box: edit the text (the list follows as you type), keep it, or clear it.
fn search_key(state: &mut State, key: SearchKey) {
    let Some((mut text, mut cursor)) = state.search_box.take() else {
        return;
    };
    let byte = |t: &str, c: usize| t.char_indices().nth(c).map_or(t.len(), |(b, _)| b);
    let len = text.chars().count();
    match key {
        SearchKey::Char(c) if !c.is_control() => {
            text.insert(byte(&text, cursor), c);
            cursor += 1;
        }
        SearchKey::Char(_) => {}
        SearchKey::Backspace if cursor > 0 => {
            text.remove(byte(&text, cursor - 1));
            cursor -= 1;
        }
        SearchKey::Backspace => {}
        SearchKey::Delete if cursor < len => {
            text.remove(byte(&text, cursor));
        }
        SearchKey::Delete => {}
        SearchKey::Left => cursor = cursor.saturating_sub(1),
        SearchKey::Right => cursor = (cursor + 1).min(len),
        SearchKey::Home => cursor = 0,
        SearchKey::End => cursor = len,
        SearchKey::Accept => {
            // The box closes; the filter stays (the status bar shows it).
            return;
        }
        SearchKey::Cancel => {
            state.set_search(String::new());
            return;
        }
    }
    if text != state.search {
        state.set_search(text.clone());
    }
    state.search_box = Some((text, cursor));
}

/// Whether a link's page can be fetched for its full story: `http`/`https` only.
pub fn fetchable(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Only these schemes are ever handed to a browser.
pub fn openable(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// `(label, URL)`: the article's own link (`page`), then its numbered links (`[n]`, the
/// `[n] URL` items under the closing "Links" heading that HTML bodies get); openable ones only.
pub fn article_links(a: &Article) -> Vec<(String, String)> {
    use crate::core::model::BlockKind;
    let mut out: Vec<(String, String)> = a
        .link
        .iter()
        .map(|l| ("page".to_string(), l.clone()))
        .collect();
    let start = a
        .blocks
        .iter()
        .rposition(|b| b.kind == BlockKind::Heading && b.text == "Links")
        .map_or(a.blocks.len(), |i| i + 1);
    for b in &a.blocks[start..] {
        if b.kind == BlockKind::ListItem
            && let Some((n, url)) = b.text.split_once("] ")
        {
            out.push((format!("{n}]"), url.to_string()));
        }
    }
    out.retain(|(_, u)| openable(u));
    out
}

/// Keys while the links overlay is open: move, open the chosen link, close.
fn links_overlay(state: &mut State, action: Action) -> Vec<Effect> {
    let Some((links, selected)) = &mut state.links else {
        return Vec::new();
    };
    match action {
        Action::Up => *selected = selected.saturating_sub(1),
        Action::Down => *selected = (*selected + 1).min(links.len().saturating_sub(1)),
        Action::Top => *selected = 0,
        Action::Bottom => *selected = links.len().saturating_sub(1),
        Action::Choose => {
            let url = links.get(*selected).map(|(_, u)| u.clone());
            state.links = None;
            return url.map(Effect::OpenUrl).into_iter().collect();
        }
        Action::Back | Action::CloseHelp | Action::ShowLinks => state.links = None,
        _ => {}
    }
    Vec::new()
}

/// Marks the sources as loading again and asks the shell to load them.
fn reload(state: &mut State, labels: Vec<String>) -> Vec<Effect> {
    let labels: Vec<String> = labels
        .into_iter()
        .filter(|l| {
            state.sources.iter().any(|s| {
                &s.label == l && !matches!(s.state, SourceState::Queued | SourceState::Loading)
            })
        })
        .collect();
    if labels.is_empty() {
        return Vec::new();
    }
    for s in state
        .sources
        .iter_mut()
        .filter(|s| labels.contains(&s.label))
    {
        s.state = SourceState::Loading;
    }
    state.loading = true;
    vec![Effect::Reload(labels)]
}

fn set_focus(state: &mut State, focus: Focus) {
    state.focus = focus;
    // In narrow mode the panes' sizes depend on the focus.
    state.relayout_reader();
    state.fix_list_offset();
    state.fix_tree_offset();
    state.fix_reader_scroll();
}

fn click(state: &mut State, column: u16, row: u16) {
    let g = state.geometry();
    let Some(pane) = g.pane_at(column, row) else {
        return;
    };
    let inner = g.pane(pane).map(|a| a.inner()).unwrap_or_default();
    let line = usize::from(row.saturating_sub(inner.y));
    let inside = inner.contains(column, row);
    match pane {
        Focus::Tree => {
            let i = state.tree_offset + line;
            if inside && i < state.tree_rows.len() {
                state.tree_selected = i;
                let r = state.tree_rows[i];
                state.set_filter(Filter::Row(r));
            }
            set_focus(state, Focus::Tree);
        }
        Focus::Headlines => {
            let i = state.list_offset + line;
            if inside && i < state.visible.len() {
                let again = i == state.selected && state.focus == Focus::Headlines;
                state.selected = i;
                state.fix_list_offset();
                if again {
                    if g.mode == Mode::Narrow {
                        set_focus(state, Focus::Reader);
                    }
                    state.open_selected();
                    return;
                }
            }
            set_focus(state, Focus::Headlines);
        }
        Focus::Reader => set_focus(state, Focus::Reader),
    }
}

fn wheel(state: &mut State, column: u16, row: u16, delta: isize) {
    let Some(pane) = state.geometry().pane_at(column, row) else {
        return;
    };
    let focus = state.focus;
    state.focus = pane;
    state.move_selection(delta);
    state.focus = focus;
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;

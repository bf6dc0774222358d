//! The reader's state, the one `Action` enum (key intents and load results) and `update`, the
//! only writer of state, which returns the IO it wants as `Effect`s.
//!
//! `State` is made of parts, one file each, each a struct with its own methods and the handlers
//! of its concern (`impl State` blocks): `marks` (read and star marks and their counts),
//! `search` (the box, the query and its index), `tree_view` (the category tree pane),
//! `list_view` (the headline list), `reader` (the reading pane), `overlay` (help, sources or
//! links, one at a time), `sources` (each source's state, the spinner) and `full` (full
//! stories), `picture` (the open article's first picture). `navigate` moves about (keys, mouse, size); `load` takes in new articles. Outside
//! this module the state is read through the accessors below and changed only by `update`.

mod action;
mod full;
mod head;
mod list_view;
mod load;
mod marks;
mod navigate;
mod overlay;
mod panes;
mod picture;
mod reader;
mod search;
mod sources;
mod stories;
mod tree_view;
mod warnings;

pub use action::{Action, Effect, SearchKey};
pub use full::{FullText, fetchable};
pub use head::{BODY_LATER, HEAD_ROWS, Head, RestCounts, tree_is_sound};
pub use list_view::Filter;
pub use marks::Mark;
pub use overlay::{HelpBox, Link, Overlay, Scrolled, article_links, help_box, openable};
pub use picture::{Picture, PictureState, ReaderPicture};
pub use reader::Reader;
pub use search::{IndexProgress, SearchInput};
pub use sources::{SourceLine, SourceLineKind, SourceState, SourceStatus};
pub use stories::StoryGroup;
pub use tree_view::TreeRow;

use crate::core::category::CategoryTree;
use crate::core::geometry::{Border, Focus, Geometry, Mode, Panes};
use crate::core::help::HelpSection;
use crate::core::library::Library;
use crate::core::model::ArticleId;
use chrono::{DateTime, FixedOffset, Utc};

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

#[derive(Debug, Default)]
pub struct State {
    lib: Library,
    marks: marks::Marks,
    search: search::Search,
    full: full::Full,
    pictures: picture::Pictures,
    tree: tree_view::TreeView,
    list: list_view::ListView,
    reader: reader::ReaderPane,
    overlay: Overlay,
    sources: sources::Sources,
    focus: Focus,
    width: u16,
    height: u16,
    /// The user's pane sizes and zoom.
    panes: Panes,
    /// The border being dragged with the mouse, and how far right of (or below) the pointer
    /// its line between the panes is (0 or 1: either of its two cells was grabbed).
    drag: Option<(Border, u16)>,
    /// The first line the open overlay (help or sources) shows.
    overlay_scroll: usize,
    /// The help's sections (from the key table, sent by the shell).
    help: Vec<HelpSection>,
    /// Warnings, oldest first, each once; the status bar shows the last.
    warnings: warnings::Warnings,
    /// `--category PATH`, applied once the articles are in.
    initial_category: Option<String>,
    clock: Clock,
    /// What the last refresh brought.
    fresh: load::Fresh,
    /// Stories of several versions (issue 17).
    stories: stories::Stories,
    /// The head of the last run on screen while the library loads (issue 15).
    preview: Option<head::Preview>,
    /// `--category PATH` as given: the start view a head is made for.
    start_category: Option<String>,
    quit: bool,
    /// Background work asked for by the action being handled.
    work: Vec<Effect>,
}

/// The only writer of state.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let mut effects = state.dispatch(action);
    state.check_picture();
    effects.append(&mut state.work);
    if !state.marks.unsaved.is_empty() {
        effects.push(Effect::SaveMarks(std::mem::take(&mut state.marks.unsaved)));
    }
    effects
}

impl State {
    pub fn new(clock: Clock, initial_category: Option<String>) -> State {
        let mut state = State {
            clock,
            start_category: initial_category.clone(),
            initial_category,
            ..State::default()
        };
        state.sources.loading = true;
        state.tree.rows = vec![TreeRow::All];
        state
    }

    /// Hands the action to the part it concerns. An open overlay takes the keys.
    fn dispatch(&mut self, action: Action) -> Vec<Effect> {
        use Action as A;
        // On the "terminal too small" screen nothing is seen: keys and clicks would move the
        // selection unseen. Only quitting and the shell's actions (a resize among them) go on.
        if self.geometry().mode == Mode::TooSmall && !action.is_background() {
            return Vec::new();
        }
        if self.overlay.is_open() && !action.is_background() {
            return self.overlay_key(action);
        }
        match action {
            A::Quit => {
                self.quit = true;
                return vec![Effect::Quit];
            }
            A::Up | A::Down | A::PageUp | A::PageDown | A::Top | A::Bottom => self.navigate(action),
            A::FocusNext | A::FocusPrev | A::JumpToTree | A::Choose | A::Back => {
                self.navigate(action)
            }
            A::ToggleCollapse | A::NextArticle | A::PrevArticle => self.navigate(action),
            A::Resize { .. } | A::Click { .. } | A::ScrollUp { .. } | A::ScrollDown { .. } => {
                self.navigate(action)
            }
            A::Drag { .. } | A::Release | A::NarrowerList | A::WiderList | A::ToggleZoom => {
                self.on_panes(action)
            }
            A::KeyHelp(help) => self.help = help,
            A::ToggleHelp | A::CloseHelp | A::ToggleSources | A::ShowLinks => {
                self.open_overlay(action)
            }
            A::ToggleRead
            | A::ToggleStar
            | A::MarkAllRead
            | A::UndoMarkAll
            | A::Marks(_)
            | A::ReadByRule(_)
            | A::ServerMarks(_) => self.on_marks(action),
            A::ToggleUnreadOnly => self.toggle_unread_only(),
            A::Stories { .. } | A::StoryMarksOne(_) | A::ToggleStory | A::NextVersion => {
                self.on_stories(action)
            }
            A::StartSearch => self.start_search(),
            A::SearchInput(key) => self.search_key(key),
            A::NextMatch => self.jump_to_match(true),
            A::PrevMatch => self.jump_to_match(false),
            A::SearchTexts(texts) => self.add_search_texts(texts),
            A::SearchHits { query, ids } => self.take_hits(query, ids),
            A::IndexProgress { indexed, total } => self.on_index_progress(indexed, total),
            A::Loaded { articles, warnings } => self.loaded(articles, warnings),
            A::LoadingDone => self.loading_done(),
            A::BodyLoaded { id, body } => self.body_loaded(id, body),
            A::Warn(w) => self.warnings.push(w),
            A::Source { .. }
            | A::MarksWaiting { .. }
            | A::SourceNames(_)
            | A::Notice(_)
            | A::Schedule { .. }
            | A::Time(_)
            | A::Tick => {
                return self.on_sources(action);
            }
            A::Refresh | A::RefreshAll => return self.on_sources(action),
            A::OpenLink => return self.open_link(),
            A::ToggleFull => self.toggle_full(),
            A::FullLoaded { id, story, auto } => self.full_loaded(id, story, auto),
            A::ImagesAvailable(cell) => self.set_images_available(cell),
            A::ImageLoaded { id, url, picture } => self.image_loaded(id, url, picture),
            A::Head(head) => self.show_head(*head),
            A::StoredLoaded => self.end_preview(),
        }
        Vec::new()
    }

    // Reading the state: what the screen, the shell and the tests look at.

    pub fn lib(&self) -> &Library {
        &self.lib
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The focused pane.
    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn geometry(&self) -> Geometry {
        Geometry::with_panes(self.width, self.height, self.focus, &self.panes)
    }

    /// The user's pane sizes and zoom (the layout is [`State::geometry`]).
    pub fn panes(&self) -> &Panes {
        &self.panes
    }

    /// The help's sections, as the shell sent them (empty until it has).
    pub fn help(&self) -> &[HelpSection] {
        &self.help
    }

    /// The first line the open overlay shows (the UI clamps it to the text).
    pub fn overlay_scroll(&self) -> usize {
        self.overlay_scroll
    }

    /// Whether `Quit` came.
    pub fn is_quitting(&self) -> bool {
        self.quit
    }

    /// Warnings, oldest first, each once; the status bar shows the last.
    pub fn warnings(&self) -> &[String] {
        self.warnings.list()
    }

    pub fn overlay(&self) -> &Overlay {
        &self.overlay
    }

    // The headline list.

    /// Library indices shown in the headline list, in library order (newest first).
    pub fn visible(&self) -> &[usize] {
        &self.list.visible
    }

    /// Unread articles in the headline list.
    pub fn visible_unread(&self) -> usize {
        self.list.visible_unread
    }

    /// The selected row of the headline list (an index into [`State::visible`]).
    pub fn selected(&self) -> usize {
        self.list.selected
    }

    /// The first row the headline list shows.
    pub fn list_offset(&self) -> usize {
        self.list.offset
    }

    /// The selected article's library index.
    pub fn selected_article(&self) -> Option<usize> {
        self.list.selected_article()
    }

    pub fn filter(&self) -> &Filter {
        &self.list.filter
    }

    /// `u`: only unread articles are listed.
    pub fn unread_only(&self) -> bool {
        self.list.unread_only
    }

    /// Rows of the headline list that fit in its pane.
    pub fn list_height(&self) -> usize {
        self.geometry()
            .headlines
            .map_or(0, |a| usize::from(a.inner().height))
    }

    /// The filter's name: `All`, a category path, or `Uncategorized`.
    pub fn filter_name(&self) -> String {
        match &self.list.filter {
            Filter::Row(r) => self.row_name(*r),
            Filter::Query(q) => q.query().text().to_string(),
        }
    }

    // The category tree.

    pub fn categories(&self) -> &CategoryTree {
        &self.tree.categories
    }

    /// The rows the tree pane shows (collapsed subtrees left out).
    pub fn tree_rows(&self) -> &[TreeRow] {
        &self.tree.rows
    }

    pub fn tree_selected(&self) -> usize {
        self.tree.selected
    }

    pub fn tree_offset(&self) -> usize {
        self.tree.offset
    }

    /// Whether tree node `n` is folded.
    pub fn is_collapsed(&self, n: usize) -> bool {
        self.tree.collapsed[n]
    }

    pub fn tree_height(&self) -> usize {
        self.geometry()
            .tree
            .map_or(0, |a| usize::from(a.inner().height))
    }

    pub fn row_name(&self, row: TreeRow) -> String {
        match row {
            TreeRow::All => "All".to_string(),
            TreeRow::Starred => "Starred".to_string(),
            TreeRow::Node(n) => self.tree.categories.path_of(n),
            TreeRow::Uncategorized => "Uncategorized".to_string(),
        }
    }

    pub fn row_count(&self, row: TreeRow) -> usize {
        match row {
            TreeRow::All => self.tree.categories.total,
            TreeRow::Starred => self.marks.starred_count.0,
            TreeRow::Node(n) => self.tree.categories.nodes[n].count,
            TreeRow::Uncategorized => self.tree.categories.uncategorized,
        }
    }

    /// Unread articles in a row's subtree.
    pub fn row_unread(&self, row: TreeRow) -> usize {
        match row {
            TreeRow::All => self.marks.unread,
            TreeRow::Starred => self.marks.starred_count.1,
            TreeRow::Node(n) => self.marks.node_unread.get(n).copied().unwrap_or(0),
            TreeRow::Uncategorized => self.marks.uncategorized_unread,
        }
    }

    // Marks.

    /// Whether library article `i` has been read.
    pub fn is_read(&self, i: usize) -> bool {
        self.marks.read[i]
    }

    /// Whether library article `i` is starred.
    pub fn is_starred(&self, i: usize) -> bool {
        self.marks.starred.get(i).copied().unwrap_or(false)
    }

    /// Per library index: read.
    pub fn read_marks(&self) -> &[bool] {
        &self.marks.read
    }

    /// Unread articles in the library.
    pub fn unread(&self) -> usize {
        self.marks.unread
    }

    /// Starred articles: (total, unread).
    pub fn starred_count(&self) -> (usize, usize) {
        self.marks.starred_count
    }

    // The search.

    /// The search applied to the list (empty: none).
    pub fn search_query(&self) -> &str {
        &self.search.query
    }

    /// The search box, while it is open.
    pub fn search_input(&self) -> Option<&SearchInput> {
        self.search.input.as_ref()
    }

    /// How far the full-text index is.
    pub fn index_progress(&self) -> IndexProgress {
        self.search.progress
    }

    // The reading pane and full stories.

    /// The article open in the reading pane, laid out.
    pub fn reader(&self) -> Option<&Reader> {
        self.reader.open.as_ref()
    }

    /// Whether the article shows its full story.
    pub fn is_full_shown(&self, id: &ArticleId) -> bool {
        self.full.is_shown(id)
    }

    /// Whether the article's full story is being fetched.
    pub fn is_full_fetching(&self, id: &ArticleId) -> bool {
        self.full.is_fetching(id)
    }

    // Sources.

    /// Until every source has reported (and again while some reload).
    pub fn loading(&self) -> bool {
        self.sources.loading
    }

    /// Every source and how it is doing, in the order given.
    pub fn sources(&self) -> &[SourceStatus] {
        self.sources.statuses()
    }

    /// The config's name for a source.
    pub fn source_name(&self, label: &str) -> Option<&str> {
        self.sources.name_of(label)
    }

    /// Spinner frame.
    pub fn spinner(&self) -> usize {
        self.sources.spinner
    }

    /// `(done, total)` over the sources, while any is queued or loading.
    pub fn progress(&self) -> Option<(usize, usize)> {
        self.sources.progress()
    }

    /// `(files read, files in all)` over the folders being read, if any.
    pub fn files_progress(&self) -> Option<(usize, usize)> {
        self.sources.files_progress()
    }

    /// When the next scheduled refresh is due, if any.
    pub fn next_timer(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.sources.timers.values().min().copied()
    }

    /// Articles the last refresh brought (since the first load), until the next refresh.
    pub fn fresh_count(&self) -> usize {
        self.fresh.ids.len()
    }

    /// Whether tree node `n` holds an article the last refresh brought.
    pub fn is_fresh_node(&self, n: usize) -> bool {
        self.fresh.nodes.contains(&n)
    }

    /// What the last refresh did (`r`/`R`), until the next one starts.
    pub fn notice(&self) -> Option<&str> {
        self.sources.notice.as_deref()
    }

    /// The source an article came from: the one whose label is its origin or a folder above it.
    pub fn source_of(&self, article: usize) -> Option<&str> {
        let origin: &str = &self.lib.articles().get(article)?.origin;
        self.sources.source_of(origin)
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

#[cfg(test)]
mod tests;

#[cfg(test)]
mod view_tests;

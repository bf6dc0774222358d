//! What can happen (`Action`: key intents and load results) and the IO `update` asks for
//! (`Effect`).

use super::full::FullText;
use super::marks::Mark;
use super::picture::Picture;
use super::sources::SourceState;
use crate::core::model::{Article, ArticleId, Block, BodyRef};
use std::collections::HashMap;
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
    /// The mouse moved with its left button down (dragging a pane border).
    Drag {
        column: u16,
        row: u16,
    },
    /// The left mouse button went up (the end of a drag).
    Release,
    /// `<`: the headline list narrower (the border next to it moved).
    NarrowerList,
    /// `>`: the headline list wider.
    WiderList,
    /// `Z`: the reading pane alone on the screen while it has the focus, or back.
    ToggleZoom,
    /// The help's sections, made from the key table by the shell (the help overlay scrolls
    /// over them and the UI draws them).
    KeyHelp(Vec<crate::core::help::HelpSection>),
    /// Articles from a source, with the warnings met on the way.
    Loaded {
        articles: Vec<Article>,
        warnings: Vec<String>,
    },
    /// Every source has reported.
    LoadingDone,
    /// Read and star marks kept from earlier runs.
    Marks(Vec<Mark>),
    /// Articles a `mark_read` filter matches: read unless marked otherwise (not saved).
    ReadByRule(Vec<ArticleId>),
    /// The worker's story grouping changed: stories of two or more versions now (new or whose
    /// versions changed), and stories that no longer exist.
    Stories {
        changed: Vec<super::StoryGroup>,
        removed: Vec<crate::core::story::StoryId>,
    },
    /// `story_marks = "one"`: a mark stays with the version marked (default: every version).
    StoryMarksOne(bool),
    /// `z`: show the selected story's versions as rows of their own, or fold them again.
    ToggleStory,
    /// `v`: read the next version of the open article's story.
    NextVersion,
    /// A sync server's read and star state, after a sync: applied but to the articles marked
    /// here since the last such state (the sync may have begun before those marks reached its
    /// queue; they are sent, and the next sync's state has them).
    ServerMarks(Vec<Mark>),
    /// The config's names for sources, by label (shown in the sources view).
    SourceNames(HashMap<String, String>),
    /// How a source is doing (added, or updated by label).
    Source {
        label: String,
        state: SourceState,
    },
    /// The marks waiting to be sent to sync server `label` now (queued, or sent, between its
    /// syncs).
    MarksWaiting {
        label: String,
        pending: usize,
    },
    /// Something the shell met that the user should know (a save or an open that failed); the
    /// status bar shows the latest.
    Warn(String),
    /// What a refresh did (`r`/`R`: "re-read 8 files"), for the status bar until the next.
    Notice(String),
    /// Load the source labelled `label` again at `at` (its `refresh_every`, never sooner than
    /// the feed or its server asks).
    Schedule {
        label: String,
        at: chrono::DateTime<chrono::Utc>,
    },
    /// The time now, when a scheduled refresh may be due (see `State::next_timer`).
    Time(chrono::DateTime<chrono::Utc>),
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
        body: Result<(Vec<Block>, u32), String>,
    },
    /// Folded search text of articles' headers (see `search::index_text`), folded by the
    /// worker as the articles load, so the first search keystroke need not fold them.
    SearchTexts(Vec<(ArticleId, Arc<str>)>),
    /// What the full-text index found for this search text (see `Effect::Search`).
    SearchHits {
        query: String,
        ids: Vec<ArticleId>,
    },
    /// How far the full-text index is: articles indexed of those waiting this run (equal when
    /// done).
    IndexProgress {
        indexed: usize,
        total: usize,
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
    /// Pictures are on (`images` in the config) and the terminal can show them (the shell's
    /// probe): the size of its cells in pixels (width, height). Sent once at start; `None`, as
    /// before it comes: no pictures.
    ImagesAvailable(Option<(u16, u16)>),
    /// A picture fetched and decoded (see `Effect::FetchImage`), or why not.
    ImageLoaded {
        id: ArticleId,
        url: String,
        picture: Result<Arc<Picture>, String>,
    },
    /// The first screen saved by the last run (issue 15): shown at once, before the library
    /// has loaded, as a preview.
    Head(Box<super::Head>),
    /// Every source stored from the last run (local folders, cached feeds, archived servers)
    /// has reported: the library replaces the preview.
    StoredLoaded,
}

impl Action {
    /// Whether the action comes from the shell or a loader rather than from a key or the mouse:
    /// an open overlay lets these through and takes every other.
    pub fn is_background(&self) -> bool {
        matches!(
            self,
            Action::Resize { .. }
                | Action::ReadByRule(_)
                | Action::Stories { .. }
                | Action::StoryMarksOne(_)
                | Action::Marks(_)
                | Action::Loaded { .. }
                | Action::LoadingDone
                | Action::ServerMarks(_)
                | Action::Quit
                | Action::Source { .. }
                | Action::MarksWaiting { .. }
                | Action::Notice(_)
                | Action::Schedule { .. }
                | Action::Time(_)
                | Action::SourceNames(_)
                | Action::KeyHelp(_)
                | Action::Release
                | Action::Warn(_)
                | Action::Tick
                | Action::BodyLoaded { .. }
                | Action::SearchTexts(_)
                | Action::SearchHits { .. }
                | Action::IndexProgress { .. }
                | Action::FullLoaded { .. }
                | Action::ImagesAvailable(_)
                | Action::ImageLoaded { .. }
                | Action::Head(_)
                | Action::StoredLoaded
        )
    }
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

/// IO that `update` asks the shell to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Load these sources again (by label).
    Reload(Vec<String>),
    /// Open this URL (http, https or mailto only) in the browser.
    OpenUrl(String),
    /// Read or star marks changed, to be saved.
    SaveMarks(Vec<Mark>),
    /// Fetch the full story of this article from its link (the cached copy if there is one) and
    /// send `Action::FullLoaded`.
    FetchFull {
        id: ArticleId,
        link: String,
    },
    /// A refresh brought `count` new articles in these top-level categories (for `on_new`).
    NewArticles {
        count: usize,
        categories: Vec<String>,
    },
    /// Read this article's body from disk and send `Action::BodyLoaded`.
    LoadBody {
        id: ArticleId,
        at: BodyRef,
    },
    /// Ask the full-text index for this FTS5 expression (see `search::fts_expression`) and
    /// send what it finds in `Action::SearchHits` for `query`.
    Search {
        query: String,
        expression: String,
    },
    /// Fetch this picture (`http`/`https`, the feed limits, the cache), decode it and send
    /// `Action::ImageLoaded`.
    FetchImage {
        id: ArticleId,
        url: String,
    },
    /// Save this first screen for the next start (issue 15), replacing the last one.
    SaveHead(Box<super::Head>),
}

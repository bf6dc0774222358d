//! The headline list: the filter, the articles it shows (with unread-only and the search
//! applied), the selected one and the first row shown.

use super::{State, TreeRow, keep_in_view, step};
use crate::core::category::CategoryFilter;

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

#[derive(Debug, Default)]
pub struct ListView {
    /// The category filter.
    pub(super) filter: Filter,
    /// `u`: only unread articles are listed.
    pub(super) unread_only: bool,
    /// Library indices shown, in library order (newest first).
    pub(super) visible: Vec<usize>,
    /// Unread articles among them.
    pub(super) visible_unread: usize,
    /// Index into `visible`.
    pub(super) selected: usize,
    /// The first row shown.
    pub(super) offset: usize,
}

impl ListView {
    /// The selected article's library index.
    pub(super) fn selected_article(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    pub(super) fn count_unread(&mut self, read: &[bool]) {
        self.visible_unread = self.visible.iter().filter(|&&i| !read[i]).count();
    }

    /// Selects library article `keep` if it is shown, else the first row.
    pub(super) fn keep_selected(&mut self, keep: Option<usize>) {
        self.selected = keep
            .and_then(|k| self.visible.binary_search(&k).ok())
            .unwrap_or(0);
    }

    /// Keeps the selection in range and in a window of `height` rows.
    pub(super) fn fix_offset(&mut self, height: usize) {
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
        self.offset = keep_in_view(self.offset, self.selected, height, self.visible.len());
    }
}

impl State {
    pub(super) fn fix_list_offset(&mut self) {
        let height = self.list_height();
        self.list.fix_offset(height);
    }

    /// Whether library article `article` passes the filter.
    fn matches(&self, filter: &Filter, article: usize) -> bool {
        match filter {
            Filter::Row(TreeRow::All) => true,
            Filter::Row(TreeRow::Starred) => self.marks.starred[article],
            Filter::Row(TreeRow::Node(n)) => self
                .tree
                .members_of(article)
                .binary_search(&(*n as u32))
                .is_ok(),
            Filter::Row(TreeRow::Uncategorized) => self.tree.members_of(article).is_empty(),
            Filter::Query(q) => q.matches(&self.lib.articles()[article]),
        }
    }

    /// Applies a filter, keeping the selected article selected when it is still shown.
    pub(super) fn set_filter(&mut self, filter: Filter) {
        let keep = self.selected_article();
        let matcher = self.matcher();
        if matcher.is_some() {
            self.ensure_index();
        }
        let read = &self.marks.read;
        let unread_only = self.list.unread_only;
        // Unread-only keeps the selected article, read or not, so it does not vanish under you.
        let visible = (0..self.lib.len())
            .filter(|&i| {
                self.matches(&filter, i)
                    && (!unread_only || !read[i] || Some(i) == keep)
                    && matcher.as_ref().is_none_or(|m| self.search_matches(m, i))
            })
            .collect();
        // One row per story, unless unfolded.
        let visible = self.stories.collapse(visible, &self.lib);
        self.list.visible = visible;
        self.list.filter = filter;
        self.list.count_unread(&self.marks.read);
        self.list.keep_selected(keep);
        self.fix_list_offset();
    }

    /// Applies the current filter again (after the search, the marks or the library changed).
    pub(super) fn refilter(&mut self) {
        let f = std::mem::take(&mut self.list.filter);
        self.set_filter(f);
    }

    /// `u`: unread articles only, or all again.
    pub(super) fn toggle_unread_only(&mut self) {
        self.list.unread_only = !self.list.unread_only;
        self.refilter();
    }

    /// `J` / `K`: select the next (previous) headline and open it.
    pub(super) fn step_article(&mut self, delta: isize) {
        let next = step(self.list.selected, delta, self.list.visible.len());
        if next != self.list.selected || self.reader.open.is_none() {
            self.list.selected = next;
            self.fix_list_offset();
            self.open_selected();
        }
    }
}

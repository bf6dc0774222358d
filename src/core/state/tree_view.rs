//! The category tree pane: the tree built from the library, which nodes each article belongs
//! to, which nodes are folded, the rows shown and the selected row.

use super::{Filter, State, keep_in_view};
use crate::core::category::CategoryTree;
use crate::core::geometry::Focus;
use std::collections::HashSet;

/// One row of the category tree pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TreeRow {
    #[default]
    All,
    Starred,
    Node(usize),
    Uncategorized,
}

#[derive(Debug, Default)]
pub struct TreeView {
    pub(super) categories: CategoryTree,
    /// Per library index: the tree nodes the article belongs to (with ancestors), sorted.
    pub(super) members: Vec<Vec<u32>>,
    /// Per tree node.
    pub(super) collapsed: Vec<bool>,
    /// The rows the tree pane shows (collapsed subtrees left out).
    pub(super) rows: Vec<TreeRow>,
    pub(super) selected: usize,
    pub(super) offset: usize,
}

impl TreeView {
    /// The tree nodes article `i` belongs to.
    pub(super) fn members_of(&self, i: usize) -> &[u32] {
        &self.members[i]
    }

    pub(super) fn selected_row(&self) -> Option<TreeRow> {
        self.rows.get(self.selected).copied()
    }

    /// Where a row is shown.
    pub(super) fn position(&self, row: TreeRow) -> Option<usize> {
        self.rows.iter().position(|r| *r == row)
    }

    /// The row a filter stands for, selected when shown.
    pub(super) fn select_filter(&mut self, filter: &Filter) {
        if let Some(i) = filter.row().and_then(|f| self.position(f)) {
            self.selected = i;
        }
    }

    /// Keeps the selection in range and in a window of `height` rows.
    pub(super) fn fix_offset(&mut self, height: usize) {
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.offset = keep_in_view(self.offset, self.selected, height, self.rows.len());
    }

    /// The rows again after a fold or a new tree, the selected row kept when still shown.
    pub(super) fn rebuild_rows(&mut self, height: usize) {
        let current = self.selected_row();
        let mut rows = vec![TreeRow::All, TreeRow::Starred];
        let mut stack: Vec<usize> = self.categories.roots.iter().rev().copied().collect();
        while let Some(n) = stack.pop() {
            rows.push(TreeRow::Node(n));
            if !self.collapsed[n] {
                stack.extend(self.categories.nodes[n].children.iter().rev());
            }
        }
        if self.categories.uncategorized > 0 {
            rows.push(TreeRow::Uncategorized);
        }
        self.rows = rows;
        self.selected = current.and_then(|c| self.position(c)).unwrap_or(0);
        self.fix_offset(height);
    }

    /// The folded nodes' paths, lowercased, to fold them again in a new tree.
    pub(super) fn collapsed_paths(&self) -> HashSet<String> {
        (0..self.categories.nodes.len())
            .filter(|&n| self.collapsed[n])
            .map(|n| self.categories.path_of(n).to_lowercase())
            .collect()
    }

    /// A new tree (and each article's nodes), with the nodes at `collapsed` paths folded.
    pub(super) fn set_categories(
        &mut self,
        categories: CategoryTree,
        members: Vec<Vec<u32>>,
        collapsed: &HashSet<String>,
    ) {
        self.categories = categories;
        self.members = members;
        self.collapsed = (0..self.categories.nodes.len())
            .map(|n| collapsed.contains(&self.categories.path_of(n).to_lowercase()))
            .collect();
    }

    /// The node whose path, lowercased, is `path`.
    pub(super) fn node_at(&self, path: &str) -> Option<usize> {
        (0..self.categories.nodes.len())
            .find(|&n| self.categories.path_of(n).to_lowercase() == path)
    }

    /// Whether node `n` has children to fold.
    fn has_children(&self, n: usize) -> bool {
        !self.categories.nodes[n].children.is_empty()
    }
}

impl State {
    pub(super) fn fix_tree_offset(&mut self) {
        let height = self.tree_height();
        self.tree.fix_offset(height);
    }

    pub(super) fn rebuild_tree_rows(&mut self) {
        let height = self.tree_height();
        self.tree.rebuild_rows(height);
    }

    /// `c`: to the tree, on the filter's row.
    pub(super) fn jump_to_tree(&mut self) {
        self.tree.select_filter(&self.list.filter);
        self.set_focus(Focus::Tree);
    }

    /// Enter in the tree: filter to the selected row and go to the headlines.
    pub(super) fn choose_row(&mut self) {
        if let Some(row) = self.tree.selected_row() {
            self.set_filter(Filter::Row(row));
            self.set_focus(Focus::Headlines);
        }
    }

    /// Esc in the tree: fold the selected node, or go to its parent.
    pub(super) fn tree_back(&mut self) {
        let Some(TreeRow::Node(n)) = self.tree.selected_row() else {
            return;
        };
        if !self.tree.collapsed[n] && self.tree.has_children(n) {
            self.tree.collapsed[n] = true;
            self.rebuild_tree_rows();
        } else if let Some(p) = self.tree.categories.nodes[n].parent {
            self.tree.selected = self.tree.position(TreeRow::Node(p)).unwrap_or(0);
            self.fix_tree_offset();
        }
    }

    /// Space in the tree: fold or unfold the selected node.
    pub(super) fn toggle_collapse(&mut self) {
        if self.focus == Focus::Tree
            && let Some(TreeRow::Node(n)) = self.tree.selected_row()
            && self.tree.has_children(n)
        {
            self.tree.collapsed[n] = !self.tree.collapsed[n];
            self.rebuild_tree_rows();
        }
    }
}

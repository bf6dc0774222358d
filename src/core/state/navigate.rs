//! Moving about: keys that move the selection in the focused pane (or scroll the reader),
//! change the focus, choose and go back; the mouse; the terminal's size.

use super::{Action, Filter, State, step};
use crate::core::geometry::{Focus, Mode};

/// Lines the mouse wheel moves.
const WHEEL_LINES: isize = 3;

impl State {
    /// Keys and mouse events that move about, and resizes.
    pub(super) fn navigate(&mut self, action: Action) {
        match action {
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::PageUp => self.move_selection(-self.page()),
            Action::PageDown => self.move_selection(self.page()),
            Action::Top => self.move_selection(isize::MIN / 2),
            Action::Bottom => self.move_selection(isize::MAX / 2),
            Action::FocusNext => self.set_focus(self.focus.next()),
            Action::FocusPrev => self.set_focus(self.focus.prev()),
            Action::JumpToTree => self.jump_to_tree(),
            Action::Choose => self.choose(),
            Action::Back => self.back(),
            Action::ToggleCollapse => self.toggle_collapse(),
            Action::NextArticle => self.step_article(1),
            Action::PrevArticle => self.step_article(-1),
            Action::Resize { width, height } => self.resize(width, height),
            Action::Click { column, row } => self.click(column, row),
            Action::ScrollUp { column, row } => self.wheel(column, row, -WHEEL_LINES),
            Action::ScrollDown { column, row } => self.wheel(column, row, WHEEL_LINES),
            _ => {}
        }
    }

    /// Enter: filter to the tree's row, or open the headline.
    fn choose(&mut self) {
        match self.focus {
            Focus::Tree => self.choose_row(),
            Focus::Headlines => {
                if self.selected_article().is_some() {
                    self.set_focus(Focus::Reader);
                    self.open_selected();
                }
            }
            Focus::Reader => {}
        }
    }

    /// Esc: back a pane (in the tree: fold, then go to the parent).
    fn back(&mut self) {
        match self.focus {
            Focus::Reader => self.set_focus(Focus::Headlines),
            Focus::Headlines => self.set_focus(Focus::Tree),
            Focus::Tree => self.tree_back(),
        }
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.width = width;
        self.height = height;
        self.fit_panes();
    }

    pub(super) fn set_focus(&mut self, focus: Focus) {
        self.focus = focus;
        // In narrow mode the panes' sizes depend on the focus.
        self.fit_panes();
    }

    /// The panes changed size: the reader laid out again, the selections kept in view.
    pub(super) fn fit_panes(&mut self) {
        self.relayout_reader();
        self.fix_list_offset();
        self.fix_tree_offset();
        self.fix_reader_scroll();
    }

    fn move_selection(&mut self, delta: isize) {
        match self.focus {
            Focus::Tree => {
                self.tree.selected = step(self.tree.selected, delta, self.tree.rows.len());
                self.fix_tree_offset();
            }
            Focus::Headlines => {
                self.list.selected = step(self.list.selected, delta, self.list.visible.len());
                self.fix_list_offset();
            }
            Focus::Reader => {
                let max = self.reader_max_scroll();
                if let Some(r) = &mut self.reader.open {
                    r.scroll = step(r.scroll, delta, max + 1);
                }
            }
        }
    }

    /// Rows (lines) a page moves in the focused pane.
    fn page(&self) -> isize {
        let h = match self.focus {
            Focus::Tree => self.tree_height(),
            Focus::Headlines => self.list_height(),
            Focus::Reader => self.reader_height().saturating_sub(2),
        };
        h.max(1) as isize
    }

    /// A click: on a border, start dragging it; else focus the pane; in the tree, filter to the row; in the list, select the row (a
    /// second click opens it).
    fn click(&mut self, column: u16, row: u16) {
        // On a border between panes: the start of a drag.
        if self.grab_border(column, row) {
            return;
        }
        let g = self.geometry();
        let Some(pane) = g.pane_at(column, row) else {
            return;
        };
        let inner = g.pane(pane).map(|a| a.inner()).unwrap_or_default();
        let line = usize::from(row.saturating_sub(inner.y));
        let inside = inner.contains(column, row);
        match pane {
            Focus::Tree => {
                let i = self.tree.offset + line;
                if inside && i < self.tree.rows.len() {
                    self.tree.selected = i;
                    let r = self.tree.rows[i];
                    self.set_filter(Filter::Row(r));
                }
                self.set_focus(Focus::Tree);
            }
            Focus::Headlines => {
                let i = self.list.offset + line;
                if inside && i < self.list.visible.len() {
                    let again = i == self.list.selected && self.focus == Focus::Headlines;
                    self.list.selected = i;
                    self.fix_list_offset();
                    if again {
                        if g.mode == Mode::Narrow {
                            self.set_focus(Focus::Reader);
                        }
                        self.open_selected();
                        return;
                    }
                }
                self.set_focus(Focus::Headlines);
            }
            Focus::Reader => self.set_focus(Focus::Reader),
        }
    }

    /// The wheel moves the pane under the mouse, whichever has the focus.
    fn wheel(&mut self, column: u16, row: u16, delta: isize) {
        let Some(pane) = self.geometry().pane_at(column, row) else {
            return;
        };
        let focus = self.focus;
        self.focus = pane;
        self.move_selection(delta);
        self.focus = focus;
    }
}

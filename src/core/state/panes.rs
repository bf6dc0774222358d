//! The panes' sizes: `<` and `>` move the border next to the headline list, the mouse drags a
//! border, `Z` zooms the reading pane to the whole screen. The sizes live in the state
//! ([`Panes`]) and `Geometry` clamps them to the terminal, so no pane is ever lost.

use super::{Action, State};
use crate::core::geometry::{Border, Focus, Mode, RESIZE_STEP};

impl State {
    pub(super) fn on_panes(&mut self, action: Action) {
        match action {
            Action::NarrowerList => self.resize_list(-i32::from(RESIZE_STEP)),
            Action::WiderList => self.resize_list(i32::from(RESIZE_STEP)),
            Action::ToggleZoom => self.toggle_zoom(),
            Action::Drag { column, row } => self.drag_to(column, row),
            Action::Release => self.drag = None,
            _ => {}
        }
    }

    /// Whether the reading pane fills the screen now.
    pub fn zoomed(&self) -> bool {
        self.panes.zoom && self.focus == Focus::Reader
    }

    /// Starts dragging when a click lands on a border between panes; returns whether it did.
    /// The border keeps its place under the pointer (either of its two cells) as it moves.
    pub(super) fn grab_border(&mut self, column: u16, row: u16) -> bool {
        let g = self.geometry();
        self.drag = g.border_at(column, row).map(|b| {
            let (edge, at) = match b {
                Border::Tree => (g.headlines.map_or(0, |a| a.x), column),
                Border::List => (g.reader.map_or(0, |a| a.x), column),
                Border::Top => (g.reader.map_or(0, |a| a.y), row),
            };
            (b, edge.saturating_sub(at))
        });
        self.drag.is_some()
    }

    /// `<` / `>`: the headline list narrower or wider by `delta` columns. Side by side, the
    /// border between the headlines and the reader moves; stacked, the one between the tree
    /// and the headlines.
    fn resize_list(&mut self, delta: i32) {
        let g = self.geometry();
        let (Some(tree), Some(list)) = (g.tree, g.headlines) else {
            return;
        };
        let moved = |w: u16, d: i32| u16::try_from((i32::from(w) + d).max(0)).unwrap_or(0);
        let border = match g.mode {
            Mode::Wide => {
                self.panes.list = Some(moved(list.width, delta));
                Border::List
            }
            Mode::Medium => {
                self.panes.tree = Some(moved(tree.width, -delta));
                Border::Tree
            }
            _ => return,
        };
        self.settle_panes(border);
    }

    /// A drag moves the border it started on with the pointer.
    fn drag_to(&mut self, column: u16, row: u16) {
        let Some((border, delta)) = self.drag else {
            return;
        };
        let g = self.geometry();
        match (border, g.headlines) {
            (Border::Tree, _) => self.panes.tree = Some(column.saturating_add(delta)),
            (Border::List, Some(list)) => {
                self.panes.list = Some(column.saturating_add(delta).saturating_sub(list.x))
            }
            (Border::Top, _) => self.panes.top = Some(row.saturating_add(delta)),
            _ => return,
        }
        self.settle_panes(border);
    }

    /// Keeps the moved border where the layout clamped it (so the next step starts from what
    /// is seen) and fits the panes' contents to the new sizes.
    fn settle_panes(&mut self, border: Border) {
        let g = self.geometry();
        match border {
            Border::Tree => self.panes.tree = g.tree.map(|a| a.width),
            Border::List => self.panes.list = g.headlines.map(|a| a.width),
            Border::Top => self.panes.top = g.tree.map(|a| a.height),
        }
        self.fit_panes();
    }

    /// `Z`: the reading pane alone, or back to the panes. Zooming opens the selected headline
    /// when nothing is open; going back a pane (Esc) shows the panes again, and the next
    /// article read is zoomed until `Z` again.
    fn toggle_zoom(&mut self) {
        self.panes.zoom = !self.panes.zoom;
        if self.panes.zoom {
            if self.reader.open.is_none() {
                self.open_selected();
            }
            if self.reader.open.is_some() {
                self.set_focus(Focus::Reader);
                return;
            }
            // Nothing to read: nothing to zoom.
            self.panes.zoom = false;
        }
        self.fit_panes();
    }
}

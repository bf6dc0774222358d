//! Where the panes go for a terminal size: a pure function shared by `update` (page sizes, wrap
//! width, mouse hit-testing) and the UI (drawing), so the two cannot disagree.

/// A rectangle in terminal cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Area {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
}

impl Area {
    pub const fn new(x: u16, y: u16, width: u16, height: u16) -> Area {
        Area {
            x,
            y,
            width,
            height,
        }
    }

    pub fn contains(&self, column: u16, row: u16) -> bool {
        column >= self.x
            && row >= self.y
            && u32::from(column) < u32::from(self.x) + u32::from(self.width)
            && u32::from(row) < u32::from(self.y) + u32::from(self.height)
    }

    /// The area inside a one-cell border.
    pub fn inner(&self) -> Area {
        Area::new(
            self.x.saturating_add(1),
            self.y.saturating_add(1),
            self.width.saturating_sub(2),
            self.height.saturating_sub(2),
        )
    }
}

/// The three panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    Tree,
    #[default]
    Headlines,
    Reader,
}

impl Focus {
    pub fn next(self) -> Focus {
        match self {
            Focus::Tree => Focus::Headlines,
            Focus::Headlines => Focus::Reader,
            Focus::Reader => Focus::Tree,
        }
    }

    pub fn prev(self) -> Focus {
        match self {
            Focus::Tree => Focus::Reader,
            Focus::Headlines => Focus::Tree,
            Focus::Reader => Focus::Headlines,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// 120 columns or more: tree | headlines | reader.
    Wide,
    /// 80 to 119 columns: tree | headlines on top, reader below.
    Medium,
    /// Under 80 columns: the focused pane alone.
    Narrow,
    /// Under 40x10: a message asking for a larger terminal.
    TooSmall,
}

/// The panes' places; a pane that is not shown has `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    pub mode: Mode,
    pub tree: Option<Area>,
    pub headlines: Option<Area>,
    pub reader: Option<Area>,
    pub status: Area,
}

pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

impl Geometry {
    pub fn new(width: u16, height: u16, focus: Focus) -> Geometry {
        let status = Area::new(0, height.saturating_sub(1), width, height.min(1));
        if width < MIN_WIDTH || height < MIN_HEIGHT {
            return Geometry {
                mode: Mode::TooSmall,
                tree: None,
                headlines: None,
                reader: None,
                status,
            };
        }
        let body = height - 1;
        if width >= 120 {
            let tree_w = (width / 6).clamp(22, 34);
            let list_w = (width - tree_w) / 2;
            Geometry {
                mode: Mode::Wide,
                tree: Some(Area::new(0, 0, tree_w, body)),
                headlines: Some(Area::new(tree_w, 0, list_w, body)),
                reader: Some(Area::new(tree_w + list_w, 0, width - tree_w - list_w, body)),
                status,
            }
        } else if width >= 80 {
            let tree_w = (width / 4).clamp(20, 28);
            let top = (body * 2 / 5).max(5);
            Geometry {
                mode: Mode::Medium,
                tree: Some(Area::new(0, 0, tree_w, top)),
                headlines: Some(Area::new(tree_w, 0, width - tree_w, top)),
                reader: Some(Area::new(0, top, width, body - top)),
                status,
            }
        } else {
            let all = Area::new(0, 0, width, body);
            Geometry {
                mode: Mode::Narrow,
                tree: (focus == Focus::Tree).then_some(all),
                headlines: (focus == Focus::Headlines).then_some(all),
                reader: (focus == Focus::Reader).then_some(all),
                status,
            }
        }
    }

    /// The pane under a cell.
    pub fn pane_at(&self, column: u16, row: u16) -> Option<Focus> {
        [
            (self.tree, Focus::Tree),
            (self.headlines, Focus::Headlines),
            (self.reader, Focus::Reader),
        ]
        .into_iter()
        .find(|(a, _)| a.is_some_and(|a| a.contains(column, row)))
        .map(|(_, f)| f)
    }

    pub fn pane(&self, focus: Focus) -> Option<Area> {
        match focus {
            Focus::Tree => self.tree,
            Focus::Headlines => self.headlines,
            Focus::Reader => self.reader,
        }
    }

    /// The reader's text area: inside the border, one column of margin each side.
    pub fn reader_text(&self) -> Option<Area> {
        self.reader.map(|r| {
            let i = r.inner();
            Area::new(i.x + 1, i.y, i.width.saturating_sub(2), i.height)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_by_size() {
        let table = [
            (200, 60, Mode::Wide),
            (120, 40, Mode::Wide),
            (119, 40, Mode::Medium),
            (80, 24, Mode::Medium),
            (79, 24, Mode::Narrow),
            (40, 10, Mode::Narrow),
            (39, 24, Mode::TooSmall),
            (80, 9, Mode::TooSmall),
            (1, 1, Mode::TooSmall),
            (0, 0, Mode::TooSmall),
        ];
        for (w, h, mode) in table {
            let g = Geometry::new(w, h, Focus::Headlines);
            assert_eq!(g.mode, mode, "{w}x{h}");
            for pane in [g.tree, g.headlines, g.reader].into_iter().flatten() {
                assert!(
                    pane.x + pane.width <= w && pane.y + pane.height < h.max(1),
                    "{w}x{h} {pane:?}"
                );
            }
        }
    }

    #[test]
    fn wide_panes_tile_the_body() {
        let g = Geometry::new(160, 48, Focus::Tree);
        let (t, l, r) = (g.tree.unwrap(), g.headlines.unwrap(), g.reader.unwrap());
        assert_eq!(t.x + t.width, l.x);
        assert_eq!(l.x + l.width, r.x);
        assert_eq!(r.x + r.width, 160);
        assert_eq!(t.height, 47);
        assert_eq!(g.status, Area::new(0, 47, 160, 1));
        assert_eq!(g.pane_at(0, 0), Some(Focus::Tree));
        assert_eq!(g.pane_at(l.x, 5), Some(Focus::Headlines));
        assert_eq!(g.pane_at(159, 46), Some(Focus::Reader));
        assert_eq!(g.pane_at(5, 47), None);
    }

    #[test]
    fn medium_puts_the_reader_below() {
        let g = Geometry::new(80, 24, Focus::Headlines);
        let (t, l, r) = (g.tree.unwrap(), g.headlines.unwrap(), g.reader.unwrap());
        assert_eq!(t.y, 0);
        assert_eq!(l.y, 0);
        assert_eq!(r.y, t.height);
        assert_eq!(r.width, 80);
        assert_eq!(r.y + r.height, 23);
    }

    #[test]
    fn narrow_shows_the_focused_pane_only() {
        for focus in [Focus::Tree, Focus::Headlines, Focus::Reader] {
            let g = Geometry::new(60, 20, focus);
            assert_eq!(g.pane(focus), Some(Area::new(0, 0, 60, 19)));
            let shown = [g.tree, g.headlines, g.reader]
                .iter()
                .filter(|p| p.is_some())
                .count();
            assert_eq!(shown, 1);
        }
    }
}

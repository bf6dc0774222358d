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

/// The narrowest a pane may be made, borders included.
pub const MIN_PANE: u16 = 12;
/// How many columns `<` and `>` move a border.
pub const RESIZE_STEP: u16 = 4;
/// The headline list's width by default in wide mode when the room allows (a 70-character
/// headline with its date and source), and the reader's least width then.
const LIST_WIDE: u16 = 100;
const READER_LEAST: u16 = 40;

/// What the user chose about the panes: border places (`None`: the default for the size) and
/// whether the reading pane fills the screen. Kept in the state; widths are clamped to the
/// terminal when the layout is made, so a smaller terminal never loses a pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    /// The category tree's width (wide and medium modes).
    pub tree: Option<u16>,
    /// The headline list's width (wide mode).
    pub list: Option<u16>,
    /// The height of the tree and headlines above the reader (medium mode).
    pub top: Option<u16>,
    /// `Z`: the reading pane alone, while it has the focus.
    pub zoom: bool,
}

/// A border between panes that the mouse can drag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Border {
    /// Between the tree and the headlines (a column).
    Tree,
    /// Between the headlines and the reader in wide mode (a column).
    List,
    /// Above the reader in medium mode (a row).
    Top,
}

impl Panes {
    /// The tree's width for a terminal `width` wide: the user's, else the default, kept so
    /// that the other panes have room.
    fn tree_width(&self, width: u16, mode: Mode) -> u16 {
        let (default, others) = match mode {
            Mode::Wide => ((width / 8).clamp(22, 30), 2 * MIN_PANE),
            _ => ((width / 4).clamp(20, 28), MIN_PANE),
        };
        let most = width.saturating_sub(others).max(MIN_PANE);
        self.tree.unwrap_or(default).clamp(MIN_PANE, most)
    }

    /// The headline list's width in wide mode, next to a tree `tree` wide.
    fn list_width(&self, width: u16, tree: u16) -> u16 {
        let rest = width.saturating_sub(tree);
        let default = LIST_WIDE
            .min(rest.saturating_sub(READER_LEAST))
            .max(rest / 2);
        let most = rest.saturating_sub(MIN_PANE).max(MIN_PANE);
        self.list.unwrap_or(default).clamp(MIN_PANE, most)
    }

    /// The height of the top row in medium mode, for a body `body` rows high.
    fn top_height(&self, body: u16) -> u16 {
        let default = u16::try_from(u32::from(body) * 2 / 5)
            .unwrap_or(body)
            .max(5);
        let most = body.saturating_sub(5).max(5);
        self.top.unwrap_or(default).clamp(5, most)
    }
}

impl Geometry {
    /// The layout for a terminal size with the default pane sizes.
    pub fn new(width: u16, height: u16, focus: Focus) -> Geometry {
        Geometry::with_panes(width, height, focus, &Panes::default())
    }

    /// The mode for a terminal size.
    pub fn mode_for(width: u16, height: u16) -> Mode {
        if width < MIN_WIDTH || height < MIN_HEIGHT {
            Mode::TooSmall
        } else if width >= 120 {
            Mode::Wide
        } else if width >= 80 {
            Mode::Medium
        } else {
            Mode::Narrow
        }
    }

    /// The layout for a terminal size with the user's pane sizes and zoom.
    pub fn with_panes(width: u16, height: u16, focus: Focus, panes: &Panes) -> Geometry {
        let status = Area::new(0, height.saturating_sub(1), width, height.min(1));
        let mode = Geometry::mode_for(width, height);
        let none = Geometry {
            mode,
            tree: None,
            headlines: None,
            reader: None,
            status,
        };
        if mode == Mode::TooSmall {
            return none;
        }
        let body = height - 1;
        let all = Area::new(0, 0, width, body);
        if mode == Mode::Narrow || (panes.zoom && focus == Focus::Reader) {
            return Geometry {
                tree: (focus == Focus::Tree).then_some(all),
                headlines: (focus == Focus::Headlines).then_some(all),
                reader: (focus == Focus::Reader).then_some(all),
                ..none
            };
        }
        let tree_w = panes.tree_width(width, mode);
        if mode == Mode::Wide {
            let list_w = panes.list_width(width, tree_w);
            Geometry {
                tree: Some(Area::new(0, 0, tree_w, body)),
                headlines: Some(Area::new(tree_w, 0, list_w, body)),
                reader: Some(Area::new(tree_w + list_w, 0, width - tree_w - list_w, body)),
                ..none
            }
        } else {
            let top = panes.top_height(body);
            Geometry {
                tree: Some(Area::new(0, 0, tree_w, top)),
                headlines: Some(Area::new(tree_w, 0, width - tree_w, top)),
                reader: Some(Area::new(0, top, width, body - top)),
                ..none
            }
        }
    }

    /// The border under a cell, if one can be dragged there: the two cells of a border line
    /// between panes (the left pane's right edge and the right pane's left edge).
    pub fn border_at(&self, column: u16, row: u16) -> Option<Border> {
        let (tree, list, reader) = (self.tree?, self.headlines?, self.reader?);
        let between = |left: Area, right: Area| {
            row >= right.y
                && row < right.y + right.height
                && (column + 1 == right.x || column == right.x)
                && left.x + left.width == right.x
        };
        match self.mode {
            Mode::Wide if between(tree, list) => Some(Border::Tree),
            Mode::Wide if between(list, reader) => Some(Border::List),
            Mode::Medium if between(tree, list) => Some(Border::Tree),
            Mode::Medium if row + 1 == reader.y || row == reader.y => Some(Border::Top),
            _ => None,
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

/// An overlay of `w`x`h` cells centred in a `width`x`height` screen (clipped to it).
pub fn popup(width: u16, height: u16, w: u16, h: u16) -> Area {
    let (w, h) = (w.min(width), h.min(height));
    Area::new((width - w) / 2, (height - h) / 2, w, h)
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

    #[test]
    fn any_pane_sizes_fit_any_terminal() {
        let sizes = [
            None,
            Some(0),
            Some(5),
            Some(13),
            Some(60),
            Some(500),
            Some(u16::MAX),
        ];
        for w in [0, 1, 39, 40, 79, 80, 100, 119, 120, 160, 200, 400, u16::MAX] {
            for h in [0, 9, 10, 24, 60, u16::MAX] {
                for (i, &tree) in sizes.iter().enumerate() {
                    let panes = Panes {
                        tree,
                        list: sizes[(i + 2) % sizes.len()],
                        top: sizes[(i + 4) % sizes.len()],
                        zoom: i % 2 == 0,
                    };
                    for focus in [Focus::Tree, Focus::Headlines, Focus::Reader] {
                        let g = Geometry::with_panes(w, h, focus, &panes);
                        for a in [g.tree, g.headlines, g.reader].into_iter().flatten() {
                            assert!(a.width >= MIN_PANE.min(w), "{w}x{h} {panes:?} {g:?}");
                            assert!(
                                u32::from(a.x) + u32::from(a.width) <= u32::from(w)
                                    && a.y + a.height < h,
                                "{w}x{h} {panes:?} {g:?}"
                            );
                        }
                        if g.mode == Mode::Wide && !(panes.zoom && focus == Focus::Reader) {
                            let (t, l, r) =
                                (g.tree.unwrap(), g.headlines.unwrap(), g.reader.unwrap());
                            assert_eq!((t.x + t.width, l.x + l.width), (l.x, r.x));
                            assert_eq!(u32::from(r.x) + u32::from(r.width), u32::from(w));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn default_widths_by_size() {
        let widths = |w| {
            let g = Geometry::new(w, 40, Focus::Headlines);
            (
                g.tree.unwrap().width,
                g.headlines.unwrap().width,
                g.reader.unwrap().width,
            )
        };
        assert_eq!(widths(120), (22, 58, 40));
        assert_eq!(widths(160), (22, 98, 40));
        assert_eq!(widths(200), (25, 100, 75));
    }

    #[test]
    fn borders_between_panes_can_be_grabbed() {
        let g = Geometry::new(160, 48, Focus::Headlines);
        let (l, r) = (g.headlines.unwrap(), g.reader.unwrap());
        assert_eq!(g.border_at(l.x - 1, 5), Some(Border::Tree));
        assert_eq!(g.border_at(l.x, 5), Some(Border::Tree));
        assert_eq!(g.border_at(r.x - 1, 5), Some(Border::List));
        assert_eq!(g.border_at(r.x, 5), Some(Border::List));
        assert_eq!(g.border_at(l.x + 5, 5), None);
        let m = Geometry::new(100, 30, Focus::Headlines);
        let r = m.reader.unwrap();
        assert_eq!(m.border_at(50, r.y), Some(Border::Top));
        assert_eq!(m.border_at(50, r.y - 1), Some(Border::Top));
        assert_eq!(m.border_at(50, r.y + 3), None);
        assert_eq!(
            Geometry::new(60, 20, Focus::Headlines).border_at(0, 0),
            None
        );
    }
}

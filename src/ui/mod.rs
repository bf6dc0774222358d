//! Draws the whole screen from `&State`: one module per pane, styles from the theme, no IO.

mod headlines;
mod help;
mod links;
pub mod picture;
mod reader;
mod sources;
mod status;
pub mod theme;
mod tree;

use crate::core::geometry::{Area, Focus, MIN_HEIGHT, MIN_WIDTH, Mode};
use crate::core::state::{Overlay, State};
use crate::keymap::Keymap;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};
use theme::Theme;

pub(crate) fn rect(a: Area) -> Rect {
    Rect::new(a.x, a.y, a.width, a.height)
}

/// A pane's frame: rounded border and title, styled by focus.
pub(crate) fn pane_block<'a>(title: String, focused: bool, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(theme.border(focused))
        .title(Span::styled(format!(" {title} "), theme.title(focused)))
}

/// An overlay of `w`x`h` cells centred in `area` (clipped to it), cleared, framed and titled;
/// returns the area inside its border.
pub(crate) fn popup(
    frame: &mut Frame,
    area: Rect,
    w: u16,
    h: u16,
    title: &str,
    theme: &Theme,
) -> Rect {
    let at = crate::core::geometry::popup(area.width, area.height, w, h);
    let outer = Rect::new(area.x + at.x, area.y + at.y, at.width, at.height);
    frame.render_widget(ratatui::widgets::Clear, outer);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(Span::styled(format!(" {title} "), theme.title(true)));
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    inner
}

/// The first of `titles` that fits a box `width` wide (with its corners and padding), else the
/// last (cut by the border).
pub(crate) fn fitting_title(titles: &[String], width: u16) -> String {
    let room = usize::from(width).saturating_sub(4);
    titles
        .iter()
        .find(|t| crate::core::text::width(t) <= room)
        .or(titles.last())
        .cloned()
        .unwrap_or_default()
}

/// A scrollbar on the right border of an overlay whose text does not fit.
pub(crate) fn scrollbar(frame: &mut Frame, b: crate::core::state::Scrolled, theme: &Theme) {
    use ratatui::layout::Margin;
    use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState};
    let max = b.max_scroll();
    if max == 0 {
        return;
    }
    let mut sb = ScrollbarState::new(max + 1)
        .viewport_content_length(usize::from(b.text.height))
        .position(b.scroll);
    frame.render_stateful_widget(
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .style(theme.border(true)),
        rect(b.outer)
            .inner(Margin::new(0, 1))
            .intersection(frame.area()),
        &mut sb,
    );
}

pub fn draw(frame: &mut Frame, state: &State, keymap: &Keymap, theme: &Theme) {
    let area = frame.area();
    let focus = state.focus();
    let g =
        crate::core::geometry::Geometry::with_panes(area.width, area.height, focus, state.panes());
    if g.mode == Mode::TooSmall {
        let msg = format!(
            "Terminal too small ({}x{}): tidings needs at least {MIN_WIDTH}x{MIN_HEIGHT}.",
            area.width, area.height
        );
        frame.render_widget(
            Paragraph::new(msg)
                .wrap(Wrap { trim: true })
                .alignment(Alignment::Center),
            area,
        );
        return;
    }
    if let Some(a) = g.tree {
        tree::draw(frame, rect(a), state, focus == Focus::Tree, theme);
    }
    if let Some(a) = g.headlines {
        headlines::draw(frame, rect(a), state, focus == Focus::Headlines, theme);
    }
    if let Some(a) = g.reader {
        reader::draw(frame, rect(a), state, focus == Focus::Reader, theme);
    }
    status::draw(frame, rect(g.status), state, keymap, theme);
    match state.overlay() {
        Overlay::None => {}
        Overlay::Sources => sources::draw(frame, area, state, theme),
        Overlay::Links { links, selected } => links::draw(frame, area, links, *selected, theme),
        Overlay::Help => help::draw(frame, area, state, keymap, theme),
    }
}

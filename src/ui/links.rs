//! The links overlay (`L`): the article's link and its numbered links; Enter opens one.

use super::theme::Theme;
use crate::core::text::truncate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    links: &[(String, String)],
    selected: usize,
    theme: &Theme,
) {
    let w = area.width.saturating_sub(4).min(100);
    let h = (links.len() as u16 + 2).clamp(3, area.height);
    let popup = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(Span::styled(
            " Links · Enter opens · Esc closes ",
            theme.title(true),
        ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let rows = usize::from(inner.height);
    let offset = selected.saturating_sub(rows.saturating_sub(1));
    let width = usize::from(inner.width);
    let lines: Vec<Line> = links
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .map(|(i, (label, url))| {
            let text = truncate(&format!("{label:>5}  {url}"), width);
            let padded = format!("{text:<width$}");
            if i == selected {
                Line::styled(padded, theme.selected(true))
            } else {
                Line::raw(padded)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

//! The links overlay (`L`): the article's link and its numbered links; Enter opens one.

use super::theme::Theme;
use crate::core::state::Link;
use crate::core::text::truncate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, links: &[Link], selected: usize, theme: &Theme) {
    let w = area.width.saturating_sub(4).min(100);
    let h = (links.len() as u16 + 2).max(3);
    let inner = super::popup(frame, area, w, h, "Links · Enter opens · Esc closes", theme);
    let rows = usize::from(inner.height);
    let offset = selected.saturating_sub(rows.saturating_sub(1));
    let width = usize::from(inner.width);
    let lines: Vec<Line> = links
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .map(|(i, link)| {
            let text = truncate(&format!("{:>5}  {}", link.text, link.url), width);
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

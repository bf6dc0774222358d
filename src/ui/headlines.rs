//! The headline list: unread mark, date, source, title; only the visible rows are built.

use super::pane_block;
use super::theme::Theme;
use crate::core::state::State;
use crate::core::text::{fit, format_date_compact, truncate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// "World News / Europe · 12 articles · 3 unread"
pub fn title(state: &State) -> String {
    let n = state.visible.len();
    format!(
        "{} · {n} article{} · {} unread",
        state.filter_name(),
        if n == 1 { "" } else { "s" },
        state.visible_unread
    )
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, focused: bool, theme: &Theme) {
    let block = pane_block(title(state), focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    if state.visible.is_empty() {
        let msg = if state.loading {
            "Loading…"
        } else {
            "No articles here."
        };
        frame.render_widget(Paragraph::new(Span::styled(msg, theme.dim())), inner);
        return;
    }
    let src_w = (w / 5).clamp(6, 16);
    let articles = state.lib.articles();
    let lines: Vec<Line> = state
        .visible
        .iter()
        .enumerate()
        .skip(state.list_offset)
        .take(usize::from(inner.height))
        .map(|(row, &i)| {
            let a = &articles[i];
            let unread = !state.read[i];
            let date = format_date_compact(a.date, state.clock.now, &state.clock.tz);
            let lead_w = 2 + 7 + src_w + 2;
            let title_w = w.saturating_sub(lead_w);
            let selected = row == state.selected;
            let base = if selected {
                theme.selected(focused)
            } else {
                Style::new()
            };
            let title_style = if unread {
                base.patch(theme.unread_title())
            } else {
                base
            };
            let pad = |s: Style| if selected { s.patch(base) } else { s };
            Line::from(vec![
                Span::styled(if unread { "● " } else { "  " }, pad(theme.unread_mark())),
                Span::styled(format!("{date:>6} "), pad(theme.dim())),
                Span::styled(format!("{}  ", fit(&a.source, src_w)), pad(theme.source())),
                Span::styled(fit(&truncate(&a.title, title_w), title_w), title_style),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

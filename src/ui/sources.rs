//! The sources view (`S`): each source and how it is doing, with its warnings (skipped files,
//! damaged feeds) under it, then the warnings no source claims; wrapped, never cut, and
//! scrolled like the help.

use super::theme::Theme;
use crate::core::state::{SourceLineKind, State};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let (b, lines) = state.sources_box();
    let title = match b.position() {
        Some(p) => super::fitting_title(
            &[
                format!("Sources · {p} · j/k scroll · S or Esc closes"),
                format!("Sources · {p} · Esc closes"),
            ],
            b.outer.width,
        ),
        None => "Sources · S or Esc to close".to_string(),
    };
    let inner = super::popup(frame, area, b.outer.width, b.outer.height, &title, theme);
    let text = super::rect(b.text).intersection(inner);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(b.scroll)
        .take(usize::from(text.height))
        .map(|l| {
            let style = match l.kind {
                SourceLineKind::Loaded => theme.source(),
                SourceLineKind::Failed => theme.warning(),
                SourceLineKind::Warning => ratatui::style::Style::new(),
                SourceLineKind::Heading => theme.heading(),
                SourceLineKind::Busy | SourceLineKind::Blank => theme.dim(),
            };
            Line::styled(l.text, style)
        })
        .collect();
    frame.render_widget(Paragraph::new(shown), text);
    super::scrollbar(frame, b, theme);
}

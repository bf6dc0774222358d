//! The sources view (`S`): each source and how it is doing.

use super::theme::Theme;
use crate::core::state::{SourceState, State};
use crate::core::text::{fit, truncate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// `(mark, what)` for a source's state.
pub fn describe(state: &SourceState) -> (&'static str, String) {
    match state {
        SourceState::Queued => ("·", "queued".to_string()),
        SourceState::Loading => ("⟳", "loading…".to_string()),
        SourceState::Reading { done, total } => (
            "⟳",
            format!(
                "reading {}/{} files…",
                crate::core::text::count(*done),
                crate::core::text::count(*total)
            ),
        ),
        SourceState::Loaded { articles, cached } => (
            "✓",
            format!(
                "{articles} article{}{}",
                if *articles == 1 { "" } else { "s" },
                if *cached { " (from cache)" } else { "" }
            ),
        ),
        SourceState::Failed(reason) => ("✗", format!("failed: {reason}")),
        SourceState::Synced {
            articles,
            at,
            pending,
        } => (
            "✓",
            format!(
                "{articles} article{}, synced at {at}{}",
                if *articles == 1 { "" } else { "s" },
                match pending {
                    0 => String::new(),
                    1 => ", 1 mark waiting to be sent".to_string(),
                    n => format!(", {n} marks waiting to be sent"),
                }
            ),
        ),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let w = area.width.saturating_sub(4).min(110);
    let sources = state.sources();
    let h = (sources.len() as u16 + 2).max(3);
    let inner = super::popup(frame, area, w, h, "Sources · S or Esc to close", theme);
    let width = usize::from(inner.width);
    let label_w = (width / 2).max(10);
    let lines: Vec<Line> = if sources.is_empty() {
        vec![Line::styled("No sources yet.", theme.dim())]
    } else {
        sources
            .iter()
            .map(|s| {
                let (mark, what) = describe(&s.state);
                let style = match s.state {
                    SourceState::Failed(_) => theme.warning(),
                    SourceState::Loaded { .. } | SourceState::Synced { .. } => theme.source(),
                    _ => theme.dim(),
                };
                // The config's name first when it has one, then where it is.
                let label = match state.source_name(&s.label) {
                    Some(name) => format!("{name} · {}", s.label),
                    None => s.label.clone(),
                };
                Line::from(vec![
                    Span::styled(format!("{mark} "), style),
                    Span::raw(format!("{} ", fit(&label, label_w))),
                    Span::styled(truncate(&what, width.saturating_sub(label_w + 3)), style),
                ])
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

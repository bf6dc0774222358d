//! The reading pane: the laid-out article (wrapped once per width, in `update`), only the visible
//! lines styled and drawn, with a scrollbar and the position.

use super::pane_block;
use super::theme::Theme;
use crate::core::layout::LineKind;
use crate::core::state::State;
use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, Wrap};

/// "42%", "Top", "All" (fits in the pane) or "End".
pub fn position(state: &State) -> Option<String> {
    let r = state.reader()?;
    let max = state.reader_max_scroll();
    Some(if max == 0 {
        "All".to_string()
    } else if r.scroll == 0 {
        "Top".to_string()
    } else if r.scroll >= max {
        "End".to_string()
    } else {
        format!("{}%", r.scroll * 100 / max)
    })
}

fn style(kind: LineKind, theme: &Theme) -> Style {
    match kind {
        LineKind::Title => theme.article_title(),
        LineKind::Byline => theme.byline(),
        LineKind::Categories => theme.categories(),
        LineKind::Link => theme.link(),
        LineKind::Standfirst => theme.standfirst(),
        LineKind::Heading => theme.heading(),
        LineKind::Quote => theme.quote(),
        LineKind::Code => theme.code(),
        LineKind::Paragraph | LineKind::ListItem | LineKind::Blank => Style::new(),
    }
}

/// A laid-out line with its inline styles (emphasis, strong, code, links) over the kind's style.
fn styled_line<'a>(
    l: &'a crate::core::layout::Line,
    theme: &Theme,
    matcher: Option<&crate::core::search::Matcher>,
) -> Line<'a> {
    let base = style(l.kind, theme);
    let hits = matcher.map(|m| m.ranges(&l.text)).unwrap_or_default();
    if l.spans.is_empty() && hits.is_empty() {
        return Line::styled(l.text.as_str(), base);
    }
    // Cut the text at every span edge; each piece takes the styles of the spans over it.
    let mut cuts: Vec<usize> = vec![0, l.text.len()];
    for (s, e, _) in &l.spans {
        cuts.push(*s);
        cuts.push(*e);
    }
    for (s, e) in &hits {
        cuts.push(*s);
        cuts.push(*e);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let pieces = cuts.windows(2).filter_map(|w| {
        let (a, b) = (w[0], w[1]);
        let text = l.text.get(a..b)?;
        let st = l
            .spans
            .iter()
            .filter(|(s, e, _)| *s <= a && b <= *e)
            .fold(base, |st, (_, _, inline)| st.patch(theme.inline(*inline)));
        let hit = hits.iter().any(|(s, e)| *s <= a && b <= *e);
        let st = if hit {
            st.patch(theme.search_hit())
        } else {
            st
        };
        Some(Span::styled(text, st))
    });
    Line::from(pieces.collect::<Vec<_>>())
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, focused: bool, theme: &Theme) {
    let title = match position(state) {
        Some(p) => format!("Reader · {p}"),
        None => "Reader".to_string(),
    };
    let block = pane_block(title, focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let text_area = inner.inner(Margin::new(1, 0));
    let Some(r) = state.reader() else {
        let msg = if state.visible().is_empty() {
            ""
        } else {
            "Press Enter on a headline to read it."
        };
        frame.render_widget(
            Paragraph::new(Span::styled(msg, theme.dim())).wrap(Wrap { trim: true }),
            text_area,
        );
        return;
    };
    // The article's picture above its title, while the pane shows the top.
    let text_area = match (state.reader_picture(), state.picture_cells()) {
        (Some(p), Some((w, h))) if r.scroll == 0 => {
            let at = Rect::new(text_area.x, text_area.y, w, h).intersection(text_area);
            if super::picture::draw(frame, at, p) {
                let rows = (h + 1).min(text_area.height);
                Rect {
                    y: text_area.y + rows,
                    height: text_area.height - rows,
                    ..text_area
                }
            } else {
                text_area
            }
        }
        _ => text_area,
    };
    let matcher = state.matcher();
    let lines: Vec<Line> = r
        .lines
        .iter()
        .skip(r.scroll)
        .take(usize::from(text_area.height))
        .map(|l| styled_line(l, theme, matcher.as_ref()))
        .collect();
    frame.render_widget(Paragraph::new(lines), text_area);
    let max = state.reader_max_scroll();
    if max > 0 {
        let mut sb = ScrollbarState::new(max + 1)
            .viewport_content_length(usize::from(text_area.height))
            .position(r.scroll);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None)
                .style(theme.border(focused)),
            area.inner(Margin::new(0, 1)),
            &mut sb,
        );
    }
}

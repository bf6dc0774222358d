//! The headline list: unread mark, star, date (`—` when undated), source, title; only the
//! visible rows are built.

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
    let n = state.shown_count();
    format!(
        "{} · {n} article{} · {} unread",
        state.filter_name(),
        if n == 1 { "" } else { "s" },
        state.shown_unread()
    )
}

/// The title, with search matches highlighted.
fn title_spans<'a>(
    title: String,
    style: Style,
    matcher: Option<&crate::core::search::Matcher>,
    theme: &Theme,
) -> Vec<Span<'a>> {
    let hits = matcher.map(|m| m.ranges(&title)).unwrap_or_default();
    if hits.is_empty() {
        return vec![Span::styled(title, style)];
    }
    let mut out = Vec::new();
    let mut at = 0;
    for (s, e) in hits {
        if s > at {
            out.push(Span::styled(title[at..s].to_string(), style));
        }
        out.push(Span::styled(
            title[s..e].to_string(),
            style.patch(theme.search_hit()),
        ));
        at = e;
    }
    if at < title.len() {
        out.push(Span::styled(title[at..].to_string(), style));
    }
    out
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, focused: bool, theme: &Theme) {
    let block = pane_block(title(state), focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    if state.visible().is_empty() {
        let msg = if state.loading() {
            "Loading…"
        } else {
            "No articles here."
        };
        frame.render_widget(Paragraph::new(Span::styled(msg, theme.dim())), inner);
        return;
    }
    let src_w = (w / 7).clamp(6, 14);
    let articles = state.lib().articles();
    let matcher = state.matcher();
    let clock = state.clock();
    let lines: Vec<Line> = state
        .visible()
        .iter()
        .enumerate()
        .skip(state.list_offset())
        .take(usize::from(inner.height))
        .map(|(row, &i)| {
            let a = &articles[i];
            let unread = !state.is_read(i);
            let starred = state.is_starred(i);
            // An undated article's date is a stand-in: no time is shown for it.
            let date = if a.dated {
                format_date_compact(a.date, clock.now, &clock.tz)
            } else {
                "—".to_string()
            };
            let lead_w = 3 + 7 + src_w + 2;
            let title_w = w.saturating_sub(lead_w);
            let selected = row == state.selected();
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
            Line::from(
                vec![
                    Span::styled(if unread { "●" } else { " " }, pad(theme.unread_mark())),
                    Span::styled(if starred { "★ " } else { "  " }, pad(theme.star())),
                    Span::styled(format!("{date:>6} "), pad(theme.dim())),
                    Span::styled(format!("{}  ", fit(&a.source, src_w)), pad(theme.source())),
                ]
                .into_iter()
                .chain({
                    // `+2`: the other versions of the story this headline stands for.
                    let extra = state.story_extra(i);
                    let more = if extra > 0 {
                        format!(" +{extra}")
                    } else {
                        String::new()
                    };
                    let room = title_w.saturating_sub(more.len());
                    let mut spans = title_spans(
                        fit(&truncate(&a.title, room), room),
                        title_style,
                        matcher.as_ref(),
                        theme,
                    );
                    if extra > 0 {
                        spans.push(Span::styled(more, pad(theme.count())));
                    }
                    spans
                })
                .collect::<Vec<_>>(),
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

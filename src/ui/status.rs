//! The status bar: filter, shown/total, unread, loading, the latest warning; key hints on the right.

use super::theme::Theme;
use crate::core::state::{BodySearch, SearchInput, State};
use crate::core::text::{count, truncate, width};
use crate::keymap::Keymap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn left_text(state: &State) -> String {
    let reading_bodies = state.body_search() == BodySearch::Loading;
    if let Some(SearchInput { text, cursor }) = state.search_input() {
        // The search box: the cursor as a bar between characters.
        let at = text
            .char_indices()
            .nth(*cursor)
            .map_or(text.len(), |(b, _)| b);
        let reading = if reading_bodies {
            " · reading stories…"
        } else {
            ""
        };
        return format!(
            " Search: {}▏{}   ({} shown{reading} · Enter keeps · Esc clears)",
            &text[..at],
            &text[at..],
            state.visible().len()
        );
    }
    let mut s = format!(
        " {} · {}/{} shown · {} unread",
        state.filter_name(),
        state.visible().len(),
        state.lib().len(),
        state.unread()
    );
    let query = state.search_query();
    if !query.is_empty() {
        s.push_str(&format!(" · search “{query}”"));
    }
    if state.unread_only() {
        s.push_str(" · unread only");
    }
    if let Some(a) = state.reader_article() {
        if state.is_full_fetching(&a.id) {
            s.push_str(" · fetching the full story…");
        } else if state.is_full_shown(&a.id) {
            s.push_str(" · full story (f: summary)");
        }
    }
    if !query.is_empty() && reading_bodies {
        s.push_str(" · reading stories to search…");
    }
    if let Some((done, total)) = state.files_progress() {
        let frame = SPINNER[state.spinner() % SPINNER.len()];
        s.push_str(&format!(
            " · {frame} Reading {}/{} files",
            count(done),
            count(total)
        ));
    } else if let Some((done, total)) = state.progress() {
        let frame = SPINNER[state.spinner() % SPINNER.len()];
        s.push_str(&format!(" · {frame} Loading {done}/{total}"));
    } else if state.loading() {
        s.push_str(" · loading…");
    } else if let Some(notice) = state.notice() {
        s.push_str(&format!(" · {notice}"));
    }
    s
}

const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

pub fn draw(frame: &mut Frame, area: Rect, state: &State, keymap: &Keymap, theme: &Theme) {
    let w = usize::from(area.width);
    let left = left_text(state);
    let warning = state.warnings().last().map(|m| format!(" ⚠ {m}"));
    let mut hints: Vec<Span> = Vec::new();
    let mut hints_w = 0;
    for (key, what) in keymap.hints(state.focus()) {
        let piece_w = width(&key) + width(what) + 3;
        hints.push(Span::styled(key, theme.status().patch(theme.hint_key())));
        hints.push(Span::styled(format!(" {what}  "), theme.status()));
        hints_w += piece_w;
    }
    // Hints go when space is short; the filter and the warning matter more.
    let left_w = width(&left) + warning.as_ref().map_or(0, |m| width(m));
    if left_w + hints_w > w {
        hints.clear();
        hints_w = 0;
    }
    let room = w.saturating_sub(hints_w);
    let left = truncate(&left, room);
    let warning = warning.map(|m| truncate(&m, room.saturating_sub(width(&left))));
    let used = width(&left) + warning.as_ref().map_or(0, |m| width(m));
    let mut spans = vec![Span::styled(left, theme.status())];
    if let Some(m) = warning {
        spans.push(Span::styled(m, theme.status().patch(theme.warning())));
    }
    spans.push(Span::styled(
        " ".repeat(room.saturating_sub(used)),
        theme.status(),
    ));
    spans.extend(hints);
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme.status()),
        area,
    );
}

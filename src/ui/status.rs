//! The status bar: filter, shown/total, unread, loading, the latest warning; key hints on the right.

use super::theme::Theme;
use crate::core::state::{SearchInput, State};
use crate::core::text::{count, truncate, width};
use crate::keymap::{Hint, KEEP_ALWAYS, Keymap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn left_text(state: &State) -> String {
    let index = state.index_progress();
    // While the full-text index builds, bodies not indexed yet are not found (titles are).
    let indexing = index.building().then(|| {
        format!(
            "stories indexed {}/{}",
            count(index.indexed),
            count(index.total)
        )
    });
    if let Some(SearchInput { text, cursor }) = state.search_input() {
        // The search box: the cursor as a bar between characters.
        let at = text
            .char_indices()
            .nth(*cursor)
            .map_or(text.len(), |(b, _)| b);
        let reading = indexing.map(|i| format!(" · {i}")).unwrap_or_default();
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
        state.shown_count(),
        state.library_len(),
        state.unread()
    );
    let query = state.search_query();
    if !query.is_empty() {
        s.push_str(&format!(" · search “{query}”"));
    }
    if state.unread_only() {
        s.push_str(" · unread only");
    }
    if state.zoomed() {
        s.push_str(" · zoomed (Z: panes)");
    }
    if let Some(a) = state.reader_article() {
        if state.is_full_fetching(&a.id) {
            s.push_str(" · fetching the full story…");
        } else if state.is_full_shown(&a.id) {
            s.push_str(" · full story (f: summary)");
        }
    }
    if !query.is_empty()
        && let Some(i) = indexing
    {
        s.push_str(&format!(" · {i}"));
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
    if state.fresh_count() > 0 {
        s.push_str(&format!(" · {} new", count(state.fresh_count())));
    }
    s
}

const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// The warning part: the one warning; or how many there are and where to see them, then the
/// latest when there is room (`room` columns).
pub fn warning_text(state: &State, room: usize) -> Option<String> {
    match state.warnings() {
        [] => None,
        [one] => Some(format!(" ⚠ {one}")),
        many => {
            let count = format!(" ⚠ {} warnings — S to see them", many.len());
            let latest = format!("{count} · {}", many[many.len() - 1]);
            Some(if width(&latest) <= room {
                latest
            } else {
                count
            })
        }
    }
}

/// Columns a warning keeps when hints would push it out; a longer warning is cut there.
const WARNING_ROOM: usize = 32;

/// The hints that fit next to `taken` columns of other text in `w`: the least useful go first,
/// one at a time (their order on the line stays), and help always stays.
pub fn fit_hints(mut hints: Vec<Hint>, taken: usize, w: usize) -> Vec<Hint> {
    let piece = |h: &Hint| width(&h.key) + width(h.what) + 3;
    loop {
        let used: usize = hints.iter().map(piece).sum();
        if taken + used <= w {
            return hints;
        }
        let least = hints
            .iter()
            .enumerate()
            .filter(|(_, h)| h.keep != KEEP_ALWAYS)
            .min_by_key(|(i, h)| (h.keep, std::cmp::Reverse(*i)))
            .map(|(i, _)| i);
        match least {
            Some(i) => {
                hints.remove(i);
            }
            None => return hints,
        }
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, keymap: &Keymap, theme: &Theme) {
    let w = usize::from(area.width);
    let left = left_text(state);
    // Hints make room for the filter and for the start of a warning (the count of several);
    // a longer warning is cut.
    let warning_room = warning_text(state, 0).map_or(0, |m| width(&m).min(WARNING_ROOM));
    let hints = fit_hints(keymap.hints(state.focus()), width(&left) + warning_room, w);
    let hints_w: usize = hints
        .iter()
        .map(|h| width(&h.key) + width(h.what) + 3)
        .sum();
    let room = w.saturating_sub(hints_w);
    let left = truncate(&left, room);
    let warning_w = room.saturating_sub(width(&left));
    let warning = warning_text(state, warning_w).map(|m| truncate(&m, warning_w));
    let used = width(&left) + warning.as_ref().map_or(0, |m| width(m));
    let mut spans = vec![Span::styled(left, theme.status())];
    if let Some(m) = warning {
        spans.push(Span::styled(m, theme.status().patch(theme.warning())));
    }
    spans.push(Span::styled(
        " ".repeat(room.saturating_sub(used)),
        theme.status(),
    ));
    for h in hints {
        spans.push(Span::styled(h.key, theme.status().patch(theme.hint_key())));
        spans.push(Span::styled(format!(" {}  ", h.what), theme.status()));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme.status()),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(key: &str, what: &'static str, keep: u8) -> Hint {
        Hint {
            key: key.into(),
            what,
            keep,
        }
    }

    #[test]
    fn hints_go_one_at_a_time_least_useful_first_and_help_stays() {
        let all = vec![
            hint("Enter", "open", 80),
            hint("/", "search", 60),
            hint("Tab", "pane", 10),
            hint("?", "help", KEEP_ALWAYS),
            hint("q", "quit", 90),
        ];
        let whats = |w: usize| -> Vec<&str> {
            fit_hints(all.clone(), 10, w)
                .iter()
                .map(|h| h.what)
                .collect()
        };
        // 12 + 10 + 10 + 8 + 8 = 48 columns of hints after 10 of text.
        assert_eq!(whats(58), ["open", "search", "pane", "help", "quit"]);
        assert_eq!(whats(57), ["open", "search", "help", "quit"]);
        assert_eq!(whats(47), ["open", "help", "quit"]);
        assert_eq!(whats(36), ["help", "quit"]);
        assert_eq!(whats(26), ["help", "quit"]);
        assert_eq!(whats(25), ["help"]);
        assert_eq!(whats(0), ["help"]);
    }
}

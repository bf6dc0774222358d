//! The help overlay, generated from the keymap table: grouped by pane and concern, descriptions
//! wrapped at word boundaries, scrolled with the list keys and the wheel (the state keeps the
//! position; `core::help` lays the text out for both).

use super::theme::Theme;
use crate::core::help::HelpLineKind;
use crate::core::state::{State, help_box};
use crate::keymap::Keymap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, keymap: &Keymap, theme: &Theme) {
    // The shell sends the table to the state; until it has, the keymap's is the same.
    let own;
    let sections = if state.help().is_empty() {
        own = keymap.help_table();
        &own
    } else {
        state.help()
    };
    let hb = help_box(area.width, area.height, sections, state.overlay_scroll());
    let b = hb.scrolled;
    let title = match b.position() {
        Some(p) => super::fitting_title(
            &[
                format!("Keys · {p} · j/k scroll · Esc closes"),
                format!("Keys · {p} · Esc closes"),
            ],
            b.outer.width,
        ),
        None => "Keys · Esc closes".to_string(),
    };
    let inner = super::popup(frame, area, b.outer.width, b.outer.height, &title, theme);
    let text = super::rect(b.text).intersection(inner);
    let mut x = text.x;
    for column in hb.columns {
        let right = text.x + text.width;
        let area = Rect::new(
            x,
            text.y,
            hb.column_width.min(right.saturating_sub(x)),
            text.height,
        );
        let shown: Vec<Line> = column
            .into_iter()
            .skip(b.scroll)
            .take(usize::from(text.height))
            .map(|l| match l.kind {
                HelpLineKind::Title => Line::styled(l.text, theme.heading()),
                HelpLineKind::Blank => Line::default(),
                HelpLineKind::Row => Line::from(vec![
                    Span::styled(l.keys, theme.hint_key()),
                    Span::raw(l.text),
                ]),
            })
            .collect();
        frame.render_widget(Paragraph::new(shown), area);
        x = x.saturating_add(hb.column_width + 3);
    }
    super::scrollbar(frame, b, theme);
}

//! The help overlay, generated from the keymap table: one column when it fits the height, else
//! the global keys on the left and the panes' keys on the right.

use super::theme::Theme;
use crate::core::text::{fit, width};
use crate::keymap::Keymap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

type Section = (&'static str, Vec<(String, &'static str)>);

fn column<'a>(sections: &[Section], theme: &Theme) -> Vec<Line<'a>> {
    let key_w = sections
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(|(k, _)| width(k)))
        .max()
        .unwrap_or(0);
    let mut lines: Vec<Line> = Vec::new();
    for (title, rows) in sections.iter().filter(|(_, rows)| !rows.is_empty()) {
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::styled(*title, theme.heading()));
        for (keys, what) in rows {
            lines.push(Line::from(vec![
                Span::styled(format!(" {}  ", fit(keys, key_w)), theme.hint_key()),
                Span::raw(*what),
            ]));
        }
    }
    lines
}

fn col_width(lines: &[Line]) -> u16 {
    lines.iter().map(|l| l.width()).max().unwrap_or(0) as u16
}

pub fn draw(frame: &mut Frame, area: Rect, keymap: &Keymap, theme: &Theme) {
    let sections = keymap.help_sections();
    let single = column(&sections, theme);
    let columns: Vec<Vec<Line>> = if single.len() as u16 + 2 <= area.height {
        vec![single]
    } else {
        let (global, panes) = sections.split_at(1);
        vec![column(global, theme), column(panes, theme)]
    };
    let widths: Vec<u16> = columns.iter().map(|c| col_width(c)).collect();
    let text_w: u16 = widths.iter().sum::<u16>() + 3 * (widths.len() as u16 - 1);
    let text_h = columns.iter().map(Vec::len).max().unwrap_or(0) as u16;
    let inner = super::popup(
        frame,
        area,
        text_w + 4,
        text_h + 2,
        "Keys · Esc to close",
        theme,
    );
    let mut x = inner.x + 1;
    for (lines, cw) in columns.into_iter().zip(widths) {
        let right = inner.x + inner.width;
        if x >= right {
            break;
        }
        let area = Rect::new(x, inner.y, cw.min(right - x), inner.height);
        frame.render_widget(Paragraph::new(lines), area);
        x = x.saturating_add(cw + 3);
    }
}

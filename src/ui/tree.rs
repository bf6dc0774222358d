//! The category tree pane: All, the categories with counts, Uncategorized.

use super::pane_block;
use super::theme::Theme;
use crate::core::state::{State, TreeRow};
use crate::core::text::{fit, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, focused: bool, theme: &Theme) {
    let block = pane_block("Categories".to_string(), focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let rows = state
        .tree_rows()
        .iter()
        .enumerate()
        .skip(state.tree_offset())
        .take(usize::from(inner.height));
    let lines: Vec<Line> = rows
        .map(|(i, &row)| {
            let (indent, marker, name) = match row {
                TreeRow::All => (0, "", "All".to_string()),
                TreeRow::Starred => (0, "", "★ Starred".to_string()),
                TreeRow::Uncategorized => (0, "", "Uncategorized".to_string()),
                TreeRow::Node(n) => {
                    let node = &state.categories().nodes[n];
                    let marker = if node.children.is_empty() {
                        "  "
                    } else if state.is_collapsed(n) {
                        "▸ "
                    } else {
                        "▾ "
                    };
                    (node.depth * 2 + 1, marker, node.name.clone())
                }
            };
            // unread/total, a parent counting its children; ✦ where the last refresh brought news.
            let fresh = match row {
                TreeRow::Node(n) => state.is_fresh_node(n),
                TreeRow::All => state.fresh_count() > 0,
                _ => false,
            };
            let mark = if fresh { "✦" } else { "" };
            let count = format!("{mark}{}/{}", state.row_unread(row), state.row_count(row));
            let lead = format!("{}{marker}", " ".repeat(indent));
            let name_w = w.saturating_sub(width(&lead) + width(&count) + 1);
            let active = state.filter().row() == Some(row);
            let mut name_style = if active {
                theme.active_filter()
            } else {
                ratatui::style::Style::new()
            };
            let mut count_style = theme.count();
            if i == state.tree_selected() {
                name_style = name_style.patch(theme.selected(focused));
                count_style = count_style.patch(theme.selected(focused));
            }
            Line::from(vec![
                Span::styled(lead, name_style),
                Span::styled(format!("{} ", fit(&name, name_w)), name_style),
                Span::styled(count, count_style),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

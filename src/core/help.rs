//! The help overlay's text, laid out for a width: sections of `(keys, description)` rows (made
//! from the key table by `keymap.rs`), descriptions wrapped at word boundaries under their own
//! column. Pure, so `update` (scrolling) and the UI (drawing) count the same lines.

/// One section of the help: a title (a pane, or a concern such as marks) and its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpSection {
    pub title: String,
    /// `(keys, description)`, e.g. `("j, ↓", "move down")`.
    pub rows: Vec<(String, String)>,
}

/// What a help line is, so the UI can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpLineKind {
    Title,
    /// A row's first line (with its keys) or one of its description's continuation lines.
    Row,
    Blank,
}

/// One line of the laid-out help: `keys` (padded to the key column; blank on continuation
/// lines) and `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    pub kind: HelpLineKind,
    pub keys: String,
    pub text: String,
}

/// The key column's width: the widest keys, but at most half the width.
fn key_width(sections: &[HelpSection], width: usize) -> usize {
    sections
        .iter()
        .flat_map(|s| s.rows.iter().map(|(k, _)| crate::core::text::width(k)))
        .max()
        .unwrap_or(0)
        .min(width / 2)
}

/// The widest line the help would have unwrapped (to size its box).
pub fn natural_width(sections: &[HelpSection]) -> usize {
    let key_w = key_width(sections, usize::MAX);
    sections
        .iter()
        .flat_map(|s| {
            let title = crate::core::text::width(&s.title);
            let rows = s
                .rows
                .iter()
                .map(move |(_, d)| 1 + key_w + 2 + crate::core::text::width(d));
            std::iter::once(title).chain(rows)
        })
        .max()
        .unwrap_or(0)
}

/// The help laid out for `width` columns: each section's title, then its rows, the description
/// wrapped at word boundaries (a word longer than its column is cut only then), a blank line
/// between sections. Empty sections are left out.
pub fn help_lines(sections: &[HelpSection], width: usize) -> Vec<HelpLine> {
    let key_w = key_width(sections, width);
    // ` keys  description`
    let text_w = width.saturating_sub(key_w + 3).max(1);
    let mut out: Vec<HelpLine> = Vec::new();
    for s in sections.iter().filter(|s| !s.rows.is_empty()) {
        if !out.is_empty() {
            out.push(HelpLine {
                kind: HelpLineKind::Blank,
                keys: String::new(),
                text: String::new(),
            });
        }
        out.push(HelpLine {
            kind: HelpLineKind::Title,
            keys: String::new(),
            text: crate::core::text::truncate(&s.title, width),
        });
        for (keys, what) in &s.rows {
            let opts = textwrap::Options::new(text_w).break_words(true);
            let wrapped = textwrap::wrap(what, opts);
            let pieces = if wrapped.is_empty() {
                vec![std::borrow::Cow::Borrowed("")]
            } else {
                wrapped
            };
            for (i, piece) in pieces.into_iter().enumerate() {
                let keys = if i == 0 {
                    format!(" {}  ", crate::core::text::fit(keys, key_w))
                } else {
                    " ".repeat(key_w + 3)
                };
                out.push(HelpLine {
                    kind: HelpLineKind::Row,
                    keys,
                    text: piece.into_owned(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections() -> Vec<HelpSection> {
        vec![
            HelpSection {
                title: "Everywhere".into(),
                rows: vec![
                    ("j, ↓".into(), "move down".into()),
                    (
                        "q, Ctrl-c".into(),
                        "quit, saving the read and star marks first".into(),
                    ),
                ],
            },
            HelpSection {
                title: "Empty".into(),
                rows: vec![],
            },
            HelpSection {
                title: "Reader".into(),
                rows: vec![("o".into(), "open in the browser".into())],
            },
        ]
    }

    #[test]
    fn rows_line_up_and_wrap_at_words() {
        let lines = help_lines(&sections(), 30);
        let text: Vec<String> = lines
            .iter()
            .map(|l| format!("{}{}", l.keys, l.text))
            .collect();
        assert_eq!(
            text,
            [
                "Everywhere",
                " j, ↓       move down",
                " q, Ctrl-c  quit, saving the",
                "            read and star",
                "            marks first",
                "",
                "Reader",
                " o          open in the",
                "            browser",
            ]
        );
        for l in &text {
            assert!(crate::core::text::width(l) <= 30, "{l:?}");
        }
    }

    #[test]
    fn tiny_widths_do_not_panic() {
        for w in 0..12 {
            let lines = help_lines(&sections(), w);
            assert!(!lines.is_empty());
        }
        assert_eq!(natural_width(&sections()), 1 + 9 + 2 + 42);
        assert!(help_lines(&[], 40).is_empty());
    }
}

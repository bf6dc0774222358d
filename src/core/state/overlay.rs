//! The overlays over the panes, one at a time: help, the sources view, the links of the open
//! article. While one is open it takes the keys.

use super::{Action, Effect, SourceLine, State};
use crate::core::geometry::{Area, popup};
use crate::core::help::{HelpLine, HelpSection, help_lines, natural_width};
use crate::core::model::{Article, BlockKind};

/// Lines the mouse wheel moves in an overlay.
const WHEEL_LINES: usize = 3;

/// Where an overlay of scrolling text sits: its box, the text's area inside (a column of
/// margin each side), how many lines the text has and the first one shown (clamped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scrolled {
    pub outer: Area,
    pub text: Area,
    pub total: usize,
    pub scroll: usize,
}

impl Scrolled {
    /// A box `want_w` wide (clipped to the screen) for text laid out by `lines` at the text's
    /// width, as high as the text (clipped), scrolled to `scroll` at most to the end.
    fn fit<L>(
        width: u16,
        height: u16,
        want_w: u16,
        scroll: usize,
        lines: impl FnOnce(usize) -> Vec<L>,
    ) -> (Scrolled, Vec<L>) {
        let box_w = want_w.min(width);
        let text_w = box_w.saturating_sub(4);
        let lines = lines(usize::from(text_w));
        let box_h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX).max(3);
        let outer = popup(width, height, box_w, box_h);
        let text = Area::new(
            outer.x + 2,
            outer.y + 1,
            text_w,
            outer.height.saturating_sub(2),
        );
        let max = lines.len().saturating_sub(usize::from(text.height));
        let s = Scrolled {
            outer,
            text,
            total: lines.len(),
            scroll: scroll.min(max),
        };
        (s, lines)
    }

    /// The largest first line that still fills the box.
    pub fn max_scroll(&self) -> usize {
        self.total.saturating_sub(usize::from(self.text.height))
    }

    /// `12–30 of 52`, or nothing when everything shows.
    pub fn position(&self) -> Option<String> {
        let shown = usize::from(self.text.height);
        (self.total > shown).then(|| {
            let last = (self.scroll + shown).min(self.total);
            format!("{}–{last} of {}", self.scroll + 1, self.total)
        })
    }
}

/// The help as laid out on a screen: its box, and one column of lines, or two side by side
/// when the screen is wide enough and one would not fit its height.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpBox {
    pub scrolled: Scrolled,
    pub columns: Vec<Vec<HelpLine>>,
    /// Each column's width (the text's width when there is one).
    pub column_width: u16,
}

/// Columns between the two columns of the help.
const HELP_GAP: u16 = 3;

/// The help box on a `width`x`height` screen, scrolled to `scroll` (at most to the end).
pub fn help_box(width: u16, height: u16, sections: &[HelpSection], scroll: usize) -> HelpBox {
    let natural = u16::try_from(natural_width(sections)).unwrap_or(u16::MAX / 4);
    let one_len = help_lines(sections, usize::from(natural)).len();
    let two_w = u32::from(natural) * 2 + u32::from(HELP_GAP) + 4;
    if one_len + 2 > usize::from(height) && two_w <= u32::from(width) && sections.len() > 1 {
        // Two columns, split between sections where the taller is shortest.
        let col = |part: &[HelpSection]| help_lines(part, usize::from(natural));
        let k = (1..sections.len())
            .min_by_key(|&k| col(&sections[..k]).len().max(col(&sections[k..]).len()))
            .unwrap_or(1);
        let columns = vec![col(&sections[..k]), col(&sections[k..])];
        let total = columns.iter().map(Vec::len).max().unwrap_or(0);
        let box_h = u16::try_from(total + 2).unwrap_or(u16::MAX);
        let outer = popup(width, height, two_w as u16, box_h);
        let text = Area::new(
            outer.x + 2,
            outer.y + 1,
            outer.width.saturating_sub(4),
            outer.height.saturating_sub(2),
        );
        let max = total.saturating_sub(usize::from(text.height));
        return HelpBox {
            scrolled: Scrolled {
                outer,
                text,
                total,
                scroll: scroll.min(max),
            },
            columns,
            column_width: natural,
        };
    }
    let (scrolled, lines) = Scrolled::fit(width, height, natural.saturating_add(4), scroll, |w| {
        help_lines(sections, w)
    });
    HelpBox {
        scrolled,
        columns: vec![lines],
        column_width: scrolled.text.width,
    }
}

/// A link of the open article: its label (`page`, or `[n]` for a numbered link) and URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub text: String,
    pub url: String,
}

/// What is drawn over the panes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Overlay {
    #[default]
    None,
    Help,
    Sources,
    /// `L`: the article's links and the chosen row.
    Links {
        links: Vec<Link>,
        selected: usize,
    },
}

impl Overlay {
    pub fn is_open(&self) -> bool {
        *self != Overlay::None
    }
}

/// Only these schemes are ever handed to a browser.
pub fn openable(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// The article's own link (`page`), then its numbered links (`[n]`, the `[n] URL` items under
/// the closing "Links" heading that HTML bodies get); openable ones only.
pub fn article_links(a: &Article) -> Vec<Link> {
    let mut out: Vec<Link> = a
        .link
        .iter()
        .map(|l| Link {
            text: "page".to_string(),
            url: l.to_string(),
        })
        .collect();
    let start = a
        .blocks()
        .iter()
        .rposition(|b| b.kind == BlockKind::Heading && b.text == "Links")
        .map_or(a.blocks().len(), |i| i + 1);
    for b in &a.blocks()[start..] {
        if b.kind == BlockKind::ListItem
            && let Some((n, url)) = b.text.split_once("] ")
        {
            out.push(Link {
                text: format!("{n}]"),
                url: url.to_string(),
            });
        }
    }
    out.retain(|l| openable(&l.url));
    out
}

impl State {
    /// A key while an overlay is open.
    pub(super) fn overlay_key(&mut self, action: Action) -> Vec<Effect> {
        match &mut self.overlay {
            Overlay::None => {}
            Overlay::Links { links, selected } => {
                let last = links.len().saturating_sub(1);
                match action {
                    Action::Up => *selected = selected.saturating_sub(1),
                    Action::Down => *selected = (*selected + 1).min(last),
                    Action::Top => *selected = 0,
                    Action::Bottom => *selected = last,
                    Action::Choose => {
                        let url = links.get(*selected).map(|l| l.url.clone());
                        self.overlay = Overlay::None;
                        return url.map(Effect::OpenUrl).into_iter().collect();
                    }
                    Action::Back | Action::CloseHelp | Action::ShowLinks => {
                        self.overlay = Overlay::None
                    }
                    _ => {}
                }
            }
            Overlay::Help => {
                if matches!(
                    action,
                    Action::ToggleHelp | Action::CloseHelp | Action::Back
                ) {
                    self.overlay = Overlay::None;
                } else {
                    let max = if self.help.is_empty() {
                        // The shell has not sent the help: the UI clamps what it shows.
                        usize::MAX / 2
                    } else {
                        self.help_box(&self.help).scrolled.max_scroll()
                    };
                    self.scroll_overlay(&action, max);
                }
            }
            Overlay::Sources => {
                if matches!(
                    action,
                    Action::ToggleSources | Action::CloseHelp | Action::Back
                ) {
                    self.overlay = Overlay::None;
                } else {
                    let max = self.sources_box().0.max_scroll();
                    self.scroll_overlay(&action, max);
                }
            }
        }
        Vec::new()
    }

    /// The help box on this screen, scrolled as the state says.
    pub fn help_box(&self, sections: &[HelpSection]) -> HelpBox {
        help_box(self.width, self.height, sections, self.overlay_scroll)
    }

    /// The sources view's box on this screen, its lines, scrolled as the state says.
    pub fn sources_box(&self) -> (Scrolled, Vec<SourceLine>) {
        let want = self.width.saturating_sub(4).min(110);
        Scrolled::fit(self.width, self.height, want, self.overlay_scroll, |w| {
            self.source_lines(w)
        })
    }

    /// Moves the open overlay's text: a line, a page, to the top or the end; the wheel.
    fn scroll_overlay(&mut self, action: &Action, max: usize) {
        let page = usize::from(self.height.saturating_sub(4)).max(1);
        let s = self.overlay_scroll.min(max);
        self.overlay_scroll = match action {
            Action::Up => s.saturating_sub(1),
            Action::Down => s + 1,
            Action::ScrollUp { .. } => s.saturating_sub(WHEEL_LINES),
            Action::ScrollDown { .. } => s + WHEEL_LINES,
            Action::PageUp => s.saturating_sub(page),
            Action::PageDown => s + page,
            Action::Top => 0,
            Action::Bottom => max,
            _ => s,
        }
        .min(max);
    }

    /// `?`, `S` and `L` with no overlay open.
    pub(super) fn open_overlay(&mut self, action: Action) {
        self.overlay_scroll = 0;
        match action {
            Action::ToggleHelp => self.overlay = Overlay::Help,
            Action::ToggleSources => self.overlay = Overlay::Sources,
            Action::ShowLinks => {
                let links = self.reader_article().map(article_links).unwrap_or_default();
                if links.is_empty() {
                    self.warnings.push("this article has no links".into());
                } else {
                    self.overlay = Overlay::Links { links, selected: 0 };
                }
            }
            // `CloseHelp` with nothing open.
            _ => {}
        }
    }
}

//! The overlays over the panes, one at a time: help, the sources view, the links of the open
//! article. While one is open it takes the keys.

use super::{Action, Effect, State};
use crate::core::model::{Article, BlockKind};

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
            url: l.clone(),
        })
        .collect();
    let start = a
        .blocks
        .iter()
        .rposition(|b| b.kind == BlockKind::Heading && b.text == "Links")
        .map_or(a.blocks.len(), |i| i + 1);
    for b in &a.blocks[start..] {
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
                }
            }
            Overlay::Sources => {
                if matches!(
                    action,
                    Action::ToggleSources | Action::CloseHelp | Action::Back
                ) {
                    self.overlay = Overlay::None;
                }
            }
        }
        Vec::new()
    }

    /// `?`, `S` and `L` with no overlay open.
    pub(super) fn open_overlay(&mut self, action: Action) {
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

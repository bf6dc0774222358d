//! The reading pane: the open article laid out for the pane's width and its scroll, and the
//! bodies asked for from disk.

use super::{Effect, State, openable};
use crate::core::layout::{Line, first_line_of, layout_marked};
use crate::core::model::{Article, ArticleId, Block, BlockKind};
use std::collections::HashSet;

/// The article open in the reading pane, laid out for the pane's width.
#[derive(Debug, Clone, PartialEq)]
pub struct Reader {
    /// Index into the library.
    pub article: usize,
    pub lines: Vec<Line>,
    pub width: usize,
    /// The first line shown.
    pub scroll: usize,
}

#[derive(Debug, Default)]
pub struct ReaderPane {
    /// The open article, if any.
    pub(super) open: Option<Reader>,
    /// Bodies asked for and not yet arrived.
    pub(super) requested: HashSet<ArticleId>,
}

/// Where `lines[scroll]` sits: its element and how far into the element, as a fraction.
fn anchor(lines: &[Line], scroll: usize) -> Option<(u32, f64)> {
    let l = lines.get(scroll)?;
    let first = first_line_of(lines, l.element);
    let count = element_lines(lines, first, l.element);
    Some((l.element, (scroll - first) as f64 / count.max(1) as f64))
}

/// How many lines element `element` has from `first`.
fn element_lines(lines: &[Line], first: usize, element: u32) -> usize {
    lines[first..]
        .iter()
        .take_while(|m| m.element == element)
        .count()
}

impl State {
    /// The article open in the reading pane.
    pub fn reader_article(&self) -> Option<&Article> {
        self.reader
            .open
            .as_ref()
            .and_then(|r| self.lib.articles().get(r.article))
    }

    pub fn reader_height(&self) -> usize {
        self.geometry()
            .reader_text()
            .map_or(0, |a| usize::from(a.height))
    }

    /// The largest scroll that still fills the reading pane. A picture shows above the text
    /// while the pane shows its top: when the text fits only without it, one step scrolls it
    /// away.
    pub fn reader_max_scroll(&self) -> usize {
        let Some(r) = self.reader.open.as_ref() else {
            return 0;
        };
        let (lines, height) = (r.lines.len(), self.reader_height());
        let picture = self.picture_rows();
        if picture > 0 && lines + picture > height {
            lines.saturating_sub(height).max(1)
        } else {
            lines.saturating_sub(height)
        }
    }

    pub(super) fn fix_reader_scroll(&mut self) {
        let max = self.reader_max_scroll();
        if let Some(r) = &mut self.reader.open {
            r.scroll = r.scroll.min(max);
        }
    }

    /// Whether article `i` is the one open.
    pub(super) fn reading(&self, i: usize) -> bool {
        self.reader.open.as_ref().is_some_and(|r| r.article == i)
    }

    /// Opens the selected headline in the reading pane and marks it read.
    pub(super) fn open_selected(&mut self) {
        let Some(article) = self.selected_article() else {
            return;
        };
        self.set_read_story(article, true);
        if !self.stories.by_index.is_empty() {
            self.recount();
        }
        self.lib.render(article);
        self.request_body(article);
        self.reader.open = Some(Reader {
            article,
            lines: Vec::new(),
            width: 0,
            scroll: 0,
        });
        self.relayout_reader();
    }

    /// Lays the open article out again when the pane's width changed, keeping the line at the top
    /// of the pane (by its element and its place inside the element).
    pub(super) fn relayout_reader(&mut self) {
        let Some(text) = self.geometry().reader_text() else {
            return;
        };
        let width = usize::from(text.width).max(10);
        let clock = self.clock;
        let also = self.also_in().join(", ");
        let starred = &self.marks.starred;
        let Some(r) = &mut self.reader.open else {
            return;
        };
        if r.width == width && !r.lines.is_empty() {
            return;
        }
        let anchor = anchor(&r.lines, r.scroll);
        let star = starred.get(r.article).copied().unwrap_or(false);
        r.lines = layout_marked(&self.lib.articles()[r.article], width, &clock.tz, star);
        if !also.is_empty() {
            also_in_lines(&mut r.lines, &format!("Also in: {also} (v)"), width);
        }
        r.width = width;
        r.scroll = match anchor {
            Some((element, frac)) => {
                let first = first_line_of(&r.lines, element);
                let count = element_lines(&r.lines, first, element);
                first + (frac * count as f64).floor() as usize
            }
            None => 0,
        };
        self.fix_reader_scroll();
    }

    /// Lays the open article out again when it is article `i` (its star changed), keeping the
    /// reading position.
    pub(super) fn mark_changed(&mut self, i: usize) {
        if let Some(r) = &mut self.reader.open
            && r.article == i
        {
            r.width = 0;
            self.relayout_reader();
        }
    }

    /// Lays the open article out from its first line when it is article `i` (its body
    /// changed); `top`: scrolled back to the top.
    pub(super) fn body_changed(&mut self, i: usize, top: bool) {
        if let Some(r) = &mut self.reader.open
            && r.article == i
        {
            r.lines.clear();
            if top {
                r.scroll = 0;
            }
            self.relayout_reader();
        }
    }

    /// Asks for article `i`'s body when it is on disk and not asked for yet.
    pub(super) fn request_body(&mut self, i: usize) {
        let a = &self.lib.articles()[i];
        if let Some(at) = a.stored()
            && self.reader.requested.insert(a.id.clone())
        {
            self.work.push(Effect::LoadBody {
                id: a.id.clone(),
                at: at.clone(),
            });
        }
    }

    /// Puts a body read from disk in place; the reader shows it if it is open.
    pub(super) fn body_loaded(&mut self, id: ArticleId, body: Result<(Vec<Block>, u32), String>) {
        self.reader.requested.remove(&id);
        let Some(i) = self.lib.articles().iter().position(|a| a.id == id) else {
            return;
        };
        if !self.lib.articles()[i].body_unloaded() {
            return;
        }
        let (blocks, words) = match body {
            Ok(b) => b,
            Err(e) => {
                self.warnings.push(e.clone());
                let note = format!("The story could not be read: {e}");
                (vec![Block::new(BlockKind::Paragraph, note)], 0)
            }
        };
        let a = self.lib.article_mut(i);
        a.restore(blocks);
        if words > 0 {
            a.words = words;
        }
        self.body_changed(i, false);
    }

    /// `o`: the open article's link to the browser.
    pub(super) fn open_link(&mut self) -> Vec<Effect> {
        let link = self
            .reader_article()
            .and_then(|a| a.link.as_deref())
            .filter(|l| openable(l))
            .map(str::to_string);
        match link {
            Some(l) => vec![Effect::OpenUrl(l)],
            None => {
                self.warnings
                    .push("this article has no link to open".into());
                Vec::new()
            }
        }
    }
}

/// Puts "Also in: …" under the byline, wrapped to `width`, as part of the byline's element (so
/// a reading position is kept whether it shows or not).
fn also_in_lines(lines: &mut Vec<crate::core::layout::Line>, text: &str, width: usize) {
    use crate::core::layout::{Line, LineKind};
    let Some(last) = lines.iter().rposition(|l| l.kind == LineKind::Byline) else {
        return;
    };
    let element = lines[last].element;
    let wrapped: Vec<Line> = textwrap::wrap(text, width.max(10))
        .into_iter()
        .map(|t| Line {
            kind: LineKind::Byline,
            text: t.into_owned(),
            element,
            spans: Vec::new(),
        })
        .collect();
    let at = last + 1;
    lines.splice(at..at, wrapped);
}

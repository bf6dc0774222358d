//! The first screen (issue 15): a warm start shows the newest headlines of the start view and
//! the whole category tree with its counts from a small "head" the last run saved, before the
//! library has loaded. The head's articles are a *preview*: while it shows, what the sources
//! give is kept aside ([`Preview::pending`]); once everything stored from the last run is in
//! (`Action::StoredLoaded`, or `LoadingDone`), the library replaces the preview, keeping the
//! selection, the filter and the open article by id (the head's articles have the same ids as
//! the real ones, so nothing is shown twice).
//!
//! The head is made here from the state ([`State::head`], pure) and saved by the shell
//! (`Effect::SaveHead`, `sources::head`) after the first load and on quit.

use super::{Filter, State, TreeRow};
use crate::core::category::CategoryTree;
use crate::core::library::Library;
use crate::core::model::{Article, ArticleId, Block, BlockKind, Body};
use std::collections::{HashMap, HashSet};

/// How many headlines of the start view a head holds: more than the tallest terminal shows.
pub const HEAD_ROWS: usize = 300;

/// What the first screen needs: the newest articles of the start view (headers only) and the
/// category tree with every count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Head {
    /// The `--category` the headlines were chosen for (`None`: every article).
    pub start: Option<String>,
    /// The newest articles of the start view, newest first, and the other versions of their
    /// stories.
    pub articles: Vec<Article>,
    /// Per article: its tree nodes (with ancestors, sorted), as the library had them.
    pub members: Vec<Vec<u32>>,
    /// The whole library's tree, with its counts.
    pub tree: CategoryTree,
    /// The unread and starred counts of the articles *not* in the head, when it was made.
    pub rest: RestCounts,
    /// The stories (of two or more versions) the head's articles belong to, so the first
    /// screen folds them as the library does.
    pub stories: Vec<super::StoryGroup>,
}

/// Unread and starred counts of the articles a head leaves out: added to what the head's own
/// articles count (with the marks of now) while the preview shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RestCounts {
    pub unread: usize,
    /// Per tree node.
    pub node_unread: Vec<usize>,
    pub uncategorized_unread: usize,
    /// Starred: (total, unread).
    pub starred: (usize, usize),
    /// The start view's rows and unread rows in the whole library (stories folded).
    pub view: (usize, usize),
}

impl Head {
    /// Whether the parts agree with each other (a head from a file is checked by its reader;
    /// this keeps `update` safe whatever it is given).
    fn consistent(&self) -> bool {
        let nodes = self.tree.nodes.len();
        self.members.len() == self.articles.len()
            && self.rest.node_unread.len() == nodes
            && (self.members.iter().flatten()).all(|&n| (n as usize) < nodes)
            && tree_is_sound(&self.tree)
    }
}

/// Whether every node is reached once from the roots, through children that name it as their
/// parent, at its depth (so walking the tree always ends).
pub fn tree_is_sound(tree: &CategoryTree) -> bool {
    let n = tree.nodes.len();
    let mut seen = vec![false; n];
    let mut stack: Vec<(usize, Option<usize>, usize)> =
        tree.roots.iter().map(|&r| (r, None, 0)).collect();
    while let Some((node, parent, depth)) = stack.pop() {
        let Some(x) = tree.nodes.get(node) else {
            return false;
        };
        if seen[node] || x.parent != parent || x.depth != depth {
            return false;
        }
        seen[node] = true;
        stack.extend(x.children.iter().map(|&c| (c, Some(node), depth + 1)));
    }
    seen.into_iter().all(|s| s)
}

/// The head on screen: what the sources gave meanwhile, added when the preview ends.
#[derive(Debug, Default)]
pub struct Preview {
    pub(super) pending: Vec<Article>,
    /// The start view's rows and unread rows the head leaves out.
    rest_view: (usize, usize),
    /// The start view (filter, unread only, search) the rows above are for.
    view: (String, bool, String),
}

impl State {
    /// Whether the first screen shows a head while the library loads.
    pub fn previewing(&self) -> bool {
        self.preview.is_some()
    }

    /// Shows a head: only at start, before any article, and when it was made for this start
    /// view; anything else is ignored.
    pub(super) fn show_head(&mut self, head: Head) {
        if self.preview.is_some()
            || !self.lib.is_empty()
            || self.fresh.first_done
            || head.start != self.start_category
            || !head.consistent()
        {
            return;
        }
        let Head {
            articles,
            members,
            tree,
            rest,
            stories,
            ..
        } = head;
        let by_id: HashMap<ArticleId, Vec<u32>> = (articles.iter().map(|a| a.id.clone()))
            .zip(members)
            .collect();
        let mut articles = articles;
        for a in articles.iter_mut().filter(|a| a.stored().is_none()) {
            a.body = Body::Blocks(vec![Block::new(BlockKind::Paragraph, BODY_LATER)]);
        }
        self.lib = Library::new(articles);
        let members = (self.lib.articles().iter())
            .map(|a| by_id.get(&a.id).cloned().unwrap_or_default())
            .collect();
        self.stories.set(stories);
        self.stories.library_changed(&self.lib);
        self.search.library_changed();
        self.tree.set_categories(tree, members, &HashSet::new());
        let view = rest.view;
        self.marks.rest = Some(rest);
        self.marks.apply(self.lib.articles());
        self.preview = Some(Preview::default());
        self.rebuild_tree_rows();
        self.set_filter(Filter::Row(TreeRow::All));
        self.apply_initial_category();
        self.recount();
        let (rows, unread) = view;
        let view = self.view_now();
        if let Some(p) = &mut self.preview {
            p.rest_view = (
                rows.saturating_sub(self.list.visible.len()),
                unread.saturating_sub(self.list.visible_unread),
            );
            p.view = view;
        }
    }

    fn view_now(&self) -> (String, bool, String) {
        let search = self.search.query.clone();
        (self.filter_name(), self.list.unread_only, search)
    }

    /// The start view's rows the preview leaves out, while it shows the start view.
    fn rest_view(&self) -> (usize, usize) {
        match &self.preview {
            Some(p) if p.view == self.view_now() => p.rest_view,
            _ => (0, 0),
        }
    }

    /// Rows of the headline list, counting those a preview leaves out.
    pub fn shown_count(&self) -> usize {
        self.list.visible.len() + self.rest_view().0
    }

    /// Unread rows of the headline list, counting those a preview leaves out.
    pub fn shown_unread(&self) -> usize {
        self.list.visible_unread + self.rest_view().1
    }

    /// Articles in the library (while a preview shows, as many as the head was made from).
    pub fn library_len(&self) -> usize {
        match self.preview {
            Some(_) => self.tree.categories.total,
            None => self.lib.len(),
        }
    }

    /// Articles that arrive while the head shows wait for the end of the preview; `false` when
    /// there is none.
    pub(super) fn hold(&mut self, articles: &mut Vec<Article>) -> bool {
        match &mut self.preview {
            Some(p) => {
                p.pending.append(articles);
                true
            }
            None => false,
        }
    }

    /// Everything stored from the last run is in: the library replaces the head (the view kept
    /// by id and path); the open article is laid out again from its real copy.
    pub(super) fn end_preview(&mut self) {
        let Some(preview) = self.preview.take() else {
            return;
        };
        self.marks.rest = None;
        self.replace_articles(preview.pending);
        if let Some(i) = self.reader.open.as_ref().map(|r| r.article)
            && self.lib.articles()[i].stored().is_none()
        {
            self.body_changed(i, false);
        }
    }

    /// The head of the library as it is now, for the next start: `None` while a preview shows
    /// (the library is not all there) or when the start view shows nothing.
    pub fn head(&self) -> Option<Head> {
        if self.preview.is_some() || self.lib.is_empty() {
            return None;
        }
        let articles = self.lib.articles();
        let filter = match &self.start_category {
            Some(path) => Some(self.lib.category_filter(path).ok()?),
            None => None,
        };
        let in_view: Vec<usize> = (0..articles.len())
            .filter(|&i| filter.as_ref().is_none_or(|f| f.matches(&articles[i])))
            .collect();
        let view = self.rows_of(&in_view);
        let mut picked: Vec<usize> = in_view.into_iter().take(HEAD_ROWS).collect();
        let others: Vec<usize> = (picked.iter())
            .flat_map(|&i| self.stories.others(&articles[i].id))
            .collect();
        picked.extend(others);
        picked.sort_unstable();
        picked.dedup();
        // The counts of the head's own articles, to leave out of the whole.
        let mut part = super::marks::Marks {
            read: picked.iter().map(|&i| self.marks.read[i]).collect(),
            starred: picked.iter().map(|&i| self.marks.starred[i]).collect(),
            ..Default::default()
        };
        let members: Vec<Vec<u32>> = picked
            .iter()
            .map(|&i| self.tree.members[i].clone())
            .collect();
        let stories: Vec<u32> = match self.stories.by_index.is_empty() {
            true => Vec::new(),
            false => picked.iter().map(|&i| self.stories.by_index[i]).collect(),
        };
        let nodes = self.tree.categories.nodes.len();
        part.recount(&members, nodes, &stories);
        let whole = &self.marks;
        let rest = RestCounts {
            unread: whole.unread.saturating_sub(part.unread),
            node_unread: (0..nodes)
                .map(|n| whole.node_unread[n].saturating_sub(part.node_unread[n]))
                .collect(),
            uncategorized_unread: (whole.uncategorized_unread)
                .saturating_sub(part.uncategorized_unread),
            starred: (
                whole.starred_count.0.saturating_sub(part.starred_count.0),
                whole.starred_count.1.saturating_sub(part.starred_count.1),
            ),
            view,
        };
        Some(Head {
            start: self.start_category.clone(),
            stories: self
                .stories
                .groups_of(picked.iter().map(|&i| &articles[i].id)),
            articles: picked.iter().map(|&i| header(&articles[i])).collect(),
            members,
            tree: self.tree.categories.clone(),
            rest,
        })
    }
}

impl State {
    /// The rows these articles (library indices) make with stories folded, and how many are
    /// unread: a story is one row, unread while any of its versions is.
    fn rows_of(&self, articles: &[usize]) -> (usize, usize) {
        let (mut rows, mut unread) = (0, 0);
        let mut stories: HashMap<u32, bool> = HashMap::new();
        for &i in articles {
            let unread_here = !self.marks.read[i];
            match self
                .stories
                .by_index
                .get(i)
                .copied()
                .filter(|&s| s != u32::MAX)
            {
                Some(s) => *stories.entry(s).or_default() |= unread_here,
                None => {
                    rows += 1;
                    unread += usize::from(unread_here);
                }
            }
        }
        rows += stories.len();
        unread += stories.values().filter(|&&u| u).count();
        (rows, unread)
    }
}

/// An article's headers and where its body is (the head never holds a body).
fn header(a: &Article) -> Article {
    Article {
        id: a.id.clone(),
        title: a.title.clone(),
        source: a.source.clone(),
        author: a.author.clone(),
        date: a.date,
        dated: a.dated,
        link: a.link.clone(),
        categories: a.categories.clone(),
        standfirst: a.standfirst.clone(),
        body: match &a.body {
            Body::Stored(at) => Body::Stored(at.clone()),
            _ => Body::default(),
        },
        words: a.words,
        meta: a.meta.clone(),
        origin: a.origin.clone(),
    }
}

/// What the reading pane shows of a head article whose body is not on disk (a feed's, kept in
/// memory) until the library has loaded: never a wrong or empty body.
pub const BODY_LATER: &str = "The story shows once the library has loaded…";

#[cfg(test)]
#[path = "head_tests.rs"]
mod tests;

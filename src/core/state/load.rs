//! Articles arriving: the library built again with everything the user sees kept in place (the
//! filter by its path, folded nodes, the selection and the open article by id, full stories on
//! display), and the `--category` filter applied once loading is done.

use super::{Filter, State, TreeRow};
use crate::core::category::CategoryTree;
use crate::core::library::Library;
use crate::core::model::{Article, ArticleId};
use std::collections::HashSet;

/// The articles a refresh brought (after the first load): counted in the status bar, marked in
/// the tree, and told to `on_new` once per refresh.
#[derive(Debug, Default)]
pub struct Fresh {
    pub(super) ids: HashSet<ArticleId>,
    /// Tree nodes holding one of them.
    pub(super) nodes: HashSet<usize>,
    /// The first load is done: what arrives from now on is new.
    pub(super) first_done: bool,
    /// How many were told already (`Effect::NewArticles`).
    pub(super) reported: usize,
}

impl Fresh {
    pub(super) fn clear(&mut self) {
        self.ids.clear();
        self.nodes.clear();
        self.reported = 0;
    }
}

/// What the user sees, by id and path, to find again in a new library.
struct Kept {
    selected: Option<ArticleId>,
    reading: Option<ArticleId>,
    /// The filter's node path, lowercased.
    filter_path: Option<String>,
    /// The selected tree node's path, lowercased.
    tree_path: Option<String>,
    collapsed: HashSet<String>,
}

impl State {
    /// Articles from a source (and the warnings met on the way).
    pub(super) fn loaded(&mut self, articles: Vec<Article>, warnings: Vec<String>) {
        self.warnings.extend(warnings);
        let mut articles = articles;
        if !articles.is_empty() && !self.hold(&mut articles) {
            self.add_articles(articles);
        }
    }

    /// Every source has reported.
    pub(super) fn loading_done(&mut self) {
        self.sources.loading = false;
        self.end_preview();
        self.apply_initial_category();
        if !self.fresh.first_done {
            self.fresh.first_done = true;
            // The first screen of the next start.
            if let Some(head) = self.head() {
                self.work.push(super::Effect::SaveHead(Box::new(head)));
            }
            return;
        }
        let count = self.fresh.ids.len().saturating_sub(self.fresh.reported);
        if count > 0 {
            self.fresh.reported = self.fresh.ids.len();
            let mut categories: Vec<String> = (self.lib.articles().iter())
                .filter(|a| self.fresh.ids.contains(&a.id))
                .filter_map(|a| Some(a.categories.first()?.levels().first()?.clone()))
                .collect();
            categories.sort();
            categories.dedup();
            self.work
                .push(super::Effect::NewArticles { count, categories });
        }
    }

    fn kept(&self) -> Kept {
        let id_of = |i: usize| self.lib.articles()[i].id.clone();
        let categories = &self.tree.categories;
        // While the first load goes on, a cursor nobody moved stays on the top row: the
        // articles that come later may sort above the first ones shown.
        let untouched =
            !self.fresh.first_done && self.list.selected == 0 && self.reader.open.is_none();
        Kept {
            selected: match untouched {
                true => None,
                false => self.selected_article().map(id_of),
            },
            reading: self.reader.open.as_ref().map(|r| id_of(r.article)),
            filter_path: match self.list.filter {
                Filter::Row(TreeRow::Node(n)) => Some(categories.path_of(n).to_lowercase()),
                _ => None,
            },
            tree_path: match self.tree.selected_row() {
                Some(TreeRow::Node(n)) => Some(categories.path_of(n).to_lowercase()),
                _ => None,
            },
            collapsed: self.tree.collapsed_paths(),
        }
    }

    /// Where an article is in the library now.
    fn find(&self, id: &Option<ArticleId>) -> Option<usize> {
        id.as_ref()
            .and_then(|id| self.lib.articles().iter().position(|a| &a.id == id))
    }

    /// Applies the loaded articles: rebuilds the library and tree, keeps read marks, the filter
    /// (by its path), the selection and the open article (by id).
    fn add_articles(&mut self, articles: Vec<Article>) {
        self.merge_articles(articles, false);
    }

    /// Replaces the library with `articles` (the preview's end), keeping the view as
    /// [`State::add_articles`] does.
    pub(super) fn replace_articles(&mut self, articles: Vec<Article>) {
        self.merge_articles(articles, true);
    }

    fn merge_articles(&mut self, articles: Vec<Article>, replace: bool) {
        let kept = self.kept();
        // After the first load, what the library did not hold is new.
        let arrived: Vec<ArticleId> = match self.fresh.first_done {
            true => {
                let old: HashSet<&ArticleId> = self.lib.articles().iter().map(|a| &a.id).collect();
                (articles.iter())
                    .filter(|a| !old.contains(&a.id))
                    .map(|a| a.id.clone())
                    .collect()
            }
            false => Vec::new(),
        };
        // Full stories on display stay on display when their article is loaded again.
        let shown = self.full.take_shown(self.lib.articles_mut());
        if replace {
            self.lib = Library::default();
        }
        self.lib.add(articles);
        self.stories.library_changed(&self.lib);
        self.full.show_again(&mut self.lib, &shown);
        self.search.library_changed();
        self.reader.requested.clear();
        let (tree, members) = CategoryTree::build_indexed(self.lib.articles());
        self.tree.set_categories(tree, members, &kept.collapsed);
        self.marks.apply(self.lib.articles());
        self.restore_view(kept);
        self.recount();
        self.fresh.ids.extend(arrived);
        if !self.fresh.ids.is_empty() {
            self.fresh.nodes = (self.lib.articles().iter().enumerate())
                .filter(|(_, a)| self.fresh.ids.contains(&a.id))
                .flat_map(|(i, _)| self.tree.members_of(i).iter().map(|&n| n as usize))
                .collect();
        }
    }

    /// Puts the filter, the selection and the open article back after the library changed.
    fn restore_view(&mut self, kept: Kept) {
        let filter = match (std::mem::take(&mut self.list.filter), kept.filter_path) {
            (Filter::Row(TreeRow::Node(_)), Some(path)) => {
                Filter::Row(self.tree.node_at(&path).map_or(TreeRow::All, TreeRow::Node))
            }
            (f, _) => f,
        };
        let selected = self.find(&kept.selected);
        let reading = self.find(&kept.reading);
        // set_filter keeps the selection by library index: point it at the new index first.
        self.list.visible = selected.into_iter().collect();
        self.list.selected = 0;
        self.rebuild_tree_rows();
        // The tree's node numbers may have changed: its selected node found again by path.
        if let Some(i) = (kept.tree_path)
            .and_then(|p| self.tree.node_at(&p))
            .and_then(|n| self.tree.position(TreeRow::Node(n)))
        {
            self.tree.selected = i;
            self.fix_tree_offset();
        }
        self.set_filter(filter);
        if selected.is_none() {
            self.list.selected = 0;
            self.fix_list_offset();
        }
        match (reading, &mut self.reader.open) {
            (Some(i), Some(r)) => r.article = i,
            _ => self.reader.open = None,
        }
        // The article being read came again with its body on disk: the lines on screen stay
        // until the body is back.
        if let Some(i) = self.reader.open.as_ref().map(|r| r.article) {
            self.request_body(i);
        }
    }

    pub(super) fn apply_initial_category(&mut self) {
        let Some(path) = self.initial_category.take() else {
            return;
        };
        match self.lib.category_filter(&path) {
            Ok(f) => {
                let roots = self.tree.categories.selected_roots(&f);
                let filter = match roots.as_slice() {
                    [one] => Filter::Row(TreeRow::Node(*one)),
                    _ => Filter::Query(f),
                };
                if let Some(i) = filter.row().and_then(|r| self.tree.position(r)) {
                    self.tree.selected = i;
                    self.fix_tree_offset();
                }
                self.set_filter(filter);
            }
            // A preview holds a few articles: the library will tell.
            Err(_) if self.preview.is_some() => self.initial_category = Some(path),
            Err(e) => self.warnings.push(e.to_string()),
        }
    }
}

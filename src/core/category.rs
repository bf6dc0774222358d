//! Category queries (`--category PATH`) and the category tree with counts.

use crate::core::model::{Article, CategoryPath};
use std::collections::HashMap;

/// A hash map with a fast, randomly seeded hasher (keys come from feeds: no fixed seed).
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Splits one level into lowercase words; `-` and `_` separate words as spaces do, so
/// `world-news` and `World News` read alike.
fn level_words(level: &str) -> Vec<String> {
    level
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A parsed `--category PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryQuery {
    text: String,
    levels: Vec<Vec<String>>,
}

impl CategoryQuery {
    /// `None` when PATH holds no level at all.
    pub fn parse(text: &str) -> Option<CategoryQuery> {
        let levels: Vec<Vec<String>> = text
            .split('/')
            .map(level_words)
            .filter(|w| !w.is_empty())
            .collect();
        (!levels.is_empty()).then(|| CategoryQuery {
            text: text.trim().to_string(),
            levels,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Each word of the query level is a prefix of the matching word of the category level.
    fn level_matches(query: &[String], level: &str) -> bool {
        let words = level_words(level);
        query.len() <= words.len() && query.iter().zip(&words).all(|(q, w)| w.starts_with(q))
    }

    /// True when the query matches `levels[start..]` level by level.
    fn matches_from(&self, path: &CategoryPath, start: usize) -> bool {
        let levels = path.levels();
        start + self.levels.len() <= levels.len()
            && self
                .levels
                .iter()
                .zip(&levels[start..])
                .all(|(q, l)| Self::level_matches(q, l))
    }

    /// Anchored: the query matches the path from its first level (so it selects that subtree).
    pub fn matches_anchored(&self, path: &CategoryPath) -> bool {
        self.matches_from(path, 0)
    }

    /// Unanchored: the query matches the path from any level.
    pub fn matches_anywhere(&self, path: &CategoryPath) -> bool {
        (0..path.levels().len()).any(|i| self.matches_from(path, i))
    }
}

/// How a query selects articles over a given set of articles: anchored at the top level when its
/// first level names a top-level category, else anywhere in a path.
#[derive(Debug, Clone)]
pub struct CategoryFilter {
    query: CategoryQuery,
    anchored: bool,
}

impl CategoryFilter {
    /// Decides the matching mode from the articles; `None` when nothing matches.
    pub fn new(query: CategoryQuery, articles: &[Article]) -> Option<CategoryFilter> {
        let paths = || articles.iter().flat_map(|a| a.categories.iter());
        if paths().any(|p| query.matches_anchored(p)) {
            return Some(CategoryFilter {
                query,
                anchored: true,
            });
        }
        let first = &query.levels[0];
        let top_level_hit = paths().any(|p| CategoryQuery::level_matches(first, &p.levels()[0]));
        if !top_level_hit && paths().any(|p| query.matches_anywhere(p)) {
            return Some(CategoryFilter {
                query,
                anchored: false,
            });
        }
        None
    }

    pub fn matches(&self, article: &Article) -> bool {
        article.categories.iter().any(|p| self.matches_path(p))
    }

    /// True when a category path is selected (it lies in a matching subtree).
    pub fn matches_path(&self, path: &CategoryPath) -> bool {
        if self.anchored {
            self.query.matches_anchored(path)
        } else {
            self.query.matches_anywhere(path)
        }
    }

    pub fn query(&self) -> &CategoryQuery {
        &self.query
    }
}

/// The category paths closest to a query that matched nothing, best first.
pub fn closest_categories(query: &str, tree: &CategoryTree, limit: usize) -> Vec<String> {
    let q = query.to_lowercase();
    let q = q.trim();
    let mut scored: Vec<(f64, String)> = tree
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let full = tree.path_of(i);
            let whole = strsim::normalized_levenshtein(q, &full.to_lowercase());
            let last = strsim::normalized_levenshtein(q, &n.name.to_lowercase());
            (whole.max(last), full)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().take(limit).map(|(_, s)| s).collect()
}

/// Spells every category path as the tree does: each level in its most used spelling among
/// the paths through that node (ties to the one that sorts first), so `world news / europe`
/// prints as *World News / Europe* wherever the tree counts it there.
pub fn respell(articles: &mut [Article]) {
    // Uses of each path: first by its allocation (a feed's items share their paths, so this
    // counts without hashing any text: hashing every path's levels was a tenth of a warm
    // `list`), then by text; distinct paths are few even in a big archive.
    let mut by_alloc: FastMap<usize, (&CategoryPath, usize)> = FastMap::default();
    for a in articles.iter() {
        for p in &a.categories {
            by_alloc.entry(alloc_of(p)).or_insert((p, 0)).1 += 1;
        }
    }
    let mut uses: FastMap<&CategoryPath, usize> = FastMap::default();
    for &(p, n) in by_alloc.values() {
        *uses.entry(p).or_default() += n;
    }
    // (lowercase levels down to a node) -> spelling of its last level -> uses
    let mut spellings: FastMap<Vec<String>, FastMap<&str, usize>> = FastMap::default();
    for (p, n) in &uses {
        let key = p.key();
        for (depth, level) in p.levels().iter().enumerate() {
            *spellings
                .entry(key[..=depth].to_vec())
                .or_default()
                .entry(level.as_str())
                .or_default() += n;
        }
    }
    let best: FastMap<Vec<String>, &str> = spellings
        .into_iter()
        .filter_map(|(k, by)| {
            by.into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(s, _)| (k, s))
        })
        .collect();
    let renamed: FastMap<&CategoryPath, CategoryPath> = uses
        .keys()
        .filter_map(|p| {
            let key = p.key();
            let levels: Vec<&str> = (0..key.len())
                .map(|d| {
                    best.get(&key[..=d])
                        .copied()
                        .unwrap_or(p.levels()[d].as_str())
                })
                .collect();
            (levels.iter().zip(p.levels()).any(|(a, b)| *a != b.as_str()))
                .then(|| CategoryPath::from_levels(&levels).map(|q| (*p, q)))
                .flatten()
        })
        .collect();
    if renamed.is_empty() {
        return;
    }
    // By allocation again. The old paths are held here, so no allocation is freed and reused
    // while articles are changed.
    let renamed: FastMap<usize, (CategoryPath, CategoryPath)> = by_alloc
        .iter()
        .filter_map(|(&at, (p, _))| Some((at, ((*p).clone(), renamed.get(p)?.clone()))))
        .collect();
    for a in articles.iter_mut() {
        for p in &mut a.categories {
            if let Some((_, q)) = renamed.get(&alloc_of(p)) {
                *p = q.clone();
            }
        }
    }
}

/// One category path met while the tree is built: each level with its node, and how many
/// times the path was met.
struct PathNodes<'a> {
    levels: Vec<(usize, &'a str)>,
    uses: usize,
}

/// Where a path's levels are: the same for clones of one path.
fn alloc_of(p: &CategoryPath) -> usize {
    p.levels().as_ptr() as usize
}

/// One node of the category tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryNode {
    /// The level's name in its most common spelling.
    pub name: String,
    pub depth: usize,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Distinct articles in this node or below.
    pub count: usize,
}

/// The category tree: levels merged case-insensitively, children sorted by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CategoryTree {
    pub nodes: Vec<CategoryNode>,
    pub roots: Vec<usize>,
    pub total: usize,
    pub uncategorized: usize,
}

impl CategoryTree {
    pub fn build<'a>(articles: impl IntoIterator<Item = &'a Article>) -> CategoryTree {
        Self::build_indexed(articles).0
    }

    /// The tree, and for each article (in the order given) the nodes it belongs to: the nodes of
    /// its categories and all their ancestors, sorted. This is what filtering by node uses.
    pub fn build_indexed<'a>(
        articles: impl IntoIterator<Item = &'a Article>,
    ) -> (CategoryTree, Vec<Vec<u32>>) {
        let mut members: Vec<Vec<u32>> = Vec::new();
        let mut tree = CategoryTree::default();
        // (parent, lowercase level) -> node
        let mut index: FastMap<(Option<usize>, String), usize> = FastMap::default();
        // (parent, level as spelled) -> node: most levels are met spelled as before, and this
        // finds them without lowercasing or allocating.
        let mut exact: FastMap<(Option<usize>, &'a str), usize> = FastMap::default();
        // The articles of a file share their paths: each path (by where its levels are) is
        // walked once, and its other uses only counted.
        let mut by_alloc: FastMap<usize, usize> = FastMap::default();
        let mut paths: Vec<PathNodes<'a>> = Vec::new();
        let mut touched: Vec<u32> = Vec::new();
        for article in articles {
            tree.total += 1;
            if article.categories.is_empty() {
                tree.uncategorized += 1;
                members.push(Vec::new());
                continue;
            }
            touched.clear();
            for path in &article.categories {
                let p = *by_alloc.entry(alloc_of(path)).or_insert_with(|| {
                    let mut levels = Vec::new();
                    let mut parent = None;
                    for (depth, level) in path.levels().iter().enumerate() {
                        let node = match exact.get(&(parent, level.as_str())) {
                            Some(&n) => n,
                            None => {
                                let key = (parent, level.to_lowercase());
                                let n = *index.entry(key).or_insert_with(|| {
                                    tree.nodes.push(CategoryNode {
                                        name: level.clone(),
                                        depth,
                                        parent,
                                        children: Vec::new(),
                                        count: 0,
                                    });
                                    tree.nodes.len() - 1
                                });
                                exact.insert((parent, level.as_str()), n);
                                n
                            }
                        };
                        levels.push((node, level.as_str()));
                        parent = Some(node);
                    }
                    paths.push(PathNodes { levels, uses: 0 });
                    paths.len() - 1
                });
                paths[p].uses += 1;
                touched.extend(paths[p].levels.iter().map(|&(n, _)| n as u32));
            }
            touched.sort_unstable();
            touched.dedup();
            for &n in &touched {
                tree.nodes[n as usize].count += 1;
            }
            members.push(touched.clone());
        }
        // node -> spelling -> uses
        let mut spellings: Vec<FastMap<&'a str, usize>> =
            vec![FastMap::default(); tree.nodes.len()];
        for path in &paths {
            for &(n, level) in &path.levels {
                *spellings[n].entry(level).or_default() += path.uses;
            }
        }
        for (i, uses) in spellings.into_iter().enumerate() {
            // Most used spelling; ties go to the one that sorts first, for a stable result.
            if let Some((name, _)) = uses
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
            {
                tree.nodes[i].name = name.to_string();
            }
        }
        for i in 0..tree.nodes.len() {
            match tree.nodes[i].parent {
                Some(p) => tree.nodes[p].children.push(i),
                None => tree.roots.push(i),
            }
        }
        let nodes = &tree.nodes;
        let by_name = |a: &usize, b: &usize| {
            let (x, y) = (&nodes[*a].name, &nodes[*b].name);
            x.to_lowercase()
                .cmp(&y.to_lowercase())
                .then_with(|| x.cmp(y))
        };
        let mut roots = tree.roots.clone();
        roots.sort_by(by_name);
        let mut children: Vec<Vec<usize>> = tree.nodes.iter().map(|n| n.children.clone()).collect();
        for c in &mut children {
            c.sort_by(by_name);
        }
        tree.roots = roots;
        for (n, c) in tree.nodes.iter_mut().zip(children) {
            n.children = c;
        }
        (tree, members)
    }

    /// The names from the top level down to `node`.
    fn levels_of(&self, node: usize) -> Vec<&str> {
        let mut levels = Vec::new();
        let mut cur = Some(node);
        while let Some(n) = cur {
            levels.push(self.nodes[n].name.as_str());
            cur = self.nodes[n].parent;
        }
        levels.reverse();
        levels
    }

    /// The node's levels, from the top.
    pub fn category_of(&self, node: usize) -> CategoryPath {
        CategoryPath::from_levels(self.levels_of(node)).expect("tree nodes have names")
    }

    /// The topmost nodes a filter selects (their subtrees hold every selected category).
    pub fn selected_roots(&self, filter: &CategoryFilter) -> Vec<usize> {
        self.preorder()
            .into_iter()
            .filter(|&n| {
                filter.matches_path(&self.category_of(n))
                    && self.nodes[n]
                        .parent
                        .is_none_or(|p| !filter.matches_path(&self.category_of(p)))
            })
            .collect()
    }

    /// The node's full path, levels joined by ` / `.
    pub fn path_of(&self, node: usize) -> String {
        self.levels_of(node).join(" / ")
    }

    /// Nodes in display order (depth first, children sorted).
    pub fn preorder(&self) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.nodes.len());
        let mut stack: Vec<usize> = self.roots.iter().rev().copied().collect();
        while let Some(n) = stack.pop() {
            out.push(n);
            stack.extend(self.nodes[n].children.iter().rev());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::ArticleId;
    use chrono::Utc;

    fn article(title: &str, cats: &str) -> Article {
        Article {
            id: ArticleId::from_key(title),
            title: title.into(),
            source: "s".into(),
            author: None,
            date: Utc::now(),
            dated: true,
            link: None,
            categories: CategoryPath::parse_list(cats),
            standfirst: None,
            body: crate::core::model::Body::default(),
            words: 0,
            meta: Box::default(),
            origin: title.into(),
        }
    }

    fn corpus() -> Vec<Article> {
        vec![
            article("a", "World News / Europe"),
            article("b", "World News/Asia"),
            article("c", "world news / europe; Business"),
            article("d", "Technology / AI"),
            article("e", "Science / Europe"),
            article("f", ""),
            article("g", "world-news/europe"),
        ]
    }

    fn selected(query: &str) -> Option<Vec<String>> {
        let arts = corpus();
        let f = CategoryFilter::new(CategoryQuery::parse(query)?, &arts)?;
        Some(
            arts.iter()
                .filter(|a| f.matches(a))
                .map(|a| a.title.to_string())
                .collect(),
        )
    }

    #[test]
    fn query_matching_table() {
        let table: &[(&str, Option<&[&str]>)] = &[
            ("world/europe", Some(&["a", "c", "g"])),
            ("World News/Europe", Some(&["a", "c", "g"])),
            ("world news / europe", Some(&["a", "c", "g"])),
            ("world", Some(&["a", "b", "c", "g"])),
            ("wor n/eu", Some(&["a", "c", "g"])),
            ("tech/ai", Some(&["d"])),
            ("business", Some(&["c"])),
            // Not a top-level name: matches the end of paths, anywhere.
            ("europe", Some(&["a", "c", "e", "g"])),
            ("ai", Some(&["d"])),
            // A top-level name that leads nowhere does not fall back to suffix matching.
            ("world/africa", None),
            ("news", None),
            ("sport", None),
            ("", None),
        ];
        for (q, want) in table {
            let got = selected(q);
            let want = want.map(|w| w.iter().map(|s| s.to_string()).collect::<Vec<_>>());
            assert_eq!(got, want, "query {q:?}");
        }
    }

    #[test]
    fn tree_counts_parents_with_children_once_per_article() {
        let arts = corpus();
        let tree = CategoryTree::build(&arts);
        assert_eq!(tree.total, 7);
        assert_eq!(tree.uncategorized, 1);
        let shown: Vec<(String, usize, usize)> = tree
            .preorder()
            .into_iter()
            .map(|n| (tree.path_of(n), tree.nodes[n].depth, tree.nodes[n].count))
            .collect();
        let want = [
            ("Business", 0, 1),
            ("Science", 0, 1),
            ("Science / Europe", 1, 1),
            ("Technology", 0, 1),
            ("Technology / AI", 1, 1),
            ("World News", 0, 3),
            ("World News / Asia", 1, 1),
            ("World News / Europe", 1, 2),
            ("world-news", 0, 1),
            ("world-news / europe", 1, 1),
        ];
        let want: Vec<(String, usize, usize)> = want
            .iter()
            .map(|(p, d, c)| (p.to_string(), *d, *c))
            .collect();
        assert_eq!(shown, want);
    }

    #[test]
    fn most_common_spelling_wins() {
        let arts = vec![
            article("1", "tech"),
            article("2", "Tech"),
            article("3", "Tech"),
        ];
        let tree = CategoryTree::build(&arts);
        assert_eq!(tree.nodes.len(), 1);
        assert_eq!(tree.nodes[0].name, "Tech");
        assert_eq!(tree.nodes[0].count, 3);
    }

    #[test]
    fn selected_roots_are_the_topmost_matching_nodes() {
        let arts = corpus();
        let tree = CategoryTree::build(&arts);
        let roots = |q: &str| -> Vec<String> {
            let f = CategoryFilter::new(CategoryQuery::parse(q).unwrap(), &arts).unwrap();
            tree.selected_roots(&f)
                .into_iter()
                .map(|n| tree.path_of(n))
                .collect()
        };
        assert_eq!(roots("world"), ["World News", "world-news"]);
        assert_eq!(
            roots("world news/europe"),
            ["World News / Europe", "world-news / europe"]
        );
        assert_eq!(roots("tech"), ["Technology"]);
        assert_eq!(
            roots("europe"),
            [
                "Science / Europe",
                "World News / Europe",
                "world-news / europe"
            ]
        );
    }

    #[test]
    fn closest_lists_near_names() {
        let arts = corpus();
        let tree = CategoryTree::build(&arts);
        let near = closest_categories("buisness", &tree, 3);
        assert_eq!(near[0], "Business");
        let near = closest_categories("World News / Eurpoe", &tree, 1);
        assert_eq!(near, ["World News / Europe"]);
    }
}

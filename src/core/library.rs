//! The library: every loaded article, newest first, with lookups and filters.

use crate::core::category::{
    CategoryFilter, CategoryQuery, CategoryTree, closest_categories, respell,
};
use crate::core::model::{Article, ArticleId};
use crate::core::render::Render;
use std::collections::HashSet;

#[derive(Debug, Clone, Default)]
pub struct Library {
    articles: Vec<Article>,
}

/// Why `find` found no single article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindError {
    NotFound,
    /// The prefix fits several ids (the first few are listed).
    Ambiguous(Vec<String>),
}

/// Why a category filter selects nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoSuchCategory {
    pub query: String,
    pub closest: Vec<String>,
}

impl std::fmt::Display for NoSuchCategory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no category matches '{}'", self.query)?;
        if !self.closest.is_empty() {
            write!(f, "; closest: {}", self.closest.join(", "))?;
        }
        Ok(())
    }
}

impl Library {
    /// Takes the articles, drops repeats of an id (the last one loaded stays: a fresh fetch
    /// replaces the cached copy) and sorts them newest first, undated articles after every dated
    /// one (their stand-in date, a file's time, says nothing of the news); ties by title, then
    /// id, so the order never depends on load order. Category paths are spelled as the tree
    /// spells them (see [`respell`]), so every view prints one spelling.
    pub fn new(mut articles: Vec<Article>) -> Library {
        // Articles are large: sort their indices, then move each article once.
        // Indices as u32 and the ids by reference: at 110k articles these transient tables
        // were 4 MB of a warm `list`'s peak.
        let mut order = last_of_each_id(&articles, 0);
        // Ids are unique by now, so the order is total and an unstable sort is deterministic.
        order.sort_unstable_by(|&i, &j| newest_first(&articles[i as usize], &articles[j as usize]));
        arrange(&mut articles, order);
        respell(&mut articles);
        Library { articles }
    }

    /// Adds `batch`: the library becomes what [`Library::new`] makes of its articles followed
    /// by the batch (an id in both keeps the batch's article), but only the batch is sorted,
    /// then merged into the library's order. The reader adds each batch of a load this way: a
    /// sort of the whole library per batch was 30 ms at 110k articles.
    pub fn add(&mut self, batch: Vec<Article>) {
        if batch.is_empty() {
            return;
        }
        let mut articles = std::mem::take(&mut self.articles);
        let old = articles.len();
        articles.extend(batch);
        let mut fresh = last_of_each_id(&articles, old);
        fresh.sort_unstable_by(|&i, &j| newest_first(&articles[i as usize], &articles[j as usize]));
        let order = {
            let ids: HashSet<&ArticleId, foldhash::fast::RandomState> =
                (fresh.iter()).map(|&i| &articles[i as usize].id).collect();
            let kept = (0..old as u32).filter(|&i| !ids.contains(&articles[i as usize].id));
            // Both in order: one merge.
            let mut order = Vec::with_capacity(articles.len());
            let (mut kept, mut fresh) = (kept.peekable(), fresh.into_iter().peekable());
            while let (Some(&k), Some(&f)) = (kept.peek(), fresh.peek()) {
                if newest_first(&articles[k as usize], &articles[f as usize]).is_gt() {
                    order.push(f);
                    fresh.next();
                } else {
                    order.push(k);
                    kept.next();
                }
            }
            order.extend(kept);
            order.extend(fresh);
            order
        };
        arrange(&mut articles, order);
        respell(&mut articles);
        self.articles = articles;
    }

    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// Renders article `i`'s pending HTML body, if any (see `Article::render`).
    pub fn render(&mut self, i: usize) {
        if let Some(a) = self.articles.get_mut(i) {
            a.render();
        }
    }

    /// Article `i`, to change in place (its id and date must stay: the order depends on them).
    pub fn article_mut(&mut self, i: usize) -> &mut Article {
        &mut self.articles[i]
    }

    /// The articles, to change in place (their ids, dates and titles must stay: the order
    /// depends on them).
    pub fn articles_mut(&mut self) -> &mut [Article] {
        &mut self.articles
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// The article whose id is `prefix` or starts with it (case-insensitive).
    pub fn find(&self, prefix: &str) -> Result<&Article, FindError> {
        let prefix = prefix.trim().to_ascii_lowercase();
        if prefix.is_empty() {
            return Err(FindError::NotFound);
        }
        if let Some(a) = self.articles.iter().find(|a| a.id.as_str() == prefix) {
            return Ok(a);
        }
        let hits: Vec<&Article> = self
            .articles
            .iter()
            .filter(|a| a.id.as_str().starts_with(&prefix))
            .collect();
        match hits.as_slice() {
            [] => Err(FindError::NotFound),
            [one] => Ok(one),
            many => Err(FindError::Ambiguous(
                many.iter().take(5).map(|a| a.id.to_string()).collect(),
            )),
        }
    }

    pub fn category_tree(&self) -> CategoryTree {
        CategoryTree::build(&self.articles)
    }

    /// A filter for `--category PATH`, or the closest categories when PATH matches nothing.
    pub fn category_filter(&self, path: &str) -> Result<CategoryFilter, NoSuchCategory> {
        CategoryQuery::parse(path)
            .and_then(|q| CategoryFilter::new(q, &self.articles))
            .ok_or_else(|| NoSuchCategory {
                query: path.trim().to_string(),
                closest: closest_categories(path, &self.category_tree(), 5),
            })
    }
}

/// The library's order: newest first, undated articles after every dated one (their stand-in
/// date, a file's time, says nothing of the news); ties by title, then id.
fn newest_first(a: &Article, b: &Article) -> std::cmp::Ordering {
    b.dated
        .cmp(&a.dated)
        .then_with(|| b.date.cmp(&a.date))
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.id.cmp(&b.id))
}

/// The indices from `from` on of the articles whose id comes no later (the last one loaded of
/// an id stays: a fresh fetch replaces the cached copy), in the articles' order.
fn last_of_each_id(articles: &[Article], from: usize) -> Vec<u32> {
    let n = u32::try_from(articles.len()).expect("fewer than 4 billion articles");
    let mut seen: HashSet<&ArticleId, foldhash::fast::RandomState> =
        HashSet::with_capacity_and_hasher(articles.len() - from, Default::default());
    let mut keep: Vec<u32> = (from as u32..n)
        .rev()
        .filter(|&i| seen.insert(&articles[i as usize].id))
        .collect();
    keep.reverse();
    keep
}

/// Puts each article in `order` at its place, in place (a big archive is not copied twice);
/// the articles not in `order` are dropped.
fn arrange(articles: &mut Vec<Article>, order: Vec<u32>) {
    // `dest[i]` is where article `i` goes; the dropped ones go to the end.
    let kept = order.len();
    let mut dest = vec![u32::MAX; articles.len()];
    for (k, &i) in (0..).zip(order.iter()) {
        dest[i as usize] = k;
    }
    drop(order);
    for (next, d) in (kept as u32..).zip(dest.iter_mut().filter(|d| **d == u32::MAX)) {
        *d = next;
    }
    for i in 0..articles.len() {
        while dest[i] as usize != i {
            let j = dest[i] as usize;
            articles.swap(i, j);
            dest.swap(i, j);
        }
    }
    articles.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{ArticleId, CategoryPath};
    use chrono::{TimeZone, Utc};

    fn art(key: &str, title: &str, day: u32) -> Article {
        Article {
            id: ArticleId::from_key(key),
            title: title.into(),
            source: "s".into(),
            author: None,
            date: Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap(),
            dated: true,
            link: None,
            categories: CategoryPath::parse_list("World News / Europe"),
            standfirst: None,
            body: crate::core::model::Body::default(),
            words: 0,
            meta: Box::default(),
            origin: key.into(),
        }
    }

    #[test]
    fn sorted_newest_first_and_deduplicated() {
        let lib = Library::new(vec![
            art("x", "old", 20),
            art("y", "new", 25),
            art("x", "old again", 22),
            art("z", "mid b", 22),
            art("w", "mid a", 22),
        ]);
        let titles: Vec<&str> = lib.articles().iter().map(|a| &*a.title).collect();
        assert_eq!(titles, ["new", "mid a", "mid b", "old again"]);
    }

    #[test]
    fn undated_articles_sort_after_dated_ones() {
        let undated = |key: &str, title: &str, day: u32| Article {
            dated: false,
            ..art(key, title, day)
        };
        // An undated article's stand-in date is its file's time: often the newest of all.
        let lib = Library::new(vec![
            undated("u1", "undated new", 28),
            art("x", "dated old", 20),
            undated("u2", "undated old", 21),
            art("y", "dated new", 25),
        ]);
        let titles: Vec<&str> = lib.articles().iter().map(|a| &*a.title).collect();
        assert_eq!(
            titles,
            ["dated new", "dated old", "undated new", "undated old"]
        );
    }

    #[test]
    fn categories_take_the_spelling_of_the_tree() {
        let cat = |key: &str, cats: &str| Article {
            categories: CategoryPath::parse_list(cats),
            ..art(key, key, 20)
        };
        let lib = Library::new(vec![
            cat("a", "world news/europe"),
            cat("b", "World News / Europe"),
            cat("c", "World News / Europe; Business"),
            cat("d", "WORLD NEWS / Asia; business"),
        ]);
        let tree = lib.category_tree();
        let printed: Vec<String> = lib
            .articles()
            .iter()
            .flat_map(|a| a.categories.iter().map(|c| c.to_string()))
            .collect();
        for p in &printed {
            let key: Vec<String> = p.split(" / ").map(str::to_lowercase).collect();
            let node = (0..tree.nodes.len())
                .find(|&n| tree.category_of(n).key() == key)
                .unwrap();
            assert_eq!(*p, tree.path_of(node), "printed as the tree names it");
        }
        assert!(printed.contains(&"World News / Europe".to_string()));
        assert!(printed.contains(&"World News / Asia".to_string()));
        assert!(
            !printed
                .iter()
                .any(|p| p.starts_with("world") || p.starts_with("WORLD"))
        );
    }

    #[test]
    fn find_by_unique_prefix() {
        let lib = Library::new((0..40).map(|i| art(&format!("k{i}"), "t", 20)).collect());
        let id = lib.articles()[7].id.to_string();
        assert_eq!(lib.find(&id).unwrap().id.as_str(), id);
        assert_eq!(lib.find(&id[..10].to_uppercase()).unwrap().id.as_str(), id);
        assert_eq!(lib.find("zz"), Err(FindError::NotFound));
        assert_eq!(lib.find(""), Err(FindError::NotFound));
        // 40 ids over 16 hex digits: by pigeonhole some first digit is shared.
        let shared = "0123456789abcdef"
            .chars()
            .map(|c| c.to_string())
            .find(|c| {
                lib.articles()
                    .iter()
                    .filter(|a| a.id.as_str().starts_with(c.as_str()))
                    .count()
                    > 1
            })
            .unwrap();
        assert!(matches!(lib.find(&shared), Err(FindError::Ambiguous(v)) if v.len() > 1));
    }

    #[test]
    fn category_filter_error_lists_closest() {
        let lib = Library::new(vec![art("x", "t", 20)]);
        let err = lib.category_filter("wrld nws / eruope").unwrap_err();
        assert_eq!(err.closest[0..1], ["World News / Europe".to_string()]);
        assert!(
            err.to_string()
                .contains("no category matches 'wrld nws / eruope'")
        );
        assert!(lib.category_filter("world").is_ok());
    }

    mod adding {
        use super::*;
        use proptest::prelude::*;

        /// Articles with few keys, days, titles and spellings, so that repeats and ties abound.
        fn articles() -> impl Strategy<Value = Vec<Article>> {
            let one = (0..12u32, 20..24u32, 0..3usize, any::<bool>(), 0..2usize);
            prop::collection::vec(one, 0..40).prop_map(|v| {
                v.into_iter()
                    .map(|(key, day, title, dated, spelling)| {
                        let mut a = art(&format!("k{key}"), ["a", "b", "c"][title], day);
                        a.dated = dated;
                        let path = ["World News / Europe", "world news / EUROPE"][spelling];
                        a.categories = CategoryPath::parse_list(path);
                        a
                    })
                    .collect()
            })
        }

        fn shape(lib: &Library) -> Vec<(String, String, String, bool, Vec<String>)> {
            (lib.articles().iter())
                .map(|a| {
                    let paths = a.categories.iter().map(|p| p.to_string()).collect();
                    (
                        a.id.to_string(),
                        a.title.to_string(),
                        a.date.to_rfc3339(),
                        a.dated,
                        paths,
                    )
                })
                .collect()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2_000))]
            /// Adding a batch gives the library that sorting everything again gave.
            #[test]
            fn adding_is_sorting_everything_again(a in articles(), b in articles()) {
                let mut added = Library::new(a.clone());
                let mut all = added.articles().to_vec();
                added.add(b.clone());
                all.extend(b);
                prop_assert_eq!(shape(&added), shape(&Library::new(all)));
            }
        }
    }
}

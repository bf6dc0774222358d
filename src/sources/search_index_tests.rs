use super::*;
use crate::core::search::{Matcher, index_text};

fn art(key: &str, title: &str, body: &str) -> Article {
    let mut a = Article::new(ArticleId::from_key(key));
    a.title = title.into();
    a.source = "Harbour Wire".into();
    a.body = crate::core::model::Body::Blocks(vec![crate::core::model::Block::new(
        crate::core::model::BlockKind::Paragraph,
        body,
    )]);
    a.words = body.split_whitespace().count() as u32;
    a
}

fn add_all(index: &SearchIndex, articles: &[Article]) {
    let texts: Vec<String> = articles.iter().map(index_text).collect();
    let docs: Vec<(ArticleId, u64, &str)> = articles
        .iter()
        .zip(&texts)
        .map(|(a, t)| (a.id.clone(), doc_hash(a), t.as_str()))
        .collect();
    index.add(&docs).unwrap();
}

/// The titles of the articles the query finds, sorted.
fn found(index: &SearchIndex, articles: &[Article], query: &str) -> Vec<String> {
    let expr = Matcher::new(query).unwrap().fts().unwrap();
    let ids = index.search(&expr).unwrap();
    let mut titles: Vec<String> = ids
        .iter()
        .map(|id| {
            let a = articles.iter().find(|a| &a.id == id).expect("a known id");
            a.title.to_string()
        })
        .collect();
    titles.sort();
    titles
}

fn corpus() -> Vec<Article> {
    vec![
        art("a", "Quebec votes", "Polls closed in Montréal at night."),
        art("b", "Rail news", "The night train to Zürich runs again."),
        art("c", "Harbour", "Trains and ships: a night at the port."),
    ]
}

#[test]
fn finds_words_in_bodies_accent_and_case_insensitive() {
    let index = SearchIndex::in_memory();
    let articles = corpus();
    add_all(&index, &articles);
    assert_eq!(index.len(), 3);
    assert_eq!(found(&index, &articles, "MONTREAL"), ["Quebec votes"]);
    assert_eq!(found(&index, &articles, "zurich "), ["Rail news"]);
    // Every word must be there; the last one is a prefix while typed.
    assert_eq!(
        found(&index, &articles, "night trai"),
        ["Harbour", "Rail news"]
    );
    assert_eq!(found(&index, &articles, "night train "), ["Rail news"]);
    // A phrase keeps its order.
    assert_eq!(found(&index, &articles, "\"night train\""), ["Rail news"]);
    assert!(found(&index, &articles, "\"train night\"").is_empty());
    // Titles and sources are in the text too.
    assert_eq!(found(&index, &articles, "quebec polls"), ["Quebec votes"]);
    assert_eq!(found(&index, &articles, "harbour wire").len(), 3);
}

#[test]
fn only_new_and_changed_articles_are_indexed_again() {
    let index = SearchIndex::in_memory();
    let mut articles = corpus();
    add_all(&index, &articles);
    assert!(index.stale(&articles).is_empty());
    articles[1] = art("b", "Rail news", "The sleeper to Vienna is cancelled.");
    articles.push(art("d", "New", "Fresh words."));
    let stale: Vec<usize> = index.stale(&articles).iter().map(|s| s.0).collect();
    assert_eq!(stale, [1, 3]);
    add_all(&index, &articles[1..]);
    assert_eq!(index.len(), 4);
    // The old text of b is gone from the index, the new one is there.
    assert_eq!(found(&index, &articles, "zurich "), Vec::<String>::new());
    assert_eq!(found(&index, &articles, "vienna "), ["Rail news"]);
    // Articles that left every source are removed.
    let keep: std::collections::HashSet<ArticleId> =
        articles[..2].iter().map(|a| a.id.clone()).collect();
    assert_eq!(index.retain(&keep).unwrap(), 2);
    assert_eq!(index.len(), 2);
    assert!(found(&index, &articles, "fresh ").is_empty());
}

#[test]
fn the_index_persists_and_a_damaged_one_is_rebuilt_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let articles = corpus();
    {
        let (index, warning) = SearchIndex::open(dir.path());
        assert_eq!(warning, None);
        add_all(&index, &articles);
    }
    let (index, warning) = SearchIndex::open(dir.path());
    assert_eq!(warning, None);
    assert_eq!(index.len(), 3, "kept across runs");
    assert_eq!(found(&index, &articles, "montreal "), ["Quebec votes"]);
    drop(index);
    // Garbage where the database was.
    let path = dir.path().join(FILE_NAME);
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.path().join(format!("{FILE_NAME}{ext}")));
    }
    std::fs::write(&path, b"not a database at all, just words ".repeat(200)).unwrap();
    let (index, warning) = SearchIndex::open(dir.path());
    let warning = warning.expect("a warning");
    assert!(warning.contains("search.sqlite"), "{warning}");
    assert!(warning.contains("building it again"), "{warning}");
    assert_eq!(index.len(), 0);
    add_all(&index, &articles);
    assert_eq!(found(&index, &articles, "montreal ").len(), 1);
}

#[test]
fn bodies_on_disk_are_read_back_to_be_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    std::fs::create_dir(&feeds).unwrap();
    std::fs::write(
        feeds.join("a.txt"),
        "Categories: World News / Europe\n\nSleeper trains return\n\nA standfirst.\n\n\
         The carriages were built in Görlitz last winter.\n",
    )
    .unwrap();
    let mut snap = crate::sources::snapshot::Snapshot::open(Some(&dir.path().join("cache")));
    let (articles, _, failure) =
        crate::sources::files::load_path_with(&feeds, Some(&mut snap), &mut |_, _, _| {});
    assert_eq!(failure, None);
    assert_eq!(articles.len(), 1);
    assert!(articles[0].body_unloaded(), "the body is left on disk");
    let index = SearchIndex::in_memory();
    let pending = pending(&index, &articles);
    assert_eq!(pending.len(), 1);
    let mut reports = Vec::new();
    let warnings = index_pending(&index, pending, |n| {
        reports.push(n);
        true
    })
    .unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(reports, [1]);
    assert_eq!(
        found(&index, &articles, "gorlitz "),
        ["Sleeper trains return"]
    );
    assert!(pending_is_empty(&index, &articles));
}

fn pending_is_empty(index: &SearchIndex, articles: &[Article]) -> bool {
    pending(index, articles).is_empty()
}

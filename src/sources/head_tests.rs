use super::*;
use crate::core::category::CategoryTree;
use crate::core::model::{Article, Body, BodyRef, CategoryPath};
use chrono::DateTime;
use std::sync::Arc;

fn article(n: u32, cats: &str, body: Body) -> Article {
    Article {
        id: ArticleId::from_key(&format!("a{n}")),
        title: format!("Title {n} — Zürich 台北").into(),
        source: "Source".into(),
        author: n.is_multiple_of(2).then(|| "Ann Author".into()),
        date: DateTime::from_timestamp(1_700_000_000 - i64::from(n), 123_456_789).unwrap(),
        dated: true,
        link: Some(format!("https://example.com/{n}").into()),
        categories: CategoryPath::parse_list(cats),
        standfirst: Some("A standfirst.".into()),
        body,
        words: 400 + n,
        meta: vec![("X-Thing".into(), "value".into())].into(),
        origin: format!("/tmp/f{n}.xml").into(),
    }
}

fn stored(n: u32) -> Body {
    Body::Stored(Arc::new(BodyRef::File {
        path: format!("/tmp/f{n}.xml").into(),
        key: format!("file:/tmp/f{n}.xml"),
    }))
}

/// Three articles, two categorized; the tree as the library builds it.
fn head() -> Head {
    let articles = vec![
        article(1, "World News / Europe", stored(1)),
        article(2, "Business", stored(2)),
        article(3, "", Body::default()),
    ];
    let (tree, members) = CategoryTree::build_indexed(&articles);
    let nodes = tree.nodes.len();
    let (a1, a2) = (articles[0].id.clone(), articles[1].id.clone());
    Head {
        stories: vec![StoryGroup {
            id: StoryId::of_article(a1.clone()),
            members: vec![(a1, "Source".into()), (a2.clone(), "Other Wire".into())],
            representative: a2,
        }],
        start: Some("world".into()),
        articles,
        members,
        tree,
        rest: RestCounts {
            unread: 90,
            node_unread: (0..nodes).map(|n| 10 + n).collect(),
            uncategorized_unread: 4,
            starred: (7, 2),
            view: (120, 95),
        },
    }
}

#[test]
fn a_head_reads_back_as_written() {
    let h = head();
    let bytes = encode(42, &h);
    assert_eq!(decode(&bytes, 42), Ok(Some(h.clone())));
    let dir = tempfile::tempdir().unwrap();
    save(dir.path(), &bytes).unwrap();
    assert_eq!(read(dir.path(), 42), (Some(h), None));
    // Nothing left beside it but the file itself.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, [FILE_NAME]);
}

#[test]
fn another_key_format_or_version_is_ignored_quietly() {
    let bytes = encode(42, &head());
    assert_eq!(decode(&bytes, 43), Ok(None), "other sources or config");
    let mut other = bytes.clone();
    other[16] ^= 1; // the format number
    assert_eq!(decode(&other, 42), Ok(None));
    let mut other = bytes.clone();
    let v = 16 + 4 + 4; // the first byte of the crate version
    other[v] = b'x';
    assert_eq!(decode(&other, 42), Ok(None));
    let dir = tempfile::tempdir().unwrap();
    save(dir.path(), &bytes).unwrap();
    assert_eq!(read(dir.path(), 7), (None, None));
    assert_eq!(read(&dir.path().join("none"), 42), (None, None), "no file");
}

#[test]
fn a_damaged_head_is_ignored_with_a_warning_and_never_panics() {
    let bytes = encode(42, &head());
    // Every truncation and every flipped byte of the body: an error or another key, never a
    // head and never a panic.
    for len in 0..bytes.len() {
        assert!(
            !matches!(decode(&bytes[..len], 42), Ok(Some(_))),
            "cut at {len}"
        );
    }
    let body = bytes.len() - 200;
    for at in body..bytes.len() {
        let mut b = bytes.clone();
        b[at] ^= 0x55;
        assert!(decode(&b, 42).is_err(), "byte {at} flipped");
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(FILE_NAME), &bytes[..bytes.len() - 3]).unwrap();
    let (h, warning) = read(dir.path(), 42);
    assert_eq!(h, None);
    let warning = warning.unwrap();
    assert!(
        warning.contains("head.bin: the first-screen file is damaged (its length does not match)"),
        "{warning}"
    );
    std::fs::write(dir.path().join(FILE_NAME), b"not a head at all").unwrap();
    assert!(
        read(dir.path(), 42)
            .1
            .unwrap()
            .contains("not a tidings head")
    );
}

#[test]
fn a_head_whose_parts_do_not_fit_is_damaged() {
    // A well-checksummed file whose tree loops, or whose articles name nodes it lacks.
    let mut h = head();
    h.tree.nodes[0].parent = Some(1);
    assert_eq!(
        decode(&encode(1, &h), 1),
        Err("its category tree does not hold together".into())
    );
    let mut h = head();
    h.members[0] = vec![99];
    assert_eq!(
        decode(&encode(1, &h), 1),
        Err("an article's categories are not in the tree".into())
    );
}

#[test]
fn the_key_follows_the_sources_and_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[[sources]]\npath = \"a\"\n").unwrap();
    let labels = ["/news".to_string()];
    let k = key(&labels, Some(&config));
    assert_eq!(k, key(&labels, Some(&config)));
    assert_ne!(k, key(&["/other".to_string()], Some(&config)));
    assert_ne!(k, key(&labels, None));
    std::fs::write(&config, "[[sources]]\npath = \"b\"\n").unwrap();
    assert_ne!(k, key(&labels, Some(&config)));
}

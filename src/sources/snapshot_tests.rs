use super::*;
use crate::core::model::{Article, ArticleId, BodyRef, CategoryPath};

fn article(n: u32) -> Article {
    Article {
        id: ArticleId::from_key(&format!("a{n}")),
        title: format!("Title {n} — Zürich 台北").into(),
        source: "Source".into(),
        author: n.is_multiple_of(2).then(|| "Ann Author".into()),
        date: DateTime::from_timestamp(1_700_000_000 + i64::from(n), 123_456_789).unwrap(),
        dated: !n.is_multiple_of(3),
        link: Some(format!("https://example.com/{n}").into()),
        categories: vec![
            CategoryPath::parse("World News / Europe").unwrap(),
            CategoryPath::parse("Tech").unwrap(),
        ],
        standfirst: Some("A standfirst.".into()),
        body: crate::core::model::Body::Stored(std::sync::Arc::new(BodyRef::File {
            path: "/tmp/f.xml".into(),
            key: "file:/tmp/f.xml".into(),
        })),
        words: 400 + n,
        meta: vec![("X-Thing".into(), "value".into())].into(),
        origin: "/tmp/f.xml".into(),
    }
}

fn stamp(size: u64) -> Stamp {
    Stamp {
        size,
        mtime_secs: 1_600_000_000,
        mtime_nanos: 5,
        inode: 77,
    }
}

fn ok(n: u32) -> FileResult {
    Ok((
        (0..n).map(article).collect(),
        vec![Warning::new("/tmp/f.xml", "decoded as Windows-1252")],
    ))
}

/// Saves a snapshot holding `entries` (key, root, result) under `dir`.
fn save(dir: &Path, entries: &[(&str, &str, FileResult)]) {
    let mut s = Snapshot::open(Some(dir));
    for (key, root, result) in entries {
        s.begin_root(root);
        s.record(key, root, "ctx", stamp(10), result);
    }
    s.save().unwrap();
}

fn get(s: &Snapshot, key: &str) -> Option<FileResult> {
    s.lookup(key, "ctx", stamp(10)).and_then(|r| s.decode(r))
}

#[test]
fn round_trip_keeps_every_header_field_and_the_body_reference() {
    let dir = tempfile::tempdir().unwrap();
    let skipped: FileResult = Err(Warning::new("/tmp/empty.txt", "empty file"));
    save(
        dir.path(),
        &[("k1", "r", ok(5)), ("k2", "r", skipped.clone())],
    );
    let s = Snapshot::open(Some(dir.path()));
    assert_eq!(s.len(), 2);
    assert_eq!(get(&s, "k1"), Some(ok(5)));
    assert_eq!(get(&s, "k2"), Some(skipped));
}

#[test]
fn a_changed_stamp_or_context_misses() {
    let dir = tempfile::tempdir().unwrap();
    save(dir.path(), &[("k1", "r", ok(2))]);
    let s = Snapshot::open(Some(dir.path()));
    assert!(s.lookup("k1", "ctx", stamp(10)).is_some());
    assert!(s.lookup("k1", "ctx", stamp(11)).is_none());
    let mut newer = stamp(10);
    newer.mtime_nanos += 1;
    assert!(s.lookup("k1", "ctx", newer).is_none());
    let mut moved = stamp(10);
    moved.inode += 1;
    assert!(s.lookup("k1", "ctx", moved).is_none());
    assert!(s.lookup("k1", "other folder", stamp(10)).is_none());
    assert!(s.lookup("k9", "ctx", stamp(10)).is_none());
}

/// Where the payloads start in a snapshot file.
fn payload_base(bytes: &[u8]) -> usize {
    let head = MAGIC.len() + 4 + 4 + VERSION.len();
    let index_len = u64::from_le_bytes(bytes[head..head + 8].try_into().unwrap()) as usize;
    head + 16 + index_len
}

#[test]
fn a_damaged_snapshot_is_ignored_with_a_warning_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    save(dir.path(), &[("k1", "r", ok(3))]);
    let path = dir.path().join(FILE_NAME);
    let good = std::fs::read(&path).unwrap();
    let mut damaged_index = good.clone();
    let at = payload_base(&good) - 5;
    damaged_index[at] ^= 0x40;
    for bytes in [
        damaged_index,
        good[..payload_base(&good) - 1].to_vec(),
        good[..payload_base(&good) + 10].to_vec(),
        b"garbage".to_vec(),
        Vec::new(),
    ] {
        std::fs::write(&path, &bytes).unwrap();
        let mut s = Snapshot::open(Some(dir.path()));
        assert!(s.is_empty());
        let w = s.take_warning().expect("a warning");
        assert!(w.contains("snapshot.bin") && w.contains("rebuilt"), "{w}");
        s.begin_root("r");
        s.record("k1", "r", "ctx", stamp(10), &ok(1));
        s.save().unwrap();
        let s = Snapshot::open(Some(dir.path()));
        assert_eq!(get(&s, "k1"), Some(ok(1)));
    }
}

#[test]
fn a_damaged_payload_is_a_miss_and_the_others_still_read() {
    let dir = tempfile::tempdir().unwrap();
    save(dir.path(), &[("k1", "r", ok(3)), ("k2", "r", ok(4))]);
    let path = dir.path().join(FILE_NAME);
    let mut bytes = std::fs::read(&path).unwrap();
    // Payloads follow the index in the order of the entries; damage the last byte of the file.
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    std::fs::write(&path, &bytes).unwrap();
    let s = Snapshot::open(Some(dir.path()));
    assert_eq!(s.len(), 2);
    let results = [get(&s, "k1"), get(&s, "k2")];
    assert_eq!(
        results.iter().filter(|r| r.is_none()).count(),
        1,
        "{results:?}"
    );
    assert!(results.contains(&Some(ok(3))) || results.contains(&Some(ok(4))));
}

#[test]
fn another_format_is_replaced_quietly() {
    let dir = tempfile::tempdir().unwrap();
    save(dir.path(), &[("k1", "r", ok(1))]);
    let path = dir.path().join(FILE_NAME);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[16..20].copy_from_slice(&(FORMAT + 1).to_le_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let mut s = Snapshot::open(Some(dir.path()));
    assert!(s.is_empty());
    assert_eq!(s.take_warning(), None);
    s.save().unwrap();
    assert_ne!(
        std::fs::read(&path).unwrap(),
        bytes,
        "rewritten in this format"
    );
}

#[test]
fn a_payload_that_does_not_decode_is_a_miss_not_a_panic() {
    for bytes in [
        vec![0, 255, 255, 255, 255],
        vec![7],
        Vec::new(),
        vec![0, 0, 0, 0, 0, 9],
    ] {
        assert!(decode_result(&bytes).is_err(), "{bytes:?}");
    }
}

#[test]
fn recently_modified_files_are_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Snapshot::open(Some(dir.path()));
    let mut fresh = stamp(10);
    fresh.mtime_secs = chrono::Utc::now().timestamp();
    s.begin_root("r");
    s.record("k1", "r", "ctx", fresh, &ok(1));
    s.record("k2", "r", "ctx", stamp(10), &ok(1));
    s.save().unwrap();
    let s = Snapshot::open(Some(dir.path()));
    assert!(s.lookup("k1", "ctx", fresh).is_none());
    assert!(get(&s, "k2").is_some());
}

#[test]
fn other_roots_are_carried_over_and_vanished_files_dropped() {
    let dir = tempfile::tempdir().unwrap();
    save(
        dir.path(),
        &[("a1", "A", ok(1)), ("a2", "A", ok(1)), ("b1", "B", ok(2))],
    );
    // A run that loads root A and sees only a1 (a2 was deleted); B is not loaded.
    let mut s = Snapshot::open(Some(dir.path()));
    s.begin_root("A");
    assert!(s.lookup("a1", "ctx", stamp(10)).is_some());
    s.keep("a1", "A");
    s.save().unwrap();
    let s = Snapshot::open(Some(dir.path()));
    assert!(get(&s, "a1").is_some());
    assert!(get(&s, "a2").is_none());
    assert_eq!(get(&s, "b1"), Some(ok(2)));
    assert_eq!(s.len(), 2);
}

#[test]
fn the_index_counts_each_roots_articles_through_keeps_and_saves() {
    let dir = tempfile::tempdir().unwrap();
    save(
        dir.path(),
        &[("a1", "A", ok(3)), ("a2", "A", ok(4)), ("b1", "B", ok(2))],
    );
    let mut s = Snapshot::open(Some(dir.path()));
    assert_eq!(
        (s.articles_in("A"), s.articles_in("B"), s.articles_in("C")),
        (7, 2, 0)
    );
    // a1 kept under its root, a2 seen under another root, b1 not loaded: all carried over,
    // a2 moved to C, counts unchanged.
    s.begin_root("A");
    s.begin_root("C");
    s.keep("a1", "A");
    s.keep("a2", "C");
    s.save().unwrap();
    let s = Snapshot::open(Some(dir.path()));
    assert_eq!(
        (s.articles_in("A"), s.articles_in("B"), s.articles_in("C")),
        (3, 2, 4)
    );
    assert_eq!(get(&s, "a1"), Some(ok(3)));
    assert_eq!(get(&s, "a2"), Some(ok(4)));
    assert_eq!(s.len(), 3);
}

#[test]
fn an_unchanged_run_does_not_rewrite_the_file() {
    let dir = tempfile::tempdir().unwrap();
    save(dir.path(), &[("a1", "A", ok(1))]);
    let path = dir.path().join(FILE_NAME);
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut s = Snapshot::open(Some(dir.path()));
    s.begin_root("A");
    s.keep("a1", "A");
    s.save().unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        before
    );
}

#[test]
fn without_a_cache_folder_nothing_is_written() {
    let mut s = Snapshot::open(None);
    s.begin_root("A");
    s.record("a1", "A", "ctx", stamp(10), &ok(1));
    assert!(s.save().is_ok());
}

#[test]
fn the_hash_sees_single_bit_changes_and_lengths() {
    let data: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
    let h = hash(&data);
    for i in [0, 31, 32, 500, 999] {
        let mut d = data.clone();
        d[i] ^= 1;
        assert_ne!(hash(&d), h, "bit at {i}");
    }
    assert_ne!(hash(&data[..999]), h);
    assert_ne!(hash(&[]), hash(&[0]));
}

/// A payload big enough for several blocks, beyond the first read.
fn big() -> FileResult {
    // An article encodes to about 250 bytes.
    let n = (3 * BLOCK_BYTES / 200) as u32;
    ok(n)
}

#[test]
fn a_big_file_is_stored_in_blocks_and_read_back_whole_in_order() {
    let result = big();
    let mut payload = Vec::new();
    encode_result(&mut payload, &result);
    assert!(payload.len() > 3 * BLOCK_BYTES, "{}", payload.len());
    // The head's block table: after the 12-byte frame, the tag, origin, body reference, the
    // article count, the warnings, then the number of blocks.
    let blocks = {
        let head_len = u32::from_le_bytes(payload[0..4].try_into().unwrap()) as usize;
        let mut r = Reader {
            bytes: &payload[12..12 + head_len],
            at: 0,
        };
        assert_eq!(r.u8().unwrap(), 0, "articles");
        r.str().unwrap();
        assert_eq!(r.u8().unwrap(), 1, "a shared body reference");
        r.body_ref().unwrap();
        assert_eq!(r.u32().unwrap() as usize, result.as_ref().unwrap().0.len());
        for _ in 0..r.u32().unwrap() {
            r.warning().unwrap();
        }
        r.u32().unwrap()
    };
    assert!((3..=5).contains(&blocks), "{blocks} blocks");
    assert_eq!(decode_result(&payload).ok(), Some(result.clone()));
    let dir = tempfile::tempdir().unwrap();
    save(
        dir.path(),
        &[("k1", "r", ok(2)), ("big", "r", result.clone())],
    );
    let s = Snapshot::open(Some(dir.path()));
    assert_eq!(get(&s, "big"), Some(result));
    assert_eq!(get(&s, "k1"), Some(ok(2)));
}

#[test]
fn a_damaged_block_in_the_middle_is_a_miss() {
    let mut payload = Vec::new();
    encode_result(&mut payload, &big());
    for at in [payload.len() / 2, 20, payload.len() - 1] {
        let mut damaged = payload.clone();
        damaged[at] ^= 0x10;
        assert!(decode_result(&damaged).is_err(), "byte {at} changed");
    }
    // Cut short, or with bytes after the last block.
    assert!(decode_result(&payload[..payload.len() - 1]).is_err());
    let mut longer = payload.clone();
    longer.push(0);
    assert!(decode_result(&longer).is_err());
}

#[test]
fn new_payloads_wait_for_the_save_in_a_spill_file_not_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Snapshot::open(Some(dir.path()));
    s.begin_root("r");
    s.record("k1", "r", "ctx", stamp(10), &ok(3));
    s.record("k2", "r", "ctx", stamp(10), &big());
    assert!(
        s.new
            .values()
            .all(|e| matches!(e.payload, Payload::Spilled(_))),
        "every payload spilled"
    );
    // Nothing but the snapshot is left in the folder (the spill file has no name).
    s.save().unwrap();
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [FILE_NAME]);
    let s = Snapshot::open(Some(dir.path()));
    assert_eq!(get(&s, "k1"), Some(ok(3)));
    assert_eq!(get(&s, "k2"), Some(big()));
}

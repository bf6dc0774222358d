//! The first screen of the next start (issue 15): `head.bin` in the cache folder, next to
//! `snapshot.bin`, holds a [`Head`] (the newest headlines of the start view, headers only, and
//! the category tree with its counts), so a warm start draws its first headlines from a file of
//! a few hundred kilobytes instead of decoding the whole snapshot first.
//!
//! ```text
//! "tidings-head\0\0\0\0" u32:FORMAT str:crate-version u64:key u64:body-length u64:body-hash body
//! body  = opt:start tree rest u32:count { str:story str:representative
//!         u32:n { str:version str:source } } u32:count { article u32:n { u32:node } }
//! tree  = u32:nodes { str:name u32:depth u32:parent+1 u32:count u32:n { u32:child } }
//!         u32:n { u32:root } u64:total u64:uncategorized
//! rest  = u64:unread u64:uncategorized-unread u64:starred u64:starred-unread u64:view-rows
//!         u64:view-unread { u64:node-unread }
//! ```
//!
//! An article is encoded as in the snapshot (each with its own origin and body reference).
//! `key` says which sources and config the head was made with ([`key`]): a head of another
//! run's sources, format or version is ignored quietly; a damaged one (wrong length or hash,
//! or parts that do not fit together) with a warning. Either way the start goes on as without
//! one, and the next save replaces it. Written like the snapshot: a temporary file, synced,
//! renamed over the old one. Losing it costs nothing but the head start.

use super::snapshot::{
    Decoded, PerFile, Reader, decode_article, encode_article, hash, put_opt, put_str, put_u32,
    put_u64,
};
use crate::core::category::{CategoryNode, CategoryTree};
use crate::core::model::ArticleId;
use crate::core::sanitize::sanitize_line;
use crate::core::state::{Head, RestCounts, StoryGroup, tree_is_sound};
use crate::core::story::StoryId;
use std::io::{self, Write};
use std::path::Path;

const MAGIC: &[u8; 16] = b"tidings-head\0\0\0\0";
/// Bumped whenever the layout or what it means changes.
pub const FORMAT: u32 = 1;
const VERSION: &str = env!("CARGO_PKG_VERSION");
pub const FILE_NAME: &str = "head.bin";

/// What a head is valid for: the sources (by label, in order) and the config file's bytes (its
/// names, categories, filters and aliases shape what is shown).
pub fn key(labels: &[String], config_file: Option<&Path>) -> u64 {
    let mut bytes = Vec::new();
    for l in labels {
        put_str(&mut bytes, l);
    }
    match config_file.and_then(|p| std::fs::read(p).ok()) {
        Some(c) => {
            bytes.push(1);
            bytes.extend_from_slice(&c);
        }
        None => bytes.push(0),
    }
    hash(&bytes)
}

/// The file's bytes for `head`, made with `key`.
pub fn encode(key: u64, head: &Head) -> Vec<u8> {
    let mut body = Vec::with_capacity(64 * 1024);
    put_opt(&mut body, head.start.as_deref());
    let tree = &head.tree;
    put_u32(&mut body, tree.nodes.len() as u32);
    for n in &tree.nodes {
        put_str(&mut body, &n.name);
        put_u32(&mut body, n.depth as u32);
        put_u32(&mut body, n.parent.map_or(0, |p| p as u32 + 1));
        put_u32(&mut body, n.count as u32);
        put_u32(&mut body, n.children.len() as u32);
        for &c in &n.children {
            put_u32(&mut body, c as u32);
        }
    }
    put_u32(&mut body, tree.roots.len() as u32);
    for &r in &tree.roots {
        put_u32(&mut body, r as u32);
    }
    put_u64(&mut body, tree.total as u64);
    put_u64(&mut body, tree.uncategorized as u64);
    let rest = &head.rest;
    for v in [
        rest.unread,
        rest.uncategorized_unread,
        rest.starred.0,
        rest.starred.1,
        rest.view.0,
        rest.view.1,
    ] {
        put_u64(&mut body, v as u64);
    }
    for &v in &rest.node_unread {
        put_u64(&mut body, v as u64);
    }
    put_u32(&mut body, head.stories.len() as u32);
    for g in &head.stories {
        put_str(&mut body, g.id.as_str());
        put_str(&mut body, g.representative.as_str());
        put_u32(&mut body, g.members.len() as u32);
        for (m, source) in &g.members {
            put_str(&mut body, m.as_str());
            put_str(&mut body, source);
        }
    }
    put_u32(&mut body, head.articles.len() as u32);
    for (a, members) in head.articles.iter().zip(&head.members) {
        encode_article(&mut body, a, "", None);
        put_u32(&mut body, members.len() as u32);
        for &m in members {
            put_u32(&mut body, m);
        }
    }
    let mut out = Vec::with_capacity(body.len() + 64);
    out.extend_from_slice(MAGIC);
    put_u32(&mut out, FORMAT);
    put_str(&mut out, VERSION);
    put_u64(&mut out, key);
    put_u64(&mut out, body.len() as u64);
    put_u64(&mut out, hash(&body));
    out.extend_from_slice(&body);
    out
}

/// The head in `bytes`: `Ok(None)` when it is of another format, version or key (not for this
/// run); `Err` when it is damaged.
pub fn decode(bytes: &[u8], key: u64) -> Result<Option<Head>, String> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(MAGIC.len()).ok() != Some(MAGIC.as_slice()) {
        return Err("not a tidings head".into());
    }
    if r.u32()? != FORMAT || r.str().ok() != Some(VERSION) || r.u64()? != key {
        return Ok(None);
    }
    let len = r.u64()?;
    let want = r.u64()?;
    if len != (bytes.len() - r.at) as u64 {
        return Err("its length does not match".into());
    }
    let body = &bytes[r.at..];
    if hash(body) != want {
        return Err("its checksum does not match".into());
    }
    let head = decode_body(&mut Reader { bytes: body, at: 0 })?;
    Ok(Some(head))
}

fn decode_body(r: &mut Reader<'_>) -> Decoded<Head> {
    let start = r.opt()?;
    let n = r.count(20)?;
    let mut nodes = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.string()?;
        let depth = r.u32()? as usize;
        let parent = r.u32()?.checked_sub(1).map(|p| p as usize);
        let count = r.u32()? as usize;
        let k = r.count(4)?;
        let children = (0..k)
            .map(|_| r.u32().map(|c| c as usize))
            .collect::<Decoded<_>>()?;
        nodes.push(CategoryNode {
            name,
            depth,
            parent,
            children,
            count,
        });
    }
    let k = r.count(4)?;
    let roots = (0..k)
        .map(|_| r.u32().map(|c| c as usize))
        .collect::<Decoded<_>>()?;
    let tree = CategoryTree {
        nodes,
        roots,
        total: r.u64()? as usize,
        uncategorized: r.u64()? as usize,
    };
    if !tree_is_sound(&tree) {
        return Err("its category tree does not hold together".into());
    }
    let mut rest = RestCounts {
        unread: r.u64()? as usize,
        uncategorized_unread: r.u64()? as usize,
        ..Default::default()
    };
    rest.starred = (r.u64()? as usize, r.u64()? as usize);
    rest.view = (r.u64()? as usize, r.u64()? as usize);
    rest.node_unread = (0..tree.nodes.len())
        .map(|_| r.u64().map(|v| v as usize))
        .collect::<Decoded<_>>()?;
    let n = r.count(12)?;
    let mut stories = Vec::with_capacity(n);
    let id = |s: &str| ArticleId::parse(s).ok_or_else(|| "bad id".to_string());
    for _ in 0..n {
        let story = StoryId::of_article(id(r.str()?)?);
        let representative = id(r.str()?)?;
        let k = r.count(8)?;
        let mut versions = Vec::with_capacity(k);
        for _ in 0..k {
            versions.push((id(r.str()?)?, sanitize_line(r.str()?).into()));
        }
        stories.push(StoryGroup {
            id: story,
            members: versions,
            representative,
        });
    }
    let n = r.count(40)?;
    let (mut articles, mut members) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let mut shared = PerFile::none();
    for _ in 0..n {
        articles.push(decode_article(r, &mut shared)?);
        let k = r.count(4)?;
        let m: Vec<u32> = (0..k).map(|_| r.u32()).collect::<Decoded<_>>()?;
        if m.iter().any(|&x| x as usize >= tree.nodes.len()) || !m.is_sorted() {
            return Err("an article's categories are not in the tree".into());
        }
        members.push(m);
    }
    if r.at != r.bytes.len() {
        return Err("trailing bytes".into());
    }
    Ok(Head {
        start,
        articles,
        members,
        tree,
        rest,
        stories,
    })
}

/// The head in the cache folder for this run (`key`), if there is a usable one, and a warning
/// when one is there but damaged.
pub fn read(cache_dir: &Path, key: u64) -> (Option<Head>, Option<String>) {
    let path = cache_dir.join(FILE_NAME);
    match std::fs::read(&path) {
        Ok(bytes) => match decode(&bytes, key) {
            Ok(head) => (head, None),
            Err(why) => (
                None,
                Some(format!(
                    "{}: the first-screen file is damaged ({why}); it will be rebuilt",
                    path.display()
                )),
            ),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => (None, None),
        Err(e) => (None, Some(format!("{}: cannot read: {e}", path.display()))),
    }
}

/// Saves encoded head bytes in the cache folder, atomically.
pub fn save(cache_dir: &Path, bytes: &[u8]) -> io::Result<()> {
    std::fs::create_dir_all(cache_dir)?;
    super::atomic::write_atomic_with(&cache_dir.join(FILE_NAME), |out| out.write_all(bytes))
}

#[cfg(test)]
#[path = "head_tests.rs"]
mod tests;

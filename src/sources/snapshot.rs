//! The warm-start snapshot: what each local file gave the last time it was read (the articles'
//! headers, warnings, or why it was skipped), keyed by the file and its size, modification time
//! and inode. A file whose stamp has not changed is taken from here instead of being read and
//! parsed again; bodies are not kept (they are read again from the file when an article is
//! opened), which keeps the snapshot small and the warm start's memory low.
//!
//! The file, `snapshot.bin` in the cache folder, is one binary blob:
//!
//! ```text
//! "tidings-snapshot" u32:FORMAT str:crate-version u64:body-length u64:body-hash body
//! body = u32:count { str:key str:root str:context u64:size i64:mtime-secs u32:mtime-nanos
//!                    u64:inode i64:last-used u32:payload-length payload }
//! ```
//!
//! Strings are a `u32` length and UTF-8 bytes, integers little-endian. A payload holds one file's
//! result (see [`encode_result`]) and is decoded only when its stamp still matches, so entries
//! carried over unchanged are copied as bytes. Safety: the file is written whole to a temporary
//! file and renamed over the old one; a snapshot from another format or version, with a wrong
//! length or hash, or that fails to decode, is ignored (and replaced at the next save) — losing it
//! costs one cold load, never data.

use super::Warning;
use crate::core::model::{Article, ArticleId, BodyRef, CategoryPath};
use chrono::DateTime;
use std::collections::HashSet;

type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const MAGIC: &[u8; 16] = b"tidings-snapshot";
/// Bumped whenever the layout or what a payload means changes.
pub const FORMAT: u32 = 2;
/// Parsers change between versions: a snapshot written by another version is not trusted.
const VERSION: &str = env!("CARGO_PKG_VERSION");
/// Entries not used for this long are dropped at the next save.
const MAX_IDLE_SECS: i64 = 60 * 24 * 3600;
/// A file modified this recently is not stored: a second change within the file system's
/// timestamp granularity could keep the same stamp ("racy" entries, as git calls them).
const RACY_SECS: i64 = 2;
pub const FILE_NAME: &str = "snapshot.bin";

/// What one file gave: articles (bodies not loaded) and warnings, or the warning it was
/// skipped with.
pub type FileResult = Result<(Vec<Article>, Vec<Warning>), Warning>;

/// Identifies one version of a file's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    pub mtime_secs: i64,
    pub mtime_nanos: u32,
    pub inode: u64,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        let mtime = meta.modified().ok()?;
        let (secs, nanos) = match mtime.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => (i64::try_from(d.as_secs()).ok()?, d.subsec_nanos()),
            Err(_) => return None,
        };
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            size: meta.len(),
            mtime_secs: secs,
            mtime_nanos: nanos,
            inode,
        })
    }
}

/// One entry of the snapshot file, its payload still encoded.
#[derive(Debug, Clone)]
struct OldEntry {
    root: String,
    context: String,
    stamp: Stamp,
    last_used: i64,
    payload: Range<usize>,
}

/// An entry of the next snapshot.
struct NewEntry {
    root: String,
    context: String,
    stamp: Stamp,
    payload: Payload,
}

enum Payload {
    /// Unchanged: these bytes of the old snapshot.
    Old(Range<usize>),
    New(Vec<u8>),
}

/// The snapshot read at start-up and the one being built for the next save.
pub struct Snapshot {
    /// Where it is saved; `None`: nothing is read or written.
    path: Option<PathBuf>,
    bytes: Vec<u8>,
    old: HashMap<String, OldEntry>,
    new: HashMap<String, NewEntry>,
    /// The source roots loaded this run: their old entries not seen again are gone.
    roots: HashSet<String>,
    /// Why the old snapshot was not used, when that is worth telling.
    warning: Option<String>,
    /// Something differs from the file on disk.
    changed: bool,
    now: i64,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("path", &self.path)
            .field("entries", &self.old.len())
            .finish_non_exhaustive()
    }
}

/// A 64-bit hash of the body, to notice a torn or damaged file (not an adversary: anyone who
/// can write the cache folder can write anything there).
fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut lanes = [
        0x243f_6a88_85a3_08d3_u64,
        0x1319_8a2e_0370_7344,
        0xa409_3822_299f_31d0,
        0x082e_fa98_ec4e_6c89,
    ];
    let mut chunks = bytes.chunks_exact(32);
    for c in &mut chunks {
        for (i, lane) in lanes.iter_mut().enumerate() {
            let w = u64::from_le_bytes(c[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
            *lane = (*lane ^ w).wrapping_mul(K).rotate_left(29);
        }
    }
    let mut h = bytes.len() as u64;
    for lane in lanes {
        h = (h ^ lane).wrapping_mul(K).rotate_left(31);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(K);
    }
    h ^ (h >> 29)
}

impl Snapshot {
    /// A snapshot that is neither read nor saved (no cache folder).
    pub fn none() -> Snapshot {
        Snapshot {
            path: None,
            bytes: Vec::new(),
            old: HashMap::default(),
            new: HashMap::default(),
            roots: HashSet::new(),
            warning: None,
            changed: false,
            now: chrono::Utc::now().timestamp(),
        }
    }

    /// Reads `snapshot.bin` from the cache folder. A missing, old or damaged one gives an empty
    /// snapshot (a damaged one with a [`Snapshot::warning`]).
    pub fn open(cache_dir: Option<&Path>) -> Snapshot {
        let mut s = Snapshot::none();
        let Some(dir) = cache_dir else {
            return s;
        };
        let path = dir.join(FILE_NAME);
        match std::fs::read(&path) {
            Ok(bytes) => match parse_index(&bytes) {
                Ok(Some(old)) => {
                    s.old = old;
                    s.bytes = bytes;
                }
                // Another format or version: replaced quietly.
                Ok(None) => s.changed = true,
                Err(why) => {
                    s.changed = true;
                    s.warning = Some(format!(
                        "{}: the start-up snapshot is damaged ({why}); it will be rebuilt",
                        path.display()
                    ));
                }
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                s.warning = Some(format!("{}: cannot read: {e}", path.display()));
            }
        }
        s.path = Some(path);
        s
    }

    /// Takes the warning about an unusable snapshot, if there is one.
    pub fn take_warning(&mut self) -> Option<String> {
        self.warning.take()
    }

    /// Entries in the old snapshot.
    pub fn len(&self) -> usize {
        self.old.len()
    }

    pub fn is_empty(&self) -> bool {
        self.old.is_empty()
    }

    /// Marks `root` as loaded this run (its entries not seen again are dropped at save).
    pub fn begin_root(&mut self, root: &str) {
        self.roots.insert(root.to_string());
    }

    /// The stored result for `key`, when its context and stamp match.
    pub fn lookup(&self, key: &str, context: &str, stamp: Stamp) -> Option<Range<usize>> {
        self.old
            .get(key)
            .filter(|e| e.context == context && e.stamp == stamp)
            .map(|e| e.payload.clone())
    }

    /// Decodes a payload found by [`Snapshot::lookup`]; `None` if it does not decode.
    pub fn decode(&self, payload: Range<usize>) -> Option<FileResult> {
        let mut r = Reader {
            bytes: self.bytes.get(payload)?,
            at: 0,
        };
        let result = decode_result(&mut r).ok()?;
        (r.at == r.bytes.len()).then_some(result)
    }

    /// Keeps an old entry, unchanged, for the next save.
    pub fn keep(&mut self, key: &str, root: &str) {
        if let Some(e) = self.old.get(key) {
            self.changed |= e.last_used < self.now - 24 * 3600;
            let entry = NewEntry {
                root: root.to_string(),
                context: e.context.clone(),
                stamp: e.stamp,
                payload: Payload::Old(e.payload.clone()),
            };
            self.new.insert(key.to_string(), entry);
        }
    }

    /// Records what a file gave this run. Recently modified files are left out (see
    /// [`RACY_SECS`]).
    pub fn record(
        &mut self,
        key: &str,
        root: &str,
        context: &str,
        stamp: Stamp,
        result: &FileResult,
    ) {
        self.changed = true;
        if stamp.mtime_secs >= self.now - RACY_SECS {
            return;
        }
        let mut payload = Vec::new();
        encode_result(&mut payload, result);
        let entry = NewEntry {
            root: root.to_string(),
            context: context.to_string(),
            stamp,
            payload: Payload::New(payload),
        };
        self.new.insert(key.to_string(), entry);
    }

    /// Writes the next snapshot (this run's entries, and the old entries of roots not loaded
    /// this run that were used recently) when anything changed.
    pub fn save(mut self) -> io::Result<()> {
        let Some(path) = self.path.take() else {
            return Ok(());
        };
        let dropped = self.old.iter().any(|(k, e)| {
            !self.new.contains_key(k)
                && (self.roots.contains(&e.root) || e.last_used < self.now - MAX_IDLE_SECS)
        });
        if !self.changed && !dropped {
            return Ok(());
        }
        let mut body = Vec::with_capacity(self.bytes.len() + 1024);
        let carried: Vec<(&String, &OldEntry)> = self
            .old
            .iter()
            .filter(|(k, e)| {
                !self.new.contains_key(*k)
                    && !self.roots.contains(&e.root)
                    && e.last_used >= self.now - MAX_IDLE_SECS
            })
            .collect();
        put_u32(&mut body, (self.new.len() + carried.len()) as u32);
        for (key, e) in &self.new {
            let payload = match &e.payload {
                Payload::Old(r) => &self.bytes[r.clone()],
                Payload::New(v) => v.as_slice(),
            };
            put_entry(
                &mut body, key, &e.root, &e.context, e.stamp, self.now, payload,
            );
        }
        for (key, e) in carried {
            let payload = &self.bytes[e.payload.clone()];
            put_entry(
                &mut body,
                key,
                &e.root,
                &e.context,
                e.stamp,
                e.last_used,
                payload,
            );
        }
        let mut out = Vec::with_capacity(body.len() + 64);
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, FORMAT);
        put_str(&mut out, VERSION);
        put_u64(&mut out, body.len() as u64);
        put_u64(&mut out, hash(&body));
        out.extend_from_slice(&body);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        super::cache::write_atomic(&path, &out)
    }
}

fn put_entry(
    out: &mut Vec<u8>,
    key: &str,
    root: &str,
    context: &str,
    stamp: Stamp,
    last_used: i64,
    payload: &[u8],
) {
    put_str(out, key);
    put_str(out, root);
    put_str(out, context);
    put_u64(out, stamp.size);
    put_u64(out, stamp.mtime_secs as u64);
    put_u32(out, stamp.mtime_nanos);
    put_u64(out, stamp.inode);
    put_u64(out, last_used as u64);
    put_u32(out, payload.len() as u32);
    out.extend_from_slice(payload);
}

/// Reads the entry index of a snapshot file. `Ok(None)`: another format or version.
fn parse_index(bytes: &[u8]) -> Result<Option<HashMap<String, OldEntry>>, String> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(MAGIC.len()).ok() != Some(MAGIC.as_slice()) {
        return Err("not a tidings snapshot".into());
    }
    if r.u32()? != FORMAT || r.str()? != VERSION {
        return Ok(None);
    }
    let len = r.u64()?;
    let want = r.u64()?;
    if len != (bytes.len() - r.at) as u64 {
        return Err(format!("{} bytes of {len} expected", bytes.len() - r.at));
    }
    if hash(&bytes[r.at..]) != want {
        return Err("its checksum does not match".into());
    }
    let count = r.u32()? as usize;
    let mut map = HashMap::with_capacity_and_hasher(count.min(1 << 20), Default::default());
    for _ in 0..count {
        let key = r.str()?.to_string();
        let root = r.str()?.to_string();
        let context = r.str()?.to_string();
        let stamp = Stamp {
            size: r.u64()?,
            mtime_secs: r.u64()? as i64,
            mtime_nanos: r.u32()?,
            inode: r.u64()?,
        };
        let last_used = r.u64()? as i64;
        let n = r.u32()? as usize;
        let start = r.at;
        r.take(n)?;
        map.insert(
            key,
            OldEntry {
                root,
                context,
                stamp,
                last_used,
                payload: start..start + n,
            },
        );
    }
    if r.at != bytes.len() {
        return Err("trailing bytes".into());
    }
    Ok(Some(map))
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

fn put_opt(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            out.push(1);
            put_str(out, s);
        }
        None => out.push(0),
    }
}

fn put_warning(out: &mut Vec<u8>, w: &Warning) {
    put_str(out, &w.origin);
    put_str(out, &w.message);
}

fn put_body_ref(out: &mut Vec<u8>, at: &BodyRef) {
    let BodyRef::File { path, key } = at;
    put_str(out, &path.to_string_lossy());
    put_str(out, key);
}

/// Encodes one file's result: a tag, then the articles' headers (and where each body is) and
/// the warnings, or the warning it was skipped with. The origin and body reference the file's
/// articles share are written once.
pub fn encode_result(out: &mut Vec<u8>, result: &FileResult) {
    match result {
        Ok((articles, warnings)) => {
            out.push(0);
            let origin = articles.first().map_or("", |a| a.origin.as_str());
            let shared = articles.iter().find_map(|a| a.stored.as_deref());
            put_str(out, origin);
            match shared {
                Some(at) => {
                    out.push(1);
                    put_body_ref(out, at);
                }
                None => out.push(0),
            }
            put_u32(out, articles.len() as u32);
            for a in articles {
                encode_article(out, a, origin, shared);
            }
            put_u32(out, warnings.len() as u32);
            for w in warnings {
                put_warning(out, w);
            }
        }
        Err(w) => {
            out.push(1);
            put_warning(out, w);
        }
    }
}

fn encode_article(out: &mut Vec<u8>, a: &Article, origin: &str, shared: Option<&BodyRef>) {
    put_str(out, a.id.as_str());
    put_str(out, &a.title);
    put_str(out, &a.source);
    put_opt(out, a.author.as_deref());
    put_u64(out, a.date.timestamp() as u64);
    put_u32(out, a.date.timestamp_subsec_nanos());
    out.push(u8::from(a.dated));
    put_opt(out, a.link.as_deref());
    put_u32(out, a.categories.len() as u32);
    for c in &a.categories {
        put_u32(out, c.levels().len() as u32);
        for l in c.levels() {
            put_str(out, l);
        }
    }
    put_opt(out, a.standfirst.as_deref());
    put_u64(out, a.words as u64);
    put_u32(out, a.meta.len() as u32);
    for (k, v) in &a.meta {
        put_str(out, k);
        put_str(out, v);
    }
    if a.origin == origin {
        out.push(0);
    } else {
        out.push(1);
        put_str(out, &a.origin);
    }
    match a.stored.as_deref() {
        None => out.push(0),
        Some(at) if Some(at) == shared => out.push(1),
        Some(at) => {
            out.push(2);
            put_body_ref(out, at);
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

type Decoded<T> = Result<T, String>;

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Decoded<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| "it ends too early".to_string())?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn u8(&mut self) -> Decoded<u8> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Decoded<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn u64(&mut self) -> Decoded<u64> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }

    fn str(&mut self) -> Decoded<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).map_err(|_| "a string is not UTF-8".to_string())
    }

    fn string(&mut self) -> Decoded<String> {
        self.str().map(str::to_string)
    }

    fn opt(&mut self) -> Decoded<Option<String>> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.string().map(Some),
            _ => Err("bad option tag".into()),
        }
    }

    /// A count of items each at least `min` bytes long (so a damaged count cannot allocate
    /// more than the file could hold).
    fn count(&mut self, min: usize) -> Decoded<usize> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min) > self.bytes.len() - self.at {
            return Err("a count is larger than the data".into());
        }
        Ok(n)
    }

    fn body_ref(&mut self) -> Decoded<Arc<BodyRef>> {
        Ok(Arc::new(BodyRef::File {
            path: PathBuf::from(self.str()?),
            key: self.string()?,
        }))
    }

    fn warning(&mut self) -> Decoded<Warning> {
        Ok(Warning {
            origin: self.string()?,
            message: self.string()?,
        })
    }
}

fn decode_result(r: &mut Reader<'_>) -> Decoded<FileResult> {
    match r.u8()? {
        0 => {
            let origin = r.str()?;
            let shared = match r.u8()? {
                0 => None,
                1 => Some(r.body_ref()?),
                _ => return Err("bad body tag".into()),
            };
            let n = r.count(40)?;
            let mut articles = Vec::with_capacity(n);
            for _ in 0..n {
                articles.push(decode_article(r, origin, shared.as_ref())?);
            }
            let n = r.count(8)?;
            let mut warnings = Vec::with_capacity(n);
            for _ in 0..n {
                warnings.push(r.warning()?);
            }
            Ok(Ok((articles, warnings)))
        }
        1 => Ok(Err(r.warning()?)),
        _ => Err("bad result tag".into()),
    }
}

fn decode_article(
    r: &mut Reader<'_>,
    shared_origin: &str,
    shared: Option<&Arc<BodyRef>>,
) -> Decoded<Article> {
    let id = ArticleId::parse(r.str()?).ok_or("bad id")?;
    let title = r.string()?;
    let source = r.string()?;
    let author = r.opt()?;
    let secs = r.u64()? as i64;
    let nanos = r.u32()?;
    let date = DateTime::from_timestamp(secs, nanos).ok_or("bad date")?;
    let dated = r.u8()? != 0;
    let link = r.opt()?;
    let n = r.count(4)?;
    let mut categories = Vec::with_capacity(n);
    for _ in 0..n {
        let levels = r.count(4)?;
        let mut v = Vec::with_capacity(levels);
        for _ in 0..levels {
            v.push(r.str()?);
        }
        categories.extend(CategoryPath::from_levels(v));
    }
    let standfirst = r.opt()?;
    let words = r.u64()? as usize;
    let n = r.count(8)?;
    let mut meta = Vec::with_capacity(n);
    for _ in 0..n {
        meta.push((r.string()?, r.string()?));
    }
    let origin = match r.u8()? {
        0 => shared_origin.to_string(),
        1 => r.string()?,
        _ => return Err("bad origin tag".into()),
    };
    let stored = match r.u8()? {
        0 => None,
        1 => Some(shared.ok_or("no shared body reference")?.clone()),
        2 => Some(r.body_ref()?),
        _ => return Err("bad body tag".into()),
    };
    Ok(Article {
        id,
        title,
        source,
        author,
        date,
        dated,
        link,
        categories,
        standfirst,
        blocks: Vec::new(),
        words,
        meta,
        origin,
        pending: None,
        stored,
    })
}

#[cfg(test)]
#[path = "snapshot_tests.rs"]
mod tests;

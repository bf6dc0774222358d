//! The warm-start snapshot: what each local file gave the last time it was read (the articles'
//! headers, warnings, or why it was skipped), keyed by the file and its size, modification time
//! and inode. A file whose stamp has not changed is taken from here instead of being read and
//! parsed again; bodies are not kept (they are read again from the file when an article is
//! opened), which keeps the snapshot small and the warm start's memory low.
//!
//! The file, `snapshot.bin` in the cache folder:
//!
//! ```text
//! "tidings-snapshot" u32:FORMAT str:crate-version u64:index-length u64:index-hash index payloads
//! index = u32:count { str:key str:root str:context u64:size i64:mtime-secs u32:mtime-nanos
//!                     u64:inode i64:last-used u64:payload-offset u32:payload-length
//!                     u64:payload-hash u32:articles }
//! ```
//!
//! Strings are a `u32` length and UTF-8 bytes, integers little-endian. A payload holds one file's
//! result (see [`encode_result`]): a hashed head (the warnings and a table of blocks) and the
//! articles in blocks of about [`BLOCK_BYTES`], each with its own hash. Only the index is read at
//! start-up; a payload is read (with positioned reads, from any thread) and decoded only when its
//! file's stamp still matches, a block at a time and a big feed's blocks on every core, so neither
//! the snapshot nor a big payload is ever in memory whole; entries carried over unchanged are
//! copied as bytes.
//! Safety: the file is written to a temporary file, synced and renamed over the old one; a
//! snapshot from another format or version is replaced quietly; one with a wrong length or hash
//! is ignored with a warning (a payload with a wrong hash, alone: its file is parsed again) and
//! replaced at the next save. Losing it costs one cold load, never data.

use super::Warning;
use crate::core::model::{Article, ArticleId, BodyRef};
use chrono::DateTime;
use std::collections::HashSet;

type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
use std::io;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const MAGIC: &[u8; 16] = b"tidings-snapshot";
/// Bumped whenever the layout or what a payload means changes.
/// 5: the liberal feed parser (issue 12) reads more of the same files.
/// 6: Markdown rendered, UTF-16 text read, README-like files skipped in folders (issue 14).
/// 7: payloads in hashed blocks (issue 15).
/// 8: the index gives each payload's article count (a warm load sizes its list once).
pub const FORMAT: u32 = 8;
/// A payload's articles are cut into blocks of about this many bytes. Reading a 10 MB feed's
/// payload whole held it in memory next to its articles and decoded it on one core.
pub const BLOCK_BYTES: usize = 256 * 1024;
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

/// Where one payload is in the file (from the start of the payload area), and its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayloadRef {
    offset: u64,
    len: u32,
    hash: u64,
    /// Articles in the payload.
    articles: u32,
}

/// One entry of the snapshot file's index.
#[derive(Debug, Clone)]
struct OldEntry {
    root: String,
    context: String,
    stamp: Stamp,
    last_used: i64,
    payload: PayloadRef,
    /// Used again this run, unchanged and under the same root (see [`Snapshot::keep`]).
    kept: bool,
}

/// An entry of the next snapshot.
struct NewEntry {
    root: String,
    context: String,
    stamp: Stamp,
    payload: Payload,
}

enum Payload {
    /// Unchanged: this payload of the old snapshot.
    Old(PayloadRef),
    /// New, and held in memory: the bytes and their article count.
    New(Vec<u8>, u32),
    /// New, and already written to the spill file at this place.
    Spilled(PayloadRef),
}

/// Where new payloads wait for the save: an unnamed temporary file in the cache folder. Held in
/// memory they were a fifth of a cold load's peak (37 MB at 110k articles, next to the
/// articles themselves).
struct Spill {
    file: std::fs::File,
    len: u64,
}

/// The open snapshot file: payloads are read from it one at a time, when a file's stamp still
/// matches, so the file is never held in memory whole.
struct OldFile {
    file: std::fs::File,
    /// Where the payload area starts.
    base: u64,
}

/// The snapshot read at start-up and the one being built for the next save.
pub struct Snapshot {
    /// Where it is saved; `None`: nothing is read or written.
    path: Option<PathBuf>,
    file: Option<OldFile>,
    old: HashMap<String, OldEntry>,
    new: HashMap<String, NewEntry>,
    /// The source roots loaded this run: their old entries not seen again are gone.
    roots: HashSet<String>,
    /// Why the old snapshot was not used, when that is worth telling.
    warning: Option<String>,
    /// Something differs from the file on disk.
    changed: bool,
    now: i64,
    /// New payloads written out (`None` until the first; `Some(None)`: it could not be made,
    /// payloads stay in memory).
    spill: Option<Option<Spill>>,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("path", &self.path)
            .field("entries", &self.old.len())
            .finish_non_exhaustive()
    }
}

/// A 64-bit hash of the index and of each payload, to notice a torn or damaged file (not an
/// adversary: anyone who can write the cache folder can write anything there).
pub(super) fn hash(bytes: &[u8]) -> u64 {
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

/// Reads `len` bytes at `offset` without moving a shared cursor (payloads are read from several
/// threads at once).
fn read_at(file: &std::fs::File, offset: u64, len: usize) -> io::Result<Vec<u8>> {
    let mut buf = vec![0; len];
    #[cfg(unix)]
    std::os::unix::fs::FileExt::read_exact_at(file, &mut buf, offset)?;
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < len {
            let n = std::os::windows::fs::FileExt::seek_read(
                file,
                &mut buf[done..],
                offset + done as u64,
            )?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (file, offset);
        return Err(io::ErrorKind::Unsupported.into());
    }
    Ok(buf)
}

impl Snapshot {
    /// A snapshot that is neither read nor saved (no cache folder).
    pub fn none() -> Snapshot {
        Snapshot {
            path: None,
            file: None,
            old: HashMap::default(),
            new: HashMap::default(),
            roots: HashSet::new(),
            warning: None,
            changed: false,
            now: chrono::Utc::now().timestamp(),
            spill: None,
        }
    }

    /// Opens `snapshot.bin` in the cache folder and reads its index. A missing, old or damaged
    /// one gives an empty snapshot (a damaged one with a warning, see
    /// [`Snapshot::take_warning`]).
    pub fn open(cache_dir: Option<&Path>) -> Snapshot {
        let mut s = Snapshot::none();
        let Some(dir) = cache_dir else {
            return s;
        };
        let path = dir.join(FILE_NAME);
        match std::fs::File::open(&path) {
            Ok(file) => match read_index(&file) {
                Ok(Some((old, base))) => {
                    s.old = old;
                    s.file = Some(OldFile { file, base });
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
    pub fn lookup(&self, key: &str, context: &str, stamp: Stamp) -> Option<PayloadRef> {
        self.old
            .get(key)
            .filter(|e| e.context == context && e.stamp == stamp)
            .map(|e| e.payload)
    }

    /// Articles the last load found under `root` (a folder's articles before they are read
    /// again: a warm load sizes its list once instead of growing it, which left copies behind).
    pub fn articles_in(&self, root: &str) -> usize {
        self.old
            .values()
            .filter(|e| e.root == root)
            .map(|e| e.payload.articles as usize)
            .sum()
    }

    /// Reads and decodes a payload found by [`Snapshot::lookup`]; `None` if it cannot be read
    /// or does not decode (the file is then parsed again).
    pub fn decode(&self, p: PayloadRef) -> Option<FileResult> {
        let f = self.file.as_ref()?;
        let base = f.base.checked_add(p.offset)?;
        let read = |at: usize, len: usize| read_at(&f.file, base + at as u64, len);
        decode_payload(p.len as usize, &read).ok()
    }

    /// Keeps an old entry, unchanged, for the next save.
    pub fn keep(&mut self, key: &str, root: &str) {
        if let Some(e) = self.old.get_mut(key) {
            self.changed |= e.last_used < self.now - 24 * 3600;
            // Marked, not copied: a warm start keeps every entry, and copying their texts
            // was 2 MB of its peak at 110k articles.
            if e.root == root {
                e.kept = true;
                return;
            }
            // Found under another root now: saved under that one.
            self.changed = true;
            let entry = NewEntry {
                root: root.to_string(),
                context: e.context.clone(),
                stamp: e.stamp,
                payload: Payload::Old(e.payload),
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
        let articles = result.as_ref().map_or(0, |(a, _)| a.len());
        let articles = u32::try_from(articles).unwrap_or(u32::MAX);
        let payload = self.spilled(payload, articles);
        let entry = NewEntry {
            root: root.to_string(),
            context: context.to_string(),
            stamp,
            payload,
        };
        self.new.insert(key.to_string(), entry);
    }

    /// A new payload, written to the spill file when there is one (made at the first).
    fn spilled(&mut self, bytes: Vec<u8>, articles: u32) -> Payload {
        let dir = self.path.as_deref().and_then(Path::parent);
        let spill = self.spill.get_or_insert_with(|| {
            let dir = dir?;
            std::fs::create_dir_all(dir).ok()?;
            let file = tempfile::tempfile_in(dir).ok()?;
            Some(Spill { file, len: 0 })
        });
        let Some(spill) = spill else {
            return Payload::New(bytes, articles);
        };
        let at = PayloadRef {
            offset: spill.len,
            len: bytes.len() as u32,
            hash: hash(&bytes),
            articles,
        };
        match spill.file.write_all(&bytes) {
            Ok(()) => {
                spill.len += bytes.len() as u64;
                Payload::Spilled(at)
            }
            Err(_) => {
                // A part may have been written: the file's end is unknown, it is not used again.
                self.spill = Some(None);
                Payload::New(bytes, articles)
            }
        }
    }

    /// Writes the next snapshot (this run's entries, and the old entries of roots not loaded
    /// this run that were used recently) when anything changed: to a temporary file beside
    /// it, streamed (unchanged payloads are copied from the old file a piece at a time), synced
    /// and renamed over the old one.
    pub fn save(mut self) -> io::Result<()> {
        let Some(path) = self.path.take() else {
            return Ok(());
        };
        let dropped = self.old.iter().any(|(k, e)| {
            !e.kept
                && !self.new.contains_key(k)
                && (self.roots.contains(&e.root) || e.last_used < self.now - MAX_IDLE_SECS)
        });
        if !self.changed && !dropped {
            return Ok(());
        }
        // (key, root, context, stamp, last used, payload) in the order written.
        let mut entries: Vec<(&str, &str, &str, Stamp, i64, &Payload)> = self
            .new
            .iter()
            .map(|(k, e)| {
                (
                    k.as_str(),
                    e.root.as_str(),
                    e.context.as_str(),
                    e.stamp,
                    self.now,
                    &e.payload,
                )
            })
            .collect();
        // Old entries used again, and those of roots not loaded this run used recently.
        let carried: Vec<(&String, &OldEntry, Payload)> = self
            .old
            .iter()
            .filter(|(k, e)| {
                !self.new.contains_key(*k)
                    && (e.kept
                        || !self.roots.contains(&e.root) && e.last_used >= self.now - MAX_IDLE_SECS)
            })
            .map(|(k, e)| (k, e, Payload::Old(e.payload)))
            .collect();
        for (k, e, p) in &carried {
            let last_used = if e.kept { self.now } else { e.last_used };
            entries.push((k.as_str(), &e.root, &e.context, e.stamp, last_used, p));
        }
        // Old payloads that cannot be read back (the file changed under us) are left out.
        let mut index = Vec::new();
        // Where each payload is read from: the old snapshot, the spill file, or memory.
        enum PayloadAt<'a> {
            Old(PayloadRef),
            Spill(PayloadRef),
            Memory(&'a [u8]),
        }
        let mut written: Vec<PayloadAt> = Vec::with_capacity(entries.len());
        let mut kept = Vec::with_capacity(entries.len());
        let mut offset = 0u64;
        for &(key, root, context, stamp, last_used, payload) in &entries {
            let (len, hash_of, articles) = match payload {
                Payload::Old(p) | Payload::Spilled(p) => (p.len, p.hash, p.articles),
                Payload::New(v, n) => (v.len() as u32, hash(v), *n),
            };
            let at = PayloadRef {
                offset,
                len,
                hash: hash_of,
                articles,
            };
            offset += u64::from(len);
            kept.push((key, root, context, stamp, last_used, at));
            written.push(match payload {
                Payload::Old(p) => PayloadAt::Old(*p),
                Payload::Spilled(p) => PayloadAt::Spill(*p),
                Payload::New(v, _) => PayloadAt::Memory(v),
            });
        }
        put_u32(&mut index, kept.len() as u32);
        for (key, root, context, stamp, last_used, at) in &kept {
            put_str(&mut index, key);
            put_str(&mut index, root);
            put_str(&mut index, context);
            put_u64(&mut index, stamp.size);
            put_u64(&mut index, stamp.mtime_secs as u64);
            put_u32(&mut index, stamp.mtime_nanos);
            put_u64(&mut index, stamp.inode);
            put_u64(&mut index, *last_used as u64);
            put_u64(&mut index, at.offset);
            put_u32(&mut index, at.len);
            put_u64(&mut index, at.hash);
            put_u32(&mut index, at.articles);
        }
        let mut head = Vec::with_capacity(64);
        head.extend_from_slice(MAGIC);
        put_u32(&mut head, FORMAT);
        put_str(&mut head, VERSION);
        put_u64(&mut head, index.len() as u64);
        put_u64(&mut head, hash(&index));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let old = self.file.as_ref();
        let spill = self.spill.as_ref().and_then(Option::as_ref);
        // A payload from a file, checked against its hash.
        let copy =
            |out: &mut dyn Write, file: Option<&std::fs::File>, base: u64, p: &PayloadRef| {
                let file = file.ok_or(io::ErrorKind::NotFound)?;
                let b = read_at(file, base + p.offset, p.len as usize)?;
                if hash(&b) != p.hash {
                    return Err(io::Error::other("a payload changed while saving"));
                }
                out.write_all(&b)
            };
        super::atomic::write_atomic_with(&path, |out| {
            out.write_all(&head)?;
            out.write_all(&index)?;
            for from in &written {
                match from {
                    PayloadAt::Memory(b) => out.write_all(b)?,
                    PayloadAt::Old(p) => {
                        copy(out, old.map(|f| &f.file), old.map_or(0, |f| f.base), p)?
                    }
                    PayloadAt::Spill(p) => copy(out, spill.map(|s| &s.file), 0, p)?,
                }
            }
            Ok(())
        })
    }
}

/// Reads the header and the index of a snapshot file: the entries and where the payloads
/// start. `Ok(None)`: another format or version.
/// A snapshot's index: the entries by key, and where the payloads start.
type Index = (HashMap<String, OldEntry>, u64);

fn read_index(file: &std::fs::File) -> Result<Option<Index>, String> {
    let file_len = file.metadata().map_err(|e| e.to_string())?.len();
    let head_len = (MAGIC.len() + 4 + 4 + VERSION.len() + 16) as u64;
    let head = read_at(file, 0, head_len.min(file_len) as usize).map_err(|e| e.to_string())?;
    let mut r = Reader {
        bytes: &head,
        at: 0,
    };
    if r.take(MAGIC.len()).ok() != Some(MAGIC.as_slice()) {
        return Err("not a tidings snapshot".into());
    }
    if r.u32()? != FORMAT || r.str().ok() != Some(VERSION) {
        return Ok(None);
    }
    let index_len = r.u64()?;
    let want = r.u64()?;
    if head_len
        .checked_add(index_len)
        .is_none_or(|end| end > file_len)
    {
        return Err("it ends too early".into());
    }
    let index = read_at(file, head_len, index_len as usize).map_err(|e| e.to_string())?;
    if hash(&index) != want {
        return Err("its checksum does not match".into());
    }
    let base = head_len + index_len;
    let area = file_len - base;
    let mut r = Reader {
        bytes: &index,
        at: 0,
    };
    let count = r.count(44)?;
    let mut map = HashMap::with_capacity_and_hasher(count, Default::default());
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
        let payload = PayloadRef {
            offset: r.u64()?,
            len: r.u32()?,
            hash: r.u64()?,
            articles: r.u32()?,
        };
        if payload
            .offset
            .checked_add(u64::from(payload.len))
            .is_none_or(|end| end > area)
        {
            return Err("it ends too early".into());
        }
        map.insert(
            key,
            OldEntry {
                root,
                context,
                stamp,
                last_used,
                payload,
                kept: false,
            },
        );
    }
    if r.at != index.len() {
        return Err("trailing bytes".into());
    }
    Ok(Some((map, base)))
}

pub(super) fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

pub(super) fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

pub(super) fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

pub(super) fn put_opt(out: &mut Vec<u8>, s: Option<&str>) {
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
    match at {
        BodyRef::File { path, key } => {
            out.push(0);
            put_str(out, &path.to_string_lossy());
            put_str(out, key);
        }
        BodyRef::CachedFeed { url, cache_dir } => {
            out.push(1);
            put_str(out, url);
            put_str(out, &cache_dir.to_string_lossy());
        }
        BodyRef::Archived { db } => {
            out.push(2);
            put_str(out, &db.to_string_lossy());
        }
    }
}

/// Encodes one file's result: a tag, then the articles' headers (and where each body is) and
/// the warnings, or the warning it was skipped with. The origin and body reference the file's
/// articles share are written once.
pub fn encode_result(out: &mut Vec<u8>, result: &FileResult) {
    let mut head = Vec::new();
    let mut blocks = Vec::new();
    match result {
        Ok((articles, warnings)) => {
            head.push(0);
            let origin = articles.first().map_or("", |a| &*a.origin);
            let shared = articles.iter().find_map(|a| a.stored());
            put_str(&mut head, origin);
            match shared {
                Some(at) => {
                    head.push(1);
                    put_body_ref(&mut head, at);
                }
                None => head.push(0),
            }
            put_u32(&mut head, articles.len() as u32);
            put_u32(&mut head, warnings.len() as u32);
            for w in warnings {
                put_warning(&mut head, w);
            }
            // (length, articles, hash) of each block
            let mut table: Vec<(u32, u32, u64)> = Vec::new();
            let (mut start, mut count) = (0, 0);
            for (i, a) in articles.iter().enumerate() {
                encode_article(&mut blocks, a, origin, shared);
                count += 1;
                if blocks.len() - start >= BLOCK_BYTES || i + 1 == articles.len() {
                    let block = &blocks[start..];
                    table.push((block.len() as u32, count, hash(block)));
                    (start, count) = (blocks.len(), 0);
                }
            }
            put_u32(&mut head, table.len() as u32);
            for (len, count, h) in table {
                put_u32(&mut head, len);
                put_u32(&mut head, count);
                put_u64(&mut head, h);
            }
        }
        Err(w) => {
            head.push(1);
            put_warning(&mut head, w);
        }
    }
    put_u32(out, head.len() as u32);
    put_u64(out, hash(&head));
    out.extend_from_slice(&head);
    out.extend_from_slice(&blocks);
}

/// Decodes a payload of `len` bytes that `read(at, len)` reads a piece of: the head first, then
/// the blocks, each checked against its hash (on every core when there are several).
fn decode_payload(
    len: usize,
    read: &(dyn Fn(usize, usize) -> io::Result<Vec<u8>> + Sync),
) -> Decoded<FileResult> {
    use rayon::prelude::*;
    use std::borrow::Cow;
    // Small payloads (most files) are read at once.
    const FIRST_READ: usize = 64 * 1024;
    let first = read(0, len.min(FIRST_READ)).map_err(|e| e.to_string())?;
    // The bytes at..at+n of the payload.
    let piece = |at: usize, n: usize| -> Decoded<Cow<'_, [u8]>> {
        match at.checked_add(n) {
            Some(end) if end <= first.len() => Ok(Cow::Borrowed(&first[at..end])),
            Some(end) if end <= len => read(at, n).map(Cow::Owned).map_err(|e| e.to_string()),
            _ => Err("it ends too early".into()),
        }
    };
    let mut r = Reader {
        bytes: &first,
        at: 0,
    };
    let (head_len, head_hash) = (r.u32()? as usize, r.u64()?);
    let head = piece(12, head_len)?;
    if hash(&head) != head_hash {
        return Err("the head's hash does not match".into());
    }
    let mut r = Reader {
        bytes: &head,
        at: 0,
    };
    let end_of_head = 12 + head_len;
    let result = match r.u8()? {
        0 => {
            let origin: Arc<str> = r.str()?.into();
            let body = match r.u8()? {
                0 => None,
                1 => Some(r.body_ref()?),
                _ => return Err("bad body tag".into()),
            };
            let total = r.u32()? as usize;
            let n = r.count(8)?;
            let mut warnings = Vec::with_capacity(n);
            for _ in 0..n {
                warnings.push(r.warning()?);
            }
            // (offset in the payload, length, articles, hash) of each block
            let mut blocks = Vec::with_capacity(r.count(16)?);
            let mut at = end_of_head;
            for _ in 0..blocks.capacity() {
                let (n, count, h) = (r.u32()? as usize, r.u32()? as usize, r.u64()?);
                blocks.push((at, n, count, h));
                at = at.checked_add(n).ok_or("a block is too long")?;
            }
            if at != len || blocks.iter().map(|b| b.2).sum::<usize>() != total {
                return Err("the blocks do not fill the payload".into());
            }
            let block = |&(at, n, count, h): &(usize, usize, usize, u64)| {
                let bytes = piece(at, n)?;
                if hash(&bytes) != h {
                    return Err("a block's hash does not match".to_string());
                }
                let mut r = Reader {
                    bytes: &bytes,
                    at: 0,
                };
                let mut shared = PerFile {
                    origin: origin.clone(),
                    body: body.clone(),
                    source: None,
                };
                // An article takes at least 40 bytes: a wrong count cannot allocate much.
                let mut articles = Vec::with_capacity(count.min(n / 40));
                for _ in 0..count {
                    articles.push(decode_article(&mut r, &mut shared)?);
                }
                if r.at != bytes.len() {
                    return Err("a block is longer than its articles".into());
                }
                Ok(articles)
            };
            let parts: Vec<Vec<Article>> = match blocks.len() {
                0 | 1 => blocks.iter().map(block).collect::<Decoded<_>>()?,
                _ => blocks.par_iter().map(block).collect::<Decoded<_>>()?,
            };
            let articles = match parts.len() {
                1 => parts.into_iter().next().unwrap_or_default(),
                _ => {
                    let mut all = Vec::with_capacity(total);
                    for p in parts {
                        all.extend(p);
                    }
                    all
                }
            };
            Ok((articles, warnings))
        }
        1 => {
            if end_of_head != len {
                return Err("a skipped file's payload has blocks".into());
            }
            Err(r.warning()?)
        }
        _ => return Err("bad result tag".into()),
    };
    if r.at != head.len() {
        return Err("the head is longer than its fields".into());
    }
    Ok(result)
}

/// [`decode_payload`] of a payload in memory.
#[cfg(test)]
fn decode_result(bytes: &[u8]) -> Decoded<FileResult> {
    decode_payload(bytes.len(), &|at, n| Ok(bytes[at..at + n].to_vec()))
}

pub(super) fn encode_article(
    out: &mut Vec<u8>,
    a: &Article,
    origin: &str,
    shared: Option<&BodyRef>,
) {
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
    if &*a.origin == origin {
        out.push(0);
    } else {
        out.push(1);
        put_str(out, &a.origin);
    }
    match a.stored() {
        None => out.push(0),
        Some(at) if Some(at) == shared => out.push(1),
        Some(at) => {
            out.push(2);
            put_body_ref(out, at);
        }
    }
}

pub(super) struct Reader<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) at: usize,
}

pub(super) type Decoded<T> = Result<T, String>;

impl<'a> Reader<'a> {
    pub(super) fn take(&mut self, n: usize) -> Decoded<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| "it ends too early".to_string())?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    pub(super) fn u8(&mut self) -> Decoded<u8> {
        Ok(self.take(1)?[0])
    }

    pub(super) fn u32(&mut self) -> Decoded<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    pub(super) fn u64(&mut self) -> Decoded<u64> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }

    pub(super) fn str(&mut self) -> Decoded<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).map_err(|_| "a string is not UTF-8".to_string())
    }

    /// The next string, without moving past it.
    fn peek_str(&mut self) -> Decoded<&'a str> {
        let at = self.at;
        let s = self.str();
        self.at = at;
        s
    }

    pub(super) fn string(&mut self) -> Decoded<String> {
        self.str().map(str::to_string)
    }

    pub(super) fn opt(&mut self) -> Decoded<Option<String>> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.string().map(Some),
            _ => Err("bad option tag".into()),
        }
    }

    /// A count of items each at least `min` bytes long (so a damaged count cannot allocate
    /// more than the file could hold).
    pub(super) fn count(&mut self, min: usize) -> Decoded<usize> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min) > self.bytes.len() - self.at {
            return Err("a count is larger than the data".into());
        }
        Ok(n)
    }

    fn body_ref(&mut self) -> Decoded<Arc<BodyRef>> {
        Ok(Arc::new(match self.u8()? {
            0 => BodyRef::File {
                path: PathBuf::from(self.str()?),
                key: self.string()?,
            },
            1 => BodyRef::CachedFeed {
                url: self.string()?,
                cache_dir: PathBuf::from(self.str()?),
            },
            2 => BodyRef::Archived {
                db: PathBuf::from(self.str()?),
            },
            _ => return Err("bad body reference".into()),
        }))
    }

    fn warning(&mut self) -> Decoded<Warning> {
        Ok(Warning {
            origin: self.string()?,
            message: self.string()?,
        })
    }
}

/// What the articles of one file share, decoded once (one copy in memory for all of them).
pub(super) struct PerFile {
    origin: Arc<str>,
    body: Option<Arc<BodyRef>>,
    /// The last source seen (a feed's items share it).
    source: Option<Arc<str>>,
}

impl PerFile {
    /// Nothing shared yet: each article names its origin and body reference (the head file's
    /// articles come from many files).
    pub(super) fn none() -> PerFile {
        PerFile {
            origin: "".into(),
            body: None,
            source: None,
        }
    }
}

pub(super) fn decode_article(r: &mut Reader<'_>, shared: &mut PerFile) -> Decoded<Article> {
    let id = ArticleId::parse(r.str()?).ok_or("bad id")?;
    let title = r.string()?;
    let source = match &shared.source {
        Some(s) if **s == *r.peek_str()? => {
            r.str()?;
            s.clone()
        }
        _ => {
            let s: Arc<str> = r.str()?.into();
            shared.source = Some(s.clone());
            s
        }
    };
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
        // Files share a few categories: one copy of each (see `paths`).
        categories.extend(super::paths::path_of(v));
    }
    let standfirst = r.opt()?;
    let words = u32::try_from(r.u64()?).unwrap_or(u32::MAX);
    let n = r.count(8)?;
    let mut meta = Vec::with_capacity(n);
    for _ in 0..n {
        meta.push((r.string()?, r.string()?));
    }
    let origin = match r.u8()? {
        0 => shared.origin.clone(),
        1 => r.str()?.into(),
        _ => return Err("bad origin tag".into()),
    };
    let stored = match r.u8()? {
        0 => None,
        1 => Some(shared.body.clone().ok_or("no shared body reference")?),
        2 => Some(r.body_ref()?),
        _ => return Err("bad body tag".into()),
    };
    Ok(Article {
        id,
        title: title.into(),
        source,
        author: author.map(Into::into),
        date,
        dated,
        link: link.map(Into::into),
        categories,
        standfirst: standfirst.map(Into::into),
        body: stored.map_or_else(
            crate::core::model::Body::default,
            crate::core::model::Body::Stored,
        ),
        words,
        meta: meta.into(),
        origin,
    })
}

#[cfg(test)]
#[path = "snapshot_tests.rs"]
mod tests;

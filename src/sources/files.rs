//! Local article files and folders, and the bundled samples.

use super::Warning;
use super::decode::{MAX_FILE_BYTES, Skip, decode};
use super::feed::{FeedContext, SNIFF_BYTES, Sniffed, looks_like_feed, parse_feed, sniff};
use super::markdown::{is_markdown, parse_markdown};
use super::snapshot::{Snapshot, Stamp};
use super::text::{FileContext, parse_article};
use crate::core::model::{Article, ArticleId, BodyRef, CategoryPath};
use crate::core::render::Render;
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/samples.rs"));
}

/// Articles, warnings, and the reason the whole source failed (if it did).
pub type PathLoad = (Vec<Article>, Vec<Warning>, Option<String>);

/// Files read between two progress reports of [`load_path_with`], at most ([`chunk_len`]).
pub const CHUNK: usize = 512;

/// Files read between two progress reports of [`load_path_with`], at least (unless fewer).
pub const MIN_CHUNK: usize = 64;

/// Files per chunk for a folder of `files`: an eighth of them between [`MIN_CHUNK`] and
/// [`CHUNK`], so that what the reader does with a chunk's articles (its story grouping) goes
/// on while the next is parsed, and little is left when the last one is (a folder of 1,000
/// feeds was read in two chunks of 0.8 s each).
pub fn chunk_len(files: usize) -> usize {
    (files / 8).clamp(MIN_CHUNK, CHUNK)
}

/// The sizes of the chunks a folder of `files` is read in, in order: [`chunk_len`] files each
/// (the same size, rounded), but the last [`chunk_len`] files, which are read in quarters. What
/// is done with a chunk's articles (see [`load_path_with`]) goes on while the next one is read,
/// except for the last chunk's: a small last chunk is a short wait at the end of a cold start
/// (about 50 ms less at 110k articles).
pub fn chunk_sizes(files: usize) -> Vec<usize> {
    let c = chunk_len(files);
    let tail = files.min(c);
    let head = files - tail;
    let mut sizes = even_parts(head, head.div_ceil(c));
    sizes.extend(even_parts(tail, tail.min(4)));
    sizes
}

/// `total` cut into `parts` sizes that differ by one at most, the larger first.
fn even_parts(total: usize, parts: usize) -> Vec<usize> {
    (0..parts)
        .map(|i| total / parts + usize::from(i < total % parts))
        .collect()
}

/// `.txt`, `.md` and `.markdown` files in folders are articles.
pub fn is_article_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["txt", "md", "markdown"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Files that come with folders of articles without being articles (a repository's README,
/// LICENSE, CHANGELOG…): skipped in folders, quietly. Names compared without their extensions;
/// the common words (`AUTHORS`, `NOTICE`…) only when written in capitals, as such files are.
pub fn is_project_file(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name);
    const ANY_CASE: [&str; 7] = [
        "readme",
        "license",
        "licence",
        "copying",
        "changelog",
        "contributing",
        "code_of_conduct",
    ];
    const CAPITALS: [&str; 6] = [
        "AUTHORS", "NOTICE", "CHANGES", "HISTORY", "SECURITY", "TODO",
    ];
    ANY_CASE.iter().any(|n| stem.eq_ignore_ascii_case(n)) || CAPITALS.contains(&stem)
}

/// Decodes and parses one file's bytes (Markdown for `.md` files); `Err` is the warning message.
fn parse_bytes(bytes: Vec<u8>, ctx: &FileContext) -> Result<(Article, Vec<Warning>), String> {
    let decoded = decode(bytes).map_err(|s| s.to_string())?;
    let parsed = if is_markdown(&ctx.origin) {
        parse_markdown(&decoded.text, ctx)?
    } else {
        parse_article(&decoded.text, ctx)?
    };
    let warnings = decoded
        .warning
        .into_iter()
        .chain(parsed.warnings)
        .map(|m| Warning::new(&ctx.origin, m))
        .collect();
    Ok((parsed.article, warnings))
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The category given by the folders between the source root and the file.
fn folder_category(rel: &Path) -> Option<CategoryPath> {
    let parent = rel.parent()?;
    CategoryPath::from_levels(parent.iter().map(|c| c.to_string_lossy()))
}

/// Feed files may be larger than article files (the same cap as a fetched body).
pub const MAX_FEED_BYTES: u64 = 32 * 1024 * 1024;

/// One file to read: its path, the path that makes its id, and what its folder says.
struct Job {
    path: PathBuf,
    /// The absolute path, to read the body again later from wherever tidings runs.
    body_path: PathBuf,
    id_key: String,
    folder_category: Option<CategoryPath>,
    default_source: String,
    /// Not a `.txt`/`.md` file: read it only if its first bytes say it is a feed.
    sniff: bool,
}

/// What one file gave: articles (one, or a feed's many) and warnings; `Err` when it was skipped.
type JobResult = Result<(Vec<Article>, Vec<Warning>), Warning>;

fn read_job(job: &Job) -> JobResult {
    use std::io::Read;
    let origin = job.path.to_string_lossy().into_owned();
    let fail = |m: String| Warning::new(&origin, m);
    // One open per file, its size from the open file (not its path), and a file sniffed first
    // read on from where the sniff stopped, not opened and read again.
    let cannot = |e: std::io::Error| fail(format!("cannot read: {e}"));
    let file = std::fs::File::open(&job.path);
    let mut bytes = Vec::new();
    let mut file = match (file, job.sniff) {
        (Ok(f), _) => f,
        // A file that may not even be a feed is skipped quietly.
        (Err(_), true) => return Ok((Vec::new(), Vec::new())),
        (Err(e), false) => return Err(cannot(e)),
    };
    if job.sniff {
        let sniffed = (&mut file)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut bytes)
            .is_ok_and(|_| looks_like_feed(&bytes));
        if !sniffed {
            return Ok((Vec::new(), Vec::new()));
        }
    }
    let meta = file.metadata().map_err(cannot)?;
    if meta.len() > MAX_FEED_BYTES {
        return Err(fail(Skip::TooLarge(meta.len()).to_string()));
    }
    bytes.reserve_exact((meta.len() as usize + 1).saturating_sub(bytes.len()));
    file.read_to_end(&mut bytes).map_err(cannot)?;
    let mtime = meta
        .modified()
        .map(DateTime::<Utc>::from)
        .unwrap_or_else(|_| Utc::now());
    // XML or JSON is never an article: a feed, or a warning saying what it is instead.
    if sniff(&bytes) != Sniffed::Text {
        let ctx = FeedContext {
            key: job.id_key.clone(),
            url: None,
            fallback_date: mtime,
            default_source: stem(&job.path),
        };
        return parse_feed(&bytes, &ctx)
            .map(|p| {
                let warnings = p.warnings.into_iter().map(fail).collect();
                (p.articles, warnings)
            })
            .map_err(fail);
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(Skip::TooLarge(meta.len()).to_string()));
    }
    let ctx = FileContext {
        id: ArticleId::from_key(&job.id_key),
        origin: origin.clone(),
        fallback_title: stem(&job.path),
        default_source: job.default_source.clone(),
        folder_category: job.folder_category.clone(),
        mtime,
    };
    parse_bytes(bytes, &ctx)
        .map(|(a, w)| (vec![a], w))
        .map_err(fail)
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string_lossy().into_owned())
}

/// Loads a file or a folder (recursively; hidden entries skipped), bodies and all.
pub fn load_path(path: &Path) -> PathLoad {
    load_path_with(path, None, &mut |_, _, _| {})
}

impl Job {
    /// Everything besides the file's content that its articles depend on: a file reached
    /// another way is parsed again.
    fn context(&self) -> String {
        let folder = self
            .folder_category
            .as_ref()
            .map(|c| c.to_string())
            .unwrap_or_default();
        format!(
            "{}\0{}\0{}\0{}",
            self.path.to_string_lossy(),
            folder,
            self.default_source,
            u8::from(self.sniff)
        )
    }

    /// Reads and parses the file, leaving the bodies out of memory (see [`Article::unload`]).
    fn read_unloaded(&self) -> JobResult {
        let mut result = read_job(self);
        if let Ok((articles, _)) = &mut result {
            share_categories(articles);
            let at = std::sync::Arc::new(BodyRef::File {
                path: self.body_path.clone(),
                key: self.id_key.clone(),
            });
            for a in articles {
                if !a.blocks().is_empty() || a.pending().is_some() {
                    a.unload(at.clone());
                }
            }
        }
        result
    }
}

/// One copy of each category path among the files read on this thread (a feed's items repeat
/// a few, and a folder's feeds the same sections: each parsed its own, 12 MB at 100k feed
/// items), as the snapshot's decoding shares them (see `paths`).
fn share_categories(articles: &mut [Article]) {
    for p in articles.iter_mut().flat_map(|a| a.categories.iter_mut()) {
        super::paths::share(p);
    }
}

/// A chunk of jobs read: each job's result, and what the snapshot needs to record it.
struct ReadChunk {
    results: Vec<JobResult>,
    /// Per job, with a snapshot: its stamp, its context, and whether its result came from the
    /// snapshot (kept) rather than from the file (recorded). Empty without a snapshot.
    records: Vec<(Option<Stamp>, String, bool)>,
}

/// Reads the jobs' files, in parallel; with a snapshot, those unchanged since it are taken from
/// it and their bodies left out of memory. The snapshot is only read here, so the next chunk is
/// read while the last one's articles are handed on (see [`load_path_with`]).
fn read_chunk(jobs: &[Job], snap: Option<&Snapshot>) -> ReadChunk {
    let Some(snap) = snap else {
        return ReadChunk {
            results: jobs.par_iter().map(read_job).collect(),
            records: Vec::new(),
        };
    };
    let (results, records) = jobs
        .par_iter()
        .map(|j| {
            let stamp = std::fs::metadata(&j.path).ok().and_then(|m| Stamp::of(&m));
            let context = j.context();
            let found = stamp.and_then(|s| snap.lookup(&j.id_key, &context, s));
            match found.and_then(|r| snap.decode(r)) {
                Some(r) => (r, (stamp, context, true)),
                None => (j.read_unloaded(), (stamp, context, false)),
            }
        })
        .unzip();
    ReadChunk { results, records }
}

/// Records what each job of a chunk gave for the next snapshot.
fn record_chunk(jobs: &[Job], read: &ReadChunk, root: &str, snap: &mut Snapshot) {
    for ((job, (stamp, context, reused)), result) in
        jobs.iter().zip(&read.records).zip(&read.results)
    {
        match (reused, stamp) {
            (true, _) => snap.keep(&job.id_key, root),
            (false, Some(stamp)) => snap.record(&job.id_key, root, context, *stamp, result),
            (false, None) => {}
        }
    }
}

/// The files `path` stands for (itself, or what a folder holds, hidden and project files left
/// out), as jobs; what could not be walked goes to `warnings`.
fn jobs_of(
    path: &Path,
    meta: &std::fs::Metadata,
    canonical: &Path,
    warnings: &mut Vec<Warning>,
) -> Vec<Job> {
    if meta.is_file() {
        let parent = canonical.parent().map(name_of).unwrap_or_default();
        vec![Job {
            path: path.to_path_buf(),
            body_path: canonical.to_path_buf(),
            id_key: format!("file:{}", canonical.to_string_lossy()),
            folder_category: None,
            default_source: parent,
            sniff: false,
        }]
    } else {
        let source_name = name_of(canonical);
        let mut jobs = Vec::new();
        let walk = walkdir::WalkDir::new(path)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !(is_hidden(e.file_name())
                        || e.file_type().is_file()
                            && is_project_file(&e.file_name().to_string_lossy()))
            });
        for entry in walk {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    let rel = e.path().strip_prefix(path).unwrap_or(e.path());
                    jobs.push(Job {
                        path: e.path().to_path_buf(),
                        body_path: canonical.join(rel),
                        id_key: format!("file:{}", canonical.join(rel).to_string_lossy()),
                        folder_category: folder_category(rel),
                        default_source: source_name.clone(),
                        sniff: !is_article_file(e.path()),
                    });
                }
                Ok(_) => {}
                Err(e) => {
                    let at = e.path().unwrap_or(path).to_string_lossy().into_owned();
                    warnings.push(Warning::new(at, format!("cannot read: {e}")));
                }
            }
        }
        jobs
    }
}

/// About how many bytes loading `path` reads: its files' sizes (0 when it cannot be read). The
/// reader loads its cheapest local sources first, so that one huge feed file does not keep every
/// headline off the screen while it is parsed.
pub fn local_bytes(path: &Path) -> u64 {
    let Ok(meta) = std::fs::metadata(path) else {
        return 0;
    };
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    jobs_of(path, &meta, &canonical, &mut Vec::new())
        .iter()
        .filter_map(|j| std::fs::metadata(&j.path).ok())
        .map(|m| m.len())
        .sum()
}

/// [`load_path`]; with a snapshot, files unchanged since it are not read again and bodies are
/// left on disk (each article's [`Article::stored`] says where).
///
/// Files are read in chunks ([`chunk_sizes`]); after each, `progress` is called with the files
/// read so far, the files in all and the articles read so far, which it may take (a reader
/// shows them as they come); what it leaves is returned at the end.
pub fn load_path_with(
    path: &Path,
    mut snap: Option<&mut Snapshot>,
    progress: &mut dyn FnMut(usize, usize, &mut Vec<Article>),
) -> PathLoad {
    let label = path.to_string_lossy().into_owned();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            let msg = format!("cannot read: {e}");
            return (Vec::new(), vec![Warning::new(&label, &msg)], Some(msg));
        }
    };
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut warnings = Vec::new();
    let jobs = jobs_of(path, &meta, &canonical, &mut warnings);
    let root = format!("files:{}", canonical.to_string_lossy());
    if let Some(snap) = snap.as_deref_mut() {
        // Even with no files: entries of files that are gone are dropped at save.
        snap.begin_root(&root);
    }
    let (total, mut done, mut count) = (jobs.len(), 0, 0);
    // On a warm start, as many as last time: growing the list left copies of it behind (3 MB
    // of peak at 110k).
    let mut articles = Vec::with_capacity(snap.as_deref().map_or(0, |s| s.articles_in(&root)));
    let mut skipped = 0;
    // Chunk k+1 is read (on the thread pool) while chunk k's articles are handed to `progress`
    // here: the reader prepares them for its story grouping and search then, which left the
    // parsing threads idle about an eighth of a cold start.
    let mut rest = &jobs[..];
    let chunks: Vec<&[Job]> = (chunk_sizes(jobs.len()).into_iter())
        .map(|n| {
            let (chunk, after) = rest.split_at(n);
            rest = after;
            chunk
        })
        .collect();
    let mut next = chunks.first().map(|c| read_chunk(c, snap.as_deref()));
    for (k, chunk) in chunks.iter().enumerate() {
        let Some(read) = next.take() else { break };
        if let Some(snap) = snap.as_deref_mut() {
            record_chunk(chunk, &read, &root, snap);
        }
        let snap_ref = snap.as_deref();
        std::thread::scope(|scope| {
            // Without a thread (none could be started), the next chunk is read after this one.
            let reading = (chunks.get(k + 1)).map(|&c| {
                std::thread::Builder::new()
                    .name("tidings-read".into())
                    .spawn_scoped(scope, move || read_chunk(c, snap_ref))
                    .map_err(|_| c)
            });
            for r in read.results {
                match r {
                    Ok((a, w)) => {
                        count += a.len();
                        articles.extend(a);
                        warnings.extend(w);
                    }
                    Err(w) => {
                        skipped += 1;
                        warnings.push(w);
                    }
                }
            }
            done += chunk.len();
            progress(done, total, &mut articles);
            next = reading.map(|r| match r {
                Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                Err(c) => read_chunk(c, snap_ref),
            });
        });
    }
    let failure = if count > 0 {
        None
    } else if meta.is_file() {
        warnings.last().map(|w| w.message.clone())
    } else {
        let msg = if skipped == 0 {
            "no articles or feeds found".to_string()
        } else {
            format!("no readable articles ({skipped} files skipped)")
        };
        warnings.push(Warning::new(&label, &msg));
        Some(msg)
    };
    (articles, warnings, failure)
}

/// Loads the `sample-feeds/` corpus compiled into the binary.
pub fn load_bundled() -> PathLoad {
    let mut articles = Vec::new();
    let mut warnings = Vec::new();
    for (rel, bytes, mtime) in bundled::SAMPLES {
        let rel_path = Path::new(rel);
        let origin = format!("sample-feeds/{rel}");
        let ctx = FileContext {
            id: ArticleId::from_key(&origin),
            origin: origin.clone(),
            fallback_title: stem(rel_path),
            default_source: "sample-feeds".to_string(),
            folder_category: folder_category(rel_path),
            mtime: DateTime::from_timestamp(*mtime, 0).unwrap_or_default(),
        };
        let parsed = if sniff(bytes) != Sniffed::Text {
            let fctx = FeedContext {
                key: origin.clone(),
                url: None,
                fallback_date: ctx.mtime,
                default_source: ctx.fallback_title.clone(),
            };
            parse_feed(bytes, &fctx).map(|p| {
                let warnings = p
                    .warnings
                    .iter()
                    .map(|w| Warning::new(&origin, w.clone()))
                    .collect();
                (p.articles, warnings)
            })
        } else {
            parse_bytes(bytes.to_vec(), &ctx).map(|(a, w)| (vec![a], w))
        };
        match parsed {
            Ok((a, w)) => {
                articles.extend(a);
                warnings.extend(w);
            }
            Err(m) => warnings.push(Warning::new(&origin, m)),
        }
    }
    let failure = articles.is_empty().then(|| "no bundled samples".into());
    (articles, warnings, failure)
}

/// The number of bundled sample files.
pub fn bundled_count() -> usize {
    bundled::SAMPLES.len()
}

/// Reads the body of article `id` again from `at` (see [`Article::unload`]), rendered; `Err`
/// says why it could not be.
pub fn load_body(at: &BodyRef, id: &ArticleId) -> Result<Article, String> {
    let articles = read_source(at, &[id])?;
    let mut article = articles.into_iter().find(|a| &a.id == id).ok_or_else(|| {
        let path = match at {
            BodyRef::File { path, .. } => path,
            BodyRef::CachedFeed { cache_dir, .. } => cache_dir,
            BodyRef::Archived { db } => db,
        };
        format!("{}: the article is no longer there", path.display())
    })?;
    article.render();
    Ok(article)
}

/// The articles (bodies and all) of the file or cached feed a body reference points to; from
/// the archive, the articles `ids` (with only their bodies and words filled in).
fn read_source(at: &BodyRef, ids: &[&ArticleId]) -> Result<Vec<Article>, String> {
    match at {
        BodyRef::File { path, key } => {
            let job = Job {
                path: path.clone(),
                body_path: path.clone(),
                id_key: key.clone(),
                folder_category: None,
                default_source: String::new(),
                sniff: false,
            };
            read_job(&job).map(|(a, _)| a).map_err(|w| w.to_string())
        }
        BodyRef::CachedFeed { url, cache_dir } => {
            let opts = super::fetch::FetchOptions {
                cache_dir: Some(cache_dir.clone()),
                ..Default::default()
            };
            super::fetch::cached(url, &opts).ok_or_else(|| {
                crate::core::sanitize::sanitize_line(&format!("{url}: the cached copy is gone"))
            })
        }
        BodyRef::Archived { db } => {
            let dir = db.parent().unwrap_or(Path::new("."));
            let (archive, _) = super::archive::Archive::open(dir);
            let bodies = archive
                .and_then(|a| a.bodies(ids))
                .map_err(|e| e.to_string())?;
            Ok(bodies
                .into_iter()
                .map(|b| Article {
                    body: crate::core::model::Body::Blocks(b.blocks),
                    words: b.words,
                    ..Article::new(b.id)
                })
                .collect())
        }
    }
}

/// Reads the bodies of many articles again, one read per file (files in parallel): for each
/// article whose body could be read, its index in `wanted` and the article, rendered when
/// `render` (else as read: a feed's HTML left as HTML). Files that fail are reported as
/// warnings.
pub fn load_bodies(
    wanted: &[(ArticleId, BodyRef)],
    render: bool,
) -> (Vec<(usize, Article)>, Vec<Warning>) {
    let mut groups: std::collections::HashMap<&BodyRef, Vec<usize>> = Default::default();
    for (i, (_, at)) in wanted.iter().enumerate() {
        groups.entry(at).or_default().push(i);
    }
    let groups: Vec<(&BodyRef, Vec<usize>)> = groups.into_iter().collect();
    type Found = (Vec<(usize, Article)>, Option<Warning>);
    let results: Vec<Found> = groups
        .par_iter()
        .map(|(at, indices)| {
            let ids: Vec<&ArticleId> = indices.iter().map(|&i| &wanted[i].0).collect();
            (at, indices, read_source(at, &ids))
        })
        .map(|(_, indices, read)| match read {
            Ok(articles) => {
                let mut by_id: std::collections::HashMap<ArticleId, Article> =
                    articles.into_iter().map(|a| (a.id.clone(), a)).collect();
                let found = indices
                    .iter()
                    .filter_map(|&i| {
                        let mut a = by_id.remove(&wanted[i].0)?;
                        if render {
                            a.render();
                        }
                        Some((i, a))
                    })
                    .collect();
                (found, None)
            }
            Err(w) => (Vec::new(), Some(Warning::new("", w))),
        })
        .collect();
    let mut found = Vec::with_capacity(wanted.len());
    let mut warnings = Vec::new();
    for (f, w) in results {
        found.extend(f);
        warnings.extend(w);
    }
    (found, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A feed's items that name the same category share one copy of it after a cold read,
    /// as after a warm one; different paths stay apart.
    #[test]
    fn a_feeds_items_share_their_category_paths() {
        let dir = tempfile::tempdir().unwrap();
        let items: String = (0..5)
            .map(|i| {
                let cat = if i % 2 == 0 { "World / Europe" } else { "Tech" };
                format!(
                    "<item><title>Item {i}</title><link>https://e.org/{i}</link>\
                     <category>{cat}</category><description>Text {i}.</description></item>"
                )
            })
            .collect();
        let feed = format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>F</title>{items}\
             </channel></rss>"
        );
        std::fs::write(dir.path().join("f.xml"), feed).unwrap();
        let cache = tempfile::tempdir().unwrap();
        let mut snap = Snapshot::open(Some(cache.path()));
        let (articles, _, failure) = load_path_with(dir.path(), Some(&mut snap), &mut |_, _, _| {});
        assert_eq!(failure, None);
        assert_eq!(articles.len(), 5);
        let at = |a: &Article| a.categories[0].levels().as_ptr();
        let names: Vec<String> = articles
            .iter()
            .map(|a| a.categories[0].to_string())
            .collect();
        for i in 0..5 {
            for j in 0..5 {
                let same = names[i] == names[j];
                assert_eq!(
                    at(&articles[i]) == at(&articles[j]),
                    same,
                    "{} {}",
                    names[i],
                    names[j]
                );
            }
        }
    }

    #[test]
    fn project_files_are_known_by_name() {
        for name in [
            "README.md",
            "readme.txt",
            "LICENSE",
            "License.md",
            "CHANGELOG.md",
            "CONTRIBUTING.md",
            "README.de.md",
            "AUTHORS",
            "NOTICE.txt",
        ] {
            assert!(is_project_file(name), "{name}");
        }
        for name in [
            "notice.txt",
            "security.md",
            "readmes.md",
            "history-of-rome.md",
            "my-readme.md",
            "a.txt",
        ] {
            assert!(!is_project_file(name), "{name}");
        }
    }

    #[test]
    fn folders_read_markdown_and_utf16_and_skip_readmes_quietly() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::write(
            p.join("README.md"),
            "# About this folder\n\nScraped news.\n",
        )
        .unwrap();
        std::fs::write(
            p.join("LICENSE"),
            "MIT License\n\nPermission is hereby granted.\n",
        )
        .unwrap();
        std::fs::write(
            p.join("story.md"),
            "# A *Markdown* Story\n\nWith **bold** text.\n",
        )
        .unwrap();
        let mut wide = vec![0xFF, 0xFE];
        for u in "Wide Title\r\n\r\nBody in UTF-16.\r\n".encode_utf16() {
            wide.extend(u.to_le_bytes());
        }
        std::fs::write(p.join("wide.txt"), wide).unwrap();
        let (articles, warnings, failure) = load_path(p);
        assert_eq!(failure, None);
        assert!(warnings.is_empty(), "{warnings:?}");
        let mut titles: Vec<&str> = articles.iter().map(|a| &*a.title).collect();
        titles.sort();
        assert_eq!(titles, ["A Markdown Story", "Wide Title"]);
        let md = articles
            .iter()
            .find(|a| &*a.title == "A Markdown Story")
            .unwrap();
        assert_eq!(md.blocks()[0].text, "With bold text.");
        // A README given by name is read: only folders skip them.
        let (readme, _, _) = load_path(&p.join("README.md"));
        assert_eq!(&*readme[0].title, "About this folder");
    }
}

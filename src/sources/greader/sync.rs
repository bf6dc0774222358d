//! One sync with a server: the queued marks pushed (`edit-tag`, many items per request, one
//! state per request), then the pull: labels and subscriptions, the reading list since the last
//! pull (continuation paging; from a server without `stream/contents`, or BazQux, its ids and
//! then the items not archived yet), and the unread and starred sets as ids only. The items go into
//! the archive (keyed by the server's URL), so the next start, online or not, shows them; the
//! sets become marks, except where a mark made here is still waiting to be sent (it is newer:
//! it wins).

use super::api::{ApiError, ApiErrorKind, READ, READING_LIST, STARRED, Session};
use super::items::{self, Context, ItemIds, Stream, Subscriptions, Tags};
use super::queue::{Attr, Pending, Queue};
use super::{GReaderSpec, ITEM_META};
use crate::core::model::Article;
use crate::core::state::Mark;
use crate::sources::archive::Archive;
use crate::sources::fetch::Fetcher;
use crate::sources::store::Store;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Items asked for per page.
const PAGE: usize = 1000;
/// Ids asked for per page of `stream/items/ids`.
const ID_PAGE: usize = 10_000;
/// Pages of one stream at most (a continuation that never ends stops here).
const MAX_PAGES: usize = 500;
/// Items asked for per `stream/items/contents` request (servers without `stream/contents`).
const CONTENTS_BATCH: usize = 500;
/// Items per `edit-tag` request.
const EDIT_BATCH: usize = 500;
/// Tries of one `edit-tag` request, with a pause doubling from this between them.
const TRIES: u32 = 3;
const FIRST_PAUSE_MS: u64 = 200;
/// The pull asks for items crawled since the last one began, less this (clocks differ).
const OVERLAP_SECS: i64 = 300;

/// Where a sync keeps and finds things.
pub struct SyncOptions<'a> {
    pub fetcher: &'a Fetcher,
    /// The archive (articles of the server kept; an offline start shows them).
    pub archive: Option<&'a Archive>,
    /// The data folder: the queue of marks, and the marks (`state.json`) the sets update.
    pub data_dir: Option<&'a Path>,
}

/// What a sync did.
#[derive(Debug, Default)]
pub struct SyncOutcome {
    /// The server, labelled (its URL).
    pub label: String,
    /// Every article of the server known here: new, updated and archived.
    pub articles: Vec<Article>,
    /// The server's read and starred state of those articles, reconciled with the queue.
    pub marks: Vec<Mark>,
    /// Articles new to the archive, and updated in it.
    pub new: usize,
    pub updated: usize,
    /// Marks sent to the server.
    pub sent: usize,
    /// Marks still waiting to be sent.
    pub pending: usize,
    /// What failed (each names the server).
    pub failures: Vec<ApiError>,
    /// The pull did not complete: the articles are the archive's.
    pub offline: bool,
    /// Requests sent.
    pub requests: usize,
    /// Warnings that are not the server's failures (the archive, the queue's file).
    pub warnings: Vec<String>,
}

/// The article id and item id of an article from a server, if it is one.
pub fn item_of(a: &Article) -> Option<&str> {
    a.meta
        .iter()
        .find(|(k, _)| k == ITEM_META)
        .map(|(_, v)| v.as_str())
}

/// Pushes the queued marks of `spec`: `Ok` with how many were sent (none queued: no request).
pub fn push_pending(
    spec: &GReaderSpec,
    opts: &SyncOptions<'_>,
) -> (usize, usize, Option<ApiError>) {
    let Some(dir) = opts.data_dir else {
        return (0, 0, None);
    };
    let queue = Queue::new(dir, spec);
    let cache = opts.fetcher.options().cache_dir.clone();
    let mut session = Session::new(opts.fetcher, spec, cache.as_deref());
    let (sent, err) = push(&mut session, &queue);
    (sent, queue.len(), err)
}

/// Sends what the queue holds, batched by state; stops at the first failure (what was not
/// sent stays queued).
fn push(session: &mut Session<'_>, queue: &Queue) -> (usize, Option<ApiError>) {
    let pending: BTreeMap<String, Pending> = match queue.pending() {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(error = %e, "sync queue unreadable");
            return (0, None);
        }
    };
    if pending.is_empty() {
        return (0, None);
    }
    let mut sent: HashSet<&str> = HashSet::new();
    for (attr, state, add) in [
        (Attr::Read, READ, true),
        (Attr::Read, READ, false),
        (Attr::Starred, STARRED, true),
        (Attr::Starred, STARRED, false),
    ] {
        let group: Vec<(String, i64)> = pending
            .iter()
            .filter(|(_, p)| match attr {
                Attr::Read => p.read == Some(add),
                Attr::Starred => p.starred == Some(add),
            })
            .map(|(i, p)| (i.clone(), p.at))
            .collect();
        for chunk in group.chunks(EDIT_BATCH) {
            let ids: Vec<String> = chunk.iter().map(|(i, _)| i.clone()).collect();
            let mut pause = FIRST_PAUSE_MS;
            let mut tries = 0;
            loop {
                tries += 1;
                match session.edit_tag(&ids, state, add) {
                    Ok(()) => break,
                    Err(e) if tries < TRIES && retryable(&e) => {
                        tracing::info!(error = %e, tries, "edit-tag failed: trying again");
                        std::thread::sleep(std::time::Duration::from_millis(pause));
                        pause *= 2;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "marks not sent: kept for the next sync");
                        return (sent.len(), Some(e));
                    }
                }
            }
            if let Err(e) = queue.sent(chunk, attr) {
                tracing::warn!(error = %e, "sync queue not updated");
            }
            sent.extend(
                chunk
                    .iter()
                    .filter_map(|(i, _)| pending.get_key_value(i).map(|(k, _)| k.as_str())),
            );
        }
    }
    tracing::info!(sent = sent.len(), "marks sent");
    (sent.len(), None)
}

/// Worth another try: the server or the network failed, not the request.
fn retryable(e: &ApiError) -> bool {
    use crate::sources::fetch::FetchErrorKind as F;
    match &e.kind {
        ApiErrorKind::Status(s) => *s >= 500 || *s == 429,
        ApiErrorKind::Fetch(F::Connect | F::Io(_)) => true,
        _ => false,
    }
}

/// One pull and push with `spec`.
pub fn pull_and_push(spec: &GReaderSpec, opts: &SyncOptions<'_>) -> SyncOutcome {
    let started = std::time::Instant::now();
    let label = spec.label();
    let mut out = SyncOutcome {
        label: label.clone(),
        ..SyncOutcome::default()
    };
    let queue = opts.data_dir.map(|d| Queue::new(d, spec));
    let cache = opts.fetcher.options().cache_dir.clone();
    let mut session = Session::new(opts.fetcher, spec, cache.as_deref());
    let mut pushed_ok = true;
    if let Some(q) = &queue {
        let (sent, err) = push(&mut session, q);
        out.sent = sent;
        if let Some(e) = err {
            pushed_ok = false;
            out.failures.push(e);
        }
    }
    let pull_started = chrono::Utc::now().timestamp();
    let since = queue
        .as_ref()
        .and_then(Queue::last_pull)
        .map(|t| t - OVERLAP_SECS);
    // A server that failed the push (down, refusing) is not asked again.
    let pulled = match pushed_ok {
        true => pull(&mut session, spec, since, opts.archive),
        false => Err((Vec::new(), None)),
    };
    let (fresh, sets) = match pulled {
        Ok((fresh, sets)) => (fresh, Some(sets)),
        Err((fresh, err)) => {
            out.failures.extend(err);
            out.offline = true;
            (fresh, None)
        }
    };
    // Into the archive: new and changed items; the rest come back from it.
    let mut articles = fresh;
    match opts.archive {
        Some(archive) => match archive.merge(&spec.url, &articles) {
            Ok(merged) => {
                out.new = merged.added;
                out.updated = merged.updated;
                articles.extend(merged.kept);
            }
            Err(e) => out.warnings.push(format!(
                "{e}: the articles of {label} could not be archived"
            )),
        },
        None => out.new = articles.len(),
    }
    let pending = queue
        .as_ref()
        .and_then(|q| q.pending().ok())
        .unwrap_or_default();
    out.pending = pending.len();
    if let Some((unread, starred)) = sets {
        out.marks = articles
            .iter()
            .filter_map(|a| {
                let item = item_of(a)?;
                let p = pending.get(item);
                Some(Mark {
                    id: a.id.clone(),
                    read: p.and_then(|p| p.read).unwrap_or(!unread.contains(item)),
                    starred: p.and_then(|p| p.starred).unwrap_or(starred.contains(item)),
                })
            })
            .collect();
        if let Some(q) = &queue
            && let Err(e) = q.set_last_pull(pull_started)
        {
            out.warnings.push(format!("{}: {e}", q.path().display()));
        }
        if let Some(dir) = opts.data_dir {
            save_marks(&Store::new(dir), &out.marks, &mut out.warnings);
        }
    }
    out.articles = articles;
    out.requests = session.requests;
    tracing::info!(
        server = %label,
        new = out.new,
        updated = out.updated,
        sent = out.sent,
        pending = out.pending,
        failures = out.failures.len(),
        requests = out.requests,
        ms = started.elapsed().as_millis() as u64,
        "synced"
    );
    out
}

/// Saves the marks that differ from the store's (the server's state on disk, so `list
/// --unread` and the next start agree with it).
fn save_marks(store: &Store, marks: &[Mark], warnings: &mut Vec<String>) {
    let (saved, warning) = store.load();
    warnings.extend(warning);
    let saved: std::collections::HashMap<_, _> = saved
        .into_iter()
        .map(|m| (m.id, (m.read, m.starred)))
        .collect();
    let changed: Vec<Mark> = marks
        .iter()
        .filter(|m| saved.get(&m.id).copied().unwrap_or((false, false)) != (m.read, m.starred))
        .cloned()
        .collect();
    if changed.is_empty() {
        return;
    }
    if let Err(e) = store.save(&changed) {
        warnings.push(e.to_string());
    }
}

type Sets = (HashSet<String>, HashSet<String>);

/// The pull: `Ok` with the items since `since` (or, from a server without `stream/contents`,
/// those not in `archive`) and the (unread, starred) sets; `Err` with what was fetched before
/// the failure.
fn pull(
    session: &mut Session<'_>,
    spec: &GReaderSpec,
    since: Option<i64>,
    archive: Option<&Archive>,
) -> Result<(Vec<Article>, Sets), Partial> {
    let fail = |e| (Vec::new(), Some(e));
    let _: serde_json::Value = session.json("user-info", &[]).map_err(fail)?;
    let tags: Tags = session.json("tag/list", &[]).map_err(fail)?;
    let subs: Subscriptions = session.json("subscription/list", &[]).map_err(fail)?;
    let ctx = Context::new(&subs);
    tracing::debug!(
        labels = tags
            .tags
            .iter()
            .filter(|t| items::label_name(&t.id).is_some())
            .count(),
        feeds = subs.subscriptions.len(),
        "sync labels"
    );
    let listed = match spec.wants_ids() {
        true => None,
        false => reading_list(session, spec, &ctx, since)?,
    };
    let articles = match listed {
        Some(articles) => articles,
        None => by_ids(session, spec, &ctx, archive)?,
    };
    let unread = match ids(session, spec, &[("s", READING_LIST), ("xt", READ)]) {
        Ok(s) => s,
        Err(e) => return Err((articles, Some(e))),
    };
    let starred = match ids(session, spec, &[("s", STARRED)]) {
        Ok(s) => s,
        Err(e) => return Err((articles, Some(e))),
    };
    Ok((articles, (unread, starred)))
}

/// What a pull fetched before it failed, and why.
type Partial = (Vec<Article>, Option<ApiError>);

/// The reading list since `since` with `stream/contents`, every page; `Ok(None)` when the
/// server has no `stream/contents` (Miniflux answers `[]` to every call it does not know; others
/// 404, 405 or 501).
fn reading_list(
    session: &mut Session<'_>,
    spec: &GReaderSpec,
    ctx: &Context,
    since: Option<i64>,
) -> Result<Option<Vec<Article>>, Partial> {
    let mut articles = Vec::new();
    let mut seen = HashSet::new();
    let since_text = since.map(|s| s.max(0).to_string());
    let n = PAGE.to_string();
    let path = format!("stream/contents/{READING_LIST}");
    let mut cont: Option<String> = None;
    let mut pages = 0;
    let mut continuations = HashSet::new();
    loop {
        let mut q: Vec<(&str, &str)> = vec![("n", &n)];
        if let Some(s) = &since_text {
            q.push(("ot", s));
        }
        if let Some(c) = &cont {
            q.push(("c", c));
        }
        let body = match session.call(&path, &q, None, false) {
            Ok(b) if pages == 0 && b.trim_ascii_start().starts_with(b"[") => return Ok(None),
            Ok(b) => b,
            Err(ApiError {
                kind: ApiErrorKind::Status(404 | 405 | 501),
                ..
            }) if pages == 0 => return Ok(None),
            Err(e) => return Err((articles, Some(e))),
        };
        let page: Stream = match session.parse(&path, &body) {
            Ok(p) => p,
            Err(e) => return Err((articles, Some(e))),
        };
        for item in page.items {
            if let Some((id, a)) = items::to_article(spec, ctx, item)
                && seen.insert(id)
            {
                articles.push(a);
            }
        }
        pages += 1;
        cont = items::continuation(&page.continuation);
        match &cont {
            None => return Ok(Some(articles)),
            Some(c) if !continuations.insert(c.clone()) || pages >= MAX_PAGES => {
                let e = ApiError {
                    server: spec.label(),
                    kind: ApiErrorKind::Endless,
                };
                return Err((articles, Some(e)));
            }
            Some(_) => {}
        }
    }
}

/// The reading list of a server without `stream/contents` (Miniflux): every id of it with
/// `stream/items/ids`, then the items not archived yet, newest (highest id) first, many per
/// `stream/items/contents` POST. Items changed on the server after they were fetched are not
/// fetched again (their read and starred state still is, by the sets).
fn by_ids(
    session: &mut Session<'_>,
    spec: &GReaderSpec,
    ctx: &Context,
    archive: Option<&Archive>,
) -> Result<Vec<Article>, Partial> {
    let all = ids(session, spec, &[("s", READING_LIST)]).map_err(|e| (Vec::new(), Some(e)))?;
    let known = match archive.map(|a| a.ids_of(&spec.url)) {
        Some(Ok(known)) => known,
        Some(Err(e)) => {
            tracing::warn!(error = %e, "archive unreadable: every item fetched");
            HashSet::new()
        }
        None => HashSet::new(),
    };
    let mut wanted: Vec<&String> = all
        .iter()
        .filter(|i| !known.contains(spec.article_id(i).as_str()))
        .collect();
    // Highest first: for decimal ids (no leading zeros) the longer is the higher.
    wanted.sort_unstable_by(|a, b| (b.len(), b).cmp(&(a.len(), a)));
    tracing::debug!(
        server = %spec.label(),
        listed = all.len(),
        wanted = wanted.len(),
        "reading list by ids"
    );
    let mut articles = Vec::new();
    for chunk in wanted.chunks(CONTENTS_BATCH) {
        let long: Vec<String> = chunk.iter().map(|i| items::long_id(i)).collect();
        let form: Vec<(&str, &str)> = long.iter().map(|i| ("i", i.as_str())).collect();
        let page = session
            .call("stream/items/contents", &[], Some(&form), true)
            .and_then(|body| session.parse::<Stream>("stream/items/contents", &body));
        match page {
            Ok(page) => articles.extend(
                (page.items.into_iter())
                    .filter_map(|item| items::to_article(spec, ctx, item).map(|(_, a)| a)),
            ),
            Err(e) => return Err((articles, Some(e))),
        }
    }
    Ok(articles)
}

/// The item ids of a stream (as kept: see [`items::item_id`]), every page.
fn ids(
    session: &mut Session<'_>,
    spec: &GReaderSpec,
    query: &[(&str, &str)],
) -> Result<HashSet<String>, ApiError> {
    let n = ID_PAGE.to_string();
    let mut out = HashSet::new();
    let mut cont: Option<String> = None;
    let mut continuations = HashSet::new();
    for _ in 0..MAX_PAGES {
        let mut q: Vec<(&str, &str)> = query.to_vec();
        q.push(("n", &n));
        if let Some(c) = &cont {
            q.push(("c", c));
        }
        let page: ItemIds = session.json("stream/items/ids", &q)?;
        out.extend(
            page.item_refs
                .unwrap_or_default()
                .iter()
                .filter_map(|r| items::item_id(&r.id)),
        );
        cont = items::continuation(&page.continuation);
        match &cont {
            None => return Ok(out),
            Some(c) if !continuations.insert(c.clone()) => break,
            Some(_) => {}
        }
    }
    Err(ApiError {
        server: spec.label(),
        kind: ApiErrorKind::Endless,
    })
}

//! OPML subscription lists: `tidings import FILE` adds an OPML file's feeds to the config file
//! (folders become category paths), `tidings export` prints the config's sources as OPML 2.0
//! with the categories as nested outlines. An export imported again gives the same sources.

use crate::cli::SourceArgs;
use crate::config::{self, Source};
use crate::core::model::CategoryPath;
use crate::core::sanitize::sanitize_line;
use crate::sources::SourceSpec;
use crate::sources::atomic::write_atomic;
use quick_xml::escape::escape;
use quick_xml::events::{BytesStart, Event};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What an OPML file holds: its feeds, in order, and the outlines skipped with the reason.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outlines {
    pub feeds: Vec<Source>,
    /// `(what, why)`: the outline's URL (or name) and why it was not taken.
    pub skipped: Vec<(String, String)>,
}

/// A malformed OPML file: the byte offset of the problem, if known, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpmlError {
    pub offset: Option<usize>,
    pub message: String,
}

/// Reads OPML text. An outline with an `xmlUrl` is a feed; one without is a folder, and the
/// folders around a feed are its category (`World News` holding `Europe`: *World News / Europe*;
/// outside any folder, the feed's own `category` attribute counts). `http`/`https` URLs and local
/// files (`file://` URLs or paths, relative ones starting at `base`) are taken; other schemes
/// (`exec:`, `filter:`…) are skipped.
pub fn parse(text: &str, base: &Path) -> Result<Outlines, OpmlError> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut out = Outlines::default();
    // One entry per open `<outline>`: its folder name, or `None` for a feed with children.
    let mut open: Vec<Option<String>> = Vec::new();
    let mut seen_root = false;
    loop {
        let event = reader.read_event().map_err(|e| OpmlError {
            offset: usize::try_from(reader.error_position()).ok(),
            message: e.to_string(),
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) if !seen_root => {
                seen_root = true;
                if !e.local_name().as_ref().eq_ignore_ascii_case("opml") {
                    return Err(OpmlError {
                        offset: None,
                        message: "not an OPML file (no opml root element)".to_string(),
                    });
                }
            }
            Event::Start(e) if is_outline(&e) => {
                let folder = outline(&e, &open, base, &mut out);
                open.push(folder);
            }
            Event::Empty(e) if is_outline(&e) => {
                outline(&e, &open, base, &mut out);
            }
            Event::End(e) if e.local_name().as_ref().eq_ignore_ascii_case("outline") => {
                open.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err(OpmlError {
            offset: None,
            message: "not an OPML file (no opml root element)".to_string(),
        });
    }
    Ok(out)
}

fn is_outline(e: &BytesStart) -> bool {
    e.local_name().as_ref().eq_ignore_ascii_case("outline")
}

/// An attribute's value (name compared case-insensitively: `xmlUrl`, `xmlurl`).
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        a.key
            .local_name()
            .as_ref()
            .eq_ignore_ascii_case(name)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map(|v| v.into_owned())
                    .unwrap_or_else(|_| a.value.to_string())
            })
    })
}

/// Handles one outline: a feed is added to `out` (or skipped); a folder's name is returned.
fn outline(
    e: &BytesStart,
    open: &[Option<String>],
    base: &Path,
    out: &mut Outlines,
) -> Option<String> {
    let text = attr(e, "text")
        .or_else(|| attr(e, "title"))
        .map(|t| sanitize_line(&t))
        .filter(|t| !t.is_empty());
    let Some(xml_url) = attr(e, "xmlUrl") else {
        return Some(text.unwrap_or_default());
    };
    let shown = sanitize_line(xml_url.trim());
    let what = match (&text, shown.is_empty()) {
        (Some(t), true) => t.clone(),
        _ => shown.clone(),
    };
    let spec = match feed_spec(xml_url.trim(), base) {
        Ok(spec) => spec,
        Err(why) => {
            out.skipped.push((what, why));
            return None;
        }
    };
    let category = CategoryPath::from_levels(open.iter().flatten()).or_else(|| {
        attr(e, "category").and_then(|c| c.split(',').find_map(|p| CategoryPath::parse(p.trim())))
    });
    // A name that only repeats the URL or the path is no name (an export writes one so).
    let name = text.filter(|t| {
        *t != shown
            && match &spec {
                SourceSpec::Path(p) => *t != sanitize_line(&p.to_string_lossy()),
                _ => true,
            }
    });
    out.feeds.push(Source {
        spec,
        name,
        category,
        full_text: false,
        keep_days: None,
        max_articles: None,
        refresh_every: None,
    });
    None
}

/// The source an `xmlUrl` stands for, or why it is not taken.
fn feed_spec(url: &str, base: &Path) -> Result<SourceSpec, String> {
    if url.is_empty() {
        return Err("no feed URL".to_string());
    }
    match url::Url::parse(url) {
        // The summary names the URL already: the reason without it.
        Ok(u) if matches!(u.scheme(), "http" | "https") => config::check_feed_url(url)
            .map(|_| SourceSpec::Url(url.to_string()))
            .map_err(|e| format!("is not a feed URL: {}", e.why)),
        Ok(u) if u.scheme() == "file" => u
            .to_file_path()
            .map(SourceSpec::Path)
            .map_err(|_| "not a local file URL".to_string()),
        Ok(u) => Err(format!(
            "'{}:' URLs are not read (only http, https and local files)",
            sanitize_line(u.scheme())
        )),
        Err(url::ParseError::RelativeUrlWithoutBase) => Ok(SourceSpec::Path(base.join(url))),
        Err(e) => Err(format!("not a URL: {e}")),
    }
}

/// A comparison key for duplicates: URLs as the `url` crate normalizes them (scheme and host in
/// lower case, default port dropped), paths with `.` and repeated separators removed.
fn dedupe_key(spec: &SourceSpec) -> String {
    match spec {
        SourceSpec::Url(u) => url::Url::parse(u).map_or_else(|_| u.clone(), |u| u.to_string()),
        SourceSpec::Path(p) => {
            let clean: PathBuf = p.components().collect();
            format!("path:{}", clean.to_string_lossy())
        }
        SourceSpec::Bundled => "bundled".to_string(),
        SourceSpec::GReader(g) => format!("greader:{}", g.url),
    }
}

/// How a source is shown in the summary.
fn shown(s: &Source) -> String {
    match &s.spec {
        SourceSpec::Path(p) => sanitize_line(&p.to_string_lossy()),
        other => other.label(),
    }
}

/// Splits an import into the sources to add and those skipped as duplicates (of the config's
/// sources, or of an earlier outline).
pub fn new_sources(
    existing: &[Source],
    feeds: Vec<Source>,
) -> (Vec<Source>, Vec<(String, String)>) {
    let mut keys: Vec<String> = existing.iter().map(|s| dedupe_key(&s.spec)).collect();
    let (mut added, mut skipped) = (Vec::new(), Vec::new());
    for f in feeds {
        let key = dedupe_key(&f.spec);
        if keys.contains(&key) {
            skipped.push((shown(&f), "already a source".to_string()));
        } else {
            keys.push(key);
            added.push(f);
        }
    }
    (added, skipped)
}

/// `tidings import FILE`: adds the OPML file's feeds to the config file and prints what was
/// added and what was skipped, and why.
pub fn import(args: &SourceArgs, file: &Path) -> io::Result<ExitCode> {
    let fail = |msg: String| {
        eprintln!("tidings: error: {msg}");
        Ok(ExitCode::FAILURE)
    };
    let name = sanitize_line(&file.to_string_lossy());
    let Some(config_path) = args.settings.file.clone() else {
        return fail("no config folder (no home); use --config FILE".to_string());
    };
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => return fail(format!("{name}: cannot read it: {e}")),
    };
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let base = std::path::absolute(file)
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let outlines = match parse(text, &base) {
        Ok(o) => o,
        Err(e) => {
            let at = e.offset.map(|o| {
                let before = &text.as_bytes()[..o.min(text.len())];
                let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
                let col =
                    String::from_utf8_lossy(before.rsplit(|&b| b == b'\n').next().unwrap_or(&[]))
                        .chars()
                        .count()
                        + 1;
                format!("{line}:{col}: ")
            });
            return fail(format!(
                "{name}:{}{}",
                at.unwrap_or_else(|| " ".to_string()),
                sanitize_line(&e.message)
            ));
        }
    };
    let (added, duplicates) = new_sources(&args.settings.sources, outlines.feeds);
    let mut skipped = outlines.skipped;
    skipped.extend(duplicates);
    let config_name = sanitize_line(&config_path.to_string_lossy());
    if !added.is_empty() {
        let current = match std::fs::read_to_string(&config_path) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
            Err(e) => return fail(format!("{config_name}: cannot read it: {e}")),
        };
        let updated = match config::add_sources(&current, &added) {
            Ok(t) => t,
            Err(e) => return fail(format!("{config_name}: {}", sanitize_line(&e.to_string()))),
        };
        // What is written must read back.
        let config_base = config_path.parent().unwrap_or(Path::new("."));
        if let Err(e) = config::parse(&updated, &config_name, config_base) {
            return fail(format!("the updated config would not read back: {e}"));
        }
        if let Err(e) = write_atomic(&config_path, updated.as_bytes()) {
            return fail(format!("{config_name}: cannot write it: {e}"));
        }
    }
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "added {} {} to {config_name}, skipped {}",
        added.len(),
        if added.len() == 1 {
            "source"
        } else {
            "sources"
        },
        skipped.len()
    )?;
    for s in &added {
        let cat = s
            .category
            .as_ref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        writeln!(out, "  added: {}{cat}", shown(s))?;
    }
    for (what, why) in &skipped {
        writeln!(out, "  skipped: {what}: {why}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `tidings export`: the config's sources as OPML 2.0 on stdout.
pub fn export(args: &SourceArgs) -> io::Result<ExitCode> {
    let mut out = io::stdout().lock();
    out.write_all(to_opml(&args.settings.sources).as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A folder of the export: its name and what it holds, in order of first appearance.
#[derive(Default)]
struct Folder<'a> {
    name: String,
    items: Vec<Item<'a>>,
}

enum Item<'a> {
    Folder(Folder<'a>),
    Feed(&'a Source),
}

impl<'a> Folder<'a> {
    fn add(&mut self, levels: &[String], source: &'a Source) {
        let Some((first, rest)) = levels.split_first() else {
            self.items.push(Item::Feed(source));
            return;
        };
        let key = first.to_lowercase();
        let found = self.items.iter_mut().find_map(|i| match i {
            Item::Folder(f) if f.name.to_lowercase() == key => Some(f),
            _ => None,
        });
        match found {
            Some(f) => f.add(rest, source),
            None => {
                let mut f = Folder {
                    name: first.clone(),
                    items: Vec::new(),
                };
                f.add(rest, source);
                self.items.push(Item::Folder(f));
            }
        }
    }

    fn write(&self, out: &mut String, depth: usize) {
        for item in &self.items {
            let pad = "  ".repeat(depth);
            match item {
                Item::Folder(f) => {
                    let name = escape(f.name.as_str());
                    out.push_str(&format!(
                        "{pad}<outline text=\"{name}\" title=\"{name}\">\n"
                    ));
                    f.write(out, depth + 1);
                    out.push_str(&format!("{pad}</outline>\n"));
                }
                Item::Feed(s) => {
                    let (url, plain) = match &s.spec {
                        SourceSpec::Url(u) => (u.clone(), u.clone()),
                        SourceSpec::Path(p) => (
                            url::Url::from_file_path(p).map_or_else(
                                |_| p.to_string_lossy().into_owned(),
                                |u| u.to_string(),
                            ),
                            p.to_string_lossy().into_owned(),
                        ),
                        // A sync server is no feed: OPML has no place for it (nor for its
                        // credentials); its subscriptions live on the server.
                        SourceSpec::Bundled | SourceSpec::GReader(_) => continue,
                    };
                    let text = s.name.clone().unwrap_or(plain);
                    out.push_str(&format!(
                        "{pad}<outline type=\"rss\" text=\"{t}\" title=\"{t}\" xmlUrl=\"{u}\"/>\n",
                        t = escape(text.as_str()),
                        u = escape(url.as_str()),
                    ));
                }
            }
        }
    }
}

/// OPML 2.0 for sources: each category a nested outline (`World News` holding `Europe`), each
/// source an `rss` outline with its name (else its URL or path) as text and title; paths as
/// `file://` URLs.
pub fn to_opml(sources: &[Source]) -> String {
    let mut root = Folder::default();
    for s in sources {
        let levels = s.category.as_ref().map_or(&[][..], |c| c.levels());
        root.add(levels, s);
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    \
         <title>tidings sources</title>\n  </head>\n  <body>\n",
    );
    root.write(&mut out, 2);
    out.push_str("  </body>\n</opml>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Mine</title></head>
  <body>
    <outline text="World News">
      <outline title="Europe">
        <outline type="rss" text="Harbour &amp; Wire" xmlUrl="https://harbour.example/feed.xml"/>
        <outline type="rss" text="https://north.example/atom" xmlUrl="https://north.example/atom"/>
      </outline>
      <outline type="rss" text="Globe" xmlUrl="http://globe.example/rss"/>
    </outline>
    <outline type="rss" text="Local" xmlUrl="file:///srv/news"/>
    <outline type="rss" text="Relative" xmlUrl="archive/feeds"/>
    <outline type="rss" text="Script" xmlUrl="exec:/usr/bin/make-feed"/>
    <outline type="rss" text="Tagged" category="/Tech/AI,/Other" xmlUrl="https://ai.example/"/>
  </body>
</opml>"#;

    #[test]
    fn folders_become_categories() {
        let o = parse(OPML, Path::new("/home/me")).unwrap();
        let got: Vec<(String, Option<String>, Option<String>)> = o
            .feeds
            .iter()
            .map(|s| {
                (
                    shown(s),
                    s.name.clone(),
                    s.category.as_ref().map(|c| c.to_string()),
                )
            })
            .collect();
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            got,
            [
                (
                    "https://harbour.example/feed.xml".into(),
                    s("Harbour & Wire"),
                    s("World News / Europe")
                ),
                (
                    "https://north.example/atom".into(),
                    None,
                    s("World News / Europe")
                ),
                (
                    "http://globe.example/rss".into(),
                    s("Globe"),
                    s("World News")
                ),
                ("/srv/news".into(), s("Local"), None),
                ("/home/me/archive/feeds".into(), s("Relative"), None),
                ("https://ai.example/".into(), s("Tagged"), s("Tech / AI")),
            ]
        );
        assert_eq!(o.skipped.len(), 1);
        assert_eq!(o.skipped[0].0, "exec:/usr/bin/make-feed");
        assert!(o.skipped[0].1.contains("'exec:' URLs are not read"));
    }

    #[test]
    fn malformed_and_non_opml_files_are_errors() {
        let e = parse("<opml><body><outline></body></opml>", Path::new("/")).unwrap_err();
        assert!(e.offset.is_some());
        let e = parse("<rss><channel/></rss>", Path::new("/")).unwrap_err();
        assert!(e.message.contains("not an OPML file"));
        assert!(parse("", Path::new("/")).is_err());
    }

    #[test]
    fn duplicates_are_skipped() {
        let existing = vec![Source {
            spec: SourceSpec::Url("HTTPS://Harbour.example:443/feed.xml".into()),
            name: None,
            category: None,
            full_text: false,
            keep_days: None,
            max_articles: None,
            refresh_every: None,
        }];
        let o = parse(OPML, Path::new("/home/me")).unwrap();
        let mut feeds = o.feeds;
        feeds.push(feeds[1].clone());
        let (added, skipped) = new_sources(&existing, feeds);
        assert_eq!(added.len(), 5);
        assert_eq!(
            skipped,
            [
                (
                    "https://harbour.example/feed.xml".to_string(),
                    "already a source".to_string()
                ),
                (
                    "https://north.example/atom".to_string(),
                    "already a source".to_string()
                ),
            ]
        );
    }

    #[test]
    fn export_then_import_gives_the_same_sources() {
        let o = parse(OPML, Path::new("/home/me")).unwrap();
        let xml = to_opml(&o.feeds);
        assert!(xml.contains("<outline text=\"World News\" title=\"World News\">"));
        assert!(xml.contains("text=\"Harbour &amp; Wire\""));
        assert!(xml.contains("xmlUrl=\"file:///srv/news\""));
        let again = parse(&xml, Path::new("/elsewhere")).unwrap();
        assert!(again.skipped.is_empty());
        let mut a = o.feeds.clone();
        let mut b = again.feeds;
        let key = |s: &Source| dedupe_key(&s.spec);
        a.sort_by_key(key);
        b.sort_by_key(key);
        assert_eq!(a, b);
    }
}

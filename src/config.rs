//! The configuration file, `config.toml`: sources, fetch settings, category aliases, colours and
//! keys (see docs/config.md). It is read and checked whole before anything runs; a problem is
//! reported as `FILE:LINE:COLUMN: message` and nothing of the file is used.

use crate::cli::{Cli, Command};
use crate::core::model::{Article, CategoryPath};
use crate::core::sanitize::sanitize_line;
use crate::keymap::{self, Context, Keymap};
use crate::sources::SourceSpec;
use crate::ui::theme::{self, Colors, Theme};
use serde::{Deserialize, Deserializer, de};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// A problem with the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file, as named to the user.
    pub file: String,
    /// Line and column (from 1) of the problem, when it has a place in the file.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// The checked configuration. `Config::default()` is the empty one (no file).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from, or would be (`None`: no config folder).
    pub file: Option<PathBuf>,
    pub sources: Vec<Source>,
    pub fetch: Fetch,
    /// An article category whose key (see [`CategoryPath::key`]) is here becomes the value.
    pub aliases: HashMap<Vec<String>, CategoryPath>,
    pub colors: Colors,
    /// `(action name, keys)`, checked with [`Keymap::with_overrides`].
    pub keys: Vec<(String, Vec<String>)>,
}

/// One `[[sources]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// A path (`~` expanded, relative to the config file's folder) or an `http`/`https` URL.
    pub spec: SourceSpec,
    /// Shown as the source of its articles.
    pub name: Option<String>,
    /// The category of its articles that carry none.
    pub category: Option<CategoryPath>,
    /// Fetch each article's full story from its link in the background (`full_text = true`).
    pub full_text: bool,
}

/// `[fetch]`: each `None` leaves the default (or the command-line flag) alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fetch {
    pub timeout: Option<u64>,
    pub connect_timeout: Option<u64>,
    pub concurrency: Option<u64>,
    pub per_host: Option<u64>,
    pub max_size: Option<u64>,
}

/// `$XDG_CONFIG_HOME/tidings/config.toml` (or the platform's equivalent), if there is a home.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "tidings").map(|d| d.config_dir().join("config.toml"))
}

/// Reads the config: `explicit` (`--config`), which must exist, else the default file, which
/// need not (no file: the empty config).
pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
    load_from(explicit, true)
}

/// [`load`]; `must_exist: false` lets a missing `--config` file be the empty config too (for
/// `import`, which creates it).
pub fn load_from(explicit: Option<&Path>, must_exist: bool) -> Result<Config, ConfigError> {
    let Some(path) = explicit.map(Path::to_path_buf).or_else(default_path) else {
        return Ok(Config::default());
    };
    let name = sanitize_line(&path.to_string_lossy());
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| ConfigError {
            file: name.clone(),
            at: None,
            message: "not UTF-8 text".to_string(),
        })?,
        Err(e) if e.kind() == io::ErrorKind::NotFound && (explicit.is_none() || !must_exist) => {
            return Ok(Config {
                file: Some(path),
                ..Config::default()
            });
        }
        Err(e) => {
            return Err(ConfigError {
                file: name,
                at: None,
                message: format!("cannot read it: {}", io_reason(&e)),
            });
        }
    };
    let base = std::path::absolute(&path)
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let mut config = parse(&text, &name, &base)?;
    config.file = Some(path);
    Ok(config)
}

/// An IO error's reason without Rust's `(os error 2)`.
fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

/// Loads the config named by `--config` (or the default one) into every `SourceArgs` of the
/// command line. `tidings config --example` needs none, so a broken file does not stop it.
pub fn attach(cli: &mut Cli) -> Result<(), ConfigError> {
    if matches!(cli.command, Some(Command::Config { example: true })) {
        return Ok(());
    }
    let explicit = cli.sources.config.clone().or_else(|| match &cli.command {
        Some(
            Command::List { sources, .. }
            | Command::Show { sources, .. }
            | Command::Categories { sources, .. },
        ) => sources.config.clone(),
        _ => None,
    });
    let creates = matches!(cli.command, Some(Command::Import { .. }));
    let config = Arc::new(load_from(explicit.as_deref(), !creates)?);
    cli.sources.settings = config.clone();
    if let Some(
        Command::List { sources, .. }
        | Command::Show { sources, .. }
        | Command::Categories { sources, .. },
    ) = &mut cli.command
    {
        sources.settings = config;
    }
    Ok(())
}

/// Line and column (from 1, in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Parses and checks config text. `file` names it in errors; relative paths start at `base`.
pub fn parse(text: &str, file: &str, base: &Path) -> Result<Config, ConfigError> {
    let err_at = |span: std::ops::Range<usize>, message: String| ConfigError {
        file: file.to_string(),
        at: Some(line_col(text, span.start)),
        message,
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError {
        file: file.to_string(),
        at: e.span().map(|s| line_col(text, s.start)),
        message: e.message().trim_end().to_string(),
    })?;
    let mut config = Config::default();
    for entry in raw.sources {
        let span = entry.span();
        let s = entry.into_inner();
        let spec = match (s.path, s.url) {
            (Some(p), Some(u)) => {
                let later = if p.span().start > u.span().start {
                    p.span()
                } else {
                    u.span()
                };
                return Err(err_at(
                    later,
                    "a source has either `path` or `url`, not both".to_string(),
                ));
            }
            (None, None) => {
                return Err(err_at(
                    span,
                    "a source needs `path` (a file or folder) or `url` (a feed)".to_string(),
                ));
            }
            (None, Some(u)) => SourceSpec::Url(u.into_inner().0),
            (Some(p), None) => {
                let p_span = p.span();
                let path =
                    resolve_path(p.get_ref(), base).map_err(|m| err_at(p_span, m.to_string()))?;
                SourceSpec::Path(path)
            }
        };
        let name = match s.name {
            Some(n) => {
                let clean = sanitize_line(n.get_ref());
                if clean.is_empty() {
                    return Err(err_at(n.span(), "the name is empty".to_string()));
                }
                Some(clean)
            }
            None => None,
        };
        config.sources.push(Source {
            spec,
            name,
            category: s.category.map(|c| c.0),
            full_text: s.full_text.unwrap_or(false),
        });
    }
    config.fetch = Fetch {
        timeout: raw.fetch.timeout.map(|b| b.0),
        connect_timeout: raw.fetch.connect_timeout.map(|b| b.0),
        concurrency: raw.fetch.concurrency.map(|b| b.0),
        per_host: raw.fetch.per_host.map(|b| b.0),
        max_size: raw.fetch.max_size.map(|s| s.0),
    };
    config.aliases = raw
        .categories
        .aliases
        .into_iter()
        .map(|(from, to)| (from.0.key(), to.0))
        .collect();
    let t = raw.theme;
    let c = |v: Option<Colour>| v.map(|c| c.0);
    config.colors = Colors {
        accent: c(t.accent),
        unread: c(t.unread),
        heading: c(t.heading),
        link: c(t.link),
        quote: c(t.quote),
        code: c(t.code),
        source: c(t.source),
        warning: c(t.warning),
    };
    if let Some(keys) = raw.keys {
        let table_span = keys.span();
        for (action, list) in keys.into_inner() {
            let mut names = Vec::new();
            for k in list {
                keymap::parse_key(k.get_ref()).map_err(|m| err_at(k.span(), m))?;
                names.push(k.into_inner());
            }
            config.keys.push((action.0, names));
        }
        Keymap::default()
            .with_overrides(&config.keys)
            .map_err(|m| err_at(table_span, m))?;
    }
    Ok(config)
}

/// `~` and `~/…` are the home folder; a relative path starts at `base`; a `file://` URL is its
/// path.
fn resolve_path(text: &str, base: &Path) -> Result<PathBuf, &'static str> {
    let t = text.trim();
    if t.is_empty() {
        return Err("the path is empty");
    }
    if t.len() > 7 && t[..7].eq_ignore_ascii_case("file://") {
        return url::Url::parse(t)
            .ok()
            .and_then(|u| u.to_file_path().ok())
            .ok_or("not a local file URL");
    }
    let home = || directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf());
    let path = if t == "~" {
        home().ok_or("no home folder for `~`")?
    } else if let Some(rest) = t.strip_prefix("~/") {
        home().ok_or("no home folder for `~`")?.join(rest)
    } else {
        base.join(t)
    };
    // `a/../b` is `b`, so a path reads the same however it was written (and exports cleanly).
    let mut clean = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir
                if matches!(
                    clean.components().next_back(),
                    Some(std::path::Component::Normal(_))
                ) =>
            {
                clean.pop();
            }
            c => clean.push(c),
        }
    }
    Ok(clean)
}

impl Config {
    /// The sources to load when none is given on the command line (none: the bundled samples).
    pub fn specs(&self) -> Vec<SourceSpec> {
        self.sources.iter().map(|s| s.spec.clone()).collect()
    }

    /// What the config does to loaded articles, for the source labelled `source_label` (its
    /// [`SourceSpec::label`], or the sanitized URL of a fetched feed): the source's `name` and
    /// default category (for articles without one), then the category aliases (any source).
    pub fn apply(&self, source_label: &str, articles: &mut [Article]) {
        if let Some(s) = self.sources.iter().find(|s| s.spec.label() == source_label) {
            let name: Option<std::sync::Arc<str>> = s.name.as_deref().map(Into::into);
            for a in articles.iter_mut() {
                if let Some(name) = &name {
                    a.source = name.clone();
                }
                if a.categories.is_empty()
                    && let Some(c) = &s.category
                {
                    a.categories.push(c.clone());
                }
            }
        }
        self.apply_aliases(articles);
    }

    /// The `name` of each named source, by its label (as for [`Config::apply`]), sanitized.
    pub fn source_names(&self) -> HashMap<String, String> {
        self.sources
            .iter()
            .filter_map(|s| {
                let name = crate::core::sanitize::sanitize_line(s.name.as_deref()?);
                (!name.is_empty()).then(|| (s.spec.label(), name))
            })
            .collect()
    }

    /// True when the source labelled `source_label` (as for [`Config::apply`]) has
    /// `full_text = true`: its articles' full stories are fetched without being asked for.
    pub fn full_text_for(&self, source_label: &str) -> bool {
        self.sources
            .iter()
            .any(|s| s.full_text && s.spec.label() == source_label)
    }

    /// Renames the categories the aliases name, dropping duplicates that result.
    pub fn apply_aliases(&self, articles: &mut [Article]) {
        if self.aliases.is_empty() {
            return;
        }
        for a in articles.iter_mut() {
            let mut changed = false;
            for c in a.categories.iter_mut() {
                if let Some(to) = self.aliases.get(&c.key()) {
                    c.clone_from(to);
                    changed = true;
                }
            }
            if changed && a.categories.len() > 1 {
                let mut seen = Vec::new();
                a.categories.retain(|c| {
                    let k = c.key();
                    let new = !seen.contains(&k);
                    seen.push(k);
                    new
                });
            }
        }
    }

    /// The key table with the config's `[keys]`.
    pub fn keymap(&self) -> Keymap {
        // Checked when the config was read; the defaults if that ever changes.
        Keymap::default()
            .with_overrides(&self.keys)
            .unwrap_or_default()
    }

    /// The theme for the environment with the config's colours.
    pub fn theme(&self) -> Theme {
        Theme::with_colors(self.colors)
    }
}

// The file as serde reads it. Values are checked as they are read, so toml puts their place in
// the error; what spans several keys is checked in `parse` with the spans kept here.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    sources: Vec<Spanned<RawSource>>,
    #[serde(default)]
    fetch: RawFetch,
    #[serde(default)]
    categories: RawCategories,
    #[serde(default)]
    theme: RawTheme,
    #[serde(default)]
    keys: Option<Spanned<BTreeMap<ActionName, Vec<Spanned<String>>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    path: Option<Spanned<String>>,
    url: Option<Spanned<FeedUrl>>,
    name: Option<Spanned<String>>,
    category: Option<Category>,
    full_text: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFetch {
    timeout: Option<Bounded<1, 3600>>,
    connect_timeout: Option<Bounded<1, 3600>>,
    concurrency: Option<Bounded<1, 64>>,
    per_host: Option<Bounded<1, 64>>,
    max_size: Option<Size>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCategories {
    #[serde(default)]
    aliases: BTreeMap<Category, Category>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    accent: Option<Colour>,
    unread: Option<Colour>,
    heading: Option<Colour>,
    link: Option<Colour>,
    quote: Option<Colour>,
    code: Option<Colour>,
    source: Option<Colour>,
    warning: Option<Colour>,
}

/// An absolute `http`/`https` URL with a host, as written.
#[derive(Deserialize)]
#[serde(try_from = "String")]
struct FeedUrl(String);

impl TryFrom<String> for FeedUrl {
    type Error = String;
    fn try_from(s: String) -> Result<FeedUrl, String> {
        let t = s.trim();
        check_feed_url(t)?;
        Ok(FeedUrl(t.to_string()))
    }
}

/// Ok for an absolute `http`/`https` URL with a host.
pub fn check_feed_url(t: &str) -> Result<url::Url, String> {
    let shown = sanitize_line(t);
    match url::Url::parse(t) {
        Ok(u)
            if matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some_and(|h| !h.is_empty()) =>
        {
            Ok(u)
        }
        Ok(u) if matches!(u.scheme(), "http" | "https") => {
            Err(format!("'{shown}' is not a feed URL: it has no host"))
        }
        Ok(u) => Err(format!(
            "'{shown}' is not a feed URL: only http and https are read, not {}",
            u.scheme()
        )),
        Err(e) => Err(format!("'{shown}' is not a feed URL: {e}")),
    }
}

/// A category path (`World News / Europe`).
#[derive(Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(try_from = "String")]
struct Category(CategoryPath);

impl TryFrom<String> for Category {
    type Error = String;
    fn try_from(s: String) -> Result<Category, String> {
        CategoryPath::parse(&s)
            .map(Category)
            .ok_or_else(|| format!("'{}' is not a category path", sanitize_line(&s)))
    }
}

/// An integer from `MIN` to `MAX`.
#[derive(Deserialize)]
#[serde(try_from = "i64")]
struct Bounded<const MIN: i64, const MAX: i64>(u64);

impl<const MIN: i64, const MAX: i64> TryFrom<i64> for Bounded<MIN, MAX> {
    type Error = String;
    fn try_from(v: i64) -> Result<Self, String> {
        if (MIN..=MAX).contains(&v) {
            Ok(Bounded(v as u64))
        } else {
            Err(format!("{v} is out of range: from {MIN} to {MAX}"))
        }
    }
}

/// A size: bytes, or a string with a K, M or G suffix (`"32M"`).
struct Size(u64);

impl<'de> Deserialize<'de> for Size {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Size, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Size;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a size such as \"32M\", \"512K\" or a number of bytes")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Size, E> {
                crate::cli::parse_size(s).map(Size).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Size, E> {
                u64::try_from(v)
                    .ok()
                    .filter(|&v| v > 0)
                    .map(Size)
                    .ok_or_else(|| E::custom(format!("{v} is not a size: it must be above 0")))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Size, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }
        }
        d.deserialize_any(V)
    }
}

/// A colour: a name, `#rrggbb`, or a 256-colour index (a string or a number).
struct Colour(ratatui::style::Color);

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Colour, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Colour;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a colour such as \"cyan\", \"light red\", \"#ff8800\" or \"208\"")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Colour, E> {
                theme::parse_color(s).map(Colour).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Colour, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Colour, E> {
                self.visit_str(&v.to_string())
            }
        }
        d.deserialize_any(V)
    }
}

/// The name of an action `[keys]` can rebind.
#[derive(Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(try_from = "String")]
struct ActionName(String);

impl TryFrom<String> for ActionName {
    type Error = String;
    fn try_from(s: String) -> Result<ActionName, String> {
        if keymap::action_named(&s).is_some() {
            Ok(ActionName(s))
        } else {
            let names: Vec<&str> = keymap::action_names().iter().map(|(n, _)| *n).collect();
            Err(format!(
                "unknown action '{}' (actions: {})",
                sanitize_line(&s),
                names.join(", ")
            ))
        }
    }
}

/// Adds sources to config text with `toml_edit`, keeping everything else as written (comments,
/// order, layout): new `[[sources]]` tables go after the last existing one.
pub fn add_sources(text: &str, new: &[Source]) -> Result<String, String> {
    use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value, value};
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    let fields = |s: &Source| {
        let mut out: Vec<(&'static str, String)> = Vec::new();
        match &s.spec {
            SourceSpec::Url(u) => out.push(("url", u.clone())),
            SourceSpec::Path(p) => out.push(("path", p.to_string_lossy().into_owned())),
            SourceSpec::Bundled => {}
        }
        if let Some(n) = &s.name {
            out.push(("name", n.clone()));
        }
        if let Some(c) = &s.category {
            out.push(("category", c.to_string()));
        }
        out
    };
    let item = doc
        .entry("sources")
        .or_insert(Item::ArrayOfTables(ArrayOfTables::new()));
    match item {
        Item::ArrayOfTables(tables) => {
            let last = tables.iter().filter_map(|t| t.position()).max();
            for s in new {
                let mut t = Table::new();
                for (k, v) in fields(s) {
                    t[k] = value(v);
                }
                t.set_position(last);
                tables.push(t);
            }
        }
        Item::Value(Value::Array(array)) => {
            for s in new {
                let mut t = InlineTable::new();
                for (k, v) in fields(s) {
                    t.insert(k, v.into());
                }
                array.push(t);
            }
        }
        _ => return Err("`sources` is not a list of tables".to_string()),
    }
    Ok(doc.to_string())
}

/// Replaces `path` with `contents` atomically: a temporary file in the same folder, written and
/// synced, then renamed over it (the folder is created if missing; the old file's permissions
/// are kept; a symlink's target is what is replaced).
pub fn write_atomically(path: &Path, contents: &str) -> io::Result<()> {
    // A symlinked config (dotfile managers) stays a link: its target is replaced.
    let resolved = std::fs::canonicalize(path);
    let path = resolved.as_deref().unwrap_or(path);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config.toml".to_string());
    let mut n = 0u32;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(".{file_name}.{}.{n}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(e),
        }
    };
    let result = (|| {
        file.write_all(contents.as_bytes())?;
        if let Ok(meta) = std::fs::metadata(path) {
            file.set_permissions(meta.permissions())?;
        }
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        // The rename itself is durable once the folder is synced (not possible everywhere).
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// `tidings config`: the config file's path; `--example`: a commented example of every key.
pub fn command(config: &Config, example: bool) -> io::Result<std::process::ExitCode> {
    let mut out = io::stdout().lock();
    if example {
        out.write_all(example_config().as_bytes())?;
    } else {
        match &config.file {
            Some(p) => writeln!(out, "{}", p.display())?,
            None => {
                eprintln!("tidings: error: no config folder (no home); use --config FILE");
                return Ok(std::process::ExitCode::FAILURE);
            }
        }
    }
    out.flush()?;
    Ok(std::process::ExitCode::SUCCESS)
}

const EXAMPLE_HEAD: &str = r##"# tidings configuration (docs/config.md has the details).
#
# The file is $XDG_CONFIG_HOME/tidings/config.toml (~/.config/tidings/config.toml), or the one
# --config FILE names. Every key is optional; an unknown key or a bad value is an error that
# names the line, so a typo never goes unnoticed.

# Sources, read when none is given on the command line (none anywhere: the bundled samples).
# Each has exactly one of `path` (an article file, a folder or a feed file; `~/` is your home,
# a relative path starts at this file's folder) or `url` (an http or https feed).
[[sources]]
url = "https://example.com/world/feed.xml"
# Shown as the source of its articles (default: the feed's title), and in `tidings export`.
name = "Example World"
# The category of its articles that carry none.
category = "World News / Europe"
# Fetch each article's full story from its web page in the background (default false; `f` in
# the reader fetches one on demand). See docs/full-text.md.
full_text = true

[[sources]]
path = "~/news"

# Fetching feed URLs. The command-line flags win over these.
[fetch]
# Seconds for a whole request (1 to 3600; default 30; --timeout).
timeout = 30
# Seconds to connect (1 to 3600; default 10).
connect_timeout = 10
# Requests at once (1 to 64; default 8; --concurrency).
concurrency = 8
# Requests at once to one host (1 to 64; default 2).
per_host = 2
# The largest feed body accepted: bytes, or "512K", "32M", "1G" (default "32M"; --max-size).
max_size = "32M"

# Categories renamed as articles load: an article category equal to the name on the left
# (ignoring case, spaces and how levels are separated) becomes the one on the right.
[categories.aliases]
"Europe" = "World News / Europe"
"Tech" = "Technology"

# Colours by role: a name (black, red, green, yellow, blue, magenta, cyan, gray, dark gray,
# white, light red, light green, light yellow, light blue, light magenta, light cyan), "#rrggbb"
# or a 256-colour index ("208"). NO_COLOR still turns colour off.
[theme]
accent = "cyan"         # focused pane borders and titles, the selection in other panes
unread = "yellow"       # the unread mark
heading = "cyan"        # headings in articles and in the help
link = "blue"           # links in articles
quote = "green"         # quotes in articles
code = "yellow"         # code in articles
source = "blue"         # source names
warning = "light red"   # warnings and failed sources

# Keys: an action's keys replace its default keys wherever the action applies (an empty list
# unbinds it); other bindings give those keys up. A key is a character (q, G, /), a name (Enter,
# Esc, Tab, Space, Up, Down, Left, Right, PgUp, PgDn, Home, End, Backspace, Delete, Insert,
# F1 to F12), after ctrl-, alt- or shift- if need be (ctrl-c, shift-tab). Ctrl-C always quits.
# Every action, with its default keys:
[keys]
"##;

/// The text `tidings config --example` prints: every key, with comments; the `[keys]` part lists
/// every action with its default keys, from the key table.
pub fn example_config() -> String {
    let km = Keymap::default();
    let order = [
        Context::Global,
        Context::Tree,
        Context::Headlines,
        Context::Reader,
        Context::Help,
        Context::Links,
    ];
    let rows: Vec<(String, &str)> = keymap::action_names()
        .into_iter()
        .filter_map(|(name, action)| {
            let b = order.iter().find_map(|ctx| {
                km.bindings
                    .iter()
                    .find(|b| b.context == *ctx && b.action == action)
            })?;
            let keys: Vec<String> = b
                .keys
                .iter()
                .map(|k| {
                    let s = k.to_string().replace('\\', "\\\\").replace('"', "\\\"");
                    format!("\"{s}\"")
                })
                .collect();
            // The table describes these per pane; one line for all.
            let what = match name {
                "choose" => "filter to the category, open the article or the link",
                "back" => "back a pane (in the tree: fold, or go up)",
                _ => b.description,
            };
            Some((format!("{name} = [{}]", keys.join(", ")), what))
        })
        .collect();
    let width = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::from(EXAMPLE_HEAD);
    for (line, what) in &rows {
        // `quit` set as an example; the others commented out.
        let lead = if line.starts_with("quit ") { "" } else { "# " };
        let pad = width - line.chars().count() + 2 - lead.len();
        out.push_str(&format!("{lead}{line}{:pad$}  # {what}\n", ""));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::ArticleId;

    fn parse_ok(text: &str) -> Config {
        parse(text, "c.toml", Path::new("/base")).unwrap()
    }

    fn parse_err(text: &str) -> String {
        parse(text, "c.toml", Path::new("/base"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn empty_and_full_configs() {
        let c = parse_ok("");
        assert!(c.sources.is_empty() && c.keys.is_empty() && c.aliases.is_empty());
        let c = parse_ok(&example_config());
        assert_eq!(c.sources.len(), 2);
        assert_eq!(
            c.sources[0].spec,
            SourceSpec::Url("https://example.com/world/feed.xml".into())
        );
        assert_eq!(c.sources[0].name.as_deref(), Some("Example World"));
        assert_eq!(
            c.sources[0].category.as_ref().map(|c| c.to_string()),
            Some("World News / Europe".into())
        );
        assert_eq!(c.fetch.max_size, Some(32 << 20));
        assert_eq!(c.fetch.per_host, Some(2));
        assert_eq!(c.colors.warning, Some(ratatui::style::Color::LightRed));
        assert_eq!(c.keys.len(), 1);
    }

    #[test]
    fn the_example_lists_every_action_and_each_line_parses_uncommented() {
        let ex = example_config();
        let uncommented: String = ex
            .lines()
            .skip_while(|l| *l != "[keys]")
            .map(|l| l.strip_prefix("# ").unwrap_or(l))
            .filter(|l| !l.starts_with("Every") && !l.starts_with("Keys"))
            .collect::<Vec<_>>()
            .join("\n");
        let c = parse_ok(&uncommented);
        assert_eq!(c.keys.len(), keymap::action_names().len());
        // Setting every action to its listed defaults changes nothing that resolves.
        let km = c.keymap();
        for b in &Keymap::default().bindings {
            let mine = km
                .bindings
                .iter()
                .find(|m| m.context == b.context && m.action == b.action);
            assert!(mine.is_some(), "{:?} {:?}", b.context, b.action);
        }
    }

    #[test]
    fn paths_resolve_against_the_config_folder() {
        let c = parse_ok(
            "[[sources]]\npath = \"news\"\n[[sources]]\npath = \"/abs/./x/../\"\n\
             [[sources]]\npath = \"file:///srv/feeds\"\n",
        );
        let specs = c.specs();
        assert_eq!(specs[0], SourceSpec::Path(PathBuf::from("/base/news")));
        assert_eq!(specs[1], SourceSpec::Path(PathBuf::from("/abs")));
        assert_eq!(specs[2], SourceSpec::Path(PathBuf::from("/srv/feeds")));
    }

    #[test]
    fn errors_name_line_and_column() {
        assert_eq!(
            parse_err("[fetch]\ntimeout = \"30\"\n"),
            "c.toml:2:11: invalid type: string \"30\", expected i64"
        );
        assert!(
            parse_err("\n[fetch]\nbogus = 1\n").starts_with("c.toml:3:1: unknown field `bogus`")
        );
        assert!(parse_err("[fetch]\ntimeout = 0\n").starts_with("c.toml:2:11: 0 is out of range"));
        assert!(
            parse_err("[fetch]\nmax_size = \"lots\"\n")
                .starts_with("c.toml:2:12: 'lots' is not a size")
        );
        assert!(
            parse_err("[[sources]]\nurl = \"ftp://x.org/f\"\n")
                .starts_with("c.toml:2:7: 'ftp://x.org/f' is not a feed URL: only http and https")
        );
        assert!(
            parse_err("[[sources]]\nurl = \"nope\"\n")
                .starts_with("c.toml:2:7: 'nope' is not a feed URL")
        );
        assert_eq!(
            parse_err("[[sources]]\nurl = \"https://a.org/\"\n\n[[sources]]\nname = \"x\"\n"),
            "c.toml:4:1: a source needs `path` (a file or folder) or `url` (a feed)"
        );
        assert_eq!(
            parse_err("[[sources]]\nurl = \"https://a.org/\"\npath = \"x\"\n"),
            "c.toml:3:8: a source has either `path` or `url`, not both"
        );
        assert!(
            parse_err("[theme]\naccent = \"cyann\"\n")
                .starts_with("c.toml:2:10: 'cyann' is not a colour")
        );
        assert!(
            parse_err("[keys]\njump = [\"j\"]\n").starts_with("c.toml:2:1: unknown action 'jump'")
        );
        assert!(
            parse_err("[keys]\nquit = [\"q\", \"hyper-q\"]\n")
                .starts_with("c.toml:2:14: 'hyper-q' is not a key")
        );
        assert_eq!(
            parse_err("[keys]\nquit = [\"x\"]\nsearch = [\"x\"]\n"),
            "c.toml:1:1: the key x is given to both quit and search"
        );
        assert!(
            parse_err("[categories.aliases]\n\"Europe\" = \" / \"\n")
                .starts_with("c.toml:2:12: '/' is not a category path")
        );
        assert!(parse_err("x = [\n").starts_with("c.toml:1:6: "));
    }

    fn article(cats: &[&str]) -> Article {
        Article {
            id: ArticleId::from_key("k"),
            title: "t".into(),
            source: "Feed".into(),
            author: None,
            date: chrono::Utc::now(),
            dated: true,
            link: None,
            categories: cats.iter().filter_map(|c| CategoryPath::parse(c)).collect(),
            standfirst: None,
            blocks: Vec::new(),
            words: 0,
            meta: Vec::new(),
            origin: "o".into(),
            pending: None,
            stored: None,
        }
    }

    #[test]
    fn apply_sets_defaults_and_aliases() {
        let c = parse_ok(
            "[[sources]]\nurl = \"https://a.org/feed\"\nname = \"A\"\ncategory = \"World / Misc\"\n\
             [categories.aliases]\n\"europe\" = \"World News / Europe\"\n\"tech/AI\" = \"Technology / AI\"\n",
        );
        let mut arts = vec![
            article(&[]),
            article(&["Europe", "World News/Europe"]),
            article(&["TECH  /  ai", "Sport"]),
        ];
        c.apply("https://a.org/feed", &mut arts);
        let cats = |a: &Article| {
            a.categories
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(cats(&arts[0]), ["World / Misc"]);
        assert_eq!(cats(&arts[1]), ["World News / Europe"]);
        assert_eq!(cats(&arts[2]), ["Technology / AI", "Sport"]);
        assert!(arts.iter().all(|a| &*a.source == "A"));
        // Another source: aliases only.
        let mut other = vec![article(&[]), article(&["europe"])];
        c.apply("https://b.org/feed", &mut other);
        assert!(other[0].categories.is_empty());
        assert_eq!(&*other[0].source, "Feed");
        assert_eq!(cats(&other[1]), ["World News / Europe"]);
    }

    #[test]
    fn add_sources_keeps_comments_and_order() {
        let text = "# mine\n[[sources]]\nurl = \"https://a.org/\" # first\n\n# fetch\n[fetch]\ntimeout = 5\n";
        let out = add_sources(
            text,
            &[Source {
                spec: SourceSpec::Url("https://b.org/".into()),
                name: Some("B".into()),
                category: CategoryPath::parse("World / Europe"),
                full_text: false,
            }],
        )
        .unwrap();
        assert_eq!(
            out,
            "# mine\n[[sources]]\nurl = \"https://a.org/\" # first\n\n[[sources]]\nurl = \"https://b.org/\"\n\
             name = \"B\"\ncategory = \"World / Europe\"\n\n# fetch\n[fetch]\ntimeout = 5\n"
        );
        let c = parse_ok(&out);
        assert_eq!(c.sources.len(), 2);
        let out = add_sources(
            "",
            &[Source {
                spec: SourceSpec::Path("/n".into()),
                name: None,
                category: None,
                full_text: false,
            }],
        )
        .unwrap();
        assert_eq!(out, "[[sources]]\npath = \"/n\"\n");
    }

    #[test]
    fn atomic_write_replaces_the_file() {
        let dir = std::env::temp_dir().join(format!("tidings-config-{}", std::process::id()));
        let path = dir.join("sub").join("config.toml");
        write_atomically(&path, "a = 1\n").unwrap();
        write_atomically(&path, "a = 2\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a = 2\n");
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1);
        // Through a symlink: the target is replaced, the link stays.
        #[cfg(unix)]
        {
            let link = dir.join("link.toml");
            std::os::unix::fs::symlink(&path, &link).unwrap();
            write_atomically(&link, "a = 3\n").unwrap();
            assert!(
                std::fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(std::fs::read_to_string(&path).unwrap(), "a = 3\n");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

//! Finding, reading and checking the config file. Every problem is a [`ConfigError`] naming the
//! file and, when it has one, the place (`FILE:LINE:COLUMN: message`).

use super::filters::{Field, Filter, FilterAction};
use super::schema::{Colour, RawConfig};
use super::{Archive, Config, Fetch, Source};
use crate::core::sanitize::sanitize_line;
use crate::keymap::{self, Keymap};
use crate::sources::SourceSpec;
use crate::ui::theme::Colors;
use std::io;
use std::path::{Path, PathBuf};

/// A problem with the config file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", place(.at))]
pub struct ConfigError {
    /// The file, as named to the user.
    pub file: String,
    /// Line and column (from 1) of the problem, when it has a place in the file.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

/// `:LINE:COLUMN`, or nothing.
fn place(at: &Option<(usize, usize)>) -> String {
    at.map(|(line, column)| format!(":{line}:{column}"))
        .unwrap_or_default()
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
            keep_days: s.keep_days.map(|b| b.0 as u32),
            max_articles: s.max_articles.map(|b| b.0 as usize),
            refresh_every: s.refresh_every.map(|e| e.0),
        });
    }
    config.images = raw.images;
    config.fetch = Fetch {
        timeout: raw.fetch.timeout.map(|b| b.0),
        connect_timeout: raw.fetch.connect_timeout.map(|b| b.0),
        concurrency: raw.fetch.concurrency.map(|b| b.0),
        per_host: raw.fetch.per_host.map(|b| b.0),
        max_size: raw.fetch.max_size.map(|s| s.0),
    };
    config.archive = Archive {
        keep_days: raw.archive.keep_days.map(|b| b.0 as u32),
        max_articles: raw.archive.max_articles.map(|b| b.0 as usize),
        keep_unread: raw.archive.keep_unread,
    };
    config.refresh_every = raw.refresh_every.map(|e| e.0);
    config.stories = raw.stories;
    if let Some(argv) = raw.on_new {
        if argv.get_ref().first().is_none_or(|p| p.trim().is_empty()) {
            return Err(err_at(
                argv.span(),
                "on_new needs a program: [\"program\", \"argument\", …]".to_string(),
            ));
        }
        config.on_new = argv.into_inner();
    }
    for entry in raw.filters {
        let span = entry.span();
        let f = entry.into_inner();
        let action = match &f.action {
            None => FilterAction::Hide,
            Some(a) => match a.get_ref().as_str() {
                "hide" => FilterAction::Hide,
                "mark_read" => FilterAction::MarkRead,
                other => {
                    let msg = format!(
                        "unknown action '{}' (actions: hide, mark_read)",
                        sanitize_line(other)
                    );
                    return Err(err_at(a.span(), msg));
                }
            },
        };
        let named = [
            (Field::Title, f.title),
            (Field::Source, f.source),
            (Field::Category, f.category),
            (Field::Author, f.author),
            (Field::Link, f.link),
        ];
        let spans: Vec<(Field, std::ops::Range<usize>)> = named
            .iter()
            .filter_map(|(k, v)| Some((*k, v.as_ref()?.span())))
            .collect();
        let fields: Vec<(Field, String)> = named
            .into_iter()
            .filter_map(|(k, v)| Some((k, v?.into_inner())))
            .collect();
        if fields.is_empty() {
            return Err(err_at(
                span,
                "a filter needs at least one of title, source, category, author, link".to_string(),
            ));
        }
        let rule = Filter::new(fields, f.regex.unwrap_or(false), action).map_err(|(k, m)| {
            let at = spans
                .iter()
                .find(|(f, _)| *f == k)
                .map_or(span.clone(), |(_, s)| s.clone());
            err_at(at, m)
        })?;
        config.filters.0.push(rule);
    }
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
                keymap::parse_key(k.get_ref()).map_err(|m| err_at(k.span(), m.to_string()))?;
                names.push(k.into_inner());
            }
            config.keys.push((action.0, names));
        }
        Keymap::default()
            .with_overrides(&config.keys)
            .map_err(|m| err_at(table_span, m.to_string()))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Config {
        parse(text, "c.toml", Path::new("/base")).unwrap()
    }

    fn parse_err(text: &str) -> String {
        parse(text, "c.toml", Path::new("/base"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn images_are_on_unless_turned_off() {
        assert!(parse_ok("").images());
        assert!(parse_ok("images = true\n").images());
        assert!(!parse_ok("images = false\n[[sources]]\npath = \"n\"\n").images());
        assert!(parse_err("images = \"no\"\n").starts_with("c.toml:1:10: "));
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
            parse_err("[archive]\nkeep_days = 0\n").starts_with("c.toml:2:13: 0 is out of range")
        );
        assert!(parse_err("[archive]\nkeep = 1\n").starts_with("c.toml:2:1: unknown field `keep`"));
        let c = parse_ok(
            "[archive]\nkeep_days = 30\nkeep_unread = false\n[[sources]]\nurl = \"https://x.org/f\"\n\
             max_articles = 5\n",
        );
        let r = c.retention();
        assert_eq!(
            (r.keep_days, r.keep_unread, r.max_articles),
            (30, false, None)
        );
        assert_eq!(r.per_source["https://x.org/f"], (None, Some(5)));
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
}

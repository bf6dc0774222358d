//! Finding, reading and checking the config file. Every problem is a [`ConfigError`] naming the
//! file and, when it has one, the place (`FILE:LINE:COLUMN: message`).

use super::filters::{Field, Filter, FilterAction};
use super::schema::{Colour, RawConfig, RawSource};
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
        let spec = source_spec(&s, span.clone(), base, &err_at)?;
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
    if let Some(m) = raw.story_marks {
        config.story_marks_one = match m.get_ref().as_str() {
            "all" => false,
            "one" => true,
            other => {
                let msg = format!(
                    "story_marks is \"all\" or \"one\", not '{}'",
                    sanitize_line(other)
                );
                return Err(err_at(m.span(), msg));
            }
        };
    }
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

/// The source a `[[sources]]` table names: exactly one of `path`, `url` and `greader`, with the
/// keys that go with it.
fn source_spec(
    s: &RawSource,
    span: std::ops::Range<usize>,
    base: &Path,
    err_at: &dyn Fn(std::ops::Range<usize>, String) -> ConfigError,
) -> Result<SourceSpec, ConfigError> {
    let mut given: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
    if let Some(p) = &s.path {
        given.push(("path", p.span()));
    }
    if let Some(u) = &s.url {
        given.push(("url", u.span()));
    }
    if let Some(g) = &s.greader {
        given.push(("greader", g.span()));
    }
    if given.len() > 1 {
        let keys: Vec<String> = given.iter().map(|(k, _)| format!("`{k}`")).collect();
        let msg = if given.len() == 2 {
            format!("a source has either {} or {}, not both", keys[0], keys[1])
        } else {
            "a source has one of `path`, `url` and `greader`, not several".to_string()
        };
        let later = given
            .iter()
            .map(|(_, sp)| sp.clone())
            .max_by_key(|sp| sp.start);
        return Err(err_at(later.unwrap_or(span), msg));
    }
    // The keys of a server source, on another kind of source.
    let server_keys = [
        s.user.as_ref().map(|v| ("user", v.span())),
        s.password_command
            .as_ref()
            .map(|v| ("password_command", v.span())),
        s.password_env.as_ref().map(|v| ("password_env", v.span())),
        s.allow_http.as_ref().map(|v| ("allow_http", v.span())),
        s.app_id.as_ref().map(|v| ("app_id", v.span())),
        s.app_key.as_ref().map(|v| ("app_key", v.span())),
    ];
    if s.greader.is_none()
        && let Some((key, at)) = server_keys
            .into_iter()
            .flatten()
            .min_by_key(|(_, sp)| sp.start)
    {
        return Err(err_at(
            at,
            format!("`{key}` goes with `greader` (a sync server)"),
        ));
    }
    if let Some(g) = &s.greader {
        return greader_spec(s, g, span, err_at);
    }
    match (&s.path, &s.url) {
        (None, Some(u)) => Ok(SourceSpec::Url(u.get_ref().0.clone())),
        (Some(p), None) => {
            let path =
                resolve_path(p.get_ref(), base).map_err(|m| err_at(p.span(), m.to_string()))?;
            Ok(SourceSpec::Path(path))
        }
        _ => Err(err_at(
            span,
            "a source needs `path` (a file or folder), `url` (a feed) or `greader` (a sync \
             server)"
                .to_string(),
        )),
    }
}

/// A `greader` source: an http(s) URL, a `user`, and one of `password_command` and
/// `password_env`; plain http only to loopback unless `allow_http = true`. Messages never
/// quote the password's source.
fn greader_spec(
    s: &RawSource,
    g: &toml::Spanned<String>,
    span: std::ops::Range<usize>,
    err_at: &dyn Fn(std::ops::Range<usize>, String) -> ConfigError,
) -> Result<SourceSpec, ConfigError> {
    use crate::sources::greader::{AppKeys, GReaderSpec, Password, insecure_reason};
    // The API's root: without a final `/`, nor the `/reader/api/0` some services' documents
    // give as their API's address (Inoreader's).
    let url = g.get_ref().trim().trim_end_matches('/');
    let url = url.strip_suffix("/reader/api/0").unwrap_or(url).to_string();
    if let Err(e) = crate::config::check_feed_url(&url) {
        return Err(err_at(
            g.span(),
            format!("'{}' is not a Google Reader API URL: {}", e.shown, e.why),
        ));
    }
    if url::Url::parse(&url).is_ok_and(|u| !u.username().is_empty() || u.password().is_some()) {
        return Err(err_at(
            g.span(),
            "the `greader` URL must not hold a user or password: use `user` and \
             `password_command` or `password_env`"
                .to_string(),
        ));
    }
    let user = match &s.user {
        Some(u) if u.get_ref().trim().is_empty() => {
            return Err(err_at(u.span(), "the user is empty".to_string()));
        }
        Some(u) => u.get_ref().trim().to_string(),
        None => {
            return Err(err_at(
                span,
                "a `greader` source needs `user` (the account's name)".to_string(),
            ));
        }
    };
    let password = match (&s.password_command, &s.password_env) {
        (Some(c), Some(e)) => {
            let later = if c.span().start > e.span().start {
                c.span()
            } else {
                e.span()
            };
            return Err(err_at(
                later,
                "a source has either `password_command` or `password_env`, not both".to_string(),
            ));
        }
        (None, None) => {
            return Err(err_at(
                span,
                "a `greader` source needs `password_command` (a command printing the API \
                 password, e.g. [\"pass\", \"show\", \"freshrss\"]) or `password_env` (a \
                 variable holding it)"
                    .to_string(),
            ));
        }
        (Some(c), None) => {
            if c.get_ref().first().is_none_or(|p| p.trim().is_empty()) {
                return Err(err_at(
                    c.span(),
                    "`password_command` needs a program: a list such as [\"pass\", \"show\", \"x\"]"
                        .to_string(),
                ));
            }
            Password::Command(c.get_ref().clone())
        }
        (None, Some(e)) => {
            let var = e.get_ref().trim();
            if var.is_empty() || var.contains('=') || var.contains('\0') {
                return Err(err_at(
                    e.span(),
                    "`password_env` needs the name of an environment variable".to_string(),
                ));
            }
            Password::Env(var.to_string())
        }
    };
    let allow_http = s.allow_http.as_ref().is_some_and(|a| *a.get_ref());
    if let Some(why) = insecure_reason(&url, allow_http) {
        return Err(err_at(g.span(), why));
    }
    // Inoreader's app credentials: both or neither, never quoted.
    let app = match (&s.app_id, &s.app_key) {
        (None, None) => None,
        (Some(id), Some(key)) => {
            let (id_text, key_text) = (id.get_ref().trim(), key.get_ref().trim());
            let bad = |t: &str| t.is_empty() || !t.bytes().all(|b| b.is_ascii_graphic());
            if bad(id_text) || bad(key_text) {
                let at = if bad(id_text) { id.span() } else { key.span() };
                return Err(err_at(
                    at,
                    "`app_id` and `app_key` are printable ASCII without spaces".to_string(),
                ));
            }
            Some(AppKeys {
                id: id_text.to_string(),
                key: key_text.to_string(),
            })
        }
        (Some(one), None) | (None, Some(one)) => {
            return Err(err_at(
                one.span(),
                "`app_id` and `app_key` go together (Inoreader's app credentials)".to_string(),
            ));
        }
    };
    Ok(SourceSpec::GReader(Box::new(GReaderSpec {
        url,
        user,
        password,
        allow_http,
        app,
    })))
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
            "c.toml:4:1: a source needs `path` (a file or folder), `url` (a feed) or `greader` \
             (a sync server)"
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

    #[test]
    fn greader_sources_are_checked_where_they_are_written() {
        use crate::sources::greader::Password;
        let c = parse_ok(
            "[[sources]]\nname = \"home\"\ngreader = \"https://rss.example.net/api/greader.php/\"\n\
             user = \"alice\"\npassword_command = [\"pass\", \"show\", \"x\"]\n\
             [[sources]]\ngreader = \"http://127.0.0.1:8080/api/greader.php\"\nuser = \"bob\"\n\
             password_env = \"BOB_PASS\"\n",
        );
        let SourceSpec::GReader(g) = &c.sources[0].spec else {
            panic!("{:?}", c.sources[0].spec)
        };
        assert_eq!(g.url, "https://rss.example.net/api/greader.php");
        assert_eq!(g.user, "alice");
        assert_eq!(
            g.password,
            Password::Command(vec!["pass".into(), "show".into(), "x".into()])
        );
        assert_eq!(
            c.sources[0].spec.label(),
            "https://rss.example.net/api/greader.php"
        );
        assert_eq!(c.sources[0].name.as_deref(), Some("home"));
        let SourceSpec::GReader(g) = &c.sources[1].spec else {
            panic!()
        };
        assert_eq!(g.password, Password::Env("BOB_PASS".into()));
        let head = "[[sources]]\ngreader = \"https://h/api\"\n";
        let cases = [
            (
                format!("{head}password_env = \"P\"\n"),
                "c.toml:1:1: a `greader` source needs `user`",
            ),
            (
                format!("{head}user = \"u\"\n"),
                "c.toml:1:1: a `greader` source needs `password_command`",
            ),
            (
                format!("{head}user = \"u\"\npassword_env = \"P\"\npassword_command = [\"p\"]\n"),
                "c.toml:5:20: a source has either `password_command` or `password_env`, not both",
            ),
            (
                format!("{head}user = \"u\"\npassword_command = []\n"),
                "c.toml:4:20: `password_command` needs a program",
            ),
            (
                format!("{head}user = \"\"\npassword_env = \"P\"\n"),
                "c.toml:3:8: the user is empty",
            ),
            (
                "[[sources]]\ngreader = \"ftp://h/api\"\nuser = \"u\"\npassword_env = \"P\"\n"
                    .to_string(),
                "c.toml:2:11: 'ftp://h/api' is not a Google Reader API URL: only http and https",
            ),
            (
                "[[sources]]\ngreader = \"http://rss.example.net/api\"\nuser = \"u\"\npassword_env = \"P\"\n"
                    .to_string(),
                "c.toml:2:11: the password would go over plain http to a host that is not loopback",
            ),
            (
                "[[sources]]\ngreader = \"https://u:pw@h/api\"\nuser = \"u\"\npassword_env = \"P\"\n"
                    .to_string(),
                "c.toml:2:11: the `greader` URL must not hold a user or password",
            ),
            (
                "[[sources]]\nurl = \"https://h/f\"\nuser = \"u\"\n".to_string(),
                "c.toml:3:8: `user` goes with `greader`",
            ),
            (
                "[[sources]]\nurl = \"https://h/f\"\ngreader = \"https://h/api\"\n".to_string(),
                "c.toml:3:11: a source has either `url` or `greader`, not both",
            ),
        ];
        for (text, want) in &cases {
            let got = parse_err(text);
            assert!(got.starts_with(want), "{text}\n got: {got}\nwant: {want}");
            assert!(!got.contains("pw@"), "{got}");
        }
        // Plain http elsewhere only when asked for.
        let c = parse_ok(
            "[[sources]]\ngreader = \"http://rss.lan/api\"\nuser = \"u\"\npassword_env = \"P\"\n\
             allow_http = true\n",
        );
        assert!(matches!(&c.sources[0].spec, SourceSpec::GReader(g) if g.allow_http));
        // Its own retention, by its URL (the archive's key for its articles).
        let c = parse_ok(
            "[[sources]]\ngreader = \"https://h/api\"\nuser = \"u\"\npassword_env = \"P\"\n\
             keep_days = 7\n",
        );
        assert_eq!(c.retention().per_source["https://h/api"], (Some(7), None));
    }

    #[test]
    fn inoreader_app_credentials_go_together_and_are_never_quoted() {
        // Inoreader documents its API at …/reader/api/0/: the root is taken from it.
        let c = parse_ok(
            "[[sources]]\ngreader = \"https://www.inoreader.com/reader/api/0/\"\nuser = \"u\"\n\
             password_env = \"P\"\napp_id = \"1000001414\"\napp_key = \"kk18-SECRET\"\n",
        );
        let SourceSpec::GReader(g) = &c.sources[0].spec else {
            panic!()
        };
        assert_eq!(g.url, "https://www.inoreader.com");
        let app = g.app.as_ref().unwrap();
        assert_eq!(
            (app.id.as_str(), app.key.as_str()),
            ("1000001414", "kk18-SECRET")
        );
        assert!(!format!("{g:?}").contains("kk18"));
        let head = "[[sources]]\ngreader = \"https://h/api\"\nuser = \"u\"\npassword_env = \"P\"\n";
        let cases = [
            (
                format!("{head}app_key = \"kk18-SECRET\"\n"),
                "c.toml:5:11: `app_id` and `app_key` go together",
            ),
            (
                format!("{head}app_id = \"1\"\napp_key = \"kk18 SECRET\"\n"),
                "c.toml:6:11: `app_id` and `app_key` are printable ASCII",
            ),
            (
                "[[sources]]\nurl = \"https://h/f\"\napp_key = \"kk18-SECRET\"\n".to_string(),
                "c.toml:3:11: `app_key` goes with `greader`",
            ),
        ];
        for (text, want) in &cases {
            let got = parse_err(text);
            assert!(got.starts_with(want), "{text}\n got: {got}\nwant: {want}");
            assert!(!got.contains("kk18"), "{got}");
        }
    }
}

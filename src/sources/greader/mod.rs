//! Sync with a Google Reader API server (FreshRSS, Miniflux, Inoreader, TheOldReader, BazQux):
//! its reading list becomes articles (archived like a feed's), its read and starred sets become
//! marks, and marks made in tidings go back with `edit-tag`.
//!
//! By concern: [`api`] speaks the protocol (login, the calls, their failures) through the one
//! [`Fetcher`], [`items`] turns its JSON into articles, [`queue`] keeps the marks not yet sent
//! (in the data folder, written atomically) and what the last sync knew, [`sync`] puts them
//! together (one pull and push).
//!
//! Credentials: the password is read when a login is needed (from a command run without a
//! shell, or an environment variable), sent only in the login's POST body, never kept, logged or
//! shown; the session token is kept in the cache folder (mode 0600). Nothing is sent over plain
//! `http` to a host that is not loopback unless the config says `allow_http = true`.

pub mod api;
pub mod items;
pub mod queue;
pub mod sync;

pub use api::{ApiError, ApiErrorKind};
pub use sync::{SyncOptions, SyncOutcome, pull_and_push, push_pending};

use crate::core::model::ArticleId;
use crate::core::sanitize::sanitize_line;

/// The `meta` key of an article from a server: its item id (decimal, or hex when wider).
pub const ITEM_META: &str = "greader-item";

/// Where the password comes from.
#[derive(Clone, PartialEq, Eq)]
pub enum Password {
    /// A command's first line of output (argv, run without a shell).
    Command(Vec<String>),
    /// An environment variable.
    Env(String),
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Password::Command(_) => f.write_str("Password::Command(..)"),
            Password::Env(_) => f.write_str("Password::Env(..)"),
        }
    }
}

/// A Google Reader API server as the config gives it.
#[derive(Clone, PartialEq, Eq)]
pub struct GReaderSpec {
    /// The API's root as written (`https://host/api/greader.php`), without a final `/`.
    pub url: String,
    pub user: String,
    pub password: Password,
    /// Allow plain `http` to a host that is not loopback (`allow_http = true`).
    pub allow_http: bool,
    /// App credentials sent on every request (Inoreader's `AppId` and `AppKey`).
    pub app: Option<AppKeys>,
}

/// An app's credentials for a service that wants them (Inoreader): `id` and `key`, sent as the
/// `AppId` and `AppKey` headers. The key is as secret as a password: never shown.
#[derive(Clone, PartialEq, Eq)]
pub struct AppKeys {
    pub id: String,
    pub key: String,
}

impl std::fmt::Debug for AppKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AppKeys(..)")
    }
}

impl std::fmt::Debug for GReaderSpec {
    /// The URL only: no user, no password source.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GReaderSpec")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl GReaderSpec {
    /// How the server is named everywhere (its URL, sanitized).
    pub fn label(&self) -> String {
        sanitize_line(&self.url)
    }

    /// The article id of the server's item `item` (its id as kept).
    pub fn article_id(&self, item: &str) -> ArticleId {
        article_id(&self.url, item)
    }

    /// A key for the files kept for this server and user (the token, the queue).
    pub fn file_key(&self) -> String {
        format!(
            "{:016x}",
            crate::core::model::fnv1a64(format!("{}\u{0}{}", self.url, self.user).as_bytes())
        )
    }

    /// Whether the reading list must be read by ids (`stream/items/ids`, then the items not
    /// archived yet) rather than `stream/contents` since the last sync: BazQux's API document
    /// asks clients not to sync with `ot` (an item can arrive dated before it, e.g. from a feed
    /// subscribed to since). Servers without `stream/contents` are found out by their answer.
    pub fn wants_ids(&self) -> bool {
        url::Url::parse(&self.url).is_ok_and(|u| {
            u.host_str().is_some_and(|h| {
                h.eq_ignore_ascii_case("bazqux.com") || h.eq_ignore_ascii_case("www.bazqux.com")
            })
        })
    }

    /// `Err` with the reason when credentials must not be sent to this URL: plain `http` to a
    /// host that is not loopback, unless allowed.
    pub fn check_transport(&self) -> Result<(), String> {
        insecure_reason(&self.url, self.allow_http).map_or(Ok(()), Err)
    }
}

/// The article id of item `item` (its id as kept) of the server at `url`.
pub fn article_id(url: &str, item: &str) -> ArticleId {
    ArticleId::from_key(&format!("greader:{url}{item}"))
}

/// Why credentials must not go to `url`: plain `http` to a host other than loopback (unless
/// `allow_http`); `None` when they may.
pub fn insecure_reason(url: &str, allow_http: bool) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    if u.scheme() != "http" || allow_http {
        return None;
    }
    let loopback = match u.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    (!loopback).then(|| {
        "the password would go over plain http to a host that is not loopback: use https \
         (or allow_http = true)"
            .to_string()
    })
}

/// Reads the password: the command's first line of standard output (run without a shell; its
/// standard error captured, so it never lands on the reader's screen, and its first line named
/// when the command fails), or the variable. Errors never hold the password.
pub fn read_password(p: &Password) -> Result<String, String> {
    match p {
        Password::Env(var) => match std::env::var(var) {
            Ok(v) if !v.is_empty() => Ok(v),
            _ => Err(format!(
                "the password variable {} is not set",
                sanitize_line(var)
            )),
        },
        Password::Command(argv) => {
            let Some((program, args)) = argv.split_first() else {
                return Err("the password command is empty".to_string());
            };
            let name = sanitize_line(program);
            let out = std::process::Command::new(program)
                .args(args)
                .stdin(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .output()
                .map_err(|e| format!("the password command {name} could not run: {}", e.kind()))?;
            if !out.status.success() {
                let said = String::from_utf8_lossy(&out.stderr);
                let said = said.lines().map(str::trim).find(|l| !l.is_empty());
                let said: String = sanitize_line(said.unwrap_or(""))
                    .chars()
                    .take(120)
                    .collect();
                // Whatever it printed on stdout may be a password: never echoed back.
                let printed = String::from_utf8_lossy(&out.stdout);
                let printed = printed.lines().next().unwrap_or("").trim();
                let echoes = !printed.is_empty() && said.contains(printed);
                return Err(match said.is_empty() || echoes {
                    true => format!("the password command {name} failed ({})", out.status),
                    false => format!(
                        "the password command {name} failed ({}): {said}",
                        out.status
                    ),
                });
            }
            let text = String::from_utf8_lossy(&out.stdout);
            let line = text.lines().next().unwrap_or("").trim_end_matches('\r');
            if line.is_empty() {
                return Err(format!("the password command {name} printed nothing"));
            }
            Ok(line.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bazqux_is_read_by_ids() {
        let spec = |url: &str| GReaderSpec {
            url: url.into(),
            user: "u".into(),
            password: Password::Env("X".into()),
            allow_http: false,
            app: None,
        };
        assert!(spec("https://bazqux.com").wants_ids());
        assert!(spec("https://www.BazQux.com").wants_ids());
        assert!(!spec("https://rss.example.net/api/greader.php").wants_ids());
        assert!(!spec("https://bazqux.com.example.net").wants_ids());
        assert!(!spec("not a url").wants_ids());
    }

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(insecure_reason("http://127.0.0.1:8080/api/greader.php", false).is_none());
        assert!(insecure_reason("http://localhost/api", false).is_none());
        assert!(insecure_reason("http://[::1]:9/api", false).is_none());
        assert!(insecure_reason("https://rss.example.net/api", false).is_none());
        assert!(insecure_reason("http://rss.example.net/api", false).is_some());
        assert!(insecure_reason("http://rss.example.net/api", true).is_none());
    }

    #[test]
    fn passwords_from_a_command_or_the_environment() {
        let cmd = Password::Command(vec!["printf".into(), "s3cret\\nsecond\\n".into()]);
        assert_eq!(read_password(&cmd).unwrap(), "s3cret");
        let none = Password::Command(vec!["true".into()]);
        assert!(
            read_password(&none)
                .unwrap_err()
                .contains("printed nothing")
        );
        assert!(read_password(&Password::Command(vec![])).is_err());
        // What a failing command says on stderr is in the error (its first line), not on the
        // terminal.
        let failing = Password::Command(vec![
            "sh".into(),
            "-c".into(),
            "printf '\\n  gpg: decryption failed: No secret key  \\nmore\\n' >&2; exit 2".into(),
        ]);
        assert_eq!(
            read_password(&failing).unwrap_err(),
            "the password command sh failed (exit status: 2): gpg: decryption failed: No secret key"
        );
        let missing = Password::Command(vec!["/no/such/tidings-pass".into()]);
        assert!(
            read_password(&missing)
                .unwrap_err()
                .contains("could not run")
        );
        let env = Password::Env("TIDINGS_TEST_NO_SUCH_VAR_16".into());
        assert!(read_password(&env).unwrap_err().contains("is not set"));
        let spec = GReaderSpec {
            url: "https://h/api".into(),
            user: "alice".into(),
            password: cmd,
            allow_http: false,
            app: Some(AppKeys {
                id: "1000001414".into(),
                key: "kk18-app-key".into(),
            }),
        };
        let shown = format!("{spec:?}");
        assert!(
            !shown.contains("alice") && !shown.contains("printf") && !shown.contains("kk18"),
            "{shown}"
        );
    }
}

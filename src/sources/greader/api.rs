//! The Google Reader API as servers speak it: ClientLogin, then `Authorization: GoogleLogin
//! auth=…` on every call (`output=json` always: FreshRSS answers nothing else), the session
//! token kept in the cache folder (mode 0600) and renewed once on a 401; the write token (`T`)
//! for `edit-tag`. Every failure is an [`ApiError`] naming the server, never a credential.

use super::{GReaderSpec, read_password};
use crate::sources::fetch::{ApiRequest, ApiResponse, FetchErrorKind, Fetcher, looks_like_html};
use serde::de::DeserializeOwned;
use std::path::PathBuf;

/// What went wrong with a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiErrorKind {
    /// The login was refused: wrong user or API password.
    LoginRefused,
    /// The session was refused again right after a fresh login.
    TokenExpired,
    /// The password could not be read (its command or variable).
    Password(String),
    /// Credentials would go over plain http to a host that is not loopback.
    Insecure(String),
    /// A status other than 2xx.
    Status(u16),
    /// The connection, TLS, a timeout, a size cap.
    Fetch(FetchErrorKind),
    /// An HTML page (a login page, a web front) where the API should answer.
    NotGReader,
    /// JSON that does not parse, or not the shape the API gives.
    Malformed(String),
    /// Paging that does not end (the same continuation again, or too many pages).
    Endless,
}

/// One server's failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The server, as labelled (its URL).
    pub server: String,
    pub kind: ApiErrorKind,
}

impl std::fmt::Display for ApiErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiErrorKind::LoginRefused => {
                f.write_str("login refused: check the user and the API password")
            }
            ApiErrorKind::TokenExpired => {
                f.write_str("the session token expired and a new login was refused too")
            }
            ApiErrorKind::Password(m) | ApiErrorKind::Insecure(m) => f.write_str(m),
            ApiErrorKind::Status(code) => {
                write!(f, "{}", FetchErrorKind::Status(*code))
            }
            ApiErrorKind::Fetch(k) => write!(f, "{k}"),
            ApiErrorKind::NotGReader => f.write_str(
                "not a Google Reader API (the server answered with an HTML page; check the \
                 `greader` URL: https://host/api/greader.php for FreshRSS, https://host for \
                 Miniflux)",
            ),
            ApiErrorKind::Malformed(m) => write!(f, "malformed answer: {m}"),
            ApiErrorKind::Endless => {
                f.write_str("the server's paging never ends (the same continuation again)")
            }
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.server, self.kind)
    }
}

impl std::error::Error for ApiError {}

/// The states edit-tag sets.
pub const READ: &str = "user/-/state/com.google/read";
pub const STARRED: &str = "user/-/state/com.google/starred";
pub const READING_LIST: &str = "user/-/state/com.google/reading-list";

/// A logged-in conversation with one server.
pub struct Session<'a> {
    fetcher: &'a Fetcher,
    spec: &'a GReaderSpec,
    /// Where the session token is kept (`None`: not kept).
    token_file: Option<PathBuf>,
    token: Option<String>,
    /// A new login was made after a 401 already (one per session).
    renewed: bool,
    /// The write token for `edit-tag`.
    write_token: Option<String>,
    /// Requests sent, for the speed checks.
    pub requests: usize,
}

impl<'a> Session<'a> {
    /// A session for `spec`, its token kept in `cache_dir`'s `greader/` (if any).
    pub fn new(
        fetcher: &'a Fetcher,
        spec: &'a GReaderSpec,
        cache_dir: Option<&std::path::Path>,
    ) -> Session<'a> {
        let token_file =
            cache_dir.map(|d| d.join("greader").join(format!("{}.token", spec.file_key())));
        Session {
            fetcher,
            spec,
            token_file,
            token: None,
            renewed: false,
            write_token: None,
            requests: 0,
        }
    }

    fn err(&self, kind: ApiErrorKind) -> ApiError {
        ApiError {
            server: self.spec.label(),
            kind,
        }
    }

    fn send(&mut self, req: &ApiRequest<'_>) -> Result<ApiResponse, ApiError> {
        self.requests += 1;
        self.fetcher
            .api(req)
            .map_err(|k| self.err(ApiErrorKind::Fetch(k)))
    }

    /// The app's credentials as headers, for a service that wants them (Inoreader).
    fn app_headers(&self) -> Vec<(&'static str, &'a str)> {
        match &self.spec.app {
            Some(app) => vec![("AppId", app.id.as_str()), ("AppKey", app.key.as_str())],
            None => Vec::new(),
        }
    }

    /// Logs in with ClientLogin (the password read now, and dropped after) and keeps the token.
    pub fn login(&mut self) -> Result<(), ApiError> {
        self.spec
            .check_transport()
            .map_err(|m| self.err(ApiErrorKind::Insecure(m)))?;
        let password =
            read_password(&self.spec.password).map_err(|m| self.err(ApiErrorKind::Password(m)))?;
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("Email", &self.spec.user)
            .append_pair("Passwd", &password)
            .finish();
        drop(password);
        let url = format!("{}/accounts/ClientLogin", self.spec.url);
        let headers = self.app_headers();
        let resp = self.send(&ApiRequest {
            url: &url,
            headers: &headers,
            form: Some(form),
        })?;
        tracing::debug!(server = %self.spec.label(), status = resp.status, "login");
        match resp.status {
            200..=299 => {}
            401 | 403 => return Err(self.err(ApiErrorKind::LoginRefused)),
            _ if looks_like_html(&resp.body) => return Err(self.err(ApiErrorKind::NotGReader)),
            s => return Err(self.err(ApiErrorKind::Status(s))),
        }
        let text = String::from_utf8_lossy(&resp.body);
        let token = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("Auth="))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic()));
        let Some(token) = token else {
            return Err(self.err(match looks_like_html(&resp.body) {
                true => ApiErrorKind::NotGReader,
                false => ApiErrorKind::Malformed("the login answer holds no Auth= token".into()),
            }));
        };
        self.token = Some(token.to_string());
        self.save_token();
        Ok(())
    }

    /// Writes the token where it is kept, readable by the user only.
    fn save_token(&self) {
        let (Some(path), Some(token)) = (&self.token_file, &self.token) else {
            return;
        };
        let result = (|| -> std::io::Result<()> {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            // Created 0600 before the first write; the atomic write keeps the mode.
            #[cfg(unix)]
            {
                use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
                let f = std::fs::OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .mode(0o600)
                    .open(path)?;
                f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
            }
            crate::sources::atomic::write_atomic(path, token.as_bytes())
        })();
        if let Err(e) = result {
            tracing::warn!(server = %self.spec.label(), error = %e.kind(), "session token not kept");
        }
    }

    /// The token: the one in hand, else the kept one, else a new login.
    fn token(&mut self) -> Result<String, ApiError> {
        if let Some(t) = &self.token {
            return Ok(t.clone());
        }
        self.spec
            .check_transport()
            .map_err(|m| self.err(ApiErrorKind::Insecure(m)))?;
        let kept = (self.token_file.as_ref())
            .and_then(|p| std::fs::read_to_string(p).ok())
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic()));
        match kept {
            Some(t) => self.token = Some(t),
            None => self.login()?,
        }
        Ok(self.token.clone().unwrap_or_default())
    }

    /// Forgets the token (refused by the server).
    fn forget_token(&mut self) {
        self.token = None;
        self.write_token = None;
        if let Some(p) = &self.token_file {
            let _ = std::fs::remove_file(p);
        }
    }

    /// One call of `reader/api/0/PATH` with `query` (`output=json` added), POSTing `form` if
    /// given (with the write token `T` when `write`); on a 401, one new login and the call
    /// again. The body of a 2xx answer.
    pub fn call(
        &mut self,
        path: &str,
        query: &[(&str, &str)],
        form: Option<&[(&str, &str)]>,
        write: bool,
    ) -> Result<Vec<u8>, ApiError> {
        loop {
            let token = self.token()?;
            let mut form = form.map(<[_]>::to_vec);
            let t;
            if write {
                t = match self.write_token.clone() {
                    Some(t) => t,
                    None => {
                        let resp = self.once("token", &[], None, &token)?;
                        match resp.status {
                            200..=299 => {
                                let t = String::from_utf8_lossy(&resp.body).trim().to_string();
                                self.write_token = Some(t.clone());
                                t
                            }
                            401 => {
                                self.renewed_or_fail()?;
                                continue;
                            }
                            s => return Err(self.failure(&resp, s)),
                        }
                    }
                };
                form.get_or_insert_with(Vec::new).push(("T", t.as_str()));
            }
            let resp = self.once(path, query, form.as_deref(), &token)?;
            match resp.status {
                200..=299 if looks_like_html(&resp.body) => {
                    return Err(self.err(ApiErrorKind::NotGReader));
                }
                200..=299 => return Ok(resp.body),
                401 => self.renewed_or_fail()?,
                s => return Err(self.failure(&resp, s)),
            }
        }
    }

    /// After a 401: the first time, a new login (the caller tries again); the second, the
    /// session is given up.
    fn renewed_or_fail(&mut self) -> Result<(), ApiError> {
        self.forget_token();
        if self.renewed {
            return Err(self.err(ApiErrorKind::TokenExpired));
        }
        // The kept token expired (or the server forgot it): one new login.
        tracing::info!(server = %self.spec.label(), "session refused: logging in again");
        self.renewed = true;
        self.login()
    }

    /// A failing status as an error: an HTML page is no API.
    fn failure(&self, resp: &ApiResponse, status: u16) -> ApiError {
        if looks_like_html(&resp.body) && status != 404 && status < 500 {
            self.err(ApiErrorKind::NotGReader)
        } else {
            self.err(ApiErrorKind::Status(status))
        }
    }

    /// One request of `reader/api/0/PATH`, any status.
    fn once(
        &mut self,
        path: &str,
        query: &[(&str, &str)],
        form: Option<&[(&str, &str)]>,
        token: &str,
    ) -> Result<ApiResponse, ApiError> {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("output", "json");
        for (k, v) in query {
            q.append_pair(k, v);
        }
        let url = format!("{}/reader/api/0/{path}?{}", self.spec.url, q.finish());
        let auth = format!("GoogleLogin auth={token}");
        let mut headers = self.app_headers();
        headers.push(("Authorization", &auth));
        let form = form.map(|f| {
            let mut s = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in f {
                s.append_pair(k, v);
            }
            s.finish()
        });
        let started = std::time::Instant::now();
        let resp = self.send(&ApiRequest {
            url: &url,
            headers: &headers,
            form,
        })?;
        tracing::debug!(
            server = %self.spec.label(),
            call = path,
            status = resp.status,
            bytes = resp.body.len(),
            ms = started.elapsed().as_millis() as u64,
            "sync call"
        );
        Ok(resp)
    }

    /// [`Session::call`], its answer read as JSON of type `T`.
    pub fn json<T: DeserializeOwned>(
        &mut self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, ApiError> {
        let body = self.call(path, query, None, false)?;
        self.parse(path, &body)
    }

    /// A 2xx answer's `body` from `path` read as JSON of type `T`: an HTML page is no API,
    /// anything else that does not parse is malformed.
    pub fn parse<T: DeserializeOwned>(&self, path: &str, body: &[u8]) -> Result<T, ApiError> {
        serde_json::from_slice(body).map_err(|e| {
            let kind = match body.trim_ascii_start().first() {
                Some(b'{' | b'[') => ApiErrorKind::Malformed(format!("{path}: {e}")),
                _ if looks_like_html(body) => ApiErrorKind::NotGReader,
                _ => ApiErrorKind::Malformed(format!("{path}: not JSON")),
            };
            self.err(kind)
        })
    }

    /// Sets (`add`) or removes one state on items, many per request.
    pub fn edit_tag(&mut self, items: &[String], state: &str, add: bool) -> Result<(), ApiError> {
        if items.is_empty() {
            return Ok(());
        }
        let wire: Vec<String> = items.iter().map(|i| super::items::wire_id(i)).collect();
        let mut form: Vec<(&str, &str)> = wire.iter().map(|i| ("i", i.as_str())).collect();
        form.push((if add { "a" } else { "r" }, state));
        let body = self.call("edit-tag", &[], Some(&form), true)?;
        let text = String::from_utf8_lossy(&body);
        if text.trim().eq_ignore_ascii_case("OK") || text.trim().is_empty() {
            Ok(())
        } else if looks_like_html(&body) {
            Err(self.err(ApiErrorKind::NotGReader))
        } else {
            Err(self.err(ApiErrorKind::Malformed(format!(
                "edit-tag answered '{}'",
                crate::core::sanitize::sanitize_line(&text.chars().take(60).collect::<String>())
            ))))
        }
    }
}

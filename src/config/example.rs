//! `tidings config`: the config file's path, or a commented example of every key.

use super::Config;
use crate::keymap::{self, Context, Keymap};
use std::io::{self, Write};

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

# Show an article's first picture at the top of the reading pane, in terminals that can show
# pictures (kitty, iTerm2, sixel; asked, never assumed). Default true; false never fetches them.
images = true

# Fetch feeds again this often while the reader runs ("90s", "30m", "2h", "1d"; never sooner
# than a feed's <ttl> or its server asks). Default: off.
refresh_every = "30m"
# Run a program when a refresh brings new articles; {count} and {categories} are replaced in
# each argument (no shell).
on_new = ["notify-send", "tidings", "{count} new in {categories}"]

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
# This feed's own retention in the archive (see [archive] below).
keep_days = 30
max_articles = 500

[[sources]]
path = "~/news"

# A sync server speaking the Google Reader API (FreshRSS, Miniflux, Inoreader, ...): its
# articles, labels (as categories) and read/starred state; marks made here go back to it.
# The password is never written here: a command printing it (run without a shell; its first
# line) or an environment variable holding it. See docs/sync.md.
# [[sources]]
# name = "home"
# greader = "https://rss.example.net/api/greader.php"   # FreshRSS; Miniflux: "https://HOST"
# user = "alice"
# password_command = ["pass", "show", "freshrss-api"]   # or: password_env = "FRESHRSS_PASSWORD"
# allow_http = false   # plain http only to 127.0.0.1/localhost, unless true
# app_id = "..."       # Inoreader only: its app credentials, with app_key (docs/sync.md)

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

# The archive keeps every article seen in a feed after the feed drops it. Retention removes
# the read ones dated longer ago than keep_days, and the oldest read ones over max_articles;
# never starred ones or those still in their feed. `tidings prune --dry-run` lists them.
[archive]
# Days (1 to 36500; default 90).
keep_days = 90
# Articles in the whole archive (default: no limit).
max_articles = 100000
# Keep unread articles however old (default true).
keep_unread = true

# Rules applied as articles load: every field named (title, source, category, author, link)
# must match; words match as words, ignoring case and accents, or with regex = true regular
# expressions. action: "hide" (default; `tidings list --all` shows them) or "mark_read".
[[filters]]
title = "sponsored"
action = "hide"

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
    use crate::sources::SourceSpec;
    use std::path::Path;

    fn parse_ok(text: &str) -> Config {
        super::super::parse(text, "c.toml", Path::new("/base")).unwrap()
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
}

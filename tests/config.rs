//! The config file, `import` and `export`, through the real binary. Every run gets its own HOME
//! and XDG folders in a temporary folder, so the user's own config is never read; feeds come
//! from a server on 127.0.0.1 (never the internet).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use tempfile::TempDir;
use tidings::config::{self, Config, Source};
use tidings::sources::SourceSpec;

/// A temporary home: `HOME`, `XDG_CONFIG_HOME`, `XDG_CACHE_HOME` and `XDG_DATA_HOME` inside it.
struct Home {
    dir: TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_tidings"))
            .args(args)
            .env("HOME", self.path("home"))
            .env("XDG_CONFIG_HOME", self.path("xdg-config"))
            .env("XDG_CACHE_HOME", self.path("xdg-cache"))
            .env("XDG_DATA_HOME", self.path("xdg-data"))
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .env_remove("BROWSER")
            .current_dir(self.dir.path())
            .output()
            .expect("runs tidings")
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(o), stderr(o)))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const ARTICLE_EUROPE: &str = "Categories: Europe\nSource: Test Wire\nDate: 2026-01-02T10:00:00Z\n\n\
                              Night Trains Return\n\nThe first paragraph.\n";
const ARTICLE_NONE: &str =
    "Source: Test Wire\nDate: 2026-01-03T10:00:00Z\n\nA Story Without Category\n\nText.\n";

#[test]
fn config_errors_name_the_file_line_and_column_and_stop_everything() {
    let home = Home::new();
    home.write("news/a.txt", ARTICLE_EUROPE);
    let cases: [(&str, &str, &str); 11] = [
        // A TOML syntax error: the unclosed table header.
        (
            "[[sources]]\npath = \"news\"\n\n[fetch\ntimeout = 3\n",
            "4:7",
            "",
        ),
        (
            "[[sources]]\npath = \"news\"\ncolour = \"red\"\n",
            "3:1",
            "unknown field `colour`",
        ),
        (
            "# fetching\n[fetch]\ntimeout = \"soon\"\n",
            "3:11",
            "invalid type: string \"soon\"",
        ),
        (
            "[[sources]]\nurl = \"htp://example.com/feed\"\n",
            "2:7",
            "is not a feed URL: only http and https",
        ),
        (
            "[[sources]]\npath = \"news\"\n\n[[sources]]\nname = \"Nothing\"\n",
            "4:1",
            "a source needs `path`",
        ),
        (
            "[[sources]]\ngreader = \"https://h/api/greader.php\"\npassword_env = \"P\"\n",
            "1:1",
            "a `greader` source needs `user`",
        ),
        (
            "[[sources]]\ngreader = \"https://h/api\"\nuser = \"a\"\n",
            "1:1",
            "a `greader` source needs `password_command`",
        ),
        (
            "[[sources]]\ngreader = \"https://h/api\"\nuser = \"a\"\npassword_env = \"P\"\n\
             password_command = [\"pass\"]\n",
            "5:20",
            "either `password_command` or `password_env`, not both",
        ),
        (
            "[[sources]]\ngreader = \"http://rss.example.net/api\"\nuser = \"a\"\n\
             password_env = \"P\"\n",
            "2:11",
            "plain http to a host that is not loopback",
        ),
        (
            "[[sources]]\ngreader = \"gopher://h/api\"\nuser = \"a\"\npassword_env = \"P\"\n",
            "2:11",
            "is not a Google Reader API URL",
        ),
        (
            "[theme]\naccent = \"cyan\"\nlink = \"sky\"\n",
            "3:8",
            "'sky' is not a colour",
        ),
    ];
    for (i, (text, at, message)) in cases.iter().enumerate() {
        let cfg = home.write(&format!("bad{i}.toml"), text);
        for args in [
            vec!["list", "--config", s(&cfg)],
            vec!["categories", "--json", "--config", s(&cfg)],
            // The reader stops before it touches the terminal.
            vec!["--config", s(&cfg)],
        ] {
            let o = home.run(&args);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
            assert!(o.stdout.is_empty(), "{args:?}: {}", stdout(&o));
            let prefix = format!("tidings: error: {}:{at}: ", cfg.display());
            assert!(
                err.starts_with(&prefix),
                "{err:?} does not start {prefix:?}"
            );
            assert!(err.contains(message), "{err:?} lacks {message:?}");
            assert_eq!(err.lines().count(), 1, "{err}");
        }
    }
}

#[test]
fn a_missing_config_is_fine_unless_named() {
    let home = Home::new();
    // No config anywhere: the bundled samples.
    let o = home.run(&["list", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(json(&o).as_array().unwrap().len() > 10);
    let missing = home.path("nope.toml");
    let o = home.run(&["list", "--config", s(&missing)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert_eq!(
        stderr(&o),
        format!(
            "tidings: error: {}: cannot read it: no such file\n",
            missing.display()
        )
    );
}

fn titles(o: &Output) -> Vec<String> {
    json(o)
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn config_sources_are_used_when_none_is_given() {
    let home = Home::new();
    home.write("conf/news/a.txt", ARTICLE_EUROPE);
    // A relative path starts at the config file's folder, not the working folder.
    let cfg = home.write("conf/tidings.toml", "[[sources]]\npath = \"news\"\n");
    let o = home.run(&["list", "--json", "--config", s(&cfg)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(titles(&o), ["Night Trains Return"]);

    // A source on the command line replaces the config's.
    home.write("other/b.txt", ARTICLE_NONE);
    let o = home.run(&["list", "--json", "--config", s(&cfg), "other"]);
    assert_eq!(titles(&o), ["A Story Without Category"]);

    // The default location: $XDG_CONFIG_HOME/tidings/config.toml.
    home.write(
        "xdg-config/tidings/config.toml",
        &format!("[[sources]]\npath = \"{}\"\n", home.path("other").display()),
    );
    let o = home.run(&["list", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(titles(&o), ["A Story Without Category"]);
    let o = home.run(&["config"]);
    assert_eq!(
        stdout(&o).trim_end(),
        home.path("xdg-config/tidings/config.toml")
            .to_str()
            .unwrap()
    );
}

#[test]
fn aliases_and_default_categories_apply_to_loaded_articles() {
    let home = Home::new();
    home.write("news/a.txt", ARTICLE_EUROPE);
    home.write("news/b.txt", ARTICLE_NONE);
    home.write(
        "loose/c.txt",
        &ARTICLE_NONE.replace("A Story", "Another Story"),
    );
    let cfg = home.write(
        "config.toml",
        "[[sources]]\npath = \"news\"\nname = \"My Archive\"\ncategory = \"Misc / Unsorted\"\n\n\
         [[sources]]\npath = \"loose\"\n\n\
         [categories.aliases]\n\"EUROPE\" = \"World News / Europe\"\n",
    );
    let o = home.run(&["list", "--json", "--config", s(&cfg)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut got: Vec<(String, String, Vec<String>)> = json(&o)
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap().to_string(),
                a["source"].as_str().unwrap().to_string(),
                a["categories"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    got.sort();
    let v = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        got,
        [
            (
                "A Story Without Category".to_string(),
                "My Archive".to_string(),
                v(&["Misc / Unsorted"])
            ),
            (
                "Another Story Without Category".to_string(),
                "Test Wire".to_string(),
                v(&[])
            ),
            (
                "Night Trains Return".to_string(),
                "My Archive".to_string(),
                v(&["World News / Europe"])
            ),
        ]
    );
    // The category filter and the tree see the renamed categories.
    let o = home.run(&[
        "list",
        "--json",
        "--config",
        s(&cfg),
        "--category",
        "world/europe",
    ]);
    assert_eq!(titles(&o), ["Night Trains Return"]);
    let o = home.run(&["categories", "--json", "--config", s(&cfg)]);
    let tree = json(&o);
    let roots: Vec<&str> = tree["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(roots, ["Misc", "World News"]);
}

/// A server on 127.0.0.1 that answers `requests` requests with an RSS feed, then stops.
fn serve_feed(requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let body = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Local Feed</title>\
         <link>http://{addr}/</link><description>d</description>{}</channel></rss>",
        "<item><title>A Fetched Story</title><guid>1</guid>\
         <description>Some words to make the feed longer than a hundred bytes.</description>\
         </item>"
    );
    std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut served = 0;
        while served < requests && Instant::now() < deadline {
            match listener.accept() {
                Ok((mut stream, _)) => {
                    served += 1;
                    let _ = stream.set_nonblocking(false);
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                    let mut req = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => req.extend_from_slice(&buf[..n]),
                        }
                    }
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\
                         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                }
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    });
    format!("http://{addr}/feed.xml")
}

#[test]
fn command_line_fetch_flags_beat_the_config() {
    let home = Home::new();
    let url = serve_feed(2);
    let cfg = home.write(
        "config.toml",
        &format!(
            "[[sources]]\nurl = \"{url}\"\ncategory = \"Local\"\n\n[fetch]\nmax_size = 100\ntimeout = 5\n"
        ),
    );
    // The config's 100-byte cap refuses the feed.
    let o = home.run(&["list", "--json", "--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("over the 100 bytes limit"),
        "{}",
        stderr(&o)
    );
    // The flag lifts it.
    let o = home.run(&["list", "--json", "--max-size", "1M", "--config", s(&cfg)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let items = json(&o);
    assert_eq!(items[0]["title"], "A Fetched Story");
    // A feed's articles without categories get the source's default category too.
    assert_eq!(items[0]["categories"][0], "Local");
}

#[test]
fn fetch_options_merge_flags_over_config_over_defaults() {
    use clap::Parser;
    use tidings::cli::{Cli, Command as Cmd};
    let parsed = |args: &[&str]| {
        let mut cli = Cli::try_parse_from(args.iter().copied()).unwrap();
        let settings = std::sync::Arc::new(
            config::parse(
                "[fetch]\ntimeout = 7\nconnect_timeout = 3\nconcurrency = 4\nper_host = 1\n\
                 max_size = \"1K\"\n",
                "c.toml",
                Path::new("/"),
            )
            .unwrap(),
        );
        match &mut cli.command {
            Some(Cmd::List { sources, .. }) => {
                sources.settings = settings;
                sources.fetch_options()
            }
            _ => unreachable!(),
        }
    };
    let o = parsed(&["tidings", "list"]);
    assert_eq!(o.timeout, Duration::from_secs(7));
    assert_eq!(o.connect_timeout, Duration::from_secs(3));
    assert_eq!((o.concurrency, o.per_host, o.max_size), (4, 1, 1024));
    let o = parsed(&[
        "tidings",
        "list",
        "--timeout",
        "60",
        "--concurrency",
        "16",
        "--max-size",
        "2M",
    ]);
    assert_eq!(o.timeout, Duration::from_secs(60));
    assert_eq!((o.concurrency, o.per_host, o.max_size), (16, 1, 2 << 20));
    // No config: the defaults.
    let cli = Cli::try_parse_from(["tidings", "list"]).unwrap();
    let Some(Cmd::List { sources, .. }) = cli.command else {
        unreachable!()
    };
    let o = sources.fetch_options();
    assert_eq!(o.timeout, Duration::from_secs(30));
    assert_eq!((o.concurrency, o.max_size), (8, 32 << 20));
}

#[test]
fn full_text_is_set_per_source() {
    let text = "[[sources]]\nurl = \"https://slow.example/feed.xml\"\nfull_text = true\n\n\
                [[sources]]\nurl = \"https://full.example/feed.xml\"\n\n\
                [[sources]]\npath = \"news\"\nfull_text = false\n\n\
                [[sources]]\npath = \"teasers\"\nfull_text = true\n";
    let c = config::parse(text, "c.toml", Path::new("/home/me/.config/tidings")).unwrap();
    let flags: Vec<bool> = c.sources.iter().map(|s| s.full_text).collect();
    assert_eq!(flags, [true, false, false, true]);
    // Labels as `Config::apply` gets them: the sanitized URL, or the path as resolved.
    assert!(c.full_text_for("https://slow.example/feed.xml"));
    assert!(!c.full_text_for("https://full.example/feed.xml"));
    assert!(!c.full_text_for("/home/me/.config/tidings/news"));
    assert!(c.full_text_for(&SourceSpec::Path("/home/me/.config/tidings/teasers".into()).label()));
    assert!(!c.full_text_for("https://elsewhere.example/feed.xml"));
    assert!(!c.full_text_for(""));
    assert!(!Config::default().full_text_for("https://slow.example/feed.xml"));
    // A value that is not a boolean is an error at its place, like any other key.
    let e = config::parse(
        "[[sources]]\nurl = \"https://a.example/\"\nfull_text = \"yes\"\n",
        "c.toml",
        Path::new("/"),
    )
    .unwrap_err();
    assert_eq!(e.at, Some((3, 13)), "{e}");
    assert!(e.message.contains("invalid type: string \"yes\""), "{e}");
    assert!(e.message.contains("expected a boolean"), "{e}");
}

#[test]
fn the_example_config_parses_and_is_documented() {
    let home = Home::new();
    // A broken config does not stop `config --example`.
    home.write("xdg-config/tidings/config.toml", "this is not toml\n");
    let o = home.run(&["config", "--example"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let example = stdout(&o);
    let c = config::parse(&example, "example.toml", Path::new("/")).unwrap();
    assert!(!c.sources.is_empty() && !c.aliases.is_empty() && !c.keys.is_empty());
    assert!(c.fetch.timeout.is_some() && c.fetch.max_size.is_some());
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/config.md"))
            .unwrap();
    let keys = [
        "path",
        "url",
        "name",
        "category",
        "full_text",
        "timeout",
        "connect_timeout",
        "concurrency",
        "per_host",
        "max_size",
        "aliases",
        "accent",
        "unread",
        "heading",
        "link",
        "quote",
        "code",
        "source",
        "warning",
    ];
    for key in keys {
        assert!(
            example.contains(&format!("{key} =")) || example.contains(&format!(".{key}]")),
            "example lacks {key}"
        );
        assert!(
            docs.contains(&format!("`{key}`")) || docs.contains(&format!(".{key}]`")),
            "docs/config.md lacks `{key}`"
        );
    }
    for (action, _) in tidings::keymap::action_names() {
        assert!(
            example.contains(&format!("{action} = [")),
            "example lacks {action}"
        );
        assert!(
            docs.contains(&format!("`{action}`")),
            "docs/config.md lacks `{action}`"
        );
    }
    // And the broken default config does stop everything else.
    let o = home.run(&["list"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("config.toml:1:6: "), "{}", stderr(&o));
}

fn sources_of(path: &Path) -> Vec<(String, Option<String>, Option<String>)> {
    let c: Config = config::load(Some(path)).unwrap();
    let mut out: Vec<_> = c
        .sources
        .iter()
        .map(|s: &Source| {
            let spec = match &s.spec {
                SourceSpec::Url(u) => u.clone(),
                SourceSpec::Path(p) => p.display().to_string(),
                SourceSpec::Bundled => "bundled".to_string(),
                SourceSpec::GReader(g) => format!("greader:{}", g.url),
            };
            (
                spec,
                s.name.clone(),
                s.category.as_ref().map(|c| c.to_string()),
            )
        })
        .collect();
    out.sort();
    out
}

/// Lines of `before` in order within `after`.
fn is_subsequence(before: &str, after: &str) -> bool {
    let mut rest = after.lines();
    before.lines().all(|l| rest.any(|m| m == l))
}

#[test]
fn import_adds_feeds_with_folders_as_categories() {
    let home = Home::new();
    home.write("archive/a.txt", ARTICLE_EUROPE);
    let original = "# My sources\n[[sources]]\nurl = \"https://harbour.example/feed.xml\" # the first\n\
                    name = \"Harbour Wire\"\n\n# Colours I like\n[theme]\naccent = \"208\"\n";
    let cfg = home.write("conf/config.toml", original);
    let opml = home.write(
        "subs.opml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>From another reader</title></head>
  <body>
    <outline text="World News" title="World News">
      <outline text="Europe">
        <outline type="rss" text="Harbour again" xmlUrl="https://HARBOUR.example/feed.xml"/>
        <outline type="rss" text="Northern Signal" xmlUrl="https://north.example/atom.xml"/>
      </outline>
      <outline type="rss" text="Globe" xmlUrl="http://globe.example/rss"/>
    </outline>
    <outline text="Tech">
      <outline type="rss" text="Made by a script" xmlUrl="exec:~/bin/make-feed.sh"/>
      <outline type="rss" text="Filtered" xmlUrl="filter:sed s/a/b/:https://x.example/"/>
      <outline type="rss" text="My archive" xmlUrl="file://{}"/>
    </outline>
    <outline type="rss" text="Top level" xmlUrl="https://top.example/feed"/>
  </body>
</opml>"#,
            home.path("archive").display()
        ),
    );
    let o = home.run(&["import", s(&opml), "--config", s(&cfg)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!(
            "added 4 sources to {}, skipped 3\n",
            cfg.display()
        )),
        "{out}"
    );
    assert!(
        out.contains("skipped: exec:~/bin/make-feed.sh: 'exec:' URLs are not read"),
        "{out}"
    );
    assert!(
        out.contains("skipped: filter:sed s/a/b/:https://x.example/: 'filter:' URLs"),
        "{out}"
    );
    assert!(
        out.contains("skipped: https://HARBOUR.example/feed.xml: already a source"),
        "{out}"
    );
    let after = std::fs::read_to_string(&cfg).unwrap();
    assert!(
        is_subsequence(original, &after),
        "comments or order lost:\n{after}"
    );
    // The new sources follow the existing one, before `[theme]`.
    assert!(
        after.find("north.example").unwrap() < after.find("[theme]").unwrap(),
        "{after}"
    );
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        sources_of(&cfg),
        [
            (
                home.path("archive").display().to_string(),
                some("My archive"),
                some("Tech")
            ),
            (
                "http://globe.example/rss".to_string(),
                some("Globe"),
                some("World News")
            ),
            (
                "https://harbour.example/feed.xml".to_string(),
                some("Harbour Wire"),
                None
            ),
            (
                "https://north.example/atom.xml".to_string(),
                some("Northern Signal"),
                some("World News / Europe")
            ),
            (
                "https://top.example/feed".to_string(),
                some("Top level"),
                None
            ),
        ]
    );
    // Importing again adds nothing and leaves the file alone.
    let o = home.run(&["import", s(&opml), "--config", s(&cfg)]);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("added 0 sources"), "{}", stdout(&o));
    assert_eq!(std::fs::read_to_string(&cfg).unwrap(), after);
    // No temporary files are left beside it.
    let names: Vec<String> = std::fs::read_dir(cfg.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["config.toml"]);
}

#[test]
fn import_creates_a_missing_config_and_reports_bad_opml() {
    let home = Home::new();
    let opml = home.write(
        "one.opml",
        "<opml version=\"2.0\"><body><outline text=\"A\" xmlUrl=\"https://a.example/f\"/></body></opml>",
    );
    // The default config, in a folder that does not exist yet.
    let o = home.run(&["import", s(&opml)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let cfg = home.path("xdg-config/tidings/config.toml");
    assert_eq!(
        std::fs::read_to_string(&cfg).unwrap(),
        "[[sources]]\nurl = \"https://a.example/f\"\nname = \"A\"\n"
    );
    let bad = home.write(
        "bad.opml",
        "<opml>\n<body>\n<outline text=\"x\">\n</body></opml>\n",
    );
    let o = home.run(&["import", s(&bad)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).starts_with(&format!("tidings: error: {}:4:", bad.display())),
        "{}",
        stderr(&o)
    );
    let o = home.run(&["import", s(&home.path("missing.opml"))]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot read it"));
}

#[test]
fn export_then_import_gives_the_same_sources_and_categories() {
    let home = Home::new();
    home.write("archive/a.txt", ARTICLE_EUROPE);
    let cfg = home.write(
        "a/config.toml",
        "[[sources]]\nurl = \"https://harbour.example/feed.xml\"\nname = \"Harbour & Wire\"\n\
         category = \"World News / Europe\"\n\n\
         [[sources]]\nurl = \"https://north.example/atom.xml\"\ncategory = \"World News / Europe\"\n\n\
         [[sources]]\nurl = \"https://globe.example/rss\"\nname = \"Globe <Daily>\"\ncategory = \"World News\"\n\n\
         [[sources]]\npath = \"../archive\"\nname = \"Archive\"\ncategory = \"Local\"\n\n\
         [[sources]]\nurl = \"https://top.example/feed?a=1&b=2\"\n",
    );
    let o = home.run(&["export", "--config", s(&cfg)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let xml = stdout(&o);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"));
    assert!(
        xml.contains("<outline text=\"World News\" title=\"World News\">\n"),
        "{xml}"
    );
    assert!(
        xml.contains("xmlUrl=\"https://top.example/feed?a=1&amp;b=2\""),
        "{xml}"
    );
    let exported = home.write("exported.opml", &xml);
    let fresh = home.path("b/config.toml");
    let o = home.run(&["import", s(&exported), "--config", s(&fresh)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("added 5 sources"), "{}", stdout(&o));
    assert_eq!(sources_of(&fresh), sources_of(&cfg));
}

#[test]
fn source_names_by_label_for_the_sources_view() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[[sources]]\nurl = \"https://example.com/feed.xml\"\nname = \"Example \\u001b[31mNews\"\n\n\
                [[sources]]\nurl = \"https://example.com/other.xml\"\n";
    let c = tidings::config::parse(text, "config.toml", dir.path()).unwrap();
    let names = c.source_names();
    assert_eq!(names.len(), 1, "{names:?}");
    assert_eq!(
        names
            .get("https://example.com/feed.xml")
            .map(String::as_str),
        Some("Example News")
    );
}

//! What `list` shows of a library: `[[filters]]` (issue 18: rules hide articles or mark them
//! read, in `list` and in the reader's state; `list --all` shows what they hide) and stories
//! (issue 17: `story` in `--json`, `--stories`, `stories = false`).

mod common;

use std::path::Path;
use std::process::Output;
use tidings::core::model::{Article, ArticleId};
use tidings::core::state::{Action, Clock, Mark, State, update};

use common::tidings_in as tidings;

fn titles(o: &Output) -> Vec<String> {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut t: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect();
    t.sort();
    t
}

fn write(dir: &Path, name: &str, categories: &str, title: &str) {
    let text = format!("Categories: {categories}\n\n{title}\n\nA standfirst.\n\nA paragraph.\n");
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn filters_hide_and_mark_read_in_list() {
    let home = tempfile::tempdir().unwrap();
    let news = home.path().join("news");
    std::fs::create_dir(&news).unwrap();
    write(&news, "a.txt", "World News", "Storm Hits Lisbon");
    write(&news, "b.txt", "Sports / Football", "Cup Final Tonight");
    write(
        &news,
        "c.txt",
        "Business",
        "Sponsored: The Best Savings Account",
    );
    write(&news, "d.txt", "Business", "Rates Held Again");
    let config = home.path().join("config.toml");
    std::fs::write(
        &config,
        "[[filters]]\ntitle = \"sponsored\"\n\n\
         [[filters]]\ncategory = \"^sports\"\nregex = true\naction = \"mark_read\"\n",
    )
    .unwrap();
    let (cfg, dir) = (config.to_str().unwrap(), news.to_str().unwrap());
    let shown = tidings(home.path(), &["list", "--json", "--config", cfg, dir]);
    assert_eq!(
        titles(&shown),
        ["Cup Final Tonight", "Rates Held Again", "Storm Hits Lisbon"]
    );
    let all = tidings(
        home.path(),
        &["list", "--json", "--all", "--config", cfg, dir],
    );
    assert_eq!(titles(&all).len(), 4);
    let unread = tidings(
        home.path(),
        &["list", "--json", "--unread", "--config", cfg, dir],
    );
    assert_eq!(titles(&unread), ["Rates Held Again", "Storm Hits Lisbon"]);
    // The categories command counts what is shown.
    let cats = tidings(home.path(), &["categories", "--config", cfg, dir]);
    assert!(!String::from_utf8_lossy(&cats.stdout).contains("Business  2"));
}

#[test]
fn a_bad_rule_is_a_config_error_at_its_place() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.toml");
    std::fs::write(&config, "[[filters]]\nlink = \"[unclosed\"\nregex = true\n").unwrap();
    let o = tidings(home.path(), &["list", "--config", config.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("config.toml:2:8: not a regular expression"),
        "{e}"
    );
}

fn article(key: &str) -> Article {
    let mut a = Article::new(ArticleId::from_key(key));
    a.title = key.into();
    a.dated = true;
    a.date = chrono::DateTime::from_timestamp(1_764_000_000, 0).unwrap();
    a
}

#[test]
fn read_by_rule_marks_read_unless_marked_otherwise() {
    let clock = Clock {
        now: chrono::DateTime::from_timestamp(1_764_100_000, 0).unwrap(),
        tz: chrono::FixedOffset::east_opt(0).unwrap(),
    };
    let mut s = State::new(clock, None);
    // The user had marked "kept" unread explicitly (stored), before the rule matched it.
    update(
        &mut s,
        Action::Marks(vec![Mark {
            id: ArticleId::from_key("kept"),
            read: false,
            starred: true,
        }]),
    );
    let ids = ["ruled", "kept"].map(ArticleId::from_key).to_vec();
    let effects = update(&mut s, Action::ReadByRule(ids));
    assert!(
        effects.is_empty(),
        "a rule's marks are not saved: {effects:?}"
    );
    update(
        &mut s,
        Action::Loaded {
            articles: vec![article("ruled"), article("kept"), article("other")],
            warnings: vec![],
        },
    );
    assert_eq!(s.unread(), 2, "only the ruled one is read");
    let read = |key: &str| {
        let i = (s.lib().articles().iter())
            .position(|a| *a.title == *key)
            .unwrap();
        s.is_read(i)
    };
    assert!(read("ruled"));
    assert!(!read("kept"), "the stored mark wins over the rule");
    assert!(!read("other"));
}

/// The shell gives the stored marks before it knows the terminal's size (the state then counts
/// as "too small", where keys are ignored): they must still apply.
#[test]
fn stored_marks_apply_before_the_terminal_size_is_known() {
    let clock = Clock {
        now: chrono::DateTime::from_timestamp(1_764_100_000, 0).unwrap(),
        tz: chrono::FixedOffset::east_opt(0).unwrap(),
    };
    let mut s = State::new(clock, None);
    let mark = Mark {
        id: ArticleId::from_key("seen"),
        read: true,
        starred: true,
    };
    update(&mut s, Action::Marks(vec![mark]));
    update(
        &mut s,
        Action::Resize {
            width: 120,
            height: 40,
        },
    );
    update(
        &mut s,
        Action::Loaded {
            articles: vec![article("seen"), article("new")],
            warnings: vec![],
        },
    );
    assert_eq!(s.unread(), 1);
    let i = (s.lib().articles().iter())
        .position(|a| &*a.title == "seen")
        .unwrap();
    assert!(s.is_read(i) && s.is_starred(i));
}

/// Stories on the command line (issue 17): `list --json` gives each article its story, the same
/// for every version; `list --stories` prints one line per story with its number of sources;
/// `stories = false` turns grouping off.
#[test]
fn list_groups_the_versions_of_one_story() {
    let home = tempfile::tempdir().unwrap();
    let news = home.path().join("news");
    std::fs::create_dir(&news).unwrap();
    let version = |name: &str, source: &str, hour: u32, title: &str| {
        let text = format!(
            "Categories: World News / Europe\nSource: {source}\nDate: 2026-11-24T{hour:02}:00:00Z\n\n\
             {title}\n\nThe Lisbon city council approved a new tram line to Alcântara on Monday after a long debate.\n\n\
             A paragraph.\n"
        );
        std::fs::write(news.join(name), text).unwrap();
    };
    version(
        "a.txt",
        "Harbour Wire",
        8,
        "Lisbon Council Approves New Tram Line to Alcântara",
    );
    version(
        "b.txt",
        "Meridian Courier",
        9,
        "Lisbon council approves Alcântara tram line",
    );
    version(
        "c.txt",
        "Northern Ledger",
        11,
        "Lisbon Approves New Alcântara Tram Line After Debate",
    );
    write(&news, "d.txt", "Sports", "Cup Final Tonight");
    let dir = news.to_str().unwrap();
    let o = tidings(home.path(), &["list", "--json", dir]);
    assert!(o.status.success());
    let items: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let story = |title_start: &str| {
        items
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"].as_str().unwrap().starts_with(title_start))
            .map(|a| a["story"].as_str().unwrap().to_string())
            .unwrap()
    };
    let lisbon = story("Lisbon Council");
    assert_eq!(lisbon.len(), 16);
    assert_eq!(story("Lisbon council approves"), lisbon);
    assert_eq!(story("Lisbon Approves"), lisbon);
    assert_ne!(story("Cup Final"), lisbon);
    let o = tidings(home.path(), &["list", "--stories", dir]);
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Lisbon") && l.ends_with("[3 sources]")),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Cup Final") && l.ends_with("[1 source]"))
    );
    // Off in the config: every article is its own story.
    let config = home.path().join("config.toml");
    std::fs::write(&config, "stories = false\n").unwrap();
    let cfg = config.to_str().unwrap();
    let o = tidings(home.path(), &["list", "--stories", "--config", cfg, dir]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 4);
}

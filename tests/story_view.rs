//! Stories in the reader (issue 17): one headline per story with `+N`, `z` to unfold it, "also
//! in" in the reader's title with `v` to the next version, and marks that follow the story.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;
use tidings::core::model::{Article, ArticleId, CategoryPath};
use tidings::core::state::{Action, Clock, State, StoryGroup};
use tidings::core::story::{StoryId, StoryIndex, StoryInput};
use tidings::keymap::Keymap;
use tidings::shell::app::{App, Msg};
use tidings::ui::theme::Theme;

fn article(key: &str, source: &str, hour: i64, title: &str) -> Article {
    let mut a = Article::new(ArticleId::from_key(key));
    a.title = title.into();
    a.source = Arc::from(source);
    a.dated = true;
    a.date = chrono::DateTime::from_timestamp(1_764_000_000 + hour * 3600, 0).unwrap();
    a.categories = CategoryPath::parse("World News / Europe")
        .into_iter()
        .collect();
    a.standfirst = Some(
        "The Lisbon city council approved a new tram line to Alcântara on Monday after a long debate."
            .into(),
    );
    a
}

fn library() -> Vec<Article> {
    vec![
        article(
            "a",
            "Harbour Wire",
            0,
            "Lisbon Council Approves New Tram Line to Alcântara",
        ),
        article(
            "b",
            "Meridian Courier",
            1,
            "Lisbon council approves Alcântara tram line",
        ),
        article(
            "c",
            "Northern Ledger",
            3,
            "Lisbon Approves New Alcântara Tram Line After Debate",
        ),
        {
            let mut a = article("d", "Harbour Wire", 2, "Cup Final Tonight");
            a.standfirst = Some("Football fans gather for the final.".into());
            a
        },
    ]
}

/// What the worker sends: the index's stories of two or more versions.
fn stories_of(articles: &[Article]) -> Action {
    let mut index = StoryIndex::new();
    let inputs: Vec<StoryInput> = articles.iter().map(StoryInput::from_article).collect();
    let added = index.add(&inputs);
    let source = |id: &ArticleId| {
        articles
            .iter()
            .find(|a| &a.id == id)
            .unwrap()
            .source
            .clone()
    };
    let changed = added
        .changed
        .into_iter()
        .filter(|s| index.members(s).len() > 1)
        .map(|id| StoryGroup {
            members: index
                .members(&id)
                .iter()
                .map(|m| (m.clone(), source(m)))
                .collect(),
            representative: index.representative(&id).unwrap().clone(),
            id,
        })
        .collect();
    Action::Stories {
        changed,
        removed: vec![],
    }
}

fn app() -> App<TestBackend> {
    let clock = Clock {
        now: chrono::DateTime::from_timestamp(1_764_100_000, 0).unwrap(),
        tz: chrono::FixedOffset::east_opt(0).unwrap(),
    };
    let terminal = Terminal::new(TestBackend::new(160, 20)).unwrap();
    let mut app = App::new(
        terminal,
        State::new(clock, None),
        Keymap::default(),
        Theme::default(),
    )
    .unwrap();
    let articles = library();
    let stories = stories_of(&articles);
    app.handle(Msg::Action(Action::Loaded {
        articles,
        warnings: vec![],
    }));
    app.handle(Msg::Action(stories));
    app.handle(Msg::Action(Action::LoadingDone));
    app
}

fn screen(app: &mut App<TestBackend>) -> String {
    app.draw().unwrap();
    let buf = app.terminal.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn titles(app: &App<TestBackend>) -> Vec<String> {
    let s = &app.state;
    s.visible()
        .iter()
        .map(|&i| s.lib().articles()[i].title.to_string())
        .collect()
}

#[test]
fn one_headline_per_story_with_plus_n_and_z_unfolds_it() {
    let mut app = app();
    assert_eq!(
        titles(&app),
        [
            "Cup Final Tonight",
            "Lisbon Council Approves New Tram Line to Alcântara"
        ],
        "the earliest version stands for the story"
    );
    let s = screen(&mut app);
    assert!(
        s.lines()
            .any(|l| l.contains("Lisbon Council Approves") && l.contains("+2")),
        "{s}"
    );
    assert!(
        !s.lines()
            .any(|l| l.contains("Cup Final") && l.contains('+'))
    );
    insta::assert_snapshot!("stories_folded_160x20", s);
    // z on the story: its versions as rows; z again folds them.
    app.handle(Msg::Action(Action::Down));
    app.handle(Msg::Action(Action::ToggleStory));
    assert_eq!(titles(&app).len(), 4);
    insta::assert_snapshot!("stories_unfolded_160x20", screen(&mut app));
    app.handle(Msg::Action(Action::ToggleStory));
    assert_eq!(titles(&app).len(), 2);
}

#[test]
fn the_reader_says_where_else_and_v_reads_the_next_version() {
    let mut app = app();
    app.handle(Msg::Action(Action::Down));
    app.handle(Msg::Action(Action::Choose));
    assert_eq!(app.state.also_in(), ["Meridian Courier", "Northern Ledger"]);
    let s = screen(&mut app);
    // Under the byline, wrapped to the pane.
    assert!(s.contains("Also in: Meridian Courier, Northern"), "{s}");
    assert!(s.contains("Ledger (v)"), "{s}");
    insta::assert_snapshot!("stories_also_in_160x20", s);
    app.handle(Msg::Action(Action::NextVersion));
    let open = app.state.reader_article().unwrap();
    assert_eq!(&*open.source, "Meridian Courier");
    assert_eq!(app.state.also_in(), ["Harbour Wire", "Northern Ledger"]);
}

#[test]
fn reading_a_story_marks_every_version_unless_story_marks_is_one() {
    let mut app = app();
    // The tree counts stories: three versions of one story are one unread story.
    assert_eq!(app.state.unread(), 2);
    let europe = |app: &App<TestBackend>| {
        let tree = app.state.categories();
        let n = (0..tree.nodes.len())
            .find(|&n| tree.path_of(n) == "World News / Europe")
            .unwrap();
        app.state.row_unread(tidings::core::state::TreeRow::Node(n))
    };
    // The Lisbon story and the cup final (filed under Europe too here): two, not four.
    assert_eq!(europe(&app), 2);
    app.handle(Msg::Action(Action::Down));
    app.handle(Msg::Action(Action::Choose));
    assert_eq!(app.state.unread(), 1, "the three versions are read");
    assert_eq!(europe(&app), 1);
    let mut one = self::app();
    one.handle(Msg::Action(Action::StoryMarksOne(true)));
    one.handle(Msg::Action(Action::Down));
    one.handle(Msg::Action(Action::Choose));
    let read = (0..4).filter(|&i| one.state.is_read(i)).count();
    assert_eq!(read, 1, "only the version read");
    assert_eq!(
        one.state.unread(),
        2,
        "the story still has unread versions: it counts once"
    );
    assert_eq!(europe(&one), 2);
}

/// One update may move a version to a story told before the story it leaves: it stays in its
/// new story (it showed as a headline of its own when the old story's update dropped it).
#[test]
fn a_version_moved_to_a_story_told_first_stays_in_it() {
    let mut app = app();
    let articles: Vec<Article> = ["x", "m", "y", "z"]
        .iter()
        .enumerate()
        .map(|(n, k)| {
            article(
                k,
                &format!("Source {k}"),
                10 + n as i64,
                &format!("Story {k}"),
            )
        })
        .collect();
    app.handle(Msg::Action(Action::Loaded {
        articles: articles.clone(),
        warnings: vec![],
    }));
    let group = |id: &str, members: &[&str]| StoryGroup {
        id: StoryId::of_article(ArticleId::from_key(id)),
        members: (members.iter())
            .map(|k| (ArticleId::from_key(k), Arc::from(format!("Source {k}"))))
            .collect(),
        representative: ArticleId::from_key(id),
    };
    let before = titles(&app).len();
    app.handle(Msg::Action(Action::Stories {
        changed: vec![group("x", &["x", "m"])],
        removed: vec![],
    }));
    assert_eq!(titles(&app).len(), before - 1);
    // m leaves x's story for y's, and z joins x's; y's story is told first.
    app.handle(Msg::Action(Action::Stories {
        changed: vec![group("y", &["y", "m"]), group("x", &["x", "z"])],
        removed: vec![],
    }));
    let shown = titles(&app);
    assert_eq!(shown.len(), before - 2, "{shown:?}");
    assert!(!shown.contains(&"Story m".to_string()), "{shown:?}");
    assert!(!shown.contains(&"Story z".to_string()), "{shown:?}");
}

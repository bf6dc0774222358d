use super::*;
use chrono::TimeZone;

/// An owned test article.
struct A {
    id: ArticleId,
    source: String,
    title: String,
    lead: Option<String>,
    link: Option<String>,
    date: DateTime<Utc>,
    dated: bool,
    words: u32,
}

impl A {
    fn input(&self) -> StoryInput<'_> {
        StoryInput {
            id: &self.id,
            source: &self.source,
            title: &self.title,
            lead: self.lead.as_deref().map(Cow::Borrowed),
            link: self.link.as_deref(),
            date: self.date,
            dated: self.dated,
            words: self.words,
        }
    }

    fn link(mut self, link: &str) -> A {
        self.link = Some(link.to_string());
        self
    }

    fn words(mut self, words: u32) -> A {
        self.words = words;
        self
    }

    fn undated(mut self) -> A {
        self.dated = false;
        self
    }
}

/// An article of `source`, `hours` after a fixed time.
fn a(source: &str, hours: f64, title: &str, lead: &str) -> A {
    let base = Utc.with_ymd_and_hms(2026, 3, 10, 6, 0, 0).unwrap();
    A {
        id: ArticleId::from_key(&format!("{source}|{title}|{hours}")),
        source: source.to_string(),
        title: title.to_string(),
        lead: (!lead.is_empty()).then(|| lead.to_string()),
        link: None,
        date: base + chrono::Duration::seconds((hours * 3600.0) as i64),
        dated: true,
        words: lead.split_whitespace().count() as u32,
    }
}

fn index(arts: &[A]) -> StoryIndex {
    StoryIndex::build(arts.iter().map(A::input))
}

fn same(ix: &StoryIndex, x: &A, y: &A) -> bool {
    ix.story_of(&x.id).unwrap() == ix.story_of(&y.id).unwrap()
}

/// The groups as sorted lists of ids, with their story ids.
fn groups_of(ix: &StoryIndex, arts: &[A]) -> Vec<(String, Vec<String>)> {
    let mut m: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for x in arts {
        m.entry(ix.story_of(&x.id).unwrap().to_string())
            .or_default()
            .push(x.id.to_string());
    }
    m.into_iter()
        .map(|(k, mut v)| {
            v.sort();
            (k, v)
        })
        .collect()
}

/// Word hashes of a text (flags dropped), sorted.
fn words(title: &str, lead: &str) -> Vec<u32> {
    let mut s = Scratch::default();
    let an = analyse(title, (!lead.is_empty()).then_some(lead), &mut s);
    let mut v: Vec<u32> = an
        .tokens
        .iter()
        .filter(|&&t| t & F_ALIAS == 0)
        .map(|t| t >> FLAG_BITS)
        .collect();
    v.sort_unstable();
    v
}

fn tokens(title: &str, lead: &str) -> Analysis {
    analyse(
        title,
        (!lead.is_empty()).then_some(lead),
        &mut Scratch::default(),
    )
}

// ------------------------------------------------------------------ canonical links

#[test]
fn canonical_link_table() {
    let rows: &[(&str, &str)] = &[
        ("https://example.com/a/b", "https://example.com/a/b"),
        ("HTTPS://Example.COM/A/b", "https://example.com/A/b"),
        ("http://example.com/a", "https://example.com/a"),
        ("https://example.com/a/", "https://example.com/a"),
        ("https://example.com/", "https://example.com"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://www.example.com/a", "https://example.com/a"),
        ("https://m.example.com/a", "https://example.com/a"),
        ("https://mobile.example.com/a", "https://example.com/a"),
        ("https://amp.example.com/a", "https://example.com/a"),
        ("https://www.m.example.com/a", "https://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "https://example.com/a"),
        ("https://example.com:8080/a", "https://example.com:8080/a"),
        ("https://user:pw@example.com/a", "https://example.com/a"),
        ("https://example.com/a/amp", "https://example.com/a"),
        ("https://example.com/a/amp/", "https://example.com/a"),
        ("https://example.com/amp/a", "https://example.com/a"),
        (
            "https://example.com/a.amp.html",
            "https://example.com/a.html",
        ),
        ("https://example.com/a.amp", "https://example.com/a"),
        (
            "https://example.com/a?utm_source=x&utm_medium=rss",
            "https://example.com/a",
        ),
        (
            "https://example.com/a?UTM_Campaign=x",
            "https://example.com/a",
        ),
        (
            "https://example.com/a?fbclid=1&gclid=2&dclid=3",
            "https://example.com/a",
        ),
        (
            "https://example.com/a?ref=hn&ref_src=twsrc",
            "https://example.com/a",
        ),
        (
            "https://example.com/a?mc_cid=1&mc_eid=2",
            "https://example.com/a",
        ),
        (
            "https://example.com/a?amp=1&outputType=amp",
            "https://example.com/a",
        ),
        (
            "https://example.com/a?CMP=share_btn_link",
            "https://example.com/a",
        ),
        (
            "https://example.com/a?id=7&utm_source=x",
            "https://example.com/a?id=7",
        ),
        (
            "https://example.com/a?b=2&a=1",
            "https://example.com/a?a=1&b=2",
        ),
        ("https://example.com/a?a=1&a=1", "https://example.com/a?a=1"),
        ("https://example.com/a?", "https://example.com/a"),
        ("  https://example.com/a  ", "https://example.com/a"),
        // A host that is only `www.` plus a name keeps its prefix (nothing left to strip to).
        ("https://www.com/a", "https://www.com/a"),
        // Not web URLs: only the fragment goes; no tracking rules outside http(s).
        ("urn:uuid:1234#x", "urn:uuid:1234"),
        ("ftp://Example.com/a/?ref=x", "ftp://example.com/a?ref=x"),
        ("not a url", "not a url"),
        // Non-ASCII hosts and paths survive.
        ("https://www.Exämple.com/ä/", "https://exämple.com/ä"),
    ];
    for (input, want) in rows {
        assert_eq!(&canonical_link(input), want, "{input}");
    }
}

#[test]
fn tracking_copies_are_one_story() {
    let arts = [
        a(
            "Courier",
            0.0,
            "Three killed as storm sweeps through Lisbon",
            "x y z",
        )
        .link("https://www.courier.example/world/storm-lisbon/"),
        // Another title altogether, another source: the link says it is the same article.
        a("Digest", 30.0, "What we know", "")
            .link("http://courier.example/world/storm-lisbon?utm_source=digest#top"),
        a("Digest", 31.0, "Storm: the pictures", "")
            .link("https://amp.courier.example/world/storm-lisbon/amp?ref=digest"),
    ];
    let ix = index(&arts);
    assert!(same(&ix, &arts[0], &arts[1]));
    assert!(same(&ix, &arts[0], &arts[2]));
    assert_eq!(ix.members(ix.story_of(&arts[0].id).unwrap()).len(), 3);
}

// ------------------------------------------------------------------ reading text

#[test]
fn html_lead_is_the_text_at_the_start() {
    let cases: &[(&str, &str)] = &[
        ("<p>Hello <b>world</b></p><p>again</p>", "Hello world again"),
        ("Plain   text\n\twith  spaces", "Plain text with spaces"),
        ("Tom&amp;Jerry &#8217;s", "Tom Jerry s"),
        ("<script>var x = '<p>no</p>';</script><p>yes</p>", "yes"),
        ("<STYLE>p { color: red }</STYLE>ok", "ok"),
        ("<!-- <p>hidden</p> -->shown", "shown"),
        ("<p>a<br>b</p>", "a b"),
        ("no closing <b", "no closing"),
        ("", ""),
    ];
    for (html, want) in cases {
        assert_eq!(html_lead(html, 100), *want, "{html}");
    }
    let long = "<p>".to_string() + &"word ".repeat(200) + "</p>";
    let lead = html_lead(&long, 50);
    assert!(lead.len() <= 50 && lead.ends_with("word"), "{lead}");
}

#[test]
fn from_article_takes_the_standfirst_else_the_body() {
    let mut art = crate::core::model::Article {
        id: ArticleId::from_key("x"),
        title: "Title".into(),
        source: "S".into(),
        author: None,
        date: Utc::now(),
        dated: true,
        link: Some("https://e.example/a".into()),
        categories: Vec::new(),
        standfirst: Some("The standfirst".into()),
        body: crate::core::model::Body::Blocks(vec![crate::core::model::Block::new(
            crate::core::model::BlockKind::Paragraph,
            "First paragraph",
        )]),
        words: 12,
        meta: Box::default(),
        origin: "o".into(),
    };
    assert_eq!(
        StoryInput::from_article(&art).lead.as_deref(),
        Some("The standfirst")
    );
    art.standfirst = None;
    assert_eq!(
        StoryInput::from_article(&art).lead.as_deref(),
        Some("First paragraph")
    );
    art.body = crate::core::model::Body::Html(Box::new(crate::core::model::PendingHtml {
        html: "<p>Pending <i>html</i></p>".into(),
        base: None,
    }));
    assert_eq!(
        StoryInput::from_article(&art).lead.as_deref(),
        Some("Pending html")
    );
    art.body = crate::core::model::Body::default();
    assert_eq!(StoryInput::from_article(&art).lead, None);
    let input = StoryInput::from_article(&art);
    assert_eq!(
        (input.title, input.link, input.words),
        ("Title", Some("https://e.example/a"), 12)
    );
}

#[test]
fn words_are_normalised() {
    // Case, accents, plurals and tenses, number words.
    assert_eq!(words("Storm kills three", ""), words("storm killed 3", ""));
    assert_eq!(words("Storm Hermínia", ""), words("storm herminia", ""));
    assert_eq!(words("Rates rated", ""), words("rate", ""));
    assert_eq!(words("parties", ""), words("party", ""));
    // Numbers: thousands separators, decimal commas, trailing zeros, units.
    assert_eq!(words("1,100 flights", ""), words("1100 flight", ""));
    assert_eq!(words("at 2.50%", ""), words("at 2.5 %", ""));
    assert_ne!(words("2.5", ""), words("25", ""));
    assert_eq!(words("€5m", ""), words("5 million", ""));
    assert_eq!(words("$8.2bn", ""), words("8.2 billion", ""));
    // Demonyms are their country; `U.S.`, `US` and `United States` are one place.
    assert_eq!(words("German economy", ""), words("Germany economy", ""));
    assert_eq!(words("U.S. tariffs", ""), words("US tariffs", ""));
    assert_eq!(
        words("United States tariffs", ""),
        words("US tariffs united", "")
    );
    // `us` the pronoun is a stop word, `US` the country is not.
    assert_ne!(words("Tell us more", ""), words("Tell US more", ""));
    // Stop words and weekdays go.
    assert_eq!(
        words("The storm hits on Monday", ""),
        words("storm hits", "")
    );
}

#[test]
fn distinctive_words_and_aliases() {
    let flags_of = |an: &Analysis, word: &str| -> u32 {
        let h = (word_hash(word.as_bytes()) >> (32 + FLAG_BITS)) as u32;
        an.tokens
            .iter()
            .find(|&&t| t >> FLAG_BITS == h)
            .map_or(0, |t| t & ((1 << FLAG_BITS) - 1))
    };
    let an = tokens(
        "Storm hits Lisbon as Hermínia sweeps in",
        "The European Central Bank said 120 people were hurt.",
    );
    assert_eq!(
        flags_of(&an, "lisbon") & (F_TITLE | F_DISTINCT | F_PLACE),
        F_TITLE | F_DISTINCT | F_PLACE
    );
    assert_ne!(
        flags_of(&an, "herminia") & F_DISTINCT,
        0,
        "a name inside a sentence"
    );
    assert_eq!(
        flags_of(&an, "storm") & F_DISTINCT,
        0,
        "the first word is not a name"
    );
    assert_ne!(flags_of(&an, "storm") & F_CAP, 0, "but it is capitalised");
    assert_ne!(flags_of(&an, "120") & F_NUMBER, 0);
    assert_ne!(
        flags_of(&an, "ecb") & F_ALIAS,
        0,
        "European Central Bank = ECB"
    );
    assert_ne!(
        flags_of(&an, "portugal") & F_ALIAS,
        0,
        "Lisbon stands for Portugal"
    );
    // Title Case: capitals say nothing; places and acronyms still count.
    let an = tokens("Storm Hits Lisbon As Officials Warn ECB", "");
    assert_eq!(flags_of(&an, "officials") & F_KEY, 0);
    assert_ne!(flags_of(&an, "lisbon") & F_DISTINCT, 0);
    assert_ne!(flags_of(&an, "ecb") & F_DISTINCT, 0);
    // Shouting: nothing from case, not even acronyms (the stop word `us` stays one).
    let an = tokens("STORM HITS LISBON, TELL US", "");
    assert_eq!(flags_of(&an, "us"), 0);
    assert_ne!(flags_of(&an, "lisbon") & F_DISTINCT, 0);
}

#[test]
fn languages_and_scripts() {
    assert_eq!(
        tokens("The storm hits the city of Lisbon", "").lang,
        LANG_EN
    );
    assert_eq!(tokens("La BCE maintient ses taux à 2,5 %", "").lang, 2);
    assert_eq!(
        tokens("Die EZB lässt den Leitzins bei 2,5 Prozent", "").lang,
        3
    );
    assert_eq!(
        tokens(
            "Un incendio cerca de Atenas obliga a evacuar los pueblos",
            ""
        )
        .lang,
        4
    );
    assert_eq!(
        tokens("Шторм обрушился на Лиссабон", "").lang,
        SCRIPT_BASE + 2
    );
    assert_eq!(tokens("東京の市場が上昇", "").lang, SCRIPT_BASE + 8);
    // Too few clues: unknown, which matches any language.
    assert_eq!(tokens("Storm hits Lisbon", "").lang, LANG_UNKNOWN);
    // CJK text is read as pairs of characters.
    assert_eq!(words("東京の市場", ""), words("東京の市場", ""));
    assert_eq!(words("東京の", "").len(), 2);
}

// ------------------------------------------------------------------ the text test

#[test]
fn versions_of_one_event_group_and_traps_stay_apart() {
    let wire = a(
        "Wire",
        0.0,
        "Storm Hermínia batters Lisbon, leaving three dead",
        "Winds of up to 130km/h tore through the Portuguese capital overnight, uprooting trees; three people were killed, officials said.",
    );
    let paper = a(
        "Paper",
        3.0,
        "Three killed as Storm Herminia sweeps through Lisbon",
        "Falling trees in the Portuguese capital left three dead after winds reached 130km/h.",
    );
    let flash = a(
        "Agency",
        0.5,
        "Storm kills three in Lisbon",
        "Storm Hermínia brought 130km/h winds.",
    );
    // Same topic, another city, the next day.
    let porto = a(
        "Wire",
        23.0,
        "Storm hits Porto, leaving three dead",
        "Winds of up to 130km/h tore through the northern city overnight, uprooting trees; three people were killed, officials said.",
    );
    // A translation.
    let french = a(
        "Gazette",
        2.0,
        "La tempête Hermínia frappe Lisbonne et fait trois morts",
        "Des vents de 130 km/h ont balayé la capitale portugaise dans la nuit, selon les autorités.",
    );
    let arts = [wire, paper, flash, porto, french];
    let ix = index(&arts);
    assert!(same(&ix, &arts[0], &arts[1]));
    assert!(same(&ix, &arts[0], &arts[2]));
    assert!(!same(&ix, &arts[0], &arts[3]), "Lisbon and Porto");
    assert!(!same(&ix, &arts[2], &arts[3]), "Lisbon and Porto");
    assert!(!same(&ix, &arts[0], &arts[4]), "a translation");
    let sc = pair_score(&arts[0].input(), &arts[3].input());
    assert!(sc.conflict && !sc.same_event(), "{sc:?}");
    assert!(pair_score(&arts[0].input(), &arts[4].input()).other_language);
}

#[test]
fn template_headlines_for_other_countries_stay_apart() {
    let lead = |c: &str| {
        format!(
            "{c} gross domestic product fell 0.2% in the last three months of 2025 from the previous quarter, the statistics office said."
        )
    };
    let arts = [
        a(
            "Wire",
            0.0,
            "Germany's economy shrinks 0.2% in fourth quarter",
            &lead("German"),
        ),
        a(
            "Paper",
            2.0,
            "Italy's economy shrinks 0.2% in fourth quarter",
            &lead("Italian"),
        ),
        a(
            "Agency",
            1.0,
            "Spain's economy shrinks 0.2% in fourth quarter",
            "",
        ),
        a(
            "Agency2",
            1.0,
            "Bank of England holds interest rates at 4%",
            "The vote was 6-3.",
        ),
        a(
            "Paper2",
            1.5,
            "ECB holds interest rates at 2.5%",
            "The vote was unanimous.",
        ),
    ];
    let ix = index(&arts);
    assert_eq!(ix.story_count(), 5, "{:?}", ix.groups());
}

#[test]
fn the_48_hour_window() {
    let title = "Central bank holds interest rates at 2.5% as inflation cools";
    let lead =
        "The central bank left its deposit rate unchanged at 2.5%, saying inflation was slowing.";
    for (hours, together) in [
        (1.0, true),
        (47.5, true),
        (48.5, false),
        (24.0 * 30.0, false),
    ] {
        let arts = [a("Wire", 0.0, title, lead), a("Paper", hours, title, lead)];
        let ix = index(&arts);
        assert_eq!(
            same(&ix, &arts[0], &arts[1]),
            together,
            "{hours} hours apart"
        );
    }
    // A chain of versions does not stretch a story beyond the window either.
    let arts = [
        a("A", 0.0, title, lead),
        a("B", 30.0, title, lead),
        a("C", 60.0, title, lead),
    ];
    let ix = index(&arts);
    assert!(!same(&ix, &arts[0], &arts[2]));
}

#[test]
fn one_source_twice_is_two_stories_unless_one_article() {
    let title = "Paintings worth €5m stolen from Ghent museum";
    let lead =
        "Thieves took three Flemish paintings from the Museum of Fine Arts in Ghent overnight.";
    let arts = [
        a("Wire", 0.0, title, lead),
        a("Wire", 5.0, title, lead),
        a("Paper", 1.0, title, lead),
    ];
    let ix = index(&arts);
    assert!(!same(&ix, &arts[0], &arts[1]));
    // The same link: one article, whatever the source.
    let arts = [
        a("Wire", 0.0, title, lead).link("https://w.example/a"),
        a("Wire", 5.0, "Updated: paintings stolen", "").link("https://w.example/a?utm_source=x"),
    ];
    assert!(same(&index(&arts), &arts[0], &arts[1]));
}

#[test]
fn a_follow_up_does_not_join_through_one_version() {
    // The paper's version of the theft resembles the wire's arrests story, but the theft story
    // already holds the wire's own version: one source cannot have two versions of one event.
    let arts = [
        a(
            "Wire",
            0.0,
            "Paintings worth €5m stolen from Ghent museum",
            "Thieves broke into the Museum of Fine Arts in Ghent overnight and took three Flemish paintings, Belgian police said.",
        ),
        a(
            "Paper",
            3.0,
            "Three Flemish masterpieces stolen in Ghent museum raid",
            "The paintings, worth €5m, were taken from the Museum of Fine Arts overnight, police said.",
        ),
        a(
            "Wire",
            40.0,
            "Two arrested over Ghent museum theft",
            "Belgian police arrested two men over the theft of three Flemish paintings from Ghent's Museum of Fine Arts.",
        ),
    ];
    let ix = index(&arts);
    assert!(same(&ix, &arts[0], &arts[1]));
    assert!(!same(&ix, &arts[1], &arts[2]));
}

#[test]
fn undated_articles_join_by_link_only() {
    let title = "Storm Hermínia batters Lisbon, leaving three dead";
    let lead = "Winds of up to 130km/h tore through the Portuguese capital overnight.";
    let arts = [
        a("Wire", 0.0, title, lead).link("https://w.example/storm"),
        a("Files", 0.0, title, lead).undated(),
        a("Files2", 0.0, "Saved page", "")
            .undated()
            .link("https://w.example/storm#x"),
    ];
    let ix = index(&arts);
    assert!(!same(&ix, &arts[0], &arts[1]));
    assert!(same(&ix, &arts[0], &arts[2]));
}

// ------------------------------------------------------------------ ids, order, batches

/// Versions of several stories from several sources, with traps, for the order tests.
fn sample() -> Vec<A> {
    let mut v = Vec::new();
    let stories = [
        (
            "Storm Hermínia batters Lisbon, leaving three dead",
            "Winds of 130km/h tore through the Portuguese capital.",
        ),
        (
            "Storm floods Porto riverside as Douro bursts its banks",
            "Heavy rain swelled the Douro and flooded Porto.",
        ),
        (
            "ECB holds interest rates at 2.5% as inflation cools",
            "The European Central Bank left its deposit rate at 2.5%.",
        ),
        (
            "Bank of England holds interest rates at 4% in split vote",
            "The Monetary Policy Committee voted 6-3.",
        ),
        (
            "Calder Motors recalls 120,000 cars over brake fault",
            "The carmaker said a faulty brake sensor could delay braking.",
        ),
        (
            "Nordair to cut 800 jobs as fuel costs bite",
            "The airline will cut 800 office and maintenance jobs.",
        ),
    ];
    for (k, (title, lead)) in stories.iter().enumerate() {
        let h = k as f64 * 5.0;
        v.push(a("Wire", h, title, lead).link(&format!("https://wire.example/{k}")));
        v.push(a("Paper", h + 2.0, title, lead).link(&format!("https://paper.example/{k}")));
        let short: String = title
            .split_whitespace()
            .take(5)
            .collect::<Vec<_>>()
            .join(" ");
        v.push(a("Agency", h + 0.5, &short, ""));
        v.push(
            a("Digest", h + 8.0, "Read this", "")
                .link(&format!("https://www.paper.example/{k}/?utm_source=digest")),
        );
    }
    v
}

#[test]
fn same_stories_and_ids_in_any_order_and_in_batches() {
    let arts = sample();
    let reference = groups_of(&index(&arts), &arts);
    assert!(reference.iter().any(|(_, m)| m.len() >= 3), "{reference:?}");
    let mut order: Vec<usize> = (0..arts.len()).collect();
    let mut seed = 0x1234_5678_9abc_def0u64;
    for round in 0..8 {
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        let inputs: Vec<StoryInput<'_>> = order.iter().map(|&i| arts[i].input()).collect();
        let ix = StoryIndex::build(inputs.iter().cloned());
        assert_eq!(groups_of(&ix, &arts), reference, "round {round}");
        // In batches of three, then one by one: the same as all at once.
        let mut ix = StoryIndex::new();
        for chunk in inputs.chunks(3) {
            ix.add(chunk);
        }
        assert_eq!(groups_of(&ix, &arts), reference, "batches, round {round}");
        let mut ix = StoryIndex::new();
        for one in &inputs {
            ix.add(std::slice::from_ref(one));
        }
        assert_eq!(
            groups_of(&ix, &arts),
            reference,
            "one by one, round {round}"
        );
    }
    // And the candidate index misses nothing that comparing all pairs finds.
    let mut all = StoryIndex::with_all_pairs();
    all.add(&arts.iter().map(A::input).collect::<Vec<_>>());
    assert_eq!(groups_of(&all, &arts), reference);
}

#[test]
fn story_id_is_the_earliest_version_and_changes_are_reported() {
    let title = "Nordair to cut 800 jobs as fuel costs bite";
    let lead = "The airline will cut 800 office and maintenance jobs to save $150m a year.";
    let paper = a("Paper", 5.0, title, lead);
    let wire = a("Wire", 1.0, title, lead);
    let flash = a("Agency", 0.0, "Nordair to cut 800 jobs", "");
    let mut ix = StoryIndex::new();
    let added = ix.add(&[paper.input()]);
    let first = added.stories[0].clone();
    assert_eq!(first.article(), &paper.id);
    assert_eq!(added.changed, vec![first.clone()]);
    assert!(added.removed.is_empty());
    // An earlier version arrives: the story is renamed after it.
    let added = ix.add(&[wire.input()]);
    let second = added.stories[0].clone();
    assert_eq!(second.article(), &wire.id);
    assert_eq!(ix.story_of(&paper.id), Some(&second));
    assert_eq!(added.changed, vec![second.clone()]);
    assert_eq!(added.removed, vec![first.clone()]);
    assert!(ix.members(&first).is_empty());
    assert_eq!(ix.members(&second), [wire.id.clone(), paper.id.clone()]);
    // An id added again is the same article: nothing changes.
    let added = ix.add(&[paper.input()]);
    assert_eq!(added.stories, vec![second.clone()]);
    assert!(added.changed.is_empty() && added.removed.is_empty());
    assert_eq!(ix.len(), 2);
    // The flash is earliest of all.
    let added = ix.add(&[flash.input()]);
    assert_eq!(added.stories[0].article(), &flash.id);
    assert_eq!(ix.members(&added.stories[0]).len(), 3);
    assert_eq!(ix.story_count(), 1);
    assert_eq!(ix.groups().len(), 1);
    assert_eq!(added.stories[0].to_string(), flash.id.to_string());
}

#[test]
fn representative_is_the_earliest_full_version() {
    let title = "Nordair to cut 800 jobs as fuel costs bite";
    let lead = "The airline will cut 800 office and maintenance jobs to save $150m a year.";
    let flash = a("Agency", 0.0, "Nordair to cut 800 jobs", "").words(10);
    let wire = a("Wire", 1.0, title, lead).words(400);
    let paper = a("Paper", 2.0, title, lead).words(700);
    let late = a("Late", 3.0, title, lead).words(900);
    let ix = index(&[flash, wire, paper, late]);
    let story = ix
        .story_of(&ArticleId::from_key("Agency|Nordair to cut 800 jobs|0"))
        .unwrap();
    // Longest 900: the earliest with at least 450 words is the paper.
    assert_eq!(
        ix.representative(story),
        Some(&ArticleId::from_key(&format!("Paper|{title}|2")))
    );
    assert_eq!(
        ix.members(story)[0],
        ArticleId::from_key("Agency|Nordair to cut 800 jobs|0")
    );
}

#[test]
fn a_story_holds_at_most_max_versions() {
    let title = "Storm Hermínia batters Lisbon, leaving three dead";
    let lead = "Winds of 130km/h tore through the Portuguese capital overnight.";
    let arts: Vec<A> = (0..MAX_VERSIONS + 10)
        .map(|k| a(&format!("Source {k}"), k as f64 * 0.1, title, lead))
        .collect();
    let ix = index(&arts);
    for (_, members) in ix.groups() {
        assert!(members.len() <= MAX_VERSIONS);
    }
    assert_eq!(
        ix.groups().iter().map(|(_, m)| m.len()).sum::<usize>(),
        arts.len()
    );
}

/// The scorer and the index checked against their simple forms.
#[path = "internals_tests.rs"]
mod internals;

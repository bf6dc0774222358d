//! Stories (issue 17): the versions of one piece of news from several sources, grouped so that a
//! reader sees one headline per story. Pure: no IO; the index is fed articles (or the lighter
//! [`StoryInput`]) and answers which story each belongs to. docs/stories.md has the measurements
//! and the API for the UI.
//!
//! # Links
//!
//! Two articles are *linked* when
//! - they are **the same article**: equal [`ArticleId`] (an id added twice is one article), or
//!   equal [`canonical_link`] (tracking parameters, `amp`/`m.`/`www.` variants, fragments and
//!   trailing slashes removed), whatever their sources, dates and texts; or
//! - they are **versions of one event**: both dated, from different sources, published within
//!   [`WINDOW_HOURS`] of each other, and the text test below holds.
//!
//! Stories are then formed from the links (see [`StoryIndex`]): strongest links first, never
//! putting in one story two articles that *cannot* be versions of one event (one source twice,
//! two languages, more than [`WINDOW_HOURS`] apart, conflicting titles). The result depends only
//! on the *set* of articles indexed, never on the order they were added in.
//!
//! # The text test
//!
//! 1. Words: title + lead (the standfirst, else the body's first paragraph or the start of its
//!    HTML, at most [`LEAD_BYTES`]) are cut into words; numbers keep their decimals (`2,5` =
//!    `2.5`, `1,100` = `1100`, `€5m` = `5` `million`, `M6.8` = `6.8`) and number words count as
//!    digits (`three` = `3`); words are lowercased and accent-folded, stop words of the text's
//!    language dropped, English words lightly stemmed (`kills`/`killed`/`killing` = `kill`),
//!    demonyms folded into their country (`German` = `Germany`), `quake` read as `earthquake`.
//! 2. Kinds of words: *distinctive* words are numbers, places (a built-in list of countries,
//!    demonyms and large cities), acronyms (`ECB`) and words capitalised inside a sentence
//!    (names); a word capitalised at a sentence start is only *capitalised* (`Nexora shares
//!    jump`); a title's opening `Label:` is neither. Distinctive words weigh [`W_DISTINCT`],
//!    others 1, and a title word [`W_TITLE`] more. *Aliases* are other names of a word of the
//!    text: the initials of a capitalised run (`European Central Bank` = `ECB`, `Bank of England`
//!    = `BoE`), the country of a capital (`Washington` = `US`); an alias counts only when the
//!    other text has the word itself.
//! 3. Language: guessed from stop words (en, fr, de, es, pt, it, nl) or from the script (Cyrillic,
//!    Greek, Arabic, Hebrew, CJK, Hangul, …); two texts in different known languages are never
//!    versions of one event (translations stay apart).
//! 4. Conflict veto: what each title holds that the other text (title and lead) lacks must not
//!    be a distinctive word of one kind on both sides (place against place: `Lisbon` / `Porto`;
//!    number against number: `1,100` / `420`; name against name), nor, on both sides, only words
//!    that name something (a template with another name: `Brightwave profit falls 20%` /
//!    `Solvane profit falls 20%`).
//! 5. Similarity: weighted Jaccard (Σ min weight / Σ max weight over the two word sets), with at
//!    least [`MIN_SHARED`] words in common, and either
//!    - two title words in common, or one that names something in both (distinctive in one,
//!      distinctive or capitalised in the other), and a similarity of [`MIN_SIMILARITY`]; or
//!    - two distinctive words in common anywhere (a rewritten headline over the same names and
//!      numbers) and a similarity of [`MIN_SIMILARITY_NAMES`].
//!
//! # Finding candidates
//!
//! Comparing all pairs is quadratic. Each article is filed, in a table per time slot of
//! [`WINDOW_HOURS`], under keys that any pair the text test accepts must share: each pair of its
//! title words, each title word that may name something, and each distinctive word (two of
//! which must be shared). A new article reads the keys of its slot and the two neighbouring
//! ones, so it meets only articles within the window that share such keys, never all of them:
//! the cost per article does not grow with the number of articles, only with how many share its
//! words in the same days. The candidates are exactly those comparing all pairs would accept
//! (tested), except for titles of more than [`MAX_PAIRED`] words, whose extra words are not
//! paired.
//!
//! # Story ids and the representative
//!
//! A [`StoryId`] is the [`ArticleId`] of the story's earliest version by `(date, id)`, so the same
//! articles give the same ids on every run and in any load order (`tidings show <story id>`
//! opens that version). When an earlier version joins later, the id changes; [`Added`] says
//! which stories changed and which ids are gone. The *representative* (the row the headline list
//! shows) is the earliest version that is at least half as long as the longest
//! (`Article::words`), so a short agency flash or an aggregator's stub never hides the full
//! story, and the original wins over later rewrites.

use crate::core::model::{Article, ArticleId, BlockKind};
use chrono::{DateTime, Utc};
use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// Versions of one event are published at most this far apart.
pub const WINDOW_HOURS: i64 = 48;
/// At most this much of the lead (standfirst or first paragraph) is read, in bytes.
pub const LEAD_BYTES: usize = 280;
/// Weight of a distinctive word (number, place, name, acronym); other words weigh 1.
pub const W_DISTINCT: u32 = 2;
/// Extra weight of a word that appears in the title.
pub const W_TITLE: u32 = 1;
/// The weighted Jaccard similarity two versions of one event reach at least (with two title
/// words in common, or one that names something).
pub const MIN_SIMILARITY: f32 = 0.22;
/// The similarity two versions whose titles share little (a rewritten headline) reach at least,
/// with two distinctive words (names, numbers, places) in common.
pub const MIN_SIMILARITY_NAMES: f32 = 0.3;
/// Words two versions have in common at least.
pub const MIN_SHARED: usize = 3;
/// Texts with fewer words than this (after stop words) are matched by link and id only.
pub const MIN_WORDS: usize = 3;
/// A story holds at most this many versions (this bounds the cost of regrouping).
pub const MAX_VERSIONS: usize = 64;
/// The candidate index has a table per time slot of this many seconds: two articles within
/// [`WINDOW_HOURS`] are in the same slot or in neighbouring ones.
const SLOT_SECONDS: i64 = WINDOW_HOURS * 3600;

// ------------------------------------------------------------------------------------------
// Public types

/// A story's id: the [`ArticleId`] of its earliest version (by date, then id).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StoryId(ArticleId);

impl StoryId {
    /// The earliest version's id.
    pub fn article(&self) -> &ArticleId {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for StoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What the index reads of an article. [`StoryInput::from_article`] fills it from an [`Article`]
/// without copying the strings (except a lead cut out of an HTML body).
#[derive(Debug, Clone)]
pub struct StoryInput<'a> {
    pub id: &'a ArticleId,
    /// The source's name: versions of one event come from different sources (an article and its
    /// tracking-link copy may share one).
    pub source: &'a str,
    pub title: &'a str,
    /// The standfirst, else the start of the body; cut to [`LEAD_BYTES`].
    pub lead: Option<Cow<'a, str>>,
    pub link: Option<&'a str>,
    pub date: DateTime<Utc>,
    /// False when `date` is a stand-in: such articles join stories by link and id only.
    pub dated: bool,
    /// Length, for choosing the representative ([`Article::words`]).
    pub words: usize,
}

impl<'a> StoryInput<'a> {
    /// The input for an article: its standfirst as the lead, else its first paragraph, else the
    /// text at the start of its pending HTML body.
    pub fn from_article(a: &'a Article) -> StoryInput<'a> {
        let lead = match &a.standfirst {
            Some(s) if !s.trim().is_empty() => Some(Cow::Borrowed(cut(s, LEAD_BYTES))),
            _ => a
                .blocks
                .iter()
                .find(|b| b.kind == BlockKind::Paragraph && !b.text.is_empty())
                .map(|b| Cow::Borrowed(cut(&b.text, LEAD_BYTES)))
                .or_else(|| {
                    a.pending
                        .as_ref()
                        .map(|p| Cow::Owned(html_lead(&p.html, LEAD_BYTES)))
                }),
        };
        StoryInput {
            id: &a.id,
            source: &a.source,
            title: &a.title,
            lead,
            link: a.link.as_deref(),
            date: a.date,
            dated: a.dated,
            words: a.words,
        }
    }
}

/// What [`StoryIndex::add`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Added {
    /// The story of each input, in input order (an id indexed before gives its story now).
    pub stories: Vec<StoryId>,
    /// Stories that are new or whose versions changed, by their id now; sorted.
    pub changed: Vec<StoryId>,
    /// Ids of stories that existed before the call and no longer do (merged into another,
    /// split, or renamed because an earlier version joined); sorted.
    pub removed: Vec<StoryId>,
}

// ------------------------------------------------------------------------------------------
// Link canonicalisation

/// Query parameters that only track the reader (compared lowercase; `utm_*` and a few other
/// prefixes are handled in [`is_tracking_param`]).
const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "gclsrc",
    "msclkid",
    "yclid",
    "twclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "ref",
    "ref_src",
    "ref_url",
    "referrer",
    "referer",
    "source",
    "src",
    "cmp",
    "cmpid",
    "ncid",
    "ocid",
    "icid",
    "ito",
    "smid",
    "smtyp",
    "sr_share",
    "share",
    "shared",
    "amp",
    "outputtype",
    "_ga",
    "_gl",
    "guccounter",
    "spm",
    "s_cid",
    "cid",
    "wt.mc_id",
    "rss",
    "feed",
    "at_medium",
    "at_campaign",
    "at_custom1",
    "at_custom2",
    "at_custom3",
    "at_custom4",
    "xtor",
    "partner",
    "mbid",
    "trk",
    "mkt_tok",
    "oly_enc_id",
    "oly_anon_id",
    "vero_id",
    "__s",
    "hsctatracking",
    "_hsenc",
    "_hsmi",
    "rb_clickid",
    "soc_src",
    "soc_trk",
    "cmpgn",
];

fn is_tracking_param(name: &str) -> bool {
    let prefixed = |p: &str| {
        name.len() >= p.len() && name.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
    };
    ["utm_", "pk_", "mtm_", "hmb_", "__twitter", "ga_"]
        .iter()
        .any(|p| prefixed(p))
        || TRACKING_PARAMS.iter().any(|t| t.eq_ignore_ascii_case(name))
}

/// A link with everything that does not change the page removed, so that two copies of one
/// article compare equal: scheme and host lowercased, `http` as `https`, default ports,
/// user info and the fragment dropped, `www.`, `m.`, `mobile.` and `amp.` host prefixes dropped,
/// an `/amp` path segment (first or last) and `.amp` before the extension dropped, a trailing
/// slash dropped, tracking parameters (`utm_*`, `fbclid`, `gclid`, `ref`, `mc_cid`, `mc_eid`, …)
/// dropped and the others sorted. Text that is not an absolute URL is only trimmed (and its
/// fragment dropped).
pub fn canonical_link(url: &str) -> String {
    let mut out = String::new();
    canonical_link_into(url, &mut out);
    out
}

/// [`canonical_link`] into a buffer (cleared first).
fn canonical_link_into(url: &str, out: &mut String) {
    out.clear();
    let url = url.trim();
    let url = url.split_once('#').map_or(url, |(u, _)| u);
    let scheme_ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    };
    let Some((scheme, rest)) = url.split_once("://").filter(|(s, _)| scheme_ok(s)) else {
        out.push_str(url);
        return;
    };
    let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
    let (authority, path_query) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    let mut host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if web {
        out.push_str("https");
        for port in [":80", ":443"] {
            host = host.strip_suffix(port).unwrap_or(host);
        }
        host = host.trim_end_matches('.');
        while let Some(stripped) = ["www.", "m.", "mobile.", "amp."].iter().find_map(|p| {
            (host.len() > p.len() && host.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes()))
                .then(|| &host[p.len()..])
        }) {
            if !stripped.contains('.') {
                break;
            }
            host = stripped;
        }
    } else {
        out.push_str(scheme);
    }
    out.push_str("://");
    out.push_str(host);
    out.make_ascii_lowercase();
    // The path, without `amp` variants and trailing slashes.
    let segs = || path.split('/').filter(|s| !s.is_empty());
    let n = segs().count();
    let is_amp = |s: &str| s.eq_ignore_ascii_case("amp");
    for (i, s) in segs().enumerate() {
        let last = i + 1 == n;
        if web && ((i == 0 && is_amp(s)) || (last && is_amp(s))) {
            continue;
        }
        out.push('/');
        match s.find(".amp") {
            Some(at)
                if web
                    && last
                    && (at + 4 == s.len() || s.as_bytes().get(at + 4) == Some(&b'.')) =>
            {
                out.push_str(&s[..at]);
                out.push_str(&s[at + 4..]);
            }
            _ => out.push_str(s),
        }
    }
    // The query, without tracking parameters, sorted.
    if query.is_empty() {
        return;
    }
    let mut params: Vec<&str> = query
        .split(['&', ';'])
        .filter(|p| !p.is_empty())
        .filter(|p| !(web && is_tracking_param(p.split('=').next().unwrap_or(p))))
        .collect();
    params.sort_unstable();
    params.dedup();
    for (i, p) in params.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(p);
    }
}

// ------------------------------------------------------------------------------------------
// Text analysis

/// Token flags, in the low bits of a packed token (`hash << FLAG_BITS | flags`).
const F_TITLE: u32 = 1;
const F_DISTINCT: u32 = 2;
const F_PLACE: u32 = 4;
const F_NUMBER: u32 = 8;
/// Another name for a word of the text (`ecb` for `European Central Bank`, `usa` for
/// `Washington`): it counts only when the other text has the word itself.
const F_ALIAS: u32 = 16;
/// Capitalised in a sentence-case text, even at a sentence start (`Nexora shares jump`).
const F_CAP: u32 = 32;
/// A word that may name something: distinctive or capitalised.
const F_KEY: u32 = F_DISTINCT | F_CAP;
const FLAG_BITS: u32 = 6;

/// Languages (stop-word lists) and scripts.
const LANG_UNKNOWN: u8 = 0;
const LANG_EN: u8 = 1;
const LANGS: usize = 7; // en fr de es pt it nl: bits 0..7 of a stop mask
const SCRIPT_BASE: u8 = 16;

/// Stop words by language, folded (lowercase, no accents). A word may be in several lists.
/// Weekdays and reporting verbs are English stop words too: versions of one event differ in
/// them and different events share them.
const STOP_EN: &str = "a about above after again against all also am amid an and any are as at be \
    been before being below between both but by can could did do does doing down during each few \
    for from further had has have having he her here hers him his how i if in into is it its \
    itself just me more most my no nor not now of off on once one only or other our out over own \
    same she should so some such than that the their them then there these they this those \
    through to too under until up very was we were what when where which while who whom why will \
    with would you your us says say said told tells according per via since yet new may might must \
    shall just still amid despite latest update updates live breaking report reports reported \
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight \
    percent cent mr mrs ms dr st";
const STOP_FR: &str = "le la les un une des du de au aux et ou en dans sur pour par avec sans ce \
    cette ces son sa ses leur leurs qui que qu est sont ete etre ont il elle ils elles on se ne \
    pas plus lui nous vous entre apres avant selon face contre lundi mardi mercredi jeudi \
    vendredi samedi dimanche d l s n c j a y";
const STOP_DE: &str = "der die das den dem des ein eine einen einem einer eines und oder mit fur \
    von vom im in auf ist sind bei zu zum zur nach aus hat haben wird werden wurde nicht auch \
    sich als wie am um uber vor durch gegen bis es sie er wir ihr ihre sein seine dass noch mehr \
    montag dienstag mittwoch donnerstag freitag samstag sonntag";
const STOP_ES: &str = "el la los las del de un una unos unas y o en con por para que se su sus \
    al lo como mas pero tras sobre entre ha han es son fue desde hasta lunes martes miercoles \
    jueves viernes sabado domingo";
const STOP_PT: &str = "o os a as do da dos das de um uma e em no na nos nas com por para que se \
    seu sua ao pelo pela mais como foi sao apos entre sobre segunda terca quarta quinta sexta \
    sabado domingo";
const STOP_IT: &str = "il lo gli la le i un una uno di del della dei delle degli e ed in nel \
    nella con per che si sono da dal dalla al alla sul sulla tra fra come piu dopo lunedi \
    martedi mercoledi giovedi venerdi sabato domenica";
const STOP_NL: &str = "de het een en van in op met voor dat die is zijn niet aan te bij naar om \
    uit door ook als er over maandag dinsdag woensdag donderdag vrijdag zaterdag zondag";

/// Words that mark a language: the stop words without those shared by several languages
/// (a word in several lists counts for each, so shared words cancel out anyway).
const STOPS: [&str; LANGS] = [
    STOP_EN, STOP_FR, STOP_DE, STOP_ES, STOP_PT, STOP_IT, STOP_NL,
];

/// Number words read as digits, and headline synonyms read as their usual word.
const NUMBER_WORDS: &[(&str, &str)] = &[
    ("quake", "earthquake"),
    ("quakes", "earthquake"),
    ("earthquakes", "earthquake"),
    ("two", "2"),
    ("three", "3"),
    ("four", "4"),
    ("five", "5"),
    ("six", "6"),
    ("seven", "7"),
    ("eight", "8"),
    ("nine", "9"),
    ("ten", "10"),
    ("eleven", "11"),
    ("twelve", "12"),
    ("twenty", "20"),
    ("million", "million"),
    ("millions", "million"),
    ("mn", "million"),
    ("bn", "billion"),
    ("billion", "billion"),
    ("billions", "billion"),
    ("tn", "trillion"),
    ("trillion", "trillion"),
];

/// Places: each line is a canonical name and the words folded into it (demonyms, other
/// spellings). A capitalised word found here is distinctive wherever it stands.
const PLACES: &str = "\
afghanistan afghan afghans
albania albanian albanians
algeria algerian algerians
angola angolan
argentina argentine argentinian argentinians
armenia armenian armenians
australia australian australians
austria austrian austrians
azerbaijan azerbaijani
bahrain bahraini
bangladesh bangladeshi
belarus belarusian belarusians
belgium belgian belgians
bolivia bolivian
bosnia bosnian
brazil brazilian brazilians
bulgaria bulgarian bulgarians
cambodia cambodian
cameroon cameroonian
canada canadian canadians
chile chilean chileans
china chinese
colombia colombian colombians
congo congolese
croatia croatian croatians
cuba cuban cubans
cyprus cypriot cypriots
czech czechia czechs
denmark danish danes
ecuador ecuadorian
egypt egyptian egyptians
estonia estonian estonians
ethiopia ethiopian ethiopians
finland finnish finns
france french
georgia georgian georgians
germany german germans
ghana ghanaian
greece greek greeks
hungary hungarian hungarians
iceland icelandic icelanders
india indian indians
indonesia indonesian indonesians
iran iranian iranians
iraq iraqi iraqis
ireland irish
israel israeli israelis
italy italian italians
japan japanese
jordan jordanian
kazakhstan kazakh
kenya kenyan kenyans
korea korean koreans
kosovo kosovar
kuwait kuwaiti
latvia latvian
lebanon lebanese
libya libyan libyans
lithuania lithuanian
luxembourg luxembourgish
malaysia malaysian
mali malian
malta maltese
mexico mexican mexicans
moldova moldovan moldovans
mongolia mongolian
montenegro montenegrin
morocco moroccan moroccans
mozambique mozambican
myanmar burma burmese
nepal nepalese
netherlands dutch holland
zealand zealander zealanders
nigeria nigerian nigerians
norway norwegian norwegians
pakistan pakistani pakistanis
palestine palestinian palestinians
peru peruvian
philippines philippine filipino filipinos
poland polish poles
portugal portuguese
qatar qatari
romania romanian romanians
russia russian russians
rwanda rwandan
saudi saudis
senegal senegalese
serbia serbian serbs
singapore singaporean
slovakia slovak slovakian
slovenia slovenian
somalia somali
spain spanish spaniards
lanka lankan
sudan sudanese
sweden swedish swedes
switzerland swiss
syria syrian syrians
taiwan taiwanese
tanzania tanzanian
thailand thai
tunisia tunisian
turkey turkish turks turkiye
uganda ugandan
ukraine ukrainian ukrainians
emirates emirati uae
uk britain british briton britons
england english
scotland scottish scots
wales welsh
usa america american americans
venezuela venezuelan
vietnam vietnamese
yemen yemeni
zimbabwe zimbabwean
europe european europeans eu
asia asian
africa african africans
lisbon lisboa
porto oporto
madrid
barcelona
paris parisian
lyon
marseille
berlin
munich munchen
frankfurt
hamburg
cologne koln
dresden
vienna wien
rome roma
milan milano
naples napoli
athens
london londoners
manchester
birmingham
edinburgh
dublin
brussels bruxelles
amsterdam
rotterdam
ghent gent
antwerp antwerpen
geneva geneve
zurich
warsaw warszawa
krakow
prague praha
budapest
bucharest bucuresti
belgrade
zagreb
kyiv kiev
moscow
istanbul
ankara
stockholm
oslo
copenhagen
helsinki
reykjavik
riga
tallinn
vilnius
minsk
chisinau
tbilisi
jerusalem
gaza
beirut
damascus
baghdad
tehran
riyadh
dubai
cairo
lagos
nairobi
johannesburg
delhi
mumbai
karachi
dhaka
bangkok
jakarta
manila
beijing
shanghai
hong
tokyo
osaka
seoul
sydney
melbourne
washington
york
chicago
angeles
california
texas
florida
toronto
montreal
ottawa
vancouver
bogota
lima
santiago
caracas
havana";

/// Capitals and other names that stand for a country (`Washington`, `the Kremlin`), and `EU`:
/// each gives its country as an alias.
const STANDS_FOR: &str = "washington usa|pentagon usa|beijing china|moscow russia|\
    kremlin russia|kyiv ukraine|kiev ukraine|london uk|whitehall uk|westminster uk|downing uk|\
    paris france|elysee france|berlin germany|rome italy|madrid spain|lisbon portugal|\
    tokyo japan|delhi india|brussels europe|athens greece|ankara turkey|tehran iran|\
    jerusalem israel|beirut lebanon|damascus syria|baghdad iraq|cairo egypt|ottawa canada|\
    canberra australia|seoul korea|pyongyang korea|taipei taiwan|warsaw poland|\
    budapest hungary|bucharest romania|vienna austria|bern switzerland|dublin ireland|\
    amsterdam netherlands|oslo norway|stockholm sweden|copenhagen denmark|helsinki finland|\
    reykjavik iceland|prague czech|riyadh saudi|islamabad pakistan|dhaka bangladesh|\
    jakarta indonesia|manila philippines|bangkok thailand|hanoi vietnam|nairobi kenya|\
    abuja nigeria|brasilia brazil|caracas venezuela|havana cuba|bogota colombia|lima peru|\
    santiago chile|chisinau moldova|tbilisi georgia|minsk belarus|vilnius lithuania|\
    riga latvia|tallinn estonia|belgrade serbia|zagreb croatia";

/// What the word tables say about a folded word.
#[derive(Clone, Copy, Default)]
struct WordInfo {
    /// Bit `l` set: a stop word of language `l + 1`.
    stop: u8,
    /// A place: the hash of its canonical name.
    place: Option<u64>,
    /// A number word: the hash of its canonical form, and whether that is digits (distinctive)
    /// rather than a unit (`million`).
    number: Option<(u64, bool)>,
    /// The country a capitalised word stands for (see [`STANDS_FOR`]).
    stands_for: Option<u64>,
}

fn tables() -> &'static HashMap<u64, WordInfo> {
    static TABLES: OnceLock<HashMap<u64, WordInfo>> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t: HashMap<u64, WordInfo> = HashMap::default();
        for (l, list) in STOPS.iter().enumerate() {
            for w in list.split_whitespace() {
                t.entry(word_hash(w.as_bytes())).or_default().stop |= 1 << l;
            }
        }
        for line in PLACES.lines() {
            let mut words = line.split_whitespace();
            let Some(canon) = words.next() else { continue };
            let h = word_hash(canon.as_bytes());
            for w in std::iter::once(canon).chain(words) {
                t.entry(word_hash(w.as_bytes())).or_default().place = Some(h);
            }
        }
        for pair in STANDS_FOR.split('|') {
            if let Some((w, country)) = pair.trim().split_once(' ') {
                t.entry(word_hash(w.as_bytes())).or_default().stands_for =
                    Some(word_hash(country.as_bytes()));
            }
        }
        for (w, digits) in NUMBER_WORDS {
            t.entry(word_hash(w.as_bytes())).or_default().number = Some((
                word_hash(digits.as_bytes()),
                digits.starts_with(|c: char| c.is_ascii_digit()),
            ));
        }
        t
    })
}

/// 64-bit hash of a word, eight bytes at a time through a finaliser: stable across runs and
/// Rust versions.
fn word_hash(bytes: &[u8]) -> u64 {
    let mut h = 0x9e37_79b9_7f4a_7c15 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        h = mix64(h ^ u64::from_le_bytes(b));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut v = 0u64;
        for (k, &x) in rest.iter().enumerate() {
            v |= u64::from(x) << (8 * k);
        }
        h = mix64(h ^ v ^ 0xff);
    }
    h
}

fn mix64(mut x: u64) -> u64 {
    // splitmix64's finaliser.
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// One word as read. Flags that depend on the segment's case style (names, acronyms) are
/// settled when the segment ends; stop words and the stem wait for the language.
#[derive(Clone, Copy, Default)]
struct Raw {
    /// Hash of the folded word, or of the canonical form of a fixed word.
    hash: u64,
    /// Hash of the English stem of the folded word (`hash` when there is none).
    stem: u64,
    /// `F_*` flags: title, distinctive, place, number, alias.
    flags: u32,
    /// Stop word of these languages (bit `l` for language `l + 1`).
    stop: u8,
    kind: RawKind,
    /// For words: capitalised, at a sentence start, all capitals (2 to 6 letters), `US`, a
    /// section label (`Skiing:` opening a title).
    first_upper: bool,
    at_start: bool,
    caps: bool,
    us: bool,
    label: bool,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum RawKind {
    /// A word: stop-word test and stem to come.
    #[default]
    Word,
    /// A word of one letter: dropped.
    Short,
    /// A number, place or alias, already canonical.
    Fixed,
    /// An acronym alias of a run of capitalised words: kept in sentence case only.
    RunAlias,
    /// Dropped.
    Dead,
}

/// The analysed text of one article: its words as packed tokens (sorted by hash, unique), and
/// its language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Analysis {
    tokens: Vec<u32>,
    lang: u8,
}

/// Reusable buffers for [`analyse`].
#[derive(Default)]
struct Scratch {
    raws: Vec<Raw>,
    /// A word being read character by character (non-ASCII or joined).
    cur: String,
    /// A number being normalised.
    num: String,
    cjk: Vec<char>,
    toks: Vec<u32>,
    /// The tokens of the last analysis, given back for reuse.
    done: Vec<u32>,
    script_counts: [u32; 10],
    /// The initials of the current run of capitalised words (for acronyms): only the capitalised
    /// words, and with the small words (`of`, `and`) too; and how many capitalised words.
    initials: String,
    initials_all: String,
    run_caps: usize,
}

fn pack(hash: u64, flags: u32) -> u32 {
    ((hash >> (32 + FLAG_BITS)) as u32) << FLAG_BITS | flags
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    /// Capitals mark names (and sentence starts).
    Sentence,
    /// Most words capitalised (`Storm Hits Lisbon`): capitals say nothing, acronyms still do.
    Title,
    /// All capitals: nothing to learn from case.
    Shout,
}

/// What decides a segment's case style: its letters, and its words of four letters or more
/// after the first.
#[derive(Default)]
struct CaseCounts {
    letters: usize,
    upper: usize,
    long: usize,
    capitalised: usize,
    words: usize,
}

impl CaseCounts {
    /// Counts one word (any characters).
    fn word(&mut self, w: &str) {
        let (mut len, mut alpha) = (0usize, true);
        let first_upper = w.chars().next().is_some_and(char::is_uppercase);
        if w.is_ascii() {
            for &b in w.as_bytes() {
                self.letters += usize::from(b.is_ascii_alphabetic());
                self.upper += usize::from(b.is_ascii_uppercase());
                alpha &= b.is_ascii_alphabetic();
            }
            len = w.len();
        } else {
            for c in w.chars() {
                self.letters += usize::from(c.is_alphabetic());
                self.upper += usize::from(c.is_uppercase());
                alpha &= c.is_alphabetic();
                len += 1;
            }
        }
        if self.words > 0 && len >= 4 && alpha {
            self.long += 1;
            self.capitalised += usize::from(first_upper);
        }
        self.words += 1;
    }

    /// [`CaseCounts::word`] for a plain ASCII word, counted by the caller.
    fn ascii_word(&mut self, len: usize, letters: usize, upper: usize, first_upper: bool) {
        self.letters += letters;
        self.upper += upper;
        if self.words > 0 && len >= 4 && letters == len {
            self.long += 1;
            self.capitalised += usize::from(first_upper);
        }
        self.words += 1;
    }

    fn case(&self) -> Case {
        if self.letters >= 8 && self.upper * 10 >= self.letters * 9 {
            Case::Shout
        } else if self.long >= 2 && self.capitalised * 10 >= self.long * 6 {
            Case::Title
        } else {
            Case::Sentence
        }
    }
}

/// Script classes counted in `Scratch::script_counts`.
fn script_of(c: char) -> usize {
    match c as u32 {
        0..=0x024F | 0x1E00..=0x1EFF => 0,      // Latin
        0x0370..=0x03FF | 0x1F00..=0x1FFF => 1, // Greek
        0x0400..=0x052F => 2,                   // Cyrillic
        0x0590..=0x05FF => 3,                   // Hebrew
        0x0600..=0x06FF | 0x0750..=0x077F => 4, // Arabic
        0x0900..=0x097F => 5,                   // Devanagari
        0x0E00..=0x0E7F => 6,                   // Thai
        0x1100..=0x11FF | 0xAC00..=0xD7AF => 7, // Hangul
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => 8, // CJK
        _ => 9,
    }
}

/// CJK characters have no spaces between words: they are read as overlapping pairs.
#[inline]
fn is_cjk(c: char) -> bool {
    !c.is_ascii() && script_of(c) == 8
}

#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
    }
}

/// Cuts `s` to at most `max` bytes, at a word boundary when there is one.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let head = &s[..end];
    match head.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => &head[..i],
        _ => head,
    }
}

/// The start of an HTML body as text, for the lead: tags and character references skipped,
/// whitespace collapsed, at most `max` bytes of text read from at most `8 * max` bytes of HTML.
fn html_lead(html: &str, max: usize) -> String {
    let html = cut(html, max * 8);
    let mut out = String::with_capacity(max + 8);
    let mut space = true; // at the start, or after a space: no space to add
    let mut rest = html;
    let push_text = |out: &mut String, text: &str, space: &mut bool| {
        for (k, w) in text.split(char::is_whitespace).enumerate() {
            *space |= k > 0;
            if w.is_empty() {
                continue;
            }
            if *space && !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
            *space = false;
        }
    };
    let starts_with_ci = |s: &str, p: &str| {
        s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
    };
    while !rest.is_empty() && out.len() < max {
        let Some(i) = rest.find(['<', '&']) else {
            push_text(&mut out, rest, &mut space);
            break;
        };
        push_text(&mut out, &rest[..i], &mut space);
        rest = &rest[i..];
        space = true;
        if rest.starts_with('&') {
            // A character reference: a separator (the tokenizer splits words on it).
            let end = rest[1..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
                .map_or(rest.len(), |j| j + 1);
            rest = &rest[end..];
            rest = rest.strip_prefix(';').unwrap_or(rest);
            continue;
        }
        let skip_to = if starts_with_ci(&rest[1..], "script") {
            Some("</script")
        } else if starts_with_ci(&rest[1..], "style") {
            Some("</style")
        } else if rest[1..].starts_with("!--") {
            Some("-->")
        } else {
            None
        };
        if let Some(end_tag) = skip_to {
            let end = rest
                .as_bytes()
                .windows(end_tag.len())
                .position(|w| w.eq_ignore_ascii_case(end_tag.as_bytes()));
            match end {
                Some(j) => rest = &rest[j + end_tag.len()..],
                None => break,
            }
            if end_tag == "-->" {
                continue;
            }
        }
        match rest.find('>') {
            Some(j) => rest = &rest[j + 1..],
            None => break,
        }
    }
    let len = cut(&out, max).len();
    out.truncate(len);
    out
}

/// Reads title and lead into tokens. See the module documentation for the rules.
fn analyse(title: &str, lead: Option<&str>, s: &mut Scratch) -> Analysis {
    s.raws.clear();
    s.script_counts = [0; 10];
    let table = tables();
    scan(title, true, table, s);
    if let Some(lead) = lead {
        scan(lead, false, table, s);
    }
    // The script, then the language.
    let (script, &n) = s
        .script_counts
        .iter()
        .enumerate()
        .take(9)
        .max_by_key(|&(i, &n)| (n, std::cmp::Reverse(i)))
        .unwrap_or((0, &0));
    let mut lang = LANG_UNKNOWN;
    if script != 0 && n > 0 {
        lang = SCRIPT_BASE + script as u8;
    } else {
        let mut votes = [0u32; LANGS];
        for r in s
            .raws
            .iter()
            .filter(|r| matches!(r.kind, RawKind::Word | RawKind::Short))
        {
            // A stop word of one language only says more than one shared by several.
            let weight = if r.stop.count_ones() == 1 { 2 } else { 1 };
            for (l, v) in votes.iter_mut().enumerate() {
                *v += u32::from(r.stop >> l & 1) * weight;
            }
        }
        let mut order: [(u32, usize); LANGS] = [(0, 0); LANGS];
        for (l, &v) in votes.iter().enumerate() {
            order[l] = (v, l);
        }
        order.sort_unstable_by(|a, b| b.cmp(a));
        if order[0].0 >= 3 && order[0].0 > order[1].0 {
            lang = order[0].1 as u8 + 1;
        }
    }
    // Stop words of the language (English when unknown), stems for English.
    let stop_bit = if (1..=LANGS as u8).contains(&lang) {
        1u8 << (lang - 1)
    } else {
        1
    };
    let english = lang == LANG_EN || lang == LANG_UNKNOWN;
    s.toks.clear();
    for r in &s.raws {
        match r.kind {
            RawKind::Fixed | RawKind::RunAlias => s.toks.push(pack(r.hash, r.flags)),
            RawKind::Word if r.stop & stop_bit == 0 => {
                s.toks
                    .push(pack(if english { r.stem } else { r.hash }, r.flags));
            }
            _ => {}
        }
    }
    s.toks.sort_unstable();
    // One token per word, flags merged; a word that is also an alias is a word.
    let mut tokens: Vec<u32> = std::mem::take(&mut s.done);
    tokens.clear();
    for &t in &s.toks {
        match tokens.last_mut() {
            Some(last) if *last >> FLAG_BITS == t >> FLAG_BITS => {
                let alias = *last & t & F_ALIAS;
                *last = (*last | t) & !F_ALIAS | alias;
            }
            _ => tokens.push(t),
        }
    }
    Analysis { tokens, lang }
}

/// Acronyms of common nouns: ordinary words, not names (`PM Verbeek resigns`).
fn is_common_acronym(folded: &[u8]) -> bool {
    matches!(
        folded,
        b"pm"
            | b"mp"
            | b"mps"
            | b"ceo"
            | b"cfo"
            | b"coo"
            | b"cto"
            | b"gdp"
            | b"ai"
            | b"tv"
            | b"ipo"
            | b"vat"
            | b"ev"
            | b"evs"
            | b"it"
            | b"hr"
            | b"pr"
            | b"faq"
            | b"diy"
            | b"ok"
    )
}

/// Small words allowed inside a name (`Bank of England`), for acronyms.
fn is_name_joiner(folded: &[u8]) -> bool {
    matches!(
        folded,
        b"of" | b"and" | b"for" | b"the" | b"de" | b"du" | b"des" | b"der" | b"van" | b"von"
    )
}

/// The character at byte `i` of `text` and its length in bytes (ASCII without decoding).
#[inline]
fn char_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        (b as char, 1)
    } else {
        let c = text[i..].chars().next().unwrap_or(' ');
        (c, c.len_utf8())
    }
}

/// Whether the character at byte `i` (if any) is a word character.
fn word_char_at(text: &str, i: usize) -> bool {
    i < text.len() && is_word_char(char_at(text, i).0)
}

/// Cuts one segment into [`Raw`] words, then settles the flags that depend on its case style.
fn scan(text: &str, title: bool, table: &HashMap<u64, WordInfo>, s: &mut Scratch) {
    let bytes = text.as_bytes();
    let title_flag = if title { F_TITLE } else { 0 };
    let first = s.raws.len();
    let mut counts = CaseCounts::default();
    let mut i = 0;
    let mut sentence_start = true;
    let mut prev_united = false;
    s.initials.clear();
    s.initials_all.clear();
    s.run_caps = 0;
    let mut word = std::mem::take(&mut s.cur);
    while i < bytes.len() {
        let (c, n) = char_at(text, i);
        if !is_word_char(c) {
            if matches!(c, '.' | '!' | '?' | ':' | ';' | '|' | '•' | '–' | '—') {
                sentence_start = true;
            }
            if !c.is_whitespace() {
                flush_acronym(title_flag, s);
            }
            i += n;
            continue;
        }
        if is_cjk(c) {
            flush_acronym(title_flag, s);
            // Overlapping pairs of CJK characters.
            let mut run = std::mem::take(&mut s.cjk);
            run.clear();
            while i < bytes.len() {
                let (c, n) = char_at(text, i);
                if !is_cjk(c) {
                    break;
                }
                run.push(c);
                i += n;
            }
            s.script_counts[8] += run.len() as u32;
            counts.letters += run.len();
            counts.words += 1;
            let mut buf = [0u8; 8];
            for k in 0..run.len().saturating_sub(1).max(1) {
                let mut len = 0;
                for &c in &run[k..(k + 2).min(run.len())] {
                    len += c.encode_utf8(&mut buf[len..]).len();
                }
                s.raws.push(Raw {
                    hash: word_hash(&buf[..len]),
                    flags: title_flag,
                    kind: RawKind::Fixed,
                    ..Raw::default()
                });
            }
            s.cjk = run;
            sentence_start = false;
            continue;
        }
        // One word: word characters, with `.` or `,` between digits, and dotted acronyms
        // (`U.S.`) joined. Plain ASCII words are read in place.
        let start = i;
        let (mut has_digit, mut letters, mut upper) = (false, 0usize, 0usize);
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            let b = bytes[i];
            has_digit |= b.is_ascii_digit();
            letters += usize::from(b.is_ascii_alphabetic());
            upper += usize::from(b.is_ascii_uppercase());
            i += 1;
        }
        let plain = i > start
            && match bytes.get(i) {
                None => true,
                Some(&b) => b < 0x80 && b != b'.' && b != b',',
            };
        let w: &str = if plain {
            &text[start..i]
        } else {
            i = start;
            has_digit = false;
            word.clear();
            while i < bytes.len() {
                let (c, n) = char_at(text, i);
                if is_word_char(c) && !is_cjk(c) {
                    has_digit |= c.is_ascii_digit();
                    word.push(c);
                    i += n;
                } else if (c == '.' || c == ',')
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
                    && word.ends_with(|p: char| p.is_ascii_digit())
                {
                    word.push(c);
                    i += 1;
                } else if c == '.'
                    && !word.is_empty()
                    && word.len() <= 4
                    && word.bytes().all(|b| b.is_ascii_uppercase())
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_uppercase)
                    && (bytes.get(i + 2) == Some(&b'.') || !word_char_at(text, i + 2))
                {
                    // `U.S.`: the letters joined.
                    i += 1;
                } else {
                    break;
                }
            }
            &word
        };
        if plain {
            counts.ascii_word(w.len(), letters, upper, bytes[start].is_ascii_uppercase());
            s.script_counts[0] += letters as u32;
        } else {
            counts.word(w);
            for c in w.chars().filter(|c| c.is_alphabetic()) {
                s.script_counts[script_of(c)] += 1;
            }
        }
        let at_start = sentence_start;
        let label = counts.words == 1 && bytes.get(i) == Some(&b':');
        sentence_start = false;
        if has_digit {
            flush_acronym(title_flag, s);
            push_number(w, title_flag, s);
            prev_united = false;
        } else {
            prev_united = scan_word(w, title_flag, at_start, prev_united, table, s);
            // After an apostrophe, a letter is English (`China's`, `don't`), not a French
            // elision (`l'`, `d'`, which come before it): it says nothing of the language.
            let after_apostrophe = text[..start].ends_with(['\'', '’']);
            if let Some(r) = s.raws.last_mut().filter(|r| r.kind != RawKind::Fixed) {
                r.label |= label && r.kind == RawKind::Word;
                if after_apostrophe && r.kind == RawKind::Short {
                    r.stop = 0;
                }
            }
        }
    }
    s.cur = word;
    flush_acronym(title_flag, s);
    // Now that the case style is known: names, acronyms, acronym aliases.
    let case = counts.case();
    for r in &mut s.raws[first..] {
        match r.kind {
            RawKind::RunAlias if case != Case::Sentence => r.kind = RawKind::Dead,
            RawKind::Word | RawKind::Short => {
                let acronym = r.caps && case != Case::Shout;
                if acronym && r.us {
                    // `US` the country, not `us`.
                    r.hash = word_hash(b"usa");
                    r.kind = RawKind::Fixed;
                    r.flags |= F_DISTINCT | F_PLACE;
                } else if acronym {
                    r.flags |= F_DISTINCT;
                    r.stop = 0;
                } else if r.first_upper && case == Case::Sentence && r.stop == 0 && !r.label {
                    r.flags |= if r.at_start { F_CAP } else { F_DISTINCT };
                }
            }
            _ => {}
        }
    }
}

/// Ends a run of capitalised words: two or more give their initials as aliases (`European
/// Central Bank` = `ecb`, `Bank of England` = `be` and `boe`).
fn flush_acronym(title_flag: u32, s: &mut Scratch) {
    if s.run_caps >= 2 {
        for k in 0..2 {
            let initials = if k == 0 { &s.initials } else { &s.initials_all };
            if !(2..=6).contains(&initials.len()) || (k == 1 && s.initials_all == s.initials) {
                continue;
            }
            let hash = word_hash(initials.as_bytes());
            s.raws.push(Raw {
                hash,
                stem: hash,
                flags: title_flag | F_ALIAS,
                kind: RawKind::RunAlias,
                ..Raw::default()
            });
        }
    }
    s.initials.clear();
    s.initials_all.clear();
    s.run_caps = 0;
}

/// Longer words are not stemmed (nor lowercased on the stack).
const MAX_WORD: usize = 48;

/// One word without digits: folded, looked up, classified. Returns whether it is `United`
/// (capitalised), for `United States` and `United Kingdom`.
fn scan_word(
    word: &str,
    title_flag: u32,
    at_start: bool,
    prev_united: bool,
    table: &HashMap<u64, WordInfo>,
    s: &mut Scratch,
) -> bool {
    // Folded (lowercase, no accents): on the stack for ASCII words.
    let mut stack = [0u8; MAX_WORD];
    let heap: String;
    let ascii = word.is_ascii();
    let folded: &[u8] = if ascii && word.len() <= MAX_WORD {
        let f = &mut stack[..word.len()];
        for (d, &x) in f.iter_mut().zip(word.as_bytes()) {
            *d = x.to_ascii_lowercase();
        }
        f
    } else {
        heap = crate::core::search::fold(word);
        heap.as_bytes()
    };
    let (first_upper, n_chars, all_upper) = if ascii {
        let b = word.as_bytes();
        (
            b.first().is_some_and(u8::is_ascii_uppercase),
            b.len(),
            b.len() >= 2 && !b.iter().any(u8::is_ascii_lowercase),
        )
    } else {
        let n = word.chars().count();
        (
            word.chars().next().is_some_and(char::is_uppercase),
            n,
            n >= 2 && word.chars().all(|c| c.is_uppercase() || !c.is_alphabetic()),
        )
    };
    let hash = word_hash(folded);
    let info = table.get(&hash).copied().unwrap_or_default();
    let initial = char::from(folded.first().copied().unwrap_or(b'x'));
    // Acronym runs: capitalised words, and small words inside them.
    if first_upper && !all_upper && (info.stop == 0 || s.run_caps > 0 && is_name_joiner(folded)) {
        s.run_caps += 1;
        s.initials.push(initial);
        s.initials_all.push(initial);
    } else if s.run_caps > 0 && is_name_joiner(folded) {
        s.initials_all.push(initial);
    } else {
        flush_acronym(title_flag, s);
    }
    let united = first_upper && folded == b"united";
    let fixed = |s: &mut Scratch, hash: u64, flags: u32| {
        s.raws.push(Raw {
            hash,
            stem: hash,
            flags: title_flag | flags,
            kind: RawKind::Fixed,
            ..Raw::default()
        });
    };
    if let Some((n, digits)) = info.number {
        fixed(s, n, if digits { F_DISTINCT | F_NUMBER } else { 0 });
        return united;
    }
    if first_upper && let Some(country) = info.stands_for {
        fixed(s, country, F_ALIAS);
    }
    let place = if prev_united && first_upper && folded == b"states" {
        Some(word_hash(b"usa"))
    } else if prev_united && first_upper && folded == b"kingdom" {
        Some(word_hash(b"uk"))
    } else if first_upper {
        info.place
    } else {
        None
    };
    if let Some(p) = place {
        fixed(s, p, F_DISTINCT | F_PLACE);
        return united;
    }
    s.raws.push(Raw {
        hash,
        // English stop words are dropped in English, and stems are for English only.
        stem: if ascii && info.stop & 1 == 0 {
            stem_hash(folded, hash)
        } else {
            hash
        },
        flags: title_flag,
        stop: info.stop,
        kind: if n_chars < 2 {
            RawKind::Short
        } else {
            RawKind::Word
        },
        first_upper,
        at_start,
        caps: all_upper && n_chars <= 6 && !is_common_acronym(folded),
        us: all_upper && folded == b"us",
        label: false,
    });
    united
}

/// A word with digits: the number (thousands separators dropped, a decimal comma read as a
/// point), and its unit as a word of its own (`5m` = `5` `million`).
fn push_number(word: &str, title_flag: u32, s: &mut Scratch) {
    let bytes = word.as_bytes();
    let digits_end = bytes
        .iter()
        .position(|b| !(b.is_ascii_digit() || *b == b'.' || *b == b','))
        .unwrap_or(bytes.len());
    let (num, unit) = word.split_at(digits_end);
    let mut out = std::mem::take(&mut s.num);
    out.clear();
    if digits_end == 0 {
        // `Q4`, `G7`: one word; a magnitude `M6.8` is also the number.
        out.push_str(&crate::core::search::fold(word));
        let rest = &word[1..];
        if word.as_bytes()[0].is_ascii_alphabetic()
            && rest.contains('.')
            && rest.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        {
            push_number(rest, title_flag, s);
        }
    } else {
        let thousands = num.contains(',')
            && num.split(',').enumerate().all(|(k, p)| {
                if k == 0 {
                    (1..=3).contains(&p.len())
                } else {
                    p.len() == 3 && !p.contains('.')
                }
            });
        for (k, p) in num.split(',').enumerate() {
            if k > 0 && !thousands {
                out.push('.');
            }
            out.push_str(p);
        }
        // `2.50` = `2.5`; `3.0` = `3`.
        if out.contains('.') {
            while out.ends_with('0') {
                out.pop();
            }
            if out.ends_with('.') {
                out.pop();
            }
        }
    }
    if !out.is_empty() {
        let hash = word_hash(out.as_bytes());
        s.raws.push(Raw {
            hash,
            stem: hash,
            flags: title_flag | F_DISTINCT | F_NUMBER,
            kind: RawKind::Fixed,
            ..Raw::default()
        });
    }
    s.num = out;
    if digits_end == 0 || unit.is_empty() {
        return;
    }
    let u = crate::core::search::fold(unit);
    let hash = match u.as_str() {
        "m" | "mn" | "mln" | "million" => word_hash(b"million"),
        "bn" | "b" | "billion" => word_hash(b"billion"),
        "tn" | "trillion" => word_hash(b"trillion"),
        "k" => word_hash(b"1000"),
        _ if u.len() >= 2 => word_hash(u.as_bytes()),
        _ => return,
    };
    s.raws.push(Raw {
        hash,
        stem: hash,
        flags: title_flag,
        kind: RawKind::Fixed,
        ..Raw::default()
    });
}

/// The hash of a folded ASCII word's light English stem: plurals, `-ing`, `-ed` and a final
/// `e` go, and doubled final consonants are undoubled, so `kills`, `killed`, `killing` and
/// `kill` agree, as do `rates`, `rated` and `rate`. Crude, but both sides of a comparison are
/// stemmed alike.
fn stem_hash(w: &[u8], hash: u64) -> u64 {
    let ends = |n: usize, s: &[u8]| n >= s.len() && &w[n - s.len()..n] == s;
    let mut n = w.len();
    // `-ies` becomes `-y`: the only change that is not a cut.
    let mut y = false;
    if n > 4 && ends(n, b"ies") {
        n -= 2;
        y = true;
    } else if n > 4 && ends(n, b"sses") {
        n -= 2;
    } else if n > 3 && ends(n, b"s") && !ends(n, b"ss") && !ends(n, b"us") && !ends(n, b"is") {
        n -= 1;
    }
    if y {
        // The stem ends in `y`: no further rule applies (`-ing`, `-ed`, `-e` do not end in y).
        let mut b = [0u8; MAX_WORD + 1];
        b[..n - 1].copy_from_slice(&w[..n - 1]);
        b[n - 1] = b'y';
        return word_hash(&b[..n]);
    }
    let mut undouble = false;
    if n > 5 && ends(n, b"ing") {
        n -= 3;
        undouble = true;
    } else if n > 4 && ends(n, b"ed") {
        n -= 2;
        undouble = true;
    }
    if undouble && n >= 3 && w[n - 1] == w[n - 2] && !b"aeiouylsz".contains(&w[n - 1]) {
        n -= 1;
    }
    if n > 3 && w[n - 1] == b'e' {
        n -= 1;
    }
    if n == w.len() {
        hash
    } else {
        word_hash(&w[..n])
    }
}

// ------------------------------------------------------------------------------------------
// Similarity

/// The numbers a pair of texts is judged by (for tuning and for explaining a decision).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PairScore {
    /// Weighted Jaccard similarity of the two word sets.
    pub similarity: f32,
    /// Plain Jaccard similarity of the word sets (for reports).
    pub jaccard: f32,
    /// Words in common.
    pub shared: usize,
    /// Words in common that are in both titles.
    pub shared_title: usize,
    /// Words in common that are in both titles and name something (a number, place, acronym or
    /// name): distinctive in one text, distinctive or capitalised in the other.
    pub shared_title_key: usize,
    /// Words in common (title or lead) that are distinctive in both texts.
    pub shared_distinct: usize,
    /// Each title holds a distinctive word the other text lacks.
    pub conflict: bool,
    /// Both languages are known and differ.
    pub other_language: bool,
}

/// A word of both titles that names something (see [`PairScore::shared_title_key`]).
fn title_key(x: u32, y: u32) -> bool {
    x & y & F_TITLE != 0 && x & F_KEY != 0 && y & F_KEY != 0 && (x | y) & F_DISTINCT != 0
}

fn other_language(a: u8, b: u8) -> bool {
    a != LANG_UNKNOWN && b != LANG_UNKNOWN && a != b
}

fn weight(t: u32) -> u32 {
    1 + (t & F_DISTINCT != 0) as u32 * (W_DISTINCT - 1) + (t & F_TITLE != 0) as u32 * W_TITLE
}

/// What [`score`] needs to know of one text besides its tokens, computed once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Summary {
    /// Total weight of the words (aliases excluded).
    weight: u32,
    /// Words (aliases excluded).
    words: u16,
    /// Distinctive title words (aliases excluded), by kind (place, number, other).
    title_distinct: [u16; 3],
    /// Title words, and those of them that may name something (aliases excluded).
    title_words: u16,
    title_key: u16,
    lang: u8,
}

const TD: u32 = F_TITLE | F_DISTINCT;

fn summary(tokens: &[u32], lang: u8) -> Summary {
    let mut s = Summary {
        lang,
        ..Summary::default()
    };
    for &t in tokens.iter().filter(|&&t| t & F_ALIAS == 0) {
        s.weight += weight(t);
        s.words = s.words.saturating_add(1);
        if t & TD == TD {
            let k = kind_of(t);
            s.title_distinct[k] = s.title_distinct[k].saturating_add(1);
        }
        s.title_words = s.title_words.saturating_add(u16::from(t & F_TITLE != 0));
        s.title_key = s.title_key.saturating_add(u16::from(is_title_key(t)));
    }
    s
}

/// The kind of a distinctive word: 0 a place, 1 a number, 2 another (a name, an acronym).
fn kind_of(t: u32) -> usize {
    if t & F_PLACE != 0 {
        0
    } else if t & F_NUMBER != 0 {
        1
    } else {
        2
    }
}

/// A title word that may name something.
fn is_title_key(t: u32) -> bool {
    t & F_TITLE != 0 && t & F_KEY != 0
}

/// The conflict veto from what each title holds that the other text lacks (`a_only`: a mask of
/// the kinds of its distinctive words, any word that names something, any other word): a
/// distinctive word of one kind on both sides (`Lisbon` / `Porto`, `1,100` / `420`; a place
/// against a name is often the same place said more or less precisely: `California` / `Santa
/// Barbara`), or, on both sides, only words that name something (`Brightwave profit falls 20%`
/// / `Solvane profit falls 20%`: a template with another name).
fn conflict_of(a_only: (u8, bool, bool), b_only: (u8, bool, bool)) -> bool {
    let (a_kinds, a_key, a_plain) = a_only;
    let (b_kinds, b_key, b_plain) = b_only;
    a_kinds & b_kinds != 0 || (a_key && b_key && !a_plain && !b_plain)
}

/// The kinds (bits of [`kind_of`]) with more words than matched.
fn kinds_left(total: [u16; 3], matched: [u16; 3]) -> u8 {
    (0..3).fold(0, |m, k| m | u8::from(total[k] > matched[k]) << k)
}

/// Compares two texts: only their common words are visited; the rest comes from their
/// summaries. (Union weight = both weights minus the smaller weight of each common word.)
fn score(a: &[u32], sa: Summary, b: &[u32], sb: Summary) -> PairScore {
    let (mut i, mut j) = (0, 0);
    let (mut inter_w, mut overlap_w) = (0u32, 0u32);
    let (mut shared, mut shared_title, mut shared_title_key) = (0usize, 0usize, 0usize);
    let mut shared_distinct = 0usize;
    let (mut td_a_matched, mut td_b_matched) = ([0u16; 3], [0u16; 3]);
    // Title words matched: all, and those that may name something.
    let (mut tw_a, mut tw_b, mut tk_a, mut tk_b) = (0u16, 0u16, 0u16, 0u16);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        let (kx, ky) = (x >> FLAG_BITS, y >> FLAG_BITS);
        if kx == ky {
            let (alias_x, alias_y) = (x & F_ALIAS != 0, y & F_ALIAS != 0);
            if !(alias_x && alias_y) {
                let (wx, wy) = (weight(x), weight(y));
                match (alias_x, alias_y) {
                    (true, _) => inter_w += wy,
                    (_, true) => inter_w += wx,
                    _ => {
                        inter_w += wx.min(wy);
                        overlap_w += wx.min(wy);
                    }
                }
                shared += 1;
                shared_title += usize::from(x & y & F_TITLE != 0);
                shared_title_key += usize::from(title_key(x, y));
                shared_distinct += usize::from(x & y & F_DISTINCT != 0);
                if !alias_x && x & TD == TD {
                    td_a_matched[kind_of(x)] += 1;
                }
                if !alias_y && y & TD == TD {
                    td_b_matched[kind_of(y)] += 1;
                }
                tw_a += u16::from(!alias_x && x & F_TITLE != 0);
                tw_b += u16::from(!alias_y && y & F_TITLE != 0);
                tk_a += u16::from(!alias_x && is_title_key(x));
                tk_b += u16::from(!alias_y && is_title_key(y));
            }
        }
        i += usize::from(kx <= ky);
        j += usize::from(ky <= kx);
    }
    let union_w = sa.weight + sb.weight - overlap_w;
    let plain_union = (usize::from(sa.words) + usize::from(sb.words))
        .saturating_sub(shared)
        .max(1);
    PairScore {
        similarity: if union_w == 0 {
            0.0
        } else {
            inter_w as f32 / union_w as f32
        },
        jaccard: shared as f32 / plain_union as f32,
        shared,
        shared_title,
        shared_title_key,
        shared_distinct,
        conflict: conflict_of(
            (
                kinds_left(sa.title_distinct, td_a_matched),
                sa.title_key > tk_a,
                sa.title_words - sa.title_key > tw_a - tk_a,
            ),
            (
                kinds_left(sb.title_distinct, td_b_matched),
                sb.title_key > tk_b,
                sb.title_words - sb.title_key > tw_b - tk_b,
            ),
        ),
        other_language: other_language(sa.lang, sb.lang),
    }
}

/// The straightforward version of [`score`], kept to test it.
#[cfg(test)]
fn score_slow(a: &[u32], la: u8, b: &[u32], lb: u8) -> PairScore {
    let (mut i, mut j) = (0, 0);
    let (mut inter_w, mut union_w) = (0u32, 0u32);
    let (mut shared, mut shared_title, mut real_a, mut real_b) = (0usize, 0usize, 0usize, 0usize);
    let mut shared_title_key = 0usize;
    let mut shared_distinct = 0usize;
    // What each title holds that the other text lacks: (distinctive, naming, other) words.
    let (mut a_only, mut b_only) = ((0u8, false, false), (0u8, false, false));
    let note = |only: &mut (u8, bool, bool), t: u32| {
        if t & TD == TD {
            only.0 |= 1 << kind_of(t);
        }
        only.1 |= is_title_key(t);
        only.2 |= t & F_TITLE != 0 && !is_title_key(t);
    };
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        let (kx, ky) = (x >> FLAG_BITS, y >> FLAG_BITS);
        if kx == ky {
            let (alias_x, alias_y) = (x & F_ALIAS != 0, y & F_ALIAS != 0);
            real_a += usize::from(!alias_x);
            real_b += usize::from(!alias_y);
            if !(alias_x && alias_y) {
                let (wx, wy) = match (alias_x, alias_y) {
                    (true, _) => (weight(y), weight(y)),
                    (_, true) => (weight(x), weight(x)),
                    _ => (weight(x), weight(y)),
                };
                inter_w += wx.min(wy);
                union_w += wx.max(wy);
                shared += 1;
                shared_title += usize::from(x & y & F_TITLE != 0);
                shared_title_key += usize::from(title_key(x, y));
                shared_distinct += usize::from(x & y & F_DISTINCT != 0);
            }
            i += 1;
            j += 1;
        } else if kx < ky {
            if x & F_ALIAS == 0 {
                real_a += 1;
                union_w += weight(x);
                note(&mut a_only, x);
            }
            i += 1;
        } else {
            if y & F_ALIAS == 0 {
                real_b += 1;
                union_w += weight(y);
                note(&mut b_only, y);
            }
            j += 1;
        }
    }
    for &x in &a[i..] {
        if x & F_ALIAS == 0 {
            real_a += 1;
            union_w += weight(x);
            note(&mut a_only, x);
        }
    }
    for &y in &b[j..] {
        if y & F_ALIAS == 0 {
            real_b += 1;
            union_w += weight(y);
            note(&mut b_only, y);
        }
    }
    let plain_union = (real_a + real_b).saturating_sub(shared).max(1);
    PairScore {
        similarity: if union_w == 0 {
            0.0
        } else {
            inter_w as f32 / union_w as f32
        },
        jaccard: shared as f32 / plain_union as f32,
        shared,
        shared_title,
        shared_title_key,
        shared_distinct,
        conflict: conflict_of(a_only, b_only),
        other_language: la != LANG_UNKNOWN && lb != LANG_UNKNOWN && la != lb,
    }
}

/// Words that are not aliases.
fn real_len(tokens: &[u32]) -> usize {
    tokens.iter().filter(|&&t| t & F_ALIAS == 0).count()
}

impl PairScore {
    /// The text test of the module documentation (the window and sources are checked apart).
    pub fn same_event(&self) -> bool {
        let by_title = (self.shared_title >= 2 || self.shared_title_key >= 1)
            && self.similarity >= MIN_SIMILARITY;
        let by_names = self.shared_distinct >= 2 && self.similarity >= MIN_SIMILARITY_NAMES;
        !self.other_language
            && !self.conflict
            && self.shared >= MIN_SHARED
            && (by_title || by_names)
    }
}

/// How the text test sees two inputs (ignoring dates, sources and links), for tuning and for
/// explaining a decision.
pub fn pair_score(a: &StoryInput<'_>, b: &StoryInput<'_>) -> PairScore {
    let mut s = Scratch::default();
    let x = analyse(a.title, a.lead.as_deref(), &mut s);
    let y = analyse(b.title, b.lead.as_deref(), &mut s);
    score(
        &x.tokens,
        summary(&x.tokens, x.lang),
        &y.tokens,
        summary(&y.tokens, y.lang),
    )
}

/// Whether two inputs are linked (see the module documentation): the same id, the same canonical
/// link, or versions of one event by the window, the sources and the text test. Stories are
/// formed from these links by [`StoryIndex`] (which may still keep two linked articles apart
/// when their stories cannot be joined).
pub fn linked(a: &StoryInput<'_>, b: &StoryInput<'_>) -> bool {
    if a.id == b.id {
        return true;
    }
    if let (Some(x), Some(y)) = (a.link, b.link)
        && !x.trim().is_empty()
        && canonical_link(x) == canonical_link(y)
    {
        return true;
    }
    if !a.dated
        || !b.dated
        || a.source == b.source
        || (a.date - b.date).num_seconds().abs() > WINDOW_HOURS * 3600
    {
        return false;
    }
    let mut s = Scratch::default();
    let x = analyse(a.title, a.lead.as_deref(), &mut s);
    let y = analyse(b.title, b.lead.as_deref(), &mut s);
    real_len(&x.tokens) >= MIN_WORDS
        && real_len(&y.tokens) >= MIN_WORDS
        && score(
            &x.tokens,
            summary(&x.tokens, x.lang),
            &y.tokens,
            summary(&y.tokens, y.lang),
        )
        .same_event()
}

// ------------------------------------------------------------------------------------------
// The index

const NONE: u32 = u32::MAX;

/// One indexed article.
#[derive(Debug, Clone)]
struct Doc {
    id: ArticleId,
    /// Seconds since the epoch.
    date: i64,
    dated: bool,
    source: u64,
    summary: Summary,
    /// Takes part in the text test (dated, enough words).
    textual: bool,
    tok_start: u32,
    tok_len: u32,
    words: u32,
    /// Union-find parent in the graph of links.
    parent: u32,
    /// Its story's slot in `StoryIndex::stories`.
    slot: u32,
}

/// A link between two docs: the text similarity, or infinity for the same article.
#[derive(Debug, Clone, Copy)]
struct Edge {
    a: u32,
    b: u32,
    strength: f32,
}

/// A connected component of the link graph (kept at its union-find root). `members` is empty
/// for a component of one doc (the root), so that most docs need no allocation.
#[derive(Debug, Clone, Default)]
struct Component {
    members: Vec<u32>,
    edges: Vec<Edge>,
}

impl Component {
    fn len(&self) -> usize {
        self.members.len().max(1)
    }
}

/// One story while indexed.
#[derive(Debug, Clone, Default)]
struct Story {
    /// Members (doc indexes), sorted by (date, id); empty for a story of one version, which
    /// is `single` (most stories: no allocation).
    docs: Vec<u32>,
    single: u32,
    /// The members as article ids (empty for a story of one version).
    ids: Vec<ArticleId>,
    id: Option<StoryId>,
    representative: u32,
}

impl Story {
    fn members(&self) -> &[u32] {
        if self.docs.is_empty() {
            std::slice::from_ref(&self.single)
        } else {
            &self.docs
        }
    }
}

/// The 64-bit value of an article id (16 hex digits, as [`ArticleId::from_key`] makes them);
/// a hash for any other form.
fn id_key(id: &ArticleId) -> u64 {
    let s = id.as_str().as_bytes();
    let mut v = 0u64;
    if s.len() == 16 {
        for &b in s {
            let d = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                _ => return word_hash(s) | 1 << 63,
            };
            v = v << 4 | u64::from(d);
        }
        return v;
    }
    word_hash(s) | 1 << 63
}

/// Title words beyond this many (in hash order) are not paired in the candidate index.
const MAX_PAIRED: usize = 10;

/// The candidate keys of a text: each pair of its title words (aliases included, at most
/// [`MAX_PAIRED`] words), and each title word that may name something ([`F_KEY`]) alone. Two
/// texts the text test can accept share one: two title words, or a title word that names
/// something in both.
fn title_keys(tokens: &[u32], out: &mut Vec<u64>) {
    let mut words = [0u64; MAX_PAIRED];
    let mut n = 0;
    for &t in tokens.iter().filter(|&&t| t & F_TITLE != 0) {
        let w = u64::from(t >> FLAG_BITS);
        if t & F_KEY != 0 && t & F_ALIAS == 0 {
            out.push(mix64(w ^ 0x5151_5151_5151_5151));
        }
        if n < MAX_PAIRED {
            words[n] = w;
            n += 1;
        }
    }
    for i in 0..n {
        for j in i + 1..n {
            // Sorted tokens, so `words[i] < words[j]`: one key per pair.
            out.push(mix64(words[i] << 32 | words[j]));
        }
    }
}

/// Distinctive words (names, numbers, places) of the whole text, each alone (in their own key
/// space): two texts with two such words in common meet twice.
fn name_keys(tokens: &[u32], out: &mut Vec<u64>) {
    for &t in tokens
        .iter()
        .filter(|&&t| t & (F_DISTINCT | F_ALIAS) == F_DISTINCT)
    {
        out.push(mix64(u64::from(t >> FLAG_BITS) ^ 0xa3a3_a3a3_a3a3_a3a3));
    }
}

/// A candidate key as filed (32 bits: a collision only adds a candidate).
fn key32(key: u64) -> u32 {
    (key >> 32) as u32
}

/// The story index: add articles in batches (one source loading), ask which story an article
/// belongs to, list a story's versions.
///
/// # How stories are formed
///
/// Links (see the module documentation) make a graph; each connected component of it is then
/// split into stories by taking its links strongest first (the same article, then by text
/// similarity, ties by article id) and joining the two groups a link connects unless that
/// would put two articles that *cannot* be versions of one event in one story: two articles of
/// one source (other than copies of one article), in two languages, more than
/// [`WINDOW_HOURS`] apart, or whose titles conflict. So a follow-up (`Two arrested over museum
/// theft`) that resembles one version of the first story (`Paintings stolen from museum`)
/// stays apart when the story already holds the wire's version of the theft.
///
/// # Cost and determinism
///
/// Adding compares each new article only with the articles that share a candidate key (see the
/// module documentation), and with those of equal id or canonical link, never with all; only
/// the components that gained an article are split again. A story holds at most
/// [`MAX_VERSIONS`] versions. Stories depend only on the set of articles indexed: adding them
/// in any order, in one batch or many, gives the same stories and the same [`StoryId`]s.
/// Articles are never removed; build a new index when they leave (110,000 articles take well
/// under a second).
#[derive(Debug, Default)]
pub struct StoryIndex {
    docs: Vec<Doc>,
    /// Packed tokens of every doc, back to back.
    tokens: Vec<u32>,
    /// [`id_key`] of an article id -> its doc.
    by_id: HashMap<u64, u32>,
    /// Hash of a canonical link -> the first doc with it.
    by_link: HashMap<u64, u32>,
    /// Per time slot: candidate key -> the last posting filed under it in that slot.
    slots: HashMap<i32, HashMap<u32, u32>>,
    /// Postings: the doc, and the previous posting under the same key and slot.
    postings: Vec<(u32, u32)>,
    /// Per doc: the last doc that met it in the candidate index, and how (2: a candidate).
    seen: Vec<(u32, u8)>,
    /// Per doc: its component, when it is a union-find root (else empty).
    comps: Vec<Component>,
    stories: Vec<Story>,
    free: Vec<u32>,
    /// [`id_key`] of a story id -> its slot.
    by_story: HashMap<u64, u32>,
    /// Compare every pair instead of using the bands (for tests: the bands must find the same).
    all_pairs: bool,
    /// Counters for [`StoryIndex::debug_stats`]: candidates, posting visits, text links.
    stats: [u64; 3],
}

impl StoryIndex {
    pub fn new() -> StoryIndex {
        StoryIndex::default()
    }

    /// An index that compares each new article with every article (quadratic): the reference
    /// the candidate index is tested against.
    #[doc(hidden)]
    pub fn with_all_pairs() -> StoryIndex {
        StoryIndex {
            all_pairs: true,
            ..StoryIndex::default()
        }
    }

    /// Groups a set of articles at once.
    pub fn build<'a>(inputs: impl IntoIterator<Item = StoryInput<'a>>) -> StoryIndex {
        let inputs: Vec<StoryInput<'a>> = inputs.into_iter().collect();
        let mut index = StoryIndex::new();
        index.add(&inputs);
        index
    }

    /// Articles indexed.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Stories (a story of one version counts).
    pub fn story_count(&self) -> usize {
        self.by_story.len()
    }

    /// Adds a batch of articles (an id already indexed is skipped) and regroups the stories
    /// they touch.
    pub fn add(&mut self, inputs: &[StoryInput<'_>]) -> Added {
        let mut scratch = Scratch::default();
        let mut touched: Vec<u32> = Vec::new();
        let mut edges: Vec<Edge> = Vec::new();
        let mut cands: Vec<u32> = Vec::new();
        let mut keys: Vec<u64> = Vec::new();
        let mut link_buf = String::new();
        // In date order: the time slots in use and the candidates' words stay in cache (the
        // result does not depend on the order).
        let mut order: Vec<usize> = (0..inputs.len()).collect();
        order.sort_by(|&i, &j| (inputs[i].date, inputs[i].id).cmp(&(inputs[j].date, inputs[j].id)));
        let mut input_docs: Vec<u32> = vec![NONE; inputs.len()];
        let n = inputs.len();
        self.docs.reserve(n);
        self.seen.reserve(n);
        self.comps.reserve(n);
        self.by_id.reserve(n);
        self.by_story.reserve(n);
        self.stories.reserve(n);
        self.tokens.reserve(n * 24);
        self.postings.reserve(n * 16);
        for at in order {
            let input = &inputs[at];
            if let Some(&d) = self.by_id.get(&id_key(input.id)) {
                input_docs[at] = d;
                continue;
            }
            let d = self.docs.len() as u32;
            input_docs[at] = d;
            touched.push(d);
            let analysis = analyse(input.title, input.lead.as_deref(), &mut scratch);
            let summary = summary(&analysis.tokens, analysis.lang);
            let textual = input.dated && usize::from(summary.words) >= MIN_WORDS;
            self.docs.push(Doc {
                id: input.id.clone(),
                date: input.date.timestamp(),
                dated: input.dated,
                source: crate::core::model::fnv1a64(input.source.as_bytes()),
                summary,
                textual,
                tok_start: self.tokens.len() as u32,
                tok_len: analysis.tokens.len() as u32,
                words: input.words.min(u32::MAX as usize) as u32,
                parent: d,
                slot: NONE,
            });
            self.tokens.extend_from_slice(&analysis.tokens);
            keys.clear();
            title_keys(&analysis.tokens, &mut keys);
            let title_key_count = keys.len();
            name_keys(&analysis.tokens, &mut keys);
            scratch.done = analysis.tokens;
            self.seen.push((NONE, 0));
            self.comps.push(Component::default());
            self.by_id.insert(id_key(input.id), d);
            // The same article: equal canonical link.
            if let Some(link) = input.link.filter(|l| !l.trim().is_empty()) {
                canonical_link_into(link, &mut link_buf);
                match self.by_link.entry(word_hash(link_buf.as_bytes())) {
                    std::collections::hash_map::Entry::Occupied(e) => edges.push(Edge {
                        a: d,
                        b: *e.get(),
                        strength: f32::INFINITY,
                    }),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(d);
                    }
                }
            }
            // Versions of one event: candidates share a title word and a time slot (this or
            // a neighbouring one), then the text test.
            if !textual {
                continue;
            }
            cands.clear();
            if self.all_pairs {
                cands.extend(0..d);
            } else {
                let slot = input.date.timestamp().div_euclid(SLOT_SECONDS) as i32;
                // File the doc under its keys in its slot's table; read the keys in this
                // slot and the neighbouring ones.
                let mut own = self.slots.remove(&slot).unwrap_or_default();
                let tables = [self.slots.get(&(slot - 1)), self.slots.get(&(slot + 1))];
                // A title key makes a candidate at once; a distinctive word counts, and two
                // make a candidate.
                for (n, &k) in keys.iter().enumerate() {
                    let by_title = n < title_key_count;
                    let k = key32(k);
                    let at = self.postings.len() as u32;
                    let prev = own.insert(k, at).unwrap_or(NONE);
                    self.postings.push((d, prev));
                    let heads = [
                        Some(prev),
                        tables[0].and_then(|t| t.get(&k).copied()),
                        tables[1].and_then(|t| t.get(&k).copied()),
                    ];
                    for mut p in heads.into_iter().flatten() {
                        while p != NONE {
                            let (c, prev) = self.postings[p as usize];
                            self.stats[1] += 1;
                            let (stamp, hits) = &mut self.seen[c as usize];
                            if *stamp != d {
                                (*stamp, *hits) = (d, 0);
                            }
                            let before = *hits;
                            *hits = if by_title {
                                2
                            } else {
                                before.saturating_add(1)
                            };
                            if before < 2 && *hits >= 2 {
                                cands.push(c);
                            }
                            p = prev;
                        }
                    }
                }
                self.slots.insert(slot, own);
            }
            self.stats[0] += cands.len() as u64;
            for &c in &cands {
                if let Some(strength) = self.text_link(d, c) {
                    self.stats[2] += 1;
                    edges.push(Edge {
                        a: d,
                        b: c,
                        strength,
                    });
                }
            }
        }
        // Components, then stories.
        for e in edges {
            let root = self.union(e.a, e.b);
            self.comps[root as usize].edges.push(e);
            touched.push(root);
        }
        let mut roots: Vec<u32> = touched.iter().map(|&d| self.find(d)).collect();
        roots.sort_unstable();
        roots.dedup();
        let mut before: Vec<(StoryId, Vec<u32>)> = Vec::new();
        let mut after: Vec<u32> = Vec::new();
        for root in roots {
            self.regroup(root, &mut before, &mut after);
        }
        // What changed.
        let old: HashMap<&StoryId, &[u32]> =
            before.iter().map(|(id, d)| (id, d.as_slice())).collect();
        let mut changed: Vec<StoryId> = after
            .iter()
            .map(|&slot| &self.stories[slot as usize])
            .filter(|st| {
                let id = st.id.as_ref().expect("settled");
                old.get(id).is_none_or(|d| *d != st.members())
            })
            .map(|st| st.id.clone().expect("settled"))
            .collect();
        changed.sort_unstable();
        // Growth slack of the big arrays (a load doubles them).
        for v in [&mut self.postings] {
            if v.capacity() > v.len() + v.len() / 4 {
                v.shrink_to_fit();
            }
        }
        if self.tokens.capacity() > self.tokens.len() + self.tokens.len() / 4 {
            self.tokens.shrink_to_fit();
        }
        let mut removed: Vec<StoryId> = before
            .iter()
            .map(|(id, _)| id)
            .filter(|id| self.slot_of(id).is_none())
            .cloned()
            .collect();
        removed.sort_unstable();
        Added {
            stories: input_docs
                .iter()
                .map(|&d| self.story_id_of_doc(d).clone())
                .collect(),
            changed,
            removed,
        }
    }

    /// The story of an article, when it is indexed.
    pub fn story_of(&self, id: &ArticleId) -> Option<&StoryId> {
        self.by_id
            .get(&id_key(id))
            .map(|&d| self.story_id_of_doc(d))
    }

    /// A story's versions, earliest first (by date, then id); empty for an unknown id.
    pub fn members(&self, story: &StoryId) -> &[ArticleId] {
        self.slot_of(story)
            .map_or(&[], |s| self.ids_of(&self.stories[s as usize]))
    }

    /// The version to show for a story: the earliest one at least half as long as the longest.
    pub fn representative(&self, story: &StoryId) -> Option<&ArticleId> {
        self.slot_of(story)
            .map(|s| &self.docs[self.stories[s as usize].representative as usize].id)
    }

    /// Every story with more than one version, in id order: (story, versions earliest first).
    pub fn groups(&self) -> Vec<(&StoryId, &[ArticleId])> {
        let mut out: Vec<(&StoryId, &[ArticleId])> = self
            .by_story
            .values()
            .map(|&s| &self.stories[s as usize])
            .filter(|st| !st.docs.is_empty())
            .map(|st| (st.id.as_ref().expect("settled"), st.ids.as_slice()))
            .collect();
        out.sort_unstable_by(|a, b| a.0.cmp(b.0));
        out
    }

    /// The slot of a live story.
    fn slot_of(&self, story: &StoryId) -> Option<u32> {
        self.by_story
            .get(&id_key(story.article()))
            .copied()
            .filter(|&s| self.stories[s as usize].id.as_ref() == Some(story))
    }

    fn ids_of<'s>(&'s self, story: &'s Story) -> &'s [ArticleId] {
        if story.docs.is_empty() {
            std::slice::from_ref(&self.docs[story.single as usize].id)
        } else {
            &story.ids
        }
    }

    fn story_id_of_doc(&self, d: u32) -> &StoryId {
        let slot = self.docs[d as usize].slot;
        self.stories[slot as usize]
            .id
            .as_ref()
            .expect("every story is settled after add")
    }

    /// The approximate heap size of the index, in bytes (from its tables' capacities).
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        // A hash table entry, with its control byte.
        let table = |cap: usize, entry: usize| cap * (entry + 1);
        let id = 32; // an ArticleId's text on the heap (16 bytes, allocator overhead)
        self.docs.capacity() * (size_of::<Doc>() + id)
            + self.tokens.capacity() * 4
            + table(self.by_id.capacity(), 12)
            + table(self.by_link.capacity(), 12)
            + self
                .slots
                .values()
                .map(|t| table(t.capacity(), 8))
                .sum::<usize>()
            + self.postings.capacity() * 8
            + self.seen.capacity() * size_of::<(u32, u8)>()
            + self.comps.capacity() * size_of::<Component>()
            + self
                .comps
                .iter()
                .map(|c| c.members.capacity() * 4 + c.edges.capacity() * size_of::<Edge>())
                .sum::<usize>()
            + self.stories.capacity() * (size_of::<Story>() + id)
            + self
                .stories
                .iter()
                .map(|s| s.docs.capacity() * 4 + s.ids.capacity() * (24 + id))
                .sum::<usize>()
            + table(self.by_story.capacity(), 12)
    }

    /// Counters for the benchmark: posting visits, candidates, links, components.
    #[doc(hidden)]
    pub fn debug_stats(&self) -> String {
        let mut sizes: Vec<usize> = self
            .docs
            .iter()
            .enumerate()
            .filter(|(i, d)| d.parent == *i as u32)
            .map(|(i, _)| self.comps[i].len())
            .collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        let edges: usize = self.comps.iter().map(|c| c.edges.len()).sum();
        format!(
            "visits {}, candidates {}, links {}, edges {}, components {}, largest {:?}",
            self.stats[1],
            self.stats[0],
            self.stats[2],
            edges,
            sizes.len(),
            &sizes[..sizes.len().min(8)]
        )
    }

    fn tokens_of(&self, d: &Doc) -> &[u32] {
        &self.tokens[d.tok_start as usize..(d.tok_start + d.tok_len) as usize]
    }

    /// The text test between a new doc and one indexed before: the similarity when they may be
    /// versions of one event.
    fn text_link(&self, d: u32, c: u32) -> Option<f32> {
        let (a, b) = (&self.docs[d as usize], &self.docs[c as usize]);
        if !a.textual || !b.textual || self.cannot_link(a, b, false) {
            return None;
        }
        let sc = score(self.tokens_of(a), a.summary, self.tokens_of(b), b.summary);
        sc.same_event().then_some(sc.similarity)
    }

    /// Two articles that cannot be versions of one event (unless they are one article): one
    /// source, two languages, too far apart, or (when `titles`) conflicting titles.
    fn cannot_link(&self, a: &Doc, b: &Doc, titles: bool) -> bool {
        a.source == b.source
            || other_language(a.summary.lang, b.summary.lang)
            || (a.dated && b.dated && (a.date - b.date).abs() > WINDOW_HOURS * 3600)
            || (titles
                && score(self.tokens_of(a), a.summary, self.tokens_of(b), b.summary).conflict)
    }

    fn find(&mut self, mut d: u32) -> u32 {
        let mut root = d;
        while self.docs[root as usize].parent != root {
            root = self.docs[root as usize].parent;
        }
        while self.docs[d as usize].parent != root {
            let next = self.docs[d as usize].parent;
            self.docs[d as usize].parent = root;
            d = next;
        }
        root
    }

    /// Joins the components of two docs (the smaller into the larger); returns the root.
    fn union(&mut self, a: u32, b: u32) -> u32 {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return ra;
        }
        let (big, small) = if self.comps[ra as usize].len() >= self.comps[rb as usize].len() {
            (ra, rb)
        } else {
            (rb, ra)
        };
        let mut moved = std::mem::take(&mut self.comps[small as usize]);
        if moved.members.is_empty() {
            moved.members.push(small);
        }
        self.docs[small as usize].parent = big;
        let comp = &mut self.comps[big as usize];
        if comp.members.is_empty() {
            comp.members.push(big);
        }
        comp.members.extend_from_slice(&moved.members);
        comp.edges.extend_from_slice(&moved.edges);
        big
    }

    /// Splits a component into stories again (see [`StoryIndex`]): its old stories go to
    /// `before` (id and members), the slots of its new ones to `after`.
    fn regroup(&mut self, root: u32, before: &mut Vec<(StoryId, Vec<u32>)>, after: &mut Vec<u32>) {
        let mut comp = std::mem::take(&mut self.comps[root as usize]);
        if comp.members.is_empty() {
            // A doc alone: its own story.
            if self.docs[root as usize].slot == NONE {
                let slot = self.new_single(root);
                self.settle(slot);
                after.push(slot);
            }
            return;
        }
        // Drop the old stories.
        for &m in &comp.members {
            let slot = self.docs[m as usize].slot;
            if slot == NONE {
                continue;
            }
            let story = std::mem::take(&mut self.stories[slot as usize]);
            for &d in story.members() {
                self.docs[d as usize].slot = NONE;
            }
            if let Some(id) = story.id.clone() {
                self.by_story.remove(&id_key(id.article()));
                before.push((id, story.members().to_vec()));
            }
            self.free.push(slot);
        }
        // Strongest links first; ties by article ids, so the order of arrival never matters.
        let docs = &self.docs;
        let key = |e: &Edge| {
            let (x, y) = (&docs[e.a as usize].id, &docs[e.b as usize].id);
            if x <= y { (x, y) } else { (y, x) }
        };
        comp.edges.sort_unstable_by(|e, f| {
            f.strength
                .total_cmp(&e.strength)
                .then_with(|| key(e).cmp(&key(f)))
        });
        // Groups: union-find over the members, with member lists at the roots.
        let local: HashMap<u32, u32> = comp
            .members
            .iter()
            .enumerate()
            .map(|(i, &m)| (m, i as u32))
            .collect();
        let mut parent: Vec<u32> = (0..comp.members.len() as u32).collect();
        let mut groups: Vec<Vec<u32>> = comp.members.iter().map(|&m| vec![m]).collect();
        fn root_of(parent: &mut [u32], mut x: u32) -> u32 {
            while parent[x as usize] != x {
                parent[x as usize] = parent[parent[x as usize] as usize];
                x = parent[x as usize];
            }
            x
        }
        // Copies of one article (joined first, by their infinite strength): only the fullest
        // (most words, then earliest) speaks for their titles, so that an aggregator's retitled
        // copy ("Five things to know about…") puts no conflict in the way.
        let mut copies: Vec<u32> = Vec::new();
        let mut copies_known = false;
        for e in &comp.edges {
            if !copies_known && e.strength.is_finite() {
                copies_known = true;
                for g in groups.iter().filter(|g| g.len() > 1) {
                    let primary = g.iter().copied().max_by(|&x, &y| {
                        let (x, y) = (&self.docs[x as usize], &self.docs[y as usize]);
                        (x.words, std::cmp::Reverse((x.date, &x.id)))
                            .cmp(&(y.words, std::cmp::Reverse((y.date, &y.id))))
                    });
                    copies.extend(g.iter().copied().filter(|&d| Some(d) != primary));
                }
                copies.sort_unstable();
            }
            let ra = root_of(&mut parent, local[&e.a]);
            let rb = root_of(&mut parent, local[&e.b]);
            if ra == rb {
                continue;
            }
            if e.strength.is_finite()
                && (groups[ra as usize].len() + groups[rb as usize].len() > MAX_VERSIONS
                    || self.cannot_join(&groups[ra as usize], &groups[rb as usize], &copies))
            {
                continue;
            }
            let (big, small) = if groups[ra as usize].len() >= groups[rb as usize].len() {
                (ra, rb)
            } else {
                (rb, ra)
            };
            let moved = std::mem::take(&mut groups[small as usize]);
            groups[big as usize].extend_from_slice(&moved);
            parent[small as usize] = big;
        }
        for group in groups.into_iter().filter(|g| !g.is_empty()) {
            let slot = self.new_slot(group);
            self.settle(slot);
            after.push(slot);
        }
        self.comps[root as usize] = comp;
    }

    /// Whether two groups hold a pair that cannot be in one story (`copies`, sorted: docs whose
    /// titles are not checked).
    fn cannot_join(&self, x: &[u32], y: &[u32], copies: &[u32]) -> bool {
        let pairs = || x.iter().flat_map(|&a| y.iter().map(move |&b| (a, b)));
        let doc = |d: u32| &self.docs[d as usize];
        let titled = |d: u32| copies.binary_search(&d).is_err();
        // Cheap tests first, then the titles.
        pairs().any(|(a, b)| self.cannot_link(doc(a), doc(b), false))
            || pairs()
                .filter(|&(a, b)| titled(a) && titled(b))
                .any(|(a, b)| self.cannot_link(doc(a), doc(b), true))
    }

    fn new_single(&mut self, d: u32) -> u32 {
        let story = Story {
            single: d,
            ..Story::default()
        };
        let slot = match self.free.pop() {
            Some(s) => {
                self.stories[s as usize] = story;
                s
            }
            None => {
                self.stories.push(story);
                (self.stories.len() - 1) as u32
            }
        };
        self.docs[d as usize].slot = slot;
        slot
    }

    fn new_slot(&mut self, mut docs: Vec<u32>) -> u32 {
        let story = if docs.len() == 1 {
            Story {
                single: docs[0],
                ..Story::default()
            }
        } else {
            docs.shrink_to_fit();
            Story {
                docs,
                ..Story::default()
            }
        };
        let slot = match self.free.pop() {
            Some(s) => {
                self.stories[s as usize] = story;
                s
            }
            None => {
                self.stories.push(story);
                (self.stories.len() - 1) as u32
            }
        };
        for i in 0..self.stories[slot as usize].members().len() {
            let d = self.stories[slot as usize].members()[i];
            self.docs[d as usize].slot = slot;
        }
        slot
    }

    /// Orders a story's members, registers its id and picks its representative.
    fn settle(&mut self, slot: u32) {
        let docs = &self.docs;
        let story = &mut self.stories[slot as usize];
        if story.docs.is_empty() {
            story.representative = story.single;
            let id = StoryId(docs[story.single as usize].id.clone());
            story.id = Some(id.clone());
            self.by_story.insert(id_key(id.article()), slot);
            return;
        }
        story.docs.sort_unstable_by(|&x, &y| {
            let (x, y) = (&docs[x as usize], &docs[y as usize]);
            (x.date, &x.id).cmp(&(y.date, &y.id))
        });
        story.ids = story
            .docs
            .iter()
            .map(|&d| docs[d as usize].id.clone())
            .collect();
        let longest = story
            .docs
            .iter()
            .map(|&d| docs[d as usize].words)
            .max()
            .unwrap_or(0);
        story.representative = story
            .docs
            .iter()
            .copied()
            .find(|&d| u64::from(docs[d as usize].words) * 2 >= u64::from(longest))
            .unwrap_or(story.docs[0]);
        let id = StoryId(story.ids[0].clone());
        story.id = Some(id.clone());
        self.by_story.insert(id_key(id.article()), slot);
    }
}

#[cfg(test)]
#[path = "story_tests.rs"]
mod tests;

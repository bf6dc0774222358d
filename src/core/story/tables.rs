//! Word tables: token flags, stop words by language, number words, places, and the word hash.

use super::*;

/// Token flags, in the low bits of a packed token (`hash << FLAG_BITS | flags`).
pub(super) const F_TITLE: u32 = 1;
pub(super) const F_DISTINCT: u32 = 2;
pub(super) const F_PLACE: u32 = 4;
pub(super) const F_NUMBER: u32 = 8;
/// Another name for a word of the text (`ecb` for `European Central Bank`, `usa` for
/// `Washington`): it counts only when the other text has the word itself.
pub(super) const F_ALIAS: u32 = 16;
/// Capitalised in a sentence-case text, even at a sentence start (`Nexora shares jump`).
pub(super) const F_CAP: u32 = 32;
/// A word that may name something: distinctive or capitalised.
pub(super) const F_KEY: u32 = F_DISTINCT | F_CAP;
pub(super) const FLAG_BITS: u32 = 6;

/// Languages (stop-word lists) and scripts.
pub(super) const LANG_UNKNOWN: u8 = 0;
pub(super) const LANG_EN: u8 = 1;
pub(super) const LANGS: usize = 7; // en fr de es pt it nl: bits 0..7 of a stop mask
pub(super) const SCRIPT_BASE: u8 = 16;

/// Stop words by language, folded (lowercase, no accents). A word may be in several lists.
/// Weekdays and reporting verbs are English stop words too: versions of one event differ in
/// them and different events share them.
pub(super) const STOP_EN: &str = "a about above after again against all also am amid an and any are as at be \
    been before being below between both but by can could did do does doing down during each few \
    for from further had has have having he her here hers him his how i if in into is it its \
    itself just me more most my no nor not now of off on once one only or other our out over own \
    same she should so some such than that the their them then there these they this those \
    through to too under until up very was we were what when where which while who whom why will \
    with would you your us says say said told tells according per via since yet new may might must \
    shall just still amid despite latest update updates live breaking report reports reported \
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight \
    percent cent mr mrs ms dr st";
pub(super) const STOP_FR: &str = "le la les un une des du de au aux et ou en dans sur pour par avec sans ce \
    cette ces son sa ses leur leurs qui que qu est sont ete etre ont il elle ils elles on se ne \
    pas plus lui nous vous entre apres avant selon face contre lundi mardi mercredi jeudi \
    vendredi samedi dimanche d l s n c j a y";
pub(super) const STOP_DE: &str = "der die das den dem des ein eine einen einem einer eines und oder mit fur \
    von vom im in auf ist sind bei zu zum zur nach aus hat haben wird werden wurde nicht auch \
    sich als wie am um uber vor durch gegen bis es sie er wir ihr ihre sein seine dass noch mehr \
    montag dienstag mittwoch donnerstag freitag samstag sonntag";
pub(super) const STOP_ES: &str = "el la los las del de un una unos unas y o en con por para que se su sus \
    al lo como mas pero tras sobre entre ha han es son fue desde hasta lunes martes miercoles \
    jueves viernes sabado domingo";
pub(super) const STOP_PT: &str = "o os a as do da dos das de um uma e em no na nos nas com por para que se \
    seu sua ao pelo pela mais como foi sao apos entre sobre segunda terca quarta quinta sexta \
    sabado domingo";
pub(super) const STOP_IT: &str = "il lo gli la le i un una uno di del della dei delle degli e ed in nel \
    nella con per che si sono da dal dalla al alla sul sulla tra fra come piu dopo lunedi \
    martedi mercoledi giovedi venerdi sabato domenica";
pub(super) const STOP_NL: &str = "de het een en van in op met voor dat die is zijn niet aan te bij naar om \
    uit door ook als er over maandag dinsdag woensdag donderdag vrijdag zaterdag zondag";

/// Words that mark a language: the stop words without those shared by several languages
/// (a word in several lists counts for each, so shared words cancel out anyway).
pub(super) const STOPS: [&str; LANGS] = [
    STOP_EN, STOP_FR, STOP_DE, STOP_ES, STOP_PT, STOP_IT, STOP_NL,
];

/// Number words read as digits, and headline synonyms read as their usual word.
pub(super) const NUMBER_WORDS: &[(&str, &str)] = &[
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
pub(super) const PLACES: &str = "\
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
pub(super) const STANDS_FOR: &str = "washington usa|pentagon usa|beijing china|moscow russia|\
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
pub(super) struct WordInfo {
    /// Bit `l` set: a stop word of language `l + 1`.
    pub(super) stop: u8,
    /// A place: the hash of its canonical name.
    pub(super) place: Option<u64>,
    /// A number word: the hash of its canonical form, and whether that is digits (distinctive)
    /// rather than a unit (`million`).
    pub(super) number: Option<(u64, bool)>,
    /// The country a capitalised word stands for (see [`STANDS_FOR`]).
    pub(super) stands_for: Option<u64>,
}

pub(super) fn tables() -> &'static HashMap<u64, WordInfo> {
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
pub(super) fn word_hash(bytes: &[u8]) -> u64 {
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

pub(super) fn mix64(mut x: u64) -> u64 {
    // splitmix64's finaliser.
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

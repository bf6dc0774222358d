//! Story internals: the fast scorer against the simple one, `linked` against the index, and
//! the index moving to a worker.

use super::*;

#[test]
fn fast_score_equals_the_simple_one() {
    let texts = [
        (
            "Storm Hermínia batters Lisbon, leaving three dead",
            "Winds of 130km/h tore through the Portuguese capital.",
        ),
        (
            "Three killed as Storm Herminia sweeps through Lisbon",
            "Falling trees in the capital left three dead.",
        ),
        ("Storm kills three in Lisbon", ""),
        (
            "ECB holds interest rates at 2.5%",
            "The European Central Bank left its deposit rate unchanged.",
        ),
        (
            "European Central Bank keeps rates on hold",
            "Policymakers in Frankfurt held borrowing costs.",
        ),
        (
            "US imposes 25% tariffs on Mexican steel",
            "The White House accused Mexico.",
        ),
        (
            "Washington slaps 25% tariff on steel from Mexico",
            "The United States says Chinese steel enters.",
        ),
        (
            "La BCE maintient ses taux à 2,5 %",
            "La Banque centrale européenne a laissé son taux.",
        ),
        ("東京の市場が上昇", ""),
    ];
    let an: Vec<Analysis> = texts.iter().map(|(t, l)| tokens(t, l)).collect();
    for x in &an {
        for y in &an {
            let fast = score(
                &x.tokens,
                summary(&x.tokens, x.lang),
                &y.tokens,
                summary(&y.tokens, y.lang),
            );
            let slow = score_slow(&x.tokens, x.lang, &y.tokens, y.lang);
            assert_eq!(fast, slow);
        }
    }
}

#[test]
fn linked_agrees_with_the_index_on_pairs() {
    let arts = sample();
    for x in &arts {
        for y in &arts {
            let ix = index(&[x.clone_a(), y.clone_a()]);
            assert_eq!(
                linked(&x.input(), &y.input()),
                same(&ix, x, y),
                "{} / {}",
                x.title,
                y.title
            );
        }
    }
}

impl A {
    fn clone_a(&self) -> A {
        A {
            id: self.id.clone(),
            source: self.source.clone(),
            title: self.title.clone(),
            lead: self.lead.clone(),
            link: self.link.clone(),
            date: self.date,
            dated: self.dated,
            words: self.words,
        }
    }
}

#[test]
fn the_same_template_with_another_name_stays_apart() {
    let lead = |c: &str| {
        format!(
            "{c} said quarterly profit fell 20% as customers cut orders, and it lowered its forecast for the year."
        )
    };
    let arts = [
        a(
            "Wire",
            0.0,
            "Brightwave profit falls 20% on weak demand",
            &lead("The chipmaker"),
        ),
        a(
            "Paper",
            2.0,
            "Solvane profit falls 20% on weak demand",
            &lead("The chipmaker"),
        ),
        // A rewrite of the first keeps ordinary words of its own: not a template.
        a(
            "Agency",
            1.0,
            "Weak demand hits Brightwave as profit slides 20%",
            &lead("Brightwave"),
        ),
    ];
    let ix = index(&arts);
    assert!(!same(&ix, &arts[0], &arts[1]));
    assert!(same(&ix, &arts[0], &arts[2]));
    assert!(pair_score(&arts[0].input(), &arts[1].input()).conflict);
}

#[test]
fn the_index_can_move_to_a_worker() {
    fn send<T: Send + Sync>() {}
    send::<StoryIndex>();
    send::<StoryId>();
}

/// The straightforward version of [`score`], kept to test it.
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

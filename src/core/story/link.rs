//! Link canonicalisation: two copies of one article compare equal.

/// Query parameters that only track the reader (compared lowercase; `utm_*` and a few other
/// prefixes are handled in [`is_tracking_param`]).
pub(super) const TRACKING_PARAMS: &[&str] = &[
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

pub(super) fn is_tracking_param(name: &str) -> bool {
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
pub(super) fn canonical_link_into(url: &str, out: &mut String) {
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

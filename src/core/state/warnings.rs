//! Warnings: oldest first, each text once (a source read again repeats its warnings; a repeat
//! moves to the end, so the status bar's "latest" is still the latest).

use std::collections::HashSet;

#[derive(Debug, Default)]
pub struct Warnings {
    list: Vec<String>,
    seen: HashSet<String>,
}

impl Warnings {
    pub(super) fn push(&mut self, w: String) {
        if !self.seen.insert(w.clone()) {
            if self.list.last() == Some(&w) {
                return;
            }
            self.list.retain(|x| *x != w);
        }
        self.list.push(w);
    }

    pub(super) fn extend(&mut self, ws: impl IntoIterator<Item = String>) {
        for w in ws {
            self.push(w);
        }
    }

    pub(super) fn list(&self) -> &[String] {
        &self.list
    }
}

/// Which of `labels` (sources: a file, a folder or a URL) a warning concerns: the longest one
/// its text starts with, followed by `:`, `/` or a space (a warning names its file or URL
/// first; a file in a folder starts with the folder).
pub fn source_of_warning<'a>(
    warning: &str,
    labels: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    labels
        .filter(|l| !l.is_empty())
        .filter(|l| {
            warning.strip_prefix(*l).is_some_and(|rest| {
                rest.is_empty() || rest.starts_with([':', '/', ' ', ';', ',']) || l.ends_with('/')
            })
        })
        .max_by_key(|l| l.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_text_once_and_a_repeat_becomes_the_latest() {
        let mut w = Warnings::default();
        w.extend([
            "a".to_string(),
            "b".into(),
            "a".into(),
            "c".into(),
            "c".into(),
        ]);
        assert_eq!(w.list(), ["b", "a", "c"]);
    }

    #[test]
    fn a_warning_goes_to_the_source_it_names() {
        let labels = [
            "/news",
            "/news/feeds",
            "https://x.example/feed",
            "/newsroom",
        ];
        let of = |w: &str| source_of_warning(w, labels.iter().copied());
        assert_eq!(of("/news/a.txt: empty file"), Some("/news"));
        assert_eq!(of("/news/feeds/b.rss: line 3"), Some("/news/feeds"));
        assert_eq!(of("/newsroom: cannot read"), Some("/newsroom"));
        assert_eq!(
            of("https://x.example/feed: HTTP 404 Not Found"),
            Some("https://x.example/feed")
        );
        assert_eq!(of("https://x.example/feed2: HTTP 404"), None);
        assert_eq!(of("this article has no links"), None);
        assert_eq!(of(""), None);
    }
}

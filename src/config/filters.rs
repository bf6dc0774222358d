//! `[[filters]]`: rules that hide articles or mark them read as they load. A rule names one or
//! more fields (title, source, category, author, link), each with words that must all appear
//! in it as words (case and accents ignored), or with `regex = true` a regular expression
//! (case ignored; the `regex` crate, which runs in linear time). All the fields a rule names must
//! match. Checked when the config is read: a bad rule is an error at its place.

use crate::core::model::Article;
use crate::core::search::fold;

/// What a rule does to the articles it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterAction {
    /// Not shown (in the reader, `list`, search and the tree; `list --all` shows them).
    Hide,
    /// Shown as read unless marked otherwise.
    MarkRead,
}

/// The fields a rule can look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Source,
    Category,
    Author,
    Link,
}

#[derive(Debug, Clone)]
enum Test {
    /// Folded words, each to be found as a word.
    Words(Vec<String>),
    Regex(regex::Regex),
}

/// One checked rule.
#[derive(Debug, Clone)]
pub struct Filter {
    tests: Vec<(Field, Test)>,
    pub action: FilterAction,
}

/// True when every word of `words` is a word of the folded `text`.
fn has_words(text: &str, words: &[String]) -> bool {
    let folded = fold(text);
    let present: std::collections::HashSet<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().all(|w| present.contains(w.as_str()))
}

impl Filter {
    /// A rule from its fields, `regex` and action; `Err` says what is wrong with which field.
    pub fn new(
        fields: Vec<(Field, String)>,
        regex: bool,
        action: FilterAction,
    ) -> Result<Filter, (Field, String)> {
        let mut tests = Vec::new();
        for (field, value) in fields {
            let test = if regex {
                let re = regex::RegexBuilder::new(&value)
                    .case_insensitive(true)
                    .size_limit(1 << 20)
                    .build()
                    .map_err(|e| (field, format!("not a regular expression: {e}")))?;
                Test::Regex(re)
            } else {
                let words: Vec<String> = fold(&value)
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_string)
                    .collect();
                if words.is_empty() {
                    return Err((field, "no words to match".to_string()));
                }
                Test::Words(words)
            };
            tests.push((field, test));
        }
        Ok(Filter { tests, action })
    }

    /// True when every field the rule names matches the article.
    pub fn matches(&self, a: &Article) -> bool {
        self.tests.iter().all(|(field, test)| {
            let texts: Vec<String> = match field {
                Field::Title => vec![a.title.to_string()],
                Field::Source => vec![a.source.to_string()],
                Field::Author => a.author.iter().map(|s| s.to_string()).collect(),
                Field::Link => a.link.iter().map(|s| s.to_string()).collect(),
                Field::Category => a.categories.iter().map(|c| c.to_string()).collect(),
            };
            texts.iter().any(|t| match test {
                Test::Words(words) => has_words(t, words),
                Test::Regex(re) => re.is_match(t),
            })
        })
    }
}

/// The rules of a config, applied to loaded articles.
#[derive(Debug, Clone, Default)]
pub struct Filters(pub Vec<Filter>);

impl Filters {
    /// The first action that matches the article, if any (`Hide` wins over `MarkRead`).
    pub fn action(&self, a: &Article) -> Option<FilterAction> {
        let mut found = None;
        for f in &self.0 {
            if f.matches(a) {
                if f.action == FilterAction::Hide {
                    return Some(FilterAction::Hide);
                }
                found = Some(f.action);
            }
        }
        found
    }

    /// Drops the hidden articles; returns how many.
    pub fn drop_hidden(&self, articles: &mut Vec<Article>) -> usize {
        if self.0.is_empty() {
            return 0;
        }
        let before = articles.len();
        articles.retain(|a| self.action(a) != Some(FilterAction::Hide));
        before - articles.len()
    }

    /// The articles a `mark_read` rule matches.
    pub fn read_by_rule<'a>(&self, articles: &'a [Article]) -> Vec<&'a Article> {
        if self.0.is_empty() {
            return Vec::new();
        }
        articles
            .iter()
            .filter(|a| self.action(a) == Some(FilterAction::MarkRead))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{ArticleId, CategoryPath};

    fn article(title: &str, source: &str, category: &str) -> Article {
        let mut a = Article::new(ArticleId::from_key(title));
        a.title = title.into();
        a.source = source.into();
        a.categories = CategoryPath::parse(category).into_iter().collect();
        a.link = Some("https://ads.example.com/promo?id=1".into());
        a
    }

    fn rule(fields: &[(Field, &str)], regex: bool, action: FilterAction) -> Filter {
        let fields = fields.iter().map(|(f, v)| (*f, v.to_string())).collect();
        Filter::new(fields, regex, action).unwrap()
    }

    #[test]
    fn words_match_whole_words_ignoring_case_and_accents() {
        let f = rule(
            &[(Field::Title, "Sponsored café")],
            false,
            FilterAction::Hide,
        );
        assert!(f.matches(&article("SPONSORED: the best CAFE in town", "x", "Food")));
        assert!(
            !f.matches(&article("Sponsorship of a cafe", "x", "Food")),
            "whole words"
        );
        assert!(
            !f.matches(&article("Sponsored post", "x", "Food")),
            "every word"
        );
        let f = rule(
            &[(Field::Category, "sports")],
            false,
            FilterAction::MarkRead,
        );
        assert!(f.matches(&article("Match report", "x", "Sports / Football")));
        assert!(!f.matches(&article("Match report", "x", "World News")));
    }

    #[test]
    fn every_named_field_must_match_and_regexes_ignore_case() {
        let f = rule(
            &[(Field::Source, "^Harbour"), (Field::Link, r"ads\.example")],
            true,
            FilterAction::Hide,
        );
        assert!(f.matches(&article("a", "harbour wire", "x")));
        assert!(!f.matches(&article("a", "The Harbour", "x")));
        let filters = Filters(vec![
            rule(&[(Field::Title, "rates")], false, FilterAction::MarkRead),
            rule(&[(Field::Title, "promo")], false, FilterAction::Hide),
        ]);
        let mut all = vec![
            article("Bank holds rates", "x", "y"),
            article("Rates promo inside", "x", "y"),
            article("Storm", "x", "y"),
        ];
        assert_eq!(
            filters.action(&all[1]),
            Some(FilterAction::Hide),
            "hide wins"
        );
        assert_eq!(filters.drop_hidden(&mut all), 1);
        let read: Vec<&str> = filters
            .read_by_rule(&all)
            .iter()
            .map(|a| &*a.title)
            .collect();
        assert_eq!(read, ["Bank holds rates"]);
    }

    #[test]
    fn bad_rules_are_refused() {
        let e = Filter::new(vec![(Field::Title, "(".into())], true, FilterAction::Hide);
        assert!(e.unwrap_err().1.starts_with("not a regular expression"));
        let e = Filter::new(
            vec![(Field::Author, " - ".into())],
            false,
            FilterAction::Hide,
        );
        assert_eq!(e.unwrap_err().1, "no words to match");
    }
}

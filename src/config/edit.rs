//! Writing into config text: sources added by `tidings import`, with `toml_edit` so that the
//! rest of the file stays as written. The file itself is replaced with
//! [`crate::sources::atomic::write_atomic`].

use super::Source;
use crate::sources::SourceSpec;

/// Why sources could not be added to config text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The text is not TOML (toml_edit's message, with its place).
    #[error("{0}")]
    Toml(#[from] toml_edit::TomlError),
    #[error("`sources` is not a list of tables")]
    SourcesNotTables,
}

/// Adds sources to config text with `toml_edit`, keeping everything else as written (comments,
/// order, layout): new `[[sources]]` tables go after the last existing one.
pub fn add_sources(text: &str, new: &[Source]) -> Result<String, EditError> {
    use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value, value};
    let mut doc: DocumentMut = text.parse()?;
    let fields = |s: &Source| {
        let mut out: Vec<(&'static str, String)> = Vec::new();
        match &s.spec {
            SourceSpec::Url(u) => out.push(("url", u.clone())),
            SourceSpec::Path(p) => out.push(("path", p.to_string_lossy().into_owned())),
            // `import` adds feeds and paths only.
            SourceSpec::Bundled | SourceSpec::GReader(_) => {}
        }
        if let Some(n) = &s.name {
            out.push(("name", n.clone()));
        }
        if let Some(c) = &s.category {
            out.push(("category", c.to_string()));
        }
        out
    };
    let item = doc
        .entry("sources")
        .or_insert(Item::ArrayOfTables(ArrayOfTables::new()));
    match item {
        Item::ArrayOfTables(tables) => {
            let last = tables.iter().filter_map(|t| t.position()).max();
            for s in new {
                let mut t = Table::new();
                for (k, v) in fields(s) {
                    t[k] = value(v);
                }
                t.set_position(last);
                tables.push(t);
            }
        }
        Item::Value(Value::Array(array)) => {
            for s in new {
                let mut t = InlineTable::new();
                for (k, v) in fields(s) {
                    t.insert(k, v.into());
                }
                array.push(t);
            }
        }
        _ => return Err(EditError::SourcesNotTables),
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::CategoryPath;

    fn parse_ok(text: &str) -> crate::config::Config {
        crate::config::parse(text, "c.toml", std::path::Path::new("/base")).unwrap()
    }

    #[test]
    fn add_sources_keeps_comments_and_order() {
        let text = "# mine\n[[sources]]\nurl = \"https://a.org/\" # first\n\n# fetch\n[fetch]\ntimeout = 5\n";
        let out = add_sources(
            text,
            &[Source {
                spec: SourceSpec::Url("https://b.org/".into()),
                name: Some("B".into()),
                category: CategoryPath::parse("World / Europe"),
                full_text: false,
                keep_days: None,
                max_articles: None,
                refresh_every: None,
            }],
        )
        .unwrap();
        assert_eq!(
            out,
            "# mine\n[[sources]]\nurl = \"https://a.org/\" # first\n\n[[sources]]\nurl = \"https://b.org/\"\n\
             name = \"B\"\ncategory = \"World / Europe\"\n\n# fetch\n[fetch]\ntimeout = 5\n"
        );
        let c = parse_ok(&out);
        assert_eq!(c.sources.len(), 2);
        let out = add_sources(
            "",
            &[Source {
                spec: SourceSpec::Path("/n".into()),
                name: None,
                category: None,
                full_text: false,
                keep_days: None,
                max_articles: None,
                refresh_every: None,
            }],
        )
        .unwrap();
        assert_eq!(out, "[[sources]]\npath = \"/n\"\n");
    }

    #[test]
    fn what_cannot_be_edited_is_an_error() {
        let src = Source {
            spec: SourceSpec::Url("https://b.org/".into()),
            name: None,
            category: None,
            full_text: false,
            keep_days: None,
            max_articles: None,
            refresh_every: None,
        };
        assert_eq!(
            add_sources("sources = 1\n", std::slice::from_ref(&src)),
            Err(EditError::SourcesNotTables)
        );
        assert!(matches!(
            add_sources("x = [\n", &[src]),
            Err(EditError::Toml(_))
        ));
    }
}

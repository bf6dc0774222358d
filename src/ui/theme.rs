//! Every style the UI uses, in one place. With `NO_COLOR` set, only modifiers (bold, italic,
//! reverse, underline, dim) are used.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Theme {
    pub color: bool,
    /// Colours from the config, by role; `None`: the default.
    pub colors: Colors,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty.
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            colors: Colors::default(),
        }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.role(self.colors.accent, Color::Cyan)
                .add_modifier(Modifier::BOLD)
        } else {
            self.fg(Color::DarkGray)
        }
    }

    pub fn title(&self, focused: bool) -> Style {
        if focused {
            self.role(self.colors.accent, Color::Cyan)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        }
    }

    /// The selected row: reversed in the focused pane, underlined elsewhere.
    pub fn selected(&self, focused: bool) -> Style {
        if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            self.role(self.colors.accent, Color::Cyan)
                .add_modifier(Modifier::UNDERLINED)
        }
    }

    pub fn unread_mark(&self) -> Style {
        self.role(self.colors.unread, Color::Yellow)
            .add_modifier(Modifier::BOLD)
    }

    /// The ★ of a starred article.
    pub fn star(&self) -> Style {
        self.role(self.colors.unread, Color::Yellow)
    }

    pub fn unread_title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub fn source(&self) -> Style {
        self.role(self.colors.source, Color::Blue)
    }

    pub fn count(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    /// The tree row of the active filter.
    pub fn active_filter(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn article_title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn byline(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub fn categories(&self) -> Style {
        self.fg(Color::Magenta)
    }

    pub fn link(&self) -> Style {
        self.role(self.colors.link, Color::Blue)
            .add_modifier(Modifier::UNDERLINED)
    }

    pub fn standfirst(&self) -> Style {
        Style::new().add_modifier(Modifier::ITALIC)
    }

    pub fn heading(&self) -> Style {
        self.role(self.colors.heading, Color::Cyan)
            .add_modifier(Modifier::BOLD)
    }

    pub fn quote(&self) -> Style {
        self.role(self.colors.quote, Color::Green)
            .add_modifier(Modifier::ITALIC)
    }

    pub fn code(&self) -> Style {
        self.role(self.colors.code, Color::Yellow)
    }

    /// A search match.
    pub fn search_hit(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Yellow).fg(Color::Black)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
        }
    }

    /// Inline styles inside text.
    pub fn inline(&self, inline: crate::core::model::Inline) -> Style {
        use crate::core::model::Inline;
        match inline {
            Inline::Emphasis => Style::new().add_modifier(Modifier::ITALIC),
            Inline::Strong => Style::new().add_modifier(Modifier::BOLD),
            Inline::Code => self.code(),
            Inline::Link => self.link(),
        }
    }

    pub fn status(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Indexed(236)).fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn warning(&self) -> Style {
        self.role(self.colors.warning, Color::LightRed)
            .add_modifier(Modifier::BOLD)
    }

    pub fn hint_key(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
}

/// Colours the config sets, by role (`[theme]`); each overrides its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Colors {
    /// Focused borders and titles, the selection in other panes.
    pub accent: Option<Color>,
    /// The unread mark.
    pub unread: Option<Color>,
    /// Section headings in the reader and the help.
    pub heading: Option<Color>,
    pub link: Option<Color>,
    pub quote: Option<Color>,
    pub code: Option<Color>,
    /// Source names.
    pub source: Option<Color>,
    pub warning: Option<Color>,
}

impl Theme {
    /// The theme for the environment (`NO_COLOR`) with the config's colours.
    pub fn with_colors(colors: Colors) -> Theme {
        Theme {
            colors,
            ..Theme::from_env()
        }
    }

    /// The role's colour when the config sets one, else `default` (nothing under `NO_COLOR`).
    fn role(&self, role: Option<Color>, default: Color) -> Style {
        self.fg(role.unwrap_or(default))
    }
}

/// Parses a colour as the config writes it: a name (`cyan`, `light red`, `dark gray`, `grey`,
/// `bright blue`…; case, spaces, `-` and `_` do not matter), `#rrggbb`, or a 256-colour index
/// (`208`).
pub fn parse_color(text: &str) -> Result<Color, String> {
    let bad = || {
        format!("'{text}' is not a colour (a name such as cyan or light red, #rrggbb, or 0 to 255)")
    };
    let t = text.trim();
    if let Some(hex) = t.strip_prefix('#') {
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let v = u32::from_str_radix(hex, 16).map_err(|_| bad())?;
        return Ok(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
    }
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<u8>().map(Color::Indexed).map_err(|_| bad());
    }
    let name: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .replace("grey", "gray")
        .replace("bright", "light");
    Ok(match name.as_str() {
        "default" | "reset" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" | "purple" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "lightblack" => Color::Gray,
        "darkgray" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" | "lightpurple" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" | "lightwhite" => Color::White,
        _ => return Err(bad()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_colours() {
        assert_eq!(parse_color("cyan"), Ok(Color::Cyan));
        assert_eq!(parse_color("Light Red"), Ok(Color::LightRed));
        assert_eq!(parse_color("light-red"), Ok(Color::LightRed));
        assert_eq!(parse_color("dark grey"), Ok(Color::DarkGray));
        assert_eq!(parse_color("bright_blue"), Ok(Color::LightBlue));
        assert_eq!(parse_color("#ff8800"), Ok(Color::Rgb(255, 136, 0)));
        assert_eq!(parse_color("#FF8800"), Ok(Color::Rgb(255, 136, 0)));
        assert_eq!(parse_color("208"), Ok(Color::Indexed(208)));
        assert_eq!(parse_color("0"), Ok(Color::Indexed(0)));
        for bad in ["", "cyann", "#ff880", "#gg8800", "256", "-1", "light", "#"] {
            assert!(parse_color(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn config_colours_override_defaults_but_not_no_color() {
        let colors = Colors {
            accent: Some(Color::Indexed(208)),
            heading: Some(Color::Red),
            ..Colors::default()
        };
        let t = Theme {
            color: true,
            colors,
        };
        assert_eq!(t.border(true).fg, Some(Color::Indexed(208)));
        assert_eq!(t.heading().fg, Some(Color::Red));
        assert_eq!(t.quote().fg, Some(Color::Green));
        let plain = Theme {
            color: false,
            colors,
        };
        assert_eq!(plain.border(true).fg, None);
        assert_eq!(plain.heading().fg, None);
    }
}

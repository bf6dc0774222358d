//! Every style the UI uses, in one place. With `NO_COLOR` set, only modifiers (bold, italic,
//! reverse, underline, dim) are used.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty.
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
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
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            self.fg(Color::DarkGray)
        }
    }

    pub fn title(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        }
    }

    /// The selected row: reversed in the focused pane, underlined elsewhere.
    pub fn selected(&self, focused: bool) -> Style {
        if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            self.fg(Color::Cyan).add_modifier(Modifier::UNDERLINED)
        }
    }

    pub fn unread_mark(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn unread_title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub fn source(&self) -> Style {
        self.fg(Color::Blue)
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
        self.fg(Color::Blue).add_modifier(Modifier::UNDERLINED)
    }

    pub fn standfirst(&self) -> Style {
        Style::new().add_modifier(Modifier::ITALIC)
    }

    pub fn heading(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn quote(&self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::ITALIC)
    }

    pub fn code(&self) -> Style {
        self.fg(Color::Yellow)
    }

    /// Inline styles inside text.
    pub fn inline(&self, inline: crate::core::model::Inline) -> Style {
        use crate::core::model::Inline;
        match inline {
            Inline::Emphasis => Style::new().add_modifier(Modifier::ITALIC),
            Inline::Strong => Style::new().add_modifier(Modifier::BOLD),
            Inline::Code => self.code(),
            Inline::Link => self.fg(Color::Blue).add_modifier(Modifier::UNDERLINED),
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
        self.fg(Color::LightRed).add_modifier(Modifier::BOLD)
    }

    pub fn hint_key(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
}

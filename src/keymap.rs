//! Keybindings as data: (context, key) -> action with a description. `resolve` looks keys up;
//! the help overlay and the status-line hints are generated from the same table.

use crate::core::geometry::Focus;
use crate::core::state::Action;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::fmt;

/// Where a binding applies. Pane contexts are tried before `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Global,
    Tree,
    Headlines,
    Reader,
    Help,
    Links,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Tree => "Categories",
            Context::Headlines => "Headlines",
            Context::Reader => "Reader",
            Context::Help => "Help",
            Context::Links => "Links",
        }
    }

    fn of(focus: Focus) -> Context {
        match focus {
            Focus::Tree => Context::Tree,
            Focus::Headlines => Context::Headlines,
            Focus::Reader => Context::Reader,
        }
    }
}

/// A key with its modifiers (Shift is folded into the character for letters and symbols).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            modifiers: KeyModifiers::NONE,
        }
    }

    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            modifiers: KeyModifiers::CONTROL,
        }
    }

    /// The key of a terminal event, normalized: Shift dropped where it is part of the character.
    pub fn from_event(ev: &KeyEvent) -> Key {
        let mut modifiers =
            ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        if matches!(ev.code, KeyCode::Char(_) | KeyCode::BackTab) {
            modifiers.remove(KeyModifiers::SHIFT);
        }
        let code = match ev.code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        Key { code, modifiers }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One row of the table: these keys, in this context, do this.
#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    pub keys: Vec<Key>,
    pub action: Action,
    pub description: &'static str,
    /// Shown in the status line's hints for its context.
    pub hint: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        use Context::*;
        use KeyCode as K;
        let b = |context, keys: &[Key], action, description, hint| Binding {
            context,
            keys: keys.to_vec(),
            action,
            description,
            hint,
        };
        let p = Key::plain;
        let c = Key::ch;
        Keymap {
            bindings: vec![
                b(
                    Links,
                    &[c('j'), p(K::Down)],
                    Action::Down,
                    "next link",
                    None,
                ),
                b(
                    Links,
                    &[c('k'), p(K::Up)],
                    Action::Up,
                    "previous link",
                    None,
                ),
                b(
                    Links,
                    &[p(K::Enter), c('o')],
                    Action::Choose,
                    "open the link",
                    None,
                ),
                b(
                    Links,
                    &[p(K::Esc), c('L'), c('q')],
                    Action::CloseHelp,
                    "close",
                    None,
                ),
                b(
                    Reader,
                    &[c('o')],
                    Action::OpenLink,
                    "open in the browser",
                    Some("browser"),
                ),
                b(
                    Reader,
                    &[c('L')],
                    Action::ShowLinks,
                    "list its links",
                    Some("links"),
                ),
                b(
                    Help,
                    &[p(K::Esc), c('?'), c('q')],
                    Action::CloseHelp,
                    "close help",
                    None,
                ),
                b(
                    Help,
                    &[c('S')],
                    Action::ToggleSources,
                    "close the sources",
                    None,
                ),
                b(
                    Tree,
                    &[p(K::Enter), c('l'), p(K::Right)],
                    Action::Choose,
                    "filter to it",
                    Some("filter"),
                ),
                b(
                    Tree,
                    &[c(' ')],
                    Action::ToggleCollapse,
                    "fold or unfold",
                    Some("fold"),
                ),
                b(
                    Tree,
                    &[p(K::Esc), c('h'), p(K::Left)],
                    Action::Back,
                    "fold, or go up",
                    None,
                ),
                b(
                    Headlines,
                    &[p(K::Enter), c('l'), p(K::Right)],
                    Action::Choose,
                    "open the article",
                    Some("open"),
                ),
                b(
                    Headlines,
                    &[p(K::Esc), c('h'), p(K::Left)],
                    Action::Back,
                    "back to categories",
                    None,
                ),
                b(
                    Reader,
                    &[c('j'), p(K::Down)],
                    Action::Down,
                    "scroll down",
                    None,
                ),
                b(Reader, &[c('k'), p(K::Up)], Action::Up, "scroll up", None),
                b(
                    Reader,
                    &[p(K::Esc), c('h'), p(K::Left)],
                    Action::Back,
                    "back to headlines",
                    Some("back"),
                ),
                b(
                    Global,
                    &[c('j'), p(K::Down)],
                    Action::Down,
                    "move down",
                    None,
                ),
                b(Global, &[c('k'), p(K::Up)], Action::Up, "move up", None),
                b(
                    Global,
                    &[c(' '), p(K::PageDown)],
                    Action::PageDown,
                    "page down",
                    None,
                ),
                b(
                    Global,
                    &[c('b'), p(K::PageUp)],
                    Action::PageUp,
                    "page up",
                    None,
                ),
                b(Global, &[c('g'), p(K::Home)], Action::Top, "top", None),
                b(Global, &[c('G'), p(K::End)], Action::Bottom, "bottom", None),
                b(
                    Global,
                    &[c('J')],
                    Action::NextArticle,
                    "next article",
                    Some("next"),
                ),
                b(
                    Global,
                    &[c('K')],
                    Action::PrevArticle,
                    "previous article",
                    None,
                ),
                b(
                    Global,
                    &[p(K::Tab)],
                    Action::FocusNext,
                    "next pane",
                    Some("pane"),
                ),
                b(
                    Global,
                    &[p(K::BackTab)],
                    Action::FocusPrev,
                    "previous pane",
                    None,
                ),
                b(
                    Global,
                    &[c('c')],
                    Action::JumpToTree,
                    "go to categories",
                    None,
                ),
                b(
                    Global,
                    &[c('r')],
                    Action::Refresh,
                    "refresh its source",
                    None,
                ),
                b(
                    Global,
                    &[c('R')],
                    Action::RefreshAll,
                    "refresh every source",
                    None,
                ),
                b(
                    Global,
                    &[c('S')],
                    Action::ToggleSources,
                    "show the sources",
                    Some("sources"),
                ),
                b(
                    Global,
                    &[c('?')],
                    Action::ToggleHelp,
                    "show this help",
                    Some("help"),
                ),
                b(
                    Global,
                    &[c('q'), Key::ctrl('c')],
                    Action::Quit,
                    "quit",
                    Some("quit"),
                ),
            ],
        }
    }
}

impl Keymap {
    /// The action for a key press in a pane (or over the help), if any. Only presses count;
    /// Ctrl-C always quits.
    pub fn resolve(&self, ev: &KeyEvent, focus: Focus, overlay: Option<Context>) -> Option<Action> {
        if ev.kind != KeyEventKind::Press {
            return None;
        }
        let key = Key::from_event(ev);
        if key == Key::ctrl('c') {
            return Some(Action::Quit);
        }
        let pane = [Context::of(focus), Context::Global];
        let over;
        let contexts: &[Context] = match overlay {
            Some(o) => {
                over = [o];
                &over
            }
            None => &pane,
        };
        contexts.iter().find_map(|ctx| {
            self.bindings
                .iter()
                .find(|b| b.context == *ctx && b.keys.contains(&key))
                .map(|b| b.action.clone())
        })
    }

    /// `(first key, hint)` for the status line: the pane's hints, then the global ones.
    pub fn hints(&self, focus: Focus) -> Vec<(String, &'static str)> {
        [Context::of(focus), Context::Global]
            .iter()
            .flat_map(|ctx| self.bindings.iter().filter(move |b| b.context == *ctx))
            .filter_map(|b| Some((b.keys.first()?.to_string(), b.hint?)))
            .collect()
    }

    /// The help overlay's sections: a title and `(keys, description)` rows.
    pub fn help_sections(&self) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        [
            Context::Global,
            Context::Tree,
            Context::Headlines,
            Context::Reader,
        ]
        .iter()
        .map(|ctx| {
            let rows = self
                .bindings
                .iter()
                .filter(|b| b.context == *ctx)
                .map(|b| {
                    let keys: Vec<String> = b.keys.iter().map(Key::to_string).collect();
                    (keys.join(", "), b.description)
                })
                .collect();
            (ctx.title(), rows)
        })
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventState;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        }
    }

    #[test]
    fn resolves_by_pane_then_global() {
        let km = Keymap::default();
        let r = |code, m, focus| km.resolve(&press(code, m), focus, None);
        let none = KeyModifiers::NONE;
        assert_eq!(
            r(KeyCode::Char('j'), none, Focus::Headlines),
            Some(Action::Down)
        );
        assert_eq!(r(KeyCode::Enter, none, Focus::Tree), Some(Action::Choose));
        assert_eq!(
            r(KeyCode::Char(' '), none, Focus::Tree),
            Some(Action::ToggleCollapse)
        );
        assert_eq!(
            r(KeyCode::Char(' '), none, Focus::Reader),
            Some(Action::PageDown)
        );
        // Shift is part of the character: `G` arrives as Char('G') with SHIFT.
        assert_eq!(
            r(KeyCode::Char('G'), KeyModifiers::SHIFT, Focus::Reader),
            Some(Action::Bottom)
        );
        assert_eq!(
            r(KeyCode::BackTab, KeyModifiers::SHIFT, Focus::Reader),
            Some(Action::FocusPrev)
        );
        assert_eq!(
            r(KeyCode::Char('c'), KeyModifiers::CONTROL, Focus::Tree),
            Some(Action::Quit)
        );
        assert_eq!(
            r(
                KeyCode::Char('C'),
                KeyModifiers::CONTROL | KeyModifiers::SHIFT,
                Focus::Tree
            ),
            Some(Action::Quit)
        );
        assert_eq!(r(KeyCode::Char('x'), none, Focus::Tree), None);
        assert_eq!(r(KeyCode::Char('j'), KeyModifiers::ALT, Focus::Tree), None);
    }

    #[test]
    fn releases_do_nothing_and_help_swallows_keys() {
        let km = Keymap::default();
        let mut ev = press(KeyCode::Char('q'), KeyModifiers::NONE);
        ev.kind = KeyEventKind::Release;
        assert_eq!(km.resolve(&ev, Focus::Headlines, None), None);
        let j = press(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(km.resolve(&j, Focus::Headlines, Some(Context::Help)), None);
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            km.resolve(&q, Focus::Headlines, Some(Context::Help)),
            Some(Action::CloseHelp)
        );
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(
            km.resolve(&ctrl_c, Focus::Headlines, Some(Context::Help)),
            Some(Action::Quit)
        );
    }

    #[test]
    fn help_and_hints_come_from_the_table() {
        let km = Keymap::default();
        let sections = km.help_sections();
        let global = &sections[0];
        assert_eq!(global.0, "Everywhere");
        assert!(global.1.contains(&("q, Ctrl-c".to_string(), "quit")));
        assert!(global.1.contains(&("Space, PgDn".to_string(), "page down")));
        let rows: usize = sections.iter().map(|s| s.1.len()).sum();
        let table = km
            .bindings
            .iter()
            .filter(|b| !matches!(b.context, Context::Help | Context::Links))
            .count();
        assert_eq!(rows, table);
        let hints = km.hints(Focus::Headlines);
        assert_eq!(hints[0], ("Enter".to_string(), "open"));
        assert!(hints.contains(&("?".to_string(), "help")));
        assert!(hints.contains(&("q".to_string(), "quit")));
    }
}

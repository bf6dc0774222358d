//! The event loop: terminal events, load results and signals arrive as messages on one channel;
//! each becomes an `Action` for `update`; the screen is redrawn once after all ready messages are
//! handled, and only when something happened. Generic over the ratatui `Backend`, so tests drive
//! the whole app on `TestBackend`.

use crate::core::state::{Action, Effect, State, update};
use crate::keymap::{Context, Keymap};
use crate::ui::{self, theme::Theme};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{Event, MouseButton, MouseEventKind};
use std::io;
use std::sync::mpsc::Receiver;

/// What arrives on the app's channel.
#[derive(Debug)]
pub enum Msg {
    Term(Event),
    Action(Action),
}

pub struct App<B: Backend> {
    pub terminal: Terminal<B>,
    pub state: State,
    pub keymap: Keymap,
    pub theme: Theme,
    /// Sources `update` asked to load again, for the shell's loader to take.
    pub pending: Vec<String>,
    /// URLs `update` asked to open.
    pub open: Vec<String>,
}

fn io_err(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

impl<B: Backend> App<B> {
    /// Builds the app and tells the state the terminal's size.
    pub fn new(
        terminal: Terminal<B>,
        state: State,
        keymap: Keymap,
        theme: Theme,
    ) -> io::Result<App<B>> {
        let mut app = App {
            terminal,
            state,
            keymap,
            theme,
            pending: Vec::new(),
            open: Vec::new(),
        };
        let size = app.terminal.size().map_err(io_err)?;
        app.dispatch(Action::Resize {
            width: size.width,
            height: size.height,
        });
        Ok(app)
    }

    /// The action a terminal event means, if any.
    pub fn action_for(&self, ev: &Event) -> Option<Action> {
        match ev {
            Event::Key(k) => {
                let overlay = if self.state.links.is_some() {
                    Some(Context::Links)
                } else if self.state.help || self.state.show_sources {
                    Some(Context::Help)
                } else {
                    None
                };
                self.keymap.resolve(k, self.state.focus, overlay)
            }
            Event::Resize(width, height) => Some(Action::Resize {
                width: *width,
                height: *height,
            }),
            Event::Mouse(m) => {
                let (column, row) = (m.column, m.row);
                match m.kind {
                    MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { column, row }),
                    MouseEventKind::ScrollUp => Some(Action::ScrollUp { column, row }),
                    MouseEventKind::ScrollDown => Some(Action::ScrollDown { column, row }),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    pub fn dispatch(&mut self, action: Action) -> Vec<Effect> {
        update(&mut self.state, action)
    }

    /// Handles one message; true when the screen may have changed.
    pub fn handle(&mut self, msg: Msg) -> bool {
        let action = match msg {
            Msg::Term(ev) => self.action_for(&ev),
            Msg::Action(a) => Some(a),
        };
        match action {
            Some(a) => {
                for effect in self.dispatch(a) {
                    match effect {
                        Effect::Quit => self.state.quit = true,
                        Effect::Reload(labels) => self.pending.extend(labels),
                        Effect::OpenUrl(url) => self.open.push(url),
                    }
                }
                true
            }
            None => false,
        }
    }

    pub fn draw(&mut self) -> io::Result<()> {
        let (state, keymap, theme) = (&self.state, &self.keymap, &self.theme);
        self.terminal
            .draw(|f| ui::draw(f, state, keymap, theme))
            .map_err(io_err)?;
        Ok(())
    }

    /// Runs until quit or until every sender is gone. Blocks between messages (0% CPU when idle);
    /// while sources load, wakes every 100 ms for the spinner. `reload` is called with the labels
    /// of sources to load again.
    pub fn run(
        &mut self,
        rx: &Receiver<Msg>,
        mut reload: impl FnMut(Vec<String>),
        mut open: impl FnMut(&mut Terminal<B>, &str) -> Result<(), String>,
    ) -> io::Result<()> {
        use std::sync::mpsc::RecvTimeoutError;
        self.draw()?;
        loop {
            let first = if self.state.progress().is_some() {
                match rx.recv_timeout(std::time::Duration::from_millis(100)) {
                    Ok(m) => m,
                    Err(RecvTimeoutError::Timeout) => Msg::Action(Action::Tick),
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            } else {
                match rx.recv() {
                    Ok(m) => m,
                    Err(_) => break,
                }
            };
            let mut dirty = self.handle(first);
            while !self.state.quit {
                match rx.try_recv() {
                    Ok(msg) => dirty |= self.handle(msg),
                    Err(_) => break,
                }
            }
            if self.state.quit {
                break;
            }
            if !self.pending.is_empty() {
                reload(std::mem::take(&mut self.pending));
            }
            for url in std::mem::take(&mut self.open) {
                if let Err(e) = open(&mut self.terminal, &url) {
                    self.state.warnings.push(e);
                }
                dirty = true;
            }
            if dirty {
                self.draw()?;
            }
        }
        Ok(())
    }
}

//! The event loop: terminal events, load results and signals arrive as messages on one channel;
//! each becomes an `Action` for `update`; the screen is redrawn once after all ready messages are
//! handled, and only when something happened. Generic over the ratatui `Backend`, so tests drive
//! the whole app on `TestBackend`.

use crate::core::state::{Action, Effect, Mark, Overlay, State, update};
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
    /// Effects `update` asked for, not yet executed (read/star marks apart).
    pub effects: Vec<Effect>,
    /// Read/star marks not yet saved, and when they were last saved.
    pub unsaved: Vec<Mark>,
    last_save: std::time::Instant,
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
            effects: Vec::new(),
            unsaved: Vec::new(),
            last_save: std::time::Instant::now(),
        };
        let help = app.keymap.help_table();
        app.dispatch(Action::KeyHelp(help));
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
            Event::Key(k) if self.state.search_input().is_some() => self.keymap.resolve_search(k),
            Event::Key(k) => {
                let overlay = match self.state.overlay() {
                    Overlay::None => None,
                    Overlay::Links { .. } => Some(Context::Links),
                    Overlay::Help | Overlay::Sources => Some(Context::Help),
                };
                self.keymap.resolve(k, self.state.focus(), overlay)
            }
            Event::Resize(width, height) => Some(Action::Resize {
                width: *width,
                height: *height,
            }),
            Event::Mouse(m) => {
                let (column, row) = (m.column, m.row);
                match m.kind {
                    MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { column, row }),
                    MouseEventKind::Drag(MouseButton::Left) => Some(Action::Drag { column, row }),
                    MouseEventKind::Up(MouseButton::Left) => Some(Action::Release),
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
                        // `update` has marked the state as quitting.
                        Effect::Quit => {}
                        // Saved at most once a second (see `run`).
                        Effect::SaveMarks(marks) => self.unsaved.extend(marks),
                        other => self.effects.push(other),
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
    /// while sources load, wakes every 100 ms for the spinner. Every effect goes to `execute`
    /// (the worker's [`super::worker::Worker::execute`]) once the ready messages are handled;
    /// changed read/star marks at most once a second while changes come, and once more on the
    /// way out. What `execute` cannot do becomes a warning.
    pub fn run(
        &mut self,
        rx: &Receiver<Msg>,
        mut execute: impl FnMut(Effect) -> Result<(), String>,
    ) -> io::Result<()> {
        use std::sync::mpsc::RecvTimeoutError;
        use std::time::Duration;
        self.draw()?;
        loop {
            let wait = if self.state.progress().is_some() {
                Some(Duration::from_millis(100))
            } else if !self.unsaved.is_empty() {
                Some(Duration::from_secs(1).saturating_sub(self.last_save.elapsed()))
            } else {
                None
            };
            // A scheduled refresh wakes the loop when it is due.
            let timer = self
                .state
                .next_timer()
                .map(|at| (at - chrono::Utc::now()).to_std().unwrap_or_default());
            let wait = match (wait, timer) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let first = match wait {
                Some(d) => match rx.recv_timeout(d) {
                    Ok(m) => Some(m),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => break,
                },
                None => match rx.recv() {
                    Ok(m) => Some(m),
                    Err(_) => break,
                },
            };
            let mut dirty = match first {
                Some(m) => self.handle(m),
                None if self.state.progress().is_some() => self.handle(Msg::Action(Action::Tick)),
                None => false,
            };
            while !self.state.is_quitting() {
                match rx.try_recv() {
                    Ok(msg) => dirty |= self.handle(msg),
                    Err(_) => break,
                }
            }
            if self
                .state
                .next_timer()
                .is_some_and(|at| at <= chrono::Utc::now())
            {
                dirty |= self.handle(Msg::Action(Action::Time(chrono::Utc::now())));
            }
            if !self.unsaved.is_empty()
                && (self.state.is_quitting() || self.last_save.elapsed() >= Duration::from_secs(1))
            {
                if let Err(e) = execute(Effect::SaveMarks(std::mem::take(&mut self.unsaved))) {
                    dirty |= self.handle(Msg::Action(Action::Warn(e)));
                }
                self.last_save = std::time::Instant::now();
            }
            if self.state.is_quitting() {
                break;
            }
            for effect in std::mem::take(&mut self.effects) {
                // A browser in the terminal has drawn over the screen: everything again. (A
                // blank frame, not `Terminal::clear`, which would ask the terminal for the
                // cursor position while the input thread owns the replies.)
                let redraw = matches!(effect, Effect::OpenUrl(_));
                if let Err(e) = execute(effect) {
                    dirty |= self.handle(Msg::Action(Action::Warn(e)));
                }
                if redraw {
                    self.terminal
                        .draw(|f| f.render_widget(ratatui::widgets::Clear, f.area()))
                        .map_err(io_err)?;
                    dirty = true;
                }
            }
            if dirty {
                self.draw()?;
            }
        }
        if !self.unsaved.is_empty() {
            let _ = execute(Effect::SaveMarks(std::mem::take(&mut self.unsaved)));
        }
        Ok(())
    }
}

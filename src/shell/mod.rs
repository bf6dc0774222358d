//! The shell: the event loop ([`app`]), the real terminal ([`terminal`]) and the [`worker`] that
//! executes effects. [`reader`] puts them together.

pub mod app;
pub mod terminal;
pub mod worker;

use crate::cli::SourceArgs;
use crate::core::state::{Action, Clock, Mark, State, update};
use crate::sources::fetch::Fetcher;
use app::{App, Msg};
use std::io;
use std::process::ExitCode;
use worker::Worker;

/// The full-screen reader. Sources load on the worker, so the first frame never waits for them.
pub fn reader(args: &SourceArgs, category: Option<String>) -> io::Result<ExitCode> {
    let (tx, rx) = std::sync::mpsc::channel::<Msg>();
    let store = args.store();
    let clock = Clock {
        now: chrono::Utc::now(),
        tz: *chrono::Local::now().offset(),
    };
    let mut state = State::new(clock, category);
    update(
        &mut state,
        Action::SourceNames(args.settings.source_names()),
    );
    // Read and star marks from earlier runs, before any article arrives.
    if let Some(store) = &store {
        let (marks, warning) = store.load();
        update(
            &mut state,
            Action::Marks(marks.into_iter().map(Mark::from).collect()),
        );
        if let Some(w) = warning {
            update(&mut state, Action::Warn(w));
        }
    }
    let fetcher = Fetcher::new(args.fetch_options());
    let worker = Worker::new(
        fetcher,
        tx.clone(),
        args.specs(),
        args.settings.clone(),
        store,
    );
    if let Err(e) = worker.start() {
        update(&mut state, Action::Warn(e));
    }
    let (terminal, guard) = terminal::setup()?;
    terminal::spawn_input(tx.clone());
    terminal::spawn_signals(tx)?;
    let mut app = App::new(
        terminal,
        state,
        args.settings.keymap(),
        args.settings.theme(),
    )?;
    // For the terminal-restore test: a panic after the first frame, on request.
    if std::env::var_os("TIDINGS_PANIC_AFTER_FIRST_FRAME").is_some() {
        app.draw()?;
        panic!("TIDINGS_PANIC_AFTER_FIRST_FRAME is set: panicking on purpose");
    }
    let result = app.run(&rx, |effect| worker.execute(effect));
    drop(guard);
    result?;
    Ok(ExitCode::SUCCESS)
}

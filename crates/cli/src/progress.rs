//! Draws the engine's progress events: a progress bar on a terminal, plain lines otherwise
//! (logs, CI, pipes). Always on standard error, so `--json` output stays clean.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};

use indicatif::{ProgressBar, ProgressStyle};

use vendorlink_engine::{Progress, ProgressSink};

pub fn sink() -> ProgressSink {
    if std::io::stderr().is_terminal() {
        bar()
    } else {
        Arc::new(|event| eprintln!("{}", line(&event)))
    }
}

fn line(event: &Progress) -> String {
    match event {
        Progress::RunStarted { grant_id, total, done } => format!("{grant_id}: {done} of {total} steps already done"),
        Progress::StepStarted { step, summary } => format!("start    {step}: {summary}"),
        Progress::Waiting { step, resource, state, elapsed_secs } => format!("waiting  {step}: {resource} is {state} ({elapsed_secs} s)"),
        Progress::StepDone { step, resource, adopted, .. } => {
            format!("done     {step}: {resource}{}", if *adopted { " (found after an interrupted run)" } else { "" })
        }
        Progress::StepFailed { step, error } => format!("FAILED   {step}: {}", error.message),
        Progress::RollingBack { step } => format!("undo     {step}"),
        Progress::RolledBack { step } => format!("removed  {step}"),
        Progress::RollbackFailed { step, error } => format!("LEFT     {step}: {}", error.message),
    }
}

fn bar() -> ProgressSink {
    let bar = ProgressBar::new(0);
    bar.set_style(ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar()).progress_chars("=> "));
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let bar = Mutex::new(bar);
    Arc::new(move |event| {
        let Ok(bar) = bar.lock() else { return };
        match &event {
            Progress::RunStarted { total, done, .. } => {
                bar.set_length(*total as u64);
                bar.set_position(*done as u64);
            }
            Progress::StepStarted { step, .. } => bar.set_message(step.to_string()),
            Progress::Waiting { .. } => bar.set_message(line(&event)),
            Progress::StepDone { .. } => {
                bar.inc(1);
                bar.println(line(&event));
            }
            Progress::StepFailed { .. } | Progress::RollbackFailed { .. } | Progress::RolledBack { .. } => bar.println(line(&event)),
            Progress::RollingBack { step } => bar.set_message(format!("removing {step}")),
        }
        if bar.length().is_some_and(|len| len > 0 && bar.position() >= len) {
            bar.finish_and_clear();
        }
    })
}

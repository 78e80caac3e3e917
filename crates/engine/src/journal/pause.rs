//! Fault injection for the crash tests, compiled only with the `test-hooks` feature (the tests'
//! builds): the process stops, and waits to be killed, just before writing a journal record —
//! record N of the grant's journal with `VENDORLINK_TEST_PAUSE_BEFORE_RECORD=N`, or a step's
//! record of one kind with `VENDORLINK_TEST_PAUSE_BEFORE_STEP_RECORD=<step>:<type>` (e.g.
//! `sync-function:created`), which stays put when independent steps run side by side.

#[cfg(feature = "test-hooks")]
pub(super) fn before_record(seq: u64, step: Option<&vendorlink_model::StepId>, event: &super::Event) {
    let by_seq = std::env::var("VENDORLINK_TEST_PAUSE_BEFORE_RECORD").ok().and_then(|v| v.parse::<u64>().ok()) == Some(seq);
    let by_step = std::env::var("VENDORLINK_TEST_PAUSE_BEFORE_STEP_RECORD").ok().is_some_and(|wanted| {
        let kind = serde_json::to_value(event).ok().and_then(|v| v["type"].as_str().map(str::to_owned)).unwrap_or_default();
        step.is_some_and(|s| wanted == format!("{s}:{kind}"))
    });
    if by_seq || by_step {
        eprintln!("vendorlink: paused before journal record {seq}");
        loop {
            std::thread::park();
        }
    }
}

#[cfg(not(feature = "test-hooks"))]
pub(super) fn before_record(_seq: u64, _step: Option<&vendorlink_model::StepId>, _event: &super::Event) {}

//! Fault injection for the crash tests, compiled only with the `test-hooks` feature (the tests'
//! builds): with `VENDORLINK_TEST_PAUSE_BEFORE_RECORD=N` the process stops, and waits to be
//! killed, just before writing journal record N — the N-th journal boundary of a run.

#[cfg(feature = "test-hooks")]
pub(super) fn before_record(seq: u64) {
    let wanted = std::env::var("VENDORLINK_TEST_PAUSE_BEFORE_RECORD").ok().and_then(|v| v.parse::<u64>().ok());
    if wanted == Some(seq) {
        eprintln!("vendorlink: paused before journal record {seq}");
        loop {
            std::thread::park();
        }
    }
}

#[cfg(not(feature = "test-hooks"))]
pub(super) fn before_record(_seq: u64) {}

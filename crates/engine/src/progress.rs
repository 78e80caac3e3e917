use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use vendorlink_model::ErrorPayload;
use vendorlink_model::Outputs;

/// What a running apply, resume or rollback reports as it goes: the window draws these, the
/// command line prints them as progress bars or lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "type")]
pub enum Progress {
    RunStarted {
        grant_id: String,
        total: usize,
        done: usize,
    },
    StepStarted {
        step: String,
        summary: String,
    },
    /// Polling AWS until a resource reaches the state needed.
    Waiting {
        step: String,
        resource: String,
        state: String,
        #[ts(type = "number")]
        elapsed_secs: u64,
    },
    StepDone {
        step: String,
        outputs: Outputs,
        adopted: bool,
    },
    StepFailed {
        step: String,
        error: ErrorPayload,
    },
    RollingBack {
        step: String,
    },
    RolledBack {
        step: String,
    },
    RollbackFailed {
        step: String,
        error: ErrorPayload,
    },
}

/// Where progress goes; must be cheap, it is called from the engine's tasks.
pub type ProgressSink = Arc<dyn Fn(Progress) + Send + Sync>;

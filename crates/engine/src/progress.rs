use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use vendorlink_model::{ErrorPayload, StepId};

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
        step: StepId,
        summary: String,
    },
    /// Polling AWS until a resource reaches the state needed.
    Waiting {
        step: StepId,
        resource: String,
        state: String,
        #[ts(type = "number")]
        elapsed_secs: u64,
    },
    StepDone {
        step: StepId,
        /// The id of what it made (the rules' ids for rules).
        resource: String,
        adopted: bool,
        /// Its page in the AWS console, when it has one.
        console_url: Option<String>,
    },
    StepFailed {
        step: StepId,
        error: ErrorPayload,
    },
    RollingBack {
        step: StepId,
    },
    RolledBack {
        step: StepId,
    },
    RollbackFailed {
        step: StepId,
        error: ErrorPayload,
    },
}

/// Where progress goes; must be cheap, it is called from the engine's tasks.
pub type ProgressSink = Arc<dyn Fn(Progress) + Send + Sync>;

//! The checklist engine: facts + catalogue + the organisation's policy and the person's
//! choices -> report.
//!
//! Pure by design: it does no I/O, reads no clock and has no `cfg(target_os)`. The catalogue and
//! the texts are data (`assets/`), embedded at compile time; the rules that pick a status are in
//! [`rules`]. Results may be evaluated one by one as probes finish.

pub mod apps;
pub mod avg_table;
mod catalogue;
mod engine;
mod locale;
mod policy;
mod report;
pub mod rules;
mod session;
pub mod target;

pub use catalogue::{
    AppDef, Avg, Catalogue, CatalogueError, DetailDef, Group, ItemDef, ItemKind, Phase, Role,
    SeedInfo, SourceRef, Text,
};
pub use engine::{Engine, Plan, UnknownItem};
pub use locale::{Lang, Locale};
pub use policy::{Choices, Decided, Lock, Policy, Profile};
pub use report::{Blocker, ItemReport, PolicyNote, Report, Status, Verdict, VerdictLine};
pub use rules::Thresholds;
pub use session::{NotManual, PendingItem, Session, SessionView};

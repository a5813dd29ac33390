//! The vocabulary shared by the probes and the checklist engine: what a probe found (facts) or why
//! it could not tell (a [`ProbeError`]). Plain data only: no I/O, no decisions.

mod error;
mod facts;

pub use error::ProbeError;
pub use facts::*;

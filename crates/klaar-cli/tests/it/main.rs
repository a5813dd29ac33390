//! End-to-end tests of the `klaar` binary: the real executable, on captured machines, real
//! processes and real network namespaces.

mod agenda;
mod apps;
mod camera;
mod connection;
mod disks;
mod errors;
mod fakes;
mod fixtures;
mod human;
mod microphone;
mod netns;
mod policy;
mod processes;
mod real_machines;
mod schema;
mod screen_lock;
mod updates;
mod util;
mod wifi;

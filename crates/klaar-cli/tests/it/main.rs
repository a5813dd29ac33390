//! End-to-end tests of the `klaar` binary.

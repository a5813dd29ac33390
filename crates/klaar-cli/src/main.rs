//! `klaar`: the same checklist as the window, in a terminal.

mod agenda;
mod apps;
mod args;
mod check;
mod lang;
mod policy;
mod render;

use std::process::ExitCode;

fn main() -> ExitCode {
    match args::parse() {
        args::Command::Check(options) => check::run(&options),
        args::Command::Agenda(options) => agenda::run(&options),
        args::Command::Capture { dir, lang } => check::capture(&dir, lang),
        args::Command::Apps { json, lang } => apps::run(json, lang),
        args::Command::PolicyCheck { file, lang } => policy::check(&file, lang),
        args::Command::Done(code) => code,
    }
}

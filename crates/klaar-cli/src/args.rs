//! The command line. Usage errors exit with code 2 (clap's default).

use clap::{Parser, Subcommand};
use klaar_checklist::Lang;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "klaar",
    version,
    about = "Gets you ready for a video call: checks power, network, VPN and open apps."
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run the checklist and print the result (exit code 0: nothing fails, 1: something fails).
    Check {
        /// Print the report as JSON (schema in docs/report.schema.json).
        #[arg(long)]
        json: bool,
        /// Language of the texts: nl or en (default: from the OS locale, Dutch otherwise).
        #[arg(long, value_parser = ["nl", "en"])]
        lang: Option<String>,
        /// Only these items, comma-separated (for example: power,vpn).
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// How long each probe may take, in milliseconds.
        #[arg(long, default_value_t = 2000)]
        deadline_ms: u64,
    },
    /// Tools for bug reports.
    Debug {
        #[command(subcommand)]
        command: DebugCmd,
    },
}

#[derive(Subcommand)]
enum DebugCmd {
    /// Copy the files Klaar reads into DIR (no MAC addresses, serial numbers or program arguments),
    /// so the check can be replayed with KLAAR_ROOT=DIR.
    Capture {
        dir: PathBuf,
        #[arg(long, value_parser = ["nl", "en"])]
        lang: Option<String>,
    },
}

pub struct CheckOptions {
    pub json: bool,
    pub lang: Lang,
    pub only: Vec<String>,
    pub deadline_ms: u64,
}

pub enum Command {
    Check(CheckOptions),
    Capture { dir: PathBuf, lang: Lang },
}

pub fn parse() -> Command {
    let lang = |code: Option<String>| {
        code.as_deref()
            .and_then(Lang::parse)
            .unwrap_or_else(crate::lang::from_os)
    };
    match Cli::parse().command {
        Cmd::Check {
            json,
            lang: code,
            only,
            deadline_ms,
        } => {
            let only = only
                .into_iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            Command::Check(CheckOptions {
                json,
                lang: lang(code),
                only,
                deadline_ms: deadline_ms.max(1),
            })
        }
        Cmd::Debug {
            command: DebugCmd::Capture { dir, lang: code },
        } => Command::Capture {
            dir,
            lang: lang(code),
        },
    }
}

//! The command line, in the user's language: the help texts come from the locale files, and a
//! usage error is told in words of Klaar's own (clap's messages are English only). Usage errors
//! exit with code 2.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, ArgMatches, Command as ClapCommand};
use klaar_checklist::{Engine, Lang};
use std::path::PathBuf;
use std::process::ExitCode;

pub struct CheckOptions {
    pub json: bool,
    pub verbose: bool,
    pub lang: Lang,
    /// The items asked for with `--only`, as given (an empty name is a usage error).
    pub only: Vec<String>,
    pub deadline_ms: u64,
}

/// `klaar agenda`: calendars named on the command line, a window of time.
pub struct AgendaOptions {
    /// `--calendar`; none: the calendars added before (`settings.toml`).
    /// `--calendar`: files or addresses, as given.
    pub calendars: Vec<String>,
    /// `--add`: a calendar to remember.
    pub add: Option<String>,
    /// RFC 3339 as given; read by `agenda` (an unreadable time is a usage error there).
    pub from: Option<String>,
    pub to: Option<String>,
    pub all: bool,
    pub json: bool,
    pub lang: Lang,
}

pub enum Command {
    Check(CheckOptions),
    Agenda(AgendaOptions),
    Capture {
        dir: PathBuf,
        lang: Lang,
    },
    /// `klaar apps [--json]`: the guides' table of video-call apps.
    Apps {
        json: bool,
        lang: Lang,
    },
    /// `klaar policy check FILE`: an organisation's policy file, checked before it is deployed.
    PolicyCheck {
        file: PathBuf,
        lang: Lang,
    },
    /// Help was printed, or the arguments were wrong (already said): exit with this code.
    Done(ExitCode),
}

/// The language asked for with `--lang` anywhere on the command line, else the OS's.
fn language(args: &[String]) -> Lang {
    let asked = args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--lang=")
            .map(str::to_string)
            .or_else(|| (a == "--lang").then(|| args.get(i + 1).cloned()).flatten())
    });
    asked
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_else(crate::lang::from_os)
}

/// The command line's definition, with help texts in `lang`.
fn definition(engine: &Engine, lang: Lang) -> ClapCommand {
    let t = |key: &str| engine.locale(lang).get(&format!("cli.{key}"));
    let template = format!(
        "{{about}}\n\n{}: {{usage}}\n\n{{all-args}}",
        t("usage_heading")
    );
    let help = |c: ClapCommand| {
        c.disable_help_flag(true)
            .disable_help_subcommand(true)
            .disable_version_flag(true)
            .help_template(template.clone())
            .next_help_heading(t("options_heading"))
            .subcommand_help_heading(t("commands_heading"))
            .arg(
                Arg::new("help")
                    .short('h')
                    .long("help")
                    .action(ArgAction::Help)
                    .help(t("help_help")),
            )
    };
    let lang_arg = || {
        Arg::new("lang")
            .long("lang")
            .value_parser(["nl", "en"])
            .value_name(t("value_lang"))
            .hide_possible_values(true)
            .help(t("lang_help"))
    };
    let check = help(ClapCommand::new("check").about(t("check_about")))
        .override_usage(t("usage_check"))
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help(t("json_help")),
        )
        .arg(
            Arg::new("verbose")
                .long("verbose")
                .short('v')
                .action(ArgAction::SetTrue)
                .help(t("verbose_help")),
        )
        .arg(lang_arg())
        .arg(
            Arg::new("only")
                .long("only")
                .value_delimiter(',')
                .num_args(1)
                .value_name(t("value_only"))
                .help(t("only_help")),
        )
        .arg(
            Arg::new("deadline-ms")
                .long("deadline-ms")
                .value_parser(clap::value_parser!(u64))
                .value_name(t("value_ms"))
                .default_value("2000")
                .hide_default_value(true)
                .help(t("deadline_help")),
        );
    let agenda = help(ClapCommand::new("agenda").about(t("agenda_about")))
        .override_usage(t("usage_agenda"))
        .arg(
            Arg::new("calendar")
                .long("calendar")
                .action(ArgAction::Append)
                .value_name(t("value_calendar"))
                .help(t("calendar_help")),
        )
        .arg(
            Arg::new("add")
                .long("add")
                .value_name(t("value_calendar"))
                .help(t("add_help")),
        )
        .arg(
            Arg::new("from")
                .long("from")
                .value_name(t("value_time"))
                .help(t("from_help")),
        )
        .arg(
            Arg::new("to")
                .long("to")
                .value_name(t("value_time"))
                .help(t("to_help")),
        )
        .arg(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help(t("all_help")),
        )
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help(t("agenda_json_help")),
        )
        .arg(lang_arg());
    let capture = help(ClapCommand::new("capture").about(t("capture_about")))
        .override_usage(t("usage_capture"))
        .arg(
            Arg::new("dir")
                .required(true)
                .value_parser(clap::value_parser!(PathBuf))
                .value_name(t("value_dir"))
                .help(t("dir_help")),
        )
        .arg(lang_arg());
    let apps = help(ClapCommand::new("apps").about(t("apps_about")))
        .override_usage(t("usage_apps"))
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help(t("apps_json_help")),
        )
        .arg(lang_arg());
    let policy_check = help(ClapCommand::new("check").about(t("policy_check_about")))
        .override_usage(t("usage_policy"))
        .arg(
            Arg::new("file")
                .required(true)
                .value_parser(clap::value_parser!(PathBuf))
                .value_name(t("value_file"))
                .help(t("policy_file_help")),
        )
        .arg(lang_arg());
    let policy = help(ClapCommand::new("policy").about(t("policy_about")))
        .override_usage(t("usage_policy"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(policy_check);
    let debug = help(ClapCommand::new("debug").about(t("debug_about")))
        .override_usage(t("usage_capture"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(capture);
    help(ClapCommand::new("klaar").about(t("about")))
        .override_usage(t("usage_klaar"))
        .version(env!("CARGO_PKG_VERSION"))
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(t("version_help")),
        )
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(check)
        .subcommand(agenda)
        .subcommand(apps)
        .subcommand(policy)
        .subcommand(debug)
}

pub fn parse() -> Command {
    let args: Vec<String> = std::env::args().collect();
    let engine = Engine::builtin();
    let lang = language(&args);
    let matches = match definition(&engine, lang).try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(e) => return Command::Done(explain(&e, &engine, lang)),
    };
    let lang_of = |m: &ArgMatches| {
        m.get_one::<String>("lang")
            .and_then(|code| Lang::parse(code))
            .unwrap_or(lang)
    };
    match matches.subcommand() {
        Some(("check", m)) => Command::Check(CheckOptions {
            json: m.get_flag("json"),
            verbose: m.get_flag("verbose"),
            lang: lang_of(m),
            only: m
                .get_many::<String>("only")
                .map(|v| v.map(|s| s.trim().to_string()).collect())
                .unwrap_or_default(),
            deadline_ms: m
                .get_one::<u64>("deadline-ms")
                .copied()
                .unwrap_or(2000)
                .max(1),
        }),
        Some(("agenda", m)) => Command::Agenda(AgendaOptions {
            calendars: m
                .get_many::<String>("calendar")
                .map(|v| v.cloned().collect())
                .unwrap_or_default(),
            add: m.get_one::<String>("add").cloned(),
            from: m.get_one::<String>("from").cloned(),
            to: m.get_one::<String>("to").cloned(),
            all: m.get_flag("all"),
            json: m.get_flag("json"),
            lang: lang_of(m),
        }),
        Some(("apps", m)) => Command::Apps {
            json: m.get_flag("json"),
            lang: lang_of(m),
        },
        Some(("policy", m)) => match m.subcommand() {
            Some(("check", c)) => Command::PolicyCheck {
                file: c.get_one::<PathBuf>("file").cloned().unwrap_or_default(),
                lang: lang_of(c),
            },
            _ => Command::Done(ExitCode::from(2)),
        },
        Some(("debug", m)) => match m.subcommand() {
            Some(("capture", c)) => Command::Capture {
                dir: c.get_one::<PathBuf>("dir").cloned().unwrap_or_default(),
                lang: lang_of(c),
            },
            _ => Command::Done(ExitCode::from(2)),
        },
        _ => Command::Done(ExitCode::from(2)),
    }
}

/// Help and version go to standard output (exit 0); a usage error is said in the user's
/// language on standard error, with where to find help (exit 2).
fn explain(e: &clap::Error, engine: &Engine, lang: Lang) -> ExitCode {
    let locale = engine.locale(lang);
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        print!("{}", e.render());
        return ExitCode::SUCCESS;
    }
    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        eprint!("{}", e.render());
        return ExitCode::from(2);
    }
    let context = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        _ => String::new(),
    };
    // "--deadline-ms <deadline-ms>": the option's name is enough.
    let arg = context(ContextKind::InvalidArg)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    let valid = context(ContextKind::ValidValue);
    let problem = match e.kind() {
        ErrorKind::UnknownArgument => locale.fill("cli.err_unknown_argument", &[("arg", arg)]),
        ErrorKind::InvalidSubcommand => locale.fill(
            "cli.err_unknown_command",
            &[("arg", context(ContextKind::InvalidSubcommand))],
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation if arg == "--deadline-ms" => locale
            .fill(
                "cli.bad_deadline",
                &[("value", context(ContextKind::InvalidValue))],
            ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => locale.fill(
            if valid.is_empty() {
                "cli.err_bad_value"
            } else {
                "cli.err_invalid_value"
            },
            &[
                ("arg", arg),
                ("value", context(ContextKind::InvalidValue)),
                ("valid", valid),
            ],
        ),
        ErrorKind::MissingRequiredArgument | ErrorKind::MissingSubcommand => {
            locale.fill("cli.err_missing", &[("arg", arg)])
        }
        _ => locale.get("cli.err_other"),
    };
    eprintln!("klaar: {problem}\n{}", locale.get("cli.see_help"));
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_definition_is_sound_in_both_languages() {
        let engine = Engine::builtin();
        for lang in [Lang::Nl, Lang::En] {
            definition(&engine, lang).debug_assert();
        }
    }

    #[test]
    fn the_language_comes_from_the_flag_wherever_it_stands() {
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            language(&args(&["klaar", "check", "--lang", "en"])),
            Lang::En
        );
        assert_eq!(language(&args(&["klaar", "check", "--lang=nl"])), Lang::Nl);
    }
}

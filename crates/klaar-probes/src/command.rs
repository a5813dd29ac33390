//! Running a system tool (`zfs`, `apt-get`, `dnf`) as a probe's source: in the C locale, with
//! no input, killed at a deadline. Its output is read on a thread of its own, so a tool that
//! writes more than a pipe holds (64 KiB) cannot stall until the deadline.

use crate::root::Unanswered;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `program` with `args` under `LC_ALL=C` and returns what it wrote to standard output.
///
/// `ok` lists the exit codes that mean an answer (`dnf check-update` exits 100 when updates
/// are waiting). Errors: `Absent` when the program is not installed, `Denied` when it may not
/// be run, `Failed` for any other exit code or a signal, `Timeout` when it ran past `deadline`
/// (it is then killed).
pub(crate) fn run(
    program: &str,
    args: &[&str],
    ok: &[i32],
    deadline: Duration,
) -> Result<String, Unanswered> {
    let mut child = Command::new(program)
        .args(args)
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied => Unanswered::Denied,
            _ => Unanswered::Absent,
        })?;
    let mut stdout = child.stdout.take().ok_or(Unanswered::Failed)?;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < deadline => {
                std::thread::sleep(Duration::from_millis(5))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Unanswered::Timeout);
            }
        }
    };
    // The reader ends when the pipe closes, which the exit above has done (unless the program
    // left a child of its own holding it: then the answer is lost, not waited for).
    let out = reader.join().map_err(|_| Unanswered::Failed)?;
    match status.code() {
        Some(code) if ok.contains(&code) => Ok(out),
        _ => Err(Unanswered::Failed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_longer_than_a_pipe_is_read_whole() {
        let out = run(
            "sh",
            &["-c", "head -c 300000 /dev/zero | tr '\\0' x"],
            &[0],
            Duration::from_secs(5),
        )
        .unwrap();
        assert_eq!(out.len(), 300_000);
    }

    #[test]
    fn exit_codes_outside_the_list_fail_and_a_missing_program_is_absent() {
        assert_eq!(
            run("sh", &["-c", "exit 100"], &[0, 100], Duration::from_secs(5)),
            Ok(String::new())
        );
        assert_eq!(
            run("sh", &["-c", "exit 1"], &[0, 100], Duration::from_secs(5)),
            Err(Unanswered::Failed)
        );
        assert_eq!(
            run("klaar-no-such-tool", &[], &[0], Duration::from_secs(5)),
            Err(Unanswered::Absent)
        );
    }

    #[test]
    fn a_tool_that_hangs_is_stopped_at_the_deadline() {
        let started = Instant::now();
        assert_eq!(
            run("sleep", &["30"], &[0], Duration::from_millis(200)),
            Err(Unanswered::Timeout)
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}

//! D-Bus as a source of facts (NetworkManager, iwd), through [`Root::ask`]: live, the question
//! goes to the system or session bus; a capture records the answer; a replay reads it back.
//!
//! Each question waits at most [`METHOD_TIMEOUT`]; a bus or service that is not there answers
//! [`Unanswered::Absent`] at once.

use crate::root::{Answer, Unanswered};
use crate::Root;
use serde_json::{Map, Value as Json};
use std::cell::OnceCell;
use std::time::Duration;
use zbus::blocking::Connection;
use zbus::zvariant::Value;

/// How long one D-Bus question may take: below the runner's 2 s default deadline, so a hung
/// service becomes "no answer in time" rather than a probe that timed out.
pub const METHOD_TIMEOUT: Duration = Duration::from_millis(1500);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    System,
    Session,
}

impl Which {
    fn as_str(self) -> &'static str {
        match self {
            Which::System => "system",
            Which::Session => "session",
        }
    }
}

/// One bus as seen from one probe run: connected on the first live question.
pub struct Bus<'r> {
    root: &'r Root,
    which: Which,
    connection: OnceCell<Result<Connection, Unanswered>>,
}

impl<'r> Bus<'r> {
    pub fn system(root: &'r Root) -> Self {
        Bus {
            root,
            which: Which::System,
            connection: OnceCell::new(),
        }
    }

    pub fn session(root: &'r Root) -> Self {
        Bus {
            root,
            which: Which::Session,
            connection: OnceCell::new(),
        }
    }

    fn connection(&self) -> Result<&Connection, Unanswered> {
        self.connection
            .get_or_init(|| {
                let builder = match self.which {
                    Which::System => zbus::blocking::connection::Builder::system(),
                    Which::Session => zbus::blocking::connection::Builder::session(),
                };
                builder
                    .and_then(|b| b.method_timeout(METHOD_TIMEOUT).build())
                    .map_err(|e| unanswered(&e))
            })
            .as_ref()
            .map_err(|e| *e)
    }

    /// A property's value: `service`'s object `path`, `interface.name`.
    pub fn property(&self, service: &str, path: &str, interface: &str, name: &str) -> Answer {
        let question = format!(
            "{} {service} {path} {interface}.{name}",
            self.which.as_str()
        );
        self.root.ask(&question, || {
            self.live_property(service, path, interface, name)
        })
    }

    /// A property's value from the live bus, recorded by nobody: for use inside [`Bus::ask`],
    /// which records only what its closure keeps of it.
    pub fn live_property(&self, service: &str, path: &str, interface: &str, name: &str) -> Answer {
        let proxy = zbus::blocking::fdo::PropertiesProxy::builder(self.connection()?)
            .destination(service.to_string())
            .and_then(|b| b.path(path.to_string()))
            .and_then(|b| b.build())
            .map_err(|e| unanswered(&e))?;
        let interface = zbus::names::InterfaceName::try_from(interface.to_string())
            .map_err(|_| Unanswered::Failed)?;
        let value = proxy
            .get(interface, name)
            .map_err(|e| unanswered(&zbus::Error::from(e)))?;
        Ok(to_json(&value))
    }

    /// Any other question to this bus: `live` gets the connection and returns only what the
    /// probe needs (a capture keeps exactly that).
    pub fn ask(&self, question: &str, live: impl FnOnce(&Connection) -> Answer) -> Answer {
        let question = format!("{} {question}", self.which.as_str());
        self.root.ask(&question, || live(self.connection()?))
    }
}

/// The kind of a D-Bus failure, by the error's D-Bus name (a fixed identifier, never its
/// message) or the I/O error's kind.
pub fn unanswered(e: &zbus::Error) -> Unanswered {
    match e {
        zbus::Error::MethodError(name, _, _) => by_name(name.as_str()),
        zbus::Error::FDO(fdo) => by_name(zbus::DBusError::name(fdo.as_ref()).as_str()),
        // zbus 5 reports a socket that cannot be reached as `Connection` (with the address),
        // other I/O as `InputOutput`: a missing or refused socket is a bus that is not there.
        zbus::Error::InputOutput(io) | zbus::Error::Connection(io, _) => match io.kind() {
            std::io::ErrorKind::TimedOut => Unanswered::Timeout,
            std::io::ErrorKind::PermissionDenied => Unanswered::Denied,
            _ => Unanswered::Absent,
        },
        zbus::Error::Address(_) => Unanswered::Absent,
        zbus::Error::InterfaceNotFound => Unanswered::Missing,
        _ => Unanswered::Failed,
    }
}

fn by_name(name: &str) -> Unanswered {
    match name.strip_prefix("org.freedesktop.DBus.Error.") {
        Some("ServiceUnknown" | "NameHasNoOwner" | "Disconnected" | "NoServer") => {
            Unanswered::Absent
        }
        Some(
            "UnknownObject" | "UnknownInterface" | "UnknownMethod" | "UnknownProperty"
            | "InvalidArgs" | "PropertyReadOnly",
        ) => Unanswered::Missing,
        Some("AccessDenied" | "AuthFailed" | "InteractiveAuthorizationRequired") => {
            Unanswered::Denied
        }
        Some("NoReply" | "Timeout" | "TimedOut") => Unanswered::Timeout,
        _ => Unanswered::Failed,
    }
}

/// A D-Bus value as JSON: numbers and booleans as they are, strings, object paths and
/// signatures as strings, arrays (byte arrays too) as arrays, dictionaries as objects (keys as
/// text), structures as arrays, variants unwrapped.
pub fn to_json(value: &Value<'_>) -> Json {
    match value {
        Value::U8(v) => Json::from(*v),
        Value::Bool(v) => Json::from(*v),
        Value::I16(v) => Json::from(*v),
        Value::U16(v) => Json::from(*v),
        Value::I32(v) => Json::from(*v),
        Value::U32(v) => Json::from(*v),
        Value::I64(v) => Json::from(*v),
        Value::U64(v) => Json::from(*v),
        Value::F64(v) => Json::from(*v),
        Value::Str(v) => Json::from(v.as_str()),
        Value::Signature(v) => Json::from(v.to_string()),
        Value::ObjectPath(v) => Json::from(v.as_str()),
        Value::Value(v) => to_json(v),
        Value::Array(a) => Json::Array(a.iter().map(to_json).collect()),
        Value::Dict(d) => Json::Object(
            d.iter()
                .map(|(k, v)| (key_text(k), to_json(v)))
                .collect::<Map<String, Json>>(),
        ),
        Value::Structure(s) => Json::Array(s.fields().iter().map(to_json).collect()),
        #[allow(unreachable_patterns)]
        _ => Json::Null,
    }
}

fn key_text(key: &Value<'_>) -> String {
    match to_json(key) {
        Json::String(s) => s,
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connect(address: &str) -> zbus::Error {
        zbus::blocking::connection::Builder::address(address)
            .and_then(|b| b.build())
            .expect_err("no bus answers there")
    }

    /// No system bus at all (a container, a minimal install): the socket file is missing, or
    /// it is left behind by a daemon that stopped. Both are a bus that is not there, so a probe
    /// says "not there" instead of "an unexpected answer".
    #[test]
    fn a_bus_socket_that_is_missing_or_refuses_is_absent() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("system_bus_socket");
        let e = connect(&format!("unix:path={}", missing.display()));
        assert_eq!(unanswered(&e), Unanswered::Absent, "{e:?}");

        let stale = dir.path().join("stale_socket");
        drop(std::os::unix::net::UnixListener::bind(&stale).unwrap());
        let e = connect(&format!("unix:path={}", stale.display()));
        assert_eq!(unanswered(&e), Unanswered::Absent, "{e:?}");
    }
}

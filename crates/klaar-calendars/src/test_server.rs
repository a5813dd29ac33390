//! For tests only (feature `test-server`): an https server on 127.0.0.1 with a certificate made
//! on the spot (EC P-256, names `localhost` and `127.0.0.1`), answering each path with what the
//! test set for it (404 for any other). Panics on setup failures: it is a test's tool.

use openssl::asn1::Asn1Time;
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::PKey;
use openssl::x509::extension::SubjectAlternativeName;
use openssl::x509::{X509NameBuilder, X509};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What a path answers: a status and a body; `delay` before answering.
#[derive(Clone)]
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
    pub delay: std::time::Duration,
}

/// 200 with `body`.
pub fn ok(body: &str) -> Answer {
    Answer {
        status: 200,
        body: body.as_bytes().to_vec(),
        delay: std::time::Duration::ZERO,
    }
}

/// `status` with a short body.
pub fn status(status: u16) -> Answer {
    Answer {
        status,
        body: b"nope".to_vec(),
        delay: std::time::Duration::ZERO,
    }
}

/// A running server; it runs until the test process ends.
pub struct Server {
    pub port: u16,
    /// The certificate to trust (PEM).
    pub cert_pem: Vec<u8>,
    answers: Arc<Mutex<HashMap<String, Answer>>>,
    /// Each request's head, in order.
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// `https://localhost:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.port)
    }

    /// Writes the certificate to `dir/test-ca.pem`, for `SSL_CERT_FILE` (OpenSSL's own way to
    /// name the trusted certificates), and returns its path.
    pub fn trust_file(&self, dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join("test-ca.pem");
        std::fs::write(&path, &self.cert_pem).unwrap();
        path
    }

    /// What `path` answers from now on.
    pub fn answer(&self, path: &str, answer: Answer) {
        self.answers
            .lock()
            .unwrap()
            .insert(path.to_string(), answer);
    }
}

/// A certificate and its PKCS#8 key, both PEM.
pub fn self_signed() -> (Vec<u8>, Vec<u8>) {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    let key = PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap();
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", "localhost").unwrap();
    let name = name.build();
    let mut cert = X509::builder().unwrap();
    cert.set_version(2).unwrap();
    cert.set_subject_name(&name).unwrap();
    cert.set_issuer_name(&name).unwrap();
    cert.set_pubkey(&key).unwrap();
    cert.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    cert.set_not_after(&Asn1Time::days_from_now(2).unwrap())
        .unwrap();
    let serial = openssl::bn::BigNum::from_u32(7)
        .unwrap()
        .to_asn1_integer()
        .unwrap();
    cert.set_serial_number(&serial).unwrap();
    let san = SubjectAlternativeName::new()
        .dns("localhost")
        .ip("127.0.0.1")
        .build(&cert.x509v3_context(None, None))
        .unwrap();
    cert.append_extension(san).unwrap();
    cert.sign(&key, MessageDigest::sha256()).unwrap();
    (
        cert.build().to_pem().unwrap(),
        key.private_key_to_pem_pkcs8().unwrap(),
    )
}

/// Starts the server on its own thread and runtime.
pub fn start() -> Server {
    let (cert_pem, key_pem) = self_signed();
    let identity = native_tls::Identity::from_pkcs8(&cert_pem, &key_pem).unwrap();
    let acceptor = tokio_native_tls::TlsAcceptor::from(
        native_tls::TlsAcceptor::builder(identity).build().unwrap(),
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let answers: Arc<Mutex<HashMap<String, Answer>>> = Arc::default();
    let requests: Arc<Mutex<Vec<String>>> = Arc::default();
    let (a, r) = (answers.clone(), requests.clone());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    continue;
                };
                let (acceptor, answers, requests) = (acceptor.clone(), a.clone(), r.clone());
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match tls.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&head).into_owned();
                    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                    requests.lock().unwrap().push(head.clone());
                    let answer = answers.lock().unwrap().get(&path).cloned();
                    let answer = answer.unwrap_or_else(|| status(404));
                    tokio::time::sleep(answer.delay).await;
                    let reply = format!(
                        "HTTP/1.1 {} X\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        answer.status,
                        answer.body.len()
                    );
                    let _ = tls.write_all(reply.as_bytes()).await;
                    let _ = tls.write_all(&answer.body).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
    });
    Server {
        port,
        cert_pem,
        answers,
        requests,
    }
}

/// A private D-Bus daemon listening in `dir`, with no services to activate, and its address;
/// kill the child when done.
pub fn private_bus(dir: &std::path::Path) -> (std::process::Child, String) {
    let config = dir.join("bus.conf");
    std::fs::write(
        &config,
        format!(
            "<busconfig><type>session</type><listen>unix:dir={}</listen>\
             <policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>\
             <allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>",
            dir.display()
        ),
    )
    .unwrap();
    let mut daemon = std::process::Command::new("dbus-daemon")
        .arg(format!("--config-file={}", config.display()))
        .arg("--print-address")
        .arg("--nofork")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("dbus-daemon (cargo xtask test installs it)");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(daemon.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    (daemon, line.trim().to_string())
}

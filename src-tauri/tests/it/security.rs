//! The window can reach nothing but Klaar's own commands: no remote content, no other plugins.

use crate::desktop::{Desktop, Options};
use serde_json::json;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A web server on this machine that would answer anything with a picture; it counts visitors.
fn local_server() -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let visits = Arc::new(AtomicUsize::new(0));
    let counter = visits.clone();
    std::thread::spawn(move || {
        let png = tauri_png();
        for mut stream in listener.incoming().flatten() {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut request = [0u8; 2048];
            let _ = stream.read(&mut request);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nAccess-Control-Allow-Origin: *\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n",
                png.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&png);
        }
    });
    (address, visits)
}

fn tauri_png() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../assets/icons/tray-ready.png"
    ))
    .unwrap()
}

async fn run(desktop: &Desktop, script: &str) -> serde_json::Value {
    desktop
        .web()
        .execute_async(script, vec![])
        .await
        .expect("the script runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_cannot_reach_the_network_or_commands_it_was_not_granted() {
    let desktop = Desktop::start(Options::default()).await;
    let (server, visits) = local_server();
    let done = "const done = arguments[arguments.length - 1];";
    let fetch = run(
        &desktop,
        &format!(
            "{done} fetch('{server}/data', {{mode: 'no-cors'}})\
             .then(() => done('fetched'), () => done('blocked'));"
        ),
    )
    .await;
    assert_eq!(
        fetch,
        json!("blocked"),
        "the CSP allows no connection elsewhere"
    );

    let image = run(
        &desktop,
        &format!(
            "{done} const img = new Image(); img.onload = () => done('loaded'); \
             img.onerror = () => done('blocked'); img.src = '{server}/x.png';"
        ),
    )
    .await;
    assert_eq!(image, json!("blocked"), "no images from elsewhere");
    assert_eq!(
        visits.load(Ordering::SeqCst),
        0,
        "nothing reached the server"
    );

    let autostart = run(
        &desktop,
        &format!(
            "{done} window.__TAURI__.core.invoke('plugin:autostart|enable')\
             .then(() => done('allowed'), (e) => done('denied'));"
        ),
    )
    .await;
    assert_eq!(
        autostart,
        json!("denied"),
        "only the tray menu switches start-at-login on"
    );

    let own = run(
        &desktop,
        &format!(
            "{done} window.__TAURI__.core.invoke('snapshot')\
             .then((s) => done(s.lang), (e) => done('denied'));"
        ),
    )
    .await;
    assert_eq!(own, json!("nl"), "Klaar's own commands work");
}

//! Peak memory of a call whose response body is large and does not decode: the client
//! reads the body once, into the buffer the `Decode` error keeps, and never copies it.
//! `cargo bench -p clerkgen-bench --bench large_body` serves 300 MB; the quick mode of
//! `cargo test --benches` serves 8 MB. Prints the body size and the growth of the
//! process's peak resident memory (`VmHWM`) during the call; asserts nothing.

use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The process's peak resident set so far, in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Serves one response: 200 with `len` bytes of `a` (not JSON a `User` decodes from).
async fn serve(listener: tokio::net::TcpListener, len: usize) {
    let (mut stream, _) = listener.accept().await.unwrap();
    let mut buf = [0u8; 4096];
    let _ = stream.read(&mut buf).await;
    let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len}\r\nconnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'a'; 1 << 20];
    let mut left = len;
    while left > 0 {
        let n = left.min(chunk.len());
        if stream.write_all(&chunk[..n]).await.is_err() {
            return;
        }
        left -= n;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let len: usize = if full { 300 << 20 } else { 8 << 20 };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(serve(listener, len));
    let client = clerk::Client::builder()
        .secret_key("sk_test_bench")
        .base_url(url)
        .max_body_size(len + 1)
        .retry(clerk::RetryPolicy::none())
        .build()
        .unwrap();
    let before = peak_rss();
    let started = Instant::now();
    let err = client.users().get_user("user_1").await.unwrap_err();
    let elapsed = started.elapsed();
    let grown = peak_rss().saturating_sub(before);
    let kept = match &err {
        clerk::Error::Decode { body, .. } => body.len(),
        other => panic!("expected a decode error, got {other}"),
    };
    println!(
        "large body: {} MB received and kept in the error; peak RSS grew {} MB ({:.2}x the body) in {:.0} ms; Debug is {} chars",
        len >> 20,
        grown >> 20,
        grown as f64 / len as f64,
        elapsed.as_secs_f64() * 1000.0,
        format!("{err:?}").len()
    );
    assert_eq!(kept, len);
    server.abort();
}

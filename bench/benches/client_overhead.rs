//! What the generated client costs over writing the call by hand: one `GET /users/{id}`
//! decoded into `models::User`, through `clerk::Client` (A) and through `reqwest` and
//! `serde_json` with the same headers and timeouts (B), against a keep-alive server on loopback that
//! answers every request with the same `User`. Rounds of A and B alternate, so the
//! machine's drift falls on both; each prints microseconds per call (min / median / max
//! over rounds), the ratio A/B pair by pair, and heap allocations per call (a counting
//! allocator).
//!
//! `cargo bench -p clerkgen-bench --bench client_overhead`: 10 rounds of 2,000 calls.
//! The quick mode of `cargo test --benches`: 2 rounds of 20. Asserts only that both
//! paths decode the same user.

#[path = "../../tests/support/mod.rs"]
mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The system allocator, counting allocations.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is passed to the system allocator unchanged; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const KEY: &str = "sk_test_bench";

/// Answers every request on every connection with `body`, keeping connections open.
async fn serve(listener: tokio::net::TcpListener, body: Vec<u8>) {
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    let response: std::sync::Arc<[u8]> = [head.as_bytes(), &body].concat().into();
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            return;
        };
        let response = response.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 8192];
            let mut filled = 0;
            loop {
                match stream.read(&mut buf[filled..]).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => filled += n,
                }
                // A GET has no body: a request ends at its blank line.
                while let Some(end) = buf[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
                    if stream.write_all(&response).await.is_err() {
                        return;
                    }
                    buf.copy_within(end + 4..filled, 0);
                    filled -= end + 4;
                }
                if filled == buf.len() {
                    return;
                }
            }
        });
    }
}

/// The same request as the generated client's, written by hand: the URL built per call,
/// the same headers (the client's timeout is set on `http`, as the generated client's is).
async fn by_hand(http: &reqwest::Client, base: &str, id: &str) -> clerk::models::User {
    let response = http
        .get(format!("{base}/users/{id}"))
        .bearer_auth(KEY)
        .header(reqwest::header::ACCEPT, "application/json")
        .header("Clerk-API-Version", clerk::API_VERSION)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let bytes = response.bytes().await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// Runs `calls` calls of one path; returns microseconds per call and allocations per call.
async fn round<F: std::future::Future<Output = clerk::models::User>>(
    calls: u32,
    mut call: impl FnMut() -> F,
) -> (f64, f64) {
    let allocations = ALLOCATIONS.load(Ordering::Relaxed);
    let started = Instant::now();
    for _ in 0..calls {
        std::hint::black_box(call().await);
    }
    let micros = started.elapsed().as_secs_f64() * 1e6 / f64::from(calls);
    let allocated = ALLOCATIONS.load(Ordering::Relaxed) - allocations;
    (micros, allocated as f64 / f64::from(calls))
}

fn spread(mut values: Vec<f64>) -> String {
    values.sort_by(f64::total_cmp);
    let median = values[values.len() / 2];
    format!(
        "{:.2} / {:.2} / {:.2}",
        values[0],
        median,
        values[values.len() - 1]
    )
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (rounds, calls) = if full { (10, 2_000) } else { (2, 20) };
    let body = serde_json::to_vec(&support::sample_at("#/components/schemas/User")).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(serve(listener, body.clone()));

    let client = clerk::Client::builder()
        .secret_key(KEY)
        .base_url(base.clone())
        .retry(clerk::RetryPolicy::none())
        .build()
        .unwrap();
    let http = reqwest::Client::builder()
        .user_agent("clerk-backend/0.0.0")
        .timeout(clerk::DEFAULT_TIMEOUT)
        .connect_timeout(clerk::DEFAULT_CONNECT_TIMEOUT)
        .build()
        .unwrap();
    let generated = client.users().get_user("user_1").await.unwrap();
    let hand = by_hand(&http, &base, "user_1").await;
    assert_eq!(generated.id, hand.id, "both paths decode the same user");

    let (mut a, mut b, mut ratios, mut alloc_a, mut alloc_b) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let (us_a, n_a) = round(calls, || async {
            client.users().get_user("user_1").await.unwrap()
        })
        .await;
        let (us_b, n_b) = round(calls, || by_hand(&http, &base, "user_1")).await;
        a.push(us_a);
        b.push(us_b);
        ratios.push(us_a / us_b);
        alloc_a.push(n_a);
        alloc_b.push(n_b);
    }
    println!(
        "client overhead: GET /users/{{id}} of a {}-byte User, {rounds} rounds of {calls} calls alternated (min / median / max)",
        body.len()
    );
    println!(
        "  generated client  us/call {}  allocations/call {}",
        spread(a),
        spread(alloc_a)
    );
    println!(
        "  reqwest by hand   us/call {}  allocations/call {}",
        spread(b),
        spread(alloc_b)
    );
    println!("  ratio, round by round: {}", spread(ratios));
    server.abort();
}

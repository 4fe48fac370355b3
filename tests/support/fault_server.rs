//! A scripted HTTP/1.1 server on loopback that misbehaves on purpose: it answers each
//! request with the next act of its script (the last act repeats), and counts the
//! requests it saw. Every connection closes after one exchange, so each attempt of a
//! client is one connection and one count. The server stops when it is dropped, and
//! serves at most [`MAX_REQUESTS`]; every wait inside it is bounded by its act.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request count past which the server stops accepting (a runaway client loop ends).
pub const MAX_REQUESTS: u32 = 1_000;

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Act {
    /// Answers with this status, extra headers and body.
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// Reads the request, then resets the connection (RST) without answering.
    Reset,
    /// Reads the request, then closes the connection without answering.
    Close,
    /// Announces `declared` bytes, sends `body` (fewer), and closes.
    Truncate { declared: usize, body: Vec<u8> },
    /// Reads the request and sends nothing for this long, then closes.
    StallHeaders(Duration),
    /// Sends the headers and the first bytes of the body, then nothing for this long.
    StallBody {
        declared: usize,
        first: Vec<u8>,
        stall: Duration,
    },
    /// Answers 302 with a `Location` back to the same path, for ever.
    RedirectToSelf,
}

impl Act {
    pub fn status(status: u16) -> Act {
        Act::Respond {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn json(status: u16, body: &serde_json::Value) -> Act {
        Act::Respond {
            status,
            headers: vec![("content-type", "application/json".to_string())],
            body: serde_json::to_vec(body).unwrap(),
        }
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Act {
        if let Act::Respond { headers, .. } = &mut self {
            headers.push((name, value.into()));
        }
        self
    }
}

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    /// The request head, headers included.
    pub head: String,
}

pub struct FaultServer {
    addr: SocketAddr,
    count: Arc<AtomicU32>,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultServer {
    /// Starts a server that plays `script`, one act per request, repeating the last.
    pub async fn start(script: Vec<Act>) -> FaultServer {
        assert!(!script.is_empty(), "a script needs at least one act");
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let count = Arc::new(AtomicU32::new(0));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let (c, s) = (count.clone(), seen.clone());
        let task = tokio::spawn(async move {
            while c.load(Ordering::SeqCst) < MAX_REQUESTS {
                let Ok((stream, _)) = listener.accept().await else {
                    break;
                };
                let (c, s, script) = (c.clone(), s.clone(), script.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, &c, &s, &script).await;
                });
            }
        });
        FaultServer {
            addr,
            count,
            seen,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The number of requests read so far.
    pub fn requests(&self) -> u32 {
        self.count.load(Ordering::SeqCst)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn next_act(script: &Mutex<VecDeque<Act>>) -> Act {
    let mut script = script.lock().unwrap();
    if script.len() > 1 {
        script.pop_front().unwrap()
    } else {
        script.front().unwrap().clone()
    }
}

async fn serve(
    mut stream: TcpStream,
    count: &AtomicU32,
    seen: &Mutex<Vec<Seen>>,
    script: &Mutex<VecDeque<Act>>,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut stream).await? else {
        return Ok(());
    };
    count.fetch_add(1, Ordering::SeqCst);
    let path = request.path.clone();
    seen.lock().unwrap().push(request);
    match next_act(script) {
        Act::Respond {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
        }
        Act::Reset => {
            // A zero linger turns the close into a reset.
            #[allow(deprecated)]
            stream.set_linger(Some(Duration::ZERO))?;
        }
        Act::Close => {}
        Act::Truncate { declared, body } => {
            let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\nconnection: close\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
        }
        Act::StallHeaders(stall) => tokio::time::sleep(stall).await,
        Act::StallBody {
            declared,
            first,
            stall,
        } => {
            let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\nconnection: close\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&first).await?;
            stream.flush().await?;
            tokio::time::sleep(stall).await;
        }
        Act::RedirectToSelf => {
            let head = format!("HTTP/1.1 302 Found\r\nlocation: {path}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
        }
    }
    stream.flush().await?;
    Ok(())
}

/// Reads one request (head and `content-length` body); `None` when the peer closed first.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Seen>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::TimedOut))??;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let mut words = head.split_whitespace();
    let method = words.next().unwrap_or_default().to_string();
    let path = words.next().unwrap_or_default().to_string();
    Ok(Some(Seen { method, path, head }))
}

//! A server that answers every request with the same bytes, however wrong: for what a hostile
//! or broken OpenAI-compatible server can send that the demo server never would. It counts the
//! requests it was sent, so a test can prove nothing was paid for twice.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What the server answers.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Cut the connection after this many bytes of the body (its Content-Length says all).
    pub cut_after: Option<usize>,
}

impl Answer {
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self { status, content_type: "application/json", body: body.into(), cut_after: None }
    }
}

pub struct Liar {
    pub addr: SocketAddr,
    requests: Arc<AtomicUsize>,
    lists: Arc<AtomicUsize>,
}

impl Liar {
    pub async fn start(answer: Answer) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(AtomicUsize::new(0));
        let lists = Arc::new(AtomicUsize::new(0));
        let (counted, listed) = (requests.clone(), lists.clone());
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let (answer, counted, listed) = (answer.clone(), counted.clone(), listed.clone());
                tokio::spawn(async move {
                    // The whole request (headers, then a body of Content-Length bytes).
                    let mut request = Vec::new();
                    let mut buf = vec![0u8; 64 * 1024];
                    loop {
                        let Ok(n) = socket.read(&mut buf).await else { return };
                        if n == 0 {
                            return;
                        }
                        request.extend_from_slice(&buf[..n]);
                        if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                            let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
                            let length = head
                                .lines()
                                .find_map(|l| l.strip_prefix("content-length:"))
                                .and_then(|v| v.trim().parse::<usize>().ok())
                                .unwrap_or(0);
                            if request.len() >= end + 4 + length {
                                break;
                            }
                        }
                    }
                    // The model list asked at start-up is no paid request.
                    if request.starts_with(b"POST ") {
                        counted.fetch_add(1, Ordering::SeqCst);
                    } else if request.starts_with(b"GET ") && request.windows(7).any(|w| w == b"/models") {
                        listed.fetch_add(1, Ordering::SeqCst);
                    }
                    let head = format!(
                        "HTTP/1.1 {} X\r\ncontent-type: {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        answer.status,
                        answer.content_type,
                        answer.body.len()
                    );
                    let _ = socket.write_all(head.as_bytes()).await;
                    let sent = answer.cut_after.unwrap_or(answer.body.len()).min(answer.body.len());
                    let _ = socket.write_all(&answer.body[..sent]).await;
                    let _ = socket.flush().await;
                    // Dropped here: a cut body ends short of its Content-Length.
                });
            }
        });
        Self { addr, requests, lists }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// How many times the model list was asked for.
    pub fn lists(&self) -> usize {
        self.lists.load(Ordering::SeqCst)
    }

    /// How many POST requests (the paid ones) arrived whole.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// A small real PNG, base64-encoded as the API sends it.
pub fn png_b64(seed: u8) -> String {
    use base64::Engine as _;
    let img = image::RgbaImage::from_fn(16, 16, |x, y| image::Rgba([seed, x as u8 * 16, y as u8 * 16, 255]));
    let mut bytes = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// An Images answer of `images` PNGs with `usage` (raw JSON) after them.
pub fn images_body(images: usize, usage: &str) -> String {
    let data: Vec<String> = (0..images).map(|i| format!("{{\"b64_json\":\"{}\"}}", png_b64(i as u8))).collect();
    format!("{{\"created\":1,\"data\":[{}],\"usage\":{usage}}}", data.join(","))
}

//! A client nobody here wrote: the official OpenAI Python SDK against `imgtui serve-demo`.
//! CI installs the SDK (.ci/run sets IMGTUI_REQUIRE_PY_SDK=1, so there it must run); on a
//! machine without it the test says so and checks nothing else.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

const SCRIPT: &str = r#"
import base64, io, struct, sys, zlib
from openai import OpenAI

def png(w, h, rgba_at):
    raw = b"".join(b"\x00" + b"".join(bytes(rgba_at(x, y)) for x in range(w)) for y in range(h))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

def size_of(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:8]
    return struct.unpack(">II", data[16:24])

client = OpenAI(base_url=sys.argv[1], api_key="sk-anything", max_retries=0)

r = client.images.generate(model="gpt-image-1", prompt="a red fox", n=2, size="1536x1024", quality="low")
assert len(r.data) == 2
assert size_of(base64.b64decode(r.data[0].b64_json)) == (1536, 1024)
assert r.usage.total_tokens == r.usage.input_tokens + r.usage.output_tokens > 0
assert r.size == "1536x1024" and r.quality == "low" and r.output_format == "png"

r = client.images.generate(model="dall-e-3", prompt="a lighthouse")
assert r.data[0].url and r.data[0].revised_prompt
import urllib.request
assert size_of(urllib.request.urlopen(r.data[0].url).read()) == (1024, 1024)

image = png(64, 64, lambda x, y: (x * 4, y * 4, 100, 255))
mask = png(64, 64, lambda x, y: (0, 0, 0, 0 if x < 32 else 255))
r = client.images.edit(model="gpt-image-1", prompt="add a hat",
                       image=[("a.png", image, "image/png"), ("b.png", image, "image/png")],
                       mask=("mask.png", mask, "image/png"))
assert size_of(base64.b64decode(r.data[0].b64_json)) == (64, 64)

try:
    client.images.generate(model="dall-e-3", prompt="x", n=2)
    raise SystemExit("an invalid request was accepted")
except Exception as e:
    assert getattr(e, "status_code", None) == 400, e
    assert "n: 2 is not allowed for dall-e-3" in str(e), e
# Streaming: the SDK parses the demo's server-sent events into typed events.
events = list(client.images.generate(model="gpt-image-1", prompt="a fox", size="1024x1024", stream=True, partial_images=2))
kinds = [e.type for e in events]
assert kinds == ["image_generation.partial_image"] * 2 + ["image_generation.completed"], kinds
assert [e.partial_image_index for e in events[:2]] == [0, 1]
assert size_of(base64.b64decode(events[-1].b64_json)) == (1024, 1024)
assert events[-1].usage.total_tokens > 0
print("SDK-OK")
"#;

#[test]
fn official_python_sdk_works_against_serve_demo() {
    if !common::have(common::Tool::PySdk) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let server = common::serve_demo::DemoProcess::start(data.path());
    let base_url = server.base_url.as_str();
    let out = Command::new("python3").args(["-c", SCRIPT, base_url]).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && stdout.contains("SDK-OK"), "stdout: {stdout}\nstderr: {stderr}");
}

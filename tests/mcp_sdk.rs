//! A client nobody here wrote: the official MCP Python SDK (`mcp` on PyPI) drives `imgtui mcp`
//! against `imgtui serve-demo`. CI installs it (.ci/run sets IMGTUI_REQUIRE_MCP_SDK=1, so there
//! it must run); on a machine without it the test says so and checks nothing else.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

const SCRIPT: &str = r#"
import anyio, base64, json, struct, sys, urllib.request
from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client

imgtui, data, base, work, outside, today, budget_config = sys.argv[1:8]

def demo(path, body=None):
    request = urllib.request.Request(base.removesuffix("/v1") + path, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="GET" if body is None else "POST")
    return json.loads(urllib.request.urlopen(request).read() or b"null")

def sent():
    return sum(1 for r in demo("/_demo/requests") if "/images/" in r["path"])

def server(*extra):
    args = ["--provider", "openai", "--base-url", base, "--data-dir", data, *extra, "mcp"]
    env = {"OPENAI_API_KEY": "sk-test-never-shown", "IMGTUI_TODAY": today}
    return StdioServerParameters(command=imgtui, args=args, env=env, cwd=work)

def text_of(result):
    return "\n".join(c.text for c in result.content if c.type == "text")

async def session_a():
    async with stdio_client(server()) as (r, w):
        async with ClientSession(r, w, client_info=types.Implementation(name="sdk-test", version="1")) as s:
            await s.initialize()
            tools = {t.name: t for t in (await s.list_tools()).tools}
            print("TOOLS", " ".join(tools))
            assert set(tools) == {"generate", "edit", "estimate", "models", "search_history", "get_job"}, tools
            quality = tools["generate"].input_schema["properties"]["quality"]
            assert "low" in quality["enum"] and "gpt-image-2.6-flare" in quality["description"], quality
            assert tools["edit"].input_schema["required"] == ["prompt", "images"]

            said = []
            async def progress(value, total, message):
                said.append(message)
            result = await s.call_tool("generate", {"prompt": "a red fox", "size": "1536x1024", "quality": "low"},
                                       progress_callback=progress)
            assert not result.is_error, text_of(result)
            summary = json.loads(text_of(result))
            images = [c for c in result.content if c.type == "image"]
            assert len(images) == 1 and images[0].mime_type == "image/png"
            png = base64.b64decode(images[0].data)
            assert struct.unpack(">II", png[16:24]) == (1024, 683), "scaled to 1024 a side"
            assert summary["images"][0]["width"] == 1536, "the file is whole"
            assert any("queued" in m for m in said) and any("sending" in m for m in said), said
            print("JOB", summary["job"])

            refused = await s.call_tool("generate", {"prompt": "a fox", "quality": "ultra"})
            assert refused.is_error and "quality: \"ultra\" is not allowed" in text_of(refused), text_of(refused)
            far = await s.call_tool("edit", {"prompt": "a hat", "images": [outside]})
            assert far.is_error and "is outside the folders an agent may read" in text_of(far), text_of(far)
            print("REFUSED-OK")

            # Two calls in flight at once: both are sending before either has its answer.
            demo("/_demo/faults", [{"kind": "delay", "ms": 1500, "path": "generations", "times": 2}])
            steps = []
            async def one(prompt):
                async def note(value, total, message):
                    steps.append(message.split(": ", 1)[-1])
                return await s.call_tool("generate", {"prompt": prompt, "quality": "low"}, progress_callback=note)
            results = {}
            async with anyio.create_task_group() as tg:
                async def run(p):
                    results[p] = await one(p)
                tg.start_soon(run, "a cat")
                tg.start_soon(run, "a dog")
            assert all(not r.is_error for r in results.values()), [text_of(r) for r in results.values()]
            first_answer = next(i for i, m in enumerate(steps) if m.startswith("answer received"))
            assert steps[:first_answer].count("sending") == 2, steps
            print("PARALLEL-OK")

            # Cancelled while the provider works: the job ends cancelled.
            demo("/_demo/faults", [{"kind": "delay", "ms": 8000, "path": "generations"}])
            sending, queued = anyio.Event(), []
            async def watch(value, total, message):
                if "queued" in message:
                    queued.append(int(message.split()[1]))
                if message.endswith("sending"):
                    sending.set()
            async with anyio.create_task_group() as tg:
                async def slow():
                    await s.call_tool("generate", {"prompt": "a slow owl", "quality": "low"}, progress_callback=watch)
                tg.start_soon(slow)
                with anyio.fail_after(20):
                    await sending.wait()
                tg.cancel_scope.cancel()
            status = None
            with anyio.fail_after(20):
                while status != "cancelled":
                    job = json.loads(text_of(await s.call_tool("get_job", {"id": queued[0]})))
                    status = job["status"]
                    await anyio.sleep(0.05)
            print("CANCEL-OK")

            found = json.loads(text_of(await s.call_tool("search_history", {"query": "red fox"})))
            assert [j["id"] for j in found["jobs"]] == [summary["job"]], found
            estimate = json.loads(text_of(await s.call_tool("estimate", {"prompt": "a fox", "quality": "low"})))
            assert estimate["estimate"].startswith(("≈", "≥", "≤")), estimate
            assert "sk-test-never-shown" not in json.dumps([estimate, found, summary])
            print("MCP-OK")

async def session_b():
    before = sent()
    async with stdio_client(server("--config", budget_config)) as (r, w):
        async with ClientSession(r, w) as s:
            await s.initialize()
            over = await s.call_tool("generate", {"prompt": "a costly fox", "quality": "high"})
            assert over.is_error and "agents' budget" in text_of(over), text_of(over)
    assert sent() == before, "nothing was sent"
    print("BUDGET-OK")

anyio.run(session_a)
anyio.run(session_b)
"#;

#[test]
fn the_official_mcp_python_sdk_generates_is_refused_cancels_and_runs_two_at_once() {
    if !common::have(common::Tool::McpSdk) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let outside = common::write_gradient_png(elsewhere.path(), "secret.png", (64, 64));
    let budget_config = work.path().join("budget.toml");
    std::fs::write(&budget_config, "[mcp]\nbudget_daily_usd = 0.0001\n").unwrap();
    let server = common::serve_demo::DemoProcess::start(&elsewhere.path().join("demo-data"));
    let base_url = server.base_url.as_str();
    let out = Command::new("python3")
        .args(["-c", SCRIPT, env!("CARGO_BIN_EXE_imgtui")])
        .arg(data.path())
        .arg(base_url)
        .arg(work.path())
        .arg(&outside)
        .arg(common::TODAY)
        .arg(&budget_config)
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && stdout.contains("BUDGET-OK"), "stdout: {stdout}\nstderr: {stderr}");
    assert!(!stderr.contains("sk-test-never-shown"), "the key never reaches a log: {stderr}");

    // The agent's job is in the history, marked with its origin.
    let job: u32 = stdout.lines().find_map(|l| l.strip_prefix("JOB ")).unwrap().trim().parse().unwrap();
    let shown = common::imgtui_std()
        .args(["--data-dir"])
        .arg(data.path())
        .args(["history", "show", &job.to_string(), "--json"])
        .output()
        .unwrap();
    let record: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(record["origin"], "mcp:sdk-test", "{record}");
    assert_eq!(record["status"], "done");
}

"""A real headless Chromium driven over the DevTools protocol (CDP), for page tests.

Only the system browser (``chromium`` from the distribution; ``OPERATOR_APP_CHROMIUM``
names another binary) and the small ``websocket-client`` package: nothing is
downloaded. Each :class:`Browser` gets a fresh profile and a phone-sized viewport.

Run as a script to photograph the survey page for the docs::

    python -m tests.server.browser URL OUT.png [--width 390 --height 844 --scale 2]
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import websocket

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    "--hide-scrollbars",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)


def chromium_binary() -> str | None:
    configured = os.environ.get("OPERATOR_APP_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


class BrowserError(RuntimeError):
    pass


class Browser:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(
        self, binary: str, *, width: int = 390, height: int = 844, scale: float = 2
    ) -> None:
        self.binary = binary
        self.width, self.height, self.scale = width, height, scale
        self.profile = Path(tempfile.mkdtemp(prefix="oa-chromium-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.socket: websocket.WebSocket | None = None
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    # --- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> Browser:
        self.process = subprocess.Popen(
            [self.binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = self._devtools_port()
        deadline = time.monotonic() + 30
        while True:
            targets = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                break
            if time.monotonic() > deadline:
                raise BrowserError("Chromium opened no page")
            time.sleep(0.05)
        # No Origin header: Chromium refuses DevTools connections from foreign origins.
        self.socket = websocket.create_connection(
            pages[0]["webSocketDebuggerUrl"], timeout=30, suppress_origin=True
        )
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": self.width,
                "height": self.height,
                "deviceScaleFactor": self.scale,
                "mobile": True,
            },
        )
        self.call("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
        return self

    def _devtools_port(self) -> int:
        marker = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise BrowserError(f"Chromium exited at start (status {self.process.returncode})")
            if marker.exists():
                first = marker.read_text().splitlines()[:1]
                if first and first[0].isdigit():
                    return int(first[0])
            time.sleep(0.05)
        raise BrowserError("Chromium did not open its DevTools port")

    def __exit__(self, *exc: object) -> None:
        try:
            if self.socket is not None:
                with contextlib.suppress(BrowserError, OSError, websocket.WebSocketException):
                    self.call("Browser.close", timeout=5)
                self.socket.close()
        finally:
            if self.process is not None:
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
            shutil.rmtree(self.profile, ignore_errors=True)

    # --- protocol ----------------------------------------------------------------------

    def call(self, method: str, params: dict[str, Any] | None = None, timeout: float = 30) -> Any:
        assert self.socket is not None
        self._next_id += 1
        request_id = self._next_id
        self.socket.send(json.dumps({"id": request_id, "method": method, "params": params or {}}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = json.loads(self.socket.recv())
            if message.get("id") == request_id:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)
        raise BrowserError(f"{method}: no answer in {timeout} s")

    def wait_event(self, name: str, timeout: float = 30) -> dict[str, Any]:
        assert self.socket is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for index, event in enumerate(self.events):
                if event["method"] == name:
                    return self.events.pop(index)
            message = json.loads(self.socket.recv())
            if "method" in message:
                self.events.append(message)
        raise BrowserError(f"no {name} within {timeout} s")

    # --- what a person does ----------------------------------------------------------------

    def open(self, url: str) -> None:
        self.events.clear()
        self.call("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"script failed: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def center_of(self, selector: str) -> tuple[float, float]:
        box = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " if (!e) return null; e.scrollIntoView({block: 'center'});"
            " const r = e.getBoundingClientRect();"
            " return [r.left + r.width / 2, r.top + r.height / 2]; })()"
        )
        if box is None:
            raise BrowserError(f"nothing on the page matches {selector}")
        return float(box[0]), float(box[1])

    def tap(self, selector: str) -> None:
        """A finger tap on the element's centre (touch events, as on a phone)."""
        x, y = self.center_of(selector)
        point = [{"x": x, "y": y}]
        self.call("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": point})
        self.call("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    def type_text(self, selector: str, text: str) -> None:
        self.tap(selector)
        self.call("Input.insertText", {"text": text})

    def submit_by_tapping(self, selector: str) -> None:
        """Tap a submit button and wait for the next page to load."""
        self.events.clear()
        self.tap(selector)
        self.wait_event("Page.loadEventFired")

    def text(self) -> str:
        return str(self.evaluate("document.body.innerText"))

    def value(self, selector: str) -> Any:
        return self.evaluate(f"document.querySelector({json.dumps(selector)}).value")

    def screenshot(self, path: Path, *, full_page: bool = True) -> Path:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            height = self.evaluate("document.documentElement.scrollHeight")
            params["clip"] = {
                "x": 0,
                "y": 0,
                "width": self.width,
                "height": max(float(height), float(self.height)),
                "scale": 1,
            }
            params["captureBeyondViewport"] = True
        data = self.call("Page.captureScreenshot", params)["data"]
        path.write_bytes(base64.b64decode(data))
        return path


def main() -> None:
    parser = argparse.ArgumentParser(description="Screenshot a page in headless Chromium")
    parser.add_argument("url")
    parser.add_argument("out", type=Path)
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--height", type=int, default=844)
    parser.add_argument("--scale", type=float, default=2)
    args = parser.parse_args()
    binary = chromium_binary()
    if binary is None:
        raise SystemExit("no chromium binary found (install chromium)")
    with Browser(binary, width=args.width, height=args.height, scale=args.scale) as browser:
        browser.open(args.url)
        browser.screenshot(args.out, full_page=False)
    print(args.out)


if __name__ == "__main__":
    main()

"""A headless Chromium driven over the DevTools protocol, for the browser tests.

No client library: Chromium's ``--remote-debugging-pipe`` reads JSON commands on file
descriptor 3 and writes replies and events on 4, each message ending in a NUL byte.
Enough of the protocol for a test: open a page, wait for it to load, run JavaScript,
take a screenshot.

    with Chromium.launch(tmp_path) as browser:
        browser.goto("http://127.0.0.1:8001/")
        title = browser.evaluate("document.title")
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--remote-debugging-pipe", "--window-size=1280,900"]


def chromium_path() -> str | None:
    """Debian's chromium (``apt-get install chromium``), if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


class BrowserError(RuntimeError):
    """Chromium answered a command with an error, or did not answer in time."""


class Chromium:
    def __init__(self, process: subprocess.Popen[bytes], commands: int, replies: int) -> None:
        self.process = process
        self._commands = commands
        self._replies = replies
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        self.session = ""

    @classmethod
    def launch(cls, profile: Path, executable: str | None = None) -> Chromium:
        executable = executable or chromium_path()
        if executable is None:
            raise BrowserError("chromium is not installed")
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()
        # The child's 3 and 4 are made by dup2 (inheritable) just before exec; the originals
        # move above 10 (close-on-exec) so that dup2 cannot overwrite one with the other.
        child_in = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_browser_r)
        os.close(from_browser_w)

        def wire_pipes() -> None:
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        process = subprocess.Popen(
            [executable, *ARGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=False, preexec_fn=wire_pipes,
        )
        os.close(child_in)
        os.close(child_out)
        browser = cls(process, to_browser_w, from_browser_r)
        target = browser.send("Target.createTarget", url="about:blank", session=False)
        attached = browser.send("Target.attachToTarget", targetId=target["targetId"],
                                flatten=True, session=False)
        browser.session = attached["sessionId"]
        browser.send("Page.enable")
        return browser

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for fd in (self._commands, self._replies):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def send(self, method: str, *, session: bool = True, timeout: float = 20,
             **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        reply = self._wait(lambda m: m.get("id") == self._next_id, timeout)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    def goto(self, url: str, timeout: float = 20) -> None:
        self._events.clear()
        self.send("Page.navigate", url=url)
        self.wait_for_load(timeout)

    def wait_for_load(self, timeout: float = 20) -> None:
        self._wait(lambda m: m.get("method") == "Page.loadEventFired", timeout)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-serialisable)."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def _wait(self, wanted: Any, timeout: float) -> dict[str, Any]:
        for index, event in enumerate(self._events):
            if wanted(event):
                return self._events.pop(index)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self._read():
                if wanted(message):
                    return message
                self._events.append(message)
        raise BrowserError(f"no answer from chromium within {timeout} s")

    def _read(self) -> list[dict[str, Any]]:
        os.set_blocking(self._replies, False)
        try:
            chunk = os.read(self._replies, 1 << 20)
        except BlockingIOError:
            time.sleep(0.02)
            return []
        if not chunk:
            raise BrowserError("chromium closed the pipe")
        self._buffer += chunk
        *messages, self._buffer = self._buffer.split(b"\0")
        return [json.loads(message) for message in messages]

"""cdp.py: a headless Chromium driven over the Chrome DevTools Protocol on
--remote-debugging-pipe (our end writes to its fd 3 and reads its fd 4;
messages are JSON, each ended by a NUL byte). Python standard library
only, one browser process for many pages. Used by tests/teach/html_pages.py.
"""

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import time


class CDPError(Exception):
    """The browser answered a command with an error, or went away."""


class Browser:
    """One headless Chromium; pages are targets attached in flat mode."""

    def __init__(self, exe, profile_dir, width=1280, height=800):
        shutil.rmtree(profile_dir, ignore_errors=True)
        os.makedirs(profile_dir)
        self.width, self.height = width, height
        to_chrome_r, self._w = os.pipe()
        self._r, from_chrome_w = os.pipe()

        def fds():
            # the child's fd 3 reads our commands, its fd 4 writes answers
            # (dup2 makes them inheritable; our other fds are not, PEP 446,
            # so close_fds=False passes these two and no others)
            # (copied above 4 first, as one of ours may be 3 or 4 itself)
            r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 5)
            w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 5)
            os.dup2(r, 3)
            os.dup2(w, 4)

        args = [exe, "--headless=new", "--no-sandbox", "--remote-debugging-pipe",
                "--user-data-dir=" + profile_dir, "--no-first-run",
                "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--mute-audio",
                "--hide-scrollbars", "--force-color-profile=srgb",
                "--font-render-hinting=none", "about:blank"]
        self.proc = subprocess.Popen(args, preexec_fn=fds, close_fds=False,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._next = 0
        self.events = []

    def close(self):
        """Asks the browser to quit, then makes sure it did."""
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._r, self._w):
            try:
                os.close(fd)
            except OSError:
                pass

    def _read_message(self, deadline):
        """The next message, or None at the deadline."""
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self._r], [], [], left)
            if not ready:
                return None
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise CDPError("the browser closed its pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method, params=None, session=None, timeout=60):
        """Sends a command and waits for its answer; events that arrive
        meanwhile are kept in self.events."""
        self._next += 1
        msg = {"id": self._next, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            data = data[os.write(self._w, data):]
        deadline = time.monotonic() + timeout
        while True:
            m = self._read_message(deadline)
            if m is None:
                raise CDPError("no answer to %s in %d s" % (method, timeout))
            if m.get("id") == self._next:
                if "error" in m:
                    raise CDPError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method, session, timeout=60):
        """Waits for an event of this session (kept ones first)."""
        deadline = time.monotonic() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev["method"] == method and ev.get("sessionId") == session:
                    return self.events.pop(i)
            m = self._read_message(deadline)
            if m is None:
                raise CDPError("no %s in %d s" % (method, timeout))
            if "method" in m:
                self.events.append(m)

    def new_page(self):
        """A fresh tab with what the tests watch enabled."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget",
                            {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, target, session)
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(domain + ".enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": self.width, "height": self.height, "deviceScaleFactor": 1,
                   "mobile": False}, session=session)
        return page


class Page:
    """One tab: navigation, script evaluation, keys, screenshots, and the
    console messages, exceptions and requests seen since it opened."""

    def __init__(self, browser, target, session):
        self.b, self.target, self.session = browser, target, session

    def navigate(self, url, timeout=60):
        """Loads url and waits for its load event; returns the seconds."""
        t0 = time.monotonic()
        self.b.send("Page.navigate", {"url": url}, self.session)
        self.b.wait_event("Page.loadEventFired", self.session, timeout)
        return time.monotonic() - t0

    def eval(self, expr, timeout=60):
        """The value of a JavaScript expression (promises awaited)."""
        r = self.b.send("Runtime.evaluate", {"expression": expr, "returnByValue": True,
                                             "awaitPromise": True}, self.session, timeout)
        if "exceptionDetails" in r:
            raise CDPError("%s: %s" % (expr[:80], r["exceptionDetails"].get("exception", {})
                                       .get("description", r["exceptionDetails"])))
        return r["result"].get("value")

    def key(self, key, code, vk):
        """One key press (down and up), as a keyboard sends it."""
        for kind in ("rawKeyDown", "keyUp"):
            self.b.send("Input.dispatchKeyEvent",
                        {"type": kind, "key": key, "code": code,
                         "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk},
                        self.session)

    def mouse_move(self, x, y):
        """Moves the mouse to a viewport point (hover)."""
        self.b.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y},
                    self.session)

    def wheel(self, x, y, dy):
        """A mouse wheel turn over a viewport point."""
        self.b.send("Input.dispatchMouseEvent", {"type": "mouseWheel", "x": x, "y": y,
                                                 "deltaX": 0, "deltaY": dy}, self.session)

    def drag(self, x0, y0, x1, y1):
        """A mouse drag with the left button, in a few moves."""
        send = self.b.send
        send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": x0, "y": y0,
                                          "button": "left", "clickCount": 1}, self.session)
        for i in range(1, 5):
            send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x0 + (x1 - x0) * i / 4,
                                              "y": y0 + (y1 - y0) * i / 4, "button": "left",
                                              "buttons": 1}, self.session)
        send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": x1, "y": y1,
                                          "button": "left", "clickCount": 1}, self.session)

    def tap(self, x, y):
        """A finger's tap (touch start and end) at a viewport point."""
        self.b.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 2},
                    self.session)
        for kind, points in (("touchStart", [{"x": x, "y": y}]), ("touchEnd", [])):
            self.b.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points},
                        self.session)

    def screenshot(self, clip=None):
        """PNG bytes of the viewport, or of clip {x, y, width, height, scale}."""
        params = {"format": "png"}
        if clip:
            params["clip"] = clip
        return base64.b64decode(self.b.send("Page.captureScreenshot", params,
                                            self.session)["data"])

    def _mine(self, method):
        """This page's events of one kind seen so far."""
        self.b.send("Runtime.evaluate", {"expression": "0"}, self.session)  # flush
        return [e["params"] for e in self.b.events
                if e["method"] == method and e.get("sessionId") == self.session]

    def console(self):
        """Console calls, exceptions and browser log entries (CSP
        violations, failed loads) as text."""
        out = ["console.%s: %s" % (p["type"], " ".join(str(a.get("value", a.get("description")))
                                                       for a in p["args"]))
               for p in self._mine("Runtime.consoleAPICalled")]
        out += ["exception: %s" % p["exceptionDetails"].get("exception", {}).get(
            "description", p["exceptionDetails"].get("text")) for p in self._mine("Runtime.exceptionThrown")]
        out += ["log %s: %s" % (p["entry"]["level"], p["entry"]["text"])
                for p in self._mine("Log.entryAdded")]
        return out

    def requests(self):
        """Every URL the page asked for."""
        return [p["request"]["url"] for p in self._mine("Network.requestWillBeSent")]

    def close(self):
        """Closes the tab and forgets its events."""
        self.b.send("Target.closeTarget", {"targetId": self.target})
        self.b.events = [e for e in self.b.events if e.get("sessionId") != self.session]

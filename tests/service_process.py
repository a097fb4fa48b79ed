"""`kg serve` started for real in a subprocess on a free port, for the service tests."""
from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
ADDRESS = re.compile(r"Serving the knowledge graph at (http://\S+/)")


@dataclass
class Served:
    process: subprocess.Popen
    url: str
    output: list = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        return self.url + "sparql"

    @property
    def port(self) -> int:
        return int(self.url.rstrip("/").rsplit(":", 1)[1])

    def stop(self, sig=signal.SIGTERM, timeout: float = 15) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=timeout)


def start(dist: Path, *options: str, ready_within: float = 60) -> Served:
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", "0", "--dist", str(dist), *options],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    found: list[str] = []

    def read():
        for line in process.stdout:
            output.append(line)
            match = ADDRESS.search(line)
            if match:
                found.append(match.group(1))

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + ready_within
    while not found:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("kg serve did not start:\n" + "".join(output))
        time.sleep(0.05)
    return Served(process, found[0], output)


@dataclass
class Response:
    status: int
    headers: dict  # lower-case names
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def http(url: str, *, method: str | None = None, headers: dict | None = None, data: bytes | None = None,
         params: dict | None = None, form: dict | None = None, timeout: float = 60) -> Response:
    """One plain HTTP request (no redirects followed), whatever its status."""
    if params:
        url += ("&" if "?" in url else "?") + urlencode(params)
    headers = dict(headers or {})
    if form is not None:
        data = urlencode(form).encode("utf-8")
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with OPENER.open(request, timeout=timeout) as answer:
            return Response(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read())
    except urllib.error.HTTPError as answer:
        return Response(answer.code, {k.lower(): v for k, v in answer.headers.items()}, answer.read())

"""The HTTP side of `kg serve`: the standard library's threaded server, with the limits, CORS and
security headers of the service, and a clean stop on SIGTERM or Ctrl-C.

Each connection has its own thread (HTTP/1.1 keep-alive), so a slow query holds only its own
client; queries themselves run in the worker processes, whose number bounds the CPU they use."""
from __future__ import annotations

import os
import re
import signal
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import ServiceUnavailable
from .app import App, HttpRequest
from .config import Config
from .engine import Reply, error

EXPOSED = "X-SPARQL-Results, X-SPARQL-Truncated"
HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:.]+\](:\d+)?")


class Server(ThreadingHTTPServer):
    daemon_threads = True  # a stop does not wait for idle keep-alive connections
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, config: Config):
        if ":" in config.host:
            self.address_family = socket.AF_INET6
        self.config = config
        self.app: App | None = None
        self.active = 0
        self.active_lock = threading.Lock()
        super().__init__((config.host, config.port), Handler)

    def process_request(self, request, client_address):
        # Bounded threads: past the connection limit a client is told to come back, not queued forever.
        with self.active_lock:
            full = self.active >= self.config.max_connections
            if not full:
                self.active += 1
        if full:
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nRetry-After: 1\r\n"
                                b"Content-Length: 33\r\nConnection: close\r\n\r\ntoo many connections; retry soon\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self.active_lock:
                self.active -= 1

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kg-sparql/0.1"
    sys_version = ""
    timeout = 30  # seconds a connection may sit idle or trickle its request
    disable_nagle_algorithm = True  # small answers go out at once, not after the client's delayed ACK

    server: Server

    def log_message(self, format, *args):  # quiet: an access log would cost more than the queries
        pass

    def do_GET(self):
        self.respond("GET")

    def do_HEAD(self):
        self.respond("HEAD")

    def do_POST(self):
        self.respond("POST")

    def do_OPTIONS(self):
        allowed = self.cors_headers()
        headers = {"Allow": "GET, HEAD, POST, OPTIONS"}
        if allowed:
            headers.update(allowed)
            headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
            headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            headers["Access-Control-Max-Age"] = "600"
        self.send(Reply(204, "", b"", headers))

    def not_allowed(self):
        self.close_connection = True
        self.send(Reply(405, "text/plain; charset=utf-8", f"{self.command} is not allowed here\n".encode(),
                        {"Allow": "GET, HEAD, POST, OPTIONS"}))

    do_PUT = do_DELETE = do_PATCH = do_TRACE = do_CONNECT = not_allowed

    def base(self) -> str:
        if self.server.config.base_url:
            return self.server.config.base_url.rstrip("/") + "/"
        host = self.headers.get("Host", "")
        return f"http://{host}/" if HOST.fullmatch(host) else self.server.url

    def respond(self, method: str) -> None:
        url = urlsplit(self.path)
        body = b""
        if method == "POST":
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                self.close_connection = True
                return self.send(error(411, "send the request with a Content-Length, not chunked"))
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                self.close_connection = True
                return self.send(error(411, "a POST needs a Content-Length header"))
            limit = self.server.config.max_request_bytes
            if length > limit or length < 0:
                self.close_connection = True  # the body is not read: the connection cannot be reused
                return self.send(error(413, f"the request body is {length} bytes; this endpoint takes at most {limit}"))
            body = self.rfile.read(length)
        request = HttpRequest(method, url.path, url.query, {k.lower(): v for k, v in self.headers.items()}, body,
                              self.base())
        self.send(self.server.app.handle(request), head=method == "HEAD")

    def cors_headers(self) -> dict:
        config = self.server.config
        origin = self.headers.get("Origin")
        if not origin or not config.cors_origins:
            return {}
        if "*" in config.cors_origins:  # never with credentials (refused at start-up)
            return {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": EXPOSED}
        if origin in config.cors_origins:
            headers = {"Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": EXPOSED}
            if config.cors_credentials:
                headers["Access-Control-Allow-Credentials"] = "true"
            return headers
        return {}

    def send(self, reply: Reply, head: bool = False) -> None:
        if reply.file is None:
            return self._send(reply, head, None)
        try:  # opened before anything is sent, so that a file gone (a rebuild swapping dist/) is an answer
            file = open(reply.file, "rb")
        except OSError:
            return self._send(error(503, f"{reply.file.name} is being replaced by a new build; ask again"), head, None)
        with file:
            self._send(reply, head, file)

    def _send(self, reply: Reply, head: bool, file) -> None:
        self.send_response(reply.status)
        headers = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", **reply.headers}
        if reply.content_type:
            headers["Content-Type"] = reply.content_type
        cors = self.cors_headers()
        if cors:
            headers.update(cors)
        if self.server.config.cors_origins and "*" not in self.server.config.cors_origins:
            headers["Vary"] = ", ".join(filter(None, [headers.get("Vary"), "Origin"]))
        if self.path.startswith("/sparql"):
            headers["Vary"] = ", ".join(filter(None, [headers.get("Vary"), "Accept"]))
        # a file's size as opened: a rebuild swapping dist/ in meanwhile does not change it
        size = os.fstat(file.fileno()).st_size if file else len(reply.body)
        headers["Content-Length"] = str(size)
        if self.close_connection:
            headers["Connection"] = "close"
        for name, value in headers.items():
            self.send_header(name, value)
        # Head and body in one write: two small writes meet Nagle and delayed ACK, a 40 ms stall.
        self._headers_buffer.append(b"\r\n")
        if not head and reply.body:
            self._headers_buffer.append(reply.body)
        self.flush_headers()
        if file and not head:
            try:
                self.connection.sendfile(file, 0, size)  # no more than the length announced
            except (BrokenPipeError, ConnectionResetError, TimeoutError):  # the client went away mid-download
                self.close_connection = True


def serve(config: Config, announce=print) -> int:
    """Run until SIGTERM or SIGINT; then stop the workers, free the port and return 0."""
    try:
        server = Server(config)
    except OSError as failure:
        raise ServiceUnavailable(f"cannot listen on {config.host}:{config.port} ({failure.strerror}): "
                                 "stop whatever uses it or choose another port with --port") from None
    try:
        server.app = App(config)
    except BaseException:
        server.server_close()
        raise
    stopping = threading.Event()

    def stop(signum, frame):
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    url = server.url
    announce(f"Serving the knowledge graph at {url}\n"
             f"  SPARQL endpoint  {url}sparql\n  query page       {url}query\n"
             f"  dataset (VoID)   {url}void\n  Stop with Ctrl-C.")
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.25)
    finally:
        server.server_close()
        server.app.close()
    announce("Stopped.")
    return 0

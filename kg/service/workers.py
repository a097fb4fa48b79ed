"""A small pool of query worker processes, each holding the store; one past its time limit is killed.

pyoxigraph cannot cancel a query, and a thread cannot be stopped, so the hard time limit is a
process boundary: the HTTP thread waits on the worker's pipe for at most the limit, then kills the
worker (SIGKILL: a query in native code does not see signals), answers with a clear error, and a
fresh worker is started in the background. A worker's address space is capped too, so a query that
would exhaust memory ends its own process instead of the machine's.
"""
from __future__ import annotations

import json
import queue
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .engine import Reply, Request, Settings


class QueryTimeout(Exception):
    pass


class WorkerLost(Exception):
    """The worker ended while evaluating (e.g. it ran out of its memory allowance)."""


class Busy(Exception):
    """Every worker stayed busy for as long as a query may run."""


def _worker_main(conn: Connection, dist: str, settings: Settings, memory_limit_mb: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle; it ends us cleanly
    if memory_limit_mb:
        import resource
        limit = memory_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import pyoxigraph as ox

    from ..store import open_store
    from .engine import evaluate
    store, empty = open_store(Path(dist)), ox.Store()
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):  # the server went away
            return
        if request is None:
            return
        conn.send(evaluate(store, empty, request, settings))


@dataclass(eq=False)  # identity, so workers can live in a set
class _Worker:
    process: subprocess.Popen
    conn: Connection

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=5)
        self.conn.close()


class Pool:
    def __init__(self, dist: Path, size: int, timeout: float, settings: Settings, memory_limit_mb: int = 2048):
        self.dist, self.size, self.timeout = str(dist), size, timeout
        self.settings, self.memory_limit_mb = settings, memory_limit_mb
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.closed = False
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        starting = [self._start() for _ in range(size)]
        for worker in starting:
            self._await_ready(worker)
            self.idle.put(worker)

    def _start(self) -> _Worker:
        # A fresh interpreter (not fork: the server is threaded; not multiprocessing's spawn, which
        # re-imports the caller's __main__), talking over a socket pair with pickled messages.
        parent, child = socket.socketpair()
        config = json.dumps({"dist": self.dist, "settings": asdict(self.settings), "memory": self.memory_limit_mb})
        process = subprocess.Popen([sys.executable, "-m", "kg.service.workers", str(child.fileno()), config],
                                   pass_fds=[child.fileno()], stdin=subprocess.DEVNULL)
        child.close()
        worker = _Worker(process, Connection(parent.detach()))
        with self._lock:
            self._all.add(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.conn.poll(60) or worker.conn.recv() != "ready":
            raise RuntimeError("a query worker did not start: see the messages above")

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start its successor in the background (the caller answers at once)."""
        with self._lock:
            self._all.discard(worker)
        worker.kill()

        def respawn():
            if self.closed:
                return
            fresh = self._start()
            try:
                self._await_ready(fresh)
            except (RuntimeError, EOFError, OSError):
                fresh.kill()
                with self._lock:
                    self._all.discard(fresh)
                return
            self.idle.put(fresh)

        threading.Thread(target=respawn, name="kg-respawn", daemon=True).start()

    def run(self, request: Request) -> Reply:
        try:  # waiting for a free worker is bounded too, by the same limit
            worker = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            raise Busy() from None
        try:
            worker.conn.send(request)
            if worker.conn.poll(self.timeout):
                reply = worker.conn.recv()
                self.idle.put(worker)
                return reply
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            raise WorkerLost() from None
        self._replace(worker)
        raise QueryTimeout()

    def close(self) -> None:
        self.closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            try:
                worker.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
        for worker in workers:
            try:
                worker.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
            worker.kill()


if __name__ == "__main__":  # a worker process, started by Pool._start
    options = json.loads(sys.argv[2])
    _worker_main(Connection(int(sys.argv[1])), options["dist"], Settings(**options["settings"]), options["memory"])

"""A private Virtuoso (Debian's virtuoso-opensource) for the tests and the benchmark: its own config,
database and log in a temporary folder, on free loopback ports; stopped by its pid. Nothing system-wide
(/var/lib/virtuoso-opensource-7, /etc) is read or written."""
from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BINARY = "virtuoso-t"  # Debian: /usr/bin/virtuoso-t, package virtuoso-opensource-7-bin
INSTALL_HINT = ("Virtuoso is not installed (no `virtuoso-t` on PATH): `.ci/run` installs it "
                "(apt-get install --no-install-recommends virtuoso-opensource)")
# A fresh database's administrator is dba with password dba; the server listens on loopback only, in
# a folder of its own that is deleted afterwards, so the default password never guards anything real.
USER, PASSWORD = "dba", "dba"

CONFIG = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 20
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {db}
; memory for {buffers} pages of 8 kB: enough for a million triples in memory
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 2G
ThreadsPerQuery = 2
VADInstallDir = {db}/vad/

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}/vsp
MaxClientConnections = 20
ServerThreads = 20
MaxKeepAlives = 20
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
; the default (10,000) cuts results silently; far above any answer the named queries give
ResultSetMaxRows = 10000000
MaxSortedTopRows = 10000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
MaxConstructTriples = 10000000
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def installed() -> bool:
    return shutil.which(BINARY) is not None


@dataclass
class Virtuoso:
    process: subprocess.Popen
    folder: Path
    http_port: int
    sql_port: int

    @property
    def sparql(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def graph_store(self) -> str:
        """The Graph Store Protocol endpoint that takes writes (HTTP Digest auth)."""
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud-auth"

    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # Virtuoso checkpoints and exits on SIGTERM
            try:
                return self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.wait(timeout=10)


def start(folder: Path, buffers: int = 170_000, ready_within: float = 90) -> Virtuoso:
    """Start virtuoso-t in the foreground on free loopback ports, with everything under `folder`."""
    if not installed():
        raise RuntimeError(INSTALL_HINT)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vsp").mkdir(exist_ok=True)
    (folder / "vad").mkdir(exist_ok=True)
    for attempt in range(3):  # a port picked free may be taken before Virtuoso binds it: pick again
        sql_port, http_port = free_port(), free_port()
        if sql_port == http_port:
            continue
        ini = folder / "virtuoso.ini"
        ini.write_text(CONFIG.format(db=folder, sql_port=sql_port, http_port=http_port, buffers=buffers,
                                     dirty=buffers * 3 // 4))
        output = open(folder / "stdout.log", "wb")
        process = subprocess.Popen([BINARY, "+foreground", "+configfile", str(ini)], cwd=folder,
                                   stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        output.close()
        server = Virtuoso(process, folder, http_port, sql_port)
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline and process.poll() is None:
            if _answers(server.sparql):
                return server
            time.sleep(0.2)
        server.stop(timeout=10)
        if "address already in use" not in (server.log() + (folder / "stdout.log").read_text(errors="replace")).lower():
            break
    raise RuntimeError(f"Virtuoso did not start within {ready_within:g} s:\n"
                       f"{(folder / 'stdout.log').read_text(errors='replace')[-3000:]}\n{server.log()[-3000:]}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2) as answer:
            return answer.status == 200
    except (urllib.error.URLError, OSError):
        return False

"""The README's service examples (curl and SPARQLWrapper) print what the README says, against a real
`kg serve` (its address put in place of the README's http://127.0.0.1:8000/)."""
from __future__ import annotations

import contextlib
import io
import re
import shlex
import urllib.parse

import pytest

from conftest import ROOT
from service_process import http, start

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## Serving the graph"):]
SECTION = SECTION[: SECTION.find("\n## ", 1)] if "\n## " in SECTION[1:] else SECTION
CURLS = [(command, re.sub(rf"(?m)^{indent}", "", output)) for indent, command, output in re.findall(
    r"^( *)```console\n\1\$ (curl .+?)\n(.*?)^\1```", SECTION, flags=re.S | re.M)]  # also indented in a list
PYTHON = re.findall(r"```python\n(.*?)```\n\nprints\n\n```text\n(.*?)```", SECTION, flags=re.S)
README_URL = "http://127.0.0.1:8000/"


@pytest.fixture(scope="module")
def served(dist):
    server = start(dist)
    yield server
    assert server.stop() == 0


def curl(command: str, url: str) -> str:
    """The subset of curl the README uses: -s, -H, --data-urlencode (a POST, or with -G a GET), -o /dev/null
    and -w '%{http_code} %{redirect_url}\\n', -i is not used (dates vary)."""
    args = shlex.split(command.replace(README_URL, url))[1:]
    headers, data, target, write_out, get = {}, [], None, None, False
    while args:
        arg = args.pop(0)
        if arg == "-s":
            continue
        elif arg == "-G":
            get = True
        elif arg == "-H":
            name, _, value = args.pop(0).partition(":")
            headers[name.strip()] = value.strip()
        elif arg == "--data-urlencode":
            name, _, value = args.pop(0).partition("=")
            data.append((name, value))
        elif arg == "-o":
            assert args.pop(0) == "/dev/null"
        elif arg == "-w":
            write_out = args.pop(0)
        else:
            target = arg
    encoded = urllib.parse.urlencode(data)
    if data and get:
        answer = http(target + "?" + encoded, headers=headers)
    elif data:
        answer = http(target, data=encoded.encode(), headers={"Content-Type": "application/x-www-form-urlencoded",
                                                              **headers})
    else:
        answer = http(target, headers=headers)
    if write_out:
        location = answer.headers.get("location", "")
        redirect = urllib.parse.urljoin(target, location) if location else ""
        return write_out.replace("%{http_code}", str(answer.status)).replace("%{redirect_url}", redirect) \
            .replace("\\n", "\n")
    return answer.text


def test_the_readme_has_service_examples():
    assert len(CURLS) >= 4 and len(PYTHON) >= 1
    assert "kg serve" in SECTION and "make run" in SECTION


@pytest.mark.parametrize("command, expected", CURLS, ids=[c[:60] for c, _ in CURLS])
def test_curl_examples_are_real(served, command, expected):
    got = curl(command, served.url).replace("\r\n", "\n")  # CSV lines end in CRLF; a terminal shows lines
    assert got.rstrip("\n") == expected.replace(README_URL, served.url).rstrip("\n")


@pytest.mark.parametrize("code, expected", PYTHON)
def test_sparqlwrapper_example_is_real(served, code, expected):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code.replace(README_URL, served.url), "README", "exec"), {})
    assert out.getvalue().rstrip("\n") == expected.rstrip("\n")

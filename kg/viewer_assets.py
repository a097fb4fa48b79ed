"""What the viewer page inlines, made safe to inline: vis-network, our JS/CSS, the data, the CSP.

The page must work with no network and contain no `http://` or `https://` anywhere, so:

* vis-network's own files (shipped inside pyvis) are read from the pyvis package. The minified JS
  holds five URLs, all inside string literals or comments (a licence link, an error-message link,
  the SVG namespace name). `://` is rewritten `:\\/\\/`, which is the same string to JavaScript
  (`\\/` is `/` in strings, regexes, template literals and is plain text in comments), so the code
  behaves exactly as shipped and the file holds no URL;
* graph data goes into an inert `<script type="application/json">` block, encoded so that no
  `<`, `>`, `&`, `'` or `/` appears literally (JSON's own escapes): a label cannot close the block
  and a URL inside some text is not a URL in the file;
* the Content-Security-Policy allows exactly the page's own inline scripts, by SHA-256, and no
  fetch of any kind: injected markup could neither load nor run anything.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pyvis

TEMPLATE_DIR = Path(__file__).parent / "templates"
VIS_VERSION = "vis-9.1.2"  # the vis-network build shipped inside pyvis 0.3.2
URL_SCHEME = re.compile(r"https?://", re.I)

CSP = ("default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; img-src data:; "
       "font-src data:; base-uri 'none'; form-action 'none'")
CSP_PLACEHOLDER = "__KG_SCRIPT_HASHES__"


def vendored(name: str) -> str:
    """A vis-network file from the pyvis package, with `://` neutralised (see module docstring)."""
    text = (Path(pyvis.__file__).parent / "templates" / "lib" / VIS_VERSION / name).read_text(encoding="utf-8")
    return safe_to_inline(text.replace("://", r":\/\/"), name)


def own(name: str) -> str:
    """One of our page files in kg/templates/ (viewer.js, viewer.css ...)."""
    return safe_to_inline((TEMPLATE_DIR / name).read_text(encoding="utf-8"), name)


def safe_to_inline(text: str, name: str) -> str:
    lowered = text.lower()
    for bad in ("</script", "</style", "<!--"):
        if bad in lowered:
            raise ValueError(f"{name} cannot be inlined safely: it contains {bad!r}")
    if URL_SCHEME.search(text):
        raise ValueError(f"{name} contains an http(s) URL")
    return text


def script_json(data) -> str:
    """JSON for an application/json script block: sorted keys, and none of < > & ' / literally."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("'", "\\u0027"), ("/", "\\/")):
        text = text.replace(char, escape)
    return text


def with_script_hashes(html: str) -> str:
    """Fill the CSP placeholder with the SHA-256 of every executable inline script of the page."""
    bodies = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    hashes = " ".join(
        "'sha256-{}'".format(base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii"))
        for body in bodies
    )
    if html.count(CSP_PLACEHOLDER) != 1 or not bodies:
        raise ValueError("the viewer template must have one CSP placeholder and inline scripts")
    return html.replace(CSP_PLACEHOLDER, CSP.format(scripts=hashes))

"""Issue 14, problem 6: the built docs render offline and their CLI reference cannot go stale.

The docs are built once per session (or taken from ``ATROGAME_DOCS_HTML``, a finished
``sphinx -b html`` output, as ``.ci/run`` does after its docs build). On the old main the CLI
page left out ``tools``, ``brief`` and ``sensitivity`` and MathJax came from a CDN, so an offline
browser showed raw ``\\frac``.

The browser test saves PNG screenshots in ``ATROGAME_SCREENSHOTS`` (default: a temporary
folder) and prints their paths.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_DOCS_EXTRAS = ("sphinx", "myst_parser", "sphinxarg", "sphinx_gallery")


def _missing_docs_extras() -> list[str]:
    missing = [m for m in _DOCS_EXTRAS if importlib.util.find_spec(m) is None]
    try:
        importlib.import_module("sphinx-mathjax-offline")
    except ImportError:
        missing.append("sphinx-mathjax-offline")
    return missing


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def html_dir(tmp_path_factory) -> Path:
    given = os.environ.get("ATROGAME_DOCS_HTML")
    if given and (Path(given) / "index.html").exists():
        return Path(given).resolve()  # CI passes a path relative to the checkout
    missing = _missing_docs_extras()
    if missing:
        pytest.skip(f"docs extras not installed ({', '.join(missing)}): pip install -e '.[docs]'")
    out = tmp_path_factory.mktemp("docs-html")
    res = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", str(ROOT / "docs"), str(out)],
                         capture_output=True, text=True, timeout=1800)
    assert res.returncode == 0, res.stderr[-3000:]
    return out


def _subcommands() -> list[str]:
    import argparse

    from atrogame.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


@pytest.mark.slow
def test_cli_reference_lists_every_subcommand(html_dir):
    names = _subcommands()
    assert {"tools", "brief", "sensitivity", "cite", "backfire", "net", "sample", "reproduce"} <= set(names)
    page = (html_dir / "reference" / "cli.html").read_text(encoding="utf-8")
    for name in names:
        assert re.search(rf">\s*{name}\s*<", page), f"subcommand {name} missing from the CLI reference"
    assert "--seed" in page and "--quiet" in page  # options too, straight from the parser


@pytest.mark.slow
def test_mathjax_is_served_with_the_docs(html_dir):
    page = (html_dir / "explanation" / "kydd_straus.html").read_text(encoding="utf-8")
    srcs = re.findall(r'<script[^>]+src="([^"]*mathjax[^"]*)"', page, flags=re.I)
    assert srcs, "no MathJax script on the explanation page"
    for src in srcs:
        assert not src.startswith(("http:", "https:", "//")), src
        assert (html_dir / "explanation" / src).resolve().exists(), src


@pytest.mark.slow
def test_examples_gallery_runs_every_example(html_dir):
    scripts = sorted((ROOT / "examples").glob("*.py"))
    index = (html_dir / "auto_examples" / "index.html").read_text(encoding="utf-8")
    for script in scripts:
        page = html_dir / "auto_examples" / f"{script.stem}.html"
        assert page.exists() and f"{script.stem}.html" in index, script.name
    ks = (html_dir / "auto_examples" / "ks_road_to_hell.html").read_text(encoding="utf-8")
    assert "Step 2" in ks  # the script's printed output
    assert re.search(r'<img[^>]+src="[^"]*sphx_glr_ks_road_to_hell_001[^"]*\.png"', ks)  # and its figure


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(_browser() is None, reason="no headless Chromium installed (apt-get install chromium)")
def test_explanation_page_and_brief_render_offline(html_dir, tmp_path):
    import atrogame as ag
    from atrogame.brief import write_brief

    shots = Path(os.environ.get("ATROGAME_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    offline = ["--host-resolver-rules=MAP * ~NOTFOUND", "--disable-background-networking", "--no-first-run",
               "--disable-component-update", "--disable-sync", "--disable-quic"]
    base = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", *offline, "--virtual-time-budget=20000"]
    page = (html_dir / "explanation" / "kydd_straus.html").as_uri()
    dom = subprocess.run([*base, f"--user-data-dir={tmp_path / 'p1'}", "--dump-dom", page],
                         capture_output=True, text=True, timeout=180)
    assert dom.returncode == 0, dom.stderr[-2000:]
    typeset = dom.stdout.count("<mjx-container")
    assert typeset >= 5, "MathJax did not typeset the page offline"
    # what is left outside the typeset maths is prose: no raw LaTeX
    visible = re.sub(r"<mjx-container.*?</mjx-container>", "", dom.stdout, flags=re.S)
    visible = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", visible, flags=re.S)
    visible = re.sub(r"<[^>]+>", "", visible)
    assert "\\frac" not in visible and "\\partial" not in visible
    ks = shots / "docs-kydd-straus.png"
    subprocess.run([*base, f"--user-data-dir={tmp_path / 'p2'}", f"--screenshot={ks}", "--window-size=1100,1600",
                    page], capture_output=True, timeout=180, check=True)
    brief = write_brief(ag.KyddStraus(), ["naming_and_shaming", "mediation"], tmp_path / "brief.html", n=200, seed=1)
    bshot = shots / "brief-kydd-straus.png"
    subprocess.run([*base, f"--user-data-dir={tmp_path / 'p3'}", f"--screenshot={bshot}", "--window-size=1100,1600",
                    brief.as_uri()], capture_output=True, timeout=180, check=True)
    for shot in (ks, bshot):
        assert shot.exists() and shot.stat().st_size > 10_000
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"screenshots: {ks} {bshot}")

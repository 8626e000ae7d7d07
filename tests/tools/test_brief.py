"""The HTML policy brief: valid, self-contained, and rendered by a real browser when one exists."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

import atrogame as ag
from atrogame.brief import render_brief, write_brief
from atrogame.cli import main

VOID = {"meta", "img", "br", "hr", "link", "input", "col", "source", "wbr", "area", "base", "embed", "track"}
OPTIONAL_END = {"p", "li", "tr", "td", "th"}


class _Checker(HTMLParser):
    """A strict-enough well-formedness check: every non-void element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.srcs: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for k, v in attrs:
            if k in ("src", "href"):
                self.srcs.append(v or "")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack[-1] != tag and self.stack[-1] in OPTIONAL_END:
            self.stack.pop()
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()


@pytest.fixture(scope="module")
def brief_html() -> str:
    return render_brief(ag.KyddStraus(), ["naming_and_shaming", "mediation", "military_intervention",
                                          "electoral_assistance"], n=500, seed=0)


def test_brief_is_valid_html(brief_html):
    assert brief_html.startswith("<!DOCTYPE html>")
    c = _Checker()
    c.feed(brief_html)
    c.close()
    assert not c.errors and not c.stack
    assert {"html", "head", "title", "body", "table", "img"} <= c.tags


def test_brief_is_self_contained(brief_html):
    c = _Checker()
    c.feed(brief_html)
    assert c.srcs and all(s.startswith("data:image/png;base64,") for s in c.srcs)
    assert "<script" not in brief_html and "http://" not in brief_html and "https://" not in brief_html


def test_brief_has_what_a_policy_reader_needs(brief_html):
    for text in ("At a glance", "The situation", "Expected effect", "Backfire risk", "Cost per unit", "Caveats",
                 "Naming and shaming", "not represented in this model", "after Kydd &amp; Straus (2013)"):
        assert text in brief_html, text
    # the numbers shown are the model's
    ch = ag.tools.assess("naming_and_shaming", ag.KyddStraus())["p_war"].change
    assert f"{ch:+.4g}" in brief_html


def test_cli_brief_writes_file(tmp_path, capsys):
    out = tmp_path / "brief.html"
    assert main(["brief", "anderton_brauer", "--technology", "ces", "--tools",
                 "peace_operations,prosecutions", "--n", "200", "--out", str(out)]) == 0
    text = out.read_text()
    assert "Peace operations" in text and not list(tmp_path.glob("*.part"))


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.browser
@pytest.mark.skipif(_browser() is None, reason="no headless Chromium installed")
def test_brief_renders_in_headless_chromium(tmp_path):
    page = write_brief(ag.KyddStraus(), ["naming_and_shaming", "mediation"], tmp_path / "b.html", n=200)
    shot = tmp_path / "shot.png"
    dom = subprocess.run(
        [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Backfire risk" in dom.stdout and re.search(r"<img[^>]+data:image/png", dom.stdout)
    subprocess.run(
        [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         f"--user-data-dir={tmp_path / 'profile2'}", f"--screenshot={shot}", "--window-size=1000,1400",
         page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )
    assert shot.exists() and shot.stat().st_size > 10_000

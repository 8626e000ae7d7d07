"""Sphinx configuration for atrogame's documentation."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "_ext"))

import atrogame  # noqa: E402

project = "atrogame"
author = "atrogame developers"
copyright = "2026, atrogame developers"
release = atrogame.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "sphinxarg.ext",  # the CLI reference is generated from atrogame.cli.build_parser
    "sphinx-mathjax-offline",  # MathJax 3 served from _static/mathjax: maths renders offline
    "atrogame_math",
]
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_typehints = "description"
autosummary_generate = True
napoleon_numpy_docstring = True
napoleon_google_docstring = False
nitpicky = False
html_theme = "alabaster"
html_static_path: list[str] = []
suppress_warnings = ["myst.header"]

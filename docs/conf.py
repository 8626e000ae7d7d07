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
    "sphinx_gallery.gen_gallery",  # runs examples/*.py and shows their output and figures
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

# The examples gallery: every script in examples/ is run at build time (as the tests run it:
# no arguments, Agg backend), and its printed output and open figures are shown.
sphinx_gallery_conf = {
    "examples_dirs": str(HERE.parent / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"\.py$",
    "download_all_examples": False,
    "show_signature": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "write_computation_times": False,
}

"""Issue 14, problem 2: paper-ready LaTeX and Markdown tables in the metadata's symbols.

On main, ``ComparativeStatics.to_latex()`` printed code names (``\\mathrm{p\\_war}``) and the
whole ~5,000-character Piecewise derivative, there was no table export, and pandas' ``to_latex``
needed Jinja2.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys

import pytest
import sympy as sp

import atrogame as ag
from atrogame import report
from atrogame.testing.models import Toy


@pytest.fixture(scope="module")
def ks_statics():
    return ag.KyddStraus().comparative_statics(of=["p_war", "expected_atrocities"],
                                               wrt=["atrocity_penalty", "intervention_commitment"])


@pytest.fixture(scope="module")
def ks_sensitivity():
    return ag.KyddStraus().sensitivity("p_war", bounds={"atrocity_penalty": (0, 0.3), "rebel_strength": (0.2, 0.6),
                                                        "intervention_commitment": (0, 1)},
                                       n=64, seed=1, second_order=False)


@pytest.fixture(scope="module")
def ks_comparison():
    return ag.tools.compare(ag.KyddStraus(), ["mediation", "naming_and_shaming", "electoral_assistance"],
                            outcomes=["p_war", "expected_atrocities"])


def _rows(tex):
    return tex.split("\\midrule")[1].split("\\bottomrule")[0].strip().splitlines()


def test_statics_latex_uses_metadata_symbols_and_booktabs(ks_statics):
    tex = ks_statics.to_latex(precision=3)
    assert r"\mathrm{p\_war}" not in tex and "expected_atrocities" not in tex.replace(r"\_", "_")
    assert r"$P(\mathrm{war})$" in tex and "$q a^*$" in tex and "$k$" in tex and "$i$" in tex
    assert tex.count(r"\toprule") == tex.count(r"\midrule") == tex.count(r"\bottomrule") == 1
    header = tex.split(r"\toprule")[1].split(r"\midrule")[0]
    assert header.index("Sign") < header.index("Value")  # sign and value first
    first = _rows(tex)[0].split("&")
    e = ks_statics.entries[0]
    assert first[2].strip() == e.sign
    assert first[3].strip() == f"${e.value:.3g}$"  # the chosen precision


def test_derivative_branch_simplified_and_equal(ks_statics):
    e = ks_statics[("expected_atrocities", "atrocity_penalty")]
    names = dict(ks_statics.latex_names)
    full = sp.latex(e.derivative, symbol_names=names)
    tex = report.derivatives_latex(ks_statics, seconds=2.0)
    line = next(ln for ln in tex.splitlines() if ln.startswith(r"\frac{\partial q a^*}{\partial k}"))
    assert len(full) > 4000 and len(line) < len(full) / 3
    assert r"\mathrm{" not in line.replace(r"\mathrm{war}", "")  # parameters printed as symbols
    d = report.simplify_capped(report.branch_derivative(e.derivative, ks_statics.parameters), 2.0)
    vals = {s: ks_statics.parameters[s.name] for s in d.free_symbols}
    assert math.isclose(float(d.xreplace(vals)), e.value, rel_tol=1e-9, abs_tol=1e-12)


def test_simplify_capped_respects_time_cap():
    import time

    x = sp.symbols("x0:4", positive=True)
    big = sp.expand(sp.prod([(xi + 1) ** 3 for xi in x]) / sp.prod([(xi + 2) for xi in x]))
    t = time.monotonic()
    out = report.simplify_capped(big, 0.5)
    assert time.monotonic() - t < 5.0
    assert sp.count_ops(out) <= sp.count_ops(big)


def test_tables_for_every_result(ks_sensitivity, ks_comparison):
    m = ag.KyddStraus()
    eq_tex = m.solve().to_latex(precision=2)
    assert r"$P(\mathrm{war})$ & probability of war & $0.37$" in eq_tex
    par = report.to_latex(m)
    assert r"$\bar{C}$" in par and "[0.05, 1.5]" in par and r"$[0, \infty)$" in par
    si = ks_sensitivity.to_latex()
    assert "$S_T$" in si and "$p_0$" in si and r"\pm" in si and "seed 1" in si
    cmp_tex = ks_comparison.to_latex()
    assert "Mediation" in cmp_tex and "not represented" in cmp_tex and r"$P(\mathrm{war})$" in cmp_tex
    md = ks_comparison.to_markdown()
    assert md.splitlines()[1].startswith("| :--") and md.count("\n") == len(ks_comparison.to_dataframe()) + 1
    assert "| $p_0$ |" in ks_sensitivity.to_markdown()
    back = ag.tools.backfire("mediation", m, n=50, seed=3)
    assert "| 3 |" in back.to_markdown()


def test_no_jinja2_needed(monkeypatch, ks_statics):
    monkeypatch.setitem(sys.modules, "jinja2", None)  # pandas' Styler (df.to_latex) fails without it
    assert r"\toprule" in ks_statics.to_latex()
    assert r"\toprule" in report.to_latex(ks_statics.to_dataframe()[["sign", "value"]])


def test_precision_and_escaping():
    assert report.format_number(0.000123456, 2) == r"$0.00012$"
    assert report.format_number(-1.5e-7, 2) == r"$-1.5\times 10^{-7}$"
    assert report.format_number(-0.0) == "$0$"
    assert report.tex_escape("a_b & c%") == r"a\_b \& c\%"


def test_missing_extra_names_the_extra(monkeypatch, tmp_path):
    from atrogame.optional import MissingOptionalDependency, require

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ModuleNotFoundError, match=re.escape('pip install "atrogame[io]"')) as info:
        require("pyarrow", feature="writing Parquet")
    assert isinstance(info.value, MissingOptionalDependency)


@pytest.mark.slow
def test_tables_compile_with_pdflatex(tmp_path, ks_statics, ks_sensitivity, ks_comparison):
    exe = shutil.which("pdflatex")
    if exe is None:
        pytest.skip("pdflatex is not installed (apt-get install texlive-latex-base texlive-latex-recommended)")
    doc = report.latex_document(
        ks_statics.to_latex(caption="Comparative statics (after Kydd and Straus 2013)", label="tab:ks",
                            derivatives=True, seconds=2.0),
        ks_sensitivity.to_latex(caption="Sobol indices"), ks_comparison.to_latex(caption="Tools"),
        ag.KyddStraus().solve().to_latex(caption="Equilibrium"), report.to_latex(ag.KyddStraus()),
        Toy().comparative_statics().to_latex(derivatives=True))
    src = tmp_path / "tables.tex"
    src.write_text(doc, encoding="utf-8")
    res = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", src.name], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout[-3000:]
    assert (tmp_path / "tables.pdf").stat().st_size > 1000
    log = (tmp_path / "tables.log").read_text(errors="replace")
    assert "Undefined control sequence" not in log
    print(f"compiled {tmp_path / 'tables.pdf'}")

"""Issue 14, problems 3-5 and 7: notebook display, replayable randomness, consistent conventions, CLI verbs.

Each test names the problem it covers; on the old main each of them fails (no ``_repr_html_``,
``backfire`` without a recorded seed, ``price()`` setting levels, ``describe()`` without ranges,
no ``cite``/``backfire``/``net``/``sample`` verbs, a silent ``reproduce``).
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import atrogame as ag
from atrogame import policies as P
from atrogame.cli import main
from atrogame.testing.models import Toy


# ------------------------------------------------------------------ problem 3: notebook display
def test_results_and_models_have_rich_display():
    m = ag.KyddStraus()
    cs = m.comparative_statics(of="p_war", wrt=["atrocity_penalty", "intervention_commitment"])
    for obj in (m, m.solve(), cs, ag.tools.compare(m, ["mediation"]), ag.tools.backfire("mediation", m, n=50, seed=1),
                ag.tools.net_assessment(["mediation"], m)):
        html = obj._repr_html_()
        assert "<table" in html and "<pre>" not in html, type(obj).__name__
    latex = m.solve()._repr_latex_()
    assert latex.startswith("$$") and r"P(\mathrm{war})" in latex  # the metadata's symbol, not p\_war
    html = cs._repr_html_()
    assert html.index("Sign") < html.index("Value")


def test_statics_table_puts_sign_and_value_first():
    df = ag.KyddStraus().comparative_statics(of="expected_atrocities", wrt="atrocity_penalty").to_dataframe()
    assert list(df.columns[:2]) == ["sign", "value"]
    text = df.to_string()
    assert df["sign"].iloc[0] in text.splitlines()[-1]  # the sign is shown, not cut off behind the derivative


# ------------------------------------------------------------------ problem 4: replayable randomness
def test_backfire_records_and_replays_its_seed():
    m = ag.KyddStraus()
    a = ag.tools.backfire("mediation", m, n=300)  # no seed given: one is drawn and recorded
    assert isinstance(a.seed, int)
    b = ag.tools.backfire("mediation", m, n=300, seed=a.seed)
    assert (a.probability, a.expected_effect, a.quantiles) == (b.probability, b.expected_effect, b.quantiles)
    assert int(a.to_dataframe()["seed"].iloc[0]) == a.seed
    gen = ag.tools.backfire("mediation", m, n=300, seed=np.random.default_rng(7))
    assert isinstance(gen.seed, int) and ag.tools.backfire("mediation", m, n=300, seed=gen.seed).probability == \
        gen.probability


def test_brief_prints_the_seed_it_used(tmp_path):
    from atrogame.brief import render_brief

    html = render_brief(ag.KyddStraus(), ["mediation"], n=100, seed=None)
    seed = int(re.search(r"seed (\d+)", html).group(1))
    assert render_brief(ag.KyddStraus(), ["mediation"], n=100, seed=seed).count(f"seed {seed}") >= 1


def test_sample_and_numeric_sign_check_replay():
    from atrogame.core.signs import numeric_sign_check

    ds = Toy().sample({"benefit": (0.5, 3.0)}, n=16)
    again = Toy().sample({"benefit": (0.5, 3.0)}, n=16, seed=ds.attrs["seed"])
    assert np.array_equal(ds["x"].values, again["x"].values)
    chk = numeric_sign_check(Toy(), "x", "curvature", n=50, seed=11)
    assert chk.seed == 11 and chk == numeric_sign_check(Toy(), "x", "curvature", n=50, seed=11)


def test_sensitivity_records_and_replays_its_seed():
    bounds = {"benefit": (3, 5), "threshold": (0, 1)}
    a = Toy().sensitivity("x", method="morris", bounds=bounds, n=20)
    b = Toy().sensitivity("x", method="morris", bounds=bounds, n=20, seed=a.seed)
    assert isinstance(a.seed, int) and np.array_equal(a.to_dataframe().values, b.to_dataframe().values)
    assert f"seed {a.seed}" in a.to_latex()


# ------------------------------------------------------------------ problem 5: conventions
def test_price_takes_a_factor_like_the_other_constructors():
    m = ag.AndertonBrauer(technology="cobb_douglas", price_civilians=2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new spelling does not warn
        up = m.apply(P.price(civilians=1.1))
    assert up.price_civilians == pytest.approx(2.2)  # raised: on main price(price_civilians=1.1) lowered it to 1.1
    assert up.solve().civilian_attacks < m.solve().civilian_attacks
    assert m.apply(P.price(rebels=0.5)).price_rebels == pytest.approx(0.5 * m.price_rebels)
    assert m.apply(P.resource(1.1)).resources == pytest.approx(1.1 * m.resources)  # same convention


def test_old_price_spelling_is_deprecated_but_still_sets_levels():
    m = ag.AndertonBrauer(technology="cobb_douglas", price_civilians=2.0)
    with pytest.warns(DeprecationWarning, match=r"price\(civilians=1\.1\)"):
        pol = P.price(price_civilians=1.1)
    assert m.apply(pol).price_civilians == 1.1
    with pytest.raises(TypeError, match="not both"):
        P.price(civilians=1.1, price_rebels=2.0)
    with pytest.raises(ValueError, match=r"civilians must be in \(0, inf\); got -1"):
        P.price(civilians=-1)


def test_describe_shows_the_default_ranges():
    d = ag.AndertonBrauer.describe()
    lo, hi = ag.AndertonBrauer().parameter_meta("resources")["sweep_range"]
    assert d.loc["resources", "sweep_range"] == f"[{lo:g}, {hi:g}]"
    for name, (plo, phi) in ag.KyddStraus().default_priors().items():
        assert ag.KyddStraus.describe().loc[name, "sweep_range"] == f"[{plo:g}, {phi:g}]"
    out = _run(["describe", "anderton_brauer"])
    assert "sweep_range" in out and f"[{lo:g}, {hi:g}]" in out


def test_user_model_provenance_defaults_to_original():
    assert ag.Model.provenance == "original" and Toy.provenance == "original"
    assert Toy().sample({"benefit": (1.0, 2.0)}, n=4, seed=0).attrs["provenance"] == "original"
    assert ag.KyddStraus.provenance == "reconstruction"  # set by the model's author


def test_single_entry_statics_exposes_every_field():
    one = ag.KyddStraus().comparative_statics("atrocity_penalty", of="p_war")
    entry = one.entries[0]
    for f in type(entry).__dataclass_fields__:
        assert getattr(one, f) == getattr(entry, f) or f == "derivative"
    assert one.regime == entry.regime


# ------------------------------------------------------------------ problem 7: CLI verbs, progress, citation
def _run(argv):
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(argv) == 0
    return buf.getvalue()


def test_cite_verb_and_method():
    bib = _run(["cite", "kydd_straus"])
    assert "@article{" in bib and "10.1111/ajps.12009" in bib and "10.1017/S0020818300033324" in bib
    assert "atrogame" in bib
    assert ag.KyddStraus().cite("text").splitlines()[0].startswith("Kydd")
    txt = _run(["cite", "anderton_brauer", "--format", "text"])
    assert "2016" in txt and "2021" in txt
    with pytest.raises(ValueError, match="style"):
        ag.Fearon().cite("apa")


def test_backfire_net_and_sample_verbs(tmp_path):
    out = _run(["backfire", "mediation", "kydd_straus", "--n", "200"])
    seed = int(re.search(r"seed: (\d+)", out).group(1))
    replay = _run(["backfire", "mediation", "kydd_straus", "--n", "200", "--seed", str(seed)])
    assert replay == out  # the printed seed replays the draws exactly
    r = ag.tools.backfire("mediation", ag.KyddStraus(), n=200, seed=seed)
    assert f"{r.probability:.6g}"[:5] in out.replace(" ", "")
    net = _run(["net", "kydd_straus", "--tools", "mediation,naming_and_shaming"])
    assert "averted_per_cost" in net and "mediation" in net
    path = tmp_path / "s.csv"
    out = _run(["sample", "fearon", "--n", "8", "--seed", "4", "--out", str(path)])
    assert "seed: 4" in out and path.exists()
    assert len([ln for ln in path.read_text().splitlines() if not ln.startswith("#")]) == 9


def test_sample_verb_rejects_bad_prior(capsys):
    assert main(["sample", "fearon", "--prior", "cost_a=1"]) == 2
    assert "--prior expects name=low:high" in capsys.readouterr().err


def test_reproduce_reports_progress(tmp_path, capsys, monkeypatch):
    from atrogame import figures

    seen = []
    figures.reproduce(tmp_path, formats=("png",), ids=["ks-tree"], progress=lambda *a: seen.append(a))
    assert len(seen) == 1 and seen[0][:3] == (1, 1, "ks-tree") and seen[0][3] >= 0
    real = figures.reproduce
    monkeypatch.setattr(figures, "reproduce",
                        lambda out, formats, ids=None, progress=None: real(out, formats, ["ks-tree"], progress))
    assert main(["reproduce", "--out", str(tmp_path / "cli"), "--format", "png"]) == 0
    assert re.search(r"^\[1/1\] ks-tree \(\d+\.\d s\)$", capsys.readouterr().err, re.M)
    assert main(["reproduce", "--out", str(tmp_path / "q"), "--format", "png", "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_citation_cff_lists_every_source():
    from pathlib import Path

    from atrogame.cite import ALL_SOURCES

    text = (Path(__file__).resolve().parents[2] / "CITATION.cff").read_text(encoding="utf-8")
    for ref in ALL_SOURCES:
        if "doi" in ref.fields:
            assert ref.fields["doi"] in text, ref.title
    for needle in ("Rationalist Explanations for War", "Choosing Genocide", "Oxford University Press"):
        assert needle in text


# ------------------------------------------------------------------ problem 7: figures and brief
def test_unitless_variables_have_no_empty_units():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ds = ag.KyddStraus().sweep(atrocity_penalty=np.linspace(0.0, 0.3, 5))
    assert "units" not in ds["p_war"].attrs and "units" not in ds["atrocity_penalty"].attrs
    fig, ax = plt.subplots()
    ds["p_war"].plot(ax=ax)
    assert "[]" not in ax.get_xlabel() + ax.get_ylabel()
    assert ax.get_ylabel() == "probability of war"
    plt.close(fig)


def test_backfire_figure_has_a_strategy_legend():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from atrogame.plot.tools import backfire_bars

    m = ag.KyddStraus()
    rs = [ag.tools.backfire(t, m, n=100, seed=1) for t in ("mediation", "naming_and_shaming")]
    ax = backfire_bars(rs)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels and set(labels) <= {"dissuade", "degrade", "protect", "transition"}
    assert {r.tool.strategies[0] for r in rs} == set(labels)
    plt.close(ax.figure)


def test_brief_uses_long_outcome_names():
    from atrogame.brief import render_brief

    page = render_brief(ag.Fearon(), ["mediation"], n=50, seed=1)
    assert "probability of war" in page and "p war" not in page


# ------------------------------------------------------------------ problem 2: extras named in errors
def test_parquet_without_pyarrow_names_the_extra(monkeypatch, tmp_path):
    import sys

    from atrogame.io import write_dataset

    ds = Toy().sweep(benefit=[1.0, 2.0])
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ModuleNotFoundError, match=re.escape('pip install "atrogame[io]"')):
        write_dataset(ds, tmp_path / "x.parquet")
    assert not (tmp_path / "x.parquet").exists()


# ------------------------------------------------------------------ problem 6: docstrings that render
_NUMPYDOC_SECTIONS = {"Parameters", "Returns", "Yields", "Receives", "Other Parameters", "Raises", "Warns",
                      "Warnings", "See Also", "Notes", "References", "Examples", "Attributes", "Methods"}


@pytest.mark.parametrize("obj", [ag.Fearon, ag.Mobilisation, ag.KyddStraus, ag.AndertonBrauer, ag.Model])
def test_model_docstrings_use_numpydoc_sections_only(obj):
    import inspect

    doc = inspect.cleandoc(obj.__doc__ or "")
    lines = doc.splitlines()
    headings = [lines[i - 1].strip() for i in range(1, len(lines))
                if re.fullmatch(r"-{3,}", lines[i].strip()) and len(lines[i].strip()) == len(lines[i - 1].strip())]
    assert set(headings) <= _NUMPYDOC_SECTIONS, headings  # "Outcomes" rendered garbled on main


def test_render_brief_documents_n_and_seed_apart():
    import inspect

    from atrogame.brief import render_brief

    doc = inspect.getdoc(render_brief)
    assert re.search(r"^n:$", doc, re.M) and re.search(r"^seed:$", doc, re.M) and "n, seed" not in doc


def test_speed_claims_state_the_warm_up():
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs"
    for page in docs.rglob("*.md"):
        text = " ".join(page.read_text(encoding="utf-8").split())
        for m in re.finditer(r"fraction of a second", text):
            around = text[max(0, m.start() - 300):m.end() + 200]
            assert re.search(r"warm-up|compile", around), f"{page.name}: speed claim without the warm-up"


def _public_objects():
    import importlib
    import inspect
    import pkgutil

    for info in pkgutil.walk_packages(ag.__path__, "atrogame."):
        if info.name.endswith("__main__") or any(part.startswith("_") for part in info.name.split(".")):
            continue  # private modules (e.g. the numba kernels, importable only with atrogame[fast])
        try:
            mod = importlib.import_module(info.name)
        except ModuleNotFoundError as exc:
            if exc.name == "numba":
                continue  # atrogame.accel.kernels: importable only with atrogame[fast]
            raise
        for name, obj in vars(mod).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != mod.__name__:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                yield f"{mod.__name__}.{name}", obj
            if inspect.isclass(obj):
                for mname, m in vars(obj).items():
                    f = m.fget if isinstance(m, property) else getattr(m, "__func__", m)
                    if not mname.startswith("_") and inspect.isfunction(f):
                        yield f"{mod.__name__}.{name}.{mname}", f


def test_numpydoc_validation_of_sections():
    """numpydoc's own validator: no unknown section (GL06) and sections in numpydoc's order (GL07)."""
    validate = pytest.importorskip("numpydoc.validate").validate
    bad = {}
    for qual, _obj in _public_objects():
        errors = [f"{code}: {msg}" for code, msg in validate(qual)["errors"] if code in ("GL06", "GL07")]
        if errors:
            bad[qual] = errors
    assert bad == {}


def test_every_public_docstring_uses_numpydoc_sections_only():
    import inspect

    bad = {}
    for qual, obj in _public_objects():
        lines = inspect.cleandoc(obj.__doc__ or "").splitlines()
        heads = {lines[i - 1].strip() for i in range(1, len(lines))
                 if re.fullmatch(r"-{3,}", lines[i].strip()) and len(lines[i].strip()) == len(lines[i - 1].strip())}
        if heads - _NUMPYDOC_SECTIONS:
            bad[qual] = sorted(heads - _NUMPYDOC_SECTIONS)
    assert bad == {}

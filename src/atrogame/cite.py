"""How to cite a model: its sources and atrogame, in BibTeX or plain text.

``model.cite()`` (and the function :func:`cite`) returns the references a paper that uses
the model should cite: the published work the model is reconstructed after, and atrogame
itself. The same list feeds ``CITATION.cff`` (a test keeps them in step).

Examples
--------
>>> import atrogame as ag
>>> print(ag.Fearon().cite("text"))  # doctest: +ELLIPSIS
Fearon, J. D. (1995). Rationalist explanations for war. International Organization, ... doi:10.1017/S0020818300033324
atrogame developers (2026). atrogame: game-theoretic and economic models of mass-atrocity prevention ... Software.
>>> ag.Fearon().cite().splitlines()[0]
'@article{fearon1995,'
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from atrogame.core.contract import ModelLike


@dataclass(frozen=True)
class Reference:
    """One bibliographic entry (BibTeX keys and fields as plain strings)."""

    key: str
    kind: str  # "article", "book", "software"
    authors: tuple[tuple[str, str], ...]  # (family, given)
    title: str
    year: int
    fields: Mapping[str, str] = field(default_factory=dict)  # journal, volume, number, pages, publisher, doi...
    editors: bool = False

    def bibtex(self) -> str:
        names = " and ".join(f"{fam}, {giv}" if giv else f"{{{fam}}}" for fam, giv in self.authors)
        who = "editor" if self.editors else "author"
        entries = [(who, names), ("title", "{" + self.title + "}"), ("year", str(self.year)),
                   *((k, v) for k, v in self.fields.items())]
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in entries)
        return f"@{'misc' if self.kind == 'software' else self.kind}{{{self.key},\n{body}\n}}"

    def text(self) -> str:
        def initials(given: str) -> str:
            return " ".join(p[0] + "." for p in given.replace(".", " ").split())

        names = [f"{fam}, {initials(giv)}" if giv else fam for fam, giv in self.authors]
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
        if self.editors:
            who += " (Eds.)" if len(names) > 1 else " (Ed.)"
        f = self.fields
        if self.kind == "article":
            where = f"{f['journal']}, {f['volume']}({f['number']}), {f['pages'].replace('--', '–')}."
        elif self.kind == "book":
            where = f"{f['publisher']}."
        else:
            where = "Software."
        title = self.title + (f" (version {f['version']})" if "version" in f else "")
        doi = f" doi:{f['doi']}" if "doi" in f else ""
        return f"{who} ({self.year}). {title}. {where}{doi}"


FEARON_1995 = Reference("fearon1995", "article", (("Fearon", "James D."),), "Rationalist explanations for war",
                        1995, {"journal": "International Organization", "volume": "49", "number": "3",
                               "pages": "379--414", "doi": "10.1017/S0020818300033324"})
ANDERTON_2010 = Reference("anderton2010", "article", (("Anderton", "Charles H."),),
                          "Choosing genocide: economic perspectives on the disturbing rationality of race murder",
                          2010, {"journal": "Defence and Peace Economics", "volume": "21", "number": "5-6",
                                 "pages": "459--486", "doi": "10.1080/10242694.2010.491700"})
KYDD_STRAUS_2013 = Reference("kydd2013", "article", (("Kydd", "Andrew H."), ("Straus", "Scott")),
                             "The road to hell? Third-party intervention to prevent atrocities", 2013,
                             {"journal": "American Journal of Political Science", "volume": "57", "number": "3",
                              "pages": "673--684", "doi": "10.1111/ajps.12009"})
ANDERTON_BRAUER_2016 = Reference(
    "anderton2016", "book", (("Anderton", "Charles H."), ("Brauer", "Jurgen")),
    "Economic Aspects of Genocides, Other Mass Atrocities, and Their Prevention", 2016,
    {"publisher": "Oxford University Press", "address": "New York", "isbn": "9780199378296",
     "doi": "10.1093/acprof:oso/9780199378296.001.0001"}, editors=True)
ANDERTON_BRAUER_2021 = Reference("anderton2021", "article", (("Anderton", "Charles H."), ("Brauer", "Jurgen")),
                                 "Mass atrocities and their prevention", 2021,
                                 {"journal": "Journal of Economic Literature", "volume": "59", "number": "4",
                                  "pages": "1240--1292", "doi": "10.1257/jel.20201240"})
ISHIGAMI_HOMMA_1990 = Reference(
    "ishigami1990", "inproceedings", (("Ishigami", "T."), ("Homma", "T.")),
    "An importance quantification technique in uncertainty analysis for computer models", 1990,
    {"booktitle": "Proceedings of the First International Symposium on Uncertainty Modeling and Analysis "
                  "(ISUMA '90)", "pages": "398--403", "doi": "10.1109/ISUMA.1990.151285"})


def atrogame_reference() -> Reference:
    """atrogame itself, at the installed version."""
    from atrogame import __version__

    return Reference("atrogame", "software", (("atrogame developers", ""),),
                     "atrogame: game-theoretic and economic models of mass-atrocity prevention", 2026,
                     {"version": __version__, "note": "Python package"})


#: Sources of each registered model, in the order a paper should cite them.
SOURCES: Mapping[str, tuple[Reference, ...]] = {
    "kydd_straus": (KYDD_STRAUS_2013, FEARON_1995),
    "anderton_brauer": (ANDERTON_BRAUER_2021, ANDERTON_BRAUER_2016),
    "fearon": (FEARON_1995,),
    "mobilisation": (ANDERTON_2010,),
    "ishigami": (ISHIGAMI_HOMMA_1990,),
    "toy": (),
}

#: Every work atrogame's models are built after (what CITATION.cff lists as references).
ALL_SOURCES: tuple[Reference, ...] = (KYDD_STRAUS_2013, FEARON_1995, ANDERTON_2010, ANDERTON_BRAUER_2016,
                                      ANDERTON_BRAUER_2021, ISHIGAMI_HOMMA_1990)


def references(model: ModelLike | type[ModelLike] | str) -> list[Reference]:
    """The model's sources (by its registered name; a user model cites only atrogame) and atrogame."""
    name = model if isinstance(model, str) else getattr(model, "name", "")
    return [*SOURCES.get(name, ()), atrogame_reference()]


def cite(model: ModelLike | type[ModelLike] | str, style: str = "bibtex") -> str:
    """References for ``model`` (an instance, class or registered name) as BibTeX or plain text.

    Examples
    --------
    >>> print(cite("toy", "text"))  # doctest: +ELLIPSIS
    atrogame developers (2026). atrogame: game-theoretic and economic models of mass-atrocity prevention ... Software.
    """
    refs = references(model)
    if style == "bibtex":
        return "\n\n".join(r.bibtex() for r in refs)
    if style == "text":
        return "\n".join(r.text() for r in refs)
    from atrogame.core.errors import ParameterError

    raise ParameterError("style", "{'bibtex', 'text'}", style)


def add_cite_parser(sub: Any) -> argparse.ArgumentParser:
    """Register ``atrogame cite MODEL [--format bibtex|text]`` on a subparsers object."""
    p = sub.add_parser("cite", help="print the references to cite for a model (BibTeX or text)")
    p.add_argument("model", help="model id, e.g. kydd_straus")
    p.add_argument("--format", choices=("bibtex", "text"), default="bibtex", help="output format")
    p.set_defaults(func=cite_command)
    return p


def cite_command(args: argparse.Namespace) -> int:
    """``atrogame cite MODEL``: print the model's references (for the CLI to wire).

    Examples
    --------
    >>> cite_command(argparse.Namespace(model="fearon", format="text"))  # doctest: +ELLIPSIS
    Fearon, J. D. (1995). Rationalist explanations for war. ...
    0
    """
    from atrogame.core.registry import get_model

    cls = get_model(args.model)  # KeyError with close matches for an unknown id
    print(cite(cls.name, getattr(args, "format", "bibtex")))
    return 0


def cff_references(refs: Sequence[Reference] = ALL_SOURCES) -> list[dict[str, Any]]:
    """The ``references:`` entries of CITATION.cff (used by the test that keeps the file in step)."""
    out = []
    for r in refs:
        people = [{"family-names": fam, "given-names": giv} for fam, giv in r.authors]
        kind = {"inproceedings": "conference-paper"}.get(r.kind, "edited-work" if r.editors else r.kind)
        d: dict[str, Any] = {"type": kind, "title": r.title, "year": r.year, "authors": people}
        if r.editors:
            d["editors"] = people
        if "doi" in r.fields:
            d["doi"] = r.fields["doi"]
        out.append(d)
    return out

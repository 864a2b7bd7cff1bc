"""Report texts in English, French and Romanian (the languages of the source articles).

The texts live in the translators' files ``texts/<lang>.json``, one per language, each
with the same keys: ``kpi_names`` (one per KPI of :mod:`csmetrics.kpis`),
``definitions`` (each KPI's formula in words) and ``texts`` (sheet texts, section
headings, chart titles, Audit labels). JSON because the standard library reads it on every
supported Python (``tomllib`` needs 3.11), a translator edits it in any text editor, and
there is no compile step (gettext's ``.mo``); ``tests/test_labels.py`` checks that every
file has every key.

A text may name a cut-off of the core as ``{promoter_min}`` (see :data:`TEXT_VALUES`), so
that a changed constant changes every text that states it, and a sheet as
``{sheet_inputs}`` (the name of that sheet in the text's language). Each file also holds
``sheets`` (the name of each sheet of a workbook) and ``glossary`` (the one term of each
concept in that language and the alternatives not to use, checked by
``tests/test_labels.py``). Four lookups: :func:`label` (a KPI's name or a sheet text),
:func:`definition`, :func:`source` and :func:`sheet_name`. The template generator, the
batch filler, the Audit and the PDF step all read them, so a report says the same thing
whichever tool wrote it.
"""

import json
from pathlib import Path

from csmetrics.kpis import KPI_BY_KEY
from csmetrics.report.selection import MAX_INPUT_ROWS
from csmetrics.satisfaction import (
    CES_SCALE_MAX,
    CSAT_SATISFIED_MIN,
    CSAT_SCALE_MAX,
    DETRACTOR_MAX,
    NPS_SCALE,
    PROMOTER_MIN,
)
from csmetrics.tables.annual import TRAILING_MONTHS

LANGUAGES = ("en", "fr", "ro")

TEXT_FOLDER = Path(__file__).parent / "texts"

TEXT_VALUES = {
    "nps_min": NPS_SCALE[0],
    "nps_max": NPS_SCALE[1],
    "promoter_min": PROMOTER_MIN,
    "detractor_max": DETRACTOR_MAX,
    "passive_min": DETRACTOR_MAX + 1,
    "passive_max": PROMOTER_MIN - 1,
    "csat_satisfied_min": CSAT_SATISFIED_MIN,
    "csat_max": CSAT_SCALE_MAX,
    "ces_max": CES_SCALE_MAX,
    "trailing_months": TRAILING_MONTHS,
    "max_input_rows": MAX_INPUT_ROWS,
}
"""The core's constants a text may state, by placeholder name."""

REPORT_VALUES = ("month", "answers", "nps", "moe", "min_answers", "title", "change",
                 "percent", "mrr", "value", "drivers", "name", "amount", "first", "last",
                 "second", "kpis", "customer", "rows", "limit", "why")
"""Placeholders a text keeps for the filler or the generator to fill (the month of a note,
a sample's size, the template's title, the figures of the written summary)."""

ARTICLES = {
    "000": ("«\u00a0Les mesures de rétention des clients\u00a0» (question-réponse, fr)",
            "000_0c79c2fa2999ceec.txt"),
    "001": ("„Ce valori de succes a clienților ar trebui să utilizați?” (ro, 2022-10-08)",
            "001_49b1a93e70436f3f.txt"),
    "002": ("«\u00a0Comment calculer et booster le taux de fidélisation client\u00a0» "
            "(fr, 2017-11-17)", "002_c0f48d21e5ca0e40.txt"),
    "003": ("«\u00a07 indicateurs de réussite client que vous devriez suivre\u00a0» (fr)",
            "003_db9470315dd3107c.txt"),
    "004": ("«\u00a0Top 7 indicateurs de réussite client à surveiller pour la croissance "
            "de l'entreprise\u00a0» (fr)", "004_3066771bfbf04c08.txt"),
}
"""The source articles, cited by number in the Definitions sheets: each one's title (as
the article gives it, French spacing inside the guillemets) and its file in
``shared/seeds`` (``shared/METRICS.md`` cites them by that name)."""

SEEDS_FOLDER = "shared/seeds"
"""Where the files of :data:`ARTICLES` are, as the Definitions sheet names it."""

SHEET_KEYS = ("report", "inputs", "trend", "audit", "definitions", "start", "calc")
"""The sheets of a workbook, by the key :func:`sheet_name` takes: the report, the Inputs
tables, the monthly Trend, the filler's Audit, the Definitions, a live template's first
"Start here" sheet and its hidden Calc helpers."""


def load_texts(lang, folder=TEXT_FOLDER):
    """The texts of one language file, with the core's constants filled in.

    Examples
    --------
    >>> load_texts("fr")["texts"]["promoters"]
    'Promoteurs (9-10)'
    """
    raw = json.loads((folder / f"{lang}.json").read_text(encoding="utf-8"))
    values = dict(TEXT_VALUES, **{name: f"{{{name}}}" for name in REPORT_VALUES})
    values.update((f"sheet_{key}", name) for key, name in raw["sheets"].items())
    texts = {
        group: {key: text.format_map(values) for key, text in raw[group].items()}
        for group in ("kpi_names", "definitions", "texts")
    }
    return dict(texts, sheets=raw["sheets"], glossary=raw["glossary"])


_BY_LANGUAGE = {lang: load_texts(lang) for lang in LANGUAGES}


def _by_key(group):
    keys = dict.fromkeys(key for lang in LANGUAGES for key in _BY_LANGUAGE[lang][group])
    return {
        key: {lang: _BY_LANGUAGE[lang][group][key] for lang in LANGUAGES
              if key in _BY_LANGUAGE[lang][group]}
        for key in keys
    }


KPI_NAMES = _by_key("kpi_names")
"""Name of each KPI, by key then language."""

DEFINITIONS = _by_key("definitions")
"""Each KPI's formula in words, by key then language."""

TEXTS = _by_key("texts")
"""Sheet texts, by key then language."""

SHEET_NAMES = _by_key("sheets")
"""The name of each sheet (:data:`SHEET_KEYS`), by key then language."""

GLOSSARY = {lang: _BY_LANGUAGE[lang]["glossary"] for lang in LANGUAGES}
"""By language, each concept's term (``term``, its inflected ``forms``) and the
alternatives the texts must not use (``avoid``)."""

KPI_ARTICLES = {key: kpi.sources for key, kpi in KPI_BY_KEY.items() if kpi.sources}
"""The source articles of each KPI (catalogue field ``sources``); a KPI absent here is a
standard SaaS definition."""


class UnknownLabelError(KeyError):
    """A label or definition was asked for a key or a language that has none."""

    def __str__(self):
        return str(self.args[0])


def label(key, lang="en"):
    """Name of a KPI, or a sheet text, in ``lang``.

    Parameters
    ----------
    key : str
        A KPI key of :mod:`csmetrics.kpis` (``"crr"``) or a text key (``"report_month"``).
    lang : str, default "en"
        One of :data:`LANGUAGES`.

    Returns
    -------
    str

    Raises
    ------
    UnknownLabelError
        A ``KeyError`` naming the unknown language or key.

    Examples
    --------
    >>> label("crr", "fr")
    'Taux de rétention client'
    >>> label("report_month", "ro")
    'Luna raportului'
    >>> label("crr", "de")
    Traceback (most recent call last):
    ...
    csmetrics.report.labels.UnknownLabelError: unknown language 'de': use one of en, fr, ro
    """
    _check_language(lang)
    if key in KPI_NAMES:
        return KPI_NAMES[key][lang]
    if key in TEXTS:
        return TEXTS[key][lang]
    raise UnknownLabelError(f"no label for key {key!r}: not a KPI key nor a report text")


def definition(key, lang="en"):
    """A KPI's formula in words, in ``lang``.

    Examples
    --------
    >>> definition("arpa", "fr")
    'MRR en fin de mois / clients en fin de mois.'
    """
    _check_language(lang)
    if key not in DEFINITIONS:
        raise UnknownLabelError(f"no definition for key {key!r}: not a KPI key")
    return DEFINITIONS[key][lang]


def source(key, lang="en"):
    """Where a KPI's formula comes from: its source articles, or a standard definition.

    Examples
    --------
    >>> source("crr", "fr")
    'Articles 001, 002'
    >>> source("dso", "ro")
    'Articolul 000'
    >>> source("quick_ratio", "en")
    'Standard SaaS definition (no source article)'
    """
    _check_language(lang)
    if key not in DEFINITIONS:
        raise UnknownLabelError(f"no source for key {key!r}: not a KPI key")
    articles = KPI_ARTICLES.get(key)
    if not articles:
        return TEXTS["no_article"][lang]
    word = TEXTS["article" if len(articles) == 1 else "articles"][lang]
    return f"{word} {', '.join(articles)}"


def sheet_name(key, lang="en"):
    """The name of a workbook's sheet in ``lang``: the one lookup of every sheet name.

    Parameters
    ----------
    key : str
        One of :data:`SHEET_KEYS`.
    lang : str, default "en"
        One of :data:`LANGUAGES`.

    Examples
    --------
    >>> sheet_name("inputs", "fr"), sheet_name("audit", "ro"), sheet_name("report")
    ('Données', 'Verificare', 'Report')
    """
    _check_language(lang)
    if key not in SHEET_NAMES:
        raise UnknownLabelError(f"no sheet {key!r}: use one of {', '.join(SHEET_KEYS)}")
    return SHEET_NAMES[key][lang]


def sheet_names(key):
    """The names of a sheet in every language (a workbook of any language may be read).

    >>> sheet_names("trend")
    ('Trend', 'Tendance', 'Tendință')
    """
    return tuple(sheet_name(key, lang) for lang in LANGUAGES)


def sheet_reference(key, lang):
    """A sheet's name as a formula reads it, quoted: ``'Données'!``.

    >>> sheet_reference("start", "fr")
    "'Commencer ici'!"
    """
    return "'" + sheet_name(key, lang).replace("'", "''") + "'!"


def _check_language(lang):
    if lang not in LANGUAGES:
        raise UnknownLabelError(
            f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}"
        )

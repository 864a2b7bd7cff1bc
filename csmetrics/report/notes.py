"""Short notes that say why a figure is blank: "no CSAT answers in 2026-03".

A KPI whose table is missing, or whose denominator is zero in a month, is not an error:
the filler leaves its cell empty and writes one of these notes beside it (the ``Note``
column of the report) or on it (a comment on a Trend cell), greyed. The words are in the
translators' files (``texts``: ``no_<reason>``); which reason a KPI's blank has is in its
row of the KPI catalogue (:attr:`csmetrics.kpis.Kpi.blank_reason`).
"""

import math

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font

from csmetrics.kpis import KPIS
from csmetrics.report.labels import label

NOTE_FONT = Font(italic=True, size=9, color="808080")
"""The grey of a note."""

NOTE_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
"""A note wraps in its column: it never runs under a chart or off the printed page."""

REASON_OF = {kpi.key: kpi.blank_reason for kpi in KPIS}
"""The text key of why each KPI can be blank in a month (its catalogue row's
``blank_reason``); a key that is no KPI gets ``no_data``."""


SPEND_KEYS = frozenset({"sales_marketing_cost", "cac", "clv_cac", "cac_payback_months"})
"""KPIs the engine leaves out of a segment's rows when spend is not split by the
segmenting column (see :mod:`csmetrics.tables.economics`)."""


def no_data_note(key, month, lang, *, table_missing=False, segmented=False):
    """The note of a blank KPI in ``month`` (``table_missing``: the engine has no column
    for it; ``segmented``: in a segment's report).

    Examples
    --------
    >>> import pandas as pd
    >>> no_data_note("csat", pd.Period("2026-03", "M"), "en")
    'no CSAT answers in 2026-03'
    >>> no_data_note("quick_ratio", pd.Period("2026-03", "M"), "fr")
    'aucun MRR perdu en 2026-03'
    >>> no_data_note("clv_cac", pd.Period("2026-03", "M"), "en")
    'no data for 2026-03'
    >>> no_data_note("cac", pd.Period("2026-03", "M"), "en", table_missing=True, segmented=True)
    'spend is not split by segment'
    """
    if table_missing:
        reason = "no_spend_by_segment" if segmented and key in SPEND_KEYS else "no_table"
    else:
        reason = REASON_OF.get(key, "no_data")
    text = label(reason, lang)
    return text.format(month=month)


SMALL_SAMPLE = 30
"""NPS answers below which the report notes the margin of error: the normal approximation
behind it is loose under about 30 answers (:func:`csmetrics.nps_margin_of_error`)."""


def small_sample_note(answers, nps, moe, lang):
    """The note of an NPS from fewer than :data:`SMALL_SAMPLE` answers, or None.

    Examples
    --------
    >>> small_sample_note(12, 25.0, 41.234, "en")
    'only 12 answers: NPS 25.0 ± 41.2 (95 %); read it with care below 30 answers'
    >>> small_sample_note(12, 25.0, 41.234, "fr")[:44]
    'seulement 12 réponses\\xa0: NPS 25,0 ± 41,2 (95\\xa0'
    >>> small_sample_note(30, 25.0, 10.0, "en") is None
    True
    """
    if answers is None or nps is None or moe is None or answers >= SMALL_SAMPLE:
        return None
    if math.isnan(nps) or math.isnan(moe):
        return None
    comma = lang != "en"
    return label("nps_small_sample", lang).format(
        answers=int(answers), nps=_number(nps, comma), moe=_number(moe, comma),
        min_answers=SMALL_SAMPLE,
    )


def _number(value, comma):
    text = f"{value:.1f}"
    return text.replace(".", ",") if comma else text


def write_note(cell, text):
    """Write a greyed note into ``cell`` (as text)."""
    cell.value = str(text)
    cell.data_type = "s"
    cell.font = NOTE_FONT
    cell.alignment = NOTE_ALIGNMENT


def comment_note(cell, text):
    """Attach a note to a blank cell as a comment (the Trend sheet has no room beside)."""
    cell.comment = Comment(str(text), "csmetrics")

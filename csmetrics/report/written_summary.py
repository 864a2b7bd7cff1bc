"""The written summary at the top of the monthly KPI report: three to five sentences a
customer-success manager can paste into an e-mail.

It says how MRR moved in the month and its two largest drivers, which targets were met
and which missed, and the largest churned and expanded accounts, from the figures the
report shows (the engine's). The sentences are templates in the translators' files
(``texts``: ``summary_*``), filled with numbers written the language's way (Babel, CLDR:
``23,669`` in English, ``23 669`` in French, ``23.669`` in Romanian) and the reporting
currency when it is known; a sentence whose figures are missing is left out.
"""

import math

from babel.numbers import format_decimal

from csmetrics.kpis import KPI_BY_KEY
from csmetrics.report.labels import label
from csmetrics.report.layout import TOP_ROWS

DRIVERS = {"new": 1, "expansion": 1, "reactivation": 1, "contraction": -1, "churned": -1,
           "fx_impact": 1}
"""The MRR bridge's movements and their sign in the change of MRR (contraction and churn
are shown as amounts lost)."""

LOCALES = {"en": "en_US", "fr": "fr_FR", "ro": "ro_RO"}
"""The CLDR locale whose separators each report language writes numbers with."""

NBSP = "\u00a0"


def number_text(value, lang, pattern="#,##0"):
    """``value`` written as ``lang`` writes numbers (a no-break space between thousands in
    French, never the narrow one).

    >>> [number_text(-23669.37, lang) for lang in ("en", "fr", "ro")]
    ['-23,669', '-23\\xa0669', '-23.669']
    >>> number_text(2.934, "fr", "+0.0")
    '+2,9'
    """
    text = format_decimal(value, pattern, locale=LOCALES[lang])
    return text.replace("\u202f", NBSP).replace("\u2212", "-")


def amount_text(value, lang, currency=None, signed=False):
    """A sum of money in whole units, with its currency when known (``+`` before a gain
    when ``signed``).

    >>> amount_text(15838.2, "en", "EUR", signed=True), amount_text(-990, "ro")
    ('+15,838\xa0EUR', '-990')
    """
    text = number_text(value, lang, "+#,##0;-#,##0" if signed else "#,##0")
    return f"{text}{NBSP}{currency}" if currency else text


def _percent_text(share, lang):
    return label("summary_percent", lang).format(value=number_text(100 * share, lang,
                                                                   "+0.0;-0.0"))


def _names(keys, lang):
    """KPI names joined as a list is in ``lang``: ``a, b and c``."""
    names = [label(key, lang) for key in keys]
    if len(names) == 1:
        return names[0]
    return label("summary_and", lang).format(first=", ".join(names[:-1]), last=names[-1])


def _blank(value):
    return value is None or math.isnan(value)


def mrr_sentence(report, lang, currency=None):
    """How MRR moved in the month, and its two largest drivers; None without MRR."""
    end, start = report.metric("mrr_end"), report.metric("mrr_start")
    if _blank(end) or _blank(start):
        return None
    moves = {key: sign * report.metric(key) for key, sign in DRIVERS.items()
             if not _blank(report.metric(key)) and report.metric(key) != 0}
    largest = sorted(moves, key=lambda key: -abs(moves[key]))[:2]
    drivers = [label("summary_driver", lang).format(
        name=label(f"summary_driver_{key}", lang),
        amount=amount_text(moves[key], lang, currency, signed=True)) for key in largest]
    change = end - start
    if start == 0:
        key = "summary_mrr_first"
    elif round(change) == 0:
        key = "summary_mrr_flat"
    else:
        key = "summary_mrr_up" if change > 0 else "summary_mrr_down"
    text = label(key, lang).format(
        change=amount_text(abs(change), lang, currency), mrr=amount_text(end, lang, currency),
        percent=_percent_text(change / start, lang) if start else "", month=report.month)
    if drivers:
        joined = drivers[0] if len(drivers) == 1 else label("summary_and", lang).format(
            first=drivers[0], last=drivers[1])
        text = f"{text} {label('summary_drivers', lang).format(drivers=joined)}"
    return text


def target_sentences(report, lang):
    """The targets met and the targets missed, one sentence each (none without targets),
    each naming its KPIs in the report's order, whatever the order of the targets table's
    rows (a database returns them in its own)."""
    met, missed = [], []
    for key in sorted(report.targets, key=list(KPI_BY_KEY).index):
        target, value = report.targets[key], report.metric(key)
        direction = KPI_BY_KEY[key].direction
        if _blank(value) or not direction:
            continue
        good = value >= target if direction > 0 else value <= target
        (met if good else missed).append(key)
    return [label(text, lang).format(kpis=_names(keys, lang))
            for text, keys in (("summary_targets_met", met), ("summary_targets_missed", missed))
            if keys]


def account_sentence(report, lang, currency=None):
    """The month's largest churned account and largest expansion, in one sentence; None
    when it has neither."""
    parts = []
    for kind in ("churned", "expanded"):
        accounts = report.top_accounts(kind, TOP_ROWS)  # the report's list: computed once
        if accounts is not None and len(accounts):
            row = accounts.iloc[0]
            parts.append(label(f"summary_largest_{kind}", lang).format(
                customer=row["customer_id"],
                amount=amount_text(row["change"], lang, currency, signed=True)))
    if not parts:
        return None
    text = parts[0] if len(parts) == 1 else label("summary_then", lang).format(
        first=parts[0], second=parts[1])
    return text[0].upper() + text[1:] + "."


def written_summary(report, lang="en", currency=None):
    """The summary of a ``ReportData`` in ``lang``: its sentences joined by spaces.

    Examples
    --------
    >>> import pandas as pd
    >>> from csmetrics.report.selection import ReportData
    >>> month = pd.Period("2025-03", "M")
    >>> metrics = pd.DataFrame({"mrr_start": [1000.0], "mrr_end": [1100.0], "new": [150.0],
    ...     "expansion": [0.0], "reactivation": [0.0], "contraction": [10.0],
    ...     "churned": [40.0], "fx_impact": [0.0]}, index=[month])
    >>> report = ReportData(month, "All", metrics, {}, None, None)
    >>> text = written_summary(report, "en", "EUR").replace("\\xa0", " ")
    >>> print(text)  # doctest: +NORMALIZE_WHITESPACE
    MRR rose by 100 EUR (+10.0%) to 1,100 EUR in 2025-03. The largest movements were new
    customers (+150 EUR) and churn (-40 EUR).
    """
    sentences = [mrr_sentence(report, lang, currency), *target_sentences(report, lang),
                 account_sentence(report, lang, currency)]
    return " ".join(sentence for sentence in sentences if sentence)

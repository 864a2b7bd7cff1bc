"""Number formats with their units: money with its currency, days, months and "x".

The catalogue gives each kind of KPI its bare format (:data:`csmetrics.kpis.NUMBER_FORMATS`);
a report shows it with its unit, in the report's language: ``0.0" days"`` (``jours``,
``zile``) for a DSO, ``0.0" months"`` for a payback, ``0.00"x"`` for a ratio and, once the
reporting currency is known, ``#,##0.00" EUR"`` for money. The unit is a quoted literal
after each section of the format, which Excel and LibreOffice both show as written (a
currency *code*, not a locale's currency symbol, so a report reads the same on every
machine). Percentages keep ``%``; a change of a rate keeps ``pp``.

The templates carry the language's units; the filler adds the currency
(:func:`apply_currency`), which only the data knows.
"""

import re

import numpy as np

from csmetrics.kpis import (
    CHANGE_FORMATS,
    DAYS,
    KPI_BY_KEY,
    MONEY,
    MONTHS,
    NUMBER_FORMATS,
    RATIO,
)
from csmetrics.report.cells import held_cells, named_cells, write_text
from csmetrics.report.labels import label

UNIT_TEXTS = {DAYS: "unit_days", MONTHS: "unit_months", RATIO: "unit_ratio"}
"""The text key of each kind's unit word (``texts/<lang>.json``)."""

GLUED = frozenset({RATIO})
"""Kinds whose unit follows the number without a space: ``3.25x``."""

WHOLE_MONEY = "#,##0;-#,##0"
"""Money in whole units (the headline strip, the Trend sheet, chart axes: no ``.00``). It
shows as ``#,##0`` does, written with its negative section so that it is never taken for a
count's format: the filler finds the money cells by their format (:func:`apply_currency`)."""

WHOLE_MONEY_CHANGE = "+#,##0;-#,##0;0;@"
"""A change of money in whole units (the headline strip), signed; its text section ``@``
(text shown as it is, as without one) tells it apart from a count's change."""

AXIS_FORMATS = {MONEY: WHOLE_MONEY, RATIO: "0.0"}
"""Chart value axes: whole money amounts, ratios to a tenth."""

MONTH_AXIS_FORMAT = "mm/yy"
"""Month labels of a chart's category axis, short enough for one line under each of 12
months (``01/25``) in every language: a month name (``mmm yy``: ``janv. 25``, ``sept. 25``)
wraps in LibreOffice at a readable size. The ``/`` is the reader's date separator."""

CURRENCY_CODE = re.compile(r"[A-Z]{3}")
"""An ISO 4217 alphabetic code: three capital letters."""


def unit_text(kind, lang="en", currency=None):
    """The unit a value of ``kind`` is shown with, or None (counts, scores, percentages).

    >>> unit_text("days", "fr"), unit_text("ratio"), unit_text("money", currency="EUR")
    ('jours', 'x', 'EUR')
    >>> unit_text("money") is None and unit_text("percent") is None
    True
    """
    if kind == MONEY:
        return currency
    if kind in UNIT_TEXTS:
        return label(UNIT_TEXTS[kind], lang)
    return None


def with_unit(number_format, unit, glued=False):
    """``number_format`` with ``unit`` as a quoted literal after each of its sections.

    >>> with_unit("+#,##0;-#,##0;0", "EUR")
    '+#,##0" EUR";-#,##0" EUR";0" EUR"'
    >>> with_unit("0.00", "x", glued=True), with_unit("0.0", None)
    ('0.00"x"', '0.0')
    >>> with_unit("+#,##0;-#,##0;0;@", "RON")  # the text section stays as it is
    '+#,##0" RON";-#,##0" RON";0" RON";@'
    """
    if not unit:
        return number_format
    if '"' in unit:
        raise ValueError(f"a unit cannot hold a double quote: {unit!r}")
    literal = f'"{unit}"' if glued else f'" {unit}"'
    return ";".join(section if section == "@" else section + literal
                    for section in number_format.split(";"))


def number_format(kind, lang="en", currency=None):
    """The format of a value of ``kind`` in a report of ``lang`` (and currency).

    >>> number_format("days", "ro"), number_format("money", "en", "EUR")
    ('0.0" zile"', '#,##0.00" EUR"')
    """
    return with_unit(NUMBER_FORMATS[kind], unit_text(kind, lang, currency), kind in GLUED)


def whole_format(kind, lang="en", currency=None):
    """The format of a value in the headline strip and the Trend sheet: money in whole
    units, else as in the KPI block.

    >>> whole_format("money", currency="EUR"), whole_format("percent")
    ('#,##0" EUR";-#,##0" EUR"', '0.0%')
    """
    if kind == MONEY:
        return with_unit(WHOLE_MONEY, currency)
    return number_format(kind, lang, currency)


def whole_change_format(kind, lang="en", currency=None):
    """The format of a change in the headline strip: money in whole units, else as in the
    KPI block.

    >>> whole_change_format("money"), whole_change_format("percent")
    ('+#,##0;-#,##0;0;@', '+0.0" pp";-0.0" pp";0.0" pp"')
    """
    if kind == MONEY:
        return with_unit(WHOLE_MONEY_CHANGE, currency)
    return change_format(kind, lang, currency)


def change_format(kind, lang="en", currency=None):
    """The format of a month-on-month change of ``kind`` (signed, rates in pp).

    >>> change_format("months", "fr")
    '+0.0" mois";-0.0" mois";0.0" mois"'
    >>> change_format("percent", "fr")
    '+0.0" pp";-0.0" pp";0.0" pp"'
    """
    return with_unit(CHANGE_FORMATS[kind], unit_text(kind, lang, currency), kind in GLUED)


def axis_format(kind, lang="en", currency=None):
    """The format of a chart's value axis showing values of ``kind``.

    >>> axis_format("money", currency="RON"), axis_format("ratio")
    ('#,##0" RON";-#,##0" RON"', '0.0"x"')
    """
    return with_unit(AXIS_FORMATS[kind], unit_text(kind, lang, currency), kind in GLUED)


def check_currency(code, where="--currency"):
    """``code`` as an upper-case ISO 4217 code; a ValueError naming ``where`` if it is not.

    >>> check_currency(" eur ")
    'EUR'
    >>> check_currency("euro")
    Traceback (most recent call last):
    ...
    ValueError: --currency: 'euro' is not a three-letter currency code such as EUR or RON
    """
    text = str(code).strip().upper()
    if not CURRENCY_CODE.fullmatch(text):
        raise ValueError(
            f"{where}: {code!r} is not a three-letter currency code such as EUR or RON")
    return text


CONVERTED_CENTS = 0.005
"""An ``mrr_native`` amount further than this from ``mrr`` is a converted one."""


def data_currency(mrr):
    """The one currency the ``mrr`` table's amounts are in, when the table says so; or None.

    The table says so with a ``currency`` column holding the same code on every row, whose
    amounts are not converted (no ``mrr_native`` column, or one equal to ``mrr``): a billing
    import's table in several currencies holds each customer's own currency there, not the
    reporting one.

    Examples
    --------
    >>> import pandas as pd
    >>> data_currency(pd.DataFrame({"mrr": [10.0, 12.0], "currency": ["ron", "RON"]}))
    'RON'
    >>> data_currency(pd.DataFrame({"mrr": [10.0, 12.0], "currency": ["EUR", "USD"]})) is None
    True
    >>> converted = pd.DataFrame({"mrr": [9.2], "currency": ["USD"], "mrr_native": [10.0]})
    >>> data_currency(converted) is None and data_currency(None) is None
    True
    """
    if mrr is None or "currency" not in mrr.columns or mrr.empty:
        return None
    codes = mrr["currency"].astype("string").str.strip().str.upper()
    if codes.isna().any() or codes.nunique() != 1:
        return None
    if "mrr_native" in mrr.columns and not np.allclose(
        mrr["mrr"].to_numpy(float), mrr["mrr_native"].to_numpy(float), rtol=0, atol=CONVERTED_CENTS
    ):
        return None
    return check_currency(codes.iloc[0], "the mrr table's currency column")


def reporting_currency(mrr, asked=None):
    """The currency a report shows money in: ``asked`` (``--currency``), else the ``mrr``
    table's own (:func:`data_currency`); None when neither says. A ValueError when the
    two disagree.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"mrr": [10.0], "currency": ["EUR"]})
    >>> reporting_currency(table), reporting_currency(None, "ron"), reporting_currency(None)
    ('EUR', 'RON', None)
    >>> reporting_currency(table, "USD")
    Traceback (most recent call last):
    ...
    ValueError: --currency USD: the mrr table's currency column says its amounts are in EUR
    """
    return chosen_currency(data_currency(mrr), asked)


def chosen_currency(found, asked=None):
    """``asked`` (``--currency``) checked against ``found``, the currency the mrr table's
    column says (None: it says none); ``found`` when nothing is asked.

    >>> chosen_currency("EUR"), chosen_currency(None, "ron")
    ('EUR', 'RON')
    """
    if asked is None:
        return found
    asked = check_currency(asked)
    if found is not None and found != asked:
        raise ValueError(f"--currency {asked}: the mrr table's currency column says its "
                         f"amounts are in {found}")
    return asked


def currency_formats(lang, currency):
    """``{format without the currency: format with it}`` for every money format a
    template uses: values and changes, and in whole units (headline, Trend, chart axes).

    >>> currency_formats("en", "EUR")["+#,##0.00;-#,##0.00;0.00"]
    '+#,##0.00" EUR";-#,##0.00" EUR";0.00" EUR"'
    """
    return {
        build(MONEY, lang): build(MONEY, lang, currency)
        for build in (number_format, change_format, whole_format, whole_change_format)
    }


def apply_currency(workbook, currency, lang="en", extra_sheets=()):
    """Show money in ``currency``; nothing is done when it is None.

    On the sheets of the ``kpi_`` and ``prior_`` cells (the Report) and on ``extra_sheets``
    (the Audit), each cell formatted as money gets the currency in its format; on the sheet
    of the ``trend_`` columns, a 12-month table in whole units, the header of each money
    column names it (``MRR at end of month (EUR)``) and the cells stay narrow; on all of
    them each chart value axis in money gets it. Values and names are unchanged.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> from openpyxl.workbook.defined_name import DefinedName
    >>> wb = Workbook()
    >>> wb.active.title = "Report"
    >>> wb.defined_names["kpi_arr"] = DefinedName("kpi_arr", attr_text="Report!$B$2")
    >>> wb.defined_names["trend_arr"] = DefinedName("trend_arr", attr_text="Report!$D$2:$D$3")
    >>> wb.active["B2"], wb.active["B3"], wb.active["D1"] = 1200.0, 0.5, "ARR"
    >>> wb.active["B2"].number_format = "#,##0.00"
    >>> wb.active["B3"].number_format = "0.0%"
    >>> apply_currency(wb, "EUR")
    >>> wb.active["B2"].number_format, wb.active["B2"].value, wb.active["B3"].number_format
    ('#,##0.00" EUR"', 1200.0, '0.0%')
    >>> wb.active["D1"].value
    'ARR (EUR)'
    """
    if currency is None:
        return
    formats = currency_formats(lang, currency)
    report_sheets, chart_sheets = list(extra_sheets), set(extra_sheets)
    for name in workbook.defined_names:
        if not name.startswith(("kpi_", "prior_", "trend_")):
            continue
        first = named_cells(workbook, name)[0]
        chart_sheets.add(first.parent)
        if not name.startswith("trend_"):
            report_sheets.append(first.parent)
        elif name[6:] in KPI_BY_KEY and KPI_BY_KEY[name[6:]].kind == MONEY:
            header = first.parent.cell(first.row - 1, first.column)
            write_text(header, f"{header.value} ({currency})")
    for sheet in dict.fromkeys(report_sheets):
        for cell in held_cells(sheet):
            if cell.number_format in formats:
                cell.number_format = formats[cell.number_format]
    for sheet in chart_sheets:
        for chart in sheet._charts:
            axis = chart.y_axis.numFmt
            if axis is not None and axis.formatCode in formats:
                axis.formatCode = formats[axis.formatCode]

"""Charts with nothing to show say so.

A chart whose every plotted value is blank or zero (no MRR movement in the month, no NPS
answer) would show an empty frame, and a spreadsheet scales an axis of zeros from 0 to 1,
labelling it ``1 EUR`` twice in whole units. The filler gives such a chart a title that
says there is nothing to show for the month (``chart_nothing_to_show`` in the texts files)
and hides its value axis.
"""

from openpyxl.utils.cell import range_to_tuple

from csmetrics.report.labels import label


def plotted_values(workbook, chart):
    """The values of a chart's series (its first plot's), as the cells hold them."""
    values = []
    for series in chart.series:
        reference = series.val.numRef.f if series.val and series.val.numRef else None
        if reference is None:
            continue
        sheet, (min_col, min_row, max_col, max_row) = range_to_tuple(reference)
        values += [cell.value for row in workbook[sheet].iter_rows(min_row, max_row, min_col,
                                                                    max_col) for cell in row]
    return values


def has_nothing_to_show(values):
    """True when every value is blank or zero (a formula counts as something to show).

    >>> has_nothing_to_show([None, 0.0, 0]), has_nothing_to_show([0.0, "=B7"])
    (True, False)
    """
    return all(value is None or (isinstance(value, int | float) and value == 0)
               for value in values)


def title_text(chart):
    """The text of a chart's title, as the template wrote it ("" without one)."""
    if chart.title is None or chart.title.tx is None or chart.title.tx.rich is None:
        return ""
    return "".join(run.t for paragraph in chart.title.tx.rich.p for run in paragraph.r or ())


def mark_empty_charts(workbook, month, lang="en"):
    """Retitle every chart of ``workbook`` with nothing to show for ``month`` and hide its
    value axis; return the titles it changed.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> from openpyxl.chart import BarChart, Reference
    >>> wb = Workbook()
    >>> wb.active.append([0.0])
    >>> chart = BarChart()
    >>> chart.title = "MRR movements of the month"
    >>> chart.add_data(Reference(wb.active, min_col=1, min_row=1, max_row=1))
    >>> wb.active.add_chart(chart, "C3")
    >>> mark_empty_charts(wb, "2025-02")
    ['MRR movements of the month: nothing to show for 2025-02']
    >>> chart.y_axis.delete
    True
    """
    changed = []
    for ws in workbook.worksheets:
        for chart in ws._charts:
            if chart.series and has_nothing_to_show(plotted_values(workbook, chart)):
                chart.title = label("chart_nothing_to_show", lang).format(
                    title=title_text(chart), month=month)
                chart.y_axis.delete = True
                changed.append(title_text(chart))
    return changed

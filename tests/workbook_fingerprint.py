"""A comparable description of a workbook: what a reader of the template sees and relies on.

Two workbooks with equal fingerprints have the same sheets, cell values and formulas
(array formulas with their ranges), number formats and visible styles, defined names,
tables, merged cells, widths, frozen panes, print set-up, conditional formats and charts.
Timestamps and zip details are left out, so a saved file compares equal to the workbook it
was generated from, and any hand edit of a committed template shows.
"""

from openpyxl.worksheet.formula import ArrayFormula


def fingerprint(wb):
    """Return a nested dict/tuple structure describing ``wb`` (see the module docstring)."""
    return {
        "sheets": tuple(wb.sheetnames),
        "active": wb.active.title,
        "names": {name: dn.attr_text for name, dn in wb.defined_names.items()},
        **{f"sheet {ws.title}": _sheet(ws) for ws in wb.worksheets},
    }


def _value(value):
    if isinstance(value, ArrayFormula):
        return ("array", value.ref, value.text)
    return (type(value).__name__, value)


def _style(cell):
    font, fill, align = cell.font, cell.fill, cell.alignment
    return (
        cell.number_format,
        bool(font.b),
        bool(font.i),
        font.sz,
        font.color.rgb if font.color is not None else None,
        fill.fill_type,
        fill.fgColor.rgb if fill.fill_type else None,
        align.horizontal,
        bool(align.wrap_text),
        cell.border.bottom.style,
    )


def _sheet(ws):
    cells = {
        cell.coordinate: (_value(cell.value), _style(cell))
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None or cell.has_style
    }
    setup = ws.page_setup
    return {
        "cells": cells,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth},
        "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
        "freeze": ws.freeze_panes,
        "print": (
            setup.orientation,
            setup.paperSize,
            setup.fitToWidth,
            setup.fitToHeight,
            ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
        ),
        "tables": {
            table.displayName: (
                table.ref,
                table.tableStyleInfo.name,
                [column.name for column in table.tableColumns],
            )
            for table in ws.tables.values()
        },
        "conditional": sorted(
            (str(cf.sqref), tuple(_rule(rule) for rule in cf.rules))
            for cf in ws.conditional_formatting
        ),
        "validations": sorted(str(dv.sqref) for dv in ws.data_validations.dataValidation),
        "charts": [_chart(chart) for chart in ws._charts],
    }


def _rule(rule):
    scale = rule.colorScale
    if scale is None:
        return (rule.type, tuple(rule.formula or ()))
    return (
        rule.type,
        tuple((v.type, v.val) for v in scale.cfvo),
        tuple(c.rgb for c in scale.color),
    )


def _chart(chart):
    anchor = chart.anchor._from
    return (
        type(chart).__name__,
        (anchor.col, anchor.row),
        _title(chart.title),
        tuple(_chart_part(part) for part in [chart, *getattr(chart, "_charts", [])[1:]]),
    )


def _title(title):
    if title is None or title.tx is None or title.tx.rich is None:
        return None
    return "".join(run.t for paragraph in title.tx.rich.p for run in (paragraph.r or ()))


def _chart_part(chart):
    return (
        type(chart).__name__,
        tuple(
            (
                series.val.numRef.f if series.val is not None else None,
                _reference(series.cat),
                series.tx.strRef.f if series.tx is not None and series.tx.strRef else None,
            )
            for series in chart.series
        ),
    )


def _reference(data):
    if data is None:
        return None
    ref = data.numRef or data.strRef
    return ref.f if ref is not None else None

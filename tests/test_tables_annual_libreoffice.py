"""The year figures against LibreOffice Calc computing them with native formulas.

The sample's MRR rows of the months checked (each month, the month before and the month a
year earlier) go to sheet ``rows``: customer, month (a date), MRR, then two formula columns
per row: the customer's MRR 12 months later (``SUMIFS`` over the rows of that month) and
that MRR capped at the row's. Sheet ``checks`` computes each month's figures from them,
from the definitions in ``../shared/API.md``, not from the Python code:

    ARR          = 12 x SUMIFS(mrr, month, M)
    net new MRR  = SUMIFS(mrr, month, M) - SUMIFS(mrr, month, M - 1)
    YoY growth   = SUMIFS(mrr, month, M) / SUMIFS(mrr, month, M - 12) - 1
    NRR 12m      = SUMIFS(later, month, M - 12, mrr, ">0") / SUMIFS(mrr, month, M - 12)
    GRR 12m      = SUMIFS(capped, month, M - 12) / SUMIFS(mrr, month, M - 12)
    logo ret. 12m= COUNTIFS(month, M - 12, mrr, ">0", later, ">0")
                   / COUNTIFS(month, M - 12, mrr, ">0")

(``later`` is the MRR 12 months later, ``capped`` the smaller of it and the row's MRR.) The
sample has rows holding zero MRR: a customer at zero 12 months earlier is not in the cohort,
even when it pays now (the first version of these formulas counted it, and this test caught
the difference).

A month without a month 12 months earlier in the data gives ``#DIV/0!`` there and NaN in
the engine.
"""

import math

import pandas as pd
import pytest
from libreoffice import recalculate, requires_libreoffice
from openpyxl import Workbook, load_workbook

from csmetrics import load_data, monthly_metrics, sample_data_path

pytestmark = requires_libreoffice

MONTHS = ("2024-08", "2025-01", "2025-06", "2025-12")
FIGURES = {
    "arr": "=12*SUMIFS(rows!$C:$C,rows!$B:$B,$A{r})",
    "net_new_mrr": "=SUMIFS(rows!$C:$C,rows!$B:$B,$A{r})-SUMIFS(rows!$C:$C,rows!$B:$B,"
                   "EDATE($A{r},-1))",
    "mrr_growth_yoy": "=SUMIFS(rows!$C:$C,rows!$B:$B,$A{r})/SUMIFS(rows!$C:$C,rows!$B:$B,"
                      "EDATE($A{r},-12))-1",
    "nrr_12m": '=SUMIFS(rows!$D:$D,rows!$B:$B,EDATE($A{r},-12),rows!$C:$C,">0")'
               "/SUMIFS(rows!$C:$C,rows!$B:$B,EDATE($A{r},-12))",
    "grr_12m": "=SUMIFS(rows!$E:$E,rows!$B:$B,EDATE($A{r},-12))"
               "/SUMIFS(rows!$C:$C,rows!$B:$B,EDATE($A{r},-12))",
    "logo_retention_12m": '=COUNTIFS(rows!$B:$B,EDATE($A{r},-12),rows!$C:$C,">0",rows!$D:$D,">0")'
                          '/COUNTIFS(rows!$B:$B,EDATE($A{r},-12),rows!$C:$C,">0")',
}


def checked_months():
    months = [pd.Period(m, "M") for m in MONTHS]
    return months, {m - lag for m in months for lag in (0, 1, 12)}


@pytest.fixture(scope="module")
def calc(tmp_path_factory):
    """The ``checks`` sheet as LibreOffice computed it: {month: {figure: value}}."""
    months, needed = checked_months()
    mrr = load_data(sample_data_path()).mrr
    rows = mrr.loc[mrr["month"].isin(needed)]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "rows"
    sheet.append(["customer_id", "month", "mrr", "mrr_12m_later", "capped"])
    for r, (customer, month, amount) in enumerate(
        zip(rows["customer_id"], rows["month"], rows["mrr"], strict=True), start=2
    ):
        sheet.append([
            customer, month.start_time.date(), float(amount),
            f"=SUMIFS($C:$C,$A:$A,$A{r},$B:$B,EDATE($B{r},12))", f"=MIN($C{r},$D{r})",
        ])
    checks = workbook.create_sheet("checks")
    checks.append(["month", *FIGURES])
    for r, month in enumerate(months, start=2):
        checks.append([month.start_time.date(), *(f.format(r=r) for f in FIGURES.values())])
    folder = tmp_path_factory.mktemp("annual_lo")
    workbook.save(folder / "annual.xlsx")
    (copy,) = recalculate([folder / "annual.xlsx"], folder / "out")
    values = load_workbook(copy, data_only=True)["checks"]
    return {
        str(month): dict(zip(FIGURES, [c.value for c in values[r][1:]], strict=True))
        for r, month in enumerate(months, start=2)
    }


@pytest.fixture(scope="module")
def engine():
    return monthly_metrics(sample_data_path()).set_index("month")


@pytest.mark.parametrize("month", MONTHS[1:])
@pytest.mark.parametrize("figure", list(FIGURES))
def test_engine_matches_native_formulas(calc, engine, month, figure):
    got = engine.at[pd.Period(month, "M"), figure]
    assert isinstance(calc[month][figure], float | int), calc[month][figure]
    assert got == pytest.approx(calc[month][figure], rel=1e-9, abs=1e-9)


def test_a_month_without_its_year_earlier_is_blank_in_both(calc, engine):
    row = engine.loc[pd.Period(MONTHS[0], "M")]
    for figure in ("mrr_growth_yoy", "nrr_12m", "grr_12m", "logo_retention_12m"):
        assert calc[MONTHS[0]][figure] == "#DIV/0!"
        assert math.isnan(row[figure])
    assert row["arr"] == pytest.approx(calc[MONTHS[0]]["arr"], rel=1e-12)

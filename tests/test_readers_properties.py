"""Property: random tables written the way each locale's Excel writes CSV (code page, ``;``,
decimal comma, thousands separators, day-first dates, CRLF) read back with that locale give
the same Dataset as the plain file; read without a locale they give the same Dataset or an
error naming a value of the file, never other numbers."""

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from excel_csv import EXCEL, write_excel_csv
from hypothesis import given, settings
from hypothesis import strategies as st

from csmetrics import DataError, load_data

TEXT = st.text(alphabet="ABCxyzé0123456789 ;,\"'-/", min_size=1, max_size=8).map(str.strip)
MONTHS = st.integers(min_value=0, max_value=12 * 40).map(
    lambda n: pd.Period("1990-01", "M") + n)
CENTS = st.integers(min_value=0, max_value=10**11)  # up to a billion, to the cent


@st.composite
def mrr_tables(draw):
    keys = draw(st.lists(st.tuples(TEXT.filter(bool), MONTHS), min_size=1, max_size=12,
                         unique=True))
    return pd.DataFrame({
        "customer_id": [customer for customer, _ in keys],
        "month": [month for _, month in keys],
        "mrr": [draw(CENTS) / 100 for _ in keys],
        "segment": [draw(TEXT.filter(bool)) for _ in keys],
    })


@st.composite
def excel_files(draw):
    locale = draw(st.sampled_from(sorted(EXCEL)))
    group = draw(st.sampled_from([" ", "\u00a0"])) if locale == "fr" else None
    return locale, {"grouped": draw(st.booleans()), "group": group, "utf8": draw(st.booleans())}


def written(frame, locale, options):
    folder = Path(tempfile.mkdtemp())
    write_excel_csv(folder / "mrr.csv", frame, locale, **options)
    return folder


def rows(frame):
    """The table's rows as (customer_id, month as YYYY-MM, mrr, segment), sorted: the drawn
    table itself is the reference, not another reading of a file."""
    return sorted(zip(frame["customer_id"], frame["month"].astype(str), frame["mrr"],
                      frame["segment"], strict=True))


@settings(max_examples=60)
@given(mrr_tables(), excel_files())
def test_excel_csv_reads_back_the_same_with_its_locale(frame, excel):
    locale, options = excel
    read = load_data(written(frame, locale, options), locale=locale).mrr
    assert rows(read) == rows(frame)


@settings(max_examples=60)
@given(mrr_tables(), excel_files())
def test_without_a_locale_the_same_or_an_error_naming_a_value(frame, excel):
    locale, options = excel
    folder = written(frame, locale, options)
    try:
        read = load_data(folder).mrr
    except DataError as problem:
        text = (folder / "mrr.csv").read_bytes()
        named = str(problem).split("'")[1::2]
        assert "reads two ways" in str(problem) or "code page" in str(problem) or (
            "written as --locale" in str(problem)), str(problem)
        assert "code page" in str(problem) or any(
            value.encode("utf-8") in text or value.encode(EXCEL[locale].code_page, "replace")
            in text for value in named), str(problem)
    else:
        assert rows(read) == rows(frame)


@settings(max_examples=60)
@given(mrr_tables(), excel_files())
def test_without_a_locale_an_unambiguous_file_reads_as_written(frame, excel):
    """Months as ``YYYY-MM`` text and amounts without thousands separators (at most two
    decimals: never a ``1.250`` that reads two ways) leave nothing to guess, in any of the
    locales' separators and decimal marks. Such a file reads without a locale, as the
    drawn table, unless it is saved in a code page with a byte outside ASCII: then the
    error names the code page. A reader that refused every file fails here."""
    locale, options = excel
    folder = Path(tempfile.mkdtemp())
    write_excel_csv(folder / "mrr.csv", frame.assign(month=frame["month"].astype(str)),
                    locale, **(options | {"grouped": False}))
    data = (folder / "mrr.csv").read_bytes()
    if options["utf8"] or data.isascii():
        assert rows(load_data(folder).mrr) == rows(frame)
    else:
        with pytest.raises(DataError, match="is not UTF-8 text: .* pass the locale"):
            load_data(folder)

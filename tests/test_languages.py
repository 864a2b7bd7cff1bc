"""Three languages done properly (issue 11, item 7): sheet names, one term per concept,
French typography, sources cited by title and file, ASCII file names.

The glossary and the sheet names are the translators' (``texts/<lang>.json``); these tests
hold every text to them. French typography follows the *Lexique des règles typographiques
en usage à l'Imprimerie nationale* as summarised at
https://sophieviguiercorrectrice.com/pages/mes-orthotrucs/ponctuation/ponctuation-et-espaces.html
(a no-break space before ``:`` ``;`` ``?`` ``!``, inside ``« »``) and
https://agentmajeur.fr/ponctuation/ (a space before ``%``), and a decimal comma. The
Lexique asks for a narrow no-break space before ``; ? !``; the texts use U+00A0 before all
of them, one character a translator can type and every spreadsheet font has.
"""

import ast
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from shared_folder import shared_folder

from csmetrics.kpis import KPI_BY_KEY
from csmetrics.report.batch import report_filename
from csmetrics.report.labels import (
    ARTICLES,
    DEFINITIONS,
    GLOSSARY,
    KPI_ARTICLES,
    KPI_NAMES,
    LANGUAGES,
    SEEDS_FOLDER,
    SHEET_KEYS,
    TEXTS,
    UnknownLabelError,
    label,
    sheet_name,
    sheet_names,
)
from csmetrics.report.selection import ALL_SEGMENTS
from csmetrics.tables.movements import MOVEMENTS
from workbook_templates import TEMPLATE_NAMES, template_path

ROOT = Path(__file__).resolve().parents[1]
NBSP = "\u00a0"

CONCEPT_KEYS = {
    "retention": ("crr", "grr", "nrr", "nrr_12m", "grr_12m", "logo_retention_12m",
                  "title_cohort_retention", "section_revenue_retention"),
    "churn": ("logo_churn", "gross_mrr_churn", "net_mrr_churn", "mrr_churn", "logo_churn_12m",
              "ltv_12m"),
    "clv": ("ltv", "ltv_12m", "clv_cac", "title_unit_economics", "chart_clv_cac"),
    "audit": ("audit_title",),
}
"""The texts that name each concept of the glossary: each must use the language's term."""


def texts_of(lang):
    """``{key: text}`` of every KPI name, definition and sheet text in ``lang``."""
    return {
        **{f"definition:{k}": v[lang] for k, v in DEFINITIONS.items()},
        **{k: v[lang] for k, v in TEXTS.items()},
        **{k: v[lang] for k, v in KPI_NAMES.items()},
    }


def words(text):
    return set(re.findall(r"\w+", text.casefold()))


# --- sheet names ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sheet_names_are_valid_distinct_and_translated(lang):
    names = [sheet_name(key, lang) for key in SHEET_KEYS]
    for name in names:
        assert 0 < len(name) <= 31, name
        assert not set(name) & set("[]:*?/\\") and not name.startswith("'"), name
    assert len({n.casefold() for n in names}) == len(names)
    if lang != "en":
        assert not set(names) & set(sheet_name(key) for key in SHEET_KEYS)


def test_sheet_names_as_the_issue_gives_them():
    assert [sheet_name(k, "fr") for k in SHEET_KEYS[:6]] == [
        "Rapport", "Données", "Tendance", "Contrôle", "Définitions", "Commencer ici"]
    assert [sheet_name(k, "ro") for k in SHEET_KEYS[:6]] == [
        "Raport", "Date", "Tendință", "Verificare", "Definiții", "Începeți aici"]
    with pytest.raises(UnknownLabelError, match="no sheet 'Report': use one of report"):
        sheet_name("Report", "fr")


def _code_strings():
    """(file, line, text) of every string constant of csmetrics/ and workbook_templates/
    that is not a docstring (f-strings by their literal parts)."""
    for folder in ("csmetrics", "workbook_templates"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {
                id(node.body[0].value) for node in ast.walk(tree)
                if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                and node.body and isinstance(node.body[0], ast.Expr)
            }
            docstrings |= {id(node.value) for node in ast.walk(tree)
                           if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
            for node in ast.walk(tree):
                if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                        and id(node) not in docstrings):
                    yield path.relative_to(ROOT), node.lineno, node.value


def test_no_sheet_name_is_written_in_the_code():
    """Every sheet is found through ``sheet_name``: no ``"Report"``, ``"Calc!"`` or
    ``"'Audit'!"`` literal is left for a translated workbook to miss."""
    names = {name for key in SHEET_KEYS for name in sheet_names(key)}
    reference = re.compile("|".join(rf"(?<![\w.])'?{re.escape(n)}'?!" for n in names))
    found = [(str(path), line, text) for path, line, text in _code_strings()
             if text in names or reference.search(text)]
    assert found == []


@pytest.mark.parametrize("lang", ["fr", "ro"])
def test_texts_name_the_sheets_of_their_own_language(lang):
    english = [sheet_name(key) for key in SHEET_KEYS]
    for key, text in texts_of(lang).items():
        assert not [n for n in english if re.search(rf"\b{re.escape(n)}\b", text)], (key, text)
    assert f"{sheet_name('report', lang)}!B2" in label("start_what", lang)
    assert sheet_name("inputs", lang) in label("filled_note", lang)
    assert sheet_name("audit", lang) in label("filled_note", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_committed_templates_have_their_language_s_sheets_and_references(lang):
    names = {sheet_name(key, lang) for key in SHEET_KEYS}
    for name in TEMPLATE_NAMES:
        wb = load_workbook(template_path(name, lang))
        assert set(wb.sheetnames) <= names, (name, wb.sheetnames)
        for defined in wb.defined_names.values():
            sheets = {sheet for sheet, _ in defined.destinations}
            assert sheets <= names, (name, defined.name, defined.value)


# --- the words the Audit and the report show ----------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_audit_words_and_movements_are_distinct_in_each_language(lang):
    statuses = [label(k, lang) for k in ("audit_pass", "audit_fail", "audit_ok",
                                         "audit_not_applicable")]
    assert len(set(statuses[1:])) == 3, "a row status must not read as another"
    for word in statuses + [label(f"movement_{code}", lang) for code in MOVEMENTS]:
        assert not set(word) & set("*?~") and not word.startswith(("<", ">", "=")), (
            f"{word!r} would be read by COUNTIF/SUMIFS as a wildcard or an operator")
    movements = [label(f"movement_{code}", lang) for code in MOVEMENTS]
    assert len({m.casefold() for m in movements}) == len(MOVEMENTS)
    assert label("audit_pass", lang) in label("audit_intro", lang)


@pytest.mark.parametrize("lang", ["fr", "ro"])
def test_french_and_romanian_show_no_english_word(lang):
    for key in ("audit_pass", "audit_fail", "movement_new", "movement_churned", "all_segments",
                "movement_flat", "movement_reactivation"):
        assert label(key, lang) != label(key, "en"), key


# --- one term per concept --------------------------------------------------------------------


def test_every_language_has_the_same_concepts_and_one_name_for_clv():
    assert {frozenset(GLOSSARY[lang]) for lang in LANGUAGES} == {frozenset(CONCEPT_KEYS)}
    assert {GLOSSARY[lang]["clv"]["term"] for lang in LANGUAGES} == {"CLV"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_texts_use_the_glossary_terms_and_none_of_the_alternatives(lang):
    glossary = GLOSSARY[lang]
    texts = texts_of(lang)
    for concept, entry in glossary.items():
        avoided = {word.casefold() for word in entry["avoid"]}
        wrong = {key: text for key, text in texts.items() if words(text) & avoided}
        assert wrong == {}, (concept, wrong)
        forms = {entry["term"].casefold(), *(f.casefold() for f in entry.get("forms", ()))}
        for key in CONCEPT_KEYS[concept]:
            assert words(texts[key]) & forms, (concept, key, texts[key])


@pytest.mark.parametrize("lang", ["fr", "ro"])
def test_churn_is_never_left_in_english(lang):
    assert "churn" in {w.casefold() for w in GLOSSARY[lang]["churn"]["avoid"]}
    assert "fidélisation" in GLOSSARY["fr"]["retention"]["avoid"]
    assert "LTV" in GLOSSARY[lang]["clv"]["avoid"]


# --- French typography ---------------------------------------------------------------------

_ALLOWED = re.compile(
    r"\d:\d"  # a ratio: 1:1, 3:1
    r"|#NAME\?"  # the spreadsheet's error value, as Excel shows it
    r"|\w!(?=[A-Z]+\d)"  # a cell reference: Rapport!B2
)


def french_typography_errors(text):
    """Where a French text breaks its typography: a ``: ; % ? ! »`` not after a no-break
    space (U+00A0), a ``«`` not before one, a narrow no-break space, a decimal point.

    >>> french_typography_errors("Taux\u00a0: 85,7\u00a0% (ratio 3:1, Rapport!B2)")
    []
    >>> french_typography_errors("Taux\u00a0: 85.7\u00a0%")
    ['decimal point in 85.7']
    """
    allowed = {i for m in _ALLOWED.finditer(text) for i in range(m.start(), m.end())}
    errors = [f"{text[max(0, i - 12):i + 1]!r} without a no-break space before {char}"
              for i, char in enumerate(text)
              if char in ":;%?!»" and i not in allowed and (i == 0 or text[i - 1] != NBSP)]
    errors += [f"{text[i:i + 12]!r}: « without a no-break space after"
               for i, char in enumerate(text) if char == "«" and text[i + 1:i + 2] != NBSP]
    errors += ["narrow no-break space: use U+00A0"] * ("\u202f" in text)
    errors += [f"decimal point in {m.group()}" for m in re.finditer(r"\d+\.\d+", text)]
    return errors


@pytest.mark.parametrize("key, text", sorted(texts_of("fr").items()))
def test_french_texts_have_no_break_spaces_and_decimal_commas(key, text):
    assert french_typography_errors(text) == []


def test_the_french_check_fails_on_plain_spaces():
    assert french_typography_errors("Marge d'erreur (95 %) : voir « Install »")
    assert french_typography_errors("Rapport\u202f: 12")
    assert french_typography_errors("Note: x")


def test_french_article_titles_keep_french_spacing():
    for title, _file in ARTICLES.values():
        if title.startswith("«"):
            assert french_typography_errors(title.split(")")[0].rsplit("(", 1)[0]) == []


# --- sources ---------------------------------------------------------------------------------


def _plain(text):
    return unicodedata.normalize("NFC", text).replace(NBSP, " ").replace("’", "'")


@pytest.mark.parametrize("number", sorted(ARTICLES))
def test_each_source_is_cited_by_its_title_and_seed_file(number):
    title, filename = ARTICLES[number]
    seeds = shared_folder() / "seeds"
    seed = seeds / filename
    assert seed.is_file(), f"{seed} is missing"
    assert filename.startswith(f"{number}_")
    assert re.search(rf"\b{number}\b", (shared_folder() / "METRICS.md").read_text("utf-8"))
    quoted = re.search(r"[«„]\s*(.+?)\s*[»”]", _plain(title)).group(1)
    assert quoted in _plain(seed.read_text(encoding="utf-8")), (number, quoted)


def test_every_cited_article_is_listed():
    cited = {a for articles in KPI_ARTICLES.values() for a in articles}
    assert cited <= set(ARTICLES) and set(KPI_ARTICLES) <= set(KPI_BY_KEY)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_definitions_sheets_list_each_source_with_title_and_file(lang):
    for name in TEMPLATE_NAMES:
        ws = load_workbook(template_path(name, lang))[sheet_name("definitions", lang)]
        rows = {(r[2], r[3]) for r in ws.iter_rows(values_only=True, max_col=4)}
        for title, filename in ARTICLES.values():
            assert (title, f"{SEEDS_FOLDER}/{filename}") in rows, (name, filename)


# --- file names ------------------------------------------------------------------------------


def test_template_files_are_ascii_and_the_same_in_every_language():
    for name in TEMPLATE_NAMES:
        paths = [template_path(name, lang) for lang in LANGUAGES]
        assert {p.name for p in paths} == {f"{name}.xlsx"}
        assert all(str(p.relative_to(ROOT)).isascii() for p in paths), paths
    for lang in LANGUAGES:
        on_disk = sorted(p.name for p in (ROOT / "workbook_templates" / lang).glob("*.xlsx"))
        assert on_disk == sorted(f"{name}.xlsx" for name in TEMPLATE_NAMES)


@pytest.mark.parametrize("lang, everyone", [("en", "All"), ("fr", "Tous"), ("ro", "Toate")])
def test_report_file_names_say_all_customers_as_the_sheets_do(lang, everyone):
    """The report over all customers is named in its language, as its sheets name the
    segment; a segment's name is reduced to ASCII whatever the language."""
    month = pd.Period("2026-03", "M")
    assert report_filename("monthly_kpi_report", month, ALL_SEGMENTS, lang) == (
        f"monthly_kpi_report_2026-03_{everyone}.xlsx")
    for segment in ("Île-de-France", "Întreprinderi mari", "Ελλάδα"):
        assert report_filename("nps_survey", month, segment, lang).isascii()
    assert report_filename("nps_survey", month, "Île-de-France", lang) == (
        "nps_survey_2026-03_Ile-de-France.xlsx")


# --- the README pictures ---------------------------------------------------------------------

PICTURES = ("docs/img/monthly_kpi_report_en.png", "docs/img/monthly_kpi_report_fr.png")
"""The KPI report's first PDF page in English and French (``make pictures``)."""


@pytest.mark.parametrize("picture", PICTURES)
def test_readme_shows_the_report_in_english_and_french(picture):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"]({picture})" in readme
    data = (ROOT / picture).read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) < 300_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert 1000 < width < 1400 and height < width, "one landscape A4 page at about 100 dpi"

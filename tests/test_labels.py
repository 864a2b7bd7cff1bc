"""Report texts: every KPI and text in English, French and Romanian, looked up safely."""

import json

import pytest

from csmetrics.kpis import KPI_BY_KEY, KPIS
from csmetrics.report.labels import (
    ARTICLES,
    DEFINITIONS,
    KPI_ARTICLES,
    KPI_NAMES,
    LANGUAGES,
    TEXT_FOLDER,
    TEXT_VALUES,
    TEXTS,
    UnknownLabelError,
    definition,
    label,
    load_texts,
    source,
)
from csmetrics.report.notes import REASON_OF

KEYS = [kpi.key for kpi in KPIS]
ALL_STRINGS = [
    *(v for names in KPI_NAMES.values() for v in names.values()),
    *(v for texts in TEXTS.values() for v in texts.values()),
    *(v for texts in DEFINITIONS.values() for v in texts.values()),
]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("key", KEYS)
def test_every_kpi_has_a_name_definition_and_source_in_every_language(key, lang):
    assert label(key, lang).strip()
    assert definition(key, lang).strip()
    assert source(key, lang).strip()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_file_has_every_key_and_no_other(lang):
    raw = json.loads((TEXT_FOLDER / f"{lang}.json").read_text(encoding="utf-8"))
    english = json.loads((TEXT_FOLDER / "en.json").read_text(encoding="utf-8"))
    assert set(raw) == {"language", "sheets", "glossary", "kpi_names", "definitions", "texts"}
    assert set(raw["kpi_names"]) == set(KEYS) == set(raw["definitions"])
    assert set(raw["texts"]) == set(english["texts"])
    assert set(raw["sheets"]) == set(english["sheets"])
    assert set(raw["glossary"]) == set(english["glossary"])
    assert not set(raw["kpi_names"]) & set(raw["texts"]), "a text key would hide a KPI name"


def test_texts_state_the_cut_offs_of_the_core():
    assert label("promoters", "en") == "Promoters (9-10)"
    assert label("detractors", "fr") == "Détracteurs (0-6)"
    assert "(9-10)" in definition("nps", "ro") and "(0-6)" in definition("nps", "ro")
    assert "4 or 5" in definition("csat", "en")


def test_a_changed_cut_off_changes_the_texts(monkeypatch):
    monkeypatch.setitem(TEXT_VALUES, "promoter_min", 8)
    monkeypatch.setitem(TEXT_VALUES, "passive_max", 7)
    texts = load_texts("en")
    assert texts["texts"]["promoters"] == "Promoters (8-10)"
    assert texts["texts"]["passives"] == "Passives (7-7)"
    assert "promoters (8-10)" in texts["definitions"]["nps"]


def test_definitions_are_translated():
    for key, texts in DEFINITIONS.items():
        assert len({texts["en"], texts["fr"], texts["ro"]}) == 3, key


def test_romanian_uses_comma_below_letters():
    romanian = [v for group in (KPI_NAMES, TEXTS, DEFINITIONS) for t in group.values()
                for lang, v in t.items() if lang == "ro"]
    assert not any(set(text) & set("şţŞŢ") for text in romanian), "use ș and ț (comma below)"
    assert any(set(text) & set("șțăîâ") for text in romanian)


def test_french_has_its_accents():
    french = " ".join(v for group in (KPI_NAMES, TEXTS, DEFINITIONS) for t in group.values()
                      for lang, v in t.items() if lang == "fr")
    assert set("éèà") <= set(french)


def test_articles_cited_exist():
    assert set(KPI_ARTICLES) <= set(KEYS)
    assert {a for articles in KPI_ARTICLES.values() for a in articles} <= set(ARTICLES)
    assert source("crr", "en") == "Articles 001, 002"
    assert source("quick_ratio", "ro") == TEXTS["no_article"]["ro"]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: label("crr", "de"), "unknown language 'de': use one of en, fr, ro"),
        (lambda: label("mrr_magic", "en"), "no label for key 'mrr_magic'"),
        (lambda: definition("report_month", "fr"), "no definition for key 'report_month'"),
        (lambda: source("crr", "EN"), "unknown language 'EN'"),
    ],
)
def test_unknown_key_or_language_is_a_clear_key_error(call, message):
    with pytest.raises(UnknownLabelError) as caught:
        call()
    assert isinstance(caught.value, KeyError)
    assert message in str(caught.value)


def test_texts_are_strings_without_stray_spaces():
    assert all(isinstance(s, str) and s == s.strip() and "  " not in s for s in ALL_STRINGS)


def test_every_blank_reason_names_a_kpi_and_has_its_words_in_every_language():
    assert set(REASON_OF) <= set(KPI_BY_KEY)
    for reason in {*REASON_OF.values(), "no_data", "no_table"}:
        texts = [label(reason, lang) for lang in LANGUAGES]
        assert len(set(texts)) == len(LANGUAGES), reason
        assert all("{month}" in text for text in texts) or reason == "no_table", reason

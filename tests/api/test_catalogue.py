"""The gettext catalogues (talentgap/locale/<lang>/LC_MESSAGES/<domain>.po, read through Babel): every
message id used in code and templates has a text in both languages, and the two languages agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from talentgap.api.render.report import QUANTITIES, UNITS
from talentgap.i18n import DOMAINS, LANGUAGES, catalogue, translator

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "talentgap" / "locale"
HANGUL = re.compile("[가-힣]")
#: Korean entries that are rightly without Hangul (acronyms, proper names, how clauses join, signs and
#: quote marks, a form field shown by its label).
NO_HANGUL_OK = {"ARIMA", "{first} {then}", "~", "「{title}」", "{label}", "{word} {baseline} → {value}"}
#: Entries where each language picks the form it writes from the values the code gives (a large number
#: as digits or in 만; a field by its id or its label; a scenario's rationale naming its lever or not):
#: id → the names the code passes; every language uses some of them, and nothing else.
CHOICES = {"number.large": {"digits", "myriads"}, "field": {"id", "label"}, "lever_rationale": {"lever", "value"}}


def used_ui_keys() -> set[str]:
    """Ids passed to ``t(...)`` in the templates and the Python of ``api/`` (Babel's extractors), and the
    ids the code builds from a prefix (quantities, units, grades)."""
    keys = set()
    found = extract_from_dir(str(ROOT / "api"), method_map=[("**/templates/**.html", "jinja2"), ("**.py", "python")],
                             keywords={"t": None}, options_map={"**/templates/**.html": {}})
    for _filename, _line, message, _comments, _context in found:
        keys.add(message)
    for path in (ROOT / "api").rglob("*.py"):
        keys |= set(re.findall(r"""\["t"\]\(\s*"([a-z_]+)"\s*\)""", path.read_text(encoding="utf-8")))
    keys |= set(QUANTITIES) | {u for u in UNITS.values() if u != "%"} | {f"grade_{g}" for g in "ABCD"}
    return keys


def used_note_keys() -> set[str]:
    """Ids passed to ``note(...)`` anywhere in the product's Python (Babel's extractor)."""
    keys = set()
    for folder in ("models", "api", "seeds", "data", "talentgap"):
        found = extract_from_dir(str(ROOT / folder), method_map=[("**.py", "python")], keywords={"note": None})
        keys |= {message for _filename, _line, message, _comments, _context in found}
    return keys


def entries(lang: str, domain: str) -> dict[str, str]:
    path = LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():
        return {}
    with path.open("rb") as f:
        return {str(m.id): str(m.string) for m in read_po(f, locale=lang) if m.id}


def test_every_key_used_in_code_and_templates_is_in_both_catalogues():
    keys = used_ui_keys()
    assert len(keys) > 100, "the extractors find the templates' and the code's keys"
    for lang in LANGUAGES:
        missing = sorted(k for k in keys if k not in catalogue(lang, "ui"))
        assert missing == [], f"{lang}/ui.po is missing {missing}"


def test_every_note_key_used_in_code_is_in_both_catalogues_and_every_entry_is_used():
    keys = used_note_keys()
    assert len(keys) > 40 and "backlog.added" in keys, "the extractor finds the models' note(...) calls"
    for lang in LANGUAGES:
        missing = sorted(k for k in keys if k not in catalogue(lang, "notes"))
        assert missing == [], f"{lang}/notes.po is missing {missing}"
    assert sorted(set(catalogue("en", "notes")) - keys) == [], "notes.po entries no code uses"


@pytest.mark.parametrize("domain", DOMAINS)
def test_both_languages_have_the_same_ids_and_full_entries(domain):
    en, ko = entries("en", domain), entries("ko", domain)
    assert set(en) == set(ko), f"{domain}: ids only in en {sorted(set(en) - set(ko))}, only in ko {sorted(set(ko) - set(en))}"
    for key in en:
        assert en[key].strip() and ko[key].strip(), f"{domain}:{key}: empty in a language"
        assert not HANGUL.search(en[key]), f"{domain}:{key}: Korean in the English entry"
        assert HANGUL.search(ko[key]) or ko[key] in NO_HANGUL_OK or key.startswith("key"), \
            f"{domain}:{key}: the Korean entry has no Korean ({ko[key]!r})"
        assert " " + en[key] not in ko[key] and not ko[key].startswith(en[key] + " "), \
            f"{domain}:{key}: doubled 'English 한국어' label"
        if key in CHOICES:
            for text in (en[key], ko[key]):
                assert set(re.findall(r"{(\w+)", text)) <= CHOICES[key] and "{" in text, f"{domain}:{key}: {text!r}"
            continue
        assert sorted(re.findall(r"{(\w+)", en[key])) == sorted(re.findall(r"{(\w+)", ko[key])), \
            f"{domain}:{key}: placeholders differ between languages"


def test_the_ui_catalogue_is_not_empty_and_a_missing_file_is_found():
    assert len(entries("en", "ui")) > 150
    assert entries("en", "no_such_domain") == {}


def test_translator_falls_back_to_the_key_and_picks_the_language():
    assert translator("ko")("gap") == "부족" and translator("en")("gap") == "Gap"
    assert translator("ko")("no_such_key") == "no_such_key"
    assert translator("ko")("current_value").format(value="0.8", low="0.5", high="0.9") == "현재 0.8 (범위 0.5~0.9)"
    with pytest.raises(ValueError, match="lang must be one of"):
        catalogue("fr", "ui")


#: The layers whose code raises coded errors; ``msg(...)`` ids are found in all of them.
ERROR_LAYERS = ("talentgap", "seeds", "data", "models", "api")


def used_error_keys() -> set[str]:
    """Ids passed to ``msg(...)`` (talentgap.i18n) anywhere in the code (Babel's Python extractor)."""
    keys = set()
    for layer in ERROR_LAYERS:
        for _filename, _line, message, _comments, _context in extract_from_dir(
                str(ROOT / layer), method_map=[("**.py", "python")], keywords={"msg": None}):
            keys.add(message)
    return keys


def test_every_error_id_used_in_code_is_in_both_catalogues():
    keys = used_error_keys()
    assert len(keys) > 100, "the extractor finds the raise sites' message ids"
    for lang in LANGUAGES:
        missing = sorted(k for k in keys if k not in catalogue(lang, "errors"))
        assert missing == [], f"{lang}/errors.po is missing {missing}"


def test_every_msg_call_names_its_id_literally():
    """An id built at run time would escape the extractor, and so the completeness test."""
    for layer in ERROR_LAYERS:
        for path in (ROOT / layer).rglob("*.py"):
            if path == ROOT / "talentgap" / "i18n.py":
                continue  # the definition and its docstring
            built = re.findall(r"""\bmsg\(\s*[^\s"']""", path.read_text(encoding="utf-8"))
            assert built == [], f"{path.relative_to(ROOT)}: msg() with a non-literal id"


def test_a_coded_error_reads_english_and_keeps_its_id_for_other_languages():
    import pickle

    from talentgap.i18n import error_text, msg
    from talentgap.models.sector import UnknownSector

    exc = UnknownSector(msg("sector.unknown", sector="'steel'", sectors="battery"))
    assert str(exc) == "unknown sector 'steel'; sectors are battery" and exc.args[0].key == "sector.unknown"
    assert error_text(exc, "ko") == "알 수 없는 산업 'steel'입니다. 산업은 battery 중 하나입니다"
    assert error_text(ValueError("plain"), "ko") == "plain"
    again = pickle.loads(pickle.dumps(exc))
    assert str(again) == str(exc) and error_text(again, "ko") == error_text(exc, "ko")
    # a field id shows its ui label in Korean, as given in English; nested messages follow the language
    lever = msg("lever.not_number", field="entry_rate", value="'x'")
    assert lever.in_lang("en") == "lever entry_rate must be a number; got 'x'"
    assert lever.in_lang("ko").startswith("레버 산업 진입률")
    outer = msg("problem.file_got", message=msg("upload.empty"), got="'f.csv'", row=0, column="file")
    assert outer == "file: is empty (got 'f.csv')" and outer.in_lang("ko") == "파일: 비어 있습니다 (입력: 'f.csv')"

"""Text shown to people lives in the catalogue or the data, never in the packages' Python: no language
conditionals (``lang == "ko"``), and no Korean in a string of code outside the grammar that reads
Korean input (docstrings and comments may quote Korean)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("api", "talentgap", "models", "data", "seeds")
HANGUL = re.compile("[\uac00-\ud7a3]")
#: Korean that code reads, not shows: the grammar of Korean numbers in input (``3만``, ``1.2억``) and the
#: characters a scenario name may use. Module → the names whose values may hold Korean.
INPUT_GRAMMAR = {
    "seeds/korean_numbers.py": None,  # the whole module is the grammar of Korean numbers
    "api/service/scenarios.py": {"SCENARIO_NAME"},
}
LANG_TEST = re.compile(r"\blang\s*==")


def modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path, path.relative_to(ROOT).as_posix()


def docstrings(tree: ast.AST) -> set[int]:
    """``id`` of every docstring constant (module, class, function) and of every bare string statement."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            out.add(id(node.value))
    return out


def korean_constants(tree: ast.AST, exempt: set[str] | None) -> list[tuple[int, str]]:
    """(line, text) of each string constant with Hangul that is not a docstring, nor inside an
    assignment to one of the ``exempt`` names."""
    skip = docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and exempt:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in exempt for t in targets):
                skip |= {id(c) for c in ast.walk(node) if isinstance(c, ast.Constant)}
    return [(node.lineno, node.value[:40]) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
            and HANGUL.search(node.value)]


def language_tests(tree: ast.AST) -> list[int]:
    """Lines comparing a language (a name or attribute called ``lang`` or ``*_lang``) with a literal
    language code, by ``==``, ``!=``, ``in`` or ``not in``."""
    codes = {"en", "ko"}

    def is_lang(node: ast.AST) -> bool:
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        return name == "lang" or name.endswith("_lang")

    def is_code(node: ast.AST) -> bool:
        if isinstance(node, ast.Constant):
            return node.value in codes
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return any(is_code(e) for e in node.elts)
        return False

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(is_lang(s) for s in sides) and any(is_code(s) for s in sides):
                found.append(node.lineno)
    return found


def test_no_language_conditionals_in_the_packages():
    found = []
    for path, rel in modules():
        text = path.read_text(encoding="utf-8")
        found += [f"{rel}:{n}" for n, line in enumerate(text.splitlines(), 1) if LANG_TEST.search(line)]
        found += [f"{rel}:{n}" for n in language_tests(ast.parse(text))]
    assert found == [], f"language conditionals (the catalogue holds each language's text): {found}"


def test_no_korean_in_the_strings_of_the_packages_code():
    found = {}
    for path, rel in modules():
        exempt = INPUT_GRAMMAR.get(rel, set())
        if exempt is None:
            continue
        hits = korean_constants(ast.parse(path.read_text(encoding="utf-8")), exempt)
        if hits:
            found[rel] = hits
    assert found == {}, f"Korean text in code (move it to the catalogue or a data file): {found}"


def test_the_checks_find_what_they_look_for():
    code = '''
"""Module docstring: 한국어 is fine here."""
LABEL = "반도체"
NAME = re.compile("[가-힣]")
def f(lang):
    """또 문서."""
    if lang == "ko":
        return "x"
    return "y" if page_lang in ("ko",) else "z"
'''
    tree = ast.parse(code)
    assert [line for line, _ in korean_constants(tree, set())] == [3, 4]
    assert [line for line, _ in korean_constants(tree, {"NAME"})] == [3]
    assert language_tests(tree) == [7, 9]
    assert LANG_TEST.search('    if lang == "ko":') and not LANG_TEST.search("if lang in LANGUAGES:")


def test_the_input_grammar_exemptions_still_hold_korean():
    """An exemption that no longer covers any Korean is stale: drop it."""
    for rel, names in INPUT_GRAMMAR.items():
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"))
        assert korean_constants(tree, set()), f"{rel}: no Korean left; remove the exemption"
        if names:
            assert len(korean_constants(tree, set())) > len(korean_constants(tree, names)), rel


def test_a_bilingual_data_text_is_read_by_one_helper_that_falls_back_to_english():
    from talentgap.i18n import Text, edition, pick
    from talentgap.seeds.vocab import SECTORS

    assert pick(SECTORS["battery"], "label", "ko") == "이차전지" and pick(SECTORS["battery"], "label", "en") == \
        "Secondary batteries"
    source = {"description": "A survey", "description_ko": "조사"}
    assert edition(source, "description", "ko") == ("조사", "ko")
    assert edition(source, "description", "en") == ("A survey", "en")
    assert edition({"description": "A survey", "description_ko": ""}, "description", "ko") == ("A survey", "en")
    assert edition({"description": "A survey"}, "description", "fr") == ("A survey", "en")
    assert Text("why", "왜").in_lang("ko") == "왜" and Text("why", "").in_lang("ko") == "why"

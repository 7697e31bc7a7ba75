"""Jinja helpers shared by the web pages and the reports: number filters and id → word functions
that follow the template's ``lang``."""

from __future__ import annotations

from jinja2 import Environment, pass_context
from markupsafe import Markup, escape

from . import names, numbers
from .notes import render_note, result_notes


def install_formatting(environment: Environment) -> None:
    """Number filters and id → word functions that follow the page's ``lang`` (shared with reports):
    ``|n`` full number, ``|g`` a number as given (assumptions), ``|q`` range ``p50 (p10~p90)``, ``|c`` compact, ``|pct``, ``|yr`` integer year,
    ``record|text('description')`` a text from the data in the page's language;
    ``sector_name(id)``, ``edu_name``, ``method_name``, ``scenario_name``, ``status_name``,
    ``period_name``, ``assumption_name``, ``metric_name``, ``role_name``, ``origin_name``;
    ``model_notes(result)`` (a result's notes as :class:`~.notes.Shown`, with the context's ``names``)
    and ``note_text(note, fallback)``."""
    def lang_of(ctx) -> str:
        return ctx.get("lang", "en")

    environment.filters["n"] = pass_context(lambda ctx, v, d=0: numbers.num(v, lang_of(ctx), d))
    environment.filters["q"] = pass_context(lambda ctx, r, d=0: numbers.rng(r, lang_of(ctx), digits=d))
    environment.filters["qb"] = pass_context(lambda ctx, r, d=0: _breakable(numbers.rng(r, lang_of(ctx), digits=d)))
    environment.filters["g"] = pass_context(lambda ctx, v: numbers.given(v, lang_of(ctx)))
    environment.filters["c"] = pass_context(lambda ctx, v: numbers.compact(v, lang_of(ctx)))
    environment.filters["pct"] = pass_context(lambda ctx, v, d=1: numbers.pct(v, lang_of(ctx), d))
    environment.filters["yr"] = numbers.year
    environment.filters["text"] = pass_context(lambda ctx, rec, field: in_lang(rec, field, lang_of(ctx)))
    for name, fn in (("sector_name", names.sector_name), ("edu_name", names.education_name),
                     ("method_name", names.method_name), ("scenario_name", names.scenario_name),
                     ("status_name", names.status_name), ("period_name", names.period_name),
                     ("assumption_name", names.assumption_name), ("metric_name", names.metric_name),
                     ("role_name", names.role_name), ("origin_name", names.origin_name)):
        environment.globals[name] = pass_context(lambda ctx, v, _fn=fn: _fn(v, lang_of(ctx)))
    environment.globals["model_notes"] = pass_context(
        lambda ctx, result: result_notes(result, lang_of(ctx), ctx.get("names")))
    environment.globals["note_text"] = pass_context(
        lambda ctx, note, fallback="": render_note(note, lang_of(ctx), ctx.get("names"), fallback=fallback))


def in_lang(record: object, field: str, lang: str) -> Markup:
    """``record``'s ``field`` in ``lang`` (see :func:`names.localized`); the English text on a Korean page
    is marked ``lang="en"``, so screen readers and fonts treat it as English."""
    text, text_lang = names.localized(record, field, lang)
    if text_lang == lang:
        return escape(text)
    return Markup('<span lang="{}">{}</span>').format(text_lang, text)


def _breakable(text: str) -> Markup:
    """``7,600 (5,000~10,200)`` that may wrap only before the bracket: each part is kept whole."""
    head, _, tail = text.partition(" (")
    if not tail:
        return Markup('<span class="nb">{}</span>').format(escape(text))
    return Markup('<span class="nb">{}</span> <span class="nb">({}</span>').format(escape(head), escape(tail))

"""Jinja helpers shared by the web pages and the reports: number filters and id → word functions
that follow the template's ``lang``."""

from __future__ import annotations

from jinja2 import Environment, pass_context
from markupsafe import Markup, escape

from talentgap.i18n import pick

from . import names, numbers
from .chart_parts import backlog_of
from .notes import render_note, result_notes


def install_formatting(environment: Environment) -> None:
    """Number filters and id → word functions that follow the page's ``lang`` (shared with reports),
    each one rule of :mod:`.numbers`: ``|n`` an exact number, ``|p`` people rounded, ``|c`` people in a
    sentence (만), ``|q`` a median with its range (people rounded; ``|q(1)`` one decimal), ``|qb`` the same,
    breakable before the bracket, ``|sgn`` a change in people with its sign, ``|g`` a number as given, ``|pct`` a percent, ``|share`` a 0–1 share as a
    percent, ``value|unit(unit)`` and ``low|span(high, unit)`` an assumption by its unit, ``|yr`` a year, ``|tidy`` a text written elsewhere in this style;
    ``years(first, last)`` a span of years; ``record|text('description')`` a text from the data in the
    page's language; ``record|label`` a data label (``label_en``/``label_ko``) in the page's language; ``sector_name(id)``, ``edu_name``, ``method_name``, ``scenario_name``, ``status_name``,
    ``period_name``, ``assumption_name``, ``metric_name``, ``role_name``, ``origin_name``;
    ``source_credit(source)`` (publisher and year), ``citation(source)`` (a document's title and lines, a
    page's address), ``series_name(series_id)``, ``backlog(result)`` (the first year's current shortage);
    ``model_notes(result)`` (a result's notes as :class:`~.notes.Shown`, with the context's ``names``)
    and ``note_text(note, fallback)``."""
    def lang_of(ctx) -> str:
        return ctx.get("lang", "en")

    f = environment.filters
    f["n"] = pass_context(lambda ctx, v, d=0: numbers.num(v, lang_of(ctx), d))
    f["p"] = pass_context(lambda ctx, v: numbers.people(v, lang_of(ctx), prose=False))
    f["q"] = pass_context(lambda ctx, r, d=0: numbers.rng(r, lang_of(ctx), digits=d))
    f["qb"] = pass_context(lambda ctx, r, d=0: _breakable(numbers.rng(r, lang_of(ctx), digits=d)))
    f["g"] = pass_context(lambda ctx, v: numbers.given(v, lang_of(ctx)))
    f["c"] = pass_context(lambda ctx, v: numbers.compact(v, lang_of(ctx)))
    f["sgn"] = pass_context(lambda ctx, v: numbers.signed(v, lang_of(ctx)))
    f["pct"] = pass_context(lambda ctx, v, d=1: numbers.pct(v, lang_of(ctx), d))
    f["share"] = pass_context(lambda ctx, v: numbers.share(v, lang_of(ctx)))
    f["unit"] = pass_context(lambda ctx, v, unit: numbers.by_unit(v, unit, lang_of(ctx)))
    f["span"] = pass_context(lambda ctx, low, high, unit: numbers.span_by_unit(low, high, unit, lang_of(ctx)))
    f["yr"] = numbers.year
    f["tidy"] = pass_context(lambda ctx, text: numbers.tidy(str(text), lang_of(ctx)))
    f["text"] = pass_context(lambda ctx, rec, field: in_lang(rec, field, lang_of(ctx), ctx.get("names")))
    f["label"] = pass_context(lambda ctx, rec: pick(rec, "label", lang_of(ctx)))
    environment.globals["years"] = pass_context(lambda ctx, a, b: numbers.years(a, b, lang_of(ctx)))
    for name, fn in (("sector_name", names.sector_name), ("edu_name", names.education_name),
                     ("method_name", names.method_name), ("scenario_name", names.scenario_name),
                     ("status_name", names.status_name), ("period_name", names.period_name),
                     ("assumption_name", names.assumption_name), ("metric_name", names.metric_name),
                     ("role_name", names.role_name), ("origin_name", names.origin_name)):
        environment.globals[name] = pass_context(lambda ctx, v, _fn=fn: _fn(v, lang_of(ctx)))
    g = environment.globals
    g["source_credit"] = pass_context(lambda ctx, src: names.source_credit(src, lang_of(ctx)))
    g["citation"] = pass_context(lambda ctx, src: names.citation(src, lang_of(ctx)))
    g["series_name"] = pass_context(lambda ctx, sid: (ctx.get("names") or names.Names()).series(sid, lang_of(ctx)))
    g["backlog"] = backlog_of
    g["by_series"] = by_series
    g["by_id"] = lambda items, key="source_id": {_field(i, key): i for i in items or []}
    environment.globals["model_notes"] = pass_context(
        lambda ctx, result: result_notes(result, lang_of(ctx), ctx.get("names")))
    environment.globals["note_text"] = pass_context(
        lambda ctx, note, fallback="": render_note(note, lang_of(ctx), ctx.get("names"), fallback=fallback))


def _field(item: object, key: str) -> object:
    return item.get(key) if isinstance(item, dict) else getattr(item, key, None)


def by_series(rows: list) -> list[tuple[str, dict]]:
    """Backtest rows (one per series and model) as ``(series_id, {model: row})`` in first-seen order, so
    a table has one row per series with the models side by side."""
    out: dict[str, dict] = {}
    for r in rows or []:
        out.setdefault(str(_field(r, "series_id")), {})[str(_field(r, "model"))] = r
    return list(out.items())


def in_lang(record: object, field: str, lang: str, known: names.Names | None = None) -> Markup:
    """``record``'s ``field`` in ``lang`` (see :func:`names.localized`) in the page's number style, with
    any source id in it as the source's publisher and year (``known``: the page's :class:`~.names.Names`);
    the English text on a Korean page is marked ``lang="en"``, so screen readers and fonts treat it as
    English."""
    text, text_lang = names.localized(record, field, lang)
    text = numbers.tidy((known or names.Names()).without_ids(text, lang), text_lang)
    if text_lang != lang:
        return Markup('<span lang="{}">{}</span>').format(text_lang, text)
    return escape(text)


def _breakable(text: str) -> Markup:
    """``7,600 (5,000~10,200)`` that may wrap only before the bracket: each part is kept whole."""
    head, _, tail = text.partition(" (")
    if not tail:
        return Markup('<span class="nb">{}</span>').format(escape(text))
    return Markup('<span class="nb">{}</span> <span class="nb">({}</span>').format(escape(head), escape(tail))

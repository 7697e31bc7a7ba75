"""Sources an upload defines through its ``source_kind``/``source_ref`` columns (with optional
descriptions), checked against the stored ones before an import writes anything."""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd

from talentgap.i18n import gettext, msg
from talentgap.seeds.names import SOURCE_ID, shown
from talentgap.seeds.validate import Problem

from .files import SOURCE_FIELDS, SOURCE_KINDS


def source_ref(src: pd.Series) -> str:
    """A source as one cell: ``file:lines`` for a seed document, else its reference."""
    return f"{src['ref']}:{src['lines']}" if src["kind"] == "seed" and src["lines"] else src["ref"]


def is_web_url(ref: str) -> bool:
    """An absolute http(s) URL with a host: the only kind of source that may become a link."""
    parts = urlsplit(ref)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and not any(c in ref for c in "\r\n\t")


def sources_from_upload(frame: pd.DataFrame, known: pd.DataFrame) -> tuple[dict[str, dict], list[Problem]]:
    """Sources an upload defines through ``source_kind``/``source_ref`` (with optional descriptions), checked
    against stored ones; a stored source keeps its descriptions."""
    if "source_kind" not in frame.columns and "source_ref" not in frame.columns:
        return {}, []
    stored = known.set_index("source_id")
    kinds, refs, texts, texts_ko = (frame.get(c, pd.Series([""] * len(frame))) for c in SOURCE_FIELDS)
    new: dict[str, dict] = {}
    problems: list[Problem] = []
    for i, (sid, kind, ref, text, text_ko) in enumerate(zip(frame.get("source_id", [""] * len(frame)), kinds, refs,
                                                           texts, texts_ko)):
        row, sid, kind, ref = i + 2, str(sid).strip(), str(kind).strip(), str(ref).strip()
        if not sid or (not kind and not ref):
            continue
        if sid in stored.index:
            if (kind and kind != stored.loc[sid, "kind"]) or (ref and ref != source_ref(stored.loc[sid])):
                problems.append(Problem(row, "source_ref", msg("source.differs", source=repr(sid), kind=stored.loc[sid, "kind"],
                                                                ref=source_ref(stored.loc[sid])), ref))
            continue
        if not SOURCE_ID.fullmatch(sid) or len(sid) > 120:
            problems.append(Problem(row, "source_id", msg("source.bad_id"), shown(sid)))
            continue
        if kind not in SOURCE_KINDS:
            problems.append(Problem(row, "source_kind", msg("source.bad_kind", choices=", ".join(SOURCE_KINDS)), kind))
            continue
        if not ref:
            problems.append(Problem(row, "source_ref", msg("source.ref_required"), ref))
            continue
        if kind == "url" and not is_web_url(ref):
            problems.append(Problem(row, "source_ref", msg("source.url_not_web"), ref))
            continue
        lines = ""
        if kind == "seed" and ":" in ref:
            ref, lines = ref.rsplit(":", 1)
        # the Korean description is optional: left empty, pages show the English one
        text, text_ko = str(text).strip(), str(text_ko).strip()
        rec = {"kind": kind, "ref": ref, "lines": lines, "publisher": "", "published": "",
               "description": text or gettext("upload_source", "en"),
               "description_ko": text_ko or ("" if text else gettext("upload_source", "ko"))}
        if sid in new and new[sid] != rec:
            problems.append(Problem(row, "source_ref", msg("source.defined_twice", source=repr(sid)), ref))
        new.setdefault(sid, rec)
    return new, problems

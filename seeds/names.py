"""Names people type (a saved scenario's name) and ids files carry (a source id): one spelling each.

A name is read in Unicode's compatibility form (NFKC: full-width ``ｐｏｌｉｃｙ`` is ``policy``) with
its surrounding space trimmed and inner runs of space made one, so ``"policy "`` and ``"a  b"`` are
``policy`` and ``a b``; what may remain is then checked by the caller's pattern, which admits no
invisible or look-alike character (a zero-width space, a Cyrillic ``а`` in a Latin name). A source id
is plain ASCII: letters, digits and ``_ . : -``.
"""

from __future__ import annotations

import re
import unicodedata

#: A source id: what every shipped source uses (``semi-w01``, ``s004-9981``).
SOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]*")
_SPACE = re.compile(r"\s+")


def normalise_name(text: str) -> str:
    """``text`` in NFKC, trimmed, with every run of white space made one space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def shown(text: str) -> str:
    """``text`` for a message with its invisible characters made visible (``a\\u200bb``)."""
    return "".join(c if c.isprintable() and unicodedata.category(c) != "Cf" else f"\\u{ord(c):04x}" for c in text)

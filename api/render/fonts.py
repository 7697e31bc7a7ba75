"""The Korean font (NanumGothic, shipped by ``koreanize-matplotlib``): its path for charts and PDFs, a
subset WOFF2 for web pages (the 2,350 common Hangul syllables of KS X 1001, ASCII and the symbols the
pages use: about 0.4 MB instead of the 4.3 MB TTF) and a subset data-URI ``@font-face`` for
self-contained HTML reports.
"""

from __future__ import annotations

import io
from functools import lru_cache

from matplotlib import font_manager

#: Bump when the subset changes: the web font's URL carries it, so browsers may cache it for a year.
WEB_FONT_VERSION = "1"
SYMBOLS = "·–—−~→×≥≤…‘’“”%°±"
_DROP = ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]  # empty VTT source tables that browsers' sanitizers reject


@lru_cache(maxsize=1)
def korean_font() -> str | None:
    """Path of NanumGothic (registered with matplotlib); ``None`` when it is not installed."""
    try:
        from importlib.resources import files

        path = files("koreanize_matplotlib") / "fonts" / "NanumGothic.ttf"
    except ModuleNotFoundError:
        return None
    if not path.is_file():
        return None
    font_manager.fontManager.addfont(str(path))
    return str(path)


def web_font_text() -> str:
    """The characters the web font carries: ASCII, the common Hangul syllables and a few symbols."""
    hangul = "".join(chr(c) for c in range(0xAC00, 0xD7A4) if len(chr(c).encode("euc-kr", "ignore")) == 2)
    return "".join(chr(c) for c in range(0x20, 0x7F)) + hangul + SYMBOLS


def _subset(text: str, flavor: str | None) -> bytes | None:
    path = korean_font()
    if path is None:
        return None
    from fontTools import subset

    options = subset.Options()
    options.flavor = flavor
    options.drop_tables += _DROP
    font = subset.load_font(path, options)
    sub = subset.Subsetter(options)
    sub.populate(text="".join(sorted(set(text))))
    sub.subset(font)
    buf = io.BytesIO()
    subset.save_font(font, buf, options)
    return buf.getvalue()


@lru_cache(maxsize=1)
def web_font_bytes() -> bytes | None:
    """The web pages' font as a subset WOFF2 (``None`` without the font or the ``brotli`` module)."""
    try:
        import brotli  # noqa: F401  (fontTools needs it for WOFF2)
    except ModuleNotFoundError:
        return None
    return _subset(web_font_text(), "woff2")


def embedded_font_css(text: str) -> str:
    """An ``@font-face`` rule carrying NanumGothic subset to the characters of ``text`` as a data URI,
    so a report shows its Korean on machines without Korean fonts and still fetches nothing."""
    data = _subset(text, None)
    if data is None:
        return ""
    import base64

    uri = base64.b64encode(data).decode()
    return f"@font-face {{ font-family: 'NanumGothic'; src: url(data:font/ttf;base64,{uri}) format('truetype'); }}"

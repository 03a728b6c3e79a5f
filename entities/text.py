"""What people type, made safe to keep: control characters out, invisible text refused."""

from __future__ import annotations

import unicodedata

_KEPT_IN_LONG_TEXT = {"\n", "\t"}


def without_controls(text: str, keep_newlines: bool = False) -> str:
    """`text` without control characters (a bell, an escape, a NUL pasted in): they
    mean nothing in Slack and can garble a terminal or a CSV. Newlines and tabs stay in
    long text (notes) with `keep_newlines`."""
    if text.isprintable():  # no control character at all (most text): one C-level pass
        return text
    kept = _KEPT_IN_LONG_TEXT if keep_newlines else set()
    return "".join(c for c in text if c in kept or unicodedata.category(c) != "Cc")


def visible(text: str) -> bool:
    """Whether `text` shows anything: not only spaces, zero-width or format characters."""
    return any(
        not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf", "Zs", "Zl", "Zp")
        for c in text
    )

"""One place that makes user text safe: for the terminal, for Markdown, for one-line contexts.

User text is data. It may hold terminal escape sequences (ANSI, OSC 52 clipboard writes),
C0/C1 control characters and bidi overrides that would reorder what a reader sees; none of
them may reach a screen or a document. Markup escaping for Rich/Textual is not done here:
the UI passes user text as `Content(...)`, which is never parsed as markup.
"""

from __future__ import annotations

import re
import unicodedata

# Bidi embedding/override/isolate controls (Trojan Source, CVE-2021-42574).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")

# A whole escape sequence: CSI, OSC (ended by BEL or ST), DCS/SOS/PM/APC strings, 2-byte ESC.
_ESCAPE_SEQ = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]            # CSI ... final byte
  | \x9b[0-?]*[ -/]*[@-~]              # 8-bit CSI
  | (?:\x1b\]|\x9d).*?(?:\x07|\x1b\\|\x9c|$)        # OSC ... BEL / ST
  | (?:\x1b[PX^_]|[\x90\x98\x9e\x9f]).*?(?:\x1b\\|\x9c|$)  # DCS, SOS, PM, APC
  | \x1b[ -/]*[0-~]?                   # other ESC sequences (and a lone ESC)
    """,
    re.VERBOSE | re.DOTALL,
)


def _is_control(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat == "Cc" or ch in BIDI_CONTROLS


def clean(text: str, *, multiline: bool = True) -> str:
    """Remove escape sequences, control characters and bidi controls.

    Newlines (and tabs, as spaces) are kept when `multiline`; otherwise they become spaces.
    """
    if not text:
        return ""
    text = _ESCAPE_SEQ.sub("", text)
    out = []
    for ch in text:
        if ch == "\n":
            out.append("\n" if multiline else " ")
        elif ch == "\t":
            out.append("    " if multiline else " ")
        elif ch == "\r":
            continue
        elif _is_control(ch):
            continue
        else:
            out.append(ch)
    return "".join(out)


def one_line(text: str) -> str:
    """Clean text folded to a single line with runs of white space collapsed."""
    return " ".join(clean(text, multiline=False).split())


def has_unsafe(text: str) -> bool:
    return clean(text) != text.replace("\r", "").replace("\t", "    ")


_MD_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~\"'=:$%^@;,?/])")


def md_inline(text: str) -> str:
    """Text for an inline Markdown context (a paragraph line, a table cell, a heading).

    Every ASCII punctuation character is backslash-escaped (CommonMark allows that for all of
    them), newlines are folded, leading indentation cannot start a code block.
    """
    return _MD_PUNCT.sub(r"\\\1", one_line(text))


def md_block(text: str) -> str:
    """Multi-line user text as Markdown paragraphs: each line escaped, blank lines kept as
    paragraph breaks, hard line breaks inside a paragraph; nothing can become structure."""
    lines = clean(text).split("\n")
    out = []
    for line in lines:
        stripped = line.strip()
        out.append(md_inline(stripped) if stripped else "")
    # collapse runs of blank lines, use hard breaks within paragraphs
    paras: list[list[str]] = [[]]
    for line in out:
        if line:
            paras[-1].append(line)
        elif paras[-1]:
            paras.append([])
    return "\n\n".join("\\\n".join(p) for p in paras if p)

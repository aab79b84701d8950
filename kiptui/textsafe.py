"""One place that makes user text safe: for the terminal, for Markdown, for one-line contexts.

User text is data. It may hold terminal escape sequences (ANSI, OSC 52 clipboard writes),
C0/C1 control characters and bidi overrides that would reorder what a reader sees; none of
them may reach a screen or a document. Markup escaping for Rich/Textual is not done here:
the UI passes user text as `Content(...)`, which is never parsed as markup.
"""

from __future__ import annotations

import json
import re
from typing import Any

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


# C0 and C1 control characters (Unicode category Cc is exactly these) and bidi controls are
# deleted; tab, newline and carriage return are handled by the translation tables below.
_DROP = {cp: None for cp in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if cp not in (0x09, 0x0A, 0x0D)}
_DROP.update({ord(c): None for c in BIDI_CONTROLS})
# lone surrogates (e.g. half an emoji pasted from a broken source) cannot be stored as UTF-8
_DROP.update({cp: None for cp in range(0xD800, 0xE000)})
_MULTILINE = {**_DROP, 0x09: "    ", 0x0D: None}
_ONE_LINE = {**_DROP, 0x09: " ", 0x0A: " ", 0x0D: None}
_SEQUENCE_STARTS = re.compile(r"[\x1b\x90\x98\x9b\x9d\x9e\x9f]")


def clean(text: str, *, multiline: bool = True) -> str:
    """Remove escape sequences, control characters and bidi controls.

    Newlines (and tabs, as spaces) are kept when `multiline`; otherwise they become spaces.
    Runs on every piece of user text shown or exported, so it works at C speed: one regular
    expression only when an escape can be present, then one str.translate.
    """
    if not text:
        return ""
    if _SEQUENCE_STARTS.search(text):
        text = _ESCAPE_SEQ.sub("", text)
    return text.translate(_MULTILINE if multiline else _ONE_LINE)


def one_line(text: str) -> str:
    """Clean text folded to a single line with runs of white space collapsed."""
    return " ".join(clean(text, multiline=False).split())


def has_unsafe(text: str) -> bool:
    return clean(text) != text.replace("\r", "").replace("\t", "    ")


# Markdown escaping that keeps minutes readable as plain text: only the characters that can
# make structure are escaped. Anywhere in a line: backslash, code, emphasis, strikethrough,
# links and images, raw HTML and autolinks, entities, table cells, headings (a closing "#").
_MD_ANYWHERE = re.compile(r"([\\`*_\[\]<>&|~#])")
# Only at the start of a line: list items ("- ", "+ ", "1. ", "1) "), setext underlines
# ("---", "==="). ">" (quotes) and "*" are escaped everywhere already; indentation is stripped.
_MD_LINE_START = re.compile(r"^(?:([-+=])|(\d{1,9})([.)]))")


def md_inline(text: str) -> str:
    """Text for an inline Markdown context (a paragraph line, a table cell, a heading).

    The characters that could make Markdown structure are backslash-escaped (CommonMark allows
    it for any ASCII punctuation), so the text stays text; ordinary punctuation (. , : ; ( ) -
    ? ! ' ") is left alone, so the minutes read well as plain text too. Newlines are folded and
    leading indentation cannot start a code block.
    """
    escaped = _MD_ANYWHERE.sub(r"\\\1", one_line(text))
    return _MD_LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escaped)


_ESCAPED_LINE_START = re.compile(r"^(?:\\([-+=])|(\d{1,9})\\([.)]))")


def md_midline(markdown: str) -> str:
    """md_inline's output where it does not start a line (after a label, in a heading or a
    table cell): the line-start escapes are not needed there and would only be noise."""
    return _ESCAPED_LINE_START.sub(lambda m: m[1] or f"{m[2]}{m[3]}", markdown)


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


#: Characters a terminal acts on (DEL, C1 controls such as the 8-bit CSI) or that reorder what a
#: reader sees (bidi controls, line separators); json.dumps escapes C0 controls itself.
_UNSAFE_IN_JSON_TEXT = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(value: Any, **dumps: Any) -> str:
    """JSON with Danish letters as they are, but with the characters that would act on a
    terminal or reorder the text written as \\uXXXX escapes: the same JSON value, harmless
    when a file is printed (`json export`) or opened after `age -d` (a bundle)."""
    text = json.dumps(value, ensure_ascii=False, **dumps)
    return _UNSAFE_IN_JSON_TEXT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

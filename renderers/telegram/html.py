"""Engine replies as Telegram HTML, and messages split under Telegram's length limit.

Owns the HTML form of replies: a few reply types have their own template here
(``templates/<reply_type>.j2``, with ``<b>`` headings); every other one is the plain-text rendering
of ``renderers.text``. In both, every variable (user text included) passes ``escape_html``, so
nothing typed can become a tag. ``split_html`` cuts a long message at line ends into pieces of at
most 4,096 UTF-16 code units, closing and reopening tags around each cut.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path

from dialogs.replies import Notice, Reply
from renderers.messages import message
from renderers.text import environment, render_reply, template_name, terminal_safe

MAX_MESSAGE = 4096
_TEMPLATES = Path(__file__).parent / "templates"
_TOKEN = re.compile(r"<[^<>]*>|&#?\w+;|[\ud800-\udbff][\udc00-\udfff]|[\s\S]")
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*>")


def escape_html(text: str) -> str:
    """User text made safe for ``parse_mode=HTML``: control characters replaced, ``<&>`` escaped."""
    return html.escape(terminal_safe(text), quote=False)


def utf16_len(text: str) -> int:
    """The length Telegram counts: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@functools.cache
def _own_templates() -> frozenset[str]:
    return frozenset(p.name for p in _TEMPLATES.glob("*.j2"))


def render_html(reply: Reply) -> str:
    """One reply as Telegram HTML; empty for replies the adapter acts on."""
    if isinstance(reply, Notice):
        return message(f"dialog.{reply.key}", escape=escape_html, **dict(reply.params))
    name = template_name(reply)
    if name in _own_templates():
        return environment(_TEMPLATES, escape_html).get_template(name).render(r=reply).strip("\n")
    return render_reply(reply, escape=escape_html)


def _closers(stack: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _apply(stack: list[tuple[str, str]], token: str) -> list[tuple[str, str]]:
    match = _TAG.fullmatch(token)
    if match is None:
        return stack
    closing, name = match.group(1), match.group(2).lower()
    if not closing:
        return [*stack, (name, token)]
    for i in range(len(stack) - 1, -1, -1):
        if stack[i][0] == name:
            return stack[:i] + stack[i + 1 :]
    return stack


def _visible(text: str) -> str:
    return html.unescape(re.sub(r"<[^<>]*>", "", text)).strip()


def split_html(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """``text`` as messages of at most ``limit`` UTF-16 units, cut at line ends when possible."""
    if utf16_len(text) <= limit:
        return [text] if _visible(text) else []
    tokens = _TOKEN.findall(text)
    chunks: list[str] = []
    cur: list[str] = []
    cur_len = 0
    prefix = 0
    stack: list[tuple[str, str]] = []
    last_break: tuple[int, list[tuple[str, str]]] | None = None

    def emit(parts: list[str], open_tags: list[tuple[str, str]]) -> None:
        piece = ("".join(parts) + _closers(open_tags)).strip("\n")
        if _visible(piece):
            chunks.append(piece)

    i = 0
    while i < len(tokens):
        token = tokens[i]
        after = _apply(stack, token)
        size = utf16_len(token)
        if cur_len + size + utf16_len(_closers(after)) > limit and len(cur) > prefix:
            reopen = [tag for _, tag in stack]
            if last_break is not None and last_break[0] > prefix:
                cut, cut_stack = last_break
                rest = cur[cut:]
                reopen_cut = [tag for _, tag in cut_stack]
                rest_len = sum(utf16_len(t) for t in [*reopen_cut, *rest])
                if rest_len + size + utf16_len(_closers(after)) <= limit:
                    emit(cur[:cut], cut_stack)
                    cur = [*reopen_cut, *rest]
                    cur_len = rest_len
                    prefix = len(reopen_cut)
                    last_break = None
                    continue
            emit(cur, stack)
            cur = reopen
            cur_len = sum(utf16_len(t) for t in reopen)
            prefix = len(reopen)
            last_break = None
            continue
        cur.append(token)
        cur_len += size
        stack = after
        if token == "\n":
            last_break = (len(cur), list(stack))
        i += 1
    emit(cur, stack)
    return chunks

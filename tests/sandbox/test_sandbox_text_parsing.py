"""The HTML / MarkdownV2 parsers on their own (fast, no server)."""

from __future__ import annotations

import html

import pytest

from sandbox.entities import detect, to_html, trim, utf16_len
from sandbox.errors import EntityParseError
from sandbox.html_parse import parse_html
from sandbox.markdown_parse import parse_markdown_v2


def test_basic_tags_become_entities() -> None:
    text, entities = parse_html("<b>bold</b> <i>it</i> <u>u</u> <s>s</s> <code>c</code>")
    assert text == "bold it u s c"
    assert [(e["type"], e["offset"], e["length"]) for e in entities] == [
        ("bold", 0, 4),
        ("italic", 5, 2),
        ("underline", 8, 1),
        ("strikethrough", 10, 1),
        ("code", 12, 1),
    ]


def test_links_spoilers_quotes_and_pre_with_language() -> None:
    source = (
        '<a href="https://example.org/?a=1&amp;b=2">site</a> <tg-spoiler>x</tg-spoiler> '
        '<span class="tg-spoiler">y</span> <blockquote expandable>q</blockquote> '
        '<pre><code class="language-python">print(1)</code></pre>'
    )
    text, entities = parse_html(source)
    assert text == "site x y q print(1)"
    kinds = {e["type"]: e for e in entities}
    assert kinds["text_link"]["url"] == "https://example.org/?a=1&b=2"
    assert kinds["spoiler"]["length"] == 1
    assert kinds["expandable_blockquote"]["offset"] == 9
    assert kinds["pre"] == {"type": "pre", "offset": 11, "length": 8, "language": "python"}


def test_offsets_are_utf16_code_units() -> None:
    text, entities = parse_html("😀 <b>é</b>")
    assert text == "😀 é"
    assert entities == [{"type": "bold", "offset": 3, "length": 1}]
    assert utf16_len(text) == 4


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("<3", "Unclosed start tag at byte offset 0"),
        ("I <3 you", 'Unsupported start tag "3" at byte offset 2'),
        ("<script>alert(1)</script>", 'Unsupported start tag "script" at byte offset 0'),
        ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("é<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 2'),
        ("Tom & Jerry", 'Unescaped "&" at byte offset 4; use "&amp;" for a literal ampersand'),
    ],
)
def test_refused_html(source: str, error: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(source)
    assert str(caught.value) == error


def test_bare_ampersand_is_literal_when_not_strict() -> None:
    assert parse_html("Tom & Jerry", strict_ampersand=False) == ("Tom & Jerry", [])


@pytest.mark.parametrize(
    "raw", ["<script>alert(1)</script>", "<3", "Tom & Jerry", 'say "hi"', "😀 <b>&amp;</b> 'x'"]
)
def test_escaped_text_round_trips(raw: str) -> None:
    assert parse_html(html.escape(raw)) == (raw, [])


def test_numeric_and_named_entities() -> None:
    assert parse_html("&lt;&gt;&amp;&quot;&#60;&#x3C;&#128512;")[0] == '<>&"<<😀'


def test_render_back_to_html_escapes_text() -> None:
    text, entities = parse_html("<b>&lt;script&gt;</b> &amp; <i>ok</i>")
    assert to_html(text, entities) == "<b>&lt;script&gt;</b> &amp; <i>ok</i>"


def test_trim_and_autodetect() -> None:
    text, entities = trim("  <x> /start @alice https://t.me/bot?start=1 a@b.org  ", [])
    found = detect(text, entities)
    assert text.startswith("<x>")
    assert [e["type"] for e in found] == ["bot_command", "mention", "url", "email"]


def test_markdown_v2_basics_and_reserved_characters() -> None:
    text, entities = parse_markdown_v2(r"*bold* _it_ __u__ ~s~ ||sp|| `c` [l](https://x.org) 1\.5")
    assert text == "bold it u s sp c l 1.5"
    assert [e["type"] for e in entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "text_link",
    ]
    with pytest.raises(EntityParseError, match=r"Character '\.' is reserved"):
        parse_markdown_v2("1.5")
    with pytest.raises(EntityParseError, match="Can't find end of Bold entity at byte offset 0"):
        parse_markdown_v2("*open")

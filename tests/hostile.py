"""Text an attacker (or an unlucky paste) types: what the hostile-input tests feed every
free-text step, in the domain and end to end."""

from __future__ import annotations

from hypothesis import strategies as st

RIGHT_TO_LEFT_OVERRIDE = "\u202e"
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
BIDI_CONTROLS = (
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
)
CONTROLS = ("\x00", "\x07", "\x1b", "\x1f", "\x7f", "\x85", "\x9b")

# Pieces that have broken chat bots: direction controls, invisible characters, emoji that
# are several code points, markup of both parse modes, digits that are not ASCII.
PIECES = (
    *BIDI_CONTROLS,
    *ZERO_WIDTH,
    *CONTROLS,
    "\u200e",
    "\u200f",
    "\u061c",
    "\u00ad",
    "\u0301",
    "\u3164",
    "\u2800",
    "\u2028",
    " ",
    "\n",
    "\t",
    "\r\n",
    "🍰",
    "👩‍💻",
    "🏴󠁧󠁢󠁥󠁮󠁧󠁿",
    "❤️",
    "مرحبا",
    "שלום",
    "日本語",
    "<b>",
    "</b>",
    "<i>x</i>",
    "<a href='tg://user?id=1'>me</a>",
    "<script>alert(1)</script>",
    "&amp;",
    "&lt;",
    "&",
    "<3",
    "*bold*",
    "_it_",
    "__u__",
    "`code`",
    "```pre```",
    "~s~",
    "||spoiler||",
    "[link](http://x.y)",
    "\\",
    "²",
    "٣",
    "１",
    "1",
    "1,000",
    "-5",
    "1e309",
    "NaN",
    "@handle",
    "/leads",
    "Logo for a coffee shop",
    "python",
)


# The same without the characters every typed text is refused for (domain.validation).
VISIBLE_PIECES = tuple(p for p in PIECES if not any(c in p for c in BIDI_CONTROLS + CONTROLS))
_VISIBLE = st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="".join(BIDI_CONTROLS))


def pieces(max_size: int = 12, *, visible: bool = False) -> st.SearchStrategy[str]:
    """A text glued together from hostile pieces and a little random Unicode; ``visible``
    leaves out control characters, so that most such texts are accepted."""
    if visible:
        part = st.one_of(st.sampled_from(VISIBLE_PIECES), st.text(_VISIBLE, max_size=4))
    else:
        part = st.one_of(st.sampled_from(PIECES), st.text(max_size=4))
    return st.lists(part, min_size=1, max_size=max_size).map("".join)


def very_long() -> st.SearchStrategy[str]:
    """About 10,000 characters of one short piece repeated."""
    return st.builds(
        lambda piece, size: (piece * size)[:size],
        st.one_of(st.sampled_from(PIECES), st.text(min_size=1, max_size=3)),
        st.integers(min_value=4_000, max_value=10_000),
    )


def hostile_text() -> st.SearchStrategy[str]:
    """Any of: random Unicode, hostile pieces, or a very long string."""
    return st.one_of(st.text(max_size=60), pieces(), very_long())


def typed_text(max_size: int = 12) -> st.SearchStrategy[str]:
    """What one chat message can carry: hostile pieces, no longer than Telegram allows,
    never blank (Telegram delivers no empty message) and without a leading slash (that
    would be a command)."""
    return (
        st.one_of(pieces(max_size), pieces(max_size, visible=True))
        .map(lambda text: text[:4096])
        .filter(lambda text: text.strip() != "" and not text.startswith("/"))
    )

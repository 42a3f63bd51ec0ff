"""What a search for leads looks for, read the way web search boxes read a query.

Words match the start of words (``photo`` finds "Photoshop"), case and accents aside;
``"logo design"`` in quotes must appear as consecutive words; ``-word`` (or ``-"a phrase"``)
excludes; ``or`` between two terms accepts either. Any other character, ``%`` and ``_``
included, only separates words: nothing a user types is a wildcard or query syntax. A lone
letter or digit is not looked for.
Each engine runs the same parsed query natively (``storage/search.py``), so both find the
same leads.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from domain.errors import InvalidInput

# Letters and digits; the underscore is punctuation here, as it is to FTS5's tokenizer.
_TOKEN = re.compile(r"[^\W_]+")
# A term: optionally negated, quoted (straight or typographic quotes, as phones type them;
# an unclosed quote runs to the end) or a bare run of non-space characters.
_TERM = re.compile(r'(-?)(?:["“”„«»]([^"“”„«»]*)["“”„«»]?|(\S+))')
_OR = "or"
# Scripts from here on (CJK and later) write a whole word in one character.
_IDEOGRAPHS = "\u2e80"

# A search is a few words; what is typed is shown back in the results' header, and a
# whole message's worth would not fit there.
MAX_QUERY = 200

Phrase = tuple[str, ...]


def check_length(typed: str) -> None:
    """Refuses a search longer than anyone types into a search box, with one sentence."""
    if len(typed) > MAX_QUERY:
        raise InvalidInput(
            f"A search can be at most {MAX_QUERY} characters (yours has {len(typed):,}); "
            "please try a few words."
        )


def tokens(text: str) -> list[str]:
    """The searchable words of a text: lower case, accents removed, split at anything else."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _TOKEN.findall(unicodedata.normalize("NFKC", plain.casefold()))


@dataclass(frozen=True)
class SearchQuery:
    """Groups of alternative phrases that must each match, and phrases that must not."""

    required: tuple[tuple[Phrase, ...], ...]
    excluded: tuple[Phrase, ...] = ()

    @classmethod
    def parse(cls, text: str) -> SearchQuery:
        """Reads what someone typed; terms without a single word are dropped."""
        required: list[tuple[Phrase, ...]] = []
        excluded: list[Phrase] = []
        either = False  # the previous term was a bare "or" after a required term
        for match in _TERM.finditer(text):
            negated, quoted, bare = match.groups()
            if bare is not None and not negated and bare.casefold() == _OR:
                either = bool(required)
                continue
            phrase = tuple(tokens(quoted if quoted is not None else bare))
            if not phrase or _too_short(phrase):
                continue
            if negated:
                excluded.append(phrase)
            elif either:
                required[-1] = (*required[-1], phrase)
            else:
                required.append((phrase,))
            either = False
        return cls(tuple(required), tuple(excluded))

    @property
    def empty(self) -> bool:
        """Whether there is no word to look for at all."""
        return not self.required and not self.excluded


def _too_short(phrase: Phrase) -> bool:
    """A lone letter or digit ("<b>", "a") is no word to look for: it starts half of all words."""
    return len(phrase) == 1 and len(phrase[0]) == 1 and phrase[0] < _IDEOGRAPHS

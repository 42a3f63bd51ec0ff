"""Skill names: one canonical spelling per skill, whatever the user typed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from domain import validation
from domain.errors import InvalidInput

MAX_SKILL_LENGTH = 40
MAX_PROFILE_SKILLS = 30

# Canonical spellings of common skills, so "python" and "PYTHON" become "Python".
KNOWN_SKILLS: tuple[str, ...] = (
    "Python",
    "JavaScript",
    "TypeScript",
    "Java",
    "Kotlin",
    "Swift",
    "Go",
    "Rust",
    "C",
    "C++",
    "C#",
    "PHP",
    "Ruby",
    "Django",
    "Flask",
    "FastAPI",
    "React",
    "Vue.js",
    "Angular",
    "Node.js",
    "PostgreSQL",
    "MySQL",
    "SQLite",
    "MongoDB",
    "Redis",
    "Docker",
    "Kubernetes",
    "AWS",
    "Linux",
    "HTML",
    "CSS",
    "SQL",
    "Machine Learning",
    "Data Analysis",
    "Excel",
    "WordPress",
    "Shopify",
    "SEO",
    "Copywriting",
    "Translation",
    "Proofreading",
    "Graphic Design",
    "Logo Design",
    "UI/UX",
    "Figma",
    "Photoshop",
    "Illustration",
    "Video Editing",
    "Animation",
    "Photography",
    "Accounting",
    "Bookkeeping",
    "Legal Advice",
    "Marketing",
    "Social Media",
    "Tutoring",
    "Telegram Bots",
)

# Other names users type for the same skill.
ALIASES: dict[str, str] = {
    "js": "JavaScript",
    "ts": "TypeScript",
    "py": "Python",
    "golang": "Go",
    "postgres": "PostgreSQL",
    "psql": "PostgreSQL",
    "k8s": "Kubernetes",
    "ml": "Machine Learning",
    "nodejs": "Node.js",
    "node": "Node.js",
    "vue": "Vue.js",
    "vuejs": "Vue.js",
    "reactjs": "React",
    "react.js": "React",
    "ux": "UI/UX",
    "ui": "UI/UX",
    "ux/ui": "UI/UX",
    "cpp": "C++",
    "csharp": "C#",
    "ps": "Photoshop",
}

_SEPARATORS = re.compile(r"[,;\n]+")


def skill_key(name: str) -> str:
    """The comparison key of a skill name: case-folded, inner white space collapsed."""
    return " ".join(name.split()).casefold()


_CANONICAL: dict[str, str] = {skill_key(name): name for name in KNOWN_SKILLS}
_CANONICAL.update({skill_key(alias): name for alias, name in ALIASES.items()})


@dataclass(frozen=True)
class SkillName:
    """A skill as it will be stored: its key and the spelling to show."""

    key: str
    display: str


# Besides letters, digits and spaces, the signs real skill names are written with: C++,
# C#, Node.js, .NET, UI/UX, R&D, Objective-C, After Effects (AE), Children's Books.
_SKILL_SIGNS = frozenset("+#./&-_'’()")
# Direction marks come with right-to-left names; a non-joiner spells Persian words.
_SKILL_INVISIBLES = frozenset("\u200c\u200e\u200f")
# Skills of one letter: the programming languages.
_ONE_LETTER_SKILLS = frozenset({"c", "r"})


def _skill_char(char: str) -> bool:
    if char == " " or char in _SKILL_SIGNS or char in _SKILL_INVISIBLES:
        return True
    # Letters, the marks that build letters (Hindi, Arabic), digits.
    return unicodedata.category(char)[0] in "LMN"


def _check_spelling(text: str) -> None:
    """Refuses a skill that is not written in letters ("🛠 🔥", "x") or holds signs no
    skill name has ("<i>"), naming it."""
    letters = sum(1 for char in text if char.isalpha())
    short = letters + sum(1 for char in text if char.isdigit()) < 2
    if (
        not letters
        or (short and text.casefold() not in _ONE_LETTER_SKILLS)
        or not all(_skill_char(char) for char in text)
    ):
        raise InvalidInput(
            f"“{validation.quoted(text)}” is not a skill name: write it in letters, with "
            "digits and signs only as in C++, C#, Node.js or UI/UX."
        )


def normalize_skill(raw: str) -> SkillName:
    """Turns one typed skill into its canonical form, or refuses it with a sentence.
    A skill is written in letters, with digits, spaces and the signs of names like C++ or
    UI/UX (_SKILL_SIGNS); emoji, markup and control characters are refused."""
    if any(validation.forbidden(char) for char in raw):
        raise InvalidInput(
            "A skill cannot contain invisible control characters (such as a right-to-left "
            "override); please type it without them."
        )
    text = validation.trimmed(" ".join(raw.split()))
    if validation.is_blank(text):
        raise InvalidInput("A skill cannot be empty.")
    if len(text) > MAX_SKILL_LENGTH:
        raise InvalidInput(
            f"“{text[:20]}…” is too long for a skill; keep each skill under "
            f"{MAX_SKILL_LENGTH} characters."
        )
    canonical = _CANONICAL.get(skill_key(text))
    if canonical is not None:
        return SkillName(skill_key(canonical), canonical)
    _check_spelling(text)
    return SkillName(skill_key(text), text)


def parse_skill_list(text: str, *, limit: int = MAX_PROFILE_SKILLS) -> list[SkillName]:
    """Parses comma-separated skills, dropping repeats; refuses empty or over-long lists."""
    skills: dict[str, SkillName] = {}
    for part in _SEPARATORS.split(text):
        if not validation.is_blank(part) or any(validation.forbidden(char) for char in part):
            skill = normalize_skill(part)
            skills.setdefault(skill.key, skill)
    if not skills:
        raise InvalidInput("Please send at least one skill, separated by commas.")
    if len(skills) > limit:
        raise InvalidInput(f"Please list at most {limit} skills; you sent {len(skills)}.")
    return list(skills.values())


def unique_in_order(names: Iterable[str]) -> list[str]:
    """The names without repeats (by skill key), first spelling kept."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(skill_key(name), name)
    return list(seen.values())


# Words that join skills in a search ("logo and figma") and name none.
_JOINING_WORDS = frozenset({"and", "or", "the", "for", "of", "in", "with", "a", "an", "&"})
MAX_SEARCH_WORDS = 20


@dataclass(frozen=True)
class SkillSearch:
    """What a search for skills matches: skills named exactly (by key) rank first, then
    skills holding one of ``words`` as a whole word ("logo" finds Logo Design)."""

    exact: tuple[str, ...]
    words: tuple[str, ...]


def search_keys(phrases: Iterable[str]) -> SkillSearch:
    """The keys a search for ``phrases`` matches. Each phrase is a skill ("logo design");
    its words are read greedily as the longest known skills ("python django machine
    learning" → Python, Django, Machine Learning), and any word left over matches the
    skills it is a word of."""
    exact: dict[str, None] = {}
    words: dict[str, None] = {}
    for phrase in phrases:
        key = skill_key(phrase)
        whole = skill_key(_CANONICAL.get(key, key))
        exact[whole] = words[whole] = None
        tokens = key.split()
        start = 0
        while len(tokens) > 1 and start < len(tokens):
            for end in range(len(tokens), start, -1):
                known = _CANONICAL.get(" ".join(tokens[start:end]))
                if known is not None:
                    exact[skill_key(known)] = words[skill_key(known)] = None
                    start = end
                    break
            else:
                if len(tokens[start]) > 1 and tokens[start] not in _JOINING_WORDS:
                    words[tokens[start]] = None
                start += 1
    return SkillSearch(tuple(exact)[:MAX_SEARCH_WORDS], tuple(words)[:MAX_SEARCH_WORDS])

"""Skill names: one canonical spelling per skill, whatever the user typed."""

from __future__ import annotations

import re
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


def normalize_skill(raw: str) -> SkillName:
    """Turns one typed skill into its canonical form, or refuses it with a sentence.
    Anything visible is allowed: skills are shown escaped, so "<3" or "R&D" are harmless;
    control characters are not (domain.validation)."""
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

"""The matching rule: shared skills weigh more than the category."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from domain.leads import SellerMatch, match, rank


def test_a_seller_matches_by_skill_or_by_category() -> None:
    assert match(["Python", "Django"], "Legal", ["python", "Go"], []) == (1, False)
    assert match(["Python"], "Legal", ["Go"], ["Legal"]) == (0, True)
    assert match(["Python"], "Legal", [" PYTHON "], ["Legal"]) == (1, True)
    assert match(["Python"], "Legal", ["Go"], ["Other"]) is None
    assert match(["Python"], None, [], []) is None


def test_more_shared_skills_come_first_then_category_then_older_account() -> None:
    ranked = rank(
        [
            SellerMatch(5, 50, 1, True),
            SellerMatch(2, 20, 0, True),
            SellerMatch(9, 90, 2, False),
            SellerMatch(3, 30, 1, True),
            SellerMatch(1, 10, 1, False),
        ]
    )
    assert [m.seller_id for m in ranked] == [9, 3, 5, 1, 2]


@given(
    st.lists(st.tuples(st.integers(0, 10), st.booleans()), min_size=2, max_size=20, unique=False)
)
def test_one_more_shared_skill_always_outranks_the_category(pairs: list[tuple[int, bool]]) -> None:
    matches = [SellerMatch(i, i, overlap, category) for i, (overlap, category) in enumerate(pairs)]
    ranked = rank(matches)
    for better, worse in pairwise(ranked):
        assert better.overlap >= worse.overlap

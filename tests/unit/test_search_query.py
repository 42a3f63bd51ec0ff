"""Reading a search query: words, quoted phrases, exclusions and "or", never query syntax."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from domain.search import SearchQuery, tokens
from storage.search import fts5, websearch


def test_words_phrases_exclusions_and_alternatives() -> None:
    query = SearchQuery.parse('Logo "brand book" -cheap -"rush job" bakery OR café')
    assert query.required == ((("logo",),), (("brand", "book"),), (("bakery",), ("cafe",)))
    assert query.excluded == (("cheap",), ("rush", "job"))
    assert websearch(query) == 'logo "brand book" bakery or cafe -cheap -"rush job"'
    assert fts5(query.required) == '"logo"* AND "brand"* + "book"* AND ("bakery"* OR "cafe"*)'


def test_what_is_not_a_word_is_dropped() -> None:
    assert SearchQuery.parse('% _ 🍰🍰 <b> -- "" or').empty
    assert SearchQuery.parse("or logo or").required == ((("logo",),),)
    assert SearchQuery.parse("d_sign").required == ((("d", "sign"),),)
    assert SearchQuery.parse("a b 3 -x 日").required == ((("日",),),)
    assert SearchQuery.parse("e-commerce").required == ((("e", "commerce"),),)
    assert SearchQuery.parse('"or"').required == ((("or",),),)
    assert websearch(SearchQuery.parse('"or" logo')) == '"or" logo'


def test_tokens_fold_case_and_accents_in_any_script() -> None:
    assert tokens("Café NAÏVE Ελληνικά Логотип 日本語 x²") == [
        "cafe",
        "naive",
        "ελληνικα",
        "логотип",
        "日本語",
        "x2",
    ]


@given(st.text())
def test_any_text_parses_into_words_only(typed: str) -> None:
    query = SearchQuery.parse(typed)
    phrases = [p for group in query.required for p in group] + list(query.excluded)
    assert all(phrase and all(re.fullmatch(r"[^\W_]+", t) for t in phrase) for phrase in phrases)
    # What each engine is given is rebuilt from those words and reads back the same.
    assert SearchQuery.parse(websearch(query)) == query
    syntax = re.sub(r'"[^\W_]+"\*', "", fts5(query.required))
    assert set(syntax.replace("AND", "").replace("OR", "")) <= set(" +()")

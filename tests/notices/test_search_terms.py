"""Chinese search terms: unigrams and bigrams on both sides of the search."""

from hypothesis import given
from hypothesis import strategies as st

from notices.search import index_terms, query_terms

cjk_text = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=40
)


def test_index_terms_split_chinese_into_characters_and_pairs():
    assert index_terms("专家服务") == "专 家 服 务 专家 家服 服务"


def test_mixed_text_keeps_latin_words_and_numbers():
    assert index_terms("2024年 Word版") == "2024 年 word 版"


def test_query_terms_use_pairs_and_single_characters():
    assert query_terms("专家服务") == "专家 家服 服务"
    assert query_terms("浙") == "浙"
    assert query_terms("  专家，服务！ ") == "专家 服务"
    assert query_terms("") == ""
    assert query_terms("\x00\x1f<script>") == "script"


@given(text=cjk_text, data=st.data())
def test_any_substring_of_indexed_text_is_found(text, data):
    """Every term of a query cut from the text is among the text's index terms."""
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    indexed = set(index_terms(text).split())
    assert set(query_terms(text[start:end]).split()) <= indexed

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bvntd.core.text import MAX_SEARCH_TERMS, MAX_TERM_LENGTH, clean_line, clean_text, fold, search_terms

NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("   \n\t ", ""),
        ("  Xin chào  ", "Xin chào"),
        (NFD_NAME, "Nguyễn Thị Ánh"),
        ("dòng 1\r\ndòng 2\rdòng 3\ndòng 4", "dòng 1\ndòng 2\ndòng 3\ndòng 4"),
        ("a\u2028b\u2029c\x85d\x0be\x0cf", "a\nb\nc\nd\ne\nf"),
        ("cột\tcột", "cột\tcột"),
        ("null\x00byte\x1bescape\x7fdel\x9fc1", "nullbyteescapedelc1"),
        ("zero\u200bwidth\u200cnon\u200djoiner\u2060word", "zerowidthnonjoinerword"),
        ("\ufeffBOM ở đầu", "BOM ở đầu"),
        ("soft\u00adhyphen", "softhyphen"),
        ("bidi \u202eesrever\u202c and \u2066isolate\u2069", "bidi esrever and isolate"),
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("<script>alert('x')</script> &amp;", "<script>alert('x')</script> &amp;"),
        # An invisible character between a letter and its mark must not stop them composing.
        ("e\u200b\u0301", "é"),
    ],
)
def test_it_cleans_text(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("  Nguyễn   Văn\n\nAn \t", "Nguyễn Văn An"),
        ("0912\u00a0345\u2003678", "0912 345 678"),
        ("a\u200bb", "ab"),
    ],
)
def test_it_cleans_a_line(raw, expected):
    assert clean_line(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Điện thoại", "dien thoai"),
        ("ĐẮT", "dat"),
        ("đồng hồ ĐEO TAY", "dong ho deo tay"),
        (NFD_NAME, "nguyen thi anh"),
        ("Ðiện máy", "dien may"),  # eth (U+00D0) typed for Đ
        ("  Hàng   giả,\nhàng nhái ", "hang gia, hang nhai"),
        ("Phở bò 50.000đ", "pho bo 50.000d"),
        ("", ""),
    ],
)
def test_it_folds(raw, expected):
    assert fold(raw) == expected


def test_it_folds_with_and_without_diacritics_alike():
    assert fold("Khiếu nại về điện thoại") == fold("khieu nai ve dien thoai")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", []),
        ("   ", []),
        ("Điện thoại", ["dien", "thoai"]),
        ("điện-thoại, máy tính!!", ["dien", "thoai", "may", "tinh"]),
        ("Samsung samsung SAMSUNG", ["samsung"]),
        ('"quoted" OR * NEAR(x)', ["quoted", "or", "near", "x"]),
        ("0912 345 678", ["0912", "345", "678"]),
        ("snake_case", ["snake", "case"]),
    ],
)
def test_it_splits_search_terms(query, expected):
    assert search_terms(query) == expected


def test_it_caps_search_terms():
    terms = search_terms(" ".join(f"t{i}" for i in range(30)) + " " + "x" * 200)
    assert terms == [f"t{i}" for i in range(MAX_SEARCH_TERMS)]
    assert search_terms("y" * 200) == ["y" * MAX_TERM_LENGTH]


@given(st.text())
def test_clean_text_is_idempotent(value):
    once = clean_text(value)
    assert clean_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "\r" not in once


@given(st.text())
def test_clean_text_leaves_no_control_or_invisible_character(value):
    for ch in clean_text(value):
        assert ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cf", "Cs"}


@given(st.text())
def test_clean_line_is_idempotent_and_one_line(value):
    once = clean_line(value)
    assert clean_line(once) == once
    assert "\n" not in once
    assert "  " not in once


@given(st.text())
def test_fold_is_idempotent(value):
    once = fold(value)
    assert fold(once) == once


@given(st.text())
def test_fold_leaves_no_marks_and_no_d_with_stroke(value):
    folded = fold(value)
    assert "đ" not in folded
    assert "Đ" not in folded
    assert not any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", folded))
    assert folded == " ".join(folded.split())


@given(st.text())
def test_fold_does_not_care_about_normal_form(value):
    assert fold(unicodedata.normalize("NFD", value)) == fold(unicodedata.normalize("NFC", value))


@given(st.text())
def test_search_terms_are_bounded_folded_words(value):
    terms = search_terms(value)
    assert len(terms) <= MAX_SEARCH_TERMS
    assert len(set(terms)) == len(terms)
    for term in terms:
        assert 0 < len(term) <= MAX_TERM_LENGTH
        assert fold(term) == term
        assert " " not in term


def _reference_fold(value: str) -> str:
    """The definition, one character at a time (the fast paths in text.py must agree with it)."""
    import unicodedata

    text = "\n".join(value.splitlines())
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cf", "Cs"})
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = text.replace("đ", "d").replace("ð", "d").replace("ɖ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    return " ".join(unicodedata.normalize("NFC", bare).split())


def test_the_fast_fold_agrees_with_its_definition_on_random_text():
    import random

    from bvntd.core.text import fold

    alphabet = (
        "aăâeêioôơuưy đĐÐð ÀÁẢÃẠàáảãạ ỀẾỂỄỆềếểễệ \n\t\r\x00\x1b\x7f\x85\u00a0\u00ad\u200b\u200d\u202e"
        "\u2028\ufeff\ud800\u0301\u0323\u0306\u0489\u20dd 한국어中文ไทย ＡＢＣ ½ Ǆǅ İ ß"
    )
    rng = random.Random(2026)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert fold(text) == _reference_fold(text), repr(text)

import pytest

from bvntd.businesses.names import (
    LEGAL_FORMS,
    Candidate,
    name_key,
    name_similarity,
    normalize_tax_code,
    rank_candidates,
)

DMX_TAX_CODE = "0303155676"
TGDD_TAX_CODE = "0304190056"
BRANCH_TAX_CODE = "0100109106001"

# --- name_key --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Công ty TNHH Điện máy Xanh", "dien may xanh"),
        ("CTCP Thế Giới Di Động", "the gioi di dong"),
        ("MOBILE WORLD JSC", "mobile world"),
        ("Công ty Cổ phần Đầu tư Thế Giới Di Động", "dau tu the gioi di dong"),
        ("Chi nhánh Công ty TNHH ABC tại Vĩnh Long", "abc tai vinh long"),
        ("CÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH VIÊN Sữa Bống Bang", "sua bong bang"),
        ("Cty TNHH MTV Thương mại Phú Quý", "thuong mai phu quy"),
        ("Công ty TNHH Hai Thành Viên Trở Lên Hòa Bình", "hoa binh"),
        ("Doanh nghiệp tư nhân Minh Phát", "minh phat"),
        ("DNTN Minh Phát", "minh phat"),
        ("Hộ kinh doanh Tạp hóa Cô Ba", "tap hoa co ba"),
        ("Tập đoàn Hòa Phát", "hoa phat"),
        ("Tổng Công ty Bưu điện Việt Nam", "buu dien viet nam"),
        ("Điện Máy Xanh Co., Ltd", "dien may xanh"),
        ("ABC Co.,Ltd.", "abc"),
        ("Global Speak Company Limited", "global speak"),
        ("Acme Corp.", "acme"),
        ("Acme Inc", "acme"),
        ("Vay Nhanh One Member Limited Liability Company", "vay nhanh"),
        ("Hợp tác xã Nông nghiệp Tân Phú", "nong nghiep tan phu"),
        ("  Công ty   TNHH\n Điện  máy\u200b Xanh  ", "dien may xanh"),
        ("Công\u0301 ty TNHH A&B", "a b"),
        # Legal-form words inside other words stay.
        ("Corpus Ltdx Incubator", "corpus ltdx incubator"),
        ("Công ty TNHH Cơ khí Cty Tân", "co khi tan"),
        # Nothing but a legal form: keep it rather than an empty key.
        ("Công ty TNHH", "cong ty tnhh"),
        ("JSC", "jsc"),
        ("", ""),
        ("...", ""),
    ],
)
def test_name_key(name, key):
    assert name_key(name) == key


def test_name_key_ignores_diacritics_and_case():
    assert name_key("CONG TY TNHH DIEN MAY XANH") == name_key("Công ty TNHH Điện máy Xanh")


def test_legal_forms_are_folded_and_longest_first():
    assert list(LEGAL_FORMS) == sorted(LEGAL_FORMS, key=len, reverse=True)
    assert all(form == form.lower().strip() and form.isascii() for form in LEGAL_FORMS)
    for form in ["cong ty tnhh", "ctcp", "co., ltd", "joint stock company", "ho kinh doanh", "chi nhanh"]:
        assert form in LEGAL_FORMS


# --- name_similarity -------------------------------------------------------------------------------------


def test_equal_keys_are_identical():
    assert name_similarity("dien may xanh", "dien may xanh") == 1.0


def test_a_typo_is_similar():
    assert name_similarity("dien may xnah", "dien may xanh") >= 0.85
    assert name_similarity("the gioi di dongg", "the gioi di dong") >= 0.85


def test_unrelated_names_sharing_a_word_are_not():
    assert name_similarity("dien may xanh", "bach hoa xanh") < 0.7
    assert name_similarity("mobile world", "the gioi di dong") < 0.5


def test_a_name_inside_a_longer_one_is_similar():
    assert name_similarity("the gioi di dong", "dau tu the gioi di dong") >= 0.8
    # A branch ("tại <place>") is close to its company, yet below the company's own name.
    assert 0.8 <= name_similarity("abc", "abc tai vinh long") < name_similarity("abc", "abc")


def test_the_same_words_in_another_order_match():
    assert name_similarity("xanh dien may", "dien may xanh") == 1.0


def test_similarity_is_symmetric_and_bounded():
    pairs = [("abc", "abc tai vinh long"), ("dien may xnah", "dien may xanh"), ("a", "b c d")]
    for a, b in pairs:
        assert name_similarity(a, b) == name_similarity(b, a)
        assert 0.0 <= name_similarity(a, b) <= 1.0


def test_an_empty_key_matches_nothing():
    assert name_similarity("", "") == 0.0
    assert name_similarity("", "abc") == 0.0


# --- normalize_tax_code ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0303155676", "0303155676"),
        (" 0303 155 676 ", "0303155676"),
        ("0303.155.676", "0303155676"),
        ("0303-155-676", "0303155676"),
        ("0100109106-001", BRANCH_TAX_CODE),
        ("0100109106 - 001", BRANCH_TAX_CODE),
        ("0303155676\u00a0", "0303155676"),
        ("0303\u200b155676", "0303155676"),
        ("0303155677", None),  # check digit
        ("0100109106-000", None),  # a branch is never 000
        ("030315567", None),
        ("MST 0303155676", None),
        ("", None),
        ("   ", None),
    ],
)
def test_normalize_tax_code(value, expected):
    assert normalize_tax_code(value) == expected


# --- rank_candidates -------------------------------------------------------------------------------------

REGISTRY = [
    (1, DMX_TAX_CODE, "dien may xanh"),
    (2, TGDD_TAX_CODE, "the gioi di dong"),
    (2, TGDD_TAX_CODE, "mobile world"),  # alias
    (2, TGDD_TAX_CODE, "dau tu the gioi di dong"),  # alias
    (3, "", "bach hoa xanh"),
    (4, BRANCH_TAX_CODE, "abc tai vinh long"),
    (5, "", "di dong viet phat"),
    (6, "", "the gioi di dong"),  # a household business that copied the name
]


def test_an_exact_tax_code_comes_first_whatever_the_name():
    ranked = rank_candidates("Bách hóa Xanh", "0303.155.676", REGISTRY)
    assert ranked[0] == Candidate(1, 1.0, "tax_code")
    assert [c.business_id for c in ranked] == [1, 3]


def test_a_tax_code_beats_a_name_match_with_a_lower_id():
    ranked = rank_candidates("Thế Giới Di Động", TGDD_TAX_CODE, REGISTRY)
    assert ranked[:2] == [Candidate(2, 1.0, "tax_code"), Candidate(6, 1.0, "name")]


def test_a_branch_tax_code_matches_typed_with_a_dash():
    assert rank_candidates("", "0100109106-001", REGISTRY) == [Candidate(4, 1.0, "tax_code")]


def test_names_rank_by_score_then_id():
    ranked = rank_candidates("CTCP Thế Giới Di Động", "", REGISTRY)
    assert ranked[:2] == [Candidate(2, 1.0, "name"), Candidate(6, 1.0, "name")]
    assert all(c.reason == "name" for c in ranked)
    assert [c.score for c in ranked] == sorted((c.score for c in ranked), reverse=True)


def test_a_business_appears_once_with_its_best_alias():
    ranked = rank_candidates("Mobile World JSC", "", REGISTRY)
    assert ranked[0] == Candidate(2, 1.0, "name")
    assert [c.business_id for c in ranked].count(2) == 1


def test_a_typo_finds_the_business():
    ranked = rank_candidates("cty dien may xnah", "", REGISTRY)
    assert ranked[0].business_id == 1
    assert ranked[0].reason == "name"
    assert ranked[0].score >= 0.85


def test_below_min_score_is_left_out():
    assert rank_candidates("Công ty TNHH Sữa Bống Bang", "", REGISTRY) == []
    ranked = rank_candidates("Điện Máy Xanh", "", REGISTRY, min_score=0.5)
    assert [c.business_id for c in ranked] == [1, 3]
    assert [c.business_id for c in rank_candidates("Điện Máy Xanh", "", REGISTRY)] == [1]


def test_limit():
    ranked = rank_candidates("Thế Giới Di Động", "", REGISTRY, limit=1)
    assert ranked == [Candidate(2, 1.0, "name")]


def test_an_invalid_tax_code_falls_back_to_the_name():
    ranked = rank_candidates("Điện máy Xanh", "0303155677", REGISTRY)
    assert ranked == [Candidate(1, 1.0, "name")]


def test_nothing_to_match():
    assert rank_candidates("", "", REGISTRY) == []
    assert rank_candidates("Điện máy Xanh", "", []) == []


def test_rows_can_be_a_generator():
    rows = (row for row in REGISTRY)
    assert rank_candidates("Điện máy Xanh", "", rows)[0].business_id == 1


def test_candidate_is_frozen():
    candidate = Candidate(1, 1.0, "tax_code")
    with pytest.raises(AttributeError):
        candidate.score = 0.5  # type: ignore[misc]


def test_names_that_share_only_trade_words_are_different_businesses():
    assert name_similarity("thuong mai dich vu abc", "thuong mai dich vu xyz") < 0.3
    assert name_similarity("thuong mai dich vu abc", "thuong mai abc") >= 0.8

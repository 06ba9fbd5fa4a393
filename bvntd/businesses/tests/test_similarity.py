import random
import re
import subprocess
import sys
import time
import zlib
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bvntd.businesses.similarity import (
    BANDS,
    EMPTY_SIGNATURE,
    NUM_PERM,
    band_keys,
    clusters,
    estimate_jaccard,
    shingles,
    signature,
)
from bvntd.core.text import fold

PROJECT_ROOT = Path(__file__).resolve().parents[3]

PHONE_DEPOSIT = (
    "Ngày 12/10/2026 tôi là Nguyễn Văn Hùng đến cửa hàng Di Động Việt Phát ở số 45 đường Trần Hưng Đạo, "
    "thành phố Vĩnh Long để đặt mua một điện thoại iPhone 16 Pro Max màu titan. Nhân viên bán hàng yêu cầu "
    "tôi đặt cọc 5.000.000 đồng và hẹn 7 ngày sau có hàng. Đến hẹn, cửa hàng báo chưa có máy và xin lùi "
    "thêm một tuần. Sau hai lần lùi hẹn tôi đề nghị hủy đơn và nhận lại tiền cọc nhưng cửa hàng từ chối, "
    "nói rằng tiền cọc không được hoàn lại theo quy định của cửa hàng, trong khi phiếu đặt cọc không ghi "
    "điều này. Tôi đề nghị cơ quan chức năng xem xét, buộc cửa hàng hoàn trả đủ số tiền đã đặt cọc."
)
# The same complaint typed on a phone without a Vietnamese keyboard.
PHONE_DEPOSIT_NO_DIACRITICS = (
    "Ngay 12/10/2026 toi la Nguyen Van Hung den cua hang Di Dong Viet Phat o so 45 duong Tran Hung Dao, "
    "thanh pho Vinh Long de dat mua mot dien thoai iPhone 16 Pro Max mau titan. Nhan vien ban hang yeu cau "
    "toi dat coc 5.000.000 dong va hen 7 ngay sau co hang. Den hen, cua hang bao chua co may va xin lui "
    "them mot tuan. Sau hai lan lui hen toi de nghi huy don va nhan lai tien coc nhung cua hang tu choi, "
    "noi rang tien coc khong duoc hoan lai theo quy dinh cua cua hang, trong khi phieu dat coc khong ghi "
    "dieu nay. Toi de nghi co quan chuc nang xem xet, buoc cua hang hoan tra du so tien da dat coc."
)
# Another customer: other name, date and amount, and one sentence of their own.
PHONE_DEPOSIT_EDITED = (
    "Ngày 14/10/2026 tôi là Trần Thị Mai đến cửa hàng Di Động Việt Phát ở số 45 đường Trần Hưng Đạo, "
    "thành phố Vĩnh Long để đặt mua một điện thoại iPhone 16 Pro Max màu titan. Nhân viên bán hàng yêu cầu "
    "tôi đặt cọc 3.500.000 đồng và hẹn 7 ngày sau có hàng. Đến hẹn, cửa hàng báo chưa có máy và xin lùi "
    "thêm một tuần. Sau hai lần lùi hẹn tôi đề nghị hủy đơn và nhận lại tiền cọc nhưng cửa hàng từ chối, "
    "nói rằng tiền cọc không được hoàn lại theo quy định của cửa hàng, trong khi phiếu đặt cọc không ghi "
    "điều này. Tôi đã gọi điện nhiều lần nhưng quản lý cửa hàng không nghe máy. "
    "Tôi đề nghị cơ quan chức năng xem xét, buộc cửa hàng hoàn trả đủ số tiền đã đặt cọc."
)
# Same shop, a different grievance.
PHONE_WARRANTY = (
    "Tôi mua điện thoại Samsung Galaxy S24 tại Di Động Việt Phát chi nhánh Vĩnh Long ngày 03/09/2026, "
    "có phiếu bảo hành 12 tháng. Sau ba tuần sử dụng, màn hình xuất hiện sọc xanh và cảm ứng bị liệt. "
    "Khi mang máy đến bảo hành, kỹ thuật viên kết luận máy bị vào nước dù máy chưa từng tiếp xúc với nước "
    "và tem niêm phong còn nguyên. Cửa hàng đòi tôi trả 4.200.000 đồng để thay màn hình. Tôi yêu cầu được "
    "đổi máy mới hoặc sửa miễn phí đúng cam kết bảo hành."
)
MILK_LABEL = (
    "Tôi mua hai hộp sữa bột Nutri Gold Kids 900g tại siêu thị mẹ và bé Bống Bang để cho con 3 tuổi uống. "
    "Nhãn phụ tiếng Việt ghi sản phẩm nhập khẩu từ Úc, hàm lượng đạm 18g trên 100g, nhưng khi tra mã vạch "
    "thì sản phẩm được sản xuất trong nước và thông tin trên website nhà sản xuất ghi hàm lượng đạm chỉ 12g. "
    "Hạn sử dụng trên nhãn phụ cũng khác với hạn in dưới đáy hộp. Tôi đề nghị kiểm tra việc ghi nhãn sai "
    "sự thật và yêu cầu siêu thị hoàn tiền."
)
ONLINE_COURSE = (
    "Tháng 8/2026 tôi đăng ký khóa học tiếng Anh giao tiếp trực tuyến 6 tháng của Trung tâm Anh ngữ Global "
    "Speak qua quảng cáo trên Facebook và chuyển khoản học phí 8.900.000 đồng. Trung tâm hứa cấp tài khoản "
    "học trong 3 ngày nhưng đã hơn hai tháng tôi vẫn chưa được học buổi nào. Nhắn tin vào fanpage thì chỉ "
    "nhận câu trả lời tự động, số hotline không liên lạc được. Tôi yêu cầu trung tâm hoàn lại học phí."
)
ELECTRICITY = (
    "Hóa đơn tiền điện tháng 10 của gia đình tôi là 3.150.000 đồng, gấp gần ba lần các tháng trước dù nhà "
    "chỉ có hai người và không dùng thêm thiết bị nào. Khi tôi kiểm tra công tơ thì chỉ số thực tế thấp hơn "
    "chỉ số ghi trên hóa đơn. Nhân viên điện lực trả lời là do ghi chỉ số bằng máy nên không thể sai."
)
COSMETICS = (
    "Tôi đặt mua một chai kem chống nắng trên sàn thương mại điện tử, gian hàng ghi là hàng chính hãng "
    "nhập khẩu Hàn Quốc. Khi nhận hàng, bao bì bị in lệch, mã QR dẫn đến một trang web lạ, dùng hai ngày "
    "thì da mặt bị mẩn đỏ. Người bán không trả lời tin nhắn và sàn từ chối cho trả hàng vì đã quá hạn."
)
GYM = (
    "Phòng tập gym tự động gia hạn hợp đồng hội viên 12 tháng và trừ 6.000.000 đồng trong thẻ tín dụng của "
    "tôi mà không hỏi ý kiến. Hợp đồng tôi ký chỉ có thời hạn 6 tháng và không có điều khoản tự gia hạn. "
    "Khi tôi yêu cầu hủy, phòng tập đòi phí chấm dứt hợp đồng trước hạn."
)
TOUR = (
    "Công ty du lịch thu đủ tiền tour Đà Lạt 3 ngày 2 đêm cho đoàn 8 người nhưng đến ngày khởi hành thì "
    "báo hủy tour vì không đủ khách, chỉ đồng ý hoàn 50% số tiền và bảo lưu phần còn lại trong 6 tháng."
)
UNRELATED = [PHONE_WARRANTY, MILK_LABEL, ONLINE_COURSE, ELECTRICITY, COSMETICS, GYM, TOUR]

# A template passed around a group chat: each victim fills in their own name, amount, phone and date.
LOAN_APP_TEMPLATE = (
    "Tôi tên là {name}, số điện thoại {phone}. Tôi vay qua ứng dụng Vay Nhanh 24h số tiền {amount} đồng, "
    "kỳ hạn 7 ngày. Khi giải ngân tôi chỉ nhận được khoảng 60% số tiền vay, phần còn lại bị trừ là phí hồ sơ "
    "và phí bảo hiểm mà không có thỏa thuận nào. Ngày {day} tôi đã trả đủ nhưng ứng dụng vẫn báo quá hạn, "
    "nhân viên thu hồi nợ gọi điện đe dọa, nhắn tin bôi nhọ tôi tới người thân và đồng nghiệp trong danh bạ. "
    "Đề nghị cơ quan chức năng xử lý hành vi thu phí trái phép và đòi nợ kiểu xã hội đen của ứng dụng này."
)
LOAN_APP_VICTIMS = [
    ("Lê Văn Tâm", "0903 112 233", "3.000.000", "02/11/2026"),
    ("Phạm Thị Hoa", "0918 456 789", "2.500.000", "04/11/2026"),
    ("Nguyễn Minh Khang", "0987 654 321", "5.000.000", "05/11/2026"),
    ("Võ Thị Thu Trang", "0939 000 111", "1.500.000", "07/11/2026"),
    ("Huỳnh Quốc Bảo", "0772 345 678", "4.000.000", "09/11/2026"),
    ("Đặng Ngọc Lan", "0356 789 012", "2.000.000", "10/11/2026"),
]


VOCABULARY = " ".join([PHONE_DEPOSIT, *UNRELATED, LOAN_APP_TEMPLATE]).split()


def loan_app_complaints() -> list[str]:
    return [
        LOAN_APP_TEMPLATE.format(name=name, phone=phone, amount=amount, day=day)
        for name, phone, amount, day in LOAN_APP_VICTIMS
    ]


def exact_jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


# --- shingles --------------------------------------------------------------------------------------------


def test_shingles_are_word_trigrams_of_the_folded_text():
    assert len(shingles("Cửa hàng không hoàn tiền cọc")) == 4
    assert shingles("Cửa hàng không hoàn tiền cọc") == shingles("cua hang, KHONG hoan tien coc!")


def test_a_short_text_is_its_words():
    assert len(shingles("Lừa đảo")) == 2
    assert shingles("lừa đảo") == shingles("lua dao")
    assert shingles("") == set() == shingles("  ... !!! ")


def test_k_is_at_least_one():
    assert len(shingles("một hai ba bốn", k=1)) == 4
    with pytest.raises(ValueError):
        shingles("một hai ba", k=0)


# Whitespace and invisible characters where folding token by token could differ from folding the whole text.
TRICKY = st.sampled_from(
    [" ", "\n", "\r\n", "\t", "\x1f", "\x1e", "\x85", "\u2028", "\u00a0", "\u200b", "\u0301"]
)


@given(st.lists(st.characters(codec="utf-8") | TRICKY, max_size=60).map("".join))
def test_folding_token_by_token_gives_the_words_of_the_folded_text(text):
    # shingles() folds each whitespace-separated token on its own, and caches it, for speed.
    words = re.findall(r"[^\W_]+", fold(text))
    assert shingles(text, k=1) == {zlib.crc32(word.encode()) for word in words}


# --- signatures ------------------------------------------------------------------------------------------


def test_a_signature_is_num_perm_little_endian_uint64():
    assert len(signature(PHONE_DEPOSIT)) == NUM_PERM * 8
    assert signature(PHONE_DEPOSIT) == signature(PHONE_DEPOSIT)


def test_the_same_complaint_without_diacritics_is_the_same_text():
    assert estimate_jaccard(signature(PHONE_DEPOSIT), signature(PHONE_DEPOSIT_NO_DIACRITICS)) >= 0.9


def test_a_lightly_edited_copy_is_similar():
    # Another name, date and amount and one sentence added: 3/4 of the shingles are still shared.
    assert exact_jaccard(PHONE_DEPOSIT, PHONE_DEPOSIT_EDITED) > 0.6
    assert estimate_jaccard(signature(PHONE_DEPOSIT), signature(PHONE_DEPOSIT_EDITED)) >= 0.5


def test_two_different_complaints_about_the_same_shop_are_not_similar():
    assert estimate_jaccard(signature(PHONE_DEPOSIT), signature(PHONE_WARRANTY)) < 0.3


def test_unrelated_complaints_are_not_similar():
    sigs = [signature(text) for text in [PHONE_DEPOSIT, *UNRELATED]]
    assert max(estimate_jaccard(a, b) for a, b in combinations(sigs, 2)) < 0.2


def test_the_estimate_follows_the_exact_jaccard_index():
    # 64 permutations: standard error sqrt(J(1-J)/64) <= 0.0625; allow four of them.
    texts = [PHONE_DEPOSIT, PHONE_DEPOSIT_EDITED, PHONE_WARRANTY, *loan_app_complaints()[:3]]
    for a, b in combinations(texts, 2):
        assert abs(estimate_jaccard(signature(a), signature(b)) - exact_jaccard(a, b)) <= 0.25


def test_an_empty_text_is_similar_to_nothing():
    empty = signature("")
    assert empty == EMPTY_SIGNATURE == signature(" \n... ?! ")
    assert estimate_jaccard(empty, empty) == 0.0
    assert estimate_jaccard(empty, signature(PHONE_DEPOSIT)) == 0.0
    assert estimate_jaccard(signature(PHONE_DEPOSIT), empty) == 0.0
    assert band_keys(empty) == []


def test_a_one_word_text_is_similar_to_itself():
    assert estimate_jaccard(signature("Lừa đảo"), signature("lua dao")) == 1.0


def test_a_long_text_is_handled():
    rng = random.Random(7)
    text = " ".join(rng.choice(VOCABULARY) for _ in range(4000))[:10_000]
    assert len(text) == 10_000
    assert estimate_jaccard(signature(text), signature(text + " Xin cảm ơn.")) >= 0.9
    assert estimate_jaccard(signature(text), signature(PHONE_DEPOSIT)) < 0.2


def test_a_signature_is_the_same_in_another_process():
    # str hashes are randomised per process; signatures are stored, so they must not depend on it.
    code = (
        "import sys; from bvntd.businesses.similarity import signature; print(signature(sys.argv[1]).hex())"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code, PHONE_DEPOSIT],
        cwd=PROJECT_ROOT,
        env={"PYTHONHASHSEED": "12345", "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert bytes.fromhex(result.stdout.strip()) == signature(PHONE_DEPOSIT)


def test_a_wrong_size_signature_is_refused():
    with pytest.raises(ValueError):
        estimate_jaccard(b"\x00" * 8, signature(PHONE_DEPOSIT))


def test_signatures_are_fast():
    # Texts of ~500 characters drawn from the complaints' words, so each one is different.
    rng = random.Random(11)
    texts = [" ".join(rng.choice(VOCABULARY) for _ in range(110))[:500] for _ in range(1000)]
    start = time.perf_counter()
    for text in texts:
        signature(text)
    elapsed = time.perf_counter() - start
    print(f"\nsignature() of 1,000 texts of ~500 characters: {elapsed:.3f} s")
    assert elapsed < 5


# --- LSH -------------------------------------------------------------------------------------------------


def test_band_keys_are_short_numbered_and_stable():
    keys = band_keys(signature(PHONE_DEPOSIT))
    assert len(keys) == BANDS
    assert [key[:3] for key in keys] == [f"{band:02d}:" for band in range(BANDS)]
    assert all(re.fullmatch(r"\d\d:[0-9a-f]{16}", key) for key in keys)
    assert keys == band_keys(signature(PHONE_DEPOSIT_NO_DIACRITICS))


def test_near_copies_share_a_band_and_different_texts_do_not():
    assert set(band_keys(signature(PHONE_DEPOSIT))) & set(band_keys(signature(PHONE_DEPOSIT_EDITED)))
    assert not set(band_keys(signature(PHONE_DEPOSIT))) & set(band_keys(signature(PHONE_WARRANTY)))


def test_clusters_group_the_copies_of_a_template_and_leave_the_rest_out():
    copies = loan_app_complaints()
    texts = [UNRELATED[0], copies[0], *UNRELATED[1:4], *copies[1:], *UNRELATED[4:], PHONE_DEPOSIT]
    items = [(100 + n, signature(text)) for n, text in enumerate(texts)]
    copy_ids = sorted(item_id for (item_id, _), text in zip(items, texts, strict=True) if text in copies)
    assert clusters(items) == [copy_ids]


def test_clusters_are_sorted_by_size_then_first_id():
    deposit = [(7, signature(PHONE_DEPOSIT)), (3, signature(PHONE_DEPOSIT_EDITED))]
    loans = [(20 + n, signature(text)) for n, text in enumerate(loan_app_complaints()[:3])]
    alone = [(1, signature(MILK_LABEL)), (2, signature(""))]
    assert clusters([*deposit, *alone, *loans]) == [[20, 21, 22], [3, 7]]
    assert clusters([*alone, *loans[:2], *deposit]) == [[3, 7], [20, 21]]


def test_clusters_apply_the_threshold():
    items = [(1, signature(PHONE_DEPOSIT)), (2, signature(PHONE_DEPOSIT_EDITED))]
    assert clusters(items, threshold=0.5) == [[1, 2]]
    assert clusters(items, threshold=1.0) == []


def test_clusters_of_nothing():
    assert clusters([]) == []
    assert clusters([(1, signature("")), (2, signature(""))]) == []

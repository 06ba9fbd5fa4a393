"""The mediation minutes PDF, read back with pypdf. No database.

To look at a sample: `.venv/bin/python -c "from bvntd.businesses.tests.test_pdf import write_sample;
write_sample('/tmp/mediation-sample.pdf')"`, then open the file or run `pdftoppm -png` on it.
"""

import dataclasses
import datetime as dt
import io
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from bvntd.businesses.pdf import (
    NO_SETTLEMENT,
    MediationRecord,
    PromiseLine,
    SignatureBlock,
    render_mediation_pdf,
)
from bvntd.core.calendar import VN_TZ


def sample_record(**overrides) -> MediationRecord:
    record = MediationRecord(
        tracking_code="VL-7K3Q-9MPX",
        agency_name="Sở Công Thương tỉnh Vĩnh Long",
        province_name="Vĩnh Long",
        session_number=2,
        # 07:30 UTC is 14:30 in Vietnam.
        held_at=dt.datetime(2026, 11, 28, 7, 30, tzinfo=dt.UTC),
        place="Phòng họp số 3, Sở Công Thương, 116 Đường 30/4, Phường 1, Vĩnh Long",
        online_link="https://meet.example.vn/hoa-giai/VL-7K3Q-9MPX",
        participants=[
            "Bà Nguyễn Thị Hằng — người tiêu dùng",
            "Ông Trần Quốc Việt — đại diện Công ty Cổ phần Điện máy Xanh, theo giấy ủy quyền số 12/UQ",
            "Bà Lê Ngọc Ánh — hòa giải viên, Phòng Quản lý thương mại",
        ],
        business_name="Công ty Cổ phần Điện máy Xanh",
        subject=(
            "Người tiêu dùng mua một máy giặt ngày 02/10/2026; máy hỏng bo mạch sau 10 ngày. Cửa hàng "
            "từ chối bảo hành vì cho rằng lỗi do người dùng, và yêu cầu người tiêu dùng trả phí sửa chữa."
        ),
        minutes=(
            "Hòa giải viên nêu mục đích phiên hòa giải và quyền, nghĩa vụ của các bên.\n\n"
            "Bà Hằng trình bày: máy đã được lắp đặt đúng hướng dẫn, yêu cầu đổi máy mới và bồi thường "
            "chi phí giặt ngoài trong thời gian chờ.\n\n"
            "Ông Việt trình bày: doanh nghiệp đồng ý đổi máy mới cùng loại, và đề nghị hỗ trợ một phần "
            "chi phí."
        ),
        settlement_summary=(
            "Các bên thống nhất: doanh nghiệp đổi máy giặt mới cùng loại và bồi thường cho người tiêu dùng "
            "chi phí phát sinh; người tiêu dùng rút yêu cầu hỗ trợ giải quyết tranh chấp."
        ),
        promises=[
            PromiseLine(
                "Doanh nghiệp", "Đổi máy giặt mới cùng loại, lắp đặt tại nhà", None, dt.date(2026, 12, 5)
            ),
            PromiseLine("Doanh nghiệp", "Bồi thường chi phí giặt ngoài", 1_500_000, dt.date(2026, 12, 10)),
            PromiseLine("Người tiêu dùng", "Bàn giao máy hỏng cho doanh nghiệp", None, dt.date(2026, 12, 5)),
        ],
        signatures=[
            SignatureBlock("ĐẠI DIỆN DOANH NGHIỆP", "Trần Quốc Việt"),
            SignatureBlock("NGƯỜI TIÊU DÙNG", "Nguyễn Thị Hằng"),
            SignatureBlock("HÒA GIẢI VIÊN", "Lê Ngọc Ánh"),
        ],
        printed_at=dt.datetime(2026, 11, 28, 16, 5, tzinfo=VN_TZ),
    )
    return dataclasses.replace(record, **overrides)


def write_sample(path: str) -> None:
    Path(path).write_bytes(render_mediation_pdf(sample_record()))


def page_texts(pdf: bytes) -> list[str]:
    # NFC and single spaces: extraction may decompose letters or break lines anywhere the layout wrapped.
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", unicodedata.normalize("NFC", page.extract_text())) for page in reader.pages]


def text_of(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render_mediation_pdf(sample_record())


def test_is_a_pdf(sample_pdf):
    assert sample_pdf.startswith(b"%PDF-")


@pytest.mark.parametrize(
    "expected",
    [
        "BIÊN BẢN HÒA GIẢI",
        "Hồ sơ VL-7K3Q-9MPX — phiên 2",
        "Sở Công Thương tỉnh Vĩnh Long",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Vĩnh Long, ngày 28 tháng 11 năm 2026",
        "Thời gian: 14 giờ 30, ngày 28/11/2026",
        "Nguyễn Thị Hằng",
        "Điện máy Xanh",
        "bồi thường",
        "1.500.000",
        "10/12/2026",
        "Cam kết của các bên",
        "Hạn thực hiện",
        "ĐẠI DIỆN DOANH NGHIỆP",
        "(Ký, ghi rõ họ tên)",
        "03 bản có giá trị như nhau",
    ],
)
def test_vietnamese_text_reads_back_exactly(sample_pdf, expected):
    assert expected in text_of(sample_pdf)


def test_sections_come_in_order(sample_pdf):
    text = text_of(sample_pdf)
    headings = [
        "I. Thời gian, địa điểm",
        "II. Thành phần tham dự",
        "III. Nội dung vụ việc",
        "IV. Diễn biến hòa giải",
        "V. Kết quả hòa giải",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)


def test_embeds_dejavu_and_no_other_font(sample_pdf):
    fonts = set()
    for page in PdfReader(io.BytesIO(sample_pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            # Subset names are "AAAAAA+DejaVuSans"; a base-14 font (Helvetica...) has no Vietnamese glyphs.
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
            assert "/FontFile2" in font["/FontDescriptor"], "the TrueType program is embedded"
    assert fonts == {"DejaVuSans", "DejaVuSans-Bold"}


def test_metadata(sample_pdf):
    meta = PdfReader(io.BytesIO(sample_pdf)).metadata
    assert meta.title == "Biên bản hòa giải VL-7K3Q-9MPX"
    assert meta.author == "Sở Công Thương tỉnh Vĩnh Long"


def test_same_record_same_bytes(sample_pdf):
    assert render_mediation_pdf(sample_record()) == sample_pdf


def test_footer_shows_the_code_page_and_print_time(sample_pdf):
    text = text_of(sample_pdf)
    assert "Hồ sơ VL-7K3Q-9MPX · trang 1" in text
    assert "In lúc 16:05 28/11/2026" in text


def test_markup_in_user_text_prints_literally():
    record = sample_record(
        business_name="Cửa hàng <b>A & B</b>",
        minutes="Khách hàng viết: <b>& giá < 100.000 đồng",
        participants=["Ông <i>X</i> & bà Y"],
    )
    text = text_of(render_mediation_pdf(record))
    assert "Cửa hàng <b>A & B</b>" in text
    assert "Khách hàng viết: <b>& giá < 100.000 đồng" in text
    assert "Ông <i>X</i> & bà Y" in text


def test_decomposed_input_prints_composed():
    record = sample_record(business_name=unicodedata.normalize("NFD", "Nhà sách Tiến Thọ"))
    assert "Nhà sách Tiến Thọ" in text_of(render_mediation_pdf(record))


def test_long_minutes_flow_over_pages_with_a_footer_on_each():
    paragraph = (
        "Các bên trình bày ý kiến về chất lượng sản phẩm, thời hạn bảo hành và chi phí khắc phục. " * 4
    )
    minutes = "\n\n".join(f"{n}. {paragraph}" for n in range(1, 201))
    pages = page_texts(render_mediation_pdf(sample_record(minutes=minutes)))
    assert len(pages) > 5
    for number, text in enumerate(pages, start=1):
        assert f"Hồ sơ VL-7K3Q-9MPX · trang {number}" in text
        assert "In lúc 16:05 28/11/2026" in text
    assert "200. Các bên trình bày" in " ".join(pages)


def test_unbroken_long_texts_wrap_instead_of_failing():
    # One paragraph with no blank line, a URL with no space, a promise that fills more than a page.
    record = sample_record(
        minutes="Một đoạn rất dài không có dòng trống. " * 600,
        online_link="https://meet.example.vn/" + "x" * 400,
        promises=[
            PromiseLine("Doanh nghiệp", "Nội dung cam kết rất dài. " * 400, 2_000_000, dt.date(2027, 1, 4))
        ],
    )
    text = text_of(render_mediation_pdf(record))
    assert "2.000.000" in text
    assert "04/01/2027" in text


def test_a_long_paragraph_starts_under_its_heading_not_on_a_new_page():
    pages = page_texts(render_mediation_pdf(sample_record(minutes="Lời trình bày rất dài. " * 800)))
    assert "IV. Diễn biến hòa giải Lời trình bày rất dài." in pages[0]


def test_no_settlement_says_so_and_has_no_promise_table():
    text = text_of(render_mediation_pdf(sample_record(settlement_summary="", promises=[])))
    assert NO_SETTLEMENT in text
    assert "chưa đạt được thỏa thuận" in text
    assert "Cam kết của các bên" not in text
    assert "Số tiền (đồng)" not in text


def test_without_place_link_or_names():
    record = sample_record(
        place="",
        online_link="",
        participants=[],
        signatures=[SignatureBlock("HÒA GIẢI VIÊN", "")],
        minutes="",
    )
    text = text_of(render_mediation_pdf(record))
    assert "Địa điểm" not in text
    assert "HÒA GIẢI VIÊN" in text
    assert "01 bản có giá trị như nhau" in text


def test_many_signatures_wrap_into_rows():
    signatures = [SignatureBlock(f"BÊN THỨ {n}", f"Người ký số {n}") for n in range(1, 6)]
    text = text_of(render_mediation_pdf(sample_record(signatures=signatures)))
    assert all(f"Người ký số {n}" in text for n in range(1, 6))


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="aware"):
        render_mediation_pdf(sample_record(held_at=dt.datetime(2026, 11, 28, 14, 30)))


def test_amount_and_date_formats():
    record = sample_record(
        promises=[
            PromiseLine("Doanh nghiệp", "Hoàn tiền", 12_345_678, dt.date(2027, 3, 9)),
            PromiseLine("Doanh nghiệp", "Hoàn tiền nhỏ", 500, dt.date(2027, 3, 9)),
        ]
    )
    text = text_of(render_mediation_pdf(record))
    assert "12.345.678" in text
    assert "09/03/2027" in text
    assert " 500 " in text

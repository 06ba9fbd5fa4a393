"""Reading and checking an uploaded list of businesses: pure, no database."""

import csv
import datetime as dt
import io
import random
import unicodedata
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.vn import mst

from bvntd.businesses import importing
from bvntd.businesses.importing import (
    COLUMNS,
    BusinessRow,
    FileError,
    Lookups,
    RowError,
    header_problems,
    read_rows,
    validate_row,
)
from bvntd.core.text import fold

HANOI_TAX = "0100109106"
HCM_TAX = "030203979" + mst.calc_check_digit("030203979")
BRANCH_TAX = HANOI_TAX + "001"
WRONG_CHECK_DIGIT = "0100109107"

PROVINCES = [("86", "Vĩnh Long", "Tỉnh"), ("01", "Hà Nội", "Thành phố"), ("79", "Hồ Chí Minh", "Thành phố")]
COMMUNES = [
    ("28756", "86", "Phú Khương", "Phường"),
    ("28807", "86", "Giao Long", "Xã"),
    ("00004", "01", "Ba Đình", "Phường"),
    ("00070", "01", "Hoàn Kiếm", "Phường"),
    ("26743", "79", "Bến Thành", "Phường"),
]


def build_lookups() -> Lookups:
    # As the caller builds them from the map: code, folded name, folded full name.
    provinces = {}
    for code, name, kind in PROVINCES:
        provinces |= {code: code, fold(name): code, fold(f"{kind} {name}"): code}
    communes = {}
    for code, province, name, kind in COMMUNES:
        for key in (code, fold(name), fold(f"{kind} {name}")):
            communes[(province, key)] = code
    return Lookups(provinces=provinces, communes=communes, sectors={"general", "ecommerce", "food"})


LOOKUPS = build_lookups()
EMPTY = dict.fromkeys(COLUMNS, "")


def csv_bytes(rows, *, delimiter=",", encoding="utf-8-sig") -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode(encoding)


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: â, ơ, ư... precomposed, tone marks as combining
    characters after them (the code page has no "ễ", only "ê" + combining tilde)."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        shape = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        out.append(shape + "".join(c for c in decomposed if c in _TONE_MARKS))
    return "".join(out).encode("cp1258")


def xlsx_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row_of(**fields) -> dict[str, str]:
    return EMPTY | fields


def test_the_tax_codes_used_here_are_what_they_claim():
    assert mst.is_valid(HANOI_TAX)
    assert mst.is_valid(HCM_TAX)
    assert mst.is_valid(BRANCH_TAX)
    assert not mst.is_valid(WRONG_CHECK_DIGIT)


# Reading ---------------------------------------------------------------------------------------------------


def test_it_reads_a_utf8_csv_with_bom_into_cleaned_rows():
    nfd_name = unicodedata.normalize("NFD", "Công ty Điện máy ABC")
    data = csv_bytes(
        [
            ["Mã số thuế", "Tên doanh nghiệp", "Tên khác", "Tỉnh/thành phố", "Địa chỉ", "Ghi chú"],
            [f" {HANOI_TAX} ", f"  {nfd_name}\u200b  ", "ĐMX;  Điện máy X", "Hà Nội", "12  Lý\tThái Tổ", "x"],
        ]
    )
    assert data.startswith(b"\xef\xbb\xbf")

    assert list(read_rows("doanh-nghiep.csv", data)) == [
        (
            2,
            row_of(
                tax_code=HANOI_TAX,
                name="Công ty Điện máy ABC",
                aliases="ĐMX; Điện máy X",
                province="Hà Nội",
                address="12 Lý Thái Tổ",
            ),
        )
    ]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_it_finds_the_delimiter_even_when_values_contain_the_others(delimiter):
    data = csv_bytes(
        [
            ["Tên doanh nghiệp", "Địa chỉ", "Gian hàng"],
            ["Cửa hàng A, B; C", "Số 1, đường 3/2; khóm 4", "Shopee: a;Lazada: a"],
        ],
        delimiter=delimiter,
        encoding="utf-8",
    )

    [(number, row)] = read_rows("a.csv", data)

    assert number == 2
    assert row["name"] == "Cửa hàng A, B; C"
    assert row["address"] == "Số 1, đường 3/2; khóm 4"
    assert row["shops"] == "Shopee: a;Lazada: a"


def test_it_reads_a_cp1258_csv_from_vietnamese_windows():
    data = to_cp1258("Tên doanh nghiệp;Tỉnh\r\nCông ty Cổ phần Thực phẩm Tiền Giang;Vĩnh Long\r\n")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    assert list(read_rows("a.csv", data)) == [
        (2, row_of(name="Công ty Cổ phần Thực phẩm Tiền Giang", province="Vĩnh Long"))
    ]


def test_it_reads_a_utf16_csv_as_excel_saves_unicode_text():
    data = "Tên doanh nghiệp\tTỉnh\r\nCửa hàng Ánh Dương\tHà Nội\r\n".encode("utf-16")

    assert list(read_rows("a.csv", data)) == [(2, row_of(name="Cửa hàng Ánh Dương", province="Hà Nội"))]


def test_csv_row_numbers_are_those_of_the_spreadsheet():
    # Two blank lines before the header, a blank and a separators-only line between rows, and a cell
    # spanning two lines: Excel shows that cell on one row, and so do we.
    text = '\r\n\r\nTên,Tên khác\r\nA,"A1\r\nA2"\r\n\r\n,\r\nB,\r\n'

    rows = list(read_rows("a.csv", text.encode()))

    assert [(number, row["name"], row["aliases"]) for number, row in rows] == [
        (4, "A", "A1; A2"),
        (7, "B", ""),
    ]


def test_it_reads_the_first_sheet_of_an_xlsx_with_numbers_dates_and_gaps():
    data = xlsx_bytes(
        [
            ["Note", "tax code", "Business name", "Province", "Commune", "Founded", "Website"],
            ["x", int(HANOI_TAX), "Công ty Điện máy ABC", 86, "Phú Khương", dt.date(2020, 5, 1), "abc.vn"],
            [],
            [None, int(BRANCH_TAX), dt.datetime(2025, 4, 30), "Hà Nội", 4],
            [None, int(HCM_TAX), "  Cửa hàng   Bến Thành ", 79.0, "26743", dt.datetime(2024, 1, 2, 8, 30)],
        ]
    )
    assert len(str(int(HANOI_TAX))) == 9 and len(str(int(BRANCH_TAX))) == 12  # Excel lost the leading zero

    rows = list(read_rows("Danh sach.XLSX", data))

    assert rows == [
        (
            2,
            row_of(
                tax_code=HANOI_TAX,
                name="Công ty Điện máy ABC",
                province="86",
                commune="Phú Khương",
                website="abc.vn",
            ),
        ),
        # A name Excel took for a date ("30/4") comes back as the date shown.
        (4, row_of(tax_code=BRANCH_TAX, name="30/04/2025", province="Hà Nội", commune="4")),
        (5, row_of(tax_code=HCM_TAX, name="Cửa hàng Bến Thành", province="79", commune="26743")),
    ]
    assert [validate_row(n, raw, LOOKUPS)[0].commune_code for n, raw in rows] == ["28756", "00004", "26743"]


def test_a_number_that_is_not_a_tax_code_keeps_its_digits():
    data = xlsx_bytes([["Tên", "Địa chỉ", "MST"], [123456789, 123456789, 12345]])

    [(_, row)] = read_rows("a.xlsx", data)

    assert (row["name"], row["address"], row["tax_code"]) == ("123456789", "123456789", "12345")


@pytest.mark.parametrize(
    ("field", "spelling"), [(f, s) for f, spellings in COLUMNS.items() for s in spellings]
)
def test_every_documented_header_spelling_is_recognised(field, spelling):
    headers = [spelling] if field == "name" else ["Tên doanh nghiệp", spelling]
    values = ["giá trị"] if field == "name" else ["Tên", "giá trị"]

    [(_, row)] = read_rows("a.csv", csv_bytes([headers, values]))

    assert row[field] == "giá trị"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("  TÊN DOANH NGHIỆP (*) ", "name"),
        ("ten doanh nghiep", "name"),
        ("Tax-Code", "tax_code"),
        ("Mã số  thuế:", "tax_code"),
        ("Tỉnh / Thành phố", "province"),
        ("xa, phuong", "commune"),
        ("GIAN HÀNG TMĐT", "shops"),
    ],
)
def test_headers_are_compared_folded_without_punctuation(header, field):
    headers, values = ([header], ["giá trị"]) if field == "name" else (["Tên", header], ["A", "giá trị"])

    [(_, row)] = read_rows("a.csv", csv_bytes([headers, values]))

    assert row[field] == "giá trị"


def test_header_problems_names_missing_and_doubled_columns():
    assert header_problems(["Tên", "MST"]) == []
    assert header_problems(["MST", "Địa chỉ"]) == [
        "Thiếu cột bắt buộc “Tên doanh nghiệp” (tên cột có thể là “Tên doanh nghiệp”, “Tên”, “name”, "
        "“business name”)."
    ]
    assert header_problems(["Tên", "MST", "Tên doanh nghiệp"]) == [
        "Hai cột “Tên” và “Tên doanh nghiệp” cùng là “Tên doanh nghiệp”; hãy giữ lại một cột."
    ]


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("a.csv", csv_bytes([["MST", "Địa chỉ", "Tên chủ"], [HANOI_TAX, "x", "y"]])),
        ("a.xlsx", xlsx_bytes([["tax code", "address"], [HANOI_TAX, "x"]])),
    ],
)
def test_a_file_without_the_name_column_is_refused_before_any_row(filename, data):
    with pytest.raises(FileError) as error:
        read_rows(filename, data)  # not iterated: the header is checked up front

    assert "Tên doanh nghiệp" in error.value.message


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("danh-sach.xls", xlsx_bytes([["Tên"], ["A"]])),
        ("danh-sach.ods", b"PK\x03\x04"),
        ("danh-sach.txt", b"Ten\nA\n"),
        ("danh-sach", b"Ten\nA\n"),
    ],
)
def test_only_csv_and_xlsx_are_accepted(filename, data):
    with pytest.raises(FileError) as error:
        read_rows(filename, data)

    assert ".csv" in error.value.message and ".xlsx" in error.value.message


def _zip_without_a_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    return buffer.getvalue()


def _xlsx_with_broken_sheet() -> bytes:
    # A sound zip whose sheet XML breaks after the header: openpyxl only finds out while reading rows.
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["Tên"], ["A"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", b"<row r='3'><c r='A3' t='s'><v>oops</v></c>")
            archive.writestr(info, content)
    return buffer.getvalue()


def _truncated_xlsx() -> bytes:
    data = xlsx_bytes([["Tên"], *[[f"Cửa hàng {i}"] for i in range(100)]])
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    "data",
    [
        random.Random(0).randbytes(2000),
        b"PK\x03\x04 not really a zip",
        _zip_without_a_workbook(),
        _truncated_xlsx(),
        _xlsx_with_broken_sheet(),
    ],
)
def test_a_broken_xlsx_is_a_file_error(data):
    with pytest.raises(FileError) as error:
        list(read_rows("a.xlsx", data))

    assert "Excel" in error.value.message


def test_an_xlsx_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(importing, "MAX_UNPACKED_BYTES", 1000)

    with pytest.raises(FileError):
        read_rows("a.xlsx", xlsx_bytes([["Tên"], ["A"]]))


def test_a_csv_in_no_known_encoding_is_refused():
    data = "Tên\r\n".encode() + b"C\x81a h\x8dng\r\n"  # invalid UTF-8, and bytes cp1258 leaves undefined

    with pytest.raises(FileError) as error:
        read_rows("a.csv", data)

    assert "UTF-8" in error.value.message


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n ; ; \r\n,,\r\n"])
def test_a_file_without_data_is_refused(data):
    with pytest.raises(FileError):
        read_rows("a.csv", data)


def test_a_header_alone_gives_no_rows():
    assert list(read_rows("a.csv", "Tên doanh nghiệp\r\n".encode())) == []


def test_too_many_rows_stop_the_reading_when_the_limit_is_crossed(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    at_limit = csv_bytes([["Tên"], ["A"], [], ["B"], ["C"]])
    over = csv_bytes([["Tên"], ["A"], [], ["B"], ["C"], ["D"]])
    assert [number for number, _ in read_rows("a.csv", at_limit)] == [2, 4, 5]

    seen = []
    with pytest.raises(FileError) as error:
        seen.extend(number for number, _ in read_rows("a.csv", over))

    assert seen == [2, 4, 5]
    assert "3" in error.value.message


def test_too_many_rows_in_an_xlsx_too(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 2)

    with pytest.raises(FileError):
        list(read_rows("a.xlsx", xlsx_bytes([["Tên"], ["A"], ["B"], ["C"]])))


class Unseekable(io.BytesIO):
    def seekable(self):
        return False


@pytest.mark.parametrize("wrap", [bytes, io.BytesIO, Unseekable, lambda d: SimpleUploadedFile("a", d)])
def test_a_file_over_the_size_limit_is_refused(monkeypatch, wrap):
    data = csv_bytes([["Tên"], *[[f"Cửa hàng {i}"] for i in range(20)]])
    monkeypatch.setattr(importing, "MAX_FILE_BYTES", len(data))
    assert len(list(read_rows("a.csv", wrap(data)))) == 20

    monkeypatch.setattr(importing, "MAX_FILE_BYTES", len(data) - 1)
    with pytest.raises(FileError) as error:
        read_rows("a.csv", wrap(data))

    assert "MB" in error.value.message


@pytest.mark.parametrize("filename", ["a.csv", "a.xlsx"])
def test_it_reads_from_an_upload_and_leaves_it_open(filename):
    rows = [["Tên"], ["Cửa hàng A"]]
    upload = SimpleUploadedFile(filename, csv_bytes(rows) if filename == "a.csv" else xlsx_bytes(rows))
    upload.read(3)  # whoever looked at the upload first left it part-way

    assert list(read_rows(filename, upload)) == [(2, row_of(name="Cửa hàng A"))]
    assert not upload.closed


def test_rows_are_read_lazily():
    data = csv_bytes([["Tên"], *[[f"Cửa hàng {i}"] for i in range(1000)]])

    rows = read_rows("a.csv", data)

    assert next(rows) == (2, row_of(name="Cửa hàng 0"))
    assert next(rows) == (3, row_of(name="Cửa hàng 1"))


# Validating ------------------------------------------------------------------------------------------------


def test_a_good_row_is_normalised():
    raw = row_of(
        tax_code="0100109106-001",
        name="Công ty Điện máy ABC",
        aliases="ĐMX; dmx ; ; Điện máy X; cong ty dien may abc",
        province="Tỉnh Vĩnh Long",
        commune="phu khuong",
        address="Số 5, đường 30/4",
        sector="ECommerce",
        website="dienmayabc.vn/gioi-thieu",
        shops="Shopee: dienmayabc; Lazada: dienmayabc; shopee: DIENMAYABC",
    )

    assert validate_row(7, raw, LOOKUPS) == (
        BusinessRow(
            row=7,
            tax_code=BRANCH_TAX,
            name="Công ty Điện máy ABC",
            aliases=("ĐMX", "Điện máy X"),
            province_code="86",
            commune_code="28756",
            address="Số 5, đường 30/4",
            sector_code="ecommerce",
            website="https://dienmayabc.vn/gioi-thieu",
            shops=("Shopee: dienmayabc", "Lazada: dienmayabc"),
        ),
        [],
    )


def test_a_row_with_only_a_name_is_enough():
    business, errors = validate_row(2, row_of(name="Hộ kinh doanh Bà Năm"), LOOKUPS)

    assert errors == []
    assert business == BusinessRow(2, "", "Hộ kinh doanh Bà Năm", (), "", "", "", "", "", ())


@pytest.mark.parametrize(
    "tax_code", [HANOI_TAX, "0100 109 106", "01.00.109.106", f"{HANOI_TAX}-001", BRANCH_TAX]
)
def test_tax_codes_are_accepted_in_their_usual_shapes(tax_code):
    business, errors = validate_row(2, row_of(name="A", tax_code=tax_code), LOOKUPS)

    assert errors == []
    assert business.tax_code == mst.compact(tax_code)


@pytest.mark.parametrize("tax_code", [WRONG_CHECK_DIGIT, "010010910", "MST0100109106", f"{HANOI_TAX}-000"])
def test_bad_tax_codes_are_refused(tax_code):
    assert validate_row(2, row_of(name="A", tax_code=tax_code), LOOKUPS) == (
        None,
        [RowError(2, "tax_code", "Mã số thuế không hợp lệ (10 chữ số, hoặc 13 với mã chi nhánh).", tax_code)],
    )


@pytest.mark.parametrize(
    ("province", "code"),
    [
        ("86", "86"),
        ("Vĩnh Long", "86"),
        ("vinh long", "86"),
        ("Tỉnh Vĩnh Long", "86"),
        ("TỈNH  VĨNH LONG", "86"),
        ("Thành phố Hà Nội", "01"),
        ("TP. Hà Nội", "01"),
        ("Tp Hồ Chí Minh", "79"),
        ("1", "01"),  # "01" typed into Excel
    ],
)
def test_provinces_are_found_by_code_or_name(province, code):
    business, errors = validate_row(2, row_of(name="A", province=province), LOOKUPS)

    assert errors == []
    assert business.province_code == code


@pytest.mark.parametrize(
    ("commune", "code"),
    [
        ("28756", "28756"),
        ("Phú Khương", "28756"),
        ("Phường Phú Khương", "28756"),
        ("P. Phú Khương", "28756"),
        ("xa giao long", "28807"),
        ("X.Giao Long", "28807"),
    ],
)
def test_communes_are_found_by_code_or_name_within_their_province(commune, code):
    business, errors = validate_row(2, row_of(name="A", province="Vĩnh Long", commune=commune), LOOKUPS)

    assert errors == []
    assert business.commune_code == code


def test_a_commune_code_that_lost_its_zeros_is_found():
    business, _ = validate_row(2, row_of(name="A", province="01", commune="4"), LOOKUPS)

    assert business.commune_code == "00004"


def test_a_commune_must_belong_to_the_province():
    _, errors = validate_row(9, row_of(name="A", province="Vĩnh Long", commune="Ba Đình"), LOOKUPS)

    assert errors == [
        RowError(9, "commune", "Xã/phường “Ba Đình” không thuộc tỉnh/thành phố “Vĩnh Long”.", "Ba Đình")
    ]


def test_a_commune_needs_a_province():
    _, errors = validate_row(9, row_of(name="A", commune="Ba Đình"), LOOKUPS)

    assert errors == [RowError(9, "commune", "Cần ghi tỉnh/thành phố để xác định xã/phường.", "Ba Đình")]


def test_an_unknown_province_is_reported_once_not_again_for_its_commune():
    _, errors = validate_row(9, row_of(name="A", province="Đà Nẵng", commune="Hải Châu"), LOOKUPS)

    assert errors == [
        RowError(
            9,
            "province",
            "Không tìm thấy tỉnh/thành phố “Đà Nẵng” trong danh mục 34 tỉnh, thành phố.",
            "Đà Nẵng",
        )
    ]


@pytest.mark.parametrize(
    ("website", "normalised"),
    [
        ("example.vn", "https://example.vn"),
        ("www.example.com.vn/shop?id=1", "https://www.example.com.vn/shop?id=1"),
        ("http://example.vn", "http://example.vn"),
        ("HTTPS://Example.vn", "https://Example.vn"),
        ("điệnmáy.vn", "https://điệnmáy.vn"),
    ],
)
def test_websites_get_a_scheme(website, normalised):
    business, errors = validate_row(2, row_of(name="A", website=website), LOOKUPS)

    assert errors == []
    assert business.website == normalised


@pytest.mark.parametrize(
    "website",
    ["example", "localhost", "example .vn", "ftp://example.vn", "javascript:alert(1)", "https://", "@.vn"],
)
def test_bad_websites_are_refused(website):
    assert validate_row(2, row_of(name="A", website=website), LOOKUPS) == (
        None,
        [RowError(2, "website", "Địa chỉ website không hợp lệ.", website)],
    )


def test_a_website_must_fit_the_register():
    website = "shop.vn/" + "a" * 284
    assert validate_row(2, row_of(name="A", website=website), LOOKUPS)[1] == []

    _, errors = validate_row(2, row_of(name="A", website=website + "a"), LOOKUPS)

    assert [(e.field, e.message) for e in errors] == [("website", "Tối đa 300 ký tự.")]


def test_a_sector_must_be_in_the_list():
    _, errors = validate_row(2, row_of(name="A", sector="banking"), LOOKUPS)

    assert errors == [
        RowError(
            2,
            "sector",
            "Mã lĩnh vực “banking” không có trong danh mục (ecommerce, food, general).",
            "banking",
        )
    ]


def test_lengths_are_limited_and_long_values_shortened_in_the_report():
    long_name = "Công ty " + "x" * 300
    _, errors = validate_row(
        2, row_of(name=long_name, aliases="ĐMX; " + "y" * 301, address="z" * 501, shops="s" * 301), LOOKUPS
    )

    assert [(e.field, e.message) for e in errors] == [
        ("name", "Tối đa 300 ký tự."),
        ("aliases", "Tối đa 300 ký tự."),
        ("address", "Tối đa 500 ký tự."),
        ("shops", "Tối đa 300 ký tự."),
    ]
    assert errors[0].value == long_name[:99] + "…"
    assert all(len(e.value) == importing.VALUE_MAX for e in errors)


def test_every_problem_of_a_row_is_reported_in_column_order():
    raw = row_of(
        tax_code=WRONG_CHECK_DIGIT,
        name="",
        province="Đà Nẵng",
        commune="Ba Đình",
        address="z" * 501,
        sector="banking",
        website="not a site",
    )

    business, errors = validate_row(4, raw, LOOKUPS)

    assert business is None
    assert [(e.row, e.field, e.value) for e in errors] == [
        (4, "tax_code", WRONG_CHECK_DIGIT),
        (4, "name", ""),
        (4, "province", "Đà Nẵng"),
        (4, "address", "z" * 99 + "…"),
        (4, "sector", "banking"),
        (4, "website", "not a site"),
    ]
    assert errors[1].message == "Thiếu tên doanh nghiệp."


def test_validate_row_cleans_what_it_is_given():
    business, _ = validate_row(2, {"name": " Cửa\u200b hàng\n A "}, LOOKUPS)

    assert business.name == "Cửa hàng A"


def test_errors_carry_the_spreadsheet_row_numbers_end_to_end():
    data = csv_bytes(
        [
            ["Tên doanh nghiệp", "MST", "Tỉnh", "Xã/phường", "Lĩnh vực"],
            ["Công ty Điện máy ABC", HANOI_TAX, "Vĩnh Long", "Phú Khương", "ecommerce"],
            [],
            ["", WRONG_CHECK_DIGIT, "", "", ""],
            ["Cửa hàng Bến Thành", "", "79", "Ba Đình", "food"],
        ]
    )

    results = [validate_row(number, raw, LOOKUPS) for number, raw in read_rows("a.csv", data)]

    assert [b.row for b, _ in results if b] == [2]
    assert [(e.row, e.field) for _, errors in results for e in errors] == [
        (4, "tax_code"),
        (4, "name"),
        (5, "commune"),
    ]

"""Reading and checking a list of businesses an agency uploads (CSV or Excel .xlsx).

Pure: no models, no database. `read_rows` streams the file as (spreadsheet row number, {field: text});
`validate_row` turns one such row into a `BusinessRow` or the list of everything wrong with it. The caller
stores the good rows and reports the errors in batches, so nothing here holds the whole file as rows.

`read_rows` checks the format, the size and the header row before it returns, so an unusable file is refused
before any batch starts; only a file with too many rows, or one broken further down, raises `FileError`
while it is being iterated.
"""

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, BinaryIO

import openpyxl
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst

from bvntd.core.text import clean_line, fold

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
# An .xlsx is a zip: 20 MB can unpack into gigabytes of XML (a "zip bomb"), and openpyxl holds the shared
# strings in memory even in read-only mode. A genuine 200,000-row sheet of these columns is 10 MB packed,
# 125 MB unpacked.
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
NAME_MAX = 300
ADDRESS_MAX = 500
WEBSITE_MAX = 300  # with the "https://" added
VALUE_MAX = 100

COLUMNS: dict[str, tuple[str, ...]] = {
    "tax_code": ("Mã số thuế", "MST", "tax code", "tax_code"),
    "name": ("Tên doanh nghiệp", "Tên", "name", "business name"),
    "aliases": ("Tên khác", "Tên viết tắt", "aliases"),
    "province": ("Tỉnh/thành phố", "Tỉnh", "province"),
    "commune": ("Xã/phường", "commune"),
    "address": ("Địa chỉ", "address"),
    "sector": ("Lĩnh vực", "Mã lĩnh vực", "sector"),
    "website": ("Website", "Trang web"),
    "shops": ("Gian hàng", "Gian hàng TMĐT", "shops"),
}
REQUIRED_COLUMNS = ("name",)
LIST_FIELDS = frozenset({"aliases", "shops"})
LIST_SEPARATOR = ";"

_CSV_DELIMITERS = (",", ";", "\t")
_CSV_SNIFF_LINES = 20
_CHUNK = 64 * 1024
_PUNCTUATION = re.compile(r"[\W_]+")
# "TP. Hà Nội", "P. Bến Thành", "X. Giao Long": the abbreviated prefixes people type; the lookups know the
# full prefixes and the bare names.
_PLACE_ABBREVIATION = re.compile(r"^(?:tp|p|x)(?:\.\s*|\s+)(?=\S)")
_SPREADSHEET_DATE = "%d/%m/%Y"
_validate_url = URLValidator(schemes=["http", "https"])


class FileError(Exception):
    """The whole file is unusable; `message` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int  # the row number the user sees in their spreadsheet (header is row 1)
    field: str  # canonical field name (a key of COLUMNS), or "" for the whole row
    message: str
    value: str = ""  # the offending value, at most VALUE_MAX characters


@dataclass(frozen=True)
class BusinessRow:
    row: int
    tax_code: str  # 10 or 13 digits, or ""
    name: str
    aliases: tuple[str, ...]
    province_code: str
    commune_code: str
    address: str
    sector_code: str
    website: str  # "" or starting with http:// or https://
    shops: tuple[str, ...]


@dataclass(frozen=True)
class Lookups:
    provinces: dict[str, str]  # folded name (with and without "tinh"/"thanh pho") or code -> code
    communes: dict[tuple[str, str], str]  # (province code, folded name with/without prefix, or code) -> code
    sectors: set[str]


def _header_key(header: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", fold(header)).split())


_HEADER_FIELDS = {
    _header_key(spelling): field for field, spellings in COLUMNS.items() for spelling in spellings
}


# Reading ---------------------------------------------------------------------------------------------------


def read_rows(filename: str, data: bytes | BinaryIO) -> Iterator[tuple[int, dict[str, str]]]:
    """The data rows of an uploaded file, as (row number in the spreadsheet, {field: cleaned text}).

    Every field of COLUMNS is in each dict ("" when the file has no such column); empty rows are skipped.
    Raises FileError now for a wrong format, size or header, and during iteration for too many rows or a
    file broken further down."""
    extension = PurePath(filename).suffix.lower()
    if extension not in {".csv", ".xlsx"}:
        raise FileError(_("Chỉ nhận tệp CSV (.csv) hoặc Excel (.xlsx); tệp .xls hãy lưu lại thành .xlsx."))
    stream = _seekable(data)
    grid = _csv_grid(stream) if extension == ".csv" else _xlsx_grid(stream)
    numbered = enumerate(grid, start=1)
    try:
        headers = _first_filled(numbered)
        problems = header_problems(headers)
        if problems:
            raise FileError(" ".join(problems))
    except FileError:
        grid.close()  # release the workbook now rather than whenever the generator is collected
        raise
    columns = {field: index for index, field in _header_fields(headers)}
    return _data_rows(numbered, columns)


def header_problems(headers: list[str]) -> list[str]:
    """What makes a header row unusable: a required column missing, or two columns meaning the same field."""
    problems = []
    seen: dict[str, str] = {}
    for index, field in _header_fields(headers):
        if field in seen:
            problems.append(
                _("Hai cột “%(first)s” và “%(second)s” cùng là “%(column)s”; hãy giữ lại một cột.")
                % {"first": seen[field], "second": headers[index], "column": COLUMNS[field][0]}
            )
        seen.setdefault(field, headers[index])
    for field in REQUIRED_COLUMNS:
        if field not in seen:
            spellings = ", ".join(f"“{spelling}”" for spelling in COLUMNS[field])
            problems.append(
                _("Thiếu cột bắt buộc “%(column)s” (tên cột có thể là %(spellings)s).")
                % {"column": COLUMNS[field][0], "spellings": spellings}
            )
    return problems


def _header_fields(headers: list[str]) -> Iterator[tuple[int, str]]:
    for index, header in enumerate(headers):
        field = _HEADER_FIELDS.get(_header_key(header))
        if field:
            yield index, field


def _seekable(data: bytes | BinaryIO) -> BinaryIO:
    """A stream positioned at the start, after checking the size. Both readers need to go back to the start:
    the CSV one after checking the encoding, openpyxl to read the zip's directory at the end."""
    if isinstance(data, bytes | bytearray | memoryview):
        stream: BinaryIO = io.BytesIO(data)
    elif data.seekable():
        stream = data
    else:
        stream = io.BytesIO(data.read(MAX_FILE_BYTES + 1))
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    if size > MAX_FILE_BYTES:
        raise FileError(
            _("Tệp lớn quá %(limit)s MB; hãy chia thành nhiều tệp nhỏ hơn.")
            % {"limit": _number(MAX_FILE_BYTES // (1024 * 1024))}
        )
    return stream


def _first_filled(numbered: Iterator[tuple[int, list[Any]]]) -> list[str]:
    for _number, cells in numbered:
        if not _is_empty(cells):
            return [clean_line(_cell_text(cell, "")) for cell in cells]
    raise FileError(_("Tệp không có dữ liệu."))


def _data_rows(
    numbered: Iterator[tuple[int, list[Any]]], columns: dict[str, int]
) -> Iterator[tuple[int, dict[str, str]]]:
    count = 0
    for number, cells in numbered:
        if _is_empty(cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise FileError(
                _("Tệp có hơn %(limit)s dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn.")
                % {"limit": _number(MAX_ROWS)}
            )
        yield number, {field: _field_text(cells, columns.get(field), field) for field in COLUMNS}


def _is_empty(cells: Iterable[Any]) -> bool:
    return not any(cell is not None and clean_line(_cell_text(cell, "")) for cell in cells)


def _field_text(cells: list[Any], index: int | None, field: str) -> str:
    if index is None or index >= len(cells) or cells[index] is None:
        return ""
    text = _cell_text(cells[index], field)
    if field in LIST_FIELDS:
        # One name per line inside a cell (Alt+Enter in Excel) is a list too.
        text = f"{LIST_SEPARATOR} ".join(text.splitlines())
    return clean_line(text)


def _cell_text(value: Any, field: str) -> str:
    """The text a spreadsheet cell shows. Excel turns what people type into numbers and dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        digits = str(value)
        # A tax code typed into Excel becomes a number and loses its leading zero (Hà Nội's codes start
        # with 01, Hồ Chí Minh City's with 03): 9 digits were 10, 12 were 13. The check digit then decides.
        if field == "tax_code" and len(digits) in {9, 12}:
            return "0" + digits
        return digits
    if isinstance(value, dt.datetime):
        return value.strftime(_SPREADSHEET_DATE + ("" if value.time() == dt.time() else " %H:%M"))
    if isinstance(value, dt.date):
        return value.strftime(_SPREADSHEET_DATE)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def _csv_grid(stream: BinaryIO) -> Iterator[list[str]]:
    encoding = _csv_encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = None
    try:
        head = list(itertools.islice(text, _CSV_SNIFF_LINES))
        reader = csv.reader(itertools.chain(head, text), delimiter=_csv_delimiter("".join(head)))
        yield from reader
    except csv.Error as exc:
        line = reader.line_num if reader else 1
        raise FileError(_("Tệp CSV bị lỗi ở dòng %(line)s.") % {"line": line}) from exc
    finally:
        # Closing the wrapper (which garbage collection would do) closes the caller's stream with it.
        # An abandoned reader can be collected after the stream, hence the check.
        if not text.closed:
            text.detach()


def _csv_encoding(stream: BinaryIO) -> str:
    """UTF-8 (with or without BOM) or, failing that, Windows' Vietnamese code page. A whole pass over the
    file, so that a bad byte on row 150,000 does not surface after 149,999 rows have been stored."""
    bom = stream.read(2)
    # Excel's "Unicode text" export is UTF-16 with a BOM; UTF-16 decodes as cp1258 into garbage otherwise.
    candidates = ("utf-16",) if bom in {codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE} else ("utf-8-sig", "cp1258")
    for encoding in candidates:
        if _decodes(stream, encoding):
            return encoding
    raise FileError(_("Không đọc được tệp CSV: hãy lưu tệp với bảng mã UTF-8."))


def _decodes(stream: BinaryIO, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    stream.seek(0)
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)
    return True


def _csv_delimiter(sample: str) -> str:
    """The delimiter that splits the header row into the most known columns (then the most cells).
    csv.Sniffer guesses from character frequencies, which addresses full of commas easily mislead."""

    def score(delimiter: str) -> tuple[int, int]:
        try:
            rows = csv.reader(io.StringIO(sample), delimiter=delimiter)
            header = next((row for row in rows if not _is_empty(row)), [])
        except csv.Error:
            return (0, 0)
        return (sum(_header_key(cell) in _HEADER_FIELDS for cell in header), len(header))

    return max(_CSV_DELIMITERS, key=score)


def _xlsx_grid(stream: BinaryIO) -> Iterator[tuple[Any, ...]]:
    broken = _("Không mở được tệp Excel: tệp bị hỏng hoặc không phải định dạng .xlsx.")
    _check_unpacked_size(stream, broken)
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl lets zip, XML and KeyError failures of a broken file through
        raise FileError(broken) from exc
    try:
        sheet = workbook.worksheets[0]
        # Read-only mode trusts the sheet's declared dimensions, which some programs write wrong (A1:A1),
        # cutting rows short; without them every cell present is read.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    except Exception as exc:  # the sheet's XML is parsed lazily: a broken part shows up here
        raise FileError(broken) from exc
    finally:
        workbook.close()


def _check_unpacked_size(stream: BinaryIO, broken: str) -> None:
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileError(broken) from exc
    finally:
        stream.seek(0)
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileError(_("Tệp Excel giải nén ra quá lớn; hãy chia thành nhiều tệp nhỏ hơn."))


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")  # Vietnamese groups thousands with dots


# Validating ------------------------------------------------------------------------------------------------


class _RowErrors(list[RowError]):
    def __init__(self, row: int) -> None:
        super().__init__()
        self.row = row

    def add(self, field: str, message: str, value: str = "") -> None:
        short = value if len(value) <= VALUE_MAX else value[: VALUE_MAX - 1] + "…"
        self.append(RowError(self.row, field, message, short))


def validate_row(
    row: int, raw: dict[str, str], lookups: Lookups
) -> tuple[BusinessRow | None, list[RowError]]:
    """One data row as a BusinessRow, or None with every problem of the row (not just the first)."""
    errors = _RowErrors(row)
    value = {field: clean_line(raw.get(field) or "") for field in COLUMNS}
    # In column order, so that the errors of a row read left to right as in the spreadsheet.
    tax_code = _tax_code(value["tax_code"], errors)
    name = _name(value["name"], errors)
    aliases = _names_list(value["aliases"], "aliases", errors, exclude=name)
    province_code = _province(value["province"], lookups, errors)
    commune_code = _commune(value["commune"], value["province"], province_code, lookups, errors)
    address = _limited(value["address"], "address", ADDRESS_MAX, errors)
    sector_code = _sector(value["sector"], lookups, errors)
    website = _website(value["website"], errors)
    shops = _names_list(value["shops"], "shops", errors)
    if errors:
        return None, list(errors)
    business = BusinessRow(
        row=row,
        tax_code=tax_code,
        name=name,
        aliases=aliases,
        province_code=province_code,
        commune_code=commune_code,
        address=address,
        sector_code=sector_code,
        website=website,
        shops=shops,
    )
    return business, []


def _limited(value: str, field: str, limit: int, errors: _RowErrors) -> str:
    if len(value) > limit:
        errors.add(field, _("Tối đa %(limit)s ký tự.") % {"limit": limit}, value)
    return value


def _name(value: str, errors: _RowErrors) -> str:
    if not value:
        errors.add("name", _("Thiếu tên doanh nghiệp."))
    return _limited(value, "name", NAME_MAX, errors)


def _names_list(value: str, field: str, errors: _RowErrors, exclude: str = "") -> tuple[str, ...]:
    """The names of a "A; B; a" cell, without blanks, repeats (ignoring case and diacritics) or `exclude`."""
    names: dict[str, str] = {}
    excluded = fold(exclude)
    for part in value.split(LIST_SEPARATOR):
        name = _limited(clean_line(part), field, NAME_MAX, errors)
        key = fold(name)
        if key and key != excluded:
            names.setdefault(key, name)
    return tuple(names.values())


def _tax_code(value: str, errors: _RowErrors) -> str:
    if not value:
        return ""
    try:
        return mst.validate(value)
    except StdnumError:
        errors.add("tax_code", _("Mã số thuế không hợp lệ (10 chữ số, hoặc 13 với mã chi nhánh)."), value)
        return ""


def _place_keys(value: str, code_width: int) -> Iterator[str]:
    """The keys to try for a province or commune as typed: the folded text, a code that lost its leading
    zeros in Excel ("1" for "01"), the name without an abbreviated prefix ("TP. Hà Nội")."""
    key = fold(value)
    yield key
    if key.isdigit():
        yield key.zfill(code_width)
    yield _PLACE_ABBREVIATION.sub("", key)


def _province(value: str, lookups: Lookups, errors: _RowErrors) -> str:
    if not value:
        return ""
    for key in _place_keys(value, 2):
        if key in lookups.provinces:
            return lookups.provinces[key]
    errors.add(
        "province",
        _("Không tìm thấy tỉnh/thành phố “%(value)s” trong danh mục 34 tỉnh, thành phố.") % {"value": value},
        value,
    )
    return ""


def _commune(value: str, province: str, province_code: str, lookups: Lookups, errors: _RowErrors) -> str:
    if not value:
        return ""
    if not province:
        errors.add("commune", _("Cần ghi tỉnh/thành phố để xác định xã/phường."), value)
        return ""
    if not province_code:
        return ""  # the unknown province is already reported; which communes it has is unknowable
    for key in _place_keys(value, 5):
        if (province_code, key) in lookups.communes:
            return lookups.communes[(province_code, key)]
    errors.add(
        "commune",
        _("Xã/phường “%(value)s” không thuộc tỉnh/thành phố “%(province)s”.")
        % {"value": value, "province": province},
        value,
    )
    return ""


def _sector(value: str, lookups: Lookups, errors: _RowErrors) -> str:
    if not value:
        return ""
    codes = {code.casefold(): code for code in lookups.sectors}
    if value.casefold() in codes:
        return codes[value.casefold()]
    errors.add(
        "sector",
        _("Mã lĩnh vực “%(value)s” không có trong danh mục (%(codes)s).")
        % {"value": value, "codes": ", ".join(sorted(lookups.sectors))},
        value,
    )
    return ""


def _website(value: str, errors: _RowErrors) -> str:
    if not value:
        return ""
    scheme, separator, rest = value.partition("://")
    url = f"{scheme.lower()}://{rest}" if separator else f"https://{value}"
    if not _is_web_address(url):
        errors.add("website", _("Địa chỉ website không hợp lệ."), value)
        return ""
    return _limited(url, "website", WEBSITE_MAX, errors)


def _is_web_address(url: str) -> bool:
    host = url.partition("://")[2].split("/", 1)[0]
    # URLValidator accepts "localhost" and dotless hosts; a business's website has a domain.
    if " " in url or "." not in host:
        return False
    try:
        _validate_url(url)
    except ValidationError:
        return False
    return True

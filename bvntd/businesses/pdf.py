"""The minutes of a mediation session (biên bản hòa giải) and its settlement, as an A4 PDF in Vietnamese.

Pure: no models and no database. The caller copies what it needs into a `MediationRecord`;
`render_mediation_pdf` returns the bytes of the PDF.

The layout follows Vietnamese administrative documents: the issuing body top left, the national motto top
right, the place and date under them, then the title, the numbered sections and the signatures side by side.

The fonts ship in `fonts/` (DejaVu Sans: the PDF base fonts have no Vietnamese glyphs) and are embedded as
subsets. DejaVu Sans has no italic in the repo, so the few italic lines are the upright glyphs slanted, as
word processors do when a font has no italic.

All user text goes through `_text`: Platypus paragraphs are a small markup language, so a complaint that
says "<b>" or "&" must be escaped to print as typed.
"""

import datetime
import functools
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from bvntd.core.calendar import VN_TZ

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

MARGIN = 2 * cm
FRAME_WIDTH = A4[0] - 2 * MARGIN
SIGNATURES_PER_ROW = 3
SIGNATURE_SPACE = 2.5 * cm
# A heading starts a new page when less than this is left below it, so it is never last on a page. Not
# keepWithNext: that keeps the heading with the whole next flowable, and a long paragraph would be pushed
# to the next page, leaving half a page blank.
KEEP_WITH_HEADING = 3 * cm
# tan(12°): the slant of a typical oblique face.
SLANT = 0.2126
NO_SETTLEMENT = "Các bên chưa đạt được thỏa thuận."
GREY = colors.HexColor("#555555")


@dataclass(frozen=True)
class PromiseLine:
    party: str  # "Doanh nghiệp" or "Người tiêu dùng"
    description: str
    amount_vnd: int | None
    due_on: datetime.date


@dataclass(frozen=True)
class SignatureBlock:
    role: str  # e.g. "ĐẠI DIỆN DOANH NGHIỆP", "NGƯỜI TIÊU DÙNG", "HÒA GIẢI VIÊN"
    name: str  # printed under the signature space; may be ""


@dataclass(frozen=True)
class MediationRecord:
    tracking_code: str
    agency_name: str
    province_name: str
    session_number: int
    held_at: datetime.datetime  # aware
    place: str
    online_link: str
    participants: list[str]
    business_name: str
    subject: str
    minutes: str  # paragraphs separated by blank lines
    settlement_summary: str  # "" when no settlement was reached
    promises: list[PromiseLine]
    signatures: list[SignatureBlock]
    printed_at: datetime.datetime  # aware


def render_mediation_pdf(record: MediationRecord) -> bytes:
    _register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Biên bản hòa giải {record.tracking_code}",
        author=record.agency_name,
        subject=f"Hồ sơ {record.tracking_code}, phiên {record.session_number}",
        creator="BVNTD",
        lang="vi",
        # Otherwise every page's resources name Helvetica, the canvas's default, though no text uses it.
        initialFontName=REGULAR,
        # Fixed creation date and document id: the same record gives the same bytes.
        invariant=1,
    )
    footer = functools.partial(_draw_footer, record=record)
    doc.build(_story(record), onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


@functools.cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    # Without a family, <b> inside a paragraph would look for a "DejaVuSans-Bold" mapping and fail.
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=10.5, leading=14, spaceAfter=3)
    cell = ParagraphStyle("cell", body, fontSize=9.5, leading=12.5, spaceAfter=0)
    return {
        "body": body,
        "justified": ParagraphStyle("justified", body, alignment=TA_JUSTIFY),
        "bullet": ParagraphStyle(
            "bullet", body, leftIndent=14, bulletIndent=2, bulletFontName=REGULAR, spaceAfter=2
        ),
        "header": ParagraphStyle(
            "header", body, fontName=BOLD, fontSize=10, leading=13.5, alignment=TA_CENTER
        ),
        "date": ParagraphStyle("date", body, alignment=TA_RIGHT, spaceBefore=10),
        "title": ParagraphStyle(
            "title", body, fontName=BOLD, fontSize=15, leading=20, alignment=TA_CENTER, spaceBefore=10
        ),
        "subtitle": ParagraphStyle("subtitle", body, alignment=TA_CENTER, spaceAfter=8),
        "section": ParagraphStyle("section", body, fontName=BOLD, spaceBefore=6),
        "caption": ParagraphStyle("caption", body, fontName=BOLD, spaceBefore=6),
        "cell": cell,
        "cell_head": ParagraphStyle("cell_head", cell, fontName=BOLD),
        "cell_amount": ParagraphStyle("cell_amount", cell, alignment=TA_RIGHT),
        "cell_date": ParagraphStyle("cell_date", cell, alignment=TA_CENTER),
        "sign_role": ParagraphStyle("sign_role", body, fontName=BOLD, alignment=TA_CENTER, spaceAfter=0),
        "sign_hint": ParagraphStyle("sign_hint", body, fontSize=9, leading=12, alignment=TA_CENTER),
        "sign_name": ParagraphStyle("sign_name", body, fontName=BOLD, alignment=TA_CENTER),
    }


class _Slanted(Paragraph):
    """A paragraph drawn with its glyphs slanted: the italic that DejaVu Sans lacks here.

    The shear is about the paragraph's bottom edge, so only short, one-line texts look right.
    """

    def draw(self):
        self.canv.saveState()
        self.canv.transform(1, 0, SLANT, 1, 0, 0)
        super().draw()
        self.canv.restoreState()


def _story(record: MediationRecord) -> list[Flowable]:
    return [
        *_heading(record),
        *_section("I. Thời gian, địa điểm", _time_and_place(record)),
        *_section("II. Thành phần tham dự", _participants(record.participants)),
        *_section("III. Nội dung vụ việc", _case(record)),
        *_section("IV. Diễn biến hòa giải", _paragraphs(record.minutes)),
        *_section("V. Kết quả hòa giải", _outcome(record)),
        _closing(record.signatures),
    ]


def _heading(record: MediationRecord) -> list[Flowable]:
    s = _styles()
    held = _vn(record.held_at)
    rule = {"thickness": 0.6, "color": colors.black, "spaceBefore": 1, "spaceAfter": 0}
    agency = [Paragraph(_text(record.agency_name), s["header"]), HRFlowable(width="35%", **rule)]
    motto = [
        Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", s["header"]),
        Paragraph("Độc lập - Tự do - Hạnh phúc", s["header"]),
        HRFlowable(width="50%", **rule),
    ]
    table = Table([[agency, motto]], colWidths=[0.4 * FRAME_WIDTH, 0.6 * FRAME_WIDTH])
    # ALIGN centres the rules under the texts: inside a cell a flowable's own hAlign is ignored.
    table.setStyle(_table_style(("ALIGN", (0, 0), (-1, -1), "CENTER")))
    place_and_date = f"{_text(record.province_name)}, ngày {held.day} tháng {held.month} năm {held.year}"
    return [
        table,
        _Slanted(place_and_date, s["date"]),
        Paragraph("BIÊN BẢN HÒA GIẢI", s["title"]),
        Paragraph(f"Hồ sơ {_text(record.tracking_code)} — phiên {record.session_number}", s["subtitle"]),
    ]


def _section(heading: str, content: list[Flowable]) -> list[Flowable]:
    return [CondPageBreak(KEEP_WITH_HEADING), Paragraph(heading, _styles()["section"]), *content]


def _time_and_place(record: MediationRecord) -> list[Flowable]:
    held = _vn(record.held_at)
    lines = [f"Thời gian: {held:%H} giờ {held:%M}, ngày {held:%d/%m/%Y}."]
    if record.place:
        lines.append(f"Địa điểm: {_text(record.place)}.")
    if record.online_link:
        lines.append(f"Họp trực tuyến: {_text(record.online_link)}")
    return [Paragraph(line, _styles()["body"]) for line in lines]


def _participants(participants: list[str]) -> list[Flowable]:
    if not participants:
        return [Paragraph("—", _styles()["body"])]
    return [Paragraph(_text(name), _styles()["bullet"], bulletText="•") for name in participants]


def _case(record: MediationRecord) -> list[Flowable]:
    s = _styles()
    return [
        Paragraph(f"Doanh nghiệp: <b>{_text(record.business_name)}</b>", s["body"]),
        *_paragraphs(record.subject),
    ]


def _outcome(record: MediationRecord) -> list[Flowable]:
    summary = _paragraphs(record.settlement_summary) if record.settlement_summary.strip() else []
    story = summary or [Paragraph(NO_SETTLEMENT, _styles()["body"])]
    if record.promises:
        caption = Paragraph("Cam kết của các bên", _styles()["caption"])
        story += [CondPageBreak(KEEP_WITH_HEADING), caption, _promise_table(record.promises), Spacer(1, 8)]
    return story


def _promise_table(promises: list[PromiseLine]) -> Table:
    s = _styles()
    head = ["Bên", "Nội dung cam kết", "Số tiền (đồng)", "Hạn thực hiện"]
    rows = [[Paragraph(h, s["cell_head"]) for h in head]]
    for p in promises:
        rows.append(
            [
                Paragraph(_text(p.party), s["cell"]),
                Paragraph(_multiline(p.description), s["cell"]),
                Paragraph(_amount(p.amount_vnd), s["cell_amount"]),
                Paragraph(f"{p.due_on:%d/%m/%Y}", s["cell_date"]),
            ]
        )
    widths = [3.3 * cm, None, 3.2 * cm, 3.1 * cm]
    widths[1] = FRAME_WIDTH - sum(w for w in widths if w)
    # splitInRow: a promise longer than a page breaks inside its row instead of failing the layout; the
    # value is the least height, in points, worth leaving at the foot of a page.
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=30)
    table.setStyle(
        _table_style(
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        )
    )
    return table


def _closing(signatures: list[SignatureBlock]) -> Flowable:
    if signatures:
        sentence = (
            f"Biên bản được lập thành {len(signatures):02d} bản có giá trị như nhau, mỗi bên giữ 01 bản."
        )
    else:
        sentence = "Biên bản được lập thành các bản có giá trị như nhau."
    rows = [signatures[i : i + SIGNATURES_PER_ROW] for i in range(0, len(signatures), SIGNATURES_PER_ROW)]
    # Kept together so the signatures never start a page on their own, away from the text they sign.
    return KeepTogether(
        [Paragraph(sentence, _styles()["justified"]), Spacer(1, 8), *(_signature_row(r) for r in rows)]
    )


def _signature_row(blocks: list[SignatureBlock]) -> Table:
    s = _styles()
    cells = [
        [
            Paragraph(_text(b.role), s["sign_role"]),
            _Slanted("(Ký, ghi rõ họ tên)", s["sign_hint"]),
            Spacer(1, SIGNATURE_SPACE),
            Paragraph(_text(b.name), s["sign_name"]),
        ]
        for b in blocks
    ]
    # Every column has the width of a full row's, so a short last row sits centred under the first.
    table = Table([cells], colWidths=[FRAME_WIDTH / SIGNATURES_PER_ROW] * len(blocks), hAlign="CENTER")
    table.setStyle(_table_style(("BOTTOMPADDING", (0, 0), (-1, -1), 10)))
    return table


def _table_style(*commands: tuple) -> TableStyle:
    # FONTNAME although every cell holds paragraphs: a table sets its cells' font before drawing them, and
    # the default, Helvetica, would end up in the page's resources.
    return TableStyle(
        [("FONTNAME", (0, 0), (-1, -1), REGULAR), ("VALIGN", (0, 0), (-1, -1), "TOP"), *commands]
    )


def _draw_footer(canvas, doc, *, record: MediationRecord) -> None:
    printed = _vn(record.printed_at)
    y = MARGIN - 1 * cm
    canvas.saveState()
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, y + 10, A4[0] - MARGIN, y + 10)
    canvas.setFont(REGULAR, 8)
    canvas.setFillColor(GREY)
    canvas.drawString(MARGIN, y, f"Hồ sơ {record.tracking_code} · trang {doc.page}")
    canvas.drawRightString(A4[0] - MARGIN, y, f"In lúc {printed:%H:%M %d/%m/%Y}")
    canvas.restoreState()


def _paragraphs(text: str) -> list[Flowable]:
    """Free text as paragraphs: a blank line starts a new one, a single line break stays a line break."""
    chunks = [c for c in re.split(r"\n\s*\n", text.strip()) if c.strip()]
    if not chunks:
        return [Paragraph("—", _styles()["body"])]
    return [Paragraph(_multiline(c), _styles()["justified"]) for c in chunks]


def _multiline(text: str) -> str:
    return "<br/>".join(_text(line) for line in text.strip().splitlines())


def _text(value: str) -> str:
    # NFC: the font has precomposed Vietnamese letters, and ReportLab does no shaping, so a decomposed
    # "ễ" (e + two combining marks) would print its marks at the wrong place.
    return escape(unicodedata.normalize("NFC", value))


def _amount(amount_vnd: int | None) -> str:
    return "—" if amount_vnd is None else f"{amount_vnd:,}".replace(",", ".")


def _vn(moment: datetime.datetime) -> datetime.datetime:
    # A naive datetime would be read in the server's time zone and print the wrong hour without any error.
    if moment.tzinfo is None:
        raise ValueError("mediation times must be aware datetimes")
    return moment.astimezone(VN_TZ)

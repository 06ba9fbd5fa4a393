"""The documents the business side prints: the minutes of a mediation session with its settlement."""

import datetime as dt

from django.http import HttpResponse

from .models import MediationSession, Party
from .pdf import MediationRecord, PromiseLine, SignatureBlock, render_mediation_pdf

# Section III quotes the start of the case's description, which may run to 20,000 characters.
SUBJECT_MAX = 1500


def mediation_record(session: MediationSession, *, now: dt.datetime) -> MediationRecord:
    complaint = session.complaint
    settlement = getattr(session, "settlement", None)
    promises = list(settlement.promises.all()) if settlement else []
    agency = session.agency
    business = complaint.business.name if complaint.business_id else complaint.business_name
    return MediationRecord(
        tracking_code=complaint.tracking_code,
        agency_name=agency.name,
        province_name=(agency.province or complaint.province).name,
        session_number=session.number,
        # When the session took place: the appointed time. `held_at` is when its minutes were typed in,
        # which may be hours or days later.
        held_at=session.scheduled_at,
        place=session.place,
        online_link=session.online_link,
        participants=session.participant_lines,
        business_name=business,
        subject=_excerpt(complaint.description, SUBJECT_MAX),
        minutes=session.minutes,
        settlement_summary=settlement.summary if settlement else "",
        promises=[
            PromiseLine(
                # str(): the label is a lazy translation, and the PDF's text functions need a real string.
                party=str(Party(p.party).label),
                description=p.description,
                amount_vnd=p.amount_vnd,
                due_on=p.due_on,
            )
            for p in promises
        ],
        signatures=[
            # The consumer signs the printed copy by hand; the printout names them as on the case.
            SignatureBlock(role="NGƯỜI TIÊU DÙNG", name=complaint.consumer_name),
            SignatureBlock(role="ĐẠI DIỆN DOANH NGHIỆP", name=""),
            SignatureBlock(role="HÒA GIẢI VIÊN", name=_officer_name(session)),
        ],
        printed_at=now,
    )


def _excerpt(text: str, limit: int) -> str:
    """The start of a long text, cut at a word and marked as cut, so the printout never ends mid-word as if
    that were all the consumer wrote."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(maxsplit=1)[0].rstrip() + " […]"


def _officer_name(session: MediationSession) -> str:
    user = session.created_by
    return user.get_full_name() or user.get_username()


def mediation_pdf_response(session: MediationSession, *, now: dt.datetime) -> HttpResponse:
    pdf = render_mediation_pdf(mediation_record(session, now=now))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"bien-ban-hoa-giai-{session.complaint.tracking_code}-{session.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    # Personal data inside: never cached by a shared proxy.
    response["Cache-Control"] = "private, no-store"
    return response

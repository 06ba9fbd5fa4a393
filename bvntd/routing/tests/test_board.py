"""The coordinator's board: queues, overdue lists and the per-agency table, each figure a list of cases."""

import pytest
import time_machine

from bvntd.agencies.models import Agency
from bvntd.complaints import services
from bvntd.routing import board
from bvntd.routing.models import TransferReason
from bvntd.routing.transfers import transfer_accept, transfer_contest, transfer_decide, transfer_propose
from tests_helpers import vn


def agency(code):
    return Agency.objects.get(code=code)


@pytest.fixture
def story(make_complaint, personas):
    """Three Vĩnh Long cases: one accepted by the Sở Công Thương, one handed to the Sở Y tế, one contested
    and decided back to the Sở Công Thương by the coordinator."""
    sct, syt, coordinator = personas["canbo.sct"], personas["canbo.syt"], personas["dieuphoi.vl"]
    kept = make_complaint(at=vn(2026, 11, 2))
    services.complaint_accept(complaint=kept, actor=sct, now=vn(2026, 11, 2, 15))
    handed = make_complaint(at=vn(2026, 11, 2))
    proposal = transfer_propose(
        complaint=handed,
        actor=sct,
        now=vn(2026, 11, 3),
        to_agency=agency("86-health"),
        reason_code=TransferReason.OUTSIDE_SECTOR,
        legal_basis="Luật ATTP 2010",
    )
    transfer_accept(transfer=proposal, actor=syt, now=vn(2026, 11, 3, 11))
    handed.refresh_from_db()
    services.complaint_accept(complaint=handed, actor=syt, now=vn(2026, 11, 3, 13))
    bounced = make_complaint(at=vn(2026, 11, 2))
    proposal = transfer_propose(
        complaint=bounced,
        actor=sct,
        now=vn(2026, 11, 3),
        to_agency=agency("86-health"),
        reason_code=TransferReason.OUTSIDE_SECTOR,
        legal_basis="Luật ATTP 2010",
    )
    transfer_contest(transfer=proposal, actor=syt, now=vn(2026, 11, 4), reason="Thực phẩm thường.")
    return {
        "kept": kept,
        "handed": handed,
        "bounced": bounced,
        "proposal": proposal,
        "coordinator": coordinator,
    }


@pytest.mark.django_db
def test_the_arbitration_queue_and_the_decision(story, personas):
    scope = board.board_scope(story["coordinator"])
    assert [t.complaint for t in board.arbitration_queue(scope)] == [story["bounced"]]
    transfer_decide(
        transfer=story["proposal"],
        actor=story["coordinator"],
        now=vn(2026, 11, 5),
        owner=agency("86-sct"),
        reason="Hàng hóa thông thường.",
    )
    assert not board.arbitration_queue(scope).exists()


@pytest.mark.django_db
def test_the_agency_table_counts_and_clicks_through(story):
    transfer_decide(
        transfer=story["proposal"],
        actor=story["coordinator"],
        now=vn(2026, 11, 5),
        owner=agency("86-sct"),
        reason="Hàng hóa thông thường.",
    )
    since = vn(2026, 1, 1)
    rows = {
        row.agency.code: row for row in board.agency_table(board.board_scope(story["coordinator"]), since)
    }
    sct, health = rows["86-sct"].figures, rows["86-health"].figures
    assert sct["received"] == 3 and sct["accepted"] == 1 and sct["transferred_out"] == 2
    assert sct["bounced_back"] == 1 and sct["arbitration_lost"] == 1
    assert health["received"] == 1 and health["accepted"] == 1 and health["contested"] == 1
    assert health["arbitration_won"] == 1 and health["arbitration_lost"] == 0
    # Delay is charged to the agency that held the case: the Sở Y tế accepted 2 hours after receiving it.
    assert rows["86-health"].median_hours_to_accept == 2.0
    assert rows["86-sct"].median_hours_to_accept == 6.0
    assert list(board.metric_cases(agency("86-sct"), "bounced_back", since)) == [story["bounced"]]
    assert set(board.metric_cases(agency("86-sct"), "transferred_out", since)) == {
        story["handed"],
        story["bounced"],
    }


@pytest.mark.django_db
def test_overdue_and_long_overdue_for_the_leadership_report(story):
    scope = board.board_scope(story["coordinator"])
    # The bounced case was due to be accepted on Thu 5/11/2026.
    assert story["bounced"] in board.overdue(scope, vn(2026, 11, 6))
    assert story["bounced"] not in board.overdue(scope, vn(2026, 11, 6), long_overdue=True)
    # Overdue by 4 working days on Wed 11/11 (Fri 6, Mon 9, Tue 10, Wed 11); by 5 on Thu 12/11.
    assert story["bounced"] not in board.overdue(scope, vn(2026, 11, 11), long_overdue=True)
    assert story["bounced"] in board.overdue(scope, vn(2026, 11, 12), long_overdue=True)


@pytest.mark.django_db
def test_the_board_page_is_for_coordinators_and_the_national_authority(client, story, personas):
    client.force_login(personas["canbo.sct"])
    assert client.get("/can-bo/dieu-phoi/").status_code == 403
    client.force_login(personas["dieuphoi.vl"])
    with time_machine.travel(vn(2026, 11, 5)):
        page = client.get("/can-bo/dieu-phoi/").content.decode()
        assert story["bounced"].tracking_code in page
        listed = client.get("/can-bo/dieu-phoi/86-sct/transferred_out/").content.decode()
    assert story["handed"].tracking_code in listed and story["kept"].tracking_code not in listed
    assert client.get("/can-bo/dieu-phoi/01-sct/received/").status_code == 404  # another province
    client.force_login(personas["quocgia"])
    assert client.get("/can-bo/dieu-phoi/").status_code == 200

"""The access matrix: every role against every action, on a case of its own agency and of another."""

import pytest

from bvntd.agencies.models import Agency
from bvntd.complaints import services
from bvntd.complaints.access import Action, can, get_complaint_for_user, visible_complaints
from bvntd.core.errors import NotFound, PermissionDenied

CASE_WORK = {a for a in Action if a not in {Action.ASSIGN, Action.REASSIGN}}
NONE: set[Action] = set()

# persona -> actions allowed on a Vĩnh Long case owned by the Vĩnh Long Sở Công Thương.
EXPECTED_ON_HOME_CASE = {
    "canbo.sct": CASE_WORK,
    "canbo2.sct": CASE_WORK,
    "lanhdao.sct": CASE_WORK | {Action.ASSIGN},
    "dieuphoi.vl": {Action.VIEW, Action.REASSIGN, Action.NOTE},
    "canbo.syt": NONE,  # another agency of the same province
    "canbo.hanoi": NONE,  # another province
    "quocgia": {Action.VIEW, Action.REASSIGN, Action.NOTE},
    "kiemtoan": {Action.VIEW},
    "tongdai": NONE,  # the hotline sees only the cases it entered
}


@pytest.mark.django_db
@pytest.mark.parametrize("username", EXPECTED_ON_HOME_CASE)
def test_every_role_against_every_action(personas, make_complaint, username):
    complaint = make_complaint()
    user = personas[username]
    allowed = {action for action in Action if can(user, complaint, action)}
    assert allowed == EXPECTED_ON_HOME_CASE[username]


@pytest.mark.django_db
def test_after_a_reassignment_the_new_agency_works_it_and_the_old_one_loses_it(personas, make_complaint):
    complaint = make_complaint()
    services.complaint_reassign(
        complaint=complaint,
        actor=personas["dieuphoi.vl"],
        now=complaint.received_at,
        to_agency=Agency.objects.get(code="86-health"),
        reason="Thuộc Sở Y tế.",
    )
    assert can(personas["canbo.syt"], complaint, Action.RESOLVE)
    assert not can(personas["canbo.sct"], complaint, Action.VIEW)
    # The coordinator still sees it: the case is in the province.
    assert can(personas["dieuphoi.vl"], complaint, Action.VIEW)


@pytest.mark.django_db
def test_the_coordinator_sees_a_case_of_the_province_owned_elsewhere(personas, make_complaint):
    complaint = make_complaint(province_code="01")  # a Hà Nội consumer, owned by Hà Nội
    assert not can(personas["dieuphoi.vl"], complaint, Action.VIEW)
    assert can(personas["canbo.hanoi"], complaint, Action.ACCEPT)


@pytest.mark.django_db
def test_a_case_out_of_scope_does_not_exist_and_one_in_scope_refuses_the_action(personas, make_complaint):
    complaint = make_complaint()
    with pytest.raises(NotFound):
        get_complaint_for_user(personas["canbo.hanoi"], complaint.tracking_code)
    with pytest.raises(PermissionDenied):
        get_complaint_for_user(personas["kiemtoan"], complaint.tracking_code, action=Action.ACCEPT)
    assert get_complaint_for_user(personas["kiemtoan"], complaint.tracking_code.lower()) == complaint


@pytest.mark.django_db
def test_services_refuse_an_actor_without_the_right(personas, make_complaint):
    complaint = make_complaint()
    for username in ("canbo.syt", "canbo.hanoi", "kiemtoan", "quocgia"):
        with pytest.raises(PermissionDenied):
            services.complaint_accept(
                complaint=complaint, actor=personas[username], now=complaint.received_at
            )
    assert complaint.events.count() == 1


@pytest.mark.django_db
def test_the_hotline_operator_sees_the_cases_it_entered(personas, make_complaint):
    from bvntd.complaints.intake import parse_intake
    from bvntd.complaints.models import Channel
    from conftest import valid_intake

    operator = personas["tongdai"]
    complaint = make_complaint()
    data = parse_intake(valid_intake(purchased_on=""), today=complaint.received_at.date())
    entered, _ = services.complaint_submit(
        data=data, channel=Channel.HOTLINE, now=complaint.received_at, actor=operator
    )
    assert list(visible_complaints(operator)) == [entered]
    assert entered.events.get().actor == operator


@pytest.mark.django_db
def test_an_inactive_user_or_one_without_membership_sees_nothing(personas, make_complaint, django_user_model):
    make_complaint()
    stranger = django_user_model.objects.create(username="khach")
    officer = personas["canbo.sct"]
    officer.is_active = False
    officer.save()
    assert not visible_complaints(stranger).exists()
    assert not visible_complaints(officer).exists()

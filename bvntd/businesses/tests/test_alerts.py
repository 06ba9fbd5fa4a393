"""Mass-complaint alerts: many consumers send the same complaint, passed around a group chat with their own
name and amount, about one business within a couple of weeks; market surveillance and the coordinator of
the business's province are told once, and see the cases together."""

import datetime as dt

import pytest
from django.urls import reverse

from bvntd.agencies.models import Agency, AgencyKind
from bvntd.businesses import alerts, registry
from bvntd.businesses.models import AlertStatus, Fingerprint, FingerprintBand, MassAlert
from bvntd.complaints.models import EventKind
from bvntd.core.errors import DomainError, PermissionDenied
from bvntd.core.text import fold

pytestmark = pytest.mark.django_db

TEMPLATE = (
    "Ngày {day}/10/2026 tôi là {name}, có đặt mua một chiếc tủ lạnh Samsung tại cửa hàng Điện máy Ánh Dương "
    "với giá {amount} đồng và đã chuyển khoản đủ tiền. Nhân viên cam kết giao hàng trong ba ngày và lắp đặt "
    "miễn phí, nhưng đến nay đã hơn hai tuần cửa hàng vẫn không giao hàng, gọi điện thì không ai nghe máy. "
    "Khi tôi đến cửa hàng thì bị yêu cầu đóng thêm phí vận chuyển mới được giao hàng. Tôi đề nghị cơ quan "
    "chức năng xem xét, buộc cửa hàng giao hàng đúng cam kết hoặc hoàn lại toàn bộ số tiền đã thanh toán. "
    "Số điện thoại của tôi là {phone}."
)
SENDERS = [
    ("Nguyễn Văn An", "8.500.000", "0912345678", 3),
    ("Trần Thị Bích", "9.200.000", "0987654321", 4),
    ("Lê Hoàng Cường", "8.500.000", "0901234567", 5),
    ("Phạm Minh Đức", "12.000.000", "0934567890", 6),
    ("Võ Thị Em", "7.990.000", "0977111222", 7),
    ("Đặng Văn Phúc", "10.500.000", "0966333444", 8),
]
UNRELATED = [
    "Tôi mua điện thoại ngày 10/10, máy bị lỗi màn hình, cửa hàng không đổi.",
    "Hóa đơn tiền điện tháng này tăng gấp ba lần mà không có lý do, điện lực không giải thích.",
    "Nhà xe thu thêm 200 nghìn phí hành lý không báo trước, tài xế còn thái độ thô lỗ.",
    "Mua gói tập gym một năm, sau hai tháng phòng tập đóng cửa không hoàn tiền.",
    "Đặt tour du lịch Phú Quốc nhưng khách sạn không đúng như quảng cáo, công ty không bồi thường.",
]


def copy(i: int, *, diacritics: bool = True) -> str:
    name, amount, phone, day = SENDERS[i]
    text = TEMPLATE.format(day=day, name=name, amount=amount, phone=phone)
    return text if diacritics else fold(text)  # re-typed on a phone without a Vietnamese keyboard


@pytest.fixture
def business(personas, now):
    return registry.business_create(
        actor=personas["canbo.sct"],
        now=now,
        name="Công ty TNHH Điện máy Ánh Dương",
        tax_code="0100109106",
        province_id="86",
    )


@pytest.fixture
def copies(make_complaint, business, now):
    """Copies of one complaint about the business, a day apart; consumers from Hà Nội (even copies) and
    Vĩnh Long (odd ones)."""

    def make(count, *, start=0, business_name="Điện máy Ánh Dương", tax_code="0100109106", at=None, **extra):
        made = []
        for i in range(start, start + count):
            made.append(
                make_complaint(
                    at=(at or now) + dt.timedelta(days=i),
                    description=copy(i, diacritics=i % 2 == 0),
                    business_name=business_name,
                    business_tax_code=tax_code,
                    province_code="86" if i % 2 else "01",
                    **extra,
                )
            )
        return made

    return make


def officer_for(complaint, personas):
    return personas["canbo.sct" if complaint.province_id == "86" else "canbo.hanoi"]


def detect_all(complaints):
    return [alerts.detect_mass_complaint(complaint=c, now=c.received_at) for c in complaints]


def test_the_copies_are_near_duplicates_and_the_unrelated_texts_are_not():
    from bvntd.businesses.similarity import estimate_jaccard, signature

    first = signature(copy(0))
    assert all(estimate_jaccard(first, signature(copy(i, diacritics=i % 2 == 0))) >= 0.5 for i in range(1, 6))
    assert all(estimate_jaccard(first, signature(text)) < 0.5 for text in UNRELATED)


def test_five_copies_about_one_business_open_one_alert(copies, business):
    from django_tasks_db.models import DBTaskResult

    cases = copies(5)
    assert all(c.business == business for c in cases)
    results = detect_all(cases[:4])
    assert results == [None] * 4
    assert not MassAlert.objects.exists()
    alert = alerts.detect_mass_complaint(complaint=cases[4], now=cases[4].received_at)
    assert MassAlert.objects.get() == alert
    assert set(alert.complaints.all()) == set(cases)
    assert (alert.status, alert.business, alert.business_key) == (
        AlertStatus.OPEN,
        business,
        f"b:{business.pk}",
    )
    assert alert.business_name == "Công ty TNHH Điện máy Ánh Dương"
    # The business is in Vĩnh Long: its market surveillance acts, whatever province the consumers live in
    # (the fifth one lives in Hà Nội, and so do two others).
    assert cases[4].province_id == "01"
    assert alert.province_id == "86"
    assert alert.sample_text == cases[4].description
    for case in cases:
        event = case.events.get(kind=EventKind.MASS_ALERT)
        assert event.data == {"alert": alert.pk}
        assert event.actor_label == "system"
        assert event.to_status == event.from_status == case.status
    # One mail, to the province's Chi cục QLTT and its consumer-protection coordinator.
    recipients = alerts.alert_recipients(alert)
    assert [(a.kind, a.province_id) for a in recipients] == [
        (AgencyKind.QLTT, "86"),
        (AgencyKind.SCT_CP, "86"),
    ]
    # Written with the alert, in its transaction (bvntd.core.outbox); the intakes' own mails aside.
    mails = DBTaskResult.objects.filter(task_path="bvntd.complaints.tasks.send_email")
    (mail,) = [m for m in mails if "/can-bo/canh-bao/" in m.args_kwargs["kwargs"]["body"]]
    kwargs = mail.args_kwargs["kwargs"]
    assert kwargs["to"] == [a.email for a in recipients]
    assert set(kwargs["to"]) == {
        Agency.objects.get(province_id="86", kind=AgencyKind.QLTT).email,
        Agency.objects.get(code="86-sct-cp").email,
    }
    assert "Điện máy Ánh Dương" in kwargs["subject"]
    assert f"/can-bo/canh-bao/{alert.pk}/" in kwargs["body"]
    assert "Nguyễn" not in kwargs["body"]  # the mail names the business, not the consumers


def test_detecting_a_complaint_twice_changes_nothing(copies, business):
    cases = copies(5)
    alert = detect_all(cases)[-1]
    assert alerts.detect_mass_complaint(complaint=cases[4], now=cases[4].received_at) == alert
    assert Fingerprint.objects.count() == 5
    assert cases[4].events.filter(kind=EventKind.MASS_ALERT).count() == 1


def test_four_copies_are_not_an_alert(copies):
    assert detect_all(copies(4)) == [None] * 4
    assert not MassAlert.objects.exists()


def test_five_copies_about_different_businesses_are_not_an_alert(make_complaint, now):
    cases = [
        make_complaint(
            at=now + dt.timedelta(days=i), description=copy(i), business_name=name, business_tax_code=""
        )
        for i, name in enumerate(
            [
                "Điện máy Ánh Dương",
                "Điện máy Bình Minh",
                "Siêu thị Co.op Vĩnh Long",
                "Nhà sách Phương Nam",
                "Thế Giới Di Động",
            ]
        )
    ]
    assert detect_all(cases) == [None] * 5
    assert len({f.business_key for f in Fingerprint.objects.all()}) == 5
    assert not MassAlert.objects.exists()


def test_five_unrelated_complaints_about_one_business_are_not_an_alert(make_complaint, business, now):
    cases = [
        make_complaint(at=now + dt.timedelta(days=i), description=text, business_name="Điện máy Ánh Dương")
        for i, text in enumerate(UNRELATED)
    ]
    assert all(c.business == business for c in cases)
    assert detect_all(cases) == [None] * 5
    assert not MassAlert.objects.exists()


def test_an_unregistered_business_is_grouped_by_its_name(copies):
    # No tax code: the consumers typed the name, with and without diacritics and legal form.
    cases = copies(5, tax_code="", business_name="Công ty TNHH Điện máy Ánh Dương")
    assert all(c.business_id is None for c in cases)
    alert = detect_all(cases)[-1]
    assert alert is not None
    assert alert.business_key == "n:dien may anh duong"
    assert alert.business is None
    # The consumers gave no province for the business: the one whose complaint completed the cluster is
    # where the alert goes (a local shop is where its customers live).
    assert alert.province_id == cases[-1].province_id == "01"


def test_a_sixth_copy_joins_the_same_alert(copies):
    from django_tasks_db.models import DBTaskResult

    cases = copies(6)
    alert = detect_all(cases[:5])[-1]
    again = alerts.detect_mass_complaint(complaint=cases[5], now=cases[5].received_at)
    assert again == alert
    assert MassAlert.objects.count() == 1
    assert set(alert.complaints.all()) == set(cases)
    # The recipients were told when the alert opened; no second mail (mails are queued in the transaction).
    mails = DBTaskResult.objects.filter(task_path="bvntd.complaints.tasks.send_email")
    assert sum("/can-bo/canh-bao/" in m.args_kwargs["kwargs"]["body"] for m in mails) == 1
    assert [c.events.filter(kind=EventKind.MASS_ALERT).count() for c in cases] == [1] * 6
    alert.refresh_from_db()
    assert alert.updated_at == cases[5].received_at


def test_a_new_copy_joins_an_acknowledged_alert_but_not_a_closed_one(copies, personas):
    cases = copies(6)
    alert = detect_all(cases[:5])[-1]
    alerts.alert_acknowledge(alert=alert, actor=personas["dieuphoi.vl"], now=cases[4].received_at)
    assert alerts.detect_mass_complaint(complaint=cases[5], now=cases[5].received_at) == alert
    MassAlert.objects.filter(pk=alert.pk).update(status=AlertStatus.CLOSED)
    more = copies(1, start=5)[0]  # yet another copy, after the alert was closed: a new incident
    fresh = alerts.detect_mass_complaint(complaint=more, now=more.received_at)
    assert fresh is not None and fresh != alert
    assert MassAlert.objects.filter(status=AlertStatus.OPEN).get() == fresh


def test_complaints_outside_the_window_do_not_count(copies, now, settings):
    assert settings.BVNTD["MASS_ALERT_WINDOW_DAYS"] == 14
    old = copies(2, at=now - dt.timedelta(days=30))
    recent = copies(3, start=2)
    assert detect_all(old + recent) == [None] * 5
    assert not MassAlert.objects.exists()
    # Within the window (13 days before the last copy), an older copy counts.
    borderline = copies(1, start=5, at=recent[-1].received_at - dt.timedelta(days=13 + 5))[0]
    assert alerts.detect_mass_complaint(complaint=borderline, now=now) is None  # 4 in the window: still not
    last = copies(1, start=0, at=recent[-1].received_at)[0]
    alert = alerts.detect_mass_complaint(complaint=last, now=last.received_at)
    assert alert is not None
    assert set(alert.complaints.all()) == {*recent, borderline, last}


def test_fingerprint_missed_picks_up_complaints_without_a_fingerprint(copies, now):
    too_old = copies(1, at=now - dt.timedelta(days=30))[0]
    cases = copies(5)
    alerts.detect_mass_complaint(complaint=cases[0], now=now)  # the only one a task reached
    later = cases[-1].received_at
    assert alerts.fingerprint_missed(now=later) == 4
    assert set(Fingerprint.objects.values_list("complaint_id", flat=True)) == {c.pk for c in cases}
    assert not Fingerprint.objects.filter(complaint=too_old).exists()  # outside the window: left alone
    alert = MassAlert.objects.get()
    assert set(alert.complaints.all()) == set(cases)
    assert alerts.fingerprint_missed(now=later) == 0


def test_a_complaint_linked_later_joins_its_business(copies, make_complaint, personas, business, now):
    """A consumer who typed another name (no tax code) is grouped with the business once staff link it."""
    cases = copies(4)
    stray = copies(1, start=4, tax_code="", business_name="DMAD shop")[0]
    assert detect_all([*cases, stray]) == [None] * 5
    registry.complaint_link_business(
        complaint=stray, business=business, actor=officer_for(stray, personas), now=now
    )
    assert (
        FingerprintBand.objects.filter(complaint=stray).exclude(business_key=f"b:{business.pk}").count() == 0
    )
    sixth = copies(1, start=5)[0]
    alert = alerts.detect_mass_complaint(complaint=sixth, now=sixth.received_at)
    assert set(alert.complaints.all()) == {*cases, stray, sixth}


def test_merged_duplicates_count_together(copies, personas, business, now):
    duplicate = registry.business_create(actor=personas["canbo.sct"], now=now, name="Điện máy Ánh Dương VL")
    on_duplicate = copies(2, tax_code="", business_name="Điện máy Ánh Dương VL")
    for complaint in on_duplicate:
        registry.complaint_link_business(
            complaint=complaint, business=duplicate, actor=officer_for(complaint, personas), now=now
        )
    on_business = copies(2, start=2)
    assert detect_all(on_duplicate + on_business) == [None] * 4
    registry.business_merge(keep=business, duplicate=duplicate, actor=personas["canbo.sct"], now=now)
    fifth = copies(1, start=4)[0]
    alert = alerts.detect_mass_complaint(complaint=fifth, now=fifth.received_at)
    assert set(alert.complaints.all()) == {*on_duplicate, *on_business, fifth}


# --- the alert pages ------------------------------------------------------------------------------------


@pytest.fixture
def alert(copies):
    return detect_all(copies(5))[-1]


def test_the_coordinator_of_the_province_sees_the_alert(client, personas, alert):
    client.force_login(personas["dieuphoi.vl"])
    listing = client.get(reverse("businesses:alerts"))
    assert listing.status_code == 200
    assert list(listing.context["page"]) == [alert]
    assert listing.context["page"][0].case_count == 5
    assert "<td>5</td>" in listing.content.decode()
    assert reverse("businesses:alert", args=[alert.pk]) in listing.content.decode()
    detail = client.get(reverse("businesses:alert", args=[alert.pk]))
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "Công ty TNHH Điện máy Ánh Dương" in text
    assert len(detail.context["cases"]) == 5
    assert all(c.tracking_code in text for c in detail.context["cases"])
    assert "Tiếp nhận xử lý" in text


def test_the_coordinator_acknowledges_once(client, personas, alert):
    client.force_login(personas["dieuphoi.vl"])
    url = reverse("businesses:alert", args=[alert.pk])
    first = client.post(url, follow=True)
    assert first.redirect_chain == [(url, 302)]
    assert "Đã tiếp nhận cảnh báo." in first.content.decode()
    assert "Tiếp nhận xử lý</button>" not in first.content.decode()
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, personas["dieuphoi.vl"])
    second = client.post(url, follow=True)
    assert "Cảnh báo đã được tiếp nhận trước đó." in second.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_by == personas["dieuphoi.vl"]


def test_an_officer_of_another_province_does_not_see_the_alert(client, personas, alert):
    client.force_login(personas["canbo.hanoi"])
    assert list(client.get(reverse("businesses:alerts")).context["page"]) == []
    assert client.get(reverse("businesses:alert", args=[alert.pk])).status_code == 404
    assert client.post(reverse("businesses:alert", args=[alert.pk])).status_code == 404
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_the_national_authority_sees_every_alert(client, personas, alert):
    client.force_login(personas["quocgia"])
    assert list(client.get(reverse("businesses:alerts")).context["page"]) == [alert]
    assert client.get(reverse("businesses:alert", args=[alert.pk])).status_code == 200


def test_only_the_recipients_may_acknowledge(client, personas, alert, now):
    """An officer of the Sở Công Thương sees the province's alerts but acting on them is market
    surveillance's and the coordinator's: no button, and a message if they post anyway."""
    client.force_login(personas["canbo.sct"])
    url = reverse("businesses:alert", args=[alert.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Tiếp nhận xử lý</button>" not in page.content.decode()
    refused = client.post(url, follow=True)
    assert "Bạn không có quyền xử lý cảnh báo này." in refused.content.decode()
    with pytest.raises(PermissionDenied):
        alerts.alert_acknowledge(alert=alert, actor=personas["kiemtoan"], now=now)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
    alerts.alert_acknowledge(alert=alert, actor=personas["quocgia"], now=now)
    with pytest.raises(DomainError):
        alerts.alert_acknowledge(alert=alert, actor=personas["dieuphoi.vl"], now=now)


def test_a_business_user_cannot_see_alerts(client, shop_b, alert):
    _business, user = shop_b
    client.force_login(user)
    assert client.get(reverse("businesses:alerts")).status_code == 403
    assert client.get(reverse("businesses:alert", args=[alert.pk])).status_code == 403


# --- the intake path ------------------------------------------------------------------------------------


def test_intake_queues_the_detection_in_its_own_transaction(make_complaint):
    # An outbox row (bvntd.core.outbox): the worker sees it when the intake commits, and a rolled-back
    # intake takes it away (complaints/tests/test_outbox.py).
    from django_tasks_db.models import DBTaskResult

    from bvntd.businesses import tasks

    path = "bvntd.businesses.tasks.detect_mass_complaint"
    complaint = make_complaint(description=copy(0))
    queued = DBTaskResult.objects.get(task_path=path)
    assert queued.args_kwargs["kwargs"] == {"complaint_id": complaint.pk}
    assert not Fingerprint.objects.exists()  # the intake itself does not compute anything
    # What the worker then runs:
    assert tasks.detect_mass_complaint.call(complaint_id=complaint.pk) is None
    assert Fingerprint.objects.get().complaint == complaint


def test_the_task_returns_the_alert(copies):
    from bvntd.businesses import tasks

    cases = copies(5)
    detect_all(cases[:4])
    alert_pk = tasks.detect_mass_complaint.call(complaint_id=cases[4].pk)
    assert alert_pk == MassAlert.objects.get().pk

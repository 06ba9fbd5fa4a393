"""The business registry as staff use it: adding a business, matching a complaint to it, linking, and
merging duplicates without losing a single complaint."""

import pytest
from django.urls import reverse

from bvntd.businesses import portal, registry
from bvntd.businesses.models import Business, BusinessEvent, BusinessEventKind, BusinessName, NameKind
from bvntd.businesses.queries import search_businesses
from bvntd.complaints.models import EventKind
from bvntd.core.errors import DomainError, FieldErrors, PermissionDenied

from .conftest import TAX_A, TAX_B

# More valid tax codes (check digit per stdnum.vn.mst).
TAX_C = "0300000018"
TAX_D = "1500000017"

pytestmark = pytest.mark.django_db

ANH_DUONG = "Công ty TNHH Điện máy Ánh Dương"


def _create(personas, now, name, tax_code="", **extra):
    return registry.business_create(
        actor=personas["canbo.sct"], now=now, name=name, tax_code=tax_code, **extra
    )


def _field_errors(raised) -> dict:
    return {error.field: error.message for error in raised.value.errors}


# --- creating -------------------------------------------------------------------------------------------


def test_create_refuses_an_invalid_tax_code_naming_the_field(personas, now):
    with pytest.raises(FieldErrors) as raised:
        _create(personas, now, ANH_DUONG, tax_code="0100109107")  # wrong check digit
    assert "tax_code" in _field_errors(raised)
    assert "không hợp lệ" in _field_errors(raised)["tax_code"]
    assert not Business.objects.exists()


def test_create_refuses_a_tax_code_already_registered(personas, now):
    first = _create(personas, now, ANH_DUONG, tax_code=TAX_A)
    with pytest.raises(FieldErrors) as raised:
        # The same code typed with a space and a different name is still the same business.
        _create(personas, now, "Điện máy Ánh Dương Vĩnh Long", tax_code=f" {TAX_A} ")
    assert set(_field_errors(raised)) == {"tax_code"}
    assert "Đã có doanh nghiệp" in _field_errors(raised)["tax_code"]
    assert list(Business.objects.all()) == [first]


def test_create_reports_every_problem_at_once(personas, now):
    with pytest.raises(FieldErrors) as raised:
        _create(personas, now, "   ", tax_code="12345")
    assert set(_field_errors(raised)) == {"name", "tax_code"}


def test_create_stores_the_compact_tax_code_and_every_name(personas, now):
    business = _create(
        personas,
        now,
        "  Công ty TNHH   Điện máy Ánh Dương ",
        tax_code="0100109106-001",
        aliases=["Điện máy Ánh Dương", "DMAD", "dmad"],
        shops=["Shopee: dienmayanhduong"],
    )
    assert business.tax_code == "0100109106001"
    assert business.name == ANH_DUONG
    assert business.name_key == "dien may anh duong"
    kinds = dict(business.names.values_list("name", "kind"))
    # "Điện máy Ánh Dương" has the legal name's key, and "dmad" is "DMAD" again: each key once.
    assert kinds == {
        ANH_DUONG: NameKind.LEGAL,
        "DMAD": NameKind.ALIAS,
        "Shopee: dienmayanhduong": NameKind.SHOP,
    }


def test_the_new_business_page_shows_the_field_error(client, personas, now):
    _create(personas, now, ANH_DUONG, tax_code=TAX_A)
    client.force_login(personas["canbo.sct"])
    response = client.post(reverse("businesses:new"), {"name": "Ánh Dương 2", "tax_code": TAX_A})
    assert response.status_code == 422
    assert "Đã có doanh nghiệp với mã số thuế này" in response.content.decode()
    assert response.context["form"].errors["tax_code"]
    response = client.post(
        reverse("businesses:new"), {"name": "CTCP Thời trang Bình Minh", "tax_code": TAX_B, "province": "86"}
    )
    business = Business.objects.get(tax_code=TAX_B)
    assert response.status_code == 302
    assert response["Location"] == reverse("businesses:detail", args=[business.pk])
    assert business.province_id == "86"


# --- candidates -----------------------------------------------------------------------------------------


@pytest.fixture
def registered(personas, now):
    return {
        "anh_duong": _create(personas, now, ANH_DUONG, tax_code=TAX_A),
        "binh_minh": _create(personas, now, "CTCP Thời trang Bình Minh", tax_code=TAX_B),
        "xanh": _create(personas, now, "Điện Máy Xanh JSC", aliases=["DMX"]),
    }


def _ids(candidates):
    return [business.pk for business, _candidate in candidates]


def test_an_exact_tax_code_comes_first(registered):
    # The name looks like Bình Minh, but the tax code is Ánh Dương's: the code wins, the name follows.
    candidates = registry.business_candidates(name="Thời trang Bình Minh", tax_code=TAX_A)
    assert _ids(candidates)[:2] == [registered["anh_duong"].pk, registered["binh_minh"].pk]
    assert candidates[0][1].reason == "tax_code"
    assert candidates[0][1].score == 1.0
    assert candidates[1][1].reason == "name"


@pytest.mark.parametrize(
    "typed",
    [
        "dien may anh duong",
        "ĐIỆN MÁY ÁNH DƯƠNG",
        "Cty TNHH Dien May Anh Duong",
        "Công ty cổ phần Điện máy Ánh Dương",
        "CTCP điện máy ánh dương",
        "Dien may Anh Duong JSC",
        "Điện máy Ánh Dươngg",  # a typo
    ],
)
def test_names_match_whatever_the_diacritics_legal_form_and_case(registered, typed):
    candidates = registry.business_candidates(name=typed)
    assert _ids(candidates)[0] == registered["anh_duong"].pk
    assert candidates[0][1].reason == "name"
    assert candidates[0][1].score >= 0.6


def test_aliases_are_searched_too(registered):
    assert _ids(registry.business_candidates(name="dmx")) == [registered["xanh"].pk]
    # Another "điện máy" may follow, as a weaker candidate the officer can tell apart.
    assert _ids(registry.business_candidates(name="Dien may xanh"))[0] == registered["xanh"].pk
    assert _ids(registry.business_candidates(name="Thoi trang binh minh co., ltd")) == [
        registered["binh_minh"].pk
    ]


@pytest.mark.parametrize("typed", ["Nhà hàng Hải sản Biển Đông", "Nha xe Phuong Nam", "Công ty TNHH", ""])
def test_an_unrelated_name_has_no_candidate(registered, typed):
    assert registry.business_candidates(name=typed) == []


def test_the_right_business_is_found_among_many_with_common_words(personas, now):
    """Hundreds of "điện máy" shops share the query's words: the one that shares all of them is still
    scored, however many others the database returns first."""
    businesses = Business.objects.bulk_create(
        Business(name=f"Điện máy số {i}", name_key=f"dien may so {i}", created_at=now, updated_at=now)
        for i in range(registry.CANDIDATE_POOL + 20)
    )
    BusinessName.objects.bulk_create(
        BusinessName(business=b, name=b.name, key=b.name_key, kind=NameKind.LEGAL) for b in businesses
    )
    anh_duong = _create(personas, now, ANH_DUONG, tax_code=TAX_A)
    candidates = registry.business_candidates(name="dien may anh duong")
    assert _ids(candidates)[0] == anh_duong.pk


def test_an_invalid_or_unknown_tax_code_alone_finds_nothing(registered):
    assert registry.business_candidates(name="", tax_code="0100109107") == []
    assert registry.business_candidates(name="", tax_code=TAX_C) == []


# --- linking a complaint --------------------------------------------------------------------------------


def _unlinked(make_complaint, name="dien may anh duong"):
    complaint = make_complaint(business_name=name, business_tax_code="")
    assert complaint.business_id is None
    return complaint


def test_the_case_page_offers_the_candidates_and_links_one(client, personas, registered, make_complaint):
    complaint = _unlinked(make_complaint)
    client.force_login(personas["canbo.sct"])
    page = client.get(reverse("complaints:case", args=[complaint.tracking_code]))
    assert page.status_code == 200
    assert ANH_DUONG in page.content.decode()
    link = f"/can-bo/ho-so/{complaint.tracking_code}/doanh-nghiep/link/"
    assert link in page.content.decode()
    response = client.post(link, {"business": registered["anh_duong"].pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:case", args=[complaint.tracking_code])
    complaint.refresh_from_db()
    assert complaint.business == registered["anh_duong"]
    event = complaint.events.get(kind=EventKind.BUSINESS_LINKED)
    assert event.actor == personas["canbo.sct"]
    assert event.data == {"business": registered["anh_duong"].pk, "tax_code": TAX_A, "name": ANH_DUONG}
    # Linking the same business again is refused with a message, nothing recorded twice.
    again = client.post(link, {"business": registered["anh_duong"].pk}, follow=True)
    assert "Hồ sơ đã gắn với doanh nghiệp này." in again.content.decode()
    assert complaint.events.filter(kind=EventKind.BUSINESS_LINKED).count() == 1


def test_linking_an_unknown_business_is_a_message_not_an_error(client, personas, make_complaint):
    complaint = _unlinked(make_complaint)
    client.force_login(personas["canbo.sct"])
    response = client.post(
        f"/can-bo/ho-so/{complaint.tracking_code}/doanh-nghiep/link/", {"business": 999999}, follow=True
    )
    assert response.status_code == 200
    assert "Không tìm thấy doanh nghiệp." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.business_id is None


def test_create_link_adds_the_business_from_the_complaint(client, personas, make_complaint):
    complaint = make_complaint(business_name="Cửa hàng Điện thoại Minh Phát", business_tax_code=TAX_C)
    assert complaint.business_id is None  # the registry did not know the code at intake
    client.force_login(personas["canbo.sct"])
    response = client.post(f"/can-bo/ho-so/{complaint.tracking_code}/doanh-nghiep/create_link/")
    assert response.status_code == 302
    business = Business.objects.get(tax_code=TAX_C)
    assert business.name == "Cửa hàng Điện thoại Minh Phát"
    # Where the consumer lives says nothing about where the business is: left for staff to fill in.
    assert business.province_id is None
    complaint.refresh_from_db()
    assert complaint.business == business
    assert complaint.events.filter(kind=EventKind.BUSINESS_LINKED, data__business=business.pk).exists()
    assert business.events.filter(kind=BusinessEventKind.CREATED, actor=personas["canbo.sct"]).exists()


def test_create_link_links_the_record_registered_since_intake_under_the_same_tax_code(
    client, personas, now, make_complaint
):
    complaint = make_complaint(business_name="Minh Phát", business_tax_code=TAX_C)
    registered = _create(personas, now, "Cửa hàng Điện thoại Minh Phát", tax_code=TAX_C)  # after the intake
    client.force_login(personas["canbo.sct"])
    response = client.post(f"/can-bo/ho-so/{complaint.tracking_code}/doanh-nghiep/create_link/")
    assert response.status_code == 302
    # No duplicate record: the case is linked to the one that holds its tax code.
    assert Business.objects.filter(tax_code=TAX_C).count() == 1
    complaint.refresh_from_db()
    assert complaint.business == registered


def test_an_officer_of_another_province_cannot_link_a_case_it_does_not_hold(
    client, personas, registered, make_complaint
):
    complaint = _unlinked(make_complaint)
    client.force_login(personas["canbo.hanoi"])
    response = client.post(
        f"/can-bo/ho-so/{complaint.tracking_code}/doanh-nghiep/link/",
        {"business": registered["anh_duong"].pk},
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        registry.complaint_link_business(
            complaint=complaint,
            business=registered["anh_duong"],
            actor=personas["canbo.hanoi"],
            now=complaint.received_at,
        )
    complaint.refresh_from_db()
    assert complaint.business_id is None


# --- merging duplicates ---------------------------------------------------------------------------------


@pytest.fixture
def duplicates(personas, now, file_about, make_complaint):
    """The registered record (with a tax code) and a duplicate typed by hand (without one), each with
    complaints; the duplicate has a representative and an API token."""
    officer = personas["canbo.sct"]
    keep = _create(personas, now, ANH_DUONG, tax_code=TAX_A, province_id="86")
    duplicate = _create(
        personas, now, "Điện máy Ánh Dương Vĩnh Long", aliases=["DMAD"], shops=["Shopee: dmad"]
    )
    kept_cases = [
        file_about(keep, description=f"Máy lạnh hỏng lần {i}, cửa hàng không sửa.") for i in range(2)
    ]
    _invitation, token = portal.invitation_create(
        business=duplicate, email="dmad@example.vn", actor=officer, now=now
    )
    member = portal.invitation_accept(
        token=token,
        now=now,
        full_name="Đại diện DMAD",
        password="Mat-khau-dai-2026!",
        password_again="Mat-khau-dai-2026!",
    )
    portal.api_token_issue(business=duplicate, name="CSKH", actor=officer, now=now)
    moved_cases = []
    for _ in range(3):
        complaint = _unlinked(make_complaint, name="Điện máy Ánh Dương VL")
        complaint.contacted_business = False
        registry.complaint_link_business(complaint=complaint, business=duplicate, actor=officer, now=now)
        moved_cases.append(complaint)
    # One of them went to the duplicate's portal, and is still there when the records are merged.
    from bvntd.businesses import stage

    stage.referral_send(complaint=moved_cases[0], actor=officer, now=now)
    return {"keep": keep, "duplicate": duplicate, "kept": kept_cases, "moved": moved_cases, "member": member}


def test_merging_keeps_every_complaint(personas, now, duplicates):
    keep, duplicate = duplicates["keep"], duplicates["duplicate"]
    result = registry.business_merge(keep=keep, duplicate=duplicate, actor=personas["canbo.sct"], now=now)
    assert result == keep
    all_cases = {c.pk for c in duplicates["kept"] + duplicates["moved"]}
    assert set(keep.complaints.values_list("pk", flat=True)) == all_cases
    assert not duplicate.complaints.exists()
    for complaint in duplicates["moved"]:
        event = complaint.events.filter(kind=EventKind.BUSINESS_LINKED).last()
        assert event.data == {"business": keep.pk, "merged_from": duplicate.pk}
        assert event.actor == personas["canbo.sct"]
        assert event.to_status == event.from_status  # a merge changes no status
    for complaint in duplicates["kept"]:
        assert not complaint.events.filter(kind=EventKind.BUSINESS_LINKED).exists()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert not duplicate.is_active
    assert registry.active(duplicate) == keep


def test_merging_moves_names_people_tokens_and_the_business_stage(personas, now, duplicates):
    keep, duplicate, member = duplicates["keep"], duplicates["duplicate"], duplicates["member"]
    registry.business_merge(keep=keep, duplicate=duplicate, actor=personas["canbo.sct"], now=now)
    names = dict(BusinessName.objects.filter(business=keep).values_list("name", "kind"))
    assert names == {
        ANH_DUONG: NameKind.LEGAL,
        "Điện máy Ánh Dương Vĩnh Long": NameKind.ALIAS,  # the duplicate's legal name becomes an alias
        "DMAD": NameKind.ALIAS,
        "Shopee: dmad": NameKind.SHOP,
    }
    assert not BusinessName.objects.filter(business=duplicate).exists()
    assert portal.business_of(type(member).objects.get(pk=member.pk)) == keep
    assert keep.api_tokens.count() == 1 and not duplicate.api_tokens.exists()
    referred = duplicates["moved"][0]
    assert set(portal.business_complaints(keep)) == {referred}
    # The matcher now finds the kept record by the duplicate's names.
    found = registry.business_candidates(name="dien may anh duong vinh long")
    assert [business.pk for business, _c in found] == [keep.pk]


def test_the_registry_no_longer_lists_the_duplicate(client, personas, now, duplicates):
    keep, duplicate = duplicates["keep"], duplicates["duplicate"]
    registry.business_merge(keep=keep, duplicate=duplicate, actor=personas["canbo.sct"], now=now)
    assert list(search_businesses("")) == [keep]
    assert list(search_businesses("Điện máy Ánh Dương Vĩnh Long")) == [keep]
    client.force_login(personas["canbo.sct"])
    page = client.get(reverse("businesses:registry"))
    assert list(page.context["page"]) == [keep]
    # The duplicate's old address leads to the kept record.
    old = client.get(reverse("businesses:detail", args=[duplicate.pk]))
    assert old.status_code == 302
    assert old["Location"] == reverse("businesses:detail", args=[keep.pk])


def test_the_tax_code_moves_when_only_the_duplicate_has_it(personas, now, file_about):
    keep = _create(personas, now, "Điện máy Ánh Dương")
    duplicate = _create(personas, now, ANH_DUONG, tax_code=TAX_A)
    registry.business_merge(keep=keep, duplicate=duplicate, actor=personas["canbo.sct"], now=now)
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert keep.tax_code == TAX_A
    assert duplicate.tax_code == ""
    # A new complaint with that code goes straight to the kept record.
    assert registry.business_for_tax_code(TAX_A) == keep
    assert file_about(keep).business == keep


def test_two_different_tax_codes_are_two_businesses(personas, now):
    keep = _create(personas, now, ANH_DUONG, tax_code=TAX_A)
    duplicate = _create(personas, now, "Điện máy Ánh Dương", tax_code=TAX_C)
    with pytest.raises(DomainError, match="mã số thuế khác nhau"):
        registry.business_merge(keep=keep, duplicate=duplicate, actor=personas["canbo.sct"], now=now)
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None and duplicate.tax_code == TAX_C
    assert not BusinessEvent.objects.filter(kind=BusinessEventKind.MERGED).exists()


def test_a_record_cannot_be_merged_into_itself_or_again(personas, now):
    keep = _create(personas, now, ANH_DUONG, tax_code=TAX_A)
    duplicate = _create(personas, now, "Điện máy Ánh Dương")
    with pytest.raises(DomainError):
        registry.business_merge(keep=keep, duplicate=keep, actor=personas["canbo.sct"], now=now)
    registry.business_merge(keep=keep, duplicate=duplicate, actor=personas["canbo.sct"], now=now)
    duplicate.refresh_from_db()
    with pytest.raises(DomainError):
        registry.business_merge(keep=keep, duplicate=duplicate, actor=personas["canbo.sct"], now=now)
    with pytest.raises(DomainError):
        # The merged record now lives in `keep`: merging it the other way round is the same record.
        registry.business_merge(keep=duplicate, duplicate=keep, actor=personas["canbo.sct"], now=now)


def test_a_merge_decided_on_old_copies_of_the_records_is_refused(personas, now):
    """Two officers, each with the two records open: one merges B into A, the other then A into B. The
    second merge must not make each record the other's duplicate (which would hide both)."""
    a = _create(personas, now, ANH_DUONG, tax_code=TAX_A)
    b = _create(personas, now, "Điện máy Ánh Dương")
    a_seen, b_seen = Business.objects.get(pk=a.pk), Business.objects.get(pk=b.pk)
    registry.business_merge(keep=a, duplicate=b, actor=personas["canbo.sct"], now=now)
    with pytest.raises(DomainError):
        registry.business_merge(keep=b_seen, duplicate=a_seen, actor=personas["canbo2.sct"], now=now)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.merged_into_id, b.merged_into_id) == (None, a.pk)
    assert list(search_businesses("")) == [a]


def test_read_only_roles_see_the_registry_without_its_forms(client, personas, now):
    business = _create(personas, now, ANH_DUONG, tax_code=TAX_A)
    client.force_login(personas["kiemtoan"])
    listing = client.get(reverse("businesses:registry"))
    assert listing.status_code == 200
    assert reverse("businesses:new") not in listing.content.decode()
    detail = client.get(reverse("businesses:detail", args=[business.pk]))
    assert detail.status_code == 200
    assert 'data-testid="merge-form"' not in detail.content.decode()
    assert client.get(reverse("businesses:new")).status_code == 403
    assert client.get(reverse("businesses:import_new")).status_code == 403
    other = _create(personas, now, "Điện máy Ánh Dương")
    merge = client.post(
        reverse("businesses:action", args=[business.pk, "merge"]), {"duplicate": other.pk, "confirm": "on"}
    )
    assert merge.status_code == 403
    other.refresh_from_db()
    assert other.merged_into_id is None
    client.force_login(personas["canbo.hanoi"])
    assert (
        'data-testid="merge-form"'
        in client.get(reverse("businesses:detail", args=[business.pk])).content.decode()
    )


def test_read_only_roles_cannot_change_the_registry(personas, now):
    keep = _create(personas, now, ANH_DUONG, tax_code=TAX_A)
    duplicate = _create(personas, now, "Điện máy Ánh Dương")
    for username in ("kiemtoan", "tongdai"):
        with pytest.raises(PermissionDenied):
            registry.business_create(actor=personas[username], now=now, name="Nhà sách Phương Nam")
        with pytest.raises(PermissionDenied):
            registry.business_merge(keep=keep, duplicate=duplicate, actor=personas[username], now=now)
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None
    assert not Business.objects.filter(name="Nhà sách Phương Nam").exists()


def test_the_merge_page_asks_for_confirmation_first(client, personas, duplicates):
    keep, duplicate = duplicates["keep"], duplicates["duplicate"]
    client.force_login(personas["canbo.sct"])
    url = reverse("businesses:action", args=[keep.pk, "merge"])
    preview = client.post(url, {"duplicate": duplicate.pk})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "Điện máy Ánh Dương Vĩnh Long" in text
    assert "3 khiếu nại sẽ chuyển sang" in text
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None
    assert duplicate.complaints.count() == 3
    assert not BusinessEvent.objects.filter(kind=BusinessEventKind.MERGED).exists()

    done = client.post(url, {"duplicate": duplicate.pk, "confirm": "on"}, follow=True)
    assert done.redirect_chain == [(reverse("businesses:detail", args=[keep.pk]), 302)]
    assert "Đã gộp hồ sơ doanh nghiệp trùng" in done.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert keep.complaints.count() == 5


def test_the_merge_page_refuses_what_cannot_be_merged(client, personas, now, duplicates):
    keep = duplicates["keep"]
    other = _create(personas, now, "Điện máy Ánh Dương 2", tax_code=TAX_D)
    client.force_login(personas["canbo.sct"])
    url = reverse("businesses:action", args=[keep.pk, "merge"])
    for data, message in [
        ({"duplicate": 999999, "confirm": "on"}, "Không tìm thấy hồ sơ doanh nghiệp này."),
        ({"duplicate": keep.pk, "confirm": "on"}, "không có gì để gộp"),
        ({"duplicate": other.pk, "confirm": "on"}, "mã số thuế khác nhau"),
        # Refused before asking for a confirmation that could only fail.
        ({"duplicate": keep.pk}, "không có gì để gộp"),
        ({"duplicate": other.pk}, "mã số thuế khác nhau"),
        ({"duplicate": ""}, 'data-testid="merge-form"'),
    ]:
        response = client.post(url, data)
        assert response.status_code == 422
        assert message in response.content.decode()
    other.refresh_from_db()
    assert other.merged_into_id is None


# --- who sees the registry ------------------------------------------------------------------------------


def test_the_registry_is_national(client, personas, now):
    """Businesses sell across provinces: an officer of Hà Nội sees and searches the businesses Vĩnh Long
    registered, and may open their records."""
    business = _create(personas, now, ANH_DUONG, tax_code=TAX_A, province_id="86")
    client.force_login(personas["canbo.hanoi"])
    listing = client.get(reverse("businesses:registry"), {"q": "dien may anh duong"})
    assert listing.status_code == 200
    assert list(listing.context["page"]) == [business]
    assert client.get(reverse("businesses:registry"), {"q": TAX_A}).context["page"].object_list[0] == business
    assert client.get(reverse("businesses:detail", args=[business.pk])).status_code == 200


def test_the_registry_pages_keep_the_search(client, personas, now):
    for i in range(27):
        _create(personas, now, f"Cửa hàng H&M số {i:02d}")
    _create(personas, now, ANH_DUONG)
    client.force_login(personas["canbo.hanoi"])
    first = client.get(reverse("businesses:registry"), {"q": "H&M"})
    assert first.context["page"].paginator.count == 27
    assert "?page=2&amp;q=H%26M" in first.content.decode()
    second = client.get(reverse("businesses:registry"), {"q": "H&M", "page": 2})
    assert [b.name for b in second.context["page"]] == ["Cửa hàng H&M số 25", "Cửa hàng H&M số 26"]


@pytest.mark.parametrize(
    "url",
    [
        "/can-bo/doanh-nghiep/",
        "/can-bo/doanh-nghiep/moi/",
        "/can-bo/doanh-nghiep/nhap/",
        "/can-bo/doanh-nghiep/{pk}/",
        "/can-bo/canh-bao/",
    ],
)
def test_a_business_user_gets_403_on_staff_pages(client, shop_a, url):
    business, user = shop_a
    client.force_login(user)
    assert client.get(url.format(pk=business.pk)).status_code == 403


def test_a_business_user_cannot_post_to_staff_pages(client, shop_a, shop_b):
    business, user = shop_a
    client.force_login(user)
    merge = client.post(
        reverse("businesses:action", args=[business.pk, "merge"]),
        {"duplicate": shop_b[0].pk, "confirm": "on"},
    )
    assert merge.status_code == 403
    assert client.post(reverse("businesses:new"), {"name": "Doanh nghiệp X"}).status_code == 403
    assert Business.objects.filter(merged_into__isnull=False).count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("businesses:registry"))
    assert response.status_code == 302
    assert "next=" in response["Location"]


# --- the audit trail ------------------------------------------------------------------------------------


def test_create_update_and_merge_leave_audit_rows(personas, now):
    officer = personas["canbo.sct"]
    keep = _create(personas, now, ANH_DUONG, tax_code=TAX_A)
    created = keep.events.get()
    assert (created.kind, created.actor, created.data) == (
        BusinessEventKind.CREATED,
        officer,
        {"name": ANH_DUONG, "tax_code": TAX_A},
    )
    registry.business_update(
        business=keep, actor=officer, now=now, address="12 Phạm Thái Bường", aliases=["Ánh Dương Mart"]
    )
    updated = keep.events.get(kind=BusinessEventKind.UPDATED)
    assert updated.data == {"changed": {"address": ["", "12 Phạm Thái Bường"]}, "names_added": 1}
    # Nothing new: no audit row.
    registry.business_update(business=keep, actor=officer, now=now, address="12 Phạm Thái Bường")
    assert keep.events.filter(kind=BusinessEventKind.UPDATED).count() == 1
    duplicate = _create(personas, now, "Ánh Dương Mart Vĩnh Long")
    registry.business_merge(keep=keep, duplicate=duplicate, actor=officer, now=now)
    assert keep.events.get(kind=BusinessEventKind.MERGED).data == {"absorbed": duplicate.pk, "complaints": 0}
    assert duplicate.events.get(kind=BusinessEventKind.MERGED).data == {
        "merged_into": keep.pk,
        "complaints": 0,
    }
    assert set(BusinessEvent.objects.values_list("actor", flat=True)) == {officer.pk}


def test_renaming_keeps_the_old_name_findable(personas, now):
    business = _create(personas, now, "Điện máy Ánh Dương")
    registry.business_update(business=business, actor=personas["canbo.sct"], now=now, name="Điện máy Bình An")
    business.refresh_from_db()
    assert business.name_key == "dien may binh an"
    assert set(business.names.values_list("key", flat=True)) == {"dien may anh duong", "dien may binh an"}
    assert [b.pk for b, _c in registry.business_candidates(name="dien may anh duong")] == [business.pk]

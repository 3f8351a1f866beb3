"""Organisation registration, staff approval, membership and the public directory."""

from __future__ import annotations

from sqlalchemy import select

from forum.models import Membership, Organisation
from portal.auth.models import AuditEvent
from portal.extensions import db
from tests.conftest import submit_form
from tests.forum.conftest import make_organisation

GOOD_FORM = {
    "name": "Bedworth Boxing Club",
    "registered_number": "1234567",
    "description": "Boxing and mentoring for young people in Bedworth.",
    "districts": ["nuneaton-and-bedworth"],
    "pillars": ["prevent", "long-term"],
    "services": ["sport", "mentoring"],
    "age_groups": ["11-17", "18-25"],
    "contact_name": "Pat Coach",
    "contact_email": "pat@bedworthboxing.example",
    "contact_phone": "024 7600 0000",
    "website": "https://bedworthboxing.example",
    "has_safeguarding_policy": "yes",
}


def _organisation(name: str) -> Organisation:
    return db.session.execute(select(Organisation).where(Organisation.name == name)).scalar_one()


def test_registering_needs_a_signed_in_member(client) -> None:
    response = client.get("/forum/organisations/register")
    assert response.status_code == 302
    assert "/account/sign-in" in response.location


def test_member_registers_and_staff_approve_with_email(client, auth, outbox) -> None:
    auth.as_role("member", email="pat@example.org")
    response = submit_form(client, "/forum/organisations/register", GOOD_FORM)
    assert response.status_code == 302
    organisation = _organisation("Bedworth Boxing Club")
    assert organisation.status == "pending"
    assert sorted(organisation.tag_values("pillar")) == ["long-term", "prevent"]
    assert [d.slug for d in organisation.districts] == ["nuneaton-and-bedworth"]
    # not public while pending
    assert client.get(f"/directory/{organisation.slug}").status_code == 404
    assert "Bedworth Boxing Club" not in client.get("/directory").get_data(as_text=True)

    auth.logout()
    auth.as_role("staff", email="staff@example.org")
    page = client.get("/staff/forum/")
    assert "Bedworth Boxing Club" in page.get_data(as_text=True)
    response = submit_form(
        client,
        f"/staff/forum/organisations/{organisation.id}",
        {"decision": "approve", "reason": "Checked with the Charity Commission."},
    )
    assert response.status_code == 302
    db.session.refresh(organisation)
    assert organisation.status == "approved"
    assert len(outbox) == 1
    assert outbox[0].to == ["pat@example.org"]
    assert "approved" in outbox[0].body
    assert f"/directory/{organisation.slug}" in outbox[0].body
    listing = client.get(f"/directory/{organisation.slug}")
    assert listing.status_code == 200
    assert "Boxing and mentoring" in listing.get_data(as_text=True)
    audit = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "forum.organisation_approved")
    ).scalar_one()
    assert audit.note == "Checked with the Charity Commission."


def test_rejection_needs_a_reason_and_emails_it(client, auth, outbox) -> None:
    owner = auth.create("owner@example.org")
    organisation = make_organisation(owner, name="Doubtful Group", status="pending")
    auth.as_role("moderator", email="mod@example.org")
    url = f"/staff/forum/organisations/{organisation.id}"
    response = submit_form(client, url, {"decision": "reject", "reason": ""})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html
    assert "Enter the reason for rejecting the organisation" in html
    assert outbox == []
    response = submit_form(client, url, {"decision": "reject", "reason": "No UK address given."})
    assert response.status_code == 302
    db.session.refresh(organisation)
    assert organisation.status == "rejected"
    assert "No UK address given." in outbox[0].body
    assert outbox[0].to == ["owner@example.org"]


def test_registration_form_errors_keep_what_was_typed(client, auth) -> None:
    auth.as_role("member")
    data = dict(GOOD_FORM, contact_email="not-an-email", districts=[], website="ftp://x")
    response = submit_form(client, "/forum/organisations/register", data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html
    assert "Select at least one district or borough" in html
    assert "Enter an email address in the correct format" in html
    assert "Enter a website address like https://www.example.org" in html
    assert 'value="Bedworth Boxing Club"' in html
    assert "Boxing and mentoring for young people in Bedworth." in html
    assert db.session.execute(select(Organisation)).first() is None


def test_odd_registration_input_never_500s(client, auth) -> None:
    auth.as_role("member")
    data = dict(
        GOOD_FORM,
        name="x" * 5000,
        districts=["atlantis"],
        pillars=["<script>"],
        has_safeguarding_policy="maybe",
        description="nul\x00byte",
    )
    response = submit_form(client, "/forum/organisations/register", data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.get_data(as_text=True)


def test_join_request_approved_by_organisation_admin(client, auth) -> None:
    admin = auth.create("admin-of-club@example.org")
    organisation = make_organisation(admin)
    joiner = auth.as_role("member", email="joiner@example.org")
    response = client.post(
        f"/directory/{organisation.slug}/join",
        data={"csrf_token": _token(client, f"/directory/{organisation.slug}")},
    )
    assert response.status_code == 302
    joined = db.session.execute(
        select(Membership).where(Membership.user_id == joiner.id)
    ).scalar_one()
    assert joined.status == "pending"
    # the joiner cannot manage members
    assert client.get(f"/forum/organisations/{organisation.slug}/members").status_code == 403

    auth.logout()
    auth.login("admin-of-club@example.org")
    page = client.get(f"/forum/organisations/{organisation.slug}/members")
    assert "joiner" in page.get_data(as_text=True) or "Test Person" in page.get_data(as_text=True)
    url = f"/forum/organisations/{organisation.slug}/members/{joined.id}/approve"
    response = client.post(
        url,
        data={"csrf_token": _token(client, f"/forum/organisations/{organisation.slug}/members")},
    )
    assert response.status_code == 302
    db.session.refresh(joined)
    assert joined.status == "approved"

    url = f"/forum/organisations/{organisation.slug}/members/{joined.id}/remove"
    client.post(
        url,
        data={"csrf_token": _token(client, f"/forum/organisations/{organisation.slug}/members")},
    )
    assert db.session.get(Membership, joined.id) is None


def test_last_admin_cannot_be_removed(client, auth) -> None:
    admin = auth.as_role("member", email="solo@example.org")
    organisation = make_organisation(admin)
    admin_membership = db.session.execute(
        select(Membership).where(Membership.user_id == admin.id)
    ).scalar_one()
    members_url = f"/forum/organisations/{organisation.slug}/members"
    client.post(
        f"{members_url}/{admin_membership.id}/remove",
        data={"csrf_token": _token(client, members_url)},
    )
    assert db.session.get(Membership, admin_membership.id) is not None


def _token(client, url: str) -> str:
    from tests.conftest import csrf_token_from

    return csrf_token_from(client.get(url))


def test_directory_filters(client, auth) -> None:
    owner = auth.create("owner@example.org")
    make_organisation(
        owner,
        "Rugby Youth Club",
        districts=("rugby",),
        pillars=("prevent",),
        service_tags=("youth-work",),
        age_groups=("11-17",),
    )
    make_organisation(
        owner,
        "Warwick Women's Aid",
        districts=("warwick",),
        pillars=("respond",),
        service_tags=("domestic-abuse",),
        age_groups=("adults",),
    )
    make_organisation(
        owner,
        "Hidden Pending Group",
        status="pending",
        districts=("rugby",),
    )

    def names(query: str) -> str:
        response = client.get(f"/directory{query}")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    everything = names("")
    assert "Rugby Youth Club" in everything and "Warwick Women" in everything
    assert "Hidden Pending Group" not in everything
    by_district = names("?district=warwick")
    assert "Warwick Women" in by_district and "Rugby Youth Club" not in by_district
    by_pillar = names("?pillar=prevent")
    assert "Rugby Youth Club" in by_pillar and "Warwick Women" not in by_pillar
    by_service = names("?service=domestic-abuse")
    assert "Warwick Women" in by_service and "Rugby Youth Club" not in by_service
    by_age = names("?age_group=11-17")
    assert "Rugby Youth Club" in by_age and "Warwick Women" not in by_age
    by_text = names("?q=women")
    assert "Warwick Women" in by_text and "Rugby Youth Club" not in by_text
    nothing = names("?district=rugby&service=domestic-abuse")
    assert "No organisations match these filters." in nothing
    # unknown values are ignored rather than failing
    assert "Rugby Youth Club" in names("?district=%00atlantis&pillar=<x>&page=-4&age_group=")
    assert client.get("/directory?page=notanumber").status_code == 200


def test_directory_listing_links_to_forum_activity(client, auth) -> None:
    from tests.forum.conftest import start_topic, trust

    owner = auth.create("owner@example.org")
    organisation = make_organisation(owner)
    trust(owner)
    with client.application.test_request_context():
        topic = start_topic(owner, title="Half-term football sessions")
    html = client.get(f"/directory/{organisation.slug}").get_data(as_text=True)
    assert "Forum activity" in html
    assert f"/forum/t/{topic.id}" in html

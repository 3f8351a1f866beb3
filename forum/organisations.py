"""Organisations: registration, staff approval, membership and the public directory."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from sqlalchemy import exists, func, or_, select

from forum.errors import ForumRefusal, _
from forum.models import Membership, Organisation, OrganisationTag, organisation_district
from forum.services import Page, paginate, slugify
from portal import audit
from portal.areas.models import District
from portal.auth.models import User
from portal.clock import utcnow
from portal.email import send_email
from portal.extensions import db


@dataclass
class OrganisationDetails:
    """What a group tells us about itself when it registers."""

    name: str
    description: str
    registered_number: str = ""
    district_slugs: list[str] = field(default_factory=list)
    pillars: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    age_groups: list[str] = field(default_factory=list)
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    website: str = ""
    has_safeguarding_policy: bool = False


def _unique_slug(name: str) -> str:
    base = slugify(name, 120)
    slug, n = base, 2
    while db.session.execute(select(Organisation.id).where(Organisation.slug == slug)).first():
        slug, n = f"{base}-{n}", n + 1
    return slug


def register_organisation(user: User, details: OrganisationDetails) -> Organisation:
    """Record a new organisation for staff to approve; the registrant becomes its admin."""
    organisation = Organisation(
        slug=_unique_slug(details.name),
        name=details.name.strip(),
        registered_number=details.registered_number.strip(),
        description=details.description.strip(),
        contact_name=details.contact_name.strip(),
        contact_email=details.contact_email.strip(),
        contact_phone=details.contact_phone.strip(),
        website=details.website.strip(),
        has_safeguarding_policy=details.has_safeguarding_policy,
        registered_by_id=user.id,
        status="pending",
    )
    organisation.districts = list(
        db.session.execute(select(District).where(District.slug.in_(details.district_slugs)))
        .scalars()
        .all()
    )
    for kind, values in (
        ("pillar", details.pillars),
        ("service", details.services),
        ("age_group", details.age_groups),
    ):
        for value in dict.fromkeys(values):
            organisation.tags.append(OrganisationTag(kind=kind, value=value))
    db.session.add(organisation)
    db.session.flush()
    db.session.add(
        Membership(
            organisation_id=organisation.id, user_id=user.id, is_admin=True, status="approved"
        )
    )
    audit.record("forum.organisation_registered", f"forum_organisation:{organisation.id}")
    db.session.commit()
    return organisation


def pending_organisations() -> list[Organisation]:
    """Organisations waiting for a staff decision, oldest first."""
    return list(
        db.session.execute(
            select(Organisation)
            .where(Organisation.status == "pending")
            .order_by(Organisation.created_at)
        ).scalars()
    )


def all_organisations() -> list[Organisation]:
    """Every organisation, newest first (staff)."""
    return list(
        db.session.execute(select(Organisation).order_by(Organisation.created_at.desc())).scalars()
    )


def get_organisation(organisation_id: int) -> Organisation | None:
    """An organisation by id, whatever its status (staff)."""
    return db.session.get(Organisation, organisation_id)


def decide(staff: User, organisation: Organisation, approve: bool, reason: str) -> None:
    """Approve or reject a registration, telling the registrant by email."""
    organisation.status = "approved" if approve else "rejected"
    organisation.decision_reason = reason.strip()
    organisation.decided_at = utcnow()
    organisation.decided_by_id = staff.id
    audit.record(
        "forum.organisation_approved" if approve else "forum.organisation_rejected",
        f"forum_organisation:{organisation.id}",
        {"name": organisation.name},
        note=reason,
    )
    db.session.commit()
    registrant = organisation.registered_by
    if registrant is not None:
        send_email(
            registrant.email,
            _("%(name)s is now listed", name=organisation.name)
            if approve
            else _("We could not approve %(name)s", name=organisation.name),
            "forum/email/organisation_decision.txt",
            organisation=organisation,
            approved=approve,
            reason=reason,
            link=url_for("forum.organisation", slug=organisation.slug, _external=True),
        )


@dataclass
class DirectoryFilters:
    """What a person searching the directory chose."""

    q: str = ""
    district: str = ""
    pillar: str = ""
    service: str = ""
    age_group: str = ""


def _has_tag(kind: str, value: str) -> Any:
    return exists().where(
        OrganisationTag.organisation_id == Organisation.id,
        OrganisationTag.kind == kind,
        OrganisationTag.value == value,
    )


def directory(filters: DirectoryFilters, page: int, per_page: int) -> Page:
    """Approved organisations matching the filters, by name."""
    query = select(Organisation).where(Organisation.status == "approved")
    if filters.q:
        like = f"%{filters.q.lower()}%"
        query = query.where(
            or_(
                func.lower(Organisation.name).like(like),
                func.lower(Organisation.description).like(like),
            )
        )
    if filters.district:
        query = query.where(
            exists()
            .where(organisation_district.c.organisation_id == Organisation.id)
            .where(organisation_district.c.district_id == District.id)
            .where(District.slug == filters.district)
        )
    for kind, value in (
        ("pillar", filters.pillar),
        ("service", filters.service),
        ("age_group", filters.age_group),
    ):
        if value:
            query = query.where(_has_tag(kind, value))
    return paginate(query.order_by(Organisation.name), page, per_page)


def public_organisation(slug: str) -> Organisation | None:
    """An approved organisation by slug (pending and rejected ones are never public)."""
    return db.session.execute(
        select(Organisation).where(Organisation.slug == slug, Organisation.status == "approved")
    ).scalar_one_or_none()


def organisation_for_member_pages(slug: str) -> Organisation | None:
    """An organisation by slug, whatever its status (its own members' pages check admin)."""
    return db.session.execute(
        select(Organisation).where(Organisation.slug == slug)
    ).scalar_one_or_none()


def membership(user: Any, organisation: Organisation) -> Membership | None:
    """The person's membership of the organisation, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.execute(
        select(Membership).where(
            Membership.organisation_id == organisation.id, Membership.user_id == user.id
        )
    ).scalar_one_or_none()


def is_admin_of(user: Any, organisation: Organisation) -> bool:
    """True for the organisation's approved admins (and moderators/staff, who help run it)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.has_role("moderator", "staff"):
        return True
    found = membership(user, organisation)
    return bool(found and found.is_admin and found.status == "approved")


def memberships_of(user: User) -> list[Membership]:
    """The organisations a person belongs to or has asked to join."""
    return list(
        db.session.execute(
            select(Membership).where(Membership.user_id == user.id).order_by(Membership.id)
        ).scalars()
    )


def request_to_join(user: User, organisation: Organisation) -> Membership:
    """Ask to join an approved organisation; its admins approve."""
    if organisation.status != "approved":
        raise ForumRefusal(_("This organisation is not listed yet."))
    existing = membership(user, organisation)
    if existing is not None:
        return existing
    joined = Membership(organisation_id=organisation.id, user_id=user.id, status="pending")
    db.session.add(joined)
    db.session.flush()
    from forum import notifications

    for admin in members(organisation, admins_only=True):
        notifications.notify(
            admin.user_id,
            "join_request",
            f"{user.name or user.email} asked to join {organisation.name}",
        )
    db.session.commit()
    return joined


def members(organisation: Organisation, admins_only: bool = False) -> list[Membership]:
    """The organisation's members and pending requests, admins first."""
    query = select(Membership).where(Membership.organisation_id == organisation.id)
    if admins_only:
        query = query.where(Membership.is_admin.is_(True), Membership.status == "approved")
    return list(
        db.session.execute(
            query.order_by(Membership.is_admin.desc(), Membership.status, Membership.id)
        ).scalars()
    )


def get_membership(organisation: Organisation, membership_id: int) -> Membership | None:
    """One membership of this organisation."""
    found = db.session.get(Membership, membership_id)
    return found if found and found.organisation_id == organisation.id else None


def approve_member(admin: User, joined: Membership) -> None:
    """An organisation admin lets someone in."""
    joined.status = "approved"
    audit.record(
        "forum.membership_approved",
        f"forum_organisation:{joined.organisation_id}",
        {"member": joined.user_id},
    )
    from forum import notifications

    notifications.notify(
        joined.user_id, "membership", f"You are now a member of {joined.organisation.name}"
    )
    db.session.commit()


def remove_member(admin: User, joined: Membership) -> None:
    """An organisation admin removes a member or turns down a request (not the last admin)."""
    if joined.is_admin and len(members(joined.organisation, admins_only=True)) <= 1:
        raise ForumRefusal(_("An organisation needs at least one admin."))
    audit.record(
        "forum.membership_removed",
        f"forum_organisation:{joined.organisation_id}",
        {"member": joined.user_id, "was": joined.status},
    )
    db.session.delete(joined)
    db.session.commit()

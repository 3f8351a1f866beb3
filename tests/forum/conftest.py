"""Forum fixtures: organisations, trusted members and quick content."""

from __future__ import annotations

import pytest

from forum import organisations, services
from forum.models import Category, Topic
from forum.moderation import profile_for
from portal.extensions import db


def make_organisation(
    admin,
    name: str = "Rugby Youth Club",
    status: str = "approved",
    districts: tuple[str, ...] = ("rugby",),
    pillars: tuple[str, ...] = ("prevent",),
    service_tags: tuple[str, ...] = ("youth-work",),
    age_groups: tuple[str, ...] = ("11-17",),
):
    """An organisation with the given admin, already decided."""
    organisation = organisations.register_organisation(
        admin,
        organisations.OrganisationDetails(
            name=name,
            description=f"{name} runs sessions for local people.",
            district_slugs=list(districts),
            pillars=list(pillars),
            services=list(service_tags),
            age_groups=list(age_groups),
            contact_name="Sam Example",
            contact_email="sam@example.org",
        ),
    )
    organisation.status = status
    db.session.commit()
    return organisation


def trust(user, level: int = 2) -> None:
    """Skip new-member limits for tests that are not about them."""
    profile = profile_for(user)
    profile.trust_level = level
    db.session.commit()


def category(slug: str = "general") -> Category:
    services.ensure_default_categories()
    db.session.commit()
    return db.session.execute(db.select(Category).where(Category.slug == slug)).scalar_one()


def start_topic(
    user,
    title: str = "Summer diversion activities",
    body: str = "Who is running what?",
    slug: str = "general",
) -> Topic:
    return services.create_topic(user, category(slug), title, body)


@pytest.fixture
def member(auth):
    """A signed-in, trusted member of an approved organisation."""
    user = auth.as_role("member", email="member@example.org")
    make_organisation(user)
    trust(user)
    return user


@pytest.fixture
def other_member(auth):
    """A second trusted member (not signed in)."""
    user = auth.create("other@example.org", ("member",))
    trust(user)
    return user

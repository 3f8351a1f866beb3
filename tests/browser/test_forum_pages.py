"""Forum pages in a real browser at phone and desktop widths, checked with axe."""

from __future__ import annotations

import pytest

from tests.browser.conftest import BROWSER_PASSWORD, check_page, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def forum_content(live_server):
    """A member, an approved organisation, a topic with a reply, an event and a report."""
    from datetime import datetime, timedelta

    from forum import events, moderation, organisations, services
    from forum.models import Category
    from portal.auth import services as accounts
    from portal.extensions import db

    live_server.create_user("forum-member@example.org", ("member",))
    live_server.create_user("forum-mod@example.org", ("moderator",))
    with live_server.app.app_context():
        member = accounts.find_user_by_email("forum-member@example.org")
        services.ensure_default_categories()
        organisation = organisations.register_organisation(
            member,
            organisations.OrganisationDetails(
                name="Browser Youth Club",
                description="Youth work in Rugby.",
                district_slugs=["rugby"],
                pillars=["prevent"],
                services=["youth-work"],
                age_groups=["11-17"],
                contact_name="Sam",
                contact_email="sam@example.org",
            ),
        )
        organisation.status = "approved"
        moderation.profile_for(member).trust_level = 2
        db.session.commit()
        general = db.session.execute(
            db.select(Category).where(Category.slug == "general")
        ).scalar_one()
        topic = services.create_topic(member, general, "Half-term plans", "Who is **open**?")
        moderation.profile_for(member).last_post_at = None
        reply = services.create_reply(member, topic, "We are, see [our page](https://x.example)")
        reporter = accounts.create_user(
            "reporter@example.org", BROWSER_PASSWORD, ["member"], confirmed=True
        )
        moderation.report_post(reporter, reply, "spam", "Looks like an advert")
        event = events.create_event(
            member,
            events.EventDetails(
                "Network meeting",
                datetime.now() + timedelta(days=7),
                None,
                "Rugby Library",
                False,
                "",
                "rugby",
                "All welcome.",
            ),
        )
        return {"topic": topic.id, "event": event.id, "organisation": organisation.slug}


@pytest.mark.parametrize(
    "path",
    ["/forum", "/forum/c/general", "/directory", "/events", "/forum/search?q=half"],
)
def test_public_forum_pages_are_accessible(page, live_server, forum_content, path: str) -> None:
    check_page(page, f"{live_server.url}{path}")


def test_topic_directory_entry_and_event_are_accessible(page, live_server, forum_content) -> None:
    check_page(page, f"{live_server.url}/forum/t/{forum_content['topic']}")
    check_page(page, f"{live_server.url}/directory/{forum_content['organisation']}")
    check_page(page, f"{live_server.url}/events/{forum_content['event']}")


def test_member_forms_are_accessible(page, live_server, forum_content) -> None:
    sign_in(page, live_server, "forum-member@example.org", ("member",))
    check_page(page, f"{live_server.url}/forum/t/{forum_content['topic']}")
    check_page(page, f"{live_server.url}/forum/c/general/new")
    check_page(page, f"{live_server.url}/forum/organisations/register")
    check_page(page, f"{live_server.url}/events/new")


def test_moderation_queue_is_accessible(page, live_server, forum_content) -> None:
    sign_in(page, live_server, "forum-mod@example.org", ("moderator",))
    check_page(page, f"{live_server.url}/moderation/")
    assert "Looks like an advert" in page.content()
    check_page(page, f"{live_server.url}/staff/forum/")


def test_staff_category_pages_are_accessible(page, live_server, forum_content) -> None:
    sign_in(page, live_server, "forum-staff@example.org", ("staff",))
    check_page(page, f"{live_server.url}/staff/forum/categories")
    check_page(page, f"{live_server.url}/staff/forum/categories/new")

"""Demo data for the network: organisations, categories, topics, replies and an event."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from forum import events, moderation, organisations, services
from forum.models import Category, Organisation
from portal.auth import services as accounts
from portal.auth.models import User
from portal.clock import utcnow
from portal.extensions import db

DEMO_MEMBER = "member@demo.safer-warwickshire.example"
DEMO_MODERATOR = "moderator@demo.safer-warwickshire.example"

ORGANISATIONS = [
    (
        "Nuneaton Youth Hub",
        "Drop-in youth club with detached youth workers on the streets of Nuneaton and "
        "Bedworth on Friday and Saturday evenings.",
        ["nuneaton-and-bedworth"],
        ["prevent"],
        ["youth-work", "mental-health"],
        ["11-17", "18-25"],
    ),
    (
        "Safe Homes Warwickshire",
        "Confidential support, refuge referrals and advocacy for people affected by domestic "
        "abuse, and programmes for children who have witnessed it.",
        ["warwick", "stratford-on-avon", "rugby"],
        ["respond", "long-term"],
        ["domestic-abuse", "victim-support", "advice"],
        ["adults", "11-17"],
    ),
    (
        "Step Up Mentoring Rugby",
        "Trained volunteer mentors for young people at risk of exclusion or exploitation, "
        "referred by schools, youth justice and families.",
        ["rugby"],
        ["prevent", "long-term"],
        ["mentoring", "education"],
        ["11-17"],
    ),
    (
        "Atherstone Faith Partnership",
        "Churches, a mosque and a gurdwara working together on community meals, street "
        "pastors and bereavement support.",
        ["north-warwickshire"],
        ["prevent", "long-term"],
        ["faith", "victim-support"],
        ["adults", "18-25"],
    ),
    (
        "Fight Back Sports",
        "Free boxing, football and fitness sessions with coaches who talk to young people "
        "about knife crime and healthy relationships.",
        ["warwick", "nuneaton-and-bedworth", "stratford-on-avon"],
        ["prevent"],
        ["sport", "youth-work"],
        ["under-11", "11-17", "18-25"],
    ),
]

TOPICS = [
    (
        "prevent",
        "Summer holiday diversion activities: who is running what?",
        "We're planning the **summer programme** for Nuneaton. Please reply with your dates "
        "so we can avoid clashes and share transport.",
        [
            "Our boxing sessions run Tuesdays and Thursdays, 4–6pm, from 22 July.",
            "Mentors can join any session where a young person would like support.",
        ],
    ),
    (
        "respond",
        "Referral routes after a stabbing in the town centre",
        "After last weekend, what's the quickest route to get a worried parent support? "
        "Is it still Safe in Warwickshire first?",
        [
            "Yes. Call 999 in an emergency; otherwise the Safe in Warwickshire line, and "
            "we can take direct referrals for families affected by domestic abuse."
        ],
    ),
    (
        "funding",
        "Community safety small grants round now open",
        "The partnership small grants (up to £5,000) are open until the end of next month. "
        "Priority goes to work in the areas most affected by serious violence.",
        [],
    ),
]


def _user(email: str) -> User | None:
    return accounts.find_user_by_email(email)


def load_demo() -> str:
    """Create realistic demo forum content (idempotent: skipped when organisations exist)."""
    services.ensure_default_categories()
    db.session.commit()
    if db.session.execute(select(Organisation.id).limit(1)).first():
        return "Forum demo data already present."
    member, moderator = _user(DEMO_MEMBER), _user(DEMO_MODERATOR)
    if member is None or moderator is None:
        return "Forum demo data skipped: the demo accounts are missing."
    for name, description, districts, pillars, service_tags, ages in ORGANISATIONS:
        organisation = organisations.register_organisation(
            member,
            organisations.OrganisationDetails(
                name=name,
                description=description,
                district_slugs=districts,
                pillars=pillars,
                services=service_tags,
                age_groups=ages,
                contact_name="Demo Member",
                contact_email="hello@" + services.slugify(name) + ".example",
                has_safeguarding_policy=True,
            ),
        )
        organisation.status = "approved"
        organisation.decided_by_id = moderator.id
        organisation.decided_at = utcnow()
    for user in (member, moderator):
        profile = moderation.profile_for(user)
        profile.trust_level, profile.approved_posts = 2, 25
    db.session.commit()

    categories = {c.slug: c for c in db.session.execute(select(Category)).scalars()}
    for slug, title, body, replies in TOPICS:
        topic = services.create_topic(member, categories[slug], title, body)
        for reply in replies:
            moderation.profile_for(member).last_post_at = None
            services.create_reply(moderator, topic, reply)
    db.session.commit()

    day = (utcnow() + timedelta(days=14)).date()
    events.create_event(
        member,
        events.EventDetails(
            title="Network forum meeting: serious violence prevention strategy",
            starts_local=datetime.combine(day, time(18, 30)),
            ends_local=datetime.combine(day, time(20, 0)),
            location="Rugby Town Hall, Evreux Way, Rugby",
            online=True,
            online_url="https://meet.example.org/safer-warwickshire",
            district_slug="rugby",
            description="Quarterly meeting of the community and voluntary sector network. "
            "Agenda: summer programme, referral routes, small grants.",
        ),
    )
    return f"Forum demo data: {len(ORGANISATIONS)} organisations, {len(TOPICS)} topics, 1 event."

"""The demo loader creates a believable network."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.models import Event, Organisation, Topic
from portal.extensions import db


def test_demo_load_creates_forum_content(runner) -> None:
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "Forum demo data: 5 organisations" in result.output
    approved = db.session.execute(
        select(func.count(Organisation.id)).where(Organisation.status == "approved")
    ).scalar_one()
    assert approved == 5
    assert db.session.execute(select(func.count(Topic.id))).scalar_one() == 3
    assert db.session.execute(select(func.count(Event.id))).scalar_one() == 1
    again = runner.invoke(args=["demo", "load"])
    assert "already present" in again.output

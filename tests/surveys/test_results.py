"""The public "We asked, you said, we did" page: small numbers suppressed, actions, extensions."""

from __future__ import annotations

from markupsafe import Markup

from portal.areas import services as areas
from surveys import services
from tests.surveys.conftest import add_responses


def _publish(c) -> None:
    services.update_consultation(c, results_summary="People want better lighting.")
    services.save_action(
        c, None, "New street lights in Rugby town centre", "By March.", "in_progress",
        [areas.district_by_name("Rugby").id],
    )  # fmt: skip
    services.set_status(c, "published")


def test_results_page_suppresses_small_numbers(client, consultation) -> None:
    add_responses(consultation, 6, "Rugby", safe="No")
    add_responses(consultation, 2, "Warwick", safe="Yes")
    _publish(consultation)
    html = client.get(f"/consultations/{consultation.slug}/results").get_data(as_text=True)
    assert "People want better lighting." in html
    assert "New street lights in Rugby town centre" in html and "In progress" in html
    assert "&lt;5" in html  # Warwick's 2 and the "Yes" count
    assert ">2<" not in html
    assert ">6<" in html  # Rugby's six "No" answers are shown
    assert "What is your age?" not in html  # equality answers are never published by area


def test_unpublished_results_page_says_not_yet(client, consultation) -> None:
    add_responses(consultation, 6, "Rugby")
    html = client.get(f"/consultations/{consultation.slug}/results").get_data(as_text=True)
    assert "not published the results" in html
    assert "Do you feel safe?" not in html


def test_results_sections_from_other_packages_render_and_failures_are_contained(
    app, client, consultation
) -> None:
    _publish(consultation)

    def findings(c):
        return Markup("<h2 class='govuk-heading-m'>Themes for %s</h2>") % c.title

    def broken(c):
        raise RuntimeError("no model")

    app.extensions["results_sections"].extend([findings, broken])
    html = client.get(f"/consultations/{consultation.slug}/results").get_data(as_text=True)
    assert f"Themes for {consultation.title}" in html

"""Languages: the switcher, Accept-Language, right-to-left, and the catalogues."""

from __future__ import annotations

from pathlib import Path

from portal import PROJECT_ROOT


def test_switcher_is_on_every_page(client) -> None:
    html = client.get("/").get_data(as_text=True)
    for code in ("pl", "ro", "pa", "ur", "gu"):
        assert f'href="/language/{code}?next=/"' in html


def test_choice_is_remembered_in_a_cookie(client) -> None:
    response = client.get("/language/ur?next=/help")
    assert response.status_code == 302
    assert response.location == "/help"
    cookie = response.headers["Set-Cookie"]
    assert "portal_lang=ur" in cookie and "HttpOnly" in cookie
    html = client.get("/help").get_data(as_text=True)
    assert '<html lang="ur" dir="rtl"' in html


def test_unknown_language_and_offsite_next_are_ignored(client) -> None:
    response = client.get("/language/xx?next=https://evil.example/")
    assert response.location == "/"
    assert "portal_lang" not in response.headers.get("Set-Cookie", "")


def test_accept_language_is_used_without_a_choice(client) -> None:
    html = client.get("/", headers={"Accept-Language": "pl-PL,pl;q=0.9"}).get_data(as_text=True)
    assert '<html lang="pl" dir="ltr"' in html
    english = client.get("/", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr"' in english


def test_catalogues_exist_for_every_language(app) -> None:
    root = Path(PROJECT_ROOT / "translations")
    for code in app.config["LANGUAGES"]:
        if code == "en":
            continue
        assert (root / code / "LC_MESSAGES" / "messages.po").exists(), code


def test_translate_compile_builds_mo_files(runner) -> None:
    result = runner.invoke(args=["translate", "compile"])
    assert result.exit_code == 0, result.output
    assert (PROJECT_ROOT / "translations" / "ur" / "LC_MESSAGES" / "messages.mo").exists()


def test_phone_numbers_stay_left_to_right_in_urdu(client) -> None:
    client.get("/language/ur?next=/")
    html = client.get("/").get_data(as_text=True)
    assert '<bdi dir="ltr">0800 555 111</bdi>' in html
    assert 'dir="ltr" href="tel:0800555111"' in html

"""Addresses no row can have answer 404, never a server error; what a signed-in person sees is
never kept by a cache."""

import pytest

from tests.access_cases import collect
from tests.conftest import csrf_token
from tests.test_access import world  # noqa: F401 - the fixture

MATRIX, _PUBLIC = collect()

# 2**31 - 1 is the largest id a column holds: it is looked up (and found missing); anything larger
# matches no route and answers 404.


def _int_routes(app, method: str) -> list:
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if method in rule.methods and any(type(c).__name__ == "RowId" for c in rule._converters.values())
    ]
    assert len(rules) > 50  # every area's pages: a sign the converter is in force
    return rules


def _address(app, rule, value: int) -> str:
    """The rule's address with `value` for every id and a made-up token for any other argument."""
    values = {
        name: value if type(converter).__name__ == "RowId" else "x" * 22 for name, converter in rule._converters.items()
    }
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def test_the_largest_id_answers_as_any_missing_row_does(app, client, login_as):
    """2**31 - 1 fits a column: it is looked up and not found, as 999999 is (404, or 403 where the
    page is another role's)."""
    login_as(client, "director")
    rules = _int_routes(app, "GET")
    largest = {rule.rule: client.get(_address(app, rule, 2**31 - 1)).status_code for rule in rules}
    missing = {rule.rule: client.get(_address(app, rule, 999999)).status_code for rule in rules}
    assert largest == missing
    assert set(largest.values()) == {403, 404}


@pytest.mark.parametrize("value", [2**31, 2**63, 2**64 + 5, 10**40])
def test_every_page_answers_404_to_an_id_no_row_can_have(app, client, login_as, value):
    login_as(client, "director")
    answers = {rule.rule: client.get(_address(app, rule, value)).status_code for rule in _int_routes(app, "GET")}
    assert {rule: status for rule, status in answers.items() if status != 404} == {}


@pytest.mark.parametrize("value", [2**31, 2**63, 10**40])
def test_every_form_answers_404_to_an_id_no_row_can_have(app, client, login_as, value):
    login_as(client, "director")
    token = csrf_token(client, "/auth/reset")
    answers = {
        rule.rule: client.post(_address(app, rule, value), data={"csrf_token": token}).status_code
        for rule in _int_routes(app, "POST")
    }
    assert {rule: status for rule, status in answers.items() if status != 404} == {}


def test_signed_in_pages_and_exports_are_never_cached(app, client, login_as, create_cohort):
    cohort = create_cohort()
    login_as(client, "director")
    for url in ("/", f"/cohorts/{cohort.id}", f"/cohorts/{cohort.id}/applications", "/admin/users"):
        response = client.get(url)
        assert (url, response.status_code, response.headers.get("Cache-Control")) == (url, 200, "private, no-store")


def test_public_pages_and_static_files_may_be_cached(app, client, create_cohort):
    create_cohort()
    assert "no-store" not in client.get("/calls").headers.get("Cache-Control", "")
    assert "no-store" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")


@pytest.mark.parametrize("page", ["99999999999999999999", "2147483648", "-5", "0", "zwei"])
def test_every_page_takes_any_page_number(client, login_as, world, page):  # noqa: F811 - the fixture
    """A page number too large for an offset, below 1 or not a number never ends in a server error:
    every page the director may open answers 200 to it."""
    ids, users = world
    login_as(client, users["director"])
    urls = [url.format(**ids) for method, url, expected in MATRIX if method == "GET" and expected["director"] == 200]
    answers = {url: client.get(f"{url}{'&' if '?' in url else '?'}page={page}").status_code for url in urls}
    assert len(urls) > 80
    assert {url: status for url, status in answers.items() if status != 200} == {}

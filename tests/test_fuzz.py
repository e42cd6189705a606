"""The fuzz suite: every route of the access matrix, driven by Hypothesis with generated path
ids, query strings and form fields, as each identity.

For every example: never a 5xx; an id past the column answers 404 and an id of no row 404 (or
the role's 403); an identity the route keeps out gets the matrix's answer whatever it sends; a
value a field cannot take (a number past its bounds or not a number, a date in a year no
programme has, text past the field's length, a choice not offered, an empty required field)
answers the form again with a translated message and changes no row; and any refused request
changes no row. `make test` runs the `ci` profile (a few examples per route); `make fuzz` the
`fuzz` profile. Each test records its example count; conftest.py prints the total.
"""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from incubator.extensions import limiter
from tests import fuzz_inputs as inputs
from tests.access_cases import IDENTITIES, LOGIN, collect
from tests.fuzz_driver import Browsers, auth_page, insiders, placeholders
from tests.fuzz_pages import changed, messages_on, untranslated
from tests.test_access import world  # noqa: F401 - the fixture

MATRIX, _PUBLIC = collect()
EXPORTS = (".pdf", ".csv", ".xlsx", "/download")  # each example renders a file: a few suffice


def _examples(url: str, method: str) -> int:
    """Examples per route in the loaded profile: all of them for a form, half for a page, a tenth
    (at least 2) for a file."""
    most = settings.default.max_examples
    if url.split("?")[0].endswith(EXPORTS):
        return max(2, most // 10)
    return most if method == "POST" else max(3, most // 2)


def _cases(method: str) -> list:
    """One case per route and method: the first matrix row for it that points at real rows."""
    seen, cases = set(), []
    for row_method, url, expected in MATRIX:
        if row_method != method or "999999" in url:
            continue
        shape = (method, "/".join("{}" if "{" in part else part for part in url.split("?")[0].split("/")))
        if shape not in seen:
            seen.add(shape)
            cases.append(pytest.param(url, expected, id=f"{method} {url}"))
    return cases


@pytest.fixture
def browsers(app, login_as, world, record_property):  # noqa: F811 - the fixture
    limiter.enabled = False  # the rate limits have their own tests; here they would hide the forms
    found = Browsers(app, login_as, world)
    yield found
    found.close()
    record_property("fuzz_examples", found.examples)


# Path segments of the matrix that are tokens (a job's id, an import's, an e-mailed link's).
TOKENS = ("not-a-token", "NoSuchJob0000000000000", "0" * 32)


def _path(data, browsers: Browsers, template: str) -> tuple[str, str]:
    """(address, how its ids were chosen): the world's rows, an id past the column, one of no
    row, or any text for a token."""
    names = [name for name in placeholders(template) if isinstance(browsers.ids.get(name), int)]  # not a job's
    tokens = [token for token in TOKENS if token in template]
    modes = ["world"] * 4 + (["past", "none"] if names else []) + (["token"] if tokens else [])
    how = data.draw(st.sampled_from(modes), label="path")
    if how == "world":
        return browsers.url(template), how
    if how == "token":
        text = data.draw(st.one_of(inputs.unicode_text, inputs.control_text).filter(bool), label="token")
        text = text.replace("/", "") or "x"  # a slash makes another address (werkzeug decodes %2F)
        return browsers.url(template.replace(tokens[0], quote(text, safe=""))), how
    name = data.draw(st.sampled_from(names), label="id")
    strategy = inputs.ids_past_the_column if how == "past" else inputs.ids_of_no_row
    return browsers.url(template, {name: data.draw(strategy, label=name)}), how


def _identity(data, expected: dict) -> str:
    inside = insiders(expected)
    if inside and data.draw(st.integers(0, 3), label="insider?"):
        return data.draw(st.sampled_from(inside), label="identity")
    return data.draw(st.sampled_from(IDENTITIES), label="identity")


def _query(data, names: list[str]) -> str:
    pairs = data.draw(
        st.lists(st.tuples(st.sampled_from(sorted({*inputs.QUERY_NAMES, *names})), inputs.any_value), max_size=4),
        label="query",
    )
    return urlencode(pairs) if pairs else ""


def _check_path_answer(how: str, identity: str, status: int, token: str = "session") -> None:
    """An id past the column matches no route (404); an id of no row is looked up (404), unless
    the role or a form without its CSRF token is refused first."""
    if how == "past":
        assert status == 404
    elif how == "token":
        assert status in (400, 403, 404, LOGIN)
    elif how == "none":
        refused_first = (LOGIN,) if identity == "anonymous" else (403,)
        assert status in (404, *refused_first, *((400,) if token != "session" else ()))


@pytest.mark.parametrize(("url", "expected"), _cases("GET"))
def test_pages_answer_any_address_and_query(browsers, url, expected):
    """Any ids and query string: never a 5xx; ids no row can have answer 404 (or the role's 403);
    those the page keeps out get the same answer as without a query."""

    @settings(max_examples=_examples(url, "GET"))
    @given(data=st.data())
    def example(data):
        browsers.examples += 1
        identity = _identity(data, expected)
        address, how = _path(data, browsers, url)
        query = _query(data, browsers.query_names(identity, address) if how == "world" else [])
        if query:
            address += ("&" if "?" in address else "?") + query
        response = browsers.client(identity).get(address)
        assert response.status_code < 500, response.get_data(as_text=True)[:2000]
        _check_path_answer(how, identity, response.status_code)
        if how == "world" and identity not in insiders(expected):
            assert response.status_code == expected[identity]
        if response.status_code == 200 and response.content_type.startswith("text/html"):
            assert untranslated(messages_on(response.get_data(as_text=True))) == []

    example()


def _invalid(data, field) -> str | None:
    """A value `field` cannot take, or None when any text is one it may take."""
    choices = []
    if field.numeric:
        choices.append(st.one_of(inputs.huge_integers.map(str), inputs.not_numbers))
        if field.min not in (None, "") and field.min.lstrip("-").isdigit():
            choices.append(st.just(str(int(field.min) - 1)))
    elif field.kind in ("date", "datetime-local", "month"):
        choices.append(inputs.outside_years(field.kind))
    elif field.kind == "email":
        choices.append(st.sampled_from(["not-an-email", "a@", "@b.example"]))
    if field.maxlength and field.kind in ("text", "textarea", "email", "url", "search", "password", "tel"):
        over = st.integers(field.maxlength + 1, field.maxlength + 40)
        choices.append(over.map(lambda n: ("Batik" * n)[:n]))
    if field.kind == "select" and not field.multiple and field.options:
        offered = {value for value, _selected in field.options}
        choices.append(st.sampled_from(["zz-not-offered", "999999", "-1"]).filter(lambda v: v not in offered))
    if field.required and field.kind in ("text", "textarea", "email", "date", "datetime-local", "month", "number"):
        choices.append(st.just(""))
    if not choices:
        return None
    return data.draw(st.one_of(*choices), label=f"invalid {field.name}")


def _form_data(data, form, mode: str) -> tuple[MultiDict, str | None]:
    """The form as a browser would send it with one field made invalid ("invalid") or every typed
    field and a few unknown names given any value ("wild"); and the invalid field's name."""
    values = form.baseline()
    if form.submits:
        name, value = data.draw(st.sampled_from(form.submits), label="button")
        values[name] = [value]
    spoiled = None
    typed = form.typed()
    if mode == "invalid":
        candidates = [f for f in typed if _invalid_possible(f)]
        field = data.draw(st.sampled_from(candidates), label="field")
        values[field.name] = [_invalid(data, field)]
        spoiled = field.name
    else:
        for field in typed + form.hidden():
            if data.draw(st.booleans(), label=f"fuzz {field.name}?"):
                values[field.name] = data.draw(inputs.any_values, label=field.name)
        extra = data.draw(st.lists(st.sampled_from(inputs.QUERY_NAMES), max_size=2), label="extra names")
        for name in extra:
            values[name] = data.draw(inputs.any_values, label=name)
    return MultiDict([(k, v) for k, vs in values.items() for v in vs]), spoiled


def _invalid_possible(field) -> bool:
    return bool(
        field.numeric
        or field.kind in ("date", "datetime-local", "month", "email")
        or (field.maxlength and field.kind in ("text", "textarea", "search", "password", "tel", "url"))
        or (field.kind == "select" and not field.multiple and field.options)
        or (field.required and field.kind in ("text", "textarea"))
    )


# Forms where a refused field still lets the others be saved, by design (a draft keeps every valid field).
SAVES_VALID_FIELDS = {"/applications/{application_id}/edit"}


@pytest.mark.parametrize(("url", "expected"), _cases("POST"))
def test_forms_refuse_what_they_cannot_keep(app, browsers, url, expected):
    """Any ids, fields and CSRF token: never a 5xx; ids no row can have answer 404; those the
    route keeps out get the matrix's answer; an invalid value answers the form again with a
    translated message and changes no row; a refused request changes no row."""

    @settings(max_examples=_examples(url, "POST"))
    @given(data=st.data())
    def example(data):
        browsers.examples += 1
        identity = _identity(data, expected)
        address, how = _path(data, browsers, url)
        inside = identity in insiders(expected) and (identity == "anonymous") == auth_page(url)
        forms = browsers.forms(identity, address) if how == "world" and inside else []
        form = data.draw(st.sampled_from(forms), label="form") if forms else None
        invalid_fields = [f for f in form.typed() if _invalid_possible(f)] if form else []
        mode = data.draw(st.sampled_from(["invalid", "wild"] if invalid_fields else ["wild"]), label="mode")
        values, spoiled = _form_data(data, form, mode) if form else (MultiDict(), None)
        token = data.draw(st.sampled_from(["session"] * 5 + ["none", "wrong"]), label="csrf")
        for name in form.token_names() if form else ["csrf_token"]:
            if token == "session":
                values[name] = browsers.token(identity)
            elif token == "wrong":
                values[name] = data.draw(inputs.any_value, label="token")
        client = browsers.client(identity)  # signing in writes rows: before the fingerprint
        before = browsers.fingerprint()
        response = client.post(address, data=values)
        after = browsers.fingerprint()
        status = response.status_code
        body = response.get_data(as_text=True) if response.content_type.startswith("text/html") else ""
        try:
            assert status < 500, body[:3000]
            _check_path_answer(how, identity, status, token)
            if how == "world" and token != "session":
                assert status in (400, LOGIN if identity == "anonymous" else 400)
            elif how == "world" and identity not in insiders(expected):
                assert status == expected[identity]
            if status >= 400 or messages_on(body) and "field-error" in body:
                assert changed(before, after) == [], (status, values)
            if spoiled is not None and token == "session" and how == "world":
                _check_refused(browsers, identity, response, before, after, url, spoiled, values)
            assert untranslated(messages_on(body)) == []
        finally:
            browsers.put_back(before, after)
            if url.startswith("/auth/logout") or "/deactivate" in url or "/roles/" in url:
                browsers.signed_out()

    example()


def _check_refused(browsers, identity, response, before, after, url, spoiled, values) -> None:
    """An invalid value: the form comes back (or a page with the reason), a translated message
    says what is wrong, and no row changed (except a draft's valid fields, by design)."""
    status = response.status_code
    assert status in (200, 302, 303, 400, 403, 404, 409, 422), (spoiled, values)
    if url not in SAVES_VALID_FIELDS:
        assert changed(before, after) == [], (spoiled, values.get(spoiled))
    if status in (200, 400, 422):
        messages = messages_on(response.get_data(as_text=True))
        assert messages, (spoiled, values.get(spoiled))
    elif status in (302, 303) and url not in SAVES_VALID_FIELDS:
        shown = browsers.client(identity).get(response.headers["Location"])
        messages = messages_on(shown.get_data(as_text=True))
        assert messages, (spoiled, values.get(spoiled))
        assert untranslated(messages) == []


def _sweep_values(field) -> list[str]:
    """The edge values every number and date field must refuse, whatever Hypothesis draws."""
    if field.numeric:
        return [str(2**31), str(10**30), "-" + str(10**30), "9" * 400]
    if field.kind in ("date", "datetime-local", "month"):
        return {"month": ["0001-01", "9999-12"], "date": ["0001-01-01", "9999-12-31"]}.get(
            field.kind, ["0001-01-01T00:00", "9999-12-31T23:59"]
        )
    return []


@pytest.mark.parametrize(("url", "expected"), _cases("POST"))
def test_every_number_and_date_field_refuses_values_past_its_column(browsers, url, expected):
    """Each number field of each form, sent 2**31, 10**30, -10**30 and 400 nines, and each date
    field year 1 and 9999, the other fields as the page shows them: the form comes back with a
    translated message and no row changes."""
    inside = [identity for identity in insiders(expected) if (identity == "anonymous") == auth_page(url)]
    if not inside:
        return
    identity = "director" if "director" in inside else inside[0]
    address = browsers.url(url)
    for form in browsers.forms(identity, address):
        for field in form.typed():
            for value in _sweep_values(field):
                browsers.examples += 1
                values = form.baseline()
                if form.submits:
                    values[form.submits[0][0]] = [form.submits[0][1]]
                values[field.name] = [value]
                for name in form.token_names():
                    values[name] = [browsers.token(identity)]
                data = MultiDict([(k, v) for k, vs in values.items() for v in vs])
                client = browsers.client(identity)
                before = browsers.fingerprint()
                response = client.post(address, data=data)
                after = browsers.fingerprint()
                try:
                    assert response.status_code < 500, (field.name, value)
                    _check_refused(browsers, identity, response, before, after, url, field.name, data)
                    assert untranslated(messages_on(response.get_data(as_text=True))) == []
                finally:
                    browsers.put_back(before, after)

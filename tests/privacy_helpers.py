"""Helpers for tests that need an applicant who accepted the privacy notice."""

from tests.conftest import post_form


def accept_notice(client) -> None:
    """The signed-in applicant accepts the current privacy notice through its page."""
    response = post_form(client, "/privacy/consent", {"accept": "y", "next": "/"}, page="/privacy/consent")
    assert response.status_code == 302, response.get_data(as_text=True)

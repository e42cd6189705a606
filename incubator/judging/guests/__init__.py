"""Guest judges: people invited to score one open round (a pitch day) without an account of their own.

models.py holds the guest pass (the round, the guest's user, the hash of the single-use sign-in
link, and when it was used or revoked); services.py adds a guest (a judge account with no password,
assigned to every application of the round through the assignment services), signs a guest in
from the link, revokes a pass and issues a new link; session.py ends a guest's signed-in session
once the pass is revoked or the round is no longer open; qr.py draws the link's QR code as SVG;
addresses.py is the reserved address of a guest without e-mail; routes.py holds the director's
guest list, the printable card and the public sign-in page, on the `guests` blueprint.
"""

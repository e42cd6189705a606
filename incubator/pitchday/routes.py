"""The director's pitch-day pages: set-up and run of show, the stage controls, the live board with
its reminders, the printed schedule, and the results screen once released.

The judges' and founders' pages are in judge_routes.py, on the same `pitchday` blueprint."""

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import defaultload

from incubator.auth.models import User
from incubator.cohorts.models import Cohort, Space
from incubator.core.actions import button_action, form_action
from incubator.core.database import utcnow
from incubator.core.downloads import download, round_file_name
from incubator.core.errors import ServiceError
from incubator.core.figures import points
from incubator.core.i18n import requested_language, utc_to_wib, wib_to_utc
from incubator.core.labels import RECOMMENDATION_LABELS
from incubator.extensions import db
from incubator.judging.fields import level_key, level_label
from incubator.judging.models import Round
from incubator.judging.permissions import director_only
from incubator.pitchday import board as reads
from incubator.pitchday import services
from incubator.pitchday.clock import countdown
from incubator.pitchday.forms import ControlForm, MoveForm, OrderForm, RemindForm, SetupForm
from incubator.pitchday.models import PitchDay, PitchSlot
from incubator.reports import fonts
from incubator.reports.pdf import render_pdf

bp = Blueprint("pitchday", __name__)

BOARD_SECONDS = 5  # how often the board and the judges' pages refresh themselves
STATE_LABELS = {
    "ready": _l("Not started"),
    "live": _l("Live"),
    "paused": _l("Paused"),
    "finished": _l("All pitches done"),
}
CELL_LABELS = {
    "not_started": _l("Not started"),
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "conflicted": _l("Conflict of interest"),
}


@bp.context_processor
def _helpers():
    return {
        "pitch_clock": _clock,
        "points": points,
        "pitch_state_label": lambda state: str(STATE_LABELS.get(state, state)),
        "cell_labels": CELL_LABELS,
        "level_key": level_key,
        "level_label": level_label,
        "recommendation_labels": RECOMMENDATION_LABELS,
    }


@bp.app_context_processor
def _founder_helpers():
    """`pitch_slots_of(application)` for the application page: [(round, slot)] of the pitch days it
    pitches in, for its founder and directors; it queries only when called."""

    def pitch_slots_of(application):
        user = current_user
        if not (user.is_authenticated and (user.is_director or application.startup.is_founder(user))):
            return []
        rows = db.session.execute(
            select(Round, PitchSlot)
            .join(PitchDay, PitchDay.round_id == Round.id)
            .join(PitchSlot, PitchSlot.pitch_day_id == PitchDay.id)
            .where(PitchSlot.application_id == application.id, Round.phase.in_(("open", "closed")))
            .order_by(PitchDay.starts_at)
        )
        return [(round_, slot) for round_, slot in rows]

    return {"pitch_slots_of": pitch_slots_of}


def _clock(pitch_day: PitchDay):
    return countdown(pitch_day.slot_minutes, pitch_day.slot_started_at, pitch_day.paused_at, utcnow())


def pitch_day_or_404(round_id: int) -> PitchDay:
    """The round's pitch day, or 404. Its round comes without the rubric (a judge's sheet reads the
    frozen criteria, judging.rounds.frozen) or the cohort's focus areas: these pages refresh every
    few seconds."""
    round_ = defaultload(PitchDay.round)
    options = [round_.defaultload(Round.cohort).lazyload(Cohort.focus_areas)]
    options.append(round_.defaultload(Round.cohort).defaultload(Cohort.space).lazyload(Space.focus_areas))
    options.append(round_.lazyload(Round.rubric))
    pitch_day = db.session.scalar(select(PitchDay).where(PitchDay.round_id == round_id).options(*options))
    if pitch_day is None:
        abort(404)
    return pitch_day


def _me() -> User:
    return current_user._get_current_object()


def _setup_data(pitch_day: PitchDay) -> dict:
    return {
        "room": pitch_day.room,
        "starts_at": utc_to_wib(pitch_day.starts_at),
        "pitch_minutes": pitch_day.pitch_minutes,
        "questions_minutes": pitch_day.questions_minutes,
        "language": pitch_day.language,
        "results_top": pitch_day.results_top,
    }


@bp.route("/rounds/<int:round_id>/pitch-day", methods=["GET", "POST"])
@director_only
def setup(round_id: int):
    """Turn an open round into a pitch day, or change its room, start and slot length; the run of show."""
    round_ = db.get_or_404(Round, round_id)
    pitch_day = db.session.scalar(select(PitchDay).where(PitchDay.round_id == round_.id))
    form = SetupForm(data=_setup_data(pitch_day) if pitch_day and request.method == "GET" else None)
    done = form_action(
        form,
        lambda: services.set_up(
            round_,
            pitch_day,
            room=form.room.data,
            starts_at=wib_to_utc(form.starts_at.data),
            pitch_minutes=form.pitch_minutes.data,
            questions_minutes=form.questions_minutes.data,
            language=form.language.data,
            results_top=form.results_top.data,
            actor=_me(),
        ),
        done=_("The pitch day is saved."),
        then=url_for("pitchday.setup", round_id=round_.id),
    )
    if done:
        return done
    shown = reads.pitches(pitch_day) if pitch_day else []
    return render_template(
        "pitchday/setup.html", round=round_, pitch_day=pitch_day, form=form, pitches=shown, order_form=OrderForm()
    )


@bp.route("/rounds/<int:round_id>/pitch-day/order", methods=["POST"])
@director_only
def order(round_id: int):
    """Order every pitch by application time, by name or at random."""
    pitch_day = pitch_day_or_404(round_id)
    form = OrderForm()
    return button_action(
        lambda: services.order_slots(pitch_day, form.order.data, _me()),
        done=_("The pitches are in their new order."),
        then=url_for("pitchday.setup", round_id=round_id, _anchor="run-of-show"),
        form=form,
    )


@bp.route("/rounds/<int:round_id>/pitch-day/slots/<int:slot_id>/move", methods=["POST"])
@director_only
def move(round_id: int, slot_id: int):
    """Move a pitch one place up or down the run of show."""
    pitch_day = pitch_day_or_404(round_id)
    slot = db.session.get(PitchSlot, slot_id)
    if slot is None or slot.pitch_day_id != pitch_day.id:
        abort(404)
    form = MoveForm()
    return button_action(
        lambda: services.move_slot(pitch_day, slot, form.direction.data, _me()),
        done=_("The pitch has moved."),
        then=url_for("pitchday.setup", round_id=round_id, _anchor=f"slot-{slot_id}"),
        form=form,
    )


@bp.route("/rounds/<int:round_id>/pitch-day/control", methods=["POST"])
@director_only
def control(round_id: int):
    """Start, Next, Back and Pause (Pause again resumes): what is on stage now."""
    pitch_day = pitch_day_or_404(round_id)
    form = ControlForm()
    return button_action(
        lambda: services.control(pitch_day, form.action.data, _me()),
        done=lambda state: (_("The stage has moved on."), "success"),
        then=url_for("pitchday.board", round_id=round_id),
        form=form,
    )


@bp.route("/rounds/<int:round_id>/pitch-day/board")
@director_only
def board(round_id: int):
    """The live board: a row per pitch, a column per judge, each sheet's state; `?part=table`
    answers the board alone, for the page's script to swap in."""
    pitch_day = pitch_day_or_404(round_id)
    live = reads.board(pitch_day)
    template = "pitchday/_board.html" if request.args.get("part") == "table" else "pitchday/board.html"
    return render_template(template, round=pitch_day.round, pitch_day=pitch_day, board=live, every=BOARD_SECONDS)


def _remind(pitch_day: PitchDay, judge_id: int | None) -> str:
    judge = next((j for j in reads.board(pitch_day).judges if j.id == judge_id), None)
    if judge is None:
        raise ServiceError(_("This judge has no pitch to score on this pitch day."))
    services.remind(pitch_day, db.session.get(User, judge.id), judge.missing, _me())
    return judge.name


@bp.route("/rounds/<int:round_id>/pitch-day/remind", methods=["POST"])
@director_only
def remind(round_id: int):
    """Remind one judge (the button's `judge_id`) of their missing sheets: on their pitch-day page and
    by e-mail. One form holds every judge's button, so the board carries one CSRF token, not a hundred."""
    pitch_day = pitch_day_or_404(round_id)
    form = RemindForm()
    return button_action(
        lambda: _remind(pitch_day, form.judge_id.data),
        done=lambda name: _("%(judge)s is reminded.", judge=name),
        then=url_for("pitchday.board", round_id=round_id),
        form=form,
    )


@bp.route("/rounds/<int:round_id>/pitch-day/release", methods=["POST"])
@director_only
def release(round_id: int):
    """Release the results to the screen in the room (the round must be closed)."""
    pitch_day = pitch_day_or_404(round_id)
    return button_action(
        lambda: services.release_results(pitch_day, _me()),
        done=_("The results are released to the screen."),
        then=url_for("pitchday.results", round_id=round_id),
    )


def _in_room_language(pitch_day: PitchDay, template: str, **context) -> str:
    """The page in the room's language, whatever the viewer's own; a `?lang=` in the address wins
    (to check the screen in the other language before the room sees it)."""
    with force_locale(requested_language() or pitch_day.language):
        return render_template(template, round=pitch_day.round, pitch_day=pitch_day, **context)


@bp.route("/rounds/<int:round_id>/pitch-day/results")
@director_only
def results(round_id: int):
    """The results screen for the projector, in the room's language, once released."""
    return _results(round_id, printable=False)


@bp.route("/rounds/<int:round_id>/pitch-day/results/print")
@director_only
def results_print(round_id: int):
    """The results as a printable page, in the room's language, once released."""
    return _results(round_id, printable=True)


def _results(round_id: int, *, printable: bool) -> str:
    pitch_day = pitch_day_or_404(round_id)
    lines = reads.results(pitch_day) if pitch_day.results_released_at else []
    return _in_room_language(pitch_day, "pitchday/results.html", lines=lines, printable=printable)


@bp.route("/rounds/<int:round_id>/pitch-day/schedule/print")
@director_only
def schedule_print(round_id: int):
    """The run of show for the room, as a printable page in the room's language."""
    pitch_day = pitch_day_or_404(round_id)
    return _in_room_language(pitch_day, "pitchday/schedule_print.html", pitches=reads.pitches(pitch_day))


@bp.route("/rounds/<int:round_id>/pitch-day/schedule.pdf")
@director_only
def schedule_pdf(round_id: int):
    """The run of show for the room as a PDF (A4), in the room's language."""
    pitch_day = pitch_day_or_404(round_id)
    html = _in_room_language(
        pitch_day,
        "pitchday/schedule_pdf.html",
        pitches=reads.pitches(pitch_day),
        font_faces=fonts.font_face_css(),
        font_stack=fonts.FONT_STACK,
    )
    return download(render_pdf(html), "application/pdf", round_file_name(pitch_day.round, "pitch-day", "pdf"))

"""The director's ranking, the explain view, judge statistics, and the CSV/XLSX exports.

Every figure is the round's stored results (judging.ranking.results.refresh writes them), rounded by
`rounded`: the ranking page and ranking.csv/.xlsx read them a page (or all) at a time
in SQL (judging.ranking.standings), the explain view, judge statistics and scores.csv through
`ranking.round_ranking`; the page, the exports and the explain view therefore agree to the cent.
"""

from flask import abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from incubator.core.downloads import download, round_file_name
from incubator.core.figures import plain, points, signed
from incubator.core.forms import SelectField, StringField, max_length
from incubator.core.pagination import ListPage, requested_page
from incubator.core.spreadsheets import to_csv, to_xlsx
from incubator.extensions import db
from incubator.judging import scoring
from incubator.judging.blueprints import ranking as bp
from incubator.judging.models import Round
from incubator.judging.permissions import director_only
from incubator.judging.ranking import exports, standings
from incubator.judging.ranking.compute import round_ranking
from incubator.judging.ranking.members import load_round
from incubator.judging.ranking.statistics import judge_rows

SORTS = {
    "rank": _l("Rank"),
    "raw": _l("Raw score"),
    "normalized": _l("Normalised score"),
    "spread": _l("Spread"),
    "name": _l("Startup name"),
}
FLAGS = {
    "": _l("All applications"),
    "disagreement": _l("Judges disagree"),
    "incomplete": _l("Incomplete"),
    "unranked": _l("Not ranked"),
}
STEP_LABELS = {
    scoring.STEP_Z: _l("z-score"),
    scoring.STEP_FLAT: _l("flat (σ_j = 0): T′ = μ"),
    scoring.STEP_TOO_FEW: _l("fewer than 3 sheets: T′ = T"),
}


class RankingFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search startups"), validators=[max_length(100)])
    flag = SelectField(_l("Show"), choices=[SelectChoice(k, v) for k, v in FLAGS.items()], validate_choice=False)
    sort = SelectField(_l("Sort by"), choices=[SelectChoice(k, v) for k, v in SORTS.items()], validate_choice=False)


@bp.context_processor
def _helpers():
    return {
        "points": points,
        "plain": plain,
        "signed": signed,
        "step_label": lambda step: str(STEP_LABELS.get(step, "–")),
    }


def _round(round_id: int) -> Round:
    return db.get_or_404(Round, round_id)


def _ranking_listing(round_: Round, form: RankingFilterForm) -> str:
    """The ranking's filtered, sorted page of rows, written by its partial template."""
    sort = form.sort.data if form.sort.data in SORTS else "rank"
    flag = form.flag.data if form.flag.data in FLAGS else ""
    query = (form.q.data or "")[:100]
    counts, figures = standings.heading(round_)
    page = standings.ranking_page(
        round_.id,
        sort=sort,
        flag=flag,
        query=query,
        page=requested_page(),
        per_page=current_app.config["PER_PAGE"],
        total=counts.applications,
    )
    return render_template(
        "judging/ranking/_ranking.html",
        round=round_,
        result=figures,
        page=page,
        form=form,
        summary=counts,
        filtering=bool(flag or query or sort != "rank"),
        found_after=standings.found_after(round_, [e.application_id for e in page.items]),
    )


@bp.route("/rounds/<int:round_id>/ranking")
@director_only
def ranking(round_id: int):
    """Every application of the round with rank, raw and normalised score, judges, spread and flags."""
    round_ = load_round(round_id) or abort(404)
    listing = _ranking_listing(round_, RankingFilterForm(request.args))
    return render_template("judging/ranking/ranking.html", round=round_, listing=Markup(listing))  # noqa: S704 - written by a template


def _explained(round_: Round, data, application_id: int) -> dict:
    """What the explain view shows of one application: its entry, its sheets (counted first, then
    the excluded ones, each group by judge name) with their values, and the round's figures."""
    result = data.result.by_application()[application_id]
    sheets = sorted(
        result.sheets,
        key=lambda r: (not r.counted, data.judges[r.sheet.judge_id].name.casefold(), r.sheet.id),
    )
    return {
        "values": {r.sheet.id: data.sheets[r.sheet.id].values for r in sheets},
        "entry": next(e for e in exports.ranking_entries(data) if e.application_id == application_id),
        "result": result,
        "round_result": data.result,
        "sheets": sheets,
        "criteria": list(round_.rubric.criteria) if round_.rubric else [],
        "judges": data.judges,
        "sheet_rows": data.sheets,
        "exclusions": data.exclusions,
        "found_after": data.found_after,
        "total_ranked": sum(1 for a in data.result.applications if a.rank is not None),
        "min_sheets": scoring.MIN_SHEETS_TO_NORMALISE,
    }


@bp.route("/rounds/<int:round_id>/applications/<int:application_id>/explain")
@director_only
def explain(round_id: int, application_id: int):
    """How one application's score was made: criterion × weight × judge, each sheet's total,
    the normalisation step, and the sheets that do not count, with the reason."""
    round_ = _round(round_id)
    data = round_ranking(round_)
    application = data.application(application_id)
    if application is None:
        abort(404)
    return render_template(
        "judging/ranking/explain.html",
        round=round_,
        application=application,
        **_explained(round_, data, application_id),
    )


@bp.route("/rounds/<int:round_id>/judges")
@director_only
def judge_stats(round_id: int):
    """Each judge's counted sheets, mean and spread against the panel, to spot harsh and lenient judges."""
    round_ = _round(round_id)
    data = round_ranking(round_)
    page = ListPage.of(judge_rows(data), requested_page(), current_app.config["PER_PAGE"])
    return render_template(
        "judging/ranking/judges.html",
        round=round_,
        result=data.result,
        page=page,
        min_sheets=scoring.MIN_SHEETS_TO_NORMALISE,
    )


# --- exports -------------------------------------------------------------------------

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/rounds/<int:round_id>/ranking.csv")
@director_only
def ranking_csv(round_id: int):
    """ranking.csv exactly as CONTRACT.md says: one row per application, in rank order, unranked last."""
    round_ = _round(round_id)
    rows = exports.ranking_rows(standings.ranking_lines(round_.id))
    return download(to_csv(exports.RANKING_COLUMNS, rows), CSV_TYPE, round_file_name(round_, "ranking", "csv"))


@bp.route("/rounds/<int:round_id>/ranking.xlsx")
@director_only
def ranking_xlsx(round_id: int):
    """The rows of ranking.csv as a spreadsheet."""
    round_ = _round(round_id)
    rows = exports.ranking_rows(standings.ranking_lines(round_.id))
    data = to_xlsx("ranking", exports.RANKING_COLUMNS, rows, exports.TWO_DECIMALS)
    return download(data, XLSX_TYPE, round_file_name(round_, "ranking", "xlsx"))


@bp.route("/rounds/<int:round_id>/scores.csv")
@director_only
def scores_csv(round_id: int):
    """scores.csv exactly as CONTRACT.md says: one row per criterion of every final sheet."""
    round_ = _round(round_id)
    rows = exports.score_rows(round_ranking(round_))
    return download(to_csv(exports.SCORE_COLUMNS, rows), CSV_TYPE, round_file_name(round_, "scores", "csv"))


@bp.route("/rounds/<int:round_id>/scores.xlsx")
@director_only
def scores_xlsx(round_id: int):
    """The rows of scores.csv as a spreadsheet."""
    round_ = _round(round_id)
    data = to_xlsx("scores", exports.SCORE_COLUMNS, exports.score_rows(round_ranking(round_)), exports.TWO_DECIMALS)
    return download(data, XLSX_TYPE, round_file_name(round_, "scores", "xlsx"))

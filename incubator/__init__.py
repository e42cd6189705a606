"""Hetero Incubator: the application factory."""

import logging

from flask import Flask

from config import BASE_DIR, Config, config_from_env


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, error pages, CLI."""
    config_class = config_class or config_from_env()
    config_class.init()
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        instance_path=str(BASE_DIR / "instance"),
    )
    app.config.from_object(config_class)
    app.logger.setLevel(logging.INFO)
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)

    from incubator.core import database, i18n, labels, security, urls

    database.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    labels.init_app(app)
    urls.init_app(app)

    from incubator.auth import access
    from incubator.extensions import csrf, db, limiter, migrate

    csrf.init_app(app)
    limiter.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    access.init_app(app)

    from incubator.activities.routes import bp as activities_bp
    from incubator.admin.routes import bp as admin_bp
    from incubator.applications.import_routes import bp as imports_bp
    from incubator.applications.routes import bp as applications_bp
    from incubator.auth.routes import bp as auth_bp
    from incubator.cohorts.routes import bp as cohorts_bp
    from incubator.growth.routes import bp as growth_bp
    from incubator.jobs.routes import bp as jobs_bp
    from incubator.judging import blueprints as judging_blueprints
    from incubator.kpis.routes import bp as kpis_bp
    from incubator.mail import outbox
    from incubator.main.routes import bp as main_bp
    from incubator.mentoring.routes import bp as mentoring_bp
    from incubator.milestones.routes import bp as milestones_bp
    from incubator.ops.routes import bp as ops_bp
    from incubator.pitchday import judge_routes as _pitch_day_pages  # noqa: F401 - adds its pages to the blueprint
    from incubator.pitchday.routes import bp as pitchday_bp
    from incubator.privacy import gate as privacy_gate
    from incubator.privacy.routes import bp as privacy_bp
    from incubator.reports.routes import bp as reports_bp
    from incubator.startups.routes import bp as startups_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(cohorts_bp)
    judging_blueprints.register(app)
    app.register_blueprint(pitchday_bp)
    app.register_blueprint(startups_bp)
    app.register_blueprint(applications_bp)
    app.register_blueprint(imports_bp)
    for incubation_area in (mentoring_bp, activities_bp, kpis_bp, milestones_bp):
        app.register_blueprint(incubation_area)
    app.register_blueprint(reports_bp)
    app.register_blueprint(growth_bp)
    app.register_blueprint(ops_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(privacy_bp)
    privacy_gate.init_app(app)
    outbox.init_app(app)

    from incubator.audit import details as audit_details

    audit_details.init_app(app)

    from incubator.core import errors

    errors.init_app(app)

    from incubator import cli

    cli.init_app(app)
    return app

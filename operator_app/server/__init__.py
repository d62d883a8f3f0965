"""Reference server of operator-app: accounts, the change feed, mutations, events.

Run it::

    operator-app-server init [--database-url URL] [--demo [--customers N]]
    operator-app-server create-user USERNAME --role operator|supervisor|admin [--name NAME]
    operator-app-server create-integration-token LABEL      # for the PBX/CTI hook
    operator-app-server serve [--host 127.0.0.1] [--port 8765] [--database-url URL]
                              [--refit-at HH:MM (UTC, default 03:00) | --no-refit]
    operator-app-server analytics refit [--horizon-months 12] [--discount-rate 0.01]

The database is a SQLite file in the user's data folder by default, or PostgreSQL
(``postgresql+psycopg://USER@HOST:PORT/DB``) through ``--database-url`` or
``OPERATOR_APP_DATABASE_URL``. The API lives under ``/api/v1`` and is described at
``/openapi.json``.

Who may call what:

* ``POST /auth/login`` and ``GET /version`` are public; everything else needs
  ``Authorization: Bearer <token>`` from a sign-in (operator, supervisor or admin).
* The change feed hides review cases from operators, and accounts and the audit
  trail from everyone but admins.
* ``/metrics/...`` dashboards are for supervisors and admins; ``/admin/...`` for admins.
* ``POST /telephony/incoming`` takes a *telephony integration token* (made by
  ``create-integration-token``; it can do nothing else) or an admin's token.

Modules: ``app`` (assembly), ``routes/`` (HTTP), ``auth``/``security`` (tokens,
passwords, roles), ``changelog`` (the feed), ``mutations``/``mutation_rules``/
``fields`` (pushing changes), ``events`` (SSE hub), ``models``/``types``/``db``/
``schema``/``migrations`` (storage), ``seed`` (demo data), ``cli``/``serving``;
customer value: ``refit``/``refit_history``/``refit_scores``/``refit_schedule`` (the
CLV refit, daily inside ``serve``), ``upsell_stats`` (learning synced to clients),
``cohorts``/``offers`` (dashboards, leads from accepted offers), ``rules_admin``
(admin upsell rules).
"""

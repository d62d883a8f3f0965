"""Reference server of operator-app: accounts, the change feed, mutations, events.

Run it::

    operator-app-server init [--database-url URL] [--demo [--customers N]]
    operator-app-server create-user USERNAME --role operator|supervisor|admin [--name NAME]
    operator-app-server create-integration-token LABEL      # for the PBX/CTI hook
    operator-app-server serve [--host 127.0.0.1] [--port 8765] [--database-url URL]

The database is a SQLite file in the user's data folder by default, or PostgreSQL
(``postgresql+psycopg://USER@HOST:PORT/DB``) through ``--database-url`` or
``OPERATOR_APP_DATABASE_URL``. The API lives under ``/api/v1`` and is described at
``/openapi.json``.

Who may call what:

* ``POST /auth/login`` and ``GET /version`` are public; everything else needs
  ``Authorization: Bearer <token>`` from a sign-in (operator, supervisor or admin).
* The change feed hides review cases from operators, and accounts and the audit
  trail from everyone but admins.
* ``POST /telephony/incoming`` takes a *telephony integration token* (made by
  ``create-integration-token``; it can do nothing else) or an admin's token.

Surveys and reviews (see each module's docstring for the details):

* ``POST /surveys`` asks a conversation's customer for a CSAT/NPS/CES score (operators
  too) following the admin policy (``GET/PUT /admin/policy``, synced as entity
  ``policy``): rule → kind and delay, one survey per customer per N days (409
  ``survey-too-soon``), quiet hours in the customer's zone, language, one reminder.
  With ``score`` it records an answer said on a call. The customer answers on
  ``/s/{token}`` (public HTML page, single-use expiring link, stored hashed).
* Delivery runs in the server: e-mail over SMTP, chats/messengers/SMS through a signed
  webhook to the channel gateway, review alerts to a Slack-compatible webhook; retries
  with backoff, then ``GET /admin/dead-letters`` (+ ``/retry``). Configured by
  ``OPERATOR_APP_SMTP_*``, ``OPERATOR_APP_GATEWAY_URL``, ``OPERATOR_APP_WEBHOOK_SECRET``,
  ``OPERATOR_APP_REVIEW_WEBHOOK_URL``, ``OPERATOR_APP_PUBLIC_URL`` (``delivery_settings``).
* A low score opens a review case in the answer's transaction and emits
  ``review_case_opened`` to supervisors' and admins' streams; ``GET /review-cases`` and
  ``POST /review-cases/{id}/actions`` (supervisors, admins); ``GET /metrics/surveys``,
  ``/metrics/first-response``, ``/metrics/fcr``.

Modules: ``app`` (assembly), ``routes/`` (HTTP), ``auth``/``security`` (tokens,
passwords, roles), ``changelog`` (the feed), ``mutations``/``mutation_rules``/
``fields`` (pushing changes), ``events`` (SSE hub), ``models``/``types``/``db``/
``schema``/``migrations`` (storage), ``seed`` (demo data), ``cli``/``serving``;
``policy``, ``surveys``, ``survey_tokens``, ``survey_page``, ``reviews``, ``delivery``,
``mailer``, ``webhooks``, ``survey_runtime`` (worker and events), ``survey_metrics``.
"""

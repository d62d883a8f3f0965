"""Properties over random customers: hard rules always hold, ranking is deterministic."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from operator_app.domain.enums import (
    Channel,
    ConversationStatus,
    CoverageKind,
    InterestStage,
    OfferOutcome,
    OrderStatus,
    SurveyKind,
    Tier,
)
from operator_app.domain.metrics import is_low_score
from operator_app.domain.upsell import (
    AcceptanceStats,
    Catalogue,
    CoPurchaseStats,
    CustomerContext,
    ReasonCode,
    UpsellPolicy,
    UpsellResult,
    UpsellRule,
    suggest_offers,
)
from tests.unit.upsell_world import (
    CATALOGUE,
    GIFT_CARD,
    ITEMS,
    NOW,
    contact,
    context,
    coverage,
    interest,
    offer,
    order,
    survey,
)

# Every product worth the same: ties everywhere, so only the stable key decides the order.
FLAT_CATALOGUE = Catalogue(dataclasses.replace(item, margin=Decimal(1000)) for item in ITEMS)
PRODUCTS = [item.product_id for item in ITEMS] + [uuid.UUID(int=424242)]  # one unknown
product = st.sampled_from(PRODUCTS)
days = st.one_of(st.floats(0, 120), st.floats(380, 1500))
SCORE_RANGE = {SurveyKind.CSAT: (1, 5), SurveyKind.NPS: (0, 10), SurveyKind.CES: (1, 7)}
TOPICS = [
    "delivery question",
    "Complaint: broken screen",
    "жалоба на курьера",
    "new phone",
    "Претензия",
]


@st.composite
def surveys(draw):
    kind = draw(st.sampled_from(list(SurveyKind)))
    low, high = SCORE_RANGE[kind]
    return survey(kind, draw(st.integers(low, high)), days_ago=draw(st.floats(0, 90)))


orders = st.builds(
    lambda products, d, status: order(*products, days_ago=d, status=status),
    st.lists(product, min_size=1, max_size=3),
    days,
    st.sampled_from(list(OrderStatus)),
)
coverages = st.builds(
    lambda p, kind, ends_in, auto, length: coverage(
        p, kind, ends_in=ends_in, auto_renew=auto, length_days=length
    ),
    product,
    st.sampled_from(list(CoverageKind)),
    st.integers(-90, 200),
    st.booleans(),
    st.integers(30, 900),
)
interests = st.builds(
    lambda p, stage, d: interest(p, stage, days_ago=d),
    product,
    st.sampled_from([*InterestStage, InterestStage.CART, InterestStage.ABANDONED]),
    st.floats(0, 60),
)
offers = st.builds(
    lambda p, outcome, d: offer(p, outcome, days_ago=d),
    st.one_of(st.none(), product),
    st.sampled_from(list(OfferOutcome)),
    # days ago: up to half a year, sometimes within the current contact
    st.one_of(*[st.floats(1, 200)] * 5, st.floats(0, 0.05)),
)
contacts = st.builds(
    lambda topic, status, channel, minutes: contact(
        topic, status, channel, opened_minutes_ago=minutes
    ),
    st.sampled_from(TOPICS + ["delivery question"] * 6 + ["new phone"] * 6),
    st.sampled_from(list(ConversationStatus)),
    st.sampled_from(list(Channel)),
    st.floats(0, 120),
)
rules = st.builds(
    UpsellRule,
    id=st.uuids(),
    name=st.sampled_from(["Rule A", "Rule B", "Rule C"]),
    offer_product_id=product,
    enabled=st.booleans(),
    segments=st.frozensets(st.sampled_from(["consumer", "business", "loyal", "at_risk"])),
    tiers=st.frozensets(st.sampled_from(list(Tier)), max_size=2),
    channels=st.frozensets(st.sampled_from(list(Channel)), max_size=3),
    owns_products=st.frozensets(product, max_size=2),
    owns_categories=st.frozensets(st.sampled_from(["Smartphones", "Plans", "Audio"]), max_size=2),
)
policies = st.builds(
    UpsellPolicy,
    max_offers_per_contact=st.sampled_from([3, 1, 2, 3, 5, 3, 0]),
    low_score_quiet_days=st.integers(0, 60),
    decline_cooldown_days=st.integers(0, 120),
    not_now_cooldown_days=st.integers(0, 30),
    coverage_warning_days=st.integers(0, 60),
    coverage_grace_days=st.integers(0, 60),
    ageing_months=st.sampled_from([12, 6, 24, 0, 36]),
    interest_days=st.integers(0, 60),
    bought_together_days=st.integers(0, 365),
    occasion_days=st.integers(0, 14),
    occasion_product_id=st.sampled_from([None, GIFT_CARD]),
)
pairs = st.lists(st.tuples(product, product, st.floats(0, 1)), max_size=8).map(CoPurchaseStats)
outcome_stats = st.lists(
    st.tuples(
        st.sampled_from([r.value for r in ReasonCode]),
        st.sampled_from(["consumer", "loyal", "all"]),
        st.sampled_from(list(OfferOutcome)),
    ),
    max_size=40,
).map(AcceptanceStats.from_outcomes)


@st.composite
def contexts(draw) -> CustomerContext:
    return context(
        tier=draw(st.sampled_from(list(Tier))),
        segment=draw(st.sampled_from(["consumer", "business", ""])),
        value_segment=draw(st.sampled_from([None, "loyal", "at_risk", "new"])),
        # mostly customers we may make offers to, so the ranking is exercised
        marketing_consent=draw(st.sampled_from([True] * 5 + [False])),
        open_complaints=draw(st.sampled_from([0] * 8 + [1, 3])),
        birthday=draw(st.one_of(st.none(), st.dates(date(1940, 1, 1), date(2010, 12, 31)))),
        customer_since=draw(st.one_of(st.none(), st.dates(date(2000, 1, 1), NOW.date()))),
        orders=draw(st.lists(orders, max_size=6)),
        coverages=draw(st.lists(coverages, max_size=4)),
        interests=draw(st.lists(interests, max_size=4)),
        last_survey=draw(st.one_of(st.none(), st.none(), surveys())),
        contact=draw(st.one_of(st.none(), contacts)),
        recent_offers=draw(st.lists(offers, max_size=8)),
    )


def rank(ctx, rule_list, policy, stats, co) -> UpsellResult:
    return suggest_offers(
        ctx, CATALOGUE, rules=rule_list, policy=policy, stats=stats, co_purchases=co
    )


SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(contexts(), st.lists(rules, max_size=5), policies, outcome_stats, pairs)
def test_no_suggestion_ever_breaks_a_hard_rule(ctx, rule_list, policy, stats, co) -> None:
    result = rank(ctx, rule_list, policy, stats, co)
    suggestions = result.suggestions

    # The rules, restated from the specification rather than from the code.
    survey_ = ctx.last_survey
    recent_low = (
        survey_ is not None
        and ctx.now - survey_.answered_at <= timedelta(days=policy.low_score_quiet_days)
        and is_low_score(survey_.kind, survey_.score, policy.low_score)
    )
    topic = ctx.contact.topic.lower() if ctx.contact else ""
    complaint_contact = (
        ctx.contact is not None
        and ctx.contact.status is not ConversationStatus.RESOLVED
        and any(word in topic for word in ("complaint", "жалоб", "претенз"))
    )
    if not ctx.marketing_consent or ctx.open_complaints or recent_low or complaint_contact:
        assert suggestions == ()
        assert result.suppressed

    in_contact = [
        o
        for o in ctx.recent_offers
        if ctx.contact is not None
        and o.at >= ctx.contact.opened_at
        and o.outcome is not OfferOutcome.SHOWN
    ]
    assert len(suggestions) <= max(policy.max_offers_per_contact - len(in_contact), 0)

    suggested = {s.product_id for s in suggestions}
    assert len(suggested) == len(suggestions), "one suggestion per product"
    cooldowns = {
        OfferOutcome.DECLINED: policy.decline_cooldown_days,
        OfferOutcome.ACCEPTED: policy.decline_cooldown_days,
        OfferOutcome.NOT_NOW: policy.not_now_cooldown_days,
    }
    for past in ctx.recent_offers:
        cooldown = cooldowns.get(past.outcome)
        if cooldown is not None and ctx.now - past.at <= timedelta(days=cooldown):
            assert past.product_id not in suggested
    for past in in_contact:
        assert past.product_id not in suggested

    held = {
        line.product_id
        for o in ctx.orders
        if o.status in (OrderStatus.PAID, OrderStatus.PENDING)
        for line in o.lines
    }
    for s in suggestions:
        item = CATALOGUE.get(s.product_id)
        assert item is not None and item.on_sale
        assert 0.0 < s.p_accept < 1.0
        assert s.expected_value >= 0.0
        assert s.reason and s.phrase and s.title
        renewing = s.reason_code in (ReasonCode.COVERAGE_EXPIRING, ReasonCode.COVERAGE_EXPIRED)
        if not renewing and s.reason_code != ReasonCode.ABANDONED_INTEREST:
            assert s.product_id not in held, "never offer what the customer already has"
    values = [s.expected_value for s in suggestions]
    assert values == sorted(values, reverse=True)


@SETTINGS
@given(
    contexts(),
    st.lists(rules, max_size=5),
    policies,
    outcome_stats,
    pairs,
    st.randoms(use_true_random=False),
    st.sampled_from(["en", "ru"]),
    st.sampled_from([CATALOGUE, FLAT_CATALOGUE]),
)
def test_ranking_is_deterministic_and_order_independent(
    ctx, rule_list, policy, stats, co, rnd, lang, catalogue
) -> None:
    first = suggest_offers(
        ctx, catalogue, rules=rule_list, policy=policy, stats=stats, co_purchases=co, lang=lang
    )
    again = suggest_offers(
        ctx, catalogue, rules=rule_list, policy=policy, stats=stats, co_purchases=co, lang=lang
    )
    assert again == first

    def shuffled(items):
        items = list(items)
        rnd.shuffle(items)
        return items

    shuffled_ctx = dataclasses.replace(
        ctx,
        orders=shuffled(ctx.orders),
        coverages=shuffled(ctx.coverages),
        interests=shuffled(ctx.interests),
        recent_offers=shuffled(ctx.recent_offers),
    )
    reordered = suggest_offers(
        shuffled_ctx,
        catalogue,
        rules=shuffled(rule_list),
        policy=policy,
        stats=stats,
        co_purchases=co,
        lang=lang,
    )
    assert reordered == first


@SETTINGS
@given(contexts(), policies)
def test_warnings_do_not_depend_on_consent(ctx, policy) -> None:
    """Warnings are service information: withdrawing marketing consent leaves them."""
    consenting = dataclasses.replace(ctx, marketing_consent=True)
    refusing = dataclasses.replace(ctx, marketing_consent=False)
    assert (
        suggest_offers(consenting, CATALOGUE, policy=policy).warnings
        == suggest_offers(refusing, CATALOGUE, policy=policy).warnings
    )

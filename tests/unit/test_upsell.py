"""Upsell engine: admin rules, hard rules, ranking by expected value, texts, inputs."""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest

from operator_app.domain.entities import Consent, Customer, CustomerCard, CustomerValue
from operator_app.domain.enums import (
    Channel,
    ConversationStatus,
    CoverageKind,
    InterestStage,
    OfferOutcome,
    SurveyKind,
    Tier,
)
from operator_app.domain.metrics import LowScoreThresholds
from operator_app.domain.upsell import (
    AcceptanceStats,
    Catalogue,
    CatalogueItem,
    CoPurchaseStats,
    CustomerContext,
    ReasonCode,
    Suppression,
    UpsellPolicy,
    UpsellRule,
    suggest_offers,
    suppression_text,
)
from tests.unit.upsell_world import (
    CASE,
    CATALOGUE,
    CHARGER,
    CUSTOMER,
    EARBUDS,
    GIFT_CARD,
    LAPTOP_G3,
    NOW,
    OLD_LAPTOP,
    PHONE_X3,
    PHONE_X4,
    PHONE_X5,
    PLAN_PLUS,
    SUPPORT,
    WARRANTY_EXT,
    contact,
    context,
    coverage,
    interest,
    offer,
    order,
    survey,
)

WIDE = UpsellPolicy(max_offers_per_contact=20)


def offered(ctx: CustomerContext, **kwargs) -> dict[uuid.UUID, object]:
    kwargs.setdefault("policy", WIDE)
    return {s.product_id: s for s in suggest_offers(ctx, CATALOGUE, **kwargs).suggestions}


# --- admin rules -----------------------------------------------------------------------------


def rule(**kwargs) -> UpsellRule:
    values = {"id": uuid.UUID(int=777), "name": "Gold get support", "offer_product_id": SUPPORT}
    values.update(kwargs)
    return UpsellRule(**values)


def test_rule_with_matching_conditions_suggests_its_product() -> None:
    gold = rule(
        tiers=frozenset({Tier.GOLD}),
        channels=frozenset({Channel.PHONE}),
        owns_categories=frozenset({"Smartphones"}),
        script="As a Gold customer you get priority support at a discount.",
        reason="Gold tier with a phone, no support plan",
    )
    ctx = context(tier=Tier.GOLD, contact=contact(), orders=[order(PHONE_X5, days_ago=30)])
    (s,) = suggest_offers(ctx, CATALOGUE, rules=[gold]).suggestions
    assert s.reason_code == f"rule:{gold.id}"
    assert s.rule_id == gold.id
    assert s.reason == "Gold tier with a phone, no support plan"
    assert s.phrase == "As a Gold customer you get priority support at a discount."


@pytest.mark.parametrize(
    "conditions",
    [
        {"tiers": frozenset({Tier.PLATINUM})},
        {"channels": frozenset({Channel.EMAIL})},
        {"segments": frozenset({"business"})},
        {"owns_products": frozenset({PHONE_X3})},
        {"owns_categories": frozenset({"Laptops"})},
        {"enabled": False},
        {"offer_product_id": PHONE_X5},  # already owned
    ],
)
def test_rule_conditions_must_all_hold(conditions) -> None:
    ctx = context(tier=Tier.GOLD, contact=contact(), orders=[order(PHONE_X5, days_ago=30)])
    assert suggest_offers(ctx, CATALOGUE, rules=[rule(**conditions)]).suggestions == ()


def test_rule_segment_matches_business_or_value_segment() -> None:
    ctx = context(segment="consumer", value_segment="at_risk")
    for segments in ({"consumer"}, {"at_risk"}):
        assert suggest_offers(
            ctx, CATALOGUE, rules=[rule(segments=frozenset(segments))]
        ).suggestions


def test_rule_defaults_for_texts() -> None:
    (s,) = suggest_offers(context(), CATALOGUE, rules=[rule()], lang="ru").suggestions
    assert s.reason == "Gold get support"
    assert s.phrase == "Могу предложить вам «Priority support» — рассказать подробнее?"


def test_rule_definition_round_trip_and_errors() -> None:
    original = rule(
        tiers=frozenset({Tier.GOLD, Tier.SILVER}),
        channels=frozenset({Channel.PHONE}),
        segments=frozenset({"vip"}),
        owns_products=frozenset({PHONE_X5}),
        owns_categories=frozenset({"Smartphones"}),
        script="s",
        reason="r",
        prior_accept_rate=0.2,
    )
    definition = original.to_definition()
    restored = UpsellRule.from_definition(original.id, original.name, True, definition)
    assert restored == original
    with pytest.raises(ValueError, match="unknown tier 'diamond'"):
        UpsellRule.from_definition(original.id, "R", True, {**definition, "tiers": ["diamond"]})
    with pytest.raises(ValueError, match="segments must be a list"):
        UpsellRule.from_definition(original.id, "R", True, {**definition, "segments": "vip"})
    with pytest.raises(ValueError, match="choose the product to offer"):
        UpsellRule.from_definition(original.id, "R", True, {"offer_product_id": ""})
    with pytest.raises(ValueError, match="unknown field"):
        UpsellRule.from_definition(original.id, "R", True, {**definition, "colour": "red"})
    with pytest.raises(ValueError, match="offer_product_id must be a product id"):
        UpsellRule.from_definition(original.id, "R", True, {"offer_product_id": "nope"})
    with pytest.raises(ValueError, match="needs a name"):
        rule(name="  ")
    with pytest.raises(ValueError, match="prior acceptance rate must be between 0 and 1"):
        rule(prior_accept_rate=1.5)


# --- hard rules ------------------------------------------------------------------------------

RICH = {
    "orders": [order(PHONE_X3, days_ago=400)],
    "interests": [interest(EARBUDS, InterestStage.CART, days_ago=2)],
}


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"marketing_consent": False}, Suppression.NO_MARKETING_CONSENT),
        ({"open_complaints": 1}, Suppression.OPEN_COMPLAINT),
        ({"last_survey": survey(SurveyKind.CSAT, 2, days_ago=10)}, Suppression.RECENT_LOW_SCORE),
        ({"last_survey": survey(SurveyKind.NPS, 6, days_ago=29)}, Suppression.RECENT_LOW_SCORE),
        ({"last_survey": survey(SurveyKind.CES, 3, days_ago=1)}, Suppression.RECENT_LOW_SCORE),
        ({"contact": contact("Complaint: late delivery")}, Suppression.COMPLAINT_CONTACT),
        ({"contact": contact("Жалоба на курьера")}, Suppression.COMPLAINT_CONTACT),
        (
            {"contact": contact("претензия", ConversationStatus.PENDING)},
            Suppression.COMPLAINT_CONTACT,
        ),
    ],
)
def test_hard_rules_withhold_every_offer(overrides, code) -> None:
    result = suggest_offers(context(**RICH, **overrides), CATALOGUE)
    assert result.suggestions == ()
    assert result.suppressed == (code,)


@pytest.mark.parametrize(
    "overrides",
    [
        {"last_survey": survey(SurveyKind.CSAT, 2, days_ago=31)},  # long enough ago
        {"last_survey": survey(SurveyKind.CSAT, 3, days_ago=1)},  # not low
        {"last_survey": survey(SurveyKind.NPS, 7, days_ago=1)},
        {"contact": contact("Complaint: late delivery", ConversationStatus.RESOLVED)},
        {"contact": contact("new phone")},
    ],
)
def test_offers_resume_when_the_hard_rule_no_longer_applies(overrides) -> None:
    assert suggest_offers(context(**RICH, **overrides), CATALOGUE).suggestions


def test_low_score_thresholds_come_from_policy() -> None:
    strict = UpsellPolicy(low_score=LowScoreThresholds(csat=3), low_score_quiet_days=60)
    ctx = context(**RICH, last_survey=survey(SurveyKind.CSAT, 3, days_ago=45))
    assert suggest_offers(ctx, CATALOGUE, policy=strict).suppressed == (
        Suppression.RECENT_LOW_SCORE,
    )


def test_several_reasons_are_all_reported() -> None:
    ctx = context(**RICH, marketing_consent=False, open_complaints=2)
    assert suggest_offers(ctx, CATALOGUE).suppressed == (
        Suppression.NO_MARKETING_CONSENT,
        Suppression.OPEN_COMPLAINT,
    )
    assert suppression_text(Suppression.OPEN_COMPLAINT, "ru_RU") == (
        "Без предложений, пока открыта жалоба"
    )


@pytest.mark.parametrize(
    ("outcome", "days_ago", "blocked"),
    [
        (OfferOutcome.DECLINED, 30, True),
        (OfferOutcome.DECLINED, 89, True),
        (OfferOutcome.DECLINED, 91, False),
        (OfferOutcome.ACCEPTED, 10, True),
        (OfferOutcome.NOT_NOW, 3, True),
        (OfferOutcome.NOT_NOW, 8, False),
        (OfferOutcome.SHOWN, 1, False),
    ],
)
def test_recent_answers_block_the_same_product(outcome, days_ago, blocked) -> None:
    ctx = context(**RICH, recent_offers=[offer(PHONE_X5, outcome, days_ago=days_ago)])
    got = offered(ctx)
    assert (PHONE_X5 not in got) is blocked
    assert EARBUDS in got  # other products are unaffected


def test_at_most_three_offers_per_contact() -> None:
    ctx = context(
        orders=[order(PHONE_X3, days_ago=400), order(OLD_LAPTOP, days_ago=800)],
        interests=[interest(EARBUDS, InterestStage.CART, days_ago=2)],
        coverages=[coverage(SUPPORT, CoverageKind.SUPPORT, ends_in=5)],
        contact=contact(),
    )
    assert len(suggest_offers(ctx, CATALOGUE, policy=WIDE).suggestions) == 4
    assert len(suggest_offers(ctx, CATALOGUE).suggestions) == 3


def test_offers_answered_in_this_contact_use_up_the_limit() -> None:
    here = contact(opened_minutes_ago=30)
    answered = [
        offer(CASE, OfferOutcome.DECLINED, days_ago=0.01),
        offer(CHARGER, OfferOutcome.NOT_NOW, days_ago=0.01),
        offer(PLAN_PLUS, OfferOutcome.SHOWN, days_ago=0.01),  # still on the panel
        offer(GIFT_CARD, OfferOutcome.DECLINED, days_ago=3),  # an earlier contact
    ]
    ctx = context(**RICH, contact=here, recent_offers=answered)
    assert len(suggest_offers(ctx, CATALOGUE).suggestions) == 1
    ctx = context(
        **RICH,
        contact=here,
        recent_offers=[*answered, offer(None, OfferOutcome.ACCEPTED, days_ago=0.001)],
    )
    result = suggest_offers(ctx, CATALOGUE)
    assert result.suggestions == ()
    assert result.suppressed == (Suppression.OFFER_LIMIT_REACHED,)


# --- ranking and learning --------------------------------------------------------------------


def test_ranked_by_acceptance_times_margin() -> None:
    result = suggest_offers(context(**RICH), CATALOGUE, policy=WIDE)
    values = [s.expected_value for s in result.suggestions]
    assert values == sorted(values, reverse=True)
    x5 = next(s for s in result.suggestions if s.product_id == PHONE_X5)
    assert x5.p_accept == pytest.approx(0.08)  # the policy's prior for upgrades
    assert x5.expected_value == pytest.approx(0.08 * 15000)
    buds = next(s for s in result.suggestions if s.product_id == EARBUDS)
    assert buds.expected_value == pytest.approx(0.15 * 3000)


def test_margin_defaults_to_a_share_of_the_price() -> None:
    ctx = context(orders=[order(OLD_LAPTOP, days_ago=800)])
    policy = UpsellPolicy(default_margin_rate=0.1)
    cheap = Catalogue(
        [
            CatalogueItem(OLD_LAPTOP, "G1", "Laptops", Decimal(1), None, LAPTOP_G3),
            CatalogueItem(LAPTOP_G3, "G3", "Laptops", Decimal(50000)),
        ]
    )
    (s,) = suggest_offers(ctx, cheap, policy=policy).suggestions
    assert s.expected_value == pytest.approx(0.08 * 5000)


def test_learned_acceptance_reorders_suggestions() -> None:
    ctx = context(**RICH, value_segment="loyal")
    before = [s.product_id for s in suggest_offers(ctx, CATALOGUE).suggestions]
    assert before[0] == PHONE_X5
    # loyal customers keep declining upgrades
    stats = AcceptanceStats.from_outcomes(
        [(ReasonCode.SUCCESSOR.value, "loyal", OfferOutcome.DECLINED)] * 200
    )
    after = suggest_offers(ctx, CATALOGUE, stats=stats).suggestions
    assert after[0].product_id == EARBUDS
    x5 = next(s for s in after if s.product_id == PHONE_X5)
    assert x5.p_accept < 0.01


def test_beta_update_with_two_levels_of_pooling() -> None:
    stats = AcceptanceStats.from_outcomes(
        [("r", "a", OfferOutcome.ACCEPTED)] * 3
        + [("r", "a", OfferOutcome.DECLINED)] * 5
        + [("r", "a", OfferOutcome.NOT_NOW)] * 4
        + [("r", "b", OfferOutcome.ACCEPTED)] * 2
        + [("r", "b", OfferOutcome.SHOWN)] * 50
    )
    # reason level: 5 successes in 3 + 5 + 4/2 + 2 = 12 trials, prior 0.1 × 10
    reason_mean = (10 * 0.1 + 5) / (10 + 12)
    assert stats.p_accept("r", "a", 0.1, 10) == pytest.approx((10 * reason_mean + 3) / (10 + 10))
    assert stats.p_accept("r", "new segment", 0.1, 10) == pytest.approx(reason_mean)
    assert stats.p_accept("other", "a", 0.1, 10) == pytest.approx(0.1)
    assert AcceptanceStats.from_list(stats.to_list()).to_list() == stats.to_list()
    with pytest.raises(ValueError, match="Unknown offer outcome 'maybe'"):
        AcceptanceStats.from_outcomes([("r", "a", "maybe")])


def test_rule_learning_is_per_rule() -> None:
    first, second = rule(id=uuid.UUID(int=1)), rule(id=uuid.UUID(int=2), offer_product_id=CASE)
    stats = AcceptanceStats.from_outcomes(
        [(f"rule:{first.id}", "consumer", OfferOutcome.ACCEPTED)] * 30
    )
    result = suggest_offers(context(), CATALOGUE, rules=[second, first], stats=stats)
    p = {s.rule_id: s.p_accept for s in result.suggestions}
    assert p[first.id] > 0.7
    assert p[second.id] == pytest.approx(0.1)


def test_one_suggestion_per_product_with_its_best_reason() -> None:
    """Earbuds are both in the cart and often bought with the phone: one line, the
    reason with the higher expected value."""
    ctx = context(
        orders=[order(PHONE_X5, days_ago=5)],
        interests=[interest(EARBUDS, InterestStage.CART, days_ago=1)],
    )
    pairs = CoPurchaseStats([(PHONE_X5, EARBUDS, 0.5)])
    got = [s for s in suggest_offers(ctx, CATALOGUE, co_purchases=pairs).suggestions]
    assert [(s.product_id, s.reason_code) for s in got] == [
        (EARBUDS, ReasonCode.ABANDONED_INTEREST)
    ]


def test_equal_values_are_ordered_by_a_stable_key() -> None:
    twins = Catalogue(
        [
            CatalogueItem(uuid.UUID(int=5), "Twin B", "x", Decimal(10), Decimal(5)),
            CatalogueItem(uuid.UUID(int=4), "Twin A", "x", Decimal(10), Decimal(5)),
        ]
    )
    rules = [
        rule(id=uuid.UUID(int=9), offer_product_id=uuid.UUID(int=5)),
        rule(id=uuid.UUID(int=8), offer_product_id=uuid.UUID(int=4)),
    ]
    first = suggest_offers(context(), twins, rules=rules).suggestions
    second = suggest_offers(context(), twins, rules=list(reversed(rules))).suggestions
    assert first == second
    assert [s.title for s in first] == ["Twin A", "Twin B"]


# --- texts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "en", "ru"),
    [
        (1, "1 month", "1 месяц"),
        (2, "2 months", "2 месяца"),
        (4, "4 months", "4 месяца"),
        (5, "5 months", "5 месяцев"),
        (11, "11 months", "11 месяцев"),
        (12, "12 months", "12 месяцев"),
        (14, "14 months", "14 месяцев"),
        (21, "21 months", "21 месяц"),
        (22, "22 months", "22 месяца"),
    ],
)
def test_plural_forms(months, en, ru) -> None:
    from operator_app.domain.upsell_texts import count

    assert count(months, "month", "en") == en
    assert count(months, "month", "ru") == ru


@pytest.mark.parametrize(
    ("n", "days", "years"),
    [
        (0, "0 дней", "0 лет"),
        (1, "1 день", "1 год"),
        (3, "3 дня", "3 года"),
        (111, "111 дней", "111 лет"),
        (101, "101 день", "101 год"),
    ],
)
def test_russian_days_and_years(n, days, years) -> None:
    from operator_app.domain.upsell_texts import count

    assert count(n, "day", "ru") == days
    assert count(n, "year", "ru") == years


def test_ages_use_the_natural_unit() -> None:
    ctx = context(orders=[order(PHONE_X3, days_ago=365 * 3 + 30)])
    (s,) = [s for s in suggest_offers(ctx, CATALOGUE).suggestions]
    assert s.reason == "Nova X3 bought 3 years ago; newer Nova X5 available"
    ru = suggest_offers(ctx, CATALOGUE, lang="ru-RU").suggestions[0]
    assert ru.reason == "покупка «Nova X3» — 3 года назад; вышла новая модель «Nova X5»"
    assert suggest_offers(ctx, CATALOGUE, lang="de").suggestions[0].reason == s.reason


# --- inputs and policy -----------------------------------------------------------------------


def test_context_from_card() -> None:
    customer = Customer(
        CUSTOMER,
        "Anna",
        "Ivanova",
        tier=Tier.GOLD,
        segment="consumer",
        consent=Consent(marketing=True),
        value=CustomerValue(segment="loyal", open_complaints=0),
        birthday=date(1990, 1, 1),
    )
    card = CustomerCard(
        customer,
        orders=(order(PHONE_X3, days_ago=400),),
        coverages=(),
        interests=(),
        open_conversations=(),
    )
    ctx = CustomerContext.from_card(card, now=NOW, contact=contact())
    assert (ctx.tier, ctx.value_segment, ctx.marketing_consent) == (Tier.GOLD, "loyal", True)
    assert ctx.stats_segment == "loyal"
    assert suggest_offers(ctx, CATALOGUE).suggestions[0].product_id == PHONE_X5


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="now must be a timezone-aware datetime"):
        context(now=NOW.replace(tzinfo=None))
    naive = dataclasses.replace(order(PHONE_X3, days_ago=1), ordered_at=NOW.replace(tzinfo=None))
    with pytest.raises(ValueError, match=r"Order N-\d+ ordered_at must be a timezone-aware"):
        context(orders=[naive])


def test_catalogue_rejects_duplicates() -> None:
    item = CatalogueItem(CASE, "Case", "x", Decimal(1))
    with pytest.raises(ValueError, match="appears twice in the catalogue"):
        Catalogue([item, item])


def test_policy_round_trips_and_rejects_nonsense() -> None:
    policy = UpsellPolicy(
        max_offers_per_contact=2,
        occasion_product_id=GIFT_CARD,
        low_score=LowScoreThresholds(nps=5),
        prior_accept_rates={ReasonCode.SUCCESSOR: 0.2},
    )
    assert UpsellPolicy.from_dict(json.loads(json.dumps(policy.to_dict()))) == policy
    assert UpsellPolicy.from_dict({"decline_cooldown_days": 30}).decline_cooldown_days == 30
    for bad, message in [
        ({"max_offers_per_contact": -1}, "max_offers_per_contact must be a whole number ≥ 0"),
        ({"decline_cooldown_days": 1.5}, "decline_cooldown_days must be a whole number ≥ 0"),
        ({"default_margin_rate": 2}, "default_margin_rate must be a number between 0 and 1"),
        ({"prior_accept_rates": {"rule": 0}}, r"prior_accept_rates\[rule\] must be a number"),
        ({"prior_strength": 0}, "prior_strength must be a positive number"),
        ({"occasion_product_id": "x"}, "occasion_product_id must be a product id"),
        ({"low_score": {"csat": 9}}, "CSAT low-score threshold must be between 1 and 5"),
        ({"max_offers": 3}, "Unknown upsell policy setting"),
    ]:
        with pytest.raises(ValueError, match=message):
            UpsellPolicy.from_dict(bad)


def test_catalogue_item_from_product() -> None:
    from operator_app.domain.entities import Product

    product = Product(PHONE_X4, "PH-4", "Nova X4", "Smartphones", Decimal(79990), PHONE_X5)
    item = CatalogueItem.from_product(product, margin=Decimal(9000), renewal_id=WARRANTY_EXT)
    assert (item.successor_id, item.renewal_id, item.margin) == (PHONE_X5, WARRANTY_EXT, 9000)


def test_today_is_the_context_date() -> None:
    assert context().today == NOW.date()
    assert context(now=NOW + timedelta(days=1)).today == date(2025, 6, 16)

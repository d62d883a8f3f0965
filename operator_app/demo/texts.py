"""What demo customers and operators say, in Russian and English.

Bodies are built from these templates with ``str.format_map``: ``{order}``,
``{product}``, ``{contract}``, ``{name}`` (how the agent addresses the customer),
``{agent}`` (the agent's first name) and ``{days}``. A conversation is in its
customer's language.
"""

from __future__ import annotations

GREETING = {"ru": "Здравствуйте, {name}! ", "en": "Hello {name}, "}

CUSTOMER_FOLLOW_UP = {
    "ru": (
        "Спасибо, жду.",
        "А когда примерно?",
        "Хорошо, понятно.",
        "Можно побыстрее? Очень нужно.",
        "Номер заказа прислал{c} выше.",
        "Перезвоните мне после 18:00, пожалуйста.",
        "Уже второй день жду ответа.",
        "Фото прикрепил{c}.",
    ),
    "en": (
        "Thanks, I'll wait.",
        "Roughly when?",
        "OK, got it.",
        "Could you hurry, please? I really need it.",
        "I sent the order number above.",
        "Please call me back after 6 pm.",
        "I've been waiting for an answer for two days.",
        "Photo attached.",
    ),
}

AGENT_FOLLOW_UP = {
    "ru": (
        "Уточняю информацию, вернусь с ответом в течение часа.",
        "Передали вопрос специалистам, ответим до конца дня.",
        "Пришлите, пожалуйста, фото чека.",
        "Подскажите номер заказа или договора?",
        "Спасибо за ожидание! Проверили ещё раз.",
        "Меня зовут {agent}, буду вести ваше обращение.",
    ),
    "en": (
        "I'm checking and will get back to you within the hour.",
        "I've passed this to our specialists; we'll answer by the end of the day.",
        "Could you send a photo of the receipt?",
        "Could you give me the order or contract number?",
        "Thanks for waiting! I double-checked.",
        "My name is {agent} and I'll handle your request.",
    ),
}

CUSTOMER_CLOSE = {
    "ru": (
        "Спасибо, всё решилось!",
        "Отлично, спасибо.",
        "Понял{c}, спасибо за помощь.",
        "Хорошо, договорились.",
    ),
    "en": (
        "Thanks, all sorted!",
        "Great, thank you.",
        "Got it, thanks for your help.",
        "OK, deal.",
    ),
}

AGENT_CLOSE = {
    "ru": (
        "Рады были помочь! Хорошего дня.",
        "Если появятся вопросы, пишите — мы на связи.",
        "Обращение закрываю. Спасибо, что вы с нами!",
    ),
    "en": (
        "Happy to help! Have a nice day.",
        "If anything else comes up, just write to us.",
        "I'm closing this request. Thanks for being with us!",
    ),
}

CALL_PREFIX = {
    "in": {"ru": "Входящий звонок, {duration}. ", "en": "Incoming call, {duration}. "},
    "out": {"ru": "Исходящий звонок, {duration}. ", "en": "Outgoing call, {duration}. "},
}
MISSED_CALL = {
    "ru": "Пропущенный звонок, просит перезвонить.",
    "en": "Missed call, asked for a call back.",
}

ATTACHMENTS = ("photo.jpg", "receipt.pdf", "screenshot.png", "invoice.pdf", "video.mp4", "scan.pdf")

LOW_SCORE_COMMENTS = {
    "ru": (
        "Долго ждал{c} ответа.",
        "Проблему так и не решили.",
        "Оператор был невнимателен.",
        "Пришлось объяснять всё три раза.",
        "Обещали перезвонить и пропали.",
        "Деньги до сих пор не вернули.",
        "Очень сложно дозвониться.",
    ),
    "en": (
        "Waited too long for an answer.",
        "The problem is still not solved.",
        "The agent wasn't listening.",
        "Had to explain everything three times.",
        "Promised a call back that never came.",
        "Still no refund.",
        "Very hard to get through.",
    ),
}

HIGH_SCORE_COMMENTS = {
    "ru": (
        "Всё быстро, спасибо!",
        "Вежливый оператор.",
        "Решили за один звонок.",
        "Отличный сервис.",
    ),
    "en": (
        "Quick and easy, thanks!",
        "Very polite agent.",
        "Solved in one call.",
        "Great service.",
    ),
}

MIDDLE_SCORE_COMMENTS = {
    "ru": ("В целом нормально, но долго.", "Решили, но со второго раза."),
    "en": ("Fine overall, but slow.", "Solved, but only the second time."),
}

NOTES = {
    "ru": (
        "Предпочитает общение в мессенджерах, не звонить до 10:00.",
        "Клиент просил обращаться по имени-отчеству.",
        "Постоянный клиент, покупает технику для всей семьи.",
        "Обещали бонус 500 ₽ за задержку доставки.",
        "Клиент интересовался рассрочкой на ноутбук.",
        "Клиент был недоволен качеством связи, проверить через неделю.",
        "Юрлицо: счета отправлять на бухгалтерию.",
        "Плохо слышит, лучше писать.",
    ),
    "en": (
        "Prefers messengers; no calls before 10 am.",
        "Asked to be addressed formally.",
        "Regular customer, buys devices for the whole family.",
        "Promised a 500 RUB bonus for the late delivery.",
        "Asked about paying for a laptop in instalments.",
        "Unhappy with line quality; check again in a week.",
        "Business customer: send invoices to accounting.",
        "Hard of hearing; better to write.",
    ),
}

# reason code → explanation, with {product} (what is offered) and {owned} (what they have)
OFFER_REASONS: dict[str, dict[str, str]] = {
    "successor_available": {
        "ru": "Куплено {months} мес. назад: {owned}; доступна новая версия — {product}",
        "en": "{owned} bought {months} months ago; newer {product} available",
    },
    "coverage_expiring": {
        "ru": "Гарантия на {owned} заканчивается; продлить — {product}",
        "en": "Warranty on {owned} is ending; extend with {product}",
    },
    "abandoned_cart": {
        "ru": "{product} оставлен в корзине",
        "en": "{product} left in the cart",
    },
    "accessory_for_device": {
        "ru": "К {owned} подойдёт {product}",
        "en": "{product} goes well with {owned}",
    },
}

OFFER_DECLINE_REASONS = {
    "ru": ("Дорого", "Уже есть", "Не сейчас, после отпуска", "Не интересует", "Подумаю"),
    "en": (
        "Too expensive",
        "Already have one",
        "Not now, maybe after the holidays",
        "Not interested",
        "Will think about it",
    ),
}

REVIEW_ACTION_NOTES = {
    "assigned": {"ru": "Взял в работу", "en": "Taking this one"},
    "callback_planned": {"ru": "Перезвоню клиенту", "en": "Will call the customer back"},
    "compensated": {"ru": "Начислен бонус 1000 ₽", "en": "1000 RUB bonus credited"},
    "resolved": {"ru": "Клиент доволен решением", "en": "Customer is happy with the outcome"},
}

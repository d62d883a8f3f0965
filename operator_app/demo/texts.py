# ruff: noqa: E501  (sentences read better unbroken than wrapped to the line limit)
"""What demo customers and operators say, in Russian and English.

Bodies are built from these templates with ``str.format_map``: ``{order}``,
``{product}``, ``{contract}``, ``{name}`` (how the agent addresses the customer),
``{agent}`` (the agent's first name) and ``{days}``. A conversation is in its
customer's language.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Topic:
    code: str
    weight: int
    ref: str  # which reference the title and messages mention: order, contract, product or ""
    title: dict[str, str]
    opener: dict[str, tuple[str, ...]]  # the customer's first message
    reply: dict[str, tuple[str, ...]]  # the agent's answer on the subject
    proactive: bool = False  # the company may start this conversation


TOPICS: tuple[Topic, ...] = (
    Topic(
        "delivery",
        18,
        "order",
        {"ru": "Доставка заказа {order}", "en": "Delivery of order {order}"},
        {
            "ru": (
                "Добрый день! Где мой заказ {order}? Обещали привезти вчера.",
                "Подскажите, пожалуйста, когда доставят заказ {order}?",
                "Курьер не приехал в назначенное время, заказ {order}. Что случилось?",
                "Можно перенести доставку заказа {order} на выходные?",
            ),
            "en": (
                "Hi, where is my order {order}? It was due yesterday.",
                "Could you tell me when order {order} will be delivered?",
                "The courier never showed up for order {order}. What happened?",
                "Can I move the delivery of {order} to the weekend?",
            ),
        },
        {
            "ru": (
                "Заказ {order} передан в службу доставки, курьер приедет завтра с 10 до 14.",
                "Проверили: заказ {order} задержался на складе, доставим в течение {days} дн.",
                "Перенесли доставку заказа {order}, курьер позвонит за час.",
            ),
            "en": (
                "Order {order} is with the courier and will arrive tomorrow between 10 and 2.",
                "I checked: {order} was held at the warehouse; it will reach you within {days} days.",
                "I've rescheduled {order}; the courier will call an hour before.",
            ),
        },
    ),
    Topic(
        "refund",
        8,
        "order",
        {"ru": "Возврат по заказу {order}", "en": "Refund for order {order}"},
        {
            "ru": (
                "Хочу вернуть товар из заказа {order}, не подошёл.",
                "Оформил{c} возврат по заказу {order} две недели назад, деньги так и не пришли.",
                "Как вернуть деньги за {product}? Заказ {order}.",
            ),
            "en": (
                "I'd like to return the item from order {order}, it doesn't fit my needs.",
                "I returned order {order} two weeks ago and still have no refund.",
                "How do I get my money back for the {product}? Order {order}.",
            ),
        },
        {
            "ru": (
                "Оформили возврат по заказу {order}, деньги поступят на карту в течение {days} дн.",
                "Возврат одобрен. Курьер заберёт {product}, после проверки вернём оплату.",
                "Вижу возврат по {order}: платёж отправлен в банк, зачисление до {days} рабочих дней.",
            ),
            "en": (
                "I've filed the refund for {order}; the money will reach your card within {days} days.",
                "Refund approved. A courier will collect the {product}; we pay back after inspection.",
                "The refund for {order} has been sent to your bank; allow up to {days} working days.",
            ),
        },
    ),
    Topic(
        "complaint",
        7,
        "",
        {"ru": "Жалоба на обслуживание", "en": "Service complaint"},
        {
            "ru": (
                "Третий раз пишу, и никто не может решить мою проблему. Это возмутительно.",
                "Оператор вчера был груб и положил трубку. Прошу разобраться.",
                "Сервис очень разочаровал: обещали перезвонить и не перезвонили.",
            ),
            "en": (
                "This is the third time I'm writing and nobody can fix my problem.",
                "Your agent was rude yesterday and hung up on me. Please look into it.",
                "Very unhappy with the service: you promised to call back and never did.",
            ),
        },
        {
            "ru": (
                "Приношу извинения. Передали жалобу руководителю, он свяжется с вами сегодня.",
                "Мне очень жаль, что так вышло. Разберёмся и вернёмся с ответом в течение дня.",
                "Извините за неудобства. В качестве компенсации начислили бонусы на ваш счёт.",
            ),
            "en": (
                "I'm sorry. I've passed your complaint to my supervisor, who will call you today.",
                "I'm sorry this happened. We'll look into it and get back to you within a day.",
                "Apologies for the trouble. We've added bonus points to your account as compensation.",
            ),
        },
    ),
    Topic(
        "tariff_change",
        9,
        "contract",
        {"ru": "Смена тарифа", "en": "Plan change"},
        {
            "ru": (
                "Хочу перейти на тариф подешевле, договор {contract}.",
                "Подскажите, какой тариф выгоднее, если много звоню за границу?",
                "Можно сменить тариф с нового месяца? Договор {contract}.",
            ),
            "en": (
                "I want to switch to a cheaper plan, contract {contract}.",
                "Which plan is better if I call abroad a lot?",
                "Can I change my plan from next month? Contract {contract}.",
            ),
        },
        {
            "ru": (
                "Сменили тариф по договору {contract}, новые условия действуют с 1-го числа.",
                "Вам подойдёт {product}: больше минут и та же цена. Подключить?",
                "Готово, тариф изменён. Подтверждение отправили СМС.",
            ),
            "en": (
                "Your plan under {contract} is changed; the new terms apply from the 1st.",
                "{product} would suit you: more minutes for the same price. Shall I switch you?",
                "Done, the plan is changed. We've sent a confirmation by text.",
            ),
        },
        proactive=True,
    ),
    Topic(
        "warranty_repair",
        8,
        "product",
        {"ru": "Гарантийный ремонт: {product}", "en": "Warranty repair: {product}"},
        {
            "ru": (
                "{product} перестал включаться, гарантия ещё действует. Что делать?",
                "Сдал{c} {product} в ремонт по гарантии, когда будет готов?",
                "У {product} треснул экран сам по себе, это гарантийный случай?",
            ),
            "en": (
                "My {product} won't turn on and it's still under warranty. What should I do?",
                "I sent my {product} in for warranty repair; when will it be ready?",
                "The screen of my {product} cracked by itself. Is that covered?",
            ),
        },
        {
            "ru": (
                "Оформили гарантийную заявку, курьер заберёт {product} бесплатно.",
                "Ремонт {product} займёт около {days} дн., сообщим, когда будет готово.",
                "Диагностика подтвердила гарантийный случай, заменим устройство.",
            ),
            "en": (
                "I've opened a warranty claim; a courier will collect your {product} free of charge.",
                "The repair of your {product} takes about {days} days; we'll tell you when it's ready.",
                "Diagnostics confirmed a warranty case; we'll replace the device.",
            ),
        },
    ),
    Topic(
        "billing",
        8,
        "",
        {"ru": "Вопрос по счёту", "en": "Billing question"},
        {
            "ru": (
                "Почему в этом месяце списали больше обычного?",
                "Пришёл счёт за услугу, которую я не подключал{c}.",
                "Нужен акт сверки за прошлый квартал.",
            ),
            "en": (
                "Why was I charged more than usual this month?",
                "I got a bill for a service I never ordered.",
                "I need a statement for the last quarter.",
            ),
        },
        {
            "ru": (
                "Списание за дополнительный трафик; детализацию отправили на почту.",
                "Услуга подключена по ошибке: отключили её и вернём деньги.",
                "Акт сверки сформирован и отправлен вам на e-mail.",
            ),
            "en": (
                "The extra charge is for additional data; I've e-mailed the breakdown.",
                "That service was added by mistake; I've removed it and will refund the charge.",
                "The statement is ready and sent to your e-mail.",
            ),
        },
    ),
    Topic(
        "payment_failed",
        5,
        "order",
        {"ru": "Не прошла оплата заказа {order}", "en": "Payment failed for {order}"},
        {
            "ru": (
                "Не проходит оплата картой, заказ {order}.",
                "Деньги списались, а заказ {order} так и не оплачен.",
            ),
            "en": (
                "My card payment for order {order} keeps failing.",
                "The money left my account but order {order} still shows unpaid.",
            ),
        },
        {
            "ru": (
                "Банк отклонил платёж. Отправили ссылку для повторной оплаты заказа {order}.",
                "Платёж нашёлся, заказ {order} оплачен, деньги второй раз не спишутся.",
            ),
            "en": (
                "Your bank declined the payment. I've sent a new payment link for {order}.",
                "Found the payment; {order} is now paid and you won't be charged twice.",
            ),
        },
        proactive=True,
    ),
    Topic(
        "product_question",
        10,
        "product",
        {"ru": "Консультация: {product}", "en": "Question about {product}"},
        {
            "ru": (
                "Подскажите, {product} поддерживает быструю зарядку?",
                "Чем {product} отличается от прошлой модели?",
                "Есть ли {product} в наличии в магазине на Тверской?",
            ),
            "en": (
                "Does the {product} support fast charging?",
                "How is the {product} different from the previous model?",
                "Is the {product} in stock at your downtown store?",
            ),
        },
        {
            "ru": (
                "Да, {product} заряжается до 50% за 30 минут.",
                "В {product} новая камера, больше батарея и быстрее процессор.",
                "{product} есть в наличии, можем отложить на {days} дн.",
            ),
            "en": (
                "Yes, the {product} charges to 50% in 30 minutes.",
                "The {product} has a new camera, a bigger battery and a faster chip.",
                "The {product} is in stock; I can hold one for you for {days} days.",
            ),
        },
    ),
    Topic(
        "subscription_renewal",
        6,
        "contract",
        {"ru": "Продление по договору {contract}", "en": "Renewal of {contract}"},
        {
            "ru": (
                "Договор {contract} скоро заканчивается, как продлить?",
                "Почему не продлилась подписка по договору {contract}?",
            ),
            "en": (
                "Contract {contract} ends soon; how do I renew it?",
                "Why didn't my subscription {contract} renew?",
            ),
        },
        {
            "ru": (
                "Срок договора {contract} истекает через {days} дн. Продлить на год на тех же условиях?",
                "Продлили договор {contract} на 12 месяцев, включили автопродление.",
            ),
            "en": (
                "Contract {contract} ends in {days} days. Shall we renew it for a year on the same terms?",
                "I've renewed {contract} for 12 months and switched on auto-renewal.",
            ),
        },
        proactive=True,
    ),
    Topic(
        "account_access",
        6,
        "",
        {"ru": "Вход в личный кабинет", "en": "Account access"},
        {
            "ru": (
                "Не могу войти в личный кабинет, пишет «неверный пароль».",
                "Не приходит СМС с кодом для входа.",
            ),
            "en": (
                "I can't sign in to my account, it says wrong password.",
                "I never receive the sign-in code by text.",
            ),
        },
        {
            "ru": (
                "Сбросили пароль, ссылка для входа отправлена на почту.",
                "Номер в профиле был указан с ошибкой, исправили. Попробуйте ещё раз.",
            ),
            "en": (
                "I've reset your password; a sign-in link is in your inbox.",
                "The phone number in your profile had a typo; fixed it. Please try again.",
            ),
        },
    ),
    Topic(
        "internet_outage",
        6,
        "contract",
        {"ru": "Нет интернета", "en": "Internet outage"},
        {
            "ru": (
                "С утра не работает домашний интернет, договор {contract}.",
                "Интернет постоянно пропадает по вечерам.",
            ),
            "en": (
                "My home internet has been down since this morning, contract {contract}.",
                "The internet keeps dropping in the evenings.",
            ),
        },
        {
            "ru": (
                "В вашем районе ведутся работы, связь восстановят в течение {days} ч.",
                "Перезапустили порт, проверьте, пожалуйста, соединение.",
                "Оформили выезд мастера на завтра, он позвонит заранее.",
            ),
            "en": (
                "There's maintenance in your area; service will be back within {days} hours.",
                "I've reset your line; please check the connection now.",
                "I've booked a technician for tomorrow; they will call ahead.",
            ),
        },
    ),
    Topic(
        "order_change",
        5,
        "order",
        {"ru": "Изменение заказа {order}", "en": "Change to order {order}"},
        {
            "ru": (
                "Хочу добавить чехол в заказ {order}, ещё не поздно?",
                "Можно изменить адрес доставки заказа {order}?",
            ),
            "en": (
                "Can I still add a case to order {order}?",
                "Can I change the delivery address for {order}?",
            ),
        },
        {
            "ru": (
                "Добавили в заказ {order}, сумма обновится в СМС.",
                "Адрес доставки заказа {order} изменён.",
            ),
            "en": (
                "Added to {order}; you'll get the new total by text.",
                "The delivery address for {order} is updated.",
            ),
        },
    ),
    Topic(
        "cancellation",
        4,
        "contract",
        {"ru": "Расторжение договора {contract}", "en": "Cancel contract {contract}"},
        {
            "ru": (
                "Хочу расторгнуть договор {contract}, переезжаю.",
                "Отключите, пожалуйста, подписку {contract}, больше не пользуюсь.",
            ),
            "en": (
                "I want to cancel contract {contract}, I'm moving.",
                "Please cancel subscription {contract}, I don't use it any more.",
            ),
        },
        {
            "ru": (
                "Можем сохранить договор {contract} со скидкой 30% на полгода. Интересно?",
                "Оформили расторжение договора {contract} с конца расчётного периода.",
            ),
            "en": (
                "We could keep {contract} at 30% off for six months. Would that help?",
                "I've cancelled {contract} from the end of the billing period.",
            ),
        },
    ),
    Topic(
        "thanks",
        3,
        "",
        {"ru": "Благодарность", "en": "Thank-you note"},
        {
            "ru": (
                "Хочу поблагодарить мастера, всё быстро и аккуратно.",
                "Спасибо за помощь вчера, всё заработало!",
            ),
            "en": (
                "I'd like to thank your technician, quick and tidy work.",
                "Thanks for yesterday's help, everything works now!",
            ),
        },
        {
            "ru": ("Спасибо за отзыв! Передадим коллеге.", "Очень приятно, спасибо, что написали!"),
            "en": (
                "Thank you for the feedback! We'll pass it on.",
                "So glad to hear it, thanks for writing!",
            ),
        },
    ),
)

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

# ruff: noqa: E501  (sentences read better unbroken than wrapped to the line limit)
"""What demo conversations are about: each topic's title and the first things said.

Placeholders as in :mod:`operator_app.demo.texts`. ``ref`` says which reference a
topic needs: an order, a contract (coverage), a product, or none.
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

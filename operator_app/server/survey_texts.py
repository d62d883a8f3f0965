"""Everything a customer reads, in Russian and English: the survey page, e-mails, texts."""

from __future__ import annotations

from operator_app.domain.enums import SurveyKind

LANGUAGES = ("ru", "en")
LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}

_TEXTS: dict[str, dict[str, str]] = {
    "ru": {
        "title": "Ваш отзыв",
        "question.csat": "Насколько вы довольны тем, как мы помогли?",
        "question.nps": "Насколько вероятно, что вы порекомендуете нас друзьям или коллегам?",
        "question.ces": "Насколько легко было решить ваш вопрос?",
        "low.csat": "Совсем не доволен",
        "high.csat": "Очень доволен",
        "low.nps": "Точно нет",
        "high.nps": "Обязательно",
        "low.ces": "Очень сложно",
        "high.ces": "Очень легко",
        "about": "Обращение: {topic}",
        "comment": "Хотите что-то добавить?",
        "comment_hint": "Необязательно. Что нам стоит сделать лучше?",
        "send": "Отправить",
        "score_legend": "Оценка от {low} до {high}",
        "privacy": "Ответ увидит только служба заботы о клиентах.",
        "error.score_missing": "Выберите оценку — достаточно одного нажатия.",
        "error.score_invalid": "Такой оценки нет: выберите число от {low} до {high}.",
        "error.comment_long": "Комментарий длиннее {limit} символов — сократите его, пожалуйста.",
        "error.form": "Страница была открыта слишком долго. Проверьте ответ и отправьте ещё раз.",
        "thanks.title": "Спасибо!",
        "thanks.body": "Ваша оценка получена. Это помогает нам становиться лучше.",
        "thanks.low": "Нам жаль, что всё прошло не так. Мы разберёмся, что случилось.",
        "answered.title": "Ответ уже получен",
        "answered.body": "На этот опрос уже ответили. Спасибо, что нашли время!",
        "expired.title": "Срок опроса истёк",
        "expired.body": "Эта ссылка больше не действует. Если хотите что-то рассказать — "
        "просто напишите нам.",
        "unknown.title": "Опрос не найден",
        "unknown.body": "Проверьте ссылку: возможно, она скопировалась не полностью.",
        "too_large.title": "Слишком длинный ответ",
        "too_large.body": "Сократите комментарий и отправьте ещё раз.",
        "email.subject": "Как мы вам помогли? Оцените в один клик",
        "email.greeting": "Здравствуйте, {name}!",
        "email.greeting_anonymous": "Здравствуйте!",
        "email.body": "Недавно вы обращались к нам{about}. Пожалуйста, оцените, как мы помогли: "
        "это займёт несколько секунд.",
        "email.button": "Оценить",
        "email.expires": "Ссылка действует до {date}.",
        "email.reminder_subject": "Напоминание: оцените, пожалуйста, нашу помощь",
        "email.reminder_body": "Мы будем благодарны за вашу оценку — это займёт несколько секунд.",
        "email.signature": "С уважением, {brand}",
        "text.survey": "{brand}: оцените, пожалуйста, как мы помогли: {url}",
        "text.reminder": "{brand}: напоминаем — оцените, пожалуйста, нашу помощь: {url}",
        "alert": "Низкая оценка {label} {score}/{high} от клиента {name} ({where}){comment}. "
        "Открыт случай на разбор {case}.",
    },
    "en": {
        "title": "Your feedback",
        "question.csat": "How satisfied are you with the help you got?",
        "question.nps": "How likely are you to recommend us to a friend or colleague?",
        "question.ces": "How easy was it to get your issue resolved?",
        "low.csat": "Very dissatisfied",
        "high.csat": "Very satisfied",
        "low.nps": "Not at all likely",
        "high.nps": "Extremely likely",
        "low.ces": "Very difficult",
        "high.ces": "Very easy",
        "about": "About: {topic}",
        "comment": "Anything you would like to add?",
        "comment_hint": "Optional. What could we do better?",
        "send": "Send",
        "score_legend": "Score from {low} to {high}",
        "privacy": "Only our customer care team will see your answer.",
        "error.score_missing": "Please choose a score — one tap is enough.",
        "error.score_invalid": "That is not a score here: choose a number from {low} to {high}.",
        "error.comment_long": "The comment is longer than {limit} characters — please shorten it.",
        "error.form": "This page was open for a long time. Check your answer and send it again.",
        "thanks.title": "Thank you!",
        "thanks.body": "We have your score. It helps us get better.",
        "thanks.low": "We are sorry it did not go well. We will look into what happened.",
        "answered.title": "Already answered",
        "answered.body": "This survey has already been answered. Thank you for your time!",
        "expired.title": "This survey has expired",
        "expired.body": "This link no longer works. If you would like to tell us something, "
        "just write to us.",
        "unknown.title": "Survey not found",
        "unknown.body": "Please check the link: it may not have been copied completely.",
        "too_large.title": "That answer is too long",
        "too_large.body": "Please shorten the comment and send it again.",
        "email.subject": "How did we do? One click to tell us",
        "email.greeting": "Hello {name},",
        "email.greeting_anonymous": "Hello,",
        "email.body": "You recently contacted us{about}. Please tell us how we did: it takes "
        "a few seconds.",
        "email.button": "Rate us",
        "email.expires": "The link works until {date}.",
        "email.reminder_subject": "A reminder: how did we do?",
        "email.reminder_body": "We would be grateful for your score — it takes a few seconds.",
        "email.signature": "Kind regards, {brand}",
        "text.survey": "{brand}: please rate how we helped: {url}",
        "text.reminder": "{brand}: a reminder — please rate how we helped: {url}",
        "alert": "Low {label} score {score}/{high} from {name} ({where}){comment}. "
        "Review case {case} is open.",
    },
}


def language_of(code: str | None) -> str:
    return code if code in LANGUAGES else "en"


def text(language: str, key: str, **values: object) -> str:
    template = _TEXTS[language_of(language)][key]
    return template.format(**values) if values else template


def question(language: str, kind: SurveyKind | str) -> str:
    return text(language, f"question.{SurveyKind(kind).value}")


def scale_labels(language: str, kind: SurveyKind | str) -> tuple[str, str]:
    value = SurveyKind(kind).value
    return text(language, f"low.{value}"), text(language, f"high.{value}")

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU" sourcelanguage="en">
<context>
    <name>About</name>
    <message>
        <source>About Operator</source>
        <translation>О программе «Оператор»</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Система</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <source>The whole customer in one window.</source>
        <translation>Весь клиент в одном окне.</translation>
    </message>
</context>
<context>
    <name>AccountActions</name>
    <message>
        <source>You are signed out.</source>
        <translation>Вы вышли из системы.</translation>
    </message>
    <message>
        <source>You are signed out on this computer; the server could not be told (it ends the session when it expires).</source>
        <translation>Вы вышли на этом компьютере; сервер сообщить не удалось (он завершит сеанс, когда истечёт срок).</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Вход не выполнен</translation>
    </message>
    <message>
        <source>Not signed in — File › Sign in…</source>
        <translation>Вход не выполнен — Файл › Войти…</translation>
    </message>
    <message>
        <source>The cache was not wiped: {reason}</source>
        <translation>Кэш не очищен: {reason}</translation>
    </message>
    <message>
        <source>The local cache was wiped; downloading everything again.</source>
        <translation>Локальный кэш очищен; всё загружается заново.</translation>
    </message>
    <message>
        <source>The local cache was wiped; sign in to download it again.</source>
        <translation>Локальный кэш очищен; войдите, чтобы загрузить его заново.</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>The server cannot be reached. Nothing was changed; your edits are kept — try again when the connection is back.</source>
        <translation>Сервер недоступен. Ничего не изменено; ваши правки сохранены в форме — повторите, когда связь вернётся.</translation>
    </message>
    <message>
        <source>Your session has ended; sign in again, then retry.</source>
        <translation>Сеанс завершён; войдите снова и повторите.</translation>
    </message>
    <message>
        <source>Only admins may change this.</source>
        <translation>Изменять это могут только администраторы.</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>Reload this page from the server</source>
        <translation>Загрузить страницу с сервера заново</translation>
    </message>
    <message>
        <source>Show what is on the server now (edits not saved are dropped)</source>
        <translation>Показать то, что сейчас на сервере (несохранённые правки пропадут)</translation>
    </message>
    <message>
        <source>Page status</source>
        <translation>Состояние страницы</translation>
    </message>
    <message>
        <source>Loading from the server…</source>
        <translation>Загрузка с сервера…</translation>
    </message>
    <message>
        <source>The server cannot be asked right now.</source>
        <translation>Сейчас нельзя обратиться к серверу.</translation>
    </message>
    <message>
        <source>Something went wrong; see the log.</source>
        <translation>Что-то пошло не так; подробности в журнале.</translation>
    </message>
    <message>
        <source>Nothing was saved: the server refused the fields marked below.</source>
        <translation>Ничего не сохранено: сервер отклонил отмеченные ниже поля.</translation>
    </message>
</context>
<context>
    <name>Age</name>
    <message>
        <source>now</source>
        <translation>сейчас</translation>
    </message>
    <message numerus="yes">
        <source>in %n min</source>
        <translation>
            <numerusform>через %n мин</numerusform>
            <numerusform>через %n мин</numerusform>
            <numerusform>через %n мин</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n мин</numerusform>
            <numerusform>%n мин</numerusform>
            <numerusform>%n мин</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n h</source>
        <translation>
            <numerusform>через %n ч</numerusform>
            <numerusform>через %n ч</numerusform>
            <numerusform>через %n ч</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h</source>
        <translation>
            <numerusform>%n ч</numerusform>
            <numerusform>%n ч</numerusform>
            <numerusform>%n ч</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n day(s)</source>
        <translation>
            <numerusform>через %n день</numerusform>
            <numerusform>через %n дня</numerusform>
            <numerusform>через %n дней</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n день</numerusform>
            <numerusform>%n дня</numerusform>
            <numerusform>%n дней</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AppMenus</name>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Настройки…</translation>
    </message>
    <message>
        <source>Settings (Ctrl+,)</source>
        <translation>Настройки (Ctrl+,)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Открыть папку журналов</translation>
    </message>
    <message>
        <source>Save diagnostics…</source>
        <translation>Сохранить диагностику…</translation>
    </message>
    <message>
        <source>About Operator</source>
        <translation>О программе «Оператор»</translation>
    </message>
    <message>
        <source>Save diagnostics</source>
        <translation>Сохранение диагностики</translation>
    </message>
    <message>
        <source>Zip archives (*.zip)</source>
        <translation>Архивы ZIP (*.zip)</translation>
    </message>
    <message>
        <source>Diagnostics not saved: {reason}</source>
        <translation>Диагностика не сохранена: {reason}</translation>
    </message>
    <message>
        <source>Diagnostics saved to {path}</source>
        <translation>Диагностика сохранена в {path}</translation>
    </message>
</context>
<context>
    <name>AppShell</name>
    <message>
        <source>No customers yet: sign in (File › Sign in…) or try operator-app --demo</source>
        <translation>Клиентов пока нет: войдите (Файл › Войти…) или попробуйте operator-app --demo</translation>
    </message>
    <message>
        <source>Starting the demo server…</source>
        <translation>Запуск демо-сервера…</translation>
    </message>
    <message>
        <source>operator-app — demo</source>
        <translation>operator-app — демо</translation>
    </message>
</context>
<context>
    <name>AssistPanel</name>
    <message>
        <source>Sign in to a server (File › Sign in…) to record the customer&apos;s answers.</source>
        <translation>Войдите на сервер (Файл › Войти…), чтобы записывать ответы клиента.</translation>
    </message>
    <message>
        <source>open</source>
        <translation>открыто</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>ожидает</translation>
    </message>
    <message>
        <source>no marketing consent</source>
        <translation>нет согласия на рассылки</translation>
    </message>
    <message>
        <source>open complaint</source>
        <translation>открытая жалоба</translation>
    </message>
    <message>
        <source>recent low score</source>
        <translation>недавняя низкая оценка</translation>
    </message>
    <message>
        <source>this contact is a complaint</source>
        <translation>это обращение — жалоба</translation>
    </message>
    <message>
        <source>enough offers made in this contact</source>
        <translation>в этом обращении предложений уже достаточно</translation>
    </message>
    <message>
        <source>No offer fits this customer right now.</source>
        <translation>Сейчас этому клиенту ничего не подходит.</translation>
    </message>
    <message>
        <source>No offers: {reasons}</source>
        <translation>Предложений нет: {reasons}</translation>
    </message>
    <message>
        <source>Open a customer to see what needs attention.</source>
        <translation>Откройте клиента, чтобы увидеть, что требует внимания.</translation>
    </message>
    <message>
        <source>No topic</source>
        <translation>Без темы</translation>
    </message>
    <message>
        <source>assigned to {name}</source>
        <translation>назначено: {name}</translation>
    </message>
    <message>
        <source>unassigned</source>
        <translation>не назначено</translation>
    </message>
    <message>
        <source>Offers</source>
        <translation>Предложения</translation>
    </message>
    <message>
        <source>At most three offers that fit this customer (Alt+1…3)</source>
        <translation>До трёх предложений, подходящих этому клиенту (Alt+1…3)</translation>
    </message>
    <message>
        <source>Why there are no offers</source>
        <translation>Почему нет предложений</translation>
    </message>
    <message>
        <source>Offers · {n}</source>
        <translation>Предложения · {n}</translation>
    </message>
    <message>
        <source>Assist panel</source>
        <translation>Панель подсказок</translation>
    </message>
    <message>
        <source>Assist</source>
        <translation>Подсказки</translation>
    </message>
    <message>
        <source>Assist panel content</source>
        <translation>Содержимое панели подсказок</translation>
    </message>
    <message>
        <source>Assist panel status</source>
        <translation>Состояние панели подсказок</translation>
    </message>
    <message>
        <source>Heads-up</source>
        <translation>Обратите внимание</translation>
    </message>
    <message>
        <source>Subscriptions, warranties and support ending within 30 days</source>
        <translation>Подписки, гарантии и поддержка, которые заканчиваются в ближайшие 30 дней</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Предупреждения</translation>
    </message>
    <message>
        <source>Nothing ends in the next 30 days.</source>
        <translation>В ближайшие 30 дней ничего не заканчивается.</translation>
    </message>
    <message>
        <source>Open conversations</source>
        <translation>Открытые обращения</translation>
    </message>
    <message>
        <source>Open conversations of this customer</source>
        <translation>Открытые обращения этого клиента</translation>
    </message>
    <message>
        <source>No open conversations.</source>
        <translation>Открытых обращений нет.</translation>
    </message>
</context>
<context>
    <name>CardFacts</name>
    <message>
        <source>Subscription ends {when}</source>
        <translation>Подписка заканчивается {when}</translation>
    </message>
    <message>
        <source>Warranty ends {when}</source>
        <translation>Гарантия заканчивается {when}</translation>
    </message>
    <message>
        <source>Support ends {when}</source>
        <translation>Поддержка заканчивается {when}</translation>
    </message>
    <message>
        <source>Coverage ends {when}</source>
        <translation>Обслуживание заканчивается {when}</translation>
    </message>
    <message>
        <source>today</source>
        <translation>сегодня</translation>
    </message>
    <message>
        <source>tomorrow</source>
        <translation>завтра</translation>
    </message>
    <message numerus="yes">
        <source>in %n day(s)</source>
        <translation>
            <numerusform>через %n день</numerusform>
            <numerusform>через %n дня</numerusform>
            <numerusform>через %n дней</numerusform>
        </translation>
    </message>
    <message>
        <source>renews automatically</source>
        <translation>продлевается автоматически</translation>
    </message>
    <message numerus="yes">
        <source>Birthday today — turns %n</source>
        <translation>
            <numerusform>День рождения сегодня — исполняется %n год</numerusform>
            <numerusform>День рождения сегодня — исполняется %n года</numerusform>
            <numerusform>День рождения сегодня — исполняется %n лет</numerusform>
        </translation>
    </message>
    <message>
        <source>Birthday {when} ({age})</source>
        <translation>День рождения {when} ({age})</translation>
    </message>
    <message>
        <source>Birthday on {date}</source>
        <translation>День рождения {date}</translation>
    </message>
    <message numerus="yes">
        <source>Customer for %n year(s) (since {year})</source>
        <translation>
            <numerusform>Клиент %n год (с {year})</numerusform>
            <numerusform>Клиент %n года (с {year})</numerusform>
            <numerusform>Клиент %n лет (с {year})</numerusform>
        </translation>
    </message>
    <message>
        <source>New customer this year</source>
        <translation>Новый клиент в этом году</translation>
    </message>
</context>
<context>
    <name>Channel</name>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Web chat</source>
        <translation>Веб-чат</translation>
    </message>
    <message>
        <source>WhatsApp</source>
        <translation>WhatsApp</translation>
    </message>
    <message>
        <source>Telegram</source>
        <translation>Telegram</translation>
    </message>
    <message>
        <source>VK</source>
        <translation>ВКонтакте</translation>
    </message>
    <message>
        <source>Instagram</source>
        <translation>Instagram</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>In person / other</source>
        <translation>Лично / другое</translation>
    </message>
</context>
<context>
    <name>ChannelPicker</name>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Web chat</source>
        <translation>Веб-чат</translation>
    </message>
    <message>
        <source>VK</source>
        <translation>ВКонтакте</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>In person and other</source>
        <translation>Лично и другое</translation>
    </message>
    <message>
        <source>Tick the channels; none ticked: all channels</source>
        <translation>Отметьте каналы; ничего не отмечено — все каналы</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>Все каналы</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Write</source>
        <translation>Написать</translation>
    </message>
    <message>
        <source>Note or reply to</source>
        <translation>Заметка или ответ в обращении</translation>
    </message>
    <message>
        <source>A note for colleagues, or a reply in a conversation</source>
        <translation>Заметка для коллег или ответ клиенту в обращении</translation>
    </message>
    <message>
        <source>Note or reply text</source>
        <translation>Текст заметки или ответа</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <source>Save the note or reply (Ctrl+Enter)</source>
        <translation>Сохранить заметку или ответ (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Follow up on</source>
        <translation>Напомнить</translation>
    </message>
    <message>
        <source>Follow up on a date</source>
        <translation>Напомнить в выбранный день</translation>
    </message>
    <message>
        <source>Next follow-up date</source>
        <translation>Дата следующего напоминания</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Решено</translation>
    </message>
    <message>
        <source>Mark the conversation resolved (Ctrl+Shift+R)</source>
        <translation>Отметить обращение решённым (Ctrl+Shift+R)</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Ждём</translation>
    </message>
    <message>
        <source>Waiting for the customer (Ctrl+Shift+P)</source>
        <translation>Ждём ответа клиента (Ctrl+Shift+P)</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Открыть</translation>
    </message>
    <message>
        <source>Reopen the conversation resolved last (Ctrl+Shift+O)</source>
        <translation>Снова открыть последнее решённое обращение (Ctrl+Shift+O)</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>Внутренняя заметка</translation>
    </message>
    <message>
        <source>Reply: {topic}</source>
        <translation>Ответ: {topic}</translation>
    </message>
    <message>
        <source>No topic</source>
        <translation>Без темы</translation>
    </message>
    <message>
        <source>Type a reply to the customer… (Ctrl+Enter sends)</source>
        <translation>Ответ клиенту… (Ctrl+Enter — отправить)</translation>
    </message>
    <message>
        <source>Type a note for colleagues… (Ctrl+Enter sends)</source>
        <translation>Заметка для коллег… (Ctrl+Enter — отправить)</translation>
    </message>
</context>
<context>
    <name>Coverage</name>
    <message>
        <source>Subscription</source>
        <translation>Подписка</translation>
    </message>
    <message>
        <source>Warranty</source>
        <translation>Гарантия</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>Поддержка</translation>
    </message>
</context>
<context>
    <name>CustomerCard</name>
    <message>
        <source>No phone or e-mail on file</source>
        <translation>Нет ни телефона, ни почты</translation>
    </message>
    <message>
        <source>Came via {channel}</source>
        <translation>Пришёл через: {channel}</translation>
    </message>
    <message>
        <source>Local time {time}</source>
        <translation>Местное время {time}</translation>
    </message>
    <message>
        <source>Time zone: {zone}</source>
        <translation>Часовой пояс: {zone}</translation>
    </message>
    <message>
        <source>marketing allowed</source>
        <translation>рассылки разрешены</translation>
    </message>
    <message>
        <source>no marketing</source>
        <translation>без рассылок</translation>
    </message>
    <message>
        <source>Contact consent: {channels}  ·  {marketing}</source>
        <translation>Согласие на связь: {channels}  ·  {marketing}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>Milestone</source>
        <translation>Событие</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Метка</translation>
    </message>
    <message>
        <source>More tags</source>
        <translation>Ещё метки</translation>
    </message>
    <message>
        <source>Recent purchases</source>
        <translation>Последние покупки</translation>
    </message>
    <message>
        <source>{shown} of {total}</source>
        <translation>{shown} из {total}</translation>
    </message>
    <message>
        <source>No orders yet</source>
        <translation>Заказов пока нет</translation>
    </message>
    <message>
        <source>ends {when}</source>
        <translation>заканчивается {when}</translation>
    </message>
    <message>
        <source>Nothing active</source>
        <translation>Ничего не действует</translation>
    </message>
    <message>
        <source>Nothing left unfinished</source>
        <translation>Незавершённых покупок нет</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <source>No contacts yet</source>
        <translation>Контактов пока не было</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) · newest first</source>
        <translation>
            <numerusform>%n запись · сначала новые</numerusform>
            <numerusform>%n записи · сначала новые</numerusform>
            <numerusform>%n записей · сначала новые</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n+ item(s) · newest first</source>
        <translation>
            <numerusform>%n+ запись · сначала новые</numerusform>
            <numerusform>%n+ записи · сначала новые</numerusform>
            <numerusform>%n+ записей · сначала новые</numerusform>
        </translation>
    </message>
    <message>
        <source>Customer card</source>
        <translation>Карточка клиента</translation>
    </message>
    <message>
        <source>Customer initials</source>
        <translation>Инициалы клиента</translation>
    </message>
    <message>
        <source>Customer name</source>
        <translation>Имя клиента</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Уровень</translation>
    </message>
    <message>
        <source>Loyalty tier</source>
        <translation>Уровень лояльности</translation>
    </message>
    <message>
        <source>Phones and e-mails</source>
        <translation>Телефоны и почта</translation>
    </message>
    <message>
        <source>Origin, language and local time</source>
        <translation>Откуда пришёл, язык и местное время</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>Согласие</translation>
    </message>
    <message>
        <source>Channels the customer agreed to be contacted on</source>
        <translation>Каналы, по которым клиент согласился на связь</translation>
    </message>
    <message>
        <source>Segment, milestones and tags</source>
        <translation>Сегмент, события и метки</translation>
    </message>
    <message>
        <source>Value segment</source>
        <translation>Сегмент ценности</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>Сегмент</translation>
    </message>
    <message>
        <source>Customer segment</source>
        <translation>Сегмент клиента</translation>
    </message>
    <message>
        <source>Customer value</source>
        <translation>Ценность клиента</translation>
    </message>
    <message>
        <source>Paid orders minus refunds</source>
        <translation>Оплаченные заказы за вычетом возвратов</translation>
    </message>
    <message>
        <source>Historical CLV</source>
        <translation>CLV за всё время</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Predicted CLV, 12 months</source>
        <translation>Прогноз CLV, год</translation>
    </message>
    <message>
        <source>Predicted CLV</source>
        <translation>Прогноз CLV</translation>
    </message>
    <message>
        <source>Likely still active</source>
        <translation>Ещё активен</translation>
    </message>
    <message>
        <source>Most recent survey answers</source>
        <translation>Последние ответы на опросы</translation>
    </message>
    <message>
        <source>Last CSAT / NPS</source>
        <translation>CSAT / NPS</translation>
    </message>
    <message>
        <source>Complaints not resolved yet</source>
        <translation>Жалобы, которые ещё не решены</translation>
    </message>
    <message>
        <source>Open complaints</source>
        <translation>Открытые жалобы</translation>
    </message>
    <message>
        <source>Purchases and coverage</source>
        <translation>Покупки и обслуживание</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Заказ</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Ending within 30 days is highlighted</source>
        <translation>Заканчивающиеся в ближайшие 30 дней выделены</translation>
    </message>
    <message>
        <source>Subscriptions and warranties</source>
        <translation>Подписки и гарантии</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Товар</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Вид</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>До</translation>
    </message>
    <message>
        <source>Products left in a cart or abandoned at checkout</source>
        <translation>Товары, оставленные в корзине или брошенные при оформлении</translation>
    </message>
    <message>
        <source>Unfinished purchases</source>
        <translation>Незавершённые покупки</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Этап</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>История</translation>
    </message>
    <message>
        <source>Timeline status</source>
        <translation>Состояние истории</translation>
    </message>
    <message>
        <source>Every contact, newest first (Ctrl+T). PageDown scrolls; older items load as you go.</source>
        <translation>Все контакты, сначала новые (Ctrl+T). PageDown листает; более старые записи подгружаются по ходу.</translation>
    </message>
</context>
<context>
    <name>Dashboards</name>
    <message>
        <source>Dashboards</source>
        <translation>Показатели</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Период</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Последние 7 дней</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Последние 30 дней</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>Последние 90 дней</translation>
    </message>
    <message>
        <source>Points over time</source>
        <translation>Точки на графике</translation>
    </message>
    <message>
        <source>By day</source>
        <translation>По дням</translation>
    </message>
    <message>
        <source>By week</source>
        <translation>По неделям</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Сравнить</translation>
    </message>
    <message>
        <source>Per operator</source>
        <translation>По операторам</translation>
    </message>
    <message>
        <source>Per channel</source>
        <translation>По каналам</translation>
    </message>
    <message>
        <source>Loading figures</source>
        <translation>Загрузка показателей</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Обновить</translation>
    </message>
    <message>
        <source>Refresh the figures</source>
        <translation>Обновить показатели</translation>
    </message>
    <message>
        <source>Load the figures again (Alt+R)</source>
        <translation>Загрузить показатели заново (Alt+R)</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>&amp;Экспорт в CSV…</translation>
    </message>
    <message>
        <source>Export the figures as CSV</source>
        <translation>Экспортировать показатели в CSV</translation>
    </message>
    <message>
        <source>Save the figures shown as a CSV file (Alt+E)</source>
        <translation>Сохранить показанные цифры в файл CSV (Alt+E)</translation>
    </message>
    <message>
        <source>Dashboards status</source>
        <translation>Состояние показателей</translation>
    </message>
    <message>
        <source>CSAT</source>
        <translation>CSAT</translation>
    </message>
    <message>
        <source>Share of answers 4–5 on 1–5</source>
        <translation>Доля оценок 4–5 по шкале 1–5</translation>
    </message>
    <message>
        <source>NPS</source>
        <translation>NPS</translation>
    </message>
    <message>
        <source>% promoters (9–10) − % detractors (0–6)</source>
        <translation>% промоутеров (9–10) − % критиков (0–6)</translation>
    </message>
    <message>
        <source>CES</source>
        <translation>CES</translation>
    </message>
    <message>
        <source>Mean on 1–7, 7 = very easy</source>
        <translation>Среднее по шкале 1–7, 7 — очень легко</translation>
    </message>
    <message>
        <source>Low scores</source>
        <translation>Низкие оценки</translation>
    </message>
    <message>
        <source>Answers at or below the low-score thresholds</source>
        <translation>Ответы на уровне порога низкой оценки или ниже</translation>
    </message>
    <message>
        <source>Median time to resolve</source>
        <translation>Медианное время решения</translation>
    </message>
    <message>
        <source>Review cases resolved in the period: median time from opening</source>
        <translation>Разборы, закрытые за период: медианное время от открытия</translation>
    </message>
    <message>
        <source>First response within SLA</source>
        <translation>Первый ответ в рамках SLA</translation>
    </message>
    <message>
        <source>Conversations answered within their channel&apos;s SLA</source>
        <translation>Обращения, на которые ответили в рамках SLA своего канала</translation>
    </message>
    <message>
        <source>FCR</source>
        <translation>FCR</translation>
    </message>
    <message>
        <source>Resolved with no new contact within the policy&apos;s window</source>
        <translation>Решено без повторного обращения в течение срока из политики</translation>
    </message>
    <message>
        <source>Offer acceptance</source>
        <translation>Принятие предложений</translation>
    </message>
    <message>
        <source>Accepted / answered offers</source>
        <translation>Принятые / отвеченные предложения</translation>
    </message>
    <message>
        <source>CSAT over time</source>
        <translation>CSAT по времени</translation>
    </message>
    <message>
        <source>Share of satisfied answers (4–5 of 5)</source>
        <translation>Доля довольных ответов (4–5 из 5)</translation>
    </message>
    <message>
        <source>NPS over time</source>
        <translation>NPS по времени</translation>
    </message>
    <message>
        <source>Promoters minus detractors, −100 to 100</source>
        <translation>Промоутеры минус критики, от −100 до 100</translation>
    </message>
    <message>
        <source>CES over time</source>
        <translation>CES по времени</translation>
    </message>
    <message>
        <source>Mean effort score, 7 = very easy</source>
        <translation>Средняя оценка усилий, 7 — очень легко</translation>
    </message>
    <message>
        <source>First-contact resolution over time</source>
        <translation>Решение с первого обращения по времени</translation>
    </message>
    <message>
        <source>Resolved conversations the customer did not come back about</source>
        <translation>Решённые обращения, по которым клиент не вернулся</translation>
    </message>
    <message>
        <source>Low scores and review cases</source>
        <translation>Низкие оценки и разборы</translation>
    </message>
    <message>
        <source>Low scores received and review cases resolved</source>
        <translation>Полученные низкие оценки и закрытые разборы</translation>
    </message>
    <message>
        <source>First response within SLA per channel</source>
        <translation>Первый ответ в рамках SLA по каналам</translation>
    </message>
    <message>
        <source>Each channel against its own SLA (admin policy)</source>
        <translation>Каждый канал по своему SLA (политика администратора)</translation>
    </message>
    <message>
        <source>CSAT and FCR per operator</source>
        <translation>CSAT и FCR по операторам</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <source>Sign in to a server to see the dashboards.</source>
        <translation>Войдите на сервер, чтобы увидеть показатели.</translation>
    </message>
    <message>
        <source>Dashboards are for supervisors and admins; the server refused them to your account.</source>
        <translation>Показатели доступны супервайзерам и администраторам; для вашей учётной записи сервер их не выдал.</translation>
    </message>
    <message>
        <source>The figures could not be loaded: {error}</source>
        <translation>Не удалось загрузить показатели: {error}</translation>
    </message>
    <message>
        <source>The figures could not be shown; see the log.</source>
        <translation>Не удалось показать показатели; подробности в журнале.</translation>
    </message>
    <message>
        <source>Loading figures…</source>
        <translation>Загрузка показателей…</translation>
    </message>
    <message>
        <source>Within SLA, %</source>
        <translation>В рамках SLA, %</translation>
    </message>
    <message>
        <source>% within SLA</source>
        <translation>% в рамках SLA</translation>
    </message>
    <message>
        <source>No conversations opened in this period.</source>
        <translation>За этот период обращений не было.</translation>
    </message>
    <message>
        <source>CSAT and FCR per channel</source>
        <translation>CSAT и FCR по каналам</translation>
    </message>
    <message>
        <source>CSAT, %</source>
        <translation>CSAT, %</translation>
    </message>
    <message>
        <source>FCR, %</source>
        <translation>FCR, %</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>No answers or resolved conversations in this period.</source>
        <translation>За этот период нет ни ответов, ни решённых обращений.</translation>
    </message>
    <message>
        <source>{first} – {last} (UTC): {answers}, {conversations}</source>
        <translation>{first} – {last} (UTC): {answers}, {conversations}</translation>
    </message>
    <message numerus="yes">
        <source>%n survey answer(s)</source>
        <translation>
            <numerusform>%n ответ на опрос</numerusform>
            <numerusform>%n ответа на опросы</numerusform>
            <numerusform>%n ответов на опросы</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n обращение</numerusform>
            <numerusform>%n обращения</numerusform>
            <numerusform>%n обращений</numerusform>
        </translation>
    </message>
    <message>
        <source>No survey answers in this period.</source>
        <translation>За этот период ответов на опросы нет.</translation>
    </message>
    <message>
        <source>1–7</source>
        <translation>1–7</translation>
    </message>
    <message>
        <source>No conversations resolved in this period.</source>
        <translation>За этот период решённых обращений нет.</translation>
    </message>
    <message>
        <source>No low scores in this period.</source>
        <translation>За этот период низких оценок нет.</translation>
    </message>
    <message>
        <source>Review cases resolved</source>
        <translation>Закрытые разборы</translation>
    </message>
    <message>
        <source>count</source>
        <translation>количество</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Неизвестно</translation>
    </message>
    <message>
        <source>{channel} (SLA {sla})</source>
        <translation>{channel} (SLA {sla})</translation>
    </message>
    <message>
        <source>Export dashboards as CSV</source>
        <translation>Экспорт показателей в CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файлы CSV (*.csv)</translation>
    </message>
    <message>
        <source>The CSV could not be saved to {path}: {error}</source>
        <translation>Не удалось сохранить CSV в {path}: {error}</translation>
    </message>
    <message numerus="yes">
        <source>Saved %n row(s) to {path}.</source>
        <translation>
            <numerusform>Сохранена %n строка в {path}.</numerusform>
            <numerusform>Сохранено %n строки в {path}.</numerusform>
            <numerusform>Сохранено %n строк в {path}.</numerusform>
        </translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} мин</translation>
    </message>
    <message>
        <source>{hours} h</source>
        <translation>{hours} ч</translation>
    </message>
    <message>
        <source>{days} d</source>
        <translation>{days} дн.</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} с</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Не назначено</translation>
    </message>
    <message>
        <source>Figures per operator or channel</source>
        <translation>Показатели по операторам или каналам</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <source>Answers</source>
        <translation>Ответы</translation>
    </message>
    <message>
        <source>Cases resolved</source>
        <translation>Закрыто разборов</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <source>Nothing to compare in this period.</source>
        <translation>За этот период сравнивать нечего.</translation>
    </message>
    <message>
        <source>Acceptance = accepted ÷ (accepted + declined + not now); offers only shown are counted but not rated.</source>
        <translation>Принятие = принято ÷ (принято + отказ + не сейчас); предложения, которые только показали, учитываются, но не оцениваются.</translation>
    </message>
    <message>
        <source>Offer acceptance by</source>
        <translation>Принятие предложений в разрезе</translation>
    </message>
    <message>
        <source>By rule</source>
        <translation>По правилам</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Правило</translation>
    </message>
    <message>
        <source>By operator</source>
        <translation>По операторам</translation>
    </message>
    <message>
        <source>By segment</source>
        <translation>По сегментам</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>Сегмент</translation>
    </message>
    <message>
        <source>Offer acceptance {by}</source>
        <translation>Принятие предложений {by}</translation>
    </message>
    <message>
        <source>Offers</source>
        <translation>Предложения</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Принято</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>Отказ</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Не сейчас</translation>
    </message>
    <message>
        <source>Acceptance</source>
        <translation>Принятие</translation>
    </message>
    <message>
        <source>No offers were made in this period.</source>
        <translation>За этот период предложений не было.</translation>
    </message>
</context>
<context>
    <name>DbWorker</name>
    <message>
        <source>Could not read the local cache: {reason}</source>
        <translation>Не удалось прочитать локальный кэш: {reason}</translation>
    </message>
</context>
<context>
    <name>DemoServer</name>
    <message>
        <source>Demo without a server: install operator-app[server] to sync with a live demo server.</source>
        <translation>Демо без сервера: установите operator-app[server], чтобы синхронизироваться с живым демо-сервером.</translation>
    </message>
</context>
<context>
    <name>Desktop</name>
    <message>
        <source>Show &amp;logs</source>
        <translation>Показать &amp;журнал</translation>
    </message>
    <message>
        <source>Show the app&apos;s log (Ctrl+Shift+F12)</source>
        <translation>Показать журнал приложения (Ctrl+Shift+F12)</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <source>Find a customer</source>
        <translation>Найти клиента</translation>
    </message>
    <message>
        <source>Walk the results</source>
        <translation>Перейти по результатам</translation>
    </message>
    <message>
        <source>Open the card</source>
        <translation>Открыть карточку</translation>
    </message>
    <message>
        <source>Back to search</source>
        <translation>Назад к поиску</translation>
    </message>
    <message>
        <source>Left, centre, right panel</source>
        <translation>Левая, центральная, правая панель</translation>
    </message>
    <message>
        <source>Next panel</source>
        <translation>Следующая панель</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>История</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Сочетания клавиш</translation>
    </message>
    <message>
        <source>Who is calling?</source>
        <translation>Кто звонит?</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) share {number}. Pick one on the left: ↑ ↓ and Enter.</source>
        <translation>
            <numerusform>Номер {number} есть у %n клиента. Выберите слева: ↑ ↓ и Enter.</numerusform>
            <numerusform>Номер {number} есть у %n клиентов. Выберите слева: ↑ ↓ и Enter.</numerusform>
            <numerusform>Номер {number} есть у %n клиентов. Выберите слева: ↑ ↓ и Enter.</numerusform>
        </translation>
    </message>
    <message>
        <source>No customer open</source>
        <translation>Клиент не открыт</translation>
    </message>
    <message>
        <source>Type a name, a phone number in any format, an e-mail, an order or contract number.</source>
        <translation>Введите имя, телефон в любом формате, почту, номер заказа или договора.</translation>
    </message>
</context>
<context>
    <name>Interest</name>
    <message>
        <source>Viewed</source>
        <translation>Смотрел</translation>
    </message>
    <message>
        <source>In cart</source>
        <translation>В корзине</translation>
    </message>
    <message>
        <source>Abandoned at checkout</source>
        <translation>Брошено при оформлении</translation>
    </message>
    <message>
        <source>Bought</source>
        <translation>Куплено</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Упущено</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>Russian</source>
        <translation>Русский</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Английский</translation>
    </message>
    <message>
        <source>Kazakh</source>
        <translation>Казахский</translation>
    </message>
    <message>
        <source>Ukrainian</source>
        <translation>Украинский</translation>
    </message>
</context>
<context>
    <name>LiveSettings</name>
    <message>
        <source>{keys} is already used by “{owner}”; “{action}” keeps its old shortcut.</source>
        <translation>{keys} уже занято командой «{owner}»; у «{action}» остаётся прежнее сочетание.</translation>
    </message>
    <message>
        <source>{action} ({keys})</source>
        <translation>{action} ({keys})</translation>
    </message>
    <message>
        <source>Start automatically could not be changed: {error}</source>
        <translation>Не удалось изменить автозапуск: {error}</translation>
    </message>
</context>
<context>
    <name>LogViewer</name>
    <message>
        <source>Operator — log</source>
        <translation>Оператор — журнал</translation>
    </message>
    <message>
        <source>Log viewer</source>
        <translation>Просмотр журнала</translation>
    </message>
    <message>
        <source>All messages</source>
        <translation>Все сообщения</translation>
    </message>
    <message>
        <source>Information and above</source>
        <translation>Сведения и важнее</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Предупреждения и ошибки</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Только ошибки</translation>
    </message>
    <message>
        <source>Show messages of level</source>
        <translation>Показывать сообщения уровня</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>&amp;Показать:</translation>
    </message>
    <message>
        <source>Filter by text (Ctrl+F)</source>
        <translation>Фильтр по тексту (Ctrl+F)</translation>
    </message>
    <message>
        <source>Filter by text</source>
        <translation>Фильтр по тексту</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Перечитать</translation>
    </message>
    <message>
        <source>Read the log file again (F5)</source>
        <translation>Перечитать файл журнала (F5)</translation>
    </message>
    <message>
        <source>Reload the log</source>
        <translation>Перечитать журнал</translation>
    </message>
    <message>
        <source>Log messages</source>
        <translation>Сообщения журнала</translation>
    </message>
    <message>
        <source>About the log file</source>
        <translation>О файле журнала</translation>
    </message>
    <message>
        <source>Open log &amp;folder</source>
        <translation>Открыть &amp;папку журналов</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Открыть папку журналов</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Копировать</translation>
    </message>
    <message>
        <source>Copy the selected lines, or everything shown</source>
        <translation>Копировать выделенные строки или всё показанное</translation>
    </message>
    <message>
        <source>Copy log text</source>
        <translation>Копировать текст журнала</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Закрыть (Esc)</translation>
    </message>
    <message>
        <source>Close the log viewer</source>
        <translation>Закрыть просмотр журнала</translation>
    </message>
    <message>
        <source>The log cannot be read: {error}</source>
        <translation>Журнал не читается: {error}</translation>
    </message>
    <message>
        <source>No log yet in {folder}</source>
        <translation>В {folder} журнала пока нет</translation>
    </message>
    <message>
        <source>The last {kb} KB of {file}</source>
        <translation>Последние {kb} КБ файла {file}</translation>
    </message>
    <message>
        <source>No messages match.</source>
        <translation>Подходящих сообщений нет.</translation>
    </message>
    <message>
        <source>The log is empty.</source>
        <translation>Журнал пуст.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>“{text}” is not a phone number</source>
        <translation>«{text}» — не номер телефона</translation>
    </message>
    <message>
        <source>That customer is not in the local cache</source>
        <translation>Этого клиента нет в локальном кэше</translation>
    </message>
    <message>
        <source>Pending changes: {count}</source>
        <translation>Не отправлено: {count}</translation>
    </message>
    <message>
        <source>Local changes waiting to be sent to the server</source>
        <translation>Локальные изменения ждут отправки на сервер</translation>
    </message>
    <message>
        <source>Everything you changed has reached the server</source>
        <translation>Все ваши изменения дошли до сервера</translation>
    </message>
    <message>
        <source>never</source>
        <translation>никогда</translation>
    </message>
    <message>
        <source>Last sync: {time}</source>
        <translation>Синхронизация: {time}</translation>
    </message>
    <message>
        <source>Save the customer (sent to the server when online)</source>
        <translation>Сохранить клиента (уйдёт на сервер, когда будет связь)</translation>
    </message>
    <message>
        <source>Operator (demo)</source>
        <translation>Оператор (демо)</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <source>Connection to the server</source>
        <translation>Связь с сервером</translation>
    </message>
    <message>
        <source>Signed-in user and role</source>
        <translation>Пользователь и роль</translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation>Состояние связи</translation>
    </message>
    <message>
        <source>Pending local changes</source>
        <translation>Неотправленные изменения</translation>
    </message>
    <message>
        <source>Last sync time</source>
        <translation>Время последней синхронизации</translation>
    </message>
    <message>
        <source>Worklist and search</source>
        <translation>Списки и поиск</translation>
    </message>
    <message>
        <source>Customer card</source>
        <translation>Карточка клиента</translation>
    </message>
    <message>
        <source>Assist panel</source>
        <translation>Панель подсказок</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Тема</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>&amp;Переход</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Обновить</translation>
    </message>
    <message>
        <source>Reload the worklists and the open card (F5)</source>
        <translation>Перечитать списки и открытую карточку (F5)</translation>
    </message>
    <message>
        <source>F5</source>
        <translation>F5</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <source>&amp;Find customer</source>
        <translation>&amp;Найти клиента</translation>
    </message>
    <message>
        <source>Search by name, phone, e-mail, order or contract number (Ctrl+F, F3)</source>
        <translation>Поиск по имени, телефону, почте, номеру заказа или договора (Ctrl+F, F3)</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>&amp;Worklist and search</source>
        <translation>&amp;Списки и поиск</translation>
    </message>
    <message>
        <source>Move to the left panel (Ctrl+1)</source>
        <translation>Перейти в левую панель (Ctrl+1)</translation>
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <source>&amp;Customer card</source>
        <translation>&amp;Карточка клиента</translation>
    </message>
    <message>
        <source>Move to the customer card (Ctrl+2)</source>
        <translation>Перейти в карточку клиента (Ctrl+2)</translation>
    </message>
    <message>
        <source>Ctrl+2</source>
        <translation>Ctrl+2</translation>
    </message>
    <message>
        <source>&amp;Assist panel</source>
        <translation>Панель &amp;подсказок</translation>
    </message>
    <message>
        <source>Move to the assist panel (Ctrl+3)</source>
        <translation>Перейти в панель подсказок (Ctrl+3)</translation>
    </message>
    <message>
        <source>Ctrl+3</source>
        <translation>Ctrl+3</translation>
    </message>
    <message>
        <source>&amp;Next panel</source>
        <translation>С&amp;ледующая панель</translation>
    </message>
    <message>
        <source>Cycle left → centre → right (Ctrl+L, F6)</source>
        <translation>По кругу: левая → центр → правая (Ctrl+L, F6)</translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Светлая</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Тёмная</translation>
    </message>
    <message>
        <source>Follow &amp;system</source>
        <translation>Как в с&amp;истеме</translation>
    </message>
    <message>
        <source>&amp;Back to search</source>
        <translation>Наза&amp;д к поиску</translation>
    </message>
    <message>
        <source>Return to the search box (Alt+Left, Esc)</source>
        <translation>Вернуться в строку поиска (Alt+Left, Esc)</translation>
    </message>
    <message>
        <source>Alt+Left</source>
        <translation>Alt+Left</translation>
    </message>
    <message>
        <source>&amp;Timeline</source>
        <translation>&amp;История</translation>
    </message>
    <message>
        <source>Move to the customer&apos;s timeline (Ctrl+T)</source>
        <translation>Перейти к истории клиента (Ctrl+T)</translation>
    </message>
    <message>
        <source>Ctrl+T</source>
        <translation>Ctrl+T</translation>
    </message>
    <message>
        <source>&amp;My open contacts</source>
        <translation>&amp;Мои открытые обращения</translation>
    </message>
    <message>
        <source>Ctrl+Shift+1</source>
        <translation>Ctrl+Shift+1</translation>
    </message>
    <message>
        <source>&amp;Follow-ups due today</source>
        <translation>&amp;Напоминания на сегодня</translation>
    </message>
    <message>
        <source>Ctrl+Shift+2</source>
        <translation>Ctrl+Shift+2</translation>
    </message>
    <message>
        <source>&amp;Waiting for our reply</source>
        <translation>&amp;Ждут нашего ответа</translation>
    </message>
    <message>
        <source>Ctrl+Shift+3</source>
        <translation>Ctrl+Shift+3</translation>
    </message>
</context>
<context>
    <name>Moment</name>
    <message>
        <source>Yesterday {time}</source>
        <translation>Вчера {time}</translation>
    </message>
</context>
<context>
    <name>NewCustomerForm</name>
    <message>
        <source>Available when connected to a server</source>
        <translation>Доступно при подключении к серверу</translation>
    </message>
    <message>
        <source>Enter the caller&apos;s last or first name.</source>
        <translation>Введите фамилию или имя звонящего.</translation>
    </message>
    <message>
        <source>Enter a valid phone number.</source>
        <translation>Введите правильный номер телефона.</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>Новый клиент</translation>
    </message>
    <message>
        <source>Fill in what the caller tells you. Fields can be completed later.</source>
        <translation>Заполните то, что говорит звонящий. Остальное можно дополнить позже.</translation>
    </message>
    <message>
        <source>&amp;Last name</source>
        <translation>&amp;Фамилия</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>Фамилия</translation>
    </message>
    <message>
        <source>&amp;First name</source>
        <translation>&amp;Имя</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>&amp;Middle name</source>
        <translation>&amp;Отчество</translation>
    </message>
    <message>
        <source>Middle name</source>
        <translation>Отчество</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>необязательно</translation>
    </message>
    <message>
        <source>&amp;Phone</source>
        <translation>&amp;Телефон</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>&amp;E-mail</source>
        <translation>&amp;Почта</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Cancel new customer</source>
        <translation>Отменить создание клиента</translation>
    </message>
    <message>
        <source>Back to the caller&apos;s number (Esc)</source>
        <translation>Назад к номеру звонящего (Esc)</translation>
    </message>
    <message>
        <source>Save customer</source>
        <translation>Сохранить клиента</translation>
    </message>
</context>
<context>
    <name>OfferCard</name>
    <message>
        <source>Too expensive</source>
        <translation>Дорого</translation>
    </message>
    <message>
        <source>Not interested</source>
        <translation>Не интересно</translation>
    </message>
    <message>
        <source>Already has it or a similar one</source>
        <translation>Уже есть это или похожее</translation>
    </message>
    <message>
        <source>Not the right moment</source>
        <translation>Не время</translation>
    </message>
    <message>
        <source>Other (say why)</source>
        <translation>Другое (укажите причину)</translation>
    </message>
    <message>
        <source>What you can say to the customer</source>
        <translation>Что можно сказать клиенту</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Принять</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Позже</translation>
    </message>
    <message>
        <source>Decline…</source>
        <translation>Отказ…</translation>
    </message>
    <message>
        <source>Why did the customer decline?</source>
        <translation>Почему клиент отказался?</translation>
    </message>
    <message>
        <source>Decline reason</source>
        <translation>Причина отказа</translation>
    </message>
    <message>
        <source>Details (optional)</source>
        <translation>Подробности (необязательно)</translation>
    </message>
    <message>
        <source>Decline details</source>
        <translation>Подробности отказа</translation>
    </message>
    <message>
        <source>Decline offer</source>
        <translation>Записать отказ</translation>
    </message>
    <message>
        <source>Record the decline (Enter)</source>
        <translation>Сохранить отказ (Enter)</translation>
    </message>
    <message>
        <source>Confirm decline</source>
        <translation>Подтвердить отказ</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Keep the offer (Esc)</source>
        <translation>Оставить предложение (Esc)</translation>
    </message>
    <message>
        <source>Cancel decline</source>
        <translation>Отменить отказ</translation>
    </message>
    <message>
        <source>Alt+{n} focuses this offer</source>
        <translation>Alt+{n} — перейти к этому предложению</translation>
    </message>
    <message>
        <source>The customer accepts: a lead goes to sales (A)</source>
        <translation>Клиент согласен: заявка уходит в отдел продаж (A)</translation>
    </message>
    <message>
        <source>Ask again another time (N)</source>
        <translation>Предложить в другой раз (N)</translation>
    </message>
    <message>
        <source>The customer declines; say why (D)</source>
        <translation>Клиент отказывается; укажите причину (D)</translation>
    </message>
    <message>
        <source>“{phrase}”</source>
        <translation>«{phrase}»</translation>
    </message>
    <message>
        <source>≈ {amount}</source>
        <translation>≈ {amount}</translation>
    </message>
    <message>
        <source>Expected value: the margin of a sale times the chance the customer says yes ({chance}, learned from how customers like this one answered such offers).</source>
        <translation>Ожидаемая ценность: маржа с продажи, умноженная на вероятность согласия ({chance}; оценена по тому, как похожие клиенты отвечали на такие предложения).</translation>
    </message>
    <message>
        <source>Offer {n}: {title}</source>
        <translation>Предложение {n}: {title}</translation>
    </message>
    <message>
        <source>Accept offer {n}</source>
        <translation>Принять предложение {n}</translation>
    </message>
    <message>
        <source>Not now, offer {n}</source>
        <translation>Позже, предложение {n}</translation>
    </message>
    <message>
        <source>Decline offer {n}</source>
        <translation>Отказ от предложения {n}</translation>
    </message>
    <message>
        <source>A: accept · N: not now · D: decline · Alt+{n}: this offer</source>
        <translation>A: принять · N: позже · D: отказ · Alt+{n}: это предложение</translation>
    </message>
    <message>
        <source>Choose why the customer declined.</source>
        <translation>Выберите причину отказа.</translation>
    </message>
    <message>
        <source>Say in a few words why.</source>
        <translation>Коротко укажите причину.</translation>
    </message>
</context>
<context>
    <name>OrderStatus</name>
    <message>
        <source>Paid</source>
        <translation>Оплачен</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Ожидает оплаты</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Отменён</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Возврат</translation>
    </message>
</context>
<context>
    <name>PolicyPages</name>
    <message>
        <source>CSAT — satisfaction, 1–5</source>
        <translation>CSAT — удовлетворённость, 1–5</translation>
    </message>
    <message>
        <source>NPS — would recommend, 0–10</source>
        <translation>NPS — готовность рекомендовать, 0–10</translation>
    </message>
    <message>
        <source>CES — effort, 1–7</source>
        <translation>CES — усилия клиента, 1–7</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>секунд</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>минут</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>часов</translation>
    </message>
    <message>
        <source>Save to server</source>
        <translation>Сохранить на сервере</translation>
    </message>
    <message>
        <source>Nothing was saved: correct the marked fields.</source>
        <translation>Ничего не сохранено: исправьте отмеченные поля.</translation>
    </message>
    <message>
        <source>Saved on the server (version {version}).</source>
        <translation>Сохранено на сервере (версия {version}).</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Сохранение…</translation>
    </message>
    <message>
        <source>Save the SLAs to the server</source>
        <translation>Сохранить SLA на сервере</translation>
    </message>
    <message>
        <source>First reply time for {channel}</source>
        <translation>Время первого ответа: {channel}</translation>
    </message>
    <message>
        <source>Unit for {channel}</source>
        <translation>Единица времени: {channel}</translation>
    </message>
    <message>
        <source>Problem with the time for {channel}</source>
        <translation>Ошибка во времени: {channel}</translation>
    </message>
    <message>
        <source>Channel SLAs</source>
        <translation>SLA по каналам</translation>
    </message>
    <message>
        <source>How soon a customer must get the first reply on each channel. Conversations waiting longer appear under “Waiting for our reply” and count against the team&apos;s first-response figures.</source>
        <translation>Как быстро клиент должен получить первый ответ в каждом канале. Диалоги, ждущие дольше, попадают в «Ждут нашего ответа» и ухудшают показатели первого ответа команды.</translation>
    </message>
    <message>
        <source>Enter a time.</source>
        <translation>Укажите время.</translation>
    </message>
    <message>
        <source>Enter a whole number, such as 30.</source>
        <translation>Введите целое число, например 30.</translation>
    </message>
    <message>
        <source>Save the survey policy</source>
        <translation>Сохранить политику опросов</translation>
    </message>
    <message>
        <source> days</source>
        <translation> дн.</translation>
    </message>
    <message>
        <source>Days between surveys</source>
        <translation>Дней между опросами</translation>
    </message>
    <message>
        <source>Ask a customer at most once in</source>
        <translation>Опрашивать клиента не чаще раза в</translation>
    </message>
    <message>
        <source>Do not send between</source>
        <translation>Не отправлять с</translation>
    </message>
    <message>
        <source>Quiet hours on</source>
        <translation>Тихие часы включены</translation>
    </message>
    <message>
        <source>Quiet hours start</source>
        <translation>Начало тихих часов</translation>
    </message>
    <message>
        <source>Quiet hours end</source>
        <translation>Конец тихих часов</translation>
    </message>
    <message>
        <source>and</source>
        <translation>до</translation>
    </message>
    <message>
        <source>(customer&apos;s local time)</source>
        <translation>(местное время клиента)</translation>
    </message>
    <message>
        <source>Quiet hours</source>
        <translation>Тихие часы</translation>
    </message>
    <message>
        <source>Surveys in {language}</source>
        <translation>Опросы на языке: {language}</translation>
    </message>
    <message>
        <source>Default survey language</source>
        <translation>Язык опроса по умолчанию</translation>
    </message>
    <message>
        <source>otherwise</source>
        <translation>иначе</translation>
    </message>
    <message>
        <source>Languages</source>
        <translation>Языки</translation>
    </message>
    <message>
        <source>Survey link valid for</source>
        <translation>Ссылка на опрос действует</translation>
    </message>
    <message>
        <source>Survey link works for</source>
        <translation>Ссылка на опрос действует</translation>
    </message>
    <message>
        <source> h</source>
        <translation> ч</translation>
    </message>
    <message>
        <source>No reminder</source>
        <translation>Без напоминания</translation>
    </message>
    <message>
        <source>Reminder after hours</source>
        <translation>Напоминание через часов</translation>
    </message>
    <message>
        <source>Remind after</source>
        <translation>Напомнить через</translation>
    </message>
    <message>
        <source>Low {kind} score at or below</source>
        <translation>Низкая оценка {kind}: не выше</translation>
    </message>
    <message>
        <source>Review case when score ≤</source>
        <translation>Разбор, если оценка ≤</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Супервайзер</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>Администратор</translation>
    </message>
    <message>
        <source>Compensation limit for {role}</source>
        <translation>Лимит компенсации: {role}</translation>
    </message>
    <message>
        <source>Compensation up to</source>
        <translation>Компенсация до</translation>
    </message>
    <message>
        <source>First-contact resolution window</source>
        <translation>Окно решения с первого обращения</translation>
    </message>
    <message>
        <source>Resolved at first contact if no new contact in</source>
        <translation>Решено с первого обращения, если нет нового обращения в течение</translation>
    </message>
    <message>
        <source>Survey policy</source>
        <translation>Политика опросов</translation>
    </message>
    <message>
        <source>When customers are asked how it went, how often, and which answers open a review case for a supervisor. The first rule that fits a conversation wins.</source>
        <translation>Когда и как часто спрашивать клиентов об обслуживании и какие ответы открывают разбор для супервайзера. Действует первое правило, подходящее к диалогу.</translation>
    </message>
    <message>
        <source>Problem with {field}</source>
        <translation>Ошибка: {field}</translation>
    </message>
    <message>
        <source>Survey rules</source>
        <translation>Правила опросов</translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>Опрос</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Каналы</translation>
    </message>
    <message>
        <source>Topics containing (empty: all)</source>
        <translation>Темы содержат (пусто: любые)</translation>
    </message>
    <message>
        <source>Delay, min</source>
        <translation>Задержка, мин</translation>
    </message>
    <message>
        <source>Add rule</source>
        <translation>Добавить правило</translation>
    </message>
    <message>
        <source>Add a survey rule</source>
        <translation>Добавить правило опроса</translation>
    </message>
    <message>
        <source>Remove rule</source>
        <translation>Удалить правило</translation>
    </message>
    <message>
        <source>Remove the selected survey rule</source>
        <translation>Удалить выбранное правило опроса</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>Правила</translation>
    </message>
    <message>
        <source>Problem with the rules</source>
        <translation>Ошибка в правилах</translation>
    </message>
    <message>
        <source>Survey kind of rule {n}</source>
        <translation>Вид опроса в правиле {n}</translation>
    </message>
    <message>
        <source>Channels of rule {n}</source>
        <translation>Каналы правила {n}</translation>
    </message>
    <message>
        <source>Topics of rule {n}</source>
        <translation>Темы правила {n}</translation>
    </message>
    <message>
        <source>any topic</source>
        <translation>любая тема</translation>
    </message>
    <message>
        <source>Delay of rule {n} in minutes</source>
        <translation>Задержка правила {n} в минутах</translation>
    </message>
    <message>
        <source>Rule {n}, {what}: {message}</source>
        <translation>Правило {n}, {what}: {message}</translation>
    </message>
    <message>
        <source>Enter an amount, such as 1000.00.</source>
        <translation>Введите сумму, например 1000.00.</translation>
    </message>
</context>
<context>
    <name>ReviewCase</name>
    <message>
        <source>Discount</source>
        <translation>Скидка</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Возврат денег</translation>
    </message>
    <message>
        <source>Gift</source>
        <translation>Подарок</translation>
    </message>
    <message>
        <source>Bonus points</source>
        <translation>Бонусные баллы</translation>
    </message>
    <message>
        <source>Recovered: the customer is happy again</source>
        <translation>Исправлено: клиент снова доволен</translation>
    </message>
    <message>
        <source>Not recovered</source>
        <translation>Исправить не удалось</translation>
    </message>
    <message>
        <source>Customer unreachable</source>
        <translation>Не удалось связаться с клиентом</translation>
    </message>
    <message>
        <source>No action needed</source>
        <translation>Действий не требуется</translation>
    </message>
    <message>
        <source>Opened by a low score ({score})</source>
        <translation>Открыт из-за низкой оценки ({score})</translation>
    </message>
    <message>
        <source>Assigned to {who}</source>
        <translation>Назначен: {who}</translation>
    </message>
    <message>
        <source>Call back planned</source>
        <translation>Запланирован перезвон</translation>
    </message>
    <message>
        <source>Compensation: {kind}, {amount} {currency}</source>
        <translation>Компенсация: {kind}, {amount} {currency}</translation>
    </message>
    <message>
        <source>Resolved: {outcome}</source>
        <translation>Закрыт: {outcome}</translation>
    </message>
    <message>
        <source>Follow-up survey sent</source>
        <translation>Отправлен повторный опрос</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <source>Assign to me</source>
        <translation>Взять себе</translation>
    </message>
    <message>
        <source>Open customer card</source>
        <translation>Открыть карточку</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>Перезвонить</translation>
    </message>
    <message>
        <source>Resolve case</source>
        <translation>Закрыть разбор</translation>
    </message>
    <message>
        <source>The customer&apos;s card and whole conversation in the timeline</source>
        <translation>Карточка клиента и вся переписка в истории</translation>
    </message>
    <message>
        <source>Compensation</source>
        <translation>Компенсация</translation>
    </message>
    <message>
        <source>Kind of compensation</source>
        <translation>Вид компенсации</translation>
    </message>
    <message>
        <source>Compensation amount</source>
        <translation>Сумма компенсации</translation>
    </message>
    <message>
        <source>Compensation note</source>
        <translation>Комментарий к компенсации</translation>
    </message>
    <message>
        <source>Why, for the record</source>
        <translation>Причина — для истории</translation>
    </message>
    <message>
        <source>Grant</source>
        <translation>Выдать</translation>
    </message>
    <message>
        <source>Grant compensation</source>
        <translation>Выдать компенсацию</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Закрытие</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Итог</translation>
    </message>
    <message>
        <source>Resolution note</source>
        <translation>Комментарий к закрытию</translation>
    </message>
    <message>
        <source>What was done and agreed</source>
        <translation>Что сделано и о чём договорились</translation>
    </message>
    <message>
        <source>Send a follow-up survey</source>
        <translation>Отправить повторный опрос</translation>
    </message>
    <message>
        <source>History</source>
        <translation>История</translation>
    </message>
    <message>
        <source>Case history</source>
        <translation>История разбора</translation>
    </message>
    <message>
        <source>No case chosen</source>
        <translation>Разбор не выбран</translation>
    </message>
    <message>
        <source>Choose a case in the queue to work on it.</source>
        <translation>Выберите разбор в очереди, чтобы работать с ним.</translation>
    </message>
    <message>
        <source>handled by {who}</source>
        <translation>оператор: {who}</translation>
    </message>
    <message>
        <source>assigned to {who}</source>
        <translation>назначен: {who}</translation>
    </message>
    <message>
        <source>No comment.</source>
        <translation>Без комментария.</translation>
    </message>
    <message>
        <source>Show the card and dial {phone}</source>
        <translation>Открыть карточку и набрать {phone}</translation>
    </message>
    <message>
        <source>No phone number on the card</source>
        <translation>В карточке нет телефона</translation>
    </message>
    <message>
        <source>Enter an amount above zero.</source>
        <translation>Введите сумму больше нуля.</translation>
    </message>
    <message>
        <source>Not signed in to a server: review actions need the server. Everything you typed is kept.</source>
        <translation>Вход на сервер не выполнен, а действия с разбором идут через сервер. Всё введённое сохранено.</translation>
    </message>
    <message>
        <source>The server cannot be reached, so the action was not done. Everything you typed is kept; try again when the connection is back.</source>
        <translation>Сервер недоступен, поэтому действие не выполнено. Всё введённое сохранено; повторите, когда связь вернётся.</translation>
    </message>
    <message>
        <source>Done: {what}.</source>
        <translation>Готово: {what}.</translation>
    </message>
</context>
<context>
    <name>ReviewQueue</name>
    <message>
        <source>New</source>
        <translation>Новый</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Назначен</translation>
    </message>
    <message>
        <source>Call back planned</source>
        <translation>Перезвон запланирован</translation>
    </message>
    <message>
        <source>Compensated</source>
        <translation>Компенсирован</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Закрыт</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Ждёт</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Оценка</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Ведёт</translation>
    </message>
    <message>
        <source>Open cases</source>
        <translation>Открытые разборы</translation>
    </message>
    <message>
        <source>All cases</source>
        <translation>Все разборы</translation>
    </message>
    <message>
        <source>Any channel</source>
        <translation>Любой канал</translation>
    </message>
    <message>
        <source>Any operator</source>
        <translation>Любой оператор</translation>
    </message>
    <message>
        <source>Any score</source>
        <translation>Любая оценка</translation>
    </message>
    <message>
        <source>Score {n} or lower</source>
        <translation>Оценка {n} и ниже</translation>
    </message>
    <message>
        <source>Any age</source>
        <translation>Любой срок</translation>
    </message>
    <message>
        <source>Waiting over 1 hour</source>
        <translation>Ждёт больше часа</translation>
    </message>
    <message>
        <source>Waiting over 4 hours</source>
        <translation>Ждёт больше 4 часов</translation>
    </message>
    <message>
        <source>Waiting over a day</source>
        <translation>Ждёт больше суток</translation>
    </message>
    <message>
        <source>Waiting over 3 days</source>
        <translation>Ждёт больше 3 дней</translation>
    </message>
    <message>
        <source>Everyone&apos;s</source>
        <translation>Все</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>Мои</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>Refresh the queue</source>
        <translation>Обновить очередь</translation>
    </message>
    <message>
        <source>Review queue</source>
        <translation>Очередь разборов</translation>
    </message>
    <message numerus="yes">
        <source>%n case(s)</source>
        <translation>
            <numerusform>%n разбор</numerusform>
            <numerusform>%n разбора</numerusform>
            <numerusform>%n разборов</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <source>operator</source>
        <translation>оператор</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>супервайзер</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>администратор</translation>
    </message>
</context>
<context>
    <name>RulesPage</name>
    <message>
        <source>Upsell rules</source>
        <translation>Правила допродаж</translation>
    </message>
    <message>
        <source>New rule</source>
        <translation>Новое правило</translation>
    </message>
    <message>
        <source>Start a new rule</source>
        <translation>Начать новое правило</translation>
    </message>
    <message>
        <source>No rules yet. Fill in the form on the right and save it.</source>
        <translation>Правил пока нет. Заполните форму справа и сохраните.</translation>
    </message>
    <message>
        <source>Which product operators are prompted to offer, to whom, and why. Rules reach every operator&apos;s app with the next sync. Disabled rules stay in the list so past offers keep their meaning.</source>
        <translation>Какой продукт операторам предлагать, кому и почему. Правила попадают в приложение каждого оператора при следующей синхронизации. Отключённые правила остаются в списке, чтобы прошлые предложения сохраняли смысл.</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Правило</translation>
    </message>
    <message>
        <source>Rule name</source>
        <translation>Название правила</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Problem with the name</source>
        <translation>Ошибка в названии</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>Действует</translation>
    </message>
    <message>
        <source>Rule in use</source>
        <translation>Правило действует</translation>
    </message>
    <message>
        <source>Product to offer</source>
        <translation>Предлагаемый продукт</translation>
    </message>
    <message>
        <source>Choose a product</source>
        <translation>Выберите продукт</translation>
    </message>
    <message>
        <source>Offer</source>
        <translation>Предложить</translation>
    </message>
    <message>
        <source>Problem with the product</source>
        <translation>Ошибка в продукте</translation>
    </message>
    <message>
        <source>Reason shown to the operator</source>
        <translation>Причина, которую видит оператор</translation>
    </message>
    <message>
        <source>One line, e.g. “Router owners: mesh extender”</source>
        <translation>Одна строка, например «Владельцам роутеров: mesh-усилитель»</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>Problem with the reason</source>
        <translation>Ошибка в причине</translation>
    </message>
    <message>
        <source>What the operator may say</source>
        <translation>Что может сказать оператор</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>Сценарий</translation>
    </message>
    <message>
        <source>Problem with the script</source>
        <translation>Ошибка в сценарии</translation>
    </message>
    <message>
        <source>Customers of tier {tier}</source>
        <translation>Клиенты уровня {tier}</translation>
    </message>
    <message>
        <source>Tiers (none: all)</source>
        <translation>Уровни (не выбраны: все)</translation>
    </message>
    <message>
        <source>Problem with the tiers</source>
        <translation>Ошибка в уровнях</translation>
    </message>
    <message>
        <source>Channels of the contact</source>
        <translation>Каналы обращения</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Каналы</translation>
    </message>
    <message>
        <source>Problem with the channels</source>
        <translation>Ошибка в каналах</translation>
    </message>
    <message>
        <source>Customer owns a product of these categories</source>
        <translation>У клиента есть продукт из этих категорий</translation>
    </message>
    <message>
        <source>e.g. routers, plans</source>
        <translation>например: роутеры, тарифы</translation>
    </message>
    <message>
        <source>Owns a product in</source>
        <translation>Есть продукт из</translation>
    </message>
    <message>
        <source>Problem with the categories</source>
        <translation>Ошибка в категориях</translation>
    </message>
    <message>
        <source>Customer segments</source>
        <translation>Сегменты клиентов</translation>
    </message>
    <message>
        <source>all segments</source>
        <translation>все сегменты</translation>
    </message>
    <message>
        <source>Segments</source>
        <translation>Сегменты</translation>
    </message>
    <message>
        <source>Problem with the segments</source>
        <translation>Ошибка в сегментах</translation>
    </message>
    <message>
        <source>Check and preview</source>
        <translation>Проверить и посмотреть охват</translation>
    </message>
    <message>
        <source>Check the rule and preview whom it reaches</source>
        <translation>Проверить правило и посмотреть, кого оно охватит</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Отключить</translation>
    </message>
    <message>
        <source>Disable this rule</source>
        <translation>Отключить это правило</translation>
    </message>
    <message>
        <source>Save to server</source>
        <translation>Сохранить на сервере</translation>
    </message>
    <message>
        <source>Save the rule to the server</source>
        <translation>Сохранить правило на сервере</translation>
    </message>
    <message>
        <source>Preview result</source>
        <translation>Результат проверки</translation>
    </message>
    <message>
        <source>{name} (disabled)</source>
        <translation>{name} (отключено)</translation>
    </message>
    <message>
        <source>Rule: {name}</source>
        <translation>Правило: {name}</translation>
    </message>
    <message>
        <source>Give the rule a name.</source>
        <translation>Дайте правилу название.</translation>
    </message>
    <message>
        <source>Choose the product to offer.</source>
        <translation>Выберите продукт для предложения.</translation>
    </message>
    <message>
        <source>Choose a product from the list.</source>
        <translation>Выберите продукт из списка.</translation>
    </message>
    <message>
        <source>Nothing was saved: correct the marked fields.</source>
        <translation>Ничего не сохранено: исправьте отмеченные поля.</translation>
    </message>
    <message>
        <source>Rule “{name}” saved.</source>
        <translation>Правило «{name}» сохранено.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Сохранение…</translation>
    </message>
    <message>
        <source>Rule “{name}” is disabled; operators no longer see it.</source>
        <translation>Правило «{name}» отключено; операторы его больше не видят.</translation>
    </message>
    <message>
        <source>{matching} customers meet the conditions; {reachable} of them may get offers (marketing consent, no open complaint).</source>
        <translation>Условиям соответствуют клиентов: {matching}; предложения можно сделать {reachable} из них (есть согласие на маркетинг, нет открытой жалобы).</translation>
    </message>
    <message>
        <source>For example: {names}.</source>
        <translation>Например: {names}.</translation>
    </message>
    <message>
        <source>The rule is valid. Nothing was saved yet.</source>
        <translation>Правило корректно. Пока ничего не сохранено.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Проверка…</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>No customer matches “{query}”</source>
        <translation>По запросу «{query}» никого не нашлось</translation>
    </message>
    <message numerus="yes">
        <source>%n+ match(es) · type more</source>
        <translation>
            <numerusform>%n+ совпадение · уточните запрос</numerusform>
            <numerusform>%n+ совпадения · уточните запрос</numerusform>
            <numerusform>%n+ совпадений · уточните запрос</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n клиент</numerusform>
            <numerusform>%n клиента</numerusform>
            <numerusform>%n клиентов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) share {number}</source>
        <translation>
            <numerusform>Номер {number} у %n клиента</numerusform>
            <numerusform>Номер {number} у %n клиентов</numerusform>
            <numerusform>Номер {number} у %n клиентов</numerusform>
        </translation>
    </message>
    <message>
        <source>Snooze…</source>
        <translation>Отложить…</translation>
    </message>
    <message>
        <source>Snooze the selected entry ({keys})</source>
        <translation>Отложить выбранную запись ({keys})</translation>
    </message>
    <message>
        <source>none</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>Nothing here now</source>
        <translation>Сейчас здесь пусто</translation>
    </message>
    <message numerus="yes">
        <source>%n open</source>
        <translation>
            <numerusform>открыто: %n</numerusform>
            <numerusform>открыто: %n</numerusform>
            <numerusform>открыто: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n open conversation(s)</source>
        <translation>
            <numerusform>%n открытое обращение</numerusform>
            <numerusform>%n открытых обращения</numerusform>
            <numerusform>%n открытых обращений</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n follow-up(s) due today</source>
        <translation>
            <numerusform>%n напоминание на сегодня</numerusform>
            <numerusform>%n напоминания на сегодня</numerusform>
            <numerusform>%n напоминаний на сегодня</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n overdue</source>
        <translation>
            <numerusform>просрочено: %n</numerusform>
            <numerusform>просрочено: %n</numerusform>
            <numerusform>просрочено: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n due</source>
        <translation>
            <numerusform>%n</numerusform>
            <numerusform>%n</numerusform>
            <numerusform>%n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n</numerusform>
            <numerusform>%n</numerusform>
            <numerusform>%n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) waiting past the reply target</source>
        <translation>
            <numerusform>%n клиент ждёт дольше нормы ответа</numerusform>
            <numerusform>%n клиента ждут дольше нормы ответа</numerusform>
            <numerusform>%n клиентов ждут дольше нормы ответа</numerusform>
        </translation>
    </message>
    <message>
        <source>Worklist and search</source>
        <translation>Списки и поиск</translation>
    </message>
    <message>
        <source>Name, phone, e-mail, order</source>
        <translation>Имя, телефон, почта, заказ</translation>
    </message>
    <message>
        <source>Search as you type (Ctrl+F or F3). Down moves into the results, Enter opens a card.</source>
        <translation>Поиск по мере ввода (Ctrl+F или F3). Стрелка вниз — к результатам, Enter открывает карточку.</translation>
    </message>
    <message>
        <source>Customer search</source>
        <translation>Поиск клиента</translation>
    </message>
    <message>
        <source>Type a name, phone in any format, e-mail, order or contract number</source>
        <translation>Введите имя, телефон в любом формате, почту, номер заказа или договора</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Результаты</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Результаты поиска</translation>
    </message>
    <message>
        <source>Up/Down to move, Enter to open, Esc or Backspace to go back to the search box</source>
        <translation>Вверх/вниз — выбор, Enter — открыть, Esc или Backspace — назад в строку поиска</translation>
    </message>
    <message>
        <source>My open contacts</source>
        <translation>Мои обращения</translation>
    </message>
    <message>
        <source>Conversations assigned to you that are not resolved (Ctrl+Shift+1)</source>
        <translation>Назначенные вам обращения, которые ещё не решены (Ctrl+Shift+1)</translation>
    </message>
    <message>
        <source>Up/Down to move, Enter to open the customer at this conversation, Esc to go back to the search box</source>
        <translation>Вверх/вниз — выбор, Enter — открыть клиента на этом обращении, Esc — назад в строку поиска</translation>
    </message>
    <message>
        <source>Follow-ups due</source>
        <translation>Напоминания</translation>
    </message>
    <message>
        <source>Promised call-backs and replies due by the end of today; overdue ones are marked red (Ctrl+Shift+2)</source>
        <translation>Обещанные звонки и ответы со сроком до конца дня; просроченные отмечены красным (Ctrl+Shift+2)</translation>
    </message>
    <message>
        <source>Up/Down to move, Enter to open the customer at this conversation, Ctrl+Shift+S or the context menu to snooze the follow-up</source>
        <translation>Вверх/вниз — выбор, Enter — открыть клиента на этом обращении, Ctrl+Shift+S или контекстное меню — отложить напоминание</translation>
    </message>
    <message>
        <source>Waiting for our reply</source>
        <translation>Ждут нашего ответа</translation>
    </message>
    <message>
        <source>Customers who wrote last and have waited longer than the channel&apos;s reply target (Ctrl+Shift+3)</source>
        <translation>Клиенты, которые написали последними и ждут дольше нормы ответа для канала (Ctrl+Shift+3)</translation>
    </message>
    <message>
        <source>Up/Down to move, Enter to open the customer at this conversation, Ctrl+Shift+S or the context menu to snooze</source>
        <translation>Вверх/вниз — выбор, Enter — открыть клиента на этом обращении, Ctrl+Shift+S или контекстное меню — отложить</translation>
    </message>
</context>
<context>
    <name>SearchResults</name>
    <message>
        <source>has an open contact</source>
        <translation>есть открытое обращение</translation>
    </message>
</context>
<context>
    <name>Segment</name>
    <message>
        <source>Consumer</source>
        <translation>Частное лицо</translation>
    </message>
    <message>
        <source>Small business</source>
        <translation>Малый бизнес</translation>
    </message>
    <message>
        <source>Corporate</source>
        <translation>Корпоративный</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Новый</translation>
    </message>
    <message>
        <source>Loyal</source>
        <translation>Лояльный</translation>
    </message>
    <message>
        <source>High value</source>
        <translation>Высокая ценность</translation>
    </message>
    <message>
        <source>At risk</source>
        <translation>Под угрозой ухода</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Ушедший</translation>
    </message>
</context>
<context>
    <name>ServerMessages</name>
    <message>
        <source>The change could not be saved; see the log for details.</source>
        <translation>Изменение не сохранилось; подробности в журнале.</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Неверное имя пользователя или пароль.</translation>
    </message>
    <message>
        <source>Cannot connect to {server}: the server is unreachable or offline.</source>
        <translation>Не удаётся подключиться к {server}: сервер недоступен или выключен.</translation>
    </message>
    <message>
        <source>Cannot reach {server} through the proxy.</source>
        <translation>Не удаётся связаться с {server} через прокси-сервер.</translation>
    </message>
    <message>
        <source>The proxy address {proxy} is not valid.</source>
        <translation>Адрес прокси-сервера {proxy} указан неверно.</translation>
    </message>
    <message>
        <source>The proxy&apos;s host name “{host}” could not be found (DNS). Check the proxy address.</source>
        <translation>Имя прокси-сервера «{host}» не найдено (DNS). Проверьте адрес прокси-сервера.</translation>
    </message>
    <message>
        <source>The proxy refused the connection: nothing listens on {host} port {port}. Check the proxy address.</source>
        <translation>Прокси-сервер отклонил подключение: на {host}, порт {port}, ничего не запущено. Проверьте адрес прокси-сервера.</translation>
    </message>
    <message>
        <source>The proxy asks for a user name and password; put them in the proxy address (http://user:password@proxy:port).</source>
        <translation>Прокси-сервер требует имя пользователя и пароль; укажите их в адресе прокси-сервера (http://пользователь:пароль@прокси:порт).</translation>
    </message>
    <message>
        <source>The proxy answers, but it could not reach {url}. Check the server address, or ask whether the proxy lets this address through.</source>
        <translation>Прокси-сервер отвечает, но не может связаться с {url}. Проверьте адрес сервера или узнайте, пропускает ли прокси-сервер этот адрес.</translation>
    </message>
    <message>
        <source>The server {server} did not answer in time.</source>
        <translation>Сервер {server} не ответил вовремя.</translation>
    </message>
    <message>
        <source>The connection to {server} was interrupted.</source>
        <translation>Соединение с {server} прервалось.</translation>
    </message>
    <message>
        <source>The certificate of {server} could not be verified; check the address or set the company CA bundle in the connection settings.</source>
        <translation>Не удалось проверить сертификат {server}; проверьте адрес или укажите корпоративный набор сертификатов (CA) в настройках подключения.</translation>
    </message>
    <message>
        <source>A secure connection to {server} could not be established.</source>
        <translation>Не удалось установить защищённое соединение с {server}.</translation>
    </message>
    <message>
        <source>The server speaks API version {version}, this app speaks version {ours}; update the app or the server.</source>
        <translation>Сервер работает с API версии {version}, а приложение — с версией {ours}; обновите приложение или сервер.</translation>
    </message>
    <message>
        <source>{url} does not look like an operator-app server; check the address.</source>
        <translation>{url} не похож на сервер operator-app; проверьте адрес.</translation>
    </message>
    <message>
        <source>Please sign in again: the server did not accept your credentials.</source>
        <translation>Войдите ещё раз: сервер не принял ваши учётные данные.</translation>
    </message>
    <message>
        <source>Your role does not allow this.</source>
        <translation>Ваша роль этого не позволяет.</translation>
    </message>
    <message>
        <source>The server had a problem (HTTP {status}); trying again later.</source>
        <translation>На сервере произошла ошибка (HTTP {status}); попробуем позже.</translation>
    </message>
    <message>
        <source>The server is busy with too many requests; waiting before retrying.</source>
        <translation>Сервер перегружен запросами; ждём и повторим.</translation>
    </message>
    <message>
        <source>Enter the server address, for example {example}.</source>
        <translation>Введите адрес сервера, например {example}.</translation>
    </message>
    <message>
        <source>The server address must not contain &apos;?&apos; or &apos;#&apos; parts.</source>
        <translation>Адрес сервера не должен содержать частей с «?» или «#».</translation>
    </message>
    <message>
        <source>The server address {address} has no host name.</source>
        <translation>В адресе сервера {address} нет имени хоста.</translation>
    </message>
    <message>
        <source>{address} is not a valid server address.</source>
        <translation>{address} — неправильный адрес сервера.</translation>
    </message>
    <message>
        <source>The host name “{host}” could not be found (DNS). Check the spelling.</source>
        <translation>Имя хоста «{host}» не найдено (DNS). Проверьте написание.</translation>
    </message>
    <message>
        <source>Connection refused: {host} answers, but nothing listens on port {port}.</source>
        <translation>Соединение отклонено: {host} отвечает, но порт {port} никто не слушает.</translation>
    </message>
    <message>
        <source>No answer from {address} within {seconds} s (a firewall or a wrong port?).</source>
        <translation>{address} не ответил за {seconds} с (брандмауэр или неверный порт?).</translation>
    </message>
    <message>
        <source>{url} answers, but it is not an operator-app server; check the address.</source>
        <translation>{url} отвечает, но это не сервер operator-app; проверьте адрес.</translation>
    </message>
    <message>
        <source>Connected: operator-app server {server}, API {api}.</source>
        <translation>Подключено: сервер operator-app {server}, API {api}.</translation>
    </message>
    <message>
        <source>The CA bundle “{path}” does not exist.</source>
        <translation>Файла сертификатов CA «{path}» нет.</translation>
    </message>
    <message>
        <source>The CA bundle “{path}” is a folder; choose a .pem file.</source>
        <translation>«{path}» — это папка; выберите файл .pem.</translation>
    </message>
    <message>
        <source>The proxy must look like {example} (http, https or socks5).</source>
        <translation>Адрес прокси должен выглядеть как {example} (http, https или socks5).</translation>
    </message>
    <message>
        <source>The proxy&apos;s port must be a number between 1 and 65535.</source>
        <translation>Порт прокси должен быть числом от 1 до 65535.</translation>
    </message>
    <message>
        <source>The user name must not be only spaces.</source>
        <translation>Имя пользователя не может состоять из одних пробелов.</translation>
    </message>
    <message>
        <source>The cache folder must be a full path, such as {example}.</source>
        <translation>Папка кэша должна быть указана полным путём, например {example}.</translation>
    </message>
    <message>
        <source>“{path}” is a file, not a folder.</source>
        <translation>«{path}» — это файл, а не папка.</translation>
    </message>
    <message>
        <source>“{keys}” is not a key combination.</source>
        <translation>«{keys}» — не сочетание клавиш.</translation>
    </message>
    <message>
        <source>Also used by {actions}.</source>
        <translation>Уже занято: {actions}.</translation>
    </message>
    <message>
        <source>“{text}” is not a phone number.</source>
        <translation>«{text}» — не номер телефона.</translation>
    </message>
    <message>
        <source>“{text}” is not an e-mail address.</source>
        <translation>«{text}» — не адрес электронной почты.</translation>
    </message>
    <message>
        <source>The text is {length} characters long; at most {limit} fit. Shorten it and send again.</source>
        <translation>В тексте {length} символов, а помещается не больше {limit}. Сократите его и отправьте снова.</translation>
    </message>
    <message>
        <source>The text is empty.</source>
        <translation>Текст пустой.</translation>
    </message>
    <message>
        <source>This conflict was already resolved.</source>
        <translation>Этот конфликт уже решён.</translation>
    </message>
    <message>
        <source>This change is no longer waiting for a decision.</source>
        <translation>Это изменение уже не ждёт решения.</translation>
    </message>
    <message>
        <source>Offline (local cache)</source>
        <translation>Нет связи (локальный кэш)</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Вход не выполнен</translation>
    </message>
    <message>
        <source>Demo Operator</source>
        <translation>Демо-оператор</translation>
    </message>
    <message>
        <source>Your session has ended; sign in again.</source>
        <translation>Сеанс закончился; войдите снова.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Users and roles</source>
        <translation>Пользователи и роли</translation>
    </message>
    <message>
        <source>Survey policy</source>
        <translation>Политика опросов</translation>
    </message>
    <message>
        <source>Channel SLAs</source>
        <translation>SLA по каналам</translation>
    </message>
    <message>
        <source>Upsell rules</source>
        <translation>Правила допродаж</translation>
    </message>
    <message>
        <source>Team (admins only)</source>
        <translation>Команда (только админы)</translation>
    </message>
    <message>
        <source>Team settings are stored on the server with the button on their page; Save below keeps this computer&apos;s settings.</source>
        <translation>Настройки команды сохраняются на сервере кнопкой на своей странице; «Сохранить» внизу сохраняет настройки этого компьютера.</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Язык системы</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Как в системе</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Светлая</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Тёмная</translation>
    </message>
    <message>
        <source>Comfortable</source>
        <translation>Просторная</translation>
    </message>
    <message>
        <source>Compact</source>
        <translation>Компактная</translation>
    </message>
    <message>
        <source>Find a customer</source>
        <translation>Найти клиента</translation>
    </message>
    <message>
        <source>Next panel</source>
        <translation>Следующая панель</translation>
    </message>
    <message>
        <source>Left panel</source>
        <translation>Левая панель</translation>
    </message>
    <message>
        <source>Customer card</source>
        <translation>Карточка клиента</translation>
    </message>
    <message>
        <source>Assist panel</source>
        <translation>Панель подсказок</translation>
    </message>
    <message>
        <source>Back to search</source>
        <translation>Назад к поиску</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>История</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>Resolve and ask</source>
        <translation>Решить и спросить оценку</translation>
    </message>
    <message>
        <source>Supervisor view</source>
        <translation>Режим супервайзера</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Выход</translation>
    </message>
    <message>
        <source>Settings pages</source>
        <translation>Разделы настроек</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>Сохранить настройки</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Shortcut for {action}</source>
        <translation>Сочетание клавиш: {action}</translation>
    </message>
    <message>
        <source>Problem with the shortcut for {action}</source>
        <translation>Ошибка в сочетании клавиш: {action}</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Вход не выполнен</translation>
    </message>
    <message>
        <source>Also used by “{command}”.</source>
        <translation>Уже занято командой «{command}».</translation>
    </message>
    <message>
        <source>Correct the fields marked in red first</source>
        <translation>Сначала исправьте поля, отмеченные красным</translation>
    </message>
    <message>
        <source>Nothing was saved: {reason}</source>
        <translation>Ничего не сохранено: {reason}</translation>
    </message>
    <message>
        <source>The connection cannot be tested right now.</source>
        <translation>Проверить подключение сейчас нельзя.</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Проверка…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Выйти</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) made here have not reached the server yet. They stay on this computer and are sent after you sign in again as the same user. Sign out?</source>
        <translation>
            <numerusform>%n изменение, сделанное здесь, ещё не дошло до сервера. Оно останется на этом компьютере и будет отправлено, когда вы снова войдёте под тем же пользователем. Выйти?</numerusform>
            <numerusform>%n изменения, сделанные здесь, ещё не дошли до сервера. Они останутся на этом компьютере и будут отправлены, когда вы снова войдёте под тем же пользователем. Выйти?</numerusform>
            <numerusform>%n изменений, сделанных здесь, ещё не дошли до сервера. Они останутся на этом компьютере и будут отправлены, когда вы снова войдёте под тем же пользователем. Выйти?</numerusform>
        </translation>
    </message>
    <message>
        <source>Signing out…</source>
        <translation>Выход…</translation>
    </message>
    <message>
        <source>The saved sign-in of {user} was removed from this computer; you stay signed in until you quit.</source>
        <translation>Сохранённый вход {user} удалён с этого компьютера; вы остаётесь в системе до выхода из приложения.</translation>
    </message>
    <message>
        <source>No sign-in is saved.</source>
        <translation>Сохранённого входа нет.</translation>
    </message>
    <message>
        <source>The saved sign-in of {user} was removed from this computer.</source>
        <translation>Сохранённый вход пользователя {user} удалён с этого компьютера.</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) made here have not reached the server yet and would be lost.</source>
        <translation>
            <numerusform>%n изменение, сделанное здесь, ещё не дошло до сервера и будет потеряно.</numerusform>
            <numerusform>%n изменения, сделанные здесь, ещё не дошли до сервера и будут потеряны.</numerusform>
            <numerusform>%n изменений, сделанных здесь, ещё не дошли до сервера и будут потеряны.</numerusform>
        </translation>
    </message>
    <message>
        <source>Every change made here has reached the server.</source>
        <translation>Все изменения, сделанные здесь, уже на сервере.</translation>
    </message>
    <message>
        <source>Changes not yet sent to the server are lost.</source>
        <translation>Изменения, ещё не отправленные на сервер, будут потеряны.</translation>
    </message>
    <message>
        <source>Wipe local cache</source>
        <translation>Очистить локальный кэш</translation>
    </message>
    <message>
        <source>Delete every customer and pending change kept on this computer?</source>
        <translation>Удалить всех клиентов и неотправленные изменения, хранящиеся на этом компьютере?</translation>
    </message>
    <message>
        <source>Everything is then downloaded from the server again.</source>
        <translation>Затем всё будет заново загружено с сервера.</translation>
    </message>
    <message>
        <source>The app closes; the next start begins afresh.</source>
        <translation>Приложение закроется; следующий запуск начнётся с чистого листа.</translation>
    </message>
    <message>
        <source>Wipe</source>
        <translation>Очистить</translation>
    </message>
    <message>
        <source>Wiping the local cache…</source>
        <translation>Очистка локального кэша…</translation>
    </message>
    <message>
        <source>The local cache was wiped.</source>
        <translation>Локальный кэш очищен.</translation>
    </message>
    <message>
        <source>No cache yet</source>
        <translation>Кэша пока нет</translation>
    </message>
    <message>
        <source>{size} MB in {folder}</source>
        <translation>{size} МБ в {folder}</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Подключение</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Учётная запись</translation>
    </message>
    <message>
        <source>Sync and cache</source>
        <translation>Синхронизация и кэш</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Уведомления</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Оформление</translation>
    </message>
    <message>
        <source>Shortcuts</source>
        <translation>Клавиши</translation>
    </message>
    <message>
        <source>Settings page</source>
        <translation>Раздел настроек</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Адрес сервера</translation>
    </message>
    <message>
        <source>https://crm.example.com</source>
        <translation>https://crm.example.com</translation>
    </message>
    <message>
        <source>serverUrl problem</source>
        <translation>Ошибка в адресе сервера</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Проверить подключение</translation>
    </message>
    <message>
        <source>Connection test result</source>
        <translation>Результат проверки подключения</translation>
    </message>
    <message>
        <source>CA bundle</source>
        <translation>Сертификаты CA</translation>
    </message>
    <message>
        <source>CA bundle file</source>
        <translation>Файл сертификатов CA</translation>
    </message>
    <message>
        <source>System certificates</source>
        <translation>Сертификаты системы</translation>
    </message>
    <message>
        <source>caBundle problem</source>
        <translation>Ошибка в файле сертификатов</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Прокси</translation>
    </message>
    <message>
        <source>Proxy address</source>
        <translation>Адрес прокси</translation>
    </message>
    <message>
        <source>Direct connection</source>
        <translation>Прямое подключение</translation>
    </message>
    <message>
        <source>proxy problem</source>
        <translation>Ошибка в адресе прокси</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>Тайм-аут</translation>
    </message>
    <message>
        <source>Connection timeout in seconds</source>
        <translation>Тайм-аут подключения в секундах</translation>
    </message>
    <message>
        <source> s</source>
        <translation> с</translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation>Вход выполнен как</translation>
    </message>
    <message>
        <source>Signed-in user</source>
        <translation>Текущий пользователь</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Имя пользователя</translation>
    </message>
    <message>
        <source>User name for the next sign-in</source>
        <translation>Имя пользователя для следующего входа</translation>
    </message>
    <message>
        <source>user problem</source>
        <translation>Ошибка в имени пользователя</translation>
    </message>
    <message>
        <source>Forget saved sign-in</source>
        <translation>Забыть сохранённый вход</translation>
    </message>
    <message>
        <source>Forget the saved sign-in token</source>
        <translation>Удалить сохранённый токен входа</translation>
    </message>
    <message>
        <source>Wipe local cache…</source>
        <translation>Очистить локальный кэш…</translation>
    </message>
    <message>
        <source>Wipe the local cache</source>
        <translation>Очистить локальный кэш</translation>
    </message>
    <message>
        <source>Account status</source>
        <translation>Состояние учётной записи</translation>
    </message>
    <message>
        <source>Sync every</source>
        <translation>Синхронизировать каждые</translation>
    </message>
    <message>
        <source>Sync interval in seconds</source>
        <translation>Интервал синхронизации в секундах</translation>
    </message>
    <message>
        <source>Cache folder</source>
        <translation>Папка кэша</translation>
    </message>
    <message>
        <source>The data folder</source>
        <translation>Папка данных</translation>
    </message>
    <message>
        <source>cacheLocation problem</source>
        <translation>Ошибка в папке кэша</translation>
    </message>
    <message>
        <source>Cache size</source>
        <translation>Размер кэша</translation>
    </message>
    <message>
        <source>Cache size on disk</source>
        <translation>Размер кэша на диске</translation>
    </message>
    <message>
        <source>Show desktop notifications</source>
        <translation>Показывать уведомления на рабочем столе</translation>
    </message>
    <message>
        <source>Play a sound</source>
        <translation>Со звуком</translation>
    </message>
    <message>
        <source>Play a sound with notifications</source>
        <translation>Проигрывать звук при уведомлениях</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>Interface language</source>
        <translation>Язык интерфейса</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Colour theme</source>
        <translation>Цветовая тема</translation>
    </message>
    <message>
        <source>Font scale</source>
        <translation>Масштаб шрифта</translation>
    </message>
    <message>
        <source>Density</source>
        <translation>Плотность</translation>
    </message>
    <message>
        <source>Start when I sign in to the computer</source>
        <translation>Запускать при входе в систему</translation>
    </message>
    <message>
        <source>Start automatically</source>
        <translation>Автозапуск</translation>
    </message>
    <message>
        <source>Settings notice</source>
        <translation>Сообщение о настройках</translation>
    </message>
    <message>
        <source>Save or cancel</source>
        <translation>Сохранить или отменить</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in</source>
        <translation>Войти</translation>
    </message>
    <message>
        <source>Cancel signing in</source>
        <translation>Отменить вход</translation>
    </message>
    <message>
        <source>Enter the server address.</source>
        <translation>Введите адрес сервера.</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>Введите имя пользователя.</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>Введите пароль.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Вход…</translation>
    </message>
    <message>
        <source>Sign in to the server to sync customers, notes and replies.</source>
        <translation>Войдите на сервер, чтобы синхронизировать клиентов, заметки и ответы.</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Сервер:</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Адрес сервера</translation>
    </message>
    <message>
        <source>https://crm.example.com</source>
        <translation>https://crm.example.com</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Пользователь:</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Имя пользователя</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>Па&amp;роль:</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <source>Remember me on this computer</source>
        <translation>Запомнить меня на этом компьютере</translation>
    </message>
    <message>
        <source>&amp;Remember me on this computer</source>
        <translation>&amp;Запомнить меня на этом компьютере</translation>
    </message>
</context>
<context>
    <name>SnoozeMenu</name>
    <message>
        <source>Snooze</source>
        <translation>Отложить</translation>
    </message>
    <message>
        <source>For 1 &amp;hour</source>
        <translation>На 1 &amp;час</translation>
    </message>
    <message>
        <source>Until &amp;tomorrow 9:00</source>
        <translation>До &amp;завтра, 9:00</translation>
    </message>
    <message>
        <source>9:00 tomorrow, your local time</source>
        <translation>Завтра в 9:00 по вашему времени</translation>
    </message>
    <message>
        <source>&amp;Pick a date and time…</source>
        <translation>&amp;Выбрать дату и время…</translation>
    </message>
</context>
<context>
    <name>SnoozeUntilDialog</name>
    <message>
        <source>Snooze until</source>
        <translation>Отложить до</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>Дата и время</translation>
    </message>
    <message>
        <source>Your local date and time</source>
        <translation>Дата и время по вашему часовому поясу</translation>
    </message>
    <message>
        <source>&amp;Bring it back at</source>
        <translation>&amp;Вернуть в</translation>
    </message>
    <message>
        <source>Snooze</source>
        <translation>Отложить</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Pick a time in the future to snooze until.</source>
        <translation>Выберите момент в будущем.</translation>
    </message>
    <message>
        <source>A snooze can last at most a year.</source>
        <translation>Отложить можно не больше чем на год.</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>operator-app keeps its local cache in a data folder. {reason}

Fix the folder&apos;s permissions or start operator-app with another folder: operator-app --data-dir PATH</source>
        <translation>operator-app хранит локальный кэш в папке данных. {reason}

Исправьте права на папку или запустите operator-app с другой папкой: operator-app --data-dir ПУТЬ</translation>
    </message>
    <message>
        <source>Cannot use the data folder</source>
        <translation>Папку данных нельзя использовать</translation>
    </message>
    <message>
        <source>The demo data will be generated again.</source>
        <translation>Демо-данные будут созданы заново.</translation>
    </message>
    <message>
        <source>Customer data will be downloaded again from the server once you connect.</source>
        <translation>Данные клиентов снова загрузятся с сервера, когда появится подключение.</translation>
    </message>
    <message>
        <source>The cache file
{path}
was written by a newer version of operator-app, which this version cannot read.

Install the newer version to open it. The file has not been changed.</source>
        <translation>Файл кэша
{path}
записан более новой версией operator-app, и эта версия не может его прочитать.

Установите новую версию, чтобы открыть его. Файл не изменён.</translation>
    </message>
    <message>
        <source>Cache from a newer version</source>
        <translation>Кэш от более новой версии</translation>
    </message>
    <message>
        <source>{reason}

Or start operator-app with another folder: operator-app --data-dir PATH</source>
        <translation>{reason}

Или запустите operator-app с другой папкой: operator-app --data-dir ПУТЬ</translation>
    </message>
    <message>
        <source>Cannot write the cache</source>
        <translation>Не удаётся записать кэш</translation>
    </message>
    <message>
        <source>The file
{path}
is not an operator-app cache (another program may have written it).

Rebuild moves that file aside — nothing is deleted — and creates a new cache. {refill}</source>
        <translation>Файл
{path}
не является кэшем operator-app (возможно, его записала другая программа).

«Пересоздать» отложит этот файл в сторону — ничего не удаляется — и создаст новый кэш. {refill}</translation>
    </message>
    <message>
        <source>Not an operator-app cache</source>
        <translation>Это не кэш operator-app</translation>
    </message>
    <message>
        <source>The cache file
{path}
is damaged or is not a database, so it cannot be read.

Rebuild moves the damaged file aside — nothing is deleted — and creates a new cache. {refill}</source>
        <translation>Файл кэша
{path}
повреждён или не является базой данных, поэтому его нельзя прочитать.

«Пересоздать» отложит повреждённый файл в сторону — ничего не удаляется — и создаст новый кэш. {refill}</translation>
    </message>
    <message>
        <source>Cache file is damaged</source>
        <translation>Файл кэша повреждён</translation>
    </message>
    <message>
        <source>The cache file
{path}
cannot be opened: {reason}</source>
        <translation>Файл кэша
{path}
не открывается: {reason}</translation>
    </message>
    <message>
        <source>Cannot open the cache</source>
        <translation>Не удаётся открыть кэш</translation>
    </message>
    <message>
        <source>The demo could not be written{where}: {reason}.</source>
        <translation>Не удалось записать демо{where}: {reason}.</translation>
    </message>
    <message>
        <source>The demo could not be built: {reason}.</source>
        <translation>Не удалось подготовить демо: {reason}.</translation>
    </message>
    <message>
        <source>Generating customers and their history</source>
        <translation>Создаём клиентов и их историю</translation>
    </message>
    <message>
        <source>Building indexes</source>
        <translation>Строим индексы</translation>
    </message>
    <message>
        <source>Checking references</source>
        <translation>Проверяем связи</translation>
    </message>
    <message>
        <source>Building the search index</source>
        <translation>Строим поисковый индекс</translation>
    </message>
    <message>
        <source>Gathering statistics</source>
        <translation>Собираем статистику</translation>
    </message>
    <message>
        <source>{app} — first demo run</source>
        <translation>{app} — первый запуск демо</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Запуск…</translation>
    </message>
    <message numerus="yes">
        <source>Preparing the demo: %Ln customer(s), generated once.</source>
        <translation>
            <numerusform>Готовим демо: %Ln клиент, создаётся один раз.</numerusform>
            <numerusform>Готовим демо: %Ln клиента, создаются один раз.</numerusform>
            <numerusform>Готовим демо: %Ln клиентов, создаются один раз.</numerusform>
        </translation>
    </message>
    <message>
        <source>Writing {what} rows</source>
        <translation>Записываем: {what}</translation>
    </message>
    <message>
        <source>Cancelling… nothing will be kept.</source>
        <translation>Отмена… ничего не будет сохранено.</translation>
    </message>
    <message>
        <source>Rebuild</source>
        <translation>Пересоздать</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Выйти</translation>
    </message>
    <message>
        <source>Rebuilding did not help.</source>
        <translation>Пересоздание не помогло.</translation>
    </message>
    <message>
        <source>Cannot move the cache aside</source>
        <translation>Не удаётся отложить кэш в сторону</translation>
    </message>
    <message>
        <source>Could not prepare the demo</source>
        <translation>Не удалось подготовить демо</translation>
    </message>
</context>
<context>
    <name>Supervisor</name>
    <message>
        <source>Work areas</source>
        <translation>Рабочие области</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Клиенты</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Супервайзер</translation>
    </message>
    <message>
        <source>&amp;Supervisor view</source>
        <translation>&amp;Режим супервайзера</translation>
    </message>
    <message>
        <source>Review queue and dashboards ({keys})</source>
        <translation>Очередь разборов и показатели ({keys})</translation>
    </message>
    <message>
        <source>Dashboards</source>
        <translation>Показатели</translation>
    </message>
    <message>
        <source>Low-score review queue and dashboards ({keys})</source>
        <translation>Разбор низких оценок и показатели ({keys})</translation>
    </message>
    <message>
        <source>A customer</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Low score: review case opened</source>
        <translation>Низкая оценка: открыт разбор</translation>
    </message>
    <message>
        <source>{name} gave {kind} {score}. Click to open the case.</source>
        <translation>{name}: {kind} {score}. Нажмите, чтобы открыть разбор.</translation>
    </message>
    <message>
        <source>Supervisor pages</source>
        <translation>Разделы супервайзера</translation>
    </message>
    <message>
        <source>Review queue</source>
        <translation>Очередь разборов</translation>
    </message>
</context>
<context>
    <name>SurveyActions</name>
    <message>
        <source>How satisfied were you? 1 = very bad, 5 = very good</source>
        <translation>Насколько вы довольны? 1 — очень плохо, 5 — отлично</translation>
    </message>
    <message>
        <source>Would you recommend us? 0 = not at all, 10 = surely</source>
        <translation>Порекомендуете ли вы нас? 0 — ни за что, 10 — обязательно</translation>
    </message>
    <message>
        <source>How easy was it? 1 = very hard, 7 = very easy</source>
        <translation>Насколько это было легко? 1 — очень трудно, 7 — очень легко</translation>
    </message>
    <message>
        <source>Resolve and ask</source>
        <translation>Решить и спросить оценку</translation>
    </message>
    <message>
        <source>Resolve the conversation and send the customer the policy&apos;s quick survey in their channel ({keys})</source>
        <translation>Решить обращение и отправить клиенту короткий опрос из политики в его канал ({keys})</translation>
    </message>
    <message>
        <source>Choose the survey kind</source>
        <translation>Выбрать вид опроса</translation>
    </message>
    <message>
        <source>Resolve and ask CSAT, NPS or CES, or ask only</source>
        <translation>Решить и спросить CSAT, NPS или CES — или только спросить</translation>
    </message>
    <message>
        <source>Resolve and ask {kind}</source>
        <translation>Решить и спросить {kind}</translation>
    </message>
    <message>
        <source>Ask without resolving (policy&apos;s kind)</source>
        <translation>Спросить, не решая (вид из политики)</translation>
    </message>
    <message>
        <source>Score said on the call</source>
        <translation>Оценка, названная в разговоре</translation>
    </message>
    <message>
        <source>Kind of score said aloud</source>
        <translation>Вид названной оценки</translation>
    </message>
    <message>
        <source>Record {kind} score {score}</source>
        <translation>Записать оценку {kind}: {score}</translation>
    </message>
    <message>
        <source>Score {score} recorded; it reaches the server with the next sync.</source>
        <translation>Оценка {score} записана; на сервер она уйдёт при следующей синхронизации.</translation>
    </message>
    <message>
        <source>Survey queued; it goes out with the next sync, offline or not.</source>
        <translation>Опрос поставлен в очередь; он уйдёт при следующей синхронизации, даже если сейчас нет связи.</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <source>Simulated traffic could not be switched: {reason}</source>
        <translation>Не удалось переключить имитацию обращений: {reason}</translation>
    </message>
    <message>
        <source>The disk is full — free some space; your unsynced changes are kept.</source>
        <translation>Диск заполнен — освободите место; несинхронизированные изменения сохранены.</translation>
    </message>
</context>
<context>
    <name>SyncIssues</name>
    <message>
        <source>Changes that need you</source>
        <translation>Изменения, требующие решения</translation>
    </message>
    <message>
        <source>Someone else changed the same fields on the server:</source>
        <translation>Кто-то другой изменил те же поля на сервере:</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Поле</translation>
    </message>
    <message>
        <source>My value</source>
        <translation>Моё значение</translation>
    </message>
    <message>
        <source>Server value</source>
        <translation>Значение на сервере</translation>
    </message>
    <message>
        <source>Conflicting changes</source>
        <translation>Конфликтующие изменения</translation>
    </message>
    <message>
        <source>The server refused these changes:</source>
        <translation>Сервер отклонил эти изменения:</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Изменение</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>Refused changes</source>
        <translation>Отклонённые изменения</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>Оставить моё</translation>
    </message>
    <message>
        <source>Take theirs</source>
        <translation>Принять с сервера</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Отбросить</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>отклонено</translation>
    </message>
</context>
<context>
    <name>Tier</name>
    <message>
        <source>Standard</source>
        <translation>Стандарт</translation>
    </message>
    <message>
        <source>Silver</source>
        <translation>Серебряный</translation>
    </message>
    <message>
        <source>Gold</source>
        <translation>Золотой</translation>
    </message>
    <message>
        <source>Platinum</source>
        <translation>Платиновый</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>Shown</source>
        <translation>Показано</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Принято</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Не сейчас</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>Отказ</translation>
    </message>
    <message>
        <source>Outgoing</source>
        <translation>Исходящее</translation>
    </message>
    <message>
        <source>Incoming</source>
        <translation>Входящее</translation>
    </message>
    <message>
        <source>open</source>
        <translation>открыто</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>закрыто</translation>
    </message>
    <message>
        <source>Waiting for an answer</source>
        <translation>Ждёт ответа</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Решено</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Обращение</translation>
    </message>
    <message>
        <source>Offer</source>
        <translation>Предложение</translation>
    </message>
    <message>
        <source>Order {number}</source>
        <translation>Заказ {number}</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Заказ</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <source>{kind} survey</source>
        <translation>Опрос {kind}</translation>
    </message>
    <message>
        <source>Survey (kind chosen by the policy)</source>
        <translation>Опрос (вид выбирает политика)</translation>
    </message>
    <message>
        <source>answered {when}</source>
        <translation>ответ получен {when}</translation>
    </message>
    <message>
        <source>No comment</source>
        <translation>Без комментария</translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation>запланирован</translation>
    </message>
    <message>
        <source>Goes out at {when}, after the quiet hours</source>
        <translation>Будет отправлен {when}, после тихих часов</translation>
    </message>
    <message>
        <source>waiting for an answer</source>
        <translation>ждёт ответа</translation>
    </message>
    <message>
        <source>Waiting for the customer&apos;s answer</source>
        <translation>Ждём ответа клиента</translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>Опрос</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Открыто</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>нет ответа</translation>
    </message>
    <message>
        <source>{kind} · no answer</source>
        <translation>{kind} · нет ответа</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Online</source>
        <translation>В сети</translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation>Синхронизация</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Нет связи</translation>
    </message>
    <message>
        <source>Tray menu</source>
        <translation>Меню в области уведомлений</translation>
    </message>
    <message>
        <source>&amp;Show window</source>
        <translation>&amp;Показать окно</translation>
    </message>
    <message>
        <source>&amp;Pause notifications</source>
        <translation>&amp;Приостановить уведомления</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <source>Operator — {state}</source>
        <translation>Оператор — {state}</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting to be sent</source>
        <translation>
            <numerusform>%n изменение ждёт отправки</numerusform>
            <numerusform>%n изменения ждут отправки</numerusform>
            <numerusform>%n изменений ждут отправки</numerusform>
        </translation>
    </message>
    <message>
        <source>Notifications paused</source>
        <translation>Уведомления приостановлены</translation>
    </message>
    <message>
        <source>Notifications off in Settings</source>
        <translation>Уведомления выключены в настройках</translation>
    </message>
    <message>
        <source>{title}: {text}</source>
        <translation>{title}: {text}</translation>
    </message>
</context>
<context>
    <name>UnknownCaller</name>
    <message>
        <source>ext. {number}</source>
        <translation>доб. {number}</translation>
    </message>
    <message>
        <source>Unknown caller {number}</source>
        <translation>Неизвестный абонент {number}</translation>
    </message>
    <message>
        <source>Unknown caller</source>
        <translation>Неизвестный абонент</translation>
    </message>
    <message>
        <source>Unknown caller icon</source>
        <translation>Значок неизвестного абонента</translation>
    </message>
    <message>
        <source>Caller&apos;s number</source>
        <translation>Номер звонящего</translation>
    </message>
    <message>
        <source>No customer in the local cache has this number.</source>
        <translation>Ни у одного клиента в локальном кэше нет этого номера.</translation>
    </message>
    <message>
        <source>Create customer…</source>
        <translation>Создать клиента…</translation>
    </message>
    <message>
        <source>Create customer</source>
        <translation>Создать клиента</translation>
    </message>
    <message>
        <source>Start a new customer card with this number (Ctrl+N)</source>
        <translation>Завести новую карточку клиента с этим номером (Ctrl+N)</translation>
    </message>
    <message>
        <source>Ctrl+N</source>
        <translation>Ctrl+N</translation>
    </message>
    <message>
        <source>Search by name</source>
        <translation>Искать по имени</translation>
    </message>
    <message>
        <source>The caller may be on file under another number (Ctrl+F)</source>
        <translation>Возможно, звонящий записан под другим номером (Ctrl+F)</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Супервайзер</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>Администратор</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Учётные записи</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Имя пользователя</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Полное имя</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Роль</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Users and roles</source>
        <translation>Пользователи и роли</translation>
    </message>
    <message>
        <source>Who may sign in and what they may do. Operators answer customers; supervisors also review low scores; admins also manage these settings. A disabled account is signed out at once.</source>
        <translation>Кто может входить и что им разрешено. Операторы отвечают клиентам; супервайзеры также разбирают низкие оценки; администраторы также управляют этими настройками. Отключённая учётная запись сразу выходит из системы.</translation>
    </message>
    <message>
        <source>Selected account</source>
        <translation>Выбранная учётная запись</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Учётная запись</translation>
    </message>
    <message>
        <source>Role of the selected account</source>
        <translation>Роль выбранной учётной записи</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>Сменить роль</translation>
    </message>
    <message>
        <source>Problem with the role</source>
        <translation>Ошибка в роли</translation>
    </message>
    <message>
        <source>Disable account</source>
        <translation>Отключить учётную запись</translation>
    </message>
    <message>
        <source>Disable or enable account</source>
        <translation>Отключить или включить учётную запись</translation>
    </message>
    <message>
        <source>Empty: generate</source>
        <translation>Пусто: создать</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Новый пароль</translation>
    </message>
    <message>
        <source>Set password</source>
        <translation>Задать пароль</translation>
    </message>
    <message>
        <source>Set a new password</source>
        <translation>Задать новый пароль</translation>
    </message>
    <message>
        <source>Problem with the new password</source>
        <translation>Ошибка в новом пароле</translation>
    </message>
    <message>
        <source>New account</source>
        <translation>Новая учётная запись</translation>
    </message>
    <message>
        <source>User name of the new account</source>
        <translation>Имя пользователя новой учётной записи</translation>
    </message>
    <message>
        <source>e.g. anna.petrova</source>
        <translation>например anna.petrova</translation>
    </message>
    <message>
        <source>Problem with the user name</source>
        <translation>Ошибка в имени пользователя</translation>
    </message>
    <message>
        <source>Full name of the new account</source>
        <translation>Полное имя новой учётной записи</translation>
    </message>
    <message>
        <source>Problem with the full name</source>
        <translation>Ошибка в полном имени</translation>
    </message>
    <message>
        <source>Role of the new account</source>
        <translation>Роль новой учётной записи</translation>
    </message>
    <message>
        <source>Password of the new account</source>
        <translation>Пароль новой учётной записи</translation>
    </message>
    <message>
        <source>At least 8 characters</source>
        <translation>Не меньше 8 символов</translation>
    </message>
    <message>
        <source>Make a password for me</source>
        <translation>Создать пароль автоматически</translation>
    </message>
    <message>
        <source>Problem with the password</source>
        <translation>Ошибка в пароле</translation>
    </message>
    <message>
        <source>Create account</source>
        <translation>Создать учётную запись</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <source>Password to hand over</source>
        <translation>Пароль для передачи</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Отключена</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Активна</translation>
    </message>
    <message>
        <source>Choose an account in the list</source>
        <translation>Выберите учётную запись в списке</translation>
    </message>
    <message>
        <source>Enable account</source>
        <translation>Включить учётную запись</translation>
    </message>
    <message>
        <source>Enter a user name.</source>
        <translation>Введите имя пользователя.</translation>
    </message>
    <message>
        <source>Account {name} created.</source>
        <translation>Учётная запись {name} создана.</translation>
    </message>
    <message>
        <source>Creating the account…</source>
        <translation>Создание учётной записи…</translation>
    </message>
    <message>
        <source>Password for {name}: {secret} — give it to them now; it is not shown again.</source>
        <translation>Пароль для {name}: {secret} — передайте его сейчас; больше он не будет показан.</translation>
    </message>
    <message>
        <source>Disable {name}? They are signed out at once and cannot sign in until an admin enables the account again. Their work stays.</source>
        <translation>Отключить {name}? Пользователь сразу выйдет из системы и не сможет войти, пока администратор снова не включит учётную запись. Его работа сохранится.</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Отключить</translation>
    </message>
    <message>
        <source>Saved: {name}.</source>
        <translation>Сохранено: {name}.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Сохранение…</translation>
    </message>
    <message>
        <source>New password set for {name}; their sessions were ended.</source>
        <translation>Новый пароль для {name} задан; его сеансы завершены.</translation>
    </message>
</context>
<context>
    <name>ValueStrip</name>
    <message>
        <source>New</source>
        <translation>Новый</translation>
    </message>
    <message>
        <source>Loyal</source>
        <translation>Лояльный</translation>
    </message>
    <message>
        <source>High value</source>
        <translation>Высокая ценность</translation>
    </message>
    <message>
        <source>At risk</source>
        <translation>Под угрозой ухода</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Ушедший</translation>
    </message>
    <message>
        <source>New: bought once, recently. Too early to judge how they will buy.</source>
        <translation>Новый: одна покупка, и недавно. Пока рано судить, как он будет покупать.</translation>
    </message>
    <message>
        <source>Loyal: came back and buys again; most likely still a customer.</source>
        <translation>Лояльный: вернулся и покупает снова; скорее всего, всё ещё наш клиент.</translation>
    </message>
    <message>
        <source>High value: among the top fifth of customers by what they are expected to bring.</source>
        <translation>Высокая ценность: в верхней пятой части клиентов по ожидаемой выручке.</translation>
    </message>
    <message>
        <source>At risk: used to buy, but is slipping away. Treat this contact as a chance to keep them, not to sell.</source>
        <translation>Под угрозой ухода: раньше покупал, но отдаляется. Этот контакт — шанс удержать клиента, а не продать.</translation>
    </message>
    <message>
        <source>Lost: has not bought for a long time and is very unlikely to come back on their own.</source>
        <translation>Ушедший: давно не покупал и вряд ли вернётся сам.</translation>
    </message>
    <message>
        <source>not estimated yet</source>
        <translation>нет расчёта</translation>
    </message>
    <message>
        <source>The server estimates this from the customer&apos;s purchases every night. It has not done so for this customer yet (for example, no purchases, or a new server).</source>
        <translation>Сервер рассчитывает это каждую ночь по покупкам клиента. Для этого клиента расчёта ещё не было (например, нет покупок или сервер новый).</translation>
    </message>
    <message>
        <source>What this customer has brought so far: the sum of paid orders minus refunds</source>
        <translation>Сколько клиент уже принёс: сумма оплаченных заказов за вычетом возвратов</translation>
    </message>
    <message>
        <source>since {date}</source>
        <translation>с {date}</translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) in total.</source>
        <translation>
            <numerusform>Всего %n заказ.</numerusform>
            <numerusform>Всего %n заказа.</numerusform>
            <numerusform>Всего %n заказов.</numerusform>
        </translation>
    </message>
    <message>
        <source>What this customer is expected to spend with us over the next 12 months, judged by how often and how much they have bought so far.</source>
        <translation>Сколько клиент, по прогнозу, потратит у нас за следующие 12 месяцев — судя по тому, как часто и на какие суммы он покупал до сих пор.</translation>
    </message>
    <message>
        <source>About {count} purchase(s) expected.</source>
        <translation>Ожидаемое число покупок: около {count}.</translation>
    </message>
    <message>
        <source>How likely the customer still buys from us, judged by how regularly they bought and how long ago the last purchase was.</source>
        <translation>Насколько вероятно, что клиент всё ещё покупает у нас, — судя по регулярности покупок и давности последней из них.</translation>
    </message>
    <message>
        <source>Of 100 customers who bought like this, about {n} are still active.</source>
        <translation>Из 100 клиентов, покупавших так же, примерно {n} всё ещё активны.</translation>
    </message>
    <message>
        <source>Likely still active: {percent}</source>
        <translation>Вероятность активности: {percent}</translation>
    </message>
    <message>
        <source>Last answers: CSAT on 1–5 (5 = very satisfied) / NPS on 0–10</source>
        <translation>Последние ответы: CSAT по шкале 1–5 (5 — очень доволен) / NPS по шкале 0–10</translation>
    </message>
    <message>
        <source>Value segment: {name}</source>
        <translation>Сегмент ценности: {name}</translation>
    </message>
</context>
<context>
    <name>WindowSync</name>
    <message>
        <source>Online</source>
        <translation>В сети</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Нет связи</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Синхронизация…</translation>
    </message>
    <message>
        <source>Sign-in needed</source>
        <translation>Нужно войти</translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation>Ход синхронизации</translation>
    </message>
    <message>
        <source>&amp;Sign in…</source>
        <translation>&amp;Войти…</translation>
    </message>
    <message>
        <source>Sign in to a server (Ctrl+Shift+L)</source>
        <translation>Войти на сервер (Ctrl+Shift+L)</translation>
    </message>
    <message>
        <source>Write a note or reply</source>
        <translation>Написать заметку или ответ</translation>
    </message>
    <message>
        <source>Resolve conversation</source>
        <translation>Решить обращение</translation>
    </message>
    <message>
        <source>Set conversation pending</source>
        <translation>Перевести обращение в ожидание</translation>
    </message>
    <message>
        <source>Reopen conversation</source>
        <translation>Снова открыть обращение</translation>
    </message>
    <message>
        <source>Simulate &amp;traffic</source>
        <translation>Имитировать &amp;обращения</translation>
    </message>
    <message>
        <source>Customers call and write every few seconds</source>
        <translation>Клиенты звонят и пишут каждые несколько секунд</translation>
    </message>
    <message>
        <source>&amp;Demo</source>
        <translation>&amp;Демо</translation>
    </message>
    <message>
        <source>Not signed in — File › Sign in…</source>
        <translation>Вход не выполнен — Файл › Войти…</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Подключение…</translation>
    </message>
    <message>
        <source>Connection to the server</source>
        <translation>Связь с сервером</translation>
    </message>
    <message>
        <source>conflicts: {count}</source>
        <translation>конфликтов: {count}</translation>
    </message>
    <message>
        <source>refused: {count}</source>
        <translation>отклонено: {count}</translation>
    </message>
    <message numerus="yes">
        <source>Downloaded %Ln change(s)…</source>
        <translation>
            <numerusform>Загружено %Ln изменение…</numerusform>
            <numerusform>Загружено %Ln изменения…</numerusform>
            <numerusform>Загружено %Ln изменений…</numerusform>
        </translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>Входящий звонок</translation>
    </message>
</context>
<context>
    <name>WorklistActions</name>
    <message>
        <source>Sign in to a server to move follow-ups (File › Sign in…); the new time must reach your team.</source>
        <translation>Чтобы перенести напоминание, войдите на сервер (Файл › Войти…): новое время должна увидеть ваша команда.</translation>
    </message>
    <message>
        <source>Follow-up with {name} moved to {when}</source>
        <translation>Напоминание по клиенту {name} перенесено на {when}</translation>
    </message>
    <message>
        <source>{name} snoozed until {when}</source>
        <translation>{name}: отложено до {when}</translation>
    </message>
</context>
<context>
    <name>WorklistModel</name>
    <message>
        <source>no topic</source>
        <translation>без темы</translation>
    </message>
    <message>
        <source>{name}: {topic} ({channel})</source>
        <translation>{name}: {topic} ({channel})</translation>
    </message>
    <message>
        <source>waiting for our reply for {age}</source>
        <translation>ждёт нашего ответа уже {age}</translation>
    </message>
    <message>
        <source>follow-up overdue by {age}</source>
        <translation>напоминание просрочено на {age}</translation>
    </message>
    <message>
        <source>follow-up due {age}</source>
        <translation>напоминание: {age}</translation>
    </message>
    <message>
        <source>opened {age} ago</source>
        <translation>открыто {age} назад</translation>
    </message>
</context>
</TS>

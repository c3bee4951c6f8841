"""Every Persian string a user reads, in one place: the terminal, the bot's replies, alerts and commands.

Kept apart from the handlers so wording can be reviewed (and one day translated) without
reading code. HTML strings are already escaped where they hold markup; ``{}`` fields are
filled by the caller, which escapes what it puts in.
"""

from __future__ import annotations

from collections.abc import Sequence

RLM = "\u200f"  # a right-to-left mark: gives a line a right-to-left base direction

NO_ANSWER_TERMINAL = "پاسخی برای این پرسش در خبرهای موجود پیدا نشد. پرسش را با واژه‌های دیگری بپرسید."
NO_ANSWER = (
    "متأسفانه در خبرهایی که در اختیار دارم پاسخی برای این پرسش پیدا نکردم. اگر می‌توانید پرسش را با واژه‌های دیگر یا دقیق‌تر بپرسید."
)
NO_ANSWER_ENGLISH = "No answer to this question was found in the news articles I have; try asking in other words."
ANSWER_HEADER = "<b>پاسخ از میان خبرها:</b>"
# Above the quotes when the question was in another language: the sources, and so the quotes, are Persian.
FOREIGN_NOTE = "منبع‌ها فارسی‌اند؛ نقل‌قول‌ها عین متن خبرهای فارسی است. (Sources are in Persian, quoted verbatim.)"
# Under a question typed in Latin letters: how it was read, so a misreading shows.
READ_AS = "پرسش شما را این‌طور خواندم: «{read_as}»"
# above quotes that do not say what the question asks for exactly (retrieval.records.Answer.unsaid)
UNSAID = {
    "age": "در این خبرها سنی گفته نشده است؛ نزدیک‌ترین جمله‌ها به پرسش شما:",
    "percentage": "در این خبرها درصدی گفته نشده است؛ نزدیک‌ترین جمله‌ها به پرسش شما:",
    "year": "در این خبرها سالی گفته نشده است؛ نزدیک‌ترین جمله‌ها به پرسش شما:",
    "century": "در این خبرها قرنی گفته نشده است؛ نزدیک‌ترین جمله‌ها به پرسش شما:",
    "date": "در این خبرها تاریخی گفته نشده است؛ نزدیک‌ترین جمله‌ها به پرسش شما:",
}
UNSAID_SHORT = {  # the same, on the button above inline results
    "age": "سنی گفته نشده؛ نزدیک‌ترین جمله‌ها:",
    "percentage": "درصدی گفته نشده؛ نزدیک‌ترین جمله‌ها:",
    "year": "سالی گفته نشده؛ نزدیک‌ترین جمله‌ها:",
    "century": "قرنی گفته نشده؛ نزدیک‌ترین جمله‌ها:",
    "date": "تاریخی گفته نشده؛ نزدیک‌ترین جمله‌ها:",
}
READ_AS_SHORT = "خواندم: «{read_as}»"  # the same, on the button above inline results
FOLLOW_UP_HEADER = "<b>پاسخ از میان خبرها</b> (در ادامهٔ «{earlier}»):"

TEXTS = {
    "start": (
        "سلام! من <b>پاسخ</b> هستم. پرسش‌های فارسی شما را از روی {articles} خبری که در اختیار دارم پاسخ می‌دهم "
        "و جمله‌های پاسخ را عیناً، همراه با نام خبر، خبرگزاری و تاریخ (اگر خبر تاریخی داشته باشد)، نقل می‌کنم.\n\n"
        "برای نمونه بپرسید:\n{examples}\n\nراهنما: /help"
    ),
    "help": (
        "پرسش خود را به فارسی بنویسید و بفرستید (با حروف لاتین هم می‌شود: chand ta tarh emza shodan?). "
        "پاسخ، نقل‌قول عین جمله‌های خبرهاست با شماره و منبع.\n\n"
        "• دکمهٔ هر خبر، متن کامل آن را نشان می‌دهد.\n• «نتایج بیشتر» نقل‌قول‌های بعدی را می‌آورد.\n"
        "• با 👍 و 👎 بگویید پاسخ به کارتان آمد یا نه.\n"
        "• برای پرسش پیگیری، روی پاسخ من «پاسخ» (Reply) بزنید و کوتاه بپرسید؛ مثلاً «کی؟» یا «تو تهران چطور؟».\n\n"
        "در گروه‌ها: مرا منشن کنید، به پیام من پاسخ دهید، یا از /ask استفاده کنید.\n"
        "در هر گفتگویی: @{username} و سپس پرسش.\n\n"
        "/latest تازه‌ترین خبرها · /articles فهرست همهٔ خبرها · /ask پرسیدن در گروه\n"
        "/about دربارهٔ من · /privacy حریم خصوصی · /forget پاک‌کردن پرسش‌های من · /start آغاز · /help همین راهنما"
    ),
    "about": (
        "<b>پاسخ</b> پرسش‌ها را با جستجوی واژگانی و معنایی در خبرها پاسخ می‌دهد و هرگز متن خبر را تغییر نمی‌دهد: "
        "هر نقل‌قول عیناً از متن خبر است، با نام خبر، خبرگزاری و پیوند آن، و تاریخ خبر اگر خود خبر تاریخی داشته باشد "
        "(تاریخی از خود نمی‌سازد). اگر پاسخی در خبرها نباشد، همین را می‌گوید."
    ),
    "privacy_logged": (
        "<b>حریم خصوصی</b>\n"
        "• برای بهترکردن پاسخ‌ها، متن پرسش‌ها، نقل‌قول‌هایی که نشان داده‌ام و رأی 👍/👎 را تا {days} روز نگه می‌دارم "
        "و پس از آن خودکار پاک می‌کنم.\n"
        "• شناسهٔ شما و گفتگو را خام ذخیره نمی‌کنم؛ فقط به‌صورت درهم‌سازی‌شده با کلیدی محرمانه.\n"
        "• با /forget همهٔ پرسش‌ها و رأی‌های شما همین حالا پاک می‌شود."
    ),
    "privacy_unlogged": (
        "<b>حریم خصوصی</b>\n"
        "• پرسش‌ها روی دیسک ذخیره نمی‌شوند. فقط تا وقتی ربات در حال اجراست، پرسش‌های {days} روز اخیر در حافظه می‌مانند "
        "تا «نتایج بیشتر» و پرسش‌های پیگیری کار کنند.\n"
        "• شناسهٔ شما و گفتگو فقط به‌صورت درهم‌سازی‌شده نگه داشته می‌شود.\n"
        "• با /forget همین حالا پاک می‌شوند."
    ),
    "forgot": "{questions} پرسش و {votes} رأی شما پاک شد.",
    "forget_failed": "پرسش‌ها و رأی‌های شما اکنون پاک نشد؛ لطفاً کمی بعد دوباره /forget را بفرستید.",
    "forgot_nothing": "پرسش یا رأیی از شما ذخیره نشده بود.",
    "group_hello": (
        "سلام! من <b>پاسخ</b> هستم: پرسش‌ها را با نقل عین جمله‌های خبرها، همراه با منبع، پاسخ می‌دهم.\n"
        "در این گروه فقط پیام‌هایی را می‌بینم که خطاب به من باشد:\n"
        "• مرا منشن کنید: @{username} و سپس پرسش\n"
        "• به یکی از پیام‌های من پاسخ (Reply) بدهید\n"
        "• یا /ask و سپس پرسش را بفرستید؛ مثلاً: /ask {example}"
    ),
    "not_text": "من فقط پرسش‌های متنی را پاسخ می‌دهم. لطفاً پرسش خود را به صورت متن بنویسید.",
    "empty": "لطفاً پرسش خود را بنویسید؛ برای نمونه: /help",
    "no_words": "پرسش شما واژه‌ای برای جستجو ندارد. لطفاً پرسش را با چند واژه بنویسید.",
    "link": "پیوند به‌تنهایی پرسش نیست. لطفاً پرسش خود را درباره خبر با چند واژه بنویسید.",
    "too_long": "پرسش شما {length} نویسه است و بیش از حد مجاز ({limit} نویسه). لطفاً کوتاه‌تر بپرسید.",
    "rate": "پرسش‌های شما کمی زیاد شده است. لطفاً {seconds} ثانیهٔ دیگر دوباره بپرسید.",
    "not_allowed": "متأسفم، این ربات در این گفتگو فعال نیست.",
    "admin_only": "این فرمان فقط برای مدیران ربات است.",
    "error": "متأسفانه هنگام پاسخ‌دادن خطایی رخ داد. لطفاً کمی بعد دوباره امتحان کنید.",
    "unavailable": "پایگاه خبرها لحظه‌ای در دسترس نیست. لطفاً چند ثانیهٔ دیگر دوباره بپرسید.",
    "ask_usage": "پس از /ask پرسش خود را بنویسید؛ برای نمونه: /ask طرح بشیر چه تأثیری بر آمار طلاق داشته است؟",
    "stats": (
        "پرسش‌ها: {questions}\nبی‌پاسخ: {abstained} ({rate})\n"
        "👍 {up} · 👎 {down}\nخبرها: {articles} · جمله‌ها: {sentences}"
    ),
    "reloaded": "به‌روز شد. خبرها: {articles} · جمله‌ها: {sentences}",
    "not_reloaded": "تغییری نبود. خبرها: {articles} · جمله‌ها: {sentences}",
    "articles_head": "<b>خبرها ({total})</b> — صفحهٔ {page} از {pages}",
    "example_question": "دربارهٔ «{title}» چه می‌دانی؟",
}

# Short texts shown on buttons and in callback alerts (an alert holds at most 200 characters).
BUTTONS = {
    "more": "نتایج بیشتر",
    "previous": "→ قبلی",
    "next": "بعدی ←",
}
ALERTS = {
    "no_more": "نتیجهٔ دیگری پیدا نشد.",
    "thanks": "از بازخورد شما سپاسگزارم!",
    "unsaved": "بازخورد شما اکنون ذخیره نشد؛ لطفاً کمی بعد دوباره بزنید.",
    "gone": "این خبر دیگر در دسترس نیست.",
    "invalid": "این دکمه معتبر نیست.",
    "stale": "این پاسخ قدیمی است و دیگر در دسترس نیست؛ لطفاً دوباره بپرسید.",
    "not_yours": "فقط کسی که پرسیده می‌تواند به این پاسخ رأی بدهد.",
    "not_allowed": "متأسفم، این ربات برای شما فعال نیست.",
    "rate": "کمی آهسته‌تر لطفاً؛ {seconds} ثانیهٔ دیگر دوباره امتحان کنید.",
}

# (command, description) in the order Telegram's menu shows them; admin commands are not listed.
COMMANDS = [
    ("start", "آغاز و نمونهٔ پرسش‌ها"),
    ("help", "راهنما"),
    ("ask", "پرسیدن (در گروه‌ها)"),
    ("latest", "تازه‌ترین خبرها"),
    ("articles", "فهرست خبرها"),
    ("privacy", "چه چیزی نگه داشته می‌شود"),
    ("forget", "پاک‌کردن پرسش‌ها و رأی‌های من"),
    ("about", "دربارهٔ ربات"),
]


def also_ran(outlets: Sequence[str]) -> str:
    """«همین متن در ایرنا و مهر هم آمده است»: wire copy other outlets also ran."""
    names = list(outlets)
    joined = names[0] if len(names) == 1 else "، ".join(names[:-1]) + " و " + names[-1]
    return f"همین متن در {joined} هم آمده است"


LATEST_HEADER = "تازه‌ترین خبرها"  # a list of the last [bot] latest_days
READ_ON = "ادامهٔ متن در منبع خبر"
CUT = "…"  # after a speaker's words whose sentence goes on unshown («… اظهار کرد: …»)
READ_ARTICLE = "متن خبر"
CUT_SHORT = "متن این خبر بلندتر از آن است که این‌جا نشان داده شود."
LATEST_EMPTY = (
    "در {days} روز گذشته خبر تاریخ‌داری در پیکره نیست. منبع‌های خبری را در config.toml تعریف کنید (README، Follow news sites)."
)

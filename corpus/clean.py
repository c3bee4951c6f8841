"""Strip site chrome and repeated paragraphs from scraped news pages.

The rules come from what Persian news sites wrap around an article (see corpus/demo):
comment-policy blocks, «ارسال نظر», captcha, "most read" trailers, and headlines or whole
bodies printed twice. Paragraphs that survive are returned verbatim.
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpus.metadata import (
    CODE_LABEL,
    agency_named_by,
    credited_outlet,
    is_code_line,
    is_date_line,
    is_other_calendar,
    unmistakable,
)
from corpus.normalize import fold, match_key, normalize
from corpus.unwrap import stops_attached, unwrap

# A line that is nothing but one of these is chrome wherever it appears.
_CHROME_LINES_RAW = (
    "English",
    "فارسی",
    "العربیة",
    "ارسال نظر",
    "ثبت بازخورد",
    "واقعا راضیام",
    "واقعا راضی‌ام",
    "اصلا راضی نیستم",
    "از شما سپاسگزاریم",
    "نظر شما",
    "نظرات",
    "captcha",
    "برچسبها",
    "برچسب‌ها",
    "برچسب ها",
    "مهمترین اخبار",
    "مهم‌ترین اخبار",
    "گفتگو",
    "آخرین اخبار",
    "آخرین اخبار گروه",
    "آخرین مطالب",
    "پربازدیدترین",
    "پربازدیدترین گروه",
    "پربازدیدترین اخبار",
    "پیشنهاد امروز",
    "اخبار مرتبط",
    "خبرهای مرتبط",
    "آیا این خبر مفید بود؟",
    "اشتراک گذاری",
    "اشتراک‌گذاری",
    "چاپ",
    "ارسال به دوستان",
    "کلمات کلیدی",
    "تگ ها",
    "تگ‌ها",
    "بازگشت",
    "صفحه اصلی",
    "نسخه چاپی",
    "لینک کوتاه",
    "بیشتر بخوانید",
    "بزرگ‌نمایی",
    "تاریخ انتشار",  # the label alone, its date left for a script to fill
    "مطالعه بیشتر",
    "ادامه مطلب",
    "ادامه نوشته",  # a blog's «read more» (Blogfa)
    # an advertisement's label over the site's ads
    "تبلیغات",
    "تبلیغات متنی",
    "آگهی",
    "فیلم بیشتر",
    "عکس بیشتر",
    "پخش زنده",
    "خبر فوری",
    # a story's kind, printed over it as a label
    "گزارش",
    "گزارش تصویری",
    "یادداشت",
    "یادداشت روز",
    "سرمقاله",
    "تحلیل",
    "مصاحبه",
    "گفت‌وگو",
    "ویدیو",
    "ویدئو",
    "اینفوگرافیک",
    "پادکست",
    "فوری",
    "سرخط خبرها",
    "لینک‌های قابلیت دسترسی",
    "این خبر را به اشتراک بگذارید",
    "این مطلب را به اشتراک بگذارید",
    "نظرات کاربران",
    # a blog engine's comment form (WordPress in Persian)
    "ارسال یک پاسخ",
    "ارسال دیدگاه",
    "دیدگاهتان را بنویسید",
    "لغو پاسخ",
    # a blog engine's login form
    "نام کاربری یا نشانی ایمیل",
    "نام کاربری یا ایمیل",
    "رمز عبور",
    "مرا به خاطر بسپار",
    "رمز عبور را فراموش کرده‌اید؟",
    "صفحات",  # a newspaper's list of its pages
    # a site's section, printed alone over the story as its label
    "سیاسی",
    "اقتصادی",
    "اجتماعی",
    "فرهنگی",
    "ورزشی",
    "بین الملل",
    "بین‌الملل",
    "فرهنگ و هنر",
    "علمی",
    "علم و فناوری",
    "حوادث",
    "استان‌ها",
    "استانها",
    "جامعه",
    "سلامت",
    "Read more",
    "Web Analytics Made Easy - Statcounter",  # an analytics script's text for readers without scripts
    # a Telegram channel's web preview, saved as text
    "Download Telegram",
    "VIEW IN TELEGRAM",
    "This media is not supported in your browser",
    "رأی دهید",  # a story's voting buttons
    "رای دهید",
    "Continue reading",
    # a theme's search box (Astra, as Persian WordPress sites print it)
    "جستجو",
    "جستجو کنید",
    "Close this search box.",
    "ارسال نظرات",
    "قوانین ارسال نظر",
    "قوانین ارسال دیدگاه",
    # the publication's label alone, its date in another element or left for a script to fill
    "منتشر شده در",
    "منتشر شده",
    "زمان انتشار",
    "تاریخ خبر",
    # a sidebar's widgets, by their headings: prayer times and the day's prices
    "اوقات شرعی",
    "قیمت سکه و ارز",
    "قیمت طلا و سکه",
    "نرخ ارز",
)
# Once one of these starts a line after the body has begun, the rest of the page is trailer.
_TRAILER_STARTS_RAW = (
    "آیا این خبر مفید بود؟",
    "ارسال نظر",
    "نظر شما",
    "برچسبها",
    "برچسب‌ها",
    "برچسب ها",
    "مهمترین اخبار",
    "مهم‌ترین اخبار",
    "اخبار مرتبط",
    "خبرهای مرتبط",
    "کلمات کلیدی",
    "پیشنهاد امروز",
    "پربازدیدترین",
    # the site's other lists under the story
    "مطالب پیشنهادی",
    "پیشنهاد ویژه",
    "پربیننده‌ترین",
    "پربیننده‌ترین اخبار",
    "پربحث‌ترین",
    "پربحث‌ترین اخبار",
    "سایر اخبار",
    "اخبار بیشتر",
    "خبرهای بیشتر",
    # other outlets' stories listed under the story (Eghtesadnews)
    "اخبار روز سایر رسانه ها",
    "اخبار روز",  # the day's other stories listed under the story (Akhbar-e Man)
    "سایر رسانه ها",
    "از سایر رسانه ها",
)
# «تازه‌ترین خبرهای روز را اینجا دنبال کنید» (Azadi Radio, Radio Farda): a link to the news feed,
# and the other stories the page lists under it
_MORE_NEWS_HERE = re.compile(
    r"^(تازه[\s\u200c]*ترین|آخرین|مهم[\s\u200c]*ترین)\s*(خبر|خبرها|اخبار)[^.!؟?]{0,30}\s(را|رو)\s*(در\s*)?اینجا\s*"
    r"(دنبال کنید|بخوانید|ببینید)\W*$"
)
# A line that starts with one of these ends the article wherever it stands («انتهای پیام/ز»).
_END_OF_STORY = re.compile(r"^(انتهای پیام|انتهای خبر|پایان پیام)(\s*[/:.\-].{0,10})?$")
# the story's tags on one line («برچسب ها: تهران، روزنامه»): the page's trailer begins there
_TAGS_LINE = re.compile(r"^(برچسب[\s\u200c]*ها|کلمات کلیدی|کلید[\s\u200c]*واژه[\s\u200c]*ها|تگ[\s\u200c]*ها)\s*[:：]")
# a link as people paste it: any scheme («https://», «tg://»), or a bare «www.» or «t.me/» address
# and a short link by its bare domain and path, as channels paste them («bbc.in/3Z3Rnc2», «b2n.ir/x7k»)
LINK = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\bt\.me/)\S+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}/\S*", re.IGNORECASE)
# the admin who posted it, after a bar: «| Taymaz», «| فرید» (a channel's sign-off, FunHipHop's)
_ADMIN = r"\|\s*[^\s|.!؟?:،,]+(?:\s[^\s|.!؟?:،,]+){0,2}"
# a channel's sign-off: its handle, and the admin's name after it («@FunHipHop | Taymaz»)
_SIGN_OFF = rf"@\w{{3,}}(?:\s*{_ADMIN})?"
# a sentence an excerpt cuts off, as a blog engine marks it: «… باعث شده است که جستجوگران […]»
_CUT_OFF = r"[^.!?؟]{1,300}\[\s*(?:…|\.\.\.|&hellip;)\s*\]$"
# the same marker, or an editor's mark («/س», «//», «/۲»), glued to the story's last sentence:
# «… برطرف شود./س», «… رسید. انتهای پیام/»; a trailing slice of the paragraph, cut off
_GLUED_END_OF_STORY = re.compile(r"(?<=[.!?؟»)])\s*(?:انتهای پیام|انتهای خبر|پایان پیام)(?:\s*[/:.\-][^.!?؟]{0,10})?$")
_GLUED_MARK = re.compile(
    r"(?<=[.!?؟»)])\s*/{1,2}\s*[^\s/.!?؟]{0,4}$"
    # IRNA's older sign-off, the desk's initials and two codes joined by a tatweel: «… شدند. سیام 1545ـ1415»
    r"|(?<=[.!?؟»)])\s*[\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]{2,6}\s+[0-9۰-۹]{3,5}\s*ـ\s*[0-9۰-۹]{3,5}$"
    # after a bare word, initials only: «… تومان/ماه» ends a price, not a story
    r"|(?<=[\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc])/{1,2}[\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]$"
    # a blog engine's link to the rest after an excerpt: «… بیرون … ادامه خواندن مسوولین هم …» (WordPress)
    r"|(?<=[.!?؟»)…])\s*ادامه (?:خواندن|مطلب|نوشته)\s[^.!؟?]{1,150}$"
    # an excerpt's last words cut off, as a blog engine marks them: «… باعث شده است که جستجوگران […]»
    # (WordPress): the sentences before it are whole, the last is not the source's sentence
    rf"|(?<=[.!?؟»)])\s+{_CUT_OFF}"
    # a channel's handle or a link glued after the post's last sentence: «… شرکت کند. @Farsna» (Fars);
    # a handle, after a caption with no stop too: «… به غزه  @Farsna»
    rf"|(?<=[.!?؟»)…])\s*(?:(?:{_SIGN_OFF}|(?i:{LINK.pattern}))\s*)+$"
    rf"|(?<=\w)\s+(?:{_SIGN_OFF}\s*)+$"
)
# who made the page, as its credits name them («خبرنگار: …», «عکس: …», «منبع: …»): a credit on one
# line is chrome, and its label alone joins the name on the next line (``_labels_joined``)
_CREDIT_WORDS = "خبرنگار|گزارشگر|نویسنده|ویراستار|دبیر|عکس|عکاس|تصویر|ترجمه|مترجم|تهیه و تنظیم|تنظیم|گردآوری|منبع"
_CHROME_PATTERNS = [
    re.compile(p)
    for p in (
        r"(نظرات|نظراتی|پیام ?ها|پیام‌ها|دیدگاه ?ها|دیدگاه‌ها).{0,80}منتشر (نمی ?شود|نمی‌شود|نخواهد شد)",
        r"در حال پاسخ به نظر",
        r"(نشانی|آدرس)\s*(ایمیل|پست الکترونیک|پست الکترونیکی)\s*شما\s*منتشر (نمی ?شود|نمی‌شود|نخواهد شد)",
        r"^(نام|نام شما|ایمیل|پست الکترونیک|نشانی ایمیل|وب[\s\u200c]*سایت|دیدگاه|متن نظر)\s*[:：]?\s*\*$",  # its fields
        # «الف الف», «A+ A-»: the buttons that change the text's size
        r"^(?:(?:الف|A|T)\s*[+\-−]?\s*){2,3}$",
        r"^[+\-−]\s*[0-9۰-۹]+$",  # a story's votes for and against («+3», «-10»)
        # «۰ نفر»: how many readers liked the story (IRNA), on a line of its own
        r"^[0-9۰-۹]+\s*نفر$",
        # «چهارشنبه ۹ فروردین ۱۴۰۲ تهران ۱۶:۵۹»: the site's clock in its header, by the city it keeps
        r"^[^.!؟?]{0,12}[0-9۰-۹]{1,2}\s+\S+\s+[0-9۰-۹]{4}\s*[،,\-–]?\s*(تهران|کابل)\s*[0-9۰-۹]{1,2}:[0-9۰-۹]{2}$",
        r"^[•·*\-]?\s*captcha\s*$",
        r"^[•·*\-]?\s*(ساعت|تاریخ)\s*[:：]\s*$",  # the site's clock, its time left for a script to fill
        r"^لطفا? (پاسخ|جواب|حاصل)[^.!؟?]{0,40}(وارد کنید|بنویسید)\s*[:：]?$",  # a form's arithmetic check
        r"^(تعداد\s*)?(بازدید|مشاهده|دیدگاه|نظر|نظرات|دیدگاه[\s\u200c]*ها)\s*[:：]?\s*[0-9۰-۹]+(\s*(بازدید|نظر|دیدگاه))?$",
        # a site's feedback box and a form's thanks: «لطفا میزان رضایت خود را از دیجیاتو انتخاب کنید.»,
        # «چطور می‌توانیم تجربه بهتری برای شما بسازیم؟», «نظر شما با موفقیت ثبت شد.» (Digiato)
        r"میزان رضایت (خود|تان)[^.!؟?]{0,40}انتخاب کنید|تجربه[\s\u200c]*(ای)? بهتری برای (شما|تان)[^.!؟?]{0,20}بسازیم|"
        r"^(نظر|دیدگاه|پیام|بازخورد)[\s\u200c]*(شما)?[^.!؟?]{0,20}با موفقیت (ثبت|ارسال) (شد|گردید)|"
        r"^از (این[\s\u200c]*که|اینکه) ما را[^.!؟?]{0,80}همراهی می[\s\u200c]*کنید",
        # «۲۱ بازدید», «239 ویدئو»: a count of views, or of the items in the page's section
        r"^[0-9۰-۹][0-9۰-۹,٬]*\s*(بار\s*)?(بازدید|مشاهده|نمایش|دیده[\s\u200c]*شده|لایک|پسند|ویدئو|ویدیو|مطلب|فیلم|عکس|"
        r"دنبال[\s\u200c]*کننده)$",
        # a comment area with no comment yet: «تا کنون برای این ویدئو دیدگاهی نوشته نشده است.»
        r"^(تا\s*کنون|تاکنون|هنوز)\s*(هیچ\s*)?((برای|درباره|در|به)\s*این\s*\S+\s*)?(هیچ\s*)?(دیدگاه|نظر)(ی|\s*ای)?\s*"
        r"((برای|درباره|در|به)\s*این\s*\S+\s*)?(ثبت|نوشته|ارسال|درج)[\s\u200c]*نشده(\s*است)?\s*[.!]?$",
        r"^(اولین|نخستین)\s*(نفری|کسی)\s*باشید\s*که[^.!؟?]{0,40}(دیدگاه|نظر)[^.!؟?]{0,20}[.!]?$",
        # a blog's footer: «+ نوشته شده در دوشنبه هجدهم آبان ۱۳۹۴ ساعت 16:9 توسط محمد ابراهیم آخوندان» (Blogfa)
        r"^\+?\s*نوشته[\s\u200c]*شده\s*در\s[^.!؟?]{4,60}\sتوسط\s[^.!؟?]{2,40}$",
        # a sidebar's prayer times: «اذان صبح ۰۳:۳۵:۰۰», «اوقات شرعی به افق تهران»
        r"^(اذان\s*(صبح|ظهر|مغرب|عشا)|طلوع\s*(آفتاب|خورشید)|غروب\s*(آفتاب|خورشید)|نیمه[\s\u200c]*شب(\s*شرعی)?)\s*[:：]?\s*"
        r"[0-9۰-۹]{1,2}:[0-9۰-۹]{2}(:[0-9۰-۹]{2})?$",
        r"^اوقات\s*شرعی(\s*به\s*افق)?(\s+[^\s.!؟?:0-9۰-۹]+){0,2}$",
        # the links a page offers to skip its menus («۱. پرش به گزارش», «رفتن به محتوا»: Deutsche Welle, WordPress)
        r"^([0-9۰-۹]+[.)]\s*)?(پرش|رفتن|برو)\s+به\s+(محتوا|محتوای اصلی|متن اصلی|گزارش|منوی اصلی|منو|ناوبری|جستجو|پاورقی|"
        r"دیگر صفحات(\s+[^\s.!؟?]+){1,3})$",
        # a live page's time over each entry: «[۲۲:۱۹]»
        r"^\[\s*[0-9۰-۹]{1,2}:[0-9۰-۹]{2}\s*\]$",
        # a picture's credit in Latin letters, initials and all: «عکس: Getty Images/AFP/M. Ngan»
        r"^(عکس|تصویر|عکاس|فیلم)\s*[:：]\s*[A-Za-z][A-Za-z0-9 ./&'\-]{1,60}$",
        # «سال يازدهم - شماره ۳۱۴۱»: a paper's volume and issue over the story (Hamshahri's archive)
        r"^سال\s+[^\s\-–]+(\s+[^\s\-–]+)?\s*[-–،,|]\s*شماره\s*[0-9۰-۹]+$",
        # «09:33 ۸۷ روز و ۸ ساعت پیش افکار نیوز 41 0»: an aggregator's line of the story's age,
        # source and counters
        r"^([0-9۰-۹]{1,2}:[0-9۰-۹]{2}\s+)?[0-9۰-۹]+\s*(روز|ساعت|دقیقه|هفته|ماه)(\s*و\s*[0-9۰-۹]+\s*(روز|ساعت|دقیقه))?"
        r"\s*(پیش|قبل)\s+[^.!؟?]{0,40}?[0-9۰-۹]+(\s+[0-9۰-۹]+)*$",
        r"^کپی شد$",
        # «بیشتر بخوانید: اخبار روز …»: another story's headline offered on the story's own line
        r"^(بیشتر بخوانید|بخوانید|مطالب مرتبط|مطلب مرتبط|پیشنهاد سردبیر)\s*[:：]\s*[^.!؟?]{0,120}[!؟?]?$",
        # an editor's or desk's code on its own line: «**۱۰۲۴**», «۷۳۳۴/۱۶۶۹», «/۲» (three numbers
        # are a date, «1399/01/20», which the metadata pass reads)
        r"^\**\s*[0-9۰-۹]+(?:\s*/\s*[0-9۰-۹]+)?\s*\**$",
        r"^/+\s*[^\s/]{0,4}$",
        # «ب/ ک», «ک/۵», «۸۲۶۶/ ب»: the desk's and editor's letters, as agencies close a story
        r"^[^\W_]{1,4}\s*/\s*[^\W_]{1,4}$",
        # «آخرین به‌روزرسانی: ۱۲ اردیبهشت ۱۳۹۸ - ۱۷:۰۰»: when the page changed, not the story
        r"^(آخرین\s*)?(به[\s\u200c]*روز([\s\u200c]*رسانی)?|بروز[\s\u200c]*رسانی|ویرایش)(\s*شده)?(\s*در|\s*[:：])[^.!؟?]{0,50}"
        r"[0-9۰-۹][^.!؟?]{0,30}$",
        # «۲ ساعت پیش», «دقایقی پیش»: how old the page says the story is, at the time it was served
        r"^(حدود\s*)?([0-9۰-۹]+|یک|چند)\s*(ثانیه|دقیقه|ساعت|روز|هفته|ماه|سال)\s*(پیش|قبل)$",
        r"^(دقایقی|لحظاتی|ساعاتی|ثانیه[\s\u200c]*هایی)\s*(پیش|قبل)$",
        # «زمان مطالعه: ۵ دقیقه», «۱۲ نظر»: the page's counters
        r"^(مدت\s*)?(زمان|مدت)\s*(تقریبی\s*)?(مطالعه|خواندن)\s*[:：]?\s*[^.!؟?0-9۰-۹]{0,10}[0-9۰-۹]+\s*(دقیقه|ثانیه)?$",
        # «1 دقیقه خوانده شده»: the reading time, as Persian WordPress themes print it
        r"^(حدود\s*)?[0-9۰-۹]+\s*(دقیقه|ثانیه)\s*(خوانده[\s\u200c]*شده|مطالعه|زمان مطالعه|زمان خواندن|برای خواندن)$",
        r"^([0-9۰-۹]+\s*)?(نظر|دیدگاه)(ات|[\s\u200c]*ها)?\s*[:：]?\s*[0-9۰-۹]*$",
        # «خبرنگار: علی احمدی | دبیر: …», «عکس: آرشیو», «منبع: …»: who made the page, not what it says
        rf"^(({_CREDIT_WORDS}|گزارش از|گروه|گروه خبری|سرویس|دسته[\s\u200c]*بندی)"
        r"\s*[:：]\s*[^.!؟?:：]{1,40}?(\s*[|،,\-–]\s*)?)+$",
        # «مهدی اسماعیل‌پور - روزنامه‌نگار», «علی احمدی | کارشناس اقتصادی»: a byline and the writer's trade
        r"^[^.!؟?:،]{3,40}?\s*[-–|/]\s*(روزنامه[\s\u200c]*نگار|خبرنگار|نویسنده|مترجم|عکاس|کارشناس|پژوهشگر|تحلیلگر)"
        r"(\s+[^\s.!؟?]+){0,2}$",
        # «ما را در اینستاگرام دنبال کنید», «به کانال ما بپیوندید 👇»: a channel's or site's call to follow it
        r"^.{0,40}(کانال|صفحه|اینستاگرام|تلگرام|ایتا|بله|روبیکا|توییتر|آپارات|شبکه[\s\u200c]*های اجتماعی|ما را|ما رو)"
        r".{0,30}(دنبال کنید|بپیوندید|عضو شوید|عضو بشید|ملحق شوید|جوین شوید|فالو کنید)\W*$",
        r"^\W*(با ما همراه باشید|همراه ما باشید)\W*$",
        # «سرویس اقتصاد», «گروه سیاسی»: the site's desk alone over the story (foodna.com)
        r"^(سرویس|گروه)\s+[^\s.!؟?:：،\-–]+(\s+و\s+[^\s.!؟?:：،\-–]+)?$",
        # «گروه اجتماعی- مرضیه صاحبی»: the desk and the writer
        r"^(گروه|سرویس)\s+[^\s\-–:]+(\s+[^\s\-–:]+)?\s*[-–]\s*[^.!؟?:،\-–]{3,30}$",
        # share buttons' labels
        r"^(کپی\s*(لینک|پیوند|آدرس)|ارسال\s*(به|در)\s*(تلگرام|واتس\s*اپ|واتساپ|توییتر|ایتا|بله|سروش|روبیکا|فیسبوک|لینکدین)|"
        r"اشتراک\s*(گذاری\s*)?(در|با)\s*\S+)$",
    )
]
_PENS = "\U0001f58b\u2712\U0001f58a\u270d"  # 🖋 ✒ 🖊 ✍: a byline's mark in a channel's post
# Latin letters, with the small capitals and other styled forms channels write labels in («ᴡᴇʙꜱɪᴛᴇ»)
_LATIN = "A-Za-z\u00c0-\u024f\u0250-\u02af\u1d00-\u1d7f\ua720-\ua7ff"
_LATIN_WORDS = rf"[{_LATIN}][{_LATIN}'&\-]*(?:\s[{_LATIN}'&\-]+){{0,2}}"
# read on the line as written: normalization takes a URL apart
_RAW_CHROME_PATTERNS = [
    # a dateline left with nothing after it, an aggregator's name and its dash: «صاحبخبر -»
    re.compile(r"^[^\s\d.!?؟:：«»()]{2,20}(?:\s[^\s\d.!?؟:：«»()]{2,20})?\s*[-–—]$"),
    # a sign-off on a line of its own («@FunHipHop | Taymaz»), or the admin's name alone under the handle
    re.compile(rf"^(?:(?:{_SIGN_OFF})\s*)+$|^{_ADMIN}\s*\|?$"),
    # «لینک کوتاه: https://…»: the page's own address, offered for copying
    re.compile(
        r"^(لینک|پیوند|نشانی|آدرس)[\s\u200c]*(کوتاه|خبر|مطلب)?\s*[:：]?\s*(https?://|www\.|(?:[a-z0-9-]+\.)+[a-z]{2,}/)\S+$"
    ),
    # the label a post puts over its link («لینک خبر:», «مشروح گزارش 👇»), the link on the next line
    re.compile(
        r"^(?:(?:لینک|پیوند)[\s\u200c]*(?:کوتاه|خبر|مطلب|گزارش|ویدیو|ویدئو|دانلود)?|مشروح[\s\u200c]*(?:خبر|گزارش)|"
        r"متن[\s\u200c]*کامل(?:[\s\u200c]*(?:خبر|گزارش))?)\s*[:：]?[\W_]*$"
    ),
    # a call to read or watch the rest elsewhere («ادامه مطلب را از لینک زیر … بخوانید:», «… را ببینید 👇»);
    # it ends in a colon, an arrow or nothing, where a sentence («… را بخوانید.») ends in a stop
    re.compile(
        r"^.{0,200}\s(?:را|رو)\s[^.!؟?]{0,60}?(?:بخوانید|بخونید|ببینید|ببینین|بشنوید|تماشا کنید|مطالعه کنید)"
        r"\s*(?:[:：]|[^\w\s.!؟?])*$"
    ),
    # the same with a stop, where the line can only point at a link: «ادامه میزگرد … را اینجا بخوانید.»
    # (Fars's channel) reads the rest «here» or names what it points at as «the rest» or «the full text»
    re.compile(
        r"^(?:[^\w\s]*\s*(?:ادامه|مشروح|متن[\s\u200c]*کامل)[\s\u200c].{0,150}|.{0,200}\s(?:را|رو)\s+(?:در\s+)?اینجا)"
        r"\s+(?:بخوانید|بخونید|ببینید|ببینین|بشنوید|تماشا کنید|مطالعه کنید)[.!\s]*(?:[^\w\s.!؟?]\s*)*$"
    ),
    # a bar of links' labels in Latin letters under a channel's post, whatever icon opens it:
    # «🔗 ᴡᴇʙꜱɪᴛᴇ • ᴠᴘɴʜᴜʙ • ɢɪᴛʜᴜʙᴍɪʀʀᴏʀ» (IRCF's), «Instagram | YouTube»
    re.compile(rf"^[^\w\s]*\s*{_LATIN_WORDS}(?:\s*[•|·]\s*{_LATIN_WORDS})+\s*$"),
    # a credit to the account a channel took the post from: «© notebookcheck», «© hamedbd» (IRCF's)
    re.compile(r"^[©Ⓒ]\s*[^\s.!؟?:،]+(?:\s[^\s.!؟?:،]+){0,3}$"),
    # a byline under a pen (🖋 پگاه آهنگرانی) and a photo credit under a camera (📷 cityofbend)
    re.compile(rf"^[{_PENS}]\ufe0f?\s*[^.!؟?:]{{1,60}}$"),
    re.compile(r"^[\U0001f4f7\U0001f4f8]\ufe0f?\s*@?[A-Za-z0-9_.\-]+$"),
    # a template's placeholder the site's engine left unfilled: «{$sepehr_media_11071507_400_300}»
    # (YJC's print view), «{{ image }}», «%%title%%»
    re.compile(r"^(?:\{\{?|\[\[|%%)\s*\$?[A-Za-z_][\w.:\-]*\s*(?:\}\}?|\]\]|%%)$"),
    # a channel's or profile's counters in English: «752K subscribers», «46.9K videos»
    re.compile(r"^[0-9][0-9.,]*\s*[KkMm]?\s+(?i:subscribers|members|followers|following|photos|videos|files|links|posts|views)$"),
    # an embedded post's attribution where its script did not run: a tweet's «— Name (@handle) May 1,
    # 2019», Instagram's «A post shared by Name (@handle)»
    re.compile(r"^[—–-]\s*[^()\n]{1,60}\(@\w{1,30}\)\s*[^.!؟?]{0,40}$"),
    re.compile(r"^A post shared by\s.{1,80}$"),
    # a breadcrumb from the home page, whatever follows: «صفحه اصلی > بورس و سهام : بورس کالا چیست؟»
    re.compile(r"^(صفحه اصلی|صفحه نخست|خانه|Home)\s*[»›>/]"),
    # an image's file name where the picture did not load: «000770.jpg»; a document's or a clip's
    # name, all the text a channel's post of a file may have («خط-41.pdf»)
    re.compile(r"^\S{1,80}\.(?i:jpe?g|png|gif|webp|bmp|pdf|docx?|xlsx?|pptx?|zip|rar|apk|mp3|m4a|ogg|wav|mp4|mkv|avi|mov)$"),
    # an excerpt that is one sentence cut off: «این مقاله سعی دارد تا با اشاره به موارد […]»
    re.compile(rf"^{_CUT_OFF}"),
    # a picture's name as an editor saved it, a duplicate's «copy» after it: «افخمی راد copy» (Donya-e Eqtesad)
    re.compile(r"^[^.!؟?:«»]{1,40}\s(?i:copy)(?:\s*\(?\d+\)?)?$"),
    # «2024-04-25@07:23:31 GMT»: a machine's timestamp (an aggregator's own), not a date printed for readers
    re.compile(r"^[0-9۰-۹]{4}-[0-9۰-۹]{2}-[0-9۰-۹]{2}\s*[@T]\s*[0-9۰-۹]{2}:[0-9۰-۹]{2}(:[0-9۰-۹]{2})?\s*(GMT|UTC|Z)?$"),
    # a breadcrumb, «سرویس کیهان » اخبار», «خانه › سیاسی › مجلس»: short names between arrows
    # spaced on both sides (a closing quotation mark stands against its word)
    re.compile(r"^[^«.!؟?:»›>]{1,30}(?:\s[»›>]{1,2}\s+[^«.!؟?:»›>]{1,30}){1,5}(?:\s*[»›>]+)?$"),
]
# the languages a site offers its pages in, as its switcher names them («فارسی | العربي | English»)
_LANGUAGE_NAMES = frozenset(
    "فارسی دری العربیه العربیة العربی عربی english français francais deutsch español русский türkçe اردو پښتو کوردی کردی".split()
)
_SWITCHER_SPLIT = re.compile(r"[\s|/·•،,\-–]+")
# a channel's sign-off («🆔 @isna94», «👇 t.me/isna94», «#خبر_فوری #اقتصاد»): handles, links and
# tags with nothing else to read; a Persian tag joins its words with the non-joiner («#ترافیک‌خواری»)
_HANDLES_LINKS_TAGS = re.compile(rf"{LINK.pattern}|@\w{{3,}}|#[\w\u200c]+", re.UNICODE | re.IGNORECASE)
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


# an icon font's ligature (Material Icons): a word in the page's HTML drawn as a picture, never
# read: «format_indent_increase اجتماعی», «access_time ۱۴۰۲/۰۱/۰۹», «visibility ۲۳۴»
_ICONS = (
    "visibility|schedule|today|event|person|comment|share|print|update|history|label|folder|bookmark|home|"
    "email|phone|place|link|star|favorite|search|menu|close|timer|alarm"
)
_LEADING_ICONS = re.compile(rf"^(?:(?:[a-z]+(?:_[a-z]+)+|{_ICONS})\s+)+(?=[^\sA-Za-z])")


# a list's bullet glyph before a line («• کد خبر: 1401081610590», ISNA's header): no part of what it says
_LIST_BULLET = re.compile(r"^[•·▪◾●◦‣]\s+(?=\S)")


def _icon_label(rest: str) -> bool:
    """What an icon stands before: a label, a date or a count, short, with no Latin word and no
    sentence's end (a line that opens with a programmer's «user_id» keeps it)."""
    return len(rest) <= 60 and not re.search("[A-Za-z]", rest) and not rest.rstrip().endswith((".", "!", "?", "؟"))


def paragraphs(text: str) -> list[str]:
    """Non-empty lines, trimmed of surrounding (including no-break) spaces and of the icon names
    and list bullets that open them, otherwise verbatim: each is a slice of what the page printed
    (a stop a hard wrap left alone on its line goes back to the line it ends, :mod:`corpus.unwrap`)."""
    lines = []
    # every character that ends a line, as str.splitlines knows them: besides \n and \r, the page
    # break pdftotext writes between pages (\f), Word's manual line break (\v), and the line and
    # paragraph separators JavaScript leaves raw in JSON (U+2028, U+2029); split only at \n, a
    # page's last sentence and the next page's first were one quote with a \f inside
    for line in text.splitlines():
        stripped = line.strip(" \t\u00a0\u200b\u200c\u200f\u200e\ufeff")
        if (icons := _LEADING_ICONS.match(stripped)) and _icon_label(stripped[icons.end() :]):
            stripped = stripped[icons.end() :]
        if stripped := _LIST_BULLET.sub("", stripped, count=1):
            lines.append(stripped)
    return [line for line in _without_sign_off_tail(_without_link_labels(stops_attached(lines))) if _PUNCT.sub("", line)]


def story_lines(text: str, boilerplate: frozenset[str] = frozenset()) -> list[str]:
    """The lines of a story as it is read and quoted: :func:`paragraphs` without the chrome, and
    with the pieces of a sentence a hard wrap cut joined (:mod:`corpus.unwrap`; after the chrome
    is gone, so an empty label such as «منتشر شده در» is not taken for the story's first words)."""
    return unwrap(drop_chrome(paragraphs(text), boilerplate=boilerplate))


def squash(line: str) -> str:
    """A line reduced to its letters (and digits), for comparing against lists of labels."""
    return _PUNCT.sub("", fold(normalize(line)))


@lru_cache(maxsize=1)
def _chrome_lines() -> frozenset[str]:
    return frozenset(squash(s) for s in _CHROME_LINES_RAW)


@lru_cache(maxsize=1)
def _trailer_starts() -> frozenset[str]:
    return frozenset(squash(s) for s in _TRAILER_STARTS_RAW)


# the label of the box a site prints over every page with its verse or saying of the day, the
# box's text on the next line; before the story only («حدیث روز» may title a story of its own)
_BOX_LABELS_RAW = ("پیام‌نما", "آیه روز", "حدیث روز", "سخن روز", "ذکر روز", "حدیث امروز")


@lru_cache(maxsize=1)
def _box_labels() -> frozenset[str]:
    return frozenset(squash(s) for s in _BOX_LABELS_RAW)


_EMPTY_CLOCK = re.compile(r"\s*[-–،,|]?\s*ساعت\s*[:：]?\s*$")
# «امروز: سه‌شنبه ۱۱ آذر ۱۴۰۴»: the site's clock in its header, not when the story was published
# (labelled with a colon, it may have the header's next widget on its line: «امروز : یکشنبه ، 3
# فروردین 1404    احادیث و روایات: …»)
_TODAY = re.compile(r"^امروز\s*(?:(?P<label>[:：])|[،,])?\s*")


def is_chrome(line: str) -> bool:
    if squash(line) in _chrome_lines():
        return True
    norm = normalize(line)
    if credited_outlet(norm):
        return False  # «منبع: ایسنا» credits the story: the metadata pass reads it, then leaves it out
    if any(p.search(norm) for p in _CHROME_PATTERNS) or any(p.search(line.strip()) for p in _RAW_CHROME_PATTERNS):
        return True
    if (clock := _EMPTY_CLOCK.search(norm)) and is_date_line(norm[: clock.start()]):
        return True  # «سه‌شنبه ۰۶ آذر ۱۴۰۳ - ساعت :»: the site's clock, its time left for a script to fill
    if today := _TODAY.match(norm):
        after = norm[today.end() :]
        if is_date_line(after) or not _PUNCT.sub("", after) or (today.group("label") and _starts_with_date(after)):
            return True  # the site's clock, its empty slot («امروز: -»), or the labelled clock and a widget
    if len(line) <= 80 and (_names_languages(norm) or _only_buttons(norm)):
        return True
    if len(line) <= 40 and not any(ch.isalpha() for ch in line) and not _NUMBERS_JOINED.search(line):
        return True  # numbers and marks, no word: a counter's line («::: 3505 ::: 0», Nimrooz's views and comments)
    if (
        _LATIN_LABEL.match(line.strip())
        and agency_named_by(line) is None
        and not is_date_line(line)
        and not is_other_calendar(line)
        and not is_code_line(line)
    ):
        return True  # «Front Page», «Spread the love», a close button's «X»: a theme's label on a Persian page
    return _only_handles_links_tags(line)


def _only_handles_links_tags(line: str) -> bool:
    return _HANDLES_LINKS_TAGS.search(line) is not None and not _PUNCT.sub("", _HANDLES_LINKS_TAGS.sub("", line))


# digits joined as a date or a clock joins them («1402/07/12», «۱۲:۳۰»): for the metadata pass to read
_NUMBERS_JOINED = re.compile(r"\d\s*[:/\-.٫]\s*\d")


# a short line in Latin letters alone on a Persian page: a theme's label («Front Page»), a picture's
# caption left in the agency's language («USA Washington - Das Weisse Haus» on Deutsche Welle's
# Persian page), a template's debug line («there is not post in layout 2»), an embedded video's id
# («EArfKNmg5444»). Not a date in Latin letters («2024 Nov 25», «03 May 2024»), which the metadata
# pass reads, nor an outlet's name («IRNA»), which credits the story.
# A product's name with its model number («iPhone 15 Pro») heads a review's section and stays.
_LATIN_LABEL = re.compile(
    rf"^(?=[{_LATIN}0-9'&\-.,:;!?()/ ]{{1,100}}$)(?:"  # Latin letters, digits and marks only, up to 100
    rf"[{_LATIN}][{_LATIN}'&\-]*(?:\s+[{_LATIN}'&\-]+){{0,7}}$"  # no digit: a label
    r"|(?=.*\b(?:is|are|was|not|no|the|of|in|to|and|for|on|with|this|there)\b)(?:\S+\s+){3,}\S+$"  # an English sentence
    r"|(?=[^\d\s]*\d)(?=\S*[a-z])(?=\S*[A-Z])[A-Za-z0-9_\-]{8,40}$"  # an embedded video's id
    r")"
)


def _starts_with_date(text: str) -> bool:
    """Whether ``text`` opens with a date line's words («یکشنبه ، 3 فروردین 1404 …»)."""
    words = text.split()
    return any(is_date_line(" ".join(words[:n])) for n in range(2, min(len(words), 8) + 1))


# the words of a page's buttons and links to itself: «بستن   چاپ» (a print view's), «برو بالا»
_BUTTON_WORDS = frozenset(
    ("بستن", "چاپ", "چاپی", "نسخه", "قابل", "ارسال", "ذخیره", "اشتراک", "گذاری", "کپی", "لینک", "خبر", "برو", "بالا",
     "بازگشت", "به", "صفحه", "اصلی", "دوستان", "pdf", "PDF")
)  # fmt: skip
_BUTTON_BAR = re.compile(r"[|｜•·]")  # between a bar's buttons: «نسخه قابل چاپ | لینک خبر»
_BUTTON_VERBS = frozenset(("بستن", "چاپ", "ذخیره", "برو", "بازگشت", "کپی", "ارسال"))


def _bar_words(text: str) -> list[str]:
    """The words of a line of buttons, the bars between them and ZWNJ taken as spaces."""
    return _BUTTON_BAR.sub(" ", text.replace("\u200c", " ")).split()


def _only_buttons(norm: str) -> bool:
    """A line of button labels alone (two to six words, one of them a button's verb): «بستن
    چاپ», «برو بالا», «بازگشت به بالا», «چاپ خبر», a bar of them «نسخه قابل چاپ | لینک خبر»."""
    words = _bar_words(norm)
    return 2 <= len(words) <= 6 and all(w in _BUTTON_WORDS for w in words) and any(w in _BUTTON_VERBS for w in words)


_SOURCE_IN_BAR = re.compile(r"منبع(?:\s*خبر)?\s*[:：]")


def _credit_among_buttons(para: str) -> str | None:
    """The credit a bar of buttons holds among them, its own slice («منبع: ایرنا» of «نسخه قابل
    چاپ منبع: ایرنا | لینک خبر», an aggregator's), or None for any other line."""
    label = _SOURCE_IN_BAR.search(para)
    if label is None or label.start() == 0:
        return None
    end = next((m.start() for m in _BUTTON_BAR.finditer(para, label.end())), len(para))
    credit = para[label.start() : end].strip()
    buttons = _bar_words(f"{para[: label.start()]} {para[end:]}")
    if not buttons or not all(normalize(w) in _BUTTON_WORDS for w in buttons) or len(buttons) > 6:
        return None
    return credit if credited_outlet(normalize(credit)) else None


def _names_languages(norm: str) -> bool:
    """Whether a line is a language switcher: two or more language names and nothing else."""
    names = [w for w in _SWITCHER_SPLIT.split(norm.lower()) if w]
    return len(names) >= 2 and all(w in _LANGUAGE_NAMES for w in names)


def drop_chrome(paras: list[str], body_started_after: int = 1, boilerplate: frozenset[str] = frozenset()) -> list[str]:
    """Remove chrome lines, and everything after a trailer marker («اخبار مرتبط», «انتهای پیام»)
    once the body has begun. ``boilerplate`` holds the lines the source prints on item after item
    (a channel's slogan): dropped on a line of their own, cut off the end of a line they follow."""
    kept: list[str] = []
    byline = False
    boxed = False  # the line before was the label of the site's verse or saying of the day
    for para in _labels_joined(paras):
        if boilerplate and not (para := _without_boilerplate(para, boilerplate)):
            continue
        if boxed:
            boxed = False
            continue
        if not kept and squash(para) in _box_labels():
            boxed = True  # «پیام‌نما» over the verse of the day (Mehr): neither is the story
            continue
        if len(kept) >= body_started_after and (
            squash(para) in _trailer_starts()
            or _END_OF_STORY.match(norm := normalize(para))
            or _TAGS_LINE.match(norm)
            or _MORE_NEWS_HERE.match(norm)
        ):
            break
        if credit := _credit_among_buttons(para):
            kept.append(credit)  # for the metadata pass to read as a credit line
            continue
        if is_chrome(para):
            byline = _PEN.match(para) is not None
            continue
        if byline and _ROLE_LINE.match(para):  # «کارگردان», «بی‌بی‌سی در چیواوا» under a byline
            byline = False
            continue
        byline = False
        if len(kept) >= body_started_after and (end := _GLUED_END_OF_STORY.search(para)):
            kept.append(para[: end.start()].rstrip())
            break
        if (credit := _GLUED_CREDIT.search(para)) and _credits(name := credit.group("name"), credit.group("bare") is not None):
            # the outlet a reprint credits after its last sentence, on a line of its own for the
            # metadata pass to read as a credit line: «… ادامه دارد./ایسنا», «… خبر داد. (ایرنا)»
            if credit.start() > 0:
                kept.append(_without_mark(para[: credit.start()].rstrip()))
            kept.append(name)
            continue
        kept.append(_without_mark(para))
    return kept


def _without_boilerplate(para: str, boilerplate: frozenset[str]) -> str:
    """``para`` without a line of ``boilerplate`` it is or ends with; "" when nothing is left."""
    forms = (para, _without_mark(para))  # the line, and without the handle glued after it
    if any(form in boilerplate for form in forms):
        return ""
    for line in boilerplate:
        for form in forms:
            if form.endswith(line) and form[: -len(line)].endswith((" ", "\u00a0")):
                return form[: -len(line)].rstrip()
    return para


def _credits(name: str, after_word: bool) -> bool:
    """Whether ``name`` glued at a paragraph's end credits an outlet: any outlet's after a
    sentence's stop or alone on its line, and after a bare word only a name that is no ordinary
    word («… کنه//ورزش سه»), since «… شهریور/مهر» ends a list of months."""
    outlet = agency_named_by(name)
    return outlet is not None and (not after_word or unmistakable(name, outlet))


# an outlet's name after a slash or in brackets, glued after a sentence's stop or alone on its line;
# after a slash, glued to a last word with no stop too («… بازی کنه//ورزش سه», a channel's: the
# ``bare`` group). Not in brackets after a word: «خبرگزاری جمهوری اسلامی (ایرنا)» names the outlet
# in the story's words
_GLUED_CREDIT = re.compile(
    r"(?:(?<=[.!?؟»)])\s*|(?P<bare>(?<=\w)\s*)(?=/)|^)(?:/{1,2}|\()\s*(?P<name>[^/()\n.!?؟«»]{2,40}?)\s*\)?\s*$"
)


# what points at the link under it: «👇», «⬇️», «👈» alone on a line, or ending a line
_POINTER = "\U0001f447\u2b07\U0001f448\u2199\u2198"
_POINTER_LINE = re.compile(rf"^[{_POINTER}\ufe0f\s]+$")
_POINTED = re.compile(rf"[{_POINTER}]\ufe0f?\s*$")
LINK_LABEL_WORDS = 6


def _without_link_labels(paras: list[str]) -> list[str]:
    """The lines without the label a channel puts over its own or a sister channel's handle: a
    short line with no stop over a pointer and the handle («در فضای مجازی» / «👇» /
    «@akhbar_khozestan», Akhbar-e Fori's), or ending in the pointer («کانال استان 👇» / «t.me/…»).
    The handle and the pointer are chrome already; the label was quoted as a sentence. A caption
    pointing at a video or a page («لحظه برخورد دو قطار 👇» / a link to it) says what it shows, and stays."""
    out: list[str] = []
    for i, para in enumerate(paras):
        after = paras[i + 1 : i + 3]
        pointed = _POINTED.search(para) is not None and not _POINTER_LINE.match(para)
        over_pointer = bool(after) and _POINTER_LINE.match(after[0]) is not None
        target = after[0] if pointed else (after[1] if over_pointer and len(after) > 1 else None)
        if (
            (pointed or over_pointer)
            and target is not None
            and _only_handles_links_tags(target)
            and ("@" in target or "t.me/" in target.lower())
            and len(para.split()) <= LINK_LABEL_WORDS
            and not re.search(r"[.!؟?]\s*\S?\s*$", para)
        ):
            continue
        out.append(para)
    return out


# a channel's handle closing a post, and what a channel writes after it: «@AloNews» / «خبر جنگ»
_HANDLE_LINE = re.compile(r"^\W*@\w{3,}\W*$")
_HANDLE_OPENS = re.compile(r"^\W*@\w{3,}\s+(?P<rest>.+)$")
SLOGAN_WORDS = 3


def _without_sign_off_tail(lines: list[str]) -> list[str]:
    """The lines without the slogan a channel writes under (or beside) the handle that closes its
    posts («@AloNews» / «خبر جنگ», «@AloNews خبر جنگ»): a line of at most three words, no digit
    and no stop, last in the post. It was quoted under every post the channel's signature was not
    learned for (a pass that read fewer than three of them)."""
    if len(lines) < 2:
        return lines
    last = lines[-1]
    if _slogan(last) and _HANDLE_LINE.match(lines[-2]):
        return lines[:-1]
    if (opens := _HANDLE_OPENS.match(last)) and _slogan(opens.group("rest")):
        return [*lines[:-1], last[: opens.start("rest")].rstrip()]
    return lines


def _slogan(text: str) -> bool:
    return len(text.split()) <= SLOGAN_WORDS and not re.search(r"[\d.!؟?:@#/]", text) and any(ch.isalpha() for ch in text)


# a news code's label with its number on the next line («کد خبر :» / «887582», ILNA)
_CODE_LABEL = re.compile(rf"^{CODE_LABEL}\s*[:：]?$")
_CODE_NUMBER = re.compile(r"^[0-9۰-۹]{3,}$")
# a credit's label with the name on the next line («عکس:» / «حدیث فقیری», Fars's channel)
_CREDIT_LABEL = re.compile(rf"^({_CREDIT_WORDS})\s*[:：]$")
_CREDIT_NAME = re.compile(r"^[^.!؟?:：؛«»\d۰-۹]{2,40}$")


def _labels_joined(paras: list[str]) -> list[str]:
    """The lines with a label and what it labels, split over two lines, as one: a code's label
    and its number («کد خبر :» / «887582»), which the metadata pass reads as the news code, and a
    credit's label and a name («عکس:» / «حدیث فقیری»), chrome as one line is. Apart, the label
    was quoted (or the number dropped as a desk's code) and the name quoted as a sentence."""
    out: list[str] = []
    for para in paras:
        if out and (
            (_CODE_NUMBER.match(para) and _CODE_LABEL.match(out[-1]))
            or (_CREDIT_NAME.match(para) and _CREDIT_LABEL.match(out[-1]))
        ):
            out[-1] = f"{out[-1]} {para}"
        else:
            out.append(para)
    return out


_PEN = re.compile(rf"^[{_PENS}]")
# the line a byline's writer's role or place takes: a few words, no sentence
_ROLE_LINE = re.compile(r"^[^.!؟?:؛«»]{1,40}$")


def _without_mark(para: str) -> str:
    """``para`` without an editor's mark glued to its end («… شود./س»): what remains is still
    the start of what the source wrote, so every quote from it stays verbatim."""
    mark = _GLUED_MARK.search(para)
    return para[: mark.start()].rstrip() if mark and mark.start() > 0 else para


CONTAINMENT_MAX_PARAGRAPHS = 300


def _split_repeats(keys: list[str], already: set[str], min_contained: int) -> set[int]:
    """The positions of two lines in a row that together repeat the headline or another line: a
    headline printed again broken in two («گزارش «اعتماد» از … اعتراضات مردم» / «25 سال
    روزنامه‌نگاریِ رو به افول»), whose shorter half no containment check on its own would catch."""
    targets = [*already, *keys]
    out: set[int] = set()
    for i in range(len(keys) - 1):
        if not keys[i] or not keys[i + 1] or len(joined := keys[i] + keys[i + 1]) < min_contained:
            continue
        if any(joined == t or (len(t) > len(joined) and joined in t) for t in targets):
            out.update((i, i + 1))
    return out


def drop_repeats(paras: list[str], already: tuple[str, ...] = (), min_contained: int = 40) -> list[str]:
    """Drop a paragraph equal to an earlier one, or contained in a longer one (bodies printed twice).

    ``already`` holds text shown elsewhere (the headline), whose repeats in the body go too.
    The containment check compares every pair, so it runs on page-sized texts only; a huge
    file (a dump of many articles) still loses its exact repeats.
    """
    keys = [match_key(p) for p in paras]
    check_containment = len(paras) <= CONTAINMENT_MAX_PARAGRAPHS
    kept = []
    seen: set[str] = {match_key(a) for a in already}
    split = _split_repeats(keys, seen, min_contained) if check_containment else set()
    for i, (para, key) in enumerate(zip(paras, keys, strict=True)):
        if not key or key in seen or i in split:
            continue
        if (
            check_containment
            and len(key) >= min_contained
            and any(j != i and len(other) > len(key) and key in other for j, other in enumerate(keys))
        ):
            continue
        seen.add(key)
        kept.append(para)
    return kept

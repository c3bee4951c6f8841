"""Persian news outlets as readers know them: the name a citation shows, the other ways pages
and bodies name them («خبرگزاری دانشجویان ایران», «به گزارش ایسنا»), and the domains they
publish on. Kept here, in one table, so the text reader (corpus.metadata) and the page reader
(news.pages) credit an article the same way. Add an outlet by adding a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from zoneinfo import ZoneInfo

from corpus.dates import TEHRAN

KABUL = ZoneInfo("Asia/Kabul")
# Afghanistan's country domain: its outlets write Kabul's clock, half an hour ahead of Tehran's
# standard time and an hour ahead of its winter, and never with a zone
_COUNTRY_ZONES = {"af": KABUL}


@dataclass(frozen=True)
class Outlet:
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    zone: tzinfo = TEHRAN  # the clock the outlet writes its times in when it names no zone


OUTLETS: tuple[Outlet, ...] = (
    Outlet("ایرنا", ("خبرگزاری جمهوری اسلامی", "IRNA"), ("irna.ir",)),
    Outlet("ایسنا", ("خبرگزاری دانشجویان ایران", "ISNA", "Isna News Agency"), ("isna.ir",)),
    Outlet("ایلنا", ("خبرگزاری کار ایران", "ILNA"), ("ilna.ir", "ilna.news")),
    Outlet("مهر", ("خبرگزاری مهر", "Mehr News"), ("mehrnews.com",)),
    Outlet("فارس", ("خبرگزاری فارس", "Fars News"), ("farsnews.ir", "farsnews.com")),
    Outlet("تسنیم", ("خبرگزاری تسنیم", "Tasnim"), ("tasnimnews.com",)),
    Outlet("موج", ("خبرگزاری موج",), ("mojnews.com",)),
    Outlet("ایکنا", ("خبرگزاری بین‌المللی قرآن",), ("iqna.ir",)),
    Outlet("برنا", ("خبرگزاری برنا",), ("borna.news",)),
    Outlet("دانا", ("خبرگزاری دانا",), ("dana.ir",)),
    Outlet("میزان", ("خبرگزاری میزان",), ("mizanonline.ir", "mizanonline.com", "mizan.news")),
    Outlet("شبستان", ("خبرگزاری شبستان",), ("shabestan.ir", "shabestan.news")),
    Outlet("رسا", ("خبرگزاری رسا",), ("rasanews.ir",)),
    Outlet("پانا", ("خبرگزاری پانا",), ("pana.ir",)),
    Outlet("آنا", ("خبرگزاری آنا",), ("ana.ir", "ana.press")),
    Outlet("آریا", ("خبرگزاری آریا",), ("aryanews.com",)),
    Outlet("دانشجو", ("خبرگزاری دانشجو", "SNN"), ("snn.ir",)),
    Outlet("باشگاه خبرنگاران جوان", ("باشگاه خبرنگاران", "YJC"), ("yjc.ir", "yjc.news")),
    Outlet("صدا و سیما", ("خبرگزاری صدا و سیما", "صداوسیما"), ("iribnews.ir",)),
    Outlet("خبرآنلاین", ("خبر آنلاین", "Khabaronline"), ("khabaronline.ir",)),
    Outlet("همشهری آنلاین", (), ("hamshahrionline.ir",)),
    Outlet("تابناک", (), ("tabnak.ir",)),
    Outlet("عصر ایران", (), ("asriran.com",)),
    Outlet("دنیای اقتصاد", (), ("donya-e-eqtesad.com",)),
    Outlet("ورزش سه", ("ورزش۳", "Varzesh3"), ("varzesh3.com",)),
    Outlet("انتخاب", (), ("entekhab.ir",)),
    Outlet("فرارو", (), ("fararu.com",)),
    Outlet("اقتصادآنلاین", ("اقتصاد آنلاین",), ("eghtesadonline.com",)),
    Outlet("اکوایران", (), ("ecoiran.com",)),
    Outlet("جماران", (), ("jamaran.news", "jamaran.ir")),
    Outlet("شرق", ("روزنامه شرق",), ("sharghdaily.com", "sharghdaily.ir")),
    Outlet("اعتماد", ("روزنامه اعتماد",), ("etemadnewspaper.ir", "etemad.ir")),
    Outlet("کیهان", ("روزنامه کیهان",), ("kayhan.ir",)),
    Outlet("جوان", ("روزنامه جوان",), ("javanonline.ir",)),
    Outlet("ایران", ("روزنامه ایران",), ("irannewspaper.ir",)),
    Outlet("رکنا", (), ("rokna.net",)),
    Outlet("انصاف نیوز", (), ("ensafnews.com",)),
    Outlet("دیدبان ایران", (), ("didbaniran.ir",)),
    Outlet("برترین‌ها", (), ("bartarinha.ir",)),
    Outlet("خبر ورزشی", (), ("khabarvarzeshi.com",)),
    Outlet("آفتاب", ("آفتاب نیوز",), ("aftabnews.ir",)),
    Outlet("الف", (), ("alef.ir",)),
    Outlet("نامه نیوز", (), ("namehnews.com",)),
    Outlet("اقتصادنیوز", ("اقتصاد نیوز",), ("eghtesadnews.com",)),
    Outlet("رادیو فردا", (), ("radiofarda.com",)),
    Outlet("ایندیپندنت فارسی", (), ("independentpersian.com",)),
    Outlet("ایران اینترنشنال", (), ("iranintl.com",)),
    Outlet("یورونیوز فارسی", (), ("parsi.euronews.com",)),
    Outlet("مشرق", ("مشرق نیوز",), ("mashreghnews.ir",)),
    Outlet("نورنیوز", (), ("nournews.ir",)),
    Outlet("تجارت نیوز", (), ("tejaratnews.com",)),
    Outlet("خبر فوری", ("خبرفوری",), ("khabarfoori.com",)),
    Outlet("بهار نیوز", (), ("baharnews.ir",)),
    Outlet("هم‌میهن", ("روزنامه هم‌میهن",), ("hammihanonline.ir",)),
    Outlet("زومیت", (), ("zoomit.ir",)),
    Outlet("دیجیاتو", (), ("digiato.com",)),
    Outlet("ایران‌وایر", ("IranWire",), ("iranwire.com",)),
    Outlet("رادیو زمانه", (), ("radiozamaneh.com",)),
    Outlet("صدای آمریکا", ("صدای آمریکا فارسی", "VOA فارسی"), ("ir.voanews.com",)),
    Outlet("دویچه وله فارسی", ("DW فارسی",), ("dw.com",)),
    Outlet("طلوع‌نیوز", ("طلوع نیوز", "TOLOnews"), ("tolonews.com",), KABUL),
    Outlet("پژواک", ("خبرگزاری پژواک", "Pajhwok"), ("pajhwok.com",), KABUL),
    Outlet("هشت صبح", ("روزنامه هشت صبح",), ("8am.media",), KABUL),
    Outlet("رادیو آزادی", ("Radio Azadi",), ("azadiradio.com",), KABUL),
    Outlet("ایکانا", ("خبرگزاری خانه ملت", "ICANA"), ("icana.ir",)),
    Outlet("شانا", ("پایگاه اطلاع‌رسانی وزارت نفت", "SHANA"), ("shana.ir",)),
    Outlet("ایبنا", ("خبرگزاری کتاب ایران", "IBNA"), ("ibna.ir",)),
    Outlet("ابنا", ("خبرگزاری اهل‌بیت", "ABNA"), ("abna24.com",)),
    Outlet("ایمنا", ("خبرگزاری ایمنا", "IMNA"), ("imna.ir",)),
    Outlet("ایسکانیوز", ("خبرگزاری ایسکا", "ایسکا نیوز"), ("iscanews.ir",)),
    Outlet("دفاع‌پرس", ("دفاع پرس", "خبرگزاری دفاع مقدس"), ("defapress.ir",)),
    Outlet("بولتن نیوز", (), ("bultannews.com",)),
    Outlet("جام‌جم آنلاین", ("جام جم آنلاین", "روزنامه جام جم"), ("jamejamonline.ir",)),
    Outlet("قدس آنلاین", ("روزنامه قدس",), ("qudsonline.ir",)),
    Outlet("فردا نیوز", ("فردانیوز",), ("fardanews.com",)),
    Outlet("رجانیوز", ("رجا نیوز",), ("rajanews.com",)),
    Outlet("جهان نیوز", ("جهان‌نیوز",), ("jahannews.com",)),
    Outlet("تین‌نیوز", ("تین نیوز",), ("tinn.ir",)),
    Outlet("ایرنا پلاس", (), ("irnaplus.ir",)),
    Outlet("افکار نیوز", ("افکارنیوز",), ("afkarnews.com", "afkarnews.ir")),
    Outlet("جهان صنعت", ("جهان صنعت نیوز", "روزنامه جهان صنعت"), ("jahansanatnews.ir",)),
    Outlet("اطلاعات", ("روزنامه اطلاعات",), ("ettelaat.com",)),
    Outlet("آرمان ملی", ("روزنامه آرمان ملی",), ("armanmelli.ir",)),
    Outlet("سلامت نیوز", (), ("salamatnews.com",)),
    Outlet("ایران اکونومیست", (), ("iraneconomist.com",)),
    # BBC Persian shares bbc.com with the English service, so it is known by name, not domain
    Outlet("بی‌بی‌سی فارسی", ("بی بی سی فارسی", "BBC فارسی", "بی‌بی‌سی", "BBC Persian", "BBCPersian", "BBC NEWS فارسی"), ()),
)


def outlet_of_host(host: str | None) -> Outlet | None:
    """The outlet that publishes on ``host`` (``www.isna.ir`` → ISNA), or None."""
    if not host:
        return None
    host = host.lower().split(":")[0].rstrip(".")
    for outlet in OUTLETS:
        for domain in outlet.domains:
            if host == domain or host.endswith("." + domain):
                return outlet
    return None


def zone_of_host(host: str | None) -> tzinfo:
    """The clock a site on ``host`` writes zone-less times in: its outlet's, else its country
    domain's (``.af`` is Kabul's), else Tehran's, which most Persian news sites write."""
    outlet = outlet_of_host(host)
    if outlet is not None:
        return outlet.zone
    country = (host or "").lower().split(":")[0].rstrip(".").rpartition(".")[2]
    return _COUNTRY_ZONES.get(country, TEHRAN)

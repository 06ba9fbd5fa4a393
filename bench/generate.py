"""A national-scale data set in PostgreSQL, fast: rows are generated in chunks and streamed with COPY
(psycopg 3 `cursor.copy`), never written through the ORM.

    .venv/bin/python bench/generate.py --complaints 1000000 --seed 1 --database bvntd_scale_1m --keep
    .venv/bin/python bench/generate.py --complaints 100000 --recreate        # dropped again after the report

Reuse a kept database with the same keys (the data is unreadable without them):

    set -a; . var/bench/bvntd_scale_1m.env; set +a; .venv/bin/python manage.py shell

Steps, each timed:

1. Create the database NAME (default bvntd_scale) on postgres@127.0.0.1:5432. An existing one is dropped only
   with --recreate, and only if it is a BVNTD database (django_migrations) or empty.
2. `manage.py migrate` and `manage.py load_reference`, with DATABASE_URL, DEBUG=1 and explicit keys
   (FIELD_ENCRYPTION_KEYS, BLIND_INDEX_KEY: from the environment when both are set, else new ones). URL and
   keys go to var/bench/NAME.env (mode 600), the report to var/bench/NAME.json.
3. Staff: officers in every agency, a head per Sở Công Thương, a coordinator per province, national hotline
   operators (unusable passwords), so that events and messages have real actors.
4. The business registry: B businesses (default 1,000,000) with Vietnamese names (legal form, trade words,
   industry, distinctive syllables; some upper case or without diacritics), name_key exactly as
   businesses.names computes it, unique valid tax codes (stdnum.vn.mst; 13-digit codes for branches),
   province and commune from the reference tables; legal names, aliases and marketplace shop names.
5. N complaints received 2024-01-01 … 2026-11-27, growing over time, fewer at weekends and on holidays, in
   the 34 provinces by population-ish weights. Each case is simulated from intake up to the reference time
   (--now, default 2026-11-28 00:00 Vietnam) through the services' transitions: the business stage (referral
   and answer rows), triage to the competent agency, accept, work, requests for information, extension,
   resolution, dispute, rating, closing by the sweep, rejection, withdrawal, and the sweep's "due soon" and
   "overdue" warnings. Steps that would fall after --now do not happen, so the status mix, the due dates
   (open cases have one, some are overdue) and all timestamps follow from the story; version and
   updated_at count the writes as services._write does. Deadlines use the app's working-day calendar and
   the BVNTD_* periods. Personal data is encrypted with bvntd.core.crypto once per consumer of a pool
   (--pii-pool) and reused with its blind indexes. search_text, name_key, deadlines are checked against the
   app's own functions on samples while generating. Event and message ids grow with created_at.
6. Load tuning, each measured on this machine (2 cores, shared_buffers 128 MB): the secondary indexes are
   dropped for the load and rebuilt from PostgreSQL's own saved definitions, then compared name by name
   (--indexes after; 3x faster than maintaining 48 b-trees on random keys row by row); the per-row
   foreign-key triggers are skipped (session_replication_role = replica) and every foreign key is checked
   afterwards with one anti-join (--fk-checks off). One generator process feeds a COPY thread: a second
   process did not help on these two cores (PostgreSQL needs one).
7. The statistics rollup is computed from the rows (bvntd.stats.rollup.rebuild, as `manage.py rebuild_stats`).
8. VACUUM ANALYZE (autovacuum is off on this server); the app reads the data back: the inbox query,
   decryption, find_for_consumer by tracking code and phone or e-mail, search_text, name_key, tax codes.

Prints progress to stderr and, at the end, one JSON line: rows per table, seconds per phase, rows per second,
database, table and index sizes, the machine (with its load average: another process on the two cores slows
everything). Without --keep the database is dropped after the report, as the other bench scripts do.

Not generated yet: MinHash fingerprints (16 band rows per complaint in production), sector suggestions,
attachments, transfers and support tasks, mediation, business users and API tokens, the registry's audit
events.
"""

import argparse
import datetime as dt
import functools
import json
import math
import os
import platform
import queue
import random
import secrets
import shutil
import subprocess
import sys
import threading
import time
import unicodedata
from bisect import bisect_right
from collections import Counter, deque
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER = "postgresql://postgres@127.0.0.1:5432"
OUT_DIR = ROOT / "var" / "bench"
FIRST_DAY = dt.date(2024, 1, 1)
LAST_DAY = dt.date(2026, 11, 27)
DEFAULT_NOW = "2026-11-28T00:00:00+07:00"
EPOCH = dt.date(1970, 1, 1)
DAY = 86_400
VN = 7 * 3600  # Asia/Ho_Chi_Minh has no daylight saving time
CHUNK = 20_000  # complaints (or businesses) per COPY round; one transaction each

STARTED = time.perf_counter()
LOAD: list[float] = [os.getloadavg()[0]]  # sampled at each progress line: was the machine shared?


def log(message: str) -> None:
    LOAD.append(os.getloadavg()[0])
    print(f"[{time.perf_counter() - STARTED:7.1f}s] {message}", file=sys.stderr, flush=True)


# --- proportions ----------------------------------------------------------------------------------------

# Population in millions after the 2025 mergers (rounded), the five centrally governed cities weighted up:
# city dwellers buy online and complain more.
POPULATION = {
    "01": 8.7, "04": 0.57, "08": 1.87, "11": 0.65, "12": 0.49, "14": 1.33, "15": 1.78, "19": 1.8,
    "20": 0.82, "22": 1.38, "24": 3.62, "25": 4.02, "31": 4.66, "33": 3.57, "37": 4.41, "38": 4.32,
    "40": 3.47, "42": 1.32, "44": 1.87, "46": 1.24, "48": 3.07, "51": 2.16, "52": 3.58, "56": 2.24,
    "66": 3.35, "68": 3.87, "75": 4.49, "79": 14.0, "80": 3.25, "82": 4.37, "86": 4.26, "91": 4.95,
    "92": 4.2, "96": 2.61,
}  # fmt: skip
CITY_FACTOR = {"01": 1.6, "79": 1.6, "48": 1.4, "31": 1.3, "92": 1.3, "46": 1.2}
# Businesses register where the economy is.
BUSINESS_FACTOR = {"79": 2.2, "01": 1.9, "48": 1.3, "31": 1.3, "75": 1.2, "24": 1.2}
SECTOR_WEIGHTS = {
    "ecommerce": 24, "general": 15, "food": 10, "telecom": 8, "market": 8, "health": 7, "finance": 7,
    "housing": 5, "education": 4, "tourism": 4, "transport": 4, "energy": 2, "quality": 1.5, "data": 1.5,
}  # fmt: skip
CHANNELS = (("web", 70), ("hotline", 22), ("api", 8))
# Consumers write at any hour, most in the working day and the evening (local time).
HOUR_WEIGHTS = (1, 0.5, 0.3, 0.2, 0.2, 0.5, 2, 4, 6, 7, 7, 6, 5, 6, 7, 7, 6, 5, 5, 6, 7, 6, 4, 2)
WEEKDAY_FACTOR = (1.0, 1.0, 1.0, 1.0, 0.95, 0.6, 0.45)
HOLIDAY_FACTOR = 0.35
GROWTH_PER_YEAR = 0.35  # e^0.35: about +42% a year as online intake spreads

P_LINKED = 0.40  # complaints about a registered business
P_TAX_AT_INTAKE = 0.5  # ... of which the consumer gave its tax code (the rest: staff link it later)
P_BUSINESS_STAGE = 0.55  # ... of those, the consumer had not asked the business: it answers first
P_DUPLICATE = 0.015
P_VULNERABLE = 0.03
P_STUCK = 0.007  # cases nobody moves any more: the old overdue backlog
STUCK_AT = ("received", "accepted", "working")
P_REJECT_EARLY = 0.06  # out of scope, before accepting
P_WITHDRAW_EARLY = 0.02
P_TRIAGE = 0.45  # a sector led by another body than the Sở Công Thương: the coordinator hands it over
P_ASSIGN = 0.25
P_START = 0.55
CHATTER = ((0, 70), (1, 22), (2, 8))
P_INFO = 0.18
INFO_PATHS = (("reply", 72), ("no_reply", 18), ("withdraw", 10))
P_EXTEND = 0.05
P_WITHDRAW_LATE = 0.03
P_REJECT_LATE = 0.015
P_DISPUTE = 0.05
P_RATE = 0.3
OUTCOMES = (
    ("settled", 30),
    ("refunded", 30),
    ("repaired", 12),
    ("explained", 12),
    ("not_settled", 10),
    ("referred", 6),
)
RATINGS = ((5, 35), (4, 30), (3, 15), (2, 10), (1, 10))
# The business stage: what the business does, then what the consumer does with a final answer.
BUSINESS_PATHS = (("answer", 70), ("refuse", 8), ("silent", 15), ("withdraw", 3), ("take_over", 4))
ANSWER_KINDS = (("monetary", 45), ("non_monetary", 30), ("explanation", 25))
CONSUMER_DECISIONS = (("accept", 60), ("dispute", 22), ("lapse", 18))
OUTCOME_OF = {"monetary": "refunded", "non_monetary": "repaired", "explanation": "explained"}

# --- words ----------------------------------------------------------------------------------------------


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


LEGAL_FORMS = (
    ("Công ty TNHH", 34), ("Công ty Cổ phần", 20), ("Công ty TNHH MTV", 8),
    ("Công ty TNHH Một thành viên", 4), ("Công ty TNHH Hai thành viên trở lên", 2), ("Công ty CP", 3),
    ("Doanh nghiệp tư nhân", 5), ("Hộ kinh doanh", 12), ("Chi nhánh Công ty TNHH", 4),
    ("Chi nhánh Công ty Cổ phần", 2), ("Hợp tác xã", 2),
    ("Công ty Cổ phần Tập đoàn", 1),
)  # fmt: skip
TRADE = (
    ("", 35), ("Thương mại", 14), ("Thương mại và Dịch vụ", 12), ("Thương mại Dịch vụ", 8), ("Dịch vụ", 5),
    ("Sản xuất và Thương mại", 6), ("Sản xuất Thương mại Dịch vụ", 4), ("Đầu tư và Phát triển", 4),
    ("Xuất nhập khẩu", 4), ("Đầu tư Xây dựng", 2), ("Công nghệ", 3), ("Kỹ thuật", 2), ("Tổng hợp", 1),
)  # fmt: skip
# Industry word → the sector complaints about such a business fall in.
INDUSTRIES = {
    "Điện máy": "general", "Điện lạnh": "general", "Nội thất": "general", "Gia dụng": "general",
    "Xe máy": "general", "Ô tô": "general", "Thể thao": "general", "Đồ chơi": "general",
    "Siêu thị": "general",
    "Trang sức": "market", "Vàng bạc đá quý": "market", "Thời trang": "market", "Giày da": "market",
    "Gạo": "market", "Mỹ phẩm": "health", "Dược phẩm": "health", "Thiết bị y tế": "health",
    "Nha khoa": "health", "Thẩm mỹ": "health", "Thực phẩm": "food", "Nông sản": "food", "Thủy sản": "food",
    "Sữa": "food", "Bánh kẹo": "food", "Nước giải khát": "food", "Nhà hàng": "food", "Cà phê": "food",
    "Viễn thông": "telecom", "Internet": "telecom", "Chuyển phát nhanh": "telecom", "Điện thoại": "ecommerce",
    "Máy tính": "ecommerce", "Thương mại điện tử": "ecommerce", "Mẹ và bé": "ecommerce",
    "Xăng dầu": "energy", "Năng lượng": "energy", "Khí đốt": "energy", "Vật liệu xây dựng": "quality",
    "Thiết bị đo lường": "quality", "Bảo hiểm": "finance", "Tài chính": "finance", "Cầm đồ": "finance",
    "Bất động sản": "housing", "Địa ốc": "housing", "Quản lý tòa nhà": "housing", "Cấp nước": "housing",
    "Vận tải": "transport", "Taxi": "transport", "Hàng không": "transport", "Giáo dục": "education",
    "Đào tạo": "education", "Ngoại ngữ": "education", "Du lịch": "tourism", "Lữ hành": "tourism",
    "Khách sạn": "tourism", "Quảng cáo": "tourism", "Truyền thông": "data", "Phần mềm": "data",
}  # fmt: skip
SYLLABLES = words(
    "An Bảo Bình Châu Chí Cường Đại Đông Đức Gia Hà Hải Hạnh Hòa Hoàng Hồng Hùng Hưng Hương Khang "
    "Khánh Kim Lâm Lộc Long Mai Minh Nam Nghĩa Ngọc Nhật Phát Phong Phú Phúc Phương Quang Sơn Tài Tâm "
    "Tân Thái Thành Thắng Thiên Thịnh Thuận Tiến Toàn Trí Trung Trường Tuấn Uy Vạn Vinh Vĩnh Xuân Yến "
    "Hiếu Đạt Sáng Hậu Lợi Nguyên Thanh Hoa Đăng Khoa Duy Anh Tín Nhân Lạc Mỹ Thọ Trang Ánh Dương Sao "
    "Ngân Hiền Bách Cát Diệp Hoàn Kiên Luân Nhi Quý Sang Tường Thủy Lan Vân Đào Liên Hải Âu Bắc Tây "
    "Hợp Thái Bình Hưng Thịnh"
)
BRAND_HEADS = words(
    "Vina Sai Hano Viet Mekong Eco Smart Green Sun Star Blue Gold Asia Alpha Nova Delta Lotus Sky"
)
BRAND_TAILS = words("tech mart food pharma land tel soft star shop med home pro care life net gas milk tour")
SUFFIXES = (("", 84), ("Việt Nam", 7), ("Sài Gòn", 3), ("Hà Nội", 2), ("Miền Nam", 2), ("Quốc tế", 2))
SURNAMES = words("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Mai Tạ")
SHOP_KINDS = ("Cửa hàng", "Nhà thuốc", "Tiệm vàng", "Nhà hàng", "Spa", "Phòng khám", "Đại lý", "Tạp hóa")
# A household business known by its owner's name: the sector its kind of shop falls in.
SHOP_SECTORS = {
    "Cửa hàng": "general", "Nhà thuốc": "health", "Tiệm vàng": "market", "Nhà hàng": "food", "Spa": "health",
    "Phòng khám": "health", "Đại lý": "general", "Tạp hóa": "market", "": "market",
}  # fmt: skip
ENGLISH_FORMS = ("Co., Ltd", "Company Limited", "JSC", "Joint Stock Company", "Corp")
INDUSTRY_EN = ("Trading", "Services", "Technology", "Group", "Investment", "Import Export")
MARKETPLACES = ("Shopee", "Lazada", "TikTok Shop", "Tiki")
SHOP_TAILS = ("Official Store", "Mall", "Shop", "Store")
# Tax department prefixes of the big cities; elsewhere the province code stands in for one (illustrative).
TAX_PREFIX = {"01": "01", "31": "02", "79": "03", "48": "04", "92": "18", "86": "15", "75": "36", "38": "28"}
MIDDLE_M = ("Văn", "Minh", "Quốc", "Thanh", "Hoàng", "Công", "Đức", "Hữu", "Gia", "Xuân", "Ngọc", "Trọng")
MIDDLE_F = ("Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Bích", "Hồng", "Thùy", "Phương", "Diệu", "Khánh")
GIVEN_M = words(
    "An Bình Cường Dũng Hiếu Hòa Khánh Long Nam Phúc Quân Tâm Tuấn Hùng Kiên Lâm Minh Nghĩa Phong "
    "Quang Sơn Thắng Thành Trung Vinh Huy Khoa Đạt Hải Hưng"
)
GIVEN_F = words(
    "Dung Hạnh Lan Linh Mai Nga Thảo Trang Vy Yến Hương Ngân Nhi Anh Châu Giang Hà Hoa Huyền Loan My "
    "Nhung Oanh Phương Quyên Tâm Thủy Trinh Uyên Xuân"
)
MAIL_DOMAINS = (("example.com", 70), ("example.vn", 20), ("example.net", 10))
STREET_NAMES = (
    "Trần Phú", "Nguyễn Huệ", "Lê Lợi", "Hai Bà Trưng", "Lý Thường Kiệt", "Nguyễn Trãi", "Quang Trung",
    "Lê Duẩn", "Trần Hưng Đạo", "Nguyễn Văn Cừ", "30 Tháng 4", "2 Tháng 9", "Hùng Vương", "Phan Chu Trinh",
)  # fmt: skip
GREETINGS = (
    "Kính gửi Sở Công Thương,", "Kính gửi cơ quan bảo vệ quyền lợi người tiêu dùng.", "Xin chào quý cơ quan,",
    "Em chào anh chị ạ.", "Tôi xin trình bày sự việc như sau:", "Toi xin trinh bay su viec nhu sau:",
)  # fmt: skip
CLOSINGS = (
    "Mong cơ quan sớm xem xét giải quyết.", "Xin chân thành cảm ơn!", "Rất mong được hỗ trợ.",
    "mong co quan som giai quyet giup toi", "Tôi có đầy đủ hóa đơn, tin nhắn làm bằng chứng.",
)  # fmt: skip
ANSWER_BODIES = {
    "monetary": "Công ty xin lỗi quý khách về sự cố. Chúng tôi đồng ý hoàn lại {tien} đồng vào tài khoản của "
    "quý khách trong 3 ngày làm việc.",
    "non_monetary": "Công ty đã kiểm tra, xác nhận lỗi và đổi cho quý khách sản phẩm mới cùng loại, miễn phí "
    "vận chuyển.",
    "explanation": "Theo biên bản kiểm tra, sản phẩm hư hỏng do sử dụng không đúng hướng dẫn nên không thuộc "
    "diện bảo hành. Công ty gửi kèm biên bản và hỗ trợ sửa chữa với giá ưu đãi.",
    "refused": "Công ty không đồng ý với yêu cầu vì giao dịch đã hoàn tất đúng hợp đồng và chính sách đổi "
    "trả đã công bố.",
}
NO_REPLY = "Hết thời hạn nhưng ông/bà không bổ sung thông tin theo yêu cầu; hồ sơ dừng xử lý."
EXTENSIONS = (
    "Cần giám định chất lượng sản phẩm tại đơn vị độc lập.",
    "Doanh nghiệp đề nghị thêm thời gian để đối chiếu chứng từ.",
    "Vụ việc phức tạp, cần xin ý kiến cơ quan chuyên môn.",
)
TAKE_OVER = "Vụ việc có dấu hiệu mất an toàn cho người tiêu dùng; cơ quan tiếp nhận giải quyết ngay."
VULNERABLE_GROUPS = ("elderly", "disability", "child", "ethnic_remote", "pregnant", "illness", "poor")

# --- the text COPY reads ----------------------------------------------------------------------------------

NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def esc(text: str) -> str:
    # str.translate walks Vietnamese text character by character: test for the four characters first.
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


@functools.lru_cache(maxsize=1 << 18)
def strip_marks(text: str) -> str:
    """Vietnamese without diacritics, case kept: "Điện Máy" → "Dien May" (how many type on a phone)."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.category(c).startswith("M")
    )


class Stamps:
    """Epoch seconds (UTC) → timestamptz and date text: a cached day prefix and a table of times of day."""

    def __init__(self) -> None:
        days: dict[int, str] = {}
        times = [f" {h:02d}:{m:02d}:{s:02d}+00" for h in range(24) for m in range(60) for s in range(60)]

        def day(number: int) -> str:
            text = days.get(number)
            if text is None:
                text = days[number] = (EPOCH + dt.timedelta(days=number)).isoformat()
            return text

        def ts(t: int | None) -> str:
            if t is None:
                return NULL
            number = t // DAY
            text = days.get(number)
            if text is None:
                text = day(number)
            return text + times[t - number * DAY]

        self.day = day
        self.ts = ts


def local_day(t: int) -> int:
    return (t + VN) // DAY


def day_number(d: dt.date) -> int:
    return (d - EPOCH).days


def weighted_picker(pairs, rng: random.Random):
    """A fast `rng.choices(values, weights)[0]` for a fixed table."""
    values = [v for v, _ in pairs]
    cumulative = list(accumulate(w for _, w in pairs))
    total = cumulative[-1]
    last = len(values) - 1

    def pick():
        return values[min(bisect_right(cumulative, rng.random() * total), last)]

    return pick


def one(rng: random.Random, seq):
    """`rng.choice(seq)` at a third of the cost (no rejection sampling; the bias is below 2^-40)."""
    return seq[int(rng.random() * len(seq))]


def below(rng: random.Random, n: int) -> int:
    """`rng.randrange(n)`, fast."""
    return int(rng.random() * n)


def between(rng: random.Random, low: int, high: int) -> int:
    """`rng.randint(low, high)`, fast."""
    return low + int(rng.random() * (high - low + 1))


# --- the working-day calendar, precomputed ----------------------------------------------------------------


class Calendar:
    """The app's WorkingCalendar (holidays package + CalendarOverride rows) as arrays over local day numbers,
    so a deadline costs two list look-ups. `check` compares it with the app's own methods."""

    def __init__(self, app_calendar, first: dt.date, last: dt.date) -> None:
        self.app = app_calendar
        self.version = app_calendar.version
        self.first = day_number(first)
        count = (last - first).days + 1
        self.working = [app_calendar.is_working_day(first + dt.timedelta(days=i)) for i in range(count)]
        # cumulative[i]: working days on or before day first+i; workdays: the working day numbers in order.
        self.cumulative = list(accumulate(int(w) for w in self.working))
        self.workdays = [self.first + i for i, w in enumerate(self.working) if w]
        self.soon: dict[int, int] = {}

    def is_working(self, day: int) -> bool:
        return self.working[day - self.first]

    def add_working_days(self, day: int, n: int) -> int:
        return self.workdays[self.cumulative[day - self.first] + n - 1]

    def next_working_day(self, day: int) -> int:
        return self.workdays[self.cumulative[day - self.first]]

    def between(self, a: int, b: int) -> int:
        return self.cumulative[b - self.first] - self.cumulative[a - self.first]

    def end_of_period(self, day: int, n: int) -> int:
        last = day + n
        return last if self.is_working(last) else self.next_working_day(last)

    @staticmethod
    def end_of_day(day: int) -> int:
        return day * DAY + DAY - 1 - VN

    def deadline(self, t: int, n: int) -> int:
        return self.end_of_day(self.add_working_days(local_day(t), n))

    def soon_from(self, due: int, working_days: int) -> int:
        """When the sweep first finds `due` "due soon": the local midnight of the first day whose
        `working_days`-th working day reaches the due date."""
        due_day = local_day(due)
        start = self.soon.get(due_day)
        if start is None:
            day = due_day
            while self.add_working_days(day - 1, working_days) >= due_day:
                day -= 1
            start = self.soon[due_day] = day * DAY - VN
        return start

    def office(self, t: int, rng: random.Random) -> int:
        """`t` if it falls in office hours (7:30-16:30) on a working day, else early on the next one."""
        day, seconds = divmod(t + VN, DAY)
        if self.is_working(day) and 27_000 <= seconds <= 59_400:
            return t
        if not (self.is_working(day) and seconds < 27_000):
            day = self.next_working_day(day)
        return day * DAY - VN + 27_000 + below(rng, 10_800)

    def check(self, rng: random.Random, samples: int = 3000) -> None:
        from bvntd.core.calendar import VN_TZ, local_date

        for _ in range(samples):
            t = rng.randrange(day_number(FIRST_DAY) * DAY, day_number(LAST_DAY) * DAY)
            moment = dt.datetime.fromtimestamp(t, tz=dt.UTC)
            for n in (2, 3, 5, 7, 15):
                ours = dt.datetime.fromtimestamp(self.deadline(t, n), tz=dt.UTC)
                if ours != self.app.deadline(moment, n):
                    raise AssertionError(f"deadline({moment}, {n}): {ours} != {self.app.deadline(moment, n)}")
            day = local_date(moment)
            ours = EPOCH + dt.timedelta(days=self.end_of_period(local_day(t), 15))
            if ours != self.app.end_of_period(day, 15):
                raise AssertionError(f"end_of_period({day}): {ours}")
            later = day + dt.timedelta(days=below(rng, 40))
            if self.between(local_day(t), day_number(later)) != self.app.working_days_between(day, later):
                raise AssertionError(f"working_days_between({day}, {later})")
        if VN_TZ.utcoffset(dt.datetime(2026, 1, 1)) != dt.timedelta(seconds=VN):
            raise AssertionError("Asia/Ho_Chi_Minh is not UTC+7")


# --- the database -----------------------------------------------------------------------------------------


def server_connect(dbname: str = "postgres", autocommit: bool = True):
    import psycopg

    return psycopg.connect(f"{SERVER}/{dbname}", autocommit=autocommit)


def prepare_database(name: str, recreate: bool) -> None:
    with server_connect() as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not recreate:
            sys.exit(f"database {name} exists: pass --recreate to drop and rebuild it")
        if exists:
            with server_connect(name) as target:
                ours = target.execute(
                    "SELECT to_regclass('django_migrations') IS NOT NULL OR NOT EXISTS "
                    "(SELECT 1 FROM pg_tables WHERE schemaname = 'public')"
                ).fetchone()[0]
            if not ours:
                sys.exit(
                    f"database {name} has no django_migrations table: not a BVNTD database, not dropping it"
                )
            log(f"dropping database {name}")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with server_connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args: str) -> None:
    started = time.perf_counter()
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    log(f"manage.py {' '.join(args)}: {time.perf_counter() - started:.1f}s")


class Writer:
    """COPY in a thread with its own connection, one transaction per batch, so PostgreSQL parses, inserts
    and maintains indexes while Python generates the next batch (two cores: one each)."""

    def __init__(self, dsn: str, fk_checks: bool) -> None:
        import psycopg

        self.conn = psycopg.connect(dsn)
        self.conn.execute("SET synchronous_commit = off")
        if not fk_checks:
            # Skips the deferred per-row foreign-key triggers (checked afterwards by one anti-join per key).
            self.conn.execute("SET session_replication_role = replica")
        self.conn.commit()
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.rows: Counter = Counter()
        self.busy = 0.0
        self.waited = 0.0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def put(self, batch: list[tuple[str, tuple[str, ...], list[str]]]) -> None:
        """batch: (table, columns, lines) in the order they must be written (parents first)."""
        started = time.perf_counter()
        while True:
            if self.error is not None:
                raise RuntimeError("COPY failed") from self.error
            try:
                self.queue.put(batch, timeout=0.5)
                break
            except queue.Full:
                continue
        self.waited += time.perf_counter() - started

    def _run(self) -> None:
        while True:
            batch = self.queue.get()
            if batch is None:
                self.queue.task_done()
                return
            if self.error is not None:
                self.queue.task_done()
                continue
            started = time.perf_counter()
            try:
                with self.conn.cursor() as cur:
                    for table, columns, lines in batch:
                        if not lines:
                            continue
                        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                            copy.write("\n".join(lines) + "\n")
                        self.rows[table] += len(lines)
                self.conn.commit()
            except BaseException as error:  # handed to the main thread
                self.error = error
            self.busy += time.perf_counter() - started
            self.queue.task_done()

    def drain(self) -> None:
        """Wait until every batch handed over is committed."""
        self.queue.join()
        if self.error is not None:
            raise RuntimeError("COPY failed") from self.error

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        self.conn.close()
        if self.error is not None:
            raise RuntimeError("COPY failed") from self.error


class Indexes:
    """The big tables' secondary indexes, dropped before COPY and rebuilt after it from PostgreSQL's own
    definitions (pg_indexes.indexdef; pg_get_constraintdef for unique constraints), then compared with what
    was there: the same names, the same definitions. Primary keys stay (ids arrive in order, appending is
    cheap, and the foreign keys need them). Inserting 1M rows into 23 b-tree indexes, most on random keys
    far larger than shared_buffers, is 3x slower than building them once from sorted data."""

    SNAPSHOT = "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)"

    def __init__(self, conn) -> None:
        self.before = set(conn.execute(self.SNAPSHOT, [list(BIG_TABLES)]).fetchall())
        constraints = conn.execute(
            "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype IN ('p', 'u') AND conrelid::regclass::text = ANY(%s)",
            [list(BIG_TABLES)],
        ).fetchall()
        self.keep = {name for _table, name, kind, _definition in constraints if kind == "p"}
        self.unique = [
            (table, name, definition) for table, name, kind, definition in constraints if kind == "u"
        ]
        unique_names = {name for _table, name, _definition in self.unique}
        self.plain = [
            (table, name, definition)
            for table, name, definition in sorted(self.before)
            if name not in self.keep and name not in unique_names
        ]

    def drop(self, conn) -> None:
        with conn.cursor() as cur:
            for table, name, _definition in self.unique:
                cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for _table, name, _definition in self.plain:
                cur.execute(f'DROP INDEX "{name}"')
        conn.commit()
        log(
            f"dropped {len(self.unique) + len(self.plain)} indexes for the load, rebuilt after it "
            f"(kept {len(self.keep)} primary keys; a failed run leaves them missing: rerun with --recreate)"
        )

    def rebuild(self, dsn: str, workers: int = 2) -> dict[str, float]:
        """Two connections build one index each at a time (two cores), largest tables first."""
        import psycopg

        statements = [(t, n, f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}') for t, n, d in self.unique]
        statements += [(t, n, d) for t, n, d in self.plain]
        order = {
            table: i for i, table in enumerate((EVENT, COMPLAINT, NAME, BUSINESS, MESSAGE, REFERRAL, ANSWER))
        }
        work: queue.Queue = queue.Queue()
        for item in sorted(statements, key=lambda item: order[item[0]]):
            work.put(item)
        seconds: dict[str, float] = {}
        errors: list[BaseException] = []

        def build() -> None:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute("SET maintenance_work_mem = '1GB'")
                conn.execute("SET max_parallel_maintenance_workers = 0")
                while not errors:
                    try:
                        _table, name, statement = work.get_nowait()
                    except queue.Empty:
                        return
                    started = time.perf_counter()
                    try:
                        conn.execute(statement)
                    except BaseException as error:  # handed to the main thread
                        errors.append(error)
                        return
                    seconds[name] = round(time.perf_counter() - started, 2)

        threads = [threading.Thread(target=build) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise RuntimeError("rebuilding an index failed") from errors[0]
        with psycopg.connect(dsn) as conn:
            after = set(conn.execute(self.SNAPSHOT, [list(BIG_TABLES)]).fetchall())
        if {same(row) for row in after} != {same(row) for row in self.before}:
            raise AssertionError(f"indexes differ after the rebuild: {sorted(after ^ self.before)}")
        return seconds


def same(row: tuple[str, str, str]) -> tuple[str, str, str]:
    """An index definition up to how PostgreSQL prints it back: a partial index's `status IN (…)` comes
    back with its casts and parentheses moved after a round trip through its own text."""
    table, name, definition = row
    for noise in ("::character varying", "::text[]", "::text", "(", ")", " "):
        definition = definition.replace(noise, "")
    return table, name, definition


# --- tables and columns -------------------------------------------------------------------------------------

BUSINESS = "businesses_business"
BUSINESS_COLUMNS = ("id", "tax_code", "name", "name_key", "address", "website", "created_at", "updated_at",
                    "commune_id", "merged_into_id", "province_id", "sector_id")  # fmt: skip
NAME = "businesses_businessname"
NAME_COLUMNS = ("id", "name", "key", "kind", "business_id")
COMPLAINT = "complaints_complaint"
COMPLAINT_COLUMNS = (
    "id", "tracking_code", "channel", "status", "consumer_name", "phone", "email", "address", "phone_index",
    "email_index", "business_name", "business_tax_code", "business_address", "description", "amount_vnd",
    "purchased_on", "desired_outcome", "contacted_business", "consent_at", "search_text", "outcome",
    "outcome_summary", "reject_reason", "consumer_rating", "due_kind", "due_at", "calendar_version",
    "resolve_due_at", "paused_working_days", "extended", "due_soon_noted_for", "overdue_noted_for",
    "received_at", "accepted_at", "resolved_at", "dispute_until", "closed_at", "updated_at", "version",
    "assigned_officer_id", "commune_id", "created_by_id", "duplicate_of_id", "owner_agency_id", "province_id",
    "sector_id", "business_province_id", "business_id", "publish_consent", "vulnerable_group",
    "vulnerable_status",
)  # fmt: skip
EVENT = "complaints_complaintevent"
EVENT_COLUMNS = ("id", "kind", "created_at", "actor_label", "from_status", "to_status", "reason", "due_at",
                 "public", "data", "actor_id", "complaint_id", "from_agency_id", "to_agency_id")  # fmt: skip
MESSAGE = "complaints_message"
MESSAGE_COLUMNS = ("id", "kind", "body", "created_at", "author_id", "complaint_id")
REFERRAL = "businesses_referral"
REFERRAL_COLUMNS = ("id", "status", "priority", "sent_at", "answer_due_at", "first_answer_at", "ended_at",
                    "relief_vnd", "handed_to", "business_id", "complaint_id")  # fmt: skip
ANSWER = "businesses_businessanswer"
ANSWER_COLUMNS = ("id", "kind", "body", "amount_vnd", "expected_on", "via", "created_at", "author_id",
                  "referral_id")  # fmt: skip
USER = "auth_user"
MEMBERSHIP = "agencies_membership"
BIG_TABLES = (BUSINESS, NAME, COMPLAINT, EVENT, MESSAGE, REFERRAL, ANSWER)
ID_TABLES = (USER, MEMBERSHIP, *BIG_TABLES)


# --- reference data ---------------------------------------------------------------------------------------


class Reference:
    """What the generator needs from the tables load_reference filled."""

    def __init__(self, cursor) -> None:
        cursor.execute("SELECT code, abbr, full_name, name FROM geo_province ORDER BY code")
        self.provinces = {code: (abbr, full_name, name) for code, abbr, full_name, name in cursor.fetchall()}
        cursor.execute("SELECT code, province_id, full_name FROM geo_commune ORDER BY code")
        self.communes: dict[str, list[tuple[str, str]]] = {}
        for code, province, full_name in cursor.fetchall():
            self.communes.setdefault(province, []).append((code, full_name))
        # Effective dates: when each commune code named a unit of its province (local day numbers).
        cursor.execute(
            "SELECT code, province_code, valid_from, valid_to FROM geo_unitversion WHERE level = 'commune'"
        )
        self.commune_periods: dict[str, list[tuple[str, int, int]]] = {}
        for code, province, start, end in cursor.fetchall():
            stop = day_number(end) if end else 10**9
            self.commune_periods.setdefault(code, []).append((province, day_number(start), stop))
        cursor.execute("SELECT id, code, kind, province_id, name FROM agencies_agency")
        self.agencies = {}
        self.agency_by_kind: dict[tuple[str | None, str], int] = {}
        self.agency_name = {}
        for pk, code, kind, province, name in cursor.fetchall():
            self.agencies[code] = pk
            self.agency_by_kind[province, kind] = pk
            self.agency_name[pk] = name
        cursor.execute("SELECT code, name, default_lead_kind FROM agencies_sector")
        self.sectors = {code: (name, lead) for code, name, lead in cursor.fetchall()}

    def lead_agency(self, sector: str, province: str) -> int:
        """agencies.queries.lead_agency_for without queries: the province's body of the sector's lead kind,
        else the national one of that kind, else the Ministry's authority."""
        kind = self.sectors[sector][1]
        return (
            self.agency_by_kind.get((province, kind))
            or self.agency_by_kind.get((None, kind))
            or self.agency_by_kind[None, "national"]
        )

    def commune_valid(self, code: str, province: str, day: int) -> bool:
        return any(p == province and start <= day < stop for p, start, stop in self.commune_periods[code])


def create_staff(conn, ref: Reference, stamps: Stamps) -> dict:
    """Officers for every agency, a head and a coordinator per province, national hotline operators."""
    rng = random.Random(7)
    users, memberships = [], []
    staff = {"officers": {}, "heads": {}, "coordinators": {}, "hotline": [], "names": {}}
    joined = stamps.ts(day_number(FIRST_DAY) * DAY - 30 * DAY)

    def add(username: str, agency: int, role: str) -> int:
        pk = len(users) + 1
        female = rng.random() < 0.5
        full = f"{one(rng, SURNAMES)} {one(rng, MIDDLE_F if female else MIDDLE_M)} "
        full += one(rng, GIVEN_F if female else GIVEN_M)
        password = "!" + secrets.token_urlsafe(30)[:40]  # unusable, like set_unusable_password()
        users.append(f"{pk}\t{password}\t{NULL}\tf\t{username}\t{full}\t\t\tf\tt\t{joined}")
        memberships.append(f"{pk}\t{role}\t{joined}\t{agency}\t{pk}")
        staff["names"][pk] = username
        return pk

    for code, agency in sorted(ref.agencies.items()):
        province, _, kind = code.partition("-")
        if code in {"national", "vinastas"}:
            continue
        count = 3 if kind == "sct" else 2 if kind in {"health", "qltt"} else 1
        if code == "sbv":
            count = 3
        if kind == "sct-cp":
            staff["coordinators"][province] = add(f"bench.{code}.dieuphoi", agency, "coordinator")
            continue
        staff["officers"][agency] = [add(f"bench.{code}.canbo{i}", agency, "officer") for i in range(count)]
        if kind == "sct":
            staff["heads"][agency] = add(f"bench.{code}.lanhdao", agency, "head")
    national = ref.agencies["national"]
    staff["officers"][national] = [add("bench.quocgia", national, "national")]
    staff["hotline"] = [add(f"bench.tongdai{i}", national, "hotline") for i in range(12)]
    with conn.cursor() as cur:
        columns = ("id", "password", "last_login", "is_superuser", "username", "first_name", "last_name",
                   "email", "is_staff", "is_active", "date_joined")  # fmt: skip
        with cur.copy(f"COPY {USER} ({', '.join(columns)}) FROM STDIN") as copy:
            copy.write("\n".join(users) + "\n")
        with cur.copy(f"COPY {MEMBERSHIP} (id, role, created_at, agency_id, user_id) FROM STDIN") as copy:
            copy.write("\n".join(memberships) + "\n")
    conn.commit()
    staff["count"] = len(users)
    return staff


# --- the consumers' personal data ---------------------------------------------------------------------------


def consumer_pool(size: int, ref: Reference, rng: random.Random) -> dict[str, list[tuple]]:
    """`size` consumers, spread over the provinces like the complaints, each encrypted once with the app's
    crypto: (name, phone, email, address ciphertexts, phone and e-mail blind indexes, home commune)."""
    from bvntd.complaints.demo_texts import MOBILE_PREFIXES
    from bvntd.complaints.intake import normalise_email, normalise_phone
    from bvntd.core.crypto import blind_index, encrypt
    from bvntd.core.text import fold

    weights = {code: POPULATION[code] * CITY_FACTOR.get(code, 1) for code in ref.provinces}
    total = sum(weights.values())
    domain = weighted_picker(MAIL_DOMAINS, rng)
    pool: dict[str, list[tuple]] = {}
    for code in sorted(ref.provinces):
        people = []
        province_name = ref.provinces[code][1]
        for _ in range(max(50, round(size * weights[code] / total))):
            female = rng.random() < 0.5
            family = one(rng, SURNAMES)
            given = one(rng, GIVEN_F if female else GIVEN_M)
            name = f"{family} {one(rng, MIDDLE_F if female else MIDDLE_M)} {given}"
            email = ""
            if rng.random() < 0.45:
                email = normalise_email(f"{fold(given)}.{fold(family)}{between(rng, 60, 2008)}@{domain()}")
            phone = ""
            if not (email and rng.random() < 0.1):  # a few consumers leave only an e-mail address
                while not phone:
                    phone = normalise_phone(one(rng, MOBILE_PREFIXES) + f"{below(rng, 10**7):07d}") or ""
            commune, commune_name = one(rng, ref.communes[code])
            street = (
                f"Số {between(rng, 1, 250)} đường {one(rng, STREET_NAMES)}"
                if rng.random() < 0.6
                else f"Tổ {between(rng, 1, 12)}, ấp {one(rng, SYLLABLES)} {one(rng, SYLLABLES)}"
            )
            address = f"{street}, {commune_name}, {province_name}"
            people.append(
                (
                    encrypt(name),
                    encrypt(phone) if phone else "",
                    encrypt(email) if email else "",
                    encrypt(address),
                    blind_index("phone", phone) if phone else "",
                    blind_index("email", email) if email else "",
                    commune,
                )
            )
        pool[code] = people
    return pool


# --- the business registry ---------------------------------------------------------------------------------


class Registry:
    """Generates the businesses and keeps the few the complaints are about (a Zipf-like subset per sector)."""

    def __init__(self, count: int, ref: Reference, stamps: Stamps, seed: int) -> None:
        from stdnum.vn import mst

        from bvntd.businesses import names
        from bvntd.core.text import fold

        self.name_key = names.name_key
        # name_key folds the whole name, which costs ~100 µs in pure Python. Folding is word by word, so the
        # key is built from cached folded words and the module's own legal-form pattern; `generate` checks
        # the result against name_key on a sample, so a change in names.py cannot go unnoticed.
        self.strip_punctuation = names._strip_punctuation
        self.legal_forms = names._LEGAL_FORM_RE
        self.fold = fold
        self.check_digit = mst.calc_check_digit
        self.count = count
        self.ref = ref
        self.stamps = stamps
        self.rng = random.Random(f"businesses-{seed}")
        self.folded: dict[str, str] = {}
        self.keys: set[str] = set()
        self.serials: Counter = Counter()
        self.branches: Counter = Counter()
        self.parents: deque = deque(maxlen=20_000)
        self.merged: set[int] = set()
        # The businesses complaints are about: ~1 in 8, at least 2,000 (or all), ranked by weight per sector.
        self.target = min(count, max(2000, count // 8))
        self.complained: dict[str, list[tuple]] = {sector: [] for sector in SECTOR_WEIGHTS}
        self.checked = 0

    def fold_part(self, part: str) -> str:
        folded = self.folded
        out = []
        for word in part.split():
            value = folded.get(word)
            if value is None:
                value = folded[word] = self.fold(word)
            out.append(value)
        return " ".join(out)

    def key_of(self, name: str) -> str:
        """businesses.names.name_key(name), fast."""
        bare = self.strip_punctuation(self.fold_part(name))
        return " ".join(self.legal_forms.sub(" ", bare).split()) or bare

    def tax_code(self, province: str) -> str:
        prefix = TAX_PREFIX.get(province, province)
        while True:
            k = self.serials[prefix]
            self.serials[prefix] += 1
            # A bijection of the counter on 0..10^7-1: distinct serials that do not look sequential.
            serial = (k * 7_654_321 + 1_234_567) % 10**7
            body = f"{prefix}{serial:07d}"
            check = self.check_digit(body)
            if serial and len(check) == 1:
                return body + check

    def generate(self, writer: Writer, chunk: int) -> dict:
        rng = self.rng
        stamps = self.stamps
        ref = self.ref
        form_of = weighted_picker(LEGAL_FORMS, rng)
        trade_of = weighted_picker(TRADE, rng)
        suffix_of = weighted_picker(SUFFIXES, rng)
        sector_of = weighted_picker(tuple(SECTOR_WEIGHTS.items()), rng)
        provinces = sorted(ref.provinces)
        province_of = weighted_picker(
            [(code, POPULATION[code] * BUSINESS_FACTOR.get(code, 1)) for code in provinces], rng
        )
        industries = list(INDUSTRIES)
        first = day_number(FIRST_DAY) * DAY
        span = (day_number(LAST_DAY) - day_number(FIRST_DAY)) * DAY
        keep_share = self.target / self.count
        businesses, names = [], []
        name_id = 0
        counts = Counter()
        for pk in range(1, self.count + 1):
            province = province_of()
            form = form_of()
            household = form == "Hộ kinh doanh"
            branch = form.startswith("Chi nhánh")
            while True:
                trade = "" if household else trade_of()  # households carry no trade words
                industry = one(rng, industries) if rng.random() < 0.78 else ""
                shop_kind = ""
                roll = rng.random()
                if household and roll < 0.5:
                    industry = ""
                    distinct = f"{one(rng, SURNAMES)} {one(rng, MIDDLE_M + MIDDLE_F)} {one(rng, SYLLABLES)}"
                    if rng.random() < 0.7:
                        shop_kind = one(rng, SHOP_KINDS)
                        distinct = f"{shop_kind} {distinct}"
                elif roll < 0.7:
                    distinct = " ".join(rng.sample(SYLLABLES, 2))
                elif roll < 0.85:
                    distinct = " ".join(rng.sample(SYLLABLES, 3))
                else:
                    distinct = one(rng, BRAND_HEADS) + one(rng, BRAND_TAILS)
                suffix = f"tại {ref.provinces[province][2]}" if branch else suffix_of()
                parts = [p for p in (form, trade, industry, distinct, suffix) if p]
                key = self.key_of(" ".join(parts))
                if key not in self.keys:
                    break
            self.keys.add(key)
            display = " ".join(parts)
            style = rng.random()
            if style < 0.2:
                display = display.upper()  # as the national registration portal prints it
            elif style < 0.28:
                display = strip_marks(display)
            tax_code = ""
            if branch and self.parents:
                parent = one(rng, self.parents)
                self.branches[parent] += 1
                tax_code = f"{parent}{self.branches[parent]:03d}"
            elif rng.random() > 0.03:
                tax_code = self.tax_code(province)
                if not household:
                    self.parents.append(tax_code)
            if industry:
                sector = INDUSTRIES[industry]
            elif household:
                sector = SHOP_SECTORS[shop_kind]
            else:
                sector = sector_of()
            commune = NULL
            address = ""
            if rng.random() < 0.8:
                commune, commune_name = one(rng, ref.communes[province])
                address = f"Số {between(rng, 1, 400)} đường {one(rng, STREET_NAMES)}, {commune_name}, "
                address += ref.provinces[province][1]
            website = ""
            if rng.random() < 0.15 and not household:
                website = f"https://www.{self.fold_part(distinct).replace(' ', '')}{between(rng, 1, 99)}.vn"
            created = first + below(rng, span)
            updated = created + (below(rng, 200 * DAY) if rng.random() < 0.1 else 0)
            merged_into = NULL
            if pk > 100 and rng.random() < 0.002:
                target = between(rng, 1, pk - 1)
                if target not in self.merged:
                    merged_into = str(target)
                    self.merged.add(pk)
            businesses.append(
                f"{pk}\t{tax_code}\t{esc(display)}\t{key}\t{esc(address)}\t{website}\t{stamps.ts(created)}\t"
                f"{stamps.ts(min(updated, first + span))}\t{commune}\t{merged_into}\t{province}\t{sector}"
            )
            name_id += 1
            names.append(f"{name_id}\t{esc(display)}\t{key}\tlegal\t{pk}")
            alias = alias_key = ""
            if not household and rng.random() < 0.2:
                alias = f"{strip_marks(distinct)} {one(rng, INDUSTRY_EN)} {one(rng, ENGLISH_FORMS)}"
                alias_key = self.key_of(alias)
                if alias_key != key:
                    name_id += 1
                    names.append(f"{name_id}\t{esc(alias)}\t{alias_key}\talias\t{pk}")
                else:
                    alias = alias_key = ""
            shop = shop_key = ""
            if rng.random() < 0.08:
                shop = f"{one(rng, MARKETPLACES)}: {distinct} {one(rng, SHOP_TAILS)}"
                shop_key = self.key_of(shop)
                if shop_key not in {key, alias_key}:
                    name_id += 1
                    names.append(f"{name_id}\t{esc(shop)}\t{shop_key}\tshop\t{pk}")
            if pk % 499 == 1:  # the fast keys are name_key's
                self.checked += 1
                for text, text_key in ((display, key), (alias, alias_key), (shop, shop_key)):
                    if text and self.name_key(text) != text_key:
                        raise AssertionError(f"name_key({text!r}) != {text_key!r}")
            if merged_into == NULL and rng.random() < keep_share:
                self.complained[sector].append((pk, display, tax_code, province, industry, distinct, alias))
            if len(businesses) >= chunk:
                counts[BUSINESS] += len(businesses)
                counts[NAME] += len(names)
                writer.put([(BUSINESS, BUSINESS_COLUMNS, businesses), (NAME, NAME_COLUMNS, names)])
                businesses, names = [], []
                log(f"businesses {pk:,}/{self.count:,}")
        counts[BUSINESS] += len(businesses)
        counts[NAME] += len(names)
        writer.put([(BUSINESS, BUSINESS_COLUMNS, businesses), (NAME, NAME_COLUMNS, names)])
        self.keys.clear()
        # Complaints concentrate on few businesses: rank r weighs 1/(r+10)^0.9.
        self.pickers = {}
        for sector, rows in self.complained.items():
            rng.shuffle(rows)
            if rows:
                cumulative = list(accumulate(1 / (r + 10) ** 0.9 for r in range(len(rows))))
                self.pickers[sector] = (rows, cumulative)
        return counts

    def pick(self, sector: str, rng: random.Random) -> tuple | None:
        entry = self.pickers.get(sector)
        if entry is None:
            return None
        rows, cumulative = entry
        return rows[min(bisect_right(cumulative, rng.random() * cumulative[-1]), len(rows) - 1)]


# --- complaints ------------------------------------------------------------------------------------------


class Stop(Exception):
    """The next step would happen after the reference time: the case stays where it is."""


KEEP = object()
BUSINESS_STAGE = frozenset({"at_business", "business_answered"})


class Case:
    """One complaint's life from intake to the reference time, as the services would have written it."""

    __slots__ = (
        "accepted_at",
        "answers",
        "assigned",
        "business",
        "business_id",
        "closed_at",
        "dispute_until",
        "due",
        "due_kind",
        "duplicate_of",
        "events",
        "extended",
        "g",
        "hist",
        "id",
        "lead",
        "link_later",
        "messages",
        "officer",
        "outcome",
        "outcome_summary",
        "over_noted",
        "owner",
        "paused",
        "province",
        "rating",
        "referral",
        "reject_reason",
        "resolve_due",
        "resolved_at",
        "rng",
        "sector",
        "sector_set",
        "seg_business",
        "seg_start",
        "soon_noted",
        "speed",
        "status",
        "stuck",
        "t",
        "updated",
        "version",
    )  # fmt: skip

    def __init__(self, g: "Generator", pk: int, t0: int, province: str, sector: str) -> None:
        self.g = g
        self.rng = g.rng
        self.id = pk
        self.t = t0
        self.province = province
        self.sector = sector
        self.sector_set = False
        self.status = "received"
        self.owner = g.ref.agency_by_kind[province, "sct"]
        self.lead = g.ref.lead_agency(sector, province)
        self.officer = None
        self.assigned = None
        self.events: list[tuple] = []
        self.messages: list[tuple] = []
        self.hist: list[tuple[int, str, int]] = []
        self.due = None
        self.due_kind = ""
        self.seg_start = t0
        self.seg_business = False
        self.resolve_due = None
        self.paused = None
        self.extended = False
        self.soon_noted = None
        self.over_noted = None
        self.version = 1
        self.updated = t0
        self.accepted_at = self.resolved_at = self.dispute_until = self.closed_at = None
        self.outcome = self.outcome_summary = self.reject_reason = ""
        self.duplicate_of = None
        self.rating = None
        self.business = None  # (pk, name, tax_code, province, core, alias) when registered
        self.business_id = None
        self.link_later = False
        self.referral = None
        self.answers: list[tuple] = []
        self.speed = g.speed[province]
        self.stuck = None

    # --- time and people

    def later(self, low: float, high: float, office: bool = True) -> int:
        t = self.t + int(self.rng.uniform(low, high) * DAY)
        return self.g.cal.office(t, self.rng) if office else t

    def worker(self) -> int:
        if self.officer is None or self.officer[0] != self.owner:
            self.officer = (self.owner, one(self.rng, self.g.staff["officers"][self.owner]))
        return self.officer[1]

    # --- writing one change (services._write), and the sweep's warnings

    def write(
        self,
        t,
        kind,
        *,
        to=None,
        actor=None,
        label="",
        reason="",
        public=True,
        data="{}",
        due=KEEP,
        due_kind="",
        owner=None,
    ) -> None:
        if t > self.g.now:
            raise Stop
        old_status, old_owner = self.status, self.owner
        if due is not KEEP:
            self.close_segment(t)
        if owner is not None:
            self.owner = owner
            self.assigned = None
        if to is not None:
            self.status = to
        if due is not KEEP:
            self.due, self.due_kind, self.seg_start = due, due_kind if due is not None else "", t
            self.seg_business = self.status in BUSINESS_STAGE
        self.version += 1
        self.updated = self.t = t
        self.hist.append((t, self.status, self.owner))
        self.events.append(
            (
                t,
                kind,
                actor,
                label,
                old_status,
                self.status,
                old_owner,
                self.owner,
                reason,
                None if due is KEEP else due,
                public,
                data,
            )
        )

    def state_at(self, t: int) -> tuple[str, int]:
        for when, status, owner in reversed(self.hist):
            if when <= t:
                return status, owner
        return "received", self.hist[0][2] if self.hist else self.owner

    def close_segment(self, end: int) -> None:
        """The sweep ran every minute while this due date stood: record its warnings (sweep.py)."""
        due = self.due
        if due is None or self.due_kind == "consumer_decision":
            return
        g, rng = self.g, self.rng
        data = g.due_data[self.due_kind]
        t = max(self.seg_start, g.cal.soon_from(due, g.days["DUE_SOON_WORKING_DAYS"])) + between(rng, 1, 60)
        if t <= due and t < end and t <= g.now and self.soon_noted != due:
            status, owner = self.state_at(t)
            self.events.append(
                (t, "due_soon", None, "system", status, status, owner, owner, "", due, False, data)
            )
            self.soon_noted = due
        if not self.seg_business:
            t = due + between(rng, 1, 60)
            if t < end and t <= g.now and self.over_noted != due:
                status, owner = self.state_at(t)
                self.events.append(
                    (t, "overdue", None, "system", status, status, owner, owner, "", due, False, data)
                )
                self.over_noted = due

    def message(self, t: int, kind: str, body: str, author: int | None) -> None:
        self.messages.append((t, kind, body, author))

    # --- the story

    def run(self, business_stage: bool) -> None:
        try:
            if business_stage:
                done = self.business_stage()
                if done:
                    return
            self.agency()
        except Stop:
            pass
        finally:
            self.close_segment(self.g.now + 1)

    def business_stage(self) -> bool:
        """Law 19/2023 Art.57(2): the business answers first. True when the case ended there."""
        g, rng = self.g, self.rng
        t0 = self.t
        pk, name = self.business[0], self.business[1]
        priority = self.g.priority
        due = g.cal.deadline(
            t0, g.days["BUSINESS_PRIORITY_WORKING_DAYS" if priority else "BUSINESS_ANSWER_WORKING_DAYS"]
        )
        self.referral = [g.next_id(REFERRAL), "waiting", priority, t0, due, None, None, None]
        reason = f"Doanh nghiệp {name} trả lời trước (Luật Bảo vệ quyền lợi người tiêu dùng 2023, Điều 57)."
        data = json.dumps({"business": pk, "priority": priority})
        self.write(
            t0,
            "sent_to_business",
            to="at_business",
            label="system",
            reason=reason,
            data=data,
            due=due,
            due_kind="business",
        )
        path = g.business_path()
        answered_at = t0 + int(rng.uniform(0.3, 9) * DAY)
        if path in {"answer", "refuse"} and answered_at > due:
            path = "silent"
        if path == "withdraw":
            t = self.later(0.2, 5, office=False)
            if t < due:
                self.withdraw(t)
                return True
            path = "silent"
        if path == "take_over":
            t = self.later(0.1, 2)
            if t < due:
                self.write(
                    t,
                    "agency_took_over",
                    to="received",
                    actor=self.worker(),
                    reason=TAKE_OVER,
                    due=g.cal.deadline(t, g.days["ACCEPT_WORKING_DAYS"]),
                    due_kind="accept",
                )
                self.end_referral("taken_over", t)
                return False
            path = "silent"
        if path == "silent":
            t = due + between(rng, 1, 60)
            reason = "Doanh nghiệp không trả lời trong thời hạn (Luật Bảo vệ quyền lợi người tiêu dùng 2023, "
            reason += "Điều 57)."
            self.write(
                t,
                "business_silent",
                to="received",
                label="system",
                reason=reason,
                due=g.cal.deadline(t, g.days["ACCEPT_WORKING_DAYS"]),
                due_kind="accept",
            )
            self.end_referral("silent", t)
            return False
        kind = "refused" if path == "refuse" else g.answer_kind()
        amount = (g.amount or 500_000) if kind == "monetary" else None
        body = ANSWER_BODIES[kind].replace("{tien}", f"{amount or 0:,}".replace(",", "."))
        answer = g.next_id(ANSWER)
        via = "api" if rng.random() < 0.2 else "portal"
        data = json.dumps({"answer": answer, "kind": kind, "amount_vnd": amount, "via": via})
        if kind == "refused":
            self.write(
                answered_at,
                "business_refused",
                to="received",
                label="business",
                reason=body,
                data=data,
                due=g.cal.deadline(answered_at, g.days["ACCEPT_WORKING_DAYS"]),
                due_kind="accept",
            )
            self.answers.append((answer, kind, body, amount, via, answered_at))
            self.referral[5] = answered_at
            self.end_referral("refused", answered_at)
            return False
        decide_by = g.cal.end_of_day(
            g.cal.end_of_period(local_day(answered_at), g.days["ANSWER_DECISION_DAYS"])
        )
        self.write(
            answered_at,
            "business_answered",
            to="business_answered",
            label="business",
            reason=body,
            data=data,
            due=decide_by,
            due_kind="consumer_decision",
        )
        self.answers.append((answer, kind, body, amount, via, answered_at))
        self.referral[1] = "answered"
        self.referral[5] = answered_at
        decision = g.consumer_decision()
        t = self.later(0.1, 10, office=False)
        if decision != "lapse" and t > decide_by:
            decision = "lapse"
        if decision == "dispute":
            self.write(
                t,
                "answer_disputed",
                to="received",
                label="consumer",
                reason=one(rng, g.disputes),
                due=g.cal.deadline(t, g.days["ACCEPT_WORKING_DAYS"]),
                due_kind="accept",
            )
            self.end_referral("disputed", t)
            return False
        lapsed = decision == "lapse"
        if lapsed:
            t = decide_by + between(rng, 1, 60)
        self.write(
            t,
            "answer_lapsed" if lapsed else "answer_accepted",
            to="closed",
            label="system" if lapsed else "consumer",
            data=json.dumps({"answer": answer, "amount_vnd": amount}),
            due=None,
        )
        self.outcome, self.outcome_summary = OUTCOME_OF[kind], body
        self.resolved_at = self.closed_at = t
        self.end_referral("lapsed" if lapsed else "accepted", t, relief=amount)
        return True

    def end_referral(self, status: str, t: int, relief: int | None = None) -> None:
        if self.referral is not None and self.referral[1] in {"waiting", "in_progress", "answered"}:
            self.referral[1], self.referral[6], self.referral[7] = status, t, relief

    def agency(self) -> None:
        g, rng = self.g, self.rng
        if self.duplicate_of is not None:
            _original_id, original_code = self.duplicate_of
            explanation = (
                f"Nội dung trùng với hồ sơ {original_code} đang được xử lý; mời ông/bà theo dõi hồ sơ đó."
            )
            self.reject(self.later(0.2, 2.5), "duplicate", explanation)
            return
        roll = rng.random()
        if roll < P_REJECT_EARLY:
            self.reject(self.later(0.2, 3), "out_of_scope", one(rng, g.out_of_scope))
            return
        if roll < P_REJECT_EARLY + P_WITHDRAW_EARLY:
            self.withdraw(self.later(0.1, 5, office=False))
            return
        if self.lead != self.owner and rng.random() < P_TRIAGE:
            self.reassign(self.later(0.05, 1.0))
        if self.link_later:
            self.link(self.later(0.05, 2))
        if self.stuck == "received":
            return
        self.accept()
        if rng.random() < P_ASSIGN and self.owner in g.staff["heads"]:
            officer = one(rng, g.staff["officers"][self.owner])
            data = json.dumps({"officer": g.staff["names"][officer]})
            self.write(
                self.later(0.02, 0.5),
                "officer_assigned",
                actor=g.staff["heads"][self.owner],
                public=False,
                data=data,
            )
            self.assigned = officer
            self.officer = (self.owner, officer)
        if self.stuck == "accepted":
            return
        if rng.random() < P_START:
            self.write(self.later(0.1, 3), "started", to="in_progress", actor=self.worker())
        self.chatter(g.chatter())
        if rng.random() < P_INFO and not self.ask():
            return
        if rng.random() < P_EXTEND:
            t = self.later(0.5, 3)
            if t < self.resolve_due:
                due = g.cal.end_of_day(
                    g.cal.add_working_days(local_day(self.resolve_due), g.days["EXTENSION_WORKING_DAYS"])
                )
                self.write(
                    t,
                    "extended",
                    actor=self.worker(),
                    reason=one(rng, EXTENSIONS),
                    due=due,
                    due_kind="resolve",
                )
                self.resolve_due, self.extended = due, True
        if self.stuck == "working":
            return
        roll = rng.random()
        if roll < P_WITHDRAW_LATE:
            self.withdraw(self.later(0.5, 10, office=False))
            return
        if roll < P_WITHDRAW_LATE + P_REJECT_LATE:
            self.reject(self.later(0.5, 5), "out_of_scope", one(rng, g.out_of_scope))
            return
        self.resolve(self.t + self.delay(7, 0.7, 120))
        if rng.random() < P_DISPUTE:
            t = self.later(0.2, 12, office=False)
            if t < self.dispute_until:
                self.dispute(t)
                self.chatter(between(rng, 0, 1))
                self.resolve(self.t + self.delay(5, 0.7, 90))
        self.rate_and_close()

    def delay(self, median_days: float, sigma: float, cap_days: float) -> int:
        days = min(cap_days, self.rng.lognormvariate(math.log(median_days * self.speed), sigma))
        return int(days * DAY)

    def accept(self) -> None:
        g, rng = self.g, self.rng
        if rng.random() < 0.01:
            t = self.t + int(rng.uniform(8, 90) * DAY)  # forgotten in a drawer
        else:
            t = self.t + self.delay(0.6, 0.9, 30)
        t = g.cal.office(t, rng)
        due = g.cal.deadline(t, g.days["RESOLVE_WORKING_DAYS"])
        self.write(t, "accepted", to="accepted", actor=self.worker(), due=due, due_kind="resolve")
        self.accepted_at, self.resolve_due, self.paused, self.sector_set = t, due, None, True

    def reassign(self, t: int) -> None:
        g = self.g
        sector_name = g.ref.sectors[self.sector][0].lower()
        reason = (
            f"Nội dung thuộc lĩnh vực {sector_name}: chuyển {g.ref.agency_name[self.lead]} xử lý theo "
            "quy chế phối hợp của tỉnh."
        )
        self.write(
            t, "reassigned", actor=g.staff["coordinators"][self.province], reason=reason, owner=self.lead
        )

    def link(self, t: int) -> None:
        pk, name, tax_code = self.business[:3]
        data = json.dumps({"business": pk, "tax_code": tax_code, "name": name}, ensure_ascii=False)
        self.write(t, "business_linked", actor=self.worker(), public=False, data=data)
        self.business_id = pk

    def chatter(self, count: int) -> None:
        g, rng = self.g, self.rng
        for _ in range(count):
            t = self.later(0.3, 4)
            officer = self.worker()
            if rng.random() < 0.45:
                self.write(t, "note", actor=officer, public=False)
                self.message(t, "note", one(rng, g.notes), officer)
            else:
                body = one(rng, g.messages)
                self.write(t, "message", actor=officer, reason=body)
                self.message(t, "to_consumer", body, officer)

    def ask(self) -> bool:
        """A request for information; False when the case ended (rejected for no reply, withdrawn)."""
        g, rng = self.g, self.rng
        t = self.later(0.5, 5)
        paused = max(g.cal.between(local_day(t), local_day(self.resolve_due)), 1)
        due = g.cal.deadline(t, g.days["CONSUMER_REPLY_WORKING_DAYS"])
        body = one(rng, g.info_requests)
        officer = self.worker()
        self.write(
            t,
            "info_requested",
            to="awaiting_info",
            actor=officer,
            reason=body,
            due=due,
            due_kind="consumer_reply",
        )
        self.paused = paused
        self.message(t, "to_consumer", body, officer)
        path = g.info_path()
        if path == "reply":
            t = self.later(0.1, 4, office=False)
            resume = g.cal.deadline(t, paused)
            self.write(t, "info_provided", to="in_progress", label="consumer", due=resume, due_kind="resolve")
            self.message(t, "from_consumer", one(rng, g.replies), None)
            self.resolve_due, self.paused = resume, None
            return True
        if path == "no_reply":
            self.reject(g.cal.office(due + int(rng.uniform(0.05, 6) * DAY), rng), "no_reply", NO_REPLY)
        else:
            self.withdraw(self.later(0.2, 6, office=False))
        return False

    def resolve(self, t: int) -> None:
        g = self.g
        t = g.cal.office(t, self.rng)
        outcome = g.outcome()
        summary = one(self.rng, g.summaries[outcome])
        dispute_until = g.cal.end_of_day(g.cal.end_of_period(local_day(t), g.days["DISPUTE_WINDOW_DAYS"]))
        self.write(
            t,
            "resolved",
            to="resolved",
            actor=self.worker(),
            reason=summary,
            data=g.outcome_data[outcome],
            due=None,
        )
        self.outcome, self.outcome_summary, self.resolved_at = outcome, summary, t
        self.dispute_until, self.paused = dispute_until, None

    def dispute(self, t: int) -> None:
        g = self.g
        due = g.cal.deadline(t, g.days["RESOLVE_WORKING_DAYS"])
        self.write(
            t,
            "disputed",
            to="reopened",
            label="consumer",
            reason=one(self.rng, g.disputes),
            due=due,
            due_kind="resolve",
        )
        self.resolve_due, self.paused, self.extended = due, None, False
        self.outcome = self.outcome_summary = ""
        self.resolved_at = self.dispute_until = self.rating = None

    def rate_and_close(self) -> None:
        rng = self.rng
        closing = self.dispute_until + between(rng, 1, 60)  # the sweep closes it within a minute
        rate_at = self.later(0.1, 4, office=False) if rng.random() < P_RATE else None
        if rate_at is not None and rate_at < closing:
            self.rate(rate_at)
        self.write(closing, "closed", to="closed", label="system")
        self.closed_at = closing
        if rate_at is not None and rate_at >= closing:
            self.rate(rate_at)

    def rate(self, t: int) -> None:
        g = self.g
        rating = g.rating()
        comment = one(self.rng, g.rating_comments) if rating >= 3 else ""
        self.write(t, "rated", label="consumer", reason=comment, data=g.rating_data[rating])
        self.rating = rating

    def reject(self, t: int, code: str, explanation: str) -> None:
        self.write(
            t,
            "rejected",
            to="rejected",
            actor=self.worker(),
            reason=explanation,
            data=self.g.reject_data[code],
            due=None,
        )
        self.reject_reason, self.closed_at = code, t
        self.end_referral("taken_over", t)

    def withdraw(self, t: int) -> None:
        self.write(
            t,
            "withdrawn",
            to="withdrawn",
            label="consumer",
            reason=one(self.rng, self.g.withdrawals),
            due=None,
        )
        self.closed_at = t
        self.end_referral("withdrawn", t)


class Generator:
    """Complaints in order of arrival, with their events, messages and business stage, streamed to COPY."""

    def __init__(
        self, args, ref: Reference, staff: dict, registry: Registry, pool: dict, cal: Calendar, stamps: Stamps
    ) -> None:
        from django.conf import settings

        from bvntd.complaints import demo_texts
        from bvntd.complaints.services import search_text_for
        from bvntd.core.crypto import encrypt
        from bvntd.core.text import fold

        self.args = args
        self.ref = ref
        self.staff = staff
        self.registry = registry
        self.pool = pool
        self.cal = cal
        self.stamps = stamps
        self.now = args.now_ts
        self.rng = rng = random.Random(f"complaints-{args.seed}")
        self.search_text_for = search_text_for
        self.fold_cache: dict[str, str] = {}
        self.ids: Counter = Counter()
        self.days = settings.BVNTD  # the policy's periods (env BVNTD_*), as the services read them
        self.priority = False
        self.amount = None
        provinces = sorted(ref.provinces)
        self.province_of = weighted_picker(
            [(code, POPULATION[code] * CITY_FACTOR.get(code, 1)) for code in provinces], rng
        )
        self.speed = {code: rng.lognormvariate(0, 0.3) for code in provinces}
        self.sector_of = weighted_picker(tuple(SECTOR_WEIGHTS.items()), rng)
        self.channel_of = weighted_picker(CHANNELS, rng)
        self.hour_of = weighted_picker(list(enumerate(HOUR_WEIGHTS)), rng)
        self.outcome = weighted_picker(OUTCOMES, rng)
        self.rating = weighted_picker(RATINGS, rng)
        self.chatter = weighted_picker(CHATTER, rng)
        self.info_path = weighted_picker(INFO_PATHS, rng)
        self.business_path = weighted_picker(BUSINESS_PATHS, rng)
        self.answer_kind = weighted_picker(ANSWER_KINDS, rng)
        self.consumer_decision = weighted_picker(CONSUMER_DECISIONS, rng)
        self.contacted = weighted_picker(((True, 60), (False, 20), (None, 20)), rng)
        self.templates: dict[str, list] = {}
        for index, template in enumerate(demo_texts.TEMPLATES):
            variants = []
            for text, wish in (
                (template.text, template.wish),
                (strip_marks(template.text), strip_marks(template.wish)),
            ):
                variants.append((text, esc(wish), fold(text)))
            self.templates.setdefault(template.sector, []).append((index, template, variants))
        # Raw text: emit() escapes what goes into COPY.
        self.summaries = {outcome: list(texts) for outcome, texts in demo_texts.SUMMARIES.items()}
        self.notes = list(demo_texts.NOTES + demo_texts.COORDINATOR_NOTES)
        self.messages = list(demo_texts.MESSAGES)
        self.info_requests = list(demo_texts.INFO_REQUESTS)
        self.replies = list(demo_texts.REPLIES)
        self.disputes = list(demo_texts.DISPUTES)
        self.withdrawals = list(demo_texts.WITHDRAWALS)
        self.rating_comments = list(demo_texts.RATING_COMMENTS)
        self.out_of_scope = list(demo_texts.OUT_OF_SCOPE)
        self.duplicate_note = demo_texts.DUPLICATE_NOTE
        self.outcome_data = {o: json.dumps({"outcome": o}) for o, _ in OUTCOMES}
        self.rating_data = {r: json.dumps({"rating": r}) for r, _ in RATINGS}
        self.reject_data = {
            c: json.dumps({"reason_code": c}) for c in ("out_of_scope", "duplicate", "no_reply")
        }
        self.due_data = {
            k: json.dumps({"due_kind": k}) for k in ("accept", "resolve", "consumer_reply", "business")
        }
        self.created_data = {
            ch: json.dumps({"channel": ch, "routed": False, "sector": None}) for ch, _ in CHANNELS
        }
        self.vulnerable = {group: encrypt(group) for group in VULNERABLE_GROUPS}
        self.recent: dict[str, deque] = {code: deque(maxlen=200) for code in provinces}
        self.pending_events: dict[int, list] = {}
        self.pending_messages: dict[int, list] = {}
        self.checked = 0
        self.statuses: Counter = Counter()

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def folded(self, text: str) -> str:
        """core.text.fold(text): folding is word by word, so from the registry's cache of folded words."""
        value = self.fold_cache.get(text)
        if value is None:
            value = self.registry.fold_part(text)
            if len(self.fold_cache) < 1 << 18:
                self.fold_cache[text] = value
        return value

    def tracking_code(self, pk: int, abbr: str) -> str:
        """40 bits from a bijection of the id (so distinct without a set), in Crockford's base32."""
        x = (pk * 0x9E3779B97 + self.args.seed * 0x5DEECE66D) & 0xFFFFFFFFFF
        x ^= x >> 19
        x = (x * 0xD6E8FEB86659FD93) & 0xFFFFFFFFFF
        x ^= x >> 21
        alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
        body = "".join(alphabet[(x >> shift) & 31] for shift in range(35, -1, -5))
        return f"{abbr}-{body[:4]}-{body[4:]}"

    # --- arrivals

    def arrivals(self):
        """(received_at, channel) in time order: N spread over the days by trend, weekday and holidays."""
        import numpy as np

        first, last = day_number(FIRST_DAY), day_number(LAST_DAY)
        weights = []
        for day in range(first, last + 1):
            weekday = (EPOCH + dt.timedelta(days=day)).weekday()
            factor = WEEKDAY_FACTOR[weekday]
            if weekday < 5 and not self.cal.is_working(day):
                factor *= HOLIDAY_FACTOR
            weights.append(math.exp(GROWTH_PER_YEAR * (day - first) / 365.25) * factor)
        counts = np.random.default_rng(self.args.seed).multinomial(
            self.args.complaints, np.array(weights) / sum(weights)
        )
        rng = self.rng
        for offset, count in enumerate(counts.tolist()):
            day = first + offset
            midnight = day * DAY - VN
            working = self.cal.is_working(day)
            moments = []
            for _ in range(count):
                channel = self.channel_of()
                if channel == "hotline" and working:
                    t = midnight + 27_000 + below(rng, 32_400)  # the hotline answers 7:30-16:30
                else:
                    channel = "web" if channel == "hotline" else channel
                    t = midnight + self.hour_of() * 3600 + below(rng, 3600)
                moments.append((t, channel))
            moments.sort()
            yield from moments

    # --- one complaint

    def complaint(self, pk: int, t0: int, channel: str) -> tuple[str, Case]:
        rng = self.rng
        stamps = self.stamps
        province = self.province_of()
        sector = self.sector_of()
        duplicate = None
        recent = self.recent[province]
        if recent and rng.random() < P_DUPLICATE:
            duplicate = one(rng, recent)
        if duplicate is not None:
            (
                _id,
                _code,
                person,
                sector,
                business,
                bname,
                btax,
                baddress,
                description,
                folded,
                wish,
                amount,
                purchased,
                contacted,
            ) = duplicate
            description = f"{self.duplicate_note}\n{description}"
            folded = f"{self.folded(self.duplicate_note)} {folded}"
        else:
            person = one(rng, self.pool[province])
            _index, template, variants = one(rng, self.templates[sector])
            plain = rng.random() < 0.25  # typed without diacritics
            text, wish, folded_text = variants[1 if plain else 0]
            business = self.registry.pick(sector, rng) if rng.random() < P_LINKED else None
            btax = ""
            contacted = self.contacted()
            if business is not None:
                _pk, legal, tax_code, _province, industry, distinct, alias = business
                roll = rng.random()
                if roll < 0.2:
                    bname = legal
                elif roll < 0.55 or (roll < 0.75 and not alias):
                    bname = f"{industry} {distinct}" if industry else distinct
                elif roll < 0.75:
                    bname = alias
                elif roll < 0.9:
                    bname = distinct
                else:
                    bname = f"cty {self.registry.fold_part(distinct)}"
                if rng.random() < P_TAX_AT_INTAKE and tax_code:
                    btax = tax_code
            elif rng.random() < 0.35:
                bname = one(rng, template.businesses)
            else:
                bname = f"{one(rng, SHOP_KINDS)} {one(rng, SYLLABLES)} {one(rng, SYLLABLES)}"
            if plain:
                bname = strip_marks(bname)
            today = local_day(t0)
            purchased = today - between(rng, 1, 45) if template.purchased else None
            amount = None
            if template.amount is not None:
                low, high = template.amount
                step = 1_000 if high < 10_000_000 else 100_000
                amount = between(rng, low // step, high // step) * step
            bought = EPOCH + dt.timedelta(days=purchased if purchased is not None else today)
            ngay = f"{bought.day:02d}/{bought.month:02d}/{bought.year}"
            month = str((bought if purchased is not None else bought - dt.timedelta(days=20)).month)
            tien = f"{amount or 0:,}".replace(",", ".")
            description = text.replace("{dn}", bname).replace("{ngay}", ngay).replace("{tien}", tien)
            description = description.replace("{thang}", month)
            folded = folded_text.replace("{dn}", self.folded(bname)).replace("{ngay}", ngay)
            folded = folded.replace("{tien}", tien).replace("{thang}", month)
            if rng.random() < 0.25:
                greeting = one(rng, GREETINGS)
                description = f"{greeting} {description}"
                folded = f"{self.folded(greeting)} {folded}"
            if rng.random() < 0.2:
                closing = one(rng, CLOSINGS)
                description = f"{description} {closing}"
                folded = f"{folded} {self.folded(closing)}"
            baddress = ""
            if rng.random() < 0.4:
                baddress = f"Số {between(rng, 1, 300)} đường {one(rng, STREET_NAMES)}, "
                baddress += self.ref.provinces[province][1]
        search_text = f"{self.folded(bname)} {folded}"
        if pk % 97 == 1:
            self.checked += 1
            if search_text != self.search_text_for(description, bname):
                raise AssertionError(f"search_text differs for {description!r}")
        code = self.tracking_code(pk, self.ref.provinces[province][0])
        if duplicate is None:
            self.recent[province].append(
                (
                    pk,
                    code,
                    person,
                    sector,
                    business,
                    bname,
                    btax,
                    baddress,
                    description,
                    folded,
                    wish,
                    amount,
                    purchased,
                    contacted,
                )
            )
        # The case.
        case = Case(self, pk, t0, province, sector)
        case.business = business
        if business is not None:
            if btax:
                case.business_id = business[0]
            else:
                case.link_later = True
        vulnerable_group = vulnerable_status = ""
        self.priority = False
        if rng.random() < P_VULNERABLE:
            group = one(rng, VULNERABLE_GROUPS)
            vulnerable_group = self.vulnerable[group]
            vulnerable_status = "evidenced" if rng.random() < 0.3 else "declared"
            self.priority = vulnerable_status == "evidenced"
        # A consumer who had not asked a registered business (with a portal): it answers first.
        stage = bool(btax) and duplicate is None and rng.random() < P_BUSINESS_STAGE
        if stage:
            contacted = False
        if duplicate is not None:
            case.duplicate_of = (duplicate[0], duplicate[1])
        elif rng.random() < P_STUCK:
            case.stuck = one(rng, STUCK_AT)
        self.amount = amount
        actor = created_by = None
        label = "consumer"
        if channel == "hotline":
            actor = created_by = one(rng, self.staff["hotline"])
            label = ""
        due = self.cal.deadline(t0, self.days["ACCEPT_WORKING_DAYS"])
        case.due, case.due_kind = due, "accept"
        case.hist.append((t0, "received", case.owner))
        case.events.append(
            (
                t0,
                "created",
                actor,
                label,
                "",
                "received",
                None,
                case.owner,
                "",
                due,
                True,
                self.created_data[channel],
            )
        )
        case.run(stage)
        self.statuses[case.status] += 1
        # The row.
        name_ct, phone_ct, email_ct, address_ct, phone_index, email_index, home = person
        commune = NULL
        if rng.random() < 0.85 and self.ref.commune_valid(home, province, local_day(t0)):
            commune = home  # before 1/7/2025 no commune of today's map existed: none is recorded
        ts = stamps.ts
        officer = case.assigned
        sector_id = sector if case.sector_set else NULL
        row = "\t".join(
            (
                str(pk),
                code,
                channel,
                case.status,
                name_ct,
                phone_ct,
                email_ct,
                address_ct,
                phone_index,
                email_index,
                esc(bname),
                btax,
                esc(baddress),
                esc(description),
                str(amount) if amount is not None else NULL,
                stamps.day(purchased) if purchased is not None else NULL,
                wish,
                NULL if contacted is None else "t" if contacted else "f",
                ts(t0),
                esc(search_text),
                case.outcome,
                esc(case.outcome_summary),
                case.reject_reason,
                NULL if case.rating is None else str(case.rating),
                case.due_kind,
                ts(case.due),
                self.cal.version,
                ts(case.resolve_due),
                NULL if case.paused is None else str(case.paused),
                "t" if case.extended else "f",
                ts(case.soon_noted),
                ts(case.over_noted),
                ts(t0),
                ts(case.accepted_at),
                ts(case.resolved_at),
                ts(case.dispute_until),
                ts(case.closed_at),
                ts(case.updated),
                str(case.version),
                NULL if officer is None else str(officer),
                commune,
                NULL if created_by is None else str(created_by),
                NULL if case.duplicate_of is None else str(case.duplicate_of[0]),
                str(case.owner),
                province,
                sector_id,
                province if business is not None and business[3] == province and rng.random() < 0.3 else NULL,
                NULL if case.business_id is None else str(case.business_id),
                "t" if rng.random() < 0.6 else "f",
                vulnerable_group,
                vulnerable_status,
            )
        )
        return row, case

    # --- the stream

    def emit(self, case: Case, referrals: list[str], answers: list[str]) -> None:
        ts = self.stamps.ts
        pk = case.id
        for (
            t,
            kind,
            actor,
            label,
            from_status,
            to_status,
            from_agency,
            to_agency,
            reason,
            due,
            public,
            data,
        ) in case.events:
            line = (
                f"{kind}\t{ts(t)}\t{label}\t{from_status}\t{to_status}\t{esc(reason)}\t{ts(due)}\t"
                f"{'t' if public else 'f'}\t{esc(data)}\t{NULL if actor is None else actor}\t{pk}\t"
                f"{NULL if from_agency is None else from_agency}\t{to_agency}"
            )
            self.pending_events.setdefault(t // DAY, []).append((t, line))
        for t, kind, body, author in case.messages:
            line = f"{kind}\t{esc(body)}\t{ts(t)}\t{NULL if author is None else author}\t{pk}"
            self.pending_messages.setdefault(t // DAY, []).append((t, line))
        referral = case.referral
        if referral is not None:
            rid, status, priority, sent, answer_due, first_answer, ended, relief = referral
            referrals.append(
                f"{rid}\t{status}\t{'t' if priority else 'f'}\t{ts(sent)}\t{ts(answer_due)}\t"
                f"{ts(first_answer)}\t{ts(ended)}\t{NULL if relief is None else relief}\t\t"
                f"{case.business[0]}\t{pk}"
            )
            for aid, kind, body, amount, via, t in case.answers:
                answers.append(
                    f"{aid}\t{kind}\t{esc(body)}\t{NULL if amount is None else amount}\t{NULL}\t{via}\t"
                    f"{ts(t)}\t{NULL}\t{rid}"
                )

    def flush_pending(self, before_day: int | None) -> tuple[list[str], list[str]]:
        """Events and messages of the days before `before_day` (all when None), sorted, with their ids."""
        out = []
        for pending, table in ((self.pending_events, EVENT), (self.pending_messages, MESSAGE)):
            days = sorted(d for d in pending if before_day is None or d < before_day)
            lines = []
            for d in days:
                rows = pending.pop(d)
                rows.sort(key=lambda row: row[0])
                start = self.ids[table]
                lines.extend(f"{start + i}\t{line}" for i, (_, line) in enumerate(rows, start=1))
                self.ids[table] += len(rows)
            out.append(lines)
        return out[0], out[1]

    def generate(self, writer: Writer) -> Counter:
        counts: Counter = Counter()
        complaints, referrals, answers = [], [], []
        total = self.args.complaints
        started = time.perf_counter()
        pk = 0
        for pk, (t0, channel) in enumerate(self.arrivals(), start=1):
            row, case = self.complaint(pk, t0, channel)
            complaints.append(row)
            self.emit(case, referrals, answers)
            if len(complaints) >= CHUNK:
                events, messages = self.flush_pending(t0 // DAY)
                self.send(writer, counts, complaints, events, messages, referrals, answers)
                complaints, referrals, answers = [], [], []
                rate = pk / (time.perf_counter() - started)
                log(
                    f"complaints {pk:,}/{total:,} ({pk / total:.0%}) {rate:,.0f}/s, "
                    f"events {counts[EVENT]:,}, messages {counts[MESSAGE]:,}; "
                    f"eta {(total - pk) / rate:,.0f}s; "
                    f"waited for PostgreSQL {writer.waited:.1f}s"
                )
        events, messages = self.flush_pending(None)
        self.send(writer, counts, complaints, events, messages, referrals, answers)
        return counts

    @staticmethod
    def send(writer, counts, complaints, events, messages, referrals, answers) -> None:
        batch = [
            (COMPLAINT, COMPLAINT_COLUMNS, complaints),
            (REFERRAL, REFERRAL_COLUMNS, referrals),
            (ANSWER, ANSWER_COLUMNS, answers),
            (EVENT, EVENT_COLUMNS, events),
            (MESSAGE, MESSAGE_COLUMNS, messages),
        ]
        for table, _, lines in batch:
            counts[table] += len(lines)
        writer.put(batch)


# --- after the load ----------------------------------------------------------------------------------------


def move_sequences(conn) -> None:
    with conn.cursor() as cur:
        for table in ID_TABLES:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), m) "
                f"FROM (SELECT max(id) AS m FROM {table}) t WHERE m IS NOT NULL"
            )
    conn.commit()


def check_foreign_keys(conn) -> dict[str, int]:
    """Every foreign key of the tables written, checked with one anti-join (what the skipped RI triggers
    would have checked row by row). Raises if any row points nowhere."""
    sql = """
        SELECT c.conname, c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, fa.attname
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND c.conrelid::regclass::text = ANY(%s)
        ORDER BY 2, 1
    """
    checked = {}
    with conn.cursor() as cur:
        cur.execute(sql, [list(ID_TABLES)])
        for name, table, column, parent, parent_column in cur.fetchall():
            cur.execute(
                f"SELECT count(*) FROM {table} c WHERE c.{column} IS NOT NULL AND NOT EXISTS "
                f"(SELECT 1 FROM {parent} p WHERE p.{parent_column} = c.{column})"
            )
            missing = cur.fetchone()[0]
            if missing:
                raise AssertionError(f"{name}: {missing} rows of {table}.{column} point nowhere")
            checked[name] = missing
    conn.commit()
    return checked


def vacuum_analyze(dsn: str) -> dict[str, float]:
    import psycopg

    seconds = {}
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        for table in (*BIG_TABLES, USER, MEMBERSHIP):
            started = time.perf_counter()
            conn.execute(f"VACUUM (ANALYZE) {table}")
            seconds[table] = round(time.perf_counter() - started, 2)
            log(f"VACUUM ANALYZE {table}: {seconds[table]}s")
    return seconds


def sizes(conn, name: str) -> dict:
    with conn.cursor() as cur:
        cur.execute("SELECT pg_database_size(%s), pg_size_pretty(pg_database_size(%s))", [name, name])
        database_bytes, pretty = cur.fetchone()
        tables = {}
        for table in BIG_TABLES:
            cur.execute(
                "SELECT pg_table_size(%s), pg_indexes_size(%s), pg_total_relation_size(%s), "
                "(SELECT count(*) FROM pg_indexes WHERE tablename = %s)",
                [table, table, table, table],
            )
            table_bytes, index_bytes, total, index_count = cur.fetchone()
            tables[table] = {
                "table_mb": round(table_bytes / 2**20, 1),
                "indexes_mb": round(index_bytes / 2**20, 1),
                "total_mb": round(total / 2**20, 1),
                "indexes": index_count,
            }
    return {"database_bytes": database_bytes, "database_size": pretty, "tables": tables}


def verify(now: dt.datetime, staff: dict) -> dict:
    """The app reads what was written: the officer's inbox query, decryption, the consumer's look-up by
    tracking code and phone or e-mail, search_text, name_key and tax codes, on samples. Problems are listed
    in the report (and make the exit status 1) rather than raised, so a long run still reports its figures."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from stdnum.vn import mst

    from bvntd.businesses.models import Business
    from bvntd.businesses.names import name_key
    from bvntd.complaints.models import Complaint
    from bvntd.complaints.queries import InboxFilters, find_for_consumer, inbox
    from bvntd.complaints.services import search_text_for
    from bvntd.complaints.states import OPEN

    result: dict = {"problems": []}
    problems = result["problems"]
    started = time.perf_counter()
    page = list(
        Complaint.objects.filter(owner_agency__code="86-sct", status="received").order_by("due_at")[:25]
    )
    result["inbox_86_sct_received_rows"] = len(page)
    result["inbox_86_sct_received_ms"] = round((time.perf_counter() - started) * 1000, 1)
    with connection.cursor() as cur:
        cur.execute("SELECT max(id) FROM complaints_complaint")
        top = cur.fetchone()[0]
    rng = random.Random(5)
    sample = list(Complaint.objects.filter(pk__in=[between(rng, 1, top) for _ in range(200)]))
    names = [c.consumer_name for c in sample]  # decrypted by EncryptedTextField
    if not all(names):
        problems.append("a consumer name decrypted to nothing")
    result["decrypted_names_sample"] = [n.split(" ")[0] + " …" for n in names[:3]]
    mismatched = sum(c.search_text != search_text_for(c.description, c.business_name) for c in sample)
    if mismatched:
        problems.append(f"{mismatched} search_text values differ from search_text_for")
    found = 0
    lookups = [(c, "0" + c.phone[3:]) for c in sample if c.phone][:20]  # +8491… → 091…, as people type it
    lookups += [(c, c.email.upper()) for c in sample if c.email][:5]
    for complaint, contact in lookups:
        hit = find_for_consumer(complaint.tracking_code.lower(), contact)
        if hit is not None and hit.pk == complaint.pk:
            found += 1
        else:
            problems.append(f"find_for_consumer missed {complaint.tracking_code}")
    result["find_for_consumer_found"] = f"{found}/{len(lookups)}"
    with connection.cursor() as cur:
        cur.execute("SELECT max(id) FROM businesses_business")
        top = cur.fetchone()[0]
    businesses = list(Business.objects.filter(pk__in=[between(rng, 1, top) for _ in range(200)]))
    if not all(b.name_key == name_key(b.name) for b in businesses):
        problems.append("a business name_key differs from names.name_key")
    if not all(mst.is_valid(b.tax_code) for b in businesses if b.tax_code):
        problems.append("an invalid tax code")
    result["businesses_checked"] = len(businesses)
    user = get_user_model().objects.get(pk=staff["officers"][staff["agency_ids"]["86-sct"]][0])
    started = time.perf_counter()
    first_page = list(inbox(user, InboxFilters(q="dien thoai"), now=now)[:25])
    result["inbox_officer_86_sct_search_dien_thoai"] = {
        "rows": len(first_page),
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
    result["open_overdue"] = Complaint.objects.filter(status__in=OPEN, due_at__lt=now).count()
    return result


def machine(conn) -> dict:
    with conn.cursor() as cur:
        cur.execute("SHOW server_version")
        version = cur.fetchone()[0]
        settings = {}
        for name in ("shared_buffers", "max_wal_size", "autovacuum", "synchronous_commit"):
            cur.execute(f"SHOW {name}")
            settings[name] = cur.fetchone()[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(memory / 2**30, 1),
        "postgresql": version,
        "postgresql_settings": settings,
        "python": platform.python_version(),
        "date_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        # Another process on the two cores slows everything down: the 1-minute load average at the start,
        # its highest value at a progress line, and at the end.
        "load_average_1m": {"start": LOAD[0], "max": max(LOAD), "end": os.getloadavg()[0]},
        "disk_free_gb": round(shutil.disk_usage("/var/lib/postgresql").free / 2**30, 1),
    }


# --- main -------------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--businesses", type=int, default=1_000_000)
    parser.add_argument("--database", default="bvntd_scale")
    parser.add_argument("--recreate", action="store_true", help="drop the database first if it exists")
    parser.add_argument("--keep", action="store_true", help="keep the database after the report")
    parser.add_argument("--now", default=DEFAULT_NOW, help="the reference time the cases are simulated up to")
    parser.add_argument(
        "--pii-pool",
        type=int,
        default=0,
        help="consumers encrypted once and reused (default: N/10, 20k-200k)",
    )
    parser.add_argument(
        "--fk-checks",
        choices=("on", "off"),
        default="off",
        help="off: skip per-row RI triggers during COPY, then check every key with an anti-join",
    )
    parser.add_argument(
        "--indexes",
        choices=("after", "keep"),
        default="after",
        help="after: drop the secondary indexes for the load and rebuild them from their saved definitions",
    )
    args = parser.parse_args()
    if not args.database.replace("_", "").isalnum() or args.database in {
        "postgres",
        "template0",
        "template1",
    }:
        parser.error("--database: letters, digits and underscores, not a system database")
    if args.complaints < 1 or args.businesses < 1:
        parser.error("--complaints and --businesses must be positive")
    now = dt.datetime.fromisoformat(args.now)
    args.now_ts = int(now.timestamp())
    args.now_dt = now
    args.pii_pool = args.pii_pool or min(200_000, max(20_000, args.complaints // 10))
    return args


def keys_from_env() -> tuple[str, str]:
    keys, blind = os.environ.get("FIELD_ENCRYPTION_KEYS"), os.environ.get("BLIND_INDEX_KEY")
    if keys and blind:
        return keys, blind
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode(), secrets.token_urlsafe(32)


def main() -> None:
    args = parse_args()
    seconds: dict[str, float] = {}
    url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    dsn = f"{SERVER}/{args.database}"
    keys, blind = keys_from_env()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": url,
            "DEBUG": "1",
            "FIELD_ENCRYPTION_KEYS": keys,
            "BLIND_INDEX_KEY": blind,
        }
    )
    if not args.keep:
        log(f"database {args.database} will be dropped after the report (pass --keep to keep it)")

    phase = time.perf_counter()
    prepare_database(args.database, args.recreate)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    env_file = OUT_DIR / f"{args.database}.env"
    env_file.write_text(
        f"# BVNTD bench database, bench/generate.py --complaints {args.complaints} --seed {args.seed} "
        f"--businesses {args.businesses}, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC\n"
        f"# use: set -a; . {env_file.relative_to(ROOT)}; set +a\n"
        f"DATABASE_URL={url}\nDEBUG=1\nFIELD_ENCRYPTION_KEYS={keys}\nBLIND_INDEX_KEY={blind}\n"
    )
    env_file.chmod(0o600)
    log(f"keys: {env_file.relative_to(ROOT)}")
    seconds["create_database"] = time.perf_counter() - phase

    phase = time.perf_counter()
    manage("migrate", "--no-input", "-v0")
    seconds["migrate"] = time.perf_counter() - phase
    phase = time.perf_counter()
    manage("load_reference")
    seconds["load_reference"] = time.perf_counter() - phase

    import django

    django.setup()
    from bvntd.core.workdays import get_calendar

    phase = time.perf_counter()
    stamps = Stamps()
    cal = Calendar(get_calendar(range(2023, 2029)), dt.date(2023, 11, 1), dt.date(2028, 12, 31))
    cal.check(random.Random(args.seed))
    writer_conn = server_connect(args.database, autocommit=False)
    with writer_conn.cursor() as cur:
        ref = Reference(cur)
    staff = create_staff(writer_conn, ref, stamps)
    staff["agency_ids"] = ref.agencies
    pool = consumer_pool(args.pii_pool, ref, random.Random(f"consumers-{args.seed}"))
    seconds["staff_calendar_pii_pool"] = time.perf_counter() - phase
    log(f"{staff['count']} staff, {sum(len(p) for p in pool.values()):,} consumers encrypted")

    indexes = None
    if args.indexes == "after":
        indexes = Indexes(writer_conn)
        indexes.drop(writer_conn)
    writer = Writer(dsn, fk_checks=args.fk_checks == "on")
    phase = time.perf_counter()
    registry = Registry(args.businesses, ref, stamps, args.seed)
    counts = registry.generate(writer, 50_000)
    writer.drain()
    seconds["businesses"] = time.perf_counter() - phase
    log(f"businesses generated in {seconds['businesses']:.1f}s")

    phase = time.perf_counter()
    generator = Generator(args, ref, staff, registry, pool, cal, stamps)
    counts.update(generator.generate(writer))
    writer.close()
    seconds["complaints"] = time.perf_counter() - phase
    log(f"complaints generated in {seconds['complaints']:.1f}s")

    phase = time.perf_counter()
    index_seconds = indexes.rebuild(dsn) if indexes is not None else {}
    seconds["build_indexes"] = time.perf_counter() - phase
    if indexes is not None:
        log(
            f"{len(index_seconds)} indexes rebuilt, identical to the migrations': "
            f"{seconds['build_indexes']:.1f}s"
        )

    phase = time.perf_counter()
    move_sequences(writer_conn)
    foreign_keys = check_foreign_keys(writer_conn) if args.fk_checks == "off" else {}
    seconds["sequences_and_foreign_keys"] = time.perf_counter() - phase
    log(f"{len(foreign_keys)} foreign keys checked in {seconds['sequences_and_foreign_keys']:.1f}s")

    phase = time.perf_counter()
    from bvntd.stats import rollup

    counts["stats_monthlycount"] = rollup.rebuild()
    writer_conn.execute("ANALYZE stats_monthlycount")
    writer_conn.commit()
    seconds["statistics_rollup"] = time.perf_counter() - phase
    log(f"statistics rollup: {counts['stats_monthlycount']} rows in {seconds['statistics_rollup']:.1f}s")

    phase = time.perf_counter()
    vacuum = vacuum_analyze(dsn)
    seconds["vacuum_analyze"] = time.perf_counter() - phase

    phase = time.perf_counter()
    checks = verify(args.now_dt, staff)
    seconds["verify"] = time.perf_counter() - phase

    loaded = sum(counts[t] for t in BIG_TABLES)
    load_seconds = seconds["businesses"] + seconds["complaints"]
    report = {
        "figure": "generate",
        "database": args.database,
        "complaints": args.complaints,
        "businesses": args.businesses,
        "seed": args.seed,
        "now": args.now,
        "options": {
            "indexes": args.indexes,
            "fk_checks": args.fk_checks,
            "pii_pool": args.pii_pool,
            "chunk": CHUNK,
        },
        "rows": {
            **{t: counts[t] for t in BIG_TABLES},
            USER: staff["count"],
            "stats_monthlycount": counts["stats_monthlycount"],
        },
        "events_per_complaint": round(counts[EVENT] / args.complaints, 2),
        "messages_per_complaint": round(counts[MESSAGE] / args.complaints, 2),
        "statuses": dict(generator.statuses.most_common()),
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        "seconds_total": round(time.perf_counter() - STARTED, 1),
        # Rows of the big tables per second of generating and copying them; then with the index builds and
        # the foreign-key checks counted too.
        "rows_per_second": round(loaded / load_seconds),
        "rows_per_second_with_indexes": round(
            loaded / (load_seconds + seconds["build_indexes"] + seconds["sequences_and_foreign_keys"])
        ),
        "complaints_per_second": round(args.complaints / seconds["complaints"]),
        "writer": {"copy_busy_s": round(writer.busy, 1), "generator_waited_s": round(writer.waited, 1)},
        "vacuum_analyze_s": vacuum,
        "slowest_index_builds_s": dict(sorted(index_seconds.items(), key=lambda kv: -kv[1])[:6]),
        "checked": {
            "search_text_rows": generator.checked,
            "name_key_rows": registry.checked,
            "foreign_keys": len(foreign_keys),
        },
        "verify": checks,
        **sizes(writer_conn, args.database),
        "machine": machine(writer_conn),
        "keys_file": str(env_file.relative_to(ROOT)),
    }
    writer_conn.close()
    line = json.dumps(report, ensure_ascii=False)
    (OUT_DIR / f"{args.database}.json").write_text(line + "\n")
    print(line, flush=True)
    if not args.keep:
        from django.db import connections

        connections.close_all()
        drop_database(args.database)
        env_file.unlink()
        log(f"dropped {args.database} (no --keep)")
    if checks["problems"]:
        sys.exit("the app could not read everything back: " + "; ".join(checks["problems"][:5]))


if __name__ == "__main__":
    main()

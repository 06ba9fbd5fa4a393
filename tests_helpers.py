"""Small builders shared by tests (kept outside conftest so tests can import them by name)."""


def hotline_form(**overrides) -> dict:
    data = {
        "consumer_name": "Lý Văn Tám",
        "phone": "0909123456",
        "province_code": "86",
        "business_name": "Nhà xe Phương Nam",
        "description": "Nhà xe thu thêm 200k phí hành lý không báo trước.",
        "consent": "true",
    }
    data.update(overrides)
    return data


def vn(year: int, month: int, day: int, hour: int = 9):
    """A moment in Vietnam's time, for tests that reason in local dates and working days."""
    import datetime as dt

    from bvntd.core.calendar import VN_TZ

    return dt.datetime(year, month, day, hour, tzinfo=VN_TZ)


def run_isolated(machine):
    """Run a hypothesis state machine with each example inside a transaction that is rolled back, so the
    examples do not see each other's rows (the test's own transaction stays as it was)."""
    from django.db import transaction

    class Isolated(machine):
        def __init__(self):
            super().__init__()
            self._atomic = transaction.atomic()
            self._atomic.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

    Isolated.TestCase().runTest()

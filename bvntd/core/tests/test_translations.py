"""The English catalogue: complete, compiled, in step with its source, and placeholder-safe.

The UI is written in Vietnamese; English comes from locale/en/LC_MESSAGES/django.po, and the compiled
django.mo is committed so that a fresh clone needs no gettext tools. These tests catch a .po edited
without recompiling, a string left untranslated or fuzzy, and a translation that drops or renames a
%(name)s placeholder (which would raise KeyError at run time, or silently lose a value).
"""

import ast
import gettext
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

PLACEHOLDER = re.compile(r"%\(([^)]+)\)[a-z]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # 0 for a singular entry
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(path: Path) -> list[Entry]:
    """A minimal .po reader: enough for the catalogues makemessages writes (no obsolete #~ entries kept)."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None

    def finish():
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            if target is not None:
                finish()
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            if target is not None and not line.startswith("#~"):
                finish()
        elif line.startswith('"'):
            assert target is not None, f"{path}:{number}: continuation line outside an entry"
            append(entry, target, ast.literal_eval(line))
        else:
            keyword, _, rest = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and target is not None and target[0] not in ("msgctxt",):
                finish()
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                target = ("msgstr", int(match.group(1)))
            elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
                target = (keyword, 0)
            else:
                raise AssertionError(f"{path}:{number}: unexpected line {raw!r}")
            if keyword == "msgid":
                entry.line = number
            start(entry, target)
            append(entry, target, ast.literal_eval(rest))
    finish()
    return entries


def start(entry: Entry, target: tuple[str, int]) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = ""
    else:
        setattr(entry, name, "")


def append(entry: Entry, target: tuple[str, int], text: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] += text
    else:
        setattr(entry, name, getattr(entry, name) + text)


@pytest.fixture(scope="module")
def catalogue() -> tuple[Entry, list[Entry]]:
    entries = parse_po(PO)
    header = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    assert len(header) == 1, "the .po must have exactly one header entry"
    return header[0], [e for e in entries if e is not header[0]]


@pytest.fixture(scope="module")
def compiled() -> gettext.GNUTranslations:
    assert MO.exists(), f"{MO} is missing: run `manage.py compilemessages -l en` and commit it"
    with MO.open("rb") as fh:
        return gettext.GNUTranslations(fh)


def test_the_header_declares_english_utf8_and_two_plural_forms(catalogue):
    header, _ = catalogue
    fields = dict(line.split(": ", 1) for line in header.msgstr[0].splitlines() if ": " in line)
    assert fields["Language"] == "en"
    assert fields["Plural-Forms"].replace(" ", "") == "nplurals=2;plural=(n!=1);"
    assert "charset=UTF-8" in fields["Content-Type"]
    assert "fuzzy" not in header.flags


def test_every_string_is_translated_and_none_is_fuzzy(catalogue):
    _, entries = catalogue
    assert len(entries) > 100, "the catalogue looks truncated"
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy entries (gettext ignores them): {fuzzy}"
    expected_forms = {0, 1}
    untranslated = []
    for e in entries:
        forms = expected_forms if e.msgid_plural is not None else {0}
        if set(e.msgstr) != forms or not all(e.msgstr[i].strip() for i in forms):
            untranslated.append(f"line {e.line}: {e.msgid!r}")
    assert not untranslated, "untranslated:\n" + "\n".join(untranslated)


def test_the_committed_mo_is_in_step_with_the_po(catalogue, compiled):
    _, entries = catalogue
    stale = []
    for e in entries:
        if e.msgid_plural is None:
            got = (
                compiled.pgettext(e.msgctxt, e.msgid) if e.msgctxt is not None else compiled.gettext(e.msgid)
            )
            want = e.msgstr.get(0, "")
            if got != want or not got:
                stale.append(f"{e.msgid!r}: .mo has {got!r}, .po has {want!r}")
        else:
            for n, index in ((1, 0), (2, 1)):
                if e.msgctxt is not None:
                    got = compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                else:
                    got = compiled.ngettext(e.msgid, e.msgid_plural, n)
                want = e.msgstr.get(index, "")
                if got != want or not got:
                    stale.append(f"{e.msgid!r}[{index}]: .mo has {got!r}, .po has {want!r}")
    assert not stale, "django.mo is stale; run `manage.py compilemessages -l en`:\n" + "\n".join(stale)
    # And nothing in the .mo that the .po no longer has (a string removed from the code, kept in the .mo).
    in_po = {e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}" for e in entries}
    in_mo = {key[0] if isinstance(key, tuple) else key for key in compiled._catalog} - {""}
    assert in_mo <= in_po, f"django.mo has strings the .po does not: {sorted(in_mo - in_po)}"


MSGFMT = shutil.which("msgfmt")


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext (msgfmt) is not installed")
def test_msgfmt_accepts_the_po_with_format_checks(tmp_path):
    result = subprocess.run(  # noqa: S603 - the gettext compiler on PATH, fixed arguments
        [MSGFMT, "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(PO)],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C", "LANGUAGE": ""},
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    # Compared by content, not bytes: another gettext version may lay the file out differently.
    with (tmp_path / "django.mo").open("rb") as fresh, MO.open("rb") as committed:
        fresh_catalog = gettext.GNUTranslations(fresh)._catalog
        committed_catalog = gettext.GNUTranslations(committed)._catalog
    fresh_catalog.pop("", None), committed_catalog.pop("", None)  # the header carries dates
    assert fresh_catalog == committed_catalog, (
        "django.mo differs from a fresh msgfmt build of django.po; run `manage.py compilemessages -l en`"
    )


def test_every_translation_keeps_the_placeholders_of_its_source(catalogue):
    _, entries = catalogue
    broken = []
    for e in entries:
        sources = {0: e.msgid} if e.msgid_plural is None else {0: e.msgid, 1: e.msgid_plural}
        for index, text in e.msgstr.items():
            source = sources.get(index, e.msgid_plural or e.msgid)
            want, got = set(PLACEHOLDER.findall(source)), set(PLACEHOLDER.findall(text))
            if want != got:
                broken.append(f"{e.msgid!r}[{index}]: expects {sorted(want)}, has {sorted(got)}")
        if PLACEHOLDER.search(e.msgid) and "python-format" not in e.flags:
            broken.append(f"{e.msgid!r}: has placeholders but no python-format flag")
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize(
    ("vietnamese", "english"),
    [
        (
            "Cần có sự đồng ý xử lý dữ liệu cá nhân để tiếp nhận khiếu nại.",
            "We need your consent to process personal data before we can accept the complaint.",
        ),
        ("Gửi khiếu nại", "Submit a complaint"),
        ("Mã hồ sơ", "Tracking code"),
    ],
)
def test_django_answers_in_english_when_english_is_active(vietnamese, english):
    with translation.override("en"):
        assert translation.gettext(vietnamese) == english
    with translation.override("vi"):
        assert translation.gettext(vietnamese) == vietnamese


def test_plural_and_placeholder_strings_render_in_english():
    with translation.override("en"):
        one = translation.ngettext("còn %(n)s ngày làm việc", "còn %(n)s ngày làm việc", 1) % {"n": 1}
        many = translation.ngettext("còn %(n)s ngày làm việc", "còn %(n)s ngày làm việc", 3) % {"n": 3}
        page = translation.gettext("Trang %(n)s/%(total)s") % {"n": 2, "total": 5}
    assert (one, many, page) == ("1 working day left", "3 working days left", "Page 2 of 5")

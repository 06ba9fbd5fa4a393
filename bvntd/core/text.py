"""Vietnamese text: cleaning what people type, folding it for search.

Pure: no Django. Complaints arrive from phones, copy-pasted from chat apps and web pages, with and without
diacritics, sometimes in decomposed form (NFD, as macOS and some Vietnamese keyboards produce). Everything we
store goes through `clean_text` or `clean_line`; everything we index or search for goes through `fold`.

HTML is kept as text: escaping is the template's job, and stripping tags would change what the consumer wrote.
"""

import re
import unicodedata

MAX_SEARCH_TERMS = 10
MAX_TERM_LENGTH = 50

_KEEP_CONTROLS = frozenset("\n\t")
# Cc: control characters (NUL, ESC, DEL, C1 controls...). Cf: invisible format characters (zero-width
# space/joiner/non-joiner, BOM, soft hyphen, bidi embeddings/overrides/isolates U+202A-202E, U+2066-2069,
# which can make a text read differently from what it contains). Cs: lone surrogates, which a JSON body can
# carry ("\ud800") and which no database can store as UTF-8.
_DROP_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
# Letters with a stroke have no decomposition, so NFD leaves them whole. Besides đ (U+0111), Vietnamese text
# typed on some keyboards or OCR'd carries the look-alike eth ð (U+00F0, lower case of Ð U+00D0) or the
# African d ɖ (U+0256, lower case of Ɖ U+0189) where đ was meant.
_FOLD_LETTERS = ("đ", "ð", "ɖ")
# Vietnamese marks after NFD: the combining diacritics block. Other marks (other scripts) take the slow path.
_COMBINING = re.compile("[\u0300-\u036f]+")
_TERM = re.compile(r"[^\W_]+")


class _ByCategory(dict):
    """A `str.translate` table that drops the characters whose Unicode category `drop` accepts and keeps the
    others, deciding each character once: after that the lookup is C-speed (intake folds ~30 texts a
    request). At most 20,000 characters are remembered, so odd input cannot grow it without bound."""

    def __init__(self, drop) -> None:
        super().__init__()
        self.drop = drop

    def __missing__(self, ordinal: int):
        value = None if self.drop(chr(ordinal)) else ordinal
        if len(self) < 20_000:
            self[ordinal] = value
        return value


_DROP_INVISIBLE = _ByCategory(
    lambda ch: ch not in _KEEP_CONTROLS and unicodedata.category(ch) in _DROP_CATEGORIES
)
_DROP_MARKS = _ByCategory(lambda ch: unicodedata.category(ch).startswith("M"))


def clean_text(value: str) -> str:
    """Normalise free text for storage: NFC, one kind of line break, no control or invisible characters,
    no surrounding whitespace. Idempotent."""
    # splitlines() knows every line boundary (\r\n, \r, \x0b, \x0c, \x1c-\x1e, \x85, U+2028, U+2029), so
    # each becomes one "\n" instead of being dropped as a control character and gluing two lines together.
    text = "\n".join(value.splitlines())
    # Fast path: a printable text (tabs and line breaks aside) has no Cc, Cf or Cs character to drop.
    if not text.replace("\n", "").replace("\t", "").isprintable():
        text = text.translate(_DROP_INVISIBLE)
    # NFC last: removing an invisible character between a letter and its combining mark lets them compose.
    return unicodedata.normalize("NFC", text).strip()


def clean_line(value: str) -> str:
    """`clean_text` for one-line fields (names, phone numbers, codes): every whitespace run, newlines
    included, becomes one space."""
    return " ".join(clean_text(value).split())


def fold(value: str) -> str:
    """Search key: lower case, no diacritics, đ → d, single spaces. "Điện thoại" → "dien thoai".

    Apply the same function to what is indexed and to what is searched for, so that a query typed without
    diacritics (common on phones) finds text written with them, and the other way round."""
    text = clean_text(value).lower()
    for letter in _FOLD_LETTERS:
        text = text.replace(letter, "d")
    decomposed = unicodedata.normalize("NFD", text)
    # Drop every mark (Mn, Mc, Me): Vietnamese tone and vowel marks are all non-spacing (Mn).
    bare = _COMBINING.sub("", decomposed)
    if not bare.isascii():  # ASCII has no marks; anything else is checked character by character
        bare = bare.translate(_DROP_MARKS)
    # Recompose what is left (Hangul jamo, for instance) so the key stays in the form we store.
    return " ".join(unicodedata.normalize("NFC", bare).split())


def search_terms(query: str) -> list[str]:
    """The folded words of a search query: letters and digits only (punctuation separates words, as in the
    FTS5 `unicode61` tokenizer), without repeats, at most 10 terms of at most 50 characters each."""
    terms: list[str] = []
    for match in _TERM.finditer(fold(query)):
        term = match.group()[:MAX_TERM_LENGTH]
        if term not in terms:
            terms.append(term)
        if len(terms) == MAX_SEARCH_TERMS:
            break
    return terms

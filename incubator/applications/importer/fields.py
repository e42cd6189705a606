"""The fields an import fills, the header names that point to them, and the columns chosen for them."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from incubator.applications.importer.values import words


@dataclass(frozen=True)
class Field:
    key: str
    kind: str
    required: bool = False
    # Header names that point to this field: lower case, words separated by one space, '|' between names.
    aliases: str = ""

    @property
    def alias_list(self) -> tuple[str, ...]:
        return tuple(self.aliases.split("|"))


FIELDS: tuple[Field, ...] = (
    Field("email", "email", True, "alamat email|email|email address|surel|alamat surel"),
    Field(
        "founder_name",
        "text",
        True,
        "nama pendiri|nama founder|nama lengkap|nama lengkap pendiri|founder name|full name|founder|nama|name",
    ),
    Field(
        "founder_phone",
        "phone",
        False,
        "nomor whatsapp|no whatsapp|whatsapp|nomor wa|no wa|nomor hp|no hp|nomor telepon|telepon|no telp"
        "|phone|phone number|whatsapp number|mobile",
    ),
    Field("founder_age", "age", False, "usia pendiri|umur pendiri|usia|umur|founder age|age"),
    Field(
        "startup_name",
        "text",
        True,
        "nama startup|nama usaha|nama bisnis|nama perusahaan|startup name|business name|company name|startup",
    ),
    Field("city", "text", False, "kota kabupaten|kota|kabupaten|domisili|city|regency|city regency"),
    Field("focus_area", "focus_area", False, "bidang fokus|bidang usaha|bidang|fokus|focus area|sektor|sector"),
    Field("business_stage", "business_stage", False, "tahap usaha|tahapan usaha|tahap|business stage|stage"),
    Field(
        "legal_status",
        "legal_status",
        False,
        "status legalitas|legalitas|status hukum|badan hukum|legal status|legal entity",
    ),
    Field("nib", "nib", False, "nib|nomor induk berusaha"),
    Field(
        "women_in_team",
        "yes_no",
        False,
        "ada anggota tim perempuan|anggota tim perempuan|perempuan|wanita|women in team|women|woman",
    ),
    Field("problem", "text", False, "masalah yang diselesaikan|masalah|permasalahan|problem"),
    Field("solution", "text", False, "solusi|solution"),
    Field("target_market", "text", False, "target pasar|pasar sasaran|target market|market"),
    Field("business_model", "text", False, "model bisnis|model usaha|business model"),
    Field("traction", "text", False, "traksi saat ini|traksi|traction"),
    Field("funding_need", "money", False, "kebutuhan dana|dana|funding need|funding"),
    Field("video_url", "video", False, "link video pitch|video pitch|link video|pitch video|video"),
    Field("deck_link", "link", False, "link pitch deck|pitch deck|link deck|deck"),
    Field("submitted_at", "timestamp", False, "stempel waktu|timestamp|waktu|submitted at|tanggal|date"),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
REQUIRED = tuple(f.key for f in FIELDS if f.required)
PITCH_FIELDS = ("problem", "solution", "target_market", "business_model", "traction")
# Column sizes of the non-pitch text fields (users.name, startups.name, ...); the pitch limits come from the caller.
LENGTHS = {"email": 254, "founder_name": 120, "startup_name": 160, "city": 80, "video_url": 500, "deck_link": 500}

ColumnMap = Mapping[str, int | None]


def guess_mapping(headers: Sequence[str]) -> dict[str, int | None]:
    """The column (0-based) each field most likely sits in, or None.

    An exact header beats one that merely contains an alias; a longer alias beats a
    shorter one; each column serves one field."""
    candidates = []
    normalised = [words(h) for h in headers]
    for order, spec in enumerate(FIELDS):
        for rank, alias in enumerate(spec.alias_list):
            for column, header in enumerate(normalised):
                if header == alias:
                    score = (2, len(alias), -rank)
                elif f" {alias} " in f" {header} ":
                    score = (1, len(alias), -rank)
                else:
                    continue
                candidates.append((score, -order, -column, spec.key, column))
    candidates.sort(reverse=True)
    mapping: dict[str, int | None] = dict.fromkeys(FIELD_KEYS)
    taken: set[int] = set()
    for *_score, key, column in candidates:
        if mapping[key] is None and column not in taken:
            mapping[key] = column
            taken.add(column)
    return mapping


def mapping_problems(mapping: ColumnMap, width: int) -> list[tuple[str, str]]:
    """(field, code) for a mapping that cannot be used: 'unmapped' (a required field has no
    column), 'no_column' (a column the file does not have), 'twice' (a column chosen for two fields)."""
    problems = []
    seen: dict[int, str] = {}
    for key in FIELD_KEYS:
        column = mapping.get(key)
        if column is None:
            if key in REQUIRED:
                problems.append((key, "unmapped"))
            continue
        if not 0 <= column < width:
            problems.append((key, "no_column"))
        elif column in seen:
            problems.append((key, "twice"))
        else:
            seen[column] = key
    return problems


# Words only one of the two languages uses in a form's column names ('email', 'startup', 'link',
# 'pitch', 'video' and 'nib' are both): they tell the language a file was made in.
_INDONESIAN = frozenset(
    [
        "alamat",
        "nama",
        "pendiri",
        "nomor",
        "kota",
        "kabupaten",
        "bidang",
        "fokus",
        "tahap",
        "usaha",
        "legalitas",
        "jumlah",
        "anggota",
        "tim",
        "ada",
        "perempuan",
        "usia",
        "umur",
        "masalah",
        "yang",
        "diselesaikan",
        "solusi",
        "pasar",
        "bisnis",
        "traksi",
        "saat",
        "ini",
        "kebutuhan",
        "dana",
        "stempel",
        "waktu",
        "tanggal",
        "jika",
    ]
)
_ENGLISH = frozenset(
    [
        "address",
        "name",
        "founder",
        "phone",
        "number",
        "city",
        "regency",
        "focus",
        "area",
        "stage",
        "legal",
        "status",
        "team",
        "members",
        "women",
        "age",
        "problem",
        "solution",
        "market",
        "business",
        "traction",
        "funding",
        "need",
        "timestamp",
        "date",
        "submitted",
    ]
)


def file_language(headers: Sequence[str]) -> str:
    """'en' when the column names are mostly English words, else 'id' (the programme's language)."""
    found = [word for header in headers for word in words(header).split()]
    english = sum(word in _ENGLISH for word in found)
    return "en" if english > sum(word in _INDONESIAN for word in found) else "id"

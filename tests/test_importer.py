"""The spreadsheet importer's pure logic: reading CSV bytes, guessing the columns, converting and
checking every value, with exact results. No app, no database."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from incubator.applications import importer as im
from incubator.applications.importer import CSVProblem, FocusAreaOption, Row, ValueProblem
from incubator.applications.models import TEXT_LIMITS

FIXTURE = Path(__file__).parent / "fixtures" / "google-form-export.csv"
AREAS = [
    FocusAreaOption(1, "kriya", "Kriya", "Crafts"),
    FocusAreaOption(2, "games", "Gim", "Games"),
    FocusAreaOption(3, "performing-arts", "Seni pertunjukan", "Performing arts"),
    FocusAreaOption(4, "digital", "Startup digital", "Digital startups"),
    FocusAreaOption(5, "umkm", "UMKM", "MSMEs"),
    FocusAreaOption(6, "creative", "Industri kreatif", "Creative industry"),
]


def _problem(func, text):
    with pytest.raises(ValueProblem) as caught:
        func(text)
    return caught.value.code


def _file_problem(data, **kwargs):
    with pytest.raises(CSVProblem) as caught:
        im.read_csv(data, **kwargs)
    return caught.value.code, caught.value.params


# --- reading the file ---------------------------------------------------------------------------


def test_read_csv_fixture_has_21_columns_and_12_rows_numbered_as_in_the_sheet():
    table = im.read_csv(FIXTURE.read_bytes())
    assert (table.encoding, table.delimiter) == ("utf-8", ",")
    assert len(table.headers) == 21
    assert table.headers[:3] == ("Stempel waktu", "Alamat email", "Nama startup")
    assert [r.number for r in table.rows] == list(range(2, 14))
    assert table.rows[0].cells[:5] == (
        "18/12/2021 09:14:05",
        "rina.kriya@gmail.com",
        "Batik Lurik Nusantara",
        "Rina Widyastuti",
        "0812-2653-7781",
    )
    # A quoted cell with a comma stays one cell.
    assert table.rows[0].cells[17] == "Rp 18.500.000 omzet/bulan, 320 pelanggan"
    assert [r.number for r in table.preview()] == [2, 3, 4, 5, 6]


def test_read_csv_utf8_with_bom_semicolons_and_windows_line_ends():
    data = "\ufeffAlamat email;Nama startup\r\nsari@contoh.id;Kopi Lereng\r\n".encode()
    table = im.read_csv(data)
    assert table.headers == ("Alamat email", "Nama startup")
    assert table.rows == (Row(2, ("sari@contoh.id", "Kopi Lereng")),)
    assert (table.encoding, table.delimiter) == ("utf-8", ";")


def test_read_csv_falls_back_to_cp1252():
    data = "Nama startup,Kota\nCaf\u00e9 Lurik \u2013 Solo,Surakarta\n".encode("cp1252")
    table = im.read_csv(data)
    assert table.encoding == "cp1252"
    assert table.rows[0].cells == ("Caf\u00e9 Lurik \u2013 Solo", "Surakarta")


def test_read_csv_pads_short_rows_ignores_extra_cells_skips_blank_rows_keeping_numbers():
    data = b"a,b,c\n1,2\n,,\n\n4,5,6,7\n"
    table = im.read_csv(data)
    assert table.rows == (Row(2, ("1", "2", "")), Row(5, ("4", "5", "6")))


def test_read_csv_counts_a_multiline_cell_as_one_row():
    data = b'Nama startup,Masalah\nA,"line one\nline two"\nB,x\n'
    table = im.read_csv(data)
    assert table.rows == (Row(2, ("A", "line one\nline two")), Row(3, ("B", "x")))


def test_read_csv_strips_cells_and_non_breaking_spaces():
    table = im.read_csv("Nama startup , Kota\n\u00a0 Wayang AR ,  Semarang\n".encode())
    assert table.headers == ("Nama startup", "Kota")
    assert table.rows[0].cells == ("Wayang AR", "Semarang")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"  \r\n \n", "empty"),
        (b"PK\x03\x04\x14\x00\x06\x00 binary spreadsheet", "not_text"),
        (b"\xff\xfeA\x00,\x00B\x00", "not_text"),  # UTF-16
        (b"name,city\n\x81\x8d\x8f,x\n", "not_text"),  # bytes no code page has
        (b"a,b\n\x01\x02\x03,x\n", "not_text"),
        (b",,\n1,2,3\n", "no_header"),
        (b"rina@example.org,Batik\nsari@example.org,Kopi\n", "no_header"),
        (b"https://youtu.be/x,Batik\n", "no_header"),
        (b"Alamat email,Nama startup\n", "no_rows"),
        (b"Alamat email,Nama startup\n,\n", "no_rows"),
        (b'a,b\n"' + b"x" * 200_000 + b'",1\n', "malformed"),
    ],
)
def test_read_csv_refuses_unusable_files(data, code):
    assert _file_problem(data)[0] == code


def test_read_csv_refuses_more_than_5_mb():
    assert im.MAX_BYTES == 5 * 1024 * 1024
    data = b"a,b\n" + b"x,y\n" * (im.MAX_BYTES // 4)
    assert _file_problem(data) == ("too_big", {"mb": 5})


def test_read_csv_accepts_5000_rows_and_refuses_5001():
    assert im.MAX_ROWS == 5000
    header = b"Alamat email,Nama startup\n"
    assert len(im.read_csv(header + b"a@b.id,S\n" * 5000).rows) == 5000
    assert _file_problem(header + b"a@b.id,S\n" * 5001) == ("too_many_rows", {"rows": 5000})


def test_column_letters():
    assert [im.column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


# --- the mapping ----------------------------------------------------------------------------------


def test_fields_and_required_fields():
    assert im.FIELD_KEYS == (
        "email",
        "founder_name",
        "founder_phone",
        "founder_age",
        "startup_name",
        "city",
        "focus_area",
        "business_stage",
        "legal_status",
        "nib",
        "women_in_team",
        "problem",
        "solution",
        "target_market",
        "business_model",
        "traction",
        "funding_need",
        "video_url",
        "deck_link",
        "submitted_at",
    )
    assert im.REQUIRED == ("email", "founder_name", "startup_name")


def test_guess_mapping_of_the_google_form_export():
    table = im.read_csv(FIXTURE.read_bytes())
    guess = im.guess_mapping(table.headers)
    assert {key: table.headers[col] for key, col in guess.items()} == {
        "email": "Alamat email",
        "founder_name": "Nama pendiri",
        "founder_phone": "Nomor WhatsApp",
        "founder_age": "Usia pendiri",
        "startup_name": "Nama startup",
        "city": "Kota/Kabupaten",
        "focus_area": "Bidang fokus",
        "business_stage": "Tahap usaha",
        "legal_status": "Status legalitas",
        "nib": "NIB (jika ada)",
        "women_in_team": "Ada anggota tim perempuan?",
        "problem": "Masalah yang diselesaikan",
        "solution": "Solusi",
        "target_market": "Target pasar",
        "business_model": "Model bisnis",
        "traction": "Traksi saat ini",
        "funding_need": "Kebutuhan dana (Rp)",
        "video_url": "Link video pitch",
        "deck_link": "Link pitch deck (Google Drive)",
        "submitted_at": "Stempel waktu",
    }
    # "Jumlah anggota tim" matches nothing.
    assert table.headers.index("Jumlah anggota tim") not in guess.values()


def test_guess_mapping_of_english_headers_leaves_unknown_fields_empty():
    headers = ["Timestamp", "Email Address", "Full name", "Startup name", "Phone number", "City", "Funding need (IDR)"]
    headers += ["Pitch video", "Favourite colour"]
    guess = im.guess_mapping(headers)
    assert {k: headers[v] for k, v in guess.items() if v is not None} == {
        "submitted_at": "Timestamp",
        "email": "Email Address",
        "founder_name": "Full name",
        "startup_name": "Startup name",
        "founder_phone": "Phone number",
        "city": "City",
        "funding_need": "Funding need (IDR)",
        "video_url": "Pitch video",
    }
    assert guess["nib"] is None


def test_guess_mapping_uses_each_column_once_and_prefers_exact_names():
    guess = im.guess_mapping(["Nama", "Nama startup", "E-mail"])
    assert (guess["founder_name"], guess["startup_name"], guess["email"]) == (0, 1, 2)


def test_mapping_problems():
    good = dict.fromkeys(im.FIELD_KEYS) | {"email": 0, "founder_name": 1, "startup_name": 2}
    assert im.mapping_problems(good, 3) == []
    assert im.mapping_problems(good | {"email": None}, 3) == [("email", "unmapped")]
    assert im.mapping_problems(good | {"city": 1}, 3) == [("city", "twice")]
    assert im.mapping_problems(good | {"city": 7}, 3) == [("city", "no_column")]
    assert im.mapping_problems(good | {"city": -1}, 3) == [("city", "no_column")]


# --- one value at a time --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rupiah"),
    [
        ("Rp 150.000.000", 150_000_000),
        ("75jt", 75_000_000),
        ("75 juta", 75_000_000),
        ("1,5 M", 1_500_000_000),
        ("1.5 miliar", 1_500_000_000),
        ("2 milyar", 2_000_000_000),
        ("Rp 40.000.000,-", 40_000_000),
        ("Rp. 25.000.000", 25_000_000),
        ("Rp150jt", 150_000_000),
        ("IDR 2,5 juta", 2_500_000),
        ("500rb", 500_000),
        ("150000000", 150_000_000),
        ("150,000,000", 150_000_000),
        ("150 000 000", 150_000_000),
        ("150000000.0", 150_000_000),
        ("10.000.000,00", 10_000_000),
        ("Rp 1.234.567,89", 1_234_568),
        ("1.000.000 rupiah", 1_000_000),
        ("0", 0),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_money(text, rupiah):
    assert im.parse_money(text) == rupiah


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("banyak", "money"),
        ("Belum ada", "money"),
        ("Rp 18.500.000 omzet/bulan", "money"),
        ("1.50.000", "money"),
        ("1,5,0", "money"),
        ("-5", "money"),
        ("Rp", "money"),
        ("jt", "money"),
        ("50-100 jt", "money"),
        ("Rp 10.000.000.000.000.000", "money_too_large"),
    ],
)
def test_parse_money_problems(text, code):
    assert _problem(im.parse_money, text) == code


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("0812-2653-7781", "+6281226537781"),
        ("+62 857 4012 3344", "+6285740123344"),
        ("081329876543", "+6281329876543"),
        ("6281327001122", "+6281327001122"),
        ("+6285866554433", "+6285866554433"),
        ("0813 2700 1122", "+6281327001122"),
        ("8122653778", "+628122653778"),  # the sheet dropped the leading 0
        ("'081225550001", "+6281225550001"),
        ("+62 (0) 812 2653 7781", "+6281226537781"),
        ("0062 812 2653 7781", "+6281226537781"),
        ("(024) 8311234", "+62248311234"),
        ("+65 6123 4567", "+6561234567"),
        ("", ""),
    ],
)
def test_normalise_phone(text, phone):
    assert im.normalise_phone(text) == phone


@pytest.mark.parametrize("text", ["12345", "0812 abc", "+6281", "08", "6.28123E+11", "WA saja"])
def test_normalise_phone_problems(text):
    assert _problem(im.normalise_phone, text) == "phone"


@pytest.mark.parametrize(
    ("text", "value"),
    [("Ya", True), ("ya", True), ("Yes", True), ("Iya", True), ("Tidak", False), ("No", False), ("tdk", False)]
    + [("Tidak ada", False), ("", None)],
)
def test_parse_yes_no(text, value):
    assert im.parse_yes_no(text) is value


def test_parse_yes_no_problem():
    assert _problem(im.parse_yes_no, "mungkin") == "yes_no"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Ide", "idea"),
        ("Idea", "idea"),
        ("MVP", "mvp"),
        ("mvp", "mvp"),
        ("Prototipe", "mvp"),
        ("Pendapatan awal", "early_revenue"),
        ("Early revenue", "early_revenue"),
        ("early_revenue", "early_revenue"),
        ("Bertumbuh", "growth"),
        ("Growth", "growth"),
        ("", None),
    ],
)
def test_parse_business_stage(text, code):
    assert im.parse_business_stage(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Belum berbadan hukum", "unincorporated"),
        ("Not yet incorporated", "unincorporated"),
        ("CV", "cv"),
        ("cv.", "cv"),
        ("PT", "pt"),
        ("Perseroan Terbatas", "pt"),
        ("Koperasi", "cooperative"),
        ("Cooperative", "cooperative"),
        ("", None),
    ],
)
def test_parse_legal_status(text, code):
    assert im.parse_legal_status(text) == code


def test_business_stage_and_legal_status_problems():
    assert _problem(im.parse_business_stage, "Seed") == "business_stage"
    assert _problem(im.parse_legal_status, "Yayasan") == "legal_status"


@pytest.mark.parametrize(
    ("text", "area_id"),
    [("Kriya", 1), ("KRIYA", 1), ("crafts", 1), ("Games", 2), ("gim", 2), ("performing-arts", 3)]
    + [("  seni   Pertunjukan ", 3), ("Startup digital", 4), ("umkm", 5), ("Industri kreatif", 6), ("", None)],
)
def test_match_focus_area_by_code_or_either_name(text, area_id):
    assert im.match_focus_area(text, AREAS) == area_id


def test_match_focus_area_problem():
    assert _problem(lambda t: im.match_focus_area(t, AREAS), "Kuliner") == "focus_area"
    assert _problem(lambda t: im.match_focus_area(t, []), "Kriya") == "focus_area"


def test_parse_nib():
    assert im.parse_nib("1234567890123") == "1234567890123"
    assert im.parse_nib(" 1234 5678 90123 ") == "1234567890123"
    assert im.parse_nib("") == ""
    for text in ("123456789012", "12345678901234", "1.23457E+12", "NIB-123456789"):
        assert _problem(im.parse_nib, text) == "nib"


def test_parse_email():
    assert im.parse_email(" Rina.Kriya@Gmail.com ") == "rina.kriya@gmail.com"
    assert im.parse_email("mailto:dimas@gamelanverse.id") == "dimas@gamelanverse.id"
    for text in ("rina.kriya", "rina@", "@gmail.com", "rina@gmail", "rina kriya@gmail.com", "a..b@x.id", "a@b@c.id"):
        assert _problem(im.parse_email, text) == "email"
    assert _problem(im.parse_email, "a" * 250 + "@x.id") == "email"


def test_parse_age():
    assert [im.parse_age(t) for t in ("27", "19 tahun", "45 thn", "30 years", "")] == [27, 19, 45, 30, None]
    for text in ("dua puluh", "9", "101", "27.5", "-3"):
        assert _problem(im.parse_age, text) == "age"


def test_clean_link():
    assert im.clean_link("https://youtu.be/abc123XYZ") == "https://youtu.be/abc123XYZ"
    assert im.clean_link("youtu.be/abc") == "https://youtu.be/abc"
    assert im.clean_link("www.youtube.com/watch?v=1") == "https://www.youtube.com/watch?v=1"
    assert im.clean_link("") == ""
    for text in ("javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "ftp://x.org/a", "http://"):
        assert _problem(im.clean_link, text) == "link"
    for text in ("https://exa mple.com", "example", "//evil.example/x", "mailto:a@b.id"):
        assert _problem(im.clean_link, text) == "link"
    with pytest.raises(ValueProblem) as caught:
        im.clean_link("https://x.id/" + "a" * 500)
    assert (caught.value.code, caught.value.params) == ("too_long", {"max": 500})


def test_video_sites():
    assert im.is_video_link("https://youtu.be/abc")
    assert im.is_video_link("https://www.youtube.com/watch?v=gmln001")
    assert im.is_video_link("https://m.youtube.com/watch?v=1")
    assert im.is_video_link("https://vimeo.com/123")
    assert im.is_video_link("https://drive.google.com/file/d/1/view")
    assert not im.is_video_link("https://www.instagram.com/ketopraklive")
    assert not im.is_video_link("https://notyoutube.com/x")


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("18/12/2021 09:14:05", datetime(2021, 12, 18, 2, 14, 5, tzinfo=UTC)),
        ("18/12/2021 9:14", datetime(2021, 12, 18, 2, 14, tzinfo=UTC)),
        ("18/12/2021", datetime(2021, 12, 17, 17, 0, tzinfo=UTC)),
        ("18.12.2021 09.14.05", datetime(2021, 12, 18, 2, 14, 5, tzinfo=UTC)),
        ("2021-12-18 09:14:05", datetime(2021, 12, 18, 2, 14, 5, tzinfo=UTC)),
        ("2021-12-18T09:14:05", datetime(2021, 12, 18, 2, 14, 5, tzinfo=UTC)),
        ("12/18/2021 09:14:05", datetime(2021, 12, 18, 2, 14, 5, tzinfo=UTC)),  # month first only when it must be
        ("03/04/2021 08:00:00", datetime(2021, 4, 3, 1, 0, tzinfo=UTC)),  # otherwise day first
        ("", None),
    ],
)
def test_parse_timestamp_as_wib(text, utc):
    assert im.parse_timestamp(text) == utc


def test_parse_timestamp_problems():
    for text in ("31/02/2021 10:00:00", "kemarin", "18/12/21", "25:00 18/12/2021"):
        assert _problem(im.parse_timestamp, text) == "date"


# --- whole rows ---------------------------------------------------------------------------------

HEADERS = ("Alamat email", "Nama pendiri", "Nama startup", "Link video pitch", "Masalah", "Kebutuhan dana")
MAPPING = im.guess_mapping(HEADERS)


def _table(*rows):
    return im.Table(HEADERS, tuple(Row(i + 2, r) for i, r in enumerate(rows)), "utf-8", ",")


def _codes(result):
    return [(p.field, p.code, p.column, p.warning) for p in result.problems]


def test_check_row_required_fields():
    (result,) = im.check_rows(_table(("", "", "", "", "", "")), MAPPING)
    assert not result.valid
    assert _codes(result) == [
        ("email", "required", 0, False),
        ("founder_name", "required", 1, False),
        ("startup_name", "required", 2, False),
    ]


def test_check_row_text_limits():
    long_problem = "x" * (TEXT_LIMITS["problem"] + 1)
    row = ("a@b.id", "N" * 121, "S" * 160, "", long_problem, "")
    (result,) = im.check_rows(_table(row), MAPPING, text_limits=TEXT_LIMITS)
    assert [(p.field, p.code, dict(p.params)) for p in result.problems] == [
        ("founder_name", "too_long", {"max": 120}),
        ("problem", "too_long", {"max": 2000}),
    ]
    ok = ("a@b.id", "N" * 120, "S" * 160, "", "x" * TEXT_LIMITS["problem"], "")
    assert im.check_rows(_table(ok), MAPPING, text_limits=TEXT_LIMITS)[0].valid


def test_check_row_keeps_line_breaks_in_pitch_text_but_not_in_names():
    (result,) = im.check_rows(_table(("a@b.id", " Rina   W ", "Batik\nLurik", "", "baris 1\nbaris 2", "")), MAPPING)
    assert result.values["founder_name"] == "Rina W"
    assert result.values["startup_name"] == "Batik Lurik"
    assert result.values["problem"] == "baris 1\nbaris 2"


def test_check_row_video_link_elsewhere_is_a_warning_only():
    row = ("a@b.id", "N", "S", "https://www.instagram.com/ketopraklive", "", "")
    (result,) = im.check_rows(_table(row), MAPPING)
    assert result.valid
    assert _codes(result) == [("video_url", "video_site", 3, True)]
    assert result.values["video_url"] == "https://www.instagram.com/ketopraklive"
    assert im.count([result]) == im.Counts(rows=1, valid=1, invalid=0, warnings=1)


def test_check_row_refuses_bad_money_and_drops_a_javascript_link_with_the_raw_value():
    row = ("a@b.id", "N", "S", "javascript:alert(1)", "", "banyak sekali")
    (result,) = im.check_rows(_table(row), MAPPING)
    assert not result.valid
    assert [(p.field, p.code, p.value, p.warning) for p in result.problems] == [
        ("funding_need", "money", "banyak sekali", False),
        ("video_url", "link_dropped", "javascript:alert(1)", True),
    ]
    assert result.values["video_url"] == ""
    assert result.values["funding_need"] is None


def test_check_rows_reports_the_same_email_and_startup_twice():
    rows = (
        ("rina@lurik.id", "Rina", "Batik Lurik", "", "", ""),
        ("RINA@lurik.id", "Rina", "batik  lurik", "", "", ""),
        ("rina@lurik.id", "Rina", "Tenun Lurik", "", "", ""),
        ("dimas@lurik.id", "Dimas", "Batik Lurik", "", "", ""),
    )
    results = im.check_rows(_table(*rows), MAPPING)
    assert [r.valid for r in results] == [True, False, True, True]
    assert [(p.code, dict(p.params), p.warning) for p in results[1].problems] == [("duplicate", {"row": 2}, False)]
    # The same startup name under another e-mail becomes another startup: a warning.
    assert [(p.code, dict(p.params), p.warning) for p in results[3].problems] == [("same_name", {"row": 2}, True)]
    assert im.count(results) == im.Counts(rows=4, valid=3, invalid=1, warnings=1)


def test_check_row_unmapped_optional_fields_get_empty_values():
    mapping = dict.fromkeys(im.FIELD_KEYS) | {"email": 0, "founder_name": 1, "startup_name": 2}
    (result,) = im.check_rows(_table(("a@b.id", "N", "S", "x", "y", "z")), mapping)
    assert result.valid
    assert result.values == {
        "email": "a@b.id",
        "founder_name": "N",
        "founder_phone": "",
        "founder_age": None,
        "startup_name": "S",
        "city": "",
        "focus_area": None,
        "business_stage": None,
        "legal_status": None,
        "nib": "",
        "women_in_team": None,
        "problem": "",
        "solution": "",
        "target_market": "",
        "business_model": "",
        "traction": "",
        "funding_need": None,
        "video_url": "",
        "deck_link": "",
        "submitted_at": None,
    }


# --- the real export ------------------------------------------------------------------------------


def _fixture_results():
    table = im.read_csv(FIXTURE.read_bytes())
    return im.check_rows(table, im.guess_mapping(table.headers), focus_areas=AREAS, text_limits=TEXT_LIMITS)


def test_fixture_every_row_is_valid_and_only_the_instagram_link_warns():
    results = _fixture_results()
    assert im.count(results) == im.Counts(rows=12, valid=12, invalid=0, warnings=1)
    (warned,) = [r for r in results if r.problems]
    assert warned.number == 13
    assert [(p.field, p.code, p.value) for p in warned.problems] == [
        ("video_url", "video_site", "https://www.instagram.com/ketopraklive")
    ]


def test_fixture_first_row_values():
    first = _fixture_results()[0]
    assert first.values == {
        "email": "rina.kriya@gmail.com",
        "founder_name": "Rina Widyastuti",
        "founder_phone": "+6281226537781",
        "founder_age": 27,
        "startup_name": "Batik Lurik Nusantara",
        "city": "Surakarta",
        "focus_area": 1,
        "business_stage": "early_revenue",
        "legal_status": "cv",
        "nib": "1234567890123",
        "women_in_team": True,
        "problem": "Pengrajin lurik Klaten sulit menjual ke pasar online",
        "solution": "Marketplace kurasi kain lurik dengan cerita pengrajin",
        "target_market": "Pembeli fesyen etnik usia 20-35",
        "business_model": "Komisi 15% per transaksi",
        "traction": "Rp 18.500.000 omzet/bulan, 320 pelanggan",
        "funding_need": 150_000_000,
        "video_url": "https://youtu.be/abc123XYZ",
        "deck_link": "https://drive.google.com/file/d/1AbC/view",
        "submitted_at": datetime(2021, 12, 18, 2, 14, 5, tzinfo=UTC),
    }


def test_fixture_columns_converted_for_every_row():
    results = _fixture_results()
    column = {key: [r.values[key] for r in results] for key in ("founder_phone", "funding_need", "business_stage")}
    assert column["founder_phone"] == [
        "+6281226537781",
        "+6285740123344",
        "+6281329876543",
        "+6281327001122",
        "+6285641002233",
        "+6281225550001",
        "+6282133445566",
        "+6285700112233",
        "+6281390007788",
        "+6281328889900",
        "+6285866554433",
        "+6281211112222",
    ]
    assert column["funding_need"] == [
        150_000_000,
        75_000_000,
        40_000_000,
        500_000_000,
        250_000_000,
        100_000_000,
        1_000_000_000,
        25_000_000,
        60_000_000,
        300_000_000,
        80_000_000,
        50_000_000,
    ]
    assert column["business_stage"] == [
        "early_revenue",
        "mvp",
        "idea",
        "early_revenue",
        "growth",
        "mvp",
        "growth",
        "idea",
        "early_revenue",
        "mvp",
        "early_revenue",
        "mvp",
    ]
    assert [r.values["legal_status"] for r in results].count("unincorporated") == 6
    assert [r.values["focus_area"] for r in results] == [1, 2, 3, 4, 5, 6, 1, 2, 5, 4, 1, 3]
    assert [r.values["deck_link"] == "" for r in results].count(True) == 8
    assert [r.values["founder_age"] for r in results][-1] == 45


# --- dates read by the file's language; links dropped, not rows -----------------------------------


def test_file_language_from_the_column_names():
    assert im.file_language(FIXTURE.read_text(encoding="utf-8").splitlines()[0].split(",")) == "id"
    assert im.file_language(["Timestamp", "Email address", "Startup name", "Founder name", "Funding need"]) == "en"
    assert im.file_language(["Email", "Startup", "NIB"]) == "id"  # words both languages use: the programme's


def test_date_order_from_the_column_itself_else_from_the_language():
    assert im.date_order(["18/12/2021 09:14:05", "1/5/2022 10:00:00"], "en") == (False, True)
    assert im.date_order(["12/18/2021 09:14:05", "1/5/2022 10:00:00"], "id") == (True, True)
    assert im.date_order(["1/5/2022 10:00:00", "2021-12-18 09:00:00"], "id") == (False, False)
    assert im.date_order(["1/5/2022 10:00:00"], "en") == (True, False)
    assert im.date_order(["13/1/2022", "1/13/2022"], "en") == (True, False)  # both orders: the language decides


def test_parse_timestamp_month_first_and_the_years_a_form_can_have():
    assert im.parse_timestamp("1/5/2022 10:00:00") == datetime(2022, 5, 1, 3, 0, tzinfo=UTC)
    assert im.parse_timestamp("1/5/2022 10:00:00", month_first=True) == datetime(2022, 1, 5, 3, 0, tzinfo=UTC)
    assert im.parse_timestamp("18/12/2021", month_first=True) == datetime(2021, 12, 17, 17, 0, tzinfo=UTC)
    for text in ("1/1/1900 10:00:00", "0001-01-01 00:00:00", "31/12/9999 23:59:59", "1/1/2101"):
        assert _problem(im.parse_timestamp, text) == "date"
    assert im.is_ambiguous_date("1/5/2022 10:00") and not im.is_ambiguous_date("5/5/2022")
    assert not im.is_ambiguous_date("18/12/2021") and not im.is_ambiguous_date("2022-01-05")


def _dated_table(headers, *stamps):
    rows = tuple(Row(i + 2, (f"a{i}@b.id", "N", f"S{i}", stamp)) for i, stamp in enumerate(stamps))
    return im.Table(headers, rows, "utf-8", ",")


def test_an_ambiguous_date_is_read_by_the_file_language_with_a_warning():
    indonesian = _dated_table(("Alamat email", "Nama pendiri", "Nama startup", "Stempel waktu"), "1/5/2022 10:00:00")
    (row,) = im.check_rows(indonesian, im.guess_mapping(indonesian.headers))
    assert row.valid and row.values["submitted_at"] == datetime(2022, 5, 1, 3, 0, tzinfo=UTC)
    assert [(p.code, p.warning, p.value, p.params) for p in row.problems] == [
        (
            "ambiguous_date",
            True,
            "1/5/2022 10:00:00",
            {"month_first": False, "language": "id", "when": datetime(2022, 5, 1, 3, 0, tzinfo=UTC)},
        )
    ]
    english = _dated_table(("Email address", "Founder name", "Startup name", "Timestamp"), "1/5/2022 10:00:00")
    (row,) = im.check_rows(english, im.guess_mapping(english.headers))
    assert row.values["submitted_at"] == datetime(2022, 1, 5, 3, 0, tzinfo=UTC)
    assert [(p.code, p.params["month_first"], p.params["language"]) for p in row.problems] == [
        ("ambiguous_date", True, "en")
    ]


def test_dates_the_column_itself_explains_get_no_warning():
    table = _dated_table(
        ("Email address", "Founder name", "Startup name", "Timestamp"), "18/12/2021 09:00:00", "1/5/2022 10:00:00"
    )
    first, second = im.check_rows(table, im.guess_mapping(table.headers))
    assert first.problems == [] and second.problems == []
    assert second.values["submitted_at"] == datetime(2022, 5, 1, 3, 0, tzinfo=UTC)


def test_a_bad_deck_link_or_an_over_long_video_link_is_dropped_with_a_warning():
    headers = ("Alamat email", "Nama pendiri", "Nama startup", "Link video pitch", "Link pitch deck")
    long_link = "https://youtu.be/" + "a" * 500
    table = im.Table(headers, (Row(2, ("a@b.id", "N", "S", long_link, "drive kantor")),), "utf-8", ",")
    (row,) = im.check_rows(table, im.guess_mapping(headers))
    assert row.valid
    assert (row.values["video_url"], row.values["deck_link"]) == ("", "")
    assert [(p.field, p.code, p.warning, p.params) for p in row.problems] == [
        ("video_url", "too_long_dropped", True, {"max": 500}),
        ("deck_link", "link_dropped", True, {}),
    ]


def test_the_import_and_the_application_form_read_amounts_with_one_parser(app):
    from werkzeug.datastructures import MultiDict

    from incubator.applications.forms import PitchForm
    from incubator.core.numbers import read_rupiah

    for typed, amount in [("75jt", 75_000_000), ("Rp 150.000.000", 150_000_000)]:
        with app.test_request_context():
            form = PitchForm(formdata=MultiDict({"funding_need": typed}), meta={"csrf": False})
            assert im.parse_money(typed) == form.funding_need.data == read_rupiah(typed) == amount

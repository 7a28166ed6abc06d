"""Vietnamese names and election bodies: the election file (TOML) a set is counted against."""
from __future__ import annotations

import unicodedata

import numpy as np
import tomli_w

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
                "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Tạ", "Chu", "Lương", "Mai", "Triệu", "Đào", "Trịnh",
                "Cao", "Lâm"]
MALE_MIDDLE = ["Văn", "Đức", "Minh", "Thanh", "Hồng", "Ngọc", "Quốc", "Xuân", "Hữu", "Công", "Đình",
               "Quang", "Trọng", "Mạnh", "Tiến", "Việt", "Văn"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị Thu", "Thị Hồng", "Thị Minh", "Thị Kim", "Thị Ngọc", "Thị Thanh",
                 "Ngọc", "Thu", "Hồng", "Thùy", "Thị Lan"]
MALE_GIVEN = ["An", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Giang", "Hải", "Hiếu", "Hòa", "Hùng", "Huy",
              "Khánh", "Khoa", "Lâm", "Long", "Lộc", "Mạnh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân",
              "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Toàn", "Trung", "Tuấn", "Tùng", "Việt",
              "Vinh", "Ưng", "Hưng", "Thuận", "Định", "Tiến", "Kiên", "Lực", "Bảo", "Chiến", "Duy", "Hậu",
              "Trường", "Dương"]
FEMALE_GIVEN = ["Anh", "Ánh", "Bích", "Chi", "Châu", "Diệp", "Dung", "Giang", "Hà", "Hạnh", "Hằng",
                "Hiền", "Hoa", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "Nga", "Ngân", "Ngọc",
                "Nhung", "Oanh", "Phượng", "Quyên", "Thảo", "Thủy", "Trang", "Tuyết", "Uyên", "Vân",
                "Xuân", "Yến", "Ỷ", "Hồng", "Thắm"]
DISTRICTS = ["ĐẦM HÀ", "HẢI HÀ", "BÌNH LIÊU", "VÂN ĐỒN", "TIÊN YÊN", "BA CHẼ", "CÔ TÔ", "ĐÔNG TRIỀU",
             "QUẢNG YÊN", "HOÀNH BỒ"]
NOTE_TEXTS = ["Đồng ý", "?", "Không đồng ý", "Đề nghị xem lại", "Tốt", "Xem lại", "OK", "!!"]


def _bodies(district: str, rng: np.random.Generator) -> list[dict]:
    """Candidate election bodies (forms) for a district: header lines, subtitles and seal text."""
    party_hdr = ("ĐẢNG BỘ TỈNH QUẢNG NINH", f"ĐẠI HỘI ĐẢNG BỘ HUYỆN {district}")
    k = int(rng.integers(1, 40))
    return [
        {"rules": "party", "header_left": party_hdr, "header_right": "ĐẢNG CỘNG SẢN VIỆT NAM",
         "subtitle": [f"BAN CHẤP HÀNH ĐẢNG BỘ HUYỆN {district}", "KHÓA XXV, NHIỆM KỲ 2020 – 2025"],
         "seal_text": f"ĐẢNG BỘ HUYỆN {district} * BAN CHẤP HÀNH *"},
        {"rules": "party", "header_left": party_hdr, "header_right": "ĐẢNG CỘNG SẢN VIỆT NAM",
         "subtitle": ["ĐẠI BIỂU ĐI DỰ ĐẠI HỘI ĐẢNG BỘ TỈNH", "LẦN THỨ XV, NHIỆM KỲ 2020 – 2025"],
         "seal_text": f"ĐẢNG BỘ HUYỆN {district} * ĐOÀN CHỦ TỊCH *"},
        {"rules": "party", "header_left": ("ĐẢNG BỘ TỈNH QUẢNG NINH", f"ĐẠI HỘI ĐẢNG BỘ XÃ {district}"),
         "header_right": "ĐẢNG CỘNG SẢN VIỆT NAM",
         "subtitle": [f"BAN CHẤP HÀNH ĐẢNG BỘ XÃ {district}", "NHIỆM KỲ 2025 – 2030"],
         "seal_text": f"ĐẢNG BỘ XÃ {district} * BAN TỔ CHỨC *"},
        {"rules": "state", "header_left": None,
         "header_center": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc"),
         "subtitle": [f"ĐẠI BIỂU HỘI ĐỒNG NHÂN DÂN HUYỆN {district}", "NHIỆM KỲ 2026 – 2031"],
         "extra": f"Đơn vị bầu cử số {k}",
         "seal_text": f"ỦY BAN BẦU CỬ HUYỆN {district} * TỈNH QUẢNG NINH *"},
    ]


def strip_accents(s: str) -> str:
    """ASCII-fold a Vietnamese string (for sorting)."""
    s = s.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def random_person(rng: np.random.Generator) -> tuple[str, str]:
    """A realistic Vietnamese full name and its gender ("m" / "f")."""
    fam = FAMILY_NAMES[rng.integers(len(FAMILY_NAMES))]
    male = rng.random() < 0.5
    middles, givens = (MALE_MIDDLE, MALE_GIVEN) if male else (FEMALE_MIDDLE, FEMALE_GIVEN)
    mid = middles[rng.integers(len(middles))]
    given = givens[rng.integers(len(givens))]
    while given in mid.split() or given == fam:
        given = givens[rng.integers(len(givens))]
    return f"{fam} {mid} {given}", "m" if male else "f"


def _name_sort_key(name: str) -> tuple:
    parts = strip_accents(name).lower().split()
    return (parts[-1], parts[0], " ".join(parts[1:-1]), name)


def make_election(n_candidates: int, seats: int | None, kind: str, seed: int, honorific: bool = False,
                  duplicate_name: bool = False, exclude: set | None = None, district: str | None = None,
                  body: int | None = None) -> dict:
    """Build an election: ``title, seats, ballot, electorate, candidates`` (the TOML fields) plus
    ``form`` (header/subtitle/seal text for rendering), ``labels`` (truth names in ballot order),
    ``display`` (text printed on the ballot) and ``genders``.

    ``candidates`` is a list of names, or of ``{"name", "note"}`` tables with ``duplicate_name`` (two
    equal names told apart by a birth year; their truth label is ``"Name (1970)"``).
    """
    if kind not in ("strike", "mark", "approve"):
        raise ValueError(f"unknown ballot kind {kind!r}")
    rng = np.random.default_rng([seed, 101])
    n = int(n_candidates)
    if kind == "approve":
        seats = n
    elif seats is None:
        seats = int(np.clip(round(n * rng.uniform(0.55, 0.85)), 1, n - 1))
    if kind != "approve" and not 1 <= seats < n:
        raise ValueError("seats must be between 1 and n_candidates - 1 for strike/mark ballots")
    exclude = set(exclude or ())
    people: dict[str, str] = {}
    while len(people) < n:
        name, g = random_person(rng)
        if name not in people and name not in exclude:
            people[name] = g
    names = sorted(people, key=_name_sort_key)
    notes = [""] * n
    if duplicate_name and n >= 3:
        i = int(rng.integers(0, n - 1))
        names[i + 1] = names[i]
        people[names[i]] = people[names[i]]
        y0 = int(rng.integers(1960, 1985))
        notes[i], notes[i + 1] = str(y0), str(y0 + int(rng.integers(1, 12)))
    genders = [people[nm] for nm in names]
    labels = [f"{nm} ({nt})" if nt else nm for nm, nt in zip(names, notes)]
    display = [("Ông " if g == "m" else "Bà ") * honorific + lab for lab, g in zip(labels, genders)]
    district = district or DISTRICTS[rng.integers(len(DISTRICTS))]
    bodies = _bodies(district, rng)
    form = bodies[body if body is not None else int(rng.choice(len(bodies), p=[0.35, 0.2, 0.2, 0.25]))]
    title = "Bầu " + " ".join(form["subtitle"])
    candidates = ([{"name": nm, "note": nt} if nt else nm for nm, nt in zip(names, notes)]
                  if duplicate_name else list(names))
    return {"title": title, "seats": int(seats), "ballot": kind, "electorate": int(rng.integers(80, 500)),
            "candidates": candidates, "labels": labels, "display": display, "genders": genders,
            "form": form, "district": district}


def election_toml(election: dict) -> str:
    """Serialise the election file (TOML, UTF-8)."""
    keys = ("title", "seats", "ballot", "electorate", "candidates")
    return tomli_w.dumps({k: election[k] for k in keys})

"""The review pages as a committee uses them, in real Chromium at a laptop (1366 × 768) and a phone (390 × 844).

Yes/no ballots decided in the browser; each ballot opened on what was flagged; a name left unset named on
the page without losing the ballot; a key for every row and targets large enough to hit; the audit log and
the reviewers in sentences with local times; every page as wide as the screen and no wider; text contrast;
Vietnamese pages without English words or internal codes; the hall display.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import ballotgen
from kiemphieu.records import Code, Reason, Status, Verdict
from kiemphieu.review.web.auth import hash_password
from kiemphieu.review.web.words import group_words
from kiemphieu.store import Count

from conftest import counted
from test_web import ADMIN, OTHER, PASSWORD, REVIEWER, Served, copy_count, in_review, page_of, sign_in

SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
MIN_TARGET_PX = 44          # the smallest side of anything a finger or a mouse must hit
MIN_CONTRAST = 4.5
# Words that must not appear on a Vietnamese page: the reader's codes and English.
FOREIGN = ("agree", "disagree", "void", "unclear", "standing", "struck", "marked", "empty", "vote", "both", "neither",
           "cover", "ink", "partial_strike", "two_rows", "ink_on_name", "mark_outside_box", "overvote", "no_votes",
           "write_in", "extra_writing", "no_seal", "stray_mark", "double_feed", "no_match", "no_features", "bad_pose",
           "reviewer", "admin", "ballot", "valid", "invalid", "review", "rejected", "error", "internal")


@pytest.fixture(scope="module")
def approve_source(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("approve-web")
    ballotgen.generate_set(d, kind="approve", layout="table", n=8, seed=1101, cases=["yes-no"])
    return counted(d, tmp_path_factory.mktemp("approve-web-count"))


@pytest.fixture(scope="module")
def twelve_source(tmp_path_factory) -> Path:
    """A mark ballot with 12 names: rows 10–12 need two-digit keys."""
    d = tmp_path_factory.mktemp("mark12")
    ballotgen.generate_set(d, kind="mark", layout="table", n=5, seed=77, n_candidates=12, seats=5, cases=["normal"])
    return counted(d, tmp_path_factory.mktemp("mark12-count"))


def with_reviewers(src: Path, dst: Path) -> Path:
    copy_count(src, dst)
    c = Count.open(dst)
    for name, role in ((ADMIN, "admin"), (REVIEWER, "reviewer"), (OTHER, "reviewer")):
        assert c.add_reviewer(name, role, hash_password(PASSWORD), by="test")
    c.close()
    return dst


@pytest.fixture
def strike(strike_count, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("KIEMPHIEU_LANG", "vi")
    return with_reviewers(strike_count, tmp_path / "strike.kp")


@pytest.fixture
def approve(approve_source, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("KIEMPHIEU_LANG", "vi")
    return with_reviewers(approve_source, tmp_path / "approve.kp")


@pytest.fixture
def twelve(twelve_source, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("KIEMPHIEU_LANG", "vi")
    return with_reviewers(twelve_source, tmp_path / "twelve.kp")


def flag_name(count: Path, name_index: int, why: str = "partial_strike") -> int:
    """Send a ballot the machine decided back to review, doubting the name at ``name_index``; its ID."""
    c = Count.open(count)
    try:
        label = c.election().labels[name_index]
        ballot = next(p["id"] for p in c.pages() if p["status"] == "valid")
        c.resolve(ballot, ADMIN, Verdict(Status.REVIEW, [], [Reason(Code.UNCLEAR, why, (label,))]), action="reopen",
                  note="test")
        return ballot
    finally:
        c.close()


def open_as(browser, served: Served, size: str, name: str = REVIEWER):
    page = sign_in(browser, served, name)
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size])))
    return page


def in_viewport(page, selector: str) -> bool:
    return page.locator(selector).evaluate("""el => { const r = el.getBoundingClientRect();
        return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth; }""")


def picture_shows(page, box: str, on_screen: bool = True) -> bool:
    """Whether the part of the picture at ``box`` ("x0 y0 x1 y1", fractions) is inside the scan view (and, with
    ``on_screen``, inside the window)."""
    return page.evaluate("""([box, onScreen]) => {
        const v = document.getElementById('scan-view').getBoundingClientRect();
        const s = document.getElementById('scan-sheet').getBoundingClientRect();
        const b = box.split(' ').map(Number);
        const l = s.left + b[0] * s.width, t = s.top + b[1] * s.height, r = s.left + b[2] * s.width,
              bt = s.top + b[3] * s.height;
        return l >= v.left - 1 && t >= v.top - 1 && r <= v.right + 1 && bt <= v.bottom + 1
               && (!onScreen || (t >= 0 && bt <= innerHeight)); }""", [box, on_screen])


def zoom_of(page) -> float:
    return page.evaluate(
        "document.getElementById('scan-sheet').offsetWidth / document.getElementById('scan-view').clientWidth"
    )


def words_on(page) -> set[str]:
    return set(re.findall(r"[a-z_]+", page.locator("body").inner_text().lower()))


def low_contrast(page) -> list:
    """Text whose colour against its background is below 4.5 : 1 (WCAG AA)."""
    return page.evaluate(
        """min => {
        const rgb = s => { const m = s.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
            const v = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
            return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]; };
        const lum = c => { const f = x => { x /= 255;
                return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); };
            return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
        const behind = el => { const layers = [];
            for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
                if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
            let out = [255, 255, 255];
            for (const c of layers.reverse()) out = out.map((x, i) => c[i] * c[3] + x * (1 - c[3]));
            return out; };
        const bad = [];
        const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (w.nextNode()) {
            const n = w.currentNode, el = n.parentElement;
            if (!n.textContent.trim() || el.closest('svg')) continue;
            const r = el.getBoundingClientRect(), st = getComputedStyle(el);
            if (!r.width || !r.height || st.visibility === 'hidden') continue;
            const fg = rgb(st.color), bg = behind(el), a = lum(fg), b = lum(bg);
            const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            if (ratio < min) bad.push([n.textContent.trim().slice(0, 40), st.color, ratio.toFixed(2)]);
        }
        return bad; }""",
        MIN_CONTRAST,
    )


def ballot_id(page) -> int:
    return int(re.search(r"/ballot/(\d+)", page.url).group(1))


# --- 1. yes/no ballots ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
def test_a_yes_no_ballot_is_decided_in_the_browser(browser, approve, size):
    c = Count.open(approve)
    labels = c.election().labels
    c.close()
    with Served(approve) as s:
        page = open_as(browser, s, size)
        page.click("#start")
        page.wait_for_selector("#decide")
        ballot = ballot_id(page)
        for i in range(len(labels)):
            assert page.locator(f"#row-{i} .choice span").all_inner_texts() == ["Đồng ý", "Không đồng ý", "Không tính"]
        offered = page.locator('input[name="invalid_reason"]').evaluate_all("xs => xs.map(x => x.value)")
        assert "overvote" not in offered and "no_votes" not in offered and "write_in" in offered
        assert not words_on(page) & set(FOREIGN), words_on(page) & set(FOREIGN)
        # by keyboard: row 1 against, row 2 void, the rest for
        wanted = {i: "disagree" if i == 0 else "void" if i == 1 else "agree" for i in range(len(labels))}
        for i, state in wanted.items():
            for _ in range(3):
                if page.locator(f"#n{i}-{state}").is_checked():
                    break
                page.keyboard.press(str(i + 1))
            assert page.locator(f"#n{i}-{state}").is_checked()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        p = page_of(approve, ballot)
        assert (p["status"], p["votes"], p["against"]) == ("valid", labels[2:], labels[:1])
        page.context.close()


# --- 2. the ballot opens on what was flagged ----------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
def test_the_ballot_opens_on_the_flagged_name(browser, twelve, size):
    ballot = flag_name(twelve, 11)                       # the last of twelve names, far down the page
    with Served(twelve) as s:
        page = open_as(browser, s, size)
        page.goto(s.url + f"/ballot/{ballot}")
        page.wait_for_function("() => document.querySelector('.mark-box.flag') !== null")
        row = page.locator("#row-11")
        assert "flagged" in row.get_attribute("class") and "focus" in row.get_attribute("class")
        box = row.get_attribute("data-box")
        assert zoom_of(page) > 1.2                        # enlarged …
        assert picture_shows(page, box)                   # … onto the flagged name, highlighted
        assert page.locator(".mark-box.flag").count() == 1
        if size == "laptop":
            assert in_viewport(page, "#row-11")
        # the keyboard's row stays in view, on the page and in the picture
        for i in range(12):
            page.keyboard.press("ArrowDown")
            focused = page.locator(".name-row.focus")
            assert focused.get_attribute("id") == f"row-{i}"
            assert in_viewport(page, f"#row-{i}"), i
            # on a phone the picture sits above the rows: it follows the keyboard inside its own view
            assert picture_shows(page, focused.get_attribute("data-box"), on_screen=size == "laptop"), i
        page.context.close()


# --- 3. a name left unset ------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
def test_an_unset_name_is_named_and_the_ballot_kept(browser, twelve, size):
    ballot = flag_name(twelve, 10)
    with Served(twelve) as s:
        page = open_as(browser, s, size)
        page.goto(s.url + f"/ballot/{ballot}")
        page.wait_for_selector("#decide")
        c = Count.open(twelve)
        label = c.election().labels[10]
        c.close()
        page.evaluate("document.querySelectorAll('#row-10 input').forEach(x => x.checked = false)")  # as if unread
        page.keyboard.press("Enter")
        page.wait_for_selector("#form-error:not([hidden])")
        assert page.url.endswith(f"/ballot/{ballot}")
        message = page.locator("#form-error").inner_text()
        assert "số 11" in message and label in message
        assert "missing" in page.locator("#row-10").get_attribute("class")
        assert in_viewport(page, "#row-10")
        assert page_of(twelve, ballot)["status"] == "review"
        # by mouse: the same
        page.click("#save-names")
        assert page.url.endswith(f"/ballot/{ballot}") and page_of(twelve, ballot)["status"] == "review"
        # without the page's script (the form posted as it is): the ballot page again, the row named
        csrf = page.locator('input[name="csrf"]').first.get_attribute("value")
        form = {"csrf": csrf, "version": "1", "action": "names"} | {f"name_{i}": "empty" for i in range(12) if i != 10}
        r = page.request.post(s.url + f"/ballot/{ballot}/decide", form=form, max_redirects=0)
        assert r.status == 400
        text = r.text()
        assert 'id="decide"' in text and f"số 11 ({label})" in text and 'class="name-row flagged missing"' in text
        assert page_of(twelve, ballot)["status"] == "review"
        # then set it: saved
        page.keyboard.press("1")
        page.keyboard.press("1")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page_of(twelve, ballot)["status"] != "review"
        page.context.close()


# --- 4. a key for every row, large targets, help where it is seen -------------------------------------------

@pytest.mark.parametrize("size", SIZES)
def test_every_row_has_a_key_and_targets_are_large(browser, twelve, size):
    ballot = flag_name(twelve, 0)
    with Served(twelve) as s:
        page = open_as(browser, s, size)
        page.goto(s.url + f"/ballot/{ballot}")
        page.wait_for_selector("#decide")
        assert page.locator(".name-row .key").all_inner_texts() == [str(i) for i in range(1, 13)]
        for keys, row in (("12", 11), ("10", 9), ("11", 10)):
            before = page.locator(f"#row-{row} input:checked").get_attribute("value")
            for k in keys:
                page.keyboard.press(k)
            page.wait_for_function("([row, before]) => document.querySelector(`#row-${row} input:checked`).value "
                                   "!== before", arg=[row, before])
            assert "focus" in page.locator(f"#row-{row}").get_attribute("class")
        before = page.locator("#row-0 input:checked").get_attribute("value") if page.locator(
            "#row-0 input:checked").count() else None
        page.keyboard.press("1")                           # alone: row 1, after a moment
        page.wait_for_function("before => { const x = document.querySelector('#row-0 input:checked'); "
                               "return x !== null && x.value !== before; }", arg=before)
        for target in (".choice span", "#zoom-in", "#zoom-out", "#zoom-fit", "#save-names", "#help-open",
                       ".option"):
            for el in page.locator(target).all():
                b = el.bounding_box()
                assert b["height"] >= MIN_TARGET_PX - 0.5 and b["width"] >= MIN_TARGET_PX - 0.5, (target, b)
        page.keyboard.press("?")
        assert page.locator("#help").is_visible() and in_viewport(page, "#help")
        assert "1 … 12" in page.locator("#help").inner_text().replace("\n", " ")
        page.keyboard.press("Escape")
        assert not page.locator("#help").is_visible()
        page.click("#help-open")
        assert in_viewport(page, "#help")
        page.click("#help-close")
        page.context.close()


# --- 8. the audit log and the reviewers in sentences, local times ---------------------------------------------

@pytest.mark.parametrize("size", SIZES)
def test_audit_and_reviewers_in_sentences(browser, strike, size):
    target = in_review(strike)[0]
    c = Count.open(strike)
    first = c.election().labels[0]
    c.close()
    with Served(strike) as s:
        page = open_as(browser, s, size, ADMIN)
        page.goto(s.url + f"/ballot/{target}")
        for i in range(7):
            page.click(f"#n{i}-{'standing' if i == 0 else 'struck'}")
        with page.expect_navigation():
            page.click("#save-names")
        page.goto(s.url + "/audit")
        text = page.locator("#audit").inner_text()
        local = r"\d\d giờ \d\d, \d\d/\d\d/\d{4}"
        assert re.search(rf"Mục \d+, {local}: {ADMIN} quyết định phiếu {target}: cần xem xét \(.+\) → hợp lệ, bầu: "
                         rf"{re.escape(first)}\.", text), text
        assert re.search(rf"{local}: .*thêm {REVIEWER} làm người xem xét\.", text)
        for raw in ('"status"', "{", "+00:00", "T0", "reviewer_add", "decide"):
            assert raw not in text, raw
        assert "nguyên vẹn" in page.locator("#audit-status").inner_text()
        page.goto(s.url + "/reviewers")
        people = page.locator("#people").inner_text()
        assert re.search(rf"{REVIEWER}: người xem xét, thêm lúc {local}", people), people
        page.context.close()


# --- 10. a phone can use every page; contrast; Vietnamese only ------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
def test_every_page_fits_the_screen(browser, strike, size):
    width, height = SIZES[size]
    target = in_review(strike)[0]
    with Served(strike) as s:
        page = open_as(browser, s, size, ADMIN)
        c = Count.open(strike)
        decided = next(p["id"] for p in c.pages() if p["status"] == "valid")
        c.close()
        for path in ("/", f"/ballot/{target}", f"/ballot/{decided}", "/results", "/audit", "/reviewers", "/display",
                     "/ballot/99999"):
            page.goto(s.url + path)
            page.wait_for_load_state("load")
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, (path, wide)
            assert low_contrast(page) == [], path
            assert not words_on(page) & set(FOREIGN), (path, words_on(page) & set(FOREIGN))
        page.goto(s.url + f"/ballot/{target}")
        page.wait_for_function("() => document.getElementById('scan-img').complete")
        img = page.locator("#scan-img").bounding_box()
        view = page.locator("#scan-view").bounding_box()
        names = page.locator("#names").bounding_box()
        assert view["width"] >= 0.85 * (width if size == "phone" else width / 2), view
        assert img["width"] >= view["width"] - 4           # the picture fills its view, never a thumbnail
        if size == "phone":
            assert view["y"] + view["height"] <= names["y"]    # the picture above the decisions
        else:
            assert view["x"] + view["width"] <= names["x"]     # beside them
        page.context.close()
        login = browser.new_context(viewport=dict(zip(("width", "height"), SIZES[size])))
        page = login.new_page()
        page.goto(s.url + "/login")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert low_contrast(page) == []
        boxes = [page.locator(x).bounding_box() for x in ("#name", "#password")]
        assert abs(boxes[0]["x"] - boxes[1]["x"]) < 1 and abs(boxes[0]["width"] - boxes[1]["width"]) < 1
        assert "Cuộc kiểm phiếu:" in page.locator("#count-name").inner_text()
        login.close()


def test_sign_in_ignores_case_accents_and_decomposed_letters(browser, strike):
    import unicodedata
    with Served(strike) as s:
        for typed in ("le thi hoa", "LÊ THỊ HOA", unicodedata.normalize("NFD", REVIEWER), "  Lê   Thị Hoa "):
            page = sign_in(browser, s, typed)
            assert REVIEWER in page.locator("header .who").inner_text()
            page.context.close()


# --- 6, 7: holds and the queue -----------------------------------------------------------------------------

def test_a_reviewer_holds_only_the_ballot_he_has_open(browser, strike):
    ids = in_review(strike)
    with Served(strike) as s:
        a = sign_in(browser, s, REVIEWER)
        for ballot in ids[:3]:
            a.goto(s.url + f"/ballot/{ballot}")
        assert re.search(r"giữ cho bạn đến \d\d giờ \d\d \(5 phút", a.locator("#hold").inner_text())
        c = Count.open(strike)
        holds = c.holds()
        c.close()
        assert {k: h["reviewer"] for k, h in holds.items()} == {ids[2]: REVIEWER}
        b = sign_in(browser, s, OTHER)
        row = b.locator(f"#q-{ids[2]}").inner_text()
        assert re.search(rf"{REVIEWER} đang xem \(giữ đến \d\d giờ \d\d\)", row), row
        assert "chưa ai xem" in b.locator(f"#q-{ids[0]}").inner_text()
        a.context.close()
        b.context.close()


def test_reasons_count_ballots_and_the_finished_queue_leads_on(browser, approve):
    with Served(approve) as s:
        page = sign_in(browser, s, REVIEWER)
        lines = page.locator("#by-reason li").all_inner_texts()
        c = Count.open(approve)
        review = list(c.pages("review"))
        c.close()
        total = sum(int(re.search(r"(\d+) phiếu$", x).group(1)) for x in lines)
        kinds = sum(len({group_words(r) for r in p["reasons"]}) for p in review)
        assert total == kinds                                    # a ballot counts once for each kind of doubt
        for p in review:
            kp_resolve(approve, p["id"])
        page.goto(s.url + "/")
        assert page.locator("#to-results").is_visible() and page.locator("#to-minutes").is_visible()
        r = page.request.get(s.url + "/minutes.pdf")
        assert r.status == 200 and r.body()[:5] == b"%PDF-"
        page.click("#to-results")
        assert page.locator("#status").inner_text().startswith("Kết quả cuối cùng")
        page.context.close()


def kp_resolve(count: Path, ballot: int) -> None:
    c = Count.open(count)
    try:
        c.resolve(ballot, ADMIN, Verdict(Status.INVALID, [], [Reason(Code.EXTRA_WRITING)]))
    finally:
        c.close()


# --- 11: the hall display ------------------------------------------------------------------------------------

def test_the_hall_display(browser, strike):
    left = len(in_review(strike))
    with Served(strike) as s:
        guest = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        guest.goto(s.url + "/display")
        assert "/login" in guest.url                            # not shown until the committee turns it on
        admin = sign_in(browser, s, ADMIN)
        admin.goto(s.url + "/results")
        admin.click("#display-toggle")
        assert "mọi người" in admin.locator("#display-state").inner_text()
        guest.goto(s.url + "/display")
        assert guest.url.endswith("/display")
        assert f"còn {left} phiếu chờ xem xét" in guest.locator("#status").inner_text()
        assert guest.locator("#chart .bar").count() == 7
        body = guest.locator("body").inner_text()
        for secret in (REVIEWER, ADMIN, "Phiếu số", "ballot_"):
            assert secret not in body
        kp_resolve(strike, in_review(strike)[0])
        guest.wait_for_function("text => document.getElementById('status').textContent.includes(text)",
                                arg=f"còn {left - 1} phiếu",
                                timeout=15000)
        admin.click("#display-toggle")
        guest.goto(s.url + "/display")
        assert "/login" in guest.url
        guest.context.close()
        admin.context.close()
    with Served(strike, display=True) as s:                     # serve --display
        guest = browser.new_context().new_page()
        guest.goto(s.url + "/display")
        assert guest.url.endswith("/display") and guest.locator("#chart").is_visible()
        guest.context.close()

"""Cases: what the voter did on a ballot, and the truth a careful person with the paper records."""
from __future__ import annotations

import math

import numpy as np

from .names import NOTE_TEXTS, random_person
from .pen import PEN_WEIGHTS, PEN_WIDTH_PX200

# --------------------------------------------------------------------------------------------
# (case, relative frequency, n from which the set holds at least one)
CASES = {
    "strike": [("normal", 0.60, 0), ("exact", 0.06, 20), ("undervote", 0.03, 20), ("overvote", 0.07, 10),
               ("all_struck", 0.03, 10), ("write_in", 0.04, 10), ("note", 0.03, 20), ("partial", 0.03, 10),
               ("two_rows", 0.03, 20), ("underline", 0.015, 40), ("faint", 0.01, 60), ("blank", 0.02, 10),
               ("foreign", 0.02, 20)],
    "mark": [("normal", 0.62, 0), ("exact", 0.08, 20), ("undervote", 0.03, 30), ("overvote", 0.08, 10),
             ("all_struck", 0.04, 10), ("write_in", 0.03, 20), ("note", 0.02, 30), ("partial", 0.03, 10),
             ("two_rows", 0.02, 30), ("scribble", 0.02, 20), ("blank", 0.015, 20), ("foreign", 0.02, 10)],
    "approve": [("yes-no", 0.66, 0), ("void_row", 0.20, 10), ("write_in", 0.05, 10), ("note", 0.04, 20),
                ("blank", 0.02, 20), ("foreign", 0.03, 10)],
}
REVIEW_CASES = {"partial", "two_rows", "underline", "faint", "scribble"}
# Approve ballots: share of voters whose crosses reach their cell's rule (fill.py "edge"). 0 in the sets and the
# stress matrix for now (tests' seeded sets stay as they were); reader B's training draws 0.6 (make_data.py,
# through the page's conditions: ``edge_voter``).
P_EDGE_VOTER = 0.0


def case_schedule(kind: str, n: int, rng: np.random.Generator, cases: list[str] | None = None) -> list[str]:
    """A shuffled list of ``n`` cases with realistic frequencies; rare important cases are guaranteed
    from a set size on.  ``cases`` restricts the choice (each listed case appears at least once when n
    allows)."""
    table = CASES[kind]
    if cases:
        known = {c for c, _, _ in table}
        bad = [c for c in cases if c not in known]
        if bad:
            raise ValueError(f"unknown case(s) for {kind}: {bad}; known: {sorted(known)}")
        table = [(c, f, 0) for c, f, _ in table if c in cases]
        tot = sum(f for _, f, _ in table)
        table = [(c, f / tot, 0) for c, f, _ in table]
        base = table[0][0]
        counts = {c: int(f * n) for c, f, _ in table}
        for c, _, _ in table:
            if n >= len(table):
                counts[c] = max(counts[c], 1)
    else:
        base = table[0][0]
        counts = {c: int(round(f * n)) for c, f, _ in table[1:]}
        for c, _, thr in table[1:]:
            if thr and n >= thr:
                counts[c] = max(counts[c], 1)
        counts[base] = 0
    while sum(counts.values()) > n:      # tiny sets: drop the most frequent extra cases first
        c = max((c for c in counts if counts[c] > 0), key=lambda c: counts[c])
        counts[c] -= 1
    counts[base] += n - sum(counts.values())
    sched = [c for c, k in counts.items() for _ in range(k)]
    rng.shuffle(sched)
    return sched


def _pick(rng, names, k):
    k = int(np.clip(k, 0, len(names)))
    return [names[i] for i in sorted(rng.choice(len(names), k, replace=False))]


def _pick_pen(rng):
    names = list(PEN_WEIGHTS)
    return str(rng.choice(names, p=np.array(list(PEN_WEIGHTS.values())) / sum(PEN_WEIGHTS.values())))


def plan_ballot(election: dict, geometry: dict, case: str, rng: np.random.Generator,
                edge_voter: float = P_EDGE_VOTER) -> tuple[dict, dict]:
    """Choose what the voter does for a case.  Returns ``(fill spec, truth record without source/page)``;
    ``edge_voter``: on approve ballots, the share of voters whose crosses reach their cell's rule."""
    kind = election["ballot"]
    names = list(election["labels"])
    n, seats = len(names), election["seats"]
    pen = _pick_pen(rng)
    spec = {"pen": pen, "width": float(rng.uniform(*PEN_WIDTH_PX200))}
    truth = {"kind": "ballot", "valid": True, "expect": "review" if case in REVIEW_CASES else "count",
             "case": case, "pen": "blue" if pen == "faintblue" else pen}
    lo_normal = max(1, int(math.ceil(seats * 0.6)))
    if kind == "approve":
        return _plan_approve(names, case, rng, spec, truth, edge_voter)
    if case in ("normal", "write_in", "note", "partial", "two_rows", "underline", "faint", "scribble"):
        k = int(rng.integers(lo_normal, seats + 1))
    elif case == "exact":
        k = seats
    elif case == "undervote":
        k = int(rng.integers(1, max(1, seats // 2) + 1))
    elif case == "overvote":
        k = int(min(n, seats + 1 + rng.geometric(0.5) - 1))
    elif case == "all_struck":
        k = 0
    else:
        raise ValueError(f"unknown case {case!r} for {kind}")
    if case in REVIEW_CASES:
        k = max(k, 2)
    standing = _pick(rng, names, k)
    unclear = None
    if kind == "strike":
        if case == "two_rows":
            cands = [i for i in range(n - 1) if names[i] not in standing and names[i + 1] in standing]
            if not cands:                       # make one: struck name directly above a standing one
                j = names.index(standing[-1]) if names.index(standing[-1]) > 0 else names.index(standing[0])
                j = max(1, j)
                if names[j - 1] in standing:
                    standing.remove(names[j - 1])
                if names[j] not in standing:
                    standing.append(names[j])
                cands = [j - 1]
            i = int(rng.choice(cands))
            spec["two_rows"] = names[i]
            unclear = names[i + 1]
        elif case in ("partial", "underline", "faint"):
            unclear = str(rng.choice(standing))
            if case == "partial":
                spec["partial"] = {unclear: float(rng.uniform(0.25, 0.45))}
            else:
                spec[case] = [unclear]
        struck = [nm for nm in names if nm not in standing and nm != spec.get("two_rows")]
        spec["strike"] = struck
        if rng.random() < 0.15:    # some voters go over every strike twice, some use wavy strokes
            spec["style"] = {nm: {"double": True} for nm in struck}
        elif rng.random() < 0.2:
            spec["style"] = {nm: {"wavy": True} for nm in struck}
        spec["style"] = spec.get("style", {})
    else:  # mark
        style = str(rng.choice(["x", "tick", "fill"], p=[0.6, 0.3, 0.1]))
        spec["marks"] = {nm: style for nm in standing}
        if case == "partial":
            unclear = str(rng.choice([nm for nm in names if nm not in standing]))
            spec["marks"][unclear] = "outside"
        elif case == "scribble":
            unclear = str(rng.choice([nm for nm in names if nm not in standing]))
            spec["marks"][unclear] = "scribble"
        elif case == "two_rows":
            cands = [i for i in range(n - 1) if names[i + 1] not in standing]
            i = int(rng.choice(cands)) if cands else 0
            if names[i + 1] in standing:
                standing.remove(names[i + 1])
                spec["marks"].pop(names[i + 1])
            spec["marks"][names[i]] = "straddle"
            if names[i] not in standing:
                standing.append(names[i])
            unclear = names[i + 1]
    standing = [nm for nm in names if nm in standing]
    if unclear:
        truth["unclear"] = unclear
    _hand(case, spec, rng, election)
    truth.update(_validity(case, standing, seats))
    truth["marked"] = standing
    return spec, truth


def _hand(case, spec, rng, election):
    """Add handwriting for write_in / note cases."""
    if case == "write_in":
        while True:
            nm, _ = random_person(rng)
            if nm not in election["labels"]:
                break
        spec["write_in"] = nm
        spec["hand_where"] = "below" if rng.random() < 0.75 else "beside"
    elif case == "note":
        spec["note"] = str(rng.choice(NOTE_TEXTS))
        spec["hand_where"] = "below" if rng.random() < 0.6 else "beside"


def _validity(case, standing, seats):
    if case == "write_in":
        return {"valid": False, "reason": "write_in", "votes": []}
    if case == "note":
        return {"valid": False, "reason": "extra_writing", "votes": []}
    if len(standing) > seats:
        return {"valid": False, "reason": "overvote", "votes": []}
    if not standing:
        return {"valid": False, "reason": "no_votes", "votes": []}
    return {"valid": True, "votes": list(standing)}


def _plan_approve(names, case, rng, spec, truth, edge_voter=P_EDGE_VOTER):
    """Approve ("Đồng ý" / "Không đồng ý") ballots: one mark per row, void rows, handwriting."""
    if case not in ("yes-no", "void_row", "write_in", "note"):
        raise ValueError(f"unknown case {case!r} for approve")
    p_yes = rng.uniform(0.6, 0.95)
    how = {nm: ("yes" if rng.random() < p_yes else "no") for nm in names}
    if case == "void_row" or (case in ("write_in", "note") and rng.random() < 0.3):
        for nm in _pick(rng, names, int(rng.integers(1, 3))):
            how[nm] = "both" if rng.random() < 0.5 else "none"
    if not any(v == "yes" for v in how.values()):
        how[names[int(rng.integers(len(names)))]] = "yes"
    spec["approve"] = how
    spec["approve_mark"] = "x" if rng.random() < 0.8 else "tick"
    # Some voters draw their crosses off the middle of the cell, up to and over its rule (a clear mark still).
    # Drawn only when the share is set, so that the sets and stress pages made without it stay as they were.
    spec["approve_place"] = "edge" if edge_voter > 0 and rng.random() < edge_voter else "middle"
    yes = [nm for nm in names if how[nm] == "yes"]
    truth["against"] = [nm for nm in names if how[nm] == "no"]
    truth["void_rows"] = [nm for nm in names if how[nm] in ("both", "none")]
    _hand(case, spec, rng, {"labels": names})
    if case in ("write_in", "note"):
        truth.update(_validity(case, yes, len(names)))
    else:
        truth.update({"valid": True, "votes": yes})
    truth["marked"] = yes
    return spec, truth

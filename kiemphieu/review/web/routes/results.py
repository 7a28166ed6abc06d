"""The results: the one tally (``tally_count``) with its notes and a bar chart."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ....tally.minutes import base_name, number, result_notes, title_of
from ....tally.results import tally_count
from ..deps import CountFile, User, count_file, render, signed_in

router = APIRouter()


@router.get("/results", response_class=HTMLResponse)
def results(request: Request, user: User = Depends(signed_in), count: CountFile = Depends(count_file)) -> Response:
    with count.open() as c:
        election, tally = tally_count(c)
        by_person = {r["page_id"] for r in c.resolutions()}
        decided = [p for p in c.pages() if p["id"] in by_person]
    return render(request, "results.html", user=user, election=election, tally=tally, chart=chart(tally),
                  decided=decided, title=title_of(election), base_name=base_name(election, tally),
                  half=number(tally.threshold), notes=result_notes(election, tally, count.path.name))


def chart(tally: Any) -> dict[str, Any]:
    """Bars (SVG geometry) for the results page: votes per candidate, the threshold as a line."""
    threshold = tally.threshold
    top = max([tally.base, 1] + [c.votes for c in tally.candidates])
    width, label_w, row_h = 760, 230, 26
    plot_w = width - label_w - 70
    bars = [{"y": 10 + i * row_h, "w": round(plot_w * c.votes / top, 1), "c": c} for i, c in enumerate(tally.candidates)]
    return {"width": width, "height": 20 + row_h * len(bars) + 20, "label_w": label_w, "plot_w": plot_w, "bars": bars,
            "row_h": row_h, "threshold_x": round(label_w + plot_w * threshold / top, 1), "threshold": threshold,
            "top": top}

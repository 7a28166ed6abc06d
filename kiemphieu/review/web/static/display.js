// The hall display asks for the totals every few seconds and puts them in place (no page reload).
(function () {
  "use strict";
  const board = document.getElementById("board");
  const every = 1000 * (parseInt(board.dataset.every, 10) || 5);
  async function refresh() {
    try {
      const r = await fetch("/display?part=board", { cache: "no-store", redirect: "manual" });
      if (r.ok) board.innerHTML = await r.text();
    } catch (e) { /* the server is away for a moment: keep what is shown */ }
    setTimeout(refresh, every);
  }
  setTimeout(refresh, every);
})();

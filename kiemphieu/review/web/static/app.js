// The ballot page: the picture opens on what was flagged; keys for every row and decision; a name left
// unset is shown on the page before anything is sent. Every decision is still a plain form POST.
(function () {
  "use strict";
  const form = document.getElementById("decide");
  const img = document.getElementById("scan-img");
  const view = document.getElementById("scan-view");
  const sheet = document.getElementById("scan-sheet");
  const errorBox = document.getElementById("form-error");
  const help = document.getElementById("help");
  const helpOpen = document.getElementById("help-open");
  const rows = Array.from(document.querySelectorAll(".name-row"));
  const ZOOMS = [1, 1.5, 2, 3, 4];
  const MAX_OPEN_ZOOM = 2.5;     // the picture opens at most this much enlarged
  const DIGIT_WAIT_MS = 800;     // after "1" on a ballot of 10+ names, how long a second digit may follow
  let zoom = 1;
  let focus = -1;

  function boxOf(text) {
    const v = (text || "").trim().split(/\s+/).map(Number);
    return v.length === 4 && v.every(Number.isFinite) ? v : null;
  }
  const flagBox = boxOf(img.dataset.focus);

  // --- the picture: zoom, pan, what was flagged ---------------------------------------------------
  function centre() {
    return [(view.scrollLeft + view.clientWidth / 2) / sheet.offsetWidth,
            (view.scrollTop + view.clientHeight / 2) / sheet.offsetHeight];
  }
  function scrollToPoint(p) {
    view.scrollLeft = p[0] * sheet.offsetWidth - view.clientWidth / 2;
    view.scrollTop = p[1] * sheet.offsetHeight - view.clientHeight / 2;
  }
  function setZoom(z, point) {
    const p = point || centre();
    zoom = Math.max(ZOOMS[0], Math.min(ZOOMS[ZOOMS.length - 1], z));
    sheet.style.width = (zoom * 100) + "%";
    scrollToPoint(p);
  }
  function step(dir) {
    const next = dir > 0 ? ZOOMS.find((z) => z > zoom + 1e-6) : ZOOMS.slice().reverse().find((z) => z < zoom - 1e-6);
    setZoom(next === undefined ? zoom : next);
  }
  function boxCentre(b) { return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]; }
  function fitBox(b) {
    // enlarge so that the box fills most of the view, then centre it
    const aspect = img.naturalWidth ? img.naturalHeight / img.naturalWidth : 1.414;
    const byWidth = 0.9 / Math.max(0.01, b[2] - b[0]);
    const byHeight = 0.8 * view.clientHeight / Math.max(1, (b[3] - b[1]) * view.clientWidth * aspect);
    setZoom(Math.max(1, Math.min(MAX_OPEN_ZOOM, byWidth, byHeight)), boxCentre(b));
  }
  function place(el, b) {
    el.style.left = (100 * b[0]) + "%";
    el.style.top = (100 * b[1]) + "%";
    el.style.width = (100 * (b[2] - b[0])) + "%";
    el.style.height = (100 * (b[3] - b[1])) + "%";
  }
  function markBox(b, cls) {
    const el = document.createElement("div");
    el.className = "mark-box " + cls;
    place(el, b);
    sheet.appendChild(el);
    return el;
  }
  const cursor = markBox([0, 0, 0, 0], "cursor");
  cursor.hidden = true;

  function opened() {
    rows.forEach((r) => { const b = boxOf(r.dataset.box); if (b && r.classList.contains("flagged")) markBox(b, "flag"); });
    if (!rows.some((r) => r.classList.contains("flagged")) && flagBox) markBox(flagBox, "flag");
    if (flagBox) fitBox(flagBox);
    const first = rows.findIndex((r) => r.classList.contains("missing"));
    const start = first >= 0 ? first : rows.findIndex((r) => r.classList.contains("flagged"));
    setFocus(start >= 0 ? start : 0, { pan: false, scroll: window.innerWidth > 820 || first >= 0 });
  }
  if (img.complete) opened();
  else { img.addEventListener("load", opened, { once: true }); img.addEventListener("error", opened, { once: true }); }

  document.getElementById("zoom-in").addEventListener("click", () => step(1));
  document.getElementById("zoom-out").addEventListener("click", () => step(-1));
  document.getElementById("zoom-fit").addEventListener("click", () => setZoom(1));
  const zoomFlag = document.getElementById("zoom-flag");
  if (zoomFlag) zoomFlag.addEventListener("click", () => fitBox(flagBox));
  img.addEventListener("click", (e) => {
    const r = sheet.getBoundingClientRect();
    const p = [(e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height];
    setZoom(zoom > 1 ? 1 : MAX_OPEN_ZOOM, p);
  });

  // --- the rows --------------------------------------------------------------------------------------
  function setFocus(i, opts) {
    const o = Object.assign({ pan: true, scroll: true }, opts || {});
    if (!rows.length) return;
    focus = (i + rows.length) % rows.length;
    rows.forEach((r, k) => r.classList.toggle("focus", k === focus));
    const row = rows[focus];
    if (o.scroll) row.scrollIntoView({ block: "nearest" });
    const b = boxOf(row.dataset.box);
    cursor.hidden = !b;
    if (b) {
      place(cursor, b);
      if (o.pan) scrollToPoint(boxCentre(b));
    }
  }
  function inputsOf(row) { return Array.from(row.querySelectorAll('input[type="radio"]')); }
  function choose(row, k) {
    const inputs = inputsOf(row);
    inputs[(k + inputs.length) % inputs.length].checked = true;
    row.classList.remove("missing");
    setMode("names");
  }
  function cycle(i, dir) {
    const row = rows[i];
    if (!row) return;
    const inputs = inputsOf(row);
    const now = inputs.findIndex((x) => x.checked);
    choose(row, now < 0 ? (dir > 0 ? 0 : inputs.length - 1) : now + dir);
    setFocus(i);
  }

  // a number picks a row; on ballots of 10 or more names "1" waits a moment for a second digit
  let pending = "";
  let timer = null;
  function flush() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (!pending) return;
    const n = parseInt(pending, 10);
    pending = "";
    if (n >= 1 && n <= rows.length) cycle(n - 1, 1);
  }
  function digit(d) {
    if (timer) { clearTimeout(timer); timer = null; }
    const typed = pending + d;
    const n = parseInt(typed, 10);
    if (pending && n > rows.length) { flush(); return digit(d); }
    if (!pending && n === 0) return false;           // "0" alone: the picture fits the view
    if (n * 10 <= rows.length) {
      pending = typed;
      timer = setTimeout(flush, DIGIT_WAIT_MS);
      return true;
    }
    pending = "";
    if (n >= 1 && n <= rows.length) { cycle(n - 1, 1); return true; }
    return false;
  }

  // --- deciding --------------------------------------------------------------------------------------
  function setMode(mode) { if (form) form.dataset.mode = mode; }
  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = false;
  }
  function unsetMessage(missing) {
    const one = (r) => form.dataset.row.replace("{n}", r.dataset.index * 1 + 1).replace("{name}",
      r.querySelector(".label").textContent);
    if (missing.length === 1) return form.dataset.unsetOne.replace("{row}", one(missing[0]));
    return form.dataset.unsetMany.replace("{count}", missing.length).replace("{rows}", missing.map(one).join("; "));
  }
  function missingRows() {
    const missing = rows.filter((r) => !r.querySelector("input:checked"));
    rows.forEach((r) => r.classList.toggle("missing", missing.includes(r)));
    if (missing.length) {
      showError(unsetMessage(missing));
      setFocus(rows.indexOf(missing[0]));
      const first = inputsOf(missing[0])[0];
      if (first) first.focus({ preventScroll: true });
    }
    return missing.length > 0;
  }
  function submit() {
    const button = { names: "save-names", invalid: "save-invalid", reject: "save-reject" }[form.dataset.mode];
    document.getElementById(button).click();
  }
  function pickReason(input) {
    input.checked = true;
    setMode("invalid");
    if (input.value === "other") document.getElementById("other-text").focus();
  }
  if (form) {
    form.addEventListener("change", (e) => {
      if (e.target.name && e.target.name.startsWith("name_")) {
        setMode("names");
        const row = e.target.closest(".name-row");
        row.classList.remove("missing");
        setFocus(rows.indexOf(row), { scroll: false });
      }
      if (e.target.name === "invalid_reason") setMode("invalid");
    });
    document.getElementById("other-text").addEventListener("input", () => {
      pickReason(document.getElementById("invalid-other"));
    });
    document.getElementById("reject-text").addEventListener("focus", () => setMode("reject"));
    form.addEventListener("submit", (e) => {
      if (!e.submitter) { e.preventDefault(); submit(); return; }        // Enter in a text box
      if (e.submitter.id === "save-names" && missingRows()) e.preventDefault();
    });
  }

  // --- help -------------------------------------------------------------------------------------------
  function toggleHelp(show) {
    const open = show === undefined ? help.hidden : show;
    help.hidden = !open;
    helpOpen.setAttribute("aria-expanded", String(open));
    if (open) {
      document.getElementById("help-close").focus({ preventScroll: true });
      help.scrollTop = 0;
    } else helpOpen.focus({ preventScroll: true });
  }
  helpOpen.addEventListener("click", () => toggleHelp());
  document.getElementById("help-close").addEventListener("click", () => toggleHelp(false));

  // --- keys -------------------------------------------------------------------------------------------
  const reasonKeys = {};
  document.querySelectorAll('input[name="invalid_reason"]').forEach((x) => { reasonKeys[x.dataset.key] = x; });
  function skip() { const s = document.getElementById("skip"); if (s) s.click(); }
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key;
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName) && !/^(radio|checkbox)$/.test(e.target.type);
    if (typing) {
      if (k === "Escape") e.target.blur();
      return;   // Enter in a text box submits the form as usual
    }
    if (!help.hidden && (k === "Escape" || k === "?")) { toggleHelp(false); e.preventDefault(); return; }
    if (/^[0-9]$/.test(k) && form && !form.classList.contains("readonly") && digit(k)) { e.preventDefault(); return; }
    flush();
    if (k === "?") toggleHelp();
    else if (k === "+" || k === "=") step(1);
    else if (k === "-") step(-1);
    else if (k === "0") setZoom(1);
    else if (k === "f" && flagBox) fitBox(flagBox);
    else if (k === "j") skip();
    else if (!form || form.classList.contains("readonly")) return;
    else if (k === "ArrowDown") setFocus(focus + 1);
    else if (k === "ArrowUp") setFocus(focus - 1);
    else if (k === "ArrowRight") cycle(focus, 1);
    else if (k === "ArrowLeft") cycle(focus, -1);
    else if (k === " ") cycle(focus, 1);
    else if (k === "Enter") submit();
    else if (reasonKeys[k]) pickReason(reasonKeys[k]);
    else if (k === "r") { setMode("reject"); }
    else if (k === "b") setMode("names");
    else return;
    e.preventDefault();
  });
})();

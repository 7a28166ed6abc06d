// Keyboard shortcuts and zoom for the ballot page. Every decision is still a plain form POST.
(function () {
  "use strict";
  const form = document.getElementById("decide");
  const img = document.getElementById("scan-img");
  const zooms = ["fit", "z1", "z2", "z3"];
  let zoom = 0;
  function setZoom(z) {
    zoom = Math.max(0, Math.min(zooms.length - 1, z));
    img.className = zooms[zoom];
  }
  document.getElementById("zoom-in").addEventListener("click", () => setZoom(zoom + 1));
  document.getElementById("zoom-out").addEventListener("click", () => setZoom(zoom - 1));
  document.getElementById("zoom-fit").addEventListener("click", () => setZoom(zoom ? 0 : 2));
  img.addEventListener("click", () => setZoom(zoom ? 0 : 2));

  const rows = Array.from(document.querySelectorAll("tr.name"));
  let focus = 0;
  function markUnset() {
    rows.forEach((r) => r.classList.toggle("unset", !r.querySelector("input:checked")));
  }
  function setFocus(i) {
    if (!rows.length) return;
    focus = (i + rows.length) % rows.length;
    rows.forEach((r, k) => r.classList.toggle("focus", k === focus));
  }
  function toggle(i) {
    const row = rows[i];
    if (!row) return;
    // the next of the row's choices (vote ⇄ struck; for ⇄ against ⇄ void on yes/no ballots)
    const inputs = Array.from(row.querySelectorAll('input[type="radio"]'));
    inputs[(inputs.findIndex((x) => x.checked) + 1) % inputs.length].checked = true;
    setMode("names");
    setFocus(i);
    markUnset();
  }
  function setMode(mode) { form.dataset.mode = mode; }
  function choose(reason) {
    document.getElementById("invalid-" + reason).checked = true;
    setMode("invalid");
    if (reason === "other") document.getElementById("other-text").focus();
  }
  function submit() {
    const button = { names: "save-names", invalid: "save-invalid", reject: "save-reject" }[form.dataset.mode];
    document.getElementById(button).click();
  }
  form.addEventListener("change", (e) => {
    if (e.target.name && e.target.name.startsWith("name_")) setMode("names");
    if (e.target.name === "invalid_reason") setMode("invalid");
    markUnset();
  });
  markUnset();

  const keys = { o: "overvote", n: "no_votes", w: "write_in", e: "extra_writing", s: "no_seal", t: "other" };
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName) && e.target.type !== "radio";
    if (typing) {
      if (e.key === "Escape") e.target.blur();
      return;   // Enter in a text box submits the form as usual
    }
    if (form.classList.contains("readonly")) {
      if (e.key === "j") { const s = document.getElementById("skip"); if (s) s.click(); }
      return;
    }
    const k = e.key;
    if (/^[1-9]$/.test(k)) toggle(parseInt(k, 10) - 1);
    else if (k === "ArrowDown") setFocus(focus + 1);
    else if (k === "ArrowUp") setFocus(focus - 1);
    else if (k === " ") toggle(focus);
    else if (k === "Enter") submit();
    else if (keys[k]) choose(keys[k]);
    else if (k === "r") { setMode("reject"); }
    else if (k === "b") setMode("names");
    else if (k === "j") { const s = document.getElementById("skip"); if (s) s.click(); }
    else if (k === "+" || k === "=") setZoom(zoom + 1);
    else if (k === "-") setZoom(zoom - 1);
    else if (k === "0") setZoom(0);
    else if (k === "?") { const d = document.getElementById("keys"); d.open = !d.open; }
    else return;
    e.preventDefault();
  });
  // Enter on a focused button/radio still means "save": make sure the current mode's button is used.
  form.addEventListener("submit", (e) => {
    if (!e.submitter) { e.preventDefault(); submit(); }
  });
})();

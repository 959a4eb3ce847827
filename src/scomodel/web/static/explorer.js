// Shared helpers of the scomodel explorer: API calls, navigation, status colours, URL state.
"use strict";

const SCO = {
  colours: {},

  // The pages of the nav bar: [slug, title, the part it needs].
  pages: [
    ["asof", "As of a date", "registry"],
    ["timeline", "Timeline", "registry"],
    ["map", "Map", "registry"],
    ["architecture", "Architecture", "architecture"],
    ["rules", "Rules in force", "charter"],
    ["proceedings", "Proceedings", "charter"],
    ["scenarios", "Scenarios", "bargaining"],
    ["panel", "Panel export", "registry"],
    ["claims", "Claims", "claims"],
  ],

  url(path, params) {
    const url = new URL(path, window.location.origin);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, v);
    }
    return url;
  },

  // An API problem (application/problem+json) as one line naming the field at fault.
  async problem(response) {
    let body = {};
    try { body = await response.json(); } catch (e) { body = { detail: response.statusText }; }
    const where = body.field ? ` [${body.field}]` : "";
    return new Error(`${body.title || "Error"}${where}: ${body.detail || response.status}`);
  },

  async get(path, params) {
    const response = await fetch(SCO.url(path, params));
    if (!response.ok) throw await SCO.problem(response);
    return response.json();
  },

  async text(path, params) {
    const response = await fetch(SCO.url(path, params));
    if (!response.ok) throw await SCO.problem(response);
    return response.text();
  },

  async post(path, payload) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload),
    });
    if (!response.ok) throw await SCO.problem(response);
    return response.json();
  },

  async nav(active) {
    const parts = await SCO.get("/api/parts");
    const nav = document.querySelector("header nav");
    nav.setAttribute("aria-label", "explorer pages");
    for (const [slug, title, part] of SCO.pages) {
      if (!parts.includes(part)) continue;
      const a = document.createElement("a");
      a.href = `/explorer/${slug}`;
      a.textContent = title;
      if (slug === active) { a.className = "active"; a.setAttribute("aria-current", "page"); }
      nav.appendChild(a);
    }
    for (const s of await SCO.get("/api/statuses")) SCO.colours[s.status] = s.colour;
  },

  error(message) {
    document.getElementById("error").textContent = message || "";
  },

  // Black or white text, whichever reads better on `hex` (WCAG relative luminance).
  ink(hex) {
    const c = (hex || "#777777").replace("#", "");
    const lin = [0, 2, 4].map((i) => parseInt(c.slice(i, i + 2), 16) / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    const lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
    return (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) ? "#000000" : "#ffffff";
  },

  chip(status) {
    const c = SCO.colours[status] || "#777777";
    return `<span class="chip" style="background:${c};color:${SCO.ink(c)}">` +
      `${SCO.esc(status.replace("_", " "))}</span>`;
  },

  esc(text) {
    return String(text ?? "").replace(/[&<>"']/g, (c) => ({
      "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  },

  cite(sources) {
    return (sources || []).map((s) => SCO.esc(`${s.source}${s.locator ? " " + s.locator : ""}`))
      .join("; ");
  },

  // Fill an organization menu. A code the URL names that is not an organization stays
  // selected (marked unknown) so the API's error is shown, never a silent other choice.
  async fillOrgs(select, preferred, { blank } = {}) {
    const orgs = await SCO.get("/api/organizations");
    select.innerHTML = (blank ? `<option value="">${SCO.esc(blank)}</option>` : "") +
      orgs.map((o) =>
        `<option value="${SCO.esc(o.code)}">${SCO.esc(o.code)}: ${SCO.esc(o.name)}</option>`).join("");
    if (preferred && !orgs.some((o) => o.code === preferred)) {
      select.insertAdjacentHTML("afterbegin",
        `<option value="${SCO.esc(preferred)}">${SCO.esc(preferred)} (not known)</option>`);
    }
    if (preferred !== undefined && preferred !== null) select.value = preferred;
    return orgs;
  },

  // Select `value` in a menu; a value the menu lacks (from a URL) is added, marked, and
  // selected, so the API answers it (with an error naming the field) instead of the page
  // silently showing something else.
  choose(select, value) {
    if (value === null || value === undefined) return;
    if (![...select.options].some((o) => o.value === value)) {
      select.insertAdjacentHTML("beforeend",
        `<option value="${SCO.esc(value)}">${SCO.esc(value)} (not known)</option>`);
    }
    select.value = value;
  },

  // Dates as the CLI reads them: YYYY, YYYY-MM or YYYY-MM-DD (checked by the API).
  DATE: /^\d{4}(-\d{2}(-\d{2})?)?$/,

  // Call `fn` when a date field holds a whole date (after typing stops) or is left.
  watchDate(input, fn) {
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      if (SCO.DATE.test(input.value.trim())) timer = setTimeout(fn, 350);
    });
    input.addEventListener("change", () => { clearTimeout(timer); fn(); });
  },

  // Keep the view's state in the URL (empty values left out), so a link or a reload
  // shows the same view.
  keep(params) {
    const url = SCO.url(window.location.pathname, params);
    history.replaceState(null, "", url.pathname + url.search);
  },

  // A "cite" button: the BibTeX of the sources behind `path` (any GET API answer with
  // cite=1), shown under the button and offered as a download.
  citeButton(where, label) {
    const box = document.createElement("div");
    box.className = "cite";
    box.innerHTML = `<button type="button">Cite ${SCO.esc(label || "this result")}</button>` +
      `<a hidden download="scomodel-sources.bib">download .bib</a><pre hidden tabindex="0" aria-label="BibTeX"></pre>`;
    where.appendChild(box);
    let requests = [];
    box.querySelector("button").addEventListener("click", async () => {
      if (!requests.length) return;
      const pre = box.querySelector("pre");
      try {
        const texts = await Promise.all(requests.map(([path, params]) =>
          SCO.text(path, path === "/api/cite" ? params : { ...params, cite: 1 })));
        // several answers may cite the same source: each entry once
        const seen = new Set();
        const bib = texts.join("\n").split(/\n(?=@)/).map((e) => e.trim()).filter((e) => {
          const key = e.split("\n")[0];
          if (!e || seen.has(key)) return false;
          seen.add(key);
          return true;
        }).join("\n\n") + "\n";
        pre.textContent = bib;
        const a = box.querySelector("a");
        a.href = URL.createObjectURL(new Blob([bib], { type: "application/x-bibtex" }));
        a.hidden = false;
      } catch (e) { pre.textContent = e.message; }
      pre.hidden = false;
    });
    return {
      // set(path, params) for one answer, set([[path, params], ...]) for several;
      // "/api/cite" is asked as it is (how to cite scomodel itself).
      set(path, params) {
        requests = !path ? [] : Array.isArray(path) ? path : [[path, params]];
        box.querySelector("button").disabled = !requests.length;
        box.querySelector("pre").hidden = true;
        box.querySelector("a").hidden = true;
      },
    };
  },

  // Month- and year-precision dates mean their first day on a time axis.
  day(value) {
    if (!value) return null;
    if (value.length === 4) return `${value}-01-01`;
    if (value.length === 7) return `${value}-01`;
    return value;
  },

  // A Gantt chart: one bar per spell, one line per `by` (actor or org), coloured by status.
  // `order` fixes the lines' order (top first); a spell that ends only because its data
  // end (end_reason "coverage", COW's last year) gets a "data end" mark, not an exit.
  gantt(element, rows, by, marker, order) {
    const today = new Date().toISOString().slice(0, 10);
    const labels = order || [...new Set(rows.map((r) => r[by]))].sort();
    const traces = {};
    const ends = { type: "scatter", mode: "markers", name: "data end (coverage, not an exit)",
      x: [], y: [], text: [], hovertemplate: "%{text}<extra></extra>",
      marker: { symbol: "line-ns-open", size: 16, color: "#000000", line: { width: 3 } } };
    for (const r of rows) {
      const start = SCO.day(r.start);
      const end = SCO.day(r.end) || today;
      const t = traces[r.status] || (traces[r.status] = {
        type: "bar", orientation: "h", name: r.status.replace("_", " "), x: [], base: [], y: [],
        text: [], textposition: "none", hovertemplate: "%{text}<extra></extra>",
        marker: { color: SCO.colours[r.status] || "#777" },
        // a procedure runs beside a standing status: a thin bar, so both stay visible
        ...(r.kind === "procedure" ? { width: 0.35 } : {}),
      });
      t.base.push(start);
      t.x.push(Date.parse(end) - Date.parse(start));
      t.y.push(r[by]);
      const until = r.end_reason === "coverage" ? `${r.end} (data end: ${r.dataset} coverage)`
        : (r.end || "now");
      t.text.push(`${r.actor} ${r.status} in ${r.org}: ${r.start} to ${until}` +
        ` (${r.precision}); ${SCO.cite(r.sources)}`);
      if (r.end_reason === "coverage") {
        ends.x.push(end); ends.y.push(r[by]);
        ends.text.push(`${r.org}: ${r.dataset} data end ${r.end}; the status may have continued`);
      }
    }
    const shapes = marker ? [{ type: "line", x0: SCO.day(marker), x1: SCO.day(marker), yref: "paper",
      y0: 0, y1: 1, line: { color: "#c00000", width: 2, dash: "dot" } }] : [];
    const layout = {
      barmode: "overlay", height: 120 + 26 * Math.max(labels.length, 3),
      margin: { l: 90, r: 20, t: 20, b: 40 }, xaxis: { type: "date" },
      yaxis: { categoryorder: "array", categoryarray: labels.slice().reverse() },
      shapes, legend: { orientation: "h", y: 1.02, yanchor: "bottom" },
    };
    const data = Object.values(traces);
    if (ends.x.length) data.push(ends);
    Plotly.react(element, data, layout, { displaylogo: false, responsive: true });
  },
};

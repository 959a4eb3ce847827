// Shared helpers of the scomodel explorer: API calls, navigation, status colours.
"use strict";

const SCO = {
  colours: {},

  async get(path, params) {
    const url = new URL(path, window.location.origin);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, v);
    }
    const response = await fetch(url);
    const body = await response.json();
    if (!response.ok) {
      const where = body.field ? ` [${body.field}]` : "";
      throw new Error(`${body.title || "Error"}${where}: ${body.detail || response.status}`);
    }
    return body;
  },

  async post(path, payload) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload),
    });
    const body = await response.json();
    if (!response.ok) {
      const where = body.field ? ` [${body.field}]` : "";
      throw new Error(`${body.title || "Error"}${where}: ${body.detail || response.status}`);
    }
    return body;
  },

  async nav(active) {
    const pages = [
      ["asof", "As of a date", "registry"],
      ["timeline", "Timeline", "registry"],
      ["architecture", "Architecture", "architecture"],
      ["rules", "Rules in force", "charter"],
      ["scenarios", "Scenarios", "bargaining"],
      ["claims", "Claims", "claims"],
    ];
    const parts = await SCO.get("/api/parts");
    const nav = document.querySelector("header nav");
    for (const [slug, title, part] of pages) {
      if (!parts.includes(part)) continue;
      const a = document.createElement("a");
      a.href = `/explorer/${slug}`;
      a.textContent = title;
      if (slug === active) a.className = "active";
      nav.appendChild(a);
    }
    for (const s of await SCO.get("/api/statuses")) SCO.colours[s.status] = s.colour;
  },

  error(message) {
    document.getElementById("error").textContent = message || "";
  },

  chip(status) {
    const c = SCO.colours[status] || "#777";
    return `<span class="chip" style="background:${c}">${SCO.esc(status.replace("_", " "))}</span>`;
  },

  esc(text) {
    return String(text ?? "").replace(/[&<>"']/g, (c) => ({
      "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  },

  cite(sources) {
    return (sources || []).map((s) => SCO.esc(`${s.source}${s.locator ? " " + s.locator : ""}`))
      .join("; ");
  },

  async fillOrgs(select, preferred) {
    const orgs = await SCO.get("/api/organizations");
    select.innerHTML = orgs.map((o) =>
      `<option value="${SCO.esc(o.code)}">${SCO.esc(o.code)}: ${SCO.esc(o.name)}</option>`).join("");
    if (orgs.some((o) => o.code === preferred)) select.value = preferred;
  },

  // Month- and year-precision dates mean their first day on a time axis.
  day(value) {
    if (!value) return null;
    if (value.length === 4) return `${value}-01-01`;
    if (value.length === 7) return `${value}-01`;
    return value;
  },

  // A Gantt chart: one bar per spell, one line per `by` (actor or org), coloured by status.
  gantt(element, rows, by, marker) {
    const today = new Date().toISOString().slice(0, 10);
    const labels = [...new Set(rows.map((r) => r[by]))].sort();
    const traces = {};
    for (const r of rows) {
      const start = SCO.day(r.start);
      const end = SCO.day(r.end) || today;
      const t = traces[r.status] || (traces[r.status] = {
        type: "bar", orientation: "h", name: r.status.replace("_", " "), x: [], base: [], y: [],
        text: [], textposition: "none", hovertemplate: "%{text}<extra></extra>",
        marker: { color: SCO.colours[r.status] || "#777" },
      });
      t.base.push(start);
      t.x.push(Date.parse(end) - Date.parse(start));
      t.y.push(r[by]);
      t.text.push(`${r.actor} ${r.status} in ${r.org}: ${r.start} to ${r.end || "now"}` +
        ` (${r.precision}); ${SCO.cite(r.sources)}`);
    }
    const shapes = marker ? [{ type: "line", x0: marker, x1: marker, yref: "paper", y0: 0, y1: 1,
      line: { color: "#c00000", width: 2, dash: "dot" } }] : [];
    const layout = {
      barmode: "overlay", height: 120 + 26 * Math.max(labels.length, 3),
      margin: { l: 80, r: 20, t: 20, b: 40 }, xaxis: { type: "date" },
      yaxis: { categoryorder: "array", categoryarray: labels.slice().reverse() },
      shapes, legend: { orientation: "h", y: -0.15 },
    };
    Plotly.react(element, Object.values(traces), layout, { displaylogo: false, responsive: true });
  },
};

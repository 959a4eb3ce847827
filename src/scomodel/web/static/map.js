// The map page: every state's status in one or several organizations on a day.
// The cells follow scomodel.registry.maps.map_cells (the CLI's `map` and the report draw
// the same): the standing status is the fill, a procedure beside it (acceding) a hatching.
"use strict";

const MAP = { world: null, orgCodes: new Set(), drawn: new Set(), svgs: {}, changes: [],
  first: null, seq: 0, playing: false, cite: null };
const SVGNS = "http://www.w3.org/2000/svg";

function orgsShown() {
  const several = document.getElementById("orgs").value.split(",").map((s) => s.trim())
    .filter(Boolean);
  return several.length ? several : [document.getElementById("org").value];
}

function cellsOf(rows) {
  const order = [...rows].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 :
    (a.kind === "standing" ? 0 : 1) - (b.kind === "standing" ? 0 : 1)));
  const cells = {};
  for (const r of order) {
    if (MAP.orgCodes.has(r.actor)) continue;  // an organization holding a status: not a shape
    const c = cells[r.actor] || (cells[r.actor] = { actor: r.actor, name: r.name, org: r.org,
      status: null, procedures: [], start: null, end: null, sources: [], covered: true });
    if (r.covered === false) {
      if (c.status === null) Object.assign(c, { covered: false, end: r.end, sources: r.sources });
      continue;
    }
    if (r.kind === "standing") {
      Object.assign(c, { status: r.status, start: r.start, end: r.end, sources: r.sources,
        covered: true });
    } else if (!c.procedures.includes(r.status)) {
      c.procedures.push(r.status);
      if (c.status === null) Object.assign(c, { start: r.start, end: r.end, sources: r.sources });
    }
  }
  return cells;
}

function fillOf(cell) {
  if (!cell) return MAP.world.no_status;
  if (!cell.covered) return MAP.world.not_covered;
  return cell.status ? (SCO.colours[cell.status] || "#777777") : MAP.world.no_status;
}

function describe(cell, name) {
  if (!cell) return `${name}: no status`;
  if (!cell.covered) return `${cell.name}: not covered by the data (ends ${cell.end})`;
  const what = [cell.status ? cell.status.replace("_", " ") : null,
    ...cell.procedures.map((p) => `${p} beside it`)].filter(Boolean).join(", ");
  return `${cell.name} (${cell.actor}) in ${cell.org}: ${what}, ${cell.start} to ` +
    `${cell.end || "now"}; sources: ${(cell.sources || []).map((s) =>
      `${s.source}${s.locator ? " " + s.locator : ""}`).join("; ")}`;
}

function buildSvg(org, k) {
  const { width, height, shapes } = MAP.world;
  const figure = document.createElement("figure");
  figure.className = "map";
  figure.dataset.org = org;
  const caption = document.createElement("figcaption");
  const svg = document.createElementNS(SVGNS, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `world map of statuses in ${org}`);
  svg.innerHTML = `<defs><pattern id="hatch${k}" patternUnits="userSpaceOnUse" width="6" height="6"` +
    ` patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#1b1b1b"` +
    ` stroke-width="1.6"/></pattern></defs>`;
  const base = document.createElementNS(SVGNS, "g");
  const marks = document.createElementNS(SVGNS, "g");
  marks.setAttribute("pointer-events", "none");
  const paths = [];
  for (const s of shapes) {
    const p = document.createElementNS(SVGNS, "path");
    p.setAttribute("d", s.d);
    p.setAttribute("class", "state");
    if (s.iso3) p.dataset.iso3 = s.iso3;
    p.dataset.name = s.name;
    const title = document.createElementNS(SVGNS, "title");
    p.appendChild(title);
    base.appendChild(p);
    const m = document.createElementNS(SVGNS, "path");
    m.setAttribute("d", s.d);
    m.setAttribute("fill", `url(#hatch${k})`);
    m.setAttribute("class", "mark");
    m.style.display = "none";
    if (s.iso3) m.dataset.iso3 = s.iso3;
    marks.appendChild(m);
    paths.push([p, m, title]);
  }
  svg.append(base, marks);
  svg.addEventListener("mouseover", (e) => {
    if (e.target.classList.contains("state")) {
      document.getElementById("info").textContent = e.target.querySelector("title").textContent;
    }
  });
  svg.addEventListener("click", (e) => {
    const iso3 = e.target.dataset && e.target.dataset.iso3;
    if (iso3) window.location.href = `/explorer/timeline?actor=${iso3}&org=${encodeURIComponent(org)}`;
  });
  figure.append(caption, svg);
  return { figure, caption, paths };
}

function paint(entry, cells) {
  for (const [p, m, title] of entry.paths) {
    const cell = cells[p.dataset.iso3];
    p.setAttribute("fill", fillOf(cell));
    p.dataset.status = cell ? (cell.covered ? cell.status || "" : "not_covered") : "";
    p.dataset.procedures = cell ? cell.procedures.join(",") : "";
    m.style.display = cell && cell.procedures.length ? "" : "none";
    title.textContent = describe(cell, p.dataset.name);
  }
}

function tally(cells) {
  const counts = {};
  for (const c of Object.values(cells)) {
    if (c.status && c.covered) counts[c.status] = (counts[c.status] || 0) + 1;
  }
  return counts;
}

function legend(all) {
  const statuses = [...new Set(all.filter((c) => c.status && c.covered).map((c) => c.status))]
    .sort((a, b) => Object.keys(SCO.colours).indexOf(a) - Object.keys(SCO.colours).indexOf(b));
  const procedures = [...new Set(all.flatMap((c) => c.procedures))].sort();
  const item = (fill, label, hatch) => `<span class="item"><svg width="22" height="14" ` +
    `aria-hidden="true"><rect width="22" height="14" fill="${fill}" stroke="#8a8a8a"/>` +
    (hatch ? `<path d="M0,14L14,0M8,14L22,0" stroke="#1b1b1b" stroke-width="1.6"/>` : "") +
    `</svg>${SCO.esc(label)}</span>`;
  document.getElementById("legend").innerHTML = statuses.map((s) =>
    item(SCO.colours[s] || "#777777", s.replace("_", " "))).join("") +
    procedures.map((p) => item("#ffffff", `${p} (hatched, beside a status)`, true)).join("") +
    item(MAP.world.no_status, "no status") +
    (all.some((c) => !c.covered) ? item(MAP.world.not_covered, "not covered by the data") : "");
}

function clear() {
  document.getElementById("maps").innerHTML = "";
  MAP.svgs = {};
  for (const id of ["summary", "legend", "undrawn"]) document.getElementById(id).innerHTML = "";
  document.querySelector("#cells tbody").innerHTML = "";
  MAP.cite.set(null);
  document.body.dataset.drawn = "";
}

function setSlider(day) {
  const slider = document.getElementById("slider");
  if (!MAP.first || !SCO.DATE.test(day)) return;
  const offset = Math.round((Date.parse(SCO.day(day)) - Date.parse(MAP.first)) / 864e5);
  slider.value = String(Math.max(0, Math.min(Number(slider.max), offset)));
  document.getElementById("slider-day").textContent = day;
}

function sliderDay() {
  const value = Number(document.getElementById("slider").value);
  return new Date(Date.parse(MAP.first) + value * 864e5).toISOString().slice(0, 10);
}

async function loadRange(orgs) {
  const spells = (await Promise.all(orgs.map((o) =>
    SCO.get(`/api/spells/${encodeURIComponent(o)}`)))).flat();
  const days = new Set();
  for (const r of spells) for (const d of [r.start, r.end]) if (d) days.add(SCO.day(d));
  const today = new Date().toISOString().slice(0, 10);
  MAP.changes = [...days].filter((d) => d <= today).sort();
  MAP.first = MAP.changes[0] || today;
  const slider = document.getElementById("slider");
  slider.max = String(Math.round((Date.parse(today) - Date.parse(MAP.first)) / 864e5));
  document.getElementById("slider-label").textContent = `Day (${MAP.first} to today)`;
}

async function draw() {
  const seq = ++MAP.seq;
  const orgs = orgsShown();
  const on = document.getElementById("on").value.trim();
  SCO.keep({ org: document.getElementById("org").value, orgs: document.getElementById("orgs").value.trim(), on });
  SCO.error("");
  document.body.dataset.drawn = "";
  try {
    const answers = await Promise.all(orgs.map((o) =>
      SCO.get(`/api/members/${encodeURIComponent(o)}`, { on })));
    if (seq !== MAP.seq) return;  // a later request overtook this one
    const key = orgs.join(",");
    if (MAP.key !== key) {
      document.getElementById("maps").innerHTML = "";
      MAP.svgs = {};
      MAP.key = key;
      await loadRange(orgs);
    }
    const box = document.getElementById("maps");
    box.classList.toggle("grid", orgs.length > 1);
    const all = [], summary = [], rows = [], small = [];
    orgs.forEach((org, k) => {
      const entry = MAP.svgs[org] || (MAP.svgs[org] = buildSvg(org, k));
      if (!entry.figure.isConnected) box.appendChild(entry.figure);
      const cells = cellsOf(answers[k]);
      paint(entry, cells);
      const counts = Object.entries(tally(cells)).map(([s, n]) => `${n} ${s.replace("_", " ")}`);
      entry.caption.textContent = `${org} on ${on}: ${counts.join(", ") || "nobody held a status"}`;
      summary.push(`${SCO.esc(org)}: ` + (Object.entries(tally(cells)).map(([s, n]) =>
        `${n} ${SCO.chip(s)}`).join(" ") || "nobody held a status"));
      for (const c of Object.values(cells)) {
        all.push(c);
        if (!MAP.drawn.has(c.actor)) small.push(`${c.name} (${c.status || c.procedures.join("/")})`);
        rows.push(`<tr data-actor="${SCO.esc(c.actor)}" data-org="${SCO.esc(org)}"><td>${SCO.esc(org)}</td>
          <td><a href="/explorer/timeline?actor=${SCO.esc(c.actor)}&amp;org=${SCO.esc(org)}">${SCO.esc(c.name)}</a></td>
          <td>${c.covered ? (c.status ? SCO.chip(c.status) : "") : "not covered"}</td>
          <td>${SCO.esc(c.procedures.join(", "))}</td><td>${SCO.esc(c.start)}</td>
          <td>${SCO.esc(c.end || "")}</td><td>${SCO.cite(c.sources)}</td></tr>`);
      }
    });
    document.getElementById("summary").innerHTML = `On ${SCO.esc(on)}: ` + summary.join("; ");
    document.getElementById("undrawn").textContent = small.length
      ? `Too small for the 1:110m shapes, not drawn: ${small.join(", ")}` : "";
    document.querySelector("#cells tbody").innerHTML = rows.join("");
    legend(all);
    setSlider(on);
    MAP.cite.set(`/api/members/${encodeURIComponent(orgs[0])}`, { on });
    document.body.dataset.drawn = on;
  } catch (e) {
    if (seq !== MAP.seq) return;
    clear();
    MAP.key = null;
    SCO.error(e.message);
    document.body.dataset.drawn = "error";
  }
}

async function play() {
  const button = document.getElementById("play");
  if (MAP.playing) { MAP.playing = false; return; }
  MAP.playing = true;
  button.setAttribute("aria-pressed", "true");
  button.textContent = "Pause";
  const from = SCO.day(document.getElementById("on").value.trim()) || MAP.first;
  let days = MAP.changes.filter((d) => d > from);
  if (!days.length) days = MAP.changes;  // at the end: start again from the founding
  for (const day of days) {
    if (!MAP.playing) break;
    document.getElementById("on").value = day;
    await draw();
    await new Promise((r) => setTimeout(r, 700));
  }
  MAP.playing = false;
  button.setAttribute("aria-pressed", "false");
  button.textContent = "Play the changes";
}

(async () => {
  await SCO.nav("map");
  MAP.cite = SCO.citeButton(document.getElementById("cite"), "the first map's sources");
  const params = new URLSearchParams(location.search);
  const orgs = await SCO.fillOrgs(document.getElementById("org"), params.get("org") || "SCO");
  MAP.orgCodes = new Set(orgs.map((o) => o.code));
  MAP.world = await SCO.get("/vendor/world-110m.json");
  MAP.drawn = new Set(MAP.world.shapes.map((s) => s.iso3).filter(Boolean));
  if (params.get("orgs")) document.getElementById("orgs").value = params.get("orgs");
  if (params.get("on")) document.getElementById("on").value = params.get("on");
  document.getElementById("org").addEventListener("change", draw);
  document.getElementById("orgs").addEventListener("change", draw);
  SCO.watchDate(document.getElementById("on"), draw);
  const slider = document.getElementById("slider");
  let timer = null;
  slider.addEventListener("input", () => {
    document.getElementById("slider-day").textContent = sliderDay();
    clearTimeout(timer);
    timer = setTimeout(() => { document.getElementById("on").value = sliderDay(); draw(); }, 150);
  });
  document.getElementById("play").addEventListener("click", play);
  await draw();
  document.body.dataset.ready = "1";
})();

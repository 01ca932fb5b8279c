// A small SVG line chart driven from Blazor (Components/Shared/LineChart.razor).
// Blazor sends only new points (append); zoom, hidden series and hover live here, so they survive updates.
// Series names are user text (run names): they go into the DOM only as text nodes, never through innerHTML.
const NS = "http://www.w3.org/2000/svg";
const PALETTE = ["#1e88e5", "#e53935", "#43a047", "#fb8c00", "#8e24aa", "#00acc1", "#6d4c41", "#c0ca33"];
const PAD = { left: 56, right: 12, top: 8, bottom: 28 };

function el(name, attrs, parent) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

// A colour swatch: an <i> with its background set through the CSSOM (no markup, no inline style attribute).
function swatch(color) {
  const i = document.createElement("i");
  i.style.background = color;
  return i;
}

function fmt(v, percent) {
  if (!isFinite(v)) return "";
  if (percent) return (v * 100).toFixed(Math.abs(v) < 0.1 ? 2 : 1);
  const a = Math.abs(v);
  if (a === 0) return "0";
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1);
  return Number(v.toPrecision(3)).toString();
}

function ticks(min, max, n) {
  if (!(max > min)) return [min];
  const raw = (max - min) / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= raw) || raw;
  const out = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

class Chart {
  constructor(host, opts) {
    this.host = host;
    this.opts = opts || {};
    this.series = [];           // {name, color, points: [[x,y]...], hidden}
    this.view = null;           // {x0, x1} when zoomed, null = follow all data
    this.drag = null;
    this.hoverX = null;
    this.host.style.position = "relative";
    this.host.style.userSelect = "none";
    this.legend = document.createElement("div");
    this.legend.className = "vc-legend";
    this.svg = el("svg", { class: "vc-svg", width: "100%", height: "100%" });
    this.tip = document.createElement("div");
    this.tip.className = "vc-tip";
    this.tip.style.display = "none";
    host.append(this.legend, this.svg, this.tip);
    this.svg.addEventListener("mousedown", e => this.onDown(e));
    this.svg.addEventListener("mousemove", e => this.onMove(e));
    this.svg.addEventListener("mouseleave", () => { this.hoverX = null; this.drag = null; this.schedule(); });
    window.addEventListener("mouseup", this.upHandler = e => this.onUp(e));
    this.svg.addEventListener("dblclick", () => this.resetZoom());
    this.resize = new ResizeObserver(() => this.schedule());
    this.resize.observe(host);
    this.schedule();
  }

  setData(all) {
    const hidden = new Set(this.series.filter(s => s.hidden).map(s => s.name));
    this.series = all.map((s, i) => ({ name: s.name, color: PALETTE[i % PALETTE.length], points: s.points.slice(), hidden: hidden.has(s.name) }));
    this.renderLegend();
    this.schedule();
  }

  append(delta) {
    for (const d of delta) {
      let s = this.series.find(x => x.name === d.name);
      if (!s) {
        s = { name: d.name, color: PALETTE[this.series.length % PALETTE.length], points: [], hidden: false };
        this.series.push(s);
        this.renderLegend();
      }
      for (const p of d.points) s.points.push(p);
    }
    this.schedule();
  }

  resetZoom() { this.view = null; this.schedule(); }

  destroy() {
    this.resize.disconnect();
    window.removeEventListener("mouseup", this.upHandler);
    this.host.replaceChildren();
  }

  pointCount() { return this.series.reduce((n, s) => n + s.points.length, 0); }

  renderLegend() {
    this.legend.replaceChildren();
    for (const s of this.series) {
      const item = document.createElement("span");
      item.className = "vc-legend-item" + (s.hidden ? " vc-hidden" : "");
      item.append(swatch(s.color), document.createTextNode(s.name));
      item.addEventListener("click", () => { s.hidden = !s.hidden; this.renderLegend(); this.schedule(); });
      this.legend.appendChild(item);
    }
  }

  schedule() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => { this.pending = 0; this.render(); });
  }

  dataRange() {
    let x0 = Infinity, x1 = -Infinity;
    for (const s of this.series) for (const p of s.points) { if (p[0] < x0) x0 = p[0]; if (p[0] > x1) x1 = p[0]; }
    return [x0, x1];
  }

  frame() {
    const w = this.svg.clientWidth || 400, h = this.svg.clientHeight || 200;
    let [x0, x1] = this.dataRange();
    if (this.view) { x0 = this.view.x0; x1 = this.view.x1; }
    if (!isFinite(x0)) { x0 = 0; x1 = 1; }
    if (x1 === x0) { x0 -= 0.5; x1 += 0.5; }
    const log = !!this.opts.logY;
    let y0 = Infinity, y1 = -Infinity;
    for (const s of this.series) {
      if (s.hidden) continue;
      for (const p of s.points) {
        if (p[0] < x0 || p[0] > x1) continue;
        const y = log ? (p[1] > 0 ? Math.log10(p[1]) : NaN) : p[1];
        if (!isFinite(y)) continue;
        if (y < y0) y0 = y; if (y > y1) y1 = y;
      }
    }
    if (!isFinite(y0)) { y0 = 0; y1 = 1; }
    if (y1 === y0) { const d = Math.abs(y0) * 0.1 || 0.5; y0 -= d; y1 += d; }
    else { const m = (y1 - y0) * 0.05; y0 -= m; y1 += m; }
    const pw = Math.max(10, w - PAD.left - PAD.right), ph = Math.max(10, h - PAD.top - PAD.bottom);
    return {
      w, h, x0, x1, y0, y1, log, pw, ph,
      sx: x => PAD.left + (x - x0) / (x1 - x0) * pw,
      sy: y => PAD.top + ph - ((log ? Math.log10(y) : y) - y0) / (y1 - y0) * ph,
      ix: px => x0 + (px - PAD.left) / pw * (x1 - x0),
    };
  }

  render() {
    const f = this.frame();
    this.host.dataset.rendered = String(this.pointCount());
    this.host.dataset.zoomed = this.view ? "true" : "false";
    this.svg.replaceChildren();
    const axis = el("g", { class: "vc-axis" }, this.svg);
    for (const t of ticks(f.y0, f.y1, 4)) {
      const y = PAD.top + f.ph - (t - f.y0) / (f.y1 - f.y0) * f.ph;
      el("line", { x1: PAD.left, x2: PAD.left + f.pw, y1: y, y2: y, class: "vc-grid" }, axis);
      el("text", { x: PAD.left - 6, y: y + 4, "text-anchor": "end" }, axis).textContent = fmt(f.log ? Math.pow(10, t) : t, this.opts.percent);
    }
    for (const t of ticks(f.x0, f.x1, Math.max(2, Math.floor(f.pw / 90)))) {
      const x = f.sx(t);
      el("line", { x1: x, x2: x, y1: PAD.top + f.ph, y2: PAD.top + f.ph + 4, class: "vc-tick" }, axis);
      el("text", { x, y: PAD.top + f.ph + 16, "text-anchor": "middle" }, axis).textContent = fmt(t);
    }
    el("text", { x: PAD.left + f.pw, y: f.h - 2, "text-anchor": "end", class: "vc-label" }, axis).textContent = this.opts.xLabel || "";
    const clipId = "vc" + Math.random().toString(36).slice(2);
    const clip = el("clipPath", { id: clipId }, el("defs", {}, this.svg));
    el("rect", { x: PAD.left, y: PAD.top, width: f.pw, height: f.ph }, clip);
    const plot = el("g", { "clip-path": `url(#${clipId})` }, this.svg);
    let any = false;
    for (const s of this.series) {
      if (s.hidden || s.points.length === 0) continue;
      any = true;
      const pts = this.visible(s.points, f);
      const d = pts.map((p, i) => (i ? "L" : "M") + f.sx(p[0]).toFixed(1) + "," + f.sy(p[1]).toFixed(1)).join("");
      el("path", { d, stroke: s.color, fill: "none", "stroke-width": 1.6, class: "vc-line" }, plot);
      if (pts.length <= 60) for (const p of pts) el("circle", { cx: f.sx(p[0]), cy: f.sy(p[1]), r: 2.5, fill: s.color }, plot);
    }
    if (!any) {
      el("text", { x: PAD.left + f.pw / 2, y: PAD.top + f.ph / 2, "text-anchor": "middle", class: "vc-empty" }, this.svg).textContent = this.opts.emptyText || "No data";
    }
    if (this.drag && this.drag.x1 !== undefined) {
      const a = Math.min(this.drag.px0, this.drag.px1), b = Math.max(this.drag.px0, this.drag.px1);
      el("rect", { x: a, y: PAD.top, width: b - a, height: f.ph, class: "vc-brush" }, this.svg);
    }
    this.renderHover(f);
  }

  // Points inside the x window (plus one either side), thinned to about two per pixel.
  visible(points, f) {
    let lo = 0, hi = points.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (points[m][0] < f.x0) lo = m + 1; else hi = m; }
    const start = Math.max(0, lo - 1);
    let end = start;
    while (end < points.length && points[end][0] <= f.x1) end++;
    end = Math.min(points.length, end + 1);
    const slice = points.slice(start, end).filter(p => !f.log || p[1] > 0);
    const max = Math.max(50, Math.floor(f.pw * 2));
    if (slice.length <= max) return slice;
    const step = slice.length / max, out = [];
    for (let i = 0; i < slice.length; i += step) out.push(slice[Math.floor(i)]);
    out.push(slice[slice.length - 1]);
    return out;
  }

  renderHover(f) {
    if (this.hoverX === null || this.drag) { this.tip.style.display = "none"; return; }
    const x = f.ix(this.hoverX);
    const rows = [];
    for (const s of this.series) {
      if (s.hidden || s.points.length === 0) continue;
      let best = null;
      for (const p of s.points) if (!best || Math.abs(p[0] - x) < Math.abs(best[0] - x)) best = p;
      if (!best) continue;
      const row = document.createElement("div");
      const value = document.createElement("b");
      value.textContent = fmt(best[1], this.opts.percent);
      row.append(swatch(s.color), document.createTextNode(s.name + ": "), value, document.createTextNode(" @ " + fmt(best[0])));
      rows.push(row);
    }
    if (rows.length === 0) { this.tip.style.display = "none"; return; }
    el("line", { x1: this.hoverX, x2: this.hoverX, y1: PAD.top, y2: PAD.top + f.ph, class: "vc-cursor" }, this.svg);
    this.tip.replaceChildren(...rows);
    this.tip.style.display = "block";
    const left = this.hoverX + 12;
    this.tip.style.left = (left + 220 > f.w ? Math.max(0, this.hoverX - 230) : left) + "px";
    this.tip.style.top = "28px";
  }

  localX(e) { return e.clientX - this.svg.getBoundingClientRect().left; }

  onDown(e) {
    if (e.button !== 0) return;
    const f = this.frame();
    const px = this.localX(e);
    this.drag = { px0: px, x0: f.ix(px) };
    e.preventDefault();
  }

  onMove(e) {
    const px = this.localX(e);
    this.hoverX = px;
    if (this.drag) { this.drag.px1 = px; this.drag.x1 = this.frame().ix(px); }
    this.schedule();
  }

  onUp() {
    const d = this.drag;
    this.drag = null;
    if (d && d.x1 !== undefined && Math.abs(d.px1 - d.px0) > 4) this.view = { x0: Math.min(d.x0, d.x1), x1: Math.max(d.x0, d.x1) };
    this.schedule();
  }
}

export function create(host, opts) { return new Chart(host, opts); }

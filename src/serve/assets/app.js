// The what-if page: builds the levers from /api/config, posts every change
// to /api/run, reads the streamed NDJSON lines and redraws the figures as
// plain SVG. Every text from the server is set with textContent, never
// parsed as HTML. No request leaves the server.
'use strict';
(() => {
  const lang = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'nl';
  const locale = lang === 'nl' ? 'nl-NL' : 'en-GB';
  const SVG = document.getElementById('svg-namespace').namespaceURI;
  const $ = (id) => document.getElementById(id);
  let cfg = null;
  let ui = {};
  let scenario = null;
  let values = {};
  let timer = null;
  let controller = null;
  let seq = 0;

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function sv(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function num(x, digits) {
    if (x === null || x === undefined || !isFinite(x)) return '–';
    if (Math.abs(x) < 0.5 * Math.pow(10, -digits)) x = 0;
    return new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(x);
  }
  function decimals(step, scale) {
    const s = String(step * scale);
    return s.includes('.') ? s.split('.')[1].length : 0;
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  async function start() {
    $('lang').textContent = lang === 'nl' ? 'English' : 'Nederlands';
    $('lang').setAttribute('href', lang === 'nl' ? '?lang=en' : '?lang=nl');
    document.documentElement.lang = lang;
    const res = await fetch('/api/config?lang=' + lang);
    cfg = await res.json();
    ui = cfg.ui;
    $('title').textContent = ui.title;
    document.title = 'regiosim — ' + ui.title;
    $('intro').textContent = ui.intro;
    $('timing').textContent = ui.timing;
    $('baseline-label').textContent = ui.baseline;
    $('levers-title').textContent = ui.levers;
    $('reset').textContent = ui.reset;
    $('save').textContent = ui.save;
    $('command-label').textContent = ui.command;
    const sel = $('baseline');
    cfg.scenarios.forEach((s, i) => sel.appendChild(el('option', { value: String(i) }, s.name)));
    sel.addEventListener('change', () => choose(Number(sel.value), false));
    $('reset').addEventListener('click', () => choose(scenario.index, false));
    $('save').addEventListener('click', () => download('/api/scenario', 'scenario.toml'));
    $('report').textContent = ui.report;
    $('report').addEventListener('click', () => download('/api/report', 'rapport.html'));
    const first = Number(new URLSearchParams(location.hash.slice(1)).get('baseline') || 0);
    sel.value = String(cfg.scenarios[first] ? first : 0);
    choose(Number(sel.value), true);
  }

  function choose(i, fromAddress) {
    scenario = cfg.scenarios[i];
    values = {};
    for (const l of scenario.levers) values[l.id] = l.default;
    // A view from the address (#lever=value&...), as the page writes it.
    for (const [k, v] of fromAddress ? new URLSearchParams(location.hash.slice(1)) : []) {
      if (k in values) { try { values[k] = JSON.parse(v); } catch (e) { /* ignore */ } }
    }
    $('description').textContent = scenario.description;
    $('save-hint').textContent = ui.save_hint + ' ' + scenario.path;
    buildLevers();
    request();
  }

  function buildLevers() {
    const box = $('levers');
    box.replaceChildren();
    for (const l of scenario.levers) {
      const div = el('div', { class: 'lever', id: 'lever-' + l.id });
      const id = 'input-' + l.id;
      const label = el('label', { for: id }, l.label);
      div.appendChild(label);
      if (l.kind === 'switch') {
        const input = el('input', { type: 'checkbox', id });
        input.checked = !!values[l.id];
        const out = el('output', {}, input.checked ? ui.on : ui.off);
        input.addEventListener('change', () => { out.textContent = input.checked ? ui.on : ui.off; set(l, input.checked); });
        label.prepend(input, ' ');
        div.appendChild(out);
      } else if (l.kind === 'number') {
        const input = el('input', { type: 'range', id, min: l.min, max: l.max, step: l.step });
        input.value = values[l.id];
        const d = decimals(l.step, l.scale);
        const out = el('output', { for: id });
        const show = () => { out.textContent = num(Number(input.value) * l.scale, d) + ' ' + l.unit; };
        show();
        input.addEventListener('input', () => { show(); set(l, round(Number(input.value), l.step)); });
        div.append(input, out);
      } else if (l.kind === 'choice') {
        const s = el('select', { id });
        for (const [v, t] of l.options) s.appendChild(el('option', { value: v }, t));
        s.value = values[l.id];
        s.addEventListener('change', () => set(l, s.value));
        div.appendChild(s);
      } else if (l.kind === 'set') {
        const opts = el('div', { class: 'opts', id });
        for (const [v, t] of l.options) {
          const c = el('input', { type: 'checkbox', value: v });
          c.checked = values[l.id].includes(v);
          c.addEventListener('change', () => {
            set(l, l.options.map((o) => o[0]).filter((o) => opts.querySelector('input[value="' + o + '"]').checked));
          });
          const lab = el('label');
          lab.append(c, ' ' + t);
          opts.appendChild(lab);
        }
        div.appendChild(opts);
      } else if (l.kind === 'fractions') {
        div.appendChild(schedule(l));
      }
      box.appendChild(div);
    }
    mark();
  }

  function round(x, step) {
    const d = decimals(step, 1);
    return Number((Math.round(x / step) * step).toFixed(d));
  }

  // A cut schedule as two sliders: the final cut and the years to reach it.
  function schedule(l) {
    const cur = values[l.id];
    const wrap = el('div');
    const fin = el('input', { type: 'range', min: 0, max: Math.round(l.max * 100), step: 1, id: 'input-' + l.id });
    fin.value = String(Math.round(100 * (cur.length ? cur[cur.length - 1] : 0)));
    const yrs = el('input', { type: 'range', min: 1, max: Math.min(l.max_len, cfg.years), step: 1, id: 'input-' + l.id + '-years' });
    yrs.value = String(cur.length || Math.min(3, cfg.years));
    const o1 = el('output');
    const o2 = el('output');
    const update = (send) => {
      o1.textContent = ui.cut_final + ': ' + fin.value + '%';
      o2.textContent = ui.cut_years + ' ' + yrs.value + ' ' + ui.years_word;
      if (!send) return;
      const f = Number(fin.value) / 100;
      const n = Number(yrs.value);
      set(l, f === 0 ? [] : Array.from({ length: n }, (_, k) => Number(((f * (k + 1)) / n).toFixed(4))));
    };
    update(false);
    fin.addEventListener('input', () => update(true));
    yrs.addEventListener('input', () => update(true));
    wrap.append(fin, o1, yrs, o2);
    return wrap;
  }

  function set(l, v) {
    values[l.id] = v;
    mark();
    clearTimeout(timer);
    timer = setTimeout(request, 120);
  }

  function mark() {
    for (const l of scenario.levers) {
      const d = document.getElementById('lever-' + l.id);
      if (d) d.classList.toggle('changed', !same(values[l.id], l.default));
    }
  }

  // The changed levers in the address, so a view can be bookmarked.
  function remember() {
    const p = new URLSearchParams();
    if (scenario.index > 0) p.set('baseline', String(scenario.index));
    for (const l of scenario.levers) if (!same(values[l.id], l.default)) p.set(l.id, JSON.stringify(values[l.id]));
    const h = p.toString();
    history.replaceState(null, '', location.pathname + location.search + (h ? '#' + h : ''));
  }

  function body() {
    return JSON.stringify({ baseline: scenario.index, levers: values, lang });
  }

  async function request() {
    remember();
    if (controller) controller.abort();
    controller = new AbortController();
    const my = ++seq;
    const t0 = performance.now();
    status(ui.computing, false);
    $('report').disabled = true;
    try {
      const res = await fetch('/api/run', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body(), signal: controller.signal,
      });
      if (!res.ok) {
        const e = await res.json().catch(() => ({ error: res.statusText }));
        if (my === seq) status(ui.error + ': ' + e.error, true);
        return;
      }
      const reader = res.body.getReader();
      const dec = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line && my === seq) handle(JSON.parse(line), t0);
        }
      }
    } catch (e) {
      if (e.name !== 'AbortError' && my === seq) status(ui.error + ': ' + e.message, true);
    }
  }

  function handle(m, t0) {
    if (m.type === 'superseded') { status(ui.superseded, false); return; }
    const secs = num((performance.now() - t0) / 1000, 1);
    const head = m.type === 'done' ? ui.done : ui.computing;
    status(head + ': ' + m.done + ' ' + ui.of + ' ' + m.total + ' ' + ui.replications + ', ' + secs + ' ' + ui.seconds, false);
    document.body.dataset.state = m.type;
    $('report').disabled = m.type !== 'done';
    document.body.dataset.done = String(m.done);
    draw(m.comparison);
    $('command').textContent = m.command;
  }

  function status(text, bad) {
    const s = $('status');
    s.textContent = text;
    s.classList.toggle('error', bad);
  }

  function draw(c) {
    const box = $('figures');
    box.replaceChildren();
    for (const f of c.figures) {
      const card = el('div', { class: 'figure', id: 'figure-' + f.id });
      card.dataset.last = JSON.stringify(f.last);
      card.appendChild(el('h3', {}, ui[f.id]));
      card.appendChild(el('p', { class: 'unit' }, ui[f.id + '_unit']));
      card.appendChild(el('p', { class: 'reading' }, f.sentence));
      card.appendChild(chart(f, c.years));
      card.appendChild(table(f, c.years));
      box.appendChild(card);
    }
  }

  function money(f) { return f.id === 'cost_gemeente' || f.id === 'budget_balance'; }

  function ticks(lo, hi, n) {
    if (!isFinite(lo) || !isFinite(hi)) return [0];
    if (lo === hi) { lo -= 1; hi += 1; }
    const raw = (hi - lo) / n;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
    const out = [];
    for (let t = Math.floor(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
    return out;
  }

  // Left: baseline and variant per year with their 95% bands (and the
  // Treeknorm); right: the paired difference per year with its interval.
  function chart(f, years) {
    const W = 640, H = 230, top = 24, bottom = 30;
    const svg = sv('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' });
    const scale = money(f) ? 1e6 : 1;
    const val = (x) => (x === null || x === undefined ? NaN : x / scale);
    const yLabel = (t) => num(t, Math.abs(t) < 10 && t % 1 ? 1 : 0) + (money(f) ? (lang === 'nl' ? ' mln' : ' m') : '');
    const panel = (x0, x1, series, zero) => {
      const all = series.flatMap((s) => s.pts.flatMap((p) => [val(p.low), val(p.high), val(p.mean)])).filter(isFinite);
      if (f.norm && !zero) all.push(f.norm);
      if (zero) all.push(0);
      let lo = Math.min(...all), hi = Math.max(...all);
      if (!all.length) { lo = 0; hi = 1; }
      const tk = ticks(lo, hi, 4);
      lo = Math.min(lo, tk[0]); hi = Math.max(hi, tk[tk.length - 1]);
      const left = x0 + 58;
      const y = (v) => top + (H - top - bottom) * (1 - (v - lo) / (hi - lo || 1));
      const x = (i) => left + (years.length < 2 ? (x1 - left) / 2 : ((x1 - left - 10) * i) / (years.length - 1));
      for (const t of tk) {
        svg.appendChild(sv('line', { x1: left, x2: x1, y1: y(t), y2: y(t), stroke: t === 0 && zero ? '#888' : '#e3e3e3' }));
        svg.appendChild(sv('text', { x: left - 4, y: y(t) + 4, 'text-anchor': 'end', class: 'axis' }, yLabel(t)));
      }
      years.forEach((yr, i) => svg.appendChild(sv('text', { x: x(i), y: H - 10, 'text-anchor': 'middle', class: 'axis' }, String(yr))));
      if (f.norm && !zero) {
        svg.appendChild(sv('line', { x1: left, x2: x1, y1: y(f.norm), y2: y(f.norm), stroke: '#b00020', 'stroke-dasharray': '5 3' }));
        svg.appendChild(sv('text', { x: x1, y: y(f.norm) - 4, 'text-anchor': 'end', class: 'axis', fill: '#b00020' }, ui.norm + ' ' + f.norm));
      }
      for (const s of series) {
        const ok = s.pts.map((p, i) => [i, p]).filter(([, p]) => isFinite(val(p.mean)));
        if (s.bars) {
          for (const [i, p] of ok) {
            if (isFinite(val(p.low))) svg.appendChild(sv('line', { x1: x(i), x2: x(i), y1: y(val(p.low)), y2: y(val(p.high)), stroke: s.color, 'stroke-width': 2 }));
            svg.appendChild(sv('circle', { cx: x(i), cy: y(val(p.mean)), r: 4, fill: s.color }));
          }
          continue;
        }
        const band = ok.filter(([, p]) => isFinite(val(p.low)));
        if (band.length > 1) {
          const pts = band.map(([i, p]) => `${x(i)},${y(val(p.high))}`).concat(band.slice().reverse().map(([i, p]) => `${x(i)},${y(val(p.low))}`));
          svg.appendChild(sv('polygon', { points: pts.join(' '), fill: s.color, 'fill-opacity': 0.15 }));
        }
        svg.appendChild(sv('polyline', { points: ok.map(([i, p]) => `${x(i)},${y(val(p.mean))}`).join(' '), fill: 'none', stroke: s.color, 'stroke-width': 2 }));
        for (const [i, p] of ok) svg.appendChild(sv('circle', { cx: x(i), cy: y(val(p.mean)), r: 3, fill: s.color }));
      }
    };
    const base = f.years.map((t) => t.baseline), vari = f.years.map((t) => t.variant), diff = f.years.map((t) => t.difference);
    panel(0, 400, [{ pts: base, color: '#555555' }, { pts: vari, color: '#0072B2' }], false);
    panel(410, W - 6, [{ pts: diff, color: '#D55E00', bars: true }], true);
    const legend = [[ui.baseline_word, '#555555', 62], [ui.variant, '#0072B2', 152], [ui.difference, '#D55E00', 472]];
    for (const [t, c, x] of legend) {
      svg.appendChild(sv('rect', { x, y: 6, width: 12, height: 10, fill: c }));
      svg.appendChild(sv('text', { x: x + 16, y: 15, class: 'legend' }, t));
    }
    return svg;
  }

  function table(f, years) {
    const d = 1;
    const fmt = (e) => {
      if (!e || e.mean === null) return '–';
      const s = money(f) ? 1e6 : 1;
      const dd = money(f) ? 1 : d;
      const unit = money(f) ? (lang === 'nl' ? ' mln' : ' m') : '';
      const ci = e.low === null ? '' : ' (' + num(e.low / s, dd) + ' – ' + num(e.high / s, dd) + ')';
      return num(e.mean / s, dd) + unit + ci;
    };
    const t = el('table');
    const head = el('tr');
    const last = years.length ? years[years.length - 1] : '';
    const span = years.length ? years[0] + '–' + last : '';
    for (const h of ['(' + ui.interval + ')', ui.last_year + ' ' + last, (f.horizon_is_total ? ui.horizon_total : ui.horizon_mean) + ' ' + span]) head.appendChild(el('th', {}, h));
    t.appendChild(head);
    for (const [name, k] of [[ui.baseline_word, 'baseline'], [ui.variant, 'variant'], [ui.difference, 'difference']]) {
      const tr = el('tr');
      tr.appendChild(el('th', {}, name));
      tr.appendChild(el('td', {}, fmt(f.last[k])));
      tr.appendChild(el('td', {}, fmt(f.horizon[k])));
      t.appendChild(tr);
    }
    return t;
  }

  // Fetches a file for this view and offers it as a download.
  async function download(path, fallback) {
    const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body() });
    if (!res.ok) {
      const e = await res.json().catch(() => ({ error: res.statusText }));
      status(ui.error + ': ' + e.error, true);
      return;
    }
    const blob = await res.blob();
    const m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
    const a = el('a', { href: URL.createObjectURL(blob), download: m ? m[1] : fallback });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  start().catch((e) => status('error: ' + e.message, true));
})();

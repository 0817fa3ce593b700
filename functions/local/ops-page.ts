/**
 * The local ops page (`GET /ops`): one self-contained document, no external resources. Its script
 * fetches `/ops/data` every few seconds and redraws the per-function table, a latency bar chart
 * per function (inline SVG) and the stuck generations. Every value is written with textContent,
 * never as HTML, and the script and style carry the per-response CSP nonce.
 */
export const OPS_REFRESH_MS = 3000;

export function opsPageHtml(nonce: string, refreshMs = OPS_REFRESH_MS): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vividly · operations</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header>
  <div>
    <h1>Vividly <span>operations</span></h1>
    <p class="sub">Every function of the local pipeline: invocations, failures and why, latency, queues, stuck generations.</p>
  </div>
  <div class="status"><span id="dot" class="dot"></span><span id="updated">loading…</span></div>
</header>
<form id="keyform" hidden>
  <label for="key">This server requires an API key for operations data.</label>
  <input id="key" type="password" autocomplete="off" placeholder="API key">
  <button type="submit">Show</button>
</form>
<main>
  <section class="cards">
    <div class="card"><div class="label">Invocations</div><div class="value" id="c-invocations">–</div></div>
    <div class="card"><div class="label">Errors</div><div class="value" id="c-errors">–</div><div class="note" id="c-errorrate"></div></div>
    <div class="card"><div class="label">Videos completed</div><div class="value" id="c-completed">–</div></div>
    <div class="card"><div class="label">End to end p50</div><div class="value" id="c-e2e">–</div><div class="note" id="c-e2e-tail"></div></div>
    <div class="card"><div class="label">Open generations</div><div class="value" id="c-open">–</div><div class="note" id="c-openstatus"></div></div>
    <div class="card"><div class="label">Stuck generations</div><div class="value" id="c-stuck">–</div><div class="note" id="c-stall"></div></div>
  </section>
  <section>
    <h2>Functions <span class="hint">recent latency bars:</span><span class="legend"><i class="ok"></i>ok <i class="other"></i>duplicate / ignored <i class="retry"></i>retry <i class="failed"></i>failed, dead-lettered</span></h2>
    <table id="stages">
      <thead><tr>
        <th class="name">Function</th><th>Invocations</th><th>OK</th><th>Errors</th><th class="codes">Top error codes</th>
        <th>p50</th><th>p95</th><th>p99</th><th>Queue</th><th class="chart">Recent latency</th>
      </tr></thead>
      <tbody></tbody>
    </table>
  </section>
  <section>
    <h2>Stuck generations <span class="hint" id="stuck-hint"></span></h2>
    <table id="stuck">
      <thead><tr><th class="name">Generation</th><th class="name">Status</th><th class="name">Waiting at</th><th>No update for</th><th>Attempts</th></tr></thead>
      <tbody></tbody>
    </table>
    <p id="stuck-none" class="none" hidden>None: every open generation moved recently.</p>
  </section>
</main>
<footer id="footer"></footer>
<script nonce="${nonce}">
const REFRESH_MS = ${Number(refreshMs)};
${SCRIPT}
</script>
</body>
</html>
`;
}

const STYLE = `
:root { --bg:#f5f6f8; --card:#fff; --ink:#1c2430; --muted:#687385; --line:#e3e6eb; --ok:#3b82f6; --retry:#f59e0b; --bad:#dc2626; --good:#16a34a; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink); font:14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
header { display:flex; justify-content:space-between; align-items:flex-end; gap:24px; padding:20px 28px 12px; }
h1 { margin:0; font-size:22px; font-weight:650; letter-spacing:-0.01em; }
h1 span { color:var(--muted); font-weight:500; }
.sub { margin:4px 0 0; color:var(--muted); }
.status { color:var(--muted); white-space:nowrap; display:flex; align-items:center; gap:8px; }
.dot { width:9px; height:9px; border-radius:50%; background:#b8bfca; display:inline-block; }
.dot.live { background:var(--good); }
.dot.down { background:var(--bad); }
main { padding:0 28px 12px; }
.cards { display:grid; grid-template-columns:repeat(6, minmax(0, 1fr)); gap:12px; margin:8px 0 20px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
.card .label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:0.04em; }
.card .value { font-size:24px; font-weight:600; margin-top:2px; font-variant-numeric:tabular-nums; }
.card .note { color:var(--muted); font-size:12px; min-height:17px; }
.card .value.bad { color:var(--bad); }
h2 { font-size:15px; margin:0 0 8px; font-weight:600; }
h2 .hint { color:var(--muted); font-weight:400; font-size:13px; margin-left:6px; }
section { margin-bottom:22px; }
table { width:100%; border-collapse:separate; border-spacing:0; background:var(--card); border:1px solid var(--line); border-radius:8px; overflow:hidden; }
th, td { padding:8px 12px; text-align:right; border-bottom:1px solid var(--line); font-variant-numeric:tabular-nums; vertical-align:middle; }
tbody tr:last-child td { border-bottom:0; }
th { background:#fafbfc; color:var(--muted); font-weight:600; font-size:12px; text-transform:uppercase; letter-spacing:0.03em; }
th.name, td.name, th.codes, td.codes { text-align:left; }
th.chart, td.chart { text-align:left; width:250px; white-space:nowrap; }
td.name { font-weight:600; }
td.zero { color:#a3abb8; }
td.bad { color:var(--bad); font-weight:600; }
td.codes { color:var(--muted); font-size:12px; font-family:ui-monospace, "DejaVu Sans Mono", monospace; }
td.codes span { display:inline-block; margin-right:10px; white-space:nowrap; }
td.codes span b { color:var(--bad); font-weight:600; }
td.id { font-family:ui-monospace, "DejaVu Sans Mono", monospace; font-size:12px; text-align:left; }
td.chart svg { display:block; }
.chart-wrap { display:flex; align-items:center; gap:8px; }
.chart-max { color:var(--muted); font-size:11px; white-space:nowrap; }
.legend { font-weight:400; font-size:13px; color:var(--muted); }
.legend i { display:inline-block; width:8px; height:8px; border-radius:2px; margin:0 3px 0 6px; }
.legend i.ok, rect.ok { background:var(--ok); fill:var(--ok); }
.legend i.retry, rect.retry { background:var(--retry); fill:var(--retry); }
.legend i.failed, rect.failed { background:var(--bad); fill:var(--bad); }
.legend i.other, rect.other { background:#a9b4c4; fill:#a9b4c4; }
.none { color:var(--muted); background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 14px; margin:0; }
footer { color:var(--muted); font-size:12px; padding:0 28px 24px; }
#keyform { margin:0 28px 16px; padding:12px 14px; background:#fff7ed; border:1px solid #fed7aa; border-radius:8px; display:flex; gap:10px; align-items:center; }
#keyform[hidden] { display:none; }
#keyform input { padding:6px 8px; border:1px solid var(--line); border-radius:6px; min-width:260px; }
#keyform button { padding:6px 14px; border:0; border-radius:6px; background:var(--ink); color:#fff; cursor:pointer; }
@media (max-width: 1100px) { .cards { grid-template-columns:repeat(3, minmax(0, 1fr)); } th.chart, td.chart { width:auto; } }
`;

// Plain browser JavaScript (no build step, no libraries), kept in a string so the page is one document.
const SCRIPT = String.raw`
const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
const KEY_STORE = 'vividly-ops-key';
let apiKey = sessionStorage.getItem(KEY_STORE) || '';
// A key may be handed over in the fragment (#key=...), which never reaches the server's logs.
const fromHash = new URLSearchParams(location.hash.slice(1)).get('key');
if (fromHash) { apiKey = fromHash; sessionStorage.setItem(KEY_STORE, apiKey); history.replaceState(null, '', location.pathname); }

function ms(n) {
  if (n === null || n === undefined) return '–';
  if (n < 1000) return Math.round(n) + ' ms';
  if (n < 60000) return (n / 1000).toFixed(n < 10000 ? 2 : 1) + ' s';
  return (n / 60000).toFixed(1) + ' min';
}
function age(s) {
  if (s < 120) return Math.round(s) + ' s';
  if (s < 7200) return Math.round(s / 60) + ' min';
  return (s / 3600).toFixed(1) + ' h';
}
function el(tag, opts, children) {
  const e = document.createElement(tag);
  if (opts && opts.cls) e.className = opts.cls;
  if (opts && opts.field) e.dataset.field = opts.field;
  if (opts && opts.text !== undefined) e.textContent = String(opts.text);
  for (const c of children || []) e.appendChild(c);
  return e;
}
function outcomeClass(o) {
  return o === 'ok' ? 'ok' : o === 'retry' ? 'retry' : o === 'failed' || o === 'dead-lettered' ? 'failed' : 'other';
}

// A bar per recent invocation (the last 40), colour by outcome. Heights on a square-root scale, so
// a fast failure next to a slow success still shows; every bar's title gives its exact duration.
function latencyChart(recent) {
  const W = 170, H = 30, shown = recent.slice(-40);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', W); svg.setAttribute('height', H); svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
  svg.setAttribute('role', 'img');
  const base = document.createElementNS(SVG, 'line');
  base.setAttribute('x1', 0); base.setAttribute('x2', W); base.setAttribute('y1', H - 0.5); base.setAttribute('y2', H - 0.5);
  base.setAttribute('stroke', '#d5dae1');
  svg.appendChild(base);
  const max = Math.max(1, ...shown.map((r) => r[0]));
  const step = W / Math.max(16, shown.length), bw = Math.max(1.5, step * 0.72);
  shown.forEach(([d, outcome], i) => {
    const c = outcomeClass(outcome);
    const h = Math.max(c === 'retry' || c === 'failed' ? 4 : 1.5, Math.sqrt(d / max) * (H - 2));
    const r = document.createElementNS(SVG, 'rect');
    r.setAttribute('x', (i * step).toFixed(1)); r.setAttribute('y', (H - 1 - h).toFixed(1));
    r.setAttribute('width', bw.toFixed(1)); r.setAttribute('height', h.toFixed(1)); r.setAttribute('rx', 1);
    r.setAttribute('class', c);
    const t = document.createElementNS(SVG, 'title');
    t.textContent = ms(d) + ' (' + outcome + ')';
    r.appendChild(t);
    svg.appendChild(r);
  });
  const wrap = el('div', { cls: 'chart-wrap' }, [svg]);
  if (shown.length) wrap.appendChild(el('span', { cls: 'chart-max', text: 'max ' + ms(max) }));
  return wrap;
}

function num(field, n, opts) {
  const cls = n === 0 ? 'zero' : opts && opts.bad ? 'bad' : '';
  return el('td', { cls, field, text: n });
}

function renderStages(stages) {
  const body = document.querySelector('#stages tbody');
  const rows = stages.map((s) => {
    const codes = el('td', { cls: 'codes', field: 'codes' });
    if (s.errorCodes.length === 0) codes.textContent = '–';
    for (const c of s.errorCodes.slice(0, 3)) {
      const span = el('span', { text: c.code + ' ' });
      span.appendChild(el('b', { text: '×' + c.count }));
      codes.appendChild(span);
    }
    const queue = s.queueDepth === null ? '–' : s.queueDepth + (s.queueDepth > 0 ? ' (' + age(s.oldestPendingSeconds) + ')' : '');
    const tr = el('tr', {}, [
      el('td', { cls: 'name', field: 'stage', text: s.stage }),
      num('count', s.count),
      num('ok', s.outcomes.ok),
      num('errors', s.errors, { bad: true }),
      codes,
      el('td', { field: 'p50', text: ms(s.latencyMs.p50) }),
      el('td', { field: 'p95', text: ms(s.latencyMs.p95) }),
      el('td', { field: 'p99', text: ms(s.latencyMs.p99) }),
      el('td', { cls: s.queueDepth ? '' : 'zero', field: 'queue', text: queue }),
      el('td', { cls: 'chart', field: 'chart' }, [latencyChart(s.recent)]),
    ]);
    tr.dataset.stage = s.stage;
    return tr;
  });
  body.replaceChildren(...rows);
}

function renderStuck(data) {
  const body = document.querySelector('#stuck tbody');
  body.replaceChildren(...data.stuck.slice(0, 50).map((g) => {
    const tr = el('tr', {}, [
      el('td', { cls: 'id', field: 'id', text: g.id }),
      el('td', { cls: 'name', field: 'status', text: g.status }),
      el('td', { cls: 'name', field: 'stage', text: g.stage }),
      el('td', { field: 'age', text: age(g.ageSeconds) }),
      el('td', { field: 'attempts', text: g.attempts }),
    ]);
    tr.dataset.generation = g.id;
    return tr;
  }));
  $('stuck').hidden = data.stuck.length === 0;
  $('stuck-none').hidden = data.stuck.length !== 0;
  $('stuck-hint').textContent = 'open and not updated for ' + age(data.stallSeconds) + ' or more';
}

function render(data) {
  const t = data.totals;
  $('c-invocations').textContent = t.invocations;
  $('c-errors').textContent = t.errors;
  $('c-errors').classList.toggle('bad', t.errors > 0);
  $('c-errorrate').textContent = t.invocations ? (100 * t.errors / t.invocations).toFixed(1) + '% of invocations' : '';
  $('c-completed').textContent = data.generations.completed;
  const e2e = data.generations.latencyMs;
  $('c-e2e').textContent = e2e.sampleSize ? ms(e2e.p50) : '–';
  $('c-e2e-tail').textContent = e2e.sampleSize ? 'p95 ' + ms(e2e.p95) + ' · p99 ' + ms(e2e.p99) : 'request to video';
  const open = Object.entries(data.openGenerations);
  $('c-open').textContent = open.reduce((n, [, c]) => n + c, 0);
  $('c-openstatus').textContent = open.map(([s, c]) => s + ' ' + c).join(', ');
  $('c-stuck').textContent = data.stuck.length;
  $('c-stuck').classList.toggle('bad', data.stuck.length > 0);
  $('c-stall').textContent = 'no update for ' + age(data.stallSeconds);
  renderStages(data.stages);
  renderStuck(data);
  $('footer').textContent = 'Counts since this server started. Percentiles are ' + data.percentiles +
    ' (Prometheus estimates them from histogram buckets at /metrics). Queue: unacknowledged messages (age of the oldest).';
  document.body.dataset.generatedAt = data.generatedAt;
}

async function refresh() {
  try {
    const res = await fetch('/ops/data', { headers: apiKey ? { authorization: 'Bearer ' + apiKey } : {}, cache: 'no-store' });
    if (res.status === 401) {
      $('keyform').hidden = false;
      $('dot').className = 'dot down';
      $('updated').textContent = 'API key required';
      return;
    }
    if (!res.ok) throw new Error('HTTP ' + res.status);
    render(await res.json());
    $('keyform').hidden = true;
    $('dot').className = 'dot live';
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString() + ' · every ' + REFRESH_MS / 1000 + ' s';
  } catch (err) {
    $('dot').className = 'dot down';
    $('updated').textContent = 'cannot reach the server (' + (err && err.message ? err.message : err) + '), retrying';
  }
}

$('keyform').addEventListener('submit', (e) => {
  e.preventDefault();
  apiKey = $('key').value.trim();
  sessionStorage.setItem(KEY_STORE, apiKey);
  refresh();
});
refresh();
setInterval(refresh, REFRESH_MS);
`;

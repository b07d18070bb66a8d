// Open Ticket AI KPI dashboard: reads GET /kpis, draws with the vendored Chart.js, and lists each model's versions
// (GET /models/{name}/versions) with the heads a candidate adds or drops, promoting one on request.
// Every chart has a caption with a one-line summary and a screen-reader table holding the same numbers.
import { el, apiFetch, askForKeyIfRefused, problemText, rememberKey, showError } from './common.js';
import { loadVersions } from './versions.js';

const day = 24 * 60 * 60 * 1000;
const colors = { blue: '#0b5cad', green: '#1a7f37', orange: '#bc4c00', red: '#b42318', purple: '#8250df' };
const charts = new Map();

const percent = (value) => value == null ? '–' : `${(value * 100).toFixed(1)} %`;
const count = (value) => value == null ? '–' : value.toLocaleString('en');
const duration = (seconds) => {
  if (seconds == null) return '–';
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 2 * 3600) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
};
const isoDay = (date) => date.toISOString().slice(0, 10);
const share = (part, whole) => whole > 0 ? part / whole : null;
const misrouteRate = (queues) => {
  const routed = queues.reduce((sum, q) => sum + q.routed, 0);
  return share(queues.reduce((sum, q) => sum + q.misrouted, 0), routed);
};
const headAccuracy = (figures, head) => figures.heads.find((h) => h.head === head)?.accuracy ?? null;

// The series charts: what each one plots from a KpiPoint, and how its values read.
const seriesCharts = [
  { id: 'predictions', title: 'Predictions', value: (p) => p.predictions, format: count, color: colors.blue, type: 'bar', total: true },
  { id: 'auto-applied', title: 'Auto-applied share', value: (p) => share(p.autoApplied, p.predictions), format: percent, color: colors.green, ratio: true },
  { id: 'queue-accuracy', title: 'Queue accuracy (from feedback)', value: (p) => p.queueAccuracy, format: percent, color: colors.purple, ratio: true },
  { id: 'misroute-rate', title: 'Misroute rate', value: (p) => p.misrouteRate, format: percent, color: colors.red, ratio: true },
  { id: 'first-response', title: 'Median time to first response', value: (p) => p.medianTimeToFirstResponseSeconds, format: duration, color: colors.orange, hours: true },
];

function figure(id, title) {
  const caption = el('figcaption', { id: `caption-${id}` }, [title, el('span', { className: 'summary', id: `summary-${id}` })]);
  const canvas = el('canvas', { id: `chart-${id}` });
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-labelledby', `caption-${id}`);
  const table = el('table', { className: 'sr-only', id: `table-${id}` });
  return el('figure', { id: `figure-${id}` }, [caption, el('div', { className: 'canvas-box' }, [canvas]), table]);
}

function fillTable(table, caption, headers, rows) {
  table.replaceChildren(
    el('caption', { textContent: caption }),
    el('thead', {}, [el('tr', {}, headers.map((h) => el('th', { scope: 'col', textContent: h })))]),
    el('tbody', {}, rows.map((row) => el('tr', {}, row.map((cell, i) => i === 0
      ? el('th', { scope: 'row', textContent: cell })
      : el('td', { textContent: cell }))))));
}

function draw(id, config) {
  charts.get(id)?.destroy();
  const canvas = document.getElementById(`chart-${id}`);
  charts.set(id, new Chart(canvas, config));
}

function baseOptions(spec) {
  return {
    animation: false,
    maintainAspectRatio: false,
    plugins: {
      legend: { display: false },
      tooltip: { callbacks: { label: (ctx) => spec.format(spec.hours ? ctx.parsed.y * 3600 : spec.ratio ? ctx.parsed.y / 100 : ctx.parsed.y) } },
    },
    scales: {
      y: {
        beginAtZero: true,
        ...(spec.ratio ? { max: 100, title: { display: true, text: '%' } } : {}),
        ...(spec.hours ? { title: { display: true, text: 'hours' } } : {}),
      },
    },
  };
}

function renderSeries(report) {
  const container = document.getElementById('series-charts');
  if (!container.childElementCount) {
    for (const spec of seriesCharts) container.append(figure(spec.id, spec.title));
  }

  const labels = report.series.map((p) => p.start.slice(0, 16).replace('T', ' '));
  for (const spec of seriesCharts) {
    const values = report.series.map(spec.value);
    const plotted = values.map((v) => v == null ? null : spec.ratio ? v * 100 : spec.hours ? v / 3600 : v);
    draw(spec.id, {
      type: spec.type ?? 'line',
      data: { labels, datasets: [{ label: spec.title, data: plotted, borderColor: spec.color, backgroundColor: spec.color, spanGaps: false, pointRadius: 3 }] },
      options: baseOptions(spec),
    });
    const known = values.filter((v) => v != null);
    document.getElementById(`summary-${spec.id}`).textContent = spec.total
      ? `${count(known.reduce((sum, v) => sum + v, 0))} in ${values.length} buckets; busiest bucket ${count(Math.max(0, ...known))}.`
      : known.length
      ? `${known.length} of ${values.length} buckets with data; latest ${spec.format(known[known.length - 1])}.`
      : `No data in ${values.length} buckets.`;
    fillTable(document.getElementById(`table-${spec.id}`), `${spec.title} per bucket (UTC start)`, ['Bucket start', spec.title],
      report.series.map((p, i) => [labels[i], spec.format(values[i])]));
  }
}

function renderMisrouting(report) {
  const container = document.getElementById('misrouting-chart');
  if (!container.childElementCount) container.append(figure('misrouting', 'Misroute rate per predicted queue'));
  const queues = report.overall.queues.filter((q) => q.routed > 0).sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0) || a.queue.localeCompare(b.queue));
  draw('misrouting', {
    type: 'bar',
    data: {
      labels: queues.map((q) => q.queue),
      datasets: [{ label: 'Misroute rate', data: queues.map((q) => q.rate * 100), backgroundColor: colors.red }],
    },
    options: {
      ...baseOptions({ format: percent, ratio: true }),
      indexAxis: 'y',
      scales: { x: { beginAtZero: true, max: 100, title: { display: true, text: '% of routed tickets moved elsewhere' } } },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (ctx) => `${percent(queues[ctx.dataIndex].rate)} (${queues[ctx.dataIndex].misrouted} of ${queues[ctx.dataIndex].routed})` } },
      },
    },
  });
  const worst = queues[0];
  document.getElementById('summary-misrouting').textContent = worst
    ? `${queues.length} queues; highest: ${worst.queue} at ${percent(worst.rate)} (${worst.misrouted} of ${worst.routed}).`
    : 'No tickets routed in this window.';
  fillTable(document.getElementById('table-misrouting'), 'Misrouting per predicted queue', ['Queue', 'Routed', 'Misrouted', 'Misroute rate'],
    queues.map((q) => [q.queue, count(q.routed), count(q.misrouted), percent(q.rate)]));
}

function renderTotals(report) {
  const o = report.overall;
  const tiles = [
    ['Predictions', count(o.predictions)],
    ['Auto-applied', percent(o.autoAppliedShare)],
    ['Sent to review', count(o.sentToReview)],
    ['Queue accuracy', percent(headAccuracy(o, 'queue'))],
    ['Misroute rate', percent(misrouteRate(o.queues))],
    ['Median first response', duration(o.medianTimeToFirstResponseSeconds)],
    ['Median resolution', duration(o.medianResolutionSeconds)],
  ];
  document.getElementById('totals').replaceChildren(...tiles.map(([name, value]) =>
    el('div', {}, [el('dt', { textContent: name }), el('dd', { textContent: value })])));
}

function renderVersions(report) {
  const heads = [...new Set(report.versions.flatMap((v) => v.heads.map((h) => h.head)))].sort();
  const table = document.getElementById('versions');
  const headers = ['Model', 'Version', 'Predictions', 'Auto-applied', ...heads.map((h) => `${h} accuracy`), 'Misroute rate', 'Median first response', 'Median resolution'];
  table.tHead.replaceChildren(el('tr', {}, headers.map((h) => el('th', { scope: 'col', textContent: h }))));
  const rows = report.versions.map((v) => [
    v.model ?? '–', v.modelVersion ?? '–', count(v.predictions), percent(v.autoAppliedShare),
    ...heads.map((h) => {
      const kpi = v.heads.find((x) => x.head === h);
      return kpi?.accuracy == null ? '–' : `${percent(kpi.accuracy)} (${kpi.correct}/${kpi.judged})`;
    }),
    percent(misrouteRate(v.queues)), duration(v.medianTimeToFirstResponseSeconds), duration(v.medianResolutionSeconds),
  ]);
  table.tBodies[0].replaceChildren(...(rows.length
    ? rows.map((row) => el('tr', {}, row.map((cell, i) => i < 2 ? el('th', { scope: 'row', textContent: cell }) : el('td', { textContent: cell }))))
    : [el('tr', {}, [el('td', { colSpan: headers.length, textContent: 'No predictions in this window.' })])]));
}

// Models seen in any window so far: the list needs no scope beyond the one the KPIs need.
function addModels(report) {
  const select = document.getElementById('model');
  const known = new Set([...select.options].map((o) => o.value));
  for (const name of report.versions.map((v) => v.model).filter((m) => m && !known.has(m)).sort()) {
    select.append(el('option', { value: name, textContent: name }));
    known.add(name);
  }
}

async function load() {
  const form = new FormData(document.getElementById('filters'));
  const from = new Date(`${form.get('from')}T00:00:00Z`);
  const to = new Date(new Date(`${form.get('to')}T00:00:00Z`).getTime() + day);
  const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
  // Hourly points for a day or two, daily points beyond.
  query.set('bucket', to - from <= 2 * day ? '1h' : '1d');
  if (form.get('model')) query.set('model', form.get('model'));
  history.replaceState(null, '', `?${new URLSearchParams({ from: form.get('from'), to: form.get('to'), model: form.get('model') ?? '' })}`);

  const status = document.getElementById('status');
  const error = document.getElementById('error');
  status.textContent = 'Loading…';
  document.body.removeAttribute('data-loaded');
  rememberKey();
  loadVersions().catch((failure) => showError(document.getElementById('versions-error'), `Could not load model versions: ${failure.message}`));
  const response = await apiFetch(`/kpis?${query}`);
  askForKeyIfRefused(response);
  if (!response.ok) {
    error.textContent = `Could not load KPIs: ${await problemText(response)}`;
    error.hidden = false;
    status.textContent = '';
    return;
  }

  const report = await response.json();
  error.hidden = true;
  addModels(report);
  renderTotals(report);
  renderSeries(report);
  renderMisrouting(report);
  renderVersions(report);
  status.textContent = `${count(report.overall.predictions)} predictions from ${report.from.slice(0, 10)} to ${report.to.slice(0, 10)} (UTC)${report.model ? ` for model ${report.model}` : ''}.`;
  document.body.dataset.loaded = 'true';
}

async function start() {
  const params = new URLSearchParams(location.search);
  const today = new Date();
  document.getElementById('from').value = params.get('from') ?? isoDay(new Date(today.getTime() - 6 * day));
  document.getElementById('to').value = params.get('to') ?? isoDay(today);
  const model = params.get('model');
  if (model) document.getElementById('model').append(el('option', { value: model, textContent: model, selected: true }));
  document.getElementById('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    load().catch(showFailure);
  });
  await load();
}

function showFailure(failure) {
  const error = document.getElementById('error');
  error.textContent = `Could not load KPIs: ${failure.message}`;
  error.hidden = false;
}

start().catch(showFailure);

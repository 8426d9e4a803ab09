// Hookline admin console: vanilla JS over /admin/api. Data is only ever inserted as text, never as
// HTML (event bodies and headers come from the outside world).
'use strict';

const TOKEN_KEY = 'hookline.adminToken';
const $ = (id) => document.getElementById(id);
const state = { view: 'overview', requestsCursor: null, requestSelected: null, charts: [], cursor: null, deadCursor: null, selected: null, job: null, jobTimer: null, sources: [] };

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : 'HTTP ' + status);
    this.status = status;
    this.reason = body && body.reason;
    this.parameter = body && body.parameter;
  }
}

async function api(method, path, body) {
  const headers = { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch('api/' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, { error: 'The node did not answer (' + e.message + ').' });
  }
  let json = null;
  try { json = await response.json(); } catch (e) { json = null; }
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin('That token was not accepted. Enter the admin or read-only token again.');
    throw new ApiError(401, json);
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

// ---------------------------------------------------------------- small helpers

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** UUIDv7 ids share their leading (time) digits: the tail tells them apart. */
function shortId(id) {
  return el('span', { class: 'mono', title: id, 'data-full-id': id, text: '…' + id.slice(-12) });
}

function time(iso) {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace('Z', '') : '';
}

function badge(status, text) {
  return el('span', { class: 'badge s-' + status, text: text || status });
}

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = !message;
}

function showNotice(message) {
  const box = $('notice');
  box.textContent = message;
  box.hidden = !message;
  if (message) setTimeout(() => { if (box.textContent === message) box.hidden = true; }, 5000);
}

function explain(e) {
  if (e.status === 401) return;
  const what = e.parameter ? ' (parameter "' + e.parameter + '")' : '';
  showError(e.message + what);
}

// ---------------------------------------------------------------- sign-in and views

function showLogin(message) {
  $('login').hidden = false;
  $('nav').hidden = true;
  $('sign-out').hidden = true;
  $('role').hidden = true;
  for (const v of document.querySelectorAll('.view')) v.hidden = true;
  showError(message || '');
  $('token').value = '';
  $('token').focus();
}

async function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  let who;
  try {
    who = await api('GET', 'whoami');
    await loadSources();
  } catch (e) {
    explain(e);
    return;
  }
  // The read-only role sees no button that would only be refused (403).
  document.body.classList.toggle('read-only', who.role !== 'admin');
  $('role').textContent = who.role === 'admin' ? 'admin' : 'read-only';
  $('role').hidden = false;
  showError('');
  $('login').hidden = true;
  $('nav').hidden = false;
  $('sign-out').hidden = false;
  show(state.view);
}

function show(view) {
  state.view = view;
  for (const v of ['overview', 'events', 'requests', 'dead', 'sources', 'destinations']) {
    $('view-' + v).hidden = v !== view;
    $('nav-' + v).classList.toggle('active', v === view);
  }
  showError('');
  if (view === 'overview') loadOverview();
  if (view === 'requests') loadRequests(false);
  if (view === 'events') loadEvents(false);
  if (view === 'dead') loadDead(false);
  if (view === 'sources') loadSources().then(renderSources).catch(explain);
  if (view === 'destinations') loadDestinations();
}

// ---------------------------------------------------------------- sources

async function loadSources() {
  const json = await api('GET', 'sources');
  state.sources = json.sources;
  for (const id of ['filter-source', 'bulk-source', 'requests-source', 'overview-source']) {
    const select = $(id);
    const current = select.value;
    select.replaceChildren(el('option', { value: '', text: id === 'overview-source' ? 'all' : 'any' }),
      ...json.sources.map((s) => el('option', { value: s.id, text: s.id })));
    select.value = current;
  }
  return json.sources;
}

function renderSources(sources) {
  const body = $('sources-body');
  body.replaceChildren(...sources.map((s) => el('tr', { 'data-source': s.id },
    el('td', { class: 'mono', text: s.id }), el('td', { text: s.provider || '(not configured)' }),
    el('td', { text: s.destinations.join(', ') || '—' }),
    ...['pending', 'delivered', 'dead', 'gone'].map((k) => el('td', { class: 'count-' + k, text: String(s.deliveries[k]) })))));
  $('sources-empty').hidden = sources.length > 0;
}

// ---------------------------------------------------------------- destinations

async function loadDestinations() {
  let json;
  try {
    json = await api('GET', 'destinations');
  } catch (e) {
    explain(e);
    return;
  }
  const body = $('destinations-body');
  body.replaceChildren(...json.destinations.map((d) => {
    const action = d.state === 'paused' ? 'resume' : 'pause';
    return el('tr', { 'data-source': d.source, 'data-destination': d.id },
      el('td', { class: 'mono', text: d.source }), el('td', { class: 'mono', text: d.id }),
      el('td', { class: 'state state-' + d.state, text: d.state }), el('td', { text: String(d.pending) }),
      el('td', {}, el('button', { type: 'button', class: 'secondary mutating ' + action, text: action === 'pause' ? 'Pause' : 'Resume',
        onclick: () => setPaused(d.source, d.id, action) }), ' ',
        el('button', { type: 'button', class: 'secondary mutating test', text: 'Test', onclick: () => openTest(d.source, d.id) })));
  }));
  $('destinations-empty').hidden = json.destinations.length > 0;
}

async function setPaused(source, id, action) {
  try {
    await api('POST', 'destinations/' + encodeURIComponent(source) + '/' + encodeURIComponent(id) + '/' + action);
  } catch (e) {
    explain(e);
    return;
  }
  loadDestinations();
}

// ---------------------------------------------------------------- destination test panel

/** Opens the Test panel for a destination, with the source's recent events to pick from. */
async function openTest(source, id) {
  state.test = { source, id };
  $('test-target').textContent = source + ' / ' + id;
  $('test-result').hidden = true;
  let json;
  try {
    json = await api('GET', 'events?' + new URLSearchParams({ source, limit: '50' }).toString());
  } catch (e) {
    explain(e);
    return;
  }
  $('test-event').replaceChildren(...json.events.map((e) => el('option', { value: e.id,
    text: time(e.receivedAt) + '  ' + (e.type || '(no type)') + '  ' + e.providerEventId })));
  $('test-panel').hidden = false;
  $('test-run').disabled = json.events.length === 0;
  if (!json.events.length) showNotice('No stored events of ' + source + ' to test with yet.');
}

async function runTest(ev) {
  ev.preventDefault();
  const t = state.test;
  const body = { event: $('test-event').value };
  const filter = $('test-filter').value.trim();
  if (filter) body.filter = filter;
  const transform = {};
  const tb = $('test-transform-body').value.trim();
  const th = $('test-transform-headers').value.trim();
  const tp = $('test-transform-path').value.trim();
  if (tb) transform.body = tb;
  if (tp) transform.path = tp;
  if (th) {
    try {
      transform.headers = JSON.parse(th);
    } catch (e) {
      showError('Transform headers must be a JSON object of header name to CEL expression.');
      return;
    }
  }
  if (Object.keys(transform).length) body.transform = transform;
  let r;
  try {
    r = await api('POST', 'destinations/' + encodeURIComponent(t.source) + '/' + encodeURIComponent(t.id) + '/test', body);
  } catch (e) {
    explain(e);
    return;
  }
  $('error').hidden = true;
  $('test-matched').replaceChildren(badge(r.matched ? 'delivered' : 'dead', r.matched ? 'matches: would be delivered' : 'filtered: no delivery'));
  $('test-error').textContent = r.error || '';
  $('test-path').textContent = r.path === null ? '—' : (r.path || '(none)');
  $('test-headers').textContent = r.headers === null ? '—' : JSON.stringify(r.headers, null, 2);
  $('test-body').textContent = r.body === null ? '—' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body, null, 2);
  $('test-result').hidden = false;
}

// ---------------------------------------------------------------- events

function filterQuery() {
  const q = new URLSearchParams();
  const fields = { source: 'filter-source', destination: 'filter-destination', status: 'filter-status',
    type: 'filter-type', providerEventId: 'filter-provider-id', since: 'filter-since', until: 'filter-until' };
  for (const [name, id] of Object.entries(fields)) {
    const v = $(id).value.trim();
    if (v) q.set(name, v);
  }
  return q;
}

function deliveryBadges(deliveries) {
  if (!deliveries.length) return el('span', { class: 'muted', text: 'no destinations' });
  return el('span', {}, ...deliveries.map((d) => badge(d.status, d.destination + ': ' + d.status)));
}

/** One page of the event list: null (the error shown) on failure; a first page empties the table. */
async function eventsPage(q, cursor, bodyId, more) {
  if (more && cursor) q.set('cursor', cursor);
  let json;
  try {
    json = await api('GET', 'events?' + q.toString());
  } catch (e) {
    explain(e);
    return null;
  }
  if (!more) $(bodyId).replaceChildren();
  return json;
}

async function loadEvents(more) {
  const q = filterQuery();
  q.set('limit', '50');
  const json = await eventsPage(q, state.cursor, 'events-body', more);
  if (!json) return;
  const body = $('events-body');
  for (const e of json.events) {
    const row = el('tr', { class: 'event-row', 'data-id': e.id, onclick: () => openEvent(e.id) },
      el('td', { class: 'mono col-received', text: time(e.receivedAt) }), el('td', { class: 'col-id' }, shortId(e.id)),
      el('td', { class: 'col-source', text: e.source }), el('td', { class: 'col-type', text: e.type || '' }),
      el('td', { class: 'mono col-provider-id', text: e.providerEventId }),
      el('td', { class: 'col-deliveries' }, deliveryBadges(e.deliveries)));
    if (e.id === state.selected) row.classList.add('selected');
    body.append(row);
  }
  state.cursor = json.nextCursor;
  $('load-more').hidden = !json.nextCursor;
  $('events-empty').hidden = body.children.length > 0;
  $('events-table').hidden = body.children.length === 0;
}

async function openEvent(id) {
  state.selected = id;
  for (const r of document.querySelectorAll('tr.event-row')) r.classList.toggle('selected', r.dataset.id === id);
  let e;
  try {
    e = await api('GET', 'events/' + id);
  } catch (err) {
    explain(err);
    return;
  }
  renderDetail(e);
  return e;
}

function renderBody(e, id = 'event-body') {
  if (e.body === null) {
    return [el('p', { class: 'muted', text: 'The body is not UTF-8 text (' + atob(e.bodyBase64).length + ' bytes); base64:' }),
      el('pre', { id, text: e.bodyBase64 })];
  }
  let text = e.body;
  let note = 'raw';
  if ((e.contentType || '').includes('json') || /^\s*[[{]/.test(text)) {
    try {
      text = JSON.stringify(JSON.parse(text), null, 2);
      note = 'JSON, pretty-printed';
    } catch (ignored) {
      note = 'raw (not valid JSON)';
    }
  }
  return [el('p', { class: 'muted', text: note }), el('pre', { id, text: text || '(empty body)' })];
}

function renderDelivery(eventId, d) {
  const history = d.history || [];
  const timeline = history.length
    ? el('ol', { class: 'timeline' }, ...history.map((a) => el('li', { class: 'attempt', 'data-round': a.round, 'data-attempt': a.attempt },
      badge(a.outcome === 'delivered' ? 'delivered' : a.outcome === 'dead' ? 'dead' : a.outcome === 'gone' ? 'gone' : 'pending', a.outcome),
      ' round ' + a.round + ', attempt ' + a.attempt + ' · ' + time(a.startedAt) + ' · ' +
        (a.statusCode === null ? 'no answer' : 'HTTP ' + a.statusCode) + ' · ' + a.latencyMs + ' ms · ' + a.node +
        (a.error ? ' · ' + a.error : ''))))
    : el('p', { class: 'muted', text: 'No attempt yet.' });
  return el('div', { class: 'delivery', 'data-destination': d.destination },
    el('div', { class: 'delivery-head' }, el('strong', { text: d.destination }), badge(d.status),
      el('span', { class: 'muted', text: 'round ' + d.round + ', ' + d.attempts + (d.attempts === 1 ? ' attempt' : ' attempts') +
        (d.nextAttemptAt ? ', next ' + time(d.nextAttemptAt) : '') }),
      el('button', { type: 'button', class: 'small secondary replay-delivery mutating', 'data-destination': d.destination,
        onclick: () => replay(eventId, d.destination) }, 'Replay to ' + d.destination)),
    timeline);
}

function renderDetail(e) {
  const box = $('detail');
  box.hidden = false;
  box.parentElement.classList.add('with-detail');
  box.replaceChildren(
    el('div', { class: 'delivery-head' }, el('h2', { text: 'Event' }),
      el('button', { type: 'button', id: 'replay-event', class: 'mutating', onclick: () => replay(e.id, null) }, 'Replay to all destinations'),
      el('button', { type: 'button', class: 'secondary', id: 'close-detail', onclick: closeDetail }, 'Close')),
    el('dl', {},
      el('dt', { text: 'Id' }), el('dd', { class: 'mono', id: 'detail-id', text: e.id }),
      el('dt', { text: 'Source' }), el('dd', { text: e.source }),
      el('dt', { text: 'Type' }), el('dd', { text: e.type || '—' }),
      el('dt', { text: 'Provider id' }), el('dd', { class: 'mono', text: e.providerEventId }),
      el('dt', { text: 'Received' }), el('dd', { text: time(e.receivedAt) + ' UTC' }),
      el('dt', { text: 'Content-Type' }), el('dd', { text: e.contentType || '—' })),
    el('h3', { text: 'Deliveries' }),
    e.deliveries.length ? el('div', { id: 'deliveries' }, ...e.deliveries.map((d) => renderDelivery(e.id, d)))
      : el('p', { class: 'muted', text: 'This source has no destinations.' }),
    el('h3', { text: 'Body' }), ...renderBody(e),
    el('h3', { text: 'Headers (as received)' }),
    el('table', { class: 'headers' }, el('tbody', {}, ...e.headers.map(([name, value]) =>
      el('tr', {}, el('td', { class: 'mono', text: name }), el('td', { class: 'mono', text: value }))))));
}

function closeDetail() {
  state.selected = null;
  $('detail').hidden = true;
  $('detail').parentElement.classList.remove('with-detail');
  for (const r of document.querySelectorAll('tr.selected')) r.classList.remove('selected');
}

async function replay(eventId, destination) {
  try {
    const json = await api('POST', 'events/' + eventId + '/replay', destination ? { destination } : {});
    showNotice('Replayed ' + json.replayed + (json.replayed === 1 ? ' delivery' : ' deliveries') + ' of event …' + eventId.slice(-12) + '.');
  } catch (e) {
    explain(e);
    return;
  }
  // Watch the new round in the open detail until it has finished (or for 10 s).
  for (let i = 0; i < 20 && state.selected === eventId; i++) {
    await new Promise((r) => setTimeout(r, 500));
    if (state.selected !== eventId) break;
    const e = await openEvent(eventId);
    if (e && e.deliveries.every((d) => d.status !== 'pending')) break;
  }
}

// ---------------------------------------------------------------- dead letters and bulk replay

async function loadDead(more) {
  const q = new URLSearchParams({ status: 'dead', limit: '50' });
  const json = await eventsPage(q, state.deadCursor, 'dead-body', more);
  if (!json) return;
  const body = $('dead-body');
  for (const e of json.events) {
    const dead = e.deliveries.filter((d) => d.status === 'dead');
    body.append(el('tr', { 'data-id': e.id },
      el('td', { class: 'mono', text: time(e.receivedAt) }), el('td', {}, shortId(e.id)),
      el('td', { text: e.source }), el('td', { text: e.type || '' }),
      el('td', {}, ...dead.map((d) => badge('dead', d.destination + ' (' + d.attempts + ' attempts' +
        (d.lastStatus ? ', last HTTP ' + d.lastStatus : '') + ')'))),
      el('td', { class: 'mutating' }, el('button', { type: 'button', class: 'small secondary replay-dead',
        onclick: async () => { await replay(e.id, null); loadDead(false); } }, 'Replay'))));
  }
  state.deadCursor = json.nextCursor;
  $('dead-more').hidden = !json.nextCursor;
  $('dead-empty').hidden = body.children.length > 0;
  $('dead-table').hidden = body.children.length === 0;
}

function bulkCriteria() {
  const c = { status: ['dead'] };
  const source = $('bulk-source').value;
  const destination = $('bulk-destination').value.trim();
  const since = $('bulk-since').value.trim();
  if (source) c.source = source;
  if (destination) c.destination = destination;
  if (since) c.since = since;
  return c;
}

async function bulkDryRun() {
  $('bulk-replay').hidden = true;
  try {
    const json = await api('POST', 'replay', Object.assign(bulkCriteria(), { dryRun: true }));
    $('bulk-count').textContent = json.matched === 0 ? 'No dead letters match.'
      : json.matched + (json.matched === 1 ? ' dead delivery matches.' : ' dead deliveries match.');
    $('bulk-replay').textContent = 'Replay ' + json.matched;
    $('bulk-replay').hidden = json.matched === 0;
  } catch (e) {
    explain(e);
  }
}

async function bulkReplay() {
  $('bulk-replay').hidden = true;
  let json;
  try {
    json = await api('POST', 'replay', bulkCriteria());
  } catch (e) {
    explain(e);
    return;
  }
  state.job = json.job;
  $('job').hidden = false;
  pollJob();
}

async function pollJob() {
  if (!state.job) return;
  let j;
  try {
    j = await api('GET', 'replay/' + state.job);
  } catch (e) {
    explain(e);
    return;
  }
  const pct = j.matched === 0 ? 100 : Math.round(100 * j.replayed / j.matched);
  $('job-bar').style.width = pct + '%';
  $('job-progress').textContent = 'Job …' + j.job.slice(-12) + ': ' + j.state + ', ' + j.replayed + ' of ' + j.matched + ' replayed' +
    (j.error ? ' (' + j.error + ')' : '');
  if (j.state === 'running') {
    state.jobTimer = setTimeout(pollJob, 500);
  } else {
    state.job = null;
    $('bulk-count').textContent = '';
    loadDead(false);
  }
}

// ---------------------------------------------------------------- overview (fleet-wide stats, charts by uPlot)

function sum(steps, f) {
  return steps.reduce((n, s) => n + f(s), 0);
}

function chart(containerId, title, stepsX, series, yLabel) {
  const box = $(containerId);
  const width = Math.max(320, box.clientWidth || 560);
  const opts = {
    width, height: 220, title: undefined,
    scales: { x: { time: true } },
    axes: [{}, { label: yLabel, size: 60 }],
    series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, spanGaps: s.spanGaps || false,
      points: { show: false } }))],
  };
  const plot = new uPlot(opts, [stepsX, ...series.map((s) => s.values)], box);
  box.dataset.points = String(stepsX.length);
  box.dataset.series = series.map((s) => s.label).join(',');
  return plot;
}

async function loadOverview() {
  const [since, step] = $('overview-range').value.split('|');
  const q = new URLSearchParams({ since, step });
  if ($('overview-source').value) q.set('source', $('overview-source').value);
  let json;
  try {
    json = await api('GET', 'stats?' + q.toString());
  } catch (e) {
    explain(e);
    return;
  }
  const steps = json.steps;
  $('ov-accepted').textContent = String(sum(steps, (s) => s.accepted));
  $('ov-duplicate').textContent = String(sum(steps, (s) => s.duplicate));
  $('ov-refused').textContent = String(sum(steps, (s) => s.refusedTotal));
  $('ov-delivered').textContent = String(sum(steps, (s) => s.delivered));
  $('ov-failed').textContent = String(sum(steps, (s) => s.failed));
  const p99s = steps.map((s) => s.ackP99Ms).filter((v) => v !== null);
  $('ov-p99').textContent = p99s.length ? Math.max(...p99s) + ' ms' : '–';
  const refused = {};
  for (const s of steps) for (const [r, n] of Object.entries(s.refused)) refused[r] = (refused[r] || 0) + n;
  $('refused-body').replaceChildren(...Object.entries(refused).sort((a, b) => b[1] - a[1]).map(([r, n]) =>
    el('tr', { 'data-reason': r }, el('td', { class: 'mono', text: r }), el('td', { class: 'count', text: String(n) }))));
  $('refused-empty').hidden = Object.keys(refused).length > 0;

  for (const c of state.charts) c.destroy();
  for (const id of ['chart-requests', 'chart-deliveries', 'chart-latency']) $(id).replaceChildren();
  const x = steps.map((s) => Date.parse(s.at) / 1000);
  state.charts = [
    chart('chart-requests', 'Requests', x, [
      { label: 'accepted', color: '#1f7a3d', values: steps.map((s) => s.accepted) },
      { label: 'duplicate', color: '#2357d6', values: steps.map((s) => s.duplicate) },
      { label: 'refused', color: '#b3261e', values: steps.map((s) => s.refusedTotal) }], 'requests'),
    chart('chart-deliveries', 'Deliveries', x, [
      { label: 'delivered', color: '#1f7a3d', values: steps.map((s) => s.delivered) },
      { label: 'failed', color: '#b3261e', values: steps.map((s) => s.failed) }], 'attempts'),
    chart('chart-latency', 'Ack latency', x, [
      { label: 'p50', color: '#2357d6', values: steps.map((s) => s.ackP50Ms), spanGaps: true },
      { label: 'p99', color: '#8a5a00', values: steps.map((s) => s.ackP99Ms), spanGaps: true }], 'ms'),
  ];
}

// ---------------------------------------------------------------- refused requests (the requests log)

async function loadRequests(more) {
  const q = new URLSearchParams({ limit: '50' });
  if ($('requests-source').value) q.set('source', $('requests-source').value);
  if ($('requests-reason').value) q.set('reason', $('requests-reason').value);
  if ($('requests-since').value.trim()) q.set('since', $('requests-since').value.trim());
  if (more && state.requestsCursor) q.set('cursor', state.requestsCursor);
  let json;
  try {
    json = await api('GET', 'requests?' + q.toString());
  } catch (e) {
    explain(e);
    return;
  }
  const body = $('requests-body');
  if (!more) body.replaceChildren();
  for (const r of json.requests) {
    const row = el('tr', { class: 'event-row', 'data-id': r.id, onclick: () => openRequest(r.id) },
      el('td', { class: 'mono', text: time(r.receivedAt) }), el('td', {}, shortId(r.id)), el('td', { text: r.source }),
      el('td', {}, badge('dead', r.reason)), el('td', { text: String(r.status) }),
      el('td', { class: 'mono', text: r.remoteAddress || '' }));
    if (r.id === state.requestSelected) row.classList.add('selected');
    body.append(row);
  }
  state.requestsCursor = json.nextCursor;
  $('requests-more').hidden = !json.nextCursor;
  $('requests-empty').hidden = body.children.length > 0;
  $('requests-table').hidden = body.children.length === 0;
}

async function openRequest(id) {
  state.requestSelected = id;
  for (const r of document.querySelectorAll('#requests-body tr')) r.classList.toggle('selected', r.dataset.id === id);
  let r;
  try {
    r = await api('GET', 'requests/' + id);
  } catch (e) {
    explain(e);
    return;
  }
  const box = $('request-detail');
  box.hidden = false;
  box.parentElement.classList.add('with-detail');
  box.replaceChildren(
    el('div', { class: 'delivery-head' }, el('h2', { text: 'Refused request' }),
      el('button', { type: 'button', id: 'retry-request', class: 'mutating', onclick: () => retryRequest(r.id) }, 'Retry'),
      el('button', { type: 'button', class: 'secondary', onclick: closeRequest }, 'Close')),
    el('p', { class: 'muted', text: 'Retry verifies it again with the source\'s current secrets (timestamps judged at its arrival) '
      + 'and, if it passes, ingests it like a live request.' }),
    el('dl', {},
      el('dt', { text: 'Id' }), el('dd', { class: 'mono', id: 'request-id', text: r.id }),
      el('dt', { text: 'Source' }), el('dd', { text: r.source }),
      el('dt', { text: 'Reason' }), el('dd', { id: 'request-reason' }, badge('dead', r.reason), ' HTTP ' + r.status),
      el('dt', { text: 'Received' }), el('dd', { text: time(r.receivedAt) + ' UTC on ' + r.node }),
      el('dt', { text: 'From' }), el('dd', { class: 'mono', text: r.remoteAddress || '—' }),
      el('dt', { text: 'Content-Type' }), el('dd', { text: r.contentType || '—' })),
    el('h3', { text: 'Body' + (r.bodyTruncated ? ' (cut at 64 KiB)' : '') }), ...renderBody(r, 'request-body'),
    el('h3', { text: 'Headers (credential values masked)' }),
    el('table', { class: 'headers', id: 'request-headers' }, el('tbody', {}, ...r.headers.map(([name, value]) =>
      el('tr', {}, el('td', { class: 'mono', text: name }), el('td', { class: 'mono', text: value }))))));
}

function closeRequest() {
  state.requestSelected = null;
  $('request-detail').hidden = true;
  $('request-detail').parentElement.classList.remove('with-detail');
}

async function retryRequest(id) {
  try {
    const r = await api('POST', 'requests/' + id + '/retry');
    showError('');
    showNotice(r.duplicate ? 'Already stored: it is event ' + r.id + ' (a duplicate, not delivered again).'
      : 'Retried: stored as event ' + r.id + ' and handed to its destinations.');
  } catch (e) {
    showNotice('');
    if (e.status === 422) showError('Still refused (' + e.reason + '): ' + e.message);
    else explain(e);
  }
}

// ---------------------------------------------------------------- wiring

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', (ev) => { ev.preventDefault(); signIn($('token').value); });
  $('sign-out').addEventListener('click', () => { sessionStorage.removeItem(TOKEN_KEY); showLogin(''); });
  for (const b of document.querySelectorAll('.tab')) b.addEventListener('click', () => show(b.dataset.view));
  $('filters').addEventListener('submit', (ev) => { ev.preventDefault(); closeDetail(); loadEvents(false); });
  $('clear-filters').addEventListener('click', () => { $('filters').reset(); closeDetail(); loadEvents(false); });
  $('load-more').addEventListener('click', () => loadEvents(true));
  $('dead-more').addEventListener('click', () => loadDead(true));
  $('bulk-form').addEventListener('submit', (ev) => { ev.preventDefault(); bulkDryRun(); });
  $('bulk-replay').addEventListener('click', bulkReplay);
  $('overview-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadOverview(); });
  $('requests-filters').addEventListener('submit', (ev) => { ev.preventDefault(); closeRequest(); loadRequests(false); });
  $('requests-more').addEventListener('click', () => loadRequests(true));
  $('test-form').addEventListener('submit', runTest);
  $('test-close').addEventListener('click', () => { $('test-panel').hidden = true; });
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) signIn(token); else showLogin('');
});

// The Cube web console: plain JavaScript over the public HTTP API of the manager that serves it.
// Live updates come from the GET /events stream (NDJSON, read with fetch streaming); a manager
// without /events (404) is polled instead. Everything shown is built with textContent, never HTML.
'use strict';

const STATES = ['pending', 'scheduled', 'running', 'completed', 'failed', 'stopped', 'lost'];
const ACTIVE = new Set(['pending', 'scheduled', 'running']);
const FILTERS = ['all', 'active', ...STATES];
const POLL_MS = 2000;
const RECONNECT_MS = 5000;
const MANAGERS_REFRESH_MS = 5000;
const LOG_LIMIT_CHARS = 256 * 1024;
const TOKEN_KEY = 'cube.token';

const view = {
  tasks: [],
  workers: [],
  managers: { leader: null, managers: [] },
  filter: 'all',
  selected: null,       // id of the task in the details pane
  lastIndex: null,      // last event index seen, to resume the stream
  pollTimer: null,
  logs: null,           // {taskId, state, controller, streaming}
};

const $ = (id) => document.getElementById(id);

// ---- HTTP ----------------------------------------------------------------------------------

class AuthNeeded extends Error {}

class ApiError extends Error {
  constructor(status, sentence) {
    super(sentence);
    this.status = status;
  }
}

/** fetch() against this origin with the token if there is one; a 401 opens the sign-in form. */
async function call(path, options = {}) {
  const headers = new Headers(options.headers || {});
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.set('Authorization', 'Bearer ' + token);
  const response = await fetch(path, { ...options, headers, cache: 'no-store' });
  if (response.status === 401) {
    showAuth(token ? 'That token was refused.' : null);
    throw new AuthNeeded('a token is needed');
  }
  return response;
}

/** The JSON answer, or an ApiError carrying the server's sentence. */
async function json(path, options) {
  const response = await call(path, options);
  if (!response.ok) throw new ApiError(response.status, await sentence(response));
  return response.json();
}

async function sentence(response) {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    if (body && typeof body.error === 'string') return body.error;
  } catch (e) { /* not JSON */ }
  return text.trim() || 'HTTP ' + response.status;
}

/** A 404 from the router itself: the manager predates this endpoint. */
function isMissingEndpoint(error) {
  return error instanceof ApiError && error.status === 404 && error.message.startsWith('no such endpoint');
}

// ---- refresh ---------------------------------------------------------------------------------

async function refreshTasks() {
  view.tasks = await json('/tasks');
  renderTasks();
  renderWorkers();
  renderDetails();
  renderSummary();
}

async function refreshWorkers() {
  view.workers = await json('/workers');
  renderWorkers();
  renderSummary();
}

async function refreshManagers() {
  view.managers = await json('/managers');
  renderManagers();
  renderSummary();
}

const refreshers = { task: refreshTasks, worker: refreshWorkers, manager: refreshManagers };
const pending = new Map();

/** Runs a refresher soon, once for a burst of events. */
function refreshSoon(topic) {
  if (pending.has(topic)) return;
  pending.set(topic, setTimeout(() => {
    pending.delete(topic);
    guard(refreshers[topic]());
  }, 150));
}

function refreshAll() {
  return guard(Promise.all([refreshTasks(), refreshWorkers(), refreshManagers()]));
}

/** Shows what went wrong in the banner; clears it after the next success. */
async function guard(promise) {
  try {
    await promise;
    showError(null);
  } catch (error) {
    if (error instanceof AuthNeeded) return;
    showError(error instanceof ApiError ? error.message : 'The manager does not answer (' + error.message + ').');
  }
}

function showError(text) {
  const banner = $('error-banner');
  banner.hidden = !text;
  banner.textContent = text || '';
}

// ---- live updates ----------------------------------------------------------------------------

function setLive(mode, text) {
  const status = $('live-status');
  status.dataset.mode = mode;
  status.textContent = text;
}

function startPolling() {
  if (view.pollTimer) return;
  view.pollTimer = setInterval(refreshAll, POLL_MS);
}

function stopPolling() {
  clearInterval(view.pollTimer);
  view.pollTimer = null;
}

/** Follows GET /events; falls back to polling when the manager has no such endpoint. */
async function followEvents() {
  let response;
  try {
    const since = view.lastIndex === null ? '' : '?since=' + view.lastIndex;
    response = await call('/events' + since, { headers: { Accept: 'application/x-ndjson' } });
  } catch (error) {
    if (error instanceof AuthNeeded) return;
    return reconnectLater('offline', 'manager unreachable');
  }
  if (response.status === 404) {
    setLive('polling', 'polling every ' + POLL_MS / 1000 + ' s');
    startPolling();
    return;
  }
  if (!response.ok || !response.body) {
    return reconnectLater('polling', 'events unavailable (HTTP ' + response.status + '), polling');
  }
  stopPolling();
  setLive('events', 'live');
  refreshAll();
  try {
    await readLines(response.body, onEventLine);
  } catch (error) {
    // the stream broke (manager stopped, network): reconnect below
  }
  reconnectLater('offline', 'reconnecting…');
}

function reconnectLater(mode, text) {
  setLive(mode, text);
  startPolling();
  setTimeout(followEvents, RECONNECT_MS);
}

/** Calls onLine for every line of a byte stream, as lines complete. */
async function readLines(body, onLine) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
    }
  }
  if (buffer) onLine(buffer);
}

/** One NDJSON line: {"index","topic","type","key","payload"}; blank lines are keep-alives. */
function onEventLine(line) {
  if (!line.trim()) return;
  let event;
  try {
    event = JSON.parse(line);
  } catch (e) {
    return;
  }
  if (typeof event.index === 'number') view.lastIndex = Math.max(view.lastIndex ?? 0, event.index);
  if (refreshers[event.topic]) refreshSoon(event.topic);
  if (event.topic === 'task') refreshSoon('worker');   // worker load follows its tasks
}

// ---- rendering: tasks ------------------------------------------------------------------------

function matches(task, filter) {
  if (filter === 'all') return true;
  if (filter === 'active') return ACTIVE.has(task.state);
  return task.state === filter;
}

function renderFilter() {
  const nav = $('state-filter');
  nav.replaceChildren(...FILTERS.map((filter) => {
    const button = el('button', { type: 'button', 'data-filter': filter }, filter);
    button.setAttribute('aria-pressed', String(filter === view.filter));
    const count = view.tasks.filter((t) => matches(t, filter)).length;
    button.append(el('span', { class: 'count' }, String(count)));
    button.addEventListener('click', () => {
      view.filter = filter;
      saveHash();
      renderTasks();
    });
    return button;
  }));
}

function renderTasks() {
  renderFilter();
  const shown = view.tasks
    .filter((t) => matches(t, view.filter))
    .sort((a, b) => (b.createdAt || '').localeCompare(a.createdAt || ''));
  const now = Date.now();
  $('tasks').tBodies[0].replaceChildren(...shown.map((task) => {
    const row = el('tr', { 'data-task-name': task.name, 'data-task-id': task.id, 'data-state': task.state },
      el('td', {}, task.name),
      el('td', {}, stateBadge(task.state)),
      el('td', {}, task.workerName || ''),
      el('td', {}, (task.spec && task.spec.image) || ''),
      el('td', { title: task.createdAt || '' }, age(task.createdAt, now)),
      el('td', { class: 'info', title: info(task) }, info(task)));
    if (task.id === view.selected) row.classList.add('selected');
    row.addEventListener('click', () => select(task.id));
    return row;
  }));
  $('tasks-empty').hidden = shown.length > 0;
}

function info(task) {
  if (task.error) return task.error;
  if (task.reason) return task.reason;
  if (typeof task.exitCode === 'number') return 'exit ' + task.exitCode;
  return '';
}

// ---- rendering: one task ---------------------------------------------------------------------

function select(taskId) {
  view.selected = taskId;
  $('detail-stop').dataset.confirm = 'false';
  saveHash();
  renderTasks();
  renderDetails();
}

function renderDetails() {
  const pane = $('task-details');
  const task = view.tasks.find((t) => t.id === view.selected || t.name === view.selected);
  if (!task) {
    pane.hidden = true;
    delete pane.dataset.taskName;
    stopLogs();
    return;
  }
  view.selected = task.id;
  pane.hidden = false;
  pane.dataset.taskName = task.name;
  pane.dataset.state = task.state;
  $('detail-name').textContent = task.name;
  const badge = $('detail-state');
  badge.textContent = task.state;
  badge.dataset.state = task.state;
  $('detail-stop').hidden = !ACTIVE.has(task.state);
  const spec = task.spec || {};
  const fields = [
    ['id', task.id],
    ['state', task.state + (task.desiredState ? ' (desired: ' + task.desiredState + ')' : '')],
    ['reason', task.reason],
    ['error', task.error],
    ['exit code', task.exitCode],
    ['worker', task.workerName && task.workerName + ' (' + task.workerId + ')'],
    ['container', task.containerId],
    ['image', spec.image],
    ['command', spec.command && spec.command.length ? JSON.stringify(spec.command) : null],
    ['cpus', spec.cpus],
    ['memory', spec.memoryBytes && bytes(spec.memoryBytes)],
    ['ports', spec.ports && spec.ports.length
      ? spec.ports.map((p) => p.hostPort + ':' + p.containerPort + '/' + p.protocol).join(', ') : null],
    ['env', pairs(spec.env)],
    ['labels', pairs(spec.labels)],
    ['constraints', spec.constraints && spec.constraints.length ? spec.constraints.join(', ') : null],
    ['restart', spec.restart && spec.restart.policy !== 'never' ? spec.restart.policy : null],
    ['attempt', task.attempt > 1 ? task.attempt : null],
    ['created', task.createdAt],
    ['started', task.startedAt],
    ['finished', task.finishedAt],
  ].filter(([, value]) => value !== null && value !== undefined && value !== '');
  $('detail-fields').replaceChildren(...fields.flatMap(([name, value]) =>
    [el('dt', {}, name), el('dd', { 'data-field': name }, String(value))]));
  const logs = view.logs;
  if (!logs || logs.taskId !== task.id || (!logs.streaming && logs.state !== task.state)) {
    loadLogs(task);
  }
}

function pairs(map) {
  const entries = Object.entries(map || {});
  return entries.length ? entries.map(([k, v]) => k + '=' + v).join(', ') : null;
}

function stopLogs() {
  if (view.logs && view.logs.controller) view.logs.controller.abort();
  view.logs = null;
}

/** The task's container output; followed while the task is active and "follow" is ticked. */
async function loadLogs(task) {
  stopLogs();
  const controller = new AbortController();
  const follow = $('logs-follow').checked && ACTIVE.has(task.state);
  const logs = { taskId: task.id, state: task.state, controller, streaming: follow };
  view.logs = logs;
  const pre = $('task-logs');
  pre.textContent = '';
  pre.dataset.status = 'loading';
  try {
    const path = '/tasks/' + encodeURIComponent(task.id) + '/logs?tail=500' + (follow ? '&follow=true' : '');
    const response = await call(path, { signal: controller.signal });
    if (!response.ok) throw new ApiError(response.status, await sentence(response));
    pre.dataset.status = 'ok';
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      let text = pre.textContent + decoder.decode(value, { stream: true });
      if (text.length > LOG_LIMIT_CHARS) text = text.slice(text.length - LOG_LIMIT_CHARS);
      const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      pre.textContent = text;
      if (atBottom) pre.scrollTop = pre.scrollHeight;
    }
    if (!pre.textContent) pre.textContent = '(no output)';
  } catch (error) {
    if (controller.signal.aborted || error instanceof AuthNeeded) return;
    pre.dataset.status = 'unavailable';
    pre.textContent = isMissingEndpoint(error)
      ? 'This manager does not serve logs (it runs an older version of Cube).'
      : 'No logs: ' + error.message;
  } finally {
    if (view.logs === logs) logs.streaming = false;
  }
}

async function stopSelected() {
  const button = $('detail-stop');
  if (button.dataset.confirm !== 'true') {   // a second click confirms; no blocking dialog
    button.dataset.confirm = 'true';
    button.textContent = 'Really stop?';
    setTimeout(() => { button.dataset.confirm = 'false'; button.textContent = 'Stop'; }, 4000);
    return;
  }
  button.dataset.confirm = 'false';
  button.textContent = 'Stop';
  await guard(json('/tasks/' + encodeURIComponent(view.selected), { method: 'DELETE' }).then(refreshTasks));
}

// ---- rendering: workers and managers ---------------------------------------------------------

function renderWorkers() {
  const load = new Map();
  for (const task of view.tasks) {
    if (!task.workerId || !(task.state === 'scheduled' || task.state === 'running')) continue;
    const l = load.get(task.workerId) || { cpus: 0, memory: 0, tasks: 0 };
    l.cpus += (task.spec && task.spec.cpus) || 0;
    l.memory += (task.spec && task.spec.memoryBytes) || 0;
    l.tasks += 1;
    load.set(task.workerId, l);
  }
  const workers = [...view.workers].sort((a, b) => (a.name || '').localeCompare(b.name || ''));
  $('workers').tBodies[0].replaceChildren(...workers.map((worker) => {
    const l = load.get(worker.id) || { cpus: 0, memory: 0, tasks: 0 };
    const availability = worker.availability || 'active';
    const name = el('td', { title: worker.id + (worker.host ? ' on ' + worker.host : '') }, worker.name);
    if (availability !== 'active') name.append(el('span', { class: 'drain' }, availability));
    return el('tr', { 'data-worker-name': worker.name, 'data-state': worker.state, 'data-availability': availability },
      name,
      el('td', {}, stateBadge(worker.state)),
      el('td', {}, bar(l.cpus, worker.cpus, round(l.cpus) + ' / ' + round(worker.cpus))),
      el('td', {}, bar(l.memory, worker.memoryBytes, bytes(l.memory) + ' / ' + bytes(worker.memoryBytes))),
      el('td', { 'data-field': 'tasks' }, String(l.tasks)));
  }));
  $('workers-empty').hidden = workers.length > 0;
}

function renderManagers() {
  const leader = view.managers.leader;
  $('managers').tBodies[0].replaceChildren(...(view.managers.managers || []).map((m) => {
    const isLeader = m.id === leader;
    const id = el('td', {}, m.id);
    if (isLeader) id.append(el('span', { class: 'leader-mark', title: 'leader' }, '★'));
    return el('tr', { 'data-manager-id': m.id, 'data-role': m.role || '', 'data-leader': String(isLeader) },
      id,
      el('td', {}, stateBadge(m.role || 'unknown')),
      el('td', {}, m.api || ''),
      el('td', {}, m.term === undefined ? '' : String(m.term)),
      el('td', {}, m.commitIndex === undefined ? '' : String(m.commitIndex)));
  }));
}

function renderSummary() {
  const ready = view.workers.filter((w) => w.state === 'ready').length;
  const running = view.tasks.filter((t) => t.state === 'running').length;
  const waiting = view.tasks.filter((t) => t.state === 'pending').length;
  const leader = view.managers.leader;
  $('cluster-summary').textContent = (leader ? 'leader ' + leader : 'no leader') +
    ' · ' + ready + '/' + view.workers.length + ' workers ready · ' + running + ' running · ' + waiting + ' pending';
}

// ---- small helpers ---------------------------------------------------------------------------

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

function stateBadge(state) {
  return el('span', { class: 'state', 'data-state': state }, state);
}

function bar(used, total, label) {
  const share = total > 0 ? Math.min(100, (100 * used) / total) : 0;
  const fill = el('span', {});
  fill.style.width = share.toFixed(1) + '%';
  return el('div', { class: 'bar', title: label }, fill, el('em', {}, label));
}

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) { n /= 1024; unit++; }
  return (n >= 100 || Number.isInteger(n) ? Math.round(n) : n.toFixed(1)) + ' ' + units[unit];
}

function round(x) {
  return String(Math.round((x || 0) * 100) / 100);
}

function age(iso, now) {
  if (!iso) return '';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 120) return s + 's';
  if (s < 7200) return Math.floor(s / 60) + 'm';
  if (s < 172800) return Math.floor(s / 3600) + 'h';
  return Math.floor(s / 86400) + 'd';
}

// ---- sign-in and URL state ------------------------------------------------------------------

function showAuth(problem) {
  $('auth').hidden = false;
  const input = $('auth-token');
  input.placeholder = problem || 'token';
  input.focus();
}

function saveHash() {
  const parts = [];
  if (view.filter !== 'all') parts.push('state=' + encodeURIComponent(view.filter));
  if (view.selected) {
    const task = view.tasks.find((t) => t.id === view.selected);
    parts.push('task=' + encodeURIComponent(task ? task.name : view.selected));
  }
  history.replaceState(null, '', parts.length ? '#' + parts.join('&') : location.pathname);
}

function loadHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (FILTERS.includes(params.get('state'))) view.filter = params.get('state');
  if (params.get('task')) view.selected = params.get('task');
}

function start() {
  loadHash();
  $('auth-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('auth-token').value.trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    $('auth-token').value = '';
    $('auth').hidden = true;
    refreshAll();
    followEvents();
  });
  $('detail-stop').addEventListener('click', stopSelected);
  $('detail-close').addEventListener('click', () => select(null));
  $('logs-follow').addEventListener('change', () => {
    const task = view.tasks.find((t) => t.id === view.selected);
    if (task) loadLogs(task);
  });
  setInterval(() => guard(refreshManagers()), MANAGERS_REFRESH_MS);
  setInterval(renderTasks, 10000);   // ages
  renderFilter();
  refreshAll();
  followEvents();
}

document.addEventListener('DOMContentLoaded', start);

// The dashboard. Everything it shows comes from the REST API (/api/v1), with the token the user
// gave when the API asks for one. While live it polls every two seconds: polling, not server-sent
// events, because a browser's EventSource cannot send an Authorization header, and the API's
// answers are cached server-side between changes, so a poll costs little.
//
// Routes live in the hash: #/ is the cluster, #/node/NAME one node; ?at=ISO-TIME shows either as it
// was then (the time slider sets it, and a link with it shows the same to anyone).

const POLL_MS = 2000;
const TOKEN = 'bwledger-token';
const DIMENSIONS = [
  ['network', 'ul', 'network ↑'], ['network', 'dl', 'network ↓'],
  ['local', 'ul', 'local ↑'], ['local', 'dl', 'local ↓'],
];

const state = { timer: null, chart: null, generation: 0, shown: null };
const $ = (id) => document.getElementById(id);

/** An element with attributes (class, text, data-*) and children; text is never parsed as HTML. */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'data') Object.assign(node.dataset, value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

async function api(path) {
  const token = sessionStorage.getItem(TOKEN);
  const response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (response.status === 401) {
    $('login').hidden = false;
    throw new Error('The API asks for a token.');
  }
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.error || `${path}: ${response.status}`);
  }
  return response.json();
}

/** Where the hash points: a node or the cluster, now or at a time. */
function route() {
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const match = /^\/node\/(.+)$/.exec(path || '/');
  return { node: match ? decodeURIComponent(match[1]) : null, at: new URLSearchParams(query || '').get('at') };
}

function link(node, at) {
  const path = node ? `#/node/${encodeURIComponent(node)}` : '#/';
  return at ? `${path}?at=${encodeURIComponent(at)}` : path;
}

/** Four bars (network and local, up and down): used against capacity, red below zero remaining. */
function bars(capacity, used, remaining) {
  return DIMENSIONS.map(([kind, direction, label]) => {
    const field = `${direction}Mbps`;
    const [cap, taken, left] = [capacity[kind][field], used[kind][field], remaining[kind][field]];
    const fill = el('div', { class: 'fill' });
    fill.style.width = `${cap > 0 ? Math.min(100, (100 * taken) / cap) : (taken > 0 ? 100 : 0)}%`;
    return el('div', {
      class: `bar ${kind}${left < 0 ? ' over' : ''}`,
      data: { dim: `${kind}-${direction}`, capacity: cap, used: taken, remaining: left },
    }, el('span', { class: 'label', text: label }), el('div', { class: 'track' }, fill),
    el('span', { class: 'figures', text: `${taken} / ${cap} · ${left} left` }));
  });
}

function heading(name, oversubscribed, at) {
  return el('h2', {}, el('a', { href: link(name, at), text: name }),
    oversubscribed.length > 0
      ? el('span', { class: 'badge', title: `remaining below 0 in ${oversubscribed.join(', ')}`, text: 'oversubscribed' })
      : null);
}

async function showCluster(at) {
  const { items } = await api(at ? `/api/v1/nodes?at=${encodeURIComponent(at)}` : '/api/v1/nodes');
  const scheduling = at ? null : await api('/api/v1/scheduling'); // holds and refusals are now only
  return {
    signature: JSON.stringify([at, items, scheduling]),
    view: () => el('div', {},
      el('div', { class: 'nodes' }, items.map((node) => el('article', {
        class: node.oversubscribed.length > 0 ? 'node over' : 'node', data: { node: node.name },
      }, heading(node.name, node.oversubscribed, at), bars(node.capacity, node.used, node.remaining),
      el('p', { class: 'meta', text: `${node.reservations} reservations` })))),
      scheduling && scheduling.extender ? extender(scheduling) : null),
    states: items.map((node) => ({ updatedAt: node.updatedAt, position: node.ledgerPosition })),
  };
}

async function showNode(name, at) {
  const query = at ? `?at=${encodeURIComponent(at)}` : '';
  const node = await api(`/api/v1/nodes/${encodeURIComponent(name)}${query}`);
  const status = node.status;
  const to = at || new Date().toISOString();
  const from = new Date(Date.parse(to) - Number($('window').value) * 1000).toISOString();
  const history = await api(`/api/v1/nodes/${encodeURIComponent(name)}/history`
    + `?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  const chart = el('div', { id: 'chart' });
  const oversubscribed = (status.conditions || [])
    .filter((c) => c.type === 'Oversubscribed' && c.status === 'True').map((c) => c.message);
  return {
    signature: JSON.stringify([name, at, $('window').value, node, history.versions]),
    view: () => el('div', {},
      el('p', {}, el('a', { href: link(null, at), text: '← all nodes' })),
      el('article', { class: oversubscribed.length > 0 ? 'node over' : 'node', data: { node: name } },
        heading(name, oversubscribed, at), bars(status.capacity, status.used, status.remaining)),
      el('section', { class: 'panel' }, el('h3', { text: 'Network bandwidth over time (Mbit/s)' }), chart),
      el('section', { class: 'panel' }, el('h3', { text: `Reservations (${status.reservations.length})` }),
        reservations(status.reservations))),
    states: [{ updatedAt: status.updatedAt, position: status.ledgerPosition }],
    draw: () => drawHistory(chart, history),
  };
}

/** The scheduler extender's binds in flight and its last refused ones. */
function extender({ holds, refusals }) {
  const table = (headers, rows) => el('table', {},
    el('thead', {}, el('tr', {}, headers.map((name) => el('th', { text: name })))), el('tbody', {}, rows));
  return el('section', { class: 'panel', id: 'extender' },
    el('h3', { text: `Scheduler extender: ${holds.length} binds in flight` }),
    holds.length === 0 ? null : table(['Pod', 'Node', 'Held', 'Until'], holds.map((hold) => el('tr', {},
      el('td', { text: hold.pod }), el('td', { text: hold.node }),
      el('td', { class: 'num', text: `${hold.ulMbps}/${hold.dlMbps}` }), el('td', { text: hold.expiresAt })))),
    el('h3', { text: `Refused binds (last ${refusals.length})` }),
    refusals.length === 0 ? el('p', { class: 'meta', text: 'None.' })
      : table(['At', 'Pod', 'Node', 'Why'], refusals.map((refusal) => el('tr', { data: { refusal: refusal.pod } },
        el('td', { text: refusal.at }), el('td', { text: refusal.pod }), el('td', { text: refusal.node }),
        el('td', { text: refusal.reason })))));
}

function reservations(list) {
  const pair = (figures) => `${figures.ulMbps}/${figures.dlMbps}`;
  return el('table', {},
    el('thead', {}, el('tr', {}, ['Namespace', 'Pod', 'Owner', 'Local', 'Network', 'State', 'Reason']
      .map((name) => el('th', { text: name })))),
    el('tbody', {}, list.map((r) => el('tr', { data: { pod: `${r.namespace}/${r.podName}` } },
      el('td', { text: r.namespace }), el('td', { text: r.podName }),
      el('td', { text: r.deploymentType ? `${r.deploymentType}/${r.deploymentName}` : '—' }),
      el('td', { class: 'num', text: pair(r.bandwidth.local) }), el('td', { class: 'num', text: pair(r.bandwidth.network) }),
      el('td', { class: `state-${r.state}`, text: r.state }), el('td', { text: r.reason || '' })))));
}

/** The node's network used and capacity as steps: each state holds until the next. */
function drawHistory(target, history) {
  if (state.chart) {
    state.chart.destroy();
    state.chart = null;
  }
  if (history.versions.length === 0) {
    target.append(el('p', { class: 'meta', text: 'No state in this window.' }));
    return;
  }
  const start = Date.parse(history.from);
  const series = [[], [], [], []];
  const point = (time, status) => {
    series[0].push(Math.max(time, start) / 1000);
    series[1].push(status.used.network.ulMbps);
    series[2].push(status.used.network.dlMbps);
    series[3].push(status.capacity.network.ulMbps);
  };
  history.versions.forEach((version) => point(Date.parse(version.validFrom), version.status));
  point(Date.parse(history.to), history.versions[history.versions.length - 1].status);
  const steps = uPlot.paths.stepped({ align: 1 });
  state.chart = new uPlot({
    width: Math.max(320, target.clientWidth), height: 240,
    series: [{}, { label: 'used ↑', stroke: '#3b6fd8', width: 2, paths: steps },
      { label: 'used ↓', stroke: '#2f9a6b', width: 2, paths: steps },
      { label: 'capacity', stroke: '#c62f2f', dash: [6, 4], paths: steps }],
    axes: [{}, { label: 'Mbit/s' }],
  }, series, target);
}

/** "as of T, event E": the instant shown and the last event folded into what is shown. */
function asOf(at, states) {
  const latest = states.filter((s) => s.updatedAt).sort((a, b) => a.updatedAt.localeCompare(b.updatedAt)).pop();
  const shown = at || (latest ? latest.updatedAt : null);
  const target = $('as-of');
  target.dataset.at = at || '';
  target.textContent = shown
    ? `${at ? '' : 'live · '}as of ${shown}${latest ? `, event ${latest.position}` : ''}`
    : 'no nodes yet';
}

function syncTimeControls(at) {
  const span = Number($('window').value) * 1000;
  const slider = $('slider');
  if (!at) {
    slider.value = slider.max;
  } else if (document.activeElement !== slider) {
    slider.value = Math.round(Math.max(0, 1 - (Date.now() - Date.parse(at)) / span) * Number(slider.max));
  }
  $('live').disabled = !at;
}

async function refresh() {
  clearTimeout(state.timer);
  const generation = ++state.generation;
  const { node, at } = route();
  try {
    const shown = node ? await showNode(node, at) : await showCluster(at);
    if (generation !== state.generation) return; // a newer refresh is under way
    if (shown.signature !== state.shown) { // redrawn only when something changed: no flicker, no lost focus
      $('view').replaceChildren(shown.view());
      if (shown.draw) shown.draw();
      state.shown = shown.signature;
    }
    asOf(at, shown.states);
    $('error').hidden = true;
  } catch (error) {
    if (generation !== state.generation) return;
    $('error').textContent = error.message;
    $('error').hidden = false;
  }
  syncTimeControls(at);
  if (!at) state.timer = setTimeout(refresh, POLL_MS);
}

$('slider').addEventListener('change', (event) => {
  const slider = event.target;
  const span = Number($('window').value) * 1000;
  const instant = new Date(Date.now() - span * (1 - Number(slider.value) / Number(slider.max)));
  location.hash = link(route().node, slider.value === slider.max ? null : instant.toISOString());
});
$('live').addEventListener('click', () => { location.hash = link(route().node, null); });
$('window').addEventListener('change', refresh);
$('login').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN, $('token').value.trim());
  $('login').hidden = true;
  refresh();
});
document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });
window.addEventListener('hashchange', refresh);
refresh();

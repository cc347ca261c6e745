// Asset list: search box, kind filter, cursor paging ("Show more" appends the next page).
import * as api from '../api.js';
import { formatBytes, formatDate, h } from '../dom.js';
import { showError } from '../feedback.js';
import { go, hashFor } from '../router.js';

const PAGE_SIZE = 25;

/** Page size: `limit` from the route (1..100, as the API allows), else 25. */
function pageSize(query) {
  const n = Number.parseInt(query.get('limit') || '', 10);
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : PAGE_SIZE;
}

export function stateLabel(video) {
  if (!video) return '';
  const pct = Math.round((video.progress || 0) * 100);
  switch (video.state) {
    case 'queued': return 'Queued';
    case 'transcoding': return 'Transcoding ' + pct + ' %';
    case 'packaging': return 'Packaging ' + pct + ' %';
    case 'ready': return 'Ready';
    case 'failed': return 'Failed';
    default: return String(video.state || '');
  }
}

function item(a) {
  return h('li', { class: 'asset-item', dataset: { id: a.id, kind: a.kind } },
    h('a', { class: 'asset-link', href: '#/assets/' + encodeURIComponent(a.id), text: a.title || '(untitled)' }),
    h('span', { class: 'badge badge-' + (a.kind === 'video' ? 'video' : 'file'), text: a.kind === 'video' ? 'Video' : 'File' }),
    a.video ? h('span', { class: 'state state-' + a.video.state, text: stateLabel(a.video) }) : null,
    h('span', { class: 'muted', text: formatBytes(a.size) }),
    h('span', { class: 'muted', text: formatDate(a.createdAt) }),
    a.description ? h('p', { class: 'asset-desc', text: a.description }) : null);
}

export function renderAssets(view, { query }) {
  const controller = new AbortController();
  const q = query.get('q') || '';
  const kind = query.get('kind') || '';
  const limit = pageSize(query);
  const search = h('input', { id: 'search', type: 'search', name: 'q', value: q, placeholder: 'Search titles and descriptions', 'aria-label': 'Search' });
  const kindSelect = h('select', { id: 'kind-filter', name: 'kind', 'aria-label': 'Kind' },
    h('option', { value: '', text: 'All kinds' }),
    h('option', { value: 'video', text: 'Videos' }),
    h('option', { value: 'file', text: 'Files' }));
  kindSelect.value = kind;
  const form = h('form', { class: 'toolbar', role: 'search', id: 'search-form' },
    search, kindSelect, h('button', { type: 'submit', id: 'search-submit', text: 'Search' }));
  const list = h('ul', { id: 'asset-list', class: 'asset-list', 'aria-live': 'polite', 'aria-busy': 'true' });
  const empty = h('p', { id: 'asset-empty', class: 'muted', hidden: true,
    text: q || kind ? 'No assets match this search.'
      : api.mayUpload() ? 'No assets yet. Upload one to get started.' : 'Nothing has been shared with you yet.' });
  const more = h('button', { id: 'load-more', type: 'button', class: 'secondary', hidden: true, text: 'Show more' });

  const submit = () => go(hashFor('/assets', {
    q: search.value.trim(), kind: kindSelect.value, limit: limit === PAGE_SIZE ? '' : String(limit) }));
  form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  kindSelect.addEventListener('change', submit);

  let cursor = null;
  async function load() {
    list.setAttribute('aria-busy', 'true');
    more.disabled = true;
    try {
      const page = await api.assets.list({ q, kind, limit, cursor }, controller.signal);
      for (const a of page.items || []) list.append(item(a));
      cursor = page.nextCursor || null;
      more.hidden = !cursor;
      empty.hidden = list.childElementCount > 0;
    } catch (err) {
      if (!controller.signal.aborted) showError(err);
    } finally {
      list.setAttribute('aria-busy', 'false');
      more.disabled = false;
    }
  }
  more.addEventListener('click', load);

  view.append(
    h('div', { class: 'page-head' },
      h('h1', { text: 'Assets' }),
      api.mayUpload() ? h('a', { href: '#/upload', class: 'button', text: 'Upload' }) : null),
    form, list, empty, h('div', { class: 'actions' }, more));
  load();
  return () => controller.abort();
}

// Asset detail: metadata (editable), video player with packaging progress, download links,
// sharing and deletion — each part shown only when the caller's permissions allow it.
import * as api from '../api.js';
import { busy, field, formatBytes, formatDate, h } from '../dom.js';
import { clearError, notify, showError } from '../feedback.js';
import { go } from '../router.js';
import { createPlayer } from '../player.js';
import { stateLabel } from './assets.js';

const POLL_MS = 1000;

function can(asset, permission) {
  return Array.isArray(asset.permissions) && asset.permissions.includes(permission);
}

function ownerLabel(owner) {
  const me = api.user();
  return me && owner && (owner === me.id || owner === me.username) ? 'You' : owner;
}

function meta(asset) {
  const rows = [
    ['Kind', asset.kind === 'video' ? 'Video' : 'File'],
    ['File name', asset.fileName],
    ['Type', asset.contentType],
    ['Size', formatBytes(asset.size)],
    ['Owner', ownerLabel(asset.owner)],
    ['Uploaded', formatDate(asset.createdAt)],
    ['SHA-256', asset.sha256],
  ];
  return h('dl', { class: 'meta', id: 'asset-meta' },
    rows.filter(([, v]) => v !== undefined && v !== null && v !== '')
      .flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v, class: k === 'SHA-256' ? 'mono' : null })]));
}

function videoSection(asset, signal) {
  const state = h('p', { id: 'video-state', class: 'state', 'aria-live': 'polite' });
  const progress = h('progress', { id: 'video-progress', max: '100', value: '0' });
  const video = h('video', { id: 'player', controls: true, playsinline: true, preload: 'metadata' });
  video.hidden = true;
  const section = h('section', { class: 'card', id: 'video-section' }, h('h2', { text: 'Video' }), state, progress, video);
  let player = null;
  let timer = null;

  function show(v) {
    state.dataset.state = v ? v.state : 'unknown';
    state.textContent = stateLabel(v);
    if (v && v.state === 'failed' && v.error) state.textContent += ': ' + v.error;
    progress.value = Math.round(((v && v.progress) || 0) * 100);
    progress.hidden = !v || v.state === 'ready' || v.state === 'failed';
  }

  async function startPlayer() {
    if (!can(asset, 'stream')) {
      state.textContent = 'Ready. You may not stream this video.';
      return;
    }
    video.hidden = false;
    player = createPlayer(video, asset.id, (text) => { state.textContent = text; });
    try {
      await player.start();
    } catch (err) {
      if (!signal.aborted) showError(err);
    }
  }

  async function poll() {
    try {
      const fresh = await api.assets.get(asset.id, signal);
      show(fresh.video);
      if (fresh.video && fresh.video.state === 'ready') startPlayer();
      else if (!fresh.video || fresh.video.state !== 'failed') timer = setTimeout(poll, POLL_MS);
    } catch (err) {
      if (signal.aborted) return;
      showError(err);
      if (err.status === 0 || err.status >= 500) timer = setTimeout(poll, POLL_MS * 5);
    }
  }

  show(asset.video);
  if (asset.video && asset.video.state === 'ready') startPlayer();
  else if (!asset.video || asset.video.state !== 'failed') timer = setTimeout(poll, POLL_MS);

  signal.addEventListener('abort', () => {
    clearTimeout(timer);
    if (player) player.destroy();
  });
  return section;
}

function editSection(asset, onSaved) {
  const title = h('input', { id: 'edit-title', maxlength: '200', required: true, value: asset.title || '' });
  const description = h('textarea', { id: 'edit-description', rows: '3', maxlength: '4000' });
  description.value = asset.description || '';
  const form = h('form', { class: 'card', id: 'edit-form', novalidate: true },
    h('h2', { text: 'Details' }),
    field('Title', title),
    field('Description', description),
    h('div', { class: 'actions' }, h('button', { id: 'edit-submit', type: 'submit', text: 'Save' })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearError();
    if (!title.value.trim()) {
      showError(new Error('The title cannot be empty.'));
      return;
    }
    try {
      const updated = await busy(form, () => api.assets.update(asset.id, { title: title.value.trim(), description: description.value.trim() }));
      onSaved(updated);
      notify('Saved.');
    } catch (err) {
      showError(err);
    }
  });
  return form;
}

function downloadSection(asset) {
  const singleUse = h('input', { id: 'download-single-use', type: 'checkbox' });
  const ttl = h('select', { id: 'download-ttl' },
    h('option', { value: '300', text: '5 minutes' }),
    h('option', { value: '3600', text: '1 hour' }),
    h('option', { value: '86400', text: '24 hours' }));
  const button = h('button', { id: 'download-link-button', type: 'button', text: 'Create download link' });
  const link = h('a', { id: 'download-link', class: 'download-link', hidden: true, rel: 'noreferrer' });
  const expires = h('span', { id: 'download-expires', class: 'muted' });
  const section = h('section', { class: 'card', id: 'download-section' },
    h('h2', { text: 'Download' }),
    h('p', { class: 'muted', text: 'A download link carries its own temporary token: anyone with the link can use it until it expires.' }),
    h('div', { class: 'inline' },
      h('label', { class: 'check' }, singleUse, ' Single use'),
      field('Valid for', ttl),
      button),
    h('p', { class: 'download-result' }, link, ' ', expires));
  button.addEventListener('click', async () => {
    clearError();
    button.disabled = true;
    try {
      const res = await api.assets.downloadLink(asset.id, { singleUse: singleUse.checked, ttlSeconds: Number(ttl.value) });
      link.setAttribute('href', safeHttpUrl(res.url));
      link.textContent = 'Download ' + (asset.fileName || asset.title || 'file');
      link.hidden = false;
      expires.textContent = (singleUse.checked ? 'Single use · ' : '') + 'expires ' + formatDate(res.expiresAt);
    } catch (err) {
      showError(err);
    } finally {
      button.disabled = false;
    }
  });
  return section;
}

function safeHttpUrl(value) {
  const u = new URL(String(value), location.href);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('The server returned an unusable link.');
  return u.href;
}

function shareSection(asset) {
  const list = h('ul', { id: 'share-list', class: 'plain-list' });
  const type = h('select', { id: 'share-type' },
    h('option', { value: 'user', text: 'User' }),
    h('option', { value: 'group', text: 'Group' }),
    h('option', { value: 'role', text: 'Role' }));
  const principal = h('input', { id: 'share-principal', required: true, autocomplete: 'off', placeholder: 'user name, group or role' });
  const role = h('select', { id: 'share-role' },
    h('option', { value: 'viewer', text: 'Viewer (view, download, stream)' }),
    h('option', { value: 'editor', text: 'Editor (also edit and share)' }));
  const until = h('input', { id: 'share-until', type: 'date' });
  const form = h('form', { class: 'inline', id: 'share-form', novalidate: true },
    field('Share with', type), field('Name', principal), field('Role', role), field('Until (optional)', until),
    h('button', { id: 'share-submit', type: 'submit', text: 'Share' }));

  async function refresh() {
    try {
      const res = await api.assets.shares(asset.id);
      const items = (res && res.items) || [];
      list.replaceChildren(...items.map((s) => {
        const remove = h('button', { type: 'button', class: 'link', text: 'Remove', 'aria-label': 'Remove share with ' + s.principal });
        remove.addEventListener('click', async () => {
          clearError();
          try {
            await api.assets.unshare(asset.id, s.id);
            refresh();
          } catch (err) {
            showError(err);
          }
        });
        return h('li', { class: 'share-item', dataset: { principal: s.principal } },
          h('span', { text: s.principalType + ' ' }),
          h('strong', { text: s.principal }),
          h('span', { class: 'muted', text: ' · ' + s.role + (s.notAfter ? ' · until ' + formatDate(s.notAfter) : '') }),
          ' ', remove);
      }));
      if (items.length === 0) list.append(h('li', { class: 'muted', text: 'Not shared with anyone.' }));
    } catch (err) {
      showError(err);
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearError();
    const name = principal.value.trim();
    if (!name) {
      showError(new Error('Enter a user name, group or role to share with.'));
      return;
    }
    const body = { principalType: type.value, principal: name, role: role.value };
    if (until.value) body.notAfter = new Date(until.value + 'T23:59:59').toISOString();
    try {
      await busy(form, () => api.assets.share(asset.id, body));
      principal.value = '';
      notify('Shared with ' + name + '.');
      refresh();
    } catch (err) {
      showError(err);
    }
  });
  refresh();
  return h('section', { class: 'card', id: 'share-section' }, h('h2', { text: 'Sharing' }), list, form);
}

function deleteSection(asset) {
  const ask = h('button', { id: 'delete-button', type: 'button', class: 'danger', text: 'Delete asset' });
  const confirmBox = h('div', { class: 'inline', hidden: true },
    h('span', { text: 'Delete this asset for everyone? This cannot be undone.' }));
  const yes = h('button', { id: 'delete-confirm', type: 'button', class: 'danger', text: 'Delete' });
  const no = h('button', { type: 'button', class: 'secondary', text: 'Keep' });
  confirmBox.append(yes, no);
  ask.addEventListener('click', () => { ask.hidden = true; confirmBox.hidden = false; });
  no.addEventListener('click', () => { ask.hidden = false; confirmBox.hidden = true; });
  yes.addEventListener('click', async () => {
    clearError();
    yes.disabled = true;
    try {
      await api.assets.remove(asset.id);
      go('#/assets', () => notify('Deleted.'));
    } catch (err) {
      yes.disabled = false;
      showError(err);
    }
  });
  return h('section', { class: 'card danger-zone', id: 'delete-section' }, h('h2', { text: 'Delete' }), ask, confirmBox);
}

export function renderAsset(view, { id }) {
  const controller = new AbortController();
  const back = h('a', { href: '#/assets', class: 'back', text: '← All assets' });
  view.append(back, h('p', { class: 'muted', id: 'asset-loading', text: 'Loading…' }));

  api.assets.get(id, controller.signal).then((asset) => {
    if (controller.signal.aborted) return;
    const title = h('h1', { id: 'asset-title', text: asset.title || '(untitled)' });
    const description = h('p', { id: 'asset-description', class: 'lead', text: asset.description || '' });
    const onSaved = (updated) => {
      title.textContent = updated.title || '(untitled)';
      description.textContent = updated.description || '';
      document.title = (updated.title || 'Asset') + ' · MediaStore';
    };
    document.title = (asset.title || 'Asset') + ' · MediaStore';
    view.replaceChildren(back, title, description, meta(asset));
    const grid = h('div', { class: 'grid' });
    if (asset.kind === 'video') view.append(videoSection(asset, controller.signal));
    if (can(asset, 'download')) grid.append(downloadSection(asset));
    if (can(asset, 'edit')) grid.append(editSection(asset, onSaved));
    if (can(asset, 'share')) grid.append(shareSection(asset));
    if (can(asset, 'delete')) grid.append(deleteSection(asset));
    view.append(grid);
  }).catch((err) => {
    if (controller.signal.aborted) return;
    view.replaceChildren(back, h('p', { class: 'muted', id: 'asset-unavailable',
      text: err.status === 404 || err.status === 403
        ? 'If you need this asset, ask its owner to share it with you.' : 'The asset could not be loaded.' }));
    showError(err);
  });
  return () => controller.abort();
}

// Upload with a progress bar. XMLHttpRequest (not fetch) because only it reports upload progress.
import * as api from '../api.js';
import { field, formatBytes, h } from '../dom.js';
import { clearError, notify, showError } from '../feedback.js';
import { go } from '../router.js';

export function renderUpload(view) {
  let current = null;
  const file = h('input', { id: 'upload-file', type: 'file', name: 'file', required: true });
  const title = h('input', { id: 'upload-title', name: 'title', maxlength: '200', autocomplete: 'off' });
  const description = h('textarea', { id: 'upload-description', name: 'description', rows: '3', maxlength: '4000' });
  const collection = h('select', { id: 'upload-collection', name: 'collectionId' }, h('option', { value: '', text: 'No collection' }));
  const collectionField = field('Collection', collection);
  collectionField.hidden = true;
  const progress = h('progress', { id: 'upload-progress', max: '100', value: '0', hidden: true });
  const status = h('p', { id: 'upload-status', class: 'muted', 'aria-live': 'polite' });
  const submit = h('button', { id: 'upload-submit', type: 'submit', text: 'Upload' });
  const cancel = h('button', { id: 'upload-cancel', type: 'button', class: 'secondary', hidden: true, text: 'Cancel' });
  const form = h('form', { class: 'card', id: 'upload-form', novalidate: true },
    h('h1', { text: 'Upload' }),
    h('p', { class: 'muted', text: 'Videos are transcoded and packaged for encrypted streaming after the upload.' }),
    field('File', file),
    field('Title', title, 'Defaults to the file name.'),
    field('Description', description),
    collectionField,
    h('div', { class: 'progress-row' }, progress, status),
    h('div', { class: 'actions' }, submit, cancel));

  file.addEventListener('change', () => {
    const f = file.files[0];
    if (f && !title.value) title.value = f.name.replace(/\.[^.]+$/, '');
    status.textContent = f ? f.name + ' · ' + formatBytes(f.size) : '';
  });

  api.collections.list().then((page) => {
    const items = (page && page.items) || [];
    for (const c of items) collection.append(h('option', { value: c.id, text: c.name }));
    collectionField.hidden = items.length === 0;
  }).catch(() => { /* collections are optional for an upload */ });

  cancel.addEventListener('click', () => current && current.abort());

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearError();
    const f = file.files[0];
    if (!f) {
      showError(new Error('Choose a file to upload.'));
      return;
    }
    const t = title.value.trim() || f.name;
    progress.hidden = false;
    progress.value = 0;
    submit.disabled = true;
    file.disabled = true;
    cancel.hidden = false;
    status.textContent = 'Uploading ' + f.name + '…';
    current = api.upload({ file: f, title: t, description: description.value.trim(), collectionId: collection.value },
      (loaded, total) => {
        const pct = total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0;
        progress.value = pct;
        status.textContent = 'Uploading ' + f.name + ' · ' + pct + ' % of ' + formatBytes(total);
      });
    try {
      const asset = await current.promise;
      progress.value = 100;
      status.textContent = 'Uploaded.';
      go('#/assets/' + encodeURIComponent(asset.id),
        () => notify(asset.kind === 'video' ? 'Uploaded. The video is being prepared for streaming.' : 'Uploaded.'));
    } catch (err) {
      status.textContent = err.code === 'aborted' ? 'Upload cancelled.' : 'Upload failed.';
      if (err.code !== 'aborted') showError(err);
    } finally {
      current = null;
      submit.disabled = false;
      file.disabled = false;
      cancel.hidden = true;
    }
  });

  view.append(form);
  return () => current && current.abort();
}

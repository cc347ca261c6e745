// Small DOM helpers. Every piece of dynamic text becomes a Text node or textContent:
// no HTML string is ever parsed from data (see WebAssetsTest, which enforces it).

const URL_ATTRIBUTES = new Set(['href', 'src', 'action']);

/**
 * Creates an element. `attrs`: `text` sets textContent, `on<Event>` adds a listener,
 * `dataset` copies data-* values, booleans toggle the attribute, everything else is setAttribute
 * (URL attributes must pass safeUrl). Children: nodes, strings (as text), arrays, null/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') {
      el.textContent = String(value);
    } else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'style' || key.startsWith('on')) {
      throw new Error('inline styles and handlers are not allowed: ' + key);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else if (URL_ATTRIBUTES.has(key)) {
      el.setAttribute(key, safeUrl(value));
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces all children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Only same-document fragments, relative paths and http(s) URLs; any other scheme becomes '#'. */
export function safeUrl(value) {
  const s = String(value);
  if (s.startsWith('#')) return s;
  try {
    const u = new URL(s, document.baseURI);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : '#';
  } catch {
    return '#';
  }
}

export function byId(id) {
  return document.getElementById(id);
}

export function formatBytes(n) {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return (i === 0 ? String(v) : v.toFixed(v < 10 ? 1 : 0)) + ' ' + units[i];
}

export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

/** A labelled form field: <label for=id>text</label> control [hint]. */
export function field(labelText, control, hint) {
  return h('div', { class: 'field' },
    h('label', { for: control.id, text: labelText }),
    control,
    hint ? h('p', { class: 'hint', text: hint }) : null);
}

/** Disables every control of a form while `work` runs. */
export async function busy(form, work) {
  const controls = Array.from(form.querySelectorAll('button, input, select, textarea'));
  const before = controls.map((c) => c.disabled);
  controls.forEach((c) => { c.disabled = true; });
  form.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    controls.forEach((c, i) => { c.disabled = before[i]; });
    form.removeAttribute('aria-busy');
  }
}

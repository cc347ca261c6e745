// Hash routing: #/assets, #/assets/<id>, #/upload, #/admin, #/login, #/password.
// Each view is `render(container, params) -> cleanup function | undefined`.

const routes = [];
let cleanup = null;
let guard = () => null;
let beforeRender = () => {};
let pending = null;

export function route(pattern, render, { title, nav, isPublic = false } = {}) {
  const names = [];
  const re = new RegExp('^' + pattern.replace(/:([a-zA-Z]+)/g, (_, n) => { names.push(n); return '([^/]+)'; }) + '$');
  routes.push({ re, names, render, title, nav, isPublic });
}

/** `fn(route) -> redirect hash or null`, consulted before every render. */
export function setGuard(fn) {
  guard = fn;
}

export function parseHash(hash = location.hash) {
  const raw = hash.replace(/^#/, '') || '/assets';
  const q = raw.indexOf('?');
  const pathPart = q < 0 ? raw : raw.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  return { path: pathPart, query };
}

/** Hook run before each view renders (main clears the error banner there). */
export function setBeforeRender(fn) {
  beforeRender = fn;
}

/** Navigates to `hash`; `then` runs once the target view has rendered (e.g. to show an error on it). */
export function go(hash, then) {
  pending = then || null;
  if (location.hash === hash) render();
  else location.hash = hash;
}

export function hashFor(p, query) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) if (v) qs.set(k, v);
  const s = qs.toString();
  return '#' + p + (s ? '?' + s : '');
}

export function render() {
  const { path, query } = parseHash();
  let match = null;
  let params = {};
  for (const r of routes) {
    const m = r.re.exec(path);
    if (m) {
      match = r;
      r.names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
      break;
    }
  }
  if (!match) {
    location.replace('#/assets');
    return;
  }
  const redirect = guard(match);
  if (redirect && redirect !== '#' + path) {
    location.replace(redirect);
    return;
  }
  if (cleanup) {
    try { cleanup(); } catch (e) { console.error(e); }
    cleanup = null;
  }
  params = { ...params, query };
  document.title = match.title ? match.title + ' · MediaStore' : 'MediaStore';
  document.querySelectorAll('[data-nav]').forEach((a) => {
    if (a.dataset.nav === match.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  beforeRender();
  const view = document.getElementById('view');
  view.replaceChildren();
  const result = match.render(view, params);
  cleanup = typeof result === 'function' ? result : null;
  if (pending) {
    const then = pending;
    pending = null;
    then();
  }
}

export function start() {
  window.addEventListener('hashchange', render);
  render();
}

// The only module that talks to the backend. Session cookie (HttpOnly) + CSRF header on every
// state-changing request; errors become ApiError with the stable code from the API.

let apiBase = null;
let csrfToken = null;
let currentUser = null;
let authProblemHandler = () => {};

export class ApiError extends Error {
  constructor(status, code, message, extra = {}) {
    super(message || code || 'Request failed');
    this.name = 'ApiError';
    this.status = status;
    this.code = code || 'unknown';
    this.field = extra.field ?? null;
    this.reason = extra.reason ?? null;
    this.retryAfterSeconds = extra.retryAfterSeconds ?? null;
  }
}

/** Called with the ApiError when the session is gone (401) or a password change is required. */
export function onAuthProblem(handler) {
  authProblemHandler = handler;
}

export async function loadConfig() {
  const res = await fetch('config.json', { credentials: 'same-origin', cache: 'no-store' });
  if (!res.ok) throw new ApiError(res.status, 'config', 'The app configuration (config.json) could not be loaded.');
  const cfg = await res.json();
  if (!cfg || typeof cfg.apiBase !== 'string') throw new ApiError(0, 'config', 'config.json has no apiBase.');
  const u = new URL(cfg.apiBase, location.href);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new ApiError(0, 'config', 'apiBase must be an http(s) URL.');
  apiBase = u.href.replace(/\/+$/, '');
}

/** Tagged template for API paths: interpolated values are percent-encoded path segments. */
export function path(strings, ...values) {
  let out = '';
  strings.forEach((s, i) => {
    out += s;
    if (i < values.length) out += encodeURIComponent(String(values[i]));
  });
  return out;
}

export function user() {
  return currentUser;
}

function hasRole(role) {
  return !!currentUser && Array.isArray(currentUser.roles) && currentUser.roles.includes(role);
}

/**
 * Whether to offer uploads: the global roles editor and admin may upload anywhere. (Others may
 * still hold `upload` on a collection; the upload page stays reachable and the server decides.)
 */
export function mayUpload() {
  return hasRole('editor') || hasRole('admin');
}

export function isAdmin() {
  return hasRole('admin');
}

function setSession(data) {
  currentUser = data && data.user ? data.user : null;
  csrfToken = data && data.csrfToken ? data.csrfToken : null;
}

export function clearSession() {
  currentUser = null;
  csrfToken = null;
}

function url(p, query) {
  if (!apiBase) throw new ApiError(0, 'config', 'The app is not configured yet.');
  const u = new URL(apiBase + '/' + p.replace(/^\/+/, ''));
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, String(v));
    }
  }
  return u;
}

async function readBody(res) {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function toError(status, body, headers) {
  const e = body && body.error ? body.error : {};
  let retry = e.retryAfterSeconds ?? (body && body.retryAfterSeconds);
  if (retry == null && headers) {
    const h = headers.get ? headers.get('Retry-After') : null;
    if (h && /^\d+$/.test(h)) retry = Number(h);
  }
  const fallback = status === 0 ? 'The server cannot be reached.' : 'The request failed (HTTP ' + status + ').';
  return new ApiError(status, e.code || (status === 401 ? 'unauthenticated' : 'http_' + status), e.message || fallback,
    { field: e.field, reason: e.reason, retryAfterSeconds: retry });
}

function needsCsrf(method) {
  return method !== 'GET' && method !== 'HEAD';
}

/**
 * One JSON request. `p` is a path below the API base (use the `path` tag for ids).
 * Resolves with the parsed body (null for 204); rejects with ApiError.
 */
export async function request(method, p, { body, query, signal, quiet = false } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'include', cache: 'no-store', redirect: 'error', signal };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (needsCsrf(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(url(p, query), init);
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'The server cannot be reached. Check the connection and try again.');
  }
  const data = res.status === 204 ? null : await readBody(res);
  if (!res.ok) {
    const error = toError(res.status, data, res.headers);
    if (!quiet && (error.code === 'unauthenticated' || error.code === 'password_change_required')) {
      if (error.code === 'unauthenticated') clearSession();
      authProblemHandler(error);
    }
    throw error;
  }
  return data;
}

// ---- session -------------------------------------------------------------------------------

/** Restores the session from the cookie; resolves with the user or null. */
export async function restore() {
  try {
    setSession(await request('GET', 'me', { quiet: true }));
    return currentUser;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      clearSession();
      return null;
    }
    throw err;
  }
}

export async function login(username, password) {
  setSession(await request('POST', 'auth/login', { body: { username, password }, quiet: true }));
  return currentUser;
}

export async function logout() {
  try {
    await request('POST', 'auth/logout', { quiet: true });
  } finally {
    clearSession();
  }
}

export async function changePassword(currentPassword, newPassword) {
  await request('POST', 'auth/password', { body: { currentPassword, newPassword }, quiet: true });
  // the server may rotate the session and CSRF token on a password change
  await restore();
  return currentUser;
}

// ---- uploads -------------------------------------------------------------------------------

/**
 * Multipart upload with progress (fetch cannot report upload progress). The file part goes last
 * so the server can stream it into the blob store. Returns { promise, abort }.
 */
export function upload({ file, title, description, collectionId }, onProgress) {
  const xhr = new XMLHttpRequest();
  const promise = new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('title', title);
    if (description) form.append('description', description);
    if (collectionId) form.append('collectionId', collectionId);
    form.append('file', file, file.name);
    xhr.open('POST', url('assets').href);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.addEventListener('progress', (e) => {
      onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    });
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body);
      } else {
        const error = toError(xhr.status, body, { get: (n) => xhr.getResponseHeader(n) });
        if (error.code === 'unauthenticated' || error.code === 'password_change_required') authProblemHandler(error);
        reject(error);
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', 'The upload was interrupted. Check the connection and try again.')));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted', 'The upload was cancelled.')));
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

// ---- resources -----------------------------------------------------------------------------

export const assets = {
  list: (query, signal) => request('GET', 'assets', { query, signal }),
  get: (id, signal) => request('GET', path`assets/${id}`, { signal }),
  update: (id, changes) => request('PATCH', path`assets/${id}`, { body: changes }),
  remove: (id) => request('DELETE', path`assets/${id}`),
  shares: (id) => request('GET', path`assets/${id}/shares`),
  share: (id, share) => request('POST', path`assets/${id}/shares`, { body: share }),
  unshare: (id, shareId) => request('DELETE', path`assets/${id}/shares/${shareId}`),
  downloadLink: (id, options) => request('POST', path`assets/${id}/download-links`, { body: options }),
  playback: (id) => request('POST', path`assets/${id}/playback`, { body: {} }),
};

export const collections = {
  list: () => request('GET', 'collections'),
};

export const admin = {
  users: () => request('GET', 'users'),
  createUser: (u) => request('POST', 'users', { body: u }),
  updateUser: (id, changes) => request('PATCH', path`users/${id}`, { body: changes }),
  groups: () => request('GET', 'groups'),
  createGroup: (name) => request('POST', 'groups', { body: { name } }),
  addMember: (group, username) => request('POST', path`groups/${group}/members`, { body: { username } }),
  roles: () => request('GET', 'roles'),
};

// The page-wide error banner (#error) and status notice (#notice).
import { ApiError } from './api.js';
import { byId } from './dom.js';

let noticeTimer = null;

/** Human text for an error; API errors keep their stable code for support. */
export function describe(err) {
  if (err instanceof ApiError) {
    if (err.code === 'rate_limited' && err.retryAfterSeconds != null) {
      return 'Too many attempts. Try again in ' + err.retryAfterSeconds + ' s.';
    }
    const where = err.field ? ' (' + err.field + ')' : '';
    return err.message + where + (err.status ? ' [' + err.code + ']' : '');
  }
  return err && err.message ? err.message : String(err);
}

export function showError(err) {
  if (err && err.name === 'AbortError') return;
  const box = byId('error');
  byId('error-text').textContent = describe(err);
  box.dataset.code = err instanceof ApiError ? err.code : 'client';
  box.hidden = false;
  if (err && !(err instanceof ApiError)) console.error(err);
}

export function clearError() {
  const box = byId('error');
  box.hidden = true;
  byId('error-text').textContent = '';
  delete box.dataset.code;
}

export function notify(message) {
  const box = byId('notice');
  box.textContent = message;
  box.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { box.hidden = true; }, 4000);
}

export function hideNotice() {
  clearTimeout(noticeTimer);
  byId('notice').hidden = true;
}

/** Clears the banners of the previous view. */
export function clearBanners() {
  clearError();
  hideNotice();
}

export function installErrorBanner() {
  byId('error-dismiss').addEventListener('click', clearError);
  window.addEventListener('unhandledrejection', (e) => showError(e.reason));
}

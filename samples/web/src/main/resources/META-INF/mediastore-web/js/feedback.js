// The page-wide error banner (#error) and status notice (#notice).
import { ApiError } from './api.js';
import { byId } from './dom.js';

let noticeTimer = null;

// Plain words for the stable API error codes; codes not listed use the server's message.
const MESSAGES = {
  unauthenticated: 'Please sign in.',
  invalid_credentials: 'The user name or password is not right.',
  forbidden: 'You may not do this.',
  csrf: 'This page is out of date. Reload it and try again.',
  password_change_required: 'Choose a new password first.',
  not_found: 'This item does not exist or you may not see it.',
  too_large: 'The file is larger than the server accepts.',
  token_invalid: 'The link is no longer valid.',
  internal: 'Something went wrong on the server. Try again later.',
};

/** Human text for an error; API errors keep their stable code for support. */
export function describe(err) {
  if (err instanceof ApiError) {
    if (err.code === 'rate_limited') {
      return err.retryAfterSeconds != null
        ? 'Too many attempts. Try again in ' + err.retryAfterSeconds + ' s.'
        : 'Too many attempts. Try again later.';
    }
    if (err.status === 0) return err.message;
    const text = err.code === 'validation' || err.code === 'conflict' ? err.message : (MESSAGES[err.code] || err.message);
    const where = err.field ? ' (' + err.field + ')' : '';
    return text + where + ' [' + err.code + ']';
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

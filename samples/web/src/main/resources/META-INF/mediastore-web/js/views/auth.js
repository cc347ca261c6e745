// Sign-in and password change (forced after the first admin login with the one-time password).
import * as api from '../api.js';
import { busy, field, h } from '../dom.js';
import { clearError, notify, showError } from '../feedback.js';
import { go } from '../router.js';

// The password typed at sign-in, kept in memory only until the forced change is done,
// so the user is not asked for it twice. Never stored.
let pendingCurrentPassword = null;

export function renderLogin(view) {
  let retryTimer = null;
  const username = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { id: 'login-submit', type: 'submit', text: 'Sign in' });
  const form = h('form', { class: 'card narrow', id: 'login-form', novalidate: true },
    h('h1', { text: 'Sign in to MediaStore' }),
    field('User name', username),
    field('Password', password),
    h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearError();
    if (!username.value || !password.value) {
      showError(new Error('Enter your user name and password.'));
      return;
    }
    try {
      const u = await busy(form, () => api.login(username.value.trim(), password.value));
      if (u.mustChangePassword) {
        pendingCurrentPassword = password.value;
        go('#/password');
      } else {
        go('#/assets');
      }
    } catch (err) {
      password.value = '';
      showError(err);
      if (err.code === 'rate_limited' && err.retryAfterSeconds) {
        submit.disabled = true;
        retryTimer = setTimeout(() => { submit.disabled = false; }, err.retryAfterSeconds * 1000);
      }
      password.focus();
    }
  });
  view.append(form);
  username.focus();
  return () => clearTimeout(retryTimer);
}

export function renderPassword(view) {
  const u = api.user();
  const forced = !!(u && u.mustChangePassword);
  const current = h('input', { id: 'current-password', type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', { id: 'new-password', type: 'password', autocomplete: 'new-password', required: true });
  const confirm = h('input', { id: 'new-password-confirm', type: 'password', autocomplete: 'new-password', required: true });
  const askCurrent = !(forced && pendingCurrentPassword);
  const form = h('form', { class: 'card narrow', id: 'password-form', novalidate: true },
    h('h1', { text: forced ? 'Choose your password' : 'Change password' }),
    forced ? h('p', { text: 'You signed in with a one-time password. Choose a new password to continue.' }) : null,
    askCurrent ? field('Current password', current) : null,
    field('New password', next, 'A long passphrase of several words is both strong and easy to remember.'),
    field('Repeat the new password', confirm),
    h('div', { class: 'actions' },
      h('button', { id: 'change-password-submit', type: 'submit', text: 'Change password' }),
      forced ? null : h('a', { href: '#/assets', class: 'button secondary', text: 'Cancel' })));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearError();
    const currentValue = askCurrent ? current.value : pendingCurrentPassword;
    if (!currentValue || !next.value) {
      showError(new Error('Enter the current and the new password.'));
      return;
    }
    if (next.value !== confirm.value) {
      showError(new Error('The two new passwords differ.'));
      confirm.focus();
      return;
    }
    try {
      await busy(form, () => api.changePassword(currentValue, next.value));
      pendingCurrentPassword = null;
      go('#/assets', () => notify('Your password was changed.'));
    } catch (err) {
      showError(err);
    }
  });
  view.append(form);
  (askCurrent ? current : next).focus();
}

// Entry point: loads /config.json, restores the session, wires the header and the routes.
import * as api from './api.js';
import { byId } from './dom.js';
import { clearBanners, clearError, installErrorBanner, showError } from './feedback.js';
import { go, route, setBeforeRender, setGuard, start } from './router.js';
import { renderLogin, renderPassword } from './views/auth.js';
import { renderAssets } from './views/assets.js';
import { renderUpload } from './views/upload.js';
import { renderAsset } from './views/asset.js';
import { renderAdmin } from './views/admin.js';

function updateHeader() {
  const u = api.user();
  byId('topbar').hidden = !u;
  byId('whoami').textContent = u ? 'Signed in as ' + (u.displayName || u.username) : '';
  byId('nav-admin').hidden = !api.isAdmin();
  byId('nav-upload').hidden = !api.mayUpload();
}

route('/login', renderLogin, { title: 'Sign in', isPublic: true });
route('/password', renderPassword, { title: 'Change password', nav: 'password' });
route('/assets', renderAssets, { title: 'Assets', nav: 'assets' });
route('/assets/:id', renderAsset, { title: 'Asset', nav: 'assets' });
route('/upload', renderUpload, { title: 'Upload', nav: 'upload' });
route('/admin', renderAdmin, { title: 'Administration', nav: 'admin' });

setGuard((r) => {
  updateHeader();
  const u = api.user();
  if (!u) return r.isPublic ? null : '#/login';
  if (r.isPublic) return '#/assets';
  if (u.mustChangePassword) return '#/password';
  return null;
});

api.onAuthProblem((err) => {
  if (err.code === 'password_change_required' && api.user()) {
    api.user().mustChangePassword = true;
    go('#/password');
  } else {
    go('#/login', () => showError(err));
  }
});

byId('logout').addEventListener('click', async () => {
  clearError();
  try {
    await api.logout();
  } catch (err) {
    showError(err);
  }
  updateHeader();
  go('#/login');
});

setBeforeRender(clearBanners);

async function boot() {
  installErrorBanner();
  try {
    await api.loadConfig();
    await api.restore();
  } catch (err) {
    byId('view').replaceChildren();
    showError(err);
    return;
  }
  start();
}

boot();

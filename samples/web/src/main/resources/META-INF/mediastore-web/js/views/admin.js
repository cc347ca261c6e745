// Administration (role admin): users, their roles and groups; groups and their members.
import * as api from '../api.js';
import { busy, field, h } from '../dom.js';
import { clearError, notify, showError } from '../feedback.js';

const FALLBACK_ROLES = ['viewer', 'editor', 'admin'];

function splitList(value) {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

export function renderAdmin(view) {
  if (!api.isAdmin()) {
    view.append(h('h1', { text: 'Administration' }), h('p', { text: 'Only administrators can open this page.' }));
    return undefined;
  }
  const usersBody = h('tbody', { id: 'user-rows' });
  const groupsList = h('ul', { id: 'group-list', class: 'plain-list' });
  const roleBoxes = h('fieldset', { class: 'roles', id: 'new-user-roles' }, h('legend', { text: 'Roles' }));
  const memberGroup = h('select', { id: 'member-group' });
  let roleNames = FALLBACK_ROLES;

  // ---- users
  async function loadUsers() {
    try {
      const res = await api.admin.users();
      usersBody.replaceChildren(...((res && res.items) || []).map(userRow));
    } catch (err) {
      showError(err);
    }
  }

  function userRow(u) {
    const toggle = h('button', { type: 'button', class: 'link', text: u.disabled ? 'Enable' : 'Disable' });
    toggle.addEventListener('click', async () => {
      clearError();
      try {
        await api.admin.updateUser(u.id, { disabled: !u.disabled });
        loadUsers();
      } catch (err) {
        showError(err);
      }
    });
    const self = api.user() && api.user().id === u.id;
    const rolesCell = h('td', { class: 'roles-cell', text: (u.roles || []).join(', ') });
    const edit = h('button', { type: 'button', class: 'link edit-roles', text: 'Edit roles' });
    edit.addEventListener('click', () => {
      const boxes = roleNames.map((name) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', class: 'role-edit', value: name, checked: (u.roles || []).includes(name) }), ' ' + name));
      const save = h('button', { type: 'button', class: 'link save-roles', text: 'Save' });
      const cancel = h('button', { type: 'button', class: 'link', text: 'Cancel' });
      cancel.addEventListener('click', loadUsers);
      save.addEventListener('click', async () => {
        clearError();
        const roles = Array.from(rolesCell.querySelectorAll('input.role-edit:checked')).map((c) => c.value);
        try {
          await api.admin.updateUser(u.id, { roles });
          notify('Roles of ' + u.username + ' saved.');
          loadUsers();
        } catch (err) {
          showError(err);
        }
      });
      rolesCell.replaceChildren(...boxes, save, cancel);
      edit.hidden = true;
    });
    return h('tr', { dataset: { username: u.username } },
      h('td', { text: u.username }),
      h('td', { text: u.displayName || '' }),
      rolesCell,
      h('td', { text: (u.groups || []).join(', ') }),
      h('td', { class: 'status-cell', text: u.disabled ? 'Disabled' : (u.mustChangePassword ? 'Must change password' : 'Active') }),
      h('td', { class: 'row-actions' }, self ? null : [edit, toggle]));
  }

  const username = h('input', { id: 'new-user-username', required: true, autocomplete: 'off' });
  const displayName = h('input', { id: 'new-user-displayname', autocomplete: 'off' });
  const password = h('input', { id: 'new-user-password', type: 'password', required: true, autocomplete: 'new-password' });
  const groups = h('input', { id: 'new-user-groups', autocomplete: 'off', placeholder: 'comma separated' });
  const userForm = h('form', { class: 'card', id: 'new-user-form', novalidate: true },
    h('h2', { text: 'New user' }),
    field('User name', username), field('Display name', displayName),
    field('Initial password', password, 'Tell the user through a separate channel.'),
    roleBoxes, field('Groups', groups),
    h('div', { class: 'actions' }, h('button', { id: 'new-user-submit', type: 'submit', text: 'Create user' })));
  userForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearError();
    const roles = Array.from(roleBoxes.querySelectorAll('input:checked')).map((c) => c.value);
    const body = { username: username.value.trim(), displayName: displayName.value.trim() || username.value.trim(),
      password: password.value, roles, groups: splitList(groups.value) };
    if (!body.username || !body.password) {
      showError(new Error('Enter a user name and an initial password.'));
      return;
    }
    try {
      await busy(userForm, () => api.admin.createUser(body));
      notify('User ' + body.username + ' created.');
      userForm.reset();
      loadUsers();
      loadGroups();
    } catch (err) {
      showError(err);
    }
  });

  function showRoles(names) {
    roleNames = names;
    for (const name of names) {
      roleBoxes.append(h('label', { class: 'check' },
        h('input', { type: 'checkbox', value: name, id: 'new-user-role-' + name }), ' ' + name));
    }
  }

  // ---- groups
  async function loadGroups() {
    try {
      const res = await api.admin.groups();
      const items = (res && res.items) || [];
      groupsList.replaceChildren(...items.map((g) => h('li', { dataset: { group: g.name } },
        h('strong', { text: g.name }),
        h('span', { class: 'muted', text: ' · ' + ((g.members || []).join(', ') || 'no members') }))));
      if (items.length === 0) groupsList.append(h('li', { class: 'muted', text: 'No groups yet.' }));
      const selected = memberGroup.value;
      memberGroup.replaceChildren(...items.map((g) => h('option', { value: g.name, text: g.name })));
      if (selected) memberGroup.value = selected;
    } catch (err) {
      showError(err);
    }
  }

  const groupName = h('input', { id: 'new-group-name', required: true, autocomplete: 'off' });
  const groupForm = h('form', { class: 'inline', id: 'new-group-form', novalidate: true },
    field('New group', groupName), h('button', { id: 'new-group-submit', type: 'submit', text: 'Create group' }));
  groupForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearError();
    const name = groupName.value.trim();
    if (!name) return;
    try {
      await busy(groupForm, () => api.admin.createGroup(name));
      groupName.value = '';
      loadGroups();
    } catch (err) {
      showError(err);
    }
  });

  const memberName = h('input', { id: 'member-username', required: true, autocomplete: 'off' });
  const memberForm = h('form', { class: 'inline', id: 'member-form', novalidate: true },
    field('Group', memberGroup), field('User name', memberName),
    h('button', { id: 'member-submit', type: 'submit', text: 'Add member' }));
  memberForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearError();
    if (!memberGroup.value || !memberName.value.trim()) return;
    try {
      await busy(memberForm, () => api.admin.addMember(memberGroup.value, memberName.value.trim()));
      memberName.value = '';
      loadGroups();
      loadUsers();
    } catch (err) {
      showError(err);
    }
  });

  view.append(
    h('h1', { text: 'Administration' }),
    h('section', { class: 'card', id: 'users-section' },
      h('h2', { text: 'Users' }),
      h('div', { class: 'table-wrap' },
        h('table', { id: 'user-table' },
          h('thead', {}, h('tr', {}, ...['User name', 'Display name', 'Roles', 'Groups', 'Status', ''].map((t) => h('th', { text: t })))),
          usersBody))),
    h('div', { class: 'grid' }, userForm,
      h('section', { class: 'card', id: 'groups-section' }, h('h2', { text: 'Groups' }), groupsList, groupForm, memberForm)));

  api.admin.roles()
    .then((res) => showRoles(((res && res.items) || []).map((r) => r.name)))
    .catch(() => showRoles(FALLBACK_ROLES));
  loadUsers();
  loadGroups();
  return undefined;
}

// Partner Access: auditors, process owners and security officers read in Cockpit; editing, deleting, suspending and
// modifying are for camunda-admin only, and the engine refuses them to anyone else (see docs/architecture.md, the
// engine's surface). Their page is marked "read-only" so styles/user-styles.css does not offer those actions. The mark
// is set first and lifted only for a member of camunda-admin: if the groups cannot be read, nothing is offered.
const ADMIN_GROUP = 'camunda-admin';
const MARK = 'read-only';
const root = document.querySelector('base').getAttribute('app-root');
const engine = (window.location.pathname.match(/\/app\/cockpit\/([^/]+)\//) || [null, 'default'])[1];
let checked;

async function json(path) {
  const response = await fetch(root + path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  return response.ok ? response.json() : null;
}

async function isAdministrator(userId) {
  const identity = await json('/api/engine/engine/' + engine + '/identity/groups?userId=' + encodeURIComponent(userId));
  return !!identity && identity.groups.some((group) => group.id === ADMIN_GROUP);
}

// asked again on every page change: another user may have signed in without reloading the app
async function mark() {
  const user = await json('/api/admin/auth/user/' + engine).catch(() => null);
  const userId = user && user.userId;
  if (userId === checked) {
    return;
  }
  checked = userId;
  document.documentElement.classList.add(MARK);
  if (userId && (await isAdministrator(userId).catch(() => false)) && checked === userId) {
    document.documentElement.classList.remove(MARK);
  }
}

document.documentElement.classList.add(MARK);
window.addEventListener('hashchange', mark);
mark();

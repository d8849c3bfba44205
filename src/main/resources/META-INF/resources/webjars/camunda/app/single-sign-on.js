// Partner Access: staff sign in to the webapps at the staff realm, not on the webapps' own form (the server closes
// it). Signing out ends the whole staff session on the server; the webapp then shows its own sign-in view, which is
// replaced here by a reload: the server sends the browser to the staff realm's sign-in page. Tasklist, Cockpit and
// Admin each load it (their config.js names it ../single-sign-on).
function toStaffSignIn() {
  if (window.location.hash.startsWith('#/login')) {
    window.location.replace(window.location.pathname);
  }
}
window.addEventListener('hashchange', toStaffSignIn);
toStaffSignIn();

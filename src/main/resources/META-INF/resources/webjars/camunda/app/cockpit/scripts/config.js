// Partner Access: Cockpit's configuration. The first custom script marks the page of a user outside camunda-admin, so
// styles/user-styles.css hides the actions the engine refuses them; the second sends a signed-out user to the staff
// realm's sign-in page.
export default {
  customScripts: ['scripts/read-only', '../single-sign-on'],
};

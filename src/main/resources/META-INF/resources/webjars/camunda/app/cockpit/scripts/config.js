// Partner Access: Cockpit's configuration. The one custom script marks the page of a user outside camunda-admin, so
// styles/user-styles.css hides the actions the engine refuses them.
export default {
  customScripts: ['scripts/read-only'],
};

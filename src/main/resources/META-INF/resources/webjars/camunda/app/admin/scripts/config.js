// Partner Access: Admin's configuration. The custom script sends a signed-out user to the staff realm's sign-in page.
export default {
  customScripts: ['../single-sign-on'],
};

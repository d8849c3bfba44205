// Partner Access: Tasklist's configuration. Its keyboard shortcuts are Camunda's defaults; the custom script sends
// a signed-out user to the staff realm's sign-in page.
export default {
  customScripts: ['../single-sign-on'],
  shortcuts: {
    claimTask: {key: 'ctrl+alt+c', description: 'claims the currently selected task'},
    focusFilter: {key: 'ctrl+shift+f', description: 'set the focus to the first filter in the list'},
    focusList: {key: 'ctrl+alt+l', description: 'sets the focus to the first task in the list'},
    focusForm: {key: 'ctrl+alt+f', description: 'sets the focus to the first input field in a task form'},
    startProcess: {key: 'ctrl+alt+p', description: 'opens the start process modal dialog'},
  },
};

// The inbox: everything a server (or a launch) asks of the user waits here.
export { Inbox, questionKinds, type NewItem } from './inbox.js';

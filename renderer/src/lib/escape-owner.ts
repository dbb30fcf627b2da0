// Escape belongs to where the focus is. Radix gives each key press to the layer mounted last, so a toast that
// appears while a dialog is open would take the Escape meant for the dialog: the dialog stayed open and the toast
// went. The toast corner hands such a press on (and keeps its toast); the dialog that holds the focus takes it.
const handedOn = new WeakSet<Event>();

/** Called by a toast for an Escape pressed while the focus is in a dialog: the toast stays, the dialog closes. */
export function handEscapeOn(event: KeyboardEvent): boolean {
  const target = event.target;
  const inDialog = typeof Element !== 'undefined' && target instanceof Element && target.closest('[role="dialog"], [role="alertdialog"]') !== null;
  if (!inDialog) return false;
  event.preventDefault();
  handedOn.add(event);
  return true;
}

/** Whether a toast handed this Escape on to the dialog that holds the focus. */
export function escapeHandedOn(event: Event): boolean {
  return handedOn.has(event);
}

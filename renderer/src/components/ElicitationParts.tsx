// Pieces both elicitation dialogs show: the server's own message, and the task the question belongs to.
import { ListChecks } from 'lucide-react';
import type { FormRequestView } from '../../../shared/domain/elicitation.js';
import { href } from '../lib/router.js';

/** The server's words, whole: the user judges the request by them. */
export function ServerMessage({ serverName, message }: { serverName: string; message: string }) {
  return (
    <section className="elicit-message vstack stripe" aria-label={`Message from ${serverName}`}>
      <h3 className="section-label">Message from “{serverName}”</h3>
      {message.trim() === '' ? <p className="muted">The server sent no message.</p> : <p className="elicit-message-text">{message}</p>}
    </section>
  );
}

export function RelatedTask({ task }: { task: FormRequestView['relatedTask'] }) {
  if (!task) return null;
  return (
    <p className="elicit-task">
      <ListChecks size={14} aria-hidden /> Asked for the task <a href={href('tasks', task.taskId)}>{task.label}</a>, which waits for your answer.
    </p>
  );
}

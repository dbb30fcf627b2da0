// The SDK's in-memory task store, plus an abort signal per task: the SDK answers tasks/cancel by setting the status here,
// and the running work needs to hear about it at once rather than on its next status check.
import { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import type { Task } from '@modelcontextprotocol/sdk/types.js';

export class WatchedTaskStore extends InMemoryTaskStore {
  private readonly controllers = new Map<string, AbortController>();

  /** Aborts when the task is cancelled. Call `release` once the work is over. */
  signalFor(taskId: string): AbortSignal {
    let controller = this.controllers.get(taskId);
    if (!controller) {
      controller = new AbortController();
      this.controllers.set(taskId, controller);
    }
    return controller.signal;
  }

  release(taskId: string): void {
    this.controllers.delete(taskId);
  }

  override async updateTaskStatus(taskId: string, status: Task['status'], statusMessage?: string, sessionId?: string): Promise<void> {
    await super.updateTaskStatus(taskId, status, statusMessage, sessionId);
    if (status === 'cancelled') this.controllers.get(taskId)?.abort(new Error('The task was cancelled.'));
  }
}

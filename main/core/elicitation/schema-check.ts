// Checks an answer against a form's schema as the server wrote it, on a worker thread with a deadline. A server's schema
// may hold regular expressions (pattern, patternProperties, propertyNames) that the schema engine runs with
// backtracking: `^(a+)+$` against 40 a's and a "!" runs for hours. On the host's own thread that held every server and
// window; here the check gets CHECK_MS once the worker is ready, and a check past it ends the worker with it.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How long one check may run once the worker is ready. */
const CHECK_MS = 2000;
/** How long the worker may take to start (load the schema engine); a busy machine is slow, not hostile. */
const START_MS = 30_000;

export type SchemaVerdict = { valid: true } | { valid: false; message: string };

/** The worker: the SDK's own Ajv validator (the one the form keywords are checked with), its checks kept by schema text. */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { AjvJsonSchemaValidator } = require(workerData.validator);
let engine = new AjvJsonSchemaValidator();
let compiled = 0;
const checks = new Map();
parentPort.on('message', ({ id, schema, answer, compileOnly }) => {
  let verdict;
  try {
    let check = checks.get(schema);
    if (!check) {
      if (compiled >= 256) { engine = new AjvJsonSchemaValidator(); compiled = 0; checks.clear(); }
      compiled += 1;
      check = engine.getValidator(JSON.parse(schema));
      if (checks.size >= 64) checks.delete(checks.keys().next().value);
      checks.set(schema, check);
    }
    const result = compileOnly ? { valid: true } : check(answer);
    verdict = result.valid ? { valid: true } : { valid: false, message: result.errorMessage || 'The answer does not match the form.' };
  } catch (error) {
    verdict = { valid: false, message: 'Its schema cannot be checked (' + ((error && error.message) || String(error)) + ').' };
  }
  parentPort.postMessage({ id, verdict });
});
parentPort.postMessage({ ready: true });
`;

interface Pending {
  schema: string;
  answer: unknown;
  compileOnly: boolean;
  resolve: (verdict: SchemaVerdict | undefined) => void;
  timer?: ReturnType<typeof setTimeout>;
}

const tooSlow = (compileOnly: boolean): SchemaVerdict => ({
  valid: false,
  message: compileOnly
    ? `its schema took longer than ${CHECK_MS / 1000} s to prepare for checking answers (its rules are too costly).`
    : `Checking it against the server's schema took longer than ${CHECK_MS / 1000} s (its rules are too costly to check), so Steward did not send it.`,
});

class SchemaChecker {
  private worker: Worker | undefined;
  private ready = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private startTimer: ReturnType<typeof setTimeout> | undefined;

  /** The verdict, or undefined when no worker could run the check (the form's own keywords were checked already). */
  check(schema: string, answer: unknown, compileOnly: boolean): Promise<SchemaVerdict | undefined> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.pending.set(id, { schema, answer, compileOnly, resolve });
      if (this.ready) this.sendNext();
      else this.start();
    });
  }

  private start(): void {
    if (this.worker) return;
    let worker: Worker;
    try {
      const validator = createRequire(import.meta.url).resolve('@modelcontextprotocol/client/validators/ajv');
      worker = new Worker(SOURCE, { eval: true, workerData: { validator } });
    } catch {
      // No worker here: the checks stay undone (the answers passed the form's own keywords).
      for (const waiting of this.pending.values()) waiting.resolve(undefined);
      this.pending.clear();
      return;
    }
    this.worker = worker;
    worker.unref();
    this.startTimer = setTimeout(() => this.end(worker, undefined), START_MS);
    this.startTimer.unref();
    worker.on('message', (message: { ready?: true; id?: number; verdict?: SchemaVerdict }) => {
      if (message.ready) {
        clearTimeout(this.startTimer);
        this.ready = true;
        this.sendNext();
        return;
      }
      const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiting || message.id === undefined) return;
      clearTimeout(waiting.timer);
      this.pending.delete(message.id);
      waiting.resolve(message.verdict);
      this.sendNext();
    });
    // A worker that cannot start or dies leaves its checks undone, not failed: the answer passed the form's own keywords.
    worker.on('error', () => this.end(worker, undefined));
    worker.on('exit', () => this.end(worker, undefined));
  }

  /**
   * Sends the oldest check still waiting, when none is under way: the worker runs one at a time, so each check's deadline
   * starts when the worker takes it up, and one waiting behind a slow check is not blamed for it.
   */
  private sendNext(): void {
    const worker = this.worker;
    if (!worker || !this.ready || [...this.pending.values()].some((p) => p.timer)) return;
    const next = this.pending.entries().next();
    if (next.done) return;
    const [id, waiting] = next.value;
    waiting.timer = setTimeout(() => this.end(worker, tooSlow(waiting.compileOnly), id), CHECK_MS);
    waiting.timer.unref();
    worker.postMessage({ id, schema: waiting.schema, answer: waiting.answer, compileOnly: waiting.compileOnly });
  }

  /**
   * Ends a worker (a check past its deadline is stopped only with the thread running it): the check that overran gets
   * `verdict`, the others still waiting are sent again to a fresh worker.
   */
  private end(worker: Worker, verdict: SchemaVerdict | undefined, overran?: number): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.ready = false;
    clearTimeout(this.startTimer);
    void worker.terminate().catch(() => undefined);
    const retry: number[] = [];
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.timer = undefined;
      if (overran === undefined || id === overran) {
        this.pending.delete(id);
        waiting.resolve(verdict);
      } else retry.push(id);
    }
    if (retry.length > 0) this.start();
  }
}

const checker = new SchemaChecker();

/**
 * Checks `answer` against the schema text (JSON) as written, off this thread and within a deadline; with `compileOnly`,
 * only whether the schema can be prepared for checking at all.
 */
export function checkAsWritten(schema: string, answer: unknown, compileOnly = false): Promise<SchemaVerdict | undefined> {
  return checker.check(schema, answer, compileOnly);
}

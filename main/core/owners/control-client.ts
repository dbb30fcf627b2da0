// Asks another Steward process, over its control channel, to act on something it owns; its answer or a clear error.
import { connect } from 'node:net';
import { StewardError } from '../../../shared/errors.js';
import { ControlReplySchema, MAX_REPLY_BYTES, type ControlArgs, type ControlOp } from './control-protocol.js';

export interface ControlPeer {
  pid: number;
  kind: string;
  address: string;
  token: string;
}

export function controlRequest<K extends ControlOp>(peer: ControlPeer, op: K, args: ControlArgs<K>, timeoutMs: number): Promise<unknown> {
  const who = `the Steward ${peer.kind === 'cli' ? 'command' : peer.kind} (pid ${peer.pid})`;
  return new Promise((resolve, reject) => {
    const socket = connect(peer.address);
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      fn();
    };
    const timer = setTimeout(
      () => settle(() => reject(new StewardError('owner_unreachable', `${who} did not answer within ${Math.round(timeoutMs / 1000)} s.`))),
      timeoutMs,
    );
    socket.on('connect', () => socket.write(`${JSON.stringify({ v: 1, token: peer.token, op, args })}\n`));
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REPLY_BYTES) {
        settle(() => {
          reject(new StewardError('owner_unreachable', `${who} sent an answer that is too large.`));
        });
        return;
      }
      chunks.push(chunk);
      const text = Buffer.concat(chunks).toString('utf8');
      const newline = text.indexOf('\n');
      if (newline === -1) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text.slice(0, newline));
      } catch {
        parsed = undefined;
      }
      const reply = ControlReplySchema.safeParse(parsed);
      settle(() => {
        if (!reply.success) reject(new StewardError('owner_unreachable', `${who} sent an answer Steward cannot read.`));
        else if (reply.data.ok) resolve(reply.data.data);
        else reject(new StewardError(reply.data.code, reply.data.message));
      });
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      settle(() => reject(new StewardError('owner_unreachable', `${who} cannot be reached (${error.code ?? error.message}).`))),
    );
    socket.on('close', () => settle(() => reject(new StewardError('owner_unreachable', `${who} closed the connection without answering.`))));
  });
}

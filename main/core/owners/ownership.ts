// This process as an owner: its record with a lease it renews, and the verdict on any other owner — alive and
// answering, alive but not renewing (stalled), or dead — from the OS (pid and start token) and the lease together.
import { guarded } from '../background.js';
import type { Unexpected } from '../ports.js';
import type { OwnerKey, OwnerRecord } from '../store/index.js';

export type OwnerState = 'self' | 'live' | 'stalled' | 'dead';

/** An owner as other records name it; legacy rows may lack the start token. */
export interface OwnerLike {
  pid: number | null;
  started: string | null;
}

export interface OwnersPort {
  put(owner: OwnerRecord): void;
  renew(owner: OwnerKey, leaseUntil: number): boolean;
  get(owner: OwnerKey): OwnerRecord | undefined;
  list(): OwnerRecord[];
  remove(owner: OwnerKey): boolean;
}

export interface OwnershipDeps {
  self: OwnerKey;
  kind: string;
  owners: OwnersPort;
  /** Whether the recorded process (pid and start token) still runs. */
  running(owner: OwnerKey): boolean;
  now(): number;
  /** How long a lease lasts; it is renewed three times within it. */
  leaseMs: number;
  /** Told once per owner found dead while this one runs (its things wait for recovery). */
  ownerDied(owner: OwnerRecord): void;
  /** Told when a renewal fails (the database is busy or gone): the lease is tried again on the next tick. */
  unexpected: Unexpected;
}

export class Ownership {
  private timer: ReturnType<typeof setInterval> | undefined;
  private address: { address: string; token: string } | null = null;

  constructor(private readonly deps: OwnershipDeps) {}

  get self(): OwnerKey {
    return this.deps.self;
  }

  /** Records this process as an owner, reachable at `control` when it has a control channel. */
  register(control: { address: string; token: string } | null): void {
    this.address = control;
    this.write();
    this.timer = setInterval(
      () => guarded(this.deps.unexpected, 'renewing this process’s lease', () => this.tick()),
      Math.max(50, Math.floor(this.deps.leaseMs / 3)),
    );
    this.timer.unref();
  }

  private write(): void {
    this.deps.owners.put({
      ...this.deps.self,
      kind: this.deps.kind,
      address: this.address?.address ?? null,
      token: this.address?.token ?? null,
      leaseUntil: this.deps.now() + this.deps.leaseMs,
      since: new Date(this.deps.now()).toISOString(),
    });
  }

  /** Renews the lease and looks for owners that died meanwhile. */
  tick(): void {
    // A row that vanished means another process took this one for dead (the clock jumped, the machine slept): write it again.
    if (!this.deps.owners.renew(this.deps.self, this.deps.now() + this.deps.leaseMs)) this.write();
    for (const owner of this.deps.owners.list()) {
      if (!this.isSelf(owner) && !this.deps.running(owner)) this.deps.ownerDied(owner);
    }
  }

  isSelf(owner: OwnerLike): boolean {
    return owner.pid === this.deps.self.pid && owner.started === this.deps.self.started;
  }

  /**
   * self: this process. dead: the OS says that process is gone (the only state whose things another may finish).
   * live: running and renewing its lease. stalled: running, but its lease lapsed or it never took one (an older
   * Steward, or one whose event loop is stuck): its things are left alone, and a request to it may go unanswered.
   */
  state(owner: OwnerLike): OwnerState {
    if (owner.pid === null) return 'dead';
    if (this.isSelf(owner)) return 'self';
    const key = { pid: owner.pid, started: owner.started ?? '' };
    if (!this.deps.running(key)) return 'dead';
    const record = this.deps.owners.get(key);
    return record && record.leaseUntil >= this.deps.now() ? 'live' : 'stalled';
  }

  isDead(owner: OwnerLike): boolean {
    return this.state(owner) === 'dead';
  }

  /** The owner's record (kind, control address), if it registered one. */
  record(owner: OwnerLike): OwnerRecord | undefined {
    return owner.pid === null ? undefined : this.deps.owners.get({ pid: owner.pid, started: owner.started ?? '' });
  }

  /** Other owners whose process still runs. */
  others(): OwnerRecord[] {
    return this.deps.owners.list().filter((o) => !this.isSelf(o) && this.deps.running(o));
  }

  /** Stops renewing and removes this process's record: nothing of it is live any more. */
  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.deps.owners.remove(this.deps.self);
  }
}

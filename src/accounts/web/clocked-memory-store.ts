/**
 * An express-rate-limit `Store` kept in this process's memory, on an injected clock.
 *
 * Why not express-rate-limit's own MemoryStore: it reads `Date.now()` and runs a timer, so
 * tests could only move its windows by sleeping. This one reads `now` (tests pass the TestClock)
 * and sweeps expired entries while counting instead of on a timer. It keeps the Store contract
 * (fixed window from a key's first hit, `resetTime` = end of that window), so a database-backed
 * Store can replace it later as long as it reports the same `resetTime`.
 *
 * Each method does its read-modify-write without awaiting in between, so concurrent requests in
 * one process never lose a hit.
 */
import type { ClientRateLimitInfo, Store } from 'express-rate-limit';
import type { Clock } from '../../clock.js';

/** A Store whose current count can be read without counting (the throttle needs `get`). */
export type ReadableStore = Store & { get(key: string): Promise<ClientRateLimitInfo | undefined> };

/**
 * Makes each limiter's store: in this process's memory (one instance, SQLite) or in the database
 * (db-rate-limit-store.ts: shared by every instance). `name` tells limiters apart; each limiter
 * needs its own store (express-rate-limit refuses one shared by two).
 */
export type StoreFactory = (name: string, windowMs: number) => ReadableStore;

export const memoryStores = (now: Clock): StoreFactory => (_name, windowMs) => new ClockedMemoryStore({ windowMs, now });

interface Entry {
  totalHits: number;
  resetAt: number;
}

export class ClockedMemoryStore implements ReadableStore {
  /** Counts are per process: two processes would each allow the limit. */
  readonly localKeys = true;
  private readonly entries = new Map<string, Entry>();
  private nextSweepAt = 0;

  constructor(private readonly options: { windowMs: number; now: Clock }) {}

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const entry = this.live(key, this.options.now().getTime());
    return entry ? { totalHits: entry.totalHits, resetTime: new Date(entry.resetAt) } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo & { resetTime: Date }> {
    const at = this.options.now().getTime();
    this.sweep(at);
    let entry = this.live(key, at);
    if (!entry) {
      entry = { totalHits: 0, resetAt: at + this.options.windowMs };
      this.entries.set(key, entry);
    }
    entry.totalHits += 1;
    return { totalHits: entry.totalHits, resetTime: new Date(entry.resetAt) };
  }

  async decrement(key: string): Promise<void> {
    const entry = this.live(key, this.options.now().getTime());
    // The entry stays at zero: its window (and so its resetTime) is still the one that started.
    if (entry && entry.totalHits > 0) entry.totalHits -= 1;
  }

  async resetKey(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async resetAll(): Promise<void> {
    this.entries.clear();
  }

  /** How many keys are held (expired ones included until the next sweep). */
  get size(): number {
    return this.entries.size;
  }

  private live(key: string, at: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.resetAt <= at) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Drops expired keys at most once per window, so the map never holds more than ~two windows of keys. */
  private sweep(at: number): void {
    if (at < this.nextSweepAt) return;
    for (const [key, entry] of this.entries) if (entry.resetAt <= at) this.entries.delete(key);
    this.nextSweepAt = at + this.options.windowMs;
  }
}

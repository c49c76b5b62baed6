/**
 * Per-endpoint failure counts for `lb.on_down failover`: an endpoint whose writes failed
 * `failAfter` times in a row is down for `downMs`; after that it gets traffic again, and the
 * next failure takes it down at once (a circuit breaker's half-open state). A success resets
 * it. With `lb.on_down buffer` nothing is ever down: every trace waits for its endpoint.
 */

/** Endpoint health, keyed by endpoint name. */
export class EndpointHealth {
  #failAfter: number;
  #downMs: number;
  #now: () => number;
  #failures = new Map<string, number>();
  #downUntil = new Map<string, number>();

  /** `failAfter` failures in a row take an endpoint down for `downMs` on `now()`'s clock. */
  constructor(options: { failAfter: number; downMs: number; now: () => number }) {
    this.#failAfter = options.failAfter;
    this.#downMs = options.downMs;
    this.#now = options.now;
  }

  /** Whether `endpoint` takes traffic now. */
  isUp(endpoint: string): boolean {
    const until = this.#downUntil.get(endpoint);
    return until === undefined || until <= this.#now();
  }

  /** Counts a failed write; true when this takes the endpoint down. */
  failed(endpoint: string): boolean {
    const n = (this.#failures.get(endpoint) ?? 0) + 1;
    this.#failures.set(endpoint, n);
    if (n < this.#failAfter || !this.isUp(endpoint)) return false;
    this.#downUntil.set(endpoint, this.#now() + this.#downMs);
    return true;
  }

  /** Counts a delivered write; true when the endpoint was down or failing before. */
  delivered(endpoint: string): boolean {
    const was = this.#failures.has(endpoint);
    this.#failures.delete(endpoint);
    this.#downUntil.delete(endpoint);
    return was;
  }
}

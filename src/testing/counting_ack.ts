/**
 * An {@link Ack} that counts what is done to it, so a test can tell a leak (never settled)
 * from a double release (a release after it settled, which in the engine would settle an
 * ack other routes still hold).
 */
import { Ack } from "../event/ack.ts";

/** An ack recording its releases and the releases that came after it settled. */
export class CountingAck extends Ack {
  /** Releases that dropped a hold. */
  releases = 0;
  /** Releases after the ack had settled (ignored by Ack, a bug in whoever made them). */
  extraReleases = 0;

  /** Drops one hold, counting it; a release of a settled ack is counted as extra. */
  override release(): void {
    if (this.settled) {
      this.extraReleases++;
      return;
    }
    this.releases++;
    super.release();
  }
}

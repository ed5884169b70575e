/**
 * Lets work run side by side, except work marked solo, which runs with nothing else of this gate
 * beside it: it waits for the running work to end, and work arriving meanwhile waits behind it.
 * Turns are taken in arrival order.
 */
export class SoloGate {
  private running = 0;
  private soloRunning = false;
  private readonly waiting: { solo: boolean; go: () => void }[] = [];

  /** Resolves once `solo` (or shared) work may start; call the returned function when it ends. */
  async enter(solo: boolean): Promise<() => void> {
    if (this.waiting.length === 0 && this.mayStart(solo)) this.start(solo);
    else await new Promise<void>((go) => this.waiting.push({ solo, go }));
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.leave(solo);
    };
  }

  private mayStart(solo: boolean): boolean {
    return !this.soloRunning && (!solo || this.running === 0);
  }

  private start(solo: boolean): void {
    this.running++;
    if (solo) this.soloRunning = true;
  }

  private leave(solo: boolean): void {
    this.running--;
    if (solo) this.soloRunning = false;
    for (let next = this.waiting[0]; next && this.mayStart(next.solo); next = this.waiting[0]) {
      this.waiting.shift();
      this.start(next.solo);
      next.go();
    }
  }
}

import { Logger, describeError } from '@poststelle/telemetry';

/**
 * Runs `work` again and again until stopped: at once while it reports handled items, else after `idleMs` or when
 * nudged. A failing round is logged and retried after the idle time; it never stops the loop.
 */
export class PollingLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly name: string,
    private readonly work: () => Promise<number>,
    private readonly idleMs: number,
    private readonly log = new Logger(name),
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the current round; resolves when it has finished. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  get stopped(): boolean {
    return !this.running;
  }

  nudge(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.work();
      } catch (error) {
        this.log.warn(`${this.name}: round failed; retried later`, describeError(error));
      }
      if (handled === 0 && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.idleMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }
}

// Collects outcomes: setup steps (timed; a failure aborts the run) and checks (counted in the
// `N passed, M failed` summary; a failure is recorded and the next check still runs).
export interface Outcome {
  name: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

export class Results {
  private readonly outcomes: Outcome[] = [];

  constructor(private readonly log: (line: string) => void) {}

  async step<T>(name: string, action: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      const value = await action();
      this.log(`${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return value;
    } catch (error) {
      this.record({ name, state: 'failed', durationMs: Date.now() - started, error: describe(error) });
      throw error;
    }
  }

  async check(name: string, action: () => Promise<void>): Promise<boolean> {
    const started = Date.now();
    try {
      await action();
      this.record({ name, state: 'passed', durationMs: Date.now() - started });
      return true;
    } catch (error) {
      this.record({ name, state: 'failed', durationMs: Date.now() - started, error: describe(error) });
      return false;
    }
  }

  record(outcome: Outcome): void {
    this.outcomes.push(outcome);
    const seconds = (outcome.durationMs / 1000).toFixed(1);
    this.log(
      `${outcome.state === 'passed' ? 'PASS' : 'FAIL'} ${outcome.name} (${seconds} s)${outcome.error ? `\n    ${outcome.error.split('\n').join('\n    ')}` : ''}`,
    );
  }

  fail(name: string, error: unknown): void {
    if (this.outcomes.some((outcome) => outcome.state === 'failed' && outcome.error === describe(error))) return;
    this.record({ name, state: 'failed', durationMs: 0, error: describe(error) });
  }

  totals(): { passed: number; failed: number } {
    return {
      passed: this.outcomes.filter((outcome) => outcome.state === 'passed').length,
      failed: this.outcomes.filter((outcome) => outcome.state === 'failed').length,
    };
  }

  all(): Outcome[] {
    return [...this.outcomes];
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message).split('\n').slice(0, 6).join('\n') : String(error);
}

import { PollingLoop } from './polling-loop';

const until = async (check: () => boolean, ms = 2000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('PollingLoop', () => {
  it('runs again at once while work reports handled items, then waits for the idle time', async () => {
    const queue = [3, 2, 1];
    let rounds = 0;
    const loop = new PollingLoop('test', () => Promise.resolve((rounds++, queue.shift() ?? 0)), 60_000);
    loop.start();
    await until(() => rounds === 4);
    await new Promise((r) => setTimeout(r, 50));
    expect(rounds).toBe(4); // the fourth round found nothing: the loop now sleeps for a minute
    await loop.stop();
  });

  it('wakes at once when nudged and stops promptly while idle', async () => {
    let rounds = 0;
    const loop = new PollingLoop('test', () => Promise.resolve((rounds++, 0)), 60_000);
    loop.start();
    await until(() => rounds === 1);
    loop.nudge();
    await until(() => rounds === 2);
    const started = Date.now();
    await loop.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(loop.stopped).toBe(true);
  });

  it('keeps going after a failing round', async () => {
    let rounds = 0;
    const loop = new PollingLoop(
      'test',
      () => {
        rounds++;
        return rounds === 1 ? Promise.reject(new Error('database down')) : Promise.resolve(0);
      },
      10,
    );
    loop.start();
    await until(() => rounds >= 3);
    await loop.stop();
  });
});

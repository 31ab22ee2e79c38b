import { startApp, type AppProcessJob, type AppProcessReady } from './servers.ts';

/**
 * A second app process for the scale-out measurement (servers.ts `startAppProcess`): starts the app
 * as the bench's own process does, on a port of its own, answers its origin over IPC and shuts the app
 * down when the parent disconnects (or dies).
 */

const answer = (message: AppProcessReady) =>
  new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

process.once('message', (job: AppProcessJob) => {
  startApp(job.target, job.webDistDir, job.publicBaseUrl).then(
    async (running) => {
      process.once('disconnect', () => {
        running.close().finally(() => process.exit(0));
      });
      await answer({ baseUrl: running.baseUrl });
    },
    async (error: unknown) => {
      await answer({ error: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    },
  );
});
// Without a parent there is nobody to serve: whatever still holds the process open, leave in 15 s.
process.once('disconnect', () => setTimeout(() => process.exit(0), 15_000).unref());

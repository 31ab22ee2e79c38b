import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

/**
 * Where this process spends its CPU while a load run is going on (the app runs in this process, the
 * load generator in a child): V8's sampling profiler through the inspector, summed by self time per
 * function and per package, so "the customer page costs 10 ms of CPU" becomes "this much is zod, this
 * much is SQLite, this much is our presenter".
 */

export interface ProfileLine {
  name: string;
  share: number;
  ms: number;
}

export interface CpuProfile {
  /** Sampled time, idle excluded. */
  busyMs: number;
  idleMs: number;
  functions: ProfileLine[];
  packages: ProfileLine[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** Where a script belongs: an npm package, node itself, or a project folder. */
function ownerOf(url: string): string {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  if (url.startsWith('node:') || url === '') return 'node (built-in / native)';
  // A server module's folder, or a shared file of src/common by name.
  const project = /\/(src\/server\/[^/]+|src\/common\/[^/]+|src\/web\/[^/]+|scripts\/[^/]+)/.exec(url);
  return project ? project[1]! : url;
}

/** Runs `work` under the sampling profiler. */
export async function profileWhile<T>(work: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  let result: T;
  let stopped: Awaited<ReturnType<typeof stop>>;
  const stop = () => session.post('Profiler.stop');
  try {
    result = await work();
  } finally {
    stopped = await stop();
    session.disconnect();
  }
  // The whole profile for Chrome DevTools' Performance panel, when asked for (call trees, not only
  // self time): BENCH_CPU_PROFILE_DIR=/some/dir.
  const dir = process.env.BENCH_CPU_PROFILE_DIR;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `bench-${Date.now()}.cpuprofile`), JSON.stringify(stopped.profile));
  }
  const {
    nodes,
    samples = [],
    timeDeltas = [],
  } = stopped.profile as {
    nodes: ProfileNode[];
    samples?: number[];
    timeDeltas?: number[];
  };
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  samples.forEach((id, i) => {
    const node = byId.get(id);
    const ms = (timeDeltas[i] ?? 0) / 1000;
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') {
      idle += ms;
      return;
    }
    busy += ms;
    const file = url.replace(/^.*\/(node_modules|work\/main)\//, '');
    const name = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + ms);
    const owner = functionName === '(garbage collector)' ? 'garbage collector' : ownerOf(url);
    packages.set(owner, (packages.get(owner) ?? 0) + ms);
  });
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => ({ name, ms, share: busy > 0 ? ms / busy : 0 }));
  return {
    result,
    profile: { busyMs: busy, idleMs: idle, functions: top(functions, 15), packages: top(packages, 12) },
  };
}

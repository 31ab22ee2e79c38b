import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * HEIC decoding off the event loop. heic-decode is libheif compiled to wasm: it runs on the thread
 * that calls it, and an iPhone photo (12 MP) took 3.6 s there with a 2.1 s stall of every other
 * request (measured on this machine). It runs in one worker thread instead, started on the first
 * HEIC upload and kept (it holds the process open only while it decodes); photos wait their turn.
 * The worker is plain CommonJS given as text, so it needs no TypeScript loader in any runtime.
 */

export interface DecodedPixels {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  data: Uint8Array;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const decode = require(workerData.heicDecode);
parentPort.on('message', async ({ id, bytes }) => {
  try {
    const image = await decode({ buffer: new Uint8Array(bytes) });
    const data = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
    parentPort.postMessage({ id, width: image.width, height: image.height, data }, [data.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

type Reply = { id: number; width: number; height: number; data: Uint8Array } | { id: number; error: string };

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<
  number,
  { resolve: (pixels: DecodedPixels) => void; reject: (error: Error) => void }
>();

function theWorker(): Worker {
  if (worker) return worker;
  const heicDecode = createRequire(import.meta.url).resolve('heic-decode');
  const started = new Worker(WORKER_SOURCE, { eval: true, workerData: { heicDecode } });
  started.on('message', (reply: Reply) => {
    const pending = waiting.get(reply.id);
    if (!pending) return;
    waiting.delete(reply.id);
    if (waiting.size === 0) started.unref();
    if ('error' in reply) pending.reject(new Error(reply.error));
    else pending.resolve({ width: reply.width, height: reply.height, data: reply.data });
  });
  // A crashed worker fails what it held; the next photo starts a new one.
  const fail = (error: Error) => {
    if (worker === started) worker = null;
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`the HEIC worker stopped (${code})`)));
  worker = started;
  return started;
}

/** The primary image of a HEIC/HEIF file as RGBA pixels, decoded in the worker thread. */
export function decodeHeicOffThread(bytes: Buffer): Promise<DecodedPixels> {
  const id = (nextId += 1);
  const copy = new Uint8Array(bytes); // transferred: the caller keeps its buffer
  return new Promise<DecodedPixels>((resolve, reject) => {
    const thread = theWorker();
    waiting.set(id, { resolve, reject });
    thread.ref(); // held open while a photo is decoded, let go when idle
    thread.postMessage({ id, bytes: copy }, [copy.buffer]);
  });
}

/**
 * Ends the worker thread, if one was started (the process is stopping): a photo still decoding fails
 * as after a crash. Idle, the thread never holds the process open; this frees it at once.
 */
export async function stopHeicWorker(): Promise<void> {
  const running = worker;
  worker = null;
  await running?.terminate();
}

import { parentPort } from 'node:worker_threads';
import { runJob, sendableError, type RenderJob } from './label-render.js';

// A label worker thread: renders one job at a time for LabelRenderPool, posting
// { ready }, then { piece } messages, then { end } — or { error } instead.
const port = parentPort!;
port.on('message', (job: RenderJob) => {
  void runJob(
    job,
    () => port.postMessage({ type: 'ready' }),
    (piece) => port.postMessage({ type: 'piece', piece }, [piece.buffer as ArrayBuffer]),
  ).then(
    () => port.postMessage({ type: 'end' }),
    (error: unknown) => port.postMessage({ type: 'error', error: sendableError(error) }),
  );
});

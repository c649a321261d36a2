import { Worker } from 'node:worker_threads';

interface Pending {
  resolve: (bands: string[][]) => void;
  reject: (error: unknown) => void;
}

/**
 * The thread that computes text bands (text-band.worker.mjs), started on first use. Unreferenced
 * while idle, so it never keeps a process alive; a thread that fails takes its unanswered
 * batches with it (they are refused) and the next batch starts a new one.
 */
export class TextBandThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  /** The bands of each text, in order (`textBands`), computed on the thread. */
  bandsOf(texts: (string | null)[]): Promise<string[][]> {
    if (this.closed) return Promise.reject(new Error('the text band thread is closed'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, texts });
    });
  }

  /** Lets batches already sent finish, then stops the thread. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.ref();
    worker.postMessage('stop');
    await exited;
  }

  private start(): Worker {
    const worker = new Worker(new URL('./text-band.worker.mjs', import.meta.url));
    worker.on('message', (message: { id: number; bands: string[][] }) => {
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      pending?.resolve(message.bands);
      if (this.pending.size === 0 && !this.closed) worker.unref();
    });
    const failAll = (error: unknown) => {
      if (this.worker === worker) this.worker = undefined;
      const pending = [...this.pending.values()];
      this.pending.clear();
      for (const p of pending) p.reject(error);
    };
    worker.on('error', failAll);
    worker.on('exit', () => failAll(new Error('the text band thread stopped')));
    this.worker = worker;
    return worker;
  }
}

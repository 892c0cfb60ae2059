/**
 * Gathers the calls made in one turn of the event loop and hands them to `flush` together; each
 * call's promise settles with its batch. Flushes run one after another, so what one batch writes
 * (queue row ids, which ordering keys follow) comes before what the next batch writes.
 */
export class TurnBatcher<T> {
  readonly #flush: (items: readonly T[]) => Promise<void>;
  #pending: { readonly item: T; readonly resolve: () => void; readonly reject: (error: unknown) => void }[] = [];
  #scheduled = false;
  #flushing: Promise<void> = Promise.resolve();

  constructor(flush: (items: readonly T[]) => Promise<void>) {
    this.#flush = flush;
  }

  add(item: T): Promise<void> {
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    this.#pending.push({ item, resolve, reject });
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#flushing = this.#flushing.then(() => this.#run());
      });
    }
    return promise;
  }

  async #run(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    this.#scheduled = false;
    try {
      await this.#flush(batch.map((pending) => pending.item));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const pending of batch) pending.resolve();
  }
}

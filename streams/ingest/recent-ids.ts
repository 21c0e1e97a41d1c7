/**
 * A bounded set of recently seen ids: the cache in front of the dedupe filter and the store's id
 * index. Two generations instead of FIFO eviction: deleting from the front of one big Set leaves
 * holes that every later eviction has to skip, which turned eviction quadratic under load.
 */
export class RecentIds {
  private current = new Set<string>();
  private previous = new Set<string>();
  private readonly half: number;

  constructor(capacity: number) {
    this.half = Math.max(1, Math.floor(capacity / 2));
  }

  has(id: string): boolean { return this.current.has(id) || this.previous.has(id); }

  add(id: string): void {
    if (this.current.has(id)) return;
    this.current.add(id);
    if (this.current.size >= this.half) {
      this.previous = this.current;
      this.current = new Set();
    }
  }

  *ids(): IterableIterator<string> {
    yield* this.previous;
    yield* this.current;
  }

  get size(): number { return this.current.size + this.previous.size; }
}

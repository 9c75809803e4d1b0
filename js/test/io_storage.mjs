// MemoryStorage is the Web Storage API (length, key, getItem, setItem,
// removeItem, clear) over a Map, for the localstorage:// tests under Node.
// quota caps the characters of keys and values together, as browsers count
// them; setItem past it throws a DOMException named QuotaExceededError.

export class MemoryStorage {
  constructor(quota = Infinity) {
    this.map = new Map();
    this.quota = quota;
  }

  get length() { return this.map.size; }

  key(i) { return i >= 0 && i < this.map.size ? [...this.map.keys()][i] : null; }

  getItem(k) { return this.map.has(String(k)) ? this.map.get(String(k)) : null; }

  setItem(k, v) {
    k = String(k); v = String(v);
    const old = this.map.has(k) ? k.length + this.map.get(k).length : 0;
    if (this.used() - old + k.length + v.length > this.quota) {
      throw new DOMException(`Setting the value of '${k}' exceeded the quota.`, 'QuotaExceededError');
    }
    this.map.set(k, v);
  }

  removeItem(k) { this.map.delete(String(k)); }

  clear() { this.map.clear(); }

  /** used counts the characters stored, keys and values. */
  used() {
    let n = 0;
    for (const [k, v] of this.map) n += k.length + v.length;
    return n;
  }

  /** keys lists the stored keys. */
  keys() { return [...this.map.keys()]; }

  /** snapshot is every key and value, sorted by key, for comparing before and after. */
  snapshot() { return [...this.map.entries()].sort(([a], [b]) => (a < b ? -1 : 1)); }
}

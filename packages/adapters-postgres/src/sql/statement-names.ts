/**
 * Names for prepared statements, one per distinct SQL text. A named statement is parsed and planned once per
 * connection and then only bound and executed, where an unnamed one is parsed and planned on every call: on the
 * placement path that was most of the server's work per statement. The texts are the stores' constants, so the set is
 * small; past `capacity` distinct texts (SQL built per call would otherwise grow every connection's cache without
 * bound) a text runs unnamed.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();

  constructor(private readonly capacity = 1_000) {}

  /** The name for `text`, or undefined when it should run unnamed. */
  nameOf(text: string): string | undefined {
    const known = this.names.get(text);
    if (known !== undefined || this.names.size >= this.capacity) return known;
    const name = `tiffin_${this.names.size + 1}`;
    this.names.set(text, name);
    return name;
  }
}

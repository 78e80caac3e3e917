// Overlapping requests for one place on screen: only the newest may draw there. A slow answer
// for a choice the admin has since changed (another grant, another view) is dropped, not shown
// over the newer one.

export interface Ask {
  /** True while no newer request began for the same place. */
  isCurrent(): boolean;
}

export class Latest {
  private generation = 0;

  /** Starts a request; every earlier one becomes stale. */
  begin(): Ask {
    const mine = ++this.generation;
    return { isCurrent: () => mine === this.generation };
  }
}

/** Minimal disposable shape shared by pure modules; structurally a vscode.Disposable. */
export interface Disposable {
  dispose(): void;
}

/** Base for classes that own listeners and timers: everything registered dies with it. */
export abstract class DisposableStore implements Disposable {
  private readonly owned: Disposable[] = [];
  protected disposed = false;

  protected register<T extends Disposable>(item: T): T {
    if (this.disposed) {
      item.dispose();
    } else {
      this.owned.push(item);
    }
    return item;
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    for (const item of this.owned.splice(0).reverse()) {
      item.dispose();
    }
  }
}

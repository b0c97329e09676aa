// A list that draws only the rows on screen, so a 300 000-row listing scrolls like a short one.
import { el } from "./dom";

/** Rows drawn above and below the visible ones, so a small scroll shows drawn rows at once. */
const OVERSCAN = 10;

export class VirtualList {
  count = 0;
  /** First and last row on screen (after the last draw). */
  first = 0;
  last = -1;
  private readonly spacer: HTMLDivElement;
  private pending = false;

  constructor(
    readonly scroller: HTMLElement,
    readonly rowHeight: number,
    private readonly drawRow: (i: number) => HTMLElement,
    private readonly onDrawn: () => void,
  ) {
    this.spacer = el("div", "spacer");
    scroller.append(this.spacer);
    scroller.addEventListener("scroll", () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(scroller);
  }

  setCount(n: number): void {
    this.count = n;
    this.spacer.style.height = `${n * this.rowHeight}px`;
    this.schedule();
  }

  schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  /** Draws now (the first paint does not wait for an animation frame). */
  draw(): void {
    const top = this.scroller.scrollTop;
    const height = this.viewHeight();
    this.first = Math.max(0, Math.floor(top / this.rowHeight));
    this.last = Math.min(this.count - 1, Math.floor((top + height - 1) / this.rowHeight));
    const from = Math.max(0, this.first - OVERSCAN);
    const to = Math.min(this.count - 1, this.last + OVERSCAN);
    const rows: HTMLElement[] = [];
    for (let i = from; i <= to; i++) {
      const row = this.drawRow(i);
      row.style.top = `${i * this.rowHeight}px`;
      rows.push(row);
    }
    this.spacer.replaceChildren(...rows);
    this.onDrawn();
  }

  /** Scrolls so row `i` is on screen: centred when it was off screen, untouched when visible. */
  reveal(i: number, atTop = false): void {
    const h = this.rowHeight;
    const top = this.scroller.scrollTop;
    const height = this.viewHeight();
    if (atTop) this.scroller.scrollTop = i * h;
    else if (i * h < top || (i + 1) * h > top + height) this.scroller.scrollTop = Math.max(0, i * h - height / 2 + h / 2);
    this.schedule();
  }

  rowsPerPage(): number {
    return Math.max(1, Math.floor(this.viewHeight() / this.rowHeight) - 1);
  }

  private viewHeight(): number {
    return this.scroller.clientHeight || 600;
  }
}

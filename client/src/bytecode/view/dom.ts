// Small DOM helpers of the bytecode webview. Everything from the file goes in as text, never markup.

/** An element with a class and text (never markup). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export const pad4 = (n: number): string => String(n).padStart(4, "0");

/** Lower-case hexadecimal, zero-padded to `width` digits: the one spelling of hex (`0x00034e`). */
export const hex = (n: number, width: number): string => n.toString(16).padStart(width, "0");

/** A number's hover: decimal and hexadecimal (integers), as the operand bytes hold it. */
export function numberTitle(value: number): string {
  if (Number.isInteger(value)) return `${value} = 0x${(value < 0 ? "-" : "") + Math.abs(value).toString(16)}`;
  return String(value);
}

// Contrast of the text in a bytecode webview, from the COMPUTED styles (what the theme's colours
// turned into): every visible element holding text, its colour over the background it sits on
// (translucent layers composited, up to the opaque page), against WCAG AA (4.5:1 for text).
// Evaluated in the webview's content frame; returns the number of elements checked and the failures.

/** The check's source, evaluated as a string in the page (no bundler helpers there). */
export const contrastFailuresScript = `(() => {
  const parse = (text) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(text);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const backgroundOf = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg && bg.a > 0) { layers.push(bg); if (bg.a >= 1) break; }
    }
    let c = { r: 255, g: 255, b: 255, a: 1 };
    for (let i = layers.length - 1; i >= 0; i--) c = over(layers[i], c);
    return c;
  };
  const failures = [];
  let checked = 0;
  for (const el of document.querySelectorAll("body *")) {
    const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join("").trim();
    if (!text) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility === "hidden" || style.display === "none" || box.width === 0 || box.height === 0) continue;
    if (box.bottom < 0 || box.top > innerHeight || box.right < 0 || box.left > innerWidth) continue;
    const bg = backgroundOf(el);
    const fg = over(parse(style.color) || { r: 0, g: 0, b: 0, a: 1 }, bg);
    const r = ratio(fg, bg);
    checked++;
    if (r < 4.5) failures.push({ element: el.tagName.toLowerCase() + "." + [...el.classList].join("."), parent: el.parentElement ? [...el.parentElement.classList].join(".") : "", text: text.slice(0, 30), color: style.color, background: "rgb(" + [bg.r, bg.g, bg.b].map(Math.round).join(", ") + ")", ratio: Math.round(r * 100) / 100 });
  }
  return JSON.stringify({ checked, failures });
})()`;

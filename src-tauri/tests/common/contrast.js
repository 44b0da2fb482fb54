// Non-text contrast (WCAG 2.1 AA, success criterion 1.4.11) measured in the
// real window, which axe-core does not do: the ring of every radio and
// checkbox, the track of every progress bar and the focus ring of every
// focusable control must reach 3:1 against what is next to them.
// Returns { failures: [..], checked: {radios, checkboxes, bars, focus} }.
// Injected by common/mod.rs (`App::contrast`) through WebDriver as an async
// script: it waits two frames after focusing each control.
(async () => {
  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c || "");
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  // The colour painted behind an element: its ancestors' backgrounds,
  // blended from the page (white) up.
  const backdrop = (el) => {
    const layers = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) layers.push(c);
      if (c && c.a === 1) break;
    }
    let acc = { r: 255, g: 255, b: 255, a: 1 };
    for (let i = layers.length - 1; i >= 0; i--) acc = over(layers[i], acc);
    return acc;
  };
  const lum = (c) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const st = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && st.visibility !== "hidden" && st.display !== "none";
  };
  const describe = (el) => {
    const id = el.id ? `#${el.id}` : "";
    const name = el.getAttribute("name") ? `[name=${el.getAttribute("name")}]` : "";
    const text = (el.textContent || el.value || "").trim().slice(0, 30);
    return `${el.tagName.toLowerCase()}${id}${name}${text ? ` "${text}"` : ""}`;
  };
  const failures = [];
  const checked = { radios: 0, checkboxes: 0, bars: 0, focus: 0 };
  const css = (c) => `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`;
  const need = (what, el, fg, bg) => {
    if (!fg) {
      failures.push(`${what} ${describe(el)}: no colour to measure`);
      return;
    }
    const r = ratio(over(fg, bg), bg);
    if (r < 3) failures.push(`${what} ${describe(el)}: ${r.toFixed(2)}:1, ${css(over(fg, bg))} on ${css(bg)} (needs 3:1)`);
  };

  // Radios and checkboxes: the engine's own rings are too faint, so they must
  // be drawn by the page (appearance none) with a border that contrasts.
  for (const el of document.querySelectorAll("input[type=radio], input[type=checkbox]")) {
    if (!visible(el)) continue;
    const st = getComputedStyle(el);
    checked[el.type === "radio" ? "radios" : "checkboxes"]++;
    if (st.appearance !== "none" && st.webkitAppearance !== "none") {
      failures.push(`${el.type} ${describe(el)}: drawn by the engine (faint ring), not by the page`);
      continue;
    }
    if (parseFloat(st.borderTopWidth) < 1.5) {
      failures.push(`${el.type} ${describe(el)}: ring thinner than 2 px`);
      continue;
    }
    need(`${el.type} ring`, el, parse(st.borderTopColor), backdrop(el.parentElement));
  }

  // Progress bars: the track (its border, or its background when it has no
  // border) must be visible against the page.
  for (const el of document.querySelectorAll(".bar, progress")) {
    if (!visible(el)) continue;
    checked.bars++;
    const st = getComputedStyle(el);
    const bg = backdrop(el.parentElement);
    const hasBorder = parseFloat(st.borderTopWidth) >= 1 && st.borderTopStyle !== "none";
    need("progress track", el, parse(hasBorder ? st.borderTopColor : st.backgroundColor), bg);
  }

  // Focus rings: focus each control as the keyboard would and measure its
  // outline against the background around it.
  const before = document.activeElement;
  const focusables = document.querySelectorAll(
    "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])");
  let matched = 0;
  const tried = { visible: 0, focused: 0, focusMatched: 0 };
  for (const el of focusables) {
    if (!visible(el) || el.closest("dialog:not([open])")) continue;
    tried.visible++;
    el.focus({ preventScroll: true });
    if (document.activeElement !== el) continue;
    tried.focused++;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    // Jump any running transition of the focus style to its end.
    if (el.getAnimations) el.getAnimations().forEach((a) => { try { a.finish(); } catch (e) { /* infinite */ } });
    if (el.matches(":focus")) tried.focusMatched++;
    if (!el.matches(":focus-visible")) continue;
    matched++;
    checked.focus++;
    const st = getComputedStyle(el);
    // The indicator is an outline, or rings drawn with box-shadow (Bootstrap
    // Italia's: 2 px white, then black out to 5 px). A ring outside the
    // element is seen against the parent's background, one drawn inside
    // (negative offset or inset) against the element's own. The indicator
    // passes when one of its rings, at least 2 px wide, reaches 3:1.
    const rings = [];
    const outline = parse(st.outlineColor);
    if (st.outlineStyle !== "none" && parseFloat(st.outlineWidth) >= 2 && outline && outline.a > 0) {
      rings.push({ color: outline, inside: parseFloat(st.outlineOffset) < 0, how: "outline" });
    }
    const shadows = st.boxShadow === "none" ? [] : st.boxShadow.split(/,(?![^(]*\))/);
    let previousSpread = 0;
    for (const sh of shadows) {
      const color = parse(sh);
      const nums = (sh.replace(/rgba?\([^)]*\)/, "").match(/-?[\d.]+px/g) || []).map(parseFloat);
      const [x = 0, y = 0, blur = 0, spread = 0] = nums;
      if (!color || color.a === 0 || x || y || blur) continue;
      if (spread - previousSpread >= 2 || (/inset/.test(sh) && spread >= 2)) {
        rings.push({ color, inside: /inset/.test(sh), how: "box-shadow" });
      }
      previousSpread = Math.max(previousSpread, spread);
    }
    if (rings.length === 0) {
      // Name the rules that set the ring, to find the one that wins.
      const rules = [];
      for (const sheet of document.styleSheets) {
        let list = [];
        try { list = sheet.cssRules; } catch (e) { continue; }
        for (const rule of list) {
          if (!rule.selectorText || !(rule.style.boxShadow || rule.style.outline || rule.style.outlineColor)) continue;
          try { if (!el.matches(rule.selectorText)) continue; } catch (e) { continue; }
          rules.push(`${rule.selectorText.slice(0, 80)} {box-shadow: ${rule.style.boxShadow}; outline: ${rule.style.outline}}`);
        }
      }
      failures.push(`focus ring ${describe(el)}: no visible outline or ring (outline ${st.outlineStyle} ${st.outlineColor}, box-shadow ${st.boxShadow}); rules: ${rules.slice(-4).join(" | ")}`);
      continue;
    }
    const best = rings
      .map((r) => {
        const bg = backdrop(r.inside ? el : el.parentElement);
        return { r, bg, ratio: ratio(over(r.color, bg), bg) };
      })
      .sort((a, b) => b.ratio - a.ratio)[0];
    need(`focus ring (${best.r.how})`, el, best.r.color, best.bg);
  }
  if (focusables.length > 0 && matched === 0) {
    failures.push(`no control matched :focus-visible when focused: the focus ring could not be measured (${focusables.length} focusable, ${tried.visible} visible, ${tried.focused} took focus, ${tried.focusMatched} matched :focus; document.hasFocus() ${document.hasFocus()}, visibility ${document.visibilityState})`);
  }
  if (before && before.focus) before.focus({ preventScroll: true });
  return { failures, checked };
})()

/*
 * Material's search reads the query on keyup. Text committed by a Japanese input method on a
 * phone keyboard, pasted from the menu or dictated can arrive with no keyup at all, so the box
 * would keep showing "type to search". Relay such input events as a keyup; Material ignores a
 * value it has already seen, so ordinary typing is not searched twice.
 */
document.addEventListener("input", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.matches(".md-search__input") || event.isComposing) {
    return;
  }
  box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
});

/** The element every page renders into: each page's HTML has `<div id="app">`. */
export function appRoot(): HTMLElement {
  const root = document.getElementById('app');
  if (!root) throw new Error('This page has no element with id "app" to render into.');
  return root;
}

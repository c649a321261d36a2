// A mirror's search page (rcenter export-site, docs/mirror.md): Pagefind's search box over the
// static index exported with the mirror. Without JavaScript the page still links to the day lists
// and categories; loaded only on that page, never by the service itself.
window.addEventListener('DOMContentLoaded', () => {
  const element = document.getElementById('mirror-search');
  if (!element || typeof window.PagefindUI !== 'function') return;
  // Results link into the mirror wherever it is served: the root is the folder above this locale's.
  const baseUrl = new URL('../', document.baseURI).pathname;
  new window.PagefindUI({ element: '#mirror-search', baseUrl, showImages: false, showSubResults: false });
});

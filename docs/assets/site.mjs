// What every page of the site does, whatever it holds: register the offline service
// worker, let the keyboard reach tables that scroll sideways, and load the rules
// editor's script on its page only.
//
// Loaded on every page (mkdocs.yml extra_javascript); binds through Material's
// document$ so that it also runs after each instant navigation. The checker's own
// behaviour is checker-ui.mjs's.

// Every page registers the site's service worker (docs/checker-sw.js), once loaded: the
// pages read and the search then work offline. Nothing else is downloaded for it.
let offlineAsked = false;
function registerOffline() {
  const meta = document.querySelector('meta[name="cagette-offline"]');
  if (offlineAsked || !meta || !("serviceWorker" in navigator)) return;
  offlineAsked = true;
  const register = () => navigator.serviceWorker.register(new URL(meta.content, document.baseURI).href)
    .catch((error) => console.warn("mode hors ligne indisponible", error));
  if (document.readyState === "complete") register();
  else addEventListener("load", register, { once: true });
}

// Material wraps each table in a box that scrolls sideways when the table is wider than
// the screen: such a box must be reachable with the keyboard to be scrolled (Tab, then the
// arrows). Boxes that do not scroll stay out of the tab order.
function scrollableTablesFocusable() {
  for (const box of document.querySelectorAll(".md-typeset__scrollwrap")) {
    if (box.scrollWidth > box.clientWidth + 1) box.tabIndex = 0;
    else box.removeAttribute("tabindex");
  }
}
let tablesWatched = false;
function watchScrollableTables() {
  requestAnimationFrame(scrollableTablesFocusable); // after Material has wrapped the tables
  if (tablesWatched) return;
  tablesWatched = true;
  let pending = null;
  addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(scrollableTablesFocusable);
  });
}

// The rules editor's page script loads only on its page (no request on the others): this
// module is the one every page already runs. It binds on one root only, written by the
// build straight into the page's article (an element of that id elsewhere is ignored).
function bindEditor() {
  const roots = document.querySelectorAll("#rules-editor");
  const root = roots.length === 1 && roots[0].parentElement?.matches("article") ? roots[0] : null;
  if (!root || root.dataset.bound) return;
  import("./editor/editor-page.mjs").then((page) => page.bind(root)).catch((error) => {
    console.error(error);
    const alert = document.createElement("p");
    alert.setAttribute("role", "alert");
    alert.textContent = "L'éditeur n'a pas pu être chargé\u00a0: rechargez la page.";
    root.append(alert);
  });
}

function bindPage() {
  registerOffline();
  watchScrollableTables();
  bindEditor();
}

/** Run ``bind`` on every page shown: through Material's document$ (after each instant
 *  navigation too), or once the document is ready when the theme's script is absent. */
export function onEveryPage(bind) {
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(bind);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
}

onEveryPage(bindPage);

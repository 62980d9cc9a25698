// Sessions page: show the next dates still to come on the day the page is read.
//
// The page lists the sessions of the coming weeks (from the build date) as
// <time datetime="…"> values, all hidden: a site built once is read for weeks,
// so the build cannot know which dates are past. Without JavaScript the list
// stays hidden and the recurrence in words and the .ics calendar say it all.
// Loaded on every page (mkdocs.yml extra_javascript); binds through Material's
// document$ for instant navigation.

function showUpcoming() {
  const now = Date.now();
  for (const block of document.querySelectorAll("[data-session-dates]")) {
    const shown = Number.parseInt(block.dataset.shown, 10) || 5;
    let count = 0;
    for (const item of block.querySelectorAll("li")) {
      const time = item.querySelector("time[datetime]");
      const upcoming = time !== null && Date.parse(time.dateTime) > now && count < shown;
      item.hidden = !upcoming;
      if (upcoming) count += 1;
    }
    block.hidden = count === 0;
  }
}

if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(showUpcoming);
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", showUpcoming);
} else {
  showUpcoming();
}

// Sessions page: show what is still to come on the day the page is read.
//
// A site built once is read for weeks, so the build cannot know which dates are
// past. The page lists the weekly sessions of the coming weeks (from the build
// date) as <time datetime="…"> values, all hidden: the first few still to come
// are shown. Each session with a date to come carries the end of its last one
// (data-session-ends): once it has passed, a one-off session (data-session-once)
// is hidden with its entry in the table of contents, and a weekly one loses its
// registration and calendar buttons. The introduction then says whether a date is
// still to come, or that no session is left (its three sentences are attributes). Without JavaScript the page stays as
// built: the schedules in words and the .ics calendars say it all.
// Loaded on every page (mkdocs.yml extra_javascript); binds through Material's
// document$ for instant navigation.

import { onEveryPage } from "./site.mjs";

function showUpcomingDates(now) {
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

function hideTocEntry(section, hidden) {
  const heading = section.querySelector("h2[id]");
  if (heading === null) return;
  // Material may have made the links absolute: compare their fragment only.
  for (const link of document.querySelectorAll(".md-nav--secondary a.md-nav__link")) {
    const entry = link.closest("li");
    if (link.hash === `#${heading.id}` && entry !== null) entry.hidden = hidden;
  }
}

function showSessions(now) {
  const sessions = document.querySelectorAll("[data-session]");
  if (sessions.length === 0) return; // not the sessions page
  let remaining = 0;
  let toCome = 0;
  for (const section of sessions) {
    const ends = section.dataset.sessionEnds;
    const coming = ends !== undefined && Date.parse(ends) > now;
    const over = section.hasAttribute("data-session-once") && !coming;
    section.hidden = over;
    hideTocEntry(section, over);
    for (const actions of section.querySelectorAll("[data-session-actions]")) {
      actions.hidden = !coming;
    }
    if (!over) remaining += 1;
    if (coming) toCome += 1;
  }
  const state = toCome > 0 ? "some" : remaining > 0 ? "past" : "none";
  for (const intro of document.querySelectorAll("[data-sessions-intro]")) {
    const text = intro.dataset[state];
    if (text !== undefined) intro.textContent = text;
  }
}

function showCurrent() {
  const now = Date.now();
  showUpcomingDates(now);
  showSessions(now);
}

onEveryPage(showCurrent);

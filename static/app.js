// Progressive enhancement for /system: a tile opens the entity's panel as a modal dialog
// without leaving the page, and the URL says which entity is open. Without JavaScript the
// tiles are plain links and ?entity=ID renders the same panel on the server.
(function () {
  "use strict";
  var chart = document.querySelector(".org-chart");
  if (!chart || typeof HTMLDialogElement === "undefined") return;

  function closeHref(dialog) {
    var close = dialog.querySelector(".dialog-close");
    return close ? close.getAttribute("href") : location.pathname;
  }

  function enhance(dialog) {
    dialog.addEventListener("close", function () {
      history.replaceState(null, "", closeHref(dialog));
    });
    var close = dialog.querySelector(".dialog-close");
    if (close) {
      close.addEventListener("click", function (event) {
        event.preventDefault();
        dialog.close();
      });
    }
    if (dialog.open) dialog.close();
    dialog.showModal();
    // Start at the top: the heading takes the focus, so the panel reads from its name.
    var heading = dialog.querySelector("h2");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
    dialog.scrollTop = 0;
  }

  function open(url, tile) {
    fetch(url, { headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("entity-dialog");
        if (!fresh) throw new Error("no panel");
        var old = document.getElementById("entity-dialog");
        if (old) old.remove();
        var dialog = document.importNode(fresh, true);
        dialog.removeAttribute("open");
        document.querySelector("main").appendChild(dialog);
        history.pushState(null, "", url);
        enhance(dialog);
      })
      .catch(function () {
        // A static host answers the chart without its panel: go to the entity's page.
        location.href = tile.getAttribute("href");
      });
  }

  chart.addEventListener("click", function (event) {
    var tile = event.target.closest("a.tile");
    if (!tile || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    // The panel's URL: this page's filter, then the tile's entity.
    open(chart.getAttribute("data-panel-base") + encodeURIComponent(tile.getAttribute("data-entity")), tile);
  });

  var initial = document.getElementById("entity-dialog");
  if (initial) enhance(initial);

  window.addEventListener("popstate", function () {
    location.reload();
  });
})();

// On a static host (`mandate-map build`), a query is not read: /entities/?crime=a&crime=b
// sends the page of every entity. The page then filters its own list in the browser, from
// the pages of one value each (which the export holds: /entities/crime=a/), combined as
// the server combines them: any of a dimension's values, every dimension; every crime type
// with match=all. Two of a link's dimensions (a crime type and a basis) must hold on one
// link, which those pages cannot tell: that, and a search, it leaves to the server. Its
// counts and charts stay those of the page, and it says so.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !main.hasAttribute("data-selection") || !window.fetch || !window.URLSearchParams) return;
  var dims = main.getAttribute("data-dims").split(" ");
  var asked = new URLSearchParams(location.search);
  var shown = new URLSearchParams(main.getAttribute("data-selection"));
  function pairs(params) {
    var out = [];
    dims.forEach(function (d) {
      params.getAll(d).forEach(function (v) {
        if (v && out.indexOf(d + "=" + v) < 0) out.push(d + "=" + v);
      });
    });
    return out.sort();
  }
  var wanted = pairs(asked);
  var search = (asked.get("q") || "").trim();
  if ((!wanted.length || wanted.join("&") === pairs(shown).join("&")) && !search) return;

  var root = main.getAttribute("data-href");
  var edition = main.getAttribute("data-edition");
  function pageOf(pair) {
    var segments = [pair];
    if (edition) segments.push("edition=" + edition);
    return root + "entities/" + segments.sort().join("/") + "/";
  }
  function idsOf(url, ids) {
    return fetch(url, { headers: { Accept: "text/html" } })
      .then(function (r) {
        if (!r.ok) throw new Error(url + " answered " + r.status);
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        doc.querySelectorAll("tr[data-entity]").forEach(function (row) {
          ids[row.getAttribute("data-entity")] = true;
        });
        var next = doc.querySelector('a[rel="next"]');
        return next ? idsOf(new URL(next.getAttribute("href"), url).href, ids) : ids;
      });
  }
  // The note goes in at once, so that the page moves once, before the list is filtered.
  var note = document.createElement("p");
  note.className = "static-note";
  note.setAttribute("role", "status");
  main.insertBefore(note, main.firstChild);
  function say(text, links) {
    note.textContent = text;
    (links || []).forEach(function (pair, i) {
      note.appendChild(document.createTextNode(i ? ", " : " "));
      var a = document.createElement("a");
      a.href = pageOf(pair);
      a.textContent = pair.replace("=", ": ");
      note.appendChild(a);
    });
  }
  var items = main.querySelectorAll("tr[data-entity], a.tile[data-entity]");
  // A link's dimensions select together (a cybercrime link that is a mandate), which pages
  // of one value each cannot tell: with more than one of them asked, say so instead.
  var linkDims = main.getAttribute("data-link-dims").split(" ");
  var asks = function (d) { return asked.getAll(d).some(function (v) { return v; }); };
  if (search) {
    say("This copy of the site is static: the search for \u201c" + search + "\u201d needs the explorer's server. Every entity is shown.");
    return;
  }
  if (linkDims.filter(asks).length > 1) {
    say("This copy of the site is static: a selection of " + linkDims.filter(asks).join(" and ") + " together picks the links that match all of them, which needs the explorer's server. Every entity is shown. The page of each value asked for:", wanted);
    return;
  }
  if (!items.length) {
    say("This copy of the site is static: it shows this page for every entity, not for the selection asked. The page of each value asked for:", wanted);
    return;
  }
  say("This copy of the site is static: selecting in your browser\u2026");
  var tiles = function (item) { return item.classList.contains("tile"); };
  // Until the pages arrive, the list is held back, so it changes once.
  items.forEach(function (item) { if (!tiles(item)) item.hidden = true; });
  var all = asked.get("match") === "all";
  var byDim = {};
  wanted.forEach(function (pair) {
    var d = pair.split("=")[0];
    (byDim[d] = byDim[d] || []).push(pair);
  });
  Promise.all(wanted.map(function (pair) { return idsOf(pageOf(pair), {}); }))
    .then(function (sets) {
      var of = {};
      wanted.forEach(function (pair, i) { of[pair] = sets[i]; });
      function keep(id) {
        return Object.keys(byDim).every(function (d) {
          var test = function (pair) { return of[pair][id]; };
          return d === "crime" && all ? byDim[d].every(test) : byDim[d].some(test);
        });
      }
      var kept = 0;
      items.forEach(function (item) {
        var on = keep(item.getAttribute("data-entity"));
        // The org chart keeps every box in place and fades the rest, as the server does.
        if (tiles(item)) item.classList.toggle("faded", !on);
        else item.hidden = !on;
        if (on) kept += 1;
      });
      say("This copy of the site is static: the selection is made in your browser (" + kept + " of " + items.length + " match). The counts and charts are of the page without the filter; the exact page of each value:", wanted);
    })
    .catch(function () {
      items.forEach(function (item) { item.hidden = false; });
      say("This copy of the site is static and could not select in your browser: every entity is shown. The page of each value asked for:", wanted);
    });
})();

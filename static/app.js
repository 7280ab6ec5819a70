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

  function open(url) {
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
        location.href = url;
      });
  }

  chart.addEventListener("click", function (event) {
    var tile = event.target.closest("a.tile");
    if (!tile || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    // The panel's URL: this page's filter, then the tile's entity.
    open(chart.getAttribute("data-panel-base") + encodeURIComponent(tile.getAttribute("data-entity")));
  });

  var initial = document.getElementById("entity-dialog");
  if (initial) enhance(initial);

  window.addEventListener("popstate", function () {
    location.reload();
  });
})();

/* Jobslot booking widget loader. Paste where the widget should appear:
 *   <script src="https://YOUR-JOBSLOT-HOST/widget/embed.js" data-site="YOUR-SITE-ID" async></script>
 * or place <jobslot-booking site="YOUR-SITE-ID"></jobslot-booking> anywhere (as many as you
 * like, added whenever you like) and include the script once. Every other data-* attribute of
 * the script tag (data-mode="button", data-service, data-postcode, data-redirect, data-label)
 * becomes the attribute of the same name on the widget it places. data-api names the API's
 * origin when it is not the script's.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  if (window.performance && performance.mark) performance.mark("jobslot:start");
  var base = new URL(".", script.src).href;
  var api = script.getAttribute("data-api") || new URL(script.src).origin;
  var site = script.getAttribute("data-site");
  var query = new URLSearchParams(location.search);
  // The hosted booking page, /book/{site}: the site is in the address, and so may the
  // service and postcode be (?service=…&postcode=…).
  if (script.hasAttribute("data-site-from-path")) {
    site = decodeURIComponent(location.pathname.split("/")[2] || "");
  }
  if (site) {
    var element = document.createElement("jobslot-booking");
    element.setAttribute("site", site);
    element.setAttribute("api", api);
    for (var i = 0; i < script.attributes.length; i++) {
      var name = script.attributes[i].name;
      if (name.indexOf("data-") === 0 && ["data-site", "data-api", "data-site-from-path"].indexOf(name) < 0) {
        element.setAttribute(name.slice(5), script.attributes[i].value);
      }
    }
    if (script.hasAttribute("data-site-from-path")) {
      ["service", "postcode"].forEach(function (key) {
        if (query.get(key)) element.setAttribute(key, query.get(key));
      });
    }
    script.parentNode.insertBefore(element, script.nextSibling);
  }
  if (window.__jobslotLoading) return;
  // Resolves to the module's exports (its memory, for whoever measures it).
  window.__jobslotLoading = import(base + "jobslot-widget.js").then(function (glue) {
    return glue.default({ module_or_path: base + "jobslot-widget_bg.wasm" }).then(function (wasm) {
      glue.define_element(api);
      return wasm;
    });
  });
})();

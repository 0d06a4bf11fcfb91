/* Jobslot booking widget loader. Paste where the widget should appear:
 *   <script src="https://YOUR-JOBSLOT-HOST/widget/embed.js" data-site="YOUR-SITE-ID" async></script>
 * or place <jobslot-booking site="YOUR-SITE-ID"></jobslot-booking> anywhere and include the
 * script once. Optional: data-api="https://api.example" when the API is on another origin.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var base = new URL(".", script.src).href;
  var api = script.getAttribute("data-api") || new URL(script.src).origin;
  var site = script.getAttribute("data-site");
  if (site) {
    var element = document.createElement("jobslot-booking");
    element.setAttribute("site", site);
    element.setAttribute("api", api);
    script.parentNode.insertBefore(element, script.nextSibling);
  }
  if (window.__jobslotLoading) return;
  window.__jobslotLoading = import(base + "jobslot-widget.js").then(function (glue) {
    return glue.default({ module_or_path: base + "jobslot-widget_bg.wasm" }).then(function () {
      glue.define_element(api);
    });
  });
})();
